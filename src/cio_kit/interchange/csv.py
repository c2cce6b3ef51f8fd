"""CSV: ``import csv`` reads a table of stages (one row per stage) into a plan (SPEC §14)."""

from __future__ import annotations

import csv
import io
from typing import Any


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
