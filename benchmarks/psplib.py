"""Levelling quality on PSPLIB (single-mode RCPSP): gap to the optimum or best known.

    python benchmarks/psplib.py ../shared/data/psplib/j30 [--budget 500] [--limit N]
    python benchmarks/psplib.py ../shared/data/psplib/j60

J30 compares with the proven optima in ``j30opt.sm``; J60 with the best known
upper bounds in ``j60hrs.sm``. The instances are read from the folder given and
never copied into the project. Prints the mean and worst gap of the reference
serial schedule and of the improved one, and the time per instance.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

from cio_kit.levelling import Problem, level, overloaded_days


def read_sm(path: Path) -> Problem:
    """A PSPLIB ``.sm`` file as a levelling problem (jobs numbered from 0)."""
    lines = path.read_text(encoding="ascii").splitlines()
    jobs = int(next(line for line in lines if line.startswith("jobs")).split(":")[1])
    at = next(i for i, line in enumerate(lines) if line.startswith("PRECEDENCE RELATIONS")) + 2
    predecessors: list[list[int]] = [[] for _ in range(jobs)]
    for line in lines[at : at + jobs]:
        fields = [int(part) for part in line.split()]
        for successor in fields[3 : 3 + fields[2]]:
            predecessors[successor - 1].append(fields[0] - 1)
    at = next(i for i, line in enumerate(lines) if line.startswith("REQUESTS/DURATIONS")) + 3
    durations: list[int] = []
    demands: list[list[tuple[int, int]]] = []
    for line in lines[at : at + jobs]:
        fields = [int(part) for part in line.split()]
        durations.append(fields[2])
        demands.append([(r, amount) for r, amount in enumerate(fields[3:]) if amount])
    at = next(i for i, line in enumerate(lines) if line.startswith("RESOURCEAVAILABILITIES")) + 2
    limits = [int(part) for part in lines[at].split()]
    horizon = sum(durations) + 1
    return Problem(durations, predecessors, demands, [[limit] * horizon for limit in limits])


def read_bounds(path: Path) -> dict[tuple[int, int], int]:
    """(parameter, instance) → makespan from j30opt.sm or j60hrs.sm."""
    bounds = {}
    for line in path.read_text(encoding="ascii").splitlines():
        match = re.match(r"\s*(\d+)\s+(\d+)\s+(\d+)(\s|$)", line)
        if match:
            bounds[int(match[1]), int(match[2])] = int(match[3])
    return bounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a PSPLIB set folder, e.g. ../shared/data/psplib/j30")
    parser.add_argument("--budget", type=int, default=500, help="schedules per instance (default 500)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N instances")
    args = parser.parse_args()
    name = args.folder.name
    bounds_file = args.folder / (f"{name}opt.sm" if name == "j30" else f"{name}hrs.sm")
    bounds = read_bounds(bounds_file)
    files = sorted(
        args.folder.glob(f"{name}*_*.sm"),
        key=lambda p: tuple(int(n) for n in re.findall(r"\d+", p.stem[len(name) :])),
    )
    if args.limit:
        files = files[: args.limit]
    reference_gaps, gaps, seconds, optimal = [], [], [], 0
    for path in files:
        parameter, instance = (int(n) for n in re.findall(r"\d+", path.stem[len(name) :]))
        problem = read_sm(path)
        began = time.perf_counter()
        result = level(problem, budget=args.budget)
        seconds.append(time.perf_counter() - began)
        if overloaded_days(problem, result.starts):
            print(f"{path.name}: over capacity", file=sys.stderr)
            return 1
        best = bounds[parameter, instance]
        reference_gaps.append(100 * (result.reference_makespan - best) / best)
        gaps.append(100 * (result.makespan - best) / best)
        optimal += result.makespan == best
    mean, worst = statistics.mean, max
    print(f"{name}: {len(files)} instances, budget {args.budget} schedules, vs {bounds_file.name}")
    print(f"  reference serial  mean gap {mean(reference_gaps):.2f}%  worst {worst(reference_gaps):.1f}%")
    print(f"  improved          mean gap {mean(gaps):.2f}%  worst {worst(gaps):.1f}%  at best {optimal}")
    print(f"  time per instance mean {mean(seconds) * 1000:.0f} ms  worst {worst(seconds) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
