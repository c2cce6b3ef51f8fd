"""cio-kit.yaml: discovery, ignore, severity, thresholds and refusals (exit 2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cio_kit.config import ConfigError, find_config, load_config
from cio_kit.findings import Severity
from cio_kit.validate import known_rules_only

from .conftest import MINIMAL

SLACK = MINIMAL.replace("    objective: Everyone knows the plan\n", "")  # fires STRAT004


def test_discovery_walks_up_and_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "cio-kit.yaml").write_text("ignore: [DEP003]\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    assert find_config(repo / "sub") is None
    (repo / "cio-kit.yaml").write_text("ignore: [DEP003]\n")
    assert find_config(repo / "sub") == repo / "cio-kit.yaml"


def test_ignore_and_severity(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(SLACK)
    assert cli("plan", "validate", "plan.yaml", "--fail-on", "warning").exit_code == 1
    write_plan("ignore: [STRAT004]\n", name="cio-kit.yaml")
    assert cli("plan", "validate", "plan.yaml", "--fail-on", "warning").exit_code == 0
    write_plan("severity: {STRAT004: error}\n", name="cio-kit.yaml")
    result = cli("plan", "validate", "plan.yaml")
    assert result.exit_code == 1
    assert "error STRAT004" in result.stdout


def test_explicit_config_and_paths_relative_to_it(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(name="work/plans/a.yaml")
    write_plan("paths: [plans]\n", name="work/settings.yaml")
    result = cli("plan", "validate", "--config", "work/settings.yaml")
    assert result.exit_code == 0, result.output
    assert "work/plans/a.yaml" in result.stdout


def test_thresholds(write_plan: Callable[..., Path]) -> None:
    from cio_kit.validate import check_file

    plan = MINIMAL + "cio:\n  time_split: {strategy: 65, maintenance: 35}\n"
    path = write_plan(plan)
    assert [f.rule for f in check_file(path, True).findings if f.rule == "CIO002"] == ["CIO002"]
    write_plan("cio_ops_warn: 0.4\n", name="cio-kit.yaml")
    assert [f for f in check_file(path, True, load_config()).findings if f.rule == "CIO002"] == []


@pytest.mark.parametrize(
    "text",
    [
        "ignore: [PLAN002]\n",
        "severity: {DEP001: warning}\n",
        "ignore: [PLAN006]\n",
        "ignore: [NOPE001]\n",
        "severity: {STRAT001: fatal}\n",
        "run_warn: 70\n",
        "unknown_key: 1\n",
        "ignore: [STRAT001\n",
        "- a list\n",
        "max_file_mib: -1\n",
    ],
)
def test_bad_configuration_is_a_usage_error(cli: Any, write_plan: Callable[..., Path], text: str) -> None:
    write_plan()
    write_plan(text, name="cio-kit.yaml")
    with pytest.raises(ConfigError):
        known_rules_only(load_config())
    result = cli("plan", "validate", "plan.yaml")
    assert result.exit_code == 2
    assert "cio-kit.yaml" in result.stderr


def test_missing_explicit_config_is_a_usage_error(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan()
    assert cli("plan", "validate", "plan.yaml", "--config", "nope.yaml").exit_code == 2


def test_plan8_can_be_relevelled(write_plan: Callable[..., Path]) -> None:
    config = load_config(write_plan("severity: {PLAN008: warning}\n", name="c.yaml"))
    assert config.severity == {"PLAN008": Severity.WARNING}


def test_default_plan_serves_one_plan_commands_among_several(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan(name="plans/a.yaml")
    write_plan(MINIMAL.replace("Example Co", "Other Co"), name="plans/b.yaml")
    assert cli("roadmap", "show").exit_code == 2  # two plans and no default: name one
    write_plan("paths: [plans]\ndefault_plan: plans/b.yaml\n", name="cio-kit.yaml")
    result = cli("roadmap", "show")
    assert result.exit_code == 0, result.stderr
    assert "Other Co" in result.stdout
    assert "2 plan files" in cli("plan", "validate").stdout  # validate still checks every plan


@pytest.mark.parametrize("where", ["plans/none.yaml", "../outside.yaml", "[plans/a.yaml]"])
def test_a_default_plan_that_is_not_a_plan_file_here_is_a_usage_error(
    cli: Any, write_plan: Callable[..., Path], where: str
) -> None:
    write_plan(name="plans/a.yaml")
    outside = write_plan(name="a.yaml").parent.parent / "outside.yaml"
    outside.write_text(MINIMAL, encoding="utf-8")
    write_plan(f"default_plan: {where}\n", name="cio-kit.yaml")
    result = cli("roadmap", "show", "plans/a.yaml")
    assert result.exit_code == 2
    assert "default_plan" in result.stderr
