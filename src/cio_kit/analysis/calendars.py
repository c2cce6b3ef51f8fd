"""Working calendars and resource time (SPEC §11).

A day is a working day of a calendar when it is listed in ``working_days``, or
its weekday is in ``workdays`` and it is neither a listed holiday nor a public
holiday of ``country`` (from the ``holidays`` library). A resource works on
its calendar's working days (its own calendar, else ``enterprise.calendar``,
else every day) at its full ``capacity``.

Days are numbered from ``plan_start`` as in the schedule. People and
person-days are kept as exact fractions, so capacity and demand are compared
without a tolerance.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from fractions import Fraction

from cio_kit.plan.model import WEEKDAYS, Calendar, HolidayRange, Plan, Resource, Stage

#: An effort-driven stage that cannot finish within this many days of its earliest start is RES003.
EFFORT_LIMIT_DAYS = 3653


def exact(value: float) -> Fraction:
    """A number from the plan as the fraction it was written as (0.1 is 1/10, not a binary float)."""
    return plain(Fraction(repr(value)))


def plain(value: Fraction) -> Fraction:
    """A whole number as an int (exact, and compared many times faster than a Fraction)."""
    return value.numerator if value.denominator == 1 else value  # type: ignore[return-value]


class WorkingDays:
    """Which days from ``plan_start`` a calendar works; extended a year at a time."""

    def __init__(self, calendar: Calendar | None, start: dt.date) -> None:
        self.calendar = calendar
        self.start = start
        self.mask = bytearray()
        self.before = [0]  # working days before each day: count() in constant time
        self._days_off: set[dt.date] = set()
        self._working: set[dt.date] = set()
        self._public_years: set[int] = set()
        # Ranges stay ranges, merged and sorted, and are walked beside the days: a range over
        # centuries costs no more than a week off.
        self._ranges: list[tuple[dt.date, dt.date]] = []
        if calendar is not None:
            spans = []
            for entry in calendar.holidays:
                if isinstance(entry, HolidayRange):
                    if entry.start <= entry.to:
                        spans.append((entry.start, entry.to))
                else:
                    self._days_off.add(entry)
            for first, last in sorted(spans):
                if self._ranges and first <= self._ranges[-1][1] + dt.timedelta(days=1):
                    self._ranges[-1] = (self._ranges[-1][0], max(last, self._ranges[-1][1]))
                else:
                    self._ranges.append((first, last))
            self._working = set(calendar.working_days)
            self._weekdays = {WEEKDAYS.index(name) for name in calendar.workdays}

    @property
    def last(self) -> int:
        """The day number of 9999-12-31: no day after it works, whatever the calendar."""
        return (dt.date.max - self.start).days

    def working(self, day: int) -> bool:
        """Whether day number ``day`` is a working day."""
        if day > self.last:
            return False
        if self.calendar is None:
            return True
        if day >= len(self.mask):
            self._extend(day + 1)
        return bool(self.mask[day])

    def _extend(self, length: int) -> None:
        # Grow by at least a year, so a long scan does not rebuild a day at a time.
        target = max(length, len(self.mask) + 366)
        first = self.start + dt.timedelta(days=len(self.mask))
        last = self.start + dt.timedelta(days=min(target, (dt.date.max - self.start).days + 1) - 1)
        self._public(first.year, last.year)
        ranges = self._ranges
        at = bisect.bisect_left(ranges, (first, first)) - 1 if ranges else 0
        at = max(at, 0)
        day = first
        added = bytearray()
        while day <= last:
            while at < len(ranges) and ranges[at][1] < day:
                at += 1
            in_range = at < len(ranges) and ranges[at][0] <= day
            added.append(
                day in self._working
                or (day.weekday() in self._weekdays and day not in self._days_off and not in_range)
            )
            if day == dt.date.max:
                break
            day += dt.timedelta(days=1)
        self.mask += added
        total = self.before[-1]
        for working in added:
            total += working
            self.before.append(total)

    def _public(self, first: int, last: int) -> None:
        """Add the country's public holidays for the years not yet added."""
        country = self.calendar.country if self.calendar else None
        years = [year for year in range(first, last + 1) if year not in self._public_years]
        if country is None or not years:
            return
        import holidays  # a few hundred milliseconds: only plans with a country pay for it

        self._days_off.update(holidays.country_holidays(country, years=years))
        self._public_years.update(years)

    def count(self, first: int, end: int) -> int:
        """Working days in ``[first, end)``."""
        end = min(end, self.last + 1)
        if end <= first:
            return 0
        if self.calendar is None:
            return end - first
        self.working(end - 1)
        return self.before[end] - self.before[first]


class Team:
    """A resource's working days and capacity."""

    def __init__(self, resource: Resource, days: WorkingDays) -> None:
        self.resource = resource
        self.days = days
        self.capacity = exact(resource.capacity)

    def capacity_row(self, days: int) -> list[Fraction]:
        """People available on each of the first ``days`` days."""
        if days <= 0:
            return []
        within = min(days, self.days.last + 1)  # no day after 9999-12-31 has capacity
        if self.days.calendar is None:
            row = [self.capacity] * within
        else:
            self.days.working(within - 1)
            row = [self.capacity if working else 0 for working in self.days.mask[:within]]  # type: ignore[misc]
        return row + [0] * (days - within)  # type: ignore[list-item]

    def delivered(self, effort: Fraction, start: int, limit: int) -> int | None:
        """The working day on which ``effort`` is done, at full capacity from ``start``.

        None when that is not before ``limit``.
        """
        needed, day = math.ceil(Fraction(effort) / self.capacity), start
        if self.days.count(start, limit) < needed:  # known from the prefix sums, without a walk
            return None
        while day < limit:
            if self.days.working(day):
                needed -= 1
                if not needed:
                    return day
            day += 1
        return None


class Teams:
    """Every resource of a plan, with its calendar."""

    def __init__(self, plan: Plan) -> None:
        start = plan.enterprise.plan_start
        if start is None:
            raise ValueError("calendars and resources need enterprise.plan_start")
        calendars = {calendar.id: calendar for calendar in plan.calendars or []}
        shared: dict[str | None, WorkingDays] = {}
        self.teams: dict[str, Team] = {}
        for resource in plan.resources or []:
            name = resource.calendar or plan.enterprise.calendar
            if name not in shared:
                shared[name] = WorkingDays(calendars.get(name) if name else None, start)
            self.teams[resource.id] = Team(resource, shared[name])

    def effort_span(self, stage: Stage, earliest: int) -> tuple[int, int] | None:
        """An effort-driven stage's (start, finish) from ``earliest``, or None past the limit (RES003).

        It starts on the first day one of its resources works; each resource
        works whole working days at full capacity until its effort is delivered;
        the stage ends with the last one.
        """
        teams = [(self.teams[name], exact(effort)) for name, effort in (stage.effort or {}).items()]
        limit = earliest + EFFORT_LIMIT_DAYS
        if not any(team.days.count(earliest, limit) for team, _ in teams):
            return None  # nobody works in the window: no need to walk it
        start = earliest  # someone works before the limit, so this walk ends within it
        while not any(team.days.working(start) for team, _ in teams):
            start += 1
        finish = start
        for team, effort in teams:
            last = team.delivered(effort, start, limit)
            if last is None:
                return None
            finish = max(finish, last + 1)
        return start, finish

    def bookings(self, stage: Stage, start: int, finish: int) -> list[tuple[str, Fraction, int, int]]:
        """What the stage asks of each resource: (resource, people per working day, first day, end day).

        Days count from the stage's start. An effort-driven stage takes each
        resource's full capacity on its working days until the effort is done,
        the last day only what remains; a stage with a duration spreads each
        effort evenly over the resource's working days in it.
        """
        booked: list[tuple[str, Fraction, int, int]] = []
        for name, effort in (stage.effort or {}).items():
            team, amount = self.teams[name], exact(effort)
            if stage.effort_driven:
                last = team.delivered(amount, start, finish)
                if last is None:  # past the limit (RES003): the stage has no length to book
                    continue
                rest = amount - team.capacity * (math.ceil(Fraction(amount) / team.capacity) - 1)
                if rest == team.capacity:
                    booked.append((name, team.capacity, 0, last + 1 - start))
                else:
                    booked.append((name, team.capacity, 0, last - start))
                    booked.append((name, plain(rest), last - start, last + 1 - start))
            else:
                days = team.days.count(start, finish)
                if days:
                    booked.append((name, plain(Fraction(amount) / days), 0, finish - start))
        return booked
