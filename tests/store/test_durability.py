"""An acknowledged write survives kill -9 of the writing process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from app.store import EmbeddedStore
from graph_schema import NodeLabel

ROOT = Path(__file__).resolve().parents[2]


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.store.writer_process", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acked: list[str] = []
    deadline = time.monotonic() + 60
    while len(acked) < 40 and time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            break
        acked.append(line.split()[1])
    os.kill(writer.pid, signal.SIGKILL)  # mid-stream: the next write is in flight
    writer.wait(timeout=10)
    acked.extend(line.split()[1] for line in writer.stdout.read().splitlines() if line)
    assert len(acked) >= 40, "the writer did not get going"

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with EmbeddedStore(db) as store:
        for node_id in acked:
            node = store.get_node(NodeLabel.ORGANISATION, node_id)
            assert node is not None, f"acknowledged write {node_id} was lost"
        graph = store.snapshot()
        partners = {r.source for r in graph.relationships}
        assert set(acked) <= partners


def test_a_new_embedded_store_starts_at_version_zero(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "new.sqlite3") as store:
        assert store.version() == 0
