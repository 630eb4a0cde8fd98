"""Edits: one user action, one write — and its history, its undo and its impact."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from app.api.analytics import ServiceDep
from app.api.deps import LangDep, StoreDep, ViewDep
from app.api.resources import Limit, NodeIdPath, Offset
from app.api.schemas import problem_doc, problem_example
from app.api.security import ReadAccess, WriteAccess
from app.services.analytics import Options
from app.services.editing import (
    Batch,
    BatchResult,
    EdgeKey,
    History,
    Impact,
    apply_batch,
    history,
    impact,
    undo,
)
from graph_schema import Node, Relationship, RelType
from graph_schema.models import ID_PATTERN

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["edits"])

NodeId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=120)]
_MAX_RECORDS = 5000

_PROV: dict[str, JsonValue] = {
    "source": "told:Anne de Vries",
    "section": "2026-12-03",
    "quote": "samen met Treant",
}


class EdgeRef(BaseModel):
    """A relationship by its identity: its type, source and target."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"type": "PARTNER_IN", "source": "it-hub", "target": "action-dig-1"}]
        },
    )

    type: RelType = Field(description="The kind of relationship.")
    source: NodeId = Field(description="The id of the node it starts at.")
    target: NodeId = Field(description="The id of the node it ends at.")


class EditUpserts(BaseModel):
    """Nodes and relationships to create or replace whole, as interchange documents."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "nodes": [
                        {
                            "id": "zorgtech-emmen",
                            "label": "Organisation",
                            "name": "Zorgtech Emmen",
                            "helix_role": "industry",
                            "org_type": "company",
                            "provenance": _PROV,
                        }
                    ],
                    "edges": [
                        {
                            "source": "zorgtech-emmen",
                            "target": "action-dig-1",
                            "type": "PARTNER_IN",
                            "provenance": _PROV,
                        }
                    ],
                }
            ]
        },
    )

    nodes: list[Node] = Field(
        default_factory=list, max_length=_MAX_RECORDS, description="Node documents."
    )
    edges: list[Relationship] = Field(
        default_factory=list, max_length=_MAX_RECORDS, description="Edge documents."
    )


class EditDeletes(BaseModel):
    """Nodes (with every relationship they have) and relationships to delete."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "nodes": ["zorgtech-emmen"],
                    "edges": [{"type": "PARTNER_IN", "source": "it-hub", "target": "action-dig-1"}],
                }
            ]
        },
    )

    nodes: list[NodeId] = Field(
        default_factory=list, max_length=_MAX_RECORDS, description="Ids of nodes to delete."
    )
    edges: list[EdgeRef] = Field(
        default_factory=list, max_length=_MAX_RECORDS, description="Relationships to delete."
    )


class EditRequest(BaseModel):
    """One user action: what to write and delete, as one graph version."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "upsert": {
                        "nodes": [
                            {
                                "id": "zorgtech-emmen",
                                "label": "Organisation",
                                "name": "Zorgtech Emmen",
                                "helix_role": "industry",
                                "org_type": "company",
                            }
                        ],
                        "edges": [
                            {
                                "source": "zorgtech-emmen",
                                "target": "action-dig-1",
                                "type": "PARTNER_IN",
                                "provenance": _PROV,
                            }
                        ],
                    },
                    "delete": {"nodes": [], "edges": []},
                    "expected": {"zorgtech-emmen": None},
                    "note": "bijeenkomst 3 december",
                }
            ]
        },
    )

    upsert: EditUpserts = Field(default_factory=EditUpserts, description="What to write.")
    delete: EditDeletes = Field(default_factory=EditDeletes, description="What to delete.")
    expected: dict[NodeId, str | None] = Field(
        default_factory=dict,
        max_length=_MAX_RECORDS,
        description="Per node id the ETag you last read (`GET` of the node sends it), or "
        "null: the node must not exist yet. Any other state: 412 with `current`.",
    )
    note: str | None = Field(
        default=None, max_length=500, description="Kept in the audit log with the change."
    )

    def batch(self) -> Batch:
        return Batch(
            nodes=tuple(self.upsert.nodes),
            relationships=tuple(self.upsert.edges),
            delete_nodes=tuple(self.delete.nodes),
            delete_relationships=tuple(
                EdgeKey(e.type, e.source, e.target) for e in self.delete.edges
            ),
            expected=self.expected,
            note=self.note,
        )


class EditResult(BaseModel):
    """What the edit wrote (with `dry_run`: would write)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 12,
                    "created": 3,
                    "updated": 0,
                    "deleted": 0,
                    "unchanged": 0,
                    "dry_run": False,
                }
            ]
        }
    )

    version: int = Field(description="The graph version after the edit (unchanged: no write).")
    created: int = Field(description="Nodes and relationships that were new.")
    updated: int = Field(description="Nodes and relationships that existed with other values.")
    deleted: int = Field(
        description="Nodes and relationships removed, those that went with a node included."
    )
    unchanged: int = Field(description="Records sent that were already exactly so.")
    dry_run: bool = Field(description="Nothing was written.")

    @classmethod
    def of(cls, result: BatchResult) -> EditResult:
        return cls(
            version=result.version,
            created=result.created,
            updated=result.updated,
            deleted=result.deleted,
            unchanged=result.unchanged,
            dry_run=result.dry_run,
        )


class UndoResult(EditResult):
    """What the undo wrote, and which change it undid."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 13,
                    "created": 0,
                    "updated": 0,
                    "deleted": 3,
                    "unchanged": 0,
                    "dry_run": False,
                    "undo_of": 12,
                }
            ]
        }
    )

    undo_of: int = Field(description="The version whose change was undone.")


_STALE = problem_example(
    412,
    "Voorwaarde niet vervuld",
    "'it-hub' is gewijzigd sinds het gelezen werd; current toont de huidige versie",
    "/api/v1/edits",
    current={
        "it-hub": {
            "id": "it-hub",
            "label": "Organisation",
            "name": "IT Hub Drenthe",
            "helix_role": "industry",
            "org_type": "company",
        }
    },
)
_ABSENT = problem_example(
    404, "Niet gevonden", "er is geen knoop met id 'zorgtech-emmen'", "/api/v1/edits"
)
_INVALID = problem_example(
    422,
    "Ongeldige graafgegevens",
    "1 probleem in de ingestuurde graafgegevens",
    "/api/v1/edits",
    errors=[
        {
            "where": "PARTNER_IN zorgtech-emmen -> action-onbekend",
            "message": "target 'action-onbekend' is geen bekend id",
        }
    ],
)


@router.post(
    "/edits",
    summary="One edit: create, change and delete nodes and links as one graph version",
    name="apply_edit",
    responses={
        404: problem_doc("A node or relationship to delete does not exist.", _ABSENT),
        412: problem_doc(
            "A node is no longer as `expected` says; `current` holds it as stored now "
            "(null: it does not exist).",
            _STALE,
        ),
        422: problem_doc("Every problem of the edit; nothing was written.", _INVALID),
    },
)
def apply_edit(
    store: StoreDep,
    who: WriteAccess,
    body: EditRequest,
    dry_run: Annotated[bool, Query(description="Check and count only; write nothing.")] = False,
) -> EditResult:
    """Write everything one person did in one action — e.g. an organisation with its
    links, or the removal of one (its links go with it) — all or nothing, as ONE new
    graph version with one entry in the change log and the audit log (each record before
    and after, and `note`). Node and edge documents are those of
    `GET /api/v1/export?format=json`. The whole edit is checked against the stored graph
    first: links to absent nodes or to nodes deleted in the same edit are problems, and
    a 422 lists them all. Needs the write scope."""
    return EditResult.of(apply_batch(store, body.batch(), actor=who.key_id, dry_run=dry_run))


@router.get(
    "/history/{node_id}",
    summary="Every change to a node and to its links, newest first",
    name="node_history",
    responses={
        404: problem_doc(
            "The node neither exists nor has any history.",
            problem_example(
                404, "Niet gevonden", "er is geen knoop met id 'kpm'", "/api/v1/history/kpm"
            ),
        )
    },
)
def node_history(
    store: StoreDep,
    _: WriteAccess,
    node_id: NodeIdPath,
    limit: Limit = 50,
    offset: Offset = 0,
) -> History:
    """For each change to the node or to one of its relationships: version, time, the key
    that wrote, the action, the record before and after, the provenance of the new
    state (`source`), and whether the change undid another (`undo_of`) or was undone
    (`undone_by`). Bulk imports keep the ids only: their entries have no documents. The
    history starts after the graph was last cleared. Needs the write scope."""
    return history(store, node_id, limit=limit, offset=offset)


@router.post(
    "/changes/{version}/undo",
    summary="Undo one change, as a new write",
    name="undo_change",
    responses={
        404: problem_doc(
            "No change made this version.",
            problem_example(
                404,
                "Niet gevonden",
                "er is geen wijziging met versie 99",
                "/api/v1/changes/99/undo",
            ),
        ),
        409: problem_doc(
            "A later change touched the same records; the detail names its versions.",
            problem_example(
                409,
                "Conflict",
                "wijziging 12 is daarna opnieuw gewijzigd door versie 14; maak die eerst ongedaan",
                "/api/v1/changes/12/undo",
            ),
        ),
        422: problem_doc(
            "The change kept no state before and after (a bulk import).",
            problem_example(
                422,
                "Ongeldig verzoek",
                "wijziging 1 bewaarde geen toestand van voor en na (een grote import of een "
                "vervanging van contactpersonen) en kan niet ongedaan gemaakt worden",
                "/api/v1/changes/1/undo",
            ),
        ),
    },
)
def undo_change(
    store: StoreDep,
    who: WriteAccess,
    version: Annotated[
        int, Path(ge=1, le=2**63 - 1, description="The graph version the change produced.")
    ],
) -> UndoResult:
    """Restore every record the change touched to its state before it: what it created
    is deleted, what it deleted comes back, what it changed gets its old values. This is
    a new write (a new version, in the history with `undo_of`); nothing is erased from
    the log. When a later change touched the same records, the answer is 409 naming
    those versions: undo them first. Needs the write scope."""
    result, undone = undo(store, version, actor=who.key_id)
    return UndoResult(**EditResult.of(result).model_dump(), undo_of=undone)


@router.get(
    "/edits/impact",
    summary="What deleting a node would take with it",
    name="edit_impact",
    responses={
        404: problem_doc(
            "No node has this id.",
            problem_example(
                404, "Niet gevonden", "er is geen knoop met id 'kpm'", "/api/v1/edits/impact"
            ),
        )
    },
)
def edit_impact(
    view: ViewDep,
    analytics: ServiceDep,
    _: ReadAccess,
    lang: LangDep,
    node: Annotated[
        str, Query(pattern=ID_PATTERN, max_length=120, description="The id of the node.")
    ],
) -> Impact:
    """Before a delete: the relationships that would go with the node, the actions,
    projects and networks it is linked to, and the organisations that would lose their
    only tie to the rest of the collaboration network (the network of
    `GET /api/v1/analytics/...`, placeholder groups left out) — with one sentence that
    says it all, in the answer's language."""
    network = analytics.collaboration(Options())[1]
    return impact(view, network, node, lang)
