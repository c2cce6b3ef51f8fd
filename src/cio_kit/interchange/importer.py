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

    from cio_kit.plan.model import Stage

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


_NS = "{http://schemas.microsoft.com/project}"
_ELAPSED_FORMATS = {"4", "6", "8", "10", "12", "36", "38", "40", "42", "44"}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")


def _hours(text: str | None) -> float | None:
    match = _DURATION.match((text or "").strip())
    if match is None:
        return None
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    return hours + minutes / 60 + seconds / 3600


def _datetime(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None


def plan_from_mspdi(data: bytes, name: str | None) -> tuple[dict[str, Any], list[Problem]]:
    """The plan in a Microsoft Project XML file: tasks as stages, summary tasks as phases (SPEC §14).

    Problems carry the task's row (its ID) and no column. Kinds are not in
    MSPDI: tasks come in as ``operations`` and milestones as milestones.
    """
    import xml.etree.ElementTree as ET

    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        return {}, [Problem(1, 0, "the file declares a DOCTYPE or entities; an MSPDI file has none")]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return {}, [Problem(error.position[0], error.position[1] + 1, f"not well-formed XML: {error}")]
    if root.tag != f"{_NS}Project":
        return {}, [
            Problem(1, 0, "not an MSPDI file: the root element is not Project in Microsoft's namespace")
        ]

    def text(element: ET.Element, tag: str) -> str | None:
        found = element.find(f"{_NS}{tag}")
        return found.text if found is not None and found.text is not None else None

    problems: list[Problem] = []
    start = _datetime(text(root, "StartDate"))
    enterprise: dict[str, Any] = {
        "name": name or text(root, "Name") or text(root, "Title") or "Imported plan"
    }
    currency = text(root, "CurrencyCode")
    if currency and re.fullmatch(r"[A-Z]{3}", currency):
        enterprise["currency"] = currency
    if start is not None:
        enterprise["plan_start"] = start.date()
    ids: dict[str, str] = {}  # task UID → stage or phase id
    used: set[str] = set()

    def fresh(wanted: str | None, fallback: str) -> str:
        ident = wanted if wanted and _ID.match(wanted) and wanted not in used else fallback
        used.add(ident)
        return ident

    phases: list[dict[str, Any]] = []
    stages: list[dict[str, Any]] = []
    parents: list[tuple[int, str]] = []  # (outline level, phase id) of the open summary tasks
    tasks = root.find(f"{_NS}Tasks")
    for task in tasks.findall(f"{_NS}Task") if tasks is not None else []:
        uid = text(task, "UID") or ""
        row = int(text(task, "ID") or 0) if (text(task, "ID") or "").isdigit() else 0
        if text(task, "IsNull") == "1" or uid == "0":
            continue
        level = int(text(task, "OutlineLevel") or 1) if (text(task, "OutlineLevel") or "1").isdigit() else 1
        while parents and parents[-1][0] >= level:
            parents.pop()
        title = (text(task, "Name") or "").strip()
        if text(task, "Summary") == "1":
            ident = fresh(text(task, "WBS"), f"PH-{uid}")
            ids[uid] = ident
            phases.append({"id": ident, **({"title": title} if title else {})})
            parents.append((level, ident))
            continue
        ident = fresh(text(task, "WBS"), f"T-{uid}")
        ids[uid] = ident
        stage: dict[str, Any] = {"id": ident, "title": title or ident}
        hours = _hours(text(task, "Duration"))
        milestone = text(task, "Milestone") == "1" or hours == 0
        stage["kind"] = "milestone" if milestone else "operations"
        if parents:
            stage["phase"] = parents[-1][1]
        if not milestone:
            if hours is None:
                problems.append(
                    Problem(row, 0, f"task {ident}: duration '{text(task, 'Duration')}' unreadable")
                )
                continue
            elapsed = (text(task, "DurationFormat") or "") in _ELAPSED_FORMATS
            stage["duration_weeks"] = hours / (168 if elapsed else 40)  # elapsed weeks, or 5 days of 8 hours
        if text(task, "ConstraintType") == "4":  # Start No Earlier Than
            floor = _datetime(text(task, "ConstraintDate"))
            if floor is not None:
                stage["not_before"] = floor.date()
        elif text(task, "ConstraintType") not in (None, "0"):
            note = f"task {ident}: constraint type {text(task, 'ConstraintType')} is not supported; left out"
            problems.append(Problem(row, 0, note, False))
        deadline = _datetime(text(task, "Deadline"))
        if deadline is not None:  # a deadline at 00:00 is the end of the day before
            at_midnight = deadline.time() == dt.time()
            stage["deadline"] = (deadline - dt.timedelta(days=1)).date() if at_midnight else deadline.date()
        percent = text(task, "PercentComplete")
        if percent and percent.isdigit() and 0 < int(percent) <= 100:
            stage["percent_complete"] = int(percent)
            stage["status"] = "done" if int(percent) == 100 else "in-progress"
        links = []
        for link in task.findall(f"{_NS}PredecessorLink"):
            lag = text(link, "LinkLag") or "0"  # in tenths of minutes; only whether it is zero matters
            links.append(
                (text(link, "PredecessorUID") or "", text(link, "Type") or "1", lag.strip() not in ("0", ""))
            )
        stage["_links"] = links
        stage["_row"] = row
        stages.append(stage)
    for stage in stages:
        depends = []
        row = stage.pop("_row")
        for predecessor, kind, lag in stage.pop("_links"):
            if predecessor not in ids:
                problems.append(
                    Problem(row, 0, f"{stage['id']}: predecessor UID {predecessor} is no task; left out")
                )
                continue
            before = ids[predecessor]
            if kind != "1":
                note = (
                    f"{stage['id']}: the link from {before} is not finish-to-start; kept as finish-to-start"
                )
                problems.append(Problem(row, 0, note, False))
            if lag:
                note = f"{stage['id']}: the lag after {before} is not supported; left out"
                problems.append(Problem(row, 0, note, False))
            depends.append(before)
        if depends:
            stage["depends_on"] = list(dict.fromkeys(depends))
    resources, by_uid = [], {}
    for entry in root.iter(f"{_NS}Resource"):
        uid = text(entry, "UID") or ""
        if uid == "0" or not (text(entry, "Name") or text(entry, "Initials")):
            continue
        ident = fresh(text(entry, "Initials"), f"R-{uid}")
        by_uid[uid] = ident
        resource: dict[str, Any] = {"id": ident, "name": text(entry, "Name") or ident}
        try:
            capacity = float(text(entry, "MaxUnits") or 1)
            if capacity > 0:
                resource["capacity"] = capacity
        except ValueError:
            pass
        resources.append(resource)
    stage_of = {stage["id"]: stage for stage in stages}
    for assignment in root.iter(f"{_NS}Assignment"):
        who = by_uid.get(text(assignment, "ResourceUID") or "")
        assigned = stage_of.get(ids.get(text(assignment, "TaskUID") or "", ""))
        work = _hours(text(assignment, "Work"))
        if who and assigned is not None and work:
            assigned.setdefault("effort", {})[who] = round(work / 8, 4)  # a person-day is eight hours
    document: dict[str, Any] = {"cio_kit": 1, "enterprise": enterprise}
    if phases:
        document["phases"] = phases
    if resources:
        document["resources"] = resources
    document["stages"] = stages
    if stages:
        problems.append(
            Problem(0, 0, "MSPDI has no stage kinds: tasks are imported as operations; set each kind", False)
        )
    return document, problems
