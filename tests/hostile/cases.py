"""The hostile pull requests of the red-team issue, one builder per attack.

Each builder writes what a pull request could put in ``plans/``. The tests
(``tests/test_hostile_prs.py``) run every case through the command CI runs
and check the outcome; ``benchmarks/hostile.py`` runs the same cases against
the time and memory budget.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

#: What the composite action runs (with GITHUB_ACTIONS=true).
ACTION = ["plan", "validate", "--format", "sarif", "--output", "cio-kit.sarif"]
MINIMAL = "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\nstages:\n"


def _stage(ident: str, extra: str = "") -> str:
    return f"  - {{id: {ident}, title: T, kind: training, duration_weeks: 1{extra}}}\n"


def symlink_to_stdout(plans: Path) -> None:
    (plans / "a.yaml").write_text(MINIMAL + _stage("S-A"))
    (plans / "zz.yaml").symlink_to("/proc/self/fd/1")
    os.mkfifo(plans / "fifo.yaml")


def suppressions(plans: Path) -> None:
    body = "".join(
        f"  - {{id: S-{n}, title: 'x', kind: training, duration_weeks: 1}}  # cio-kit: ignore[STRAT004] ok\n"
        for n in range(2000)
    )
    (plans / "plan.yaml").write_text(MINIMAL + body)  # about 160 KB


def repeated_dependency(plans: Path) -> None:
    repeats = ", ".join(["S-A"] * 200_000)  # about 1 MB
    (plans / "plan.yaml").write_text(MINIMAL + _stage("S-A") + _stage("S-B", f", depends_on: [{repeats}]"))


def digits_name(plans: Path) -> None:
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("name: T", "name: '" + "7" * 30_000 + "'") + _stage("S-A")
    )


def many_milestones(plans: Path) -> None:
    count = 20_000
    body = "".join(f"  - {{id: M-{n}, title: M, kind: milestone}}\n" for n in range(count))
    needs = ", ".join(f"M-{n}" for n in range(count))
    (plans / "plan.yaml").write_text(MINIMAL + body + _stage("S-A", f", depends_on: [{needs}]"))


def dense_plan(plans: Path) -> None:
    width = 300
    body = "".join(f"  - {{id: A-{n}, title: A, kind: milestone}}\n" for n in range(width))
    needs = ", ".join(f"A-{n}" for n in range(width))
    body += "".join(_stage(f"B-{n}", f", depends_on: [{needs}]") for n in range(width))
    (plans / "plan.yaml").write_text(MINIMAL + body)


def huge_amounts(plans: Path) -> None:
    lines = "budget:\n  lines:\n    - {id: B-1, amount: 1e308, class: run, category: other}\n"
    lines += "    - {id: B-2, amount: 1e308, class: run, category: other}\n"
    (plans / "plan.yaml").write_text(MINIMAL + _stage("S-A") + lines)


def huge_integers(plans: Path) -> None:
    (plans / "plan.yaml").write_text(MINIMAL + _stage("S-A", f", owner: {'9' * 5000}"))


def far_future(plans: Path) -> None:
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("2027-01-04", "9999-12-01") + _stage("S-A", ", not_before: 9999-12-31")
    )


def injected_command(plans: Path) -> None:
    key = json.dumps("x\n::error file=README.md,line=1::Security review approved")
    (plans / "plan.yaml").write_text(MINIMAL + _stage("S-A") + f"{key}: 1\n")


def alias_bomb(plans: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]
    (plans / "plan.yaml").write_text("cio_kit: 1\nenterprise: {name: T}\n" + "\n".join(levels) + "\n")


def deep_nesting(plans: Path) -> None:
    (plans / "plan.yaml").write_text("cio_kit: 1\nenterprise: {name: T}\nx: " + "[" * 100_000 + "\n")


def oversized_file(plans: Path) -> None:
    (plans / "plan.yaml").write_text(MINIMAL + "#" * (11 * 1024 * 1024) + "\n")  # over the 10 MiB limit


def many_resources(plans: Path) -> None:
    """2,000 teams of different sizes on one century-long stage with a deadline (SPEC §11)."""
    teams = "".join(f"  - {{id: R{n}, capacity: {n + 1}}}\n" for n in range(2000))
    effort = ", ".join(f"R{n}: 5" for n in range(2000))
    stage = _stage("S-A", f", deadline: 2100-01-01, effort: {{{effort}}}").replace(
        "duration_weeks: 1", "duration_weeks: 5200"
    )
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("stages:\n", "resources:\n" + teams + "stages:\n") + stage
    )


def long_bookings(plans: Path) -> None:
    """Twenty teams booked on two century-long stages with a deadline: levelling must stay bounded."""
    teams = "".join(f"  - {{id: R{n}, capacity: 2}}\n" for n in range(20))
    effort = ", ".join(f"R{n}: 50000" for n in range(20))
    body = "".join(
        _stage(f"S-{n}", f", deadline: 2200-01-01, effort: {{{effort}}}").replace(
            "duration_weeks: 1", "duration_weeks: 5200"
        )
        for n in range(2)
    )
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("stages:\n", "resources:\n" + teams + "stages:\n") + body
    )


CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("1 symlink to stdout, FIFO", symlink_to_stdout, ACTION),
    ("2 2,000 suppression comments", suppressions, ACTION),
    ("3 depends_on repeated 200,000 times", repeated_dependency, ACTION),
    ("4 30,000-digit name, text output", digits_name, ["plan", "validate"]),
    ("5 one stage on 20,000 milestones", many_milestones, ACTION),
    ("6 300 × 300 dense plan, roadmap risk", dense_plan, ["roadmap", "risk", "plans/plan.yaml"]),
    ("7 injected workflow command", injected_command, ["plan", "validate"]),
    ("11 amounts of 1e308", huge_amounts, ACTION),
    ("14 5,000-digit integer", huge_integers, ACTION),
    ("14 dates at the end of the calendar", far_future, ["roadmap", "show", "plans/plan.yaml"]),
    ("15 2,000 teams on a century-long stage", many_resources, ACTION),
    ("15 the same, levelled", many_resources, ["roadmap", "show", "plans/plan.yaml", "--level"]),
    ("15 twenty teams booked for two centuries", long_bookings, ACTION),
    (
        "15 twenty teams booked for two centuries, levelled",
        long_bookings,
        ["roadmap", "show", "plans/plan.yaml", "--level"],
    ),
    ("held: alias bomb", alias_bomb, ACTION),
    ("held: 100,000-deep nesting", deep_nesting, ACTION),
    ("held: an 11 MiB file", oversized_file, ACTION),
]
