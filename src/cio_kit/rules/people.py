"""Lesson 1, different eyes: brief, train, reassign, reward (PEOPLE001–PEOPLE010)."""

from __future__ import annotations

from collections.abc import Iterator

from cio_kit.findings import Draft, Severity
from cio_kit.rules.context import Context, first_barrier, ids
from cio_kit.rules.registry import rule

_NEEDED = {
    "changed": ("training", "reassignment"),
    "eliminated": ("reassignment", "transfer"),
}


def role_change_unprepared(ctx: Context) -> Iterator[Draft]:
    """A group whose role changes is not trained or reassigned before the rollout that changes it.

    What it checks:
        A group whose `role_impact` is `changed` has a training or
        reassignment action, and one whose role is `eliminated` a
        reassignment or transfer action, in a stage that is a transitive
        predecessor of each system-rollout stage affecting the group. A group
        no rollout affects still needs one such action.

    Why it matters:
        Lesson 1: staff fear retraining and losing their position. People
        trained after go-live, or told afterwards that their job is gone,
        become the resisters the plan then has to discipline.

    Example:
        - id: SG-CLERKS
          role_impact: changed
          actions: [{type: training, stage: S-TRAINING}]
        # S-TRAINING does not come before S-ERP-GOLIVE, which affects SG-CLERKS

    Fix:
        Put the action in a stage before the rollout, or make the rollout
        depend on the stage that holds it.

    """
    for number, group in enumerate(ctx.plan.stakeholders or []):
        needed = _NEEDED.get(group.role_impact)
        if needed is None:
            continue
        bit = ctx.group_bit[group.id]
        rollouts = ctx.rollouts_affecting(group.id)
        kinds = " or ".join(needed)
        if not rollouts:
            if not ctx.has_action(group, needed):
                yield Draft(
                    "PEOPLE001",
                    ("stakeholders", number),
                    f"{group.id}'s role is {group.role_impact} but it has no {kinds} action; plan one",
                    group.id,
                )
            continue
        before = ctx.groups_with_action_before(needed)
        missing = [r for r in rollouts if not before[r] & bit]
        if missing:
            yield Draft(
                "PEOPLE001",
                ("stakeholders", number),
                f"{group.id}'s role is {group.role_impact} by {ids(missing, ctx.stages)} but no {kinds} "
                f"action for {group.id} comes before {'it' if len(missing) == 1 else 'them'}; "
                f"plan one in a stage {'the rollout depends' if len(missing) == 1 else 'they depend'} on",
                group.id,
                tuple(ctx.stages[r].id for r in missing),
            )


rule("PEOPLE001", "role-change-unprepared", Severity.ERROR, role_change_unprepared)


def training_missing(ctx: Context) -> Iterator[Draft]:
    """A group that needs training gets none.

    What it checks:
        A group with the `retraining` concern, or with ADKAR knowledge or
        ability at 3 or below (a barrier point), has a training action in a
        stage that is not cancelled.

    Why it matters:
        Lesson 1 and ADKAR: knowledge and ability are built by training, not
        by announcements. A group that fears retraining and gets none has
        its fear confirmed.

    Example:
        - id: SG-OPERATORS
          concerns: [retraining]
          adkar: {awareness: 4, desire: 3, knowledge: 2, ability: 2, reinforcement: 1}
          actions: [{type: briefing, stage: S-BRIEF}]

    Fix:
        Add a training action in a stage before the rollouts that affect the group.

    """
    for number, group in enumerate(ctx.plan.stakeholders or []):
        reasons = []
        if "retraining" in group.concerns:
            reasons.append("fears retraining")
        if group.current is not None:
            low = [e for e in ("knowledge", "ability") if getattr(group.current, e) <= 3]
            if low:
                reasons.append(f"scores {' and '.join(low)} at a barrier point")
        if reasons and not ctx.has_action(group, ("training",)):
            yield Draft(
                "PEOPLE002",
                ("stakeholders", number),
                f"{group.id} {' and '.join(reasons)} but has no training action; add one",
                group.id,
            )


rule("PEOPLE002", "training-missing", Severity.ERROR, training_missing)


def manager_not_briefed(ctx: Context) -> Iterator[Draft]:
    """An executive or manager group is not briefed.

    What it checks:
        Every group at level `executive` or `manager` has a briefing action
        in a stage that is not cancelled.

    Why it matters:
        Lesson 1: managers must understand informatization as a change of
        management ideas and process optimisation, not an IT project. Left
        unbriefed, they defend the old process their authority rests on.

    Example:
        - {id: SG-HEADS, level: manager, actions: [{type: training, stage: S-TRAIN}]}

    Fix:
        Brief them early — before the redesigns that change their processes.

    """
    for number, group in enumerate(ctx.plan.stakeholders or []):
        if group.level in ("executive", "manager") and not ctx.has_action(group, ("briefing",)):
            yield Draft(
                "PEOPLE003",
                ("stakeholders", number),
                f"{group.id} is a {group.level} group with no briefing action; brief them on the change "
                "of management ideas behind the plan",
                group.id,
            )


rule("PEOPLE003", "manager-not-briefed", Severity.ERROR, manager_not_briefed)


def resistance_unaddressed(ctx: Context) -> Iterator[Draft]:
    """A resistant group gets neither a briefing nor counselling.

    What it checks:
        A group whose current engagement is `resistant` has a briefing or
        counselling action.

    Why it matters:
        Lesson 1: resistance usually hides a fear (extra data entry, losing
        the job). Talking first is cheaper than disciplining later, and it is
        what makes the sanctions of Lesson 4 fair.

    Example:
        - {id: SG-CLERKS, engagement: {current: resistant, desired: supportive}, actions: []}

    Fix:
        Plan a briefing that answers the group's concerns, or counselling.

    """
    for number, group in enumerate(ctx.plan.stakeholders or []):
        resistant = group.engagement is not None and group.engagement.current == "resistant"
        if resistant and not ctx.has_action(group, ("briefing", "counselling")):
            yield Draft(
                "PEOPLE004",
                ("stakeholders", number),
                f"{group.id} is resistant but has no briefing or counselling action; "
                "address its concerns before the rollout",
                group.id,
            )


rule("PEOPLE004", "resistance-unaddressed", Severity.WARNING, resistance_unaddressed)


def no_rewards(ctx: Context) -> Iterator[Draft]:
    """The plan rewards nobody.

    What it checks:
        A plan with stakeholders has at least one reward action or an entry
        in `governance.rewards`.

    Why it matters:
        Lesson 1 and ADKAR reinforcement: change sticks when contributors
        see it pay off. A plan with sanctions and no rewards teaches people
        to keep their heads down.

    Example:
        stakeholders: [...]   # no action of type reward, no governance.rewards

    Fix:
        Reward the key users and early adopters, with a criterion people can see.

    """
    groups = ctx.plan.stakeholders
    if groups is None:
        return
    rewards = ctx.plan.governance.rewards if ctx.plan.governance else []
    if not rewards and not any(ctx.has_action(group, ("reward",)) for group in groups):
        yield Draft(
            "PEOPLE005",
            ("stakeholders",),
            "the plan rewards nobody: add reward actions or governance.rewards "
            "for those who make the change work",
        )


rule("PEOPLE005", "no-rewards", Severity.WARNING, no_rewards)


def training_before_buy_in(ctx: Context) -> Iterator[Draft]:
    """Training is aimed at a group that has not yet been won over.

    What it checks:
        When a group's first ADKAR barrier point (the first element scored 3
        or below, in ADKAR order) is awareness or desire, each of its
        training stages has a briefing for the group in a transitive
        predecessor stage.

    Why it matters:
        Lesson 1 and ADKAR, which is sequential: knowledge does not stick
        without awareness and desire. Training people who do not yet see why
        is money spent on an audience that is not listening.

    Example:
        - id: SG-OPERATORS
          adkar: {awareness: 2, desire: 2, knowledge: 2, ability: 2, reinforcement: 1}
          actions: [{type: training, stage: S-TRAIN}]     # no briefing before S-TRAIN

    Fix:
        Brief the group in a stage the training depends on.

    """
    briefed_before = ctx.groups_with_action_before(("briefing",))
    for number, group in enumerate(ctx.plan.stakeholders or []):
        barrier = first_barrier(group)
        if barrier not in ("awareness", "desire"):
            continue
        bit = ctx.group_bit[group.id]
        unprepared = sorted(
            {
                ctx.index[action.stage]
                for action in group.actions
                if action.type == "training"
                and action.stage in ctx.index
                and ctx.live(ctx.index[action.stage])
                and not briefed_before[ctx.index[action.stage]] & bit
            }
        )
        if unprepared:
            yield Draft(
                "PEOPLE006",
                ("stakeholders", number),
                f"{group.id}'s first ADKAR barrier is {barrier}, but no briefing for it comes before its "
                f"training in {ids(unprepared, ctx.stages)}; brief the group first",
                group.id,
                tuple(ctx.stages[n].id for n in unprepared),
            )


rule("PEOPLE006", "training-before-buy-in", Severity.WARNING, training_before_buy_in)


def adkar_stale(ctx: Context) -> Iterator[Draft]:
    """A group's ADKAR assessment is out of date.

    What it checks:
        At `status_date`, each ADKAR assessment is no older than
        `adkar_max_age_days` (90). Off without `status_date`.

    Why it matters:
        Lesson 1: people see the change differently, and their view moves as
        the plan moves; decisions about who to brief and train next need a
        current reading, not last year's survey.

    Example:
        enterprise: {status_date: 2027-09-30}
        stakeholders: [{id: SG-CLERKS, adkar: {..., assessed: 2027-03-01}}]

    Fix:
        Reassess the group (a short pulse survey is enough).

    """
    today = ctx.plan.enterprise.status_date
    if today is None:
        return
    limit = ctx.thresholds.adkar_max_age_days
    for number, group in enumerate(ctx.plan.stakeholders or []):
        assessed = group.current.assessed if group.current else None
        if assessed is not None and (today - assessed).days > limit:
            yield Draft(
                "PEOPLE007",
                ("stakeholders", number),
                f"{group.id}'s ADKAR assessment of {assessed} is {(today - assessed).days} days old at "
                f"{today} (limit {limit}); reassess the group",
                group.id,
            )


rule("PEOPLE007", "adkar-stale", Severity.WARNING, adkar_stale)


def barrier_not_moving(ctx: Context) -> Iterator[Draft]:
    """A group's first ADKAR barrier has not improved between its last two readings, before its rollout.

    What it checks:
        For a group with two or more ADKAR readings (`adkar` as a list, each
        with `assessed`) and a system rollout affecting it that is not yet
        done: the first barrier point of its latest reading (the first
        element scored 3 or below) scores no higher than in the reading
        before.

    Why it matters:
        Lesson 1: people's view moves, or does not, as the plan moves. A
        group whose desire is still 2 three months before go-live is not the
        same as one that has moved from 1 to 4; the briefings and training
        given so far are not working for it.

    Example:
        stakeholders:
          - id: SG-CLERKS
            adkar:
              - {awareness: 4, desire: 2, knowledge: 2, ability: 2, reinforcement: 1, assessed: 2027-03-01}
              - {awareness: 4, desire: 2, knowledge: 3, ability: 2, reinforcement: 1, assessed: 2027-06-01}

    Fix:
        Change the approach for the group (its concerns, its managers'
        briefing, a sponsor's visit) before the rollout, and reassess.

    """
    for number, group in enumerate(ctx.plan.stakeholders or []):
        readings = group.readings
        element = first_barrier(group)
        if len(readings) < 2 or element is None:
            continue
        pending = [n for n in ctx.rollouts_affecting(group.id) if ctx.stages[n].status != "done"]
        if not pending:
            continue
        before, now = getattr(readings[-2], element), getattr(readings[-1], element)
        if now > before:
            continue
        yield Draft(
            "PEOPLE008",
            ("stakeholders", number),
            f"{group.id}'s {element} is {now} on {readings[-1].assessed}, "
            f"{'down from' if now < before else 'as it was'} {before} on {readings[-2].assessed}, and "
            f"{ids(pending, ctx.stages)} still to come; change the approach for the group and reassess",
            group.id,
            tuple(ctx.stages[n].id for n in pending),
        )


rule("PEOPLE008", "barrier-not-moving", Severity.WARNING, barrier_not_moving)


def sponsor_missing(ctx: Context) -> Iterator[Draft]:
    """A plan that changes people's work names no executive sponsor.

    What it checks:
        A plan with `stakeholders` has a top-level `sponsor: {name, group}`,
        and the group, when given, is an executive group (`level:
        executive`).

    Why it matters:
        Prosci's research ranks an active, visible executive sponsor as the
        first contributor to a change's success. Lesson 1: managers follow
        what their superiors visibly back; without a sponsor the CIO carries
        the change alone.

    Example:
        stakeholders: [{id: SG-CLERKS, ...}]     # and no sponsor

    Fix:
        Name the sponsor: `sponsor: {name: Li Wei (COO), group: SG-EXEC}`.

    """
    groups = ctx.plan.stakeholders
    if not groups:
        return
    sponsor = ctx.plan.sponsor
    if sponsor is None:
        yield Draft(
            "PEOPLE009",
            ("stakeholders",),
            "the plan changes how people work but names no executive sponsor; add "
            "sponsor: {name, group} — an active, visible sponsor is what people follow",
        )
        return
    group = next((g for g in groups if g.id == sponsor.group), None)
    if group is not None and group.level != "executive":
        yield Draft(
            "PEOPLE009",
            ("stakeholders",),
            f"the sponsor {sponsor.name} is in {group.id}, a {group.level or 'unranked'} group; the sponsor "
            "must be an executive",
            group.id,
        )


rule("PEOPLE009", "sponsor-missing", Severity.WARNING, sponsor_missing)

_KEEPS_A_JOB = ("reassignment", "transfer", "counselling")


def job_loss_unanswered(ctx: Context) -> Iterator[Draft]:
    """A group that fears losing its jobs is offered no reassignment, transfer or counselling.

    What it checks:
        A group with the `job-loss` concern has a reassignment, transfer or
        counselling action, or is in the discipline policy's
        `counselling.offered_to`.

    Why it matters:
        Lesson 1: staff fear losing their position, and a fear nobody
        answers becomes resistance. The concern was collected; the plan
        must say what the organisation does about it.

    Example:
        stakeholders:
          - {id: SG-PLANNERS, concerns: [job-loss], actions: [{type: briefing, stage: S-KICKOFF}]}

    Fix:
        Plan a reassignment or transfer path, or offer counselling.

    """
    governance = ctx.plan.governance
    counselling = governance.policy.counselling if governance and governance.policy else None
    offered = set(counselling.offered_to) if counselling else set()
    for number, group in enumerate(ctx.plan.stakeholders or []):
        if "job-loss" not in group.concerns or group.id in offered:
            continue
        if ctx.has_action(group, _KEEPS_A_JOB):
            continue
        yield Draft(
            "PEOPLE010",
            ("stakeholders", number),
            f"{group.id} fears losing its jobs but has no reassignment, transfer or counselling action and "
            "is not offered counselling; plan one",
            group.id,
        )


rule("PEOPLE010", "job-loss-unanswered", Severity.WARNING, job_loss_unanswered)
