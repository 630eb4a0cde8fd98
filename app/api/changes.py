"""The change log: what changed since a graph version."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import StoreDep
from app.api.schemas import ChangeOut, ChangesResponse
from app.api.security import ReadAccess

router = APIRouter(prefix="/api/v1/changes", tags=["changes"])


@router.get("", summary="What changed since a graph version")
def changes(
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
