"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from app.services.snapshots import SnapshotCache, SnapshotView
from app.store import GraphStore
from graph_schema.i18n import Language, negotiate

__all__ = ["LangDep", "StoreDep", "ViewDep", "get_language", "get_store", "get_view"]


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


def get_language(
    request: Request,
    lang: Annotated[
        Language | None,
        Query(
            description="Language of every text in the answer: `nl` (default) or `en`. "
            "Without it, the request's `Accept-Language` decides.",
        ),
    ] = None,
) -> Language:
    """The answer's language: ``lang``, else Accept-Language, else Dutch."""
    return negotiate(lang, request.headers.get("accept-language"))


LangDep = Annotated[Language, Depends(get_language)]
