"""Output of ``report capacity``: JSON (SPEC §11), Markdown, and Rich text with a load heat-map.

Person-days are rounded to 2 decimals and loads to 4 in JSON; a period with
no capacity has a ``null`` load. The text view gives each resource a row of
cells, one per period, that show the load in percent and are coloured (and
marked with ``!`` when over capacity), so an over-allocated month stands out
with colour or without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_kit.analysis.capacity import Period
from cio_kit.findings import days
from cio_kit.money import money
from cio_kit.render import jsondoc
from cio_kit.render.escape import markdown as _md
from cio_kit.render.escape import terminal
from cio_kit.reports.capacity import CapacityReport

if TYPE_CHECKING:
    from rich.console import Console

#: Width of one heat-map cell: "120%!" or "27-01", and a space.
CELL = 6


def _days(value: object) -> float:
    return round(float(value), 2)  # type: ignore[arg-type]


def _iso(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def _period_json(period: Period) -> dict[str, object]:
    load = period.load
    return {
        "period": period.period,
        "capacity_days": _days(period.capacity_days),
        "demand_days": _days(period.demand_days),
        "load": None if load is None else round(load, 4),
        "peak_load": round(float(period.peak), 4),
    }


def resources_json(report: CapacityReport) -> list[dict[str, object]]:
    """The ``resources`` rows of the JSON document (also the portfolio's, SPEC §12)."""
    return [
        {
            "id": row.id,
            "name": row.name,
            "capacity": row.capacity,
            "effort_days": _days(row.effort_days),
            "personnel_estimate": None if row.estimate is None else round(row.estimate, 2),
            "periods": [_period_json(period) for period in row.periods],
            "overloaded_periods": row.overloaded_periods,
            "overloaded_periods_unlevelled": [p.period for p in row.unlevelled if p.overloaded],
        }
        for row in report.resources
    ]


def to_json(report: CapacityReport) -> str:
    """The ``report capacity --format json`` document, key for key as SPEC §11."""
    document: dict[str, object] = {
        "plan": report.plan,
        "basis": report.basis,
        "levelled": report.levelled,
        "by": report.by,
        "finish_date": _iso(report.after.date(report.after.finish)),
        "finish_date_unlevelled": _iso(report.before.date(report.before.finish)),
        "last_day": _iso(report.after.project_last_day),
        "last_day_unlevelled": _iso(report.before.project_last_day),
        "currency": report.currency,
        "resources": resources_json(report),
        "stages": [{"id": stage, "level_delay_days": delay} for stage, delay in report.delays],
        "beyond_capacity": list(report.beyond_capacity),
    }
    return jsondoc.dump(document, rows=("resources", "stages"))


def _percent(period: Period) -> str:
    load = period.load
    if load is None:
        return "–"  # no working day in the period
    if not period.demand_days:
        return "·"
    return f"{load:.0%}" + ("!" if period.overloaded else "")


def _finish_line(report: CapacityReport) -> str:
    last = report.after.project_last_day
    if not report.levelled:
        return f"Last day {last} (the plan as written; --level to resolve over-allocation)"
    before = report.before.project_last_day
    return f"Last day {last} levelled, {before} before levelling"


def to_markdown(report: CapacityReport) -> str:
    """The capacity report as Markdown: a load table per resource, then delays."""
    lines = [
        f"## Capacity — {_md(report.plan)}",
        "",
        f"Showing {report.described}.",
        "",
        _finish_line(report) + ".",
        "",
    ]
    for row in report.resources:
        name = f"{_md(row.id)} — {_md(row.name)}" if row.name else _md(row.id)
        lines += [
            f"### {name} ({row.capacity:g} {'person' if row.capacity == 1 else 'people'})",
            "",
            f"| {report.by.capitalize()} | Capacity (person-days) | Demand | Load |",
            "|---|---:|---:|---:|",
        ]
        for period in row.periods:
            load = _percent(period)
            lines.append(
                f"| {period.period} | {_days(period.capacity_days):g} | {_days(period.demand_days):g} | "
                + (f"**{load}** |" if period.overloaded else f"{load} |")
            )
        if row.estimate is not None:
            lines += [
                "",
                f"Personnel estimate (day rate × effort, not in the budget): {money(row.estimate)} "
                f"{report.currency}.",
            ]
        lines.append("")
    delayed = [(stage, delay) for stage, delay in report.delays if delay]
    if report.levelled:
        lines += ["### Levelling delays", ""]
        lines += [f"- {_md(stage)}: +{days(delay)}" for stage, delay in delayed] or ["- none"]
        lines.append("")
    return "\n".join(lines)


def _style(period: Period) -> str:
    load = period.load
    if load is None or load == 0:
        return "dim"
    if period.overloaded:
        return "bold white on red"
    if load >= 0.8:
        return "black on yellow"
    return "green"


def render_text(report: CapacityReport, console: Console) -> None:
    """Heat-map of load per resource and period, over-allocated periods, and levelling delays."""
    from rich.text import Text

    console.print(Text(f"{terminal(report.plan)} — capacity: {report.described}", style="bold"))
    console.print(_finish_line(report))
    rows = report.resources
    if not rows:
        console.print("No resources in the plan: add resources and stage effort (SPEC §11).")
        return
    label_width = min(max(len(terminal(r.id)) for r in rows) + 6, 24)
    per_line = max(1, (console.width - label_width) // CELL)
    names = [period.period for period in rows[0].periods]
    title = "Load by month" if report.by == "month" else "Load by quarter"
    console.print(
        Text(f"\n{title} (% of capacity; ! a day over it; · none asked; – no workday)", style="bold")
    )
    for first in range(0, len(names), per_line):
        block = names[first : first + per_line]
        header = Text(" " * label_width)
        for name in block:
            short = name[2:]  # 27-01 or 27-Q1
            header.append(f"{short} ", style="dim")  # always CELL - 1 characters and a space
        console.print(header, no_wrap=True)  # as the rows: a month stays over its column
        for row in rows:
            line = Text(f"{terminal(row.id)[: label_width - 6]} ({row.capacity:g})".ljust(label_width))
            for period in row.periods[first : first + per_line]:
                line.append(f"{_percent(period):>{CELL - 1}}", style=_style(period))
                line.append(" ")
            console.print(line, no_wrap=True)
    over = [(row, row.unlevelled) for row in rows if any(p.overloaded for p in row.unlevelled)]
    console.print(Text("\nOver-allocated in the plan as written", style="bold"))
    if not over:
        console.print("  none")
    for row, periods in over:
        shown = ", ".join(f"{p.period} (peak day {float(p.peak):.0%})" for p in periods if p.overloaded)
        console.print(f"  {terminal(row.id)}: {shown}")
    if report.levelled:
        console.print(Text("\nLevelling delays", style="bold"))
        delayed = [(stage, delay) for stage, delay in report.delays if delay]
        for stage, delay in delayed:
            console.print(f"  {terminal(stage)}  +{days(delay)}")
        if not delayed:
            console.print("  none")
        for stage in report.beyond_capacity:
            console.print(
                f"  {terminal(stage)} asks a resource for more than it has: levelling cannot help it"
            )
    estimates = [row for row in rows if row.estimate is not None]
    if estimates:
        console.print(
            Text("\nPersonnel estimate (day rate × effort; not counted in the budget)", style="bold")
        )
        for row in estimates:
            console.print(
                f"  {terminal(row.id)}: {_days(row.effort_days):g} person-days, "
                f"{money(row.estimate)} {report.currency}"
            )
