"""The graph core on the Horizon 2020 graph: reading it whole, following writes, memory.

Run ``python -m bench.graph_core [--runs 20]``. The CORDIS folder and the Drenthe seed go
into a fresh embedded store; a :class:`~app.core.GraphCore` reads it whole once, then
follows writes of 1, 10 and 100 organisations (a description changed, with a new
PARTICIPATES_IN link each) and single deletes: for each, the time from the store's answer
to the write until the core's next ``current()`` holds it (what a reader waits for after a
write), median and p95 over ``--runs`` writes. Also the resident memory the core's graph
adds, and the time to make the whole :class:`~graph_schema.GraphData` of a patched
version (analytics and exports ask for it, off the request path). Prints markdown.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

from app.core import GraphCore
from app.store import EmbeddedStore
from bench.api_latency import percentile
from bench.cordis_import import DEFAULT_FOLDER
from graph_schema import GraphData, NodeLabel, Organisation, Relationship, RelType
from seed import load_seed
from seed.cordis import load_cordis


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def _write(store: EmbeddedStore, graph: GraphData, rng: random.Random, size: int) -> GraphData:
    """``size`` organisations with a changed description and a new project link each."""
    orgs = [n for n in graph.nodes if isinstance(n, Organisation)]
    projects = [n.id for n in graph.nodes if n.label is NodeLabel.PROJECT]
    nodes, rels = [], []
    for org in rng.sample(orgs, size):
        nodes.append(org.model_copy(update={"description": f"changed {rng.random()}"}))
        rels.append(
            Relationship(
                type=RelType.PARTICIPATES_IN,
                source=org.id,
                target=rng.choice(projects),
                role="partner",
                provenance=graph.relationships[0].provenance,
            )
        )
    return GraphData(nodes=tuple(nodes), relationships=tuple(rels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="writes of each size")
    parser.add_argument("--cordis", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    rng = random.Random(16)
    data = load_cordis(args.cordis)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.sqlite3")
        store.upsert(load_seed())
        store.upsert(data)
        gc.collect()
        before = _rss_mib()
        core = GraphCore(store)
        start = time.perf_counter()
        graph = core.current()
        read_whole = time.perf_counter() - start
        start = time.perf_counter()
        _ = graph.names
        names = time.perf_counter() - start
        gc.collect()
        held = _rss_mib() - before
        print(
            f"CORDIS + Drenthe: {len(graph):,} nodes; read whole {read_whole:.1f} s, "
            f"name index {names:.1f} s, graph held {held:,.0f} MiB resident\n"
        )
        print("| write | runs | patch median ms | patch p95 ms | full reads |")
        print("|---|---|---|---|---|")
        for size in (1, 10, 100):
            times = []
            for _ in range(args.runs):
                store.upsert(_write(store, graph.data, rng, size))
                start = time.perf_counter()
                graph = core.current()
                times.append(time.perf_counter() - start)
            print(
                f"| {size} organisations + {size} links | {args.runs} | "
                f"{_ms(statistics.median(times))} | {_ms(percentile(times, 95))} | "
                f"{core.full_reads - 1} |"
            )
        times = []
        for _ in range(args.runs):
            victim = rng.choice([n.id for n in graph.data.nodes if n.label is NodeLabel.PROJECT])
            store.delete_node(NodeLabel.PROJECT, victim)
            start = time.perf_counter()
            graph = core.current()
            times.append(time.perf_counter() - start)
        print(
            f"| delete a project and its links | {args.runs} | "
            f"{_ms(statistics.median(times))} | {_ms(percentile(times, 95))} | "
            f"{core.full_reads - 1} |"
        )
        store.upsert(_write(store, graph.data, rng, 1))
        graph = core.current()
        start = time.perf_counter()
        _ = graph.data
        print(f"\nThe whole GraphData of a patched version: {time.perf_counter() - start:.2f} s.")
        store.close()


if __name__ == "__main__":
    main()
