"""One version of the graph, in memory: what every reader of the service walks.

A :class:`Graph` is immutable. It holds the nodes by id, every relationship by key and,
per node, the relationships that touch it (both directions), plus the name index for
search. A write makes the next version by :meth:`Graph.patched`: the dictionaries are
copied shallowly (milliseconds for the Horizon 2020 graph's 200,000 records) and only
the records the write touched are replaced, so no reader ever sees a half-applied write
and no reader waits for the graph to be read again. The whole graph as one
:class:`~graph_schema.GraphData` (analytics, matching, exports) is made on first use.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

from graph_schema import GraphData, Node, NodeLabel, Relationship, RelKey
from graph_schema.names import NameEntry, NameHit, NameIndex

__all__ = ["Adjacency", "Carried", "Graph", "name_entry"]

_NONE: tuple[Relationship, ...] = ()


def name_entry(node: Node) -> NameEntry:
    """What search knows of a node."""
    return NameEntry(node.id, str(node.label), node.name, tuple(getattr(node, "aliases", ())))


class Adjacency(Protocol):
    """What the graph algorithms read: one version of the graph, node by node."""

    def node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""
        ...

    def links(self, node_id: str) -> Collection[Relationship]:
        """Every relationship from or to the node (empty for an unknown id)."""
        ...


@runtime_checkable
class Carried(Protocol):
    """Something a reader keeps in a version's :attr:`Graph.memo` that can go on to the
    next version when a write changed neither the graph's shape nor any name (e.g. a
    description): the part of it that read none of the nodes the write touched."""

    def carried(self, touched: frozenset[str]) -> object | None:
        """What still holds after a write that touched these node ids (None: nothing)."""
        ...


class Graph:
    """One graph version held in memory, indexed for the readers.

    Parameters
    ----------
    version
        The store's version this graph is.
    nodes, relationships
        Every node by id and every relationship by key; the graph keeps them as given.
    names
        The name index of these nodes (built from them when not given).
    """

    def __init__(
        self,
        version: int,
        nodes: dict[str, Node],
        relationships: dict[RelKey, Relationship],
        *,
        links: dict[str, dict[RelKey, Relationship]] | None = None,
        names: NameIndex | None = None,
        shape_memo: dict[Hashable, Any] | None = None,
    ) -> None:
        self._version = version
        self._nodes = nodes
        self._rels = relationships
        if links is None:
            links = {}
            for key, rel in relationships.items():
                for end in (key[1], key[2]):
                    links.setdefault(end, {})[key] = rel
        self._links = links
        self._names = names
        self.memo: dict[Hashable, Any] = {}
        """What readers derive from this version once (e.g. nodes in name order)."""
        self.shape_memo: dict[Hashable, Any] = {} if shape_memo is None else shape_memo
        """What readers derive from the graph's shape alone — which nodes there are, their
        kinds and whether they are placeholder groups, and the relationships — and not
        from other properties (e.g. the index of organisation hops): a version made by a
        write that changed no shape shares it with the version before."""

    @classmethod
    def of(cls, version: int, data: GraphData) -> Graph:
        """The graph of a whole :class:`GraphData` read from a store."""
        graph = cls(
            version,
            {node.id: node for node in data.nodes},
            {rel.key: rel for rel in data.relationships},
        )
        graph.__dict__["data"] = data  # already whole: keep it rather than make it again
        return graph

    # --- reading ---------------------------------------------------------------

    def version(self) -> int:
        return self._version

    def node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def links(self, node_id: str) -> Collection[Relationship]:
        found = self._links.get(node_id)
        return _NONE if found is None else found.values()

    def relationship(self, key: RelKey) -> Relationship | None:
        """The relationship with this key, or None."""
        return self._rels.get(key)

    @property
    def nodes(self) -> Mapping[str, Node]:
        """Every node by id (read only)."""
        return self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        nodes = self._nodes
        return {i: nodes[i] for i in ids if i in nodes}

    def edges_touching(self, ids: Sequence[str]) -> list[Relationship]:
        found: dict[RelKey, Relationship] = {}
        for node_id in ids:
            found.update(self._links.get(node_id, {}))
        return [found[key] for key in sorted(found)]

    def name_entries(self) -> list[NameEntry]:
        return [name_entry(node) for node in self._nodes.values()]

    @property
    def names(self) -> NameIndex:
        """The name index of this version (built on first use when not patched in)."""
        if self._names is None:
            self._names = NameIndex(self.name_entries())
        return self._names

    def search(
        self,
        text: str,
        *,
        labels: Collection[NodeLabel] | None = (NodeLabel.ORGANISATION,),
        limit: int = 10,
    ) -> list[NameHit]:
        """Nodes whose name or alias matches ``text``, best first (see NameIndex)."""
        wanted = None if labels is None else {str(label) for label in labels}
        return self.names.search(text, limit=limit, labels=wanted)

    @property
    def relationships(self) -> Collection[Relationship]:
        """Every relationship, in no particular order (read only)."""
        return self._rels.values()

    @cached_property
    def data(self) -> GraphData:
        """The whole graph, nodes by id and relationships by key (made on first use)."""
        return GraphData.model_construct(
            nodes=tuple(self._nodes[i] for i in sorted(self._nodes)),
            relationships=tuple(self._rels[k] for k in sorted(self._rels)),
        )

    # --- the next version --------------------------------------------------------

    def patched(
        self,
        version: int,
        nodes: Mapping[str, Node | None],
        relationships: Mapping[RelKey, Relationship | None],
    ) -> Graph:
        """The graph at ``version``: this one with the records a write touched replaced.

        Parameters
        ----------
        version
            The new version.
        nodes
            Each node the write created, changed or deleted, as stored now (None: gone).
        relationships
            Each relationship the write created, changed or deleted, as stored now (None:
            gone); a deleted node's relationships are among them. The others are as they
            were, and so are the links of every node they do not touch.

        When the write changed neither the shape nor a name, what this version's memo
        holds that is :class:`Carried` goes on to the new one, as it says.
        """
        new_nodes = dict(self._nodes)
        for node_id, node in nodes.items():
            if node is None:
                new_nodes.pop(node_id, None)
            else:
                new_nodes[node_id] = node
        new_rels = dict(self._rels)
        new_links = dict(self._links)
        copied: set[str] = set()  # ends whose links are already a copy of their own

        def links_of(end: str) -> dict[RelKey, Relationship]:
            if end not in copied:
                copied.add(end)
                new_links[end] = dict(self._links.get(end, {}))
            return new_links[end]

        for key, rel in relationships.items():
            if rel is None:
                if new_rels.pop(key, None) is None:
                    continue
                for end in (key[1], key[2]):
                    links_of(end).pop(key, None)
            elif self._rels.get(key) != rel:  # an unchanged one keeps its place
                new_rels[key] = rel
                for end in (key[1], key[2]):
                    links_of(end)[key] = rel
        for end in copied:
            if not new_links[end]:
                del new_links[end]
        names = self._names
        if names is not None:
            names = names.updated(
                [name_entry(node) for node in nodes.values() if node is not None],
                removed=list(nodes),
            )
        same_shape = not relationships and all(
            _same_shape(self._nodes.get(node_id), node) for node_id, node in nodes.items()
        )
        graph = Graph(
            version,
            new_nodes,
            new_rels,
            links=new_links,
            names=names,
            shape_memo=self.shape_memo if same_shape else None,
        )
        self._carry(graph, nodes, same_shape=same_shape)
        return graph

    def _carry(self, to: Graph, nodes: Mapping[str, Node | None], *, same_shape: bool) -> None:
        """Hand what this version's memo holds that is :class:`Carried` on to ``to``, the
        next version after a write of these nodes, when it kept the shape and changed no
        name."""
        if not same_shape or any(
            node is None or name_entry(node) != name_entry(self._nodes[node_id])
            for node_id, node in nodes.items()
        ):
            return
        touched = frozenset(nodes)
        for key, kept in list(self.memo.items()):
            if isinstance(kept, Carried):
                carried = kept.carried(touched)
                if carried is not None:
                    to.memo[key] = carried


def _same_shape(old: Node | None, new: Node | None) -> bool:
    """Whether a node written keeps the graph's shape: it was there and still is, of the
    same kind, a placeholder group or not as before."""
    return (
        old is not None
        and new is not None
        and old.label is new.label
        and getattr(old, "generic", False) == getattr(new, "generic", False)
    )
