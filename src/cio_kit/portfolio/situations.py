"""Each plan of a portfolio as it stands in the portfolio: its forecast is the portfolio's (SPEC §16).

Seen alone, a plan that waits for another plan's stage knows nothing of that
stage's slip. Seen together (``portfolio report``, a folder's board pack,
``scenario compare``), every plan's dates come from the portfolio schedule,
which follows the cross-plan links: each member's situation takes the
portfolio schedule's starts of its stages as floors, so its forecast last day
is the one the portfolio schedule gives, and its slip counts the knock-on of
the plans it depends on against its own plan as written.
"""

from __future__ import annotations

from collections.abc import Sequence

from cio_kit.analysis.schedule import Schedule
from cio_kit.plan.model import Plan
from cio_kit.portfolio.merge import Member, Settings, merged_plan
from cio_kit.situation import Situation


def portfolio_situations(
    portfolio: Sequence[Member], settings: Settings | None = None, *, as_written: bool = False
) -> tuple[Situation, dict[str, Situation]]:
    """The portfolio's situation (its merged plan) and each member's, by plan id."""
    whole = merged_plan(portfolio, settings)
    merged = Situation(whole, as_written=as_written)
    status = whole.enterprise.status_date
    situations = {}
    for member in portfolio:
        plan = member.plan
        if plan.enterprise.plan_start is None or whole.enterprise.plan_start is None:
            situations[member.id] = Situation(plan, as_written=as_written)
            continue
        if status is not None and plan.enterprise.status_date != status:
            # The portfolio's status date is every member's: one "as it stands" for all of them.
            plan = plan.model_copy(
                update={"enterprise": plan.enterprise.model_copy(update={"status_date": status})}
            )
        floors = (
            _floors(merged.written, whole, member, plan),
            _floors(merged.forecast, whole, member, plan) if merged.forecast is not None else None,
        )
        situations[member.id] = Situation(plan, as_written=as_written, floors=floors)
    return merged, situations


def _floors(schedule: Schedule, whole: Plan, member: Member, plan: Plan) -> list[int]:
    """The member's stages' starts in the portfolio schedule, as day numbers from the member's own day 0."""
    assert whole.enterprise.plan_start is not None and plan.enterprise.plan_start is not None
    shift = (plan.enterprise.plan_start - whole.enterprise.plan_start).days
    start = {timing.id: timing.earliest_start for timing in schedule.timings}
    return [start[f"{member.id}:{stage.id}"] - shift for stage in plan.stages]
