"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import StoreDep
from app.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service health and the current graph version")
def health(store: StoreDep) -> Health:
    """Reports ok when the store answers, with the graph version."""
    return Health(status="ok", store=store.name, version=store.version())
