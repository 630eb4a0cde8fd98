"""Proposals from a document: upload, read back, review (thin; logic in services.proposals)."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict
from starlette.concurrency import run_in_threadpool

from app.api.deps import StoreDep, ViewDep
from app.api.security import WriteAccess
from app.errors import InvalidRequestError
from app.services.proposals import Decision, ProposalStore, propose, review
from app.settings import Settings
from graph_schema.enums import HelixRole, NodeLabel, OrgType, RelType

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


_QUOTE = "Samen met het UMCG en Zorgtech Emmen start het project Thuis Meten."
_SECTION = "Projecten 2025"
_ORGANISATION: JsonDict = {
    "ref": "org-4",
    "name": "Zorgtech Emmen",
    "existing_id": None,
    "matched": "Zorgtech Emmen",
    "proposed_id": "zorgtech-emmen",
    "helix_role": "industry",
    "org_type": "company",
    "generic": False,
    "evidence": {"found_by": "name_word", "type_word": "zorgtech"},
    "mentions": 2,
    "quote": _QUOTE,
    "section": _SECTION,
}
_ACTIVITY: JsonDict = {
    "ref": "act-2",
    "label": "Project",
    "name": "Thuis Meten",
    "existing_id": None,
    "proposed_id": "project-thuis-meten",
    "theme": None,
    "evidence": {"found_by": "kind_word", "type_word": "project"},
    "quote": _QUOTE,
    "section": _SECTION,
}
_LINK: JsonDict = {
    "ref": "link-2",
    "organisation": "org-4",
    "organisation_id": None,
    "activity": "act-2",
    "activity_id": None,
    "in_graph": False,
    "type": "PARTICIPATES_IN",
    "role": "partner",
    "cue": "samen met",
    "quote": _QUOTE,
    "section": _SECTION,
}
_REVIEW: JsonDict = {"version": 42, "actor": "key-3f2a9c0d", "decisions": {"org-4": "accepted"}}

Evidence = dict[str, str | None]
ItemStatus = Literal["accepted", "rejected"]
ProposalStatus = Literal["open", "reviewed"]


class ProposedOrganisation(BaseModel):
    """An organisation the document names: one the graph has, or a new one proposed."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ORGANISATION]})

    ref: str = Field(description="The item's reference in this proposal.", examples=["org-4"])
    name: str = Field(description="The name as the document writes it.", examples=["UMCG"])
    existing_id: str | None = Field(
        description="The graph's organisation it was matched to; null: a new one."
    )
    matched: str = Field(description="The name or alias it was matched by.", examples=["UMCG"])
    proposed_id: str | None = Field(
        default=None, description="New organisations: the id it would get."
    )
    helix_role: HelixRole | None = Field(
        default=None, description="New organisations: the proposed helix role."
    )
    org_type: OrgType | None = Field(
        default=None, description="New organisations: the proposed organisation type."
    )
    generic: bool | None = Field(
        default=None, description="New organisations: whether it is a group, not one body."
    )
    evidence: Evidence | None = Field(
        default=None,
        description="New organisations: what the role and type were read from.",
        examples=[{"found_by": "type_word", "type_word": "stichting"}],
    )
    mentions: int = Field(description="How often the document names it.", examples=[3])
    quote: str = Field(description="The sentence it is named in, verbatim.")
    section: str = Field(description="The heading that sentence stands under.")


class ProposedActivity(BaseModel):
    """An action, project or network the document names or introduces."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ACTIVITY]})

    ref: str = Field(description="The item's reference in this proposal.", examples=["act-2"])
    label: NodeLabel = Field(description="Its kind.", examples=["Project"])
    name: str = Field(description="Its name as the document writes it.")
    existing_id: str | None = Field(
        description="The graph's activity it was matched to; null: a new one."
    )
    proposed_id: str | None = Field(
        default=None, description="New activities: the id it would get."
    )
    theme: str | None = Field(default=None, description="New activities: the proposed theme.")
    evidence: Evidence | None = Field(
        default=None, description="New activities: what it was read from."
    )
    quote: str = Field(description="The sentence it is named in, verbatim.")
    section: str = Field(description="The heading that sentence stands under.")


class ProposedLink(BaseModel):
    """A link of an organisation to an activity that the document states."""

    model_config = ConfigDict(json_schema_extra={"examples": [_LINK]})

    ref: str = Field(description="The item's reference in this proposal.", examples=["link-2"])
    organisation: str = Field(description="The organisation's `ref`.", examples=["org-4"])
    organisation_id: str | None = Field(description="Its id in the graph; null: new.")
    activity: str = Field(description="The activity's `ref`.", examples=["act-2"])
    activity_id: str | None = Field(description="Its id in the graph; null: new.")
    in_graph: bool = Field(
        description="Whether the graph has this link already (accepting it adds this "
        "document's quote)."
    )
    type: RelType = Field(description="The relation type.", examples=["PARTICIPATES_IN"])
    role: str | None = Field(description="Its role, where the type takes one.")
    cue: str = Field(description="The words the link was read from.")
    quote: str = Field(description="The sentence it stands in, verbatim.")
    section: str = Field(description="The heading that sentence stands under.")


class ProposalReview(BaseModel):
    """One review of a proposal, as recorded with it."""

    model_config = ConfigDict(json_schema_extra={"examples": [_REVIEW]})

    version: int | None = Field(description="The graph version it wrote; null: none.")
    actor: str | None = Field(description="The key id of the reviewer.")
    decisions: dict[str, ItemStatus] = Field(description="The items it decided, by `ref`.")


class Proposal(BaseModel):
    """What a document proposes, and the decisions taken on it so far."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "prop-3f2a9c0d41b7e655",
                    "source": "nieuwsbericht-thuis-meten",
                    "kind": "text",
                    "version": 41,
                    "status": "open",
                    "organisations": [_ORGANISATION],
                    "links": [_LINK],
                    "activities": [_ACTIVITY],
                }
            ]
        }
    )

    id: str = Field(description="The proposal's id.", examples=["prop-3f2a9c0d41b7e655"])
    source: str = Field(description="The document's id or title, or its file name.")
    kind: Literal["pdf", "docx", "text"] = Field(description="How the document was read.")
    version: int | None = Field(description="The graph version it was read against.")
    status: ProposalStatus = Field(description="`reviewed` once every item is decided.")
    organisations: list[ProposedOrganisation] = Field(description="The organisations named.")
    links: list[ProposedLink] = Field(description="The links stated.")
    activities: list[ProposedActivity] = Field(description="The activities named.")
    decisions: dict[str, ItemStatus] | None = Field(
        default=None, description="After a review: every decided item, by `ref`."
    )
    created: dict[str, str] | None = Field(
        default=None, description="After a review: the id written for each accepted new item."
    )
    reviews: list[ProposalReview] | None = Field(
        default=None, description="After a review: each review, oldest first."
    )


class ReviewResult(BaseModel):
    """What a review wrote (or, with `dry_run`, would write)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "prop-3f2a9c0d41b7e655",
                    "version": 42,
                    "created": 3,
                    "updated": 0,
                    "unchanged": 0,
                    "dry_run": False,
                    "decisions": {"org-4": "accepted", "act-2": "accepted", "link-2": "accepted"},
                    "written": {"org-4": "zorgtech-emmen", "act-2": "project-thuis-meten"},
                    "status": "reviewed",
                }
            ]
        }
    )

    id: str = Field(description="The proposal's id.", examples=["prop-3f2a9c0d41b7e655"])
    version: int | None = Field(description="The graph version written; null: nothing was.")
    created: int = Field(description="Nodes and relationships created.", examples=[3])
    updated: int = Field(description="Nodes and relationships changed.", examples=[1])
    unchanged: int = Field(description="Nodes and relationships already so.", examples=[0])
    dry_run: bool = Field(description="Whether this was only a check.")
    decisions: dict[str, ItemStatus] = Field(description="Every decided item, by `ref`.")
    written: dict[str, str] = Field(
        description="The id written for each new item accepted in this review, by `ref`."
    )
    status: ProposalStatus = Field(description="`reviewed` once every item is decided.")


@router.post(
    "/proposals",
    summary="Propose organisations, links and activities from a document",
    name="create_proposal",
    status_code=201,
    response_model=Proposal,
    response_model_exclude_unset=True,
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
) -> dict[str, Any]:
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
        proposal = propose(data, name, view.data, source=source, version=view.version())
        return _store(request).keep(proposal)

    return await run_in_threadpool(made)


@router.get(
    "/proposals/{proposal_id}",
    summary="A proposal",
    name="get_proposal",
    response_model=Proposal,
    response_model_exclude_unset=True,
)
def get_proposal(proposal_id: ProposalId, request: Request, _: WriteAccess) -> dict[str, Any]:
    """The proposal as made, with the decisions taken on it so far."""
    return _store(request).load(proposal_id)


@router.post(
    "/proposals/{proposal_id}/review",
    summary="Accept, edit or reject the items of a proposal",
    name="review_proposal",
    response_model=ReviewResult,
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
