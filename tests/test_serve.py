"""The run command's promise: a fresh start serves the Drenthe agenda over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_on_a_fresh_data_dir_loads_the_agenda(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "HELIX_DATA_DIR": str(tmp_path / "data"), "HELIX_STORE": "embedded"}
    env.pop("HELIX_SEED_ON_FIRST_START", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not answer within 30 s"
                time.sleep(0.2)
        assert health.json()["version"] > 0
        umcg = httpx.get(f"{base}/api/v1/organisations/umcg").json()
        assert umcg["name"].startswith("Universitair Medisch Centrum Groningen")
        listed = httpx.get(f"{base}/api/v1/organisations", params={"limit": 1}).json()
        assert listed["count"] > 90
    finally:
        server.terminate()
        server.wait(timeout=10)
