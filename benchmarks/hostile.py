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
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BUDGET_SECONDS = 2.0
BUDGET_MIB = 300

# The cases are the test corpus's, so the budget is measured on exactly what the tests check.
CASES_DIR = Path(__file__).resolve().parent.parent / "tests" / "hostile"
sys.path.insert(0, str(CASES_DIR))
from cases import CASES  # noqa: E402


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
        # Built in a process of its own: a fork of this process after a 300 MB builder would count
        # that memory against cio-kit (ru_maxrss includes the pages a child inherits before exec).
        subprocess.run(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(CASES_DIR)!r}); "
             f"from pathlib import Path; import cases; cases.{make.__name__}(Path({str(plans)!r}))"],
            check=True,
        )  # fmt: skip
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
