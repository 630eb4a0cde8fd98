"""The seed holds the whole agenda, every claim traceable to the source text."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import pytest

from graph_schema import (
    Action,
    GraphData,
    Network,
    NodeLabel,
    Organisation,
    Project,
    RelType,
)
from graph_schema.names import name_key
from seed import load_seed
from tests.conftest import SOURCE_TEXT

# Pinned so that an accidental deletion (or a silent duplicate) fails a test.
EXPECTED_COUNTS: dict[str, int] = {
    # nodes
    "Organisation": 96,  # 69 named organisations and 27 generic groups
    "Action": 20,
    "Programme": 29,
    "Project": 14,
    "Network": 11,
    "Theme": 6,
    "SDG": 3,
    # relationships
    "PARTNER_IN": 125,
    "ADDRESSES": 53,
    "MEMBER_OF": 50,
    "PARTICIPATES_IN": 41,
    "RELATES_TO": 20,
    "RUNS": 19,
    "PART_OF": 17,
    "SUPPORTS": 6,
    "FUNDED_BY": 4,
    "CONTRIBUTES_TO": 3,
    "JOINT_VENTURE_OF": 3,
    "FOLLOWS_FROM": 2,
    "SUCCESSOR_OF": 1,
}


@cache
def seed() -> GraphData:
    return load_seed()


@cache
def source_text() -> str:
    return re.sub(r"\s+", " ", SOURCE_TEXT.read_text(encoding="utf-8"))


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def organisations() -> list[Organisation]:
    return [n for n in seed().nodes if isinstance(n, Organisation)]


def by_id(node_id: str) -> object:
    return next(n for n in seed().nodes if n.id == node_id)


def rels(rel_type: RelType) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in seed().relationships if r.type == rel_type}


def resolve(spelling: str) -> set[str]:
    """Ids of the organisations whose name or alias matches the spelling."""
    key = name_key(spelling)
    return {o.id for o in organisations() if key in {name_key(s) for s in (o.name, *o.aliases)}}


def test_the_source_text_is_there() -> None:
    assert SOURCE_TEXT.exists(), f"missing {SOURCE_TEXT}: set HELIX_SOURCE_TEXT"


def test_counts_per_kind_are_pinned() -> None:
    assert seed().counts() == dict(sorted(EXPECTED_COUNTS.items()))


def test_every_relationship_has_a_quote_that_occurs_in_the_source() -> None:
    missing = [
        f"{r.type} {r.source} -> {r.target}: {r.provenance.quote!r}"
        for r in seed().relationships
        if normalised(r.provenance.quote) not in source_text()
    ]
    assert missing == []


def test_every_node_quote_occurs_in_the_source() -> None:
    missing = [
        f"{n.id}: {n.provenance and n.provenance.quote!r}"
        for n in seed().nodes
        if n.provenance is None or normalised(n.provenance.quote) not in source_text()
    ]
    assert missing == []


def test_every_spelling_resolves_to_exactly_one_organisation() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for o in organisations():
        for spelling in (o.name, *o.aliases):
            owners[name_key(spelling)].add(o.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert shared == {}


@pytest.mark.parametrize(
    ("spellings", "org_id"),
    [
        (["IT Hub", "IT-Hub", "IT-hub", "it hub"], "it-hub"),
        (["Health Hub Roden", "HHR", "Health Hub", "health hub roden"], "health-hub-roden"),
        (["UMCG", "umcg"], "umcg"),
        (["Lifelines"], "lifelines"),
        (["NOM", "Noordelijke Ontwikkelings Maatschappij"], "nom"),
        (["TZA", "Technologie en Zorg Academie"], "tza"),
        (["BDRC", "Bethesda Diabetes Research Center"], "bdrc"),
        (["HANNN"], "hannn"),
        (["Hanzehogeschool", "Hanze"], "hanzehogeschool"),
        (["HZD", "Huisartsen Zorg Drenthe"], "hzd"),
        (["IBDO", "Ik ben Drents Ondernemer"], "ibdo"),
    ],
)
def test_spellings_in_the_text_find_one_organisation(spellings: list[str], org_id: str) -> None:
    for spelling in spellings:
        assert resolve(spelling) == {org_id}, spelling


def test_lifelines_and_umcg_are_two_organisations() -> None:
    assert resolve("Lifelines") != resolve("UMCG")


def test_relations_between_organisations_from_the_text() -> None:
    assert ("flinc", "nom") in rels(RelType.PART_OF)
    assert ("tza", "practoraat-zorg-en-technologie") in rels(RelType.SUCCESSOR_OF)
    assert ("stichting-health-hub-roden", "health-hub-roden") in rels(RelType.RUNS)
    ventures = {t for s, t in rels(RelType.JOINT_VENTURE_OF) if s == "pureims"}
    assert ventures == {"rijksuniversiteit-groningen", "imds", "linesbridge-pharma-group"}


def test_generic_groups_are_nodes_flagged_generic() -> None:
    generic = {o.id for o in organisations() if o.generic}
    assert len(generic) == 27
    assert {"mkb", "zorginstellingen", "kennisinstellingen", "gemeenten"} <= generic
    assert any("patient" in g for g in generic)
    assert not {"umcg", "nom", "it-hub"} & generic


def test_every_action_is_complete() -> None:
    actions = [n for n in seed().nodes if isinstance(n, Action)]
    partners = {target for _, target in rels(RelType.PARTNER_IN)}
    addresses = rels(RelType.ADDRESSES)
    for action in actions:
        assert action.id in partners, f"{action.id} has no partner"
        assert (action.id, action.theme) in addresses, f"{action.id} does not address its theme"
        assert action.result_2022 or action.result_2024, f"{action.id} has no result"


def test_each_of_the_six_themes_has_actions() -> None:
    themes = {n.theme for n in seed().nodes if isinstance(n, Action)}
    themes_defined = {n.id for n in seed().nodes if n.label == NodeLabel.THEME}
    assert themes == themes_defined
    assert len(themes) == 6


def test_numeric_kpis_are_captured() -> None:
    kpis = {
        (n.kpi_value, n.kpi_unit) for n in seed().nodes if isinstance(n, Action) and n.kpi_value
    }
    values = {value for value, _ in kpis}
    assert {10, 5, 3} <= values


def test_the_networks_of_bijlage_3_have_their_members() -> None:
    members: dict[str, set[str]] = defaultdict(set)
    for org_id, network in rels(RelType.MEMBER_OF):
        members[network].add(org_id)
    networks = {n.id: n for n in seed().nodes if isinstance(n, Network)}
    for name in ("Zorgtafel", "HANNN", "Regio Groningen-Assen", "Kopgroep", "NetwerkZON"):
        found = [i for i, n in networks.items() if name_key(name) in name_key(n.name)]
        assert found, f"network {name} is missing"
        assert any(members[i] for i in found), f"network {name} has no members"
    zon = next(i for i, n in networks.items() if "zon" in n.id)
    assert {"noorderpoort", "alfa-college", "drenthe-college"} <= members[zon]


def test_projects_of_bijlage_2_have_participants_and_a_lead() -> None:
    projects = [n for n in seed().nodes if isinstance(n, Project)]
    participants = rels(RelType.PARTICIPATES_IN)
    leads = {
        r.target
        for r in seed().relationships
        if r.type == RelType.PARTICIPATES_IN and r.role == "lead"
    }
    for name in ("Twincer", "InForCare", "Vital Regions", "Health Hub Roden"):
        project = next(p for p in projects if name_key(name) in name_key(p.name))
        assert any(t == project.id for _, t in participants), name
    assert leads, "no project names a lead"


def test_the_agenda_contributes_to_sdgs_3_9_12() -> None:
    sdgs = {n.model_dump()["number"] for n in seed().nodes if n.label == NodeLabel.SDG}
    assert sdgs == {3, 9, 12}
    assert {t for _, t in rels(RelType.CONTRIBUTES_TO)} >= {"sdg-3", "sdg-9", "sdg-12"}
