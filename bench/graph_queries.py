"""Paths and neighbourhoods on the graph core, before and after, on the Horizon 2020 graph.

Run ``python -m bench.graph_queries [--pairs 200] [--organisations 200]``. The CORDIS
folder is read through the importer's parser into one :class:`~app.core.Graph`;
organisations and pairs are drawn as ``bench.api_latency.build_workload`` draws them (the
first page of the name-ordered list and eight pages spread over it). Times, in the same
run: shortest paths (collaboration links, no generic groups, limit 10) by the one-ended
search kept in :mod:`bench.previous_queries` and by
:func:`app.core.paths.shortest_paths`; organisation hops at depth 2 by the previous
``organisation_neighbourhood`` (copied here) and by
:func:`app.core.neighbourhood.organisation_neighbourhood`, the latter on a fresh version
(each node's ties read on first use) and again once read. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Collection, Sequence
from functools import partial
from pathlib import Path

from app.core import Graph
from app.core.listing import ranked
from app.core.neighbourhood import Neighbourhood, organisation_neighbourhood
from app.core.paths import GraphPath, shortest_paths
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
    same = sum(before(a, b) == after(a, b) for a, b in pairs)
    old_hops = timed([partial(previous_neighbourhood, graph, o, hops=2) for o in ids])
    fresh = Graph.of(2, data)
    first = timed([partial(organisation_neighbourhood, fresh, o, hops=2) for o in ids])
    again = timed([partial(organisation_neighbourhood, fresh, o, hops=2) for o in ids])
    cut = sum(organisation_neighbourhood(fresh, o, hops=2).truncated for o in ids)

    print(f"CORDIS H2020: {len(graph):,} nodes; {len(pairs)} pairs, {len(ids)} organisations")
    print()
    print("| query | n | p50 ms | p95 ms | p99 ms | p50 before / after |")
    print("|---|---:|---:|---:|---:|---:|")
    print(row("paths, one-ended search (before)", old_paths))
    print(row("paths, bidirectional (graph core)", new_paths, old_paths))
    print(row("depth 2, every ring whole (before)", old_hops))
    print(row("depth 2, budget 2000, first use of a version", first, old_hops))
    print(row("depth 2, budget 2000, ties read", again, old_hops))
    print()
    print(f"Same paths in the same order for {same} of {len(pairs)} pairs; the budget cut")
    print(f"{cut} of {len(ids)} depth-2 neighbourhoods.")


if __name__ == "__main__":
    main()
