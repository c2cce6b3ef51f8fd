"""Red, amber or green for schedule and cost: one verdict for the board, the portfolio and CI (SPEC §16).

The colours come from the findings of the rules that judge them, SCHED001–
SCHED004 for the schedule and BUDGET007 for cost, whose severities follow the
one set of thresholds (``spi_warn``/``spi_error``, ``cpi_warn``/``cpi_error``).
So a red tile is an error finding, and ``plan validate`` exits 1 whenever a
board shows red on schedule or cost. The reasons are written in plain words
with the figure and the threshold, without the rule's advice to the author.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cio_kit.analysis.evm import EarnedValue
from cio_kit.config import Thresholds
from cio_kit.findings import Finding, Severity, days

SCHEDULE_RULES = ("SCHED002", "SCHED004", "SCHED003", "SCHED001")
"""The rules behind the schedule's colour, the most telling first."""
COST_RULES = ("BUDGET007",)
"""The rule behind the cost's colour."""


@dataclass(frozen=True)
class Verdict:
    """A colour and why."""

    status: str
    """red, amber, green, or grey when the plan lacks the data."""
    reason: str


def _worst(findings: Sequence[Finding], rules: tuple[str, ...]) -> Finding | None:
    """The first error among ``rules``' findings, else the first warning (rule order, then file order)."""
    ranked = sorted(
        (f for f in findings if f.rule in rules and f.severity in (Severity.ERROR, Severity.WARNING)),
        key=lambda f: (f.severity is not Severity.ERROR, rules.index(f.rule), f.line),
    )
    return ranked[0] if ranked else None


def _unmeasured(earned: EarnedValue | None, what: str) -> Verdict | None:
    """Grey when progress cannot be measured, saying what the plan lacks (SPEC §16)."""
    if earned is None:
        return Verdict("grey", f"no status date: add enterprise.status_date to judge {what}")
    if earned.at_days <= 0:
        return Verdict("grey", f"not started: the status date {earned.status_date} is on or before day 0")
    if not earned.measurable:
        return Verdict("grey", "no money baselined: give stages budgets to measure progress")
    return None


def schedule_verdict(
    findings: Sequence[Finding],
    earned: EarnedValue | None,
    thresholds: Thresholds,
    slip: tuple[dt.date, dt.date] | None = None,
) -> Verdict:
    """The schedule's colour: SCHED findings, then a forecast after the plan (``slip``: plan, forecast)."""
    worst = _worst(findings, SCHEDULE_RULES)
    if worst is not None:
        colour = "red" if worst.severity is Severity.ERROR else "amber"
        return Verdict(colour, _schedule_words(worst, earned, thresholds))
    if slip is not None and slip[1] > slip[0]:  # also before a plan starts: it may wait on late work
        late = days((slip[1] - slip[0]).days)
        return Verdict("amber", f"the forecast last day {slip[1]} is {late} after the plan's {slip[0]}")
    grey = _unmeasured(earned, "progress")
    if grey is not None:
        return grey
    assert earned is not None  # not grey: measured
    spi_t = earned.spi_t
    shown = f"SPI(t) {spi_t:.2f}" if spi_t is not None else "no slip"
    return Verdict("green", f"{shown}, at or above {thresholds.spi_warn:.2f}; no stage late")


def _schedule_words(finding: Finding, earned: EarnedValue | None, thresholds: Thresholds) -> str:
    if finding.rule == "SCHED004" and earned is not None and earned.spi_t is not None:
        limit = thresholds.spi_error if finding.severity is Severity.ERROR else thresholds.spi_warn
        return f"SPI(t) {earned.spi_t:.2f} is below {limit:.2f}"
    words = {
        "SCHED001": "late against the plan",
        "SCHED002": "misses a date in the forecast",
        "SCHED003": "has progress data that contradicts itself",
    }
    return f"{finding.subject or 'a stage'} {words.get(finding.rule, 'is off plan')}"


def cost_verdict(findings: Sequence[Finding], earned: EarnedValue | None, thresholds: Thresholds) -> Verdict:
    """The cost's colour: BUDGET007 (CPI against the thresholds, EAC against the envelope)."""
    grey = _unmeasured(earned, "cost")
    if grey is not None:
        return grey
    assert earned is not None  # not grey: measured
    worst = _worst(findings, COST_RULES)
    cpi = earned.cpi
    if worst is not None:
        colour = "red" if worst.severity is Severity.ERROR else "amber"
        if cpi is not None and cpi < thresholds.cpi_warn:
            limit = thresholds.cpi_error if colour == "red" else thresholds.cpi_warn
            return Verdict(colour, f"CPI {cpi:.2f} is below {limit:.2f}")
        reach = (
            "even the lowest estimate at completion"
            if colour == "red"
            else "the highest estimate at completion"
        )
        return Verdict(colour, f"{reach} is over the envelope")
    shown = f"CPI {cpi:.2f}" if cpi is not None else "no cost performed yet"
    return Verdict("green", f"{shown}, at or above {thresholds.cpi_warn:.2f}; within the envelope")
