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


def open_seeded_store(settings: Settings) -> GraphStore:
    """The configured store; on its first start it is loaded with the Drenthe agenda."""
    store = open_store(settings)
    if settings.seed_on_first_start:
        try:
            seed_if_new(store)
        except BaseException:
            store.close()
            raise
    return store
