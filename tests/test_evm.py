"""Earned value (ANSI/EIA-748) and earned schedule (Lipke) against a hand-worked example and properties."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_kit.analysis.evm import PlannedValueCurve, earned_value, ratio
from cio_kit.analysis.schedule import compute
from cio_kit.plan.model import Plan
from cio_kit.render import evm as render_evm
from cio_kit.validate import check_file
from tests.conftest import examples, load_document

SMALL = Path(__file__).parent / "data" / "evm-small.yaml"


@pytest.fixture(scope="module")
def small() -> Plan:
    loaded = check_file(SMALL, True)
    assert not loaded.blocked
    plan: Plan = loaded.plan
    return plan


def test_worked_example_every_figure(small: Plan) -> None:
    """The whole JSON total, worked by hand.

    Daily planned value: days 0-6 S-A 100/day; days 7-13 S-B 100 + S-C 50; days 14-20 S-B 100;
    days 21-34 S-D 200. BAC = 700 + 1400 + 350 + 2800 = 5250 (the budget line is not scope).
    PV(20) = 700 + 13/14 × 1400 + 350 = 2350. EV = 700 + 50% × 1400 = 1400. AC = 800 + 600.
    ES: PV(11) = 700 + 4 × 150 = 1300 <= 1400 < PV(12) = 1450, so ES = 11 + 100/150 = 11.6667.
    """
    document = json.loads(render_evm.to_json(earned_value(small)))
    assert document["plan"] == "EVM Example Co"
    assert document["status_date"] == "2027-01-24"
    assert document["baseline"] is None and document["currency"] == "EUR"
    assert document["total"] == {
        "bac": 5250.0,
        "pv": 2350.0,
        "ev": 1400.0,
        "ac": 1400.0,
        "sv": -950.0,
        "cv": 0.0,
        "spi": round(1400 / 2350, 4),
        "cpi": 1.0,
        "eac": 5250.0,
        # Composite with SPI(t) (SPEC §18): AC + (BAC − EV) / (CPI × SPI(t)) = 1400 + 3850 / (7/12) = 8000.
        "eac_composite": 8000.0,
        "eac_bottom_up": 5250.0,  # AC + BAC − EV = 1400 + 3850: the rest of the work at its budget
        "eac_low": 5250.0,  # EAC(CPI) and bottom-up agree at CPI 1
        "eac_high": 8000.0,
        "etc": 3850.0,
        "vac": 0.0,
        "tcpi": 1.0,
        "pd_days": 35,
        "at_days": 20,
        "es_days": 11.67,
        "spi_t": round(35 / 60, 4),  # ES / AT = 11.6667 / 20
        "sv_t_days": -8.33,
        "ieac_t_days": 60.0,  # PD / SPI(t) = 35 / (7/12)
        "forecast_finish_date": "2027-03-04",  # day ceil(60) - 1 = 59
    }
    stages = {row["id"]: row for row in document["stages"]}
    assert stages["S-A"] == {
        "id": "S-A", "bac": 700.0, "pv": 700.0, "ev": 700.0, "ac": 800.0,
        "sv": 0.0, "cv": -100.0, "spi": 1.0, "cpi": 0.875,
    }  # fmt: skip
    assert stages["S-B"]["pv"] == 1300.0 and stages["S-B"]["ev"] == 700.0
    assert stages["S-B"]["spi"] == round(700 / 1300, 4) and stages["S-B"]["cpi"] == round(700 / 600, 4)
    assert stages["S-C"]["spi"] == 0.0 and stages["S-C"]["cpi"] is None
    assert stages["S-D"]["pv"] == 0.0 and stages["S-D"]["spi"] is None
    # Month ends from January to the finish's month (M-END on 2027-02-08), plus the status date.
    assert document["curve"] == [
        {"date": "2027-01-24", "pv": 2350.0, "ev": 1400.0, "ac": 1400.0},
        {"date": "2027-01-31", "pv": 3850.0, "ev": None, "ac": None},  # days 0..27
        {"date": "2027-02-28", "pv": 5250.0, "ev": None, "ac": None},
    ]


def test_done_with_a_low_percent_earns_its_whole_budget(small: Plan) -> None:
    stages = [s.model_copy(update={"percent_complete": 40}) if s.id == "S-A" else s for s in small.stages]
    report = earned_value(small.model_copy(update={"stages": stages}))
    assert report.ev == pytest.approx(1400)


def test_baseline_descopes_and_leaves_out_new_stages(small: Plan) -> None:
    cancelled = small.stages[2].model_copy(update={"status": "cancelled"})
    extra = small.stages[2].model_copy(update={"id": "S-NEW", "actual_cost": 50})
    current = small.model_copy(update={"stages": [*small.stages[:2], cancelled, *small.stages[3:], extra]})
    report = earned_value(current, small, "v1")
    assert report.baseline == "v1"
    assert report.descoped == ("S-C",) and report.unbaselined == ("S-NEW",)
    assert report.bac == pytest.approx(5250 - 350)
    assert report.pv == pytest.approx(2350 - 350)
    assert report.ac == pytest.approx(1400 + 50)  # money spent counts wherever it went
    assert "S-C" not in [row.id for row in report.stages]


def test_zero_denominators_are_null(small: Plan) -> None:
    early = small.model_copy(
        update={"enterprise": small.enterprise.model_copy(update={"status_date": dt.date(2027, 1, 4)})}
    )
    untouched = [
        s.model_copy(update={"status": "planned", "percent_complete": 0, "actual_cost": None,
                             "actual_start": None, "actual_finish": None})
        for s in small.stages
    ]  # fmt: skip
    report = earned_value(early.model_copy(update={"stages": untouched}))
    assert (report.pv, report.ev, report.ac, report.at_days) == (0, 0, 0, 0)
    assert report.spi is None and report.cpi is None and report.eac is None and report.spi_t is None
    document = json.loads(render_evm.to_json(report))
    assert document["total"]["eac_composite"] is None and document["total"]["forecast_finish_date"] is None


# -- properties ------------------------------------------------------------------


@st.composite
def progressed_plans(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=8))
    stages = []
    for number in range(count):
        milestone = draw(st.booleans()) and number > 0
        stage: dict[str, Any] = {
            "id": f"S-{number}",
            "title": "x",
            "kind": "milestone" if milestone else "training",
            "budget": [{"amount": draw(st.integers(1, 10_000)), "class": "grow", "category": "training"}],
        }
        if not milestone:
            stage["duration_weeks"] = draw(st.integers(1, 10))
        if number:
            earlier = draw(st.lists(st.integers(0, number - 1), max_size=2, unique=True))
            stage["depends_on"] = [f"S-{e}" for e in earlier]
        stages.append(stage)
    return {
        "cio_kit": 1,
        "enterprise": {"name": "P", "plan_start": "2027-01-04", "status_date": "2027-03-01"},
        "stages": stages,
    }


def _plan(document: dict[str, Any], tmp_path: Path) -> Plan:
    return load_document(document, tmp_path)


@settings(max_examples=examples(40), deadline=None)
@given(document=progressed_plans(), late=st.integers(0, 400))
def test_pv_at_the_baseline_finish_is_bac(document: dict[str, Any], late: int, tmp_path_factory: Any) -> None:
    plan = _plan(document, tmp_path_factory.mktemp("pv"))
    report = earned_value(plan)
    finish = dt.date(2027, 1, 4) + dt.timedelta(days=report.pd_days + late)
    after = earned_value(
        plan.model_copy(update={"enterprise": plan.enterprise.model_copy(update={"status_date": finish})})
    )
    assert after.pv == pytest.approx(after.bac, abs=1e-6)
    assert report.bac == pytest.approx(sum(s.planned_spend for s in plan.stages))
    assert 0 <= report.pv <= report.bac + 1e-6
    assert report.ev == 0 and report.es_days == 0  # no progress, nothing earned


@settings(max_examples=examples(40), deadline=None)
@given(document=progressed_plans())
def test_all_done_earns_bac_and_the_whole_duration(document: dict[str, Any], tmp_path_factory: Any) -> None:
    for stage in document["stages"]:
        stage["status"] = "done"
    plan = _plan(document, tmp_path_factory.mktemp("done"))
    report = earned_value(plan)
    assert report.ev == pytest.approx(report.bac)
    assert report.es_days == report.pd_days
    assert report.spi_t == pytest.approx(report.es_days / report.at_days)


def test_goldens(small: Plan, golden: Any) -> None:
    from io import StringIO

    from rich.console import Console

    report = earned_value(small)
    golden("evm.json", render_evm.to_json(report))
    golden("evm.md", render_evm.to_markdown(report))
    buffer = StringIO()
    render_evm.render_text(report, Console(file=buffer, width=80, color_system=None))
    golden("evm-80.txt", buffer.getvalue())


def test_a_milestone_s_money_is_planned_from_the_start_of_its_day(write_plan: Any) -> None:
    """S-A runs days 0-27 (to 2027-01-31); M-A on day 28 (2027-02-01) carries 100."""
    plan = check_file(
        write_plan(
            """\
cio_kit: 1
enterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-02-01}
stages:
  - {id: S-A, title: A, kind: training, duration_weeks: 4,
     budget: [{amount: 2800, class: grow, category: training}]}
  - {id: M-A, title: M, kind: milestone, depends_on: [S-A],
     budget: [{amount: 100, class: grow, category: other}]}
"""
        ),
        True,
    ).plan
    report = earned_value(plan)
    assert report.pd_days == 28 and report.at_days == 28
    assert report.pv == pytest.approx(2900)  # the data date is the start of 2027-02-01: M-A is due
    assert {row.id: row.pv for row in report.stages} == pytest.approx({"S-A": 2800, "M-A": 100})
    january = next(point for point in report.curve if point.date == dt.date(2027, 1, 31))
    assert january.pv == pytest.approx(2800)  # the month end does not include next day's milestone


def test_tcpi_is_the_remaining_work_over_the_remaining_money(small: Plan) -> None:
    """S-A cost 1,100 instead of 800: AC 1,700. TCPI = (5,250 − 1,400) / (5,250 − 1,700) = 3,850 / 3,550."""
    stages = [s.model_copy(update={"actual_cost": 1100}) if s.id == "S-A" else s for s in small.stages]
    report = earned_value(small.model_copy(update={"stages": stages}))
    assert report.ac == pytest.approx(1700)
    assert report.tcpi == pytest.approx(3850 / 3550)
    assert report.cpi == pytest.approx(1400 / 1700)


def test_a_stages_etc_replaces_its_remaining_budget_in_the_bottom_up_eac(small: Plan) -> None:
    """S-B is half done of 1,400 (700 not yet earned); its etc of 2,000 says the rest costs more.

    Bottom-up = AC + Σ remaining = 1,400 + (2,000 + S-C 350 + S-D 2,800) = 6,550, not 5,250.
    """
    stages = [s.model_copy(update={"etc": 2000.0}) if s.id == "S-B" else s for s in small.stages]
    report = earned_value(small.model_copy(update={"stages": stages}))
    assert report.eac_bottom_up == 6550.0
    assert report.eac_low == 5250.0 and round(report.eac_high, 6) == 8000.0  # CPI's and composite's
    done = [s.model_copy(update={"etc": 999.0}) if s.id == "S-A" else s for s in small.stages]
    assert earned_value(small.model_copy(update={"stages": done})).eac_bottom_up == 5250.0  # done: no rest


def _at(plan: Plan, status_date: dt.date, **first: Any) -> Plan:
    """The plan at another status date, S-A as ``first`` says and every other stage not started."""
    untouched = {
        "status": "planned", "percent_complete": 0, "actual_cost": None, "actual_start": None,
        "actual_finish": None,
    }  # fmt: skip
    stages = [s.model_copy(update=first if s.id == "S-A" else untouched) for s in plan.stages]
    enterprise = plan.enterprise.model_copy(update={"status_date": status_date})
    return plan.model_copy(update={"enterprise": enterprise, "stages": stages})


def test_the_day_after_day_zero_is_measured(small: Plan) -> None:
    """Day 1 (2027-01-05): S-A is 10% done for 90. PV(1) = one day of S-A = 100, EV = 70, AC = 90.

    SPI = 0.7, CPI = 70/90. ES: PV(0) = 0 <= 70 < PV(1) = 100, so ES = 0.7 and SPI(t) = 0.7;
    IEAC(t) = 35 / 0.7 = 50 days, so the forecast last day is day 49, 2027-02-22.
    """
    started = {"status": "in-progress", "percent_complete": 10, "actual_start": dt.date(2027, 1, 4),
               "actual_cost": 90, "actual_finish": None}  # fmt: skip
    report = earned_value(_at(small, dt.date(2027, 1, 5), **started))
    assert report.at_days == 1 and report.measurable
    assert (report.pv, report.ev, report.ac) == pytest.approx((100, 70, 90))
    assert report.spi == pytest.approx(0.7) and report.cpi == pytest.approx(70 / 90)
    assert report.es == pytest.approx(0.7) and report.spi_t == pytest.approx(0.7)
    assert report.ieac_t_days == pytest.approx(50)
    assert report.forecast_finish_date == dt.date(2027, 2, 22)


def test_money_spent_with_nothing_earned_leaves_only_the_bottom_up_eac(small: Plan) -> None:
    """Day 20, S-A started and 500 spent, nothing earned: CPI = 0/500 = 0 and SPI(t) = 0.

    BAC / CPI and the composite divide by zero, so neither exists; bottom-up is AC plus every
    stage's budget: 500 + 5,250 = 5,750, the low and the high of the range.
    """
    started = {"status": "in-progress", "percent_complete": 0, "actual_start": dt.date(2027, 1, 4),
               "actual_cost": 500, "actual_finish": None}  # fmt: skip
    report = earned_value(_at(small, dt.date(2027, 1, 24), **started))
    assert report.ev == 0 and report.cpi == 0 and report.spi_t == 0
    assert report.eac is None and report.eac_composite is None and report.etc is None
    assert report.eac_methods == {"bottom-up": 5750.0}
    assert report.eac_low == report.eac_high == 5750.0
    assert report.ieac_t_days is None and report.forecast_finish_date is None


def test_a_budget_of_a_millionth_measures_nothing(small: Plan) -> None:
    """Below a millionth of the currency nothing is baselined: no index, whatever PV and EV say."""
    report = earned_value(small)
    assert report.measurable
    for bac in (1e-6, 1e-7):
        tiny = replace(report, bac=bac)
        assert not tiny.measurable
        assert tiny.spi is None and tiny.cpi is None and tiny.es is None and tiny.spi_t is None
        assert tiny.sv_t_days is None
    assert replace(report, bac=2e-6).measurable


def test_a_one_day_plan_on_time_finishes_on_day_zero(small: Plan) -> None:
    """PD 1 day and ES = AT: IEAC(t) = 1 day, so the forecast last day is day ⌈1⌉ − 1 = 0."""
    report = replace(earned_value(small), pd_days=1, es_days=20.0, at_days=20)
    assert report.ieac_t_days == 1.0
    assert report.forecast_finish_date == dt.date(2027, 1, 4)


def test_a_ratio_over_a_denominator_below_a_trillionth_is_none() -> None:
    assert ratio(3.0, 1e-12) == pytest.approx(3e12)
    assert ratio(3.0, 9e-13) is None and ratio(3.0, -9e-13) is None and ratio(3.0, None) is None
    assert ratio(-3.0, -2.0) == 1.5


def _with(plan: Plan, ident: str, **update: Any) -> Plan:
    """The plan with one stage changed."""
    stages = [s.model_copy(update=update) if s.id == ident else s for s in plan.stages]
    return plan.model_copy(update={"stages": stages})


def _priced(plan: Plan, ident: str, amount: float) -> Plan:
    """The plan with one stage's budget set to a single item of ``amount``."""
    item = next(s.budget[0] for s in plan.stages if s.budget).model_copy(update={"amount": amount})
    return _with(plan, ident, budget=[item])


def _curve(plan: Plan) -> PlannedValueCurve:
    return PlannedValueCurve(plan, compute(plan), set(range(len(plan.stages))))


def test_money_on_a_milestone_of_day_zero_is_planned_from_its_start(small: Plan) -> None:
    """M-GO, a milestone on day 0 with 500: PV(0) = 500, PV(1) = 500 + one day of S-A = 600.

    Before day 0 nothing is planned, through the day before either; EV below 500 earns no schedule.
    """
    go = small.stages[-1].model_copy(update={"id": "M-GO", "depends_on": []})
    plan = _priced(small.model_copy(update={"stages": [go, *small.stages]}), "M-GO", 500)
    curve = _curve(plan)
    assert (curve.at(-1), curve.at(0), curve.at(1)) == (0.0, 500.0, 600.0)
    assert (curve.through(-1), curve.through(0)) == (0.0, 600.0)
    assert curve.earned_schedule(499) == 0.0 and curve.earned_schedule(550) == 0.5
    dated = plan.model_copy(
        update={"enterprise": plan.enterprise.model_copy(update={"status_date": dt.date(2027, 1, 1)})}
    )
    before = earned_value(dated)
    assert before.at_days == -3 and before.pv == 0.0 and not before.measurable


def test_the_curve_reaches_bac_through_its_last_day_and_after(small: Plan) -> None:
    curve = _curve(small)
    assert curve.duration == 35 and curve.bac == 5250.0
    assert curve.through(34) == curve.through(35) == curve.through(60) == 5250.0
    assert curve.at(35) == curve.at(99) == 5250.0
    assert curve.earned_schedule(5250.0) == curve.earned_schedule(6000.0) == 35.0


def test_a_one_day_stage_plans_its_money_over_its_day(small: Plan) -> None:
    """S-C takes one day (day 7): PV(7) = S-A's 700 only; PV(8) = 700 + S-B's 100 + S-C's 350."""
    curve = _curve(_with(small, "S-C", duration_weeks=1 / 7))
    assert (curve.at(7), curve.at(8)) == (700.0, 1150.0)


def test_earned_schedule_counts_the_days_that_planned_nothing(small: Plan) -> None:
    """S-A (days 0-6) has no money, and nothing is earned: PV(C) <= EV = 0 for C up to 7, so ES = 7.

    Lipke's ES is the last day count whose planned value EV reaches, plus the share of the next.
    """
    free = _with(small, "S-A", budget=[])
    done = {"status": "done", "actual_start": dt.date(2027, 1, 4), "actual_finish": dt.date(2027, 1, 10)}
    report = earned_value(_at(free, dt.date(2027, 1, 24), **done))
    assert report.ev == 0.0 and report.bac == 4550.0
    assert report.es_days == 7.0


def test_a_milestone_s_money_is_planned_once_its_day_has_come(small: Plan) -> None:
    """M-END (day 35) with 500 has no planned value at day 20; on a status date of its day, all of it."""
    rows = {row.id: row for row in earned_value(_priced(small, "M-END", 500)).stages}
    assert rows["M-END"].pv == 0.0 and rows["S-A"].pv == 700.0
    late = _priced(small, "M-END", 500)
    late = late.model_copy(
        update={"enterprise": late.enterprise.model_copy(update={"status_date": dt.date(2027, 2, 8)})}
    )
    assert {row.id: row.pv for row in earned_value(late).stages}["M-END"] == 500.0


def test_earned_value_needs_a_status_date_and_a_plan_start(small: Plan) -> None:
    undated = small.model_copy(
        update={"enterprise": small.enterprise.model_copy(update={"status_date": None})}
    )
    with pytest.raises(
        ValueError, match=r"^earned value needs enterprise\.status_date and enterprise\.plan_start$"
    ):
        earned_value(undated)
    unplaced = small.model_copy(
        update={"enterprise": small.enterprise.model_copy(update={"plan_start": None})}
    )
    with pytest.raises(ValueError, match=r"status_date and enterprise\.plan_start$"):
        earned_value(small, unplaced)


def test_a_stage_cancelled_in_the_baseline_is_out_of_scope_not_descoped(small: Plan) -> None:
    report = earned_value(_with(small, "S-C", status="cancelled"))
    assert report.descoped == () and report.unbaselined == ()
    assert "S-C" not in [row.id for row in report.stages]
    assert report.bac == 5250.0 - 350.0


def test_a_stage_gone_from_the_plan_earns_nothing(small: Plan) -> None:
    """S-D deleted (not cancelled) since the baseline: still in scope, EV 0 and no cost."""
    current = small.model_copy(update={"stages": [s for s in small.stages if s.id != "S-D"]})
    report = earned_value(current, small, "v1")
    rows = {row.id: row for row in report.stages}
    assert rows["S-D"].ev == 0.0 and rows["S-D"].ac == 0.0 and rows["S-D"].bac == 2800.0
    assert report.ev == 1400.0 and report.bac == 5250.0 and report.descoped == ()


def test_the_curve_has_every_month_end_across_a_year_end(small: Plan) -> None:
    """Day 0 on 2026-12-31, a month end itself; the last day (day 34) is 2027-02-03.

    Points: 2026-12-31 (PV through day 0 = one day of S-A, 100), the status date 2027-01-20
    (day 20: PV 2,350 as in the worked example), 2027-01-31 (through day 31: S-A, S-B and S-C,
    2,450, and 11 days of S-D, 2,200), 2027-02-28 (everything).
    """
    moved = small.enterprise.model_copy(
        update={"plan_start": dt.date(2026, 12, 31), "status_date": dt.date(2027, 1, 20)}
    )
    stages = [
        s.model_copy(update={"actual_start": dt.date(2026, 12, 31), "actual_finish": dt.date(2027, 1, 6)})
        if s.id == "S-A"
        else s.model_copy(update={"actual_start": dt.date(2027, 1, 7)})
        if s.id == "S-B"
        else s
        for s in small.stages
    ]
    report = earned_value(small.model_copy(update={"enterprise": moved, "stages": stages}))
    assert [(point.date, point.pv) for point in report.curve] == [
        (dt.date(2026, 12, 31), 100.0),
        (dt.date(2027, 1, 20), 2350.0),
        (dt.date(2027, 1, 31), 2450.0 + 2200.0),
        (dt.date(2027, 2, 28), 5250.0),
    ]


def test_a_plan_without_stages_has_a_flat_curve_over_day_zero_s_month(small: Plan) -> None:
    report = earned_value(small.model_copy(update={"stages": []}))
    assert [(point.date, point.pv, point.ev, point.ac) for point in report.curve] == [
        (dt.date(2027, 1, 24), 0.0, 0.0, 0.0),
        (dt.date(2027, 1, 31), 0.0, None, None),
    ]
    assert report.bac == 0.0 and not report.measurable


def test_a_baseline_without_money_earns_no_schedule(small: Plan) -> None:
    """No budget, or a millionth at most: there is no curve to read, so ES is 0 whatever EV is."""
    unpriced = small.model_copy(
        update={"stages": [s.model_copy(update={"budget": []}) for s in small.stages]}
    )
    assert _curve(unpriced).bac == 0.0 and _curve(unpriced).earned_schedule(0.0) == 0.0
    tiny = _priced(unpriced.model_copy(update={"stages": small.stages[:1]}), "S-A", 1e-6)
    assert _curve(tiny).bac == 1e-6 and _curve(tiny).earned_schedule(0.0) == 0.0
    assert _curve(_priced(tiny, "S-A", 7.0)).earned_schedule(0.0) == 0.0  # a real curve, read from day 0
