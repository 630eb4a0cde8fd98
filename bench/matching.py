"""Partner matching: would it have proposed the real collaborations, and how fast is it?

Run ``python -m bench.matching [--parts evaluation,latency] [--graphs drenthe,cordis]``.

evaluation
    On the CORDIS Horizon 2020 graph (read through the importer's parser): learn from the
    projects that started before 2019-01-01 and ask, for up to 1,000 organisations (a
    seeded sample), for the new partners of the later projects; on the Drenthe graph:
    20 random hold-outs of 10 % of the memberships. The matcher with its default weights
    against random, popularity, Adamic–Adar alone and helix/theme fit alone, all ranking
    the same candidates (``analytics.evaluation``).
latency
    The service in its own process on the embedded store, loaded through the command
    line; one request for the index (its build time is reported), then requests one at a
    time from a warm cache: ``GET /api/v1/match/partners?org=`` for random organisations
    with at least one partner, and ``POST /api/v1/match`` with a theme and a helix role.

Prints markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from analytics.evaluation import Evaluation, average, evaluate, holdout_split, temporal_split
from analytics.matching import MatchIndex
from bench.api_latency import (
    Neo4jTarget,
    Server,
    _executable,
    load_graph,
    percentile,
    running,
    service_env,
)
from bench.cordis_import import DEFAULT_FOLDER
from graph_schema import GraphData, HelixRole
from seed import load_seed
from seed.cordis import load_cordis

CUTOFF = date(2019, 1, 1)
QUERIES = 1000
ROUNDS = 20


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _graph(name: str, cordis: Path) -> GraphData:
    return load_seed() if name == "drenthe" else load_cordis(cordis)


def _evaluation_table(evaluation: Evaluation) -> str:
    lines = [
        f"{evaluation.description}: {evaluation.queries:,} organisations asked, "
        f"{evaluation.positives:,} hidden partners, {evaluation.candidates:,.0f} candidates "
        f"ranked per organisation, {evaluation.seconds:.0f} s",
        "",
        "| method | P@5 | P@10 | R@10 | MRR | AUC |",
        "|---|---|---|---|---|---|",
    ]
    for row in evaluation.rows:
        values = (row.precision_at_5, row.precision_at_10, row.recall_at_10, row.mrr, row.auc)
        name = f"**{row.method}**" if row.method == "matcher" else row.method
        lines.append(f"| {name} | " + " | ".join(f"{v:.4f}" for v in values) + " |")
    best_baseline = max(
        (r for r in evaluation.rows if r.method != "matcher"), key=lambda r: r.precision_at_10
    )
    matcher = evaluation.rows[0]
    ratio = matcher.precision_at_10 / best_baseline.precision_at_10
    lines += [
        "",
        f"P@10: matcher {matcher.precision_at_10:.4f} vs best baseline "
        f"({best_baseline.method}) {best_baseline.precision_at_10:.4f}: ×{ratio:.2f}",
    ]
    return "\n".join(lines)


def run_evaluation(graphs: Sequence[str], cordis: Path, queries: int) -> None:
    for name in graphs:
        _log(f"evaluation on {name}")
        graph = _graph(name, cordis)
        if name == "cordis":
            result = evaluate(temporal_split(graph, CUTOFF), queries=queries)
        else:
            result = average([evaluate(holdout_split(graph, 0.1, s)) for s in range(ROUNDS)])
        print(f"\n### {name}\n\n{_evaluation_table(result)}\n", flush=True)


def _askers(graph: GraphData, count: int, rng: random.Random) -> list[str]:
    index = MatchIndex(graph)
    linked = [org_id for org_id, i in index.position.items() if index.degree[i] > 0]
    return rng.sample(sorted(linked), min(count, len(linked)))


def _timed(client: httpx.Client, method: str, path: str, **kwargs: Any) -> float:
    started = time.perf_counter()
    response = client.request(method, path, **kwargs)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text[:300]}")
    return elapsed


def _cells(samples: Sequence[float]) -> str:
    ms = [s * 1000 for s in samples]
    return " | ".join(
        f"{v:.1f}"
        for v in (
            statistics.median(ms),
            percentile(ms, 95),
            percentile(ms, 99),
            max(ms),
        )
    )


def run_latency(graphs: Sequence[str], cordis: Path, requests: int) -> None:
    rng = random.Random(7)
    rows = []
    for name in graphs:
        graph = _graph(name, cordis)
        askers = _askers(graph, requests, rng)
        themes = sorted(n.id for n in graph.nodes if n.label == "Theme")
        with tempfile.TemporaryDirectory() as folder:
            env = service_env("embedded", Path(folder), Neo4jTarget.from_env())
            _log(f"loading {name} into the embedded store")
            load_graph(name, "embedded", env, cordis, Neo4jTarget.from_env())
            server = Server("helixgraph", [_executable("helixgraph"), "serve"], env, Path(folder))
            with (
                running(server, "/ready"),
                httpx.Client(base_url=server.base_url, timeout=600) as client,
            ):
                first = _timed(client, "GET", "/api/v1/match/partners", params={"org": askers[0]})
                by_org = [
                    _timed(client, "GET", "/api/v1/match/partners", params={"org": a})
                    for a in askers
                ]
                by_need = [
                    _timed(
                        client,
                        "POST",
                        "/api/v1/match",
                        json={
                            "themes": [rng.choice(themes)],
                            "roles": [rng.choice(list(HelixRole)).value],
                        },
                    )
                    for _ in range(min(requests, 100))
                ]
        rows.append(
            f"| {name} | {first:.2f} s | {len(by_org)} | {_cells(by_org)} "
            f"| {len(by_need)} | {_cells(by_need)} |"
        )
    print(
        "\n| graph | first request (builds the index) | org requests | p50 | p95 | p99 | max "
        "| need requests | p50 | p95 | p99 | max |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows),
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="evaluation,latency")
    parser.add_argument("--graphs", default="drenthe,cordis")
    parser.add_argument("--cordis", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    graphs = [g for g in args.graphs.split(",") if g]
    parts = set(args.parts.split(","))
    print(f"Command: `python -m bench.matching --parts {args.parts} --graphs {args.graphs}`")
    if "evaluation" in parts:
        run_evaluation(graphs, args.cordis, args.queries)
    if "latency" in parts:
        run_latency(graphs, args.cordis, args.requests)


if __name__ == "__main__":
    main()
