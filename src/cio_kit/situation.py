"""The plan as it stands: every figure a view shows, computed once per command (SPEC §16).

A *situation* holds one plan (or a portfolio's merged plan) with the basis a
command looks at it from, and computes each analysis at most once, when
first asked: the schedule as written, the forecast from ``status_date``, the
basis schedule (levelled to capacity when asked or configured), earned value
against the baseline, and the Monte Carlo with the command's runs and seed.
The rules' :class:`~cio_kit.rules.context.Context`, every report, the board,
the exports and the portfolio read it; none picks its own basis.

The basis is the forecast when the plan has a ``status_date`` (and a
``plan_start`` to place it), else the plan as written; ``as_written`` asks
for the plan as written (the v1 view) whatever the plan holds.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from cio_kit.analysis.schedule import Schedule, compute
from cio_kit.plan.graph import StageGraph
from cio_kit.plan.model import Plan

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cio_kit.analysis.baseline import Baseline
    from cio_kit.analysis.capacity import Levelled
    from cio_kit.analysis.evm import EarnedValue
    from cio_kit.analysis.risk import RiskResult
    from cio_kit.analysis.spend import SpendPlan

Basis = Literal["forecast", "as-written"]

#: Monte Carlo runs and seed of the board and the trend (SPEC §16), unless a command says otherwise.
BOARD_RUNS, BOARD_SEED = 2_000, 1


class Situation:
    """One plan as a command sees it: its basis and every analysis, each computed once."""

    def __init__(
        self,
        plan: Plan,
        baseline: Baseline | None = None,
        *,
        as_written: bool = False,
        level: bool = False,
        graph: StageGraph | None = None,
        floors: tuple[Sequence[int] | None, Sequence[int] | None] = (None, None),
    ) -> None:
        self.plan = plan
        self.baseline = baseline
        """An earlier version of the plan that progress is measured against, if one is in use."""
        self.level = level
        """Whether the basis is levelled to the resources' capacity (``--level`` or ``level: true``)."""
        self._as_written = as_written
        self._graph = graph
        self._floors = floors
        """Earliest starts (day numbers) imposed from outside the plan, as written and as forecast: in a
        portfolio, the knock-on of other plans' stages this plan depends on (SPEC §16)."""
        self._risk: dict[tuple[int, int], RiskResult] = {}

    @cached_property
    def graph(self) -> StageGraph:
        """The stage dependency graph."""
        return self._graph or StageGraph.build(self.plan.stages)

    @property
    def dated(self) -> bool:
        """The plan has a status date and a start to place it: a forecast exists."""
        enterprise = self.plan.enterprise
        return enterprise.status_date is not None and enterprise.plan_start is not None

    @property
    def basis(self) -> Basis:
        """``forecast`` with a status date (unless the plan as written was asked for), else ``as-written``."""
        return "forecast" if self.dated and not self._as_written else "as-written"

    @property
    def status_date(self) -> dt.date | None:
        """The status date the basis is seen at (None for the plan as written)."""
        return self.plan.enterprise.status_date if self.basis == "forecast" else None

    @property
    def described(self) -> str:
        """Which plan the views of this situation describe, in words for their first line."""
        status = self.status_date  # None for the plan as written
        shown = f"forecast from the status date {status}" if status is not None else "the plan as written"
        return shown + (", levelled to capacity" if self.level and self.levelled is not None else "")

    @cached_property
    def written(self) -> Schedule:
        """The schedule as written (in a portfolio, after the other plans it waits for)."""
        return compute(self.plan, self.graph, floors=self._floors[0])

    @cached_property
    def own_written(self) -> Schedule:
        """The plan's own schedule as written, whatever other plans do: what its slip is counted against."""
        return compute(self.plan, self.graph) if self._floors[0] is not None else self.written

    @cached_property
    def forecast(self) -> Schedule | None:
        """The schedule as forecast from ``status_date``; None without status_date and plan_start."""
        if not self.dated:
            return None
        return compute(self.plan, self.graph, forecast=True, floors=self._floors[1])

    @cached_property
    def unlevelled(self) -> Schedule:
        """The basis schedule before any levelling."""
        return self.forecast if self.basis == "forecast" and self.forecast is not None else self.written

    @cached_property
    def levelled(self) -> Levelled | None:
        """The basis levelled to capacity (SPEC §11); None without plan_start or stage effort."""
        from cio_kit.analysis.capacity import has_effort, levelled

        if self.plan.enterprise.plan_start is None or not has_effort(self.plan):
            return None
        return levelled(self.plan, self.unlevelled)

    @cached_property
    def schedule(self) -> Schedule:
        """The schedule every view shows: the basis, levelled when the situation is levelled."""
        if self.level and self.levelled is not None:
            return self.levelled.after
        return self.unlevelled

    @cached_property
    def spend(self) -> SpendPlan:
        """Planned spend by class and fiscal year, spread over the schedule every view shows."""
        from cio_kit.analysis.spend import planned_spend

        return planned_spend(self.plan, self.schedule)

    @cached_property
    def written_spend(self) -> SpendPlan:
        """Planned spend spread over the schedule as written: what the budget rules hold to the envelope."""
        from cio_kit.analysis.spend import planned_spend

        return planned_spend(self.plan, self.written)

    @property
    def delays(self) -> tuple[int, ...] | None:
        """Each stage's delay by levelling, when the situation is levelled (else None)."""
        if not self.level:
            return None
        levelled = self.levelled
        return levelled.delays if levelled is not None else (0,) * len(self.plan.stages)

    @cached_property
    def reference_schedule(self) -> Schedule:
        """What progress is judged against: the baseline's schedule when one is in use, else the plan's."""
        return compute(self.baseline.plan) if self.baseline is not None else self.own_written

    @cached_property
    def earned_value(self) -> EarnedValue | None:
        """Earned value at the status date (None without status_date and plan_start)."""
        if not self.dated:
            return None
        from cio_kit.analysis.evm import earned_value

        if self.baseline is None:
            return earned_value(self.plan, schedule=self.own_written)
        if self.baseline.plan.enterprise.plan_start is None:
            return None
        return earned_value(self.plan, self.baseline.plan, self.baseline.label, self.reference_schedule)

    @property
    def cost_basis(self) -> float:
        """What the work costs before risks: bottom-up EAC at the status date, else the stages' budgets."""
        if self.basis == "forecast" and self.earned_value is not None:
            return self.earned_value.eac_bottom_up
        return sum(stage.planned_spend for stage in self.plan.stages)

    def risk(self, runs: int = BOARD_RUNS, seed: int = BOARD_SEED) -> RiskResult:
        """The Monte Carlo on the basis (from the status date for a forecast), once per runs and seed."""
        key = (runs, seed)
        if key not in self._risk:
            from cio_kit.analysis.risk import simulate

            starts: Sequence[int] | None = self._floors[1] if self.basis == "forecast" else self._floors[0]
            if self.level and self.levelled is not None:
                starts = [timing.earliest_start for timing in self.levelled.after.timings]
            self._risk[key] = simulate(
                self.plan,
                runs=runs,
                seed=seed,
                graph=self.graph,
                forecast=self.basis == "forecast",
                levelled_starts=starts,
                cost_basis=self.cost_basis,
                forecast_schedule=self.forecast,
            )
        return self._risk[key]

    def risk_last_day(self, share: float, runs: int = BOARD_RUNS, seed: int = BOARD_SEED) -> dt.date | None:
        """The last day of work not exceeded in ``share`` of the runs: the board's and trend's P-dates."""
        start = self.plan.enterprise.plan_start
        if start is None or not self.plan.stages:
            return None
        return start + dt.timedelta(days=int(self.risk(runs, seed).last_day(share)))
