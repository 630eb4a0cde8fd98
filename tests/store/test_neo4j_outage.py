"""The service on Neo4j: clear start-up errors, 503 while Neo4j is away, healing after.

These tests stop and start the suite's own Neo4j server (scripts/neo4j.sh, with the
NEO4J_* settings scripts/test.sh exports), so they restart it before they finish.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.core import GraphCore
from app.main import create_app
from app.settings import Settings
from app.store import Neo4jStore
from app.store.neo4j import VERSION_TTL
from tests.conftest import STORE_KINDS, small_graph

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    "neo4j" not in STORE_KINDS, reason="HELIX_TEST_STORES leaves Neo4j out"
)


def _neo4j(command: str) -> None:
    subprocess.run([str(ROOT / "scripts/neo4j.sh"), command], check=True, capture_output=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cli_on_neo4j(monkeypatch: pytest.MonkeyPatch, uri: str, password: str) -> tuple[int, str]:
    monkeypatch.setenv("HELIX_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    monkeypatch.setenv("NEO4J_TIMEOUT", "2")
    result = CliRunner().invoke(cli, ["export"])
    return result.exit_code, result.stderr


def test_an_unreachable_server_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    uri = f"bolt://127.0.0.1:{_free_port()}"
    code, err = _cli_on_neo4j(monkeypatch, uri, "whatever-password")
    assert code == 1
    assert err.strip().count("\n") == 0
    assert f"Neo4j at {uri} is unreachable" in err


def test_wrong_credentials_are_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = _cli_on_neo4j(monkeypatch, os.environ["NEO4J_URI"], "not-the-password")
    assert code == 1
    assert "refused the credentials of user 'neo4j'" in err
    assert "not-the-password" not in err


@pytest.fixture
def client_on_neo4j() -> Iterator[TestClient]:
    store = Neo4jStore(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ["NEO4J_PASSWORD"],
        timeout=2,
    )
    store.clear()
    store.upsert(small_graph())
    try:
        with TestClient(create_app(store=store)) as client:
            yield client
    finally:
        store.close()


def test_neo4j_going_away_gives_503_and_coming_back_heals(client_on_neo4j: TestClient) -> None:
    client = client_on_neo4j
    assert client.get("/api/v1/organisations/acme").status_code == 200
    _neo4j("stop")
    try:
        for path in ("/api/v1/organisations/acme", "/api/v1/organisations", "/ready", "/health"):
            started = time.monotonic()
            response = client.get(path)
            elapsed = time.monotonic() - started
            assert response.status_code == 503, path
            assert response.headers["content-type"] == "application/problem+json"
            assert "Traceback" not in response.text
            assert elapsed < 5, f"{path} took {elapsed:.1f} s"
    finally:
        _neo4j("start")
    deadline = time.monotonic() + 30
    while client.get("/ready").status_code != 200:
        assert time.monotonic() < deadline, "the service did not heal within 30 s"
        time.sleep(0.5)
    assert client.get("/api/v1/organisations/acme").json()["id"] == "acme"


def test_routing_uris_work_against_a_single_server() -> None:
    uri = os.environ["NEO4J_URI"].replace("bolt://", "neo4j://")
    with Neo4jStore(
        uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"]
    ) as store:
        store.clear()
        store.upsert(small_graph())
        assert store.get_nodes(["acme"])["acme"].name == "ACME"
        assert GraphCore(store).current().node("acme") is not None


def test_the_service_starts_without_neo4j_and_serves_once_it_arrives() -> None:
    settings = Settings(
        store="neo4j",
        neo4j_uri=os.environ["NEO4J_URI"],
        neo4j_password=os.environ["NEO4J_PASSWORD"],
        neo4j_timeout=2,
    )
    _neo4j("stop")
    try:
        with TestClient(create_app(settings)) as client:  # start-up does not fail
            for path in ("/ready", "/api/v1/organisations", "/api/v1/match/partners?org=x"):
                started = time.monotonic()
                response = client.get(path)
                assert response.status_code == 503, path
                assert response.headers["content-type"] == "application/problem+json"
                assert time.monotonic() - started < 5
            _neo4j("start")
            deadline = time.monotonic() + 60
            while client.get("/ready").status_code != 200:
                assert time.monotonic() < deadline, "the service did not start serving"
                time.sleep(0.5)
            assert client.get("/api/v1/organisations").status_code == 200
    finally:
        _neo4j("start")


def test_a_hung_neo4j_fails_requests_at_the_deadline(client_on_neo4j: TestClient) -> None:
    """A server that accepts connections but never answers (SIGSTOP): 503 within the
    deadline (6 × NEO4J_TIMEOUT = 12 s here), not minutes later, for parallel requests."""
    folder = Path(os.environ.get("NEO4J_DIR", ROOT / "var" / "neo4j"))
    pid = int((folder / "run" / "neo4j.pid").read_text().strip())
    client = client_on_neo4j
    assert client.get("/api/v1/organisations/acme").status_code == 200
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(2 * VERSION_TTL)  # within it, the version read last is current
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda _: client.get("/api/v1/organisations/acme"), range(8)))
        elapsed = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
    assert {a.status_code for a in answers} == {503}
    assert all(a.headers["content-type"] == "application/problem+json" for a in answers)
    assert elapsed < 20, f"the requests took {elapsed:.1f} s"
    deadline = time.monotonic() + 60
    while client.get("/api/v1/organisations/acme").status_code != 200:
        assert time.monotonic() < deadline, "the service did not recover"
        time.sleep(0.5)
