"""Seeded synthetic plans for the benchmarks: realistic shape, any size.

A plan of N stages has N/20 goals, N/25 processes, N/40 stakeholder groups,
a budget on most stages, about three dependencies per stage (on recent
stages, as real roadmaps have), a process redesign before every rollout and
people actions before the rollouts that affect a group — so the plan is
valid and the rules do their full work rather than stopping early.
"""

from __future__ import annotations

import random
from pathlib import Path

WIDTH = 20
"""Stages per layer of the synthetic roadmap."""
KINDS = ("training", "infrastructure", "data-migration", "change-management", "governance")


def plan_text(stages: int, seed: int = 0, register: bool = False) -> str:
    """The YAML text of a synthetic plan with ``stages`` stages (and a risk register, with ``register``)."""
    rng = random.Random(seed)
    goals = max(1, stages // 20)
    processes = max(1, stages // 25)
    groups = max(1, stages // 40)
    out = [
        "cio_kit: 1",
        "enterprise:",
        f"  name: Synthetic Group {stages}",
        "  currency: EUR",
        "  plan_start: 2027-01-04",
        "  status_date: 2027-06-30",
        "goals:",
    ]
    for g in range(goals):
        out.append(f"  - {{id: G-{g}, title: Goal {g}, kpi: {{name: k{g}, baseline: 10, target: 12}}}}")
    out.append("processes:")
    for p in range(processes):
        out.append(f"  - {{id: P-{p}, name: Process {p}, owner: Owner {p % 7}}}")
    out.append("stages:")
    # Stages come in layers; each depends on two to four stages of the layer
    # before, so no dependency is implied by another (DEP003 stays quiet) and
    # everything descends from the kickoff S-0.
    layers: list[list[int]] = [[0]]
    for s in range(stages):
        if s and len(layers[-1]) == (1 if len(layers) == 1 else WIDTH):
            layers.append([])
        if s:
            layers[-1].append(s)
        previous = layers[-2] if len(layers) > 1 else []
        deps = sorted(rng.sample(previous, k=min(len(previous), rng.choice((2, 3, 3, 4)))))
        kind = rng.choice(KINDS)
        extra = ""
        if s % 10 == 0:
            kind = "process-redesign"
            extra = f", processes: [P-{(s // 10) % processes}]"
        elif s % 10 == 5 and previous:
            redesigns = [d for d in previous if d % 10 == 0]
            if redesigns:
                kind = "system-rollout"
                redesign = rng.choice(redesigns)
                deps = sorted(set(deps) | {redesign})
                extra = (
                    f", processes: [P-{(redesign // 10) % processes}], affects: [SG-{rng.randrange(groups)}]"
                )
        budget = rng.randrange(10, 500) * 1000
        cls = rng.choice(("run", "grow", "transform", "transform"))
        category = "training" if kind == "training" else rng.choice(("software", "services", "hardware"))
        out.append(
            f"  - {{id: S-{s}, title: Stage {s}, kind: {kind}, serves: [G-{s % goals}], "
            f"objective: Objective {s}, exit_criteria: [Done {s}], "
            f"depends_on: [{', '.join(f'S-{d}' for d in deps)}], "
            f"estimate: {{optimistic: {rng.randint(1, 3)}, likely: {rng.randint(4, 6)}, "
            f"pessimistic: {rng.randint(7, 12)}}}, owner: Owner {s % 13}{extra}, "
            f"budget: [{{amount: {budget}, class: {cls}, category: {category}}}]}}"
        )
    out.append("stakeholders:")
    for g in range(groups):
        out.append(
            f"  - {{id: SG-{g}, name: Group {g}, level: staff, role_impact: changed, "
            "adkar: {awareness: 4, desire: 4, knowledge: 4, ability: 4, reinforcement: 3, "
            "assessed: 2027-06-01}, "
            f"actions: [{{type: training, stage: S-0}}, {{type: reward, stage: S-0}}]}}"
        )
    if register:
        out += _register(rng, stages)
    return "\n".join(out) + "\n"


def _register(rng: random.Random, stages: int) -> list[str]:
    """One risk per 50 stages (some three-point, some occurred), an issue per 200, a decision per 250."""
    out = ["risks:"]
    for r in range(max(1, stages // 50)):
        touched = ", ".join(f"S-{s}" for s in sorted(rng.sample(range(stages), k=min(stages, 3))))
        impact = "{weeks: {optimistic: 1, likely: 2, pessimistic: 6}, cost: 50000}" if r % 2 else "{weeks: 2}"
        status = ", status: occurred" if r % 7 == 3 else ""
        out.append(
            f"  - {{id: R-{r}, title: Risk {r}, owner: Owner {r % 13}, "
            f"probability: {rng.choice((0.1, 0.3, 0.5))}, "
            f"impact: {impact}, stages: [{touched}]{status}, "
            f"mitigation: {{action: Act on risk {r}, owner: Owner {r % 5}, due: 2027-09-30}}}}"
        )
    out.append("issues:")
    for i in range(max(1, stages // 200)):
        out.append(f"  - {{id: I-{i}, title: Issue {i}, owner: Owner {i}, due: 2027-08-31, severity: high}}")
    out.append("decisions:")
    for d in range(max(1, stages // 250)):
        out.append(f"  - {{id: D-{d}, title: Decision {d}, owner: Board, needed_by: 2027-09-30}}")
    return out


def write_repository(folder: Path, files: int = 500, stages: int = 12) -> None:
    """A plan repository of many small plan files."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(files):
        (folder / f"plan-{number:03}.yaml").write_text(plan_text(stages, seed=number), encoding="utf-8")


if __name__ == "__main__":
    import sys

    print(plan_text(int(sys.argv[1]) if len(sys.argv) > 1 else 100), end="")
