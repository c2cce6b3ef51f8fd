"""The plan model: strict types, free text, null as absent, durations in days."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from pydantic import ValidationError

from cio_kit.plan.model import Plan, Stage


def stage(**fields: Any) -> dict[str, Any]:
    return {"id": "S-A", "title": "A", "kind": "training", "duration_weeks": 1, **fields}


def plan(**sections: Any) -> dict[str, Any]:
    return {"cio_kit": 1, "enterprise": {"name": "Example Co"}, **sections}


@pytest.mark.parametrize("bad", ["1_000", True, "8", "eight", [1]])
def test_numbers_are_not_coerced(bad: object) -> None:
    with pytest.raises(ValidationError):
        Stage.model_validate(stage(duration_weeks=bad))
    with pytest.raises(ValidationError):
        Stage.model_validate(stage(budget=[{"amount": bad, "class": "run", "category": "other"}]))


@pytest.mark.parametrize("bad", [0, "2027/01/04", "2027-1-4", "2027-02-30", True, 20270104])
def test_dates_must_be_iso_calendar_dates(bad: object) -> None:
    with pytest.raises(ValidationError):
        Stage.model_validate(stage(not_before=bad))


def test_dates_parse() -> None:
    assert Stage.model_validate(stage(not_before="2027-02-28")).not_before == dt.date(2027, 2, 28)


@pytest.mark.parametrize(("written", "text"), [(2027, "2027"), (1.5, "1.5"), (True, "true"), ("x", "x")])
def test_free_text_takes_any_scalar(written: object, text: str) -> None:
    assert Stage.model_validate(stage(title=written)).title == text


def test_free_text_refuses_collections() -> None:
    with pytest.raises(ValidationError):
        Stage.model_validate(stage(title=["a"]))


def test_null_means_absent() -> None:
    parsed = Stage.model_validate(stage(actual_start=None, depends_on=None, status=None))
    assert parsed.actual_start is None
    assert parsed.depends_on == []
    assert parsed.status == "planned"


@pytest.mark.parametrize("amount", [float("inf"), float("nan"), -1])
def test_amounts_are_finite_and_non_negative(amount: float) -> None:
    with pytest.raises(ValidationError):
        Stage.model_validate(stage(budget=[{"amount": amount, "class": "run", "category": "other"}]))


def test_unknown_keys_are_rejected_everywhere() -> None:
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate(plan(stages=[stage(dependson=[])]))
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


@pytest.mark.parametrize("bad", ["1a", "S A", "S-β", "", "-S"])
def test_ids_are_checked(bad: str) -> None:
    with pytest.raises(ValidationError):
        Stage.model_validate(stage(id=bad))


@pytest.mark.parametrize(
    ("fields", "days"),
    [
        ({"duration_weeks": 1.5}, 11),  # 10.5 rounds half up
        ({"duration_weeks": 2}, 14),
        ({"duration_weeks": 0.1}, 1),  # 0.7 → 1
        ({"duration_weeks": None, "estimate": {"optimistic": 1, "likely": 1, "pessimistic": 2}}, 8),
        ({"kind": "milestone", "duration_weeks": None}, 0),
        ({"status": "cancelled"}, 0),
    ],
)
def test_days_are_computed_exactly(fields: dict[str, Any], days: int) -> None:
    # PERT (1 + 4 + 2) / 6 = 7/6 weeks = 49/6 days = 8.1666… → 8
    assert Stage.model_validate(stage(**fields)).days == days


def test_the_bundled_plan_is_complete() -> None:
    from pathlib import Path

    from cio_kit.plan.loader import load_plan

    loaded = load_plan(Path(__file__).parent.parent / "plans" / "hengda-group.yaml", explicit=True)
    assert loaded.findings == []
    bundled = loaded.plan
    assert 30 <= len(bundled.stages) <= 50
    for section in ("goals", "processes", "phases", "budget", "stakeholders", "cio", "governance"):
        assert getattr(bundled, section), section
    assert bundled.governance.cases and bundled.governance.sanction_stats and bundled.governance.rewards
    assert {s.kind for s in bundled.stages} >= {
        "process-redesign",
        "system-rollout",
        "infrastructure",
        "data-migration",
        "training",
        "change-management",
        "governance",
        "operations",
        "milestone",
    }


def test_days_follow_a_copied_stage() -> None:
    """Days are cached by value, so a copy with a new duration gets new days (scenarios copy stages)."""
    from cio_kit.plan.model import Stage

    stage = Stage(id="S-A", title="A", kind="training", duration_weeks=1.5)
    assert stage.days == 11  # 10.5 rounds half up
    assert stage.model_copy(update={"duration_weeks": 3.0}).days == 21
    assert stage.model_copy(update={"status": "cancelled"}).days == 0
    estimated = Stage(
        id="S-B", title="B", kind="training", estimate={"optimistic": 1, "likely": 1, "pessimistic": 2}
    )
    assert estimated.days == 8  # PERT mean 7/6 weeks = 8.17 days


@pytest.mark.parametrize(
    ("impact", "days"),
    [
        ({"weeks": 2}, (14, 14, 14)),
        ({"weeks": {"optimistic": 1, "likely": 2, "pessimistic": 4}}, (7, 14, 28)),
        ({"days": {"optimistic": 3, "likely": 5, "pessimistic": 9}}, (3, 5, 9)),
        ({"days": 4}, (4, 4, 4)),
        ({"cost": 1000}, None),
    ],
)
def test_a_risks_time_is_three_days_whether_written_in_weeks_or_days(
    impact: dict[str, Any], days: tuple[float, float, float] | None
) -> None:
    from cio_kit.plan.model import Impact

    assert Impact.model_validate(impact).three_days == days


@pytest.mark.parametrize(
    ("fields", "days"),
    [
        ({"duration_weeks": 0.5}, 4),  # 3.5 rounds half up
        ({"duration_weeks": 0.2}, 1),  # 1.4 → 1
        ({"duration_weeks": 3}, 21),  # a whole number of weeks, exactly
        ({"duration_weeks": None, "estimate": {"optimistic": 1, "likely": 2, "pessimistic": 4}}, 15),
        ({"duration_weeks": None, "estimate": {"optimistic": 2, "likely": 3, "pessimistic": 4}}, 21),
        ({"duration_weeks": None, "effort": {"R-A": 10}}, 0),
    ],
)
def test_whole_days_from_weeks_and_three_point_estimates_worked_by_hand(
    fields: dict[str, Any], days: int
) -> None:
    """floor(7 × weeks + 1/2) (SPEC §6); PERT (1 + 4·2 + 4) / 6 = 13/6 weeks = 15.17 days → 15, and
    (2 + 4·3 + 4) / 6 = 3 weeks = 21 days. An effort-driven stage has no written duration: its days
    come from its resources, not from here."""
    assert Stage.model_validate(stage(**fields)).days == days


@pytest.mark.parametrize(("status", "days"), [("open", 3.0), ("occurred", 10.0), ("closed", 3.0)])
def test_a_risks_exposure_is_its_probability_times_its_mean_time_certain_once_it_occurred(
    status: str, days: float
) -> None:
    """Impact 6 / 10 / 14 days: PERT mean (6 + 4·10 + 14) / 6 = 10 days, times the probability 0.3
    while it may still happen (3.0), the whole 10 once it has occurred."""
    from cio_kit.plan.model import Risk

    risk = Risk.model_validate(
        {
            "id": "R-A",
            "title": "Data migration slips",
            "probability": 0.3,
            "impact": {"days": {"optimistic": 6, "likely": 10, "pessimistic": 14}},
            "status": status,
        }
    )
    assert risk.exposure_days == pytest.approx(days)


@pytest.mark.parametrize(
    ("fields", "weeks"),
    [
        ({"duration_weeks": 1.5}, Fraction(3, 2)),
        (
            {"duration_weeks": None, "estimate": {"optimistic": 1, "likely": 2, "pessimistic": 4}},
            Fraction(13, 6),
        ),
        ({"duration_weeks": 2, "status": "cancelled"}, 0),
        (
            {
                "kind": "milestone",
                "duration_weeks": None,
                "estimate": {"optimistic": 1, "likely": 1, "pessimistic": 2},
            },
            0,
        ),
        ({"duration_weeks": None, "effort": {"R-A": 10}}, 0),
    ],
)
def test_a_stages_weeks_are_exact_and_none_for_a_milestone_or_cancelled_work(
    fields: dict[str, Any], weeks: Fraction
) -> None:
    """What a forecast scales its remaining share from: 1.5 weeks is 3/2 exactly; PERT (1 + 8 + 4) / 6."""
    assert Stage.model_validate(stage(**fields)).weeks == weeks
