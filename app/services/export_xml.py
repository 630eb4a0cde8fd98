"""The graph as GraphML and as GEXF 1.3, written so that Gephi, yEd, networkx and igraph
load every node and every edge.

Both files carry the same attributes:

- Nodes: the id; ``label`` (the name, what Gephi and yEd show); ``name``; ``node_type``
  (the kind of node: Organisation, Programme, …); every other property under its
  interchange name (a programme's or theme's own ``kind`` stays its own); the provenance
  as ``provenance_source``, ``provenance_section`` and ``provenance_quote``.
- Edges: the id ``TYPE:source:target`` (unique: a graph holds one relationship per type
  and ordered pair, the id the Cytoscape and Gephi table exports use too); the relation in
  words as the edge's label; ``relation`` (the type's code), ``role`` and the provenance.
  The relation type is also the edge's kind for Gephi (GEXF ``kind``, GraphML ``label``
  attribute of ``<edge>``, which is what Gephi's GraphML importer reads as the edge type):
  Gephi merges parallel edges of one kind, so a pair linked by two relations stays two
  edges only this way.

Lists are joined by ``|`` (as in the CSV exports), an empty list is no value; booleans,
whole numbers and decimals are declared as such (GraphML ``attr.type`` boolean/int/double,
GEXF boolean/integer/double), everything else as string. The files hold no date and are
sorted (nodes by id, edges by type, source and target, attributes in the order of the
interchange fields), so the same graph always gives the same bytes.

GraphML follows the GraphML schema (graphml.graphdrawing.org/xmlns) extended, the way the
GraphML primer extends it, by that one attribute ``label`` on ``<edge>``: the extension
schema is ``GRAPHML_EXTENSION``, served at ``/schemas/graphml-gephi.xsd``. GEXF follows the
GEXF 1.3 schema (namespace http://gexf.net/1.3) without exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import quoteattr

from app.services.export_sheets import NODE_FIELDS
from graph_schema import GraphData
from graph_schema.i18n import Language, t
from graph_schema.interchange import edge_document, node_document

__all__ = [
    "GEXF_NAMESPACE",
    "GRAPHML_EXTENSION",
    "GRAPHML_NAMESPACE",
    "gexf_bytes",
    "graphml_bytes",
]

GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_EXTENSION = Path(__file__).parents[1] / "static" / "schemas" / "graphml-gephi.xsd"
"""GraphML with Gephi's edge kind declared; served at /schemas/graphml-gephi.xsd."""
GEXF_NAMESPACE = "http://gexf.net/1.3"

_PROVENANCE = ("provenance_source", "provenance_section", "provenance_quote")
_NODE_ORDER = ("label", "name", "node_type", *NODE_FIELDS[3:], *_PROVENANCE)
_EDGE_ORDER = ("label", "relation", "role", *_PROVENANCE)

Scalar = str | int | float | bool
Kind = Literal["boolean", "int", "double", "string"]
Row = dict[str, Scalar]


def _scalar(value: Any) -> Scalar:
    if isinstance(value, list):
        return "|".join(map(str, value))
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _spread(document: dict[str, Any]) -> Row:
    """Scalars only: the provenance spread over three fields, lists joined by '|'."""
    row: Row = {}
    for key, value in document.items():
        if key == "provenance" and isinstance(value, dict):
            row.update({f"provenance_{part}": _scalar(item) for part, item in value.items()})
        elif value is not None and value != []:  # an empty list: no value, as in Gephi
            row[key] = _scalar(value)
    return row


def _node_rows(graph: GraphData) -> list[tuple[str, Row]]:
    rows = []
    for node in sorted(graph.nodes, key=lambda n: n.id):
        document = _spread(node_document(node))
        node_id = str(document.pop("id"))
        row: Row = {"label": document["name"], "node_type": document.pop("label"), **document}
        rows.append((node_id, row))
    return rows


def _edge_rows(graph: GraphData, lang: Language) -> list[tuple[str, str, str, str, Row]]:
    rows = []
    for rel in sorted(graph.relationships, key=lambda r: r.key):
        document = _spread(edge_document(rel))
        source, target, kind = str(rel.source), str(rel.target), str(rel.type)
        for key in ("source", "target", "type"):
            document.pop(key)
        row: Row = {"label": t(lang, f"rel.{kind}"), "relation": kind, **document}
        rows.append((f"{kind}:{source}:{target}", source, target, kind, row))
    return rows


def _columns(rows: Iterable[Row], order: Sequence[str]) -> list[tuple[str, Kind]]:
    """The attributes that occur, in the interchange order (unknown ones after, sorted),
    each with the narrowest type that holds all its values."""
    seen: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            seen.setdefault(key, set()).add(type(value))
    rank = {key: i for i, key in enumerate(order)}
    columns: list[tuple[str, Kind]] = []
    for key in sorted(seen, key=lambda k: (rank.get(k, len(rank)), k)):
        types = seen[key]
        kind: Kind = "string"
        if types == {bool}:
            kind = "boolean"
        elif types == {int}:
            kind = "int"
        elif types <= {int, float}:
            kind = "double"
        columns.append((key, kind))
    return columns


def _text(value: Scalar, kind: Kind) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def _escape(text: str) -> str:
    """Element content: &, < and > escaped; characters XML 1.0 cannot hold dropped."""
    text = "".join(c for c in text if c in "\t\n\r" or c >= " ")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """An attribute value, quoted; newlines and tabs kept as character references."""
    text = "".join(c for c in text if c in "\t\n\r" or c >= " ")
    return quoteattr(text, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


# --------------------------------------------------------------------------- GraphML


def graphml_bytes(graph: GraphData, lang: Language = "nl") -> bytes:
    """The graph as GraphML (see the module's description)."""
    nodes = _node_rows(graph)
    edges = _edge_rows(graph, lang)
    node_columns = _columns((row for _, row in nodes), _NODE_ORDER)
    edge_columns = _columns((row[4] for row in edges), _EDGE_ORDER)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<graphml xmlns="{GRAPHML_NAMESPACE}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{GRAPHML_NAMESPACE} {GRAPHML_NAMESPACE}/1.0/graphml.xsd">',
        "  <!-- <edge label> is Gephi's edge kind, declared by the GraphML extension schema "
        "/schemas/graphml-gephi.xsd of the service that wrote this file -->",
    ]
    for domain, columns in (("node", node_columns), ("edge", edge_columns)):
        for key, kind in columns:
            lines.append(
                f'  <key id="{domain}_{key}" for="{domain}" attr.name="{key}" attr.type="{kind}"/>'
            )
    lines.append('  <graph id="helixgraph" edgedefault="directed">')
    for node_id, row in nodes:
        lines.append(f"    <node id={_attr(node_id)}>")
        lines.extend(_graphml_data("node", node_columns, row))
        lines.append("    </node>")
    for edge_id, source, target, rel_type, row in edges:
        lines.append(
            f"    <edge id={_attr(edge_id)} source={_attr(source)} target={_attr(target)} "
            f"label={_attr(rel_type)}>"
        )
        lines.extend(_graphml_data("edge", edge_columns, row))
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines).encode("utf-8")


def _graphml_data(domain: str, columns: Sequence[tuple[str, Kind]], row: Row) -> list[str]:
    return [
        f'      <data key="{domain}_{key}">{_escape(_text(row[key], kind))}</data>'
        for key, kind in columns
        if key in row
    ]


# --------------------------------------------------------------------------- GEXF

_GEXF_TYPES: dict[Kind, str] = {
    "boolean": "boolean",
    "int": "integer",
    "double": "double",
    "string": "string",
}


def gexf_bytes(graph: GraphData, lang: Language = "nl") -> bytes:
    """The graph as GEXF 1.3 (see the module's description)."""
    nodes = _node_rows(graph)
    edges = _edge_rows(graph, lang)
    # the label is GEXF's own attribute of <node> and <edge>, not a column
    node_columns = [c for c in _columns((row for _, row in nodes), _NODE_ORDER) if c[0] != "label"]
    edge_columns = [c for c in _columns((row[4] for row in edges), _EDGE_ORDER) if c[0] != "label"]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{GEXF_NAMESPACE}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{GEXF_NAMESPACE} {GEXF_NAMESPACE}/gexf.xsd" version="1.3">',
        "  <meta>",
        "    <creator>helixgraph</creator>",
        "  </meta>",
        '  <graph mode="static" defaultedgetype="directed">',
    ]
    for domain, columns in (("node", node_columns), ("edge", edge_columns)):
        lines.append(f'    <attributes class="{domain}">')
        lines.extend(
            f'      <attribute id="{key}" title="{key}" type="{_GEXF_TYPES[kind]}"/>'
            for key, kind in columns
        )
        lines.append("    </attributes>")
    lines.append(f'    <nodes count="{len(nodes)}">')
    for node_id, row in nodes:
        lines.append(f"      <node id={_attr(node_id)} label={_attr(str(row['label']))}>")
        lines.extend(_gexf_values(node_columns, row))
        lines.append("      </node>")
    lines.append("    </nodes>")
    lines.append(f'    <edges count="{len(edges)}">')
    for edge_id, source, target, rel_type, row in edges:
        lines.append(
            f"      <edge id={_attr(edge_id)} source={_attr(source)} target={_attr(target)} "
            f"kind={_attr(rel_type)} label={_attr(str(row['label']))}>"
        )
        lines.extend(_gexf_values(edge_columns, row))
        lines.append("      </edge>")
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(lines).encode("utf-8")


def _gexf_values(columns: Sequence[tuple[str, Kind]], row: Row) -> list[str]:
    values = [
        f"          <attvalue for={_attr(key)} value={_attr(_text(row[key], kind))}/>"
        for key, kind in columns
        if key in row
    ]
    return ["        <attvalues>", *values, "        </attvalues>"] if values else []
