"""The service killed with SIGKILL while clients write to the embedded store.

Eight clients create organisations through the real service; once at least forty
creations were acknowledged (201), the service is killed mid-stream. After a restart on
the same file every acknowledged organisation is there and the file is intact. The
analysis process ends with the service.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx

from tests.serving import start_service

WRITER = "kill-test-writer-key-01"


def _start(data: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    settings = {
        "HELIX_STORE": "embedded",
        "HELIX_DATA_DIR": str(data),
        "HELIX_API_KEYS": f"{WRITER}:write",
        "HELIX_RATE_LIMIT": "0",
    }
    return start_service(settings, log)


def test_every_acknowledged_write_survives_a_killed_service(tmp_path: Path) -> None:
    data, log = tmp_path / "data", tmp_path / "service.log"
    process, base = _start(data, log)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(k: int) -> None:
        with httpx.Client(base_url=base, timeout=10, headers={"X-API-Key": WRITER}) as http:
            n = 0
            while not stop.is_set():
                org = f"killed-{k}-{n}"
                n += 1
                document = {
                    "id": org,
                    "label": "Organisation",
                    "name": org,
                    "helix_role": "industry",
                    "org_type": "company",
                }
                try:
                    answer = http.post("/api/v1/organisations", json=document)
                except httpx.TransportError:
                    return  # the service is gone
                if answer.status_code == 201:
                    with lock:
                        acknowledged.append(org)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40:
        assert time.monotonic() < deadline, "fewer than 40 writes in 60 s"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    with lock:
        acked = list(acknowledged)

    database = data / "helixgraph.sqlite3"
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    process, base = _start(data, log)
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            missing = [
                org for org in acked if http.get(f"/api/v1/organisations/{org}").status_code != 200
            ]
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert len(acked) >= 40
    assert missing == []


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def test_the_analysis_process_ends_with_a_killed_service(tmp_path: Path) -> None:
    process, base = _start(tmp_path / "data", tmp_path / "service.log")
    try:
        assert httpx.get(f"{base}/api/v1/analytics/kpis", timeout=60).status_code == 200
        workers = _children(process.pid)
        assert workers, "the analytics ran without a process of their own"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, f"processes {workers} outlived the service"
        time.sleep(0.2)
