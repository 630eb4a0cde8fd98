"""The policy analyst's tasks in the explorer, as clicks, checked against the service.

She filters on a theme and expects the graph, the counts, the caption and every analysis
tab to narrow to that theme — and to agree with the API's answer for the same filter; she
goes through the activities that miss a helix role, all of them, and those without
industry; she downloads pictures and tables for a report; and she reads it all in Dutch.

One page for the module (the service and the browser are the session's): each test loads
the explorer afresh at its own address, so that the tests do not depend on each other.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import igraph as ig  # type: ignore[import-untyped]
import networkx as nx
import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

from graph_schema.i18n import catalogue
from tests.explorer.browser import TIMEOUT_MS, VIEWPORT, Explorer, Service, dump
from tests.interop.gephi import gephi_load
from tests.interop.xml_schemas import GRAPHML_XSD, schema_errors
from tests.language import document_words, english_only, words

THEME = "theme-digitalisering"
ROLES = ("government", "knowledge", "industry", "civil_society")
ROLE_COLOURS = {  # the helix colours of the page's legend (graph.js)
    "government": "#0072B2",
    "knowledge": "#E69F00",
    "industry": "#009E73",
    "civil_society": "#CC79A7",
}
NL = catalogue("nl")


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


def _load(explorer: Explorer, hash_: str = "") -> None:
    """The explorer afresh at an address, as after typing it (not a hash change)."""
    explorer.errors.clear()
    explorer.page.goto("about:blank")
    explorer.open("/explorer/" + hash_)


def _text(key: str, **params: Any) -> str:
    """A Dutch text of the catalogue, plural chosen by ``n``."""
    entry = NL[key]
    if isinstance(entry, dict):
        entry = entry["one"] if params.get("n") == 1 else entry["other"]
    return entry.format(**params)


def _organisations(n: int) -> str:
    return _text("count.organisations", n=n)


def _drawn_ids(explorer: Explorer) -> set[str]:
    ids: list[str] = explorer.page.evaluate("() => window.helixExplorer._view.graph.nodes()")
    return set(ids)


def _open_tab(explorer: Explorer, tab: str) -> None:
    """Open an analysis tab (a click on a tab that is open already would close it)."""
    button = explorer.page.get_by_test_id(f"tab-{tab}")
    if button.get_attribute("aria-selected") != "true":
        button.click()
    expect(button).to_have_attribute("aria-selected", "true")


# --------------------------------------------------------------------------- a theme


def test_filtering_on_digitalisering_narrows_counts_caption_and_every_tab(
    explorer: Explorer, service: Service
) -> None:
    everything = service.api("/network")
    network = service.api("/network", theme=THEME)
    brokers = service.api("/analytics/brokers", theme=THEME)
    kpis = service.api("/analytics/kpis", theme=THEME)
    caption = brokers["filters"]["caption"]  # the service's words for the filter
    assert "Digitalisering" in caption
    n = len(network["nodes"])
    assert 0 < n < everything["total"]
    assert brokers["nodes"] == n == kpis["organisations"]

    _load(explorer)
    page = explorer.page
    page.get_by_test_id("filter-theme").select_option(label="Digitalisering")
    explorer.wait_shown(n, len(network["edges"]))
    assert _drawn_ids(explorer) == {node["id"] for node in network["nodes"]}
    counts = page.get_by_test_id("shown-count")
    expect(counts).to_have_attribute("data-total", str(network["total"]))
    expect(counts).to_contain_text(_organisations(n))
    expect(page.get_by_test_id("filter-caption")).to_have_text(f"{caption} — {_organisations(n)}")
    assert "theme=theme-digitalisering" in page.url  # a link reproduces the view

    # every analysis tab was computed on the same subgraph and says so
    for tab in ("brokers", "gaps", "communities", "kpis"):
        _open_tab(explorer, tab)
        expect(page.get_by_test_id(f"tab-caption-{tab}")).to_have_text(
            f"{caption} — {_organisations(n)}"
        )

    _open_tab(explorer, "brokers")
    rows = page.get_by_test_id("brokers-table").locator("tbody tr[data-id]")
    expect(rows).to_have_count(len(brokers["rows"]))
    shown = rows.evaluate_all("(trs) => trs.map((tr) => tr.dataset.id)")
    ranked = [row["id"] for row in sorted(brokers["rows"], key=lambda row: row["rank"])]
    assert shown == ranked, f"brokers table {shown}, API {ranked}"
    unfiltered = service.api("/analytics/brokers")["rows"]
    assert len(shown) < len(unfiltered)

    _open_tab(explorer, "kpis")
    panel = page.get_by_test_id("kpis")
    for key in ("organisations", "ties", "actions"):
        expect(panel.locator(f"[data-kpi='{key}']")).to_have_attribute("data-value", str(kpis[key]))
    explorer.screenshot("analyst-theme-digitalisering")


@pytest.mark.parametrize(
    ("control", "params"),
    [
        ("filter-place=Drenthe", {"province": "Drenthe"}),
        ("filter-kind-Network", {"kind": ["Action", "Project"]}),
        ("filter-helix-industry", {"helix_role": ["government", "knowledge", "civil_society"]}),
        ("filter-org-type=care_provider", {"org_type": "care_provider"}),
    ],
)
def test_every_filter_narrows_the_graph_and_the_analyses_alike(
    explorer: Explorer, service: Service, control: str, params: dict[str, Any]
) -> None:
    network = service.api("/network", **params)
    kpis = service.api("/analytics/kpis", **params)
    n = len(network["nodes"])
    assert n == kpis["organisations"] < service.api("/network")["total"]

    _load(explorer, "#tab=kpis")
    page = explorer.page
    testid, _, value = control.partition("=")
    element = page.get_by_test_id(testid)
    if testid == "filter-place":
        element.fill(value)
        element.press("Enter")
    elif value:
        element.select_option(value)
    else:
        element.uncheck()
    explorer.wait_shown(n, len(network["edges"]))
    assert _drawn_ids(explorer) == {node["id"] for node in network["nodes"]}
    caption = kpis["filters"]["caption"]
    expect(page.get_by_test_id("filter-caption")).to_contain_text(_organisations(n))
    expect(page.get_by_test_id("tab-caption-kpis")).to_have_text(f"{caption} — {_organisations(n)}")
    expect(page.get_by_test_id("kpis").locator("[data-kpi='ties']")).to_have_attribute(
        "data-value", str(kpis["ties"])
    )


# --------------------------------------------------------------------------- gaps


def _all_missing(service: Service, **params: Any) -> list[dict[str, Any]]:
    page = service.api("/analytics/gaps/missing-roles", limit=10_000, **params)
    assert not page["has_more"]
    rows: list[dict[str, Any]] = page["rows"]
    assert len(rows) == page["total"]
    return rows


def _show_everything(explorer: Explorer) -> None:
    """Click "toon nog …" until the whole list is there."""
    page = explorer.page
    more = page.get_by_test_id("gaps-more")
    items = page.get_by_test_id("gaps-missing").locator("li[data-id]")
    for _ in range(100):
        if more.count() == 0:
            return
        before = items.count()
        more.click()
        expect(items).not_to_have_count(before)  # the next page arrived
    pytest.fail("the missing-role list keeps offering more")


def _listed(explorer: Explorer) -> list[str]:
    ids: list[str] = (
        explorer.page.get_by_test_id("gaps-missing")
        .locator("li[data-id]")
        .evaluate_all("(lis) => lis.map((li) => li.dataset.id)")
    )
    return ids


def test_gaps_tab_lists_every_activity_missing_a_role_and_flags_mkb(
    explorer: Explorer, service: Service
) -> None:
    rows = _all_missing(service)
    expected = [row["id"] for row in rows]
    _load(explorer)
    page = explorer.page
    _open_tab(explorer, "gaps")
    section = page.get_by_test_id("gaps-missing")
    expect(section.locator("li[data-id]").first).to_be_visible()
    first_page = len(_listed(explorer))
    assert first_page < len(expected), "the list is not paged: nothing to show more of"
    count = page.get_by_test_id("gaps-missing-count")
    expect(count).to_have_attribute("data-total", str(len(expected)))
    expect(page.get_by_test_id("gaps-more")).to_contain_text(
        _text("gaps.more", n=min(20, len(expected) - first_page))
    )

    _show_everything(explorer)
    assert _listed(explorer) == expected
    expect(count).to_have_text(_text("gaps.count", n=len(expected)))

    # each role says in words whether it is missing or present
    for row in rows[:8]:
        item = section.locator(f"li[data-id='{row['id']}']")
        for role in row["missing"]:
            chip = item.locator(f"[data-role='{role}']")
            expect(chip).to_have_text(_text("gaps.chip.missing", role=NL[f"role.{role}"]))
        for role in set(row["present"]) - set(row["generic_only"]):
            chip = item.locator(f"[data-role='{role}']")
            expect(chip).to_have_text(_text("gaps.chip.present", role=NL[f"role.{role}"]))

    # an activity whose only industry is the generic 'mkb' is flagged, naming it
    mkb = [r for r in rows if r["generic_groups"].get("industry") == ["mkb"]]
    assert mkb, "the seed has no activity whose only industry is 'mkb'"
    for row in mkb:
        flag = section.locator(f"li[data-id='{row['id']}'] [data-testid='gap-flag-weak-industry']")
        expect(flag).to_be_visible()
        expect(flag).to_have_text(
            _text("gaps.chip.genericVia", role=NL["role.industry"], groups="‘mkb’")
        )
    flagged = {r["id"] for r in rows if r["weak_industry"]}
    flags = section.locator("[data-testid='gap-flag-weak-industry']")
    expect(flags).to_have_count(len(flagged))
    explorer.screenshot("analyst-gaps")

    # "zonder bedrijfsleven": the service's list for a missing industry
    without = [row["id"] for row in _all_missing(service, missing_role="industry")]
    assert 0 < len(without) < len(expected)
    page.get_by_test_id("gap-filter").select_option(label=_text("gaps.without.industry"))
    expect(count).to_have_attribute("data-total", str(len(without)))
    _show_everything(explorer)
    assert _listed(explorer) == without


def test_gaps_tab_follows_the_theme_filter(explorer: Explorer, service: Service) -> None:
    expected = [row["id"] for row in _all_missing(service, theme=THEME)]
    assert expected
    _load(explorer, f"#theme={THEME}&tab=gaps")
    expect(explorer.page.get_by_test_id("gaps-missing-count")).to_have_attribute(
        "data-total", str(len(expected))
    )
    _show_everything(explorer)
    assert _listed(explorer) == expected


def test_communities_tab_counts_the_cards_it_shows_as_the_report_does(
    explorer: Explorer, service: Service
) -> None:
    """The summary counts the communities of two or more organisations, the cards below and
    the report's count; isolated organisations are said apart."""
    answer = service.api("/analytics/communities", theme=THEME)
    cards, isolates = len(answer["communities"]), len(answer["isolates"])
    assert cards
    assert isolates  # Digitalisering: one organisation without a tie
    _load(explorer, f"#theme={THEME}&tab=communities")
    page = explorer.page
    expect(page.locator("#communities-list li.community[data-community]")).to_have_count(cards)
    summary = page.locator("#communities-summary")
    counted = _text("communities.summary", n=cards, q="").rstrip()
    expect(summary).to_contain_text(counted)
    assert "van ten minste twee organisaties" in counted
    expect(page.locator("#communities-list")).to_contain_text(
        _text("communities.isolates", n=isolates)
    )
    report = service.client.get("/api/v1/analytics/report", params={"theme": THEME})
    report.raise_for_status()
    said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report.text))
    assert f"{cards} gemeenschappen van ten minste twee organisaties" in said


def test_without_industry_says_what_it_counts_and_the_csv_holds_the_list(
    explorer: Explorer, service: Service
) -> None:
    """Digitalisering, "zonder bedrijfsleven": the option and the count say that a generic
    group such as 'mkb' counts as no industry, every finding says where industry comes
    only from such a group, the service's count agrees, and the CSV holds the rows shown."""
    rows = _all_missing(service, theme=THEME, missing_role="industry")
    generic = [row for row in rows if "industry" in row["generic_only"]]
    assert generic  # Digitalisering: activities with industry only through a generic group
    gaps = service.api("/analytics/gaps", theme=THEME)
    assert gaps["missing_roles"]["missing_counts"]["industry"] == len(rows)
    _load(explorer, f"#theme={THEME}&tab=gaps")
    page = explorer.page
    without = _text("gaps.without.industry")
    assert "alleen via een algemene groep (zoals ‘mkb’)" in without
    page.get_by_test_id("gap-filter").select_option(label=without)
    count = page.get_by_test_id("gaps-missing-count")
    expect(count).to_have_attribute("data-total", str(len(rows)))
    expect(count).to_have_text(
        _text("gaps.count.without", count=_text("gaps.count", n=len(rows)), without=without)
    )
    _show_everything(explorer)
    shown = _listed(explorer)
    assert shown == [row["id"] for row in rows]
    section = page.get_by_test_id("gaps-missing")
    for row in generic:
        item = section.locator(f"li[data-id='{row['id']}']")
        expect(item).to_contain_text("uit het bedrijfsleven alleen de algemene groep")
        expect(item).not_to_contain_text("brengt alle vier helixrollen samen")

    csv = explorer.download("table-missing-roles-csv")
    assert "zonder-bedrijfsleven" in csv.suggested_filename
    lines = csv.path().read_text("utf-8-sig").splitlines()
    ids = [line.rsplit(";", 1)[-1] for line in lines[1:]]
    assert ids == shown, f"CSV {ids}, screen {shown}"


# --------------------------------------------------------------------------- exports


def _figure_texts(service: Service, n: int) -> list[str]:
    """What a report figure of the Digitalisering view must say."""
    today = date.today()
    version = service.api("/analytics/kpis", theme=THEME)["version"]
    return [
        NL["export.figure.title"],
        service.api("/analytics/kpis", theme=THEME)["filters"]["caption"],
        _organisations(n),
        *(NL[f"role.{role}"] for role in ROLES),
        f"{today.day} {NL[f'report.month.{today.month}']} {today.year}",
        _text("export.figure.stamp", date="", v=version).strip(" ·"),
    ]


def test_exported_svg_and_png_are_titled_captioned_and_have_a_legend(
    explorer: Explorer, service: Service
) -> None:
    network = service.api("/network", theme=THEME)
    n = len(network["nodes"])
    _load(explorer, f"#theme={THEME}")
    explorer.wait_shown(n)
    page = explorer.page

    svg = explorer.download("export-svg")
    assert svg.suggested_filename.endswith(".svg")
    text = svg.path().read_text("utf-8").replace("&amp;", "&")
    for expected in _figure_texts(service, n):
        assert expected in text, f"the SVG lacks {expected!r}"
    for colour in ROLE_COLOURS.values():  # the legend's swatches in the helix colours
        assert f'fill="{colour}"' in text
    assert text.count("<circle data-id=") == n  # every organisation drawn

    png = explorer.download("export-png")
    assert png.suggested_filename.endswith(".png")
    expect(page.get_by_test_id("message")).to_contain_text(png.suggested_filename)
    image = Image.open(io.BytesIO(png.path().read_bytes())).convert("RGB")
    canvas = page.locator("#graph canvas").first.bounding_box()
    assert canvas is not None
    scale = page.evaluate("() => window.devicePixelRatio")
    assert image.height > canvas["height"] * scale + 60, "no room for title and legend"
    width, height = image.size
    helix = {role: _rgb(colour) for role, colour in ROLE_COLOURS.items()}
    for role, rgb in helix.items():
        assert rgb in _colours(image), f"no {role} colour in the picture"
    title_band = _colours(image.crop((0, 0, width, int(60 * scale))))
    assert min(sum(c) for c in title_band) < 200, "no dark title text above the graph"
    legend_band = _colours(image.crop((0, height - int(80 * scale), width, height)))
    assert set(helix.values()) <= legend_band, "the legend below lacks a helix colour"


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _colours(image: Image.Image) -> set[tuple[int, int, int]]:
    """The colours of an RGB picture."""
    found = image.getcolors(maxcolors=image.width * image.height)
    assert found is not None
    return {colour for _, colour in found}  # type: ignore[misc]


def test_tab_tables_are_the_services_tables(explorer: Explorer, service: Service) -> None:
    """The CSV and Excel buttons of a tab hand over the service's table for the same filter."""
    _load(explorer, f"#theme={THEME}&tab=brokers")
    page = explorer.page
    expect(page.get_by_test_id("tab-caption-brokers")).not_to_be_empty()
    csv = explorer.download("export-csv")  # the top bar's CSV: the open tab's table
    params = {"theme": THEME, "lang": "nl"}
    answer = service.client.get(
        "/api/v1/analytics/tables/brokers", params={**params, "format": "csv"}
    )
    answer.raise_for_status()
    assert csv.path().read_bytes() == answer.content
    assert answer.content.startswith("\ufeff".encode())
    assert b";" in answer.content.split(b"\n")[0]
    expect(page.get_by_test_id("message")).to_contain_text(csv.suggested_filename)

    xlsx = explorer.download("table-brokers-xlsx")
    assert xlsx.suggested_filename.endswith(".xlsx")
    assert xlsx.path().read_bytes()[:2] == b"PK"

    # the gaps tab's CSV is its missing-role table, not the organisations of the view
    _open_tab(explorer, "gaps")
    expect(page.get_by_test_id("gaps-missing-count")).to_be_visible()
    gaps_csv = explorer.download("export-csv")
    expected = service.client.get(
        "/api/v1/analytics/tables/missing-roles", params={**params, "format": "csv"}
    )
    assert gaps_csv.path().read_bytes() == expected.content
    heatmap = explorer.download("table-theme-crossovers-csv")
    expected = service.client.get(
        "/api/v1/analytics/tables/theme-crossovers", params={**params, "format": "csv"}
    )
    assert heatmap.path().read_bytes() == expected.content

    # the report links ask the service's report for the same filter, in Dutch
    for kind, media in (("pdf", "application/pdf"), ("html", "text/html")):
        href = page.get_by_test_id(f"report-{kind}").get_attribute("href") or ""
        assert href.startswith("/api/v1/analytics/report?"), href
        assert f"theme={THEME}" in href
        assert f"format={kind}" in href
        assert "lang=nl" in href
        report = service.client.get(href)
        assert report.status_code == 200, report.text[:300]
        assert report.headers["content-type"].startswith(media)
        if kind == "html":
            assert "Digitalisering" in report.text


# --------------------------------------------------------------------------- Dutch


def _data_words(service: Service) -> set[str]:
    """Every word of the graph itself: names, aliases, descriptions, quotes (the agenda's)."""
    return document_words(service.api("/export", format="json"))


BAD_PLURAL = re.compile(
    r"\b(?:1 (?:organisaties|verbindingen|activiteiten|stappen|kandidaten|gemeenschappen)"
    r"|(?:0|[2-9]|\d{2,}) (?:organisatie|verbinding|activiteit|stap|kandidaat|gemeenschap))\b"
)


def _assert_whole_theme_names(explorer: Explorer, service: Service) -> None:
    """The heatmap's headers name each theme as the agenda writes it, none cut short."""
    names = {theme["id"]: theme["name"] for theme in service.api("/themes")["data"]}
    heads = explorer.page.get_by_test_id("heatmap-theme").locator("th.colh > span")
    shown = heads.evaluate_all(
        "(spans) => spans.map((s) => [s.textContent, s.scrollHeight <= s.clientHeight + 1"
        " && s.scrollWidth <= s.clientWidth + 1])"
    )
    assert shown, "no theme heatmap"
    for text, whole in shown:
        assert text in names.values(), f"{text!r} is not a theme's name"
        assert whole, f"the header {text!r} is cut short"


@pytest.mark.parametrize("view", ["", f"#theme={THEME}"])
def test_every_tab_reads_dutch(explorer: Explorer, service: Service, view: str) -> None:
    english = english_only(_data_words(service))
    assert {"the", "organisations", "with"} <= english
    _load(explorer, view)
    page = explorer.page
    explorer.call("focus", "umcg")  # the panel too: participation roles, brokerage
    expect(page.get_by_test_id("panel-links").locator("li.link").first).to_be_visible()
    ready = {
        "brokers": "[data-testid='brokers-table'] tr[data-id]",
        "gaps": "[data-testid='gaps-missing'] li[data-id]",
        "communities": "#communities-list li[data-community]",
        "kpis": "[data-testid='kpis'] [data-kpi]",
        "match": "#match-hint",
    }
    problems: list[str] = []
    for tab, selector in ready.items():
        _open_tab(explorer, tab)
        expect(page.locator(selector).first).to_be_visible()
        if tab == "gaps":
            _show_everything(explorer)
            _assert_whole_theme_names(explorer, service)
        shown = page.locator("body").inner_text()
        stray = words(shown) & english
        if stray:
            problems.append(f"{tab}: English {sorted(stray)}")
        problems += [f"{tab}: {m.group(0)!r}" for m in BAD_PLURAL.finditer(shown)]
        for wrong in ("stap(pen)", "(s)", "arbeidsmarkt scholing", "food lifestyle", "theme-"):
            if wrong in shown.casefold():
                problems.append(f"{tab}: {wrong!r}")
    assert problems == [], dump(problems)


def test_the_filtered_view_opens_whole_in_gephi_networkx_and_igraph(
    explorer: Explorer, service: Service, tmp_path: Path
) -> None:
    """She narrows to a theme and saves the view for Gephi: every organisation and tie she
    sees arrives, with its name, roles, weight, position and colour, in Gephi's own
    importer (GEXF and GraphML), networkx and igraph; the GraphML is valid GraphML."""
    network = service.api("/network", theme=THEME)
    _load(explorer, f"#theme={THEME}")
    explorer.wait_shown(len(network["nodes"]), len(network["edges"]))
    files = {}
    for kind in ("gexf", "graphml"):
        files[kind] = tmp_path / f"view.{kind}"
        explorer.download(f"export-{kind}").save_as(files[kind])
    drawn = explorer.page.evaluate(
        """() => { const g = window.helixExplorer._view.graph, out = {};
        g.forEachNode((id, a) => { out[id] = [a.x, a.y]; }); return out; }"""
    )
    names = {node["id"]: node["name"] for node in network["nodes"]}
    roles = {node["id"]: node["helix_role"] for node in network["nodes"]}
    ties = {frozenset((e["source"], e["target"])): round(e["weight"], 6) for e in network["edges"]}
    shared = {frozenset((e["source"], e["target"])): e["activities"] for e in network["edges"]}

    gexf, graphml = gephi_load(files["gexf"], files["graphml"])
    for tool, loaded in (("GEXF", gexf), ("GraphML", graphml)):
        assert (loaded["nodes"], loaded["edges"]) == (len(names), len(ties)), tool
        assert {n["id"]: n["label"] for n in loaded["node_list"]} == names, tool
        assert {n["id"]: n["attributes"]["helix_role"] for n in loaded["node_list"]} == roles
        loaded_ties = {
            frozenset((e["source"], e["target"])): round(e["weight"], 6)
            for e in loaded["edge_list"]
        }
        assert loaded_ties == ties, tool
        assert {
            frozenset((e["source"], e["target"])): e["attributes"]["activities"].split("|")
            for e in loaded["edge_list"]
        } == shared, tool
        assert not [i for i in loaded["issues"] if i.startswith("SEVERE")], loaded["issues"]

    as_gexf = nx.read_gexf(files["gexf"], version="1.3")
    as_graphml = nx.read_graphml(files["graphml"])
    for graph in (as_gexf, as_graphml):
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (len(names), len(ties))
    assert {n: d["label"] for n, d in as_graphml.nodes(data=True)} == names
    some = next(iter(drawn))
    assert as_graphml.nodes[some]["x"] == pytest.approx(drawn[some][0], abs=1e-3)
    assert as_gexf.nodes[some]["viz"]["position"]["x"] == pytest.approx(drawn[some][0], abs=1e-3)
    read = ig.Graph.Read_GraphML(str(files["graphml"]))
    assert (read.vcount(), read.ecount()) == (len(names), len(ties))

    assert schema_errors(GRAPHML_XSD, files["graphml"].read_bytes()) == []
