"""Critical path method over the stage graph, in whole days (SPEC §6).

Durations are converted once to integer days, so two equal paths are exactly
equal and "critical" needs no tolerance. Day 0 is ``plan_start``; a stage
occupies ``[start, finish)`` and dependencies are finish-to-start. The rules
(DEP005, STRAT005) and the reports use this same schedule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cio_kit.graph import StageGraph
from cio_kit.model import Plan, Stage


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

    @property
    def total_float(self) -> int:
        """Days it can slip without moving the project finish."""
        return self.latest_start - self.earliest_start


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
        day = timing.earliest_finish - 1 if timing.days > 0 else timing.earliest_start
        return self.date(day)


def _offset(plan: Plan, when: dt.date | None) -> int | None:
    start = plan.enterprise.plan_start
    if when is None or start is None:
        return None
    return (when - start).days


def compute(plan: Plan, graph: StageGraph | None = None, *, forecast: bool = False) -> Schedule:
    """The schedule of the plan: as written, or as forecast from ``status_date``.

    Requires an acyclic graph (DEP001 is blocking) and, for a forecast, a
    ``status_date``: done stages keep their actual dates, in-progress stages
    run for their remaining share from ``status_date``, and nothing that has
    not started starts before it (SPEC §6, §9).
    """
    graph = graph or StageGraph.build(plan.stages)
    order = graph.topological_order()
    if order is None:
        raise ValueError("the stage graph has a cycle; DEP001 must be fixed first")
    status = _offset(plan, plan.enterprise.status_date) if forecast else None
    if forecast and status is None:
        raise ValueError("a forecast needs enterprise.status_date and enterprise.plan_start")
    stages = plan.stages
    count = len(stages)
    earliest = [0] * count
    finishes = [0] * count
    drivers: list[int | None] = [None] * count
    for node in order:
        stage = stages[node]
        start = 0
        floors = [_offset(plan, stage.not_before), _offset(plan, stage.date)]
        if status is not None and stage.status not in ("done", "in-progress"):
            floors.append(status)
        for floor in floors:
            if floor is not None and floor > start:
                start = floor
        # The driver is the predecessor finishing last (the first in file
        # order on a tie), unless a date constraint starts the stage later.
        driver = None
        latest = -1
        for pred in graph.preds[node]:
            if finishes[pred] > latest:
                driver, latest = pred, finishes[pred]
        if driver is not None and latest >= start:
            start = latest
        else:
            driver = None
        finish = start + stage.days
        if status is not None:
            actual = _actual_span(plan, stage, start, status)
            if actual is not None:
                (start, finish), driver = actual, None
        earliest[node], finishes[node], drivers[node] = start, finish, driver
    project_finish = max(finishes, default=0)
    latest_finish = [project_finish] * count
    for node in reversed(order):
        for succ in graph.succs[node]:
            latest_start_succ = latest_finish[succ] - (finishes[succ] - earliest[succ])
            if latest_start_succ < latest_finish[node]:
                latest_finish[node] = latest_start_succ
    levels = graph.waves()
    wave_of = [0] * count
    for number, members in enumerate(levels, start=1):
        for node in members:
            wave_of[node] = number
    timings = []
    for node, stage in enumerate(stages):
        span = finishes[node] - earliest[node]
        succs = graph.succs[node]
        free = (min(earliest[s] for s in succs) if succs else project_finish) - finishes[node]
        total = latest_finish[node] - finishes[node]
        driver = drivers[node]
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
                critical=total == 0 and stage.status != "cancelled",
                driver=stages[driver].id if driver is not None else None,
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
    return tuple(t.id for t in path)
