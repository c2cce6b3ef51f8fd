"""Defer means move, not only drop: the exact keep / move / drop choice of SPEC §18.

Each stage that has not started is kept as planned, moved later by a whole
number of fiscal years (1 to ``max_shift``), or dropped; done, in-progress
and mandatory stages stay where they are. A moved stage keeps its length and
its spend moves with it; it moves at least as far as each predecessor it
keeps, and a dropped stage drops all that depend on it. Spend in every
fiscal year stays within its envelope, and a year with no envelope accepts
no moved spend. The objective, in order: (1) the weight of the goals served
(a goal is served when every live stage serving it is kept or moved), or with
``--value npv`` the NPV of their benefits, a moved benefit starting as much
later; (2) the least spend moved, in amount × years; (3) the most spend kept;
(4) the most stages kept (a milestone costs nothing).

Solved exactly by HiGHS as one 0-1 program with a column per stage and
placement, in three passes, each fixing the optimum of the one before.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cio_kit.analysis.schedule import Schedule
from cio_kit.plan.graph import StageGraph, invert
from cio_kit.plan.model import Plan
from cio_kit.portfolio.optimize import (
    TOLERANCE,
    Choice,
    DeferralProblem,
    Infeasible,
    closure,
    quiet_highs,
    why_infeasible,
)

Placement = Mapping[int, int | None]
"""Per stage: the fiscal years it moves (0: kept as planned), or None when dropped."""


@dataclass(frozen=True)
class Retiming:
    """The keep / move / drop problem: the keep/defer data and how far a stage may move."""

    base: DeferralProblem
    max_shift: int
    goal_values: tuple[tuple[float, ...], ...] | None = None
    """With ``--value npv``: per goal, its benefits' NPV when they start 0, 1, … ``max_shift`` years later;
    without, each goal is worth its weight whenever it is served."""

    def goal_value(self, g: int, delay: int) -> float:
        """What goal ``g`` is worth served with its benefit ``delay`` years late."""
        if self.goal_values is None:
            return self.base.goals[g][1]
        return self.goal_values[g][min(delay, len(self.goal_values[g]) - 1)]

    def shifts(self, i: int) -> tuple[int, ...]:
        """The moves open to stage ``i``: none for what must stay, none into a year without an envelope."""
        if i in self.base.fixed:
            return (0,)
        spent = [year for year, amount in self.base.cost_by_year[i].items() if amount]
        furthest = min(self.max_shift, self.base.reach[i]) if self.base.reach else self.max_shift
        return tuple(
            k for k in range(furthest + 1) if k == 0 or all(year + k in self.base.envelope for year in spent)
        )

    def spend(self, placement: Placement) -> dict[int, float]:
        """Spend per envelope year, lines included, with each placed stage's spend moved with it."""
        found = {year: self.base.lines.get(year, 0.0) for year in self.base.envelope}
        for i, shift in placement.items():
            if shift is None:
                continue
            for year, amount in self.base.cost_by_year[i].items():
                if year + shift in found:
                    found[year + shift] += amount
        return found

    def feasible(self, placement: Placement) -> bool:
        """Every rule of SPEC §18 holds for ``placement`` (one entry per stage)."""
        data = self.base
        for i in range(len(data.stages)):
            shift = placement.get(i)
            if shift is None:
                if i in data.must_stay:
                    return False
                continue
            if shift not in self.shifts(i):
                return False
            for p in data.preds[i]:
                before = placement.get(p)
                if before is None or before > shift:
                    return False
        spend = self.spend(placement)
        return all(spend[year] <= data.envelope[year] + TOLERANCE for year in data.envelope)

    def score(self, placement: Placement) -> tuple[float, float, float]:
        """(value of goals served, −spend moved in amount × years, spend kept or moved): higher is better."""
        data = self.base
        value = sum(
            self.goal_value(g, max([placement.get(i) or 0 for i in serving], default=0))
            for g, (_, _, serving) in enumerate(data.goals)
            if all(placement.get(i) is not None for i in serving)
        )
        moved = sum(sum(data.cost_by_year[i].values()) * (shift or 0) for i, shift in placement.items())
        kept = sum(sum(data.cost_by_year[i].values()) for i, shift in placement.items() if shift is not None)
        return value, -moved, kept


def solve_retiming(data: Retiming, time_limit: float = 60.0) -> Choice:
    """The best placement, by HiGHS; raises Infeasible when what must stay does not fit."""
    import highspy

    base = data.base
    must = {i: 0 for i in closure(base, base.must_stay)}
    if not data.feasible({**must, **dict.fromkeys(set(range(len(base.stages))) - set(must))}):
        raise Infeasible(why_infeasible(base))
    started = time.monotonic()

    def left() -> float:  # one time limit for all the passes
        return max(0.01, time_limit - (time.monotonic() - started))

    h = quiet_highs(highspy)
    columns, placed, served, value_of = _model(data, h)
    # A quick feasible answer first: the solver starts from it, and it is the answer when the
    # time limit ends before the solver finds a better one (on a large portfolio its presolve
    # alone can take the whole limit).
    start = greedy_placement(data, must)
    _offer(h, columns, served, start, base)
    objectives = [
        value_of,
        -sum(
            column * k * sum(base.cost_by_year[i].values())
            for i, options in columns.items()
            for k, column in options
            if k
        ),
        sum(placed[i] * sum(base.cost_by_year[i].values()) for i in columns),
        sum(placed.values()),  # and then as many stages as fit: a milestone costs nothing to keep
    ]
    optimal, value_proven, found, bound = _passes(h, highspy, objectives, left, columns)
    placement: Placement = start
    if found is not None and data.feasible(found) and data.score(found) >= data.score(start):
        placement = found
    value = data.score(placement)[0]
    if value_proven:
        bound = value
    else:  # the solver's bound, or with none yet every goal served on time
        most = sum(
            max(data.goal_value(g, k) for k in range(data.max_shift + 1)) for g in range(len(base.goals))
        )
        bound = max(value, min(bound, most))
    kept_goals = {
        g
        for g, (_, _, serving) in enumerate(base.goals)
        if all(placement.get(i) is not None for i in serving)
    }
    restore = _restore(data, kept_goals, left) if value_proven else ()
    alternatives, no_other = _alternatives(data, kept_goals, left) if value_proven else ((), False)
    choice = _answer(data, placement, optimal, value_proven, value, restore)
    return replace(choice, bound=round(bound, 6), alternatives=alternatives, no_other=no_other)


def greedy_placement(data: Retiming, must: Mapping[int, int]) -> dict[int, int | None]:
    """A feasible placement found in one sweep: what must stay, then goal by goal while money lasts.

    Each step takes the goal left with the most value per unit of the cost of its stages not yet
    placed (goals share stages, so that cost falls as others are placed). Those stages go in
    dependency order, each as early as its predecessors and a common least move allow: no move
    first, then one year, and so on. A goal no move fits into every envelope is left out. Then
    each other stage whose predecessors all stay as planned is kept as planned while it fits.
    """
    base = data.base
    order = StageGraph(base.stages, base.preds, tuple(map(tuple, invert(base.preds)))).topological_order()
    rank = {stage: number for number, stage in enumerate(order or range(len(base.stages)))}
    placement: dict[int, int | None] = dict(must)
    spend = data.spend(placement)
    whole = [sum(amounts.values()) for amounts in base.cost_by_year]
    needs = [sorted(closure(base, set(serving)), key=rank.__getitem__) for _, _, serving in base.goals]
    needed_by: dict[int, list[int]] = {}
    for g, stages in enumerate(needs):
        for i in stages:
            needed_by.setdefault(i, []).append(g)
    unplaced = [sum(whole[i] for i in stages if i not in placement) for stages in needs]
    left = set(range(len(base.goals)))
    while left:
        g = min(left, key=lambda g: (-data.goal_value(g, 0) / max(unplaced[g], 1.0), unplaced[g], g))
        left.remove(g)
        fresh = [i for i in needs[g] if i not in placement]
        for least in range(data.max_shift + 1):
            trial = _placed_from(data, fresh, least, placement)
            if trial is None:
                continue
            extra = {y: amount - base.lines.get(y, 0.0) for y, amount in data.spend(trial).items()}
            if all(spend[y] + extra[y] <= base.envelope[y] + TOLERANCE for y in spend):
                placement.update(trial)
                spend = {y: spend[y] + extra[y] for y in spend}
                for i in fresh:
                    for other in needed_by[i]:
                        unplaced[other] -= whole[i]
                break
    # Then whatever else fits as planned: moving spend is worse than dropping it (the second
    # objective), keeping it better (the third).
    for i in sorted(set(range(len(base.stages))) - set(placement), key=rank.__getitem__):
        if all(placement.get(p) == 0 for p in base.preds[i]) and all(
            spend[y] + amount <= base.envelope[y] + TOLERANCE
            for y, amount in base.cost_by_year[i].items()
            if y in spend
        ):
            placement[i] = 0
            for y, amount in base.cost_by_year[i].items():
                if y in spend:
                    spend[y] += amount
    return {i: placement.get(i) for i in range(len(base.stages))}


def _placed_from(
    data: Retiming, fresh: Sequence[int], least: int, placement: Mapping[int, int | None]
) -> dict[int, int | None] | None:
    """``fresh`` (in dependency order) each moved at least ``least`` years and as far as its predecessors."""
    trial: dict[int, int | None] = {}
    for i in fresh:
        need = max([least, *(trial.get(p, placement.get(p)) or 0 for p in data.base.preds[i])])
        shift = next((k for k in data.shifts(i) if k >= need), None)
        if shift is None:
            return None
        trial[i] = shift
    return trial


def _offer(
    h: Any,
    columns: Mapping[int, Sequence[tuple[int, Any]]],
    served: Sequence[Any],
    start: Placement,
    base: DeferralProblem,
) -> None:
    """Give the solver ``start`` as its first incumbent (the columns it does not set, it completes)."""
    import numpy as np

    given = {
        column.index: float(start.get(i) == k) for i, options in columns.items() for k, column in options
    }
    for column, (_, _, serving) in zip(served, base.goals, strict=True):
        given[column.index] = float(all(start.get(i) is not None for i in serving))
    h.setSolution(len(given), np.fromiter(given, dtype=np.int32), np.fromiter(given.values(), dtype=float))


def _alternatives(
    data: Retiming, kept_goals: set[int], left: Callable[[], float], count: int = 2
) -> tuple[tuple[tuple[float, tuple[str, ...]], ...], bool]:
    """The next best choices, as (value, goals served): each serves a goal every one before it loses.

    The value program again, with a cut per set of goals already given (the answer's first):
    serve at least one goal outside it. A choice serving only some of a better one's goals is
    no alternative to it (with ``--value npv`` a goal with no stated benefit is worth nothing,
    so dropping it would tie with the answer and tell a CFO nothing). Also whether the solver
    proved that none exists at all (not merely ran out of time looking).
    """
    import highspy

    base = data.base
    if not base.goals:
        return (), False
    h = quiet_highs(highspy)
    _, _, served, value_of = _model(data, h)
    found: list[tuple[float, tuple[str, ...]]] = []
    previous = kept_goals
    for _ in range(count):
        outside = [served[g] for g in range(len(served)) if g not in previous]
        if not outside:  # the set before serves every goal: nothing serves more
            break
        h.addConstr(sum(outside) >= 1)
        h.setOptionValue("time_limit", left())
        h.maximize(value_of)
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return tuple(found), not found and status == highspy.HighsModelStatus.kInfeasible
        solution = h.getSolution().col_value
        previous = {g for g, column in enumerate(served) if solution[column.index] > 0.5}
        value = h.getObjectiveValue()
        found.append((round(value, 6), tuple(base.goals[g][0] for g in sorted(previous))))
    return tuple(found), False


def _model(data: Retiming, h: Any, extra: Mapping[int, Any] | None = None) -> tuple[Any, Any, list[Any], Any]:
    """The program's columns and rules: (columns by stage, placed by stage, served by goal, value).

    ``extra`` adds money to years' envelopes (the columns :func:`_restore` minimises).
    """
    base = data.base
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)  # exact
    columns = _columns(data, h)
    placed = {i: sum(column for _, column in options) for i, options in columns.items()}
    shifted = {i: sum(column * k for k, column in options if k) for i, options in columns.items()}
    for i in base.must_stay:
        h.addConstr(placed[i] >= 1)
    for i, preds in enumerate(base.preds):
        for p in preds:
            h.addConstr(placed[i] <= placed[p])
            if data.max_shift:  # at least as far as the predecessor, when both are placed
                h.addConstr(shifted[i] - shifted[p] + data.max_shift * (1 - placed[i]) >= 0)
    _envelopes(data, h, columns, extra or {})
    served = [h.addBinary() for _ in base.goals]
    for g, (_, _, serving) in enumerate(base.goals):
        for i in serving:
            h.addConstr(served[g] <= placed[i])
        # And served whenever all its stages are placed (a goal no stage serves, always), so a set
        # of goals served is what the placement serves.
        h.addConstr(served[g] >= sum(placed[i] for i in serving) - (len(serving) - 1))
    return columns, placed, served, _value(data, h, served, shifted)


def _value(data: Retiming, h: Any, served: list[Any], shifted: Mapping[int, Any]) -> Any:
    """The value of the goals served: weights, or (``--value npv``) the NPV at each goal's delay.

    With NPV a served goal takes one delay column; its benefit starts as late as the latest
    of its stages moves, and a later start is worth less, so the program takes the least it may.
    """
    base = data.base
    if data.goal_values is None:
        return sum(served[g] * weight for g, (_, weight, _) in enumerate(base.goals))
    terms = []
    for g, (_, _, serving) in enumerate(base.goals):
        delays = [(k, h.addBinary()) for k in range(data.max_shift + 1)]
        h.addConstr(sum(column for _, column in delays) == served[g])
        late = sum(column * k for k, column in delays if k)
        for i in serving:
            if not isinstance(shifted[i], int):  # a stage that can move
                h.addConstr(late - shifted[i] + data.max_shift * (1 - served[g]) >= 0)
        terms += [column * data.goal_value(g, k) for k, column in delays]
    return sum(terms)


def _restore(
    data: Retiming, served_now: set[int], left: Callable[[], float]
) -> tuple[tuple[str, dict[int, float]], ...]:
    """For each goal the answer loses, the least extra envelope by year that serves it too (SPEC §18).

    The same program with a free amount added to each envelope year, that goal
    and every goal the answer serves all served, minimising the money added.
    """
    import highspy

    base = data.base
    found = []
    for g, (goal, _, serving) in enumerate(base.goals):
        if g in served_now or not serving:
            continue
        h = quiet_highs(highspy)
        extra = {year: h.addVariable(lb=0.0) for year in base.envelope}
        _, _, served, _ = _model(data, h, extra)
        for k in (*served_now, g):
            h.addConstr(served[k] >= 1)
        h.setOptionValue("time_limit", left())
        h.minimize(sum(extra.values()))
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            continue
        solution = h.getSolution().col_value
        # Up to the next cent: an amount rounded down would leave the goal a few cents short.
        years = {
            year: math.ceil(round(solution[column.index] * 100, 6)) / 100 for year, column in extra.items()
        }
        found.append((goal, {year: amount for year, amount in years.items() if amount > 0}))
    return tuple(found)


def _columns(data: Retiming, h: Any) -> dict[int, list[tuple[int, Any]]]:
    """A binary column per stage and open move; at most one of a stage's is 1 (none: dropped)."""
    columns = {}
    for i in range(len(data.base.stages)):
        options = [(k, h.addBinary()) for k in data.shifts(i)]
        h.addConstr(sum(column for _, column in options) <= 1)
        columns[i] = options
    return columns


def _envelopes(
    data: Retiming, h: Any, columns: dict[int, list[tuple[int, Any]]], extra: Mapping[int, Any]
) -> None:
    """Each envelope year's spend, with every placement's spend in the year it moves to."""
    base = data.base
    for year, limit in base.envelope.items():
        terms = [
            column * amount
            for i, options in columns.items()
            for k, column in options
            if (amount := base.cost_by_year[i].get(year - k, 0.0))
        ]
        if terms and year in extra:
            h.addConstr(sum(terms) - extra[year] <= limit - base.lines.get(year, 0.0))
        elif terms:
            h.addConstr(sum(terms) <= limit - base.lines.get(year, 0.0))


def _passes(
    h: Any,
    highspy: Any,
    objectives: list[Any],
    left: Callable[[], float],
    columns: dict[int, list[tuple[int, Any]]],
) -> tuple[bool, bool, dict[int, int | None] | None, float]:
    """Maximise each objective in turn, fixing each optimum.

    Returns (all proven, the first proven, the placement, the first objective's bound).
    """
    optimal, first_proven, placement, bound = True, False, None, math.inf
    for number, expression in enumerate(objectives):
        if isinstance(expression, int | float):  # nothing can move (or no goal): nothing to choose here
            first_proven = first_proven or number == 0
            continue
        h.setOptionValue("time_limit", left())
        h.maximize(expression)
        proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        if h.getInfo().primal_solution_status == 2:
            solution = h.getSolution().col_value
            placement = {
                i: next((k for k, column in options if solution[column.index] > 0.5), None)
                for i, options in columns.items()
            }
        first_proven = first_proven or (number == 0 and proven)
        if number == 0:
            bound = h.getInfo().mip_dual_bound
        optimal = optimal and proven
        if not proven:
            break
        reached = h.getObjectiveValue()
        h.addConstr(expression >= reached - max(TOLERANCE, abs(reached) * 1e-9))
    return optimal, first_proven, placement, bound


def _answer(
    data: Retiming,
    placement: Placement,
    optimal: bool,
    value_proven: bool,
    value: float,
    restore: tuple[tuple[str, dict[int, float]], ...] = (),
) -> Choice:
    """The answer as ``portfolio optimize`` shows it: kept, moved (years), dropped, spend by year."""
    base = data.base
    everything = range(len(base.stages))
    before = data.spend(dict.fromkeys(everything, 0))
    after = data.spend(placement)
    dropped = [i for i in everything if placement.get(i) is None]
    served = [g for g, _, serving in base.goals if all(placement.get(i) is not None for i in serving)]
    return Choice(
        optimal=optimal,
        value_proven=value_proven,
        objective=round(value, 6),
        bound=round(value, 6),
        kept=tuple(base.stages[i] for i in everything if placement.get(i) == 0),
        deferred=tuple(base.stages[i] for i in dropped),
        goals_served=tuple(served),
        goals_lost=tuple(g for g, _, _ in base.goals if g not in served),
        years=tuple((year, base.envelope[year], before[year], after[year]) for year in sorted(base.envelope)),
        cost={base.stages[i]: sum(base.cost_by_year[i].values()) for i in everything},
        blocked_by={
            base.stages[i]: tuple(base.stages[p] for p in base.preds[i] if placement.get(p) is None)
            for i in dropped
        },
        moved={base.stages[i]: shift for i, shift in placement.items() if shift},
        restore=dict(restore),
        held=_held(data, dropped, placement),
    )


def _held(data: Retiming, dropped: list[int], placement: Placement) -> dict[str, str]:
    """Why each stage dropped for its own sake (its predecessors all placed) could not move instead.

    A stage moves no later than the latest of its dependants may (each moves at least as far), so
    the first of them, in file order, whose own dates allow no move at all holds it. Only when
    moving was asked for (``max_shift``); a stage that could move but was dropped was dropped
    because no move fits the envelopes.
    """
    base = data.base
    if not data.max_shift or not base.reach:
        return {}
    dependants: dict[int, list[int]] = {}
    for i, preds in enumerate(base.preds):
        for p in preds:
            dependants.setdefault(p, []).append(i)
    found = {}
    for i in dropped:
        if any(placement.get(p) is None for p in base.preds[i]):
            continue
        chain, seen = [i], {i}
        for k in chain:  # grows as it goes: every stage that waits on i, directly or not
            fresh = [d for d in dependants.get(k, []) if d not in seen]
            seen.update(fresh)
            chain += fresh
        stuck = next((k for k in sorted(seen) if base.reach[k] == 0), None)
        if stuck == i:
            found[base.stages[i]] = base.held[i]
        elif stuck is not None:
            found[base.stages[i]] = f"{base.stages[stuck]} waits on it and cannot move: {base.held[stuck]}"
    return found


def goal_npvs(
    plan: Plan, schedule: Schedule, goals: Sequence[str], max_shift: int
) -> tuple[tuple[float, ...], ...]:
    """Per goal (in ``goals``' order), its benefits' NPV starting 0, 1, … ``max_shift`` years later.

    Each at the plan's discount rate, as ``report benefits`` appraises it, with no cost. In a
    merged portfolio a benefit's ``starts_after`` is qualified with its goal's plan first.
    """
    from cio_kit.analysis.benefits import Case, appraisal

    by_id = {goal.id: goal for goal in plan.goals or []}
    found = []
    for ident in goals:
        goal = by_id[ident]
        benefit = goal.benefit
        if benefit is None:
            found.append((0.0,) * (max_shift + 1))
            continue
        owner, _, _ = ident.rpartition(":")
        if owner and benefit.starts_after is not None and ":" not in benefit.starts_after:
            goal = goal.model_copy(
                update={
                    "benefit": benefit.model_copy(update={"starts_after": f"{owner}:{benefit.starts_after}"})
                }
            )
        alone = plan.model_copy(update={"goals": [goal]})
        values = []
        for years in range(max_shift + 1):
            worth = appraisal(alone, schedule, Case("moved", cost_scale=0.0, delay_months=12 * years))
            values.append(round(worth.npv, 2) if worth is not None else 0.0)
        found.append(tuple(values))
    return tuple(found)
