"""The audit log: every write with who, when, and each record before and after."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.security import key_id_of
from app.main import create_app
from app.settings import Settings
from app.store import GraphStore
from tests.conftest import small_graph

READER = "audit-reader-key-00001"
WRITER = "audit-writer-key-00001"
ADMIN = "audit-admin-key-000001"
PROV = {"source": "test", "section": "s", "quote": "q"}


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    store.upsert(small_graph())
    keys = f"{READER}:read,{WRITER}:write,{ADMIN}:admin"
    with TestClient(create_app(Settings(api_keys=keys, open_reads=False), store=store)) as c:
        yield c


def audit(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/audit", params=params, headers={"X-API-Key": ADMIN})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def test_only_admins_read_the_audit_log(client: TestClient) -> None:
    assert client.get("/api/v1/audit").status_code == 401
    assert client.get("/api/v1/audit", headers={"X-API-Key": READER}).status_code == 403
    assert client.get("/api/v1/audit", headers={"X-API-Key": WRITER}).status_code == 403
    assert client.get("/api/v1/audit", headers={"X-API-Key": ADMIN}).status_code == 200


def test_every_write_is_logged_with_who_and_before_and_after(client: TestClient) -> None:
    w = {"X-API-Key": WRITER}
    since = client.get("/health").json()["version"]
    doc = {
        "id": "newco",
        "label": "Organisation",
        "name": "NewCo",
        "helix_role": "industry",
        "org_type": "company",
    }
    assert client.post("/api/v1/organisations", json=doc, headers=w).status_code == 201
    renamed = {**doc, "name": "NewCo Drenthe"}
    assert client.put("/api/v1/organisations/newco", json=renamed, headers=w).status_code == 200
    link = {"type": "PARTNER_IN", "source": "newco", "target": "action-x-1", "provenance": PROV}
    assert client.post("/api/v1/relationships", json=link, headers=w).status_code in {200, 201}
    gone = client.delete("/api/v1/relationships/PARTNER_IN/newco/action-x-1", headers=w)
    assert gone.status_code in {200, 204}
    assert client.delete("/api/v1/organisations/newco", headers=w).status_code in {200, 204}

    entries = audit(client, since=since)
    assert len(entries) == 5
    assert {e["actor"] for e in entries} == {key_id_of(WRITER)}
    assert WRITER not in str(entries)  # the key itself is never stored
    created, updated, linked, unlinked, deleted = (e["details"] for e in entries)
    assert created == [
        {"kind": "node", "key": "newco", "before": None, "after": created[0]["after"]}
    ]
    assert created[0]["after"]["name"] == "NewCo"
    assert updated[0]["before"]["name"] == "NewCo"
    assert updated[0]["after"]["name"] == "NewCo Drenthe"
    assert linked[0]["key"] == "PARTNER_IN newco action-x-1"
    assert linked[0]["before"] is None
    assert linked[0]["after"]["provenance"] == PROV
    assert unlinked[0]["before"]["provenance"] == PROV
    assert unlinked[0]["after"] is None
    assert deleted[0]["before"]["name"] == "NewCo Drenthe"
    assert deleted[0]["after"] is None
    assert [e["action"] for e in entries] == ["upsert", "upsert", "upsert", "delete", "delete"]


def test_the_audit_log_filters_by_node_and_key(client: TestClient) -> None:
    w = {"X-API-Key": WRITER}
    since = client.get("/health").json()["version"]
    doc = {"id": "solo", "label": "Organisation", "name": "Solo", "helix_role": "industry"}
    client.post("/api/v1/organisations", json={**doc, "org_type": "company"}, headers=w)
    assert [e["nodes"] for e in audit(client, node="solo", since=since)] == [["solo"]]
    assert audit(client, actor="nobody", since=since) == []
    assert len(audit(client, actor=key_id_of(WRITER), since=since)) == 1


def test_the_public_change_log_has_no_documents(client: TestClient) -> None:
    w = {"X-API-Key": WRITER}
    doc = {"id": "pub", "label": "Organisation", "name": "Pub", "helix_role": "industry"}
    client.post("/api/v1/organisations", json={**doc, "org_type": "company"}, headers=w)
    changes = client.get("/api/v1/changes", headers={"X-API-Key": READER}).json()["data"]
    assert changes
    assert all("details" not in c for c in changes)
