"""The policy analyst keeps the network current from the explorer, as clicks.

She signs in with her write key, adds an organisation she read about on a web page with
the project it works in, corrects its place, saves while a colleague changed the same
organisation through the API (and chooses per field between both versions), reads its
history with the sources, undoes a change and deletes the organisation after reading what
goes with it. After each step the screen is read in Dutch and checked against the API and
the audit log: one user action is one new graph version. A visitor without a key sees no
edit control at all.

One service with keys and one page for the module; the tests are her working session, in
order (each builds on the organisation the one before left).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, expect

from app.api.security import key_id_of
from app.services.seeding import seed_store
from app.store import Neo4jStore
from graph_schema import HelixRole, OrgType
from graph_schema.enums import ParticipationRole
from graph_schema.i18n import catalogue
from tests.conftest import STORE_KINDS
from tests.explorer.browser import TIMEOUT_MS, VIEWPORT, Explorer, Service, dump, stop_service
from tests.serving import start_service

WRITER = "redacteur-sleutel-0123456789"
READER = "lezer-sleutel-0123456789abc"
AUDITOR = "controle-sleutel-0123456789"
NL = catalogue("nl")
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
NAME = "Gezondheidshuis Coevorden"
ORG = "gezondheidshuis-coevorden"
URL = "https://www.coevorden.nl/nieuws/gezondheidshuis"
NOTE = "Nieuwe partner in het project, genoemd op de nieuwspagina"
PROJECT_NAME = "Thuismeten Drenthe"
PROJECT = "project-thuismeten-drenthe"
SITE = "https://www.voorbeeld-zorg.nl/over-ons"
COLLEAGUE = "Huisartsen, fysiotherapie en wijkzorg onder één dak."
# what each step leaves for the next (the tests are one working session, in order)
SESSION: dict[str, Any] = {}


def _text(key: str, **params: Any) -> str:
    """A Dutch text of the catalogue, plural chosen by ``n``."""
    entry = NL[key]
    if isinstance(entry, dict):
        entry = entry["one"] if params.get("n") == 1 else entry["other"]
    return str(entry).format(**params)


def _today_in_words() -> str:
    today = date.today()
    return f"{today.day} {MONTHS[today.month - 1]} {today.year}"


@pytest.fixture(scope="module", params=STORE_KINDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """The service with a write, a read and an audit key, over a fresh store."""
    folder = tmp_path_factory.mktemp(f"editing-{request.param}")
    settings = {
        "HELIX_STORE": request.param,
        "HELIX_DATA_DIR": str(folder / "data"),
        "HELIX_API_KEYS": f"{WRITER}:write,{READER}:read,{AUDITOR}:admin",
        "HELIX_ANALYSIS_PROCESS": "false",
        "HELIX_RATE_LIMIT": "0",
    }
    if request.param == "neo4j":
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.fail("NEO4J_URI is not set; HELIX_TEST_STORES=embedded leaves Neo4j out")
        with Neo4jStore(
            uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
        ) as neo4j:
            neo4j.clear()  # a database written before: clear keeps its version count
            seed_store(neo4j)  # so the agenda is loaded here, not by the service
    SESSION.clear()
    process, base = start_service(settings, folder / "serve.log", timeout=120)
    running = Service(base, process, Path(folder / "serve.log"))
    try:
        yield running
    finally:
        stop_service(running)


@pytest.fixture(scope="module")
def explorer(
    request: pytest.FixtureRequest, browser: Browser, service: Service
) -> Iterator[Explorer]:
    """One page for the module's tests (conftest's hook checks its console after each)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield Explorer(page, service, request.module.__name__.rsplit(".", 1)[-1])
    finally:
        context.close()


# --------------------------------------------------------------------------- helpers


def _api(
    service: Service,
    method: str,
    path: str,
    key: str = WRITER,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    return service.client.request(
        method, f"/api/v1{path}", headers={"X-API-Key": key, **(headers or {})}, **kwargs
    )


def _version(service: Service) -> int:
    version: int = service.client.get("/health").json()["version"]
    return version


def _audit(service: Service, since: int) -> list[dict[str, Any]]:
    answer = _api(service, "GET", "/audit", AUDITOR, params={"since": since})
    answer.raise_for_status()
    entries: list[dict[str, Any]] = answer.json()["data"]
    return entries


def _one_write(service: Service, since: int) -> dict[str, Any]:
    """The audit log holds exactly one write after ``since``, by the page's key."""
    entries = _audit(service, since)
    assert len(entries) == 1, dump(entries)
    assert entries[0]["actor"] == key_id_of(WRITER), dump(entries[0])
    assert _version(service) == since + 1
    return entries[0]


def _org(service: Service, org_id: str = ORG) -> dict[str, Any]:
    answer = _api(service, "GET", f"/organisations/{org_id}")
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def _wait_version(explorer: Explorer, version: int) -> None:
    """The graph and counts were drawn from this graph version."""
    expect(explorer.page.get_by_test_id("shown-count")).to_have_attribute(
        "data-version", str(version)
    )


def _expected_failures(explorer: Explorer, *statuses: int) -> None:
    """A problem answer the page shows in words is logged by the browser as a failed
    resource; those (and only those) were expected."""
    wanted = tuple(f"status of {s}" for s in statuses)
    explorer.errors[:] = [
        e
        for e in explorer.errors
        if not ("Failed to load resource" in e and any(w in e for w in wanted))
    ]


def _dialog(explorer: Explorer, name: str) -> Locator:
    return explorer.page.get_by_test_id(f"edit-dialog-{name}")


def _panel_row(explorer: Explorer, key: str) -> Locator:
    return explorer.page.locator("#panel-meta .meta-row").filter(
        has=explorer.page.locator("dt", has_text=_text(key))
    )


def _sign_in(explorer: Explorer) -> None:
    page = explorer.page
    page.get_by_test_id("edit-signin").click()
    page.get_by_test_id("edit-key").fill(WRITER)
    page.get_by_test_id("edit-signin-submit").click()
    expect(_dialog(explorer, "signin")).to_have_count(0)


# --------------------------------------------------------------------------- the session


def test_a_visitor_without_a_key_sees_no_edit_control(explorer: Explorer, service: Service) -> None:
    page = explorer.page
    explorer.open("/explorer/#org=umcg")
    expect(page.get_by_test_id("panel-links").locator("li.link").first).to_be_visible()
    expect(page.get_by_test_id("edit-signin")).to_have_text(_text("edit.signin"))
    for testid in ("edit-new-org", "edit-new-activity", "edit-signout"):
        expect(page.get_by_test_id(testid)).to_be_hidden()
    for testid in ("edit-org", "edit-add-link", "edit-delete", "edit-history"):
        expect(page.get_by_test_id(testid)).to_have_count(0)
    expect(page.get_by_test_id("panel-edit")).to_be_hidden()
    expect(
        page.locator("[data-testid^=edit-activity-], [data-testid^=history-activity-]")
    ).to_have_count(0)
    # and the service agrees: without a key nothing can be written
    assert service.client.post("/api/v1/edits", json={}).status_code == 401


def test_signing_in_takes_a_write_key_and_keeps_it_for_the_tab_only(explorer: Explorer) -> None:
    page = explorer.page
    page.get_by_test_id("edit-signin").click()
    dialog = _dialog(explorer, "signin")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("edit-key")).to_be_focused()
    expect(dialog.get_by_text(_text("edit.signin.key"))).to_be_visible()  # labelled

    page.get_by_test_id("edit-key").fill("onbekende-sleutel-0123456789")
    page.get_by_test_id("edit-signin-submit").click()
    expect(page.get_by_test_id("edit-error")).to_have_text(_text("edit.signin.unknown"))
    page.get_by_test_id("edit-key").fill(READER)
    page.get_by_test_id("edit-signin-submit").click()
    expect(page.get_by_test_id("edit-error")).to_have_text(_text("edit.signin.noWrite"))
    _expected_failures(explorer, 401, 403)

    page.keyboard.press("Escape")  # Escape closes the dialog, the panel stays
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("panel")).to_be_visible()
    expect(page.get_by_test_id("edit-signin")).to_be_focused()  # focus back where it was

    _sign_in(explorer)
    expect(page.get_by_test_id("message")).to_contain_text(_text("edit.signin.done"))
    expect(page.get_by_test_id("edit-org")).to_be_visible()
    expect(page.get_by_test_id("edit-signin")).to_be_hidden()
    assert WRITER not in page.url
    assert page.evaluate("() => JSON.stringify(localStorage)").find(WRITER) == -1
    assert WRITER in page.evaluate("() => JSON.stringify(sessionStorage)")


def test_adding_an_organisation_with_a_link_and_a_web_source_writes_one_version(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    project = service.api("/projects", q="Health Hub Roden (project)", limit=1)["data"][0]
    before = _version(service)

    page.get_by_test_id("edit-new-org").click()
    dialog = _dialog(explorer, "org")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("edit-field-name")).to_be_focused()
    # the choices are the vocabulary's, in Dutch
    roles = page.get_by_test_id("edit-field-helix_role").locator("option")
    assert sorted(roles.evaluate_all("os => os.map(o => o.value)")) == sorted(HelixRole)
    types = page.get_by_test_id("edit-field-org_type").locator("option")
    assert sorted(types.evaluate_all("os => os.map(o => o.value)")) == sorted(OrgType)
    page.get_by_test_id("edit-field-name").fill(NAME)
    expect(page.get_by_test_id("edit-field-id")).to_have_value(ORG)
    page.get_by_test_id("edit-field-helix_role").select_option(label=_text("role.civil_society"))
    page.get_by_test_id("edit-field-org_type").select_option(label=_text("type.care_provider"))
    page.get_by_test_id("edit-field-place").fill("Coevorden")

    # the project, chosen from the name suggestions, as partner
    page.get_by_test_id("edit-link-kind").select_option(label=_text("kind.Project"))
    page.get_by_test_id("edit-link-activity").fill("Health Hub")
    dialog.locator(".suggest li[role=option]", has_text=project["name"]).click()
    participation = page.get_by_test_id("edit-link-role").locator("option")
    assert sorted(participation.evaluate_all("os => os.map(o => o.value)")) == sorted(
        ParticipationRole
    )
    page.get_by_test_id("edit-link-role").select_option(label=_text("participation.partner"))
    page.get_by_test_id("edit-link-add").click()
    expect(page.get_by_test_id("edit-links")).to_contain_text(project["name"])

    # a web page: the date is today unless she says otherwise
    page.get_by_test_id("edit-source-web").check()
    expect(page.get_by_test_id("edit-source-web-date")).to_have_value(date.today().isoformat())
    page.get_by_test_id("edit-org-submit").click()
    expect(page.get_by_test_id("edit-errors")).to_contain_text(
        "Geef de bron op"
    )  # nothing sent yet
    assert _version(service) == before
    page.get_by_test_id("edit-source-url").fill(URL)
    page.get_by_test_id("edit-source-web-note").fill(NOTE)
    page.get_by_test_id("edit-org-submit").click()

    expect(dialog).to_have_count(0)
    entry = _one_write(service, before)
    expect(page.get_by_test_id("message")).to_contain_text(_text("edit.saved", version=before + 1))
    _wait_version(explorer, before + 1)
    expect(page.get_by_test_id("panel-title")).to_have_text(NAME)
    expect(_panel_row(explorer, "panel.place")).to_contain_text("Coevorden")
    expect(page.get_by_test_id("panel-links")).to_contain_text(project["name"])

    org = _org(service)
    assert org["name"] == NAME
    assert org["helix_role"] == "civil_society"
    assert org["province"] == "Drenthe"
    assert org["provenance"] == {"source": URL, "section": date.today().isoformat(), "quote": NOTE}
    assert ORG in {o["id"] for o in service.api("/organisations", q=NAME)["data"]}
    links = _api(service, "GET", f"/organisations/{ORG}/links").json()
    link = next(x for x in links if x["node"]["id"] == project["id"])
    assert (link["type"], link["role"], link["provenance"]["source"]) == (
        "PARTICIPATES_IN",
        "partner",
        URL,
    )
    assert entry["nodes"] == [ORG], dump(entry)
    assert entry["relationships"] == [f"PARTICIPATES_IN {ORG} {project['id']}"], dump(entry)
    assert {(d["kind"], d["before"]) for d in entry["details"]} == {
        ("node", None),
        ("relationship", None),
    }
    SESSION["project"] = project


def test_correcting_the_place_shows_it_in_the_panel(explorer: Explorer, service: Service) -> None:
    page = explorer.page
    before = _version(service)
    page.get_by_test_id("edit-org").click()
    expect(_dialog(explorer, "org")).to_be_visible()
    # the source used last is offered again
    expect(page.get_by_test_id("edit-source-last")).to_contain_text(URL)
    expect(page.get_by_test_id("edit-source-url")).to_have_value(URL)
    expect(page.get_by_test_id("edit-field-place")).to_have_value("Coevorden")
    page.get_by_test_id("edit-field-place").fill("Emmen")
    page.get_by_test_id("edit-org-submit").click()

    expect(_dialog(explorer, "org")).to_have_count(0)
    entry = _one_write(service, before)
    _wait_version(explorer, before + 1)
    expect(_panel_row(explorer, "panel.place")).to_have_text(f"{_text('panel.place')}Emmen")
    assert _org(service)["place"] == "Emmen"
    (record,) = entry["details"]  # the organisation, before and after
    assert (record["key"], record["before"]["place"], record["after"]["place"]) == (
        ORG,
        "Coevorden",
        "Emmen",
    )
    SESSION["place_version"] = before + 1


def test_a_change_behind_the_pages_back_shows_both_versions_and_saves_the_choice(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    page.get_by_test_id("edit-org").click()  # the form holds the version read now
    expect(_dialog(explorer, "org")).to_be_visible()

    # a colleague changes the description through the API meanwhile
    current = _api(service, "GET", f"/organisations/{ORG}")
    changed = {**current.json(), "description": COLLEAGUE}
    answer = _api(
        service,
        "PUT",
        f"/organisations/{ORG}",
        json=changed,
        headers={"If-Match": current.headers["ETag"]},
    )
    assert answer.status_code == 200, answer.text
    before = _version(service)

    page.get_by_test_id("edit-field-place").fill("Assen")
    page.get_by_test_id("edit-org-submit").click()
    conflict = _dialog(explorer, "conflict")
    expect(conflict).to_be_visible()
    _expected_failures(explorer, 412)
    assert _version(service) == before  # nothing was overwritten
    expect(page.get_by_test_id("conflict-intro")).to_have_text(_text("edit.conflict.intro"))
    place = conflict.locator("tr[data-field=place]")
    expect(place.locator("td").nth(0)).to_have_text("Assen")
    expect(place.locator("td").nth(1)).to_have_text("Emmen")
    description = conflict.locator("tr[data-field=description]")
    expect(description.locator("td").nth(0)).to_have_text("–")
    expect(description.locator("td").nth(1)).to_have_text(COLLEAGUE)
    # what she changed is preselected as hers, what she did not as the current
    expect(page.get_by_test_id("conflict-place-mine")).to_be_checked()
    expect(page.get_by_test_id("conflict-description-current")).to_be_checked()
    page.get_by_test_id("conflict-all-current").click()
    expect(page.get_by_test_id("conflict-place-current")).to_be_checked()
    page.get_by_test_id("conflict-place-mine").check()
    page.get_by_test_id("edit-conflict-submit").click()

    expect(conflict).to_have_count(0)
    expect(_dialog(explorer, "org")).to_have_count(0)
    _one_write(service, before)
    _wait_version(explorer, before + 1)
    org = _org(service)
    assert (org["place"], org["description"]) == ("Assen", COLLEAGUE)
    expect(_panel_row(explorer, "panel.place")).to_contain_text("Assen")
    expect(page.locator("#panel-desc")).to_have_text(COLLEAGUE)
    SESSION["merge_version"] = before + 1


def test_the_history_lists_every_change_with_its_source(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    api = _api(service, "GET", f"/history/{ORG}", params={"limit": 100}).json()
    page.get_by_test_id("edit-history").click()
    history = _dialog(explorer, "history")
    expect(history).to_be_visible()
    entries = history.get_by_test_id("history-entry")
    expect(entries).to_have_count(len(api["data"]))
    shown = [int(v) for v in entries.evaluate_all("es => es.map(e => e.dataset.version)")]
    assert shown == [c["version"] for c in api["data"]], dump(api)
    assert shown == sorted(shown, reverse=True)  # newest first
    # the place correction: before and after, and the web page in words
    place = history.locator(f"li[data-version='{SESSION['place_version']}']")
    row = place.locator("tr[data-field=place]")
    expect(row.locator("td").nth(0)).to_have_text("Coevorden")
    expect(row.locator("td").nth(1)).to_have_text("Emmen")
    expect(place.locator(".history-source")).to_contain_text(
        f"webpagina {URL}, gelezen op {_today_in_words()}: {NOTE}"
    )
    expect(place.locator(".history-actor")).to_have_text(
        _text("edit.history.actor", actor=key_id_of(WRITER))
    )
    # the link to the project is in the organisation's history too
    expect(history.locator("li[data-kind=relationship]").first).to_contain_text(
        SESSION["project"]["name"]
    )


def test_undo_brings_the_previous_state_back_and_is_listed(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    history = _dialog(explorer, "history")
    before = _version(service)
    merge = SESSION["merge_version"]
    page.get_by_test_id(f"history-undo-{merge}").click()

    _wait_version(explorer, before + 1)
    _one_write(service, before)
    assert _org(service)["place"] == "Emmen"  # as before the merge
    expect(_panel_row(explorer, "panel.place")).to_contain_text("Emmen")
    undo = history.locator(f"li[data-version='{before + 1}']")
    expect(undo).to_contain_text(_text("edit.history.undoOf", version=merge))
    expect(history.locator(f"li[data-version='{merge}']")).to_contain_text(
        _text("edit.history.undoneBy", version=before + 1)
    )
    expect(page.get_by_test_id(f"history-undo-{merge}")).to_be_hidden()

    # the place correction was changed again later: it cannot be undone, and she reads why
    page.get_by_test_id(f"history-undo-{SESSION['place_version']}").click()
    status = page.get_by_test_id("history-status")
    expect(status).to_contain_text(_text("edit.history.conflict", detail="").rstrip())
    _expected_failures(explorer, 409)
    assert _version(service) == before + 1
    page.get_by_test_id("edit-history-cancel").click()
    expect(history).to_have_count(0)


def test_deleting_says_what_goes_with_it_and_removes_the_organisation(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    impact = _api(service, "GET", "/edits/impact", params={"node": ORG}).json()
    before = _version(service)
    page.get_by_test_id("edit-delete").click()
    dialog = _dialog(explorer, "delete")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("edit-delete-cancel")).to_be_focused()  # the safe choice first
    expect(page.get_by_test_id("edit-impact-sentence")).to_have_text(impact["sentence"])
    assert NAME in impact["sentence"]
    expect(page.get_by_test_id("edit-impact-links").locator("li")).to_have_count(
        len(impact["relationships"])
    )
    page.get_by_test_id("edit-delete-submit").click()

    expect(dialog).to_have_count(0)
    entry = _one_write(service, before)
    assert entry["nodes"] == [ORG]
    assert len(entry["relationships"]) == len(impact["relationships"])
    assert {d["key"]: d["after"] for d in entry["details"]}[ORG] is None
    _wait_version(explorer, before + 1)
    expect(page.get_by_test_id("panel")).to_be_hidden()
    assert _api(service, "GET", f"/organisations/{ORG}").status_code == 404
    assert ORG not in {o["id"] for o in service.api("/organisations", q=NAME)["data"]}


def test_a_new_project_from_the_panel_with_a_role_and_a_document_source(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    explorer.call("focus", "bdrc")
    expect(page.get_by_test_id("panel-title")).to_have_text(_org(service, "bdrc")["name"])
    before = _version(service)
    page.get_by_test_id("edit-new-activity-here").click()
    dialog = _dialog(explorer, "activity")
    expect(dialog).to_be_visible()
    page.get_by_test_id("edit-field-kind").select_option(label=_text("kind.Project"))
    page.get_by_test_id("edit-field-name").fill(PROJECT_NAME)
    expect(page.get_by_test_id("edit-field-id")).to_have_value(PROJECT)
    page.get_by_test_id("edit-field-status").select_option(label=_text("status.running"))
    page.get_by_test_id("edit-activity-role").select_option(label=_text("participation.lead"))
    page.get_by_test_id("edit-source-document").check()
    page.get_by_test_id("edit-source-document-name").fill("Jaarverslag BDRC 2026")
    page.get_by_test_id("edit-source-section").fill("Projecten")
    page.get_by_test_id("edit-source-quote").fill("BDRC is penvoerder van Thuismeten Drenthe")
    page.get_by_test_id("edit-activity-submit").click()

    expect(dialog).to_have_count(0)
    entry = _one_write(service, before)
    assert entry["nodes"] == sorted(["bdrc", PROJECT]) or entry["nodes"] == [PROJECT], dump(entry)
    assert entry["relationships"] == [f"PARTICIPATES_IN bdrc {PROJECT}"]
    _wait_version(explorer, before + 1)
    project = _api(service, "GET", f"/projects/{PROJECT}").json()
    assert (project["name"], project["status"]) == (PROJECT_NAME, "running")
    assert project["provenance"] == {
        "source": "Jaarverslag BDRC 2026",
        "section": "Projecten",
        "quote": "BDRC is penvoerder van Thuismeten Drenthe",
    }
    link = page.get_by_test_id("panel-links").locator(f"li.link[data-id='{PROJECT}']")
    expect(link).to_contain_text(PROJECT_NAME)
    expect(link).to_contain_text(_text("participation.lead"))

    # the project's own history, from its line in the panel: created, with the document
    link.get_by_test_id(f"history-activity-{PROJECT}").click()
    history = _dialog(explorer, "history")
    expect(history.get_by_test_id("history-entry")).to_have_count(2)  # the project, the link
    created = history.locator("li[data-kind=node]")
    expect(created).to_contain_text(_text("edit.history.node.created", name=PROJECT_NAME))
    expect(created.locator(".history-source")).to_contain_text(
        "Jaarverslag BDRC 2026, Projecten: “BDRC is penvoerder van Thuismeten Drenthe”"
    )
    page.keyboard.press("Escape")
    expect(history).to_have_count(0)

    # removing the link again needs no source: one write, the link gone from the panel
    before = _version(service)
    page.get_by_test_id("edit-org").click()
    expect(_dialog(explorer, "org")).to_be_visible()
    page.get_by_test_id(f"edit-link-remove-{PROJECT}").check()
    page.get_by_test_id("edit-org-submit").click()
    expect(_dialog(explorer, "org")).to_have_count(0)
    entry = _one_write(service, before)
    assert entry["relationships"] == [f"PARTICIPATES_IN bdrc {PROJECT}"]
    assert [d["after"] for d in entry["details"]] == [None]
    _wait_version(explorer, before + 1)
    expect(link).to_have_count(0)


def test_a_website_entered_in_the_form_shows_as_a_link_in_the_panel(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    org_id = page.evaluate("() => window.helixExplorer.state().org")
    assert org_id
    expect(page.get_by_test_id("panel-website")).to_have_count(0)
    before = _version(service)
    page.get_by_test_id("edit-org").click()
    dialog = _dialog(explorer, "org")
    expect(dialog).to_be_visible()
    website = page.get_by_test_id("edit-field-website")
    expect(website).to_have_value("")
    website.fill("www.voorbeeld.nl")  # no scheme: said at once, nothing sent
    page.get_by_test_id("edit-org-submit").click()
    expect(page.get_by_test_id("edit-errors")).to_have_text(_text("edit.website.invalid"))
    assert _version(service) == before
    website.fill(SITE)
    page.get_by_test_id("edit-org-submit").click()

    expect(dialog).to_have_count(0)
    _one_write(service, before)
    _wait_version(explorer, before + 1)
    link = page.get_by_test_id("panel-website")
    expect(link).to_have_attribute("href", SITE)
    expect(link).to_have_text(SITE.removeprefix("https://"))
    expect(_panel_row(explorer, "panel.website")).to_be_visible()
    assert _org(service, org_id)["website"] == SITE


def test_two_websites_given_at_once_are_compared_and_the_chosen_one_is_kept(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    org_id = page.evaluate("() => window.helixExplorer.state().org")
    page.get_by_test_id("edit-org").click()
    expect(_dialog(explorer, "org")).to_be_visible()
    theirs = "https://www.voorbeeld-zorg.nl/"
    current = _api(service, "GET", f"/organisations/{org_id}")
    answer = _api(
        service,
        "PUT",
        f"/organisations/{org_id}",
        json={**current.json(), "website": theirs},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert answer.status_code == 200, answer.text
    before = _version(service)
    page.get_by_test_id("edit-field-website").fill("https://zorg.voorbeeld.nl")
    page.get_by_test_id("edit-org-submit").click()
    conflict = _dialog(explorer, "conflict")
    expect(conflict).to_be_visible()
    _expected_failures(explorer, 412)
    row = conflict.locator("tr[data-field=website]")
    expect(row.locator("td").nth(0)).to_have_text("https://zorg.voorbeeld.nl")
    expect(row.locator("td").nth(1)).to_have_text(theirs)
    page.get_by_test_id("conflict-website-current").check()
    page.get_by_test_id("edit-conflict-submit").click()

    expect(conflict).to_have_count(0)
    _wait_version(explorer, max(before, _version(service)))
    assert _org(service, org_id)["website"] == theirs
    expect(page.get_by_test_id("panel-website")).to_have_attribute("href", theirs)


def test_a_refused_edit_writes_nothing_and_says_why(explorer: Explorer, service: Service) -> None:
    page = explorer.page
    before = _version(service)
    page.get_by_test_id("edit-org").click()
    dialog = _dialog(explorer, "org")
    expect(dialog).to_be_visible()
    page.get_by_test_id("edit-field-place").fill("Groningen")
    page.get_by_test_id("edit-field-province").fill("Overijssel")  # Groningen lies elsewhere
    page.get_by_test_id("edit-org-submit").click()
    errors = page.get_by_test_id("edit-errors")
    expect(errors).to_contain_text(_text("edit.failedList"))
    expect(errors).to_contain_text("Groningen ligt in de provincie Groningen")
    _expected_failures(explorer, 422)
    assert _version(service) == before
    expect(dialog).to_be_visible()  # her input is still there to correct
    expect(page.get_by_test_id("edit-field-place")).to_have_value("Groningen")
    page.get_by_test_id("edit-org-cancel").click()
    expect(dialog).to_have_count(0)


def test_signing_out_forgets_the_key_and_every_edit_control(explorer: Explorer) -> None:
    page = explorer.page
    page.get_by_test_id("edit-signout").click()
    expect(page.get_by_test_id("edit-signin")).to_be_visible()
    expect(page.get_by_test_id("edit-new-org")).to_be_hidden()
    assert WRITER not in page.evaluate("() => JSON.stringify(sessionStorage)")
    explorer.page.goto("about:blank")
    explorer.open("/explorer/#org=umcg")
    expect(page.get_by_test_id("panel-links").locator("li.link").first).to_be_visible()
    expect(page.get_by_test_id("panel-edit")).to_be_hidden()
    expect(page.get_by_test_id("edit-signin")).to_be_visible()
    page.get_by_test_id("lang-toggle").click()  # in English when the page is
    expect(page.get_by_test_id("edit-signin")).to_have_text(str(catalogue("en")["edit.signin"]))
