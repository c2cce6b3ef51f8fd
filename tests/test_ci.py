"""CI integration: SARIF, JUnit, GitHub annotations, --output, pre-commit, the action, schema, init, diff."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml

from cio_kit.findings import FailOn
from cio_kit.plan.schema import plan_schema
from cio_kit.plan.yamlsafe import read_yaml
from cio_kit.render import github, junit, sarif
from cio_kit.rules import all_rules
from cio_kit.validate import check_file, validate

from .conftest import MINIMAL, ROOT

DATA = Path(__file__).parent / "data"
SUPPRESSED = MINIMAL.replace("    objective: Everyone knows the plan\n", "").replace(
    "  - id: S-A\n", "  - id: S-A  # cio-kit: ignore[STRAT004] agreed with the sponsor\n"
)


def _flawed(write_plan: Callable[..., Path]) -> Any:
    write_plan(
        (ROOT / "examples" / "lessons" / "lesson3-chicken-and-egg.yaml").read_text(), name="plans/a.yaml"
    )
    write_plan(SUPPRESSED, name="plans/b.yaml")
    return validate([Path("plans")])


def test_sarif_is_valid_against_the_official_schema(write_plan: Callable[..., Path]) -> None:
    log = json.loads(sarif.render(_flawed(write_plan)))
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    driver = log["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == list(all_rules())
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "Why it matters" in rule["help"]["text"]
    results = log["runs"][0]["results"]
    levels = {(r["ruleId"], r["level"]) for r in results}
    assert ("DEP002", "error") in levels and ("DEP004", "warning") in levels
    [suppressed] = [r for r in results if "suppressions" in r]
    assert suppressed["ruleId"] == "STRAT004"
    assert suppressed["suppressions"] == [{"kind": "inSource", "justification": "agreed with the sponsor"}]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "plans/a.yaml"
    assert location["region"]["startLine"] >= 1


def test_junit(write_plan: Callable[..., Path]) -> None:
    report = _flawed(write_plan)
    root = ET.fromstring(junit.render(report, FailOn.ERROR))
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"plans/a.yaml", "plans/b.yaml"}
    assert suites["plans/a.yaml"].get("file") == "plans/a.yaml"
    failing = suites["plans/a.yaml"].findall("testcase/failure")
    assert [f.get("type") for f in failing] == ["DEP002"]  # the DEP004 warning is below the fail level
    assert failing[0].get("message", "").startswith("plans/a.yaml:")
    # The warning is still there, as a passing testcase with its text in system-out.
    [warning] = suites["plans/a.yaml"].findall("testcase/system-out")
    assert " warning DEP004 " in (warning.text or "")
    assert len(suites["plans/a.yaml"].findall("testcase")) == int(suites["plans/a.yaml"].get("tests", "0"))
    clean = suites["plans/b.yaml"].findall("testcase")
    assert len(clean) == 1 and clean[0].find("failure") is None
    warning_level = ET.fromstring(junit.render(report, FailOn.WARNING))
    assert len(warning_level.findall(".//failure")) == 2
    assert ET.fromstring(junit.render(report, FailOn.NEVER)).get("failures") == "0"


def test_junit_keeps_a_skipped_file_with_findings_and_names_a_file_level_finding() -> None:
    """A skipped file (a YAML file that is not a plan) is left out only when nothing was found in it,
    and the files after it still count; a finding without a path is named after the file."""
    from cio_kit.findings import FileResult, Finding, Report, Severity

    finding = Finding("odd.yaml", 1, 1, "PLAN002", "", "not a plan", Severity.WARNING)
    report = Report(
        (
            FileResult("notes.yaml", None, (), skipped=True),
            FileResult("odd.yaml", None, (finding,), skipped=True),
            FileResult("plans/a.yaml", "A", ()),
        )
    )
    root = ET.fromstring(junit.render(report, FailOn.ERROR))
    assert [suite.get("name") for suite in root.iter("testsuite")] == ["odd.yaml", "plans/a.yaml"]
    assert [case.get("name") for case in root.iter("testcase")] == ["PLAN002 file (1:1)", "plan is valid"]


def test_json_report_counts_each_severity() -> None:
    """Per file and in the summary: errors, warnings and infos, each counted apart."""
    from cio_kit.findings import FileResult, Finding, Report, Severity
    from cio_kit.render import json_format

    found = tuple(
        Finding("a.yaml", line, 1, rule, "stages", "m", severity)
        for line, (rule, severity) in enumerate(
            [("X1", Severity.ERROR), ("X2", Severity.WARNING), ("X3", Severity.WARNING)]
            + [("X4", Severity.INFO)] * 3,
            start=1,
        )
    )
    document = json.loads(json_format.render(Report((FileResult("a.yaml", "A", found),))))
    counts = {"errors": 1, "warnings": 2, "infos": 3}
    assert {key: document["files"][0][key] for key in counts} == counts
    assert {key: document["summary"][key] for key in counts} == counts


def test_github_annotations_are_escaped(write_plan: Callable[..., Path]) -> None:
    lines = github.render(_flawed(write_plan)).splitlines()
    assert lines[0].startswith("::error file=plans/a.yaml,line=")
    assert ",title=DEP002::" in lines[0]
    assert lines[1].startswith("::warning ")
    from cio_kit.findings import Finding, Report, Severity

    odd = Finding("a,b:c.yaml", 1, 2, "PLAN008", "", "50% done\nnext", Severity.INFO)
    from cio_kit.findings import FileResult

    text = github.render(Report((FileResult("a,b:c.yaml", None, (odd,)),)))
    assert text == "::notice file=a%2Cb%3Ac.yaml,line=1,col=2,title=PLAN008::50%25 done%0Anext\n"


def test_auto_format_follows_github_actions(write_plan: Callable[..., Path], cli: Any) -> None:
    from typer.testing import CliRunner

    from cio_kit.cli import app

    _flawed(write_plan)
    runner = CliRunner()
    under_actions = runner.invoke(
        app, ["plan", "validate", "--format", "auto"], env={"GITHUB_ACTIONS": "true"}
    )
    assert under_actions.stdout.startswith("::error ")
    elsewhere = runner.invoke(app, ["plan", "validate", "--format", "auto"], env={"GITHUB_ACTIONS": ""})
    assert "::error" not in elsewhere.stdout and "DEP002" in elsewhere.stdout


def test_output_saves_sarif_and_prints_text(
    write_plan: Callable[..., Path], cli: Any, tmp_path: Path
) -> None:
    _flawed(write_plan)
    (tmp_path / "out.sarif").write_text("stale")
    result = cli("plan", "validate", "--format", "sarif", "--output", "out.sarif")
    assert result.exit_code == 1
    assert "DEP002" in result.stdout and "$schema" not in result.stdout
    assert json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"
    assert not list(tmp_path.glob(".*.tmp"))


def test_pre_commit_hook_entry_runs_on_a_sample_repository(tmp_path: Path) -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "cio-kit-validate" and hook["files"] == r"\.(ya?ml)$"
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    (repo / "plans" / "plan.yaml").write_text(MINIMAL)
    command = shlex.split(hook["entry"])
    assert command[0] == "cio-kit"
    run = [sys.executable, "-m", "cio_kit", *command[1:]]
    assert subprocess.run(run, cwd=repo, capture_output=True, check=False).returncode == 0
    (repo / "plans" / "plan.yaml").write_text(MINIMAL + "    depends_on: [S-NOPE]\n")
    failed = subprocess.run(run, cwd=repo, capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and "PLAN005" in failed.stdout


def test_action_steps_run_green_on_the_sample_repository(tmp_path: Path) -> None:
    """Run the composite action's validate step as GitHub would, on examples/ci/sample-repo."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    [step] = [s for s in action["runs"]["steps"] if s.get("name") == "Validate plans"]
    workflow = yaml.safe_load(
        (ROOT / "examples" / "ci" / "sample-repo" / ".github" / "workflows" / "plans.yml").read_text()
    )
    uses = [s.get("uses", "") for s in workflow["jobs"]["cio-kit"]["steps"]]
    assert "./cio-kit" in uses and any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "CIO_KIT_PATHS": "",
        "CIO_KIT_FAIL_ON": action["inputs"]["fail-on"]["default"],
        "CIO_KIT_SARIF": str(tmp_path / "cio-kit.sarif"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    script = step["run"].replace("cio-kit ", f"{shlex.quote(sys.executable)} -m cio_kit ", 1)
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT / "examples" / "ci" / "sample-repo",
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    log = json.loads((tmp_path / "cio-kit.sarif").read_text())
    jsonschema.validate(log, json.loads((DATA / "sarif-schema-2.1.0.json").read_text()))
    assert log["runs"][0]["results"] == []


def test_sample_repository_schema_is_current() -> None:
    shipped = json.loads((ROOT / "examples" / "ci" / "sample-repo" / "cio-kit.schema.json").read_text())
    assert shipped == plan_schema()


def test_schema_has_a_description_on_every_field() -> None:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for name, definition in [("Plan", schema), *schema["$defs"].items()]:
        for field, spec in definition.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field}"


def _yaml_files() -> list[Path]:
    return sorted([*(ROOT / "plans").rglob("*.yaml"), *(ROOT / "examples").rglob("*.yaml")])


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_files_that_load_validate_against_the_schema(path: Path) -> None:
    loaded = check_file(path, True)
    schema_level = {"PLAN001", "PLAN002", "PLAN003", "PLAN006", "PLAN007"}
    if path.name.endswith(".yml") or any(f.rule in schema_level for f in loaded.findings):
        pytest.skip("not meant to be a valid plan")
    data = json.loads(json.dumps(read_yaml(path.read_text(encoding="utf-8-sig")).data, default=str))
    jsonschema.validate(data, plan_schema())


def test_schema_rejects_what_the_model_rejects() -> None:
    data = json.loads(
        json.dumps(read_yaml((ROOT / "examples/loader/plan002-wrong-types.yaml").read_text()).data)
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, plan_schema())


def test_schema_command(cli: Any) -> None:
    result = cli("plan", "schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == plan_schema()


def test_init_writes_a_clean_plan_and_refuses_to_overwrite(
    cli: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("plan", "init", "repo", "--name", "Acme Corp", "--start", "2027-05-03")
    assert result.exit_code == 0, result.output
    plan = tmp_path / "repo" / "plans" / "plan.yaml"
    assert plan.read_text().startswith("# yaml-language-server: $schema=../cio-kit.schema.json")
    assert json.loads((tmp_path / "repo" / "cio-kit.schema.json").read_text()) == plan_schema()
    loaded = check_file(plan, True)
    assert loaded.findings == [] and loaded.plan.enterprise.name == "Acme Corp"
    plan.write_text("# my edits\n")
    refused = cli("plan", "init", "repo")
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert plan.read_text() == "# my edits\n"
    assert cli("plan", "init", "repo", "--force").exit_code == 0
    assert plan.read_text() != "# my edits\n"
    monkeypatch.chdir(tmp_path / "repo")
    assert cli("plan", "validate").exit_code == 0
    assert cli("plan", "init", "other", "--start", "2027-13-01").exit_code == 2


@pytest.mark.parametrize("month", range(1, 13))
def test_starter_plan_is_clean_whatever_the_start(month: int, tmp_path: Path) -> None:
    import datetime as dt

    from cio_kit.plan.starter import PLAN_FILE, default_start, starter_files

    start = default_start(dt.date(2027, month, 15))
    assert start.weekday() == 0 and start.month == month % 12 + 1
    plan = tmp_path / "plan.yaml"
    plan.write_text(starter_files("Acme", "EUR", start)[PLAN_FILE])
    assert check_file(plan, True).findings == []


def test_starter_files_start_on_the_first_monday_and_keep_the_name_as_written() -> None:
    import datetime as dt

    from cio_kit.plan.starter import PLAN_FILE, SCHEMA_FILE, default_start, starter_files

    # 2027-03-01 is itself a Monday; 2027-01-01 is a Friday, so January's is the 4th.
    assert default_start(dt.date(2027, 2, 15)) == dt.date(2027, 3, 1)
    assert default_start(dt.date(2026, 12, 6)) == dt.date(2027, 1, 4)
    files = starter_files("Société 株式会社", "EUR", dt.date(2027, 3, 1))
    assert 'name: "Société 株式会社"' in files[PLAN_FILE]
    schema = files[Path(SCHEMA_FILE)]
    # Indented by two, and "§" as written: a schema a planner's editor shows and diffs readably.
    assert schema.splitlines()[1].startswith('  "$schema"') and "§" in schema and schema.endswith("}\n")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_diff_against_git_reports_budget_change_and_slip(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    plan = repo / "plans" / "plan.yaml"
    original = (DATA / "report-small.yaml").read_text()
    plan.write_text(original)
    _git(repo, "init", "-q")
    _git(
        repo,
        "-c",
        "user.email=t@example.com",
        "-c",
        "user.name=T",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "empty",
    )
    _git(repo, "add", ".")
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-q", "-m", "v1")
    changed = original.replace("    duration_weeks: 8\n", "    duration_weeks: 10\n").replace(
        "{amount: 1000, class: grow, category: services}", "{amount: 1500, class: grow, category: services}"
    )
    plan.write_text(changed)
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=T", "commit", "-q", "-am", "v2")
    monkeypatch.chdir(repo)
    result = cli("plan", "diff", "--git", "HEAD~1", "plans/plan.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    assert diff["old"] == "HEAD~1:plans/plan.yaml"
    # S-B grows from 8 to 10 weeks: it now ends on day 98, after S-C (day 91), so the plan slips 7 days.
    assert diff["schedule"]["slip_days"] == 7
    assert diff["schedule"]["before"]["finish_date"] == "2027-04-05"
    assert diff["schedule"]["after"]["finish_date"] == "2027-04-12"
    assert diff["schedule"]["after"]["last_day"] == "2027-04-11"  # what people are shown
    assert diff["schedule"]["after"]["critical_path"] == ["S-A", "S-B"]
    whole = diff["budget"][0]
    assert whole["scope"] == "plan" and whole["after"]["grow"] - whole["before"]["grow"] == 500
    assert whole["after"]["total"] - whole["before"]["total"] == 500
    [stage] = diff["stages"]["changed"]
    assert stage["id"] == "S-B"
    assert {f["field"] for f in stage["fields"]} == {"duration_weeks", "budget"}
    text = cli("plan", "diff", "--git", "HEAD~1", "plans/plan.yaml")
    assert "+7 days" in text.stdout and "Last day 2027-04-04 → 2027-04-11" in text.stdout
    markdown = cli("plan", "diff", "--git", "HEAD~1", "plans/plan.yaml", "--format", "markdown")
    assert markdown.stdout.startswith("## Plan changes")
    assert cli("plan", "diff", "--git", "no-such-ref", "plans/plan.yaml").exit_code == 2


def test_diff_of_two_files_reports_findings_introduced_and_fixed(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan(MINIMAL, name="old.yaml")
    write_plan(
        MINIMAL.replace("    objective: Everyone knows the plan\n", "")
        + "  - {id: S-B, title: B, kind: training, duration_weeks: 1, objective: o, exit_criteria: [e]}\n",
        name="new.yaml",
    )
    result = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    assert diff["stages"]["added"] == ["S-B"]
    assert [f["rule"] for f in diff["findings"]["introduced"]] == ["STRAT004"]
    assert diff["findings"]["fixed"] == []
    assert cli("plan", "diff", "old.yaml").exit_code == 2


def test_version_and_completion() -> None:
    version = subprocess.run([sys.executable, "-m", "cio_kit", "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == "cio-kit 0.1.0"
    completion = subprocess.run(
        [sys.executable, "-m", "cio_kit", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        # Typer guesses the shell from the process tree, which a CI runner or a mutation run may
        # not have; with detection off, --show-completion takes the shell by name.
        env={**os.environ, "SHELL": "/bin/bash", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert completion.returncode == 0 and "complete" in completion.stdout


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (Debian libxml2-utils) is not installed")
def test_junit_is_valid_for_jenkins_xunit(
    cli: Callable[..., Any], write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    """xmllint --schema with xunit's junit-10.xsd; a control character in a key stays well-formed."""
    _flawed(write_plan)
    write_plan(MINIMAL.replace("    objective:", '    "own\\x02er": X\n    objective:'), name="plans/c.yaml")
    for level in ("error", "warning"):
        result = cli("plan", "validate", "plans", "--format", "junit", "--fail-on", level)
        assert result.exit_code == 1
        (tmp_path / "out.xml").write_text(result.stdout)
        checked = subprocess.run(
            ["xmllint", "--noout", "--schema", str(DATA / "junit-10.xsd"), str(tmp_path / "out.xml")],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stderr
    assert "\\x02" in result.stdout


def test_sarif_locations_are_repository_relative_and_encoded(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC §15: run from the root or a subfolder, the alert and its fingerprint stay put."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    lesson = (ROOT / "examples" / "lessons" / "lesson3-chicken-and-egg.yaml").read_text()
    (repo / "plans" / "my plan #1.yaml").write_text(lesson)
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    seen = []
    for folder, target in ((repo, "plans"), (repo / "plans", ".")):
        monkeypatch.chdir(folder)
        log = json.loads(cli("plan", "validate", target, "--format", "sarif").stdout)
        jsonschema.validate(log, schema)
        results = log["runs"][0]["results"]
        seen.append(
            [
                (r["locations"][0]["physicalLocation"]["artifactLocation"], r["partialFingerprints"])
                for r in results
            ]
        )
        assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    assert seen[0] == seen[1]
    location = seen[0][0][0]
    assert location == {"uri": "plans/my%20plan%20%231.yaml", "uriBaseId": "%SRCROOT%"}
    # An RFC 3986 path reference: only unreserved characters, '/', and percent-escapes.
    assert re.fullmatch(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+", location["uri"])


def _action_script(name: str) -> str:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    [step] = [s for s in action["runs"]["steps"] if s.get("name") == name]
    return str(step["run"]).replace("cio-kit ", f"{shlex.quote(sys.executable)} -m cio_kit ")


def test_action_on_a_shallow_pull_request_that_changes_adds_and_removes_plans(tmp_path: Path) -> None:
    """The action's steps, as GitHub runs them after actions/checkout (one shallow commit, no branches)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    origin = tmp_path / "origin"
    (origin / "plans").mkdir(parents=True)
    subprocess.run([*git, "init", "-q"], cwd=origin, check=True)
    (origin / "plans" / "changed.yaml").write_text(MINIMAL)
    (origin / "plans" / "removed.yaml").write_text(MINIMAL.replace("S-A", "S-OLD"))
    subprocess.run([*git, "add", "."], cwd=origin, check=True)
    subprocess.run([*git, "commit", "-qm", "main"], cwd=origin, check=True)
    subprocess.run([*git, "checkout", "-qb", "pr"], cwd=origin, check=True)
    (origin / "plans" / "changed.yaml").write_text(MINIMAL.replace("duration_weeks: 2", "duration_weeks: 3"))
    (origin / "plans" / "removed.yaml").unlink()
    (origin / "plans" / "added.yaml").write_text(MINIMAL.replace("S-A", "S-NEW"))
    subprocess.run([*git, "add", "-A"], cwd=origin, check=True)
    subprocess.run([*git, "commit", "-qm", "pr"], cwd=origin, check=True)
    work = tmp_path / "work"
    work.mkdir()
    for command in (
        ["init", "-q"],
        ["remote", "add", "origin", origin.as_uri()],
        ["fetch", "-q", "--depth=1", "origin", "pr"],
        ["checkout", "-q", "FETCH_HEAD"],
    ):
        subprocess.run([*git, *command], cwd=work, check=True)
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "CIO_KIT_PATHS": "plans",
        "CIO_KIT_FAIL_ON": "error",
        "CIO_KIT_SARIF": str(tmp_path / "cio-kit.sarif"),
        "CIO_KIT_DIFF_BASE": "main",
    }
    for name in ("Validate plans", "Plan changes"):
        result = subprocess.run(
            ["bash", "-e", "-c", _action_script(name)], cwd=work, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, (name, result.stdout + result.stderr)
    text = summary.read_text()
    assert text.count("## Plan changes") == 3
    assert "**Added stages:** S-NEW" in text  # a plan added in the pull request: all added
    assert "**Removed stages:** S-OLD" in text  # a plan removed: all removed
    assert "Last day none → 2027-01-17" in text and "Last day 2027-01-17 → none" in text
    assert "`duration_weeks` 2.0 → 3.0" in text or "`duration_weeks` 2 → 3" in text


def test_no_sample_installs_cio_kit_from_pypi() -> None:
    """cio-kit is not published: every sample installs it from its repository (a checkout, or an archive)."""
    samples = [ROOT / "action.yml", *sorted((ROOT / "examples" / "ci").rglob("*.yml"))]
    for path in samples:
        text = path.read_text()
        assert not re.search(r"pip install\s+(--\S+\s+)*[\"']?cio-kit\b", text), path
    assert "CIO_KIT_SOURCE" in (ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text()


def test_diff_reads_well_at_80_columns_and_in_markdown(cli: Any, write_plan: Callable[..., Path]) -> None:
    """Nested changes key by key, no (+0) filler, the critical path always, numbers never cut."""
    estimated = MINIMAL.replace("duration_weeks: 2", "estimate: {optimistic: 1, likely: 2, pessimistic: 4}")
    write_plan(estimated, "old.yaml")
    write_plan(
        estimated.replace("likely: 2", "likely: 3")
        + "    budget: [{amount: 1830000, class: grow, category: services}]\n    owner: PMO\n",
        "new.yaml",
    )
    markdown_text = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown").stdout
    assert (
        "`estimate.likely` 2 → 3" in markdown_text and "`budget` — → 1,830,000 grow services" in markdown_text
    )
    assert "(+0)" not in markdown_text and "1,830,000 (+1,830,000)" in markdown_text
    assert "Critical path (unchanged): S-A" in markdown_text
    from typer.testing import CliRunner

    from cio_kit.cli import app

    text = CliRunner().invoke(app, ["plan", "diff", "old.yaml", "new.yaml"], env={"COLUMNS": "80"}).stdout
    assert "estimate.likely: 2 → 3" in text and "+1,830,000" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    assert any(line.startswith("plan  │") for line in text.splitlines())  # the scope column is kept
    write_plan(MINIMAL + "    depends_on: [S-NOPE]\n", "new.yaml")
    blocked = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown")
    assert blocked.exit_code == 1 and blocked.stdout.startswith("## Plans that cannot be compared")


def test_sarif_results_point_at_their_own_rule_with_the_right_level(write_plan: Callable[..., Path]) -> None:
    """ruleIndex names the result's rule (not the next one); info is "note", warning "warning"."""
    report = _flawed(write_plan)
    write_plan(
        MINIMAL + "    depends_on: [S-B, S-B]\n  - {id: S-B, title: B, kind: training, duration_weeks: 1}\n",
        "plans/c.yaml",
    )
    report = validate([Path("plans")])
    log = json.loads(sarif.render(report))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    results = log["runs"][0]["results"]
    assert results
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {result["ruleId"]: result["level"] for result in results}
    assert levels["DEP003"] == "note" and levels["DEP004"] == "warning" and levels["DEP002"] == "error"


def test_sarif_names_a_file_outside_the_root_by_its_file_uri_and_a_whole_file_finding_by_no_path(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No repository around either folder, so the root is the current directory, which does not
    # hold the plan: the location is the file's own URI, with no base. The file is not UTF-8, so
    # its one finding is about the whole file: no element path, so no logical location.
    elsewhere, here = tmp_path / "elsewhere", tmp_path / "here"
    elsewhere.mkdir()
    here.mkdir()
    plan = elsewhere / "plan.yaml"
    plan.write_bytes(b"cio_kit: 1\nenterprise: {name: \xff}\n")
    monkeypatch.chdir(here)
    log = json.loads(cli("plan", "validate", str(plan), "--format", "sarif").stdout)
    [result] = log["runs"][0]["results"]
    [location] = result["locations"]
    assert location == {
        "physicalLocation": {
            "artifactLocation": {"uri": plan.resolve().as_uri()},
            "region": {"startLine": 2, "startColumn": 20},  # the byte after "enterprise: {name: "
        }
    }
