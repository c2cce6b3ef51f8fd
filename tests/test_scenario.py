"""Scenarios (SPEC §12): an overlay is the plan edited by hand, compared as plan diff compares."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cio_kit.analysis.spend import planned_spend
from cio_kit.config import Config
from cio_kit.findings import Finding, Severity
from cio_kit.portfolio.merge import members, merged_plan
from cio_kit.portfolio.scenario import ScenarioError, read_scenario
from cio_kit.reports.diff import plan_diff
from cio_kit.reports.scenario import compare
from cio_kit.rules.context import Context
from cio_kit.validate import apply_scenario, load_all

from .test_portfolio import ERP, MES

#: The ERP plan with a due date its build must meet: a slower build misses it.
ERP_DUE = ERP.replace("goals: [{id: G-A,", "goals: [{id: G-A, due: 2027-04-30,")

SCENARIO = """\
cio_kit_scenario: 1
name: Slower build, half the money
changes:
  - {set: S-BUILD, duration_weeks: 20}
  - {scale_budget: 0.5}
  - {add_capacity: R-KEY, capacity: 1}
  - {drop: erp:S-GOLIVE}
  - {delay: mes:S-PREP, weeks: 2}
"""

#: The same changes made by hand: S-GOLIVE goes and, across plans, mes:S-ROLL that waits for it.
ERP_BY_HAND = """\
cio_kit: 1
enterprise: {name: Group ERP, currency: CNY, plan_start: 2027-01-04}
goals: [{id: G-A, due: 2027-04-30, kpi: {name: k, baseline: 1, target: 2}}]
resources: [{id: R-KEY, capacity: 3}]
stages:
  - {id: S-BUILD, title: Build, kind: system-rollout, duration_weeks: 20, serves: [G-A], effort: {R-KEY: 60},
     budget: [{amount: 500000, class: transform, category: software}]}
budget:
  total: 1200000
  years: {2027: 1200000}
  lines: [{id: L-RUN, amount: 50000, class: run, category: software}]
"""

MES_BY_HAND = """\
cio_kit: 1
enterprise: {name: Plant MES, currency: CNY, plan_start: 2027-02-01}
goals: [{id: G-B, kpi: {name: k, baseline: 1, target: 2}}]
resources: [{id: R-KEY, capacity: 3}]
stages:
  - {id: S-PREP, title: Prepare, kind: infrastructure, duration_weeks: 4, serves: [G-B],
     not_before: 2027-02-15, budget: [{amount: 100000, class: run, category: hardware}]}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, {"plans/erp.yaml": ERP_DUE, "plans/mes.yaml": MES, "scenarios/slow.yaml": SCENARIO})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_overlay_is_the_plan_edited_by_hand(repo: Path) -> None:
    config = Config()
    base = load_all([repo / "plans"], config)
    applied = apply_scenario(read_scenario(repo / "scenarios/slow.yaml"), base, config)
    assert applied.dropped == ("erp:S-GOLIVE", "mes:S-ROLL")
    write(repo, {"hand/erp.yaml": ERP_BY_HAND, "hand/mes.yaml": MES_BY_HAND})
    by_hand = load_all([repo / "hand"], config)
    for overlaid, edited in zip(applied.loaded, by_hand, strict=True):
        assert overlaid.plan is not None and edited.plan is not None
        assert overlaid.plan.model_dump() == edited.plan.model_dump()

    side = compare(base, [applied], None, runs=50, seed=0).scenarios[0]
    # Findings introduced and fixed are what plan diff finds between each file and its edit.
    introduced: set[tuple[str, ...]] = set()
    fixed: set[tuple[str, ...]] = set()
    for before, after in zip(base, by_hand, strict=True):
        assert before.plan is not None and after.plan is not None
        diff = plan_diff(before.plan, after.plan, before.findings, after.findings, before.file, after.file)
        introduced |= {(before.file, *(k or "" for k in f.key)) for f in diff.introduced}
        fixed |= {(before.file, *(k or "" for k in f.key)) for f in diff.fixed}
    assert {(f.file, *(k or "" for k in f.key)) for f in side.introduced} == introduced
    assert {(f.file, *(k or "" for k in f.key)) for f in side.fixed} == fixed
    assert any(f.rule == "RES001" for f in side.fixed)  # mes:S-ROLL over-booked R-KEY; it is gone
    assert introduced and fixed
    # A finding introduced in a rewritten document points into the real file.
    for finding in side.introduced:
        lines = (repo / finding.file).read_text(encoding="utf-8").splitlines()
        assert 1 <= finding.line <= len(lines)
    whole = merged_plan(members(by_hand))
    schedule = Context(whole).schedule
    assert side.finish_date == schedule.project_last_day
    assert side.spend["total"] == planned_spend(whole, schedule).whole.total == 650_000
    assert side.goals_served == ()  # G-A lost S-GOLIVE, G-B lost S-ROLL
    assert side.dropped == applied.dropped


def test_a_goal_is_served_while_every_stage_serving_it_in_the_base_is_kept(repo: Path) -> None:
    config = Config()
    base = load_all([repo / "plans"], config)
    (repo / "scenarios/slow.yaml").write_text(
        "cio_kit_scenario: 1\nname: no roll-out\nchanges: [{drop: mes:S-ROLL}]\n", encoding="utf-8"
    )
    applied = apply_scenario(read_scenario(repo / "scenarios/slow.yaml"), base, config)
    comparison = compare(base, [applied], None, runs=50, seed=0)
    assert comparison.base.goals_served == ("erp:G-A", "mes:G-B")
    assert comparison.scenarios[0].goals_served == ("erp:G-A",)  # S-PREP still serves G-B, S-ROLL no more


def test_scale_budget_of_some_years_cuts_their_share(tmp_path: Path, monkeypatch: Any) -> None:
    """The cut is half of 2028's spend: a stage all in 2027 is untouched, lines of 2028 are halved.

    A stage's budget is one amount spread by days, so the stage across the year end
    carries its cut in both years, in proportion; the total falls by exactly the cut.
    """
    plan = """\
cio_kit: 1
enterprise: {name: Year end, currency: CNY, plan_start: 2027-10-04}
stages:
  - {id: S-EARLY, title: Early, kind: infrastructure, duration_weeks: 4,
     budget: [{amount: 4000, class: run, category: hardware}]}
  - {id: S-ACROSS, title: Across, kind: infrastructure, duration_weeks: 26, depends_on: [S-EARLY],
     budget: [{amount: 26000, class: grow, category: services}]}
budget:
  lines:
    - {id: L-LICENCE, amount: 1000, class: run, category: software, per_year: true}
    - {id: L-AUDIT, amount: 500, class: run, category: services, year: 2028}
"""
    scenario = "cio_kit_scenario: 1\nname: half of 2028\nchanges: [{scale_budget: 0.5, years: [2028]}]\n"
    write(tmp_path, {"plans/y.yaml": plan, "scenarios/h.yaml": scenario})
    monkeypatch.chdir(tmp_path)
    base = load_all([tmp_path / "plans"], Config())
    applied = apply_scenario(read_scenario(tmp_path / "scenarios/h.yaml"), base, Config())
    before_plan, after_plan = base[0].plan, applied.loaded[0].plan
    assert before_plan is not None and after_plan is not None
    before = planned_spend(before_plan, Context(before_plan).schedule).years
    after = planned_spend(after_plan, Context(after_plan).schedule).years
    assert set(before) == set(after) == {2027, 2028}
    cut = before[2028].total / 2
    assert sum(y.total for y in after.values()) == pytest.approx(
        sum(y.total for y in before.values()) - cut, abs=0.01
    )
    # By hand: S-ACROSS has 182 days from 2027-11-01, 61 in 2027 and 121 in 2028: 26000 × (1 − ½ × 121/182).
    assert after_plan.stages[1].budget[0].amount == pytest.approx(26000 * (1 - 0.5 * 121 / 182), abs=0.005)
    assert after_plan.stages[0].budget[0].amount == 4000  # all in 2027: untouched
    assert 13000 < after_plan.stages[1].budget[0].amount < 26000
    assert after_plan.budget is not None
    lines = {line.id: (line.amount, line.year) for line in after_plan.budget.lines}
    assert lines == {"L-LICENCE-2027": (1000, 2027), "L-LICENCE-2028": (500, 2028), "L-AUDIT": (250, 2028)}


def test_an_envelope_change_sets_the_year_it_names(repo: Path) -> None:
    config = Config()
    base = load_all([repo / "plans"], config)
    (repo / "scenarios/slow.yaml").write_text(
        "cio_kit_scenario: 1\nname: tight\nchanges: [{envelope: {2027: 900000}}]\n", encoding="utf-8"
    )
    applied = apply_scenario(read_scenario(repo / "scenarios/slow.yaml"), base, config)
    assert applied.envelope == {2027: 900000}
    comparison = compare(base, [applied], None, runs=50, seed=0)
    assert comparison.base.years == ((2027, 1_600_000.0, 1_200_000.0),)
    assert comparison.scenarios[0].years == ((2027, 1_600_000.0, 900_000.0),)


BAD = [
    ("changes: [{drop: S-NOPE}]", ":3: any plan has no stage S-NOPE"),
    ("changes: [{drop: crm:S-BUILD}]", ":3: there is no plan crm"),
    ("changes: [{drop: mes:S-BUILD}]", ":3: plan mes has no stage S-BUILD"),
    (
        "changes:\n  - {drop: S-PREP}\n  - {add_capacity: R-NONE, capacity: 1}",
        ":5: no plan has a resource R-NONE",
    ),
    ("changes: [{drop: S-PREP, set: S-PREP}]", ":3: a change has exactly one of"),
    ("changes: [{delay: S-PREP, weeks: -2}]", ":3: delay: weeks:"),
    ("changes: [{delay: S-PREP}]", ":3: delay: weeks: Field required"),
    ("changes: [{resize: S-PREP}]", ":3: a change has exactly one of delay, drop"),
    ("changes: []", ":3: changes: List should have at least 1 item"),
    ("changes: [{drop: S-PREP}", ":4:1: invalid YAML"),
    ("changes: [{scale_budget: 0.5, years: 2028}]", ":3: scale_budget: years:"),
]


@pytest.mark.parametrize(("changes", "said"), BAD)
def test_a_bad_scenario_is_a_usage_error_naming_file_and_line(
    cli: Any, repo: Path, changes: str, said: str
) -> None:
    (repo / "scenarios/bad.yaml").write_text(f"cio_kit_scenario: 1\nname: bad\n{changes}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"scenarios/bad\.yaml"):
        apply_scenario(
            read_scenario(repo / "scenarios/bad.yaml"), load_all([repo / "plans"], Config()), Config()
        )
    result = cli("scenario", "compare", "bad")
    assert result.exit_code == 2, result.stdout
    assert f"scenarios/bad.yaml{said}" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


def test_a_stage_in_several_plans_must_be_qualified(cli: Any, repo: Path) -> None:
    write(repo, {"plans/crm.yaml": MES.replace("Plant MES", "CRM").replace("erp:S-GOLIVE", "S-PREP")})
    (repo / "scenarios/slow.yaml").write_text(
        "cio_kit_scenario: 1\nname: which\nchanges: [{drop: S-PREP}]\n", encoding="utf-8"
    )
    result = cli("scenario", "compare", "slow")
    assert result.exit_code == 2
    assert "S-PREP is in several plans; say which: crm:S-PREP, mes:S-PREP" in " ".join(result.stderr.split())


def test_delay_needs_dates(cli: Any, repo: Path) -> None:
    (repo / "plans/erp.yaml").unlink()
    undated = (
        "cio_kit: 1\nenterprise: {name: Undated}\n"
        "stages:\n  - {id: S-PREP, title: P, kind: training, duration_weeks: 2}\n"
    )
    write(repo, {"plans/mes.yaml": undated})
    (repo / "scenarios/slow.yaml").write_text(
        "cio_kit_scenario: 1\nname: later\nchanges: [{delay: mes:S-PREP, weeks: 2}]\n", encoding="utf-8"
    )
    result = cli("scenario", "compare")
    assert result.exit_code == 2 and "delay needs dates" in result.stderr


def test_without_scenarios_or_with_a_missing_one(cli: Any, repo: Path) -> None:
    missing = cli("scenario", "compare", "nope")
    assert missing.exit_code == 2 and "no scenario 'nope'" in missing.stderr
    (repo / "scenarios/slow.yaml").unlink()
    none = cli("scenario", "compare")
    assert none.exit_code == 2 and "--write-scenario" in " ".join(none.stderr.split())


def test_suppressions_of_a_rewritten_file_still_hold(repo: Path) -> None:
    """The rewritten document has no comments; what the file silenced stays silenced."""
    silenced = MES.replace(
        "  - {id: S-PREP,", "  - {id: S-PREP,  # cio-kit: ignore[BUDGET004, STRAT004] the plant pays\n    "
    )
    write(repo, {"plans/mes.yaml": silenced})
    config = Config()
    base = load_all([repo / "plans"], config)
    assert not any(f.rule == "BUDGET004" and f.subject == "S-PREP" for f in base[1].findings)
    applied = apply_scenario(read_scenario(repo / "scenarios/slow.yaml"), base, config)
    again = applied.loaded[1]
    assert not any(f.rule == "BUDGET004" and f.subject == "S-PREP" for f in again.findings)
    assert {f.rule for f, _ in again.suppressed} == {"BUDGET004", "STRAT004"}


def test_finding_key_follows_the_element_not_its_position() -> None:
    def finding(path: str, subject: str | None) -> Finding:
        return Finding("p.yaml", 9, 5, "SCHED001", path, "late", Severity.WARNING, subject)

    assert finding("stages[3].budget[0]", "S-A").key == ("SCHED001", "stages[S-A].budget[0]", "S-A")
    assert finding("stages[3]", "S-A").key == finding("stages[4]", "S-A").key
    assert finding("stages[3]", None).key != finding("stages[4]", None).key


def test_compare_cli_text_and_json(cli: Any, repo: Path, golden: Callable[[str, str], None]) -> None:
    (repo / "scenarios/later.yaml").write_text(
        "cio_kit_scenario: 1\nname: ERP later\nchanges: [{delay: erp:S-BUILD, weeks: 4}]\n", encoding="utf-8"
    )
    text = cli("scenario", "compare", "--runs", "200")
    assert text.exit_code == 0, text.stderr
    golden("scenario-compare.txt", text.stdout)
    result = cli("scenario", "compare", "later", "slow", "-f", "json", "--runs", "200")
    assert result.exit_code == 0, result.stderr
    golden("scenario-compare.json", result.stdout)
    document = json.loads(result.stdout)
    keys = [
        "finish_date",
        "forecast_finish_date",
        "p80_date",
        "spend",
        "years",
        "goals_served",
        "errors",
        "warnings",
    ]
    assert list(document["base"]) == keys
    assert [s["name"] for s in document["scenarios"]] == ["ERP later", "Slower build, half the money"]
    later = document["scenarios"][0]
    assert list(later)[: len(keys) + 3] == ["name", *keys, "introduced", "fixed"]
    # Four weeks later for the ERP build: everything after it, across plans, moves four weeks.
    assert document["base"]["finish_date"] == "2027-04-25" and later["finish_date"] == "2027-05-23"
    assert later["spend"] == document["base"]["spend"]


def test_the_bundled_scenarios(cli: Any, in_root: Path) -> None:
    """The bundled 20% cut is the optimiser's answer; an ERP slip moves the plans that wait for it."""
    answer = json.loads(cli("portfolio", "optimize", "--budget-scale", "0.8", "-f", "json").stdout)
    result = cli("scenario", "compare", "-f", "json", "--runs", "100")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    cut, slip = document["scenarios"]
    assert (cut["name"], slip["name"]) == ("budget-cut-20", "ERP go-live slips a quarter")
    assert sorted(cut["dropped"]) == sorted(answer["deferred"])
    # The optimiser reads the plan as it stands, so its finish is the forecast (SPEC §16).
    assert cut["goals_served"] == answer["goals_served"]
    assert cut["forecast_finish_date"] == answer["finish_after"]
    assert [y["envelope"] for y in cut["years"]] == [y["envelope"] for y in answer["years"]]
    assert slip["finish_date"] > document["base"]["finish_date"]
    assert slip["spend"] == document["base"]["spend"]


def test_files_that_are_not_plans_stay_out_of_it(cli: Any, repo: Path) -> None:
    """A YAML note next to the plans is skipped by validate, and by a scenario too."""
    write(repo, {"plans/notes.yaml": "minutes: [one, two]\n", "scenarios/.hidden.yaml": "not: a scenario\n"})
    (repo / "scenarios" / "slow.yaml").rename(repo / "scenarios" / "slow.yml")
    result = cli("scenario", "compare", "-f", "json", "--runs", "20")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [s["name"] for s in document["scenarios"]] == [
        "Slower build, half the money"
    ]  # .yml read, dot file not
    assert all("notes.yaml" not in f["file"] for s in document["scenarios"] for f in s["introduced"])
    by_name = cli("scenario", "compare", "slow", "-f", "json", "--runs", "20")
    assert (
        by_name.exit_code == 0 and json.loads(by_name.stdout)["scenarios"][0]["file"] == "scenarios/slow.yml"
    )


def test_a_repository_without_dates_compares_without_dates(
    cli: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    plan = (
        "cio_kit: 1\nenterprise: {name: Undated}\n"
        "stages:\n  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
    )
    write(
        tmp_path,
        {
            "plans/p.yaml": plan,
            "scenarios/s.yaml": "cio_kit_scenario: 1\nname: s\nchanges: [{set: S-A, duration_weeks: 3}]\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    document = json.loads(cli("scenario", "compare", "-f", "json").stdout)
    for side in (document["base"], document["scenarios"][0]):
        assert (
            side["finish_date"] is None and side["p80_date"] is None and side["forecast_finish_date"] is None
        )
        assert side["years"] == []
    text = cli("scenario", "compare")
    assert text.exit_code == 0 and "n/a" in text.stdout


def test_the_bundled_scenarios_in_colour(in_root: Path, golden: Callable[[str, str], None]) -> None:
    """What a terminal shows for the two bundled scenarios.

    A year's spend over its envelope is red: 2028 in the base (38,421,111 over 38,000,000) and 2029
    when the ERP slips (15,721,429 over 15,000,000); the cut keeps every year within. The cut's lost
    goals are yellow, the slip's two new errors red, the cut's fixed BUDGET007 green.
    """
    from typer.testing import CliRunner

    from cio_kit.cli import app

    colour = {"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm", "COLORTERM": None, "COLUMNS": "140"}
    result = CliRunner().invoke(app, ["scenario", "compare", "--runs", "200"], env=colour)
    assert result.exit_code == 0, result.stderr
    golden("scenario-bundled.ansi", result.stdout)
    as_json = CliRunner().invoke(app, ["scenario", "compare", "--runs", "200", "-f", "json"])
    golden("scenario-bundled.json", as_json.stdout)  # amounts to the cent, as SPEC §12 gives them
    assert "\x1b[31m38,421,111 / 38,000,000\x1b[0m" in result.stdout
    assert "\x1b[33mGoals lost: hengda-group:G-DELIVERY" in result.stdout


def test_a_year_is_over_its_envelope_only_by_more_than_half_a_unit(
    golden: Callable[[str, str], None],
) -> None:
    """Amounts show in whole units, so a year within half a unit of its envelope reads equal and is not
    red: the base's 2027 at 1,000,000.5 against 1,000,000, exactly half a unit over, is not; the
    scenario's 2028 at 1,000,000.6 is, shown 1,000,001. A year one side lacks is an empty cell, a year
    without an envelope shows its spend alone, and a scenario that changes nothing says so."""
    import datetime as dt

    from rich.console import Console

    from cio_kit.render.scenario import render_text
    from cio_kit.reports.scenario import Comparison, Side

    spend = {"run": 1.0, "grow": 2.0, "transform": 3.0, "total": 6.0}
    day = dt.date(2027, 6, 30)
    base = Side(None, None, day, None, None, spend, ((2027, 1_000_000.5, 1_000_000.0),), ("G-A",), 0, 1, ())
    same = Side(
        "Same", "scenarios/same.yaml", day, None, None, spend,
        ((2027, 1_000_000.4, 1_000_000.0), (2028, 1_000_000.6, 1_000_000.0), (2029, 5.0, None)),
        ("G-A",), 0, 1, (),
    )  # fmt: skip
    console = Console(record=True, width=100, color_system="standard", force_terminal=True, highlight=False)
    render_text(Comparison("Acme", "EUR", base, (same,)), console, runs=1)
    shown = console.export_text(styles=True)
    golden("scenario-half-unit.ansi", shown)
    assert "— the base and 1 scenario (EUR): the plan as written" in shown
    assert "\x1b[31m1,000,001 / 1,000,000\x1b[0m" in shown  # 2028 only: over by 0.6
    assert shown.count("\x1b[31m") == 1
    assert "No stage dropped, no goal lost, no finding introduced or fixed." in shown
    from cio_kit.render.scenario import to_json

    years = json.loads(to_json(Comparison("Acme", "EUR", base, (same,))))["scenarios"][0]["years"]
    assert years[2] == {"year": 2029, "spend": 5.0, "envelope": None}
    assert years[0]["spend"] == 1_000_000.4  # to the cent


def test_a_scenario_that_only_drops_lists_what_it_drops() -> None:
    """A stage dropped without losing a goal or changing a finding is still a change: listed, and
    the "nothing changed" line is not printed."""
    import datetime as dt

    from rich.console import Console

    from cio_kit.render.scenario import render_text
    from cio_kit.reports.scenario import Comparison, Side

    spend = {"run": 1.0, "grow": 2.0, "transform": 3.0, "total": 6.0}
    day = dt.date(2027, 6, 30)
    base = Side(None, None, day, None, None, spend, (), ("G-A",), 0, 0, ())
    trimmed = Side("Trim", "scenarios/trim.yaml", day, None, None, spend, (), ("G-A",), 0, 0, (), ("S-X",))
    console = Console(record=True, width=100, color_system=None)
    render_text(Comparison("Acme", "EUR", base, (trimmed,)), console, runs=1)
    shown = console.export_text()
    assert shown.endswith("Trim (scenarios/trim.yaml)\nDropped: S-X\n")


def test_an_envelope_change_keeps_the_years_it_does_not_name(tmp_path: Path, monkeypatch: Any) -> None:
    """The ERP plan has envelopes for 2027 and 2028; a scenario sets 2027 only, so 2028 keeps 300,000."""
    two_years = ERP.replace("total: 1200000", "total: 1500000").replace(
        "years: {2027: 1200000}", "years: {2027: 1200000, 2028: 300000}"
    )
    write(tmp_path, {"plans/erp.yaml": two_years, "scenarios/tight.yaml": SCENARIO})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios/tight.yaml").write_text(
        "cio_kit_scenario: 1\nname: tight\nchanges: [{envelope: {2027: 900000}}]\n", encoding="utf-8"
    )
    config = Config()
    base = load_all([tmp_path / "plans"], config)
    applied = apply_scenario(read_scenario(tmp_path / "scenarios/tight.yaml"), base, config)
    comparison = compare(base, [applied], None, runs=50, seed=0)
    # 1,000,000 of build and the 100,000 run line fall in 2027; nothing is spent in 2028.
    assert comparison.base.years == ((2027, 1_100_000.0, 1_200_000.0), (2028, 0.0, 300_000.0))
    assert comparison.scenarios[0].years == ((2027, 1_100_000.0, 900_000.0), (2028, 0.0, 300_000.0))


def _with_a_cancelled_idea(tmp_path: Path, monkeypatch: Any, dropped: str) -> Any:
    """The ERP plan with G-C, served only by the cancelled S-OLD, against a scenario dropping one stage."""
    plan = ERP.replace(
        "goals: [{id: G-A,", "goals: [{id: G-C, kpi: {name: c, baseline: 1, target: 2}}, {id: G-A,"
    ).replace(
        "budget:\n  total",
        "  - {id: S-OLD, title: Old idea, kind: infrastructure, duration_weeks: 2, serves: [G-C],\n"
        "     status: cancelled}\nbudget:\n  total",
    )
    scenario = f"cio_kit_scenario: 1\nname: s\nchanges: [{{drop: {dropped}}}]\n"
    write(tmp_path, {"plans/erp.yaml": plan, "scenarios/s.yaml": scenario})
    monkeypatch.chdir(tmp_path)
    config = Config()
    base = load_all([tmp_path / "plans"], config)
    applied = apply_scenario(read_scenario(tmp_path / "scenarios/s.yaml"), base, config)
    return compare(base, [applied], None, runs=50, seed=0)


def test_a_goal_only_cancelled_stages_served_is_not_lost_by_a_scenario(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """SPEC §12: a goal is served when every non-cancelled stage serving it is kept. Dropping the
    go-live loses G-A; G-C, served only by a cancelled stage, has nothing to lose and stays served."""
    comparison = _with_a_cancelled_idea(tmp_path, monkeypatch, "S-GOLIVE")
    assert comparison.base.goals_served == ("erp:G-C", "erp:G-A")
    assert comparison.scenarios[0].goals_served == ("erp:G-C",)


def test_a_comparison_needs_a_sound_plan() -> None:
    """The command says so first (exit 2); a caller of the report gets it in words."""
    with pytest.raises(ValueError, match=r"^no sound plan in the portfolio$"):
        compare([], [], None, runs=50, seed=0)


def test_dropping_a_cancelled_stage_loses_no_goal_and_a_goal_every_stage_serves_is_served(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Every live ERP stage serves G-A, so G-A is served while all stages are there; S-OLD is cancelled,
    so dropping it takes nothing from G-C, which only it served (SPEC §12: non-cancelled stages count)."""
    comparison = _with_a_cancelled_idea(tmp_path, monkeypatch, "S-OLD")
    assert comparison.base.goals_served == ("erp:G-C", "erp:G-A")
    assert comparison.scenarios[0].goals_served == ("erp:G-C", "erp:G-A")


def test_compare_says_what_it_refuses_word_for_word(cli: Any, repo: Path) -> None:
    """Blocked plans are named together; without scenarios it says where it looked and what writes one."""
    for name in ("plans/a-loop.yaml", "plans/b-loop.yaml"):
        write(repo, {name: MES.replace("depends_on: [S-PREP, erp:S-GOLIVE]", "depends_on: [S-ROLL]")})
    blocked = cli("scenario", "compare")
    assert blocked.exit_code == 2
    assert blocked.stderr.endswith(
        "plans/a-loop.yaml, plans/b-loop.yaml: blocking findings; run cio-kit plan validate first\n"
    )
    for name in ("plans/a-loop.yaml", "plans/b-loop.yaml", "scenarios/slow.yaml"):
        (repo / name).unlink()
    none = cli("scenario", "compare")
    assert none.exit_code == 2
    assert " ".join(none.stderr.split()).endswith(
        "no scenario in scenarios; write one, or let cio-kit portfolio optimize "
        "--write-scenario NAME write it"
    )


def test_compare_runs_2000_times_from_seed_0_unless_asked(cli: Any, in_root: Path) -> None:
    """The bundled plans have estimates, so another seed moves their P80s."""
    from typer.testing import CliRunner

    from cio_kit.cli import app

    wide = CliRunner().invoke(app, ["scenario", "compare"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert "P80 finish (2,000 runs)" in wide.stdout
    shown = json.loads(cli("scenario", "compare", "-f", "json").stdout)
    assert shown == json.loads(
        cli("scenario", "compare", "-f", "json", "--runs", "2000", "--seed", "0").stdout
    )
    assert shown != json.loads(cli("scenario", "compare", "-f", "json", "--seed", "1").stdout)


def test_compare_reads_the_plans_its_configuration_names(cli: Any, repo: Path) -> None:
    """With --config naming another folder, the base is that folder's plans."""
    (repo / "plans").rename(repo / "elsewhere")
    write(repo, {"settings.yaml": "paths: [elsewhere]\n"})
    result = cli("scenario", "compare", "-f", "json", "--config", "settings.yaml")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["base"]["finish_date"] == "2027-04-25"
