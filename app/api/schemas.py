"""Response models of the API that are not graph_schema models themselves."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

__all__ = ["Health", "ListResponse", "Readiness"]

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
