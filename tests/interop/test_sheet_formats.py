"""The spreadsheet exports load whole in the tools they are for.

Every check compares with the JSON export of the seeded Drenthe graph, node by node and
edge by edge (nothing is counted by hand), and each check is also run on a file with one
row dropped, to show that it notices.

- ``gephi-csv``: loaded by Gephi's own spreadsheet importer (the Gephi toolkit, through
  tests/interop/gephi.py, one JVM for the module), and read by Python as that importer
  reads it (delimiter guessed from the header, a backslash as escape, special columns
  Id/Label and Source/Target/Type/Kind/Id/Label/Weight found without regard to case, an
  edge with a known id skipped, parallel edges of one kind merged).
- ``kumu``: the workbook as openpyxl reads it, with the rules of Kumu's import
  (Label in A1 of Elements, From/To in A1/B1 of Connections, elements found by label).
- ``csv``: as Dutch Excel opens a CSV by double click (UTF-8 byte-order mark, ``;``,
  CRLF, decimal comma).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.services.exchange import ExportFormat, export_graph
from app.services.export_sheets import FIXED_TIME
from graph_schema import Action, GraphData, Theme, ThemeKind
from graph_schema.enums import RelType
from graph_schema.i18n import t
from tests.conftest import org, prov, small_graph
from tests.interop.gephi import gephi_load

Document = dict[str, Any]


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _drop_line(text: bytes, index: int) -> bytes:
    lines = text.splitlines(keepends=True)
    return b"".join(lines[:index] + lines[index + 1 :])


# --------------------------------------------------------------------------- Gephi


def _gephi_delimiter(header: str) -> str:
    """Gephi's guess: the most frequent of , ; tab space outside quotes in the header."""
    counts = Counter(c for c in header if c in ",;\t ")
    return max(",;\t ", key=lambda c: counts[c])


def _gephi_table(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Rows as Gephi's CSV reader gives them: a backslash escapes, values are trimmed."""
    text = data.decode("utf-8")  # Gephi reads UTF-8; a byte-order mark would spoil "Id"
    delimiter = _gephi_delimiter(text.partition("\n")[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, escapechar="\\")
    header, *rows = ([cell.strip() for cell in row] for row in reader if row)
    assert all(len(row) == len(header) for row in rows), "an inconsistent record is skipped"
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def _special(header: list[str], name: str) -> str:
    """Gephi finds its special columns by name, without regard to case."""
    found = [column for column in header if column.lower() == name]
    assert len(found) == 1, f"Gephi needs one column {name!r}, found {found}"
    return found[0]


def _gephi_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "|".join(map(str, value))
    return str(value)


def gephi_graph(
    data: bytes,
) -> tuple[dict[str, dict[str, str]], dict[tuple[str, ...], dict[str, str]]]:
    """Nodes by id and edges by (source, target, kind), as Gephi's import builds them."""
    entries = _entries(data)
    assert sorted(entries) == ["edges.csv", "nodes.csv"]
    header, rows = _gephi_table(entries["nodes.csv"])
    node_id = _special(header, "id")
    _special(header, "label")
    nodes: dict[str, dict[str, str]] = {}
    for row in rows:
        assert row[node_id] not in nodes, f"node {row[node_id]} twice"
        nodes[row[node_id]] = row
    header, rows = _gephi_table(entries["edges.csv"])
    source, target = _special(header, "source"), _special(header, "target")
    kind, edge_id = _special(header, "kind"), _special(header, "id")
    direction = _special(header, "type")
    edges: dict[tuple[str, ...], dict[str, str]] = {}
    ids: set[str] = set()
    for row in rows:
        assert row[edge_id] not in ids, f"Gephi skips the second edge {row[edge_id]}"
        ids.add(row[edge_id])
        assert row[source] in nodes, f"an edge from an unknown node {row[source]}"
        assert row[target] in nodes, f"an edge to an unknown node {row[target]}"
        assert row[direction] == "Directed"
        key = (row[source], row[target], row[kind])
        assert key not in edges, f"Gephi merges the parallel edges {key}"
        edges[key] = row
    return nodes, edges


def check_gephi(data: bytes, document: Document) -> None:
    nodes, edges = gephi_graph(data)
    assert sorted(nodes) == sorted(n["id"] for n in document["nodes"])
    for node in document["nodes"]:
        row = nodes[node["id"]]
        assert row["Label"] == node["name"]
        assert row["node_type"] == node["label"]
        for key, value in node.items():
            if key == "provenance":
                for part, text in value.items():
                    assert row[f"provenance_{part}"] == text, (node["id"], part)
            elif key not in ("id", "label", "name"):
                assert row[key] == _gephi_text(value), (node["id"], key)
    expected = {(e["source"], e["target"], e["type"]): e for e in document["edges"]}
    assert sorted(edges) == sorted(expected)
    for key, edge in expected.items():
        row = edges[key]
        assert row["relation"] == edge["type"], "the relation is its own column"
        assert row["Label"] == t("nl", f"rel.{edge['type']}")
        assert row["role"] == edge.get("role", "")
        for part, text in edge["provenance"].items():
            assert row[f"provenance_{part}"] == text


def test_gephi_tables_hold_every_node_and_edge(drenthe: GraphData, document: Document) -> None:
    data = export_graph(drenthe, ExportFormat.GEPHI_CSV)
    check_gephi(data, document)
    entries = _entries(data)
    assert entries["nodes.csv"].startswith(b"Id,Label,")
    assert entries["edges.csv"].startswith(b"Source,Target,Type,")
    # the pairs linked by two relations stay two edges in Gephi
    pairs = Counter((e["source"], e["target"]) for e in document["edges"])
    assert any(n > 1 for n in pairs.values())


def test_gephi_reads_quotes_commas_and_backslashes_as_written() -> None:
    graph = small_graph()
    odd = org("odd", name='Zorg\\Welzijn "Noord", Drenthe; #1', aliases=["a|b", "c\\"])
    graph = GraphData(nodes=(*graph.nodes, odd), relationships=graph.relationships)
    document = json.loads(export_graph(graph, ExportFormat.JSON))
    check_gephi(export_graph(graph, ExportFormat.GEPHI_CSV), document)


@pytest.mark.parametrize("table", ["nodes.csv", "edges.csv"])
def test_gephi_check_notices_a_dropped_row(
    drenthe: GraphData, document: Document, table: str
) -> None:
    entries = _entries(export_graph(drenthe, ExportFormat.GEPHI_CSV))
    entries[table] = _drop_line(entries[table], 17)
    with pytest.raises(AssertionError):
        check_gephi(_rezip(entries), document)


@pytest.fixture(scope="module")
def in_gephi(
    drenthe: GraphData, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """The pair as Gephi's own spreadsheet importer loads it (the Gephi toolkit, one JVM),
    whole and with one edge row or one node row dropped."""
    entries = _entries(export_graph(drenthe, ExportFormat.GEPHI_CSV))
    variants = {
        "whole": entries,
        "edge-dropped": entries | {"edges.csv": _drop_line(entries["edges.csv"], 17)},
        "node-dropped": entries | {"nodes.csv": _drop_line(entries["nodes.csv"], 17)},
    }
    pairs: list[tuple[Path, Path]] = []
    for name, tables in variants.items():
        folder = tmp_path_factory.mktemp(f"gephi-{name}")
        for table, data in tables.items():
            (folder / table).write_bytes(data)
        pairs.append((folder / "nodes.csv", folder / "edges.csv"))
    return dict(zip(variants, gephi_load(*pairs), strict=True))


def _held(attributes: dict[str, Any], key: str, value: Any) -> None:
    """A property as Gephi holds it: typed as Gephi guessed, empty as no value."""
    text = _gephi_text(value)
    if text == "":
        assert key not in attributes, key
    elif isinstance(value, bool | int | float):
        assert str(attributes[key]).lower() == text or float(attributes[key]) == value, key
    else:
        assert attributes[key] == text, key


def check_in_gephi(loaded: dict[str, Any], document: Document) -> None:
    assert [i for i in loaded["issues"] if i.startswith(("SEVERE", "CRITICAL"))] == []
    assert loaded["nodes"] == len(document["nodes"])
    assert loaded["edges"] == len(document["edges"])
    nodes = {n["id"]: n for n in loaded["node_list"]}
    assert sorted(nodes) == sorted(n["id"] for n in document["nodes"])
    for node in document["nodes"]:
        held = nodes[node["id"]]
        assert held["label"] == node["name"], node["id"]
        assert held["attributes"]["node_type"] == node["label"]
        for key, value in node.items():
            if key == "provenance":
                for part, text in value.items():
                    _held(held["attributes"], f"provenance_{part}", text)
            elif key not in ("id", "label", "name"):
                _held(held["attributes"], key, value)
    found = Counter(
        (e["source"], e["target"], e["attributes"]["relation"]) for e in loaded["edge_list"]
    )
    assert found == Counter((e["source"], e["target"], e["type"]) for e in document["edges"])
    assert all(e["directed"] for e in loaded["edge_list"])
    assert loaded["edge_types"] == dict(Counter(e["type"] for e in document["edges"]))


def test_gephi_loads_the_pair_whole_with_the_relation_as_a_column(
    in_gephi: dict[str, dict[str, Any]], document: Document
) -> None:
    check_in_gephi(in_gephi["whole"], document)
    columns = {c["title"]: c["type"] for c in in_gephi["whole"]["edge_columns"]}
    assert columns["relation"] == "String"
    labels = {(e["source"], e["target"], e["label"]) for e in in_gephi["whole"]["edge_list"]}
    assert ("action-arb-1", "theme-arbeidsmarkt-scholing", "richt zich op") in labels
    for dropped in ("edge-dropped", "node-dropped"):
        with pytest.raises(AssertionError):
            check_in_gephi(in_gephi[dropped], document)


# --------------------------------------------------------------------------- Kumu


def _sheet(book: Any, name: str) -> list[dict[str, Any]]:
    header, *rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def check_kumu(data: bytes, document: Document) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Elements", "Connections"]
    assert book["Elements"]["A1"].value == "Label"
    assert (book["Connections"]["A1"].value, book["Connections"]["B1"].value) == ("From", "To")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), "no formulas"
    elements = _sheet(book, "Elements")
    labels = [e["Label"] for e in elements]
    folded = Counter(label.strip().casefold() for label in labels)
    assert [label for label, n in folded.items() if n > 1] == [], "labels must be unique"
    assert all("|" not in label for label in labels), "Kumu splits a cell at '|'"
    id_column = t("nl", "sheet.kumu.id")
    by_label = {e["Label"]: e[id_column] for e in elements}
    assert sorted(by_label.values()) == sorted(n["id"] for n in document["nodes"])
    names = {n["id"]: n for n in document["nodes"]}
    for element in elements:
        node = names[element[id_column]]
        assert element["Type"] == t("nl", f"kind.{node['label']}")
        assert element[t("nl", "sheet.node.name")] == node["name"]
        assert element["Description"] == (node.get("description") or node.get("what"))
    relation = {t("nl", f"rel.{r}"): r.value for r in RelType}
    connections = _sheet(book, "Connections")
    unknown = [
        (c["From"], c["To"]) for c in connections if not {c["From"], c["To"]} <= set(by_label)
    ]
    assert unknown == [], "every connection's From and To is an element's label"
    found = Counter(
        (by_label[c["From"]], by_label[c["To"]], relation[c["Type"]]) for c in connections
    )
    expected = Counter((e["source"], e["target"], e["type"]) for e in document["edges"])
    assert found == expected
    assert {c["Direction"] for c in connections} == {"directed"}


def test_kumu_workbook_holds_every_element_and_connection(
    drenthe: GraphData, document: Document
) -> None:
    data = export_graph(drenthe, ExportFormat.KUMU)
    check_kumu(data, document)
    labels = {row[0] for row in _rows(data, "Elements")}
    # an organisation and a network of the same name: both there, told apart
    assert {"Drentse Zorgtafel", "Drentse Zorgtafel (netwerk)"} <= labels
    shared = Counter(n["name"].casefold() for n in document["nodes"])
    assert sum(n for n in shared.values() if n > 1) == 10  # five names shared by two


def _rows(data: bytes, sheet: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book[sheet].iter_rows(values_only=True, min_row=2))


@pytest.mark.parametrize("sheet", ["Elements", "Connections"])
def test_kumu_check_notices_a_dropped_row(
    drenthe: GraphData, document: Document, sheet: str
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_graph(drenthe, ExportFormat.KUMU)))
    book[sheet].delete_rows(17)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(AssertionError):
        check_kumu(out.getvalue(), document)


# --------------------------------------------------------------------------- Dutch Excel


def _excel_table(data: bytes) -> list[dict[str, str]]:
    """A CSV as Dutch Excel opens it on a double click."""
    assert data.startswith(b"\xef\xbb\xbf"), "without the byte-order mark Excel misreads ë"
    text = data[3:].decode("utf-8")
    assert text.count("\r\n") == text.count("\n"), "Excel's line ends"
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return [dict(zip(header, row, strict=True)) for row in rows]


def check_excel(data: bytes, document: Document) -> None:
    entries = _entries(data)
    assert sorted(entries) == ["edges.csv", "nodes.csv"]
    nodes = _excel_table(entries["nodes.csv"])
    h = {key: t("nl", f"sheet.node.{key}") for key in ("id", "label", "name", "generic")}
    assert sorted(n[h["id"]] for n in nodes) == sorted(n["id"] for n in document["nodes"])
    by_id = {n[h["id"]]: n for n in nodes}
    for node in document["nodes"]:
        row = by_id[node["id"]]
        assert row[h["name"]] == node["name"]
        assert row[h["label"]] == t("nl", f"kind.{node['label']}")
        if "generic" in node:
            assert row[h["generic"]] == t("nl", "common.yes" if node["generic"] else "common.no")
        quote = t("nl", "sheet.provenance.quote")
        assert row[quote].lstrip("'") == node["provenance"]["quote"]
    edges = _excel_table(entries["edges.csv"])
    relation = {t("nl", f"rel.{r}"): r.value for r in RelType}
    source, target = t("nl", "sheet.edge.source"), t("nl", "sheet.edge.target")
    kind = t("nl", "sheet.edge.type")
    found = Counter((e[source], e[target], relation[e[kind]]) for e in edges)
    assert found == Counter((e["source"], e["target"], e["type"]) for e in document["edges"])


def test_excel_tables_hold_every_node_and_edge_in_dutch(
    drenthe: GraphData, document: Document
) -> None:
    data = export_graph(drenthe, ExportFormat.CSV)
    check_excel(data, document)
    header = _entries(data)["nodes.csv"].decode("utf-8-sig").split("\r\n")[0]
    assert header.startswith("Id;Soort;Naam;")
    sdg = next(
        row
        for row in _excel_table(_entries(data)["nodes.csv"])
        if row[t("nl", "sheet.node.id")] == "sdg-3"
    )
    assert sdg[t("nl", "sheet.node.number")] == "3"


@pytest.mark.parametrize("table", ["nodes.csv", "edges.csv"])
def test_excel_check_notices_a_dropped_row(
    drenthe: GraphData, document: Document, table: str
) -> None:
    entries = _entries(export_graph(drenthe, ExportFormat.CSV))
    entries[table] = _drop_line(entries[table], 17)
    with pytest.raises(AssertionError):
        check_excel(_rezip(entries), document)


def test_excel_numbers_have_a_decimal_comma() -> None:
    action = Action(
        id="action-x",
        name="=SOM(A1)",  # a name Excel would run as a formula
        theme="theme-x",
        what="Meten.",
        kpi_text="Twaalfenhalf procent",
        kpi_value=12.5,
        kpi_unit="procent",
        provenance=prov(),
    )
    graph = GraphData(
        nodes=(action, Theme(id="theme-x", name="X", kind=ThemeKind.PRIORITY, provenance=prov()))
    )
    rows = _excel_table(_entries(export_graph(graph, ExportFormat.CSV))["nodes.csv"])
    row = next(r for r in rows if r["Id"] == "action-x")
    assert row[t("nl", "sheet.node.kpi_value")] == "12,5"
    assert row[t("nl", "sheet.node.name")] == "'=SOM(A1)"
    assert row[t("nl", "sheet.node.kind")] == ""
    theme = next(r for r in rows if r["Id"] == "theme-x")
    assert theme[t("nl", "sheet.node.kind")] == t("nl", "themekind.priority")


# --------------------------------------------------------------------------- all three

SHEETS = [ExportFormat.GEPHI_CSV, ExportFormat.KUMU, ExportFormat.CSV]


@pytest.mark.parametrize("fmt", SHEETS)
def test_zip_entries_are_readable_sorted_and_dated_alike(
    drenthe: GraphData, fmt: ExportFormat
) -> None:
    with zipfile.ZipFile(io.BytesIO(export_graph(drenthe, fmt))) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    for info in infos:
        assert info.external_attr >> 16 == 0o100644, (info.filename, oct(info.external_attr))
        assert info.date_time == FIXED_TIME


@pytest.mark.parametrize("fmt", SHEETS)
def test_the_same_graph_gives_the_same_bytes(drenthe: GraphData, fmt: ExportFormat) -> None:
    shuffled = GraphData(
        nodes=tuple(reversed(drenthe.nodes)),
        relationships=tuple(reversed(drenthe.relationships)),
    )
    first = export_graph(drenthe, fmt)
    assert export_graph(shuffled, fmt) == first
    assert export_graph(drenthe, fmt) == first


CHECKS: dict[ExportFormat, Callable[[bytes, Document], None]] = {
    ExportFormat.GEPHI_CSV: check_gephi,
    ExportFormat.KUMU: check_kumu,
    ExportFormat.CSV: check_excel,
}


@pytest.mark.parametrize("fmt", SHEETS)
def test_a_missing_edge_in_the_graph_is_noticed(
    drenthe: GraphData, document: Document, fmt: ExportFormat
) -> None:
    """The exporter dropping an edge (not the file being edited) fails the check too."""
    fewer = GraphData(nodes=drenthe.nodes, relationships=drenthe.relationships[1:])
    with pytest.raises(AssertionError):
        CHECKS[fmt](export_graph(fewer, fmt), document)


def test_a_control_character_in_a_name_does_not_break_the_workbook() -> None:
    """A bell or an escape in a name (pasted from elsewhere) cannot go into a workbook:
    the Kumu export drops it instead of failing."""
    graph = small_graph()
    first, *rest = graph.nodes
    odd = first.model_copy(update={"name": first.name + "\x07\x1b"})
    book = openpyxl.load_workbook(
        io.BytesIO(
            export_graph(
                GraphData(nodes=[odd, *rest], relationships=graph.relationships), ExportFormat.KUMU
            )
        )
    )
    labels = [row[0] for row in book["Elements"].iter_rows(min_row=2, values_only=True)]
    assert first.name in labels
