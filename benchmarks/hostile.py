"""Hostile pull requests against the time and memory budget: each attack as CI runs it.

Usage: python benchmarks/hostile.py [--out benchmarks/out]

Every case writes a plan repository that a pull request could contain, runs
the command the composite action runs (``plan validate --format sarif
--output …`` under ``GITHUB_ACTIONS=true``, stdout a pipe) — or the command
named — as a separate process, and records wall time, peak memory (RSS from
``wait4``) and the bytes printed. The budget is 2 s and 300 MiB a case on a
plan under 1 MB; the table says which cases keep it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BUDGET_SECONDS = 2.0
BUDGET_MIB = 300
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
]


def run(folder: Path, command: list[str]) -> dict[str, float]:
    """Wall time, peak RSS and output size of one cio-kit process, as CI runs it (stdout a pipe)."""
    import threading

    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["GITHUB_ACTIONS"] = "true"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "cio_kit", *command],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    printed: dict[str, bytes] = {}

    def drain(name: str, stream: Any) -> None:
        printed[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=(name, stream))
        for name, stream in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    for reader in readers:
        reader.join()
    text = printed.get("out", b"") + printed.get("err", b"")
    return {
        "seconds": seconds,
        "peak_mib": usage.ru_maxrss / 1024,
        "exit": float(os.waitstatus_to_exitcode(status)),
        "printed_kib": len(text) / 1024,
    }


def main() -> None:
    """Run every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "hostile")
    args = parser.parse_args()
    import cio_kit  # noqa: F401 - fail here, not with ten quick "exit 1" rows, when it is not installed

    rows = []
    for name, make, command in CASES:
        folder = args.out / name.split()[0] / name.replace(" ", "-").replace(",", "")
        plans = folder / "plans"
        if folder.exists():
            subprocess.run(["rm", "-rf", str(folder)], check=True)
        plans.mkdir(parents=True)
        make(plans)
        size = sum(p.stat().st_size for p in plans.iterdir() if p.is_file() and not p.is_symlink())
        result = run(folder, command)
        ok = (
            result["seconds"] < BUDGET_SECONDS
            and result["peak_mib"] < BUDGET_MIB
            and result["exit"] in (0, 1, 2)
        )
        rows.append((name, size / 1024, result, ok))
        print(f"{name}: {result['seconds']:.2f} s", file=sys.stderr)
    print("| attack | plan KiB | time | peak memory | exit | printed | within budget |")
    print("|---|---:|---:|---:|---:|---:|:---:|")
    for name, kib, result, ok in rows:
        print(
            f"| {name} | {kib:,.0f} | {result['seconds']:.2f} s | {result['peak_mib']:.0f} MiB | "
            f"{result['exit']:.0f} | {result['printed_kib']:.1f} KiB | {'yes' if ok else 'no'} |"
        )


if __name__ == "__main__":
    main()
