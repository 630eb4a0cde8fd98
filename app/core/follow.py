"""The graph core: the current :class:`~app.core.graph.Graph`, following the store.

The application makes one :class:`GraphCore` when it is created and binds it to its
store when that opens. Every reader asks it for :meth:`GraphCore.current`: one cheap
version check against the store, and when a write (from this process or another one
sharing the store) made a new version, the graph is brought up to it from the change
log — the nodes and relationships the changes name, and only those, are read and
patched in (milliseconds) — or, after a bulk import or a clear, read whole. One thread
brings it up to date; the others either wait for it (``wait=True``, the default) or go on
reading the version before (``wait=False``, what read requests do: a patch under way
holds no read up), so a burst of requests after a write reads the store once.
"""

from __future__ import annotations

import threading

from app.core.graph import Graph
from app.store import GraphStore
from graph_schema import RelKey, RelType

__all__ = ["PATCH_LIMIT", "GraphCore", "touched_since"]

PATCH_LIMIT = 1000
"""Up to this many records written since the graph's version, the graph is patched from
the change log instead of read again whole."""


def touched_since(store: GraphStore, since: int, version: int) -> tuple[set[str], set[str]] | None:
    """Node ids and relationship keys written after ``since`` up to ``version``, read from
    the change log; None when there are more than PATCH_LIMIT, or a clear among them."""
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


class GraphCore:
    """The per-version in-memory graph every reader of one store uses.

    Parameters
    ----------
    store
        The store to follow; may be bound later with :meth:`attach` (the application
        makes the core before its store opens).
    """

    def __init__(self, store: GraphStore | None = None) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._graph: Graph | None = None
        self.full_reads = 0
        self.patches = 0

    def attach(self, store: GraphStore) -> None:
        """Follow ``store`` from now on (what was held of another store is dropped)."""
        with self._lock:
            if store is not self._store:
                self._store = store
                self._graph = None

    @property
    def store(self) -> GraphStore:
        """The store followed."""
        if self._store is None:
            raise RuntimeError("the graph core follows no store yet")
        return self._store

    def current(self, *, wait: bool = True) -> Graph:
        """The graph at the store's current version.

        Parameters
        ----------
        wait
            When another thread is bringing the graph up to date: wait for it (True), or
            take the version held until it is done (False; the version before the latest
            write, for the tens of milliseconds a patch takes). Before the first graph
            is read, every caller waits.
        """
        store = self.store
        version = store.version()
        graph = self._graph
        if graph is not None and graph.version() == version:
            return graph
        if not self._lock.acquire(blocking=wait or graph is None):
            assert graph is not None
            return graph
        try:
            graph = self._graph
            version = store.version()
            if graph is None or graph.version() != version:
                graph = self._next(store, graph, version)
                self._graph = graph
            return graph
        finally:
            self._lock.release()

    def _next(self, store: GraphStore, old: Graph | None, version: int) -> Graph:
        if old is not None:
            patched = self._patched(store, old, version)
            if patched is not None:
                self.patches += 1
                return patched
        version = store.version()
        self.full_reads += 1
        return Graph.of(version, store.snapshot())

    @staticmethod
    def _patched(store: GraphStore, old: Graph, version: int) -> Graph | None:
        """The old graph brought to ``version`` from the change log; None to read it whole.

        The change log names every node and relationship a write created, changed or
        deleted (the relationships of a deleted node included), so those records, read
        as they are now, are all that differs. Should a write land meanwhile, the graph
        may already hold some of it under the older version number; the next refresh
        reads those records again, so the graph converges on the store.
        """
        touched = touched_since(store, old.version(), version)
        if touched is None:
            return None
        node_ids, rel_texts = touched
        rel_keys: list[RelKey] = []
        for text in rel_texts:
            rel_type, source, target = text.split(" ")
            rel_keys.append((RelType(rel_type), source, target))
        now_nodes = store.get_nodes(sorted(node_ids))
        now_rels = store.get_relationships(sorted(rel_keys))
        return old.patched(
            version,
            {node_id: now_nodes.get(node_id) for node_id in node_ids},
            {key: now_rels.get(key) for key in rel_keys},
        )
