"""Store adapters behind the GraphStore protocol."""

from __future__ import annotations

from collections.abc import Callable

from app.errors import StoreUnavailableError
from app.settings import Settings, StoreKind
from app.store.base import GraphStore, NodeQuery, NodeSort, Page, UpsertResult
from app.store.embedded import EmbeddedStore
from app.store.neo4j import Neo4jStore

__all__ = [
    "EmbeddedStore",
    "GraphStore",
    "Neo4jStore",
    "NodeQuery",
    "NodeSort",
    "Page",
    "UpsertResult",
    "open_store",
]


def open_store(
    settings: Settings,
    *,
    wait_for_server: bool = False,
    on_ready: Callable[[GraphStore], object] | None = None,
) -> GraphStore:
    """The store the settings select, opened, its schema in place.

    With ``wait_for_server``, a Neo4j server that does not answer yet is no error: the
    store answers 503 until it does, then creates its schema and calls ``on_ready``.
    Without it, ``on_ready`` runs once the store is open.

    Raises StoreUnavailableError with a one-line reason (unreachable server, wrong
    credentials, damaged file).
    """
    if settings.store_kind is StoreKind.EMBEDDED:
        store = EmbeddedStore(settings.embedded_path)
        if on_ready is not None:
            try:
                on_ready(store)
            except BaseException:
                store.close()
                raise
        return store
    if not settings.neo4j_uri:
        raise StoreUnavailableError("HELIX_STORE=neo4j needs NEO4J_URI")
    return Neo4jStore(
        settings.neo4j_uri,
        settings.neo4j_user,
        settings.neo4j_password.get_secret_value(),
        database=settings.neo4j_database,
        timeout=settings.neo4j_timeout,
        wait_for_server=wait_for_server,
        on_ready=on_ready,
    )
