"""The analysis process ends with the service, even one that ends while it starts."""

from __future__ import annotations

import subprocess
import sys

_START = """
import os, sys
from app.services.executor import _start
parent = int(sys.argv[1]) if sys.argv[1] != "mine" else os.getppid()
_start(lambda: print("context made", flush=True), parent)
print("started", flush=True)
"""


def _worker_start(parent: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", _START, parent]
    return subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)


def test_a_worker_whose_service_is_gone_ends_before_it_makes_anything() -> None:
    gone = _worker_start("1")  # its service was not init: that one has ended
    assert (gone.returncode, gone.stdout) == (0, "")
    alive = _worker_start("mine")
    assert (alive.returncode, alive.stdout) == (0, "context made\nstarted\n")
