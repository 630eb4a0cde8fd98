"""Relationships: add or remove a participation, membership or any other link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.api.deps import StoreDep
from app.api.schemas import problem_doc, problem_example
from app.api.security import WriteAccess
from graph_schema import GraphData, Relationship, RelType
from graph_schema.models import ID_PATTERN

router = APIRouter(prefix="/api/v1/relationships", tags=["relationships"])

EndId = Annotated[str, Path(pattern=ID_PATTERN, max_length=120, description="A node id.")]


@router.post(
    "",
    summary="Add a relationship, with its provenance",
    status_code=status.HTTP_201_CREATED,
    responses={
        422: problem_doc(
            "Unknown ids, wrong kinds or missing provenance.",
            problem_example(
                422,
                "Ongeldig verzoek",
                "body.provenance: is verplicht",
                "/api/v1/relationships",
                errors=[{"field": "body.provenance", "message": "is verplicht"}],
            ),
        )
    },
)
def add_relationship(store: StoreDep, who: WriteAccess, body: Relationship) -> Relationship:
    """Link two existing nodes (e.g. an organisation PARTICIPATES_IN a project with role
    lead). Provenance (source, section, quote) is required; adding it again updates it."""
    store.upsert(GraphData(relationships=(body,)), actor=who.key_id)
    return body


@router.delete(
    "/{rel_type}/{source}/{target}",
    summary="Remove a relationship",
    status_code=status.HTTP_204_NO_CONTENT,
)
def remove_relationship(
    store: StoreDep,
    who: WriteAccess,
    rel_type: Annotated[RelType, Path(description="The kind of relationship.")],
    source: EndId,
    target: EndId,
) -> Response:
    """Remove the relationship of this kind from `source` to `target`; 404 when absent."""
    store.delete_relationship(rel_type, source, target, actor=who.key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
