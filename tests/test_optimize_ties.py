"""The keep/drop optimiser's tie-breaks (SPEC §12), each on a portfolio small enough to see by hand."""

from __future__ import annotations

import random

import pytest

from cio_kit.portfolio.optimize import DeferralProblem, solve

from .test_optimize import best_by_enumeration


def _problem(costs: list[float], envelope: float, goals: tuple[tuple[str, float, tuple[int, ...]], ...] = ()):
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
    """G-1 (weight 2) needs the 100-stage; keeping it leaves no room for the 300 that serves nothing."""
    choice = solve(_problem([100.0, 300.0, 250.0], 350.0, (("G-1", 2.0, (0,)), ("G-2", 1.0, (2,)))))
    # Value 3 (both goals: 100 + 250) beats value 2 with more spend (100 + ... no room for 300 beside 250).
    assert choice.optimal and choice.kept == ("S-0", "S-2") and choice.objective == 3.0


def test_the_solver_prints_nothing_for_stdout_carries_the_json(capfd: pytest.CaptureFixture[str]) -> None:
    """HiGHS writes its log to the process's own stdout, under Python's: every pass must keep it quiet."""
    solve(_problem([100.0, 300.0, 250.0], 350.0, (("G-1", 2.0, (0,)),)))
    assert capfd.readouterr() == ("", "")
