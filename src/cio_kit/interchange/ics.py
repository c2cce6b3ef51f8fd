"""``export ics``: milestones, deadlines and goal due dates as an iCalendar file (RFC 5545, SPEC §14).

Every event is an all-day event (DTEND the day after). The file depends on
the plan alone: each UID is made of the plan's and the element's ids, and
DTSTAMP is ``status_date`` (else ``plan_start``) at midnight UTC, so the same
plan gives the same bytes and a calendar that subscribes to it updates events
in place instead of duplicating them. No clock is read.
"""

from __future__ import annotations

import datetime as dt

from cio_kit import __version__
from cio_kit.analysis.schedule import Schedule
from cio_kit.plan.model import Plan

_LINE_OCTETS = 75
"""RFC 5545 §3.1: content lines are folded at 75 octets."""


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    escaped = escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    # Other control characters are not allowed in TEXT at all.
    return "".join(ch for ch in escaped if ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))


def _fold(line: str) -> str:
    """One content line, folded at 75 octets without splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > _LINE_OCTETS:
            out.append(current)
            current, size = " ", 1  # a continuation line starts with one space
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def _day(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def to_ics(plan: Plan, schedule: Schedule, plan_id: str) -> str:
    """The calendar: a VEVENT per milestone, per stage deadline and per goal due date."""
    stamp = plan.enterprise.status_date or plan.enterprise.plan_start
    if stamp is None:
        raise ValueError("an iCalendar export needs enterprise.plan_start")
    events: list[tuple[str, dt.date, str, str]] = []  # (uid, day, summary, description)
    for stage, timing in zip(plan.stages, schedule.timings, strict=True):
        if stage.status == "cancelled":
            continue
        if stage.kind == "milestone":
            day = schedule.date(timing.earliest_start)
            if day is not None:
                events.append((f"{stage.id}.milestone", day, f"Milestone: {stage.title}", stage.id))
        if stage.deadline is not None:
            events.append((f"{stage.id}.deadline", stage.deadline, f"Deadline: {stage.title}", stage.id))
    for goal in plan.goals or []:
        if goal.due is not None:
            events.append((f"{goal.id}.due", goal.due, f"Goal due: {goal.title or goal.id}", goal.id))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//cio-kit//cio-kit {__version__}//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text(plan.enterprise.name)}",
    ]
    for uid, day, summary, ident in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_text(f'{plan_id}.{uid}')}@cio-kit",
            f"DTSTAMP:{_day(stamp)}T000000Z",
            f"DTSTART;VALUE=DATE:{_day(day)}",
            f"DTEND;VALUE=DATE:{_day(day + dt.timedelta(days=1))}" if day < dt.date.max else "",
            f"SUMMARY:{_text(summary)}",
            f"DESCRIPTION:{_text(f'{plan.enterprise.name}: {ident}')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines if line)
