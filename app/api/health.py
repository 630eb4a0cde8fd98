"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import StoreDep
from app.api.schemas import PROBLEM_EXAMPLES, Health, Readiness, problem_doc

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service health and the current graph version")
def get_health(store: StoreDep) -> Health:
    """Reports ok with the graph version; 503 problem when the store does not answer."""
    return Health(status="ok", store=store.name, version=store.version())


@router.get(
    "/ready",
    summary="Whether the service can answer requests now",
    responses={
        503: problem_doc("The store does not answer (problem details).", PROBLEM_EXAMPLES[503])
    },
)
def get_readiness(store: StoreDep) -> Readiness:
    """Ready when the store answers a trivial query; 503 while it does not."""
    store.ping()
    return Readiness(status="ready", store=store.name)
