"""The in-memory view follows small writes from the change log, and equals a fresh read."""

from __future__ import annotations

from app.services.exchange import ExportFormat, export_graph
from app.services.snapshots import PATCH_LIMIT, SnapshotCache
from app.store import GraphStore
from graph_schema import GraphData, NodeLabel, RelType
from seed import load_seed
from tests.conftest import org, prov, rel


def same(cache: SnapshotCache, store: GraphStore) -> bool:
    view = cache.view(store)
    return export_graph(view.graph, ExportFormat.JSON) == export_graph(
        store.snapshot(), ExportFormat.JSON
    )


def test_small_writes_patch_the_view(store: GraphStore) -> None:
    store.upsert(load_seed())
    cache = SnapshotCache()
    assert same(cache, store)
    assert (cache.full_reads, cache.patches) == (1, 0)
    assert cache.view(store).search("UMCG")[0].entry.id == "umcg"  # its name index is built

    store.upsert(GraphData(nodes=(org("newco", name="NewCo"),)))  # a new organisation
    assert same(cache, store)
    renamed = org("it-hub", name="IT Hub Drenthe", place="Hoogeveen")
    store.upsert(GraphData(nodes=(renamed,)))  # a changed one
    link = rel(RelType.PARTNER_IN, "newco", "action-dig-1")
    store.upsert(GraphData(relationships=(link,)))  # a new link
    assert same(cache, store)
    store.delete_relationship(RelType.PARTNER_IN, "newco", "action-dig-1")
    store.delete_node(NodeLabel.ORGANISATION, "umcg")  # with all its relationships
    assert same(cache, store)
    changed = rel(RelType.MEMBER_OF, "kpn", "network-netwerkzon").model_copy(
        update={"provenance": prov("another quote")}
    )
    store.upsert(GraphData(relationships=(changed,)))
    assert same(cache, store)
    view = cache.view(store)
    assert view.get_nodes(["newco"])["newco"].name == "NewCo"
    # the name index came along with the patches, updated
    assert view._name_cache is not None
    assert view._name_cache[0] == view.version()
    assert view.search("IT Hub Drenthe")[0].entry.id == "it-hub"
    assert view.search("NewCo")[0].entry.id == "newco"
    assert "umcg" not in {hit.entry.id for hit in view.search("UMCG")}
    assert cache.full_reads == 1
    assert cache.patches == 4


def test_a_bulk_write_reads_the_graph_again(store: GraphStore) -> None:
    store.upsert(load_seed())
    cache = SnapshotCache()
    cache.view(store)
    many = GraphData(nodes=tuple(org(f"bulk-{k}") for k in range(PATCH_LIMIT + 1)))
    store.upsert(many)
    assert same(cache, store)
    assert cache.full_reads == 2
    store.clear()
    assert same(cache, store)
    assert cache.full_reads == 3
