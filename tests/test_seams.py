"""Where modules meet: one behaviour each, observed through the command that joins them.

Each test states what a user sees when two modules hand a figure across: the
plan model to the optimiser, the portfolio merge to the forecast, an importer
or exporter to the tool at the other end, a rule to the board.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def _plans(folder: Path, **texts: str) -> None:
    (folder / "plans").mkdir()
    for name, text in texts.items():
        (folder / "plans" / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_work_under_way_is_neither_dropped_nor_moved_to_make_room(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2027 holds 600. The stage under way (500, no goal) stays; dropping it would have let the
    goal's stage (400) in, so an optimiser that forgot work under way would serve the goal."""
    _plans(
        tmp_path,
        works="""\
cio_kit: 1
enterprise: {name: Works, plan_start: 2027-01-04, status_date: 2027-02-01}
budget: {years: {2027: 600}}
goals: [{id: G-NEW, weight: 1}]
stages:
  - {id: S-RUNNING, title: Running, kind: system-build, duration_weeks: 10, status: in-progress,
     percent_complete: 30, actual_start: 2027-01-04,
     budget: [{amount: 500, class: transform, category: software}]}
  - {id: S-NEW, title: New, kind: system-build, duration_weeks: 10, serves: [G-NEW],
     budget: [{amount: 400, class: transform, category: software}]}
""",
    )
    monkeypatch.chdir(tmp_path)
    for shift in ("0", "2"):
        answer = json.loads(
            cli("portfolio", "optimize", "--budget-scale", "1", "--max-shift", shift, "-f", "json").stdout
        )
        assert answer["kept"] == ["works:S-RUNNING"], shift
        assert answer["deferred"] == ["works:S-NEW"] and answer["objective"] == 0, shift


def test_a_portfolio_forecasts_from_the_latest_status_date_of_its_plans(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plan a reports at 2027-06-30, plan b at 2027-03-31. Together they stand at 2027-06-30, so b's
    four weeks not started run from then: last day 2027-07-27 (from 2027-03-31 it would be 04-27)."""
    _plans(
        tmp_path,
        a="""\
cio_kit: 1
enterprise: {name: A, plan_start: 2027-01-04, status_date: 2027-06-30}
stages:
  - {id: S-A, title: A, kind: process-redesign, duration_weeks: 4, status: done,
     actual_start: 2027-01-04, actual_finish: 2027-01-29}
""",
        b="""\
cio_kit: 1
enterprise: {name: B, plan_start: 2027-01-04, status_date: 2027-03-31}
stages:
  - {id: S-B, title: B, kind: process-redesign, duration_weeks: 4}
""",
    )
    monkeypatch.chdir(tmp_path)
    report = json.loads(cli("portfolio", "report", "-f", "json").stdout)
    forecast = {entry["id"]: entry["forecast_finish_date"] for entry in report["plans"]}
    assert forecast == {"a": "2027-01-29", "b": "2027-07-27"}


def test_a_days_column_is_calendar_days(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stage table's `days` are calendar days, as SPEC §19 reads them: 14 days are 2 weeks."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stages.csv").write_text(
        "id,title,kind,days\nS-ONE,First stage,system-build,14\n", encoding="utf-8"
    )
    done = cli("import", "csv", "stages.csv", "--plan-start", "2027-01-04", "-o", "plan.yaml")
    assert done.exit_code == 0, done.stderr
    import yaml

    stage = yaml.safe_load((tmp_path / "plan.yaml").read_text(encoding="utf-8"))["stages"][0]
    assert stage["duration_weeks"] == 2


MSPDI_TASK = """\
<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Name>Deadlines</Name>
  <StartDate>2027-01-04T08:00:00</StartDate>
  <Tasks>
    <Task><UID>1</UID><ID>1</ID><Name>At midnight</Name><Duration>PT80H0M0S</Duration>
      <Start>2027-01-04T08:00:00</Start><Deadline>2027-06-30T00:00:00</Deadline></Task>
    <Task><UID>2</UID><ID>2</ID><Name>At five</Name><Duration>PT80H0M0S</Duration>
      <Start>2027-01-04T08:00:00</Start><Deadline>2027-06-30T17:00:00</Deadline></Task>
  </Tasks>
</Project>
"""


def test_an_mspdi_deadline_at_midnight_ends_the_day_before(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Project writes a deadline as a moment: 00:00 on 30 June is the end of 29 June; 17:00 is 30 June."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "project.xml").write_text(MSPDI_TASK, encoding="utf-8")
    done = cli("import", "mspdi", "project.xml", "-o", "plan.yaml")
    assert done.exit_code == 0, done.stderr
    import yaml

    stages = yaml.safe_load((tmp_path / "plan.yaml").read_text(encoding="utf-8"))["stages"]
    assert [str(stage["deadline"]) for stage in stages] == ["2027-06-29", "2027-06-30"]


DONE_AND_PINNED = """\
cio_kit: 1
enterprise: {name: Seams, plan_start: 2027-01-04, status_date: 2027-03-01}
stages:
  - {id: S-DONE, title: Finished work, kind: process-redesign, duration_weeks: 2, status: done,
     actual_start: 2027-01-04, actual_finish: 2027-01-15}
  - {id: S-NEXT, title: Next work, kind: system-build, duration_weeks: 2, depends_on: [S-DONE]}
  - {id: M-BOARD, title: Board meeting, kind: milestone, date: 2027-09-15}
  - {id: M-SIGNED, title: Signed off, kind: milestone, status: done, actual_start: 2027-02-01,
     actual_finish: 2027-02-01}
"""


def test_a_done_stage_goes_to_project_at_100_percent(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """A stage marked done with no percent_complete is complete in Project, not 0%."""
    import xml.etree.ElementTree as ET

    plan = write_plan(DONE_AND_PINNED)
    done = cli("export", "mspdi", str(plan), "-o", "project.xml")
    assert done.exit_code == 0, done.stderr
    space = {"p": "http://schemas.microsoft.com/project"}
    tasks = ET.parse(plan.parent / "project.xml").getroot().findall("p:Tasks/p:Task", space)
    percent = {
        t.findtext("p:Name", namespaces=space): t.findtext("p:PercentComplete", namespaces=space)
        for t in tasks
    }
    assert percent["Finished work"] == "100" and percent["Next work"] == "0"


@pytest.mark.skipif(shutil.which("tj3") is None, reason="TaskJuggler (tj3) is not installed")
def test_a_fixed_date_milestone_keeps_its_date_in_taskjuggler(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """A milestone with a `date` is pinned in the TJP, so tj3 schedules it on that day, not at the start."""
    from .test_taskjuggler import run_tj3

    plan = write_plan(DONE_AND_PINNED)
    done = cli("export", "tjp", str(plan))
    assert done.exit_code == 0, done.stderr
    scheduled = run_tj3(done.stdout.splitlines(), plan.parent)
    assert scheduled["s2"][0] == "2027-09-15"  # M-BOARD, the third stage


def test_a_milestone_done_in_a_day_is_not_a_date_error(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """A milestone's actual start and finish are the same day: that is right, not SCHED003."""
    write_plan(DONE_AND_PINNED)
    report = json.loads(cli("plan", "validate", "plan.yaml", "-f", "json").stdout)
    assert [f for f in report["findings"] if f["rule"] == "SCHED003"] == []
    # and the rule still fires when finish comes before start
    write_plan(DONE_AND_PINNED.replace("actual_finish: 2027-02-01", "actual_finish: 2027-01-31"))
    report = json.loads(cli("plan", "validate", "plan.yaml", "-f", "json").stdout)
    assert [f["rule"] for f in report["findings"] if f["rule"] == "SCHED003"] == ["SCHED003"]


OFF_TRACK = """\
cio_kit: 1
enterprise: {name: Goals, plan_start: 2027-01-04, status_date: 2027-09-30}
goals:
  - id: G-COST
    title: Cut the cost per order from 120 to 80
    weight: 1
    due: 2027-12-31
    kpi: {name: cost_per_order, unit: CNY, baseline: 120, target: 80,
          measurements: [{date: 2027-09-15, value: 125}]}
stages:
  - {id: S-LIVE, title: Live, kind: system-rollout, duration_weeks: 2, serves: [G-COST], status: done,
     actual_start: 2027-01-04, actual_finish: 2027-01-15}
"""


def test_the_boards_goals_tile_is_red_when_a_goal_is_off_its_line(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """The line runs from 120 when S-LIVE ended (2027-01-15) to 80 at the due date: about 92 by
    mid-September. Cost per order measures 125, worse than the baseline: off track, so the tile is red."""
    write_plan(OFF_TRACK)
    done = cli("report", "board", "plan.yaml", "-f", "json")
    assert done.exit_code == 0, done.stderr
    board = json.loads(done.stdout)
    tiles = {tile["dimension"]: tile for tile in board["plans"][0]["tiles"]}
    assert tiles["Goals"] == {"dimension": "Goals", "status": "red", "reason": "off track: G-COST"}


def test_the_optimisers_answer_is_what_scenario_compare_shows_for_the_scenario_it_writes(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled portfolio cut by 20%: the spend after, year by year, and the last day of work
    are the written scenario's, and the scenario brings no new error. Dropping the MES rollout ends
    the group's programme in 2028, so its yearly lines (4,900,000) no longer count in 2029."""
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "plans", tmp_path / "plans")
    for name in ("cio-kit.yaml", "portfolio.yaml"):
        shutil.copy(root / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    answer = cli("portfolio", "optimize", "--budget-scale", "0.8", "--value", "npv", "-f", "json",
                 "--write-scenario", "cut")  # fmt: skip
    assert answer.exit_code == 0, answer.stderr
    optimised = json.loads(answer.stdout)
    shown = cli("scenario", "compare", "cut", "-f", "json")
    assert shown.exit_code == 0, shown.stderr
    (scenario,) = json.loads(shown.stdout)["scenarios"]
    assert [(y["year"], y["after"]) for y in optimised["years"]] == [
        (y["year"], y["spend"]) for y in scenario["years"]
    ]
    assert optimised["years"][-1] == {
        "year": 2029,
        "envelope": 12_000_000,
        "before": 9_914_285.71,
        "after": 0,
    }
    assert optimised["finish_after"] == scenario["forecast_finish_date"]
    assert scenario["errors"] == 0 and not [f for f in scenario["introduced"] if f["severity"] == "error"]
