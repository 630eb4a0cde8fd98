"""From the helix graph to networkx: the collaboration graph and the two-mode graph.

Two organisations collaborate when they share an activity: an action (PARTNER_IN), a
project (PARTICIPATES_IN) or a network (MEMBER_OF). Each shared activity with ``n``
participants adds ``1 / (n - 1)`` to the tie's weight (Newman 2001), so a 120-member
network adds little to each of its pairs while a three-partner project adds 0.5: large
groups do not drown small, close collaborations. The activities behind each tie are kept
on the edge.

Filters give the subgraph an analysis runs on: themes and kinds keep the activities on
those themes and of those kinds (and only the organisations active in them); helix roles,
organisation types and places keep the organisations that match, with the ties between
them as the whole graph weighs them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

import networkx as nx

from graph_schema import (
    ACTIVITY_KINDS,
    ACTIVITY_LINKS,
    ACTIVITY_RELATION,
    GraphData,
    NodeLabel,
    Organisation,
    RelType,
)
from graph_schema.places import PlaceQuery

__all__ = [
    "ProjectionOptions",
    "collaboration_graph",
    "two_mode_graph",
]


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
    helix_roles
        Keep only organisations holding one of these helix roles, primary or secondary
        (None: all).
    org_types
        Keep only organisations of these types (None: all).
    places
        Keep only organisations in one of these places: a town, or a province or region
        it lies in (``"Drenthe"``, ``"Noord-Nederland"``; see
        :class:`graph_schema.places.PlaceQuery`); None: all.
    provinces, regions
        Keep only organisations in one of these provinces, or regions (None: all).
    """

    include_generic: bool = False
    themes: frozenset[str] | None = None
    kinds: frozenset[NodeLabel] = field(default_factory=lambda: frozenset(ACTIVITY_KINDS))
    helix_roles: frozenset[str] | None = None
    org_types: frozenset[str] | None = None
    places: frozenset[str] | None = None
    provinces: frozenset[str] | None = None
    regions: frozenset[str] | None = None

    @property
    def filters_activities(self) -> bool:
        """Whether only some activities are kept (by theme or kind)."""
        return self.themes is not None or self.kinds != frozenset(ACTIVITY_KINDS)

    def keeps(self, org: Organisation) -> bool:
        """Whether ``org`` passes the organisation filters (roles, types, places)."""
        if self.helix_roles is not None and not self.helix_roles & {
            str(r) for r in (org.helix_role, *org.helix_roles)
        }:
            return False
        if self.org_types is not None and str(org.org_type) not in self.org_types:
            return False
        if self.provinces is not None and org.province not in self.provinces:
            return False
        if self.regions is not None and org.region not in self.regions:
            return False
        return self.places is None or any(
            _place_query(place).matches(org.place, org.province, org.region)
            for place in self.places
        )


@cache
def _place_query(text: str) -> PlaceQuery:
    return PlaceQuery.of(text)


def _activity_themes(graph: GraphData) -> dict[str, set[str]]:
    themes: dict[str, set[str]] = defaultdict(set)
    for rel in graph.relationships:
        if rel.type is RelType.ADDRESSES:
            themes[rel.source].add(rel.target)
    return themes


def _organisation_themes(
    members: Mapping[str, Iterable[str]], themes: Mapping[str, set[str]], options: ProjectionOptions
) -> dict[str, set[str]]:
    """The themes of the kept activities each organisation takes part in; with a theme
    filter only the filtered themes, so that what is said about an organisation (a
    broker's reason, a community's main themes) never names a theme outside the filter.
    An activity keeps all its themes (the cross-overs between themes need them)."""
    org_themes: dict[str, set[str]] = defaultdict(set)
    for activity, group in members.items():
        addressed = themes.get(activity, set())
        if options.themes is not None:
            addressed = addressed & options.themes
        for org_id in group:
            org_themes[org_id] |= addressed
    return org_themes


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
        any activity are nodes without edges; with a theme or kind filter only the
        organisations active in a kept activity are there. Organisation filters keep the
        matching organisations and the ties among them, weighed over every participant
        of the shared activities (the subgraph of the unfiltered projection).

    Examples
    --------
    >>> from graph_schema import GraphData
    >>> collaboration_graph(GraphData()).number_of_nodes()
    0
    """
    options = options or ProjectionOptions()
    organisations, members, _ = _memberships(graph, options)
    org_themes = _organisation_themes(members, _activity_themes(graph), options)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    activities: dict[tuple[str, str], list[str]] = defaultdict(list)
    for activity in sorted(members):
        group = sorted(members[activity])
        if len(group) < 2:
            continue
        share = 1.0 / (len(group) - 1)
        for a, b in combinations(group, 2):
            weights[a, b] += share
            activities[a, b].append(activity)
    kept = {
        org_id
        for org_id, org in organisations.items()
        if options.keeps(org) and (not options.filters_activities or org_id in org_themes)
    }
    g = nx.Graph()
    for org_id in sorted(kept):
        g.add_node(org_id, **_org_attributes(organisations[org_id], org_themes[org_id]))
    for (a, b), weight in weights.items():
        if a in kept and b in kept:
            g.add_edge(a, b, weight=weight, distance=1.0 / weight, activities=activities[a, b])
    return g


def two_mode_graph(
    graph: GraphData, options: ProjectionOptions | None = None, *, whole_activities: bool = False
) -> nx.Graph:
    """The organisation–activity graph (bipartite).

    Parameters
    ----------
    graph
        Nodes and relationships, as a store snapshot gives them.
    options
        Generic groups, themes and kinds of activity to keep, and organisation filters.
    whole_activities
        With organisation filters: keep the activities in which a matching organisation
        takes part with *all* their participants (to judge which helix roles an activity
        brings together), rather than only the matching organisations.

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
    matching = {org_id for org_id, org in organisations.items() if options.keeps(org)}
    if len(matching) < len(organisations):
        members = {a: group for a, group in members.items() if group & matching}
        if not whole_activities:
            members = {a: group & matching for a, group in members.items()}
        kept_orgs = set().union(*members.values()) | matching
        organisations = {o: org for o, org in organisations.items() if o in kept_orgs}
    if options.filters_activities:
        active = set().union(*members.values())
        organisations = {o: org for o, org in organisations.items() if o in active}
    themes = _activity_themes(graph)
    names = {n.id: n.name for n in graph.nodes}
    org_themes = _organisation_themes(members, themes, options)
    g = nx.Graph()
    for org_id in sorted(organisations):
        attributes = _org_attributes(organisations[org_id], org_themes[org_id])
        g.add_node(org_id, bipartite=0, **attributes)
    for activity in sorted(members):
        g.add_node(
            activity,
            bipartite=1,
            label=str(kinds[activity]),
            name=names[activity],
            themes=frozenset(themes.get(activity, set())),
        )
        for org_id in sorted(members[activity]):
            g.add_edge(org_id, activity, type=str(ACTIVITY_RELATION[kinds[activity]]))
    return g
