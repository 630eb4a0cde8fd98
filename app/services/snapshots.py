"""One snapshot of the graph per version, shared by every request that needs the whole graph.

Graph queries (neighbourhoods, paths, links, search) walk an in-memory view of that
snapshot: after one cheap version check, a request makes no further round trips to the
store, whichever store it is. The view answers through the same GraphQueries code as the
stores, so the answers are the same.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence

from app.store import GraphStore
from app.store.queries import GraphQueries
from graph_schema import GraphData, Node, Relationship, RelType
from graph_schema.names import NameEntry

__all__ = ["SnapshotCache", "SnapshotView"]


class SnapshotView(GraphQueries):
    """A read-only graph in memory, indexed by node id, with the store's query methods."""

    def __init__(self, version: int, graph: GraphData) -> None:
        self._version = version
        self.graph = graph
        self._nodes = {node.id: node for node in graph.nodes}
        adjacency: dict[str, list[Relationship]] = defaultdict(list)
        for rel in graph.relationships:
            adjacency[rel.source].append(rel)
            adjacency[rel.target].append(rel)
        self._adjacency = dict(adjacency)

    def version(self) -> int:
        return self._version

    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        return {i: self._nodes[i] for i in ids if i in self._nodes}

    def edges_touching(self, ids: Sequence[str]) -> list[Relationship]:
        found: dict[tuple[RelType, str, str], Relationship] = {}
        for node_id in ids:
            for rel in self._adjacency.get(node_id, ()):
                found[rel.key] = rel
        return [found[key] for key in sorted(found)]

    def name_entries(self) -> list[NameEntry]:
        return [
            NameEntry(n.id, str(n.label), n.name, tuple(getattr(n, "aliases", ())))
            for n in self.graph.nodes
        ]


class SnapshotCache:
    """Keeps the latest snapshot; a write (a new version) makes the next call take a new one.

    Only one thread takes a snapshot at a time, so a burst of requests after a write
    does not read the whole graph many times over.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: SnapshotView | None = None

    def view(self, store: GraphStore) -> SnapshotView:
        """The in-memory view of the store's current version."""
        version = store.version()
        cached = self._cached
        if cached is not None and cached.version() == version:
            return cached
        with self._lock:
            cached = self._cached
            if cached is None or cached.version() != store.version():
                version = store.version()
                cached = SnapshotView(version, store.snapshot())
                self._cached = cached
            return cached

    def get(self, store: GraphStore) -> tuple[int, GraphData]:
        """(version, graph) for the store's current version."""
        view = self.view(store)
        return view.version(), view.graph
