"""Portfolios (SPEC §12): plans seen together, the whole IT budget, order across plans."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cio_kit.analysis.schedule import compute
from cio_kit.config import Thresholds
from cio_kit.portfolio.merge import Settings
from cio_kit.reports.budget import budget_report
from cio_kit.reports.portfolio import _status, portfolio_report
from cio_kit.rules.context import Context
from cio_kit.validate import load_all

from .conftest import ROOT

ERP = """\
cio_kit: 1
enterprise: {name: Group ERP, currency: CNY, plan_start: 2027-01-04}
goals: [{id: G-A, kpi: {name: k, baseline: 1, target: 2}}]
resources: [{id: R-KEY, capacity: 2}]
stages:
  - {id: S-BUILD, title: Build, kind: system-rollout, duration_weeks: 10, serves: [G-A], effort: {R-KEY: 60},
     budget: [{amount: 1000000, class: transform, category: software}]}
  - {id: S-GOLIVE, title: Go-live, kind: milestone, depends_on: [S-BUILD], serves: [G-A]}
budget:
  total: 1200000
  years: {2027: 1200000}
  lines: [{id: L-RUN, amount: 100000, class: run, category: software}]
"""

MES = """\
cio_kit: 1
enterprise: {name: Plant MES, currency: CNY, plan_start: 2027-02-01}
goals: [{id: G-B, kpi: {name: k, baseline: 1, target: 2}}]
resources: [{id: R-KEY, capacity: 2}]
stages:
  - {id: S-PREP, title: Prepare, kind: infrastructure, duration_weeks: 4, serves: [G-B],
     budget: [{amount: 200000, class: run, category: hardware}]}
  - {id: S-ROLL, title: Roll out, kind: system-rollout, duration_weeks: 6, serves: [G-B],
     depends_on: [S-PREP, erp:S-GOLIVE], effort: {R-KEY: 90},
     budget: [{amount: 300000, class: grow, category: services}]}
"""

#: The same stages written as one plan by hand: the MES stages renamed, the link local, and the
#: MES plan's later start as a date floor.
MERGED_BY_HAND = """\
cio_kit: 1
enterprise: {name: Merged, currency: CNY, plan_start: 2027-01-04}
stages:
  - {id: S-BUILD, title: Build, kind: system-rollout, duration_weeks: 10}
  - {id: S-GOLIVE, title: Go-live, kind: milestone, depends_on: [S-BUILD]}
  - {id: M-PREP, title: Prepare, kind: infrastructure, duration_weeks: 4, not_before: 2027-02-01}
  - {id: M-ROLL, title: Roll out, kind: system-rollout, duration_weeks: 6, depends_on: [M-PREP, S-GOLIVE],
     not_before: 2027-02-01}
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "erp.yaml").write_text(ERP, encoding="utf-8")
    (plans / "mes.yaml").write_text(MES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_single_plan_portfolio_has_the_figures_of_report_budget(folder: Path) -> None:
    (folder / "plans" / "mes.yaml").unlink()
    loaded = load_all([Path("plans")])
    report = portfolio_report(loaded, None)
    plan = loaded[0].plan
    assert plan is not None
    alone = budget_report(plan, Context(plan))
    assert report.budget.total == alone.total == 1_100_000
    assert report.budget.classes == alone.classes
    assert report.budget.years == alone.years
    assert report.budget.envelope == alone.envelope == 1_200_000
    [row] = report.plans
    assert (row.id, row.budget, row.run, row.transform) == ("erp", 1_100_000, 100_000, 1_000_000)


def test_the_cross_plan_schedule_is_the_schedule_of_the_stages_merged_by_hand(
    folder: Path, write_plan: Callable[..., Path]
) -> None:
    report = portfolio_report(load_all([folder / "plans"]), None)
    merged = load_all([write_plan(MERGED_BY_HAND, name="merged/plan.yaml")])[0].plan
    assert merged is not None
    by_hand = compute(merged)
    # S-ROLL waits for the ERP go-live (day 70) in the other plan, not for its own plan's start.
    assert report.finish_date == by_hand.project_last_day == by_hand.date(70 + 42 - 1)
    assert [ident.split(":")[1] for ident in report.critical_path] == ["S-BUILD", "S-GOLIVE", "S-ROLL"]
    assert [ident.replace("M-", "S-") for ident in by_hand.critical_path] == ["S-BUILD", "S-GOLIVE", "S-ROLL"]
    mes = next(row for row in report.plans if row.id == "mes")
    assert mes.finish_date == by_hand.project_last_day


def test_the_whole_budget_is_judged_against_portfolio_yaml(folder: Path) -> None:
    settings = Settings("Group IT", 2_000_000, {2027: 1_500_000}, None)
    report = portfolio_report(load_all([folder / "plans"]), settings)
    assert report.name == "Group IT"
    assert report.budget.total == 1_100_000 + 500_000
    assert report.budget.envelope == 2_000_000
    assert report.budget.year_envelopes == {2027: 1_500_000}
    run = next(c for c in report.budget.classes if c.budget_class == "run")
    assert run.amount == 300_000 and run.share == pytest.approx(300_000 / 1_600_000)


def test_shared_resources_are_loaded_across_plans(folder: Path) -> None:
    """R-KEY: 60 days in the ERP build and 90 in the MES rollout, one team of two."""
    report = portfolio_report(load_all([folder / "plans"]), None)
    assert report.capacity is not None
    [key] = report.capacity.resources
    assert key.id == "R-KEY" and float(key.effort_days) == 150


@pytest.mark.parametrize(
    ("rule", "severity", "status", "reason"),
    [
        ("SCHED001", "warning", "amber", "S-A late against the plan"),
        ("SCHED002", "error", "red", "S-A misses a date in the forecast"),
        ("SCHED003", "error", "red", "S-A has progress data that contradicts itself"),
    ],
)
def test_schedule_verdict_follows_the_rules_findings(
    rule: str, severity: str, status: str, reason: str
) -> None:
    from cio_kit.config import Thresholds
    from cio_kit.findings import Finding, Severity
    from cio_kit.reports.status import schedule_verdict

    finding = Finding("p.yaml", 1, 1, rule, "", "x", Severity(severity), "S-A")
    verdict = schedule_verdict([finding], None, Thresholds())
    assert (verdict.status, verdict.reason) == (status, reason)


def test_schedule_verdict_is_grey_without_a_status_date() -> None:
    from cio_kit.config import Thresholds
    from cio_kit.reports.status import cost_verdict, schedule_verdict

    assert schedule_verdict([], None, Thresholds()).status == "grey"
    assert cost_verdict([], None, Thresholds()).status == "grey"


def test_an_error_elsewhere_makes_the_plan_red(write_plan: Callable[..., Path]) -> None:
    from dataclasses import replace

    from cio_kit.findings import Finding, Severity
    from cio_kit.portfolio.merge import members
    from cio_kit.situation import Situation

    loaded = load_all([write_plan()])
    [member] = members(loaded)
    base = Finding("p.yaml", 1, 1, "BUDGET001", "", "x", Severity.ERROR)
    member.loaded.findings = [base]
    assert _status(member, Situation(member.plan), Thresholds())[0] == "red"
    member.loaded.findings = [replace(base, severity=Severity.WARNING, rule="SCHED001", subject="S-A")]
    assert _status(member, Situation(member.plan), Thresholds()) == ("amber", "S-A late against the plan")


def test_portfolio_report_cli(cli: Any, folder: Path, golden: Callable[[str, str], None]) -> None:
    (folder / "portfolio.yaml").write_text(
        "cio_kit_portfolio: 1\nname: Group IT\nit_budget: {total: 2000000, years: {2027: 1500000}}\n"
        "limits: {run_warn: 0.1, run_error: 0.5}\n",
        encoding="utf-8",
    )
    result = cli("portfolio", "report", "--config", "cio-kit.yaml", "plans")
    assert result.exit_code == 2  # no such configuration file
    (folder / "cio-kit.yaml").write_text("paths: [plans]\n", encoding="utf-8")
    result = cli("portfolio", "report", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    keys = ["portfolio", "basis", "currency", "plans", "classes", "years", "critical_path", "resources"]
    assert list(document) == keys
    assert [plan["id"] for plan in document["plans"]] == ["erp", "mes"]
    assert list(document["plans"][0]) == [
        "id", "file", "finish_date", "forecast_finish_date", "budget", "run", "grow", "transform",
        "readiness_share", "spi_t", "cpi", "errors", "warnings", "status", "reason",
    ]  # fmt: skip
    run = document["classes"][0]
    assert (run["class"], run["status"]) == ("run", "warning")  # 300,000 of 1,600,000 is over 10%
    golden("portfolio.json", result.stdout)
    golden("portfolio.md", cli("portfolio", "report", "-f", "markdown").stdout)
    golden("portfolio-100.txt", cli("portfolio", "report").stdout)
    assert cli("portfolio", "report", "--fail-on", "warning").exit_code == 1


def test_a_bad_portfolio_file_is_a_usage_error(cli: Any, folder: Path) -> None:
    bad = "cio_kit_portfolio: 1\nit_budget: {total: lots}\n"
    (folder / "portfolio.yaml").write_text(bad, encoding="utf-8")
    (folder / "cio-kit.yaml").write_text("paths: [plans]\n", encoding="utf-8")
    result = cli("portfolio", "report")
    assert result.exit_code == 2
    assert "portfolio.yaml: it_budget.total:" in result.stderr


def test_the_bundled_repository_is_a_portfolio_of_three(cli: Any, in_root: Path) -> None:
    result = cli("portfolio", "report", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [plan["id"] for plan in document["plans"]] == ["finance-ssc", "hengda-group", "plant-two-mes"]
    # The plant's rollout waits for the group's MES rollout: the critical path crosses plans.
    assert document["critical_path"][-2:] == ["hengda-group:S-MES-ROLLOUT", "plant-two-mes:S-WX-ROLLOUT"]
    assert cli("plan", "validate").exit_code == 0
    assert cli("roadmap", "show").exit_code == 0  # default_plan in cio-kit.yaml
    assert (ROOT / "portfolio.yaml").is_file()


def test_a_plan_with_a_broken_link_is_left_out_and_named(cli: Any, folder: Path) -> None:
    mes = folder / "plans" / "mes.yaml"
    mes.write_text(MES.replace("erp:S-GOLIVE", "erp:S-NOPE"), encoding="utf-8")
    result = cli("portfolio", "report", "plans", "-f", "json")
    assert result.exit_code == 0
    assert [plan["id"] for plan in json.loads(result.stdout)["plans"]] == ["erp"]
    assert "left out, with blocking findings: plans/mes.yaml" in result.stderr


def test_portfolio_text_in_colour_and_narrow(
    cli: Any, folder: Path, golden: Callable[[str, str], None]
) -> None:
    """A plan behind at its status date (red) beside one with nothing to measure, as a terminal shows them."""
    from typer.testing import CliRunner

    from cio_kit.cli import app

    late = ERP.replace("plan_start: 2027-01-04}", "plan_start: 2027-01-04, status_date: 2027-06-30}")
    (folder / "plans" / "erp.yaml").write_text(late, encoding="utf-8")
    (folder / "cio-kit.yaml").write_text("paths: [plans]\n", encoding="utf-8")
    colour = {"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm", "COLORTERM": None, "COLUMNS": "120"}
    result = CliRunner().invoke(app, ["portfolio", "report"], env=colour)
    assert result.exit_code == 0, result.stderr
    golden("portfolio-late.ansi", result.stdout)
    golden("portfolio-late-60.txt", cli_width(60))
    golden("portfolio-late.md", cli("portfolio", "report", "-f", "markdown").stdout)


def cli_width(width: int) -> str:
    from typer.testing import CliRunner

    from cio_kit.cli import app

    env = {"NO_COLOR": "1", "COLUMNS": str(width)}
    return CliRunner().invoke(app, ["portfolio", "report"], env=env).stdout


def test_a_per_year_line_counts_only_in_its_own_plans_years(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 2027 plan's per_year line of 100 beside a plan running to 2029: 100 in 2027 only (SPEC §18)."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "short.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: Short, plan_start: 2027-01-04}\n"
        "budget: {lines: [{id: L-RUN, amount: 100, per_year: true, class: run, category: maintenance}]}\n"
        "stages: [{id: S-A, title: A, kind: training, duration_weeks: 10}]\n",
        encoding="utf-8",
    )
    (plans / "long.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: Long, plan_start: 2027-01-04}\n"
        "stages: [{id: S-B, title: B, kind: training, duration_weeks: 130,\n"
        "          budget: [{amount: 1300, class: grow, category: training}]}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    report = portfolio_report(load_all([Path("plans")]), None)
    run = {year: spend.get("run", 0.0) for year, spend in report.budget.years.items()}
    assert run == {2027: 100, 2028: 0, 2029: 0}
    assert report.budget.total == 1400


def test_each_member_is_seen_as_the_portfolio_sees_it(folder: Path) -> None:
    """As it stands unless asked as written, at the portfolio's status date (the latest), every
    member in file order; a member without dates (first here) is seen alone and the rest still are."""

    from cio_kit.portfolio.merge import members
    from cio_kit.portfolio.situations import portfolio_situations

    erp = ERP.replace("plan_start: 2027-01-04}", "plan_start: 2027-01-04, status_date: 2027-03-01}")
    (folder / "plans" / "erp.yaml").write_text(erp, encoding="utf-8")
    undated = (
        "cio_kit: 1\nenterprise: {name: Undated, currency: CNY}\n"
        "stages: [{id: S-X, title: X, kind: training, duration_weeks: 2}]\n"
    )
    (folder / "plans" / "a-undated.yaml").write_text(undated, encoding="utf-8")
    portfolio = members(load_all([folder / "plans"]))

    merged, situations = portfolio_situations(portfolio)
    assert list(situations) == ["a-undated", "erp", "mes"]
    assert situations["a-undated"].plan is portfolio[0].plan
    assert merged.basis == situations["erp"].basis == situations["mes"].basis == "forecast"
    assert situations["mes"].status_date == merged.status_date == dt.date(2027, 3, 1)
    merged, situations = portfolio_situations(portfolio, as_written=True)
    assert merged.basis == situations["erp"].basis == situations["mes"].basis == "as-written"


def test_the_bundled_portfolio_in_colour_with_limits_crossed_and_an_undated_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, golden: Callable[[str, str], None]
) -> None:
    """The three bundled plans and one without a start, under limits they cross, as a terminal shows them.

    Run is 16,600,000 of 80,430,000 (21%): over the 10% warning and the 20% alarm, so bold red; transform
    60% is under its 65% floor, yellow; grow has no limit. The undated plan has no last day: its cells are
    empty, not "n/a", and the portfolio's last day is its dated plans'. R-INFRA is over capacity in
    three months (yellow), the others within it.
    """
    import shutil

    from typer.testing import CliRunner

    from cio_kit.cli import app

    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    (tmp_path / "plans" / "undated.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: Undated, currency: CNY}\n"
        "stages:\n  - {id: S-X, title: X, kind: training, duration_weeks: 1}\n",
        encoding="utf-8",
    )
    (tmp_path / "portfolio.yaml").write_text(
        (ROOT / "portfolio.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "{run_warn: 0.70, run_error: 0.80, transform_min: 0.10}",
            "{run_warn: 0.1, run_error: 0.2, transform_min: 0.65}",
        ),
        encoding="utf-8",
    )
    (tmp_path / "cio-kit.yaml").write_text("paths: [plans]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    colour = {"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm", "COLORTERM": None, "COLUMNS": "120"}
    result = CliRunner().invoke(app, ["portfolio", "report"], env=colour)
    assert result.exit_code == 0, result.stderr
    golden("portfolio-limits.ansi", result.stdout)
    assert "\x1b[1;31m  run          21%      16,600,000  ≤ 10% (alarm 20%)\x1b[0m" in result.stdout
    golden("portfolio-limits.md", CliRunner().invoke(app, ["portfolio", "report", "-f", "markdown"]).stdout)
    golden("portfolio-limits.json", CliRunner().invoke(app, ["portfolio", "report", "-f", "json"]).stdout)
    for kept in ("finance-ssc", "hengda-group", "plant-two-mes"):
        (tmp_path / "plans" / f"{kept}.yaml").unlink()
    alone = CliRunner().invoke(app, ["portfolio", "report"], env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert alone.exit_code == 0, alone.stderr
    assert "Amounts in CNY; last day n/a\n" in alone.stdout and "Resources across plans" not in alone.stdout
    markdown = CliRunner().invoke(app, ["portfolio", "report", "-f", "markdown"]).stdout
    assert "last day of the portfolio n/a; amounts in CNY" in markdown


def test_as_written_the_bundled_portfolio_spends_by_the_plan(cli: Any, in_root: Path) -> None:
    """SPEC §2's figure: as written, the portfolio spends 9,100,000 in 2029; the forecast from the
    status date moves work later (9,914,285.71), and the critical path as written starts at the kickoff."""
    written = json.loads(cli("portfolio", "report", "-f", "json", "--as-written").stdout)
    forecast = json.loads(cli("portfolio", "report", "-f", "json").stdout)
    assert (written["basis"], forecast["basis"]) == ("as-written", "forecast")
    assert [y["total"] for y in written["years"]][-1] == 9_100_000
    assert [y["total"] for y in forecast["years"]][-1] == 9_914_285.71
    assert written["critical_path"][0] == "hengda-group:S-KICKOFF"
    assert forecast["critical_path"][0] == "hengda-group:S-CLOUD-LANDING"


def test_a_portfolio_without_a_sound_plan_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^no sound plan in the portfolio$"):
        portfolio_report([], None)


def test_a_measured_plan_on_track_is_green_with_its_indices(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half of a four-week (28-day) stage done and half its money spent eleven days in: CPI 1.00 and
    SPI(t) 14 / 11 = 1.27, no finding about schedule or cost, so green with both indices met."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "one.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: On Track, plan_start: 2027-01-04, status_date: 2027-01-15}\n"
        "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 4, status: in-progress,"
        " percent_complete: 50, actual_start: 2027-01-04, actual_cost: 20000, owner: Lead,"
        " objective: Train, budget: [{amount: 40000, class: grow, category: training}]}\n",
        encoding="utf-8",
    )
    (tmp_path / "cio-kit.yaml").write_text("paths: [plans]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    row = json.loads(cli("portfolio", "report", "-f", "json").stdout)["plans"][0]
    assert (row["status"], row["reason"], row["cpi"]) == (
        "green",
        "no error, no slip; SPI(t) and CPI at or above 0.95",
        1.0,
    )


def test_the_whole_budget_is_judged_against_the_thresholds_given(folder: Path) -> None:
    """The run share (300,000 of 1,600,000, 18.75%) against the configured limits, not the defaults."""
    loaded = load_all([folder / "plans"])
    strict = portfolio_report(loaded, None, Thresholds(run_warn=0.10, run_error=0.15, transform_min=0.9))
    usual = portfolio_report(loaded, None)
    shares = {c.budget_class: (c.limit, c.status) for c in strict.budget.classes}
    assert shares["run"] == ("≤ 10% (alarm 15%)", "error")
    assert shares["transform"] == ("≥ 90%", "warning")
    assert {c.budget_class: c.status for c in usual.budget.classes} == {
        "run": "ok",
        "grow": "ok",
        "transform": "ok",
    }


def test_the_portfolio_is_seen_from_the_status_date_unless_asked(in_root: Path) -> None:
    loaded = load_all([Path("plans")])
    assert portfolio_report(loaded, None).basis == "forecast"
    assert portfolio_report(loaded, None, as_written=True).basis == "as-written"


def test_a_members_row_spends_over_the_years_the_portfolio_gives_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan that alone ends in 2027 waits across plans for a go-live in 2028: in the portfolio
    its per_year line of 100 counts in 2027 and 2028, so its row's run is 200, not 100."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "erp.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: ERP, plan_start: 2027-01-04}\n"
        "stages: [{id: S-GOLIVE, title: Go-live, kind: system-rollout, duration_weeks: 60}]\n",
        encoding="utf-8",
    )
    (plans / "mes.yaml").write_text(
        "cio_kit: 1\nenterprise: {name: MES, plan_start: 2027-01-04}\n"
        "budget: {lines: [{id: L-RUN, amount: 100, per_year: true, class: run, category: maintenance}]}\n"
        "stages: [{id: S-A, title: A, kind: training, duration_weeks: 2, depends_on: [erp:S-GOLIVE]}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    loaded = load_all([Path("plans")])
    mes = next(row for row in portfolio_report(loaded, None).plans if row.id == "mes")
    alone = loaded[1].plan
    assert alone is not None and alone.enterprise.name == "MES"
    assert (mes.run, mes.budget) == (200, 200)
    assert budget_report(alone).total == 100


def test_an_undated_portfolios_board_shows_each_plan_as_its_own_file_writes_it(
    cli: Any, folder: Path
) -> None:
    """Without a status date the MES plan's own last day as written is 2027-04-11 (four weeks from
    1 February, then six); waiting for the ERP go-live across plans moves only its portfolio dates."""
    board = json.loads(cli("report", "board", "plans", "-f", "json", "--runs", "50").stdout)
    shown = {plan["id"]: plan["last_day_as_written"] for plan in board["plans"]}
    assert shown == {"erp": "2027-03-15", "mes": "2027-04-11"}
    report = portfolio_report(load_all([folder / "plans"]), None)
    assert next(row for row in report.plans if row.id == "mes").finish_date == dt.date(2027, 4, 25)


def test_a_plan_validated_alone_says_once_that_its_cross_plan_links_are_unchecked(
    cli: Any, folder: Path
) -> None:
    """PLAN009 at the first link to another plan, counting the others."""
    mes = (folder / "plans" / "mes.yaml").read_text(encoding="utf-8")
    twice = mes.replace(
        "depends_on: [S-PREP, erp:S-GOLIVE]", "depends_on: [S-PREP, erp:S-GOLIVE, erp:S-BUILD]"
    )
    assert twice != mes
    for text, others in ((mes, ""), (twice, " (and 1 more)")):
        (folder / "plans" / "mes.yaml").write_text(text, encoding="utf-8")
        found = json.loads(cli("plan", "validate", "plans/mes.yaml", "-f", "json").stdout)["findings"]
        [unchecked] = [f for f in found if f["rule"] == "PLAN009"]
        assert unchecked["message"] == (
            f"S-ROLL depends on erp:S-GOLIVE{others} in another plan; validated alone, "
            "cross-plan dependencies are not checked — validate the folder of plans"
        )
        assert (unchecked["severity"], unchecked["line"], unchecked["path"]) == (
            "info",
            9,
            "stages[1].depends_on[1]",
        )
        assert (unchecked["subject"], unchecked["related"]) == ("S-ROLL", ["erp:S-GOLIVE"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "say how much money there is: --budget-scale F or --envelope YEAR=AMOUNT"),
        (
            ("--budget-scale", "0.8", "--write-scenario", "../up"),
            "--write-scenario '../up': a name of letters, digits, '-', '_' and '.'",
        ),
        (("--envelope", "2028:5"), "--envelope '2028:5': write YEAR=AMOUNT, e.g. 2028=5000000"),
        (
            ("--envelope", "2027=10000000000000001"),
            "--budget-scale and --envelope: an envelope must be a finite amount up to 10^15",
        ),
    ],
)
def test_optimize_says_what_it_needs_word_for_word(
    cli: Any, folder: Path, args: tuple[str, ...], message: str
) -> None:
    refused = cli("portfolio", "optimize", *args)
    assert refused.exit_code == 2
    assert " ".join(refused.stderr.split()).endswith(message)


def test_optimize_refuses_blocked_plans_and_a_scale_without_yearly_envelopes(cli: Any, folder: Path) -> None:
    erp = (folder / "plans" / "erp.yaml").read_text(encoding="utf-8")
    (folder / "plans" / "erp.yaml").write_text(
        erp.replace("  years: {2027: 1200000}\n", ""), encoding="utf-8"
    )
    scaled = cli("portfolio", "optimize", "--budget-scale", "0.8")
    assert scaled.exit_code == 2
    assert " ".join(scaled.stderr.split()).endswith(
        "--budget-scale needs envelopes per fiscal year (it_budget.years or budget.years)"
    )
    (folder / "plans" / "mes.yaml").write_text(
        MES.replace("depends_on: [S-PREP, erp:S-GOLIVE]", "depends_on: [S-ROLL]")
    )
    blocked = cli("portfolio", "optimize", "--envelope", "2027=1000000")
    assert blocked.exit_code == 2
    assert blocked.stderr.endswith("plans/mes.yaml: blocking findings; run cio-kit plan validate first\n")
