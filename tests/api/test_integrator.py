"""The integrator's tasks: a developer of another provincial system who reads /docs and
nothing else builds on the API — readable operations, described fields, organisations
named as people name them, a change log to follow without missing a change, errors that
say what to fix in the language asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.core import GraphCore
from app.core.neighbourhood import neighbourhood
from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore
from tests.serving import serving, start_service

WRITER = "writer-key-0123456789"
W = {"X-API-Key": WRITER}
PROBLEM = "application/problem+json"


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    seed_store(store)
    settings = Settings(api_keys=f"{WRITER}:write", open_reads=True)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def openapi() -> dict[str, Any]:
    document: dict[str, Any] = create_app(Settings(open_reads=True)).openapi()
    return document


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


# --------------------------------------------------------------------------- the document


def test_operation_ids_are_readable_and_unique() -> None:
    ids = [operation["operationId"] for _, _, operation in operations(openapi())]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert all("_api_v1_" not in i and not i.endswith(("_get", "_post")) for i in ids), ids
    for wanted in (
        "list_organisations",
        "get_organisation",
        "create_organisation",
        "list_actions",
        "get_project",
        "list_sdg_links",
        "list_changes",
        "stream_changes",
        "get_neighbourhood",
        "find_paths",
    ):
        assert wanted in ids


def test_summaries_are_grammatical() -> None:
    summaries = [operation["summary"] for _, _, operation in operations(openapi())]
    assert "Create an organisation" in summaries
    assert "Everything an SDG is linked to" in summaries
    bad = [s for s in summaries if any(f" a {v}" in f" {s}" for v in "aeiouAEIOU")]
    assert bad == []
    assert not [s for s in summaries if " a SDG" in s or "sdgs" in s]


def _undescribed(name: str, schema: dict[str, Any], found: list[str]) -> None:
    for field, prop in schema.get("properties", {}).items():
        if not prop.get("description"):
            found.append(f"{name}.{field}")


def test_every_field_of_every_model_is_described() -> None:
    schemas = openapi()["components"]["schemas"]
    missing: list[str] = []
    for name, schema in schemas.items():
        _undescribed(name, schema, missing)
    assert missing == []


def test_every_parameter_is_described() -> None:
    missing = [
        f"{method} {path} {parameter['name']}"
        for method, path, operation in operations(openapi())
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert missing == []


def test_open_reads_list_no_credentials_as_an_alternative_only_on_reads() -> None:
    document = openapi()
    keys: list[dict[str, list[str]]] = [{"APIKeyHeader": []}, {"HTTPBearer": []}]
    assert document["security"] == [*keys, {}]
    for method, path, operation in operations(document):
        security = operation.get("security", document["security"])
        if security == []:  # health, readiness, the catalogue: no key at all
            continue
        needs_more = method not in {"GET", "HEAD"} and not path.startswith("/api/v1/match")
        needs_more |= path in {
            "/api/v1/audit",
            "/api/v1/organisations/{node_id}/contacts",
            "/api/v1/history/{node_id}",
            "/api/v1/proposals/{proposal_id}",
        }
        assert ({} in security) is not needs_more, f"{method} {path}: {security}"
        # a generator reads an operation's own list as "a key is required": an open read
        # inherits the document's instead of carrying one
        assert ("security" in operation) is needs_more, f"{method} {path}"
        if needs_more:
            assert operation["security"] == keys, f"{method} {path}"
    closed = create_app(Settings(open_reads=False)).openapi()
    assert "security" not in closed
    for method, path, operation in operations(closed):
        assert {} not in operation.get("security", [{"key": []}]), f"{method} {path}"


def test_open_reads_are_really_open(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    readable = [
        path
        for method, path, operation in operations(document)
        if method == "GET"
        and {} in operation.get("security", document["security"])
        and "{" not in path
    ]
    assert "/api/v1/organisations" in readable
    # a version this service analysed: compare accepts no other, the change log any
    version = client.get("/api/v1/analytics/kpis").json()["version"]
    for path in readable:
        if path.endswith("/stream"):
            continue
        params = {"from": "bdrc", "to": "kpn", "org": "bdrc", "node": "bdrc", "since": version}
        answer = client.get(path, params=params)
        assert answer.status_code == 200, (path, answer.text)


# ------------------------------------------------------------- organisations named freely


@pytest.mark.parametrize("name", ["bdrc", "Bethesda Diabetes Research Center", "BDRC"])
def test_paths_take_an_id_a_name_or_an_alias(client: TestClient, name: str) -> None:
    by_id = client.get("/api/v1/paths", params={"from": "bdrc", "to": "kpn"}).json()
    answer = client.get("/api/v1/paths", params={"from": name, "to": "KPN"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == by_id
    assert by_id[0]["summary"].startswith("Bethesda Diabetes Research Center — ")


@pytest.mark.parametrize("name", ["Bethesda Diabetes Research Center", "BDRC"])
def test_the_neighbourhood_takes_a_name_or_an_alias(client: TestClient, name: str) -> None:
    by_id = client.get("/api/v1/organisations/bdrc/neighbourhood").json()
    answer = client.get(f"/api/v1/organisations/{name}/neighbourhood")
    assert answer.status_code == 200, answer.text
    assert answer.json() == by_id


def test_an_unknown_organisation_is_a_422_with_the_closest_names(client: TestClient) -> None:
    answer = client.get("/api/v1/paths", params={"from": "Helth Hub Rodn", "to": "Kaapstad"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["title"] == "Ongeldig verzoek"
    assert "Kaapstad" in problem["detail"] or "Helth Hub Rodn" in problem["detail"]
    assert "from: geen organisatie heeft id, naam of alias 'Helth Hub Rodn'" in problem["detail"]
    assert "Health Hub Roden (health-hub-roden)" in problem["suggestions"]
    english = client.get(
        "/api/v1/organisations/Nobody Here/neighbourhood", headers={"Accept-Language": "en"}
    )
    assert english.status_code == 422
    assert "no organisation has the id, name or alias 'Nobody Here'" in english.json()["detail"]


# ------------------------------------------------------------- neighbourhood in hops


def _organisations(view: dict[str, Any]) -> set[str]:
    return {n["id"] for n in view["nodes"] if n["label"] == "Organisation"}


@pytest.mark.parametrize("org", ["umcg", "bdrc", "nom"])
def test_depth_one_is_the_explorers_one_step(
    client: TestClient, store: GraphStore, org: str
) -> None:
    """depth=1: the partners, as the explorer's "1 stap" showed them (the organisations
    two relationships away: organisation – activity – organisation), with the activities."""
    one = client.get(f"/api/v1/organisations/{org}/neighbourhood", params={"depth": 1}).json()
    graph = GraphCore(store).current()
    two_steps = neighbourhood(graph, org, depth=2, include_generic=False).graph
    explorer = {n.id for n in two_steps.nodes if n.label == "Organisation"}
    assert _organisations(one) == explorer
    network = client.get("/api/v1/network", params={"max_nodes": 100000}).json()
    ties = [e for e in network["edges"] if org in (e["source"], e["target"])]
    partners = {e["source"] if e["target"] == org else e["target"] for e in ties}
    assert partners <= _organisations(one)
    activities = {n["id"] for n in one["nodes"] if n["label"] in {"Action", "Project", "Network"}}
    assert {a for e in ties for a in e["activities"]} <= activities
    two = client.get(f"/api/v1/organisations/{org}/neighbourhood", params={"depth": 2}).json()
    assert _organisations(one) < _organisations(two)
    assert "mkb" not in _organisations(two)  # placeholder groups only on request


def test_umcg_has_the_seventeen_of_the_explorer(client: TestClient) -> None:
    one = client.get("/api/v1/organisations/UMCG/neighbourhood").json()
    assert len(_organisations(one)) == 17  # UMCG and its 16 partners, as "1 stap" shows


# --------------------------------------------------------------------------- the change log


def _write_versions(client: TestClient, count: int) -> None:
    for i in range(count):
        doc = {
            "id": f"integrator-{i}",
            "label": "Organisation",
            "name": f"Integrator {i}",
            "helix_role": "industry",
            "org_type": "company",
        }
        assert client.post("/api/v1/organisations", json=doc, headers=W).status_code == 201


def test_a_poller_that_follows_next_since_misses_nothing(client: TestClient) -> None:
    _write_versions(client, 10)
    full = client.get("/api/v1/changes", params={"since": 0, "limit": 1000}).json()
    assert full["has_more"] is False
    assert len(full["data"]) == full["current_version"] >= 11
    collected: list[dict[str, Any]] = []
    since, pages = 0, 0
    while True:
        page = client.get("/api/v1/changes", params={"since": since, "limit": 2}).json()
        pages += 1
        collected += page["data"]
        assert page["current_version"] == full["current_version"]
        since = page["next_since"]
        if not page["has_more"]:
            break
    assert collected == full["data"]
    assert pages == (len(full["data"]) + 1) // 2
    assert since == full["current_version"]
    empty = client.get("/api/v1/changes", params={"since": since}).json()
    assert empty == {
        "data": [],
        "has_more": False,
        "next_since": since,
        "current_version": since,
    }


def test_since_beyond_the_current_version_is_a_clear_problem(client: TestClient) -> None:
    current = client.get("/health").json()["version"]
    answer = client.get("/api/v1/changes", params={"since": 999})
    assert answer.status_code == 409
    assert answer.headers["content-type"] == PROBLEM
    assert f"since 999 ligt voorbij de huidige versie {current}" in answer.json()["detail"]
    english = client.get("/api/v1/changes", params={"since": 999, "lang": "en"}).json()
    assert f"since 999 is beyond the current version {current}" in english["detail"]
    stream = client.get("/api/v1/changes/stream", params={"since": 999})
    assert stream.status_code == 409


def _events(lines: Iterator[str], count: int) -> tuple[list[dict[str, str]], list[str]]:
    """The first ``count`` events of a stream, and the comment lines seen meanwhile."""
    events: list[dict[str, str]] = []
    comments: list[str] = []
    event: dict[str, str] = {}
    for line in lines:
        if line.startswith(":"):
            comments.append(line)
        elif not line:
            if "data" in event:
                events.append(event)
                if len(events) == count:
                    break
            event = {}
        else:
            name, _, value = line.partition(": ")
            event[name] = value
    return events, comments


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("integrator"), api_keys=f"{WRITER}:write") as base:
        yield base


def test_the_stream_pushes_each_change_in_order_and_resumes(service: str) -> None:
    with httpx.Client(base_url=service, timeout=20) as http:
        start = http.get("/health").json()["version"]
        url = "/api/v1/changes/stream"
        with http.stream("GET", url, params={"since": start, "heartbeat": 1}) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            for i in (1, 2):
                doc = {
                    "id": f"stream-{i}",
                    "label": "Organisation",
                    "name": f"Stream {i}",
                    "helix_role": "knowledge",
                    "org_type": "knowledge_institution",
                }
                assert http.post("/api/v1/organisations", json=doc, headers=W).status_code == 201
            events, _ = _events(stream.iter_lines(), 2)
        assert [e["id"] for e in events] == [str(start + 1), str(start + 2)]
        assert [e["event"] for e in events] == ["change", "change"]
        assert '"nodes":["stream-1"]' in events[0]["data"]
        assert '"nodes":["stream-2"]' in events[1]["data"]
        # a client that reconnects with the last id it saw gets the rest, and heartbeats
        headers = {"Last-Event-ID": str(start + 1)}
        with http.stream("GET", url, headers=headers, params={"heartbeat": 1}) as stream:
            lines = stream.iter_lines()
            again, comments = _events(lines, 1)
            assert [e["id"] for e in again] == [str(start + 2)]
            for line in lines:
                if line.startswith(":"):
                    comments.append(line)
                    if line == ": heartbeat":
                        break
        assert ": heartbeat" in comments


def test_the_stream_ends_cleanly_when_the_service_stops(tmp_path: Path) -> None:
    settings = {
        "HELIX_STORE": "embedded",
        "HELIX_DATA_DIR": str(tmp_path / "data"),
        "HELIX_ANALYSIS_PROCESS": "false",
    }
    process, base = start_service(settings, tmp_path / "serve.log")
    try:
        with (
            httpx.Client(base_url=base, timeout=20) as http,
            http.stream("GET", "/api/v1/changes/stream", params={"heartbeat": 60}) as stream,
        ):
            lines = stream.iter_lines()
            assert next(lines).startswith("retry:")
            process.terminate()
            rest = list(lines)  # ends, rather than hanging until a timeout
        assert any("shutting down" in line for line in rest)
        process.wait(timeout=20)  # and the service stops, not held open by the stream
    finally:
        if process.poll() is None:
            process.kill()


# --------------------------------------------------------------------- errors, in Dutch


HOSTILE = [
    ("GET", "/api/v1/organisations", {"limit": "99999"}, None),
    ("GET", "/api/v1/organisations", {"helix_role": "baas"}, None),
    ("GET", "/api/v1/organisations", {"sort": "grootte", "descending": "misschien"}, None),
    ("GET", "/api/v1/changes", {"since": "-1"}, None),
    ("GET", "/api/v1/organisations/umcg/neighbourhood", {"depth": "tien"}, None),
    ("GET", "/api/v1/export", {"format": "docx"}, None),
    (
        "POST",
        "/api/v1/relationships",
        None,
        {
            "type": "PARTICIPATES_IN",
            "source": "kpn",
            "target": "project-twincer",
            "role": "leader",
            "provenance": {"source": "x", "section": "y", "quote": "z"},
        },
    ),
    (
        "POST",
        "/api/v1/relationships",
        None,
        {
            "type": "PARTICIPATES_IN",
            "source": "kpn",
            "target": "project-twincer",
            "provenance": {"source": "x", "section": "y", "quote": "z"},
        },
    ),
    ("POST", "/api/v1/relationships", None, {"type": "FRIEND_OF", "source": "A B"}),
    (
        "POST",
        "/api/v1/organisations",
        None,
        {"id": "Nieuw Bedrijf", "label": "Organisation", "helix_role": "boss", "extra": 1},
    ),
    ("POST", "/api/v1/organisations", None, {"id": "x", "label": "Robot", "name": "x"}),
    ("POST", "/api/v1/organisations", None, [1, 2, 3]),
]


@pytest.mark.parametrize(("method", "path", "params", "body"), HOSTILE)
def test_bad_input_is_explained_in_dutch_without_python(
    client: TestClient, method: str, path: str, params: Any, body: Any
) -> None:
    dutch = client.request(method, path, params=params, json=body, headers=W)
    assert dutch.status_code == 422, dutch.text
    assert dutch.headers["content-type"] == PROBLEM
    problem = dutch.json()
    assert problem["title"] == "Ongeldig verzoek"
    for english in ("<", "Enum", "Input should be", "Field required", "Value error", "object at"):
        assert english not in problem["detail"], problem["detail"]
    assert all(e["field"] and e["message"] for e in problem["errors"])
    assert all(e["field"].split(".")[0] in {"query", "body", "path"} for e in problem["errors"])
    en = client.request(method, path, params={**(params or {}), "lang": "en"}, json=body, headers=W)
    assert en.json()["title"] == "Invalid request"
    assert en.json()["detail"] != problem["detail"]
    assert "<" not in en.json()["detail"]
    assert "Enum" not in en.json()["detail"]


def test_a_bad_participation_role_names_the_roles_to_choose(client: TestClient) -> None:
    body = HOSTILE[6][3]
    problem = client.post("/api/v1/relationships", json=body, headers=W).json()
    assert problem["detail"] == (
        "body: de rol 'leader' past niet bij PARTICIPATES_IN; toegestaan: 'lead', 'partner'"
    )
    english = client.post(
        "/api/v1/relationships", json=body, headers={**W, "Accept-Language": "en-GB,en;q=0.8"}
    ).json()
    assert english["detail"] == (
        "body: the role 'leader' is not allowed on PARTICIPATES_IN; allowed: 'lead', 'partner'"
    )


def test_limits_read_as_a_person_would_say_them(client: TestClient) -> None:
    problem = client.get("/api/v1/organisations", params={"limit": "99999"}).json()
    assert problem["errors"] == [{"field": "query.limit", "message": "mag hoogstens 500 zijn"}]
    role = client.get("/api/v1/organisations", params={"helix_role": "boss"}).json()
    assert role["errors"][0]["message"] == (
        "moet 'government', 'knowledge', 'industry' of 'civil_society' zijn, niet 'boss'"
    )


# ------------------------------------------------------------- examples that are true


def _without_nulls(value: Any) -> Any:
    """The answer as the document shows it: the document leaves out null fields."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def test_the_paths_example_is_a_real_answer(client: TestClient) -> None:
    example = openapi()["components"]["schemas"]["PathView"]["examples"][0]
    answer = client.get("/api/v1/paths", params={"from": "bdrc", "to": "kpn"}).json()
    ids = [node["id"] for node in example["nodes"]]
    assert ids == ["bdrc", "action-dig-1", "it-hub", "action-dig-3", "kpn"]
    same = [path for path in answer if [n["id"] for n in path["nodes"]] == ids]
    assert [_without_nulls(path) for path in same] == [example]
    # length counts relationships; the hops are the explorer's organisation steps
    assert example["length"] == 4 == sum(len(h["relationships"]) for h in example["hops"])
    assert [(h["source"]["id"], h["target"]["id"]) for h in example["hops"]] == [
        ("bdrc", "it-hub"),
        ("it-hub", "kpn"),
    ]
    length = openapi()["components"]["schemas"]["PathView"]["properties"]["length"]
    assert "Relationships on the path" in length["description"]
    assert "hops" in length["description"]


def _problem_examples(response: dict[str, Any]) -> list[dict[str, Any]]:
    content = response.get("content", {}).get(PROBLEM, {})
    assert content.get("schema") == {"$ref": "#/components/schemas/Problem"}
    return [example["value"] for example in content.get("examples", {}).values()]


def test_every_error_status_has_an_example_of_its_own() -> None:
    document = openapi()
    seen: set[int] = set()
    for method, path, operation in operations(document):
        for code, response in operation["responses"].items():
            if code[0] not in "45":
                continue
            examples = _problem_examples(response)
            assert examples, f"{method} {path} {code}: no example"
            for example in examples:
                status = example["status"]
                seen.add(status)
                if code.endswith("XX"):
                    assert str(status)[0] == code[0], (method, path, code, status)
                else:
                    assert status == int(code), (method, path, code, status)
                assert set(example) >= {"type", "title", "status", "detail", "instance"}
                if status != 422:
                    assert "errors" not in example, (method, path, code)
            general = [e["status"] for e in examples]
            assert len(general) == len(set(general)), (method, path, code, general)
    assert {401, 403, 404, 409, 412, 422, 503} <= seen
    creates = document["paths"]["/api/v1/organisations"]["post"]["responses"]
    assert [e["status"] for e in _problem_examples(creates["409"])] == [409]
    assert "Problem" in creates["409"]["content"][PROBLEM]["schema"]["$ref"]


def test_the_error_examples_are_what_the_service_says(client: TestClient) -> None:
    responses = openapi()["paths"]["/api/v1/organisations/{node_id}"]
    examples = {
        e["status"]: e
        for r in [*responses["put"]["responses"].values(), *responses["get"]["responses"].values()]
        if PROBLEM in r.get("content", {})
        for e in _problem_examples(r)
    }
    kpn = client.get("/api/v1/organisations/kpn").json()
    real = {
        404: client.get("/api/v1/organisations/kpm"),
        412: client.put("/api/v1/organisations/kpn", json=kpn, headers={**W, "If-Match": '"0"'}),
        422: client.get("/api/v1/organisations", params={"limit": 1000}),
    }
    for status, answer in real.items():
        assert answer.status_code == status
        body = answer.json()
        assert {k: body[k] for k in ("title", "detail", "errors") if k in body} == {
            k: examples[status][k] for k in ("title", "detail", "errors") if k in examples[status]
        }
    exists = client.post("/api/v1/organisations", json=kpn, headers=W).json()
    creates = openapi()["paths"]["/api/v1/organisations"]["post"]["responses"]
    assert exists["detail"] == _problem_examples(creates["409"])[0]["detail"]
    unknown = client.get("/api/v1/paths", params={"from": "bdrc", "to": "KPM"}).json()
    paths = openapi()["paths"]["/api/v1/paths"]["get"]["responses"]
    documented = _problem_examples(paths["422"])[0]
    assert unknown["suggestions"] == documented["suggestions"] == ["KPN (kpn)"]
    assert unknown["detail"] == documented["detail"]


def test_the_change_log_example_follows_the_paging_rule() -> None:
    document = openapi()
    page = document["components"]["schemas"]["ChangesResponse"]["examples"][0]
    assert page["has_more"] is True
    assert page["next_since"] == page["data"][-1]["version"] <= page["current_version"]
    fields = document["components"]["schemas"]["ChangesResponse"]["properties"]
    assert fields["next_since"]["examples"][0] <= fields["current_version"]["examples"][0]
    stream = document["paths"]["/api/v1/changes/stream"]["get"]["parameters"]
    since = next(p for p in stream if p["name"] == "since")["description"]
    assert "previous page" not in since
    assert "Last-Event-ID" in since


def test_a_name_a_letter_off_gets_the_organisation_suggested(client: TestClient) -> None:
    answer = client.get("/api/v1/paths", params={"from": "KPM", "to": "bdrc"})
    assert answer.status_code == 422
    assert answer.json()["suggestions"] == ["KPN (kpn)"]
    assert "dichtstbij: KPN (kpn)" in answer.json()["detail"]
    partners = client.get("/api/v1/match/partners", params={"org": "KPM"})
    assert partners.status_code == 404
    assert "dichtstbij: KPN (kpn)" in partners.json()["detail"]
    nothing = client.get("/api/v1/paths", params={"from": "Zorgverzekeraar Xyz", "to": "bdrc"})
    assert "suggestions" not in nothing.json()
