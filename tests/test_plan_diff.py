"""`plan diff`: money in the units shown, stage changes in one line, colours, undated and empty plans."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import MINIMAL

#: The minimal plan with run money on S-A and a second stage with grow money.
OLD = MINIMAL + (
    "    budget: [{amount: 1000, class: run, category: services}]\n"
    "  - {id: S-B, title: Training, kind: training, duration_weeks: 1,\n"
    "     budget: [{amount: 2000, class: grow, category: services}]}\n"
)

# S-A: half a unit more run money (shown 1,000 either way, so no change is shown), a new title and a
# week longer; S-B: one unit more grow money. The total 3,001.5 shows as 3,002 (half to even): +2.
NEW = (
    OLD.replace("amount: 1000,", "amount: 1000.5,")
    .replace("amount: 2000,", "amount: 2001,")
    .replace("title: Kickoff", "title: Kick-off")
    .replace("duration_weeks: 2", "duration_weeks: 3")
)


def test_a_pull_request_comment_shows_each_change_in_the_units_its_figures_are_shown_in(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan(OLD, "old.yaml")
    write_plan(NEW, "new.yaml")
    result = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout == (
        "## Plan changes: `old.yaml` → `new.yaml`\n\n"
        "**Last day 2027-01-17 → 2027-01-24 (+7 days)**\n\n"
        "Critical path (unchanged): S-A\n\n"
        "| Budget | Run | Grow | Transform | Total |\n"
        "|---|---:|---:|---:|---:|\n"
        "| plan | 1,000 | 2,001 (+1) | 0 | 3,002 (+2) |\n"
        "| 2027 | 1,000 | 2,001 (+1) | 0 | 3,002 (+2) |\n\n"
        "- **S-A**: `title` Kickoff → Kick-off; `duration_weeks` 2 → 3; "
        "`budget` 1,000 run services → 1,000.5 run services\n"
        "- **S-B**: `budget` 2,000 grow services → 2,001 grow services\n\n"
        "**Findings:** 0 introduced, 0 fixed\n"
    )


def test_a_plan_compared_with_itself_says_no_stage_changed(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan(OLD, "old.yaml")
    text = cli("plan", "diff", "old.yaml", "old.yaml", "--format", "markdown").stdout
    assert text.endswith(
        "| plan | 1,000 | 2,000 | 0 | 3,000 |\n| 2027 | 1,000 | 2,000 | 0 | 3,000 |\n\n"
        "No stage changed.\n\n**Findings:** 0 introduced, 0 fixed\n"
    )


def test_a_large_fractional_amount_keeps_every_digit(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """1,234,567.5 is shown as written, not as 1.23457e+06; the table's change is between rounded figures."""
    write_plan(OLD, "old.yaml")
    write_plan(OLD.replace("amount: 1000,", "amount: 1234567.5,"), "new.yaml")
    text = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown").stdout
    assert "| plan | 1,234,568 (+1,233,568) | 2,000 | 0 | 1,236,568 (+1,233,568) |" in text
    assert "`budget` 1,000 run services → 1,234,567.5 run services" in text


def test_the_terminal_puts_each_change_under_its_figure(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan(OLD, "old.yaml")
    write_plan(NEW, "new.yaml")
    lines = cli("plan", "diff", "old.yaml", "new.yaml").stdout.splitlines()
    at = lines.index("plan  │ 1,000 │ 2,001 │         0 │ 3,002")
    assert lines[at + 1] == "      │       │    +1 │           │    +2"
    assert lines[at + 2] == "2027  │ 1,000 │ 2,001 │         0 │ 3,002"


def test_the_terminal_colours_a_slip_red_a_gain_green_and_each_stage_by_what_befell_it(
    golden: Callable[[str, str], None], write_plan: Callable[..., Path]
) -> None:
    """Forward: a week later (red), S-C added (green), S-A and S-B changed (yellow), a finding
    introduced (red +). Backward: a week earlier (green), S-C removed (red), the finding fixed (green ✓)."""
    from rich.console import Console

    from cio_kit.render.diff import render_text
    from cio_kit.reports.diff import plan_diff
    from cio_kit.validate import check_file

    write_plan(OLD, "old.yaml")
    write_plan(NEW + "  - {id: S-C, title: Rollout, kind: system-rollout, duration_weeks: 1}\n", "new.yaml")
    old, new = check_file(Path("old.yaml"), True), check_file(Path("new.yaml"), True)
    assert old.plan is not None and new.plan is not None
    for name, (before, after) in {"forward": (old, new), "backward": (new, old)}.items():
        console = Console(
            record=True, width=80, color_system="standard", force_terminal=True, highlight=False
        )
        assert before.plan is not None and after.plan is not None
        diff = plan_diff(before.plan, after.plan, before.findings, after.findings, before.file, after.file)
        render_text(diff, console)
        golden(f"diff-colour-{name}.ansi", console.export_text(styles=True))


def test_a_slip_of_a_single_day_is_red_and_a_day_gained_green(write_plan: Callable[..., Path]) -> None:
    """A tenth of a week more on the critical path ends a day later: "(+1 day)" in red; back again,
    "(-1 day)" in green; an unchanged finish is not coloured at all."""
    from rich.console import Console

    from cio_kit.render.diff import render_text
    from cio_kit.reports.diff import plan_diff
    from cio_kit.validate import check_file

    write_plan(OLD, "old.yaml")
    write_plan(OLD.replace("duration_weeks: 2\n", "duration_weeks: 2.1\n"), "new.yaml")
    old, new = check_file(Path("old.yaml"), True), check_file(Path("new.yaml"), True)
    lines = {}
    for name, (before, after) in {"later": (old, new), "earlier": (new, old), "same": (old, old)}.items():
        console = Console(
            record=True, width=80, color_system="standard", force_terminal=True, highlight=False
        )
        assert before.plan is not None and after.plan is not None
        render_text(plan_diff(before.plan, after.plan, [], [], "a", "b"), console)
        lines[name] = console.export_text(styles=True).splitlines()[1]
    assert lines == {
        "later": "\x1b[31mLast day 2027-01-17 → 2027-01-18 (+1 day)\x1b[0m",
        "earlier": "\x1b[32mLast day 2027-01-18 → 2027-01-17 (-1 day)\x1b[0m",
        "same": "Last day 2027-01-17 → 2027-01-17 (unchanged)",
    }


UNDATED = """\
cio_kit: 1
enterprise: {name: U}
stages:
  - {id: S-A, title: Kickoff, kind: change-management, duration_weeks: 2, objective: o}
  - {id: S-B, title: Build, kind: infrastructure, duration_weeks: 3, depends_on: [S-A]}
"""


def test_undated_plans_compare_in_weeks_and_an_estimate_replacing_a_duration_is_two_changes(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """Without plan_start the finish is in weeks: 14 + 21 days = 5.0; then (1 + 4·2 + 4)/6 = 13/6 weeks
    is 15.2 days, kept as 15 whole days, so 36 days = 5.1 weeks.
    A field that becomes a mapping is one change beside the others, never merged into them."""
    write_plan(UNDATED, "old.yaml")
    write_plan(
        UNDATED.replace(
            "title: Kickoff, kind: change-management, duration_weeks: 2",
            "title: Kick-off, kind: change-management, estimate: {optimistic: 1, likely: 2, pessimistic: 4}",
        ),
        "new.yaml",
    )
    result = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown")
    assert result.stdout == (
        "## Plan changes: `old.yaml` → `new.yaml`\n\n"
        "**Finish week 5.0 → 5.1**\n\n"
        "Critical path (unchanged): S-A → S-B\n\n"
        "| Budget | Run | Grow | Transform | Total |\n"
        "|---|---:|---:|---:|---:|\n"
        "| plan | 0 | 0 | 0 | 0 |\n\n"
        "- **S-A**: `title` Kickoff → Kick-off; `duration_weeks` 2 → —; "
        "`estimate` — → optimistic 1, likely 2, pessimistic 4\n\n"
        "**Findings:** 0 introduced, 0 fixed\n"
    )
    text = cli("plan", "diff", "old.yaml", "new.yaml").stdout.splitlines()
    assert text[1] == "Finish week 5.0 → 5.1"


def test_two_plans_without_stages_have_no_critical_path(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan("cio_kit: 1\nenterprise: {name: E}\nstages: []\n", "empty.yaml")
    text = cli("plan", "diff", "empty.yaml", "empty.yaml", "--format", "markdown").stdout
    assert "**Finish week 0.0 → 0.0**\n\nCritical path (unchanged): none\n" in text
    assert "\nNo stage changed.\n" in text


def test_a_change_inside_an_estimate_is_named_by_its_key_beside_the_stages_other_changes(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    estimated = UNDATED.replace("duration_weeks: 2", "estimate: {optimistic: 1, likely: 2, pessimistic: 4}")
    write_plan(estimated, "old.yaml")
    write_plan(
        estimated.replace("title: Kickoff", "title: Kick-off").replace("likely: 2", "likely: 3"), "new.yaml"
    )
    text = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown").stdout
    assert "- **S-A**: `title` Kickoff → Kick-off; `estimate.likely` 2 → 3\n" in text


def test_a_date_field_changed_is_an_iso_date_in_json(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    import json

    dated = UNDATED.replace("name: U}", "name: U, plan_start: 2027-01-04}")
    write_plan(dated, "old.yaml")
    write_plan(dated.replace("depends_on: [S-A]}", "depends_on: [S-A], deadline: 2027-03-01}"), "new.yaml")
    shown = json.loads(cli("plan", "diff", "old.yaml", "new.yaml", "--format", "json").stdout)
    assert shown["stages"]["changed"] == [
        {"id": "S-B", "fields": [{"field": "deadline", "old": None, "new": "2027-03-01"}]}
    ]


def test_effort_given_to_a_stage_names_each_resource(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    dated = UNDATED.replace("name: U}", "name: U, plan_start: 2027-01-04}")
    staffed = dated.replace("stages:", "resources: [{id: R-A, capacity: 1}, {id: R-B, capacity: 2}]\nstages:")
    write_plan(staffed, "old.yaml")
    write_plan(
        staffed.replace("depends_on: [S-A]}", "depends_on: [S-A], effort: {R-A: 10, R-B: 2.5}}"), "new.yaml"
    )
    text = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown").stdout
    assert "- **S-B**: `effort` — → R-A 10, R-B 2.5\n" in text


def test_a_whole_number_and_a_boolean_read_as_written(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan(UNDATED, "old.yaml")
    write_plan(
        UNDATED.replace(
            "depends_on: [S-A]}", "depends_on: [S-A], priority: 120, mandatory: true, mandatory_reason: law}"
        ),
        "new.yaml",
    )
    text = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown").stdout
    assert "- **S-B**: `priority` — → 120; `mandatory` — → true; `mandatory_reason` — → law\n" in text
