"""The rule registry: every rule is a registered function whose docstring is its user documentation.

A rule is registered with :func:`rule`, which takes its ID, a kebab-case name,
its default severity and the check; the family is the module it lives in. The
docstring's first line is the summary; the rest has the sections *What it
checks*, *Why it matters*, *Example* and *Fix*, shown by ``cio-kit rules ID``
and used as SARIF help text. The engine, not the rule, applies the configured
severity (as in yamllint).

Rules PLAN001–PLAN007 and DEP001 are found by the loader; they are registered
here without a check function so that they are documented like the others.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cio_kit.findings import BLOCKING_RULES, Draft, Severity

if TYPE_CHECKING:
    from cio_kit.rules.context import Context

Check = Callable[["Context"], Iterable[Draft]]

SECTIONS = ("What it checks", "Why it matters", "Example", "Fix")

FAMILY_LESSON = {
    "plan": "Plan hygiene",
    "deps": "Lesson 3: chicken and egg (order)",
    "sched": "Lesson 2: the driver (the plan as it stands)",
    "res": "Lesson 2: the driver (people's time)",
    "strategy": "Lesson 2: the driver (strategy)",
    "budget": "Lesson 2: the driver (money)",
    "people": "Lesson 1: different eyes (people)",
    "cio": "Lesson 2: the driver (the CIO's role)",
    "governance": "Lesson 4: who broke the plate (fairness)",
    "benefits": "Lesson 2: the driver (results)",
    "risk": "Lesson 2: the driver (risks and decisions)",
}
"""The lesson each rule family encodes, for the catalogue and the gaps report."""


@dataclass(frozen=True)
class Rule:
    """A registered rule."""

    id: str
    """Rule ID, e.g. ``DEP002``."""
    name: str
    """Kebab-case name, e.g. ``rollout-before-redesign``."""
    family: str
    """plan, deps, sched, res, strategy, budget, people, cio, governance, benefits or risk."""
    severity: Severity
    """Default severity."""
    doc: str
    """The full user documentation (the check's docstring)."""
    check: Check | None
    """The check, or None for rules the loader applies."""

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.partition("\n")[0].strip()

    @property
    def blocking(self) -> bool:
        """True for the rules that stop all further analysis."""
        return self.id in BLOCKING_RULES

    @property
    def lesson(self) -> str:
        """The lesson the rule encodes."""
        return FAMILY_LESSON[self.family]

    def section(self, title: str) -> str:
        """The text of one documentation section (a ``Title:`` line and the indented lines under it)."""
        lines = self.doc.splitlines()
        try:
            first = lines.index(f"{title}:") + 1
        except ValueError:
            return ""
        body: list[str] = []
        for line in lines[first:]:
            if line and not line.startswith(" "):
                break
            body.append(line)
        return textwrap.dedent("\n".join(body)).strip()


REGISTRY: dict[str, Rule] = {}

# pragma: no mutate start
# Registration runs when a rule module is imported, before mutation testing
# can switch a mutant on, so mutants here could never be judged; the catalogue
# tests (every rule documented, IDs unique, families) check what it builds.


def rule(rule_id: str, name: str, severity: Severity, check: Check) -> None:
    """Register ``check`` as the check of ``rule_id``; its family is the module it is defined in.

    A call after the function, not a decorator: mutation testing (mutmut)
    leaves decorated functions alone, and a rule's body is what most needs it.
    """
    family = check.__module__.rsplit(".", 1)[-1]
    _add(Rule(rule_id, name, family, severity, inspect.cleandoc(check.__doc__ or ""), check))


def document(rule_id: str, name: str, family: str, doc: str, severity: Severity = Severity.ERROR) -> None:
    """Register the documentation of a rule applied by the loader or the engine, not by a check."""
    _add(Rule(rule_id, name, family, severity, inspect.cleandoc(doc), None))


def _add(entry: Rule) -> None:
    if entry.id in REGISTRY:
        raise ValueError(f"rule {entry.id} is registered twice")
    REGISTRY[entry.id] = entry


# pragma: no mutate end
