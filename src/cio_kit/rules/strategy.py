"""Lesson 2, the driver: every stage serves an enterprise goal (STRAT001–STRAT005)."""

from __future__ import annotations

from collections.abc import Iterator

from cio_kit.findings import Draft, Severity
from cio_kit.rules.context import Context
from cio_kit.rules.registry import rule

_EXEMPT = ("operations", "governance", "milestone")


def stage_serves_no_goal(ctx: Context) -> Iterator[Draft]:
    """A stage serves no enterprise goal.

    What it checks:
        Every stage lists at least one goal in `serves`. Operations,
        governance and milestone stages, and cancelled stages, are exempt.
        Off when the plan has no goals.

    Why it matters:
        Lesson 2: informatization is driven by strategy. A stage that serves
        no goal is IT for its own sake and the first to be cut — or the one
        that keeps the CIO chasing the bus. COBIT APO02 asks for exactly this
        traceability from enterprise goals to IT initiatives.

    Example:
        - {id: S-PORTAL, title: New intranet portal, kind: system-rollout, duration_weeks: 8}

    Fix:
        Add the goal the stage serves to `serves`, or question the stage.

    """
    if not ctx.plan.goals:
        return
    for number, stage in enumerate(ctx.stages):
        if stage.kind in _EXEMPT or not ctx.live(number) or stage.serves:
            continue
        yield Draft(
            "STRAT001",
            ("stages", number),
            f"{stage.id} ({stage.kind}) serves no goal; add the goal it serves to `serves` "
            "or question whether the plan needs it",
            stage.id,
        )


rule("STRAT001", "stage-serves-no-goal", Severity.WARNING, stage_serves_no_goal)


def goal_not_served(ctx: Context) -> Iterator[Draft]:
    """An enterprise goal is served by no stage.

    What it checks:
        Every goal is listed in the `serves` of at least one stage that is
        not cancelled.

    Why it matters:
        Lesson 2: strategy drives the plan, so every goal needs stages that
        deliver it. A goal nothing works towards is a promise the plan does
        not keep; the board will read it and assume something delivers it.

    Example:
        goals:
          - {id: G-QUALITY, title: First-pass yield to 97%}
        # no stage has G-QUALITY in serves

    Fix:
        Link the stages that deliver the goal, add one, or drop the goal.

    """
    served = {goal for n, stage in enumerate(ctx.stages) if ctx.live(n) for goal in stage.serves}
    for number, goal in enumerate(ctx.plan.goals or []):
        if goal.id not in served:
            yield Draft(
                "STRAT002",
                ("goals", number),
                f"goal {goal.id} is served by no stage; link the stages that deliver it or drop the goal",
                goal.id,
            )


rule("STRAT002", "goal-not-served", Severity.WARNING, goal_not_served)


def goal_kpi_incomplete(ctx: Context) -> Iterator[Draft]:
    """A goal has no KPI, or its KPI lacks a baseline or a target.

    What it checks:
        Every goal has a `kpi` with both `baseline` and `target`.

    Why it matters:
        Lesson 2: the CIO is tied to strategy, and strategy is measured.
        Without a baseline and a target nobody can say whether the
        informatization paid off; the CIO is left defending cost instead of
        showing value.

    Example:
        - id: G-COST
          kpi: {name: cost_per_order, target: 102}    # no baseline

    Fix:
        Measure the baseline now and agree the target with the goal's owner.

    """
    for number, goal in enumerate(ctx.plan.goals or []):
        if goal.kpi is None:
            missing = "KPI"
        else:
            gaps = [name for name in ("baseline", "target") if getattr(goal.kpi, name) is None]
            if not gaps:
                continue
            missing = f"KPI {' or '.join(gaps)}"
        yield Draft(
            "STRAT003",
            ("goals", number),
            f"goal {goal.id} has no {missing}; add it so the plan's value can be measured",
            goal.id,
        )


rule("STRAT003", "goal-kpi-incomplete", Severity.WARNING, goal_kpi_incomplete)


def stage_objective_missing(ctx: Context) -> Iterator[Draft]:
    """A stage has no objective or no exit criteria.

    What it checks:
        Every stage except milestones and cancelled stages has an
        `objective` and at least one entry in `exit_criteria`, in more than
        blanks (`exit_criteria: [""]` states nothing). One finding names
        whatever is missing.

    Why it matters:
        Lesson 2: the driver steers by objectives. A stage without an
        objective cannot be steered, and one without exit criteria never quite
        ends; both make progress reports a matter of opinion.

    Example:
        - {id: S-TRAINING, title: Training, kind: training, duration_weeks: 4}

    Fix:
        State what the stage must achieve and how its end is recognised.

    """
    for number, stage in enumerate(ctx.stages):
        if stage.kind == "milestone" or not ctx.live(number):
            continue
        stated = (
            ("objective", bool((stage.objective or "").strip())),
            ("exit criteria", any(criterion.strip() for criterion in stage.exit_criteria)),
        )
        missing = [name for name, present in stated if not present]
        if missing:
            yield Draft(
                "STRAT004",
                ("stages", number),
                f"{stage.id} has no {' and no '.join(missing)}; state what it must achieve "
                "and how its end is recognised",
                stage.id,
            )


rule("STRAT004", "stage-objective-missing", Severity.WARNING, stage_objective_missing)


def goal_due_before_delivery(ctx: Context) -> Iterator[Draft]:
    """A goal is due before the stages serving it end.

    What it checks:
        A goal's `due` date is not earlier than the last day, in the schedule
        as written, of any stage serving it. With a status_date, SCHED002
        judges due dates on the forecast instead and this rule is not
        reported.

    Why it matters:
        Lesson 2 ties stages to goals; the dates must agree too. The board is
        promised a result on a date the plan itself cannot reach; better to
        say so in the plan than at the review.

    Example:
        goals: [{id: G-DATA, due: 2027-06-30}]
        stages: [{id: S-MDM, serves: [G-DATA], duration_weeks: 40, ...}]

    Fix:
        Bring the stages forward, or agree a later due date.

    """
    goals = ctx.plan.goals or []
    if not any(goal.due for goal in goals) or ctx.forecast is not None:
        return  # with a status date, SCHED002 judges due dates on the forecast
    schedule = ctx.schedule
    serving: dict[str, list[int]] = {goal.id: [] for goal in goals if goal.due is not None}
    for stage_number, stage in enumerate(ctx.stages):
        if ctx.live(stage_number):
            for goal_id in dict.fromkeys(stage.serves):
                if goal_id in serving:
                    serving[goal_id].append(stage_number)
    for number, goal in enumerate(goals):
        if goal.due is None:
            continue
        late = []
        for stage_number in serving[goal.id]:
            last = schedule.last_day(schedule.timings[stage_number])
            if last is not None and last > goal.due:
                late.append((last, ctx.stages[stage_number].id))
        if late:
            last, latest = max(late)
            yield Draft(
                "STRAT005",
                ("goals", number),
                f"goal {goal.id} is due {goal.due} but {', '.join(i for _, i in late)} serving it "
                f"end later (the last, {latest}, on {last}); move the due date or the stages",
                goal.id,
                tuple(i for _, i in late),
            )


rule("STRAT005", "goal-due-before-delivery", Severity.WARNING, goal_due_before_delivery)
