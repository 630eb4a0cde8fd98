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
from app.store.queries import PATCH_LIMIT, GraphQueries, name_entry, touched_since
from graph_schema import GraphData, Node, Relationship, RelType
from graph_schema.names import NameEntry, NameIndex

__all__ = ["PATCH_LIMIT", "SnapshotCache", "SnapshotView"]


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
        return [name_entry(n) for n in self.graph.nodes]


class SnapshotCache:
    """Keeps the latest snapshot; a write (a new version) makes the next call refresh it.

    A refresh after a few small writes reads only what they touched, named by the
    change log (milliseconds, where reading the 200,000 records of the Horizon 2020
    graph again takes seconds); after a bulk import or a clear it reads the graph
    whole. Only one thread refreshes at a time, so a burst of requests after a write
    does not read the graph many times over.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: SnapshotView | None = None
        self.full_reads = 0
        self.patches = 0

    def view(self, store: GraphStore) -> SnapshotView:
        """The in-memory view of the store's current version."""
        version = store.version()
        cached = self._cached
        if cached is not None and cached.version() == version:
            return cached
        with self._lock:
            cached = self._cached
            version = store.version()
            if cached is None or cached.version() != version:
                patched = self._patched(store, cached, version) if cached is not None else None
                if patched is None:
                    version = store.version()
                    patched = SnapshotView(version, store.snapshot())
                    self.full_reads += 1
                else:
                    self.patches += 1
                cached = patched
                self._cached = cached
            return cached

    @staticmethod
    def _patched(store: GraphStore, old: SnapshotView, version: int) -> SnapshotView | None:
        """The old view brought to ``version`` from the change log; None to read it whole.

        The records the changes name are read as they are now. Should a write land
        meanwhile, the view may already hold some of it under the older version number;
        the next refresh reads those records again, so the view converges on the store.
        """
        touched = touched_since(store, old.version(), version)
        if touched is None:
            return None
        node_ids, rel_keys = touched
        ends = {part for key in rel_keys for part in key.split(" ")[1:]}
        current_nodes = store.get_nodes(sorted(node_ids))
        touching = store.edges_touching(sorted(node_ids | ends))
        nodes = {node.id: node for node in old.graph.nodes}
        for node_id in node_ids:
            if node_id in current_nodes:
                nodes[node_id] = current_nodes[node_id]
            else:
                nodes.pop(node_id, None)
        rels = {rel.key: rel for rel in old.graph.relationships}
        now = {rel.key: rel for rel in touching}
        for key in list(rels):  # relationships of deleted or changed nodes, re-read
            if (key[1] in node_ids or key[2] in node_ids) and key not in now:
                del rels[key]
        for text in rel_keys:
            rel_type, source, target = text.split(" ")
            key = (RelType(rel_type), source, target)
            if key in now:
                rels[key] = now[key]
            else:
                rels.pop(key, None)
        for key, rel in now.items():
            rels[key] = rel
        graph = GraphData.model_construct(
            nodes=tuple(nodes[i] for i in sorted(nodes)),
            relationships=tuple(rels[k] for k in sorted(rels)),
        )
        view = SnapshotView(version, graph)
        names: tuple[int, NameIndex] | None = old._name_cache
        if names is not None and names[0] == old.version():
            changed = [name_entry(nodes[i]) for i in sorted(node_ids) if i in nodes]
            view._name_cache = (version, names[1].updated(changed, removed=node_ids))
        return view

    def get(self, store: GraphStore) -> tuple[int, GraphData]:
        """(version, graph) for the store's current version."""
        view = self.view(store)
        return view.version(), view.graph
