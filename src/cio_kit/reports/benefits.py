"""``report benefits``: each goal's KPI against its line, the programme's NPV and payback, ADKAR over time."""

from __future__ import annotations

from dataclasses import dataclass

from cio_kit.analysis.benefits import Appraisal, Trajectory, appraisal, line_start, trajectory
from cio_kit.config import Thresholds
from cio_kit.plan.model import Adkar, Plan
from cio_kit.situation import Situation


@dataclass(frozen=True)
class GroupReadings:
    """A stakeholder group's ADKAR readings, oldest first."""

    id: str
    readings: tuple[Adkar, ...]


@dataclass(frozen=True)
class BenefitsReport:
    """The benefits report (SPEC §13)."""

    plan: str
    currency: str
    discount_rate: float
    goals: tuple[Trajectory, ...]
    appraisal: Appraisal | None
    """None without plan_start."""
    groups: tuple[GroupReadings, ...]
    """Groups with at least one ADKAR reading."""
    basis: str = "as-written"
    """``forecast`` or ``as-written``: the schedule the money is placed on (SPEC §16)."""
    described: str = "the plan as written"
    """The basis in words, for the first line."""


def benefits_report(
    plan: Plan, thresholds: Thresholds | None = None, situation: Situation | None = None
) -> BenefitsReport:
    """Every figure of the benefits report, on the situation's basis (the plan as it stands by default)."""
    thresholds = thresholds or Thresholds()
    situation = situation or Situation(plan)
    return BenefitsReport(
        plan=plan.enterprise.name,
        currency=plan.enterprise.currency,
        discount_rate=plan.enterprise.discount_rate,
        goals=tuple(
            trajectory(goal, line_start(goal, plan, situation.schedule), thresholds.benefit_tolerance)
            for goal in plan.goals or []
        ),
        appraisal=appraisal(plan, situation.schedule, spend=situation.spend),
        groups=tuple(
            GroupReadings(group.id, tuple(group.readings))
            for group in plan.stakeholders or []
            if group.readings
        ),
        basis=situation.basis,
        described=situation.described,
    )
