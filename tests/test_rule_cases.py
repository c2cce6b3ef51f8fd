"""Each rule's pass and fail cases, from tests/rules/<RULE>.yaml (one file per rule).

A case is a whole plan file and the positions (line, column) at which the
rule must fire — an empty list for a passing case. A case may carry a
``config`` (the text of a cio-kit.yaml beside the plan) for rules that need one. Positions are checked
exactly, so a rule that fires at the wrong element fails its case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cio_kit.config import load_config
from cio_kit.findings import BLOCKING_RULES, Finding, Severity
from cio_kit.rules import all_rules
from cio_kit.validate import check_file, load_all

CASES = Path(__file__).parent / "rules"


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert spec["rule"] == path.stem
        found += [(spec["rule"], case) for case in spec["cases"]]
    return found


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "rule_case" in metafunc.fixturenames:
        cases = _load_cases()
        metafunc.parametrize(
            "rule_case", cases, ids=[f"{rule}-{case['name'].replace(' ', '-')}" for rule, case in cases]
        )


def _findings(rule: str, case: dict[str, Any], folder: Path) -> list[Finding]:
    """The findings of ``rule`` on the case's plan, sorted by position."""
    path = folder / "plan.yaml"
    path.write_text(case["plan"], encoding="utf-8")
    config = None
    if "config" in case:
        (folder / "cio-kit.yaml").write_text(case["config"], encoding="utf-8")
        config = load_config(folder / "cio-kit.yaml")
    if "others" in case:
        # A portfolio: the folder's plans are validated together and plan.yaml's findings kept.
        for name, text in case["others"].items():
            (folder / name).write_text(text, encoding="utf-8")
        [loaded] = [entry for entry in load_all([folder], config) if entry.file.endswith("/plan.yaml")]
    else:
        loaded = check_file(path, True, config)
    return sorted(f for f in loaded.findings if f.rule == rule)


def test_rule_case(rule_case: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    rule, case = rule_case
    mine = _findings(rule, case, tmp_path)
    expected = case["expect"]
    assert [[f.line, f.column] for f in mine] == [e[:2] for e in expected], [f.message for f in mine]
    default = all_rules()[rule].severity
    for finding, spec in zip(mine, expected, strict=True):
        assert finding.file.endswith("plan.yaml")
        assert finding.message
        assert finding.severity is (Severity(spec[2]) if len(spec) > 2 else default)
        if rule in BLOCKING_RULES:
            assert finding.severity is Severity.ERROR


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    kinds: dict[str, set[bool]] = {}
    for rule, case in _load_cases():
        kinds.setdefault(rule, set()).add(bool(case["expect"]))
    for rule in all_rules():
        assert kinds.get(rule) == {True, False}, rule


def test_rule_case_messages(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    """Every finding of every case, word for word: its message, subject and related ids.

    The cases above pin where a rule fires; this pins what it says, so a
    wrong figure, name or list in a message fails too.
    """
    lines = []
    for number, (rule, case) in enumerate(_load_cases()):
        folder = tmp_path / str(number)
        folder.mkdir()
        for f in _findings(rule, case, folder):
            lines.append(f"{rule} {case['name']} @{f.line}:{f.column} {f.severity.value}: {f.message}")
            if f.subject is not None or f.related:
                lines.append(f"    subject={f.subject} related={','.join(f.related)}")
    # A path in a message (PLAN010 names the file git could not show) depends on where tests run,
    # and on the case's number (kept out, so a case added before it changes no other line).
    text = re.sub(rf"\S*{re.escape(tmp_path.name)}/\d+", "TMP", "\n".join(lines))
    golden("rule-case-messages.txt", text + "\n")
