"""Output of ``portfolio optimize``: JSON (SPEC §12), text, and the scenario that reproduces it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cio_kit.findings import days
from cio_kit.money import cents, money
from cio_kit.plan.model import Plan
from cio_kit.portfolio.optimize import Choice
from cio_kit.render import jsondoc
from cio_kit.render.escape import terminal

if TYPE_CHECKING:
    from rich.console import Console


def collateral(choice: Choice, plan: Plan) -> list[tuple[str, str, float, tuple[str, ...]]]:
    """Goals lost only through stages that wait on a dropped one: (goal, stage, its cost, what it waits on).

    A goal whose every dropped stage was dropped for its predecessors, not for
    its own cost, is a collateral loss: splitting or re-linking that stage may
    keep the goal (SPEC §18).
    """
    dropped = set(choice.deferred)
    found = []
    for goal in choice.goals_lost:
        serving = [s.id for s in plan.stages if goal in s.serves and s.id in dropped]
        if serving and all(choice.blocked_by.get(ident) for ident in serving):
            found += [(goal, ident, choice.cost[ident], choice.blocked_by[ident]) for ident in serving]
    return found


def _value(objective: float) -> str:
    """A goal value: below 1,000 as written (weights are small numbers), from 1,000 in whole money."""
    return f"{objective:g}" if abs(objective) < 1000 else money(objective)


def _trade(choice: Choice, goals: tuple[str, ...]) -> str:
    """What an alternative serves that the answer loses, and what it gives up for it."""
    gains = [goal for goal in goals if goal not in choice.goals_served]
    gives_up = [goal for goal in choice.goals_served if goal not in goals]
    said = f"serving {', '.join(gains)}"
    return f"{said} in place of {', '.join(gives_up)}" if gives_up else f"{said} as well"


def to_json(
    choice: Choice, finish: tuple[dt.date | None, dt.date | None] = (None, None), plan: Plan | None = None
) -> str:
    """The ``portfolio optimize --format json`` document (SPEC §12), with the finish before and after."""
    document: dict[str, object] = {
        "optimal": choice.optimal,
        "objective": choice.objective,
        "bound": choice.bound,
        "kept": list(choice.kept),
        "moved": [{"id": ident, "years": years} for ident, years in choice.moved.items()],
        "deferred": list(choice.deferred),
        "goals_served": list(choice.goals_served),
        "goals_lost": list(choice.goals_lost),
        "restore": [
            {"goal": goal, "years": {str(year): round(amount, 2) for year, amount in extra.items()}}
            for goal, extra in choice.restore.items()
        ],
        "alternatives": [
            {"value": value, "goals_served": list(goals)} for value, goals in choice.alternatives
        ],
        "cannot_move": [{"id": ident, "why": why} for ident, why in choice.held.items()],
        "collateral": [
            {"goal": goal, "stage": stage, "cost": round(cost, 2), "waits_for": list(waits)}
            for goal, stage, cost, waits in (collateral(choice, plan) if plan is not None else [])
        ],
        "years": [
            {"year": year, "envelope": round(limit, 2), "before": round(before, 2), "after": round(after, 2)}
            for year, limit, before, after in choice.years
        ],
        "finish_before": finish[0].isoformat() if finish[0] else None,
        "finish_after": finish[1].isoformat() if finish[1] else None,
        "value_optimal": choice.value_proven,
    }
    return jsondoc.dump(document, rows=("years",))


def _why(choice: Choice, plan: Plan, ident: str) -> str:
    """A deferral in plain words: the goals it costs, and the deferred stages it waited for."""
    stage = next(s for s in plan.stages if s.id == ident)
    lost = [goal for goal in stage.serves if goal in choice.goals_lost]
    parts = []
    if choice.blocked_by.get(ident):
        parts.append(f"depends on deferred {', '.join(choice.blocked_by[ident])}")
    parts.append(
        f"goal{'s' if len(lost) > 1 else ''} lost: {', '.join(lost)}" if lost else "no goal lost by it alone"
    )
    if ident in choice.held:
        parts.append(f"cannot move instead: {choice.held[ident]}")
    return "; ".join(parts)


def render_text(
    choice: Choice,
    plan: Plan,
    console: Console,
    finish: tuple[dt.date | None, dt.date | None] = (None, None),
    heading: str | None = None,
) -> None:
    """The answer for the terminal: proven or not, what is deferred and why, spend by year, the finish."""
    from rich.text import Text

    from cio_kit.render.tables import Table

    if heading is not None:  # the first line says which plan and on which basis (SPEC §16)
        console.print(Text(terminal(heading)))
    if choice.optimal:
        console.print(Text(f"Proven optimal: goal value {_value(choice.objective)} kept", style="bold green"))
    elif choice.value_proven:
        console.print(
            Text(
                f"Goal value {_value(choice.objective)} proven optimal; the tie-breaks (the most spend kept, "
                "then the earlier stages) were not proven within the time limit",
                style="bold yellow",
            )
        )
    else:
        console.print(
            Text(
                f"Not proven optimal within the time limit: goal value {_value(choice.objective)}, "
                f"no choice can exceed {_value(choice.bound)}",
                style="bold yellow",
            )
        )
    kept, deferred, moves = len(choice.kept), len(choice.deferred), len(choice.moved)
    dropped = "dropped" if moves else "deferred"
    shifted = f", moved {moves} later" if moves else ""
    console.print(f"Kept {kept} stage{'s' * (kept != 1)} as planned{shifted}, {dropped} {deferred}")
    if choice.moved:
        table = Table(show_edge=False, pad_edge=False, title="Moved", title_justify="left")
        table.add_column("Stage")
        table.add_column("Cost", justify="right", no_wrap=True)
        table.add_column("Later by", justify="right", no_wrap=True)
        for ident, shift in choice.moved.items():
            table.add_row(terminal(ident), money(choice.cost[ident]), f"{shift} year{'s' * (shift != 1)}")
        console.print(table)
    if choice.deferred:
        table = Table(show_edge=False, pad_edge=False, title="Deferred", title_justify="left")
        table.add_column("Stage")
        table.add_column("Cost", justify="right", no_wrap=True)
        table.add_column("Why it goes")
        for ident in choice.deferred:
            table.add_row(terminal(ident), money(choice.cost[ident]), terminal(_why(choice, plan, ident)))
        console.print(table)
    _print_losses(choice, plan, console)
    years = Table(show_edge=False, pad_edge=False, title="Spend by year", title_justify="left")
    for column in ("Year", "Envelope", "Before", "After"):
        years.add_column(column, justify="right", no_wrap=True)
    for year, limit, before, after in choice.years:
        years.add_row(str(year), money(limit), money(before), money(after))
    console.print(years)
    line = _finish_line(choice, finish)
    if line is not None:
        console.print(line)


def _print_losses(choice: Choice, plan: Plan, console: Console) -> None:
    """The goals lost, what restores each, the collateral losses, and the choices besides this one."""
    from rich.text import Text

    if choice.goals_lost:
        console.print(Text(f"Goals lost: {terminal(', '.join(choice.goals_lost))}", style="yellow"))
    for goal, extra in choice.restore.items():
        money_by_year = ", ".join(f"{money(amount)} in {year}" for year, amount in sorted(extra.items()))
        console.print(f"  {terminal(goal)} is served with {money_by_year} more")
    for goal, stage, cost, waits in collateral(choice, plan):
        console.print(
            f"  {terminal(goal)} is lost only because {terminal(stage)} ({money(cost)}) waits for dropped "
            f"{terminal(', '.join(waits))}: split it or link it otherwise to keep the goal",
        )
    for value, goals in choice.alternatives:
        console.print(f"Next best: goal value {_value(value)}, {terminal(_trade(choice, goals))}")
    if choice.no_other:
        console.print("No other choice within the envelopes serves a goal this one loses")


def _finish_line(choice: Choice, finish: tuple[dt.date | None, dt.date | None]) -> str | None:
    """The last day of work before and after; a finish that comes sooner only through drops says so."""
    first, last = finish
    if first is None:
        return None
    if last is None:
        return f"Last day of work: {first.isoformat()} before, nothing left to do after"
    moved = (last - first).days
    change = f"{'+' if moved > 0 else ''}{days(moved)}"
    if last < first and choice.deferred:  # sooner only because work is gone: a scope cut, not speed
        change += f", from dropping {len(choice.deferred)} stage{'s' * (len(choice.deferred) != 1)}"
    shown = f" ({change})" if last != first else ""
    return f"Last day of work: {first.isoformat()} before, {last.isoformat()} after{shown}"


def scenario(
    name: str, choice: Choice, envelope: dict[int, float], command: str, weeks: Mapping[str, float]
) -> str:
    """``scenarios/NAME.yaml``: the envelope and the deferrals (SPEC §12 scenario format).

    The envelope is written year by year as the solver saw it (a scenario's
    ``scale_budget`` scales spend, not the envelope). A ``drop`` removes a
    stage and everything depending on it, so only the deferred stages whose
    own predecessors are kept are listed.
    """
    import json

    lines = [
        f"# Written by {command}: the answer as a scenario.",
        "cio_kit_scenario: 1",
        f"name: {json.dumps(name)}",
        "changes:",
    ]
    years = ", ".join(f"{year}: {cents(amount)}" for year, amount in sorted(envelope.items()))
    if years:
        lines.append(f"  - {{envelope: {{{years}}}}}")
    roots = [ident for ident in choice.deferred if not choice.blocked_by.get(ident)]
    lines += [f"  - {{drop: {json.dumps(ident)}}}" for ident in roots]
    # A move of whole fiscal years, as the scenario format counts time: weeks (``weeks``, per stage).
    lines += [f"  - {{delay: {json.dumps(ident)}, weeks: {weeks[ident]}}}" for ident in choice.moved]
    return "\n".join(lines) + "\n"
