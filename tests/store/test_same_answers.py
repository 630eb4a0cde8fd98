"""Both stores hold the Drenthe seed identically: same export, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.services.exchange import ExportFormat, export_graph
from app.services.seeding import seed_store
from app.store import EmbeddedStore, GraphStore, NodeQuery
from tests.conftest import STORE_KINDS


@pytest.mark.skipif("neo4j" not in STORE_KINDS, reason="HELIX_TEST_STORES leaves Neo4j out")
def test_seeding_neo4j_exports_the_same_json_as_embedded(store: GraphStore, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "reference.sqlite3") as reference:
        seed_store(reference)
        expected = export_graph(reference.snapshot(), ExportFormat.JSON)
        first_page = reference.list_nodes(NodeQuery(limit=500)).items
    seed_store(store)
    assert export_graph(store.snapshot(), ExportFormat.JSON) == expected
    assert store.list_nodes(NodeQuery(limit=500)).items == first_page
    again = seed_store(store)
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.skipif("neo4j" not in STORE_KINDS, reason="HELIX_TEST_STORES leaves Neo4j out")
def test_cli_seed_export_import_work_identically_on_neo4j(
    neo4j_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.stderr
        return result.stdout

    monkeypatch.setenv("HELIX_SEED_ON_FIRST_START", "false")
    monkeypatch.setenv("HELIX_STORE", "embedded")
    monkeypatch.setenv("HELIX_DATA_DIR", str(tmp_path / "embedded"))
    run("seed")
    embedded_export = run("export", "--format", "json")

    neo4j_store.clear()
    monkeypatch.setenv("HELIX_STORE", "neo4j")
    assert "0 updated" in run("seed")
    assert run("export", "--format", "json") == embedded_export
    neo4j_store.clear()
    dump = tmp_path / "dump.json"
    dump.write_text(embedded_export, encoding="utf-8")
    assert "0 updated" in run("import", str(dump))
    assert run("export", "--format", "json") == embedded_export
