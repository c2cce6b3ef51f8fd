"""Output of ``cio-kit rules``: the catalogue as a table or JSON, and one rule's full documentation."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cio_kit.render.jsondoc import pretty
from cio_kit.rules.registry import SECTIONS, Rule

if TYPE_CHECKING:
    from rich.console import Console


def to_json(rules: dict[str, Rule]) -> str:
    """Every rule with its metadata and documentation sections."""
    document = [
        {
            "id": rule.id,
            "name": rule.name,
            "family": rule.family,
            "lesson": rule.lesson,
            "severity": rule.severity.value,
            "blocking": rule.blocking,
            "summary": rule.summary,
            **{title.lower().replace(" ", "_"): rule.section(title) for title in SECTIONS},
        }
        for rule in rules.values()
    ]
    return pretty(document)


def render_table(rules: dict[str, Rule], console: Console) -> None:
    """The catalogue: one table per lesson with ID, (name,) default severity and summary."""
    from cio_kit.render.tables import Table

    wide = console.width >= 120
    by_lesson: dict[str, list[Rule]] = {}
    for rule in rules.values():
        by_lesson.setdefault(rule.lesson, []).append(rule)
    for lesson, members in by_lesson.items():
        table = Table(title=lesson, title_justify="left", title_style="bold", show_edge=False, pad_edge=False)
        table.add_column("ID", no_wrap=True)
        if wide:
            table.add_column("Name", no_wrap=True)
        table.add_column("Severity", no_wrap=True)
        table.add_column("Checks")
        for rule in members:
            severity = rule.severity.value + ("*" if rule.blocking else "")
            cells = [rule.id, *([rule.name] if wide else []), severity, rule.summary]
            table.add_row(*cells)
        console.print(table)
        console.print()
    console.print("* blocking: cannot be ignored, re-levelled or suppressed.")
    console.print("Run `cio-kit rules ID` for what a rule checks, why it matters, an example and the fix.")


def render_rule(rule: Rule, console: Console) -> None:
    """One rule's full documentation."""
    from rich.markup import escape
    from rich.syntax import Syntax

    blocking = ", blocking" if rule.blocking else ""
    console.print(f"[bold]{rule.id}[/] {rule.name} — {rule.severity.value}{blocking}")
    console.print(f"[dim]{rule.lesson}[/]")
    console.print(escape(rule.summary))
    for title in SECTIONS:
        body = rule.section(title)
        if not body:
            continue
        console.print()
        console.print(f"[bold]{title}[/]")
        if title == "Example":
            console.print(Syntax(body, "yaml", theme="ansi_dark", background_color="default", word_wrap=True))
        else:
            # Join the docstring's hard-wrapped lines so the terminal can wrap them.
            console.print(escape(re.sub(r"(?<!\n)\n(?!\n)", " ", body)))
