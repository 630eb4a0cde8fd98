"""Resident memory of ``helixgraph serve --workers N``: what each extra worker costs.

Run ``python -m bench.workers [--workers 1,2,3] [--store embedded|neo4j]``. The Drenthe
agenda is loaded once with the command line (``helixgraph seed``; on Neo4j this WIPES the
database at ``NEO4J_URI``); then for each N the real service runs as a separate process
with ``--workers N`` and default settings (analytics in a process of their own). Every
process keeps its own copy of the graph core, its indexes and its analytics, so memory
is measured twice over the whole process tree (the supervisor, its workers, their
analysis processes; resident set from ``/proc``):

* idle: every worker has started and answered nothing;
* warm: concurrent rounds of reads, a search, a neighbourhood, matching and analytics,
  repeated until every worker has started its analysis process (so every worker has
  built its graph, name index, match index and analytics), then 2 s of quiet.

Prints markdown: two rows per N, and what each step from one N to the next added.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.api_latency import Neo4jTarget, Server, _executable, load_graph, running, service_env

__all__ = ["Footprint", "main", "measure"]

REQUESTS = (
    "/api/v1/organisations?limit=50",
    "/api/v1/organisations?q=UMCG",
    "/api/v1/organisations/umcg",
    "/api/v1/organisations/umcg/links",
    "/api/v1/organisations/umcg/neighbourhood?depth=2",
    "/api/v1/match/partners?org=umcg",
    "/api/v1/analytics/kpis",
    "/api/v1/analytics/brokers",
)
"""One warm-up round: what a worker builds on first use (graph, indexes, analytics)."""
WARM_ROUNDS = 40
STARTED = "Application startup complete."
MIB = 1024 * 1024


def _rss_mib(pid: int) -> float:
    """Resident memory of one process; 0 when it has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started itself."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@dataclass(frozen=True, slots=True)
class Footprint:
    """Resident MiB of each part of the service's process tree."""

    supervisor: float
    workers: tuple[float, ...]
    analysis: tuple[float, ...]
    helpers: float  # multiprocessing's resource trackers

    @property
    def total(self) -> float:
        return self.supervisor + sum(self.workers) + sum(self.analysis) + self.helpers


def footprint(pid: int, workers: int) -> Footprint:
    """The tree under ``pid``: with one worker, ``pid`` is the worker; with more, the
    supervisor whose children are the workers (and a resource tracker)."""
    trackers: list[int] = []
    if workers == 1:
        worker_pids, supervisor = [pid], 0.0
    else:
        worker_pids, supervisor = [], _rss_mib(pid)
        for child in _children(pid):
            (trackers if "resource_tracker" in _command(child) else worker_pids).append(child)
    analysis = []
    for worker in worker_pids:
        for child in _children(worker):
            if "resource_tracker" in _command(child):
                trackers.append(child)
            else:  # the analysis process (a pool of one)
                analysis.append(child)
    return Footprint(
        supervisor=supervisor,
        workers=tuple(_rss_mib(w) for w in worker_pids),
        analysis=tuple(_rss_mib(a) for a in analysis),
        helpers=sum(_rss_mib(t) for t in trackers),
    )


def _wait_started(server: Server, workers: int, timeout: float = 300) -> None:
    """Until every worker has logged that it started."""
    deadline = time.monotonic() + timeout
    while server.log_path.read_text(errors="replace").count(STARTED) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{workers} workers did not all start within {timeout:.0f} s")
        time.sleep(0.5)


def _warm(base: str, pid: int, workers: int) -> int:
    """Concurrent rounds of :data:`REQUESTS` until every worker runs its analysis
    process; the rounds that took."""
    with httpx.Client(base_url=base, timeout=300) as http, ThreadPoolExecutor(4 * workers) as pool:
        for done in range(1, WARM_ROUNDS + 1):
            answers = list(pool.map(http.get, [p for p in REQUESTS for _ in range(workers)]))
            failed = [a for a in answers if a.status_code != 200]
            if failed:
                raise RuntimeError(f"{failed[0].request.url}: {failed[0].status_code}")
            if len(footprint(pid, workers).analysis) >= workers:
                return done
    raise RuntimeError(f"not every worker served analytics within {WARM_ROUNDS} rounds")


@dataclass(frozen=True, slots=True)
class Measured:
    workers: int
    idle: Footprint
    warm: Footprint
    rounds: int


def measure(workers: int, env: dict[str, str], logs: Path) -> Measured:
    """Start ``serve --workers N`` on the loaded store and measure it idle and warm."""
    command = [_executable("helixgraph"), "serve", "--workers", str(workers)]
    with running(Server(f"workers-{workers}", command, env, logs), "/ready") as server:
        _wait_started(server, workers)
        time.sleep(2)
        idle = footprint(server.pid, workers)
        rounds = _warm(server.base_url, server.pid, workers)
        time.sleep(2)
        warm = footprint(server.pid, workers)
    return Measured(workers, idle, warm, rounds)


def _cell(values: Sequence[float]) -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.0f}"
    return f"{statistics.mean(values):.0f} (×{len(values)})"


def report(results: Sequence[Measured]) -> str:
    lines = [
        "| workers | state | supervisor | each worker | each analysis process | trackers "
        "| total (MiB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in results:
        for state, f in (("idle", m.idle), ("warm", m.warm)):
            lines.append(
                f"| {m.workers} | {state} | {f.supervisor:.0f} | {_cell(f.workers)} | "
                f"{_cell(f.analysis)} | {f.helpers:.0f} | {f.total:.0f} |"
            )
    for before, after in itertools.pairwise(results):
        extra = after.workers - before.workers
        lines.append(
            f"\n{before.workers} → {after.workers} workers: "
            f"+{(after.idle.total - before.idle.total) / extra:.0f} MiB idle, "
            f"+{(after.warm.total - before.warm.total) / extra:.0f} MiB warm per worker added."
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,3", help="Comma-separated worker counts.")
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    neo4j = Neo4jTarget.from_env()
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as folder:
        work = Path(folder)
        env = service_env(args.store, work / "data", neo4j)
        load_graph("drenthe", args.store, env, Path(), neo4j)
        results = [measure(n, env, work) for n in counts]
    sys.stdout.write(f"Store: {args.store}; the Drenthe graph.\n\n{report(results)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
