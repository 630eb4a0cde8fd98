"""Contact persons: personal data only the contacts scope sees, and nowhere else."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.exchange import ExportFormat
from app.settings import Settings
from app.store import GraphStore
from tests.conftest import small_graph

READER = "contacts-reader-key-001"
WRITER = "contacts-writer-key-001"
ADMIN = "contacts-admin-key-0001"
BIZDEV = "contacts-bizdev-key-001"
EDITOR = "contacts-editor-key-001"
PERSON = {"name": "Anne de Vries", "role": "directeur", "email": "anne.devries@acme.example"}
SECRET_BITS = ("Anne de Vries", "anne.devries@acme.example")


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    store.upsert(small_graph())
    keys = f"{READER}:read,{WRITER}:write,{ADMIN}:admin,{BIZDEV}:contacts,{EDITOR}:write+contacts"
    with TestClient(create_app(Settings(api_keys=keys), store=store)) as c:
        response = c.put(
            "/api/v1/organisations/acme/contacts",
            json={"contacts": [PERSON]},
            headers={"X-API-Key": EDITOR},
        )
        assert response.status_code == 200, response.text
        yield c


def test_only_the_contacts_scope_reads_them(client: TestClient) -> None:
    path = "/api/v1/organisations/acme/contacts"
    assert client.get(path).status_code == 401  # open reads do not open personal data
    for key in (READER, WRITER, ADMIN):
        assert client.get(path, headers={"X-API-Key": key}).status_code == 403
    answer = client.get(path, headers={"X-API-Key": BIZDEV})
    assert answer.status_code == 200
    assert answer.json() == {"organisation": "acme", "contacts": [{**PERSON, "phone": None}]}


def test_writing_needs_write_and_contacts(client: TestClient) -> None:
    path = "/api/v1/organisations/acme/contacts"
    body: dict[str, list[object]] = {"contacts": []}
    for key in (WRITER, ADMIN, BIZDEV):
        assert client.put(path, json=body, headers={"X-API-Key": key}).status_code == 403
    bad = client.put(
        path, json={"contacts": [{"name": "X", "email": "nope"}]}, headers={"X-API-Key": EDITOR}
    )
    assert bad.status_code == 422
    missing = client.put(
        "/api/v1/organisations/ghost/contacts", json=body, headers={"X-API-Key": EDITOR}
    )
    assert missing.status_code == 404


def _unpacked(data: bytes) -> bytes:
    """A zip's entries (the CSV zips, a workbook) one after the other, else the bytes."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_contacts_never_leave_through_other_doors(client: TestClient) -> None:
    admin = {"X-API-Key": ADMIN}
    answers = [
        _unpacked(client.get("/api/v1/export", params={"format": fmt}, headers=admin).content)
        for fmt in ExportFormat
    ]
    for path in (
        "/api/v1/organisations/acme",
        "/api/v1/organisations/acme/links",
        "/api/v1/organisations/acme/neighbourhood?depth=3",
        "/api/v1/organisations?q=Anne",
        "/api/v1/subgraph",
        "/api/v1/network",
        "/api/v1/analytics/brokers",
        "/api/v1/analytics/gaps",
        "/api/v1/match/partners?org=uni",
        "/api/v1/changes",
        "/api/v1/audit",
    ):
        answer = client.get(path, headers=admin)
        assert answer.status_code == 200, (path, answer.text)
        answers.append(answer.content)
    for content in answers:
        for bit in SECRET_BITS:
            assert bit.encode() not in content
    since = client.get("/health").json()["version"] - 1  # the contacts written last
    audit = client.get("/api/v1/audit", params={"since": since}, headers=admin).json()["data"]
    assert audit[-1]["action"] == "contacts"
    assert audit[-1]["nodes"] == ["acme"]
    assert audit[-1]["details"] is None


def test_contacts_go_with_their_organisation(client: TestClient) -> None:
    editor = {"X-API-Key": EDITOR}
    assert client.delete("/api/v1/organisations/acme", headers=editor).status_code in {200, 204}
    doc = {"id": "acme", "label": "Organisation", "name": "ACME", "helix_role": "industry"}
    created = client.post(
        "/api/v1/organisations", json={**doc, "org_type": "company"}, headers=editor
    )
    assert created.status_code == 201
    again = client.get("/api/v1/organisations/acme/contacts", headers={"X-API-Key": BIZDEV})
    assert again.json()["contacts"] == []
