"""Every flawed example fails with the rule its header comment names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cio_kit.validate import check_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FLAWED = sorted(p for p in EXAMPLES.rglob("*.yaml") if "# expect:" in p.read_text(encoding="utf-8"))


def expected_rules(path: Path) -> set[str]:
    match = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, path
    return {rule.strip() for rule in match.group(1).split(",")}


def test_there_are_flawed_examples() -> None:
    assert len(FLAWED) >= 20
    names = {p.parent.name for p in FLAWED}
    assert {"loader", "lessons", "families"} <= names


def test_every_rule_is_shown_by_some_example() -> None:
    from cio_kit.rules import all_rules

    shown = set().union(*(expected_rules(p) for p in FLAWED))
    # PLAN008 needs a comment and PLAN010 a configuration, not just a plan file; PLAN009 says
    # how a sound plan was validated (alone), not that it is flawed: its cases are in tests/rules.
    assert set(all_rules()) - shown <= {"PLAN008", "PLAN009", "PLAN010"}


@pytest.mark.parametrize("path", FLAWED, ids=[p.name for p in FLAWED])
def test_flawed_example_shows_its_rule(path: Path) -> None:
    loaded = check_file(path, True)
    fired = {finding.rule for finding in loaded.findings}
    assert expected_rules(path) <= fired
    assert all(finding.line >= 1 and finding.column >= 1 for finding in loaded.findings)


@pytest.mark.parametrize("path", FLAWED, ids=[p.name for p in FLAWED])
def test_flawed_example_fails_validate(path: Path) -> None:
    """Exit 1 by default; a plan whose rules are all warnings fails under --fail-on warning."""
    from typer.testing import CliRunner

    from cio_kit.cli import app
    from cio_kit.findings import Severity
    from cio_kit.rules import all_rules

    rules = all_rules()
    only_warnings = all(rules[rule].severity is not Severity.ERROR for rule in expected_rules(path))
    args = ["plan", "validate", str(path), *(["--fail-on", "warning"] if only_warnings else [])]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    for rule in expected_rules(path):
        assert rule in result.stdout
