"""Planned spend by class and fiscal year (SPEC §2 "Budget years").

A stage's budget falls into fiscal years in proportion to its scheduled days
in each; a line with ``per_year`` counts in every fiscal year the plan spans;
a line with ``year`` counts in that year; any other line counts once, in the
plan's first year. Cancelled stages spend nothing. A fiscal year is named
after the calendar year in which it starts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from cio_kit.analysis.schedule import Schedule
from cio_kit.plan.model import Plan

CLASSES = ("run", "grow", "transform")

K = TypeVar("K", int, str)


@dataclass
class Spend:
    """Money by budget class."""

    by_class: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0.0))
    """Amount per class."""

    def add(self, budget_class: str, amount: float) -> None:
        """Add an amount to a class."""
        self.by_class[budget_class] += amount

    @property
    def total(self) -> float:
        """All classes together."""
        return sum(self.by_class.values())

    def share(self, budget_class: str) -> float:
        """The class's share of the total (0 when nothing is spent)."""
        total = self.total
        return self.by_class[budget_class] / total if total > 0 else 0.0


def fiscal_year(plan: Plan, day: dt.date) -> int:
    """The fiscal year a date falls in, named after the calendar year it starts in."""
    month, dom = (int(part) for part in plan.enterprise.fiscal_year_start.split("-"))
    start = fiscal_year_start(day.year, month, dom)
    return day.year if day >= start else day.year - 1


def fiscal_year_start(year: int, month: int, dom: int) -> dt.date:
    """The first day of fiscal year ``year`` that starts on month-day ``month``-``dom``."""
    if year > dt.MAXYEAR:  # the year after 9999: no date, so the calendar's last day bounds it
        return dt.date.max
    if year < dt.MINYEAR:  # fiscal year 0 (early 0001 under a late start): the calendar's first day
        return dt.date.min
    # A fiscal year starting on 29 February starts on 1 March in other years.
    try:
        return dt.date(year, month, dom)
    except ValueError:
        return dt.date(year, month, 28) + dt.timedelta(days=1)


def fiscal_years(plan: Plan, schedule: Schedule) -> list[int]:
    """Every fiscal year the plan spans, from plan_start to its last day."""
    start = plan.enterprise.plan_start
    if start is None:
        return []
    last = start + dt.timedelta(days=max(schedule.finish - 1, 0))
    return list(range(fiscal_year(plan, start), fiscal_year(plan, last) + 1))


def spread(
    plan: Plan, schedule: Schedule, number: int, period: Callable[[dt.date], tuple[K, dt.date]]
) -> dict[K, float]:
    """Shares of a stage's budget per period, by its scheduled days in each (they add up to 1).

    ``period(date)`` names the period a date falls in and the first day of the
    next one (a fiscal year, a fiscal quarter). A milestone's money falls in
    the period of its day. Years and quarters both use this one function, so
    both split a stage at a boundary the same way.
    """
    start = plan.enterprise.plan_start
    if start is None:
        return {}
    timing = schedule.timings[number]
    if timing.days == 0:
        return {period(start + dt.timedelta(days=timing.earliest_start))[0]: 1.0}
    shares: dict[K, float] = {}
    day = timing.earliest_start
    while day < timing.earliest_finish:
        label, boundary = period(start + dt.timedelta(days=day))
        end = min((boundary - start).days, timing.earliest_finish)
        shares[label] = (end - day) / timing.days  # each period is one run of days
        day = end
    return shares


def fiscal_year_period(plan: Plan) -> Callable[[dt.date], tuple[int, dt.date]]:
    """The fiscal year of a date and the first day of the next fiscal year."""
    month, dom = (int(part) for part in plan.enterprise.fiscal_year_start.split("-"))

    def period(date: dt.date) -> tuple[int, dt.date]:
        year = fiscal_year(plan, date)
        return year, fiscal_year_start(year + 1, month, dom)

    return period


def fiscal_quarter_period(plan: Plan) -> Callable[[dt.date], tuple[str, dt.date]]:
    """The fiscal quarter of a date ("2027-Q2") and the first day of the next quarter."""
    month, dom = (int(part) for part in plan.enterprise.fiscal_year_start.split("-"))

    def period(date: dt.date) -> tuple[str, dt.date]:
        year = fiscal_year(plan, date)
        for quarter in (1, 2, 3):
            months = month - 1 + 3 * quarter
            boundary = fiscal_year_start(year + months // 12, months % 12 + 1, dom)
            if date < boundary:
                return f"{year}-Q{quarter}", boundary
        return f"{year}-Q4", fiscal_year_start(year + 1, month, dom)

    return period


def stage_years(plan: Plan, schedule: Schedule, number: int) -> dict[int, float]:
    """Shares of a stage's budget per fiscal year, by scheduled days in each (sum 1)."""
    return spread(plan, schedule, number, fiscal_year_period(plan))


@dataclass
class SpendPlan:
    """Planned spend for the whole plan and per fiscal year."""

    whole: Spend
    """All planned spend."""
    years: dict[int, Spend]
    """Planned spend per fiscal year (empty without plan_start)."""


def planned_spend(plan: Plan, schedule: Schedule) -> SpendPlan:
    """Stage budgets and budget lines, by class, for the whole plan and per year."""
    whole = Spend()
    years: dict[int, Spend] = defaultdict(Spend)
    span = fiscal_years(plan, schedule)
    for number, stage in enumerate(plan.stages):
        if stage.status == "cancelled" or not stage.budget:
            continue
        shares = stage_years(plan, schedule, number)
        for item in stage.budget:
            whole.add(item.budget_class, item.amount)
            for year, share in shares.items():
                years[year].add(item.budget_class, item.amount * share)
    for line in plan.budget.lines if plan.budget else []:
        counted: list[int | None]
        if line.per_year:
            counted = list(span) or [None]
        elif line.year is not None:
            counted = [line.year]
        else:
            counted = list(span[:1]) or [None]
        for line_year in counted:
            whole.add(line.budget_class, line.amount)
            if line_year is not None:
                years[line_year].add(line.budget_class, line.amount)
    return SpendPlan(whole, dict(sorted(years.items())))
