"""The readiness report's three outputs on a plan built for them (SPEC §7).

Two stages can start now (both named in "Next up"), one waits, one is blocked,
one is done; one group has an ADKAR profile, one has none (shown as dashes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from cio_kit.render import readiness as views
from cio_kit.reports.readiness import Readiness, readiness
from cio_kit.validate import check_file
from tests.conftest import printed

PLAN = """\
cio_kit: 1
enterprise: {name: T}
stakeholders:
  - {id: SG-SHOP, adkar: {awareness: 4, desire: 3, knowledge: 5, ability: 4, reinforcement: 2}}
  - {id: SG-NONE}
stages:
  - {id: S-DONE, title: D, kind: infrastructure, duration_weeks: 1, owner: X, status: done,
     budget: [{amount: 1000.004, class: grow, category: hardware}]}
  - {id: S-ONE, title: One, kind: infrastructure, duration_weeks: 1, owner: X, depends_on: [S-DONE],
     budget: [{amount: 1234.567, class: grow, category: hardware}]}
  - {id: S-TWO, title: Two, kind: infrastructure, duration_weeks: 1, owner: X,
     budget: [{amount: 10, class: grow, category: hardware}]}
  - {id: S-WAIT, title: W, kind: infrastructure, duration_weeks: 1, owner: X, depends_on: [S-ONE],
     budget: [{amount: 10, class: grow, category: hardware}]}
  - {id: S-STUCK, title: S, kind: training, duration_weeks: 1, owner: X, status: blocked, affects: [SG-NONE]}
"""


@pytest.fixture
def report(write_plan: Callable[..., Path]) -> Readiness:
    plan = check_file(write_plan(PLAN), True).plan
    assert plan is not None
    return readiness(plan)


def _text(report: Readiness, colour: bool = False) -> str:
    return printed(lambda console: views.readiness_text(report, console), colour=colour)


def test_every_stage_that_can_start_is_next_up(report: Readiness) -> None:
    assert [stage.id for stage in report.next_up] == ["S-ONE", "S-TWO"]
    assert "\n**Next up:** S-ONE, S-TWO\n" in views.readiness_markdown(report)
    assert "\nNext up: S-ONE, S-TWO\n" in _text(report)


def test_a_group_without_a_profile_shows_five_dashes(report: Readiness) -> None:
    markdown = views.readiness_markdown(report)
    assert "| SG-SHOP | 4 | 3 | 5 | 4 | 2 | desire |  |" in markdown
    assert "| SG-NONE | – | – | – | – | – | — |  |" in markdown
    rows = {
        line.split()[0]: line.replace("│", " ").split()
        for line in _text(report).splitlines()
        if line.startswith("SG-")
    }
    assert rows["SG-NONE"][:7] == ["SG-NONE", "–", "–", "–", "–", "–", "—"]
    assert rows["SG-SHOP"][:7] == ["SG-SHOP", "4", "3", "5", "4", "2", "desire"]


def test_adkar_scores_are_red_to_three_and_green_above(report: Readiness) -> None:
    text = _text(report, colour=True)
    scores = re.findall(r"\x1b\[(\d+)m(\d)\x1b\[0m", text)
    assert scores == [("32", "4"), ("31", "3"), ("32", "5"), ("32", "4"), ("31", "2")]


def test_json_keeps_budgets_to_the_cent(report: Readiness) -> None:
    stages = {s["id"]: s for s in json.loads(views.readiness_json(report))["stages"]}
    assert stages["S-ONE"]["budget"] == 1234.57
    assert stages["S-DONE"]["budget"] == 1000.0


def test_past_the_screenful_the_stages_that_cannot_start_come_first_in_file_order(
    report: Readiness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def shown() -> list[str]:
        return [line.split()[0] for line in _text(report).splitlines() if line.startswith("S-")]

    monkeypatch.setattr(views, "TEXT_ROWS", 5)  # all five fit: nothing is left out
    assert shown() == ["S-DONE", "S-ONE", "S-TWO", "S-WAIT", "S-STUCK"]
    assert "more stages" not in _text(report)
    monkeypatch.setattr(views, "TEXT_ROWS", 3)
    # Blocked, then waiting, then ready (the first ready by file order), in the order of the file.
    assert shown() == ["S-ONE", "S-WAIT", "S-STUCK"]
    assert "… and 2 more stages: --format json or markdown lists every one\n" in _text(report)
    assert "\x1b[1m… and 2 more stages" in _text(report, colour=True)  # bold: the table is not all
    monkeypatch.setattr(views, "TEXT_ROWS", 1)
    assert shown() == ["S-STUCK"]
    assert "… and 4 more stages" in _text(report)
