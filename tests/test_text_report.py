"""The human report of ``plan validate`` (SPEC §4, §19): what was written, and only that."""

from __future__ import annotations

import io

from rich.console import Console

from cio_kit.findings import FileResult, Finding, Report, Severity
from cio_kit.render.text import render

FILE = "plans/:smile: [bold].yaml"


def _finding(line: int, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(FILE, line, 5, "SCHED001", "stages[0]", "S-A is late :fire: [red]", severity)


def _shown(report: Report, *, terminal: bool, soft_wrap: bool = False) -> str:
    """The report as a terminal shows it (with colour, ANSI codes kept) or as a pipe gets it."""
    console = Console(
        file=io.StringIO(),
        width=100,
        force_terminal=terminal,
        color_system="truecolor" if terminal else None,
        soft_wrap=soft_wrap,
        record=True,
    )
    render(report, console)
    return console.export_text(styles=terminal)


def test_a_clean_file_and_its_plan_are_named_as_written() -> None:
    report = Report(
        (FileResult(FILE, "Hengda :+1: [i]", ()), FileResult("notes.yaml", None, (), skipped=True))
    )
    out = _shown(report, terminal=False)
    assert out.splitlines() == [
        "✓ plans/:smile: [bold].yaml — Hengda :+1: [i]: no findings",
        "✓ 0 errors, 0 warnings, 0 infos in 1 plan file (1 YAML file skipped)",
    ]
    untitled = _shown(Report((FileResult(FILE, None, ()),)), terminal=False)
    assert untitled.splitlines()[0] == "✓ plans/:smile: [bold].yaml: no findings"


def test_a_file_with_findings_is_headed_as_written_and_a_skipped_one_says_so() -> None:
    report = Report((FileResult(FILE, "Hengda :+1:", (_finding(100),), skipped=True),))
    out = _shown(report, terminal=False).splitlines()
    assert out[0] == "plans/:smile: [bold].yaml — Hengda :+1: (skipped)"
    assert out[1] == "  plans/:smile: [bold].yaml:100:5 warning SCHED001 S-A is late :fire: [red]"
    assert out[2] == "! 0 errors, 1 warning, 0 infos in 0 plan files (1 YAML file skipped)"
    assert _shown(Report((FileResult(FILE, "Hengda :+1:", (_finding(3),)),)), terminal=False).splitlines()[
        0
    ] == ("plans/:smile: [bold].yaml — Hengda :+1:")


def test_a_terminal_gets_the_place_uncoloured_and_the_message_as_written() -> None:
    """In colour, the place is one run of text: no number or path coloured by Rich's highlighter,
    no emoji for ":100:", the message's markup and emoji codes shown as typed."""
    report = Report((FileResult(FILE, "Hengda", (_finding(100, Severity.ERROR),)),))
    out = _shown(report, terminal=True)
    assert "plans/:smile: [bold].yaml:100:5 " in out
    assert "S-A is late :fire: [red]" in out
    assert "😄" not in out and "🔥" not in out and "💯" not in out
    summary = out.splitlines()[-1]
    assert "1 error, 0 warnings, 0 infos in 1 plan file" in summary
    # CI with colour forced takes the one-line form: the place is one run of text there too.
    assert "plans/:smile: [bold].yaml:100:5 " in _shown(report, terminal=True, soft_wrap=True)


def test_a_pipe_gets_each_finding_on_one_line_whatever_the_width() -> None:
    words = " ".join(["word"] * 40)
    long = Finding(FILE, 7, 1, "PLAN005", "stages[0]", words, Severity.INFO)
    out = _shown(Report((FileResult(FILE, None, (long,)),)), terminal=False).splitlines()
    assert out[1] == f"  {FILE}:7:1 info PLAN005 {words}"
    assert out[2] == "✓ 0 errors, 0 warnings, 1 info in 1 plan file"
