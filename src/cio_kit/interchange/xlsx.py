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
    roadmap: list[list[Value]] = []
    for stage, timing in zip(plan.stages, schedule.timings, strict=True):
        roadmap.append(
            [
                stage.id,
                stage.title,
                stage.kind,
                stage.phase or "",
                stage.status,
                schedule.date(timing.earliest_start),
                schedule.date(timing.last_day),
                timing.days,
                stage.duration_weeks,
                "; ".join(stage.depends_on),
                stage.not_before,
                stage.date,
                timing.critical,
                timing.total_float,
                float(stage.planned_spend),
                stage.owner or "",
            ]
        )
    _sheet(
        book,
        "Roadmap",
        ["id", "title", "kind", "phase", "status", "start", "last day", "days", "duration_weeks",
         "depends_on", "not_before", "date", "critical", "float (days)", "budget", "owner"],
        roadmap,
    )  # fmt: skip
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


def rows_from_xlsx(data: bytes) -> list[list[Any]]:
    """The rows of the workbook's Roadmap sheet (as ``export xlsx`` writes it), else its first sheet."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book["Roadmap"] if "Roadmap" in book.sheetnames else book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
