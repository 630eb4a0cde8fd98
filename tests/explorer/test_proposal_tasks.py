"""The policy analyst takes in a new document from the explorer, as clicks.

Signed in with her write key she chooses a short Dutch progress report; the page lists
what the service read in it — a known organisation, one named by its alias, a new
foundation taking part in a known project, the links and the project — each with its
quote and heading. She rejects one link, corrects the new foundation's name, accepts the
rest and saves: one new graph version, the foundation in the graph with the document as
its source, the rejected link left as it was, one entry in the audit log. A Word version
of a document is listed the same way, and Escape closes the review without writing.

One service with keys and one page for the module; the tests run in order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, expect

from app.api.security import key_id_of
from app.services.seeding import seed_store
from app.store import Neo4jStore
from graph_schema.i18n import catalogue
from tests.conftest import STORE_KINDS
from tests.explorer.browser import TIMEOUT_MS, VIEWPORT, Explorer, Service, dump, stop_service
from tests.services.test_proposals import docx
from tests.serving import start_service

WRITER = "redacteur-sleutel-0123456789"
AUDITOR = "controle-sleutel-0123456789"
NL = catalogue("nl")
FILE = "voortgang.txt"
DOCUMENT = """Voortgang zorgtechnologie

De Treant Zorggroep werkt aan zorg dichtbij huis.

Samenwerking

"""
NEW_QUOTE = "Stichting Zorgkracht Drenthe neemt deel aan het project InForCare."
UMCG_QUOTE = "Het UMCG neemt deel aan InForCare."
DOCUMENT += f"{NEW_QUOTE} {UMCG_QUOTE}\n"
NEW = "Stichting Zorgkracht Drenthe"
NEW_ID = "stichting-zorgkracht-drenthe"
RENAMED = "Stichting Zorgkracht Noord-Drenthe"
PROJECT = "project-inforcare"


def _text(key: str, **params: Any) -> str:
    """A Dutch text of the catalogue, plural chosen by ``n``."""
    entry = NL[key]
    if isinstance(entry, dict):
        entry = entry["one"] if params.get("n") == 1 else entry["other"]
    return str(entry).format(**params)


@pytest.fixture(scope="module", params=STORE_KINDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """The service with a write and an audit key, over a fresh store with the agenda."""
    folder = tmp_path_factory.mktemp(f"proposals-{request.param}")
    settings = {
        "HELIX_STORE": request.param,
        "HELIX_DATA_DIR": str(folder / "data"),
        "HELIX_API_KEYS": f"{WRITER}:write,{AUDITOR}:admin",
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
            neo4j.clear()
            seed_store(neo4j)
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


def _api(service: Service, method: str, path: str, key: str = WRITER, **kw: Any) -> httpx.Response:
    return service.client.request(method, f"/api/v1{path}", headers={"X-API-Key": key}, **kw)


def _version(service: Service) -> int:
    version: int = service.client.get("/health").json()["version"]
    return version


def _audit(service: Service, since: int) -> list[dict[str, Any]]:
    answer = _api(service, "GET", "/audit", AUDITOR, params={"since": since})
    answer.raise_for_status()
    entries: list[dict[str, Any]] = answer.json()["data"]
    return entries


def _expected_failures(explorer: Explorer, *statuses: int) -> None:
    """A problem answer the page shows in words is logged by the browser as a failed
    resource; those (and only those) were expected."""
    wanted = tuple(f"status of {s}" for s in statuses)
    explorer.errors[:] = [
        e
        for e in explorer.errors
        if not ("Failed to load resource" in e and any(w in e for w in wanted))
    ]


def _group(explorer: Explorer, group: str) -> Locator:
    return explorer.page.get_by_test_id(f"proposal-{group}").locator("li.proposal-item")


def _item(explorer: Explorer, group: str, text: str) -> Locator:
    return _group(explorer, group).filter(has_text=text)


def _ref(item: Locator) -> str:
    ref = item.get_attribute("data-ref")
    assert ref, "an item without its ref"
    return ref


def _upload(explorer: Explorer, name: str, data: bytes, mime: str) -> Locator:
    """Choose the file in the upload dialog and read it: the review dialog."""
    page = explorer.page
    page.get_by_test_id("edit-propose").click()
    dialog = page.get_by_test_id("edit-dialog-proposal-upload")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("proposal-file")).to_be_focused()
    expect(dialog.get_by_text(_text("proposal.upload.file"))).to_be_visible()
    page.get_by_test_id("proposal-file").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    page.get_by_test_id("edit-proposal-upload-submit").click()
    review = page.get_by_test_id("edit-dialog-proposal")
    expect(review).to_be_visible()
    expect(review.get_by_role("heading", level=2)).to_have_text(
        _text("proposal.review.title", source=name)
    )
    return review


# --------------------------------------------------------------------------- the session


def test_a_visitor_without_a_key_has_no_document_button(explorer: Explorer) -> None:
    explorer.open("/explorer/")
    expect(explorer.page.get_by_test_id("edit-propose")).to_be_hidden()


def test_the_document_is_listed_with_quotes_and_headings(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    page.get_by_test_id("edit-signin").click()
    page.get_by_test_id("edit-key").fill(WRITER)
    page.get_by_test_id("edit-signin-submit").click()
    expect(page.get_by_test_id("edit-dialog-signin")).to_have_count(0)
    expect(page.get_by_test_id("edit-propose")).to_have_text(_text("proposal.open"))
    before = _version(service)

    review = _upload(explorer, FILE, DOCUMENT.encode(), "text/plain")
    groups = ("organisations", "links", "activities")
    expect(review.get_by_role("heading", level=3)).to_have_text(
        [re.compile(re.escape(_text(f"proposal.group.{g}"))) for g in groups]
    )
    # exactly the organisations, links and the project the document names
    expect(_group(explorer, "organisations").locator("h4")).to_have_text(
        ["Treant Zorggroep", NEW, "Universitair Medisch Centrum Groningen"]
    )
    expect(_group(explorer, "links")).to_have_count(2)
    expect(_group(explorer, "activities").locator("h4")).to_have_text(["InForCare"])
    treant = _item(explorer, "organisations", "Treant Zorggroep")
    expect(treant.get_by_test_id("proposal-known")).to_have_text(
        _text("proposal.matched", name="Treant Zorggroep")
    )
    expect(treant.locator(".proposal-section")).to_have_text(
        _text("proposal.section", section="Voortgang zorgtechnologie")
    )
    expect(treant.locator("blockquote")).to_have_text(
        "“De Treant Zorggroep werkt aan zorg dichtbij huis.”"
    )
    umcg = _item(explorer, "organisations", "Universitair Medisch Centrum Groningen")
    expect(umcg.get_by_test_id("proposal-known")).to_contain_text(
        _text("proposal.matchedVia", matched="UMCG")  # found by its alias
    )
    new = _item(explorer, "organisations", NEW)
    expect(new.get_by_test_id("proposal-known")).to_have_count(0)
    expect(new).to_contain_text(
        _text(
            "proposal.newOrg",
            role=NL["role.civil_society"],
            type=NL["type.civil_society_organisation"],
        )
    )
    expect(new).to_contain_text(_text("proposal.evidence.word", word="stichting"))
    expect(new.locator("blockquote")).to_have_text(f"“{NEW_QUOTE}”")
    expect(new.locator(".proposal-section")).to_have_text(
        _text("proposal.section", section="Samenwerking")
    )
    new_link = _item(explorer, "links", NEW)
    umcg_link = _item(explorer, "links", "Universitair Medisch Centrum Groningen")
    expect(new_link.locator("h4")).to_have_text(
        _text(
            "proposal.link.words",
            organisation=NEW,
            relation=NL["rel.PARTICIPATES_IN"],
            activity="InForCare",
        )
    )
    expect(new_link).to_contain_text(_text("proposal.link.role", role=NL["participation.partner"]))
    expect(new_link.get_by_test_id("proposal-known")).to_have_count(0)
    expect(umcg_link.get_by_test_id("proposal-known")).to_have_text(_text("proposal.inGraph"))
    expect(umcg_link.locator("blockquote")).to_have_text(f"“{UMCG_QUOTE}”")
    expect(
        _item(explorer, "activities", "InForCare").get_by_test_id("proposal-known")
    ).to_be_visible()
    explorer.screenshot("proposal-review")
    assert _version(service) == before  # reading a document writes nothing


def test_a_link_to_a_rejected_organisation_is_shown_as_such(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    new = _item(explorer, "organisations", NEW)
    ref = _ref(new)
    new_link = _item(explorer, "links", NEW)
    blocked = new_link.get_by_test_id("proposal-blocked")
    expect(blocked).to_be_hidden()
    new.get_by_test_id(f"proposal-{ref}-reject").check()
    expect(blocked).to_have_text(_text("proposal.link.blocked", name=NEW))
    # saved anyway: the check before the write names the problem at the link, in words
    before = _version(service)
    page.get_by_test_id("edit-proposal-submit").click()
    errors = new_link.get_by_test_id(f"proposal-{_ref(new_link)}-errors")
    expect(errors).to_contain_text(f"‘{NEW}’")
    expect(errors).not_to_contain_text(ref)  # no internal reference
    expect(page.get_by_test_id("proposal-problems")).to_have_text(_text("proposal.problems", n=1))
    expect(page.get_by_test_id("edit-dialog-proposal")).to_be_visible()
    assert _version(service) == before
    _expected_failures(explorer, 422)
    new.get_by_test_id(f"proposal-{ref}-accept").check()
    expect(blocked).to_be_hidden()


def test_reject_one_edit_the_new_name_accept_the_rest_is_one_version(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    before = _version(service)
    new = _item(explorer, "organisations", NEW)
    ref = _ref(new)
    name = page.get_by_test_id(f"proposal-{ref}-name")
    expect(name).to_be_hidden()
    new.get_by_test_id(f"proposal-{ref}-edit").check()
    expect(name).to_be_visible()
    expect(new.get_by_label(_text("proposal.field.helixRole"))).to_have_value("civil_society")
    name.fill(RENAMED)
    umcg_link = _item(explorer, "links", "Universitair Medisch Centrum Groningen")
    link_ref = _ref(umcg_link)
    umcg_link.get_by_test_id(f"proposal-{link_ref}-edit").check()  # the link's own fields
    relation = umcg_link.get_by_label(_text("proposal.field.relation"))
    expect(relation).to_have_value("PARTICIPATES_IN")
    expect(relation.locator("option:checked")).to_have_text(_text("rel.PARTICIPATES_IN"))
    role = umcg_link.get_by_label(_text("proposal.field.role"), exact=True)
    expect(role).to_have_value("partner")
    umcg_link.get_by_test_id(f"proposal-{link_ref}-reject").check()
    expect(umcg_link).to_have_class("proposal-item rejected")

    page.get_by_test_id("edit-proposal-submit").click()
    expect(page.get_by_test_id("edit-dialog-proposal")).to_have_count(0)
    expect(page.get_by_test_id("message")).to_contain_text(
        _text("proposal.saved", version=before + 1, created=2, updated=0, unchanged=0)
    )
    expect(page.get_by_test_id("shown-count")).to_have_attribute("data-version", str(before + 1))

    # one version, one audit entry by the page's key: the foundation and its link only
    assert _version(service) == before + 1
    entries = _audit(service, before)
    assert len(entries) == 1, dump(entries)
    assert entries[0]["actor"] == key_id_of(WRITER)
    keys = sorted(record["key"] for record in entries[0]["details"])
    assert keys == sorted([NEW_ID, f"PARTICIPATES_IN {NEW_ID} {PROJECT}"]), dump(entries[0])
    org = _api(service, "GET", f"/organisations/{NEW_ID}").json()
    assert org["name"] == RENAMED
    assert org["helix_role"] == "civil_society"
    assert org["provenance"] == {"source": FILE, "section": "Samenwerking", "quote": NEW_QUOTE}
    # the rejected link keeps the source it had
    exported = _api(service, "GET", "/export", params={"format": "json"}).json()
    [kept] = [
        e
        for e in exported["edges"]
        if (e["type"], e["source"], e["target"]) == ("PARTICIPATES_IN", "umcg", PROJECT)
    ]
    assert kept["provenance"]["source"] != FILE, dump(kept)


def test_a_file_that_cannot_be_read_is_refused_in_words(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    before = _version(service)
    page.get_by_test_id("edit-propose").click()
    dialog = page.get_by_test_id("edit-dialog-proposal-upload")
    page.get_by_test_id("edit-proposal-upload-submit").click()  # no file chosen yet
    expect(page.get_by_test_id("proposal-upload-error")).to_have_text(_text("proposal.upload.none"))
    page.get_by_test_id("proposal-file").set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 \x00\x01 kapot"}
    )
    page.get_by_test_id("edit-proposal-upload-submit").click()
    error = page.get_by_test_id("proposal-upload-error")
    expect(error).to_contain_text(_text("proposal.upload.failed", detail="").strip())
    expect(dialog).to_be_visible()  # the person can choose another file
    expect(page.get_by_test_id("edit-dialog-proposal")).to_have_count(0)
    _expected_failures(explorer, 422)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("edit-propose")).to_be_focused()
    assert _version(service) == before


def test_a_word_document_is_listed_and_escape_closes_the_review(
    explorer: Explorer, service: Service
) -> None:
    page = explorer.page
    before = _version(service)
    data = docx(
        [
            ("Samenwerking", "Heading1"),
            ("Het UMCG neemt deel aan het project InForCare.", None),
        ]
    )
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    review = _upload(explorer, "voortgang.docx", data, mime)
    umcg = _item(explorer, "organisations", "Universitair Medisch Centrum Groningen")
    expect(umcg.locator(".proposal-section")).to_have_text(
        _text("proposal.section", section="Samenwerking")
    )
    expect(_group(explorer, "links")).to_have_count(1)
    expect(review.locator("input[type=radio]").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("edit-dialog-proposal")).to_have_count(0)
    expect(page.get_by_test_id("edit-propose")).to_be_focused()
    assert _version(service) == before
