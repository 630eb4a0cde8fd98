"""The name index: typos and aliases found, common words answered deterministically,
an updated index equal to a fresh build, and the kinds of match in their order.

The index is built over names shaped like the Horizon 2020 graph's: thousands of
"CORDIS organisation <id>" names whose words are all shared, beside a few real names
with aliases.
"""

from __future__ import annotations

import random

import pytest

from graph_schema.names import NameEntry, NameHit, NameIndex

REAL = [
    NameEntry("kiara", "Organisation", "KIARA HEALTH (PTY) LTD", ("Kiara Health",)),
    NameEntry("epf", "Organisation", "FORUM DES PATIENTS EUROPEENS", ("EUROPEAN PATIENTS FORUM",)),
    NameEntry("soulsight", "Organisation", "SOULSIGHT DESIGN STRATEGY SL", ("SOULSIGHT",)),
    NameEntry("kentucky", "Organisation", "UNIVERSITY OF KENTUCKY"),
    NameEntry("leeds", "Organisation", "UNIVERSITY OF LEEDS"),
    NameEntry("project-1", "Project", "H2020 project 1"),
]


def _cordis(count: int, seed: int = 5) -> list[NameEntry]:
    ids = random.Random(seed).sample(  # noqa: S311 (a seeded sample)
        range(888_888_000, 999_999_999), count
    )
    return [NameEntry(f"org-{i}", "Organisation", f"CORDIS organisation {i}") for i in ids]


@pytest.fixture(scope="module")
def entries() -> list[NameEntry]:
    return [*_cordis(3000), *REAL]


@pytest.fixture(scope="module")
def index(entries: list[NameEntry]) -> NameIndex:
    return NameIndex(entries)


def _ids(hits: list[NameHit]) -> list[str]:
    return [hit.entry.id for hit in hits]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Kiara Helth", "kiara"),  # a letter left out, in the alias
        ("KIARA HAELTH (PTY) LTD", "kiara"),  # two letters swapped, in the name
        ("Soulsigth", "soulsight"),
        ("European Patients Frum", "epf"),
        ("Univresity of Kentucky", "kentucky"),
    ],
)
def test_a_name_with_a_typo_finds_the_organisation_first(
    index: NameIndex, typed: str, meant: str
) -> None:
    hits = index.search(typed, limit=5)
    assert hits, typed
    assert hits[0].entry.id == meant
    assert 0.56 <= hits[0].score <= 0.7  # found by edit similarity, below every other kind


def test_a_cordis_id_with_a_digit_left_out_finds_its_organisation(
    index: NameIndex, entries: list[NameEntry]
) -> None:
    for entry in entries[:50]:
        number = entry.name.rsplit(" ", 1)[1]
        typed = f"CORDIS organisation {number[:4]}{number[5:]}"
        assert entry.id in _ids(index.search(typed, limit=10)), typed


def test_an_alias_is_found_exactly_and_the_hit_says_which_spelling_matched(
    index: NameIndex,
) -> None:
    hit = index.search("european patients forum")[0]
    assert (hit.entry.id, hit.score, hit.matched) == ("epf", 1.0, "EUROPEAN PATIENTS FORUM")
    assert index.search("soulsight")[0].entry.id == "soulsight"
    assert index.search("soulsight")[0].score == 1.0


def test_words_every_name_holds_give_the_first_names_in_order_every_time(
    index: NameIndex, entries: list[NameEntry]
) -> None:
    cordis = sorted(e.name for e in entries if e.name.startswith("CORDIS"))
    for query in ("CORDIS organisation", "cordis", "organisation cordis", "CORDIS organisaton"):
        first = index.search(query, limit=20)
        assert [hit.entry.name for hit in first] == cordis[:20], query
        assert len({hit.score for hit in first}) == 1  # all alike: ties go by name
        assert index.search(query, limit=20) == first
        assert NameIndex(reversed(entries)).search(query, limit=20) == first
    assert len(index.search("cordis", limit=1000)) == 1000


def test_kinds_of_match_come_in_their_order() -> None:
    index = NameIndex(
        NameEntry(i, "Organisation", name)
        for i, name in [
            ("equal", "Drents Museum"),
            ("prefix", "Drents Museum Assen"),
            ("contained", "Het Drentsmuseum"),
            ("words", "Museum van Drenthe"),
            ("close", "Drents Musem"),
            ("other", "Groninger Museum"),
        ]
    )
    hits = index.search("Drents Museum", limit=10)
    assert _ids(hits) == ["equal", "prefix", "contained", "close"]
    assert [hit.score for hit in hits][:3] == [1.0, 0.9353, 0.8]  # prefix: 0.9 + 0.05 * 12 / 17
    starts = index.search("muse dren")  # every word starts a word: alike, by name
    assert _ids(starts) == ["close", "equal", "prefix", "words"]
    assert {hit.score for hit in starts} == {0.75}
    assert index.search("museum", limit=2) == index.search("museum", limit=10)[:2]


def test_labels_and_limit_hold_for_every_kind(index: NameIndex) -> None:
    assert index.search("H2020 project 1", labels={"Organisation"}) == []
    assert _ids(index.search("H2020 project 1", labels={"Project"})) == ["project-1"]
    assert len(index.search("university", limit=1)) == 1


def test_an_updated_index_answers_like_a_fresh_build(entries: list[NameEntry]) -> None:
    rng = random.Random(11)  # noqa: S311 (a seeded sample)
    index = NameIndex(entries)
    state = {entry.id: entry for entry in entries}
    queries = ["kiara", "Kiara Helth", "CORDIS organisation", "university of", "leeds"]
    for step in range(3):  # an updated index updated again
        renamed = [
            NameEntry(e.id, e.label, f"Renamed organisation {step} {e.id}", ("Kiara Labs",))
            for e in rng.sample(sorted(state.values(), key=lambda e: e.id), 40)
        ]
        removed = rng.sample(sorted(state), 10)
        added = [NameEntry(f"new-{step}", "Organisation", "UNIVERSITY OF LEEDS TRUST")]
        for node_id in removed:
            state.pop(node_id, None)
        state.update({e.id: e for e in [*renamed, *added]})
        index = index.updated([*renamed, *added], removed=removed)
        queries += [renamed[0].name, f"renamed organisation {step}", entries[step].name]
    fresh = NameIndex(state.values())
    assert len(index) == len(fresh) == len(state)
    for query in queries:
        for limit in (5, 50):
            assert index.search(query, limit=limit) == fresh.search(query, limit=limit), query
        assert index.suggest(query) == fresh.suggest(query)


def test_a_name_a_letter_off_is_suggested_when_search_finds_nothing() -> None:
    index = NameIndex([NameEntry("kpn", "Organisation", "KPN"), *REAL, *_cordis(500)])
    assert index.search("KPM") == []
    assert _ids(index.suggest("KPM")) == ["kpn"]
    assert index.suggest("Zorgverzekeraar Xyz") == []
