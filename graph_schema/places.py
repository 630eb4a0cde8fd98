"""Places, provinces and regions: where an organisation is, in one vocabulary.

An organisation has a ``place`` (a town), a ``province`` (one of the twelve Dutch
provinces) and a ``region``: Noord-Nederland (the provinces Drenthe, Groningen and
Fryslân) or Nedersaksen (the German state Niedersachsen, home of the cross-border
partners). This module is the one place that knows which town lies in which province,
which province in which region, and how their names are written; the models, the stores'
place filters and the matcher all ask it.

Names are compared without case, accents, spaces or punctuation (``name_key``), and a
few other spellings are understood: ``Friesland`` is Fryslân, ``Niedersachsen`` is
Nedersaksen, ``'s-Gravenhage`` is Den Haag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator

from graph_schema.names import name_key

__all__ = [
    "PLACES",
    "Location",
    "PlaceQuery",
    "Province",
    "ProvinceName",
    "Region",
    "RegionName",
    "complete_location",
    "locate",
    "place_key",
    "province_named",
    "province_of",
    "region_named",
    "region_of",
]


class Province(StrEnum):
    """The twelve provinces of the Netherlands, written as the province writes itself."""

    DRENTHE = "Drenthe"
    FLEVOLAND = "Flevoland"
    FRYSLAN = "Fryslân"
    GELDERLAND = "Gelderland"
    GRONINGEN = "Groningen"
    LIMBURG = "Limburg"
    NOORD_BRABANT = "Noord-Brabant"
    NOORD_HOLLAND = "Noord-Holland"
    OVERIJSSEL = "Overijssel"
    UTRECHT = "Utrecht"
    ZEELAND = "Zeeland"
    ZUID_HOLLAND = "Zuid-Holland"


class Region(StrEnum):
    """The wider regions the Drenthe network works in."""

    NOORD_NEDERLAND = "Noord-Nederland"
    """The provinces Drenthe, Groningen and Fryslân."""
    NEDERSAKSEN = "Nedersaksen"
    """Niedersachsen, the German state across the border (Emsland, Lingen)."""


_REGION_OF_PROVINCE: dict[Province, Region] = {
    Province.DRENTHE: Region.NOORD_NEDERLAND,
    Province.GRONINGEN: Region.NOORD_NEDERLAND,
    Province.FRYSLAN: Region.NOORD_NEDERLAND,
}

_PROVINCE_SPELLINGS: dict[str, Province] = {
    **{name_key(p.value): p for p in Province},
    name_key("Friesland"): Province.FRYSLAN,
    name_key("Brabant"): Province.NOORD_BRABANT,
}
_REGION_SPELLINGS: dict[str, Region] = {
    **{name_key(r.value): r for r in Region},
    name_key("Noord Nederland"): Region.NOORD_NEDERLAND,
    name_key("Noorden"): Region.NOORD_NEDERLAND,
    name_key("Northern Netherlands"): Region.NOORD_NEDERLAND,
    name_key("Niedersachsen"): Region.NEDERSAKSEN,
    name_key("Lower Saxony"): Region.NEDERSAKSEN,
}


@dataclass(frozen=True, slots=True)
class _Town:
    name: str
    province: Province | None
    country: str
    region: Region | None = None  # only for towns outside the Dutch provinces


def _nl(province: Province, *names: str) -> list[_Town]:
    return [_Town(name, province, "NL") for name in names]


def _nds(*names: str) -> list[_Town]:
    return [_Town(name, None, "DE", Region.NEDERSAKSEN) for name in names]


_TOWNS: list[_Town] = [
    *_nl(
        Province.DRENTHE,
        "Assen", "Beilen", "Borger", "Coevorden", "Diever", "Dwingeloo", "Eelde", "Emmen",
        "Gieten", "Havelte", "Hoogeveen", "Klazienaveen", "Meppel", "Nieuw-Amsterdam",
        "Norg", "Peize", "Roden", "Ruinen", "Schoonebeek", "Vries", "Westerbork",
        "Zuidlaren",
    ),
    *_nl(
        Province.GRONINGEN,
        "Appingedam", "Delfzijl", "Groningen", "Haren", "Hoogezand", "Leek", "Marum",
        "Musselkanaal", "Oude Pekela", "Sappemeer", "Stadskanaal", "Ter Apel", "Uithuizen",
        "Veendam", "Winschoten", "Winsum", "Zuidhorn",
    ),
    *_nl(
        Province.FRYSLAN,
        "Dokkum", "Drachten", "Franeker", "Harlingen", "Heerenveen", "Joure", "Leeuwarden",
        "Sneek", "Wolvega",
    ),
    *_nl(Province.FLEVOLAND, "Almere", "Emmeloord", "Lelystad"),
    *_nl(
        Province.GELDERLAND,
        "Apeldoorn", "Arnhem", "Ede", "Harderwijk", "Hoevelaken", "Nijmegen", "Wageningen",
        "Zutphen",
    ),
    *_nl(Province.LIMBURG, "Heerlen", "Maastricht", "Roermond", "Sittard", "Venlo"),
    *_nl(
        Province.NOORD_BRABANT,
        "Best", "Breda", "Eindhoven", "Helmond", "'s-Hertogenbosch", "Tilburg", "Veldhoven",
    ),
    *_nl(Province.NOORD_HOLLAND, "Amsterdam", "Haarlem", "Hilversum", "Zaandam"),
    *_nl(
        Province.OVERIJSSEL,
        "Almelo", "Deventer", "Enschede", "Hardenberg", "Hengelo", "Kampen", "Steenwijk",
        "Zwolle",
    ),
    *_nl(
        Province.UTRECHT,
        "Amersfoort", "Bilthoven", "Driebergen", "Houten", "Nieuwegein", "Utrecht", "Zeist",
    ),
    *_nl(Province.ZEELAND, "Goes", "Middelburg", "Vlissingen"),
    *_nl(
        Province.ZUID_HOLLAND,
        "Delft", "Den Haag", "Dordrecht", "Gouda", "Leiden", "Rotterdam", "Zoetermeer",
    ),
    *_nds(
        "Aurich", "Emden", "Hannover", "Leer", "Lingen", "Meppen", "Nordhorn", "Oldenburg",
        "Osnabrück", "Papenburg",
    ),
]  # fmt: skip

_TOWN_SPELLINGS: dict[str, str] = {
    name_key("'s-Gravenhage"): "Den Haag",
    name_key("The Hague"): "Den Haag",
    name_key("Den Bosch"): "'s-Hertogenbosch",
    name_key("Hengelo OV"): "Hengelo",
    name_key("Lingen (Ems)"): "Lingen",
    name_key("Osnabrueck"): "Osnabrück",
    name_key("Driebergen-Rijsenburg"): "Driebergen",
}

PLACES: Mapping[str, _Town] = {name_key(town.name): town for town in _TOWNS}
"""Known towns by :func:`place_key`: their spelling, province (or region) and country."""


def place_key(text: str) -> str:
    """The comparison key of a place name: the known town's own spelling, without case,
    accents, spaces or punctuation, so that other spellings of a town compare equal.

    >>> place_key("'s-Gravenhage") == place_key("den haag")
    True
    >>> place_key("OSNABRUCK") == place_key("Osnabrück")
    True
    """
    key = name_key(text)
    canonical = _TOWN_SPELLINGS.get(key)
    return key if canonical is None else name_key(canonical)


def province_named(text: str) -> Province | None:
    """The province a name stands for (case, accents and 'Friesland' allowed), or None.

    >>> province_named("friesland")
    <Province.FRYSLAN: 'Fryslân'>
    >>> province_named("Emmen") is None
    True
    """
    return _PROVINCE_SPELLINGS.get(name_key(text))


def region_named(text: str) -> Region | None:
    """The region a name stands for ('Noord-Nederland', 'Niedersachsen', …), or None.

    >>> region_named("NIEDERSACHSEN")
    <Region.NEDERSAKSEN: 'Nedersaksen'>
    """
    return _REGION_SPELLINGS.get(name_key(text))


def region_of(province: Province | None) -> Region | None:
    """The wider region of a province (None: in none of the regions).

    >>> region_of(Province.DRENTHE)
    <Region.NOORD_NEDERLAND: 'Noord-Nederland'>
    >>> region_of(Province.UTRECHT) is None
    True
    """
    return None if province is None else _REGION_OF_PROVINCE.get(province)


def _town(place: str, country: str | None) -> _Town | None:
    town = PLACES.get(place_key(place))
    if town is None or (country is not None and country != town.country):
        return None
    return town


def province_of(place: str, country: str | None = None) -> Province | None:
    """The province of a known town (in ``country``, when given), or None.

    >>> province_of("Meppel")
    <Province.DRENTHE: 'Drenthe'>
    >>> province_of("Groningen", "DE") is None
    True
    """
    town = _town(place, country)
    return None if town is None else town.province


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is: a town, its province, its region and its country.

    Any part may be unknown (None). A province or region on its own has no ``place``.
    """

    place: str | None
    province: Province | None
    region: Region | None
    country: str | None

    def names(self) -> tuple[str, ...]:
        """The known parts, narrowest first: place, province, region, country."""
        parts = (self.place, self.province, self.region, self.country)
        return tuple(str(part) for part in parts if part is not None)


def locate(text: str, country: str | None = None) -> Location | None:
    """What a place name stands for: a known town, a province or a region.

    Parameters
    ----------
    text
        A town ('Roden'), a province ('Drenthe', 'Friesland') or a region
        ('Noord-Nederland', 'Niedersachsen'), in any case, with or without accents.
    country
        The country code the town must lie in (None: any).

    Returns
    -------
    Location or None
        A town is returned with its own spelling, its province, region and country; a
        province with its region; a region alone. A name that is a town and a province
        ('Groningen') is the town (whose province is the province). None: not known.

    Examples
    --------
    >>> locate("emmen")
    Location(place='Emmen', province=<Province.DRENTHE: 'Drenthe'>, region=<Region.NOORD_NEDERLAND: 'Noord-Nederland'>, country='NL')
    >>> locate("Drenthe").names()
    ('Drenthe', 'Noord-Nederland', 'NL')
    >>> locate("Lingen").names()
    ('Lingen', 'Nedersaksen', 'DE')
    >>> locate("Atlantis") is None
    True
    """  # noqa: E501
    town = _town(text, country)
    if town is not None:
        region = town.region or region_of(town.province)
        return Location(town.name, town.province, region, town.country)
    province = province_named(text)
    if province is not None and country in (None, "NL"):
        return Location(None, province, region_of(province), "NL")
    region = region_named(text)
    if region is not None:
        home = "DE" if region is Region.NEDERSAKSEN else "NL"
        if country in (None, home):
            return Location(None, None, region, home)
    return None


def _province_input(value: Any) -> Any:
    """A province name in any accepted spelling becomes the Province; anything else is
    left for the enum to refuse with the list of provinces."""
    if isinstance(value, str) and not isinstance(value, Province):
        return province_named(value) or value
    return value


def _region_input(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Region):
        return region_named(value) or value
    return value


ProvinceName = Annotated[Province, BeforeValidator(_province_input)]
"""A province, accepted in any case, with or without accents, or as 'Friesland'."""

RegionName = Annotated[Region, BeforeValidator(_region_input)]
"""A region, accepted in any case, with or without accents, or as 'Niedersachsen'."""


def complete_location(data: Mapping[str, Any]) -> dict[str, Any]:
    """An organisation's fields with province, region and country filled in from its place.

    A known town gives its province (and country, when missing); a province gives its
    region. Nothing is overwritten: a stated province or region that contradicts the
    town is left for validation to refuse. Names of provinces and regions are read in
    any accepted spelling.

    >>> complete_location({"place": "Roden"})["region"]
    <Region.NOORD_NEDERLAND: 'Noord-Nederland'>
    >>> complete_location({"place": "Lingen", "country": "DE"})["region"]
    <Region.NEDERSAKSEN: 'Nedersaksen'>
    """
    record = dict(data)
    for field, read in (("province", _province_input), ("region", _region_input)):
        if record.get(field) is not None:
            record[field] = read(record[field])
    place = record.get("place")
    town = _town(place, record.get("country")) if isinstance(place, str) else None
    if town is not None:
        if record.get("country") is None:
            record["country"] = town.country
        if record.get("province") is None and town.province is not None:
            record["province"] = town.province
        if record.get("region") is None and town.region is not None:
            record["region"] = town.region
    province = record.get("province")
    if record.get("region") is None and isinstance(province, Province):
        region = region_of(province)
        if region is not None:
            record["region"] = region
    return record


@dataclass(frozen=True, slots=True)
class PlaceQuery:
    """A place filter: the text matches a town, a province or a region.

    ``key`` is the town's :func:`place_key`; ``province`` and ``region`` are what the
    text names as a province or region (None: it names none). An organisation matches
    when its place has the key, or its province or region is the one named.

    >>> query = PlaceQuery.of("drenthe")
    >>> query.matches(place="Assen", province="Drenthe", region="Noord-Nederland")
    True
    >>> query.matches(place="Groningen", province="Groningen", region="Noord-Nederland")
    False
    >>> PlaceQuery.of("NOORD-NEDERLAND").matches(None, "Groningen", "Noord-Nederland")
    True
    """

    key: str
    province: Province | None
    region: Region | None

    @classmethod
    def of(cls, text: str) -> PlaceQuery:
        return cls(place_key(text), province_named(text), region_named(text))

    def matches(self, place: str | None, province: str | None, region: str | None) -> bool:
        """Whether an organisation at ``place`` in ``province`` and ``region`` matches."""
        return bool(
            (place is not None and self.key and place_key(place) == self.key)
            or (self.province is not None and province == self.province)
            or (self.region is not None and region == self.region)
        )
