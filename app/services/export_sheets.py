"""The graph as spreadsheets, each shaped for the tool that opens it.

- :func:`gephi_tables`: a zip with ``nodes.csv`` and ``edges.csv`` as Gephi's spreadsheet
  importer reads them (*File → Import spreadsheet*, both files at once, or the Data
  Laboratory's *Import spreadsheet* one table at a time). Comma-separated, UTF-8 without a
  byte-order mark, a header row. Nodes: ``Id``, ``Label`` (the name), ``node_type`` (the
  kind of node), then every property under its interchange name and the provenance.
  Edges: ``Source``, ``Target``, ``Type`` (Gephi's direction: ``Directed``), ``Kind``
  (Gephi keeps parallel edges of different kinds apart, so a pair linked by two
  relations stays two edges), ``Id``, ``Label`` (the relation in words), ``relation`` (the
  relation type, an attribute column), ``role`` and the provenance. Values are the codes
  of the interchange document, so that a Gephi filter and an API query say the same.
- :func:`kumu_workbook`: an XLSX workbook with the sheets ``Elements`` (``Label`` first,
  then ``Type``, ``Description``, ``Tags`` and the rest) and ``Connections`` (``From``,
  ``To``, ``Type``, ``Direction`` and the rest), as Kumu's spreadsheet import documents
  them. Kumu finds an element by its label, so every label is unique: where two nodes
  share a name, the later kind gets its kind in brackets ("Drentse Zorgtafel (netwerk)"),
  and the connections use the same text. Kinds, roles and relations are in words.
- :func:`excel_tables`: a zip with ``nodes.csv`` and ``edges.csv`` for Excel in the
  reader's language, written by :func:`app.services.tables.to_csv` (Dutch: semicolons,
  decimal comma, UTF-8 with a byte-order mark, CRLF), headers and codes in words.

Every file is byte-for-byte the same for the same graph: rows sorted by id (edges by
type, source and target), zip entries sorted, with a fixed time and permissions 0644.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from app.services.tables import Cell, Column, Table, Value, to_csv, workbook_text
from graph_schema import GraphData
from graph_schema.enums import (
    CODE_LISTS,
    KIND_PREFIX,
    RELATION_PREFIX,
    NodeLabel,
    ParticipationRole,
)
from graph_schema.i18n import Language, t
from graph_schema.interchange import edge_document, node_document
from graph_schema.models import NODE_MODELS, Node, Relationship

__all__ = [
    "FIXED_TIME",
    "excel_tables",
    "gephi_tables",
    "kumu_labels",
    "kumu_workbook",
    "stable_zip",
]

FIXED_TIME = (2021, 1, 1, 0, 0, 0)
"""The time of every zip entry (a zip cannot say 'no time')."""

_FILE_MODE = 0o100644  # a regular file, rw-r--r--
_PROVENANCE = ("source", "section", "quote")
_KIND_ORDER = {label: i for i, label in enumerate(NodeLabel)}


def _node_fields() -> tuple[str, ...]:
    """Every node property in a fixed order: id, label, name, then the properties of the
    kinds in their order, provenance left out (it is spread over three columns)."""
    fields = ["id", "label", "name"]
    for label in NodeLabel:
        fields.extend(f for f in NODE_MODELS[label].model_fields if f not in fields)
    fields.remove("provenance")
    return tuple(fields)


NODE_FIELDS = _node_fields()
EDGE_FIELDS = ("source", "target", "type", "role")


def stable_zip(entries: Mapping[str, bytes]) -> bytes:
    """A zip of ``entries``, sorted by name, each with a fixed time and mode 0644, so
    that the same entries always give the same bytes and unzip readable to everyone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.create_system = 3  # Unix, so that the mode below is read
            info.external_attr = _FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def _nodes(graph: GraphData) -> list[Node]:
    return sorted(graph.nodes, key=lambda n: n.id)


def _edges(graph: GraphData) -> list[Relationship]:
    return sorted(graph.relationships, key=lambda r: r.key)


def _provenance(document: Mapping[str, Any]) -> list[Any]:
    provenance = document.get("provenance") or {}
    return [provenance.get(part) for part in _PROVENANCE]


# --------------------------------------------------------------------------- Gephi


def _gephi_value(value: Any) -> str:
    """A cell as Gephi parses it: true/false, numbers as Python writes them, lists
    joined by '|', nothing as an empty cell (Gephi reads it as no value). Gephi's CSV
    reader takes a backslash as an escape, so a backslash is written twice."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "|".join(map(str, value))
    return str(value).replace("\\", "\\\\")


def _csv_bytes(rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def gephi_tables(graph: GraphData, lang: Language = "nl") -> bytes:
    """Gephi's nodes table and edges table, zipped (see the module's description)."""
    properties = [f for f in NODE_FIELDS if f not in ("id", "label", "name")]
    provenance = [f"provenance_{part}" for part in _PROVENANCE]
    nodes: list[Sequence[str]] = [["Id", "Label", "node_type", *properties, *provenance]]
    for node in _nodes(graph):
        document = node_document(node)
        cells = [document["id"], document["name"], document["label"]]
        cells += [document.get(f) for f in properties] + _provenance(document)
        nodes.append([_gephi_value(cell) for cell in cells])
    edges: list[Sequence[str]] = [
        ["Source", "Target", "Type", "Kind", "Id", "Label", "relation", "role", *provenance]
    ]
    for rel in _edges(graph):
        document = edge_document(rel)
        cells = [rel.source, rel.target, "Directed", rel.type, _edge_id(rel)]
        cells += [t(lang, f"rel.{rel.type}"), rel.type, document.get("role")]
        edges.append([_gephi_value(cell) for cell in cells + _provenance(document)])
    return stable_zip({"nodes.csv": _csv_bytes(nodes), "edges.csv": _csv_bytes(edges)})


def _edge_id(rel: Relationship) -> str:
    """The edge's identity as text, unique because a graph holds one relationship per
    type and ordered pair (as the Cytoscape export names its edges)."""
    return f"{rel.type}:{rel.source}:{rel.target}"


# --------------------------------------------------------------------------- words


def _words(field: str, value: Any, lang: Language, kind: str = "") -> Any:
    """A coded value in the reader's words (kinds, roles, types, relations, yes/no);
    lists joined by ' | '; anything else as it is."""
    if value is None:
        return None
    if isinstance(value, list):
        return " | ".join(str(_words(field, item, lang, kind)) for item in value)
    if isinstance(value, bool):
        return t(lang, "common.yes" if value else "common.no")
    prefix = _prefix(field, value, kind)
    return t(lang, f"{prefix}.{value}") if prefix else value


_FIELD_LISTS = {
    "helix_role": "helix_role",
    "secondary_roles": "helix_role",
    "org_type": "org_type",
    "status": "project_status",
}
"""The coded node fields and the closed list (graph_schema.CODE_LISTS) of their codes."""


def _prefix(field: str, value: Any, kind: str) -> str | None:
    """The catalogue prefix of a coded field's words; None for an uncoded field."""
    if field == "label":
        return KIND_PREFIX
    if field == "type":
        return RELATION_PREFIX
    if field == "kind":
        code_list: str | None = "programme_kind" if kind == NodeLabel.PROGRAMME else "theme_kind"
    elif field == "role":
        participation = value in tuple(ParticipationRole)
        code_list = "participation_role" if participation else "membership_role"
    else:
        code_list = _FIELD_LISTS.get(field)
    return CODE_LISTS[code_list][0] if code_list else None


def _header(field: str, lang: Language) -> str:
    if field.startswith("provenance_"):
        return t(lang, f"sheet.provenance.{field.removeprefix('provenance_')}")
    return t(lang, f"sheet.node.{field}")


def _cell(value: Any) -> Cell:
    """A value as a table cell: a number that is not whole keeps all its decimals."""
    if isinstance(value, float) and not isinstance(value, bool):
        if value.is_integer():
            return int(value)
        digits = len(repr(value).partition(".")[2])
        return Value(value, "decimal", digits)
    if isinstance(value, str | int | bool) or value is None:
        return value
    return str(value)


# --------------------------------------------------------------------------- Excel


def excel_tables(graph: GraphData, lang: Language = "nl") -> bytes:
    """``nodes.csv`` and ``edges.csv`` for Excel in ``lang``, zipped: the CSV of
    :func:`app.services.tables.to_csv`, headers and codes in words."""
    names = {n.id: n.name for n in graph.nodes}
    node_fields = [*NODE_FIELDS, *(f"provenance_{part}" for part in _PROVENANCE)]
    node_rows: list[tuple[Cell, ...]] = []
    for node in _nodes(graph):
        document = node_document(node)
        values = [document.get(f) for f in NODE_FIELDS] + _provenance(document)
        node_rows.append(
            tuple(
                _cell(_words(f, v, lang, node.label))
                for f, v in zip(node_fields, values, strict=True)
            )
        )
    nodes = Table(
        title="nodes",
        columns=tuple(Column(_header(f, lang)) for f in node_fields),
        rows=tuple(node_rows),
    )
    edge_headers = ["source", "source_name", "type", "target", "target_name", "role"]
    edge_rows: list[tuple[Cell, ...]] = []
    for rel in _edges(graph):
        document = edge_document(rel)
        edge_rows.append(
            (
                rel.source,
                names.get(rel.source, rel.source),
                _words("type", rel.type.value, lang),
                rel.target,
                names.get(rel.target, rel.target),
                _words("role", rel.role, lang),
                *_provenance(document),
            )
        )
    edges = Table(
        title="edges",
        columns=(
            *(Column(t(lang, f"sheet.edge.{f}")) for f in edge_headers),
            *(Column(t(lang, f"sheet.provenance.{part}")) for part in _PROVENANCE),
        ),
        rows=tuple(edge_rows),
    )
    return stable_zip({"nodes.csv": to_csv(nodes, lang), "edges.csv": to_csv(edges, lang)})


# --------------------------------------------------------------------------- Kumu


def kumu_labels(nodes: Iterable[Node], lang: Language = "nl") -> dict[str, str]:
    """A unique Kumu label for every node id.

    A name that only one node has is its label. Where nodes share a name (compared
    without case and surrounding spaces), the first in the order of kinds (organisation,
    action, project, network, programme, theme, SDG; then by id) keeps it and the others
    get their kind in brackets: "Drentse Zorgtafel (netwerk)". Two of one kind, or a
    bracketed label that is itself taken, get their id in brackets instead. A '|' becomes
    '/', because Kumu reads '|' as a list.
    """
    ordered = sorted(nodes, key=lambda n: (_KIND_ORDER[NodeLabel(n.label)], n.id))
    by_name: dict[str, list[Node]] = {}
    for node in ordered:
        by_name.setdefault(_fold(node.name), []).append(node)
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for node in ordered:
        name = node.name.replace("|", "/").strip()
        group = by_name[_fold(node.name)]
        kinds = [n.label for n in group]
        if node is group[0]:
            label = name
        elif kinds.count(node.label) == 1:
            label = f"{name} ({t(lang, f'kind.{node.label}').lower()})"
        else:
            label = f"{name} ({node.id})"
        if _fold(label) in taken:
            label = f"{name} ({node.id})"
        taken.add(_fold(label))
        labels[node.id] = label
    return labels


def _fold(text: str) -> str:
    return text.strip().casefold()


def _kumu_sheet(book: Workbook, title: str, rows: Sequence[Sequence[Any]]) -> None:
    sheet = book.create_sheet(title)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            # a text loses the control characters a workbook cannot hold
            held = workbook_text(value) if isinstance(value, str) else value
            cell = sheet.cell(row=i, column=j, value=held)
            if isinstance(value, str):
                cell.data_type = "s"  # a text beginning with "=" is not a formula


def kumu_workbook(graph: GraphData, lang: Language = "nl") -> bytes:
    """The Kumu workbook: sheets Elements and Connections (see the module's description)."""
    labels = kumu_labels(graph.nodes, lang)
    skip = {"id", "label", "name", "description", "what"}
    rest = [f for f in NODE_FIELDS if f not in skip]
    provenance = [f"provenance_{part}" for part in _PROVENANCE]
    elements: list[list[Any]] = [
        [
            "Label",
            "Type",
            "Description",
            "Tags",
            t(lang, "sheet.kumu.id"),
            t(lang, "sheet.node.name"),
            *(_header(f, lang) for f in rest + provenance),
        ]
    ]
    for node in _nodes(graph):
        document = node_document(node)
        roles = [document["helix_role"]] if "helix_role" in document else []
        roles += document.get("secondary_roles", [])
        elements.append(
            [
                labels[node.id],
                _words("label", node.label, lang),
                document.get("description") or document.get("what"),
                "|".join(_words("helix_role", role, lang) for role in roles),
                node.id,
                node.name,
                *(_kumu_value(f, document.get(f), lang, node.label) for f in rest),
                *_provenance(document),
            ]
        )
    connections: list[list[Any]] = [
        [
            "From",
            "To",
            "Type",
            "Direction",
            t(lang, "sheet.edge.role"),
            *(t(lang, f"sheet.provenance.{part}") for part in _PROVENANCE),
        ]
    ]
    for rel in _edges(graph):
        document = edge_document(rel)
        connections.append(
            [
                labels[rel.source],
                labels[rel.target],
                _words("type", rel.type.value, lang),
                "directed",
                _words("role", rel.role, lang),
                *_provenance(document),
            ]
        )
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _kumu_sheet(book, "Elements", elements)
    _kumu_sheet(book, "Connections", connections)
    return _stable_xlsx(book)


def _kumu_value(field: str, value: Any, lang: Language, kind: str) -> Any:
    """A property for Kumu: lists as Kumu's multiple values (joined by '|'), codes in
    words, numbers as numbers."""
    if isinstance(value, list):
        return "|".join(str(_words(field, item, lang, kind)) for item in value)
    shown = _words(field, value, lang, kind)
    if isinstance(shown, float) and shown.is_integer():
        return int(shown)
    return shown


def _stable_xlsx(book: Workbook) -> bytes:
    """The workbook's bytes without the time of writing: fixed document dates, and the
    package rezipped by :func:`stable_zip`."""
    fixed = dt.datetime(*FIXED_TIME)  # a constant; the package stores it as UTC
    book.properties.creator = "helixgraph"
    book.properties.created = fixed
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        book.properties.modified = fixed
        ExcelWriter(book, archive).save()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package:
        entries = {name: package.read(name) for name in package.namelist()}
    return stable_zip(entries)
