"""HTTP behaviour of /health and the organisation endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.store import GraphStore
from tests.conftest import small_graph


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    store.upsert(small_graph())
    with TestClient(create_app(store=store)) as test_client:
        yield test_client


def test_health_reports_store_and_version(client: TestClient, store: GraphStore) -> None:
    body = client.get("/health").json()
    assert body == {"status": "ok", "store": store.name, "version": store.version()}


def test_list_nodes_with_filters_and_total(client: TestClient) -> None:
    body = client.get("/api/v1/organisations", params={"limit": 2}).json()
    assert body["count"] == 4
    assert [o["id"] for o in body["data"]] == ["acme", "mkb"]
    gov = client.get("/api/v1/organisations", params={"helix_role": "government"}).json()
    assert [o["id"] for o in gov["data"]] == ["town"]
    real = client.get("/api/v1/organisations", params={"generic": "false"}).json()
    assert "mkb" not in [o["id"] for o in real["data"]]
    typed = client.get("/api/v1/organisations", params={"org_type": "knowledge_institution"})
    assert [o["id"] for o in typed.json()["data"]] == ["uni"]


def test_get_organisation_by_id(client: TestClient) -> None:
    body = client.get("/api/v1/organisations/acme").json()
    assert body["id"] == "acme"
    assert body["label"] == "Organisation"
    assert body["place"] == "Roden"


def test_unknown_organisation_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/v1/organisations/nobody")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert "nobody" in body["detail"]


def test_a_theme_is_not_an_organisation(client: TestClient) -> None:
    assert client.get("/api/v1/organisations/theme-x").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"helix_role": "royalty"}, "query.helix_role"),
        ({"limit": 100000}, "query.limit"),
        ({"offset": -1}, "query.offset"),
    ],
)
def test_bad_parameters_are_422_problems_naming_the_field(
    client: TestClient, params: dict[str, object], field: str
) -> None:
    response = client.get("/api/v1/organisations", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_malformed_id_is_refused_before_the_store(client: TestClient) -> None:
    response = client.get("/api/v1/organisations/DROP TABLE")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.node_id"


def test_unknown_route_is_a_problem_too(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_ready_when_the_store_answers(client: TestClient, store: GraphStore) -> None:
    assert client.get("/ready").json() == {"status": "ready", "store": store.name}
