"""The human report of ``plan validate``: findings grouped by file, then a summary.

Each finding is one unbroken line, ``file:line:col severity RULE message``,
so editors and problem matchers can jump to it and ``grep`` finds it, when
the output is a file, a pipe or CI. In a terminal the location keeps its line
and the message wraps at word boundaries, indented under it (SPEC §19).
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as _markup
from rich.padding import Padding
from rich.text import Text

from cio_kit.findings import Report, Severity
from cio_kit.render.escape import terminal


def escape(text: str) -> str:
    """Plan text for a line of markup: never markup, no control or bidi character, no line break."""
    return _markup(terminal(text))


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, console: Console) -> None:
    """Print ``report`` on ``console``."""
    for result in report.files:
        if result.skipped and not result.findings:
            continue
        label = f" — {escape(result.plan)}" if result.plan else ""
        if not result.findings:
            console.print(
                f"[green]✓[/] [bold]{escape(result.file)}[/]{label}: no findings", soft_wrap=True, emoji=False
            )
            continue
        skipped = " [dim](skipped)[/]" if result.skipped else ""
        console.print(f"[bold]{escape(result.file)}[/]{label}{skipped}", soft_wrap=True, emoji=False)
        for finding in result.findings:
            style = _STYLE[finding.severity]
            where = (
                f"  {escape(finding.file)}:{finding.line}:{finding.column} "
                f"[{style}]{finding.severity.value}[/] [bold]{finding.rule}[/]"
            )
            if console.is_terminal and not console.soft_wrap:
                # A person reading a terminal: the message wraps at words, indented under its place.
                console.print(where, highlight=False, emoji=False)
                console.print(Padding(Text(terminal(finding.message)), (0, 0, 0, 4)))  # Text: never markup
                continue
            # A file, a pipe or CI: one line each, as file:line:col parsers and problem matchers read it.
            console.print(
                f"{where} {escape(finding.message)}",
                soft_wrap=True,
                highlight=False,
                emoji=False,  # "plan.yaml:100:5" is a position, not the :100: emoji (SPEC §19)
            )
    console.print(summary_line(report), soft_wrap=True, highlight=False)


def summary_line(report: Report) -> str:
    """``2 errors, 1 warning, 0 infos in 3 files (1 skipped)`` with a ✓ or ✗ mark."""
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    infos = report.count(Severity.INFO)
    files = len(report.plans)
    mark = "[bold red]✗[/]" if errors else ("[yellow]![/]" if warnings else "[green]✓[/]")
    text = (
        f"{mark} {_plural(errors, 'error')}, {_plural(warnings, 'warning')}, "
        f"{_plural(infos, 'info')} in {_plural(files, 'plan file')}"
    )
    if report.skipped:
        text += f" ({report.skipped} YAML {'file' if report.skipped == 1 else 'files'} skipped)"
    if report.truncated:
        text += f"; {report.truncated} more left out (at most 200 findings of one rule per file)"
    return text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
