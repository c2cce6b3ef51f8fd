"""Lesson 2, the driver: risks owned and answered, decisions taken in time, issues handled (RISK001–RISK004).

The register lives in the plan (SPEC §17). These rules judge it at the
status date; without one, only RISK001 applies.
"""

from __future__ import annotations

from collections.abc import Iterator

from cio_kit.findings import Draft, Severity
from cio_kit.rules.context import Context
from cio_kit.rules.registry import rule


def _names(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def risk_unanswered(ctx: Context) -> Iterator[Draft]:
    """An open risk has no owner or no mitigation.

    What it checks:
        Every open or occurred risk names an `owner` and has a `mitigation`.

    Why it matters:
        Lesson 2, the driver: a risk nobody owns is a risk nobody watches,
        and a risk without a response is only a worry. A board asks who
        holds each risk and what they are doing about it.

    Example:
        risks:
          - {id: R-DATA, title: Legacy data is dirtier than assumed,
             probability: 0.4, impact: {weeks: 4}, stages: [S-MIGRATE]}

    Fix:
        Name an owner and add `mitigation: {action: ..., owner: ..., due: ...}`,
        or close the risk if it no longer applies.

    """
    for number, risk in enumerate(ctx.plan.risks or []):
        missing = [
            name for name, value in (("owner", risk.owner), ("mitigation", risk.mitigation)) if not value
        ]
        if risk.live and missing:
            yield Draft(
                "RISK001",
                ("risks", number, "id"),
                f"risk {risk.id} ({risk.title}) is {risk.status} with no {' and no '.join(missing)}; "
                "name who holds it and what is being done about it",
                risk.id,
            )


rule("RISK001", "risk-unanswered", Severity.WARNING, risk_unanswered)


def mitigation_overdue(ctx: Context) -> Iterator[Draft]:
    """An open risk's mitigation was due before the status date.

    What it checks:
        For every open or occurred risk, its mitigation's `due` is on or
        after `enterprise.status_date`.

    Why it matters:
        Lesson 2, the driver: a mitigation past its date is a promise the
        plan no longer keeps, and the risk stays as likely as before.

    Example:
        enterprise: {status_date: 2027-06-30, ...}
        risks:
          - {id: R-DATA, ..., mitigation: {action: Profile the data, due: 2027-03-31}}

    Fix:
        Carry out the mitigation and close or re-rate the risk, or set the
        date it will really be done.

    """
    status = ctx.plan.enterprise.status_date
    for number, risk in enumerate(ctx.plan.risks or []):
        mitigation = risk.mitigation
        if status is None or not risk.live or mitigation is None or mitigation.due is None:
            continue
        if mitigation.due < status:
            yield Draft(
                "RISK002",
                ("risks", number, "mitigation", "due"),
                f"the mitigation of risk {risk.id} ({mitigation.action}) was due {mitigation.due}, "
                f"before the status date {status}; carry it out and re-rate the risk, or set a new date",
                risk.id,
            )


rule("RISK002", "mitigation-overdue", Severity.WARNING, mitigation_overdue)


def decision_overdue(ctx: Context) -> Iterator[Draft]:
    """An open decision was needed before the status date.

    What it checks:
        Every open decision's `needed_by` is on or after
        `enterprise.status_date`. The finding names the stages that wait for
        it: those that list the decision in `depends_on`.

    Why it matters:
        Lesson 2, the driver: a decision not taken holds up every stage
        after it, and the delay is nobody's line in the plan. The board
        should hear which decision is late and what it holds up.

    Example:
        decisions:
          - {id: D-HOSTING, title: Cloud or on-premises, needed_by: 2027-03-31}
        stages:
          - {id: S-INFRA, depends_on: [D-HOSTING], ...}

    Fix:
        Take the decision and record `status: taken`, `taken` and `outcome`,
        or move `needed_by` and say what slips with it.

    """
    status = ctx.plan.enterprise.status_date
    if status is None:
        return
    for number, decision in enumerate(ctx.plan.decisions or []):
        if decision.status != "open" or decision.needed_by is None or decision.needed_by >= status:
            continue
        waiting = [
            stage.id
            for stage in ctx.stages
            if decision.id in stage.depends_on and stage.status not in ("done", "cancelled")
        ]
        held = f"; {_names(waiting)} wait{'s' if len(waiting) == 1 else ''} for it" if waiting else ""
        yield Draft(
            "RISK003",
            ("decisions", number, "needed_by"),
            f"decision {decision.id} ({decision.title}) was needed by {decision.needed_by} and is still "
            f"open at the status date {status}{held}; take it, or move needed_by and say what slips",
            decision.id,
            tuple(waiting),
        )


rule("RISK003", "decision-overdue", Severity.ERROR, decision_overdue)


def issue_overdue(ctx: Context) -> Iterator[Draft]:
    """An open high-severity issue is past its due date.

    What it checks:
        Every open issue of `severity: high` has a `due` on or after
        `enterprise.status_date`.

    Why it matters:
        Lesson 2, the driver: a serious problem left past its date is
        drifting, and the stages it affects drift with it.

    Example:
        issues:
          - {id: I-VENDOR, title: Vendor lost two consultants, severity: high,
             due: 2027-04-15}

    Fix:
        Resolve it and close it, or escalate it and set the date it will be
        resolved.

    """
    status = ctx.plan.enterprise.status_date
    if status is None:
        return
    for number, issue in enumerate(ctx.plan.issues or []):
        if (
            issue.status == "open"
            and issue.severity == "high"
            and issue.due is not None
            and issue.due < status
        ):
            yield Draft(
                "RISK004",
                ("issues", number, "due"),
                f"high-severity issue {issue.id} ({issue.title}) was due {issue.due} and is still open at "
                f"the status date {status}; resolve it, or escalate it and set a new date",
                issue.id,
                tuple(issue.stages),
            )


rule("RISK004", "issue-overdue", Severity.WARNING, issue_overdue)
