"""Microsoft Project XML (MSPDI): ``export mspdi`` writes it and ``import mspdi`` reads it (SPEC §14).

Written so that Project, ProjectLibre and MPXJ read it.

Tasks come by phase (a summary task per phase, in the order phases are
listed, its stages under it), then the stages without a phase, in file order.
The plan's schedule runs on a seven-day calendar, so the project calendar
works every day around the clock and durations are elapsed days: a stage
starts at 00:00 of its first day and finishes at the end of its last day
(00:00 of the next). Links are finish-to-start; a stage's id is its WBS code,
so the file maps back to the plan; ``not_before`` is a Start No Earlier Than
constraint and a deadline Project's Deadline. Elements follow the order of
Microsoft's schema (mspdi_pj12.xsd defines each as a sequence). Costs are in
the schema's units, hundredths of the currency. Written with the standard
library's XML tools.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from typing import Any

from cio_kit.analysis.schedule import Schedule, Timing
from cio_kit.interchange.rows import ImportProblem
from cio_kit.plan.model import Plan, Stage
from cio_kit.render.escape import xml_text

NAMESPACE = "http://schemas.microsoft.com/project"
_FINISH_TO_START = "1"
_START_NO_EARLIER_THAN = "4"
_FIXED_WORK = "2"
"""MSPDI task Type: Fixed Work, the task type of effort-driven scheduling."""
_ELAPSED_DAYS = "8"
"""MSPDI DurationFormat: elapsed days."""


def _when(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"


def _duration(days: int) -> str:
    return f"PT{24 * days}H0M0S"


def _add(parent: ET.Element, tag: str, text: object | None = None) -> ET.Element:
    child = ET.SubElement(parent, tag)
    if text is not None:
        child.text = xml_text(str(text))  # a control character in plan text would make the file malformed
    return child


def _calendar(parent: ET.Element) -> None:
    """UID 1: every day a working day, all day (the seven-day schedule of SPEC §6)."""
    calendar = _add(_add(parent, "Calendars"), "Calendar")
    _add(calendar, "UID", 1)
    _add(calendar, "Name", "cio-kit seven-day")
    _add(calendar, "IsBaseCalendar", 1)
    days = _add(calendar, "WeekDays")
    for day_type in range(1, 8):
        day = _add(days, "WeekDay")
        _add(day, "DayType", day_type)
        _add(day, "DayWorking", 1)
        times = _add(_add(day, "WorkingTimes"), "WorkingTime")
        _add(times, "FromTime", "00:00:00")
        _add(times, "ToTime", "00:00:00")


def to_mspdi(plan: Plan, schedule: Schedule) -> str:
    """The MSPDI document."""
    start = plan.enterprise.plan_start
    if start is None:
        raise ValueError("an MSPDI export needs enterprise.plan_start")
    ET.register_namespace("", NAMESPACE)
    root = ET.Element("Project", xmlns=NAMESPACE)
    _add(root, "SaveVersion", 14)
    _add(root, "Name", plan.enterprise.name)
    _add(root, "Title", plan.enterprise.name)
    _add(root, "ScheduleFromStart", 1)
    _add(root, "StartDate", _when(start))
    _add(root, "FinishDate", _when(start + dt.timedelta(days=schedule.finish)))
    _add(root, "CurrencyCode", plan.enterprise.currency)
    _add(root, "CalendarUID", 1)
    _add(root, "MinutesPerDay", 1440)
    _add(root, "MinutesPerWeek", 10080)
    _add(root, "DaysPerMonth", 30)
    _calendar(root)
    tasks = _add(root, "Tasks")
    uid_of = {stage.id: number + 1 for number, stage in enumerate(plan.stages)}
    next_uid = len(plan.stages) + 1
    outline = 0
    by_phase: dict[str | None, list[int]] = {}
    for number, stage in enumerate(plan.stages):
        by_phase.setdefault(stage.phase, []).append(number)
    row = 0
    for phase in [*(p.id for p in plan.phases or []), None]:
        members = by_phase.get(phase, [])
        if not members:
            continue
        level = 1
        if phase is not None:
            outline += 1
            row += 1
            live = [schedule.timings[n] for n in members]
            first = min(t.earliest_start for t in live)
            last = max(t.earliest_finish for t in live)
            title = next((p.title for p in plan.phases or [] if p.id == phase), None) or phase
            summary = _task(tasks, next_uid, row, title, phase, str(outline), 1)
            next_uid += 1
            _dates(summary, schedule, first, last)
            _add(summary, "Milestone", 0)
            _add(summary, "Summary", 1)
            level = 2
        for position, number in enumerate(members, start=1):
            stage, timing = plan.stages[number], schedule.timings[number]
            if phase is None:
                outline += 1
                code = str(outline)
            else:
                code = f"{outline}.{position}"
            row += 1
            task = _task(tasks, uid_of[stage.id], row, stage.title, stage.id, code, level, stage)
            _stage(task, plan, schedule, timing, uid_of)
    _resources(root, plan, uid_of)
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )


def _task(
    tasks: ET.Element,
    uid: int,
    row: int,
    name: str,
    wbs: str,
    code: str,
    level: int,
    stage: Stage | None = None,
) -> ET.Element:
    """A task's leading elements, in the order of Microsoft's schema (a sequence).

    A cancelled stage is an inactive task (``Active`` 0), as Project marks work
    that will not be done, never a live milestone (SPEC §19). An effort-driven
    stage is a Fixed Work task (``Type`` 2), so its effort, not its length, is
    what comes back.
    """
    task = _add(tasks, "Task")
    _add(task, "UID", uid)
    _add(task, "ID", row)
    _add(task, "Name", name)
    if stage is not None and stage.status == "cancelled":
        _add(task, "Active", 0)
    if stage is not None and _effort_driven(stage):
        _add(task, "Type", _FIXED_WORK)
    _add(task, "WBS", wbs)
    _add(task, "OutlineNumber", code)
    _add(task, "OutlineLevel", level)
    return task


def _effort_driven(stage: Stage) -> bool:
    """Effort-driven as planned: a cancelled stage keeps the kind of length it had."""
    return stage.model_copy(update={"status": "planned"}).effort_driven


def _dates(task: ET.Element, schedule: Schedule, first: int, finish: int) -> None:
    start, end = schedule.date(first), schedule.date(finish)
    assert start is not None and end is not None  # the export needs plan_start
    _add(task, "Start", _when(start))
    _add(task, "Finish", _when(end))
    _add(task, "Duration", _duration(finish - first))
    _add(task, "DurationFormat", _ELAPSED_DAYS)


def _stage(task: ET.Element, plan: Plan, schedule: Schedule, timing: Timing, uid_of: dict[str, int]) -> None:
    stage = plan.stages[timing.index]
    # A cancelled stage keeps the length it was planned with (the schedule gives it none).
    days = timing.days if stage.status != "cancelled" else stage.model_copy(update={"status": "planned"}).days
    _dates(task, schedule, timing.earliest_start, timing.earliest_start + days)
    if _effort_driven(stage):
        _add(task, "EffortDriven", 1)
    _add(task, "Milestone", 1 if stage.kind == "milestone" else 0)
    _add(task, "Summary", 0)
    _add(task, "PercentComplete", round(100 if stage.status == "done" else stage.percent_complete))
    _add(task, "Cost", round(stage.planned_spend * 100))
    floors = [when for when in (stage.not_before, stage.date) if when is not None]
    if floors:  # Start No Earlier Than: how Project says not_before
        _add(task, "ConstraintType", _START_NO_EARLIER_THAN)
        _add(task, "ConstraintDate", _when(max(floors)))
    if stage.deadline is not None:  # the end of the deadline day
        _add(task, "Deadline", _when(stage.deadline + dt.timedelta(days=1)))
    if stage.objective:
        _add(task, "Notes", stage.objective)
    for ref in stage.depends_on:
        if ref not in uid_of:  # another plan's stage: finished at plan_start for one plan (SPEC §12)
            continue
        link = _add(task, "PredecessorLink")
        _add(link, "PredecessorUID", uid_of[ref])
        _add(link, "Type", _FINISH_TO_START)
        _add(link, "LinkLag", 0)
        _add(link, "LagFormat", 7)


def _resources(root: ET.Element, plan: Plan, uid_of: dict[str, int]) -> None:
    """Resources (capacity as maximum units) and an assignment per stage effort, in person-days."""
    if not plan.resources:
        return
    resources = _add(root, "Resources")
    resource_uid = {}
    for number, resource in enumerate(plan.resources, start=1):
        resource_uid[resource.id] = number
        entry = _add(resources, "Resource")
        _add(entry, "UID", number)
        _add(entry, "ID", number)
        _add(entry, "Name", resource.name or resource.id)
        _add(entry, "Type", 1)
        _add(entry, "Initials", resource.id)
        _add(entry, "MaxUnits", f"{resource.capacity:g}")
    assignments = _add(root, "Assignments")
    uid = 1
    for stage in plan.stages:
        for resource_id, person_days in (stage.effort or {}).items():
            if resource_id not in resource_uid:
                continue
            entry = _add(assignments, "Assignment")
            _add(entry, "UID", uid)
            _add(entry, "TaskUID", uid_of[stage.id])
            _add(entry, "ResourceUID", resource_uid[resource_id])
            minutes = round(person_days * 8 * 60)  # a person-day is eight working hours
            _add(entry, "Work", f"PT{minutes // 60}H{minutes % 60}M0S")
            uid += 1


# Reading

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


def plan_from_mspdi(
    data: bytes, name: str | None, budget_class: str = "grow"
) -> tuple[dict[str, Any], list[ImportProblem]]:
    """The plan in a Microsoft Project XML file: tasks as stages, summary tasks as phases (SPEC §14).

    Problems carry the task's row (its ID) and no column. Kinds are not in
    MSPDI: tasks come in as ``operations`` and milestones as milestones.
    """
    import xml.etree.ElementTree as ET

    if _declares_a_dtd(data):
        return {}, [ImportProblem(1, 0, "the file declares a DOCTYPE or entities; an MSPDI file has none")]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return {}, [ImportProblem(error.position[0], error.position[1] + 1, f"not well-formed XML: {error}")]
    if root.tag != f"{_NS}Project":
        return {}, [
            ImportProblem(1, 0, "not an MSPDI file: the root element is not Project in Microsoft's namespace")
        ]
    reader = _ProjectReader(root, budget_class)
    document: dict[str, Any] = {"cio_kit": 1, "enterprise": reader.enterprise(name)}
    phases, stages = reader.tasks()
    reader.link(stages)
    resources = reader.resources()
    reader.assign(stages)
    if phases:
        document["phases"] = phases
    if resources:
        document["resources"] = resources
    document["stages"] = stages
    if stages:
        reader.problems.append(
            ImportProblem(
                0, 0, "MSPDI has no stage kinds: tasks are imported as operations; set each kind", False
            )
        )
    return document, reader.problems


class _Declared(Exception):
    """Raised from expat's handler at the first DOCTYPE or entity declaration."""


def _declares_a_dtd(data: bytes) -> bool:
    """Whether the document declares a DOCTYPE or an entity, read by expat in its own encoding.

    A byte search misses a UTF-16 file or a declaration past the first bytes;
    expat decodes as it reads, and stops at the declaration, before any
    entity is defined, let alone expanded.
    """
    import xml.parsers.expat

    def stop(*_: object) -> None:
        raise _Declared

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = stop
    parser.EntityDeclHandler = stop
    try:
        parser.Parse(data, True)
    except _Declared:
        return True
    except xml.parsers.expat.ExpatError:
        return False  # not well-formed: the real parse says where
    return False


def _number(text: str | None) -> float | None:
    """A finite decimal number, or None."""
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _text(element: ET.Element, tag: str) -> str | None:
    """The text of ``element``'s child ``tag`` in Microsoft's namespace, if it has any."""
    found = element.find(f"{_NS}{tag}")
    return found.text if found is not None and found.text is not None else None


def _whole(element: ET.Element, tag: str, default: int) -> int:
    """A child's whole-number text, or ``default`` when it has none or is not one.

    Only ASCII digits, nine at most: ``str.isdigit`` also accepts ``²``, which
    ``int`` refuses, and a 5,000-digit number is no row or outline level.
    """
    value = (_text(element, tag) or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else default


class _ProjectReader:
    """One MSPDI project read step by step: the header, tasks, links, resources, assignments."""

    def __init__(self, root: ET.Element, budget_class: str = "grow") -> None:
        self.root = root
        self.budget_class = budget_class
        """The class a task's ``Cost`` is budgeted as (``import --class``)."""
        per_day = _number(_text(root, "MinutesPerDay"))
        per_week = _number(_text(root, "MinutesPerWeek")) or (5 * per_day if per_day else None)
        self.hours_per_week = per_week / 60 if per_week else 40.0
        """The project's working week: durations are in working hours of it (7.5-hour days, 24-hour ones)."""
        self.problems: list[ImportProblem] = []
        self.ids: dict[str, str] = {}
        """Task UID → stage or phase id."""
        self.used: set[str] = set()
        self.by_uid: dict[str, str] = {}
        """Resource UID → resource id."""
        self.links: dict[str, list[tuple[str, str, bool]]] = {}
        """Stage id → its predecessor links: (UID, link type, has a lag)."""
        self.rows: dict[str, int] = {}
        """Stage id → the task's row (its ID)."""
        self.effort_driven: set[str] = set()
        """Stages of effort-driven or Fixed Work tasks: their length comes from their effort."""

    def fresh(self, wanted: str | None, fallback: str) -> str:
        """``wanted`` when it is a valid, unused id, else ``fallback`` (made unique: a WBS may be "T-2")."""
        ident = wanted if wanted and _ID.match(wanted) and wanted not in self.used else fallback
        suffix = 1
        while ident in self.used:
            suffix += 1
            ident = f"{fallback}-{suffix}"
        self.used.add(ident)
        return ident

    def enterprise(self, name: str | None) -> dict[str, Any]:
        """The project's name, currency and start."""
        root = self.root
        enterprise: dict[str, Any] = {
            "name": name or _text(root, "Name") or _text(root, "Title") or "Imported plan"
        }
        currency = _text(root, "CurrencyCode")
        if currency and re.fullmatch(r"[A-Z]{3}", currency):
            enterprise["currency"] = currency
        start = _datetime(_text(root, "StartDate"))
        if start is not None:
            enterprise["plan_start"] = start.date()
        return enterprise

    def tasks(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Phases (summary tasks) and stages (the other tasks), in file order."""
        phases: list[dict[str, Any]] = []
        stages: list[dict[str, Any]] = []
        parents: list[tuple[int, str]] = []  # (outline level, phase id) of the open summary tasks
        tasks = self.root.find(f"{_NS}Tasks")
        for task in tasks.findall(f"{_NS}Task") if tasks is not None else []:
            uid = _text(task, "UID") or ""
            if _text(task, "IsNull") == "1" or uid == "0":
                continue
            level = _whole(task, "OutlineLevel", 1)
            while parents and parents[-1][0] >= level:
                parents.pop()
            title = (_text(task, "Name") or "").strip()
            if _text(task, "Summary") == "1":
                ident = self.fresh(_text(task, "WBS"), f"PH-{uid}")
                self.ids[uid] = ident
                phases.append({"id": ident, **({"title": title} if title else {})})
                parents.append((level, ident))
                continue
            ident = self.fresh(_text(task, "WBS"), f"T-{uid}")
            self.ids[uid] = ident
            stage = self.stage(task, ident, title, parents[-1][1] if parents else None)
            if stage is not None:
                stages.append(stage)
        return phases, stages

    def stage(self, task: ET.Element, ident: str, title: str, phase: str | None) -> dict[str, Any] | None:
        """One task as a stage; None (and a problem) when its duration cannot be read."""
        row = _whole(task, "ID", 0)
        stage: dict[str, Any] = {"id": ident, "title": title or ident}
        hours = _hours(_text(task, "Duration"))
        driven = _text(task, "EffortDriven") == "1" or _text(task, "Type") == _FIXED_WORK
        milestone = _text(task, "Milestone") == "1" or (hours == 0 and not driven)
        stage["kind"] = "milestone" if milestone else "operations"
        if phase is not None:
            stage["phase"] = phase
        if not milestone:
            if hours is None:
                problem = f"task {ident}: duration '{_text(task, 'Duration')}' unreadable"
                self.problems.append(ImportProblem(row, 0, problem))
                return None
            elapsed = (_text(task, "DurationFormat") or "") in _ELAPSED_FORMATS
            stage["duration_weeks"] = round(hours / (168 if elapsed else self.hours_per_week), 6)
            if driven:
                self.effort_driven.add(ident)
        self.dates(task, stage, row)
        percent = _text(task, "PercentComplete")
        if (
            percent
            and percent.isascii()
            and percent.isdigit()
            and len(percent) <= 3
            and 0 < int(percent) <= 100
        ):
            stage["percent_complete"] = int(percent)
            stage["status"] = "done" if int(percent) == 100 else "in-progress"
        if _text(task, "Active") == "0":  # an inactive task is work that will not be done
            stage["status"] = "cancelled"
            stage.pop("percent_complete", None)
        notes = (_text(task, "Notes") or "").strip()
        if notes:
            stage["objective"] = notes
        cost = _number(_text(task, "Cost"))
        if cost and not milestone:  # hundredths of the currency, as the schema keeps money
            stage["budget"] = [
                {"amount": round(cost / 100, 2), "class": self.budget_class, "category": "other"}
            ]
        self.links[ident] = [
            (
                _text(link, "PredecessorUID") or "",
                _text(link, "Type") or "1",
                # LinkLag is in tenths of minutes; only whether it is zero matters.
                (_text(link, "LinkLag") or "0").strip() not in ("0", ""),
            )
            for link in task.findall(f"{_NS}PredecessorLink")
        ]
        self.rows[ident] = row
        return stage

    def dates(self, task: ET.Element, stage: dict[str, Any], row: int) -> None:
        """A Start No Earlier Than constraint as ``not_before``, and the deadline."""
        ident = stage["id"]
        fixed = _text(task, "ConstraintType") in ("2", "3") and stage["kind"] == "milestone"
        if fixed:  # Must Start On / Must Finish On a milestone: its date
            when = _datetime(_text(task, "ConstraintDate"))
            if when is not None:
                stage["date"] = when.date()
        elif _text(task, "ConstraintType") == "4":  # Start No Earlier Than
            floor = _datetime(_text(task, "ConstraintDate"))
            if floor is not None:
                stage["not_before"] = floor.date()
        elif _text(task, "ConstraintType") not in (None, "0"):
            note = f"task {ident}: constraint type {_text(task, 'ConstraintType')} is not supported; left out"
            self.problems.append(ImportProblem(row, 0, note, False))
        deadline = _datetime(_text(task, "Deadline"))
        if deadline is not None and deadline.date() == dt.date.min and deadline.time() == dt.time():
            note = f"task {ident}: deadline {_text(task, 'Deadline')} ends before the calendar starts"
            self.problems.append(ImportProblem(row, 0, note))
        elif deadline is not None:
            at_midnight = deadline.time() == dt.time()  # a deadline at 00:00 ends the day before
            stage["deadline"] = (deadline - dt.timedelta(days=1)).date() if at_midnight else deadline.date()

    def link(self, stages: list[dict[str, Any]]) -> None:
        """Each stage's predecessors as ``depends_on``; what a plan cannot hold is reported."""
        for stage in stages:
            depends = []
            row = self.rows[stage["id"]]
            for predecessor, kind, lag in self.links[stage["id"]]:
                if predecessor not in self.ids:
                    note = f"{stage['id']}: predecessor UID {predecessor} is no task; left out"
                    self.problems.append(ImportProblem(row, 0, note))
                    continue
                before = self.ids[predecessor]
                if kind != "1":
                    note = f"{stage['id']}: the link from {before} is not finish-to-start"
                    note += "; kept as finish-to-start"
                    self.problems.append(ImportProblem(row, 0, note, False))
                if lag:
                    note = f"{stage['id']}: the lag after {before} is not supported; left out"
                    self.problems.append(ImportProblem(row, 0, note, False))
                depends.append(before)
            if depends:
                stage["depends_on"] = list(dict.fromkeys(depends))

    def resources(self) -> list[dict[str, Any]]:
        """The named resources, with their maximum units as capacity."""
        resources = []
        for entry in self.root.iter(f"{_NS}Resource"):
            uid = _text(entry, "UID") or ""
            if uid == "0" or not (_text(entry, "Name") or _text(entry, "Initials")):
                continue
            if _text(entry, "Type") in ("0", "2"):  # material or cost: not people's time
                what = "material" if _text(entry, "Type") == "0" else "a cost resource"
                note = f"resource {_text(entry, 'Name') or uid} is {what}, not people"
                self.problems.append(ImportProblem(0, 0, note, False))
                continue
            ident = self.fresh(_text(entry, "Initials"), f"R-{uid}")
            self.by_uid[uid] = ident
            resource: dict[str, Any] = {"id": ident, "name": _text(entry, "Name") or ident}
            try:
                capacity = float(_text(entry, "MaxUnits") or 1)
                if capacity > 0:
                    resource["capacity"] = capacity
            except ValueError:
                pass
            resources.append(resource)
        return resources

    def assign(self, stages: list[dict[str, Any]]) -> None:
        """Assignments' work as the stages' effort, in person-days of eight hours."""
        stage_of = {stage["id"]: stage for stage in stages}
        for assignment in self.root.iter(f"{_NS}Assignment"):
            who = self.by_uid.get(_text(assignment, "ResourceUID") or "")
            assigned = stage_of.get(self.ids.get(_text(assignment, "TaskUID") or "", ""))
            work = _hours(_text(assignment, "Work"))
            if who and assigned is not None and work:
                assigned.setdefault("effort", {})[who] = round(work / 8, 4)
        for stage in stages:
            if stage["id"] in self.effort_driven and stage.get("effort"):
                weeks = stage.pop("duration_weeks")
                if not weeks or stage.get("status") == "cancelled":
                    continue
                note = (
                    f"task {stage['id']} is effort-driven: imported with its effort and no duration, so "
                    f"its length comes from the resources (the file's {weeks:g} weeks are not kept)"
                )
                self.problems.append(ImportProblem(self.rows[stage["id"]], 0, note, False))
