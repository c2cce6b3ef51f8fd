"""CSV: ``export csv`` writes the stages one per row, as ``import csv`` reads them back (SPEC §19)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from cio_kit.interchange.rows import stage_table
from cio_kit.render.escape import csv_cell

if TYPE_CHECKING:
    from cio_kit.analysis.schedule import Schedule
    from cio_kit.plan.model import Plan


def rows_from_csv(text: str) -> list[list[Any]]:
    """The rows of a CSV file (comma, semicolon or tab separated, as the header shows)."""
    delimiter = detect_delimiter(text)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def detect_delimiter(text: str) -> str:
    """The delimiter the header row uses most: ``,``, ``;`` or a tab."""
    first = text.splitlines()[0] if text else ""
    return max((",", ";", "\t"), key=first.count)


def decimal_of(delimiter: str) -> str | None:
    """The decimal separator that goes with a delimiter (SPEC §19), detected together.

    A comma-separated file writes decimals with a point (a comma in a number is
    a thousands separator, quoted); a semicolon- or tab-separated one is what
    European Excel writes, with decimal commas, so each cell is read as it
    reads (``1,5`` is 1.5) and an ambiguous ``1,500`` is a problem.
    """
    return "." if delimiter == "," else None


def to_csv(plan: Plan, schedule: Schedule) -> str:
    """Every stage with every field ``import csv`` reads; plan text defused for spreadsheets."""
    header, rows = stage_table(plan, schedule)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, str):
        return csv_cell(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
