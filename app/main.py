"""The FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import mimetypes
import signal
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from app.api import (
    analytics,
    catalogue,
    changes,
    edits,
    exchange,
    graph,
    health,
    matching,
    organisations,
    proposals,
    relationships,
    reports,
    sync,
    vocabulary,
)
from app.api.deps import FollowWrites
from app.api.limits import BodyLimitMiddleware
from app.api.problems import install_problem_handlers
from app.api.protection import RateLimitMiddleware, SecurityHeadersMiddleware
from app.api.resources import RESOURCES, resource_router
from app.api.schemas import PROBLEM_EXAMPLES, problem_doc, problem_example
from app.api.security import KeyRing, Scope, route_scopes
from app.core import GraphCore
from app.errors import InvalidSettingsError, StoreUnavailableError
from app.services.analytics import AnalyticsService
from app.services.matching import MatchService
from app.services.seeding import open_seeded_store
from app.settings import Settings
from app.store import GraphStore

__all__ = ["APIDOCS", "EXPLORER", "create_app", "operation_id"]

EXPLORER = Path(__file__).parent / "static" / "explorer"
"""The graph explorer: static files served at /explorer, no build step at run time."""

SCHEMAS = Path(__file__).parent / "static" / "schemas"
"""XML schemas the exports follow beyond their formats' own (GraphML with Gephi's edge kind)."""
mimetypes.add_type("application/xml", ".xsd")  # not in every system's table
APIDOCS = Path(__file__).parent / "static" / "apidocs"
"""The pages of /docs (Swagger UI) and /redoc with their assets, served by the service
itself so that the documentation works offline (rebuilt by scripts/build-apidocs.sh)."""

DESCRIPTION = """
The quadruple-helix stakeholder network of the *Agenda Gezondheidseconomie Drenthe
2021–2024*: organisations, their helix roles, and their links to the agenda's actions,
projects, networks, programmes, themes and SDGs. Every relationship carries its
provenance: source, section and a verbatim quote.

**Access.** Send an API key as `X-API-Key: KEY` or `Authorization: Bearer KEY`. Reads may
be open (`HELIX_OPEN_READS`); writes need a key with the `write` scope. 401: no valid
key; 403: the key lacks the scope.

**Language.** Every text in an answer — reasons, labels, error details — is Dutch unless
the request asks for English with `lang=en` or `Accept-Language: en`.

**Errors** are RFC 9457 `application/problem+json`: `title` and `detail` say what is wrong
and what to do, in the request's language; a 422 lists every field in `errors`
(`query.limit`, `body.role`, …); a name that matches no organisation comes with the
similar names in `suggestions` (close in spelling, or a few letters apart: `KPM` gets
`KPN`), when there are any. Each error status has its own example under its response.

**Organisations by name.** Where a parameter takes an organisation (`from` and `to` of
`/paths`, the neighbourhood, matching), an id, a name or an alias are alike: `bdrc`,
`Bethesda Diabetes Research Center` and `BDRC` name the same organisation.

**Following changes.** Every write makes one change in the log, numbered by the graph
version it produced. Poll `GET /api/v1/changes?since=V`: send the `next_since` of each
answer as the next `since`, and ask again at once while `has_more` is true — no change is
ever skipped. Or keep `GET /api/v1/changes/stream` open: server-sent events, one per
change, whose `id` is the version; a reconnecting client sends `Last-Event-ID` and
misses nothing.

**Concurrency.** GET of a node sends an `ETag`; send it back as `If-Match` on PUT or
DELETE, and a change made meanwhile gives 412 instead of being overwritten.
`If-None-Match` gives 304 when nothing changed.
"""


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": problem_doc(
        "Problem details (RFC 9457): what is wrong, per field where it applies. 401: no "
        "valid key; 403: the key lacks the scope; 404: no such node; 413: the body is too "
        "large; 422: invalid parameters or body; 429: too many requests (Retry-After).",
        *(PROBLEM_EXAMPLES[status] for status in (401, 403, 404, 413, 422, 429)),
    ),
    "5XX": problem_doc(
        "Problem details; 503 while the store does not answer.", PROBLEM_EXAMPLES[503]
    ),
}


def operation_id(route: APIRoute) -> str:
    """The route's name as its OpenAPI operation id: ``list_organisations``, not
    ``list_organisations_api_v1_organisations_get`` (a test keeps them unique)."""
    return route.name


def _read_graph(core: GraphCore) -> None:
    """Have the graph and its name index in memory before the first request; a graph
    database not up yet is read by the first request after it arrives (503 until then)."""
    with contextlib.suppress(StoreUnavailableError):
        _ = core.current().names


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """The layers around the routes, innermost first."""
    app.add_middleware(FollowWrites, core=app.state.core)
    app.add_middleware(
        BodyLimitMiddleware,
        default_limit=settings.max_body_bytes,
        limits={"/api/v1/import": settings.max_import_bytes},
    )
    rate = settings.rate
    if rate is not None:
        app.add_middleware(
            RateLimitMiddleware,
            limit=rate,
            exempt=("/health", "/ready", "/explorer", "/apidocs"),
        )
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=[
                "Authorization",
                "X-API-Key",
                "Content-Type",
                "If-Match",
                "If-None-Match",
            ],
            expose_headers=["ETag", "Retry-After"],
        )
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: every answer carries them


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; the store is opened in the lifespan unless one is given."""
    settings = settings or Settings()
    problems = settings.credential_problems()
    if problems:
        raise InvalidSettingsError("refusing to start in production: " + "; ".join(problems))
    try:
        keyring = KeyRing.from_settings(settings)
    except ValueError as error:
        raise InvalidSettingsError(str(error)) from error

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        active = open_seeded_store(settings, wait_for_server=True) if store is None else store
        app.state.store = active
        app.state.core.attach(active)
        _read_graph(app.state.core)
        closing = asyncio.Event()
        app.state.closing = closing
        # What start-up allocated lives as long as the process: keep it out of the
        # collector's full passes, which otherwise stall requests for tens of ms.
        gc.collect()
        gc.freeze()
        try:
            with _on_stop_signal(asyncio.get_running_loop(), closing.set):
                yield
        finally:
            closing.set()
            app.state.analytics.close()
            if owned:
                active.close()

    app = FastAPI(
        title="helixgraph",
        summary="The quadruple-helix network of the Agenda Gezondheidseconomie Drenthe",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
        generate_unique_id_function=operation_id,
        docs_url=None,  # served below from the package's own files
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.keyring = keyring
    app.state.core = GraphCore(store)
    app.state.analytics = AnalyticsService(
        app.state.core,
        fresh_wait=settings.fresh_wait,
        separate_process=settings.analysis_process,
    )
    app.state.matching = MatchService(app.state.core, fresh_wait=settings.fresh_wait)
    install_problem_handlers(app)
    _add_middleware(app, settings)
    _include_routers(app)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/explorer/")

    app.mount("/explorer", StaticFiles(directory=EXPLORER, html=True), name="explorer")
    app.mount("/schemas", StaticFiles(directory=SCHEMAS), name="schemas")
    _serve_docs(app)
    if settings.open_reads:
        _document_open_reads(app)
    _document_problem_bodies(app)
    return app


def _include_routers(app: FastAPI) -> None:
    app.include_router(health.router)
    app.include_router(catalogue.router)
    app.include_router(vocabulary.router)
    app.include_router(organisations.router)  # before the generic routes: its list has more filters
    for resource in RESOURCES:
        app.include_router(resource_router(resource))
    app.include_router(graph.router)
    app.include_router(relationships.router)
    app.include_router(changes.router)
    app.include_router(edits.router)
    app.include_router(exchange.router)
    app.include_router(analytics.router)
    app.include_router(matching.router)
    app.include_router(reports.router)
    app.include_router(sync.router)
    app.include_router(proposals.router)


def _serve_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc from the package's own files: they work offline."""

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> FileResponse:
        return FileResponse(APIDOCS / "docs.html", media_type="text/html")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> FileResponse:
        return FileResponse(APIDOCS / "redoc.html", media_type="text/html")

    app.mount("/apidocs", StaticFiles(directory=APIDOCS), name="apidocs")


@contextmanager
def _on_stop_signal(loop: asyncio.AbstractEventLoop, stop: Callable[[], None]) -> Iterator[None]:
    """Call ``stop`` on the loop when SIGINT or SIGTERM arrives, then the handler that was
    there (the server's, which starts its graceful shutdown).

    The server waits for open responses to finish before it shuts the application down;
    endless ones (the change stream) must learn of the signal itself to end. Signals are
    only caught in the main thread (not under the test client, which ends its streams by
    closing them).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def handle(sig: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(stop)
        handler = previous[signal.Signals(sig)]
        if callable(handler):
            handler(sig, frame)
        elif handler == signal.SIG_DFL:
            signal.default_int_handler(sig, frame)

    for sig in previous:
        signal.signal(sig, handle)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            if signal.getsignal(sig) is handle:
                signal.signal(sig, handler)


def _document_open_reads(app: FastAPI) -> None:
    """With open reads, an operation that needs only the read scope needs no key.

    The document says so once, at its top: ``security`` lists ``{}`` (no credentials)
    beside the key schemes, and those operations carry no ``security`` of their own, so
    they inherit it; a client sends a key when it has one and needs none otherwise.
    Operations needing another scope (writes; audit: admin; contacts) keep their own
    list, without ``{}``; operations that take no key at all (health, the catalogue) say
    ``security: []``. Stating the optional key at the top rather than on each operation
    is what generators read too: openapi-python-client takes any non-empty list on an
    operation, ``{}`` included, as "a key is required" and would demand an
    ``AuthenticatedClient`` for every read (its issue 1372).
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        scopes = route_scopes(app)
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                scope = scopes.get((method.upper(), path))
                if scope is None:
                    operation.setdefault("security", [])
                elif scope is Scope.READ:
                    operation.pop("security", None)
        schemes = schema.get("components", {}).get("securitySchemes", {})
        schema["security"] = [*({name: []} for name in schemes), {}]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# What POST /api/v1/import answers for a document with an edge to an unknown node.
_IMPORT_PROBLEM = problem_example(
    422,
    "Ongeldige graafgegevens",
    "1 probleem in de ingestuurde graafgegevens",
    "/api/v1/import",
    errors=[
        {"where": "PARTNER_IN kpn -> action-x", "message": "target 'action-x' is geen bekend id"}
    ],
)


def _document_problem_bodies(app: FastAPI) -> None:
    """An error response a route declares with a description only gets the problem
    schema and the example of its status, so a generated client gets a body for it too."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        for path, item in schema["paths"].items():
            for operation in item.values():
                for code, response in operation.get("responses", {}).items():
                    if not (code.isdigit() and int(code) >= 400) or "content" in response:
                        continue
                    example = (
                        _IMPORT_PROBLEM
                        if path == "/api/v1/import" and code == "422"
                        else PROBLEM_EXAMPLES.get(int(code))
                    )
                    documented = problem_doc(response["description"], *filter(None, [example]))
                    response["content"] = documented["content"]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
