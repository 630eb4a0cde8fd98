"""Neighbourhoods of one graph version: the nodes a few steps around one node.

:func:`neighbourhood` walks relationships (every node within ``depth`` steps);
:func:`organisation_neighbourhood` walks organisation hops (partners, their partners)
within a budget of nodes: the strongest ties first, with the totals of what the budget
left out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

from app.errors import NotFoundError, quoted
from graph_schema import GraphData, Node, Organisation, Relationship, RelType
from graph_schema.enums import ACTIVITY_KINDS, COLLABORATION_LINKS

if TYPE_CHECKING:
    from app.core.graph import Adjacency, Graph

__all__ = ["Neighbourhood", "default_budget", "neighbourhood", "organisation_neighbourhood"]

ACTIVITIES = frozenset(ACTIVITY_KINDS)

ONE_HOP_BUDGET = 2000
FARTHER_BUDGET = 200
"""Default budgets: beyond one hop a hub reaches most of a large graph, and an answer of
2,000 nodes is some 2 MB of JSON (Horizon 2020). 200 nodes, the strongest ties, are a
picture a person can read and about 0.2 MB; no depth-2 neighbourhood of the Drenthe
agenda comes near it (at most 99 nodes)."""


def default_budget(hops: int) -> int:
    """The default node budget of :func:`organisation_neighbourhood` for ``hops`` hops."""
    return ONE_HOP_BUDGET if hops <= 1 else FARTHER_BUDGET


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


class _Hops:
    """The ties of a graph version's nodes under one walk (kinds followed, generic or not).

    Each node's ties are read from its links once per graph shape (kept in the graph's
    ``shape_memo``): versions that only changed properties share them.
    """

    def __init__(self, graph: Graph, follow: frozenset[RelType], include_generic: bool):
        self.graph = graph
        self.follow = follow
        self.include_generic = include_generic
        key = ("organisation_ties", follow, include_generic)
        self.known: dict[str, _Ties] = graph.shape_memo.setdefault(key, {})

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


@dataclass(frozen=True, slots=True)
class _Index:
    """A graph version's organisations and activities as integers, and their links as
    sparse matrices, under one walk (kinds followed, generic or not).

    Organisations and activities are numbered in id order, so a lower number is a
    lower id.
    """

    organisations: list[str]  # by number
    organisation_at: dict[str, int]
    activities: list[str]  # by number
    activity_at: dict[str, int]
    reachable: NDArray[np.bool_]  # organisations a walk may reach
    member: csr_matrix  # organisation x activity: links between them
    member_of: csr_matrix  # activity x organisation: the same, transposed
    direct: csr_matrix  # organisation x organisation: direct links, both ways


def _index(graph: Graph, follow: frozenset[RelType], include_generic: bool) -> _Index:
    """The index of this graph shape and walk, made on first use and kept with the shape
    (a write that changes only properties keeps it, see ``Graph.shape_memo``)."""
    key = ("organisation_hops", follow, include_generic)
    found = graph.shape_memo.get(key)
    if found is None:
        found = graph.shape_memo[key] = _build_index(graph, follow, include_generic)
    return cast(_Index, found)


def _build_index(graph: Graph, follow: frozenset[RelType], include_generic: bool) -> _Index:
    nodes = graph.nodes
    orgs = sorted(i for i, n in nodes.items() if isinstance(n, Organisation))
    acts = sorted(i for i, n in nodes.items() if n.label in ACTIVITIES)
    org_at = {o: i for i, o in enumerate(orgs)}
    act_at = {a: i for i, a in enumerate(acts)}
    reachable = np.fromiter(
        (include_generic or not cast(Organisation, nodes[o]).generic for o in orgs),
        dtype=np.bool_,
        count=len(orgs),
    )
    member_pairs: list[tuple[int, int]] = []
    direct_pairs: list[tuple[int, int]] = []
    for rel in graph.relationships:  # any order: the matrices sum what they are given
        if rel.type not in follow or rel.source == rel.target:
            continue
        source, target = org_at.get(rel.source), org_at.get(rel.target)
        if source is not None and target is not None:
            direct_pairs += ((source, target), (target, source))
        elif source is not None and rel.target in act_at:
            member_pairs.append((source, act_at[rel.target]))
        elif target is not None and rel.source in act_at:
            member_pairs.append((target, act_at[rel.source]))
    member = _sparse(member_pairs, (len(orgs), len(acts)))
    direct = _sparse(direct_pairs, (len(orgs), len(orgs)))
    return _Index(orgs, org_at, acts, act_at, reachable, member, member.T.tocsr(), direct)


def _sparse(pairs: list[tuple[int, int]], shape: tuple[int, int]) -> csr_matrix:
    """A matrix counting each (row, column) pair (a pair met twice counts 2)."""
    at = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    ones = np.ones(len(at), dtype=np.int64)
    return csr_matrix((ones, (at[:, 0], at[:, 1])), shape=shape)  # duplicates are summed


@dataclass(slots=True)
class _Ring:
    """One hop: the activities it goes through and the organisations it reaches, each
    with its tie strength (the ring's activities it takes part in, plus direct links)."""

    activities: NDArray[np.bool_]
    strength: NDArray[np.int64]  # 0 for organisations the hop does not reach

    @property
    def organisations(self) -> NDArray[np.bool_]:
        return self.strength > 0


def _next_ring(
    index: _Index,
    frontier: NDArray[np.int64],
    orgs: NDArray[np.bool_],
    acts: NDArray[np.bool_],
) -> _Ring:
    """The ring one organisation hop beyond ``frontier`` (1 for each organisation in
    it), given what is reached already."""
    activities = (index.member_of @ frontier > 0) & ~acts
    strength = index.member @ activities.astype(np.int64) + index.direct @ frontier
    strength[orgs | ~index.reachable] = 0
    return _Ring(activities, np.asarray(strength, dtype=np.int64))


def organisation_neighbourhood(
    graph: Graph,
    org_id: str,
    *,
    hops: int = 1,
    rel_types: Collection[RelType] | None = None,
    include_generic: bool = False,
    max_nodes: int | None = None,
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
        included); by default :func:`default_budget` (2,000 for one hop, 200 beyond).

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

    The rings are counted with sparse matrix-vector products over an index of the
    version (organisations x activities, organisations x organisations), made once per
    version and walk; only the shown nodes' links are read from the graph.
    """
    centre = graph.node(org_id)
    if centre is None:
        raise _not_found(org_id)
    if max_nodes is None:
        max_nodes = default_budget(hops)
    follow = frozenset(rel_types) if rel_types else COLLABORATION_LINKS
    index = _index(graph, follow, include_generic)
    walk = _Hops(graph, follow, include_generic)
    orgs = np.zeros(len(index.organisations), dtype=np.bool_)
    acts = np.zeros(len(index.activities), dtype=np.bool_)
    shown_orgs, shown_acts = orgs.copy(), acts.copy()
    frontier = np.zeros(len(index.organisations), dtype=np.int64)
    at = index.organisation_at.get(org_id)
    if at is not None:
        orgs[at] = shown_orgs[at] = True
        frontier[at] = 1
    cut: tuple[set[str], set[str]] | None = None  # what is shown once the budget is spent
    for _ in range(hops):
        if not frontier.any():
            break
        ring = _next_ring(index, frontier, orgs, acts)
        reached = ring.organisations
        if cut is None:
            room = max_nodes - int(shown_orgs.sum()) - int(shown_acts.sum()) - (at is None)
            if int(ring.activities.sum()) + int(reached.sum()) <= room:
                shown_orgs |= reached
                shown_acts |= ring.activities
            else:
                cut = _fill(index, walk, ring, room, frontier > 0, shown_orgs, shown_acts)
        acts |= ring.activities
        orgs |= reached
        frontier = reached.astype(np.int64)
    kept_orgs, kept_acts = _names(index, shown_orgs, shown_acts) if cut is None else cut
    kept_orgs.add(org_id)
    kept = kept_orgs | kept_acts
    nodes = [graph.node(n) for n in sorted(kept)]
    edges = _edges_among(walk, kept, kept_acts, kept_orgs)
    return Neighbourhood(
        GraphData.model_construct(  # records of the graph: valid already
            nodes=tuple(n for n in nodes if n is not None),
            relationships=tuple(edges[key] for key in sorted(edges)),
        ),
        cut is not None,
        organisations=int(orgs.sum()) + (1 if at is None else 0),
        activities=int(acts.sum()),
    )


def _names(
    index: _Index, orgs: NDArray[np.bool_], acts: NDArray[np.bool_]
) -> tuple[set[str], set[str]]:
    """The ids of the organisations and activities marked."""
    return (
        {index.organisations[i] for i in np.flatnonzero(orgs)},
        {index.activities[i] for i in np.flatnonzero(acts)},
    )


def _fill(
    index: _Index,
    hops: _Hops,
    ring: _Ring,
    room: int,
    near: NDArray[np.bool_],
    shown_orgs: NDArray[np.bool_],
    shown_acts: NDArray[np.bool_],
) -> tuple[set[str], set[str]]:
    """What is shown once ``room`` is spent on the ring's strongest ties (see
    organisation_neighbourhood): the ids of the organisations and of the activities."""
    orgs, acts = _names(index, shown_orgs, shown_acts)
    nearer = {index.organisations[i] for i in np.flatnonzero(near)}
    in_ring, act_at = ring.activities.tolist(), index.activity_at
    for number in _strongest(ring.strength, room).tolist():
        org = index.organisations[number]
        own = hops.ties(org)
        linked = not acts.isdisjoint(own.activities) or not nearer.isdisjoint(own.organisations)
        via = None if linked else next((a for a in own.activities if in_ring[act_at[a]]), None)
        cost = 1 if via is None else 2
        if cost > room:
            break
        orgs.add(org)
        if via is not None:
            acts.add(via)
        room -= cost
    return orgs, acts


def _strongest(strength: NDArray[np.int64], count: int) -> NDArray[np.intp]:
    """The numbers of the ``count`` organisations with the strongest ties, strongest
    first, then by id (numbers follow ids)."""
    if count <= 0:
        return np.empty(0, dtype=np.intp)
    candidates = np.flatnonzero(strength)
    values = strength[candidates]
    if count < len(values):
        weakest = np.partition(values, len(values) - count)[len(values) - count]
        stronger = values >= weakest  # the ties at least as strong as the weakest taken
        candidates, values = candidates[stronger], values[stronger]
    order = np.argsort(-values, kind="stable")[:count]  # stable: ties keep id order
    return candidates[order]


def _edges_among(
    hops: _Hops, kept: set[str], acts: Iterable[str], orgs: set[str]
) -> dict[tuple[RelType, str, str], Relationship]:
    """The followed relationships among the kept nodes, by key: those of the kept
    activities, and the direct links between kept organisations."""
    found = [rel for a in acts for there, rel in hops.ties(a).links if there in kept]
    for node_id in orgs:
        own = hops.ties(node_id)
        if own.organisations and not orgs.isdisjoint(own.organisations):
            found += (rel for there, rel in own.links if there in orgs)
    return {rel.key: rel for rel in found}
