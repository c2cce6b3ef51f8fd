"""Lesson 2, the driver: where the money goes (BUDGET001–BUDGET006)."""

from __future__ import annotations

from collections.abc import Iterator

from cio_kit.analysis.spend import Spend
from cio_kit.findings import Draft, Severity
from cio_kit.money import money
from cio_kit.plan.model import FUNDED_KINDS
from cio_kit.rules.context import Context
from cio_kit.rules.registry import rule


def _scopes(ctx: Context) -> Iterator[tuple[tuple[str | int, ...], str, Spend, float | None]]:
    """(location, label, spend, cap) for the whole plan and, with budget.years, each year."""
    budget = ctx.plan.budget
    if budget is None:  # the callers check; without a budget section there is nothing to scope
        return
    spend = ctx.situation.written_spend
    # At budget.total, or at budget when no total is written.
    yield ("budget", "total"), "the plan", spend.whole, budget.total
    if budget.years is not None:
        for year, year_spend in spend.years.items():
            yield ("budget", "years", year), f"fiscal year {year}", year_spend, budget.years.get(year)


def over_budget(ctx: Context) -> Iterator[Draft]:
    """Planned spend exceeds the approved envelope, for the plan or for a year.

    What it checks:
        Stage budgets plus budget lines do not exceed `budget.total`; with
        `budget.years`, each fiscal year's planned spend does not exceed that
        year's envelope. Stage budgets fall into years in proportion to their
        scheduled days; `per_year` lines count in every year.

    Why it matters:
        Lesson 2: the CIO owns investment planning. A plan that spends more
        than was approved will be cut by someone else, usually where it hurts
        most (training and change management).

    Example:
        budget:
          total: 10000000
        # stage budgets and lines add up to 12,400,000

    Fix:
        Cut or phase the spend, or get the envelope raised before the plan
        is presented.

    """
    if ctx.plan.budget is None:
        return
    currency = ctx.plan.enterprise.currency
    for loc, label, spend, cap in _scopes(ctx):
        if cap is not None and spend.total > cap + 0.005:
            yield Draft(
                "BUDGET001",
                loc,
                f"planned spend for {label} is {money(spend.total, currency)}, over the approved "
                f"{money(cap, currency)} by {money(spend.total - cap, currency)}; cut or phase the spend",
            )


rule("BUDGET001", "over-budget", Severity.ERROR, over_budget)


def run_share_high(ctx: Context) -> Iterator[Draft]:
    """Too much of the spend goes to running what exists.

    What it checks:
        The run share of planned spend (Gartner's run / grow / transform
        split) is at most `run_warn` (70%, a warning above it) and
        `run_error` (80%, an error above it), for the plan and for each
        budget year. A plan's `budget.limits` override the configuration.

    Why it matters:
        Lesson 2: a CIO whose budget is mostly run cost is "a driver chasing
        his own bus" — keeping the lights on leaves nothing to move the
        enterprise forward.

    Example:
        budget:
          lines:
            - {id: B-OPS, amount: 9000000, per_year: true, class: run, category: maintenance}

    Fix:
        Retire or consolidate legacy run cost, or rebalance towards grow and
        transform; record deliberate exceptions in `budget.limits`.

    """
    if ctx.plan.budget is None:
        return
    run_warn, run_error, _ = ctx.budget_limits
    for loc, label, spend, _cap in _scopes(ctx):
        share = spend.share("run")
        if share > run_error:
            severity, limit = Severity.ERROR, run_error
        elif share > run_warn:
            severity, limit = Severity.WARNING, run_warn
        else:
            continue
        yield Draft(
            "BUDGET002",
            loc,
            f"run is {share:.0%} of planned spend for {label}, above {limit:.0%}; the CIO is chasing "
            "the bus — move money to grow and transform or retire run cost",
            severity=severity,
        )


rule("BUDGET002", "run-share-high", Severity.WARNING, run_share_high)


def transform_share_low(ctx: Context) -> Iterator[Draft]:
    """Too little of the spend transforms the business.

    What it checks:
        The transform share of planned spend is at least `transform_min`
        (10%), for the plan and for each budget year.

    Why it matters:
        Lesson 2: informatization that only runs and grows the existing
        business never changes how it works; without transform money the
        process redesigns of Lesson 3 have no budget.

    Example:
        # every budget item is class run or grow

    Fix:
        Fund the process redesign and change work as transform.

    """
    if ctx.plan.budget is None:
        return
    _, _, transform_min = ctx.budget_limits
    for loc, label, spend, _cap in _scopes(ctx):
        share = spend.share("transform")
        if spend.total > 0 and share < transform_min:
            yield Draft(
                "BUDGET003",
                loc,
                f"transform is {share:.0%} of planned spend for {label}, below {transform_min:.0%}; "
                "fund the redesign and change work that transforms the business",
            )


rule("BUDGET003", "transform-share-low", Severity.WARNING, transform_share_low)


def stage_unfunded(ctx: Context) -> Iterator[Draft]:
    """A stage that needs money has none, or has money and no owner.

    What it checks:
        Every system-rollout, system-build, infrastructure and data-migration
        stage has a budget item, and every stage with a budget has an owner. Cancelled
        stages are exempt.

    Why it matters:
        Lesson 2: resource allocation is the CIO's duty. Unfunded delivery
        stages are how a plan looks cheaper than it is; money without an
        accountable owner is money nobody steers.

    Example:
        - {id: S-MIGRATION, kind: data-migration, duration_weeks: 8}   # no budget

    Fix:
        Add the budget items, and name the owner accountable for them.

    """
    for number, stage in enumerate(ctx.stages):
        if not ctx.live(number):
            continue
        if stage.kind in FUNDED_KINDS and not stage.budget:
            message = f"{stage.id} ({stage.kind}) has no budget; add the money it needs"
        elif stage.budget and not stage.owner:
            message = f"{stage.id} has a budget but no owner; name who is accountable for the money"
        else:
            continue
        yield Draft("BUDGET004", ("stages", number), message, stage.id)


rule("BUDGET004", "stage-unfunded", Severity.WARNING, stage_unfunded)


def stage_overspent(ctx: Context) -> Iterator[Draft]:
    """A stage has spent more than its budget.

    What it checks:
        A stage's `actual_cost` is not above the sum of its budget items.
        Cancelled stages are exempt.

    Why it matters:
        Lesson 2: the driver watches the fuel. Overruns caught per stage can
        still be managed; caught at year end they become a credibility
        problem for the whole programme.

    Example:
        - {id: S-DC, budget: [{amount: 1000000, ...}], actual_cost: 1250000, ...}

    Fix:
        Re-plan the stage's budget with the sponsor, or explain the overrun.

    """
    currency = ctx.plan.enterprise.currency
    for number, stage in enumerate(ctx.stages):
        if not ctx.live(number) or stage.actual_cost is None:
            continue
        planned = stage.planned_spend
        if stage.actual_cost > planned + 0.005:
            yield Draft(
                "BUDGET005",
                ("stages", number),
                f"{stage.id} has spent {money(stage.actual_cost, currency)} against a budget of "
                f"{money(planned, currency)} ({money(stage.actual_cost - planned, currency)} over); "
                "re-plan its budget or explain the overrun",
                stage.id,
            )


rule("BUDGET005", "stage-overspent", Severity.WARNING, stage_overspent)


def people_spend_low(ctx: Context) -> Iterator[Draft]:
    """Too little is spent on training and change management beside the rollouts.

    What it checks:
        Spend in the `training` and `change-management` categories (stage
        budgets and budget lines) is at least 10% of the spend of
        system-rollout stages.

    Why it matters:
        Lessons 1 and 2: systems are bought, adoption is not. Staff who fear
        extra data entry and retraining need the training and the change
        work, and that work needs money.

    Example:
        # system rollouts cost 20,000,000; training 500,000; change management 0

    Fix:
        Budget training and change management with the rollouts they serve.

    """
    rollout = 0.0
    people = 0.0
    for number, stage in enumerate(ctx.stages):
        if not ctx.live(number):
            continue
        if stage.kind == "system-rollout":
            rollout += stage.planned_spend
        people += sum(i.amount for i in stage.budget if i.category in ("training", "change-management"))
    for line in ctx.plan.budget.lines if ctx.plan.budget else []:
        if line.category in ("training", "change-management"):
            people += line.amount
    if people < 0.10 * rollout:  # never with no rollout spend: people's money is not negative
        currency = ctx.plan.enterprise.currency
        yield Draft(
            "BUDGET006",
            ("budget",) if ctx.plan.budget is not None else ("stages",),
            f"training and change management get {money(people, currency)}, "
            f"{people / rollout:.0%} of the {money(rollout, currency)} for system rollouts (at least 10% "
            "is needed); budget the people side of the rollouts",
        )


rule("BUDGET006", "people-spend-low", Severity.WARNING, people_spend_low)


def cost_performance_low(ctx: Context) -> Iterator[Draft]:
    """Earned value shows the money running out: CPI below the thresholds, or the EAC range over the envelope.

    What it checks:
        With a status_date: the cost performance index CPI = EV / AC. A
        warning below `cpi_warn` (0.95 by default), an error below
        `cpi_error` (0.90): the same thresholds colour the board's cost tile
        and `portfolio report` amber and red (set them in cio-kit.yaml).
        And the range of the estimates at completion (SPEC §18): EAC(CPI) =
        BAC / CPI, the composite AC + (BAC − EV) / (CPI × SPI(t)), and
        bottom-up AC + (BAC − EV), each plus the planned spend of the budget
        lines, against `budget.total`: a warning when the highest is over the
        envelope, an error when even the lowest is. With no money baselined,
        or a status date on or before day 0, there is nothing to measure and
        the rule is silent. `cio-kit report evm` shows every figure.

    Why it matters:
        Lesson 2: the CIO owns investment planning. At CPI 0.8 every unit of
        money buys 80 % of the work planned for it; the plan as written still
        fits the envelope, the plan as it stands does not. The board should
        hear that from the CIO before the money runs out.

    Example:
        # EV 4.2M against AC 5.6M: CPI 0.75
        # or: EAC 8.1M..9.4M with budget lines against a budget.total of 9.0M

    Fix:
        Find where the overrun comes from (`cio-kit report evm` per stage),
        cut scope or raise the envelope with the board's approval.

    """
    figures = ctx.earned_value
    if figures is None:
        return
    budget = ctx.plan.budget
    at: tuple[str | int, ...] = (
        ("budget", "total") if budget and budget.total is not None else ("enterprise", "status_date")
    )
    currency = ctx.plan.enterprise.currency
    cpi = figures.cpi
    if cpi is not None and cpi < ctx.thresholds.cpi_warn:
        red = cpi < ctx.thresholds.cpi_error
        limit = ctx.thresholds.cpi_error if red else ctx.thresholds.cpi_warn
        yield Draft(
            "BUDGET007",
            at,
            f"CPI is {cpi:.2f} at {figures.status_date} (below {limit:.2f}): "
            f"{money(figures.ac, currency)} spent for {money(figures.ev, currency)} of work; "
            "find the overrunning stages in `cio-kit report evm` and cut scope or raise the envelope",
            severity=Severity.ERROR if red else Severity.WARNING,
        )
    if budget is None or budget.total is None or not figures.measurable:
        return
    stages = sum(stage.planned_spend for stage in ctx.stages)
    lines = ctx.situation.written_spend.whole.total - stages
    methods = figures.eac_methods
    low = min(methods, key=lambda method: methods[method])
    high = max(methods, key=lambda method: methods[method])
    worst = high if methods[high] + lines > budget.total + 0.005 else None
    if worst is None:
        return
    over_at_best = methods[low] + lines > budget.total + 0.005
    shown = low if over_at_best else high
    forecast = methods[shown] + lines
    yield Draft(
        "BUDGET007",
        at,
        f"the estimate at completion is {money(methods[low] + lines, currency)}.."
        f"{money(methods[high] + lines, currency)} with budget lines; "
        + (f"even the lowest ({low})" if over_at_best else f"the highest ({high})")
        + f" is over the approved {money(budget.total, currency)} by "
        f"{money(forecast - budget.total, currency)}; cut scope or raise the envelope",
        severity=Severity.ERROR if over_at_best else Severity.WARNING,
    )


rule("BUDGET007", "cost-performance-low", Severity.WARNING, cost_performance_low)
