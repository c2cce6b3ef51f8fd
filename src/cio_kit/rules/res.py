"""People's time: over-allocation, levelling and effort that never ends (RES001–RES003, SPEC §11).

These rules need ``resources`` and stages with ``effort`` (and so
``enterprise.plan_start``); a plan without them is not checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING

from cio_kit.analysis.schedule import date_caps
from cio_kit.findings import Draft, Severity
from cio_kit.rules.context import Context
from cio_kit.rules.registry import rule

if TYPE_CHECKING:
    from cio_kit.analysis.capacity import ResourceLoad

#: How many over-allocated months a RES001 message names.
MONTHS_SHOWN = 4


def _peak(row: ResourceLoad, days: list[int]) -> tuple[int, float]:
    """The first of ``days`` with the highest demand over capacity, and that share."""
    best_day, best, last = days[0], Fraction(0), None
    for day in days:
        pair = (row.demand[day], row.capacity[day])
        if pair == last:  # a run of equal days: the first of it already counted
            continue
        last = pair
        share = Fraction(pair[0]) / pair[1]
        if share > best:
            best_day, best = day, share
    return best_day, float(best)


def _months(day0: dt.date, days: list[int]) -> list[str]:
    """The months (``2027-05``) the sorted day numbers fall in, working out one date per month."""
    months: list[str] = []
    next_month = -1
    for day in days:
        if day < next_month:
            continue
        date = day0 + dt.timedelta(days=day)
        months.append(f"{date.year:04d}-{date.month:02d}")
        if date.year == dt.MAXYEAR and date.month == 12:
            break  # the calendar's last month: no later day can start another
        following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        next_month = (following - day0).days
    return months


def _people(value: float) -> str:
    return f"{round(value, 2):g}"


def over_allocated(ctx: Context) -> Iterator[Draft]:
    """A resource is asked for more people than it has on some days, in the plan as written.

    What it checks:
        For each resource, the stages' demand on each working day (effort
        spread evenly over a stage's working days, or the full team for an
        effort-driven stage) is at most the resource's capacity. One finding
        per resource names the months with over-allocated days and the peak.

    Why it matters:
        A CIO's scarcest resource is people, not money. A plan that asks the
        same six ERP consultants to run three builds at once will slip, and
        the slip will land on the go-live the board was promised (Lesson 2:
        the driver plans the road, not only the fuel).

    Example:
        resources: [{id: R-ERP, capacity: 6}]
        stages:
          - {id: S-FIN-BUILD, duration_weeks: 4, effort: {R-ERP: 100}, ...}
          - {id: S-SCM-BUILD, duration_weeks: 4, effort: {R-ERP: 80}, ...}
          # 9 people a day wanted from a team of 6

    Fix:
        Run `cio-kit report capacity --level` to see the over-allocated months
        and what levelling would delay; then move a stage, add people, or
        lower the effort with the team that will do it.

    """
    if ctx.plan.enterprise.plan_start is None or not ctx.plan.resources:
        return
    from cio_kit.analysis.capacity import TooLarge, has_effort, load

    if not has_effort(ctx.plan):
        return
    day0 = ctx.plan.enterprise.plan_start
    numbers = {resource.id: n for n, resource in enumerate(ctx.plan.resources)}
    try:
        rows = load(ctx.plan, ctx.schedule)
    except TooLarge:
        return  # past the size cio-kit follows day by day; report capacity says so
    for row in rows:
        over = row.overloaded()
        if not over:
            continue
        months = _months(day0, over)
        peak_day, peak = _peak(row, over)
        shown = ", ".join(months[:MONTHS_SHOWN])
        if len(months) > MONTHS_SHOWN:
            shown += f" and {len(months) - MONTHS_SHOWN} more"
        asked, available = _people(float(row.demand[peak_day])), _people(float(row.capacity[peak_day]))
        yield Draft(
            "RES001",
            ("resources", numbers[row.id], "id"),
            f"{row.id} is over-allocated on {len(over)} day{'s' if len(over) != 1 else ''} in {shown}; "
            f"the peak asks {asked} people of {available} "
            f"({peak:.0%}) on {day0 + dt.timedelta(days=peak_day)}; level the plan (report capacity --level) "
            "or change the effort",
            row.id,
        )


rule("RES001", "resource-over-allocated", Severity.WARNING, over_allocated)


def levelling_misses_date(ctx: Context) -> Iterator[Draft]:
    """Once levelled to the resources' capacity, a stage misses a date it must keep.

    What it checks:
        The plan is levelled (SPEC §11: stages are delayed until no resource
        is over capacity on any day). No stage may then finish after its
        deadline, a fixed milestone date or the due date of a goal it serves,
        where the plan before levelling met it.

    Why it matters:
        A date that holds only if the same people work two jobs at once does
        not hold. The board should hear it from the plan, not from the
        project in the month of the go-live.

    Example:
        resources: [{id: R-ERP, capacity: 6}]
        stages:
          - {id: S-FIN-BUILD, duration_weeks: 4, effort: {R-ERP: 100}, deadline: 2027-02-05, ...}
          - {id: S-SCM-BUILD, duration_weeks: 4, effort: {R-ERP: 80}, priority: 900, ...}

    Fix:
        Raise the priority of the stage with the date, add capacity to the
        resource, reduce the effort, or move the date with the sponsor's
        agreement.

    """
    day0 = ctx.plan.enterprise.plan_start
    if day0 is None:
        return
    caps = date_caps(ctx.plan)
    if all(cap is None for cap in caps):
        return  # no date to miss: levelling (the costly part) is not needed
    from cio_kit.analysis.capacity import TooLarge

    try:
        result = ctx.levelled
    except TooLarge:
        return  # past the size cio-kit levels; report capacity --level says so
    if result is None:
        return
    for number, cap in enumerate(caps):
        before, after = result.before.timings[number], result.after.timings[number]
        if (
            cap is None
            or not ctx.live(number)
            or after.earliest_finish <= cap
            or before.earliest_finish > cap
        ):
            continue
        stage = ctx.stages[number]
        late = after.earliest_finish - cap
        kept = day0 + dt.timedelta(days=cap - (0 if stage.kind == "milestone" else 1))
        days = f"{late} day{'s' if late != 1 else ''}"
        yield Draft(
            "RES002",
            ("stages", number, "id"),
            f"levelled to the resources' capacity, {stage.id} ends on "
            f"{result.after.last_day(after)}, {days} after the date it must keep ({kept}); "
            "raise its priority, "
            "add capacity or move the date",
            stage.id,
        )


rule("RES002", "levelling-misses-date", Severity.ERROR, levelling_misses_date)


def effort_never_finishes(ctx: Context) -> Iterator[Draft]:
    """An effort-driven stage cannot be finished within 10 years of its earliest start.

    What it checks:
        A stage with effort and no duration lasts as long as its resources
        need on their working days. If a resource it names has too few
        working days in the 10 years after the stage's earliest start (a
        calendar with no workdays, a holiday range over the years), the
        stage is reported instead of being scheduled forever.

    Why it matters:
        A calendar mistake should not make a plan run to the year 2900 in a
        report a board reads.

    Example:
        calendars: [{id: CAL-NONE, workdays: []}]
        resources: [{id: R-DBA, calendar: CAL-NONE}]
        stages:
          - {id: S-MIGRATE, effort: {R-DBA: 20}, ...}

    Fix:
        Correct the resource's calendar (workdays, holidays), or give the
        stage a duration.

    """
    if ctx.plan.enterprise.plan_start is None or not ctx.plan.resources:
        return
    if not any(stage.effort_driven for stage in ctx.stages):
        return
    from cio_kit.analysis.calendars import EFFORT_LIMIT_DAYS, Teams, exact

    teams = Teams(ctx.plan)
    numbers = {resource.id: n for n, resource in enumerate(ctx.plan.resources)}
    schedule = ctx.schedule
    for number, stage in enumerate(ctx.stages):
        earliest = schedule.timings[number].earliest_start
        if not stage.effort_driven or teams.effort_span(stage, earliest) is not None:
            continue
        for name, effort in (stage.effort or {}).items():
            team = teams.teams[name]
            if team.days.count(earliest, earliest + EFFORT_LIMIT_DAYS) * team.capacity < exact(effort):
                yield Draft(
                    "RES003",
                    ("resources", numbers[name], "id"),
                    f"{stage.id} needs {effort:g} person-days of {name}, which cannot be delivered in the "
                    f"10 years from {schedule.date(earliest)} on {name}'s working days; correct its "
                    "calendar or give the stage a duration",
                    name,
                    (stage.id,),
                )


rule("RES003", "effort-never-finishes", Severity.WARNING, effort_never_finishes)
