"""The GraphData bundle and its whole-graph validation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph_schema.enums import NodeLabel
from graph_schema.models import (
    RELATIONSHIP_RULES,
    Action,
    Node,
    Relationship,
)

__all__ = ["GraphData", "GraphValidationError", "Problem", "describe_validation_error"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with input data, located precisely enough to fix it."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class GraphValidationError(ValueError):
    """Raised with *every* problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s): " + "; ".join(map(str, self.problems)))


_LABELS = ", ".join(NodeLabel)


def describe_validation_error(error: ValidationError) -> list[str]:
    """Flatten a pydantic error into short 'field: message' lines."""
    lines = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "(record)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] in {"union_tag_not_found", "union_tag_invalid"}:
            field, message = "label", f"missing or unknown; expected one of {_LABELS}"
        lines.append(f"{field}: {message}")
    return lines


class GraphData(BaseModel):
    """A self-describing set of nodes and relationships, as seeded, imported or exported."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nodes: tuple[Node, ...] = ()
    relationships: tuple[Relationship, ...] = Field(default=())

    def referenced_ids(self) -> set[str]:
        """Ids the bundle defines or points at: its nodes, relationship ends, action themes."""
        ids = {node.id for node in self.nodes}
        ids.update(node.theme for node in self.nodes if isinstance(node, Action))
        ids.update(rel.source for rel in self.relationships)
        ids.update(rel.target for rel in self.relationships)
        return ids

    def node_labels(self) -> dict[str, NodeLabel]:
        """Map every node id to its label (the last one wins on duplicates)."""
        return {node.id: node.label for node in self.nodes}

    def problems(
        self,
        known: Mapping[str, NodeLabel] | None = None,
        *,
        where_node: Mapping[str, str] | None = None,
        where_rel: Mapping[tuple[str, str, str], str] | None = None,
    ) -> list[Problem]:
        """Every structural problem of this bundle.

        Parameters
        ----------
        known
            Nodes that exist outside the bundle (e.g. already in the store), by id.
            Relationships may point at them; a bundle node that reuses one of these ids
            must have the same label.
        where_node, where_rel
            Human locations (file and row) to report instead of the plain id.

        Returns
        -------
        list of Problem
            Duplicate ids, duplicate relationships, unknown endpoints, relationships
            between the wrong kinds of node, and actions whose theme is not a theme.
            Empty when the bundle is consistent.
        """
        known = known or {}
        where_node = where_node or {}
        where_rel = where_rel or {}
        problems: list[Problem] = []

        def at_node(node_id: str) -> str:
            return where_node.get(node_id, f"node {node_id}")

        counts = Counter(node.id for node in self.nodes)
        problems.extend(
            Problem(at_node(node_id), f"duplicate id {node_id!r} ({n} nodes share it)")
            for node_id, n in counts.items()
            if n > 1
        )
        labels = dict(known)
        for node in self.nodes:
            previous = known.get(node.id)
            if previous is not None and previous != node.label:
                problems.append(
                    Problem(at_node(node.id), f"id {node.id!r} already exists as {previous}")
                )
            labels[node.id] = node.label

        for node in self.nodes:
            if isinstance(node, Action) and labels.get(node.theme) != NodeLabel.THEME:
                problems.append(
                    Problem(at_node(node.id), f"theme {node.theme!r} is not a known theme")
                )

        rel_counts = Counter(rel.key for rel in self.relationships)
        for rel in self.relationships:
            where = where_rel.get(rel.key, f"{rel.type} {rel.source} -> {rel.target}")
            rule = RELATIONSHIP_RULES[rel.type]
            if rel_counts[rel.key] > 1:
                message = f"duplicate {rel.type} {rel.source} -> {rel.target}"
                problems.append(Problem(where, message))
                rel_counts[rel.key] = 1  # report each duplicate once
            for verb, node_id, allowed in (
                ("start at", rel.source, rule.sources),
                ("end at", rel.target, rule.targets),
            ):
                label = labels.get(node_id)
                if label is None:
                    end = "source" if verb == "start at" else "target"
                    problems.append(Problem(where, f"unknown {end} id {node_id!r}"))
                elif label not in allowed:
                    kinds = " or ".join(sorted(allowed))
                    message = f"{rel.type} cannot {verb} {label} {node_id!r}; expected {kinds}"
                    problems.append(Problem(where, message))
        return problems

    def validated(self, known: Mapping[str, NodeLabel] | None = None) -> GraphData:
        """Return self, or raise GraphValidationError listing every problem."""
        problems = self.problems(known)
        if problems:
            raise GraphValidationError(problems)
        return self

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type."""
        result = Counter[str](str(node.label) for node in self.nodes)
        result.update(str(rel.type) for rel in self.relationships)
        return dict(sorted(result.items()))
