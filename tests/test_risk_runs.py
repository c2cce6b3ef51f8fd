"""What each Monte Carlo run keeps of the plan, and what the simulation reports (SPEC §6, §10, §11, §17).

Each figure is checked against a schedule worked by hand, or against another
figure of cio-kit that must agree with it: the deterministic forecast, the
same runs without a risk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from cio_kit.analysis.risk import RiskResult, simulate
from cio_kit.analysis.schedule import compute
from cio_kit.plan.model import Plan

START = "2027-01-04"  # a Monday; day 0


def _plan(stages: list[dict[str, Any]], risks: Sequence[dict[str, Any]] = (), **enterprise: Any) -> Plan:
    return Plan.model_validate(
        {
            "cio_kit": 1,
            "enterprise": {"name": "T", "plan_start": START, **enterprise},
            "stages": [{"title": s["id"], "kind": "training", **s} for s in stages],
            "risks": [{"title": r["id"], "owner": "O", "probability": 1, **r} for r in risks],
        }
    )


PERT = {"optimistic": 2, "likely": 3, "pessimistic": 7}
EIGHT_WEEKS = {"optimistic": 8, "likely": 8, "pessimistic": 8}
FIRST_WEEK_DONE = {"status": "done", "actual_start": START, "actual_finish": "2027-01-08"}


def test_a_risks_effect_is_the_p80_it_adds_to_the_same_runs() -> None:
    # The risk events draw from streams of their own, so the plan without its risk draws exactly
    # the same stage lengths: the effect is the difference of the two P80s the runs report.
    chain = [
        {"id": "S-A", "estimate": PERT},
        {"id": "S-B", "estimate": PERT, "depends_on": ["S-A"]},
        {"id": "S-C", "estimate": PERT},
    ]
    shaped = {
        "id": "R-B",
        "probability": 0.4,
        "impact": {"weeks": {"optimistic": 1, "likely": 2, "pessimistic": 6}},
        "stages": ["S-B"],
    }
    with_risk = simulate(_plan(chain, [shaped]), runs=3000, seed=7)
    without = simulate(_plan(chain), runs=3000, seed=7)
    (effect,) = with_risk.events
    added = with_risk.percentile(0.8) - without.percentile(0.8)
    assert added > 3
    assert effect.p80_effect_days == round(added, 2)
    assert 0.37 < effect.occurred_share < 0.43


def test_the_cost_not_exceeded_in_a_share_of_the_runs() -> None:
    result = RiskResult(101, 0, np.zeros(101), (), (), costs=np.arange(101.0))
    assert (result.cost(0.5), result.cost(0.8), result.cost(0.95)) == (50.0, 80.0, 95.0)
    assert RiskResult(1, 0, np.zeros(1), (), ()).cost(0.8) is None


def test_a_risk_adds_only_what_it_states() -> None:
    # A cost-only risk adds no time; a time-only risk adds no cost; with no cost basis a run costs
    # only its risks'. S-A is two weeks: every run finishes on day 14.
    plan = _plan(
        [{"id": "S-A", "duration_weeks": 2}],
        [
            {"id": "R-COST", "impact": {"cost": 1000}, "stages": ["S-A"]},
            {"id": "R-LATE", "probability": 0.5, "impact": {"days": 0.5}, "stages": ["S-A"]},
        ],
    )
    result = simulate(plan, runs=200, seed=1)
    assert list(result.costs) == [1000.0] * 200
    assert result.percentile(0.05) == 14.0
    assert result.percentile(0.95) == 14.5


def test_an_occurred_risk_happens_in_every_run_whatever_its_probability() -> None:
    plan = _plan(
        [{"id": "S-A", "duration_weeks": 2}],
        [{"id": "R-A", "probability": 0.1, "status": "occurred", "impact": {"days": 3}, "stages": ["S-A"]}],
    )
    result = simulate(plan, runs=50, seed=1)
    assert [(e.occurred_share, e.p80_effect_days) for e in result.events] == [(1.0, 3.0)]
    assert result.percentile(0.05) == 17.0


def test_shares_are_rounded_to_four_places() -> None:
    # Three runs: every share is a third of a whole number of runs, 0.3333 or 0.6667 when not 0 or 1.
    plan = _plan(
        [{"id": "S-A", "estimate": PERT, "deadline": "2027-01-25"}, {"id": "S-B", "estimate": PERT}],
        [{"id": "R-A", "probability": 0.5, "impact": {"days": 1}, "stages": ["S-A"]}],
    )
    result = simulate(plan, runs=3, seed=5)
    assert dict(result.criticality) == {"S-A": 0.3333, "S-B": 0.6667}
    assert [d.probability for d in result.deadlines] == [0.3333]
    assert [e.occurred_share for e in result.events] == [0.6667]


def test_the_twenty_largest_risks_are_measured_and_a_risk_on_finished_work_moves_nothing() -> None:
    # 22 certain risks on S-A, of 1 to 22 days, the smallest first. The twenty largest (22 to 3
    # days) are measured; are not (None). R-0 touches only S-DONE, which is done: no
    # run can change, so its effect is 0 though it is not among the twenty.
    risks: list[dict[str, Any]] = [
        {"id": f"R-{days}", "impact": {"days": days}, "stages": ["S-A"]} for days in range(1, 23)
    ]
    risks.append({"id": "R-0", "impact": {"days": 5}, "stages": ["S-DONE"], "probability": 0.01})
    plan = _plan(
        [
            {
                "id": "S-DONE",
                "duration_weeks": 1,
                "status": "done",
                "actual_start": START,
                "actual_finish": "2027-01-08",
            },
            {"id": "S-A", "duration_weeks": 1},
        ],
        risks,
        status_date="2027-01-11",
    )
    effects = {e.id: e.p80_effect_days for e in simulate(plan, runs=20, seed=1, forecast=True).events}
    assert effects["R-22"] == 22.0 and effects["R-3"] == 3.0
    assert effects["R-2"] is None and effects["R-1"] is None
    assert effects["R-0"] == 0.0


def test_the_last_day_of_work_is_a_closing_milestones_own_day() -> None:
    # S-A fills days 0-13. A milestone after it falls on day 14, which is then the last day of
    # work; a cancelled one does not count, so the last day is 13, S-A's.
    ending: list[dict[str, Any]] = [
        {"id": "S-A", "duration_weeks": 2},
        {"id": "M-END", "kind": "milestone", "depends_on": ["S-A"]},
    ]
    assert simulate(_plan(ending), runs=10).last_day(0.5) == 14
    ending[1]["status"] = "cancelled"
    assert simulate(_plan(ending), runs=10).last_day(0.5) == 13


def test_a_milestone_meets_a_deadline_on_its_own_day_and_not_the_day_before() -> None:
    # S-A fills days 0-13 (to 17 January); the milestones fall on day 14, 18 January, and so does
    # S-DAY's one day of work (0.15 weeks).
    stages: list[dict[str, Any]] = [
        {"id": "S-A", "duration_weeks": 2},
        {"id": "M-ON", "kind": "milestone", "depends_on": ["S-A"], "deadline": "2027-01-18"},
        {"id": "M-BEFORE", "kind": "milestone", "depends_on": ["S-A"], "deadline": "2027-01-17"},
        {"id": "S-DAY", "duration_weeks": 0.15, "depends_on": ["S-A"], "deadline": "2027-01-18"},
    ]
    odds = {d.id: d.probability for d in simulate(_plan(stages), runs=10).deadlines}
    assert odds == {"M-ON": 1.0, "M-BEFORE": 0.0, "S-DAY": 1.0}


def test_work_under_way_runs_its_remaining_share_from_the_status_date_as_the_forecast_does() -> None:
    # S-A (eight weeks every run, 56 days) started on day 0 and is a quarter done at the status
    # date, day 28: three quarters, 42 days, remain from day 28, so it finishes on day 70. S-B
    # follows for two weeks: 84. The deterministic forecast says the same.
    plan = _plan(
        [
            {"id": "S-A", "estimate": EIGHT_WEEKS, "status": "in-progress", "actual_start": START,
             "percent_complete": 25},
            {"id": "S-B", "duration_weeks": 2, "depends_on": ["S-A"]},
        ],
        status_date="2027-02-01",
    )  # fmt: skip
    result = simulate(plan, runs=20, forecast=True)
    assert result.percentile(0.05) == result.percentile(0.95) == 84.0
    assert compute(plan, forecast=True).finish == 84


def test_finished_and_cancelled_work_is_neither_sampled_nor_lengthened() -> None:
    # S-DONE ran days 0-4; S-GONE is cancelled. A certain week-long risk on each and S-GONE's wide
    # estimate change nothing: the plan ends with S-A, two weeks from the status date (day 7).
    plan = _plan(
        [
            {"id": "S-DONE", "duration_weeks": 1, **FIRST_WEEK_DONE},
            {"id": "S-GONE", "estimate": {"optimistic": 30, "likely": 40, "pessimistic": 90},
             "status": "cancelled", "deadline": "2027-01-05"},
            {"id": "S-A", "duration_weeks": 2},
        ],
        [{"id": "R-A", "impact": {"weeks": 1}, "stages": ["S-DONE", "S-GONE"]}],
        status_date="2027-01-11",
    )  # fmt: skip
    result = simulate(plan, runs=20, forecast=True)
    assert result.percentile(0.05) == result.percentile(0.95) == 21.0
    assert [d.id for d in result.deadlines] == []
    assert dict(result.criticality)["S-GONE"] == 0.0


def test_an_effort_driven_stage_keeps_the_length_its_resources_give_it() -> None:
    # 10 person-days at 2 a day: five working days, Monday to Friday, so S-B (three days) starts
    # on day 5 and ends on day 8.
    plan = Plan.model_validate(
        {
            "cio_kit": 1,
            "enterprise": {"name": "T", "plan_start": START},
            "resources": [{"id": "R", "capacity": 2}],
            "stages": [
                {"id": "S-A", "title": "a", "kind": "training", "effort": {"R": 10}},
                {
                    "id": "S-B",
                    "title": "b",
                    "kind": "training",
                    "duration_weeks": 0.43,
                    "depends_on": ["S-A"],
                },
            ],
        }
    )
    result = simulate(plan, runs=10)
    assert result.percentile(0.5) == compute(plan).finish == 8.0


def test_levelled_starts_hold_each_stage_back() -> None:
    # Two independent one-week stages; levelling put S-B after S-A, on day 7: it ends on day 14.
    plan = _plan([{"id": "S-A", "duration_weeks": 1}, {"id": "S-B", "duration_weeks": 1}])
    free, levelled = simulate(plan, runs=10), simulate(plan, runs=10, levelled_starts=[0, 7])
    assert (free.percentile(0.5), free.levelled) == (7.0, False)
    assert (levelled.percentile(0.5), levelled.levelled) == (14.0, True)
    assert dict(levelled.criticality) == {"S-A": 0.0, "S-B": 1.0}


def test_a_forecast_needs_a_status_date() -> None:
    plan = _plan([{"id": "S-A", "duration_weeks": 1}])
    with pytest.raises(ValueError, match=r"^a forecast needs enterprise\.status_date"):
        simulate(plan, runs=5, forecast=True)
    with pytest.raises(ValueError, match=r"^a forecast needs enterprise\.status_date"):
        simulate(plan, runs=5, forecast=True, forecast_schedule=compute(plan))  # the plan as written


def test_a_plan_with_no_stages_finishes_on_day_zero() -> None:
    result = simulate(_plan([]), runs=4)
    assert list(result.finish_days) == [0.0] * 4
    assert dt.date.fromisoformat(START) + dt.timedelta(days=int(result.percentile(0.5))) == dt.date(
        2027, 1, 4
    )


def test_a_milestone_is_the_last_day_only_in_the_runs_nothing_ends_after_it() -> None:
    # M-A falls on day 14, after S-A's two weeks. S-B, beside it, takes 14 to 15 days (2 to 2.14
    # weeks): it ends after M-A in every run, part-way into day 14, which is its last day of work.
    # A run whose milestone fell a day earlier than its end, or another run's, must not move it.
    plan = _plan(
        [
            {"id": "S-A", "duration_weeks": 2},
            {"id": "M-A", "kind": "milestone", "depends_on": ["S-A"]},
            {"id": "S-B", "estimate": {"optimistic": 2, "likely": 2.07, "pessimistic": 2.14}},
        ]
    )
    result = simulate(plan, runs=50, seed=3)
    assert 14 < result.percentile(0.05) < result.percentile(0.95) < 15
    assert set(result.last_days) == {14.0}
    # M-A after S-A (7 to 14 days) beside S-B (10 days): where S-A ends after day 10, M-A is
    # last and its own day (S-A's finish) is the last day of work; elsewhere S-B's last day, 9.
    plan = _plan(
        [
            {"id": "S-A", "estimate": {"optimistic": 1, "likely": 1.5, "pessimistic": 2}},
            {"id": "M-A", "kind": "milestone", "depends_on": ["S-A"]},
            {"id": "S-B", "duration_weeks": 1.43},
        ]
    )
    result = simulate(plan, runs=200, seed=3)
    expected = np.where(result.finish_days > 10, np.ceil(result.finish_days - 1e-9), 9.0)
    assert list(result.last_days) == list(expected) and 9.0 in expected and len(set(expected)) > 2


def test_a_goal_is_due_on_the_work_that_serves_it_not_on_cancelled_work() -> None:
    # S-A (one week, days 0-6) serves G-A, due 2027-01-20 (day 16). S-GONE served it too but is
    # cancelled; it would have started after S-LONG's four weeks, on day 28.
    plan = Plan.model_validate(
        {
            "cio_kit": 1,
            "enterprise": {"name": "T", "plan_start": START},
            "goals": [{"id": "G-A", "title": "a", "due": "2027-01-20"}],
            "stages": [
                {"id": "S-A", "title": "a", "kind": "training", "duration_weeks": 1, "serves": ["G-A"]},
                {"id": "S-LONG", "title": "l", "kind": "training", "duration_weeks": 4},
                {"id": "S-GONE", "title": "g", "kind": "training", "duration_weeks": 1, "serves": ["G-A"],
                 "status": "cancelled", "depends_on": ["S-LONG"]},
            ],
        }
    )  # fmt: skip
    assert [(d.id, d.probability) for d in simulate(plan, runs=10).deadlines] == [("G-A", 1.0)]


def test_progress_on_work_not_started_is_not_counted_as_the_forecast_does_not() -> None:
    # S-B claims 50% but is planned (SCHED003 reports it): it runs its whole eight weeks from the
    # status date, day 28, to day 84, in every run as in the forecast.
    plan = _plan([{"id": "S-B", "estimate": EIGHT_WEEKS, "percent_complete": 50}], status_date="2027-02-01")
    result = simulate(plan, runs=10, forecast=True)
    assert result.percentile(0.5) == compute(plan, forecast=True).finish == 84
