"""Seeding and bulk import through the project's own import path, on both stores.

Run with a Neo4j server up (``scripts/neo4j.sh start``; ``NEO4J_URI``, ``NEO4J_USER`` and
``NEO4J_PASSWORD`` in the environment)::

    python -m bench.store_import [--cordis PATH] [--runs N] [--stores embedded,neo4j]

It WIPES the Neo4j database it is pointed at. For each store it times: seeding the
Drenthe agenda into an empty store (median of N runs), importing the CORDIS folder
into an empty store, and importing it again (nothing changes: the idempotent path).
It prints a markdown table; rates are records (nodes + relationships) per second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from app.services.exchange import import_path
from app.services.seeding import seed_store
from app.store import EmbeddedStore, GraphStore, Neo4jStore
from bench.cordis_import import DEFAULT_FOLDER
from seed import load_seed
from seed.cordis import read_cordis


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _fresh(kind: str, folder: Path) -> GraphStore:
    if kind == "embedded":
        path = folder / f"bench-{time.monotonic_ns()}.sqlite3"
        return EmbeddedStore(path)
    store = Neo4jStore(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        timeout=60,
    )
    store.clear()
    return store


def measure(kind: str, cordis: Path, runs: int) -> list[str]:
    """Markdown rows for one store."""
    records = read_cordis(cordis).stats()
    total = records["organisations"] + records["projects"] + records["participations"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seeds = []
        for _ in range(runs):
            store = _fresh(kind, folder)
            seeds.append(_timed(lambda store=store: seed_store(store)))  # type: ignore[misc]
            store.close()
        seed = load_seed()
        size = len(seed.nodes) + len(seed.relationships)
        median = statistics.median(seeds)
        rows.append(f"| {kind} | seed the Drenthe agenda ({size} records) | {median:.2f} s | |")

        store = _fresh(kind, folder)
        first = _timed(lambda: import_path(store, cordis))
        again = _timed(lambda: import_path(store, cordis))
        store.close()
        rows.append(
            f"| {kind} | import CORDIS {cordis.name} ({total:,} records) into an empty store "
            f"| {first:.1f} s | {total / first:,.0f} records/s |"
        )
        rows.append(
            f"| {kind} | import the same again (nothing changes) | {again:.1f} s "
            f"| {total / again:,.0f} records/s |"
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cordis", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stores", default="embedded,neo4j")
    args = parser.parse_args(argv)
    lines = ["| store | what | time | rate |", "|---|---|---|---|"]
    for kind in args.stores.split(","):
        lines.extend(measure(kind, args.cordis, args.runs))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
