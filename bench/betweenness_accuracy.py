"""Accuracy and time of sampled betweenness on the CORDIS graph, against exact betweenness.

Run ``python -m bench.betweenness_accuracy [--seeds 0,1,2] [--work]``. It builds the
collaboration projection of the whole CORDIS folder and compares, per seed, the former
estimate (the plain mean over ``k`` uniform sources, networkx 3.6 scaling) with
:func:`analytics.brokers.betweenness` at its default sample: seconds of the betweenness
step, Spearman over all organisations, and the overlap of the top 50 and top 20 with
exact betweenness. Prints markdown.

Exact betweenness of the full graph takes hours of one core on a shared machine, so it
is computed once, in chunks of sources that are kept under ``var/bench-cache/`` and
resumed on the next run (``--work`` computes missing chunks; without it the run uses
the chunks there are). Sources are one organisation per class of structural twins:
organisations with the same partners at the same tie lengths (and, if tied to each
other, at the same length) are swapped by an automorphism of the graph, so each has
the same dependencies on every other organisation and one of them, counted as many
times as the class has members, gives the exact sum. The chunks are drawn in a seeded
random order, so that an unfinished cache is a uniform sample of the classes; a run on
an unfinished cache reports its reference as an estimate from that many classes.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr  # type: ignore[import-untyped]

from analytics.brokers import BETWEENNESS_WORK, MIN_SOURCES, _betweenness_igraph, _sources
from analytics.engine import IndexedGraph, indexed_graph, to_igraph
from analytics.projection import collaboration_graph
from bench.cordis_import import DEFAULT_FOLDER
from seed.cordis import load_cordis

CACHE = Path(__file__).resolve().parents[1] / "var/bench-cache/cordis-exact"
CHUNK = 32
ORDER_SEED = 20261203
WEIGHT = "distance"


def twin_classes(ix: IndexedGraph, weight: str) -> list[int]:
    """For each node the representative of its class of structural twins (itself if
    alone): the same closed neighbourhood with the same lengths to everyone else, or
    (failing that) the same open neighbourhood with the same lengths."""
    adj = ix.weighted_adjacency(weight)
    rep = list(range(ix.n))
    closed: dict[frozenset[int], list[int]] = {}
    for u in range(ix.n):
        if adj[u]:
            closed.setdefault(frozenset(adj[u]) | {u}, []).append(u)
    for members in closed.values():
        reps: list[int] = []
        for u in members:
            twin = next(
                (r for r in reps if all(adj[u][x] == adj[r][x] for x in adj[u] if x != r)), None
            )
            if twin is None:
                reps.append(u)
            else:
                rep[u] = twin
    alone = np.bincount(np.array(rep), minlength=ix.n) == 1
    open_: dict[frozenset[tuple[int, float]], list[int]] = {}
    for u in range(ix.n):
        if adj[u] and alone[u]:
            open_.setdefault(frozenset(adj[u].items()), []).append(u)
    for members in open_.values():
        for u in members[1:]:
            rep[u] = members[0]
    return rep


def _graph_cache(ix: IndexedGraph) -> tuple[Any, list[int]]:
    """Sizes of the twin classes and their representatives in the seeded order; checks
    that the cache belongs to this graph."""
    CACHE.mkdir(parents=True, exist_ok=True)
    edges = np.array(ix.edges, dtype=np.int64)
    lengths = np.array(ix.attrs[WEIGHT])
    stamp = CACHE / "graph.npz"
    if stamp.exists():
        saved = np.load(stamp)
        if not (
            np.array_equal(saved["edges"], edges) and np.array_equal(saved["distance"], lengths)
        ):
            raise SystemExit(f"{CACHE} holds another graph; move it away to start afresh")
    else:
        np.savez(stamp, edges=edges, distance=lengths, nodes=np.array([str(v) for v in ix.nodes]))
    reps_file = CACHE / "reps.npy"
    if not reps_file.exists():
        np.save(reps_file, np.array(twin_classes(ix, WEIGHT)))
    rep = np.load(reps_file)
    degree = np.bincount(edges.ravel(), minlength=ix.n)
    order = [u for u in range(ix.n) if rep[u] == u and degree[u] > 0]
    random.Random(ORDER_SEED).shuffle(order)
    return np.bincount(rep, minlength=ix.n), order


def reference(ix: IndexedGraph, *, work: bool) -> tuple[Any, int, int]:
    """Exact betweenness (normalised) from the cached chunks, computing missing chunks
    when ``work``; with chunks missing, the estimate from those there are. Also the
    number of classes used and of classes in all."""
    size, order = _graph_cache(ix)
    chunks = [order[i : i + CHUNK] for i in range(0, len(order), CHUNK)]
    graph = to_igraph(ix)
    graph.es[WEIGHT] = ix.attrs[WEIGHT]
    total = np.zeros(ix.n)
    used = mass = 0
    for c, sources in enumerate(chunks):
        path = CACHE / f"rows-{c:04d}.npy"
        if not path.exists() and work:
            rows = np.array(
                [graph.betweenness(directed=False, weights=WEIGHT, sources=[s]) for s in sources],
                dtype=np.float32,
            )
            np.save(path, rows)
        if path.exists():
            rows = np.load(path).astype(float)
            total += (size[sources, None] * rows).sum(axis=0)
            used += len(sources)
            mass += int(size[sources].sum())
    everyone = int(sum(size[order]))
    n = ix.n
    return total * (everyone / max(mass, 1)) * 2 / ((n - 1) * (n - 2)), used, len(order)


def former(ix: IndexedGraph, graph: Any, k: int, seed: int) -> list[float]:
    """The former estimate: ``k`` sources uniform over all nodes, the sum of their
    dependencies scaled as networkx 3.6 scales it."""
    n = ix.n
    sources = random.Random(seed).sample(range(n), k)
    raw = graph.betweenness(directed=False, weights=ix.attrs[WEIGHT], sources=sources)
    sampled = set(sources)
    return [b * 2.0 / (((k - 1) if i in sampled else k) * (n - 2)) for i, b in enumerate(raw)]


def _agreement(values: Sequence[float], exact: Any) -> tuple[float, float, float]:
    estimate = np.array(values)
    rho = float(spearmanr(estimate, exact).statistic)
    return rho, _overlap(estimate, exact, 50), _overlap(estimate, exact, 20)


def _overlap(estimate: Any, exact: Any, top: int) -> float:
    mine = set(np.argsort(-estimate, kind="stable")[:top].tolist())
    return len(mine & set(np.argsort(-exact, kind="stable")[:top].tolist())) / top


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--work", action="store_true", help="compute missing exact chunks")
    parser.add_argument(
        "--sources", type=int, default=None, help="sources of the new estimate (default: as served)"
    )
    args = parser.parse_args(argv)
    G = collaboration_graph(load_cordis(DEFAULT_FOLDER))
    ix = indexed_graph(G, [WEIGHT])
    exact, used, classes = reference(ix, work=args.work)
    graph = to_igraph(ix)
    degree = [0] * ix.n
    for i, j in ix.edges:
        degree[i] += 1
        degree[j] += 1
    lines = [
        f"CORDIS: {ix.n:,} organisations, {len(ix.edges):,} ties; reference from "
        f"{used:,} of {classes:,} twin classes"
        + (" (exact)." if used == classes else " (an estimate: exact is unfinished)."),
        "",
        "| method | seed | sources | CPU seconds | Spearman | top-50 overlap | top-20 overlap |",
        "|---|---|---|---|---|---|---|",
    ]
    for seed in (int(s) for s in args.seeds.split(",")):
        sources = _sources(degree, len(ix.edges), args.sources, seed)
        assert sources is not None
        k = max(MIN_SOURCES, math.ceil(BETWEENNESS_WORK / len(ix.edges)))  # the former rule
        start = time.process_time()
        old = former(ix, graph, k, seed)
        old_s = time.process_time() - start
        start = time.process_time()
        new = _betweenness_igraph(ix, WEIGHT, sources, graph)
        new_s = time.process_time() - start
        runs = (("former", k, old, old_s), ("regression", len(sources), new, new_s))
        for label, size, values, seconds in runs:
            rho, top50, top20 = _agreement(values, exact)
            cells = (
                label,
                seed,
                size,
                f"{seconds:.2f}",
                f"{rho:.2f}",
                f"{top50:.2f}",
                f"{top20:.2f}",
            )
            lines.append("| " + " | ".join(map(str, cells)) + " |")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
