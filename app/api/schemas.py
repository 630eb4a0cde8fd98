"""Response models of the API that are not graph_schema models themselves."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

__all__ = ["ChangeOut", "ChangesResponse", "Health", "ImportSummary", "ListResponse", "Readiness"]

T = TypeVar("T")


class ListResponse(BaseModel, Generic[T]):
    """One page of a list and the total number of matches."""

    data: list[T]
    count: int = Field(description="How many items match the filters, over all pages.")
    limit: int
    offset: int


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
    dry_run: bool = False


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
