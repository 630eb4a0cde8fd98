"""Neo4j killed (kill -9) in the middle of a large import through the command line.

The import writes in atomic transactions of 10,000 records. After the server dies,
the command must say how far it got and exit 1; once the server is back, exactly that
many records are in the graph (no half-written transaction is visible), and running the
same import again completes the graph without duplicates.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.store import Neo4jStore
from graph_schema import (
    GraphData,
    HelixRole,
    Organisation,
    OrgType,
    Project,
    Provenance,
    Relationship,
    RelType,
)
from graph_schema.interchange import graph_to_document
from tests.conftest import STORE_KINDS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    "neo4j" not in STORE_KINDS, reason="HELIX_TEST_STORES leaves Neo4j out"
)
ORGS, PROJECTS = 30_000, 5_000


def _large_graph() -> GraphData:
    provenance = Provenance(source="fault-test", section="generated", quote="generated")
    orgs = [
        Organisation(
            id=f"org-{k}",
            name=f"Organisation {k}",
            helix_role=HelixRole.INDUSTRY,
            org_type=OrgType.COMPANY,
        )
        for k in range(ORGS)
    ]
    projects = [Project(id=f"project-{k}", name=f"Project {k}") for k in range(PROJECTS)]
    rels = [
        Relationship(
            type=RelType.PARTICIPATES_IN,
            source=f"org-{k}",
            target=f"project-{k % PROJECTS}",
            role="partner",
            provenance=provenance,
        )
        for k in range(ORGS)
    ]
    return GraphData(nodes=(*orgs, *projects), relationships=tuple(rels))


def _server_pid() -> int:
    folder = Path(os.environ.get("NEO4J_DIR", ROOT / "var" / "neo4j"))
    return int((folder / "run" / "neo4j.pid").read_text().strip())


def _counts(store: Neo4jStore) -> tuple[int, int]:
    graph = store.snapshot()
    assert len({n.id for n in graph.nodes}) == len(graph.nodes)  # no duplicate node
    return len(graph.nodes), len(graph.relationships)


def test_an_import_cut_by_a_dead_server_is_resumed(neo4j_store: Neo4jStore, tmp_path: Path) -> None:
    neo4j_store.clear()
    start_version = neo4j_store.version()
    path = tmp_path / "large.json"
    path.write_text(json.dumps(graph_to_document(_large_graph())), encoding="utf-8")
    env = {**os.environ, "HELIX_STORE": "neo4j", "NEO4J_TIMEOUT": "3"}
    command = [sys.executable, "-m", "app", "import", str(path)]
    importer = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while neo4j_store.version() < start_version + 2:  # two transactions committed
            assert importer.poll() is None, importer.communicate()
            assert time.monotonic() < deadline, "the import wrote nothing within 120 s"
            time.sleep(0.05)
        os.kill(_server_pid(), signal.SIGKILL)
        _, err = importer.communicate(timeout=120)
    finally:
        subprocess.run([str(ROOT / "scripts/neo4j.sh"), "start"], check=True, capture_output=True)
    assert importer.returncode == 1
    assert err.count("\n") == 1, err
    assert "stopped after" in err
    assert "run it again to complete it" in err
    done = int(err.split("stopped after ")[1].split(" of ")[0])
    total = ORGS + PROJECTS + ORGS
    assert 0 < done < total
    assert done % 10_000 == 0  # whole transactions only

    deadline = time.monotonic() + 60
    while True:
        try:
            nodes, rels = _counts(neo4j_store)
            break
        except Exception:  # the server is still starting
            assert time.monotonic() < deadline, "Neo4j did not come back within 60 s"
            time.sleep(0.5)
    # whole transactions only: what was acknowledged, and perhaps the one in flight
    assert nodes + rels in {done, done + 10_000}

    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert _counts(neo4j_store) == (ORGS + PROJECTS, ORGS)
