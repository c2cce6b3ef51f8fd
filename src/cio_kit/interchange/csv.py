"""CSV: ``import csv`` reads a table of stages (one row per stage) into a plan (SPEC §14)."""

from __future__ import annotations

import csv
import io
from typing import Any


def rows_from_csv(text: str) -> list[list[Any]]:
    """The rows of a CSV file (comma, semicolon or tab separated, as the header shows)."""
    first = text.splitlines()[0] if text else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
