"""Every kind of write goes through one pipeline, so each answers and logs alike."""

from __future__ import annotations

import json

import pytest

from app.errors import InvalidGraphError, NotFoundError
from app.store import GraphStore
from graph_schema import GraphData, NodeLabel, RelType
from tests.conftest import small_graph


def test_deleting_a_theme_an_action_names_is_refused_like_an_edit(store: GraphStore) -> None:
    store.upsert(small_graph())
    before, version = store.snapshot(), store.version()
    for delete in (
        lambda: store.delete_node(NodeLabel.THEME, "theme-x"),
        lambda: store.apply(GraphData(), delete_nodes=["theme-x"]),
    ):
        with pytest.raises(InvalidGraphError) as caught:
            delete()
        problems = caught.value.problems
        assert [(p.where, p.key) for p in problems] == [
            ("node action-x-1", "problem.edit.theme_deleted")
        ]
    assert store.snapshot() == before
    assert store.version() == version


def test_a_deleted_node_is_logged_with_its_links_as_they_were(store: GraphStore) -> None:
    store.upsert(small_graph())
    links = [r for r in store.snapshot().relationships if "acme" in (r.source, r.target)]
    result = store.delete_node(NodeLabel.ORGANISATION, "acme", actor="key-1")
    assert result.relationships_removed == len(links) > 0
    (change,) = store.changes(result.version - 1)
    assert (change.version, change.action, change.actor) == (result.version, "delete", "key-1")
    assert change.nodes == ("acme",)
    assert change.relationships == tuple(sorted(f"{r.type} {r.source} {r.target}" for r in links))
    details = json.loads(change.details or "[]")
    assert [(d["kind"], d["after"]) for d in details] == [("node", None)] + [
        ("relationship", None)
    ] * len(links)
    assert details[0]["before"]["name"] == "ACME"


def test_deleting_a_missing_relationship_changes_nothing(store: GraphStore) -> None:
    store.upsert(small_graph())
    version = store.version()
    with pytest.raises(NotFoundError):
        store.delete_relationship(RelType.PARTNER_IN, "town", "action-x-1")
    assert store.version() == version
    assert store.changes(version) == []
