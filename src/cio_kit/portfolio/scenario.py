"""Scenarios: overlay files that change the portfolio without editing a plan (SPEC §12).

``scenarios/NAME.yaml`` next to ``cio-kit.yaml`` lists changes — delay, drop,
set a duration, scale budgets, set an envelope, add capacity. A scenario is
applied to each plan's document as its author would edit the file by hand,
and the changed documents are loaded and checked like files on disk, so a
scenario's findings are exactly those the edited files would have.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cio_kit.findings import Finding
from cio_kit.money import cents
from cio_kit.plan.loader import Loaded
from cio_kit.plan.yamlsafe import Positions
from cio_kit.portfolio.merge import Member, members, merged_plan, split_ref

SCENARIO_DIR = "scenarios"
KINDS = ("delay", "drop", "set", "scale_budget", "envelope", "add_capacity")


class ScenarioError(Exception):
    """A scenario that cannot be read or names something that does not exist (a usage error)."""


@dataclass(frozen=True)
class Change:
    """One change of a scenario."""

    kind: str
    """One of :data:`KINDS`."""
    line: int
    """1-based line of the change in its scenario file."""
    target: str | None = None
    """The stage (delay, drop, set) or resource (add_capacity) it names."""
    amount: float | None = None
    """Weeks (delay), duration_weeks (set), the factor (scale_budget) or people (add_capacity)."""
    years: tuple[int, ...] | None = None
    """scale_budget: the fiscal years it applies to (None: all)."""
    envelope: dict[int, float] = field(default_factory=dict)
    """envelope: the years it sets."""


@dataclass(frozen=True)
class Scenario:
    """A scenario file."""

    name: str
    file: str
    """Path as shown in messages."""
    changes: tuple[Change, ...]


def scenario_files(home: Path) -> list[Path]:
    """Every scenario under ``home/scenarios``, by name."""
    folder = home / SCENARIO_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def read_scenario(path: Path) -> Scenario:
    """Read and check one scenario file; ScenarioError names the file and line of a problem."""
    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    from cio_kit.plan.model import Amount, Id, People, Text, Weeks

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)

    class Delay(Strict):
        delay: str
        weeks: Weeks

    class Drop(Strict):
        drop: str

    class Set(Strict):
        set: str
        duration_weeks: Weeks

    class ScaleBudget(Strict):
        scale_budget: float = Field(ge=0, le=1000, allow_inf_nan=False)
        years: list[int] | None = None

    class Envelope(Strict):
        envelope: dict[int, Amount] = Field(min_length=1)

    class AddCapacity(Strict):
        add_capacity: Id
        capacity: People

    shapes: dict[str, type[Strict]] = {
        "delay": Delay,
        "drop": Drop,
        "set": Set,
        "scale_budget": ScaleBudget,
        "envelope": Envelope,
        "add_capacity": AddCapacity,
    }

    class Head(BaseModel):
        model_config = ConfigDict(extra="forbid")
        cio_kit_scenario: int = Field(ge=1, le=1)
        name: Text
        changes: list[dict[Any, Any]] = Field(min_length=1)

    from cio_kit.plan.loader import display_path

    shown = display_path(path)
    from cio_kit.plan.files import UnreadableFile, read_side_file

    try:
        parsed = read_side_file(path, shown, reading="cannot read the scenario: ", positions=True)
    except UnreadableFile as error:
        raise ScenarioError(str(error)) from None
    positions = parsed.positions or Positions()

    def line(*where: Any) -> int:
        mark = positions.get(where) or positions.get(where[:1]) or (0, 0)
        return mark[0] + 1

    try:
        head = Head.model_validate(parsed.data)
    except ValidationError as error:
        first = error.errors()[0]
        where = tuple(first["loc"])
        what = ".".join(str(part) for part in where) or "the top level"
        raise ScenarioError(
            f"{shown}:{line(*where)}: {what}: {first['msg']} "
            "(a scenario is {cio_kit_scenario: 1, name, changes: [...]})"
        ) from None
    changes = []
    for number, raw in enumerate(head.changes):
        at = line("changes", number)
        kinds = [key for key in raw if key in shapes]
        if len(kinds) != 1:
            raise ScenarioError(
                f"{shown}:{at}: a change has exactly one of {', '.join(KINDS)}; this one has "
                f"{', '.join(map(str, raw)) or 'nothing'}"
            )
        kind = kinds[0]
        try:
            value = shapes[kind].model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            what = ".".join(str(part) for part in first["loc"])
            raise ScenarioError(f"{shown}:{at}: {kind}: {what}: {first['msg']}") from None
        changes.append(_change(kind, at, value.model_dump()))
    return Scenario(head.name, shown, tuple(changes))


def _change(kind: str, line: int, value: dict[str, Any]) -> Change:
    if kind == "delay":
        return Change(kind, line, value["delay"], value["weeks"])
    if kind == "drop":
        return Change(kind, line, value["drop"])
    if kind == "set":
        return Change(kind, line, value["set"], value["duration_weeks"])
    if kind == "scale_budget":
        years = value["years"]
        return Change(kind, line, None, value["scale_budget"], tuple(years) if years is not None else None)
    if kind == "envelope":
        return Change(kind, line, envelope=dict(value["envelope"]))
    return Change(kind, line, value["add_capacity"], value["capacity"])


@dataclass
class Applied:
    """The portfolio as a scenario changes it."""

    scenario: Scenario
    loaded: list[Loaded]
    """Every plan file, loaded and checked as the scenario changes it."""
    envelope: dict[int, float]
    """Envelopes the scenario sets, by fiscal year."""
    dropped: tuple[str, ...]
    """Plan-qualified stages removed: those named and everything depending on them."""


@dataclass(frozen=True)
class Edit:
    """A scenario written into the plans' documents, as their authors would edit the files."""

    scenario: Scenario
    texts: dict[int, str]
    """The new YAML text of each plan the scenario changes, by ``id()`` of its loaded file."""
    envelope: dict[int, float]
    """Envelopes the scenario sets, by fiscal year."""
    dropped: tuple[str, ...]
    """Plan-qualified stages removed: those named and everything depending on them."""


def edit(scenario: Scenario, loaded: Sequence[Loaded]) -> Edit:
    """Write a scenario into the sound plans of ``loaded``; ScenarioError when it names what is not there.

    The edited documents are not checked here: the validate pipeline loads and
    checks them as the files edited by hand would be (:func:`cio_kit.validate.apply_scenario`).
    """
    import copy

    from cio_kit.plan.graph import StageGraph, reachable
    from cio_kit.situation import Situation

    portfolio = members(loaded)
    documents = {m.id: copy.deepcopy(m.loaded.data) for m in portfolio}
    touched: set[str] = set()
    whole = merged_plan(portfolio)
    schedule = Situation(whole).schedule  # the portfolio as it stands: scenarios delay from the forecast
    position = {stage.id: number for number, stage in enumerate(whole.stages)}
    envelope: dict[int, float] = {}
    dropped: dict[str, None] = {}
    graph: StageGraph | None = None  # built on the first drop, once
    for change in scenario.changes:
        where = f"{scenario.file}:{change.line}"
        if change.kind == "envelope":
            envelope.update(change.envelope)
        elif change.kind == "scale_budget":
            touched |= _scale(portfolio, documents, change, whole, schedule, position)
        elif change.kind == "add_capacity":
            touched |= _add_capacity(portfolio, documents, change, where)
        elif change.kind == "drop":
            member, number = _find_stage(portfolio, change.target or "", where)
            # The stage and, transitively, every stage depending on it, across plans.
            graph = graph or StageGraph.build(whole.stages)
            first = position[f"{member.id}:{member.plan.stages[number].id}"]
            dropped.update(dict.fromkeys(whole.stages[node].id for node in reachable(graph.succs, [first])))
        else:
            touched.add(_edit_stage(portfolio, documents, change, where, schedule, position))
    gone: dict[str, set[str]] = {}
    for ident in dropped:
        owner, stage_id = ident.split(":", 1)
        gone.setdefault(owner, set()).add(stage_id)
    for owner, stage_ids in gone.items():
        _remove_stages(documents[owner], stage_ids)
        touched.add(owner)
    texts = {id(m.loaded): _as_yaml(documents[m.id]) for m in portfolio if m.id in touched}
    return Edit(scenario, texts, envelope, tuple(dropped))


def _edit_stage(
    portfolio: Sequence[Member],
    documents: dict[str, Any],
    change: Change,
    where: str,
    schedule: Any,
    position: dict[str, int],
) -> str:
    """Apply a ``set`` or ``delay`` to its stage's document; the id of the plan it changed."""
    member, number = _find_stage(portfolio, change.target or "", where)
    stage_id = member.plan.stages[number].id
    stage = _stage_document(documents[member.id], stage_id)
    if change.kind == "set":
        stage["duration_weeks"] = change.amount
        stage.pop("estimate", None)  # the new duration replaces the three-point estimate
        return member.id
    status = member.plan.stages[number].status
    weeks = change.amount or 0
    if status == "done":
        raise ScenarioError(f"{where}: {stage_id} is done; work that is finished cannot be delayed")
    if status == "in-progress":
        # N more weeks of remaining work: the forecast runs (1 − done share) of the duration from
        # the status date, so the duration grows by N / (1 − done share).
        left = 1 - member.plan.stages[number].percent_complete / 100
        stage["duration_weeks"] = round(float(member.plan.stages[number].weeks) + weeks / left, 4)
        if isinstance(stage.get("estimate"), dict):
            stage["estimate"] = {k: round(v + weeks / left, 4) for k, v in stage["estimate"].items()}
        return member.id
    start = schedule.date(schedule.timings[position[f"{member.id}:{stage_id}"]].earliest_start)
    if start is None:
        raise ScenarioError(f"{where}: delay needs dates; give the plan an enterprise.plan_start")
    # The base start (the forecast's, with a status date) already honours any not_before and
    # every late predecessor, so N weeks after it is the new floor (SPEC §16).
    stage["not_before"] = start + dt.timedelta(weeks=weeks)
    return member.id


def _find_stage(portfolio: Sequence[Member], ref: str, where: str) -> tuple[Member, int]:
    """The plan and position of a stage named ``ref`` (``STAGE`` or ``plan:STAGE``)."""
    owner, stage_id = split_ref(ref)
    found = [
        (member, number)
        for member in portfolio
        if owner is None or member.id == owner
        for number, stage in enumerate(member.plan.stages)
        if stage.id == stage_id
    ]
    if not found:
        if owner is not None and all(member.id != owner for member in portfolio):
            raise ScenarioError(f"{where}: there is no plan {owner} in the portfolio")
        inside = f"plan {owner}" if owner is not None else "any plan"
        raise ScenarioError(f"{where}: {inside} has no stage {stage_id}")
    if len(found) > 1:
        plans = ", ".join(f"{member.id}:{stage_id}" for member, _ in found)
        raise ScenarioError(f"{where}: {stage_id} is in several plans; say which: {plans}")
    return found[0]


def _stage_document(document: Any, stage_id: str) -> dict[Any, Any]:
    return next(stage for stage in document["stages"] if stage.get("id") == stage_id)


def _remove_stages(document: Any, stage_ids: set[str]) -> None:
    """Remove stages, the actions planned for them, the benefits they start and their risks' links.

    Neither can outlive its stage: an action needs a stage to happen in, and a
    benefit that starts after a dropped stage does not start at all.
    """
    document["stages"] = [stage for stage in document["stages"] if stage.get("id") not in stage_ids]
    for goal in document.get("goals") or []:
        benefit = goal.get("benefit") if isinstance(goal, dict) else None
        if isinstance(benefit, dict) and benefit.get("starts_after") in stage_ids:
            del goal["benefit"]
    for group in document.get("stakeholders") or []:
        if isinstance(group, dict) and isinstance(group.get("actions"), list):
            group["actions"] = [
                a for a in group["actions"] if not (isinstance(a, dict) and a.get("stage") in stage_ids)
            ]
    # A risk or an issue of dropped work no longer touches it; it stays in the register.
    for entry in [*(document.get("risks") or []), *(document.get("issues") or [])]:
        if isinstance(entry, dict) and isinstance(entry.get("stages"), list):
            entry["stages"] = [ref for ref in entry["stages"] if ref not in stage_ids]


def _scale(
    portfolio: Sequence[Member],
    documents: dict[str, Any],
    change: Change,
    whole: Any,
    schedule: Any,
    position: dict[str, int],
) -> set[str]:
    """Scale stage budgets and budget lines; with ``years``, by the spend falling in those years.

    The cut is exactly (1 − factor) × the chosen years' spend: a stage loses
    that share of the part of its budget that falls in them (spread by its
    scheduled days, as ``report budget`` spreads it). A stage's budget is one
    amount spread by days, so a stage across the year end carries its cut in
    each year it spans, in proportion. A line counted every year
    (``per_year``) is split into one line per year when only some are scaled.
    """
    from cio_kit.analysis.spend import fiscal_years, stage_years

    factor = change.amount if change.amount is not None else 1.0
    chosen = set(change.years) if change.years is not None else None
    span = fiscal_years(whole, schedule)
    touched = set()
    for member in portfolio:
        document = documents[member.id]
        for stage, raw in zip(member.plan.stages, document.get("stages") or [], strict=True):
            if not stage.budget:
                continue
            if chosen is None:
                share = 1.0
            else:
                years = stage_years(whole, schedule, position[f"{member.id}:{stage.id}"])
                share = sum(part for year, part in years.items() if year in chosen)
            if share:
                for item in raw["budget"]:
                    item["amount"] = cents(item["amount"] * (1 - (1 - factor) * share))
                touched.add(member.id)
        budget = document.get("budget")
        lines = budget.get("lines") if isinstance(budget, dict) else None
        if not lines:
            continue
        scaled = []
        for line, raw_line in zip(member.plan.budget.lines if member.plan.budget else [], lines, strict=True):
            if chosen is None:
                raw_line["amount"] = cents(raw_line["amount"] * factor)
            elif line.per_year:
                for year in span:
                    scaled.append(
                        {
                            **{k: v for k, v in raw_line.items() if k != "per_year"},
                            "id": f"{line.id}-{year}",
                            "year": year,
                            "amount": cents(raw_line["amount"] * (factor if year in chosen else 1.0)),
                        }
                    )
                continue
            else:
                counted = line.year if line.year is not None else (span[0] if span else None)
                if counted in chosen:
                    raw_line["amount"] = cents(raw_line["amount"] * factor)
            scaled.append(raw_line)
        budget["lines"] = scaled
        touched.add(member.id)
    return touched


def _add_capacity(
    portfolio: Sequence[Member], documents: dict[str, Any], change: Change, where: str
) -> set[str]:
    """Add people to a resource in every plan that has it (a shared team is one id across plans)."""
    touched = set()
    for member in portfolio:
        for raw in documents[member.id].get("resources") or []:
            if raw.get("id") == change.target:
                raw["capacity"] = raw.get("capacity", 1) + (change.amount or 0)
                touched.add(member.id)
    if not touched:
        raise ScenarioError(f"{where}: no plan has a resource {change.target}")
    return touched


def _as_yaml(document: Any) -> str:
    """The document as YAML text, as its author would write it."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: Python's takes seconds on a big plan
    return yaml.dump(_plain(document), Dumper=dumper, sort_keys=False, allow_unicode=True)


def as_in_base(base: Loaded, again: Loaded) -> None:
    """Point a rewritten plan's findings at the file on disk and keep that file's suppressions."""
    again.findings = _base_places(base, again)
    _keep_suppressions(base, again)


def _keep_suppressions(base: Loaded, again: Loaded) -> None:
    """Carry the file's suppression comments over to the rewritten document, which has none.

    What the base file silenced stays silenced, and what it says about its
    own comments (PLAN008) still holds, as when the file is edited by hand.
    """
    silenced = {finding.key: reason for finding, reason in base.suppressed}
    again.suppressed = [(f, silenced[f.key]) for f in again.findings if f.key in silenced]
    again.findings = [f for f in again.findings if f.key not in silenced]
    again.findings += [f for f in base.findings if f.rule == "PLAN008"]


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _base_places(base: Loaded, again: Loaded) -> list[Finding]:
    """A rewritten document's findings placed where their elements are in the file on disk.

    The rewritten text is nobody's file, so its lines mean nothing to a reader;
    each finding points at its element in the real file, found by its id (a
    list shifts when a stage is dropped), or at its nearest ancestor there.
    """
    positions = base.positions
    placed = []
    for finding in again.findings:
        parts = _PATH_PART.findall(finding.path)
        loc: list[Any] = [
            int(index) if index else int(name) if name.isdigit() else name for name, index in parts
        ]
        path = finding.path
        first = next((k for k, (_, index) in enumerate(parts) if index), None)
        if first is not None:
            ident = _element_id(_walk(again.data, loc[: first + 1]))
            elements = _walk(base.data, loc[:first])
            at = (
                next(
                    (
                        n
                        for n, element in enumerate(elements or [])
                        if ident is not None and _element_id(element) == ident
                    ),
                    None,
                )
                if isinstance(elements, list)
                else None
            )
            if at is None:  # an element the scenario made (a line split by year): its list
                loc = loc[:first]
            else:
                loc[first] = at
                path = re.sub(r"\[\d+\]", f"[{at}]", path, count=1)
        where = tuple(loc)
        while where and where not in positions:
            where = where[:-1]
        line, column = positions.get(where, (0, 0))
        placed.append(replace(finding, line=line + 1, column=column + 1, path=path))
    return placed


def _walk(data: Any, loc: Sequence[Any]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _element_id(element: Any) -> Any:
    return element.get("id") if isinstance(element, dict) else None


def _plain(value: Any) -> Any:
    """The document in plain types, so YAML writes it as the author would (no Python tags)."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value
