"""Exports and the board pack on generated plans of 1,000 and 10,000 stages (SPEC §14).

    python benchmarks/interchange.py [--sizes 1000,10000] [--repeat 3]

Each command runs as a whole process on the same generated plan (with a risk
register: one risk per 50 stages) as ``plan validate``, which is the yardstick; the board pack draws its Gantt
with one bar per group above 60 stages, so its charts stay readable and cheap.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import plan_text
from run import CIO_KIT, measure

COMMANDS = {
    "plan validate": ["plan", "validate", "{plan}", "--fail-on", "never"],
    "export mspdi": ["export", "mspdi", "{plan}", "--output", "{out}.xml"],
    "export tjp": ["export", "tjp", "{plan}", "--output", "{out}.tjp"],
    "export xlsx": ["export", "xlsx", "{plan}", "--output", "{out}.xlsx"],
    "export ics": ["export", "ics", "{plan}", "--output", "{out}.ics"],
    "import xlsx": ["import", "xlsx", "{out}.xlsx", "--output", "{out}-imported.yaml"],
    "report board": ["report", "board", "{plan}", "--output", "{out}.html"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(part) for part in args.sizes.split(",")]
    print("| command | " + " | ".join(f"{size:,} stages" for size in sizes) + " |")
    print("|---|" + "--:|" * len(sizes))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        config = folder / "config.yaml"
        config.write_text("max_file_mib: 512\n")
        plans = {}
        for size in sizes:
            plans[size] = folder / f"plan-{size}.yaml"
            plans[size].write_text(plan_text(size, seed=size, register=True))
        for label, template in COMMANDS.items():
            cells = []
            for size in sizes:
                command = [part.format(plan=plans[size], out=folder / f"out-{size}") for part in template]
                settings = [] if template[0] == "import" else ["--config", str(config)]
                result = measure([*CIO_KIT, *command, *settings], args.repeat)
                cells.append(f"{result['seconds']:.2f} s, {result['peak_mib']:.0f} MiB")
            print(f"| `{label}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
