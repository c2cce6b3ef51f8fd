"""The plan as it stands at the status date (SCHED001–SCHED004, SPEC §10).

These rules need ``enterprise.status_date`` (and ``plan_start`` for dates);
without it they are off, as v1 rules that need "today" are. SCHED001 and
SCHED002 judge the forecast schedule, so with a status date SCHED002 takes
over from DEP005 and STRAT005, which judge the plan as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from cio_kit.analysis.schedule import Schedule
from cio_kit.findings import Draft, Severity, days
from cio_kit.plan.model import Stage
from cio_kit.rules.context import Context
from cio_kit.rules.registry import rule

#: How many links of the driving chain a message names.
CHAIN_SHOWN = 4


def behind_plan(ctx: Context) -> Iterator[Draft]:
    """A stage is behind the plan at the status date.

    What it checks:
        With a status_date, no stage that should have started by then (its
        start as written, or in the baseline when one is in use) is still
        planned, and no stage whose last day is before the status date is
        anything but done. The message says how many days late it is.
        Cancelled stages are exempt.

    Why it matters:
        A plan that passes while its stages are weeks overdue tells the board
        the plan as written, not the plan as it stands. The CIO drives the
        plan (Lesson 2); a driver who does not look at the road is not
        driving.

    Example:
        enterprise: {plan_start: 2027-01-04, status_date: 2027-06-30, ...}
        stages:
          - {id: S-IT-SKILLS, duration_weeks: 8, not_before: 2027-05-03, status: planned, ...}
          # its last day was 2027-06-27

    Fix:
        Update the stage's status and progress if the work did happen;
        otherwise re-plan it (a new start, a new baseline) and tell the
        steering committee why.

    """
    status = ctx.plan.enterprise.status_date
    if status is None:  # (a sound plan with a status date has a plan_start: PLAN002 otherwise)
        return
    reference = ctx.reference_schedule
    day0 = reference.plan_start
    if day0 is None:
        return
    # Compared as day numbers; dates are made only for the findings.
    today = (status - day0).days
    in_reference = {timing.id: timing for timing in reference.timings if not timing.cancelled}
    basis = "in the baseline" if ctx.baseline is not None else "in the plan"
    for number, stage in enumerate(ctx.stages):
        timing = in_reference.get(stage.id)
        if timing is None or not ctx.live(number):
            continue
        if timing.last_day < today and stage.status != "done":
            last = day0 + dt.timedelta(days=timing.last_day)
            due = "was due on" if stage.kind == "milestone" else "was due to finish on"
            message = (
                f"{stage.id} {due} {last} {basis} but is {stage.status} at the status "
                f"date {status}, {days(today - timing.last_day)} late; update its progress or re-plan it"
            )
        elif timing.earliest_start < today and stage.status == "planned":
            start = day0 + dt.timedelta(days=timing.earliest_start)
            message = (
                f"{stage.id} was due to start on {start} {basis} but is still planned at the status "
                f"date {status}, {days(today - timing.earliest_start)} late; start it, update its status "
                "or re-plan it"
            )
        else:
            continue
        yield Draft("SCHED001", ("stages", number), message, stage.id)


rule("SCHED001", "behind-plan", Severity.WARNING, behind_plan)


def _chain(ctx: Context, schedule: Schedule, number: int) -> list[str]:
    """The chain of drivers behind a stage's forecast start, nearest first."""
    chain: list[str] = []
    current = schedule.timings[number].driver
    # Drivers follow an acyclic graph backwards, and the chain shown is bounded anyway.
    while current is not None and len(chain) < CHAIN_SHOWN:
        chain.append(current)
        current = schedule.timings[ctx.index[current]].driver
    return chain


def _driven(ctx: Context, schedule: Schedule, number: int) -> tuple[str, tuple[str, ...]]:
    chain = _chain(ctx, schedule, number)
    if not chain:
        return "its own start", ()
    shown = " ← ".join(chain) + (" ← …" if schedule.timings[ctx.index[chain[-1]]].driver else "")
    return f"the chain {shown}", tuple(chain)


def forecast_misses_date(ctx: Context) -> Iterator[Draft]:
    """The forecast misses a deadline, a fixed milestone date or a goal's due date.

    What it checks:
        With a status_date, in the forecast from it: each stage's last day is
        on or before its deadline, each fixed-date milestone lands on its date,
        and the stages serving a goal end by the goal's due date. One finding
        per missed date (for a goal, at the serving stage that ends last),
        naming the days and the chain of predecessors that drives it. Done
        and cancelled stages are history and are not judged. With a status
        date this rule replaces DEP005 and STRAT005.

    Why it matters:
        A date the forecast already misses is a promise broken today, not at
        the go-live review. Lesson 3 puts the stages in order; this checks the
        order, as it now stands, against the calendar the board was given.

    Example:
        stages:
          - {id: S-ERP-GOLIVE, deadline: 2028-08-01, depends_on: [S-ERP-BUILD], ...}
          # S-ERP-BUILD is late; the forecast last day of S-ERP-GOLIVE is 2028-09-06

    Fix:
        Pull the driving chain in (more people, less scope, overlap), or
        agree a new date with the sponsor and record it in the plan.

    """
    forecast = ctx.forecast
    if forecast is None:
        return
    due = {goal.id: goal.due for goal in ctx.plan.goals or [] if goal.due is not None}
    latest_for_goal: dict[str, tuple[dt.date, int]] = {}
    late_for_goal: dict[str, list[str]] = {}
    for number, stage in enumerate(ctx.stages):
        if not ctx.live(number) or stage.status == "done":
            continue
        timing = forecast.timings[number]
        last = forecast.last_day(timing)
        if last is None:
            continue
        if stage.deadline is not None and last > stage.deadline:
            yield _missed(
                ctx, forecast, number, stage, f"its deadline {stage.deadline}", last, stage.deadline
            )
        if stage.kind == "milestone" and stage.date is not None and last > stage.date:
            yield _missed(ctx, forecast, number, stage, f"its fixed date {stage.date}", last, stage.date)
        for goal in dict.fromkeys(stage.serves):
            when = due.get(goal)
            if when is not None and last > when:
                late_for_goal.setdefault(goal, []).append(stage.id)
                if goal not in latest_for_goal or last > latest_for_goal[goal][0]:
                    latest_for_goal[goal] = (last, number)
    for goal, (last, number) in latest_for_goal.items():
        stage = ctx.stages[number]
        others = [ident for ident in late_for_goal[goal] if ident != stage.id]
        extra = ""
        if len(others) == 1:
            extra = " (1 more serving stage also ends after it)"
        elif others:
            extra = f" ({len(others)} more serving stages also end after it)"
        yield _missed(
            ctx, forecast, number, stage, f"goal {goal}'s due date {due[goal]}{extra}", last, due[goal]
        )


rule("SCHED002", "forecast-misses-date", Severity.ERROR, forecast_misses_date)


def _missed(
    ctx: Context, forecast: Schedule, number: int, stage: Stage, what: str, last: dt.date, limit: dt.date
) -> Draft:
    driven, chain = _driven(ctx, forecast, number)
    late = (last - limit).days
    return Draft(
        "SCHED002",
        ("stages", number),
        f"{stage.id} is forecast to end on {last}, {days(late)} after {what}; {driven} sets the "
        f"date: pull it in or agree a new date",
        stage.id,
        chain,
    )


def progress_inconsistent(ctx: Context) -> Iterator[Draft]:
    """A stage's progress data contradicts itself or the status date.

    What it checks:
        actual_finish is not before actual_start; neither is after the
        status_date; a done stage with percent_complete given has 100; an
        in-progress stage is not at 100; a planned stage has no actual_start,
        no actual_finish and no percent_complete above 0. One finding per
        problem, at the offending key.

    Why it matters:
        Earned value, the forecast and every "are we late" answer are built
        on these fields. A done stage at 40 % earns 40 % of its budget; a
        start after the status date is a typo that moves the forecast.
        Progress data is what the CIO reports upwards; it must hold together.

    Example:
        - {id: S-MDM, status: done, percent_complete: 40, actual_start: 2027-03-08, ...}

    Fix:
        Correct the field: set the status that matches the progress, or the
        dates that really happened.

    """
    status_date = ctx.plan.enterprise.status_date
    for number, stage in enumerate(ctx.stages):
        at = ("stages", number)
        given = stage.model_fields_set
        if stage.actual_start and stage.actual_finish and stage.actual_finish < stage.actual_start:
            yield Draft(
                "SCHED003",
                (*at, "actual_finish"),
                f"{stage.id}'s actual_finish {stage.actual_finish} is before its actual_start "
                f"{stage.actual_start}; correct one of them",
                stage.id,
            )
        if status_date is not None:
            for key in ("actual_start", "actual_finish"):
                when = getattr(stage, key)
                if when is not None and when > status_date:
                    yield Draft(
                        "SCHED003",
                        (*at, key),
                        f"{stage.id}'s {key} {when} is after the status date {status_date}; progress is "
                        f"recorded as of the status date, so correct the date or move the status date",
                        stage.id,
                    )
        percent = stage.percent_complete
        if stage.status == "done" and "percent_complete" in given and percent < 100:
            yield Draft(
                "SCHED003",
                (*at, "percent_complete"),
                f"{stage.id} is done but {percent:g}% complete; set percent_complete to 100 or the "
                f"status to in-progress",
                stage.id,
            )
        if stage.status == "in-progress" and percent >= 100:
            yield Draft(
                "SCHED003",
                (*at, "percent_complete"),
                f"{stage.id} is in-progress but 100% complete; mark it done with its actual_finish",
                stage.id,
            )
        if stage.status == "planned":
            for key in ("actual_start", "actual_finish"):
                if getattr(stage, key) is not None:
                    yield Draft(
                        "SCHED003",
                        (*at, key),
                        f"{stage.id} is planned but has an {key}; set its status to in-progress or done, "
                        f"or remove the date",
                        stage.id,
                    )
            if percent > 0:
                yield Draft(
                    "SCHED003",
                    (*at, "percent_complete"),
                    f"{stage.id} is planned but {percent:g}% complete; set its status to in-progress",
                    stage.id,
                )


rule("SCHED003", "progress-inconsistent", Severity.ERROR, progress_inconsistent)


def schedule_performance_low(ctx: Context) -> Iterator[Draft]:
    """Earned schedule shows the plan running slower than planned (SPI(t) under spi_warn or spi_error).

    What it checks:
        With a status_date, the time-based schedule performance index
        SPI(t) = ES / AT (Lipke's earned schedule, against the baseline when
        one is in use). A warning below `spi_warn` (0.95 by default), an
        error below `spi_error` (0.85): the same thresholds colour the
        board's schedule tile and `portfolio report` amber and red (set them
        in cio-kit.yaml). With no money baselined, or a status date on or
        before day 0, there is nothing to measure and the rule is silent.
        `cio-kit report evm` shows every figure.

    Why it matters:
        SPI(t) tells the board in one number how much of the planned time's
        work is done: at 0.65 the plan earns 65 days of schedule for every
        100 days spent, and the finish will slip by about half again unless
        something changes. The CIO is judged by results (Lesson 2). A board
        that sees red must not hear from CI that all is well.

    Example:
        enterprise: {status_date: 2027-06-30, ...}
        # 177 days in, the work done was planned to take 115 days: SPI(t) 0.65

    Fix:
        Recover the schedule on the critical chain (people, scope, order),
        or re-baseline the plan with the steering committee's approval.

    """
    figures = ctx.earned_value
    if figures is None:
        return
    spi_t, es, behind = figures.spi_t, figures.es, figures.sv_t_days
    thresholds = ctx.thresholds
    if spi_t is None or es is None or behind is None or spi_t >= thresholds.spi_warn:
        return
    red = spi_t < thresholds.spi_error
    limit = thresholds.spi_error if red else thresholds.spi_warn
    yield Draft(
        "SCHED004",
        ("enterprise", "status_date"),
        f"SPI(t) is {spi_t:.2f} at {figures.status_date} (below {limit:.2f}): the work "
        f"done was planned to take {es:.0f} of the {days(figures.at_days)} elapsed, "
        f"{days(round(-behind))} behind; recover the critical chain or re-baseline",
        severity=Severity.ERROR if red else Severity.WARNING,
    )


rule("SCHED004", "schedule-performance-low", Severity.WARNING, schedule_performance_low)
