"""``export ics`` byte by byte: RFC 5545's escaping, folding and structure, worked by hand."""

from __future__ import annotations

import pytest

from cio_kit import __version__
from cio_kit.analysis.schedule import compute
from cio_kit.interchange.ics import _fold, _text, to_ics
from cio_kit.plan.loader import load_bytes
from cio_kit.plan.model import Plan


def _plan(text: str) -> Plan:
    loaded = load_bytes(text.encode("utf-8"), "plan.yaml")
    assert loaded.plan is not None, loaded.findings
    return loaded.plan


def test_text_escapes_what_rfc_5545_reserves_and_drops_control_characters() -> None:
    # §3.3.11: backslash first (so the escapes added after it are not doubled), then ; and ,;
    # every kind of line break becomes \n; a tab stays; other controls (C0 and DEL) go.
    assert _text("a\\b;c,d") == "a\\\\b\\;c\\,d"
    assert _text("one\r\ntwo\nthree\rfour") == "one\\ntwo\\nthree\\nfour"
    assert _text("tab\there\x00\x1f\x7f end\x80") == "tab\there end\x80"


def test_fold_breaks_at_75_octets_with_a_one_space_continuation() -> None:
    assert _fold("x" * 75) == "x" * 75  # exactly 75 octets: one line
    assert _fold("x" * 76) == "x" * 75 + "\r\n x"
    # A continuation line holds the space and 74 more octets.
    assert _fold("x" * 150) == "x" * 75 + "\r\n " + "x" * 74 + "\r\n x"
    # A three-octet character that would cross the limit moves whole to the next line.
    assert _fold("x" * 73 + "稼") == "x" * 73 + "\r\n 稼"
    assert _fold("x" * 72 + "稼") == "x" * 72 + "稼"


PLAN = """\
cio_kit: 1
enterprise: {name: Acme, plan_start: 2027-01-04}
goals:
  - {id: G-A, title: Cut cost, due: 2027-12-31}
stages:
  - {id: S-X, title: Dropped, kind: training, duration_weeks: 1, status: cancelled, deadline: 2027-01-08}
  - {id: S-A, title: Build, kind: training, duration_weeks: 2, deadline: 9999-12-31}
  - {id: M-A, title: Live, kind: milestone, depends_on: [S-A]}
"""


def test_the_calendar_is_these_bytes() -> None:
    # A cancelled stage first gives no event and does not stop the rest; S-A's deadline on the
    # last representable day has no DTEND (there is no day after it); M-A falls on day 14,
    # 2027-01-18; DTSTAMP is plan_start at midnight UTC, as there is no status date.
    plan = _plan(PLAN)
    lines = to_ics(plan, compute(plan), "acme").split("\r\n")
    event = ["BEGIN:VEVENT", "DTSTAMP:20270104T000000Z"]
    assert lines == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//cio-kit//cio-kit {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Acme",
        event[0],
        "UID:acme.S-A.deadline@cio-kit",
        event[1],
        "DTSTART;VALUE=DATE:99991231",
        "SUMMARY:Deadline: Build",
        "DESCRIPTION:Acme: S-A",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        event[0],
        "UID:acme.M-A.milestone@cio-kit",
        event[1],
        "DTSTART;VALUE=DATE:20270118",
        "DTEND;VALUE=DATE:20270119",
        "SUMMARY:Milestone: Live",
        "DESCRIPTION:Acme: M-A",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        event[0],
        "UID:acme.G-A.due@cio-kit",
        event[1],
        "DTSTART;VALUE=DATE:20271231",
        "DTEND;VALUE=DATE:20280101",
        "SUMMARY:Goal due: Cut cost",
        "DESCRIPTION:Acme: G-A",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_a_calendar_needs_a_plan_start() -> None:
    plan = _plan(PLAN.replace(", plan_start: 2027-01-04", ""))
    with pytest.raises(ValueError, match=r"^an iCalendar export needs enterprise\.plan_start$"):
        to_ics(plan, compute(plan), "acme")
