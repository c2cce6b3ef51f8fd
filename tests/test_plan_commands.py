"""``plan schema`` and ``plan diff --git`` as a user meets them."""

from __future__ import annotations

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
    config.write_text("plans: [plans]\n", encoding="utf-8")
    result = cli("plan", "schema", "--output", "cio-kit.yaml")
    assert result.exit_code == 2
    assert "cio-kit.yaml: is an input of this command" in result.stderr
    assert config.read_text(encoding="utf-8") == "plans: [plans]\n"


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
    assert "--name must be text in UTF-8; nothing was written" in name.stderr
    assert not (tmp_path / "repo").exists()
