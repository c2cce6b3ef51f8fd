"""Mermaid output read by the real Mermaid 11 in headless Chromium: what it draws is what we meant.

Needs Node.js, ``npm ci --prefix tests/js`` (Mermaid and playwright-core) and
Chromium (Debian's ``chromium``); `.ci/run` installs them. Skipped, with the
reason, when one is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cio_kit.analysis.schedule import compute
from cio_kit.plan.model import Plan
from cio_kit.render import roadmap

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
    pytest.mark.skipif(
        not (HERE / "js" / "node_modules" / "mermaid").exists(),
        reason="Mermaid is not installed: run npm ci --prefix tests/js",
    ),
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)"),
]


def mermaid_reads(*texts: str) -> list[dict[str, Any]]:
    """What the real Mermaid makes of each text."""
    result = subprocess.run(
        ["node", str(HERE / "js" / "mermaid-check.mjs")],
        input=json.dumps(list(texts)),
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CHROMIUM": str(CHROMIUM)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    read: list[dict[str, Any]] = json.loads(result.stdout)
    return read


def plan_of(titles: list[str], ids: list[str] | None = None, name: str = "Example Co") -> Plan:
    ids = ids or [f"S-{n}" for n in range(len(titles))]
    stages = [
        {"id": ident, "title": title, "kind": "training", "duration_weeks": 1 + n,
         **({"depends_on": [ids[n - 1]]} if n % 2 else {})}
        for n, (ident, title) in enumerate(zip(ids, titles, strict=True))
    ]  # fmt: skip
    return Plan.model_validate(
        {"cio_kit": 1, "enterprise": {"name": name, "plan_start": "2027-01-04"}, "stages": stages}
    )


def assert_drawn_as_scheduled(plan: Plan, read: dict[str, Any]) -> None:
    assert read["ok"], read.get("error")
    assert read["dateFormat"] == "YYYY-MM-DD" and read["excludes"] == []
    schedule = compute(plan)
    assert sorted(task["id"] for task in read["tasks"]) == sorted(f"t{n}" for n in range(len(plan.stages)))
    for task in read["tasks"]:
        timing = schedule.timings[int(task["id"][1:])]  # task ids are t<position in the plan>
        stage = plan.stages[timing.index]
        start = schedule.date(timing.earliest_start)
        end = schedule.date(timing.earliest_finish)
        assert (task["start"], task["end"]) == (str(start), str(end)), (stage.id, task)
        assert task["task"].replace("\u200b", "").strip() == " ".join(stage.title.split()), task


def test_every_golden_mermaid_file_is_read_as_written() -> None:
    goldens = sorted((HERE / "golden").glob("*.mmd"))
    assert goldens
    for path, read in zip(goldens, mermaid_reads(*(p.read_text() for p in goldens)), strict=True):
        assert read["ok"], (path.name, read.get("error"))
        assert read["tasks"], path.name


def test_titles_that_start_with_mermaid_keywords_stay_titles() -> None:
    titles = [
        "Click S-A to open the charter",
        "topAxis board",
        "Excludes weekends from the SLA clock",
        "Section 2 starts here",
        "Title Everything is on track",
        "dateFormat DD",
        "todayMarker off",
        "%% hidden comment",
        "includes saturday",
        "axisFormat %d",
        "inclusiveEndDates",
        "weekday monday",
    ]
    plan = plan_of(titles, name="<b>Bold</b> Co")
    [read] = mermaid_reads(roadmap.to_mermaid(plan, compute(plan)))
    assert read["ok"], read.get("error")
    assert read["title"] == "‹b›Bold‹/b› Co roadmap"
    # '%' is dropped (it would start a comment); the rest is shown as written, on the planned dates.
    percentless = plan.model_copy(
        update={"stages": [s.model_copy(update={"title": s.title.replace("%", " ")}) for s in plan.stages]}
    )
    assert_drawn_as_scheduled(percentless, read)


def test_ids_that_differ_only_in_punctuation_keep_their_own_dates() -> None:
    plan = plan_of(["First", "Second", "Third", "Fourth"], ids=["S.A", "S_A", "S-A", "SA"])
    [read] = mermaid_reads(roadmap.to_mermaid(plan, compute(plan)))
    assert_drawn_as_scheduled(plan, read)


def test_axis_labels_do_not_repeat_on_short_or_long_plans() -> None:
    short = plan_of(["Only"])  # one week
    long = plan_of([f"Stage {n}" for n in range(8)])  # months
    for read in mermaid_reads(*(roadmap.to_mermaid(p, compute(p)) for p in (short, long))):
        assert read["ok"], read.get("error")
        ticks = [tick for tick in read["ticks"] if tick]
        assert ticks and len(ticks) == len(set(ticks)), ticks


def test_bundled_plan_is_drawn_as_scheduled() -> None:
    from cio_kit.validate import check_file

    plan = check_file(HERE.parent / "plans" / "hengda-group.yaml", True).plan
    [read] = mermaid_reads(roadmap.to_mermaid(plan, compute(plan)))
    assert_drawn_as_scheduled(plan, read)
    assert read["tasks"][0]["start"] == str(dt.date(2027, 1, 4))
