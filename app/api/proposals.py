"""Proposals from a document: upload, read back, review (thin; logic in services.proposals)."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from app.api.deps import StoreDep, ViewDep
from app.api.security import WriteAccess
from app.errors import InvalidRequestError
from app.services.proposals import Decision, ProposalStore, propose, review
from app.settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["proposals"])

ProposalId = Annotated[
    str,
    Path(
        pattern=r"^prop-[0-9a-f]{16}$",
        description="The proposal's id.",
        examples=["prop-3f2a9c0d41b7e655"],
    ),
]
_DOCUMENT_TYPES = {
    # one binary body for every kind of document: the service tells PDF, Word and text
    # apart by their bytes (and the file name), so a generated client needs one call
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary"}},
            "required": ["file"],
        }
    },
}


def _store(request: Request) -> ProposalStore:
    settings: Settings = request.app.state.settings
    return ProposalStore(settings.data_dir)


def _document(body: bytes, content_type: str, filename: str | None) -> tuple[bytes, str | None]:
    """The uploaded file: the raw body, or the first file part of a multipart form."""
    if content_type.lower().startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        for part in message.iter_parts():
            if (
                part.get_filename() is not None
                or part.get_param("name", header="content-disposition") == "file"
            ):
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes) and payload:
                    return payload, part.get_filename() or filename
        raise InvalidRequestError.of("error.proposal.no_document")
    if not body:
        raise InvalidRequestError.of("error.proposal.no_document")
    return body, filename


class ItemDecision(BaseModel):
    """A reviewer's decision on one item of a proposal."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"ref": "org-4", "decision": "edit", "edit": {"id": "zorgtech-emmen"}},
                {"ref": "link-2", "decision": "accept"},
            ]
        },
    )

    ref: str = Field(description="The item's `ref` (`org-3`, `act-2`, `link-7`).", max_length=40)
    decision: Literal["accept", "edit", "reject"] = Field(
        description="`accept` as proposed, `edit`: accept with the fields of `edit` changed, "
        "`reject`."
    )
    edit: dict[str, Any] = Field(
        default_factory=dict,
        description='With `edit`: fields to change, e.g. `{"id": "zorgtech-emmen", '
        '"helix_role": "industry"}`, `{"existing_id": "umcg"}` to take an '
        'organisation the graph has, `{"theme": "theme-digitalisering"}` for a new action.',
    )


class ReviewBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"ref": "org-4", "decision": "accept"},
                        {"ref": "org-5", "decision": "reject"},
                        {"ref": "link-2", "decision": "accept"},
                    ]
                }
            ]
        },
    )

    items: list[ItemDecision] = Field(max_length=5000, description="One decision per item.")


@router.post(
    "/proposals",
    summary="Propose organisations, links and activities from a document",
    name="create_proposal",
    status_code=201,
    responses={422: {"description": "The file cannot be read or holds no text."}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The document's bytes as the body (PDF, Word .docx or UTF-8 text, "
            "told apart by their content; any `Content-Type`), or a form with the file.",
            "content": _DOCUMENT_TYPES,
        }
    },
)
async def create_proposal(
    request: Request,
    view: ViewDep,
    _: WriteAccess,
    x_filename: Annotated[
        str | None, Header(description="The document's file name (raw bodies).")
    ] = None,
    source: Annotated[
        str | None,
        Query(
            max_length=300,
            description="The document's id or title, used as provenance "
            "source; the file name when left out.",
        ),
    ] = None,
) -> JSONResponse:
    """Reads a successor agenda, a project plan or a news item (PDF, .docx or text; Dutch or
    English) — as the raw body or as the `file` of a form — and proposes every organisation
    it names (matched to the graph by name or alias, or new with a proposed helix role and
    type and the evidence), the organisations' links to actions, projects and networks,
    and the activities it introduces; each with the verbatim quote and the heading it
    comes from. Nothing is written to the graph: the proposal is kept until it is
    reviewed (`POST /api/v1/proposals/{id}/review`). The same document sent again while the
    graph is unchanged gives the same proposal, with the decisions taken on it."""
    body = await request.body()
    data, filename = _document(body, request.headers.get("content-type", ""), x_filename)
    name = FilePath(filename).name if filename else None

    def made() -> dict[str, Any]:
        proposal = propose(data, name, view.graph, source=source, version=view.version())
        return _store(request).keep(proposal)

    return JSONResponse(await run_in_threadpool(made), status_code=201)


@router.get("/proposals/{proposal_id}", summary="A proposal", name="get_proposal")
def get_proposal(proposal_id: ProposalId, request: Request, _: WriteAccess) -> dict[str, Any]:
    """The proposal as made, with the decisions taken on it so far."""
    return _store(request).load(proposal_id)


@router.post(
    "/proposals/{proposal_id}/review",
    summary="Accept, edit or reject the items of a proposal",
    name="review_proposal",
    responses={422: {"description": "Every problem of the decisions; nothing was written."}},
)
def review_proposal(
    proposal_id: ProposalId,
    body: ReviewBody,
    request: Request,
    store: StoreDep,
    who: WriteAccess,
    dry_run: Annotated[bool, Query(description="Check and count; write nothing.")] = False,
) -> dict[str, Any]:
    """Accepted items are written in one graph version, the document as their provenance
    (source, heading, quote); a link needs both its ends accepted (now or before) or in
    the graph. Answers the version and counts, each item's decision and the ids written."""
    decisions = [Decision(item.ref, item.decision, item.edit) for item in body.items]
    return review(store, _store(request), proposal_id, decisions, actor=who.key_id, dry_run=dry_run)
