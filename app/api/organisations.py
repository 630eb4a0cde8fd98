"""Organisations: list with filters, get by id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.api.deps import StoreDep
from app.api.schemas import ListResponse
from app.errors import NotFoundError
from app.store import NodeQuery, NodeSort
from graph_schema import HelixRole, NodeLabel, Organisation, OrgType
from graph_schema.models import ID_PATTERN

router = APIRouter(prefix="/api/v1/organisations", tags=["organisations"])


@router.get("", summary="List organisations, filtered and paged")
def list_nodes(
    store: StoreDep,
    helix_role: Annotated[HelixRole | None, Query(description="Primary helix role.")] = None,
    include_secondary: Annotated[
        bool, Query(description="Let helix_role also match secondary roles.")
    ] = False,
    org_type: Annotated[OrgType | None, Query(description="Organisation type.")] = None,
    place: Annotated[str | None, Query(max_length=100, description="Town, any case.")] = None,
    generic: Annotated[
        bool | None, Query(description="Only placeholder groups (true) or only real ones.")
    ] = None,
    sort: NodeSort = NodeSort.NAME,
    descending: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ListResponse[Organisation]:
    """Organisations of the helix network; `count` is the total over all pages."""
    query = NodeQuery(
        helix_role=helix_role,
        include_secondary=include_secondary,
        org_type=org_type,
        place=place,
        generic=generic,
        sort=sort,
        descending=descending,
        limit=limit,
        offset=offset,
    )
    page = store.list_nodes(query)
    return ListResponse(data=page.items, count=page.total, limit=limit, offset=offset)


@router.get("/{org_id}", summary="One organisation by id")
def get_organisation(
    store: StoreDep, org_id: Annotated[str, Path(pattern=ID_PATTERN, max_length=120)]
) -> Organisation:
    """The organisation with every stored property and its provenance."""
    node = store.get_node(NodeLabel.ORGANISATION, org_id)
    if not isinstance(node, Organisation):
        raise NotFoundError(f"no organisation with id {org_id!r}")
    return node
