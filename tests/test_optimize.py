"""The keep/defer optimiser (SPEC §12) against exhaustive search, and through the CLI."""

from __future__ import annotations

import itertools
import json
import math
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cio_kit.portfolio.optimize import DeferralProblem, Infeasible, solve


def random_problem(seed: int) -> DeferralProblem:
    """Up to 9 stages: random forward links, costs over two years, goals, fixed stages, lines."""
    rng = random.Random(seed)
    n = rng.randint(3, 9)
    preds = tuple(tuple(p for p in range(i) if rng.random() < 0.25) for i in range(n))
    costs = tuple({year: float(rng.randint(0, 9) * 100) for year in (2027, 2028)} for _ in range(n))
    goals = tuple(
        (f"G-{g}", float(rng.randint(0, 3)), tuple(sorted(rng.sample(range(n), rng.randint(0, min(3, n))))))
        for g in range(rng.randint(1, 4))
    )
    fixed = frozenset(i for i in range(n) if rng.random() < 0.15)
    lines = {2027: float(rng.randint(0, 2) * 100)}
    envelope = {2027: float(rng.randint(5, 30) * 100), 2028: float(rng.randint(5, 30) * 100)}
    return DeferralProblem(tuple(f"S-{i}" for i in range(n)), costs, fixed, preds, goals, envelope, lines)


def best_by_enumeration(data: DeferralProblem) -> tuple[float, float, int] | None:
    scores = [
        data.score(kept)
        for size in range(len(data.stages) + 1)
        for combo in itertools.combinations(range(len(data.stages)), size)
        if data.feasible(kept := set(combo))
    ]
    return max(scores) if scores else None


@pytest.mark.parametrize("seed", range(60))
def test_the_optimiser_matches_exhaustive_search(seed: int) -> None:
    data = random_problem(seed)
    best = best_by_enumeration(data)
    if best is None:
        with pytest.raises(Infeasible):
            solve(data)
        return
    choice = solve(data)
    assert choice.optimal
    kept = {data.stages.index(ident) for ident in choice.kept}
    assert data.feasible(kept)  # every constraint holds on the returned set
    value, money, order = data.score(kept)
    assert value == pytest.approx(best[0]) and choice.objective == pytest.approx(best[0])
    assert money == pytest.approx(best[1])  # ties keep the most spend
    assert order == best[2]  # then the earlier stages
    assert set(choice.deferred) == set(data.stages) - set(choice.kept)
    served = {g for g, _, serving in data.goals if all(i in kept for i in serving)}
    assert set(choice.goals_served) == served
    assert set(choice.goals_lost) == {g for g, _, _ in data.goals} - served


def test_a_kept_stage_keeps_its_predecessor_and_deferral_names_the_cause() -> None:
    data = DeferralProblem(
        ("S-A", "S-B", "S-C"),
        ({2027: 600.0}, {2027: 300.0}, {2027: 200.0}),
        frozenset(),
        ((), (0,), ()),
        (("G-1", 5.0, (1,)), ("G-2", 1.0, (2,))),
        {2027: 700.0},
        {},
    )
    choice = solve(data)
    # G-1 needs S-B and so S-A (900 > 700): only G-2 fits.
    assert choice.kept == ("S-C",) and choice.deferred == ("S-A", "S-B")
    assert choice.blocked_by == {"S-A": (), "S-B": ("S-A",)}
    assert choice.years == ((2027, 700.0, 1100.0, 200.0),)


def test_mandatory_stages_alone_over_the_envelope_are_infeasible() -> None:
    data = DeferralProblem(("S-A",), ({2028: 900.0},), frozenset({0}), ((),), (), {2028: 500.0}, {2028: 50.0})
    with pytest.raises(Infeasible, match="2028: 950 against 500"):
        solve(data)


PLAN = """\
cio_kit: 1
enterprise: {name: Cut Co, currency: CNY, plan_start: 2027-01-04}
goals:
  - {id: G-BIG, weight: 3, kpi: {name: k, baseline: 1, target: 2}}
  - {id: G-SMALL, kpi: {name: k, baseline: 1, target: 2}}
stages:
  - {id: S-LEGAL, title: Legal, kind: governance, duration_weeks: 2, mandatory: true,
     mandatory_reason: statutory e-invoicing, budget: [{amount: 400, class: run, category: services}]}
  - {id: S-BIG, title: Big, kind: training, duration_weeks: 2, serves: [G-BIG],
     budget: [{amount: 500, class: transform, category: training}]}
  - {id: S-SMALL, title: Small, kind: training, duration_weeks: 4, serves: [G-SMALL],
     budget: [{amount: 300, class: grow, category: training}]}
budget:
  years: {2027: 1200}
"""


def test_optimize_cli(cli: Any, write_plan: Any, tmp_path: Path) -> None:
    write_plan(PLAN, name="plans/cut.yaml")
    result = cli("portfolio", "optimize", "--envelope", "2027=900", "-f", "json", "--write-scenario", "cut")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == [
        "optimal", "objective", "bound", "kept", "moved", "deferred", "goals_served", "goals_lost", "restore",
        "alternatives", "cannot_move", "collateral", "years",
        "finish_before", "finish_after", "value_optimal",
    ]  # fmt: skip
    # S-SMALL runs four weeks, the others two: deferring it ends the work two weeks sooner.
    assert (document["finish_before"], document["finish_after"]) == ("2027-01-31", "2027-01-17")
    assert document["optimal"] is True and document["objective"] == 3
    assert document["deferred"] == ["cut:S-SMALL"] and document["goals_lost"] == ["cut:G-SMALL"]
    # What restores the lost goal: S-SMALL's 300 more in 2027, the least extra envelope that serves it.
    assert document["restore"] == [{"goal": "cut:G-SMALL", "years": {"2027": 300.0}}]
    assert document["years"] == [{"year": 2027, "envelope": 900.0, "before": 1200.0, "after": 900.0}]
    written = (tmp_path / "scenarios" / "cut.yaml").read_text(encoding="utf-8")
    assert written.splitlines()[1:] == [
        "cio_kit_scenario: 1",
        'name: "cut"',
        "changes:",
        "  - {envelope: {2027: 900}}",
        '  - {drop: "cut:S-SMALL"}',
    ]
    assert written.splitlines()[0].startswith("# Written by cio-kit portfolio optimize --envelope 2027=900")
    # The written scenario, compared with the base, is the optimiser's answer.
    compared = cli("scenario", "compare", "cut", "-f", "json", "--runs", "50")
    assert compared.exit_code == 0, compared.stderr
    side = json.loads(compared.stdout)["scenarios"][0]
    assert side["dropped"] == document["deferred"] and side["goals_served"] == document["goals_served"]
    assert side["finish_date"] == document["finish_after"]
    assert side["years"] == [{"year": 2027, "spend": 900.0, "envelope": 900.0}]
    text = cli("portfolio", "optimize", "--budget-scale", "0.75")
    assert text.exit_code == 0 and "Proven optimal: goal value 3 kept" in text.stdout
    assert "cut:S-SMALL" in text.stdout and "goal lost: cut:G-SMALL" in text.stdout
    infeasible = cli("portfolio", "optimize", "--envelope", "2027=300")
    assert infeasible.exit_code == 1
    assert "no choice fits" in infeasible.stderr and "2027: 400 against 300" in infeasible.stderr
    assert "Traceback" not in infeasible.stderr
    assert cli("portfolio", "optimize").exit_code == 2  # no money given
    assert cli("portfolio", "optimize", "--envelope", "next-year=5").exit_code == 2


def test_optimize_text_goldens(cli: Any, write_plan: Any, golden: Any) -> None:
    """The answer as a CIO reads it, in colour and plain, and the one that is not proven."""
    from io import StringIO

    from rich.console import Console

    from cio_kit.plan.model import Plan, Stage
    from cio_kit.portfolio.optimize import Choice
    from cio_kit.render import optimize as render

    write_plan(PLAN, name="plans/cut.yaml")
    golden("optimize-cut.txt", cli("portfolio", "optimize", "--envelope", "2027=900").stdout)
    unproven = Choice(
        optimal=False,
        objective=2.5,
        bound=4.0,
        kept=("p:S-A",),
        deferred=("p:S-B", "p:S-C"),
        goals_served=("p:G-1",),
        goals_lost=("p:G-2", "p:G-3"),
        years=((2027, 100.0, 250.0, 90.0), (2028, 50.0, 10.0, 0.0)),
        cost={"p:S-A": 90.0, "p:S-B": 150.0, "p:S-C": 20.0},
        blocked_by={"p:S-B": (), "p:S-C": ("p:S-B",)},
        value_proven=False,
    )
    plan = Plan.model_construct(
        stages=[
            Stage.model_construct(id="p:S-B", serves=["p:G-2", "p:G-3"]),
            Stage.model_construct(id="p:S-C", serves=["p:G-1"]),
        ]
    )
    buffer = StringIO()
    console = Console(file=buffer, width=80, force_terminal=True, color_system="standard", highlight=False)
    render.render_text(unproven, plan, console)
    golden("optimize-unproven.ansi", buffer.getvalue())
    # The goal value proven, the tie-breaks not: the answer says which part is proven.
    ties = replace(unproven, value_proven=True, objective=2.5, bound=2.5)
    plain = Console(file=StringIO(), width=200, color_system=None)
    render.render_text(ties, plan, plain)
    assert plain.file.getvalue().splitlines()[0] == (  # type: ignore[attr-defined]
        "Goal value 2.5 proven optimal; the tie-breaks (the most spend kept, then the earlier stages) "
        "were not proven within the time limit"
    )
    assert json.loads(render.to_json(ties))["value_optimal"] is True
    assert json.loads(render.to_json(unproven))["value_optimal"] is False
    assert json.loads(render.to_json(unproven))["bound"] == 4.0  # which bound it reached (SPEC §12)
    golden(
        "optimize-scenario.yaml",
        render.scenario(
            "cut-20",
            unproven,
            {2027: 100.0, 2028: 50.25},
            "cio-kit portfolio optimize --budget-scale 0.8",
            {ident: 52.1429 * years for ident, years in unproven.moved.items()},
        ),
    )


def test_the_last_day_line_says_how_the_finish_moved_and_why() -> None:
    """Later by moves, sooner only by drops (and it says so), unchanged, or nothing left."""
    import datetime as dt

    from cio_kit.plan.model import Plan, Stage
    from cio_kit.portfolio.optimize import Choice
    from cio_kit.render.optimize import _finish_line, _why

    day = dt.date(2029, 5, 18)
    choice = Choice(
        optimal=True,
        objective=1.0,
        bound=1.0,
        kept=("p:S-A",),
        deferred=("p:S-B",),
        goals_served=(),
        goals_lost=("p:G-1",),
        years=(),
        cost={"p:S-A": 1.0, "p:S-B": 1.0, "p:S-C": 1.0, "p:S-D": 1.0},
        blocked_by={"p:S-B": (), "p:S-D": ("p:S-B", "p:S-C")},
        value_proven=True,
        held={"p:S-B": "p:G-1 is due 2029-12-31"},
    )
    two = replace(choice, deferred=("p:S-B", "p:S-C"))
    kept_all = replace(choice, deferred=())
    assert _finish_line(choice, (None, None)) is None
    assert (
        _finish_line(choice, (day, None)) == "Last day of work: 2029-05-18 before, nothing left to do after"
    )
    assert _finish_line(choice, (day, day)) == "Last day of work: 2029-05-18 before, 2029-05-18 after"
    assert _finish_line(choice, (day, dt.date(2029, 5, 4))) == (
        "Last day of work: 2029-05-18 before, 2029-05-04 after (-14 days, from dropping 1 stage)"
    )
    assert _finish_line(two, (day, dt.date(2029, 5, 4))).endswith("(-14 days, from dropping 2 stages)")  # type: ignore[union-attr]
    assert _finish_line(kept_all, (day, dt.date(2029, 5, 4))).endswith("after (-14 days)")  # type: ignore[union-attr]
    assert _finish_line(choice, (day, dt.date(2030, 5, 18))).endswith("after (+365 days)")  # type: ignore[union-attr]
    plan = Plan.model_construct(
        stages=[
            Stage.model_construct(id="p:S-B", serves=["p:G-1"]),
            Stage.model_construct(id="p:S-D", serves=[]),
        ]
    )
    assert _why(choice, plan, "p:S-B") == "goal lost: p:G-1; cannot move instead: p:G-1 is due 2029-12-31"
    assert _why(choice, plan, "p:S-D") == "depends on deferred p:S-B, p:S-C; no goal lost by it alone"


def test_a_moving_answer_in_colour_names_moves_restores_collateral_and_what_comes_next(golden: Any) -> None:
    """The keep / move / drop answer as a CIO reads it (SPEC §18), in colour: every part of the text.

    Proven, then with only the goal value proven; values in money (an NPV) from a million up.
    """
    import datetime as dt
    from io import StringIO

    from rich.console import Console

    from cio_kit.plan.model import Plan, Stage
    from cio_kit.portfolio.optimize import Choice
    from cio_kit.render import optimize as render

    moving = Choice(
        optimal=True,
        objective=2_345_678.4,
        bound=2_345_678.4,
        kept=("p:S-A",),
        deferred=("p:S-B", "p:S-D", "p:S-C"),
        goals_served=("p:G-1",),
        goals_lost=("p:G-2", "p:G-3"),
        years=((2027, 1_000.0, 1_250.0, 900.0), (2028, 500.0, 100.0, 450.0)),
        cost={"p:S-A": 900.0, "p:S-B": 150.0, "p:S-C": 20.0, "p:S-D": 5.0, "p:S-M": 350.0, "p:S-N": 100.0},
        blocked_by={"p:S-B": (), "p:S-D": (), "p:S-C": ("p:S-B", "p:S-D")},
        value_proven=True,
        moved={"p:S-M": 1, "p:S-N": 2},
        restore={"p:G-2": {2027: 150.0, 2028: 25.5}},
        alternatives=((1_200_000.0, ("p:G-1", "p:G-2")), (900_000.0, ("p:G-3",))),
        held={"p:S-B": "p:G-2 is due 2027-12-31"},
    )
    plan = Plan.model_construct(
        stages=[
            Stage.model_construct(id="p:S-B", serves=["p:G-2"]),
            Stage.model_construct(id="p:S-D", serves=[]),
            Stage.model_construct(id="p:S-C", serves=["p:G-3"]),
        ]
    )
    buffer = StringIO()
    console = Console(file=buffer, width=100, force_terminal=True, color_system="standard", highlight=False)
    finish = (dt.date(2028, 6, 30), dt.date(2028, 5, 31))
    render.render_text(moving, plan, console, finish, "Hengda — what to keep under the envelope: as written")
    render.render_text(replace(moving, optimal=False), plan, console, (finish[0], finish[0]))
    golden("optimize-moving.ansi", buffer.getvalue())
    # On a narrow terminal the tables give way in their words, never inside an amount.
    narrow = Console(file=StringIO(), width=26, color_system=None, highlight=False)
    render.render_text(
        replace(moving, cost={**moving.cost, "p:S-B": 1_234_567.0, "p:S-N": 98_765_432.0}), plan, narrow
    )
    golden("optimize-moving-26.txt", narrow.file.getvalue())  # type: ignore[attr-defined]


def test_a_goal_value_reads_as_written_below_a_thousand_and_as_money_from_one() -> None:
    """Weights are small numbers written as they are; an NPV of 900,000 is money like one of 9M."""
    from cio_kit.render.optimize import _value

    assert (_value(5.0), _value(2.5), _value(999.0)) == ("5", "2.5", "999")
    assert (_value(1_000.0), _value(999_999.0), _value(-2_500_000.4)) == ("1,000", "999,999", "-2,500,000")


def test_when_what_must_stay_does_not_fit_the_answer_names_each_year_over_and_no_other() -> None:
    from cio_kit.portfolio.optimize import DeferralProblem, why_infeasible

    data = DeferralProblem(
        ("S-DONE", "S-MUST"),
        ({2027: 400.0, 2028: 100.0}, {2028: 100.000001}),
        frozenset({0, 1}),
        ((), (0,)),
        (),
        {2027: 300.0, 2028: 200.0, 2029: 50.0},
        {2029: 60.0},
    )
    # 2028 holds 200.000001 against 200: within the tolerance of a millionth (rounding), not over.
    assert why_infeasible(data) == (
        "the stages that must be kept (done, in progress, mandatory or a group's preparation, with what "
        "they depend on) and the budget lines already exceed the envelope in 2027: 400 against 300; "
        "2029: 60 against 50; raise the envelope or review what is mandatory"
    )


def test_stopped_before_any_bound_the_answer_bounds_by_every_goal_and_stays_json() -> None:
    """A time limit too short for the solver's first bound: the bound is every goal's weight, not infinity
    (which no JSON reader accepts)."""
    from cio_kit.render.optimize import to_json

    from .test_retime import _chains

    data = _chains(0, plans=30, stages=60)
    choice = solve(data, time_limit=0.001)
    assert not choice.value_proven
    assert math.isfinite(choice.bound)
    assert choice.objective <= choice.bound <= sum(weight for _, weight, _ in data.goals)
    assert json.loads(to_json(choice), parse_constant=lambda name: pytest.fail(name))["bound"] == choice.bound
