"""Export the graph to the interchange formats, and import the JSON interchange format."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.errors import InvalidGraphError
from app.services.export_neo4j import admin_import_zip, cypher_file
from app.services.export_sheets import excel_tables, gephi_tables, kumu_workbook
from app.services.export_xml import gexf_bytes, graphml_bytes
from app.store import GraphStore, UpsertResult
from app.store.base import Progress
from graph_schema import GraphData, GraphValidationError, Problem
from graph_schema.i18n import Language
from graph_schema.interchange import (
    document_to_graph,
    graph_to_document,
)
from graph_schema.wording import JsonReason
from seed.cordis import CORDIS_FILES, is_cordis_folder, load_cordis

__all__ = [
    "ExportFormat",
    "ImportReport",
    "export_graph",
    "import_document",
    "import_path",
    "parse_json_bytes",
]


class ExportFormat(StrEnum):
    JSON = "json"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CYTOSCAPE = "cytoscape"
    CSV = "csv"
    GEPHI_CSV = "gephi-csv"
    KUMU = "kumu"
    NEO4J_ADMIN = "neo4j-admin"
    CYPHER = "cypher"


MEDIA_TYPES = {
    ExportFormat.JSON: "application/json",
    ExportFormat.GRAPHML: "application/graphml+xml",
    ExportFormat.GEXF: "application/gexf+xml",
    ExportFormat.CYTOSCAPE: "application/json",
    ExportFormat.CSV: "application/zip",
    ExportFormat.GEPHI_CSV: "application/zip",
    ExportFormat.KUMU: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.NEO4J_ADMIN: "application/zip",
    ExportFormat.CYPHER: "text/plain; charset=utf-8",
}


def _cytoscape(graph: GraphData) -> dict[str, Any]:
    """Cytoscape.js / Cytoscape desktop JSON: {"elements": {"nodes": [...], "edges": [...]}}."""
    document = graph_to_document(graph)
    edges = [
        {"data": {"id": f"{e['type']}:{e['source']}:{e['target']}", **e}} for e in document["edges"]
    ]
    return {"elements": {"nodes": [{"data": n} for n in document["nodes"]], "edges": edges}}


_SHEETS = {
    ExportFormat.CSV: excel_tables,
    ExportFormat.GEPHI_CSV: gephi_tables,
    ExportFormat.KUMU: kumu_workbook,
}
"""The spreadsheet formats (app.services.export_sheets)."""

_NEO4J = {
    ExportFormat.NEO4J_ADMIN: admin_import_zip,
    ExportFormat.CYPHER: cypher_file,
}
"""Files a Neo4j user loads without the service (app.services.export_neo4j)."""


def export_graph(graph: GraphData, fmt: ExportFormat, lang: Language = "nl") -> bytes:
    """The graph in the chosen format, byte-for-byte stable for the same graph; the words
    in it (column headers, kinds and relations in words) in ``lang``. JSON, Cytoscape and
    the Neo4j files hold codes only and are the same in every language."""
    if fmt is ExportFormat.JSON:
        text = json.dumps(graph_to_document(graph), ensure_ascii=False, indent=2)
        return (text + "\n").encode()
    if fmt is ExportFormat.CYTOSCAPE:
        return (json.dumps(_cytoscape(graph), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt is ExportFormat.GRAPHML:
        return graphml_bytes(graph, lang)
    if fmt is ExportFormat.GEXF:
        return gexf_bytes(graph, lang)
    if fmt in _NEO4J:
        return _NEO4J[fmt](graph)
    return _SHEETS[fmt](graph, lang)


def parse_json_bytes(raw: bytes) -> tuple[object, list[Problem]]:
    """Decode and parse JSON, turning every failure into a located problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [Problem.of("document", "problem.document.not_utf8", byte=error.start)]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        message = f"not valid JSON at {where}: {error.msg}"
        at = {"line": error.lineno, "column": error.colno, "reason": JsonReason(error.msg)}
        return None, [Problem("document", message, "problem.document.not_json", at)]
    except RecursionError:
        return None, [Problem.of("document", "problem.document.too_deep")]


@dataclass(frozen=True, slots=True)
class ImportReport:
    result: UpsertResult
    dry_run: bool


def import_path(
    store: GraphStore,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    actor: str | None = None,
) -> ImportReport:
    """Import a JSON interchange file or a CORDIS folder (organisations, projects,
    participations CSV files): validated completely, then written.

    Raises
    ------
    InvalidGraphError
        With every problem, each naming the file and the record; nothing is written.
    OSError
        When the path cannot be read.
    """
    graph = read_graph(path)
    result = store.upsert(graph, dry_run=dry_run, progress=progress, actor=actor)
    return ImportReport(result=result, dry_run=dry_run)


def read_graph(path: Path) -> GraphData:
    """A JSON interchange file or a CORDIS folder as a graph, validated on its own.

    Raises
    ------
    InvalidGraphError
        With every problem, each naming the file and the record.
    OSError
        When the path cannot be read.
    """
    if path.is_dir():
        if not is_cordis_folder(path):
            files = ", ".join(CORDIS_FILES)
            problem = Problem.of(str(path), "problem.folder_not_cordis", files=files)
            raise InvalidGraphError([problem])
        try:
            return load_cordis(path)
        except GraphValidationError as error:
            raise InvalidGraphError(error.problems) from error
    document, problems = parse_json_bytes(path.read_bytes())
    if problems:
        raise InvalidGraphError(problems)
    parsed = document_to_graph(document)
    graph = parsed.graph
    found = [*parsed.problems, *graph.problems()]
    if found:
        raise InvalidGraphError(found)
    return graph


def import_document(
    store: GraphStore,
    raw: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    actor: str | None = None,
) -> ImportReport:
    """Validate an interchange document completely, then write all of it or nothing.

    Raises
    ------
    InvalidGraphError
        With every problem: unreadable JSON, bad records, unknown ids (in the file or
        the store), relationships between the wrong kinds, missing provenance.
    """
    document, problems = parse_json_bytes(raw)
    if problems:
        raise InvalidGraphError(problems)
    parsed = document_to_graph(document)
    if parsed.problems:
        graph = parsed.graph
        referenced = {r.source for r in graph.relationships} | {
            r.target for r in graph.relationships
        }
        known = store.labels(sorted(referenced | {n.id for n in graph.nodes})) | parsed.unparsed
        raise InvalidGraphError([*parsed.problems, *graph.problems(known)])
    # the store validates again, inside its write transaction
    result = store.upsert(parsed.graph, dry_run=dry_run, progress=progress, actor=actor)
    return ImportReport(result=result, dry_run=dry_run)
