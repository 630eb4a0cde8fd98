"""Edits on the Drenthe seed, on every store: one user action is one graph version with one
change-log entry, all or nothing; its history, its undo and what a delete takes with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.security import key_id_of
from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore
from graph_schema import ContactPerson

READER = "edits-reader-key-00001"
WRITER = "edits-writer-key-00001"
ADMIN = "edits-admin-key-000001"
W = {"X-API-Key": WRITER}
PROBLEM = "application/problem+json"
TOLD = {"source": "told:Anne de Vries", "section": "2026-12-03", "quote": "samen met Treant"}
NEWCO = {
    "id": "zorgtech-emmen",
    "label": "Organisation",
    "name": "Zorgtech Emmen",
    "helix_role": "industry",
    "org_type": "company",
    "place": "Emmen",
    "provenance": TOLD,
}


def link(source: str, target: str, rel_type: str = "PARTNER_IN", **extra: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "type": rel_type, "provenance": TOLD, **extra}


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    seed_store(store)
    keys = f"{READER}:read,{WRITER}:write,{ADMIN}:admin"
    with TestClient(create_app(Settings(api_keys=keys, open_reads=True), store=store)) as c:
        yield c


def version(client: TestClient) -> int:
    value: int = client.get("/health").json()["version"]
    return value


def changes(client: TestClient, since: int) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get("/api/v1/changes", params={"since": since}).json()[
        "data"
    ]
    return data


def audit(client: TestClient, since: int) -> list[dict[str, Any]]:
    response = client.get("/api/v1/audit", params={"since": since}, headers={"X-API-Key": ADMIN})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def edit(client: TestClient, body: dict[str, Any], **params: Any) -> Any:
    return client.post("/api/v1/edits", json=body, headers=W, params=params)


def links_of(client: TestClient, org_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/organisations/{org_id}/links")
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()
    return data


def create_newco(client: TestClient) -> int:
    body = {
        "upsert": {
            "nodes": [NEWCO],
            "edges": [
                link("zorgtech-emmen", "action-dig-1"),
                link("zorgtech-emmen", "network-netwerkzon", "MEMBER_OF", role="member"),
            ],
        },
        "expected": {"zorgtech-emmen": None},
        "note": "bijeenkomst 3 december",
    }
    response = edit(client, body)
    assert response.status_code == 200, response.text
    created: int = response.json()["version"]
    return created


def test_an_organisation_with_two_links_is_one_version_and_one_change(client: TestClient) -> None:
    before = version(client)
    body = {
        "upsert": {
            "nodes": [NEWCO],
            "edges": [
                link("zorgtech-emmen", "action-dig-1"),
                link("zorgtech-emmen", "network-netwerkzon", "MEMBER_OF", role="member"),
            ],
        },
        "expected": {"zorgtech-emmen": None},
        "note": "bijeenkomst 3 december",
    }
    dry = edit(client, body, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json() == {
        "version": before,
        "created": 3,
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
        "dry_run": True,
    }
    assert version(client) == before
    assert client.get("/api/v1/organisations/zorgtech-emmen").status_code == 404

    response = edit(client, body)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "version": before + 1,
        "created": 3,
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
        "dry_run": False,
    }
    assert version(client) == before + 1
    [change] = changes(client, before)
    assert change["version"] == before + 1
    assert change["action"] == "upsert"
    assert change["nodes"] == ["zorgtech-emmen"]
    assert change["relationships"] == [
        "MEMBER_OF zorgtech-emmen network-netwerkzon",
        "PARTNER_IN zorgtech-emmen action-dig-1",
    ]
    assert {(x["node"]["id"], x["type"]) for x in links_of(client, "zorgtech-emmen")} == {
        ("action-dig-1", "PARTNER_IN"),
        ("network-netwerkzon", "MEMBER_OF"),
    }

    [entry] = audit(client, before)
    assert entry["actor"] == key_id_of(WRITER)
    assert entry["note"] == "bijeenkomst 3 december"
    assert [(d["kind"], d["key"], d["before"]) for d in entry["details"]] == [
        ("node", "zorgtech-emmen", None),
        ("relationship", "MEMBER_OF zorgtech-emmen network-netwerkzon", None),
        ("relationship", "PARTNER_IN zorgtech-emmen action-dig-1", None),
    ]
    assert entry["details"][0]["after"]["name"] == "Zorgtech Emmen"
    assert entry["details"][2]["after"]["provenance"] == TOLD

    again = edit(client, {**body, "expected": {}})
    assert again.json()["unchanged"] == 3
    assert again.json()["version"] == before + 1  # nothing changed: no new version


def test_a_batch_with_bad_links_writes_nothing_and_lists_every_problem(client: TestClient) -> None:
    before = version(client)
    body = {
        "upsert": {
            "nodes": [NEWCO],
            "edges": [
                link("zorgtech-emmen", "action-dig-1"),
                link("zorgtech-emmen", "action-onbekend"),
                link("treant", "action-dig-2"),
            ],
        },
        "delete": {"nodes": ["treant"]},
    }
    response = edit(client, body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["detail"] == "2 problemen in de ingestuurde graafgegevens"
    assert problem["errors"] == [
        {
            "where": "PARTNER_IN zorgtech-emmen -> action-onbekend",
            "message": "target 'action-onbekend' is geen bekend id",
        },
        {
            "where": "PARTNER_IN treant -> action-dig-2",
            "message": "'treant' wordt in dezelfde bewerking verwijderd; een koppeling kan er "
            "niet naartoe",
        },
    ]
    english = client.post("/api/v1/edits?lang=en", json=body, headers=W).json()
    assert english["errors"][1]["message"] == (
        "'treant' is deleted in the same edit; a link cannot point at it"
    )
    assert version(client) == before
    assert client.get("/api/v1/organisations/zorgtech-emmen").status_code == 404
    assert client.get("/api/v1/organisations/treant").status_code == 200
    assert audit(client, before) == []

    absent = edit(client, {"delete": {"nodes": ["bestaat-niet"]}})
    assert absent.status_code == 404
    assert absent.json()["detail"] == "er is geen knoop met id 'bestaat-niet'"
    gone_link = edit(
        client, {"delete": {"edges": [{"type": "PARTNER_IN", "source": "kpn", "target": "x"}]}}
    )
    assert gone_link.status_code == 404
    assert version(client) == before


def test_deleting_an_organisation_takes_its_links_in_the_same_version(client: TestClient) -> None:
    links = links_of(client, "it-hub")
    assert len(links) >= 2
    node = client.get("/api/v1/organisations/it-hub").json()
    before = version(client)
    response = edit(client, {"delete": {"nodes": ["it-hub"]}, "note": "opgeheven"})
    assert response.status_code == 200, response.text
    assert response.json()["deleted"] == 1 + len(links)
    assert response.json()["version"] == before + 1
    assert client.get("/api/v1/organisations/it-hub").status_code == 404
    [change] = changes(client, before)
    assert change["action"] == "delete"
    assert change["nodes"] == ["it-hub"]
    assert len(change["relationships"]) == len(links)
    assert all("it-hub" in key.split(" ")[1:] for key in change["relationships"])

    [entry] = audit(client, before)
    assert entry["note"] == "opgeheven"
    assert len(entry["details"]) == 1 + len(links)
    assert all(d["after"] is None and d["before"] for d in entry["details"])

    history = client.get("/api/v1/history/it-hub", params={"limit": 500}, headers=W)
    assert history.status_code == 200, history.text
    body = history.json()
    assert body["node"] == "it-hub"
    newest = [e for e in body["data"] if e["version"] == before + 1]
    assert len(newest) == 1 + len(links)
    node_entry = next(e for e in newest if e["kind"] == "node")
    # the stored document leaves out what is not set (the API shows it as null)
    assert node_entry["before"] == {k: v for k, v in node.items() if v is not None}
    assert node_entry["after"] is None
    for entry_ in newest:
        assert entry_["action"] == "delete"
        assert entry_["actor"] == key_id_of(WRITER)
        assert entry_["source"] == entry_["before"].get("provenance")
    rel_entry = next(e for e in newest if e["kind"] == "relationship")
    assert rel_entry["source"]["quote"]  # the deleted link's provenance
    seeded = [e for e in body["data"] if e["version"] == before]  # the seed's one write
    assert seeded
    assert all(e["before"] is None and e["after"] for e in seeded)
    assert [e["version"] for e in body["data"]] == sorted(
        (e["version"] for e in body["data"]), reverse=True
    )
    assert body["count"] == len(body["data"])
    page = client.get("/api/v1/history/it-hub", params={"limit": 2, "offset": 1}, headers=W)
    assert page.json()["data"] == body["data"][1:3]
    reader = client.get("/api/v1/history/it-hub", headers={"X-API-Key": READER})
    assert reader.status_code == 403
    assert client.get("/api/v1/history/bestaat-niet", headers=W).status_code == 404


def test_a_stale_etag_is_412_with_the_current_version(client: TestClient) -> None:
    read = client.get("/api/v1/organisations/it-hub")
    etag = read.headers["etag"]
    mine = {**read.json(), "name": "IT Hub (mijn versie)"}
    theirs = {**read.json(), "name": "IT Hub (hun versie)"}
    first = edit(client, {"upsert": {"nodes": [theirs]}, "expected": {"it-hub": etag}})
    assert first.status_code == 200, first.text
    before = version(client)

    stale = edit(
        client,
        {
            "upsert": {"nodes": [mine], "edges": [link("it-hub", "action-dig-2")]},
            "expected": {"it-hub": etag},
        },
    )
    assert stale.status_code == 412, stale.text
    assert stale.headers["content-type"].startswith(PROBLEM)
    problem = stale.json()
    assert problem["current"]["it-hub"]["name"] == "IT Hub (hun versie)"
    assert problem["current"]["it-hub"]["id"] == "it-hub"
    assert "'it-hub'" in problem["detail"]
    assert problem["title"] == "Voorwaarde niet vervuld"
    assert version(client) == before
    assert client.get("/api/v1/organisations/it-hub").json()["name"] == "IT Hub (hun versie)"

    taken = edit(client, {"upsert": {"nodes": [mine]}, "expected": {"it-hub": None}})
    assert taken.status_code == 412
    assert taken.json()["current"]["it-hub"]["name"] == "IT Hub (hun versie)"
    vanished = edit(client, {"upsert": {"nodes": [NEWCO]}, "expected": {"zorgtech-emmen": etag}})
    assert vanished.status_code == 412
    assert vanished.json()["current"] == {"zorgtech-emmen": None}
    assert version(client) == before


def test_undo_restores_the_previous_state_as_a_new_version(client: TestClient) -> None:
    created = create_newco(client)
    renamed = edit(client, {"upsert": {"nodes": [{**NEWCO, "name": "Zorgtech Drenthe"}]}})
    renamed_at = renamed.json()["version"]

    undone = client.post(f"/api/v1/changes/{renamed_at}/undo", headers=W)
    assert undone.status_code == 200, undone.text
    assert undone.json() == {
        "version": renamed_at + 1,
        "created": 0,
        "updated": 1,
        "deleted": 0,
        "unchanged": 0,
        "dry_run": False,
        "undo_of": renamed_at,
    }
    assert client.get("/api/v1/organisations/zorgtech-emmen").json()["name"] == "Zorgtech Emmen"
    history = client.get("/api/v1/history/zorgtech-emmen", headers=W).json()["data"]
    assert history[0]["version"] == renamed_at + 1
    assert history[0]["action"] == "undo"
    assert history[0]["undo_of"] == renamed_at
    assert history[0]["before"]["name"] == "Zorgtech Drenthe"
    assert history[0]["after"]["name"] == "Zorgtech Emmen"
    assert history[0]["source"] == TOLD
    renamed_entry = next(e for e in history if e["version"] == renamed_at)
    assert renamed_entry["undone_by"] == renamed_at + 1
    [entry] = audit(client, renamed_at)
    assert entry["action"] == "undo"
    assert entry["undo_of"] == renamed_at

    # the creation cannot be undone now: the rename and its undo touched it since
    refused = client.post(f"/api/v1/changes/{created}/undo", headers=W)
    assert refused.status_code == 409

    # a delete undone brings the organisation back with every link, as they were
    links = links_of(client, "it-hub")
    node = client.get("/api/v1/organisations/it-hub").json()
    deleted = edit(client, {"delete": {"nodes": ["it-hub"]}}).json()["version"]
    back = client.post(f"/api/v1/changes/{deleted}/undo", headers=W)
    assert back.status_code == 200, back.text
    assert back.json()["created"] == 1 + len(links)
    assert back.json()["version"] == deleted + 1
    assert client.get("/api/v1/organisations/it-hub").json() == node
    assert links_of(client, "it-hub") == links


def test_undoing_a_change_overwritten_later_is_409(client: TestClient, store: GraphStore) -> None:
    created = create_newco(client)
    later = edit(client, {"upsert": {"nodes": [{**NEWCO, "name": "Zorgtech Drenthe"}]}})
    later_at = later.json()["version"]
    before = version(client)

    refused = client.post(f"/api/v1/changes/{created}/undo", headers=W)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["detail"] == (
        f"wijziging {created} is daarna opnieuw gewijzigd door versie {later_at}; maak die "
        "eerst ongedaan"
    )
    assert version(client) == before
    assert client.get("/api/v1/organisations/zorgtech-emmen").json()["name"] == "Zorgtech Drenthe"

    # a link added later to the new organisation blocks undoing its creation too
    assert client.post(f"/api/v1/changes/{later_at}/undo", headers=W).status_code == 200
    linked = edit(client, {"upsert": {"edges": [link("zorgtech-emmen", "action-dig-2")]}})
    conflict = client.post(f"/api/v1/changes/{created}/undo", headers=W)
    assert conflict.status_code == 409
    assert str(linked.json()["version"]) in conflict.json()["detail"]

    # a link brought back needs both its ends: a later delete of one blocks its undo
    action = next(
        x["node"]["id"]
        for x in links_of(client, "kpn")
        if x["type"] == "PARTNER_IN" and x["direction"] == "out"
    )
    key = {"type": "PARTNER_IN", "source": "kpn", "target": action}
    unlinked = edit(client, {"delete": {"edges": [key]}}).json()["version"]
    removed = edit(client, {"delete": {"nodes": [action]}}).json()["version"]
    blocked = client.post(f"/api/v1/changes/{unlinked}/undo", headers=W)
    assert blocked.status_code == 409, blocked.text
    assert blocked.json()["detail"].endswith(f"door versie {removed}; maak die eerst ongedaan")
    assert client.post(f"/api/v1/changes/{removed}/undo", headers=W).status_code == 200
    relinked = client.post(f"/api/v1/changes/{unlinked}/undo", headers=W)
    assert relinked.status_code == 200, relinked.text  # its end is back
    back = [x["type"] for x in links_of(client, "kpn") if x["node"]["id"] == action]
    assert back == ["PARTNER_IN"]

    beyond = version(client) + 1
    unknown = client.post(f"/api/v1/changes/{beyond}/undo", headers=W)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == f"er is geen wijziging met versie {beyond}"
    contacts = store.put_contacts("kpn", [ContactPerson(name="Anne de Vries")])
    kept_nothing = client.post(f"/api/v1/changes/{contacts}/undo", headers=W)
    assert kept_nothing.status_code == 422
    assert f"wijziging {contacts} bewaarde geen toestand" in kept_nothing.json()["detail"]
    reader = client.post(f"/api/v1/changes/{created}/undo", headers={"X-API-Key": READER})
    assert reader.status_code == 403


def test_impact_names_the_organisation_a_delete_would_cut_off(client: TestClient) -> None:
    network = client.get("/api/v1/network").json()
    partners = {
        e["source"] if e["target"] == "recron" else e["target"]
        for e in network["edges"]
        if "recron" in (e["source"], e["target"])
    }
    assert partners == {"hannn"}  # recron's only tie to the network runs through HANNN

    response = client.get("/api/v1/edits/impact", params={"node": "hannn"})
    assert response.status_code == 200, response.text
    impact = response.json()
    recron = client.get("/api/v1/organisations/recron").json()
    hannn = client.get("/api/v1/organisations/hannn").json()
    assert impact["node"] == "hannn"
    assert impact["cut_off"] == [{"id": "recron", "name": recron["name"]}]
    links = links_of(client, "hannn")
    assert len(impact["relationships"]) == len(links)
    assert {r["target"] for r in impact["relationships"]} | {
        r["source"] for r in impact["relationships"]
    } >= {x["node"]["id"] for x in links}
    assert set(impact["activities"]) == {
        x["node"]["id"] for x in links if x["node"]["label"] in {"Action", "Project", "Network"}
    }
    assert impact["activities"]
    assert impact["sentence"] == (
        f"Verwijderen van {hannn['name']} haalt {len(links)} koppelingen weg en snijdt "
        f"{recron['name']} af van het netwerk"
    )
    english = client.get("/api/v1/edits/impact", params={"node": "hannn", "lang": "en"}).json()
    assert english["sentence"].startswith(f"Deleting {hannn['name']} removes {len(links)} links")

    quiet = client.get("/api/v1/edits/impact", params={"node": "umcg"}).json()
    assert quiet["cut_off"] == []
    assert quiet["sentence"].endswith("; niemand raakt daardoor los van het netwerk")
    assert client.get("/api/v1/edits/impact", params={"node": "bestaat-niet"}).status_code == 404

    # and so it goes: after the delete recron has no tie left
    assert edit(client, {"delete": {"nodes": ["hannn"]}}).status_code == 200
    after = client.get("/api/v1/network").json()
    assert not [e for e in after["edges"] if "recron" in (e["source"], e["target"])]
    assert "recron" in {n["id"] for n in after["nodes"]}


def _examples(operation: dict[str, Any], status: int) -> list[dict[str, Any]]:
    content = operation["responses"][str(status)]["content"][PROBLEM]
    return [example["value"] for example in content["examples"].values()]


def test_the_documented_problems_are_the_services_answers(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    edits = paths["/api/v1/edits"]["post"]
    it_hub = client.get("/api/v1/organisations/it-hub")
    stale_etag = it_hub.headers["etag"]
    renamed = {**it_hub.json(), "name": "IT Hub Drenthe B.V."}
    assert edit(client, {"upsert": {"nodes": [renamed]}}).status_code == 200
    created = create_newco(client)
    edit(client, {"upsert": {"nodes": [{**NEWCO, "name": "Zorgtech Drenthe"}]}})
    real = [
        (edits, 404, edit(client, {"delete": {"nodes": ["zorgtech-emmen", "bestaat"]}})),
        (edits, 404, edit(client, {"delete": {"nodes": ["kpm"]}})),
        (
            edits,
            412,
            edit(client, {"upsert": {"nodes": [renamed]}, "expected": {"it-hub": stale_etag}}),
        ),
        (
            edits,
            422,
            edit(
                client,
                {
                    "upsert": {
                        "nodes": [NEWCO],
                        "edges": [link("zorgtech-emmen", "action-onbekend")],
                    }
                },
            ),
        ),
        (
            paths["/api/v1/history/{node_id}"]["get"],
            404,
            client.get("/api/v1/history/kpm", headers=W),
        ),
        (
            paths["/api/v1/edits/impact"]["get"],
            404,
            client.get("/api/v1/edits/impact", params={"node": "kpm"}),
        ),
        (
            paths["/api/v1/changes/{version}/undo"]["post"],
            404,
            client.post(f"/api/v1/changes/{version(client) + 1}/undo", headers=W),
        ),
        (
            paths["/api/v1/changes/{version}/undo"]["post"],
            409,
            client.post(f"/api/v1/changes/{created}/undo", headers=W),
        ),
    ]
    for operation, status, answer in real:
        assert answer.status_code == status, answer.text
        body = answer.json()
        shapes = [
            {k: e[k] for k in ("title", "errors") if k in e} | {"keys": sorted(e)}
            for e in _examples(operation, status)
        ]
        assert {k: body[k] for k in ("title", "errors") if k in body} | {
            "keys": sorted(body)
        } in shapes, (status, body)
    # the wording of each example is the service's, with its own ids
    assert real[1][2].json()["detail"] == _examples(edits, 404)[0]["detail"].replace(
        "zorgtech-emmen", "kpm"
    )
    assert real[2][2].json()["detail"] == _examples(edits, 412)[0]["detail"]
    assert (
        real[4][2].json()["detail"]
        == _examples(paths["/api/v1/history/{node_id}"]["get"], 404)[0]["detail"]
    )
