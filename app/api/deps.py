"""Dependencies shared by the routers.

FastAPI runs a plain function (route or dependency) in its thread pool: a hand-over
between threads per function per request, a fifth of the cost of a small answer. What
only reads the request or the graph in memory is therefore ``async``; what may read the
store (:func:`get_view` checks its version and may patch the graph) stays a plain
function, and so does every route that reads or writes the store. The read routes on
the graph (lists, one node, links, neighbourhoods, paths) are ``async`` for the same
reason: they compute in memory and would hold the interpreter's lock in a thread too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from app.core import Graph, GraphCore
from app.store import GraphStore
from graph_schema.i18n import Language, negotiate

__all__ = ["LangDep", "StoreDep", "ViewDep", "get_language", "get_store", "get_view"]


async def get_store(request: Request) -> GraphStore:
    """The store opened in the app's lifespan."""
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]


def get_view(request: Request) -> Graph:
    """The graph core's graph at the store's current version (one version check)."""
    core: GraphCore = request.app.state.core
    return core.current()


ViewDep = Annotated[Graph, Depends(get_view)]


async def get_language(
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
