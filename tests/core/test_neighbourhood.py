"""Neighbourhoods on the graph core: nodes within steps, and organisation hops within a
budget, the strongest ties first, with the totals of what the budget left out."""

from __future__ import annotations

import pytest

from app.core import Graph, GraphCore
from app.core.neighbourhood import neighbourhood, organisation_neighbourhood
from app.errors import NotFoundError
from app.store import GraphStore
from bench import previous_queries as previous
from graph_schema import GraphData, Node, Project, Relationship, RelType
from seed import load_seed
from tests.conftest import org, rel
from tests.store.test_store_contract import chain_graph


def joins(org_id: str, project: str) -> Relationship:
    return rel(RelType.PARTICIPATES_IN, org_id, project, role="partner")


def test_neighbourhood_grows_with_depth(store: GraphStore) -> None:
    store.upsert(chain_graph())
    graph = GraphCore(store).current()
    one = neighbourhood(graph, "acme", depth=1)
    assert sorted(n.id for n in one.graph.nodes) == ["acme", "action-x-1"]
    two = neighbourhood(graph, "acme", depth=2, include_generic=False)
    assert sorted(n.id for n in two.graph.nodes) == ["acme", "action-x-1", "theme-x", "uni"]
    assert {(r.source, r.target) for r in two.graph.relationships} == {
        ("acme", "action-x-1"),
        ("uni", "action-x-1"),
        ("action-x-1", "theme-x"),
    }
    with_generic = neighbourhood(graph, "acme", depth=2)
    assert "mkb" in {n.id for n in with_generic.graph.nodes}
    only_partners = neighbourhood(graph, "acme", depth=2, rel_types=[RelType.PARTNER_IN])
    assert "theme-x" not in {n.id for n in only_partners.graph.nodes}
    assert not two.truncated
    for depth in (1, 2, 3):  # as the former walk, by whole reads of nodes and their links
        assert neighbourhood(graph, "acme", depth=depth) == previous.neighbourhood(
            graph, "acme", depth=depth
        )


def test_neighbourhood_of_a_missing_node_is_not_found(store: GraphStore) -> None:
    store.upsert(chain_graph())
    graph = GraphCore(store).current()
    with pytest.raises(NotFoundError):
        neighbourhood(graph, "nobody")
    with pytest.raises(NotFoundError):
        organisation_neighbourhood(graph, "nobody")


def test_neighbourhood_is_capped(store: GraphStore) -> None:
    store.upsert(chain_graph())
    capped = neighbourhood(GraphCore(store).current(), "action-x-1", depth=3, max_nodes=3)
    assert capped.truncated
    assert len(capped.graph.nodes) == 3


def _partners() -> Graph:
    """centre shares p1 with a and b, p2 with a, p3 with d; a shares p4 with e."""
    nodes: list[Node] = [org(o) for o in ("centre", "a", "b", "d", "e")]
    nodes += [Project(id=p, name=p.upper()) for p in ("p1", "p2", "p3", "p4")]
    rels = [
        joins("centre", "p1"),
        joins("a", "p1"),
        joins("b", "p1"),
        joins("centre", "p2"),
        joins("a", "p2"),
        joins("centre", "p3"),
        joins("d", "p3"),
        joins("a", "p4"),
        joins("e", "p4"),
    ]
    return Graph.of(1, GraphData(nodes=tuple(nodes), relationships=tuple(rels)))


def _ids(found: GraphData) -> set[str]:
    return {n.id for n in found.nodes}


def test_hops_within_the_budget_are_shown_whole_with_their_totals() -> None:
    graph = _partners()
    one = organisation_neighbourhood(graph, "centre", hops=1)
    assert _ids(one.graph) == {"centre", "a", "b", "d", "p1", "p2", "p3"}
    assert (one.organisations, one.activities, one.truncated) == (4, 3, False)
    assert len(one.graph.relationships) == 7  # every participation among them
    two = organisation_neighbourhood(graph, "centre", hops=2)
    assert _ids(two.graph) == _ids(one.graph) | {"e", "p4"}
    assert (two.organisations, two.activities, two.truncated) == (5, 4, False)


def test_the_budget_takes_the_strongest_ties_first_and_counts_the_rest() -> None:
    graph = _partners()
    cut = organisation_neighbourhood(graph, "centre", hops=2, max_nodes=4)
    # a shares two projects with the centre: first, with p1; b comes in through p1 too;
    # d would need p3 as well, which the budget no longer holds
    assert _ids(cut.graph) == {"centre", "a", "p1", "b"}
    assert cut.truncated
    assert (cut.organisations, cut.activities) == (5, 4)  # all within two hops
    assert {(r.source, r.target) for r in cut.graph.relationships} == {
        ("centre", "p1"),
        ("a", "p1"),
        ("b", "p1"),
    }
    smallest = organisation_neighbourhood(graph, "centre", hops=1, max_nodes=3)
    assert _ids(smallest.graph) == {"centre", "a", "p1"}


def test_direct_links_count_as_ties_and_generic_groups_only_when_asked() -> None:
    """centre is part of parent (a direct link) and shares p1 with a and the group mkb;
    parent shares p2 with f."""
    nodes: list[Node] = [org(o) for o in ("centre", "parent", "a", "f")]
    nodes += [org("mkb", generic=True), Project(id="p1", name="P1"), Project(id="p2", name="P2")]
    rels = [
        rel(RelType.PART_OF, "centre", "parent"),
        joins("centre", "p1"),
        joins("a", "p1"),
        joins("mkb", "p1"),
        joins("parent", "p2"),
        joins("f", "p2"),
    ]
    graph = Graph.of(1, GraphData(nodes=tuple(nodes), relationships=tuple(rels)))
    one = organisation_neighbourhood(graph, "centre", hops=1)
    assert _ids(one.graph) == {"centre", "parent", "a", "p1"}
    assert (one.organisations, one.activities) == (3, 1)
    assert ("centre", "parent") in {(r.source, r.target) for r in one.graph.relationships}
    with_groups = organisation_neighbourhood(graph, "centre", hops=1, include_generic=True)
    assert "mkb" in _ids(with_groups.graph)
    two = organisation_neighbourhood(graph, "centre", hops=2)
    assert _ids(two.graph) == _ids(one.graph) | {"f", "p2"}
    only_projects = organisation_neighbourhood(
        graph, "centre", hops=2, rel_types=[RelType.PARTICIPATES_IN]
    )
    assert _ids(only_projects.graph) == {"centre", "a", "p1"}


def _hub(partners: int) -> Graph:
    """hub shares one project with each partner; each partner shares another with one
    organisation of its own."""
    nodes: list[Node] = [org("hub")]
    rels = []
    for i in range(partners):
        nodes += [org(f"a{i:04d}"), org(f"b{i:04d}")]
        nodes += [Project(id=f"p{i:04d}", name=f"P{i}"), Project(id=f"q{i:04d}", name=f"Q{i}")]
        rels += [joins("hub", f"p{i:04d}"), joins(f"a{i:04d}", f"p{i:04d}")]
        rels += [joins(f"a{i:04d}", f"q{i:04d}"), joins(f"b{i:04d}", f"q{i:04d}")]
    return Graph.of(1, GraphData(nodes=tuple(nodes), relationships=tuple(rels)))


def test_two_hops_default_to_a_smaller_budget_than_one() -> None:
    graph = _hub(300)  # one hop: 601 nodes; two hops: 1,201
    one = organisation_neighbourhood(graph, "hub", hops=1)
    assert (len(one.graph.nodes), one.truncated) == (601, False)
    two = organisation_neighbourhood(graph, "hub", hops=2)
    assert two.truncated
    # the first hop does not fit: partners by id, each with its project, while two fit
    assert len(two.graph.nodes) == 199
    assert {"a0098", "p0098"} <= _ids(two.graph)
    assert "a0099" not in _ids(two.graph)
    assert (two.organisations, two.activities) == (601, 600)  # all within two hops
    whole = organisation_neighbourhood(graph, "hub", hops=2, max_nodes=2000)
    assert (len(whole.graph.nodes), whole.truncated) == (1201, False)


def test_a_write_of_properties_keeps_the_index_of_hops_and_others_do_not(
    store: GraphStore,
) -> None:
    """The index of organisation hops is made once per shape of the graph: a new
    description keeps it, a new tie or a placeholder flag makes it again, and the
    neighbourhood always shows the graph as it is."""
    store.upsert(load_seed())
    core = GraphCore(store)
    before = core.current()
    organisation_neighbourhood(before, "bdrc", hops=2)
    described = before.nodes["kpn"].model_copy(update={"description": "Telecom"})
    store.upsert(GraphData(nodes=(described,)))
    after = core.current()
    assert after.version() > before.version()
    assert after.shape_memo is before.shape_memo
    shown = organisation_neighbourhood(after, "bdrc", hops=2).graph
    assert {n.id: n for n in shown.nodes}["kpn"] == described

    store.upsert(GraphData(nodes=(org("newco", name="NewCo"),)))
    store.upsert(GraphData(relationships=(rel(RelType.PARTNER_IN, "newco", "action-dig-1"),)))
    grown = core.current()
    assert grown.shape_memo is not after.shape_memo
    assert "newco" in {n.id for n in organisation_neighbourhood(grown, "bdrc", hops=2).graph.nodes}

    kpn = grown.nodes["kpn"]
    store.upsert(GraphData(nodes=(kpn.model_copy(update={"generic": True}),)))
    flagged = core.current()
    assert flagged.shape_memo is not grown.shape_memo
    assert "kpn" not in {
        n.id for n in organisation_neighbourhood(flagged, "bdrc", hops=2).graph.nodes
    }
    fresh = Graph.of(flagged.version(), store.snapshot())
    for hops in (1, 2, 3):
        assert organisation_neighbourhood(flagged, "umcg", hops=hops) == (
            organisation_neighbourhood(fresh, "umcg", hops=hops)
        )
