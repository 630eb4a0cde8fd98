"""The graph's vocabulary, served so that clients restate none of it."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request, Response

from app.api.resources import RESOURCES
from app.api.security import ReadAccess
from app.services.vocabulary import Vocabulary, vocabulary

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get(
    "/vocabulary",
    operation_id="get_vocabulary",
    summary="Every closed list and relation rule of the graph",
    response_model=Vocabulary,
)
def get_vocabulary(request: Request, _: ReadAccess) -> Response:
    """The kinds of node, helix roles, organisation types, statuses and link roles, each
    with the catalogue prefix whose keys name its codes; every relation type with the kinds
    of node it joins and its roles; and which relation links an organisation to each kind
    of activity; and the collection serving each kind of node.
    """
    collections = {resource.label: resource.path for resource in RESOURCES}
    body = vocabulary(collections).model_dump_json().encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
