"""Response models of the API that are not graph_schema models themselves."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

__all__ = [
    "AuditDetail",
    "AuditEntryOut",
    "AuditResponse",
    "ChangeOut",
    "ChangesResponse",
    "Health",
    "ImportSummary",
    "ListResponse",
    "Problem",
    "ProblemError",
    "Readiness",
]

T = TypeVar("T")


class ListResponse(BaseModel, Generic[T]):
    """One page of a list and the total number of matches."""

    data: list[T]
    count: int = Field(
        description="How many items match the filters, over all pages.", examples=[96]
    )
    limit: int = Field(description="Page size asked for.", examples=[50])
    offset: int = Field(description="Items skipped.", examples=[0])


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    store: str = Field(examples=["embedded"])
    version: int = Field(description="Graph version: changes on every write.", examples=[3])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"])
    store: str = Field(examples=["neo4j"])


class ImportSummary(BaseModel):
    created: int = Field(examples=[12])
    updated: int = Field(examples=[3])
    unchanged: int = Field(examples=[508])
    version: int = Field(description="Graph version after the import.", examples=[7])
    dry_run: bool = Field(default=False, description="Nothing was written.", examples=[False])


class ChangeOut(BaseModel):
    version: int = Field(examples=[7])
    at: str = Field(description="ISO 8601 time, UTC.", examples=["2026-11-28T14:15:38.120+00:00"])
    action: str = Field(examples=["upsert"])
    actor: str | None = Field(description="Id of the API key that wrote.", examples=["3f9a1c2e"])
    nodes: list[str] = Field(examples=[["it-hub"]])
    relationships: list[str] = Field(examples=[["PARTNER_IN it-hub action-dig-1"]])


class ChangesResponse(BaseModel):
    version: int = Field(description="The current graph version.", examples=[9])
    data: list[ChangeOut]


class AuditDetail(BaseModel):
    kind: str = Field(examples=["node"])
    key: str = Field(examples=["it-hub"])
    before: dict[str, Any] | None = Field(
        description="The stored document before the write (null: it was created).",
        examples=[{"id": "it-hub", "name": "IT Hub"}],
    )
    after: dict[str, Any] | None = Field(
        description="The document the write left (null: it was deleted).",
        examples=[{"id": "it-hub", "name": "IT Hub Drenthe"}],
    )


class AuditEntryOut(ChangeOut):
    details: list[AuditDetail] | None = Field(
        description="Before and after of every record; null for bulk writes.", examples=[None]
    )


class AuditResponse(BaseModel):
    version: int = Field(description="The current graph version.", examples=[9])
    data: list[AuditEntryOut]


class ProblemError(BaseModel):
    """One thing wrong with the request: the field (or record) and what is wrong."""

    field: str | None = Field(default=None, examples=["query.limit"])
    where: str | None = Field(default=None, examples=["edges[3] (kpn -PARTNER_IN-> action-x)"])
    message: str = Field(examples=["Input should be less than or equal to 500"])


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every error response."""

    type: str = Field(default="about:blank", examples=["about:blank"])
    title: str = Field(examples=["Invalid request"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["query.limit: Input should be less than or equal to 500"])
    instance: str = Field(examples=["/api/v1/organisations"])
    errors: list[ProblemError] | None = Field(
        default=None, description="Every problem found, for 422 answers."
    )
