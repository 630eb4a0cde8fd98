"""The change log: what changed since a graph version."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import StoreDep
from app.api.schemas import AuditEntryOut, AuditResponse, ChangeOut, ChangesResponse
from app.api.security import AdminAccess, ReadAccess

router = APIRouter(prefix="/api/v1", tags=["changes"])


@router.get("/changes", summary="What changed since a graph version")
def list_changes(
    store: StoreDep,
    _: ReadAccess,
    since: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="A graph version you have seen.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ChangesResponse:
    """Every write after version `since`, oldest first: its version, time, action, the key
    that made it and the ids of the nodes and relationships it touched. Poll with the last
    `version` you got to follow the graph."""
    found = store.changes(since, limit)
    return ChangesResponse(
        version=store.version(),
        data=[ChangeOut.model_validate(change, from_attributes=True) for change in found],
    )


@router.get("/audit", summary="The audit log: who changed what, before and after (admin)")
def list_audit_entries(
    store: StoreDep,
    _: AdminAccess,
    since: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="Entries after this graph version.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
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
    than 1,000 records keep the ids without the documents. Admin keys only."""
    entries: list[AuditEntryOut] = []
    cursor = since
    while len(entries) < limit:
        batch = store.changes(cursor, 1000)
        if not batch:
            break
        cursor = batch[-1].version
        for change in batch:
            if actor is not None and change.actor != actor:
                continue
            touched = {*change.nodes, *(p for k in change.relationships for p in k.split(" ")[1:])}
            if node is not None and node not in touched:
                continue
            details = None if change.details is None else json.loads(change.details)
            entry = ChangeOut.model_validate(change, from_attributes=True).model_dump()
            entries.append(AuditEntryOut(**entry, details=details))
            if len(entries) == limit:
                break
    return AuditResponse(version=store.version(), data=entries)
