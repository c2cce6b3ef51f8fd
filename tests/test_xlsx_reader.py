"""Reading a workbook (``import xlsx``, ``plan update --from``): which sheet, which rows, and each limit
at its edge, refused with words that say which (SPEC §14, §19). The hostile sweep checks that such
files never crash a command; here, where the limits stand and what they say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cio_kit.interchange.xlsx import (
    MAX_COLUMNS,
    MAX_PARTS,
    MAX_ROWS,
    MAX_SHEETS,
    MAX_UNPACKED,
    UnreadableWorkbook,
    rows_from_xlsx,
)
from tests.hostile.cases import _SHEET, _workbook

SHEET1 = "xl/worksheets/sheet1.xml"


def _book(tmp_path: Path, parts: dict[str, bytes]) -> bytes:
    path = tmp_path / "t.xlsx"
    _workbook(path, parts)
    return path.read_bytes()


def _sheet(body: bytes, head: bytes = b"") -> bytes:
    return _SHEET + head + b"<sheetData>" + body + b"</sheetData></worksheet>"


def _cell(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _read(data: bytes) -> list[list[object]]:
    """The rows read, each without the empty cells after its last value (every row is read 64 wide)."""
    rows = rows_from_xlsx(data)
    assert all(len(row) == MAX_COLUMNS for row in rows)
    trimmed = []
    for row in rows:
        while row and row[-1] is None:
            row = row[:-1]
        trimmed.append(row)
    return trimmed


def _refused(data: bytes) -> str:
    with pytest.raises(UnreadableWorkbook) as refused:
        rows_from_xlsx(data)
    return str(refused.value)


def test_the_rows_are_read_to_the_last_one_with_a_value(tmp_path: Path) -> None:
    body = (
        b'<row r="1">' + _cell("A1", "id") + _cell("B1", "title") + b"</row>"
        b'<row r="2">' + _cell("A2", "S-A") + b'<c r="B2"><v>7</v></c></row>'
        b'<row r="3"><c r="A3"/></row><row r="4"/>'
    )
    assert _read(_book(tmp_path, {SHEET1: _sheet(body)})) == [["id", "title"], ["S-A", 7]]


def test_the_roadmap_sheet_is_read_wherever_it_stands_else_the_first(tmp_path: Path) -> None:
    workbook = (
        b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        b'<sheet name="Notes" sheetId="1" r:id="rId2"/><sheet name="%s" sheetId="2" r:id="rId1"/>'
        b"</sheets></workbook>"
    )
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="%(type)s" Target="worksheets/sheet1.xml"/>'
        b'<Relationship Id="rId2" Type="%(type)s" Target="worksheets/sheet2.xml"/></Relationships>'
    ) % {b"type": b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"}
    parts = {
        "xl/_rels/workbook.xml.rels": rels,
        SHEET1: _sheet(b'<row r="1">' + _cell("A1", "roadmap") + b"</row>"),
        "xl/worksheets/sheet2.xml": _sheet(b'<row r="1">' + _cell("A1", "notes") + b"</row>"),
    }
    named = _book(tmp_path, {**parts, "xl/workbook.xml": workbook % b"Roadmap"})
    assert _read(named) == [["roadmap"]]
    unnamed = _book(tmp_path, {**parts, "xl/workbook.xml": workbook % b"Stages"})
    assert _read(unnamed) == [["notes"]]


def test_the_last_row_read_is_accepted_and_the_next_refused(tmp_path: Path) -> None:
    last = _sheet(b'<row r="1">' + _cell("A1", "id") + b'</row><row r="%d"/>' % MAX_ROWS)
    assert _read(_book(tmp_path, {SHEET1: last})) == [["id"]]
    past = _sheet(b'<row r="1">' + _cell("A1", "id") + b'</row><x:row r="%d"/>' % (MAX_ROWS + 1))
    assert _refused(_book(tmp_path, {SHEET1: past})) == (
        f"{SHEET1} has a row 100,002; cio-kit reads at most 100,001 rows"
    )


def test_the_last_column_read_is_accepted_and_the_next_refused(tmp_path: Path) -> None:
    assert MAX_COLUMNS == 64  # BL is the 64th column, BM the 65th
    last = _sheet(b'<row r="1">' + _cell("A1", "id") + _cell("BL1", "x") + b"</row>")
    assert _read(_book(tmp_path, {SHEET1: last}))[0][-1] == "x"
    past = _sheet(b'<row r="1">' + _cell("A1", "id") + _cell("BM1", "x") + b"</row>")
    assert _refused(_book(tmp_path, {SHEET1: past})) == (
        f"{SHEET1} has cells in column BM; cio-kit reads 64 columns at most"
    )


def test_column_definitions_past_four_for_each_column_read_are_refused(tmp_path: Path) -> None:
    def cols(count: int) -> bytes:
        return b"<cols>" + b'<col min="1" max="1" width="9"/>' * count + b"</cols>"

    body = b'<row r="1">' + _cell("A1", "id") + b"</row>"
    assert _read(_book(tmp_path, {SHEET1: _sheet(body, cols(MAX_COLUMNS * 4))})) == [["id"]]
    assert _refused(_book(tmp_path, {SHEET1: _sheet(body, cols(MAX_COLUMNS * 4 + 1))})) == (
        f"{SHEET1} defines thousands of columns; a table has few"
    )


def test_a_package_of_too_many_parts_or_sheets_or_too_large_unpacked_is_refused_unread(
    tmp_path: Path,
) -> None:
    sheet = {SHEET1: _sheet(b'<row r="1">' + _cell("A1", "id") + b"</row>")}
    skeleton = 5  # the parts every workbook here has, the sheet among them
    within = {f"extra/{n}.xml": b"<x/>" for n in range(MAX_PARTS - skeleton)}
    assert _read(_book(tmp_path, {**sheet, **within})) == [["id"]]
    over = {**within, "extra/one-more.xml": b"<x/>"}
    assert (
        _refused(_book(tmp_path, {**sheet, **over})) == "201 parts; a table of stages has far fewer than 200"
    )
    names = b"".join(
        b'<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (n, n + 1) for n in range(MAX_SHEETS + 1)
    )
    workbook = (
        b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + names
        + b"</sheets></workbook>"
    )
    assert _refused(_book(tmp_path, {**sheet, "xl/workbook.xml": workbook})) == (
        "256 sheets; a workbook holds at most 255"
    )
    padding = {"extra/big.xml": b" " * (MAX_UNPACKED + 1)}
    assert _refused(_book(tmp_path, {**sheet, **padding})).startswith(
        "its parts inflate to 64 MiB, over 64 MiB"
    )


def test_bytes_that_are_not_a_zip_are_not_a_workbook() -> None:
    assert _refused(b"id,title\n") == "not a workbook (a zip file): File is not a zip file"


def test_a_formula_is_read_as_the_value_it_last_showed_not_its_text(tmp_path: Path) -> None:
    """A team's sheet may compute a cell (=B2*7): the value Excel saved with it is what is read."""
    body = (
        b'<row r="1">' + _cell("A1", "id") + _cell("B1", "duration_weeks") + b"</row>"
        b'<row r="2">' + _cell("A2", "S-A") + b'<c r="B2"><f>2*3</f><v>6</v></c></row>'
    )
    assert _read(_book(tmp_path, {SHEET1: _sheet(body)})) == [["id", "duration_weeks"], ["S-A", 6]]


def _claiming(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s central-directory entry claiming ``size`` bytes unpacked (the data
    stays small): a reader that trusts the directory refuses it without inflating anything."""
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == member.encode():
            return data[: at + 24] + size.to_bytes(4, "little") + data[at + 28 :]
        at += 4


def test_the_unpacked_size_is_read_from_the_zips_directory_at_its_edge(tmp_path: Path) -> None:
    import zipfile
    from io import BytesIO

    sheet = {SHEET1: _sheet(b'<row r="1">' + _cell("A1", "id") + b"</row>")}
    skeleton = _book(tmp_path, {**sheet, "extra/pad.xml": b""})
    others = sum(part.file_size for part in zipfile.ZipFile(BytesIO(skeleton)).infolist())
    exact = _book(tmp_path, {**sheet, "extra/pad.xml": b" " * (MAX_UNPACKED - others)})
    assert _read(exact) == [["id"]]
    over = _book(tmp_path, {**sheet, "extra/pad.xml": b" " * (MAX_UNPACKED - others + 1)})
    assert _refused(over) == "its parts inflate to 64 MiB, over 64 MiB"
    claimed = _claiming(skeleton, "extra/pad.xml", 2**32 - 1)
    assert _refused(claimed) == f"its parts inflate to {(2**32 - 1 + others) / 2**20:,.0f} MiB, over 64 MiB"


def test_the_last_sheet_count_is_accepted(tmp_path: Path) -> None:
    names = b"".join(b'<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (n, n + 1) for n in range(MAX_SHEETS))
    workbook = (
        b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + names
        + b"</sheets></workbook>"
    )
    sheet = {SHEET1: _sheet(b'<row r="1">' + _cell("A1", "id") + b"</row>")}
    assert _read(_book(tmp_path, {**sheet, "xl/workbook.xml": workbook})) == [["id"]]


def test_only_worksheets_are_held_to_the_row_and_column_limits(tmp_path: Path) -> None:
    """A part that is no worksheet (document properties, say) may hold anything that looks like rows."""
    sheet = {SHEET1: _sheet(b'<row r="1">' + _cell("A1", "id") + b"</row>")}
    other = b'<x><row r="900000"/><c r="ZZZ1"/></x>'
    assert _read(_book(tmp_path, {**sheet, "docProps/custom.xml": other})) == [["id"]]


def test_each_row_the_export_writes_holds_cells_only(cli: Any, in_root: Path, tmp_path: Path) -> None:
    """No stray text between a row's cells: Excel reports such a sheet as needing repair."""
    import xml.etree.ElementTree as ElementTree
    import zipfile

    book = tmp_path / "plan.xlsx"
    assert cli("export", "xlsx", "plans/hengda-group.yaml", "-o", str(book)).exit_code == 0
    with zipfile.ZipFile(book) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert len(sheets) >= 4
        for name in sheets:
            rows = ElementTree.fromstring(package.read(name)).iter(
                "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"
            )
            for row in rows:
                assert not (row.text or "").strip(), name
                assert all(not (cell.tail or "").strip() for cell in row), name
