"""Shortest paths on the graph core: the paths of a breadth-first search from one end,
found from both ends, in the same order, also through hubs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from app.core import Graph, GraphCore
from app.core.paths import shortest_paths
from app.errors import NotFoundError
from app.store import GraphStore
from bench import previous_queries as previous
from graph_schema import GraphData, Node, Organisation, Project, Relationship, RelType
from tests.conftest import org, rel
from tests.store.test_store_contract import chain_graph


def joins(org_id: str, project: str) -> Relationship:
    return rel(RelType.PARTICIPATES_IN, org_id, project, role="partner")


def test_shortest_paths_name_every_step(store: GraphStore) -> None:
    store.upsert(chain_graph())
    graph = GraphCore(store).current()
    paths = shortest_paths(graph, "acme", "town")
    assert [[n.id for n in p.nodes] for p in paths] == [
        ["acme", "action-x-1", "uni", "project-p", "town"]
    ]
    assert [r.type for r in paths[0].relationships] == [
        RelType.PARTNER_IN,
        RelType.PARTNER_IN,
        RelType.PARTICIPATES_IN,
        RelType.PARTICIPATES_IN,
    ]
    through_generic = shortest_paths(graph, "acme", "town", include_generic=True)
    assert [n.id for n in through_generic[0].nodes] == [
        "acme",
        "action-x-1",
        "mkb",
        "project-p",
        "town",
    ]
    assert len(through_generic) == 2
    assert shortest_paths(graph, "acme", "town", max_depth=3) == []
    only_actions = shortest_paths(graph, "acme", "town", rel_types=[RelType.PARTNER_IN])
    assert only_actions == []


def test_shortest_paths_need_both_ends(store: GraphStore) -> None:
    store.upsert(chain_graph())
    graph = GraphCore(store).current()
    with pytest.raises(NotFoundError):
        shortest_paths(graph, "acme", "nobody")
    with pytest.raises(NotFoundError):
        shortest_paths(graph, "nobody", "acme")
    assert [[n.id for n in p.nodes] for p in shortest_paths(graph, "acme", "acme")] == [["acme"]]


def _star(members: int) -> Graph:
    """hub-project joins ``members`` organisations m0000…; a second project joins m0001
    and end; hub-project also leads to end through a chain of three more projects."""
    names = [f"m{k:04d}" for k in range(members)]
    nodes: list[Node] = [*(org(name) for name in names), org("end")]
    nodes += [Project(id=p, name=p) for p in ("hub-project", "side", "c1", "c2")]
    rels = [joins(name, "hub-project") for name in names]
    rels += [
        joins("m0001", "side"),
        joins("end", "side"),
        joins("m0002", "c1"),
        joins("end", "c1"),
        joins("m0003", "c2"),
        joins("end", "c2"),
    ]
    return Graph.of(1, GraphData(nodes=tuple(nodes), relationships=tuple(rels)))


def test_a_hub_of_five_thousand_still_gives_the_right_paths() -> None:
    graph = _star(5000)
    found = shortest_paths(graph, "m4999", "end")
    assert [[n.id for n in p.nodes] for p in found] == [
        ["m4999", "hub-project", "m0002", "c1", "end"],  # by the node before the end
        ["m4999", "hub-project", "m0003", "c2", "end"],
        ["m4999", "hub-project", "m0001", "side", "end"],
    ]
    assert found == previous.shortest_paths(graph, "m4999", "end")  # as the search from one end
    members = shortest_paths(graph, "m0000", "m4999")
    assert [[n.id for n in p.nodes] for p in members] == [["m0000", "hub-project", "m4999"]]


def test_the_limit_takes_the_first_paths_in_order() -> None:
    nodes = [org("a"), org("b"), *(Project(id=f"p{k}", name=f"P{k}") for k in range(6))]
    rels = [joins(end, f"p{k}") for k in range(6) for end in ("a", "b")]
    graph = Graph.of(1, GraphData(nodes=tuple(nodes), relationships=tuple(rels)))
    every = shortest_paths(graph, "a", "b", limit=50)
    assert [p.nodes[1].id for p in every] == [f"p{k}" for k in range(6)]
    assert shortest_paths(graph, "a", "b", limit=4) == every[:4]
    assert shortest_paths(graph, "a", "b", limit=1) == every[:1]


def _random_bipartite(rng: random.Random) -> GraphData:
    """Organisations (some generic) in projects, at random; a few pairs linked directly."""
    orgs = [org(f"o{k:02d}", generic=rng.random() < 0.15) for k in range(rng.randint(4, 16))]
    projects = [Project(id=f"p{k:02d}", name=f"P{k}") for k in range(rng.randint(2, 10))]
    rels = {(o.id, p.id): joins(o.id, p.id) for o in orgs for p in projects if rng.random() < 0.25}
    for _ in range(rng.randint(0, 3)):
        a, b = rng.sample(orgs, 2)
        if (b.id, a.id) not in rels:  # one link a pair: networkx counts pairs, not links
            rels[(a.id, b.id)] = rel(RelType.PART_OF, a.id, b.id)
    return GraphData(nodes=(*orgs, *projects), relationships=tuple(rels.values()))


def _oracle(data: GraphData, source: str, target: str, include_generic: bool) -> list[list[str]]:
    """Every shortest path by networkx, generic groups taken out unless at an end."""
    blocked = {
        n.id
        for n in data.nodes
        if isinstance(n, Organisation) and n.generic and n.id not in (source, target)
    }
    g = nx.Graph()
    g.add_nodes_from(n.id for n in data.nodes if include_generic or n.id not in blocked)
    g.add_edges_from(
        (r.source, r.target)
        for r in data.relationships
        if include_generic or not {r.source, r.target} & blocked
    )
    try:
        return sorted(nx.all_shortest_paths(g, source, target))
    except nx.NetworkXNoPath:
        return []


@pytest.mark.parametrize("seed", range(40))
def test_the_paths_are_those_networkx_finds_in_the_order_of_before(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (a seeded sample)
    data = _random_bipartite(rng)
    graph = Graph.of(1, data)
    orgs = [n.id for n in data.nodes if n.label == "Organisation"]
    for _ in range(10):
        source, target = rng.sample(orgs, 2)
        include_generic = rng.random() < 0.5
        expected = _oracle(data, source, target, include_generic)
        found = shortest_paths(
            graph, source, target, max_depth=40, limit=1000, include_generic=include_generic
        )
        assert sorted([n.id for n in p.nodes] for p in found) == expected
        limit, depth = rng.randint(1, 4), rng.randint(1, 8)
        options = {"max_depth": depth, "limit": limit, "include_generic": include_generic}
        bounded = shortest_paths(graph, source, target, **options)  # type: ignore[arg-type]
        before = previous.shortest_paths(graph, source, target, **options)  # type: ignore[arg-type]
        assert bounded == before  # same paths, same order as the search from one end
        if expected and len(expected[0]) - 1 <= depth:
            assert len(bounded) == min(limit, len(expected))
        else:
            assert bounded == []
