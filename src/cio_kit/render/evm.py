"""Output of ``report evm``: JSON (SPEC §10), Markdown and Rich text with the S-curve.

Amounts are rounded to 2 decimals in JSON, ratios to 4 and days to 2; a
ratio whose denominator is 0 is ``null`` (shown as "n/a").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_kit.analysis.evm import EarnedValue
from cio_kit.money import money
from cio_kit.render import jsondoc
from cio_kit.render.escape import markdown as _md
from cio_kit.render.escape import terminal
from cio_kit.render.figures import index, json_amount, json_ratio

if TYPE_CHECKING:
    from rich.console import Console

SCOPE_NOTE = "Scope: stage budgets. Budget lines are run costs, not earned scope, and are left out."


_amount = _days = json_amount
_ratio = json_ratio


def _basis(report: EarnedValue) -> str:
    if report.baseline is None:
        return "no baseline: planned value from the plan as written"
    return f"baseline {report.baseline}"


def to_json(report: EarnedValue) -> str:
    """The ``report evm --format json`` document, key for key as SPEC §10."""
    finish = report.forecast_finish_date
    document: dict[str, object] = {
        "plan": report.plan,
        "status_date": report.status_date.isoformat(),
        "baseline": report.baseline,
        "currency": report.currency,
        "total": {
            "bac": _amount(report.bac),
            "pv": _amount(report.pv),
            "ev": _amount(report.ev),
            "ac": _amount(report.ac),
            "sv": _amount(report.sv),
            "cv": _amount(report.cv),
            "spi": _ratio(report.spi),
            "cpi": _ratio(report.cpi),
            "eac": _amount(report.eac),
            "eac_composite": _amount(report.eac_composite),
            "eac_bottom_up": _amount(report.eac_bottom_up),
            "eac_low": _amount(report.eac_low),
            "eac_high": _amount(report.eac_high),
            "etc": _amount(report.etc),
            "vac": _amount(report.vac),
            "tcpi": _ratio(report.tcpi),
            "pd_days": report.pd_days,
            "at_days": report.at_days,
            "es_days": _days(report.es),
            "spi_t": _ratio(report.spi_t),
            "sv_t_days": _days(report.sv_t_days),
            "ieac_t_days": _days(report.ieac_t_days),
            "forecast_finish_date": finish.isoformat() if finish else None,
        },
        "stages": [
            {
                "id": row.id,
                "bac": _amount(row.bac),
                "pv": _amount(row.pv),
                "ev": _amount(row.ev),
                "ac": _amount(row.ac),
                "sv": _amount(row.sv),
                "cv": _amount(row.cv),
                "spi": _ratio(row.spi),
                "cpi": _ratio(row.cpi),
            }
            for row in report.stages
        ],
        "curve": [
            {
                "date": point.date.isoformat(),
                "pv": _amount(point.pv),
                "ev": _amount(point.ev),
                "ac": _amount(point.ac),
            }
            for point in report.curve
        ],
        "descoped": list(report.descoped),
        "unbaselined": list(report.unbaselined),
    }
    return jsondoc.dump(document, rows=("stages", "curve"))


def _figures(report: EarnedValue) -> list[tuple[str, str, str]]:
    """(figure, value, what it means) for the summary table, in the order a board reads them."""
    finish = report.forecast_finish_date
    ieac = report.ieac_t_days
    return [
        ("BAC", money(report.bac), "budget at completion (baselined stage budgets)"),
        ("PV", money(report.pv), "planned value: work scheduled before the status date"),
        ("EV", money(report.ev), "earned value: budget of the work done"),
        ("AC", money(report.ac), "actual cost so far"),
        ("SV", money(report.sv), "schedule variance, EV − PV"),
        ("CV", money(report.cv), "cost variance, EV − AC"),
        ("SPI", index(report.spi), "schedule performance, EV / PV"),
        ("CPI", index(report.cpi), "cost performance, EV / AC"),
        ("EAC", money(report.eac), "estimate at completion, BAC / CPI"),
        ("EAC (composite)", money(report.eac_composite), "AC + (BAC − EV) / (CPI × SPI(t))"),
        ("EAC (bottom-up)", money(report.eac_bottom_up), "AC + (BAC − EV): the rest at its budget"),
        ("EAC range", f"{money(report.eac_low)}..{money(report.eac_high)}", "lowest..highest of the three"),
        ("ETC", money(report.etc), "estimate to complete, EAC − AC"),
        ("VAC", money(report.vac), "variance at completion, BAC − EAC"),
        ("TCPI", index(report.tcpi), "efficiency needed to finish on budget"),
        ("PD", f"{report.pd_days} days", "planned duration"),
        ("AT", f"{report.at_days} days", "actual time to the status date"),
        ("ES", _in_days(report.es), "earned schedule: when the work done was planned"),
        ("SPI(t)", index(report.spi_t), "time-based schedule performance, ES / AT"),
        ("SV(t)", _in_days(report.sv_t_days, signed=True), "time-based schedule variance, ES − AT"),
        ("IEAC(t)", _in_days(ieac), "forecast duration, PD / SPI(t)"),
        ("Forecast last day", finish.isoformat() if finish else "n/a", "by earned schedule"),
    ]


def _in_days(value: float | None, *, signed: bool = False) -> str:
    """A number of days to one decimal; "n/a" when there is none (SPEC §16)."""
    if value is None:
        return "n/a"
    return f"{value:+.1f} days" if signed else f"{value:.1f} days"


def to_markdown(report: EarnedValue) -> str:
    """The report as Markdown, for a pull-request comment or a board pack."""
    lines = [
        f"## Earned value — {_md(report.plan)}",
        "",
        f"At the status date {report.status_date} ({_md(_basis(report))}); amounts in {report.currency}.",
        f"{SCOPE_NOTE}",
        "",
        "| Figure | Value | Meaning |",
        "|---|---:|---|",
    ]
    lines += [f"| {name} | {value} | {meaning} |" for name, value, meaning in _figures(report)]
    lines += ["", "| Stage | BAC | PV | EV | AC | SPI | CPI |", "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [
        f"| {_md(row.id)} | {money(row.bac)} | {money(row.pv)} | {money(row.ev)} | {money(row.ac)} | "
        f"{index(row.spi)} | {index(row.cpi)} |"
        for row in report.stages
    ]
    lines += ["", "| Date | PV | EV | AC |", "|---|---:|---:|---:|"]
    lines += [
        f"| {point.date} | {money(point.pv)} | {'' if point.ev is None else money(point.ev)} | "
        f"{'' if point.ac is None else money(point.ac)} |"
        for point in report.curve
    ]
    if report.descoped:
        lines += ["", f"Descoped since the baseline: {', '.join(_md(i) for i in report.descoped)}."]
    if report.unbaselined:
        lines += ["", f"Not in the baseline (left out): {', '.join(_md(i) for i in report.unbaselined)}."]
    return "\n".join(lines) + "\n"


def render_text(report: EarnedValue, console: Console) -> None:
    """Figures, the cumulative PV curve with EV and AC at the status date, and the stages that lag."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    console.print(Text(f"{terminal(report.plan)} — earned value at {report.status_date}", style="bold"))
    console.print(Text(f"{_basis(report)}; amounts in {report.currency}. {SCOPE_NOTE}", style="dim"))
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Figure", no_wrap=True)
    table.add_column("Value", justify="right", no_wrap=True)
    table.add_column("Meaning")
    for name, value, meaning in _figures(report):
        style = ""
        if name in ("SPI", "CPI", "SPI(t)") and value != "n/a":
            style = "red" if float(value) < 0.9 else "green"
        table.add_row(name, value, meaning, style=style)
    console.print(table)

    console.print()
    console.print(
        Text("Cumulative planned value (█), with EV (E) and AC (A) at the status date", style="bold")
    )
    width = max(10, console.width - 26)
    top = max(report.bac, report.ac) or 1.0  # planned value never passes BAC; cost may
    for point in report.curve:
        bar = "█" * round(width * point.pv / top)
        row = Text(f"{point.date} {money(point.pv):>12} ", style="bold" if point.ev is not None else "")
        row.append(bar, style="blue")
        console.print(row, no_wrap=True)
        if point.ev is not None and point.ac is not None:
            for letter, amount, colour in (("E", point.ev, "green"), ("A", point.ac, "yellow")):
                mark = Text(f"{letter:>10} {money(amount):>12} ", style=colour)
                mark.append("█" * round(width * amount / top), style=colour)
                console.print(mark, no_wrap=True)

    lagging = sorted((stage for stage in report.stages if stage.sv < -0.5), key=lambda stage: stage.sv)[:10]
    if lagging:
        console.print()
        stages = Table(show_edge=False, pad_edge=False)
        for column in ("Behind most", "BAC", "PV", "EV", "AC", "SPI", "CPI"):
            stages.add_column(column, justify="left" if column == "Behind most" else "right", no_wrap=True)
        for stage in lagging:
            stages.add_row(
                stage.id,
                money(stage.bac),
                money(stage.pv),
                money(stage.ev),
                money(stage.ac),
                index(stage.spi),
                index(stage.cpi),
            )
        console.print(stages)
    for label, ids in (
        ("Descoped since the baseline", report.descoped),
        ("Not in the baseline", report.unbaselined),
    ):
        if ids:
            console.print(Text(f"{label}: {', '.join(ids)}", style="dim"))
