"""The change log: what changed since a graph version, in pages or as a live stream."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.api.deps import LangDep, StoreDep
from app.api.schemas import (
    AuditEntryOut,
    AuditResponse,
    ChangeOut,
    ChangesResponse,
    problem_doc,
    problem_example,
)
from app.api.security import AdminAccess, ReadAccess
from app.errors import ConflictError
from app.store import GraphStore
from app.store.base import Change
from graph_schema.i18n import Language, t

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["changes"])

_BATCH = 100
_POLL_SECONDS = 0.5
_RETRY_MS = 3000

Since = Annotated[
    int,
    Query(
        ge=0,
        le=2**63 - 1,
        description="The last graph version you have seen: the `next_since` of your previous "
        "page, or 0 to read the log from the start. Beyond the current version: 409.",
    ),
]
StreamSince = Annotated[
    int,
    Query(
        ge=0,
        le=2**63 - 1,
        description="The stream starts with the changes after this graph version: the last "
        "version you have (the `next_since` of your last page, or the `id` of the last event "
        "received), or 0 for the whole log. A reconnecting EventSource sends "
        "`Last-Event-ID` itself, which then takes precedence. Beyond the current version: "
        "409.",
    ),
]

_SINCE_TOO_FAR = problem_example(
    409,
    "Conflict",
    "since 12 ligt voorbij de huidige versie 9; lees opnieuw vanaf 0 of vanaf een versie tot "
    "en met 9",
    "/api/v1/changes",
)


def _check_since(store: GraphStore, since: int, lang: Language) -> int:
    """The current version; 409 when ``since`` lies beyond it (a client that kept a
    version of another store, or of a store that was restored)."""
    current = store.version()
    if since > current:
        raise ConflictError(t(lang, "error.changes.since_beyond", since=since, version=current))
    return current


def _out(change: Change) -> ChangeOut:
    return ChangeOut.model_validate(change, from_attributes=True)


@router.get(
    "/changes",
    summary="What changed since a graph version, one page at a time",
    responses={409: problem_doc("`since` is beyond the current graph version.", _SINCE_TOO_FAR)},
)
def list_changes(
    store: StoreDep,
    _: ReadAccess,
    lang: LangDep,
    since: Since = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many changes.")] = 100,
) -> ChangesResponse:
    """Every write after version `since`, oldest first: its version, time, action, the key
    that made it and the ids of the nodes and relationships it touched. Every write makes
    exactly one change, numbered by the graph version it produced, so versions in the log
    have no gaps.

    To follow the graph, poll with `since` set to the `next_since` of the previous answer;
    while `has_more` is true, ask again at once. A poller that does this never misses a
    change. `current_version` is the graph's version when the page was read, not the end
    of the page. For pushed changes, see `GET /api/v1/changes/stream`."""
    current = _check_since(store, since, lang)
    found = store.changes(since, limit + 1)
    page = found[:limit]
    return ChangesResponse(
        data=[_out(change) for change in page],
        has_more=len(found) > limit,
        next_since=page[-1].version if page else since,
        current_version=max(current, page[-1].version if page else current),
    )


def _event(change: Change) -> str:
    data = _out(change).model_dump_json()
    return f"id: {change.version}\nevent: change\ndata: {data}\n\n"


async def _stream(
    request: Request, store: GraphStore, cursor: int, heartbeat: float
) -> AsyncIterator[str]:
    """Changes after ``cursor`` as server-sent events, then each new one as it is written;
    a comment line every ``heartbeat`` seconds keeps proxies from closing a quiet stream.
    Ends when the service shuts down (the client reconnects with Last-Event-ID)."""
    closing: asyncio.Event = request.app.state.closing
    yield f"retry: {_RETRY_MS}\n: changes after version {cursor}\n\n"
    last_sent = time.monotonic()
    while not closing.is_set():
        if await run_in_threadpool(store.version) > cursor:
            batch = await run_in_threadpool(store.changes, cursor, _BATCH)
            for change in batch:
                yield _event(change)
                cursor = change.version
            if batch:
                last_sent = time.monotonic()
            if len(batch) == _BATCH:
                continue
        if time.monotonic() - last_sent >= heartbeat:
            yield ": heartbeat\n\n"
            last_sent = time.monotonic()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing.wait(), timeout=_POLL_SECONDS)
    yield ": the service is shutting down; reconnect with Last-Event-ID\n\n"


@router.get(
    "/changes/stream",
    summary="Changes as they happen: a server-sent-events stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "A `text/event-stream`: one event `change` per write, its `id` "
            "the graph version, its `data` a change as `GET /api/v1/changes` gives it.",
            "content": {
                "text/event-stream": {
                    "schema": {"type": "string"},
                    "example": 'id: 8\nevent: change\ndata: {"version": 8, "at": '
                    '"2026-11-28T14:15:38.120+00:00", "action": "upsert", "actor": "3f9a1c2e", '
                    '"nodes": ["it-hub"], "relationships": []}\n\n',
                }
            },
        },
        409: problem_doc(
            "`since` or `Last-Event-ID` is beyond the current graph version.",
            {**_SINCE_TOO_FAR, "instance": "/api/v1/changes/stream"},
        ),
    },
)
async def stream_changes(
    request: Request,
    store: StoreDep,
    _: ReadAccess,
    lang: LangDep,
    since: StreamSince = 0,
    last_event_id: Annotated[
        int | None,
        Header(
            alias="Last-Event-ID",
            ge=0,
            le=2**63 - 1,
            description="The id of the last event received; a reconnecting EventSource "
            "sends it itself. Takes precedence over `since`.",
        ),
    ] = None,
    heartbeat: Annotated[
        float,
        Query(ge=1, le=300, description="Seconds of quiet after which a comment line is sent."),
    ] = 15,
) -> StreamingResponse:
    """First every change after `since` (or after `Last-Event-ID`), oldest first, then each
    new change as it is written, as server-sent events: `id` is the graph version, `event`
    is `change`, `data` the change as JSON. A comment line (`: heartbeat`) is sent after
    `heartbeat` seconds without an event. When the service shuts down the stream ends; a
    client that reconnects with the last id it received (as EventSource does by itself,
    after the `retry` delay) misses nothing."""
    cursor = since if last_event_id is None else last_event_id
    await run_in_threadpool(_check_since, store, cursor, lang)
    return StreamingResponse(
        _stream(request, store, cursor, heartbeat),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/audit", summary="The audit log: who changed what, before and after (admin)")
def list_audit_entries(
    store: StoreDep,
    _: AdminAccess,
    lang: LangDep,
    since: Since = 0,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many entries.")] = 100,
    actor: Annotated[
        str | None, Query(max_length=64, description="Only writes by this key id.")
    ] = None,
    node: Annotated[
        str | None, Query(max_length=120, description="Only writes touching this node id.")
    ] = None,
) -> AuditResponse:
    """Every write after version `since`, oldest first: when, which API key (its id, never
    the key), the action, and for each node and relationship it touched the document
    before and after (null before: created; null after: deleted). Bulk writes of more
    than 1,000 records keep the ids without the documents. Admin keys only. Pages as
    `GET /api/v1/changes` does: continue from `next_since` while `has_more`."""
    current = _check_since(store, since, lang)
    entries: list[AuditEntryOut] = []
    cursor = since
    has_more = False
    while not has_more:
        batch = store.changes(cursor, 1000)
        if not batch:
            break
        for change in batch:
            if len(entries) == limit:
                has_more = True
                break
            cursor = change.version
            if actor is not None and change.actor != actor:
                continue
            touched = {*change.nodes, *(p for k in change.relationships for p in k.split(" ")[1:])}
            if node is not None and node not in touched:
                continue
            details = None if change.details is None else json.loads(change.details)
            entry = _out(change).model_dump()
            entries.append(
                AuditEntryOut(**entry, details=details, note=change.note, undo_of=change.undo_of)
            )
    return AuditResponse(
        data=entries,
        has_more=has_more,
        next_since=cursor,
        current_version=max(current, cursor),
    )
