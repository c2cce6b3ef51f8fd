"""Small helpers whose output reaches rule messages."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from cio_kit.analysis.capacity import ResourceLoad
from cio_kit.rules.governance import _norm, _ordinal
from cio_kit.rules.res import _months, _peak


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (10, "10th"), (11, "11th"), (12, "12th"),
        (13, "13th"), (20, "20th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"),
        (111, "111th"), (112, "112th"), (1013, "1013th"), (1021, "1021st"),
    ],
)  # fmt: skip
def test_ordinal_as_english_writes_it(number: int, written: str) -> None:
    assert _ordinal(number) == written


def test_sanctions_compare_without_case_or_spacing() -> None:
    assert _norm("  Verbal   WARNING ") == "verbal warning"


def test_months_named_once_each_across_a_year_end() -> None:
    # From 2027-11-20: day 11 is 1 December, day 12 the 2nd, day 42 is 1 January 2028, day 75 3 February.
    start = dt.date(2027, 11, 20)
    assert _months(start, [0, 5, 11, 12, 42, 75]) == ["2027-11", "2027-12", "2028-01", "2028-02"]
    # The first of a month opens it, even straight after the month before.
    assert _months(start, [0, 11, 42]) == ["2027-11", "2027-12", "2028-01"]


def test_months_end_at_the_calendars_last_month() -> None:
    # 30 November 9999, then 1 and 31 December: no month after December 9999 to work out.
    assert _months(dt.date(9999, 11, 30), [0, 1, 31]) == ["9999-11", "9999-12"]


def _load(pairs: list[tuple[int, int]]) -> ResourceLoad:
    return ResourceLoad("R", [Fraction(c) for _, c in pairs], [Fraction(d) for d, _ in pairs])


def test_peak_is_the_first_day_with_the_highest_share() -> None:
    # (demand, capacity) per day: 3/2 twice, then 5/2; later 4/2 and 6/3 tie at twice the capacity.
    load = _load([(0, 1), (3, 2), (3, 2), (5, 2), (4, 2), (6, 3), (1, 1), (0, 2)])
    assert _peak(load, [1, 2, 3]) == (3, 2.5)
    assert _peak(load, [4, 5]) == (4, 2.0)
    # Under capacity or idle, the highest share is still the answer, and the first day on a tie.
    assert _peak(load, [6, 0]) == (6, 1.0)
    assert _peak(load, [0, 7]) == (0, 0.0)


def test_the_rules_refuse_a_plan_with_a_dependency_cycle() -> None:
    """DEP001 blocks a cyclic plan before any rule runs; a rule that asked anyway is told why."""
    from cio_kit.plan.model import Plan
    from cio_kit.rules.context import Context

    plan = Plan.model_validate(
        {
            "cio_kit": 1,
            "enterprise": {"name": "Loop Co"},
            "stages": [
                {"id": "S-A", "title": "A", "kind": "governance", "duration_weeks": 1, "depends_on": ["S-B"]},
                {"id": "S-B", "title": "B", "kind": "governance", "duration_weeks": 1, "depends_on": ["S-A"]},
            ],
        }
    )
    with pytest.raises(ValueError, match=r"^rules run only on acyclic plans \(DEP001 is blocking\)$"):
        _ = Context(plan).order
