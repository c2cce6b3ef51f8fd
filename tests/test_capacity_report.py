"""`report capacity` sums people's time day by day: the limits it holds to, in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# S-A is the longest stage a plan may hold (5,200 weeks, 36,400 days); S-B follows it.
CHAINED = """\
cio_kit: 1
enterprise: {{name: Big, plan_start: 2027-01-04}}
resources: [{{id: R-A, name: Analyst, capacity: 1}}]
stages:
  - {{id: S-A, title: Long, kind: infrastructure, duration_weeks: 5200, effort: {{R-A: 10}}}}
  - {{id: S-B, title: Next, kind: infrastructure, duration_weeks: {weeks}, depends_on: [S-A]}}
{more}"""


def test_a_plan_of_exactly_the_hundred_years_is_summed(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    # 14.3 weeks is 100.1 days, so the plan ends on day 36,500 of the 36,500 allowed (100 × 365).
    write_plan(CHAINED.format(weeks=14.3, more=""))
    result = cli("report", "capacity", "plan.yaml")
    assert result.exit_code == 0, result.output
    assert "Last day 2126-12-10" in result.stdout


def test_a_plan_of_three_centuries_is_refused_with_its_span_in_years(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    # Three 5,200-week stages in a chain: 109,200 days, 298.97 years of 365.25 days, so "299".
    third = "  - {id: S-C, title: Last, kind: infrastructure, duration_weeks: 5200, depends_on: [S-B]}\n"
    write_plan(CHAINED.format(weeks=5200, more=third))
    result = cli("report", "capacity", "plan.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "cio-kit: plan.yaml: the plan spans 299 years; report capacity sums people's time day by day "
        "over at most 100 years: shorten the stages or split the plan\n"
    )


def test_a_plan_just_over_the_limit_is_refused(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan(CHAINED.format(weeks=14.5, more=""))  # day 36,502
    result = cli("report", "capacity", "plan.yaml", "--format", "json")
    assert result.exit_code == 2 and "the plan spans 100 years" in result.stderr


def test_the_report_itself_refuses_a_plan_without_a_start(write_plan: Callable[..., Path]) -> None:
    """The command says so first (exit 2); a caller of the report gets the same words."""
    from cio_kit.plan.loader import load_plan
    from cio_kit.reports.capacity import capacity_report
    from cio_kit.situation import Situation
    from tests.conftest import MINIMAL

    path = write_plan(MINIMAL.replace("  plan_start: 2027-01-04\n", ""))
    plan = load_plan(path, explicit=True).plan
    assert plan is not None
    with pytest.raises(ValueError, match=r"^report capacity needs enterprise\.plan_start$"):
        capacity_report(Situation(plan))


def test_a_resource_no_stage_asks_for_is_shown_with_no_effort(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    import json

    plan = CHAINED.format(weeks=2, more="").replace(
        "capacity: 1}]", "capacity: 1}, {id: R-B, name: Auditor, capacity: 2, day_rate: 800}]"
    )
    write_plan(plan)
    shown = json.loads(cli("report", "capacity", "plan.yaml", "--format", "json").stdout)
    auditor = next(row for row in shown["resources"] if row["id"] == "R-B")
    assert auditor["effort_days"] == 0 and auditor["overloaded_periods"] == []
    text = cli("report", "capacity", "plan.yaml").stdout
    assert "R-B: 0 person-days" in text


def test_levelling_names_a_stage_that_asks_more_than_a_resource_has(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """Twenty person-days in a five-day week from one person: no delay helps, so it is named; unlevelled,
    nothing is levelled, so nothing is named."""
    import json

    write_plan(
        "cio_kit: 1\nenterprise: {name: M, plan_start: 2027-01-04}\n"
        "resources: [{id: R-A, name: Analyst, capacity: 1}]\nstages:\n"
        "  - {id: S-A, title: Too much, kind: infrastructure, duration_weeks: 1, effort: {R-A: 20}}\n"
    )
    levelled = json.loads(cli("report", "capacity", "plan.yaml", "--level", "--format", "json").stdout)
    assert levelled["beyond_capacity"] == ["S-A"]
    text = cli("report", "capacity", "plan.yaml", "--level").stdout
    assert "  S-A asks a resource for more than it has: levelling cannot help it\n" in text
    plain = json.loads(cli("report", "capacity", "plan.yaml", "--format", "json").stdout)
    assert plain["beyond_capacity"] == []


def test_a_cancelled_stages_effort_is_not_counted_and_the_stages_after_it_are(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    import json

    write_plan(
        "cio_kit: 1\nenterprise: {name: M, plan_start: 2027-01-04}\n"
        "resources: [{id: R-A, name: Analyst, capacity: 1}]\nstages:\n"
        "  - {id: S-OLD, title: Dropped, kind: infrastructure, duration_weeks: 1, effort: {R-A: 5},"
        " status: cancelled}\n"
        "  - {id: S-A, title: Build, kind: infrastructure, duration_weeks: 4, effort: {R-A: 10}}\n"
    )
    shown = json.loads(cli("report", "capacity", "plan.yaml", "--format", "json").stdout)
    assert [row["effort_days"] for row in shown["resources"]] == [10]


# February 2027 has 20 weekdays and March none (a works shutdown): S-A's 16 person-days all fall in
# February, a load of exactly 16 / 20 = 80%; March has no capacity, so no load (shown "–", JSON null).
SHUTDOWN = """\
cio_kit: 1
enterprise: {name: M, plan_start: 2027-02-01}
calendars: [{id: CAL, holidays: [{from: 2027-03-01, to: 2027-03-31}]}]
resources:
  - {id: R-A, name: Analyst, capacity: 1, calendar: CAL, day_rate: 100.125}
  - {id: R-A-VERY-LONG-TEAM-NAME, capacity: 1}
stages:
  - {id: S-A, title: Build, kind: infrastructure, duration_weeks: 8, effort: {R-A: 16}}
"""


def _shutdown_report(write_plan: Callable[..., Path], text: str = SHUTDOWN) -> Any:
    from cio_kit.plan.loader import load_plan
    from cio_kit.reports.capacity import capacity_report
    from cio_kit.situation import Situation

    plan = load_plan(write_plan(text), explicit=True).plan
    assert plan is not None
    return capacity_report(Situation(plan))


def test_a_month_at_four_fifths_is_yellow_and_one_without_workdays_has_no_load(
    write_plan: Callable[..., Path],
) -> None:
    import json
    import re

    from cio_kit.render.capacity import render_text, to_json
    from tests.conftest import printed

    report = _shutdown_report(write_plan)
    analyst = json.loads(to_json(report))["resources"][0]
    assert [(p["period"], p["load"]) for p in analyst["periods"]] == [("2027-02", 0.8), ("2027-03", None)]
    assert analyst["personnel_estimate"] == 1602.0  # 16 days × 100.125
    text = printed(lambda console: render_text(report, console), colour=True)
    # "black on yellow" is 30;43 (green would be 32).
    assert re.search(r"\x1b\[30;43m +80%\x1b\[0m", text), text


def test_the_estimate_is_kept_to_the_cent(write_plan: Callable[..., Path]) -> None:
    import json

    from cio_kit.render.capacity import to_json

    report = _shutdown_report(write_plan, SHUTDOWN.replace("effort: {R-A: 16}", "effort: {R-A: 1}"))
    assert json.loads(to_json(report))["resources"][0]["personnel_estimate"] == 100.12  # 100.125, to 2


def test_a_long_resource_id_is_cut_to_its_label_and_a_narrow_terminal_gets_a_month_a_line(
    write_plan: Callable[..., Path],
) -> None:
    from cio_kit.render.capacity import render_text
    from tests.conftest import printed

    report = _shutdown_report(write_plan)
    # The label is at most 24 wide: 18 characters of the id, then its capacity.
    wide = printed(lambda console: render_text(report, console)).splitlines()
    assert wide[4:7] == [
        "                        27-02 27-03 ",
        "R-A (1)                   80%     – ",
        "R-A-VERY-LONG-TEAM (1)      ·     · ",
    ]
    # 20 columns leave no room beside the 24-wide label: one month a block, each line cropped.
    narrow = printed(lambda console: render_text(report, console), width=20).splitlines()
    start = narrow.index("asked; – no workday)")
    heat = narrow[start + 1 : narrow.index("Over-allocated in ")]
    assert [line.rstrip() for line in heat] == ["", "R-A (1)", "R-A-VERY-LONG-TEAM ("] * 2 + [""]


def test_a_plan_without_resources_says_what_to_add(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    from tests.conftest import MINIMAL

    write_plan(MINIMAL)
    result = cli("report", "capacity", "plan.yaml")
    assert result.exit_code == 0
    assert result.stdout.endswith("No resources in the plan: add resources and stage effort (SPEC §11).\n")
