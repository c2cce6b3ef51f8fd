"""``scenario compare``: the portfolio as it stands beside each scenario (SPEC §12).

For each side: the finish as planned and as forecast, the P80 finish of a
Monte Carlo run, spend by class and by fiscal year against the envelope, the
goals served, and the findings; for a scenario also the findings it
introduces and fixes (matched as ``plan diff`` matches them) and the stages
it drops.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cio_kit.analysis.spend import CLASSES
from cio_kit.findings import Finding, Severity
from cio_kit.plan.loader import Loaded
from cio_kit.plan.model import Plan
from cio_kit.portfolio.merge import Settings, members, merged_plan
from cio_kit.portfolio.scenario import Applied
from cio_kit.rules.context import Context
from cio_kit.situation import Situation


@dataclass(frozen=True)
class Side:
    """The base or one scenario."""

    name: str | None
    """The scenario's name (None for the base)."""
    file: str | None
    """The scenario file (None for the base)."""
    finish_date: dt.date | None
    """The last day of work as planned."""
    forecast_finish_date: dt.date | None
    """The last day of work as forecast from the status date (None without one)."""
    p80_date: dt.date | None
    """The last day of work not exceeded in 80% of simulated runs."""
    spend: dict[str, float]
    """run, grow, transform and total."""
    years: tuple[tuple[int, float, float | None], ...]
    """(fiscal year, spend, envelope)."""
    goals_served: tuple[str, ...]
    errors: int
    warnings: int
    findings: tuple[Finding, ...]
    dropped: tuple[str, ...] = ()
    introduced: tuple[Finding, ...] = ()
    fixed: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """The base and the scenarios."""

    portfolio: str
    currency: str
    base: Side
    scenarios: tuple[Side, ...]
    described: str = "the plan as written"
    """The basis every side is seen on, in words (SPEC §16)."""


def _serving(plan: Plan) -> dict[str, set[str]]:
    """Each goal and the live stages serving it."""
    serving: dict[str, set[str]] = {goal.id: set() for goal in plan.goals or []}
    for stage in plan.stages:
        if stage.status != "cancelled":
            for goal in stage.serves:  # (every goal a stage serves exists: PLAN005 blocks)
                serving[goal].add(stage.id)
    return serving


def _side(
    loaded: Sequence[Loaded],
    settings: Settings | None,
    runs: int,
    seed: int,
    base_serving: dict[str, set[str]] | None = None,
    applied: Applied | None = None,
) -> tuple[Side, dict[str, set[str]]]:
    from cio_kit.reports.budget import budget_report

    whole = merged_plan(members(loaded), settings)
    if applied is not None and applied.envelope and whole.budget is not None:
        years = {**(whole.budget.years or {}), **applied.envelope}
        whole = whole.model_copy(update={"budget": whole.budget.model_copy(update={"years": years})})
    ctx = Context(whole)  # as it stands: the P80 runs from the status date, like the forecast
    situation = ctx.situation
    money = budget_report(whole, ctx)
    start = whole.enterprise.plan_start
    p80 = None
    if start is not None and whole.stages:
        result = situation.risk(runs, seed)
        p80 = start + dt.timedelta(days=int(result.last_day(0.8)))
    # A goal is served while every stage that served it in the base is still live (as optimize counts it).
    serving = _serving(whole)
    reference = base_serving if base_serving is not None else serving
    # A scenario drops stages but cannot cancel one, and no cancelled stage serves: ids are enough.
    live = {stage.id for stage in whole.stages}
    # The base holds every goal a scenario can serve: a scenario adds no plan and no goal.
    served = tuple(goal for goal in serving if reference[goal] <= live)
    split = {share.budget_class: share.amount for share in money.classes}
    findings = tuple(sorted(f for entry in loaded for f in entry.findings))
    side = Side(
        name=applied.scenario.name if applied else None,
        file=applied.scenario.file if applied else None,
        finish_date=ctx.schedule.project_last_day,
        forecast_finish_date=ctx.forecast.project_last_day if ctx.forecast is not None else None,
        p80_date=p80,
        spend={**{name: split[name] for name in CLASSES}, "total": money.total},
        years=tuple(  # every year with spend or an envelope: a year the scenario empties still shows
            (year, float(sum(money.years.get(year, {}).values())), money.year_envelopes.get(year))
            for year in sorted({*money.years, *money.year_envelopes})
        ),
        goals_served=served,
        errors=sum(f.severity is Severity.ERROR for f in findings),
        warnings=sum(f.severity is Severity.WARNING for f in findings),
        findings=findings,
        dropped=applied.dropped if applied else (),
    )
    return side, serving


def compare(
    loaded: Sequence[Loaded],
    applied: Sequence[Applied],
    settings: Settings | None,
    *,
    runs: int,
    seed: int,
) -> Comparison:
    """The base portfolio and each applied scenario, side by side."""
    portfolio = members(loaded)
    if not portfolio:
        raise ValueError("no sound plan in the portfolio")
    base, serving = _side(loaded, settings, runs, seed)
    sides = []
    for scenario in applied:
        side, _ = _side(scenario.loaded, settings, runs, seed, serving, scenario)
        before = {(f.file, *f.key) for f in base.findings}
        after = {(f.file, *f.key) for f in side.findings}
        sides.append(
            replace(
                side,
                introduced=tuple(f for f in side.findings if (f.file, *f.key) not in before),
                fixed=tuple(f for f in base.findings if (f.file, *f.key) not in after),
            )
        )
    whole = merged_plan(portfolio, settings)
    described = Situation(whole).described
    return Comparison(whole.enterprise.name, whole.enterprise.currency, base, tuple(sides), described)
