"""Several service processes on one store answer as one service.

Two real services share one store (the embedded file, or one Neo4j server): the first
runs ``helixgraph serve --workers 2``, the second a single process, so three processes
each keep their own in-memory graph and follow the store's change log. Twenty writers
race on one organisation through both services, each reading the ETag and replacing the
organisation with If-Match: per ETag exactly one write wins, every acknowledged write is
one graph version and none is lost. A write through one service is found through the
other within a second, and every later read through any of its processes finds it too.
Workers starting together on a new store load the Drenthe agenda once.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen

import httpx
import neo4j
import pytest

from app.store import Neo4jStore
from tests.conftest import STORE_KINDS
from tests.serving import start_service

WRITER = "workers-writer-key-0001"
HEADERS = {"X-API-Key": WRITER}
WRITERS = 20
ROUNDS = 4
VISIBLE_WITHIN_S = 1.0
START_TIMEOUT_S = 240  # two cores shared with other work: imports alone take tens of seconds


@dataclass(frozen=True, slots=True)
class Services:
    """Base URLs of the two services on one store: ``[--workers 2, single process]``."""

    bases: tuple[str, str]


@pytest.fixture(scope="module", params=STORE_KINDS)
def services(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Services]:
    folder = tmp_path_factory.mktemp(f"workers-{request.param}")
    settings = {
        "HELIX_STORE": request.param,
        "HELIX_API_KEYS": f"{WRITER}:write",
        "HELIX_SEED_ON_FIRST_START": "false",
        "HELIX_ANALYSIS_PROCESS": "false",
        "HELIX_RATE_LIMIT": "0",
    }
    if request.param == "neo4j":
        neo4j: Neo4jStore = request.getfixturevalue("neo4j_store")
        neo4j.clear()
    else:
        settings["HELIX_DATA_DIR"] = str(folder / "data")
    processes: list[Popen[bytes]] = []
    try:
        first, first_base = start_service(
            settings, folder / "workers.log", timeout=START_TIMEOUT_S, args=["--workers", "2"]
        )
        processes.append(first)
        second, second_base = start_service(
            settings, folder / "single.log", timeout=START_TIMEOUT_S
        )
        processes.append(second)
        yield Services((first_base, second_base))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


def _document(org: str, name: str, description: str) -> dict[str, object]:
    return {
        "id": org,
        "label": "Organisation",
        "name": name,
        "helix_role": "industry",
        "org_type": "company",
        "description": description,
    }


def _version(base: str) -> int:
    version: int = httpx.get(f"{base}/health", timeout=30).json()["version"]
    return version


@dataclass(frozen=True, slots=True)
class Ack:
    replaced: str  # the ETag the write was conditional on
    etag: str  # the ETag it produced
    description: str


def _race(
    bases: tuple[str, str],
    org: str,
    writer: int,
    start: threading.Barrier,
    acks: list[Ack],
    statuses: Counter[int],
) -> None:
    """Each round: wait for every writer, read the ETag, write with If-Match; the rounds
    alternate between the two services."""
    lock = threading.Lock()
    for round_ in range(ROUNDS):
        base = bases[(writer + round_) % 2]
        with httpx.Client(base_url=base, timeout=60, headers=HEADERS) as http:
            start.wait(timeout=120)
            read = http.get(f"/api/v1/organisations/{org}")
            assert read.status_code == 200, read.text
            etag = read.headers["etag"]
            description = f"writer {writer}, round {round_}"
            answer = http.put(
                f"/api/v1/organisations/{org}",
                json=_document(org, "Racewerk", description),
                headers={"If-Match": etag},
            )
        assert answer.status_code in {200, 412}, (answer.status_code, answer.text)
        with lock:
            statuses[answer.status_code] += 1
            if answer.status_code == 200:
                acks.append(Ack(etag, answer.headers["etag"], description))


def _shows(base: str, org: str) -> bool:
    return httpx.get(f"{base}/api/v1/organisations/{org}", timeout=30).status_code == 200


def _etag(base: str, org: str) -> str | None:
    etag: str | None = httpx.get(f"{base}/api/v1/organisations/{org}", timeout=30).headers.get(
        "etag"
    )
    return etag


def _within_visibility(check: Callable[[], bool]) -> None:
    """``check`` holds within VISIBLE_WITHIN_S: what one process wrote, every process of
    both services reads by then (each follows the store; Neo4j's version is asked at most
    every 50 ms, and a read does not wait for a patch under way)."""
    deadline = time.monotonic() + VISIBLE_WITHIN_S
    while not check():
        assert time.monotonic() < deadline, "not read through every process within the bound"
        time.sleep(0.02)


def test_racing_writers_through_two_services_lose_no_update(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = services.bases
    org = "racewerk"
    created = httpx.post(
        f"{first}/api/v1/organisations",
        json=_document(org, "Racewerk", "initial"),
        headers=HEADERS,
        timeout=60,
    )
    assert created.status_code == 201, created.text
    # every process reads a write within VISIBLE_WITHIN_S (the test below), not at once
    _within_visibility(lambda: all(_shows(base, org) for base in services.bases for _ in range(10)))
    before = _version(second)
    acks: list[Ack] = []
    statuses: Counter[int] = Counter()
    start = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [
            pool.submit(_race, services.bases, org, k, start, acks, statuses)
            for k in range(WRITERS)
        ]
        for future in futures:
            future.result(timeout=600)

    assert statuses[200] == len(acks) > 0
    assert statuses[412] > 0  # the writers really raced
    winners: dict[str, list[Ack]] = defaultdict(list)
    for ack in acks:
        winners[ack.replaced].append(ack)
    assert all(len(won) == 1 for won in winners.values()), "two writes replaced one ETag"
    chain = {replaced: won[0] for replaced, won in winners.items()}
    etag, description, followed = created.headers["etag"], "initial", 0
    while etag in chain:
        etag, description = chain[etag].etag, chain[etag].description
        followed += 1
    assert followed == len(acks), "an acknowledged write is off the chain: an update was lost"
    _within_visibility(lambda: _version(first) == _version(second) == before + statuses[200])
    _within_visibility(lambda: all(_etag(base, org) == etag for base in services.bases * 5))
    log = httpx.get(f"{second}/api/v1/changes", params={"since": before}, timeout=30).json()
    assert [change["nodes"] for change in log["data"]] == [[org]] * statuses[200]
    for base in services.bases:
        final = httpx.get(f"{base}/api/v1/organisations/{org}", timeout=30)
        assert final.headers["etag"] == etag
        assert final.json()["description"] == description
    with capsys.disabled():
        print(  # noqa: T201 - the figures belong in the output
            f"\nworkers: {WRITERS} writers over two services, {sum(statuses.values())} "
            f"conditional writes: {statuses[200]} acknowledged (= {statuses[200]} versions), "
            f"{statuses[412]} refused (412)"
        )


def _found(base: str, name: str) -> str | None:
    """The id of the best match for ``name`` in the service's organisation search."""
    answer = httpx.get(f"{base}/api/v1/organisations", params={"q": name}, timeout=30)
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    return data[0]["id"] if data and data[0]["name"] == name else None


@pytest.mark.parametrize(
    "direction", [(0, 1), (1, 0)], ids=["workers-to-single", "single-to-workers"]
)
def test_a_write_through_one_service_is_read_through_the_other_within_a_second(
    services: Services, direction: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    writer, reader = (services.bases[i] for i in direction)
    org = f"grenswerk-{direction[0]}"
    names = [f"Grenswerk {word} {direction[0]}" for word in ("Anloo", "Borger", "Coevorden")]
    created = httpx.post(
        f"{writer}/api/v1/organisations",
        json=_document(org, "Grenswerk", "initial"),
        headers=HEADERS,
        timeout=60,
    )
    assert created.status_code == 201, created.text
    etag = created.headers["etag"]
    delays = []
    for name in names:
        written = httpx.put(
            f"{writer}/api/v1/organisations/{org}",
            json=_document(org, name, "renamed"),
            headers={**HEADERS, "If-Match": etag},
            timeout=60,
        )
        assert written.status_code == 200, written.text
        etag = written.headers["etag"]
        acknowledged = time.monotonic()
        while _found(reader, name) != org:
            assert time.monotonic() - acknowledged < VISIBLE_WITHIN_S, (
                f"{name!r} written through {writer} is not found through {reader} within "
                f"{VISIBLE_WITHIN_S:g} s"
            )
            time.sleep(0.02)
        delays.append(time.monotonic() - acknowledged)
        # once found, every process behind the reader's port finds it: none answers stale
        assert all(_found(reader, name) == org for _ in range(10))
    with capsys.disabled():
        print(  # noqa: T201 - the figures belong in the output
            f"\nworkers: a rename found through the other service after "
            f"{', '.join(f'{d * 1000:.0f}' for d in delays)} ms"
        )


WIPE_EVERYTHING = "MATCH (n) DETACH DELETE n"
"""Leaves a database that was never written, version 0 (``clear`` keeps the version)."""


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_workers_starting_together_on_a_new_store_load_the_agenda_once(
    kind: str, tmp_path: Path
) -> None:
    settings = {"HELIX_STORE": kind, "HELIX_ANALYSIS_PROCESS": "false"}
    if kind == "neo4j":
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.fail("NEO4J_URI is not set; HELIX_TEST_STORES=embedded leaves Neo4j out")
        auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        with neo4j.GraphDatabase.driver(uri, auth=auth) as driver:
            driver.execute_query(WIPE_EVERYTHING)
    else:
        settings["HELIX_DATA_DIR"] = str(tmp_path / "data")
    process, base = start_service(
        settings, tmp_path / "serve.log", timeout=START_TIMEOUT_S, args=["--workers", "3"]
    )
    try:
        log = httpx.get(f"{base}/api/v1/changes", params={"since": 0}, timeout=30).json()
        assert [change["action"] for change in log["data"]] == ["upsert"]
        assert _version(base) == 1
        listed = httpx.get(f"{base}/api/v1/organisations", params={"limit": 1}, timeout=30)
        assert listed.json()["count"] > 90
    finally:
        process.terminate()
        process.wait(timeout=60)
