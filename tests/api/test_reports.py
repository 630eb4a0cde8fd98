"""The policy analyst's downloads: tables that open cleanly in Dutch Excel, a workbook with
real numbers, and the monitoring report as HTML and PDF — in Dutch unless asked otherwise,
for the whole network or one theme. Each file is read back as the analyst's tools would
read it: the CSV with the csv module as Dutch Excel splits it, the workbook with openpyxl,
the PDF with pypdf."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from typing import cast

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore

READER = "reader-key-0123456789"
TABLES = ("theme-crossovers", "helix-mix", "missing-roles", "brokers", "communities", "kpis")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM = "application/problem+json"
DIGITAL = {"theme": "theme-digitalisering"}
NEED = {"org": "bdrc", "themes": ["theme-digitalisering"], "top": 5}


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    seed_store(store)
    with TestClient(create_app(Settings(api_keys=f"{READER}:read"), store=store)) as test_client:
        yield test_client


def dutch_excel(body: bytes) -> list[list[str]]:
    """The rows as Dutch Excel splits them: UTF-8 with a byte-order mark, ';' between."""
    assert body.startswith(b"\xef\xbb\xbf"), "without the BOM Excel garbles ë and é"
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def english_excel(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=","))


def table(client: TestClient, name: str, **params: str) -> list[dict[str, str]]:
    response = client.get(f"/api/v1/analytics/tables/{name}", params=params)
    assert response.status_code == 200, response.text
    header, *rows = dutch_excel(response.content)
    assert all(len(row) == len(header) for row in rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


def decimal(text: str) -> float:
    """A Dutch number as Excel reads it: decimal comma, no thousands separator."""
    assert re.fullmatch(r"-?\d+(,\d+)?", text), text
    return float(text.replace(",", "."))


def theme_names(client: TestClient) -> dict[str, str]:
    themes = client.get("/api/v1/themes", params={"limit": 100}).json()["data"]
    return {theme["id"]: theme["name"] for theme in themes}


def workbook_sheet(client: TestClient, url: str, **params: str) -> list[tuple[object, ...]]:
    response = client.get(url, params={**params, "format": "xlsx"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


# --------------------------------------------------------------------------- CSV


def test_theme_crossovers_open_in_dutch_excel_as_cells_of_the_heatmap(
    client: TestClient,
) -> None:
    response = client.get("/api/v1/analytics/tables/theme-crossovers")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    version = client.get("/api/v1/analytics/kpis").json()["version"]
    assert disposition == (
        f'attachment; filename="cross-overs-tussen-themas-het-hele-netwerk-v{version}.csv"'
    )
    header, *rows = dutch_excel(response.content)
    assert header == [
        "Thema A",
        "Thema B",
        "Organisaties in beide (waargenomen)",
        "Verwacht",
        "Verhouding waargenomen/verwacht",
        "Zwak",
        "Gedeelde activiteiten",
        "Organisaties in beide",
    ]
    # one row per cell of the 6 × 6 theme heatmap above its diagonal, named as the agenda
    names = theme_names(client)
    pairs = {frozenset((row[0], row[1])) for row in rows}
    assert len(rows) == len(pairs) == 15
    assert set().union(*pairs) == set(names.values())  # not organisations
    assert len(names) == 6
    assert "Food & lifestyle" in names.values()
    for a, b, observed, expected, ratio, weak, shared, _ in rows:
        assert re.fullmatch(r"\d+", observed)
        assert re.fullmatch(r"\d+", shared)
        assert re.fullmatch(r"\d+,\d", expected), expected  # one decimal, a comma
        assert weak in {"ja", "nee"}
        if ratio:
            assert re.fullmatch(r"\d+,\d\d", ratio), ratio
            # the ratio of the unrounded expectation: within what rounding it to 0,1 allows
            low, high = decimal(expected) - 0.05, decimal(expected) + 0.05
            assert int(observed) / high - 0.005 <= decimal(ratio) <= int(observed) / low + 0.005
        if weak == "ja":
            assert decimal(ratio) < 0.75
            assert decimal(expected) >= 1
        assert a != b


def test_every_table_has_dutch_headers_and_no_long_numbers(client: TestClient) -> None:
    first_headers = {
        "theme-crossovers": "Thema A",
        "helix-mix": "Helixrol A",
        "missing-roles": "Soort",
        "brokers": "Rang",
        "communities": "Gemeenschap",
        "kpis": "Kengetal",
    }
    for name in TABLES:
        response = client.get(f"/api/v1/analytics/tables/{name}")
        header, *rows = dutch_excel(response.content)
        assert header[0] == first_headers[name]
        assert rows, name
        for row in rows:
            for cell in row:
                if re.fullmatch(r"-?[\d.,]+%?", cell):  # a number: Dutch, rounded
                    assert "." not in cell, (name, cell)
                    assert len(cell.rstrip("%").partition(",")[2]) <= 3, (name, cell)
    brokers = table(client, "brokers")
    assert [int(r["Rang"]) for r in brokers[:3]] == [1, 2, 3]
    assert all(re.fullmatch(r"0,\d{3}|1,000", r["Tussenpositie"]) for r in brokers)
    assert all(re.fullmatch(r"(\d+,\d)?", r["Effectieve omvang"]) for r in brokers)
    assert {r["Knooppunt"] for r in brokers} == {"ja", "nee"}
    assert all(r["Waarom"].startswith(r["Organisatie"]) for r in brokers[:10])
    kpis = {r["Kengetal"]: r["Waarde"] for r in table(client, "kpis")}
    assert re.fullmatch(r"\d+", kpis["Organisaties"])
    assert re.fullmatch(r"0,\d{3}", kpis["Dichtheid"])
    assert re.fullmatch(r"\d{1,3},\d%", kpis["Aandeel tussen helixrollen"])
    helix = table(client, "helix-mix")
    roles = {"Overheid", "Kennis & onderwijs", "Bedrijfsleven", "Maatschappij"}
    assert len(helix) == 10  # four roles: 4 diagonal cells and 6 pairs
    assert {r["Helixrol A"] for r in helix} | {r["Helixrol B"] for r in helix} == roles


def test_english_tables_use_commas_between_fields_and_decimal_points(client: TestClient) -> None:
    response = client.get("/api/v1/analytics/tables/brokers", params={"lang": "en"})
    header, *rows = english_excel(response.content)
    assert header[:5] == ["Rank", "Organisation", "Helix role", "Ties", "Betweenness"]
    assert all(re.fullmatch(r"[01]\.\d{3}", row[4]) for row in rows)
    assert {row[8] for row in rows} == {"yes", "no"}
    kpis = dict(english_excel(client.get("/api/v1/analytics/tables/kpis?lang=en").content)[1:])
    assert re.fullmatch(r"\d{1,3}\.\d%", kpis["Share across helix roles"])
    assert response.headers["content-disposition"].startswith('attachment; filename="brokers-')


def organisations_shown(name: str, rows: list[dict[str, str]]) -> int:
    """How many organisations (for helix × helix: ties) a table shows."""
    if name == "theme-crossovers":
        return len({o for r in rows for o in r["Organisaties in beide"].split(", ") if o})
    if name == "helix-mix":
        return sum(int(r["Verbindingen (waargenomen)"]) for r in rows)
    if name in {"missing-roles", "brokers"}:
        return len(rows)
    if name == "communities":
        return sum(int(r["Organisaties"]) for r in rows)
    return int(next(r["Waarde"] for r in rows if r["Kengetal"] == "Organisaties"))


def test_the_theme_filter_narrows_every_table_and_its_caption_says_so(
    client: TestClient,
) -> None:
    for name in TABLES:
        whole = organisations_shown(name, table(client, name))
        digital = organisations_shown(name, table(client, name, **DIGITAL))
        assert 0 < digital < whole, name
        response = client.get(f"/api/v1/analytics/tables/{name}", params=DIGITAL)
        filename = response.headers["content-disposition"].split("filename=")[1].strip('"')
        assert re.fullmatch(r"[a-z0-9-]+-thema-digitalisering-v\d+\.csv", filename), filename
        sheet = workbook_sheet(client, f"/api/v1/analytics/tables/{name}", **DIGITAL)
        caption = str(sheet[1][0])
        assert caption.startswith("Thema Digitalisering · gegevensversie "), caption
        whole_sheet = workbook_sheet(client, f"/api/v1/analytics/tables/{name}")
        assert str(whole_sheet[1][0]).startswith("Het hele netwerk · gegevensversie ")


# --------------------------------------------------------------------------- XLSX


def test_the_workbook_holds_numbers_with_a_number_format(client: TestClient) -> None:
    response = client.get("/api/v1/analytics/tables/brokers", params={"format": "xlsx"})
    assert response.headers["content-type"] == XLSX
    assert re.fullmatch(
        r'attachment; filename="verbinders-het-hele-netwerk-v\d+\.xlsx"',
        response.headers["content-disposition"],
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Verbinders"]
    assert sheet["A1"].value == "Verbinders"
    assert [cell.value for cell in sheet[4]][:5] == [
        "Rang",
        "Organisatie",
        "Helixrol",
        "Verbindingen",
        "Tussenpositie",
    ]
    rank, organisation, role, degree, betweenness = (cell for cell in sheet[5][:5])
    assert (rank.value, rank.number_format) == (1, "0")
    assert isinstance(organisation.value, str)
    assert organisation.data_type == "s"
    assert role.value in {"Overheid", "Kennis & onderwijs", "Bedrijfsleven", "Maatschappij"}
    assert isinstance(degree.value, int)
    assert degree.value > 0
    assert isinstance(betweenness.value, float)
    assert betweenness.number_format == "0.000"
    assert betweenness.value == round(betweenness.value, 3)
    kpis = workbook_sheet(client, "/api/v1/analytics/tables/kpis")
    values = {row[0]: row[1] for row in kpis[4:]}
    assert isinstance(values["Organisaties"], int)
    share = values["Aandeel tussen helixrollen"]
    assert isinstance(share, float)
    assert 0 < share < 1
    kpi_book = load_workbook(
        io.BytesIO(client.get("/api/v1/analytics/tables/kpis?format=xlsx").content)
    )
    formats = {row[0].value: row[1].number_format for row in kpi_book.worksheets[0].iter_rows(5)}
    assert formats["Aandeel tussen helixrollen"] == "0.0%"
    assert formats["Dichtheid"] == "0.000"


# --------------------------------------------------------------------------- the report


def embedded_fonts(pdf: PdfReader) -> set[str]:
    """The fonts whose file the PDF carries (not just names a reader must substitute)."""
    found: set[str] = set()
    for page in pdf.pages:
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        fonts = cast(DictionaryObject, resources["/Font"].get_object())
        for reference in fonts.values():
            font = cast(DictionaryObject, reference.get_object())
            descendants = cast(ArrayObject, font["/DescendantFonts"].get_object())
            descendant = cast(DictionaryObject, descendants[0].get_object())
            descriptor = cast(DictionaryObject, descendant["/FontDescriptor"].get_object())
            if "/FontFile2" in descriptor:
                found.add(str(descriptor["/FontName"]).split("+")[-1])
    return found


def test_the_pdf_report_is_dutch_with_the_agendas_theme_names_and_its_font(
    client: TestClient,
) -> None:
    response = client.get("/api/v1/analytics/report", params={**DIGITAL, "format": "pdf"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert re.fullmatch(
        r'attachment; filename="monitor-van-de-samenwerking-thema-digitalisering-v\d+\.pdf"',
        response.headers["content-disposition"],
    )
    assert response.content.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) >= 3
    assert embedded_fonts(pdf) == {"DejaVuSansCondensed", "DejaVuSansCondensedBold"}
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert text.startswith("Monitor van de samenwerking")
    assert "Filter Thema Digitalisering" in text
    for heading in ("Verbinders: wie houdt het netwerk bij elkaar", "Zwakke cross-overs"):
        assert heading in text
    names = theme_names(client)
    assert names["theme-digitalisering"] in text
    assert names["theme-medische-technologie"] in text  # a theme the digital actions share
    assert "Legenda: waargenomen gedeeld door verwacht" in text
    assert "Pagina 1 van " in text
    assert "Whole network" not in text
    assert "theme-digitalisering" not in text


def test_the_html_report_holds_the_heatmaps_with_their_legend(client: TestClient) -> None:
    response = client.get("/api/v1/analytics/report")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in response.headers["content-security-policy"]
    page = response.text
    assert page.startswith('<!DOCTYPE html><html lang="nl">')
    assert "<h1>Monitor van de samenwerking</h1>" in page
    heatmap = re.search(r"<svg[^>]*><title>Thema × thema[^<]*</title>.*?</svg>", page)
    assert heatmap, "no theme × theme heatmap"
    svg = heatmap.group(0)
    for name in theme_names(client).values():  # each row of the heatmap, whole
        assert f">{html.escape(name)}</text>" in svg, name
    assert "Legenda: waargenomen gedeeld door verwacht" in svg
    assert ">0,25<" in svg
    assert ">4,00<" in svg
    assert "minder dan verwacht" in svg
    assert "meer dan verwacht" in svg
    assert "<title>Helix × helix" in page
    english = client.get("/api/v1/analytics/report", params={"lang": "en"}).text
    assert english.startswith('<!DOCTYPE html><html lang="en">')
    assert "Legend: observed divided by expected" in english
    assert ">0.25<" in english


# --------------------------------------------------------------------------- match


def test_the_match_list_is_the_match_answer_as_a_table(client: TestClient) -> None:
    answer = client.post("/api/v1/match", json=NEED).json()
    response = client.post("/api/v1/match/table", json=NEED)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="partners-voor-bethesda-diabetes-research-center-'
        r'thema-digitalisering-v\d+\.csv"',
        response.headers["content-disposition"],
    )
    header, *rows = dutch_excel(response.content)
    assert header == [
        "Rang",
        "Organisatie",
        "Helixrol",
        "Type organisatie",
        "Plaats",
        "Score",
        "Redenen",
        "Introductiepad",
    ]
    candidates = answer["candidates"]
    assert [row[1] for row in rows] == [c["name"] for c in candidates]
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
    for row, candidate in zip(rows, candidates, strict=True):
        assert row[2] == candidate["role_label"]
        assert row[3] == candidate["type_label"]
        assert re.fullmatch(r"\d+,\d\d", row[5])
        assert decimal(row[5]) == round(candidate["score"], 2)
        assert "werkt aan Digitalisering" in row[6]
        assert row[7].startswith("Bethesda Diabetes Research Center")  # the path from BDRC
    book = load_workbook(
        io.BytesIO(client.post("/api/v1/match/table?format=xlsx", json=NEED).content)
    )
    first = book["Partners"][5]
    assert isinstance(first[5].value, float)
    assert first[5].number_format == "0.00"
    assert str(book["Partners"]["A2"].value).startswith(
        "Voor Bethesda Diabetes Research Center; thema Digitalisering · gegevensversie "
    )
    english = client.post("/api/v1/match/table", json={**NEED, "lang": "en"})
    header, *rows = english_excel(english.content)
    assert header[:3] == ["Rank", "Organisation", "Helix role"]
    assert all(re.fullmatch(r"\d+\.\d\d", row[5]) for row in rows)


# --------------------------------------------------------------------------- errors, access


def test_bad_requests_are_problems_that_say_what_to_fix(client: TestClient) -> None:
    unknown = client.get("/api/v1/analytics/tables/organisations")
    assert unknown.status_code == 422
    assert unknown.headers["content-type"] == PROBLEM
    assert "theme-crossovers" in unknown.json()["detail"]
    theme = client.get("/api/v1/analytics/tables/kpis", params={"theme": "theme-ruimtevaart"})
    assert theme.status_code == 422
    assert theme.headers["content-type"] == PROBLEM
    assert "Onbekend thema theme-ruimtevaart" in theme.json()["detail"]
    assert "theme-digitalisering" in theme.json()["detail"]
    report = client.get("/api/v1/analytics/report", params={"format": "docx"})
    assert report.status_code == 422
    assert report.headers["content-type"] == PROBLEM
    nobody = client.post("/api/v1/match/table", json={"org": "niemand-bekend"})
    assert nobody.status_code == 404
    assert nobody.headers["content-type"] == PROBLEM
    assert "niemand-bekend" in nobody.json()["detail"]


def test_downloads_need_the_read_scope_when_reads_are_closed(store: GraphStore) -> None:
    seed_store(store)
    settings = Settings(api_keys=f"{READER}:read", open_reads=False)
    with TestClient(create_app(settings, store=store)) as closed:
        key = {"X-API-Key": READER}
        for method, url, body in (
            ("GET", "/api/v1/analytics/tables/kpis", None),
            ("GET", "/api/v1/analytics/report", None),
            ("POST", "/api/v1/match/table", NEED),
        ):
            assert closed.request(method, url, json=body).status_code == 401, url
            assert closed.request(method, url, json=body, headers=key).status_code == 200, url


def test_a_control_character_in_a_keyword_does_not_break_the_workbook(client: TestClient) -> None:
    need = {"keywords": ["PGO\u0007"], "roles": ["civil_society"]}
    response = client.post("/api/v1/match/table?format=xlsx", json=need)
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content))["Partners"]
    assert str(sheet["A2"].value).startswith("Trefwoord PGO; rol maatschappij · gegevensversie ")


def test_the_missing_roles_table_follows_the_without_filter(client: TestClient) -> None:
    everything = table(client, "missing-roles")
    without_industry = table(client, "missing-roles", missing_role="industry")
    listed = client.get(
        "/api/v1/analytics/gaps/missing-roles", params={"missing_role": "industry", "limit": 1000}
    ).json()
    assert len(without_industry) == listed["total"] < len(everything)
    assert [row["Activiteit"] for row in without_industry] == [r["name"] for r in listed["rows"]]
    for row in without_industry:
        flagged = row["Rol alleen via algemene groep (zoals ‘mkb’)"]
        assert "Bedrijfsleven" in row["Ontbrekende rollen"] or "Bedrijfsleven" in flagged


def test_the_reports_bars_count_what_the_without_lists_show(client: TestClient) -> None:
    report = client.get("/api/v1/analytics/report", params=DIGITAL).text
    title = report.index("<title>Activiteiten zonder partner")
    chart = report[report.rindex("<svg", 0, title) :]
    chart = html.unescape(chart[: chart.index("</svg>")])
    assert "alleen via een algemene groep (zoals ‘mkb’)" in chart  # the legend says so
    roles = {
        "government": "Overheid",
        "knowledge": "Kennis & onderwijs",
        "industry": "Bedrijfsleven",
        "civil_society": "Maatschappij",
    }
    gaps = client.get("/api/v1/analytics/gaps", params=DIGITAL).json()
    counted = []
    for role, name in roles.items():
        listed = client.get(
            "/api/v1/analytics/gaps/missing-roles",
            params={**DIGITAL, "missing_role": role, "limit": 1000},
        ).json()["total"]
        bar = re.search(rf">{re.escape(name)}</text>.*?>(\d+) activiteit", chart)
        assert bar, name
        assert int(bar.group(1)) == listed == gaps["missing_roles"]["missing_counts"][role], role
        counted.append(listed)
    assert all(counted)  # Digitalisering has activities in every "without" list


def test_the_without_table_of_a_theme_holds_the_listed_rows_and_says_its_filter(
    client: TestClient,
) -> None:
    params = {**DIGITAL, "missing_role": "industry"}
    response = client.get("/api/v1/analytics/tables/missing-roles", params=params)
    assert response.status_code == 200, response.text
    assert "zonder-bedrijfsleven" in response.headers["content-disposition"]
    _, *rows = dutch_excel(response.content)
    listed = client.get(
        "/api/v1/analytics/gaps/missing-roles", params={**params, "limit": 1000}
    ).json()["rows"]
    assert listed
    assert [row[-1] for row in rows] == [r["id"] for r in listed]  # no theme rows added
    sheet = workbook_sheet(client, "/api/v1/analytics/tables/missing-roles", **params)
    caption = str(sheet[1][0])
    assert "Digitalisering" in caption
    assert "zonder bedrijfsleven of alleen via een algemene groep (zoals ‘mkb’)" in caption
