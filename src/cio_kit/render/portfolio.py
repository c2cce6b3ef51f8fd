"""Output of ``portfolio report``: JSON (SPEC §12), Markdown and text."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cio_kit.money import money
from cio_kit.render import jsondoc
from cio_kit.render.budget import budget_document, class_markdown, year_markdown, year_table
from cio_kit.render.escape import markdown, terminal
from cio_kit.render.figures import index, percent
from cio_kit.reports.portfolio import PlanRow, PortfolioReport

if TYPE_CHECKING:
    from rich.console import Console

STATUS_STYLE = {"red": "bold red", "amber": "yellow", "green": "green"}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _row_json(row: PlanRow) -> dict[str, object]:
    return {
        "id": row.id,
        "file": row.file,
        "finish_date": _iso(row.finish_date),
        "forecast_finish_date": _iso(row.forecast_finish_date),
        "budget": round(row.budget, 2),
        "run": round(row.run, 2),
        "grow": round(row.grow, 2),
        "transform": round(row.transform, 2),
        "readiness_share": round(row.readiness_share, 4),
        "spi_t": None if row.spi_t is None else round(row.spi_t, 4),
        "cpi": None if row.cpi is None else round(row.cpi, 4),
        "errors": row.errors,
        "warnings": row.warnings,
        "status": row.status,
        "reason": row.reason,
    }


def to_json(report: PortfolioReport) -> str:
    """The ``portfolio report --format json`` document, key for key as SPEC §12."""
    from cio_kit.render.capacity import resources_json

    budget = budget_document(report.budget)
    document: dict[str, object] = {
        "portfolio": report.name,
        "basis": report.basis,
        "currency": report.currency,
        "plans": [_row_json(row) for row in report.plans],
        "classes": budget["classes"],
        "years": budget["years"],
        "critical_path": list(report.critical_path),
        "resources": resources_json(report.capacity) if report.capacity is not None else [],
    }
    return jsondoc.dump(document, rows=("plans", "classes", "years", "resources"))


def to_markdown(report: PortfolioReport) -> str:
    """The portfolio report as Markdown, for a job summary or a wiki."""
    cur = report.currency
    lines = [
        f"## Portfolio — {markdown(report.name)}",
        "",
        f"Showing {report.described}. {len(report.plans)} plans; last day of the portfolio "
        f"{_iso(report.finish_date) or 'n/a'}; "
        f"amounts in {cur}.",
        "",
        "| Plan | Status | Why | Last day | Forecast | Budget | Run | Grow | Transform | Ready | SPI(t) "
        "| CPI | Errors | Warnings |",
        "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report.plans:
        cells = [
            markdown(row.id),
            row.status,
            markdown(row.reason),
            _iso(row.finish_date) or "",
            _iso(row.forecast_finish_date) or "",
            money(row.budget),
            money(row.run),
            money(row.grow),
            money(row.transform),
            f"{row.readiness_share:.0%}",
            index(row.spi_t),
            index(row.cpi),
            str(row.errors),
            str(row.warnings),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    budget = report.budget
    envelope = f" of {money(budget.envelope)} approved" if budget.envelope is not None else ""
    lines += ["", f"### The whole IT budget: {money(budget.total)}{envelope}", ""]
    lines += class_markdown(budget)
    if budget.years:
        lines += ["", *year_markdown(budget)]
    if report.critical_path:
        path = " → ".join(markdown(ident) for ident in report.critical_path)
        lines += ["", f"Critical path across plans: {path}"]
    if report.capacity is not None and report.capacity.resources:
        lines += [
            "",
            "| Resource | Capacity | Effort (days) | Over-allocated periods |",
            "|---|---:|---:|---|",
        ]
        for resource in report.capacity.resources:
            over = ", ".join(resource.overloaded_periods) or "none"
            lines.append(
                f"| {markdown(resource.id)} | {resource.capacity:g} | {float(resource.effort_days):,.1f} "
                f"| {over} |"
            )
    return "\n".join(lines) + "\n"


def render_text(report: PortfolioReport, console: Console) -> None:
    """The portfolio report for the terminal: status first, then money, order and people."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    console.print(
        Text(
            f"{terminal(report.name)} — portfolio of {len(report.plans)} plans: {report.described}",
            style="bold",
        )
    )
    console.print(f"Amounts in {report.currency}; last day {_iso(report.finish_date) or 'n/a'}")
    plans = Table(show_edge=False, pad_edge=False)
    # Below 100 columns the forecast and the finding counts give way to the plan ids (the
    # reasons below name what matters); Markdown and JSON always carry every column.
    wide = console.width >= 100
    columns = [("Plan", False), ("Status", False), ("Last day", False)]
    columns += [("Forecast", False)] if wide else []
    columns += [("Budget", True), ("Ready", True), ("SPI(t)", True), ("CPI", True)]
    columns += [("E/W", True)] if wide else []
    for column, right in columns:
        plans.add_column(column, justify="right" if right else "left", no_wrap=column != "Plan")
    for row in report.plans:
        cells: list[str | Text] = [terminal(row.id), Text(row.status, style=STATUS_STYLE[row.status])]
        cells.append(_iso(row.finish_date) or "")
        cells += [_iso(row.forecast_finish_date) or ""] if wide else []
        cells += [money(row.budget), f"{row.readiness_share:.0%}", index(row.spi_t), index(row.cpi)]
        cells += [f"{row.errors}/{row.warnings}"] if wide else []
        plans.add_row(*cells)
    console.print(plans)
    for row in report.plans:
        if row.status != "green":
            console.print(
                Text(f"  {terminal(row.id)}: {terminal(row.reason)}", style=STATUS_STYLE[row.status])
            )
    budget = report.budget
    console.print()
    envelope = f" of {money(budget.envelope)} approved" if budget.envelope is not None else ""
    console.print(Text(f"The whole IT budget: {money(budget.total)}{envelope}", style="bold"))
    for c in budget.classes:
        style = {"ok": "", "warning": "yellow", "error": "bold red"}.get(c.status, "")
        line = f"  {c.budget_class:<9} {percent(c.share):>6} {money(c.amount):>15}  {c.limit}"
        console.print(Text(line, style=style))
    if budget.years:
        console.print(year_table(budget))
    if report.critical_path:
        console.print()
        console.print(Text("Critical path across plans", style="bold"))
        console.print(" → ".join(terminal(ident) for ident in report.critical_path))
    if report.capacity is not None and report.capacity.resources:
        console.print()
        console.print(Text("Resources across plans", style="bold"))
        for resource in report.capacity.resources:
            months = ", ".join(resource.overloaded_periods)
            note = Text(f"over capacity in {months}", style="yellow") if months else Text("within capacity")
            console.print(Text(f"  {terminal(resource.id)} ({resource.capacity:g}): ").append(note))
