"""Gaps in the cross-overs, checked by hand on tiny graphs and for consistency on real data."""

from __future__ import annotations

import copy
import dataclasses
import json
import random
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from analytics.communities import communities, label_text
from analytics.gaps import (
    HELIX_ROLES,
    Bridge,
    Candidate,
    finding_text,
    helix_mix,
    missing_roles,
    structural_holes,
    theme_crossovers,
)
from analytics.projection import ProjectionOptions, collaboration_graph, two_mode_graph
from graph_schema import Action, GraphData, RelType, Theme
from seed import load_seed
from seed.cordis import load_cordis

CORDIS_NAMED = Path(__file__).resolve().parents[2] / "seed/data/cordis-h2020/named"


def snapshot(g: nx.Graph) -> Any:
    """A deep copy of every node and edge with its attributes, to detect mutation."""
    return copy.deepcopy((list(g.nodes(data=True)), list(g.edges(data=True))))


def two_mode(
    orgs: dict[str, dict[str, Any]], activities: dict[str, tuple[str, str, set[str], list[str]]]
) -> nx.Graph:
    """A two-mode graph shaped like ``two_mode_graph``: activity -> (label, name, themes,
    organisations)."""
    b = nx.Graph()
    for org, attributes in orgs.items():
        role = attributes.get("helix_role", "industry")
        b.add_node(
            org,
            bipartite=0,
            helix_role=role,
            helix_roles=attributes.get("helix_roles", (role,)),
            generic=attributes.get("generic", False),
        )
    for activity, (label, name, themes, members) in activities.items():
        b.add_node(activity, bipartite=1, label=label, name=name, themes=frozenset(themes))
        b.add_edges_from((org, activity) for org in members)
    return b


# --------------------------------------------------------------------------- themes


def five_organisations() -> nx.Graph:
    """Themes a, b, c over five organisations with a theme, and o6 without one.

    a1 (a): o1, o2    a2 (b): o2, o3    a3 (a and b): o4    a4 (c): o5, o1
    a5 (no theme): o6, o3

    Active on a: o1, o2, o4 (n_a = 3); on b: o2, o3, o4 (n_b = 3); on c: o1, o5 (n_c = 2);
    N = 5 (o6 has no theme).
    """
    orgs: dict[str, dict[str, Any]] = {f"o{i}": {} for i in range(1, 7)}
    return two_mode(
        orgs,
        {
            "a1": ("Action", "A1", {"theme-a"}, ["o1", "o2"]),
            "a2": ("Action", "A2", {"theme-b"}, ["o2", "o3"]),
            "a3": ("Project", "A3", {"theme-a", "theme-b"}, ["o4"]),
            "a4": ("Network", "A4", {"theme-c"}, ["o5", "o1"]),
            "a5": ("Project", "A5", set(), ["o6", "o3"]),
        },
    )


def test_theme_crossovers_by_hand() -> None:
    matrix = theme_crossovers(five_organisations())
    assert matrix.themes == ("theme-a", "theme-b", "theme-c")
    assert matrix.n_organisations == 5
    assert matrix.organisations_per_theme == {"theme-a": 3, "theme-b": 3, "theme-c": 2}
    assert matrix.activities_per_theme == {"theme-a": 2, "theme-b": 2, "theme-c": 1}
    rows = [(p.theme_a, p.theme_b, p.observed, p.expected, p.ratio) for p in matrix.pairs]
    expected: list[Any] = [
        # b-c: nobody on both; expected 3 * 2 / 5 = 1.2; ratio 0
        ("theme-b", "theme-c", 0, pytest.approx(1.2), 0.0),
        # a-c: o1; expected 3 * 2 / 5 = 1.2; ratio 1 / 1.2 = 5/6
        ("theme-a", "theme-c", 1, pytest.approx(1.2), pytest.approx(5 / 6)),
        # a-b: o2, o4; expected 3 * 3 / 5 = 1.8; ratio 2 / 1.8 = 10/9
        ("theme-a", "theme-b", 2, pytest.approx(1.8), pytest.approx(10 / 9)),
    ]
    assert rows == expected
    bc, ac, ab = matrix.pairs
    assert (ab.organisations, ab.activities, ab.shared_activities) == (("o2", "o4"), ("a3",), 1)
    assert ab.via_activities == ("a1", "a2", "a3")  # o2 through a1 and a2, o4 through a3
    assert (ac.organisations, ac.activities, ac.via_activities) == (("o1",), (), ("a1", "a4"))
    assert (bc.organisations, bc.activities, bc.via_activities) == ((), (), ())


def test_theme_without_activity_comes_last() -> None:
    matrix = theme_crossovers(
        five_organisations(), themes=["theme-a", "theme-b", "theme-c", "theme-d"]
    )
    assert len(matrix.pairs) == 6
    assert matrix.organisations_per_theme["theme-d"] == 0
    assert [(p.theme_a, p.theme_b, p.ratio) for p in matrix.pairs[3:]] == [
        ("theme-a", "theme-d", None),
        ("theme-b", "theme-d", None),
        ("theme-c", "theme-d", None),
    ]
    assert all(p.expected == 0.0 for p in matrix.pairs[3:])


def test_theme_subset_changes_the_population() -> None:
    # Only a and c: N = organisations on a or c = o1, o2, o4, o5 = 4; expected 3 * 2 / 4.
    (pair,) = theme_crossovers(five_organisations(), themes=["theme-c", "theme-a"]).pairs
    assert (pair.observed, pair.expected) == (1, 1.5)
    assert pair.ratio == pytest.approx(2 / 3)


def test_no_themes_at_all() -> None:
    b = two_mode({"o1": {}, "o2": {}}, {"p": ("Project", "P", set(), ["o1", "o2"])})
    matrix = theme_crossovers(b)
    assert (matrix.themes, matrix.pairs, matrix.n_organisations) == ((), (), 0)
    assert theme_crossovers(nx.Graph()).pairs == ()


# --------------------------------------------------------------------------- helix mix


def helix_example() -> nx.Graph:
    """Two government nodes, one knowledge, two industry (one isolated), one civil society.

    g1-g2 (1), g1-k1 (0.5), g2-k1 (0.5), k1-i1 (1), i1-c1 (3). k1 is also industry and c1
    also knowledge (secondary roles, not counted).
    """
    g = nx.Graph()
    g.add_nodes_from(["g1", "g2"], helix_role="government", helix_roles=("government",))
    g.add_node("k1", helix_role="knowledge", helix_roles=("knowledge", "industry"))
    g.add_nodes_from(["i1", "i2"], helix_role="industry", helix_roles=("industry",))
    g.add_node("c1", helix_role="civil_society", helix_roles=("civil_society", "knowledge"))
    g.add_weighted_edges_from(
        [("g1", "g2", 1.0), ("g1", "k1", 0.5), ("g2", "k1", 0.5), ("k1", "i1", 1.0)]
    )
    g.add_edge("i1", "c1", weight=3.0)
    return g


def test_helix_mix_by_hand() -> None:
    report = helix_mix(helix_example())
    assert report.roles == HELIX_ROLES == ("government", "knowledge", "industry", "civil_society")
    assert report.sizes == {"government": 2, "knowledge": 1, "industry": 2, "civil_society": 1}
    assert report.secondary == {"government": 0, "knowledge": 1, "industry": 1, "civil_society": 0}
    assert report.ties == ((1, 2, 0, 0), (2, 0, 1, 0), (0, 1, 0, 1), (0, 0, 1, 0))
    assert report.weights == (
        (1.0, 1.0, 0.0, 0.0),
        (1.0, 0.0, 1.0, 0.0),
        (0.0, 1.0, 0.0, 3.0),
        (0.0, 0.0, 3.0, 0.0),
    )
    # Possible pairs: gov-gov 1, gov-know 2, know-know 0, know-ind 2, ind-ind 1, ind-civ 2.
    assert report.density == (
        (1.0, 1.0, 0.0, 0.0),
        (1.0, None, 0.5, 0.0),
        (0.0, 0.5, 0.0, 0.5),
        (0.0, 0.0, 0.5, None),
    )
    assert report.internal == {"government": 1, "knowledge": 0, "industry": 0, "civil_society": 0}
    assert report.external == {"government": 2, "knowledge": 3, "industry": 2, "civil_society": 1}
    # government: (E - I) / (E + I) = (2 - 1) / 3; the others have no internal tie.
    assert report.ei_index == {
        "government": pytest.approx(1 / 3),
        "knowledge": 1.0,
        "industry": 1.0,
        "civil_society": 1.0,
    }
    # Whole graph: I = 1 (g1-g2), E = 4 -> 3/5.
    assert report.ei_overall == pytest.approx(3 / 5)
    # Weighted: government I = 1, E = 0.5 + 0.5 -> 0; whole graph I = 1, E = 5 -> 4/6.
    assert report.ei_index_weighted["government"] == pytest.approx(0.0)
    assert report.ei_overall_weighted == pytest.approx(2 / 3)


def test_helix_mix_unweighted_and_empty_groups() -> None:
    report = helix_mix(helix_example(), weight=None)
    assert report.ei_overall_weighted == pytest.approx(3 / 5)
    g = nx.Graph()
    g.add_node("lonely", helix_role="industry")
    empty = helix_mix(g)
    assert empty.ei_overall is None
    assert empty.ei_index == dict.fromkeys(HELIX_ROLES)
    assert empty.density[2][2] is None  # one industry node: no possible pair


def test_helix_mix_refuses_unknown_roles() -> None:
    g = nx.Graph()
    g.add_node("x", helix_role="media")
    with pytest.raises(ValueError, match="media"):
        helix_mix(g)
    g = nx.Graph()
    g.add_node("y")
    with pytest.raises(ValueError, match="helix_role"):
        helix_mix(g)


# --------------------------------------------------------------------------- roles


def roles_example() -> nx.Graph:
    orgs: dict[str, dict[str, Any]] = {
        "gov1": {"helix_role": "government"},
        "uni": {"helix_role": "knowledge", "helix_roles": ("knowledge", "industry")},
        "acme": {"helix_role": "industry"},
        "kennis": {"helix_role": "knowledge", "generic": True},
        "patients": {"helix_role": "civil_society"},
    }
    return two_mode(
        orgs,
        {
            "action-1": ("Action", "Pilot", {"theme-t1"}, ["gov1", "uni"]),
            "action-2": ("Action", "Scale-up", {"theme-t1"}, ["acme", "kennis"]),
            "project-1": ("Project", "Care lab", {"theme-t2"}, ["patients", "gov1", "uni", "acme"]),
            "network-1": ("Network", "Club", set(), ["acme"]),
        },
    )


def test_missing_roles_by_hand() -> None:
    gaps = missing_roles(roles_example(), theme_names={"theme-t1": "T1"})
    rows = [(c.id, c.present, c.missing, c.generic_only) for c in gaps.activities]
    assert rows == [
        ("network-1", ("industry",), ("government", "knowledge", "civil_society"), ()),
        ("action-2", ("knowledge", "industry"), ("government", "civil_society"), ("knowledge",)),
        # uni's secondary role brings industry to the pilot
        ("action-1", ("government", "knowledge", "industry"), ("civil_society",), ()),
        ("project-1", HELIX_ROLES, (), ()),
    ]
    assert gaps.activities[3].role_counts == {
        "government": 1,
        "knowledge": 1,
        "industry": 2,
        "civil_society": 1,
    }
    assert [(c.id, c.organisations, c.activities, c.missing) for c in gaps.themes] == [
        ("theme-t1", 4, 2, ("civil_society",)),
        ("theme-t2", 4, 1, ()),
    ]
    # lacking the role or holding it only through a generic group, as the "without" list
    assert gaps.missing_counts == {
        "government": 2,
        "knowledge": 2,  # Scale-up: knowledge only through the generic 'kennis'
        "industry": 0,
        "civil_society": 3,
    }
    assert [finding_text(c, "nl") for c in gaps.activities] == [
        "Netwerk ‘Club’ heeft geen partner uit de overheid, de kenniswereld of de maatschappij.",
        "Actie ‘Scale-up’ heeft geen partner uit de overheid of de maatschappij; uit de "
        "kenniswereld alleen de algemene groep ‘kennis’.",
        "Actie ‘Pilot’ heeft geen partner uit de maatschappij.",
        "Project ‘Care lab’ brengt alle vier helixrollen samen.",
    ]
    assert [finding_text(c, "en") for c in gaps.themes] == [
        "Theme ‘T1’ has no civil-society partner in any of its 2 activities.",
        "Theme ‘theme-t2’ brings all four helix roles together.",
    ]


def test_missing_roles_without_generic_groups() -> None:
    gaps = missing_roles(roles_example(), count_generic=False)
    by_id = {c.id: c for c in gaps.activities}
    assert by_id["action-2"].missing == ("government", "knowledge", "civil_society")
    assert by_id["action-2"].organisations == 1
    assert by_id["action-2"].generic_only == ()
    theme = {c.id: c for c in gaps.themes}["theme-t1"]
    assert (theme.organisations, theme.missing) == (3, ("civil_society",))  # uni: knowledge


def test_missing_roles_by_kind_and_named_theme() -> None:
    gaps = missing_roles(roles_example(), kinds=["Action"], themes=["theme-t1", "theme-t2"])
    assert [c.id for c in gaps.activities] == ["action-2", "action-1"]
    t2 = {c.id: c for c in gaps.themes}["theme-t2"]  # only a project addresses it
    assert (t2.organisations, t2.activities, t2.missing) == (0, 0, HELIX_ROLES)
    assert finding_text(t2, "nl") == "Thema ‘theme-t2’ heeft geen organisaties."


def test_plural_generic_finding() -> None:
    b = two_mode(
        {
            "mkb": {"helix_role": "industry", "generic": True},
            "gemeenten": {"helix_role": "government", "generic": True},
        },
        {"action-9": ("Action", "Loans", set(), ["mkb", "gemeenten"])},
    )
    (coverage,) = missing_roles(b).activities
    assert coverage.weak_industry  # industry only through 'mkb'
    assert finding_text(coverage, "nl") == (
        "Actie ‘Loans’ heeft geen partner uit de kenniswereld of de maatschappij; uit de "
        "overheid alleen de algemene groep ‘gemeenten’; uit het bedrijfsleven alleen de "
        "algemene groep ‘mkb’."
    )


# --------------------------------------------------------------------------- holes


def four_communities() -> tuple[nx.Graph, list[set[str]]]:
    """A, B triangles; C, D pairs; the isolate e. Ties between them:

    a3-b1 (2), a2-b1 (0.5): A-B, 2 ties     c1-a1 (1): A-C     c1-b2 (1): B-C
    d1-a1 (3): A-D                           B-D and C-D: no tie
    """
    g = nx.Graph()
    for x, y in [("a1", "a2"), ("a2", "a3"), ("a1", "a3"), ("b1", "b2"), ("b2", "b3")]:
        g.add_edge(x, y, weight=1.0)
    g.add_weighted_edges_from([("b1", "b3", 1.0), ("c1", "c2", 1.0), ("d1", "d2", 1.0)])
    g.add_weighted_edges_from(
        [("a3", "b1", 2.0), ("a2", "b1", 0.5), ("c1", "a1", 1.0), ("c1", "b2", 1.0)]
    )
    g.add_edge("d1", "a1", weight=3.0)
    g.add_node("e")
    partition = [{"a1", "a2", "a3"}, {"b1", "b2", "b3"}, {"c1", "c2"}, {"d1", "d2"}, {"e"}]
    return g, partition


def test_structural_holes_by_hand() -> None:
    g, partition = four_communities()
    gaps = structural_holes(g, partition)
    # No ties first, larger pair first (B-D: 3 * 2 > C-D: 2 * 2); then one tie each at
    # density 1/6 by weight (A-C 1, B-C 1, A-D 3); then A-B, 2 ties, density 2/9. The
    # isolate e is below min_size.
    assert [(x.community_a, x.community_b) for x in gaps] == [
        (1, 3),
        (2, 3),
        (0, 2),
        (1, 2),
        (0, 3),
        (0, 1),
    ]
    assert [(x.ties, x.weight, x.density) for x in gaps] == [
        (0, 0.0, 0.0),
        (0, 0.0, 0.0),
        (1, 1.0, pytest.approx(1 / 6)),
        (1, 1.0, pytest.approx(1 / 6)),
        (1, 3.0, pytest.approx(1 / 6)),
        (2, 2.5, pytest.approx(2 / 9)),
    ]
    b_d, c_d, a_c, b_c, a_d, a_b = gaps
    # B-D: nobody reaches both (B's outside contacts are a2, a3, c1; D's only a1).
    assert b_d.bridges == ()
    assert b_d.candidates_a == (
        Candidate("b1", 1, pytest.approx(2.5 / 4.5), 2.5, 4),  # type: ignore[arg-type]
        Candidate("b2", 1, pytest.approx(1 / 3), 1.0, 3),  # type: ignore[arg-type]
        Candidate("b3", 1, 0.0, 0.0, 2),
    )
    assert b_d.candidates_b == (Candidate("d1", 3, 0.75, 3.0, 2), Candidate("d2", 3, 0.0, 0.0, 1))
    # C-D: a1 of A reaches both, 1 + 3.
    assert c_d.bridges == (Bridge("a1", 0, 2, 4.0),)
    assert c_d.candidates_a == c_d.candidates_b == ()
    assert a_c.bridges == (Bridge("a1", 0, 1, 1.0), Bridge("c1", 2, 1, 1.0))
    assert b_c.bridges == (Bridge("b2", 1, 1, 1.0), Bridge("c1", 2, 1, 1.0))
    assert a_d.bridges == (Bridge("a1", 0, 1, 3.0), Bridge("d1", 3, 1, 3.0))
    # A-B: b1 (2.5 into A), c1 (third party: 1 into A + 1 into B), a3 (2), a2 (0.5).
    assert a_b.bridges == (
        Bridge("b1", 1, 2, 2.5),
        Bridge("c1", 2, 2, 2.0),
        Bridge("a3", 0, 1, 2.0),
        Bridge("a2", 0, 1, 0.5),
    )


def test_structural_holes_limits() -> None:
    g, partition = four_communities()
    gaps = structural_holes(g, partition, top=3, per_pair=1)
    assert [(x.community_a, x.community_b) for x in gaps] == [(1, 3), (2, 3), (0, 2)]
    assert [c.node for c in gaps[0].candidates_a] == ["b1"]
    assert [b.node for b in gaps[2].bridges] == ["a1"]
    with_isolate = structural_holes(g, partition, min_size=1)
    assert len(with_isolate) == 10  # five communities: 10 pairs
    assert structural_holes(g, partition, top=0) == []


def test_structural_holes_unweighted() -> None:
    g, partition = four_communities()
    a_b = structural_holes(g, partition, weight=None)[-1]
    assert (a_b.ties, a_b.weight) == (2, 2.0)
    # b1 has 2 ties into A; c1 one into each; a2 and a3 one each.
    assert [(b.node, b.weight) for b in a_b.bridges] == [
        ("b1", 2.0),
        ("c1", 2.0),
        ("a2", 1.0),
        ("a3", 1.0),
    ]


def test_node_outside_the_partition_can_bridge() -> None:
    g = nx.Graph([("a", "b"), ("c", "d"), ("x", "a"), ("x", "c")])
    (gap,) = structural_holes(g, [{"a", "b"}, {"c", "d"}])
    assert gap.ties == 0
    assert gap.bridges == (Bridge("x", None, 2, 2.0),)


def test_bad_partitions() -> None:
    g, _ = four_communities()
    with pytest.raises(ValueError, match="a1"):
        structural_holes(g, [{"a1", "a2"}, {"a1"}])
    with pytest.raises(ValueError, match="ghost"):
        structural_holes(g, [{"ghost"}])


def brute_force_pairs(
    g: nx.Graph, partition: list[set[str]], min_size: int
) -> list[tuple[int, int, int, float]]:
    """Every pair of communities with its ties, ranked as documented."""
    member = {node: i for i, group in enumerate(partition) for node in group}
    rows = []
    for a, b in combinations(range(len(partition)), 2):
        if len(partition[a]) < min_size or len(partition[b]) < min_size:
            continue
        ties = [w for u, v, w in g.edges(data="weight") if {member[u], member[v]} == {a, b}]
        product = len(partition[a]) * len(partition[b])
        rows.append((len(ties), len(ties) / product, sum(ties), -product, a, b))
    rows.sort()
    return [(a, b, n, w) for n, _, w, _, a, b in rows]


def brute_force_bridges(g: nx.Graph, partition: list[set[str]], a: int, b: int) -> list[str]:
    """Nodes of A tied into B, of B tied into A, and others tied into both."""
    found = {}
    for node in g:
        into_a = [d["weight"] for v, d in g[node].items() if v in partition[a]]
        into_b = [d["weight"] for v, d in g[node].items() if v in partition[b]]
        if node in partition[a]:
            if into_b:
                found[node] = sum(into_b)
        elif node in partition[b]:
            if into_a:
                found[node] = sum(into_a)
        elif into_a and into_b:
            found[node] = sum(into_a) + sum(into_b)
    return sorted(found, key=lambda n: (-found[n], n))


@pytest.mark.parametrize("top", [1, 7, 40, 1000])
def test_structural_holes_match_brute_force(top: int) -> None:
    rng = random.Random(4)  # noqa: S311 (test data, not crypto)
    g = nx.gnm_random_graph(120, 160, seed=4)
    g = nx.relabel_nodes(g, {i: f"v{i:03d}" for i in g})
    for u, v in g.edges:
        g.edges[u, v]["weight"] = rng.choice([1.0, 2.0])
    nodes = sorted(g)
    rng.shuffle(nodes)
    partition: list[set[str]] = []
    while nodes:
        size = rng.choice([1, 2, 3, 5, 8])
        partition.append(set(nodes[:size]))
        nodes = nodes[size:]
    expected = brute_force_pairs(g, partition, min_size=2)[:top]
    gaps = structural_holes(g, partition, top=top, per_pair=1000)
    assert [(x.community_a, x.community_b, x.ties) for x in gaps] == [e[:3] for e in expected]
    assert [x.weight for x in gaps] == pytest.approx([e[3] for e in expected])
    for gap in gaps:
        ranked = brute_force_bridges(g, partition, gap.community_a, gap.community_b)
        assert sorted(b.node for b in gap.bridges) == sorted(ranked)
        assert [b.weight for b in gap.bridges] == sorted(
            (b.weight for b in gap.bridges), reverse=True
        )


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def drenthe() -> GraphData:
    return load_seed()


def orgs_on(b: nx.Graph, theme: str) -> set[str]:
    return {
        org
        for activity, data in b.nodes(data=True)
        if data["bipartite"] == 1 and theme in data["themes"]
        for org in b[activity]
    }


def test_drenthe_theme_crossovers(drenthe: GraphData) -> None:
    b = two_mode_graph(drenthe)
    matrix = theme_crossovers(b)
    themes = sorted(n.id for n in drenthe.nodes if isinstance(n, Theme))
    assert list(matrix.themes) == themes
    assert len(themes) == 6
    assert len(matrix.pairs) == 15
    # independent: the projection's own per-organisation theme sets
    org_themes = {o: d["themes"] for o, d in b.nodes(data=True) if d["bipartite"] == 0}
    n = sum(1 for found in org_themes.values() if found)
    assert matrix.n_organisations == n
    for pair in matrix.pairs:
        both = {o for o, found in org_themes.items() if {pair.theme_a, pair.theme_b} <= found}
        assert (
            set(pair.organisations) == both == orgs_on(b, pair.theme_a) & orgs_on(b, pair.theme_b)
        )
        n_a = matrix.organisations_per_theme[pair.theme_a]
        n_b = matrix.organisations_per_theme[pair.theme_b]
        assert pair.expected == pytest.approx(n_a * n_b / n)
        assert pair.observed <= min(n_a, n_b)
    ratios = [p.ratio for p in matrix.pairs]
    assert all(r is not None for r in ratios)
    assert ratios == sorted(ratios)  # type: ignore[type-var]


def test_drenthe_missing_roles(drenthe: GraphData) -> None:
    b = two_mode_graph(drenthe, ProjectionOptions(include_generic=True))
    gaps = missing_roles(b)
    activities = [n for n, d in b.nodes(data=True) if d["bipartite"] == 1]
    assert sorted(c.id for c in gaps.activities) == sorted(activities)
    actions = {n.id for n in drenthe.nodes if isinstance(n, Action)}
    assert actions <= {c.id for c in gaps.activities if c.kind == "Action"}
    for coverage in (*gaps.activities, *gaps.themes):
        assert set(coverage.missing) <= set(HELIX_ROLES)
        assert set(coverage.present) | set(coverage.missing) == set(HELIX_ROLES)
        assert not set(coverage.present) & set(coverage.missing)
        assert set(coverage.generic_only) <= set(coverage.present)
        assert finding_text(coverage).endswith(".")
        assert coverage.organisations > 0
    assert len(gaps.themes) == 6
    # leaving generic groups out can only take roles away
    strict = {c.id: c for c in missing_roles(b, count_generic=False).activities}
    for coverage in gaps.activities:
        assert set(coverage.missing) <= set(strict[coverage.id].missing)


def test_drenthe_communities_helix_and_holes(drenthe: GraphData) -> None:
    g = collaboration_graph(drenthe)
    report = communities(g)
    assert 0 < report.modularity < 1
    assert report == communities(g)
    partition = report.partition()
    assert set().union(*partition) == set(g)
    assert sum(len(group) for group in partition) == g.number_of_nodes()
    assert set(report.isolates) == set(nx.isolates(g))
    assert all(label_text(c) and c.size >= 2 for c in report.communities)

    mix = helix_mix(g)
    assert sum(mix.ties[a][b] for a in range(4) for b in range(a, 4)) == g.number_of_edges()
    assert sum(mix.sizes.values()) == g.number_of_nodes()
    assert mix.ei_overall is not None
    assert -1 <= mix.ei_overall <= 1

    gaps = structural_holes(g, partition)
    listed = len(report.communities)
    assert len(gaps) == min(20, listed * (listed - 1) // 2)
    expected = brute_force_pairs(g, partition, min_size=2)[: len(gaps)]
    assert [(x.community_a, x.community_b, x.ties) for x in gaps] == [e[:3] for e in expected]


def test_cordis_without_themes() -> None:
    cordis = load_cordis(CORDIS_NAMED)
    # The programme parts the projects address are themes: leave them out.
    data = GraphData(
        nodes=tuple(node for node in cordis.nodes if not isinstance(node, Theme)),
        relationships=tuple(rel for rel in cordis.relationships if rel.type != RelType.ADDRESSES),
    )
    b = two_mode_graph(data)
    matrix = theme_crossovers(b)
    assert (matrix.themes, matrix.pairs, matrix.n_organisations) == ((), (), 0)
    gaps = missing_roles(b)
    assert gaps.themes == ()
    assert len(gaps.activities) == sum(1 for _, d in b.nodes(data=True) if d["bipartite"] == 1)
    g = collaboration_graph(data)
    report = communities(g)
    assert report.engine == "igraph"
    assert 0 < report.modularity < 1
    assert all(c.themes == () for c in report.communities)
    assert helix_mix(g).ei_overall is not None
    assert len(structural_holes(g, report.partition(), top=5)) == 5


def test_pure_and_json_friendly(drenthe: GraphData) -> None:
    g = collaboration_graph(drenthe)
    b = two_mode_graph(drenthe, ProjectionOptions(include_generic=True))
    before = (snapshot(g), snapshot(b))
    results: Iterable[Any] = (
        theme_crossovers(b),
        helix_mix(g),
        missing_roles(b),
        *structural_holes(g, communities(g).partition()),
    )
    for result in results:
        json.dumps(dataclasses.asdict(result))
    assert (snapshot(g), snapshot(b)) == before


def test_all_four_roles_through_a_generic_group_are_not_called_complete() -> None:
    orgs: dict[str, dict[str, Any]] = {
        "gov1": {"helix_role": "government"},
        "uni": {"helix_role": "knowledge"},
        "mkb": {"helix_role": "industry", "generic": True, "name": "mkb"},
        "patients": {"helix_role": "civil_society"},
    }
    B = two_mode(orgs, {"network-1": ("Network", "Hub", set(), ["gov1", "uni", "mkb", "patients"])})
    gaps = missing_roles(B)
    (hub,) = gaps.activities
    assert hub.missing == ()
    assert gaps.missing_counts["industry"] == 1
    text = finding_text(hub, "nl")
    assert "brengt alle vier helixrollen samen" not in text
    assert text == (
        "Netwerk ‘Hub’ heeft alle vier helixrollen, maar niet elk met een organisatie met "
        "naam; uit het bedrijfsleven alleen de algemene groep ‘mkb’."
    )
