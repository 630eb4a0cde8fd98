"""Every problem detail in the request's language: Dutch unless English is asked.

An integrator who sends a wrong key, writes over a newer version, deletes what is not
there or asks for a version that was never analysed reads what to fix in Dutch; with
``lang=en`` or ``Accept-Language: en`` in English. A Dutch detail holds no word that only
the English catalogue uses, an English one no word that only the Dutch catalogue uses;
quoted values ('kpn', 'write') are data, not language, and are left out of that count.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.security import key_id_of
from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore
from tests import language
from tests.api.test_conditional import build_app

WRITER = "writer-key-0123456789"
READER = "reader-key-0123456789"
CONTACTS = "contacts-key-0123456789"
W = {"X-API-Key": WRITER}
PROBLEM = "application/problem+json"

QUOTED = re.compile(r"'[^']*'")


def words(text: str) -> set[str]:
    """The words of a detail, quoted values (ids, names) left out."""
    return language.words(QUOTED.sub(" ", text))


ENGLISH_ONLY = language.english_only()
DUTCH_ONLY = language.dutch_only()


def test_the_word_lists_tell_the_languages_apart() -> None:
    assert {"the", "with", "exists", "changed", "relationship"} <= ENGLISH_ONLY
    assert {"geen", "met", "bestaat", "gewijzigd", "relatie"} <= DUTCH_ONLY
    assert words("dit verzoek vraagt een API-sleutel met het recht 'write'") & ENGLISH_ONLY == set()
    assert words("there is no organisation with id 'nobody'") & ENGLISH_ONLY


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    seed_store(store)
    keys = f"{WRITER}:write,{READER}:read,{CONTACTS}:contacts"
    settings = Settings(api_keys=keys, open_reads=True)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Case:
    """One mistake an integrator makes, and what the answer says in both languages."""

    name: str
    method: str
    path: str
    status: int
    dutch: str
    english: str
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    params: dict[str, Any] = field(default_factory=dict)


NEW_ORG = {"id": "kpn", "name": "KPN", "helix_role": "industry", "org_type": "company"}
UNKNOWN_END = {
    "type": "PARTNER_IN",
    "source": "bestaat-niet",
    "target": "action-dig-1",
    "provenance": {"source": "intake", "section": "gesprek", "quote": "doet mee"},
}

CASES = [
    Case(
        "401 without a key",
        "POST",
        "/api/v1/organisations",
        401,
        "dit verzoek vraagt een API-sleutel met het recht 'write'",
        "this request needs an API key with scope 'write'",
        body=NEW_ORG,
    ),
    Case(
        "401 unknown key",
        "DELETE",
        "/api/v1/organisations/kpn",
        401,
        "de API-sleutel is niet geldig",
        "the API key is not valid",
        headers={"X-API-Key": "nobody-knows-this-key-0123"},
    ),
    Case(
        "403 lacking scope",
        "POST",
        "/api/v1/organisations",
        403,
        f"API-sleutel '{key_id_of(READER)}' heeft het recht 'write' niet",
        f"API key '{key_id_of(READER)}' lacks the scope 'write'",
        headers={"X-API-Key": READER},
        body=NEW_ORG,
    ),
    Case(
        "403 lacking contacts",
        "GET",
        "/api/v1/organisations/kpn/contacts",
        403,
        f"API-sleutel '{key_id_of(WRITER)}' heeft het recht 'contacts' niet",
        f"API key '{key_id_of(WRITER)}' lacks the scope 'contacts'",
        headers=W,
    ),
    Case(
        "400 two keys",
        "GET",
        "/api/v1/organisations/kpn",
        400,
        "X-API-Key en Authorization: Bearer bevatten verschillende sleutels; stuur er één",
        "X-API-Key and Authorization: Bearer carry different keys; send one",
        headers={"X-API-Key": WRITER, "Authorization": f"Bearer {READER}"},
    ),
    Case(
        "404 organisation deleted",
        "DELETE",
        "/api/v1/organisations/nobody",
        404,
        "er is geen organisatie met id 'nobody'",
        "there is no organisation with id 'nobody'",
        headers=W,
    ),
    Case(
        "404 organisation's contacts",
        "GET",
        "/api/v1/organisations/nobody/contacts",
        404,
        "er is geen organisatie met id 'nobody'",
        "there is no organisation with id 'nobody'",
        headers={"X-API-Key": CONTACTS},
    ),
    Case(
        "404 relationship",
        "DELETE",
        "/api/v1/relationships/PARTNER_IN/kpn/action-dig-1",
        404,
        "er is geen relatie PARTNER_IN van 'kpn' naar 'action-dig-1'",
        "there is no PARTNER_IN relationship from 'kpn' to 'action-dig-1'",
        headers=W,
    ),
    Case(
        "409 exists",
        "POST",
        "/api/v1/organisations",
        409,
        "Organisatie 'kpn' bestaat al",
        "Organisation 'kpn' exists already",
        headers=W,
        body=NEW_ORG,
    ),
    Case(
        "412 stale",
        "PUT",
        "/api/v1/organisations/kpn",
        412,
        "deze gegevens zijn gewijzigd sinds ze gelezen werden; "
        "haal ze opnieuw op voor de actuele ETag",
        "the resource has changed since it was read; fetch it again for its current ETag",
        headers={**W, "If-Match": '"read-long-ago"'},
        body=NEW_ORG,
    ),
    Case(
        "412 not there",
        "PUT",
        "/api/v1/organisations/nieuw-bedrijf",
        412,
        "If-Match is meegestuurd, maar deze gegevens bestaan niet",
        "If-Match was sent, but the resource does not exist",
        headers={**W, "If-Match": "*"},
        body={**NEW_ORG, "id": "nieuw-bedrijf"},
    ),
    Case(
        "422 invalid graph",
        "POST",
        "/api/v1/relationships",
        422,
        "1 probleem in de ingestuurde graafgegevens",
        "1 problem in the submitted graph data",
        headers=W,
        body=UNKNOWN_END,
    ),
    Case(
        "404 compare version",
        "GET",
        "/api/v1/analytics/compare",
        404,
        "versie 999999 is sinds de start van de dienst niet geanalyseerd; "
        "vergelijk met een van de geanalyseerde versies: ",
        "version 999999 is not among the versions analysed since the service started; "
        "compare with one of them: ",
        params={"since": 999_999},
    ),
]


def assert_dutch(detail: str) -> None:
    stray = words(detail) & ENGLISH_ONLY
    assert not stray, f"{detail!r}: {sorted(stray)}"


def assert_english(detail: str) -> None:
    stray = words(detail) & DUTCH_ONLY
    assert not stray, f"{detail!r}: {sorted(stray)}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_kind_of_problem_is_dutch_and_english_on_request(
    client: TestClient, case: Case
) -> None:
    dutch = client.request(
        case.method, case.path, headers=case.headers, json=case.body, params=case.params
    )
    assert dutch.status_code == case.status, dutch.text
    assert dutch.headers["content-type"] == PROBLEM
    detail = dutch.json()["detail"]
    assert case.dutch in detail
    assert_dutch(detail)
    assert_dutch(dutch.json()["title"])

    english = client.request(
        case.method,
        case.path,
        headers=case.headers,
        json=case.body,
        params={**case.params, "lang": "en"},
    )
    assert english.status_code == case.status, english.text
    assert case.english in english.json()["detail"]
    assert_english(english.json()["detail"])

    asked = client.request(
        case.method,
        case.path,
        headers={**case.headers, "Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"},
        json=case.body,
        params=case.params,
    )
    assert asked.json()["detail"] == english.json()["detail"]


def test_the_compare_problem_names_the_versions_to_choose(client: TestClient) -> None:
    version = client.get("/api/v1/analytics/kpis").json()["version"]
    detail = client.get("/api/v1/analytics/compare", params={"since": 999_999}).json()["detail"]
    assert detail.endswith(f"geanalyseerde versies: {version}"), detail


def test_no_detail_shows_a_key_or_a_python_repr(client: TestClient) -> None:
    for case in CASES:
        for lang in ("nl", "en"):
            body = client.request(
                case.method,
                case.path,
                headers=case.headers,
                json=case.body,
                params={**case.params, "lang": lang},
            ).text
            for secret in (WRITER, READER, CONTACTS):
                assert secret not in body, case.name
            for python in ("<", "NodeLabel.", "RelType.", "Scope.", '\\"', "error."):
                assert python not in body, (case.name, python, body)


# --- If-Match demanded, If-None-Match on a write: the conditional requests themselves


def test_conditional_problems_are_dutch_and_english_on_request() -> None:
    strict = TestClient(build_app(required=True))
    required = strict.put("/things/a", params={"size": 2})
    assert required.status_code == 428
    assert required.json()["detail"] == (
        "deze wijziging vraagt een If-Match-header met de actuele ETag van deze gegevens"
    )
    assert_dutch(required.json()["detail"])
    english = strict.put("/things/a", params={"size": 2, "lang": "en"})
    assert english.json()["detail"] == (
        "this update needs an If-Match header with the resource's current ETag"
    )

    create_only = strict.put("/things/a", params={"size": 2}, headers={"If-None-Match": "*"})
    assert create_only.status_code == 412
    assert create_only.json()["detail"] == (
        "If-None-Match komt overeen met de huidige versie van deze gegevens"
    )
    assert_dutch(create_only.json()["detail"])
    english = strict.put(
        "/things/a", params={"size": 2}, headers={"If-None-Match": "*", "Accept-Language": "en"}
    )
    assert english.json()["detail"] == "If-None-Match matches the current representation"


# --- the store away: 503 in the asked language


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_a_graph_database_that_never_answered_is_503_in_dutch() -> None:
    settings = Settings(
        store="neo4j",
        neo4j_uri=f"bolt://127.0.0.1:{_free_port()}",
        neo4j_password="no-server-listens-here",
        neo4j_timeout=1,
        open_reads=True,
    )
    with TestClient(create_app(settings)) as client:
        dutch = client.get("/api/v1/organisations")
        assert dutch.status_code == 503
        assert dutch.json()["title"] == "Opslag niet beschikbaar"
        assert dutch.json()["detail"] == (
            "de graafdatabase heeft sinds de start van de dienst nog niet geantwoord"
        )
        english = client.get("/api/v1/organisations", params={"lang": "en"})
        assert english.status_code == 503
        assert english.json()["detail"] == "the graph database has not answered since start-up"


# --- a refused import: every problem of the document in the request's language

INTAKE = {"source": "intake", "section": "gesprek", "quote": "doet mee"}
BROKEN_IMPORT = {
    "format": "helixgraph",
    "schema_version": 2,
    "nodes": [
        {
            "id": "acme",
            "label": "Organisation",
            "name": "Acme",
            "helix_role": "royalty",
            "org_type": "company",
        },
        {
            "id": "nieuw-bedrijf",
            "label": "Organisation",
            "name": "Nieuw Bedrijf",
            "helix_role": "industry",
            "org_type": "company",
        },
        {
            "id": "nieuw-bedrijf",
            "label": "Organisation",
            "name": "Nieuw Bedrijf BV",
            "helix_role": "industry",
            "org_type": "company",
        },
    ],
    "edges": [
        {"source": "nieuw-bedrijf", "target": "action-dig-1", "type": "PARTNER_IN"},
        {
            "source": "nieuw-bedrijf",
            "target": "bestaat-niet",
            "type": "PARTNER_IN",
            "provenance": INTAKE,
        },
    ],
}
ROLES = "'government', 'knowledge', 'industry'"
# where each problem is, and what it says in Dutch and in English
IMPORT_PROBLEMS = {
    "schema_version": (
        "document",
        "schema_version moet 1 zijn",
        "schema_version must be 1",
    ),
    "helix role": (
        "nodes[0] (id=acme)",
        f"helix_role: moet {ROLES} of 'civil_society' zijn, niet 'royalty'",
        f"helix_role: must be {ROLES} or 'civil_society', not 'royalty'",
    ),
    "provenance": (
        "edges[0] (nieuw-bedrijf -PARTNER_IN-> action-dig-1)",
        "provenance: is verplicht",
        "provenance: is required",
    ),
    "duplicate id": (
        "node nieuw-bedrijf",
        "id 'nieuw-bedrijf' komt 2 keer voor",
        "duplicate id 'nieuw-bedrijf' (2 nodes share it)",
    ),
    "unknown target": (
        "PARTNER_IN nieuw-bedrijf -> bestaat-niet",
        "target 'bestaat-niet' is geen bekend id",
        "unknown target id 'bestaat-niet'",
    ),
}


def _import_problems(client: TestClient, **params: str) -> dict[str, str]:
    response = client.post("/api/v1/import", json=BROKEN_IMPORT, headers=W, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    errors = response.json()["errors"]
    assert len(errors) == len(IMPORT_PROBLEMS), errors
    return {error["where"]: error["message"] for error in errors}


@pytest.mark.parametrize("problem", IMPORT_PROBLEMS, ids=list(IMPORT_PROBLEMS))
def test_a_refused_import_names_each_problem_in_dutch_and_english_on_request(
    client: TestClient, problem: str
) -> None:
    where, dutch, english = IMPORT_PROBLEMS[problem]

    by_default = _import_problems(client)
    assert by_default[where] == dutch
    assert_dutch(by_default[where])

    asked = _import_problems(client, lang="en")
    assert asked[where] == english
    assert_english(asked[where])


def test_a_refused_import_is_dutch_throughout_and_changes_nothing(client: TestClient) -> None:
    response = client.post("/api/v1/import", json=BROKEN_IMPORT, headers=W)
    body = response.json()
    assert body["detail"] == "5 problemen in de ingestuurde graafgegevens"
    for error in body["errors"]:
        assert_dutch(error["message"])
    for python in ("<", "NodeLabel.", "RelType.", "Input should", "Field required", "error."):
        assert python not in response.text, python
    english = client.post(
        "/api/v1/import", json=BROKEN_IMPORT, headers={**W, "Accept-Language": "en"}
    )
    assert english.json()["detail"] == "5 problems in the submitted graph data"
    by_lang = client.post("/api/v1/import", json=BROKEN_IMPORT, headers=W, params={"lang": "en"})
    assert english.json()["errors"] == by_lang.json()["errors"]
    assert client.get("/api/v1/organisations/nieuw-bedrijf").status_code == 404


@pytest.mark.parametrize(
    ("content", "dutch", "english"),
    [
        (
            b'{"nodes": [',
            "geen geldige JSON op regel 1, kolom 12: hier hoort een waarde",
            "not valid JSON at line 1 column 12: Expecting value",
        ),
        (
            b'{"nodes": [], "edges": [] "extra": 1}',
            "geen geldige JSON op regel 1, kolom 27: hier hoort een komma",
            "not valid JSON at line 1 column 27: Expecting ',' delimiter",
        ),
        (
            b'{"nodes": {}, "edges": []}',
            "nodes moet een lijst zijn",
            "nodes must be a list",
        ),
        (
            b"[1, 2]",
            "het document moet een JSON-object met nodes en edges zijn",
            "expected a JSON object with nodes and edges",
        ),
    ],
    ids=["cut off", "comma missing", "nodes not a list", "not an object"],
)
def test_an_unreadable_import_says_why_in_dutch_and_english_on_request(
    client: TestClient, content: bytes, dutch: str, english: str
) -> None:
    headers = {**W, "Content-Type": "application/json"}
    for lang, said in (("nl", dutch), ("en", english)):
        response = client.post(
            "/api/v1/import", content=content, headers=headers, params={"lang": lang}
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [{"where": "document", "message": said}]


def test_a_place_that_contradicts_its_province_is_said_in_dutch(client: TestClient) -> None:
    organisation = {
        "id": "zorgbedrijf-emmen",
        "name": "Zorgbedrijf Emmen",
        "helix_role": "industry",
        "org_type": "company",
        "place": "Emmen",
        "province": "Groningen",
    }
    dutch = client.post("/api/v1/organisations", json=organisation, headers=W)
    assert dutch.status_code == 422, dutch.text
    assert "Emmen ligt in de provincie Drenthe" in dutch.json()["detail"]
    assert_dutch(dutch.json()["detail"])
    english = client.post("/api/v1/organisations?lang=en", json=organisation, headers=W)
    assert "place Emmen lies in the province Drenthe" in english.json()["detail"]
