"""Excel workbooks: ``export xlsx`` writes the roadmap, the budget, readiness and findings (SPEC §14).

``import xlsx`` reads the Roadmap sheet back as a table of stages.

Written with openpyxl (MIT, pure Python, wheels for every platform): dates
are real dates and amounts real numbers, so a finance team can sum and
filter them. Text from the plan is never a formula: a title that begins
with ``=``, ``+``, ``-`` or ``@`` is stored as text, not evaluated.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from io import BytesIO
from typing import Any, Union

from cio_kit.analysis.schedule import Schedule
from cio_kit.findings import Finding
from cio_kit.interchange.rows import stage_table
from cio_kit.plan.model import Plan
from cio_kit.render.escape import xml_text
from cio_kit.reports.budget import BudgetReport
from cio_kit.reports.readiness import Readiness

#: What a cell holds: text, a number, a date or a truth value, or nothing.
Value = Union[str, int, float, bool, dt.date, None]  # noqa: UP007 - a runtime alias for Python 3.10

_FORMULA_START = ("=", "+", "-", "@")


def _cell(sheet: Any, value: Value) -> Any:
    """A write-only cell; plan text is kept as text whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = xml_text(value)  # a workbook is XML: openpyxl refuses control characters outright
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type] # a date is a valid cell value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"  # openpyxl would otherwise store it as a formula
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, float):
        cell.number_format = "#,##0.00"
    return cell


def _sheet(book: Any, title: str, header: list[str], rows: Sequence[Sequence[Value]]) -> None:
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def to_xlsx(
    plan: Plan, schedule: Schedule, money: BudgetReport, ready: Readiness, findings: list[Finding]
) -> bytes:
    """The workbook: sheets Roadmap, Budget, Readiness and Findings."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    header, roadmap = stage_table(plan, schedule)
    _sheet(book, "Roadmap", header, roadmap)
    years: list[list[Value]] = [
        [year, *(float(by_class.get(name, 0.0)) for name in ("run", "grow", "transform")),
         float(sum(by_class.values())), money.year_envelopes.get(year)]
        for year, by_class in money.years.items()
    ]  # fmt: skip
    years.append(["plan", *(float(c.amount) for c in money.classes), float(money.total), money.envelope])
    _sheet(book, "Budget", ["fiscal year", "run", "grow", "transform", "total", "envelope"], years)
    _sheet(
        book,
        "Readiness",
        ["id", "title", "state", "reasons", "budget"],
        [
            [s.id, s.title, s.state, "; ".join(r.text for r in s.reasons), float(s.budget)]
            for s in ready.stages
        ],
    )
    _sheet(
        book,
        "Findings",
        ["rule", "severity", "file", "line", "column", "path", "message"],
        [[f.rule, f.severity.value, f.file, f.line, f.column, f.path, f.message] for f in findings],
    )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


#: What an imported workbook may hold: a table of stages is far smaller (SPEC §3, §15).
MAX_ROWS, MAX_COLUMNS = 100_001, 64
MAX_PARTS, MAX_SHEETS = 200, 255
MAX_UNPACKED = 64 * 1024 * 1024
"""Bytes of all parts once inflated; a 1 MB file that inflates to 300 MB is refused unread."""


class UnreadableWorkbook(ValueError):
    """A workbook cio-kit will not open: the message says which limit it passes."""


def rows_from_xlsx(data: bytes) -> list[list[Any]]:
    """The rows of the workbook's Roadmap sheet (as ``export xlsx`` writes it), else its first sheet.

    The zip is checked before openpyxl sees it (parts, sheets and inflated
    size), and at most :data:`MAX_ROWS` rows of :data:`MAX_COLUMNS` columns are
    read: a sheet's own ``dimension`` is not trusted, so a single cell in row
    1,048,576 or column XFD costs nothing.
    """
    from openpyxl import load_workbook

    _check_package(data)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book["Roadmap"] if "Roadmap" in book.sheetnames else book.worksheets[0]
    sheet.reset_dimensions()  # the sheet's own claim of its size is not read
    rows = []
    for row in sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True):
        rows.append(list(row))
    while rows and all(cell is None for cell in rows[-1]):
        rows.pop()
    return rows


def _check_package(data: bytes) -> None:
    """Refuse a workbook past the limits, from the zip's directory and its workbook part alone."""
    import re
    import zipfile

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnreadableWorkbook(f"not a workbook (a zip file): {error}") from None
    parts = package.infolist()
    if len(parts) > MAX_PARTS:
        raise UnreadableWorkbook(f"{len(parts):,} parts; a table of stages has far fewer than {MAX_PARTS}")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        raise UnreadableWorkbook(
            f"its parts inflate to {unpacked / 1024 / 1024:,.0f} MiB, over {MAX_UNPACKED / 1024 / 1024:g} MiB"
        )
    names = {part.filename for part in parts}
    if "xl/workbook.xml" in names:
        sheets = len(re.findall(rb"<(?:\w+:)?sheet\b", package.read("xl/workbook.xml")))
        if sheets > MAX_SHEETS:
            raise UnreadableWorkbook(f"{sheets:,} sheets; a workbook holds at most {MAX_SHEETS}")
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.file_size:
            _check_sheet(part.filename, package.read(part))


def _check_sheet(name: str, sheet: bytes) -> None:
    """Refuse a sheet with cells past the rows and columns read: nothing is dropped silently."""
    import re

    if sheet.count(b"<col ") > MAX_COLUMNS * 4:
        raise UnreadableWorkbook(f"{name} defines thousands of columns; a table has few")
    rows = [int(found) for found in re.findall(rb'<(?:\w+:)?row\b[^>]*\br="(\d{1,7})"', sheet)]
    if rows and max(rows) > MAX_ROWS:
        raise UnreadableWorkbook(f"{name} has a row {max(rows):,}; cio-kit reads at most {MAX_ROWS:,} rows")
    for letters in set(re.findall(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]{1,3})\d', sheet)):
        number = 0
        for letter in letters:
            number = number * 26 + letter - 64
        if number > MAX_COLUMNS:
            raise UnreadableWorkbook(
                f"{name} has cells in column {letters.decode()}; cio-kit reads {MAX_COLUMNS} columns at most"
            )
