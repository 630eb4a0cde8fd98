"""One vocabulary of places: towns, provinces, regions, and how their names are read."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph_schema import Location, Organisation, Province, Region, locate
from graph_schema.places import PLACES, PlaceQuery, province_named, region_named, region_of


def org(**fields: object) -> Organisation:
    return Organisation.model_validate(
        {"id": "x", "name": "X", "helix_role": "industry", "org_type": "company", **fields}
    )


def test_the_north_is_three_provinces() -> None:
    north = {p for p in Province if region_of(p) is Region.NOORD_NEDERLAND}
    assert north == {Province.DRENTHE, Province.GRONINGEN, Province.FRYSLAN}


@pytest.mark.parametrize("spelling", ["Fryslân", "fryslan", "FRIESLAND", "Friesland"])
def test_fryslan_is_read_in_every_spelling(spelling: str) -> None:
    assert province_named(spelling) is Province.FRYSLAN


@pytest.mark.parametrize("spelling", ["Nedersaksen", "Niedersachsen", "niedersachsen"])
def test_nedersaksen_is_read_in_dutch_and_german(spelling: str) -> None:
    assert region_named(spelling) is Region.NEDERSAKSEN


def test_locate_a_town_a_province_a_region() -> None:
    assert locate("HOOGEVEEN") == Location(
        "Hoogeveen", Province.DRENTHE, Region.NOORD_NEDERLAND, "NL"
    )
    assert locate("Friesland") == Location(None, Province.FRYSLAN, Region.NOORD_NEDERLAND, "NL")
    assert locate("noord-nederland") == Location(None, None, Region.NOORD_NEDERLAND, "NL")
    assert locate("Meppen") == Location("Meppen", None, Region.NEDERSAKSEN, "DE")
    assert locate("'s-Gravenhage") == Location("Den Haag", Province.ZUID_HOLLAND, None, "NL")
    assert locate("Groningen") == Location(
        "Groningen", Province.GRONINGEN, Region.NOORD_NEDERLAND, "NL"
    )
    assert locate("Groningen", "DE") is None
    assert locate("Atlantis") is None


def test_every_known_dutch_town_has_a_province_and_every_german_one_a_region() -> None:
    for town in PLACES.values():
        if town.country == "NL":
            assert town.province is not None, town.name
        else:
            assert (town.province, town.region) == (None, Region.NEDERSAKSEN), town.name


def test_an_organisation_gets_province_and_region_from_its_town() -> None:
    placed = org(place="Roden", country="NL")
    assert (placed.province, placed.region) == (Province.DRENTHE, Region.NOORD_NEDERLAND)
    assert org(place="emmen").country == "NL"
    assert org(province="friesland").region is Region.NOORD_NEDERLAND
    unknown = org(place="Springfield", country="US")
    assert (unknown.province, unknown.region) == (None, None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"place": "Emmen", "province": "Groningen"}, "Emmen lies in the province Drenthe"),
        ({"province": "Drenthe", "region": "Nedersaksen"}, "lies in the region Noord-Nederland"),
        ({"province": "Utrecht", "region": "Noord-Nederland"}, "none of the regions"),
        ({"place": "Lingen", "region": "Noord-Nederland"}, "Lingen lies in the region"),
        ({"province": "Atlantis"}, "'Drenthe'"),
    ],
)
def test_a_contradiction_is_refused_with_a_reason(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        org(**fields)


def test_a_place_query_matches_town_province_or_region() -> None:
    emmen = ("Emmen", "Drenthe", "Noord-Nederland")
    assert PlaceQuery.of("EMMEN").matches(*emmen)
    assert PlaceQuery.of("drenthe").matches(*emmen)
    assert PlaceQuery.of("Noord-Nederland").matches(*emmen)
    assert not PlaceQuery.of("Assen").matches(*emmen)
    assert not PlaceQuery.of("Nedersaksen").matches(*emmen)
    assert not PlaceQuery.of("---").matches(None, None, None)
