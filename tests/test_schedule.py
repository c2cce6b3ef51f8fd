"""Critical path method: known answers worked by hand, in whole days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cio_kit.analysis.schedule import Schedule, compute
from cio_kit.plan.model import Goal, Plan, Resource


def make(stages: list[dict[str, Any]], **enterprise: Any) -> Plan:
    for stage in stages:
        stage.setdefault("title", stage["id"])
        stage.setdefault("kind", "training")
    return Plan.model_validate({"cio_kit": 1, "enterprise": {"name": "T", **enterprise}, "stages": stages})


def timing(schedule: Schedule, ident: str) -> Any:
    return next(t for t in schedule.timings if t.id == ident)


def test_single_stage() -> None:
    schedule = compute(make([{"id": "A", "duration_weeks": 2}], plan_start="2027-01-04"))
    assert schedule.finish == 14
    assert schedule.critical_path == ("A",)
    assert schedule.waves == (("A",),)
    a = timing(schedule, "A")
    assert (a.earliest_start, a.earliest_finish, a.total_float, a.free_float, a.critical) == (
        0,
        14,
        0,
        0,
        True,
    )
    assert schedule.date(a.earliest_finish) == dt.date(2027, 1, 18)
    assert schedule.last_day(a) == dt.date(2027, 1, 17)


def test_parallel_equal_paths_are_both_critical_and_the_path_follows_file_order() -> None:
    schedule = compute(
        make(
            [
                {"id": "A", "duration_weeks": 1},
                {"id": "B", "duration_weeks": 2, "depends_on": ["A"]},
                {"id": "C", "duration_weeks": 2, "depends_on": ["A"]},
                {"id": "D", "duration_weeks": 1, "depends_on": ["B", "C"]},
            ]
        )
    )
    assert schedule.finish == 28
    assert all(t.critical for t in schedule.timings)
    assert schedule.critical_path == ("A", "B", "D")
    assert schedule.waves == (("A",), ("B", "C"), ("D",))
    assert timing(schedule, "D").driver == "B"


def test_not_before_raises_the_start_and_starts_the_critical_path() -> None:
    schedule = compute(
        make(
            [
                {"id": "A", "duration_weeks": 1},
                {"id": "B", "duration_weeks": 1, "depends_on": ["A"], "not_before": "2027-01-18"},
            ],
            plan_start="2027-01-04",
        )
    )
    a, b = timing(schedule, "A"), timing(schedule, "B")
    assert (b.earliest_start, b.driver) == (14, None)
    assert (a.total_float, a.free_float, a.critical) == (7, 7, False)
    assert schedule.critical_path == ("B",)


def test_free_float_differs_from_total_float() -> None:
    schedule = compute(
        make(
            [
                {"id": "S", "duration_weeks": 1},
                {"id": "A", "duration_weeks": 1, "depends_on": ["S"]},
                {"id": "B", "duration_weeks": 1, "depends_on": ["A"]},
                {"id": "C", "duration_weeks": 4, "depends_on": ["S"]},
                {"id": "F", "duration_weeks": 1, "depends_on": ["B", "C"]},
            ]
        )
    )
    a, b = timing(schedule, "A"), timing(schedule, "B")
    assert (a.total_float, a.free_float) == (14, 0)
    assert (b.total_float, b.free_float) == (14, 14)
    assert schedule.critical_path == ("S", "C", "F")
    assert schedule.finish == 42


def test_wide_fan_out_and_fan_in() -> None:
    stages = [{"id": "S", "duration_weeks": 1}]
    stages += [{"id": f"X{k}", "duration_weeks": k, "depends_on": ["S"]} for k in range(1, 11)]
    stages.append({"id": "E", "duration_weeks": 1, "depends_on": [f"X{k}" for k in range(1, 11)]})
    schedule = compute(make(stages))
    assert schedule.finish == 7 * 12
    assert schedule.critical_path == ("S", "X10", "E")
    for k in range(1, 11):
        assert timing(schedule, f"X{k}").total_float == 7 * (10 - k)
        assert timing(schedule, f"X{k}").free_float == 7 * (10 - k)
    assert len(schedule.waves) == 3 and len(schedule.waves[1]) == 10


def test_fractional_weeks_round_half_up_to_days() -> None:
    schedule = compute(make([{"id": "A", "duration_weeks": 1.5}, {"id": "B", "duration_weeks": 0.5}]))
    assert [t.days for t in schedule.timings] == [11, 4]


def test_milestone_with_a_fixed_date_and_late_predecessors() -> None:
    schedule = compute(
        make(
            [
                {"id": "A", "duration_weeks": 3},
                {"id": "M", "kind": "milestone", "depends_on": ["A"], "date": "2027-01-11"},
                {"id": "N", "kind": "milestone", "date": "2027-02-01"},
            ],
            plan_start="2027-01-04",
        )
    )
    assert timing(schedule, "M").earliest_start == 21  # predecessors finish after the date
    assert timing(schedule, "N").earliest_start == 28
    assert schedule.last_day(timing(schedule, "N")) == dt.date(2027, 2, 1)


def test_cancelled_stage_takes_no_time_and_is_never_critical() -> None:
    schedule = compute(
        make(
            [
                {"id": "A", "duration_weeks": 1},
                {"id": "X", "duration_weeks": 5, "depends_on": ["A"], "status": "cancelled"},
                {"id": "B", "duration_weeks": 1, "depends_on": ["X"]},
            ]
        )
    )
    x = timing(schedule, "X")
    assert (x.days, x.critical, x.total_float) == (0, False, 0)
    assert schedule.finish == 14
    assert schedule.critical_path == ("A", "X", "B")


def test_forecast_uses_actuals_progress_and_status_date() -> None:
    plan = make(
        [
            {
                "id": "A",
                "duration_weeks": 1,
                "status": "done",
                "actual_start": "2027-01-04",
                "actual_finish": "2027-01-13",
            },
            {
                "id": "B",
                "duration_weeks": 4,
                "depends_on": ["A"],
                "status": "in-progress",
                "percent_complete": 25,
                "actual_start": "2027-01-14",
            },
            {"id": "C", "duration_weeks": 1, "depends_on": ["A"]},
            {"id": "D", "duration_weeks": 1, "depends_on": ["B", "C"]},
        ],
        plan_start="2027-01-04",
        status_date="2027-02-01",
    )
    schedule = compute(plan, forecast=True)
    a, b, c, d = (timing(schedule, i) for i in "ABCD")
    assert (a.earliest_start, a.earliest_finish) == (0, 10)  # finish = actual_finish + 1 day
    assert (b.earliest_start, b.earliest_finish) == (10, 28 + 21)  # 75% of 28 days left from day 28
    assert c.earliest_start == 28  # nothing unstarted starts before status_date
    assert d.earliest_start == 49
    assert schedule.status_date == dt.date(2027, 2, 1)
    assert compute(plan).finish == 42  # the plan as written is unchanged


def test_forecast_needs_a_status_date() -> None:
    with pytest.raises(ValueError):
        compute(make([{"id": "A", "duration_weeks": 1}], plan_start="2027-01-04"), forecast=True)


def test_deadline_float_worked_by_hand() -> None:
    """A (1w) → B (2w, deadline) → M (milestone on a fixed date); C (1w) serves a goal due early.

    A: days 0-7, B: 7-21 (last day 20 = 2027-01-24), M on day 21 (2027-01-25).
    B's deadline 2027-01-22 caps its finish at day 18 + 1 = 19, 2 days short: B's float is -2,
    and A's latest start under the caps is 19 - 14 - 7 = -2 as well. M's date 2027-01-28 is day 24,
    which is also its earliest start, so its float is 0; B's cap from M is 24 (looser than its own
    19). C serves G due 2027-01-31 (day 27, cap 28): C's float 28 - 7 - 0 = 21. D has no dates
    after it: None.
    """
    plan = make(
        [
            {"id": "A", "duration_weeks": 1},
            {"id": "B", "duration_weeks": 2, "depends_on": ["A"], "deadline": "2027-01-22"},
            {"id": "M", "kind": "milestone", "depends_on": ["B"], "date": "2027-01-28"},
            {"id": "C", "duration_weeks": 1, "serves": ["G"]},
            {"id": "D", "duration_weeks": 1},
            {"id": "X", "duration_weeks": 1, "deadline": "2027-01-05", "status": "cancelled"},
        ],
        plan_start="2027-01-04",
    )
    plan = plan.model_copy(update={"goals": [Goal(id="G", due=dt.date(2027, 1, 31))]})
    schedule = compute(plan)
    floats = {t.id: t.deadline_float for t in schedule.timings}
    assert floats == {"A": -2, "B": -2, "M": 0, "C": 21, "D": None, "X": None}


def test_forecast_done_stages_have_no_float_and_are_not_critical() -> None:
    plan = make(
        [
            {"id": "A", "duration_weeks": 1, "status": "done", "actual_start": "2027-01-04",
             "actual_finish": "2027-01-12"},
            {"id": "B", "duration_weeks": 1, "depends_on": ["A"]},
        ],
        plan_start="2027-01-04",
        status_date="2027-01-20",
    )  # fmt: skip
    forecast = compute(plan, forecast=True)
    a, b = forecast.timings
    assert a.settled and not a.critical and a.deadline_float is None
    assert not b.settled and b.critical and b.earliest_start == 16
    assert forecast.critical_path == ("B",)
    assert not compute(plan).timings[0].settled


def test_in_progress_forecast_start_is_capped_by_the_status_date() -> None:
    """SPEC §15: no actual_start → the later of its predecessors' forecast finish and planned start,
    but no later than the status date; it ends status date + remaining days."""
    plan = make(
        [
            {"id": "A", "duration_weeks": 4},
            {"id": "B", "duration_weeks": 2, "depends_on": ["A"], "status": "in-progress",
             "percent_complete": 50},
        ],
        plan_start="2027-01-04",
        status_date="2027-01-18",
    )  # fmt: skip
    b = compute(plan, forecast=True).timings[1]
    assert (b.earliest_start, b.earliest_finish) == (14, 21)


def test_critical_path_never_ends_at_a_cancelled_stage() -> None:
    plan = make(
        [
            {"id": "A", "duration_weeks": 2},
            {"id": "B", "duration_weeks": 2, "depends_on": ["A"]},
            {"id": "X", "duration_weeks": 3, "depends_on": ["B"], "status": "cancelled"},
        ],
        plan_start="2027-01-04",
    )
    schedule = compute(plan)
    assert schedule.critical_path == ("A", "B")
    assert schedule.project_last_day == dt.date(2027, 1, 31)


def test_free_float_of_an_end_stage_is_measured_to_the_project_finish() -> None:
    """A (1 week) and B (3 weeks) both end the plan: A may slip 14 days before the plan finishes."""
    schedule = compute(make([{"id": "A", "duration_weeks": 1}, {"id": "B", "duration_weeks": 3}]))
    a, b = timing(schedule, "A"), timing(schedule, "B")
    assert (a.free_float, a.total_float) == (14, 14)
    assert (b.free_float, b.total_float) == (0, 0)


def test_a_date_floor_tied_with_a_predecessor_leaves_the_predecessor_as_driver() -> None:
    """B may not start before 2027-01-11, the very day its predecessor A ends: A still drives it."""
    schedule = compute(
        make(
            [
                {"id": "A", "duration_weeks": 1},
                {"id": "B", "duration_weeks": 1, "depends_on": ["A"], "not_before": "2027-01-11"},
                {"id": "C", "duration_weeks": 1, "depends_on": ["A"], "not_before": "2027-01-12"},
            ],
            plan_start="2027-01-04",
        )
    )
    assert timing(schedule, "B").driver == "A"  # the tie goes to the predecessor
    assert timing(schedule, "C").driver is None  # a later date floor drives C
    assert timing(schedule, "C").earliest_start == 8


def test_a_kickoff_milestone_on_day_zero_drives_what_follows_it() -> None:
    """M-GO ends on day 0 (a milestone takes no time): A starts on day 0, driven by it."""
    schedule = compute(
        make(
            [
                {"id": "M-GO", "kind": "milestone"},
                {"id": "A", "duration_weeks": 1, "depends_on": ["M-GO"]},
                {"id": "B", "duration_weeks": 1, "depends_on": ["A"]},
            ],
            plan_start="2027-01-04",
        )
    )
    assert (timing(schedule, "A").earliest_start, timing(schedule, "A").driver) == (0, "M-GO")
    assert timing(schedule, "B").driver == "A"
    assert schedule.critical_path == ("M-GO", "A", "B")


def test_a_cancelled_stage_meets_no_date() -> None:
    """A deadline caps a live stage's finish at the day after it; a cancelled stage has no cap."""
    from cio_kit.analysis.schedule import date_caps

    plan = make(
        [
            {"id": "A", "duration_weeks": 1, "deadline": "2027-01-10"},
            {"id": "B", "duration_weeks": 1, "deadline": "2027-01-10", "status": "cancelled"},
            {"id": "M", "kind": "milestone", "date": "2027-01-08"},
        ],
        plan_start="2027-01-04",
    )
    assert date_caps(plan) == [7, None, 4]


def test_the_critical_path_ends_at_the_closing_milestone() -> None:
    """A ends on day 7, the plan's finish; M-END (no time) sits on day 7 too and closes the path."""
    schedule = compute(
        make(
            [
                {"id": "A", "duration_weeks": 1},
                {"id": "B", "duration_weeks": 0.5},
                {"id": "M-END", "kind": "milestone", "depends_on": ["A"]},
            ],
            plan_start="2027-01-04",
        )
    )
    assert schedule.finish == 7
    assert schedule.critical_path == ("A", "M-END")
    assert timing(schedule, "B").total_float > 0


def test_a_plan_without_stages_finishes_on_day_zero() -> None:
    schedule = compute(make([], plan_start="2027-01-04"))
    assert (schedule.finish, schedule.critical_path, schedule.timings) == (0, (), ())
    assert schedule.project_last_day == dt.date(2027, 1, 4)


def test_with_every_stage_cancelled_the_last_day_is_the_day_before_the_finish() -> None:
    """A cancelled stage takes no time but keeps its date floor: the finish is day 28, the last day 27."""
    cancelled = {"id": "A", "duration_weeks": 2, "status": "cancelled", "not_before": "2027-02-01"}
    schedule = compute(make([cancelled], plan_start="2027-01-04"))
    assert (schedule.finish, schedule.last_day_number) == (28, 27)


def test_compute_says_why_it_cannot_schedule() -> None:
    looped = make(
        [
            {"id": "A", "duration_weeks": 1, "depends_on": ["B"]},
            {"id": "B", "duration_weeks": 1, "depends_on": ["A"]},
        ]
    )
    with pytest.raises(ValueError, match=r"^the stage graph has a cycle; DEP001 must be fixed first$"):
        compute(looped)
    undated = make([{"id": "A", "duration_weeks": 1}], plan_start="2027-01-04")
    with pytest.raises(
        ValueError, match=r"^a forecast needs enterprise\.status_date and enterprise\.plan_start$"
    ):
        compute(undated, forecast=True)


def test_started_stages_without_their_actual_dates_worked_by_hand() -> None:
    """Status date day 42 (2027-02-15). Work already done or under way is not held to the status date:

    - DONE (2w, no dates) keeps its plan: days 0-14.
    - LATE-DONE (2w after DONE, last day 2027-01-23 = day 19, no start): finish 20, start 20 - 14 = 6,
      earlier than its planned 14 since the work must have taken its length.
    - OPEN-DONE (2w after DONE, no dates): its planned days 14-28, before the status date.
    - WIDE (20w after DONE, 50% done, no start): starts as planned on day 14; 140 × 0.5 = 70 days
      left from day 42: 112.
    - SHORT (1w after DONE, 50% done): 7 × 0.5 = 3.5 days left, rounded half up to 4: 46.
    - KEPT (1w, done 2027-01-07 to 2027-01-12): its own dates, days 3-9, whatever its plan said.
    """
    plan = make(
        [
            {"id": "DONE", "duration_weeks": 2, "status": "done"},
            {"id": "LATE-DONE", "duration_weeks": 2, "depends_on": ["DONE"], "status": "done",
             "actual_finish": "2027-01-23"},
            {"id": "OPEN-DONE", "duration_weeks": 2, "depends_on": ["DONE"], "status": "done"},
            {"id": "WIDE", "duration_weeks": 20, "depends_on": ["DONE"], "status": "in-progress",
             "percent_complete": 50},
            {"id": "SHORT", "duration_weeks": 1, "depends_on": ["DONE"], "status": "in-progress",
             "percent_complete": 50},
            {"id": "KEPT", "duration_weeks": 1, "status": "done", "actual_start": "2027-01-07",
             "actual_finish": "2027-01-12"},
        ],
        plan_start="2027-01-04",
        status_date="2027-02-15",
    )  # fmt: skip
    forecast = compute(plan, forecast=True)
    spans = {t.id: (t.earliest_start, t.earliest_finish) for t in forecast.timings}
    assert spans == {
        "DONE": (0, 14),
        "LATE-DONE": (6, 20),
        "OPEN-DONE": (14, 28),
        "WIDE": (14, 112),
        "SHORT": (14, 46),
        "KEPT": (3, 9),
    }


def test_effort_needs_a_calendar_start_to_be_measured() -> None:
    """Without plan_start there are no working days to count effort on: an effort-driven stage is placed
    without length (RES rules need plan_start too), and its successors follow from its start."""
    plan = make(
        [{"id": "A", "effort": {"R": 10}}, {"id": "B", "duration_weeks": 1, "depends_on": ["A"]}],
    ).model_copy(update={"resources": [Resource(id="R", capacity=2)]})
    spans = [(t.earliest_start, t.earliest_finish) for t in compute(plan).timings]
    assert spans == [(0, 0), (0, 7)]
