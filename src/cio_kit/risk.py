"""Monte Carlo schedule risk over PERT-beta durations (SPEC §6), vectorised with numpy.

Stages with an ``estimate`` are sampled from the PERT-beta distribution
o + (p − o)·B(α, β) with α = 1 + 4(m − o)/(p − o) and β = 1 + 4(p − m)/(p − o);
all other stages keep their fixed duration. Each run is a full forward and
backward pass. The passes loop over topological *waves*, not stages: within a
wave every stage is computed at once for a whole block of runs, so Python
does a few hundred numpy calls however many stages there are.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from cio_kit.graph import StageGraph
from cio_kit.model import Plan

#: Runs × stages held in memory at once (per array); bounds memory on huge plans.
BLOCK_ELEMENTS = 8_000_000


@dataclass(frozen=True)
class DeadlineRisk:
    """The chance of meeting one date."""

    id: str
    """Stage id (for a stage deadline) or goal id (for a goal's due date)."""
    deadline: dt.date
    """The date to meet."""
    probability: float
    """Share of runs in which it is met."""


@dataclass(frozen=True)
class RiskResult:
    """What the simulation found."""

    runs: int
    """Number of runs."""
    seed: int
    """Seed of the random generator."""
    finish_days: Any
    """numpy array of the project finish (days from day 0) in each run."""
    criticality: tuple[tuple[str, float], ...]
    """Each stage's criticality index: share of runs with zero total float."""
    deadlines: tuple[DeadlineRisk, ...]
    """Chance of meeting each stage deadline and goal due date."""

    def percentile(self, share: float) -> float:
        """The finish (days) not exceeded in ``share`` × 100 % of runs."""
        import numpy as np

        return float(np.percentile(self.finish_days, share * 100))


def simulate(plan: Plan, runs: int = 10_000, seed: int = 0, graph: StageGraph | None = None) -> RiskResult:
    """Run the Monte Carlo; requires an acyclic graph."""
    import numpy as np

    graph = graph or StageGraph.build(plan.stages)
    stages = plan.stages
    count = len(stages)
    start = plan.enterprise.plan_start
    floors = np.zeros(count)
    for node, stage in enumerate(stages):
        for when in (stage.not_before, stage.date):
            if when is not None and start is not None:
                floors[node] = max(floors[node], (when - start).days)
    fixed = np.array([float(stage.days) for stage in stages])
    sampled = [
        node
        for node, stage in enumerate(stages)
        if stage.estimate is not None and stage.kind != "milestone" and stage.status != "cancelled"
    ]
    lows, spans, alphas, betas = [], [], [], []
    for node in sampled:
        estimate = stages[node].estimate
        assert estimate is not None
        o, m, p = estimate.optimistic * 7, estimate.likely * 7, estimate.pessimistic * 7
        lows.append(o)
        spans.append(p - o)
        alphas.append(1 + 4 * (m - o) / (p - o) if p > o else 1.0)
        betas.append(1 + 4 * (p - m) / (p - o) if p > o else 1.0)
    waves = [np.array(wave, dtype=np.intp) for wave in graph.waves()]
    forward = [_gather(wave, graph.preds) for wave in waves]
    backward = [_gather(wave, graph.succs) for wave in waves]
    cancelled = np.array([stage.status == "cancelled" for stage in stages], dtype=bool)

    rng = np.random.default_rng(seed)
    block = max(1, min(runs, BLOCK_ELEMENTS // max(count, 1)))
    finish_all = np.empty(runs)
    critical_counts = np.zeros(count)
    deadline_checks = _deadline_checks(plan)
    met_counts = np.zeros(len(deadline_checks))
    done = 0
    while done < runs:
        size = min(block, runs - done)
        duration = np.broadcast_to(fixed, (size, count)).copy()
        if sampled:
            draws = rng.beta(np.array(alphas), np.array(betas), size=(size, len(sampled)))
            duration[:, sampled] = np.array(lows) + np.array(spans) * draws
        earliest = np.empty((size, count))
        finish = np.empty((size, count))
        for wave, (with_links, flat, offsets) in zip(waves, forward, strict=True):
            earliest[:, wave] = floors[wave]
            if len(with_links):
                latest_pred = np.maximum.reduceat(finish[:, flat], offsets, axis=1)
                earliest[:, with_links] = np.maximum(latest_pred, floors[with_links])
            finish[:, wave] = earliest[:, wave] + duration[:, wave]
        project = finish.max(axis=1) if count else np.zeros(size)
        latest_finish = np.empty((size, count))
        latest_start = np.empty((size, count))
        for wave, (with_links, flat, offsets) in zip(reversed(waves), reversed(backward), strict=True):
            latest_finish[:, wave] = project[:, None]
            if len(with_links):
                earliest_succ = np.minimum.reduceat(latest_start[:, flat], offsets, axis=1)
                latest_finish[:, with_links] = np.minimum(earliest_succ, project[:, None])
            latest_start[:, wave] = latest_finish[:, wave] - duration[:, wave]
        total_float = latest_start - earliest
        critical_counts += ((total_float < 1e-9) & ~cancelled).sum(axis=0)
        finish_all[done : done + size] = project
        for number, (nodes, limit) in enumerate(deadline_checks):
            last = np.where(fixed[nodes] > 0, finish[:, nodes] - 1, earliest[:, nodes])
            # Work ending part-way into a day still occupies that day.
            met_counts[number] += (np.ceil(last - 1e-9).max(axis=1) <= limit).sum()
        done += size

    deadlines = tuple(
        DeadlineRisk(ident, when, round(float(met) / runs, 4))
        for (ident, when), met in zip(_deadline_ids(plan), met_counts, strict=True)
    )
    criticality = tuple(
        (stage.id, round(float(critical_counts[node]) / runs, 4)) for node, stage in enumerate(stages)
    )
    return RiskResult(runs, seed, finish_all, criticality, deadlines)


def _gather(wave: Any, links: tuple[tuple[int, ...], ...]) -> tuple[Any, Any, Any]:
    """For the stages of a wave that have links: the stages, their flattened links, and offsets."""
    import numpy as np

    with_links = [int(node) for node in wave if links[node]]
    flat: list[int] = []
    offsets: list[int] = []
    for node in with_links:
        offsets.append(len(flat))
        flat.extend(links[node])
    return (
        np.array(with_links, dtype=np.intp),
        np.array(flat, dtype=np.intp),
        np.array(offsets, dtype=np.intp),
    )


def _deadline_targets(plan: Plan) -> list[tuple[str, dt.date, list[int]]]:
    start = plan.enterprise.plan_start
    if start is None:
        return []
    index = {stage.id: node for node, stage in enumerate(plan.stages)}
    targets = [
        (stage.id, stage.deadline, [node])
        for node, stage in enumerate(plan.stages)
        if stage.deadline is not None and stage.status != "cancelled"
    ]
    for goal in plan.goals or []:
        serving = [
            index[s.id]
            for s in plan.stages
            if goal.id in s.serves and s.status != "cancelled" and s.id in index
        ]
        if goal.due is not None and serving:
            targets.append((goal.id, goal.due, serving))
    return targets


def _deadline_checks(plan: Plan) -> list[tuple[list[int], int]]:
    start = plan.enterprise.plan_start
    if start is None:
        return []
    return [(nodes, (when - start).days) for _, when, nodes in _deadline_targets(plan)]


def _deadline_ids(plan: Plan) -> list[tuple[str, dt.date]]:
    return [(ident, when) for ident, when, _ in _deadline_targets(plan)]


def finish_date(plan: Plan, days: float) -> dt.date | None:
    """The calendar finish of a sampled finish: the first whole day after the work."""
    start = plan.enterprise.plan_start
    if start is None:
        return None
    return start + dt.timedelta(days=math.ceil(days - 1e-9))
