"""What rules read: the plan, its graph, its schedule and the thresholds — each computed once.

Graph questions ("is a redesign of P among the ancestors of this rollout?",
"does a training action for G precede this rollout?") are answered by
propagating small bitmasks (one bit per process or per group) along the
topological order: one linear pass answers every such question at once,
instead of one ancestor search per pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from cio_kit.analysis.schedule import Schedule
from cio_kit.config import Thresholds
from cio_kit.plan.graph import StageGraph
from cio_kit.plan.model import ADKAR_ELEMENTS, Plan, Stage, StakeholderGroup
from cio_kit.situation import Situation

if TYPE_CHECKING:
    from cio_kit.analysis.baseline import Baseline
    from cio_kit.analysis.capacity import Levelled
    from cio_kit.analysis.evm import EarnedValue


class Context:
    """One plan under analysis: the rules' view of its situation (SPEC §16), plus their graph questions."""

    def __init__(
        self,
        plan: Plan,
        data: Any = None,
        thresholds: Thresholds | None = None,
        baseline: Baseline | None = None,
        situation: Situation | None = None,
    ) -> None:
        self.plan = plan
        self.data = data
        self.thresholds = thresholds or Thresholds()
        self.situation = situation or Situation(plan, baseline)
        """The plan as it stands, computed once: the rules and the command's views read the same figures."""
        self.baseline = self.situation.baseline
        """An earlier version of the plan that progress is measured against, if one is in use."""
        self.stages = plan.stages
        self.index = {stage.id: number for number, stage in enumerate(plan.stages)}
        self._before_cache: dict[tuple[str, ...], list[int]] = {}

    @cached_property
    def budget_limits(self) -> tuple[float, float, float]:
        """run_warn, run_error and transform_min for this plan: its ``budget.limits`` win."""
        limits = self.plan.budget.limits if self.plan.budget else None
        own = (limits.run_warn, limits.run_error, limits.transform_min) if limits else (None, None, None)
        default = (self.thresholds.run_warn, self.thresholds.run_error, self.thresholds.transform_min)
        run_warn, run_error, transform_min = (
            mine if mine is not None else d for mine, d in zip(own, default, strict=True)
        )
        return run_warn, run_error, transform_min

    @property
    def graph(self) -> StageGraph:
        """The stage dependency graph."""
        return self.situation.graph

    @cached_property
    def order(self) -> list[int]:
        """Stages in topological order."""
        order = self.graph.topological_order()
        if order is None:
            raise ValueError("rules run only on acyclic plans (DEP001 is blocking)")
        return order

    @property
    def schedule(self) -> Schedule:
        """The schedule as written."""
        return self.situation.written

    @property
    def forecast(self) -> Schedule | None:
        """The schedule as forecast from ``status_date``, or None without status_date and plan_start."""
        return self.situation.forecast

    @property
    def reference_schedule(self) -> Schedule:
        """What progress is judged against: the baseline's schedule when one is in use, else the plan's."""
        return self.situation.reference_schedule

    @property
    def earned_value(self) -> EarnedValue | None:
        """Earned value at the status date (None without status_date and plan_start)."""
        return self.situation.earned_value

    @property
    def levelled(self) -> Levelled | None:
        """The schedule as it stands levelled to the resources' capacity (SPEC §11); None without effort."""
        return self.situation.levelled

    def live(self, number: int) -> bool:
        """False for a cancelled stage, which satisfies no rule (SPEC §2)."""
        return self.stages[number].status != "cancelled"

    def ancestor_bits(self, own: Callable[[int], int]) -> list[int]:
        """For each stage, the OR of ``own(pred)`` over all its transitive predecessors."""
        bits = [0] * len(self.stages)
        preds = self.graph.preds
        for node in self.order:
            mask = 0
            for pred in preds[node]:
                mask |= bits[pred] | own(pred)
            bits[node] = mask
        return bits

    @cached_property
    def process_bit(self) -> dict[str, int]:
        """One bit per process id."""
        return {process.id: 1 << n for n, process in enumerate(self.plan.processes or [])}

    @cached_property
    def group_bit(self) -> dict[str, int]:
        """One bit per stakeholder group id."""
        return {group.id: 1 << n for n, group in enumerate(self.plan.stakeholders or [])}

    def action_bits(self, types: Iterable[str]) -> list[int]:
        """For each stage, the groups that have an action of one of ``types`` in it (cancelled: none)."""
        wanted = set(types)
        bits = [0] * len(self.stages)
        for group in self.plan.stakeholders or []:
            for action in group.actions:
                number = self.index.get(action.stage)
                if action.type in wanted and number is not None and self.live(number):
                    bits[number] |= self.group_bit[group.id]
        return bits

    def has_action(self, group: StakeholderGroup, types: Iterable[str]) -> bool:
        """True when the group has an action of one of ``types`` in a stage that is not cancelled."""
        wanted = set(types)
        return any(
            action.type in wanted and action.stage in self.index and self.live(self.index[action.stage])
            for action in group.actions
        )

    def rollouts_affecting(self, group_id: str) -> list[int]:
        """Live system-rollout stages whose ``affects`` names the group."""
        return self._rollouts_by_group.get(group_id, [])

    @cached_property
    def _rollouts_by_group(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for number, stage in enumerate(self.stages):
            if stage.kind == "system-rollout" and self.live(number):
                for group_id in dict.fromkeys(stage.affects):
                    found.setdefault(group_id, []).append(number)
        return found

    def groups_with_action_before(self, types: tuple[str, ...]) -> list[int]:
        """Per stage: the groups with an action of ``types`` in one of its transitive predecessors."""
        cached = self._before_cache.get(types)
        if cached is None:
            own = self.action_bits(types)
            cached = self.ancestor_bits(own.__getitem__)
            self._before_cache[types] = cached
        return cached


def first_barrier(group: StakeholderGroup) -> str | None:
    """The first ADKAR element scored 3 or below, in ADKAR order (the one to address first)."""
    if group.current is None:
        return None
    for element in ADKAR_ELEMENTS:
        if getattr(group.current, element) <= 3:
            return element
    return None


def ids(numbers: Iterable[int], stages: list[Stage]) -> str:
    """Stage ids joined for a message."""
    return ", ".join(stages[n].id for n in numbers)
