"""Defer means move (SPEC §18): the exact keep / move / drop choice, against exhaustive search."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cio_kit.portfolio.optimize import DeferralProblem
from cio_kit.portfolio.retime import Placement, Retiming, solve_retiming


def _generated(seed: int) -> DeferralProblem:
    """Ten stages in 2027-2028, links in file order, three goals, one stage done, envelopes to 2029."""
    rng = random.Random(seed)
    n = 10
    costs = []
    for _ in range(n):
        first = rng.choice((2027, 2028))
        split = rng.random() < 0.3 and first == 2027
        amount = rng.randrange(1, 20) * 10
        costs.append({2027: amount / 2, 2028: amount / 2} if split else {first: float(amount)})
    preds = tuple(tuple(sorted(rng.sample(range(i), k=min(i, rng.choice((0, 0, 1, 2)))))) for i in range(n))
    goals = tuple(
        (f"G-{g}", float(rng.randint(1, 5)), tuple(sorted(rng.sample(range(n), k=rng.randint(1, 3)))))
        for g in range(3)
    )
    total = {year: sum(c.get(year, 0.0) for c in costs) for year in (2027, 2028)}
    envelope = {
        2027: total[2027] * rng.uniform(0.3, 0.8),
        2028: total[2028] * rng.uniform(0.4, 0.9),
        2029: 80.0,
    }
    return DeferralProblem(
        tuple(f"S-{i}" for i in range(n)), tuple(costs), frozenset({0}), preds, goals, envelope, {2027: 5.0}
    )


def _placement(data: DeferralProblem, choice: Any) -> Placement:
    index = {ident: i for i, ident in enumerate(data.stages)}
    found: dict[int, int | None] = {index[ident]: 0 for ident in choice.kept}
    found.update({index[ident]: years for ident, years in choice.moved.items()})
    found.update({index[ident]: None for ident in choice.deferred})
    return found


@pytest.mark.parametrize("seed", range(6))
def test_the_solver_finds_the_best_of_every_keep_move_drop_choice(seed: int) -> None:
    """All 3^10 placements (drop, keep, move one year) enumerated: the same lexicographic optimum."""
    data = Retiming(_generated(seed), max_shift=1)
    best = None
    by_goals: dict[frozenset[str], float] = {}  # the best value of each set of goals served
    for options in itertools.product((None, 0, 1), repeat=len(data.base.stages)):
        placement = dict(enumerate(options))
        if data.feasible(placement):
            score = data.score(placement)
            best = score if best is None or score > best else best
            goals = frozenset(
                g for g, _, serving in data.base.goals if all(placement[i] is not None for i in serving)
            )
            by_goals[goals] = score[0]
    choice = solve_retiming(data)
    # The next two best choices: each the best set of goals serving one that every set before it
    # (the answer's first) loses; a set inside one given already is no alternative.
    given = [frozenset(choice.goals_served)]
    expected = []
    for _ in range(2):
        others = [goals for goals in by_goals if not any(goals <= before for before in given)]
        if not others:
            break
        following = max(others, key=by_goals.__getitem__)
        expected.append(by_goals[following])
        given.append(following)
    assert [value for value, _ in choice.alternatives] == expected
    # None at all, with a goal lost, is proven and said; with every goal served there is no question.
    assert choice.no_other == (not expected and bool(choice.goals_lost))
    for value, goals in choice.alternatives:
        assert by_goals[frozenset(goals)] == value
        assert not set(goals) <= set(choice.goals_served)
    found = _placement(data.base, choice)
    assert choice.optimal and data.feasible(found)
    assert best is not None and data.score(found) == pytest.approx(best)
    assert choice.objective == pytest.approx(best[0])


def test_a_move_keeps_the_order_and_a_year_without_envelope_takes_no_moved_spend() -> None:
    data = Retiming(_generated(1), max_shift=2)
    base = data.base
    follower = next(i for i, preds in enumerate(base.preds) if preds)
    before = base.preds[follower][0]
    everything = dict.fromkeys(range(len(base.stages)), 0)
    assert not data.feasible({**everything, before: 1})  # moved past a stage that waits for it
    late = next(i for i, cost in enumerate(base.cost_by_year) if 2028 in cost and i not in base.fixed)
    assert 2 not in data.shifts(late)  # 2028 + 2 = 2030 has no envelope
    assert data.shifts(0) == (0,)  # done work stays


TWO_PLANS = {
    "erp.yaml": """\
cio_kit: 1
enterprise: {name: ERP, plan_start: 2027-01-04}
budget: {years: {2027: 600, 2028: 500}}
goals: [{id: G-LEDGER, weight: 4}]
stages:
  - {id: S-LEDGER, title: Ledger, kind: system-rollout, duration_weeks: 20, serves: [G-LEDGER],
     budget: [{amount: 500, class: transform, category: software}]}
""",
    "crm.yaml": """\
cio_kit: 1
enterprise: {name: CRM, plan_start: 2027-01-04}
budget: {years: {2027: 0, 2028: 0}}
goals: [{id: G-QUOTE, weight: 1}]
stages:
  - {id: S-QUOTE-A, title: Quote A, kind: system-build, duration_weeks: 10, serves: [G-QUOTE],
     budget: [{amount: 200, class: grow, category: software}]}
  - {id: S-QUOTE-B, title: Quote B, kind: system-rollout, duration_weeks: 10, serves: [G-QUOTE],
     depends_on: [S-QUOTE-A], budget: [{amount: 200, class: grow, category: software}]}
""",
}


def test_moving_two_stages_into_next_year_keeps_a_goal_dropping_loses(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2027 holds 600: the ledger (500) or both quote stages (400), not all three; 2028's 500 sits unused.

    Keep or drop: value 4 (the ledger). Keep, move or drop: value 5, the quote stages moved to 2028.
    """
    (tmp_path / "plans").mkdir()
    for name, text in TWO_PLANS.items():
        (tmp_path / "plans" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    dropping = json.loads(
        cli("portfolio", "optimize", "--budget-scale", "1", "--max-shift", "0", "-f", "json").stdout
    )
    assert dropping["objective"] == 4 and dropping["moved"] == []
    moving = cli("portfolio", "optimize", "--budget-scale", "1", "-f", "json", "--write-scenario", "move")
    answer = json.loads(moving.stdout)
    assert answer["objective"] == 5 and answer["optimal"] and answer["deferred"] == []
    assert answer["moved"] == [{"id": "crm:S-QUOTE-A", "years": 1}, {"id": "crm:S-QUOTE-B", "years": 1}]
    years = {row["year"]: row["after"] for row in answer["years"]}
    assert years == {2027: 500, 2028: 400}
    scenario = (tmp_path / "scenarios" / "move.yaml").read_text(encoding="utf-8")
    assert '{delay: "crm:S-QUOTE-A", weeks: 52.1429}' in scenario  # 365 days: 2027-01-04 to 2028-01-04
    assert '{delay: "crm:S-QUOTE-B", weeks: 52.2858}' in scenario  # 366 days, across 29 February 2028
    assert "drop" not in scenario
    compared = cli("scenario", "compare", "move", "-f", "json")
    assert compared.exit_code == 0, compared.stderr


@pytest.mark.parametrize("seed", range(6))
def test_the_restore_amount_of_a_lost_goal_serves_it_beside_every_goal_kept(seed: int) -> None:
    """With each year's envelope raised by a lost goal's restore amounts, the answer serves it as well."""
    base = _generated(seed)
    choice = solve_retiming(Retiming(base, max_shift=1))
    assert set(choice.restore) <= set(choice.goals_lost)
    weights = {goal: weight for goal, weight, _ in base.goals}
    for goal, extra in choice.restore.items():
        raised = {year: limit + extra.get(year, 0.0) for year, limit in base.envelope.items()}
        again = solve_retiming(Retiming(replace(base, envelope=raised), max_shift=1))
        assert again.objective >= choice.objective + weights[goal] - 1e-6
        assert goal in again.goals_served


def test_the_bundled_cut_names_its_collateral_loss(cli: Callable[..., Any], in_root: Path) -> None:
    """Cut by 20%: G-QUOTE is lost only because a 100,000 reassessment waits on the dropped MES rollout."""
    answer = json.loads(cli("portfolio", "optimize", "--budget-scale", "0.8", "-f", "json").stdout)
    assert answer["optimal"] and "hengda-group:G-QUOTE" in answer["goals_lost"]
    assert {
        "goal": "hengda-group:G-QUOTE",
        "stage": "hengda-group:S-ADKAR-REASSESS",
        "cost": 100000.0,
        "waits_for": ["hengda-group:S-MES-ROLLOUT"],
    } in answer["collateral"]
    assert {entry["goal"] for entry in answer["restore"]} == set(answer["goals_lost"])
    # Every goal it loses waits on the MES chain, which no choice within the envelopes keeps: there
    # is no alternative (a choice serving only some of the answer's goals is none), and it says so.
    assert answer["alternatives"] == []
    # Nothing moves: the shop-floor network could, but the MES rollout waiting on it ends 2029-02-09, and a
    # year later passes both its goals' due dates and the last envelope. The answer says so.
    assert answer["moved"] == []
    assert answer["cannot_move"] == [
        {
            "id": "hengda-group:S-SHOPFLOOR-NET",
            "why": "hengda-group:S-MES-ROLLOUT waits on it and cannot move: hengda-group:G-DELIVERY is due "
            "2029-12-31; hengda-group:G-QUALITY is due 2029-12-31; no envelope after 2029",
        }
    ]
    text = cli("portfolio", "optimize", "--budget-scale", "0.8", "--max-shift", "0").stdout
    assert "cannot move" not in text  # keep or drop only: moving was not asked for
    assert "No other choice" not in text  # that answer does not look for alternatives
    assert "(-139 days, from dropping 7 stages)" in " ".join(text.split())
    moving = " ".join(cli("portfolio", "optimize", "--budget-scale", "0.8").stdout.split())
    assert "No other choice within the envelopes serves a goal this one loses" in moving
    assert "Next best" not in moving


@pytest.mark.parametrize("seed", range(5))
def test_by_npv_a_moved_benefit_is_worth_less_and_the_solver_still_finds_the_best(seed: int) -> None:
    """--value npv: a goal's NPV falls by 1.08 a year its benefit starts later; exhaustive search agrees."""
    rng = random.Random(100 + seed)
    base = _generated(seed)
    npv = [rng.randint(10, 100) for _ in base.goals]
    values = tuple((float(v), v / 1.08) for v in npv)
    data = Retiming(base, max_shift=1, goal_values=values)
    best = max(
        data.score(dict(enumerate(options)))
        for options in itertools.product((None, 0, 1), repeat=len(base.stages))
        if data.feasible(dict(enumerate(options)))
    )
    choice = solve_retiming(data)
    found = _placement(base, choice)
    assert choice.optimal and data.feasible(found)
    assert data.score(found) == pytest.approx(best)
    assert data.goal_value(0, 1) == pytest.approx(npv[0] / 1.08) and data.goal_value(0, 0) == npv[0]


def test_by_npv_on_the_bundled_cut(cli: Callable[..., Any], in_root: Path) -> None:
    """--value npv counts goals by the NPV of their stated benefits, in money; a goal with no benefit is
    worth nothing to it, and an unknown --value is a usage error."""
    answer = json.loads(
        cli("portfolio", "optimize", "--budget-scale", "0.8", "--value", "npv", "-f", "json").stdout
    )
    assert answer["optimal"] and answer["objective"] > 10_000_000
    weighted = json.loads(cli("portfolio", "optimize", "--budget-scale", "0.8", "-f", "json").stdout)
    assert answer["objective"] != weighted["objective"]  # money, not weights
    assert cli("portfolio", "optimize", "--budget-scale", "0.8", "--value", "cash").exit_code == 2


PREPARED = """\
cio_kit: 1
enterprise: {name: Plant, plan_start: 2027-01-04}
budget: {years: {2027: 300}}
goals: [{id: G-FLOOR, weight: 4}]
stakeholders:
  - id: SG-OPERATORS
    level: staff
    role_impact: changed
    actions: [{type: training, stage: S-TRAIN}]
stages:
  - {id: S-TRAIN, title: Train operators, kind: training, duration_weeks: 4,
     budget: [{amount: 100, class: transform, category: services}]}
  - {id: S-ROLL, title: Floor system live, kind: system-rollout, duration_weeks: 10, serves: [G-FLOOR],
     affects: [SG-OPERATORS], depends_on: [S-TRAIN],
     budget: [{amount: 500, class: transform, category: software}]}
"""


def test_a_groups_training_stays_when_its_rollout_goes_and_the_answer_brings_no_error(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2027 holds 300: the rollout (500) cannot stay. Dropped with it, the training would leave
    SG-OPERATORS, whose role changes, untrained: PEOPLE001 in the written answer. The training stays."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "plant.yaml").write_text(PREPARED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for shift in ("0", "2"):
        answer = json.loads(
            cli("portfolio", "optimize", "--budget-scale", "1", "--max-shift", shift, "-f", "json").stdout
        )
        assert answer["kept"] == ["plant:S-TRAIN"] and answer["deferred"] == ["plant:S-ROLL"], shift
    cli("portfolio", "optimize", "--budget-scale", "1", "--write-scenario", "cut")
    compared = json.loads(cli("scenario", "compare", "cut", "-f", "json").stdout)
    assert [f["rule"] for f in compared["scenarios"][0]["introduced"] if f["severity"] == "error"] == []
    # At 50 the training itself does not fit: no answer, and the message says why.
    failed = cli("portfolio", "optimize", "--envelope", "2027=50")
    assert failed.exit_code == 1 and "a group's preparation" in failed.stderr


def test_a_move_keeps_the_due_dates_and_a_plan_with_yearly_lines_its_years() -> None:
    """A stage may move only as far as its goal's due date and its deadline allow; a plan with a
    per-year budget line keeps its work in the fiscal years it spans (each year more costs the line again)."""
    from cio_kit.plan.loader import load_bytes
    from cio_kit.portfolio.optimize import problem

    text = """\
cio_kit: 1
enterprise: {name: Dates, plan_start: 2027-01-04}
goals: [{id: G-SOON, weight: 1, due: 2028-03-31}, {id: G-LATE, weight: 1, due: 2030-01-10}]
stages:
  - {id: S-A, title: A, kind: system-build, duration_weeks: 10, serves: [G-SOON]}
  - {id: S-B, title: B, kind: system-build, duration_weeks: 10, serves: [G-LATE]}
  - {id: S-C, title: C, kind: system-build, duration_weeks: 10, deadline: 2028-03-14}
  - {id: S-D, title: D, kind: system-build, duration_weeks: 60}
"""
    loaded = load_bytes(text.encode(), "dates.yaml")
    assert loaded.plan is not None
    # A, B and C each end on 2027-03-14 (ten weeks from 2027-01-04); D on 2028-02-27.
    # G-SOON allows one year (2028-03-14 <= 2028-03-31), G-LATE two (2029-03-14; 2030-03-14 is late),
    # C's deadline exactly one; D, free of dates, as far as the last envelope year (2031): three.
    envelope = dict.fromkeys(range(2027, 2032), 1.0)
    assert problem(loaded.plan, envelope).reach == (1, 2, 1, 3)
    # One year further, what each would pass: A 2029-03-14, B 2030-03-14, C 2029-03-14, D 2032-02-27.
    assert problem(loaded.plan, envelope).held == (
        "G-SOON is due 2028-03-31",
        "G-LATE is due 2030-01-10",
        "its deadline is 2028-03-14",
        "no envelope after 2031",
    )
    line = "budget: {lines: [{id: L-PMO, amount: 10, class: run, category: personnel, per_year: true}]}\n"
    lined = load_bytes((text + line).encode(), "lined.yaml").plan
    assert lined is not None
    # The plan spans 2027-2028: A, B and C may move one year, D (ending in 2028) none.
    assert problem(lined, envelope).reach == (1, 1, 1, 0)
    assert problem(lined, envelope).held[::3] == (
        "G-SOON is due 2028-03-31; its plan's yearly budget lines end in 2028",
        "its plan's yearly budget lines end in 2028",
    )


def test_the_quick_answer_takes_the_goal_worth_most_per_cost_then_moves_the_next_then_fills() -> None:
    """2027 holds 600 (lines 0), 2028 500. The ledger (goal worth 4 for 500) before the quotes (1 for 400):
    kept, then the quotes fit only moved a year; then a 50 stage fits as planned, a 200 one does not.
    """
    from cio_kit.portfolio.retime import greedy_placement

    base = DeferralProblem(
        ("S-LEDGER", "S-QUOTE-A", "S-QUOTE-B", "S-SMALL", "S-LARGE"),
        ({2027: 500.0}, {2027: 200.0}, {2027: 200.0}, {2027: 50.0}, {2027: 200.0}),
        frozenset(),
        ((), (), (1,), (), ()),
        (("G-QUOTE", 1.0, (2,)), ("G-LEDGER", 4.0, (0,))),
        {2027: 600.0, 2028: 500.0},
        {},
    )
    data = Retiming(base, max_shift=2)
    placement = greedy_placement(data, {})
    assert placement == {0: 0, 1: 1, 2: 1, 3: 0, 4: None}
    assert data.feasible(placement) and data.score(placement) == (5.0, -400.0, 950.0)
    # The exact answer agrees on the goals; it keeps the 50 too (moving spend is worse than dropping it).
    assert _placement(base, solve_retiming(data)) == placement


def _chains(seed: int, plans: int = 12, stages: int = 40) -> DeferralProblem:
    """Plans of linked stages, each plan after the one before, five goals each, every year cut to 70%."""
    rng = random.Random(seed)
    costs, preds, goals = [], [], []
    for plan in range(plans):
        first = plan * stages
        for i in range(first, first + stages):
            year = 2027 + (i - first) * 4 // stages
            costs.append({year: float(rng.randrange(1, 50) * 1000)})
            earlier = list(range(first, i))
            links = rng.sample(earlier, k=min(len(earlier), rng.choice((1, 2, 3))))
            preds.append(tuple(sorted(links or ([first - 1] if plan else []))))
        for g in range(5):
            serving = tuple(sorted(rng.sample(range(first, first + stages), k=4)))
            goals.append((f"G-{plan}-{g}", float(rng.randint(1, 3)), serving))
    total = {year: sum(c.get(year, 0.0) for c in costs) for year in range(2027, 2031)}
    envelope = {year: 0.7 * total.get(year, total[2030]) for year in range(2027, 2033)}
    return DeferralProblem(
        tuple(f"S-{i}" for i in range(len(costs))),
        tuple(costs),
        frozenset(),
        tuple(preds),
        tuple(goals),
        envelope,
        {},
    )


def test_when_time_runs_out_the_answer_is_at_least_the_quick_one_and_says_its_bound() -> None:
    """A limit too short to prove anything: the answer is feasible, serves at least what the quick
    sweep serves, and its bound is the solver's (or every goal's worth), above what it found."""
    from cio_kit.portfolio.optimize import closure
    from cio_kit.portfolio.retime import greedy_placement

    data = Retiming(_chains(3), max_shift=2)
    quick = greedy_placement(data, {i: 0 for i in closure(data.base, data.base.must_stay)})
    assert data.feasible(quick) and data.score(quick)[0] > 0
    choice = solve_retiming(data, time_limit=0.01)
    assert not choice.value_proven and not choice.optimal
    assert data.feasible(_placement(data.base, choice))
    assert choice.objective >= data.score(quick)[0]
    assert choice.objective < choice.bound <= sum(weight for _, weight, _ in data.base.goals)


def test_a_goals_worth_by_npv_falls_with_each_year_its_benefit_moves() -> None:
    """1,000,000 a year for one year from 2028-01-01, at 10%, the plan opening in fiscal 2027 (year 1):
    benefit in 2028 (year 2) 1e6 / 1.1^2 = 826,446.28; moved a year, 1e6 / 1.1^3 = 751,314.80;
    two, 1e6 / 1.1^4 = 683,013.46. A goal with no benefit is worth nothing however it moves."""
    from cio_kit.analysis.schedule import compute
    from cio_kit.plan.loader import load_bytes
    from cio_kit.portfolio.retime import goal_npvs

    text = """\
cio_kit: 1
enterprise: {name: NPV, plan_start: 2027-01-04, discount_rate: 0.10}
goals:
  - {id: G-CASH, weight: 1, benefit: {value_per_year: 1000000, starts: 2028-01-01, years: 1}}
  - {id: G-NONE, weight: 1}
stages:
  - {id: S-A, title: A, kind: system-build, duration_weeks: 10, serves: [G-CASH, G-NONE],
     budget: [{amount: 500000, class: transform, category: software}]}
"""
    plan = load_bytes(text.encode(), "npv.yaml").plan
    assert plan is not None
    found = goal_npvs(plan, compute(plan), ["G-NONE", "G-CASH"], max_shift=2)
    assert found == ((0.0, 0.0, 0.0), (826446.28, 751314.8, 683013.46))
