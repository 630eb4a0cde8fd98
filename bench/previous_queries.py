"""The graph walks as the service did them before the graph core, kept as the reference
the core's faster walks are held to (same answers, same order) in tests and benchmarks.

They read a graph through two primitives only (``get_nodes``, ``edges_touching``), one
ring at a time: a neighbourhood by node steps, and all shortest paths by a breadth-first
search from one end.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from app.core.neighbourhood import Neighbourhood
from app.core.paths import GraphPath
from app.errors import NotFoundError, quoted
from graph_schema import GraphData, Node, Organisation, Relationship, RelType

__all__ = ["neighbourhood", "shortest_paths"]


class _Readable(Protocol):
    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]: ...
    def edges_touching(self, ids: Sequence[str]) -> list[Relationship]: ...


def _other_end(rel: Relationship, node_id: str) -> str:
    return rel.target if rel.source == node_id else rel.source


def _walkable(
    view: _Readable,
    frontier: Sequence[str],
    rel_types: Collection[RelType] | None,
    include_generic: bool,
    known: dict[str, Node],
    exempt: Collection[str] = (),
) -> list[Relationship]:
    """Relationships at the frontier, minus filtered kinds and (unless exempt) generic groups.

    Nodes met for the first time are fetched into ``known``.
    """
    rels = [r for r in view.edges_touching(frontier) if rel_types is None or r.type in rel_types]
    ends = {r.source for r in rels} | {r.target for r in rels}
    known.update(view.get_nodes(sorted(ends - set(known))))
    if include_generic:
        return rels

    def blocked(node_id: str) -> bool:
        node = known.get(node_id)
        return node_id not in exempt and isinstance(node, Organisation) and node.generic

    return [r for r in rels if not blocked(r.source) and not blocked(r.target)]


def neighbourhood(
    view: _Readable,
    node_id: str,
    *,
    depth: int = 1,
    rel_types: Collection[RelType] | None = None,
    include_generic: bool = True,
    max_nodes: int = 2000,
) -> Neighbourhood:
    """Every node within ``depth`` steps (links followed both ways) and the links among them.

    Raises NotFoundError when the node does not exist. Generic groups are left out
    (and not walked through) unless ``include_generic``; the start node always stays.
    """
    from app.core.neighbourhood import Neighbourhood  # noqa: PLC0415 (the core imports this)

    known = view.get_nodes([node_id])
    if node_id not in known:
        raise NotFoundError.of("error.node.id_not_found", id=quoted(node_id))
    reached = {node_id}
    edges: dict[tuple[RelType, str, str], Relationship] = {}
    frontier = [node_id]
    truncated = False
    for _ in range(depth):
        if not frontier or truncated:
            break
        nxt: set[str] = set()
        walkable = _walkable(view, frontier, rel_types, include_generic, known, exempt=(node_id,))
        for rel in walkable:
            for end in (rel.source, rel.target):
                if end not in reached and end not in nxt:
                    if len(reached) + len(nxt) >= max_nodes:
                        truncated = True
                        continue
                    nxt.add(end)
            if rel.source in reached | nxt and rel.target in reached | nxt:
                edges[rel.key] = rel
        reached |= nxt
        frontier = sorted(nxt)
    # links between nodes of the outer ring close the picture
    ring = _walkable(view, frontier, rel_types, include_generic, known, exempt=(node_id,))
    for rel in ring:
        if rel.source in reached and rel.target in reached:
            edges[rel.key] = rel
    nodes = tuple(sorted((known[n] for n in reached), key=lambda n: n.id))
    rels = tuple(sorted(edges.values(), key=lambda r: r.key))
    return Neighbourhood(GraphData(nodes=nodes, relationships=rels), truncated)


def shortest_paths(
    view: _Readable,
    source: str,
    target: str,
    *,
    max_depth: int = 6,
    limit: int = 10,
    rel_types: Collection[RelType] | None = None,
    include_generic: bool = False,
) -> list[GraphPath]:
    """All shortest paths between two nodes (at most ``limit``), in a stable order.

    Links are followed both ways; generic groups are not walked through unless
    ``include_generic``. An empty list means no path within ``max_depth`` steps.
    Raises NotFoundError when either end does not exist.
    """
    from app.core.paths import GraphPath  # noqa: PLC0415 (the core imports this)

    known = view.get_nodes([source, target])
    for end in (source, target):
        if end not in known:
            raise NotFoundError.of("error.node.id_not_found", id=quoted(end))
    if source == target:
        return [GraphPath(nodes=(known[source],), relationships=())]
    parents: dict[str, list[tuple[str, Relationship]]] = {source: []}
    frontier = [source]
    in_frontier = {source}
    for _ in range(max_depth):
        layer: dict[str, list[tuple[str, Relationship]]] = {}
        walkable = _walkable(
            view, frontier, rel_types, include_generic, known, exempt=(source, target)
        )
        for rel in walkable:
            for here in (rel.source, rel.target):
                there = _other_end(rel, here)
                if here in in_frontier and there not in parents:
                    layer.setdefault(there, []).append((here, rel))
        if not layer:
            return []
        parents.update(layer)
        if target in layer:
            break
        frontier = sorted(layer)
        in_frontier = set(frontier)
    else:
        return []

    paths: list[GraphPath] = []

    def walk(node: str, nodes: list[str], rels: list[Relationship]) -> None:
        if len(paths) >= limit:
            return
        if node == source:
            ordered = list(reversed(nodes))
            paths.append(GraphPath(tuple(known[n] for n in ordered), tuple(reversed(rels))))
            return
        for parent, rel in sorted(parents[node], key=lambda p: (p[0], p[1].key)):
            walk(parent, [*nodes, parent], [*rels, rel])

    walk(target, [target], [])
    return paths
