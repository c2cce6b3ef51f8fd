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
