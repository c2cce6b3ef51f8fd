"""The capacity report: each resource's load per month or quarter, and what levelling did (SPEC §11).

Periods run from ``plan_start`` to the last day of the later schedule, so the
plan as written and the levelled plan are summed over the same months.
Quarters are fiscal quarters, as in ``report budget``. Person-days and loads
are exact until they are shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from cio_kit.analysis.calendars import exact
from cio_kit.analysis.capacity import MAX_DAYS, Levelled, Period, ResourceLoad, TooLarge, load, periods
from cio_kit.analysis.schedule import Schedule
from cio_kit.analysis.spend import fiscal_quarter_period
from cio_kit.plan.model import Plan
from cio_kit.situation import Situation


@dataclass(frozen=True)
class ResourceCapacity:
    """One resource over the periods."""

    id: str
    """Resource id."""
    name: str | None
    """What the resource is."""
    capacity: float
    """Full-time people."""
    periods: list[Period]
    """Capacity and demand per period, in the schedule reported."""
    unlevelled: list[Period]
    """The same periods in the plan before levelling."""
    effort_days: Fraction
    """Person-days asked of it by live stages."""
    day_rate: float | None
    """Cost of a person-day, when known."""

    @property
    def overloaded_periods(self) -> list[str]:
        """Periods with a day over capacity, in the schedule reported."""
        return [period.period for period in self.periods if period.overloaded]

    @property
    def estimate(self) -> float | None:
        """Day rate × effort: an estimate of personnel cost, never part of a budget total."""
        return None if self.day_rate is None else float(self.effort_days) * self.day_rate


@dataclass(frozen=True)
class CapacityReport:
    """Everything ``report capacity`` shows."""

    plan: str
    """Enterprise name."""
    currency: str
    """The plan's currency, for the day-rate estimate."""
    by: str
    """``month`` or ``quarter``."""
    levelled: bool
    """Whether the schedule reported is levelled."""
    before: Schedule
    """The schedule before levelling."""
    after: Schedule
    """The schedule reported (the same as ``before`` without levelling)."""
    resources: list[ResourceCapacity]
    """One row per resource, in file order."""
    delays: list[tuple[str, int]]
    """(stage id, days levelling delayed it), in file order."""
    beyond_capacity: tuple[str, ...]
    """Stages that ask a resource for more than it has: levelling cannot help them."""
    basis: str = "as-written"
    """``forecast`` or ``as-written`` (SPEC §16)."""
    described: str = "the plan as written"
    """The basis in words, for the first line of the text view."""


def _label(plan: Plan, by: str) -> Callable[[dt.date], str]:
    if by == "quarter":
        period = fiscal_quarter_period(plan)
        return lambda day: period(day)[0]
    return lambda day: day.strftime("%Y-%m")


def capacity_report(situation: Situation, *, by: str = "month") -> CapacityReport:
    """Load per resource and period on the situation's basis, before and (levelled) after levelling."""
    plan = situation.plan
    start = plan.enterprise.plan_start
    if start is None:
        raise ValueError("report capacity needs enterprise.plan_start")
    schedule = situation.unlevelled
    result: Levelled | None = situation.levelled if situation.level else None
    after = result.after if result else schedule
    span = max(schedule.last_day_number, after.last_day_number) + 1  # through a closing milestone's day
    if span > MAX_DAYS:  # checked before a label is made for each day
        raise TooLarge(
            f"the plan spans {span / 365.25:,.0f} years; report capacity sums people's time day by day "
            f"over at most {MAX_DAYS // 365} years: shorten the stages or split the plan"
        )
    label = _label(plan, by)
    labels = [label(start + dt.timedelta(days=day)) for day in range(span)]

    def summed(rows: list[ResourceLoad]) -> dict[str, list[Period]]:
        return {row.id: periods(labels, row) for row in rows}

    now = summed(load(plan, after, days=span))
    before = summed(load(plan, schedule, days=span)) if result else now
    effort: dict[str, Fraction] = {}
    for stage in plan.stages:
        if stage.status == "cancelled":  # (a milestone has no effort: PLAN002)
            continue
        for name, days in (stage.effort or {}).items():
            effort[name] = effort.get(name, Fraction(0)) + exact(days)
    resources = [
        ResourceCapacity(
            id=resource.id,
            name=resource.name,
            capacity=resource.capacity,
            periods=now[resource.id],
            unlevelled=before[resource.id],
            effort_days=effort.get(resource.id, Fraction(0)),
            day_rate=resource.day_rate,
        )
        for resource in plan.resources or []
    ]
    delays = [(stage.id, result.delays[n] if result else 0) for n, stage in enumerate(plan.stages)]
    return CapacityReport(
        plan=plan.enterprise.name,
        currency=plan.enterprise.currency,
        by=by,
        levelled=result is not None,
        before=schedule,
        after=after,
        resources=resources,
        delays=delays,
        beyond_capacity=result.beyond_capacity if result else (),
        basis=situation.basis,
        described=situation.described,
    )
