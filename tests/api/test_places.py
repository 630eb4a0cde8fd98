"""A place filter means one thing everywhere: the town, the province or the region.

On the Drenthe seed, as the analyst and the business developer ask: "who is in
Drenthe?", "which knowledge partners are in Drenthe?", "who is across the border?".
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.store import GraphStore
from graph_schema import HelixRole, Organisation, Province, Region
from seed import load_seed


@cache
def seed_organisations() -> tuple[Organisation, ...]:
    return tuple(n for n in load_seed().nodes if isinstance(n, Organisation))


def ids_where(**wanted: Any) -> set[str]:
    return {
        o.id
        for o in seed_organisations()
        if all(getattr(o, field) == value for field, value in wanted.items())
    }


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    store.upsert(load_seed())
    with TestClient(create_app(store=store)) as test_client:
        yield test_client


def organisation_ids(client: TestClient, **params: str) -> set[str]:
    response = client.get("/api/v1/organisations", params={**params, "limit": 500})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["data"])
    return {o["id"] for o in body["data"]}


def test_drenthe_as_a_place_gives_the_organisations_in_the_province(client: TestClient) -> None:
    in_drenthe = ids_where(province=Province.DRENTHE)
    assert {"treant", "hzd", "drenthe-college", "wza", "bdrc", "drentse-ondernemers"} <= in_drenthe
    assert organisation_ids(client, place="Drenthe") == in_drenthe
    assert "umcg" not in in_drenthe


def test_knowledge_partners_in_drenthe_are_found(client: TestClient) -> None:
    found = organisation_ids(client, helix_role="knowledge", place="Drenthe")
    assert found == ids_where(province=Province.DRENTHE, helix_role=HelixRole.KNOWLEDGE)
    assert {"bdrc", "drenthe-college", "tza"} <= found


@pytest.mark.parametrize("spelling", ["drenthe", "DRENTHE", " Drenthe"])
def test_the_place_filter_ignores_case(client: TestClient, spelling: str) -> None:
    assert organisation_ids(client, place=spelling.strip()) == ids_where(province=Province.DRENTHE)


@pytest.mark.parametrize("spelling", ["Fryslân", "fryslan", "Friesland"])
def test_fryslan_is_found_with_or_without_accent_and_as_friesland(
    client: TestClient, spelling: str
) -> None:
    assert organisation_ids(client, place=spelling) == {"nhl-stenden"}
    assert organisation_ids(client, province=spelling) == {"nhl-stenden"}


def test_a_town_still_means_the_town(client: TestClient) -> None:
    assert organisation_ids(client, place="emmen") == ids_where(place="Emmen")
    assert "treant" in organisation_ids(client, place="Emmen")


def test_groningen_is_the_town_and_the_province(client: TestClient) -> None:
    found = organisation_ids(client, place="Groningen")
    assert found == ids_where(province=Province.GRONINGEN)
    assert {"umcg", "gemeente-het-hogeland"} <= found  # Groningen and Winsum


def test_a_region_gives_its_provinces_and_the_groups_of_the_region(client: TestClient) -> None:
    north = organisation_ids(client, place="Noord-Nederland")
    assert north == ids_where(region=Region.NOORD_NEDERLAND)
    assert {"treant", "umcg", "nhl-stenden", "noordelijke-overheden"} <= north
    assert organisation_ids(client, region="noord-nederland") == north
    across = {"emsland", "hochschule-osnabrueck-lingen"}
    assert organisation_ids(client, region="Nedersaksen") == across
    assert organisation_ids(client, place="Niedersachsen") == across


def test_explicit_province_and_region_filters(client: TestClient) -> None:
    assert organisation_ids(client, province="Drenthe") == ids_where(province=Province.DRENTHE)
    # province Groningen: not the towns elsewhere that a place filter on the town would add
    assert organisation_ids(client, province="groningen") == ids_where(province=Province.GRONINGEN)
    assert organisation_ids(client, province="Drenthe", region="Nedersaksen") == set()


def test_organisations_carry_province_and_region(client: TestClient) -> None:
    treant = client.get("/api/v1/organisations/treant").json()
    assert (treant["place"], treant["province"], treant["region"]) == (
        "Emmen",
        "Drenthe",
        "Noord-Nederland",
    )
    assert treant["place_source"].startswith("public: ")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"province": "Atlantis"}, "province"), ({"region": "Randstad"}, "region")],
)
def test_an_unknown_province_or_region_is_a_problem_naming_the_choices(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    for path in ("/api/v1/organisations", "/api/v1/network", "/api/v1/subgraph"):
        response = client.get(path, params=params)
        assert response.status_code == 422, path
        assert response.headers["content-type"] == "application/problem+json"
        detail = response.json()["detail"]
        assert field in detail
        assert ("Drenthe" if field == "province" else "Noord-Nederland") in detail
        assert "<" not in detail  # no Python repr


def test_the_network_of_drenthe_counts_the_organisations_in_drenthe(client: TestClient) -> None:
    named = ids_where(province=Province.DRENTHE, generic=False)
    body = client.get("/api/v1/network", params={"place": "Drenthe"}).json()
    assert body["total"] == len(named) > 0
    assert {n["id"] for n in body["nodes"]} == named
    assert {n["province"] for n in body["nodes"]} == {"Drenthe"}
    every = client.get("/api/v1/network", params={"place": "drenthe", "include_generic": True})
    assert every.json()["total"] == len(ids_where(province=Province.DRENTHE))
    by_province = client.get("/api/v1/network", params={"province": "Drenthe"}).json()
    assert by_province["total"] == len(named)


def test_the_network_across_the_border(client: TestClient) -> None:
    body = client.get("/api/v1/network", params={"region": "Nedersaksen"}).json()
    assert {n["id"] for n in body["nodes"]} == {"emsland", "hochschule-osnabrueck-lingen"}


def test_the_subgraph_of_drenthe_holds_only_organisations_in_drenthe(client: TestClient) -> None:
    for params in ({"place": "Drenthe"}, {"province": "Drenthe"}):
        body = client.get("/api/v1/subgraph", params=params).json()
        orgs = {n["id"] for n in body["nodes"] if n["label"] == "Organisation"}
        assert orgs
        assert orgs <= ids_where(province=Province.DRENTHE)
        assert "treant" in orgs


def test_analytics_run_on_the_organisations_of_a_province(client: TestClient) -> None:
    named = ids_where(province=Province.DRENTHE, generic=False)
    for params in ({"province": "drenthe"}, {"place": "Drenthe"}):
        body = client.get("/api/v1/analytics/brokers", params=params).json()
        assert {row["id"] for row in body["rows"]} == named
        assert "Drenthe" in body["filters"]["caption"]
    kpis = client.get("/api/v1/analytics/kpis", params={"region": "Noord-Nederland"}).json()
    assert kpis["organisations"] == len(ids_where(region=Region.NOORD_NEDERLAND, generic=False))
    empty = client.get(
        "/api/v1/analytics/kpis", params={"province": "Drenthe", "region": "Nedersaksen"}
    ).json()
    assert empty["organisations"] == 0
    refused = client.get("/api/v1/analytics/gaps", params={"province": "Atlantis"})
    assert refused.status_code == 422
