"""What to keep when money is cut: the exact keep/defer choice of SPEC §12.

Choose the stages to keep so that the value of the goals served is as high
as possible, subject to: spend in every fiscal year within its envelope; a
kept stage keeps all its predecessors (across plans too); done, in-progress
and mandatory stages are kept; budget lines stay. A goal counts as served
only when every live stage serving it is kept; its value is its ``weight``.
Ties are broken by keeping the most spend, then by preferring earlier stages
in file order (Σ (n − i) over kept stages i). Spend by year is the base
schedule's, as ``report budget`` gives it.

A 0-1 program solved exactly by HiGHS (MIT licence, wheels for Linux, macOS
and Windows), in three passes, one per objective, each fixing the optimum of
the one before. HiGHS proves optimality or, at ``time_limit``, gives the best
answer found and the bound it reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from cio_kit.analysis.schedule import Schedule, compute
from cio_kit.analysis.spend import fiscal_year, planned_spend, stage_years
from cio_kit.money import money
from cio_kit.plan.graph import reachable
from cio_kit.plan.model import Plan

if TYPE_CHECKING:
    from cio_kit.portfolio.merge import Member

#: Objective values within this of the optimum count as equal (money is in whole units).
TOLERANCE = 1e-6

#: The most whole fiscal years a stage may move (``--max-shift``'s own limit).
MOST_YEARS = 10


class Infeasible(Exception):
    """No choice fits: what must be kept already exceeds an envelope."""


@dataclass(frozen=True)
class Choice:
    """The answer."""

    optimal: bool
    """True when the solver proved every objective optimal: the goal value and both tie-breaks."""
    objective: float
    """Value of the goals served."""
    bound: float
    """The best value any choice could reach (equal to ``objective`` when optimal)."""
    kept: tuple[str, ...]
    deferred: tuple[str, ...]
    goals_served: tuple[str, ...]
    goals_lost: tuple[str, ...]
    years: tuple[tuple[int, float, float, float], ...]
    """(year, envelope, spend before, spend after)."""
    cost: Mapping[str, float]
    """Budget of each live stage."""
    blocked_by: Mapping[str, tuple[str, ...]]
    """For each deferred stage, the deferred stages it depended on (why it had to go too)."""
    value_proven: bool
    """True when the goal value is proven optimal, whether or not the tie-breaks are."""
    moved: Mapping[str, int] = field(default_factory=dict)
    """Stages moved later, by how many fiscal years (SPEC §18); ``deferred`` are then the dropped ones."""
    restore: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    """For each lost goal, the least extra envelope by year that would serve it as well."""
    alternatives: tuple[tuple[float, tuple[str, ...]], ...] = ()
    """The next two best choices: (value, goals served), each serving a goal every one before it loses."""
    no_other: bool = False
    """Proven: no choice within the envelopes serves a goal this one loses (so no alternative)."""
    held: Mapping[str, str] = field(default_factory=dict)
    """For each stage dropped for its own sake that could not move even one year, what holds it."""


@dataclass(frozen=True)
class DeferralProblem:
    """The data of the choice, independent of the solver (tests enumerate it exhaustively)."""

    stages: tuple[str, ...]
    """Live stages in file order."""
    cost_by_year: tuple[dict[int, float], ...]
    fixed: frozenset[int]
    """Stages that must be kept."""
    preds: tuple[tuple[int, ...], ...]
    """Live predecessors of each live stage."""
    goals: tuple[tuple[str, float, tuple[int, ...]], ...]
    """(goal id, weight, live stages serving it)."""
    envelope: dict[int, float]
    lines: dict[int, float]
    """Budget lines per year: they stay whatever is chosen."""
    prepared: frozenset[int] = frozenset()
    """Stages holding a group's training, briefing, reassignment or transfer: kept (or moved), never dropped.

    PEOPLE001–003 ask for that preparation whether or not the rollout goes ahead, so an answer
    that dropped it would bring in the errors the tool's own rules then report."""
    reach: tuple[int, ...] = ()
    """Per stage, the most whole fiscal years it may move (empty: no limit but ``--max-shift``)."""
    held: tuple[str, ...] = ()
    """Per stage, what stops it moving one year further than ``reach`` (a due date, the last envelope)."""

    @property
    def must_stay(self) -> frozenset[int]:
        """Stages that may not be dropped: the fixed ones and the prepared."""
        return self.fixed | self.prepared

    def spend(self, kept: set[int] | frozenset[int]) -> dict[int, float]:
        """Spend per envelope year of a choice, lines included."""
        return {
            year: self.lines.get(year, 0.0) + sum(self.cost_by_year[i].get(year, 0.0) for i in kept)
            for year in self.envelope
        }

    def feasible(self, kept: set[int] | frozenset[int]) -> bool:
        """Every rule of the choice holds for ``kept``."""
        if not self.must_stay <= kept:
            return False
        if any(p not in kept for i in kept for p in self.preds[i]):
            return False
        spend = self.spend(kept)
        return all(spend[year] <= self.envelope[year] + TOLERANCE for year in self.envelope)

    def score(self, kept: set[int] | frozenset[int]) -> tuple[float, float, int]:
        """(value of goals served, spend kept, file-order preference): higher is better."""
        value = sum(weight for _, weight, serving in self.goals if all(i in kept for i in serving))
        money = sum(sum(self.cost_by_year[i].values()) for i in kept)
        order = sum(len(self.stages) - i for i in kept)
        return value, money, order


def _preparation(plans: Sequence[tuple[str, Plan]]) -> set[str]:
    """The stages holding a group's training, briefing, reassignment or transfer (``owner:``-qualified)."""
    return {
        f"{owner}:{action.stage}" if owner else action.stage
        for owner, plan in plans
        for group in plan.stakeholders or []
        for action in group.actions
        if action.type in ("training", "briefing", "reassignment", "transfer")
    }


def problem(
    plan: Plan,
    envelope: dict[int, float],
    schedule: Schedule | None = None,
    members: Sequence[tuple[str, Plan]] | None = None,
) -> DeferralProblem:
    """The keep/defer problem of a plan (or a merged portfolio) under ``envelope`` per year.

    ``members``: a merged portfolio's plans, (id, plan), whose stakeholders and budget lines the
    merged plan does not carry; a plan alone is its own.
    """
    from cio_kit.plan.graph import StageGraph

    schedule = schedule or compute(plan)
    graph = StageGraph.build(plan.stages)
    live = [n for n, stage in enumerate(plan.stages) if stage.status != "cancelled"]
    index = {n: k for k, n in enumerate(live)}
    costs = []
    for n in live:
        stage = plan.stages[n]
        amount = sum(item.amount for item in stage.budget)
        shares = stage_years(plan, schedule, n) if amount else {}
        costs.append({year: amount * share for year, share in shares.items()})
    fixed = frozenset(
        index[n] for n in live if plan.stages[n].status in ("done", "in-progress") or plan.stages[n].mandatory
    )
    preds = tuple(tuple(index[p] for p in graph.preds[n] if p in index) for n in live)
    goals = tuple(
        (goal.id, goal.weight, tuple(index[n] for n in live if goal.id in plan.stages[n].serves))
        for goal in plan.goals or []
    )
    whole = planned_spend(plan, schedule)
    stage_money = planned_spend(plan.model_copy(update={"budget": None}), schedule)
    lines = {
        year: whole.years[year].total - (stage_money.years[year].total if year in stage_money.years else 0.0)
        for year in whole.years
    }
    members = members if members is not None else [("", plan)]
    people = _preparation(members)
    yearly = {
        owner for owner, one in members if one.budget and any(line.per_year for line in one.budget.lines)
    }
    return DeferralProblem(
        tuple(plan.stages[n].id for n in live),
        tuple(costs),
        fixed,
        preds,
        goals,
        dict(envelope),
        lines,
        frozenset(index[n] for n in live if plan.stages[n].id in people),
        *_reach(plan, schedule, live, yearly, max(envelope, default=0)),
    )


def _reach(
    plan: Plan, schedule: Schedule, live: list[int], yearly: set[str], last_year: int
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Per live stage, the most whole fiscal years it may move and still keep its dates, and what stops it.

    Never past ``last_year``, the last year with an envelope: no moved spend lands after it.

    A move keeps the stage's last day on or before its deadline and the due date of each goal it
    serves (SCHED002 and SCHED003 would report it otherwise). A plan with a ``per_year`` budget
    line (``yearly``, by owner) keeps its work inside the fiscal years it already spans: running
    into a later year would count that line there too, past its approved budget (BUDGET001).
    Never more than ``MOST_YEARS``. Empty without dates.
    """
    if schedule.plan_start is None:
        return (), ()
    last_days = [schedule.last_day(schedule.timings[n]) or dt.date.min for n in live]
    due = {goal.id: goal.due for goal in plan.goals or [] if goal.due is not None}
    plan_end: dict[str, int] = {}  # each plan's last fiscal year of work (a merged portfolio's members)
    for n, day in zip(live, last_days, strict=True):
        owner, year = plan.stages[n].id.rpartition(":")[0], fiscal_year(plan, day)
        plan_end[owner] = max(plan_end.get(owner, year), year)
    found: list[tuple[int, str]] = []
    for n, day in zip(live, last_days, strict=True):
        stage = plan.stages[n]
        dates = [(stage.deadline, "its deadline is")]
        dates += [(due.get(goal), f"{goal} is due") for goal in stage.serves]
        owner = stage.id.rpartition(":")[0]
        years, why = 0, f"it may move at most {MOST_YEARS} years"
        while years < MOST_YEARS:
            later = _years_later(day, years + 1)
            passed = [f"{what} {date}" for date, what in dates if date is not None and later > date]
            if fiscal_year(plan, later) > last_year:
                passed.append(f"no envelope after {last_year}")
            elif owner in yearly and fiscal_year(plan, later) > plan_end[owner]:
                passed.append(f"its plan's yearly budget lines end in {plan_end[owner]}")
            if passed:
                why = "; ".join(passed)
                break
            years += 1
        found.append((years, why))
    return tuple(years for years, _ in found), tuple(why for _, why in found)


def _years_later(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February: the 28th), or the calendar's last day past it."""
    if day.year + years > dt.MAXYEAR:
        return dt.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def solve(data: DeferralProblem, time_limit: float = 60.0) -> Choice:
    """The best choice, by HiGHS; raises Infeasible when what must be kept does not fit."""
    import time

    import highspy

    if not data.feasible(closure(data, data.must_stay)):
        raise Infeasible(why_infeasible(data))
    started = time.monotonic()

    def left() -> float:  # one time limit for all the passes, not one each
        return max(0.01, time_limit - (time.monotonic() - started))

    kept, value_proven, bound = closure(data, data.must_stay), True, 0.0
    if data.goals:
        kept, value_proven, bound = _goal_pass(data, left(), highspy)
    optimal = value_proven
    if value_proven and data.stages:
        kept, optimal = _tie_breaks(data, kept, left, highspy)
    value = data.score(kept)[0]
    return _choice(
        data, kept, (value_proven, optimal), value, value if value_proven or not data.goals else bound
    )


def _goal_pass(data: DeferralProblem, time_limit: float, highspy: Any) -> tuple[set[int], bool, float]:
    """The goal value, solved over goals rather than stages: (kept stages, proven, bound).

    Which goals are served decides the rest: a goal needs its stages and all
    they depend on, and at the optimum a stage is kept exactly when a chosen
    goal needs it. Stages needed by the same set of goals are therefore one
    variable, so the program has a column per goal and per distinct set; on
    a 2,000-stage portfolio that is about 600 columns instead of 2,100, and
    HiGHS's knapsack cuts work on the aggregated costs.
    """
    must = closure(data, data.must_stay)
    needs = []
    for _, _, serving in data.goals:
        needs.append(closure(data, set(serving)) - must)
    groups: dict[frozenset[int], list[int]] = {}
    needed_by: dict[int, set[int]] = {}
    for g, need in enumerate(needs):
        for i in need:
            needed_by.setdefault(i, set()).add(g)
    for i, goals in sorted(needed_by.items()):
        groups.setdefault(frozenset(goals), []).append(i)
    h = quiet_highs(highspy)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)  # exact, not within HiGHS's default 0.01%
    h.setOptionValue("time_limit", time_limit)
    served = [h.addBinary() for _ in data.goals]
    together = [h.addBinary() for _ in groups]
    for column, needers in zip(together, groups, strict=True):
        for g in needers:
            h.addConstr(column >= served[g])
    fixed_spend = data.spend(must)
    for year, limit in data.envelope.items():
        terms = [
            (column, amount)
            for column, stages in zip(together, groups.values(), strict=True)
            if (amount := sum(data.cost_by_year[i].get(year, 0.0) for i in stages))
        ]
        if terms:
            h.addConstr(sum(column * amount for column, amount in terms) <= limit - fixed_spend[year])
    h.maximize(sum(served[g] * weight for g, (_, weight, _) in enumerate(data.goals)))
    proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    # Stopped before its first bound, HiGHS says infinity: every goal served is then the bound.
    most = sum(weight for _, weight, _ in data.goals)
    bound = h.getObjectiveValue() if proven else min(h.getInfo().mip_dual_bound, most)
    kept = must
    if h.getInfo().primal_solution_status == 2:  # a feasible solution exists
        solution = h.getSolution().col_value
        chosen = set(must)
        for g, column in enumerate(served):
            if solution[column.index] > 0.5:
                chosen |= needs[g]
        if data.feasible(chosen):
            kept = chosen
    return kept, proven, bound


def _tie_breaks(
    data: DeferralProblem, kept: set[int], left: Callable[[], float], highspy: Any
) -> tuple[set[int], bool]:
    """With the goal value of ``kept`` fixed: keep the most spend, then the earliest stages.

    The stage-level program, started from ``kept``; each pass's optimum is
    fixed before the next.
    """
    h = quiet_highs(highspy)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    n = len(data.stages)
    keep = [h.addBinary() for _ in range(n)]
    served = [h.addBinary() for _ in data.goals]
    for i in data.must_stay:
        h.changeColBounds(keep[i].index, 1.0, 1.0)
    for i, preds in enumerate(data.preds):
        for p in preds:
            h.addConstr(keep[i] <= keep[p])
    for g, (_, _, serving) in enumerate(data.goals):
        for i in serving:
            h.addConstr(served[g] <= keep[i])
    for year, limit in data.envelope.items():
        terms = [(i, data.cost_by_year[i][year]) for i in range(n) if data.cost_by_year[i].get(year)]
        if terms:
            h.addConstr(sum(keep[i] * amount for i, amount in terms) <= limit - data.lines.get(year, 0.0))
    value = data.score(kept)[0]
    if data.goals:
        h.addConstr(
            sum(served[g] * weight for g, (_, weight, _) in enumerate(data.goals))
            >= value - max(TOLERANCE, abs(value) * 1e-9)
        )
    start = [1.0 if i in kept else 0.0 for i in range(n)]
    start += [1.0 if all(i in kept for i in serving) else 0.0 for _, _, serving in data.goals]
    h.setSolution(len(start), list(range(len(start))), start)
    optimal = True
    for expression in (
        sum(keep[i] * sum(data.cost_by_year[i].values()) for i in range(n)),
        sum(keep[i] * (n - i) for i in range(n)),
    ):
        h.setOptionValue("time_limit", left())
        h.maximize(expression)
        proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        if h.getInfo().primal_solution_status == 2:
            solution = h.getSolution().col_value
            found = {i for i in range(n) if solution[keep[i].index] > 0.5}
            if data.feasible(found) and data.score(found) >= data.score(kept):
                kept = found
        optimal = optimal and proven
        if not proven:
            break
        reached = h.getObjectiveValue()
        h.addConstr(expression >= reached - max(TOLERANCE, abs(reached) * 1e-9))
    return kept, optimal


@dataclass(frozen=True)
class Outcome:
    """The portfolio after a choice, as a scenario of it shows it."""

    finish_before: dt.date | None
    """The last day of work with every stage (on the plan as it stands, SPEC §16)."""
    finish_after: dt.date | None
    """The last day of work with the stages kept and moved."""
    spend_after: dict[int, float]
    """Spend by fiscal year with the stages kept and moved, budget lines included."""


def outcome(portfolio: Sequence[Member], choice: Choice, before: Schedule) -> Outcome:
    """The last day of work before and after ``choice``, and the spend after it by fiscal year.

    Each plan loses its dropped stages and holds its moved ones back to the same day as many years
    later, and the plans are merged again, as ``scenario compare`` merges the scenario the choice
    writes: a plan's ``per_year`` lines then count in the years it now spans, so a plan that ends a
    year sooner no longer spends its yearly lines in that year. ``before`` is the merged plan's own
    schedule. (The whole IT budget of ``portfolio.yaml`` is not needed: spend comes from the
    plans' stages and lines.)
    """
    from cio_kit.portfolio.merge import merged_plan
    from cio_kit.situation import Situation

    deferred = set(choice.deferred)
    starts = {t.id: before.date(t.earliest_start) for t in before.timings}
    after = []
    for member in portfolio:
        stages = []
        for stage in member.plan.stages:
            ident = f"{member.id}:{stage.id}"
            if ident in deferred:
                continue
            years, start = choice.moved.get(ident, 0), starts.get(ident)
            if years and start is not None:  # a moved stage starts as many years later (29 February → 28th)
                later = _years_later(start, years)
                stage = stage.model_copy(update={"not_before": max(later, stage.not_before or later)})
            stages.append(stage)
        after.append(replace(member, plan=member.plan.model_copy(update={"stages": stages})))
    kept = merged_plan(after)
    situation = Situation(kept)
    spend = planned_spend(kept, situation.schedule).years
    return Outcome(
        before.project_last_day,
        situation.schedule.project_last_day if kept.stages else None,
        {year: spend[year].total if year in spend else 0.0 for year, *_ in choice.years},
    )


def move_weeks(choice: Choice, before: Schedule) -> dict[str, float]:
    """Each move as a scenario's ``delay`` in weeks: from the stage's start to the same date years later.

    52 weeks a year would land a day or two short (364 days), and a stage that starts early in a
    fiscal year would then spend in the year before the one the answer counted. Rounded up at the
    fourth decimal, so the delay's whole days reach that date.
    """
    import math

    starts = {t.id: before.date(t.earliest_start) for t in before.timings}
    found = {}
    for ident, years in choice.moved.items():
        start = starts[ident]
        assert start is not None  # a move is by fiscal years, so only a dated stage moves (_reach)
        found[ident] = math.ceil((_years_later(start, years) - start).days / 7 * 10_000) / 10_000
    return found


def quiet_highs(highspy: Any) -> Any:
    """A HiGHS instance, without the banner its constructor prints.

    The banner goes to the process's stdout, where it would corrupt the JSON output.
    """
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def closure(data: DeferralProblem, chosen: frozenset[int] | set[int]) -> set[int]:
    """``chosen`` with every predecessor they need."""
    return set(reachable(data.preds, chosen))


def why_infeasible(data: DeferralProblem) -> str:
    """Why what must be kept does not fit: each year its spend is over the envelope, in words."""
    must = data.spend(closure(data, data.must_stay))
    over = [(y, must[y], data.envelope[y]) for y in data.envelope if must[y] > data.envelope[y] + TOLERANCE]
    parts = [f"{year}: {money(spend)} against {money(limit)}" for year, spend, limit in over]
    return (
        "the stages that must be kept (done, in progress, mandatory or a group's preparation, with what "
        "they depend on) and the "
        f"budget lines already exceed the envelope in {'; '.join(parts)}; raise the envelope or review "
        "what is mandatory"
    )


def _choice(
    data: DeferralProblem, kept: set[int], proven: tuple[bool, bool], value: float, bound: float
) -> Choice:
    """The answer; ``proven`` says whether the goal value and the whole answer are proven optimal."""
    everything = set(range(len(data.stages)))
    before, after = data.spend(everything), data.spend(kept)
    deferred = sorted(everything - kept)
    blocked_by = {
        data.stages[i]: tuple(data.stages[p] for p in data.preds[i] if p not in kept) for i in deferred
    }
    served = [g for g, _, serving in data.goals if all(i in kept for i in serving)]
    return Choice(
        optimal=proven[1],
        value_proven=proven[0],
        objective=round(value, 6),
        bound=round(bound, 6),
        kept=tuple(data.stages[i] for i in sorted(kept)),
        deferred=tuple(data.stages[i] for i in deferred),
        goals_served=tuple(served),
        goals_lost=tuple(g for g, _, _ in data.goals if g not in served),
        years=tuple((year, data.envelope[year], before[year], after[year]) for year in sorted(data.envelope)),
        cost={data.stages[i]: sum(data.cost_by_year[i].values()) for i in everything},
        blocked_by=blocked_by,
    )
