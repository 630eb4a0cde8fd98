"""Lists answered from the graph core equal the store's own answers, filter for filter."""

from __future__ import annotations

import pytest

from app.core import GraphCore
from app.core.listing import list_nodes
from app.store import GraphStore, NodeQuery, NodeSort
from graph_schema import GraphData, HelixRole, NodeLabel, OrgType, Province, Region
from seed import load_seed

QUERIES = [
    NodeQuery(),
    NodeQuery(limit=7, offset=3),
    NodeQuery(sort=NodeSort.ID, descending=True, limit=10),
    NodeQuery(descending=True, limit=1000),
    NodeQuery(theme="theme-digitalisering", limit=1000),
    NodeQuery(helix_role=HelixRole.KNOWLEDGE, limit=1000),
    NodeQuery(helix_role=HelixRole.GOVERNMENT, include_secondary=True, limit=1000),
    NodeQuery(org_type=OrgType.COMPANY, limit=1000),
    NodeQuery(place="Drenthe", limit=1000),
    NodeQuery(place="groningen", limit=1000),
    NodeQuery(province=Province.DRENTHE, limit=1000),
    NodeQuery(region=Region.NOORD_NEDERLAND, limit=1000),
    NodeQuery(generic=True, limit=1000),
    NodeQuery(generic=False, theme="theme-food-lifestyle", limit=5, offset=2),
    NodeQuery(label=NodeLabel.ACTION, limit=1000),
    NodeQuery(label=NodeLabel.PROJECT, theme="theme-digitalisering", limit=1000),
    NodeQuery(label=NodeLabel.THEME, sort=NodeSort.NAME, descending=True),
]


@pytest.mark.parametrize("query", QUERIES, ids=[str(i) for i in range(len(QUERIES))])
def test_the_core_lists_what_the_store_lists(store: GraphStore, query: NodeQuery) -> None:
    store.upsert(load_seed())
    graph = GraphCore(store).current()
    mine, theirs = list_nodes(graph, query), store.list_nodes(query)
    assert [node.id for node in mine.items] == [node.id for node in theirs.items]
    assert mine.total == theirs.total


def test_the_queries_select_something(store: GraphStore) -> None:
    """Every filter above selects some nodes and leaves some out (else it tests nothing)."""
    store.upsert(load_seed())
    graph = GraphCore(store).current()
    for query in QUERIES[4:]:
        if query.label is not NodeLabel.ORGANISATION and query.theme is None:
            continue  # the other kinds are listed whole
        everything = list_nodes(graph, NodeQuery(label=query.label, limit=10_000)).total
        assert 0 < list_nodes(graph, query).total < everything or query.offset, query


def test_a_search_keeps_to_the_filters(store: GraphStore) -> None:
    store.upsert(load_seed())
    graph = GraphCore(store).current()
    hits = list_nodes(graph, NodeQuery(limit=50), "zorg")
    assert hits.total == len(hits.items) > 3
    assert "zorg" in hits.items[0].name.lower()
    drenthe = list_nodes(graph, NodeQuery(province=Province.DRENTHE, limit=50), "zorg")
    assert 0 < drenthe.total < hits.total
    assert all(getattr(n, "province", None) == "Drenthe" for n in drenthe.items)
    in_order = [n.id for n in hits.items if getattr(n, "province", None) == "Drenthe"]
    assert [n.id for n in drenthe.items] == in_order  # the match order, filtered
    paged = [list_nodes(graph, NodeQuery(limit=1, offset=k), "zorg") for k in range(3)]
    assert [page.items[0].id for page in paged] == [n.id for n in hits.items[:3]]
    assert {page.total for page in paged} == {hits.total}
    assert list_nodes(graph, NodeQuery(limit=50), "zzzzqqq").total == 0


def test_the_name_order_follows_writes(store: GraphStore) -> None:
    """The order goes on past a write of a description (the page shows the new text) and
    is made again after a rename; either way the core lists what the store lists."""
    store.upsert(load_seed())
    core = GraphCore(store)
    query = NodeQuery(label=NodeLabel.ORGANISATION, sort=NodeSort.NAME, limit=500)
    before = list_nodes(core.current(), query).items
    order = core.current().memo[("name order", NodeLabel.ORGANISATION)]
    kpn = core.current().nodes["kpn"]
    store.upsert(GraphData(nodes=(kpn.model_copy(update={"description": "Elders."}),)))
    described = list_nodes(core.current(), query).items
    assert core.current().memo[("name order", NodeLabel.ORGANISATION)] is order  # not sorted
    assert [n.id for n in described] == [n.id for n in before]
    assert getattr({n.id: n for n in described}["kpn"], "description", None) == "Elders."
    store.upsert(GraphData(nodes=(kpn.model_copy(update={"name": "AAA Telecom"}),)))
    renamed = list_nodes(core.current(), query).items
    assert core.current().memo[("name order", NodeLabel.ORGANISATION)] is not order
    assert renamed[0].id == "kpn"
    assert renamed == store.list_nodes(query).items
