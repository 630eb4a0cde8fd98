"""One snapshot of the graph per version, shared by every request that needs the whole graph."""

from __future__ import annotations

import threading

from app.store import GraphStore
from graph_schema import GraphData

__all__ = ["SnapshotCache"]


class SnapshotCache:
    """Keeps the latest snapshot; a write (a new version) makes the next call take a new one.

    Only one thread takes a snapshot at a time, so a burst of requests after a write
    does not read the whole graph many times over.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[int, GraphData] | None = None

    def get(self, store: GraphStore) -> tuple[int, GraphData]:
        """(version, graph) for the store's current version."""
        version = store.version()
        cached = self._cached
        if cached is not None and cached[0] == version:
            return cached
        with self._lock:
            cached = self._cached
            if cached is None or cached[0] != store.version():
                version = store.version()
                cached = (version, store.snapshot())
                self._cached = cached
            return cached
