"""Excel workbooks: ``export xlsx`` writes the roadmap, the budget, readiness and findings (SPEC §14).

``import xlsx`` reads the Roadmap sheet back as a table of stages.

Written as the workbook's XML parts, read with openpyxl (MIT, pure Python,
wheels for every platform): dates are real dates and amounts real numbers,
so a finance team can sum and filter them. Text from the plan is never a
formula: a title that begins with ``=``, ``+``, ``-`` or ``@`` is an inline
string, not evaluated.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from io import BytesIO
from typing import Any, Union
from xml.sax.saxutils import escape

from cio_kit.analysis.schedule import Schedule
from cio_kit.findings import Finding
from cio_kit.interchange.rows import stage_table
from cio_kit.plan.model import Plan
from cio_kit.render.escape import xml_text
from cio_kit.reports.budget import BudgetReport
from cio_kit.reports.readiness import Readiness

#: What a cell holds: text, a number, a date or a truth value, or nothing.
Value = Union[str, int, float, bool, dt.date, None]  # noqa: UP007 - a runtime alias for Python 3.10

_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of a workbook's date serials (Excel's 1900 date system, as Excel and LibreOffice count)."""
_DATE, _MONEY = 1, 2
"""Cell styles (``styles.xml``'s cellXfs): a date as yyyy-mm-dd, an amount as #,##0.00."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _letters(count: int) -> list[str]:
    """Column names A, B, … for ``count`` columns."""
    found = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        found.append(name)
    return found


def _cell(reference: str, value: Value) -> str:
    """One ``<c>`` element. Plan text is an inline string, never a formula, whatever it starts with."""
    if value.__class__ is str:  # most cells: tested first
        return _text_cell(reference, value) if value else ""
    if value is None or value == "":  # an empty cell, as Excel leaves it
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{reference}"><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{reference}" s="{_MONEY}"><v>{value!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{reference}" s="{_DATE}"><v>{(value - _EPOCH).days}</v></c>'
    return _text_cell(reference, str(value))


def _text_cell(reference: str, text: str) -> str:
    if not _PLAIN.match(text):
        # A workbook is XML: a control character is shown escaped, as it cannot be held.
        text = escape(xml_text(text))
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


_PLAIN = re.compile("[^&<>:\x00-\x1f\ud800-\udfff\ufffe\uffff]*\\Z")
"""Text that XML holds as it is and no escaper changes: no markup character, no control, no ``:``
(a line starting ``::`` is a workflow command). Most cells are such text; one match is cheaper
than the escapers it skips."""


def _sheet(header: list[str], rows: Sequence[Sequence[Value]]) -> str:
    """A worksheet: the header row frozen, then a row per entry."""
    width = max([len(header), *(len(row) for row in rows)])
    columns = _letters(width)
    lines = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews><sheetData>'
    ]
    for number, row in enumerate([header, *rows], start=1):
        cells = "".join(
            _cell(f"{column}{number}", value) for column, value in zip(columns, row, strict=False)
        )
        lines.append(f'<row r="{number}">{cells}</row>')
    lines.append("</sheetData></worksheet>")
    return "".join(lines)


def _package(sheets: Sequence[tuple[str, str]]) -> bytes:
    """The workbook as a zip of its parts (ECMA-376): content types, relationships, styles, sheets."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    count = len(sheets)
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPES}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    parts = {
        "[Content_Types].xml": f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>{types}</Types>',
        "_rels/.rels": f'{head}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
        f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
            for n, (title, _) in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{_PACKAGE_RELS}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": head + _STYLES,
    }
    parts.update({f"xl/worksheets/sheet{n}.xml": body for n, (_, body) in enumerate(sheets, start=1)})
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def to_xlsx(
    plan: Plan, schedule: Schedule, money: BudgetReport, ready: Readiness, findings: list[Finding]
) -> bytes:
    """The workbook: sheets Roadmap, Budget, Readiness and Findings.

    Written as its XML parts directly: openpyxl built an object per cell and took twice as long
    as validating the plan on 10,000 stages. Its reader (``import xlsx``) and LibreOffice read it back.
    """
    header, roadmap = stage_table(plan, schedule)
    years: list[list[Value]] = [
        [year, *(float(by_class.get(name, 0.0)) for name in ("run", "grow", "transform")),
         float(sum(by_class.values())), money.year_envelopes.get(year)]
        for year, by_class in money.years.items()
    ]  # fmt: skip
    years.append(["plan", *(float(c.amount) for c in money.classes), float(money.total), money.envelope])
    readiness: list[list[Value]] = [
        [s.id, s.title, s.state, "; ".join(r.text for r in s.reasons), float(s.budget)] for s in ready.stages
    ]
    found: list[list[Value]] = [
        [f.rule, f.severity.value, f.file, f.line, f.column, f.path, f.message] for f in findings
    ]
    return _package(
        [
            ("Roadmap", _sheet(header, roadmap)),
            ("Budget", _sheet(["fiscal year", "run", "grow", "transform", "total", "envelope"], years)),
            ("Readiness", _sheet(["id", "title", "state", "reasons", "budget"], readiness)),
            ("Findings", _sheet(["rule", "severity", "file", "line", "column", "path", "message"], found)),
        ]
    )


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
