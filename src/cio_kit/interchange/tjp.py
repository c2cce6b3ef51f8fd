"""``export tjp``: a TaskJuggler project that ``tj3`` schedules to the dates of ``roadmap show`` (SPEC §14).

The plan's schedule runs on a seven-day calendar, so each stage is a task of
``duration Nd`` (elapsed days) with its length as the schedule computed it (an
effort-driven stage keeps the length its resources give it). Dependencies are
finish-to-start ``depends``; a stage's earliest date (``not_before``, a
milestone's ``date``) is a pinned milestone the task depends on, which is how
TaskJuggler expresses "after its predecessors, and not before this day". A
predecessor in another plan is left out, as ``roadmap show`` of one plan
treats it as finished at ``plan_start``. Task ids are ``s`` and the stage's
position, so no plan id can clash with TaskJuggler's syntax; the stage's
title is the task's name. A CSV task report is declared (``cio-kit.csv``), so
tj3 schedules the file without a warning.
"""

from __future__ import annotations

from cio_kit.analysis.schedule import Schedule
from cio_kit.plan.model import Plan
from cio_kit.render.escape import tjp_string


def task_id(number: int) -> str:
    """The TaskJuggler id of the stage at ``number``."""
    return f"s{number}"


def to_tjp(plan: Plan, schedule: Schedule) -> str:
    """The project: one task per stage, in file order."""
    start = plan.enterprise.plan_start
    if start is None:
        raise ValueError("a TaskJuggler export needs enterprise.plan_start")
    index = {stage.id: number for number, stage in enumerate(plan.stages)}
    horizon = schedule.finish + 31
    lines = [
        f"project cio_kit {tjp_string(plan.enterprise.name)} {start} +{horizon}d {{",
        '  timezone "UTC"',
        f"  currency {tjp_string(plan.enterprise.currency)}",
        "}",
        "",
    ]
    for number, (stage, timing) in enumerate(zip(plan.stages, schedule.timings, strict=True)):
        depends = [task_id(index[ref]) for ref in stage.depends_on if ref in index]
        floors = [when for when in (stage.not_before, stage.date) if when is not None and when > start]
        if floors:
            pin = f"{task_id(number)}_from"
            lines.append(f'task {pin} "not before" {{ start {max(floors)} milestone }}')
            depends.append(pin)
        body = [f"  depends {', '.join(depends)}"] if depends else []
        body.append("  milestone" if timing.days == 0 else f"  duration {timing.days}d")
        lines += [f"task {task_id(number)} {tjp_string(stage.title)} {{", *body, "}"]
    # A declared report, so tj3 schedules without warnings and writes the dates it found.
    lines += ["", 'taskreport cio_kit "cio-kit" {', "  formats csv", "  columns id, name, start, end", "}"]
    return "\n".join(lines) + "\n"
