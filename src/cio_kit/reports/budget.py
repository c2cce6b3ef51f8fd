"""The budget report: where the money goes, against the limits of Lesson 2.

Quarters are fiscal quarters, counted from ``enterprise.fiscal_year_start``.
A stage's budget is spread over years and quarters by its scheduled days; a
budget line counted in a year is spread evenly over that year's quarters. A
stage serving several goals is split evenly across them, so the goal rows add
up to the stage budgets; the unsplit figure ("what do the stages serving this
goal cost") is kept beside it and is not additive. Plan versus actual compares
like with like: stage actuals against stage budgets, budget lines on their
own. Earned value needs ``status_date`` and is the one of :mod:`cio_kit.analysis.evm`
(against the baseline when one is in use).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cio_kit.analysis.capacity import personnel_estimates
from cio_kit.analysis.evm import EarnedValue
from cio_kit.analysis.spend import CLASSES, Spend, fiscal_quarter_period, fiscal_years, spread
from cio_kit.plan.model import Plan
from cio_kit.rules.context import Context


@dataclass(frozen=True)
class ClassShare:
    """One budget class against its limit."""

    budget_class: str
    """run, grow or transform."""
    amount: float
    """Planned spend."""
    share: float
    """Share of all planned spend."""
    limit: str
    """The limit that applies, e.g. "≤ 70%" (empty when none does)."""
    status: str
    """ok, warning or error."""


@dataclass(frozen=True)
class StageMoney:
    """Plan versus actual for one stage."""

    id: str
    """Stage id."""
    kind: str
    """Stage kind."""
    planned: float
    """Budget."""
    actual: float | None
    """Actual cost, if reported."""
    percent_complete: float
    """Progress."""

    @property
    def overrun(self) -> float:
        """Actual minus planned, when over."""
        return max(0.0, (self.actual or 0.0) - self.planned)


@dataclass(frozen=True)
class BudgetReport:
    """The budget report."""

    plan: str
    """Enterprise name."""
    currency: str
    """Currency of all amounts."""
    total: float
    """All planned spend."""
    envelope: float | None
    """The approved total, if given."""
    classes: tuple[ClassShare, ...]
    """Run / grow / transform against the limits."""
    categories: dict[str, float]
    """Planned spend by category."""
    years: dict[int, dict[str, float]]
    """Planned spend by fiscal year and class."""
    year_envelopes: dict[int, float]
    """Approved envelope per year, where given."""
    quarters: dict[str, float]
    """Planned spend by fiscal quarter, e.g. "2027-Q1"."""
    stages: tuple[StageMoney, ...]
    """Stages with a budget or an actual cost."""
    goals: dict[str, float]
    """Planned spend per goal, each stage split evenly across the goals it serves (additive)."""
    goals_unsplit: dict[str, float]
    """Planned spend of all the stages serving each goal (not additive: stages serve several goals)."""
    no_goal: float
    """Planned spend of stages that serve no goal, so the goal rows add up to ``stage_total``."""
    stage_total: float
    """Budgets of the live stages."""
    capex: float
    """Capital expenditure."""
    opex: float
    """Operating expenditure."""
    revenue_share: dict[int, float]
    """IT spend as a share of revenue, per year (when revenue is given)."""
    earned_value: EarnedValue | None
    """Earned-value figures (when status_date is given), as ``report evm`` computes them."""
    personnel_estimates: dict[str, float] = field(default_factory=dict)
    """Day rate × effort per stage without a personnel line: an estimate, never in any total."""

    @property
    def actual_total(self) -> float:
        """Sum of the stages' actual costs, to compare with ``stage_total``."""
        return sum(stage.actual or 0.0 for stage in self.stages)

    @property
    def lines_total(self) -> float:
        """Planned spend of the budget lines (run costs and other money not tied to a stage)."""
        return self.total - self.stage_total

    @property
    def overruns(self) -> tuple[StageMoney, ...]:
        """Stages that have spent more than planned."""
        return tuple(stage for stage in self.stages if stage.overrun > 0)

    described: str = "the plan as written"
    """The basis the years are spread on, in words (SPEC §16)."""


def budget_report(plan: Plan, ctx: Context | None = None) -> BudgetReport:
    """Compute every figure of the budget report."""
    ctx = ctx or Context(plan)
    schedule = ctx.situation.schedule  # money falls in the years of the plan as it stands (SPEC §16)
    spend = ctx.situation.spend
    classes = _class_shares(spend.whole, ctx.budget_limits)

    categories: dict[str, float] = defaultdict(float)
    capex = opex = 0.0
    goals: dict[str, float] = {goal.id: 0.0 for goal in plan.goals or []}
    goals_unsplit = dict(goals)
    no_goal = stage_total = 0.0
    stages = []
    quarters: dict[str, float] = defaultdict(float)
    quarter_of = fiscal_quarter_period(plan)
    for number, stage in enumerate(plan.stages):
        if not ctx.live(number):
            continue
        for item in stage.budget:
            categories[item.category] += item.amount
            if item.capex:
                capex += item.amount
            else:
                opex += item.amount
        amount = stage.planned_spend
        stage_total += amount
        served = [goal for goal in dict.fromkeys(stage.serves) if goal in goals]
        for goal in served:
            goals[goal] += amount / len(served)
            goals_unsplit[goal] += amount
        if not served:
            no_goal += amount
        if stage.budget or stage.actual_cost is not None:
            stages.append(StageMoney(stage.id, stage.kind, amount, stage.actual_cost, stage.percent_complete))
        if amount:
            for quarter, share in spread(plan, schedule, number, quarter_of).items():
                quarters[quarter] += amount * share
    span = fiscal_years(plan, schedule)
    for line in plan.budget.lines if plan.budget else []:
        counted = span if line.per_year else [line.year] if line.year is not None else span[:1]
        amount = line.amount * max(len(counted), 1)  # counted once without plan_start
        categories[line.category] += amount
        if line.capex:
            capex += amount
        else:
            opex += amount
        for year in counted:
            for q in range(1, 5):
                quarters[f"{year}-Q{q}"] += line.amount / 4

    revenue = plan.enterprise.revenue
    revenue_share = {year: s.total / revenue for year, s in spend.years.items()} if revenue else {}
    return BudgetReport(
        plan=plan.enterprise.name,
        currency=plan.enterprise.currency,
        total=spend.whole.total,
        envelope=plan.budget.total if plan.budget else None,
        classes=classes,
        categories=dict(sorted(categories.items(), key=lambda item: -item[1])),
        years={year: dict(s.by_class) for year, s in spend.years.items()},
        year_envelopes=dict(plan.budget.years or {}) if plan.budget else {},
        quarters=dict(sorted(quarters.items())),
        stages=tuple(stages),
        goals=goals,
        goals_unsplit=goals_unsplit,
        no_goal=no_goal,
        stage_total=stage_total,
        capex=capex,
        opex=opex,
        revenue_share=revenue_share,
        earned_value=ctx.earned_value,
        personnel_estimates=personnel_estimates(plan),
        described=ctx.situation.described,
    )


def _class_shares(whole: Spend, limits: tuple[float, float, float]) -> tuple[ClassShare, ...]:
    """Run, grow and transform: each share of the whole against its limit (SPEC §5, BUDGET002/003)."""
    run_warn, run_error, transform_min = limits
    classes = []
    for budget_class in CLASSES:
        share = whole.share(budget_class)
        limit, status = "", "ok"
        if budget_class == "run":
            limit = f"≤ {run_warn:.0%} (alarm {run_error:.0%})"
            status = "error" if share > run_error else ("warning" if share > run_warn else "ok")
        elif budget_class == "transform":
            limit = f"≥ {transform_min:.0%}"
            status = "warning" if share < transform_min and whole.total > 0 else "ok"
        classes.append(ClassShare(budget_class, whole.by_class[budget_class], share, limit, status))
    return tuple(classes)
