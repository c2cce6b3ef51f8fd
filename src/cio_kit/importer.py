"""``cio-kit import csv|xlsx``: a table of stages into a plan (SPEC §14).

One row per stage; the first row names the columns: ``id``, ``title``,
``kind``, ``duration_weeks`` (or ``days``, as ``export xlsx`` writes it),
``depends_on`` separated by ``;`` or ``,``, and any other stage field by its
name. Each cell is read as its field needs it (dates as dates, numbers as
numbers); a cell that cannot be is a problem with its row and column, never a
traceback. A column that is no stage field is reported, not dropped silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

LIST_FIELDS = ("depends_on", "serves", "processes", "affects", "exit_criteria", "departments")
DATE_FIELDS = ("not_before", "deadline", "date", "actual_start", "actual_finish")
NUMBER_FIELDS = ("duration_weeks", "percent_complete", "actual_cost")
TEXT_FIELDS = ("id", "title", "kind", "phase", "objective", "owner", "status", "mandatory_reason")
#: Columns ``export xlsx`` writes that follow from the plan and are not read back.
DERIVED = ("start", "last_day", "critical", "float_(days)", "budget")
_ALIASES = {
    "depends": "depends_on",
    "depends_on": "depends_on",
    "predecessors": "depends_on",
    "name": "title",
}


@dataclass(frozen=True)
class Problem:
    """Something in the table that could not be carried over."""

    row: int
    """1-based row (1 is the header)."""
    column: int
    """1-based column (0: the whole row)."""
    message: str
    error: bool = True
    """False for what was left out on purpose (an unknown or derived column)."""


def rows_from_csv(text: str) -> list[list[Any]]:
    """The rows of a CSV file (comma, semicolon or tab separated, as the header shows)."""
    first = text.splitlines()[0] if text else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def rows_from_xlsx(data: bytes) -> list[list[Any]]:
    """The rows of the workbook's Roadmap sheet (as ``export xlsx`` writes it), else its first sheet."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book["Roadmap"] if "Roadmap" in book.sheetnames else book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _column(name: object) -> str:
    key = re.sub(r"\s+", "_", str(name or "").strip().lower())
    return _ALIASES.get(key, key)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value if isinstance(value, (int, float)) else str(value).strip().replace(",", ""))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(value)
    return number


def plan_from_rows(
    rows: list[list[Any]], name: str, plan_start: dt.date | None
) -> tuple[dict[str, Any], list[Problem]]:
    """The plan document the table describes, and what could not be carried over."""
    from pydantic import ValidationError

    from cio_kit.model import Stage

    problems: list[Problem] = []
    if not rows:
        return {}, [Problem(1, 0, "the table is empty: the first row must name the columns")]
    header = [_column(cell) for cell in rows[0]]
    known = set(LIST_FIELDS + DATE_FIELDS + NUMBER_FIELDS + TEXT_FIELDS + ("days", "mandatory", "priority"))
    for number, column in enumerate(header, start=1):
        if column in DERIVED:
            problems.append(
                Problem(1, number, f"'{rows[0][number - 1]}' follows from the plan; not imported", False)
            )
        elif column and column not in known:
            problems.append(
                Problem(
                    1, number, f"'{rows[0][number - 1]}' is not a stage field; the column is left out", False
                )
            )
    stages: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        stage: dict[str, Any] = {}
        where: dict[str, int] = {}
        for number, (column, cell) in enumerate(zip(header, row, strict=False), start=1):
            if column not in known or cell is None or str(cell).strip() == "":
                continue
            where[column] = number
            try:
                if column in LIST_FIELDS:
                    stage[column] = [part.strip() for part in re.split(r"[;,]", str(cell)) if part.strip()]
                elif column in DATE_FIELDS:
                    stage[column] = _date(cell)
                elif column == "days":  # the schedule's length; a duration_weeks column wins
                    stage.setdefault("duration_weeks", _number(cell) / 7)
                    where.setdefault("duration_weeks", number)
                elif column in NUMBER_FIELDS:
                    stage[column] = _number(cell)
                    where[column] = number
                elif column == "priority":
                    stage[column] = int(_number(cell))
                elif column == "mandatory":
                    stage[column] = str(cell).strip().lower() in ("true", "yes", "1", "x")
                else:
                    stage[column] = str(cell).strip()
            except (ValueError, OverflowError):
                kind = "a date (YYYY-MM-DD)" if column in DATE_FIELDS else "a number"
                problems.append(Problem(row_number, number, f"{column}: '{cell}' is not {kind}"))
        if stage.get("kind") == "milestone":
            stage.pop("duration_weeks", None)  # a milestone takes no time (days 0)
        try:
            Stage.model_validate(stage)
        except ValidationError as error:
            for issue in error.errors():
                field = str(issue["loc"][0]) if issue["loc"] else ""
                problems.append(
                    Problem(row_number, where.get(field, 0), f"{field or 'stage'}: {issue['msg']}")
                )
            continue
        ident = stage["id"]
        if ident in seen:
            problems.append(
                Problem(row_number, where["id"], f"id {ident} is already the stage of row {seen[ident]}")
            )
            continue
        seen[ident] = row_number
        stages.append(stage)
    if plan_start is None and "start" in header:  # a table export xlsx wrote: its first day is day 0
        starts = []
        for row in rows[1:]:
            try:
                starts.append(_date(row[header.index("start")]))
            except (ValueError, TypeError, IndexError):
                continue
        plan_start = min(starts, default=None)
    enterprise: dict[str, Any] = {"name": name}
    if plan_start is not None:
        enterprise["plan_start"] = plan_start
    document: dict[str, Any] = {"cio_kit": 1, "enterprise": enterprise}
    phases = list(dict.fromkeys(stage["phase"] for stage in stages if stage.get("phase")))
    if phases:  # a stage's phase must be defined: one per name, in the order first used
        document["phases"] = [{"id": phase} for phase in phases]
    document["stages"] = stages
    return document, problems
