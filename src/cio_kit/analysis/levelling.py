"""Resource levelling: start activities so that no resource is over capacity on any day.

The problem is the resource-constrained project scheduling problem (RCPSP):
activities with durations in days, finish-to-start precedences, a demand per
resource on each working day, and a capacity per resource and day. It is
NP-hard, so the method is the standard one for plans of thousands of stages
(SPEC §11):

1. The **reference** serial schedule: take, among activities whose
   predecessors are placed, the one with the highest priority, then the
   smallest latest start, then file order, and start it on the first day from
   which every resource it needs has the free capacity on all of its days.
2. **Improvement** within a budget of schedules: other activity orders (latest
   finish, most successors, greatest rank weight, and randomly biased ones),
   then a genetic search over activity lists (Hartmann 1998: two parents by
   tournament, a two-point crossover that keeps precedence, an activity moved
   within its window as the mutation). Every schedule is followed by
   forward–backward improvement (Valls, Ballestín & Quintanilla 2005: shift
   every activity as late as the makespan allows, then as early as possible
   again). The best makespan wins; the reference is kept on a tie, so the
   answer is never later than the reference.

Capacities and demands are integers or fractions and are compared exactly.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from cio_kit.plan.graph import invert

Amount = int | Fraction
Booking = tuple[int, Amount, int, int]
"""(resource, demand on each of its working days, first and end day counted from the activity's start)."""
Timing = Callable[[int, int], "tuple[int, int, Sequence[Booking]] | None"]
"""(activity, earliest day) → (start, duration, bookings) when an activity's timing depends on
its start (working calendars, effort-driven work); None when it can never be placed."""


@dataclass(frozen=True)
class LevellingProblem:
    """One levelling problem; activities and resources are numbered from 0."""

    durations: Sequence[int]
    """Days per activity (0 for a milestone, which needs no capacity)."""
    predecessors: Sequence[Sequence[int]]
    """Finish-to-start predecessors of each activity."""
    demands: Sequence[Sequence[tuple[int, Amount]]]
    """Per activity: (resource, demand on each of its days)."""
    capacity: Sequence[Sequence[Amount]]
    """Per resource: capacity on each day from day 0 to the horizon. A day with
    capacity 0 is not a working day of that resource: an activity's demand on
    the resource falls on the resource's working days only (SPEC §11)."""
    release: Sequence[int] = ()
    """Earliest start of each activity (0 when empty)."""
    priority: Sequence[int] = ()
    """Higher goes first among the ready activities (500 each when empty)."""
    timing: Timing | None = None
    """When set, gives each activity's start, duration and bookings from a candidate start;
    ``durations`` and ``demands`` then only guide the priority rules."""
    held: Sequence[Mapping[int, Amount]] = ()
    """Per resource: capacity already taken on some days (work under way), by day."""

    @property
    def size(self) -> int:
        """The number of activities."""
        return len(self.durations)

    @cached_property
    def uniform(self) -> list[Amount | None]:
        """Per resource: its capacity when every working day has the same, else None."""
        found: list[Amount | None] = []
        for days in self.capacity:
            values = set(days) - {0}
            found.append(values.pop() if len(values) == 1 else None)
        return found


class Unschedulable(Exception):
    """An activity finds no window with enough capacity before the horizon."""

    def __init__(self, activity: int) -> None:
        super().__init__(f"activity {activity} does not fit before the horizon")
        self.activity = activity


@dataclass
class Result:
    """A levelled schedule."""

    starts: list[int]
    """Start day of each activity."""
    makespan: int
    """The day after the last activity's last day."""
    reference_makespan: int
    """The reference serial schedule's makespan (never below ``makespan``)."""


def successors_of(problem: LevellingProblem) -> list[list[int]]:
    """The successors of each activity."""
    return invert(problem.predecessors)


def topological_order(problem: LevellingProblem) -> list[int]:
    """Activities with every predecessor before them, file order on ties."""
    following = successors_of(problem)
    waiting = [len(before) for before in problem.predecessors]
    ready = [activity for activity in range(problem.size) if not waiting[activity]]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        activity = heapq.heappop(ready)
        order.append(activity)
        for successor in following[activity]:
            waiting[successor] -= 1
            if not waiting[successor]:
                heapq.heappush(ready, successor)
    if len(order) != problem.size:
        raise ValueError("the precedence network has a cycle")
    return order


def latest_starts(problem: LevellingProblem, order: Sequence[int]) -> list[int]:
    """Latest starts without resources, against the unconstrained makespan."""
    release = problem.release or [0] * problem.size
    finish = [0] * problem.size
    for activity in order:
        start = max([release[activity], *(finish[p] for p in problem.predecessors[activity])])
        finish[activity] = start + problem.durations[activity]
    end = max(finish, default=0)
    following = successors_of(problem)
    latest = [0] * problem.size
    for activity in reversed(order):
        latest_finish = min((latest[s] for s in following[activity]), default=end)
        latest[activity] = latest_finish - problem.durations[activity]
    return latest


class _Profile:
    """Capacity used per resource and day, for one schedule being built.

    Capacity is shared, never copied; what is used is kept by day in a dict, so
    a schedule costs what it books, not the length of the horizon.
    """

    def __init__(self, problem: LevellingProblem) -> None:
        self.capacity = problem.capacity
        self.uniform = problem.uniform
        self.used: list[dict[int, Amount]] = [dict(days) for days in problem.held] or [
            {} for _ in problem.capacity
        ]

    def first_fit(self, bookings: Sequence[Booking], earliest: int, *, settle: bool = True) -> int:
        """The first day from ``earliest`` on which every booking fits, or -1.

        Without ``settle`` it returns the first start past a short day, for a
        caller whose bookings change with the start and must be made again.
        """
        start = earliest
        while True:
            moved = False
            for resource, amount, first, last in bookings:
                capacity, used = self.capacity[resource], self.used[resource]
                end = start + last
                if end > len(capacity):
                    return -1
                # The last day that is short moves the booking past it. A day with no
                # capacity is not a working day and carries no demand. Where every working
                # day has the same capacity and it covers the amount, only days already
                # used can be short: look at those when there are fewer of them.
                lowest = start + first
                whole = self.uniform[resource]
                if whole is not None and whole >= amount and len(used) < end - lowest:
                    short = [
                        day
                        for day, taken in used.items()
                        if lowest <= day < end and capacity[day] and capacity[day] - taken < amount
                    ]
                    if short:
                        start = max(short) + 1 - first
                        moved = True
                else:
                    for day in range(end - 1, lowest - 1, -1):
                        available = capacity[day]
                        if available and available - used.get(day, 0) < amount:
                            start = day + 1 - first
                            moved = True
                            break
                if moved:
                    break
            if not moved or not settle:
                return start

    def take(self, bookings: Sequence[Booking], start: int) -> None:
        for resource, amount, first, last in bookings:
            capacity, used = self.capacity[resource], self.used[resource]
            for day in range(start + first, start + last):
                if capacity[day]:
                    used[day] = used.get(day, 0) + amount


def serial(
    problem: LevellingProblem, order: Sequence[int], release: Sequence[int] | None = None
) -> list[int]:
    """Start each activity, in ``order`` (which must respect precedence), as early as it fits."""
    return _serial(problem, order, release)[0]


def _serial(
    problem: LevellingProblem, order: Sequence[int], release: Sequence[int] | None = None
) -> tuple[list[int], list[int]]:
    """Starts and finishes of the serial schedule generation scheme."""
    release = release if release is not None else (problem.release or [0] * problem.size)
    profile = _Profile(problem)
    finish = [0] * problem.size
    starts = [0] * problem.size
    for activity in order:
        start = max([release[activity], *(finish[p] for p in problem.predecessors[activity])])
        while True:
            if problem.timing is not None:
                timed = problem.timing(activity, start)
                if timed is None:
                    raise Unschedulable(activity)
                start, duration, bookings = timed
            else:
                duration = problem.durations[activity]
                bookings = (
                    [(r, amount, 0, duration) for r, amount in problem.demands[activity]] if duration else []
                )
            fit = profile.first_fit(bookings, start, settle=problem.timing is None)
            if fit < 0:
                raise Unschedulable(activity)
            if fit == start:
                break
            start = fit  # a new start may change the duration and bookings: time it again
        profile.take(bookings, start)
        starts[activity] = start
        finish[activity] = start + duration
    return starts, finish


def makespan(problem: LevellingProblem, starts: Sequence[int]) -> int:
    """The day after the last activity ends."""
    return max((start + problem.durations[a] for a, start in enumerate(starts)), default=0)


def _by_rule(problem: LevellingProblem, key: Sequence[tuple[float, ...]]) -> list[int]:
    """The activity list a priority key gives: always the ready activity with the smallest key."""
    following = successors_of(problem)
    waiting = [len(before) for before in problem.predecessors]
    ready = [(key[a], a) for a in range(problem.size) if not waiting[a]]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _, activity = heapq.heappop(ready)
        order.append(activity)
        for successor in following[activity]:
            waiting[successor] -= 1
            if not waiting[successor]:
                heapq.heappush(ready, (key[successor], successor))
    return order


def reference_order(problem: LevellingProblem) -> list[int]:
    """SPEC §11's order: highest priority, then smallest latest start, then file order."""
    latest = latest_starts(problem, topological_order(problem))
    priority = problem.priority or [500] * problem.size
    return _by_rule(problem, [(-priority[a], latest[a], a) for a in range(problem.size)])


def _justified(problem: LevellingProblem, starts: list[int], following: list[list[int]]) -> list[int]:
    """Forward–backward improvement: shift right against the makespan, then left again."""
    end = makespan(problem, starts)
    # Backward pass: mirror time, so "as late as possible" is a forward serial schedule.
    mirrored = LevellingProblem(
        durations=problem.durations,
        predecessors=following,
        demands=problem.demands,
        capacity=[list(reversed(days[:end])) for days in problem.capacity],
    )
    by_finish = sorted(range(problem.size), key=lambda a: (-(starts[a] + problem.durations[a]), a))
    try:
        backward = serial(mirrored, by_finish, [0] * problem.size)
    except Unschedulable:
        return starts
    late = [end - (start + problem.durations[a]) for a, start in enumerate(backward)]
    by_start = sorted(range(problem.size), key=lambda a: (late[a], a))
    return serial(problem, by_start)


#: Activity lists the genetic search keeps (Hartmann 1998): enough to mix, few enough to evolve.
POPULATION = 60
#: Chance that a child has an activity moved (Hartmann's mutation, as a shift within its window).
MUTATION = 0.25
#: Moves tried on a child: a duplicate of a kept list is always moved again.
SHIFTS = 3
#: Children in a row that were all tried before: the search has nothing new to try.
STALE = 200


def level(problem: LevellingProblem, *, budget: int = 0, seed: int = 1) -> Result:
    """The reference schedule, improved within ``budget`` further schedules.

    With ``budget`` 0 the answer is the reference serial schedule. The result is
    deterministic for a given seed. Forward–backward improvement needs fixed
    durations, so it is skipped when the problem has a ``timing``.
    """
    reference = _serial(problem, reference_order(problem))
    starts, finishes = reference
    if budget > 0 and problem.size > 1:
        search = _Search(problem, budget, reference)
        _evolve(problem, search, random.Random(seed))
        starts, finishes = search.best
    return Result(
        starts=starts,
        makespan=max(finishes, default=0),
        reference_makespan=max(reference[1], default=0),
    )


class _Search:
    """The schedules built so far against the budget, the best one, and a population of activity lists.

    The reference counts as the first schedule and is kept on a tie, so the
    answer is never later than the reference.
    """

    def __init__(
        self, problem: LevellingProblem, budget: int, reference: tuple[list[int], list[int]]
    ) -> None:
        self.problem = problem
        self.budget = budget
        self.built = 1
        self.best = reference
        self.best_span = max(reference[1], default=0)
        self.following = successors_of(problem)
        self.rank = {a: k for k, a in enumerate(topological_order(problem))}
        self.justify = problem.timing is None and not any(problem.held)
        self.population: list[tuple[int, list[int]]] = []
        self.seen: set[tuple[int, ...]] = set()

    def spent(self) -> bool:  # a method, not a property: mutmut 3 reaches only undecorated code
        return self.built >= self.budget

    def order(self, order: Sequence[int]) -> None:
        """Schedule an activity list (precedence-feasible) and consider what it gives."""
        self.built += 1
        try:
            schedule = _serial(self.problem, order)
        except Unschedulable:
            return
        self.consider(schedule)

    def consider(self, schedule: tuple[list[int], list[int]]) -> None:
        """Improve a schedule by forward–backward passes while they help; keep it if it is good."""
        problem = self.problem
        starts, finishes = schedule
        span = max(finishes, default=0)
        for _ in range(2 if self.justify else 0):
            if self.spent():
                break
            improved = _justified(problem, starts, self.following)
            self.built += 2
            if makespan(problem, improved) >= span:
                break
            starts = improved
            finishes = [start + problem.durations[a] for a, start in enumerate(starts)]
            span = max(finishes, default=0)
        if span < self.best_span:
            self.best, self.best_span = (starts, finishes), span
        # Kept as the list its own schedule gives (activities by start): decoding it again
        # gives that schedule, so a child inherits what the improvement found.
        listed = sorted(range(problem.size), key=lambda a: (starts[a], self.rank[a]))
        key = tuple(listed)
        if key in self.seen:
            return
        if len(self.population) < POPULATION:
            self.population.append((span, listed))
            self.seen.add(key)
            return
        worst = max(range(len(self.population)), key=lambda k: self.population[k][0])
        if span <= self.population[worst][0]:
            self.seen.discard(tuple(self.population[worst][1]))
            self.population[worst] = (span, listed)
            self.seen.add(key)


def _evolve(problem: LevellingProblem, search: _Search, generator: random.Random) -> None:
    """Priority rules and biased sampling to start, then a genetic search over activity lists.

    The search is Hartmann's (1998) with forward–backward improvement of every
    schedule (Valls, Ballestín & Quintanilla 2005): two parents by tournament,
    a two-point crossover that keeps precedence, swaps of neighbours as the
    mutation, and the child replacing the worst list when it is no worse.
    """
    following = search.following
    latest = latest_starts(problem, topological_order(problem))
    total_successors = _total_successors(following)
    weight = [
        problem.durations[a] + sum(problem.durations[s] for s in following[a]) for a in range(problem.size)
    ]
    search.consider(search.best)  # the reference, justified, is often the best single move
    rules: list[list[tuple[float, ...]]] = [
        [(latest[a] + problem.durations[a], a) for a in range(problem.size)],  # latest finish
        [(-total_successors[a], latest[a], a) for a in range(problem.size)],  # most successors
        [(-weight[a], latest[a], a) for a in range(problem.size)],  # rank positional weight
    ]
    for rule in rules:
        if search.spent():
            return
        search.order(_by_rule(problem, rule))
    while not search.spent() and len(search.population) < POPULATION:
        # Regret-biased random sampling around the latest-start rule.
        noise = [
            (latest[a] + generator.random() * (1 + problem.durations[a]) * 2, a) for a in range(problem.size)
        ]
        search.order(_by_rule(problem, noise))
    tried: set[tuple[int, ...]] = set()
    stale = 0
    while not search.spent() and len(search.population) > 1 and stale < STALE:
        mother, father = (
            min(generator.sample(search.population, 2), key=lambda entry: entry[0])[1] for _ in range(2)
        )
        child = _crossed(mother, father, generator)
        for _ in range(SHIFTS):
            # A child its parents already are costs a schedule and teaches nothing: move one more activity.
            if generator.random() < MUTATION or tuple(child) in search.seen:
                _shifted(child, problem.predecessors, following, generator)
        # A list tried before gives the schedule it gave; a small plan runs out of new lists
        # long before the budget, and then the search stops.
        key = tuple(child)
        stale = stale + 1 if key in tried else 0
        if not stale:
            tried.add(key)
            search.order(child)


def _crossed(mother: list[int], father: list[int], generator: random.Random) -> list[int]:
    """Hartmann's two-point crossover: the mother's head, the father's middle, the mother's tail.

    Each part takes the activities not yet placed in its parent's order, so a
    child of two precedence-feasible lists is precedence-feasible.
    """
    size = len(mother)
    first, second = sorted(generator.sample(range(size + 1), 2))
    child = mother[:first]
    placed = set(child)
    for parent, end in ((father, second), (mother, size)):
        for activity in parent:
            if len(child) >= end:
                break
            if activity not in placed:
                child.append(activity)
                placed.add(activity)
    return child


def _shifted(
    order: list[int],
    before: Sequence[Sequence[int]],
    after: Sequence[Sequence[int]],
    generator: random.Random,
) -> None:
    """Move one activity, at random, to a random place between its last predecessor and first successor."""
    activity = generator.choice(order)
    order.remove(activity)
    where = {a: k for k, a in enumerate(order)}
    lowest = max((where[p] + 1 for p in before[activity]), default=0)
    highest = min((where[s] for s in after[activity]), default=len(order))
    order.insert(generator.randint(lowest, highest), activity)


def _total_successors(following: list[list[int]]) -> list[int]:
    """How many activities follow each one, directly or not (descendants as bits of an int)."""
    size = len(following)
    waiting = [len(after) for after in following]
    reach = [0] * size
    # Children before parents: start from the activities nothing follows.
    ready = [node for node in range(size) if not waiting[node]]
    preceding: list[list[int]] = [[] for _ in range(size)]
    for node, after in enumerate(following):
        for child in after:
            preceding[child].append(node)
    while ready:
        node = ready.pop()
        for parent in preceding[node]:
            reach[parent] |= reach[node] | (1 << node)
            waiting[parent] -= 1
            if not waiting[parent]:
                ready.append(parent)
    return [bits.bit_count() for bits in reach]


def overloaded_days(problem: LevellingProblem, starts: Sequence[int]) -> list[tuple[int, int]]:
    """Every (resource, day) whose demand exceeds its capacity under ``starts``."""
    used: list[dict[int, Amount]] = [{} for _ in problem.capacity]
    for activity, start in enumerate(starts):
        for resource, amount in problem.demands[activity] if problem.durations[activity] else ():
            for day in range(start, start + problem.durations[activity]):
                if day >= len(problem.capacity[resource]) or problem.capacity[resource][day] > 0:
                    used[resource][day] = used[resource].get(day, 0) + amount
    over = []
    for resource, days in enumerate(used):
        capacity = problem.capacity[resource]
        for day, amount in sorted(days.items()):
            if day >= len(capacity) or amount > capacity[day]:
                over.append((resource, day))
    return over
