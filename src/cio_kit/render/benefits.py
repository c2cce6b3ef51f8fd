"""Output of ``report benefits``: JSON (SPEC §13), Markdown, and text with a small chart per KPI."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cio_kit.analysis.benefits import AT_RISK, OFF_TRACK, ON_TRACK, Trajectory
from cio_kit.money import money
from cio_kit.plan.model import ADKAR_ELEMENTS
from cio_kit.render.escape import markdown as _md
from cio_kit.render.escape import terminal
from cio_kit.render.jsondoc import pretty
from cio_kit.reports.benefits import BenefitsReport

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_STATUS_STYLE = {ON_TRACK: "green", AT_RISK: "yellow", OFF_TRACK: "bold red"}
_BAR = 20
"""Cells of a KPI chart: baseline at the left edge, target at the right."""


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _round(value: float | None, places: int = 4) -> float | None:
    return round(value, places) if value is not None else None


def to_json(report: BenefitsReport) -> str:
    """The ``report benefits --format json`` document, key for key as SPEC §13."""
    appraisal = report.appraisal
    document = {
        "plan": report.plan,
        "basis": report.basis,
        "currency": report.currency,
        "discount_rate": report.discount_rate,
        "goals": [
            {
                "id": goal.goal,
                "kpi": goal.kpi,
                "baseline": goal.baseline,
                "target": goal.target,
                "due": _date(goal.due),
                "latest": {"date": goal.latest.date.isoformat(), "value": goal.latest.value}
                if goal.latest
                else None,
                "expected": _round(goal.expected),
                "progress": _round(goal.progress),
                "status": goal.status,
            }
            for goal in report.goals
        ],
        "years": [
            {
                "year": flow.year,
                "benefits": round(flow.benefits, 2),
                "costs": round(flow.costs, 2),
                "run_costs": round(flow.run_costs, 2),
                "net": round(flow.net, 2),
                "discounted_net": round(flow.discounted_net, 2),
            }
            for flow in (appraisal.years if appraisal else ())
        ],
        "npv": round(appraisal.npv, 2) if appraisal else None,
        "payback_year": appraisal.payback_year if appraisal else None,
        "discounted_payback_year": appraisal.discounted_payback_year if appraisal else None,
        "irr": _round(appraisal.irr) if appraisal else None,
        "sensitivity": [
            {"case": case, "npv": round(npv, 2)} for case, npv in (appraisal.sensitivity if appraisal else ())
        ],
        "groups": [
            {
                "id": group.id,
                "adkar": [
                    {"assessed": _date(reading.assessed), **{e: getattr(reading, e) for e in ADKAR_ELEMENTS}}
                    for reading in group.readings
                ],
            }
            for group in report.groups
        ],
    }
    return pretty(document)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:,.4g}"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _position(goal: Trajectory, value: float) -> int:
    """The cell of ``value`` on the chart from baseline (0) to target (_BAR), clamped."""
    assert goal.baseline is not None and goal.target is not None
    span = goal.target - goal.baseline
    share = (value - goal.baseline) / span if span else 1.0
    return max(0, min(_BAR, round(share * _BAR)))


def chart(goal: Trajectory) -> Text:
    """Baseline to target in 20 cells: filled up to the latest measurement, ``│`` where the line is today.

    A KPI where lower is better fills the same way: the chart runs from the
    baseline towards the target, whichever way the numbers go.
    """
    from rich.text import Text

    if goal.baseline is None or goal.target is None or goal.latest is None:
        return Text("·" * _BAR, style="dim")
    reached = _position(goal, goal.latest.value)
    marker = _position(goal, goal.expected) if goal.expected is not None else None
    style = _STATUS_STYLE.get(goal.status, "")
    text = Text()
    for cell in range(_BAR):
        if cell == marker:
            text.append("│", style="bold")
        else:
            text.append("█" if cell < reached else "·", style=style if cell < reached else "dim")
    if marker == _BAR:
        text.append("│", style="bold")
    return text


def render_text(report: BenefitsReport, console: Console) -> None:
    """Goals against their lines, the appraisal by year, ADKAR readings over time per group."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    console.print(
        Text(f"{terminal(report.plan)} — benefits ({report.currency}): {report.described}", style="bold")
    )
    wide = console.width >= 100
    goals = Table(show_edge=False, pad_edge=False, title="Goals", title_justify="left")
    goals.add_column("Goal")
    goals.add_column("KPI values", justify="right", no_wrap=True)
    if wide:
        goals.add_column("Expected", justify="right")
    goals.add_column("Travelled", justify="right")
    goals.add_column("Status", no_wrap=True)
    goals.add_column("To target", no_wrap=True)
    for goal in report.goals:
        values = Text(f"{_number(goal.baseline)} → {_number(goal.latest.value if goal.latest else None)} → ")
        values.append(_number(goal.target))  # baseline → latest → target
        if goal.latest is not None:
            values.append(f"\non {goal.latest.date}", style="dim")
        cells = [Text(terminal(goal.goal)) + Text(f"\n{terminal(goal.kpi or '–')}", style="dim"), values]
        if wide:
            cells.append(Text(_number(goal.expected)))
        cells += [
            Text(_share(goal.progress)),
            Text(goal.status, style=_STATUS_STYLE.get(goal.status, "dim")),
            chart(goal),
        ]
        goals.add_row(*cells)
    console.print(goals)
    console.print(
        Text(
            "KPI values: baseline → latest → target. To target: the baseline at the left, the target at the "
            "right; █ the way travelled, │ where the straight line to the due date is today.",
            style="dim",
        )
    )
    appraisal = report.appraisal
    console.print()
    if appraisal is None:
        console.print(
            "No appraisal: give the plan an enterprise.plan_start to place costs and benefits in years."
        )
    else:
        years = Table(  # no rules, one space between columns: seven columns of money fit 80 columns
            box=None,
            padding=(0, 1, 0, 0),
            show_edge=False,
            pad_edge=False,
            title=f"Benefits against costs, discounted at {appraisal.rate:.1%}",
            title_justify="left",
        )
        for column in ("Year", "Benefits", "Costs", "Run", "Net", "Discounted", "Cumulative"):
            years.add_column(column, justify="right", no_wrap=True)
        cumulative = 0.0
        for flow in appraisal.years:
            cumulative += flow.net
            years.add_row(
                str(flow.year),
                money(flow.benefits),
                money(flow.costs),
                money(flow.run_costs),
                Text(money(flow.net), style="red" if flow.net < 0 else "green"),
                money(flow.discounted_net),
                Text(money(cumulative), style="red" if cumulative < 0 else "green"),
            )
        console.print(years)
        console.print(
            Text(
                f"NPV {money(appraisal.npv)} {report.currency}",
                style="bold green" if appraisal.npv >= 0 else "bold red",
            )
        )
        console.print(_payback(appraisal.payback_year, appraisal.discounted_payback_year))
        console.print(f"IRR {_irr(appraisal.irr)}")
        if appraisal.sensitivity:
            cases = Table(show_edge=False, pad_edge=False, title="NPV if", title_justify="left")
            cases.add_column("Case")
            cases.add_column("NPV", justify="right")
            for case, npv in appraisal.sensitivity:
                cases.add_row(case, Text(money(npv), style="red" if npv < 0 else "green"))
            console.print(cases)
    if report.groups:
        _adkar(report, console)


def _irr(value: float | None) -> str:
    """The internal rate of return as a percentage, or why there is none."""
    return "none: the flows never change sign or have no positive root" if value is None else f"{value:.1%}"


def _payback(plain: int | None, discounted: int | None) -> str:
    """When the programme pays back, in words."""
    first = f"Pays back in {plain}" if plain else "Does not pay back within the years appraised"
    second = f"discounted, in {discounted}" if discounted else "discounted, not within them"
    return f"{first}; {second}"


def _adkar(report: BenefitsReport, console: Console) -> None:
    """One row per group, one column per ADKAR element, each cell the scores over time (3 → 4)."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    table = Table(
        show_edge=False,
        pad_edge=False,
        title="ADKAR over time (3 or below is a barrier)",
        title_justify="left",
    )
    table.add_column("Group")
    table.add_column("Assessed")
    for element in ADKAR_ELEMENTS:
        table.add_column(
            element.capitalize() if console.width >= 100 else element[0].upper(), justify="right"
        )
    for group in report.groups:
        dates = " → ".join(
            r.assessed.strftime("%Y-%m-%d") if r.assessed else "undated" for r in group.readings
        )
        cells = []
        for element in ADKAR_ELEMENTS:
            scores = [getattr(reading, element) for reading in group.readings]
            cells.append(Text(" → ".join(map(str, scores)), style="red" if scores[-1] <= 3 else "green"))
        table.add_row(Text(terminal(group.id)), Text(dates, style="dim"), *cells)
    console.print()
    console.print(table)


def to_markdown(report: BenefitsReport) -> str:
    """The benefits report as Markdown, for a pull request or a board pack."""
    lines = [
        f"## Benefits — {_md(report.plan)}",
        "",
        f"Showing {report.described}.",
        "",
        "| Goal | KPI | Baseline | Latest | Target | Expected | Travelled | Status |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for goal in report.goals:
        latest = f"{goal.latest.value:,.4g} ({goal.latest.date})" if goal.latest else "–"
        lines.append(
            f"| {_md(goal.goal)} | {_md(goal.kpi or '–')} | {_number(goal.baseline)} | {latest} | "
            f"{_number(goal.target)} | {_number(goal.expected)} | {_share(goal.progress)} | {goal.status} |"
        )
    appraisal = report.appraisal
    if appraisal is not None:
        lines += [
            "",
            f"Discounted at {appraisal.rate:.1%}: **NPV {money(appraisal.npv)} {_md(report.currency)}**. "
            f"{_payback(appraisal.payback_year, appraisal.discounted_payback_year)}. "
            f"IRR {_irr(appraisal.irr)}.",
            "",
            "| Year | Benefits | Costs | of which run | Net | Discounted |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            _markdown_row(
                str(f.year), *map(money, (f.benefits, f.costs, f.run_costs, f.net, f.discounted_net))
            )
            for f in appraisal.years
        ]
        if appraisal.sensitivity:
            lines += ["", "| Case | NPV |", "|---|---:|"]
            lines += [_markdown_row(_md(case), money(npv)) for case, npv in appraisal.sensitivity]
    for group in report.groups:
        dates = [r.assessed.isoformat() if r.assessed else "undated" for r in group.readings]
        lines += ["", f"**{_md(group.id)}** ADKAR over time", "", "| Element | " + " | ".join(dates) + " |"]
        lines.append("|---|" + "---:|" * len(dates))
        for element in ADKAR_ELEMENTS:
            lines.append(
                f"| {element} | " + " | ".join(str(getattr(r, element)) for r in group.readings) + " |"
            )
    return "\n".join(lines) + "\n"


def _markdown_row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"
