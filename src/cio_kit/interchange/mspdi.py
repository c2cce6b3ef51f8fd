"""``export mspdi``: Microsoft Project XML (MSPDI), readable by Project, ProjectLibre and MPXJ (SPEC §14).

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
import xml.etree.ElementTree as ET

from cio_kit.analysis.schedule import Schedule, Timing
from cio_kit.plan.model import Plan
from cio_kit.render.escape import xml_text

NAMESPACE = "http://schemas.microsoft.com/project"
_FINISH_TO_START = "1"
_START_NO_EARLIER_THAN = "4"
_ELAPSED_DAYS = "8"
"""MSPDI DurationFormat: elapsed days."""


def _when(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00"


def _hours(days: int) -> str:
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
            task = _task(tasks, uid_of[stage.id], row, stage.title, stage.id, code, level)
            _stage(task, plan, schedule, timing, uid_of)
    _resources(root, plan, uid_of)
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )


def _task(tasks: ET.Element, uid: int, row: int, name: str, wbs: str, code: str, level: int) -> ET.Element:
    """A task's leading elements, in the order of Microsoft's schema (a sequence)."""
    task = _add(tasks, "Task")
    _add(task, "UID", uid)
    _add(task, "ID", row)
    _add(task, "Name", name)
    _add(task, "WBS", wbs)
    _add(task, "OutlineNumber", code)
    _add(task, "OutlineLevel", level)
    return task


def _dates(task: ET.Element, schedule: Schedule, first: int, finish: int) -> None:
    start, end = schedule.date(first), schedule.date(finish)
    assert start is not None and end is not None  # the export needs plan_start
    _add(task, "Start", _when(start))
    _add(task, "Finish", _when(end))
    _add(task, "Duration", _hours(finish - first))
    _add(task, "DurationFormat", _ELAPSED_DAYS)


def _stage(task: ET.Element, plan: Plan, schedule: Schedule, timing: Timing, uid_of: dict[str, int]) -> None:
    stage = plan.stages[timing.index]
    milestone = timing.days == 0
    _dates(
        task,
        schedule,
        timing.earliest_start,
        timing.earliest_finish if not milestone else timing.earliest_start,
    )
    _add(task, "Milestone", 1 if milestone else 0)
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
