"""``portfolio report``: every plan's standing, the whole IT budget, the cross-plan schedule (SPEC §12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cio_kit.config import Thresholds
from cio_kit.findings import Severity
from cio_kit.plan.loader import Loaded
from cio_kit.portfolio.merge import Member, Settings, members
from cio_kit.portfolio.situations import portfolio_situations
from cio_kit.reports.budget import BudgetReport, budget_report
from cio_kit.reports.capacity import CapacityReport, capacity_report
from cio_kit.reports.status import cost_verdict, schedule_verdict
from cio_kit.rules.context import Context
from cio_kit.situation import Situation


@dataclass(frozen=True)
class PlanRow:
    """One plan's line in the portfolio."""

    id: str
    file: str
    finish_date: dt.date | None
    forecast_finish_date: dt.date | None
    budget: float
    run: float
    grow: float
    transform: float
    readiness_share: float
    spi_t: float | None
    cpi: float | None
    errors: int
    warnings: int
    status: str
    """red, amber or green."""
    reason: str
    """The first cause of the status, in words."""


@dataclass(frozen=True)
class PortfolioReport:
    """The portfolio report."""

    name: str
    currency: str
    plans: tuple[PlanRow, ...]
    budget: BudgetReport
    """The whole IT budget: every plan's stages and lines against ``portfolio.yaml``."""
    finish_date: dt.date | None
    critical_path: tuple[str, ...]
    capacity: CapacityReport | None
    """Shared resources' load across plans (None when no stage books people's time)."""
    basis: str = "as-written"
    """``forecast`` or ``as-written`` (SPEC §16)."""
    described: str = "the plan as written"
    """The basis in words, for the first line."""


def _status(member: Member, situation: Situation, thresholds: Thresholds) -> tuple[str, str]:
    """Red, amber or green, and the first cause (SPEC §12, §16): the board's verdicts, one plan at a time.

    Errors are red whatever they are about (CI fails on them); then the schedule
    (its findings, and the portfolio forecast against the plan's own plan as
    written), then cost, with the one set of thresholds.
    """
    findings = sorted(member.loaded.findings)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    earned = situation.earned_value
    schedule = schedule_verdict(findings, earned, thresholds, _slip(situation))
    cost = cost_verdict(findings, earned, thresholds)
    for verdict in (schedule, cost):
        if verdict.status == "red":
            return "red", verdict.reason
    if errors:
        return "red", f"{len(errors)} error finding(s), first {errors[0].rule}"
    for verdict in (schedule, cost):
        if verdict.status == "amber":
            return "amber", verdict.reason
    # Green, but a plan with nothing to measure says so rather than claiming indices it lacks.
    for verdict in (schedule, cost):
        if verdict.status == "grey":
            return "green", verdict.reason
    return "green", f"no error, no slip; SPI(t) and CPI at or above {thresholds.spi_warn:.2f}"


def _slip(situation: Situation) -> tuple[dt.date, dt.date] | None:
    """The plan's own last day as written and its last day in the portfolio forecast."""
    forecast = situation.forecast
    planned = situation.reference_schedule.project_last_day
    expected = forecast.project_last_day if forecast is not None else None
    return (planned, expected) if planned is not None and expected is not None else None


def _row(member: Member, situation: Situation, thresholds: Thresholds) -> PlanRow:
    """One plan's row, all from its situation in the portfolio (cross-plan links followed)."""
    from cio_kit.reports.readiness import readiness

    ctx = Context(member.plan, situation=situation)  # the row reads amounts, not findings or limits
    money = budget_report(member.plan, ctx)
    split = {share.budget_class: share.amount for share in money.classes}
    ev = situation.earned_value
    spi_t, cpi = (ev.spi_t, ev.cpi) if ev is not None else (None, None)
    status, reason = _status(member, situation, thresholds)
    forecast = situation.forecast
    return PlanRow(
        id=member.id,
        file=member.loaded.file,
        finish_date=situation.written.project_last_day,
        forecast_finish_date=forecast.project_last_day if forecast is not None else None,
        budget=money.total,
        run=split.get("run", 0.0),
        grow=split.get("grow", 0.0),
        transform=split.get("transform", 0.0),
        readiness_share=readiness(member.plan, ctx).stage_share,
        spi_t=spi_t,
        cpi=cpi,
        errors=sum(f.severity is Severity.ERROR for f in member.loaded.findings),
        warnings=sum(f.severity is Severity.WARNING for f in member.loaded.findings),
        status=status,
        reason=reason,
    )


def portfolio_report(
    loaded: Sequence[Loaded],
    settings: Settings | None,
    thresholds: Thresholds | None = None,
    *,
    as_written: bool = False,
) -> PortfolioReport:
    """Every figure of the portfolio report, from the loaded plan files."""
    from cio_kit.analysis.capacity import has_effort

    thresholds = thresholds or Thresholds()
    portfolio = members(loaded)
    if not portfolio:
        raise ValueError("no sound plan in the portfolio")
    merged, situations = portfolio_situations(portfolio, settings, as_written=as_written)
    whole = merged.plan
    ctx = Context(whole, None, thresholds, situation=merged)
    rows = tuple(_row(member, situations[member.id], thresholds) for member in portfolio)
    capacity = capacity_report(ctx.situation) if has_effort(whole) else None
    return PortfolioReport(
        name=whole.enterprise.name,
        currency=whole.enterprise.currency,
        plans=rows,
        budget=budget_report(whole, ctx),
        finish_date=merged.schedule.project_last_day,
        critical_path=merged.schedule.critical_path,
        capacity=capacity,
        basis=merged.basis,
        described=merged.described,
    )
