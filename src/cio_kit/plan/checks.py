"""The blocking checks on a plan that passed schema validation.

PLAN002 for constraints that span fields, PLAN004 duplicate ids, PLAN005
unknown references and DEP001 dependency cycles. Each check returns
:class:`~cio_kit.findings.Draft` records pointing at the exact element, so a
planner sees the line to change.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cio_kit.findings import Draft
from cio_kit.plan.graph import StageGraph
from cio_kit.plan.model import Estimate, Governance, HolidayRange, Issue, Plan, Risk, Stage

Loc = tuple[str | int, ...]

_KIND_NAMES = {
    "goals": "goal",
    "processes": "process",
    "phases": "phase",
    "stages": "stage",
    "stakeholders": "stakeholder group",
    "offences": "offence",
    "lines": "budget line",
    "cases": "case",
    "calendars": "calendar",
    "resources": "resource",
    "risks": "risk",
    "issues": "issue",
    "decisions": "decision",
}


def blocking_checks(plan: Plan, graph: StageGraph) -> list[Draft]:
    """Run every check that must pass before the rules can reason about the plan, on its stage graph."""
    drafts = list(_field_constraints(plan))
    kinds, duplicate_drafts = _ids(plan)
    drafts += duplicate_drafts
    drafts += _references(plan, kinds)
    cycles = list(_cycles(graph))
    drafts += cycles
    if not cycles:
        drafts += _calendar(plan, graph)
    return drafts


def _field_constraints(plan: Plan) -> Iterator[Draft]:
    """PLAN002 for constraints between fields."""
    start, status = plan.enterprise.plan_start, plan.enterprise.status_date
    if start is not None and status is not None and status < start:
        # One finding where the mistake is, not one per stage whose progress it makes look wrong.
        yield Draft(
            "PLAN002",
            ("enterprise", "status_date"),
            f"status_date {status} is before plan_start {start}: progress is measured from the plan's "
            "start; remove status_date until the plan has started, or correct one of the dates",
        )
    for number, stage in enumerate(plan.stages):
        yield from _stage_constraints(stage, ("stages", number))
    yield from _goal_constraints(plan)
    yield from _adkar_constraints(plan)
    yield from _raid_constraints(plan)
    yield from _calendar_constraints(plan)
    split = plan.cio.time_split if plan.cio else None
    if split is not None:
        total = sum(getattr(split, name) for name in type(split).model_fields)
        if abs(total - 100) > 1e-9:
            yield Draft(
                "PLAN002",
                ("cio", "time_split"),
                f"cio.time_split adds up to {total:g}%, not 100%; correct the shares",
            )
    if plan.enterprise.plan_start is None:
        yield from _dates_without_start(plan)


def _needs_start(loc: Loc, what: str, subject: str | None) -> Draft:
    return Draft(
        "PLAN002",
        loc,
        f"{what} needs enterprise.plan_start; add plan_start so dates can be placed on the roadmap",
        subject,
    )


def _dates_without_start(plan: Plan) -> Iterator[Draft]:
    """PLAN002 at every date or fiscal year of a plan that has no ``plan_start`` to place it from."""
    for number, stage in enumerate(plan.stages):
        for field in ("not_before", "deadline", "date"):
            if getattr(stage, field) is not None:
                yield _needs_start(("stages", number, field), f"{stage.id}.{field}", stage.id)
    for number, goal in enumerate(plan.goals or []):
        if goal.due is not None:
            yield _needs_start(("goals", number, "due"), f"{goal.id}.due", goal.id)
        if goal.benefit is not None:
            yield _needs_start(("goals", number, "benefit"), f"{goal.id}.benefit", goal.id)
    budget = plan.budget
    if budget is not None:
        if budget.years is not None:
            yield _needs_start(("budget", "years"), "budget.years", None)
        for number, line in enumerate(budget.lines):
            if line.year is not None:
                yield _needs_start(("budget", "lines", number, "year"), f"{line.id}.year", line.id)
            if line.per_year:
                yield _needs_start(("budget", "lines", number, "per_year"), f"{line.id}.per_year", line.id)
    for section in ("calendars", "resources"):
        if getattr(plan, section):
            yield _needs_start((section,), section, None)


def _goal_constraints(plan: Plan) -> Iterator[Draft]:
    """A benefit starts on a date or after a stage, exactly one of the two."""
    for number, goal in enumerate(plan.goals or []):
        benefit = goal.benefit
        if benefit is not None and (benefit.starts is None) == (benefit.starts_after is None):
            yield Draft(
                "PLAN002",
                ("goals", number, "benefit"),
                f"{goal.id}'s benefit needs one start: starts (a date) or starts_after (a stage), not "
                f"{'both' if benefit.starts else 'neither'}",
                goal.id,
            )


def _adkar_constraints(plan: Plan) -> Iterator[Draft]:
    """Several ADKAR readings of a group are put in order by their dates, so each needs one."""
    for number, group in enumerate(plan.stakeholders or []):
        if not isinstance(group.adkar, list):
            continue
        for position, reading in enumerate(group.adkar):
            if reading.assessed is None:
                yield Draft(
                    "PLAN002",
                    ("stakeholders", number, "adkar", position),
                    f"{group.id} has several ADKAR readings; each needs its assessed date to be put in order",
                    group.id,
                )


def _calendar_constraints(plan: Plan) -> Iterator[Draft]:
    """A calendar's country is one the holidays library knows; a holiday range runs forwards."""
    for number, calendar in enumerate(plan.calendars or []):
        if calendar.country is not None and calendar.country not in _supported_countries():
            yield Draft(
                "PLAN002",
                ("calendars", number, "country"),
                f"{calendar.id} names country {calendar.country}, whose public holidays the holidays "
                "library does not know; use an ISO 3166 code it supports, or list the holidays",
                calendar.id,
            )
        for position, day_off in enumerate(calendar.holidays):
            if isinstance(day_off, HolidayRange) and day_off.to < day_off.start:
                yield Draft(
                    "PLAN002",
                    ("calendars", number, "holidays", position),
                    f"{calendar.id} has a holiday range that ends ({day_off.to}) before it starts "
                    f"({day_off.start}); swap from and to",
                    calendar.id,
                )


def _supported_countries() -> set[str]:
    """Countries whose public holidays the holidays library has (imported only when a calendar names one)."""
    import holidays

    return set(holidays.list_supported_countries())


def _stage_constraints(stage: Stage, at: Loc) -> Iterator[Draft]:
    if stage.mandatory and not stage.mandatory_reason:
        # portfolio optimize keeps a mandatory stage whatever it costs: the reason is the audit trail.
        yield Draft(
            "PLAN002",
            (*at, "mandatory"),
            f"{stage.id} is mandatory but gives no mandatory_reason; say why it cannot be deferred "
            "(a statute, a contract, a safety case)",
            stage.id,
        )
    if stage.kind == "milestone":
        for field in ("duration_weeks", "estimate", "effort"):
            if getattr(stage, field) is not None:
                yield Draft(
                    "PLAN002",
                    (*at, field),
                    f"{stage.id} is a milestone and takes no time; remove {field} "
                    "or give the stage another kind",
                    stage.id,
                )
        return
    if stage.date is not None:
        yield Draft(
            "PLAN002",
            (*at, "date"),
            f"{stage.id} is a {stage.kind} stage; only milestones have a date — "
            "use not_before for an earliest start",
            stage.id,
        )
    if stage.duration_weeks is None and stage.estimate is None and not stage.effort:
        yield Draft(
            "PLAN002",
            at,
            f"{stage.id} has no duration; add duration_weeks, an estimate or effort",
            stage.id,
        )
    estimate = stage.estimate
    if estimate is not None and not (estimate.optimistic <= estimate.likely <= estimate.pessimistic):
        yield Draft(
            "PLAN002",
            (*at, "estimate"),
            f"{stage.id}.estimate must have optimistic ≤ likely ≤ pessimistic "
            f"(got {estimate.optimistic:g}, {estimate.likely:g}, {estimate.pessimistic:g})",
            stage.id,
        )


def _raid_constraints(plan: Plan) -> Iterator[Draft]:
    """A risk's impact says how long or how much, once; a taken decision has no open questions."""
    for number, risk in enumerate(plan.risks or []):
        at: Loc = ("risks", number, "impact")
        impact = risk.impact
        if impact.weeks is not None and impact.days is not None:
            yield Draft("PLAN002", at, f"{risk.id}.impact gives both weeks and days; keep one", risk.id)
        elif impact.weeks is None and impact.days is None and impact.cost is None:
            yield Draft(
                "PLAN002", at, f"{risk.id}.impact is empty; give weeks or days, a cost, or both", risk.id
            )
        for unit in ("weeks", "days"):
            three = getattr(impact, unit)
            if isinstance(three, Estimate) and not (three.optimistic <= three.likely <= three.pessimistic):
                yield Draft(
                    "PLAN002",
                    (*at, unit),
                    f"{risk.id}.impact.{unit} must have optimistic ≤ likely ≤ pessimistic "
                    f"(got {three.optimistic:g}, {three.likely:g}, {three.pessimistic:g})",
                    risk.id,
                )
    for number, decision in enumerate(plan.decisions or []):
        if decision.status == "open" and decision.taken is not None:
            yield Draft(
                "PLAN002",
                ("decisions", number, "taken"),
                f"{decision.id} is open but has a taken date; set status: taken, or remove the date",
                decision.id,
            )


def _identified(plan: Plan) -> Iterator[tuple[str, Loc, str]]:
    """Every (id, location, section) in the plan, in file-section order."""
    sections: list[tuple[Loc, list[object]]] = [
        (("goals",), list(plan.goals or [])),
        (("processes",), list(plan.processes or [])),
        (("phases",), list(plan.phases or [])),
        (("stages",), list(plan.stages)),
        (("budget", "lines"), list(plan.budget.lines if plan.budget else [])),
        (("stakeholders",), list(plan.stakeholders or [])),
        (("calendars",), list(plan.calendars or [])),
        (("resources",), list(plan.resources or [])),
        (("risks",), list(plan.risks or [])),
        (("issues",), list(plan.issues or [])),
        (("decisions",), list(plan.decisions or [])),
    ]
    if plan.governance is not None:
        sections.append((("governance", "offences"), list(plan.governance.offences)))
        sections.append((("governance", "cases"), list(plan.governance.cases)))
    for prefix, elements in sections:
        for number, element in enumerate(elements):
            ident = getattr(element, "id", None)
            if ident is not None:
                yield ident, (*prefix, number, "id"), _KIND_NAMES[str(prefix[-1])]


def _ids(plan: Plan) -> tuple[dict[str, str], list[Draft]]:
    """PLAN004, and the kind of thing each id names."""
    kinds: dict[str, str] = {}
    first: dict[str, Loc] = {}
    drafts: list[Draft] = []
    for ident, loc, kind in _identified(plan):
        if ident in kinds:
            where = _show(first[ident])
            drafts.append(
                Draft(
                    "PLAN004",
                    loc,
                    f"id {ident} is already used by the {kinds[ident]} at {where}; "
                    "ids must be unique across the whole plan — rename one",
                    ident,
                )
            )
            continue
        kinds[ident] = kind
        first[ident] = loc[:-1]
    return kinds, drafts


def _show(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _references(plan: Plan, kinds: dict[str, str]) -> Iterator[Draft]:
    """PLAN005: every reference names an existing element of the right kind."""
    yield from _stage_references(plan, kinds)
    yield from _side_references(plan, kinds)
    if plan.governance is not None:
        yield from _governance_references(plan.governance, kinds)


def _reference(kinds: dict[str, str], ref: str, loc: Loc, kind: str, owner: str | None) -> Iterator[Draft]:
    """PLAN005 when ``ref`` is not the id of a ``kind`` in the plan."""
    found = kinds.get(ref)
    if found == kind:
        return
    who = f"{owner} refers" if owner else "this refers"
    if found is None:
        import difflib

        same_kind = [ident for ident, of_kind in kinds.items() if of_kind == kind]
        near = difflib.get_close_matches(ref, same_kind, n=1, cutoff=0.6)
        fix = f"did you mean {near[0]}?" if near else "define it or fix the id"
        message = f"{who} to {kind} {ref}, which is not defined in this plan; {fix}"
    else:
        message = f"{who} to {ref} as a {kind}, but {ref} is a {found}; use the id of a {kind}"
    yield Draft("PLAN005", loc, message, owner, (ref,))


_STAGE_LISTS = (
    ("depends_on", "stage"),
    ("serves", "goal"),
    ("processes", "process"),
    ("affects", "stakeholder group"),
)
"""A stage's lists of references and the kind each names."""


def _stage_references(plan: Plan, kinds: dict[str, str]) -> Iterator[Draft]:
    """What each stage names: stages, goals, processes, groups, its phase, resources, departments."""
    departments = plan.enterprise.departments
    for number, stage in enumerate(plan.stages):
        at: Loc = ("stages", number)
        for field, kind in _STAGE_LISTS:
            for position, ref in enumerate(getattr(stage, field)):
                if field == "depends_on" and (":" in ref or kinds.get(ref) == "decision"):
                    continue  # another plan's stage (SPEC §12), or a decision the stage waits for (§17)
                yield from _reference(kinds, ref, (*at, field, position), kind, stage.id)
        if stage.phase is not None:
            yield from _reference(kinds, stage.phase, (*at, "phase"), "phase", stage.id)
        for needed in stage.effort or {}:
            yield from _reference(kinds, needed, (*at, "effort", needed), "resource", stage.id)
        if departments is None:
            continue
        for position, department in enumerate(stage.departments):
            if department not in departments:
                yield Draft(
                    "PLAN005",
                    (*at, "departments", position),
                    f"{stage.id} names department '{department}', which is not in "
                    "enterprise.departments; add it there or fix the name",
                    stage.id,
                    (department,),
                )


def _side_references(plan: Plan, kinds: dict[str, str]) -> Iterator[Draft]:
    """Calendars, stakeholder actions' stages, benefits' stages and the sponsor's group."""
    if plan.enterprise.calendar is not None:
        yield from _reference(kinds, plan.enterprise.calendar, ("enterprise", "calendar"), "calendar", None)
    for number, resource in enumerate(plan.resources or []):
        if resource.calendar is not None:
            at: Loc = ("resources", number, "calendar")
            yield from _reference(kinds, resource.calendar, at, "calendar", resource.id)
    for number, group in enumerate(plan.stakeholders or []):
        for position, action in enumerate(group.actions):
            action_at: Loc = ("stakeholders", number, "actions", position, "stage")
            yield from _reference(kinds, action.stage, action_at, "stage", group.id)
    for number, goal in enumerate(plan.goals or []):
        if goal.benefit is not None and goal.benefit.starts_after is not None:
            where: Loc = ("goals", number, "benefit", "starts_after")
            yield from _reference(kinds, goal.benefit.starts_after, where, "stage", goal.id)
    if plan.sponsor is not None and plan.sponsor.group is not None:
        yield from _reference(kinds, plan.sponsor.group, ("sponsor", "group"), "stakeholder group", None)
    registers: list[tuple[str, Sequence[Risk | Issue]]] = [
        ("risks", plan.risks or []),
        ("issues", plan.issues or []),
    ]
    for section, entries in registers:
        for number, entry in enumerate(entries):
            for position, ref in enumerate(entry.stages):
                yield from _reference(kinds, ref, (section, number, "stages", position), "stage", entry.id)


def _governance_references(governance: Governance, kinds: dict[str, str]) -> Iterator[Draft]:
    """Cases' offences and groups, sanction statistics, counselling and rewards."""
    group = "stakeholder group"
    for number, case in enumerate(governance.cases):
        at: Loc = ("governance", "cases", number)
        yield from _reference(kinds, case.offence, (*at, "offence"), "offence", case.id)
        if case.group is not None:
            yield from _reference(kinds, case.group, (*at, "group"), group, case.id)
    for number, stat in enumerate(governance.sanction_stats):
        where: Loc = ("governance", "sanction_stats", number, "offence")
        yield from _reference(kinds, stat.offence, where, "offence", None)
    counselling = governance.policy.counselling if governance.policy else None
    if counselling is not None:
        for position, ref in enumerate(counselling.offered_to):
            offered: Loc = ("governance", "policy", "counselling", "offered_to", position)
            yield from _reference(kinds, ref, offered, group, None)
    for number, reward in enumerate(governance.rewards):
        yield from _reference(kinds, reward.group, ("governance", "rewards", number, "group"), group, None)


def _cycles(graph: StageGraph) -> Iterator[Draft]:
    """DEP001: one finding per dependency cycle, at its first stage in file order."""
    for cycle in graph.cycles():
        names = [graph.ids[node] for node in cycle]
        start = names[0]
        if len(names) == 1:
            message = f"{start} depends on itself; remove {start} from its own depends_on"
        else:
            chain = " → ".join([*names, start])
            message = (
                f"dependency cycle: {chain} (each depends on the next); "
                "no stage in it can ever start — remove one of these dependencies"
            )
        yield Draft("DEP001", ("stages", cycle[0]), message, start, tuple(names))


def _calendar(plan: Plan, graph: StageGraph) -> Iterator[Draft]:
    """PLAN002 where a computed date would fall after 9999-12-31 (SPEC §15), at the duration that does it.

    A cheap bound first — the latest date written in the plan plus every
    stage's longest duration — clears every real plan; only a plan past it
    gets the forward pass, with each stage at its pessimistic duration and
    every date floor, as the schedule, the forecast and the Monte Carlo could
    place it.
    """
    import datetime as dt

    start = plan.enterprise.plan_start
    if start is None:
        return
    room = (dt.date.max - start).days
    written = [plan.enterprise.status_date, *(goal.due for goal in plan.goals or [])]
    floors = []
    longest = []
    for stage in plan.stages:
        dates = (stage.not_before, stage.date, stage.deadline, stage.actual_start, stage.actual_finish)
        floors.append(max([(when - start).days for when in dates if when is not None], default=0))
        weeks = stage.estimate.pessimistic if stage.estimate is not None else stage.duration_weeks or 0
        longest.append(0 if stage.kind == "milestone" else int(7 * weeks) + 1)
    latest = max([0, *floors, *((when - start).days for when in written if when is not None)])
    if latest + sum(longest) <= room:
        return
    finish = [0] * len(plan.stages)
    for node in graph.topological_order() or []:
        begin = max([floors[node], latest if plan.enterprise.status_date else 0,
                     *(finish[pred] for pred in graph.preds[node])])  # fmt: skip
        finish[node] = begin + longest[node]
        if finish[node] > room:
            stage = plan.stages[node]
            key = "estimate" if stage.estimate is not None else "duration_weeks"
            yield Draft(
                "PLAN002",
                ("stages", node, key),
                f"{stage.id} would end after 9999-12-31, beyond the calendar; shorten it or the chain "
                "before it",
                stage.id,
            )
            return
