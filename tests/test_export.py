"""``cio-kit export`` (SPEC §14), each format read by what reads it: tj3, an iCalendar library."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cio_kit.analysis.schedule import compute
from cio_kit.validate import check_file

from .conftest import ROOT

BUNDLED = sorted((ROOT / "plans").glob("*.yaml"))


@pytest.mark.skipif(shutil.which("tj3") is None, reason="TaskJuggler (tj3) is not installed")
@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_tj3_schedules_the_export_to_the_dates_of_roadmap_show(path: Path, tmp_path: Path, cli: Any) -> None:
    """Every bundled plan, constraints, calendars and effort-driven stages included."""
    from .test_taskjuggler import run_tj3

    result = cli("export", "tjp", str(path))
    assert result.exit_code == 0, result.stderr
    theirs = run_tj3(result.stdout.splitlines(), tmp_path)
    loaded = check_file(path, True)
    assert loaded.plan is not None
    schedule = compute(loaded.plan)
    for number, timing in enumerate(schedule.timings):
        ours = (str(schedule.date(timing.earliest_start)), str(schedule.date(timing.earliest_finish)))
        assert ours == theirs[f"s{number}"], timing.id


HOSTILE = """\
cio_kit: 1
enterprise: {name: "Acme; Ltd, \\"Ops\\"", plan_start: 2027-01-04, status_date: 2027-03-01}
goals:
  - {id: G-A, title: "Cut cost, fast; then \\\\ more", due: 2027-12-31}
  - {id: G-B}
stages:
  - {id: S-A, title: "Build\\nthe thing", kind: training, duration_weeks: 2, deadline: 2027-02-01}
  - {id: M-A, title: "Live — 稼働開始 — a title long enough to be folded over more than one content line",
     kind: milestone, depends_on: [S-A]}
  - {id: M-B, title: Cancelled, kind: milestone, status: cancelled}
"""


def test_the_calendar_reads_back_with_an_icalendar_library(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    icalendar = pytest.importorskip("icalendar", reason="icalendar is in the test extra")
    write_plan(HOSTILE)
    result = cli("export", "ics", "plan.yaml", "--output", "plan.ics")
    assert result.exit_code == 0, result.stderr
    raw = (tmp_path / "plan.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        "plan.M-A.milestone@cio-kit",
        "plan.S-A.deadline@cio-kit",
        "plan.G-A.due@cio-kit",
    }  # no event for a goal without a date, nor for a cancelled milestone
    live = events["plan.M-A.milestone@cio-kit"]
    assert str(live["SUMMARY"]) == (
        "Milestone: Live — 稼働開始 — a title long enough to be folded over more than one content line"
    )
    # The plan as it stands (SPEC §16): S-A has not started by the status date 2027-03-01, so its two
    # weeks run from then and the milestone follows; as written it would be on 2027-01-18.
    assert live.decoded("DTSTART") == dt.date(2027, 3, 15)
    assert live.decoded("DTEND") == dt.date(2027, 3, 16)  # all day: the day after
    written = cli("export", "ics", "plan.yaml", "--as-written")
    assert "DTSTART;VALUE=DATE:20270118" in written.stdout
    assert str(events["plan.S-A.deadline@cio-kit"]["SUMMARY"]) == "Deadline: Build\nthe thing"
    assert str(events["plan.G-A.due@cio-kit"]["SUMMARY"]) == "Goal due: Cut cost, fast; then \\ more"
    # An X- property is escaped as TEXT (as Apple and Google read it); icalendar leaves it raw.
    assert str(calendar["X-WR-CALNAME"]) == 'Acme\\; Ltd\\, "Ops"'
    assert all(
        event.decoded("DTSTAMP") == dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc)
        for event in events.values()
    )
    # No clock is read: the same plan gives the same bytes.
    again = cli("export", "ics", "plan.yaml")
    assert again.stdout.encode("utf-8").replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")


def test_export_usage_errors(cli: Any, write_plan: Callable[..., Path]) -> None:
    write_plan(
        "cio_kit: 1\nenterprise: {name: Undated}\n"
        "stages: [{id: S-A, title: A, kind: training, duration_weeks: 1}]\n"
    )
    for kind in ("ics", "tjp"):
        result = cli("export", kind, "plan.yaml")
        assert result.exit_code == 2 and "needs enterprise.plan_start" in result.stderr
    assert cli("export", "pdf", "plan.yaml").exit_code == 2
    assert cli("export", "ics", "plan.yaml", "--output", "plan.yaml").exit_code == 2  # never over the plan


def test_tjp_and_mspdi_goldens(
    cli: Any, write_plan: Callable[..., Path], golden: Callable[[str, str], None]
) -> None:
    """Ids that are TaskJuggler-safe, quotes made harmless, a date floor as a pinned milestone."""
    write_plan(
        "cio_kit: 1\nenterprise: {name: 'Quote \"me\"', plan_start: 2027-01-04}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 1}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 1.5, depends_on: [S-A, other:S-X],"
        " not_before: 2027-02-01}\n"
        "  - {id: M-C, title: C, kind: milestone, depends_on: [S-B]}\n"
    )
    golden("export.tjp", cli("export", "tjp", "plan.yaml").stdout)
    golden("export.mspdi.xml", cli("export", "mspdi", "plan.yaml").stdout)


def _mpxj_missing() -> str | None:
    import importlib.util

    if shutil.which("java") is None:
        return "no Java runtime (Debian's default-jre-headless) to run MPXJ"
    if importlib.util.find_spec("mpxj") is None or importlib.util.find_spec("jpype") is None:
        return "the mpxj and JPype1 packages (test extra) are not installed"
    return None


@pytest.mark.skipif(_mpxj_missing() is not None, reason=_mpxj_missing() or "")
@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_mpxj_reads_the_mspdi_export_with_the_dates_of_roadmap_show(
    path: Path, tmp_path: Path, cli: Any
) -> None:
    """Each task's start, finish, elapsed duration, predecessors, cost and resources as MPXJ reads them."""
    import json
    import subprocess
    import sys

    target = tmp_path / "plan.xml"
    result = cli("export", "mspdi", str(path), "--output", str(target))
    assert result.exit_code == 0, result.stderr
    read = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "read_mspdi.py"), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    project = json.loads(read.stdout)
    loaded = check_file(path, True)
    plan = loaded.plan
    assert plan is not None
    schedule = compute(plan)
    assert project["currency"] == plan.enterprise.currency
    tasks = {task["wbs"]: task for task in project["tasks"]}
    uid = {stage.id: number + 1 for number, stage in enumerate(plan.stages)}
    for stage, timing in zip(plan.stages, schedule.timings, strict=True):
        task = tasks[stage.id]
        first = schedule.date(timing.earliest_start)
        assert first is not None
        end = first + dt.timedelta(days=timing.days)  # the end of the last day: 00:00 of the next
        assert (task["start"], task["finish"]) == (f"{first}T00:00", f"{end}T00:00"), stage.id
        assert (task["duration"], task["units"]) == (timing.days, "ed"), stage.id
        assert task["milestone"] == (timing.days == 0) and not task["summary"]
        assert task["uid"] == uid[stage.id]
        local = [uid[ref] for ref in stage.depends_on if ref in uid]
        assert sorted(task["predecessors"]) == sorted(local), stage.id
        assert task["cost"] == pytest.approx(stage.planned_spend)
        names = {r.id: r.name or r.id for r in plan.resources or []}
        assert task["resources"] == sorted(names[r] for r in stage.effort or {}), stage.id
    # Phases are summary tasks, in the order the plan lists them, spanning their stages.
    summaries = [task for task in project["tasks"] if task["summary"]]
    assert [task["wbs"] for task in summaries] == [
        phase.id for phase in plan.phases or [] if any(s.phase == phase.id for s in plan.stages)
    ]
    for summary in summaries:
        inside = [tasks[s.id] for s in plan.stages if s.phase == summary["wbs"]]
        assert summary["start"] == min(t["start"] for t in inside)
        assert summary["finish"] == max(t["finish"] for t in inside)
        assert all(t["level"] == summary["level"] + 1 for t in inside)


def round_trip(cli: Any, path: Path, tmp_path: Path, kind: str) -> tuple[Any, Any, str]:
    """Export ``path`` as ``kind``, import it back: both plans as loaded, and what import said on stderr."""
    exported = tmp_path / f"plan.{kind}"
    assert cli("export", kind, str(path), "--output", str(exported)).exit_code == 0
    imported = tmp_path / "imported.yaml"
    result = cli("import", kind, str(exported), "--output", str(imported))
    assert result.exit_code == 0, result.stderr
    before, after = check_file(path, True), check_file(imported, True)
    assert not after.blocked, after.findings
    return before, after, str(result.stderr)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_export_xlsx_then_import_gives_back_the_stages_and_dates(
    path: Path, tmp_path: Path, cli: Any
) -> None:
    before, after, _ = round_trip(cli, path, tmp_path, "xlsx")
    assert before.plan is not None and after.plan is not None
    old, new = compute(before.plan), compute(after.plan)
    assert [s.id for s in after.plan.stages] == [s.id for s in before.plan.stages]
    for stage, was, now, then in zip(
        after.plan.stages, before.plan.stages, new.timings, old.timings, strict=True
    ):
        assert stage.depends_on == was.depends_on and stage.kind == was.kind, stage.id
        assert (now.days, new.date(now.earliest_start), new.last_day(now)) == (
            then.days,
            old.date(then.earliest_start),
            old.last_day(then),
        ), stage.id


def test_xlsx_holds_dates_numbers_and_text_that_is_never_a_formula(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    write_plan(
        "cio_kit: 1\nenterprise: {name: X, plan_start: 2027-01-04}\nstages:\n"
        '  - {id: S-A, title: \'=HYPERLINK("http://evil","x")\', kind: training, duration_weeks: 2,\n'
        "     budget: [{amount: 1234.5, class: grow, category: training}]}\n"
    )
    assert cli("export", "xlsx", "plan.yaml").exit_code == 2  # a workbook needs --output
    assert cli("export", "xlsx", "plan.yaml", "--output", "plan.xlsx").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert book.sheetnames == ["Roadmap", "Budget", "Readiness", "Findings"]
    header = [cell.value for cell in book["Roadmap"][1]]
    row = {name: cell for name, cell in zip(header, book["Roadmap"][2], strict=True)}
    assert row["title"].value.startswith("=HYPERLINK") and row["title"].data_type == "s"
    assert row["start"].value == dt.datetime(2027, 1, 4) and row["last day"].value == dt.datetime(2027, 1, 17)
    assert row["days"].value == 14 and row["budget"].value == 1234.5
    # Shown as dates and amounts, the header row frozen, an empty field an empty cell.
    assert row["start"].number_format == "yyyy-mm-dd" and row["budget"].number_format == "#,##0.00"
    assert book["Roadmap"].freeze_panes == "A2" and row["phase"].value is None
    budget = {row[0].value: row[4].value for row in book["Budget"].iter_rows(min_row=2)}
    assert budget == {2027: 1234.5, "plan": 1234.5}
    findings = [[cell.value for cell in row] for row in book["Findings"].iter_rows(min_row=2)]
    assert findings and all(isinstance(f[3], int) for f in findings)  # line numbers are numbers


def test_export_csv_writes_one_line_per_stage_with_flags_as_true(
    cli: Any, write_plan: Callable[..., Path]
) -> None:
    """Lines end in a bare newline (a spreadsheet and ``import csv`` read either; a diff of two exports
    shows no carriage returns), and a yes/no column is ``true`` or empty."""
    import csv
    import io

    path = write_plan(
        "cio_kit: 1\nenterprise: {name: C, plan_start: 2027-01-04}\nstages:\n"
        "  - {id: S-A, title: A, kind: training, duration_weeks: 2, mandatory: true, mandatory_reason: Law}\n"
        "  - {id: S-B, title: B, kind: training, duration_weeks: 1}\n"
        "  - {id: S-C, title: C, kind: training, duration_weeks: 3, depends_on: [S-A]}\n"
    )
    result = cli("export", "csv", str(path))
    assert result.exit_code == 0, result.stderr
    assert "\r" not in result.stdout and result.stdout.count("\n") == 4
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["critical"], r["mandatory"]) for r in rows] == [
        ("S-A", "true", "true"),
        ("S-B", "", ""),
        ("S-C", "true", ""),
    ]


def test_import_csv_reports_cells_by_row_and_column(cli: Any, tmp_path: Path) -> None:
    table = tmp_path / "stages.csv"
    table.write_text(
        "id,title,kind,duration_weeks,depends_on,colour,not_before\n"
        "S-A,Plan,training,2,,red,2027-13-01\n"
        "S-B,Build,training,x,S-A,blue,\n"
        "S-A,Again,training,1,,,\n",
        encoding="utf-8",
    )
    result = cli("import", "csv", str(table), "--output", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 1
    said = result.stderr
    assert f"{table}:1:6: left out: 'colour' is not a stage field" in said
    assert f"{table}:2:7: error: not_before: '2027-13-01' is not a date (YYYY-MM-DD)" in said
    assert f"{table}:3:4: error: duration_weeks: 'x' is not a number" in said
    assert f"{table}:4:1: error: id S-A is already the stage of row 2" in said
    assert "Traceback" not in said and not (tmp_path / "plan.yaml").exists()
    table.write_text("ID;Name;Kind;Duration weeks;Depends on\nS-A;Plan;training;2;\nS-B;Go;milestone;;S-A\n")
    good = cli("import", "csv", str(table), "--plan-start", "2027-01-04")
    assert good.exit_code == 0, good.stderr
    assert "depends_on:\n  - S-A" in good.stdout and "plan_start: 2027-01-04" in good.stdout


def test_a_spreadsheet_of_30_tasks_becomes_a_plan_that_validates(cli: Any, tmp_path: Path) -> None:
    """The issue's "Done when": a project manager's sheet, headers in their own words."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Name", "Kind", "Duration weeks", "Depends on", "Owner", "Not before", "Phase"])
    kinds = ["process-redesign", "system-build", "data-migration", "training", "system-rollout"]
    for number in range(30):
        depends = ", ".join(f"S-{p}" for p in (number - 1, number - 3) if p >= 0)
        not_before = dt.datetime(2027, 3, 1) if number == 10 else None
        sheet.append(
            [
                f"S-{number}",
                f"Task {number}",
                kinds[number % 5],
                1 + number % 4,
                depends,
                "PMO",
                not_before,
                "PH-A",
            ]
        )
    book.save(tmp_path / "tasks.xlsx")
    result = cli("import", "xlsx", str(tmp_path / "tasks.xlsx"), "--output", str(tmp_path / "plan.yaml"),
                 "--plan-start", "2027-01-04")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr and "30 stages" in result.stderr
    validate = cli("plan", "validate", str(tmp_path / "plan.yaml"), "--fail-on", "error")
    assert validate.exit_code == 0, validate.stdout
    loaded = check_file(tmp_path / "plan.yaml", True)
    assert loaded.plan is not None and len(loaded.plan.stages) == 30
    assert loaded.plan.stages[10].not_before == dt.date(2027, 3, 1)
    assert loaded.plan.stages[5].depends_on == ["S-4", "S-2"]


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_export_mspdi_then_import_gives_back_the_stages_and_dates(
    path: Path, tmp_path: Path, cli: Any
) -> None:
    before, after, said = round_trip(cli, path, tmp_path, "mspdi")
    assert "no stage kinds" in said  # what MSPDI cannot carry is said
    assert before.plan is not None and after.plan is not None
    old, new = compute(before.plan), compute(after.plan)
    by_id = {stage.id: (stage, timing) for stage, timing in zip(after.plan.stages, new.timings, strict=True)}
    assert set(by_id) == {stage.id for stage in before.plan.stages}
    local = {stage.id for stage in before.plan.stages}
    for was, then in zip(before.plan.stages, old.timings, strict=True):
        stage, now = by_id[was.id]
        assert stage.depends_on == [ref for ref in was.depends_on if ref in local], was.id
        assert stage.phase == was.phase and (stage.kind == "milestone") == (was.kind == "milestone")
        assert (now.days, new.date(now.earliest_start)) == (then.days, old.date(then.earliest_start)), was.id
    assert [r.id for r in after.plan.resources or []] == [r.id for r in before.plan.resources or []]


def test_import_mspdi_refuses_entities_and_reports_what_it_drops(cli: Any, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><Project/>', encoding="utf-8")
    result = cli("import", "mspdi", str(bomb))
    assert result.exit_code == 1 and "DOCTYPE" in result.stderr and "Traceback" not in result.stderr
    broken = tmp_path / "broken.xml"
    broken.write_text("<Project", encoding="utf-8")
    assert cli("import", "mspdi", str(broken)).exit_code == 1
    project = tmp_path / "p.xml"
    project.write_text(
        '<Project xmlns="http://schemas.microsoft.com/project"><Name>P</Name>'
        "<StartDate>2027-01-04T08:00:00</StartDate><Tasks>"
        "<Task><UID>1</UID><ID>1</ID><Name>Design</Name><Duration>PT80H0M0S</Duration>"
        "<DurationFormat>7</DurationFormat></Task>"
        "<Task><UID>2</UID><ID>2</ID><Name>Build</Name><Duration>PT40H0M0S</Duration>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>3</Type><LinkLag>4800</LinkLag></PredecessorLink>"
        "</Task></Tasks></Project>",
        encoding="utf-8",
    )
    result = cli("import", "mspdi", str(project))
    assert result.exit_code == 0, result.stderr
    assert "T-2: the link from T-1 is not finish-to-start" in result.stderr
    assert "the lag after T-1 is not supported" in result.stderr
    # Working durations: 80 hours of 8-hour days, five days a week, are two weeks.
    assert "duration_weeks: 2.0" in result.stdout and "duration_weeks: 1.0" in result.stdout


def test_control_characters_in_plan_text_keep_the_files_readable(
    cli: Any, write_plan: Callable[..., Path], tmp_path: Path
) -> None:
    """XML 1.0 cannot hold \\x01: shown escaped, the workbook and the project file stay well-formed."""
    import xml.etree.ElementTree as ET

    openpyxl = pytest.importorskip("openpyxl")
    write_plan(
        'cio_kit: 1\nenterprise: {name: "X\\x01Y", plan_start: 2027-01-04}\n'
        'stages:\n  - {id: S-A, title: "A\\x02B", kind: training, duration_weeks: 1}\n'
    )
    assert cli("export", "xlsx", "plan.yaml", "--output", "plan.xlsx").exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "plan.xlsx")["Roadmap"]["B2"].value == "A\\x02B"
    assert cli("export", "mspdi", "plan.yaml", "--output", "plan.xml").exit_code == 0
    root = ET.parse(tmp_path / "plan.xml").getroot()
    assert root.findtext("{http://schemas.microsoft.com/project}Name") == "X\\x01Y"


def test_the_delimiter_is_the_header_rows_and_brings_its_decimal_mark() -> None:
    """The header row alone decides (a comma in a later row's text does not); an empty file reads as
    comma-separated; a comma file writes decimals with a point, a semicolon or tab file as Excel does."""
    from cio_kit.interchange.csv import decimal_of, detect_delimiter

    assert detect_delimiter("") == ","
    assert detect_delimiter("id;title;kind") == ";"
    assert detect_delimiter("id;title\nS-A;A, B, C and D") == ";"
    assert detect_delimiter("id\ttitle\tkind\nS-A\tA;B\ttraining") == "\t"
    assert detect_delimiter("id,title,kind") == ","
    assert decimal_of(",") == "."
    assert decimal_of(";") is None and decimal_of("\t") is None


def test_to_csv_ends_each_line_with_a_bare_newline() -> None:
    """csv.writer's own default is CRLF; an export diffed in git should not carry carriage returns."""
    from cio_kit.interchange.csv import to_csv
    from cio_kit.plan.loader import load_bytes

    text = "cio_kit: 1\nenterprise: {name: C, plan_start: 2027-01-04}\nstages:\n"
    text += "  - {id: S-A, title: A, kind: training, duration_weeks: 2}\n"
    plan = load_bytes(text.encode(), "c.yaml").plan
    assert plan is not None
    written = to_csv(plan, compute(plan))
    assert written.count("\n") == 2 and "\r" not in written


def test_a_workbook_cell_holds_text_as_written_and_escapes_only_what_xml_or_a_runner_would_read() -> None:
    import enum

    from cio_kit.interchange.xlsx import _cell

    class Kind(enum.StrEnum):
        TRAINING = "training"

    def inline(text: str) -> str:
        return f'<c r="A1" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'

    assert _cell("A1", "Go-live, 稼働") == inline("Go-live, 稼働")
    assert _cell("A1", Kind.TRAINING) == inline("training")
    assert _cell("A1", "R&D <b>") == inline("R&amp;D &lt;b&gt;")
    assert _cell("A1", "note\n::error::x") == inline("note\n\u200b::error::x")
    assert _cell("A1", "bell\x07") == inline("bell\\x07")
    assert _cell("A1", "") == _cell("A1", None) == ""
    assert _cell("A1", 3) == '<c r="A1"><v>3</v></c>'


def test_export_refuses_its_input_as_output_and_xlsx_without_a_file(cli: Any, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(ROOT / "plans" / "hengda-group.yaml", plan)
    before = plan.read_bytes()
    over = cli("export", "csv", str(plan), "--output", str(plan))
    assert over.exit_code == 2 and "is an input of this command; writing it would destroy it" in over.stderr
    assert plan.read_bytes() == before
    bare = cli("export", "xlsx", str(plan))
    assert bare.exit_code == 2
    assert bare.stderr.endswith("export xlsx writes a binary workbook: name it with --output FILE.xlsx\n")


def test_export_shows_the_plan_as_it_stands_unless_asked_as_written(cli: Any, in_root: Path) -> None:
    """The kickoff is done: as it stands it ran to its actual finish, 22 January; as written, the 24th."""
    rows = {
        flag: next(line for line in cli("export", "csv", "plans/hengda-group.yaml", *flag).stdout.splitlines()
                   if line.startswith("S-KICKOFF,"))
        for flag in ((), ("--as-written",))
    }  # fmt: skip
    assert ",2027-01-04,2027-01-22," in rows[()]
    assert ",2027-01-04,2027-01-24," in rows[("--as-written",)]


def test_export_reads_the_configuration_it_is_given(cli: Any, write_plan: Callable[..., Path]) -> None:
    """Two plans and no cio-kit.yaml: a plan must be named, unless --config names a default_plan."""
    write_plan(name="plans/a.yaml")
    write_plan((ROOT / "plans" / "plant-two-mes.yaml").read_text(encoding="utf-8"), name="plans/b.yaml")
    write_plan("default_plan: plans/b.yaml\n", name="settings.yaml")
    assert cli("export", "csv").exit_code == 2
    chosen = cli("export", "csv", "--config", "settings.yaml")
    assert chosen.exit_code == 0, chosen.stderr
    assert chosen.stdout.splitlines()[1].startswith("S-WX-BRIEF,")


def test_the_as_written_workbooks_findings_are_validates_findings(cli: Any, tmp_path: Path) -> None:
    """Exported as written, the workbook's Findings sheet is still what `plan validate` reports."""
    import json

    import openpyxl

    plan = str(ROOT / "plans" / "hengda-group.yaml")
    validated = json.loads(cli("plan", "validate", plan, "-f", "json").stdout)
    expected = sorted([f["rule"], f["line"], f["message"]] for f in validated["findings"])
    done = cli("export", "xlsx", plan, "--as-written", "-o", str(tmp_path / "plan.xlsx"))
    assert done.exit_code == 0, done.stderr
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx")["Findings"]
    found = sorted([row[0], row[3], row[6]] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert len(expected) >= 10 and found == expected


@pytest.mark.parametrize("flags", [(), ("--as-written",)])
def test_the_workbooks_budget_years_are_report_budgets(
    cli: Any, tmp_path: Path, flags: tuple[str, ...]
) -> None:
    """The Budget sheet spreads money on the same basis as `report budget` with the same flag."""
    import json

    import openpyxl

    plan = str(ROOT / "plans" / "hengda-group.yaml")
    report = json.loads(cli("report", "budget", plan, *flags, "-f", "json").stdout)
    expected = [[y["year"], y["run"], y["grow"], y["transform"], y["total"]] for y in report["years"]]
    assert cli("export", "xlsx", plan, *flags, "-o", str(tmp_path / "plan.xlsx")).exit_code == 0
    rows = list(
        openpyxl.load_workbook(tmp_path / "plan.xlsx")["Budget"].iter_rows(min_row=2, values_only=True)
    )
    shown = [[row[0], *(round(value, 2) for value in row[1:5])] for row in rows if isinstance(row[0], int)]
    assert shown == expected
    written = json.loads(cli("report", "budget", plan, "--as-written", "-f", "json").stdout)["years"]
    assert (report["years"] == written) == bool(flags)  # the two bases differ on this plan


def test_the_spreadsheets_float_is_roadmap_shows(cli: Any, in_root: Path) -> None:
    """Stage by stage, export csv's float in days is roadmap show's in weeks; done work has none."""
    import csv
    import io
    import json

    shown = json.loads(cli("roadmap", "show", "plans/hengda-group.yaml", "-f", "json").stdout)["stages"]
    rows = list(csv.DictReader(io.StringIO(cli("export", "csv", "plans/hengda-group.yaml").stdout)))
    assert [row["id"] for row in rows] == [stage["id"] for stage in shown]
    for row, stage in zip(rows, shown, strict=True):
        weeks = stage["total_float"]
        assert row["float (days)"] == ("" if weeks is None else str(round(weeks * 7))), stage["id"]
    assert sum(row["status"] == "done" for row in rows) >= 2
