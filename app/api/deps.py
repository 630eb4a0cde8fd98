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

import contextlib
from typing import Annotated

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import Graph, GraphCore
from app.errors import StoreUnavailableError
from app.store import GraphStore
from graph_schema.i18n import Language, negotiate

__all__ = [
    "SAFE_METHODS",
    "FollowWrites",
    "LangDep",
    "StoreDep",
    "ViewDep",
    "get_language",
    "get_store",
    "get_view",
]


async def get_store(request: Request) -> GraphStore:
    """The store opened in the app's lifespan."""
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that do not write: their requests never wait for the graph to be patched."""


def get_view(request: Request) -> Graph:
    """The graph core's graph at the store's current version (one version check). A read
    does not wait while another request patches the graph: it reads the version before
    (the writer's own next request reads its write, see :class:`FollowWrites`)."""
    core: GraphCore = request.app.state.core
    return core.current(wait=request.method not in SAFE_METHODS)


class FollowWrites:
    """After a request that may have written (any method but GET, HEAD and OPTIONS), bring
    the graph core up to the store's version before its answer goes out, so that the
    writer's next request reads its write even though reads do not wait for a patch.

    Parameters
    ----------
    app
        The application.
    core
        The application's graph core.
    """

    def __init__(self, app: ASGIApp, core: GraphCore) -> None:
        self._app = app
        self._core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self._app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                with contextlib.suppress(StoreUnavailableError, RuntimeError):
                    await run_in_threadpool(self._core.current)  # RuntimeError: no store yet
            await send(message)

        await self._app(scope, receive, sending)


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
