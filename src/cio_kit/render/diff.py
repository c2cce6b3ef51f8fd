"""Output of ``plan diff``: text for the terminal, JSON, and Markdown for a pull-request comment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cio_kit.findings import days
from cio_kit.money import money
from cio_kit.render.escape import markdown, markdown_code, terminal
from cio_kit.render.jsondoc import pretty
from cio_kit.reports.diff import PlanDiff

if TYPE_CHECKING:
    from rich.console import Console


def _value(value: Any) -> str:
    """A field's value as people write it: 2 not 2.0, a list item by item, a budget item as a phrase.

    A mapping of numbers (effort, an estimate) is shown key by key, since its keys say what each is.
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        # Every digit written, never an exponent: "1,234,567.5", not "1.23457e+06".
        return f"{value:,}"
    if isinstance(value, int):  # a year or a priority: money is a float
        return str(value)
    if isinstance(value, dict):
        if all(isinstance(item, int | float) for item in value.values()):
            return ", ".join(f"{key} {_value(item)}" for key, item in value.items())
        return " ".join(_value(item) for item in value.values())
    if isinstance(value, list):
        return "; ".join(_value(item) for item in value)
    return str(value)


def _change(before: float, after: float) -> str:
    """The change between two amounts as the whole units they are shown in ("+1"), or "" for none.

    Counted between the rounded amounts, so the change always matches the figures on
    either side: 1,000.5 against 1,000 shows no "+0", and 1,000.4 → 1,000.6 shows +1.
    """
    delta = round(after) - round(before)
    return f"{delta:+,d}" if delta else ""


def to_json(diff: PlanDiff) -> str:
    """The diff as JSON."""
    return pretty(document(diff))


def many_to_json(diffs: list[PlanDiff], blocked: list[str]) -> str:
    """Every plan's diff (``plan diff --git REF``, no plan): ``{"plans": [diff...], "blocked": [file]}``."""
    whole = {"plans": [document(diff) for diff in diffs], "blocked": blocked}
    return pretty(whole)


def document(diff: PlanDiff) -> dict[str, Any]:
    """The diff as a JSON-ready mapping."""
    return {
        "old": diff.old_name,
        "new": diff.new_name,
        "stages": {
            "added": list(diff.added),
            "removed": list(diff.removed),
            "changed": [
                {"id": c.id, "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.changes]}
                for c in diff.changed
            ],
        },
        "budget": [
            {
                "scope": m.scope,
                "before": {k: round(v, 2) for k, v in m.before.items()},
                "after": {k: round(v, 2) for k, v in m.after.items()},
            }
            for m in diff.money
        ],
        "schedule": {
            "before": {
                "finish_week": diff.before.finish_week,
                "finish_date": diff.before.finish_date.isoformat() if diff.before.finish_date else None,
                "last_day": diff.before.last_day.isoformat() if diff.before.last_day else None,
                "critical_path": list(diff.before.critical_path),
            },
            "after": {
                "finish_week": diff.after.finish_week,
                "finish_date": diff.after.finish_date.isoformat() if diff.after.finish_date else None,
                "last_day": diff.after.last_day.isoformat() if diff.after.last_day else None,
                "critical_path": list(diff.after.critical_path),
            },
            "slip_days": diff.slip_days,
        },
        "findings": {
            "introduced": [f.to_json() for f in diff.introduced],
            "fixed": [f.to_json() for f in diff.fixed],
        },
    }


def _critical_path_lines(diff: PlanDiff) -> list[str]:
    """The critical path, before and after when it changed."""
    before, after = " → ".join(diff.before.critical_path), " → ".join(diff.after.critical_path)
    if before == after:
        return [f"Critical path (unchanged): {after or 'none'}"]
    return [f"Critical path before: {before or 'none'}", f"Critical path after: {after or 'none'}"]


def _schedule_line(diff: PlanDiff) -> str:
    before, after = diff.before, diff.after
    if before.last_day and after.last_day:
        line = f"Last day {before.last_day} → {after.last_day}"
        slip = diff.slip_days or 0
        line += f" ({'+' if slip > 0 else ''}{days(slip)})" if slip else " (unchanged)"
    elif before.last_day or after.last_day:  # a plan added or removed
        line = f"Last day {before.last_day or 'none'} → {after.last_day or 'none'}"
    else:
        line = f"Finish week {before.finish_week:.1f} → {after.finish_week:.1f}"
    return line


def to_markdown(diff: PlanDiff) -> str:
    """The diff as a pull-request comment."""
    lines = [
        f"## Plan changes: {markdown_code(diff.old_name)} → {markdown_code(diff.new_name)}",
        "",
        f"**{_schedule_line(diff)}**",
        "",
    ]
    lines += [markdown(line) for line in _critical_path_lines(diff)] + [""]
    lines += ["| Budget | Run | Grow | Transform | Total |", "|---|---:|---:|---:|---:|"]
    for m in diff.money:
        cells = [
            money(m.after[k]) + (f" ({shift})" if (shift := _change(m.before[k], m.after[k])) else "")
            for k in ("run", "grow", "transform", "total")
        ]
        lines.append(f"| {m.scope} | " + " | ".join(cells) + " |")
    lines.append("")
    if diff.added:
        lines.append("**Added stages:** " + ", ".join(markdown(ident) for ident in diff.added))
    if diff.removed:
        lines.append("**Removed stages:** " + ", ".join(markdown(ident) for ident in diff.removed))
    for change in diff.changed:
        lines.append(
            f"- **{markdown(change.id)}**: "
            + "; ".join(
                f"{markdown_code(f.field)} {markdown(_value(f.old))} → {markdown(_value(f.new))}"
                for f in change.changes
            )
        )
    if not (diff.added or diff.removed or diff.changed):
        lines.append("No stage changed.")
    lines.append("")
    lines.append(f"**Findings:** {len(diff.introduced)} introduced, {len(diff.fixed)} fixed")
    lines += [f"- ➕ {f.rule} ({f.severity.value}) {markdown(f.message)}" for f in diff.introduced]
    lines += [f"- ✅ {f.rule} {markdown(f.message)}" for f in diff.fixed]
    return "\n".join(lines) + "\n"


def many_to_markdown(diffs: list[PlanDiff], blocked: list[str]) -> str:
    """Every plan's diff as one Markdown document, for a job summary."""
    parts = [to_markdown(diff) for diff in diffs]
    if blocked:
        names = ", ".join(markdown_code(name) for name in blocked)
        parts.append(
            f"## Plans that cannot be compared\n\n{names}: blocking findings; "
            "run `cio-kit plan validate` on them.\n"
        )
    if not parts:
        parts.append("## Plan changes\n\nNo plan found.\n")
    return "\n".join(parts)


def many_to_text(diffs: list[PlanDiff], blocked: list[str], console: Console) -> None:
    """Every plan's diff for the terminal, then the plans that cannot be compared."""
    from rich.text import Text

    for diff in diffs:
        render_text(diff, console)
        console.print()
    for name in blocked:
        shown = terminal(name)
        console.print(Text(f"{shown}: cannot be compared; run cio-kit plan validate {shown}"))


def render_text(diff: PlanDiff, console: Console) -> None:
    """The diff for the terminal."""
    from rich.markup import escape

    def shown(text: str) -> str:
        return escape(terminal(text))

    from rich.text import Text

    from cio_kit.render.tables import Table

    console.print(Text(f"{terminal(diff.old_name)} → {terminal(diff.new_name)}", style="bold"))
    slip = diff.slip_days or 0
    console.print(Text(_schedule_line(diff), style="red" if slip > 0 else ("green" if slip < 0 else "")))
    for line in _critical_path_lines(diff):
        console.print(Text(line))
    table = Table(show_edge=False, pad_edge=False, title="Planned spend", title_justify="left")
    table.add_column("Scope", no_wrap=True)
    for column in ("Run", "Grow", "Transform", "Total"):
        table.add_column(column, justify="right", no_wrap=True)
    for m in diff.money:
        cells = []
        for key in ("run", "grow", "transform", "total"):
            shift = _change(m.before[key], m.after[key])
            # The change goes under the amount, so four columns of money fit in 80 columns.
            cells.append(money(m.after[key]) + (f"\n{shift}" if shift else ""))
        table.add_row(m.scope, *cells)
    console.print(table)
    for ident in diff.added:
        console.print(f"[green]+ {shown(ident)}[/] added")
    for ident in diff.removed:
        console.print(f"[red]- {shown(ident)}[/] removed")
    for change in diff.changed:
        console.print(f"[yellow]~ {shown(change.id)}[/]")
        for field in change.changes:
            old, new = shown(_value(field.old)), shown(_value(field.new))
            console.print(f"    {field.field}: {old} → {new}")
    console.print(f"Findings: {len(diff.introduced)} introduced, {len(diff.fixed)} fixed")
    for f in diff.introduced:
        console.print(f"  [red]+[/] {f.rule} {shown(f.message)}")
    for f in diff.fixed:
        console.print(f"  [green]✓[/] {f.rule} {shown(f.message)}")
