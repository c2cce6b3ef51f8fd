"""Critical path method over the stage graph, in whole days (SPEC §6).

Durations are converted once to integer days, so two equal paths are exactly
equal and "critical" needs no tolerance. Day 0 is ``plan_start``; a stage
occupies ``[start, finish)`` and dependencies are finish-to-start. The rules
(DEP005, STRAT005) and the reports use this same schedule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cio_kit.analysis.calendars import Teams
from cio_kit.plan.graph import StageGraph
from cio_kit.plan.model import Plan, Stage


@dataclass(frozen=True)
class Timing:
    """When one stage runs, and how much it may slip."""

    index: int
    """Position of the stage in the plan's ``stages`` list."""
    id: str
    """Stage id."""
    wave: int
    """Topological generation, from 1."""
    days: int
    """Duration in whole days (0 for milestones and cancelled stages)."""
    earliest_start: int
    """Forward pass: first day the stage can start."""
    earliest_finish: int
    """``earliest_start + days``."""
    latest_start: int
    """Backward pass: last day it can start without moving the project finish."""
    latest_finish: int
    """``latest_start + days``."""
    free_float: int
    """Days it can slip without delaying any successor."""
    critical: bool
    """Zero total float (never for a cancelled stage)."""
    driver: str | None
    """The predecessor whose finish sets the earliest start, if one does."""
    deadline_float: int | None = None
    """Days the stage can slip before it, or something after it, misses a date (SPEC §10).

    The latest start of a backward pass in which each stage's finish is also
    capped by its own ``deadline``, a fixed milestone ``date`` and the ``due``
    of every goal it serves, minus the earliest start. Negative: a date will
    be missed. None when no date constrains the stage or what follows it, and
    for a stage that is done in a forecast.
    """
    cancelled: bool = False
    """The stage is cancelled: it takes no time and meets no date."""
    settled: bool = False
    """Done in a forecast: its dates are history, so it has no float and is never critical."""

    @property
    def total_float(self) -> int:
        """Days it can slip without moving the project finish."""
        return self.latest_start - self.earliest_start

    @property
    def last_day(self) -> int:
        """Day number of the last day of work: ``earliest_finish - 1``; a milestone's own day."""
        return self.earliest_finish - 1 if self.days > 0 else self.earliest_start


@dataclass(frozen=True)
class Schedule:
    """The computed schedule of a plan."""

    plan_start: dt.date | None
    """Day 0, or None when the plan has no ``plan_start`` (weeks only)."""
    finish: int
    """Project finish, in days from day 0."""
    timings: tuple[Timing, ...]
    """One timing per stage, in file order."""
    critical_path: tuple[str, ...]
    """One chain of critical stages ending at the project finish."""
    waves: tuple[tuple[str, ...], ...]
    """Stage ids by topological generation."""
    status_date: dt.date | None = None
    """Set when this is a forecast from ``status_date``."""

    def date(self, day: int) -> dt.date | None:
        """The calendar date of ``day``, or None without ``plan_start``."""
        if self.plan_start is None:
            return None
        return self.plan_start + dt.timedelta(days=day)

    def last_day(self, timing: Timing) -> dt.date | None:
        """The stage's last day: the day before its finish, or a milestone's own date."""
        return self.date(timing.last_day)

    @property
    def last_day_number(self) -> int:
        """The project's last day of work (day number): the latest last day of a live stage."""
        live = [t.last_day for t in self.timings if not t.cancelled]
        return max(live, default=max(self.finish - 1, 0))

    @property
    def project_last_day(self) -> dt.date | None:
        """The project's last day of work as a date (None without ``plan_start``)."""
        return self.date(self.last_day_number)


def _offset(plan: Plan, when: dt.date | None) -> int | None:
    start = plan.enterprise.plan_start
    if when is None or start is None:
        return None
    return (when - start).days


def compute(
    plan: Plan,
    graph: StageGraph | None = None,
    *,
    forecast: bool = False,
    floors: Sequence[int] | None = None,
) -> Schedule:
    """The schedule of the plan: as written, or as forecast from ``status_date``.

    Requires an acyclic graph (DEP001 is blocking) and, for a forecast, a
    ``status_date``: done stages keep their actual dates, in-progress stages
    run for their remaining share from ``status_date``, and nothing that has
    not started starts before it (SPEC §6, §9). ``floors`` are further earliest
    starts per stage (day numbers), as levelling sets them. An effort-driven
    stage starts on a working day and lasts as its resources need (SPEC §11).
    """
    graph = graph or StageGraph.build(plan.stages)
    order = graph.topological_order()
    if order is None:
        raise ValueError("the stage graph has a cycle; DEP001 must be fixed first")
    status = _offset(plan, plan.enterprise.status_date) if forecast else None
    if forecast and status is None:
        raise ValueError("a forecast needs enterprise.status_date and enterprise.plan_start")
    stages = plan.stages
    earliest, finishes, drivers = _forward_pass(plan, graph, order, status, floors)
    project_finish = max(finishes, default=0)
    latest_finish = [project_finish] * len(stages)
    for node in reversed(order):
        for succ in graph.succs[node]:
            latest_start_succ = latest_finish[succ] - (finishes[succ] - earliest[succ])
            if latest_start_succ < latest_finish[node]:
                latest_finish[node] = latest_start_succ
    levels = graph.waves()
    wave_of = [0] * len(stages)
    for number, members in enumerate(levels, start=1):
        for node in members:
            wave_of[node] = number
    spans = [finishes[node] - earliest[node] for node in range(len(stages))]
    capped = _date_capped_finishes(plan, graph, order, spans)
    timings = []
    for node, stage in enumerate(stages):
        span = spans[node]
        succs = graph.succs[node]
        free = (min(earliest[s] for s in succs) if succs else project_finish) - finishes[node]
        total = latest_finish[node] - finishes[node]
        driver = drivers[node]
        settled = status is not None and stage.status == "done"
        cap = capped[node]
        timings.append(
            Timing(
                index=node,
                id=stage.id,
                wave=wave_of[node],
                days=span,
                earliest_start=earliest[node],
                earliest_finish=finishes[node],
                latest_start=latest_finish[node] - span,
                latest_finish=latest_finish[node],
                free_float=free,
                critical=total == 0 and stage.status != "cancelled" and not settled,
                driver=stages[driver].id if driver is not None else None,
                deadline_float=None
                if cap is None or settled or stage.status == "cancelled"
                else cap - span - earliest[node],
                cancelled=stage.status == "cancelled",
                settled=settled,
            )
        )
    return Schedule(
        plan_start=plan.enterprise.plan_start,
        finish=project_finish,
        timings=tuple(timings),
        critical_path=_critical_path(timings, graph, project_finish),
        waves=tuple(tuple(graph.ids[n] for n in members) for members in levels),
        status_date=plan.enterprise.status_date if forecast else None,
    )


def _forward_pass(
    plan: Plan, graph: StageGraph, order: Sequence[int], status: int | None, floors: Sequence[int] | None
) -> tuple[list[int], list[int], list[int | None]]:
    """Each stage's earliest start and finish, and the predecessor that drives its start (CPM)."""
    stages = plan.stages
    count = len(stages)
    earliest = [0] * count
    finishes = [0] * count
    drivers: list[int | None] = [None] * count
    day0 = plan.enterprise.plan_start
    preds = graph.preds
    capacity = None
    if day0 is not None and plan.resources and any(stage.effort_driven for stage in stages):
        capacity = Teams(plan)
    taken = taken_decisions(plan)
    for node in order:
        stage = stages[node]
        start = _floor(plan, stage, 0 if floors is None else floors[node], status, taken)
        # The driver is the predecessor finishing last (the first in file
        # order on a tie), unless a date constraint starts the stage later.
        driver = None
        latest = -1
        for pred in preds[node]:
            if finishes[pred] > latest:
                driver, latest = pred, finishes[pred]
        if driver is not None and latest >= start:
            start = latest
        else:
            driver = None
        finish = start + stage.days
        if capacity is not None and stage.effort_driven:
            # Past the limit (RES003) the stage is shown without length rather than scheduled forever.
            start, finish = capacity.effort_span(stage, start) or (start, start)
        if status is not None:
            actual = _actual_span(plan, stage, start, status)
            if actual is not None:
                (start, finish), driver = actual, None
        earliest[node], finishes[node], drivers[node] = start, finish, driver
    return earliest, finishes, drivers


def taken_decisions(plan: Plan) -> dict[str, dt.date]:
    """The day each taken decision was taken, by id."""
    return {d.id: d.taken for d in plan.decisions or () if d.status == "taken" and d.taken is not None}


def start_floors(plan: Plan, stage: Stage, taken: Mapping[str, dt.date] | None = None) -> list[dt.date]:
    """The dates a stage may not start before, whatever its stage predecessors.

    Its ``not_before``, a milestone's ``date``, and each decision it depends on
    that was taken, on the day it was taken (SPEC §17). An open decision holds
    its successors at the status date, where a forecast holds everything that
    has not started anyway. ``taken`` is ``taken_decisions(plan)`` when a caller
    asks for every stage (built once, not once per stage).
    """
    dates = [when for when in (stage.not_before, stage.date) if when is not None]
    if plan.decisions and stage.depends_on:
        taken = taken_decisions(plan) if taken is None else taken
        dates += [taken[ref] for ref in stage.depends_on if ref in taken]
    return dates


def _floor(plan: Plan, stage: Stage, start: int, status: int | None, taken: Mapping[str, dt.date]) -> int:
    """The earliest day a stage may start whatever its predecessors: its dates, and the status date."""
    day0 = plan.enterprise.plan_start
    if day0 is not None:
        for when in start_floors(plan, stage, taken):
            if (when - day0).days > start:
                start = (when - day0).days
    if status is not None and status > start and stage.status not in ("done", "in-progress"):
        start = status
    return start


def date_caps(plan: Plan) -> list[int | None]:
    """Per stage, the latest finish its own dates allow (day numbers), or None (SPEC §10).

    The caps are a stage's ``deadline``, a milestone's fixed ``date`` and the
    ``due`` of every goal it serves. All are last days, so a stage with a
    duration must finish by the day after; a milestone finishes on its date.
    Cancelled stages meet no date.
    """
    start = plan.enterprise.plan_start
    caps: list[int | None] = [None] * len(plan.stages)
    if start is None:
        return caps
    due = {goal.id: goal.due for goal in plan.goals or [] if goal.due is not None}
    for node, stage in enumerate(plan.stages):
        if stage.status == "cancelled":
            continue
        if stage.deadline is None and stage.date is None and not (due and stage.serves):
            continue  # the common case: nothing dates this stage
        dates = [stage.deadline, stage.date, *(due.get(goal) for goal in stage.serves)]
        limits = [(when - start).days for when in dates if when is not None]
        if limits:
            caps[node] = min(limits) + (0 if stage.kind == "milestone" else 1)
    return caps


def _date_capped_finishes(
    plan: Plan, graph: StageGraph, order: list[int], spans: list[int]
) -> list[int | None]:
    """Backward pass over the date caps alone: the latest finish no date after it forbids."""
    capped = date_caps(plan)
    for node in reversed(order):
        for succ in graph.succs[node]:
            after = capped[succ]
            if after is not None:
                limit = after - spans[succ]
                mine = capped[node]
                if mine is None or limit < mine:
                    capped[node] = limit
    return capped


def _actual_span(plan: Plan, stage: Stage, planned_start: int, status: int) -> tuple[int, int] | None:
    """Start and finish of a stage that has started, from its actuals (forecast only)."""
    if stage.status == "done":
        start = _offset(plan, stage.actual_start)
        finish = _offset(plan, stage.actual_finish)
        if finish is not None:
            finish += 1  # the finish is the day after the last day
        else:
            finish = min(planned_start + stage.days, status)
        if start is None:
            start = max(0, min(planned_start, finish - stage.days))
        return start, max(start, finish)
    if stage.status == "in-progress":
        done_share = Fraction(Decimal(repr(stage.percent_complete))) / 100
        remaining = int(7 * stage.weeks * (1 - done_share) + Fraction(1, 2))
        start = _offset(plan, stage.actual_start)
        if start is None:
            start = min(planned_start, status)
        return start, max(start, status + remaining)
    return None


def _critical_path(timings: list[Timing], graph: StageGraph, finish: int) -> tuple[str, ...]:
    """Follow zero-float links from the first unconstrained critical stage to the finish."""

    def set_by_pred(timing: Timing) -> bool:
        return any(timings[p].earliest_finish == timing.earliest_start for p in graph.preds[timing.index])

    start = next((t for t in timings if t.critical and not set_by_pred(t)), None)
    if start is None:
        return ()
    path = [start]
    current = start
    while current.earliest_finish != finish or any(
        timings[s].total_float == 0 and timings[s].earliest_start == finish
        for s in graph.succs[current.index]
    ):
        nxt = next(
            (
                timings[s]
                for s in graph.succs[current.index]
                if timings[s].total_float == 0 and timings[s].earliest_start == current.earliest_finish
            ),
            None,
        )
        if nxt is None:
            break
        path.append(nxt)
        current = nxt
    # SPEC §15: the chain may pass through a cancelled stage but never ends at one.
    while path and path[-1].cancelled:
        path.pop()
    return tuple(t.id for t in path)
