"""The business developer medtech's tasks in the explorer's matching tab, as clicks.

She meets start-ups and knows the region by name. Each test is one of her questions, asked
through the page in Dutch, and what the cards then say is compared with what the service
answers for the same question: the reasons name the role the dot shows, eligibility
through a secondary role is said, a team of organisations gets introduction paths, the
list she sends on is the list on screen, and the link reproduces the answer.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from playwright.sync_api import Locator, expect

from tests.explorer.browser import Explorer, Service, dump
from tests.language import document_words, english_only, words

ROLES = ("government", "knowledge", "industry", "civil_society")
MEDTECH = "theme-medische-technologie"
# "wie introduceert een start-up?": the start-up is not in the graph, its team is
TEAM = ("nom", "rijksuniversiteit-groningen")
TEAM_NEED: dict[str, Any] = {
    "team": list(TEAM),
    "themes": [MEDTECH],
    "roles": ["civil_society"],
    "top": 10,
}
# medtech + kennis + Emmen + diabetes
DIABETES_NEED: dict[str, Any] = {
    "themes": [MEDTECH],
    "roles": ["knowledge"],
    "place": "Emmen",
    "keywords": ["diabetes"],
    "top": 10,
}


def _labels(service: Service) -> dict[str, str]:
    """The helix roles as the page names them (the Dutch catalogue)."""
    catalogue: dict[str, Any] = service.api("/catalogue/nl")
    return {role: catalogue[f"role.{role}"] for role in ROLES}


def _match(service: Service, need: dict[str, Any]) -> dict[str, Any]:
    answer = service.client.post("/api/v1/match", json={**need, "lang": "nl"})
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def _cards(explorer: Explorer) -> Locator:
    return explorer.page.get_by_test_id("match-results").locator("li.candidate")


def _shown_ids(explorer: Explorer, expected: int) -> list[str]:
    cards = _cards(explorer)
    expect(cards).to_have_count(expected)
    return [cards.nth(k).get_attribute("data-id") or "" for k in range(expected)]


def _card(explorer: Explorer, org_id: str) -> Locator:
    return _cards(explorer).and_(explorer.page.locator(f"[data-id='{org_id}']"))


def _pick_team_member(explorer: Explorer, text: str, org_id: str) -> None:
    """Type a name into the team field and pick it from the suggestions: a chip appears."""
    field = explorer.page.get_by_test_id("match-team")
    field.fill(text)
    listbox = field.get_attribute("aria-controls")
    assert listbox, "the team field names no listbox of suggestions"
    explorer.page.locator(f"[id='{listbox}'] [data-id='{org_id}']").click()
    expect(
        explorer.page.get_by_test_id("match-team-list").locator(f"li[data-id='{org_id}']")
    ).to_be_visible()


def _open_tab(explorer: Explorer) -> None:
    """Open the matching tab (a second click on an open tab would fold it away)."""
    tab = explorer.page.get_by_test_id("tab-match")
    if tab.get_attribute("aria-selected") != "true":
        tab.click()
    expect(explorer.page.get_by_test_id("match-need-form")).to_be_visible()


def _ask_need(explorer: Explorer, need: dict[str, Any]) -> None:
    """Fill the need form as she would and ask."""
    page = explorer.page
    _open_tab(explorer)
    for theme in need.get("themes", []):
        page.get_by_test_id(f"match-themes-{theme}").check()
    for role in need.get("roles", []):
        page.get_by_test_id(f"match-roles-{role}").check()
    for org_type in need.get("include_types", []):
        page.get_by_test_id(f"match-types-{org_type}").check()
    if "place" in need:
        page.get_by_test_id("match-place").fill(need["place"])
    if "keywords" in need:
        page.get_by_test_id("match-keywords").fill(", ".join(need["keywords"]))
    page.get_by_test_id("match-need-go").click()


def _intro_chain(candidate: dict[str, Any]) -> str | None:
    """The introduction as a card writes it: 'via UMCG → NHL Stenden' (None: no introducer)."""
    introduction = candidate["introduction"]
    if not introduction or not introduction["introducers"]:
        return None
    return "via " + " → ".join(o["name"] for o in introduction["introducers"])


@pytest.fixture(scope="module")
def english(service: Service) -> set[str]:
    """Words only the English catalogue uses and the graph's own data does not."""
    return english_only(document_words(service.api("/export", format="json")))


def _assert_good_dutch(text: str, english: set[str]) -> None:
    stray = words(text) & english
    assert not stray, f"English {sorted(stray)} on screen: {text[:300]}"
    for wrong in ("stap(pen)", "(en)", "(s)", "1 leden", "1 partners", "1 stappen", "null"):
        assert wrong not in text, f"{wrong!r} on screen: {text[:300]}"
    assert "Geen introductiepad bekend" not in text


# --------------------------------------------------------------------------- tasks


def test_bdrc_asks_and_every_reason_agrees_with_the_role_dot(
    explorer: Explorer, service: Service, english: set[str]
) -> None:
    """'Which organisations should BDRC meet?' from a link: each card's dot, role label and
    role reason name the same (primary) role, and each says who introduces."""
    answer = service.api("/match/partners", org="bdrc", top=10, lang="nl")
    candidates: list[dict[str, Any]] = answer["candidates"]
    labels = _labels(service)
    explorer.open("/explorer/#org=bdrc&tab=match&match=bdrc")
    shown = _shown_ids(explorer, len(candidates))
    assert shown == [c["id"] for c in candidates], f"shown {shown}, API {dump(candidates)}"

    role_reasons = 0
    for candidate in candidates:
        card = _card(explorer, candidate["id"])
        role = candidate["helix_role"]
        expect(card.locator(".cand-role .role-dot")).to_have_class(re.compile(rf"\brole-{role}\b"))
        expect(card.locator(".cand-role-label")).to_have_text(labels[role])
        for reason in card.locator(".reasons li").all_inner_texts():
            named = [label for label in labels.values() if reason.startswith(label)]
            if ": een rol die" in reason:  # the helix reason: it names the primary role first
                role_reasons += 1
                assert named == [labels[role]], f"{candidate['name']} ({role}): {reason!r}"
            for other in set(labels.values()) - {labels[role]}:
                assert f"partner uit de {other.lower()}" not in reason.lower(), reason
        chain = _intro_chain(candidate)
        assert chain, f"the API gives {candidate['name']} no introducer: {dump(candidate)}"
        expect(card.locator(".intro-path")).to_contain_text(chain)
        _assert_good_dutch(card.inner_text(), english)
    assert role_reasons, "no card gives a role reason: nothing was compared with its dot"

    roden = _card(explorer, "health-hub-roden")
    expect(roden.locator(".role-dot")).to_have_class(re.compile(r"\brole-industry\b"))
    expect(roden).not_to_contain_text("een partner uit de overheid")
    expect(roden.locator(".reasons")).to_contain_text("Bedrijfsleven, met als nevenrol Overheid")
    explorer.screenshot()


def test_a_knowledge_partner_through_a_secondary_role_says_so(
    explorer: Explorer, service: Service
) -> None:
    """Role filter Kennis & onderwijs: IT Hub (an industry dot) is listed because knowledge
    is one of its secondary roles, and its card says so; the others carry no such line."""
    need = DIABETES_NEED
    candidates = _match(service, need)["candidates"]
    secondary = [c for c in candidates if c["eligible_through"] == "secondary"]
    assert "it-hub" in {c["id"] for c in secondary}, f"IT Hub not listed: {dump(candidates)}"
    explorer.open()
    _ask_need(explorer, need)
    shown = _shown_ids(explorer, len(candidates))
    assert shown == [c["id"] for c in candidates]

    for candidate in candidates:
        line = _card(explorer, candidate["id"]).locator(".cand-eligible")
        if candidate["eligible_through"] == "secondary":
            expect(line).to_have_text("Komt in aanmerking via zijn nevenrol Kennis & onderwijs")
        else:
            expect(line).to_have_count(0)
    it_hub = _card(explorer, "it-hub")
    expect(it_hub.locator(".role-dot")).to_have_class(re.compile(r"\brole-industry\b"))
    expect(it_hub.locator(".cand-role-label")).to_have_text("Bedrijfsleven")
    # nobody asks and no team is on board: one sentence says why nobody introduces
    note = explorer.page.get_by_test_id("match-intro-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("vragende organisatie of teamleden")
    expect(_cards(explorer).locator(".intro-path")).to_have_count(0)
    explorer.screenshot()


def test_medtech_knowledge_in_emmen_on_diabetes_finds_bdrc(
    explorer: Explorer, service: Service, english: set[str]
) -> None:
    """A start-up in Emmen working on diabetes needs a knowledge partner in medtech."""
    candidates = _match(service, DIABETES_NEED)["candidates"]
    ranked = [c["id"] for c in candidates]
    assert "bdrc" in ranked[:3], f"the service ranks BDRC outside the top 3: {ranked}"
    explorer.open()
    _ask_need(explorer, DIABETES_NEED)
    shown = _shown_ids(explorer, len(candidates))
    assert shown == ranked
    assert "bdrc" in shown[:3]
    bdrc = _card(explorer, "bdrc")
    expect(bdrc.locator(".reasons")).to_contain_text("‘diabetes’ in de naam")
    expect(explorer.page.get_by_test_id("match-summary")).to_contain_text(
        f"{len(candidates)} kandidaten"
    )
    _assert_good_dutch(explorer.page.get_by_test_id("match-results").inner_text(), english)


def test_a_team_of_two_gets_introductions_and_penalties_read_as_minus(
    explorer: Explorer, service: Service, english: set[str]
) -> None:
    """'Who introduces the start-up?': NOM and the RUG are on board. A card names who
    introduces ('via …'), and working with the team already is a minus, apart from the
    reasons."""
    candidates = _match(service, TEAM_NEED)["candidates"]
    chains = {c["id"]: _intro_chain(c) for c in candidates}
    assert any(chains.values()), f"the API gives no introducer for the team: {dump(candidates)}"
    penalised = [c for c in candidates if c["penalty"]]
    assert penalised, f"no candidate works with the team already: {dump(candidates)}"

    explorer.open()
    _open_tab(explorer)
    _pick_team_member(explorer, "NOM", "nom")
    _pick_team_member(explorer, "Rijksuniversiteit", "rijksuniversiteit-groningen")
    _ask_need(explorer, TEAM_NEED)
    shown = _shown_ids(explorer, len(candidates))
    assert shown == [c["id"] for c in candidates]
    expect(explorer.page.get_by_test_id("match-summary")).to_contain_text(
        "voor het team (NOM en Rijksuniversiteit Groningen)"
    )

    for candidate in candidates:
        card = _card(explorer, candidate["id"])
        chain = chains[candidate["id"]]
        if chain:
            expect(card.locator(".intro-via")).to_contain_text(chain)
            steps = candidate["introduction"]["length"]
            expect(card.locator(".intro-via")).to_contain_text(f"({steps} stappen)")
        _assert_good_dutch(card.inner_text(), english)
    for candidate in penalised:
        card = _card(explorer, candidate["id"])
        minus = card.locator(".cand-penalty")
        expect(minus).to_have_text(re.compile(r"^\s*−\s*Minpunt: werkt al met 1 lid van het team"))
        reasons = card.locator(".reasons").inner_text()
        assert candidate["penalty"] not in reasons, "the penalty is listed among the reasons"
    explorer.screenshot()


def test_an_empty_answer_shows_the_services_explanation(
    explorer: Explorer, service: Service
) -> None:
    """A care provider from government: there is none, and the page says why."""
    need = {"roles": ["government"], "include_types": ["care_provider"], "top": 10}
    answer = _match(service, need)
    assert answer["candidates"] == [], dump(answer["candidates"])
    summary = answer["explanation"]["summary"]
    assert summary
    explorer.open()
    _ask_need(explorer, need)
    box = explorer.page.get_by_test_id("match-explain")
    expect(box).to_be_visible()
    expect(box.locator(".explain-summary")).to_have_text(summary)
    expect(_cards(explorer)).to_have_count(0)


def test_export_csv_downloads_the_cards_for_dutch_excel(
    explorer: Explorer, service: Service
) -> None:
    candidates = _match(service, DIABETES_NEED)["candidates"]
    explorer.open()
    _ask_need(explorer, DIABETES_NEED)
    _shown_ids(explorer, len(candidates))
    names = _cards(explorer).locator(".cand-name").all_inner_texts()
    roles = _cards(explorer).locator(".cand-role-label").all_inner_texts()

    download = explorer.download("match-export")
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would misread ë and —"
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(header) > 3, f"not ';'-separated as Dutch Excel expects: {header}"
    name_at = next(k for k, h in enumerate(header) if h.lower() == "organisatie")
    assert [row[name_at] for row in body] == names
    assert all(any(role == cell for cell in row) for row, role in zip(body, roles, strict=True))
    score_at = next(k for k, h in enumerate(header) if h.lower() == "score")
    assert all(re.fullmatch(r"\d+,\d\d", row[score_at]) for row in body), body
    expect(explorer.page.get_by_test_id("message")).to_contain_text(download.suggested_filename)

    # the header's CSV button on this tab gives the same list, written by the service
    again = explorer.download("export-csv")
    assert again.path().read_bytes() == raw
    workbook = explorer.download("match-export-xlsx")
    assert workbook.suggested_filename.endswith(".xlsx"), workbook.suggested_filename
    assert workbook.path().read_bytes().startswith(b"PK\x03\x04"), "not an Excel workbook"


def test_the_link_reproduces_the_answer_and_back_returns_to_it(
    explorer: Explorer, service: Service
) -> None:
    candidates = _match(service, DIABETES_NEED)["candidates"]
    expected = [c["id"] for c in candidates]
    explorer.open()
    page = explorer.page
    _ask_need(explorer, DIABETES_NEED)
    assert _shown_ids(explorer, len(expected)) == expected
    explorer.wait_for("() => location.hash.includes('need=1')")
    url = page.url
    assert "tab=match" in url

    page.reload()
    explorer.wait_ready()
    assert page.url == url
    assert _shown_ids(explorer, len(expected)) == expected
    expect(page.get_by_test_id(f"match-themes-{MEDTECH}")).to_be_checked()
    expect(page.get_by_test_id("match-roles-knowledge")).to_be_checked()
    expect(page.get_by_test_id("match-place")).to_have_value("Emmen")
    expect(page.get_by_test_id("match-keywords")).to_have_value("diabetes")

    # another question, then back to this one
    bdrc = [c["id"] for c in service.api("/match/partners", org="bdrc", top=10)["candidates"]]
    page.get_by_test_id("match-org").fill("Bethesda")
    listbox = page.get_by_test_id("match-org").get_attribute("aria-controls")
    page.locator(f"[id='{listbox}'] [data-id='bdrc']").click()
    page.get_by_test_id("match-go").click()
    expect(_cards(explorer).first).to_have_attribute("data-id", bdrc[0])
    assert _shown_ids(explorer, len(bdrc)) == bdrc
    page.go_back()
    expect(_cards(explorer).first).to_have_attribute("data-id", expected[0])
    assert _shown_ids(explorer, len(expected)) == expected
    assert page.url == url
