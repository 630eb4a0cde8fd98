"""Shortest paths between two nodes of one graph version, by bidirectional breadth-first search.

Both ends grow a search tree, one layer at a time, always the end whose frontier has
fewer links to follow; the first layer that reaches the other tree fixes the length. The
search never lists a hub's whole neighbourhood once the trees have met, and the paths
are read off the two trees lazily, in a stable order, until ``limit`` of them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from app.errors import NotFoundError, quoted
from graph_schema import Node, Organisation, Relationship, RelType

if TYPE_CHECKING:
    from app.core.graph import Adjacency

__all__ = ["GraphPath", "shortest_paths"]

Step = tuple[str, Relationship]
"""A neighbour one step nearer a tree's root, and the relationship to it."""


@dataclass(frozen=True, slots=True)
class GraphPath:
    """Nodes from start to end and the relationship behind each step."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]


@dataclass(slots=True)
class _Tree:
    """One end's breadth-first tree: each node's distance and its steps back to the root."""

    root: str
    depth: int = 0
    distance: dict[str, int] = field(default_factory=dict)
    back: dict[str, list[Step]] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.distance[self.root] = 0
        self.frontier.append(self.root)


@dataclass(frozen=True, slots=True)
class _Walk:
    """Which relationships a path may take: kinds, and generic groups left out."""

    graph: Adjacency
    rel_types: Collection[RelType] | None
    include_generic: bool
    ends: tuple[str, str]

    def cost(self, frontier: list[str]) -> int:
        """Links to look at to grow a tree by one layer from ``frontier``."""
        return sum(len(self.graph.links(node_id)) for node_id in frontier)

    def open(self, node_id: str) -> bool:
        """Whether a path may pass this node (the two ends always)."""
        node = self.graph.node(node_id)
        if node is None:
            return False
        if self.include_generic or node_id in self.ends:
            return True
        return not (isinstance(node, Organisation) and node.generic)


def shortest_paths(
    graph: Adjacency,
    source: str,
    target: str,
    *,
    max_depth: int = 6,
    limit: int = 10,
    rel_types: Collection[RelType] | None = None,
    include_generic: bool = False,
) -> list[GraphPath]:
    """All shortest paths between two nodes (at most ``limit``), in a stable order.

    Links are followed both ways. The paths are ordered as read back from ``target``:
    by the node before ``target`` (by id), then by the relationship taken to it (by
    key), then by the node before that, and so on.

    Parameters
    ----------
    graph
        One graph version.
    source, target
        The ends (ids).
    max_depth
        At most this many relationships on a path.
    limit
        At most this many paths; the first ``limit`` in the order above.
    rel_types
        Follow only these kinds of relationship (default: every kind).
    include_generic
        Also walk through generic groups (organisations such as "mkb"); the two ends
        are always allowed.

    Returns
    -------
    list of GraphPath
        Empty when there is no path of at most ``max_depth`` relationships.

    Raises
    ------
    NotFoundError
        Either end does not exist.

    Notes
    -----
    Bidirectional breadth-first search: each round grows, by one layer, the tree whose
    frontier has fewer links. In the round where a tree reaches the other, only the
    meeting links are kept (no next layer is made), so a hub in that frontier costs one
    look at its links. Every shortest path is a path in the source's tree to a meeting
    link, then a path in the target's tree: they are enumerated depth-first from the
    target, visiting only nodes that lead to the source, and the enumeration stops at
    ``limit``.
    """
    nodes = {end: graph.node(end) for end in (source, target)}
    for end, node in nodes.items():
        if node is None:
            raise NotFoundError.of("error.node.id_not_found", id=quoted(end))
    if source == target:
        start = nodes[source]
        assert start is not None
        return [GraphPath(nodes=(start,), relationships=())]
    types = None if rel_types is None else frozenset(rel_types)
    walk = _Walk(graph, types, include_generic, (source, target))
    forward, backward = _Tree(source), _Tree(target)
    meeting = _search(walk, forward, backward, max_depth)
    if not meeting:
        return []
    found = _enumerate(graph, forward, backward, meeting)
    return list(islice(found, limit))


def _search(walk: _Walk, forward: _Tree, backward: _Tree, max_depth: int) -> dict[str, list[Step]]:
    """Grow the two trees until they meet: the meeting links, as steps back into the
    source's tree from each node of the target's frontier (empty: no path)."""
    for _ in range(max_depth):
        grow_forward = walk.cost(forward.frontier) <= walk.cost(backward.frontier)
        tree, other = (forward, backward) if grow_forward else (backward, forward)
        layer, met = _grow(walk, tree, other)
        if met:
            meeting: dict[str, list[Step]] = {}
            for here, rel, there in met:
                if grow_forward:
                    meeting.setdefault(there, []).append((here, rel))
                else:
                    meeting.setdefault(here, []).append((there, rel))
            return meeting
        if not layer:
            return {}
        tree.depth += 1
        for node_id in layer:
            tree.distance[node_id] = tree.depth
        tree.back.update(layer)
        tree.frontier = list(layer)
    return {}


def _grow(
    walk: _Walk, tree: _Tree, other: _Tree
) -> tuple[dict[str, list[Step]], list[tuple[str, Relationship, str]]]:
    """The next layer of ``tree`` (each new node with its steps back), and the links
    from its frontier into ``other``; once there is one, no new node is kept."""
    types = walk.rel_types
    layer: dict[str, list[Step]] = {}
    met: list[tuple[str, Relationship, str]] = []
    seen, theirs = tree.distance, other.distance
    for here in tree.frontier:
        for rel in walk.graph.links(here):
            if types is not None and rel.type not in types:
                continue
            there = rel.target if rel.source == here else rel.source
            if there in seen:
                continue
            if there in theirs:
                met.append((here, rel, there))
                continue
            if met:
                continue  # the trees have met: this layer's new nodes are not needed
            steps = layer.get(there)
            if steps is not None:
                steps.append((here, rel))
            elif walk.open(there):
                layer[there] = [(here, rel)]
    return layer, met


def _enumerate(
    graph: Adjacency, forward: _Tree, backward: _Tree, meeting: dict[str, list[Step]]
) -> Iterator[GraphPath]:
    """Every shortest path, depth-first from the target, each node's steps by (node id,
    relationship key); only target-side nodes that lead to a meeting link are visited."""
    ahead: dict[str, list[Step]] = {}  # target-side node -> its steps away from the target
    for node_id, steps in backward.back.items():
        for nearer, rel in steps:
            ahead.setdefault(nearer, []).append((node_id, rel))
    useful: dict[str, bool] = {}

    def leads_to_source(node_id: str) -> bool:
        if node_id in meeting:
            return True
        if node_id not in useful:
            useful[node_id] = any(leads_to_source(n) for n, _ in ahead.get(node_id, ()))
        return useful[node_id]

    ordered: dict[str, list[Step]] = {}

    def steps_back(node_id: str) -> list[Step]:
        """The steps from ``node_id`` one node nearer the source, in order."""
        found = ordered.get(node_id)
        if found is None:
            if node_id in forward.distance:
                found = forward.back.get(node_id, [])
            elif node_id in meeting:
                found = meeting[node_id]
            else:
                found = [s for s in ahead.get(node_id, []) if leads_to_source(s[0])]
            found = ordered[node_id] = sorted(found, key=lambda s: (s[0], s[1].key))
        return found

    def paths_from(node_id: str, ids: list[str], rels: list[Relationship]) -> Iterator[GraphPath]:
        if node_id == forward.root:
            path = [graph.node(n) for n in reversed(ids)]
            yield GraphPath(tuple(n for n in path if n is not None), tuple(reversed(rels)))
            return
        for nearer, rel in steps_back(node_id):
            yield from paths_from(nearer, [*ids, nearer], [*rels, rel])

    yield from paths_from(backward.root, [backward.root], [])
