"""The Neo4j exports, loaded by Neo4j itself and read back through the driver.

- ``neo4j-admin``: the zip's own ``import.sh`` runs ``neo4j-admin database import full``
  offline into a throwaway copy of the test server's configuration (its own data
  directory and Bolt port under tmp, the binaries shared); that server is started once,
  read and stopped. The test server is left alone.
- ``cypher``: the script is run against the test server (wiped first, as the store tests
  do) the way cypher-shell runs it: each ``:param`` line is evaluated by the server, each
  statement runs with those parameters.

Both are compared with the JSON export of the same graph (the Drenthe agenda plus an
organisation whose texts hold quotes, backslashes, newlines and the array delimiter):
node ids, labels and properties, relationship types, ends and properties; the properties
the store derives for its indexes are compared with what the store writes. A run with one
relationship row left out shows that the comparison notices.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver, GraphDatabase

from app.main import create_app
from app.services.exchange import ExportFormat, export_graph
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import EmbeddedStore, Neo4jStore
from app.store.neo4j import node_props
from graph_schema import (
    GraphData,
    HelixRole,
    Organisation,
    OrgType,
    Provenance,
    Relationship,
    RelType,
)
from tests.conftest import small_graph

ROOT = Path(__file__).resolve().parents[2]
DERIVED = ("sort_key", "aliases_text", "place_key")
START_TIMEOUT = 120.0

Document = dict[str, Any]
RelKey = tuple[str, str, str]


# --------------------------------------------------------------------------- the graph


def tricky_organisation() -> Organisation:
    return Organisation(
        id="stichting-o-brien-zorg",
        name='Stichting O\'Brien "Zorg" \\ Emmen',
        aliases=("O'Brien|Zorg", "Zorg; Emmen, Drenthe"),
        helix_role=HelixRole.CIVIL_SOCIETY,
        secondary_roles=(HelixRole.KNOWLEDGE,),
        org_type=OrgType.PATIENT_ORGANISATION,
        place="Emmen",
        description='Eerste regel, met "aanhalingstekens";\nTweede regel: \\n blijft \\n.\n'
        "// geen commentaar */ ' ; MATCH (n) DETACH DELETE n;",
    )


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> GraphData:
    """The Drenthe graph as the service holds it, plus one organisation with hard texts."""
    with EmbeddedStore(tmp_path_factory.mktemp("neo4j-formats") / "h.sqlite3") as store:
        seed_store(store)
        drenthe = store.snapshot()
    target = next(n for n in drenthe.nodes if n.label == "Network")
    link = Relationship(
        type=RelType.SUPPORTS,
        source="stichting-o-brien-zorg",
        target=target.id,
        provenance=Provenance(
            source="test-bron", section="Sectie 'één'", quote="'}]; MATCH (n) DELETE n //"
        ),
    )
    return GraphData(
        nodes=(*drenthe.nodes, tricky_organisation()),
        relationships=(*drenthe.relationships, link),
    )


@pytest.fixture(scope="module")
def document(graph: GraphData) -> Document:
    parsed: Document = json.loads(export_graph(graph, ExportFormat.JSON))
    return parsed


# --------------------------------------------------------------------------- comparing


@dataclass
class Loaded:
    """Graph nodes and relationships as read from Neo4j (or expected from the JSON export)."""

    nodes: dict[str, tuple[frozenset[str], Document]] = field(default_factory=dict)
    rels: dict[RelKey, Document] = field(default_factory=dict)
    derived: dict[str, Document] = field(default_factory=dict)


def _nested(props: Document) -> Document:
    """Store properties as the JSON export writes them: provenance as one object."""
    record: Document = {}
    provenance: Document = {}
    for key, value in props.items():
        if key.startswith("provenance_"):
            provenance[key.removeprefix("provenance_")] = value
        else:
            record[key] = value
    if provenance:
        record["provenance"] = provenance
    return record


def read_back(driver: Driver, database: str | None = None) -> Loaded:
    loaded = Loaded()
    nodes, _, _ = driver.execute_query(
        "MATCH (n:Entity) RETURN labels(n) AS labels, properties(n) AS props",
        database_=database,
    )
    for record in nodes:
        props = dict(record["props"])
        loaded.derived[props["id"]] = {k: props.pop(k) for k in DERIVED if k in props}
        loaded.nodes[props["id"]] = (frozenset(record["labels"]), _nested(props))
    rels, _, _ = driver.execute_query(
        "MATCH (a:Entity)-[r]->(b:Entity) "
        "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props",
        database_=database,
    )
    for record in rels:
        key = (record["type"], record["source"], record["target"])
        assert key not in loaded.rels, f"relationship {key} twice"
        loaded.rels[key] = _nested(dict(record["props"]))
    return loaded


def expected(document: Document, graph: GraphData, *, empty_lists: bool) -> Loaded:
    """What Neo4j must hold after loading an export of the graph whose JSON export is
    ``document``; ``empty_lists=False``: an empty list is absent (neo4j-admin's CSV)."""
    loaded = Loaded()
    for node in document["nodes"]:
        props = {k: v for k, v in node.items() if k != "label"}
        if not empty_lists:
            props = {k: v for k, v in props.items() if v != []}
        loaded.nodes[node["id"]] = (frozenset({"Entity", node["label"]}), props)
    for edge in document["edges"]:
        key = (edge["type"], edge["source"], edge["target"])
        loaded.rels[key] = {k: v for k, v in edge.items() if k not in ("type", "source", "target")}
    for model in graph.nodes:  # the index properties the store writes
        stored = node_props(model)
        loaded.derived[model.id] = {k: stored[k] for k in DERIVED if k in stored}
    return loaded


def differences(want: Loaded, got: Loaded) -> list[str]:
    """Every node and relationship that is missing, extra or different."""
    found: list[str] = []
    for node_id in sorted(want.nodes.keys() | got.nodes.keys()):
        if node_id not in got.nodes:
            found.append(f"node {node_id} missing")
        elif node_id not in want.nodes:
            found.append(f"node {node_id} not in the export")
        elif want.nodes[node_id] != got.nodes[node_id]:
            found.append(f"node {node_id}: {got.nodes[node_id]} != {want.nodes[node_id]}")
        elif want.derived[node_id] != got.derived[node_id]:
            found.append(f"node {node_id} index properties: {got.derived[node_id]}")
    for key in sorted(want.rels.keys() | got.rels.keys()):
        ends = f"{key[1]} -{key[0]}-> {key[2]}"
        if key not in got.rels:
            found.append(f"relationship {ends} missing")
        elif key not in want.rels:
            found.append(f"relationship {ends} not in the export")
        elif want.rels[key] != got.rels[key]:
            found.append(f"relationship {ends}: {got.rels[key]} != {want.rels[key]}")
    return found


# --------------------------------------------------------------------------- neo4j-admin


def neo4j_home() -> Path:
    """The test server's Neo4j install (scripts/neo4j.sh, NEO4J_DIR as scripts/test.sh sets)."""
    base = Path(os.environ.get("NEO4J_DIR", ROOT / "var" / "neo4j-test"))
    homes = sorted(p.parents[1] for p in base.glob("neo4j-community-*/bin/neo4j-admin"))
    if not homes or not (homes[-1] / "conf" / "neo4j.conf").is_file():
        pytest.fail(
            f"no configured Neo4j install under {base}: run the suite with scripts/test.sh, "
            "which installs and starts the test server"
        )
    return homes[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def throwaway_conf(home: Path, where: Path, bolt_port: int) -> Path:
    """A copy of the test server's neo4j.conf with its own folders and port, no auth and
    no HTTP, a small heap, and without the class-data archive the test server writes."""
    overrides = {
        "server.directories.data": str(where / "data"),
        "server.directories.logs": str(where / "logs"),
        "server.directories.run": str(where / "run"),
        "server.directories.import": str(where / "import"),
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{bolt_port}",
        "server.http.enabled": "false",
        "dbms.security.auth_enabled": "false",
        "server.memory.heap.initial_size": "256m",
        "server.memory.heap.max_size": "256m",
        "server.memory.pagecache.size": "64m",
    }
    lines: list[str] = []
    seen: set[str] = set()
    for line in (home / "conf" / "neo4j.conf").read_text().splitlines():
        key = line.split("=", 1)[0].strip()
        if "SharedArchive" in line or "Xlog:cds" in line:
            continue
        if key in overrides:
            seen.add(key)
        lines.append(f"{key}={overrides[key]}" if key in overrides else line)
    assert seen == set(overrides), f"the test server's conf lacks {set(overrides) - seen}"
    for name in ("data", "logs", "run", "import", "conf"):
        (where / name).mkdir(parents=True, exist_ok=True)
    (where / "conf" / "neo4j.conf").write_text("\n".join(lines) + "\n")
    return where / "conf"


def launcher_env(conf: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HEAP_SIZE", "JAVA_OPTS")}
    env.update(NEO4J_CONF=str(conf), NEO4J_HOME=str(home))
    return env


@dataclass
class AdminImport:
    loaded: Loaded
    meta: list[Document]
    other_nodes: int
    seconds: float


@pytest.fixture(scope="module")
def admin_import(graph: GraphData, tmp_path_factory: pytest.TempPathFactory) -> AdminImport:
    """The neo4j-admin zip imported offline by its import.sh, served once, read back."""
    started = time.monotonic()
    home = neo4j_home()
    where = tmp_path_factory.mktemp("neo4j-admin")
    export = where / "export"
    with zipfile.ZipFile(io.BytesIO(export_graph(graph, ExportFormat.NEO4J_ADMIN))) as archive:
        archive.extractall(export)
    port = free_port()
    env = launcher_env(throwaway_conf(home, where, port), home)
    ran = subprocess.run(
        ["sh", str(export / "import.sh")],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]

    console = (where / "console.out").open("w")
    server = subprocess.Popen(
        [str(home / "bin" / "neo4j"), "console"], env=env, stdout=console, stderr=console
    )
    try:
        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=None) as driver:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                try:
                    driver.verify_connectivity()
                    break
                except Exception:
                    log = (where / "console.out").read_text()[-3000:]
                    assert server.poll() is None, f"the imported Neo4j stopped:\n{log}"
                    assert time.monotonic() < deadline, f"no Bolt within {START_TIMEOUT} s"
                    time.sleep(0.25)
            loaded = read_back(driver)
            meta, _, _ = driver.execute_query("MATCH (m:GraphMeta) RETURN properties(m) AS p")
            others, _, _ = driver.execute_query(
                "MATCH (n) WHERE NOT n:Entity AND NOT n:GraphMeta RETURN count(n) AS n"
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        console.close()
        shutil.rmtree(where / "data", ignore_errors=True)
    return AdminImport(
        loaded=loaded,
        meta=[dict(r["p"]) for r in meta],
        other_nodes=int(others[0]["n"]),
        seconds=time.monotonic() - started,
    )


def test_neo4j_admin_import_equals_the_json_export(
    admin_import: AdminImport, graph: GraphData, document: Document
) -> None:
    want = expected(document, graph, empty_lists=False)
    assert differences(want, admin_import.loaded) == []
    assert len(admin_import.loaded.rels) == len(document["edges"]) == len(graph.relationships)
    # what the service reads as its version, so that it does not seed the database again
    assert admin_import.meta == [{"id": "graph", "version": 1}]
    assert admin_import.other_nodes == 0


def test_neo4j_admin_import_misses_one_relationship_row(
    admin_import: AdminImport, graph: GraphData, document: Document
) -> None:
    """The same comparison, on what the server read back without one relationship."""
    want = expected(document, graph, empty_lists=False)
    got = Loaded(
        nodes=admin_import.loaded.nodes,
        rels=dict(admin_import.loaded.rels),
        derived=admin_import.loaded.derived,
    )
    key = ("SUPPORTS", "stichting-o-brien-zorg", graph.relationships[-1].target)
    del got.rels[key]
    assert differences(want, got) == [f"relationship {key[1]} -SUPPORTS-> {key[2]} missing"]


def archive_text(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


def test_neo4j_admin_zip_is_stable_and_readable_by_all() -> None:
    graph = GraphData(nodes=(tricky_organisation(),))
    data = export_graph(graph, ExportFormat.NEO4J_ADMIN)
    assert data == export_graph(graph, ExportFormat.NEO4J_ADMIN)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        header = archive.read("nodes-Organisation.csv").decode().splitlines()[0]
        script = archive.read("import.sh").decode()
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    assert {info.date_time for info in infos} == {(2021, 1, 1, 0, 0, 0)}
    assert "aliases:string[]" in header
    assert "generic:boolean" in header
    assert header.startswith("id:ID(Entity),name,")
    # aliases hold '|' and ';', so the next delimiter is used, on the command line as well
    assert "'--array-delimiter=^'" in script
    assert "O'Brien|Zorg^Zorg; Emmen" in archive_text(data, "nodes-Organisation.csv")


# --------------------------------------------------------------------------- Cypher


def run_script(driver: Driver, script: str, *, drop_relationship: bool = False) -> int:
    """Run a Cypher script as cypher-shell does: each ``:param`` is evaluated by the
    server, each statement runs with the parameters; returns the statements run.
    ``drop_relationship`` leaves out the first row of the first relationship batch."""
    params: dict[str, Any] = {}
    statements = 0
    for line in script.split("\n"):
        if not line or line.startswith("//"):
            continue
        if line.startswith(":param "):
            name, expression = line.removeprefix(":param ").split(" => ", 1)
            records, _, _ = driver.execute_query(f"RETURN {expression} AS value")
            params[name] = records[0]["value"]
            continue
        assert line.endswith(";"), f"a statement that does not end its line: {line[:80]}"
        query = line.removesuffix(";")
        if drop_relationship and "MERGE (a)-[r:" in query:
            params["rows"] = params["rows"][1:]
            drop_relationship = False
        driver.execute_query(query, params)
        statements += 1
    return statements


@pytest.fixture(scope="module")
def test_server() -> Iterator[tuple[Neo4jStore, Driver]]:
    """The test server, as the store tests reach it (NEO4J_URI from scripts/test.sh)."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.fail("NEO4J_URI is not set: run the suite with scripts/test.sh")
    auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    with (
        Neo4jStore(uri, *auth) as store,
        GraphDatabase.driver(uri, auth=auth) as driver,
    ):
        yield store, driver


def raw(driver: Driver) -> tuple[list[Any], list[Any]]:
    """Every graph node and relationship with all its properties, as stored."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n:Entity) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props "
        "ORDER BY id"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS type, a.id AS source, "
        "b.id AS target, properties(r) AS props ORDER BY type, source, target"
    )
    return [dict(r) for r in nodes], [dict(r) for r in rels]


def test_cypher_script_equals_the_json_export_and_what_the_service_writes(
    test_server: tuple[Neo4jStore, Driver], graph: GraphData, document: Document
) -> None:
    store, driver = test_server
    store.clear()
    store.upsert(graph)
    written = raw(driver)

    store.clear()
    before = store.version()
    script = export_graph(graph, ExportFormat.CYPHER).decode()
    assert script == export_graph(graph, ExportFormat.CYPHER).decode()
    run_script(driver, script)
    assert differences(expected(document, graph, empty_lists=True), read_back(driver)) == []
    assert raw(driver) == written
    assert store.version() > before  # moved on, so that a running service reads anew
    # the service reads the loaded database back as the graph it was exported from
    assert export_graph(store.snapshot(), ExportFormat.JSON) == export_graph(
        graph, ExportFormat.JSON
    )


def test_cypher_script_missing_one_relationship_row_is_noticed(
    test_server: tuple[Neo4jStore, Driver], graph: GraphData, document: Document
) -> None:
    store, driver = test_server
    store.clear()
    run_script(driver, export_graph(graph, ExportFormat.CYPHER).decode(), drop_relationship=True)
    found = differences(expected(document, graph, empty_lists=True), read_back(driver))
    assert len(found) == 1
    assert found[0].startswith("relationship ")
    assert found[0].endswith(" missing")


def test_cypher_script_values_only_in_parameters() -> None:
    """No value of the graph is written into a query: only into ':param' literals."""
    organisation = tricky_organisation()
    script = export_graph(GraphData(nodes=(organisation,)), ExportFormat.CYPHER).decode()
    queries = [
        line for line in script.split("\n") if line and not line.startswith(("//", ":param "))
    ]
    assert queries, "the script has statements"
    assert not any("O'Brien" in q or "stichting" in q for q in queries)
    assert all(q.endswith(";") for q in queries)
    assert queries[0].startswith("CREATE CONSTRAINT entity_id")


@pytest.mark.parametrize(
    ("fmt", "media", "filename"),
    [
        ("neo4j-admin", "application/zip", "helixgraph.neo4j.zip"),
        ("cypher", "text/plain; charset=utf-8", "helixgraph.cypher"),
    ],
)
def test_http_export_names_the_file(tmp_path: Path, fmt: str, media: str, filename: str) -> None:
    with EmbeddedStore(tmp_path / "h.sqlite3") as store:
        store.upsert(small_graph())
        with TestClient(create_app(Settings(), store=store)) as client:
            response = client.get("/api/v1/export", params={"format": fmt})
        assert response.status_code == 200
        assert response.headers["content-type"] == media
        assert f'filename="{filename}"' in response.headers["content-disposition"]
        assert response.content == export_graph(store.snapshot(), ExportFormat(fmt))
