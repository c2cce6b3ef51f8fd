"""When ``--time-limit`` ends the search first: what the keep/drop answer then says (SPEC §12).

HiGHS proves these small portfolios at once, so the time limit is made to end
first by a HiGHS that answers, from a given pass on, as it does when its time
runs out: with the best it found and no proof.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import highspy
import pytest

from cio_kit.portfolio.optimize import DeferralProblem, solve

# G-1 (weight 2) needs S-A, G-2 (weight 1) S-B; room for one of them. S-C serves nothing.
DATA = DeferralProblem(
    ("S-A", "S-B", "S-C"),
    ({2027: 100.0}, {2027: 100.0}, {2027: 50.0}),
    frozenset(),
    ((), (), ()),
    (("G-1", 2.0, (0,)), ("G-2", 1.0, (1,))),
    {2027: 150.0},
    {},
)


class _Timed:
    """A HiGHS that says its time ran out once ``stopped``, and records the time limits it was given."""

    def __init__(self, stopped: bool, limits: list[float], bound: float | None) -> None:
        self._real, self._stopped, self._limits, self._bound = highspy.Highs(), stopped, limits, bound

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def setOptionValue(self, name: str, value: Any) -> Any:
        if name == "time_limit":
            self._limits.append(value)
        return self._real.setOptionValue(name, value)

    def getModelStatus(self) -> Any:
        return highspy.HighsModelStatus.kTimeLimit if self._stopped else self._real.getModelStatus()

    def getInfo(self) -> Any:
        info = self._real.getInfo()
        if self._bound is not None:
            info.mip_dual_bound = self._bound
        return info


def _highs(monkeypatch: pytest.MonkeyPatch, stop_from: int, bound: float | None = None) -> list[list[float]]:
    """HiGHS whose passes (0: the goal value, 1: the tie-breaks) stop on time from ``stop_from`` on."""
    limits: list[list[float]] = []

    def make() -> _Timed:
        limits.append([])
        return _Timed(len(limits) - 1 >= stop_from, limits[-1], bound)

    fake = types.SimpleNamespace(Highs=make, HighsModelStatus=highspy.HighsModelStatus)
    monkeypatch.setitem(sys.modules, "highspy", fake)
    return limits


def test_every_pass_is_given_what_is_left_of_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = _highs(monkeypatch, stop_from=99)
    choice = solve(DATA, time_limit=30.0)
    assert choice.optimal
    (goal_pass,), tie_breaks = limits
    assert 29.0 < goal_pass <= 30.0
    assert len(tie_breaks) == 2 and all(0 < limit <= goal_pass for limit in tie_breaks)
    limits.clear()
    solve(DATA, time_limit=0.5)
    assert all(0 < limit <= 0.5 for each in limits for limit in each)


def test_a_goal_value_not_proven_is_given_as_found_with_the_solvers_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bound is the solver's dual bound, never more than every goal served (3 here)."""
    _highs(monkeypatch, stop_from=0, bound=2.5)
    choice = solve(DATA)
    assert choice.optimal is False and choice.value_proven is False
    assert (choice.objective, choice.bound) == (2.0, 2.5)
    # The tie-breaks are not started on a value that is not proven: S-C, which serves nothing, stays out.
    assert choice.kept == ("S-A",)
    _highs(monkeypatch, stop_from=0, bound=1e9)
    assert solve(DATA).bound == 3.0


def test_tie_breaks_cut_short_keep_the_proven_value_and_say_they_are_not_proven(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _highs(monkeypatch, stop_from=1)
    choice = solve(DATA)
    assert choice.value_proven is True and choice.optimal is False
    assert choice.objective == 2.0 and choice.goals_served == ("G-1",)


@pytest.mark.parametrize("shift", ["0", "2"])
def test_the_command_gives_the_solver_its_time_limit(
    shift: str, cli: Any, write_plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep or drop (`--max-shift 0`) and keep, move or drop alike: no pass runs longer than asked."""
    from .test_optimize import PLAN

    write_plan(PLAN, name="plans/cut.yaml")
    limits = _highs(monkeypatch, stop_from=99)
    result = cli("portfolio", "optimize", "--envelope", "2027=900", "--max-shift", shift, "--time-limit", "7")
    assert result.exit_code == 0, result.stderr
    given = [limit for each in limits for limit in each]
    assert given and all(0 < limit <= 7 for limit in given) and given[0] > 6
