"""``export tjp`` line by line: the pins TaskJuggler needs and no more (tj3 itself reads it in
test_taskjuggler.py)."""

from __future__ import annotations

import pytest

from cio_kit.analysis.schedule import compute
from cio_kit.interchange.tjp import to_tjp
from cio_kit.plan.loader import load_bytes

PLAN = """\
cio_kit: 1
enterprise: {name: Acme, plan_start: 2027-01-04}
stages:
  - {id: S-A, title: On day one, kind: training, duration_weeks: 1, not_before: 2027-01-04}
  - {id: S-B, title: Later, kind: training, duration_weeks: 1, not_before: 2027-01-05}
"""


def test_only_a_floor_after_the_plan_start_is_pinned() -> None:
    # S-A may not start before the plan starts, which every task already may not: no pin. S-B's
    # floor is a day later, so it waits on a milestone pinned to that day.
    loaded = load_bytes(PLAN.encode(), "plan.yaml")
    assert loaded.plan is not None
    tasks = [
        line for line in to_tjp(loaded.plan, compute(loaded.plan)).splitlines() if line.startswith("task ")
    ]
    assert tasks == [
        'task s0 "On day one" {',
        'task s1_from "not before" { start 2027-01-05 milestone }',
        'task s1 "Later" {',
    ]


def test_a_taskjuggler_project_needs_a_plan_start() -> None:
    loaded = load_bytes(PLAN.replace(", plan_start: 2027-01-04", "").encode(), "plan.yaml")
    assert loaded.plan is not None
    with pytest.raises(ValueError, match=r"^a TaskJuggler export needs enterprise\.plan_start$"):
        to_tjp(loaded.plan, compute(loaded.plan))
