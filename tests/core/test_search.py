"""Search through the graph core: names and aliases found tolerantly, and every write —
new, renamed, deleted, cleared — seen by the next search (the name index is patched with
the graph), on both stores."""

from __future__ import annotations

import pytest

from app.core import GraphCore
from app.store import GraphStore
from graph_schema import GraphData, NodeLabel
from tests.conftest import org, small_graph


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ACME", "acme"), ("acm", "acme"), ("Unii", "uni"), ("t-o-w-n", "town")],
)
def test_search_finds_names_tolerantly(store: GraphStore, text: str, expected: str) -> None:
    core = GraphCore(store)
    store.upsert(GraphData(nodes=(org("acme", name="Acme Medical", aliases=["ACME"]),)))
    store.upsert(small_graph())
    hits = core.current().search(text)
    assert hits, text
    assert hits[0].entry.id == expected


def test_search_by_alias_and_label(store: GraphStore) -> None:
    core = GraphCore(store)
    store.upsert(small_graph())
    store.upsert(GraphData(nodes=(org("it-hub", name="IT Hub", aliases=["IT-Hub"]),)))
    assert [h.entry.id for h in core.current().search("it hub")] == ["it-hub"]
    assert core.current().search("Theme X") == []  # organisations only by default
    themes = core.current().search("Theme X", labels=[NodeLabel.THEME])
    assert [h.entry.id for h in themes] == ["theme-x"]


def test_search_sees_writes_at_once(store: GraphStore) -> None:
    core = GraphCore(store)
    store.upsert(small_graph())
    assert core.current().search("Zeta Labs") == []
    store.upsert(GraphData(nodes=(org("zeta", name="Zeta Labs"),)))
    assert core.current().search("Zeta Labs")[0].entry.id == "zeta"


def test_search_follows_renames_deletes_and_clears(store: GraphStore) -> None:
    core = GraphCore(store)
    store.upsert(small_graph())
    store.upsert(GraphData(nodes=(org("zeta", name="Zeta Labs", aliases=["ZL"]),)))
    assert core.current().search("Zeta Labs")[0].entry.id == "zeta"  # the index of this version
    store.upsert(GraphData(nodes=(org("zeta", name="Borealis Health"),)))
    assert [h.entry.id for h in core.current().search("Borealis Health")] == ["zeta"]
    assert core.current().search("Zeta Labs") == []
    assert core.current().search("ZL") == []  # the old alias went with the rename
    store.delete_node(NodeLabel.ORGANISATION, "zeta")
    assert core.current().search("Borealis Health") == []
    store.upsert(GraphData(nodes=(org("zeta", name="Zeta Labs"),)))
    store.clear()
    assert core.current().search("Zeta Labs") == []
