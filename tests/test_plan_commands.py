"""``plan validate``, ``init``, ``schema`` and ``diff`` as a user meets them: what each says, and where."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import MINIMAL, git_in


def test_the_schema_is_printed_for_people_two_spaces_a_level_and_characters_as_they_are(cli: Any) -> None:
    """Editors show the schema's descriptions: "SPEC §12" stays as written, not "\\u00a7" escaped."""
    result = cli("plan", "schema")
    assert result.exit_code == 0
    assert result.stdout.startswith('{\n  "$schema": ')
    assert "SPEC §" in result.stdout and "\\u" not in result.stdout


def test_the_schema_is_never_written_over_the_repositorys_configuration(
    cli: Any, write_plan: Any, tmp_path: Path
) -> None:
    write_plan(MINIMAL, name="plans/plan.yaml")
    config = tmp_path / "cio-kit.yaml"
    config.write_text("paths: [plans]\n", encoding="utf-8")
    result = cli("plan", "schema", "--output", "cio-kit.yaml")
    assert result.exit_code == 2
    assert "cio-kit.yaml: is an input of this command" in result.stderr
    assert config.read_text(encoding="utf-8") == "paths: [plans]\n"


def test_a_revision_git_does_not_know_is_named(cli: Any, write_plan: Any, tmp_path: Path) -> None:
    write_plan(MINIMAL)
    git_in(tmp_path, "init", "-q")
    git_in(tmp_path, "add", ".")
    git_in(tmp_path, "commit", "-q", "-m", "v1")
    result = cli("plan", "diff", "--git", "no-such-ref", "plan.yaml")
    assert result.exit_code == 2
    assert "no-such-ref" in result.stderr


def test_init_says_on_stderr_what_it_wrote_and_what_to_run_next(
    cli: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("plan", "init", "repo", "--start", "2027-05-03")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "wrote repo/plans/plan.yaml",
        "wrote repo/cio-kit.yaml",
        "wrote repo/cio-kit.schema.json",
        "next: cio-kit plan validate repo/plans",
    ]


def test_init_names_every_file_it_would_overwrite(cli: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("plan", "init", "repo").exit_code == 0
    result = cli("plan", "init", "repo")
    assert result.exit_code == 2
    assert "repo/plans/plan.yaml, repo/cio-kit.yaml, repo/cio-kit.schema.json already exist" in result.stderr


def test_init_refuses_what_would_not_make_a_plan_and_writes_nothing(
    cli: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    currency = cli("plan", "init", "repo", "--currency", "usd")
    assert currency.exit_code == 2
    assert "--currency must be a three-letter ISO 4217 code such as USD, not 'usd'" in currency.stderr
    name = cli("plan", "init", "repo", "--name", "Hengda \udcff")  # a byte that was not UTF-8
    assert name.exit_code == 2
    assert name.stderr == "cio-kit: --name must be text in UTF-8; nothing was written\n"
    assert not (tmp_path / "repo").exists()


def _repository_at_v1(tmp_path: Path, write_plan: Any) -> None:
    """plans/a.yaml committed and tagged v1."""
    write_plan(MINIMAL, name="plans/a.yaml")
    write_plan("paths: [plans]\n", name="cio-kit.yaml")
    git_in(tmp_path, "init", "-q")
    git_in(tmp_path, "add", ".")
    git_in(tmp_path, "commit", "-q", "-m", "v1")
    git_in(tmp_path, "tag", "v1")


def test_every_plan_since_a_revision_a_plan_removed_and_one_added(
    cli: Any, write_plan: Any, tmp_path: Path
) -> None:
    """Without a plan named: a.yaml is gone (all its stages removed), b.yaml is new (all added)."""
    _repository_at_v1(tmp_path, write_plan)
    (tmp_path / "plans" / "a.yaml").rename(tmp_path / "plans" / "b.yaml")
    result = cli("plan", "diff", "--git", "v1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = {
        (p["old"], p["new"], tuple(p["stages"]["added"]), tuple(p["stages"]["removed"]))
        for p in json.loads(result.stdout)["plans"]
    }
    assert found == {
        ("v1:plans/a.yaml", "plans/a.yaml (removed)", (), ("S-A",)),
        ("v1:plans/b.yaml (no such plan)", "plans/b.yaml", ("S-A",), ()),
    }


def test_every_plan_since_a_revision_fails_on_a_finding_asked_for(
    cli: Any, write_plan: Any, tmp_path: Path
) -> None:
    _repository_at_v1(tmp_path, write_plan)
    write_plan(
        MINIMAL.replace("    objective: Everyone knows the plan\n", ""), name="plans/a.yaml"
    )  # STRAT004
    assert cli("plan", "diff", "--git", "v1", "--format", "json").exit_code == 0
    assert cli("plan", "diff", "--git", "v1", "--format", "json", "--fail-on", "error").exit_code == 0
    assert cli("plan", "diff", "--git", "v1", "--format", "json", "--fail-on", "warning").exit_code == 1


def test_every_plan_since_a_revision_that_cannot_be_read_says_what_to_do(
    cli: Any, write_plan: Any, tmp_path: Path
) -> None:
    """A name git does not know may be missing from a shallow clone; an option is never a revision."""
    _repository_at_v1(tmp_path, write_plan)
    unknown = cli("plan", "diff", "--git", "no-such-ref")
    assert unknown.exit_code == 2
    assert "git cannot list plans at no-such-ref" in unknown.stderr
    assert "; fetch no-such-ref first (a shallow clone has only its own commit)" in unknown.stderr
    option = cli("plan", "diff", "--git=--output=x")
    assert option.exit_code == 2
    assert option.stderr == "cio-kit: '--output=x' is not a git revision\n"
    assert not (tmp_path / "x").exists()


def test_every_plan_since_a_revision_names_a_plan_that_cannot_be_compared_and_fails(
    cli: Any, write_plan: Any, tmp_path: Path
) -> None:
    """A dependency on itself blocks the schedule: the plan is named as blocked, and the exit is 1."""
    _repository_at_v1(tmp_path, write_plan)
    write_plan(
        MINIMAL.replace("    duration_weeks: 2\n", "    duration_weeks: 2\n    depends_on: [S-A]\n"),
        name="plans/a.yaml",
    )
    result = cli("plan", "diff", "--git", "v1", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"plans": [], "blocked": ["plans/a.yaml"]}


def test_two_plans_compared_must_both_be_named_and_exist(cli: Any, write_plan: Any) -> None:
    write_plan(MINIMAL, name="old.yaml")
    one = cli("plan", "diff", "old.yaml")
    assert one.exit_code == 2 and "name the OLD and NEW plan files, or use --git REF" in one.stderr
    missing = cli("plan", "diff", "old.yaml", "gone.yaml")
    assert missing.exit_code == 2 and "gone.yaml: no such file" in missing.stderr
    both = cli("plan", "diff", "--git", "HEAD", "old.yaml", "old.yaml")
    assert both.exit_code == 2 and "with --git, name at most one plan file" in both.stderr


def test_two_plans_compared_fail_on_a_finding_of_the_new_one(cli: Any, write_plan: Any) -> None:
    write_plan(MINIMAL, name="old.yaml")
    write_plan(MINIMAL.replace("    objective: Everyone knows the plan\n", ""), name="new.yaml")  # STRAT004
    assert cli("plan", "diff", "old.yaml", "new.yaml", "-f", "json").exit_code == 0
    assert cli("plan", "diff", "old.yaml", "new.yaml", "-f", "json", "--fail-on", "warning").exit_code == 1
    assert cli("plan", "diff", "new.yaml", "old.yaml", "-f", "json", "--fail-on", "warning").exit_code == 0


def test_a_version_that_cannot_be_compared_is_named_in_markdown_too(cli: Any, write_plan: Any) -> None:
    """A job summary stays Markdown: the blocked file is named there, and the exit is 1."""
    write_plan(MINIMAL, name="old.yaml")
    write_plan(
        MINIMAL.replace("    duration_weeks: 2\n", "    duration_weeks: 2\n    depends_on: [S-A]\n"),
        name="new.yaml",
    )
    result = cli("plan", "diff", "old.yaml", "new.yaml", "-f", "markdown")
    assert result.exit_code == 1
    assert result.stdout.startswith("## Plans that cannot be compared\n\n`new.yaml`: blocking findings")
    assert "old.yaml" not in result.stdout


def test_a_text_report_saved_to_a_file_is_plain_and_laid_out_for_100_columns(write_plan: Any) -> None:
    """Even where CI forces colour (FORCE_COLOR), the file holds no escape codes; stdout stays empty."""
    from typer.testing import CliRunner

    from cio_kit.cli import app

    write_plan(MINIMAL.replace("    objective: Everyone knows the plan\n", ""))  # STRAT004, a long message
    env = {"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "60"}
    result = CliRunner().invoke(
        app, ["plan", "validate", "plan.yaml", "-f", "text", "-o", "report.txt"], env=env
    )
    assert result.exit_code == 0 and result.stdout == ""
    lines = Path("report.txt").read_text(encoding="utf-8").splitlines()
    assert lines[1:] == [
        "  plan.yaml:6:5 warning STRAT004",
        "    S-A has no objective; state what it must achieve and how its end is recognised".ljust(100),
        "! 0 errors, 1 warning, 0 infos in 1 plan file",
    ]


_NO_OBJECTIVE = MINIMAL.replace("    objective: Everyone knows the plan\n", "")  # STRAT004, a warning
_STRICT = "severity:\n  STRAT004: error\n"  # a configuration that makes it an error


def _diff_findings(result: Any) -> dict[str, list[tuple[str, str, str]]]:
    assert result.exit_code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    return {side: [(f["rule"], f["severity"], f["file"]) for f in findings[side]] for side in findings}


def test_two_plans_compared_are_each_read_under_the_configuration(cli: Any, write_plan: Any) -> None:
    """The old version's finding fixed, and the new version's introduced, at the configured severity."""
    write_plan(_NO_OBJECTIVE, name="old.yaml")
    write_plan(MINIMAL, name="new.yaml")
    write_plan(_STRICT, name="strict.yaml")
    fixed = cli("plan", "diff", "old.yaml", "new.yaml", "-f", "json", "--config", "strict.yaml")
    assert _diff_findings(fixed) == {"introduced": [], "fixed": [("STRAT004", "error", "old.yaml")]}
    introduced = cli("plan", "diff", "new.yaml", "old.yaml", "-f", "json", "--config", "strict.yaml")
    assert _diff_findings(introduced) == {"introduced": [("STRAT004", "error", "old.yaml")], "fixed": []}
    assert introduced.exit_code == 0  # no --fail-on: the diff reports, it does not judge
    judged = cli(
        "plan", "diff", "new.yaml", "old.yaml", "-f", "json", "--config", "strict.yaml", "--fail-on", "error"
    )
    assert judged.exit_code == 1


def test_a_version_at_a_revision_is_read_under_the_configuration_too(
    cli: Any, write_plan: Any, tmp_path: Path
) -> None:
    write_plan(_NO_OBJECTIVE, name="plan.yaml")
    write_plan(_STRICT, name="cio-kit.yaml")
    git_in(tmp_path, "init", "-q")
    git_in(tmp_path, "add", ".")
    git_in(tmp_path, "commit", "-q", "-m", "v1")
    write_plan(MINIMAL, name="plan.yaml")
    fixed = cli("plan", "diff", "--git", "HEAD", "plan.yaml", "-f", "json")
    assert _diff_findings(fixed) == {"introduced": [], "fixed": [("STRAT004", "error", "HEAD:plan.yaml")]}
    write_plan(_NO_OBJECTIVE.replace("Kickoff", "Kick-off"), name="plan.yaml")
    git_in(tmp_path, "commit", "-q", "-am", "v2")
    write_plan(_NO_OBJECTIVE, name="plan.yaml")
    kept = cli("plan", "diff", "--git", "HEAD", "plan.yaml", "-f", "json", "--fail-on", "error")
    assert _diff_findings(kept) == {"introduced": [], "fixed": []}  # the same finding on both sides
    assert kept.exit_code == 1  # the working tree's plan has an error, as configured


def test_a_file_named_for_comparison_that_is_not_a_plan_is_said_to_be_none(cli: Any, write_plan: Any) -> None:
    """Named files are read as plans (never skipped for lacking ``cio_kit: 1``), either side."""
    write_plan(MINIMAL, name="plan.yaml")
    write_plan("enterprise: {name: Example Co}\n", name="notes.yaml")
    for old, new in (("notes.yaml", "plan.yaml"), ("plan.yaml", "notes.yaml")):
        result = cli("plan", "diff", old, new, "-f", "json")
        assert result.exit_code == 1
        assert result.stdout == ""
        assert (
            "notes.yaml:1:1 error PLAN006 not a cio-kit plan: its top-level mapping has no cio_kit key"
            in (result.stderr)
        )


def test_the_diff_usage_errors_word_for_word(cli: Any, write_plan: Any) -> None:
    write_plan(MINIMAL, name="old.yaml")
    assert (
        cli("plan", "diff", "old.yaml").stderr
        == "cio-kit: name the OLD and NEW plan files, or use --git REF\n"
    )
    both = cli("plan", "diff", "--git", "HEAD", "old.yaml", "old.yaml")
    assert both.stderr == "cio-kit: with --git, name at most one plan file\n"


def test_a_saved_report_under_github_actions_leaves_annotations_on_stdout(write_plan: Any) -> None:
    """One run saves SARIF for code scanning and annotates the pull request."""
    write_plan(_NO_OBJECTIVE)
    from typer.testing import CliRunner

    from cio_kit.cli import app

    result = CliRunner().invoke(
        app,
        ["plan", "validate", "plan.yaml", "-f", "sarif", "-o", "plan.sarif"],
        env={"GITHUB_ACTIONS": "true"},
    )
    assert result.exit_code == 0
    assert result.stdout == (
        "::warning file=plan.yaml,line=6,col=5,title=STRAT004::"
        "S-A has no objective; state what it must achieve and how its end is recognised\n"
    )
    assert (
        json.loads(Path("plan.sarif").read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"]
        == "STRAT004"
    )


def test_a_saved_junit_report_fails_the_findings_at_the_fail_level(write_plan: Any) -> None:
    write_plan(_NO_OBJECTIVE)
    from typer.testing import CliRunner

    from cio_kit.cli import app

    result = CliRunner().invoke(
        app, ["plan", "validate", "plan.yaml", "-f", "junit", "-o", "plan.xml", "--fail-on", "warning"]
    )
    assert result.exit_code == 1
    saved = Path("plan.xml").read_text(encoding="utf-8")
    assert 'failures="1"' in saved and "<failure" in saved
