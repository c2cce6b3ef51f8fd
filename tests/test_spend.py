"""Planned spend by fiscal year and quarter: known answers at the boundaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from cio_kit.analysis import schedule as scheduling
from cio_kit.analysis.spend import (
    Spend,
    fiscal_quarter_period,
    fiscal_year,
    fiscal_year_start,
    fiscal_years,
    planned_spend,
    spread,
    stage_years,
)
from cio_kit.plan.model import Plan
from tests.conftest import load_document


def _plan(
    tmp_path: Path, *, start: str, fiscal: str = "01-01", weeks: tuple[int, ...] = (1,), **extra: Any
) -> Plan:
    stages = []
    for number, week_count in enumerate(weeks):
        stage: dict[str, Any] = {
            "id": f"S-{number}",
            "title": f"Stage {number}",
            "kind": "process-redesign",
            "duration_weeks": week_count,
            "objective": "o",
            "exit_criteria": ["e"],
            "budget": [{"class": "transform", "category": "services", "amount": 700}],
        }
        if not week_count:  # a milestone
            del stage["duration_weeks"]
            stage["kind"] = "milestone"
        if number:
            stage["depends_on"] = [f"S-{number - 1}"]
        stages.append(stage)
    document = {
        "cio_kit": 1,
        "enterprise": {"name": "P", "plan_start": start, "fiscal_year_start": fiscal},
        "stages": stages,
        **extra,
    }
    return load_document(document, tmp_path)


def test_share_of_amounts_below_one_is_their_proportion() -> None:
    spend = Spend()
    spend.add("run", 0.25)
    spend.add("grow", 0.5)
    assert spend.share("run") == pytest.approx(1 / 3)
    assert spend.share("transform") == 0.0
    assert Spend().share("run") == 0.0


@pytest.mark.parametrize(
    ("year", "month", "dom", "expected"),
    [
        (2027, 4, 1, dt.date(2027, 4, 1)),
        (2027, 2, 29, dt.date(2027, 3, 1)),  # not a leap year: the day after 28 February
        (2028, 2, 29, dt.date(2028, 2, 29)),
        (9_999, 1, 1, dt.date(9999, 1, 1)),  # the calendar's last year still has its own start
        (10_000, 1, 1, dt.date.max),
        (1, 12, 31, dt.date(1, 12, 31)),  # the calendar's first year still has its own start
        (0, 12, 31, dt.date.min),  # days of 0001 before 31 December fall in fiscal year 0
    ],
)
def test_fiscal_year_start(year: int, month: int, dom: int, expected: dt.date) -> None:
    assert fiscal_year_start(year, month, dom) == expected


def test_a_fiscal_year_is_named_after_the_year_it_starts_in(tmp_path: Path) -> None:
    plan = _plan(tmp_path, start="2027-01-04", fiscal="04-01")
    assert fiscal_year(plan, dt.date(2027, 3, 31)) == 2026
    assert fiscal_year(plan, dt.date(2027, 4, 1)) == 2027


def test_the_plan_spans_the_years_of_its_first_and_last_day(tmp_path: Path) -> None:
    # One week from 25 March: the last day is 31 March, the last day of fiscal 2026.
    ends_on_the_boundary = _plan(tmp_path, start="2027-03-25", fiscal="04-01")
    assert fiscal_years(ends_on_the_boundary, scheduling.compute(ends_on_the_boundary)) == [2026]
    crosses = _plan(tmp_path, start="2027-03-26", fiscal="04-01")
    assert fiscal_years(crosses, scheduling.compute(crosses)) == [2026, 2027]


def test_a_stage_across_a_year_boundary_is_split_by_its_days(tmp_path: Path) -> None:
    # 29 March – 4 April: three days in fiscal 2026, four in 2027.
    plan = _plan(tmp_path, start="2027-03-29", fiscal="04-01")
    assert stage_years(plan, scheduling.compute(plan), 0) == {
        2026: pytest.approx(3 / 7),
        2027: pytest.approx(4 / 7),
    }
    spend = planned_spend(plan, scheduling.compute(plan))
    assert spend.years[2026].by_class["transform"] == pytest.approx(300)
    assert spend.years[2027].by_class["transform"] == pytest.approx(400)
    assert spend.whole.total == 700


def test_a_stage_over_several_quarters_gets_each_quarter_s_days(tmp_path: Path) -> None:
    # 20 weeks from 1 March 2027 (fiscal year from 1 April): 31 days in 2026-Q4,
    # 91 in 2027-Q1 (April–June) and 18 in 2027-Q2.
    plan = _plan(tmp_path, start="2027-03-01", fiscal="04-01", weeks=(20,))
    shares = spread(plan, scheduling.compute(plan), 0, fiscal_quarter_period(plan))
    assert shares == {
        "2026-Q4": pytest.approx(31 / 140),
        "2027-Q1": pytest.approx(91 / 140),
        "2027-Q2": pytest.approx(18 / 140),
    }


@pytest.mark.parametrize(
    ("fiscal", "day", "quarter", "next_start"),
    [
        ("04-01", dt.date(2027, 4, 1), "2027-Q1", dt.date(2027, 7, 1)),
        ("04-01", dt.date(2027, 6, 30), "2027-Q1", dt.date(2027, 7, 1)),
        ("04-01", dt.date(2027, 7, 1), "2027-Q2", dt.date(2027, 10, 1)),
        ("04-01", dt.date(2027, 12, 31), "2027-Q3", dt.date(2028, 1, 1)),
        ("04-01", dt.date(2028, 1, 1), "2027-Q4", dt.date(2028, 4, 1)),
        ("04-01", dt.date(2028, 3, 31), "2027-Q4", dt.date(2028, 4, 1)),
        ("01-01", dt.date(2027, 10, 1), "2027-Q4", dt.date(2028, 1, 1)),
        ("10-15", dt.date(2028, 1, 14), "2027-Q1", dt.date(2028, 1, 15)),
        ("10-15", dt.date(2028, 10, 14), "2027-Q4", dt.date(2028, 10, 15)),
    ],
)
def test_fiscal_quarters(
    tmp_path: Path, fiscal: str, day: dt.date, quarter: str, next_start: dt.date
) -> None:
    plan = _plan(tmp_path, start="2027-01-04", fiscal=fiscal)
    assert fiscal_quarter_period(plan)(day) == (quarter, next_start)


def test_a_milestone_s_money_falls_on_its_day(tmp_path: Path) -> None:
    plan = _plan(tmp_path, start="2027-03-25", fiscal="04-01", weeks=(1, 0))
    # The zero-length stage starts on 1 April, the first day of fiscal 2027.
    assert stage_years(plan, scheduling.compute(plan), 1) == {2027: 1.0}


def test_budget_lines_count_per_year_in_one_year_or_once(tmp_path: Path) -> None:
    budget = {
        "lines": [
            {"id": "B-LIC", "class": "run", "category": "software", "amount": 10, "per_year": True},
            {"id": "B-AUDIT", "class": "grow", "category": "services", "amount": 5, "year": 2030},
            {"id": "B-KICK", "class": "transform", "category": "services", "amount": 1},
        ]
    }
    plan = _plan(tmp_path, start="2027-03-26", fiscal="04-01", budget=budget)
    spend = planned_spend(plan, scheduling.compute(plan))
    assert sorted(spend.years) == [2026, 2027, 2030]
    assert spend.years[2026].by_class == {"run": 10, "grow": 0, "transform": 700 * 6 / 7 + 1}
    assert spend.years[2027].by_class["run"] == 10
    assert spend.years[2030].by_class == {"run": 0, "grow": 5, "transform": 0}
    assert spend.whole.by_class == {"run": 20, "grow": 5, "transform": 701}


def test_a_plan_of_one_milestone_on_a_year_end_spans_that_year_only(tmp_path: Path) -> None:
    # Nothing takes a day, so the plan ends where it starts: 31 December, fiscal year 2027 alone.
    plan = _plan(tmp_path, start="2027-12-31", weeks=(0,))
    assert fiscal_years(plan, scheduling.compute(plan)) == [2027]
