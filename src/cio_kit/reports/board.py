"""``report board``: what a board needs on one page, and the figures behind it (SPEC §14).

A red/amber/green status per dimension with the reason for its colour
(schedule, cost, goals, people, order, fairness), then the data of the
charts: the Gantt with the critical path, run/grow/transform by year, the
PV/EV/AC S-curve, the Monte Carlo finish, readiness and the top findings per
lesson. Where a figure needs data the plan lacks, the section says what to
add instead. The thresholds are those of ``portfolio report`` (SPEC §12).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cio_kit.analysis.baseline import Baseline
from cio_kit.analysis.benefits import AT_RISK, OFF_TRACK, trajectory
from cio_kit.analysis.evm import EarnedValue
from cio_kit.analysis.schedule import Schedule
from cio_kit.config import Thresholds
from cio_kit.findings import Finding, Severity
from cio_kit.plan.model import Plan
from cio_kit.reports.budget import BudgetReport, budget_report
from cio_kit.reports.gaps import GapsReport, gaps_report
from cio_kit.reports.portfolio import AMBER_BELOW, RED_BELOW
from cio_kit.reports.readiness import Readiness, readiness
from cio_kit.rules.context import Context


@dataclass(frozen=True)
class Dimension:
    """One line of the summary: a colour and why."""

    name: str
    status: str
    """red, amber, green, or grey when the plan lacks the data."""
    reason: str


@dataclass(frozen=True)
class PlanBoard:
    """Everything the board pack shows for one plan."""

    name: str
    file: str
    currency: str
    status_date: dt.date | None
    dimensions: tuple[Dimension, ...]
    plan: Plan
    schedule: Schedule
    forecast: Schedule | None
    earned: EarnedValue | None
    money: BudgetReport
    ready: Readiness
    gaps: GapsReport
    p50: dt.date | None
    p80: dt.date | None
    finishes: tuple[int, ...]
    """Last day (day number) of each simulated run, for the histogram."""
    baseline: Schedule | None = None
    """The baseline's schedule, for the Gantt's baseline bars (None without a baseline)."""


def _first(findings: list[Finding], rules: tuple[str, ...]) -> Finding | None:
    return next((f for f in sorted(findings) if f.rule in rules), None)


def _ratio(label: str, value: float | None) -> tuple[str, str] | None:
    if value is None:
        return None
    if value < RED_BELOW:
        return "red", f"{label} {value:.2f} is below {RED_BELOW:.2f}"
    if value < AMBER_BELOW:
        return "amber", f"{label} {value:.2f} is below {AMBER_BELOW:.2f}"
    return None


def dimensions(plan: Plan, ctx: Context, findings: list[Finding]) -> tuple[Dimension, ...]:
    """The six colours of the summary, each with the first cause (SPEC §14)."""
    earned = ctx.earned_value
    found: list[Dimension] = []
    # Schedule: SPI(t) and the forecast against the baseline.
    if earned is None:
        found.append(
            Dimension("Schedule", "grey", "no status date: add enterprise.status_date to judge progress")
        )
    else:
        late = _first(findings, ("SCHED002",))
        verdict = ("red", f"SCHED002: {late.message}") if late else _ratio("SPI(t)", earned.spi_t)
        slip = _first(findings, ("SCHED001", "SCHED004"))
        if verdict is None and slip is not None:
            verdict = ("amber", f"{slip.rule}: {slip.message}")
        found.append(
            Dimension("Schedule", *(verdict or ("green", f"SPI(t) {earned.spi_t or 1:.2f}, on plan")))
        )
    # Cost: CPI and EAC against the envelope.
    if earned is None:
        found.append(Dimension("Cost", "grey", "no status date: add enterprise.status_date and actual costs"))
    else:
        verdict = _ratio("CPI", earned.cpi)
        over = _first(findings, ("BUDGET007",))
        if verdict is None and over is not None:
            verdict = ("amber", f"BUDGET007: {over.message}")
        cpi = f"CPI {earned.cpi:.2f}" if earned.cpi is not None else "no cost performed yet"
        found.append(Dimension("Cost", *(verdict or ("green", f"{cpi}, within the envelope"))))
    # Goals: served and on track.
    goals = plan.goals or []
    served = {goal for stage in plan.stages if stage.status != "cancelled" for goal in stage.serves}
    start, tolerance = plan.enterprise.plan_start, ctx.thresholds.benefit_tolerance
    paths = [trajectory(goal, start, tolerance) for goal in goals]
    lost = [goal.id for goal in goals if goal.id not in served]
    off = [t.goal for t in paths if t.status == OFF_TRACK]
    risk = [t.goal for t in paths if t.status == AT_RISK]
    if not goals:
        found.append(Dimension("Goals", "grey", "no goals: add the enterprise goals the plan serves"))
    elif lost or off:
        found.append(Dimension("Goals", "red", "; ".join(
            part for part in (
                f"served by no live stage: {', '.join(lost)}" if lost else "",
                f"off track: {', '.join(off)}" if off else "",
            ) if part
        )))  # fmt: skip
    elif risk:
        found.append(Dimension("Goals", "amber", f"at risk: {', '.join(risk)}"))
    else:
        measured = sum(1 for t in paths if t.latest is not None)
        found.append(
            Dimension(
                "Goals", "green", f"every goal served; {measured} of {len(goals)} measured, none behind"
            )
        )
    # People, order, fairness: from the findings.
    people = [f for f in sorted(findings) if f.rule.startswith("PEOPLE")]
    worst = next((f for f in people if f.severity is Severity.ERROR), None)
    warned = next((f for f in people if f.severity is Severity.WARNING), None)
    found.append(_from_findings("People", worst, warned))
    order = [f for f in sorted(findings) if f.rule == "DEP002"]
    found.append(_from_findings("Order", order[0] if order else None, None))
    fairness = [f for f in sorted(findings) if f.rule.startswith("GOV")]
    red = next((f for f in fairness if f.rule in ("GOV001", "GOV002")), None)
    amber = next((f for f in fairness if f.rule in ("GOV003", "GOV004", "GOV005")), None)
    found.append(_from_findings("Fairness", red, amber))
    return tuple(found)


def _from_findings(name: str, red: Finding | None, amber: Finding | None) -> Dimension:
    """Red on the first red finding, amber on the first amber one, else green."""
    if red is not None:
        return Dimension(name, "red", f"{red.rule}: {red.message}")
    if amber is not None:
        return Dimension(name, "amber", f"{amber.rule}: {amber.message}")
    return Dimension(name, "green", "no finding")


def board(
    plan: Plan,
    data: object,
    findings: list[Finding],
    file: str,
    thresholds: Thresholds | None = None,
    baseline: Baseline | None = None,
) -> PlanBoard:
    """The board pack of one sound plan (its findings from the whole catalogue), against a baseline if any."""
    from cio_kit.analysis.risk import simulate

    ctx = Context(plan, data, thresholds or Thresholds(), baseline)
    start = plan.enterprise.plan_start
    p50 = p80 = None
    finishes: tuple[int, ...] = ()
    if start is not None and plan.stages:
        result = simulate(plan, runs=2_000, seed=0)
        if result.last_days is not None:
            finishes = tuple(int(day) for day in result.last_days)
            p50 = start + dt.timedelta(days=int(result.last_day(0.5)))
            p80 = start + dt.timedelta(days=int(result.last_day(0.8)))
    return PlanBoard(
        name=plan.enterprise.name,
        file=file,
        currency=plan.enterprise.currency,
        status_date=plan.enterprise.status_date,
        dimensions=dimensions(plan, ctx, findings),
        plan=plan,
        schedule=ctx.schedule,
        forecast=ctx.forecast,
        earned=ctx.earned_value,
        money=budget_report(plan, ctx),
        ready=readiness(plan, ctx),
        gaps=gaps_report(plan, findings),
        p50=p50,
        p80=p80,
        finishes=finishes,
        baseline=ctx.reference_schedule if baseline is not None else None,
    )
