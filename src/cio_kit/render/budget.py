"""The budget report (SPEC §7): JSON, Markdown, and Rich text with bars.

The portfolio report shows the whole IT budget with the same tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cio_kit.money import money
from cio_kit.render.escape import markdown as _md
from cio_kit.render.escape import terminal
from cio_kit.render.figures import SEVERITY_STYLE, bar, index, percent
from cio_kit.render.jsondoc import pretty
from cio_kit.reports.budget import BudgetReport

if TYPE_CHECKING:
    from rich.console import Console

    from cio_kit.render.tables import Table


def budget_document(report: BudgetReport) -> dict[str, Any]:
    """The budget report as a JSON-ready mapping (the portfolio report reuses its classes and years)."""
    ev = report.earned_value
    return {
        "plan": report.plan,
        "currency": report.currency,
        "total": round(report.total, 2),
        "envelope": report.envelope,
        "stage_total": round(report.stage_total, 2),
        "lines_total": round(report.lines_total, 2),
        "actual_total": round(report.actual_total, 2),
        "classes": [
            {
                "class": c.budget_class,
                "amount": round(c.amount, 2),
                "share": round(c.share, 4),
                "limit": c.limit,
                "status": c.status,
            }
            for c in report.classes
        ],
        "categories": {name: round(amount, 2) for name, amount in report.categories.items()},
        "years": [
            {
                "year": year,
                **{name: round(amount, 2) for name, amount in classes.items()},
                "total": round(sum(classes.values()), 2),
                "envelope": report.year_envelopes.get(year),
                "revenue_share": round(report.revenue_share[year], 6)
                if year in report.revenue_share
                else None,
            }
            for year, classes in report.years.items()
        ],
        "quarters": {name: round(amount, 2) for name, amount in report.quarters.items()},
        "capex": round(report.capex, 2),
        "opex": round(report.opex, 2),
        "goals": {goal: round(amount, 2) for goal, amount in report.goals.items()},
        "goals_unsplit": {goal: round(amount, 2) for goal, amount in report.goals_unsplit.items()},
        "stages": [
            {
                "id": s.id,
                "kind": s.kind,
                "planned": round(s.planned, 2),
                "actual": s.actual,
                "overrun": round(s.overrun, 2),
                "percent_complete": s.percent_complete,
            }
            for s in report.stages
        ],
        "earned_value": None
        if ev is None
        else {
            "status_date": ev.status_date.isoformat(),
            "baseline": ev.baseline,
            "planned_value": round(ev.pv, 2),
            "earned_value": round(ev.ev, 2),
            "actual_cost": round(ev.ac, 2),
            "spi": None if ev.spi is None else round(ev.spi, 4),
            "cpi": None if ev.cpi is None else round(ev.cpi, 4),
        },
        "personnel_estimate": {
            "total": round(sum(report.personnel_estimates.values()), 2),
            "stages": {stage: round(amount, 2) for stage, amount in report.personnel_estimates.items()},
        },
    }


def budget_json(report: BudgetReport) -> str:
    """The budget report as JSON."""
    return pretty(budget_document(report))


def budget_markdown(report: BudgetReport) -> str:
    """The budget report as Markdown."""
    cur = report.currency
    envelope = f" of an approved {money(report.envelope)}" if report.envelope is not None else ""
    lines = [
        f"## Budget — {_md(report.plan)}",
        "",
        f"Planned spend **{money(report.total)} {cur}**{envelope}: stage budgets "
        f"{money(report.stage_total)}, budget lines {money(report.lines_total)}; capex "
        f"{money(report.capex)}, opex {money(report.opex)}. Stage actuals so far "
        f"{money(report.actual_total)} against stage budgets of {money(report.stage_total)}.",
        "",
    ]
    lines += class_markdown(report)
    if report.years:
        lines += ["", *year_markdown(report)]
    if report.quarters:
        lines += ["", "| Fiscal quarter | Planned |", "|---|---:|"]
        lines += [f"| {quarter} | {money(amount)} |" for quarter, amount in report.quarters.items()]
    lines += ["", "| Category | Amount |", "|---|---:|"]
    lines += [f"| {name} | {money(amount)} |" for name, amount in report.categories.items()]
    if report.goals:
        lines += [
            "",
            "| Goal | Share of stage spend | All stages serving it (not additive) |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {_md(goal)} | {money(amount)} | {money(report.goals_unsplit[goal])} |"
            for goal, amount in report.goals.items()
        ]
        if report.no_goal:
            lines.append(f"| (serves no goal) | {money(report.no_goal)} | |")
        lines.append(f"| **Stage total** | **{money(report.stage_total)}** | |")
    if report.overruns:
        lines += ["", "| Overrun | Planned | Actual | Over |", "|---|---:|---:|---:|"]
        lines += [
            f"| {_md(s.id)} | {money(s.planned)} | {money(s.actual or 0)} | {money(s.overrun)} |"
            for s in report.overruns
        ]
    ev = report.earned_value
    if ev is not None:
        lines += [
            "",
            f"Earned value at {ev.status_date} ({_md(_ev_basis(ev.baseline))}; stage budgets only): "
            f"PV {money(ev.pv)}, EV {money(ev.ev)}, AC {money(ev.ac)}; SPI {index(ev.spi)}, "
            f"CPI {index(ev.cpi)}, SPI(t) {index(ev.spi_t)}. `cio-kit report evm` has every figure.",
        ]
    if report.personnel_estimates:
        lines += ["", _personnel_line(report, _md)]
    return "\n".join(lines) + "\n"


def _personnel_line(report: BudgetReport, escape: Callable[[str], str]) -> str:
    estimates = report.personnel_estimates
    shown = ", ".join(f"{escape(stage)} {money(amount)}" for stage, amount in estimates.items())
    return (
        f"Personnel estimate (day rate × effort, for stages with no personnel line; not in any total): "
        f"{money(sum(estimates.values()))} {report.currency} — {shown}."
    )


def _ev_basis(baseline: str | None) -> str:
    return (
        "no baseline: planned value from the plan as written" if baseline is None else f"baseline {baseline}"
    )


def budget_text(report: BudgetReport, console: Console) -> None:
    """The budget report for the terminal, with bar charts."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    cur = report.currency
    console.print(Text(f"{terminal(report.plan)} — budget ({cur}): {report.described}", style="bold"))
    envelope = f" of {money(report.envelope)} approved" if report.envelope is not None else ""
    console.print(
        f"Planned {money(report.total)}{envelope} = stage budgets {money(report.stage_total)} + "
        f"budget lines {money(report.lines_total)}",
    )
    console.print(
        f"Stage actuals so far {money(report.actual_total)} "
        f"against stage budgets {money(report.stage_total)}",
    )
    console.print(f"Capex {money(report.capex)} · opex {money(report.opex)}")
    width = max(10, min(40, console.width - 50))
    console.print()
    console.print(Text("Run / grow / transform", style="bold"))
    split = Table.grid(padding=(0, 1))
    for right in (False, False, True, True, False):
        split.add_column(justify="right" if right else "left", no_wrap=True)
    for c in report.classes:
        shown = Text(bar(c.share, width), style=SEVERITY_STYLE[c.status])
        split.add_row(c.budget_class, shown, percent(c.share), money(c.amount), c.limit)
    console.print(split)
    if report.years:
        console.print()
        console.print(year_table(report, title="By fiscal year"))
    if report.quarters:
        console.print()
        console.print(Text("By quarter", style="bold"))
        peak = max(report.quarters.values()) or 1
        for quarter, amount in report.quarters.items():
            console.print(f"{quarter}  {bar(amount / peak, width):<{width}} {money(amount):>14}")
    console.print()
    console.print(Text("By category", style="bold"))
    peak = max(report.categories.values(), default=0) or 1
    for name, amount in report.categories.items():
        console.print(f"{name:<18} {bar(amount / peak, width):<{width}} {money(amount):>14}")
    if report.goals:
        console.print()
        console.print(
            Text("By goal: each stage split evenly across its goals; last column not additive", style="bold")
        )
        console.print(f"{'':<18} {'share':>14} {'all serving':>14}")
        for goal, amount in report.goals.items():
            console.print(f"{goal:<18} {money(amount):>14} {money(report.goals_unsplit[goal]):>14}")
        if report.no_goal:
            console.print(f"{'(serves no goal)':<18} {money(report.no_goal):>14}")
        console.print(f"{'stage total':<18} {money(report.stage_total):>14}")
    if report.overruns:
        console.print()
        console.print(Text("Overruns", style="bold red"))
        for s in report.overruns:
            console.print(
                f"{s.id}: planned {money(s.planned)}, actual {money(s.actual or 0)} (+{money(s.overrun)})",
            )
    ev = report.earned_value
    if ev is not None:
        console.print()
        console.print(Text(f"Earned value at {ev.status_date} ({_ev_basis(ev.baseline)})", style="bold"))
        console.print(
            f"PV {money(ev.pv)} · EV {money(ev.ev)} · AC {money(ev.ac)} · "
            f"SPI {index(ev.spi)} · CPI {index(ev.cpi)} · SPI(t) {index(ev.spi_t)}"
            "  (report evm: every figure)",
        )
    if report.personnel_estimates:
        console.print()
        console.print(_personnel_line(report, terminal))


# The class split and the year table, as the plan's budget report and the portfolio's
# whole IT budget both show them: one renderer, so the two cannot drift apart.


def class_markdown(report: BudgetReport) -> list[str]:
    """The run/grow/transform split as a Markdown table."""
    lines = ["| Class | Amount | Share | Limit | Status |", "|---|---:|---:|---|---|"]
    lines += [
        f"| {c.budget_class} | {money(c.amount)} | {percent(c.share)} | {c.limit} | {c.status} |"
        for c in report.classes
    ]
    return lines


def _year_cells(report: BudgetReport, year: int) -> list[str]:
    """Year, run, grow, transform, total, envelope and (when the revenue is known) % of revenue."""
    classes = report.years[year]
    envelope = report.year_envelopes.get(year)
    cells = [str(year), *(money(classes[name]) for name in ("run", "grow", "transform"))]
    cells += [money(sum(classes.values())), money(envelope) if envelope is not None else ""]
    if report.revenue_share:  # the revenue share of every year spent in, when the revenue is known
        cells.append(f"{report.revenue_share[year]:.2%}")
    return cells


def year_markdown(report: BudgetReport) -> list[str]:
    """Spend by fiscal year and class against the envelope, as a Markdown table."""
    header = ["Year", "Run", "Grow", "Transform", "Total", "Envelope"]
    header += ["% of revenue"] if report.revenue_share else []
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(_year_cells(report, year)) + " |" for year in report.years]
    return lines


def year_table(report: BudgetReport, title: str | None = None) -> Table:
    """Spend by fiscal year and class against the envelope, a year over its envelope in red."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    table = Table(show_edge=False, pad_edge=False, title=title, title_justify="left")
    columns = ["Year", "Run", "Grow", "Transform", "Total", "Envelope"]
    columns += ["% revenue"] if report.revenue_share else []
    for column in columns:
        table.add_column(column, justify="right", no_wrap=True)
    for year, classes in report.years.items():
        envelope = report.year_envelopes.get(year)
        cells: list[str | Text] = list(_year_cells(report, year))
        over = envelope is not None and sum(classes.values()) > envelope
        cells[4] = Text(str(cells[4]), style="bold red" if over else "")
        table.add_row(*cells)
    return table
