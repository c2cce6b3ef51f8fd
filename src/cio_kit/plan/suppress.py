"""Inline suppressions: ``# cio-kit: ignore[RULE, ...] reason`` on the line a finding points at.

Only real YAML comments count: a ``#`` that starts a comment (at the start of
a line or after whitespace) and lies outside every scalar, so the same text
inside a quoted title does nothing. Finding the scalars needs libyaml's
scanner, which runs only for files that mention ``cio-kit:`` at all.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import yaml

from cio_kit.plan.yamlsafe import SAFE_LOADER

_MARKER = re.compile(r"#\s*cio-kit:\s*ignore\[([^\]]*)\]\s*(.*)$")


@dataclass(frozen=True)
class Suppression:
    """One suppression comment."""

    line: int
    """1-based line of the comment."""
    column: int
    """1-based column of its ``#``."""
    rules: tuple[str, ...]
    """Rule IDs named in the brackets."""
    reason: str
    """The text after the brackets; required."""


def find_suppressions(text: str) -> list[Suppression]:
    """Every suppression comment in ``text``."""
    if "cio-kit:" not in text:
        return []
    scalars = _scalar_spans(text)
    starts = [(span[0], span[1]) for span in scalars]
    found = []
    for number, line in enumerate(text.splitlines()):
        if "cio-kit:" not in line:
            continue
        comment = _comment_start(line, number, scalars, starts)
        if comment is None:
            continue
        match = _MARKER.search(line, comment)
        if match is not None:
            rules = tuple(r.strip().upper() for r in match.group(1).split(",") if r.strip())
            found.append(Suppression(number + 1, comment + 1, rules, match.group(2).strip()))
    return found


def _comment_start(
    line: str, number: int, scalars: list[tuple[int, int, int, int]], starts: list[tuple[int, int]]
) -> int | None:
    """Column of the ``#`` that starts the line's comment, if it has one."""
    column = line.find("#")
    while column != -1:
        starts_comment = column == 0 or line[column - 1].isspace()
        if starts_comment and not _in_a_scalar(scalars, starts, number, column):
            return column
        column = line.find("#", column + 1)
    return None


def _in_a_scalar(
    scalars: list[tuple[int, int, int, int]], starts: list[tuple[int, int]], line: int, column: int
) -> bool:
    """Whether a position lies inside a scalar.

    Scalars come in document order and never overlap, so only the last one starting at or before
    the position can hold it: a bisection, not a scan of every scalar for every comment, which
    made a file full of comments quadratic.
    """
    at = bisect.bisect_right(starts, (line, column)) - 1
    return at >= 0 and _inside(scalars[at], line, column)


def _scalar_spans(text: str) -> list[tuple[int, int, int, int]]:
    spans = []
    try:
        for token in yaml.scan(text, Loader=SAFE_LOADER):
            if isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                spans.append((start.line, start.column, end.line, end.column))
    except yaml.YAMLError:
        pass  # the loader reports the syntax error; comments before it still count
    return spans


def _inside(span: tuple[int, int, int, int], line: int, column: int) -> bool:
    first_line, first_column, last_line, last_column = span
    return (first_line, first_column) <= (line, column) < (last_line, last_column)
