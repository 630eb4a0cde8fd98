"""The Neo4j store asks the server for the graph version at most every ``version_ttl``
seconds, and at once after a write of its own: a request reads its own writes, and a
write through another process shows within that time."""

from __future__ import annotations

import os
import time

import pytest

from app.store import Neo4jStore
from graph_schema import GraphData
from tests.conftest import STORE_KINDS, org

pytestmark = pytest.mark.skipif(
    "neo4j" not in STORE_KINDS, reason="HELIX_TEST_STORES leaves Neo4j out"
)


def _another(neo4j_store: Neo4jStore, ttl: float) -> Neo4jStore:
    """A second store on the same server, as another service process would have."""
    return Neo4jStore(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        version_ttl=ttl,
    )


def _write(store: Neo4jStore, name: str) -> int:
    return store.upsert(GraphData(nodes=(org("nom", name=name),))).version


def test_own_writes_are_read_at_once_and_others_within_the_ttl(neo4j_store: Neo4jStore) -> None:
    neo4j_store.clear()
    with _another(neo4j_store, ttl=3600) as slow, _another(neo4j_store, ttl=0.2) as quick:
        before = slow.version()
        assert quick.version() == before
        written = _write(neo4j_store, "NOM")
        assert neo4j_store.version() == written > before  # its own write: at once
        assert slow.version() == before  # another's write: not asked again within the ttl
        time.sleep(0.25)
        assert quick.version() == written  # ... and asked again after it
        assert _write(slow, "NOM Noord") == written + 1
        assert slow.version() == written + 1  # its own write ends what it knew
