"""``report board``: what a board needs on one page, and the figures behind it (SPEC §14).

A red/amber/green status per dimension with the reason for its colour
(schedule, cost, goals, people, order, fairness), then the data of the
charts: the Gantt with the critical path, run/grow/transform by year, the
PV/EV/AC S-curve, the Monte Carlo finish, readiness and the top findings per
lesson. Where a figure needs data the plan lacks, the section says what to
add instead. Every figure comes from the plan's one situation (SPEC §16), and
the schedule and cost colours are the rules' verdicts (:mod:`cio_kit.reports.status`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cio_kit.analysis.baseline import Baseline
from cio_kit.analysis.benefits import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    Appraisal,
    appraisal,
    line_start,
    trajectory,
)
from cio_kit.analysis.evm import EarnedValue
from cio_kit.analysis.risk import RiskResult
from cio_kit.analysis.schedule import Schedule
from cio_kit.config import Thresholds
from cio_kit.findings import Finding, Severity
from cio_kit.plan.model import Plan
from cio_kit.reports.brief import (
    Brief,
    Figures,
    decisions_needed,
    headline,
    open_high_issues,
    plain,
    risk_lines,
)
from cio_kit.reports.budget import BudgetReport, budget_report
from cio_kit.reports.gaps import GapsReport, gaps_report
from cio_kit.reports.readiness import Readiness, readiness
from cio_kit.reports.status import cost_verdict, schedule_verdict
from cio_kit.reports.trend import TrendPoint
from cio_kit.rules.context import Context
from cio_kit.situation import BOARD_RUNS, BOARD_SEED, Situation


@dataclass(frozen=True)
class Dimension:
    """One line of the summary: a colour and why."""

    name: str
    status: str
    """red, amber, green, or grey when the plan lacks the data."""
    reason: str


@dataclass(frozen=True)
class Milestone:
    """A milestone, or a stage with a deadline: its dates on each basis and its slip."""

    id: str
    title: str
    baseline: dt.date | None
    """Its last day in the baseline (None without one)."""
    as_written: dt.date | None
    forecast: dt.date | None
    """Its last day as forecast (None without a status date)."""
    deadline: dt.date | None
    slip_days: int | None
    """Forecast (else as written) against the baseline (else as written); positive: later."""
    status: str


@dataclass(frozen=True)
class PlanBoard:
    """Everything the board pack shows for one plan, all from one situation (SPEC §16)."""

    name: str
    file: str
    currency: str
    status_date: dt.date | None
    basis: str
    """``forecast`` or ``as-written``."""
    described: str
    """The basis in words, for the first line."""
    dimensions: tuple[Dimension, ...]
    plan: Plan
    schedule: Schedule
    """The basis schedule: what the Gantt draws."""
    written: Schedule
    """The schedule as written, drawn under the forecast."""
    forecast: Schedule | None
    earned: EarnedValue | None
    money: BudgetReport
    ready: Readiness
    gaps: GapsReport
    p50: dt.date | None
    p80: dt.date | None
    p95: dt.date | None
    runs: int
    seed: int
    finishes: tuple[int, ...]
    """Last day (day number) of each simulated run, for the histogram."""
    brief: Brief
    """Page one: the headline, the decisions asked for, the largest risks, the open high issues."""
    milestones: tuple[Milestone, ...] = ()
    baseline: Schedule | None = None
    """The baseline's schedule, for the Gantt's baseline bars (None without a baseline)."""
    costs: tuple[float | None, float | None, float | None] = (None, None, None)
    """P50, P80 and P95 of the cost over the runs: the cost basis plus the risks that occurred."""
    trend: tuple[TrendPoint, ...] = ()
    """The plan's figures at each status date since the last board, newest first."""
    trend_note: str | None = None
    """Why there is no trend, when there is none."""
    appraisal: Appraisal | None = None
    """Benefits against costs, NPV and payback, on the basis schedule."""

    own_last_day: dt.date | None = None
    """The plan's own last day as written, whatever the plans it waits for do: its slip counts from it."""

    @property
    def last_day_as_written(self) -> dt.date | None:
        """The last day of the plan as written (its own, in a portfolio)."""
        return self.own_last_day if self.own_last_day is not None else self.written.project_last_day

    @property
    def forecast_last_day(self) -> dt.date | None:
        """The last day of the basis schedule: the forecast with a status date."""
        return self.schedule.project_last_day if self.basis == "forecast" else None


def dimensions(plan: Plan, ctx: Context, findings: list[Finding]) -> tuple[Dimension, ...]:
    """The six colours of the summary, each with the first cause (SPEC §14, §16)."""
    situation = ctx.situation
    earned = situation.earned_value
    slip = None
    if situation.forecast is not None:
        planned, forecast = situation.reference_schedule.project_last_day, situation.forecast.project_last_day
        if planned is not None and forecast is not None:
            slip = (planned, forecast)
    schedule = schedule_verdict(findings, earned, ctx.thresholds, slip)
    cost = cost_verdict(findings, earned, ctx.thresholds)
    found = [
        Dimension("Schedule", schedule.status, schedule.reason),
        Dimension("Cost", cost.status, cost.reason),
        _goals(plan, ctx),
    ]
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


def _goals(plan: Plan, ctx: Context) -> Dimension:
    """Goals: served by a live stage, and each KPI on its line."""
    goals = plan.goals or []
    served = {goal for stage in plan.stages if stage.status != "cancelled" for goal in stage.serves}
    tolerance = ctx.thresholds.benefit_tolerance
    schedule = ctx.situation.schedule
    paths = [trajectory(goal, line_start(goal, plan, schedule), tolerance) for goal in goals]
    lost = [goal.id for goal in goals if goal.id not in served]
    off = [t.goal for t in paths if t.status == OFF_TRACK]
    risk = [t.goal for t in paths if t.status == AT_RISK]
    if not goals:
        return Dimension("Goals", "grey", "no goals: add the enterprise goals the plan serves")
    if lost or off:
        parts = [
            f"served by no live stage: {', '.join(lost)}" if lost else "",
            f"off track: {', '.join(off)}" if off else "",
        ]
        return Dimension("Goals", "red", "; ".join(part for part in parts if part))
    if risk:
        return Dimension("Goals", "amber", f"at risk: {', '.join(risk)}")
    unmeasured = [t.goal for t in paths if t.status == NO_DATA]
    if unmeasured:  # a goal nobody measures is never green (SPEC §18)
        measured = len(goals) - len(unmeasured)
        return Dimension(
            "Goals",
            "grey" if not measured else "amber",
            f"every goal served; {measured} of {len(goals)} measured; no data for {', '.join(unmeasured)}",
        )
    return Dimension("Goals", "green", "every goal served and measured; none behind its line")


def _from_findings(name: str, red: Finding | None, amber: Finding | None) -> Dimension:
    """Red on the first red finding, amber on the first amber one, else green; the reason in plain words."""
    if red is not None:
        return Dimension(name, "red", plain(red.message))
    if amber is not None:
        return Dimension(name, "amber", plain(amber.message))
    return Dimension(name, "green", "no finding")


def milestones(situation: Situation) -> tuple[Milestone, ...]:
    """Every milestone and every stage with a deadline: baseline, as written, forecast, slip (SPEC §17)."""
    plan, written, forecast = situation.plan, situation.written, situation.forecast
    then = (
        {t.id: situation.reference_schedule.last_day(t) for t in situation.reference_schedule.timings}
        if situation.baseline is not None
        else {}
    )
    found = []
    for number, stage in enumerate(plan.stages):
        if stage.kind != "milestone" and stage.deadline is None:
            continue
        planned = written.last_day(written.timings[number])
        expected = forecast.last_day(forecast.timings[number]) if forecast is not None else None
        reference = then.get(stage.id, planned)
        shown = expected or planned
        slip = (shown - reference).days if shown is not None and reference is not None else None
        late = stage.deadline is not None and shown is not None and shown > stage.deadline
        status = (
            stage.status
            if stage.status in ("done", "cancelled")
            else "late"
            if late or (slip or 0) > 0
            else "on plan"
        )
        found.append(
            Milestone(
                stage.id, stage.title, then.get(stage.id), planned, expected, stage.deadline, slip, status
            )
        )
    return tuple(found)


def board(
    plan: Plan,
    data: object,
    findings: list[Finding],
    file: str,
    thresholds: Thresholds | None = None,
    baseline: Baseline | None = None,
    *,
    situation: Situation | None = None,
    runs: int = BOARD_RUNS,
    seed: int = BOARD_SEED,
    trend: tuple[TrendPoint, ...] = (),
    trend_note: str | None = None,
) -> PlanBoard:
    """The board pack of one sound plan (its findings from the whole catalogue), on its situation.

    The Monte Carlo runs on the same basis as every other figure: from the
    status date when the plan has one, so P50 ≤ P80 ≤ P95 are dates of the
    plan as it stands, as ``roadmap risk`` gives them for the same runs and seed.
    """
    situation = situation or Situation(plan, baseline)
    ctx = Context(plan, data, thresholds or Thresholds(), situation=situation)
    p50, p80, p95 = (situation.risk_last_day(share, runs, seed) for share in (0.5, 0.8, 0.95))
    finishes: tuple[int, ...] = ()
    result = None
    if p50 is not None:
        result = situation.risk(runs, seed)
        finishes = tuple(int(day) for day in result.last_days)
    found = dimensions(plan, ctx, findings)
    money = budget_report(plan, ctx)
    return PlanBoard(
        name=plan.enterprise.name,
        file=file,
        currency=plan.enterprise.currency,
        status_date=plan.enterprise.status_date,
        basis=situation.basis,
        described=situation.described,
        dimensions=found,
        plan=plan,
        schedule=situation.schedule,
        written=situation.written,
        forecast=situation.forecast,
        earned=situation.earned_value,
        money=money,
        ready=readiness(plan, ctx),
        gaps=gaps_report(plan, findings),
        p50=p50,
        p80=p80,
        p95=p95,
        runs=runs,
        seed=seed,
        finishes=finishes,
        milestones=milestones(situation),
        baseline=situation.reference_schedule if situation.baseline is not None else None,
        brief=_brief(situation, found, money, result, p80),
        costs=(
            (result.cost(0.5), result.cost(0.8), result.cost(0.95))
            if result is not None and result.costs is not None
            else (None, None, None)
        ),
        trend=trend,
        trend_note=trend_note,
        appraisal=appraisal(plan, situation.schedule, spend=situation.spend),
        own_last_day=situation.own_written.project_last_day,
    )


def _titled(reason: str, plan: Plan) -> str:
    """Goal ids in a reason replaced by "title (id)", for a sentence a board reads."""
    import re

    for goal in plan.goals or []:
        if goal.title:
            reason = re.sub(rf"(?<![\w-]){re.escape(goal.id)}(?![\w-])", f"{goal.title} ({goal.id})", reason)
    return reason


def _brief(
    situation: Situation,
    found: tuple[Dimension, ...],
    money: BudgetReport,
    result: RiskResult | None,
    p80: dt.date | None,
) -> Brief:
    """Page one, from the figures the rest of the pack shows."""
    plan = situation.plan
    status = plan.enterprise.status_date
    earned = situation.earned_value
    forecast = situation.forecast.project_last_day if situation.forecast is not None else None
    baseline = situation.baseline
    goals = next(d for d in found if d.name == "Goals")
    figures = Figures(
        as_written=situation.own_written.project_last_day,
        forecast=forecast if situation.basis == "forecast" else None,
        reference=situation.reference_schedule.project_last_day,
        reference_label=f"the baseline {baseline.label}" if baseline is not None else "the plan as written",
        p80=p80,
        spi_t=earned.spi_t if earned is not None else None,
        eac=earned.eac_methods if earned is not None else {},
        lines=money.lines_total,
        planned=money.total,
        envelope=money.envelope,
        currency=plan.enterprise.currency,
        goals_status=goals.status,
        goals_reason=_titled(goals.reason, plan),
    )
    decisions = decisions_needed(plan, status)
    risks = risk_lines(plan, result, status)
    tornado = tuple(sorted(risks, key=lambda r: (-(r.p80_effect_days or 0.0), r.id)))
    return Brief(
        headline(figures, situation, decisions, risks),
        decisions,
        risks,
        open_high_issues(plan, status),
        tornado,
    )


@dataclass(frozen=True)
class PortfolioBoard:
    """What a folder's pack adds to its plans' packs: the whole IT budget and the cross-plan critical path."""

    name: str
    money: BudgetReport
    """The portfolio's merged plan: every plan's spend by year against the IT budget."""
    critical_path: tuple[tuple[str, str, dt.date | None], ...]
    """(plan:stage, title, last day) along the portfolio's critical path."""
    last_day: dt.date | None
    """The portfolio's last day of work."""
    described: str


def portfolio_board(name: str, merged: Situation, thresholds: Thresholds | None = None) -> PortfolioBoard:
    """The portfolio's own figures, from the situation of its merged plan."""
    plan, schedule = merged.plan, merged.schedule
    titles = {stage.id: stage.title for stage in plan.stages}
    timing = {t.id: t for t in schedule.timings}
    path = tuple((ident, titles[ident], schedule.last_day(timing[ident])) for ident in schedule.critical_path)
    money = budget_report(plan, Context(plan, None, thresholds or Thresholds(), situation=merged))
    return PortfolioBoard(name, money, path, schedule.project_last_day, merged.described)
