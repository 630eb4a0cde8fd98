"""Response models of the API that are not graph_schema models themselves."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from graph_schema.interchange import InterchangeDocument
from graph_schema.models import Node, Relationship

__all__ = [
    "PROBLEM_EXAMPLES",
    "AuditDetail",
    "AuditEntryOut",
    "AuditResponse",
    "ChangeOut",
    "ChangesResponse",
    "CytoscapeDocument",
    "GraphExportJson",
    "Health",
    "ImportSummary",
    "ListResponse",
    "Problem",
    "ProblemError",
    "Readiness",
    "problem_doc",
    "problem_example",
]

T = TypeVar("T")


class ListResponse(BaseModel, Generic[T]):
    """One page of a list and the total number of matches."""

    data: list[T] = Field(description="The items of this page, in the order asked for.")
    count: int = Field(
        description="How many items match the filters, over all pages.", examples=[96]
    )
    limit: int = Field(description="Page size asked for.", examples=[50])
    offset: int = Field(description="Items skipped.", examples=[0])


_THEME_NODE: JsonDict = {
    "id": "theme-digitalisering",
    "label": "Theme",
    "name": "Digitalisering",
    "kind": "priority",
}


class CytoscapeNode(BaseModel):
    """A node as Cytoscape reads it: the interchange node as its `data`."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"data": _THEME_NODE}]})

    data: Node = Field(description="The node, as in the interchange document.")


class CytoscapeEdgeData(Relationship):
    """A relationship as in the interchange document, with the id Cytoscape requires."""

    id: str = Field(
        description="`<type>:<source>:<target>`.",
        examples=["PARTICIPATES_IN:pureims:project-twincer"],
    )


class CytoscapeEdge(BaseModel):
    """A relationship as Cytoscape reads it."""

    data: CytoscapeEdgeData = Field(description="The relationship and its id.")


class CytoscapeElements(BaseModel):
    """Cytoscape's elements: every node and every relationship."""

    nodes: list[CytoscapeNode] = Field(description="Every node, by id.")
    edges: list[CytoscapeEdge] = Field(description="Every relationship, by type and ends.")


class CytoscapeDocument(BaseModel):
    """The graph as Cytoscape.js and Cytoscape desktop load it."""

    elements: CytoscapeElements = Field(description="The nodes and the relationships.")


GraphExportJson = InterchangeDocument | CytoscapeDocument
"""The two JSON exports: the interchange document (`json`) and Cytoscape's (`cytoscape`)."""


class Health(BaseModel):
    """The service answers, and the graph version it holds."""

    status: str = Field(description="Always `ok` in a 200 answer.", examples=["ok"])
    store: str = Field(
        description="Which store holds the graph: `embedded` or `neo4j`.", examples=["embedded"]
    )
    version: int = Field(description="Graph version: changes on every write.", examples=[3])


class Readiness(BaseModel):
    """The service can answer requests now."""

    status: str = Field(description="Always `ready` in a 200 answer.", examples=["ready"])
    store: str = Field(
        description="Which store holds the graph: `embedded` or `neo4j`.", examples=["neo4j"]
    )


class ImportSummary(BaseModel):
    """What an import wrote (or, with `dry_run`, would write)."""

    created: int = Field(description="Nodes and relationships that were new.", examples=[12])
    updated: int = Field(
        description="Nodes and relationships that existed with other values.", examples=[3]
    )
    unchanged: int = Field(
        description="Nodes and relationships that were already exactly so.", examples=[508]
    )
    version: int = Field(description="Graph version after the import.", examples=[7])
    dry_run: bool = Field(default=False, description="Nothing was written.", examples=[False])


class ChangeOut(BaseModel):
    """One write: the graph version it produced and what it touched."""

    version: int = Field(
        description="The graph version this write produced; one change per version, no gaps.",
        examples=[7],
    )
    at: str = Field(description="ISO 8601 time, UTC.", examples=["2026-11-28T14:15:38.120+00:00"])
    action: str = Field(
        description="`upsert` (created or updated), `delete`, `edit` (both in one write), "
        "`undo` (a change undone), `clear` (everything removed) or `contacts` (an "
        "organisation's contact persons replaced).",
        examples=["upsert"],
    )
    actor: str | None = Field(
        description="Id of the API key that wrote (never the key); null from the command line.",
        examples=["3f9a1c2e"],
    )
    nodes: list[str] = Field(
        description="Ids of the nodes written or deleted.", examples=[["it-hub"]]
    )
    relationships: list[str] = Field(
        description="Relationships written or deleted, each as `TYPE source target`.",
        examples=[["PARTNER_IN it-hub action-dig-1"]],
    )


class ChangesResponse(BaseModel):
    """One page of the change log and where the next page starts."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {
                            "version": 7,
                            "at": "2026-11-28T14:15:38.120+00:00",
                            "action": "upsert",
                            "actor": "3f9a1c2e",
                            "nodes": ["it-hub"],
                            "relationships": ["PARTNER_IN it-hub action-dig-1"],
                        }
                    ],
                    "has_more": True,
                    "next_since": 7,
                    "current_version": 9,
                }
            ]
        }
    )

    data: list[ChangeOut] = Field(description="The changes of this page, oldest first.")
    has_more: bool = Field(
        description="More changes follow this page: ask again at once with `since` = `next_since`.",
        examples=[True],
    )
    next_since: int = Field(
        description="The `since` of the next request: the version of the last change in this "
        "page, or the `since` asked for when the page is empty. Following it never skips a "
        "change.",
        examples=[7],
    )
    current_version: int = Field(
        description="The graph's version when this page was read; not the end of this page "
        "(that is `next_since`).",
        examples=[9],
    )


class AuditDetail(BaseModel):
    """One record a write touched, before and after."""

    kind: str = Field(description="`node` or `relationship`.", examples=["node"])
    key: str = Field(
        description="The node id, or the relationship as `TYPE source target`.",
        examples=["it-hub"],
    )
    before: dict[str, Any] | None = Field(
        description="The stored document before the write (null: it was created).",
        examples=[{"id": "it-hub", "name": "IT Hub"}],
    )
    after: dict[str, Any] | None = Field(
        description="The document the write left (null: it was deleted).",
        examples=[{"id": "it-hub", "name": "IT Hub Drenthe"}],
    )


class AuditEntryOut(ChangeOut):
    """One write with the documents it changed."""

    details: list[AuditDetail] | None = Field(
        description="Before and after of every record; null for bulk writes.", examples=[None]
    )
    note: str | None = Field(
        default=None,
        description="What the writer said of the write, e.g. the file it came from.",
        examples=["organisaties-december.xlsx"],
    )
    undo_of: int | None = Field(
        default=None, description="The version whose change this write undid.", examples=[None]
    )


class AuditResponse(BaseModel):
    """One page of the audit log and where the next page starts."""

    data: list[AuditEntryOut] = Field(description="The entries of this page, oldest first.")
    has_more: bool = Field(
        description="The log goes on beyond this page: ask again with `since` = `next_since`.",
        examples=[False],
    )
    next_since: int = Field(
        description="The `since` of the next request: the last version looked at.",
        examples=[9],
    )
    current_version: int = Field(
        description="The graph's version when this page was read.", examples=[9]
    )


class ProblemError(BaseModel):
    """One thing wrong with the request: the field (or record) and what is wrong."""

    field: str | None = Field(
        default=None,
        description="Where in the request: `query.limit`, `body.helix_role`, `header.If-Match`.",
        examples=["query.limit"],
    )
    where: str | None = Field(
        default=None,
        description="Which record of an imported document.",
        examples=["edges[3] (kpn -PARTNER_IN-> action-x)"],
    )
    message: str = Field(
        description="What is wrong, in the language of the answer.",
        examples=["mag hoogstens 500 zijn"],
    )


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every error response."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Ongeldig verzoek",
                    "status": 422,
                    "detail": "query.limit: mag hoogstens 500 zijn",
                    "instance": "/api/v1/organisations",
                    "errors": [{"field": "query.limit", "message": "mag hoogstens 500 zijn"}],
                }
            ]
        }
    )

    type: str = Field(
        default="about:blank",
        description="A URI naming the kind of problem; `about:blank`: the status says it.",
        examples=["about:blank"],
    )
    title: str = Field(
        description="The kind of problem, in the language of the answer.",
        examples=["Ongeldig verzoek"],
    )
    status: int = Field(description="The HTTP status code.", examples=[422])
    detail: str = Field(
        description="What is wrong and what to do about it, in the language of the answer.",
        examples=["query.limit: mag hoogstens 500 zijn"],
    )
    instance: str = Field(
        description="The path of the request.", examples=["/api/v1/organisations"]
    )
    suggestions: list[str] | None = Field(
        default=None,
        description="For an organisation name that matched nothing: the similar names, "
        "best first, when there are any (close in spelling, or a few letters apart).",
        examples=[["KPN (kpn)"]],
    )
    errors: list[ProblemError] | None = Field(
        default=None, description="Every problem found, for 422 answers."
    )
    current: dict[str, dict[str, Any] | None] | None = Field(
        default=None,
        description="For a 412 of `POST /api/v1/edits`: each node that is no longer as "
        "expected, as stored now (null: it does not exist), so both versions can be shown.",
    )


def problem_example(
    status: int, title: str, detail: str, instance: str, **extra: Any
) -> dict[str, Any]:
    """A problem body as the service sends it for ``status`` (Dutch, the default)."""
    return {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **extra,
    }


# One true answer per status, as the seeded service words it (tests keep them so).
PROBLEM_EXAMPLES: dict[int, dict[str, Any]] = {
    401: problem_example(
        401,
        "Niet aangemeld",
        "dit verzoek vraagt een API-sleutel met het recht 'read'",
        "/api/v1/organisations",
    ),
    403: problem_example(
        403,
        "Geen toestemming",
        "API-sleutel '3f9a1c2e' heeft het recht 'write' niet",
        "/api/v1/organisations",
    ),
    404: problem_example(
        404, "Niet gevonden", "er is geen organisatie met id 'kpm'", "/api/v1/organisations/kpm"
    ),
    409: problem_example(409, "Conflict", "Organisatie 'kpn' bestaat al", "/api/v1/organisations"),
    412: problem_example(
        412,
        "Voorwaarde niet vervuld",
        "deze gegevens zijn gewijzigd sinds ze gelezen werden; haal ze opnieuw op voor de "
        "actuele ETag",
        "/api/v1/organisations/kpn",
    ),
    413: problem_example(
        413,
        "Verzoek te groot",
        "de body van het verzoek is groter dan 10485760 bytes",
        "/api/v1/organisations",
    ),
    422: problem_example(
        422,
        "Ongeldig verzoek",
        "query.limit: mag hoogstens 500 zijn",
        "/api/v1/organisations",
        errors=[{"field": "query.limit", "message": "mag hoogstens 500 zijn"}],
    ),
    429: problem_example(
        429,
        "Te veel verzoeken",
        "meer dan 1200 verzoeken in 60 s van deze client; probeer het over 3 s opnieuw",
        "/api/v1/organisations",
    ),
    503: problem_example(
        503, "Opslag niet beschikbaar", "de graafdatabase is niet bereikbaar", "/ready"
    ),
}

_PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}


def problem_doc(description: str, *examples: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI response of problem details with ``examples`` (named by status), so a
    generated client gets a body and a reader sees a true one."""
    named: dict[str, Any] = {}
    for example in examples:
        name = str(example["status"])
        while name in named:
            name += "+"
        named[name] = {"summary": f"{example['status']} {example['title']}", "value": example}
    return {
        "model": Problem,
        "description": description,
        "content": {"application/problem+json": {"schema": _PROBLEM_SCHEMA, "examples": named}},
    }
