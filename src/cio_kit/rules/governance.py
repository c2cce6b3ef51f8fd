"""Lesson 4, who broke the plate: the same offence gets the same sanction (GOV001–GOV005)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cio_kit.findings import Draft, Severity
from cio_kit.plan.model import Case, StakeholderGroup
from cio_kit.rules.context import Context
from cio_kit.rules.registry import rule


def policy_exemption(ctx: Context) -> Iterator[Draft]:
    """The discipline policy does not apply to everyone.

    What it checks:
        `governance.policy.applies_to` is `all`; anything else is an exemption.

    Why it matters:
        Lesson 4, who broke the plate: a policy that spares some ranks
        teaches everyone that informatization is optional for those who
        matter, and the staff it does apply to will see it as unfair.

    Example:
        governance:
          policy: {applies_to: staff}

    Fix:
        Make the policy apply to all, executives and managers included.

    """
    governance = ctx.plan.governance
    policy = governance.policy if governance else None
    if policy is None or policy.applies_to is None:
        return
    if policy.applies_to.strip().lower() != "all":
        yield Draft(
            "GOV001",
            ("governance", "policy", "applies_to"),
            f"the discipline policy applies to '{policy.applies_to}', not all; "
            "the same rules must bind every rank",
        )


rule("GOV001", "policy-exemption", Severity.ERROR, policy_exemption)


@dataclass(frozen=True)
class _Record:
    """A case or a stats row, in file order."""

    loc: tuple[str | int, ...]
    label: str
    offence: str
    occurrence: int
    sanction: str
    weight: int
    rank: str
    decided: dt.date | None


def _records(ctx: Context) -> list[_Record]:
    governance = ctx.plan.governance
    if governance is None:
        return []
    cases = [
        _Record(
            ("governance", "cases", n),
            case.id or f"case {n + 1}",
            case.offence,
            case.occurrence,
            case.sanction,
            1,
            case.rank,
            case.decided,
        )
        for n, case in enumerate(governance.cases)
    ]
    stats = [
        _Record(
            ("governance", "sanction_stats", n),
            f"sanction_stats[{n}]",
            row.offence,
            row.occurrence,
            row.sanction,
            row.count,
            row.rank,
            row.first_decided,
        )
        for n, row in enumerate(governance.sanction_stats)
    ]
    # "First in the file" decides ties: whichever list the file writes first.
    raw = ctx.data.get("governance") if isinstance(ctx.data, dict) else None
    keys = list(raw) if isinstance(raw, dict) else []
    if "sanction_stats" in keys and "cases" in keys and keys.index("sanction_stats") < keys.index("cases"):
        return stats + cases
    return cases + stats


def _norm(sanction: str) -> str:
    return " ".join(sanction.lower().split())


def _ordinal(number: int) -> str:
    suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _ladder(ctx: Context) -> dict[str, list[str]]:
    """Each offence that is judged by its ladder (not gross, with a ladder): its steps, normalised."""
    governance = ctx.plan.governance
    return {
        offence.id: [_norm(step) for step in offence.ladder]
        for offence in (governance.offences if governance else [])
        if offence.severity != "gross" and offence.ladder
    }


def _step(ladder: list[str], occurrence: int) -> int:
    """The ladder's step for the n-th occurrence (the last step beyond its end)."""
    return min(occurrence, len(ladder)) - 1


def unequal_sanctions(ctx: Context) -> Iterator[Draft]:
    """The same offence at the same occurrence got a lighter sanction than the published one.

    What it checks:
        For an offence that is not gross and has a ladder, the reference
        sanction of the n-th occurrence is the ladder's n-th step (the last
        step beyond its end); every case or sanction_stats row with a
        sanction lower on the ladder is a finding (a harsher or off-ladder
        one is GOV003's). For an offence without a ladder, or a gross one,
        the reference is the most common sanction for that occurrence across
        cases and rows (weighted by count; on a tie, the first in the file),
        and every other sanction is a finding.

    Why it matters:
        Lesson 4 and the hot-stove rule of discipline: the stove burns
        everyone who touches it, immediately and the same way. A manager
        coached where the ladder says a warning, and clerks got the warning,
        is the lenient decision; the clerks got what was published. Taking
        the most common sanction as the reference would make the fair
        decision the offender whenever superiors are let off more often.

    Example:
        offences: [{id: OFF-REFUSE, ladder: [coaching, verbal-warning, written-warning]}]
        cases:
          - {offence: OFF-REFUSE, rank: staff, occurrence: 2, sanction: verbal-warning, ...}
          - {offence: OFF-REFUSE, rank: manager, occurrence: 2, sanction: coaching, ...}   # the finding

    Fix:
        Review the lenient decision through the appeal channel, and apply
        the ladder the same way at every rank.

    """
    ladders = _ladder(ctx)
    groups: dict[tuple[str, int], list[_Record]] = defaultdict(list)
    for record in _records(ctx):
        groups[(record.offence, record.occurrence)].append(record)
    for (offence, occurrence), records in groups.items():
        ladder = ladders.get(offence)
        if ladder is not None:
            step = _step(ladder, occurrence)
            for record in records:
                sanction = _norm(record.sanction)
                if sanction in ladder and ladder.index(sanction) < step:
                    yield Draft(
                        "GOV002",
                        record.loc,
                        f"{record.label} ({record.rank}, {_ordinal(occurrence)} {offence}) got "
                        f"'{record.sanction}' where the ladder of {offence} sets '{ladder[step]}' for a "
                        f"{_ordinal(occurrence)} occurrence; same offence, same sanction at every rank",
                        record.label if record.loc[1] == "cases" else None,
                        (offence,),
                    )
            continue
        weights: dict[str, int] = {}
        for record in records:
            weights[_norm(record.sanction)] = weights.get(_norm(record.sanction), 0) + record.weight
        if len(weights) < 2:
            continue
        # max() keeps the first of equal weights, and dicts keep file order.
        reference = max(weights, key=lambda sanction: weights[sanction])
        total = sum(weights.values())
        for record in records:
            if _norm(record.sanction) != reference:
                yield Draft(
                    "GOV002",
                    record.loc,
                    f"{record.label} ({record.rank}, {_ordinal(occurrence)} {offence}) got "
                    f"'{record.sanction}' where the same offence got '{reference}' in {weights[reference]} "
                    f"of {total} decisions; same offence, same sanction at every rank",
                    record.label if record.loc[1] == "cases" else None,
                    (offence,),
                )


rule("GOV002", "unequal-sanctions", Severity.ERROR, unequal_sanctions)


def sanction_off_policy(ctx: Context) -> Iterator[Draft]:
    """A sanction was decided before the policy was published, or goes beyond its ladder.

    What it checks:
        Every case (and sanction_stats row, by first_decided) is decided on
        or after `governance.policy.published`. For an offence that is not
        gross, the n-th occurrence allows sanctions up to ladder[n-1] (the
        last step beyond the ladder's end), and the sanction is on the ladder.

    Why it matters:
        Lesson 4: sanctions are published before they are applied. Punishing
        under an unpublished rule, or harder than the ladder allows, is what
        turns discipline into a grievance.

    Example:
        offences: [{id: OFF-REFUSE, severity: minor, ladder: [coaching, verbal-warning, written-warning]}]
        cases: [{offence: OFF-REFUSE, occurrence: 1, sanction: written-warning, ...}]

    Fix:
        Decide sanctions only under the published policy and by its ladder;
        review the outliers through the appeal channel.

    """
    governance = ctx.plan.governance
    if governance is None:
        return
    published = governance.policy.published if governance.policy else None
    offences = {offence.id: offence for offence in governance.offences}
    for record in _records(ctx):
        problems = []
        if published is not None and record.decided is not None and record.decided < published:
            problems.append(
                f"was decided on {record.decided}, before the policy was published on {published}"
            )
        offence = offences.get(record.offence)
        if offence is not None and offence.severity != "gross" and offence.ladder:
            ladder = [_norm(step) for step in offence.ladder]
            allowed = min(record.occurrence, len(ladder)) - 1
            sanction = _norm(record.sanction)
            if sanction not in ladder:
                problems.append(f"'{record.sanction}' is not on the ladder of {offence.id}")
            elif ladder.index(sanction) > allowed:
                problems.append(
                    f"'{record.sanction}' goes beyond '{offence.ladder[allowed]}', the most the ladder of "
                    f"{offence.id} allows for a {_ordinal(record.occurrence)} occurrence"
                )
        if problems:
            yield Draft(
                "GOV003",
                record.loc,
                f"{record.label} {'; and '.join(problems)}; apply the published ladder",
                record.label if record.loc[1] == "cases" else None,
                (record.offence,),
            )


rule("GOV003", "sanction-off-policy", Severity.WARNING, sanction_off_policy)


def counselling_missing(ctx: Context) -> Iterator[Draft]:
    """Sanctions are not paired with counselling for those who need it.

    What it checks:
        A plan with `governance` has a counselling provision
        (`governance.policy.counselling`), and every group with cases, with
        resistant engagement, or whose role is eliminated is covered: the
        policy offers counselling to it, or it has a counselling action.

    Why it matters:
        Lesson 4: sanctions come paired with counselling. People who resist
        or lose their role usually fear something; counselling is how the
        organisation listens before it punishes.

    Example:
        governance:
          policy: {published: 2027-01-15, applies_to: all}    # no counselling
        stakeholders: [{id: SG-CLERKS, engagement: {current: resistant, desired: supportive}}]

    Fix:
        Offer counselling (e.g. an employee assistance programme) to the
        groups concerned.

    """
    governance = ctx.plan.governance
    if governance is None:
        return
    counselling = governance.policy.counselling if governance.policy else None
    if counselling is None:
        yield Draft(
            "GOV004",
            ("governance", "policy"),  # at governance when no policy is written
            "the discipline policy offers no counselling; pair sanctions with counselling "
            "(e.g. an employee assistance programme)",
        )
    offered = set(counselling.offered_to) if counselling else set()
    with_cases = {case.group for case in governance.cases if case.group}
    for number, group in enumerate(ctx.plan.stakeholders or []):
        reasons = []
        if group.id in with_cases:
            reasons.append("has disciplinary cases")
        if group.engagement is not None and group.engagement.current == "resistant":
            reasons.append("is resistant")
        if group.role_impact == "eliminated":
            reasons.append("loses its role")
        if not reasons or group.id in offered or ctx.has_action(group, ("counselling",)):
            continue
        yield Draft(
            "GOV004",
            ("stakeholders", number),
            f"{group.id} {' and '.join(reasons)} but is offered no counselling; "
            "add it to the policy's offered_to or plan a counselling action",
            group.id,
        )


rule("GOV004", "counselling-missing", Severity.WARNING, counselling_missing)


_SUPERIORS = ("executive", "manager")


def rank_skew(ctx: Context) -> Iterator[Draft]:
    """Superiors are let off: lighter sanctions, or fewer cases per head, than staff.

    What it checks:
        Per offence, two independent triggers. First: for an occurrence
        decided for more than one rank, executives or managers got a
        sanction lower on the offence's ladder than staff got for it, or
        than the ladder's step, in at least one decision. Second: when
        stakeholder groups have a `headcount` and cases name their group,
        staff have more than three times the cases per head of managers and
        executives together, with at least 5 such cases of the offence.

    Why it matters:
        Lesson 4, who broke the plate: "turning a blind eye to superiors".
        One lenient decision is a GOV002 finding; a pattern by rank is what
        staff see, and it tells them the policy is for them alone. Cases per
        head catch the blind eye that never opens a case at all.

    Example:
        offences: [{id: OFF-REFUSE, ladder: [coaching, verbal-warning]}]
        cases:
          - {offence: OFF-REFUSE, rank: staff, occurrence: 2, sanction: verbal-warning, ...}
          - {offence: OFF-REFUSE, rank: executive, occurrence: 2, sanction: coaching, ...}

    Fix:
        Review the superiors' decisions through the appeal channel; open the
        cases the policy calls for at every rank.

    """
    governance = ctx.plan.governance
    if governance is None:
        return
    ladders = _ladder(ctx)
    records = _records(ctx)
    groups = {group.id: group for group in ctx.plan.stakeholders or []}
    for number, offence in enumerate(governance.offences):
        ladder = ladders.get(offence.id)
        decided = [r for r in records if r.offence == offence.id]
        reasons = _lenient_to_superiors(ladder, decided) if ladder is not None else []
        rates = _cases_per_head(offence.id, governance.cases, groups)
        if rates is not None:
            reasons.append(rates)
        if reasons:
            yield Draft(
                "GOV005",
                ("governance", "offences", number),
                f"{offence.id}: {'; '.join(reasons)}; the same offence must get the same sanction "
                "at every rank",
                offence.id,
            )


def _lenient_to_superiors(ladder: list[str], records: list[_Record]) -> list[str]:
    """For each occurrence decided for several ranks, the superiors' decisions below staff or the ladder."""
    found = []
    by_occurrence: dict[int, list[_Record]] = defaultdict(list)
    for record in records:
        by_occurrence[record.occurrence].append(record)
    for occurrence, decided in sorted(by_occurrence.items()):
        if len({record.rank for record in decided}) < 2:
            continue
        step = _step(ladder, occurrence)
        staff = [
            ladder.index(_norm(r.sanction))
            for r in decided
            if r.rank == "staff" and _norm(r.sanction) in ladder
        ]
        bar = max([step, *staff])
        lighter: dict[tuple[str, str], int] = defaultdict(int)
        for record in decided:
            sanction = _norm(record.sanction)
            if record.rank in _SUPERIORS and sanction in ladder and ladder.index(sanction) < bar:
                lighter[(record.rank, record.sanction)] += record.weight
        if not lighter:
            continue
        who = ", ".join(f"{rank} '{sanction}' ×{count}" for (rank, sanction), count in lighter.items())
        staff_got: Counter[str] = Counter()
        for r in decided:
            if r.rank == "staff":
                staff_got[r.sanction] += r.weight
        against = (
            "staff got "
            + ", ".join(f"'{sanction}' ×{count}" for sanction, count in staff_got.items())
            + " and "
            if staff_got
            else ""
        )
        found.append(
            f"{_ordinal(occurrence)} occurrence: {who}, where {against}the ladder sets '{ladder[step]}'"
        )
    return found


def _cases_per_head(offence: str, cases: Sequence[Case], groups: dict[str, StakeholderGroup]) -> str | None:
    """Staff cases per head against superiors', when groups have headcounts and cases name them."""
    heads = {"staff": 0, "superiors": 0}
    for group in groups.values():
        if group.headcount and group.level is not None:
            heads["staff" if group.level == "staff" else "superiors"] += group.headcount
    counted = {"staff": 0, "superiors": 0}
    for case in cases:
        if case.offence != offence or case.group is None:
            continue
        named = groups.get(case.group)
        if named is None or not named.headcount or named.level is None:
            continue
        counted["staff" if case.rank == "staff" else "superiors"] += 1
    if sum(counted.values()) < 5 or not heads["staff"] or not heads["superiors"]:
        return None
    staff_rate = counted["staff"] / heads["staff"]
    superior_rate = counted["superiors"] / heads["superiors"]
    if staff_rate <= 3 * superior_rate:
        return None
    return (
        f"staff have {counted['staff']} cases for {heads['staff']} people ({staff_rate:.3f} a head), "
        f"managers and executives {counted['superiors']} for {heads['superiors']} ({superior_rate:.3f} a "
        "head): staff are pursued more than three times as often"
    )


rule("GOV005", "rank-skew", Severity.WARNING, rank_skew)
