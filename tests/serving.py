"""The real service in a subprocess, for tests that talk to it over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_service(
    settings: Mapping[str, str], log: Path, *, timeout: float = 60, args: Sequence[str] = ()
) -> tuple[subprocess.Popen[bytes], str]:
    """``helixgraph serve`` on a free port with these settings over the environment and
    these further ``args``; the process and its base URL once ``/ready`` answers 200 (its
    output goes to ``log``).
    """
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), *args],
            cwd=ROOT,
            env={**os.environ, **settings},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"the service was not ready within {timeout:g} s"
        time.sleep(0.2)


@contextmanager
def serving(folder: Path, *, api_keys: str = "") -> Iterator[str]:
    """A service on the embedded store in ``folder`` (analytics in its own process off,
    keys ``api_keys``) for the duration of the block: its base URL."""
    settings = {
        "HELIX_STORE": "embedded",
        "HELIX_DATA_DIR": str(folder / "data"),
        "HELIX_API_KEYS": api_keys,
        "HELIX_ANALYSIS_PROCESS": "false",
    }
    process, base = start_service(settings, folder / "serve.log")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
