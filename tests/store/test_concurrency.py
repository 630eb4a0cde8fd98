"""Fifty clients writing at once through the real service: no lost update, no deadlock.

The service runs in its own process on each store. Fifty threads read an organisation
(with its ETag), change its description and write it back with If-Match, over and over:
half of them all on one hot organisation, the others spread over nine. A write answers
200 (acknowledged, with the new ETag) or 412 (someone else wrote first); nothing else is
allowed. Because every acknowledged write names the version it replaced, the
acknowledged writes of each organisation must form one unbroken chain from the first
version to the final one: a lost update would break the chain or leave a write out.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.store import Neo4jStore
from tests.conftest import STORE_KINDS
from tests.serving import start_service

WRITER = "concurrency-writer-key-01"
CLIENTS = 50
ROUNDS = 8
HOT = "org-hot"
ORGS = [HOT, *(f"org-{k}" for k in range(9))]


@pytest.fixture(params=STORE_KINDS)
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    env = {
        "HELIX_API_KEYS": f"{WRITER}:write",
        "HELIX_SEED_ON_FIRST_START": "false",
        "HELIX_RATE_LIMIT": "0",
    }
    if request.param == "neo4j":
        neo4j: Neo4jStore = request.getfixturevalue("neo4j_store")
        neo4j.clear()
        env["HELIX_STORE"] = "neo4j"
    else:
        env.update(HELIX_STORE="embedded", HELIX_DATA_DIR=str(tmp_path / "data"))
    process, base = start_service(env, tmp_path / "service.log")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@dataclass(frozen=True, slots=True)
class Ack:
    org: str
    replaced: str  # the ETag the write was conditional on
    etag: str  # the ETag it produced
    description: str


def _document(org: str, description: str) -> dict[str, object]:
    return {
        "id": org,
        "label": "Organisation",
        "name": org.upper(),
        "helix_role": "industry",
        "org_type": "company",
        "description": description,
    }


def _client_work(base: str, client_id: int, acks: list[Ack], statuses: Counter[int]) -> None:
    lock = threading.Lock()
    headers = {"X-API-Key": WRITER}
    with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
        for round_ in range(ROUNDS):
            org = HOT if client_id % 2 == 0 else ORGS[1 + (client_id + round_) % 9]
            read = http.get(f"/api/v1/organisations/{org}")
            assert read.status_code == 200, read.text
            etag = read.headers["etag"]
            description = f"written by client {client_id} in round {round_}"
            answer = http.put(
                f"/api/v1/organisations/{org}",
                json=_document(org, description),
                headers={"If-Match": etag},
            )
            with lock:
                statuses[answer.status_code] += 1
            assert answer.status_code in {200, 412}, answer.text
            if answer.status_code == 200:
                acks.append(Ack(org, etag, answer.headers["etag"], description))


def test_fifty_clients_lose_no_update(service: str, capsys: pytest.CaptureFixture[str]) -> None:
    with httpx.Client(base_url=service, timeout=60, headers={"X-API-Key": WRITER}) as http:
        initial = {}
        for org in ORGS:
            created = http.post("/api/v1/organisations", json=_document(org, "initial"))
            assert created.status_code == 201, created.text
            initial[org] = created.headers["etag"]
    acks: list[Ack] = []
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        futures = [pool.submit(_client_work, service, k, acks, statuses) for k in range(CLIENTS)]
        for future in futures:
            future.result(timeout=300)  # a deadlock would hang here
    elapsed = time.monotonic() - started
    assert set(statuses) <= {200, 412}
    assert statuses[200] == len(acks) > 0
    assert statuses[412] > 0  # the hot organisation really was contended
    by_org: dict[str, dict[str, Ack]] = defaultdict(dict)
    for ack in acks:
        assert ack.replaced not in by_org[ack.org], "two writes replaced the same version"
        by_org[ack.org][ack.replaced] = ack
    with httpx.Client(base_url=service, timeout=60) as http:
        for org in ORGS:
            chain = by_org[org]
            etag, followed, description = initial[org], 0, "initial"
            while etag in chain:
                ack = chain[etag]
                etag, description = ack.etag, ack.description
                followed += 1
            assert followed == len(chain), f"{org}: acknowledged writes off the chain"
            final = http.get(f"/api/v1/organisations/{org}")
            assert final.headers["etag"] == etag
            assert final.json()["description"] == description
    with capsys.disabled():
        print(  # noqa: T201 - the count belongs in the output
            f"\nconcurrency: {CLIENTS} clients, {sum(statuses.values())} conditional writes in "
            f"{elapsed:.1f} s: {statuses[200]} acknowledged, {statuses[412]} refused (412), "
            "no other answer"
        )
