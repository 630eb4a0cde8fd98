"""The spreadsheet round trip over HTTP: download the organisations and links, edit them
as an analyst does in Excel, see the difference, write it in one version."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore
from graph_schema import GraphData, Organisation
from graph_schema.interchange import graph_to_document
from tests.conftest import org, small_graph
from tests.sheets import Book, csv_rows, december_edits, rezip

WRITER = "sync-writer-key-000001"
ADMIN = "sync-admin-key-0000001"
ORGS, LINKS = "Organisaties", "Koppelingen"
FILE = "organisaties-december.xlsx"


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    store.upsert(small_graph())
    settings = Settings(api_keys=f"{WRITER}:write,{ADMIN}:admin", open_reads=True)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def download(client: TestClient, fmt: str = "xlsx", lang: str = "nl") -> bytes:
    response = client.get("/api/v1/sync/workbook", params={"format": fmt, "lang": lang})
    assert response.status_code == 200, response.text
    content: bytes = response.content
    return content


def upload(
    client: TestClient, data: bytes, *, dry_run: bool, name: str = FILE, lang: str = "nl"
) -> tuple[int, dict[str, Any]]:
    response = client.post(
        "/api/v1/sync",
        params={"dry_run": str(dry_run).lower(), "lang": lang},
        content=data,
        headers={"X-API-Key": WRITER, "X-Filename": name},
    )
    body: dict[str, Any] = response.json()
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    return response.status_code, body


def version(client: TestClient) -> int:
    answer: int = client.get("/health").json()["version"]
    return answer


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def edited(client: TestClient, *, bad_role: bool = True) -> tuple[bytes, int]:
    """The December edits (see :func:`tests.sheets.december_edits`) to a fresh download."""
    return december_edits(download(client), bad_role=bad_role)


@pytest.mark.parametrize(("fmt", "lang"), [("xlsx", "nl"), ("xlsx", "en"), ("csv", "nl")])
def test_an_unchanged_download_uploads_as_no_difference(
    store: GraphStore, fmt: str, lang: str
) -> None:
    seed_store(store)  # the whole Drenthe agenda: every kind of value round-trips
    with TestClient(create_app(Settings(api_keys=f"{WRITER}:write"), store=store)) as client:
        before = version(client)
        data = download(client, fmt, lang)
        for dry_run in (True, False):
            status, body = upload(client, data, dry_run=dry_run, name=f"lijst.{fmt}")
            assert status == 200, body
            assert (body["added"], body["changed"], body["removed"], body["invalid"]) == (
                [],
                [],
                [],
                [],
            )
            assert body["written"] is False
        assert version(client) == before


def test_the_workbook_speaks_the_readers_language(client: TestClient) -> None:
    nl, en = Book.of(download(client)), Book.of(download(client, lang="en"))
    assert nl.book.sheetnames == [ORGS, LINKS]
    assert en.book.sheetnames == ["Organisations", "Links"]
    assert nl.get(ORGS, nl.row_of(ORGS, "acme"), "Helixrol") == "Bedrijfsleven"
    assert en.get("Organisations", en.row_of("Organisations", "acme"), "Helix role") == "Industry"
    assert nl.get(LINKS, nl.row_of(LINKS, "acme", "action-x-1"), "Relatie") == "partner in"
    assert nl.get(ORGS, nl.row_of(ORGS, "mkb"), "Algemene groep") == "ja"
    choices = {v.formula1 for v in nl.sheet(ORGS).data_validations.dataValidation}
    assert '"Overheid,Kennis & onderwijs,Bedrijfsleven,Maatschappij"' in choices
    response = client.get("/api/v1/sync/workbook")
    name = f"organisaties-en-koppelingen-v{version(client)}.xlsx"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'


def test_the_dry_run_shows_exactly_the_edits_and_why_a_cell_is_refused(
    client: TestClient,
) -> None:
    before = version(client)
    data, town_row = edited(client)
    status, body = upload(client, data, dry_run=True)
    assert status == 200, body
    assert ids(body["added"]) == ["zorg-start-up-assen"]
    assert ids(body["changed"]) == ["acme"]
    assert body["changed"][0]["fields"]["place"] == ["Roden", "Assen"]
    assert ids(body["removed"]) == ["PARTNER_IN uni action-x-1"]
    assert body["invalid"] == [
        {
            "sheet": ORGS,
            "row": town_row,
            "column": "Helixrol",
            "value": "Bedrijfstak",
            "reason": "'Bedrijfstak' is geen bekende waarde; kies uit Overheid, "
            "Kennis & onderwijs, Bedrijfsleven, Maatschappij",
        }
    ]
    assert body["dry_run"] is True
    assert body["version"] == before == version(client)
    _, english = upload(client, data, dry_run=True, lang="en")
    assert english["invalid"][0]["reason"] == (
        "'Bedrijfstak' is not a known value; choose from Government, Knowledge & education, "
        "Industry, Civil society"
    )


def test_an_upload_with_an_invalid_cell_is_refused_whole(
    client: TestClient, store: GraphStore
) -> None:
    before, graph = version(client), graph_to_document(store.snapshot())
    data, town_row = edited(client)
    status, problem = upload(client, data, dry_run=False)
    assert status == 422
    assert problem["detail"] == "1 ongeldige cel; er is niets geschreven"
    assert [(p["row"], p["column"], p["value"]) for p in problem["invalid"]] == [
        (town_row, "Helixrol", "Bedrijfstak")
    ]
    assert version(client) == before
    assert graph_to_document(store.snapshot()) == graph


def test_the_fixed_file_is_written_in_one_version_noted_with_its_name(
    client: TestClient, store: GraphStore
) -> None:
    before = version(client)
    data, _ = edited(client, bad_role=False)
    status, body = upload(client, data, dry_run=False)
    assert status == 200, body
    assert body["written"] is True
    assert body["version"] == before + 1 == version(client)
    changes = client.get("/api/v1/changes", params={"since": before}).json()["data"]
    assert len(changes) == 1
    assert "zorg-start-up-assen" in changes[0]["nodes"]
    assert "PARTNER_IN uni action-x-1" in changes[0]["relationships"]
    audit = client.get("/api/v1/audit", params={"since": before}, headers={"X-API-Key": ADMIN})
    (entry,) = audit.json()["data"]
    assert (entry["version"], entry["note"]) == (before + 1, FILE)
    acme, new = store.get_nodes(["acme", "zorg-start-up-assen"]).values()
    assert isinstance(acme, Organisation)
    assert (acme.place, acme.province) == ("Assen", "Drenthe")
    assert acme.provenance is not None
    assert acme.provenance.source == FILE
    assert new.provenance is not None
    assert new.provenance.section.startswith("Organisaties, rij ")
    assert new.provenance.quote == "Zorg Start-up Assen"
    links = {(r.type, r.source, r.target) for r in store.snapshot().relationships}
    assert ("PARTNER_IN", "uni", "action-x-1") not in links
    assert ("PARTNER_IN", "acme", "action-x-1") in links
    # what was written downloads again as what the analyst uploaded
    status, again = upload(client, download(client), dry_run=True)
    assert (again["added"], again["changed"], again["removed"]) == ([], [], [])


def test_the_dutch_csv_zip_round_trips(client: TestClient, store: GraphStore) -> None:
    archive = download(client, "csv")
    rows = csv_rows(archive, "organisaties.csv")
    assert rows[0][:4] == ["Id", "Naam", "Ook bekend als", "Helixrol"]
    acme = next(row for row in rows if row[0] == "acme")
    acme[rows[0].index("Plaats")] = "Assen"
    rows.append(["", "Zorgcoöperatie Emmen", "", "Maatschappij", "", "Zorgaanbieder"])
    edited_zip = rezip(archive, "organisaties.csv", rows)
    status, body = upload(client, edited_zip, dry_run=True, name="lijst.zip")
    assert status == 200, body
    assert ids(body["changed"]) == ["acme"]
    assert ids(body["added"]) == ["zorgcooperatie-emmen"]
    assert body["added"][0]["row"] == len(rows)
    assert (body["removed"], body["invalid"]) == ([], [])
    status, body = upload(client, edited_zip, dry_run=False, name="lijst.zip")
    assert status == 200, body
    node = store.get_nodes(["zorgcooperatie-emmen"])["zorgcooperatie-emmen"]
    assert isinstance(node, Organisation)
    assert (node.helix_role, node.org_type, node.provenance) == (
        "civil_society",
        "care_provider",
        node.provenance,
    )
    assert node.provenance is not None
    assert node.provenance.source == "lijst.zip"


def test_codes_and_words_of_either_language_are_read_alike(client: TestClient) -> None:
    book = Book.of(download(client))
    row = book.row_of(ORGS, "acme")
    book.set(ORGS, row, "Id", "ACME")  # an id typed in capitals is the same id
    for said in ("industry", "INDUSTRY", "Industry", "bedrijfsleven"):
        book.set(ORGS, row, "Helixrol", said)
        status, body = upload(client, book.bytes(), dry_run=True)
        assert status == 200, body
        assert (body["changed"], body["invalid"]) == ([], []), said
    english = Book.of(download(client, lang="en"))  # English headers, uploaded in Dutch
    english.set("Organisations", english.row_of("Organisations", "uni"), "Helix role", "Overheid")
    status, body = upload(client, english.bytes(), dry_run=True)
    assert body["changed"][0]["fields"]["helix_role"] == ["knowledge", "government"]


def test_a_link_to_nothing_and_a_removed_organisation_are_named(client: TestClient) -> None:
    book = Book.of(download(client))
    row = book.append(
        LINKS, {"Van (id)": "acme", "Relatie": "partner in", "Naar": "Actie die niet bestaat"}
    )
    book.sheet(ORGS).delete_rows(book.row_of(ORGS, "uni"))  # its link row stays
    status, body = upload(client, book.bytes(), dry_run=True)
    assert status == 200, body
    by_row = {(p["row"], p["column"]): p for p in body["invalid"]}
    assert set(by_row) == {(row, "Naar"), (book.row_of(LINKS, "uni", "action-x-1"), "Van (id)")}
    assert "'Actie die niet bestaat' staat niet op het blad" in by_row[(row, "Naar")]["reason"]
    assert ids(body["removed"]) == ["uni"]


def test_removing_an_organisation_and_its_rows_removes_its_links(
    client: TestClient, store: GraphStore
) -> None:
    book = Book.of(download(client))
    book.sheet(LINKS).delete_rows(book.row_of(LINKS, "uni", "action-x-1"))
    book.sheet(ORGS).delete_rows(book.row_of(ORGS, "uni"))
    status, body = upload(client, book.bytes(), dry_run=False)
    assert status == 200, body
    assert ids(body["removed"]) == ["uni", "PARTNER_IN uni action-x-1"]
    assert store.get_nodes(["uni"]) == {}
    assert not [r for r in store.snapshot().relationships if "uni" in (r.source, r.target)]


def test_a_file_that_is_no_workbook_is_a_problem_in_the_readers_language(
    client: TestClient,
) -> None:
    photos = io.BytesIO()
    with zipfile.ZipFile(photos, "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8\xff")
    for data in (b"Id;Naam\r\nacme;ACME\r\n", photos.getvalue(), download(client)[:5000]):
        status, problem = upload(client, data, dry_run=True)
        assert status == 422
        assert problem["detail"] == (
            "het bestand is geen Excel-werkmap (.xlsx) en geen zip met CSV-bestanden van helixgraph"
        )


def test_uploading_takes_a_write_key_and_a_multipart_form_names_the_file(
    client: TestClient,
) -> None:
    data = download(client)
    assert client.post("/api/v1/sync", content=data).status_code == 401
    response = client.post(
        "/api/v1/sync",
        params={"dry_run": "true"},
        files={"file": ("lijst van Anne.xlsx", data)},
        headers={"X-API-Key": WRITER},
    )
    assert response.status_code == 200, response.text
    assert response.json()["file"] == "lijst van Anne.xlsx"


def test_a_link_given_by_name_is_found_and_a_contradicting_name_is_refused(
    client: TestClient,
) -> None:
    book = Book.of(download(client))
    by_name = book.append(LINKS, {"Van": "Town", "Relatie": "Partner in", "Naar": "Do X"})
    renamed = book.row_of(LINKS, "acme", "action-x-1")
    book.set(LINKS, renamed, "Naar", "Iets anders")  # the id column still says action-x-1
    role = book.row_of(LINKS, "uni", "action-x-1")
    book.set(LINKS, role, "Relatie", "neemt deel aan")
    book.set(LINKS, role, "Rol", "trekker")
    status, body = upload(client, book.bytes(), dry_run=True)
    assert status == 200, body
    assert ids(body["added"]) == ["PARTNER_IN town action-x-1"]
    assert body["added"][0]["row"] == by_name
    reasons = {(p["row"], p["column"]): p["reason"] for p in body["invalid"]}
    assert reasons == {
        (renamed, "Naar"): "'action-x-1' is 'Do X', niet 'Iets anders'; laat id en naam "
        "hetzelfde zeggen of maak één van beide leeg",
        (role, "Rol"): "'trekker' is geen bekende waarde; kies uit penvoerder, partner",
    }


def test_what_a_colleague_changed_after_the_download_is_kept_or_named(
    client: TestClient, store: GraphStore
) -> None:
    book = Book.of(download(client))
    downloaded = version(client)
    town = store.get_nodes(["town"])["town"]
    colleague = GraphData(
        nodes=(
            town.model_copy(update={"place": "Emmen"}),
            org("newco", name="NewCo", place="Hoogeveen"),
        )
    )
    store.upsert(colleague)  # the explorer's edits, after the analyst's download
    # the file as downloaded: the colleague's place and organisation stay
    status, body = upload(client, book.bytes(), dry_run=True)
    assert (body["added"], body["changed"], body["removed"], body["invalid"]) == ([], [], [], [])
    # the analyst's own edit goes through; the colleague's stays
    book.set(ORGS, book.row_of(ORGS, "acme"), "Plaats", "Assen")
    status, body = upload(client, book.bytes(), dry_run=True)
    assert (ids(body["changed"]), body["removed"], body["invalid"]) == (["acme"], [], [])
    # both changed TOWN: refused, never overwritten unseen
    town_row = book.row_of(ORGS, "town")
    book.set(ORGS, town_row, "Plaats", "Meppel")
    status, problem = upload(client, book.bytes(), dry_run=False)
    assert status == 422
    assert [(p["row"], p["column"], p["value"], p["reason"]) for p in problem["invalid"]] == [
        (
            town_row,
            "Id",
            "town",
            f"is na de download (gegevensversie {downloaded}) ook in de graaf gewijzigd, in "
            f"versie {downloaded + 1}; download het bestand opnieuw en breng de wijziging "
            "daarin aan",
        )
    ]
    assert store.get_nodes(["town"])["town"].model_dump()["place"] == "Emmen"


def test_a_place_moved_to_another_province_takes_its_province_along(client: TestClient) -> None:
    book = Book.of(download(client))
    row = book.row_of(ORGS, "acme")
    assert book.get(ORGS, row, "Provincie") == "Drenthe"
    book.set(ORGS, row, "Plaats", "Leeuwarden")  # the province column still says Drenthe
    status, body = upload(client, book.bytes(), dry_run=True)
    assert status == 200, body
    (changed,) = body["changed"]
    assert changed["fields"]["place"] == ["Roden", "Leeuwarden"]
    assert changed["fields"]["province"] == ["Drenthe", "Fryslân"]
    assert body["invalid"] == []


def test_a_workbook_without_its_links_sheet_removes_nothing(client: TestClient) -> None:
    book = Book.of(download(client, lang="en"))
    del book.book["Links"]
    status, body = upload(client, book.bytes(), dry_run=True, lang="en")
    assert status == 200, body
    assert body["removed"] == []
    assert body["invalid"] == [
        {
            "sheet": "Links",
            "row": None,
            "column": None,
            "value": "",
            "reason": "the sheet 'Links' is missing",
        }
    ]
