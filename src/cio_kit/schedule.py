"""Critical path method over the stage graph, in whole days (SPEC §6).

Durations are converted once to integer days, so two equal paths are exactly
equal and "critical" needs no tolerance. Day 0 is ``plan_start``; a stage
occupies ``[start, finish)`` and dependencies are finish-to-start. The rules
(DEP005, STRAT005) and the reports use this same schedule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cio_kit.graph import StageGraph
from cio_kit.model import Plan


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


def compute(plan: Plan, graph: StageGraph | None = None) -> Schedule:
    """The schedule of the plan as written (requires an acyclic graph)."""
    graph = graph or StageGraph.build(plan.stages)
    order = graph.topological_order()
    if order is None:
        raise ValueError("the stage graph has a cycle; DEP001 must be fixed first")
    stages = plan.stages
    count = len(stages)
    days = [stage.days for stage in stages]
    earliest = [0] * count
    drivers: list[int | None] = [None] * count
    for node in order:
        stage = stages[node]
        start = 0
        for floor in (_offset(plan, stage.not_before), _offset(plan, stage.date)):
            if floor is not None and floor > start:
                start = floor
        # The driver is the predecessor finishing last (the first in file
        # order on a tie), unless a date constraint starts the stage later.
        driver = None
        latest = -1
        for pred in graph.preds[node]:
            finish = earliest[pred] + days[pred]
            if finish > latest:
                driver, latest = pred, finish
        if driver is not None and latest >= start:
            start = latest
        else:
            driver = None
        earliest[node] = start
        drivers[node] = driver
    finish = max((earliest[n] + days[n] for n in range(count)), default=0)
    latest_finish = [finish] * count
    for node in reversed(order):
        for succ in graph.succs[node]:
            latest_start_succ = latest_finish[succ] - days[succ]
            if latest_start_succ < latest_finish[node]:
                latest_finish[node] = latest_start_succ
    levels = graph.waves()
    wave_of = [0] * count
    for number, members in enumerate(levels, start=1):
        for node in members:
            wave_of[node] = number
    timings = []
    for node, stage in enumerate(stages):
        ef = earliest[node] + days[node]
        succs = graph.succs[node]
        free = min(earliest[s] for s in succs) - ef if succs else finish - ef
        total = latest_finish[node] - days[node] - earliest[node]
        driver = drivers[node]
        timings.append(
            Timing(
                index=node,
                id=stage.id,
                wave=wave_of[node],
                days=days[node],
                earliest_start=earliest[node],
                earliest_finish=ef,
                latest_start=latest_finish[node] - days[node],
                latest_finish=latest_finish[node],
                free_float=free,
                critical=total == 0 and stage.status != "cancelled",
                driver=stages[driver].id if driver is not None else None,
            )
        )
    return Schedule(
        plan_start=plan.enterprise.plan_start,
        finish=finish,
        timings=tuple(timings),
        critical_path=_critical_path(timings, graph, finish),
        waves=tuple(tuple(graph.ids[n] for n in members) for members in levels),
    )


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
