"""Earned value at the status date: ANSI/EIA-748 figures and Lipke's earned schedule (SPEC §10).

The status date is the data date: progress is as of the *start* of
``status_date``, so planned value and actual time count the days before it.

Scope is the stages' budgets (budget lines are run costs, not earned scope).
The performance measurement baseline (PMB) is the baseline plan's stage
budgets, each spread linearly over its scheduled days ``[start, finish)`` in
the baseline's schedule as written; a milestone is an instant, so its budget
is planned from the start of its day (and a milestone that ends the plan is
in PV at the planned duration, which keeps PV(PD) = BAC).
Without a baseline the plan as written is its own baseline. Day 0 is the
baseline's ``plan_start``.

Formulas (ANSI/EIA-748 as taught by PMI's *Practice Standard for EVM*):

* BAC = Σ baselined stage budgets; PV = PMB(AT), the cumulative planned value
  over days 0..AT−1; EV = Σ BAC_i × percent_i / 100 (``done`` counts 100 %);
  AC = Σ ``actual_cost`` of every stage, cancelled ones included.
* SV = EV − PV, CV = EV − AC, SPI = EV / PV, CPI = EV / AC, EAC = BAC / CPI,
  composite EAC = AC + (BAC − EV) / (CPI × SPI), ETC = EAC − AC,
  VAC = BAC − EAC, TCPI = (BAC − EV) / (BAC − AC). A ratio whose denominator
  is 0 is None, and so is every figure computed from it.
* No figure from nothing (SPEC §16): with no money baselined (BAC = 0) or a
  status date on or before day 0 (AT ≤ 0), ES, SPI(t), SV(t), IEAC(t), SPI
  and CPI are None: there is nothing to measure performance against yet.

Earned schedule (Lipke, 2003): AT = days from day 0 to the status date;
C = the last whole day count with PMB(C) ≤ EV;
ES = C + (EV − PMB(C)) / (PMB(C+1) − PMB(C)) (C where the curve is flat, PD
once EV = BAC); PD = the baseline's duration in days; SPI(t) = ES / AT;
SV(t) = ES − AT; IEAC(t) = PD / SPI(t); the forecast finish is the last day,
day ⌈IEAC(t)⌉ − 1 from day 0.

A stage cancelled since the baseline is *descoped*: its BAC and PV leave the
totals. A live stage absent from the baseline is *unbaselined* and left out of
BAC, PV and EV (its actual cost still counts in AC: the money is spent).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
from dataclasses import dataclass

from cio_kit.analysis.schedule import Schedule, compute
from cio_kit.plan.model import Plan

#: Tolerance for comparing sums of money held as floats.
_EPSILON = 1e-6


class _Performance:
    """SV, CV, SPI and CPI from a figure set's PV, EV and AC (a stage's or the total's)."""

    pv: float
    ev: float
    ac: float

    @property
    def sv(self) -> float:
        """Schedule variance, EV − PV."""
        return self.ev - self.pv

    @property
    def cv(self) -> float:
        """Cost variance, EV − AC."""
        return self.ev - self.ac

    @property
    def spi(self) -> float | None:
        """Schedule performance index, EV / PV."""
        return ratio(self.ev, self.pv)

    @property
    def cpi(self) -> float | None:
        """Cost performance index, EV / AC."""
        return ratio(self.ev, self.ac)


@dataclass(frozen=True)
class StageValue(_Performance):
    """Earned-value figures of one baselined stage."""

    id: str
    """Stage id."""
    bac: float
    """Budget at completion: the stage's budget in the baseline."""
    pv: float
    """Planned value at the status date."""
    ev: float
    """Earned value: BAC × percent complete."""
    ac: float
    """Actual cost reported so far (0 when none)."""
    etc: float = 0.0
    """What the rest will cost: its ``etc`` when given, else its budget not yet earned (0 when done)."""


@dataclass(frozen=True)
class CurvePoint:
    """One point of the cumulative PV / EV / AC curve."""

    date: dt.date
    """The day the point is measured at (month ends include that day)."""
    pv: float
    """Cumulative planned value."""
    ev: float | None
    """Cumulative earned value (known only at the status date)."""
    ac: float | None
    """Cumulative actual cost (known only at the status date)."""


@dataclass(frozen=True)
class EarnedValue(_Performance):
    """The earned-value report of a plan at its status date."""

    plan: str
    """Enterprise name."""
    currency: str
    """Currency of every amount."""
    status_date: dt.date
    """The data date."""
    baseline: str | None
    """Where the baseline came from (a ref or a file), or None: the plan as written."""
    bac: float
    """Budget at completion."""
    pv: float
    """Planned value at the status date."""
    ev: float
    """Earned value."""
    ac: float
    """Actual cost."""
    pd_days: int
    """Planned duration of the baseline in days."""
    at_days: int
    """Actual time: days from day 0 to the status date."""
    es_days: float
    """Earned schedule in days."""
    day0: dt.date
    """The baseline's ``plan_start``."""
    stages: tuple[StageValue, ...]
    """Per baselined stage, in file order."""
    curve: tuple[CurvePoint, ...]
    """Month ends and the status date, in date order."""
    descoped: tuple[str, ...]
    """Stages cancelled since the baseline."""
    unbaselined: tuple[str, ...]
    """Live stages the baseline does not have."""

    @property
    def measurable(self) -> bool:
        """Money is baselined and the status date is past day 0: performance can be measured."""
        return self.bac > _EPSILON and self.at_days > 0

    @property
    def spi(self) -> float | None:
        """Schedule performance index, EV / PV; None when nothing can be measured yet."""
        return ratio(self.ev, self.pv) if self.measurable else None

    @property
    def cpi(self) -> float | None:
        """Cost performance index, EV / AC; None when nothing can be measured yet."""
        return ratio(self.ev, self.ac) if self.measurable else None

    @property
    def es(self) -> float | None:
        """Earned schedule in days; None when nothing can be measured yet."""
        return self.es_days if self.measurable else None

    @property
    def eac(self) -> float | None:
        """Estimate at completion at the current cost efficiency, BAC / CPI."""
        return ratio(self.bac, self.cpi)

    @property
    def eac_composite(self) -> float | None:
        """Composite EAC, AC + (BAC − EV) / (CPI × SPI(t)): cost and schedule pressure together.

        SPI(t) stands in for SPI (SPEC §18): SPI drifts to 1 as a late project
        ends, SPI(t) does not. Both exist exactly when performance is measurable.
        """
        cpi, spi = self.cpi, self.spi_t
        if cpi is None or spi is None:
            return None
        rest = ratio(self.bac - self.ev, cpi * spi)
        return self.ac + rest if rest is not None else None

    @property
    def eac_bottom_up(self) -> float:
        """Bottom-up EAC: what is spent plus, per unfinished stage, its ``etc`` or its unearned budget."""
        return self.ac + sum(row.etc for row in self.stages)

    @property
    def eac_methods(self) -> dict[str, float]:
        """Each estimate at completion that exists, by its method (SPEC §18)."""
        found = {"cpi": self.eac, "composite": self.eac_composite, "bottom-up": self.eac_bottom_up}
        return {method: value for method, value in found.items() if value is not None}

    @property
    def eac_low(self) -> float:
        """The lowest estimate at completion of the three methods."""
        return min(self.eac_methods.values())

    @property
    def eac_high(self) -> float:
        """The highest estimate at completion of the three methods."""
        return max(self.eac_methods.values())

    @property
    def etc(self) -> float | None:
        """Estimate to complete, EAC − AC."""
        eac = self.eac
        return eac - self.ac if eac is not None else None

    @property
    def vac(self) -> float | None:
        """Variance at completion, BAC − EAC."""
        eac = self.eac
        return self.bac - eac if eac is not None else None

    @property
    def tcpi(self) -> float | None:
        """To-complete performance index, (BAC − EV) / (BAC − AC)."""
        return ratio(self.bac - self.ev, self.bac - self.ac)

    @property
    def spi_t(self) -> float | None:
        """Time-based schedule performance index, ES / AT; None when nothing can be measured yet."""
        return ratio(self.es_days, self.at_days) if self.measurable else None

    @property
    def sv_t_days(self) -> float | None:
        """Time-based schedule variance in days, ES − AT (negative: behind); None as for SPI(t)."""
        return self.es_days - self.at_days if self.measurable else None

    @property
    def ieac_t_days(self) -> float | None:
        """Independent estimate of the duration at completion in days, PD / SPI(t)."""
        return ratio(self.pd_days, self.spi_t)

    @property
    def forecast_finish_date(self) -> dt.date | None:
        """The forecast last day by earned schedule: day ⌈IEAC(t)⌉ − 1 from day 0."""
        ieac = self.ieac_t_days
        if ieac is None:
            return None
        try:
            return self.day0 + dt.timedelta(days=max(math.ceil(ieac - 1e-9) - 1, 0))
        except OverflowError:
            return None


def ratio(numerator: float, denominator: float | None) -> float | None:
    """Numerator / denominator, or None when the denominator is 0 (or unknown)."""
    if denominator is None or abs(denominator) < 1e-12:
        return None
    return numerator / denominator


class PlannedValueCurve:
    """The performance measurement baseline: cumulative planned value by whole day count.

    ``at(d)`` is the planned value of days 0..d−1, so ``at(0) == 0`` and
    ``at(duration) == bac``.
    """

    def __init__(self, baseline: Plan, schedule: Schedule, scope: set[int]) -> None:
        self.duration = schedule.finish
        daily = [0.0] * (self.duration + 2)
        at_boundary = [0.0] * (self.duration + 1)
        for number in sorted(scope):
            timing = schedule.timings[number]
            amount = baseline.stages[number].planned_spend
            if timing.days > 0:
                rate = amount / timing.days
                daily[timing.earliest_start] += rate
                daily[timing.earliest_finish] -= rate
            else:  # a milestone is an instant: its money is planned from the start of its day
                at_boundary[timing.earliest_start] += amount
        cumulative = [at_boundary[0]]
        rate = 0.0
        for day in range(self.duration):
            rate += daily[day]
            cumulative.append(cumulative[-1] + rate + at_boundary[day + 1])
        self._cumulative = cumulative
        self._at_boundary = at_boundary
        self.bac = cumulative[-1]

    def at(self, days: int) -> float:
        """Planned value of days 0..days−1 (and of milestones on day ``days`` itself)."""
        if days < 0:
            return 0.0
        return self._cumulative[min(days, len(self._cumulative) - 1)]

    def through(self, day: int) -> float:
        """Planned value of days 0..day, the day included (for a month-end point)."""
        after = day + 1
        later = self._at_boundary[after] if 0 <= after < len(self._at_boundary) else 0.0
        return self.at(after) - later

    def earned_schedule(self, ev: float) -> float:
        """Lipke's ES: the fractional day count at which the baseline planned to earn ``ev``.

        A baseline without money earns no schedule (ES = 0): there is no curve to read.
        """
        if self.bac <= _EPSILON:
            return 0.0
        if ev < self._cumulative[0]:
            return 0.0  # less than the milestones planned on day 0
        # The last C with PV(C) <= EV (the curve is non-decreasing), 0..duration: all of it is
        # earned once EV reaches BAC.
        count = bisect.bisect_right(self._cumulative, ev + _EPSILON) - 1
        low = self._cumulative[count]
        high = self._cumulative[count + 1] if count < self.duration else low
        if high - low <= _EPSILON:
            return float(count)
        return count + (ev - low) / (high - low)


def earned_value(
    plan: Plan,
    baseline: Plan | None = None,
    baseline_label: str | None = None,
    schedule: Schedule | None = None,
) -> EarnedValue:
    """The earned-value figures of ``plan`` at its status date, against ``baseline`` (default: itself).

    Needs ``enterprise.status_date`` and the baseline's ``plan_start``. ``schedule``
    is the baseline's schedule as written, when the caller has it already.
    """
    status = plan.enterprise.status_date
    reference = baseline if baseline is not None else plan
    day0 = reference.enterprise.plan_start
    if status is None or day0 is None:
        raise ValueError("earned value needs enterprise.status_date and enterprise.plan_start")
    schedule = schedule or compute(reference)
    current = {stage.id: stage for stage in plan.stages}
    in_baseline = {
        stage.id: number for number, stage in enumerate(reference.stages) if stage.status != "cancelled"
    }
    descoped = tuple(
        ident for ident in in_baseline if ident in current and current[ident].status == "cancelled"
    )
    scope = {number for ident, number in in_baseline.items() if ident not in descoped}
    curve = PlannedValueCurve(reference, schedule, scope)
    at_days = (status - day0).days
    rows = []
    for number in sorted(scope):
        planned = reference.stages[number]
        bac = float(planned.planned_spend)
        timing = schedule.timings[number]
        pv = bac * _elapsed_share(timing.earliest_start, timing.days, at_days)
        stage = current.get(planned.id)
        percent = 0.0 if stage is None else 100.0 if stage.status == "done" else stage.percent_complete
        ac = (stage.actual_cost or 0.0) if stage is not None else 0.0
        earned = bac * percent / 100
        rest = (
            0.0
            if percent >= 100
            else stage.etc
            if stage is not None and stage.etc is not None
            else bac - earned
        )
        rows.append(StageValue(planned.id, bac, pv, earned, ac, rest))
    ev = sum(row.ev for row in rows)
    pv = curve.at(at_days)
    actual = sum(stage.actual_cost or 0.0 for stage in plan.stages)
    unbaselined = tuple(
        stage.id for stage in plan.stages if stage.status != "cancelled" and stage.id not in in_baseline
    )
    points = [
        CurvePoint(when, curve.through((when - day0).days), None, None)
        for when in _month_ends(day0, day0 + dt.timedelta(days=schedule.last_day_number))
    ]
    # The status date's own point is measured at the start of its day; a month end on the same
    # date (measured at the end of it) would list that date twice with two planned values.
    points = [point for point in points if point.date != status]
    points.append(CurvePoint(status, pv, ev, actual))
    points.sort(key=lambda point: point.date)
    return EarnedValue(
        plan=plan.enterprise.name,
        currency=plan.enterprise.currency,
        status_date=status,
        baseline=baseline_label,
        bac=curve.bac,
        pv=pv,
        ev=ev,
        ac=actual,
        pd_days=curve.duration,
        at_days=at_days,
        es_days=curve.earned_schedule(ev),
        day0=day0,
        stages=tuple(rows),
        curve=tuple(points),
        descoped=descoped,
        unbaselined=unbaselined,
    )


def _elapsed_share(start: int, days: int, at_days: int) -> float:
    """Share of a stage's budget planned before day ``at_days`` (a milestone's, from its own day)."""
    if days == 0:
        return 1.0 if start <= at_days else 0.0
    return min(max((at_days - start) / days, 0.0), 1.0)


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The last day of every calendar month from ``first``'s month to ``last``'s."""
    ends = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends
