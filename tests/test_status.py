"""The plan as it stands (SPEC §10): risk from the status date, baselines from git, the CLI's conventions."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cio_kit.analysis.risk import simulate
from cio_kit.analysis.schedule import compute
from cio_kit.validate import check_file

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "plans" / "hengda-group.yaml"

UNDER_WAY = """\
cio_kit: 1
enterprise: {name: Under Way Co, plan_start: 2027-01-04, status_date: 2027-02-01}
stages:
  - {id: S-A, title: A, kind: training, duration_weeks: 2, status: done, actual_start: 2027-01-04,
     actual_finish: 2027-01-22, estimate: {optimistic: 1, likely: 2, pessimistic: 9}}
  - {id: S-B, title: B, kind: training, duration_weeks: 4, depends_on: [S-A], status: in-progress,
     percent_complete: 25, actual_start: 2027-01-25}
  - {id: S-C, title: C, kind: training, duration_weeks: 3, depends_on: [S-A]}
  - {id: S-D, title: D, kind: training, duration_weeks: 2, depends_on: [S-B, S-C], deadline: 2027-03-31}
  - {id: M-END, title: End, kind: milestone, depends_on: [S-D]}
"""


def test_forecast_risk_with_fixed_remaining_work_is_the_forecast(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """All remaining work fixed: P50 = P95 = the --forecast finish, done stages never critical."""
    write_plan(UNDER_WAY)
    shown = json.loads(cli("roadmap", "show", "plan.yaml", "--forecast", "--format", "json").stdout)
    result = cli("roadmap", "risk", "plan.yaml", "--forecast", "--runs", "300", "--format", "json")
    assert result.exit_code == 0, result.output
    risk = json.loads(result.stdout)
    assert risk["forecast"] is True and risk["status_date"] == "2027-02-01"
    assert set(risk["finish_dates"].values()) == {shown["finish_date"]}
    assert set(risk["finish_last_days"].values()) == {shown["last_day"]}
    criticality = {row["id"]: row["criticality"] for row in risk["stages"]}
    assert criticality["S-A"] == 0.0 and criticality["S-B"] == 1.0
    # S-B: 28 days, 25% done → 21 left from 2027-02-01; S-D ends 2027-03-07, inside its deadline.
    assert risk["deadlines"] == [{"id": "S-D", "deadline": "2027-03-31", "probability": 1.0}]


def test_forecast_risk_samples_the_remaining_share_from_the_status_date(
    write_plan: Callable[..., Path],
) -> None:
    text = UNDER_WAY.replace(
        "percent_complete: 25, actual_start: 2027-01-25}",
        "percent_complete: 50, actual_start: 2027-01-25,"
        " estimate: {optimistic: 2, likely: 4, pessimistic: 10}}",
    ).replace("duration_weeks: 4, depends_on: [S-A], status", "depends_on: [S-A], status")
    plan = check_file(write_plan(text), True).plan
    result = simulate(plan, runs=2000, seed=3, forecast=True)
    status = 28  # 2027-02-01
    # S-B has 50% left of a 14-70 day sample (7-35 days) from day 28; S-C (21 days, not started)
    # cannot start before day 28 either; then S-D's 14 days. S-A's estimate is history.
    assert result.finish_days.min() == pytest.approx(status + 21 + 14)
    assert result.finish_days.max() <= status + 35 + 14 + 1e-9
    assert result.finish_days.max() > status + 21 + 14 + 1  # S-B's sample does drive some runs
    assert dict(result.criticality)["S-A"] == 0.0 and result.status_date is not None


def test_bundled_plan_risk_is_no_earlier_than_its_forecast() -> None:
    plan = check_file(BUNDLED, True).plan
    forecast = compute(plan, forecast=True)
    result = simulate(plan, runs=2000, seed=0, forecast=True)
    assert result.last_day(0.5) >= forecast.last_day_number
    criticality = dict(result.criticality)
    assert criticality["S-KICKOFF"] == 0.0


def test_without_a_status_date_there_is_only_the_plan_as_written(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """SPEC §16: --forecast is accepted and changes nothing; evm needs a status date."""
    write_plan(UNDER_WAY.replace(", status_date: 2027-02-01", ""))
    for command in (("roadmap", "risk"), ("roadmap", "show")):
        plain = cli(*command, "plan.yaml", "--format", "json")
        flagged = cli(*command, "plan.yaml", "--format", "json", "--forecast")
        assert plain.exit_code == flagged.exit_code == 0, command
        assert plain.stdout == flagged.stdout and json.loads(plain.stdout)["basis"] == "as-written"
    result = cli("report", "evm", "plan.yaml")
    assert result.exit_code == 2 and "status_date" in result.stderr


def test_text_says_which_schedule_it_shows(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan(UNDER_WAY)
    forecast_last = json.loads(cli("roadmap", "show", "plan.yaml", "--format", "json").stdout)
    assert forecast_last["basis"] == "forecast"
    as_written = cli("roadmap", "show", "plan.yaml", "--as-written").stdout.splitlines()[0]
    assert "plan as written" in as_written and forecast_last["last_day"] in as_written
    shown = cli("roadmap", "show", "plan.yaml").stdout.splitlines()[0]
    assert "forecast from the status date 2027-02-01" in shown
    risk = cli("roadmap", "risk", "plan.yaml", "--runs", "100", "--as-written").stdout
    assert "plan as written" in risk.splitlines()[0] and forecast_last["last_day"] in risk
    markdown = cli("roadmap", "show", "plan.yaml", "--format", "markdown", "--as-written").stdout
    assert "plan as written" in markdown and "| Last day |" in markdown


def test_validate_reports_the_bundled_plan_behind(cli: Callable[..., Any], in_root: Path) -> None:
    result = cli("plan", "validate", "--format", "json")
    assert result.exit_code == 0, result.output
    rules = {finding["rule"] for finding in json.loads(result.stdout)["findings"]}
    assert {"SCHED001", "SCHED004"} <= rules
    assert cli("plan", "validate", "--fail-on", "warning").exit_code == 1


def test_status_date_replaces_dep005_and_strat005_with_sched002(write_plan: Callable[..., Path]) -> None:
    late = """\
cio_kit: 1
enterprise: {name: T, plan_start: 2027-01-04%s}
goals: [{id: G, due: 2027-01-10}]
stages:
  - {id: S-A, title: A, kind: training, duration_weeks: 2, deadline: 2027-01-10, serves: [G]}
"""
    as_written = {f.rule for f in check_file(write_plan(late % ""), True).findings}
    assert {"DEP005", "STRAT005"} <= as_written and "SCHED002" not in as_written
    forecast = {f.rule for f in check_file(write_plan(late % ", status_date: 2027-01-04"), True).findings}
    assert "SCHED002" in forecast and not {"DEP005", "STRAT005"} & forecast


# -- baselines from git ------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan repository with the approved plan tagged `approved` and a later, slipped version."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(tmp_path, "init", "-q")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "plan.yaml").write_text(UNDER_WAY.replace("status_date: 2027-02-01", "status_date: 2027-01-04"))
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "approved")
    _git(tmp_path, "tag", "approved")
    slipped = (
        UNDER_WAY.replace(
            "duration_weeks: 3, depends_on: [S-A]}",
            "duration_weeks: 3, depends_on: [S-A], status: cancelled}",
        )
        + "  - {id: S-NEW, title: N, kind: training, duration_weeks: 1, depends_on: [S-B],\n"
        "     budget: [{amount: 10, class: grow, category: training}]}\n"
    )
    (plans / "plan.yaml").write_text(slipped)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_evm_and_roadmap_against_a_git_tag(cli: Callable[..., Any], repo: Path) -> None:
    evm = cli("report", "evm", "--baseline", "approved", "--format", "json")
    assert evm.exit_code == 0, evm.output
    document = json.loads(evm.stdout)
    assert document["baseline"] == "approved"
    assert document["descoped"] == ["S-C"] and document["unbaselined"] == ["S-NEW"]
    text = cli("report", "evm", "--baseline", "approved").stdout
    for figure in ("BAC", "PV", "EV", "AC", "SV", "CV", "SPI", "CPI", "EAC", "ETC", "VAC", "TCPI", "SPI(t)"):
        assert f"\n{figure} " in text, figure
    roadmap = json.loads(
        cli("roadmap", "show", "--forecast", "--baseline", "approved", "--format", "json").stdout
    )
    stages = {row["id"]: row for row in roadmap["stages"]}
    # S-B: 28 days from 2027-01-18 in the baseline; forecast from its actual start 2027-01-25, 21 days
    # left at 2027-02-01, so its last day is 2027-02-21 instead of 2027-02-14.
    assert stages["S-B"]["baseline_start"] == "2027-01-18" and stages["S-B"]["start_variance_days"] == 7
    assert stages["S-B"]["baseline_last_day"] == "2027-02-14" and stages["S-B"]["finish_variance_days"] == 7
    assert stages["S-NEW"]["baseline_start"] is None
    gantt = cli("roadmap", "show", "--baseline", "approved").stdout
    assert "─ baseline" in gantt and "Slip" in gantt


def test_a_baseline_that_cannot_be_read(cli: Callable[..., Any], repo: Path) -> None:
    given = cli("report", "evm", "--baseline", "no-such-tag")
    assert given.exit_code == 2 and "no-such-tag" in given.stderr and "plan.yaml" in given.stderr
    (repo / "cio-kit.yaml").write_text("baseline: no-such-tag\n")
    configured = cli("report", "evm", "--format", "json")
    assert configured.exit_code == 0 and "using the plan as written" in configured.stderr
    assert json.loads(configured.stdout)["baseline"] is None
    validate = cli("plan", "validate", "--format", "json")
    assert validate.exit_code == 0, validate.output
    assert [f["rule"] for f in json.loads(validate.stdout)["findings"]].count("PLAN010") == 1
    (repo / "cio-kit.yaml").write_text("baseline: approved\n")
    ok = json.loads(cli("plan", "validate", "--format", "json").stdout)
    assert "PLAN010" not in [f["rule"] for f in ok["findings"]]


def test_simulation_does_not_depend_on_block_size_or_link_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of runs and the two ways of reducing over links are implementation details."""
    import cio_kit.analysis.risk as risk

    plan = check_file(BUNDLED, True).plan
    reference = simulate(plan, runs=300, seed=5, forecast=True)
    monkeypatch.setattr(risk, "BLOCK_ELEMENTS", 7 * len(plan.stages))  # 7 runs a block
    monkeypatch.setattr(risk, "PADDED_LINKS", 0)  # every wave through reduceat
    other = simulate(plan, runs=300, seed=5, forecast=True)
    assert (other.finish_days == reference.finish_days).all()
    assert other.criticality == reference.criticality and other.deadlines == reference.deadlines
    assert reference.events and other.events == reference.events  # the register's risks, too
    assert (other.costs == reference.costs).all()


def test_many_predecessors_take_the_latest(write_plan: Callable[..., Path]) -> None:
    """Ten parallel stages of 1..10 weeks into one: the 10-week one is the only critical one."""
    lines = ["cio_kit: 1", "enterprise: {name: T, plan_start: 2027-01-04}", "stages:"]
    lines += [f"  - {{id: S-{n}, title: T, kind: training, duration_weeks: {n}}}" for n in range(1, 11)]
    every = ", ".join(f"S-{n}" for n in range(1, 11))
    lines.append(f"  - {{id: S-END, title: E, kind: training, duration_weeks: 1, depends_on: [{every}]}}")
    plan = check_file(write_plan("\n".join(lines) + "\n"), True).plan
    result = simulate(plan, runs=50, seed=0)
    assert set(result.finish_days) == {77.0}
    criticality = dict(result.criticality)
    assert criticality["S-10"] == 1.0 and criticality["S-END"] == 1.0
    assert all(criticality[f"S-{n}"] == 0.0 for n in range(1, 10))


def test_a_done_stage_on_the_critical_chain_is_never_critical(write_plan: Callable[..., Path]) -> None:
    """S-A is done and ends the day before S-B can start: no float, yet history is never critical."""
    path = write_plan(
        "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04, status_date: 2027-01-11}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 1, status: done,"
        " actual_start: 2027-01-04, actual_finish: 2027-01-10}\n"
        "  - {id: S-B, title: B, kind: training, depends_on: [S-A],"
        " estimate: {optimistic: 1, likely: 2, pessimistic: 4}}\n"
    )
    result = simulate(check_file(path, True).plan, runs=200, seed=0, forecast=True)
    assert dict(result.criticality) == {"S-A": 0.0, "S-B": 1.0}


def test_late_against_the_baseline_says_so(cli: Callable[..., Any], repo: Path) -> None:
    """SCHED001 with a baseline in use judges the baseline's dates, and says whose dates they are."""
    plan = repo / "plans" / "plan.yaml"
    plan.write_text(plan.read_text().replace(", status: cancelled}", "}"))
    (repo / "cio-kit.yaml").write_text("baseline: approved\n")
    found = json.loads(cli("plan", "validate", "--format", "json").stdout)["findings"]
    # S-C follows S-A (two weeks from 2027-01-04) in the approved plan: due to start on 2027-01-18.
    assert [f["message"] for f in found if f["rule"] == "SCHED001"] == [
        "S-C was due to start on 2027-01-18 in the baseline but is still planned at the status date "
        "2027-02-01, 14 days late; start it, update its status or re-plan it"
    ]
