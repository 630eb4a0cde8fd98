"""Soak: sustained mixed load on the CORDIS graph; memory and errors over time.

Run ``python -m bench.soak [--minutes 5] [--graph cordis|drenthe] [--store
embedded|neo4j]``. The service runs in its own process on the store, loaded through the
command line. For the whole run, at fixed rates: reads (an organisation, its links, a
search, a list page, a neighbourhood), partner matching, analytics (KPIs and brokers),
and writes (an organisation's description replaced with If-Match) — every write makes a
new graph version, so snapshots, match indexes and analytics are rebuilt again and
again. The resident memory of the service and its analysis process is sampled every
5 s, from a warm-up that leaves every cache holding two versions, as it does from then
on. An error is a 5xx, a timeout or a refused connection; 412 answers to a write that
lost a race are counted apart. Prints markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import httpx

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

WRITER = "soak-writer-key-000001"
RATES = {"read": 5.0, "match": 0.5, "analytics": 1 / 60, "write": 1 / 60}
"""Requests per second of each kind."""


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # it ended meanwhile
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    """Every process started by ``pid``, directly or not (the analysis process)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _memory(pid: int) -> tuple[float, float]:
    """(resident MiB of the service and all its processes, of the service alone)."""
    own = _rss_mib(pid)
    return own + sum(_rss_mib(child) for child in _descendants(pid)), own


class Soak:
    def __init__(self, base: str, orgs: Sequence[str], seed: int = 1) -> None:
        self.base = base
        self.orgs = list(orgs)
        self.rng = random.Random(seed)
        self.outcomes: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()  # exceptions behind timeouts and connection errors
        self.latency: dict[str, list[float]] = {kind: [] for kind in RATES}

    def _read_path(self) -> tuple[str, dict[str, str]]:
        org = self.rng.choice(self.orgs)
        return self.rng.choice(
            [
                (f"/api/v1/organisations/{org}", {}),
                (f"/api/v1/organisations/{org}/links", {}),
                ("/api/v1/organisations", {"q": org.rsplit("-", 1)[-1][:4], "limit": "10"}),
                ("/api/v1/organisations", {"limit": "50", "offset": str(self.rng.randint(0, 500))}),
                (f"/api/v1/organisations/{org}/neighbourhood", {"depth": "1"}),
            ]
        )

    async def _one(self, client: httpx.AsyncClient, kind: str) -> None:
        started = time.perf_counter()
        try:
            if kind == "read":
                path, params = self._read_path()
                answer = await client.get(path, params=params)
            elif kind == "match":
                org = self.rng.choice(self.orgs)
                answer = await client.get("/api/v1/match/partners", params={"org": org})
            elif kind == "analytics":
                path = self.rng.choice(["/api/v1/analytics/kpis", "/api/v1/analytics/brokers"])
                answer = await client.get(path, params={"top": "20"} if "brokers" in path else {})
            else:
                answer = await self._write(client)
        except httpx.TimeoutException as error:
            self.outcomes["timeout"] += 1
            self.failures[type(error).__name__] += 1
            return
        except httpx.TransportError as error:
            self.outcomes["connection error"] += 1
            self.failures[type(error).__name__] += 1
            return
        self.latency[kind].append(time.perf_counter() - started)
        status = answer.status_code
        self.outcomes[
            "5xx" if status >= 500 else "412" if status == 412 else f"{status // 100}xx"
        ] += 1

    async def _write(self, client: httpx.AsyncClient) -> httpx.Response:
        org = self.rng.choice(self.orgs)
        read = await client.get(f"/api/v1/organisations/{org}")
        if read.status_code != 200:
            return read
        document = read.json()
        document["description"] = f"soak write at {time.time():.3f}"
        return await client.put(
            f"/api/v1/organisations/{org}",
            json=document,
            headers={"If-Match": read.headers["etag"], "X-API-Key": WRITER},
        )

    async def run(
        self, seconds: float, pid: int, samples: list[tuple[float, float, float]]
    ) -> None:
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(base_url=self.base, timeout=120, limits=limits) as client:
            start = time.monotonic()
            tasks: set[asyncio.Task[None]] = set()

            async def schedule(kind: str, rate: float) -> None:
                n = 0
                while (due := start + n / rate) < start + seconds:
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                    task = asyncio.create_task(self._one(client, kind))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                    n += 1

            async def sample() -> None:
                while time.monotonic() < start + seconds:
                    samples.append((time.monotonic() - start, *_memory(pid)))
                    await asyncio.sleep(5)

            await asyncio.gather(sample(), *(schedule(k, r) for k, r in RATES.items()))
            if tasks:
                await asyncio.wait(tasks, timeout=180)
            samples.append((time.monotonic() - start, *_memory(pid)))


def _slope(samples: Sequence[tuple[float, float, float]]) -> float:
    """Least-squares trend of the resident memory, in MiB per minute."""
    if len(samples) < 2:
        return 0.0
    minutes = [t / 60 for t, _, _ in samples]
    return statistics.linear_regression(minutes, [r for _, r, _ in samples]).slope


def _warm(client: httpx.Client, org: str) -> None:
    """Fill the caches as they are in the steady state: with two graph versions each."""
    asks = [
        ("/api/v1/match/partners", {"org": org}),
        ("/api/v1/analytics/kpis", {}),
        ("/api/v1/analytics/brokers", {"top": "20"}),
    ]
    before = [client.get(path, params=params).json()["version"] for path, params in asks]
    read = client.get(f"/api/v1/organisations/{org}")
    document = {**read.json(), "description": "soak warm-up"}
    written = client.put(
        f"/api/v1/organisations/{org}",
        json=document,
        headers={"If-Match": read.headers["etag"], "X-API-Key": WRITER},
    )
    written.raise_for_status()
    for (path, params), old in zip(asks, before, strict=True):
        while client.get(path, params=params).json()["version"] == old:
            time.sleep(1)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--graph", default="cordis", choices=["cordis", "drenthe"])
    parser.add_argument("--cordis", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument(
        "--store",
        default="embedded",
        choices=["embedded", "neo4j"],
        help="neo4j: the server at NEO4J_URI (emptied first), e.g. scripts/neo4j.sh start",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        env = service_env(args.store, Path(folder), Neo4jTarget.from_env())
        env["HELIX_API_KEYS"] = f"{WRITER}:write"
        print(f"loading {args.graph} into {args.store}", file=sys.stderr, flush=True)
        load_graph(args.graph, args.store, env, args.cordis, Neo4jTarget.from_env())
        server = Server("soak", [_executable("helixgraph"), "serve"], env, Path(folder))
        with running(server, "/ready"), httpx.Client(base_url=server.base_url, timeout=600) as c:
            # every organisation with a partner, drawn uniformly: the typical question,
            # not only the hubs with thousands of projects
            page = c.get("/api/v1/network", params={"max_nodes": "100000", "max_edges": "0"})
            orgs = [n["id"] for n in page.json()["nodes"] if n["degree"] > 0]
            _warm(c, orgs[0])
            warm_rss, _ = _memory(server.pid)
            samples: list[tuple[float, float, float]] = []
            soak = Soak(server.base_url, orgs)
            asyncio.run(soak.run(args.minutes * 60, server.pid, samples))
    total = sum(soak.outcomes.values())
    errors = soak.outcomes["5xx"] + soak.outcomes["timeout"] + soak.outcomes["connection error"]
    rss = [r for _, r, _ in samples]
    half = len(rss) // 2
    store = "" if args.store == "embedded" else f" --store {args.store}"
    print(
        f"Command: `python -m bench.soak --minutes {args.minutes:g} --graph {args.graph}{store}`\n"
    )
    print(
        f"{total:,} requests in {args.minutes:g} min; outcomes: {dict(soak.outcomes)}; "
        f"error rate {errors / max(total, 1):.4%}"
        + (f" ({dict(soak.failures)})" if soak.failures else "")
        + "\n"
    )
    print("| kind | requests | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    for kind, values in soak.latency.items():
        if values:
            ms = [v * 1000 for v in values]
            print(
                f"| {kind} | {len(ms)} | {statistics.median(ms):.1f} | "
                f"{percentile(ms, 95):.1f} | {max(ms):.1f} |"
            )
    print(
        "\nResident memory (MiB) of the service and its analysis process together: "
        f"after warm-up {warm_rss:.0f}; during the run min "
        f"{min(rss):.0f}, max {max(rss):.0f}; median of the first half "
        f"{statistics.median(rss[:half] or rss):.0f}, of the second half "
        f"{statistics.median(rss[half:]):.0f}; at the end {rss[-1]:.0f}; trend over the "
        f"second half {_slope(samples[half:]):+.1f} MiB/min."
    )
    print("\n| minute | RSS MiB, all | of which the service |\n|---|---|---|")
    for t, r, own in samples[:: max(1, len(samples) // 12)]:
        print(f"| {t / 60:.1f} | {r:.0f} | {own:.0f} |")


if __name__ == "__main__":
    main()
