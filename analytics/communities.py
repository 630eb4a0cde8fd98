"""Communities of the collaboration graph: who works together more than chance predicts.

A *community* is a group of organisations with many ties among themselves and few to the
rest of the graph, found by maximising modularity (Newman 2006) with the Louvain method
(Blondel et al. 2008) or its refinement Leiden (Traag, Waltman and van Eck 2019). Each
community is described by its dominant themes and its helix mix, which
:func:`label_text` and :func:`description_text` word in Dutch or English, so that a list of
ids reads as "Digitalisering, Medische technologie — Kennis & onderwijs 5, Bedrijfsleven 3".
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import igraph as ig  # type: ignore[import-untyped]
import leidenalg  # type: ignore[import-untyped]
import networkx as nx

from graph_schema import HelixRole
from graph_schema.i18n import Language, listing, t

__all__ = [
    "REFERENCE_MAX_EDGES",
    "Community",
    "CommunityReport",
    "ThemeCount",
    "communities",
    "description_text",
    "label_text",
]

REFERENCE_MAX_EDGES = 10_000
"""Up to this many edges ``engine="auto"`` runs the reference implementation (networkx for
Louvain, leidenalg for Leiden); above it, igraph's C implementation."""

_ROLES: tuple[str, ...] = tuple(str(role) for role in HelixRole)
_TOP_THEMES = 3
_LABEL_THEMES = 2
_LABEL_ROLES = 2

# igraph draws its random numbers from one process-wide generator; a seeded run swaps it
# for a private one and puts the default (the ``random`` module) back, one run at a time.
_IGRAPH_RNG_LOCK = threading.Lock()

_ENGINES: dict[str, tuple[str, str]] = {
    "louvain": ("networkx", "igraph"),
    "leiden": ("leidenalg", "igraph"),
}
"""Per method: the reference engine, then the fast one."""


@dataclass(frozen=True, slots=True)
class ThemeCount:
    """A theme and the number of community members active on it."""

    theme: str
    count: int


@dataclass(frozen=True, slots=True)
class Community:
    """One community of a :class:`CommunityReport`.

    Attributes
    ----------
    id
        Rank of the community: 0 is the largest, ties broken by the smallest member id.
    size
        Number of members.
    members
        Node ids, sorted.
    themes
        Up to three dominant themes: the theme ids most often found in the members'
        ``themes`` attribute, most frequent first (ties by theme id).
    helix_mix
        Number of members per primary ``helix_role``: the four roles in helix order,
        then any other value found, sorted.

    See :func:`label_text` and :func:`description_text` for the words.
    """

    id: int
    size: int
    members: tuple[str, ...]
    themes: tuple[ThemeCount, ...]
    helix_mix: dict[str, int]


@dataclass(frozen=True, slots=True)
class CommunityReport:
    """The result of :func:`communities`.

    Attributes
    ----------
    method, engine, resolution, seed
        How the partition was found (``engine`` is ``"networkx"``, ``"igraph"`` or
        ``"leidenalg"``).
    modularity
        Modularity of the whole partition at ``resolution`` (0.0 for a graph without
        edges, where it is undefined).
    n_communities
        Number of communities of the whole partition, isolates and other communities
        smaller than ``min_size`` included.
    min_size
        Communities smaller than this are left out of ``communities``.
    communities
        Communities with at least ``min_size`` members, by ``id``.
    isolates
        Nodes without ties, sorted. Each is a community of its own (so it has an id in
        ``membership``) but, being of size 1, is not listed in ``communities`` unless
        ``min_size`` is 1.
    membership
        Community id of every node, communities smaller than ``min_size`` included; ids
        are ranked like those of ``communities`` (by size, then smallest member).
    """

    method: str
    engine: str
    resolution: float
    seed: int
    modularity: float
    n_communities: int
    min_size: int
    communities: tuple[Community, ...]
    isolates: tuple[str, ...]
    membership: dict[str, int]

    def partition(self) -> list[set[str]]:
        """Every community as a set of nodes; the list index is the community id.

        Examples
        --------
        >>> import networkx as nx
        >>> G = nx.Graph([("a", "b"), ("c", "d")])
        >>> G.add_node("e")
        >>> [sorted(group) for group in communities(G).partition()]
        [['a', 'b'], ['c', 'd'], ['e']]
        """
        groups: list[set[str]] = [set() for _ in range(self.n_communities)]
        for node, community_id in self.membership.items():
            groups[community_id].add(node)
        return groups


def communities(
    G: nx.Graph,
    *,
    method: Literal["louvain", "leiden"] = "louvain",
    resolution: float = 1.0,
    seed: int = 0,
    weight: str | None = "weight",
    min_size: int = 2,
    engine: Literal["auto", "networkx", "igraph", "leidenalg"] = "auto",
) -> CommunityReport:
    """Communities of maximal modularity, described by their themes and helix mix.

    Modularity compares the weight of the ties inside communities with the weight
    expected if ties were rewired at random, keeping every node's (weighted) degree:

    .. math::

       Q = \\sum_c \\left[ \\frac{L_c}{m} - \\gamma \\left( \\frac{d_c}{2m} \\right)^2 \\right]

    where :math:`L_c` is the weight inside community :math:`c`, :math:`d_c` the total
    degree of its members, :math:`m` the total weight and :math:`\\gamma` the resolution.
    Louvain climbs to a local maximum by moving single nodes and then merging
    communities; Leiden adds a refinement step that guarantees connected communities.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph, such as :func:`analytics.projection.collaboration_graph`. Node
        attributes ``themes`` (theme ids) and ``helix_role`` are used for the
        description when present. Node ids must be sortable (strings in a projection).
    method : {"louvain", "leiden"}
        Louvain or Leiden.
    resolution : float
        Larger values give more, smaller communities; 1.0 is classic modularity.
    seed : int
        Seed of the random node order; the same graph and seed give the same partition.
    weight : str or None
        Edge attribute holding the tie strength (missing values count as 1); None to
        treat every tie alike.
    min_size : int
        Smallest community listed in ``communities``.
    engine : {"auto", "networkx", "igraph", "leidenalg"}
        Where the method runs: Louvain on networkx or igraph (multilevel), Leiden on
        leidenalg or igraph. ``"auto"`` takes networkx (Louvain) or leidenalg (Leiden) up
        to :data:`REFERENCE_MAX_EDGES` edges and igraph above.

    Returns
    -------
    CommunityReport
        Frozen dataclass of JSON-friendly fields.

    Raises
    ------
    networkx.NetworkXNotImplemented
        If ``G`` is directed or a multigraph.
    ValueError
        For an unknown method or engine, an engine that lacks the method (Leiden on
        networkx, Louvain on leidenalg), a resolution that is not positive or a
        ``min_size`` below 1.

    Notes
    -----
    Isolates have no ties, so every method leaves each in a community of its own; they
    do not change modularity. They are listed in ``isolates`` and kept out of
    ``communities`` (as is any other community below ``min_size``), but every node,
    isolates included, has a community id in ``membership``.

    The same graph (built in the same order) and the same seed always give the same
    partition: igraph is given a private random generator for the run (the process-wide
    ``random`` module is neither reseeded nor consumed), networkx and leidenalg take the
    seed directly. A graph is converted to igraph from an edge list over the sorted node
    ids, never through ``Graph.from_networkx``. All engines compute the same modularity
    for the same partition; their partitions differ slightly (different node orders).
    On the CORDIS graph (36k nodes, 800k ties) igraph's Leiden runs in about 1 s where
    leidenalg needs about 8 s for the same modularity, hence the switch above
    :data:`REFERENCE_MAX_EDGES`.

    Examples
    --------
    Two triangles joined by one tie:

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f")])
    >>> G.add_edges_from([("d", "f"), ("c", "d")])
    >>> report = communities(G, seed=1)
    >>> [c.members for c in report.communities]
    [('a', 'b', 'c'), ('d', 'e', 'f')]
    >>> round(report.modularity, 4)  # 2 * (3/7 - (7/14)**2) = 5/14
    0.3571
    >>> leiden = communities(G, method="leiden")
    >>> leiden.engine, round(leiden.modularity, 4)
    ('leidenalg', 0.3571)

    References
    ----------
    .. [1] M. E. J. Newman, "Modularity and community structure in networks",
       PNAS 103(23), 8577–8582, 2006.
    .. [2] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding
       of communities in large networks", J. Stat. Mech. P10008, 2008.
    .. [3] V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden:
       guaranteeing well-connected communities", Scientific Reports 9, 5233, 2019.
    .. [4] J. Reichardt and S. Bornholdt, "Statistical mechanics of community
       detection", Phys. Rev. E 74, 016110, 2006.
    """
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented("communities needs an undirected simple graph")
    if method not in _ENGINES:
        raise ValueError(f"unknown method {method!r}: use 'louvain' or 'leiden'")
    if engine != "auto" and engine not in _ENGINES[method]:
        choices = ", ".join(repr(e) for e in ("auto", *_ENGINES[method]))
        raise ValueError(f"engine {engine!r} cannot run {method}: use one of {choices}")
    if not resolution > 0:
        raise ValueError(f"resolution must be positive, got {resolution}")
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1, got {min_size}")

    used: str = engine
    if engine == "auto":
        reference, fast = _ENGINES[method]
        used = reference if G.number_of_edges() <= REFERENCE_MAX_EDGES else fast
    if used == "networkx":
        groups, modularity = _louvain_networkx(G, weight, resolution, seed)
    else:
        groups, modularity = _igraph_partition(G, method, used, weight, resolution, seed)

    ranked = sorted((sorted(group) for group in groups), key=lambda m: (-len(m), m[0]))
    membership = {node: i for i, members in enumerate(ranked) for node in members}
    described = tuple(
        _describe(G, i, members) for i, members in enumerate(ranked) if len(members) >= min_size
    )
    return CommunityReport(
        method=method,
        engine=used,
        resolution=float(resolution),
        seed=seed,
        modularity=modularity,
        n_communities=len(ranked),
        min_size=min_size,
        communities=described,
        isolates=tuple(sorted(nx.isolates(G))),
        membership=dict(sorted(membership.items())),
    )


def _louvain_networkx(
    G: nx.Graph, weight: str | None, resolution: float, seed: int
) -> tuple[list[set[Any]], float]:
    groups: list[set[Any]] = nx.community.louvain_communities(
        G, weight=weight, resolution=resolution, seed=seed
    )
    if G.number_of_edges() == 0:
        return groups, 0.0
    modularity = nx.community.modularity(G, groups, weight=weight, resolution=resolution)
    return groups, float(modularity)


def _igraph_partition(
    G: nx.Graph, method: str, engine: str, weight: str | None, resolution: float, seed: int
) -> tuple[list[set[Any]], float]:
    nodes = sorted(G)
    index = {node: i for i, node in enumerate(nodes)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    # The raw adjacency is faster than an edge view; each edge is kept from its lower end.
    for u, neighbours in G.adjacency():
        i = index[u]
        for v, data in neighbours.items():
            j = index[v]
            if i < j:
                edges.append((i, j))
                weights.append(float(data.get(weight, 1.0)) if weight else 1.0)
    graph = ig.Graph(n=len(nodes), edges=edges, directed=False)
    graph.es["weight"] = weights
    membership: list[int]
    if engine == "leidenalg":
        membership = _leidenalg(graph, resolution, seed)
    else:
        with _IGRAPH_RNG_LOCK:
            ig.set_random_number_generator(random.Random(seed))
            try:
                if method == "leiden":
                    clustering = graph.community_leiden(
                        objective_function="modularity",
                        weights="weight",
                        resolution=resolution,
                        n_iterations=2,
                    )
                else:
                    clustering = graph.community_multilevel(weights="weight", resolution=resolution)
            finally:
                ig.set_random_number_generator(random)
        membership = list(clustering.membership)
    modularity = (
        float(graph.modularity(membership, weights="weight", resolution=resolution))
        if edges
        else 0.0
    )
    groups: dict[int, set[Any]] = {}
    for node, label in zip(nodes, membership, strict=True):
        groups.setdefault(label, set()).add(node)
    return list(groups.values()), modularity


def _leidenalg(graph: ig.Graph, resolution: float, seed: int) -> list[int]:
    partition: Any
    if resolution == 1.0:
        partition = leidenalg.find_partition(
            graph, leidenalg.ModularityVertexPartition, weights="weight", seed=seed
        )
    else:
        partition = leidenalg.find_partition(
            graph,
            leidenalg.RBConfigurationVertexPartition,
            weights="weight",
            seed=seed,
            resolution_parameter=resolution,
        )
    return list(partition.membership)


def _describe(G: nx.Graph, community_id: int, members: list[Any]) -> Community:
    themes: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    for node in members:
        attributes = G.nodes[node]
        themes.update(attributes.get("themes", ()))
        role = attributes.get("helix_role")
        if role is not None:
            roles[str(role)] += 1
    top = sorted(themes.items(), key=lambda item: (-item[1], item[0]))[:_TOP_THEMES]
    mix = {role: roles.get(role, 0) for role in _ROLES}
    mix.update(sorted((role, n) for role, n in roles.items() if role not in mix))
    return Community(
        id=community_id,
        size=len(members),
        members=tuple(members),
        themes=tuple(ThemeCount(theme, count) for theme, count in top),
        helix_mix=mix,
    )


def _largest_roles(mix: Mapping[str, int]) -> list[tuple[str, int]]:
    order = list(mix)
    return sorted(
        ((role, n) for role, n in mix.items() if n > 0),
        key=lambda item: (-item[1], order.index(item[0])),
    )[:_LABEL_ROLES]


def _role_name(role: str, lang: Language) -> str:
    return t(lang, f"role.{role}") if role in _ROLES else role


def label_text(
    community: Community, lang: Language = "nl", theme_names: Mapping[str, str] | None = None
) -> str:
    """A short label: the two dominant theme names and the two largest helix groups.

    Parameters
    ----------
    community
        A community of :func:`communities`.
    lang
        ``"nl"`` (default) or ``"en"``; the words come from the catalogue.
    theme_names
        Theme id to the name the agenda gives it; an unknown id is shown as it is.

    Examples
    --------
    >>> c = Community(0, 3, ("a", "b", "c"), (ThemeCount("theme-f", 2),),
    ...               {"government": 0, "knowledge": 2, "industry": 1, "civil_society": 0})
    >>> label_text(c, "nl", {"theme-f": "Food & lifestyle"})
    'Food & lifestyle — Kennis & onderwijs 2, Bedrijfsleven 1'
    >>> label_text(Community(1, 2, ("x", "y"), (), {}), "en")
    '2 members'
    """
    names = theme_names or {}
    themes = ", ".join(names.get(c.theme, c.theme) for c in community.themes[:_LABEL_THEMES])
    roles = ", ".join(
        t(lang, "community.label.role", role=_role_name(role, lang), n=n)
        for role, n in _largest_roles(community.helix_mix)
    )
    if themes and roles:
        return t(lang, "community.label", themes=themes, roles=roles)
    return themes or roles or t(lang, "community.label.members", n=community.size)


def description_text(
    community: Community, lang: Language = "nl", theme_names: Mapping[str, str] | None = None
) -> str:
    """One sentence: the community's size, its dominant themes and largest helix groups.

    Examples
    --------
    >>> c = Community(2, 3, ("a", "b", "c"), (ThemeCount("theme-f", 2),),
    ...               {"government": 0, "knowledge": 2, "industry": 1, "civil_society": 0})
    >>> description_text(c, "nl", {"theme-f": "Food & lifestyle"})
    'Gemeenschap 2 telt 3 organisaties, vooral actief in ‘Food & lifestyle’; het grootst \
zijn 2 kennisinstellingen en 1 bedrijf.'
    """
    names = theme_names or {}
    text = t(lang, "community.description", id=community.id, n=community.size)
    quoted = [f"‘{names.get(c.theme, c.theme)}’" for c in community.themes[:_LABEL_THEMES]]
    if quoted:
        text += t(lang, "community.description.themes", themes=listing(quoted, lang))
    largest = [
        t(lang, f"count.role.{role if role in _ROLES else 'other'}", n=n)
        for role, n in _largest_roles(community.helix_mix)
    ]
    if largest:
        text += t(lang, "community.description.roles", roles=listing(largest, lang))
    return text + "."
