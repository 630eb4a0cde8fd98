"""Organisations: the list with every filter and ranked search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import StoreDep
from app.api.resources import Limit, Offset, SearchText, ThemeId
from app.api.schemas import ListResponse
from app.api.security import ReadAccess
from app.services.views import list_nodes
from app.store import NodeQuery, NodeSort
from graph_schema import HelixRole, NodeLabel, Organisation, OrgType

router = APIRouter(prefix="/api/v1/organisations", tags=["organisations"])


@router.get("", summary="List or search organisations, filtered and paged")
def list_organisations(
    store: StoreDep,
    _: ReadAccess,
    q: SearchText = None,
    helix_role: Annotated[HelixRole | None, Query(description="Primary helix role.")] = None,
    include_secondary: Annotated[
        bool, Query(description="Let helix_role also match secondary roles.")
    ] = False,
    org_type: Annotated[OrgType | None, Query(description="Organisation type.")] = None,
    theme: ThemeId = None,
    place: Annotated[str | None, Query(max_length=100, description="Town, any case.")] = None,
    generic: Annotated[
        bool | None, Query(description="Only placeholder groups (true) or only real ones.")
    ] = None,
    sort: NodeSort = NodeSort.NAME,
    descending: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ListResponse[Organisation]:
    """Organisations of the helix network. With `q` the best matches of name or alias come
    first; `theme` keeps organisations in an action, project or network on that theme;
    `count` is the total over all pages."""
    query = NodeQuery(
        label=NodeLabel.ORGANISATION,
        theme=theme,
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
    page = list_nodes(store, query, q)
    items = [node for node in page.items if isinstance(node, Organisation)]
    return ListResponse(data=items, count=page.total, limit=limit, offset=offset)
