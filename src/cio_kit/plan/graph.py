"""The stage dependency graph: topological order, waves and cycles.

The common path — a sound plan — is served by a plain Kahn sort over integer
indexes, which is linear and costs less than importing networkx. networkx is
imported only to explain a cycle once one has been found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: levelling uses the walks without loading the plan model
    from cio_kit.plan.model import Stage

_BLOCK = 4096
"""Candidate predecessors per reachability pass (bits per integer mask)."""


def reachable(adjacency: Sequence[Sequence[int]], sources: Iterable[int]) -> list[int]:
    """``sources`` and every node reachable from them along ``adjacency``, in depth-first order.

    With successors as ``adjacency`` that is everything depending on the sources;
    with predecessors, everything they need. The order is deterministic (the
    last source first), so lists built from it read the same run after run.
    """
    seen: dict[int, None] = {}
    stack = list(sources)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen[node] = None
            stack.extend(adjacency[node])
    return list(seen)


def invert(adjacency: Sequence[Sequence[int]]) -> list[list[int]]:
    """The reverse edges: successors from predecessors, or predecessors from successors."""
    reverse: list[list[int]] = [[] for _ in adjacency]
    for node, neighbours in enumerate(adjacency):
        for neighbour in neighbours:
            reverse[neighbour].append(node)
    return reverse


@dataclass(frozen=True)
class StageGraph:
    """Stages as integer nodes in file order, with finish-to-start edges."""

    ids: tuple[str, ...]
    """Stage ids in file order; a node is its index here."""
    preds: tuple[tuple[int, ...], ...]
    """For each stage, the stages it depends on (known ids only, duplicates dropped)."""
    succs: tuple[tuple[int, ...], ...]
    """For each stage, the stages that depend on it."""

    @classmethod
    def build(cls, stages: Sequence[Stage]) -> StageGraph:
        """Build the graph; unknown and repeated dependencies are left out."""
        index: dict[str, int] = {}
        for number, stage in enumerate(stages):
            index.setdefault(stage.id, number)
        preds: list[tuple[int, ...]] = []
        succs: list[list[int]] = [[] for _ in stages]
        for number, stage in enumerate(stages):
            mine = tuple(dict.fromkeys(index[d] for d in stage.depends_on if d in index))
            preds.append(mine)
            for pred in mine:
                succs[pred].append(number)
        return cls(tuple(s.id for s in stages), tuple(preds), tuple(tuple(s) for s in succs))

    def topological_order(self) -> list[int] | None:
        """Stages in dependency order (ties in file order), or None if there is a cycle.

        Computed once per graph (every schedule of a plan asks); callers must not change the list.
        """
        order = self._kahn
        return order if len(order) == len(self.ids) else None

    def waves(self) -> list[list[int]]:
        """Topological generations: wave 1 has no predecessors (assumes no cycle).

        Computed once per graph; callers must not change the lists.
        """
        return self._waves

    @cached_property
    def _waves(self) -> list[list[int]]:
        level = [0] * len(self.ids)
        for node in self._kahn:
            for pred in self.preds[node]:
                level[node] = max(level[node], level[pred] + 1)
        groups: list[list[int]] = [[] for _ in range(max(level, default=-1) + 1)]
        for node, wave in enumerate(level):
            groups[wave].append(node)
        return groups

    def cycles(self) -> list[list[int]]:
        """One dependency cycle per tangle of stages, each starting at its first stage in file order.

        A cycle ``[a, b, c]`` means a depends on b, b on c, and c on a.
        """
        if self.topological_order() is not None:
            return []
        import networkx as nx  # only when there is a cycle to explain

        graph: nx.DiGraph[int] = nx.DiGraph()
        graph.add_nodes_from(range(len(self.ids)))
        graph.add_edges_from((node, pred) for node, preds in enumerate(self.preds) for pred in preds)
        found: list[list[int]] = []
        for component in nx.strongly_connected_components(graph):
            start = min(component)
            if len(component) == 1 and not graph.has_edge(start, start):
                continue
            # The shortest way back to the start is the easiest cycle to read (a stage that
            # depends on itself is its own way back). Every path between two stages of a tangle
            # stays inside it, so the whole graph is searched.
            back = min(
                (pred for pred in graph.predecessors(start) if pred in component),
                key=lambda p: (nx.shortest_path_length(graph, start, p), p),
            )
            found.append(nx.shortest_path(graph, start, back))
        return sorted(found)

    def redundant_links(self, stages: Sequence[Stage]) -> list[tuple[int, int, str, str | None]]:
        """Dependencies implied by others: (stage, position in depends_on, dependency, via).

        ``via`` is the other predecessor through which the dependency is
        already reached, or None when the same id is simply listed twice.
        Reachability is computed as bitsets over blocks of candidate
        predecessors, so memory stays bounded on very large plans and no
        pair is searched separately.
        """
        found: list[tuple[int, int, str, str | None]] = []
        for number, stage in enumerate(stages):
            seen: set[str] = set()
            repeated: set[str] = set()
            for position, dependency in enumerate(stage.depends_on):
                # A repeat is one finding however often it repeats (SPEC §15): at the first repeat.
                if dependency in seen and dependency not in repeated:
                    found.append((number, position, dependency, None))
                    repeated.add(dependency)
                seen.add(dependency)
        joins = [node for node, preds in enumerate(self.preds) if len(preds) >= 2]
        candidates = sorted({pred for node in joins for pred in self.preds[node]})
        order = self.topological_order() or []
        for first in range(0, len(candidates), _BLOCK):
            bit = {source: 1 << k for k, source in enumerate(candidates[first : first + _BLOCK])}
            above = [0] * len(self.ids)  # above[x]: block members that are strict ancestors of x
            for node in order:
                mask = 0
                for pred in self.preds[node]:
                    mask |= above[pred] | bit.get(pred, 0)
                above[node] = mask
            for node in joins:
                preds = self.preds[node]
                # A predecessor is redundant when another one reaches it: one OR over all of them
                # (a stage is never its own strict ancestor), so k predecessors cost k, not k².
                reached = 0
                for pred in preds:
                    reached |= above[pred]
                redundant = [pred for pred in preds if reached & bit.get(pred, 0)]
                if not redundant:
                    continue
                first_at: dict[str, int] = {}
                for position, dependency in enumerate(stages[node].depends_on):
                    first_at.setdefault(dependency, position)
                # The predecessor that reaches most is tried first, so a chain costs k, not k².
                widest = max(preds, key=lambda other: above[other].bit_count())
                for pred in redundant:
                    mine = bit[pred]
                    if pred != widest and above[widest] & mine:
                        via = widest
                    else:
                        via = next(other for other in preds if other != pred and above[other] & mine)
                    found.append((node, first_at[self.ids[pred]], self.ids[pred], self.ids[via]))
        return sorted(found)

    @cached_property
    def _kahn(self) -> list[int]:
        remaining = [len(preds) for preds in self.preds]
        ready = [node for node, count in enumerate(remaining) if count == 0]
        order: list[int] = []
        # Generation by generation, each sorted: ties come out in file order.
        while ready:
            order.extend(ready)
            nxt: list[int] = []
            for node in ready:
                for succ in self.succs[node]:
                    remaining[succ] -= 1
                    if remaining[succ] == 0:
                        nxt.append(succ)
            ready = sorted(nxt)
        return order
