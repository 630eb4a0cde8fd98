"""Neighbourhoods of one graph version: the nodes a few steps around one node.

:func:`neighbourhood` walks relationships (every node within ``depth`` steps);
:func:`organisation_neighbourhood` walks organisation hops (partners, their partners)
within a budget of nodes: the strongest ties first, with the totals of what the budget
left out.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from app.errors import NotFoundError, quoted
from graph_schema import GraphData, Node, Organisation, Relationship, RelType
from graph_schema.enums import ACTIVITY_KINDS, COLLABORATION_LINKS

if TYPE_CHECKING:
    from app.core.graph import Adjacency

__all__ = ["Neighbourhood", "neighbourhood", "organisation_neighbourhood"]

ACTIVITIES = frozenset(ACTIVITY_KINDS)


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """Nodes around one node and the relationships among them.

    ``organisations`` and ``activities`` count what lies within the depth (the centre
    included), whether shown or not; :func:`neighbourhood` leaves them at 0.
    """

    graph: GraphData
    truncated: bool  # the node cap was reached; the outer ring is incomplete
    organisations: int = 0
    activities: int = 0


def _not_found(node_id: str) -> NotFoundError:
    return NotFoundError.of("error.node.id_not_found", id=quoted(node_id))


def neighbourhood(
    graph: Adjacency,
    node_id: str,
    *,
    depth: int = 1,
    rel_types: Collection[RelType] | None = None,
    include_generic: bool = True,
    max_nodes: int = 2000,
) -> Neighbourhood:
    """Every node within ``depth`` steps (links followed both ways) and the links among them.

    Generic groups are left out (and not walked through) unless ``include_generic``;
    the start node always stays. Beyond ``max_nodes`` nodes the outer ring is cut, by
    id (``truncated``).

    Raises
    ------
    NotFoundError
        The node does not exist.
    """
    start = graph.node(node_id)
    if start is None:
        raise _not_found(node_id)
    known: dict[str, Node] = {node_id: start}

    def walkable(ids: Iterable[str]) -> list[Relationship]:
        found: dict[tuple[RelType, str, str], Relationship] = {}
        for here in ids:
            for rel in graph.links(here):
                if rel_types is not None and rel.type not in rel_types:
                    continue
                if _open(graph, rel.source, include_generic, node_id, known) and _open(
                    graph, rel.target, include_generic, node_id, known
                ):
                    found[rel.key] = rel
        return [found[key] for key in sorted(found)]

    reached = {node_id}
    edges: dict[tuple[RelType, str, str], Relationship] = {}
    frontier = [node_id]
    truncated = False
    for _ in range(depth):
        if not frontier or truncated:
            break
        nxt: set[str] = set()
        for rel in walkable(frontier):
            for end in (rel.source, rel.target):
                if end not in reached and end not in nxt:
                    if len(reached) + len(nxt) >= max_nodes:
                        truncated = True
                        continue
                    nxt.add(end)
            if rel.source in reached | nxt and rel.target in reached | nxt:
                edges[rel.key] = rel
        reached |= nxt
        frontier = sorted(nxt)
    for rel in walkable(frontier):  # links between nodes of the outer ring close the picture
        if rel.source in reached and rel.target in reached:
            edges[rel.key] = rel
    nodes = tuple(sorted((known[n] for n in reached), key=lambda n: n.id))
    rels = tuple(edges[key] for key in sorted(edges))
    return Neighbourhood(GraphData(nodes=nodes, relationships=rels), truncated)


def _open(
    graph: Adjacency, node_id: str, include_generic: bool, start: str, known: dict[str, Node]
) -> bool:
    """Whether a walk may reach this node; a node met is kept in ``known``."""
    node = known.get(node_id)
    if node is None:
        node = graph.node(node_id)
        if node is None:
            return False
        known[node_id] = node
    if include_generic or node_id == start:
        return True
    return not (isinstance(node, Organisation) and node.generic)


# --- organisation hops -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ties:
    """What one node is linked to by the followed relationships."""

    activities: tuple[str, ...]  # activities it is linked to
    organisations: tuple[str, ...]  # organisations a walk may reach (generic ones if asked)
    links: tuple[tuple[str, Relationship], ...]  # those links, with the node at the other end


_TIES: WeakKeyDictionary[Adjacency, dict[tuple[frozenset[RelType], bool], dict[str, _Ties]]]
_TIES = WeakKeyDictionary()
"""Per graph version and walk, each node's ties, made on first use: a version is
immutable, so a node's ties are read from its links once."""


class _Hops:
    """The ties of a graph version's nodes under one walk (kinds followed, generic or not)."""

    def __init__(self, graph: Adjacency, follow: frozenset[RelType], include_generic: bool):
        self.graph = graph
        self.follow = follow
        self.include_generic = include_generic
        self.known = _TIES.setdefault(graph, {}).setdefault((follow, include_generic), {})

    def ties(self, node_id: str) -> _Ties:
        found = self.known.get(node_id)
        if found is None:
            found = self.known[node_id] = self._read(node_id)
        return found

    def _read(self, node_id: str) -> _Ties:
        activities: list[str] = []
        organisations: list[str] = []
        links: list[tuple[str, Relationship]] = []
        for rel in self.graph.links(node_id):
            if rel.type not in self.follow:
                continue
            there = rel.target if rel.source == node_id else rel.source
            node = self.graph.node(there)
            if node is None or there == node_id:
                continue
            if isinstance(node, Organisation):
                if node.generic and not self.include_generic:
                    continue
                organisations.append(there)
            elif node.label in ACTIVITIES:
                activities.append(there)
            else:
                continue
            links.append((there, rel))
        return _Ties(tuple(activities), tuple(organisations), tuple(links))


@dataclass(slots=True)
class _Ring:
    """One hop: the activities it goes through and the organisations it reaches, each
    with its tie strength (the ring's activities it takes part in, plus direct links)."""

    activities: set[str]
    strength: Counter[str]


def _next_ring(hops: _Hops, frontier: Collection[str], orgs: set[str], acts: set[str]) -> _Ring:
    """The ring one organisation hop beyond ``frontier``, given what is reached already."""
    ties = hops.ties
    activities = {a for o in frontier for a in ties(o).activities if a not in acts}
    strength: Counter[str] = Counter(chain.from_iterable(ties(a).organisations for a in activities))
    strength.update(chain.from_iterable(ties(o).organisations for o in frontier))
    for org in orgs.intersection(strength):
        del strength[org]
    return _Ring(activities, strength)


def organisation_neighbourhood(
    graph: Adjacency,
    org_id: str,
    *,
    hops: int = 1,
    rel_types: Collection[RelType] | None = None,
    include_generic: bool = False,
    max_nodes: int = 2000,
) -> Neighbourhood:
    """The organisations within ``hops`` organisation hops of one, and what links them,
    within a budget of ``max_nodes`` nodes, the strongest ties first.

    One hop leads from an organisation to its partners: the other organisations of an
    action, project or network it takes part in, and those it is linked to directly
    (part of, successor of, runs, joint venture of, supports). The answer holds the
    organisations reached, the activities the hops went through, and the relationships
    among them; the explorer's "1 stap" is one hop.

    Parameters
    ----------
    graph
        One graph version.
    org_id
        The organisation at the centre.
    hops
        Organisation hops to walk.
    rel_types
        Relationships a hop may follow; by default every link through which
        organisations work together (``COLLABORATION_LINKS``).
    include_generic
        Also reach (and walk through) placeholder groups such as "mkb".
    max_nodes
        The budget: at most this many nodes (organisations and activities, the centre
        included).

    Returns
    -------
    Neighbourhood
        The nodes shown (sorted by id) and the relationships among them (by key);
        ``organisations`` and ``activities`` count all within ``hops``, shown or not, and
        ``truncated`` says the budget left some out.

    Raises
    ------
    NotFoundError
        The organisation does not exist.

    Notes
    -----
    The budget is spent ring by ring, nearest first. A ring that fits is shown whole.
    In the ring that does not fit, its organisations are taken by tie strength, the
    strongest first (then by id): an organisation's tie strength is the number of the
    ring's activities it takes part in (those of the organisations one hop nearer) plus
    its direct links to them. Each organisation taken brings one activity that links it,
    unless one already shown does or it is linked directly: the first of its
    links. The first organisation that no longer fits ends the
    answer; further rings are counted, not shown.
    """
    centre = graph.node(org_id)
    if centre is None:
        raise _not_found(org_id)
    walk = _Hops(graph, frozenset(rel_types) if rel_types else COLLABORATION_LINKS, include_generic)
    orgs, acts = {org_id}, set[str]()
    shown_orgs, shown_acts = {org_id}, set[str]()
    frontier: Collection[str] = (org_id,)
    truncated = False
    for _ in range(hops):
        if not frontier:
            break
        ring = _next_ring(walk, frontier, orgs, acts)
        if not truncated:
            room = max_nodes - len(shown_orgs) - len(shown_acts)
            if len(ring.activities) + len(ring.strength) <= room:
                shown_orgs.update(ring.strength)
                shown_acts.update(ring.activities)
            else:
                truncated = True
                _fill(walk, ring, room, frontier, shown_orgs, shown_acts)
        acts |= ring.activities
        orgs.update(ring.strength)
        frontier = ring.strength.keys()
    kept = shown_orgs | shown_acts
    nodes = [graph.node(n) for n in sorted(kept)]
    edges = _edges_among(walk, kept, shown_acts, shown_orgs)
    return Neighbourhood(
        GraphData.model_construct(  # records of the graph: valid already
            nodes=tuple(n for n in nodes if n is not None),
            relationships=tuple(edges[key] for key in sorted(edges)),
        ),
        truncated,
        organisations=len(orgs),
        activities=len(acts),
    )


def _fill(
    hops: _Hops,
    ring: _Ring,
    room: int,
    frontier: Collection[str],
    shown_orgs: set[str],
    shown_acts: set[str],
) -> None:
    """Spend ``room`` on the ring's strongest ties (see organisation_neighbourhood)."""
    ties = hops.ties
    near = set(frontier)
    for org in _strongest(ring.strength, room):
        own = ties(org)
        linked = not shown_acts.isdisjoint(own.activities) or not near.isdisjoint(own.organisations)
        via = None if linked else next((a for a in own.activities if a in ring.activities), None)
        cost = 1 if via is None else 2
        if cost > room:
            return
        shown_orgs.add(org)
        if via is not None:
            shown_acts.add(via)
        room -= cost


def _strongest(strength: Counter[str], count: int) -> list[str]:
    """The ``count`` organisations with the strongest ties, strongest first, then by id."""
    if count <= 0 or not strength:
        return []
    counts = sorted(strength.values(), reverse=True)
    weakest = counts[min(count, len(counts)) - 1]
    above = sorted(
        ((-n, org) for org, n in strength.items() if n > weakest)
    )  # few: the ties stronger than the weakest taken
    at = heapq.nsmallest(count - len(above), (org for org, n in strength.items() if n == weakest))
    return [org for _, org in above] + at


def _edges_among(
    hops: _Hops, kept: set[str], acts: Iterable[str], orgs: set[str]
) -> dict[tuple[RelType, str, str], Relationship]:
    """The followed relationships among the kept nodes, by key: those of the kept
    activities, and the direct links between kept organisations."""
    edges: dict[tuple[RelType, str, str], Relationship] = {}
    for node_id in acts:
        for there, rel in hops.ties(node_id).links:
            if there in kept:
                edges[rel.key] = rel
    for node_id in orgs:
        own = hops.ties(node_id)
        if not own.organisations:
            continue
        for there, rel in own.links:
            if there in orgs:
                edges[rel.key] = rel
    return edges
