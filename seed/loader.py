"""Parse the human-editable seed files into a validated :class:`GraphData`.

Every file is a UTF-8 CSV with a header row; ``seed/data/README.md`` documents the
columns. Problems are collected across all files and reported together, each naming
the file and line, so that one run shows everything that needs fixing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph_schema import (
    NODE_MODELS,
    GraphData,
    GraphValidationError,
    NodeBase,
    NodeLabel,
    Organisation,
    Problem,
    Provenance,
    Relationship,
    RelType,
)
from graph_schema.bundle import validation_problems

__all__ = [
    "DATA_DIR",
    "NODE_FILES",
    "PLACE_SOURCES",
    "RELATIONSHIP_FILES",
    "Source",
    "load_seed",
    "read_sources",
]

DATA_DIR = Path(__file__).with_name("data")

_PROVENANCE = ("section", "quote")
NODE_FILES: dict[str, tuple[NodeLabel, tuple[str, ...]]] = {
    "organisations.csv": (
        NodeLabel.ORGANISATION,
        (
            "id",
            "name",
            "aliases",
            "helix_role",
            "secondary_roles",
            "org_type",
            "place",
            "province",
            "region",
            "country",
            "place_source",
            "generic",
            "description",
            *_PROVENANCE,
        ),
    ),
    "themes.csv": (NodeLabel.THEME, ("id", "name", "kind", "description", *_PROVENANCE)),
    "sdgs.csv": (NodeLabel.SDG, ("id", "number", "name", *_PROVENANCE)),
    "programmes.csv": (
        NodeLabel.PROGRAMME,
        ("id", "name", "kind", "period", "description", *_PROVENANCE),
    ),
    "networks.csv": (NodeLabel.NETWORK, ("id", "name", "aliases", "description", *_PROVENANCE)),
    "projects.csv": (
        NodeLabel.PROJECT,
        ("id", "name", "aliases", "description", "status", "period", *_PROVENANCE),
    ),
    "actions.csv": (
        NodeLabel.ACTION,
        (
            "id",
            "theme",
            "name",
            "what",
            "with_whom",
            "result_2022",
            "result_2024",
            "kpi_text",
            "kpi_value",
            "kpi_unit",
            *_PROVENANCE,
        ),
    ),
}
"""File name -> (node label, exact header)."""

RELATIONSHIP_FILES: dict[str, RelType] = {f"{t.lower()}.csv": t for t in RelType}
"""File name -> relationship type; every relationship file has the same header."""
RELATIONSHIP_HEADER = ("from", "to", "role", *_PROVENANCE)

_LIST_FIELDS = frozenset({"aliases", "secondary_roles"})


@dataclass(frozen=True, slots=True)
class Source:
    """A source document the seed cites."""

    id: str
    title: str
    publisher: str
    year: str
    path: str


def read_sources(data_dir: Path = DATA_DIR) -> list[Source]:
    """The rows of ``sources.csv``."""
    with (data_dir / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return [Source(**row) for row in csv.DictReader(handle)]


def _rows(
    path: Path, header: tuple[str, ...], problems: list[Problem]
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (location, row) for each data row; a wrong header is one problem."""
    if not path.exists():
        problems.append(Problem.of(path.name, "problem.csv.missing"))
        return
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != header:
            problems.append(Problem.of(path.name, "problem.csv.header", header=",".join(header)))
            return
        for row in reader:
            if None in row:
                where = f"{path.name}:{reader.line_num}"
                problems.append(Problem.of(where, "problem.csv.too_many_cells"))
                continue
            yield f"{path.name}:{reader.line_num}", row


def _clean(row: dict[str, str]) -> dict[str, Any]:
    """Empty cells become absent; list cells are split on '|'."""
    record: dict[str, Any] = {}
    for key, raw in row.items():
        value = (raw or "").strip()
        if not value:
            continue
        if key in _LIST_FIELDS:
            record[key] = [part.strip() for part in value.split("|") if part.strip()]
        else:
            record[key] = value
    return record


def _provenance(record: dict[str, Any], source: str) -> dict[str, Any]:
    return {
        "source": record.pop("source", source),
        "section": record.pop("section", ""),
        "quote": record.pop("quote", ""),
    }


PLACE_SOURCES = ("agenda: ", "public: ")
"""How a ``place_source`` starts: a verbatim quote of the agenda, or a public fact."""


def _place_problems(org: Organisation, where: str) -> list[Problem]:
    """Where an organisation is must say where that comes from."""
    located = org.place or org.province or org.region
    if located and not org.place_source:
        return [Problem.of(where, "problem.seed.place_source_missing")]
    if org.place_source and not org.place_source.startswith(PLACE_SOURCES):
        return [Problem.of(where, "problem.seed.place_source_form")]
    if org.place_source and not located:
        return [Problem.of(where, "problem.seed.place_source_unused")]
    return []


def load_seed(data_dir: Path = DATA_DIR) -> GraphData:
    """Read and validate the seed.

    Raises
    ------
    GraphValidationError
        With every problem of every file (bad cells, unknown ids, wrong kinds,
        duplicates, missing provenance), each located as ``file:line``.
    """
    problems: list[Problem] = []
    sources = read_sources(data_dir)
    if len(sources) != 1:
        raise GraphValidationError([Problem.of("sources.csv", "problem.seed.one_source")])
    source = sources[0].id

    nodes: list[NodeBase] = []
    where_node: dict[str, str] = {}
    for filename, (label, header) in NODE_FILES.items():
        model = NODE_MODELS[label]
        for where, row in _rows(data_dir / filename, header, problems):
            record = _clean(row)
            record["provenance"] = _provenance(record, source)
            try:
                node = model.model_validate(record)
            except ValidationError as error:
                located = f"{where} (id={record.get('id', '?')})"
                problems.extend(validation_problems(located, error))
                continue
            nodes.append(node)
            where_node.setdefault(node.id, f"{where} (id={node.id})")
            if isinstance(node, Organisation):
                problems.extend(_place_problems(node, f"{where} (id={node.id})"))

    relationships: list[Relationship] = []
    where_rel: dict[tuple[str, str, str], str] = {}
    for filename, rel_type in RELATIONSHIP_FILES.items():
        for where, row in _rows(data_dir / filename, RELATIONSHIP_HEADER, problems):
            record = _clean(row)
            try:
                rel = Relationship(
                    type=rel_type,
                    source=record.get("from", ""),
                    target=record.get("to", ""),
                    role=record.get("role"),
                    provenance=Provenance.model_validate(_provenance(record, source)),
                )
            except ValidationError as error:
                problems.extend(validation_problems(where, error))
                continue
            relationships.append(rel)
            where_rel.setdefault(rel.key, where)

    graph = GraphData.model_validate({"nodes": nodes, "relationships": relationships})
    problems.extend(graph.problems(where_node=where_node, where_rel=where_rel))
    if problems:
        raise GraphValidationError(problems)
    return graph
