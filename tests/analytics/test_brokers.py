"""Brokers: hand-checked tiny graphs, networkx as the reference, igraph against it."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import random
from collections.abc import Hashable, Mapping
from fractions import Fraction

import networkx as nx
import pytest

import analytics.brokers as brokers_module
from analytics.brokers import (
    ROLES,
    BrokerReason,
    Engine,
    articulation_points,
    betweenness,
    bridges,
    brokerage,
    brokers,
    constraint,
    effective_size,
    reason_text,
)
from analytics.projection import collaboration_graph
from seed import load_seed

ENGINES: list[Engine] = ["networkx", "igraph"]


# --------------------------------------------------------------------------- graphs


def reference_effective_size(G: nx.Graph, weight: str | None = None) -> dict[Hashable, float]:
    """networkx's per-node effective size: Burt's formula, node by node.

    Asked for all nodes at once with SciPy installed, networkx 3.6 takes a sparse-matrix
    shortcut that disagrees with its own per-node results on weighted graphs, so the
    reference asks for the nodes by name.
    """
    return dict(nx.effective_size(G, nodes=list(G), weight=weight))


def path() -> nx.Graph:
    """0 - 1 - 2."""
    return nx.path_graph(3)


def star() -> nx.Graph:
    """Centre 0, leaves 1-4."""
    return nx.star_graph(4)


def two_triangles() -> nx.Graph:
    """Triangles 0-1-2 and 3-4-5 joined by the bridge 2-3."""
    return nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)])


def holes() -> nx.Graph:
    """Borgatti's structural-holes example with the weights networkx's own tests use."""
    weights = {
        ("A", "B"): 2,
        ("A", "F"): 3,
        ("A", "G"): 5,
        ("A", "E"): 2,
        ("E", "G"): 8,
        ("F", "G"): 3,
        ("B", "G"): 4,
        ("B", "D"): 1,
        ("D", "G"): 3,
        ("G", "C"): 10,
    }
    G = nx.Graph()
    for (u, v), w in weights.items():
        G.add_edge(u, v, weight=w)
    return G


def grouped(edges: list[tuple[str, str]], groups: dict[str, str]) -> nx.Graph:
    G = nx.Graph()
    for node, group in groups.items():
        G.add_node(node, helix_role=group)
    G.add_edges_from(edges)
    return G


def mixed() -> nx.Graph:
    """Every brokerage role occurs; counts worked out triad by triad in the test."""
    return grouped(
        [
            ("b", "a1"),
            ("b", "a2"),
            ("b", "c1"),
            ("b", "c2"),
            ("b", "d1"),
            ("a1", "c1"),
            ("c1", "c2"),
            ("c2", "f"),
            ("f", "e"),
        ],
        {"b": "A", "a1": "A", "a2": "A", "c1": "B", "c2": "B", "e": "B", "d1": "C", "f": "C"},
    )


def random_weighted(n: int, m: int, seed: int) -> nx.Graph:
    """A random graph with uneven weights, four groups and one isolate.

    Weights are powers of two, so that sums of distances are exact and both engines see
    the same ties between path lengths (see ``test_igraph_ties_lengths_equal_up_to_rounding``).
    """
    G = nx.gnm_random_graph(n, m, seed=seed)
    rng = random.Random(seed)  # noqa: S311
    for u, v in G.edges:
        w = rng.choice([0.25, 0.5, 1.0, 2.0, 4.0])
        G.edges[u, v].update(weight=w, distance=1 / w)
    G.add_node(n)
    for node in G:
        G.nodes[node]["helix_role"] = rng.choice(
            ["government", "knowledge", "industry", "civil_society"]
        )
    return G


@pytest.fixture(scope="module")
def drenthe() -> nx.Graph:
    return collaboration_graph(load_seed())


def close(
    a: Mapping[Hashable, float | None], b: Mapping[Hashable, float], tol: float = 1e-9
) -> bool:
    """Equal keys, equal values to ``tol``; None on one side stands for nan on the other."""
    if a.keys() != b.keys():
        return False
    for key, value in a.items():
        other = b[key]
        if value is None:
            if not math.isnan(other):
                return False
        elif not math.isclose(value, other, rel_tol=0, abs_tol=tol):
            return False
    return True


# --------------------------------------------------------------------------- hand-checked


@pytest.mark.parametrize("engine", ENGINES)
def test_path(engine: Engine) -> None:
    G = path()
    assert betweenness(G, weight=None, engine=engine) == {0: 0.0, 1: 1.0, 2: 0.0}
    assert constraint(G, engine=engine) == {0: 1.0, 1: 0.5, 2: 1.0}
    assert effective_size(G) == {0: 1.0, 1: 2.0, 2: 1.0}
    assert effective_size(G, weight=None, engine=engine) == {0: 1.0, 1: 2.0, 2: 1.0}
    points = articulation_points(G)
    assert list(points) == [1]
    assert (points[1].component_size, points[1].remaining, points[1].cut_off) == (3, 1, 1)
    assert [(p.size, p.members) for p in points[1].pieces] == [(1, (2,))]
    assert [dataclasses.astuple(b) for b in bridges(G)] == [(0, 1, 1, 2), (1, 2, 2, 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_star(engine: Engine) -> None:
    G = star()
    assert betweenness(G, weight=None, engine=engine) == {
        0: 1.0,
        1: 0.0,
        2: 0.0,
        3: 0.0,
        4: 0.0,
    }
    assert constraint(G, engine=engine) == {0: 0.25, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}
    assert effective_size(G)[0] == 4.0
    centre = articulation_points(G)[0]
    assert (centre.remaining, centre.cut_off) == (1, 3)
    assert [(p.size, p.members) for p in centre.pieces] == [(1, (2,)), (1, (3,)), (1, (4,))]
    assert [dataclasses.astuple(b) for b in bridges(G)] == [
        (0, leaf, 4, 1) for leaf in (1, 2, 3, 4)
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_two_triangles_joined_by_a_bridge(engine: Engine) -> None:
    G = two_triangles()
    between = betweenness(G, weight=None, engine=engine)
    assert between == pytest.approx({0: 0, 1: 0, 2: 0.6, 3: 0.6, 4: 0, 5: 0}, abs=1e-12)
    cons = constraint(G, engine=engine)
    # node 2: (1/3 + 1/3 * 1/2)^2 twice for 0 and 1, (1/3)^2 for 3
    assert cons[2] == pytest.approx(11 / 18, abs=1e-12)
    # node 0: (1/2 + 1/2 * 1/3)^2 for 1 and (1/2 + 1/2 * 1/2)^2 for 2
    assert cons[0] == pytest.approx(4 / 9 + 9 / 16, abs=1e-12)
    for weight in ("weight", None):
        size = effective_size(G, weight=weight, engine=engine)
        assert size[2] == pytest.approx(3 - 2 * 1 / 3, abs=1e-12)  # Borgatti: n - 2t/n
        assert size[0] == pytest.approx(1.0, abs=1e-12)
    points = articulation_points(G)
    assert list(points) == [2, 3]
    assert [(p.size, p.members) for p in points[2].pieces] == [(2, (0, 1))]
    assert [(p.size, p.members) for p in points[3].pieces] == [(2, (4, 5))]
    assert (points[2].remaining, points[2].cut_off) == (3, 2)
    assert [dataclasses.astuple(b) for b in bridges(G)] == [(2, 3, 3, 3)]


def test_cut_off_pieces_list_at_most_ten_members() -> None:
    G = nx.path_graph(30)
    point = articulation_points(G)[10]
    assert (point.remaining, point.cut_off) == (19, 10)
    assert point.pieces[0].members == tuple(range(10))
    point = articulation_points(G)[14]
    assert (point.remaining, point.cut_off, point.pieces[0].size) == (15, 14, 14)
    assert point.pieces[0].members == tuple(range(10))


def test_disconnected_graph_and_isolates() -> None:
    G = nx.union(two_triangles(), nx.path_graph(["x", "y", "z"]))
    G.add_node("alone")
    assert set(articulation_points(G)) == {2, 3, "y"}
    assert articulation_points(G)["y"].component_size == 3
    assert constraint(G)["alone"] is None
    assert effective_size(G)["alone"] is None
    assert betweenness(G)["alone"] == 0.0


# --------------------------------------------------------------------------- networkx as reference


@pytest.mark.parametrize("engine", ENGINES)
def test_published_structural_holes_example(engine: Engine) -> None:
    G = holes()
    weighted = constraint(G, engine=engine)
    assert close(weighted, nx.constraint(G, weight="weight"))
    assert weighted["G"] == pytest.approx(0.299, abs=1e-3)
    assert weighted["A"] == pytest.approx(0.795, abs=1e-3)
    assert weighted["C"] == pytest.approx(1.0, abs=1e-3)
    unweighted = constraint(G, weight=None, engine=engine)
    assert close(unweighted, nx.constraint(G))
    assert unweighted["G"] == pytest.approx(0.400, abs=1e-3)
    assert unweighted["A"] == pytest.approx(0.595, abs=1e-3)
    size = effective_size(G)
    assert close(size, reference_effective_size(G, weight="weight"))
    assert (size["G"], size["A"], size["C"]) == pytest.approx((5.47, 2.47, 1.0), abs=1e-2)
    assert close(effective_size(G, weight=None, engine=engine), reference_effective_size(G))


@pytest.mark.parametrize("engine", ENGINES)
def test_structural_holes_match_networkx_on_a_random_graph(engine: Engine) -> None:
    G = random_weighted(200, 1000, seed=7)
    assert close(constraint(G, engine=engine), nx.constraint(G, weight="weight"))
    assert close(effective_size(G, engine=engine), reference_effective_size(G, weight="weight"))
    assert close(effective_size(G, weight=None, engine=engine), reference_effective_size(G))


@pytest.mark.parametrize("engine", ENGINES)
def test_betweenness_matches_networkx(engine: Engine) -> None:
    G = random_weighted(120, 400, seed=3)
    exact = betweenness(G, engine=engine)
    assert close(exact, nx.betweenness_centrality(G, weight="distance"))
    sampled = betweenness(G, k=30, seed=5, engine=engine)
    assert close(sampled, reference_estimate(G, k=30, seed=5))
    assert betweenness(G, k=len(G), engine=engine) == pytest.approx(exact, abs=1e-12)


def reference_estimate(G: nx.Graph, k: int, seed: int) -> dict[Hashable, float]:
    """The sampled estimate of ``betweenness``, written out per node in plain Python."""
    nodes = list(G)
    active = [i for i, node in enumerate(nodes) if G.degree(node)]
    sample = [nodes[i] for i in sorted(random.Random(seed).sample(active, k))]  # noqa: S311
    dependency = {
        s: nx.betweenness_centrality_subset(G, [s], nodes, normalized=False, weight="distance")
        for s in nodes
        if G.degree(s)
    }

    def share(s: Hashable, v: Hashable) -> float:
        pull = {u: G.degree(u) / G.edges[s, u]["distance"] for u in G[s]}
        return float(pull.get(v, 0.0) / sum(pull.values()))

    n, scale = len(nodes), 2 / ((len(nodes) - 1) * (len(nodes) - 2))
    result = {}
    for v in nodes:
        ys = [dependency[s][v] for s in sample]
        xs = [share(s, v) for s in sample]
        mean_y, mean_x = sum(ys) / k, sum(xs) / k
        sxx = sum((x - mean_x) ** 2 for x in xs)
        sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
        slope = sxy / sxx if sxx > 0 else 0.0
        everyone = sum(share(s, v) for s in dependency) / len(dependency)
        estimate = len(dependency) * (mean_y + slope * (everyone - mean_x))
        result[v] = max(estimate, 0.0) * scale
    assert n == G.number_of_nodes()
    return result


def test_sampled_betweenness_closer_to_exact_than_the_plain_mean(drenthe: nx.Graph) -> None:
    # The plain estimate is the number of sources with ties times the sample's mean
    # dependency; the correction by first-step shares should beat it over seeds.
    exact = betweenness(drenthe)
    nodes = list(drenthe)
    active = [node for node in nodes if drenthe.degree(node)]
    scale = 2 / ((len(nodes) - 1) * (len(nodes) - 2))
    plain_error = corrected_error = 0.0
    for seed in range(10):
        estimate = betweenness(drenthe, k=8, seed=seed)
        sample = sorted(random.Random(seed).sample(range(len(active)), 8))  # noqa: S311
        rows = [
            nx.betweenness_centrality_subset(
                drenthe, [active[i]], nodes, normalized=False, weight="distance"
            )
            for i in sample
        ]
        for v in nodes:
            plain = len(active) * sum(row[v] for row in rows) / 8 * scale
            plain_error += abs(plain - exact[v])
            corrected_error += abs(estimate[v] - exact[v])
    assert corrected_error < 0.8 * plain_error


def test_igraph_ties_lengths_equal_up_to_rounding() -> None:
    # s-x-t is 0.1 + 0.2 = 0.30000000000000004 long, s-y-t is 0.15 + 0.15 = 0.3
    G = nx.Graph()
    G.add_edge("s", "x", distance=0.1)
    G.add_edge("x", "t", distance=0.2)
    G.add_edge("s", "y", distance=0.15)
    G.add_edge("y", "t", distance=0.15)
    scale = 2 / ((4 - 1) * (4 - 2))
    assert betweenness(G, engine="networkx")["x"] == 0.0
    assert betweenness(G, engine="igraph")["x"] == pytest.approx(0.5 * scale)


def test_engines_agree_on_drenthe(drenthe: nx.Graph) -> None:
    reference = nx.betweenness_centrality(drenthe, weight="distance")
    for engine in ENGINES:
        assert close(betweenness(drenthe, engine=engine), reference)
        assert close(constraint(drenthe, engine=engine), nx.constraint(drenthe, weight="weight"))
    assert close(effective_size(drenthe), reference_effective_size(drenthe, weight="weight"))
    assert brokerage(drenthe, engine="igraph") == brokerage(drenthe, engine="networkx")
    fast, slow = brokers(drenthe, engine="igraph"), brokers(drenthe, engine="networkx")
    assert (fast.engine, slow.engine) == ("igraph", "networkx")
    assert [r.id for r in fast.rows] == [r.id for r in slow.rows]
    for a, b in zip(fast.rows, slow.rows, strict=True):
        assert a.score == b.score
        assert a.reason == b.reason
        assert a.betweenness == pytest.approx(b.betweenness, abs=1e-9)
        assert a.constraint == pytest.approx(b.constraint, abs=1e-9)
        assert a.effective_size == pytest.approx(b.effective_size, abs=1e-9)
        assert (a.brokerage, a.brokerage_z) == (b.brokerage, b.brokerage_z)
    assert fast.bridges == slow.bridges


# --------------------------------------------------------------------------- Gould–Fernandez


def counts_of(G: nx.Graph, node: Hashable, engine: Engine = "igraph") -> list[int]:
    return [brokerage(G, engine=engine)[node].counts[role] for role in ROLES]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ("AAA", [2, 0, 0, 0, 0]),  # coordinator, both directions
        ("ABA", [0, 2, 0, 0, 0]),  # itinerant
        ("AAB", [0, 0, 1, 1, 0]),  # a->b->c representative, c->b->a gatekeeper
        ("BAA", [0, 0, 1, 1, 0]),  # the same triad seen from the other end
        ("ABC", [0, 0, 0, 0, 2]),  # liaison
    ],
)
def test_each_role_on_an_open_triad(engine: Engine, groups: str, expected: list[int]) -> None:
    G = grouped([("a", "b"), ("b", "c")], dict(zip("abc", groups, strict=True)))
    assert counts_of(G, "b", engine) == expected
    assert counts_of(G, "a", engine) == [0] * 5
    closed = G.copy()
    closed.add_edge("a", "c")
    assert counts_of(closed, "b", engine) == [0] * 5


@pytest.mark.parametrize("engine", ENGINES)
def test_mixed_graph_counts_every_node(engine: Engine) -> None:
    # b (A): open pairs a1-a2 (AA), a1-c2, a1-d1, a2-c1, a2-c2, a2-d1 (own-other),
    # c1-d1, c2-d1 (two other groups); a1-c1 and c1-c2 are closed.
    # c1 (B): a1-c2 open (other-own). c2 (B): b-f (A, C), c1-f (own, other).
    # f (C): c2-e, both B.
    expected = {
        "b": [2, 0, 5, 5, 4],
        "a1": [0, 0, 0, 0, 0],
        "a2": [0, 0, 0, 0, 0],
        "c1": [0, 0, 1, 1, 0],
        "c2": [0, 0, 1, 1, 2],
        "d1": [0, 0, 0, 0, 0],
        "e": [0, 0, 0, 0, 0],
        "f": [0, 2, 0, 0, 0],
    }
    result = brokerage(mixed(), engine=engine)
    assert {node: [b.counts[r] for r in ROLES] for node, b in result.items()} == expected
    assert result["b"].open_pairs == 8
    assert result["b"].counts["total"] == 16
    assert result["b"].group == "A"


def brute_force_counts(G: nx.Graph, b: Hashable, label: dict[Hashable, str]) -> list[int]:
    """Ordered open two-paths a -> b -> c, classified triad by triad."""
    counts = dict.fromkeys(ROLES, 0)
    for a, c in itertools.permutations(G[b], 2):
        if G.has_edge(a, c):
            continue
        ga, gb, gc = label[a], label[b], label[c]
        if ga == gb == gc:
            counts["coordinator"] += 1
        elif ga == gc:
            counts["itinerant"] += 1
        elif ga == gb:
            counts["representative"] += 1
        elif gb == gc:
            counts["gatekeeper"] += 1
        else:
            counts["liaison"] += 1
    return [counts[r] for r in ROLES]


@pytest.mark.parametrize("engine", ENGINES)
def test_counts_match_brute_force_on_a_random_graph(engine: Engine) -> None:
    G = random_weighted(60, 240, seed=11)
    label = nx.get_node_attributes(G, "helix_role")
    result = brokerage(G, engine=engine)
    for node in G:
        assert [result[node].counts[r] for r in ROLES] == brute_force_counts(G, node, label)


def test_z_scores_are_exact_under_shuffled_labels() -> None:
    """Mean and SD equal those over every arrangement of the other nodes' labels."""
    G = mixed()
    G.add_edge("d1", "e")
    label = nx.get_node_attributes(G, "helix_role")
    result = brokerage(G)
    for b in G:
        others = [node for node in G if node != b]
        tallies = [
            brute_force_counts(G, b, {**dict(zip(others, arrangement, strict=True)), b: label[b]})
            for arrangement in itertools.permutations([label[o] for o in others])
        ]
        for i, role in enumerate(ROLES):
            values = [Fraction(t[i]) for t in tallies]
            mean = sum(values) / len(values)
            variance = sum((v - mean) ** 2 for v in values) / len(values)
            assert result[b].expected[role] == pytest.approx(float(mean), abs=1e-9)
            assert result[b].sd[role] == pytest.approx(math.sqrt(variance), abs=1e-9)
            z = result[b].z[role]
            if variance == 0:
                assert z is None
            else:
                expected_z = (result[b].counts[role] - float(mean)) / math.sqrt(variance)
                assert z == pytest.approx(expected_z, abs=1e-9)


# --------------------------------------------------------------------------- brokers()


THEME_NAMES = {
    "theme-medische-technologie": "Medische technologie",
    "theme-digitalisering": "Digitalisering",
}


def themed() -> nx.Graph:
    G = nx.Graph()
    rows = [
        ("hub", "Hub", "government", {"theme-medische-technologie", "theme-digitalisering"}),
        ("uni", "Uni", "knowledge", {"theme-medische-technologie"}),
        ("hbo", "Hbo", "knowledge", {"theme-medische-technologie", "theme-digitalisering"}),
        ("firm", "Firm", "industry", {"theme-digitalisering"}),
        ("care", "Care", "civil_society", set()),
    ]
    for node, name, role, themes in rows:
        G.add_node(node, name=name, helix_role=role, themes=frozenset(themes))
    for other in ("uni", "hbo", "firm"):
        G.add_edge("hub", other, weight=0.5, distance=2.0)
    G.add_edge("uni", "hbo", weight=1.0, distance=1.0)
    G.add_edge("firm", "care", weight=1.0, distance=1.0)
    return G


def test_report_rows_scores_and_reasons() -> None:
    report = brokers(themed())
    assert [r.id for r in report.rows] == ["hub", "firm", "hbo", "uni", "care"]
    assert [r.rank for r in report.rows] == [1, 2, 3, 4, 5]
    hub, firm = report.rows[0], report.rows[1]
    # the facts behind the sentence, free of language ...
    assert hub.reason == BrokerReason(
        {"knowledge": 2, "industry": 1},
        ("theme-digitalisering", "theme-medische-technologie"),
        open_pairs=2,
        cut_off=2,
    )
    # ... worded at the edge, theme names as the agenda writes them
    assert reason_text("Hub", hub.reason, "nl", THEME_NAMES) == (
        "Hub verbindt 2 kennisinstellingen met 1 bedrijf binnen de thema’s ‘Digitalisering’ "
        "en ‘Medische technologie’, en overbrugt 2 paren partners die niet rechtstreeks "
        "samenwerken; bij vertrek raken 2 organisaties los van het netwerk."
    )
    assert reason_text("Hub", hub.reason, "en", THEME_NAMES) == (
        "Hub links 2 knowledge institutions to 1 company across the themes ‘Digitalisering’ "
        "and ‘Medische technologie’, bridging 2 pairs of partners that do not work together "
        "directly; its departure would cut off 2 organisations."
    )
    assert hub.is_articulation_point
    assert [(p.size, p.members) for p in hub.cut_off_pieces] == [(2, ("care", "firm"))]
    # uni-firm and hbo-firm are open; the hub (government) is in neither group
    assert hub.brokerage == {
        "coordinator": 0,
        "itinerant": 0,
        "representative": 0,
        "gatekeeper": 0,
        "liaison": 4,
        "total": 4,
    }
    # one of each: singular Dutch throughout
    assert reason_text("Firm", firm.reason, "nl", THEME_NAMES) == (
        "Firm verbindt 1 overheidsorganisatie met 1 maatschappelijke organisatie binnen het "
        "thema ‘Digitalisering’, en overbrugt 1 paar partners dat niet rechtstreeks "
        "samenwerkt; bij vertrek raakt 1 organisatie los van het netwerk."
    )
    uni = next(r for r in report.rows if r.id == "uni")
    assert reason_text("Uni", uni.reason, "nl", THEME_NAMES) == (
        "Uni verbindt 1 overheidsorganisatie met 1 kennisinstelling binnen het thema "
        "‘Medische technologie’, die ook allemaal onderling samenwerken."
    )
    parts = hub.score_parts
    expected = (
        parts["betweenness"] + parts["effective_size"] + parts["constraint"] + parts["brokerage"]
    ) / 4 + parts["articulation_bonus"]
    assert hub.score == pytest.approx(expected)
    assert parts["articulation_bonus"] == brokers_module.ARTICULATION_BONUS
    assert [dataclasses.astuple(b) for b in report.bridges] == [
        ("firm", "hub", 2, 3),
        ("care", "firm", 1, 4),
    ]


def test_report_is_json_ready_and_graph_untouched(drenthe: nx.Graph) -> None:
    before = nx.node_link_data(drenthe, edges="edges")
    report = brokers(drenthe, top=5)
    assert len(report.rows) == 5
    text = json.dumps(dataclasses.asdict(report))
    assert json.loads(text)["rows"][0]["rank"] == 1
    assert nx.node_link_data(drenthe, edges="edges") == before


def test_isolate_row() -> None:
    G = themed()
    G.add_node("lone", name="Lone", helix_role="industry", themes=frozenset())
    row = next(r for r in brokers(G).rows if r.id == "lone")
    assert (row.constraint, row.effective_size, row.degree) == (None, None, 0)
    assert row.reason.code == "isolated"
    assert reason_text("Lone", row.reason, "nl") == (
        "Lone heeft in dit netwerk geen samenwerkingsverbanden."
    )
    assert (
        reason_text("Lone", row.reason, "en") == "Lone has no collaboration ties in this network."
    )
    assert row.rank == 6


def test_same_seed_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(brokers_module, "BETWEENNESS_WORK", 1)
    G = random_weighted(150, 600, seed=5)
    first = brokers(G, seed=42)
    assert first.betweenness_sources == brokers_module.MIN_SOURCES
    assert dataclasses.asdict(first) == dataclasses.asdict(brokers(G, seed=42))
    other = brokers(G, seed=43)
    assert [r.betweenness for r in other.rows] != [r.betweenness for r in first.rows]
    assert brokers(G, k=len(G)).betweenness_sources is None


def test_unweighted_effective_size_above_the_triangle_limit(
    monkeypatch: pytest.MonkeyPatch, drenthe: nx.Graph
) -> None:
    assert brokers(drenthe).effective_size_weighted
    monkeypatch.setattr(brokers_module, "WEIGHTED_EFFECTIVE_SIZE_MAX_TRIANGLES", 0)
    report = brokers(drenthe)
    assert not report.effective_size_weighted
    borgatti = effective_size(drenthe, weight=None)
    assert {r.id: r.effective_size for r in report.rows} == borgatti
    assert brokers(drenthe, weighted_effective_size=True).effective_size_weighted


def test_drenthe_brokers(drenthe: nx.Graph) -> None:
    report = brokers(drenthe)
    assert report.betweenness_sources is None  # small enough for exact betweenness
    assert len(report.rows) == drenthe.number_of_nodes()
    scores = [r.score for r in report.rows]
    assert scores == sorted(scores, reverse=True)
    assert all(reason_text(r.name, r.reason).endswith(".") for r in report.rows)
    points = articulation_points(drenthe)
    assert {r.id for r in report.rows if r.is_articulation_point} == set(points)


def test_errors() -> None:
    with pytest.raises(nx.NetworkXNotImplemented):
        brokers(nx.DiGraph([(0, 1)]))
    with pytest.raises(nx.NetworkXNotImplemented):
        constraint(nx.MultiGraph([(0, 1)]))
    with pytest.raises(ValueError, match="engine"):
        betweenness(path(), engine="fast")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="k must be"):
        betweenness(path(), k=1)
    with pytest.raises(ValueError, match="top"):
        brokers(path(), top=-1)


def test_empty_graph() -> None:
    report = brokers(nx.Graph())
    assert (report.rows, report.bridges, report.nodes) == ((), (), 0)
