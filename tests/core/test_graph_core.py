"""The graph core follows writes from the change log, patch by patch, and always equals a
fresh read of the store — whichever process wrote."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from app.core import Graph, GraphCore
from app.core.follow import PATCH_LIMIT
from app.services.exchange import ExportFormat, export_graph
from app.store import GraphStore
from graph_schema import GraphData, Node, NodeLabel, RelType
from seed import load_seed
from tests.conftest import org, prov, rel


def same(core: GraphCore, store: GraphStore) -> bool:
    """The core's graph is the store's graph: records, adjacency and names."""
    graph = core.current()
    fresh = Graph.of(store.version(), store.snapshot())
    if export_graph(graph.data, ExportFormat.JSON) != export_graph(fresh.data, ExportFormat.JSON):
        return False
    for node_id in {*graph.nodes, *fresh.nodes}:
        if sorted(r.key for r in graph.links(node_id)) != sorted(
            r.key for r in fresh.links(node_id)
        ):
            return False
    return sorted(e.id for e in graph.names.entries()) == sorted(fresh.nodes)


def test_small_writes_patch_the_graph(store: GraphStore) -> None:
    store.upsert(load_seed())
    core = GraphCore(store)
    assert same(core, store)
    assert (core.full_reads, core.patches) == (1, 0)
    assert core.current().search("UMCG")[0].entry.id == "umcg"  # its name index is built

    store.upsert(GraphData(nodes=(org("newco", name="NewCo"),)))  # a new organisation
    assert same(core, store)
    renamed = org("it-hub", name="IT Hub Drenthe", place="Hoogeveen")
    store.upsert(GraphData(nodes=(renamed,)))  # a changed one
    link = rel(RelType.PARTNER_IN, "newco", "action-dig-1")
    store.upsert(GraphData(relationships=(link,)))  # a new link
    assert same(core, store)
    assert link.key in {r.key for r in core.current().links("action-dig-1")}
    store.delete_relationship(RelType.PARTNER_IN, "newco", "action-dig-1")
    store.delete_node(NodeLabel.ORGANISATION, "umcg")  # with all its relationships
    assert same(core, store)
    assert core.current().links("umcg") == ()
    partners = {r.source for r in core.current().links("project-vital-regions")}
    store.delete_node(NodeLabel.PROJECT, "project-vital-regions")  # partners lose a tie each
    assert same(core, store)
    for partner in partners - {"project-vital-regions"}:
        assert all("project-vital-regions" not in r.key for r in core.current().links(partner))
    changed = rel(RelType.MEMBER_OF, "kpn", "network-netwerkzon").model_copy(
        update={"provenance": prov("another quote")}
    )
    store.upsert(GraphData(relationships=(changed,)))
    assert same(core, store)
    graph = core.current()
    assert graph.get_nodes(["newco"])["newco"].name == "NewCo"
    assert graph.search("IT Hub Drenthe")[0].entry.id == "it-hub"
    assert graph.search("NewCo")[0].entry.id == "newco"
    assert "umcg" not in {hit.entry.id for hit in graph.search("UMCG")}
    assert core.full_reads == 1
    assert core.patches == 5


def test_an_older_version_stays_as_it_was(store: GraphStore) -> None:
    """A reader holding a version while a write lands keeps reading that version."""
    store.upsert(load_seed())
    core = GraphCore(store)
    before = core.current()
    links_before = [r.key for r in before.links("umcg")]
    store.delete_node(NodeLabel.ORGANISATION, "umcg")
    after = core.current()
    assert after.version() > before.version()
    assert before.node("umcg") is not None
    assert [r.key for r in before.links("umcg")] == links_before
    assert after.node("umcg") is None
    assert before.search("UMCG")[0].entry.id == "umcg"


def test_writes_of_another_process_are_followed(store: GraphStore) -> None:
    """A second store object on the same data (another service process) writes; the
    core of this one reads it at its next request."""
    store.upsert(load_seed())
    core = GraphCore(store)
    core.current()
    other = store.opener()()
    try:
        other.upsert(GraphData(nodes=(org("elsewhere", name="Written Elsewhere"),)))
        graph = core.current()
        assert graph.node("elsewhere") is not None
        assert graph.search("Written Elsewhere")[0].entry.id == "elsewhere"
        assert core.patches == 1
    finally:
        if other is not store:
            other.close()


def test_a_bulk_write_reads_the_graph_again(store: GraphStore) -> None:
    store.upsert(load_seed())
    core = GraphCore(store)
    core.current()
    many = GraphData(nodes=tuple(org(f"bulk-{k}") for k in range(PATCH_LIMIT + 1)))
    store.upsert(many)
    assert same(core, store)
    assert core.full_reads == 2
    store.clear()
    assert same(core, store)
    assert core.full_reads == 3


class _Kept:
    """A memo entry that goes on to the next version, recording what it was told."""

    def __init__(self) -> None:
        self.told: list[frozenset[str]] = []

    def carried(self, touched: frozenset[str]) -> _Kept:
        self.told.append(touched)
        return self


def test_memo_entries_go_on_only_past_writes_of_properties_other_than_names(
    store: GraphStore,
) -> None:
    store.upsert(load_seed())
    core = GraphCore(store)
    kept = _Kept()
    core.current().memo["kept"] = kept
    core.current().memo["plain"] = object()
    kpn = core.current().nodes["kpn"]
    store.upsert(GraphData(nodes=(kpn.model_copy(update={"description": "Elders."}),)))
    described = core.current()
    assert described.memo.get("kept") is kept  # a description: handed on, told what
    assert kept.told == [frozenset({"kpn"})]
    assert "plain" not in described.memo  # what cannot be carried is made again
    store.upsert(GraphData(nodes=(kpn.model_copy(update={"name": "KPN Noord"}),)))
    assert "kept" not in core.current().memo  # a name: search and names may answer otherwise
    core.current().memo["kept"] = kept
    store.upsert(GraphData(relationships=(rel(RelType.PARTNER_IN, "kpn", "action-dig-1"),)))
    assert "kept" not in core.current().memo  # a new tie: the shape changed
    assert kept.told == [frozenset({"kpn"})]


class _SlowStore:
    """A store whose record reads wait for ``gate``: a patch that takes its time."""

    def __init__(self, store: GraphStore, gate: threading.Event) -> None:
        self._store, self._gate = store, gate

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        self._gate.wait(30)
        return self._store.get_nodes(ids)


def test_a_read_takes_the_version_before_while_a_patch_is_under_way(store: GraphStore) -> None:
    store.upsert(load_seed())
    gate = threading.Event()
    core = GraphCore(cast(GraphStore, _SlowStore(store, gate)))
    before = core.current()
    store.upsert(GraphData(nodes=(org("newco", name="NewCo"),)))
    with ThreadPoolExecutor(1) as pool:
        patching = pool.submit(core.current)  # waits in the store for the gate
        time.sleep(0.2)
        assert core.current(wait=False) is before  # does not wait: the version before
        gate.set()
        after = patching.result(30)
    assert after.node("newco") is not None
    assert core.current(wait=False) is after
