"""Output of ``roadmap risk``: JSON (SPEC §6) and a text report with a histogram."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cio_kit.analysis.risk import RiskResult, finish_date
from cio_kit.money import money
from cio_kit.plan.model import Plan
from cio_kit.render import jsondoc
from cio_kit.render.escape import terminal
from cio_kit.render.figures import json_amount

if TYPE_CHECKING:
    from rich.console import Console

SHARES = (("p50", 0.5), ("p80", 0.8), ("p95", 0.95))


def _date(plan: Plan, days: float) -> str | None:
    when = finish_date(plan, days)
    return when.isoformat() if when else None


def _last_day(plan: Plan, result: RiskResult, share: float) -> str | None:
    start = plan.enterprise.plan_start
    if start is None or result.last_days is None:
        return None
    return (start + dt.timedelta(days=int(result.last_day(share)))).isoformat()


def to_json(plan: Plan, result: RiskResult) -> str:
    """The ``roadmap risk --format json`` document, key for key as SPEC §6 and §10."""
    finishes = {name: result.percentile(share) for name, share in SHARES}
    document: dict[str, object] = {
        "plan": plan.enterprise.name,
        "runs": result.runs,
        "seed": result.seed,
        "finish_weeks": {
            "mean": round(float(result.finish_days.mean()) / 7, 2),
            **{name: round(days / 7, 2) for name, days in finishes.items()},
        },
        "finish_dates": {name: _date(plan, days) for name, days in finishes.items()},
        "finish_last_days": {name: _last_day(plan, result, share) for name, share in SHARES},
        "stages": [{"id": ident, "criticality": share} for ident, share in result.criticality],
        "deadlines": [
            {"id": d.id, "deadline": d.deadline.isoformat(), "probability": d.probability}
            for d in result.deadlines
        ],
        "risks": [
            {"id": e.id, "occurred_share": e.occurred_share, "p80_effect_days": e.p80_effect_days}
            for e in result.events
        ],
        "cost": {name: json_amount(result.cost(share)) for name, share in SHARES},
    }
    document["basis"] = "forecast" if result.status_date is not None else "as-written"
    if result.status_date is not None:
        document["forecast"] = True
        document["status_date"] = result.status_date.isoformat()
    if result.levelled:
        document["levelled"] = True
    return jsondoc.dump(document, rows=("stages", "deadlines", "risks"))


def tornado(plan: Plan, result: RiskResult) -> list[tuple[str, str, float, float]]:
    """The measured risks by their effect on P80, largest first: (id, title, days, share of runs)."""
    titles = {risk.id: risk.title for risk in plan.risks or []}
    measured = [e for e in result.events if e.p80_effect_days is not None]
    ranked = sorted(measured, key=lambda e: (-(e.p80_effect_days or 0.0), -e.occurred_share, e.id))
    return [(e.id, titles.get(e.id, ""), e.p80_effect_days or 0.0, e.occurred_share) for e in ranked]


def _tornado_text(plan: Plan, result: RiskResult, console: Console) -> None:
    """What drives the P80: one bar per risk, the largest first."""
    from rich.text import Text

    rows = tornado(plan, result)
    if not rows:
        return
    console.print()
    console.print(Text("What drives the P80 (days each risk adds; share of runs it occurred)", style="bold"))
    widest = max(abs(days) for _, _, days, _ in rows) or 1.0
    name_width = max(len(ident) for ident, _, _, _ in rows)
    bar_width = max(8, min(30, console.width - name_width - 40))
    for ident, title, days, share in rows:
        bar = "█" * round(bar_width * abs(days) / widest)
        figures = f"{days:+7.1f} d {share:5.0%}"
        line = f"  {terminal(ident):<{name_width}} {bar:<{bar_width}} {figures}  {terminal(title)}"
        console.print(line, no_wrap=True, overflow="ellipsis", markup=False)


def render_text(
    plan: Plan, result: RiskResult, console: Console, forecast_last_day: str | None = None
) -> None:
    """Percentiles, a histogram of finish weeks, deadlines and the most critical stages.

    ``forecast_last_day`` is the deterministic forecast's last day, named in
    the first line when the runs start from the plan as written.
    """
    import numpy as np
    from rich.text import Text

    from cio_kit.render.tables import Table

    title = f"{terminal(plan.enterprise.name)} — schedule risk"
    if result.status_date is not None:
        title += f" (forecast from the status date {result.status_date.isoformat()})"
    elif forecast_last_day is not None:
        title += f" of the plan as written; forecast last day {forecast_last_day} (without --as-written)"
    else:
        title += " of the plan as written"
    console.print(Text(title, style="bold"))
    order = "; no stage before its levelled start" if result.levelled else ""
    risks = len(result.events)
    events = f" and {risks} risk{'s' * (risks != 1)} of the register" if risks else ""
    console.print(
        f"{result.runs:,} run{'s' * (result.runs != 1)}, seed {result.seed}; "
        f"durations from PERT-beta estimates{events}{order}"
    )
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("")
    table.add_column("Finish (weeks)", justify="right")
    table.add_column("Last day", justify="right")
    mean = float(result.finish_days.mean())
    table.add_row("mean", f"{mean / 7:.1f}")
    for name, share in SHARES:
        days = result.percentile(share)
        table.add_row(name.upper(), f"{days / 7:.1f}", _last_day(plan, result, share) or "")
    console.print(table)
    if result.costs is not None and result.events:
        currency = plan.enterprise.currency
        costs = ", ".join(
            f"{name.upper()} {money(result.cost(share) or 0, currency)}" for name, share in SHARES
        )
        console.print(f"Cost with the risks that occurred: {costs}")

    weeks = result.finish_days / 7
    low, high = float(weeks.min()), float(weeks.max())
    bins = 12 if high > low else 1
    counts, edges = np.histogram(weeks, bins=bins, range=(low, high if high > low else low + 1))
    width = max(10, console.width - 26)
    console.print()
    console.print(Text("Finish week distribution", style="bold"))
    peak = max(int(counts.max()), 1)
    for number, count in enumerate(counts):
        bar = "█" * round(width * int(count) / peak)
        label = f"{edges[number]:7.1f}–{edges[number + 1]:<7.1f}"
        console.print(f"{label} {bar} {int(count)}", no_wrap=True)

    if result.deadlines:
        console.print()
        deadlines = Table(show_edge=False, pad_edge=False)
        deadlines.add_column("Deadline of")
        deadlines.add_column("Date")
        deadlines.add_column("Chance", justify="right")
        for d in result.deadlines:
            style = "red" if d.probability < 0.5 else ("yellow" if d.probability < 0.8 else "green")
            deadlines.add_row(d.id, d.deadline.isoformat(), f"{d.probability:.0%}", style=style)
        console.print(deadlines)

    _tornado_text(plan, result, console)
    ranked = sorted(result.criticality, key=lambda item: -item[1])
    shown = [item for item in ranked if item[1] > 0][:10]
    if shown:
        console.print()
        console.print(Text("Most often critical", style="bold"))
        for ident, share in shown:
            console.print(f"  {share:6.1%}  {ident}")
