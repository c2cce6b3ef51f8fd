"""A table of stages into a plan document, for ``import csv`` and ``import xlsx`` (SPEC §14).

One row per stage; the first row names the columns: ``id``, ``title``,
``kind``, ``duration_weeks`` (or ``days``, as ``export xlsx`` writes it),
``depends_on`` separated by ``;`` or ``,``, and any other stage field by its
name. Each cell is read as its field needs it (dates as dates, numbers as
numbers); a cell that cannot be is a problem with its row and column, never a
traceback. A column that is no stage field is reported, not dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cio_kit.analysis.schedule import Schedule
    from cio_kit.plan.model import Plan

LIST_FIELDS = ("depends_on", "serves", "processes", "affects", "exit_criteria", "departments", "waits_for")
DATE_FIELDS = ("not_before", "deadline", "date", "actual_start", "actual_finish")
PlanDocument = dict[str, Any]
"""A plan as the YAML it will be written as, built from a table or a project file."""

NUMBER_FIELDS = ("duration_weeks", "percent_complete", "actual_cost")
TEXT_FIELDS = ("id", "title", "kind", "phase", "objective", "owner", "status", "mandatory_reason")
#: Cells of several values in one: budget items, effort per resource, a three-point estimate.
COMPOUND_FIELDS = ("budget_items", "effort", "estimate", "phase_title")
#: Columns ``export xlsx`` writes that follow from the plan and are not read back.
DERIVED = ("start", "last_day", "critical", "float_(days)", "budget")
_ALIASES = {
    "depends": "depends_on",
    "depends_on": "depends_on",
    "predecessors": "depends_on",
    "name": "title",
}


@dataclass(frozen=True)
class ImportProblem:
    """Something in the table that could not be carried over."""

    row: int
    """1-based row (1 is the header)."""
    column: int
    """1-based column (0: the whole row)."""
    message: str
    error: bool = True
    """False for what was left out on purpose (an unknown or derived column)."""


def _column(name: object) -> str:
    key = re.sub(r"\s+", "_", str(name or "").strip().lower())
    return _ALIASES.get(key, key)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


class AmbiguousNumber(ValueError):
    """A number such as ``1,500`` that reads as 1.5 or as 1500, with no decimal separator given."""


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_GROUPED = {sign: re.compile(rf"^[+-]?\d{{1,3}}(\{sign}\d{{3}})+$") for sign in ",."}
"""A whole part with thousands separators: groups of three digits, after one to three."""


def _number(value: Any, decimal: str | None = None) -> float:
    """A cell as a number. ``decimal`` is ``.`` or ``,``; None reads it from the cell when it can.

    ``1,5`` is 1.5 and ``1.234,5`` is 1234.5 (European Excel), ``1,234.5`` is
    1234.5; ``1,500`` alone could be either, and is AmbiguousNumber (SPEC §19).
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if decimal is None and "," in text:
            if "." in text:
                decimal = "," if text.rfind(",") > text.rfind(".") else "."
            elif _THOUSANDS.match(text):
                raise AmbiguousNumber(value)
            else:
                decimal = ","
        elif decimal is None and _THOUSANDS.match(text.replace(".", ",")) and "." in text:
            raise AmbiguousNumber(value)  # 1.500: German thousands, or one and a half
        point, grouping = (",", ".") if decimal == "," else (".", ",")
        whole, _, fraction = text.partition(point)
        # A thousands separator stands only between groups of three in the whole part: "2,5" with a
        # decimal point is not 25, and "1.5,3" is not 1.53.
        if grouping in fraction or (grouping in whole and not _GROUPED[grouping].match(whole)):
            raise ValueError(value)
        number = float(whole.replace(grouping, "") + ("." + fraction if point in text else ""))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(value)
    return number


_KNOWN = set(
    LIST_FIELDS
    + DATE_FIELDS
    + NUMBER_FIELDS
    + TEXT_FIELDS
    + COMPOUND_FIELDS
    + ("days", "mandatory", "priority")
)
"""Every column read as a stage field."""


def plan_from_rows(
    rows: list[list[Any]],
    name: str,
    plan_start: dt.date | None,
    *,
    decimal: str | None = None,
    currency: str | None = None,
) -> tuple[PlanDocument, list[ImportProblem]]:
    """The plan document the table describes, and what could not be carried over.

    ``decimal`` is the decimal separator of the table's numbers (None: read each
    cell, an ambiguous one being a problem); ``currency`` the plan's currency.
    """
    if not rows:
        return {}, [ImportProblem(1, 0, "the table is empty: the first row must name the columns")]
    header = [_column(cell) for cell in rows[0]]
    problems = _header_problems(rows[0], header)
    stages: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        stage = _stage(header, row, row_number, problems, decimal)
        if stage is None:
            continue
        ident = stage["id"]
        if ident in seen:
            note = f"id {ident} is already the stage of row {seen[ident]}"
            problems.append(ImportProblem(row_number, header.index("id") + 1, note))
            continue
        seen[ident] = row_number
        stages.append(stage)
    if plan_start is None and "start" in header:  # a table export xlsx wrote: its first day is day 0
        plan_start = _first_start(rows, header)
    enterprise: dict[str, Any] = {"name": name}
    if currency is not None:
        enterprise["currency"] = currency
    if plan_start is not None:
        enterprise["plan_start"] = plan_start
    document: dict[str, Any] = {"cio_kit": 1, "enterprise": enterprise}
    titles = {stage["phase"]: stage.pop("phase_title") for stage in stages if "phase_title" in stage}
    phases = list(dict.fromkeys(stage["phase"] for stage in stages if stage.get("phase")))
    if phases:  # a stage's phase must be defined: one per name, in the order first used
        document["phases"] = [
            {"id": phase, **({"title": titles[phase]} if titles.get(phase) else {})} for phase in phases
        ]
    people = list(dict.fromkeys(name for stage in stages for name in stage.get("effort", {})))
    if people:  # effort names its resources: each is one, a person, until the plan says more
        document["resources"] = [{"id": name} for name in people]
        problems.append(
            ImportProblem(0, 0, "resources come in with capacity 1; a table does not carry capacity", False)
        )
    waited = list(dict.fromkeys(ident for stage in stages for ident in stage.get("_waits_for", [])))
    for stage in stages:
        stage["depends_on"] = [*stage.get("depends_on", []), *stage.pop("_waits_for", [])] or None
        if stage["depends_on"] is None:
            del stage["depends_on"]
    if waited:  # the decisions stages wait for: each one open, titled by its id, until the plan says more
        document["decisions"] = [{"id": ident, "title": ident} for ident in waited]
        note = "decisions come in open, with their id as title; a table does not carry the register"
        problems.append(ImportProblem(0, 0, note, False))
    document["stages"] = stages
    return document, problems


def _header_problems(names: list[Any], header: list[str]) -> list[ImportProblem]:
    """The columns left out: those that follow from the plan, and those that are no stage field."""
    problems = []
    first: dict[str, int] = {}
    for number, column in enumerate(header, start=1):
        if column in _KNOWN and column in first:
            # Two columns for one field would keep the last silently: say which, and write nothing.
            note = f"'{names[number - 1]}' repeats column {first[column]}; keep one of them"
            problems.append(ImportProblem(1, number, note))
            continue
        first.setdefault(column, number)
        if column in DERIVED:
            note = f"'{names[number - 1]}' follows from the plan; not imported"
            problems.append(ImportProblem(1, number, note, False))
        elif column and column not in _KNOWN:
            note = f"'{names[number - 1]}' is not a stage field; the column is left out"
            problems.append(ImportProblem(1, number, note, False))
    return problems


def _stage(
    header: list[str], row: list[Any], row_number: int, problems: list[ImportProblem], decimal: str | None
) -> dict[str, Any] | None:
    """One row as a stage; None, with its problems added, when it is not a valid stage."""
    from pydantic import ValidationError

    from cio_kit.plan.model import Stage

    stage: dict[str, Any] = {}
    where: dict[str, int] = {}
    for number, (column, cell) in enumerate(zip(header, row, strict=False), start=1):
        if column not in _KNOWN or cell is None or str(cell).strip() == "":
            continue
        if column == "days" and "duration_weeks" in header:
            continue  # the schedule's length, beside the written one (or none: an estimate, effort)
        where[column] = number
        try:
            _read_cell(stage, where, column, cell, number, decimal)
        except AmbiguousNumber:
            note = f"{column}: '{cell}' could be {cell} with a decimal comma or a thousands comma; "
            problems.append(
                ImportProblem(row_number, number, note + "say which with --decimal , or --decimal .")
            )
        except (ValueError, OverflowError):
            kind = "a date (YYYY-MM-DD)" if column in DATE_FIELDS else "a number"
            problems.append(ImportProblem(row_number, number, f"{column}: '{cell}' is not {kind}"))
    if stage.get("kind") == "milestone":
        stage.pop("duration_weeks", None)  # a milestone takes no time (days 0)
    phase_title = stage.pop("_phase_title", None)  # the phase's, not the stage's: checked with the phases
    waits_for = stage.pop("_waits_for", [])
    try:
        Stage.model_validate(stage)
    except ValidationError as error:
        for issue in error.errors():
            field = str(issue["loc"][0]) if issue["loc"] else ""
            problems.append(
                ImportProblem(row_number, where.get(field, 0), f"{field or 'stage'}: {issue['msg']}")
            )
        return None
    if phase_title:
        stage["phase_title"] = phase_title
    if waits_for:
        stage["_waits_for"] = waits_for
    return stage


def _read_cell(
    stage: dict[str, Any], where: dict[str, int], column: str, cell: Any, number: int, decimal: str | None
) -> None:
    """Put one cell into the stage as its field needs it; ValueError when it cannot be read so."""
    if column in LIST_FIELDS:
        key = "_waits_for" if column == "waits_for" else column  # decisions: depends_on once they exist
        stage[key] = [part.strip() for part in re.split(r"[;,]", str(cell)) if part.strip()]
    elif column in DATE_FIELDS:
        stage[column] = _date(cell)
    elif column == "days":  # the schedule's length; a duration_weeks column wins
        stage.setdefault("duration_weeks", _number(cell, decimal) / 7)
        where.setdefault("duration_weeks", number)
    elif column in NUMBER_FIELDS:
        stage[column] = _number(cell, decimal)
        where[column] = number
    elif column == "priority":
        stage[column] = int(_number(cell, decimal))
    elif column == "mandatory":
        stage[column] = str(cell).strip().lower() in ("true", "yes", "1", "x")
    elif column in COMPOUND_FIELDS:
        key = {"budget_items": "budget", "phase_title": "_phase_title"}.get(column, column)
        stage[key] = _compound(column, str(cell), decimal)
    else:
        stage[column] = _unquoted(str(cell).strip())


def _compound(column: str, text: str, decimal: str | None) -> Any:
    """A cell of several values; ValueError when a part cannot be read.

    ``budget_items`` "12000 grow software; 300 run maintenance capex", ``effort``
    "R-A: 20; R-B: 5", ``estimate`` "4/6/10" (weeks), ``phase_title`` as written.
    """
    if column == "phase_title":
        return text.strip()
    if column == "estimate":
        low, likely, high = (_number(part, decimal) for part in text.split("/"))
        return {"optimistic": low, "likely": likely, "pessimistic": high}
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if column == "effort":
        return {
            name.strip(): _number(days, decimal) for name, days in (part.rsplit(":", 1) for part in parts)
        }
    items = []
    for part in parts:
        amount, budget_class, category, *capex = part.split()
        if capex not in ([], ["capex"]):
            raise ValueError(part)
        item = {"amount": _number(amount, decimal), "class": budget_class, "category": category}
        items.append({**item, "capex": True} if capex else item)
    return items


#: The columns of a stage table (``export csv``, XLSX's Roadmap), in order.
STAGE_COLUMNS = (
    "id", "title", "kind", "phase", "status", "start", "last day", "days", "duration_weeks",
    "depends_on", "not_before", "date", "critical", "float (days)", "budget", "owner",
    "deadline", "estimate", "percent_complete", "actual_start", "actual_finish", "actual_cost",
    "budget_items", "effort", "objective", "exit_criteria", "mandatory", "mandatory_reason",
    "priority", "phase_title", "waits_for",
)  # fmt: skip


def stage_table(plan: Plan, schedule: Schedule) -> tuple[list[str], list[list[Any]]]:
    """The stages as a table that :func:`plan_from_rows` reads back: ``export csv`` and XLSX's Roadmap.

    The first columns are as ``export xlsx`` has always written them (with the
    schedule's start, last day, length, float and planned spend, which import
    leaves out as derived); every stage field follows, compound ones in one
    cell each, amounts in whole cents. What names the rest of the plan (goals
    served, processes, groups affected, departments) is not a stage table's
    to carry: a plan imported from one has none of those sections.
    """
    from cio_kit.money import cents

    phase_titles = {phase.id: phase.title for phase in plan.phases or []}
    header = list(STAGE_COLUMNS)
    decisions = {decision.id for decision in plan.decisions or []}
    rows: list[list[Any]] = []
    for stage, timing in zip(plan.stages, schedule.timings, strict=True):
        estimate = stage.estimate
        rows.append(
            [
                stage.id, stage.title, stage.kind, stage.phase or "", stage.status,
                schedule.date(timing.earliest_start), schedule.date(timing.last_day), timing.days,
                stage.duration_weeks, "; ".join(d for d in stage.depends_on if d not in decisions),
                stage.not_before, stage.date,
                # Done work is history: no float, as roadmap show has it (SPEC §16).
                timing.critical, None if timing.settled else timing.total_float,
                float(cents(stage.planned_spend)), stage.owner or "",
                stage.deadline,
                f"{estimate.optimistic:g}/{estimate.likely:g}/{estimate.pessimistic:g}" if estimate else "",
                stage.percent_complete if "percent_complete" in stage.model_fields_set else None,
                stage.actual_start, stage.actual_finish, stage.actual_cost,
                "; ".join(
                    f"{cents(item.amount)} {item.budget_class} {item.category}{' capex' * item.capex}"
                    for item in stage.budget
                ),
                "; ".join(f"{name}: {days:g}" for name, days in (stage.effort or {}).items()),
                stage.objective or "", "; ".join(stage.exit_criteria), stage.mandatory or None,
                stage.mandatory_reason or "", stage.priority,
                phase_titles.get(stage.phase or "") or "",
                "; ".join(d for d in stage.depends_on if d in decisions),
            ]
        )  # fmt: skip
    return header, rows


def _unquoted(text: str) -> str:
    """Text as written before ``export csv`` defused it: ``'=x`` was ``=x`` (OWASP's leading quote)."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def _first_start(rows: list[list[Any]], header: list[str]) -> dt.date | None:
    """The earliest readable date of the ``start`` column."""
    starts = []
    for row in rows[1:]:
        try:
            starts.append(_date(row[header.index("start")]))
        except (ValueError, TypeError, IndexError):
            continue
    return min(starts, default=None)
