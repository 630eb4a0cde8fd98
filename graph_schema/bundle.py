"""The GraphData bundle and its whole-graph validation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph_schema.enums import NodeLabel
from graph_schema.i18n import Language
from graph_schema.models import (
    RELATIONSHIP_RULES,
    Action,
    Node,
    Relationship,
)
from graph_schema.wording import FieldError, LabelChoice, LabelWord, word

__all__ = [
    "GraphData",
    "GraphValidationError",
    "Problem",
    "describe_validation_error",
    "validation_problems",
]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with input data, located precisely enough to fix it.

    ``message`` is English, for logs, the command line and files. A problem made with
    :meth:`of` (or with ``key`` and ``params``) can also be said in another language
    with :meth:`text`; the location is data and is the same in every language.
    """

    where: str
    message: str
    key: str | None = field(default=None, compare=False)
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, where: str, key: str, /, **params: object) -> Problem:
        """The problem the catalogue's ``key`` says with ``params``; English as message."""
        return cls(where, word("en", key, params), key, params)

    def text(self, lang: Language) -> str:
        """The message in ``lang``: from the catalogue when the problem has a key."""
        return self.message if self.key is None else word(lang, self.key, self.params)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _quoted(value: object) -> str:
    return f"'{value}'"


class GraphValidationError(ValueError):
    """Raised with *every* problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s): " + "; ".join(map(str, self.problems)))


_LABELS = ", ".join(NodeLabel)
_LABEL_ERRORS = {"union_tag_not_found", "union_tag_invalid"}
_LABEL_VALUES = frozenset(str(label) for label in NodeLabel)


def describe_validation_error(error: ValidationError) -> list[str]:
    """Flatten a pydantic error into short 'field: message' lines (English)."""
    return [problem.message for problem in validation_problems("", error)]


def validation_problems(where: str, error: ValidationError) -> list[Problem]:
    """One problem at ``where`` per pydantic error: 'field: message' in English, and
    worded from the catalogue in any language (``helix_role: moet 'government', … zijn``).
    """
    problems = []
    for item in error.errors(include_url=False):
        if item["type"] in _LABEL_ERRORS:
            problems.append(Problem.of(where, "problem.label_unknown", labels=_LABELS))
            continue
        loc = item["loc"]
        if len(loc) > 1 and loc[0] in _LABEL_VALUES:
            loc = loc[1:]  # the tag of the node union: the record says its label itself
        name = ".".join(str(part) for part in loc) or "(record)"
        message = f"{name}: {item['msg'].removeprefix('Value error, ')}"
        params = {"field": name, "error": FieldError.of(item)}
        problems.append(Problem(where, message, "problem.field", params))
    return problems


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
            Problem.of(at_node(node_id), "problem.duplicate_id", id=_quoted(node_id), n=n)
            for node_id, n in counts.items()
            if n > 1
        )
        labels = dict(known)
        for node in self.nodes:
            previous = known.get(node.id)
            if previous is not None and previous != node.label:
                problems.append(
                    Problem.of(
                        at_node(node.id),
                        "problem.id_exists_as",
                        id=_quoted(node.id),
                        kind=LabelWord(previous),
                    )
                )
            labels[node.id] = node.label

        for node in self.nodes:
            if isinstance(node, Action) and labels.get(node.theme) != NodeLabel.THEME:
                problems.append(
                    Problem.of(at_node(node.id), "problem.theme_unknown", theme=_quoted(node.theme))
                )

        rel_counts = Counter(rel.key for rel in self.relationships)
        for rel in self.relationships:
            where = where_rel.get(rel.key, f"{rel.type} {rel.source} -> {rel.target}")
            rule = RELATIONSHIP_RULES[rel.type]
            if rel_counts[rel.key] > 1:
                ends = {"type": str(rel.type), "source": rel.source, "target": rel.target}
                problems.append(Problem.of(where, "problem.duplicate_relationship", **ends))
                rel_counts[rel.key] = 1  # report each duplicate once
            for end, node_id, allowed in (
                ("source", rel.source, rule.sources),
                ("target", rel.target, rule.targets),
            ):
                label = labels.get(node_id)
                if label is None:
                    key = f"problem.unknown_{end}"
                    problems.append(Problem.of(where, key, id=_quoted(node_id)))
                elif label not in allowed:
                    problems.append(
                        Problem.of(
                            where,
                            f"problem.wrong_{end}",
                            type=str(rel.type),
                            kind=LabelWord(label),
                            id=_quoted(node_id),
                            expected=LabelChoice(tuple(sorted(allowed))),
                        )
                    )
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
