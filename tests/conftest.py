"""Shared fixtures: running the CLI, writing plans, and golden files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

if TYPE_CHECKING:
    from rich.console import Console

    from cio_kit.plan.model import Plan

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"

MINIMAL = """\
cio_kit: 1
enterprise:
  name: Example Co
  plan_start: 2027-01-04
stages:
  - id: S-A
    title: Kickoff
    kind: change-management
    duration_weeks: 2
    objective: Everyone knows the plan
    exit_criteria: [Kickoff held]
"""


# Mutation runs (benchmarks/mutation.py sets CIO_KIT_MUTATION) run the tests that reach each
# mutant, thousands of times: random tests draw fewer examples and the corpus sweeps marked
# `slow`, which check exit codes rather than figures, are left out.
MUTATION = bool(os.environ.get("CIO_KIT_MUTATION"))
if MUTATION:
    # A mutant that breaks a property fails it at once; shrinking the failing example (minutes
    # for a mutant that breaks every cell of an export) tells a mutation run nothing more.
    from hypothesis import Phase, settings

    settings.register_profile("mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate])
    settings.load_profile("mutation")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under mutation, each mutant's tests run in a process forked from one that has already solved
    with HiGHS: its task scheduler's worker threads are not in the fork, and the first parallel
    solve spins waiting for them until the mutant times out. A fresh scheduler starts its own."""
    if MUTATION:
        import highspy

        highspy.Highs.resetGlobalScheduler(False)


@pytest.fixture(autouse=MUTATION)
def _cold_caches() -> None:
    """Under mutation, value caches start empty for each test: a value computed by the unmutated code
    (or by the test before) would be returned without the mutant ever running, and mutmut records
    which tests reach a function only when it runs."""
    from cio_kit.plan.model import _whole_days
    from cio_kit.render.sarif import _root_of

    _whole_days.cache_clear()
    _root_of.cache_clear()


def examples(count: int) -> int:
    """Hypothesis examples for a property test: ``count``, or at most 10 under mutation."""
    return min(count, 10) if MUTATION else count


# Under mutation a mutant's run ends at its first failing test (-x), so the quick,
# pointed tests go first and the slow sweeps last; most mutants die in a second.
RUN_FIRST = (
    "test_files",
    "test_rule_cases",
    "test_rule_helpers",
    "test_schedule",
    "test_spend",
    "test_evm",
    "test_graph",
    "test_yamlsafe",
    "test_golden_sweep",
)
RUN_LAST = (
    "test_ci",
    "test_capacity",
    "test_status",
    "test_examples",
    "test_hostile",
    "test_properties",
    "test_schema_agreement",
    "test_mermaid",
    "test_taskjuggler",
)


def _mutation_rank(item: pytest.Item) -> int:
    """Negative for the files to run first, positive for the last, 0 for the rest."""
    name = item.path.stem
    for number, prefix in enumerate(RUN_FIRST):
        if name.startswith(prefix):
            return number - len(RUN_FIRST)
    for number, prefix in enumerate(RUN_LAST):
        if name.startswith(prefix):
            return number + 1
    return 0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if MUTATION:
        items[:] = sorted(
            (item for item in items if item.get_closest_marker("slow") is None), key=_mutation_rank
        )


def load_document(document: dict[str, Any], folder: Path) -> Plan:
    """A plan written from ``document`` into ``folder`` and loaded; it must not be blocked."""
    import yaml

    from cio_kit.validate import check_file

    path = folder / "plan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    loaded = check_file(path, True, rules=False)
    assert not loaded.blocked, loaded.findings
    plan: Plan = loaded.plan
    return plan


def printed(draw: Callable[[Console], None], width: int = 100, colour: bool = False) -> str:
    """What ``draw`` prints on a console set as the app's (no highlighter, no emoji codes)."""
    from io import StringIO

    from rich.console import Console as AppConsole

    buffer = StringIO()
    draw(
        AppConsole(
            file=buffer,
            width=width,
            color_system="standard" if colour else None,
            force_terminal=colour,
            highlight=False,
            emoji=False,
        )
    )
    return buffer.getvalue()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the output")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"golden file {name} missing; run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8")

    return check


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository root as the current directory (paths in output are relative)."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def write_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write a plan file into a temporary directory that is also the current one."""
    monkeypatch.chdir(tmp_path)

    def write(text: str = MINIMAL, name: str = "plan.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli() -> Callable[..., object]:
    """Invoke the cio-kit app in-process; returns click's Result (stdout and stderr apart)."""
    from cio_kit.cli import app

    runner = CliRunner()
    os.environ.pop("GITHUB_ACTIONS", None)

    def invoke(*args: str) -> object:
        result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})
        # CliRunner turns an uncaught exception into exit code 1, which a test of "exit 1" would
        # take for the command's own; the real entry point calls it an internal error (exit 3).
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return invoke


def git_in(repo: Path, *args: str) -> str:
    """Run git in ``repo`` as a throwaway identity; its stdout, stripped."""
    import subprocess

    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()
