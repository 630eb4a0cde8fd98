"""Behaviour every GraphStore must show; run against each store."""

from __future__ import annotations

import pytest

from app.errors import InvalidGraphError
from app.store import GraphStore, OrganisationQuery, OrganisationSort
from graph_schema import GraphData, HelixRole, NodeLabel, OrgType, Relationship, RelType
from graph_schema.interchange import graph_to_document
from tests.conftest import org, prov, small_graph


def test_a_new_store_is_empty_at_version_zero(store: GraphStore) -> None:
    assert store.version() == 0
    assert store.snapshot() == GraphData()


def test_upsert_then_snapshot_gives_the_same_graph(store: GraphStore) -> None:
    result = store.upsert(small_graph())
    assert (result.created, result.updated, result.unchanged) == (9, 0, 0)
    assert graph_to_document(store.snapshot()) == graph_to_document(small_graph())


def test_repeating_an_upsert_changes_nothing_not_even_the_version(store: GraphStore) -> None:
    first = store.upsert(small_graph())
    again = store.upsert(small_graph())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    assert again.version == first.version == store.version()


def test_every_changing_write_moves_the_version(store: GraphStore) -> None:
    v1 = store.upsert(small_graph()).version
    v2 = store.upsert(GraphData(nodes=(org("acme", place="Assen"),))).version
    assert v2 > v1
    node = store.get_node(NodeLabel.ORGANISATION, "acme")
    assert node is not None
    assert node.model_dump()["place"] == "Assen"
    store.clear()
    assert store.version() > v2
    assert store.snapshot() == GraphData()


def test_an_invalid_write_changes_nothing_and_names_every_problem(store: GraphStore) -> None:
    store.upsert(small_graph())
    before, version = store.snapshot(), store.version()
    bad = GraphData(
        nodes=(org("newco"), org("theme-x")),  # theme-x is a Theme already
        relationships=(
            Relationship(
                type=RelType.PARTNER_IN, source="newco", target="nowhere", provenance=prov()
            ),
        ),
    )
    with pytest.raises(InvalidGraphError) as caught:
        store.upsert(bad)
    messages = [p.message for p in caught.value.problems]
    assert any("already exists as Theme" in m for m in messages)
    assert any("unknown target id 'nowhere'" in m for m in messages)
    assert store.snapshot() == before
    assert store.version() == version


def test_relationships_may_point_at_nodes_already_stored(store: GraphStore) -> None:
    store.upsert(small_graph())
    rel = Relationship(
        type=RelType.PARTNER_IN, source="town", target="action-x-1", provenance=prov()
    )
    assert store.upsert(GraphData(relationships=(rel,))).created == 1


def test_dry_run_reports_without_writing(store: GraphStore) -> None:
    result = store.upsert(small_graph(), dry_run=True)
    assert result.created == 9
    assert store.version() == 0
    assert store.snapshot() == GraphData()


def test_get_node_checks_the_label(store: GraphStore) -> None:
    store.upsert(small_graph())
    assert store.get_node(NodeLabel.ORGANISATION, "acme") is not None
    assert store.get_node(NodeLabel.THEME, "acme") is None
    assert store.get_node(NodeLabel.ORGANISATION, "missing") is None


def _ids(store: GraphStore, **query: object) -> list[str]:
    page = store.list_organisations(OrganisationQuery(**query))  # type: ignore[arg-type]
    return [o.id for o in page.items]


def test_list_organisations_filters_sorts_and_pages(store: GraphStore) -> None:
    store.upsert(small_graph())
    store.upsert(
        GraphData(nodes=(org("hospital", HelixRole.CIVIL_SOCIETY, secondary_roles=["knowledge"]),))
    )
    assert _ids(store) == ["acme", "hospital", "mkb", "town", "uni"]
    assert _ids(store, helix_role=HelixRole.KNOWLEDGE) == ["uni"]
    assert _ids(store, helix_role=HelixRole.KNOWLEDGE, include_secondary=True) == [
        "hospital",
        "uni",
    ]
    assert _ids(store, org_type=OrgType.GOVERNMENT) == ["town"]
    assert _ids(store, place="roden") == ["acme"]
    assert _ids(store, generic=True) == ["mkb"]
    assert "mkb" not in _ids(store, generic=False)
    assert _ids(store, sort=OrganisationSort.ID, descending=True)[0] == "uni"
    page = store.list_organisations(OrganisationQuery(limit=2, offset=2))
    assert [o.id for o in page.items] == ["mkb", "town"]
    assert page.total == 5
