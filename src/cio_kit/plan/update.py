"""Progress written into a plan file in place: every byte the update does not touch stays (SPEC §19).

``cio-kit plan update`` sets a stage's ``status``, ``percent_complete``,
``actual_start``, ``actual_finish`` or ``actual_cost`` and the plan's
``status_date``. The file is edited at the positions of its own YAML nodes,
read with PyYAML's composer: a value that is there is replaced where it
stands, a key that is not is added — after the stage's ``id`` in a block
mapping, before the closing brace in a flow one — so comments, key order,
quoting and flow style are kept and ``git diff`` shows only what changed.
Why not a round-trip YAML library: ruamel.yaml re-indents sequences and
re-spaces flow mappings it re-emits, which turns a one-value update into a
diff of the whole file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

STAGE_FIELDS = ("status", "percent_complete", "actual_start", "actual_finish", "actual_cost")
"""What an update may set on a stage."""
_STATUSES = ("planned", "in-progress", "done", "blocked", "cancelled")


class UpdateError(ValueError):
    """An update that cannot be made: an unknown id or field, or a value of the wrong kind."""


@dataclass(frozen=True)
class Change:
    """One value to set."""

    stage: str | None
    """The stage's id; None for the plan's ``status_date``."""
    field: str
    value: str
    """The value as YAML text, checked for its field."""
    source: str
    """Where it was asked (``--set S-A.status=done``, ``progress.csv:3``), for messages."""


def change(stage: str | None, field: str, raw: object, source: str) -> Change:
    """A checked change: the field is one an update may set, and the value is of its kind."""
    if stage is not None and field not in STAGE_FIELDS:
        raise UpdateError(f"{source}: {field} is not a progress field; set one of {', '.join(STAGE_FIELDS)}")
    return Change(stage, field, _scalar(field, raw, source), source)


def _scalar(field: str, raw: object, source: str) -> str:
    """The YAML text of a value, which must be of the field's kind."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()  # a spreadsheet's date cell, at midnight
    text = str(raw).strip()  # a date's str is its ISO form
    if field in ("actual_start", "actual_finish", "status_date"):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise UpdateError(f"{source}: {field} {text!r} is not a date (YYYY-MM-DD)") from None
    if field == "status":
        if text not in _STATUSES:
            raise UpdateError(f"{source}: status {text!r} is not one of {', '.join(_STATUSES)}")
        return text
    try:
        number = float(text)
    except ValueError:
        raise UpdateError(f"{source}: {field} {text!r} is not a number") from None
    if not (0 <= number <= (100 if field == "percent_complete" else 1e15)):
        raise UpdateError(f"{source}: {field} {text} is out of range")
    return str(int(number)) if number == int(number) else repr(number)


def apply(text: str, changes: list[Change]) -> str:
    """``text`` with every change made at its node's position; UpdateError for an unknown id.

    The file is parsed once; the edits are then made from the end of the text
    backwards, so each one's positions still hold. A field set twice keeps
    its last value.
    """
    import yaml

    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(root, yaml.MappingNode):
        raise UpdateError("the plan is not a mapping")
    stages = _value(root, "stages")
    by_id = {
        _scalar_of(_value(node, "id")): node
        for node in (stages.value if isinstance(stages, yaml.SequenceNode) else [])
        if isinstance(node, yaml.MappingNode)
    }
    last = {(item.stage, item.field): item for item in changes}
    edits: list[tuple[int, int, int, str]] = []  # (start, order, end, replacement)
    for order, item in enumerate(last.values()):
        target = _value(root, "enterprise") if item.stage is None else by_id.get(item.stage)
        if target is None and item.stage is not None:
            raise UpdateError(f"{item.source}: the plan has no stage {item.stage}")
        if not isinstance(target, yaml.MappingNode):
            raise UpdateError(f"{item.source}: the plan has no enterprise mapping to set it in")
        start, end, replacement = _edit(text, target, item.field, item.value)
        edits.append((start, order, end, replacement))
    # From the end backwards; keys added at one position come out in the order asked.
    for start, _, end, replacement in sorted(edits, key=lambda edit: (-edit[0], -edit[1])):
        text = text[:start] + replacement + text[end:]
    return text


def _value(mapping: Any, key: str) -> Any:
    for key_node, value_node in mapping.value:
        if key_node.value == key:
            return value_node
    return None


def _scalar_of(node: Any) -> str | None:
    return str(node.value) if node is not None and not isinstance(node.value, list) else None


def _edit(text: str, mapping: Any, field: str, value: str) -> tuple[int, int, str]:
    """Where and what to write: replace the field's value where it stands, or add the key.

    A new key goes after the mapping's first line in a block mapping (after its
    ``id``), and before the closing brace in a flow one.
    """
    for key_node, value_node in mapping.value:
        if key_node.value == field:
            return value_node.start_mark.index, value_node.end_mark.index, value
    if mapping.flow_style:  # {id: S-A, ...}: before the closing brace, where the mapping ends
        at = len(text[: mapping.end_mark.index - 1].rstrip())
        return at, at, f", {field}: {value}"
    first_key = mapping.value[0][0]
    line = f"{' ' * first_key.start_mark.column}{field}: {value}\n"
    line_end = text.find("\n", first_key.start_mark.index)
    if line_end < 0:  # the id is on the file's last line, which has no newline of its own
        return len(text), len(text), "\n" + line
    return line_end + 1, line_end + 1, line


def left_out(rows: list[list[Any]], source: str, expected: Iterable[str] = ()) -> list[str]:
    """What a progress sheet holds that :func:`from_rows` does not read, so it can be said, not lost.

    A column that is neither ``id``, a progress field nor one of ``expected``
    (the other columns of the sheet ``export`` writes) is named, and so is a
    row with a value but no id.
    """
    if not rows:
        return []
    header = [_column(cell) for cell in rows[0]]
    known = {"id", *STAGE_FIELDS, *(_column(name) for name in expected)}
    said = [
        f"{source}: column {str(name).strip()!r} is not a progress field; left out"
        for name in rows[0]
        if str(name or "").strip() and _column(name) not in known
    ]
    at = header.index("id") if "id" in header else len(header)
    for number, row in enumerate(rows[1:], start=2):
        ident = row[at] if at < len(row) else None
        if not str(ident or "").strip() and any(str(cell or "").strip() for cell in row):
            said.append(f"{source}:{number}: a row with no id; left out")
    return said


def _column(cell: object) -> str:
    """A header cell as a field name: ``Percent complete`` is ``percent_complete``."""
    return re.sub(r"[^a-z_]", "_", str(cell or "").strip().lower())


def from_rows(rows: list[list[Any]], source: str) -> list[Change]:
    """Changes from a progress sheet: an ``id`` column and any of the progress fields' columns.

    The shape ``export xlsx`` writes, so a team can fill in what it was sent;
    empty cells change nothing.
    """
    if not rows:
        raise UpdateError(f"{source}: the sheet is empty")
    header = [_column(cell) for cell in rows[0]]
    if "id" not in header:
        raise UpdateError(f"{source}: no id column; the first row names the columns")
    found = []
    for number, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, row, strict=False))
        ident = str(cells.get("id") or "").strip()
        if not ident:
            continue
        for field in STAGE_FIELDS:
            cell = cells.get(field)
            if cell is not None and str(cell).strip() != "":
                found.append(change(ident, field, cell, f"{source}:{number}"))
    return found
