"""Proposals over HTTP: upload a document, read the proposal back, review it into the graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import Settings
from app.store import EmbeddedStore, GraphStore
from tests.services.test_proposals import DUTCH, docx, graph

WRITER = "writer-key-0123456789"
W = {"X-API-Key": WRITER}
PROBLEM = "application/problem+json"


@pytest.fixture
def client(store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    store.upsert(graph())
    settings = Settings(api_keys=f"{WRITER}:write", data_dir=tmp_path)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def upload(client: TestClient, text: str = DUTCH) -> dict[str, Any]:
    response = client.post(
        "/api/v1/proposals",
        content=text.encode(),
        headers={**W, "Content-Type": "text/plain", "X-Filename": "plan.txt"},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def ref(items: list[dict[str, Any]], name: str) -> str:
    return next(str(item["ref"]) for item in items if item["name"] == name)


def test_a_document_becomes_a_proposal_kept_until_reviewed(
    client: TestClient, tmp_path: Path
) -> None:
    proposal = upload(client)
    assert proposal["source"] == "plan.txt"
    assert {"id", "source", "organisations", "links", "activities"} <= set(proposal)
    assert (tmp_path / "proposals" / f"{proposal['id']}.json").exists()
    again = client.get(f"/api/v1/proposals/{proposal['id']}", headers=W)
    assert again.status_code == 200
    assert again.json()["links"] == proposal["links"]
    # nothing is in the graph yet
    assert client.get("/api/v1/organisations/stichting-beter-thuis").status_code == 404


def test_a_form_upload_of_a_word_document(client: TestClient) -> None:
    data = docx([("Samenwerking", "Heading1"), ("Het UMCG neemt deel aan Zorgpad Noord.", None)])
    response = client.post("/api/v1/proposals", files={"file": ("plan.docx", data)}, headers=W)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["source"] == "plan.docx"
    [link] = body["links"]
    assert (link["organisation_id"], link["activity_id"], link["section"]) == (
        "umcg",
        "project-zorgpad-noord",
        "Samenwerking",
    )


def test_accepted_items_are_written_in_one_version_with_the_document_as_source(
    client: TestClient,
) -> None:
    proposal = upload(client)
    new = ref(proposal["organisations"], "Stichting Beter Thuis")
    link = next(
        item["ref"]
        for item in proposal["links"]
        if item["organisation"] == new and item["activity_id"] == "project-zorgpad-noord"
    )
    alliance = ref(proposal["organisations"], "Groene Zorgalliantie")
    version = client.get("/health").json()["version"]
    response = client.post(
        f"/api/v1/proposals/{proposal['id']}/review",
        json={
            "items": [
                {"ref": new, "decision": "edit", "edit": {"place": "Assen"}},
                {"ref": link, "decision": "accept"},
                {"ref": alliance, "decision": "reject"},
            ]
        },
        headers=W,
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["created"] == 2
    assert result["written"] == {new: "stichting-beter-thuis"}
    assert result["decisions"] == {new: "accepted", alliance: "rejected", link: "accepted"}
    assert result["status"] == "open"
    stored = client.get("/api/v1/organisations/stichting-beter-thuis").json()
    assert stored["place"] == "Assen"
    assert stored["helix_role"] == "civil_society"
    assert stored["provenance"]["source"] == "plan.txt"
    assert stored["provenance"]["section"] == "Zorg op afstand"
    after = client.get("/api/v1/changes", params={"since": version}).json()
    assert len(after["data"]) == 1  # one version for the whole review
    assert after["data"][0]["version"] == version + 1
    kept = client.get(f"/api/v1/proposals/{proposal['id']}", headers=W).json()
    assert kept["decisions"][new] == "accepted"


def test_a_link_to_an_item_not_accepted_writes_nothing(client: TestClient) -> None:
    proposal = upload(client)
    new = ref(proposal["organisations"], "Stichting Beter Thuis")
    link = next(item["ref"] for item in proposal["links"] if item["organisation"] == new)
    response = client.post(
        f"/api/v1/proposals/{proposal['id']}/review",
        json={
            "items": [{"ref": link, "decision": "accept"}, {"ref": "org-99", "decision": "accept"}]
        },
        headers=W,
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    wheres = {error["where"] for error in response.json()["errors"]}
    assert wheres == {link, "org-99"}
    assert "niet is aangenomen" in response.text
    assert client.get("/api/v1/organisations/stichting-beter-thuis").status_code == 404


def test_a_bad_file_is_a_problem_in_the_readers_language(client: TestClient) -> None:
    response = client.post(
        "/api/v1/proposals",
        content=b"%PDF-1.7 broken",
        headers={**W, "Content-Type": "application/pdf", "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["detail"].startswith("the file (pdf) cannot be read")
    dutch = client.post(
        "/api/v1/proposals", content=b"", headers={**W, "Content-Type": "text/plain"}
    )
    assert dutch.status_code == 422
    assert "stuur het document" in dutch.json()["detail"]


def test_proposals_need_a_writer_and_unknown_ones_are_not_found(client: TestClient) -> None:
    assert client.post("/api/v1/proposals", content=DUTCH.encode()).status_code == 401
    missing = client.get("/api/v1/proposals/prop-0000000000000000", headers=W)
    assert missing.status_code == 404
    assert "er is geen voorstel met id" in missing.json()["detail"]


def test_the_command_line_proposes_a_file(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not isinstance(store, EmbeddedStore):
        pytest.skip("the command line opens the store of the settings: the embedded one here")
    monkeypatch.setenv("HELIX_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.setenv("HELIX_STORE", "embedded")
    monkeypatch.setenv("HELIX_SEED_ON_FIRST_START", "false")
    (tmp_path / "cli").mkdir()
    with EmbeddedStore(tmp_path / "cli" / "helixgraph.sqlite3") as own:
        own.upsert(graph())
    document = tmp_path / "plan.txt"
    document.write_text(DUTCH, "utf-8")
    result = CliRunner().invoke(cli, ["propose", str(document)])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("plan.txt: 5 organisaties (2 nieuw), 4 koppelingen")
    assert (
        "Stichting Beter Thuis → nieuw: civil_society, civil_society_organisation" in result.output
    )
    assert list((tmp_path / "cli" / "proposals").glob("prop-*.json"))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 broken")
    failed = CliRunner().invoke(cli, ["propose", str(broken)])
    assert failed.exit_code == 1
    assert "het bestand (pdf) is niet te lezen" in failed.output


def test_a_wrong_edit_is_named_field_by_field_in_the_readers_language(client: TestClient) -> None:
    proposal = upload(client)
    new = ref(proposal["organisations"], "Stichting Beter Thuis")
    url = f"/api/v1/proposals/{proposal['id']}/review"
    items = [
        {"ref": new, "decision": "edit", "edit": {"helix_role": "koning", "colour": "blauw"}},
    ]
    dutch = client.post(url, json={"items": items[:1]}, headers=W)
    assert dutch.status_code == 422
    [error] = dutch.json()["errors"]
    assert error["where"] == new
    assert error["message"] == f"'{new}': onbekende velden om te wijzigen: colour"
    items[0]["edit"] = {"helix_role": "koning"}
    english = client.post(url, json={"items": items}, headers={**W, "Accept-Language": "en"})
    [error] = english.json()["errors"]
    assert error["message"].startswith(f"{new}: helix_role: ")
    assert "government" in error["message"]  # the roles it may be
    assert client.get("/api/v1/organisations/stichting-beter-thuis").status_code == 404


def test_the_same_document_again_is_the_same_proposal_until_the_graph_changes(
    client: TestClient,
) -> None:
    first = upload(client)
    alliance = ref(first["organisations"], "Groene Zorgalliantie")
    rejected = client.post(
        f"/api/v1/proposals/{first['id']}/review",
        json={"items": [{"ref": alliance, "decision": "reject"}]},
        headers=W,
    )
    assert rejected.json()["version"] is None  # a rejection writes nothing
    again = upload(client)
    assert again["id"] == first["id"]
    assert again["decisions"] == {alliance: "rejected"}
    new = ref(first["organisations"], "Stichting Beter Thuis")
    client.post(
        f"/api/v1/proposals/{first['id']}/review",
        json={"items": [{"ref": new, "decision": "accept"}]},
        headers=W,
    )
    after = upload(client)
    assert after["id"] != first["id"]  # read against the new graph: now it knows the foundation
    stichting = next(o for o in after["organisations"] if o["name"] == "Stichting Beter Thuis")
    assert stichting["existing_id"] == "stichting-beter-thuis"


def test_a_link_accepted_later_joins_the_organisation_accepted_before(client: TestClient) -> None:
    proposal = upload(client)
    url = f"/api/v1/proposals/{proposal['id']}/review"
    new = ref(proposal["organisations"], "Stichting Beter Thuis")
    link = next(item["ref"] for item in proposal["links"] if item["organisation"] == new)
    first = client.post(url, json={"items": [{"ref": new, "decision": "accept"}]}, headers=W)
    assert first.json()["created"] == 1
    second = client.post(url, json={"items": [{"ref": link, "decision": "accept"}]}, headers=W)
    assert second.status_code == 200, second.text
    assert (second.json()["created"], second.json()["version"]) == (1, first.json()["version"] + 1)
    edges = client.get("/api/v1/organisations/stichting-beter-thuis/neighbourhood").json()
    assert "project-zorgpad-noord" in str(edges)
    wrong = client.post(
        url,
        json={"items": [{"ref": new, "decision": "edit", "edit": {"existing_id": "nergens"}}]},
        headers=W,
    )
    assert wrong.status_code == 422
    assert "er is geen knoop met id 'nergens'" in wrong.text
