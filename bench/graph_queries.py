"""Paths and neighbourhoods on the graph core, before and after, on the Horizon 2020 graph.

Run ``python -m bench.graph_queries [--pairs 200] [--organisations 200]``. The CORDIS
folder is read through the importer's parser into one :class:`~app.core.Graph`;
organisations and pairs are drawn as ``bench.api_latency.build_workload`` draws them (the
first page of the name-ordered list and eight pages spread over it). Times, in the same
run: shortest paths (collaboration links, no generic groups, limit 10) by the one-ended
search that stays in :class:`~app.store.queries.GraphQueries` and by
:func:`app.core.paths.shortest_paths`; organisation hops at depth 2 by the walk before the
graph core (copied here), by the graph core's walk over each node's ties (copied here as
:func:`ties_neighbourhood`) and by :func:`app.core.neighbourhood.organisation_neighbourhood`
(sparse index), each on a fresh version (its first call reads ties or builds the index)
and again once read; then the index at the default depth-2 budget, also with the
:class:`~app.services.views.GraphView` and its JSON. Prints a markdown table."""

from __future__ import annotations

import argparse
import heapq
import random
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from functools import partial
from itertools import chain
from pathlib import Path

from app.core import Graph
from app.core.listing import ranked
from app.core.neighbourhood import (
    Neighbourhood,
    _edges_among,
    _Hops,
    default_budget,
    organisation_neighbourhood,
)
from app.core.paths import GraphPath, shortest_paths
from app.services.views import filter_view
from bench import previous_queries as previous
from bench.api_latency import percentile
from bench.cordis_import import DEFAULT_FOLDER
from graph_schema import GraphData, NodeLabel, Organisation, Relationship
from graph_schema.enums import ACTIVITY_KINDS, COLLABORATION_LINKS
from seed.cordis import load_cordis

ACTIVITIES = frozenset(ACTIVITY_KINDS)


def previous_neighbourhood(
    view: Graph, org_id: str, *, hops: int = 1, max_nodes: int = 2000
) -> Neighbourhood:
    """The organisation hops as the service walked them before (every ring whole, the
    last one cut by id at ``max_nodes``), kept here to be timed."""
    follow = COLLABORATION_LINKS
    known = dict(view.get_nodes([org_id]))

    def links(ids: Collection[str]) -> list[Relationship]:
        rels = [r for r in view.edges_touching(sorted(ids)) if r.type in follow]
        ends = {r.source for r in rels} | {r.target for r in rels}
        known.update(view.get_nodes(sorted(ends - known.keys())))
        return rels

    def reachable(node_id: str) -> bool:
        node = known.get(node_id)
        return isinstance(node, Organisation) and not node.generic

    orgs, activities, frontier = {org_id}, set[str](), {org_id}
    truncated = False
    for _ in range(hops):
        if not frontier or truncated:
            break
        found_orgs: set[str] = set()
        found_activities: set[str] = set()
        for rel in links(frontier):
            for here, there in ((rel.source, rel.target), (rel.target, rel.source)):
                if here not in frontier or there in orgs or there in activities:
                    continue
                if reachable(there):
                    found_orgs.add(there)
                elif there in known and known[there].label in ACTIVITIES:
                    found_activities.add(there)
        for rel in links(found_activities):
            for there in (rel.source, rel.target):
                if there not in orgs and reachable(there):
                    found_orgs.add(there)
        room = max_nodes - len(orgs) - len(activities)
        if len(found_activities) + len(found_orgs) > room:
            truncated = True
            found_activities = set(sorted(found_activities)[:room])
            found_orgs = set(sorted(found_orgs)[: max(0, room - len(found_activities))])
        activities |= found_activities
        orgs |= found_orgs
        frontier = found_orgs
    kept = orgs | activities
    edges = {r.key: r for r in links(kept) if r.source in kept and r.target in kept}
    nodes = tuple(sorted((known[n] for n in kept), key=lambda n: n.id))
    rels = tuple(edges[key] for key in sorted(edges))
    return Neighbourhood(GraphData(nodes=nodes, relationships=rels), truncated)


def ties_neighbourhood(graph: Graph, org_id: str, *, hops: int, max_nodes: int) -> Neighbourhood:
    """The organisation hops as the graph core walked them before its sparse index (the
    same answer): rings of ids from each node's ties, read on first use; kept here to be
    timed."""
    walk = _Hops(graph, COLLABORATION_LINKS, False)
    orgs, acts = {org_id}, set[str]()
    shown_orgs, shown_acts = {org_id}, set[str]()
    frontier: Collection[str] = (org_id,)
    truncated = False
    for _ in range(hops):
        if not frontier:
            break
        ring = {a for o in frontier for a in walk.ties(o).activities if a not in acts}
        strength = Counter(chain.from_iterable(walk.ties(a).organisations for a in ring))
        strength.update(chain.from_iterable(walk.ties(o).organisations for o in frontier))
        for org in orgs.intersection(strength):
            del strength[org]
        if not truncated:
            room = max_nodes - len(shown_orgs) - len(shown_acts)
            if len(ring) + len(strength) <= room:
                shown_orgs.update(strength)
                shown_acts.update(ring)
            else:
                truncated = True
                near = set(frontier)
                for org in _strongest(strength, room):
                    own = walk.ties(org)
                    linked = not shown_acts.isdisjoint(own.activities)
                    linked = linked or not near.isdisjoint(own.organisations)
                    via = None if linked else next((a for a in own.activities if a in ring), None)
                    if (cost := 1 if via is None else 2) > room:
                        break
                    shown_orgs.add(org)
                    shown_acts.update(() if via is None else (via,))
                    room -= cost
        acts |= ring
        orgs.update(strength)
        frontier = strength.keys()
    kept = shown_orgs | shown_acts
    nodes = tuple(n for n in (graph.node(i) for i in sorted(kept)) if n is not None)
    edges = _edges_among(walk, kept, shown_acts, shown_orgs)
    rels = tuple(edges[key] for key in sorted(edges))
    data = GraphData.model_construct(nodes=nodes, relationships=rels)
    return Neighbourhood(data, truncated, organisations=len(orgs), activities=len(acts))


def _strongest(strength: Counter[str], count: int) -> list[str]:
    if count <= 0 or not strength:
        return []
    weakest = sorted(strength.values(), reverse=True)[min(count, len(strength)) - 1]
    above = sorted((-n, org) for org, n in strength.items() if n > weakest)
    at = heapq.nsmallest(count - len(above), (o for o, n in strength.items() if n == weakest))
    return [org for _, org in above] + at


def same(a: Neighbourhood, b: Neighbourhood) -> bool:
    """Whether two answers show and count the same."""
    return (a.graph, a.truncated, a.organisations, a.activities) == (
        b.graph,
        b.truncated,
        b.organisations,
        b.activities,
    )


def served(graph: Graph, org_id: str) -> str:
    """The depth-2 answer at the default budget as the route serves it: view and JSON."""
    found = organisation_neighbourhood(graph, org_id, hops=2)
    return filter_view(found.graph, keep=[org_id]).model_dump_json()


def draw(graph: Graph, rng: random.Random, organisations: int, pairs: int) -> list[list[str]]:
    """Organisations (and pairs of them) drawn as the API latency bench draws them."""
    listed = [node.id for node in ranked(graph, NodeLabel.ORGANISATION)]
    page = 500
    chosen = listed[:page]
    starts = range(page, len(listed), page)
    for offset in rng.sample(starts, min(8, len(starts))):
        chosen += listed[offset : offset + page]
    ids = rng.sample(chosen, min(organisations, len(chosen)))
    return [ids, *(rng.sample(ids, 2) for _ in range(pairs))]


def timed(calls: Sequence[Callable[[], object]]) -> list[float]:
    """Seconds each call took, in order."""
    seconds = []
    for call in calls:
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return seconds


def row(name: str, seconds: list[float], before: list[float] | None = None) -> str:
    ms = [percentile(seconds, q) * 1000 for q in (50, 95, 99)]
    ratio = ""
    if before is not None:
        ratio = f"{percentile(before, 50) / percentile(seconds, 50):,.0f}×"
    return f"| {name} | {len(seconds)} | {ms[0]:,.1f} | {ms[1]:,.1f} | {ms[2]:,.1f} | {ratio} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--cordis", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    data = load_cordis(args.cordis)
    graph = Graph.of(1, data)
    ids, *pairs = draw(graph, random.Random(16), args.organisations, args.pairs)
    links = COLLABORATION_LINKS

    def before(a: str, b: str) -> list[GraphPath]:
        return previous.shortest_paths(graph, a, b, rel_types=links, include_generic=False)

    def after(a: str, b: str) -> list[GraphPath]:
        return shortest_paths(graph, a, b, rel_types=links, include_generic=False)

    old_paths = timed([partial(before, a, b) for a, b in pairs])
    new_paths = timed([partial(after, a, b) for a, b in pairs])
    same_paths = sum(before(a, b) == after(a, b) for a, b in pairs)
    old_hops = timed([partial(previous_neighbourhood, graph, o, hops=2) for o in ids])
    wide = partial(ties_neighbourhood, hops=2, max_nodes=2000)
    ties_graph = Graph.of(2, data)
    ties_first = timed([partial(wide, ties_graph, o) for o in ids])
    ties_again = timed([partial(wide, ties_graph, o) for o in ids])
    indexed = partial(organisation_neighbourhood, hops=2, max_nodes=2000)
    fresh = Graph.of(3, data)
    first = timed([partial(indexed, fresh, o) for o in ids])
    again = timed([partial(indexed, fresh, o) for o in ids])
    budget = default_budget(2)
    default = timed([partial(organisation_neighbourhood, fresh, o, hops=2) for o in ids])
    whole = timed([partial(served, fresh, o) for o in ids])
    kb = sorted(len(served(fresh, o)) / 1000 for o in ids)
    agree = sum(same(wide(ties_graph, o), indexed(fresh, o)) for o in ids)
    cut = sum(indexed(fresh, o).truncated for o in ids)
    build = timed([partial(indexed, Graph.of(4, data), ids[0])])

    print(f"CORDIS H2020: {len(graph):,} nodes; {len(pairs)} pairs, {len(ids)} organisations")
    print()
    print("| query | n | p50 ms | p95 ms | p99 ms | p50 before / after |")
    print("|---|---:|---:|---:|---:|---:|")
    print(row("paths, one-ended search (before)", old_paths))
    print(row("paths, bidirectional (graph core)", new_paths, old_paths))
    print(row("depth 2, every ring whole (before the graph core)", old_hops))
    print(row("depth 2, budget 2000, ties walk, first use of a version", ties_first))
    print(row("depth 2, budget 2000, ties walk, ties read", ties_again))
    print(row("depth 2, budget 2000, sparse index, first use of a version", first, ties_first))
    print(row("depth 2, budget 2000, sparse index, index built", again, ties_again))
    print(row(f"depth 2, default budget {budget}, sparse index", default, ties_again))
    print(row(f"depth 2, default budget {budget}, + GraphView JSON", whole))
    print()
    print(f"Same paths in the same order for {same_paths} of {len(pairs)} pairs; the same")
    print(f"depth-2 answer from both walks for {agree} of {len(ids)} organisations; the budget")
    print(f"of 2000 cut {cut} of them. The index of a version is built in {build[0]:.2f} s")
    print(f"(first call); JSON at the default budget: median {kb[len(kb) // 2]:,.0f} kB,")
    print(f"largest {kb[-1]:,.0f} kB.")


if __name__ == "__main__":
    main()
