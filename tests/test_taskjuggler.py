"""The schedule agrees day for day with TaskJuggler's ASAP schedule (SPEC §6).

Runs only where ``tj3`` is installed (Debian package ``tj3``; .ci/run tries
to install it). Stages become tasks with ``duration Nd`` and ``depends``;
date constraints are left out, since TaskJuggler has no direct equivalent.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from cio_kit.analysis.schedule import compute
from cio_kit.plan.loader import load_plan
from cio_kit.plan.model import Plan

pytestmark = pytest.mark.skipif(shutil.which("tj3") is None, reason="TaskJuggler (tj3) is not installed")

BUNDLED = Path(__file__).resolve().parent.parent / "plans" / "hengda-group.yaml"


def _tj_id(ident: str) -> str:
    return "t_" + "".join(c if c.isalnum() else "_" for c in ident)


def run_tj3(lines: list[str], folder: Path) -> dict[str, tuple[str, str]]:
    """Schedule a TaskJuggler project with tj3: each task's id, first day and end, as tj3 reports them."""
    lines = [*lines, 'taskreport out "out" { formats csv columns id, start, end }']
    (folder / "plan.tjp").write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run(["tj3", "--no-color", "plan.tjp"], cwd=folder, check=True, capture_output=True)
    with (folder / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    return {row[0]: (row[1], row[2]) for row in rows}


def _taskjuggler_dates(plan: Plan, folder: Path) -> dict[str, tuple[str, str]]:
    lines = [f'project p "p" {plan.enterprise.plan_start} +600w {{\n  timezone "UTC"\n}}']
    for stage in plan.stages:
        depends = ", ".join(_tj_id(d) for d in stage.depends_on)
        body = f"depends {depends} " if depends else ""
        body += "milestone" if stage.days == 0 else f"duration {stage.days}d"
        lines.append(f'task {_tj_id(stage.id)} "{stage.id}" {{ {body} }}')
    return run_tj3(lines, folder)


def _without_constraints(plan: Plan) -> Plan:
    data: dict[str, Any] = plan.model_dump(by_alias=True, exclude_none=True)
    decisions = {decision["id"] for decision in data.pop("decisions", [])}  # a taken one is a date floor
    for stage in data["stages"]:
        stage.pop("not_before", None)
        stage.pop("date", None)
        stage["depends_on"] = [ref for ref in stage["depends_on"] if ref not in decisions]
    return Plan.model_validate(data)


def _compare(plan: Plan, folder: Path) -> None:
    expected = _taskjuggler_dates(plan, folder)
    schedule = compute(plan)
    for timing in schedule.timings:
        ours = (str(schedule.date(timing.earliest_start)), str(schedule.date(timing.earliest_finish)))
        assert ours == expected[_tj_id(timing.id)], timing.id


def test_bundled_plan_matches_taskjuggler(tmp_path: Path) -> None:
    _compare(_without_constraints(load_plan(BUNDLED, explicit=True).plan), tmp_path)


def test_random_network_matches_taskjuggler(tmp_path: Path) -> None:
    chooser = random.Random(11)
    stages = []
    for number in range(80):
        preds = chooser.sample(range(number), k=min(number, chooser.randint(0, 3)))
        stage: dict[str, Any] = {"id": f"S-{number}", "title": "x", "kind": "training"}
        if chooser.random() < 0.1:
            stage["kind"] = "milestone"
        else:
            stage["duration_weeks"] = chooser.choice([0.5, 1, 1.5, 2.25, 3, 7, 10.3])
        stage["depends_on"] = [f"S-{p}" for p in preds]
        stages.append(stage)
    plan = Plan.model_validate(
        {"cio_kit": 1, "enterprise": {"name": "T", "plan_start": "2027-03-01"}, "stages": stages}
    )
    _compare(plan, tmp_path)


def test_forecast_matches_taskjuggler(tmp_path: Path) -> None:
    """Done stages fixed at their actual dates, in-progress ones at their remaining share, the rest ASAP
    after their predecessors and not before status_date (a TaskJuggler milestone all of them depend on)."""
    plan = _without_constraints(load_plan(BUNDLED, explicit=True).plan)
    schedule = compute(plan, forecast=True)
    status = plan.enterprise.status_date
    lines = [f'project p "p" {plan.enterprise.plan_start} +600w {{\n  timezone "UTC"\n}}']
    lines.append(f'task now "status date" {{ start {status} milestone }}')
    for stage in plan.stages:
        # Started work is given to tj3 from the plan's own fields, worked out here, never from our
        # schedule: done stages from their actual dates, in-progress ones from their actual start
        # to the status date plus the remaining share, rounded half up (SPEC §9).
        if stage.status == "done":
            assert stage.actual_start is not None and stage.actual_finish is not None
            body = f"start {stage.actual_start} end {stage.actual_finish + dt.timedelta(days=1)}"
        elif stage.status == "in-progress":
            assert stage.actual_start is not None and stage.duration_weeks is not None and status is not None
            weeks = Decimal(repr(stage.duration_weeks))
            left = (7 * weeks * (1 - Decimal(repr(stage.percent_complete)) / 100)).to_integral_value(
                ROUND_HALF_UP
            )
            body = f"start {stage.actual_start} end {status + dt.timedelta(days=int(left))}"
        else:
            depends = ", ".join(["now", *(_tj_id(d) for d in stage.depends_on)])
            body = f"depends {depends} " + ("milestone" if stage.days == 0 else f"duration {stage.days}d")
        lines.append(f'task {_tj_id(stage.id)} "{stage.id}" {{ {body} }}')
    theirs = run_tj3(lines, tmp_path)
    for timing in schedule.timings:
        ours = (str(schedule.date(timing.earliest_start)), str(schedule.date(timing.earliest_finish)))
        assert ours == theirs[_tj_id(timing.id)], timing.id
