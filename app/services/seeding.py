"""Loading the Drenthe agenda into a store, and opening the configured store."""

from __future__ import annotations

import logging

from app.settings import Settings
from app.store import GraphStore, UpsertResult, open_store
from seed import load_seed

__all__ = ["open_seeded_store", "seed_if_new", "seed_store"]

log = logging.getLogger(__name__)


def seed_store(store: GraphStore) -> UpsertResult:
    """Upsert the whole seed; running it again changes nothing (same ids, same values)."""
    return store.upsert(load_seed())


def seed_if_new(store: GraphStore) -> UpsertResult | None:
    """Seed a store that has never been written (version 0); leave any other alone."""
    if store.version() != 0:
        return None
    result = seed_store(store)
    log.info("first start: loaded the Drenthe agenda (%d records)", result.created)
    return result


def open_seeded_store(settings: Settings, *, wait_for_server: bool = False) -> GraphStore:
    """The configured store; on its first start it is loaded with the Drenthe agenda.

    With ``wait_for_server`` (the service), a Neo4j server that is not up yet is waited
    for: the store answers 503 meanwhile, and seeds once the server answers.
    """
    seed = seed_if_new if settings.seed_on_first_start else None
    return open_store(settings, wait_for_server=wait_for_server, on_ready=seed)
