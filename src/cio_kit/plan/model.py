"""The plan format, version 1 (SPEC §2), as pydantic v2 models.

These models are the only schema source: validation, the editor JSON Schema
and every rule read them. They are strict on purpose — a number field takes a
number, a date field a ``YYYY-MM-DD`` date, and unknown keys are errors — so a
typo in a plan cannot pass silently. Free-text fields accept any scalar as
text (``title: 2027`` is the text ``2027``).

Checks that span fields (a milestone with a duration, a time split that does
not add up to 100, dates without ``plan_start``) live in :mod:`cio_kit.plan.checks`
so that each finding can point at the exact field concerned.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def exact(number: float) -> Fraction | int:
    """A number as written, exactly: ``1.1`` is 11/10, not the nearest binary float."""
    if number.is_integer():
        return int(number)
    # repr() gives the shortest text that reads back as the same float, which
    # is the text the planner wrote.
    return Fraction(Decimal(repr(number)))


def _as_date(value: object) -> object:
    """Accept only a ``YYYY-MM-DD`` string (or a date) as a date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a real calendar date") from None
    raise ValueError("expected a date written as YYYY-MM-DD")


def _as_text(value: object) -> object:
    """Free text takes any scalar as written: ``2027`` is the text ``2027``."""
    written = getattr(value, "written", None)
    if isinstance(written, str):
        return written
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1)]
#: A stage of this plan, or of another plan of the portfolio as ``plan:STAGE`` (SPEC §12).
StageRef = Annotated[str, Field(pattern=r"^([A-Za-z][A-Za-z0-9_.-]*:)?[A-Za-z][A-Za-z0-9_.-]*$")]
# Editors see what a plan may hold: free text is any scalar, a date a YYYY-MM-DD string.
Text = Annotated[str, BeforeValidator(_as_text, json_schema_input_type=str | int | float | bool)]
Date = Annotated[dt.date, BeforeValidator(_as_date, json_schema_input_type=dt.date)]
#: SPEC §15 bounds: no real plan needs more, and beyond them dates and sums stop being meaningful.
MAX_AMOUNT = 10**15
MAX_WEEKS = 5200
Amount = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Weeks = Annotated[float, Field(gt=0, le=MAX_WEEKS, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1, le=MAX_AMOUNT)]
Score = Annotated[int, Field(ge=1, le=5)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
#: People and person-days (SPEC §11): positive, and bounded like amounts.
People = Annotated[float, Field(gt=0, le=MAX_AMOUNT, allow_inf_nan=False)]
PersonDays = Annotated[float, Field(gt=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

StageKind = Literal[
    "process-redesign",
    "system-rollout",
    "system-build",
    "infrastructure",
    "data-migration",
    "training",
    "change-management",
    "governance",
    "operations",
    "milestone",
]
FUNDED_KINDS: tuple[str, ...] = ("system-rollout", "system-build", "infrastructure", "data-migration")
"""Stage kinds that cannot be delivered without money of their own (BUDGET004, readiness)."""
BudgetClass = Literal["run", "grow", "transform"]
BudgetCategory = Literal[
    "hardware",
    "software",
    "services",
    "personnel",
    "training",
    "change-management",
    "process-redesign",
    "maintenance",
    "other",
]
Status = Literal["planned", "in-progress", "done", "blocked", "cancelled"]
Concern = Literal["extra-data-entry", "retraining", "job-loss", "loss-of-status", "workload", "other"]
EngagementLevel = Literal["unaware", "resistant", "neutral", "supportive", "leading"]
ActionType = Literal["briefing", "training", "reassignment", "transfer", "counselling", "reward"]
Rank = Literal["executive", "manager", "staff"]
RoleImpact = Literal["none", "changed", "eliminated"]
OffenceSeverity = Literal["minor", "major", "gross"]

DUTIES: tuple[str, ...] = (
    "strategy",
    "resource_allocation",
    "coordination",
    "hardware_selection",
    "investment_planning",
    "maintenance",
    "upgrades",
)
"""The seven CIO duties of Lesson 2, in the order the plan format lists them."""


class Model(BaseModel):
    """Base of every plan model: strict types, unknown keys rejected, null = absent."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        populate_by_name=False,
    )

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        return without_nulls(data)


def without_nulls(data: Any) -> Any:
    """A mapping without its nulls: `null` is absent (SPEC §9), so `actual_start: null` is the default."""
    if isinstance(data, dict) and None in data.values():
        return {key: value for key, value in data.items() if value is not None}
    return data


class Measurement(Model):
    """A KPI's value on a date (SPEC §13)."""

    date: Date
    """When it was measured."""
    value: float = Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)
    """The value measured."""


class Kpi(Model):
    """A key performance indicator with its baseline and target."""

    name: Text
    """What is measured, e.g. ``cost_per_order``."""
    unit: Text | None = None
    """Unit of measure, e.g. ``CNY`` or ``days``."""
    baseline: float | None = Field(default=None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)
    """The value today."""
    target: float | None = Field(default=None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)
    """The value the plan aims for."""
    measurements: list[Measurement] = Field(default_factory=list)
    """Dated measurements of the KPI (SPEC §13)."""

    @property
    def latest(self) -> Measurement | None:
        """The most recent measurement (the last written, of those on the latest date)."""
        return max(reversed(self.measurements), key=lambda m: m.date, default=None)


class Benefit(Model):
    """What a goal is worth once its stages deliver (SPEC §13)."""

    value_per_year: Amount
    """Benefit per year, in the plan's currency."""
    starts: Date | None = None
    """The first day of the benefit."""
    starts_after: Id | None = None
    """Or: the stage after whose last day the benefit starts."""
    years: float = Field(default=5, gt=0, le=100, allow_inf_nan=False)
    """How many years the benefit lasts."""
    ramp_months: float = Field(default=0, ge=0, le=1200, allow_inf_nan=False)
    """Months over which the benefit rises linearly from 0 to ``value_per_year`` once it starts (SPEC §18)."""


class Enterprise(Model):
    """The enterprise whose informatization the plan drives."""

    name: Text
    """Name of the enterprise; shown on every report."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    """ISO 4217 currency code of every amount in the plan."""
    revenue: Amount | None = None
    """Annual revenue, for the IT-spend ratio."""
    fiscal_year_start: Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")] = "01-01"
    """First day of the fiscal year as MM-DD."""
    plan_start: Date | None = None
    """Day 0 of the roadmap; dates in the schedule count from here."""
    status_date: Date | None = None
    """"Today" for progress, forecasts and staleness checks."""
    departments: list[Text] | None = None
    """Departments of the enterprise; when given, stage departments must be among them."""
    calendar: Id | None = None
    """The working calendar of resources that name none (SPEC §11)."""
    discount_rate: Share = 0.08
    """The rate benefits and costs are discounted at, a share a year (SPEC §13)."""


class Goal(Model):
    """An enterprise goal that informatization serves."""

    id: Id
    """Unique id, e.g. ``G-COST``."""
    title: Text | None = None
    """The goal in a sentence."""
    kpi: Kpi | None = None
    """How achievement is measured."""
    due: Date | None = None
    """When the goal must be met (needs ``enterprise.plan_start``)."""
    weight: float = Field(default=1, ge=0, le=MAX_AMOUNT, allow_inf_nan=False)
    """The goal's value when deciding what to keep under a budget cut (SPEC §12)."""
    benefit: Benefit | None = None
    """What the goal is worth a year once delivered (SPEC §13)."""


class Process(Model):
    """A business process that stages redesign or automate."""

    id: Id
    """Unique id, e.g. ``P-O2C``."""
    name: Text | None = None
    """Name of the process, e.g. Order to cash."""
    owner: Text | None = None
    """The business owner of the process."""
    kpis: list[Kpi] = Field(default_factory=list)
    """Process KPIs with baseline and target."""


class Phase(Model):
    """A phase of the plan, grouping stages under one objective."""

    id: Id
    """Unique id, e.g. ``PH-1``."""
    title: Text | None = None
    """Short name of the phase."""
    objective: Text | None = None
    """What the phase must achieve."""
    exit_criteria: list[Text] = Field(default_factory=list)
    """Conditions for closing the phase."""


class Estimate(Model):
    """A three-point duration estimate in weeks (drives the Monte Carlo)."""

    optimistic: Weeks
    """Best case, in weeks."""
    likely: Weeks
    """Most likely, in weeks."""
    pessimistic: Weeks
    """Worst case, in weeks."""

    @property
    def pert_mean(self) -> Fraction:
        """(o + 4m + p) / 6, computed exactly from the numbers as written."""
        o, m, p = (exact(x) for x in (self.optimistic, self.likely, self.pessimistic))
        return Fraction(o + 4 * m + p) / 6


class BudgetItem(Model):
    """Money planned for a stage."""

    amount: Amount
    """Amount in the plan's currency."""
    budget_class: BudgetClass = Field(alias="class")
    """Gartner's run / grow / transform class."""
    category: BudgetCategory
    """What the money buys."""
    capex: bool = False
    """True for capital expenditure, false for operating expenditure."""


class HolidayRange(Model):
    """Days off from ``from`` to ``to``, both included."""

    start: Date = Field(alias="from")
    """The first day off."""
    to: Date
    """The last day off."""
    name: Text | None = None
    """What the days are, e.g. National Day."""


class Calendar(Model):
    """Working days: weekdays, less holidays, plus official working weekends (SPEC §11)."""

    id: Id
    """Unique id, e.g. ``CAL-CN``."""
    workdays: list[Weekday] = ["mon", "tue", "wed", "thu", "fri"]
    """Weekdays that are working days."""
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    """ISO 3166 country whose public holidays are days off (from the ``holidays`` library)."""
    holidays: list[Date | HolidayRange] = Field(default_factory=list)
    """Further days off: single dates or ranges."""
    working_days: list[Date] = Field(default_factory=list)
    """Days worked whatever else applies, e.g. an official working weekend."""


class Resource(Model):
    """A team or a person whose time stages need (SPEC §11)."""

    id: Id
    """Unique id, e.g. ``R-ERP``."""
    name: Text | None = None
    """What the resource is, e.g. ERP implementation team."""
    capacity: People = 1
    """Full-time people on each working day."""
    calendar: Id | None = None
    """The resource's working calendar (else ``enterprise.calendar``; else every day)."""
    department: Text | None = None
    """The department the people belong to."""
    day_rate: Amount | None = None
    """Cost of one person-day, for the personnel estimate."""


class Stage(Model):
    """An implementation stage (work package) of the roadmap."""

    id: Id
    """Unique id, e.g. ``S-O2C-REDESIGN``."""
    title: Text
    """What the stage does."""
    kind: StageKind
    """The kind of work; ``milestone`` has no duration. ``system-build`` builds, configures or tests a
    system before it goes live: not a rollout, and ``affects`` on it means "involves"."""
    phase: Id | None = None
    """The phase the stage belongs to."""
    processes: list[Id] = Field(default_factory=list)
    """Processes the stage redesigns or automates."""
    serves: list[Id] = Field(default_factory=list)
    """Goals the stage serves."""
    objective: Text | None = None
    """What the stage must achieve."""
    exit_criteria: list[Text] = Field(default_factory=list)
    """Conditions for closing the stage."""
    depends_on: list[StageRef] = Field(default_factory=list)
    """Stages that must finish before this one starts (finish-to-start)."""
    duration_weeks: Weeks | None = None
    """Deterministic duration in weeks (not on milestones)."""
    estimate: Estimate | None = None
    """Three-point estimate; without ``duration_weeks`` its PERT mean is the duration."""
    not_before: Date | None = None
    """Earliest start date."""
    deadline: Date | None = None
    """Latest acceptable last day."""
    date: Date | None = None
    """Milestones only: the date the milestone is held on."""
    owner: Text | None = None
    """Who is accountable for the stage."""
    departments: list[Text] = Field(default_factory=list)
    """Departments taking part."""
    affects: list[Id] = Field(default_factory=list)
    """Stakeholder groups whose work this stage changes."""
    budget: list[BudgetItem] = Field(default_factory=list)
    """Money planned for the stage."""
    status: Status = "planned"
    """Progress state."""
    percent_complete: Percent = 0
    """How much of the work is done, 0 to 100."""
    actual_start: Date | None = None
    """When work actually started."""
    actual_finish: Date | None = None
    """The last day of work, when done."""
    actual_cost: Amount | None = None
    """Money spent so far."""
    run_cost_per_year: Amount | None = None
    """The yearly cost of running what the stage delivers, from the fiscal year after its last day to the
    end of the appraisal (SPEC §18)."""
    etc: Amount | None = None
    """Estimate to complete: what the rest of the stage will cost, in place of its remaining budget in
    the bottom-up estimate at completion (SPEC §18)."""
    effort: dict[Id, PersonDays] | None = None
    """Person-days per resource; without a duration the stage is effort-driven (SPEC §11)."""
    priority: Annotated[int, Field(ge=1, le=1000)] = 500
    """Levelling priority, 1 to 1000: higher goes first."""
    mandatory: bool = False
    """Kept whatever the budget: a legal or contractual duty (SPEC §12); say why in ``mandatory_reason``."""
    mandatory_reason: Text | None = None
    """Why the stage cannot be deferred."""

    @property
    def weeks(self) -> Fraction | int:
        """The deterministic duration: ``duration_weeks``, else the PERT mean, else 0."""
        if self.kind == "milestone" or self.status == "cancelled":
            return 0
        if self.duration_weeks is not None:
            return exact(self.duration_weeks)
        if self.estimate is not None:
            return self.estimate.pert_mean
        return 0

    @property
    def effort_driven(self) -> bool:
        """Effort and no duration: the stage lasts as long as its resources need (SPEC §11)."""
        return (
            bool(self.effort)
            and self.duration_weeks is None
            and self.estimate is None
            and self.kind != "milestone"
            and self.status != "cancelled"
        )

    @property
    def days(self) -> int:
        """The duration in whole days: floor(7 × weeks + 1/2), exactly (SPEC §6)."""
        if self.kind == "milestone" or self.status == "cancelled":
            return 0
        estimate = self.estimate
        if self.duration_weeks is not None or estimate is None:
            return _whole_days(self.duration_weeks or 0.0, None)
        return _whole_days(None, (estimate.optimistic, estimate.likely, estimate.pessimistic))

    @property
    def planned_spend(self) -> float:
        """Sum of the stage's budget items (zero when cancelled)."""
        if self.status == "cancelled":
            return 0.0
        return sum(item.amount for item in self.budget)


@lru_cache(maxsize=4096)
def _whole_days(weeks: float | None, estimate: tuple[float, float, float] | None) -> int:
    """Days for a duration or a three-point estimate, cached by value.

    Every schedule (as written, forecast, baseline) asks each stage for its
    days, and the exact decimal arithmetic is the costly part; a cache keyed
    on the numbers themselves (not on the stage) cannot go stale when a stage
    is copied with a new duration.
    """
    if estimate is not None:
        o, m, p = (exact(x) for x in estimate)
        weeks_exact: Fraction | int = Fraction(o + 4 * m + p) / 6
    else:
        weeks_exact = exact(weeks or 0.0)
    if isinstance(weeks_exact, int):
        return 7 * weeks_exact
    return math.floor(7 * weeks_exact + Fraction(1, 2))


class BudgetLine(Model):
    """Spending not tied to a stage, such as run costs."""

    id: Id
    """Unique id, e.g. ``B-OPS``."""
    amount: Amount
    """Amount in the plan's currency."""
    budget_class: BudgetClass = Field(alias="class")
    """Gartner's run / grow / transform class."""
    category: BudgetCategory
    """What the money buys."""
    capex: bool = False
    """True for capital expenditure."""
    per_year: bool = False
    """The amount recurs in every fiscal year the plan spans."""
    year: int | None = None
    """The fiscal year the amount falls in."""
    owner: Text | None = None
    """Who is accountable for the line."""


class Limits(Model):
    """Thresholds for the run / grow / transform split."""

    run_warn: Share | None = None
    """Run share above which BUDGET002 warns (default 0.70)."""
    run_error: Share | None = None
    """Run share above which BUDGET002 is an error (default 0.80)."""
    transform_min: Share | None = None
    """Transform share below which BUDGET003 warns (default 0.10)."""


class Budget(Model):
    """The approved envelope and the lines not tied to stages."""

    total: Amount | None = None
    """The approved envelope for the whole plan."""
    years: dict[int, Amount] | None = None
    """Approved envelope per fiscal year."""
    lines: list[BudgetLine] = Field(default_factory=list)
    """Spending not tied to a stage."""
    limits: Limits | None = None
    """Overrides of the run / transform thresholds for this plan."""


class Engagement(Model):
    """Where a group stands and where it must get to."""

    current: EngagementLevel
    """Engagement today."""
    desired: EngagementLevel
    """Engagement the plan needs."""


class Adkar(Model):
    """Prosci ADKAR readiness scores, 1 to 5; 3 or below is a barrier point."""

    awareness: Score
    """Awareness of the need for change."""
    desire: Score
    """Desire to take part and support it."""
    knowledge: Score
    """Knowledge of how to change."""
    ability: Score
    """Ability to work the new way."""
    reinforcement: Score
    """Reinforcement that makes the change stick."""
    assessed: Date | None = None
    """When the scores were taken."""


ADKAR_ELEMENTS: tuple[str, ...] = ("awareness", "desire", "knowledge", "ability", "reinforcement")
"""ADKAR elements in the order barriers must be addressed."""


class Action(Model):
    """A people action planned for a group, carried out in a stage."""

    type: ActionType
    """Briefing, training, reassignment, transfer, counselling or reward."""
    stage: Id
    """The stage in which the action happens."""


class StakeholderGroup(Model):
    """A group of people whose work the plan changes."""

    id: Id
    """Unique id, e.g. ``SG-CLERKS``."""
    name: Text | None = None
    """Name of the group."""
    level: Rank | None = None
    """executive, manager or staff."""
    headcount: Annotated[int, Field(ge=0, le=MAX_AMOUNT)] | None = None
    """How many people are in the group."""
    power: Score | None = None
    """Influence over the plan, 1 to 5."""
    interest: Score | None = None
    """Interest in the plan, 1 to 5."""
    engagement: Engagement | None = None
    """Current and desired engagement."""
    concerns: list[Concern] = Field(default_factory=list)
    """What the group fears."""
    role_impact: RoleImpact = "none"
    """How the plan changes the group's roles."""
    adkar: Adkar | list[Adkar] | None = None
    """ADKAR readiness: one assessment, or a list of readings over time, each with ``assessed``."""
    actions: list[Action] = Field(default_factory=list)
    """Briefings, training, reassignments and other actions for the group."""

    @property
    def readings(self) -> list[Adkar]:
        """The ADKAR readings, oldest first (one reading without a date is a list of one)."""
        if self.adkar is None:
            return []
        if isinstance(self.adkar, Adkar):
            return [self.adkar]
        return sorted(self.adkar, key=lambda reading: reading.assessed or dt.date.min)

    @property
    def current(self) -> Adkar | None:
        """The latest ADKAR reading: what the group's readiness is now."""
        readings = self.readings
        return readings[-1] if readings else None


class TimeSplit(Model):
    """How the CIO's time divides between the duties, in percent (sums to 100)."""

    strategy: Percent = 0
    """Setting informatization strategy."""
    resource_allocation: Percent = 0
    """Allocating people and money."""
    coordination: Percent = 0
    """Coordinating between departments."""
    hardware_selection: Percent = 0
    """Selecting hardware types."""
    investment_planning: Percent = 0
    """Planning investment."""
    maintenance: Percent = 0
    """Keeping systems running."""
    upgrades: Percent = 0
    """Upgrading systems."""
    other: Percent = 0
    """Anything else."""


class Duties(Model):
    """Who is accountable for each of the seven CIO duties."""

    strategy: Text | None = None
    """Owner of informatization strategy."""
    resource_allocation: Text | None = None
    """Owner of resource allocation."""
    coordination: Text | None = None
    """Owner of coordination between departments."""
    hardware_selection: Text | None = None
    """Owner of hardware type selection."""
    investment_planning: Text | None = None
    """Owner of investment planning."""
    maintenance: Text | None = None
    """Owner of maintenance."""
    upgrades: Text | None = None
    """Owner of upgrading."""


class Cio(Model):
    """The CIO role: who holds it, where the time goes, who owns each duty."""

    holder: Text | None = None
    """The person who holds the CIO role."""
    time_split: TimeSplit | None = None
    """The CIO's time by duty, in percent."""
    duties: Duties | None = None
    """Accountable owner of each duty."""


class Counselling(Model):
    """Counselling offered alongside sanctions."""

    provider: Text | None = None
    """Who provides counselling."""
    offered_to: list[Id] = Field(default_factory=list)
    """Stakeholder groups counselling is offered to."""


class Policy(Model):
    """The published discipline policy."""

    published: Date | None = None
    """When the policy was published."""
    applies_to: Text | None = None
    """``all``; anything else is an exemption."""
    appeal_channel: Text | None = None
    """Where a sanction can be appealed."""
    counselling: Counselling | None = None
    """Counselling paired with sanctions."""


class Offence(Model):
    """An offence against the informatization discipline and its sanction ladder."""

    id: Id
    """Unique id, e.g. ``OFF-REFUSE``."""
    name: Text | None = None
    """What the offence is."""
    severity: OffenceSeverity = "minor"
    """minor, major or gross."""
    ladder: list[Text] = Field(default_factory=list)
    """Sanctions by occurrence: the n-th occurrence allows up to ladder[n-1]."""


class Case(Model):
    """A disciplinary case record; no names, ids are opaque."""

    id: Id | None = None
    """Opaque id of the case."""
    offence: Id
    """The offence committed."""
    rank: Rank
    """Rank of the person: executive, manager or staff."""
    group: Id | None = None
    """Stakeholder group of the person."""
    occurrence: Count
    """Which occurrence of the offence this is for the person."""
    sanction: Text
    """The sanction decided."""
    incident: Date | None = None
    """When the offence happened."""
    decided: Date
    """When the sanction was decided."""


class SanctionStat(Model):
    """Aggregated sanction records, where HR keeps cases out of git."""

    offence: Id
    """The offence committed."""
    rank: Rank
    """Rank of the people sanctioned."""
    occurrence: Count
    """Which occurrence of the offence."""
    sanction: Text
    """The sanction decided."""
    count: Count
    """How many cases."""
    first_decided: Date | None = None
    """Earliest decision date among them."""


class Reward(Model):
    """A reward for contributors to informatization."""

    group: Id
    """The stakeholder group rewarded."""
    criterion: Text | None = None
    """What earns the reward."""
    type: Text | None = None
    """Kind of reward, e.g. bonus or recognition."""


class Governance(Model):
    """Discipline policy, offences, cases and rewards."""

    policy: Policy | None = None
    """The published discipline policy."""
    offences: list[Offence] = Field(default_factory=list)
    """Offences and their sanction ladders."""
    cases: list[Case] = Field(default_factory=list)
    """Case-level records."""
    sanction_stats: list[SanctionStat] = Field(default_factory=list)
    """Aggregated records."""
    rewards: list[Reward] = Field(default_factory=list)
    """Rewards for contributors."""


class Sponsor(Model):
    """The executive who sponsors the change: Prosci ranks an active, visible sponsor first."""

    name: Text
    """Who it is."""
    group: Id | None = None
    """The executive stakeholder group the sponsor belongs to."""


Days = Annotated[float, Field(gt=0, le=MAX_WEEKS * 7, allow_inf_nan=False)]
RiskStatus = Literal["open", "closed", "occurred"]
IssueSeverity = Literal["low", "medium", "high"]


class Impact(Model):
    """What a risk does when it occurs: time added to each of its stages, money added to the cost."""

    weeks: Weeks | Estimate | None = None
    """Time added, in weeks: a number or a three-point estimate (sampled as PERT-beta)."""
    days: Days | Estimate | None = None
    """Time added, in calendar days, instead of weeks: a number or a three-point estimate."""
    cost: Amount | None = None
    """Money added to the cost, in the plan's currency."""

    @property
    def three_days(self) -> tuple[float, float, float] | None:
        """The time added as (optimistic, likely, pessimistic) days; one number three times when fixed."""
        value, scale = (self.weeks, 7) if self.weeks is not None else (self.days, 1)
        if value is None:
            return None
        if isinstance(value, Estimate):
            return value.optimistic * scale, value.likely * scale, value.pessimistic * scale
        return value * scale, value * scale, value * scale


class Mitigation(Model):
    """What is done to make a risk less likely or less harmful."""

    action: Text
    """The action."""
    owner: Text | None = None
    """Who carries it out."""
    due: Date | None = None
    """When it is to be done."""


class Risk(Model):
    """Something that may happen and move the plan: schedule risk analysis applies it (SPEC §17)."""

    id: Id
    """Unique id, e.g. ``R-DATA``."""
    title: Text
    """What may happen, in a line."""
    owner: Text | None = None
    """Who watches it."""
    probability: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
    """The chance it occurs, a share in (0, 1]."""
    impact: Impact
    """What it does when it occurs."""
    stages: list[Id] = Field(default_factory=list)
    """The stages it lengthens."""
    status: RiskStatus = "open"
    """open, occurred (certain in the analysis) or closed (ignored)."""
    mitigation: Mitigation | None = None
    """The response."""

    @property
    def live(self) -> bool:
        """Counted in the analysis: open or occurred."""
        return self.status != "closed"

    @property
    def exposure_days(self) -> float:
        """Probability × the PERT mean of the time added, in days (certain when occurred)."""
        three = self.impact.three_days
        if three is None:
            return 0.0
        o, m, p = three
        return (1.0 if self.status == "occurred" else self.probability) * (o + 4 * m + p) / 6


class Issue(Model):
    """Something that has happened and needs handling."""

    id: Id
    """Unique id, e.g. ``I-VENDOR``."""
    title: Text
    """What happened, in a line."""
    owner: Text | None = None
    """Who handles it."""
    raised: Date | None = None
    """When it was raised."""
    due: Date | None = None
    """When it is to be resolved."""
    severity: IssueSeverity = "medium"
    """low, medium or high."""
    status: Literal["open", "closed"] = "open"
    """open or closed."""
    stages: list[Id] = Field(default_factory=list)
    """The stages it affects."""


class Decision(Model):
    """A decision the plan waits for; a stage may depend on it (``depends_on: [D-ID]``)."""

    id: Id
    """Unique id, e.g. ``D-HOSTING``."""
    title: Text
    """The question to decide."""
    owner: Text | None = None
    """Who decides: a person or a body such as the board."""
    needed_by: Date | None = None
    """The last day it can be taken without holding the plan up."""
    status: Literal["open", "taken"] = "open"
    """open or taken."""
    taken: Date | None = None
    """When it was taken: the stages that depend on it start no earlier."""
    outcome: Text | None = None
    """What was decided."""
    options: list[Text] = Field(default_factory=list)
    """The options before the decider."""


class Plan(Model):
    """An informatization plan, format version 1."""

    cio_kit: int
    """The format version; 1."""
    id: Id | None = None
    """The plan's id in a portfolio (SPEC §12); default: the file name without extension."""
    enterprise: Enterprise
    """The enterprise the plan is for."""
    goals: list[Goal] | None = None
    """Enterprise goals informatization serves."""
    processes: list[Process] | None = None
    """Business processes the stages redesign or automate."""
    phases: list[Phase] | None = None
    """Phases of the plan."""
    stages: list[Stage] = Field(default_factory=list)
    """Implementation stages."""
    calendars: list[Calendar] | None = None
    """Working calendars (SPEC §11)."""
    resources: list[Resource] | None = None
    """Teams and people whose time stages need (SPEC §11)."""
    budget: Budget | None = None
    """The approved envelope and budget lines."""
    stakeholders: list[StakeholderGroup] | None = None
    """Stakeholder groups."""
    cio: Cio | None = None
    """The CIO role."""
    governance: Governance | None = None
    """The discipline policy, cases and rewards."""
    sponsor: Sponsor | None = None
    """The executive sponsor of the change (SPEC §13)."""
    risks: list[Risk] | None = None
    """The risk register: what may happen, and what schedule risk analysis applies (SPEC §17)."""
    issues: list[Issue] | None = None
    """The issue log: what has happened and needs handling."""
    decisions: list[Decision] | None = None
    """Decisions the plan waits for, and those taken."""
