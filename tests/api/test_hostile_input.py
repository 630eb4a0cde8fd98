"""Hostile and malformed input: a clear 4xx (or a harmless answer), never a changed graph.

Every query parameter of every GET operation (read from the app's own OpenAPI schema)
gets each injection attempt; every string field of an organisation gets them in a write,
where they must be stored as the literal text they are. Deeply nested JSON, invalid
UTF-8 and huge limits and depths are refused with 4xx. After each attack the exported
graph is compared with the one before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.exchange import ExportFormat, export_graph
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore

WRITER = "hostile-writer-key-0001"
W = {"X-API-Key": WRITER}

INJECTIONS = [
    "x' }) MATCH (n) DETACH DELETE n //",
    '" OR 1=1 --',
    "'; DROP TABLE nodes; --",
    'umcg"}) RETURN n UNION MATCH (m) RETURN m //',
    "$ids",
    "{id: 'x'}",
    "` MATCH (n) DELETE n `",
    "\\u0000 and \\x00",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "%27%20OR%201%3D1",
    "CALL dbms.components()",
]


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    seed_store(store)
    with TestClient(create_app(Settings(api_keys=f"{WRITER}:write+admin"), store=store)) as c:
        yield c


def graph_export(store: GraphStore) -> bytes:
    return export_graph(store.snapshot(), ExportFormat.JSON)


def _get_operations(client: TestClient) -> list[tuple[str, list[str]]]:
    schema: dict[str, Any] = client.app.openapi()  # type: ignore[attr-defined]
    found = []
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None or not path.startswith("/api/"):
            continue
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        found.append((path, names))
    return found


def _fill(path: str) -> str:
    """Path parameters filled with a real id, so the query parameters are reached."""
    return (
        path.replace("{node_id}", "umcg")
        .replace("{rel_type}", "PARTNER_IN")
        .replace("{source}", "umcg")
        .replace("{target}", "x")
    )


def test_injection_in_every_query_parameter(client: TestClient, store: GraphStore) -> None:
    before = graph_export(store)
    tried = 0
    for path, names in _get_operations(client):
        for name in names:
            for attack in INJECTIONS:
                params: dict[str, str] = {name: attack}
                if "{" not in path and path.endswith("/paths"):
                    params = {"from": "umcg", "to": "kpn", name: attack}
                if path.endswith("/partners") and name != "org":
                    params = {"org": "umcg", name: attack}
                response = client.get(_fill(path), params=params)
                tried += 1
                assert response.status_code < 500, (path, name, attack, response.text)
                if response.status_code >= 400:
                    assert response.headers["content-type"] == "application/problem+json"
    assert tried > 500
    assert graph_export(store) == before


def test_injection_in_every_string_field_is_stored_literally(
    client: TestClient, store: GraphStore
) -> None:
    before = json.loads(graph_export(store))
    for k, attack in enumerate(INJECTIONS):
        document = {
            "id": f"hostile-{k}",
            "label": "Organisation",
            "name": attack,
            "aliases": [attack],
            "helix_role": "industry",
            "org_type": "company",
            "place": attack[:100],
            "description": attack,
        }
        response = client.post("/api/v1/organisations", json=document, headers=W)
        assert response.status_code == 201, response.text
        stored = client.get(f"/api/v1/organisations/hostile-{k}").json()
        assert stored["name"] == attack
        assert stored["description"] == attack
        assert client.get("/api/v1/organisations", params={"q": attack}).status_code == 200
        assert client.delete(f"/api/v1/organisations/hostile-{k}", headers=W).status_code in {
            200,
            204,
        }
    after = json.loads(graph_export(store))
    assert after["nodes"] == before["nodes"]
    assert after["edges"] == before["edges"]


def test_injection_as_an_id_is_refused(client: TestClient, store: GraphStore) -> None:
    before = graph_export(store)
    for attack in INJECTIONS:
        document = {
            "id": attack,
            "label": "Organisation",
            "name": "x",
            "helix_role": "industry",
            "org_type": "company",
        }
        response = client.post("/api/v1/organisations", json=document, headers=W)
        assert response.status_code == 422, (attack, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert graph_export(store) == before


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/organisations", {"limit": "10000000000000000000000"}),
        ("/api/v1/organisations", {"limit": "-1"}),
        ("/api/v1/organisations", {"offset": "99999999999999999999"}),
        ("/api/v1/organisations/umcg/neighbourhood", {"depth": "1000000"}),
        ("/api/v1/organisations/umcg/neighbourhood", {"max_nodes": "1e9"}),
        ("/api/v1/paths", {"from": "umcg", "to": "kpn", "max_depth": "999"}),
        ("/api/v1/paths", {"from": "umcg", "to": "kpn", "limit": "100000"}),
        ("/api/v1/match/partners", {"org": "umcg", "top": "1000000"}),
        ("/api/v1/network", {"max_nodes": "100000000000"}),
        ("/api/v1/changes", {"since": str(2**80)}),
    ],
)
def test_huge_limits_and_depths_are_422(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_deeply_nested_json_and_invalid_utf8_are_refused(
    client: TestClient, store: GraphStore
) -> None:
    before = graph_export(store)
    nested = "[" * 100_000 + "]" * 100_000
    for path in ("/api/v1/organisations", "/api/v1/match", "/api/v1/import"):
        for body in (nested.encode(), b'{"name": "\xff\xfe broken"}', b"\x00\x01\x02"):
            response = client.post(
                path, content=body, headers={**W, "Content-Type": "application/json"}
            )
            assert 400 <= response.status_code < 500, (path, response.status_code)
            assert response.headers["content-type"] == "application/problem+json"
            assert "Traceback" not in response.text
    assert graph_export(store) == before
