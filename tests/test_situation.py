"""A situation computes each figure once, and its Monte Carlo starts where the plan's basis does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from cio_kit.plan.loader import load_plan
from cio_kit.plan.model import Plan
from cio_kit.situation import Situation

from .conftest import MINIMAL


def _plan(write_plan: Callable[..., Path]) -> Plan:
    plan = load_plan(write_plan(MINIMAL), explicit=True).plan
    assert plan is not None
    return plan


def test_the_monte_carlo_is_kept_per_runs_and_seed(write_plan: Callable[..., Path]) -> None:
    situation = Situation(_plan(write_plan))
    first = situation.risk(50, 1)
    assert situation.risk(50, 1) is first  # computed once
    assert situation.risk(80, 1).runs == 80 and situation.risk(50, 2).seed == 2


def test_a_portfolio_floor_holds_in_every_run(write_plan: Callable[..., Path]) -> None:
    """S-A (two fixed weeks from 4 January 2027) may not start before day 30 when another plan's stage
    it waits for ends then: every run ends on day 43 (3 February + 13 days = 16 February), not day 13."""
    plan = _plan(write_plan)
    alone = Situation(plan)
    assert alone.risk_last_day(0.8, runs=50) == dt.date(2027, 1, 17)
    waiting = Situation(plan, floors=([30], None))
    assert waiting.written.finish == 44
    assert waiting.risk_last_day(0.8, runs=50) == dt.date(2027, 2, 16)
    assert waiting.risk_last_day(0.0, runs=50) == dt.date(2027, 2, 16)


def test_the_forecast_runs_from_the_forecasts_floor_and_the_plan_as_written_from_its_own(
    write_plan: Callable[..., Path],
) -> None:
    """Another plan's stage ends on day 60 as written but is forecast to end on day 30: S-A's runs
    start from 30 on the forecast (last day 16 February) and from 60 as written (18 March)."""
    dated = MINIMAL.replace(
        "  plan_start: 2027-01-04\n", "  plan_start: 2027-01-04\n  status_date: 2027-01-04\n"
    )
    plan = load_plan(write_plan(dated), explicit=True).plan
    assert plan is not None
    forecast = Situation(plan, floors=([60], [30]))
    assert forecast.basis == "forecast"
    assert forecast.risk_last_day(0.8, runs=50) == dt.date(2027, 2, 16)
    written = Situation(plan, as_written=True, floors=([60], [30]))
    assert written.risk_last_day(0.8, runs=50) == dt.date(2027, 3, 18)


def test_levelling_a_plan_without_effort_delays_no_stage(write_plan: Callable[..., Path]) -> None:
    plan = _plan(write_plan)
    assert Situation(plan).delays is None  # not levelled at all
    levelled = Situation(plan, level=True)
    assert levelled.levelled is None and levelled.delays == (0,)
    assert levelled.described == "the plan as written"  # nothing was levelled, so it does not say so


def test_the_plan_as_written_has_no_status_date_and_costs_its_budgets(
    write_plan: Callable[..., Path],
) -> None:
    """A dated plan seen as written: no status date in its words, and its cost before risks is the
    stages' budgets (1,000), not the bottom-up estimate at completion (1,500 with 1,200 already spent)."""
    dated = MINIMAL.replace(
        "  plan_start: 2027-01-04\n", "  plan_start: 2027-01-04\n  status_date: 2027-01-11\n"
    )
    dated += (
        "    status: in-progress\n    percent_complete: 50\n    actual_start: 2027-01-04\n"
        "    actual_cost: 1200\n    etc: 300\n"
        "    budget: [{amount: 1000, class: transform, category: services}]\n"
    )
    plan = load_plan(write_plan(dated), explicit=True).plan
    assert plan is not None
    forecast, written = Situation(plan), Situation(plan, as_written=True)
    assert forecast.status_date == dt.date(2027, 1, 11) and forecast.cost_basis == 1500
    assert written.status_date is None and written.described == "the plan as written"
    assert written.cost_basis == 1000
