"""The explorer as a user sees it, checked against the API of the same service.

Each test loads the page in a fresh browser context, waits on ``helixExplorer.ready``
and on selectors of the test-id contract, and compares what is drawn and listed with
what the API answers for the same question. A screenshot of each test's end state goes
to ``var/screenshots``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.explorer.browser import Explorer, Service, dump

ROLES = ("government", "knowledge", "industry", "civil_society")


def _network(service: Service, roles: tuple[str, ...] = ROLES) -> dict[str, Any]:
    """The API's network for the explorer's default filters with these helix roles."""
    params: dict[str, Any] = {} if set(roles) == set(ROLES) else {"helix_role": list(roles)}
    network: dict[str, Any] = service.api("/network", **params)
    return network


def _org_ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes if node["label"] == "Organisation"]


def _choose(explorer: Explorer, testid: str, text: str, org_id: str) -> None:
    """Type into an organisation field and pick the organisation from its suggestions
    (the listbox the combobox input controls), as a user would."""
    field = explorer.page.get_by_test_id(testid)
    field.fill(text)
    listbox = field.get_attribute("aria-controls")
    assert listbox, f"{testid} names no listbox of suggestions (aria-controls)"
    explorer.page.locator(f"[id='{listbox}'] [data-id='{org_id}']").click()
    expect(field).to_have_value(_organisation_name(explorer.service, org_id))


def _search_and_open(explorer: Explorer, text: str, org_id: str) -> None:
    """Type into the search box and pick the organisation from the results."""
    page = explorer.page
    page.get_by_test_id("search").fill(text)
    hit = page.get_by_test_id("search-results").locator(f"li[data-id='{org_id}']")
    hit.click()
    expect(page.get_by_test_id("panel")).to_be_visible()


def _organisation_name(service: Service, org_id: str) -> str:
    name: str = service.api(f"/organisations/{org_id}")["name"]
    return name


# --------------------------------------------------------------------------- loading


def test_root_redirects_and_the_page_loads_without_console_errors(
    explorer: Explorer, service: Service
) -> None:
    explorer.open("/")
    page = explorer.page
    assert page.url.split("#")[0] == service.base_url + "/explorer/"
    assert page.evaluate("() => document.documentElement.lang") == "nl"  # Dutch by default
    assert explorer.node_count() > 0
    assert explorer.edge_count() > 0
    # the graph is drawn, not just held: sigma's canvases fill the page's graph area
    assert page.locator("canvas").count() > 0
    expect(page.get_by_test_id("shown-count")).to_be_visible()
    explorer.screenshot()


# --------------------------------------------------------------------------- filters


def test_rendered_nodes_equal_the_api_for_the_active_filters(
    explorer: Explorer, service: Service
) -> None:
    explorer.open()
    page = explorer.page
    everything = _network(service)
    explorer.wait_shown(everything["shown"], len(everything["edges"]))
    counter = page.get_by_test_id("shown-count")
    expect(counter).to_have_attribute("data-total", str(everything["total"]))
    for role in ROLES:  # all checked: no filter
        expect(page.get_by_test_id(f"filter-helix-{role}")).to_be_checked()

    page.get_by_test_id("filter-helix-industry").uncheck()
    without_industry = _network(service, ("government", "knowledge", "civil_society"))
    assert without_industry["shown"] != everything["shown"]
    explorer.wait_shown(without_industry["shown"], len(without_industry["edges"]))
    expect(counter).to_have_attribute("data-total", str(without_industry["total"]))
    explorer.screenshot()

    page.get_by_test_id("filter-helix-industry").check()
    explorer.wait_shown(everything["shown"], len(everything["edges"]))


@pytest.mark.parametrize(
    ("control", "params"),
    [
        ("filter-org-type=company", {"org_type": "company"}),
        ("filter-theme=theme-digitalisering", {"theme": "theme-digitalisering"}),
        ("filter-place=Emmen", {"place": "Emmen"}),
        ("filter-kind-Network", {"kind": ["Action", "Project"]}),
        ("filter-generic", {"include_generic": "true"}),
    ],
)
def test_every_filter_draws_what_the_api_answers(
    explorer: Explorer, service: Service, control: str, params: dict[str, Any]
) -> None:
    everything = _network(service)
    filtered: dict[str, Any] = service.api("/network", **params)
    changed = (filtered["shown"], len(filtered["edges"])) != (
        everything["shown"],
        len(everything["edges"]),
    )
    assert changed, "a filter that changes nothing tests nothing"
    explorer.open()
    page = explorer.page
    explorer.wait_shown(everything["shown"], len(everything["edges"]))
    testid, _, value = control.partition("=")
    element = page.get_by_test_id(testid)
    if testid.startswith("filter-kind-"):
        element.uncheck()
    elif testid == "filter-generic":
        expect(element).not_to_be_checked()
        element.check()
    elif testid == "filter-place":
        element.fill(value)
        element.press("Enter")
    else:
        element.select_option(value)
    explorer.wait_shown(filtered["shown"], len(filtered["edges"]))
    expect(page.get_by_test_id("shown-count")).to_have_attribute(
        "data-total", str(filtered["total"])
    )


# --------------------------------------------------------------------------- search and panel


def test_searching_umcg_opens_its_panel_with_links_and_provenance(
    explorer: Explorer, service: Service
) -> None:
    explorer.open()
    page = explorer.page
    _search_and_open(explorer, "UMCG", "umcg")
    expect(page.get_by_test_id("panel-title")).to_contain_text(_organisation_name(service, "umcg"))

    links: list[dict[str, Any]] = service.api("/organisations/umcg/links")
    items = page.get_by_test_id("panel-links").locator("li")
    expect(items).to_have_count(len(links))
    shown = " ".join(items.locator(".quote").all_inner_texts())
    flat = " ".join(shown.split())
    for link in links:
        quote = " ".join(link["provenance"]["quote"].split())
        assert quote in flat, f"the panel lacks the quote {quote!r} of {link['node']['id']}"
    expect(page.get_by_test_id("panel-brokerage")).to_be_visible()
    expect(page.get_by_test_id("ego-depth")).to_be_visible()
    explorer.screenshot()
    explorer.screenshot("explorer")  # the README's picture: cp it to docs/explorer.png


def test_focus_and_the_view_controls_keep_the_graph(explorer: Explorer, service: Service) -> None:
    """helixExplorer.focus opens an organisation; the neighbourhood, colour and size
    controls change how the graph looks, never what it holds, and raise no error."""
    everything = _network(service)
    explorer.open()
    page = explorer.page
    explorer.call("focus", "kpn")
    expect(page.get_by_test_id("panel")).to_be_visible()
    expect(page.get_by_test_id("panel-title")).to_contain_text(_organisation_name(service, "kpn"))
    page.get_by_test_id("ego-depth").select_option("1")
    page.get_by_test_id("colour-mode").select_option("community")
    page.get_by_test_id("size-metric").select_option("betweenness")
    expect(page.get_by_test_id("colour-mode")).to_have_value("community")
    expect(page.get_by_test_id("size-metric")).to_have_value("betweenness")
    explorer.wait_shown(everything["shown"], len(everything["edges"]))
    expect(page.get_by_test_id("panel-title")).to_contain_text(_organisation_name(service, "kpn"))
    explorer.screenshot()


# --------------------------------------------------------------------------- paths


def test_path_finder_shows_and_highlights_the_api_path(
    explorer: Explorer, service: Service
) -> None:
    paths: list[dict[str, Any]] = service.api("/paths", **{"from": "bdrc", "to": "kpn"})
    assert paths, "the API finds no path between bdrc and kpn"
    explorer.open()
    page = explorer.page
    _choose(explorer, "path-from", "Bethesda", "bdrc")
    _choose(explorer, "path-to", "KPN", "kpn")
    page.get_by_test_id("path-go").click()

    hops = page.get_by_test_id("path-result").locator("li")
    expect(hops.first).to_be_visible()
    explorer.wait_for("() => window.helixExplorer.highlighted().length > 0")
    highlighted = set(explorer.highlighted())
    # one of the equally short paths, or all of them, drawn highlighted
    options = [set(_org_ids(path["nodes"])) for path in paths]
    options.append(set().union(*options))
    assert highlighted in options, f"highlighted {sorted(highlighted)}, API {dump(options)}"
    path = next((p for p in paths if set(_org_ids(p["nodes"])) == highlighted), paths[0])
    # one item per hop, in order, naming both ends (alternatives may be listed after them)
    expect(hops.nth(len(path["hops"]) - 1)).to_be_visible()
    for k, hop in enumerate(path["hops"]):
        item = hops.nth(k)
        expect(item).to_contain_text(hop["source"]["name"])
        expect(item).to_contain_text(hop["target"]["name"])
    explorer.screenshot()


# --------------------------------------------------------------------------- analytics


def test_gap_heatmap_shows_the_api_observed_and_expected_numbers(
    explorer: Explorer, service: Service
) -> None:
    gaps = service.api("/analytics/gaps")
    pairs: list[dict[str, Any]] = gaps["theme_crossovers"]["pairs"]
    assert pairs
    explorer.open()
    page = explorer.page
    page.get_by_test_id("tab-gaps").click()
    heatmap = page.get_by_test_id("heatmap-theme")
    expect(heatmap).to_be_visible()

    for pair in pairs[:3]:  # the weakest cross-overs first
        a, b = pair["theme_a"], pair["theme_b"]
        cell = heatmap.locator(
            f"td[data-a='{a}'][data-b='{b}'], td[data-a='{b}'][data-b='{a}']"
        ).first
        expect(cell).to_be_attached()
        assert float(cell.get_attribute("data-observed") or "nan") == pair["observed"]
        expected = float(cell.get_attribute("data-expected") or "nan")
        assert math.isclose(expected, pair["expected"], abs_tol=0.05), (expected, pair)

    weakest = pairs[0]
    cell = heatmap.locator(
        f"td[data-a='{weakest['theme_a']}'][data-b='{weakest['theme_b']}'], "
        f"td[data-a='{weakest['theme_b']}'][data-b='{weakest['theme_a']}']"
    ).first
    cell.click()
    detail = page.get_by_test_id("heatmap-detail")
    expect(detail).to_contain_text(str(weakest["observed"]))
    one_decimal = f"{weakest['expected']:.1f}"
    expect(detail).to_contain_text(
        re.compile(f"{re.escape(one_decimal)}|{re.escape(one_decimal.replace('.', ','))}")
    )
    expect(page.get_by_test_id("heatmap-helix").locator("td[data-observed]").first).to_be_attached()
    explorer.screenshot()


# --------------------------------------------------------------------------- matching


def test_matching_lists_the_api_candidates_in_order_and_highlights_an_introduction(
    explorer: Explorer, service: Service
) -> None:
    answer = service.api("/match/partners", org="umcg")
    candidates: list[dict[str, Any]] = answer["candidates"]
    assert candidates
    explorer.open()
    page = explorer.page
    page.get_by_test_id("tab-match").click()
    _choose(explorer, "match-org", "UMCG", "umcg")
    page.get_by_test_id("match-go").click()

    results = page.get_by_test_id("match-results").locator("li[data-id]")
    expect(results.first).to_be_visible()
    shown = [results.nth(i).get_attribute("data-id") for i in range(results.count())]
    expected = [c["id"] for c in candidates]
    assert shown == expected[: len(shown)], f"shown {shown}, API {expected}"
    assert len(shown) >= min(len(expected), 5)

    first = candidates[0]
    results.first.click()
    introduction = first["introduction"]
    chain = {"umcg", first["id"], *(o["id"] for o in introduction["introducers"])}
    explorer.wait_for("() => window.helixExplorer.highlighted().length > 0")
    assert set(explorer.highlighted()) == chain
    explorer.screenshot()


def test_brokers_table_and_kpis_show_the_api_figures(explorer: Explorer, service: Service) -> None:
    brokers: list[dict[str, Any]] = service.api("/analytics/brokers")["rows"]
    ranked = [row["id"] for row in sorted(brokers, key=lambda row: row["rank"])]
    kpis = service.api("/analytics/kpis")
    explorer.open()
    page = explorer.page
    page.get_by_test_id("tab-brokers").click()
    rows = page.get_by_test_id("brokers-table").locator("tr[data-id]")
    expect(rows.nth(4)).to_be_attached()
    shown = [rows.nth(k).get_attribute("data-id") for k in range(5)]
    assert shown == ranked[:5], f"brokers table {shown}, API {ranked[:5]}"

    page.get_by_test_id("tab-kpis").click()
    panel = page.get_by_test_id("kpis")
    expect(panel.locator("[data-kpi]").first).to_be_visible()
    for key in ("organisations", "ties"):
        expect(panel.locator(f"[data-kpi='{key}']")).to_contain_text(str(kpis[key]))
    explorer.screenshot()


def test_matching_a_need_lists_the_api_candidates(explorer: Explorer, service: Service) -> None:
    need = {"themes": ["theme-digitalisering"], "roles": ["industry"], "top": 10}
    answer = service.client.post("/api/v1/match", json=need)
    answer.raise_for_status()
    expected = [c["id"] for c in answer.json()["candidates"]]
    assert expected
    explorer.open()
    page = explorer.page
    page.get_by_test_id("tab-match").click()
    page.get_by_test_id("match-themes-theme-digitalisering").check()
    page.get_by_test_id("match-roles-industry").check()
    page.get_by_test_id("match-need-go").click()
    results = page.get_by_test_id("match-results").locator("li[data-id]")
    expect(results.first).to_be_visible()
    shown = [results.nth(k).get_attribute("data-id") for k in range(results.count())]
    assert shown == expected[: len(shown)], f"shown {shown}, API {expected}"
    assert len(shown) >= min(len(expected), 5)


# --------------------------------------------------------------------------- language


def test_language_toggle_switches_the_labels(explorer: Explorer) -> None:
    explorer.open()
    page = explorer.page
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")
    labels = ["tab-brokers", "tab-gaps", "tab-communities", "tab-match", "tab-kpis"]
    dutch = [page.get_by_test_id(t).inner_text() for t in labels]

    page.get_by_test_id("lang-toggle").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("tab-gaps")).not_to_have_text(dutch[1])
    english = [page.get_by_test_id(t).inner_text() for t in labels]
    assert english != dutch
    explorer.screenshot()

    page.get_by_test_id("lang-toggle").click()
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_test_id("tab-gaps")).to_have_text(dutch[1])


# --------------------------------------------------------------------------- URL state


def test_reloading_the_url_restores_the_selection_and_the_filter(
    explorer: Explorer, service: Service
) -> None:
    explorer.open()
    page = explorer.page
    page.get_by_test_id("filter-helix-industry").uncheck()
    filtered = _network(service, ("government", "knowledge", "civil_society"))
    explorer.wait_shown(filtered["shown"])
    _search_and_open(explorer, "UMCG", "umcg")
    name = _organisation_name(service, "umcg")
    expect(page.get_by_test_id("panel-title")).to_contain_text(name)
    explorer.wait_for("() => location.hash.includes('umcg')")
    url = page.url

    page.reload()
    explorer.wait_ready()
    assert page.url == url
    expect(page.get_by_test_id("panel")).to_be_visible()
    expect(page.get_by_test_id("panel-title")).to_contain_text(name)
    expect(page.get_by_test_id("filter-helix-industry")).not_to_be_checked()
    expect(page.get_by_test_id("filter-helix-knowledge")).to_be_checked()
    explorer.wait_shown(filtered["shown"], len(filtered["edges"]))


# --------------------------------------------------------------------------- exports


@pytest.mark.parametrize(
    ("button", "suffix", "check"),
    [
        ("export-gexf", ".gexf", lambda b: b.startswith(b"<?xml") and b"<gexf" in b),
        ("export-graphml", ".graphml", lambda b: b.startswith(b"<?xml") and b"<graphml" in b),
        ("export-csv", ".csv", lambda b: b"\n" in b and b"," in b.split(b"\n")[0]),
        ("export-png", ".png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ],
)
def test_export_downloads_a_file_of_the_right_type(
    explorer: Explorer, button: str, suffix: str, check: Callable[[bytes], bool]
) -> None:
    explorer.open()
    download = explorer.download(button)
    assert download.suggested_filename.endswith(suffix), download.suggested_filename
    message = explorer.page.get_by_test_id("message")
    expect(message).to_have_attribute("role", "status")
    expect(message).to_contain_text(download.suggested_filename)  # the user is told
    path = download.path()
    content = path.read_bytes()
    assert content, f"{button} downloaded an empty file"
    assert check(content), f"{button} downloaded {content[:120]!r}"
