"""Exports a Neo4j user loads without the service: a ``neo4j-admin`` zip and a Cypher script.

Both give a database equal to one the service wrote (see :mod:`app.store.neo4j`): every
graph node carries the labels ``Entity`` and its kind, its properties are the store's
(provenance flattened to ``provenance_source``, ``provenance_section`` and
``provenance_quote``; the derived ``sort_key``, ``aliases_text`` and ``place_key``), and
the bookkeeping node ``GraphMeta`` holds a version, so that a service started on the
database serves it instead of loading the Drenthe agenda into it.

- ``neo4j-admin``: CSV files for ``neo4j-admin database import full`` (an offline import
  into a new or empty database): one nodes file per label, one relationships file per
  type, typed columns (``generic:boolean``, ``number:long``, ``aliases:string[]``), and
  ``import.sh`` and ``README.txt`` with the exact command. Constraints and indexes are
  made by the service on its first start (or by the DDL in the README).
- ``cypher``: a script for cypher-shell against any Neo4j 5 database: the constraints and
  indexes first, then batches of ``:param rows => [...]`` each followed by the store's own
  ``UNWIND $rows AS row MERGE ...`` statement; values appear only in the parameter
  literals, never in a query.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.store import cypher
from app.store.neo4j import node_props, rel_props
from graph_schema import GraphData, NodeLabel, RelType
from graph_schema.neo4j_ddl import ENTITY, META, SCHEMA_STATEMENTS

__all__ = [
    "ARRAY_DELIMITERS",
    "CYPHER_BATCH",
    "admin_import_zip",
    "cypher_file",
    "cypher_literal",
    "cypher_script",
    "import_command",
]

ARRAY_DELIMITERS = ("|", ";", "^", "~", "\x1f")
"""Candidates for ``--array-delimiter``: the first that no list value and no label contains."""

CYPHER_BATCH = 100
"""Rows per ``:param`` line of the Cypher script (one line each, a few tens of kB)."""

_ZIP_DATE = (2021, 1, 1, 0, 0, 0)  # fixed: the same graph gives the same bytes
_ZIP_MODE = 0o100644  # a regular file, rw-r--r--
_INDEX_PROPERTIES = ("sort_key", "aliases_text", "place_key")  # derived by the store
_META_VERSION = 1  # what a database holds after the service's first write


# -- shared ----------------------------------------------------------------------------


def _nodes_by_label(graph: GraphData) -> dict[NodeLabel, list[tuple[str, dict[str, Any]]]]:
    """The stored properties of every node, by label in the enum's order, nodes by id."""
    grouped: dict[NodeLabel, list[tuple[str, dict[str, Any]]]] = {}
    for node in sorted(graph.nodes, key=lambda n: n.id):
        grouped.setdefault(node.label, []).append((node.id, node_props(node)))
    return {label: grouped[label] for label in NodeLabel if label in grouped}


def _rels_by_type(graph: GraphData) -> dict[RelType, list[tuple[str, str, dict[str, Any]]]]:
    """The stored properties of every relationship, by type in the enum's order, by key."""
    grouped: dict[RelType, list[tuple[str, str, dict[str, Any]]]] = {}
    for rel in sorted(graph.relationships, key=lambda r: r.key):
        grouped.setdefault(rel.type, []).append((rel.source, rel.target, rel_props(rel)))
    return {rel_type: grouped[rel_type] for rel_type in RelType if rel_type in grouped}


# -- neo4j-admin database import full --------------------------------------------------


def _column_type(key: str, values: Iterable[object]) -> str:
    """The import header's type of a property, from the Python values the driver would send."""
    kinds: set[str] = set()
    for value in values:
        if isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, int):
            kinds.add("long")
        elif isinstance(value, float):
            kinds.add("double")
        elif isinstance(value, str):
            kinds.add("string")
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            kinds.add("string[]")
        else:
            raise TypeError(f"property {key!r} holds a {type(value).__name__}")
    if len(kinds) != 1:  # the models give one type per field; mixing would change values
        raise TypeError(f"property {key!r} mixes {', '.join(sorted(kinds))}")
    return kinds.pop()


def _columns(rows: Sequence[Mapping[str, Any]], skip: Iterable[str]) -> list[tuple[str, str]]:
    """(property, type) of every property the rows hold, in the order they first appear,
    the store's index properties last."""
    skipped = set(skip)
    keys: list[str] = []
    for row in rows:
        keys.extend(key for key in row if key not in skipped and key not in keys)
    keys.sort(key=lambda key: key in _INDEX_PROPERTIES)  # the model's fields first
    return [(key, _column_type(key, (row[key] for row in rows if key in row))) for key in keys]


def _cell(value: object, kind: str, delimiter: str) -> str:
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))  # type: ignore[arg-type]
    if kind == "string[]":
        return delimiter.join(value)  # type: ignore[arg-type]
    return str(value)


def _array_delimiter(graph: GraphData) -> str:
    """The first candidate that occurs in no list value."""
    used: set[str] = set()
    for node in graph.nodes:
        for value in node_props(node).values():
            if isinstance(value, list | tuple):
                used.update(ch for item in value for ch in str(item))
    for candidate in ARRAY_DELIMITERS:
        if candidate not in used:
            return candidate
    raise ValueError("every array delimiter candidate occurs in a list value")


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _delimiter_option(delimiter: str) -> str:
    return delimiter if delimiter.isprintable() else f"U+{ord(delimiter):04X}"


def _import_files(graph: GraphData, delimiter: str) -> tuple[dict[str, str], list[str]]:
    """The CSV files by name, and the command's --nodes and --relationships options."""
    files: dict[str, str] = {}
    options: list[str] = []
    for label, nodes in _nodes_by_label(graph).items():
        props = [props for _, props in nodes]
        columns = _columns(props, skip=("id",))
        header = [f"id:ID({ENTITY})"]
        header += [key if kind == "string" else f"{key}:{kind}" for key, kind in columns]
        header.append(":LABEL")
        labels = delimiter.join((ENTITY, label.value))
        rows = [
            [node_id, *(_cell(p.get(key), kind, delimiter) for key, kind in columns), labels]
            for node_id, p in nodes
        ]
        name = f"nodes-{label.value}.csv"
        files[name] = _csv_text(header, rows)
        options.append(f"--nodes=./{name}")
    meta = _csv_text(
        [f"id:ID({META})", "version:long", ":LABEL"], [["graph", str(_META_VERSION), META]]
    )
    files[f"nodes-{META}.csv"] = meta
    options.append(f"--nodes=./nodes-{META}.csv")
    for rel_type, rels in _rels_by_type(graph).items():
        columns = _columns([props for _, _, props in rels], skip=())
        header = [f":START_ID({ENTITY})", f":END_ID({ENTITY})", ":TYPE"]
        header += [key if kind == "string" else f"{key}:{kind}" for key, kind in columns]
        rows = [
            [source, target, rel_type.value, *(_cell(p.get(k), t, delimiter) for k, t in columns)]
            for source, target, p in rels
        ]
        name = f"relationships-{rel_type.value}.csv"
        files[name] = _csv_text(header, rows)
        options.append(f"--relationships=./{name}")
    return files, options


def import_command(delimiter: str, options: Sequence[str], database: str = "neo4j") -> list[str]:
    """The arguments of ``neo4j-admin`` that load the zip's files, run in their folder.

    The database comes before the file options: those take every argument that follows.
    """
    return [
        "database",
        "import",
        "full",
        database,
        "--id-type=string",
        f"--array-delimiter={_delimiter_option(delimiter)}",
        "--multiline-fields=true",
        *options,
    ]


def _shell_words(arguments: Iterable[str]) -> list[str]:
    return [a if re.fullmatch(r"[\w.=:/-]+", a) else _shell_quote(a) for a in arguments]


def _import_script(arguments: Sequence[str]) -> str:
    options = " \\\n  ".join(_shell_words(arguments[4:]))
    return (
        "#!/bin/sh\n"
        "# Loads this export into a new or empty Neo4j database, the server stopped:\n"
        "#   sh import.sh [DATABASE]      (default: neo4j)\n"
        "# neo4j-admin comes from $NEO4J_HOME/bin when NEO4J_HOME is set, else from PATH.\n"
        "# To replace an existing database add --overwrite-destination=true.\n"
        "set -eu\n"
        'cd "$(dirname "$0")"\n'
        'admin="${NEO4J_HOME:+$NEO4J_HOME/bin/}neo4j-admin"\n'
        f'exec "$admin" database import full "${{1:-neo4j}}" \\\n  {options}\n'
    )


def _readme(graph: GraphData, arguments: Sequence[str]) -> str:
    words = _shell_words(arguments)
    command = " ".join(words[:4]) + " \\\n    " + " \\\n    ".join(words[4:])
    ddl = "".join(f"  {statement};\n" for statement in SCHEMA_STATEMENTS)
    return (
        "helixgraph: the quadruple-helix graph for neo4j-admin database import full\n"
        "\n"
        f"{len(graph.nodes)} nodes and {len(graph.relationships)} relationships, as the\n"
        "helixgraph service stores them in Neo4j: every node has the label Entity and its\n"
        "kind, provenance is flattened into provenance_source, provenance_section and\n"
        "provenance_quote; GraphMeta holds the version the service reads. An empty list\n"
        "(an organisation without aliases) is left out, as the importer cannot write one;\n"
        "the service reads a missing list as empty.\n"
        "\n"
        "Stop the server, then in this folder (Neo4j 5 or later):\n"
        "\n"
        "  sh import.sh [DATABASE]\n"
        "\n"
        "which runs\n"
        "\n"
        f"  neo4j-admin {command}\n"
        "\n"
        "Start the server. A database other than the default one must then be created:\n"
        "CREATE DATABASE name. The helixgraph service creates its constraints and indexes\n"
        "when it starts; without the service, run these in cypher-shell:\n"
        "\n"
        f"{ddl}"
    )


def _zip(files: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.create_system = 3  # Unix, so that the mode below is honoured
            info.external_attr = _ZIP_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode())
    return buffer.getvalue()


def admin_import_zip(graph: GraphData) -> bytes:
    """A zip for ``neo4j-admin database import full``: README.txt, import.sh and the CSVs."""
    delimiter = _array_delimiter(graph)
    files, options = _import_files(graph, delimiter)
    arguments = import_command(delimiter, options)
    return _zip(
        {"README.txt": _readme(graph, arguments), "import.sh": _import_script(arguments), **files}
    )


# -- Cypher script -----------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string_literal(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch in "\x7f\x85\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_literal(value: object) -> str:
    """A Cypher literal of a parameter value: strings escaped, maps with quoted keys."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("a Cypher literal cannot hold an infinite number")
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    if isinstance(value, Mapping):
        items = []
        for key, item in value.items():
            name = str(key)
            if not _IDENTIFIER.fullmatch(name):
                name = "`" + name.replace("`", "``") + "`"
            items.append(f"{name}: {cypher_literal(item)}")
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no Cypher literal for a {type(value).__name__}")


def _batches(query: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    lines: list[str] = []
    for start in range(0, len(rows), CYPHER_BATCH):
        lines.append(f":param rows => {cypher_literal(list(rows[start : start + CYPHER_BATCH]))}")
        lines.append(f"{query};")
    return lines


def cypher_script(graph: GraphData) -> str:
    """A cypher-shell script: constraints and indexes, nodes, relationships, the version.

    Every line is one command: a comment, a statement ending in ``;`` or a ``:param``.
    """
    nodes = _nodes_by_label(graph)
    rels = _rels_by_type(graph)
    lines = [
        "// helixgraph: the quadruple-helix graph as a Cypher script for Neo4j 5 or later",
        f"// {len(graph.nodes)} nodes, {len(graph.relationships)} relationships",
        "//   cypher-shell -a bolt://HOST:7687 -u neo4j -d DATABASE -f helixgraph.cypher",
        "// Constraints and indexes first; then nodes by label and relationships by type,",
        "// merged on their id (nodes) or ends and type (relationships), as the service writes",
        "// them; last the version the service reads.",
        *(f"{statement};" for statement in SCHEMA_STATEMENTS),
    ]
    for label, items in nodes.items():
        rows = [{"id": node_id, "props": props} for node_id, props in items]
        lines += _batches(cypher.MERGE_NODES[label], rows)
    for rel_type, rel_items in rels.items():
        rel_rows = [{"source": s, "target": t, "props": props} for s, t, props in rel_items]
        lines += _batches(cypher.MERGE_RELS[rel_type], rel_rows)
    lines.append(f"{cypher.BUMP_VERSION};")
    return "\n".join(lines) + "\n"


def cypher_file(graph: GraphData) -> bytes:
    """The Cypher script as UTF-8 bytes."""
    return cypher_script(graph).encode()
