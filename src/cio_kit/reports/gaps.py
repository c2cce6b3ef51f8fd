"""The gaps report: findings grouped by lesson, worst first, with coverage figures.

Built for a CIO to read in a minute: which lesson the plan is weakest on, the
few findings that matter most there, and how much of the plan each lesson
already covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cio_kit.findings import Finding, Severity
from cio_kit.plan.model import DUTIES, Plan
from cio_kit.rules import all_rules
from cio_kit.rules.context import Context

LESSONS = (
    ("people", "Lesson 1: different eyes (people)"),
    ("driver", "Lesson 2: the driver (strategy, money and results)"),
    ("order", "Lesson 3: chicken and egg (order)"),
    ("fairness", "Lesson 4: who broke the plate (fairness)"),
    ("hygiene", "Plan hygiene"),
)
_FAMILY_TO_LESSON = {
    "people": "people",
    "strategy": "driver",
    "budget": "driver",
    "cio": "driver",
    "deps": "order",
    "sched": "driver",
    "res": "driver",
    "benefits": "driver",
    "risk": "driver",
    "governance": "fairness",
    "plan": "hygiene",
}
_PEOPLE_GAPS = {"PEOPLE001", "PEOPLE002", "PEOPLE003", "PEOPLE004", "PEOPLE006"}


@dataclass(frozen=True)
class Coverage:
    """How much of one thing the plan covers."""

    key: str
    """Stable key, e.g. ``goals_served``."""
    label: str
    """What is counted, in words."""
    lesson: str
    """Lesson key: people, driver, order, fairness."""
    covered: int
    """How many are covered."""
    total: int
    """How many there are."""

    @property
    def share(self) -> float | None:
        """Covered / total, or None when there is nothing to cover."""
        return self.covered / self.total if self.total else None


@dataclass(frozen=True)
class LessonGaps:
    """The findings of one lesson."""

    key: str
    """people, driver, order, fairness or hygiene."""
    title: str
    """The lesson in words."""
    findings: tuple[Finding, ...]
    """Its findings, most severe first."""

    def count(self, severity: Severity) -> int:
        """How many findings of ``severity``."""
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def weight(self) -> tuple[int, int, int]:
        """Sort key: errors, then warnings, then infos."""
        return (self.count(Severity.ERROR), self.count(Severity.WARNING), self.count(Severity.INFO))


@dataclass(frozen=True)
class GapsReport:
    """The gaps report."""

    plan: str
    """Enterprise name."""
    lessons: tuple[LessonGaps, ...]
    """Lessons, worst first (lessons without findings last, in lesson order)."""
    coverage: tuple[Coverage, ...]
    """Coverage figures."""


def gaps_report(plan: Plan, findings: Sequence[Finding], ctx: Context | None = None) -> GapsReport:
    """Group ``findings`` by lesson and compute the coverage figures."""
    ctx = ctx or Context(plan)
    rules = all_rules()
    grouped: dict[str, list[Finding]] = {key: [] for key, _ in LESSONS}
    for finding in findings:  # every rule a finding can name is in the catalogue
        grouped[_FAMILY_TO_LESSON[rules[finding.rule].family]].append(finding)
    lessons = [
        LessonGaps(key, title, tuple(sorted(grouped[key], key=lambda f: (-f.severity.rank, f))))
        for key, title in LESSONS
    ]
    order = {key: n for n, (key, _) in enumerate(LESSONS)}
    lessons.sort(key=lambda lesson: (tuple(-n for n in lesson.weight), order[lesson.key]))
    return GapsReport(plan.enterprise.name, tuple(lessons), tuple(_coverage(plan, ctx, findings)))


def _coverage(plan: Plan, ctx: Context, findings: Sequence[Finding]) -> list[Coverage]:
    live = [stage for number, stage in enumerate(plan.stages) if ctx.live(number)]
    served = {goal for stage in live for goal in stage.serves}
    goals = plan.goals or []
    result = [
        Coverage(
            "goals_served",
            "goals served by a stage",
            "driver",
            sum(g.id in served for g in goals),
            len(goals),
        )
    ]
    if plan.cio is not None:
        duties = plan.cio.duties
        owned = sum(1 for duty in DUTIES if duties is not None and getattr(duties, duty))
        result.append(Coverage("duties_owned", "CIO duties with an owner", "driver", owned, len(DUTIES)))
    groups = plan.stakeholders or []
    lacking = {f.subject for f in findings if f.rule in _PEOPLE_GAPS}
    result.append(
        Coverage(
            "groups_prepared",
            "groups with the actions their impacts need",
            "people",
            sum(group.id not in lacking for group in groups),
            len(groups),
        )
    )
    automated = {p for stage in live if stage.kind == "system-rollout" for p in stage.processes}
    unredesigned = {f.related[0] for f in findings if f.rule == "DEP002"}  # (its process)
    result.append(
        Coverage(
            "processes_redesigned_first",
            "processes redesigned before their rollout",
            "order",
            len(automated - unredesigned),
            len(automated),
        )
    )
    governance = plan.governance
    if governance is not None:
        judged = {c.offence for c in governance.cases} | {s.offence for s in governance.sanction_stats}
        unequal = {f.related[0] for f in findings if f.rule == "GOV002"}  # (its offence)
        result.append(
            Coverage(
                "offences_uniform",
                "offences sanctioned uniformly",
                "fairness",
                len(judged - unequal),
                len(judged),
            )
        )
    return result
