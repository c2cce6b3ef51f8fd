"""Roadmap output: JSON (SPEC §6), Mermaid gantt, Markdown, CSV and a Rich Gantt.

Every function is pure over a plan and its computed schedule.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from cio_kit.model import Plan, Stage
from cio_kit.render import jsondoc
from cio_kit.schedule import Schedule, Timing

if TYPE_CHECKING:
    from rich.console import Console


def _weeks(days: int) -> float:
    return days / 7


def _iso(schedule: Schedule, day: int) -> str | None:
    date = schedule.date(day)
    return date.isoformat() if date else None


def to_json(plan: Plan, schedule: Schedule) -> str:
    """The ``roadmap show --format json`` document, key for key as SPEC §6."""
    document: dict[str, object] = {
        "plan": plan.enterprise.name,
        "finish_week": _weeks(schedule.finish),
        "finish_date": _iso(schedule, schedule.finish),
        "critical_path": list(schedule.critical_path),
        "waves": [list(wave) for wave in schedule.waves],
        "stages": [
            {
                "id": t.id,
                "wave": t.wave,
                "duration_weeks": _weeks(t.days),
                "earliest_start": _weeks(t.earliest_start),
                "earliest_finish": _weeks(t.earliest_finish),
                "latest_start": _weeks(t.latest_start),
                "latest_finish": _weeks(t.latest_finish),
                "total_float": _weeks(t.total_float),
                "free_float": _weeks(t.free_float),
                "critical": t.critical,
                "start_date": _iso(schedule, t.earliest_start),
                "finish_date": _iso(schedule, t.earliest_finish),
            }
            for t in schedule.timings
        ],
    }
    if schedule.status_date is not None:
        document["forecast"] = True
        document["status_date"] = schedule.status_date.isoformat()
    return jsondoc.dump(document, rows=("waves", "stages"))


def _mermaid_id(ident: str) -> str:
    # Mermaid task ids take letters, digits, '_' and '-'; 'after' cannot parse dots.
    return re.sub(r"[^A-Za-z0-9_-]", "_", ident)


def _mermaid_text(text: str) -> str:
    # ':' ends a task name and '#'/';' start comments or entities in Mermaid.
    return " ".join(re.sub(r"[:#;]", " ", text).split()) or "(untitled)"


def to_mermaid(plan: Plan, schedule: Schedule) -> str:
    """A Mermaid ``gantt`` block: a section per wave, ``crit``/``done``/``active`` tags, ``after`` links."""
    lines = [
        "gantt",
        f"    title {_mermaid_text(plan.enterprise.name)} roadmap",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m",
    ]
    if schedule.plan_start is None:
        lines.append("    %% The plan has no plan_start: day 0 is drawn at 2000-01-03.")
    by_index = {t.index: t for t in schedule.timings}
    waves: dict[int, list[Timing]] = {}
    for timing in schedule.timings:
        waves.setdefault(timing.wave, []).append(timing)
    finishes = {t.id: t.earliest_finish for t in schedule.timings}
    for wave in sorted(waves):
        lines.append(f"    section Wave {wave}")
        for timing in waves[wave]:
            stage = plan.stages[timing.index]
            lines.append("    " + _mermaid_task(stage, by_index[timing.index], schedule, finishes))
    return "\n".join(lines) + "\n"


def _mermaid_task(stage: Stage, timing: Timing, schedule: Schedule, finishes: dict[str, int]) -> str:
    tags = []
    if stage.status == "done":
        tags.append("done")
    elif stage.status == "in-progress":
        tags.append("active")
    if timing.critical:
        tags.append("crit")
    if stage.kind == "milestone":
        tags.append("milestone")
    tags.append(_mermaid_id(stage.id))
    preds = [d for d in dict.fromkeys(stage.depends_on) if d in finishes]
    if preds and max(finishes[d] for d in preds) == timing.earliest_start:
        tags.append("after " + " ".join(_mermaid_id(d) for d in preds))
    else:
        date = schedule.date(timing.earliest_start)
        if date is None:
            import datetime as dt

            date = dt.date(2000, 1, 3) + dt.timedelta(days=timing.earliest_start)
        tags.append(date.isoformat())
    tags.append(f"{timing.days}d")
    return f"{_mermaid_text(stage.title)} :{', '.join(tags)}"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(plan: Plan, schedule: Schedule) -> str:
    """A table plus the Mermaid block, for a pull-request comment or a board pack."""
    finish = _iso(schedule, schedule.finish)
    heading = f"## Roadmap — {_md(plan.enterprise.name)}\n\n"
    summary = f"Finish: **week {_weeks(schedule.finish):.1f}**"
    summary += f" ({finish})" if finish else ""
    summary += f". Critical path: {' → '.join(schedule.critical_path) or 'none'}.\n\n"
    rows = [
        "| Wave | Stage | Title | Kind | Owner | Start | Finish | Float (weeks) | Critical |",
        "|---:|---|---|---|---|---|---|---:|:---:|",
    ]
    for timing in schedule.timings:
        stage = plan.stages[timing.index]
        start = _iso(schedule, timing.earliest_start) or f"week {_weeks(timing.earliest_start):.1f}"
        end = _iso(schedule, timing.earliest_finish) or f"week {_weeks(timing.earliest_finish):.1f}"
        rows.append(
            f"| {timing.wave} | {_md(stage.id)} | {_md(stage.title)} | {stage.kind} | "
            f"{_md(stage.owner or '')} | {start} | {end} | {_weeks(timing.total_float):.1f} | "
            f"{'●' if timing.critical else ''} |"
        )
    return heading + summary + "\n".join(rows) + "\n\n```mermaid\n" + to_mermaid(plan, schedule) + "```\n"


CSV_COLUMNS = (
    "id",
    "title",
    "kind",
    "owner",
    "status",
    "percent_complete",
    "wave",
    "duration_weeks",
    "earliest_start",
    "earliest_finish",
    "latest_start",
    "latest_finish",
    "total_float",
    "free_float",
    "critical",
    "start_date",
    "finish_date",
    "driver",
)


def to_csv(plan: Plan, schedule: Schedule) -> str:
    """One row per stage, weeks as numbers, for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in schedule.timings:
        stage = plan.stages[t.index]
        writer.writerow(
            [
                stage.id,
                stage.title,
                stage.kind,
                stage.owner or "",
                stage.status,
                f"{stage.percent_complete:g}",
                t.wave,
                f"{_weeks(t.days):g}",
                f"{_weeks(t.earliest_start):g}",
                f"{_weeks(t.earliest_finish):g}",
                f"{_weeks(t.latest_start):g}",
                f"{_weeks(t.latest_finish):g}",
                f"{_weeks(t.total_float):g}",
                f"{_weeks(t.free_float):g}",
                "true" if t.critical else "false",
                _iso(schedule, t.earliest_start) or "",
                _iso(schedule, t.earliest_finish) or "",
                t.driver or "",
            ]
        )
    return buffer.getvalue()


def render_text(plan: Plan, schedule: Schedule, console: Console) -> None:
    """A CPM table and Gantt bars scaled to the console width."""
    from rich.table import Table
    from rich.text import Text

    finish = _iso(schedule, schedule.finish)
    title = f"{plan.enterprise.name} — roadmap"
    if schedule.status_date is not None:
        title += f" (forecast at {schedule.status_date.isoformat()})"
    console.print(Text(title, style="bold"))
    line = f"Finish: week {_weeks(schedule.finish):.1f}" + (f", {finish}" if finish else "")
    console.print(line + f" · {len(schedule.waves)} waves · {len(schedule.timings)} stages")
    console.print(Text("Critical path: " + (" → ".join(schedule.critical_path) or "none"), style="red"))

    # Columns a narrow terminal cannot hold are left out rather than squeezed to nothing.
    wide, wider = console.width >= 132, console.width >= 180
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("W", justify="right")
    table.add_column("Stage", no_wrap=True)
    if wide:
        table.add_column("Title", overflow="ellipsis", no_wrap=True, max_width=36)
    if wider:
        table.add_column("Kind", no_wrap=True)
        table.add_column("Owner", overflow="ellipsis", no_wrap=True, max_width=20)
    table.add_column("Start", no_wrap=True)
    table.add_column("Finish", no_wrap=True)
    table.add_column("Float", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    if wide:
        table.add_column("Driven by", overflow="ellipsis", no_wrap=True, max_width=20)
    for t in schedule.timings:
        stage = plan.stages[t.index]
        style = "red" if t.critical else ("dim" if stage.status in ("done", "cancelled") else "")
        status = stage.status if stage.status != "in-progress" else f"{stage.percent_complete:g}%"
        cells = [str(t.wave), stage.id + (" *" if t.critical else "")]
        if wide:
            cells.append(stage.title)
        if wider:
            cells += [stage.kind, stage.owner or ""]
        cells += [
            _iso(schedule, t.earliest_start) or f"w{_weeks(t.earliest_start):.1f}",
            _iso(schedule, t.earliest_finish) or f"w{_weeks(t.earliest_finish):.1f}",
            f"{_weeks(t.total_float):.1f}w",
            status,
        ]
        if wide:
            cells.append(t.driver or "")
        table.add_row(*cells, style=style)
    console.print(table)
    console.print()
    _gantt(plan, schedule, console)


def _gantt(plan: Plan, schedule: Schedule, console: Console) -> None:
    from rich.text import Text

    label_width = min(max((len(t.id) for t in schedule.timings), default=4), 24)
    width = max(console.width - label_width - 3, 10)
    scale = width / max(schedule.finish, 1)
    for t in schedule.timings:
        stage = plan.stages[t.index]
        row = Text(f"{t.id[:label_width]:<{label_width}} │", style="bold" if t.critical else "")
        begin = int(t.earliest_start * scale)
        row.append(" " * begin)
        if stage.status == "cancelled":
            row.append("×", style="dim")
        elif t.days == 0:
            row.append("◆", style="red" if t.critical else "magenta")
        else:
            length = max(1, int(t.earliest_finish * scale) - begin)
            done = length if stage.status == "done" else int(length * stage.percent_complete / 100)
            row.append("█" * done, style="green")
            # Critical work gets its own glyph as well as colour, for logs without colour.
            row.append(("▓" if t.critical else "░") * (length - done), style="red" if t.critical else "blue")
        console.print(row, no_wrap=True, overflow="crop")
    legend = "█ done  ▓ critical  ░ to do  ◆ milestone  × cancelled  (* critical stage)"
    console.print(Text(" " * (label_width + 2) + legend, style="dim"), no_wrap=True, overflow="crop")
