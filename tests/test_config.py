"""cio-kit.yaml: discovery, ignore, severity, thresholds and refusals (exit 2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cio_kit.config import Config, ConfigError, find_config, load_config
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


ALLOWED = (
    "adkar_max_age_days, baseline, benefit_tolerance, board_since, cio_ops_error, cio_ops_warn, "
    "cpi_error, cpi_warn, default_plan, ignore, level, max_file_mib, paths, run_error, run_warn, "
    "severity, spi_error, spi_warn, transform_min"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list\n", "the configuration must be a mapping"),
        ("b: 1\na: 2\n", f"unknown key(s) a, b; allowed: {ALLOWED}"),
        ("ignore: 5\n", "ignore must list rule IDs"),
        ("ignore: [1]\n", "ignore must list rule IDs"),
        ("ignore: [PLAN006]\n", "ignore cannot change PLAN006: blocking rules always apply"),
        ("ignore: [PLAN002]\n", "ignore cannot change PLAN002: blocking rules always apply"),
        ("severity: [STRAT001]\n", "severity must map rule IDs to error, warning or info"),
        ("severity: {DEP001: warning}\n", "severity cannot change DEP001: blocking rules always apply"),
        ("severity: {STRAT001: fatal}\n", "severity of STRAT001 must be error, warning or info, not 'fatal'"),
        ("run_warn: -0.01\n", "run_warn must be a finite, non-negative number"),
        ("run_warn: true\n", "run_warn must be a finite, non-negative number"),
        ("run_warn: 1.01\n", "run_warn is a share between 0 and 1 (e.g. 0.7 for 70%)"),
        ("spi_warn: 10.5\n", "spi_warn is a share between 0 and 1 (e.g. 0.7 for 70%)"),
        ("adkar_max_age_days: 1000001\n", "adkar_max_age_days must be a finite, non-negative number"),
        ("adkar_max_age_days: 1.5\n", "adkar_max_age_days must be a whole number of days"),
        ("max_file_mib: 0\n", "max_file_mib must be a number above 0 and at most 4096"),
        ("max_file_mib: 4097\n", "max_file_mib must be a number above 0 and at most 4096"),
        ("level: 1\n", "level must be true or false"),
        ("board_since: 5\n", "board_since must be a git ref, e.g. board-2027-06"),
        ("board_since: ' '\n", "board_since must be a git ref, e.g. board-2027-06"),
        ("board_since: -p\n", "board_since must be a git ref, e.g. board-2027-06"),
        ("spi_error: 0.96\n", "spi_error must not be above spi_warn (red is below amber)"),
        ("cpi_error: 0.96\n", "cpi_error must not be above cpi_warn (red is below amber)"),
        ("baseline: ''\n", "baseline must be a git ref or a file path"),
        ("baseline: 5\n", "baseline must be a git ref or a file path"),
        ("baseline: ../outside.yaml\n", "baseline '../outside.yaml' is outside the configuration's folder"),
        ("paths: 5\n", "paths must be a list of paths"),
        ("paths: [plans, 1]\n", "paths must be a list of paths"),
        ("paths: [plans, ../outside]\n", "paths entry '../outside' is outside the configuration's folder"),
    ],
)
def test_each_refusal_names_the_file_and_the_fault(
    write_plan: Callable[..., Path], text: str, message: str
) -> None:
    """A file beside the repository (outside.yaml) is still outside the configuration's folder."""
    path = write_plan(text, name="repo/cio-kit.yaml")
    (path.parent.parent / "outside.yaml").write_text("not used\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(refused.value) == f"{path}: {message}"


def test_a_missing_explicit_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.yaml: configuration file not found$"):
        load_config(tmp_path / "nope.yaml")


def test_every_key_at_its_edge_is_read(write_plan: Callable[..., Path]) -> None:
    """The largest values each check allows are kept; a lower warning alone lowers its error with it."""
    text = (
        "ignore: [STRAT004]\nseverity: {STRAT001: info, STRAT002: warning}\nrun_warn: 1\nrun_error: 0\n"
        "adkar_max_age_days: 1000000\nspi_warn: 10\ncpi_warn: 0.5\nmax_file_mib: 4096\nlevel: true\n"
        "board_since: board-2027-06\n"
    )
    config = load_config(write_plan(text, name="cio-kit.yaml"))
    assert config.ignore == {"STRAT004"}
    assert config.severity == {"STRAT001": Severity.INFO, "STRAT002": Severity.WARNING}
    thresholds = config.thresholds
    assert (thresholds.run_warn, thresholds.run_error, thresholds.adkar_max_age_days) == (1, 0, 1_000_000)
    assert (thresholds.spi_warn, thresholds.spi_error) == (10, 0.85)  # the error stays at or below
    assert (thresholds.cpi_warn, thresholds.cpi_error) == (0.5, 0.5)  # lowered with the warning
    assert (config.limits.max_file_mib, config.level, config.board_since) == (4096, True, "board-2027-06")
    equal = load_config(write_plan("spi_warn: 0.9\nspi_error: 0.9\n", name="equal.yaml")).thresholds
    assert (equal.spi_warn, equal.spi_error) == (0.9, 0.9)
    empty = write_plan("", name="empty.yaml")
    assert load_config(empty) == Config(path=empty)


def test_without_a_repository_only_the_folder_itself_is_searched(tmp_path: Path) -> None:
    (tmp_path / "cio-kit.yaml").write_text("ignore: [DEP003]\n")
    (tmp_path / "sub").mkdir()
    assert find_config(tmp_path / "sub") is None
    assert find_config(tmp_path) == tmp_path / "cio-kit.yaml"


def test_baseline_paths_and_a_small_file_limit_are_read(write_plan: Callable[..., Path]) -> None:
    """A baseline naming a file beside the configuration is that file (from the current folder); any
    other text is a git ref. One path may be written alone, and "." is the folder itself."""
    write_plan("cio_kit: 1\n", name="repo/base.yaml")
    config = load_config(
        write_plan("baseline: base.yaml\npaths: plans\nmax_file_mib: 0.5\n", name="repo/c.yaml")
    )
    assert (config.baseline, config.paths, config.limits.max_file_mib) == (
        "repo/base.yaml",
        (Path("repo/plans"),),
        0.5,
    )
    ref = load_config(write_plan("baseline: main\npaths: ['.', plans]\n", name="repo/d.yaml"))
    assert (ref.baseline, ref.paths) == ("main", (Path("repo"), Path("repo/plans")))
