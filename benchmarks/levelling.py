"""Levelling time on a large random plan: a 2,000-stage network with 20 resources.

    python benchmarks/levelling.py [--stages 2000] [--resources 20] [--budget 20]

Stages have 1–6 week durations, up to three predecessors among the 50 stages
before them, and need one to three resources; each resource is a team of 2–8
people. Prints the time of the reference schedule and of the improved one.
"""

from __future__ import annotations

import argparse
import random
import time

from cio_kit.analysis.levelling import LevellingProblem, level, makespan, overloaded_days


def plan(stages: int, resources: int, seed: int = 7) -> LevellingProblem:
    generator = random.Random(seed)
    durations = [7 * generator.randint(1, 6) for _ in range(stages)]
    predecessors = [
        sorted(set(generator.sample(range(max(0, a - 50), a), min(a, generator.randint(0, 3)))))
        for a in range(stages)
    ]
    limits = [generator.randint(2, 8) for _ in range(resources)]
    demands = [
        [
            (r, generator.randint(1, limits[r]))
            for r in generator.sample(range(resources), generator.randint(1, 3))
        ]
        for _ in range(stages)
    ]
    horizon = sum(durations) + 1
    return LevellingProblem(durations, predecessors, demands, [[limit] * horizon for limit in limits])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=20)
    parser.add_argument("--budget", type=int, default=20)
    args = parser.parse_args()
    problem = plan(args.stages, args.resources)
    for budget in (0, args.budget):
        began = time.perf_counter()
        result = level(problem, budget=budget)
        seconds = time.perf_counter() - began
        assert not overloaded_days(problem, result.starts)
        print(
            f"{args.stages} stages, {args.resources} resources, budget {budget}: {seconds:.2f} s, "
            f"makespan {makespan(problem, result.starts)} days (reference {result.reference_makespan})"
        )


if __name__ == "__main__":
    main()
