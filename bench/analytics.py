"""Recompute time and peak memory of each analysis, on the Drenthe and the CORDIS graph.

Run ``python -m bench.analytics [--graphs drenthe,cordis]``. For each graph it builds the
collaboration projection once, then times each analysis (brokers, gaps, communities,
KPIs) in turn with its peak traced Python memory, and finally the cost of asking the
analytics service again without a write in between (a cache hit). Prints markdown.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analytics.brokers import brokers
from analytics.communities import communities
from analytics.gaps import helix_mix, missing_roles, structural_holes, theme_crossovers
from analytics.kpis import kpis
from analytics.projection import ProjectionOptions, collaboration_graph, two_mode_graph
from app.core import GraphCore
from app.services.analytics import AnalyticsService, Options
from app.store import EmbeddedStore
from bench.cordis_import import DEFAULT_FOLDER
from graph_schema import GraphData
from seed import load_seed
from seed.cordis import load_cordis

TRACE_MEMORY = False  # tracing allocations slows Python-heavy steps two- to threefold


def _measure(action: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds of one call, and the peak MiB of its traced Python allocations when
    ``--memory`` asks for them (then in a second, traced call, so the time stays true)."""
    start = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - start
    peak = 0
    if TRACE_MEMORY:
        tracemalloc.start()
        action()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return seconds, peak / 2**20, value


def _graph(name: str) -> GraphData:
    return load_seed() if name == "drenthe" else load_cordis(DEFAULT_FOLDER)


def measure(name: str) -> list[str]:
    data = _graph(name)
    rows: list[str] = []
    seconds, peak, G = _measure(lambda: collaboration_graph(data))
    rows.append(
        f"| {name} | projection ({G.number_of_nodes():,} organisations, "
        f"{G.number_of_edges():,} ties) | {seconds:.2f} | {peak:.0f} |"
    )
    B = two_mode_graph(data, ProjectionOptions(include_generic=True))
    total = 0.0
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("brokers", lambda: brokers(G)),
        ("communities", lambda: communities(G)),
        ("gaps: theme cross-overs", lambda: theme_crossovers(B)),
        ("gaps: helix mix", lambda: helix_mix(G)),
        ("gaps: missing roles", lambda: missing_roles(B)),
        ("gaps: structural holes", lambda: structural_holes(G, communities(G).partition())),
        ("kpis", lambda: kpis(G, B)),
    ]
    for label, action in steps:
        seconds, peak, _ = _measure(action)
        total += seconds
        rows.append(f"| {name} | {label} | {seconds:.2f} | {peak:.0f} |")
    rows.append(f"| {name} | **all analyses together** | **{total:.2f}** | |")
    return rows


def cache_hits(name: str, runs: int = 5) -> str:
    """First call vs repeated calls of the service, through a real store."""
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.sqlite3")
        store.upsert(_graph(name))
        service = AnalyticsService(GraphCore(store))
        options = Options()

        def everything() -> None:
            service.brokers(options)
            service.gaps(options)
            service.communities(options)
            service.kpis(options)

        first, _, _ = _measure(everything)
        again = statistics.median(_measure(everything)[0] for _ in range(runs))
        store.close()
    return f"| {name} | {first:.3f} s | {again * 1000:.2f} ms | {again / first:.2%} |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--graphs", default="drenthe,cordis")
    parser.add_argument("--memory", action="store_true", help="also trace peak memory")
    args = parser.parse_args(argv)
    global TRACE_MEMORY  # noqa: PLW0603 - a command-line switch of this script
    TRACE_MEMORY = args.memory
    graphs = args.graphs.split(",")
    lines = ["| graph | analysis | seconds | peak MiB (Python) |", "|---|---|---|---|"]
    for name in graphs:
        lines.extend(measure(name))
    lines += [
        "",
        "| graph | first call (all four) | repeated call, median of 5 | ratio |",
        "|---|---|---|---|",
    ]
    lines.extend(cache_hits(name) for name in graphs)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += ["", f"Peak resident memory of the whole run: {peak_rss:,.0f} MiB."]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
