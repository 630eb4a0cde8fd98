"""Latency and throughput of the REST API's main read endpoints under concurrent load.

Run with a Neo4j server up for the Neo4j store (``scripts/neo4j.sh start``)::

    python -m bench.api_latency [--stores embedded,neo4j] [--graphs drenthe,cordis]
                                [--rate 200] [--duration 20] [--cordis-duration 10]

It WIPES the Neo4j database it is pointed at (``NEO4J_URI``, default
bolt://127.0.0.1:7687; ``NEO4J_USER``, ``NEO4J_PASSWORD``).

For every graph and store it loads the graph with the command line (``helixgraph seed``,
and ``helixgraph import`` of the CORDIS folder for the CORDIS graph, which so holds the
Drenthe agenda too) before the service starts, then runs the real service as a separate
process (``helixgraph serve``: uvicorn, one worker) and measures from this process:

1. unloaded latency: requests one at a time, per endpoint;
2. open-loop latency: requests sent at a constant ``--rate`` on a fixed schedule, after a
   warm-up, whether or not earlier ones have been answered, over a weighted mix of the
   read endpoints (:data:`ENDPOINTS`), by a lean asyncio HTTP/1.1 client
   (:class:`ConnectionPool`). Latency runs from the moment a request was *due*, so time
   spent queueing (in the client's connection pool or in the server) counts and a slow
   answer cannot hold back the requests behind it (no coordinated omission); a request
   not answered within ``--timeout`` seconds counts as an error at that latency;
3. saturation throughput: closed loop with ``--clients`` connections each sending the next
   request as soon as the last one is answered, for the mix and for each endpoint alone,
   with ``wrk`` when it is installed (else a Python closed loop).

Before measuring, a closed loop over the mix warms the service (and Neo4j's JIT) for
``--server-warmup`` seconds. Requests a client gave up on still run to their end in the
service's thread pool, so after overload the service is restarted (the store keeps the
graph) rather than measured while it works off that backlog.

A bare FastAPI app (:mod:`bench.bare_app`), served the same way, gets the same open-loop
rate and the same closed loop in the same run, as the floor to compare with. The output
is markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

from app.store import Neo4jStore
from bench import bare_app

__all__ = ["ENDPOINTS", "main"]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORDIS = Path(__file__).resolve().parents[1] / "seed/data/cordis-h2020/full"
DEFAULT_NEO4J_URI = "bolt://127.0.0.1:7687"
DEFAULT_NEO4J_PASSWORD = "helixgraph-dev-password"  # noqa: S105 (scripts/neo4j.sh default)

# The read endpoints and their share of the open-loop mix (weights add up to 100).
ENDPOINTS: Mapping[str, int] = {
    "GET /organisations?limit=50": 15,
    "GET /organisations?q=NAME": 15,
    "GET /organisations/{id}": 25,
    "GET /organisations/{id}/links": 15,
    "GET /actions": 10,
    "GET /organisations/{id}/neighbourhood?depth=2": 10,
    "GET /paths?from=A&to=B": 10,
}
BARE = "bare FastAPI GET /ping"
TARGETS_MS = {  # p95 of the mix at 200 requests/s
    ("drenthe", "embedded"): 10.0,
    ("drenthe", "neo4j"): 30.0,
    ("cordis", "embedded"): 50.0,
    ("cordis", "neo4j"): 100.0,
}
WRITER = "bench-writer-key-000001"
WRITE_EVERY_S = 2.0  # writes under load: one organisation changed every so often
VISIBLE_WITHIN_MS = 500.0  # a write's version read by the next request within this
GRAPH_TITLES = {"drenthe": "Drenthe", "cordis": "CORDIS"}

CONNECTIONS = 256  # open-loop connection pool: enough that the pool is not the queue
SETTLE_LIMIT_S = 5.0  # longest wait for a backlog to drain before restarting the service
IDLE_LIMIT_S = 2.0  # reuse a kept-alive connection only this long after its last answer
SAMPLE_ORGANISATIONS = 200
UNLOADED_REQUESTS = 20
SATURATE_BELOW_S = 1.0  # endpoints slower than this unloaded get no closed loop of their own
UNLOADED_BUDGET_S = 8.0
READY_TIMEOUT_S = 120.0

_WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("HELIXBENCH %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def _log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile of ``values`` (NaN when there are none).

    >>> percentile([4.0, 1.0, 3.0, 2.0], 50)
    2.0
    >>> percentile([4.0, 1.0, 3.0, 2.0], 95)
    4.0
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(math.ceil(pct / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def _ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "–"
    value = seconds * 1000
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


@dataclass(frozen=True, slots=True)
class Sample:
    """One open-loop request: latency from the moment it was due."""

    endpoint: str
    due: float
    lag: float  # how late the generator sent it
    done: float
    error: str | None

    @property
    def latency(self) -> float:
        return self.done - self.due

    @property
    def given_up(self) -> bool:
        """Timed out or broken, rather than answered with an error status."""
        return self.error is not None and not self.error.isdigit()


@dataclass(frozen=True, slots=True)
class CpuUse:
    """Share of one core used during a run: the server, this process, the whole machine."""

    server: float
    client: float
    machine: float  # busy share of all cores, 0..1


@dataclass(frozen=True, slots=True)
class OpenLoop:
    samples: list[Sample]
    cpu: CpuUse

    def of(self, endpoint: str | None) -> list[Sample]:
        return [s for s in self.samples if endpoint is None or s.endpoint == endpoint]

    def achieved(self) -> float:
        """Answered requests per second over the measured window."""
        if not self.samples:
            return 0.0
        window = max(s.done for s in self.samples) - min(s.due for s in self.samples)
        answered = sum(1 for s in self.samples if s.error is None)
        return answered / window if window > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Saturation:
    rate: float  # answered requests per second
    errors: int  # error statuses and requests given up on
    given_up: int  # timed out or broken: the server may still be working on them
    p50: float
    p99: float


@dataclass(slots=True)
class Measured:
    """Everything measured for one graph on one store."""

    graph: str
    store: str
    organisations: int = 0
    load_seconds: float = 0.0
    unloaded: dict[str, Unloaded] = field(default_factory=dict)
    bare_unloaded: Unloaded | None = None
    open_loop: OpenLoop | None = None
    bare_open_loop: OpenLoop | None = None
    saturation: dict[str, Saturation] = field(default_factory=dict)
    restarts: int = 0
    under_writes: OpenLoop | None = None
    writes: list[Written] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Written:
    """One write during the open loop: its own latency, and how long after its answer a
    read through the service first showed it (None: an error, or never within 10 s)."""

    write_s: float
    visible_s: float | None
    status: int


# --------------------------------------------------------------------------- processes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc (0 where that is unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


class Server:
    """A service run as a separate process on a free port, its output in a log file."""

    def __init__(self, name: str, command: Sequence[str], env: Mapping[str, str], logs: Path):
        self.name = name
        self.command = list(command)
        self.env = dict(env)
        self.log_path = logs / f"{name}-{time.monotonic_ns()}.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return 0 if self.process is None else self.process.pid

    def start(self, ready_path: str) -> None:
        self.port = _free_port()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own commands)
                [*self.command, "--port", str(self.port)],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self._tail()}")
            try:
                if httpx.get(self.base_url + ready_path, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} was not ready within {READY_TIMEOUT_S:.0f} s")

    def stop(self, grace: float = 15) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)

    def _tail(self) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])


@contextmanager
def running(server: Server, ready_path: str) -> Iterator[Server]:
    server.start(ready_path)
    try:
        yield server
    finally:
        server.stop()


def _clean_env() -> dict[str, str]:
    """This environment without any setting of the service, so defaults apply."""
    return {
        key: value for key, value in os.environ.items() if not key.startswith(("HELIX_", "NEO4J_"))
    }


def _executable(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed")
    return found


@dataclass(frozen=True, slots=True)
class Neo4jTarget:
    uri: str
    user: str
    password: str

    @classmethod
    def from_env(cls) -> Neo4jTarget:
        return cls(
            uri=os.environ.get("NEO4J_URI", DEFAULT_NEO4J_URI),
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", DEFAULT_NEO4J_PASSWORD),
        )


def service_env(store: str, data_dir: Path, neo4j: Neo4jTarget) -> dict[str, str]:
    env = _clean_env()
    env["HELIX_RATE_LIMIT"] = "0"  # the load generator is one client far over any limit
    env["HELIX_API_KEYS"] = f"{WRITER}:write"
    if store == "embedded":
        env.update(HELIX_STORE="embedded", HELIX_DATA_DIR=str(data_dir))
    else:
        env.update(
            HELIX_STORE="neo4j",
            NEO4J_URI=neo4j.uri,
            NEO4J_USER=neo4j.user,
            NEO4J_PASSWORD=neo4j.password,
        )
    return env


def load_graph(
    graph: str, store: str, env: Mapping[str, str], cordis: Path, neo4j: Neo4jTarget
) -> float:
    """Put the graph into an empty store with the command line; the seconds that took
    (without emptying the Neo4j database first)."""
    if store == "neo4j":
        wiper = Neo4jStore(neo4j.uri, neo4j.user, neo4j.password, timeout=120)
        try:
            wiper.clear()
        finally:
            wiper.close()
    start = time.perf_counter()
    helixgraph = _executable("helixgraph")
    commands = [[helixgraph, "seed"]]
    if graph == "cordis":
        commands.append([helixgraph, "import", str(cordis)])
    for command in commands:
        done = subprocess.run(  # noqa: S603 (our own command line)
            command, env=dict(env), cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[1:])} failed:\n{done.stderr}")
    return time.perf_counter() - start


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True, slots=True)
class Workload:
    """Concrete request paths for every endpoint, drawn from the graph being measured."""

    paths: dict[str, list[str]]
    organisations: int
    organisation_ids: tuple[str, ...] = ()

    def schedule(self, count: int, rng: random.Random) -> list[tuple[str, str]]:
        names = list(ENDPOINTS)
        picks = rng.choices(names, weights=[ENDPOINTS[n] for n in names], k=count)
        return [(name, rng.choice(self.paths[name])) for name in picks]


def _search_text(name: str, rng: random.Random) -> str:
    """The name as a user might type it: whole, its first word, or with one typo."""
    form = rng.randrange(3)
    words = [w for w in name.split() if len(w) > 2]
    if form == 1 and words:
        return words[0].lower()
    if form == 2 and len(name) > 5:
        cut = rng.randrange(1, len(name) - 1)
        return name[:cut] + name[cut + 1 :]
    return name


def build_workload(client: httpx.Client, rng: random.Random) -> Workload:
    """Sample organisations across the whole list and make the request paths from them."""
    page = 500
    first = client.get("/api/v1/organisations", params={"limit": page}).raise_for_status().json()
    total = int(first["count"])
    organisations: list[dict[str, object]] = list(first["data"])
    starts = range(page, total, page)  # further pages, spread over the whole list
    for offset in rng.sample(starts, min(8, len(starts))):
        got = client.get("/api/v1/organisations", params={"limit": page, "offset": offset})
        organisations.extend(got.raise_for_status().json()["data"])
    chosen = rng.sample(organisations, min(SAMPLE_ORGANISATIONS, len(organisations)))
    ids = [str(org["id"]) for org in chosen]
    names = [str(org["name"]) for org in chosen]
    pairs = [rng.sample(ids, 2) for _ in range(100)]
    paths = {
        "GET /organisations?limit=50": ["/api/v1/organisations?limit=50"],
        "GET /organisations?q=NAME": [
            "/api/v1/organisations?" + urlencode({"q": _search_text(n, rng)}) for n in names
        ],
        "GET /organisations/{id}": [f"/api/v1/organisations/{quote(i)}" for i in ids],
        "GET /organisations/{id}/links": [f"/api/v1/organisations/{quote(i)}/links" for i in ids],
        "GET /actions": ["/api/v1/actions"],
        "GET /organisations/{id}/neighbourhood?depth=2": [
            f"/api/v1/organisations/{quote(i)}/neighbourhood?depth=2" for i in ids
        ],
        "GET /paths?from=A&to=B": [
            "/api/v1/paths?" + urlencode({"from": a, "to": b}) for a, b in pairs
        ],
    }
    return Workload(paths=paths, organisations=total, organisation_ids=tuple(ids))


def prime(client: httpx.Client, workload: Workload) -> None:
    """Build what the service builds on first use: the name index of the search, and the
    analyses of the version loaded. The first analysis starts the analysis process, which
    reads the graph once (tens of seconds on CORDIS) and stalls the service some 0.5 s
    while it starts: a cost of start-up, not of the new versions the write phase
    measures."""
    for name in ("GET /organisations?q=NAME", "GET /organisations/{id}"):
        client.get(workload.paths[name][0])
    for path in ("/api/v1/analytics/kpis", "/api/v1/analytics/brokers?top=5"):
        client.get(path, timeout=900)


@dataclass(frozen=True, slots=True)
class Unloaded:
    latencies: list[float]
    errors: int


def unloaded(client: httpx.Client, paths: Sequence[str], rng: random.Random) -> Unloaded:
    """Requests sent one at a time (at most a few, within a time budget)."""
    latencies: list[float] = []
    errors = 0
    budget_end = time.perf_counter() + UNLOADED_BUDGET_S
    while len(latencies) < UNLOADED_REQUESTS and time.perf_counter() < budget_end:
        path = rng.choice(paths)
        start = time.perf_counter()
        try:
            errors += not client.get(path).is_success
        except httpx.HTTPError:
            errors += 1
        latencies.append(time.perf_counter() - start)
    return Unloaded(latencies, errors)


class HttpError(Exception):
    """A response the lean client cannot read, or a connection that broke."""


class ConnectionPool:
    """A lean HTTP/1.1 keep-alive client for GET requests, for the load generator.

    A general client (httpx) costs about 3 ms of CPU per request, which on a 2-core
    machine takes CPU from the server being measured and makes the generator late. This
    one writes the request line by hand and reads the status, the headers it needs and
    the whole body (Content-Length or chunked), for a fraction of that. At most ``size``
    connections are open; a request waits for a free one, and that wait is part of its
    latency. A connection whose request was cancelled or failed is closed, not reused, and
    so is one left idle for ``IDLE_LIMIT_S``, before uvicorn's keep-alive timeout (5 s)
    would close it under a request.
    """

    def __init__(self, base_url: str, size: int) -> None:
        address = base_url.removeprefix("http://")
        host, _, port = address.partition(":")
        self._host, self._port = host, int(port or 80)
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self._slots = asyncio.Semaphore(size)
        self._open: set[asyncio.StreamWriter] = set()

    async def get(self, path: str) -> int:
        """GET ``path``; the status code once the whole body is read."""
        async with self._slots:
            reader, writer = await self._connection()
            try:
                status, keep = await self._exchange(reader, writer, path)
            except BaseException:
                self._discard(writer)
                raise
            if keep:
                self._idle.append((reader, writer, time.monotonic()))
            else:
                self._discard(writer)
            return status

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        while self._idle:
            reader, writer, since = self._idle.pop()
            if time.monotonic() - since < IDLE_LIMIT_S and not reader.at_eof():
                return reader, writer
            self._discard(writer)
        reader, writer = await asyncio.open_connection(self._host, self._port)
        self._open.add(writer)
        return reader, writer

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
    ) -> tuple[int, bool]:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self._host}\r\n\r\n".encode("ascii"))
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        lines = head.split("\r\n")
        try:
            status = int(lines[0].split(" ", 2)[1])
        except (IndexError, ValueError) as error:
            raise HttpError(f"bad status line {lines[0]!r}") from error
        headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
        if headers.get("transfer-encoding", "").strip() == "chunked":
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readuntil(b"\r\n")  # no trailers are sent
        else:
            await reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers.get("connection", "").strip() != "close"

    def _discard(self, writer: asyncio.StreamWriter) -> None:
        self._open.discard(writer)
        writer.close()

    def close(self) -> None:
        for writer in list(self._open):
            self._discard(writer)
        self._idle.clear()


_CLIENT_ERRORS = (HttpError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError)


async def _open_loop(
    base_url: str, schedule: Sequence[tuple[str, str]], rate: float, warmup: int, timeout: float
) -> list[Sample]:
    loop = asyncio.get_running_loop()
    samples: list[Sample] = []
    pool = ConnectionPool(base_url, CONNECTIONS)

    async def one(index: int, endpoint: str, path: str, due: float) -> None:
        sent = loop.time()
        error: str | None = None
        try:
            status = await asyncio.wait_for(pool.get(path), timeout=due + timeout - sent)
            if not 200 <= status < 300:
                error = str(status)
        except TimeoutError:
            error = "timeout"
        except _CLIENT_ERRORS as failure:
            error = type(failure).__name__
        if index >= warmup:
            samples.append(Sample(endpoint, due, sent - due, loop.time(), error))

    tasks: list[asyncio.Task[None]] = []
    begin = loop.time() + 0.05
    try:
        for index, (endpoint, path) in enumerate(schedule):
            due = begin + index / rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(index, endpoint, path, due)))
        await asyncio.gather(*tasks)
    finally:
        pool.close()
    return samples


def open_loop(
    server: Server,
    schedule: Sequence[tuple[str, str]],
    rate: float,
    warmup: int,
    timeout: float,
) -> OpenLoop:
    """Send ``schedule`` at ``rate`` per second; the first ``warmup`` requests are not kept."""
    server_cpu, client_cpu = _cpu_seconds(server.pid), time.process_time()
    busy, total = _machine_ticks()
    wall = time.perf_counter()
    samples = asyncio.run(_open_loop(server.base_url, schedule, rate, warmup, timeout))
    wall = time.perf_counter() - wall
    busy_after, total_after = _machine_ticks()
    cpu = CpuUse(
        server=(_cpu_seconds(server.pid) - server_cpu) / wall,
        client=(time.process_time() - client_cpu) / wall,
        machine=(busy_after - busy) / max(total_after - total, 1),
    )
    return OpenLoop(samples=samples, cpu=cpu)


class Writer(threading.Thread):
    """Changes one organisation's description every ``every`` seconds while the open loop
    runs, and after each acknowledged write reads it back until it shows (read-your-
    writes), then asks for KPIs and brokers so that the new version is analysed in the
    background while the load goes on."""

    def __init__(self, base_url: str, orgs: Sequence[str], every: float) -> None:
        super().__init__(daemon=True, name="writer")
        self._base, self._orgs, self._every = base_url, list(orgs), every
        self.stop = threading.Event()
        self.written: list[Written] = []

    def run(self) -> None:
        rng = random.Random(7)
        with httpx.Client(base_url=self._base, timeout=30) as client:
            while not self.stop.wait(self._every):
                self.written.append(self._one(client, rng.choice(self._orgs)))

    def _one(self, client: httpx.Client, org: str) -> Written:
        path = f"/api/v1/organisations/{org}"
        read = client.get(path)
        text = f"written under load at {time.time():.6f}"
        started = time.perf_counter()
        answer = client.put(
            path,
            json={**read.json(), "description": text},
            headers={"If-Match": read.headers.get("etag", "*"), "X-API-Key": WRITER},
        )
        acknowledged = time.perf_counter()
        if not 200 <= answer.status_code < 300:
            return Written(acknowledged - started, None, answer.status_code)
        visible = None
        while time.perf_counter() - acknowledged < 10:
            if client.get(path).json().get("description") == text:
                visible = time.perf_counter() - acknowledged
                break
        threading.Thread(target=_analyse, args=(self._base,), daemon=True).start()
        return Written(acknowledged - started, visible, answer.status_code)


def _analyse(base_url: str) -> None:
    """Ask for the new version's analytics (computed in the background; not awaited)."""
    with contextlib.suppress(httpx.HTTPError), httpx.Client(base_url=base_url, timeout=60) as c:
        c.get("/api/v1/analytics/kpis")
        c.get("/api/v1/analytics/brokers", params={"top": "5"})


def _lua_paths(paths: Sequence[str]) -> str:
    for path in paths:
        if any(c in path for c in '"\\\n'):
            raise ValueError(f"path cannot go into a Lua string: {path!r}")
    return ", ".join(f'"{path}"' for path in paths)


def _wrk(
    base_url: str, paths: Sequence[str], clients: int, seconds: float, work: Path
) -> Saturation:
    script = work / f"mix-{time.monotonic_ns()}.lua"
    script.write_text(_WRK_SCRIPT % _lua_paths(paths))
    command = [
        _executable("wrk"),
        "-t1",
        f"-c{clients}",
        f"-d{max(round(seconds), 1)}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base_url,
    ]
    done = subprocess.run(  # noqa: S603 (wrk with our own script)
        command, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("HELIXBENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    requests, duration_us, status, socket_errors, p50, p99, _ = (float(v) for v in line.split()[1:])
    answered = max(requests - status, 0)
    return Saturation(
        rate=answered / (duration_us / 1e6),
        errors=int(status + socket_errors),
        given_up=int(socket_errors),
        p50=p50 / 1e6,
        p99=p99 / 1e6,
    )


async def _closed_loop(
    base_url: str, paths: Sequence[str], clients: int, seconds: float
) -> Saturation:
    latencies: list[float] = []
    errors = given_up = 0
    pool = ConnectionPool(base_url, clients)
    end = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal errors, given_up
        index = offset
        while time.perf_counter() < end:
            start = time.perf_counter()
            try:
                status = await asyncio.wait_for(pool.get(paths[index % len(paths)]), 10)
                errors += status >= 400
            except (TimeoutError, *_CLIENT_ERRORS):
                errors += 1
                given_up += 1
            latencies.append(time.perf_counter() - start)
            index += clients

    begin = time.perf_counter()
    try:
        await asyncio.gather(*(worker(i) for i in range(clients)))
    finally:
        pool.close()
    elapsed = time.perf_counter() - begin
    return Saturation(
        rate=(len(latencies) - errors) / elapsed,
        errors=errors,
        given_up=given_up,
        p50=percentile(latencies, 50),
        p99=percentile(latencies, 99),
    )


def saturate(
    base_url: str, paths: Sequence[str], clients: int, seconds: float, work: Path
) -> Saturation:
    """Closed-loop throughput: ``clients`` connections, each sending as soon as answered."""
    if shutil.which("wrk"):
        return _wrk(base_url, paths, clients, seconds, work)
    return asyncio.run(_closed_loop(base_url, paths, clients, seconds))


# --------------------------------------------------------------------------- one measurement


@dataclass(frozen=True, slots=True)
class Options:
    rate: float
    duration: float
    cordis_duration: float
    warmup: float
    clients: int
    mix_seconds: float
    server_warmup: float
    endpoint_seconds: float
    timeout: float
    cordis: Path
    seed: int


def settle(server: Server) -> bool:
    """Wait until the service is idle (under a tenth of a core); False after SETTLE_LIMIT_S.

    A request a client has given up on still runs to its end in the server's thread
    pool, so after overload the next measurement would share the CPU with that backlog.
    """
    end = time.monotonic() + SETTLE_LIMIT_S
    while time.monotonic() < end:
        before = _cpu_seconds(server.pid)
        time.sleep(0.3)
        if (_cpu_seconds(server.pid) - before) / 0.3 < 0.1:
            return True
    return False


@dataclass(slots=True)
class Subject:
    """The service being measured, with its workload; restarted when a backlog lingers."""

    label: str
    service: Server
    workload: Workload
    result: Measured
    options: Options
    work: Path

    def idle(self, *, gave_up: bool = False) -> None:
        """Let the service finish its work; restart it when it had requests given up on
        (they run to their end in its thread pool) or does not settle."""
        if not gave_up and settle(self.service):
            return
        why = "requests were given up on" if gave_up else f"busy after {SETTLE_LIMIT_S:.0f} s"
        _log(f"{self.label}: {why}; restarting the service")
        self.service.stop(grace=2)
        self.service.start("/ready")
        with httpx.Client(base_url=self.service.base_url, timeout=120) as client:
            prime(client, self.workload)
        self.result.restarts += 1

    def saturate(self, paths: Sequence[str], seconds: float) -> Saturation:
        found = saturate(self.service.base_url, paths, self.options.clients, seconds, self.work)
        self.idle(gave_up=found.given_up > 0)
        return found

    def open_loop(self, schedule: Sequence[tuple[str, str]]) -> OpenLoop:
        options = self.options
        warmup = round(options.warmup * options.rate)
        found = open_loop(self.service, schedule, options.rate, warmup, options.timeout)
        self.idle(gave_up=any(s.given_up for s in found.samples))
        return found


def _measure_service(subject: Subject, bare: Server, rng: random.Random, duration: float) -> None:
    options, result, workload = subject.options, subject.result, subject.workload
    label, service = subject.label, subject.service
    count = round((options.warmup + duration) * options.rate)
    schedule = workload.schedule(count, rng)
    mix = [path for _, path in schedule[:2000]]
    _log(f"{label}: warming up, closed loop for {options.server_warmup:g} s")
    subject.saturate(mix, options.server_warmup)
    _log(f"{label}: unloaded latency")
    with httpx.Client(base_url=service.base_url, timeout=120) as client:
        for name in ENDPOINTS:
            result.unloaded[name] = unloaded(client, workload.paths[name], rng)
    with httpx.Client(base_url=bare.base_url, timeout=120) as client:
        result.bare_unloaded = unloaded(client, [bare_app.PATH], rng)
    _log(f"{label}: open loop, {options.rate:g}/s for {duration:g} s (+ warm-up), bare app first")
    bare_schedule = [(BARE, bare_app.PATH)] * count
    warmup = round(options.warmup * options.rate)
    result.bare_open_loop = open_loop(bare, bare_schedule, options.rate, warmup, options.timeout)
    result.open_loop = subject.open_loop(schedule)
    _log(f"{label}: open loop again, with a write every {WRITE_EVERY_S:g} s")
    writer = Writer(service.base_url, workload.organisation_ids, WRITE_EVERY_S)
    writer.start()
    try:
        result.under_writes = subject.open_loop(schedule)
    finally:
        writer.stop.set()
        writer.join(60)
    result.writes = writer.written
    _log(f"{label}: closed loop, {options.clients} connections")
    result.saturation[BARE] = saturate(
        bare.base_url, [bare_app.PATH], options.clients, options.mix_seconds, subject.work
    )
    result.saturation["mix"] = subject.saturate(mix, options.mix_seconds)
    for name in ENDPOINTS:
        if statistics.median(result.unloaded[name].latencies) > SATURATE_BELOW_S:
            continue  # it could not answer a request per connection in the time given
        result.saturation[name] = subject.saturate(workload.paths[name], options.endpoint_seconds)


def measure(
    graph: str, store: str, bare: Server, options: Options, work: Path, neo4j: Neo4jTarget
) -> Measured:
    """Load the graph into the store, start the service on it and measure it."""
    label = f"{graph}/{store}"
    result = Measured(graph=graph, store=store)
    # the same requests on both stores; not for security
    rng = random.Random(f"{options.seed}-{graph}")
    data_dir = Path(tempfile.mkdtemp(dir=work))
    env = service_env(store, data_dir, neo4j)
    _log(f"{label}: loading the graph")
    result.load_seconds = load_graph(graph, store, env, options.cordis, neo4j)
    service = Server(f"helixgraph-{graph}-{store}", [_executable("helixgraph"), "serve"], env, work)
    duration = options.duration if graph == "drenthe" else options.cordis_duration
    with running(service, "/ready"):
        with httpx.Client(base_url=service.base_url, timeout=120) as client:
            workload = build_workload(client, rng)
            result.organisations = workload.organisations
            prime(client, workload)
        subject = Subject(label, service, workload, result, options, work)
        _measure_service(subject, bare, rng, duration)
    return result


# --------------------------------------------------------------------------- tables


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


_LATENCY_HEADER = ("requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms")


def _latency_cells(samples: Sequence[Sample]) -> list[str]:
    latencies = [s.latency for s in samples]
    errors = sum(1 for s in samples if s.error is not None)
    return [
        f"{len(samples):,}",
        f"{errors:,}",
        _ms(percentile(latencies, 50)),
        _ms(percentile(latencies, 95)),
        _ms(percentile(latencies, 99)),
        _ms(max(latencies, default=math.nan)),
    ]


def _saturation_cell(found: Saturation | None) -> str:
    if found is None:
        return f"not run (unloaded > {SATURATE_BELOW_S:g} s)"
    errors = f" ({found.errors:,} errors)" if found.errors else ""
    return f"{found.rate:,.0f}{errors}"


def _closed_latency_cell(found: Saturation | None) -> str:
    if found is None or found.rate == 0:
        return "–"
    return f"{_ms(found.p50)} / {_ms(found.p99)}"


def _unloaded_cell(found: Unloaded | None) -> str:
    if found is None or not found.latencies:
        return "–"
    errors = f", {found.errors} errors" if found.errors else ""
    return f"{_ms(statistics.median(found.latencies))} (n={len(found.latencies)}{errors})"


def _cpu_note(run: OpenLoop) -> str:
    cpu = run.cpu
    lag = percentile([s.lag for s in run.samples], 99)
    return (
        f"achieved {run.achieved():,.0f} answered requests/s; generator lag p99 {_ms(lag)} ms; "
        f"CPU: service {cpu.server:.0%} of a core, load generator {cpu.client:.0%}, "
        f"machine {cpu.machine:.0%} busy (2 cores)"
    )


def config_report(m: Measured, rate: float) -> str:
    """The per-endpoint tables of one graph on one store."""
    assert m.open_loop is not None
    assert m.bare_open_loop is not None
    header = [
        "endpoint",
        "share",
        "unloaded median ms",
        *_LATENCY_HEADER,
        "saturation req/s",
        "closed-loop p50 / p99 ms",
    ]
    rows = [
        [
            f"`{name}`",
            f"{share}%",
            _unloaded_cell(m.unloaded.get(name)),
            *_latency_cells(m.open_loop.of(name)),
            _saturation_cell(m.saturation.get(name)),
            _closed_latency_cell(m.saturation.get(name)),
        ]
        for name, share in ENDPOINTS.items()
    ]
    rows.append(
        [
            "**all (the mix)**",
            "100%",
            "–",
            *(f"**{c}**" for c in _latency_cells(m.open_loop.samples)),
            f"**{_saturation_cell(m.saturation.get('mix'))}**",
            f"**{_closed_latency_cell(m.saturation.get('mix'))}**",
        ]
    )
    rows.append(
        [
            BARE,
            "",
            _unloaded_cell(m.bare_unloaded),
            *_latency_cells(m.bare_open_loop.samples),
            _saturation_cell(m.saturation.get(BARE)),
            _closed_latency_cell(m.saturation.get(BARE)),
        ]
    )
    title = (
        f"**{GRAPH_TITLES[m.graph]} graph ({m.organisations:,} organisations), {m.store} store**"
        f" — open loop at {rate:g} requests/s; graph loaded in {m.load_seconds:.1f} s"
    )
    notes = [f"Open loop: {_cpu_note(m.open_loop)}."]
    errors = sorted({s.error for s in m.open_loop.samples if s.error is not None})
    if errors:
        notes.append("Errors seen: " + ", ".join(errors) + ".")
    text = f"{title}\n\n{_table(header, rows)}\n" + " ".join(notes) + "\n"
    if m.under_writes is not None:
        text += "\n" + writes_report(m) + "\n"
    if m.restarts:
        text += (
            f"\nThe service was restarted {m.restarts} time(s) between measurements, because "
            "requests given up on would have kept it busy.\n"
        )
    return text


def writes_report(m: Measured) -> str:
    """The open loop run again while an organisation is written every few seconds."""
    assert m.under_writes is not None
    written = [w for w in m.writes if 200 <= w.status < 300]
    seen = [w.visible_s for w in written if w.visible_s is not None]
    reads = m.under_writes.samples
    cells = _latency_cells(reads)
    late = sum(1 for v in seen if v * 1000 > VISIBLE_WITHIN_MS) + len(written) - len(seen)
    return (
        f"Writes under load: the same open loop again while an organisation is changed "
        f"every {WRITE_EVERY_S:g} s (If-Match), each write read back until it shows and "
        f"its version's KPIs and brokers asked for (computed in the background). "
        f"{len(m.writes)} writes, {len(written)} acknowledged; write p50 "
        f"{_ms(percentile([w.write_s for w in written], 50)) if written else '–'} ms; "
        f"visible to the next read after the answer: p50 "
        f"{_ms(percentile(seen, 50)) if seen else '–'} ms, p95 "
        f"{_ms(percentile(seen, 95)) if seen else '–'} ms, max "
        f"{_ms(max(seen)) if seen else '–'} ms ({late} later than {VISIBLE_WITHIN_MS:g} ms "
        f"or never). Reads meanwhile: {cells[0]} requests, {cells[1]} errors, p50 {cells[2]} "
        f"ms, p95 {cells[3]} ms, p99 {cells[4]} ms, max {cells[5]} ms."
    )


def _slowest(m: Measured, run: OpenLoop) -> str:
    """The endpoint of highest p95; among those at the timeout, of highest unloaded median."""
    names = {s.endpoint for s in run.samples}

    def key(name: str) -> tuple[float, float]:
        p95 = percentile([s.latency for s in run.of(name)], 95)
        found = m.unloaded.get(name)
        median = statistics.median(found.latencies) if found and found.latencies else 0.0
        return (min(round(p95, 2), 9.0), median)

    worst = max(sorted(names), key=key)
    p95 = percentile([s.latency for s in run.of(worst)], 95)
    return f"`{worst}` ({_ms(p95)} ms)"


def summary(measured: Sequence[Measured], rate: float) -> str:
    header = [
        "graph",
        "store",
        "achieved req/s",
        "errors",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "target p95",
        "slowest endpoint (p95)",
        "mix saturation req/s",
        "bare saturation req/s",
        "mix / bare",
    ]
    rows = []
    for m in measured:
        run = m.open_loop
        assert run is not None
        mix, bare = m.saturation.get("mix"), m.saturation.get(BARE)
        latencies = [s.latency for s in run.samples]
        errors = sum(1 for s in run.samples if s.error is not None)
        p95 = percentile(latencies, 95)
        target = TARGETS_MS.get((m.graph, m.store))
        verdict = "–"
        if target is not None:
            met = p95 * 1000 < target and errors == 0
            verdict = f"< {target:g} ms: {'met' if met else 'missed'}"
        rows.append(
            [
                GRAPH_TITLES[m.graph],
                m.store,
                f"{run.achieved():,.0f} of {rate:g}",
                f"{errors:,}",
                _ms(percentile(latencies, 50)),
                _ms(p95),
                _ms(percentile(latencies, 99)),
                verdict,
                _slowest(m, run),
                _saturation_cell(mix),
                _saturation_cell(bare),
                f"{mix.rate / bare.rate:.1%}" if mix and bare and bare.rate else "–",
            ]
        )
    return _table(header, rows)


def write_raw(path: Path, measured: Sequence[Measured]) -> None:
    """Every measured open-loop request: when it was due (s from the first), latency, lag."""
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["graph", "store", "endpoint", "due_s", "latency_ms", "lag_ms", "error"])
        for m in measured:
            for run in (m.open_loop, m.bare_open_loop):
                samples = [] if run is None else run.samples
                first = min((s.due for s in samples), default=0.0)
                writer.writerows(
                    [
                        m.graph,
                        m.store,
                        s.endpoint,
                        f"{s.due - first:.4f}",
                        f"{s.latency * 1000:.2f}",
                        f"{s.lag * 1000:.2f}",
                        s.error or "",
                    ]
                    for s in samples
                )


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stores", default="embedded,neo4j")
    parser.add_argument("--graphs", default="drenthe,cordis")
    parser.add_argument("--rate", type=float, default=200, help="open-loop requests/s")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds")
    parser.add_argument(
        "--cordis-duration", type=float, default=10, help="measured seconds on CORDIS"
    )
    parser.add_argument("--warmup", type=float, default=3, help="open-loop warm-up seconds")
    parser.add_argument(
        "--server-warmup", type=float, default=10, help="closed-loop warm-up seconds (JIT)"
    )
    parser.add_argument("--clients", type=int, default=16, help="closed-loop connections")
    parser.add_argument("--mix-seconds", type=float, default=5, help="closed loop, the mix")
    parser.add_argument(
        "--endpoint-seconds", type=float, default=3, help="closed loop, each endpoint"
    )
    parser.add_argument("--timeout", type=float, default=10, help="open-loop give-up seconds")
    parser.add_argument("--cordis", type=Path, default=DEFAULT_CORDIS)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--raw", type=Path, help="also write every open-loop request as CSV")
    args = parser.parse_args(argv)
    stores = [s for s in args.stores.split(",") if s]
    graphs = [g for g in args.graphs.split(",") if g]
    if not set(stores) <= {"embedded", "neo4j"} or not set(graphs) <= {"drenthe", "cordis"}:
        parser.error("stores are embedded and neo4j; graphs are drenthe and cordis")
    if "cordis" in graphs and not (args.cordis / "participations.csv").exists():
        parser.error(f"{args.cordis} is not a CORDIS folder")
    options = Options(
        rate=args.rate,
        duration=args.duration,
        cordis_duration=args.cordis_duration,
        warmup=args.warmup,
        clients=args.clients,
        mix_seconds=args.mix_seconds,
        server_warmup=args.server_warmup,
        endpoint_seconds=args.endpoint_seconds,
        timeout=args.timeout,
        cordis=args.cordis,
        seed=args.seed,
    )
    neo4j = Neo4jTarget.from_env()
    started = time.perf_counter()
    measured: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="api-latency-") as tmp:
        work = Path(tmp)
        bare = Server("bare", [sys.executable, "-m", "bench.bare_app"], _clean_env(), work)
        with running(bare, bare_app.PATH):
            for graph in graphs:
                for store in stores:
                    measured.append(measure(graph, store, bare, options, work, neo4j))
    client = "wrk" if shutil.which("wrk") else "a Python closed loop (wrk not installed)"
    out = [
        f"Open loop: {options.rate:g} requests/s, {options.warmup:g} s warm-up, "
        f"{options.duration:g} s measured ({options.cordis_duration:g} s on CORDIS). "
        f"Closed loop: {options.clients} connections with {client}, "
        f"{options.mix_seconds:g} s for the mix and the bare app, "
        f"{options.endpoint_seconds:g} s per endpoint. "
        f"Whole run: {time.perf_counter() - started:.0f} s.\n",
        summary(measured, options.rate),
    ]
    out.extend(config_report(m, options.rate) for m in measured)
    if args.raw is not None:
        write_raw(args.raw, measured)
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
