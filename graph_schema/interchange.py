"""The JSON interchange document: what ``export --format json`` writes and ``import`` reads.

Shape::

    {"format": "helixgraph", "schema_version": 1,
     "nodes": [{"id", "label", "name", ...every property, "provenance"?}],
     "edges": [{"source", "target", "type", "role"?, "provenance"}]}
"""

from __future__ import annotations

import hashlib
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from graph_schema.bundle import GraphData, Problem, validation_problems
from graph_schema.enums import NodeLabel
from graph_schema.models import Node, NodeBase, Relationship

__all__ = [
    "FORMAT_NAME",
    "SCHEMA_VERSION",
    "InterchangeDocument",
    "ParsedDocument",
    "document_to_graph",
    "edge_document",
    "etag_of",
    "graph_to_document",
    "node_document",
]

FORMAT_NAME = "helixgraph"
SCHEMA_VERSION = 1

_NODE_ADAPTER: TypeAdapter[Node] = TypeAdapter(Node)


class InterchangeDocument(BaseModel):
    """The whole graph as one JSON document, the shape :func:`graph_to_document` writes.

    It describes the document (for the API description and generated clients); reading
    one goes through :func:`document_to_graph`, which reports every problem at once.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "format": "helixgraph",
                    "schema_version": 1,
                    "nodes": [
                        {"id": "sdg-3", "label": "SDG", "name": "Goede gezondheid", "number": 3}
                    ],
                    "edges": [],
                }
            ]
        },
    )

    format: Literal["helixgraph"] = Field(description="Always `helixgraph`.")
    schema_version: Literal[1] = Field(description="The version of this shape.")
    nodes: list[Node] = Field(description="Every node, by id; unset properties left out.")
    edges: list[Relationship] = Field(
        description="Every relationship, by type, source and target; unset properties left out."
    )


def node_document(node: NodeBase) -> dict[str, Any]:
    """A node as a JSON object: id, label and name first, then every other property."""
    data = node.model_dump(mode="json", exclude_none=True)
    head = {key: data.pop(key) for key in ("id", "label", "name")}
    return head | data


def etag_of(model: BaseModel) -> str:
    """A strong HTTP entity tag of a model's content: ``"<32 hex>"``, half a SHA-256 of
    its JSON. Equal content gives equal tags, in any process and on any store.

    >>> from graph_schema import Theme
    >>> etag_of(Theme(id="t", name="T", kind="priority")) == etag_of(
    ...     Theme(id="t", name="T", kind="priority"))
    True
    """
    return '"' + hashlib.sha256(model.model_dump_json().encode()).hexdigest()[:32] + '"'


def edge_document(rel: Relationship) -> dict[str, Any]:
    """A relationship as a JSON object: source, target and type first."""
    data = rel.model_dump(mode="json", exclude_none=True)
    head = {key: data.pop(key) for key in ("source", "target", "type")}
    return head | data


def graph_to_document(graph: GraphData) -> dict[str, Any]:
    """The interchange document of a graph, in a stable order (nodes by id, edges by key)."""
    return {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "nodes": [node_document(n) for n in sorted(graph.nodes, key=lambda n: n.id)],
        "edges": [edge_document(r) for r in sorted(graph.relationships, key=lambda r: r.key)],
    }


def _describe(item: object, index: int, kind: str) -> str:
    if isinstance(item, dict):
        if kind == "nodes" and isinstance(item.get("id"), str):
            return f"nodes[{index}] (id={item['id']})"
        if kind == "edges":
            ends = f"{item.get('source')} -{item.get('type')}-> {item.get('target')}"
            return f"edges[{index}] ({ends})"
    return f"{kind}[{index}]"


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """What parsing an interchange document gave.

    ``graph`` holds the records that parsed; ``problems`` the ones that did not;
    ``unparsed`` the id and label of nodes that failed on another field, so that
    edges pointing at them are not reported as dangling as well.
    """

    graph: GraphData
    problems: list[Problem]
    unparsed: dict[str, NodeLabel] = field(default_factory=dict)


def _declared(item: object) -> tuple[str, NodeLabel] | None:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        with suppress(ValueError):
            return item["id"], NodeLabel(str(item.get("label")))
    return None


def document_to_graph(document: object) -> ParsedDocument:
    """Parse an interchange document, collecting every problem instead of stopping.

    The caller decides what to do when problems were found (import refuses the whole
    file). Structural checks that need the store (unknown ids) are left to
    :meth:`GraphData.problems`.
    """
    problems: list[Problem] = []
    unparsed: dict[str, NodeLabel] = {}
    if not isinstance(document, dict):
        return ParsedDocument(GraphData(), [Problem.of("document", "problem.document.not_object")])
    unexpected = sorted(set(document) - {"format", "schema_version", "nodes", "edges"})
    if unexpected:
        keys = ", ".join(unexpected)
        problems.append(Problem.of("document", "problem.document.unexpected_keys", keys=keys))
    if document.get("format", FORMAT_NAME) != FORMAT_NAME:
        name = f"'{FORMAT_NAME}'"
        problems.append(Problem.of("document", "problem.document.format", format=name))
    if document.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        version = SCHEMA_VERSION
        problems.append(Problem.of("document", "problem.document.schema_version", version=version))

    nodes: list[Node] = []
    relationships: list[Relationship] = []
    for kind in ("nodes", "edges"):
        items = document.get(kind, [])
        if not isinstance(items, list):
            problems.append(Problem.of("document", "problem.document.not_a_list", kind=kind))
            continue
        for index, item in enumerate(items):
            try:
                if kind == "nodes":
                    nodes.append(_NODE_ADAPTER.validate_python(item))
                else:
                    relationships.append(Relationship.model_validate(item))
            except ValidationError as error:
                problems.extend(validation_problems(_describe(item, index, kind), error))
                declared = _declared(item) if kind == "nodes" else None
                if declared is not None:
                    unparsed[declared[0]] = declared[1]
    graph = GraphData(nodes=tuple(nodes), relationships=tuple(relationships))
    return ParsedDocument(graph, problems, unparsed)
