"""The hostile pull requests of the red-team issue, one builder per attack.

Each builder writes what a pull request could put in ``plans/``. The tests
(``tests/test_hostile_prs.py``) run every case through the command CI runs
and check the outcome; ``benchmarks/hostile.py`` runs the same cases against
the time and memory budget.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

#: What the composite action runs (with GITHUB_ACTIONS=true).
ACTION = ["plan", "validate", "--format", "sarif", "--output", "cio-kit.sarif"]
MINIMAL = "cio_kit: 1\nenterprise: {name: T, plan_start: 2027-01-04}\nstages:\n"


def _stage(ident: str, extra: str = "") -> str:
    return f"  - {{id: {ident}, title: T, kind: training, duration_weeks: 1{extra}}}\n"


def symlink_to_stdout(plans: Path) -> None:
    (plans / "a.yaml").write_text(MINIMAL + _stage("S-A"))
    (plans / "zz.yaml").symlink_to("/proc/self/fd/1")
    os.mkfifo(plans / "fifo.yaml")


def suppressions(plans: Path) -> None:
    body = "".join(
        f"  - {{id: S-{n}, title: 'x', kind: training, duration_weeks: 1}}  # cio-kit: ignore[STRAT004] ok\n"
        for n in range(2000)
    )
    (plans / "plan.yaml").write_text(MINIMAL + body)  # about 160 KB


def repeated_dependency(plans: Path) -> None:
    repeats = ", ".join(["S-A"] * 200_000)  # about 1 MB
    (plans / "plan.yaml").write_text(MINIMAL + _stage("S-A") + _stage("S-B", f", depends_on: [{repeats}]"))


def digits_name(plans: Path) -> None:
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("name: T", "name: '" + "7" * 30_000 + "'") + _stage("S-A")
    )


def many_milestones(plans: Path) -> None:
    count = 20_000
    body = "".join(f"  - {{id: M-{n}, title: M, kind: milestone}}\n" for n in range(count))
    needs = ", ".join(f"M-{n}" for n in range(count))
    (plans / "plan.yaml").write_text(MINIMAL + body + _stage("S-A", f", depends_on: [{needs}]"))


def dense_plan(plans: Path) -> None:
    width = 300
    body = "".join(f"  - {{id: A-{n}, title: A, kind: milestone}}\n" for n in range(width))
    needs = ", ".join(f"A-{n}" for n in range(width))
    body += "".join(_stage(f"B-{n}", f", depends_on: [{needs}]") for n in range(width))
    (plans / "plan.yaml").write_text(MINIMAL + body)


def huge_amounts(plans: Path) -> None:
    lines = "budget:\n  lines:\n    - {id: B-1, amount: 1e308, class: run, category: other}\n"
    lines += "    - {id: B-2, amount: 1e308, class: run, category: other}\n"
    (plans / "plan.yaml").write_text(MINIMAL + _stage("S-A") + lines)


def huge_integers(plans: Path) -> None:
    (plans / "plan.yaml").write_text(MINIMAL + _stage("S-A", f", owner: {'9' * 5000}"))


def far_future(plans: Path) -> None:
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("2027-01-04", "9999-12-01") + _stage("S-A", ", not_before: 9999-12-31")
    )


def injected_command(plans: Path) -> None:
    key = json.dumps("x\n::error file=README.md,line=1::Security review approved")
    (plans / "plan.yaml").write_text(MINIMAL + _stage("S-A") + f"{key}: 1\n")


def alias_bomb(plans: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 9)]
    (plans / "plan.yaml").write_text("cio_kit: 1\nenterprise: {name: T}\n" + "\n".join(levels) + "\n")


def deep_nesting(plans: Path) -> None:
    (plans / "plan.yaml").write_text("cio_kit: 1\nenterprise: {name: T}\nx: " + "[" * 100_000 + "\n")


def oversized_file(plans: Path) -> None:
    (plans / "plan.yaml").write_text(MINIMAL + "#" * (11 * 1024 * 1024) + "\n")  # over the 10 MiB limit


def many_resources(plans: Path) -> None:
    """2,000 teams of different sizes on one century-long stage with a deadline (SPEC §11)."""
    teams = "".join(f"  - {{id: R{n}, capacity: {n + 1}}}\n" for n in range(2000))
    effort = ", ".join(f"R{n}: 5" for n in range(2000))
    stage = _stage("S-A", f", deadline: 2100-01-01, effort: {{{effort}}}").replace(
        "duration_weeks: 1", "duration_weeks: 5200"
    )
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("stages:\n", "resources:\n" + teams + "stages:\n") + stage
    )


def long_bookings(plans: Path) -> None:
    """Twenty teams booked on two century-long stages with a deadline: levelling must stay bounded."""
    teams = "".join(f"  - {{id: R{n}, capacity: 2}}\n" for n in range(20))
    effort = ", ".join(f"R{n}: 50000" for n in range(20))
    body = "".join(
        _stage(f"S-{n}", f", deadline: 2200-01-01, effort: {{{effort}}}").replace(
            "duration_weeks: 1", "duration_weeks: 5200"
        )
        for n in range(2)
    )
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("stages:\n", "resources:\n" + teams + "stages:\n") + body
    )


# -- round three (issue 27): the surfaces v1.1 added ------------------------------------------


def _workbook(path: Path, parts: dict[str, bytes]) -> None:
    """A minimal .xlsx with the given parts over the skeleton a reader needs."""
    import zipfile

    skeleton = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        b"</Types>",
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        b"</Relationships>",
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        b'<sheet name="Roadmap" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        b"</Relationships>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, body in {**skeleton, **parts}.items():
            book.writestr(name, body)


_SHEET = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def xlsx_far_cell(plans: Path) -> None:
    """A workbook whose dimension claims A1:XFD1048576, with one cell in the last row."""
    sheet = (
        _SHEET + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    _workbook(plans / "t.xlsx", {"xl/worksheets/sheet1.xml": sheet})


def xlsx_wide_row(plans: Path) -> None:
    """30,000 cells in column XFD, one per row."""
    rows = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (n, n) for n in range(1, 30_001))
    _workbook(
        plans / "t.xlsx",
        {"xl/worksheets/sheet1.xml": _SHEET + b"<sheetData>" + rows + b"</sheetData></worksheet>"},
    )


def xlsx_many_sheets(plans: Path) -> None:
    """20,000 sheet entries in the workbook, and a part of 16,000 column definitions."""
    sheets = b"".join(b'<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (n, n + 2) for n in range(20_000))
    workbook = (
        b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + sheets
        + b"</sheets></workbook>"
    )
    cols = b"".join(b'<col min="%d" max="%d" width="9"/>' % (n, n) for n in range(1, 16_001))
    sheet = _SHEET + b"<cols>" + cols + b"</cols><sheetData/></worksheet>"
    _workbook(plans / "t.xlsx", {"xl/workbook.xml": workbook, "xl/worksheets/sheet1.xml": sheet})


def xlsx_string_bomb(plans: Path) -> None:
    """An unused sharedStrings.xml that inflates to about 300 MB from a file of about 1 MB."""
    sheet = (
        _SHEET
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row></sheetData></worksheet>'
    )
    strings = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>aaaaaaaaaaaaaaaaaaaa</t></si>" * 10_000_000
        + b"</sst>"
    )
    _workbook(plans / "t.xlsx", {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings})


def effort_driven(plans: Path) -> None:
    """300 effort-driven stages on three teams: RES002 levels the plan."""
    teams = "".join(f"  - {{id: R{n}, capacity: 2}}\n" for n in range(3))
    body = "".join(_stage(f"S-{n}", f", effort: {{R{n % 3}: 20}}, effort_driven: true") for n in range(300))
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("stages:\n", "resources:\n" + teams + "stages:\n") + body
    )


def century_chain(plans: Path) -> None:
    """75 chained 5,200-week stages with effort."""
    teams = "  - {id: R0, capacity: 1}\n"
    body = "".join(
        _stage(f"S-{n}", (f", depends_on: [S-{n - 1}]" if n else "") + ", effort: {R0: 10}").replace(
            "duration_weeks: 1", "duration_weeks: 5200"
        )
        for n in range(75)
    )
    (plans / "plan.yaml").write_text(
        MINIMAL.replace("stages:\n", "resources:\n" + teams + "stages:\n") + body
    )


def many_small_plans(plans: Path) -> None:
    """300 one-stage plans."""
    for n in range(300):
        (plans / f"p{n:03}.yaml").write_text(
            MINIMAL.replace("name: T", f"name: T{n}")
            + _stage("S-A", ", budget: [{amount: 10, class: run, category: other}]")
        )


def large_plan(plans: Path) -> None:
    """A plan of about 800 KB: 6,000 stages with titles and owners."""
    body = "".join(
        f"  - {{id: S-{n}, title: 'Stage {n} of the programme with a long title', kind: training, "
        f"duration_weeks: 2, owner: 'Owner {n % 50}'{', depends_on: [S-' + str(n - 1) + ']' if n % 7 else ''}}}\n"
        for n in range(6000)
    )
    (plans / "plan.yaml").write_text(MINIMAL + body)


CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("1 symlink to stdout, FIFO", symlink_to_stdout, ACTION),
    ("2 2,000 suppression comments", suppressions, ACTION),
    ("3 depends_on repeated 200,000 times", repeated_dependency, ACTION),
    ("4 30,000-digit name, text output", digits_name, ["plan", "validate"]),
    ("5 one stage on 20,000 milestones", many_milestones, ACTION),
    ("6 300 × 300 dense plan, roadmap risk", dense_plan, ["roadmap", "risk", "plans/plan.yaml"]),
    ("7 injected workflow command", injected_command, ["plan", "validate"]),
    ("11 amounts of 1e308", huge_amounts, ACTION),
    ("14 5,000-digit integer", huge_integers, ACTION),
    ("14 dates at the end of the calendar", far_future, ["roadmap", "show", "plans/plan.yaml"]),
    ("15 2,000 teams on a century-long stage", many_resources, ACTION),
    ("15 the same, levelled", many_resources, ["roadmap", "show", "plans/plan.yaml", "--level"]),
    ("15 twenty teams booked for two centuries", long_bookings, ACTION),
    (
        "15 twenty teams booked for two centuries, levelled",
        long_bookings,
        ["roadmap", "show", "plans/plan.yaml", "--level"],
    ),
    ("held: alias bomb", alias_bomb, ACTION),
    ("held: 100,000-deep nesting", deep_nesting, ACTION),
    ("held: an 11 MiB file", oversized_file, ACTION),
    ("27/1 workbook claiming A1:XFD1048576", xlsx_far_cell, ["import", "xlsx", "plans/t.xlsx"]),
    ("27/1 30,000 cells in column XFD", xlsx_wide_row, ["import", "xlsx", "plans/t.xlsx"]),
    ("27/2 20,000 sheets, 16,000 columns", xlsx_many_sheets, ["import", "xlsx", "plans/t.xlsx"]),
    ("27/3 300 MB of unused shared strings", xlsx_string_bomb, ["import", "xlsx", "plans/t.xlsx"]),
    ("27/5 300 effort-driven stages", effort_driven, ACTION),
    (
        "27/6 75 chained century stages, capacity",
        century_chain,
        ["report", "capacity", "plans/plan.yaml", "--by", "quarter"],
    ),
    ("27/6 the same, validate", century_chain, ACTION),
    (
        "27/18 300 one-stage plans, board",
        many_small_plans,
        ["report", "board", "plans", "--output", "board.html"],
    ),
    ("27/21 an 800 KB plan, roadmap show", large_plan, ["roadmap", "show", "plans/plan.yaml"]),
    ("27/21 the same, readiness", large_plan, ["report", "readiness", "plans/plan.yaml"]),
]
