"""A safe, exact YAML reader: libyaml events in, plain Python data out.

PyYAML's loaders resolve scalars by YAML 1.1 (``no`` is False, ``12:30`` is
765), let the last of two duplicate keys win, lose the position of an alias
and build the whole node tree before one can refuse a 100,000-deep document.
This module reads libyaml's *event* stream and builds dicts, lists and
scalars directly, in one pass, which lets it:

- resolve plain scalars by the YAML 1.2 core schema, and refuse tags;
- report a duplicate key at the second key (keys brought in by ``<<`` may be
  overridden; two ``<<`` keys in one mapping are a duplicate);
- stop at the first event deeper than the depth limit, before libyaml has
  scanned more than a line of it;
- count the size of the document with every alias expanded, and stop an
  alias bomb long before it would be walked;
- optionally record the line and column of every element by its path. That
  costs time, so the loader asks for it only when a finding needs a position.

Aliases are shared, not copied: the data is a DAG whose expanded size is
bounded by the alias limit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml when present (SPEC §3); the pure-Python parser otherwise. Every reader of plan text uses it.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[Any, ...]
"""The path of an element: mapping keys and list indexes from the root."""
Mark = tuple[int, int]
"""A 0-based (line, column) position."""

#: An alias-expanded document may be this many times its written size…
ALIAS_FACTOR = 10
#: …plus this many nodes, so that small documents may use anchors freely.
ALIAS_FLOOR = 10_000

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INF = frozenset({".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
_NEG_INF = frozenset({"-.inf", "-.Inf", "-.INF"})
_NAN = frozenset({".nan", ".NaN", ".NAN"})
_NUMBER_START = frozenset("0123456789+-.")
_WORD_START = frozenset("~nNtTfF")
_RESOLVED_START = _NUMBER_START | _WORD_START | {""}

_TAG = "tag:yaml.org,2002:"
_MERGE_KEY = "<<"


#: Longer integer literals are kept as written text, never converted (Python's int/str limit is 4,300 digits).
_LONGEST_NUMBER = 1000


def resolve_plain(text: str) -> object:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema.

    Only ``true``/``false`` are booleans, only decimal, ``0o`` and ``0x``
    integers are numbers, and everything else (``no``, ``on``, ``12:30``,
    ``1_000``, ``2027-01-04``) stays the string it was written as.
    """
    if not text:
        return None
    first = text[0]
    if first in _WORD_START:
        if text in _NULLS:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return text
    if first not in _NUMBER_START:
        return text
    if len(text) > _LONGEST_NUMBER and (_INT.match(text) or _OCT.match(text) or _HEX.match(text)):
        # Python refuses to turn a 4,300-digit integer into text; no field takes such a number
        # (SPEC §15 bounds them at 10^15), so it is an infinite number that remembers its text:
        # PLAN002 in a numeric field, the text as written in a free-text one.
        return WrittenFloat(math.inf, text)
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if text in _INF:
        return math.inf
    if text in _NEG_INF:
        return -math.inf
    if text in _NAN:
        return math.nan
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    return text


class WrittenInt(int):
    """An integer that remembers how it was written (``0x1F``, ``007``), for free-text fields."""

    written: str

    def __new__(cls, value: int, written: str) -> WrittenInt:  # noqa: D102
        number = super().__new__(cls, value)
        number.written = written
        return number


class WrittenFloat(float):
    """A float that remembers how it was written (``1.50``, ``0E0``), for free-text fields."""

    written: str

    def __new__(cls, value: float, written: str) -> WrittenFloat:  # noqa: D102
        number = super().__new__(cls, value)
        number.written = written
        return number


# Free text takes any scalar "as written" (SPEC §3): a title of 1.50 is "1.50", not
# "1.5". Numbers whose canonical form differs from the source keep the source text.
_WRITTEN: dict[type, Any] = {int: WrittenInt, float: WrittenFloat}


@dataclass(frozen=True)
class YamlProblem:
    """A problem met while reading: a rule, a position and a message."""

    rule: str
    """PLAN001 (syntax), PLAN002 (shape), PLAN003 (duplicate key) or PLAN007 (limit)."""
    mark: Mark
    """0-based line and column."""
    message: str
    """What is wrong and what to do."""
    path: Path = ()
    """Where in the document, as far as it is known."""


class _Frame:
    """An open mapping or sequence while events stream in."""

    __slots__ = (
        "anchor",
        "container",
        "expanded_at",
        "key",
        "mark",
        "marks",
        "merges",
        "path",
    )

    def __init__(
        self,
        container: dict[Any, Any] | list[Any],
        anchor: str | None,
        expanded_at: int,
        mark: Any,
        path: Path,
        marks: dict[Any, Any] | list[Any] | None,
    ) -> None:
        self.container = container
        self.anchor = anchor
        self.expanded_at = expanded_at
        self.mark = mark  # libyaml's start mark of the container
        self.path = path
        self.key: Any = _NO_KEY
        self.merges: list[tuple[Any, Mark]] | None = None
        self.marks: Any = marks  # where each key or item is written, when positions are recorded


class _NoKey:
    """Marks a mapping frame that waits for a key rather than a value."""


class _BadKey:
    """Stands in for a key that is not a scalar; never equal to another key."""


_NO_KEY = _NoKey()


class _Stop(Exception):
    """Raised to abandon the document after a fatal problem."""


@dataclass
class Document:
    """What :func:`read_yaml` returns."""

    data: object
    """The document's root value; None for an empty file."""
    problems: list[YamlProblem]
    """Everything wrong, in the order met."""
    present: bool
    """False when the stream held no document at all (empty or only comments)."""
    positions: Positions | None
    """Position of every element by path, when asked for."""
    keys_not_text: list[Path] = field(default_factory=list)
    """Where a mapping key that is not text (a number, a date, null) is written, by path."""


def read_yaml(
    text: str,
    *,
    max_depth: int = 64,
    positions: bool = False,
) -> Document:
    """Parse one YAML document from ``text``.

    Never raises for bad input: syntax errors, refused tags, duplicate keys
    and exceeded limits come back as :class:`YamlProblem` records.
    """
    reader = _Reader(max_depth, positions)
    try:
        reader.run(text)
    except _Stop:
        reader.root = None
    except yaml.MarkedYAMLError as error:
        marked = error.problem_mark or error.context_mark
        where = (marked.line, marked.column) if marked is not None else (0, 0)
        reader.problems.append(_syntax_problem(error, where, text))
        reader.root = None
    except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
        position = getattr(error, "position", 0)
        character = getattr(error, "character", 0)  # a code point for text input, a byte for bytes
        code = ord(character) if isinstance(character, str) else int(character)
        reader.problems.append(
            YamlProblem(
                "PLAN001",
                _offset_mark(text, position),
                f"character #x{code:04x} is not allowed in YAML; remove it",
            )
        )
        reader.root = None
    return Document(reader.root, reader.problems, reader.present, reader.positions, reader.keys_not_text)


def _syntax_problem(error: yaml.MarkedYAMLError, where: Mark, text: str) -> YamlProblem:
    """A libyaml error as a finding, with a hint where the cause is common."""
    problem = (error.problem or error.context or "invalid YAML").strip()
    if "nesting depth" in problem:
        # libyaml's own guard tripped while scanning ahead of our depth check.
        return YamlProblem(
            "PLAN007", where, "nesting is too deep; a plan never needs this, so the file is refused unread"
        )
    context = error.context_mark
    if error.context and context is not None and (context.line, context.column) != where:
        problem += f" ({error.context} at line {context.line + 1}, column {context.column + 1})"
    lines = text.splitlines()
    line, column = where
    if line < len(lines) and column < len(lines[line]) and lines[line][column] == "\t":
        problem += " (a tab: YAML indents with spaces only)"
    elif any(cause in problem for cause in _INDENTATION_ERRORS):
        problem += " (check the indentation here and on the line before)"
    return YamlProblem("PLAN001", where, f"invalid YAML: {problem}")


# Errors that a wrong indentation causes, in libyaml's and PyYAML's words.
_INDENTATION_ERRORS = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
    "mapping values are not allowed",
)


def _mark_of(event: Any) -> Mark:
    """The 0-based start position of a libyaml event."""
    return event.start_mark.line, event.start_mark.column


def _offset_mark(text: str, offset: int) -> Mark:
    """The (line, column) of a character offset."""
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


class _Reader:
    """The event loop behind :func:`read_yaml`."""

    def __init__(self, max_depth: int, positions: bool) -> None:
        self.max_depth = max_depth
        self.positions: Positions | None = Positions() if positions else None
        self.problems: list[YamlProblem] = []
        self.keys_not_text: list[Path] = []
        self.anchors: dict[str, tuple[object, int]] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.root: object = None
        self.present = False
        self.written = 0
        self.expanded = 0

    def run(self, text: str) -> None:
        """Consume the whole event stream of ``text``."""
        source = SAFE_LOADER(text)
        try:
            self._loop(source)
        finally:
            source.dispose()

    def _loop(self, source: Any) -> None:
        stack = self.stack
        handlers: dict[type, Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar,
            yaml.MappingStartEvent: self._mapping_start,
            yaml.SequenceStartEvent: self._sequence_start,
            yaml.MappingEndEvent: self._end,
            yaml.SequenceEndEvent: self._end,
            yaml.AliasEvent: self._alias,
        }
        documents = 0
        get_event = source.get_event
        scalar_event = yaml.ScalarEvent
        # Most events are plain, untagged, unanchored scalars inside a mapping
        # or a list. They take this inline path, which saves two method calls
        # per scalar (and records the same positions the general way would);
        # everything else (keys that repeat or merge, anchors, tags) goes the
        # general way.
        positions = self.positions
        # Elements taken inline, counted here and added to written/expanded before a handler
        # (which reads them for the alias limit) runs: an attribute update per scalar is dear.
        taken = 0
        while True:
            event: Any = get_event()
            if event.__class__ is scalar_event and stack and event.anchor is None and event.tag is None:
                text = event.value
                # Only a plain scalar starting with one of these can be other than its text.
                resolved = text[:1] in _RESOLVED_START and event.implicit[0]
                value: object = resolve_plain(text) if resolved else text
                kind = value.__class__
                if (kind is int or kind is float) and repr(value) != text:
                    value = _WRITTEN[kind](value, text)
                frame = stack[-1]
                container = frame.container
                if container.__class__ is list:
                    taken += 1
                    if positions is not None:
                        start: Any = event.start_mark
                        frame.marks.append((start.line, start.column))
                    container.append(value)
                    continue
                key = frame.key
                if key is _NO_KEY:
                    if value.__class__ is str and value != _MERGE_KEY and value not in container:
                        taken += 1
                        frame.key = value
                        if positions is not None:
                            start = event.start_mark
                            frame.marks[value] = (start.line, start.column)
                        continue
                elif key.__class__ is not _MergeKey and key.__class__ is not _BadKey:
                    taken += 1
                    frame.key = _NO_KEY
                    container[key] = value
                    continue
            self.written += taken
            self.expanded += taken
            taken = 0
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    mark = _mark_of(event)
                    self.problems.append(
                        YamlProblem(
                            "PLAN002",
                            mark,
                            "a plan file holds one YAML document; move this one into a file of its own",
                        )
                    )
                    raise _Stop
                self.present = True
            elif isinstance(event, yaml.StreamEndEvent):
                break
        if stack:
            raise RuntimeError("libyaml ended the stream inside a collection")

    # -- value placement -------------------------------------------------

    def _place(
        self,
        value: object,
        where: Any,
        size: int,
        is_scalar: bool,
        inside: dict[Any, Any] | list[Any] | None = None,
    ) -> None:
        """Put a finished value into its parent (or make it the root).

        ``where`` is libyaml's start mark; it becomes a (line, column) only
        when something needs it, which keeps the common path cheap. ``inside``
        holds where a mapping's or list's own elements are written.
        """
        self.expanded += size
        if not self.stack:
            self.root = value
            if self.positions is not None:
                mark = (where.line, where.column)
                self.positions.root = mark if inside is None else _Nested(mark, inside)
            return
        frame = self.stack[-1]
        container = frame.container
        if container.__class__ is list:
            if frame.marks is not None:
                mark = (where.line, where.column)
                frame.marks.append(mark if inside is None else _Nested(mark, inside))
            container.append(value)
            return
        if frame.key is _NO_KEY:
            self._take_key(frame, value, (where.line, where.column), is_scalar)
            return
        key, frame.key = frame.key, _NO_KEY
        if key is _MERGE_KEY_SENTINEL:
            self._take_merge(frame, value, (where.line, where.column))
        elif not isinstance(key, _BadKey):
            container[key] = value
            if inside is not None and isinstance(frame.marks, dict):
                frame.marks[key] = _Nested(frame.marks[key], inside)

    def _take_key(self, frame: _Frame, key: object, mark: Mark, is_scalar: bool) -> None:
        container = frame.container
        if not isinstance(container, dict):
            raise RuntimeError("a key outside a mapping")
        if not is_scalar or (isinstance(key, float) and math.isnan(key)):
            self.problems.append(
                YamlProblem(
                    "PLAN002",
                    mark,
                    "a mapping key must be a plain value, not a mapping or a list",
                    frame.path,
                )
            )
            frame.key = _BadKey()
            return
        if key == _MERGE_KEY and self._last_plain:
            if frame.merges is not None:
                self.problems.append(
                    YamlProblem(
                        "PLAN003",
                        mark,
                        "duplicate merge key '<<' in this mapping; "
                        "list the mappings to merge in one '<<: [*a, *b]'",
                        frame.path,
                    )
                )
                frame.key = _BadKey()
                return
            frame.merges = []
            frame.key = _MERGE_KEY_SENTINEL
            return
        if key in container:
            self.problems.append(
                YamlProblem(
                    "PLAN003",
                    mark,
                    f"duplicate key '{key}' in this mapping; "
                    "remove one (YAML does not let the last one win here)",
                    frame.path + (key,),
                )
            )
            frame.key = _BadKey()
            return
        frame.key = key
        if isinstance(frame.marks, dict):
            frame.marks[key] = mark
        if not isinstance(key, str):
            self.keys_not_text.append(frame.path + (key,))

    def _take_merge(self, frame: _Frame, value: object, mark: Mark) -> None:
        sources = value if isinstance(value, list) else [value]
        if not sources or not all(isinstance(source, dict) for source in sources):
            self.problems.append(
                YamlProblem(
                    "PLAN002",
                    mark,
                    "the value of a merge key '<<' must be a mapping or a list of mappings",
                    frame.path,
                )
            )
            return
        if frame.merges is not None:  # set when the '<<' key was taken
            frame.merges.extend((source, mark) for source in sources)

    # -- events ----------------------------------------------------------

    _last_plain = False

    def _scalar(self, event: Any) -> None:
        self.written += 1
        tag = event.tag
        plain = event.implicit[0] and tag is None
        self._last_plain = plain
        if plain:
            value: object = resolve_plain(event.value)
            kind = value.__class__
            if (kind is int or kind is float) and repr(value) != event.value:
                value = _WRITTEN[kind](value, event.value)
        elif tag is None or tag in ("!", _TAG + "str"):
            value = event.value
        else:
            value = self._tagged(tag, event.value, _mark_of(event))
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self._place(value, event.start_mark, 1, True)

    def _tagged(self, tag: str, text: str, mark: Mark) -> object:
        """Honour only the core schema's own tags; refuse every other tag."""
        value = resolve_plain(text)
        expected = {
            _TAG + "int": int,
            _TAG + "float": float,
            _TAG + "bool": bool,
            _TAG + "null": type(None),
        }.get(tag)
        if expected is float and type(value) is int:
            return float(value)
        if expected is not None and type(value) is expected:
            return value
        shown = tag.replace(_TAG, "!!")
        self.problems.append(
            YamlProblem(
                "PLAN002",
                mark,
                f"tag {shown} is not allowed here; cio-kit reads plain YAML values "
                "only and never constructs objects from tags",
                self._current_path(),
            )
        )
        return text

    def _current_path(self) -> Path:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return frame.path + (len(frame.container),)
        if frame.key is _NO_KEY or isinstance(frame.key, _BadKey):
            return frame.path
        return frame.path + (frame.key,)

    def _open(self, event: Any, container: dict[Any, Any] | list[Any]) -> None:
        self.written += 1
        tag = event.tag
        if tag is not None and tag not in (_TAG + "map", _TAG + "seq", "!"):
            shown = tag.replace(_TAG, "!!")
            self.problems.append(
                YamlProblem(
                    "PLAN002",
                    _mark_of(event),
                    f"tag {shown} is not allowed here; cio-kit reads plain YAML values only",
                    self._current_path(),
                )
            )
        if len(self.stack) >= self.max_depth:
            self.problems.append(
                YamlProblem(
                    "PLAN007",
                    _mark_of(event),
                    f"nesting is deeper than {self.max_depth} levels; "
                    "a plan never needs this, so the file is refused unread",
                )
            )
            raise _Stop
        path = self._current_path()
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        marks: dict[Any, Any] | list[Any] | None = None
        if self.positions is not None:
            marks = {} if isinstance(container, dict) else []
        self.stack.append(_Frame(container, event.anchor, self.expanded, event.start_mark, path, marks))

    def _mapping_start(self, event: Any) -> None:
        self._open(event, {})

    def _sequence_start(self, event: Any) -> None:
        self._open(event, [])

    def _end(self, event: Any) -> None:
        frame = self.stack.pop()
        value: dict[Any, Any] | list[Any] = frame.container
        if frame.merges and isinstance(value, dict):
            value = self._merged(value, frame.merges, frame.marks)
        size = self.expanded - frame.expanded_at + 1
        # The children's sizes are already counted in self.expanded; only the
        # container itself is new.
        self.expanded = frame.expanded_at
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (value, size)
        self._place(value, frame.mark, size, False, frame.marks)

    @staticmethod
    def _merged(explicit: dict[Any, Any], merges: list[tuple[Any, Mark]], marks: Any) -> dict[Any, Any]:
        merged: dict[Any, Any] = {}
        # Earlier mappings in a merge list win over later ones; explicit keys win over all.
        for source, mark in reversed(merges):
            merged.update(source)
            if isinstance(marks, dict):
                for key in source.keys() - explicit.keys():  # an explicit key keeps its own line
                    marks[key] = mark
        merged.update(explicit)
        return merged

    def _alias(self, event: Any) -> None:
        self.written += 1
        mark = _mark_of(event)
        name = event.anchor
        if name not in self.anchors:
            if name in self.open_anchors:
                self.problems.append(
                    YamlProblem(
                        "PLAN007",
                        mark,
                        f"alias *{name} refers to the mapping or list it is inside; "
                        "a recursive document cannot be a plan",
                    )
                )
            else:
                self.problems.append(
                    YamlProblem(
                        "PLAN001",
                        mark,
                        f"alias *{name} has no anchor &{name} before it",
                    )
                )
            raise _Stop
        value, size = self.anchors[name]
        if self.expanded + size > ALIAS_FACTOR * self.written + ALIAS_FLOOR:
            self.problems.append(
                YamlProblem(
                    "PLAN007",
                    mark,
                    f"aliases expand this document far beyond its written size (alias *{name}); "
                    "this looks like an alias bomb and is refused",
                )
            )
            raise _Stop
        self._last_plain = False
        self._place(value, event.start_mark, size, not isinstance(value, dict | list))


class _Nested:
    """Where a mapping or list is written, and where each of its own elements is."""

    __slots__ = ("inside", "mark")

    def __init__(self, mark: Mark, inside: dict[Any, Any] | list[Any]) -> None:
        self.mark = mark
        self.inside = inside


class Positions(Mapping[Path, Mark]):
    """Where each element of a document is written, by path.

    Kept as a tree beside the document (each mapping's keys, each list's items)
    rather than one entry per full path, so recording costs a store per element
    and the first read of a plan can afford it: findings then need no second read.
    """

    def __init__(self) -> None:
        self.root: Mark | _Nested | None = None

    def __getitem__(self, path: Path) -> Mark:
        entry = self.root
        for part in path:
            inside = entry.inside if isinstance(entry, _Nested) else None
            if isinstance(inside, list):
                if not isinstance(part, int) or isinstance(part, bool) or not 0 <= part < len(inside):
                    raise KeyError(path)
                entry = inside[part]
            elif inside is not None and part in inside:
                entry = inside[part]
            else:
                raise KeyError(path)
        if entry is None:
            raise KeyError(path)
        return entry.mark if isinstance(entry, _Nested) else entry

    def __iter__(self) -> Iterator[Path]:
        if self.root is None:
            return
        pending: list[tuple[Path, Mark | _Nested]] = [((), self.root)]
        while pending:
            path, entry = pending.pop()
            yield path
            if isinstance(entry, _Nested):
                parts = range(len(entry.inside)) if isinstance(entry.inside, list) else entry.inside
                pending.extend((path + (part,), entry.inside[part]) for part in parts)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return self.root is not None


class _MergeKey:
    """Marks a mapping frame whose pending value is a merge (``<<``)."""


_MERGE_KEY_SENTINEL = _MergeKey()
