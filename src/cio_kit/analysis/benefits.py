"""Benefits over time (SPEC §13): KPI trajectories, and the programme's NPV and payback.

A KPI is expected to move in a straight line, by days, from its baseline at
``plan_start`` to its target at the goal's ``due``; its latest measurement is
on track at or past that line (in the direction from baseline to target), at
risk when behind by no more than ``benefit_tolerance`` × |target − baseline|,
off track beyond.

The appraisal runs by fiscal year: costs are planned spend as ``report
budget`` computes it; a benefit counts ``value_per_year`` for each year it
runs, its first and last years pro rata by days. Flows fall at the end of
each year, year 1 being the plan's first fiscal year:
NPV = Σ N_t / (1 + r)^t, as ``numpy_financial.npv(r, [0, N_1, N_2, …])``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from cio_kit.analysis.schedule import Schedule
from cio_kit.analysis.spend import fiscal_year, fiscal_year_start, planned_spend
from cio_kit.plan.model import Goal, Measurement, Plan

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on-track", "at-risk", "off-track", "no-data"


@dataclass(frozen=True)
class Trajectory:
    """Where a goal's KPI stands against the straight line to its target."""

    goal: str
    kpi: str | None
    baseline: float | None
    target: float | None
    due: dt.date | None
    latest: Measurement | None
    expected: float | None
    """The value on the line at the latest measurement's date."""
    progress: float | None
    """Share of the way from baseline to target travelled (1 = there; may exceed 1 or be negative)."""
    status: str
    """on-track, at-risk, off-track or no-data."""


def trajectory(goal: Goal, plan_start: dt.date | None, tolerance: float) -> Trajectory:
    """The goal's KPI against its straight line from baseline (at plan_start) to target (at due)."""
    kpi = goal.kpi
    latest = kpi.latest if kpi else None
    baseline, target = (kpi.baseline, kpi.target) if kpi else (None, None)
    progress = expected = None
    status = NO_DATA
    if latest is not None and baseline is not None and target is not None:
        span = target - baseline
        progress = (latest.value - baseline) / span + 0.0 if span else None  # + 0.0: never "-0%"
        if plan_start is not None and goal.due is not None:
            length = (goal.due - plan_start).days
            share = 1.0 if length <= 0 else min(1.0, max(0.0, (latest.date - plan_start).days / length))
            expected = baseline + share * span
            direction = math.copysign(1.0, span) if span else 0.0
            behind = (expected - latest.value) * direction if span else abs(latest.value - target)
            slack = 1e-9 * max(1.0, abs(span), abs(target))  # money and counts, not rounding, decide
            if behind <= slack:
                status = ON_TRACK
            elif behind <= tolerance * abs(span) + slack:
                status = AT_RISK
            else:
                status = OFF_TRACK
    return Trajectory(
        goal.id,
        kpi.name if kpi else None,
        baseline,
        target,
        goal.due,
        latest,
        expected,
        progress,
        status,
    )


@dataclass(frozen=True)
class YearFlow:
    """One fiscal year of the appraisal."""

    year: int
    benefits: float
    costs: float
    net: float
    discounted_net: float


@dataclass(frozen=True)
class Appraisal:
    """The programme's benefits against its costs."""

    rate: float
    years: tuple[YearFlow, ...]
    npv: float
    payback_year: int | None
    """The first fiscal year whose cumulative net is at or above zero (None: never)."""
    discounted_payback_year: int | None
    """The same with discounted flows."""


def _add_years(day: dt.date, years: float) -> dt.date:
    """``years`` after ``day``: whole years by the calendar (29 February → 28th), the rest by 365.25 days."""
    whole = int(years)
    try:
        try:
            moved = day.replace(year=day.year + whole)
        except ValueError:  # 29 February into a common year
            moved = day.replace(year=day.year + whole, day=28)
        return moved + dt.timedelta(days=round((years - whole) * 365.25))
    except (ValueError, OverflowError):  # beyond the calendar's last year: it runs to the end of time
        return dt.date.max


def benefit_period(goal: Goal, plan: Plan, schedule: Schedule) -> tuple[dt.date, dt.date] | None:
    """The days a goal's benefit runs, [start, end); None without a benefit or dates."""
    benefit = goal.benefit
    if benefit is None:
        return None
    start = benefit.starts
    if benefit.starts_after is not None:
        timing = next((t for t in schedule.timings if t.id == benefit.starts_after), None)
        last = schedule.date(timing.last_day) if timing is not None else None
        start = last + dt.timedelta(days=1) if last is not None else None
    if start is None:
        return None
    return start, _add_years(start, benefit.years)


def appraisal(plan: Plan, schedule: Schedule) -> Appraisal | None:
    """NPV and payback of the plan's stated benefits against its planned spend (None without plan_start)."""
    start = plan.enterprise.plan_start
    if start is None:
        return None
    month, dom = (int(part) for part in plan.enterprise.fiscal_year_start.split("-"))
    costs = {year: spend.total for year, spend in planned_spend(plan, schedule).years.items()}
    benefits: dict[int, float] = {}
    for goal in plan.goals or []:
        period = benefit_period(goal, plan, schedule)
        if period is None or goal.benefit is None:
            continue
        first, end = period
        year = fiscal_year(plan, first)
        while fiscal_year_start(year, month, dom) < end:
            opens, closes = fiscal_year_start(year, month, dom), fiscal_year_start(year + 1, month, dom)
            days = (min(end, closes) - max(first, opens)).days
            if days > 0:
                share = days / (closes - opens).days
                benefits[year] = benefits.get(year, 0.0) + goal.benefit.value_per_year * share
            year += 1
    opening = fiscal_year(plan, start)
    last = max([opening, *costs, *benefits])
    rate = plan.enterprise.discount_rate
    flows = []
    npv = cumulative = discounted_cumulative = 0.0
    payback = discounted_payback = None
    for t, year in enumerate(range(opening, last + 1), start=1):
        net = benefits.get(year, 0.0) - costs.get(year, 0.0)
        discounted = net / (1 + rate) ** t
        npv += discounted
        cumulative += net
        discounted_cumulative += discounted
        if payback is None and cumulative >= 0:
            payback = year
        if discounted_payback is None and discounted_cumulative >= 0:
            discounted_payback = year
        flows.append(YearFlow(year, benefits.get(year, 0.0), costs.get(year, 0.0), net, discounted))
    return Appraisal(rate, tuple(flows), npv, payback, discounted_payback)
