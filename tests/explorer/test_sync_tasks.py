"""The analyst's spreadsheet round trip in the explorer, as clicks.

She downloads the list from the page, edits it in Excel (here: openpyxl) — one
organisation moved to another place, a new organisation added, one helix role mistyped —
and uploads it while signed in with her write key. The page lists exactly those three
things, the mistyped cell with its reason in Dutch, and keeps "Toepassen" disabled; the
graph version stays. With the cell fixed she uploads again and applies: one new version,
one change whose audit note is the file's name, the new organisation in the page's search.

One service with keys and one page for the module; the tests run in order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, expect

from app.services.seeding import seed_store
from app.store import Neo4jStore
from graph_schema.i18n import catalogue
from tests.conftest import STORE_KINDS
from tests.explorer.browser import TIMEOUT_MS, VIEWPORT, Explorer, Service, dump, stop_service
from tests.serving import start_service
from tests.sheets import Book

WRITER = "analist-sleutel-0123456789"
AUDITOR = "controle-sleutel-0123456789"
NL = catalogue("nl")
ORGS = "Organisaties"
FILE = "organisaties-december.xlsx"
NEW = "Zorgcoöperatie Westerveld"
NEW_ID = "zorgcooperatie-westerveld"
MOVED_TO = "Dwingeloo"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    folder = tmp_path_factory.mktemp(f"sync-{request.param}")
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
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield Explorer(page, service, request.module.__name__.rsplit(".", 1)[-1])
    finally:
        context.close()


@pytest.fixture(scope="module")
def edits() -> dict[str, Any]:
    """What the tests learn on the way: the downloaded file, the edited rows."""
    return {}


# --------------------------------------------------------------------------- helpers


def _api(service: Service, method: str, path: str, key: str = WRITER, **kw: Any) -> httpx.Response:
    return service.client.request(method, f"/api/v1{path}", headers={"X-API-Key": key}, **kw)


def _version(service: Service) -> int:
    version: int = service.client.get("/health").json()["version"]
    return version


def _upload(explorer: Explorer, data: bytes) -> Locator:
    """Choose the file in the upload dialog and compare it: the difference dialog."""
    page = explorer.page
    page.get_by_test_id("sync-upload").click()
    dialog = page.get_by_test_id("edit-dialog-sync-upload")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("sync-file")).to_be_focused()
    page.get_by_test_id("sync-file").set_input_files(
        {"name": FILE, "mimeType": XLSX, "buffer": data}
    )
    page.get_by_test_id("edit-sync-upload-submit").click()
    review = page.get_by_test_id("edit-dialog-sync")
    expect(review).to_be_visible()
    expect(review.get_by_role("heading", level=2)).to_have_text(
        _text("sync.page.review.title", file=FILE)
    )
    return review


def _rows(explorer: Explorer, group: str) -> Locator:
    return explorer.page.get_by_test_id(f"sync-{group}-table").locator("tbody tr")


# --------------------------------------------------------------------------- the session


def test_a_visitor_downloads_the_list_but_has_no_upload(
    explorer: Explorer, service: Service, edits: dict[str, Any]
) -> None:
    explorer.open("/explorer/")
    page = explorer.page
    expect(page.get_by_test_id("sync-upload")).to_be_hidden()
    expect(page.locator("#sync-download-label")).to_have_text(_text("sync.page.download"))
    download = explorer.download("sync-download-xlsx")
    data = Path(download.path()).read_bytes()
    book = Book.of(data)  # a real workbook with the Dutch sheets
    assert book.book.sheetnames[:2] == [ORGS, "Koppelingen"], book.book.sheetnames
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    expect(page.get_by_test_id("message")).to_contain_text(
        _text("sync.page.downloaded", file=download.suggested_filename)
    )
    edits["workbook"] = data
    csv = explorer.download("sync-download-csv")
    assert csv.suggested_filename.endswith(".zip"), csv.suggested_filename
    assert Path(csv.path()).read_bytes()[:2] == b"PK"


def test_the_difference_and_the_invalid_cell_are_listed_and_nothing_is_written(
    explorer: Explorer, service: Service, edits: dict[str, Any]
) -> None:
    page = explorer.page
    page.get_by_test_id("edit-signin").click()
    page.get_by_test_id("edit-key").fill(WRITER)
    page.get_by_test_id("edit-signin-submit").click()
    expect(page.get_by_test_id("edit-dialog-signin")).to_have_count(0)
    expect(page.get_by_test_id("sync-upload")).to_have_text(_text("sync.page.upload"))

    book = Book.of(edits["workbook"])
    sheet = book.sheet(ORGS)
    first = book.header_row(ORGS) + 1
    moved_row, bad_row = first, first + 1
    moved_id = str(sheet.cell(moved_row, 1).value)
    bad_id = str(sheet.cell(bad_row, 1).value)
    moved_before = book.get(ORGS, moved_row, "Plaats")
    assert moved_before != MOVED_TO
    book.set(ORGS, moved_row, "Plaats", MOVED_TO)
    bad_role = book.get(ORGS, bad_row, "Helixrol")
    book.set(ORGS, bad_row, "Helixrol", "Bedrijfstak")
    book.append(
        ORGS,
        {
            "Naam": NEW,
            "Helixrol": "Maatschappij",
            "Type organisatie": "Maatschappelijke organisatie",
            "Plaats": "Havelte",
        },
    )
    edits.update(moved_id=moved_id, bad_id=bad_id, bad_row=bad_row, bad_role=bad_role)
    edits["bad_code"] = _api(service, "GET", f"/organisations/{bad_id}").json()["helix_role"]
    edits["book"] = book
    before = _version(service)
    edits["before"] = before

    review = _upload(explorer, book.bytes())
    # exactly the three edits: one change, one addition, one invalid cell, nothing removed
    changed = _rows(explorer, "changed")
    expect(changed).to_have_count(1)
    expect(changed).to_have_attribute("data-id", moved_id)
    moved_name = _api(service, "GET", f"/organisations/{moved_id}").json()["name"]
    expect(changed.locator("th")).to_have_text(moved_name)
    expect(changed.locator("li[data-field='place']")).to_have_text(
        _text(
            "sync.page.field",
            field=NL["edit.field.place"],
            before=moved_before or NL["sync.page.empty"],
            after=MOVED_TO,
        )
    )
    # besides the place only what follows from it: the province and the row's new source
    fields = changed.locator("li").evaluate_all("els => els.map(e => e.dataset.field)")
    assert set(fields) <= {"place", "province", "provenance"}, fields
    expect(changed.locator("li[data-field='provenance']")).to_contain_text(FILE)
    added = _rows(explorer, "added")
    expect(added).to_have_count(1)
    expect(added.locator("th")).to_have_text(NEW)
    expect(_rows(explorer, "removed")).to_have_count(0)
    invalid = _rows(explorer, "invalid")
    expect(invalid).to_have_count(1)
    expect(invalid.locator("td")).to_have_text(
        [
            ORGS,
            str(bad_row),
            "Helixrol",
            "Bedrijfstak",
            "'Bedrijfstak' is geen bekende waarde; kies uit Overheid, "
            "Kennis & onderwijs, Bedrijfsleven, Maatschappij",
        ]
    )
    # a table with headers a screen reader announces
    expect(page.get_by_test_id("sync-invalid-table").locator("thead th")).to_have_text(
        [_text(f"sync.page.col.{c}") for c in ("sheet", "row", "column", "value", "reason")]
    )
    expect(page.get_by_test_id("sync-problems")).to_have_text(_text("sync.page.blocked", n=1))
    apply = page.get_by_test_id("edit-sync-submit")
    expect(apply).to_have_text(_text("sync.page.apply"))
    expect(apply).to_be_disabled()
    explorer.screenshot("sync-difference")
    assert _version(service) == before  # comparing writes nothing

    page.keyboard.press("Escape")  # cancel: nothing written, focus back on the button
    expect(review).to_have_count(0)
    expect(page.get_by_test_id("sync-upload")).to_be_focused()
    assert _version(service) == before
    assert _api(service, "GET", f"/organisations/{NEW_ID}").status_code == 404


def test_the_fixed_file_is_applied_as_one_version_noted_with_its_name(
    explorer: Explorer, service: Service, edits: dict[str, Any]
) -> None:
    page = explorer.page
    book: Book = edits["book"]
    book.set(ORGS, edits["bad_row"], "Helixrol", edits["bad_role"])
    before = edits["before"]
    assert _version(service) == before

    _upload(explorer, book.bytes())
    expect(_rows(explorer, "invalid")).to_have_count(0)
    expect(_rows(explorer, "changed")).to_have_count(1)
    expect(_rows(explorer, "added")).to_have_count(1)
    apply = page.get_by_test_id("edit-sync-submit")
    expect(apply).to_be_enabled()
    apply.click()
    expect(page.get_by_test_id("edit-dialog-sync")).to_have_count(0)
    expect(page.get_by_test_id("message")).to_contain_text(
        _text("sync.page.applied", version=before + 1, added=1, changed=1, removed=0)
    )
    expect(page.get_by_test_id("shown-count")).to_have_attribute("data-version", str(before + 1))

    assert _version(service) == before + 1
    changes = _api(service, "GET", "/changes", params={"since": before}).json()["data"]
    assert len(changes) == 1, dump(changes)
    assert NEW_ID in changes[0]["nodes"], dump(changes)
    audit = _api(service, "GET", "/audit", AUDITOR, params={"since": before}).json()["data"]
    assert [(e["version"], e["note"]) for e in audit] == [(before + 1, FILE)], dump(audit)
    moved = _api(service, "GET", f"/organisations/{edits['moved_id']}").json()
    assert moved["place"] == MOVED_TO
    bad = _api(service, "GET", f"/organisations/{edits['bad_id']}").json()
    assert bad["helix_role"] == edits["bad_code"]  # the fixed cell: the role it had

    # the new organisation is found in the page's search
    page.get_by_test_id("search").fill("Westerveld")
    hit = page.get_by_test_id("search-results").locator(f"li[data-id='{NEW_ID}']")
    expect(hit).to_be_visible()
    hit.click()
    expect(page.get_by_test_id("panel")).to_contain_text(NEW)
