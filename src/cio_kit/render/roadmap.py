"""Roadmap output: JSON (SPEC §6, §10), Mermaid gantt, Markdown, CSV and a Rich Gantt.

Every function is pure over a plan and its computed schedule (and, with a
baseline, the stages' variances against it). People read last days: text,
Markdown and CSV show a stage's *last day* of work; JSON keeps
``finish_date`` (the day after, TaskJuggler's end) and adds ``last_day``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cio_kit.analysis.schedule import Schedule, Timing
from cio_kit.plan.model import Plan, Stage
from cio_kit.render import jsondoc
from cio_kit.render.escape import csv_cell, mermaid_label, terminal
from cio_kit.render.escape import markdown as _md

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from cio_kit.analysis.baseline import Variance


def _weeks(days: int) -> float:
    return days / 7


def _iso(schedule: Schedule, day: int) -> str | None:
    date = schedule.date(day)
    return date.isoformat() if date else None


def _float_weeks(timing: Timing, days: int) -> float | None:
    """A float in weeks; None for a stage that is done in a forecast (its dates are history)."""
    return None if timing.settled else _weeks(days)


def to_json(
    plan: Plan,
    schedule: Schedule,
    variances: dict[str, Variance] | None = None,
    delays: Sequence[int] | None = None,
) -> str:
    """The ``roadmap show --format json`` document, key for key as SPEC §6, §10 and §11.

    ``delays`` are the levelling delays of a levelled schedule.
    """
    stages = []
    for t in schedule.timings:
        row: dict[str, object] = {
            "id": t.id,
            "wave": t.wave,
            "duration_weeks": _weeks(t.days),
            "earliest_start": _weeks(t.earliest_start),
            "earliest_finish": _weeks(t.earliest_finish),
            "latest_start": _weeks(t.latest_start),
            "latest_finish": _weeks(t.latest_finish),
            "total_float": _float_weeks(t, t.total_float),
            "free_float": _float_weeks(t, t.free_float),
            "critical": t.critical,
            "start_date": _iso(schedule, t.earliest_start),
            "finish_date": _iso(schedule, t.earliest_finish),
            "last_day": _iso(schedule, t.last_day),
            "deadline_float": t.deadline_float,
        }
        if variances is not None:
            change = variances.get(t.id)
            row["baseline_start"] = (
                change.baseline_start.isoformat() if change and change.baseline_start else None
            )
            row["baseline_last_day"] = (
                change.baseline_last_day.isoformat() if change and change.baseline_last_day else None
            )
            row["start_variance_days"] = change.start_variance_days if change else None
            row["finish_variance_days"] = change.finish_variance_days if change else None
        if delays is not None:
            row["level_delay_days"] = delays[t.index]
        stages.append(row)
    document: dict[str, object] = {
        "plan": plan.enterprise.name,
        "finish_week": _weeks(schedule.finish),
        "finish_date": _iso(schedule, schedule.finish),
        "last_day": _iso(schedule, schedule.last_day_number),
        "critical_path": list(schedule.critical_path),
        "waves": [list(wave) for wave in schedule.waves],
        "stages": stages,
    }
    document["basis"] = "forecast" if schedule.status_date is not None else "as-written"
    if schedule.status_date is not None:
        document["forecast"] = True
        document["status_date"] = schedule.status_date.isoformat()
    if delays is not None:
        document["levelled"] = True
    return jsondoc.dump(document, rows=("waves", "stages"))


def _axis(schedule: Schedule) -> list[str]:
    """Tick spacing and labels that never repeat a label: days for short plans, months, then quarters."""
    span = schedule.finish
    if span <= 10 * 7:
        return ["    axisFormat %Y-%m-%d", "    tickInterval 1week"]
    if span <= 2 * 365:
        return ["    axisFormat %Y-%m", "    tickInterval 1month"]
    return ["    axisFormat %Y-%m", "    tickInterval 3month"]


def to_mermaid(plan: Plan, schedule: Schedule) -> str:
    """A Mermaid ``gantt`` block: a section per wave, ``crit``/``done``/``active`` tags, ``after`` links.

    Task ids are ``t`` and the stage's position (``t0``, ``t1``…): stage ids
    may hold characters Mermaid ids cannot, and cleaning them up could make
    two ids collide (``S.A`` and ``S_A``).
    """
    lines = [
        "gantt",
        f"    title {mermaid_label(plan.enterprise.name + ' roadmap', task=False)}",
        "    dateFormat YYYY-MM-DD",
        *_axis(schedule),
    ]
    if schedule.plan_start is None:
        lines.append("    %% The plan has no plan_start: day 0 is drawn at 2000-01-03.")
    by_index = {t.index: t for t in schedule.timings}
    waves: dict[int, list[Timing]] = {}
    for timing in schedule.timings:
        waves.setdefault(timing.wave, []).append(timing)
    task_ids = {t.id: f"t{t.index}" for t in schedule.timings}
    finishes = {t.id: t.earliest_finish for t in schedule.timings}
    for wave in sorted(waves):
        lines.append(f"    section Wave {wave}")
        for timing in waves[wave]:
            stage = plan.stages[timing.index]
            lines.append("    " + _mermaid_task(stage, by_index[timing.index], schedule, finishes, task_ids))
    return "\n".join(lines) + "\n"


def _mermaid_task(
    stage: Stage, timing: Timing, schedule: Schedule, finishes: dict[str, int], task_ids: dict[str, str]
) -> str:
    tags = []
    if stage.status == "done":
        tags.append("done")
    elif stage.status == "in-progress":
        tags.append("active")
    if timing.critical:
        tags.append("crit")
    if stage.kind == "milestone":
        tags.append("milestone")
    tags.append(task_ids[stage.id])
    preds = [d for d in dict.fromkeys(stage.depends_on) if d in finishes]
    if preds and max(finishes[d] for d in preds) == timing.earliest_start:
        tags.append("after " + " ".join(task_ids[d] for d in preds))
    else:
        date = schedule.date(timing.earliest_start)
        if date is None:
            import datetime as dt

            date = dt.date(2000, 1, 3) + dt.timedelta(days=timing.earliest_start)
        tags.append(date.isoformat())
    tags.append(f"{timing.days}d")
    return f"{mermaid_label(stage.title)} :{', '.join(tags)}"


def _which(schedule: Schedule, forecast_last_day: str | None) -> str:
    """Which schedule this is, so two finish dates are never shown without saying which is which."""
    if schedule.status_date is not None:
        return f"forecast from the status date {schedule.status_date.isoformat()}"
    if forecast_last_day is not None:
        return f"the plan as written; the forecast's last day is {forecast_last_day} (without --as-written)"
    return "the plan as written"


def _days_text(days: int | None) -> str:
    return "" if days is None else f"{days:+d}d"


def to_markdown(plan: Plan, schedule: Schedule, forecast_last_day: str | None = None) -> str:
    """A table plus the Mermaid block, for a pull-request comment or a board pack."""
    last = _iso(schedule, schedule.last_day_number)
    heading = f"## Roadmap — {_md(plan.enterprise.name)}\n\n"
    summary = f"Showing {_which(schedule, forecast_last_day)}.\n\n"
    summary += f"Last day: **{last}**" if last else f"Finish: **week {_weeks(schedule.finish):.1f}**"
    summary += f". Critical path: {_md(' → '.join(schedule.critical_path)) or 'none'}.\n\n"
    rows = [
        "| Wave | Stage | Title | Kind | Owner | Start | Last day | Float (weeks) | Date float | Critical |",
        "|---:|---|---|---|---|---|---|---:|---:|:---:|",
    ]
    for timing in schedule.timings:
        stage = plan.stages[timing.index]
        start = _iso(schedule, timing.earliest_start) or f"week {_weeks(timing.earliest_start):.1f}"
        end = _iso(schedule, timing.last_day) or f"week {_weeks(timing.earliest_finish):.1f}"
        slack = "" if timing.settled else f"{_weeks(timing.total_float):.1f}"
        rows.append(
            f"| {timing.wave} | {_md(stage.id)} | {_md(stage.title)} | {stage.kind} | "
            f"{_md(stage.owner or '')} | {start} | {end} | {slack} | {_days_text(timing.deadline_float)} | "
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
    "last_day",
    "deadline_float_days",
    "driver",
)


def to_csv(plan: Plan, schedule: Schedule) -> str:
    """One row per stage, weeks as numbers, for spreadsheets (dates are first and last days of work)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in schedule.timings:
        stage = plan.stages[t.index]
        writer.writerow(
            [
                stage.id,
                csv_cell(stage.title),
                stage.kind,
                csv_cell(stage.owner or ""),
                stage.status,
                f"{stage.percent_complete:g}",
                t.wave,
                f"{_weeks(t.days):g}",
                f"{_weeks(t.earliest_start):g}",
                f"{_weeks(t.earliest_finish):g}",
                f"{_weeks(t.latest_start):g}",
                f"{_weeks(t.latest_finish):g}",
                "" if t.settled else f"{_weeks(t.total_float):g}",
                "" if t.settled else f"{_weeks(t.free_float):g}",
                "true" if t.critical else "false",
                _iso(schedule, t.earliest_start) or "",
                _iso(schedule, t.last_day) or "",
                t.deadline_float,  # None: csv writes an empty cell
                t.driver,
            ]
        )
    return buffer.getvalue()


def render_text(
    plan: Plan,
    schedule: Schedule,
    console: Console,
    *,
    forecast_last_day: str | None = None,
    variances: dict[str, Variance] | None = None,
    order: str = "file",
    levelled: bool = False,
) -> None:
    """A CPM table and Gantt bars scaled to the console width (baseline bars under them, with one).

    ``order`` is ``file`` (as written), ``start`` (by start, then last day) or ``wave``.
    """
    from rich.text import Text

    from cio_kit.render.tables import Table

    last = _iso(schedule, schedule.last_day_number)
    title = f"{terminal(plan.enterprise.name)} — roadmap"
    which = _which(schedule, forecast_last_day)
    if levelled:
        which += ", levelled to the resources' capacity"
    console.print(Text(f"{title}: {which}", style="bold"))
    line = (
        f"Last day: {last} (week {_weeks(schedule.finish):.1f})"
        if last
        else f"Finish: week {_weeks(schedule.finish):.1f}"
    )
    console.print(line + f" · {len(schedule.waves)} waves · {len(schedule.timings)} stages")
    console.print(Text("Critical path: " + (" → ".join(schedule.critical_path) or "none"), style="red"))

    # On a narrow terminal the title goes under the stage id and the driver under the start,
    # rather than either being dropped or every column squeezed to nothing.
    wide, wider = console.width >= 132, console.width >= 180
    every = ordered(schedule, order)
    # A terminal shows a screenful, not a book: past TEXT_ROWS the critical stages come first,
    # then the rest in order, and the line below says how many more the other formats carry.
    rows = every if len(every) <= TEXT_ROWS else _first_rows(every)
    cells = [_cells(plan, schedule, t, wide, wider, variances) for t in rows]
    columns = _columns(plan, console.width, wide, wider, variances is not None)
    if wide:
        # The title takes what the other columns leave, at most 36 characters: left to Rich,
        # the squeeze fell on the status column, which alone could fold.
        columns[2][1]["max_width"] = _title_width(columns, [row for row, _ in cells], console.width)
    table = Table(show_edge=False, pad_edge=False)
    for header, options in columns:
        table.add_column(header, **options)
    for row, style in cells:
        table.add_row(*row, style=style)
    console.print(table)
    if len(rows) < len(every):
        console.print(
            Text(
                f"… and {len(every) - len(rows):,} more stages: roadmap show --format csv, json or "
                "markdown lists every one",
                style="bold",
            )
        )
    console.print(
        Text(
            "* critical. "
            + ("" if wide else "← the stage whose finish sets the start. ")
            + "Last day: the last day of work. Float: weeks of slack before the finish moves. "
            "To date: days of slack before a deadline, fixed date or goal due date is missed "
            "(negative: it will be)."
            + (" Slip: days the last day moved against the baseline." if variances is not None else ""),
            style="dim",
        )
    )
    console.print()
    _gantt(plan, schedule, console, variances, rows)


def _columns(
    plan: Plan, width: int, wide: bool, wider: bool, slips: bool
) -> list[tuple[str, dict[str, Any]]]:
    """The terminal table's columns, each a header and its options for ``add_column``."""
    columns: list[tuple[str, dict[str, Any]]] = [("W", {"justify": "right", "min_width": 1, "no_wrap": True})]
    if wide:
        columns += [("Stage", {"no_wrap": True}), ("Title", {"no_wrap": True, "max_width": 36})]
    else:
        # What the fixed columns take (W, start, last day, float, to date, status) and the
        # three-character separators between them; the stage and its title get the rest
        # (the slip against a baseline goes under the last day).
        fixed = 3 + 12 + 10 + 6 + 7 + 11
        separators = 3 * 6
        room = max(12, width - fixed - separators)
        # The id is never cut (two "S-MES-ROLLOUT…" rows would read alike, and the critical "*" go):
        # the column is at least as wide as the longest id, and the title under it wraps instead.
        longest = max((len(stage.id) for stage in plan.stages), default=12)
        columns.append(
            (
                "Stage / title",
                {"overflow": "fold", "min_width": min(longest, 60), "max_width": max(room, longest)},
            )
        )
    if wider:
        columns += [("Kind", {"no_wrap": True}), ("Owner", {"no_wrap": True, "max_width": 20})]
    columns += [
        ("Start", {"no_wrap": True, "min_width": 10, "max_width": None if wide else 12}),
        ("Last day", {"no_wrap": True, "min_width": 10}),
        ("Float", {"justify": "right", "no_wrap": True, "min_width": 6}),
        ("To date", {"justify": "right", "no_wrap": True, "min_width": 7}),
    ]
    if slips and wide:
        columns.append(("Slip", {"justify": "right", "no_wrap": True}))
    # Narrow, the status may fold (the room left is shared out); wide, the title gives way instead.
    columns.append(("Status", {"no_wrap": wide, "min_width": 5}))
    if wide:
        columns.append(("Driven by", {"no_wrap": True, "max_width": 20}))
    return columns


def _title_width(columns: list[tuple[str, dict[str, Any]]], rows: list[list[Text]], width: int) -> int:
    """The title column's width: the console's less every other column's and the gaps, 10 to 36."""
    from rich.cells import cell_len

    others = 3 * (len(columns) - 1)  # " │ " between columns
    for number, (header, options) in enumerate(columns):
        if header == "Title":
            continue
        lines = [line for row in rows for line in row[number].plain.splitlines()]
        natural = max([cell_len(header), options.get("min_width") or 0, *map(cell_len, lines)])
        others += min(natural, options.get("max_width") or natural)
    return max(10, min(36, width - others))


def _cells(
    plan: Plan, schedule: Schedule, t: Timing, wide: bool, wider: bool, variances: dict[str, Variance] | None
) -> tuple[list[Text], str]:
    """One stage's row of the terminal table, and its style."""
    from rich.text import Text

    stage = plan.stages[t.index]
    style = "red" if t.critical else ("dim" if stage.status in ("done", "cancelled") else "")
    status = stage.status if stage.status != "in-progress" else f"{stage.percent_complete:g}%"
    ident = stage.id + (" *" if t.critical else "")
    start = _iso(schedule, t.earliest_start) or f"w{_weeks(t.earliest_start):.1f}"
    if wide:
        cells: list[Text | str] = [str(t.wave), ident, terminal(stage.title)]
    else:
        # Narrow: the critical mark goes with the wave, so the id column is only as wide as an id.
        wave = f"{t.wave}*" if t.critical else str(t.wave)
        cells = [wave, Text(stage.id + "\n") + Text(terminal(stage.title), style="dim")]
        start = start + ("\n← " + t.driver if t.driver else "")
    if wider:
        cells += [stage.kind, terminal(stage.owner or "")]
    stage_last = _iso(schedule, t.last_day) or f"w{_weeks(t.earliest_finish):.1f}"
    slip = ""
    if variances is not None:
        change = variances.get(t.id)
        # "—": one of the two has no dates (a plan_start removed or added since), so no slip to count.
        slip = (_days_text(change.finish_variance_days) or "—") if change else "new"
        if not wide:
            stage_last += f"\nslip {slip}"
    cells += [
        start,
        stage_last,
        "—" if t.settled else f"{_weeks(t.total_float):.1f}w",
        _days_text(t.deadline_float),
    ]
    if variances is not None and wide:
        cells.append(slip)
    cells.append(status)
    if wide:
        cells.append(t.driver or "")
    # A str cell would be read as Rich markup: plan text ("[/]", "[link=…]") must stay text.
    return [Text(cell) if isinstance(cell, str) else cell for cell in cells], style


TEXT_ROWS = 400
"""Stages the terminal table and Gantt show at most; JSON, CSV and Markdown list every one."""


def _first_rows(every: list[Timing]) -> list[Timing]:
    """The critical stages, then the others, TEXT_ROWS in all, in the order asked."""
    chosen = {t.index for t in every if t.critical}
    for t in every:
        if len(chosen) >= TEXT_ROWS:
            break
        chosen.add(t.index)
    return [t for t in every if t.index in chosen][:TEXT_ROWS]


def ordered(schedule: Schedule, order: str) -> list[Timing]:
    """Stages in file order, by start (then last day, then file order) or by wave."""
    timings = list(schedule.timings)
    if order == "start":
        return sorted(timings, key=lambda t: (t.earliest_start, t.last_day, t.index))
    if order == "wave":
        return sorted(timings, key=lambda t: (t.wave, t.index))
    return timings


def _baseline_span(schedule: Schedule, change: Variance | None) -> tuple[int, int] | None:
    """The baseline's [first day, day after the last day) in this schedule's day numbers."""
    if change is None or schedule.plan_start is None or change.baseline_start is None:
        return None
    if change.baseline_last_day is None:
        return None
    first = (change.baseline_start - schedule.plan_start).days
    return first, (change.baseline_last_day - schedule.plan_start).days + 1


def _gantt(
    plan: Plan,
    schedule: Schedule,
    console: Console,
    variances: dict[str, Variance] | None,
    rows: list[Timing],
) -> None:
    from rich.text import Text

    label_width = min(max((len(t.id) for t in schedule.timings), default=4), 24)
    width = max(console.width - label_width - 3, 10)
    spans = {t.id: _baseline_span(schedule, (variances or {}).get(t.id)) for t in schedule.timings}
    horizon = max([schedule.finish, *(span[1] for span in spans.values() if span)])
    scale = width / max(horizon, 1)
    for t in rows:
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
        console.print(row, no_wrap=True)
        span = spans.get(t.id)
        if variances is not None and span is not None and stage.status != "cancelled":
            first, after = max(span[0], 0), max(span[1], 0)
            base = Text(" " * label_width + " │", style="dim")
            base.append(" " * int(first * scale))
            base.append("─" * max(1, int(after * scale) - int(first * scale)), style="dim")
            console.print(base, no_wrap=True)
    axis = _date_axis(schedule, width, scale)
    if axis:
        console.print(Text(" " * (label_width + 2) + axis, style="dim"), no_wrap=True)
    legend = "█ done  ▓ critical  ░ to do  ◆ milestone  × cancelled"
    legend += "  ─ baseline" if variances is not None else "  * critical stage"
    console.print(Text(legend, style="dim"))


def _date_axis(schedule: Schedule, width: int, scale: float) -> str:
    """Month labels (YYYY-MM) under the bars, every 1, 3, 6 or 12 months so that none overlap."""
    import datetime as dt

    start = schedule.plan_start
    if start is None:
        return ""
    horizon = width / scale
    step = next((months for months in (1, 3, 6, 12, 24, 60) if months * 30.4 * scale >= 9), 120)
    cells = [" "] * width
    index = start.year * 12 + start.month - 1 + (start.day != 1)  # the first month that starts on or after
    index += -index % step
    while index // 12 <= 9999:
        year, month = divmod(index, 12)
        tick = dt.date(year, month + 1, 1)
        days = (tick - start).days
        column = int(days * scale)
        if days > horizon or column + 7 > width:
            break
        if all(cell == " " for cell in cells[max(column - 1, 0) : column + 8]):
            cells[column : column + 7] = f"{year:04d}-{month + 1:02d}"
        index += step
    return "".join(cells).rstrip()
