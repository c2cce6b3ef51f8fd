"""The keep/drop problem as `problem` reads it from a plan: its stages, what stays, lines and reach."""

from __future__ import annotations

import json
from typing import Any

from cio_kit.plan.loader import load_bytes
from cio_kit.plan.model import Plan
from cio_kit.portfolio.optimize import problem

HEAD = "cio_kit: 1\nenterprise: {name: P, plan_start: 2027-01-04}\n"


def _plan(text: str) -> Plan:
    plan = load_bytes((HEAD + text).encode(), "p.yaml").plan
    assert plan is not None
    return plan


def test_a_cancelled_stage_is_no_choice_and_a_done_one_stays() -> None:
    plan = _plan(
        "stages:\n"
        "  - {id: S-DONE, title: a, kind: governance, duration_weeks: 1, status: done,"
        " actual_start: 2027-01-04, actual_finish: 2027-01-08}\n"
        "  - {id: S-GONE, title: b, kind: governance, duration_weeks: 1, status: cancelled}\n"
        "  - {id: S-OPEN, title: c, kind: governance, duration_weeks: 1}\n"
    )
    data = problem(plan, {2027: 100.0})
    assert data.stages == ("S-DONE", "S-OPEN")
    assert {data.stages[i] for i in data.fixed} == {"S-DONE"}


def test_a_budget_line_alone_in_a_year_is_that_years_line() -> None:
    """Stages spend 100 in 2027 only; the per-year line of 40 counts in both years the plan spans, the
    one-off line of 7 in its first."""
    plan = _plan(
        "budget: {lines: [{id: L-PMO, amount: 40, class: run, category: personnel, per_year: true},"
        " {id: L-ONE, amount: 7, class: run, category: services}]}\n"
        "stages:\n"
        "  - {id: S-A, title: a, kind: system-build, duration_weeks: 10,"
        " budget: [{amount: 100, class: grow, category: software}]}\n"
        "  - {id: S-B, title: b, kind: system-build, duration_weeks: 60}\n"
    )
    data = problem(plan, {2027: 1000.0, 2028: 1000.0})
    assert data.lines == {2027: 47.0, 2028: 40.0}


def test_with_yearly_lines_a_stage_stays_in_the_years_its_plan_spans_whatever_the_order() -> None:
    """The 60-week stage, listed first, ends in 2028: the plan spans 2027-2028, so the short one may move."""
    plan = _plan(
        "budget: {lines: [{id: L-PMO, amount: 10, class: run, category: personnel, per_year: true}]}\n"
        "stages:\n"
        "  - {id: S-LONG, title: a, kind: system-build, duration_weeks: 60}\n"
        "  - {id: S-SHORT, title: b, kind: system-build, duration_weeks: 10}\n"
    )
    assert problem(plan, dict.fromkeys(range(2027, 2031), 1.0)).reach == (0, 1)


def test_with_no_envelope_nothing_may_move() -> None:
    plan = _plan("stages:\n  - {id: S-A, title: a, kind: system-build, duration_weeks: 10}\n")
    assert problem(plan, {}).reach == (0,)


def test_in_a_portfolio_yearly_lines_hold_each_plan_to_its_own_years() -> None:
    """Merged, stage ids carry their plan ("hr:S-…"): the plan of the line is found by that name."""
    plan = _plan(
        "budget: {lines: [{id: L-PMO, amount: 10, class: run, category: personnel, per_year: true}]}\n"
        "stages:\n"
        "  - {id: S-LONG, title: a, kind: system-build, duration_weeks: 60}\n"
        "  - {id: S-SHORT, title: b, kind: system-build, duration_weeks: 10}\n"
    )
    merged = plan.model_copy(
        update={"stages": [s.model_copy(update={"id": f"hr:{s.id}"}) for s in plan.stages]}
    )
    data = problem(merged, dict.fromkeys(range(2027, 2031), 1.0), members=[("hr", plan)])
    assert data.reach == (0, 1)
    assert data.held[0] == "its plan's yearly budget lines end in 2028"


def test_a_stage_free_of_dates_moves_at_most_ten_years() -> None:
    plan = _plan("stages:\n  - {id: S-A, title: a, kind: system-build, duration_weeks: 10}\n")
    data = problem(plan, dict.fromkeys(range(2027, 2050), 1.0))
    assert data.reach == (10,) and data.held == ("it may move at most 10 years",)


def test_the_same_day_years_later() -> None:
    import datetime as dt

    from cio_kit.portfolio.optimize import _years_later

    assert _years_later(dt.date(2028, 2, 29), 1) == dt.date(2029, 2, 28)  # no 29 February in 2029
    assert _years_later(dt.date(2028, 2, 29), 4) == dt.date(2032, 2, 29)
    assert _years_later(dt.date(9998, 3, 1), 1) == dt.date(9999, 3, 1)
    assert _years_later(dt.date(9999, 3, 1), 1) == dt.date.max  # the calendar's last day


def test_when_every_stage_is_dropped_no_work_is_left_to_finish(cli: Any, write_plan: Any) -> None:
    write_plan(
        HEAD + "stages:\n  - {id: S-A, title: a, kind: system-build, duration_weeks: 4,"
        " budget: [{amount: 500, class: grow, category: software}]}\n",
        name="plans/p.yaml",
    )
    result = cli("portfolio", "optimize", "--envelope", "2027=100", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["deferred"] == ["p:S-A"] and document["finish_after"] is None
