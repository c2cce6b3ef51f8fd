"""Resource levelling: hand-worked networks, feasibility, and the optimum on small ones."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_kit.analysis.levelling import (
    LevellingProblem,
    Unschedulable,
    level,
    makespan,
    overloaded_days,
    reference_order,
    serial,
)
from tests.conftest import examples

HORIZON = 60


def one_person(*durations: int, capacity: list[int] | None = None, **extra: object) -> LevellingProblem:
    """Activities that each need the one person full time."""
    return LevellingProblem(
        durations=list(durations),
        predecessors=extra.pop("predecessors", [[] for _ in durations]),  # type: ignore[arg-type]
        demands=[[(0, 1)] for _ in durations],
        capacity=[capacity or [1] * HORIZON],
        **extra,  # type: ignore[arg-type]
    )


def test_two_stages_sharing_one_person_run_one_after_the_other_in_file_order() -> None:
    result = level(one_person(5, 5))
    assert result.starts == [0, 5]
    assert result.makespan == result.reference_makespan == 10


def test_the_higher_priority_goes_first() -> None:
    assert level(one_person(5, 5, priority=[500, 700])).starts == [5, 0]


def test_the_smaller_latest_start_goes_first_on_equal_priority() -> None:
    # C follows B, so B has the smaller latest start and goes before A.
    problem = one_person(3, 3, 2, predecessors=[[], [], [1]])
    problem = LevellingProblem(
        problem.durations, problem.predecessors, [[(0, 1)], [(0, 1)], []], problem.capacity
    )
    assert reference_order(problem) == [1, 0, 2]
    assert level(problem).starts == [3, 0, 3]


def test_a_stage_never_starts_before_its_release_or_its_predecessors() -> None:
    problem = one_person(2, 2, release=[4, 0], predecessors=[[], [0]])
    assert level(problem).starts == [4, 6]


def test_a_day_off_carries_no_demand_and_the_stage_spans_it() -> None:
    # Durations are elapsed days. Day 2 is not a working day (capacity 0): A spans
    # days 0-2 and works on 0 and 1, so B may start on the day off and work from day 3.
    capacity = [1, 1, 0, 1, 1, 1, 1] + [1] * HORIZON
    problem = one_person(3, 3, capacity=capacity)
    result = level(problem)
    assert result.starts == [0, 2]
    assert overloaded_days(problem, result.starts) == []
    assert overloaded_days(problem, [0, 1]) == [(0, 1)]


def test_half_people_are_compared_exactly() -> None:
    # Three activities at 1/3 of a person fit together in one person; a fourth waits.
    third = Fraction(1, 3)
    problem = LevellingProblem([4] * 4, [[]] * 4, [[(0, third)]] * 4, [[1] * HORIZON])
    assert level(problem).starts == [0, 0, 0, 4]


def test_demand_above_capacity_on_every_day_is_unschedulable() -> None:
    problem = LevellingProblem([2], [[]], [[(0, 3)]], [[2] * HORIZON])
    with pytest.raises(Unschedulable) as raised:
        level(problem)
    assert raised.value.activity == 0


def test_overloaded_days_are_found_in_the_unlevelled_schedule() -> None:
    problem = one_person(2, 3)
    assert overloaded_days(problem, [0, 0]) == [(0, 0), (0, 1)]
    assert overloaded_days(problem, [0, 2]) == []


def test_improvement_beats_the_reference_where_the_reference_order_is_poor() -> None:
    # Capacity 2. The reference takes A (latest start 0) first, then B and C
    # cannot run beside each other. The optimum runs B with A and C alone.
    problem = LevellingProblem(
        durations=[4, 4, 2, 2],
        predecessors=[[], [], [], [2]],
        demands=[[(0, 1)], [(0, 1)], [(0, 2)], [(0, 2)]],
        capacity=[[2] * HORIZON],
    )
    result = level(problem, budget=50)
    assert result.makespan <= result.reference_makespan
    assert result.makespan == _optimum(problem)
    assert overloaded_days(problem, result.starts) == []


def _optimum(problem: LevellingProblem) -> int:
    """The best makespan over every precedence-feasible activity list (serial SGS reaches an optimum)."""
    best = None
    for order in itertools.permutations(range(problem.size)):
        position = {activity: index for index, activity in enumerate(order)}
        if any(position[p] > position[a] for a in range(problem.size) for p in problem.predecessors[a]):
            continue
        span = makespan(problem, serial(problem, order))
        best = span if best is None else min(best, span)
    assert best is not None
    return best


def _random_problem(generator: random.Random, size: int, resources: int) -> LevellingProblem:
    durations = [generator.randint(1, 5) for _ in range(size)]
    predecessors = [[p for p in range(a) if generator.random() < 0.25] for a in range(size)]
    limits = [generator.randint(2, 4) for _ in range(resources)]
    demands = [
        [(r, generator.randint(1, limits[r])) for r in range(resources) if generator.random() < 0.7]
        for _ in range(size)
    ]
    return LevellingProblem(
        durations, predecessors, demands, [[limit] * (sum(durations) + 10) for limit in limits]
    )


def test_small_networks_reach_the_optimum_of_exhaustive_search() -> None:
    generator = random.Random(20271)
    reached = 0
    for _ in range(25):
        problem = _random_problem(generator, 6, 2)
        result = level(problem, budget=200)
        optimum = _optimum(problem)
        assert optimum <= result.makespan <= result.reference_makespan
        reached += result.makespan == optimum
    assert reached == 25


@st.composite
def problems(draw: st.DrawFn) -> LevellingProblem:
    return _random_problem(
        random.Random(draw(st.integers(0, 2**32))), draw(st.integers(1, 12)), draw(st.integers(1, 3))
    )


@settings(max_examples=examples(60), deadline=None)
@given(
    problem=problems(),
    release=st.lists(st.integers(0, 6), min_size=12, max_size=12),
    budget=st.integers(0, 30),
)
def test_a_levelled_schedule_is_feasible_and_never_later_than_the_reference(
    problem: LevellingProblem, release: list[int], budget: int
) -> None:
    problem = LevellingProblem(
        problem.durations, problem.predecessors, problem.demands, problem.capacity, release[: problem.size]
    )
    result = level(problem, budget=budget)
    assert overloaded_days(problem, result.starts) == []
    for activity, start in enumerate(result.starts):
        assert start >= problem.release[activity]
        for predecessor in problem.predecessors[activity]:
            assert start >= result.starts[predecessor] + problem.durations[predecessor]
    assert result.makespan == makespan(problem, result.starts) <= result.reference_makespan
    assert result.makespan == makespan(problem, serial(problem, reference_order(problem))) or budget > 0


def test_latest_starts_against_the_unconstrained_finish() -> None:
    from cio_kit.analysis.levelling import latest_starts, topological_order

    # A (3 days) then B (2); C (4) alone. The network ends on day 5; with A released on
    # day 2 it ends on day 7 and everything may start two days later.
    problem = LevellingProblem([3, 2, 4], [[], [0], []], [[], [], []], [[1] * HORIZON])
    assert latest_starts(problem, topological_order(problem)) == [0, 3, 1]
    released = LevellingProblem([3, 2, 4], [[], [0], []], [[], [], []], [[1] * HORIZON], release=[2, 0, 0])
    assert latest_starts(released, topological_order(released)) == [2, 5, 3]


def test_a_cycle_is_refused_by_name() -> None:
    from cio_kit.analysis.levelling import topological_order

    with pytest.raises(ValueError, match="cycle"):
        topological_order(LevellingProblem([1, 1], [[1], [0]], [[], []], [[1] * HORIZON]))


def test_serial_honours_a_release_given_to_it() -> None:
    problem = one_person(2, 2)
    assert serial(problem, [0, 1]) == [0, 2]
    assert serial(problem, [0, 1], release=[3, 0]) == [3, 0]


def test_an_empty_problem_ends_on_day_zero() -> None:
    assert makespan(LevellingProblem([], [], [], []), []) == 0
    assert level(LevellingProblem([], [], [], [])).makespan == 0


def test_a_booking_holds_only_its_own_days() -> None:
    # A asks for the whole person on its third day only (as an effort-driven stage's last,
    # partial day does); B, one day of the whole person, fits beside it on day 0.
    def timing(activity: int, earliest: int) -> tuple[int, int, list[tuple[int, int, int, int]]]:
        return (earliest, 3, [(0, 1, 2, 3)]) if activity == 0 else (earliest, 1, [(0, 1, 0, 1)])

    problem = LevellingProblem([3, 1], [[], []], [[], []], [[1] * HORIZON], timing=timing)
    assert level(problem).starts == [0, 0]

    # Now B needs two days from day 1: it overlaps A's day 2 and must wait until day 3.
    def later(activity: int, earliest: int) -> tuple[int, int, list[tuple[int, int, int, int]]]:
        return (earliest, 3, [(0, 1, 2, 3)]) if activity == 0 else (max(earliest, 1), 2, [(0, 1, 0, 2)])

    assert level(LevellingProblem([3, 2], [[], []], [[], []], [[1] * HORIZON], timing=later)).starts == [0, 3]


def test_total_successors_counts_each_descendant_once() -> None:
    from cio_kit.analysis.levelling import _total_successors

    # A → B → D, A → C → D, E alone.
    assert _total_successors([[1, 2], [3], [3], [], []]) == [3, 1, 1, 0, 0]


def test_demand_past_the_last_day_of_capacity_is_an_overload() -> None:
    problem = LevellingProblem([2], [[]], [[(0, 1)]], [[1, 1, 1]])
    assert overloaded_days(problem, [1]) == []
    assert overloaded_days(problem, [2]) == [(0, 3)]


def test_the_unschedulable_activity_is_named() -> None:
    with pytest.raises(Unschedulable, match="activity 1 does not fit"):
        level(LevellingProblem([1, 1], [[], []], [[], [(0, 2)]], [[1] * 5]))


def _precedes_well(order: list[int], problem: LevellingProblem) -> bool:
    at = {activity: k for k, activity in enumerate(order)}
    return all(at[p] < at[a] for a in range(problem.size) for p in problem.predecessors[a])


def test_a_child_of_two_orders_keeps_precedence_and_takes_each_parents_part() -> None:
    """Hartmann's two-point crossover: the mother's head, then the father's order for the middle, then the
    mother's for the rest; and a shift moves one activity within its window. Both keep precedence."""
    from cio_kit.analysis.levelling import _crossed, _shifted, successors_of

    generator = random.Random(7)
    for _ in range(200):
        problem = _random_problem(generator, 12, 1)
        mother = _by_random_topology(problem, generator)
        father = _by_random_topology(problem, generator)
        child = _crossed(mother, father, random.Random(generator.random()))
        assert sorted(child) == list(range(problem.size)) and _precedes_well(child, problem)
        moved = list(child)
        _shifted(moved, problem.predecessors, successors_of(problem), generator)
        assert sorted(moved) == list(range(problem.size)) and _precedes_well(moved, problem)
        # One activity left its place: without it, the two orders are the same.
        assert any([x for x in moved if x != a] == [x for x in child if x != a] for a in child)


def test_the_crossover_points_decide_each_parents_share() -> None:
    """Cut at 2 and 4 of six: the mother's first two, the father's next two not yet taken, the rest as
    the mother has them."""
    from cio_kit.analysis.levelling import _crossed

    class Cuts(random.Random):
        def sample(self, population, k, *, counts=None):  # type: ignore[no-untyped-def, override]
            return [4, 2]

    mother, father = [0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0]
    assert _crossed(mother, father, Cuts()) == [0, 1, 5, 4, 2, 3]


def _by_random_topology(problem: LevellingProblem, generator: random.Random) -> list[int]:
    waiting = [len(p) for p in problem.predecessors]
    following = [
        [a for a in range(problem.size) if p in problem.predecessors[a]] for p in range(problem.size)
    ]
    ready = [a for a in range(problem.size) if not waiting[a]]
    order = []
    while ready:
        activity = ready.pop(generator.randrange(len(ready)))
        order.append(activity)
        for successor in following[activity]:
            waiting[successor] -= 1
            if not waiting[successor]:
                ready.append(successor)
    return order


def test_every_pair_of_cut_points_is_equally_likely() -> None:
    """Cuts are two of the seven places around six activities, each pair alike (1 in 21). With the
    mother 0…5 and the father reversed, the child is the father for cuts (0, 5) and (0, 6) (after his
    first five, the one left is the mother's last), twice in 21; it is the mother only for (5, 6), once."""
    from cio_kit.analysis.levelling import _crossed

    mother, father = [0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0]
    generator = random.Random(11)
    children = [_crossed(mother, father, generator) for _ in range(4200)]
    assert 0.08 < children.count(father) / 4200 < 0.11
    assert 0.035 < children.count(mother) / 4200 < 0.065
