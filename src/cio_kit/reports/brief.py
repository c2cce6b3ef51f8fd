"""Page one of the board pack: the headline, the decisions asked for, the largest risks, the open issues.

A board reads page one and stops. It has to say how late the plan is and
why, what it will cost against the envelope, which goals are at risk and
what the board must decide, in sentences built from the same figures the
rest of the pack shows (SPEC §17). Finding messages are addressed to a
planner; :func:`plain` takes the command-line hints out of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cio_kit.analysis.risk import RiskResult
from cio_kit.findings import days
from cio_kit.money import money
from cio_kit.plan.model import Plan, Risk
from cio_kit.situation import Situation

#: The estimates at completion by method, in words (SPEC §18).
METHODS = {
    "cpi": "at the cost efficiency so far",
    "composite": "with the schedule pressure",
    "bottom-up": "bottom-up",
}

#: How many risks page one lists.
TOP_RISKS = 5

# A parenthesis that is a command or holds a flag: "(report capacity --level)", never "(the plan as written)".
_HINT = re.compile(
    r"\s*\((?:[^()]*\s--[a-z][^()]*|(?:cio-kit |report |roadmap |plan validate|portfolio |scenario )[^()]*)\)"
)
_IN_COMMAND = re.compile(r"\s*(?:in|with|by running|run)\s+`cio-kit [^`]*`")
_COMMAND = re.compile(r"`cio-kit [^`]*`")


def plain(message: str) -> str:
    """A finding's message without its command-line hints: "(report capacity --level)" goes."""
    text = _IN_COMMAND.sub("", message)
    text = _HINT.sub("", text)
    text = _COMMAND.sub("the report", text)
    return re.sub(r"\s+([;,.])", r"\1", text).strip()


@dataclass(frozen=True)
class DecisionNeeded:
    """An open decision the board is asked for."""

    id: str
    title: str
    owner: str | None
    needed_by: dt.date | None
    options: tuple[str, ...]
    waiting: tuple[str, ...]
    """Titles of the unfinished stages that wait for it."""
    overdue: bool
    """Its needed_by is before the status date (RISK003)."""


@dataclass(frozen=True)
class RiskLine:
    """A live risk of the register with its size and what the runs made of it."""

    id: str
    title: str
    owner: str | None
    status: str
    probability: float
    exposure_days: float
    """Probability × the PERT mean of the time it adds (certain when occurred)."""
    exposure_cost: float
    """Probability × its cost."""
    occurred_share: float | None
    """Share of the runs in which it occurred (None without runs)."""
    p80_effect_days: float | None
    """Days it adds to P80 (None without runs)."""
    mitigation: str | None
    mitigation_owner: str | None
    due: dt.date | None
    overdue: bool
    """Its mitigation was due before the status date (RISK002)."""


@dataclass(frozen=True)
class IssueLine:
    """An open issue of high severity."""

    id: str
    title: str
    owner: str | None
    due: dt.date | None
    overdue: bool
    stages: tuple[str, ...]


@dataclass(frozen=True)
class Brief:
    """Page one."""

    headline: tuple[str, ...]
    """Three to five sentences."""
    decisions: tuple[DecisionNeeded, ...]
    """Open decisions, by needed_by."""
    risks: tuple[RiskLine, ...]
    """Every live risk, largest first (probability × impact): page one shows the first five."""
    issues: tuple[IssueLine, ...]
    """Open high-severity issues, by due date."""
    tornado: tuple[RiskLine, ...]
    """The live risks by their effect on P80, largest first."""


def decisions_needed(plan: Plan, status: dt.date | None) -> tuple[DecisionNeeded, ...]:
    """The open decisions, the earliest needed first, each with what waits for it."""
    # One pass over the stages, not one per decision: a large plan has hundreds of decisions.
    waiting_on: dict[str, list[str]] = {}
    for stage in plan.stages:
        if stage.status not in ("done", "cancelled"):
            for ident in dict.fromkeys(stage.depends_on):
                waiting_on.setdefault(ident, []).append(stage.title)
    found = []
    for decision in plan.decisions or []:
        if decision.status != "open":
            continue
        waiting = tuple(waiting_on.get(decision.id, ()))
        late = status is not None and decision.needed_by is not None and decision.needed_by < status
        found.append(
            DecisionNeeded(
                decision.id,
                decision.title,
                decision.owner,
                decision.needed_by,
                tuple(decision.options),
                waiting,
                late,
            )
        )
    return tuple(sorted(found, key=lambda d: (d.needed_by or dt.date.max, d.id)))


def _risk_line(risk: Risk, result: RiskResult | None, status: dt.date | None) -> RiskLine:
    effect = next((e for e in result.events if e.id == risk.id), None) if result is not None else None
    chance = 1.0 if risk.status == "occurred" else risk.probability
    mitigation = risk.mitigation
    due = mitigation.due if mitigation is not None else None
    return RiskLine(
        id=risk.id,
        title=risk.title,
        owner=risk.owner,
        status=risk.status,
        probability=chance,
        exposure_days=round(risk.exposure_days, 1),
        exposure_cost=round(chance * (risk.impact.cost or 0.0), 2),
        occurred_share=effect.occurred_share if effect is not None else None,
        p80_effect_days=effect.p80_effect_days if effect is not None else None,
        mitigation=mitigation.action if mitigation is not None else None,
        mitigation_owner=mitigation.owner if mitigation is not None else None,
        due=due,
        overdue=status is not None and due is not None and due < status,
    )


def risk_lines(plan: Plan, result: RiskResult | None, status: dt.date | None) -> tuple[RiskLine, ...]:
    """Every live risk, largest first: by probability × time, then probability × cost."""
    lines = [_risk_line(risk, result, status) for risk in plan.risks or [] if risk.live]
    return tuple(sorted(lines, key=lambda r: (-r.exposure_days, -r.exposure_cost, r.id)))


def open_high_issues(plan: Plan, status: dt.date | None) -> tuple[IssueLine, ...]:
    """The open issues of high severity, the earliest due first."""
    found = [
        IssueLine(
            issue.id,
            issue.title,
            issue.owner,
            issue.due,
            status is not None and issue.due is not None and issue.due < status,
            tuple(issue.stages),
        )
        for issue in plan.issues or []
        if issue.status == "open" and issue.severity == "high"
    ]
    return tuple(sorted(found, key=lambda i: (i.due or dt.date.max, i.id)))


@dataclass(frozen=True)
class Figures:
    """The figures the headline is built from, as the rest of the pack shows them."""

    as_written: dt.date | None
    forecast: dt.date | None
    reference: dt.date | None
    """What the slip counts against: the baseline's last day, else the plan as written."""
    reference_label: str
    p80: dt.date | None
    spi_t: float | None
    eac: dict[str, float]
    """Each estimate at completion by method (empty without earned value)."""
    lines: float
    """Budget lines, added to the EAC to compare with the envelope."""
    planned: float
    envelope: float | None
    currency: str
    goals_status: str
    goals_reason: str
    """The goals tile's reason, goal ids named by their titles."""


def headline(
    figures: Figures, situation: Situation, decisions: Sequence[DecisionNeeded], risks: Sequence[RiskLine]
) -> tuple[str, ...]:
    """Three to five sentences: when and why, what it costs, the goals, the decisions, the largest risk."""
    sentences = [_when(figures, situation), _cost(figures)]
    if figures.goals_status in ("red", "amber"):
        reason = figures.goals_reason
        sentences.append(
            f"Goals {reason}." if reason.startswith(("at ", "off ")) else f"{reason[:1].upper()}{reason[1:]}."
        )
    elif figures.goals_status == "green":
        sentences.append("Every goal is served by live work and none is behind its line.")
    if decisions:
        asked = "; ".join(
            f"{d.title} by {d.needed_by or 'a date to set'}"
            + (" (overdue)" if d.overdue else "")
            + (f", which holds up {_few(d.waiting)}" if d.waiting else "")
            for d in decisions[:3]
        )
        count = f"{len(decisions)} decision{'s' if len(decisions) != 1 else ''}"
        sentences.append(f"The board is asked for {count}: {asked}.")
    else:
        sentences.append("No decision is waiting for the board.")
    ranked = [r for r in risks if r.p80_effect_days]
    if ranked and len(sentences) < 5:
        top = max(ranked, key=lambda r: r.p80_effect_days or 0.0)
        holder = f", held by {top.owner}" if top.owner else ""
        sentences.append(
            f"The largest schedule risk is that {_lower(top.title)}{holder}: it adds "
            f"{days(round(top.p80_effect_days or 0.0))} to P80."
        )
    return tuple(sentences)


def _few(titles: Sequence[str]) -> str:
    shown = [_lower(t) for t in titles[:2]]
    more = f" and {len(titles) - 2} more" if len(titles) > 2 else ""
    return " and ".join(shown) + more


def _lower(text: str) -> str:
    """A title inside a sentence: its first letter lower-case unless it starts an acronym."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _when(figures: Figures, situation: Situation) -> str:
    """How late, and why: the slip of the forecast and the critical stage that slipped most."""
    p80 = f"; with the register's risks, P80 is {figures.p80}" if figures.p80 is not None else ""
    if figures.forecast is None or figures.reference is None:
        written = figures.as_written or "an undated finish"
        return f"As written, the plan's last day of work is {written}{p80}."
    slip = (figures.forecast - figures.reference).days
    if slip <= 0:
        lead = f"The plan is forecast to finish on {figures.forecast}, on or before {figures.reference_label}"
        return lead + f"{p80}."
    spi_t = figures.spi_t
    behind = (
        f" The work done was planned to take {spi_t:.0%} of the time spent (SPI(t) {spi_t:.2f})."
        if spi_t is not None and spi_t < 1
        else ""
    )
    why = _cause(situation)
    return (
        f"The plan is forecast to finish on {figures.forecast}, {days(slip)} after {figures.reference_label} "
        f"({figures.reference}){why}{p80}.{behind}"
    )


def _cause(situation: Situation) -> str:
    """The critical stage whose own finish moved most, in words: what the delay comes from."""
    # Against the plan's own dates: in a portfolio, a wait for another plan's stage is a slip too.
    forecast, written = situation.forecast, situation.own_written
    if forecast is None:
        return ""
    critical = set(forecast.critical_path)
    worst, most = None, 0
    for stage, now, then in zip(situation.plan.stages, forecast.timings, written.timings, strict=True):
        if stage.id not in critical and stage.status != "in-progress":
            continue
        late = now.last_day - then.last_day
        if late > most:
            worst, most = stage, late
    if worst is None:
        return ""
    state = "running" if worst.status == "in-progress" else "starting"
    others = [ref for ref in worst.depends_on if ":" in ref]
    waits = f", waiting for {', '.join(others)}" if others else ""
    return f", mainly because {_lower(worst.title)} is {state} {days(most)} late{waits}"


def _cost(figures: Figures) -> str:
    """What it costs against the envelope, as a range of estimates when progress is measured."""
    currency = figures.currency
    envelope = figures.envelope
    if figures.eac:
        low = min(figures.eac, key=lambda method: figures.eac[method])
        high = max(figures.eac, key=lambda method: figures.eac[method])
        with_lines = (figures.eac[low] + figures.lines, figures.eac[high] + figures.lines)
        if low == high:  # one method so far: no cost efficiency before any work is done
            span = f"{money(with_lines[0])} {currency} ({METHODS[low]})"
        else:
            span = f"{money(with_lines[0])} ({METHODS[low]}) to {money(with_lines[1])} {currency}"
            span += f" ({METHODS[high]})"
        lines = f", with {money(figures.lines)} of budget lines," if figures.lines else ""
        lead = f"The estimate at completion{lines} is {span}"
        if envelope is None:
            return lead + "; the plan sets no envelope."
        if with_lines[0] > envelope:
            return lead + f", over the {money(envelope)} envelope even at its lowest."
        if with_lines[1] > envelope:
            return lead + f": its high end is over the {money(envelope)} envelope."
        return lead + f", within the {money(envelope)} envelope."
    planned = f"Planned spend is {money(figures.planned)} {currency}"
    if envelope is None:
        return planned + "; the plan sets no envelope."
    verdict = "over" if figures.planned > envelope else "within"
    return planned + f", {verdict} the {money(envelope)} envelope."
