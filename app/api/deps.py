"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.services.snapshots import SnapshotCache, SnapshotView
from app.store import GraphStore

__all__ = ["StoreDep", "ViewDep", "get_store", "get_view"]


def get_store(request: Request) -> GraphStore:
    """The store opened in the app's lifespan."""
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]


def get_view(request: Request, store: StoreDep) -> SnapshotView:
    """The in-memory view of the store's current version (one version check)."""
    snapshots: SnapshotCache = request.app.state.snapshots
    return snapshots.view(store)


ViewDep = Annotated[SnapshotView, Depends(get_view)]
