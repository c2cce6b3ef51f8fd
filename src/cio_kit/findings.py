"""Findings, severities and the run report that decides the exit code.

A finding is a small, frozen, comparable record (as in yamllint): the rule that
raised it, how bad it is, a message that names the ids involved, and where it
points — file, line, column and the path of the element inside the document.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: Rules that mean "there is no sound model to reason about". They can be
#: neither ignored, re-levelled nor suppressed.
BLOCKING_RULES: frozenset[str] = frozenset(
    {"PLAN001", "PLAN002", "PLAN003", "PLAN004", "PLAN005", "PLAN006", "PLAN007", "DEP001"}
)


class Severity(str, enum.Enum):
    """How serious a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Numeric order, so severities compare by weight rather than by name."""
        return _RANK[self]


#: The first list index of a finding's path (``stages[3]``), the element the finding is about.
_FIRST_INDEX = re.compile(r"\[\d+\]")

_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class FailOn(str, enum.Enum):
    """The ``--fail-on`` level: the lowest severity that makes the run fail."""

    WARNING = "warning"
    ERROR = "error"
    NEVER = "never"

    def fails(self, severity: Severity) -> bool:
        """True when a finding of ``severity`` fails the run at this level."""
        if self is FailOn.NEVER:
            return False
        return severity.rank >= Severity(self.value).rank


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a plan file.

    Field order is the sort order of SPEC §4: file, line, column, rule, path,
    message — so ``sorted(findings)`` is the deterministic output order.
    """

    file: str
    """Path of the plan file, relative to the current directory, ``/``-separated."""
    line: int
    """1-based line of the element the finding is about."""
    column: int
    """1-based column of the element the finding is about."""
    rule: str
    """Rule ID, e.g. ``DEP002``."""
    path: str
    """Path of the element inside the document, e.g. ``stages[3].depends_on[0]``."""
    message: str
    """What is wrong, naming the ids involved, and what to do about it."""
    severity: Severity = field(compare=False)
    """Severity after configuration has been applied."""
    subject: str | None = field(default=None, compare=False)
    """The id the finding is about, if any."""
    related: tuple[str, ...] = field(default=(), compare=False)
    """Other ids involved, e.g. the members of a dependency cycle."""

    @property
    def blocking(self) -> bool:
        """True for the loader and cycle rules that stop all further analysis."""
        return self.rule in BLOCKING_RULES

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What makes two versions' findings the same finding: rule, path and subject, not the line.

        The element's position in its list is replaced by the id the finding is
        about, so a finding on a stage that moved up because a stage above it
        was removed is still the same finding (``stages[S-ERP].budget``).
        """
        path = self.path
        if self.subject is not None:
            path = _FIRST_INDEX.sub(f"[{self.subject}]", path, count=1)
        return self.rule, path, self.subject

    def to_json(self) -> dict[str, object]:
        """The finding as the JSON object of SPEC §4, keys in spec order."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "subject": self.subject,
            "related": list(self.related),
        }


@dataclass(frozen=True)
class FileResult:
    """The outcome of checking one file."""

    file: str
    """Path of the file as reported in findings."""
    plan: str | None
    """The enterprise name of the plan, or None when the file did not load."""
    findings: tuple[Finding, ...]
    """Findings in this file, sorted."""
    skipped: bool = False
    """True for a YAML file found in a directory that is not a plan."""
    suppressed: tuple[tuple[Finding, str], ...] = ()
    """Findings silenced by inline suppressions, each with its reason (shown only in SARIF)."""
    truncated: int = 0
    """Findings left out: beyond 200 of one rule in this file (counted, not listed)."""

    def count(self, severity: Severity) -> int:
        """How many findings of ``severity`` the file has."""
        return sum(1 for finding in self.findings if finding.severity is severity)


@dataclass(frozen=True)
class Report:
    """All files of one ``plan validate`` run."""

    files: tuple[FileResult, ...]
    """Checked files in the order given, skipped ones included."""
    config: str | None = None
    """The configuration file used (``/``-separated, relative when it can be), or None (SPEC §15)."""

    @property
    def plans(self) -> tuple[FileResult, ...]:
        """Files that were checked as plans (not skipped)."""
        return tuple(result for result in self.files if not result.skipped)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of the run in the SPEC's sort order."""
        return sorted(finding for result in self.files for finding in result.findings)

    @property
    def skipped(self) -> int:
        """How many YAML files were skipped as not being plans."""
        return sum(1 for result in self.files if result.skipped)

    @property
    def truncated(self) -> int:
        """Findings left out of the run's lists (beyond 200 of one rule in one file)."""
        return sum(result.truncated for result in self.files)

    def count(self, severity: Severity) -> int:
        """How many findings of ``severity`` the whole run has."""
        return sum(result.count(severity) for result in self.files)

    def exit_code(self, fail_on: FailOn) -> int:
        """0 when nothing reaches the fail level, else 1 (SPEC §4)."""
        return 1 if any(fail_on.fails(f.severity) for f in self.findings) else 0


def days(count: int) -> str:
    """A count of days for a message: "1 day", "-1 day", "31 days"."""
    return f"{count} day" if abs(count) == 1 else f"{count} days"


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Sort findings in the order of SPEC §4 and drop exact duplicates."""
    return tuple(sorted(set(findings)))


def format_path(loc: Sequence[str | int], document: object) -> str:
    """Render a location tuple as ``stages[3].depends_on[0]``.

    Walks ``document`` alongside ``loc`` so that an integer is shown as an
    index only where it indexes a list (``budget.years.2027`` is a mapping key).
    """
    text = ""
    node = document
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if 0 <= part < len(node) else None
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


@dataclass(frozen=True)
class Draft:
    """A finding before it has a file position: rules and checks return these.

    The engine turns a draft into a :class:`Finding` by looking ``loc`` up in
    the document's source map (built only when there is something to report)
    and by applying the configured severity.
    """

    rule: str
    """Rule ID."""
    loc: tuple[str | int, ...]
    """Path of the element in the document, as keys and list indexes."""
    message: str
    """What is wrong and what to do."""
    subject: str | None = None
    """The id concerned."""
    related: tuple[str, ...] = ()
    """Other ids involved."""
    severity: Severity | None = None
    """Set for rules whose severity depends on the case (e.g. BUDGET002)."""
