"""Capacity: what stages ask of each resource, day by day, and levelling the plan (SPEC §11).

``levelled(plan, schedule)`` delays stages so that no resource is over its
capacity on any day, never starting a stage before the schedule it is given
allows (the plan as written, or the forecast). ``load(plan, schedule)`` is each
resource's demand and capacity per day, from which ``report capacity`` sums
months or quarters and RES001 finds over-allocation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from cio_kit.analysis import levelling
from cio_kit.analysis import schedule as scheduling
from cio_kit.analysis.calendars import EFFORT_LIMIT_DAYS, Team, Teams
from cio_kit.analysis.schedule import Schedule, Timing
from cio_kit.plan.graph import StageGraph
from cio_kit.plan.model import Plan

#: Schedules levelling may build: the reference plus improvements, fewer on large plans.
SCHEDULE_BUDGET = 3000
#: The same when a stage's length and bookings are found anew at each start it is tried at (working
#: calendars, effort-driven stages): each placement then costs many times a fixed one.
TIMED_SCHEDULE_BUDGET = 500
#: Work per levelling, in stage placements (budget × stages), so a 2,000-stage plan stays within seconds.
PLACEMENT_BUDGET = 40_000
#: A small plan's schedules cost far less a placement (each placement looks at what is booked, which
#: grows with the plan): budget × stages² within this, so a plan of 60 stages gets about 2,000
#: (and one of 30 the 3,000 of SCHEDULE_BUDGET, levelled within about a second).
SMALL_PLAN_BUDGET = 8_000_000
#: Work per levelling in resource-days booked (budget × booked days), for plans of few, long stages.
BOOKING_BUDGET = 3_000_000
#: Daily load and levelling hold a value per resource and day; past this many (a few hundred MiB)
#: they are refused rather than let a hostile plan exhaust memory (SPEC §15).
MAX_RESOURCE_DAYS = 20_000_000


class TooLarge(ValueError):
    """A plan whose resources × days are past :data:`MAX_RESOURCE_DAYS`."""


MAX_DAYS = 100 * 365
"""The longest span followed day by day: a century, far past any programme (a hostile plan asks 75)."""


def _check_size(resources: int, days: int) -> None:
    if days > MAX_DAYS:
        raise TooLarge(
            f"{days / 365.25:,.0f} years is past the century cio-kit follows day by day; "
            "shorten the stages or split the plan"
        )
    if resources * days > MAX_RESOURCE_DAYS:
        raise TooLarge(
            f"{resources:,} resources over {days:,} days is past the {MAX_RESOURCE_DAYS:,} "
            "resource-days cio-kit follows day by day; split the plan or shorten it"
        )


@dataclass(frozen=True)
class Levelled:
    """A plan's schedule before and after levelling."""

    before: Schedule
    """The schedule levelling started from."""
    after: Schedule
    """The levelled schedule."""
    delays: tuple[int, ...]
    """Days each stage starts later than before."""
    beyond_capacity: tuple[str, ...]
    """Stages that ask a resource for more than it has on a working day: levelling cannot help them."""


@dataclass(frozen=True)
class ResourceLoad:
    """One resource's capacity and demand per day (people), from day 0."""

    id: str
    """Resource id."""
    capacity: list[Fraction]
    """People available on each day."""
    demand: list[Fraction]
    """People the stages ask for on each day."""

    def overloaded(self) -> list[int]:
        """Days on which demand exceeds capacity."""
        over, last, verdict = [], None, False
        for day, asked in enumerate(self.demand):
            pair = (asked, self.capacity[day])
            if pair != last:  # runs of equal days are compared once
                last, verdict = pair, asked > self.capacity[day]
            if verdict:
                over.append(day)
        return over


def has_effort(plan: Plan) -> bool:
    """Whether any live stage asks a resource for time."""
    return bool(plan.resources) and any(stage.effort and stage.status != "cancelled" for stage in plan.stages)


def _pinned(plan: Plan, schedule: Schedule, number: int) -> bool:
    """A started stage in a forecast keeps its dates: levelling does not move history."""
    return schedule.status_date is not None and plan.stages[number].status in ("done", "in-progress")


def _bookings(
    plan: Plan, teams: Teams, number: int, start: int, finish: int
) -> list[tuple[str, Fraction, int, int]]:
    stage = plan.stages[number]
    if not stage.effort or stage.status == "cancelled" or stage.kind == "milestone":
        return []
    return teams.bookings(stage, start, finish)


def load(plan: Plan, schedule: Schedule, *, days: int | None = None) -> list[ResourceLoad]:
    """Capacity and demand per resource and day, over the schedule's span or the first ``days`` days."""
    teams = Teams(plan)
    end = days if days is not None else max(schedule.finish, 1)
    _check_size(len(teams.teams), end)
    # Demand changes only where a booking starts or ends: add up those changes, then carry the
    # running sum over the days between (a few exact additions, not one per day).
    changes: dict[str, dict[int, Fraction]] = {name: {} for name in teams.teams}
    for number, timing in enumerate(schedule.timings):
        start, finish = timing.earliest_start, timing.earliest_finish
        for name, amount, first, last in _bookings(plan, teams, number, start, finish):
            steps = changes[name]
            begin, stop = start + first, min(start + last, end)
            if begin < stop:
                steps[begin] = steps.get(begin, Fraction(0)) + amount
                steps[stop] = steps.get(stop, Fraction(0)) - amount
    loads = []
    for name, team in teams.teams.items():
        capacity = team.capacity_row(end)
        demand: list[Fraction] = [Fraction(0)] * end
        running, steps = Fraction(0), changes[name]
        days_changed = sorted(steps)
        for at, day in enumerate(days_changed):
            if day >= end:
                break
            running += steps[day]
            following = days_changed[at + 1] if at + 1 < len(days_changed) else end
            for each in range(day, min(following, end)):
                if capacity[each]:  # no demand on a day off
                    demand[each] = running
        loads.append(ResourceLoad(name, capacity, demand))
    return loads


def _hundredths(team: Team, horizon: int) -> list[int]:
    """A resource's capacity in hundredths of a person (rounded down) on each day up to ``horizon``."""
    whole = math.floor(team.capacity * 100)
    return [whole if people else 0 for people in team.capacity_row(horizon)]


def levelled(plan: Plan, schedule: Schedule, *, budget: int | None = None) -> Levelled:
    """Delay stages until no resource is over capacity on any day (SPEC §11)."""
    teams = Teams(plan)
    graph = StageGraph.build(plan.stages)
    index = {name: number for number, name in enumerate(teams.teams)}
    timings = schedule.timings
    count = len(plan.stages)
    # Levelling can at worst run every staffed stage one after another; it rarely needs a tenth of
    # that, so the days are laid out for three times the plan and doubled when a stage runs past them.
    effort_days = sum(t.days for t, stage in zip(timings, plan.stages, strict=True) if stage.effort)
    longest = max((t.days for t in timings), default=0)
    bound = schedule.finish + effort_days + EFFORT_LIMIT_DAYS + 1
    horizon = min(bound, 3 * schedule.finish + longest + EFFORT_LIMIT_DAYS + 1)
    pinned = {number for number in range(count) if _pinned(plan, schedule, number)}
    beyond: set[int] = set()
    for number, timing in enumerate(timings):
        for name, amount, *_ in _bookings(plan, teams, number, timing.earliest_start, timing.earliest_finish):
            if amount > teams.teams[name].capacity:
                beyond.add(number)
    placement = _Placement(plan, teams, timings, index, pinned, beyond)
    constant = _constant_demands(plan, teams, timings, index, pinned | beyond, bound)
    budget = budget if budget is not None else _default_budget(plan, timings, timed=constant is None)
    used = {name for stage in plan.stages if stage.status != "cancelled" for name in stage.effort or {}}
    while True:
        capacity = _capacity_rows(teams, used, horizon)
        problem = levelling.LevellingProblem(
            durations=[t.days for t in timings],
            predecessors=graph.preds,
            demands=constant or [[] for _ in range(count)],
            capacity=capacity,
            release=[t.earliest_start for t in timings],
            priority=[stage.priority for stage in plan.stages],
            timing=None if constant else placement.timing,
            held=_held(plan, teams, timings, pinned, capacity, index, horizon),
        )
        try:
            result = levelling.level(problem, budget=budget)
            break
        except levelling.Unschedulable as stuck:
            if horizon < bound:
                horizon = min(bound, 2 * horizon)
            else:  # it fits nowhere (the calendar ends first): leave it where it was, and name it
                beyond.add(stuck.activity)
                if constant is not None:
                    constant[stuck.activity] = []
    after = scheduling.compute(plan, graph, forecast=schedule.status_date is not None, floors=result.starts)
    delays = tuple(
        max(0, new.earliest_start - old.earliest_start)
        for new, old in zip(after.timings, timings, strict=True)
    )
    return Levelled(schedule, after, delays, tuple(plan.stages[n].id for n in sorted(beyond)))


class _Placement:
    """Where and with what a stage asks for its resources when levelling starts it on a given day."""

    def __init__(
        self,
        plan: Plan,
        teams: Teams,
        timings: Sequence[Timing],
        index: dict[str, int],
        pinned: set[int],
        beyond: set[int],
    ) -> None:
        self.plan, self.teams, self.timings, self.index = plan, teams, timings, index
        self.pinned, self.beyond = pinned, beyond

    def timing(self, number: int, earliest: int) -> tuple[int, int, list[levelling.Booking]] | None:
        """Start, length and bookings of stage ``number`` started at or after ``earliest``; None: nowhere."""
        stage = self.plan.stages[number]
        if number in self.pinned or number in self.beyond:
            timing = self.timings[number]
            return timing.earliest_start, timing.days, []
        start, finish = earliest, earliest + self.timings[number].days
        if stage.effort_driven:
            span = self.teams.effort_span(stage, earliest)
            start, finish = span or (earliest, earliest)
        else:
            # A window in which a resource it needs has no working day cannot take its effort:
            # start instead on that resource's next working day (none before the calendar ends:
            # it fits nowhere).
            for name in stage.effort or {}:
                days = self.teams.teams[name].days
                while not days.count(start, finish):
                    if start > days.last:
                        return None
                    start, finish = start + 1, finish + 1
        booked = _bookings(self.plan, self.teams, number, start, finish)
        return (
            start,
            finish - start,
            [
                (self.index[name], math.ceil(amount * 100), first, last)
                for name, amount, first, last in booked
            ],
        )


def _constant_demands(
    plan: Plan, teams: Teams, timings: Sequence[Timing], index: dict[str, int], fixed: set[int], bound: int
) -> list[list[tuple[int, int]]] | None:
    """Each stage's demands when they do not depend on its start; None when they may.

    Without calendars and effort-driven stages a stage asks the same of its resources wherever
    it starts: the engine can then take fixed demands, and forward-backward improvement with them.
    """
    calendar_end = (dt.date.max - plan.enterprise.plan_start).days if plan.enterprise.plan_start else 0
    if (
        any(team.days.calendar is not None for team in teams.teams.values())
        or any(stage.effort_driven for stage in plan.stages)
        or bound > calendar_end  # near 9999-12-31 the days left change what a stage asks
    ):
        return None
    constant = []
    for number, timing in enumerate(timings):
        booked = (
            []
            if number in fixed
            else _bookings(plan, teams, number, timing.earliest_start, timing.earliest_finish)
        )
        constant.append([(index[name], math.ceil(amount * 100)) for name, amount, *_ in booked])
    return constant


def _default_budget(plan: Plan, timings: Sequence[Timing], *, timed: bool = False) -> int:
    """How many schedules levelling may try: fewer on a large, heavily booked or ``timed`` plan."""
    booked_days = sum(
        len(stage.effort or {}) * max(timing.days, 1)
        for stage, timing in zip(plan.stages, timings, strict=True)
        if stage.status != "cancelled"
    )
    count = max(len(plan.stages), 1)
    placements = max(PLACEMENT_BUDGET // count, SMALL_PLAN_BUDGET // count**2)
    most = TIMED_SCHEDULE_BUDGET if timed else SCHEDULE_BUDGET
    return max(1, min(most, placements, BOOKING_BUDGET // max(booked_days, 1)))


def _capacity_rows(teams: Teams, used: set[str], horizon: int) -> list[list[int]]:
    """Each resource's capacity per day over ``horizon`` days, in hundredths of a person.

    Integer hundredths of a person (SPEC §11 allows them): capacity rounded down, demand up,
    so a schedule that fits in hundredths fits exactly, and integers compare fast. Resources
    with the same calendar and capacity share one row; resources nobody asks for get none.
    """
    rows: dict[tuple[int, int], list[int]] = {}
    for name in used:
        team = teams.teams[name]
        rows.setdefault((id(team.days), math.floor(team.capacity * 100)), [])
    _check_size(len(rows), horizon)
    capacity = []
    for name, team in teams.teams.items():
        key = (id(team.days), math.floor(team.capacity * 100))
        if name in used and not rows[key]:
            rows[key] = _hundredths(team, horizon)
        capacity.append(rows[key] if name in used else [])
    return capacity


def _held(
    plan: Plan,
    teams: Teams,
    timings: Sequence[Timing],
    pinned: set[int],
    capacity: list[list[int]],
    index: dict[str, int],
    horizon: int,
) -> list[dict[int, int]]:
    """What work under way holds of each resource, day by day: it keeps its people on its own days."""
    held: list[dict[int, int]] = [{} for _ in capacity]
    for number in pinned:
        timing = timings[number]
        for name, amount, first, last in _bookings(
            plan, teams, number, timing.earliest_start, timing.earliest_finish
        ):
            row, taken = capacity[index[name]], held[index[name]]
            for day in range(timing.earliest_start + first, min(timing.earliest_start + last, horizon)):
                if row[day]:
                    taken[day] = taken.get(day, 0) + math.ceil(amount * 100)
    return held


@dataclass(frozen=True)
class Period:
    """One month or quarter of one resource."""

    period: str
    """``2027-03`` or ``2027-Q2``."""
    capacity_days: Fraction
    """Person-days available."""
    demand_days: Fraction
    """Person-days asked for."""
    overloaded: bool
    """Demand exceeds capacity on some day of the period."""
    peak: Fraction
    """The highest day's demand over capacity (0 when no day has capacity)."""

    @property
    def load(self) -> float | None:
        """Demand over capacity (None when there is no capacity)."""
        return float(self.demand_days / self.capacity_days) if self.capacity_days else None


def periods(labels: list[str], row: ResourceLoad) -> list[Period]:
    """A resource's days summed into periods; ``labels`` names the period of each day."""
    sums: dict[str, list[Fraction]] = {}
    zero = Fraction(0)
    for day, available in enumerate(row.capacity):
        total = sums.get(labels[day])
        if total is None:
            total = sums[labels[day]] = [zero, zero, zero]
        asked = row.demand[day]
        total[0] += available
        if asked:
            total[1] += asked
            if available:
                total[2] = max(total[2], asked / available)
    return [Period(name, cap, asked, peak > 1, peak) for name, (cap, asked, peak) in sums.items()]


def personnel_estimates(plan: Plan) -> dict[str, float]:
    """Day rate × effort per stage that has effort and no ``personnel`` budget line (SPEC §11).

    An estimate to show beside the budgets, never added to them: a stage that
    already budgets its people keeps its own figure, so nothing is counted twice.
    """
    rates = {
        resource.id: resource.day_rate for resource in plan.resources or [] if resource.day_rate is not None
    }
    estimates: dict[str, float] = {}
    for stage in plan.stages:  # (a milestone has no effort: PLAN002)
        if not stage.effort or stage.status == "cancelled":
            continue
        if any(item.category == "personnel" for item in stage.budget):
            continue
        amount = sum(days * rates[name] for name, days in stage.effort.items() if name in rates)
        if amount:
            estimates[stage.id] = amount
    return estimates
