"""Monte Carlo schedule risk over PERT-beta durations (SPEC §6), vectorised with numpy.

Stages with an ``estimate`` are sampled from the PERT-beta distribution
o + (p − o)·B(α, β) with α = 1 + 4(m − o)/(p − o) and β = 1 + 4(p − m)/(p − o)
(drawn by table: :mod:`cio_kit.analysis.pert`);
all other stages keep their fixed duration. Each run is a full forward and
backward pass. The passes loop over topological *waves*, not stages: within a
wave every stage is computed at once for a whole block of runs, so Python
does a few numpy calls per wave however many stages there are.

From the status date (``forecast``, SPEC §10): done stages keep their actual
dates and are never critical; an in-progress stage keeps its forecast start
and runs for the remaining share ``(1 − percent/100)`` of its sampled
duration from the status date (a stage with a fixed duration keeps exactly
the forecast's remaining days); nothing unfinished starts before the status
date; deadline odds count from this forecast.

Risk events (SPEC §17): in each run every open risk occurs with its
probability (an occurred risk always, a closed one never) and then adds its
impact, fixed or PERT-beta, to the duration of each of its stages that is
not done or cancelled, and its cost to the run's cost. The events draw from
their own stream of the seed, so a plan without risks gives exactly the
numbers it gave before risks existed. A risk's effect on P80 is the P80 of
the runs as drawn minus the P80 of the same runs with that risk switched off.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from cio_kit.plan.graph import StageGraph
from cio_kit.plan.model import Plan, Stage

if TYPE_CHECKING:
    from cio_kit.analysis.schedule import Schedule

#: Runs × stages held in memory at once (per array); bounds memory on huge plans.
BLOCK_ELEMENTS = 4_000_000
#: The risks, largest first by probability × time, whose effect on P80 is measured: each costs a
#: forward pass over the runs that can decide its P80 (see :class:`_Effects`), and a tornado
#: shows no more.
MEASURED_RISKS = 20
#: A stage whose total float in a run is below this many days may lie on that run's longest path;
#: wider than the criticality test's 1e-9, so rounding never hides a run a risk shortens.
FLOAT_MARGIN = 1e-6


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
class RiskEffect:
    """What one risk of the register did across the runs."""

    id: str
    """Risk id."""
    occurred_share: float
    """Share of runs in which it occurred."""
    p80_effect_days: float | None
    """P80 of the finish with the risk minus P80 without it, in days (the tornado's bar); None for a
    risk beyond the :data:`MEASURED_RISKS` largest, whose runs without it are not drawn."""


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
    last_days: Any = None
    """numpy array of the project's last day of work (whole day number) in each run."""
    status_date: dt.date | None = None
    """Set when the runs start from the status date."""
    levelled: bool = False
    """No stage started before its start in the levelled schedule (SPEC §11)."""
    costs: Any = None
    """numpy array of the cost in each run: the cost basis plus the costs of the risks that occurred."""
    events: tuple[RiskEffect, ...] = ()
    """Each live risk: how often it occurred and what it does to P80."""

    def cost(self, share: float) -> float | None:
        """The cost not exceeded in ``share`` × 100 % of runs (None when no cost basis was given)."""
        import numpy as np

        return None if self.costs is None else float(np.percentile(self.costs, share * 100))

    def last_day(self, share: float) -> float:
        """The project's last day (day number) not exceeded in ``share`` × 100 % of runs."""
        import numpy as np

        return float(np.percentile(self.last_days, share * 100, method="inverted_cdf"))

    def percentile(self, share: float) -> float:
        """The finish (days) not exceeded in ``share`` × 100 % of runs."""
        import numpy as np

        return float(np.percentile(self.finish_days, share * 100))


def simulate(
    plan: Plan,
    runs: int = 10_000,
    seed: int = 0,
    graph: StageGraph | None = None,
    *,
    forecast: bool = False,
    levelled_starts: Sequence[int] | None = None,
    cost_basis: float | None = None,
    forecast_schedule: Schedule | None = None,
) -> RiskResult:
    """Run the Monte Carlo; requires an acyclic graph, and a status date for ``forecast``.

    An effort-driven stage keeps the length its resources give it (SPEC §11).
    With ``levelled_starts`` (day numbers per stage) no stage starts before its
    levelled start, so every run keeps the order levelling chose. With
    ``cost_basis`` each run's cost is that plus its risks' costs. ``forecast_schedule``
    is the deterministic forecast when the caller has it (history is pinned to it).
    """
    import numpy as np

    graph = graph or StageGraph.build(plan.stages)
    effort_days: list[int] | None = None
    if any(stage.effort_driven for stage in plan.stages):
        from cio_kit.analysis.schedule import compute

        effort_days = [timing.days for timing in compute(plan, graph).timings]
    status, pins = _pins(plan, graph, forecast_schedule) if forecast else (None, {})
    stages = plan.stages
    count = len(stages)
    # Stages are renumbered wave by wave, so that each wave is a contiguous
    # block of rows: the passes then work on slices (views), and every stage
    # of wave 2 onwards has a predecessor, so a wave's forward step is a few
    # whole-array maxima over its stages' predecessors (see _Links).
    levels = graph.waves()
    order = np.array([node for wave in levels for node in wave], dtype=np.intp)
    row_of = np.empty(count, dtype=np.intp)
    row_of[order] = np.arange(count)
    bounds = []
    first = 0
    for wave in levels:
        bounds.append((first, first + len(wave)))
        first += len(wave)

    inputs = _StageInputs(count)
    for node, stage in enumerate(stages):
        inputs.add(plan, stage, row_of[node], pins.get(node), status, effort_days, levelled_starts, node)
    floors, fixed, cancelled, settled = inputs.floors, inputs.fixed, inputs.cancelled, inputs.settled
    pinned_start, is_pinned = inputs.pinned_start, inputs.is_pinned
    sampled_rows, lows, spans, alphas, betas = (
        inputs.sampled_rows,
        inputs.lows,
        inputs.spans,
        inputs.alphas,
        inputs.betas,
    )
    remaining, elapsed = inputs.remaining, inputs.elapsed
    sampled = np.array(sampled_rows, dtype=np.intp)
    share_left = np.array(remaining)[:, None]
    already = np.array(elapsed)[:, None]
    # Per wave, the rows whose start is history (pinned): the forward pass overrides them.
    pinned_by_wave = [np.flatnonzero(is_pinned[a:b]) + a for a, b in bounds]
    milestone_rows = np.flatnonzero((fixed == 0) & ~cancelled & ~is_pinned)
    low, span = np.array(lows)[:, None], np.array(spans)[:, None]
    from cio_kit.analysis.pert import PertSampler  # numpy, only when a risk run is asked for

    pert = PertSampler(alphas, betas)
    forward = [_gather(order[a:b], graph.preds, row_of) for a, b in bounds]
    backward = [_gather(order[a:b], graph.succs, row_of) for a, b in bounds]

    events = _Events(plan, row_of, cancelled | settled, seed)
    # A block of runs holds a few arrays of stages × runs, and reduceat gathers a wave's links ×
    # runs at once (padded columns gather one row per stage at a time): size blocks by the
    # larger, so a dense plan (800 × 800 links) stays bounded.
    most_links = max((len(links.flat) for links in (*forward, *backward)), default=0)
    block = max(1, min(runs, BLOCK_ELEMENTS // max(count, most_links, 1)))
    draws = _Draws(seed, pert, events, fixed, sampled, low, span, (share_left, already) if forecast else None)
    finish_all = np.empty(runs)
    last_all = np.empty(runs)
    costs = np.full(runs, cost_basis or 0.0)
    occurred_counts = np.zeros(len(events.risks))
    switched_off = _Effects(events, runs)
    critical_counts = np.zeros(count)
    deadline_checks = [(row_of[np.array(nodes)], limit) for nodes, limit in _deadline_checks(plan)]
    met_counts = np.zeros(len(deadline_checks))
    widest = max((b - a for a, b in bounds), default=0)
    scratch = np.empty((widest, block))
    gathered = np.empty((widest, block))
    done = 0
    # Arrays are stage-major (one row per stage, one column per run), so a
    # wave's predecessors are gathered as whole contiguous rows.
    while done < runs:
        size = min(block, runs - done)
        duration, added = draws.block(size)
        for number, (occurred, _) in enumerate(added):
            occurred_counts[number] += occurred.sum()
            costs[done : done + size] += occurred * events.costs[number]
        earliest, finish, project = _forward(
            duration, floors, pinned_start, bounds, forward, pinned_by_wave, gathered
        )
        total_float = _latest_starts(duration, project, bounds, backward, scratch, gathered)
        total_float -= earliest
        critical = (total_float < 1e-9).sum(axis=1)
        switched_off.record(done, added, total_float)
        # The last day of work: the day before the finish, or a milestone's own day.
        last_all[done : done + size] = np.ceil(project - 1e-9) - 1
        if len(milestone_rows):
            at_end = earliest[milestone_rows].max(axis=0) >= project - 1e-9
            last_all[done : done + size] += at_end
        critical[cancelled | settled] = 0
        critical_counts += critical
        finish_all[done : done + size] = project
        for number, (rows, limit) in enumerate(deadline_checks):
            last = np.where((fixed[rows] > 0)[:, None], finish[rows] - 1, earliest[rows])
            # Work ending part-way into a day still occupies that day.
            met_counts[number] += (np.ceil(last - 1e-9).max(axis=0) <= limit).sum()
        done += size
    finish_without = switched_off.without(
        finish_all,
        block,
        draws,
        partial(
            _forward,
            floors=floors,
            pinned_start=pinned_start,
            bounds=bounds,
            forward=forward,
            pinned_by_wave=pinned_by_wave,
            gathered=gathered,
        ),
    )

    deadlines = tuple(
        DeadlineRisk(ident, when, round(float(met) / runs, 4))
        for (ident, when), met in zip(_deadline_ids(plan), met_counts, strict=True)
    )
    criticality = tuple(
        (stage.id, round(float(critical_counts[row_of[node]]) / runs, 4)) for node, stage in enumerate(stages)
    )
    p80 = float(np.percentile(finish_all, 80))
    effects = tuple(
        RiskEffect(
            risk.id,
            round(float(occurred_counts[number]) / runs, 4),
            round(p80 - float(np.percentile(finish_without[number], 80)), 2)
            if number in events.measured or not len(events.rows[number])
            else None,
        )
        for number, risk in enumerate(events.risks)
    )
    return RiskResult(
        runs,
        seed,
        finish_all,
        criticality,
        deadlines,
        last_all,
        plan.enterprise.status_date if forecast else None,
        levelled_starts is not None,
        costs if cost_basis is not None or events.risks else None,
        effects,
    )


class _Events:
    """The live risks of the register, as the runs apply them."""

    def __init__(self, plan: Plan, row_of: Any, untouched: Any, seed: int) -> None:
        import numpy as np

        index = {stage.id: node for node, stage in enumerate(plan.stages)}
        self.risks = [risk for risk in plan.risks or [] if risk.live]
        self.rows = []
        """Per risk, the rows of the stages it lengthens (not done, not cancelled)."""
        for risk in self.risks:
            rows = [int(row_of[index[ref]]) for ref in dict.fromkeys(risk.stages) if ref in index]
            self.rows.append(np.array([row for row in rows if not untouched[row]], dtype=np.intp))
        self.costs = [risk.impact.cost or 0.0 for risk in self.risks]
        largest = sorted(range(len(self.risks)), key=lambda n: (-self.risks[n].exposure_days, n))
        self.measured = set(largest[:MEASURED_RISKS])
        """The risks whose runs without them are drawn (the tornado's)."""
        self.chances = np.array(
            [1.0 if risk.status == "occurred" else risk.probability for risk in self.risks]
        )
        three = [risk.impact.three_days or (0.0, 0.0, 0.0) for risk in self.risks]
        self.fixed_days = np.array([o for o, _, _ in three])
        self.shaped = [number for number, (o, _, p) in enumerate(three) if p > o]
        """The risks whose impact is a three-point estimate, sampled as PERT-beta."""
        self.lows = np.array([three[n][0] for n in self.shaped])
        self.spans = np.array([three[n][2] - three[n][0] for n in self.shaped])
        self.alphas = np.array(
            [1 + 4 * (three[n][1] - three[n][0]) / (three[n][2] - three[n][0]) for n in self.shaped]
        )
        self.betas = np.array(
            [1 + 4 * (three[n][2] - three[n][1]) / (three[n][2] - three[n][0]) for n in self.shaped]
        )
        self.seed = seed
        self.rewind()

    def rewind(self) -> None:
        """Start both streams again from the seed."""
        import numpy as np

        # Streams of their own: a plan without risks draws exactly the runs it drew before risks existed.
        self.occurrence = np.random.default_rng([self.seed, 17])
        self.impact = np.random.default_rng([self.seed, 18])

    def draw(self, size: int) -> list[tuple[Any, Any]]:
        """Per risk, for the next ``size`` runs: whether it occurred (0/1), and the days it adds in each.

        Each stream is drawn run by run (a row of every risk per run), so the
        numbers do not depend on how the runs are split into blocks.
        """
        import numpy as np

        occurred = (self.occurrence.random((size, len(self.risks))) < self.chances).astype(float)
        days = np.tile(self.fixed_days, (size, 1))
        if len(self.shaped):
            shape = self.impact.beta(self.alphas, self.betas, size=(size, len(self.shaped)))
            days[:, self.shaped] = self.lows + self.spans * shape
        days *= occurred
        return [(occurred[:, number], days[:, number]) for number in range(len(self.risks))]


class _Draws:
    """Each block's durations, risk days included, drawn again from the start for a second pass."""

    def __init__(
        self,
        seed: int,
        pert: Any,
        events: _Events,
        fixed: Any,
        sampled: Any,
        low: Any,
        span: Any,
        progress: tuple[Any, Any] | None,
    ) -> None:
        self.seed, self.pert, self.events = seed, pert, events
        self.fixed, self.sampled, self.low, self.span, self.progress = fixed, sampled, low, span, progress
        self.rewind()

    def rewind(self) -> None:
        """Start the streams again: the next blocks are the runs drawn first, in the same order."""
        import numpy as np

        self.rng = np.random.default_rng(self.seed)
        self.events.rewind()

    def block(self, size: int, columns: Any = None) -> tuple[Any, list[tuple[Any, Any]]]:
        """The next ``size`` runs' durations (stage-major) and each risk's (occurred, days) in them.

        With ``columns`` (run positions within the block), only those runs' durations are built,
        though every run is drawn, so the streams stay in step.
        """
        import numpy as np

        added = self.events.draw(size)
        if columns is not None:
            added = [(occurred[columns], days[columns]) for occurred, days in added]
        width = size if columns is None else len(columns)
        duration = np.empty((len(self.fixed), width))
        duration[:] = self.fixed[:, None]
        if len(self.sampled):
            # Scaled in place, since these are the largest arrays of the run.
            draws = self.pert.draw(self.rng, size, columns)
            np.multiply(draws, self.span, out=draws)
            np.add(draws, self.low, out=draws)
            if self.progress is not None:
                share_left, already = self.progress
                np.multiply(draws, share_left, out=draws)
                np.add(draws, already, out=draws)
            duration[self.sampled] = draws
        for rows, (_, days) in zip(self.events.rows, added, strict=True):
            if len(rows):
                duration[rows] += days
        return duration, added


class _Effects:
    """Each measured risk's runs without it, exact at the two ranks the P80 reads.

    A run's finish without the risk is at most its finish as drawn, and at
    least that less the days the risk added times the number of its stages
    with no float in that run: a longest path keeps its length less the days
    taken off the stages it crosses, and it crosses only stages with no float
    (so a run in which the risk lengthened none of those finishes as drawn).
    Those bounds bracket the two finishes the P80 interpolates between: from
    the lower-ranked of the lower bounds to the higher-ranked of the upper
    ones. A run whose bounds lie wholly below or above that window cannot
    change what sits at either rank, so it keeps a bound, and only the runs
    whose bounds meet the window are computed again, on a second pass over
    the same draws, every risk's together in blocks. The P80 is the same to
    the byte as from every run computed again; on the benchmark's
    10,000-stage plan 13,233 of the 20 risks' 200,000 runs are.
    """

    def __init__(self, events: _Events, runs: int) -> None:
        import numpy as np

        self.risk_count = len(events.risks)
        self.rows = {
            number: events.rows[number] for number in sorted(events.measured) if len(events.rows[number])
        }
        self.most = {number: np.zeros(runs) for number in self.rows}
        """Per risk and run, the most its switching off can shorten the run."""

    def record(self, start: int, added: list[tuple[Any, Any]], total_float: Any) -> None:
        """Note, for the runs of a block from ``start``, the most each measured risk could take off."""
        for number, rows in self.rows.items():
            days = added[number][1]
            on_path = (total_float[rows] < FLOAT_MARGIN).sum(axis=0)
            self.most[number][start : start + len(days)] = days * on_path

    def without(self, finish_all: Any, block: int, draws: _Draws, finishes: Any) -> Any:
        """Per risk (a row each), the runs' finishes without it, exact where its P80 reads them.

        ``finishes(duration)`` is the forward pass, returning (earliest, finish, project).
        """
        import numpy as np

        result = np.tile(finish_all, (self.risk_count, 1))
        runs = len(finish_all)
        if not runs or not self.rows:
            return result
        again = {}
        for number, most in self.most.items():
            result[number], again[number] = deciding(finish_all, most)
        draws.rewind()
        batch = _Batch(len(draws.fixed), block, finishes, result)
        for start in range(0, runs, block):
            size = min(block, runs - start)
            wanted = np.flatnonzero(
                np.logical_or.reduce([runs_of[start : start + size] for runs_of in again.values()])
            )
            duration, added = draws.block(size, wanted)  # the same draws again: the same days
            for number, runs_of in again.items():
                picked = np.flatnonzero(runs_of[start + wanted])
                if len(picked):
                    shortened = duration.take(picked, axis=1)
                    shortened[self.rows[number]] -= added[number][1][picked]
                    batch.add(number, start + wanted[picked], shortened)
        batch.flush()
        return result


def deciding(finish: Any, most: Any) -> tuple[Any, Any]:
    """For one risk: a stand-in finish without it for every run, and the runs to compute exactly.

    ``finish`` holds the runs' finishes as drawn and ``most`` the most switching the risk off can
    take off each. Whatever the exact finishes are (between ``finish − most`` and ``finish``), the
    stand-ins with the exact finishes put in at the returned runs have the same P80 to the byte:
    the runs left out lie wholly below the lowest finish the P80's lower rank can hold, or wholly
    above the highest its upper rank can, and keep a bound on that side.
    """
    import numpy as np

    lower = finish - most
    # numpy's "lower" and "higher" methods read the two ranks its linear method interpolates between.
    floor = np.percentile(lower, 80, method="lower")
    ceiling = np.percentile(finish, 80, method="higher")
    above = lower > ceiling
    return np.where(above, lower, finish), (most > 0) & (finish >= floor) & ~above


class _Batch:
    """Runs with one risk switched off, gathered from many blocks and risks into one block of columns.

    Each full block is computed in one forward pass, which costs what one over a
    block of drawn runs does; computing each risk's few runs of each block on
    their own would cost a pass's Python steps for every risk and block.
    """

    def __init__(self, count: int, block: int, finishes: Any, result: Any) -> None:
        import numpy as np

        self.duration = np.empty((count, block))
        self.numbers = np.empty(block, dtype=np.intp)
        self.positions = np.empty(block, dtype=np.intp)
        self.finishes, self.result, self.width = finishes, result, 0

    def add(self, number: int, positions: Any, duration: Any) -> None:
        """Queue risk ``number``'s runs at ``positions``, their durations (stage-major) without it."""
        taken = 0
        while taken < len(positions):
            room = min(len(self.positions) - self.width, len(positions) - taken)
            into, out = slice(self.width, self.width + room), slice(taken, taken + room)
            self.duration[:, into] = duration[:, out]
            self.numbers[into] = number
            self.positions[into] = positions[out]
            self.width += room
            taken += room
            if self.width == len(self.positions):
                self.flush()

    def flush(self) -> None:
        """Compute the queued runs' finishes into the result."""
        width, self.width = self.width, 0
        project = self.finishes(self.duration[:, :width])[2]
        self.result[self.numbers[:width], self.positions[:width]] = project


class _StageInputs:
    """What the runs need of each stage, by row: floors, fixed lengths, pins and PERT shapes."""

    def __init__(self, count: int) -> None:
        import numpy as np

        self.floors = np.zeros(count)
        self.fixed = np.zeros(count)
        self.cancelled = np.zeros(count, dtype=bool)
        self.settled = np.zeros(count, dtype=bool)
        self.pinned_start = np.zeros(count)
        self.is_pinned = np.zeros(count, dtype=bool)
        self.sampled_rows: list[int] = []
        self.lows: list[float] = []
        self.spans: list[float] = []
        self.alphas: list[float] = []
        self.betas: list[float] = []
        self.remaining: list[float] = []
        self.elapsed: list[float] = []

    def add(
        self,
        plan: Plan,
        stage: Stage,
        row: int,
        pin: tuple[str, float, float] | None,
        status: float | None,
        effort_days: list[int] | None,
        levelled_starts: Sequence[int] | None,
        node: int,
    ) -> None:
        """Record one stage at ``row``."""
        from cio_kit.analysis.schedule import start_floors

        start = plan.enterprise.plan_start
        if start is not None:
            for when in start_floors(plan, stage):
                self.floors[row] = max(self.floors[row], (when - start).days)
        self.fixed[row] = effort_days[node] if effort_days is not None and stage.effort_driven else stage.days
        if levelled_starts is not None:
            self.floors[row] = max(self.floors[row], levelled_starts[node])
        self.cancelled[row] = stage.status == "cancelled"
        if pin is not None:
            # Started work keeps its start; its duration is measured from there.
            kind, pin_start, pin_finish = pin
            self.is_pinned[row], self.pinned_start[row] = True, pin_start
            self.fixed[row] = pin_finish - pin_start
            self.settled[row] = kind == "done"
            if kind == "done":
                return
        elif status is not None and not self.cancelled[row]:
            self.floors[row] = max(self.floors[row], status)
        estimate = stage.estimate
        if estimate is None or stage.kind == "milestone" or stage.status == "cancelled":
            return
        o, m, p = estimate.optimistic * 7, estimate.likely * 7, estimate.pessimistic * 7
        self.sampled_rows.append(row)
        self.lows.append(o)
        self.spans.append(p - o)
        self.alphas.append(1 + 4 * (m - o) / (p - o) if p > o else 1.0)
        self.betas.append(1 + 4 * (p - m) / (p - o) if p > o else 1.0)
        # An in-progress stage runs the remaining share of the sample from the status date.
        self.remaining.append(1 - stage.percent_complete / 100 if pin is not None else 1.0)
        self.elapsed.append(
            status - self.pinned_start[row] if pin is not None and status is not None else 0.0
        )


def _forward(
    duration: Any,
    floors: Any,
    pinned_start: Any,
    bounds: Sequence[tuple[int, int]],
    forward: Sequence[Any],
    pinned_by_wave: Sequence[Any],
    gathered: Any,
) -> tuple[Any, Any, Any]:
    """Earliest starts and finishes of every stage in every run of a block, wave by wave; the finish."""
    import numpy as np

    count, size = duration.shape
    earliest = np.empty((count, size))
    finish = np.empty((count, size))
    for (a, b), links, pinned in zip(bounds, forward, pinned_by_wave, strict=True):
        if len(links.rows):  # every stage of the wave has predecessors
            _extreme(np.maximum, finish, links, earliest[a:b], gathered)
            np.maximum(earliest[a:b], floors[a:b, None], out=earliest[a:b])
        else:
            earliest[a:b] = floors[a:b, None]
        if len(pinned):
            earliest[pinned] = pinned_start[pinned, None]
        np.add(earliest[a:b], duration[a:b], out=finish[a:b])
    project = finish.max(axis=0) if count else np.zeros(size)
    return earliest, finish, project


def _latest_starts(
    duration: Any,
    project: Any,
    bounds: Sequence[tuple[int, int]],
    backward: Sequence[Any],
    scratch: Any,
    gathered: Any,
) -> Any:
    """Latest starts of every stage in every run of a block, wave by wave from the last."""
    import numpy as np

    count, size = duration.shape
    latest_start = np.empty((count, size))
    for (a, b), links in zip(reversed(bounds), reversed(backward), strict=True):
        latest_start[a:b] = project
        if len(links.rows):
            earliest_succ = scratch[: len(links.rows), :size]
            # A successor's latest start is at most the finish: no clamp to it is needed.
            _extreme(np.minimum, latest_start, links, earliest_succ, gathered)
            latest_start[links.rows] = earliest_succ
        latest_start[a:b] -= duration[a:b]
    return latest_start


def _pins(
    plan: Plan, graph: StageGraph, schedule: Schedule | None
) -> tuple[float, dict[int, tuple[str, float, float]]]:
    """The status date's day number, and started stages' (status, forecast start, finish) by number.

    Taken from the deterministic forecast, so the simulation and ``roadmap show
    --forecast`` agree on everything that is history.
    """
    if schedule is None:
        from cio_kit.analysis.schedule import compute

        schedule = compute(plan, graph, forecast=True)
    if schedule.status_date is None or schedule.plan_start is None:
        raise ValueError("a forecast needs enterprise.status_date and enterprise.plan_start")
    pins: dict[int, tuple[str, float, float]] = {}
    for node, stage in enumerate(plan.stages):
        if stage.status in ("done", "in-progress"):
            timing = schedule.timings[node]
            pins[node] = (stage.status, float(timing.earliest_start), float(timing.earliest_finish))
    return float((schedule.status_date - schedule.plan_start).days), pins


#: Above this many links per stage, a wave is reduced with ``reduceat`` instead of padded columns.
PADDED_LINKS = 8


@dataclass(frozen=True)
class _Links:
    """For one wave: the rows of its stages that have links, and their linked rows.

    ``columns[j]`` holds, for each such stage, its j-th linked row (padded by
    repeating the first), so a reduction is ``len(columns)`` whole-array
    element-wise operations. When a stage has very many links, ``columns`` is
    empty and ``flat``/``offsets`` are the ``reduceat`` form instead (empty
    otherwise). Padding is ten times faster than ``reduceat`` on the usual two
    to four links.
    """

    rows: Any
    columns: tuple[Any, ...]
    flat: Any
    offsets: Any
    expand: Any = None
    """For the ``reduceat`` form: the stages share link sets, reduced once each; ``expand``
    maps each stage to its set (300 stages after the same 300 are one reduction, not 300)."""


def _gather(wave: Any, links: tuple[tuple[int, ...], ...], row_of: Any) -> _Links:
    """The links of one wave's stages: padded columns, or the ``reduceat`` form for very many."""
    import numpy as np

    with_links = [int(node) for node in wave if links[node]]
    linked = [[int(row_of[other]) for other in links[node]] for node in with_links]
    rows = np.array([row_of[node] for node in with_links], dtype=np.intp)
    widest = max((len(rows) for rows in linked), default=0)
    if widest <= PADDED_LINKS:
        padded = [links_of + [links_of[0]] * (widest - len(links_of)) for links_of in linked]
        columns = tuple(np.array([links_of[j] for links_of in padded], dtype=np.intp) for j in range(widest))
        none = np.empty(0, dtype=np.intp)  # the reduceat form is not used
        return _Links(rows, columns, none, none)
    unique: dict[tuple[int, ...], int] = {}
    expand = [unique.setdefault(tuple(links_of), len(unique)) for links_of in linked]
    flat, offsets = _flattened([list(key) for key in unique])
    shared = len(unique) < len(linked)
    return _Links(rows, (), flat, offsets, np.array(expand, dtype=np.intp) if shared else None)


def _flattened(linked: list[list[int]]) -> tuple[Any, Any]:
    """Link lists as one flat index array and the offset where each list starts."""
    import numpy as np

    flat = [row for rows in linked for row in rows]
    offsets = np.cumsum([0, *map(len, linked)])[:-1]
    return np.array(flat, dtype=np.intp), offsets.astype(np.intp)


def _extreme(ufunc: Any, values: Any, links: _Links, out: Any, scratch: Any) -> None:
    """``out[i] = ufunc`` over the linked rows of the i-th linked stage (max of finishes, min of starts)."""
    import numpy as np

    if not links.columns:
        reduced = ufunc.reduceat(values[links.flat], links.offsets, axis=0)
        out[...] = reduced if links.expand is None else reduced[links.expand]
        return
    # mode="clip": the rows are valid by construction, and the default mode ("raise") writes
    # through a temporary copy of ``out``, which doubles the cost of the pass.
    np.take(values, links.columns[0], axis=0, out=out, mode="clip")
    buffer = scratch[: len(links.rows), : out.shape[1]]
    for column in links.columns[1:]:
        np.take(values, column, axis=0, out=buffer, mode="clip")
        ufunc(out, buffer, out=out)


def _deadline_targets(plan: Plan) -> list[tuple[str, dt.date, list[int]]]:
    """Stage deadlines and goal due dates, each with the stages that must finish by it."""
    if plan.enterprise.plan_start is None:
        return []
    targets = [
        (stage.id, stage.deadline, [node])
        for node, stage in enumerate(plan.stages)
        if stage.deadline is not None and stage.status != "cancelled"
    ]
    due = {goal.id: goal.due for goal in plan.goals or [] if goal.due is not None}
    serving: dict[str, list[int]] = {goal: [] for goal in due}
    for node, stage in enumerate(plan.stages):
        if stage.status != "cancelled":
            for goal in dict.fromkeys(stage.serves):
                if goal in serving:
                    serving[goal].append(node)
    targets += [(goal, when, serving[goal]) for goal, when in due.items() if serving[goal]]
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
