"""``cio-kit plan init``: a small but complete starter plan a CIO edits, and its configuration.

The starter passes every rule, so the first CI run is green and every later
finding is the plan's own. Dates count from ``plan_start``, which the caller
chooses (by default the first Monday of next month).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

SCHEMA_FILE = "cio-kit.schema.json"
PLAN_FILE = Path("plans") / "plan.yaml"
CONFIG_FILE = "cio-kit.yaml"

CONFIG = """\
# cio-kit configuration (see the README of cio-kit); `cio-kit rules` lists the rules.
paths: [plans]
# ignore: [DEP003]
# severity: {STRAT001: error}
# run_warn: 0.70
# run_error: 0.80
# transform_min: 0.10
"""

PLAN = """\
# yaml-language-server: $schema=../{schema}
# A starter informatization plan. Replace the example content with your own;
# `cio-kit plan validate` checks it and `cio-kit roadmap show` orders it.
cio_kit: 1

enterprise:
  name: {name}
  currency: {currency}
  plan_start: {start}

goals:
  - id: G-CYCLE
    title: Cut order-to-delivery time by a third
    kpi: {{name: order_cycle_days, unit: days, baseline: 12, target: 8}}

processes:
  - id: P-O2C
    name: Order to cash
    owner: Sales director

stages:
  - id: S-KICKOFF
    title: Kickoff and management briefing
    kind: change-management
    serves: [G-CYCLE]
    objective: Managers see the programme as process change, not an IT project
    exit_criteria: [Charter signed by the CEO]
    duration_weeks: 2
    owner: CIO office
    budget: [{{amount: 20000, class: transform, category: change-management}}]

  - id: S-O2C-REDESIGN
    title: Redesign order to cash
    kind: process-redesign
    processes: [P-O2C]
    serves: [G-CYCLE]
    objective: To-be order-to-cash process approved by its owner
    exit_criteria: [Process map signed off]
    depends_on: [S-KICKOFF]
    estimate: {{optimistic: 4, likely: 6, pessimistic: 9}}
    owner: Sales director
    budget: [{{amount: 60000, class: transform, category: process-redesign}}]

  - id: S-TRAINING
    title: Train the order clerks
    kind: training
    serves: [G-CYCLE]
    objective: Every clerk can work the new process in the system
    exit_criteria: [Every clerk passed the role test]
    depends_on: [S-O2C-REDESIGN]
    duration_weeks: 3
    owner: HR director
    budget: [{{amount: 40000, class: transform, category: training}}]

  - id: S-ROLLOUT
    title: Order management go-live
    kind: system-rollout
    processes: [P-O2C]
    serves: [G-CYCLE]
    objective: All orders entered and tracked in the system
    exit_criteria: [Two weeks without paper orders]
    depends_on: [S-TRAINING, D-HOSTING]  # the decision it waits for, too
    estimate: {{optimistic: 6, likely: 8, pessimistic: 12}}
    owner: IT project manager
    affects: [SG-CLERKS]
    budget:
      - {{amount: 250000, class: transform, category: software, capex: true}}
      - {{amount: 80000, class: transform, category: services}}

  - id: M-LIVE
    title: Order management live
    kind: milestone
    depends_on: [S-ROLLOUT]

budget:
  total: 750000
  lines:
    - {{id: B-RUN, amount: 120000, per_year: true, class: run, category: maintenance,
       owner: IT operations manager}}

# The executive who sponsors the change, visibly (PEOPLE009).
sponsor: {{name: Your chief executive}}

stakeholders:
  - id: SG-MANAGERS
    name: Department heads
    level: manager
    role_impact: none
    actions: [{{type: briefing, stage: S-KICKOFF}}]
  - id: SG-CLERKS
    name: Order clerks
    level: staff
    concerns: [extra-data-entry, retraining]
    role_impact: changed
    actions:
      - {{type: briefing, stage: S-KICKOFF}}
      - {{type: training, stage: S-TRAINING}}

cio:
  holder: Your CIO
  time_split: {{strategy: 30, resource_allocation: 15, coordination: 20, hardware_selection: 5,
               investment_planning: 10, maintenance: 10, upgrades: 10}}
  duties:
    strategy: CIO
    resource_allocation: CIO
    coordination: CIO
    hardware_selection: IT architecture lead
    investment_planning: CIO and CFO
    maintenance: IT operations manager
    upgrades: IT operations manager

governance:
  policy:
    published: {start}
    applies_to: all
    appeal_channel: Works council
    counselling: {{provider: Employee assistance programme, offered_to: [SG-CLERKS]}}
  offences:
    - id: OFF-REFUSE
      name: Refusing to enter data in the new system
      severity: minor
      ladder: [coaching, verbal-warning, written-warning, final-warning]
  rewards:
    - {{group: SG-CLERKS, criterion: Error-free order entry for a quarter, type: recognition}}

# The register (RISK001-RISK004): roadmap risk applies every open risk in its runs,
# and the board pack puts the open decisions and the largest risks on page one.
risks:
  - id: R-DATA
    title: Customer data is dirtier than assumed
    owner: Head of data
    probability: 0.3
    impact: {{weeks: {{optimistic: 1, likely: 2, pessimistic: 4}}, cost: 20000}}
    stages: [S-ROLLOUT]
    mitigation: {{action: Profile the customer data before the build, owner: Head of data}}
issues: []
decisions:
  - id: D-HOSTING
    title: Run the order system in the cloud or on premises
    owner: IT steering committee
    options: [Cloud, On premises]
"""


def default_start(today: dt.date) -> dt.date:
    """The first Monday of the month after ``today``."""
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def starter_files(name: str, currency: str, start: dt.date) -> dict[Path, str]:
    """The files ``plan init`` writes, by path relative to the target folder."""
    from cio_kit.plan.schema import plan_schema

    plan = PLAN.format(
        schema=SCHEMA_FILE, name=json.dumps(name, ensure_ascii=False), currency=currency, start=start
    )
    return {
        PLAN_FILE: plan,
        Path(CONFIG_FILE): CONFIG,
        Path(SCHEMA_FILE): json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n",
    }
