"""What changed between two versions of a plan, as a reviewer of a pull request needs it.

Stages added, removed and changed field by field; planned spend by class and
year before and after; the finish date and the critical path before and
after; findings introduced and fixed. Findings are matched by rule, path and
subject, so a finding that merely moved to another line is neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cio_kit.analysis.spend import CLASSES, planned_spend
from cio_kit.findings import Finding
from cio_kit.plan.model import Plan
from cio_kit.rules.context import Context


@dataclass(frozen=True)
class FieldChange:
    """One field of a stage that changed."""

    field: str
    """Field name (``budget``, ``depends_on``, ``duration_weeks``…)."""
    old: Any
    """The value before (None when absent)."""
    new: Any
    """The value after (None when absent)."""


@dataclass(frozen=True)
class StageChange:
    """A stage present in both versions whose fields changed."""

    id: str
    """Stage id."""
    changes: tuple[FieldChange, ...]
    """The changed fields, in field order."""


@dataclass(frozen=True)
class Money:
    """Planned spend by class for one scope (the plan or a year)."""

    scope: str
    """"plan" or the fiscal year."""
    before: dict[str, float]
    """run / grow / transform / total before."""
    after: dict[str, float]
    """run / grow / transform / total after."""


@dataclass(frozen=True)
class ScheduleSide:
    """The schedule of one version."""

    finish_week: float
    """Finish in weeks from plan_start."""
    finish_date: dt.date | None
    """Finish date (the day after the last day of work), if the plan has a plan_start."""
    critical_path: tuple[str, ...]
    """The critical path."""
    last_day: dt.date | None = None
    """The last day of work, if the plan has a plan_start: what people are shown."""


@dataclass(frozen=True)
class PlanDiff:
    """Everything that changed."""

    old_name: str
    """Label of the old version (file or git ref)."""
    new_name: str
    """Label of the new version."""
    added: tuple[str, ...]
    """Stages only in the new version."""
    removed: tuple[str, ...]
    """Stages only in the old version."""
    changed: tuple[StageChange, ...]
    """Stages in both with changed fields."""
    money: tuple[Money, ...]
    """Spend by class for the plan, then per year."""
    before: ScheduleSide
    """Old schedule."""
    after: ScheduleSide
    """New schedule."""
    introduced: tuple[Finding, ...]
    """Findings only in the new version."""
    fixed: tuple[Finding, ...]
    """Findings only in the old version."""

    @property
    def slip_days(self) -> int | None:
        """How many days later the plan finishes (negative: earlier), when both have dates."""
        if self.before.finish_date is None or self.after.finish_date is None:
            return None
        return (self.after.finish_date - self.before.finish_date).days


def _stage_fields(plan: Plan) -> dict[str, dict[str, Any]]:
    return {
        stage.id: stage.model_dump(mode="json", by_alias=True, exclude_defaults=True) for stage in plan.stages
    }


def _spend_by_class(plan: Plan, ctx: Context) -> tuple[dict[str, float], dict[int, dict[str, float]]]:
    spend = planned_spend(plan, ctx.schedule)

    def row(by_class: dict[str, float]) -> dict[str, float]:
        return {**{name: by_class[name] for name in CLASSES}, "total": sum(by_class.values())}

    return row(spend.whole.by_class), {year: row(s.by_class) for year, s in spend.years.items()}


def _side(ctx: Context) -> ScheduleSide:
    schedule = ctx.schedule
    if not ctx.stages:  # a plan added or removed is compared with an empty plan: no dates at all
        return ScheduleSide(0.0, None, ())
    return ScheduleSide(
        schedule.finish / 7, schedule.date(schedule.finish), schedule.critical_path, schedule.project_last_day
    )


def _field_changes(before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> list[FieldChange]:
    """Changed fields; a mapping on both sides (an estimate) is compared key by key (``estimate.likely``)."""
    found = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            found += _field_changes(old, new, f"{prefix}{name}.")
        else:
            found.append(FieldChange(f"{prefix}{name}", old, new))
    return found


def plan_diff(
    old: Plan,
    new: Plan,
    old_findings: list[Finding],
    new_findings: list[Finding],
    old_name: str,
    new_name: str,
) -> PlanDiff:
    """Compare two sound plans."""
    old_ctx, new_ctx = Context(old), Context(new)
    old_stages, new_stages = _stage_fields(old), _stage_fields(new)
    changed = []
    for ident, after in new_stages.items():
        before = old_stages.get(ident)
        if before is None or before == after:
            continue
        changed.append(StageChange(ident, tuple(_field_changes(before, after))))
    old_whole, old_years = _spend_by_class(old, old_ctx)
    new_whole, new_years = _spend_by_class(new, new_ctx)
    zero = dict.fromkeys([*CLASSES, "total"], 0.0)
    money = [Money("plan", old_whole, new_whole)]
    for year in sorted(set(old_years) | set(new_years)):
        money.append(Money(str(year), old_years.get(year, zero), new_years.get(year, zero)))
    old_keys = {f.key for f in old_findings}
    new_keys = {f.key for f in new_findings}
    return PlanDiff(
        old_name=old_name,
        new_name=new_name,
        added=tuple(i for i in new_stages if i not in old_stages),
        removed=tuple(i for i in old_stages if i not in new_stages),
        changed=tuple(changed),
        money=tuple(money),
        before=_side(old_ctx),
        after=_side(new_ctx),
        introduced=tuple(sorted(f for f in new_findings if f.key not in old_keys)),
        fixed=tuple(sorted(f for f in old_findings if f.key not in new_keys)),
    )
