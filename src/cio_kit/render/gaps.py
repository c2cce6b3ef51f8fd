"""The gaps report (SPEC §7): every finding by lesson, as JSON, Markdown and Rich text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_kit.render.escape import markdown as _md
from cio_kit.render.escape import markdown_code, terminal
from cio_kit.render.figures import SEVERITY_STYLE, bar, percent
from cio_kit.render.jsondoc import pretty
from cio_kit.reports.gaps import GapsReport

if TYPE_CHECKING:
    from rich.console import Console


def _counts(errors: int, warnings: int, infos: int) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}" + ("" if count == 1 else "s")

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {plural(infos, 'info')}"


def gaps_json(report: GapsReport) -> str:
    """The gaps report as JSON."""
    return pretty(
        {
            "plan": report.plan,
            "lessons": [
                {
                    "lesson": lesson.key,
                    "title": lesson.title,
                    "errors": lesson.weight[0],
                    "warnings": lesson.weight[1],
                    "infos": lesson.weight[2],
                    "findings": [finding.to_json() for finding in lesson.findings],
                }
                for lesson in report.lessons
            ],
            "coverage": [
                {
                    "key": c.key,
                    "label": c.label,
                    "lesson": c.lesson,
                    "covered": c.covered,
                    "total": c.total,
                    "share": None if c.share is None else round(c.share, 4),
                }
                for c in report.coverage
            ],
        }
    )


def gaps_markdown(report: GapsReport) -> str:
    """The gaps report as Markdown, worst lesson first."""
    lines = [f"## Gaps — {_md(report.plan)}", "", "| Coverage | |", "|---|---:|"]
    lines += [f"| {c.label} | {c.covered}/{c.total} ({percent(c.share)}) |" for c in report.coverage]
    for lesson in report.lessons:
        errors, warnings, infos = lesson.weight
        lines += ["", f"### {lesson.title} — {_counts(errors, warnings, infos)}"]
        if not lesson.findings:
            lines.append("No gaps.")
        for finding in lesson.findings:
            where = markdown_code(f"{finding.file}:{finding.line}")
            lines.append(f"- **{finding.rule}** ({finding.severity.value}) {where} {_md(finding.message)}")
    return "\n".join(lines) + "\n"


def gaps_text(report: GapsReport, console: Console, per_lesson: int | None = 3) -> None:
    """The one-screen gaps summary: coverage, then each lesson's worst findings."""
    from rich.markup import escape
    from rich.text import Text

    from cio_kit.render.tables import Table

    console.print(Text(f"{terminal(report.plan)} — gaps by lesson", style="bold"))
    width = max(10, min(30, console.width - 60))
    for c in report.coverage:
        if c.share is None:
            console.print(f"{c.label:<44} {'—':<{width}} n/a", style="dim")
            continue
        style = "green" if c.share >= 1 else ("yellow" if c.share >= 0.5 else "red")
        console.print(
            f"{c.label:<44} [{style}]{bar(c.share, width):<{width}}[/] {c.covered}/{c.total}",
        )
    for lesson in report.lessons:
        errors, warnings, infos = lesson.weight
        if not lesson.findings:
            console.print(f"[green]✓[/] {escape(lesson.title)}: no gaps")
            continue
        console.print()
        style = "bold red" if errors else ("yellow" if warnings else "cyan")
        console.print(f"[{style}]{escape(lesson.title)}[/]: {_counts(errors, warnings, infos)}")
        # A grid gives each message a hanging indent under its rule ID.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for finding in lesson.findings[:per_lesson] if per_lesson is not None else lesson.findings:
            grid.add_row(
                f"  [{SEVERITY_STYLE[finding.severity.value]}]{finding.rule}[/]",
                escape(terminal(finding.message)),
            )
        console.print(grid)
        hidden = len(lesson.findings) - per_lesson if per_lesson is not None else 0
        if hidden > 0:
            console.print(f"  … and {hidden} more (see `cio-kit plan validate`)", style="dim")
