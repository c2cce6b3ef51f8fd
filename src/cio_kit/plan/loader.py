"""Plan files → typed :class:`~cio_kit.plan.model.Plan` plus findings, safely.

Reading a file goes: size limit → UTF-8 decoding → :func:`read_yaml`
(syntax, tags, duplicate keys, depth and alias limits) → is it a plan? →
pydantic validation → blocking checks. Every problem becomes a
:class:`~cio_kit.findings.Finding` with file, line and column; nothing here
raises for bad input.

The read records where each element is written (a tree beside the document,
a store per element), and each finding's path is looked up there (SPEC §3:
every value keeps its line and column). A plan at its status date nearly
always has something to report, so a second read for positions only when
needed cost more than recording them once.
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from cio_kit.findings import Draft, Finding, Severity, format_path
from cio_kit.plan.files import read_regular
from cio_kit.plan.yamlsafe import Positions, YamlProblem, read_yaml

if typing.TYPE_CHECKING:
    from cio_kit.plan.graph import StageGraph
    from cio_kit.plan.model import Plan

DEFAULT_MAX_FILE_MIB = 10.0
DEFAULT_MAX_DEPTH = 64
SUPPORTED_VERSION = 1

# A top-level `cio_kit:` line, for deciding whether a file that does not load
# was meant as a plan (and so must be reported rather than skipped).
_PLAN_MARKER = re.compile(rb"(?m)^cio_kit[ \t]*:")
_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


_Ruled = TypeVar("_Ruled", Draft, Finding)

#: Findings of one rule in one file beyond this are counted, not listed: a pull request that
#: repeats one mistake 200,000 times must not produce 200,000 annotations (SPEC §15).
MAX_PER_RULE = 200


@dataclass(frozen=True)
class FileLimits:
    """Safety limits of the loader (SPEC §3)."""

    max_file_mib: float = DEFAULT_MAX_FILE_MIB
    """Largest file read, in MiB."""
    max_depth: int = DEFAULT_MAX_DEPTH
    """Deepest nesting of mappings and lists accepted."""


@dataclass
class Loaded:
    """One file after loading: the plan if it is sound, and what was found."""

    file: str
    """Path as shown in findings."""
    findings: list[Finding] = field(default_factory=list)
    """Findings so far (loader and blocking checks)."""
    plan: Plan | None = None
    """The :class:`~cio_kit.plan.model.Plan`, or None when the file did not load."""
    data: object = None
    """The raw document."""
    text: str = ""
    """The decoded file text."""
    skipped: bool = False
    """True when the file is not a plan and was found in a directory."""
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)
    """Findings silenced by inline suppressions, with the reason given."""
    truncated: int = 0
    """Findings left out because their rule already had MAX_PER_RULE in this file (SPEC §15)."""
    positions: Positions = field(default_factory=Positions)
    """Where each element of the document is written, recorded by the one read."""
    graph: StageGraph | None = None
    """The plan's stage graph, built once for the blocking checks and kept for the rules."""
    _per_rule: dict[str, int] = field(default_factory=dict)

    def cap(
        self, items: Iterable[_Ruled], limit: int = MAX_PER_RULE, counts: dict[str, int] | None = None
    ) -> list[_Ruled]:
        """The drafts or findings that fit under ``limit`` per rule in this file; the rest are counted.

        ``counts`` holds what each rule already has; by default the file's own running tally.
        """
        tally = self._per_rule if counts is None else counts
        kept = []
        for item in items:
            seen = tally.get(item.rule, 0)
            if seen >= limit:
                self.truncated += 1
                continue
            tally[item.rule] = seen + 1
            kept.append(item)
        return kept

    @property
    def blocked(self) -> bool:
        """True when a blocking finding leaves no sound model to reason about."""
        return self.plan is None or any(f.blocking for f in self.findings)

    def locate(self, drafts: Iterable[Draft], severity_of: dict[str, Severity]) -> list[Finding]:
        """Turn drafts into findings with the line and column of the element each names."""
        return [self._finding(draft, severity_of) for draft in drafts]

    def anchor_lines(self, loc: Sequence[Any]) -> list[int]:
        """1-based lines a suppression may sit on besides the finding's own: the element's ``id`` line."""
        mark = self.positions.get((*loc, "id"))
        return [mark[0] + 1] if mark else []

    def _finding(self, draft: Draft, severity_of: dict[str, Severity]) -> Finding:
        positions = self.positions
        loc = tuple(draft.loc)
        # A missing element (a required key, a value inside an alias) is shown
        # at its nearest ancestor that is written in the file.
        while loc and loc not in positions:
            loc = loc[:-1]
        line, column = positions.get(loc, (0, 0))
        severity = draft.severity or severity_of.get(draft.rule, Severity.ERROR)
        return Finding(
            file=self.file,
            line=line + 1,
            column=column + 1,
            rule=draft.rule,
            path=format_path(draft.loc, self.data),
            message=draft.message,
            severity=severity,
            subject=draft.subject,
            related=draft.related,
        )


def display_path(path: Path) -> str:
    """The path relative to the current directory, ``/``-separated (SPEC §4)."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        shown = str(path)
    return shown.replace(os.sep, "/")


def load_plan(path: Path, *, explicit: bool, limits: FileLimits | None = None) -> Loaded:
    """Load one file. ``explicit`` files must be plans; found ones may be skipped."""
    limits = limits or FileLimits()
    loaded = Loaded(display_path(path))
    limit = int(limits.max_file_mib * 1024 * 1024)
    try:
        raw = read_regular(path, limit + 1)  # one byte more tells "too large" without reading it all
    except OSError as error:
        reason = error.strerror or str(error)
        loaded.findings.append(_whole_file(loaded.file, "PLAN001", f"cannot read the file: {reason}"))
        return loaded
    if raw is None:
        loaded.findings.append(
            _whole_file(
                loaded.file,
                "PLAN001",
                "not a regular file (a pipe, a device or a terminal, perhaps through a symbolic link); "
                "a plan must be a file",
            )
        )
        return loaded
    return _load_raw(loaded, raw, explicit, limits)


def load_bytes(raw: bytes, file: str, *, limits: FileLimits | None = None, explicit: bool = True) -> Loaded:
    """Load a plan from bytes (e.g. an old version read with ``git show``), shown as ``file``.

    Bytes a user named must be a plan; ``explicit`` false lets a file found in a folder be skipped.
    """
    return _load_raw(Loaded(file), raw, explicit, limits or FileLimits())


def oversized(file: str, limits: FileLimits) -> Loaded:
    """A file over the size limit, unread (a blob at a git ref whose size git gave): one PLAN007."""
    loaded = Loaded(file)
    loaded.findings.append(_too_large(file, limits))
    return loaded


def _too_large(file: str, limits: FileLimits) -> Finding:
    return _whole_file(
        file,
        "PLAN007",
        f"file is larger than the {limits.max_file_mib:g} MiB limit; "
        "split the plan or raise max_file_mib in cio-kit.yaml",
    )


def _load_raw(loaded: Loaded, raw: bytes, explicit: bool, limits: FileLimits) -> Loaded:
    if len(raw) > int(limits.max_file_mib * 1024 * 1024):
        if explicit or _PLAN_MARKER.search(raw[:65536]):
            loaded.findings.append(_too_large(loaded.file, limits))
        else:
            loaded.skipped = True
        return loaded
    text = _decode(loaded, raw, explicit)
    if text is None:
        return loaded
    loaded.text = text
    document = read_yaml(text, max_depth=limits.max_depth, positions=True)
    loaded.positions = document.positions or loaded.positions
    problems = document.problems
    fatal = [p for p in problems if p.rule in ("PLAN001", "PLAN007")] or (
        problems if document.data is None and problems else []
    )
    if fatal:
        if explicit or _PLAN_MARKER.search(raw):
            loaded.findings += [_at_mark(loaded.file, problem, None) for problem in problems]
        else:
            loaded.skipped = True
        return loaded
    data = document.data
    loaded.data = data
    if not _is_plan(loaded, data, document.present, explicit):
        return loaded
    if not isinstance(data, dict):  # _is_plan accepts mappings only
        raise TypeError("a plan document must be a mapping")
    loaded.findings += [_at_mark(loaded.file, problem, data) for problem in problems]
    version = data["cio_kit"]
    if type(version) is not int or version != SUPPORTED_VERSION:
        loaded.findings += loaded.locate(
            [
                Draft(
                    "PLAN006",
                    ("cio_kit",),
                    f"unsupported plan format version cio_kit: {version!r}; "
                    f"this cio-kit reads version {SUPPORTED_VERSION}",
                )
            ],
            {},
        )
        return loaded
    _validate(loaded, data, document.keys_not_text)
    return loaded


def _decode(loaded: Loaded, raw: bytes, explicit: bool) -> str | None:
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            if explicit or _PLAN_MARKER.search(raw.decode(name.lower(), "replace").encode()):
                loaded.findings.append(
                    _whole_file(loaded.file, "PLAN001", f"file is {name}-encoded; save it as UTF-8")
                )
            else:
                loaded.skipped = True
            return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not (explicit or _PLAN_MARKER.search(raw)):
            loaded.skipped = True
            return None
        before = raw[: error.start]
        line = before.count(b"\n")
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace"))
        loaded.findings.append(
            _at_mark(
                loaded.file,
                YamlProblem(
                    "PLAN001",
                    (line, column),
                    f"file is not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; save it as UTF-8",
                ),
                None,
            )
        )
        return None


def _is_plan(loaded: Loaded, data: object, present: bool, explicit: bool) -> bool:
    """Decide whether the document is a plan; report or skip it if not (SPEC §3)."""
    if isinstance(data, dict) and "cio_kit" in data:
        return True
    if not explicit:
        if isinstance(data, dict) and _looks_mistyped(data):
            # SPEC §15: a typo in the marker must never let a plan leave CI
            # unchecked, so the file counts, and fails, as a plan.
            key = next(k for k in data if _resembles_marker(k))
            loaded.findings += loaded.locate(
                [
                    Draft(
                        "PLAN006",
                        (key,),
                        f"this file looks like a plan but has '{key}' instead of 'cio_kit', "
                        "so none of it was checked; rename the key to cio_kit",
                    )
                ],
                {"PLAN006": Severity.ERROR},
            )
        else:
            loaded.skipped = True
        return False
    if not present or data is None:
        why = "the file is empty"
    elif not isinstance(data, dict):
        why = f"its top level is a {_kind(data)}, not a mapping"
    else:
        why = "its top-level mapping has no cio_kit key"
    loaded.findings.append(
        _whole_file(loaded.file, "PLAN006", f"not a cio-kit plan: {why}; a plan starts with 'cio_kit: 1'")
    )
    return False


def _kind(value: object) -> str:
    return "list" if isinstance(value, list) else "single value"


def _resembles_marker(key: object) -> bool:
    if not isinstance(key, str):
        return False
    squashed = re.sub(r"[^a-z]", "", key.lower())
    return squashed == "ciokit" or difflib.SequenceMatcher(None, key.lower(), "cio_kit").ratio() >= 0.8


def _looks_mistyped(data: dict[Any, Any]) -> bool:
    return ("enterprise" in data or "stages" in data) and any(_resembles_marker(k) for k in data)


def _validate(loaded: Loaded, data: dict[Any, Any], keys_not_text: list[tuple[Any, ...]]) -> None:
    """Schema validation, then the blocking checks on the typed plan."""
    from pydantic import ValidationError

    from cio_kit.plan.checks import blocking_checks
    from cio_kit.plan.graph import StageGraph
    from cio_kit.plan.model import Plan

    keys = [_key_not_text(path, data) for path in keys_not_text if path[:-1] not in _NUMBER_KEYED]
    if keys:  # before pydantic, which would drop them without a word
        loaded.findings += loaded.locate(loaded.cap(keys), {})
        return
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        entries = _one_branch(error.errors(include_url=False), data)
        drafts = loaded.cap(_schema_draft(entry, data) for entry in entries)
        loaded.findings += loaded.locate(drafts, {})
        return
    loaded.plan = plan
    loaded.graph = StageGraph.build(plan.stages)
    loaded.findings += loaded.locate(loaded.cap(blocking_checks(plan, loaded.graph)), {})


def _one_branch(entries: list[Any], data: object) -> list[Any]:
    """Pydantic's errors with a union's branches resolved: the planner's words, not its internals.

    A field that takes one thing or a list (ADKAR as one reading or a dated
    list) fails in each branch, and pydantic names the branches in the path
    (``adkar.Adkar.awareness``, ``adkar.list[Adkar]``). Only the errors of the
    branch shaped like what was written are kept, without the branch's name.
    """
    kept = []
    for entry in entries:
        loc, at, value, keep = list(entry["loc"]), 0, data, True
        while at < len(loc):
            part = loc[at]
            if isinstance(part, str) and _is_branch(part) and not (isinstance(value, dict) and part in value):
                keep = keep and part.startswith("list[") == isinstance(value, list)
                del loc[at]
                continue
            value = _child(value, part)
            at += 1
        if keep:
            kept.append({**entry, "loc": tuple(loc)})
    return kept or entries


def _child(value: object, part: object) -> object:
    """``value[part]`` when there is one, else None."""
    if isinstance(value, dict):
        return value.get(part)
    if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
        return value[part]
    return None


def _is_branch(part: str) -> bool:
    """A union branch's name in a pydantic path: a model (``Adkar``) or a generic (``list[Adkar]``)."""
    return part != "[key]" and ("[" in part or part[:1].isupper())  # "[key]": a mapping key's error


_NUMBER_KEYED = {("budget", "years")}
"""Mappings whose keys are numbers by design: fiscal years."""


def _key_not_text(path: tuple[Any, ...], root: object) -> Draft:
    """PLAN002 at a mapping key that is not text (SPEC §19): no key is dropped silently.

    In a flow mapping a comma ends the entry: ``{amount: 70,000}`` is ``amount: 70``
    and a key ``000`` (the number 0), which a schema would otherwise drop unseen.
    """
    where = format_path(path[:-1], root) or "the top level"
    return Draft(
        "PLAN002",
        path,
        f"the key {path[-1]!r} in {where} is not text; in a flow mapping {{…}} a comma ends the "
        "entry, so `amount: 70,000` is `amount: 70` and a key `000`: write 70000",
    )


def _schema_draft(entry: Any, data: object) -> Draft:
    """A pydantic error as a PLAN002 draft with a message a planner can act on."""
    kind = entry["type"]
    # pydantic marks an error in a mapping's key by appending "[key]" to the location; a key a
    # planner wrote as "[key]" is an ordinary key (an unknown one), never that marker.
    key_error = kind != "extra_forbidden" and len(entry["loc"]) > 1 and entry["loc"][-1] == "[key]"
    loc = tuple(entry["loc"][:-1]) if key_error else tuple(entry["loc"])
    where = format_path(loc, data) or "the plan"
    parent = format_path(loc[:-1], data) or "the top level"
    subject = _subject(loc, data)
    if key_error:
        # The key is wrong, not its value: `years: {FY2026: 5}` is a key that is not a year.
        return Draft(
            "PLAN002",
            loc,
            f"{parent} has the key {entry.get('input')!r}, which is not a fiscal year; "
            "write the year as a number, e.g. 2026",
            subject,
        )
    if kind == "missing":
        return Draft("PLAN002", loc, f"{parent} is missing the required key '{loc[-1]}'", subject)
    if kind == "extra_forbidden":
        message = f"unknown key '{loc[-1]}' in {parent}"
        hint = difflib.get_close_matches(str(loc[-1]), _allowed_keys(loc[:-1]), n=1, cutoff=0.6)
        message += f"; did you mean '{hint[0]}'?" if hint else "; remove it or fix its spelling"
        return Draft("PLAN002", loc, message, subject)
    message = entry["msg"].removeprefix("Value error, ")
    value = entry.get("input")
    written = getattr(value, "written", None)  # a number as the planner wrote it
    shown = repr(written if isinstance(written, str) else value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if kind in ("float_type", "int_type") and isinstance(value, str):
        message = f"expected a number, got the text {shown}"
        if value.lower() in ("yes", "no", "on", "off", "y", "n"):
            message += " (YAML 1.2 reads yes/no/on/off as text, not booleans)"
        elif "_" in value:
            message += " (write numbers without underscores)"
        return Draft("PLAN002", loc, f"{where}: {message}", subject)
    if kind == "bool_type":
        message = "expected true or false"
    if shown not in message:
        message += f" (got {shown})"
    return Draft("PLAN002", loc, f"{where}: {message}", subject)


def _subject(loc: Sequence[Any], data: object) -> str | None:
    """The id of the innermost element with an id along ``loc``."""
    subject = None
    node = data
    for part in loc:
        if isinstance(node, dict):
            ident = node.get("id")
            if isinstance(ident, str):
                subject = ident
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        subject = node["id"]
    return subject


def _allowed_keys(loc: Sequence[Any]) -> list[str]:
    """The keys the plan format allows at ``loc``, for did-you-mean hints."""
    from pydantic import BaseModel

    from cio_kit.plan.model import Plan

    def model_in(annotation: Any) -> type[BaseModel] | None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        for arg in typing.get_args(annotation):
            found = model_in(arg)
            if found is not None:
                return found
        return None

    current: type[BaseModel] | None = Plan
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        fields = {f.alias or name: f for name, f in current.model_fields.items()}
        if part not in fields:
            return []
        current = model_in(fields[part].annotation)
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _at_mark(file: str, problem: YamlProblem, data: object) -> Finding:

    line, column = problem.mark
    return Finding(
        file=file,
        line=line + 1,
        column=column + 1,
        rule=problem.rule,
        path=format_path(problem.path, data),
        message=problem.message,
        severity=Severity.ERROR,
    )


def _whole_file(file: str, rule: str, message: str) -> Finding:
    return Finding(file=file, line=1, column=1, rule=rule, path="", message=message, severity=Severity.ERROR)
