"""A portfolio: the plans of one repository seen together (SPEC §12).

A plan's id is its ``id:`` or its file name without extension. A stage may
depend on a stage of another plan, written ``plan:STAGE``. Validated alone a
plan cannot check such a link (PLAN009, once); validated with the others it
can: an unknown plan or stage is PLAN005, the same plan id twice PLAN004, a
second currency or fiscal year PLAN002, a loop through several plans DEP001.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cio_kit.findings import Draft, Severity
from cio_kit.plan.loader import Loaded
from cio_kit.plan.model import Budget, BudgetLine, Calendar, Goal, Limits, Plan, Resource, Stage

#: Default severities of the rules this module reports (the loader's are blocking errors).
_SEVERITY = {"PLAN002": Severity.ERROR, "PLAN004": Severity.ERROR, "PLAN005": Severity.ERROR,
             "DEP001": Severity.ERROR, "PLAN009": Severity.INFO}  # fmt: skip


def plan_id(plan: Plan, file: str) -> str:
    """The plan's id in a portfolio: its ``id``, else the file name without extension."""
    return plan.id if plan.id is not None else Path(file).stem


def split_ref(ref: str) -> tuple[str | None, str]:
    """``erp:S-GOLIVE`` → ``("erp", "S-GOLIVE")``; a local ``S-A`` → ``(None, "S-A")``."""
    owner, _, stage = ref.rpartition(":")
    return (owner or None), stage


def cross_refs(plan: Plan) -> Iterator[tuple[int, int, str, str]]:
    """Every ``plan:STAGE`` dependency: (stage number, position in depends_on, plan id, stage id)."""
    for number, stage in enumerate(plan.stages):
        for position, ref in enumerate(stage.depends_on):
            owner, target = split_ref(ref)
            if owner is not None:
                yield number, position, owner, target


def unchecked(plan: Plan) -> list[Draft]:
    """PLAN009, once, at the first cross-plan dependency of a plan validated alone."""
    refs = list(cross_refs(plan))
    if not refs:
        return []
    number, position, owner, target = refs[0]
    stage = plan.stages[number]
    others = f" (and {len(refs) - 1} more)" if len(refs) > 1 else ""
    return [
        Draft(
            "PLAN009",
            ("stages", number, "depends_on", position),
            f"{stage.id} depends on {owner}:{target}{others} in another plan; validated alone, "
            "cross-plan dependencies are not checked — validate the folder of plans",
            stage.id,
            (f"{owner}:{target}",),
        )
    ]


@dataclass(frozen=True)
class Member:
    """One sound plan of the portfolio."""

    id: str
    loaded: Loaded
    plan: Plan


def members(loaded: Iterable[Loaded]) -> list[Member]:
    """The sound plans among loaded files, in file order."""
    return [
        Member(plan_id(entry.plan, entry.file), entry, entry.plan)
        for entry in loaded
        if entry.plan is not None and not entry.blocked and not entry.skipped
    ]


def resolve(loaded: Sequence[Loaded], others: Sequence[Loaded] = ()) -> None:
    """Check the plans of ``loaded`` against each other and ``others`` (plans seen, not reported).

    Findings are added to the files of ``loaded``; ``others`` only answer
    which plans and stages exist (SPEC §12: validating one subdirectory still
    sees the plans under the configured paths).
    """
    reported = members(loaded)
    shown = {id(member.loaded) for member in reported}
    everyone = reported + [m for m in members(others) if id(m.loaded) not in shown]
    by_id: dict[str, Member] = {}
    drafts: dict[int, list[Draft]] = {}
    for member in everyone:
        first = by_id.setdefault(member.id, member)
        if first is not member and id(member.loaded) in shown:
            key: tuple[str | int, ...] = ("id",) if member.plan.id is not None else ()
            drafts.setdefault(id(member.loaded), []).append(
                Draft(
                    "PLAN004",
                    key,
                    f"plan id {member.id} is already the id of {first.loaded.file}; plan ids are unique "
                    "in a portfolio — set a distinct `id:` in one of them",
                    member.id,
                )
            )
    if everyone:
        drafts_for_settings(everyone, shown, drafts)
    stages = {member.id: {stage.id for stage in member.plan.stages} for member in by_id.values()}
    for member in reported:
        for number, position, owner, target in cross_refs(member.plan):
            if target in stages.get(owner, ()):
                continue
            stage = member.plan.stages[number]
            why = f"plan {owner} has no stage {target}" if owner in stages else f"there is no plan {owner}"
            drafts.setdefault(id(member.loaded), []).append(
                Draft(
                    "PLAN005",
                    ("stages", number, "depends_on", position),
                    f"{stage.id} depends on {owner}:{target}, but {why} in the portfolio; fix the id "
                    "(plan id, colon, stage id)",
                    stage.id,
                    (f"{owner}:{target}",),
                )
            )
    for draft_list, member in _cycles(by_id):
        if id(member.loaded) in shown:
            drafts.setdefault(id(member.loaded), []).extend(draft_list)
    for member in reported:
        found = drafts.get(id(member.loaded))
        if found:
            member.loaded.findings += member.loaded.cap(member.loaded.locate(found, _SEVERITY))


def drafts_for_settings(everyone: list[Member], shown: set[int], drafts: dict[int, list[Draft]]) -> None:
    """PLAN002 at a plan whose currency or fiscal year differs from the portfolio's.

    The portfolio's value is the first one a plan writes. A plan that leaves the key out (an
    imported table gets USD by default) never sets it, so the finding lands on that plan rather
    than on the plan that said what it meant.
    """
    for key in ("currency", "fiscal_year_start"):
        stated = [member for member in everyone if key in member.plan.enterprise.model_fields_set]
        first = (stated or everyone)[0]
        theirs = getattr(first.plan.enterprise, key)
        for member in everyone:
            mine = getattr(member.plan.enterprise, key)
            if id(member.loaded) not in shown or mine == theirs:
                continue
            written = key in member.plan.enterprise.model_fields_set
            drafts.setdefault(id(member.loaded), []).append(
                Draft(
                    "PLAN002",
                    ("enterprise", key) if written else ("enterprise",),
                    f"{key} is {mine}{'' if written else ' (the default; the plan does not say)'}, but "
                    f"{first.loaded.file} uses {theirs}; the plans of a portfolio share one currency "
                    "and one fiscal year",
                )
            )


def _cycles(by_id: dict[str, Member]) -> Iterator[tuple[list[Draft], Member]]:
    """DEP001 for each loop through stages of more than one plan, at its first stage."""
    from cio_kit.plan.graph import StageGraph

    if not any(True for member in by_id.values() for _ in cross_refs(member.plan)):
        return
    nodes = [(member, number) for member in by_id.values() for number in range(len(member.plan.stages))]
    graph = StageGraph.build(merged_plan(list(by_id.values())).stages)
    for cycle in graph.cycles():
        names = [graph.ids[node] for node in cycle]
        if len({name.split(":", 1)[0] for name in names}) < 2:
            continue  # a loop inside one plan is that plan's own DEP001
        member, number = nodes[cycle[0]]
        chain = " → ".join([*names, names[0]])
        message = (
            f"dependency cycle across plans: {chain} (each depends on the next); no stage in it can "
            "ever start — remove one of these dependencies"
        )
        yield [Draft("DEP001", ("stages", number), message, names[0], tuple(names))], member


PORTFOLIO_NAME = "portfolio.yaml"


class PortfolioError(Exception):
    """``portfolio.yaml`` cannot be used (a usage error, exit 2)."""


@dataclass(frozen=True)
class Settings:
    """``portfolio.yaml``: the whole IT budget and its limits (SPEC §12)."""

    name: str | None = None
    total: float | None = None
    years: dict[int, float] | None = None
    limits: Limits | None = None


def read_settings(folder: Path) -> Settings | None:
    """``portfolio.yaml`` in ``folder``, or None when there is none."""
    from pydantic import BaseModel, ConfigDict, ValidationError

    from cio_kit.plan.model import Text

    path = folder / PORTFOLIO_NAME
    if not path.is_file():
        return None

    class Document(BaseModel):
        model_config = ConfigDict(extra="forbid")
        cio_kit_portfolio: Literal[1]
        name: Text | None = None
        it_budget: Budget | None = None
        limits: Limits | None = None

    from cio_kit.plan.files import UnreadableFile, read_side_file

    try:
        parsed = read_side_file(path, str(path))
    except UnreadableFile as error:
        raise PortfolioError(str(error)) from None
    try:
        document = Document.model_validate(parsed.data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise PortfolioError(f"{path}: {where}: {first['msg']}") from None
    budget = document.it_budget
    return Settings(
        document.name,
        budget.total if budget else None,
        dict(budget.years) if budget and budget.years else None,
        document.limits,
    )


def _member_lines(member: Member) -> list[BudgetLine]:
    """A plan's budget lines in the portfolio, qualified; a ``per_year`` line once per year of its own plan.

    In the merged plan a ``per_year`` line would count in every year the whole
    portfolio spans, after its own plan has ended (SPEC §18): it becomes one
    line per fiscal year its plan spans, as the plan alone counts it.
    """
    from cio_kit.analysis.schedule import compute
    from cio_kit.analysis.spend import fiscal_years

    plan = member.plan
    own = plan.budget.lines if plan.budget else []
    years: list[int] = []
    if any(line.per_year for line in own) and plan.enterprise.plan_start is not None:
        dated = plan.enterprise.status_date is not None
        years = fiscal_years(plan, compute(plan, forecast=dated))
    found = []
    for line in own:
        if line.per_year and years:
            found += [
                line.model_copy(
                    update={"id": f"{member.id}:{line.id}:{year}", "per_year": False, "year": year}
                )
                for year in years
            ]
        else:
            found.append(line.model_copy(update={"id": f"{member.id}:{line.id}"}))
    return found


def merged_plan(portfolio: Sequence[Member], settings: Settings | None = None) -> Plan:
    """The portfolio as one plan: qualified ids, every plan's stages and lines, the whole IT budget.

    Stages keep their own plan's ``plan_start`` as a floor (no stage starts
    before its own plan does), and cross-plan dependencies are real links, so
    scheduling it gives the portfolio's dates and critical path. The envelope
    is ``portfolio.yaml``'s ``it_budget``, else the plans' envelopes added up.
    """
    first = portfolio[0].plan.enterprise
    starts = [m.plan.enterprise.plan_start for m in portfolio if m.plan.enterprise.plan_start is not None]
    start = min(starts, default=None)
    statuses = [m.plan.enterprise.status_date for m in portfolio if m.plan.enterprise.status_date is not None]
    stages: list[Stage] = []
    goals: list[Goal] = []
    lines: list[BudgetLine] = []
    resources: dict[str, Resource] = {}
    calendars: dict[str, Calendar] = {}
    from cio_kit.analysis.schedule import start_floors

    for member in portfolio:
        own = member.plan.enterprise.plan_start
        decided = {decision.id for decision in member.plan.decisions or []}
        for stage in member.plan.stages:
            # A decision is no stage of the portfolio: the day it was taken becomes a floor.
            floor = max(
                [when for when in start_floors(member.plan, stage) if when != stage.date], default=None
            )
            if own is not None and own != start:
                floor = max(floor or own, own)
            stages.append(
                stage.model_copy(
                    update={
                        "id": f"{member.id}:{stage.id}",
                        "depends_on": [
                            r if ":" in r else f"{member.id}:{r}"
                            for r in stage.depends_on
                            if r not in decided
                        ],
                        "serves": [f"{member.id}:{goal}" for goal in stage.serves],
                        "processes": [],
                        "affects": [],
                        "phase": None,
                        "not_before": floor,
                    }
                )
            )
        goals += [g.model_copy(update={"id": f"{member.id}:{g.id}"}) for g in member.plan.goals or []]
        lines += _member_lines(member)
        for resource in member.plan.resources or []:
            resources.setdefault(resource.id, resource)  # a shared team is one id across plans
        for calendar in member.plan.calendars or []:
            calendars.setdefault(calendar.id, calendar)
    if settings is not None and (settings.total is not None or settings.years):
        total, years = settings.total, settings.years
    else:
        budgets = [m.plan.budget for m in portfolio]
        total = (
            sum(b.total for b in budgets if b is not None and b.total is not None)
            if all(b is not None and b.total is not None for b in budgets)
            else None
        )
        summed: dict[int, float] = {}
        for b in budgets:
            for year, amount in (b.years or {}).items() if b is not None else ():
                summed[year] = summed.get(year, 0.0) + amount
        years = summed or None
    enterprise = first.model_copy(
        update={
            "name": (settings.name if settings and settings.name else None) or first.name,
            "plan_start": start,
            "status_date": max(statuses, default=None) if start is not None else None,
            "departments": None,
        }
    )
    return Plan.model_construct(
        cio_kit=1,
        id=None,
        enterprise=enterprise,
        goals=goals or None,
        processes=None,
        phases=None,
        stages=stages,
        calendars=list(calendars.values()) or None,
        resources=list(resources.values()) or None,
        budget=Budget.model_construct(
            total=total, years=years, lines=lines, limits=settings.limits if settings else None
        ),
        stakeholders=None,
        cio=None,
        governance=None,
    )
