"""Capacity commands on staffed synthetic plans of 1,000 and 10,000 stages.

    python benchmarks/capacity.py [--sizes 1000 10000] [--repeat 3]

Each plan is ``generate.plan_text`` with a Monday-to-Friday calendar, 20
resources of 2 to 8 people and, on every stage, effort for one or two of them
(about 60% of the team over the stage's working days, so busy waves are
over-allocated). Each command runs as a whole process; the table gives the
median wall time and peak memory next to ``plan validate`` of the same plan
without resources, the v1 figure.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import plan_text
from run import measure

RESOURCES = 20


def staffed(stages: int, seed: int = 3) -> str:
    """A generated plan with a calendar, resources and effort on every stage."""
    rng = random.Random(seed)
    text = plan_text(stages)
    capacities = [rng.randint(2, 8) for _ in range(RESOURCES)]
    header = ["calendars:", "  - {id: CAL}", "resources:"]
    header += [
        f"  - {{id: R-{n}, capacity: {c}, day_rate: {rng.randint(8, 40) * 100}}}"
        for n, c in enumerate(capacities)
    ]

    def effort(match: re.Match[str]) -> str:
        teams = rng.sample(range(RESOURCES), rng.choice((1, 1, 2)))
        # about 60% of the team on 25 working days, the length of a typical stage
        parts = ", ".join(f"R-{n}: {round(capacities[n] * 0.6 * 25)}" for n in teams)
        return f"{match.group(0)}effort: {{{parts}}}, "

    text = re.sub(r"owner: Owner \d+, ", effort, text)
    text = text.replace("  status_date: 2027-06-30\n", "  status_date: 2027-06-30\n  calendar: CAL\n", 1)
    return text.replace("goals:\n", "\n".join(header) + "\ngoals:\n", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| command | stages | time | peak memory |")
    print("|---|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            bare, plan = Path(folder) / f"bare-{size}.yaml", Path(folder) / f"staffed-{size}.yaml"
            bare.write_text(plan_text(size), encoding="utf-8")
            plan.write_text(staffed(size), encoding="utf-8")
            commands = [
                ("plan validate (no resources)", ["plan", "validate", str(bare), "--fail-on", "never"]),
                ("plan validate", ["plan", "validate", str(plan), "--fail-on", "never"]),
                ("report capacity", ["report", "capacity", str(plan), "-f", "json"]),
                ("report capacity --level", ["report", "capacity", str(plan), "--level", "-f", "json"]),
                ("roadmap show --level", ["roadmap", "show", str(plan), "--level", "-f", "json"]),
            ]
            for name, command in commands:
                result = measure(["cio-kit", *command], args.repeat)
                print(
                    f"| `{name}` | {size:,} | {result['seconds']:.2f} s | {result['peak_mib']:.0f} MiB |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
