"""Readiness: which stages can start now, which wait and why (Lessons 1 and 3).

A stage's state is ``done`` or ``in-progress`` from its status; ``cancelled``
stages are listed apart. A planned stage is ``blocked`` when its status says
so; ``waiting`` while a predecessor is not done (a cancelled predecessor
counts as out of the way); else ``blocked`` when something below stops it;
else ``ready``. What can stop a stage: a process it automates not yet
redesigned (Lesson 3), an affected group at an ADKAR barrier point in
awareness, desire, knowledge or ability (Lesson 1; reinforcement comes after
go-live by nature), no owner, no budget for a stage that needs one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cio_kit.plan.model import ADKAR_ELEMENTS, FUNDED_KINDS, Plan
from cio_kit.rules.context import Context

_BEFORE_GO_LIVE = ADKAR_ELEMENTS[:4]


@dataclass(frozen=True)
class Reason:
    """Why a stage cannot start: a short code and a sentence."""

    code: str
    """predecessor-not-done, not-before, process-not-redesigned, adkar-barrier, no-owner, no-budget
    or status-blocked."""
    text: str
    """The reason in words, naming the ids involved."""


@dataclass(frozen=True)
class StageReadiness:
    """The readiness of one stage."""

    id: str
    """Stage id."""
    title: str
    """Stage title."""
    kind: str
    """Stage kind."""
    state: str
    """done, in-progress, ready, waiting, blocked or cancelled."""
    reasons: tuple[Reason, ...]
    """What stands in the way (empty when ready, done or in progress)."""
    budget: float
    """Planned spend of the stage."""


@dataclass(frozen=True)
class ActionTiming:
    """One people action of a group and whether it comes in time."""

    type: str
    """Action type."""
    stage: str
    """Stage holding the action."""
    before_rollouts: bool | None
    """True when the stage precedes every rollout affecting the group; None when no rollout does."""


@dataclass(frozen=True)
class GroupReadiness:
    """ADKAR profile and actions of one stakeholder group."""

    id: str
    """Group id."""
    name: str | None
    """Group name."""
    adkar: dict[str, int] | None
    """ADKAR scores, or None when not assessed."""
    first_barrier: str | None
    """The first element scored 3 or below, to address first."""
    rollouts: tuple[str, ...]
    """System rollouts that affect the group."""
    actions: tuple[ActionTiming, ...]
    """Its actions and whether each comes before the rollouts."""


@dataclass(frozen=True)
class Readiness:
    """The readiness report."""

    plan: str
    """Enterprise name."""
    stages: tuple[StageReadiness, ...]
    """Every stage, in file order."""
    groups: tuple[GroupReadiness, ...]
    """Every stakeholder group."""
    counts: dict[str, int] = field(default_factory=dict)
    """Stages per state."""

    @property
    def next_up(self) -> tuple[StageReadiness, ...]:
        """Stages that can start now."""
        return tuple(stage for stage in self.stages if stage.state == "ready")

    @property
    def stage_share(self) -> float:
        """Share of live stages that are ready or done."""
        live = [s for s in self.stages if s.state != "cancelled"]
        return sum(s.state in ("ready", "done") for s in live) / len(live) if live else 0.0

    @property
    def budget_share(self) -> float:
        """Share of live stages' budget that is ready or done."""
        live = [s for s in self.stages if s.state != "cancelled"]
        total = sum(s.budget for s in live)
        return sum(s.budget for s in live if s.state in ("ready", "done")) / total if total else 0.0


def readiness(plan: Plan, ctx: Context | None = None) -> Readiness:
    """Compute the readiness of every stage and group."""
    ctx = ctx or Context(plan)
    order = _RedesignOrder(ctx)
    result = [_stage_readiness(ctx, order, number) for number in range(len(plan.stages))]
    counts: dict[str, int] = {}
    for entry in result:
        counts[entry.state] = counts.get(entry.state, 0) + 1
    return Readiness(plan.enterprise.name, tuple(result), tuple(_groups(ctx)), counts)


class _RedesignOrder:
    """Which processes are redesigned before each stage, and which of those redesigns are still open.

    One pass of bitmasks each answers it for every stage and process at once
    (see :meth:`Context.ancestor_bits`), instead of one ancestor search per pair.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.redesigns: dict[str, list[int]] = {}
        for number, stage in enumerate(ctx.stages):
            if stage.kind == "process-redesign" and ctx.live(number):
                for process in stage.processes:
                    self.redesigns.setdefault(process, []).append(number)
        self.before = self._bits(pending_only=False)
        self.pending = self._bits(pending_only=True)

    def _bits(self, pending_only: bool) -> list[int]:
        stages, bit = self.ctx.stages, self.ctx.process_bit

        def own(number: int) -> int:
            current = stages[number]
            if current.kind != "process-redesign" or not self.ctx.live(number):
                return 0
            if pending_only and current.status == "done":
                return 0
            mask = 0
            for process in current.processes:
                mask |= bit.get(process, 0)
            return mask

        return self.ctx.ancestor_bits(own)

    def reasons(self, number: int) -> list[Reason]:
        """Why a rollout may not start yet as far as its processes go."""
        stages, found = self.ctx.stages, []
        for process in dict.fromkeys(stages[number].processes):
            mask = self.ctx.process_bit.get(process, 0)
            if not self.before[number] & mask:
                found.append(
                    Reason("process-not-redesigned", f"{process} has no process-redesign stage before it")
                )
            elif self.pending[number] & mask:
                # Names every open redesign of the process; they all precede
                # this rollout unless the plan redesigns it more than once.
                pending = ", ".join(
                    stages[r].id for r in self.redesigns[process] if stages[r].status != "done"
                )
                found.append(Reason("process-not-redesigned", f"{process} redesign not done ({pending})"))
        return found


def _stage_readiness(ctx: Context, order: _RedesignOrder, number: int) -> StageReadiness:
    """One stage: done or running, else ready, waiting or blocked, with every reason."""
    stage = ctx.stages[number]
    if not ctx.live(number):
        return StageReadiness(stage.id, stage.title, stage.kind, "cancelled", (), 0.0)
    spend = stage.planned_spend
    if stage.status in ("done", "in-progress"):
        return StageReadiness(stage.id, stage.title, stage.kind, stage.status, (), spend)
    reasons = []
    if stage.status == "blocked":
        reasons.append(Reason("status-blocked", f"{stage.id} is marked blocked"))
    stages = ctx.stages
    open_preds = [
        stages[p].id for p in ctx.graph.preds[number] if stages[p].status not in ("done", "cancelled")
    ]
    if open_preds:
        reasons.append(Reason("predecessor-not-done", f"waiting for {', '.join(open_preds)}"))
    today = ctx.plan.enterprise.status_date
    early = today is not None and stage.not_before is not None and today < stage.not_before
    if early:
        reasons.append(Reason("not-before", f"cannot start before {stage.not_before}"))
    if stage.kind == "system-rollout":
        reasons += order.reasons(number)
        reasons += _barriers(ctx, stage.affects)
    if not stage.owner and stage.kind != "milestone":  # a milestone is a date, not work to own
        reasons.append(Reason("no-owner", f"{stage.id} has no owner"))
    if stage.kind in FUNDED_KINDS and not stage.budget:
        reasons.append(Reason("no-budget", f"{stage.id} ({stage.kind}) has no budget"))
    if stage.status == "blocked":
        state = "blocked"
    elif open_preds or early:
        state = "waiting"
    else:
        state = "blocked" if reasons else "ready"
    return StageReadiness(stage.id, stage.title, stage.kind, state, tuple(reasons), spend)


def _barriers(ctx: Context, affected: list[str]) -> list[Reason]:
    """The affected groups at an ADKAR barrier point before go-live."""
    groups = {group.id: group for group in ctx.plan.stakeholders or []}
    found = []
    for group_id in affected:
        group = groups.get(group_id)
        if group is None or group.current is None:
            continue
        low = [e for e in _BEFORE_GO_LIVE if getattr(group.current, e) <= 3]
        if low:
            score = getattr(group.current, low[0])
            found.append(
                Reason("adkar-barrier", f"{group_id} is at an ADKAR barrier point: {low[0]} {score}/5")
            )
    return found


def _groups(ctx: Context) -> list[GroupReadiness]:
    from cio_kit.rules.context import first_barrier

    # One bit per stage that holds an action: a single pass tells, for every
    # rollout, which action stages precede it.
    action_stages = sorted(
        {ctx.index[a.stage] for g in ctx.plan.stakeholders or [] for a in g.actions if a.stage in ctx.index}
    )
    bit_of = {number: 1 << n for n, number in enumerate(action_stages)}
    before_bits = ctx.ancestor_bits(lambda number: bit_of.get(number, 0))
    result = []
    for group in ctx.plan.stakeholders or []:
        rollouts = ctx.rollouts_affecting(group.id)
        actions = []
        for action in group.actions:
            number = ctx.index.get(action.stage)
            if not rollouts or number is None:
                before = None
            else:
                before = all(before_bits[r] & bit_of[number] for r in rollouts)
            actions.append(ActionTiming(action.type, action.stage, before))
        adkar = {e: getattr(group.current, e) for e in ADKAR_ELEMENTS} if group.current else None
        result.append(
            GroupReadiness(
                group.id,
                group.name,
                adkar,
                first_barrier(group),
                tuple(ctx.stages[r].id for r in rollouts),
                tuple(actions),
            )
        )
    return result
