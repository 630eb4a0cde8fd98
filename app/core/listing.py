"""Lists of nodes filtered, sorted and paged on one graph version, in memory.

The same :class:`~app.store.NodeQuery` the stores answer, answered from the graph core
so that a list page costs no round trip to the store (a test holds both to the same
answers). Each version keeps its nodes of each kind in name order, made once on first use;
the order itself (36,000 names folded and sorted on the Horizon 2020 graph, some 170 ms)
goes on to the next version when a write changed no node's name and no shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.core.graph import Graph
from app.store.base import NodeQuery, NodeSort, Page
from graph_schema import Node, NodeLabel, Organisation, PlaceQuery, RelType
from graph_schema.enums import ACTIVITY_LINKS
from graph_schema.names import name_key

__all__ = ["list_nodes", "ranked"]

Test = Callable[[Node], bool]

_SEARCHED = 1000
"""A searched list ranks at most this many matches."""


class _NameOrder:
    """The ids of one kind of node in name order. It depends on which nodes there are and
    on their names only, so it holds for the next version whenever it is carried to it
    (:class:`~app.core.graph.Carried`: the write changed neither)."""

    def __init__(self, ids: tuple[str, ...]) -> None:
        self.ids = ids

    def carried(self, touched: frozenset[str]) -> _NameOrder:
        return self


def ranked(graph: Graph, label: NodeLabel) -> tuple[Node, ...]:
    """The nodes of one kind in name order (without case or accents), then by id."""
    key = ("ranked", label)
    found: tuple[Node, ...] | None = graph.memo.get(key)
    if found is None:
        order = graph.memo.get(("name order", label))
        if not isinstance(order, _NameOrder):
            nodes = [node for node in graph.nodes.values() if node.label is label]
            nodes.sort(key=lambda node: (name_key(node.name), node.id))
            order = graph.memo[("name order", label)] = _NameOrder(tuple(n.id for n in nodes))
        by_id = graph.nodes
        found = graph.memo[key] = tuple(by_id[node_id] for node_id in order.ids)
    return found


def list_nodes(graph: Graph, query: NodeQuery, text: str | None = None) -> Page[Node]:
    """One page of the nodes ``query`` selects, and how many it selects in all.

    With ``text``, the nodes whose name or alias matches it, best match first (the
    query's sort is then the match), among those the filters select.
    """
    tests = _tests(graph, query)
    if text:
        hits = graph.search(text, labels=[query.label], limit=_SEARCHED)
        found = [graph.nodes[hit.entry.id] for hit in hits if hit.entry.id in graph.nodes]
        found = [node for node in found if all(test(node) for test in tests)]
        return Page(items=found[query.offset : query.offset + query.limit], total=len(found))
    if query.sort is NodeSort.NAME:
        nodes: Iterable[Node] = ranked(graph, query.label)
        if query.descending:
            nodes = reversed(nodes)  # type: ignore[call-overload]
    else:
        nodes = sorted(
            (node for node in graph.nodes.values() if node.label is query.label),
            key=lambda node: node.id,
            reverse=query.descending,
        )
    selected = [node for node in nodes if all(test(node) for test in tests)] if tests else nodes
    items = list(selected)
    return Page(items=items[query.offset : query.offset + query.limit], total=len(items))


def _tests(graph: Graph, query: NodeQuery) -> list[Test]:
    tests: list[Test] = []
    if query.theme is not None:
        tests.append(_theme_test(graph, query.theme, query.label))
    if query.label is not NodeLabel.ORGANISATION:
        return tests
    role = query.helix_role
    if role is not None:
        if query.include_secondary:
            tests.append(lambda n: _org(n).helix_role is role or role in _org(n).secondary_roles)
        else:
            tests.append(lambda n: _org(n).helix_role is role)
    if query.org_type is not None:
        org_type = query.org_type
        tests.append(lambda n: _org(n).org_type is org_type)
    if query.place is not None:
        place = PlaceQuery.of(query.place)
        tests.append(lambda n: place.matches(_org(n).place, _org(n).province, _org(n).region))
    if query.province is not None:
        province = query.province
        tests.append(lambda n: _org(n).province == province)
    if query.region is not None:
        region = query.region
        tests.append(lambda n: _org(n).region == region)
    if query.generic is not None:
        generic = query.generic
        tests.append(lambda n: _org(n).generic is generic)
    return tests


def _org(node: Node) -> Organisation:
    assert isinstance(node, Organisation)
    return node


def _addresses(graph: Graph, node_id: str, theme: str) -> bool:
    return any(
        rel.type is RelType.ADDRESSES and rel.source == node_id and rel.target == theme
        for rel in graph.links(node_id)
    )


def _theme_test(graph: Graph, theme: str, label: NodeLabel) -> Test:
    """Organisations in an activity that addresses the theme; other nodes addressing it."""
    if label is not NodeLabel.ORGANISATION:
        return lambda node: _addresses(graph, node.id, theme)
    activities = {
        rel.source
        for rel in graph.links(theme)
        if rel.type is RelType.ADDRESSES and rel.target == theme
    }
    return lambda node: any(
        rel.type in ACTIVITY_LINKS and rel.source == node.id and rel.target in activities
        for rel in graph.links(node.id)
    )
