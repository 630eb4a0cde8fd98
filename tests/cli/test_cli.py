"""The command-line contract: seed, export, import, on the embedded store."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.services.exchange import ExportFormat, export_graph
from tests.conftest import small_graph

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HELIX_DATA_DIR", str(folder))
    monkeypatch.setenv("HELIX_STORE", "embedded")
    monkeypatch.setenv("HELIX_SEED_ON_FIRST_START", "false")  # tests seed explicitly
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def export_json() -> str:
    code, out, err = run("export", "--format", "json")
    assert code == 0, err
    return out


def write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_seed_twice_leaves_the_graph_identical() -> None:
    code, out, _ = run("seed")
    assert code == 0
    assert "created" in out
    first = export_json()
    code, out, _ = run("seed")
    assert code == 0
    assert " 0 created, 0 updated" in out
    assert export_json() == first


def test_export_json_has_the_contract_shape_with_provenance() -> None:
    run("seed")
    document = json.loads(export_json())
    node = next(n for n in document["nodes"] if n["label"] == "Organisation")
    assert {"id", "label", "name", "helix_role", "org_type", "aliases"} <= set(node)
    edge = document["edges"][0]
    assert {"source", "target", "type", "provenance"} <= set(edge)
    assert set(edge["provenance"]) == {"source", "section", "quote"}
    assert all(e["provenance"]["quote"] for e in document["edges"])


def test_export_graphml_is_read_back_by_networkx(tmp_path: Path) -> None:
    run("seed")
    out = tmp_path / "graph.graphml"
    code, _, err = run("export", "--format", "graphml", "--out", str(out))
    assert code == 0, err
    graph = nx.read_graphml(out)
    document = json.loads(export_json())
    assert graph.number_of_nodes() == len(document["nodes"])
    assert graph.number_of_edges() == len(document["edges"])
    some = document["edges"][0]
    data = graph.get_edge_data(some["source"], some["target"])
    assert any(d["provenance_quote"] == some["provenance"]["quote"] for d in data.values())


@pytest.mark.parametrize("fmt", ["gexf", "cytoscape", "csv", "gephi-csv", "kumu"])
def test_other_export_formats_write_every_node(tmp_path: Path, fmt: str) -> None:
    graph = small_graph()
    data = export_graph(graph, ExportFormat(fmt))
    assert data == export_graph(graph, ExportFormat(fmt)), "exports must be stable"
    if fmt == "gexf":
        (tmp_path / "g.gexf").write_bytes(data)
        gexf = nx.read_gexf(tmp_path / "g.gexf", version="1.3")
        assert gexf.number_of_nodes() == len(graph.nodes)
        assert gexf.number_of_edges() == len(graph.relationships)
    elif fmt == "cytoscape":
        assert len(json.loads(data)["elements"]["nodes"]) == len(graph.nodes)
    elif fmt == "kumu":
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book["Elements"].max_row == len(graph.nodes) + 1
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            nodes = archive.read("nodes.csv").decode("utf-8-sig").splitlines()
        assert len(nodes) == len(graph.nodes) + 1


def test_export_import_export_round_trip_is_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("seed")
    first = export_json()
    dump = tmp_path / "dump.json"
    dump.write_text(first, encoding="utf-8")

    monkeypatch.setenv("HELIX_DATA_DIR", str(tmp_path / "empty"))
    assert json.loads(export_json())["nodes"] == []
    code, out, err = run("import", str(dump))
    assert code == 0, err
    assert "0 updated" in out
    assert export_json() == first


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    dump = write_json(
        tmp_path / "g.json", json.loads(export_graph(small_graph(), ExportFormat.JSON))
    )
    code, out, _ = run("import", str(dump), "--dry-run")
    assert code == 0
    assert "would give 9 created" in out
    assert json.loads(export_json())["nodes"] == []


def _problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line and not line.startswith("helixgraph:")]


def test_bad_import_names_every_problem_and_changes_nothing(tmp_path: Path) -> None:
    run("seed")
    before = export_json()
    document = json.loads(export_graph(small_graph(), ExportFormat.JSON))
    edges = {(e["type"], e["source"]): e for e in document["edges"]}
    edges["ADDRESSES", "action-x-1"]["target"] = "no-such-theme"  # unknown id
    del edges["PARTNER_IN", "acme"]["provenance"]  # missing provenance
    edges["PARTNER_IN", "uni"].update(type="ADDRESSES", target="theme-x")  # wrong kind
    document["nodes"][0]["helix_role"] = "royalty"  # bad value
    path = write_json(tmp_path / "bad.json", document)

    code, _, err = run("import", str(path))
    assert code == 1
    lines = _problem_lines(err)
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert len(lines) == 4, err
    joined = "\n".join(lines)
    assert "unknown target id 'no-such-theme'" in joined
    assert "provenance: Field required" in joined
    assert "ADDRESSES cannot start at organisation 'uni'" in joined
    assert "helix_role" in joined
    assert "nothing was imported" in err.splitlines()[-1]
    assert export_json() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"nodes": [', "not valid JSON at line 1"),
        (b"\xff\xfe{}", "not valid UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"nodes": {}, "edges": []}', "nodes must be a list"),
    ],
)
def test_malformed_files_are_refused_with_one_clear_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    run("seed")
    before = export_json()
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, _, err = run("import", str(path))
    assert code == 1
    assert message in err
    assert export_json() == before


def test_missing_file_is_one_line_and_non_zero(tmp_path: Path) -> None:
    code, _, err = run("import", str(tmp_path / "nope.json"))
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "cannot read" in err


def test_export_in_english_and_a_language_it_does_not_speak(tmp_path: Path) -> None:
    run("seed")
    out = tmp_path / "graph.xlsx"
    code, _, err = run("export", "--format", "kumu", "--lang", "en", "--out", str(out))
    assert code == 0, err
    header = [c.value for c in next(openpyxl.load_workbook(out)["Elements"].iter_rows())]
    assert header[:3] == ["Label", "Type", "Description"]
    assert "Helixgraph id" in header
    code, _, err = run("export", "--format", "kumu", "--lang", "fr")
    assert code != 0
    assert len(err.strip().splitlines()) == 1
    assert "fr" in err
