"""``cio-kit portfolio report`` and ``optimize`` as a user meets them: stdout, stderr, files, exit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_portfolio import ERP, MES

#: A plan no other waits on, its one link broken: left out of a portfolio, and named.
BROKEN = MES.replace("erp:S-GOLIVE", "erp:S-NOPE")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "erp.yaml").write_text(ERP, encoding="utf-8")
    (plans / "mes.yaml").write_text(MES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_report_names_every_plan_it_leaves_out_and_refuses_when_none_is_sound(cli: Any, folder: Path) -> None:
    (folder / "plans" / "mes.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "plans" / "mes2.yaml").write_text(BROKEN, encoding="utf-8")
    result = cli("portfolio", "report", "-f", "json")
    assert result.exit_code == 0
    assert [row["id"] for row in json.loads(result.stdout)["plans"]] == ["erp"]
    assert result.stderr == (
        "cio-kit: left out, with blocking findings: plans/mes.yaml, plans/mes2.yaml; "
        "run cio-kit plan validate\n"
    )
    (folder / "plans" / "erp.yaml").write_text(ERP.replace("depends_on: [S-BUILD]", "depends_on: [S-NONE]"))
    refused = cli("portfolio", "report")
    assert refused.exit_code == 2
    assert refused.stdout == ""
    assert refused.stderr.endswith(
        "cio-kit: no plan in the portfolio can be read soundly; run cio-kit plan validate\n"
    )


def test_report_judges_the_whole_budget_by_the_configured_limits(cli: Any, folder: Path) -> None:
    """The run share is 300,000 of 1,600,000 (18.75%): within the default 70%, over a configured 15%."""

    def run_share() -> tuple[str, str]:
        result = cli("portfolio", "report", "-f", "json", "--config", "cio-kit.yaml")
        assert result.exit_code == 0, result.stderr
        run = json.loads(result.stdout)["classes"][0]
        return run["class"], run["status"]

    (folder / "cio-kit.yaml").write_text("paths: [plans]\n", encoding="utf-8")
    assert run_share() == ("run", "ok")
    (folder / "cio-kit.yaml").write_text(
        "paths: [plans]\nrun_warn: 0.10\nrun_error: 0.15\n", encoding="utf-8"
    )
    assert run_share() == ("run", "error")


def test_report_writes_its_output_and_export_files_and_nothing_to_stdout(cli: Any, folder: Path) -> None:
    result = cli("portfolio", "report", "-f", "json", "--output", "out.json", "--export", "out.html")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert [row["id"] for row in json.loads(Path("out.json").read_text(encoding="utf-8"))["plans"]] == [
        "erp",
        "mes",
    ]
    page = Path("out.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Group ERP" in page


def test_report_fails_on_the_severity_asked_for_and_only_then(cli: Any, folder: Path) -> None:
    """The plans hold warnings and no error: --fail-on warning exits 1, --fail-on error does not."""
    assert cli("portfolio", "report", "--fail-on", "error").exit_code == 0
    failed = cli("portfolio", "report", "--fail-on", "warning")
    assert failed.exit_code == 1
    assert "Group ERP" in failed.stdout  # the report is still written


def test_report_refuses_a_plan_too_long_to_follow_day_by_day(cli: Any, folder: Path) -> None:
    """Two stages of 5,200 weeks (the longest a stage may be) one after the other span 199 years,
    past the century capacity follows: said, exit 2, no traceback."""
    longest = MES.replace("duration_weeks: 4,", "duration_weeks: 5200,")
    (folder / "plans" / "mes.yaml").write_text(longest.replace("duration_weeks: 6,", "duration_weeks: 5200,"))
    refused = cli("portfolio", "report")
    assert refused.exit_code == 2
    assert refused.stdout == ""
    assert refused.stderr == (
        "cio-kit: portfolio report: the plan spans 199 years; report capacity sums people's time day by "
        "day over at most 100 years: shorten the stages or split the plan\n"
    )


def test_optimize_writes_a_scenario_of_any_sound_name_where_the_configuration_lives(
    cli: Any, folder: Path
) -> None:
    """The scenario goes to scenarios/ beside cio-kit.yaml (made when missing, reused when there),
    its first line the command that reproduces it, and stderr says where it went."""
    conf = folder / "conf"
    conf.mkdir()
    (conf / "cio-kit.yaml").write_text("max_file_mib: 5\n", encoding="utf-8")
    for _ in range(2):
        result = cli(
            "portfolio", "optimize", "plans", "--config", "conf/cio-kit.yaml", "--budget-scale", "0.8",
            "--write-scenario", "Cut-20.v2",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert result.stderr == "cio-kit: wrote conf/scenarios/Cut-20.v2.yaml\n"
    written = (conf / "scenarios" / "Cut-20.v2.yaml").read_text(encoding="utf-8")
    assert written.splitlines()[:3] == [
        "# Written by cio-kit portfolio optimize --budget-scale 0.8: the answer as a scenario.",
        "cio_kit_scenario: 1",
        'name: "Cut-20.v2"',
    ]
    assert not (folder / "scenarios").exists()


def test_report_and_optimize_read_the_folder_they_are_given(cli: Any, folder: Path) -> None:
    (folder / "plans").rename(folder / "elsewhere")
    report = cli("portfolio", "report", "elsewhere", "-f", "json")
    assert report.exit_code == 0, report.stderr
    assert [row["file"] for row in json.loads(report.stdout)["plans"]] == [
        "elsewhere/erp.yaml",
        "elsewhere/mes.yaml",
    ]
    answer = cli("portfolio", "optimize", "elsewhere", "--envelope", "2027=1700000", "-f", "json")
    assert answer.exit_code == 0, answer.stderr
    assert answer.stdout.endswith("}\n") and not answer.stdout.endswith("\n\n")
    assert json.loads(answer.stdout)["goals_served"] == ["erp:G-A", "mes:G-B"]


def test_optimize_names_every_blocked_plan(cli: Any, folder: Path) -> None:
    for name in ("mes.yaml", "mes2.yaml"):
        (folder / "plans" / name).write_text(MES.replace("depends_on: [S-PREP, ", "depends_on: [S-ROLL, "))
    refused = cli("portfolio", "optimize", "--envelope", "2027=1000000")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "cio-kit: plans/mes.yaml, plans/mes2.yaml: blocking findings; run cio-kit plan validate first\n"
    )


def test_optimize_takes_an_envelope_of_exactly_ten_to_the_fifteenth(cli: Any, folder: Path) -> None:
    result = cli("portfolio", "optimize", "--envelope", "2027=1000000000000000", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["years"][0]["envelope"] == 1e15


def test_optimize_needs_no_budget_in_the_plans_when_each_envelope_is_given(cli: Any, folder: Path) -> None:
    erp = ERP[: ERP.index("budget:\n  total")]
    (folder / "plans" / "erp.yaml").write_text(erp, encoding="utf-8")
    result = cli("portfolio", "optimize", "--envelope", "2027=1700000", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["goals_lost"] == []


def test_optimize_by_npv_counts_money_even_when_nothing_may_move(cli: Any, folder: Path) -> None:
    """--max-shift 0 --value npv: keep or drop only, each goal worth the NPV of its benefit."""
    (folder / "plans" / "erp.yaml").write_text(
        ERP.replace(
            "goals: [{id: G-A, kpi: {name: k, baseline: 1, target: 2}}]",
            "goals: [{id: G-A, kpi: {name: k, baseline: 1, target: 2},"
            " benefit: {value_per_year: 1000000, starts_after: S-GOLIVE, years: 1}}]",
        ),
        encoding="utf-8",
    )
    asked = ("portfolio", "optimize", "--envelope", "2027=1700000", "--max-shift", "0", "-f", "json")
    by = {value: json.loads(cli(*asked, "--value", value).stdout) for value in ("weight", "npv")}
    assert by["weight"]["objective"] == 2.0  # two goals of weight 1
    assert by["npv"]["objective"] > 800_000  # a year's 1,000,000 discounted; G-B has no benefit
