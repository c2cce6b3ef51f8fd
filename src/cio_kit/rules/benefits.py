"""Lesson 2, the driver is judged by results: KPIs measured against their line (BEN001–BEN002)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from cio_kit.findings import Draft, Severity
from cio_kit.rules.context import Context
from cio_kit.rules.registry import rule


def goal_off_track(ctx: Context) -> Iterator[Draft]:
    """A goal's KPI is off track: behind its straight line to the target by more than the tolerance.

    What it checks:
        For a goal with a KPI baseline, target, `due` date and at least one
        measurement, the value expected at the latest measurement's date lies
        on the straight line from the baseline (at `plan_start`) to the
        target (at `due`), by days. The goal is off track when the
        measurement is behind that value, in the direction from baseline to
        target, by more than `benefit_tolerance` (default 0.10) ×
        |target − baseline|. A KPI where lower is better (cost per order) is
        behind when it is above the line.

    Why it matters:
        Lesson 2: the CIO drives the business, and a driver is judged by
        where the car gets to. A programme on time and on budget whose cost
        per order has not moved is not delivering what it was approved for;
        the board should hear it from the CIO first.

    Example:
        goals:
          - id: G-COST
            due: 2028-12-31
            kpi: {name: cost_per_order, baseline: 120, target: 90,
                  measurements: [{date: 2028-01-01, value: 118}]}   # the line says about 105

    Fix:
        Find out why the benefit lags (adoption, process, data) and act on
        it, or re-plan the target with the sponsor.

    """
    from cio_kit.analysis.benefits import OFF_TRACK, line_start, trajectory

    tolerance = ctx.thresholds.benefit_tolerance
    for number, goal in enumerate(ctx.plan.goals or []):
        found = trajectory(goal, line_start(goal, ctx.plan, ctx.schedule), tolerance)
        if found.status != OFF_TRACK or found.latest is None or found.expected is None:
            continue
        yield Draft(
            "BEN001",
            ("goals", number),
            f"{goal.id}'s {found.kpi} is {found.latest.value:g} on {found.latest.date}; the line from "
            f"{found.baseline:g} to {found.target:g} by {found.due} expects {found.expected:.4g} then, so "
            f"it is off track by more than {tolerance:.0%} of the way; find out why, or re-plan with the "
            "sponsor",
            goal.id,
        )


rule("BEN001", "goal-off-track", Severity.WARNING, goal_off_track)


def benefit_unmeasured(ctx: Context) -> Iterator[Draft]:
    """Every stage serving a goal is done, but its KPI has not been measured since.

    What it checks:
        For a goal that live stages serve, all of them `done`: the goal's KPI
        has a measurement dated after the last of those stages finished
        (its `actual_finish`, else its last day in the schedule).

    Why it matters:
        Lesson 2: the work delivered is not the benefit. Once the stages are
        done the question is whether the KPI moves, and nobody knows unless
        someone measures it.

    Example:
        goals: [{id: G-COST, kpi: {name: cost_per_order, baseline: 120, target: 90}}]
        stages: [{id: S-ERP-GOLIVE, serves: [G-COST], status: done, actual_finish: 2028-03-31, ...}]

    Fix:
        Measure the KPI and add the measurement to the goal.

    """
    serving: dict[str, list[int]] = {}
    for number, stage in enumerate(ctx.stages):
        if stage.status != "cancelled":
            for served in stage.serves:
                serving.setdefault(served, []).append(number)
    schedule = ctx.schedule
    for number, goal in enumerate(ctx.plan.goals or []):
        stages = serving.get(goal.id)
        if goal.kpi is None or not stages or any(ctx.stages[n].status != "done" for n in stages):
            continue
        finishes: list[dt.date] = []
        for n in stages:
            finish = ctx.stages[n].actual_finish or schedule.date(schedule.timings[n].last_day)
            if finish is not None:
                finishes.append(finish)
        since = max(finishes, default=None)
        latest = goal.kpi.latest
        if latest is not None and (since is None or latest.date > since):
            continue
        after = f" since its last stage finished on {since}" if since else ""
        yield Draft(
            "BEN002",
            ("goals", number),
            f"every stage serving {goal.id} is done, but its KPI has no measurement{after}; measure it",
            goal.id,
        )


rule("BEN002", "benefit-unmeasured", Severity.INFO, benefit_unmeasured)
