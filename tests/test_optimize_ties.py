"""The keep/drop optimiser (SPEC §12) on portfolios small enough to see by hand or to try every choice."""

from __future__ import annotations

import itertools
import os
import random

import pytest

from cio_kit.portfolio.optimize import DeferralProblem, solve

from .test_optimize import best_by_enumeration


def _problem(
    costs: list[float], envelope: float, goals: tuple[tuple[str, float, tuple[int, ...]], ...] = ()
) -> DeferralProblem:
    count = len(costs)
    return DeferralProblem(
        tuple(f"S-{i}" for i in range(count)),
        tuple({2027: cost} for cost in costs),
        frozenset(),
        tuple(() for _ in range(count)),
        goals,
        {2027: envelope},
        {},
    )


def test_with_no_goal_at_stake_the_most_spend_is_kept_before_the_earlier_stages() -> None:
    """300 fits, or 100: the 300 is kept though the 100 comes first in the file."""
    choice = solve(_problem([100.0, 300.0], 300.0))
    assert choice.optimal and choice.kept == ("S-1",)


def test_when_spend_ties_the_earlier_stages_are_kept() -> None:
    """Four stages of 200 and room for two: the first two in file order."""
    choice = solve(_problem([200.0] * 4, 400.0))
    assert choice.optimal and choice.kept == ("S-0", "S-1") and choice.deferred == ("S-2", "S-3")


@pytest.mark.parametrize("seed", range(3))
def test_a_cut_of_half_the_spend_keeps_the_most_spend_then_the_earliest_of_14_stages(seed: int) -> None:
    """No goal at stake: only the tie-breaks decide, and 2^14 choices are few enough to try them all."""
    rng = random.Random(seed)
    costs = [float(rng.randint(1, 50) * 10) for _ in range(14)]
    data = _problem(costs, sum(costs) / 2)
    choice = solve(data)
    kept = {data.stages.index(ident) for ident in choice.kept}
    assert choice.optimal and data.score(kept) == best_by_enumeration(data)


def test_the_goal_value_comes_before_the_spend() -> None:
    """Room for 400: S-0 (G-1, weight 2) with the 300 that serves nothing spends it all for value 2;
    S-0 with S-2 (G-2, weight 1) spends 350 for value 3, and that is the answer."""
    choice = solve(_problem([100.0, 300.0, 250.0], 400.0, (("G-1", 2.0, (0,)), ("G-2", 1.0, (2,)))))
    assert choice.optimal and choice.kept == ("S-0", "S-2") and choice.objective == 3.0


def test_the_solver_prints_nothing_for_stdout_carries_the_json(capfd: pytest.CaptureFixture[str]) -> None:
    """HiGHS writes its log to the process's own stdout, under Python's: every pass must keep it quiet."""
    solve(_problem([100.0, 300.0, 250.0], 350.0, (("G-1", 2.0, (0,)),)))
    assert capfd.readouterr() == ("", "")
    # Silenced while HiGHS starts, stdout and stderr are each given back as they were.
    os.write(1, b"out\n")
    os.write(2, b"err\n")
    assert capfd.readouterr() == ("out\n", "err\n")


def _goals_problem(seed: int) -> DeferralProblem:
    """24 stages over three years, 12 goals of one to three stages each, every envelope cut to 40%."""
    rng = random.Random(seed)
    costs = tuple({year: float(rng.randint(1, 50) * 10) for year in (2027, 2028, 2029)} for _ in range(24))
    goals = tuple(
        (f"G-{g}", float(rng.randint(1, 9)), tuple(sorted(rng.sample(range(24), rng.randint(1, 3)))))
        for g in range(12)
    )
    envelope = {year: sum(cost[year] for cost in costs) * 0.4 for year in (2027, 2028, 2029)}
    return DeferralProblem(
        tuple(f"S-{i}" for i in range(24)),
        costs,
        frozenset(),
        tuple(() for _ in range(24)),
        goals,
        envelope,
        {},
    )


@pytest.mark.parametrize("seed", [125, 7])
def test_the_goal_value_is_the_best_of_every_set_of_goals(seed: int) -> None:
    """Exact, not within a gap: 2^12 sets of goals, each served when all its stages fit together."""
    data = _goals_problem(seed)
    best = max(
        sum(data.goals[g][1] for g in chosen)
        for size in range(len(data.goals) + 1)
        for chosen in itertools.combinations(range(len(data.goals)), size)
        if data.feasible({i for g in chosen for i in data.goals[g][2]})
    )
    choice = solve(data)
    assert choice.optimal and choice.objective == best


def test_a_year_a_goal_spends_nothing_in_does_not_stand_in_its_way() -> None:
    """G-1 (weight 2) needs S-A, G-2 (weight 1) S-B; each spends 100 in 2027 only, and 2028 has nothing."""
    data = DeferralProblem(
        ("S-B", "S-A"),
        ({2027: 100.0}, {2027: 100.0}),
        frozenset(),
        ((), ()),
        (("G-1", 2.0, (1,)), ("G-2", 1.0, (0,))),
        {2027: 100.0, 2028: 0.0},
        {},
    )
    choice = solve(data)
    assert choice.goals_served == ("G-1",) and choice.kept == ("S-A",)


def test_the_goal_value_and_its_bound_are_given_to_six_decimals() -> None:
    """Weights add up as fractions: 0.1 + 0.2 is 0.3, not 0.30000000000000004; a seventh decimal goes."""
    choice = solve(
        _problem([100.0, 100.0, 100.0], 300.0, (("G-1", 0.1, (0,)), ("G-2", 0.2, (1,)), ("G-3", 1e-7, (2,))))
    )
    assert choice.value_proven and choice.optimal
    assert (choice.objective, choice.bound) == (0.3, 0.3)


PEOPLE = """\
cio_kit: 1
enterprise: {name: People, plan_start: 2027-01-04}
stakeholders:
  - id: SG-OPS
    actions:
      - {type: training, stage: S-TRAIN}
      - {type: briefing, stage: S-BRIEF}
      - {type: reassignment, stage: S-MOVE}
      - {type: transfer, stage: S-TRANSFER}
      - {type: counselling, stage: S-COUNSEL}
      - {type: reward, stage: S-REWARD}
stages:
"""


def test_a_groups_preparation_is_kept_and_its_counselling_and_reward_are_not() -> None:
    """PEOPLE001-003 ask for training, briefing, reassignment and transfer whether the rollout goes ahead."""
    from cio_kit.plan.loader import load_bytes
    from cio_kit.portfolio.optimize import problem

    names = ("S-TRAIN", "S-BRIEF", "S-MOVE", "S-TRANSFER", "S-COUNSEL", "S-REWARD")
    stages = "".join(
        f"  - {{id: {n}, title: t, kind: change-management, duration_weeks: 1}}\n" for n in names
    )
    plan = load_bytes((PEOPLE + stages).encode(), "people.yaml").plan
    assert plan is not None
    alone = problem(plan, {2027: 1.0})
    assert {alone.stages[i] for i in alone.prepared} == {"S-TRAIN", "S-BRIEF", "S-MOVE", "S-TRANSFER"}
    # In a portfolio each plan's stages are named by the plan: the merged plan's ids are "hr:S-…".
    merged = plan.model_copy(
        update={"stages": [s.model_copy(update={"id": f"hr:{s.id}"}) for s in plan.stages]}
    )
    within = problem(merged, {2027: 1.0}, members=[("hr", plan)])
    assert {within.stages[i] for i in within.prepared} == {
        "hr:S-TRAIN",
        "hr:S-BRIEF",
        "hr:S-MOVE",
        "hr:S-TRANSFER",
    }
