"""Behaviour every GraphStore must show; run against each store."""

from __future__ import annotations

import pytest

from app.core import Graph
from app.errors import ConflictError, InvalidGraphError, NotFoundError, PreconditionFailedError
from app.store import GraphStore, NodeQuery, NodeSort
from graph_schema import GraphData, HelixRole, NodeLabel, OrgType, Project, RelType
from graph_schema.interchange import etag_of, graph_to_document
from tests.conftest import org, rel, small_graph


def test_a_wiped_store_is_empty(store: GraphStore) -> None:
    assert store.snapshot() == GraphData()
    assert store.list_nodes(NodeQuery()).total == 0


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
        relationships=(rel(RelType.PARTNER_IN, "newco", "nowhere"),),
    )
    with pytest.raises(InvalidGraphError) as caught:
        store.upsert(bad)
    messages = [p.message for p in caught.value.problems]
    assert any("already exists as theme" in m for m in messages)
    assert any("unknown target id 'nowhere'" in m for m in messages)
    assert store.snapshot() == before
    assert store.version() == version


def test_relationships_may_point_at_nodes_already_stored(store: GraphStore) -> None:
    store.upsert(small_graph())
    link = rel(RelType.PARTNER_IN, "town", "action-x-1")
    assert store.upsert(GraphData(relationships=(link,))).created == 1


def test_dry_run_reports_without_writing(store: GraphStore) -> None:
    version = store.version()
    result = store.upsert(small_graph(), dry_run=True)
    assert result.created == 9
    assert store.version() == version
    assert store.snapshot() == GraphData()


def test_get_node_checks_the_label(store: GraphStore) -> None:
    store.upsert(small_graph())
    assert store.get_node(NodeLabel.ORGANISATION, "acme") is not None
    assert store.get_node(NodeLabel.THEME, "acme") is None
    assert store.get_node(NodeLabel.ORGANISATION, "missing") is None


def _ids(store: GraphStore, **query: object) -> list[str]:
    page = store.list_nodes(NodeQuery(**query))  # type: ignore[arg-type]
    return [o.id for o in page.items]


def test_list_nodes_filters_sorts_and_pages(store: GraphStore) -> None:
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
    assert _ids(store, sort=NodeSort.ID, descending=True)[0] == "uni"
    page = store.list_nodes(NodeQuery(limit=2, offset=2))
    assert [o.id for o in page.items] == ["mkb", "town"]
    assert page.total == 5


def chain_graph() -> GraphData:
    """acme - action-x-1 - uni - project-p - town; mkb (generic) shortcuts acme to town."""
    base = small_graph()
    project = Project(id="project-p", name="P")
    extra = (
        rel(RelType.PARTICIPATES_IN, "uni", "project-p", role="lead"),
        rel(RelType.PARTICIPATES_IN, "town", "project-p", role="partner"),
        rel(RelType.PARTNER_IN, "mkb", "action-x-1"),
        rel(RelType.PARTICIPATES_IN, "mkb", "project-p", role="partner"),
    )
    return GraphData(nodes=(*base.nodes, project), relationships=(*base.relationships, *extra))


def test_deleting_a_node_takes_its_relationships(store: GraphStore) -> None:
    store.upsert(chain_graph())
    version = store.version()
    result = store.delete_node(NodeLabel.ORGANISATION, "uni")
    assert result.relationships_removed == 2
    assert result.version > version
    graph = store.snapshot()
    assert "uni" not in {n.id for n in graph.nodes}
    assert all("uni" not in (r.source, r.target) for r in graph.relationships)
    with pytest.raises(NotFoundError):
        store.delete_node(NodeLabel.ORGANISATION, "uni")
    with pytest.raises(NotFoundError):
        store.delete_node(NodeLabel.ORGANISATION, "theme-x")  # wrong kind
    assert store.get_node(NodeLabel.THEME, "theme-x") is not None


def test_deleting_a_relationship(store: GraphStore) -> None:
    store.upsert(chain_graph())
    version = store.delete_relationship(RelType.PARTNER_IN, "acme", "action-x-1")
    assert version == store.version()
    assert store.get_relationships([(RelType.PARTNER_IN, "acme", "action-x-1")]) == {}
    with pytest.raises(NotFoundError):
        store.delete_relationship(RelType.PARTNER_IN, "acme", "action-x-1")


def test_get_nodes_and_relationships_by_key(store: GraphStore) -> None:
    store.upsert(chain_graph())
    assert sorted(store.get_nodes(["acme", "theme-x", "ghost"])) == ["acme", "theme-x"]
    stored = {rel.key: rel for rel in store.snapshot().relationships}
    uni = sorted(key for key in stored if key[1] == "uni")
    ghost = (RelType.PARTNER_IN, "ghost", "action-x-1")
    wrong_type = (RelType.MEMBER_OF, *uni[0][1:])
    found = store.get_relationships([*uni, ghost, wrong_type])
    assert found == {key: stored[key] for key in uni}
    assert {key[2] for key in found} == {"action-x-1", "project-p"}


def test_ping_answers(store: GraphStore) -> None:
    store.ping()


def test_list_other_kinds_and_filter_by_theme(store: GraphStore) -> None:
    store.upsert(chain_graph())
    projects = store.list_nodes(NodeQuery(label=NodeLabel.PROJECT))
    assert [n.id for n in projects.items] == ["project-p"]
    assert projects.total == 1
    on_theme = store.list_nodes(NodeQuery(theme="theme-x"))
    assert [n.id for n in on_theme.items] == ["acme", "mkb", "uni"]
    actions = store.list_nodes(NodeQuery(label=NodeLabel.ACTION, theme="theme-x"))
    assert [n.id for n in actions.items] == ["action-x-1"]
    assert store.list_nodes(NodeQuery(label=NodeLabel.PROJECT, theme="theme-x")).total == 0


def test_every_write_is_in_the_change_log(store: GraphStore) -> None:
    start = store.version()
    store.upsert(small_graph(), actor="key-1")
    store.delete_relationship(RelType.PARTNER_IN, "uni", "action-x-1", actor="key-2")
    store.delete_node(NodeLabel.ORGANISATION, "acme")
    changes = store.changes(since=start)
    assert [c.version for c in changes] == [start + 1, start + 2, start + 3]
    assert [(c.action, c.actor) for c in changes] == [
        ("upsert", "key-1"),
        ("delete", "key-2"),
        ("delete", None),
    ]
    assert "acme" in changes[0].nodes
    assert changes[1].relationships == ("PARTNER_IN uni action-x-1",)
    assert changes[2].nodes == ("acme",)
    assert changes[2].relationships == ("PARTNER_IN acme action-x-1",)
    assert store.changes(since=start + 2) == changes[2:]
    assert changes[0].at.endswith("+00:00")


def test_conditional_writes_refuse_stale_or_clashing_versions(store: GraphStore) -> None:
    store.upsert(small_graph())
    current = store.get_node(NodeLabel.ORGANISATION, "acme")
    assert current is not None
    etag = etag_of(current)
    moved = GraphData(nodes=(org("acme", place="Emmen"),))
    with pytest.raises(ConflictError):
        store.upsert(moved, expected={"acme": None})  # create, but it exists
    with pytest.raises(PreconditionFailedError):
        store.upsert(moved, expected={"acme": '"stale"'})
    with pytest.raises(NotFoundError):
        store.upsert(GraphData(nodes=(org("ghost"),)), expected={"ghost": etag})
    store.upsert(moved, expected={"acme": etag})
    updated = store.get_node(NodeLabel.ORGANISATION, "acme")
    assert updated is not None
    assert updated.model_dump()["place"] == "Emmen"
    with pytest.raises(PreconditionFailedError):
        store.upsert(GraphData(nodes=(org("acme"),)), expected={"acme": etag})  # lost update
    with pytest.raises(PreconditionFailedError):
        store.delete_node(NodeLabel.ORGANISATION, "acme", expected_etag=etag)
    store.delete_node(NodeLabel.ORGANISATION, "acme", expected_etag=etag_of(updated))
    assert store.get_node(NodeLabel.ORGANISATION, "acme") is None


def test_the_graph_reads_records_as_the_store_does(store: GraphStore) -> None:
    """The graph core patches itself from ``get_nodes`` and ``get_relationships``: what
    they read must be what the whole snapshot holds."""
    store.upsert(chain_graph())
    view = Graph.of(store.version(), store.snapshot())
    keys = sorted(rel.key for rel in store.snapshot().relationships)
    assert store.get_relationships(keys) == {key: view.relationship(key) for key in keys}
    assert view.get_nodes(["uni", "nobody"]) == store.get_nodes(["uni", "nobody"])
