"""Capacity (SPEC §11): calendars, effort-driven stages, levelling a plan, the report and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_kit.analysis import schedule as scheduling
from cio_kit.analysis.calendars import WorkingDays
from cio_kit.analysis.capacity import levelled, load
from cio_kit.plan.model import Calendar, Plan
from cio_kit.render import capacity as render
from cio_kit.reports.capacity import capacity_report
from cio_kit.situation import Situation
from cio_kit.validate import check_file
from tests.conftest import examples, load_document

START = dt.date(2027, 1, 4)  # a Monday


def _plan(document: dict[str, Any], tmp_path: Path) -> Plan:
    return load_document(document, tmp_path)


def _day(date: dt.date) -> int:
    return (date - START).days


def test_a_calendar_with_china_s_public_holidays() -> None:
    days = WorkingDays(Calendar.model_validate({"id": "CAL", "country": "CN"}), START)
    # Spring Festival 2027: 5-10 February are days off (a Friday to a Wednesday).
    assert [days.working(_day(dt.date(2027, 2, d))) for d in range(4, 12)] == [
        True, False, False, False, False, False, False, True,
    ]  # fmt: skip
    assert not days.working(_day(dt.date(2027, 10, 1)))  # National Day
    assert days.working(_day(dt.date(2027, 10, 12)))  # an ordinary Tuesday


def test_listed_holidays_ranges_and_working_weekends() -> None:
    calendar = Calendar.model_validate(
        {
            "id": "CAL",
            "workdays": ["mon", "tue", "wed", "thu"],
            "holidays": ["2027-01-05", {"from": "2027-01-12", "to": "2027-01-13"}],
            "working_days": ["2027-01-09", "2027-01-13"],
        }
    )
    days = WorkingDays(calendar, START)
    week = [days.working(n) for n in range(14)]
    #            Mon    Tue    Wed   Thu   Fri    Sat   Sun
    assert week == [True, False, True, True, False, True, False,
                    True, False, True, True, False, False, False]  # fmt: skip
    assert days.count(0, 14) == 7


def test_without_a_calendar_every_day_works() -> None:
    days = WorkingDays(None, START)
    assert all(days.working(n) for n in range(800))


def test_working_days_are_counted_up_to_the_last_day_of_the_calendar() -> None:
    # 25–31 December 9999 are the last seven days there are; a count past them stops there.
    days = WorkingDays(None, dt.date(9999, 12, 25))
    assert days.count(0, 100) == 7 and days.count(6, 7) == 1 and days.count(7, 100) == 0


def _staffed(stages: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "cio_kit": 1,
        "enterprise": {"name": "P", "plan_start": START.isoformat(), **extra.pop("enterprise", {})},
        "resources": extra.pop("resources", [{"id": "R", "capacity": 1}]),
        "stages": [
            {"title": s["id"], "kind": "training", "objective": "o", "exit_criteria": ["e"], **s}
            for s in stages
        ],
        **extra,
    }


def test_a_holiday_inside_an_effort_driven_stage_makes_it_longer(tmp_path: Path) -> None:
    calendar = {"id": "CAL", "holidays": [{"from": "2027-01-06", "to": "2027-01-07"}]}
    plan = _plan(
        _staffed(
            [{"id": "S-A", "effort": {"R": 10}}],
            resources=[{"id": "R", "capacity": 2, "calendar": "CAL"}],
            calendars=[calendar],
        ),
        tmp_path,
    )
    timing = scheduling.compute(plan).timings[0]
    # 10 person-days at 2 a day: five working days, Mon 4, Tue 5, Fri 8, Mon 11, Tue 12.
    assert (timing.earliest_start, timing.last_day) == (0, _day(dt.date(2027, 1, 12)))


def test_an_effort_driven_stage_starts_on_a_working_day_and_waits_for_its_slowest_resource(
    tmp_path: Path,
) -> None:
    plan = _plan(
        _staffed(
            [{"id": "S-A", "effort": {"R": 3, "Q": 6}, "not_before": "2027-01-09"}],  # a Saturday
            enterprise={"calendar": "CAL"},
            calendars=[{"id": "CAL"}],
            resources=[{"id": "R", "capacity": 3}, {"id": "Q", "capacity": 1}],
        ),
        tmp_path,
    )
    timing = scheduling.compute(plan).timings[0]
    # Monday 11 January; R needs one day, Q six: Mon-Fri and Mon 18.
    assert timing.earliest_start == _day(dt.date(2027, 1, 11))
    assert timing.last_day == _day(dt.date(2027, 1, 18))


def test_two_stages_sharing_one_person_levelled(tmp_path: Path) -> None:
    plan = _plan(
        _staffed(
            [
                {"id": "S-A", "duration_weeks": 1, "effort": {"R": 7}},
                {"id": "S-B", "duration_weeks": 1, "effort": {"R": 7}},
            ]
        ),
        tmp_path,
    )
    result = levelled(plan, scheduling.compute(plan))
    assert [t.earliest_start for t in result.after.timings] == [0, 7]
    assert result.delays == (0, 7)
    assert all(not row.overloaded() for row in load(plan, result.after))


def test_priority_decides_who_waits(tmp_path: Path) -> None:
    plan = _plan(
        _staffed(
            [
                {"id": "S-A", "duration_weeks": 1, "effort": {"R": 7}},
                {"id": "S-B", "duration_weeks": 1, "effort": {"R": 7}, "priority": 900},
            ]
        ),
        tmp_path,
    )
    assert levelled(plan, scheduling.compute(plan)).delays == (7, 0)


def test_effort_spread_evenly_over_the_working_days(tmp_path: Path) -> None:
    plan = _plan(
        _staffed(
            [{"id": "S-A", "duration_weeks": 1, "effort": {"R": 4}}],
            enterprise={"calendar": "CAL"},
            calendars=[{"id": "CAL"}],
            resources=[{"id": "R", "capacity": 3}],
        ),
        tmp_path,
    )
    [row] = load(plan, scheduling.compute(plan))
    assert row.demand == [Fraction(4, 5)] * 5 + [0, 0]
    assert row.capacity == [3] * 5 + [0, 0]


@st.composite
def staffed_plans(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 8))
    resources = [
        {"id": f"R{n}", "capacity": draw(st.sampled_from([1, 2, 2.5, 4]))}
        for n in range(draw(st.integers(1, 3)))
    ]
    stages = []
    for number in range(count):
        effort = {
            r["id"]: draw(st.sampled_from([1, 3, 5.5, 10])) for r in resources if draw(st.booleans())
        } or {resources[0]["id"]: 2}
        stage: dict[str, Any] = {"id": f"S-{number}", "effort": effort}
        if draw(st.booleans()):
            stage["duration_weeks"] = draw(st.integers(1, 4))
        before = [f"S-{p}" for p in range(number) if draw(st.integers(0, 3)) == 0]
        if before:
            stage["depends_on"] = before
        stage["priority"] = draw(st.integers(1, 1000))
        stages.append(stage)
    calendar = {"id": "CAL", "holidays": [{"from": "2027-01-20", "to": "2027-01-26"}]}
    return _staffed(stages, resources=resources, enterprise={"calendar": "CAL"}, calendars=[calendar])


@settings(max_examples=examples(40), deadline=None)
@given(document=staffed_plans())
def test_levelling_never_overloads_and_never_starts_early(
    document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    plan = _plan(document, tmp_path_factory.mktemp("plan"))
    before = scheduling.compute(plan)
    result = levelled(plan, before)
    for row in load(plan, result.after):
        # A stage asking more than a whole team a day (a short, heavy stage) cannot be helped.
        assert not row.overloaded() or result.beyond_capacity
    ids = {stage.id: n for n, stage in enumerate(plan.stages)}
    for number, timing in enumerate(result.after.timings):
        assert timing.earliest_start >= before.timings[number].earliest_start
        for predecessor in plan.stages[number].depends_on:
            assert timing.earliest_start >= result.after.timings[ids[predecessor]].earliest_finish


def _report_plan(tmp_path: Path) -> Plan:
    return _plan(
        _staffed(
            [
                {"id": "S-A", "duration_weeks": 4, "effort": {"R-ERP": 100}},
                {"id": "S-B", "duration_weeks": 4, "effort": {"R-ERP": 80, "R-KEY": 20}},
                {"id": "S-C", "effort": {"R-KEY": 30}, "depends_on": ["S-B"], "priority": 800},
            ],
            enterprise={"calendar": "CAL-CN"},
            calendars=[{"id": "CAL-CN", "country": "CN"}],
            resources=[
                {"id": "R-ERP", "name": "ERP team | <b>", "capacity": 6, "day_rate": 4000},
                {"id": "R-KEY", "name": "Key users", "capacity": 4},
            ],
        ),
        tmp_path,
    )


@pytest.mark.parametrize("level", [False, True])
def test_report_formats(level: bool, tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    from rich.console import Console

    plan = _report_plan(tmp_path)
    report = capacity_report(Situation(plan, level=level))
    suffix = "-level" if level else ""
    golden(f"capacity{suffix}.json", render.to_json(report))
    golden(f"capacity{suffix}.md", render.to_markdown(report))
    console = Console(record=True, width=80, color_system=None)
    render.render_text(report, console)
    golden(f"capacity{suffix}-80.txt", console.export_text())


def test_report_json_figures(tmp_path: Path) -> None:
    plan = _report_plan(tmp_path)
    document = json.loads(render.to_json(capacity_report(Situation(plan, level=True))))
    erp = document["resources"][0]
    # January 2027 has 20 working days in China (4 to 29 January): 120 person-days of a team of 6.
    assert erp["periods"][0] == {
        "period": "2027-01", "capacity_days": 120.0, "demand_days": erp["periods"][0]["demand_days"],
        "load": erp["periods"][0]["load"], "peak_load": erp["periods"][0]["peak_load"],
    }  # fmt: skip
    assert erp["overloaded_periods"] == []
    assert erp["overloaded_periods_unlevelled"] == ["2027-01"]
    assert erp["personnel_estimate"] == 180 * 4000
    assert document["levelled"] is True
    assert document["finish_date"] > document["finish_date_unlevelled"]
    assert sum(p["demand_days"] for p in erp["periods"]) == 180.0


def test_cli_report_capacity_and_roadmap_level(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    plan = _report_plan(tmp_path)
    del plan
    path = write_plan((tmp_path / "plan.yaml").read_text(encoding="utf-8"), name="staffed.yaml")
    result = cli("report", "capacity", str(path), "--level", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["levelled"] is True
    shown = cli("roadmap", "show", str(path), "--level", "--format", "json")
    assert shown.exit_code == 0
    document = json.loads(shown.stdout)
    assert document["levelled"] is True
    # The reference order (S-B before S-A, whose latest start is later) pushes S-A past the
    # Spring Festival, to 26 March; running S-A first and S-B after ends on 10 March.
    assert [s["level_delay_days"] for s in document["stages"]] == [0, 26, 28]
    assert document["last_day"] == "2027-03-10"
    plain = json.loads(cli("roadmap", "show", str(path), "--format", "json").stdout)
    assert "levelled" not in plain and "level_delay_days" not in plain["stages"][0]
    text = cli("report", "capacity", str(path), "--by", "quarter")
    assert text.exit_code == 0 and "2027-Q1" in text.stdout.replace("27-Q1", "2027-Q1")
    assert cli("report", "capacity", str(path), "--by", "week").exit_code == 2


def test_cli_report_capacity_needs_a_plan_start(cli: Any, write_plan: Callable[..., Path]) -> None:
    from tests.conftest import MINIMAL

    path = write_plan(MINIMAL.replace("  plan_start: 2027-01-04\n", ""))
    result = cli("report", "capacity", str(path))
    assert result.exit_code == 2
    assert "plan_start" in result.stderr


def test_personnel_estimate_is_beside_the_budget_never_in_it(tmp_path: Path) -> None:
    from cio_kit.reports.budget import budget_report

    money = [{"amount": 1000, "class": "transform", "category": "services"}]
    people = [{"amount": 500, "class": "transform", "category": "personnel"}]
    stages = [  # the stages left out come first: leaving one out must not end the count
        {"id": "S-B", "duration_weeks": 1, "effort": {"R": 3}, "budget": people},
        {"id": "S-C", "duration_weeks": 1, "effort": {"R": 3}, "status": "cancelled", "budget": money},
        {"id": "S-A", "duration_weeks": 1, "effort": {"R": 3, "Q": 2}, "budget": money},
    ]
    resources = [{"id": "R", "capacity": 5, "day_rate": 100}, {"id": "Q", "capacity": 5}]
    with_people = budget_report(_plan(_staffed(stages, resources=resources), tmp_path))
    assert with_people.personnel_estimates == {"S-A": 300}
    without = [{k: v for k, v in s.items() if k != "effort"} for s in stages]
    (tmp_path / "bare").mkdir()
    bare = budget_report(_plan(_staffed(without, resources=resources), tmp_path / "bare"))
    assert bare.personnel_estimates == {}
    assert (with_people.total, with_people.stage_total) == (bare.total, bare.stage_total) == (1500, 1500)


def test_risk_keeps_effort_driven_lengths_and_the_levelled_order(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    document = _staffed(
        [
            {"id": "S-A", "duration_weeks": 1, "effort": {"R": 7}},
            {"id": "S-B", "duration_weeks": 1, "effort": {"R": 7}},
            {"id": "S-C", "effort": {"Q": 20}},  # 10 days at 2 people, every day a working day
        ],
        resources=[{"id": "R", "capacity": 1}, {"id": "Q", "capacity": 2}],
    )
    path = write_plan(yaml.safe_dump(document, sort_keys=False), name="risk.yaml")
    risk = ("roadmap", "risk", str(path), "--runs", "50", "--format", "json")
    plain = json.loads(cli(*risk).stdout)
    assert plain["finish_weeks"]["p50"] == round(10 / 7, 2) and "levelled" not in plain
    level = json.loads(
        cli("roadmap", "risk", str(path), "--runs", "50", "--level", "--format", "json").stdout
    )
    assert level["levelled"] is True
    assert level["finish_weeks"]["p95"] == 2.0  # S-B waits for S-A in every run
    assert {s["id"]: s["criticality"] for s in level["stages"]}["S-C"] == 0.0


def test_a_started_stage_keeps_its_dates_in_a_levelled_forecast(tmp_path: Path) -> None:
    plan = _plan(
        _staffed(
            [
                {"id": "S-A", "duration_weeks": 2, "effort": {"R": 14}, "priority": 100,
                 "status": "in-progress", "actual_start": "2027-01-04", "percent_complete": 50},
                {"id": "S-B", "duration_weeks": 1, "effort": {"R": 7}, "priority": 900},
            ],
            enterprise={"status_date": "2027-01-11"},
        ),
        tmp_path,
    )  # fmt: skip
    forecast = scheduling.compute(plan, forecast=True)
    result = levelled(plan, forecast)
    # S-B has the higher priority but S-A is under way: S-A keeps its days and S-B waits for it.
    assert result.after.timings[0].earliest_start == 0
    assert result.after.timings[1].earliest_start == forecast.timings[0].earliest_finish


def _quiet_plan(tmp_path: Path) -> Plan:
    """No names, a resource with no working day, nothing for levelling to move; over a year."""
    return _plan(
        _staffed(
            [
                {"id": "S-A", "duration_weeks": 30, "effort": {"R-ONE": 20}},
                {"id": "S-B", "duration_weeks": 30, "effort": {"R-ONE": 10}, "depends_on": ["S-A"]},
            ],
            enterprise={"fiscal_year_start": "04-01"},
            calendars=[{"id": "CAL-NONE", "workdays": []}],
            resources=[{"id": "R-ONE", "capacity": 1.5}, {"id": "R-IDLE", "calendar": "CAL-NONE"}],
        ),
        tmp_path,
    )


def test_report_by_quarter_with_nothing_to_level(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    from rich.console import Console

    plan = _quiet_plan(tmp_path)
    report = capacity_report(Situation(plan, level=True), by="quarter")
    golden("capacity-quarters.md", render.to_markdown(report))
    # 40 columns: the quarters wrap onto a second block of rows.
    console = Console(record=True, width=40, color_system=None, highlight=False)
    render.render_text(report, console)
    golden("capacity-quarters-40.txt", console.export_text())


def test_report_colours(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    from rich.console import Console

    plan = _report_plan(tmp_path)
    console = Console(record=True, width=100, color_system="standard", force_terminal=True, highlight=False)
    render.render_text(capacity_report(Situation(plan, level=False)), console)
    golden("capacity-colour.ansi", console.export_text(styles=True))


def test_report_without_resources(tmp_path: Path) -> None:
    from rich.console import Console

    plan = _plan(_staffed([{"id": "S-A", "duration_weeks": 1}], resources=[]), tmp_path)
    console = Console(record=True, width=80, color_system=None)
    render.render_text(capacity_report(Situation(plan, level=False)), console)
    assert "No resources in the plan: add resources and stage effort (SPEC §11)." in console.export_text()


def test_overlapping_and_endless_holiday_ranges() -> None:
    calendar = Calendar.model_validate(
        {
            "id": "CAL",
            "workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "holidays": [
                {"from": "0001-01-01", "to": "2027-01-05"},  # everything before 6 January
                {"from": "2027-01-10", "to": "2027-01-12"},
                {"from": "2027-01-11", "to": "2027-01-13"},  # overlaps the one before
                {"from": "2027-01-20", "to": "9999-12-31"},  # and everything from the 20th
            ],
            "working_days": ["2027-01-21"],
        }
    )
    days = WorkingDays(calendar, START)
    working = [START + dt.timedelta(days=n) for n in range(30) if days.working(n)]
    assert [day.day for day in working] == [6, 7, 8, 9, 14, 15, 16, 17, 18, 19, 21]
    assert days.count(0, 800) == 11


def test_res001_names_the_months_and_the_peak(tmp_path: Path) -> None:
    # 8 people wanted of 6 from 25 January (a stage of 20 days alone at 3, then two more at 5
    # and 3 in February and March), capacity 6 every day.
    plan_text = yaml.safe_dump(
        _staffed(
            [
                {"id": "S-A", "duration_weeks": 10, "effort": {"R": 210}},
                {"id": "S-B", "duration_weeks": 4, "effort": {"R": 140}, "not_before": "2027-01-25"},
                {"id": "S-C", "duration_weeks": 2, "effort": {"R": 14}, "not_before": "2027-03-01"},
            ],
            resources=[{"id": "R", "capacity": 6}],
        ),
        sort_keys=False,
    )
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text, encoding="utf-8")
    [finding] = [f for f in check_file(path, True).findings if f.rule == "RES001"]
    assert finding.message == (
        "R is over-allocated on 28 days in 2027-01, 2027-02; the peak asks 8 people of 6 (133%) on "
        "2027-01-25; level the plan (report capacity --level) or change the effort"
    )


def test_res001_months_across_a_year_end() -> None:
    from cio_kit.rules.res import _months

    day0 = dt.date(2027, 11, 29)
    days = [0, 1, 2, 31, 32, 33, 34, 64, 65]  # 29 Nov – 1 Dec, 30 Dec – 2 Jan, 1 – 2 Feb
    assert _months(day0, days) == ["2027-11", "2027-12", "2028-01", "2028-02"]
    assert _months(day0, [0]) == ["2027-11"]
    assert _months(day0, [0, 2]) == ["2027-11", "2027-12"]  # 1 December, the first day of a month
    assert _months(dt.date(9999, 12, 1), [0, 30]) == ["9999-12"]


@pytest.mark.parametrize("calendar", [None, {"id": "CAL", "workdays": ["sat"]}])
def test_effort_past_the_end_of_the_calendar_is_res003_not_a_crash(
    calendar: dict[str, Any] | None, cli: Any, write_plan: Callable[..., Path]
) -> None:
    document = _staffed(
        [{"id": "S-A", "effort": {"R": 300}}],  # 214 days are left in the calendar
        enterprise={"plan_start": "9999-06-01", **({"calendar": "CAL"} if calendar else {})},
        **({"calendars": [calendar]} if calendar else {}),
    )
    path = write_plan(yaml.safe_dump(document, sort_keys=False), name="edge.yaml")
    result = cli("plan", "validate", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["RES003"]
    for command in (
        ("report", "capacity", "--level"),
        ("roadmap", "show", "--level"),
        ("roadmap", "risk", "--level"),
    ):
        assert cli(*command[:2], str(path), *command[2:]).exit_code == 0, command


def test_res001_peak_and_people_as_written() -> None:
    from cio_kit.analysis.capacity import ResourceLoad
    from cio_kit.rules.res import _peak, _people

    six = [Fraction(6)] * 4
    # The first day of the highest share wins; runs of equal days are looked at once.
    assert _peak(
        ResourceLoad("R", six, [Fraction(7), Fraction(7), Fraction(8), Fraction(8)]), [0, 1, 2, 3]
    ) == (
        2,
        8 / 6,
    )
    assert _peak(
        ResourceLoad("R", six, [Fraction(9), Fraction(7), Fraction(9), Fraction(7)]), [0, 1, 2, 3]
    ) == (
        0,
        1.5,
    )
    assert _peak(ResourceLoad("R", six, [Fraction(0), Fraction(13, 2), Fraction(0), Fraction(0)]), [1]) == (
        1,
        13 / 12,
    )
    assert [_people(5.91512), _people(8.0), _people(2.5)] == ["5.92", "8", "2.5"]


def test_effort_of_a_cancelled_stage_is_not_counted(tmp_path: Path) -> None:
    plan = _plan(
        _staffed(
            [
                {"id": "S-A", "duration_weeks": 1, "effort": {"R": 3}},
                {"id": "S-B", "duration_weeks": 1, "effort": {"R": 4}, "status": "cancelled"},
            ],
            resources=[{"id": "R", "capacity": 2, "day_rate": 10}],
        ),
        tmp_path,
    )
    [row] = capacity_report(Situation(plan, level=False)).resources
    assert (row.effort_days, row.estimate) == (3, 30)


def test_a_stage_that_fits_nowhere_before_the_calendar_ends_is_left_and_named(tmp_path: Path) -> None:
    # Three fortnights for one person from 1 December 9999: the third has only the 29th to
    # the 31st left, where its 10 person-days never fit.
    plan = _plan(
        _staffed(
            [{"id": f"S-{n}", "duration_weeks": 2, "effort": {"R": 10}} for n in range(3)],
            enterprise={"plan_start": "9999-12-01"},
        ),
        tmp_path,
    )
    result = levelled(plan, scheduling.compute(plan))
    assert result.beyond_capacity == ("S-2",)
    assert [t.earliest_start for t in result.after.timings] == [0, 14, 0]


@pytest.mark.parametrize("not_before", ["2027-01-09", "2027-01-10"])  # a Saturday, a Sunday
def test_an_effort_driven_stage_from_a_weekend_starts_on_the_monday(tmp_path: Path, not_before: str) -> None:
    plan = _plan(
        _staffed(
            [{"id": "S-A", "effort": {"R": 2}, "not_before": not_before}],
            enterprise={"calendar": "CAL"},
            calendars=[{"id": "CAL"}],
        ),
        tmp_path,
    )
    timing = scheduling.compute(plan).timings[0]
    assert (timing.earliest_start, timing.last_day) == (
        _day(dt.date(2027, 1, 11)),
        _day(dt.date(2027, 1, 12)),
    )
