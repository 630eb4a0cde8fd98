"""Every organisation of the seed is placed where the agenda or a public fact puts it."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from graph_schema import GraphValidationError, Organisation, Province, Region
from graph_schema.places import PLACES, place_key
from seed import DATA_DIR, load_seed
from tests.conftest import SOURCE_TEXT

README = DATA_DIR / "README.md"
_START, _END = "<!-- places:unknown:start -->", "<!-- places:unknown:end -->"


@cache
def organisations() -> dict[str, Organisation]:
    return {n.id: n for n in load_seed().nodes if isinstance(n, Organisation)}


@cache
def agenda() -> str:
    return re.sub(r"\s+", " ", SOURCE_TEXT.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("org_id", "place", "province"),
    [
        ("treant", "Emmen", Province.DRENTHE),  # seat; hospitals in Emmen, Hoogeveen, Stadskanaal
        ("hzd", "Assen", Province.DRENTHE),
        ("drenthe-college", "Emmen", Province.DRENTHE),
        ("alfa-college", "Groningen", Province.GRONINGEN),
        ("umcg", "Groningen", Province.GRONINGEN),
        ("bdrc", "Hoogeveen", Province.DRENTHE),
        ("health-hub-roden", "Roden", Province.DRENTHE),
        ("isala-diaconessenhuis", "Meppel", Province.DRENTHE),
        ("nhl-stenden", "Leeuwarden", Province.FRYSLAN),
        ("gemeente-tynaarlo", "Vries", Province.DRENTHE),
        ("ministerie-vws", "Den Haag", Province.ZUID_HOLLAND),
    ],
)
def test_known_organisations_have_their_place_and_province(
    org_id: str, place: str, province: Province
) -> None:
    org = organisations()[org_id]
    assert (org.place, org.province) == (place, province)
    assert org.region == (Region.NOORD_NEDERLAND if province.value in _NORTH else None)


_NORTH = {"Drenthe", "Groningen", "Fryslân"}


def test_cross_border_partners_are_in_nedersaksen() -> None:
    for org_id in ("emsland", "hochschule-osnabrueck-lingen"):
        org = organisations()[org_id]
        assert (org.province, org.region, org.country) == (None, Region.NEDERSAKSEN, "DE")


def test_groups_named_after_a_province_or_region_have_it_without_a_town() -> None:
    orgs = organisations()
    assert (orgs["drentse-ondernemers"].place, orgs["drentse-ondernemers"].province) == (
        None,
        Province.DRENTHE,
    )
    assert orgs["noordelijke-overheden"].region is Region.NOORD_NEDERLAND
    assert orgs["noordelijke-overheden"].province is None


def test_every_dutch_town_of_the_seed_is_known_so_its_province_follows() -> None:
    unknown = {
        org.id: org.place
        for org in organisations().values()
        if org.place and org.country == "NL" and place_key(org.place) not in PLACES
    }
    assert unknown == {}
    assert all(o.province for o in organisations().values() if o.place and o.country == "NL")


def test_every_location_says_where_it_comes_from() -> None:
    for org in organisations().values():
        located = org.place or org.province or org.region
        assert bool(located) == bool(org.place_source), org.id
        if org.place_source:
            assert org.place_source.startswith(("agenda: ", "public: ")), org.id


def test_places_from_the_agenda_are_quoted_verbatim_and_name_the_place() -> None:
    quoted = [o for o in organisations().values() if (o.place_source or "").startswith("agenda")]
    assert len(quoted) >= 25
    for org in quoted:
        quote = (org.place_source or "").removeprefix("agenda: ")
        assert quote in agenda(), f"{org.id}: {quote!r} is not in the agenda"
        named = org.place or str(org.province or org.region)
        stem = {"Drenthe": "Drent", "Noord-Nederland": "oord"}.get(named, named)
        assert stem.casefold() in quote.casefold(), f"{org.id}: {quote!r} does not name {named}"


def test_places_from_public_facts_name_the_place() -> None:
    for org in organisations().values():
        fact = org.place_source or ""
        if fact.startswith("public: ") and org.place:
            assert org.place in fact, org.id


def unknown_table() -> str:
    """The README's list of organisations without a known place, as it should read."""
    rows = ["| id | name | generic | province or region |", "|---|---|---|---|"]
    for org in sorted(organisations().values(), key=lambda o: o.id):
        if org.place:
            continue
        wider = org.province or org.region
        rows.append(
            f"| `{org.id}` | {org.name} | {'yes' if org.generic else 'no'} | "
            f"{wider if wider else '–'} |"
        )
    return "\n".join(rows)


def test_the_readme_lists_exactly_the_organisations_without_a_place() -> None:
    text = README.read_text(encoding="utf-8")
    listed = text.split(_START, 1)[1].split(_END, 1)[0].strip()
    expected = unknown_table()
    assert listed == expected, (
        f"seed/data/README.md: replace the list between {_START} and {_END} with:\n{expected}"
    )


def test_named_organisations_without_a_place_are_few() -> None:
    named = [o.id for o in organisations().values() if not o.place and not o.generic]
    assert len(named) <= 15, named
    for org_id in ("treant", "hzd", "drenthe-college", "alfa-college"):
        assert org_id not in named


def _replace_cells(path: Path, org_id: str, **cells: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    for number, line in enumerate(lines):
        if line.startswith(f"{org_id},"):
            values = line.split(",")
            for column, value in cells.items():
                values[header.index(column)] = value
            lines[number] = ",".join(values)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number + 1
    raise AssertionError(org_id)


def test_a_province_that_contradicts_the_town_is_refused_at_its_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    line = _replace_cells(data / "organisations.csv", "imds", province="Groningen")
    with pytest.raises(GraphValidationError) as caught:
        load_seed(data)
    text = [str(p) for p in caught.value.problems]
    assert any(f"organisations.csv:{line}" in t and "Roden" in t for t in text), text


def test_a_place_without_a_source_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    line = _replace_cells(data / "organisations.csv", "imds", place_source="")
    with pytest.raises(GraphValidationError) as caught:
        load_seed(data)
    text = [str(p) for p in caught.value.problems]
    assert text == [
        f"organisations.csv:{line} (id=imds): place_source: say where the place, "
        "province or region comes from"
    ]
