"""Output of ``scenario compare``: JSON (SPEC §12) and the base beside each scenario in a table."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cio_kit.analysis.spend import CLASSES
from cio_kit.money import money
from cio_kit.render import jsondoc
from cio_kit.render.escape import terminal
from cio_kit.reports.scenario import Comparison, Side

if TYPE_CHECKING:
    from rich.console import Console


def _date(when: dt.date | None) -> str | None:
    return when.isoformat() if when else None


def _side_json(side: Side) -> dict[str, object]:
    return {
        "finish_date": _date(side.finish_date),
        "forecast_finish_date": _date(side.forecast_finish_date),
        "p80_date": _date(side.p80_date),
        "spend": {name: round(amount, 2) for name, amount in side.spend.items()},
        "years": [
            {
                "year": year,
                "spend": round(spend, 2),
                "envelope": round(limit, 2) if limit is not None else None,
            }
            for year, spend, limit in side.years
        ],
        "goals_served": list(side.goals_served),
        "errors": side.errors,
        "warnings": side.warnings,
    }


def to_json(comparison: Comparison) -> str:
    """The ``scenario compare --format json`` document, key for key as SPEC §12."""
    scenarios = [
        {
            "name": side.name,
            **_side_json(side),
            "introduced": [finding.to_json() for finding in side.introduced],
            "fixed": [finding.to_json() for finding in side.fixed],
            "file": side.file,
            "dropped": list(side.dropped),
        }
        for side in comparison.scenarios
    ]
    return jsondoc.dump({"base": _side_json(comparison.base), "scenarios": scenarios}, rows=("scenarios",))


def _days(base: dt.date | None, other: dt.date | None) -> str:
    """A date and how far it moved from the base's."""
    if other is None:
        return "n/a"
    if base is None or other == base:
        return other.isoformat()
    return f"{other.isoformat()} ({(other - base).days:+d} d)"


def _with_change(base: float, other: float, is_base: bool) -> str:
    """A scenario's amount, with its change from the base when it has one."""
    if is_base or round(other) == round(base):
        return money(other)
    return f"{money(other)} ({other - base:+,.0f})"


def render_text(comparison: Comparison, console: Console, runs: int) -> None:
    """Measures down the side, the base and each scenario across; then each scenario's details."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    base = comparison.base
    sides = (base, *comparison.scenarios)
    count = len(comparison.scenarios)
    console.print(
        Text(
            f"{terminal(comparison.portfolio)} — the base and {count} scenario{'s' * (count != 1)} "
            f"({comparison.currency}): {comparison.described}",
            style="bold",
        )
    )
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("")
    for side in sides:
        table.add_column(Text(terminal(side.name) if side.name else "base"), justify="right")

    def row(label: str, cells: list[Text | str]) -> None:
        table.add_row(Text(label), *[Text(cell) if isinstance(cell, str) else cell for cell in cells])

    row("Finish", [_days(base.finish_date, s.finish_date) for s in sides])
    row("Forecast finish", [_days(base.forecast_finish_date, s.forecast_finish_date) for s in sides])
    row(f"P80 finish ({runs:,} run{'s' * (runs != 1)})", [_days(base.p80_date, s.p80_date) for s in sides])
    for name in (*CLASSES, "total"):
        row(name.capitalize(), [_with_change(base.spend[name], s.spend[name], s is base) for s in sides])
    years = sorted({year for s in sides for year, _, _ in s.years})
    for year in years:
        cells: list[Text | str] = []
        for side in sides:
            found = {y: (spend, limit) for y, spend, limit in side.years}.get(year)
            if found is None:
                cells.append("")
                continue
            spend, limit = found
            over = limit is not None and spend > limit + 0.5
            shown = money(spend) + (f" / {money(limit)}" if limit is not None else "")
            cells.append(Text(shown, style="red" if over else ""))
        row(f"{year} spend / envelope", cells)
    row("Goals served", [str(len(s.goals_served)) for s in sides])
    row("Errors", [str(s.errors) for s in sides])
    row("Warnings", [str(s.warnings) for s in sides])
    row("Findings introduced", ["", *[str(len(s.introduced)) for s in comparison.scenarios]])
    row("Findings fixed", ["", *[str(len(s.fixed)) for s in comparison.scenarios]])
    console.print(table)
    for side in comparison.scenarios:
        _details(side, base, console)


def _details(side: Side, base: Side, console: Console) -> None:
    from rich.text import Text

    console.print()
    # Only a scenario has details, and a scenario always has a name and a file.
    console.print(Text(f"{terminal(str(side.name))} ({terminal(str(side.file))})", style="bold"))
    lost = [goal for goal in base.goals_served if goal not in side.goals_served]
    for label, items, style in (
        ("Dropped", side.dropped, ""),
        ("Goals lost", tuple(lost), "yellow"),
    ):
        if items:
            console.print(Text(f"{label}: {terminal(', '.join(items))}", style=style))
    for label, findings, style in (("Introduced", side.introduced, "red"), ("Fixed", side.fixed, "green")):
        for finding in findings:
            line = Text(f"{label} ", style=style)
            line.append(f"{finding.rule} {finding.severity.value} ")
            line.append(terminal(f"{finding.file}: {finding.message}"))
            console.print(line)
    if not (side.dropped or lost or side.introduced or side.fixed):
        console.print("No stage dropped, no goal lost, no finding introduced or fixed.")
