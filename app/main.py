"""The FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api import health, organisations
from app.api.problems import install_problem_handlers
from app.services.seeding import open_seeded_store
from app.settings import Settings
from app.store import GraphStore

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; the store is opened in the lifespan unless one is given."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        active = open_seeded_store(settings) if store is None else store
        app.state.store = active
        try:
            yield
        finally:
            if owned:
                active.close()

    app = FastAPI(
        title="helixgraph",
        summary="The quadruple-helix network of the Agenda Gezondheidseconomie Drenthe",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(organisations.router)
    return app
