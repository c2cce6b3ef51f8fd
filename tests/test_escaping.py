"""Hostile plan text through every Markdown and CSV output, read back by the programs that read them.

Markdown goes through cmark-gfm (GitHub's own renderer, via cmarkgfm); CSV
through the csv module as a spreadsheet reads it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm (GitHub's cmark-gfm) is not installed")

HOSTILE_TITLE = (
    "<script>alert(1)</script> *y* ![px](https://evil.example/p.png) [x](https://evil.example) @octocat"
)
HEADING = "# Approved by the board"
FORMULA = "=1+1"

PLAN = f"""\
cio_kit: 1
enterprise: {{name: "Evil <b>Co</b> | *x*", plan_start: 2027-01-04, status_date: 2027-01-18}}
goals: [{{id: G-1, title: "{HEADING}"}}]
stages:
  - {{id: S-A, title: "{HOSTILE_TITLE}", kind: training, duration_weeks: 2, owner: "{FORMULA}",
     serves: [G-1], budget: [{{amount: 10, class: grow, category: training}}]}}
  - {{id: S-B, title: "{HEADING}", kind: training, duration_weeks: 1, depends_on: [S-A], owner: "@SUM(A1)",
     serves: [G-1]}}
"""

# Markup that only plan text could have put there (our own Markdown uses <strong>, <h2>, tables).
FORBIDDEN = ("<script", "<em>", "<img", "<a ", "<h1", "<b>", "<blockquote")


def _html(markdown: str) -> str:
    html: str = cmarkgfm.github_flavored_markdown_to_html(markdown)
    return html


def _assert_inert(markdown: str) -> None:
    html = _html(markdown)
    # The mermaid block is code, shown as written; everything else must carry no markup from the plan.
    outside_code = html.split("<pre")[0]
    for tag in FORBIDDEN:
        assert tag not in outside_code, (tag, outside_code)
    assert "alert(1)" in outside_code  # the text is still there, shown as written
    assert 'href="https://evil.example' not in html and 'src="https://evil.example' not in html


@pytest.mark.parametrize(
    "command",
    [
        ("roadmap", "show", "--format", "markdown"),
        ("report", "readiness", "--format", "markdown"),
        ("report", "budget", "--format", "markdown"),
        ("report", "gaps", "--format", "markdown"),
    ],
)
def test_markdown_outputs_show_plan_text_as_text(
    command: tuple[str, ...], cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan(PLAN)
    result = cli(*command, "plan.yaml")
    assert result.exit_code == 0, result.output
    html = _html(result.stdout)
    for tag in FORBIDDEN:
        assert tag not in html.split("<pre")[0], (command, tag)


def test_roadmap_markdown_titles_survive_cmark(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    write_plan(PLAN)
    _assert_inert(cli("roadmap", "show", "plan.yaml", "--format", "markdown").stdout)


def test_plan_diff_markdown_cannot_inject(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN.replace("duration_weeks: 1,", "duration_weeks: 3,"), "old.yaml")
    write_plan(PLAN, "new.yaml")
    result = cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown")
    assert result.exit_code == 0, result.output
    html = _html(result.stdout)
    assert "<h1" not in html and "<img" not in html
    write_plan(PLAN.replace(HOSTILE_TITLE, "plain"), "old.yaml")
    changed = _html(cli("plan", "diff", "old.yaml", "new.yaml", "--format", "markdown").stdout)
    for tag in FORBIDDEN:
        assert tag not in changed, tag
    assert "@octocat" in changed and "<a " not in changed


def test_csv_cells_are_not_formulas(cli: Callable[..., Any], write_plan: Callable[..., Path]) -> None:
    write_plan(PLAN.replace(HOSTILE_TITLE, FORMULA))
    rows = list(csv.DictReader(io.StringIO(cli("roadmap", "show", "plan.yaml", "--format", "csv").stdout)))
    assert [row["title"] for row in rows] == ["'=1+1", "# Approved by the board"]
    assert [row["owner"] for row in rows] == ["'=1+1", "'@SUM(A1)"]
    # JSON keeps the text exactly as written: escaping belongs to the formats that need it.
    document = json.loads(cli("roadmap", "show", "plan.yaml", "--format", "json").stdout)
    assert document["plan"] == "Evil <b>Co</b> | *x*"


CONTROL = "Evil \x1b[31mred\x1b[0m \u202eetirw\u202c [bold]markup[/bold] \x07"
CONTROL_PLAN = f"""\
cio_kit: 1
enterprise: {{name: {json.dumps(CONTROL)}, plan_start: 2027-01-04, status_date: 2027-01-18}}
stages:
  - {{id: S-A, title: {json.dumps(CONTROL)}, kind: training, duration_weeks: 2,
     budget: [{{amount: 10, class: grow, category: training}}]}}
"""


@pytest.mark.parametrize(
    "command",
    [
        ("plan", "validate"),
        ("roadmap", "show"),
        ("roadmap", "risk", "--runs", "50"),
        ("report", "readiness"),
        ("report", "budget"),
        ("report", "gaps"),
        ("report", "evm"),
    ],
)
def test_terminal_output_shows_control_and_bidi_characters_escaped(
    command: tuple[str, ...], cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """SPEC §15: no escape sequence, bell or bidi override from a plan reaches the terminal, and no markup."""
    write_plan(CONTROL_PLAN)
    result = cli(*command, "plan.yaml")
    assert result.exit_code in (0, 1), result.output
    for raw in ("\x1b", "\u202e", "\u202c", "\x07"):
        assert raw not in result.stdout, (command, repr(raw))
    if command[0] != "report" or command[1] != "readiness":
        assert "\\x1b" in result.stdout or "\\u202e" in result.stdout, command  # shown, escaped


@pytest.mark.parametrize("width", [80, 140, 200])
def test_rich_markup_in_plan_text_is_text_at_every_width(width: int, write_plan: Callable[..., Path]) -> None:
    """A title with "[/]" crashed the wide table; "[link=…]" became a terminal hyperlink."""
    from rich.console import Console

    from cio_kit.analysis.schedule import compute
    from cio_kit.render import roadmap
    from cio_kit.validate import check_file

    title = "[link=https://evil.example/login]click[/link] [/]"
    path = write_plan(
        "cio_kit: 1\nenterprise: {name: 'X [/] Co', plan_start: 2027-01-04}\nstages:\n"
        f"  - {{id: S-A, title: '{title}', kind: training, duration_weeks: 1, owner: '[/]'}}\n"
    )
    plan = check_file(path, True).plan
    buffer = io.StringIO()
    roadmap.render_text(plan, compute(plan), Console(file=buffer, width=width, force_terminal=True))
    out = buffer.getvalue()
    assert "\x1b]8;" not in out  # no OSC 8 hyperlink
    assert "[link=https" in out  # shown as written (the title may be cut with an ellipsis, not its start)


@pytest.mark.parametrize(
    "text",
    ["> quote", ">", "- item", "-", "+ item", "1. one", "12) x", "1.5 weeks", "# heading", "*em* _em_",
     "a | b", "<b>x</b>", "[x](https://e.example)", "![i](https://e.example/p.png)", "www.e.example",
     "https://e.example", "@someone", "`code`", "~~gone~~", "&amp;", "back\\slash"],
)  # fmt: skip
def test_markdown_shows_every_text_as_written(text: str) -> None:
    """cmark-gfm renders the escaped text back to exactly the text, as one plain paragraph."""
    import html

    from cio_kit.render.escape import markdown

    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown(text)).strip()
    assert rendered == f"<p>{html.escape(text, quote=False)}</p>", (text, markdown(text))


def test_file_names_with_line_breaks_stay_on_one_line(
    cli: Callable[..., Any], write_plan: Callable[..., Path]
) -> None:
    """A pull request can name a file "x\\n::error …": usage errors and diff headers show it escaped."""
    name = "plan\n::error file=README.md,line=1::approved.yaml"
    write_plan(PLAN, name)
    write_plan(PLAN, "other.yaml")
    diff = cli("plan", "diff", name, "other.yaml")
    missing = cli("roadmap", "show", "no\n::error file=x::y.yaml")
    assert missing.exit_code == 2
    for output in (diff.output, missing.output):
        assert not any(line.startswith("::") for line in output.splitlines()), output
    assert "plan\\n::error" in diff.stdout and "no\\n::error" in missing.stderr


@pytest.mark.parametrize("text", ["plain.yaml", "a`b.yaml", "``x``", "`lead", "trail`"])
def test_a_code_span_holds_any_file_name(text: str) -> None:
    """Backticks in a name cannot close the code span early: cmark-gfm shows the name as code, whole."""
    import html

    from cio_kit.render.escape import markdown_code

    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown_code(text)).strip()
    assert rendered == f"<p><code>{html.escape(text, quote=False)}</code></p>", markdown_code(text)


def test_each_escaper_on_a_worked_example() -> None:
    from cio_kit.render import escape

    # Any run of line breaks is one space: a table row and a code span are one line.
    assert escape.markdown("one\r\n\ntwo\u2028three") == "one two three"
    assert escape.markdown_code("a\nb`c") == "``a b`c``"
    # A "::" at the start of any line gets an invisible space before it; the indent stays.
    assert escape.no_command_lines("::warning::x\n  ::error::y") == "\u200b::warning::x\n  \u200b::error::y"
    # A title that empties out is named, so the chart keeps a label to show.
    assert escape.mermaid_label("#;", task=False) == "(untitled)"
    assert escape.mermaid_label("<a>") == "\u200b‹a›"
    # GitHub's toolkit escapes % first, then CR and LF, in capitals.
    assert escape.workflow_data("50%\r\n") == "50%25%0D%0A"
    # Controls and DEL become one space each; a space stays a space.
    assert escape.tjp_string("a \x1f\x7fb") == '"a   b"'


def test_the_terminal_and_tj3_escapers_on_a_worked_example() -> None:
    from cio_kit.render import escape

    # Backslash first, then the quote, then tj3's environment and macro openers, each everywhere.
    assert escape.tjp_string('Ab\\"x" $(HOME) ${m} $(X)') == '"Ab\\\\\\"x\\" $ (HOME) $ {m} $ (X)"'
    # A terminal sees C0 and C1 controls as \xNN, bidi controls as \uNNNN, a line break as \n.
    assert escape.terminal("a\x1bb\x85c\u202ed\ne") == "a\\x1bb\\x85c\\u202ed\\ne"
    # A GitHub command at the start of the text, even indented, is broken once; later ones stay.
    assert escape.terminal("  ::error::x::y") == "  \\:\\:error::x::y"
    assert escape.terminal("a ::error::x") == "a ::error::x"
