"""The REST API on the Drenthe seed, on every store: reads, searches, graph queries,
writes with optimistic concurrency, relationships, import/export and the change log."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.security import Scope, route_scopes
from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore

READER = "reader-key-0123456789"
WRITER = "writer-key-0123456789"
ADMIN = "admin-key-0123456789ab"
KEYS = f"{READER}:read,{WRITER}:write,{ADMIN}:admin"
W = {"X-API-Key": WRITER}
PROBLEM = "application/problem+json"


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    seed_store(store)
    settings = Settings(api_keys=KEYS, open_reads=True)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def ids(response_json: dict[str, object]) -> list[str]:
    data = response_json["data"]
    assert isinstance(data, list)
    return [item["id"] for item in data]


# -- reading -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("it hub", "it-hub"),
        ("IT-Hub", "it-hub"),
        ("umcg", "umcg"),
        ("health hub roden", "health-hub-roden"),
        ("Hanze", "hanzehogeschool"),
        ("Helth Hub Roden", "health-hub-roden"),
        ("Trëant", "treant"),
    ],
)
def test_search_finds_what_a_person_means(client: TestClient, text: str, first: str) -> None:
    body = client.get("/api/v1/organisations", params={"q": text}).json()
    assert ids(body)[0] == first


def test_organisation_filters_combine_with_search_and_paging(client: TestClient) -> None:
    on_theme = client.get(
        "/api/v1/organisations",
        params={"theme": "theme-duurzaamheid", "generic": "false", "limit": 100},
    ).json()
    assert "nom" in ids(on_theme)
    assert "bdrc" not in ids(on_theme)
    assert on_theme["count"] == len(on_theme["data"])
    gemeenten = client.get(
        "/api/v1/organisations", params={"q": "gemeente", "helix_role": "government"}
    ).json()
    assert gemeenten["count"] >= 10
    assert all(item["helix_role"] == "government" for item in gemeenten["data"])
    page = client.get(
        "/api/v1/organisations", params={"q": "gemeente", "limit": 3, "offset": 3}
    ).json()
    assert len(page["data"]) == 3
    assert (
        ids(page) == ids(client.get("/api/v1/organisations", params={"q": "gemeente"}).json())[3:6]
    )


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("actions", 20),
        ("projects", 14),
        ("networks", 11),
        ("programmes", 29),
        ("themes", 6),
        ("sdgs", 3),
    ],
)
def test_every_kind_lists_with_its_total(client: TestClient, path: str, count: int) -> None:
    body = client.get(f"/api/v1/{path}", params={"limit": 5}).json()
    assert body["count"] == count
    assert len(body["data"]) == min(5, count)


def test_actions_by_theme_and_their_organisations(client: TestClient) -> None:
    food = client.get("/api/v1/actions", params={"theme": "theme-food-lifestyle"}).json()
    assert sorted(ids(food)) == ["action-food-1", "action-food-2"]
    partners = client.get("/api/v1/actions/action-dig-1/organisations").json()
    assert {link["node"]["id"] for link in partners} == {"it-hub", "bdrc", "treant", "umcg", "mkb"}
    assert all(link["type"] == "PARTNER_IN" and link["provenance"]["quote"] for link in partners)


def test_networks_have_their_members(client: TestClient) -> None:
    members = client.get("/api/v1/networks/network-netwerkzon/organisations").json()
    assert {"noorderpoort", "alfa-college", "drenthe-college"} <= {m["node"]["id"] for m in members}


def test_what_an_organisation_does(client: TestClient) -> None:
    links = client.get("/api/v1/organisations/bdrc/links").json()
    kinds = {(link["type"], link["node"]["label"]) for link in links}
    assert ("PARTNER_IN", "Action") in kinds
    assert all(link["direction"] in {"in", "out"} for link in links)


def test_get_sends_an_etag_and_honours_if_none_match(client: TestClient) -> None:
    first = client.get("/api/v1/organisations/umcg")
    etag = first.headers["etag"]
    assert first.json()["aliases"] == ["UMCG"]
    again = client.get("/api/v1/organisations/umcg", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert (
        client.get("/api/v1/projects/project-twincer", headers={"If-None-Match": etag}).status_code
        == 200
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/nobody",
        "/api/v1/actions/nothing",
        "/api/v1/themes/umcg",
        "/api/v1/sdgs/sdg-4/links",
    ],
)
def test_unknown_ids_are_404_problems(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


# -- graph queries ---------------------------------------------------------------------


def test_neighbourhood_with_filters(client: TestClient) -> None:
    one = client.get("/api/v1/organisations/bdrc/neighbourhood").json()
    labels = {n["label"] for n in one["nodes"]}
    assert labels == {"Organisation", "Action"}
    two = client.get("/api/v1/organisations/bdrc/neighbourhood", params={"depth": 2}).json()
    assert len(two["nodes"]) > len(one["nodes"])
    assert "mkb" not in {n["id"] for n in two["nodes"]}
    with_generic = client.get(
        "/api/v1/organisations/bdrc/neighbourhood", params={"depth": 2, "include_generic": "true"}
    ).json()
    assert "mkb" in {n["id"] for n in with_generic["nodes"]}
    knowledge = client.get(
        "/api/v1/organisations/bdrc/neighbourhood", params={"depth": 2, "helix_role": "knowledge"}
    ).json()
    orgs = [n for n in knowledge["nodes"] if n["label"] == "Organisation" and n["id"] != "bdrc"]
    assert orgs
    assert all("knowledge" in [n["helix_role"], *n["secondary_roles"]] for n in orgs)
    node_ids = {n["id"] for n in two["nodes"]}
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in two["edges"])


def test_a_neighbourhood_is_answered_again_until_the_graph_changes(client: TestClient) -> None:
    """Kept per graph version: the same answer and ETag until a write, 304 for a client
    that has it, and after a write the answer shows the write at once."""
    path = "/api/v1/organisations/bdrc/neighbourhood"
    first = client.get(path, params={"depth": 2})
    again = client.get(path, params={"depth": 2})
    assert first.content == again.content
    etag = first.headers["etag"]
    assert etag == again.headers["etag"]
    assert client.get(path, params={"depth": 1}).headers["etag"] != etag
    unchanged = client.get(path, params={"depth": 2}, headers={"If-None-Match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    it_hub = client.get("/api/v1/organisations/it-hub")
    renamed = {**it_hub.json(), "name": "IT Hub Noord"}
    headers = {**W, "If-Match": it_hub.headers["etag"]}
    assert client.put("/api/v1/organisations/it-hub", json=renamed, headers=headers).is_success
    after = client.get(path, params={"depth": 2}, headers={"If-None-Match": etag})
    assert after.status_code == 200
    names = {n["id"]: n["name"] for n in after.json()["nodes"]}
    assert names["it-hub"] == "IT Hub Noord"
    assert after.headers["etag"] != etag
    missing = client.get("/api/v1/organisations/nobody-at-all/neighbourhood")
    assert missing.status_code == 422  # a name that names no organisation: not kept
    assert client.get("/api/v1/organisations/nobody-at-all/neighbourhood").status_code == 422


def test_a_write_elsewhere_leaves_an_answer_as_it_was(client: TestClient) -> None:
    """A description written outside a neighbourhood keeps its answer and ETag (a client
    that has it gets 304); written inside it, the answer is made again and shows it."""
    path = "/api/v1/organisations/bdrc/neighbourhood"
    first = client.get(path)
    shown = {n["id"] for n in first.json()["nodes"]}
    outside = next(
        o["id"] for o in client.get("/api/v1/organisations").json()["data"] if o["id"] not in shown
    )

    def describe(org_id: str, text: str) -> None:
        found = client.get(f"/api/v1/organisations/{org_id}")
        headers = {**W, "If-Match": found.headers["etag"]}
        changed = {**found.json(), "description": text}
        assert client.put(
            f"/api/v1/organisations/{org_id}", json=changed, headers=headers
        ).is_success

    describe(outside, "Elders in Drenthe.")
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert client.get(path).content == first.content
    describe("bdrc", "Big data in Drenthe.")
    after = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != first.headers["etag"]
    assert {n["id"]: n.get("description") for n in after.json()["nodes"]}["bdrc"] == (
        "Big data in Drenthe."
    )


def test_a_write_is_answered_once_the_graph_in_memory_has_it(client: TestClient) -> None:
    """Reads do not wait for a patch under way; so the writer's answer waits until the
    core holds the write, and its next read cannot miss it."""
    core = client.app.state.core  # type: ignore[attr-defined]
    patches = core.patches
    found = client.get("/api/v1/organisations/it-hub")
    moved = {**found.json(), "place": "Emmen"}
    headers = {**W, "If-Match": found.headers["etag"]}
    assert client.put("/api/v1/organisations/it-hub", json=moved, headers=headers).is_success
    assert core.patches == patches + 1  # before any further request
    assert client.get("/api/v1/organisations/it-hub").json()["place"] == "Emmen"


def test_depth_is_limited_to_three(client: TestClient) -> None:
    response = client.get("/api/v1/organisations/bdrc/neighbourhood", params={"depth": 4})
    assert response.status_code == 422


def test_paths_name_what_links_each_hop(client: TestClient) -> None:
    paths = client.get("/api/v1/paths", params={"from": "bdrc", "to": "kpn"}).json()
    assert paths
    assert [p["summary"] for p in paths] == [
        "Bethesda Diabetes Research Center — Huisartsen Zorg Drenthe — KPN",
        "Bethesda Diabetes Research Center — IT Hub — KPN",
    ]
    first = paths[0]
    assert first["summary"].startswith("Bethesda Diabetes Research Center — ")
    assert first["summary"].endswith(" — KPN")
    assert len(first["hops"]) == 2
    assert all(hop["via"] and hop["via"][0]["label"] == "Action" for hop in first["hops"])
    assert all(len(hop["relationships"]) == 2 for hop in first["hops"])


def test_no_path_is_an_empty_list_and_unknown_ends_are_422(client: TestClient) -> None:
    assert (
        client.get("/api/v1/paths", params={"from": "bdrc", "to": "kpn", "max_depth": 1}).json()
        == []
    )
    unknown = client.get("/api/v1/paths", params={"from": "bdrc", "to": "nobody"})
    assert unknown.status_code == 422
    assert "to: " in unknown.json()["detail"]


def test_subgraph_for_a_graph_view(client: TestClient) -> None:
    view = client.get(
        "/api/v1/subgraph",
        params={"theme": "theme-digitalisering", "kind": ["Organisation", "Action"]},
    ).json()
    labels = {n["label"] for n in view["nodes"]}
    assert labels == {"Organisation", "Action"}
    actions = {n["id"] for n in view["nodes"] if n["label"] == "Action"}
    assert "action-dig-1" in actions
    assert "action-food-1" not in actions
    assert not any(n.get("generic") for n in view["nodes"])


# -- writes ------------------------------------------------------------------------------


NEW_ORG = {
    "id": "medtech-roden",
    "name": "Medtech Roden BV",
    "helix_role": "industry",
    "org_type": "company",
    "place": "Roden",
}


def test_create_update_delete_with_optimistic_concurrency(client: TestClient) -> None:
    created = client.post("/api/v1/organisations", json=NEW_ORG, headers=W)
    assert created.status_code == 201
    assert created.headers["location"] == "/api/v1/organisations/medtech-roden"
    etag = created.headers["etag"]
    assert client.get("/api/v1/organisations/medtech-roden").headers["etag"] == etag
    assert client.post("/api/v1/organisations", json=NEW_ORG, headers=W).status_code == 409

    moved = {**NEW_ORG, "place": "Assen"}
    updated = client.put(
        "/api/v1/organisations/medtech-roden", json=moved, headers={**W, "If-Match": etag}
    )
    assert updated.status_code == 200
    stale = client.put(
        "/api/v1/organisations/medtech-roden",
        json={**NEW_ORG, "place": "Emmen"},
        headers={**W, "If-Match": etag},
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM
    assert client.get("/api/v1/organisations/medtech-roden").json()["place"] == "Assen"

    stale_delete = client.delete(
        "/api/v1/organisations/medtech-roden", headers={**W, "If-Match": etag}
    )
    assert stale_delete.status_code == 412
    gone = client.delete(
        "/api/v1/organisations/medtech-roden",
        headers={**W, "If-Match": updated.headers["etag"]},
    )
    assert gone.status_code == 204
    assert client.get("/api/v1/organisations/medtech-roden").status_code == 404


def test_bodies_are_validated_with_the_field_named(client: TestClient) -> None:
    bad = client.post("/api/v1/organisations", json={**NEW_ORG, "helix_role": "royalty"}, headers=W)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == PROBLEM
    assert any(e["field"].endswith("helix_role") for e in bad.json()["errors"])
    extra = client.post("/api/v1/organisations", json={**NEW_ORG, "size": 3}, headers=W)
    assert extra.status_code == 422
    other_id = client.put("/api/v1/organisations/umcg", json=NEW_ORG, headers=W)
    assert other_id.status_code == 422


def test_actions_projects_and_networks_are_writable(client: TestClient) -> None:
    project = {"id": "project-pilot", "name": "PGO-pilot Roden", "status": "planned"}
    assert client.post("/api/v1/projects", json=project, headers=W).status_code == 201
    network = {"id": "network-medtech-drenthe", "name": "Medtech Drenthe"}
    assert client.post("/api/v1/networks", json=network, headers=W).status_code == 201
    action = {
        "id": "action-mt-9",
        "name": "Nieuwe actie",
        "theme": "theme-medische-technologie",
        "what": "Iets doen.",
    }
    assert client.post("/api/v1/actions", json=action, headers=W).status_code == 201
    orphan = {**action, "id": "action-mt-10", "theme": "theme-nowhere"}
    response = client.post("/api/v1/actions", json=orphan, headers=W)
    assert response.status_code == 422
    assert "'theme-nowhere' is geen bekend thema" in response.text
    assert (
        client.post(
            "/api/v1/themes", json={"id": "theme-x", "name": "X", "kind": "priority"}, headers=W
        ).status_code
        == 405
    )


def test_relationships_need_provenance_and_known_ends(client: TestClient) -> None:
    rel = {
        "type": "PARTICIPATES_IN",
        "source": "kpn",
        "target": "project-twincer",
        "role": "partner",
        "provenance": {"source": "intake-2026", "section": "gesprek", "quote": "KPN doet mee"},
    }
    assert (
        client.post(
            "/api/v1/relationships", json={**rel, "provenance": None}, headers=W
        ).status_code
        == 422
    )
    unknown = client.post("/api/v1/relationships", json={**rel, "source": "nobody"}, headers=W)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["message"] == "source 'nobody' is geen bekend id"
    assert client.post("/api/v1/relationships", json=rel, headers=W).status_code == 201
    links = client.get("/api/v1/projects/project-twincer/organisations").json()
    assert "kpn" in {link["node"]["id"] for link in links}
    path = "/api/v1/relationships/PARTICIPATES_IN/kpn/project-twincer"
    assert client.delete(path, headers=W).status_code == 204
    assert client.delete(path, headers=W).status_code == 404


def test_changes_since_a_version(client: TestClient) -> None:
    version = client.get("/health").json()["version"]
    client.post("/api/v1/organisations", json=NEW_ORG, headers=W)
    client.delete("/api/v1/organisations/medtech-roden", headers=W)
    body = client.get("/api/v1/changes", params={"since": version}).json()
    assert body["current_version"] == version + 2
    assert body["next_since"] == version + 2
    assert body["has_more"] is False
    assert [(c["action"], c["nodes"]) for c in body["data"]] == [
        ("upsert", ["medtech-roden"]),
        ("delete", ["medtech-roden"]),
    ]
    assert all(c["actor"] and c["actor"] != WRITER for c in body["data"])


# -- import and export ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("json", "application/json"),
        ("graphml", "application/graphml+xml"),
        ("gexf", "application/gexf+xml"),
        ("cytoscape", "application/json"),
        ("csv", "application/zip"),
        ("gephi-csv", "application/zip"),
        ("kumu", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_export_over_http(client: TestClient, fmt: str, media: str) -> None:
    response = client.get("/api/v1/export", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers["content-disposition"]
    if fmt == "json":
        assert len(response.json()["nodes"]) == 179
    if fmt in ("csv", "gephi-csv"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
    suffix = {"csv": ".zip", "gephi-csv": ".gephi.zip", "kumu": ".kumu.xlsx"}.get(fmt)
    if suffix:
        assert response.headers["content-disposition"].endswith(f'helixgraph{suffix}"')


def _nodes_header(response: object) -> str:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:  # type: ignore[attr-defined]
        return archive.read("nodes.csv").decode("utf-8-sig").splitlines()[0]


def test_export_words_follow_the_request_language(client: TestClient) -> None:
    """A colleague abroad gets English headers and relations; ids and codes stay the same."""
    dutch = client.get("/api/v1/export", params={"format": "csv"})
    english = client.get("/api/v1/export", params={"format": "csv", "lang": "en"})
    asked = client.get(
        "/api/v1/export", params={"format": "csv"}, headers={"Accept-Language": "en-GB,en"}
    )
    assert _nodes_header(dutch).split(";")[:2] == ["Id", "Soort"]
    assert _nodes_header(english).split(",")[:2] == ["Id", "Kind"]
    assert asked.content == english.content
    graphml = {
        lang: client.get("/api/v1/export", params={"format": "graphml", "lang": lang}).text
        for lang in ("nl", "en")
    }
    assert '<data key="edge_label">lid van</data>' in graphml["nl"]
    assert '<data key="edge_label">member of</data>' in graphml["en"]
    assert graphml["nl"].count("<edge ") == graphml["en"].count("<edge ")
    json_docs = {
        lang: client.get("/api/v1/export", params={"format": "json", "lang": lang}).content
        for lang in ("nl", "en")
    }
    assert json_docs["nl"] == json_docs["en"]


def test_the_graphml_extension_schema_is_served(client: TestClient) -> None:
    response = client.get("/schemas/graphml-gephi.xsd")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert 'name="edge.extra.attrib"' in response.text
    graphml = client.get("/api/v1/export", params={"format": "graphml"}).text
    assert "/schemas/graphml-gephi.xsd" in graphml


def test_import_over_http_is_all_or_nothing(client: TestClient) -> None:
    document = client.get("/api/v1/export").json()
    document["nodes"].append({**NEW_ORG, "label": "Organisation"})
    dry = client.post("/api/v1/import", params={"dry_run": "true"}, json=document, headers=W)
    assert dry.json()["created"] == 1
    assert dry.json()["dry_run"] is True
    assert client.get("/api/v1/organisations/medtech-roden").status_code == 404

    broken = json.loads(json.dumps(document))
    broken["edges"][0]["target"] = "nowhere"
    refused = client.post("/api/v1/import", json=broken, headers=W)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM
    assert "target 'nowhere' is geen bekend id" in refused.text
    assert client.get("/api/v1/organisations/medtech-roden").status_code == 404

    done = client.post("/api/v1/import", json=document, headers=W)
    assert done.status_code == 200
    assert (done.json()["created"], done.json()["updated"]) == (1, 0)
    assert client.get("/api/v1/organisations/medtech-roden").status_code == 200


# -- access and errors -----------------------------------------------------------------------


def test_writes_need_a_write_key_401_and_403_distinct(client: TestClient) -> None:
    anonymous = client.post("/api/v1/organisations", json=NEW_ORG)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM
    assert "www-authenticate" in anonymous.headers
    wrong = client.post("/api/v1/organisations", json=NEW_ORG, headers={"X-API-Key": "x" * 20})
    assert wrong.status_code == 401
    reader = client.post("/api/v1/organisations", json=NEW_ORG, headers={"X-API-Key": READER})
    assert reader.status_code == 403
    bearer = client.post(
        "/api/v1/organisations", json=NEW_ORG, headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert bearer.status_code == 201


def test_reads_can_be_closed(store: GraphStore) -> None:
    seed_store(store)
    settings = Settings(api_keys=KEYS, open_reads=False)
    with TestClient(create_app(settings, store=store)) as closed:
        assert closed.get("/api/v1/organisations").status_code == 401
        assert closed.get("/api/v1/organisations", headers={"X-API-Key": READER}).status_code == 200


def test_oversized_bodies_are_refused_before_parsing(store: GraphStore) -> None:
    settings = Settings(api_keys=KEYS, max_body_bytes=2048)
    with TestClient(create_app(settings, store=store)) as small:
        big = {**NEW_ORG, "description": "x" * 4000}
        response = small.post("/api/v1/organisations", json=big, headers=W)
        assert response.status_code == 413
        assert response.headers["content-type"] == PROBLEM
        assert small.get("/api/v1/organisations/medtech-roden").status_code == 404


def test_malformed_json_is_a_problem_not_a_crash(client: TestClient) -> None:
    response = client.post(
        "/api/v1/organisations",
        content=b'{"id": "x", ',
        headers={**W, "Content-Type": "application/json"},
    )
    assert response.status_code in {400, 422}
    assert response.headers["content-type"] == PROBLEM
    assert "Traceback" not in response.text


def test_every_route_declares_its_scope(client: TestClient) -> None:
    """A new route cannot be forgotten: reads need read, every write needs write."""
    scopes = route_scopes(client.app)  # type: ignore[arg-type]
    # the texts of the interface hold no data, and the page needs them to ask for a key
    texts = ("GET", "/api/v1/catalogue/{lang}")
    open_routes = {("GET", "/health"), ("GET", "/ready"), texts}
    api = {
        route: scope
        for route, scope in scopes.items()
        if route[1].startswith("/api/") and route != texts
    }
    assert len(api) > 30
    # queries with a body: they change nothing
    queries = {("POST", "/api/v1/match"), ("POST", "/api/v1/match/table")}
    admin = {("GET", "/api/v1/audit")}  # who wrote what: administrators only
    personal = {("GET", "/api/v1/organisations/{node_id}/contacts")}  # contacts scope only
    editors = {
        ("GET", "/api/v1/history/{node_id}"),  # who changed what: those who edit
        ("GET", "/api/v1/proposals/{proposal_id}"),  # an uploaded plan: those who review it
    }
    for (method, path), scope in api.items():
        wanted = Scope.READ if method == "GET" or (method, path) in queries else Scope.WRITE
        if (method, path) in admin:
            wanted = Scope.ADMIN
        if (method, path) in personal:
            wanted = Scope.CONTACTS
        if (method, path) in editors:
            wanted = Scope.WRITE
        assert scope == wanted, f"{method} {path} declares {scope}"
    assert {route for route, scope in scopes.items() if scope is None} <= open_routes | {
        (m, p) for m, p in scopes if not p.startswith(("/api/", "/health", "/ready"))
    }
