"""The schedule's and cost's colours and reasons, one verdict for the board, the portfolio and CI (SPEC §16).

Worked by hand from the findings and earned value given, with the default thresholds: SPI(t) and CPI
amber below 0.95; SPI(t) red below 0.85, CPI red below 0.90.
"""

from __future__ import annotations

import datetime as dt

from cio_kit.analysis.evm import EarnedValue
from cio_kit.config import Thresholds
from cio_kit.findings import Finding, Severity
from cio_kit.reports.status import Verdict, cost_verdict, schedule_verdict

LIMITS = Thresholds()
STATUS = dt.date(2027, 3, 1)


def earned(
    ev: float = 40, pv: float = 50, ac: float = 50, at_days: int = 10, es_days: float = 8
) -> EarnedValue:
    """Earned value with a 100 budget: by default EV 40 of PV 50 (SPI 0.8) for AC 50 (CPI 0.8), ES 8
    of AT 10 days (SPI(t) 0.8)."""
    return value(100.0, pv, ev, ac, at_days, es_days)


def value(bac: float, pv: float, ev: float, ac: float, at_days: int, es_days: float) -> EarnedValue:
    return EarnedValue(
        plan="P", currency="EUR", status_date=STATUS, baseline=None, bac=bac, pv=pv, ev=ev, ac=ac,
        pd_days=20, at_days=at_days, es_days=es_days, day0=dt.date(2027, 2, 1), stages=(), curve=(),
        descoped=(), unbaselined=(),
    )  # fmt: skip


def finding(rule: str, severity: Severity, line: int = 5, subject: str | None = "S-A") -> Finding:
    return Finding("plan.yaml", line, 1, rule, "stages[0]", "advice to the author", severity, subject)


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def test_the_schedule_takes_its_worst_finding_in_plain_words() -> None:
    late = finding("SCHED001", WARNING)
    assert schedule_verdict([late], earned(), LIMITS) == Verdict("amber", "S-A late against the plan")
    missed = finding("SCHED002", ERROR, subject="S-B")
    assert schedule_verdict([missed], earned(), LIMITS) == Verdict("red", "S-B misses a date in the forecast")
    muddled = finding("SCHED003", WARNING, subject=None)
    assert schedule_verdict([muddled], earned(), LIMITS) == Verdict(
        "amber", "a stage has progress data that contradicts itself"
    )
    # SCHED004 gives SPI(t) against the threshold its severity crossed: 0.80 is below 0.85 (red) ...
    slow = finding("SCHED004", ERROR)
    assert schedule_verdict([slow], earned(), LIMITS) == Verdict("red", "SPI(t) 0.80 is below 0.85")
    # ... and as a warning, below 0.95; without a measured SPI(t) it is only "off plan".
    slow = finding("SCHED004", WARNING)
    assert schedule_verdict([slow], earned(), LIMITS) == Verdict("amber", "SPI(t) 0.80 is below 0.95")
    assert schedule_verdict([slow], None, LIMITS) == Verdict("amber", "S-A is off plan")
    # An error wins over a warning listed first; among equals, the rule order, then the line.
    assert schedule_verdict([late, missed], earned(), LIMITS).status == "red"
    early_late, later_missed = finding("SCHED001", WARNING, 3, "S-X"), finding("SCHED002", WARNING, 9, "S-Y")
    assert schedule_verdict([early_late, later_missed], earned(), LIMITS).reason.startswith("S-Y")
    first, second = finding("SCHED001", WARNING, 3, "S-X"), finding("SCHED001", WARNING, 9, "S-Y")
    assert schedule_verdict([second, first], earned(), LIMITS).reason.startswith("S-X")
    # Findings of other rules, and infos, say nothing about the schedule.
    others = [finding("BUDGET007", ERROR), finding("SCHED001", INFO)]
    assert schedule_verdict(others, earned(at_days=10, es_days=10), LIMITS).status == "green"


def test_a_forecast_after_the_plan_is_amber_then_unmeasured_is_grey_then_green() -> None:
    slip = (dt.date(2027, 6, 30), dt.date(2027, 7, 10))
    assert schedule_verdict([], earned(), LIMITS, slip) == Verdict(
        "amber", "the forecast last day 2027-07-10 is 10 days after the plan's 2027-06-30"
    )
    a_day = (dt.date(2027, 6, 30), dt.date(2027, 7, 1))
    assert schedule_verdict([], earned(), LIMITS, a_day).reason == (
        "the forecast last day 2027-07-01 is 1 day after the plan's 2027-06-30"
    )
    on_time = (dt.date(2027, 6, 30), dt.date(2027, 6, 30))
    measured = earned(at_days=10, es_days=10)
    assert schedule_verdict([], measured, LIMITS, on_time) == Verdict(
        "green", "SPI(t) 1.00, at or above 0.95; no stage late"
    )
    assert schedule_verdict([], None, LIMITS) == Verdict(
        "grey", "no status date: add enterprise.status_date to judge progress"
    )
    assert schedule_verdict([], earned(at_days=0), LIMITS) == Verdict(
        "grey", "not started: the status date 2027-03-01 is on or before day 0"
    )
    unbudgeted = value(0.0, 0, 0, 0, 10, 8)
    assert schedule_verdict([], unbudgeted, LIMITS) == Verdict(
        "grey", "no money baselined: give stages budgets to measure progress"
    )


def test_cost_reads_cpi_and_the_envelope() -> None:
    overrun = finding("BUDGET007", ERROR)
    # CPI 0.80: below 0.90, so the red reason is the CPI against the red threshold ...
    assert cost_verdict([overrun], earned(), LIMITS) == Verdict("red", "CPI 0.80 is below 0.90")
    # ... and an amber one against the amber threshold.
    assert cost_verdict([finding("BUDGET007", WARNING)], earned(), LIMITS) == Verdict(
        "amber", "CPI 0.80 is below 0.95"
    )
    # With CPI at 0.95 or more the finding is about the envelope: the lowest EAC over it is red,
    # the highest over it amber.
    thrifty = earned(ac=40)  # CPI 1.00
    assert cost_verdict([overrun], thrifty, LIMITS) == Verdict(
        "red", "even the lowest estimate at completion is over the envelope"
    )
    assert cost_verdict([finding("BUDGET007", WARNING)], thrifty, LIMITS) == Verdict(
        "amber", "the highest estimate at completion is over the envelope"
    )
    assert cost_verdict([finding("SCHED002", ERROR)], thrifty, LIMITS) == Verdict(
        "green", "CPI 1.00, at or above 0.95; within the envelope"
    )
    assert cost_verdict([], earned(ac=0), LIMITS) == Verdict(
        "green", "no cost performed yet, at or above 0.95; within the envelope"
    )
    assert cost_verdict([], None, LIMITS) == Verdict(
        "grey", "no status date: add enterprise.status_date to judge cost"
    )


def test_the_thresholds_are_the_configured_ones() -> None:
    strict = Thresholds(spi_warn=0.99, spi_error=0.9, cpi_warn=0.98, cpi_error=0.97)
    assert (
        schedule_verdict([finding("SCHED004", ERROR)], earned(), strict).reason == "SPI(t) 0.80 is below 0.90"
    )
    assert schedule_verdict([], earned(at_days=10, es_days=10), strict).reason.endswith(
        "above 0.99; no stage late"
    )
    assert cost_verdict([finding("BUDGET007", ERROR)], earned(), strict).reason == "CPI 0.80 is below 0.97"
    assert cost_verdict([finding("BUDGET007", WARNING)], earned(), strict).reason == "CPI 0.80 is below 0.98"


def test_the_boundaries_of_day_one_and_of_the_warning_threshold() -> None:
    # A status date one day after day 0 is measured: SPI(t) 1 day of 1.
    assert schedule_verdict([], earned(at_days=1, es_days=1), LIMITS).status == "green"
    # CPI exactly at 0.95 is not below it: a BUDGET007 warning then speaks of the envelope.
    at_threshold = earned(ev=38, ac=40)  # CPI 0.95
    assert cost_verdict([finding("BUDGET007", WARNING)], at_threshold, LIMITS) == Verdict(
        "amber", "the highest estimate at completion is over the envelope"
    )
