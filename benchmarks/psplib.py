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
import tempfile
import time
from pathlib import Path

from cio_kit.analysis.levelling import LevellingProblem, Result, level, overloaded_days


def read_sm(path: Path) -> LevellingProblem:
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
    return LevellingProblem(durations, predecessors, demands, [[limit] * horizon for limit in limits])


def to_plan(problem: LevellingProblem, name: str) -> str:
    """The instance as a cio-kit plan: a stage per job, a resource per renewable resource.

    Durations are days, written in weeks to six decimals (the loader rounds
    7 × weeks to the nearest day, so every duration comes back exactly); a
    job's demand becomes effort = demand × duration person-days on resources
    without a calendar, so the plan asks for exactly the demand on each day.
    Dummy source and sink jobs become milestones.
    """
    lines = [
        "cio_kit: 1",
        f"enterprise: {{name: PSPLIB {name}, plan_start: 2027-01-04}}",
        "resources:",
        *(f"  - {{id: R{r + 1}, capacity: {days[0]}}}" for r, days in enumerate(problem.capacity)),
        "stages:",
    ]
    for job, duration in enumerate(problem.durations):
        stage = f"  - {{id: J{job + 1}, title: Job {job + 1}, "
        if duration:
            effort = ", ".join(f"R{r + 1}: {amount * duration}" for r, amount in problem.demands[job])
            stage += f"kind: operations, duration_weeks: {duration / 7:.6f}"
            stage += f", effort: {{{effort}}}" if effort else ""
        else:
            stage += "kind: milestone"
        before = ", ".join(f"J{p + 1}" for p in problem.predecessors[job])
        stage += f", depends_on: [{before}]}}" if before else "}"
        lines.append(stage)
    return "\n".join(lines) + "\n"


def _via_plan(problem: LevellingProblem, name: str) -> Result:
    """Level the instance through the product: the plan text, the loader, the schedule, ``levelled``."""
    from cio_kit.analysis.capacity import levelled
    from cio_kit.analysis.schedule import compute
    from cio_kit.plan.loader import load_plan

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_text(to_plan(problem, name), encoding="utf-8")
        plan = load_plan(path, explicit=True).plan
    if plan is None:
        raise SystemExit(f"{name}: the converted plan does not load")
    before = compute(plan)
    after = levelled(plan, before).after
    starts = [timing.earliest_start for timing in after.timings]
    reference = levelled(plan, before, budget=0).after.finish
    return Result(starts=starts, makespan=after.finish, reference_makespan=reference)


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
    parser.add_argument(
        "--plan", metavar="INSTANCE", help="print one instance (e.g. j301_1) as a plan and stop"
    )
    parser.add_argument(
        "--via-plan",
        action="store_true",
        help="level each instance as cio-kit levels a plan (converted, loaded, scheduled, levelled)",
    )
    args = parser.parse_args()
    if args.plan:
        sys.stdout.write(to_plan(read_sm(args.folder / f"{args.plan}.sm"), args.plan))
        return 0
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
        result = _via_plan(problem, path.stem) if args.via_plan else level(problem, budget=args.budget)
        seconds.append(time.perf_counter() - began)
        if overloaded_days(problem, result.starts):
            print(f"{path.name}: over capacity", file=sys.stderr)
            return 1
        best = bounds[parameter, instance]
        reference_gaps.append(100 * (result.reference_makespan - best) / best)
        gaps.append(100 * (result.makespan - best) / best)
        optimal += result.makespan == best
    mean, worst = statistics.mean, max
    how = "as plans (cio-kit's own budget)" if args.via_plan else f"budget {args.budget} schedules"
    print(f"{name}: {len(files)} instances, {how}, vs {bounds_file.name}")
    print(f"  reference serial  mean gap {mean(reference_gaps):.2f}%  worst {worst(reference_gaps):.1f}%")
    print(f"  improved          mean gap {mean(gaps):.2f}%  worst {worst(gaps):.1f}%  at best {optimal}")
    print(f"  time per instance mean {mean(seconds) * 1000:.0f} ms  worst {worst(seconds) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
