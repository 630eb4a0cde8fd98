"""Brokers: who holds the collaboration network together, and why.

Five views of brokerage on the organisation–organisation graph of
:func:`analytics.projection.collaboration_graph`, each a pure function of the graph, and
a combined ranking that keeps them side by side:

* :func:`betweenness` – how much of the traffic along strongest-tie paths runs through
  an organisation (exact up to a work budget, sampled above it);
* :func:`constraint` and :func:`effective_size` – Burt's structural holes in the
  organisation's own circle of partners;
* :func:`brokerage` – Gould and Fernandez's five brokerage roles between the helix
  groups, with z-scores against random group labels;
* :func:`articulation_points` and :func:`bridges` – whose departure, or which single
  tie, would split the network, and whom it would cut off;
* :func:`brokers` – all of it per organisation, a composite score, a rank and the
  facts of a reason (:class:`BrokerReason`), which :func:`reason_text` words in Dutch or
  English from the text catalogue.

Results are frozen dataclasses of plain values (str, int, float, bool, None, tuples and
dicts of those): ``dataclasses.asdict`` turns them into JSON-ready dicts. Node ids are
passed through as they are in the graph (strings in the collaboration graph).

Two engines compute the same numbers: ``"networkx"`` (networkx and pure Python over its
adjacency, the reference) and ``"igraph"`` (igraph's C routines on a graph built from
edge lists, see :mod:`analytics.engine`). ``"auto"`` takes igraph.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from operator import mul
from typing import Any, Literal

import networkx as nx
import numpy as np

from analytics.engine import IndexedGraph, indexed_graph, to_igraph
from graph_schema import HelixRole
from graph_schema.i18n import Language, listing, t

__all__ = [
    "ARTICULATION_BONUS",
    "BETWEENNESS_WORK",
    "MAX_MEMBERS",
    "MIN_SOURCES",
    "ROLES",
    "SAMPLED_SOURCE_WORK",
    "WEIGHTED_EFFECTIVE_SIZE_MAX_TRIANGLES",
    "ArticulationPoint",
    "Bridge",
    "BrokerReason",
    "BrokerReport",
    "BrokerRow",
    "Brokerage",
    "CutOff",
    "Engine",
    "articulation_points",
    "betweenness",
    "bridges",
    "brokerage",
    "brokers",
    "constraint",
    "effective_size",
    "reason_text",
]

Engine = Literal["auto", "networkx", "igraph"]
"""Where a measure is computed; ``"auto"`` is igraph."""

ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
"""Gould and Fernandez's brokerage roles, in their order."""

BETWEENNESS_WORK = 50_000_000
"""Betweenness budget in source × edge units: exact while the nodes with ties times ``m``
stay within it, otherwise sampled with ``ceil(BETWEENNESS_WORK / (SAMPLED_SOURCE_WORK *
m))`` sources (at least :data:`MIN_SOURCES`). On the CORDIS graph (800k ties) that is 35
sources, about the CPU time of 63 sources summed in one igraph call (2.2 s); on the named
CORDIS slice (78k ties) 359 sources."""

SAMPLED_SOURCE_WORK = 1.8
"""Work of one sampled source in units of one source of the exact computation. The
estimate needs each sampled source's dependencies apart, and igraph computes them one
call per source, about 1.8 times the work per source of one call for all (CPU time on
the CORDIS graph, ``python -m bench.betweenness_accuracy``)."""

MIN_SOURCES = 32
"""Fewest sources an automatically sized betweenness sample takes."""

WEIGHTED_EFFECTIVE_SIZE_MAX_TRIANGLES = 1_000_000
"""Above this many triangles :func:`brokers` on igraph reports Borgatti's unweighted
effective size, which igraph's triangle counts give at once, instead of the weighted
one, which costs a pure-Python pass over every triangle (about 0.7 µs each: 1.4 s for
the 1.9 million triangles of the named CORDIS slice, 15 s or more for the 15 million of
the full graph)."""

ARTICULATION_BONUS = 0.1
"""Added to the composite score of an organisation whose departure splits the network."""

MAX_MEMBERS = 10
"""Most member ids listed per piece that an articulation point would cut off."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Brokerage:
    """Gould–Fernandez brokerage of one organisation.

    Parameters
    ----------
    group
        The organisation's own group (``str`` of the attribute value; None if missing).
    open_pairs
        Unordered pairs of its partners that are not tied to each other.
    counts
        Brokered ordered pairs per role in :data:`ROLES`, plus ``"total"``
        (``2 * open_pairs``).
    expected, sd
        Mean and standard deviation of each role's count when the group labels of all
        other organisations are shuffled (group sizes kept).
    z
        ``(count - expected) / sd`` per role; None where the shuffle cannot change the
        count (``sd == 0``).
    """

    group: str | None
    open_pairs: int
    counts: dict[str, int]
    expected: dict[str, float]
    sd: dict[str, float]
    z: dict[str, float | None]


@dataclass(frozen=True, slots=True)
class CutOff:
    """A piece of the network that an organisation's departure would cut off.

    Parameters
    ----------
    size
        Number of organisations in the piece.
    members
        Up to :data:`MAX_MEMBERS` of their ids, sorted: all of them for small pieces,
        otherwise those a depth-first search from the departing organisation reaches
        first.
    """

    size: int
    members: tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class ArticulationPoint:
    """An organisation whose departure splits its connected component.

    Parameters
    ----------
    id
        The organisation.
    component_size
        Size of its connected component, itself included.
    remaining
        Size of the largest piece left after it leaves (the piece that stays "the
        network").
    cut_off
        Organisations in all other pieces: cut off from the largest one.
    pieces
        Those other pieces, largest first.
    """

    id: Hashable
    component_size: int
    remaining: int
    cut_off: int
    pieces: tuple[CutOff, ...]


@dataclass(frozen=True, slots=True)
class Bridge:
    """A tie whose removal splits its connected component in two.

    Parameters
    ----------
    u, v
        Its ends, ``u`` first in id order.
    u_side, v_side
        Sizes of the two pieces, the one holding ``u`` and the one holding ``v``.
    """

    u: Hashable
    v: Hashable
    u_side: int
    v_side: int


@dataclass(frozen=True, slots=True)
class BrokerReason:
    """The facts behind a broker's reason, free of language (see :func:`reason_text`).

    Parameters
    ----------
    partners
        Partners per helix role (``"other"`` for a missing role), most numerous first,
        then in helix order.
    themes
        Up to two theme ids its ties share most (both ends work on them).
    open_pairs
        Unordered pairs of its partners that do not work together directly.
    cut_off
        Organisations its departure would cut off.
    """

    partners: dict[str, int]
    themes: tuple[str, ...]
    open_pairs: int
    cut_off: int

    @property
    def code(self) -> str:
        """``"isolated"`` (no ties), ``"works_with"`` (one group) or ``"links"``."""
        if not self.partners:
            return "isolated"
        return "works_with" if len(self.partners) == 1 else "links"


@dataclass(frozen=True, slots=True)
class BrokerRow:
    """Everything :func:`brokers` says about one organisation.

    Parameters
    ----------
    id, name, helix_role
        The organisation (``name`` falls back to the id).
    degree
        Number of partners.
    betweenness, constraint, effective_size
        See :func:`betweenness`, :func:`constraint` and :func:`effective_size`;
        constraint and effective size are None for organisations without partners.
    brokerage, brokerage_z
        Counts per role (and ``"total"``) and z-scores per role, see :func:`brokerage`.
    is_articulation_point, cut_off, cut_off_pieces
        Whether its departure splits the network, how many organisations it would cut
        off and in which pieces, see :func:`articulation_points`.
    score, score_parts
        The composite score and what it is made of (see :func:`brokers`).
    rank
        1 for the highest score.
    reason
        The facts of the reason, from the numbers above: :func:`reason_text` makes the
        sentence.
    """

    id: Hashable
    name: str
    helix_role: str | None
    degree: int
    betweenness: float
    constraint: float | None
    effective_size: float | None
    brokerage: dict[str, int]
    brokerage_z: dict[str, float | None]
    is_articulation_point: bool
    cut_off: int
    cut_off_pieces: tuple[CutOff, ...]
    score: float
    score_parts: dict[str, float]
    rank: int
    reason: BrokerReason


@dataclass(frozen=True, slots=True)
class BrokerReport:
    """The result of :func:`brokers`.

    Parameters
    ----------
    rows
        One row per organisation (or the ``top`` best), by rank.
    bridges
        Every bridge, the most even split first (see :func:`bridges`).
    nodes, edges
        Size of the graph.
    engine
        The engine that ran (``"networkx"`` or ``"igraph"``).
    betweenness_sources
        Sources sampled for betweenness; None when it is exact.
    seed
        The seed of the sample.
    effective_size_weighted
        Whether effective size uses tie weights (otherwise Borgatti's unweighted form).
    group
        The node attribute whose values are the brokerage groups.
    """

    rows: tuple[BrokerRow, ...]
    bridges: tuple[Bridge, ...]
    nodes: int
    edges: int
    engine: str
    betweenness_sources: int | None
    seed: int | None
    effective_size_weighted: bool
    group: str


# --------------------------------------------------------------------------- helpers


def _engine(engine: str) -> Literal["networkx", "igraph"]:
    if engine in ("auto", "igraph"):
        return "igraph"
    if engine == "networkx":
        return "networkx"
    raise ValueError(f"unknown engine {engine!r}: use 'auto', 'networkx' or 'igraph'")


def _order_key(node: Hashable) -> tuple[str, Any]:
    """Sort key for node ids: by type name, then by value (plain order for one type)."""
    return (type(node).__name__, node)


def _sources(degree: Sequence[int], m: int, k: int | None, seed: int | None) -> list[int] | None:
    """Indices of the sampled sources, drawn from the nodes with ties, or None for exact.

    An isolated node is no source of any path, so it is never drawn, and the work of
    the exact computation counts only the nodes with ties.
    """
    active = [i for i, d in enumerate(degree) if d]
    if k is None:
        if len(active) * m <= BETWEENNESS_WORK:
            return None
        k = max(MIN_SOURCES, math.ceil(BETWEENNESS_WORK / (SAMPLED_SOURCE_WORK * max(m, 1))))
    if k < 2:
        raise ValueError(f"k must be at least 2 sources, got {k}")
    if k >= len(active):
        return None
    return sorted(random.Random(seed).sample(active, k))


def _as_float(value: float) -> float | None:
    return None if math.isnan(value) else value


def _triangles_igraph(graph: Any) -> list[int]:
    """Triangles at each vertex of an igraph graph, from its local transitivity."""
    degree = graph.degree()
    local = graph.transitivity_local_undirected(mode="zero")
    return [round(c * d * (d - 1) / 2) for c, d in zip(local, degree, strict=True)]


def _group_ids(G: Any, ix: IndexedGraph, group: str) -> tuple[list[int], list[str | None]]:
    """Each node's group as a small integer, and the label of each integer."""
    values = [G.nodes[node].get(group) for node in ix.nodes]
    labels = sorted({None if v is None else str(v) for v in values}, key=lambda s: (s is None, s))
    code = {label: i for i, label in enumerate(labels)}
    return [code[None if v is None else str(v)] for v in values], labels


# --------------------------------------------------------------------------- betweenness


def betweenness(
    G: Any,
    *,
    weight: str | None = "distance",
    k: int | None = None,
    seed: int | None = 0,
    engine: Engine = "auto",
) -> dict[Hashable, float]:
    r"""Normalised shortest-path betweenness, exact or estimated from sampled sources.

    The betweenness of ``v`` is the share of shortest paths between other pairs that run
    through it,

    .. math::

       c_B(v) = \frac{2}{(n-1)(n-2)} \sum_{\{s, t\},\ v \notin \{s, t\}}
                \frac{\sigma(s, t \mid v)}{\sigma(s, t)},

    with path lengths summed over the edge attribute ``weight`` (``distance`` in the
    collaboration graph: ``1 / weight``, so strong ties are short). Exact, it is
    ``networkx.betweenness_centrality(G, normalized=True, weight=weight)``.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not modified.
    weight
        Edge attribute holding lengths (missing values count as 1); None counts hops.
    k
        Number of sampled sources. None: exact while the nodes with ties times the
        edges stay within :data:`BETWEENNESS_WORK`, otherwise
        ``ceil(BETWEENNESS_WORK / (SAMPLED_SOURCE_WORK * m))`` sources (at least
        :data:`MIN_SOURCES`). A ``k`` of at least the number of nodes with ties is exact.
    seed
        Seed of the sample; with the same ``k`` and seed both engines use the same
        sources.
    engine
        ``"networkx"``, ``"igraph"`` or ``"auto"`` (igraph).

    Returns
    -------
    dict
        Node → betweenness in [0, 1] (an estimate may exceed the exact value).

    Raises
    ------
    ValueError
        For ``k < 2`` or an unknown engine.
    networkx.NetworkXNotImplemented
        For directed graphs and multigraphs.

    Notes
    -----
    Sampling follows Brandes and Pich [2]_: the ``k`` sources are drawn uniformly
    without replacement from the ``N`` nodes with ties
    (``random.Random(seed).sample``), and the dependency :math:`\delta_s(v)` of each
    source on every node is computed exactly. The plain estimate of the sum over all
    sources is ``N`` times the mean over the sample. Here it is corrected by a
    regression on a quantity known for every source at no cost [3]_: the share
    :math:`x_s(v)` of ``v`` among the partners of ``s``, each partner counted by its
    degree divided by the tie's length (the partner a path from ``s`` most likely takes
    first). Per node, with sample means :math:`\bar\delta(v)`, :math:`\bar x(v)`, the
    mean :math:`X(v)` of :math:`x_s(v)` over all ``N`` sources and the least-squares
    slope :math:`\beta_v` of :math:`\delta_s(v)` on :math:`x_s(v)` in the sample,

    .. math::

       \hat c(v) = N \left(\bar\delta(v) + \beta_v \left(X(v) - \bar x(v)\right)\right),

    clipped at 0 (:math:`\beta_v = 0` when no sampled source is a partner of ``v``).
    A broker's betweenness comes largely from the organisations that reach the network
    through it; the correction counts those from all of its partners instead of the few
    in the sample. On the Horizon 2020 graph it finds more of the top 50 than the plain
    mean does in the same CPU time, with fewer sources (BENCHMARKS.md).

    igraph treats path lengths within a relative 1e-10 of each other as equal, networkx
    compares floats exactly; on weights such as ``1 / 3 + 2 / 3`` against ``1`` igraph
    counts both paths (as arithmetic would) and networkx may count one. On the Drenthe
    graph, exact or sampled, the two engines agree to 1e-16.

    Examples
    --------
    >>> import networkx as nx
    >>> betweenness(nx.path_graph(3), weight=None)
    {0: 0.0, 1: 1.0, 2: 0.0}

    References
    ----------
    .. [1] Brandes, U. "A faster algorithm for betweenness centrality."
       Journal of Mathematical Sociology 25(2): 163–177, 2001.
    .. [2] Brandes, U. and Pich, C. "Centrality estimation in large networks."
       International Journal of Bifurcation and Chaos 17(7): 2303–2318, 2007.
    .. [3] Cochran, W. G. "Sampling Techniques", 3rd ed., chapter 7 (the regression
       estimator). Wiley, 1977.
    """
    used = _engine(engine)
    ix = indexed_graph(G, [weight])
    sources = _sources(_degrees(ix), len(ix.edges), k, seed)
    if used == "networkx":
        values = _betweenness_networkx(G, ix, weight, sources)
    else:
        values = _betweenness_igraph(ix, weight, sources)
    return dict(zip(ix.nodes, values, strict=True))


def _degrees(ix: IndexedGraph) -> list[int]:
    degree = [0] * ix.n
    for i, j in ix.edges:
        degree[i] += 1
        degree[j] += 1
    return degree


def _betweenness_networkx(
    G: Any, ix: IndexedGraph, weight: str | None, sources: list[int] | None
) -> list[float]:
    if sources is None:
        exact = nx.betweenness_centrality(G, normalized=True, weight=weight)
        return [float(exact[node]) for node in ix.nodes]
    targets = list(ix.nodes)
    rows = []
    for s in sources:
        # For undirected graphs the subset version halves the sums, as igraph does.
        row = nx.betweenness_centrality_subset(
            G, [ix.nodes[s]], targets, normalized=False, weight=weight
        )
        rows.append([float(row[node]) for node in ix.nodes])
    return _estimate(ix, weight, sources, np.array(rows, dtype=float))


def _betweenness_igraph(
    ix: IndexedGraph, weight: str | None, sources: list[int] | None, graph: Any = None
) -> list[float]:
    n = ix.n
    if n <= 2:
        return [0.0] * n
    graph = to_igraph(ix) if graph is None else graph
    weights = ix.attrs[weight] if weight is not None else None
    if sources is None:
        # igraph sums over unordered pairs; networkx over ordered pairs / ((n-1)(n-2)).
        raw = graph.betweenness(directed=False, weights=weights)
        scale = 2.0 / ((n - 1) * (n - 2))
        return [b * scale for b in raw]
    # From one source igraph halves the sums on undirected graphs, as networkx does.
    rows = np.array(
        [graph.betweenness(directed=False, weights=weights, sources=[s]) for s in sources],
        dtype=float,
    )
    return _estimate(ix, weight, sources, rows)


def _estimate(ix: IndexedGraph, weight: str | None, sources: list[int], rows: Any) -> list[float]:
    """The regression estimate of :func:`betweenness`, normalised, from each sampled
    source's (halved) dependencies ``rows[r]`` on every node."""
    n = ix.n
    if n <= 2:
        return [0.0] * n
    active, total_share, shares = _first_step_shares(ix, weight, sources)
    mean_y, mean_x = rows.mean(axis=0), shares.mean(axis=0)
    dx = shares - mean_x
    sxx = (dx * dx).sum(axis=0)
    sxy = (dx * (rows - mean_y)).sum(axis=0)
    slope = np.divide(sxy, sxx, out=np.zeros(n), where=sxx > 0)
    total = active * (mean_y + slope * (total_share / active - mean_x))
    scale = 2.0 / ((n - 1) * (n - 2))
    return [float(v) for v in np.maximum(total, 0.0) * scale]


def _first_step_shares(
    ix: IndexedGraph, weight: str | None, sources: list[int]
) -> tuple[int, Any, Any]:
    """The number of nodes with ties, each node's first-step share summed over all
    sources, and its share for each sampled source (one row per source).

    The share of ``v`` among the partners of ``s`` is ``deg(v) / length(s, v)`` over the
    sum of that over all partners of ``s``.
    """
    n = ix.n
    edges = np.array(ix.edges, dtype=np.int64).reshape(-1, 2)
    a, b = edges[:, 0], edges[:, 1]
    degree = np.bincount(edges.ravel(), minlength=n).astype(float)
    length = np.array(ix.attrs[weight], dtype=float) if weight is not None else np.ones(len(a))
    positive = length > 0
    # A zero or negative length is the strongest tie there is.
    strongest = 1.0 / length[positive].min() if positive.any() else 1.0
    strength = np.divide(1.0, length, out=np.full(len(a), strongest), where=positive)
    a_to_b, b_to_a = strength * degree[b], strength * degree[a]
    out = np.bincount(a, weights=a_to_b, minlength=n) + np.bincount(b, weights=b_to_a, minlength=n)
    share_ab = np.divide(a_to_b, out[a], out=np.zeros(len(a)), where=out[a] > 0)
    share_ba = np.divide(b_to_a, out[b], out=np.zeros(len(a)), where=out[b] > 0)
    total = np.bincount(b, weights=share_ab, minlength=n) + np.bincount(
        a, weights=share_ba, minlength=n
    )
    row_of = np.full(n, -1)
    row_of[sources] = np.arange(len(sources))
    shares = np.zeros((len(sources), n))
    from_a, from_b = row_of[a] >= 0, row_of[b] >= 0
    shares[row_of[a[from_a]], b[from_a]] = share_ab[from_a]
    shares[row_of[b[from_b]], a[from_b]] = share_ba[from_b]
    return int(np.count_nonzero(degree)), total, shares


# --------------------------------------------------------------------------- ego pass


@dataclass(slots=True)
class _EgoPass:
    """Per-node sums over the triangles and open pairs of each ego network.

    ``constraint`` and ``redundancy`` are empty unless weighted sums were asked for,
    ``closed`` unless groups were given.
    """

    triangles: list[int]
    cherries: list[int]  # pairs of open pairs sharing a partner (for the G–F variance)
    constraint: list[float | None]
    redundancy: list[float]
    closed: list[list[int]]  # ordered closed pairs per role, as in ROLES


def _group_members(groups: Sequence[int]) -> list[frozenset[int]]:
    by_group: dict[int, set[int]] = {}
    for node, g in enumerate(groups):
        by_group.setdefault(g, set()).add(node)
    return [frozenset(by_group.get(g, ())) for g in range(max(groups, default=-1) + 1)]


def _add_closed(
    closed: list[list[int]],
    members: Sequence[frozenset[int]],
    groups: Sequence[int],
    edge: tuple[int, int],
    common: frozenset[int],
) -> None:
    """Count the closed ordered pairs ``(a, c)`` at each end ``b`` of the edge ``b–a``."""
    coord, itin, rep, gate, liaison = closed
    u, v = edge
    t = len(common)
    gu, gv = groups[u], groups[v]
    cu = len(common & members[gu]) if t else 0
    if gu == gv:  # a is in b's group: c in it too (coordinator) or not (representative)
        for b in edge:
            coord[b] += cu
            rep[b] += t - cu
        return
    cv = len(common & members[gv]) if t else 0
    # a is outside b's group: c in b's group, in a's, or in a third
    gate[u] += cu
    itin[u] += cv
    gate[v] += cv
    itin[v] += cu
    liaison[u] += t - cu - cv
    liaison[v] += t - cu - cv


def _ego_pass(
    ix: IndexedGraph,
    weight: str | None,
    *,
    sums: bool,
    groups: list[int] | None,
) -> _EgoPass:
    """One pass over the edges, intersecting the two ends' neighbour sets.

    Work is the sum over edges of the smaller degree plus, for ``sums`` and ``groups``,
    a constant per (edge, common neighbour) pair: the triangles, not the two-paths.
    """
    n = ix.n
    adj = ix.weighted_adjacency(weight)
    sets = [frozenset(a) for a in adj]
    degree = [len(a) for a in adj]
    inv_strength = [1.0 / s if (s := sum(a.values())) else 0.0 for a in adj]
    inv_max = [1.0 / m if (m := max(a.values(), default=0.0)) else 0.0 for a in adj]
    twice_triangles = [0] * n
    cherries = [0] * n
    csum = [0.0] * n
    red = [0.0] * n
    closed = [[0] * n for _ in ROLES] if groups is not None else []
    members = _group_members(groups) if groups is not None else []
    for edge in ix.edges:
        u, v = edge
        common = sets[u] & sets[v]
        t = len(common)
        twice_triangles[u] += t
        twice_triangles[v] += t
        x = degree[u] - 1 - t
        y = degree[v] - 1 - t
        cherries[u] += x * (x - 1) // 2
        cherries[v] += y * (y - 1) // 2
        if sums:
            au, av = adj[u], adj[v]
            y_sum = z_sum = 0.0
            if t:
                products = list(map(mul, map(au.__getitem__, common), map(av.__getitem__, common)))
                y_sum = sum(products)
                z_sum = sum(map(mul, products, map(inv_strength.__getitem__, common)))
            red[u] += y_sum * inv_max[v]
            red[v] += y_sum * inv_max[u]
            direct = (au[v] + z_sum) ** 2
            csum[u] += direct
            csum[v] += direct
        if groups is not None:
            _add_closed(closed, members, groups, edge, common)
    return _EgoPass(
        triangles=[t // 2 for t in twice_triangles],
        cherries=cherries,
        constraint=(
            [
                (c * inv * inv if d else None)
                for c, inv, d in zip(csum, inv_strength, degree, strict=True)
            ]
            if sums
            else []
        ),
        redundancy=[r * inv for r, inv in zip(red, inv_strength, strict=True)] if sums else [],
        closed=closed,
    )


# --------------------------------------------------------------------------- structural holes


def constraint(
    G: Any, *, weight: str | None = "weight", engine: Engine = "auto"
) -> dict[Hashable, float | None]:
    r"""Burt's constraint: how much an organisation's partners are tied to each other.

    With ``p[u][v] = w(u, v) / sum_x w(u, x)`` the share of ``u``'s tie strength that
    goes to ``v``,

    .. math::

       c(u) = \sum_{v \in N(u)} \Big( p_{uv} + \sum_{q \in N(u) \cap N(v)} p_{uq}\, p_{qv} \Big)^2 .

    Low constraint means partners who are not tied to each other: room to broker.
    Exactly ``networkx.constraint(G, weight=weight)`` on graphs without self-loops.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not modified.
    weight
        Edge attribute holding tie strength (missing values count as 1); None: all 1.
    engine
        ``"networkx"`` (pure Python over the triangles), ``"igraph"``
        (``Graph.constraint``) or ``"auto"`` (igraph).

    Returns
    -------
    dict
        Node → constraint; None for nodes without partners (networkx gives nan).

    Notes
    -----
    The pure-Python engine computes ``c(u) = sum_v (w(u, v) + Z(u, v))^2 / s(u)^2`` with
    ``s(u)`` the strength of ``u`` and ``Z(u, v) = sum_q w(u, q) w(q, v) / s(q)`` over
    the common partners ``q`` — one set intersection per edge, work proportional to the
    triangles. igraph walks every two-path (the sum of squared degrees): faster per step,
    more steps. On the CORDIS graph (15 million triangles, 750 million two-paths) igraph
    takes 7 s and the pure-Python pass about three times as long. Self-loops are ignored.

    Examples
    --------
    >>> import networkx as nx
    >>> constraint(nx.star_graph(4), weight=None)
    {0: 0.25, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}

    References
    ----------
    .. [1] Burt, R. S. *Structural Holes: The Social Structure of Competition.*
       Harvard University Press, 1992.
    .. [2] Burt, R. S. "Structural holes and good ideas." American Journal of
       Sociology 110(2): 349–399, 2004.
    """
    used = _engine(engine)
    ix = indexed_graph(G, [weight])
    if used == "networkx":
        values = _ego_pass(ix, weight, sums=True, groups=None).constraint
    else:
        values = _constraint_igraph(ix, weight)
    return dict(zip(ix.nodes, values, strict=True))


def _constraint_igraph(
    ix: IndexedGraph, weight: str | None, graph: Any = None
) -> list[float | None]:
    graph = to_igraph(ix) if graph is None else graph
    weights = ix.attrs[weight] if weight is not None else None
    return [_as_float(c) for c in graph.constraint(weights=weights)]


def effective_size(
    G: Any, *, weight: str | None = "weight", engine: Engine = "auto"
) -> dict[Hashable, float | None]:
    r"""Burt's effective size: partners minus their redundancy with each other.

    .. math::

       e(u) = \sum_{v \in N(u)} \Big( 1 - \sum_{w \in N(u)} p_{uw}\, m_{vw} \Big)

    with ``p[u][w] = w(u, w) / sum_x w(u, x)`` and ``m[v][w] = w(v, w) / max_x w(v, x)``.
    Exactly ``networkx.effective_size(G, weight=weight)`` on graphs without self-loops.
    Without weights it is Borgatti's ``deg(u) - 2 t(u) / deg(u)``, ``t(u)`` the ties
    among the partners of ``u``.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not modified.
    weight
        Edge attribute holding tie strength (missing values count as 1); None for
        Borgatti's unweighted form.
    engine
        Counts triangles for the unweighted form (``"networkx"``: pure Python,
        ``"igraph"``/``"auto"``: igraph). The weighted form is always pure Python.

    Returns
    -------
    dict
        Node → effective size; None for nodes without partners (networkx gives nan).

    Notes
    -----
    networkx's own function builds a dense n × n matrix when scipy is present (6 GB at
    20k nodes) and copies the graph per node otherwise. Here the redundancy is summed
    per edge ``(u, v)`` over the common partners ``w``: ``Y(u, v) = sum_w w(u, w) w(v, w)``
    and ``e(u) = deg(u) - sum_v Y(u, v) / (s(u) x(v))``, with ``s(u)`` the strength of
    ``u`` and ``x(v)`` the largest weight of ``v``: work proportional to the triangles
    (about 20 s in pure Python for the 15 million triangles of the CORDIS graph, which is
    why :func:`brokers` falls back to the unweighted form there). Self-loops are ignored.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (0, 2), (1, 2), (2, 3)])
    >>> effective_size(G, weight=None)
    {0: 1.0, 1: 1.0, 2: 2.3333333333333335, 3: 1.0}

    References
    ----------
    .. [1] Burt, R. S. *Structural Holes: The Social Structure of Competition.*
       Harvard University Press, 1992.
    .. [2] Borgatti, S. P. "Structural holes: unpacking Burt's redundancy measures."
       Connections 20(1): 35–38, 1997.
    """
    used = _engine(engine)
    ix = indexed_graph(G, [weight])
    degree = [0] * ix.n
    for u, v in ix.edges:
        degree[u] += 1
        degree[v] += 1
    if weight is not None:
        red = _ego_pass(ix, weight, sums=True, groups=None).redundancy
        values = [(d - r if d else None) for d, r in zip(degree, red, strict=True)]
    else:
        if used == "igraph":
            triangles = _triangles_igraph(to_igraph(ix))
        else:
            triangles = _ego_pass(ix, None, sums=False, groups=None).triangles
        values = _borgatti(degree, triangles)
    return dict(zip(ix.nodes, values, strict=True))


def _borgatti(degree: Sequence[int], triangles: Sequence[int]) -> list[float | None]:
    return [(d - 2 * t / d if d else None) for d, t in zip(degree, triangles, strict=True)]


# --------------------------------------------------------------------------- brokerage


def _falling(x: int, k: int) -> int:
    result = 1
    for i in range(k):
        result *= x - i
    return result


def _ratio(a: int, b: int) -> Fraction:
    return Fraction(a, b) if b else Fraction(0)


@dataclass(frozen=True, slots=True)
class _Moments:
    """Per open pair: the mean of a role's count, and the covariance terms."""

    mean: float
    same: float  # Var of one pair's contribution
    shared: float  # covariance of two open pairs sharing a partner
    disjoint: float  # covariance of two open pairs on four distinct partners


def _role_moments(sizes: Sequence[int], own: int) -> dict[str, _Moments]:
    """Exact moments under shuffled labels for a broker in group ``own``.

    The other ``M = N - 1`` organisations carry the remaining labels in a uniformly
    random order. A role's count is the sum over open (unordered) pairs ``{a, c}`` of
    ``h(L_a, L_c)``, the number of ordered pairs it contributes; joint probabilities of
    labels on 2–4 distinct organisations are ratios of falling factorials.
    """
    others = [s for g, s in enumerate(sizes) if g != own]
    o = sizes[own] - 1
    r = sum(others)
    m = o + r
    s2 = sum(_falling(s, 2) for s in others)
    s3 = sum(_falling(s, 3) for s in others)
    s4 = sum(_falling(s, 4) for s in others)
    pairs_of_pairs = s2 * s2 - sum(_falling(s, 2) ** 2 for s in others) + s4
    m2, m3, m4 = _falling(m, 2), _falling(m, 3), _falling(m, 4)
    # (E[h], E[h^2]) on two, E[h(s,x) h(s,y)] on three, E[h(1,2) h(3,4)] on four nodes
    table = {
        "coordinator": (
            _ratio(2 * _falling(o, 2), m2),
            _ratio(4 * _falling(o, 2), m2),
            _ratio(4 * _falling(o, 3), m3),
            _ratio(4 * _falling(o, 4), m4),
        ),
        "itinerant": (
            _ratio(2 * s2, m2),
            _ratio(4 * s2, m2),
            _ratio(4 * s3, m3),
            _ratio(4 * pairs_of_pairs, m4),
        ),
        "representative": (
            _ratio(2 * o * r, m2),
            _ratio(2 * o * r, m2),
            _ratio(o * _falling(r, 2) + r * _falling(o, 2), m3),
            _ratio(4 * o * r * (o - 1) * (r - 1), m4),
        ),
        "liaison": (
            _ratio(2 * (_falling(r, 2) - s2), m2),
            _ratio(4 * (_falling(r, 2) - s2), m2),
            _ratio(4 * sum(s * _falling(r - s, 2) for s in others), m3),
            _ratio(4 * (_falling(r, 4) - 2 * s2 * _falling(r - 2, 2) + pairs_of_pairs), m4),
        ),
    }
    table["gatekeeper"] = table["representative"]
    moments = {}
    for role, (mean, square, three, four) in table.items():
        mu2 = mean * mean
        moments[role] = _Moments(
            mean=float(mean),
            same=float(square - mu2),
            shared=float(three - mu2),
            disjoint=float(four - mu2),
        )
    return moments


def _brokerage_rows(
    ix: IndexedGraph,
    groups: list[int],
    labels: list[str | None],
    triangles: Sequence[int],
    cherries: Sequence[int],
    closed: Sequence[Sequence[int]],
    neighbour_groups: Sequence[Counter[int]],
) -> list[Brokerage]:
    sizes = [0] * len(labels)
    for g in groups:
        sizes[g] += 1
    moments = {g: _role_moments(sizes, g) for g in range(len(labels)) if sizes[g]}
    rows = []
    for b in range(ix.n):
        g = groups[b]
        counter = neighbour_groups[b]
        d = sum(counter.values())
        k_own = counter.get(g, 0)
        k_out = d - k_own
        same_out = sum(c * (c - 1) for x, c in counter.items() if x != g)
        squares_out = sum(c * c for x, c in counter.items() if x != g)
        every = {
            "coordinator": k_own * (k_own - 1),
            "itinerant": same_out,
            "representative": k_own * k_out,
            "gatekeeper": k_out * k_own,
            "liaison": k_out * k_out - squares_out,
        }
        counts = {role: every[role] - closed[i][b] for i, role in enumerate(ROLES)}
        open_pairs = d * (d - 1) // 2 - triangles[b]
        counts["total"] = 2 * open_pairs
        p2 = cherries[b]
        disjoint = open_pairs * (open_pairs - 1) // 2 - p2
        expected: dict[str, float] = {}
        sd: dict[str, float] = {}
        z: dict[str, float | None] = {}
        for role in ROLES:
            mom = moments[g][role]
            mean = open_pairs * mom.mean
            var = open_pairs * mom.same + 2 * p2 * mom.shared + 2 * disjoint * mom.disjoint
            spread = math.sqrt(var) if var > 0 else 0.0
            expected[role] = mean
            sd[role] = spread
            z[role] = (counts[role] - mean) / spread if spread > 0 else None
        rows.append(
            Brokerage(
                group=labels[g],
                open_pairs=open_pairs,
                counts=counts,
                expected=expected,
                sd=sd,
                z=z,
            )
        )
    return rows


def _neighbour_groups(nbrs: Sequence[Sequence[int]], groups: Sequence[int]) -> list[Counter[int]]:
    return [Counter(map(groups.__getitem__, row)) for row in nbrs]


def _closed_igraph(
    ix: IndexedGraph, graph: Any, groups: Sequence[int], triangles: Sequence[int]
) -> tuple[list[list[int]], list[int]]:
    """Closed ordered pairs per role, and cherries, from igraph's triangle counts.

    For a group ``h``: in the graph of edges with at least one end in ``h`` a node
    outside ``h`` keeps exactly its triangles with both partners in ``h``, and a node in
    ``h`` loses those with neither partner in ``h``; in the graph induced by ``h`` a node
    in ``h`` keeps those with both partners in ``h``.
    """
    n = ix.n
    n_groups = max(groups, default=-1) + 1
    own_own = [0] * n  # triangles with both partners in the broker's group
    own_any = [0] * n  # ... with at least one
    same_other = [0] * n  # ... with both in one other group
    touching: list[list[int]] = [[] for _ in range(n_groups)]
    inside: list[list[int]] = [[] for _ in range(n_groups)]
    for e, (i, j) in enumerate(ix.edges):
        a, b = groups[i], groups[j]
        touching[a].append(e)
        if a == b:
            inside[a].append(e)
        else:
            touching[b].append(e)
    for h in range(n_groups):
        t_touching = _triangles_igraph(graph.subgraph_edges(touching[h], delete_vertices=False))
        t_inside = _triangles_igraph(graph.subgraph_edges(inside[h], delete_vertices=False))
        for b in range(n):
            if groups[b] == h:
                own_own[b] = t_inside[b]
                own_any[b] = t_touching[b]
            else:
                same_other[b] += t_touching[b]
    one_own = [a - o for a, o in zip(own_any, own_own, strict=True)]
    closed = [
        [2 * t for t in own_own],
        [2 * t for t in same_other],
        one_own,
        list(one_own),
        [2 * (t - a - s) for t, a, s in zip(triangles, own_any, same_other, strict=True)],
    ]
    # Common partners of each edge's ends, from the Jaccard index of their neighbourhoods.
    degree = graph.degree()
    jaccard = graph.similarity_jaccard(pairs=ix.edges, loops=False)
    cherries = [0] * n
    for (u, v), j in zip(ix.edges, jaccard, strict=True):
        t = round(j * (degree[u] + degree[v]) / (1 + j))
        x = degree[u] - 1 - t
        y = degree[v] - 1 - t
        cherries[u] += x * (x - 1) // 2
        cherries[v] += y * (y - 1) // 2
    return closed, cherries


def brokerage(
    G: Any, *, group: str = "helix_role", engine: Engine = "auto"
) -> dict[Hashable, Brokerage]:
    r"""Gould and Fernandez's brokerage roles between groups, with z-scores.

    ``b`` brokers between ``a`` and ``c`` when both are its partners but not each
    other's (an open triad ``a – b – c``). With ``g(x)`` the group of ``x`` (the node
    attribute ``group``; the primary helix role by default) the brokered pair is:

    * coordinator: ``g(a) = g(b) = g(c)``;
    * itinerant (consultant): ``g(a) = g(c) != g(b)``;
    * representative: ``g(a) = g(b) != g(c)``, for the direction ``a -> b -> c``;
    * gatekeeper: ``g(a) != g(b) = g(c)``, for the direction ``a -> b -> c``;
    * liaison: ``g(a)``, ``g(b)`` and ``g(c)`` all different.

    Ties are undirected, so every open pair is counted in both directions, as
    ``sna::brokerage`` does on a symmetric adjacency matrix: an all-same or itinerant
    or liaison pair counts 2, and a pair with ``g(a) = g(b) != g(c)`` counts once as
    representative (``a -> b -> c``) and once as gatekeeper (``c -> b -> a``), so the
    two are always equal and the roles add up to twice the open pairs.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not modified.
    group
        Node attribute naming each node's group; nodes without it form one group.
    engine
        ``"networkx"`` (pure Python set intersections), ``"igraph"`` (triangle counts on
        group subgraphs) or ``"auto"`` (igraph).

    Returns
    -------
    dict
        Node → :class:`Brokerage`.

    Notes
    -----
    The z-scores compare each count with its distribution when the group labels of all
    other nodes are shuffled at random: group sizes, the graph and the broker's own group
    stay, so the broker's open pairs stay and only who sits at their ends changes (the
    random-membership idea of Gould and Fernandez, conditional on the observed
    structure). Mean and variance are exact, not simulated: a role's count is a sum of
    ``h(g(a), g(c))`` over the open pairs; its mean is the number of open pairs times
    the mean of ``h`` on two random labels, and its variance adds the covariances of
    pairs that share a partner (counted from each partner's open pairs) and of disjoint
    pairs — all ratios of falling factorials of the group sizes. The tests check them
    against every permutation of the labels on small graphs. ``sna::brokerage`` uses a
    different null, a Bernoulli graph of the observed density, under which the number
    of open pairs varies too; its z-scores grow with degree where these do not.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, {0: "a", 1: "a", 2: "b"}, "helix_role")
    >>> counts = brokerage(G)[1].counts
    >>> [counts[role] for role in ROLES], counts["total"]
    ([0, 0, 1, 1, 0], 2)

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. "Structures of mediation: a formal approach
       to brokerage in transaction networks." Sociological Methodology 19: 89–126, 1989.
    .. [2] Butts, C. T. sna: Tools for Social Network Analysis, function ``brokerage``.
       https://CRAN.R-project.org/package=sna
    """
    used = _engine(engine)
    ix = indexed_graph(G)
    groups, labels = _group_ids(G, ix, group)
    neighbour_groups = _neighbour_groups(ix.neighbours(), groups)
    if used == "networkx":
        ego = _ego_pass(ix, None, sums=False, groups=groups)
        triangles, cherries, closed = ego.triangles, ego.cherries, ego.closed
    else:
        graph = to_igraph(ix)
        triangles = _triangles_igraph(graph)
        closed, cherries = _closed_igraph(ix, graph, groups, triangles)
    rows = _brokerage_rows(ix, groups, labels, triangles, cherries, closed, neighbour_groups)
    return dict(zip(ix.nodes, rows, strict=True))


# --------------------------------------------------------------------------- cut points


@dataclass(slots=True)
class _Dfs:
    """Depth-first search forest with discovery order, low points and subtree sizes."""

    order: list[int]  # nodes in discovery (pre-)order
    disc: list[int]  # position of each node in ``order``
    low: list[int]
    size: list[int]
    parent: list[int]
    children: list[list[int]]
    component: list[tuple[int, int]]  # per node: its component's slice of ``order``


def _dfs(nbrs: Sequence[Sequence[int]]) -> _Dfs:
    n = len(nbrs)
    disc = [-1] * n
    low = [0] * n
    size = [1] * n
    parent = [-1] * n
    children: list[list[int]] = [[] for _ in range(n)]
    order: list[int] = []
    component = [(0, 0)] * n
    for root in range(n):
        if disc[root] != -1:
            continue
        start = len(order)
        disc[root] = low[root] = start
        order.append(root)
        stack = [(root, iter(nbrs[root]))]
        while stack:
            v, neighbours = stack[-1]
            for w in neighbours:
                if disc[w] == -1:
                    parent[w] = v
                    children[v].append(w)
                    disc[w] = low[w] = len(order)
                    order.append(w)
                    stack.append((w, iter(nbrs[w])))
                    break
                if w != parent[v] and disc[w] < low[v]:
                    low[v] = disc[w]
            else:
                stack.pop()
                if stack:
                    p = stack[-1][0]
                    size[p] += size[v]
                    low[p] = min(low[p], low[v])
        span = (start, len(order))
        for node in order[start:]:
            component[node] = span
    return _Dfs(order, disc, low, size, parent, children, component)


def _members(
    nodes: Sequence[Hashable], order: Sequence[int], spans: Iterable[tuple[int, int]]
) -> tuple[Hashable, ...]:
    picked: list[Hashable] = []
    for start, stop in spans:
        for position in range(start, stop):
            picked.append(nodes[order[position]])
            if len(picked) == MAX_MEMBERS:
                break
        if len(picked) == MAX_MEMBERS:
            break
    return tuple(sorted(picked, key=_order_key))


def _articulation(ix: IndexedGraph, dfs: _Dfs) -> dict[int, ArticulationPoint]:
    result: dict[int, ArticulationPoint] = {}
    order, disc, low, size = dfs.order, dfs.disc, dfs.low, dfs.size
    for v in range(ix.n):
        start, stop = dfs.component[v]
        is_root = dfs.parent[v] == -1
        split = [c for c in dfs.children[v] if is_root or low[c] >= disc[v]]
        if len(split) < (2 if is_root else 1):
            continue
        # (size, spans of ``order`` holding its members) per piece, the parent's first
        pieces: list[tuple[int, list[tuple[int, int]]]] = []
        if not is_root:
            gaps, cursor = [], start
            for c in [v, *split]:
                gaps.append((cursor, disc[c]))
                cursor = disc[c] + (size[c] if c != v else 1)
            gaps.append((cursor, stop))
            # the parent's piece: the component minus v and the split-off subtrees
            rest = (stop - start) - 1 - sum(size[c] for c in split)
            pieces.append((rest, [(a, b) for a, b in gaps if a < b]))
        pieces.extend((size[c], [(disc[c], disc[c] + size[c])]) for c in split)
        largest = max(range(len(pieces)), key=lambda i: (pieces[i][0], -i))
        cut = [
            CutOff(size=s, members=_members(ix.nodes, order, spans))
            for i, (s, spans) in enumerate(pieces)
            if i != largest
        ]
        cut.sort(key=lambda c: (-c.size, [_order_key(m) for m in c.members]))
        result[v] = ArticulationPoint(
            id=ix.nodes[v],
            component_size=stop - start,
            remaining=pieces[largest][0],
            cut_off=sum(c.size for c in cut),
            pieces=tuple(cut),
        )
    return result


def articulation_points(G: Any) -> dict[Hashable, ArticulationPoint]:
    """Organisations whose departure splits their part of the network, and whom it cuts off.

    An articulation point is a node whose removal leaves its connected component in
    two or more pieces. The largest piece is taken to stay "the network"; the others
    are cut off from it.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not modified.

    Returns
    -------
    dict
        Articulation point → :class:`ArticulationPoint`, in the graph's node order.

    Notes
    -----
    One iterative depth-first search (Hopcroft and Tarjan): a child ``c`` of ``v`` whose
    subtree reaches no higher than ``v`` (``low[c] >= disc[v]``) is a piece on its own;
    the rest of the component (above ``v`` and in subtrees that climb past it) is one
    more. Linear in nodes and edges. Of pieces of equal size the one found first stays.
    Self-loops are ignored.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    >>> point = articulation_points(G)["c"]
    >>> point.remaining, point.cut_off, point.pieces[0].members
    (2, 1, ('d',))

    References
    ----------
    .. [1] Hopcroft, J. and Tarjan, R. "Algorithm 447: efficient algorithms for graph
       manipulation." Communications of the ACM 16(6): 372–378, 1973.
    """
    ix = indexed_graph(G)
    found = _articulation(ix, _dfs(ix.neighbours()))
    return {ix.nodes[v]: point for v, point in sorted(found.items())}


def _bridges(ix: IndexedGraph, dfs: _Dfs) -> list[Bridge]:
    found = []
    for c in range(ix.n):
        p = dfs.parent[c]
        if p == -1 or dfs.low[c] <= dfs.disc[p]:
            continue
        start, stop = dfs.component[c]
        below, above = dfs.size[c], (stop - start) - dfs.size[c]
        a, b = ix.nodes[p], ix.nodes[c]
        if _order_key(b) < _order_key(a):
            a, b, above, below = b, a, below, above
        found.append(Bridge(u=a, v=b, u_side=above, v_side=below))
    found.sort(key=lambda x: (-min(x.u_side, x.v_side), _order_key(x.u), _order_key(x.v)))
    return found


def bridges(G: Any) -> list[Bridge]:
    """Ties whose removal splits the network, with the sizes of the two sides.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, not modified.

    Returns
    -------
    list of Bridge
        Sorted by the smaller side, largest first (the most even, most consequential
        split first), then by ids.

    Notes
    -----
    A tree edge ``(p, c)`` of a depth-first search is a bridge when nothing below ``c``
    reaches back to ``p`` or above (``low[c] > disc[p]``); the ``c`` side is the subtree
    of ``c``. Linear in nodes and edges. Self-loops are ignored.

    Examples
    --------
    >>> import networkx as nx
    >>> bridges(nx.Graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 4)]))
    [Bridge(u=2, v=3, u_side=3, v_side=2), Bridge(u=3, v=4, u_side=4, v_side=1)]

    References
    ----------
    .. [1] Tarjan, R. E. "A note on finding the bridges of a graph." Information
       Processing Letters 2(6): 160–161, 1974.
    """
    ix = indexed_graph(G)
    return _bridges(ix, _dfs(ix.neighbours()))


# --------------------------------------------------------------------------- reasons

_ROLE_ORDER = {str(role): i for i, role in enumerate(HelixRole)}
_OTHER = "other"
_MAX_THEMES = 2


def _shared_themes(
    themes: Sequence[frozenset[str]], neighbours: Iterable[int], own: int
) -> tuple[str, ...]:
    """The themes most of the organisation's ties share (both ends work on them)."""
    mine = themes[own]
    if not mine:
        return ()
    tally: Counter[str] = Counter()
    for other in neighbours:
        tally.update(mine & themes[other])
    ranked = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return tuple(theme for theme, _ in ranked[:_MAX_THEMES])


def _reason(
    partners: Counter[str | None], themes: tuple[str, ...], open_pairs: int, cut_off: int
) -> BrokerReason:
    ranked = sorted(
        partners.items(),
        key=lambda item: (
            -item[1],
            _ROLE_ORDER.get(item[0] or "", len(_ROLE_ORDER)),
            item[0] or "",
        ),
    )
    by_role: dict[str, int] = {}
    for role, count in ranked:
        key = role if role in _ROLE_ORDER else _OTHER
        by_role[key] = by_role.get(key, 0) + count
    return BrokerReason(partners=by_role, themes=themes, open_pairs=open_pairs, cut_off=cut_off)


def reason_text(
    name: str,
    reason: BrokerReason,
    lang: Language = "nl",
    theme_names: Mapping[str, str] | None = None,
) -> str:
    """One sentence saying why an organisation brokers, in ``lang``.

    Parameters
    ----------
    name
        The organisation's name.
    reason
        The facts (:attr:`BrokerRow.reason`).
    lang
        ``"nl"`` (default) or ``"en"``: the texts come from the catalogue
        (``broker.reason.*``, ``count.role.*``).
    theme_names
        Theme id to the name the agenda gives it; an unknown id is shown as it is.

    Examples
    --------
    >>> import textwrap
    >>> reason = BrokerReason({"industry": 3}, ("theme-x",), open_pairs=3, cut_off=2)
    >>> print(textwrap.fill(reason_text("Hub", reason, "nl", {"theme-x": "Food"}), 80))
    Hub werkt samen met 3 bedrijven binnen het thema ‘Food’, en overbrugt 3 paren
    partners die niet rechtstreeks samenwerken; bij vertrek raken 2 organisaties los
    van het netwerk.
    >>> print(textwrap.fill(reason_text("Hub", reason, "en"), 80))
    Hub works with 3 companies on the theme ‘theme-x’, bridging 3 pairs of partners
    that do not work together directly; its departure would cut off 2 organisations.
    """
    names = theme_names or {}
    if reason.code == "isolated":
        return t(lang, "broker.reason.isolated", name=name) + "."
    parts = [t(lang, f"count.role.{role}", n=count) for role, count in reason.partners.items()]
    if len(parts) == 1:
        text = t(lang, "broker.reason.works_with", name=name, partners=parts[0])
    else:
        rest = listing(parts[1:], lang, limit=len(parts))
        text = t(lang, "broker.reason.links", name=name, first=parts[0], rest=rest)
    if reason.themes:
        quoted = [f"‘{names.get(theme, theme)}’" for theme in reason.themes]
        text += t(lang, "broker.reason.themes", n=len(quoted), themes=listing(quoted, lang))
    if reason.open_pairs:
        text += t(lang, "broker.reason.open_pairs", n=reason.open_pairs)
    elif sum(reason.partners.values()) >= 2:
        text += t(lang, "broker.reason.closed")
    if reason.cut_off:
        text += t(lang, "broker.reason.cut_off", n=reason.cut_off)
    return text + "."


# --------------------------------------------------------------------------- ranking


def _percentiles(raw: Sequence[float]) -> list[float]:
    """Mid-rank percentile of each value: (below + equal / 2) / n.

    Values are compared to 12 significant digits, so that rounding noise (engines agree
    to about 1e-16, not exactly) neither breaks nor makes ties.
    """
    values = [float(f"{x:.12g}") for x in raw]
    n = len(values)
    order = sorted(range(n), key=values.__getitem__)
    result = [0.0] * n
    i = 0
    while i < n:
        j = i
        while j < n and values[order[j]] == values[order[i]]:
            j += 1
        share = (i + (j - i) / 2) / n
        for position in range(i, j):
            result[order[position]] = share
        i = j
    return result


def brokers(
    G: Any,
    *,
    engine: Engine = "auto",
    k: int | None = None,
    seed: int | None = 0,
    top: int | None = None,
    group: str = "helix_role",
    weighted_effective_size: bool | None = None,
) -> BrokerReport:
    """Who holds the network together: every broker measure, a ranking and a reason.

    For each organisation: betweenness over strongest-tie paths (:func:`betweenness`,
    ``distance``), Burt's constraint and effective size (:func:`constraint`,
    :func:`effective_size`, ``weight``), Gould–Fernandez brokerage between helix groups
    (:func:`brokerage`), and whether its departure would split the network
    (:func:`articulation_points`); then a composite score, a rank and one sentence
    saying why. The bridges of the network come with it.

    Parameters
    ----------
    G : networkx.Graph
        A collaboration graph (:func:`analytics.projection.collaboration_graph`): edge
        attributes ``weight`` and ``distance``, node attributes ``name``, ``helix_role``
        and ``themes`` (any missing attribute is tolerated). Not modified.
    engine
        ``"networkx"``, ``"igraph"`` or ``"auto"`` (igraph).
    k, seed
        Betweenness sample size and seed (see :func:`betweenness`; ``k=None`` is exact
        up to :data:`BETWEENNESS_WORK`).
    top
        Keep only this many rows (all when None).
    group
        Node attribute of the brokerage groups.
    weighted_effective_size
        Use tie weights in effective size. None: always with the networkx engine; with
        igraph while the graph has at most
        :data:`WEIGHTED_EFFECTIVE_SIZE_MAX_TRIANGLES` triangles, else Borgatti's
        unweighted form (recorded in the report).

    Returns
    -------
    BrokerReport

    Notes
    -----
    The composite score is the mean of four mid-rank percentiles over all
    organisations — betweenness, effective size, constraint reversed (low constraint
    ranks high) and the total Gould–Fernandez brokerage count — plus
    :data:`ARTICULATION_BONUS` for an articulation point; it lies in [0, 1.1]. Missing
    values (constraint and effective size without partners) rank lowest. Rows are
    sorted by score (descending), then id (ascending). ``score_parts`` keeps the four
    percentiles and the bonus.

    The reason holds the helix groups of the partners (most numerous first), up to two
    themes its ties share (the ``themes`` both ends work on), the unordered pairs of
    partners it brokers, and how many its departure would cut off;
    :func:`reason_text` words it in Dutch or English.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("hub", name="Hub", helix_role="knowledge")
    >>> for leaf in ("a", "b", "c"):
    ...     G.add_node(leaf, name=leaf.upper(), helix_role="industry")
    ...     G.add_edge("hub", leaf, weight=1.0, distance=1.0)
    >>> report = brokers(G)
    >>> report.rows[0].id, report.rows[0].rank, report.rows[0].cut_off
    ('hub', 1, 2)
    >>> report.rows[0].reason
    BrokerReason(partners={'industry': 3}, themes=(), open_pairs=3, cut_off=2)
    >>> import textwrap
    >>> print(textwrap.fill(reason_text("Hub", report.rows[0].reason, "en"), 80))
    Hub works with 3 companies, bridging 3 pairs of partners that do not work
    together directly; its departure would cut off 2 organisations.

    References
    ----------
    .. [1] Burt, R. S. "Structural holes and good ideas." American Journal of
       Sociology 110(2): 349–399, 2004.
    .. [2] Gould, R. V. and Fernandez, R. M. "Structures of mediation."
       Sociological Methodology 19: 89–126, 1989.
    """
    used = _engine(engine)
    if top is not None and top < 0:
        raise ValueError(f"top must be at least 0, got {top}")
    ix = indexed_graph(G, ["weight", "distance"])
    nbrs = ix.neighbours()
    sources = _sources([len(row) for row in nbrs], len(ix.edges), k, seed)
    measures = _measures(G, ix, nbrs, used, sources, seed, group, weighted_effective_size)
    dfs = _dfs(nbrs)
    cut_points = _articulation(ix, dfs)
    parts = _score_parts(measures)
    scores = [
        sum(p[i] for p in parts.values()) / len(parts)
        + (ARTICULATION_BONUS if i in cut_points else 0.0)
        for i in range(ix.n)
    ]
    ranked = sorted(range(ix.n), key=lambda i: (-scores[i], _order_key(ix.nodes[i])))
    rows = []
    for rank, i in enumerate(ranked[:top] if top is not None else ranked, start=1):
        point = cut_points.get(i)
        bonus = ARTICULATION_BONUS if point is not None else 0.0
        rows.append(
            _row(
                G,
                ix.nodes[i],
                measures,
                i,
                point,
                score=scores[i],
                score_parts={
                    **{key: p[i] for key, p in parts.items()},
                    "articulation_bonus": bonus,
                },
                rank=rank,
            )
        )
    return BrokerReport(
        rows=tuple(rows),
        bridges=tuple(_bridges(ix, dfs)),
        nodes=ix.n,
        edges=len(ix.edges),
        engine=used,
        betweenness_sources=None if sources is None else len(sources),
        seed=seed,
        effective_size_weighted=measures.weighted,
        group=group,
    )


@dataclass(frozen=True, slots=True)
class _Measures:
    """Per node index: everything :func:`brokers` ranks on."""

    nbrs: list[list[int]]
    roles: list[str | None]  # helix role of each node
    themes: list[frozenset[str]]
    degree: list[int]
    betweenness: list[float]
    constraint: list[float | None]
    effective_size: list[float | None]
    brokerage: list[Brokerage]
    weighted: bool


def _measures(
    G: Any,
    ix: IndexedGraph,
    nbrs: list[list[int]],
    used: Literal["networkx", "igraph"],
    sources: list[int] | None,
    seed: int | None,
    group: str,
    weighted_effective_size: bool | None,
) -> _Measures:
    degree = [len(row) for row in nbrs]
    groups, labels = _group_ids(G, ix, group)
    if used == "networkx":
        between = _betweenness_networkx(G, ix, "distance", sources)
        ego = _ego_pass(ix, "weight", sums=True, groups=groups)
        cons, redundancy = ego.constraint, ego.redundancy
        triangles, cherries, closed = ego.triangles, ego.cherries, ego.closed
        weighted = True if weighted_effective_size is None else weighted_effective_size
    else:
        graph = to_igraph(ix)
        between = _betweenness_igraph(ix, "distance", sources, graph)
        cons = _constraint_igraph(ix, "weight", graph)
        triangles = _triangles_igraph(graph)
        closed, cherries = _closed_igraph(ix, graph, groups, triangles)
        weighted = (
            sum(triangles) // 3 <= WEIGHTED_EFFECTIVE_SIZE_MAX_TRIANGLES
            if weighted_effective_size is None
            else weighted_effective_size
        )
        redundancy = _ego_pass(ix, "weight", sums=True, groups=None).redundancy if weighted else []
    eff = (
        [(d - r if d else None) for d, r in zip(degree, redundancy, strict=True)]
        if weighted
        else _borgatti(degree, triangles)
    )
    neighbour_groups = _neighbour_groups(nbrs, groups)
    gf = _brokerage_rows(ix, groups, labels, triangles, cherries, closed, neighbour_groups)
    attrs = [G.nodes[node] for node in ix.nodes]
    return _Measures(
        nbrs=nbrs,
        roles=[None if (r := a.get("helix_role")) is None else str(r) for a in attrs],
        themes=[frozenset(a.get("themes") or ()) for a in attrs],
        degree=degree,
        betweenness=between,
        constraint=cons,
        effective_size=eff,
        brokerage=gf,
        weighted=weighted,
    )


def _score_parts(measures: _Measures) -> dict[str, list[float]]:
    low = -math.inf
    return {
        "betweenness": _percentiles(measures.betweenness),
        "effective_size": _percentiles([low if e is None else e for e in measures.effective_size]),
        "constraint": _percentiles([low if c is None else -c for c in measures.constraint]),
        "brokerage": _percentiles([float(b.counts["total"]) for b in measures.brokerage]),
    }


def _row(
    G: Any,
    node: Hashable,
    measures: _Measures,
    i: int,
    point: ArticulationPoint | None,
    *,
    score: float,
    score_parts: dict[str, float],
    rank: int,
) -> BrokerRow:
    name = str(G.nodes[node].get("name") or node)
    partners = Counter(map(measures.roles.__getitem__, measures.nbrs[i]))
    themes = _shared_themes(measures.themes, measures.nbrs[i], i)
    gf = measures.brokerage[i]
    cut_off = 0 if point is None else point.cut_off
    return BrokerRow(
        id=node,
        name=name,
        helix_role=measures.roles[i],
        degree=measures.degree[i],
        betweenness=measures.betweenness[i],
        constraint=measures.constraint[i],
        effective_size=measures.effective_size[i],
        brokerage=gf.counts,
        brokerage_z=gf.z,
        is_articulation_point=point is not None,
        cut_off=cut_off,
        cut_off_pieces=() if point is None else point.pieces,
        score=score,
        score_parts=score_parts,
        rank=rank,
        reason=_reason(partners, themes, gf.open_pairs, cut_off),
    )
