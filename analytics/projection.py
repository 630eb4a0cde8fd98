"""From the helix graph to networkx: the collaboration graph and the two-mode graph.

Two organisations collaborate when they share an activity: an action (PARTNER_IN), a
project (PARTICIPATES_IN) or a network (MEMBER_OF). Each shared activity with ``n``
participants adds ``1 / (n - 1)`` to the tie's weight (Newman 2001), so a 120-member
network adds little to each of its pairs while a three-partner project adds 0.5: large
groups do not drown small, close collaborations. The activities behind each tie are kept
on the edge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from graph_schema import GraphData, NodeLabel, Organisation, RelType

__all__ = [
    "ACTIVITY_LINKS",
    "ProjectionOptions",
    "collaboration_graph",
    "two_mode_graph",
]

ACTIVITY_LINKS: dict[RelType, NodeLabel] = {
    RelType.PARTNER_IN: NodeLabel.ACTION,
    RelType.PARTICIPATES_IN: NodeLabel.PROJECT,
    RelType.MEMBER_OF: NodeLabel.NETWORK,
}
"""How an organisation takes part in each kind of activity."""


@dataclass(frozen=True, slots=True)
class ProjectionOptions:
    """What goes into a projection.

    Parameters
    ----------
    include_generic
        Keep placeholder groups ("mkb", "zorginstellingen"); left out by default, since
        a group of unnamed organisations is no broker.
    themes
        Keep only activities addressing one of these theme ids (None: all).
    kinds
        Kinds of activity to use (default: actions, projects and networks).
    """

    include_generic: bool = False
    themes: frozenset[str] | None = None
    kinds: frozenset[NodeLabel] = field(default_factory=lambda: frozenset(ACTIVITY_LINKS.values()))


def _activity_themes(graph: GraphData) -> dict[str, set[str]]:
    themes: dict[str, set[str]] = defaultdict(set)
    for rel in graph.relationships:
        if rel.type is RelType.ADDRESSES:
            themes[rel.source].add(rel.target)
    return themes


def _memberships(
    graph: GraphData, options: ProjectionOptions
) -> tuple[dict[str, Organisation], dict[str, set[str]], dict[str, NodeLabel]]:
    """Organisations kept, the organisations of each kept activity, and activity kinds."""
    organisations = {
        n.id: n
        for n in graph.nodes
        if isinstance(n, Organisation) and (options.include_generic or not n.generic)
    }
    labels = {n.id: n.label for n in graph.nodes}
    themes = _activity_themes(graph)
    members: dict[str, set[str]] = defaultdict(set)
    for rel in graph.relationships:
        kind = ACTIVITY_LINKS.get(rel.type)
        if kind is None or kind not in options.kinds or rel.source not in organisations:
            continue
        if labels.get(rel.target) is not kind:
            continue
        if options.themes is not None and not themes.get(rel.target, set()) & options.themes:
            continue
        members[rel.target].add(rel.source)
    return organisations, members, {a: labels[a] for a in members}


def _org_attributes(org: Organisation, themes: Iterable[str]) -> dict[str, object]:
    return {
        "name": org.name,
        "helix_role": str(org.helix_role),
        "helix_roles": tuple(str(r) for r in org.helix_roles),
        "org_type": str(org.org_type),
        "generic": org.generic,
        "place": org.place,
        "province": None if org.province is None else str(org.province),
        "region": None if org.region is None else str(org.region),
        "themes": frozenset(themes),
    }


def collaboration_graph(graph: GraphData, options: ProjectionOptions | None = None) -> nx.Graph:
    """The weighted organisation–organisation graph.

    Parameters
    ----------
    graph
        Nodes and relationships, as a store snapshot gives them.
    options
        Generic groups, themes and kinds of activity to keep.

    Returns
    -------
    networkx.Graph
        Nodes are organisation ids with attributes ``name``, ``helix_role`` (primary),
        ``helix_roles`` (primary first), ``org_type``, ``generic``, ``place``,
        ``province``, ``region`` and ``themes`` (theme ids of the kept activities the
        organisation takes part in).
        Edges have ``weight`` (Newman: the sum of ``1 / (n - 1)`` over shared activities
        with ``n`` participants), ``distance`` (``1 / weight``, for shortest paths:
        stronger ties are shorter) and ``activities`` (sorted ids). Organisations without
        any kept activity are nodes without edges.

    Examples
    --------
    >>> from graph_schema import GraphData
    >>> collaboration_graph(GraphData()).number_of_nodes()
    0
    """
    options = options or ProjectionOptions()
    organisations, members, _ = _memberships(graph, options)
    themes = _activity_themes(graph)
    org_themes: dict[str, set[str]] = defaultdict(set)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    activities: dict[tuple[str, str], list[str]] = defaultdict(list)
    for activity in sorted(members):
        group = sorted(members[activity])
        for org_id in group:
            org_themes[org_id] |= themes.get(activity, set())
        if len(group) < 2:
            continue
        share = 1.0 / (len(group) - 1)
        for a, b in combinations(group, 2):
            weights[a, b] += share
            activities[a, b].append(activity)
    g = nx.Graph()
    for org_id in sorted(organisations):
        g.add_node(org_id, **_org_attributes(organisations[org_id], org_themes[org_id]))
    for (a, b), weight in weights.items():
        g.add_edge(a, b, weight=weight, distance=1.0 / weight, activities=activities[a, b])
    return g


def two_mode_graph(graph: GraphData, options: ProjectionOptions | None = None) -> nx.Graph:
    """The organisation–activity graph (bipartite).

    Returns
    -------
    networkx.Graph
        Organisations have ``bipartite=0`` and the attributes of
        :func:`collaboration_graph`; activities (actions, projects, networks) have
        ``bipartite=1``, ``label``, ``name`` and ``themes``. An edge links an organisation
        to an activity it takes part in, with its relationship ``type``.
    """
    options = options or ProjectionOptions()
    organisations, members, kinds = _memberships(graph, options)
    themes = _activity_themes(graph)
    names = {n.id: n.name for n in graph.nodes}
    org_themes: dict[str, set[str]] = defaultdict(set)
    for activity, group in members.items():
        for org_id in group:
            org_themes[org_id] |= themes.get(activity, set())
    g = nx.Graph()
    for org_id in sorted(organisations):
        attributes = _org_attributes(organisations[org_id], org_themes[org_id])
        g.add_node(org_id, bipartite=0, **attributes)
    link_of = {label: rel_type for rel_type, label in ACTIVITY_LINKS.items()}
    for activity in sorted(members):
        g.add_node(
            activity,
            bipartite=1,
            label=str(kinds[activity]),
            name=names[activity],
            themes=frozenset(themes.get(activity, set())),
        )
        for org_id in sorted(members[activity]):
            g.add_edge(org_id, activity, type=str(link_of[kinds[activity]]))
    return g
