"""Store adapters behind the GraphStore protocol."""

from __future__ import annotations

from app.errors import StoreUnavailableError
from app.settings import Settings, StoreKind
from app.store.base import GraphStore, OrganisationQuery, OrganisationSort, Page, UpsertResult
from app.store.embedded import EmbeddedStore

__all__ = [
    "EmbeddedStore",
    "GraphStore",
    "OrganisationQuery",
    "OrganisationSort",
    "Page",
    "UpsertResult",
    "open_store",
]


def open_store(settings: Settings) -> GraphStore:
    """The store the settings select, opened and ready."""
    if settings.store is StoreKind.EMBEDDED:
        return EmbeddedStore(settings.embedded_path)
    raise StoreUnavailableError(f"the {settings.store} store is not available in this version")
