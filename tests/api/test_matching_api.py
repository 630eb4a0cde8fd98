"""Partner matching over HTTP on both stores, and on the command line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore
from graph_schema import GraphData, Project, RelType
from tests.conftest import match_graph, org, rel

WRITER = "writer-key-0123456789"
W = {"X-API-Key": WRITER}
PROBLEM = "application/problem+json"


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    store.upsert(match_graph())
    with TestClient(create_app(Settings(api_keys=f"{WRITER}:write"), store=store)) as test_client:
        yield test_client


def partners(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/match/partners", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_partners_of_an_organisation(client: TestClient) -> None:
    body = partners(client, org="acme", top=20)
    ranked = [c["id"] for c in body["candidates"]]
    assert body["asker"]["id"] == "acme"
    assert ranked.index("care") < ranked.index("big")
    assert not {"uni", "x", "acme-labs", "mkb", "acme"} & set(ranked)
    care = body["candidates"][ranked.index("care")]
    assert {c["name"] for c in care["components"]} == {
        "structure",
        "theme",
        "helix",
        "place",
        "activity",
        "existing",
    }
    assert care["introduction"]["summary"] == "Acme Medical (Project p1) — UNI (Project p2) — CARE"
    assert [r["id"] for r in care["introduction"]["introducers"]] == ["uni"]
    assert "Maatschappij: een rol die nog ontbreekt" in care["explanation"]
    assert care["role_label"] == "Maatschappij"
    assert care["introduction_note"] == "introductie via UNI"


def test_the_asker_can_be_named_by_name_or_alias(client: TestClient) -> None:
    by_id = partners(client, org="acme")
    assert partners(client, org="Acme Medical")["candidates"] == by_id["candidates"]
    assert partners(client, org="am")["candidates"] == by_id["candidates"]


def test_answers_are_deterministic(client: TestClient) -> None:
    assert partners(client, org="acme", top=50) == partners(client, org="acme", top=50)


def test_a_need_without_an_organisation(client: TestClient) -> None:
    response = client.post(
        "/api/v1/match",
        json={"themes": ["theme-care"], "roles": ["civil_society"], "place": "Roden", "lang": "nl"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["asker"] is None
    assert [c["id"] for c in body["candidates"]] == ["care"]
    assert "werkt aan Care" in body["candidates"][0]["explanation"]


def test_a_need_with_a_team_and_weights(client: TestClient) -> None:
    response = client.post(
        "/api/v1/match",
        json={
            "team": ["uni"],
            "themes": ["theme-care"],
            "weights": {"structure": 0, "helix": 0, "activity": 0, "existing": 5},
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["weights"]["existing"] == 5
    ranked = [c["id"] for c in body["candidates"]]
    assert ranked[-1] in {"care", "acme-labs"}  # uni's partners carry the penalty
    assert "uni" not in ranked


@pytest.mark.parametrize(
    ("method", "path", "payload", "status", "words"),
    [
        ("GET", "/api/v1/match/partners", {"org": "nobody"}, 404, "nobody"),
        ("GET", "/api/v1/match/partners", {"org": "acme", "theme": "theme-nope"}, 422, "theme"),
        ("GET", "/api/v1/match/partners", {"org": "acme", "place": "Atlantis"}, 422, "place"),
        ("GET", "/api/v1/match/partners", {"org": "acme", "role": "pirates"}, 422, "role"),
        ("GET", "/api/v1/match/partners", {}, 422, "org"),
        ("POST", "/api/v1/match", {}, 422, "zeg wat er gezocht wordt"),
        ("POST", "/api/v1/match?lang=en", {}, 422, "say what to match"),
        ("POST", "/api/v1/match", {"org": "Nobody Here"}, 404, "org: geen organisatie heeft"),
        (
            "GET",
            "/api/v1/match/partners",
            {"org": "acme", "place": "Atlantis"},
            422,
            "place: onbekende plaats of regio ‘Atlantis’",
        ),
        ("POST", "/api/v1/match", {"team": ["ghost"]}, 404, "ghost"),
        ("POST", "/api/v1/match", {"org": "acme", "top": 0}, 422, "top"),
        ("POST", "/api/v1/match", {"org": "acme", "weights": {"theme": -1}}, 422, "theme"),
        ("POST", "/api/v1/match", {"org": "acme", "colour": "red"}, 422, "colour"),
    ],
)
def test_bad_requests_are_problems_naming_what_is_wrong(
    client: TestClient,
    method: str,
    path: str,
    payload: dict[str, Any],
    status: int,
    words: str,
) -> None:
    if method == "GET":
        response = client.get(path, params=payload)
    else:
        response = client.post(path, json=payload)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert words in response.json()["detail"]


def test_the_index_is_built_once_per_graph_version(client: TestClient) -> None:
    service = client.app.state.matching  # type: ignore[attr-defined]
    partners(client, org="acme")
    partners(client, org="care")
    assert service.builds == 1
    created = client.post(
        "/api/v1/organisations",
        json={
            "id": "newco",
            "label": "Organisation",
            "name": "NewCo",
            "helix_role": "industry",
            "org_type": "company",
        },
        headers=W,
    )
    assert created.status_code == 201, created.text
    response = client.post(
        "/api/v1/relationships",
        json={
            "type": "PARTICIPATES_IN",
            "source": "newco",
            "target": "p2",
            "role": "partner",
            "provenance": {"source": "test", "section": "s", "quote": "q"},
        },
        headers=W,
    )
    assert response.status_code in {200, 201}, response.text
    ranked = [c["id"] for c in partners(client, org="acme", top=50)["candidates"]]
    assert "newco" in ranked  # two steps away through uni now
    assert service.builds == 2


def test_the_drenthe_business_developer_question(store: GraphStore) -> None:
    seed_store(store)
    with TestClient(create_app(Settings(), store=store)) as client:
        body = partners(client, org="BDRC", top=10)
        assert len(body["candidates"]) == 10
        assert body["asker"]["id"] == "bdrc"
        ids = [c["id"] for c in body["candidates"]]
        links = client.get("/api/v1/organisations/bdrc/neighbourhood").json()
        neighbours = {n["id"] for n in links["nodes"]}
        assert not set(ids) & neighbours - {"bdrc"}  # nobody bdrc already works with
        focused = partners(client, org="bdrc", keyword="diabetes", theme="theme-digitalisering")
        for candidate in focused["candidates"]:
            assert "theme-digitalisering" in {t["id"] for t in candidate["shared_themes"]}


def test_no_new_diabetes_partner_for_bdrc_is_explained_and_relaxed(store: GraphStore) -> None:
    seed_store(store)
    with TestClient(create_app(Settings(), store=store)) as client:
        body = partners(client, org="bdrc", keyword="diabetes")
        assert len(body["candidates"]) == 10
        explanation = body["explanation"]
        assert explanation["relaxed"] == ["topics"]
        existing = next(r for r in explanation["removed_by"] if r["constraint"] == "existing")
        assert existing["count"] == 4
        assert "Treant Zorggroep" in existing["text"]
        assert explanation["summary"].startswith("Geen nieuwe kandidaat werkt aan ‘diabetes’")
        need = {
            "themes": ["theme-medische-technologie"],
            "roles": ["knowledge"],
            "place": "Emmen",
            "keywords": ["diabetes"],
        }
        found = client.post("/api/v1/match", json=need).json()["candidates"]
        assert found[0]["id"] == "bdrc"
        assert "‘diabetes’ in de naam, in de beschrijving" in found[0]["explanation"]


def test_texts_are_dutch_by_default_and_english_when_asked(client: TestClient) -> None:
    def care(body: dict[str, Any]) -> dict[str, Any]:
        return next(c for c in body["candidates"] if c["id"] == "care")

    dutch = care(partners(client, org="acme"))
    assert dutch["reasons"][0] == "werkt samen met 1 partner van Acme Medical (UNI)"
    english = care(partners(client, org="acme", lang="en"))
    assert english["reasons"][0] == "works with 1 of Acme Medical's partners (UNI)"
    by_header = client.get(
        "/api/v1/match/partners", params={"org": "acme"}, headers={"Accept-Language": "en-GB"}
    ).json()
    assert care(by_header)["reasons"] == english["reasons"]
    need = {"themes": ["theme-care"], "roles": ["civil_society"]}
    posted = client.post("/api/v1/match", json=need).json()
    assert posted["candidates"][0]["role_label"] == "Maatschappij"
    posted_en = client.post("/api/v1/match", json={**need, "lang": "en"}).json()
    assert posted_en["candidates"][0]["role_label"] == "Civil society"
    header_en = client.post("/api/v1/match", json=need, headers={"Accept-Language": "en"}).json()
    assert header_en["candidates"][0]["role_label"] == "Civil society"
    query_en = client.post("/api/v1/match?lang=en", json=need).json()
    assert query_en["candidates"][0]["introduction_note"] == (
        "no introduction path: no asking organisation or team given"
    )
    bad = client.get("/api/v1/match/partners", params={"org": "acme", "lang": "fr"})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == PROBLEM


def test_an_empty_answer_says_why_and_what_to_relax(client: TestClient) -> None:
    response = client.post(
        "/api/v1/match",
        json={"themes": ["theme-care"], "roles": ["government"], "exclude_types": ["government"]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["candidates"] == []
    explanation = body["explanation"]
    removed = {r["constraint"]: r for r in explanation["removed_by"]}
    assert removed["exclude_types"]["count"] == 1
    assert removed["exclude_types"]["examples"] == [
        {"id": "town", "name": "TOWN", "label": "Organisation"}
    ]
    assert explanation["summary"].startswith("Geen kandidaten. Van ")
    assert {s["constraint"]: s["candidates"] for s in explanation["suggestions"]} == {
        "roles": 3,
        "exclude_types": 1,
    }


def test_each_candidate_carries_what_the_explorer_form_shows(client: TestClient) -> None:
    body = client.post(
        "/api/v1/match",
        json={"team": ["uni"], "roles": ["government", "civil_society"], "top": 5},
    ).json()
    for candidate in body["candidates"]:
        assert candidate["role_label"] in {"Overheid", "Maatschappij"}
        assert candidate["eligible_through"] == "primary"
        assert candidate["eligibility"] is None
        assert candidate["introduction_note"]
    care = next(c for c in body["candidates"] if c["id"] == "care")
    assert care["introduction_note"] == "werkt al rechtstreeks samen met UNI"
    assert "werkt al met 1 lid van het team samen — minder nieuw" in care["reasons"]
    # the penalty is named apart, so that a page can show it as a minus
    assert care["penalty"] == "werkt al met 1 lid van het team samen — minder nieuw"
    for candidate in body["candidates"]:
        existing = next(c for c in candidate["components"] if c["name"] == "existing")
        assert (candidate["penalty"] is not None) == (existing["contribution"] < 0)
        if candidate["penalty"] is not None:
            assert candidate["penalty"] in candidate["reasons"]


# --- the command line -------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def seeded_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HELIX_DATA_DIR", str(folder))
    monkeypatch.setenv("HELIX_STORE", "embedded")
    return folder


def test_cli_match_prints_json(seeded_dir: Path) -> None:
    result = runner.invoke(cli, ["match", "BDRC", "--top", "3", "--json"])
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert len(body["candidates"]) == 3
    assert body["asker"]["id"] == "bdrc"
    assert body["candidates"][0]["introduction"]["summary"]


def test_cli_match_a_need_as_a_table(seeded_dir: Path) -> None:
    result = runner.invoke(
        cli,
        ["match", "--theme", "theme-digitalisering", "--role", "civil_society", "--top", "2"],
    )
    assert result.exit_code == 0, result.stderr
    assert "Partners voor de behoefte" in result.stdout


def test_cli_match_speaks_dutch_unless_asked_for_english(seeded_dir: Path) -> None:
    dutch = runner.invoke(cli, ["match", "BDRC", "--top", "2"])
    assert dutch.exit_code == 0, dutch.stderr
    assert "Partners voor Bethesda Diabetes Research Center" in dutch.stdout
    assert "organisatie" in dutch.stdout
    assert "Bedrijfsleven" in dutch.stdout
    english = runner.invoke(cli, ["match", "BDRC", "--top", "2", "--lang", "en"])
    assert english.exit_code == 0, english.stderr
    assert "Partners for Bethesda Diabetes Research Center" in english.stdout
    assert "Industry" in english.stdout


def test_cli_match_says_why_an_answer_is_empty(seeded_dir: Path) -> None:
    result = runner.invoke(cli, ["match", "--role", "knowledge", "--keyword", "xyzzy"])
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert re.search(
        r"^Geen kandidaten\. Van \d+ organisaties vielen af: \d+ hebben niet de rol "
        r"Kennis & onderwijs \(.*\); \d+ werken niet aan ‘xyzzy’",
        text,
    )
    assert re.search(
        r"Wat u kunt verruimen: - Laat ‘xyzzy’ los of kies een breder onderwerp: dat geeft "
        r"\d+ kandidaten\.$",
        text,
    )
    relaxed = runner.invoke(cli, ["match", "bdrc", "--keyword", "diabetes"])
    assert relaxed.exit_code == 0, relaxed.stderr
    assert relaxed.stdout.startswith("Geen nieuwe kandidaat werkt aan ‘diabetes’")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["match", "nobody"], "geen organisatie heeft id, naam of alias 'nobody'"),
        (["match", "nobody", "--lang", "en"], "no organisation has the id, name or alias"),
        (["match"], "zeg wat er gezocht wordt"),
        (["match", "bdrc", "--theme", "theme-nope"], "onbekend thema theme-nope"),
        (["match", "--evaluate", "--cutoff", "yesterday"], "is geen datum"),
    ],
)
def test_cli_match_bad_input_is_one_line_and_exit_1(
    seeded_dir: Path, args: list[str], words: str
) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_evaluate_on_the_drenthe_network(seeded_dir: Path) -> None:
    result = runner.invoke(cli, ["match", "--evaluate", "--rounds", "2", "--json"])
    assert result.exit_code == 0, result.stderr
    rounds = json.loads(result.stdout)
    assert len(rounds) == 2
    methods = [row["method"] for row in rounds[0]["rows"]]
    assert methods == ["matcher", "random", "popularity", "adamic_adar", "helix_theme"]
    table = runner.invoke(cli, ["match", "--evaluate", "--rounds", "2"])
    assert "mean of 2 rounds" in table.stdout


def test_while_the_next_index_is_built_a_new_asker_still_gets_an_answer(
    store: GraphStore,
) -> None:
    """Answers may come from the previous version's index, but never 'unknown' for an
    organisation the request can see: then the new index is waited for."""
    store.upsert(match_graph())
    # enough organisations that the next index is not ready at once
    crowd = [org(f"crowd-{k}") for k in range(3000)]
    projects = [Project(id=f"project-crowd-{k}", name=f"Crowd {k}") for k in range(600)]
    ties = [
        rel(RelType.PARTICIPATES_IN, f"crowd-{k}", f"project-crowd-{(k * 7 + j) % 600}", "partner")
        for k in range(3000)
        for j in range(3)
    ]
    store.upsert(GraphData(nodes=(*crowd, *projects), relationships=tuple(ties)))
    with TestClient(
        create_app(Settings(api_keys=f"{WRITER}:write", fresh_wait=0), store=store)
    ) as impatient:
        before = partners(impatient, org="acme")["version"]
        newco = {"id": "newco", "name": "NewCo", "helix_role": "industry", "org_type": "company"}
        assert impatient.post("/api/v1/organisations", json=newco, headers=W).status_code == 201
        body = partners(impatient, org="newco")
        assert body["asker"]["id"] == "newco"
        assert body["version"] > before
        # an asker both versions know may be answered from either, and says which
        assert partners(impatient, org="acme")["version"] in {before, body["version"]}
