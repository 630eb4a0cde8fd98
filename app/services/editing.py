"""Edits: one user action, one write.

A person who adds an organisation with two links, or deletes one, makes one change:
:func:`apply_batch` writes a :class:`Batch` (nodes and relationships to upsert, nodes and
relationships to delete) all or nothing, as one graph version with one entry in the
change log that keeps every record before and after. From that log come a node's
history (:func:`history`) and the undo of a change (:func:`undo`), itself a new write;
:func:`impact` says beforehand what deleting a node takes with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.core import Graph
from app.errors import ConflictError, InvalidRequestError, NotFoundError, quoted
from app.services.views import ACTIVITIES
from app.store import GraphStore
from app.store.base import Change, UpsertResult
from graph_schema import GraphData, Node, Relationship, RelType
from graph_schema.i18n import Language, listing, t
from graph_schema.interchange import edge_document, etag_of

__all__ = [
    "Batch",
    "BatchResult",
    "CutOff",
    "EdgeKey",
    "History",
    "HistoryEntry",
    "Impact",
    "apply_batch",
    "history",
    "impact",
    "undo",
]

_NODE: TypeAdapter[Node] = TypeAdapter(Node)
_PAGE = 1000  # changes read at a time


@dataclass(frozen=True)
class EdgeKey:
    """A relationship by its identity: one per type and ordered pair of nodes."""

    type: RelType
    source: str
    target: str

    @property
    def key(self) -> tuple[RelType, str, str]:
        return (RelType(self.type), self.source, self.target)


@dataclass(frozen=True)
class Batch:
    """Everything one user action changes, written as one graph version.

    ``expected`` maps node ids to the ETag the writer last read (None: the node must not
    exist yet); ``note`` goes into the audit log (e.g. the name of an uploaded file).
    """

    nodes: tuple[Node, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    delete_nodes: tuple[str, ...] = ()
    delete_relationships: tuple[EdgeKey, ...] = ()
    expected: Mapping[str, str | None] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """What a batch changed (or, with ``dry_run``, would change), and the version after."""

    version: int
    created: int
    updated: int
    deleted: int
    unchanged: int
    dry_run: bool


def _etag(value: str | None) -> str | None:
    """An ETag as the ETag header gives it (``"…"``); bare hex is quoted."""
    if value is None or value.startswith(('"', "W/")):
        return value
    return f'"{value}"'


def _result(result: UpsertResult, dry_run: bool) -> BatchResult:
    return BatchResult(
        version=result.version,
        created=result.created,
        updated=result.updated,
        deleted=result.deleted,
        unchanged=result.unchanged,
        dry_run=dry_run,
    )


def _write(
    store: GraphStore,
    batch: Batch,
    *,
    actor: str | None,
    dry_run: bool = False,
    undo_of: int | None = None,
) -> BatchResult:
    result = store.apply(
        GraphData(nodes=batch.nodes, relationships=batch.relationships),
        delete_nodes=batch.delete_nodes,
        delete_relationships=[edge.key for edge in batch.delete_relationships],
        expected={node_id: _etag(tag) for node_id, tag in batch.expected.items()} or None,
        actor=actor,
        note=batch.note,
        undo_of=undo_of,
        dry_run=dry_run,
    )
    return _result(result, dry_run)


def apply_batch(
    store: GraphStore, batch: Batch, *, actor: str | None, dry_run: bool = False
) -> BatchResult:
    """Write ``batch`` all or nothing: one graph version, one change-log entry with each
    record before and after.

    Raises ChangedMeanwhileError (412, with the nodes as stored now) when an expected
    ETag no longer matches, NotFoundError (404) for a node or relationship to delete
    that is absent, and InvalidGraphError (422) listing every problem of the batch
    against the stored graph; then nothing is written. With ``dry_run`` nothing is
    written either way, and the counts say what would change.
    """
    return _write(store, batch, actor=actor, dry_run=dry_run)


# -- the change log ---------------------------------------------------------------------


def _all_changes(store: GraphStore, since: int = 0) -> Iterator[Change]:
    cursor = since
    while True:
        page = store.changes(cursor, _PAGE)
        yield from page
        if len(page) < _PAGE:
            return
        cursor = page[-1].version


def _rows(change: Change) -> list[dict[str, Any]] | None:
    """The records of a change with before and after; None when the change kept none."""
    if change.details is None:
        return None
    rows: list[dict[str, Any]] = json.loads(change.details)
    return rows


def _ends(key: str) -> list[str]:
    """The node ids of a relationship key ``TYPE source target``."""
    return key.split(" ")[1:]


class HistoryEntry(BaseModel):
    """One change to a node or to one of its relationships."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 12,
                    "at": "2026-12-03T10:15:38.120+00:00",
                    "actor": "3f9a1c2e",
                    "action": "edit",
                    "kind": "relationship",
                    "key": "PARTNER_IN it-hub action-dig-1",
                    "before": None,
                    "after": {
                        "source": "it-hub",
                        "target": "action-dig-1",
                        "type": "PARTNER_IN",
                        "provenance": {
                            "source": "told:Anne de Vries",
                            "section": "2026-12-03",
                            "quote": "IT Hub trekt de actie mee",
                        },
                    },
                    "source": {
                        "source": "told:Anne de Vries",
                        "section": "2026-12-03",
                        "quote": "IT Hub trekt de actie mee",
                    },
                    "undo_of": None,
                    "undone_by": None,
                }
            ]
        }
    )

    version: int = Field(description="The graph version the change produced.")
    at: str = Field(description="When, ISO 8601, UTC.")
    actor: str | None = Field(description="Id of the API key that wrote; null: command line.")
    action: str = Field(
        description="`upsert`, `delete`, `edit` (both in one write), `undo` or `clear`."
    )
    kind: str = Field(description="`node` or `relationship`.")
    key: str = Field(description="The node id, or the relationship as `TYPE source target`.")
    before: dict[str, Any] | None = Field(
        description="The document before the change; null: created (or not kept: bulk import)."
    )
    after: dict[str, Any] | None = Field(
        description="The document the change left; null: deleted (or not kept: bulk import)."
    )
    source: dict[str, Any] | None = Field(
        description="The provenance (source, section, quote) of `after`, or of `before` "
        "for a delete."
    )
    undo_of: int | None = Field(description="The version this change undid, if it is an undo.")
    undone_by: int | None = Field(description="The version of the change that undid this one.")


class History(BaseModel):
    """Every change to a node and to its relationships, newest first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"node": "it-hub", "count": 1, "data": []}]}
    )

    node: str = Field(description="The node id asked for.")
    count: int = Field(description="Entries over all pages.")
    data: list[HistoryEntry] = Field(description="This page of entries, newest first.")


def history(store: GraphStore, node_id: str, *, limit: int = 50, offset: int = 0) -> History:
    """Every change to ``node_id`` and to its relationships since the graph was last
    cleared, newest first (one entry per record a change touched); NotFoundError when the
    node neither exists nor has any."""
    changes = list(_all_changes(store))
    cleared = [i for i, change in enumerate(changes) if change.action == "clear"]
    if cleared:  # what came before describes a graph that is gone
        changes = changes[cleared[-1] + 1 :]
    undone_by = {c.undo_of: c.version for c in changes if c.undo_of is not None}
    entries: list[HistoryEntry] = []
    for change in reversed(changes):
        rows = _rows(change)
        if rows is None:  # bulk: the ids are kept, the documents are not
            rows = [
                {"kind": "node", "key": key, "before": None, "after": None} for key in change.nodes
            ]
            rows += [
                {"kind": "relationship", "key": key, "before": None, "after": None}
                for key in change.relationships
            ]
        for row in rows:
            ours = row["key"] == node_id if row["kind"] == "node" else node_id in _ends(row["key"])
            if not ours:
                continue
            document = row["after"] if row["after"] is not None else row["before"]
            entries.append(
                HistoryEntry(
                    version=change.version,
                    at=change.at,
                    actor=change.actor,
                    action=change.action,
                    kind=row["kind"],
                    key=row["key"],
                    before=row["before"],
                    after=row["after"],
                    source=None if document is None else document.get("provenance"),
                    undo_of=change.undo_of,
                    undone_by=undone_by.get(change.version),
                )
            )
    if not entries and not store.get_nodes([node_id]):
        raise NotFoundError.of("error.node.id_not_found", id=quoted(node_id))
    return History(node=node_id, count=len(entries), data=entries[offset : offset + limit])


# -- undo ---------------------------------------------------------------------------------


def _deleted_nodes(change: Change) -> set[str]:
    """Nodes a change deleted (a bulk change: every node it named, to be safe)."""
    rows = _rows(change)
    if rows is None:
        return set(change.nodes)
    return {row["key"] for row in rows if row["kind"] == "node" and row["after"] is None}


def _conflicts(
    rows: Sequence[Mapping[str, Any]], later: Sequence[Change], missing: set[str]
) -> list[int]:
    """Versions after a change that touched what undoing it would restore: its records,
    links to the nodes it created, or (``missing``) the absent ends of the links it would
    bring back."""
    nodes = {row["key"] for row in rows if row["kind"] == "node"}
    rels = {row["key"] for row in rows if row["kind"] == "relationship"}
    created = {row["key"] for row in rows if row["kind"] == "node" and row["before"] is None}
    found = []
    for other in later:
        if other.action == "clear":
            found.append(other.version)
            continue
        touched = set(other.nodes) if other.action != "contacts" else set(other.nodes) & created
        ends = {end for key in other.relationships for end in _ends(key)}
        if (
            touched & nodes
            or set(other.relationships) & rels
            or ends & created
            or (touched & missing and _deleted_nodes(other) & missing)
        ):
            found.append(other.version)
    return found


def undo(store: GraphStore, version: int, *, actor: str | None) -> tuple[BatchResult, int]:
    """Undo the change that made ``version``: a new write that restores every record it
    touched to its state before it (deleting what it created, recreating what it
    deleted). Returns the write's result and ``version``.

    Raises NotFoundError for an unknown version, InvalidRequestError when the change
    kept no before and after (a bulk import), and ConflictError naming the later
    versions that touched the same records.
    """
    found = store.changes(version - 1, 1) if version > 0 else []
    if not found or found[0].version != version:
        raise NotFoundError.of("error.undo.unknown_version", version=version)
    change = found[0]
    rows = _rows(change)
    if rows is None:
        raise InvalidRequestError.of("error.undo.no_details", version=version)
    needed = {
        end
        for row in rows
        if row["kind"] == "relationship" and row["before"] is not None
        for end in _ends(row["key"])
    } - {row["key"] for row in rows if row["kind"] == "node"}
    missing = needed - set(store.get_nodes(sorted(needed)))
    conflicts = _conflicts(rows, list(_all_changes(store, version)), missing)
    if conflicts:
        raise ConflictError.of(
            "error.undo.overwritten",
            version=version,
            versions=", ".join(str(v) for v in conflicts),
            n=len(conflicts),
        )
    nodes = [
        _NODE.validate_python(r["before"]) for r in rows if r["kind"] == "node" and r["before"]
    ]
    gone = tuple(r["key"] for r in rows if r["kind"] == "node" and r["before"] is None)
    rels = [
        Relationship.model_validate(r["before"])
        for r in rows
        if r["kind"] == "relationship" and r["before"] is not None
    ]
    dropped = []
    for row in rows:
        if row["kind"] == "relationship" and row["before"] is None:
            rel_type, source, target = row["key"].split(" ")
            if source not in gone and target not in gone:  # else it goes with its node
                dropped.append(EdgeKey(RelType(rel_type), source, target))
    expected: dict[str, str | None] = {}
    for row in rows:
        if row["kind"] == "node":
            after = row["after"]
            expected[row["key"]] = None if after is None else etag_of(_NODE.validate_python(after))
    batch = Batch(
        nodes=tuple(nodes),
        relationships=tuple(rels),
        delete_nodes=gone,
        delete_relationships=tuple(dropped),
        expected=expected,
    )
    return _write(store, batch, actor=actor, undo_of=version), version


# -- impact -------------------------------------------------------------------------------


class CutOff(BaseModel):
    """An organisation that deleting the node would cut off from the network."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": "zorgzaam", "name": "Zorgzaam"}]}
    )

    id: str = Field(description="The organisation's id.")
    name: str = Field(description="Its name.")


class Impact(BaseModel):
    """What deleting a node takes with it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "node": "it-hub",
                    "relationships": [
                        {
                            "source": "it-hub",
                            "target": "action-dig-1",
                            "type": "PARTNER_IN",
                            "provenance": {
                                "source": "agenda",
                                "section": "Digitalisering",
                                "quote": "IT Hub",
                            },
                        }
                    ],
                    "activities": ["action-dig-1"],
                    "cut_off": [],
                    "sentence": "Verwijderen van IT Hub haalt 1 koppeling weg; niemand raakt "
                    "daardoor los van het netwerk",
                }
            ]
        }
    )

    node: str = Field(description="The node asked about.")
    relationships: list[dict[str, Any]] = Field(
        description="Every relationship that goes with it, as edge documents."
    )
    activities: list[str] = Field(
        description="Ids of the actions, projects and networks it is linked to."
    )
    cut_off: list[CutOff] = Field(
        description="Organisations that lose their only tie to the rest of the "
        "collaboration network, by name."
    )
    sentence: str = Field(description="All of it in one sentence, in the answer's language.")


def _cut_off(network: nx.Graph, node_id: str) -> list[str]:
    """Organisations of the collaboration network that deleting ``node_id`` leaves
    outside the largest remaining piece of their component, or without any tie.

    An organisation leaves the network as a node; an activity takes away the ties that
    rested on it alone (ties name their shared activities).
    """
    lost: list[tuple[str, str]] = []
    if node_id in network:
        components = [nx.node_connected_component(network, node_id) - {node_id}]
    else:
        lost = [
            (a, b) for a, b, d in network.edges(data=True) if list(d["activities"]) == [node_id]
        ]
        found = {frozenset(nx.node_connected_component(network, a)) for a, _ in lost}
        components = [set(c) for c in sorted(found, key=min)]
    cut: list[str] = []
    for component in components:
        rest = nx.Graph(network.subgraph(component))
        rest.remove_edges_from(lost)
        pieces = sorted(nx.connected_components(rest), key=lambda p: (-len(p), min(p)))
        kept = pieces[0] if pieces and len(pieces[0]) > 1 else set()
        cut += [n for n in component if n not in kept]
    return sorted(cut)


def impact(view: Graph, network: nx.Graph, node_id: str, lang: Language) -> Impact:
    """What deleting ``node_id`` would take with it: its relationships, the activities
    it is linked to, and the organisations it would cut off from ``network`` (the
    collaboration network the analytics compute); NotFoundError when absent."""
    node = view.get_nodes([node_id]).get(node_id)
    if node is None:
        raise NotFoundError.of("error.node.id_not_found", id=quoted(node_id))
    rels = view.edges_touching([node_id])
    others = view.get_nodes(sorted({r.target if r.source == node_id else r.source for r in rels}))
    activities = sorted(i for i, other in others.items() if other.label in ACTIVITIES)
    cut = [
        CutOff(id=i, name=str(network.nodes[i].get("name", i))) for i in _cut_off(network, node_id)
    ]
    names = sorted((c.name for c in cut), key=str.casefold)
    rest = (
        t(lang, "impact.cut_off", names=listing(names, lang))
        if cut
        else t(lang, "impact.cut_off_none")
    )
    return Impact(
        node=node_id,
        relationships=[edge_document(r) for r in rels],
        activities=activities,
        cut_off=cut,
        sentence=t(lang, "impact.sentence", name=node.name, n=len(rels), rest=rest),
    )
