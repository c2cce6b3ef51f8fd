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
from cio_kit.analysis.spend import SpendPlan, fiscal_year, fiscal_year_start, planned_spend
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


def line_start(goal: Goal, plan: Plan, schedule: Schedule) -> dt.date | None:
    """Where a goal's expected KPI line leaves its baseline (SPEC §18).

    The last day of the stage its benefit starts after, on the schedule given
    (the forecast, as it stands); else the day the benefit starts; else
    ``plan_start``. Before it the KPI is expected to stay where it was: a
    cost cannot fall before the system that cuts it is live.
    """
    benefit = goal.benefit
    if benefit is not None and benefit.starts_after is not None:
        timing = next((t for t in schedule.timings if t.id == benefit.starts_after), None)
        if timing is not None and schedule.date(timing.last_day) is not None:
            return schedule.date(timing.last_day)
    if benefit is not None and benefit.starts is not None:
        return benefit.starts
    return plan.enterprise.plan_start


def trajectory(goal: Goal, plan_start: dt.date | None, tolerance: float) -> Trajectory:
    """The goal's KPI against its line: flat at baseline until ``plan_start``, then straight to target at due.

    ``plan_start`` is where the line leaves the baseline: :func:`line_start`.
    A goal with no measurement is ``no-data``, which no view counts as on track.
    """
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
            elapsed = (latest.date - plan_start).days
            share = (1.0 if elapsed >= 0 else 0.0) if length <= 0 else min(1.0, max(0.0, elapsed / length))
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
    """Whole-life cost: planned spend plus run costs."""
    net: float
    discounted_net: float
    run_costs: float = 0.0
    """The part of ``costs`` that runs what stages delivered (``run_cost_per_year``)."""


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
    irr: float | None = None
    """The internal rate of return of the net flows (None when none exists)."""
    sensitivity: tuple[tuple[str, float], ...] = ()
    """NPV under each case of SPEC §18: benefits −30%, costs +20%, benefits three months later, all three."""


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


@dataclass(frozen=True)
class Case:
    """A what-if of the business case: benefits and costs scaled, benefits starting later."""

    name: str
    benefit_scale: float = 1.0
    cost_scale: float = 1.0
    delay_months: int = 0


#: The four cases of SPEC §18's sensitivity table.
SENSITIVITY = (
    Case("benefits -30%", benefit_scale=0.7),
    Case("costs +20%", cost_scale=1.2),
    Case("benefits 3 months later", delay_months=3),
    Case("all three", 0.7, 1.2, 3),
)


def _add_months(day: dt.date, months: int) -> dt.date:
    """``months`` calendar months after ``day``, on the same day or the month's last (31 Jan → 30 Apr)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _ramped(first: dt.date, ramp_days: float, opens: dt.date, closes: dt.date) -> float:
    """Days of full benefit within [opens, closes) when it rises linearly over ``ramp_days`` from ``first``.

    The integral of min(1, (x − first) / ramp) over the interval, in closed form.
    """

    def area(day: dt.date) -> float:  # from first to day
        u = max(0.0, float((day - first).days))
        if ramp_days <= 0:
            return u
        return u * u / (2 * ramp_days) if u <= ramp_days else ramp_days / 2 + (u - ramp_days)

    return max(0.0, area(closes) - area(opens))


def _benefits_by_year(plan: Plan, schedule: Schedule, case: Case) -> dict[int, float]:
    """Each fiscal year's benefits: pro rata by days, ramped, shifted and scaled as ``case`` says."""
    month, dom = (int(part) for part in plan.enterprise.fiscal_year_start.split("-"))
    benefits: dict[int, float] = {}
    for goal in plan.goals or []:
        period = benefit_period(goal, plan, schedule)
        if period is None or goal.benefit is None:
            continue
        first, end = (_add_months(day, case.delay_months) for day in period) if case.delay_months else period
        ramp_days = goal.benefit.ramp_months * 365.25 / 12
        year = fiscal_year(plan, first)
        while fiscal_year_start(year, month, dom) < end:
            opens, closes = fiscal_year_start(year, month, dom), fiscal_year_start(year + 1, month, dom)
            days = _ramped(first, ramp_days, max(first, opens), min(end, closes))
            if days > 0:
                share = days / (closes - opens).days
                benefits[year] = (
                    benefits.get(year, 0.0) + goal.benefit.value_per_year * share * case.benefit_scale
                )
            year += 1
    return benefits


def _run_costs(plan: Plan, schedule: Schedule, last_year: int) -> dict[int, float]:
    """Each live stage's ``run_cost_per_year`` from the fiscal year after its last day to ``last_year``."""
    found: dict[int, float] = {}
    for stage, timing in zip(plan.stages, schedule.timings, strict=True):
        if not stage.run_cost_per_year or stage.status == "cancelled":
            continue
        last = schedule.last_day(timing)
        if last is None:
            continue
        for year in range(fiscal_year(plan, last) + 1, last_year + 1):
            found[year] = found.get(year, 0.0) + stage.run_cost_per_year
    return found


def appraisal(
    plan: Plan, schedule: Schedule, case: Case | None = None, spend: SpendPlan | None = None
) -> Appraisal | None:
    """NPV, IRR and payback of the stated benefits against whole-life cost (None without plan_start).

    Costs are the planned spend by fiscal year (``spend``, when the caller has it
    for ``schedule``) plus each stage's run cost in the years after it delivers,
    to the end of the appraisal (the last year of a benefit or a cost). ``case``
    is a what-if; without one, the sensitivity table of SPEC §18 comes with the answer.
    """
    start = plan.enterprise.plan_start
    if start is None:
        return None
    case = case or Case("as planned")
    if spend is None:
        spend = planned_spend(plan, schedule)
    build = {year: amounts.total for year, amounts in spend.years.items()}
    benefits = _benefits_by_year(plan, schedule, case)
    opening = fiscal_year(plan, start)
    last = max([opening, *build, *benefits])
    run = _run_costs(plan, schedule, last)
    rate = plan.enterprise.discount_rate
    flows = []
    npv = cumulative = discounted_cumulative = 0.0
    payback = discounted_payback = None
    for t, year in enumerate(range(opening, last + 1), start=1):
        costs = (build.get(year, 0.0) + run.get(year, 0.0)) * case.cost_scale
        net = benefits.get(year, 0.0) - costs
        discounted = net / (1 + rate) ** t
        npv += discounted
        cumulative += net
        discounted_cumulative += discounted
        if payback is None and cumulative >= 0:
            payback = year
        if discounted_payback is None and discounted_cumulative >= 0:
            discounted_payback = year
        flows.append(
            YearFlow(
                year, benefits.get(year, 0.0), costs, net, discounted, run.get(year, 0.0) * case.cost_scale
            )
        )
    sensitivity: tuple[tuple[str, float], ...] = ()
    if case.name == "as planned":
        sensitivity = tuple((other.name, _npv_of(plan, schedule, other, spend)) for other in SENSITIVITY)
    return Appraisal(
        rate, tuple(flows), npv, payback, discounted_payback, irr([f.net for f in flows]), sensitivity
    )


def _npv_of(plan: Plan, schedule: Schedule, case: Case, spend: SpendPlan) -> float:
    found = appraisal(plan, schedule, case, spend)
    return found.npv if found is not None else 0.0


def irr(flows: list[float]) -> float | None:
    """The rate at which the flows' NPV is zero, as ``numpy_financial.irr`` finds it; None when none exists.

    The flows fall at the ends of years 1, 2, …; a zero of Σ N_t / (1 + r)^t
    is a zero of the polynomial Σ N_t x^(t−1) in x = 1 / (1 + r). Of the real,
    positive roots, the rate nearest zero is the answer.
    """
    import numpy as np

    while flows and flows[-1] == 0:
        flows = flows[:-1]
    if len(flows) < 2 or not (min(flows) < 0 < max(flows)):
        return None
    roots = np.roots(flows[::-1])
    real = roots[(np.abs(roots.imag) <= 1e-12 * np.maximum(1.0, np.abs(roots))) & (roots.real > 0)].real
    if not len(real):
        return None
    rates = 1 / real - 1
    return float(rates[np.argmin(np.abs(rates))])
