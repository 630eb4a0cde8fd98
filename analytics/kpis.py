"""The agenda's measures of "de mate van samenwerking bij innovatie", and how they change.

The Monitoringsraamwerk asks for the degree of cooperation in innovation; on the helix
graph that is: how dense the collaboration network is, how many ties cross helix groups,
how many companies take part in each action and theme, and how many actions have all four
helix groups at the table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph_schema.enums import HELIX_ROLES, HelixRole, NodeLabel

__all__ = ["HELIX_ROLES", "Kpis", "VersionComparison", "compare", "kpis"]


@dataclass(frozen=True, slots=True)
class Kpis:
    """Network-wide indicators of cooperation."""

    organisations: int
    ties: int
    density: float
    average_degree: float
    cross_helix_share: float  # ties between organisations of different primary helix roles
    isolated: int  # organisations without any collaboration tie
    components: int
    largest_component_share: float
    actions: int
    actions_with_all_four_roles: int
    helix_completeness: float  # share of actions with all four roles present
    industry_per_action: dict[str, int]  # action id -> organisations with the industry role
    industry_per_theme: dict[str, int]  # theme id -> organisations with the industry role


@dataclass(frozen=True, slots=True)
class VersionComparison:
    """What changed between two versions of the collaboration graph."""

    new_ties: list[tuple[str, str]]
    lost_ties: list[tuple[str, str]]
    new_organisations: list[str]
    lost_organisations: list[str]
    brokers_in: list[str]  # in the new top brokers, not in the old
    brokers_out: list[str]
    crossovers_gained: list[tuple[str, str]]  # theme pairs now spanned by an organisation
    crossovers_lost: list[tuple[str, str]]
    density_change: float
    cross_helix_share_change: float


def _roles(data: dict[str, Any]) -> tuple[str, ...]:
    roles = data.get("helix_roles") or (data.get("helix_role"),)
    return tuple(str(r) for r in roles)


def kpis(G: nx.Graph, B: nx.Graph) -> Kpis:
    """Indicators of cooperation on a collaboration graph and its two-mode graph.

    Parameters
    ----------
    G : networkx.Graph
        The collaboration graph (:func:`analytics.projection.collaboration_graph`).
    B : networkx.Graph
        The two-mode graph (:func:`analytics.projection.two_mode_graph`), preferably with
        generic groups included: "mkb" at an action is industry at the table.

    Returns
    -------
    Kpis
        Density and average degree of ``G``; the share of its ties whose two ends differ
        in primary helix role; per action (nodes of ``B`` with ``label == "Action"``) the
        number of organisations holding the industry role (primary or secondary); per
        theme the distinct such organisations over the theme's activities; and the share
        of actions where all four helix roles are present.

    Notes
    -----
    An empty graph gives zeros, not errors.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", helix_role="industry")
    >>> G.add_node("b", helix_role="knowledge")
    >>> G.add_edge("a", "b")
    >>> kpis(G, nx.Graph()).cross_helix_share
    1.0
    """
    n, m = G.number_of_nodes(), G.number_of_edges()
    cross = sum(
        1 for a, b in G.edges if G.nodes[a].get("helix_role") != G.nodes[b].get("helix_role")
    )
    components = list(nx.connected_components(G)) if n else []
    largest = max((len(c) for c in components), default=0)

    industry_per_action: dict[str, int] = {}
    theme_industry: dict[str, set[str]] = defaultdict(set)
    complete = 0
    actions = [v for v, d in B.nodes(data=True) if d.get("label") == NodeLabel.ACTION]
    for action in sorted(actions):
        members = list(B.neighbors(action))
        roles = {role for member in members for role in _roles(B.nodes[member])}
        industrial = [m for m in members if HelixRole.INDUSTRY in _roles(B.nodes[m])]
        industry_per_action[action] = len(industrial)
        complete += set(HELIX_ROLES) <= roles
    for activity, data in B.nodes(data=True):
        if data.get("bipartite") != 1:
            continue
        companies = {m for m in B.neighbors(activity) if HelixRole.INDUSTRY in _roles(B.nodes[m])}
        for theme in data.get("themes", ()):
            theme_industry[theme] |= companies
    return Kpis(
        organisations=n,
        ties=m,
        density=nx.density(G) if n > 1 else 0.0,
        average_degree=2 * m / n if n else 0.0,
        cross_helix_share=cross / m if m else 0.0,
        isolated=sum(1 for v in G if G.degree(v) == 0),
        components=len(components),
        largest_component_share=largest / n if n else 0.0,
        actions=len(actions),
        actions_with_all_four_roles=complete,
        helix_completeness=complete / len(actions) if actions else 0.0,
        industry_per_action=industry_per_action,
        industry_per_theme={t: len(orgs) for t, orgs in sorted(theme_industry.items())},
    )


def _theme_pairs(G: nx.Graph) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for _, data in G.nodes(data=True):
        themes = sorted(data.get("themes", ()))
        pairs.update((a, b) for i, a in enumerate(themes) for b in themes[i + 1 :])
    return pairs


def _ties(G: nx.Graph) -> set[tuple[str, str]]:
    return {(a, b) if a <= b else (b, a) for a, b in G.edges}


def compare(
    old: nx.Graph,
    new: nx.Graph,
    *,
    old_brokers: list[str] | None = None,
    new_brokers: list[str] | None = None,
) -> VersionComparison:
    """What changed from one version of the collaboration graph to the next.

    Parameters
    ----------
    old, new : networkx.Graph
        Collaboration graphs of two graph versions.
    old_brokers, new_brokers : list of str, optional
        The top brokers of each version (e.g. the first 10 of the broker ranking), for
        broker turnover.

    Returns
    -------
    VersionComparison
        New and lost ties and organisations (sorted), brokers that entered or left the
        top list, theme cross-overs (pairs of themes some organisation spans) gained and
        lost, and the change in density and in the share of cross-helix ties.

    Examples
    --------
    >>> old = nx.Graph([("a", "b")])
    >>> new = nx.Graph([("a", "b"), ("b", "c")])
    >>> compare(old, new).new_ties
    [('b', 'c')]
    """
    old_ties, new_ties = _ties(old), _ties(new)
    old_pairs, new_pairs = _theme_pairs(old), _theme_pairs(new)
    before, after = set(old_brokers or ()), set(new_brokers or ())
    old_kpis, new_kpis = kpis(old, nx.Graph()), kpis(new, nx.Graph())
    return VersionComparison(
        new_ties=sorted(new_ties - old_ties),
        lost_ties=sorted(old_ties - new_ties),
        new_organisations=sorted(set(new) - set(old)),
        lost_organisations=sorted(set(old) - set(new)),
        brokers_in=sorted(after - before),
        brokers_out=sorted(before - after),
        crossovers_gained=sorted(new_pairs - old_pairs),
        crossovers_lost=sorted(old_pairs - new_pairs),
        density_change=new_kpis.density - old_kpis.density,
        cross_helix_share_change=new_kpis.cross_helix_share - old_kpis.cross_helix_share,
    )
