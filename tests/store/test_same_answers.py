"""Both stores hold the Drenthe seed identically: same export, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.exchange import ExportFormat, export_graph
from app.services.seeding import seed_store
from app.store import EmbeddedStore, GraphStore, OrganisationQuery
from tests.conftest import STORE_KINDS


@pytest.mark.skipif("neo4j" not in STORE_KINDS, reason="HELIX_TEST_STORES leaves Neo4j out")
def test_seeding_neo4j_exports_the_same_json_as_embedded(store: GraphStore, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "reference.sqlite3") as reference:
        seed_store(reference)
        expected = export_graph(reference.snapshot(), ExportFormat.JSON)
        first_page = reference.list_organisations(OrganisationQuery(limit=500)).items
    seed_store(store)
    assert export_graph(store.snapshot(), ExportFormat.JSON) == expected
    assert store.list_organisations(OrganisationQuery(limit=500)).items == first_page
    again = seed_store(store)
    assert (again.created, again.updated) == (0, 0)
