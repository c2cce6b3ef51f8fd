"""Put plausible bugs into the code one at a time and say whether the tests catch each.

Bugs 1-11 are issue 14's, in the cores; 12-19 are issue 31's, where modules meet.

Each bug is a one-line edit of the source as committed. The script copies
``src/`` to a temporary folder, makes the edit there, runs the whole test suite
against that copy (``-x``: the first failing test is enough) and prints a
table. An edit whose line is no longer in the code stops the script, so the
list cannot silently go stale.

    python benchmarks/seeded_bugs.py            # every bug
    python benchmarks/seeded_bugs.py 1 5        # only bugs 1 and 5

Run from the repository root; takes a few minutes (a caught bug stops early).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple


class Bug(NamedTuple):
    what: str
    file: str
    line: str
    bugged: str


BUGS = [
    Bug(
        "DEP004 stops treating a `blocked` predecessor as not done",
        "rules/deps.py",
        'stages[pred].status in ("planned", "blocked")',
        'stages[pred].status in ("planned",)',
    ),
    Bug(
        "BUDGET006 counts a cancelled training stage's money",
        "analysis/spend.py",
        'if stage.status == "cancelled" or not stage.budget:',
        "if not stage.budget:",
    ),
    Bug(
        "CPM: free float of an end stage measured to its own finish, not the project's",
        "analysis/schedule.py",
        "if succs else project_finish) - finishes[node]",
        "if succs else finishes[node]) - finishes[node]",
    ),
    Bug(
        "budget years: the fiscal-year boundary one day late",
        "analysis/spend.py",
        "return day.year if day >= start else day.year - 1",
        "return day.year if day > start else day.year - 1",
    ),
    Bug(
        "budget quarters: the quarter boundary one day late",
        "analysis/spend.py",
        "if date < boundary:",
        "if date <= boundary:",
    ),
    Bug(
        "SARIF `ruleIndex` counted from 1",
        "render/sarif.py",
        'result["ruleIndex"] = index[finding.rule]',
        'result["ruleIndex"] = index[finding.rule] + 1',
    ),
    Bug(
        "SARIF info findings emitted as `warning`",
        "render/sarif.py",
        'Severity.INFO: "note"',
        'Severity.INFO: "warning"',
    ),
    Bug(
        'CPM "driven by" on a tie between a date floor and a predecessor',
        "analysis/schedule.py",
        "if driver is not None and latest >= start:",
        "if driver is not None and latest > start:",
    ),
    Bug(
        "duplicate-key check only for text keys (`years: {2027: 1, 2027: 2}`)",
        "plan/yamlsafe.py",
        "        if key in container:",
        "        if key.__class__ is str and key in container:",
    ),
    Bug(
        "duplicate-key fast path lets a repeated key through",
        "plan/yamlsafe.py",
        "value != _MERGE_KEY and value not in container:",
        "value != _MERGE_KEY:",
    ),
    Bug(
        "CIO002 `>` → `>=` at the threshold",
        "rules/cio.py",
        "elif ops > warn:",
        "elif ops >= warn:",
    ),
    Bug(
        "the optimiser no longer keeps in-progress stages",
        "portfolio/optimize.py",
        'plan.stages[n].status in ("done", "in-progress") or plan.stages[n].mandatory',
        'plan.stages[n].status in ("done",) or plan.stages[n].mandatory',
    ),
    Bug(
        "the portfolio's status date is the earliest of its plans', not the latest",
        "portfolio/merge.py",
        '"status_date": max(statuses, default=None)',
        '"status_date": min(statuses, default=None)',
    ),
    Bug(
        "import csv reads a `days` column as working days (14 days -> 2.8 weeks)",
        "interchange/rows.py",
        'stage.setdefault("duration_weeks", _number(cell, decimal) / 7)',
        'stage.setdefault("duration_weeks", _number(cell, decimal) / 5)',
    ),
    Bug(
        "an MSPDI deadline at midnight is not moved back a day",
        "interchange/mspdi.py",
        "at_midnight = deadline.time() == dt.time()",
        "at_midnight = False",
    ),
    Bug(
        "a done stage is exported to MSPDI at its percent_complete (0%)",
        "interchange/mspdi.py",
        'round(100 if stage.status == "done" else stage.percent_complete)',
        "round(stage.percent_complete)",
    ),
    Bug(
        "a fixed-date milestone is not pinned in the TJP (tj3 moves it)",
        "interchange/tjp.py",
        "floors = [when for when in (stage.not_before, stage.date) if when is not None and when > start]",
        "floors = [when for when in (stage.not_before,) if when is not None and when > start]",
    ),
    Bug(
        "SCHED003 flags a milestone whose actual start and finish are the same day",
        "rules/sched.py",
        "stage.actual_finish < stage.actual_start:",
        "stage.actual_finish <= stage.actual_start:",
    ),
    Bug(
        "the board's goals tile is green with an off-track goal",
        "reports/board.py",
        "    if lost or off:",
        "    if lost:",
    ),
]


def run(bug: Bug, source: Path) -> tuple[bool, str, float]:
    """Whether the suite fails with ``bug`` in a copy of ``source``, the first failing test, and seconds."""
    with tempfile.TemporaryDirectory(prefix="seeded-") as scratch:
        copy = Path(scratch) / "src"
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
        target = copy / "cio_kit" / bug.file
        text = target.read_text(encoding="utf-8")
        if text.count(bug.line) != 1:
            sys.exit(f"{bug.file}: {bug.line!r} is not in the code exactly once; update the bug list")
        target.write_text(text.replace(bug.line, bug.bugged), encoding="utf-8")
        # The copy comes first on the path, ahead of the editable install; subprocesses inherit it.
        env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "tests/"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - began
    failed = [line.split(" ", 1)[1] for line in done.stdout.splitlines() if line.startswith("FAILED ")]
    test = failed[0].split(" - ")[0] if failed else ""
    # A test counts only if it passes on the code as committed (not a flaky or broken test).
    if test and _fails(test, {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}):
        test = f"{test} (**fails without the bug too**)"
    return done.returncode != 0, test, seconds


def _fails(test: str, env: dict[str, str]) -> bool:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test]
    return subprocess.run(command, env=env, capture_output=True, check=False).returncode != 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", type=int, help="bugs to try (1-based); default all")
    args = parser.parse_args()
    chosen = args.numbers or range(1, len(BUGS) + 1)
    print("| # | bug put in | caught by | seconds |")
    print("|--:|---|---|--:|")
    missed = 0
    for number in chosen:
        bug = BUGS[number - 1]
        caught, test, seconds = run(bug, Path("src"))
        missed += not caught
        print(
            f"| {number} | {bug.what} | {test if caught else '**not caught**'} | {seconds:.0f} |", flush=True
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
