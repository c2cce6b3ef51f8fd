"""Every command in every format on one realistic plan, compared with a golden file.

The plan is a frozen copy of the bundled one (``tests/data/sweep-plan.yaml``)
so that editing ``plans/`` does not rewrite these files; the diff compares it
with ``sweep-plan-changed.yaml`` (a stage added, durations and budget lines
changed). Earned value is also read on the first day, with no actuals, and
with a stage cancelled since the baseline. Run ``pytest --update-golden`` after a deliberate change of output
and read the diff of ``tests/golden/sweep/`` before committing it.

The Monte Carlo report is left out: its numbers follow numpy's generator and
are checked by statistics in test_roadmap.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"

#: A plan without plan_start: every figure in weeks from day 0.
WEEKS = """\
cio_kit: 1
enterprise: {name: Weeks Co}
stages:
  - {id: S-A, title: Redesign order to cash, kind: process-redesign, duration_weeks: 4}
  - {id: S-B, title: Build, kind: system-rollout, duration_weeks: 10, depends_on: [S-A]}
  - {id: S-C, title: Train, kind: training, duration_weeks: 2.5, depends_on: [S-A]}
  - {id: M-LIVE, title: Live, kind: milestone, depends_on: [S-B, S-C]}
  - {id: S-X, title: Dropped idea, kind: training, duration_weeks: 3, status: cancelled}
  - {id: S-D, title: Estimate, kind: training, estimate: {optimistic: 1, likely: 2, pessimistic: 6}}
"""

#: (golden name, arguments, terminal width). Paths are relative to a folder holding plan.yaml and new.yaml.
RUNS = [
    ("validate.txt", ["plan", "validate", "plan.yaml"], 100),
    ("validate.json", ["plan", "validate", "plan.yaml", "-f", "json"], 100),
    ("rules.txt", ["rules"], 100),
    ("rules.json", ["rules", "-f", "json"], 100),
    ("rules-DEP002.txt", ["rules", "DEP002"], 100),
    ("rules-RES001-40.txt", ["rules", "RES001"], 40),
    ("rules-GOV002.json", ["rules", "GOV002", "-f", "json"], 100),
    ("roadmap.txt", ["roadmap", "show", "plan.yaml"], 100),
    ("roadmap-40.txt", ["roadmap", "show", "plan.yaml"], 40),
    ("roadmap-wave.txt", ["roadmap", "show", "plan.yaml", "--sort", "wave"], 120),
    ("roadmap-start.md", ["roadmap", "show", "plan.yaml", "--sort", "start", "-f", "markdown"], 100),
    ("roadmap-forecast.txt", ["roadmap", "show", "plan.yaml", "--forecast"], 120),
    ("roadmap-forecast.md", ["roadmap", "show", "plan.yaml", "--forecast", "-f", "markdown"], 100),
    ("roadmap-forecast.mmd", ["roadmap", "show", "plan.yaml", "--forecast", "-f", "mermaid"], 100),
    ("roadmap-forecast.csv", ["roadmap", "show", "plan.yaml", "--forecast", "-f", "csv"], 100),
    ("roadmap.json", ["roadmap", "show", "plan.yaml", "-f", "json"], 100),
    ("roadmap.mmd", ["roadmap", "show", "plan.yaml", "-f", "mermaid"], 100),
    ("roadmap.csv", ["roadmap", "show", "plan.yaml", "-f", "csv"], 100),
    ("roadmap-level.txt", ["roadmap", "show", "plan.yaml", "--level"], 120),
    ("roadmap-level.json", ["roadmap", "show", "plan.yaml", "--level", "-f", "json"], 100),
    ("readiness.txt", ["report", "readiness", "plan.yaml"], 100),
    ("readiness-40.txt", ["report", "readiness", "plan.yaml"], 40),
    ("readiness.json", ["report", "readiness", "plan.yaml", "-f", "json"], 100),
    ("readiness.md", ["report", "readiness", "plan.yaml", "-f", "markdown"], 100),
    ("budget.txt", ["report", "budget", "plan.yaml"], 100),
    ("budget-40.txt", ["report", "budget", "plan.yaml"], 40),
    ("budget.json", ["report", "budget", "plan.yaml", "-f", "json"], 100),
    ("budget.md", ["report", "budget", "plan.yaml", "-f", "markdown"], 100),
    ("gaps.txt", ["report", "gaps", "plan.yaml"], 100),
    ("gaps.json", ["report", "gaps", "plan.yaml", "-f", "json"], 100),
    ("gaps.md", ["report", "gaps", "plan.yaml", "-f", "markdown"], 100),
    ("evm.txt", ["report", "evm", "plan.yaml"], 100),
    ("evm-40.txt", ["report", "evm", "plan.yaml"], 40),
    ("evm.json", ["report", "evm", "plan.yaml", "-f", "json"], 100),
    ("evm.md", ["report", "evm", "plan.yaml", "-f", "markdown"], 100),
    ("evm-baseline.txt", ["report", "evm", "new.yaml", "--baseline", "plan.yaml"], 120),
    ("evm-baseline.json", ["report", "evm", "new.yaml", "--baseline", "plan.yaml", "-f", "json"], 100),
    ("evm-descoped.md", ["report", "evm", "cancelled.yaml", "--baseline=plan.yaml", "-f", "markdown"], 100),
    ("evm-descoped.ansi", ["report", "evm", "cancelled.yaml", "--baseline", "plan.yaml"], 120),
    ("evm-descoped.json", ["report", "evm", "cancelled.yaml", "--baseline", "plan.yaml", "-f", "json"], 100),
    ("evm-early.txt", ["report", "evm", "early.yaml"], 100),
    ("evm-early.md", ["report", "evm", "early.yaml", "-f", "markdown"], 100),
    ("evm-early.json", ["report", "evm", "early.yaml", "-f", "json"], 100),
    ("evm-no-actuals.txt", ["report", "evm", "no-actuals.yaml"], 100),
    ("evm-no-actuals.md", ["report", "evm", "no-actuals.yaml", "-f", "markdown"], 100),
    ("capacity.txt", ["report", "capacity", "plan.yaml"], 120),
    ("capacity-quarter.md", ["report", "capacity", "plan.yaml", "--by", "quarter", "-f", "markdown"], 100),
    ("diff.txt", ["plan", "diff", "plan.yaml", "new.yaml"], 100),
    ("diff-40.txt", ["plan", "diff", "plan.yaml", "new.yaml"], 40),
    ("diff.json", ["plan", "diff", "plan.yaml", "new.yaml", "-f", "json"], 100),
    ("diff.md", ["plan", "diff", "plan.yaml", "new.yaml", "-f", "markdown"], 100),
    ("diff-reverse.md", ["plan", "diff", "new.yaml", "plan.yaml", "-f", "markdown"], 100),
    # A plan counted in weeks (no plan_start) and one with no stages yet.
    ("weeks.txt", ["roadmap", "show", "weeks.yaml"], 100),
    ("weeks-160.txt", ["roadmap", "show", "weeks.yaml", "--sort", "wave"], 160),
    ("weeks.md", ["roadmap", "show", "weeks.yaml", "-f", "markdown"], 100),
    ("weeks.csv", ["roadmap", "show", "weeks.yaml", "-f", "csv"], 100),
    ("weeks.json", ["roadmap", "show", "weeks.yaml", "-f", "json"], 100),
    ("weeks.mmd", ["roadmap", "show", "weeks.yaml", "-f", "mermaid"], 100),
    ("empty.txt", ["roadmap", "show", "empty.yaml"], 100),
    ("empty.md", ["roadmap", "show", "empty.yaml", "-f", "markdown"], 100),
    ("roadmap-160.ansi", ["roadmap", "show", "plan.yaml"], 160),
    ("roadmap-60.txt", ["roadmap", "show", "plan.yaml", "--forecast"], 60),
    # Wide and narrow terminals change the layout; colour carries meaning (red is late, over, failing).
    ("rules-130.txt", ["rules"], 130),
    ("rules-40.txt", ["rules"], 40),
    ("rules.ansi", ["rules"], 130),
    ("rules-DEP002.ansi", ["rules", "DEP002"], 100),
    ("validate.ansi", ["plan", "validate", "plan.yaml"], 100),
    ("roadmap.ansi", ["roadmap", "show", "plan.yaml", "--forecast"], 120),
    ("readiness.ansi", ["report", "readiness", "plan.yaml"], 100),
    ("budget.ansi", ["report", "budget", "plan.yaml"], 100),
    ("gaps.ansi", ["report", "gaps", "plan.yaml"], 100),
    ("evm.ansi", ["report", "evm", "new.yaml", "--baseline", "plan.yaml"], 120),
    ("capacity.ansi", ["report", "capacity", "plan.yaml", "--level"], 120),
    ("diff.ansi", ["plan", "diff", "plan.yaml", "new.yaml"], 100),
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(DATA / "sweep-plan.yaml", tmp_path / "plan.yaml")
    shutil.copy(DATA / "sweep-plan-changed.yaml", tmp_path / "new.yaml")
    plan = (DATA / "sweep-plan.yaml").read_text(encoding="utf-8")
    # The status date on the first day: no planned value yet, so SPI and the forecasts are n/a.
    early = plan.replace("status_date: 2027-06-30", "status_date: 2027-01-04")
    (tmp_path / "early.yaml").write_text(early, encoding="utf-8")
    # No actual cost recorded anywhere: no CPI, no cost forecast.
    bare = "".join(line for line in plan.splitlines(keepends=True) if "actual_cost" not in line)
    (tmp_path / "no-actuals.yaml").write_text(bare, encoding="utf-8")
    # Training cancelled since the baseline: descoped from earned value.
    skills = "      - {amount: 350000, class: grow, category: training}\n"
    assert skills in plan
    cancelled = plan.replace(skills, skills + "    status: cancelled\n")
    (tmp_path / "cancelled.yaml").write_text(cancelled, encoding="utf-8")
    (tmp_path / "weeks.yaml").write_text(WEEKS, encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("cio_kit: 1\nenterprise: {name: Not Started Co}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


@pytest.mark.parametrize(("name", "args", "width"), RUNS, ids=[run[0] for run in RUNS])
def test_command_output_golden(
    folder: Path, golden: Callable[[str, str], None], name: str, args: list[str], width: int
) -> None:
    from cio_kit.cli import app

    env: dict[str, str | None] = {"NO_COLOR": "1", "COLUMNS": str(width)}
    if name.endswith(".ansi"):  # a terminal with the 16 standard colours
        env.update(NO_COLOR=None, FORCE_COLOR="1", TERM="xterm", COLORTERM=None)
    result = CliRunner().invoke(app, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.stderr
    golden(f"sweep/{name}", result.stdout)


def test_export_html_golden(folder: Path, golden: Callable[[str, str], None]) -> None:
    """The e-mail copy of a report: HTML whose text is the terminal report's."""
    from cio_kit.cli import app

    args = ["report", "budget", "plan.yaml", "--export", "budget.html"]
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    golden("sweep/budget.html", (folder / "budget.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_diff_of_every_plan_since_a_commit_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, golden: Callable[[str, str], None], fmt: str
) -> None:
    """``plan diff --git REF`` with no plan: one plan changed, one added, one removed, one now broken."""
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        command = ["git", "-c", "user.email=t@example.com", "-c", "user.name=T", *args]
        subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)

    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(DATA / "sweep-plan.yaml", plans / "group.yaml")
    shutil.copy(DATA / "sweep-plan.yaml", plans / "old.yaml")
    shutil.copy(DATA / "sweep-plan.yaml", plans / "broken.yaml")
    (plans / "notes.yaml").write_text("title: not a plan\n", encoding="utf-8")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "v1")
    shutil.copy(DATA / "sweep-plan-changed.yaml", plans / "group.yaml")
    shutil.copy(DATA / "sweep-plan-changed.yaml", plans / "new.yaml")
    (plans / "old.yaml").unlink()
    (plans / "broken.yaml").write_text("cio_kit: 1\nenterprise: {name: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    from cio_kit.cli import app

    args = ["plan", "diff", "--git", "HEAD", "-f", fmt]
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code in (0, 1), result.stderr
    golden(f"sweep/diff-git.{ {'text': 'txt', 'json': 'json', 'markdown': 'md'}[fmt] }", result.stdout)


def test_a_narrow_column_folds_an_id_whole_unless_it_asks_for_an_ellipsis() -> None:
    """render.tables: a column that may wrap folds a word too long for it (every character stays);
    a column that asks for '…' keeps it. (A column that never wraps keeps '…': the EVM golden at 40.)"""
    from io import StringIO

    from rich.console import Console

    from cio_kit.render.tables import Table

    table = Table(show_edge=False, pad_edge=False, show_header=False)
    table.add_column()
    table.add_column(overflow="ellipsis")
    table.add_row("hengda:S-SHOPFLOOR", "hengda:G-DELIVERY")
    console = Console(file=StringIO(), width=20, color_system=None)
    console.print(table)
    cells = [line.split("│") for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
    assert "".join(left.strip() for left, _ in cells) == "hengda:S-SHOPFLOOR"
    assert cells[0][1].strip().endswith("…") and all(not right.strip() for _, right in cells[1:])


def test_a_folder_diff_in_markdown_names_what_it_cannot_compare() -> None:
    """Two blocked plans are listed together as code; with nothing to compare at all it says so."""
    from cio_kit.render.diff import many_to_markdown

    assert many_to_markdown([], ["plans/a.yaml", "plans/b`c.yaml"]) == (
        "## Plans that cannot be compared\n\n`plans/a.yaml`, ``plans/b`c.yaml``: blocking findings; "
        "run `cio-kit plan validate` on them.\n"
    )
    assert many_to_markdown([], []) == "## Plan changes\n\nNo plan found.\n"
