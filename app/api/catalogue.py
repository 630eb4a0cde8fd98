"""The text catalogues, for the explorer and for clients that show our vocabulary."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from graph_schema.i18n import Entry, Language, catalogue

router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get(
    "/catalogue/{lang}",
    operation_id="get_catalogue",
    summary="Every text of one language",
    response_model=dict[str, Entry],
)
def get_catalogue(
    request: Request,
    lang: Annotated[Language, Path(description="`nl` or `en`.")],
) -> Response:
    """Every sentence, label and name of the vocabulary (helix roles, organisation types,
    kinds of node, relation types, participation roles) the service and the explorer use,
    in one language. A value is a text with `{name}` placeholders, or its plural forms
    `{"one": …, "other": …}` chosen by the placeholder `n`.
    """
    body = json.dumps(catalogue(lang), ensure_ascii=False, sort_keys=True).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
