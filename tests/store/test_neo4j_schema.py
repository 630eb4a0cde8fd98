"""The Neo4j schema the application creates at start-up."""

from __future__ import annotations

import pytest

from app.store import Neo4jStore
from graph_schema import NodeLabel
from tests.conftest import STORE_KINDS

pytestmark = pytest.mark.skipif(
    "neo4j" not in STORE_KINDS, reason="HELIX_TEST_STORES leaves Neo4j out"
)


def test_constraints_and_indexes_exist_and_reapplying_is_harmless(
    neo4j_store: Neo4jStore,
) -> None:
    neo4j_store.ensure_schema()  # a second time: IF NOT EXISTS
    with neo4j_store._driver.session() as session:
        constraints = {
            (r["labelsOrTypes"][0], r["type"])
            for r in session.run("SHOW CONSTRAINTS YIELD labelsOrTypes, type")
        }
        indexes = {
            r["name"]: (r["type"], r["properties"])
            for r in session.run("SHOW INDEXES YIELD name, type, properties")
        }
    for label in (*NodeLabel, "Entity"):
        assert (str(label), "UNIQUENESS") in constraints or (
            str(label),
            "NODE_PROPERTY_UNIQUENESS",
        ) in constraints, label
    assert "entity_names" not in indexes  # the retired full-text index is dropped
    assert indexes["organisation_name"][1] == ["name"]
