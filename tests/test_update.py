"""``plan update`` (SPEC §19): what each value may be, where it is written, and every refusal, word for word.

The progress fields are ``status``, ``percent_complete``, ``actual_start``,
``actual_finish`` and ``actual_cost`` on a stage, and the plan's
``status_date``. A refusal writes nothing and exits 1; asking for nothing is
a usage error (exit 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cio_kit.plan import update
from cio_kit.plan.update import UpdateError, apply, change, from_rows

from .conftest import MINIMAL

ALL_FIELDS = "status, percent_complete, actual_start, actual_finish, actual_cost"
STATUSES = "planned, in-progress, done, blocked, cancelled"


@pytest.mark.parametrize(
    ("field", "raw", "written"),
    [
        ("percent_complete", "0", "0"),
        ("percent_complete", "100", "100"),
        ("percent_complete", " 60.0 ", "60"),
        ("percent_complete", 62.5, "62.5"),
        ("actual_cost", "1e15", "1000000000000000"),
        ("actual_cost", 250, "250"),
        ("actual_start", dt.datetime(2027, 3, 1, 17, 30), "2027-03-01"),  # a spreadsheet's date cell
        ("actual_finish", dt.date(2027, 3, 5), "2027-03-05"),
        ("actual_finish", "2027-03-05", "2027-03-05"),
        ("status", " done", "done"),
    ],
)
def test_each_value_is_written_as_its_fields_kind(field: str, raw: object, written: str) -> None:
    assert change("S-A", field, raw, "--set") == update.Change("S-A", field, written, "--set")


@pytest.mark.parametrize(
    ("stage", "field", "raw", "message"),
    [
        ("S-A", "owner", "me", f"here: owner is not a progress field; set one of {ALL_FIELDS}"),
        ("S-A", "status", "finished", f"here: status 'finished' is not one of {STATUSES}"),
        ("S-A", "actual_finish", "5 March", "here: actual_finish '5 March' is not a date (YYYY-MM-DD)"),
        (None, "status_date", "2027-13-01", "here: status_date '2027-13-01' is not a date (YYYY-MM-DD)"),
        ("S-A", "percent_complete", "most", "here: percent_complete 'most' is not a number"),
        ("S-A", "percent_complete", "-1", "here: percent_complete -1 is out of range"),
        ("S-A", "percent_complete", "100.5", "here: percent_complete 100.5 is out of range"),
        ("S-A", "actual_cost", "-0.01", "here: actual_cost -0.01 is out of range"),
        ("S-A", "actual_cost", "2e15", "here: actual_cost 2e15 is out of range"),
        ("S-A", "actual_cost", "1000000000000001", "here: actual_cost 1000000000000001 is out of range"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_saying_where_it_was_asked(
    stage: str | None, field: str, raw: object, message: str
) -> None:
    with pytest.raises(UpdateError) as refused:
        change(stage, field, raw, "here")
    assert str(refused.value) == message


def test_a_cost_above_a_hundred_is_a_cost_not_a_percentage() -> None:
    assert change("S-A", "actual_cost", "150", "here").value == "150"


def _set(text: str, *changes: tuple[str | None, str, str]) -> str:
    return apply(text, [change(stage, field, value, "--set") for stage, field, value in changes])


def test_a_value_is_replaced_where_it_stands_and_a_new_key_goes_after_the_id() -> None:
    text = (
        "stages:\n  - id: S-A\n    title: A   # kept\n    status: planned\n  - {id: S-B, title: B }  # kept\n"
    )
    assert _set(text, ("S-A", "status", "done"), ("S-A", "actual_cost", "10"), ("S-B", "status", "done")) == (
        "stages:\n  - id: S-A\n    actual_cost: 10\n    title: A   # kept\n    status: done\n"
        "  - {id: S-B, title: B, status: done }  # kept\n"
    )


def test_keys_added_at_one_place_come_out_in_the_order_asked_and_a_repeat_keeps_the_last() -> None:
    text = "enterprise:\n  name: E\nstages:\n  - id: S-A\n"
    assert _set(
        text,
        ("S-A", "status", "done"),
        ("S-A", "percent_complete", "10"),
        ("S-A", "status", "blocked"),
        (None, "status_date", "2027-02-01"),
    ) == (
        "enterprise:\n  name: E\n  status_date: 2027-02-01\nstages:\n  - id: S-A\n    status: blocked\n"
        "    percent_complete: 10\n"
    )


def test_a_stage_on_the_files_last_line_without_a_newline_gets_its_key_on_a_line_of_its_own() -> None:
    assert (
        _set("stages:\n  - id: S-A", ("S-A", "status", "done")) == "stages:\n  - id: S-A\n    status: done\n"
    )


def test_a_flow_mapping_over_lines_gets_its_key_before_the_brace() -> None:
    text = "stages: [{id: S-A,\n   title: A\n  }]\n"
    assert _set(text, ("S-A", "status", "done")) == "stages: [{id: S-A,\n   title: A, status: done\n  }]\n"


def test_stages_without_an_id_or_not_mappings_are_passed_over() -> None:
    text = "stages:\n  - title: no id\n  - just text\n  - id: [S-A]\n  - id: S-A\n"
    assert _set(text, ("S-A", "status", "done")).endswith("  - id: S-A\n    status: done\n")


def test_a_plan_without_stages_still_takes_a_status_date() -> None:
    assert _set("enterprise: {name: E}\n", (None, "status_date", "2027-02-01")) == (
        "enterprise: {name: E, status_date: 2027-02-01}\n"
    )


@pytest.mark.parametrize(
    ("text", "asked", "message"),
    [
        ("- a list\n", ("S-A", "status", "done"), "the plan is not a mapping"),
        ("stages: {S-A: x}\n", ("S-A", "status", "done"), "--set: the plan has no stage S-A"),
        (
            "stages: []\n",
            (None, "status_date", "2027-02-01"),
            "--set: the plan has no enterprise mapping to set it in",
        ),
        (
            "enterprise: E\n",
            (None, "status_date", "2027-02-01"),
            "--set: the plan has no enterprise mapping to set it in",
        ),
    ],
)
def test_an_update_with_nowhere_to_go_is_refused(
    text: str, asked: tuple[str | None, str, str], message: str
) -> None:
    with pytest.raises(UpdateError) as refused:
        _set(text, asked)
    assert str(refused.value) == message


def test_a_sheets_rows_are_numbered_as_a_spreadsheet_numbers_them() -> None:
    """Row 1 is the header; a row without an id is passed over, not the end of the sheet; a row
    shorter than the header is read as far as it goes."""
    rows: list[list[Any]] = [
        ["ID", "Percent complete", "Status"],
        ["", "", ""],
        ["S-A", 40],
        ["S-B", "", "done"],
    ]
    assert from_rows(rows, "p.csv") == [
        update.Change("S-A", "percent_complete", "40", "p.csv:3"),
        update.Change("S-B", "status", "done", "p.csv:4"),
    ]
    with pytest.raises(UpdateError) as refused:
        from_rows([["id", "status"], ["S-A", "done"], ["S-B", "over"]], "p.csv")
    assert str(refused.value) == f"p.csv:3: status 'over' is not one of {STATUSES}"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "p.csv: the sheet is empty"),
        ([["stage", "status"], ["S-A", "done"]], "p.csv: no id column; the first row names the columns"),
    ],
)
def test_a_sheet_without_rows_or_ids_is_refused(rows: list[list[Any]], message: str) -> None:
    with pytest.raises(UpdateError) as refused:
        from_rows(rows, "p.csv")
    assert str(refused.value) == message


# The command: exit codes, stdout and stderr.


def test_an_update_says_what_it_wrote_on_stderr_and_nothing_on_stdout(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan(MINIMAL.replace("S-A", "S-A.v2"))
    result = cli("plan", "update", "plan.yaml", "--set", "S-A.v2.status=done", "--status-date", "2027-02-01")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "cio-kit: updated plan.yaml (2 value(s))\n"
    text = Path("plan.yaml").read_text(encoding="utf-8")
    assert "  - id: S-A.v2\n    status: done\n" in text and "  status_date: 2027-02-01\n" in text


def test_a_dry_run_prints_a_unified_diff_of_the_file_and_writes_nothing(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan()
    result = cli("plan", "update", "plan.yaml", "--set", "S-A.status=done", "--dry-run")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines()[:3] == ["--- a/plan.yaml", "+++ b/plan.yaml", "@@ -4,6 +4,7 @@"]
    assert "+    status: done" in result.stdout.splitlines()
    assert Path("plan.yaml").read_text(encoding="utf-8") == MINIMAL


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("S-A.status", "--set 'S-A.status': write ID.FIELD=VALUE, e.g. S-ERP.status=done"),
        ("status=done", "--set 'status=done': write ID.FIELD=VALUE, e.g. S-ERP.status=done"),
        (".status=done", "--set '.status=done': write ID.FIELD=VALUE, e.g. S-ERP.status=done"),
        ("S-A.status=done=yes", f"--set S-A.status=done=yes: status 'done=yes' is not one of {STATUSES}"),
        ("S-NOPE.status=done", "--set S-NOPE.status=done: the plan has no stage S-NOPE"),
    ],
)
def test_a_set_that_cannot_be_made_writes_nothing_and_exits_1(
    cli: Any, write_plan: Callable[..., Path], asked: str, message: str
) -> None:
    write_plan()
    result = cli("plan", "update", "plan.yaml", "--set", asked)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"cio-kit: {message}; nothing written\n"
    assert Path("plan.yaml").read_text(encoding="utf-8") == MINIMAL


def test_a_bad_status_date_names_the_option(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan()
    result = cli("plan", "update", "plan.yaml", "--status-date", "soon")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "cio-kit: --status-date: status_date 'soon' is not a date (YYYY-MM-DD); nothing written\n"
    )


def test_asking_for_nothing_is_a_usage_error(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan()
    result = cli("plan", "update", "plan.yaml")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "cio-kit: nothing to update: give --set ID.FIELD=VALUE, --from FILE or --status-date\n"
    )


def test_an_update_that_would_break_the_plan_names_the_finding_and_writes_nothing(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    write_plan(MINIMAL.replace("  - id: S-A\n", "  - id: S-A\n    status: 12\n"))
    broken = Path("plan.yaml").read_text(encoding="utf-8")
    result = cli("plan", "update", "plan.yaml", "--status-date", "2027-02-01")
    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[-1] == "cio-kit: the update would break the plan; nothing written"
    assert lines[0].startswith("plan.yaml:8: PLAN002 stages[0].status: ") and len(lines) == 2
    assert Path("plan.yaml").read_text(encoding="utf-8") == broken


def test_the_file_size_limit_is_the_configured_mebibytes(cli: Any, write_plan: Callable[..., Path]) -> None:
    """0.01 MiB is 10,485 bytes (10,496 were it 1,025 to a KiB): a plan of 10,490 is over it, read or
    updated."""
    Path("cio-kit.yaml").write_text("max_file_mib: 0.01\n", encoding="utf-8")
    write_plan(MINIMAL + "#" * (10_490 - len(MINIMAL) - 1) + "\n")
    assert Path("plan.yaml").stat().st_size == 10_490
    result = cli("plan", "update", "plan.yaml", "--status-date", "2027-02-01")
    assert result.exit_code == 2
    assert result.stderr == ("cio-kit: plan.yaml: larger than 0.01 MiB; it is not an input cio-kit reads\n")
    # The updated plan is held to the same limit: 26 bytes of status date on 10,459 make 10,485.
    write_plan(MINIMAL + "#" * (10_459 - len(MINIMAL) - 1) + "\n")
    assert cli("plan", "update", "plan.yaml", "--status-date", "2027-02-01").exit_code == 0
    assert Path("plan.yaml").stat().st_size == 10_485
    write_plan(MINIMAL + "#" * (10_460 - len(MINIMAL) - 1) + "\n")
    over = cli("plan", "update", "plan.yaml", "--status-date", "2027-02-01")
    assert over.exit_code == 1
    assert over.stderr.startswith("plan.yaml:1: PLAN007 file is larger than the 0.01 MiB limit")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "progress.xlsx",
            b"not a zip",
            "progress.xlsx: not a readable sheet (UnreadableWorkbook: not a workbook (a zip file): File",
        ),
        ("missing.csv", None, "missing.csv: "),
    ],
)
def test_a_progress_sheet_that_cannot_be_read_writes_nothing(
    cli: Any, write_plan: Callable[..., Path], name: str, content: bytes | None, message: str
) -> None:
    write_plan()
    if content is not None:
        Path(name).write_bytes(content)
    result = cli("plan", "update", "plan.yaml", "--from", name)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"cio-kit: {message}") and result.stderr.endswith("; nothing written\n")


def test_sets_and_a_sheet_together_are_all_written(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(MINIMAL + "  - {id: S-B, title: B, kind: training, duration_weeks: 1}\n")
    Path("progress.csv").write_text("id,status\nS-B,done\n", encoding="utf-8")
    result = cli("plan", "update", "plan.yaml", "--set", "S-A.status=done", "--from", "progress.csv")
    assert result.exit_code == 0 and result.stderr == "cio-kit: updated plan.yaml (2 value(s))\n"
    text = Path("plan.yaml").read_text(encoding="utf-8")
    assert "  - id: S-A\n    status: done\n" in text and "duration_weeks: 1, status: done}" in text


def test_a_progress_workbook_is_read_like_a_csv_sheet_and_its_rows_named(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    """The sheet export xlsx writes, filled in: a date cell is a date, and a bad cell is named by the
    workbook's file name and row."""
    import openpyxl

    write_plan(MINIMAL + "  - {id: S-B, title: B, kind: training, duration_weeks: 1}\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Roadmap"
    for row in (
        ["ID", "Status", "Actual start"],
        ["S-A", "done", dt.datetime(2027, 1, 4)],
        ["S-B", "over", None],
    ):
        sheet.append(row)
    book.save("progress.xlsx")
    refused = cli("plan", "update", "plan.yaml", "--from", "progress.xlsx")
    assert refused.exit_code == 1
    assert (
        refused.stderr
        == f"cio-kit: progress.xlsx:3: status 'over' is not one of {STATUSES}; nothing written\n"
    )
    sheet["B3"] = "in-progress"
    book.save("progress.xlsx")
    done = cli("plan", "update", "plan.yaml", "--from", "progress.xlsx")
    assert done.exit_code == 0 and done.stderr == "cio-kit: updated plan.yaml (3 value(s))\n"
    text = Path("plan.yaml").read_text(encoding="utf-8")
    assert "  - id: S-A\n    status: done\n    actual_start: 2027-01-04\n" in text
    assert "duration_weeks: 1, status: in-progress}" in text
