"""The collaboration network for graph views, and the explorer's delivery."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.store import GraphStore
from tests.conftest import match_graph


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    store.upsert(match_graph())
    with TestClient(create_app(Settings(), store=store)) as test_client:
        yield test_client


def test_the_network_lists_organisations_and_their_ties(client: TestClient) -> None:
    body = client.get("/api/v1/network").json()
    ids = {n["id"] for n in body["nodes"]}
    assert "mkb" not in ids  # placeholder groups only on request
    assert body["total"] == body["shown"] == len(body["nodes"]) == 13
    assert body["truncated"] is False
    edges = {(e["source"], e["target"]): e for e in body["edges"]}
    assert edges["acme", "uni"]["activities"] == ["p1"]
    assert edges["acme", "uni"]["weight"] == 1.0
    assert edges["care", "uni"]["weight"] == pytest.approx(0.5)  # p2 has three named members
    acme = next(n for n in body["nodes"] if n["id"] == "acme")
    assert acme["degree"] == 2


def test_filters_narrow_the_network(client: TestClient) -> None:
    civil = client.get("/api/v1/network", params={"helix_role": "civil_society"}).json()
    assert [n["id"] for n in civil["nodes"]] == ["care"]
    assert civil["edges"] == []
    themed = client.get("/api/v1/network", params={"theme": "theme-care"}).json()
    assert {(e["source"], e["target"]) for e in themed["edges"]} == {
        ("acme-labs", "care"),
        ("acme-labs", "uni"),
        ("care", "uni"),
        ("care", "town"),
    }
    with_groups = client.get("/api/v1/network", params={"include_generic": True}).json()
    assert "mkb" in {n["id"] for n in with_groups["nodes"]}
    in_roden = client.get("/api/v1/network", params={"place": "roden"}).json()
    assert {n["id"] for n in in_roden["nodes"]} == {"acme", "care"}


def test_a_large_network_opens_on_its_strongest_organisations(client: TestClient) -> None:
    body = client.get("/api/v1/network", params={"max_nodes": 3}).json()
    assert (body["total"], body["shown"], body["truncated"]) == (13, 3, True)
    assert {n["id"] for n in body["nodes"]} == {
        "big",
        "care",
        "acme",
    }  # acme and uni tie at 2.0: by id
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])


def test_bad_filters_are_problems(client: TestClient) -> None:
    response = client.get("/api/v1/network", params={"kind": "Theme"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_the_explorer_is_served_and_home_redirects_to_it(client: TestClient) -> None:
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307
    assert home.headers["location"] == "/explorer/"
    page = client.get("/explorer/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="nl"' in page.text


def test_over_max_edges_the_strongest_ties_are_kept(client: TestClient) -> None:
    full = client.get("/api/v1/network").json()
    cut = client.get("/api/v1/network", params={"max_edges": 2}).json()
    assert cut["edges_total"] == full["edges_total"] == len(full["edges"])
    assert len(cut["edges"]) == 2
    strongest = sorted(full["edges"], key=lambda e: (-e["weight"], e["source"], e["target"]))[:2]
    assert sorted(cut["edges"], key=lambda e: (e["source"], e["target"])) == sorted(
        strongest, key=lambda e: (e["source"], e["target"])
    )
    assert cut["nodes"] == full["nodes"]  # the organisations stay
