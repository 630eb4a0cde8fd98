"""Integer-indexed views of a networkx graph, and their igraph twins.

The fast engine behind the analytics is igraph; networkx stays the API. Converting
through ``igraph.Graph.from_networkx`` is slow and its ``to_networkx`` is quadratic on the
graphs it makes, so graphs are converted here from plain edge lists, keeping the
index ↔ node mapping beside them. Each undirected edge is listed once; self-loops are
left out (no measure built on these views counts them).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import igraph as ig  # type: ignore[import-untyped]
import networkx as nx

__all__ = ["IndexedGraph", "indexed_graph", "to_igraph"]


@dataclass(frozen=True, slots=True)
class IndexedGraph:
    """A simple undirected graph on the integers ``0 .. n - 1``.

    Parameters
    ----------
    nodes
        ``nodes[i]`` is the networkx node behind index ``i`` (in the graph's node order).
    index
        The inverse of ``nodes``.
    edges
        Each edge once, as ``(i, j)`` pairs in the graph's edge order; no self-loops.
    attrs
        For each requested edge attribute, its value on every edge (aligned with
        ``edges``); an edge without the attribute gets 1, as networkx assumes for
        weights.
    """

    nodes: tuple[Hashable, ...]
    index: dict[Hashable, int]
    edges: list[tuple[int, int]]
    attrs: dict[str, list[float]]

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    def neighbours(self) -> list[list[int]]:
        """Adjacency lists, each in the order the edges are listed."""
        nbrs: list[list[int]] = [[] for _ in self.nodes]
        for i, j in self.edges:
            nbrs[i].append(j)
            nbrs[j].append(i)
        return nbrs

    def weighted_adjacency(self, attr: str | None) -> list[dict[int, float]]:
        """Adjacency dicts ``{neighbour: value}``; all values 1 when ``attr`` is None."""
        adj: list[dict[int, float]] = [{} for _ in self.nodes]
        values: Iterable[float] = self.attrs[attr] if attr is not None else _ones(self.edges)
        for (i, j), value in zip(self.edges, values, strict=True):
            adj[i][j] = value
            adj[j][i] = value
        return adj


def _ones(edges: list[tuple[int, int]]) -> Iterable[float]:
    return (1.0 for _ in edges)


def indexed_graph(G: Any, attrs: Iterable[str | None] = ()) -> IndexedGraph:
    """Index the nodes of ``G`` and list its edges once, with some edge attributes.

    Parameters
    ----------
    G : networkx.Graph
        An undirected simple graph; it is not modified.
    attrs
        Edge attributes to copy (None entries are skipped); missing values count as 1.

    Returns
    -------
    IndexedGraph

    Raises
    ------
    networkx.NetworkXNotImplemented
        For directed graphs and multigraphs.

    Examples
    --------
    >>> import networkx as nx
    >>> ix = indexed_graph(nx.Graph([("a", "b", {"weight": 2.0}), ("b", "c")]), ["weight"])
    >>> ix.nodes, ix.edges, ix.attrs
    (('a', 'b', 'c'), [(0, 1), (1, 2)], {'weight': [2.0, 1.0]})
    """
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented("only undirected simple graphs are supported")
    names = [a for a in dict.fromkeys(attrs) if a is not None]
    nodes = tuple(G)
    index = {node: i for i, node in enumerate(nodes)}
    edges: list[tuple[int, int]] = []
    values: dict[str, list[float]] = {a: [] for a in names}
    # The order of G.edges(): each edge from the end that comes first in node order.
    for i, (_, neighbours) in enumerate(G.adj.items()):
        for v, data in neighbours.items():
            j = index[v]
            if j > i:
                edges.append((i, j))
                for a in names:
                    values[a].append(float(data.get(a, 1.0)))
    return IndexedGraph(nodes=nodes, index=index, edges=edges, attrs=values)


def to_igraph(ix: IndexedGraph) -> Any:
    """The igraph graph of an indexed graph: vertex ``i`` is ``ix.nodes[i]``.

    Edge ``k`` of the result is ``ix.edges[k]``, so the lists in ``ix.attrs`` can be
    passed to igraph as weights directly.

    Examples
    --------
    >>> import networkx as nx
    >>> g = to_igraph(indexed_graph(nx.path_graph(4)))
    >>> g.vcount(), g.ecount(), g.is_directed()
    (4, 3, False)
    """
    return ig.Graph(n=ix.n, edges=ix.edges, directed=False)
