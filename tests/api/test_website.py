"""An organisation's website: kept by both stores, carried by every export, the
interchange document and the spreadsheet round trip, and refused when it is no web address."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.main import create_app
from app.services.export_neo4j import admin_import_zip, cypher_script
from app.services.export_sheets import excel_tables, gephi_tables, kumu_workbook
from app.services.export_xml import gexf_bytes, graphml_bytes
from app.settings import Settings
from app.store import GraphStore
from graph_schema import GraphData, NodeLabel, Organisation
from graph_schema.interchange import document_to_graph, graph_to_document
from tests.conftest import org, small_graph
from tests.sheets import Book

WRITER = "website-writer-key-0001"
SITE = "https://www.acme-roden.nl/over-ons?taal=nl"
ORGS = "Organisaties"


def with_site() -> GraphData:
    graph = small_graph()
    nodes = tuple(
        org("acme", place="Roden", website=SITE) if node.id == "acme" else node
        for node in graph.nodes
    )
    return GraphData(nodes=nodes, relationships=graph.relationships)


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    store.upsert(small_graph())
    settings = Settings(api_keys=f"{WRITER}:write", open_reads=True)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "bad",
    ["www.acme.nl", "ftp://acme.nl", "javascript:alert(1)", "https://acme", "https://a b.nl"],
)
def test_a_website_must_be_an_http_address_with_a_host(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        org("acme", website=bad)
    assert caught.value.errors()[0]["loc"] == ("website",)


def test_a_website_has_at_most_300_characters() -> None:
    long = "https://acme.nl/" + "a" * 284
    assert org("acme", website=long).website == long
    with pytest.raises(ValidationError):
        org("acme", website=long + "a")


def test_both_stores_keep_the_website(store: GraphStore) -> None:
    store.upsert(with_site())
    node = store.get_node(NodeLabel.ORGANISATION, "acme")
    assert isinstance(node, Organisation)
    assert node.website == SITE
    assert graph_to_document(store.snapshot()) == graph_to_document(with_site())
    other = store.get_node(NodeLabel.ORGANISATION, "uni")
    assert isinstance(other, Organisation)
    assert other.website is None


def test_the_interchange_document_carries_the_website_there_and_back(client: TestClient) -> None:
    imported = client.post(
        "/api/v1/import", json=graph_to_document(with_site()), headers={"X-API-Key": WRITER}
    )
    assert imported.status_code == 200, imported.text
    exported = client.get("/api/v1/export", params={"format": "json"}).json()
    (acme,) = [n for n in exported["nodes"] if n["id"] == "acme"]
    assert acme["website"] == SITE
    parsed = document_to_graph(exported)
    assert parsed.problems == []
    assert graph_to_document(parsed.graph) == graph_to_document(with_site())


def _texts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )


def test_every_export_carries_the_website() -> None:
    graph = with_site()
    assert SITE.replace("&", "&amp;") in graphml_bytes(graph).decode()
    assert SITE.replace("&", "&amp;") in gexf_bytes(graph).decode()
    assert SITE in cypher_script(graph)
    assert SITE in _texts(admin_import_zip(graph))
    assert SITE in _texts(gephi_tables(graph))
    assert SITE in _texts(excel_tables(graph))
    kumu = Book.of(kumu_workbook(graph)).book
    cells = [
        c for sheet in kumu.worksheets for row in sheet.iter_rows(values_only=True) for c in row
    ]
    assert SITE in cells


def _upload(client: TestClient, data: bytes, *, dry_run: bool) -> tuple[int, dict[str, Any]]:
    response = client.post(
        "/api/v1/sync",
        params={"dry_run": str(dry_run).lower(), "lang": "nl"},
        content=data,
        headers={"X-API-Key": WRITER, "X-Filename": "websites.xlsx"},
    )
    body: dict[str, Any] = response.json()
    return response.status_code, body


def test_a_website_typed_in_the_workbook_is_read_back_or_refused(
    client: TestClient, store: GraphStore
) -> None:
    download = client.get("/api/v1/sync/workbook", params={"format": "xlsx", "lang": "nl"})
    book = Book.of(download.content)
    row = book.row_of(ORGS, "acme")
    assert book.get(ORGS, row, "Website") is None
    book.set(ORGS, row, "Website", "www.acme-roden.nl")
    status, body = _upload(client, book.bytes(), dry_run=True)
    assert status == 200, body
    ((invalid),) = body["invalid"]
    assert (invalid["column"], invalid["value"]) == ("Website", "www.acme-roden.nl")
    book.set(ORGS, row, "Website", SITE)
    status, body = _upload(client, book.bytes(), dry_run=False)
    assert status == 200, body
    ((changed),) = body["changed"]
    assert changed["id"] == "acme"
    assert changed["fields"]["website"] == [None, SITE]
    node = store.get_node(NodeLabel.ORGANISATION, "acme")
    assert isinstance(node, Organisation)
    assert node.website == SITE
    again = Book.of(client.get("/api/v1/sync/workbook", params={"format": "xlsx"}).content)
    assert again.get(ORGS, again.row_of(ORGS, "acme"), "Website") == SITE
