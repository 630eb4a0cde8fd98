"""Graph queries written once over a few store primitives, so every store answers alike.

Search, neighbourhoods and shortest paths are small graph algorithms; running them
here, on top of ``get_nodes`` and ``edges_touching``, keeps their results identical on
the embedded store and on Neo4j. The service now answers neighbourhoods and paths from
the graph core (:mod:`app.core.neighbourhood`, :mod:`app.core.paths`); the methods here
stay for the store protocol until it drops them.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from app.errors import NotFoundError, quoted
from graph_schema import GraphData, Node, NodeLabel, Organisation, Relationship, RelType
from graph_schema.names import NameEntry, NameHit, NameIndex

if TYPE_CHECKING:  # the result types live in the graph core (imported there at run time)
    from app.core.neighbourhood import Neighbourhood
    from app.core.paths import GraphPath

__all__ = ["GraphPath", "GraphQueries", "Neighbourhood", "name_entry", "touched_since"]

PATCH_LIMIT = 1000
"""Up to this many records written since a cached version, what is cached for it (a
name index, a snapshot) is patched from the change log instead of read again whole."""

_NAMES_LOCK = threading.Lock()


def name_entry(node: Node) -> NameEntry:
    """What search knows of a node."""
    return NameEntry(node.id, str(node.label), node.name, tuple(getattr(node, "aliases", ())))


def touched_since(store: Any, since: int, version: int) -> tuple[set[str], set[str]] | None:
    """Node ids and relationship keys written after ``since`` up to ``version``, read from
    ``store.changes``; None when there are more than PATCH_LIMIT, or a clear among them."""
    if version < since:
        return None
    changes = store.changes(since, limit=PATCH_LIMIT + 1)
    if not changes or changes[-1].version < version or len(changes) > PATCH_LIMIT:
        return None
    node_ids: set[str] = set()
    rel_keys: set[str] = set()
    for change in changes:
        if change.action == "clear":
            return None
        node_ids.update(change.nodes)
        rel_keys.update(change.relationships)
    if len(node_ids) + len(rel_keys) > PATCH_LIMIT:
        return None
    return node_ids, rel_keys


class _Primitives(Protocol):
    def version(self) -> int: ...
    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]: ...
    def edges_touching(self, ids: Sequence[str]) -> list[Relationship]: ...
    def name_entries(self) -> list[NameEntry]: ...


def _other_end(rel: Relationship, node_id: str) -> str:
    return rel.target if rel.source == node_id else rel.source


class GraphQueries:
    """Mixin for stores: search, neighbourhood and shortest paths."""

    _name_cache: tuple[int, NameIndex] | None = None

    def search(
        self: _Primitives,
        text: str,
        *,
        labels: Collection[NodeLabel] | None = (NodeLabel.ORGANISATION,),
        limit: int = 10,
    ) -> list[NameHit]:
        """Nodes whose name or alias matches ``text``, best first (see NameIndex)."""
        wanted = None if labels is None else {str(label) for label in labels}
        return GraphQueries.name_index(self).search(text, limit=limit, labels=wanted)

    def name_index(self: _Primitives) -> NameIndex:
        """The name index of the current version: after a few writes, the previous
        version's updated with what the change log names; built whole otherwise. One
        thread builds it while the others wait."""
        cache: tuple[int, NameIndex] | None = getattr(self, "_name_cache", None)
        if cache is not None and cache[0] == self.version():
            return cache[1]
        with _NAMES_LOCK:
            cache = getattr(self, "_name_cache", None)
            version = self.version()
            if cache is None or cache[0] != version:
                index = None
                touched = (
                    touched_since(self, cache[0], version)
                    if cache is not None and hasattr(self, "changes")
                    else None
                )
                if cache is not None and touched is not None:
                    ids = sorted(touched[0])
                    current = self.get_nodes(ids)
                    index = cache[1].updated(
                        [name_entry(node) for node in current.values()], removed=ids
                    )
                if index is None:
                    index = NameIndex(self.name_entries())
                cache = (version, index)
                self._name_cache = cache  # type: ignore[attr-defined]
            return cache[1]

    def _walkable(
        self: _Primitives,
        frontier: Sequence[str],
        rel_types: Collection[RelType] | None,
        include_generic: bool,
        known: dict[str, Node],
        exempt: Collection[str] = (),
    ) -> list[Relationship]:
        """Relationships at the frontier, minus filtered kinds and (unless exempt) generic groups.

        Nodes met for the first time are fetched into ``known``.
        """
        rels = [
            r for r in self.edges_touching(frontier) if rel_types is None or r.type in rel_types
        ]
        ends = {r.source for r in rels} | {r.target for r in rels}
        known.update(self.get_nodes(sorted(ends - set(known))))
        if include_generic:
            return rels

        def blocked(node_id: str) -> bool:
            node = known.get(node_id)
            return node_id not in exempt and isinstance(node, Organisation) and node.generic

        return [r for r in rels if not blocked(r.source) and not blocked(r.target)]

    def neighbourhood(
        self: _Primitives,
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

        known = self.get_nodes([node_id])
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
            walkable = GraphQueries._walkable(
                self, frontier, rel_types, include_generic, known, exempt=(node_id,)
            )
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
        ring = GraphQueries._walkable(
            self, frontier, rel_types, include_generic, known, exempt=(node_id,)
        )
        for rel in ring:
            if rel.source in reached and rel.target in reached:
                edges[rel.key] = rel
        nodes = tuple(sorted((known[n] for n in reached), key=lambda n: n.id))
        rels = tuple(sorted(edges.values(), key=lambda r: r.key))
        return Neighbourhood(GraphData(nodes=nodes, relationships=rels), truncated)

    def shortest_paths(
        self: _Primitives,
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

        known = self.get_nodes([source, target])
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
            walkable = GraphQueries._walkable(
                self, frontier, rel_types, include_generic, known, exempt=(source, target)
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
