"""``roadmap show``'s views at their edges: the Mermaid axis, the terminal's widths, its first 400 rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from cio_kit.analysis.schedule import compute
from cio_kit.plan.model import Plan
from cio_kit.render import roadmap

from .conftest import load_document, printed

START = dt.date(2027, 1, 4)


def _plan(tmp_path: Path, stages: list[dict[str, Any]], **enterprise: Any) -> Plan:
    document = {
        "cio_kit": 1,
        "enterprise": {"name": "Example Co", "plan_start": START, **enterprise},
        "stages": stages,
    }
    return load_document(document, tmp_path)


def _stage(ident: str, weeks: float = 1, **fields: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "title": f"Work {ident}",
        "kind": "change-management",
        "duration_weeks": weeks,
        "objective": "Done",
        "exit_criteria": ["Done"],
        **fields,
    }


@pytest.mark.parametrize(
    ("finish", "axis"),
    [
        (70, ["    axisFormat %Y-%m-%d", "    tickInterval 1week"]),  # ten weeks: a tick a week
        (71, ["    axisFormat %Y-%m", "    tickInterval 1month"]),
        (730, ["    axisFormat %Y-%m", "    tickInterval 1month"]),  # two years: a tick a month
        (731, ["    axisFormat %Y-%m", "    tickInterval 3month"]),
    ],
)
def test_the_mermaid_axis_ticks_weekly_to_ten_weeks_monthly_to_two_years_then_quarterly(
    tmp_path: Path, finish: int, axis: list[str]
) -> None:
    """Each label is a different date: a week's ticks labelled by month would repeat the month."""
    plan = _plan(tmp_path, [_stage("S-A", not_before=START + dt.timedelta(days=finish - 7))])
    schedule = compute(plan)
    assert schedule.finish == finish
    assert roadmap.to_mermaid(plan, schedule).splitlines()[3:5] == axis


def test_the_terminal_heading_says_the_plan_is_levelled(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [_stage("S-A")])
    text = printed(lambda console: roadmap.render_text(plan, compute(plan), console, levelled=True))
    assert (
        text.splitlines()[0]
        == "Example Co — roadmap: the plan as written, levelled to the resources' capacity"
    )


@pytest.mark.parametrize(
    ("width", "headers"),
    [
        (131, ["W", "Stage / title", "Start", "Last day"]),  # the title under the id
        (132, ["W", "Stage", "Title", "Start", "Last day"]),  # each in its own column
        (179, ["W", "Stage", "Title", "Start", "Last day"]),
        (180, ["W", "Stage", "Title", "Kind", "Owner", "Start", "Last day"]),  # and the kind and owner
    ],
)
def test_the_terminal_table_gives_the_title_a_column_from_132_and_kind_and_owner_from_180(
    tmp_path: Path, width: int, headers: list[str]
) -> None:
    plan = _plan(tmp_path, [_stage("S-A", owner="PMO")])
    text = printed(lambda console: roadmap.render_text(plan, compute(plan), console), width)
    header = next(line for line in text.splitlines() if line.lstrip().startswith("W "))
    assert [cell.strip() for cell in header.split("┃")][: len(headers)] == headers


def _row_of(text: str, ident: str) -> list[str]:
    [row] = [line for line in text.splitlines() if f"│ {ident}" in line]
    return [cell.strip() for cell in row.split("│")]


LONG_ID = "S-ERP-ROLLOUT-WAVE-2-SHANGHAI-PLANT"
LONG_TITLE = "Roll the new order-to-cash process out to every plant in the east region"


def test_a_wide_terminal_keeps_the_whole_id_and_its_mark_and_cuts_a_long_title_at_36(tmp_path: Path) -> None:
    plan = _plan(tmp_path, [_stage(LONG_ID, title=LONG_TITLE, owner="PMO")])
    text = printed(lambda console: roadmap.render_text(plan, compute(plan), console), 200)
    assert _row_of(text, LONG_ID)[1:4] == [f"{LONG_ID} *", LONG_TITLE[:35] + "…", "change-management"]


@pytest.mark.parametrize("width", [132, 150, 180])
def test_a_long_id_takes_its_room_from_the_title_never_the_status(tmp_path: Path, width: int) -> None:
    """Left to Rich, the one column that could fold (the status) went first: "Statu" over "s", or gone."""
    stages = [
        _stage(LONG_ID, title=LONG_TITLE, status="in-progress", percent_complete=50, actual_start=START),
        _stage("S-B", depends_on=[LONG_ID], status="cancelled"),
    ]
    plan = _plan(tmp_path, stages, status_date=START + dt.timedelta(days=3))
    text = printed(lambda console: roadmap.render_text(plan, compute(plan), console), width)
    header = next(line for line in text.splitlines() if line.startswith("W "))
    assert "┃ Status ┃" in " ".join(header.split())
    first, second = _row_of(text, LONG_ID), _row_of(text, "S-B")
    assert first[1] == f"{LONG_ID} *" and first[2].startswith("Roll the") and first[2].endswith("…")
    assert "50%" in first and "cancelled" in second
    assert all(len(line) <= width for line in text.splitlines())


def test_past_400_stages_the_terminal_shows_the_critical_ones_first_and_says_how_many_more(
    tmp_path: Path,
) -> None:
    """401 one-week stages with float, then the ten-week stage that sets the finish, last in the file."""
    stages = [_stage(f"S-{n:03d}") for n in range(401)] + [_stage("S-LONG", 10)]
    plan = _plan(tmp_path, stages)
    text = printed(lambda console: roadmap.render_text(plan, compute(plan), console), 140)
    rows = [line.split("│")[1].split()[0] for line in text.splitlines() if line.startswith("1 │")]
    assert rows == [f"S-{n:03d}" for n in range(399)] + ["S-LONG"]
    assert "… and 2 more stages: roadmap show --format csv, json or markdown lists every one" in text


def test_a_plan_without_dates_against_a_dated_baseline_draws_no_baseline_bars(tmp_path: Path) -> None:
    """The plan has lost its plan_start since the baseline: the days cannot be placed, so no bar."""
    from cio_kit.analysis.baseline import variances

    from .conftest import MINIMAL

    (tmp_path / "now").mkdir()
    (tmp_path / "then").mkdir()
    undated = load_document({**_document_of(MINIMAL), "enterprise": {"name": "Example Co"}}, tmp_path / "now")
    dated = load_document(_document_of(MINIMAL), tmp_path / "then")
    schedule = compute(undated)
    slips = variances(schedule, compute(dated))
    assert slips["S-A"].baseline_start == START  # the baseline has its dates
    text = printed(lambda console: roadmap.render_text(undated, schedule, console, variances=slips), 100)
    bars = [line for line in text.splitlines() if "│" in line and "▓" in line]
    assert [line.split("│")[0].strip() for line in bars] == ["S-A"]
    assert not [line for line in text.splitlines() if "│" in line and "─" in line]
    assert "│ slip —" in text  # under the last day: no slip can be counted without dates


def _document_of(text: str) -> dict[str, Any]:
    import yaml

    document: dict[str, Any] = yaml.safe_load(text)
    return document


def test_an_owner_and_a_driver_past_20_characters_are_cut_and_leave_the_title_its_room(
    tmp_path: Path,
) -> None:
    owner = "Regional operations directorate"
    stages = [
        _stage(LONG_ID, title=LONG_TITLE, owner=owner),
        _stage("S-B", title=LONG_TITLE, depends_on=[LONG_ID]),
    ]
    plan = _plan(tmp_path, stages)
    text = printed(lambda console: roadmap.render_text(plan, compute(plan), console), 200)
    first, second = _row_of(text, LONG_ID), _row_of(text, "S-B")
    assert first[4] == owner[:19] + "…" and second[-1] == LONG_ID[:19] + "…"
    assert len(first[2]) == 35 and first[2] == LONG_TITLE[:34] + "…"
