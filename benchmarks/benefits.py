"""``report benefits`` on generated plans of 1,000 and 10,000 stages (SPEC §13).

    python benchmarks/benefits.py [--sizes 1000,10000] [--repeat 3]

Each generated goal gets a due date, two measurements and a benefit that
starts after a stage, so every trajectory and every year of the appraisal is
computed; ``plan validate`` of the same file (which now runs BEN001/BEN002)
is measured beside it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import plan_text
from run import CIO_KIT, measure


def with_benefits(text: str, stages: int) -> str:
    """The generated plan with measured goals that state a benefit."""

    def goal(match: re.Match[str]) -> str:
        number = int(match["n"])
        after = stages * (number + 1) // 60
        measured = "measurements: [{date: 2027-03-31, value: 10.1}, {date: 2027-06-30, value: 10.4}]"
        return (
            f"  - {{id: G-{number}, title: Goal {number}, due: 2030-12-31, "
            f"kpi: {{name: k{number}, baseline: 10, target: 12, {measured}}}, "
            f"benefit: {{value_per_year: 1000000, starts_after: S-{after}}}}}"
        )

    pattern = r"  - \{id: G-(?P<n>\d+), title: Goal \d+, kpi: \{name: k\d+, baseline: 10, target: 12\}\}"
    changed, count = re.subn(pattern, goal, text)
    assert count, "the generator's goals changed shape"
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| stages | plan validate | report benefits --format json | × validate |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        config = folder / "config.yaml"
        config.write_text("max_file_mib: 512\n")
        for size in [int(part) for part in args.sizes.split(",")]:
            path = folder / f"plan-{size}.yaml"
            path.write_text(with_benefits(plan_text(size, seed=size), size))
            common = [str(path), "--config", str(config)]
            validate = measure([*CIO_KIT, "plan", "validate", *common, "--fail-on", "never"], args.repeat)
            report = measure([*CIO_KIT, "report", "benefits", *common, "--format", "json"], args.repeat)
            print(
                f"| {size:,} | {validate['seconds']:.2f} s, {validate['peak_mib']:.0f} MiB "
                f"| {report['seconds']:.2f} s, {report['peak_mib']:.0f} MiB "
                f"| {report['seconds'] / validate['seconds']:.2f}× |"
            )


if __name__ == "__main__":
    main()
