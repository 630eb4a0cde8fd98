"""The catalogues: complete in both languages, plurals right, the vocabulary covered."""

from __future__ import annotations

import pytest

from graph_schema import HelixRole, NodeLabel, OrgType, RelType
from graph_schema.enums import MembershipRole, ParticipationRole
from graph_schema.i18n import LANGUAGES, catalogue, listing, negotiate, number, placeholders, t


def test_every_key_exists_in_every_language_with_the_same_placeholders() -> None:
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["nl"] == keys["en"], keys["nl"] ^ keys["en"]
    for key in keys["nl"]:
        assert placeholders(catalogue("nl")[key]) == placeholders(catalogue("en")[key]), key


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("role.", list(HelixRole)),
        ("type.", list(OrgType)),
        ("kind.", list(NodeLabel)),
        ("rel.", list(RelType)),
        ("participation.", list(ParticipationRole)),
        ("membership.", list(MembershipRole)),
    ],
)
def test_the_vocabulary_has_a_name_in_every_language(prefix: str, values: list[str]) -> None:
    for lang in LANGUAGES:
        for value in values:
            assert f"{prefix}{value}" in catalogue(lang), (lang, prefix, value)


def test_dutch_plurals() -> None:
    assert t("nl", "count.organisations", n=1) == "1 organisatie"
    assert t("nl", "count.organisations", n=2) == "2 organisaties"
    assert t("nl", "count.steps", n=1) == "1 stap"
    assert t("nl", "count.steps", n=0) == "0 stappen"
    assert t("en", "count.ties", n=1) == "1 tie"


def test_listing_and_numbers() -> None:
    assert listing(["UMCG", "Treant"], "nl") == "UMCG en Treant"
    assert listing(["a", "b", "c", "d", "e"], "nl") == "a, b, c en 2 andere"
    assert listing(["a", "b", "c", "d"], "en") == "a, b, c and 1 other"
    assert number(1234.5, "nl") == "1.234,50"
    assert number(0.25, "en") == "0.25"


def test_language_negotiation() -> None:
    assert negotiate(None, None) == "nl"
    assert negotiate("en", "nl") == "en"
    assert negotiate(None, "en-GB,en;q=0.9,nl;q=0.8") == "en"
    assert negotiate(None, "de-DE, nl;q=0.5, en;q=0.4") == "nl"
    assert negotiate(None, "fr") == "nl"
