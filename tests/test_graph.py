"""The stage graph: cycles explained, links implied by others, waves (worked and brute-forced)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cio_kit.plan.graph import StageGraph, invert, reachable
from tests.conftest import examples


def stages(links: dict[str, list[str]]) -> list[Any]:
    """Stand-ins for plan stages: an id and what it depends on, in the order given."""
    return [SimpleNamespace(id=ident, depends_on=needs) for ident, needs in links.items()]


def test_each_tangle_is_explained_by_its_shortest_cycle_from_its_first_stage() -> None:
    """A needs C and B, C needs D, D needs A, B needs A: two cycles through A; A-B is the shorter.

    File order A, C, D, B: the nearer way back (B) is not the first in file order (D).
    A self-loop (E needs E) and a separate pair (F, G) are tangles of their own.
    """
    graph = StageGraph.build(
        stages(
            {"A": ["C", "B"], "C": ["D"], "D": ["A"], "B": ["A"], "E": ["E"], "F": ["G"], "G": ["F"], "H": []}
        )
    )
    assert graph.topological_order() is None
    assert graph.cycles() == [[0, 3], [4], [5, 6]]


def test_an_acyclic_graph_has_no_cycles_and_no_stages_no_waves() -> None:
    assert StageGraph.build(stages({"A": [], "B": ["A"]})).cycles() == []
    assert StageGraph.build([]).waves() == []
    assert StageGraph.build(stages({"A": [], "B": ["A"], "C": []})).waves() == [[0, 2], [1]]


@st.composite
def acyclic(draw: st.DrawFn) -> dict[str, list[str]]:
    """Up to 14 stages, each depending on earlier ones, sometimes on one twice."""
    count = draw(st.integers(1, 14))
    links: dict[str, list[str]] = {}
    for number in range(count):
        earlier = [f"S{k}" for k in range(number)]
        needs = draw(st.lists(st.sampled_from(earlier), max_size=4)) if earlier else []
        links[f"S{number}"] = needs
    return links


def _ancestors(links: dict[str, list[str]], ident: str) -> set[str]:
    found: set[str] = set()
    stack = list(links[ident])
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(links[node])
    return found


@settings(max_examples=examples(300), deadline=None)
@given(acyclic())
def test_redundant_links_are_the_ones_another_dependency_reaches(links: dict[str, list[str]]) -> None:
    """Each link another dependency of the same stage already reaches, once, with a true ``via``;
    each id listed twice, once, at its first repeat."""
    found = StageGraph.build(stages(links)).redundant_links(stages(links))
    assert found == sorted(set(found))
    ids = list(links)
    expected = set()
    for number, needs in enumerate(links.values()):
        unique = list(dict.fromkeys(needs))
        for dependency in unique:
            if any(dependency in _ancestors(links, other) for other in unique if other != dependency):
                expected.add((number, needs.index(dependency), dependency))
        repeats = [d for position, d in enumerate(needs) if d in needs[:position]]
        for dependency in dict.fromkeys(repeats):
            position = next(
                p for p in range(len(needs)) if needs[p] == dependency and dependency in needs[:p]
            )
            expected.add((number, position, dependency, None))
    implied = {(node, position, dependency) for node, position, dependency, via in found if via is not None}
    twice = {entry for entry in found if entry[3] is None}
    assert implied == {entry for entry in expected if len(entry) == 3}
    assert twice == {entry for entry in expected if len(entry) == 4}
    for node, _, dependency, via in found:
        if via is not None:
            assert via in links[ids[node]] and via != dependency
            assert dependency in _ancestors(links, via)


def test_a_chain_of_shortcuts_names_the_dependency_that_reaches_furthest() -> None:
    """D needs A, B and C, where C needs B and B needs A: A and B are implied, both through C."""
    links = {"A": [], "B": ["A"], "C": ["B"], "D": ["A", "B", "C"]}
    assert StageGraph.build(stages(links)).redundant_links(stages(links)) == [
        (3, 0, "A", "C"),
        (3, 1, "B", "C"),
    ]
    # Two separate ways: E needs X and Y, and only Y reaches X.
    other = {"X": [], "Y": ["X"], "Z": [], "E": ["Z", "X", "Y"]}
    assert StageGraph.build(stages(other)).redundant_links(stages(other)) == [(3, 1, "X", "Y")]


def test_the_widest_dependency_is_named_not_the_last_listed() -> None:
    """D needs C, A, B and W. C needs B needs A; W needs A. A is reached by both C and W: C, which
    reaches the most, is named (W comes later in the file)."""
    links = {"A": [], "B": ["A"], "C": ["B"], "W": ["A"], "D": ["C", "A", "B", "W"]}
    assert StageGraph.build(stages(links)).redundant_links(stages(links)) == [
        (4, 1, "A", "C"),
        (4, 2, "B", "C"),
    ]


def test_more_candidates_than_one_block_of_bits() -> None:
    """4,200 stages, each needing the two before it: every second-before is implied by the one
    before. 4,198 candidate dependencies take two blocks of 4,096 bits; none is lost or doubled."""
    links = {f"S{n}": [f"S{k}" for k in (n - 1, n - 2) if k >= 0] for n in range(4200)}
    found = StageGraph.build(stages(links)).redundant_links(stages(links))
    assert found == [(n, 1, f"S{n - 2}", f"S{n - 1}") for n in range(2, 4200)]


def test_reachable_walks_depth_first_from_the_last_source() -> None:
    """0 -> 1 -> 2, 3 -> 0, 4 alone: from 0 and 3, the last source first, each node once."""
    successors = [[1], [2], [], [0], []]
    assert reachable(successors, [0, 3]) == [3, 0, 1, 2]
    assert reachable(successors, []) == []
    assert reachable(invert(successors), [2]) == [2, 1, 0, 3]
    assert invert(successors) == [[3], [0], [1], [], []]


def test_an_implied_link_is_named_by_a_dependency_that_reaches_it() -> None:
    """E needs W, X and Y. W reaches the most (Q1 and Q2) but not X; Y does, so Y is named."""
    links = {"Q1": [], "Q2": [], "W": ["Q1", "Q2"], "X": [], "Y": ["X"], "E": ["W", "X", "Y"]}
    assert StageGraph.build(stages(links)).redundant_links(stages(links)) == [(5, 1, "X", "Y")]
