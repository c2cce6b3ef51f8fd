"""Portfolio commands on synthetic repositories (SPEC §12).

    python benchmarks/portfolio.py [--plans 20] [--stages 100] [--files 500] [--repeat 3]

``optimize``: ``--plans`` generated plans of ``--stages`` stages each (the
default, 20 × 100, is the 2,000-stage portfolio the issue names), each plan's
first stage depending on the last of the plan before it, a portfolio.yaml
whose years are the planned spend, and ``portfolio optimize --budget-scale
0.8 --time-limit 10``: the time, and whether HiGHS proved the answer optimal.
``report``: ``--files`` plans of 20 stages in one folder, ``portfolio report``
next to ``plan validate`` on the same folder. ``scenario compare``: one plan
of each of ``--scenario-sizes`` stages and a scenario that delays, drops and
cuts 2028's money, next to ``plan validate`` of the same plan.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import plan_text
from run import measure


def repository(folder: Path, plans: int, stages: int) -> None:
    """Write ``plans`` linked plans under folder/plans and a portfolio.yaml of their spend by year."""
    (folder / "plans").mkdir()
    for number in range(plans):
        text = plan_text(stages, seed=number).replace("cio_kit: 1\n", f"cio_kit: 1\nid: p{number}\n", 1)
        if number:
            text = text.replace("depends_on: []", f"depends_on: [p{number - 1}:S-{stages - 1}]", 1)
        (folder / "plans" / f"p{number}.yaml").write_text(text, encoding="utf-8")
    (folder / "cio-kit.yaml").write_text("paths: [plans]\n", encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    report = subprocess.run(
        ["cio-kit", "portfolio", "report", "-f", "json"], cwd=folder, capture_output=True, text=True, env=env
    )
    years = {row["year"]: row["total"] for row in json.loads(report.stdout)["years"]}
    budget = ", ".join(f"{year}: {amount:.0f}" for year, amount in years.items())
    (folder / "portfolio.yaml").write_text(
        f"cio_kit_portfolio: 1\nit_budget: {{years: {{{budget}}}}}\n", encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--stages", type=int, default=100)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scenario-sizes", default="1000,10000")
    args = parser.parse_args()
    print("| command | portfolio | time | peak memory | note |")
    print("|---|---|--:|--:|---|")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        repository(folder, args.plans, args.stages)
        command = ["cio-kit", "portfolio", "optimize", "--budget-scale", "0.8", "--time-limit", "10"]
        command += ["-f", "json"]
        os.chdir(folder)
        result = measure(command, args.repeat)
        answer = json.loads(subprocess.run(command, capture_output=True, text=True).stdout)
        shape = f"{args.plans} plans × {args.stages} stages"
        note = (
            f"optimal: {answer['optimal']}, goal value {answer['objective']:g} of a bound "
            f"{answer['bound']:g}, {len(answer['deferred'])} deferred"
        )
        name = "portfolio optimize --budget-scale 0.8 --time-limit 10"
        print(f"| `{name}` | {shape} | {result['seconds']:.2f} s | {result['peak_mib']:.0f} MiB | {note} |")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        repository(folder, args.files, 20)
        os.chdir(folder)
        shape = f"{args.files} files × 20 stages"
        for label, command in (
            ("plan validate", ["cio-kit", "plan", "validate", "--fail-on", "never"]),
            ("portfolio report", ["cio-kit", "portfolio", "report", "-f", "json"]),
        ):
            result = measure(command, args.repeat)
            print(f"| `{label}` | {shape} | {result['seconds']:.2f} s | {result['peak_mib']:.0f} MiB | |")
    for size in [int(part) for part in args.scenario_sizes.split(",") if part]:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            (folder / "plans").mkdir()
            (folder / "plans" / "plan.yaml").write_text(plan_text(size, seed=size), encoding="utf-8")
            (folder / "cio-kit.yaml").write_text("paths: [plans]\nmax_file_mib: 512\n", encoding="utf-8")
            (folder / "scenarios").mkdir()
            (folder / "scenarios" / "cut.yaml").write_text(
                "cio_kit_scenario: 1\nname: cut\nchanges:\n"
                f"  - {{delay: S-{size // 10}, weeks: 4}}\n  - {{drop: S-{size // 2}}}\n"
                "  - {scale_budget: 0.8, years: [2028]}\n",
                encoding="utf-8",
            )
            os.chdir(folder)
            shape = f"one plan of {size:,} stages"
            for label, command in (
                ("plan validate", ["cio-kit", "plan", "validate", "--fail-on", "never"]),
                ("scenario compare (2,000 runs)", ["cio-kit", "scenario", "compare", "-f", "json"]),
            ):
                result = measure(command, args.repeat)
                print(f"| `{label}` | {shape} | {result['seconds']:.2f} s | {result['peak_mib']:.0f} MiB | |")


if __name__ == "__main__":
    main()
