"""``portfolio report``: every plan's standing, the whole IT budget, the cross-plan schedule (SPEC §12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cio_kit.analysis.schedule import Schedule
from cio_kit.config import Thresholds
from cio_kit.findings import Severity
from cio_kit.plan.loader import Loaded
from cio_kit.portfolio.merge import Member, Settings, members, merged_plan
from cio_kit.reports.budget import BudgetReport, budget_report
from cio_kit.reports.capacity import CapacityReport, capacity_report
from cio_kit.rules.context import Context

#: SPEC §12: red below 0.85, amber below 0.95.
RED_BELOW, AMBER_BELOW = 0.85, 0.95
RED_RULES = ("SCHED002",)
AMBER_RULES = ("SCHED001", "SCHED004", "BUDGET007")


@dataclass(frozen=True)
class PlanRow:
    """One plan's line in the portfolio."""

    id: str
    file: str
    name: str
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


def _status(loaded: Loaded, spi: float | None, cpi: float | None) -> tuple[str, str]:
    """Red, amber or green, and the first cause (SPEC §12)."""
    rules = [f.rule for f in sorted(loaded.findings)]
    errors = [f for f in sorted(loaded.findings) if f.severity is Severity.ERROR]
    if errors:
        return "red", f"{len(errors)} error finding(s), first {errors[0].rule}"
    for rule in RED_RULES:
        if rule in rules:
            return "red", f"{rule}: a deadline is missed in the forecast"
    for label, value in (("SPI(t)", spi), ("CPI", cpi)):
        if value is not None and value < RED_BELOW:
            return "red", f"{label} {value:.2f} is below {RED_BELOW:.2f}"
    for rule in AMBER_RULES:
        if rule in rules:
            return "amber", f"{rule}: {_AMBER_WORDS[rule]}"
    for label, value in (("SPI(t)", spi), ("CPI", cpi)):
        if value is not None and value < AMBER_BELOW:
            return "amber", f"{label} {value:.2f} is below {AMBER_BELOW:.2f}"
    return "green", "no error, no slip, performance at or above 0.95"


_AMBER_WORDS = {
    "SCHED001": "a stage is late against the plan",
    "SCHED004": "the forecast finishes after the baseline",
    "BUDGET007": "the forecast cost exceeds the envelope",
}


def _last_day(schedule: Schedule | None, prefix: str) -> dt.date | None:
    """The last day of one plan's live stages in the portfolio schedule."""
    if schedule is None:
        return None
    days = [t.last_day for t in schedule.timings if t.id.startswith(prefix) and not t.cancelled]
    return schedule.date(max(days)) if days else None


def _row(member: Member, thresholds: Thresholds, whole: Schedule, forecast: Schedule | None) -> PlanRow:
    """One plan's row.

    Its dates come from the portfolio schedule (cross-plan links followed), the
    rest from the plan itself, as ``report budget`` and ``report evm`` give them.
    """
    ctx = Context(member.plan, member.loaded.data, thresholds)
    money = budget_report(member.plan, ctx)
    split = {share.budget_class: share.amount for share in money.classes}
    ev = ctx.earned_value
    spi_t, cpi = (ev.spi_t, ev.cpi) if ev is not None else (None, None)
    status, reason = _status(member.loaded, spi_t, cpi)
    from cio_kit.reports.readiness import readiness

    return PlanRow(
        id=member.id,
        file=member.loaded.file,
        name=member.plan.enterprise.name,
        finish_date=_last_day(whole, f"{member.id}:"),
        forecast_finish_date=_last_day(forecast, f"{member.id}:") if ev is not None else None,
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
    loaded: Sequence[Loaded], settings: Settings | None, thresholds: Thresholds | None = None
) -> PortfolioReport:
    """Every figure of the portfolio report, from the loaded plan files."""
    from cio_kit.analysis.capacity import has_effort

    thresholds = thresholds or Thresholds()
    portfolio = members(loaded)
    if not portfolio:
        raise ValueError("no sound plan in the portfolio")
    whole = merged_plan(portfolio, settings)
    ctx = Context(whole, None, thresholds)
    rows = tuple(_row(member, thresholds, ctx.schedule, ctx.forecast) for member in portfolio)
    capacity = capacity_report(whole, ctx.schedule, level=False) if has_effort(whole) else None
    return PortfolioReport(
        name=whole.enterprise.name,
        currency=whole.enterprise.currency,
        plans=rows,
        budget=budget_report(whole, ctx),
        finish_date=ctx.schedule.project_last_day,
        critical_path=ctx.schedule.critical_path,
        capacity=capacity,
    )
