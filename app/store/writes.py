"""The write pipeline, written once for every store.

Every write of records runs the same steps in one transaction: take the locks, read
what the write names, check the expected versions (412), check that the records to
delete exist (404), validate the whole write against the stored graph (422 listing
every problem), diff, write what changed, and log one change with each record's before
and after, which moves the graph version. A store supplies only what differs between
stores: a :class:`WriteSession` over its open write transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from app.errors import (
    ConflictError,
    InvalidGraphError,
    Kind,
    NotFoundError,
    PreconditionFailedError,
    quoted,
)
from app.store.base import (
    Change,
    ChangedMeanwhileError,
    DeleteResult,
    Progress,
    UpsertResult,
)
from graph_schema import (
    Action,
    GraphData,
    Node,
    NodeLabel,
    Problem,
    Relationship,
    RelKey,
    RelType,
)
from graph_schema.interchange import edge_document, etag_of, node_document

__all__ = [
    "AUDIT_DETAIL_LIMIT",
    "Diff",
    "PipelineWrites",
    "RelKey",
    "Write",
    "WritePlan",
    "WriteSession",
    "apply_write",
    "audit_details",
    "batch_problems",
    "change_now",
    "check_expected",
    "delete_node",
    "delete_relationship",
    "diff",
    "plan_upsert",
    "plan_write",
    "stale_ids",
    "upsert",
    "write_action",
    "write_plan",
]

"""A relationship's key: type, source id, target id."""

N = TypeVar("N")  # a node as one store keeps it (compared to find what changed)
R = TypeVar("R")  # a relationship as one store keeps it
T = TypeVar("T")


# -- the steps, one function each -------------------------------------------------

AUDIT_DETAIL_LIMIT = 1000
"""Writes of up to this many records keep every record's before and after in the log;
bulk imports keep the ids only."""

AuditEntry = tuple[str, str, Mapping[str, Any] | None, Mapping[str, Any] | None]
"""kind ('node' or 'relationship'), key, document before, document after."""


def audit_details(entries: Sequence[AuditEntry]) -> str | None:
    """The ``details`` of a change: before and after of each record, or None for bulk."""
    if not entries or len(entries) > AUDIT_DETAIL_LIMIT:
        return None
    rows = [
        {"kind": kind, "key": key, "before": before, "after": after}
        for kind, key, before, after in sorted(entries, key=lambda e: (e[0], e[1]))
    ]
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def rel_key_text(key: tuple[RelType, str, str]) -> str:
    return f"{key[0]} {key[1]} {key[2]}"


def change_now(
    action: str,
    actor: str | None,
    nodes: Sequence[str] = (),
    relationships: Sequence[tuple[RelType, str, str]] = (),
    details: str | None = None,
    *,
    note: str | None = None,
    undo_of: int | None = None,
) -> Change:
    """A change record for a write happening now; the store fills in the version."""
    return Change(
        version=0,
        at=datetime.now(UTC).isoformat(timespec="milliseconds"),
        action=action,
        actor=actor,
        nodes=tuple(sorted(nodes)),
        relationships=tuple(sorted(f"{t} {s} {o}" for t, s, o in relationships)),
        details=details,
        note=note,
        undo_of=undo_of,
    )


def write_action(*, upserts: bool, deletes: bool, undo_of: int | None) -> str:
    """The change log's name of a write: ``undo``, ``edit`` (upserts and deletes in one
    write), ``delete`` or ``upsert``."""
    if undo_of is not None:
        return "undo"
    if upserts and deletes:
        return "edit"
    return "delete" if deletes else "upsert"


def stale_ids(expected: Mapping[str, str | None], current: Mapping[str, Node]) -> list[str]:
    """The ids whose node is not as ``expected`` says (an ETag, or None: must not exist)."""
    stale = []
    for node_id, etag in expected.items():
        node = current.get(node_id)
        if (node is None) != (etag is None) or (node is not None and etag_of(node) != etag):
            stale.append(node_id)
    return sorted(stale)


def batch_problems(
    graph: GraphData,
    known: Mapping[str, NodeLabel],
    *,
    delete_nodes: Collection[str] = (),
    delete_relationships: Collection[tuple[RelType, str, str]] = (),
    themed_actions: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every problem of a write that upserts ``graph`` and deletes the given records.

    ``known`` are the stored nodes the write may refer to (the deleted ones included);
    ``themed_actions`` maps the stored actions whose theme is being deleted to that
    theme. Besides the bundle's own problems: a node both written and deleted, a
    relationship both written and deleted, a relationship written to a node deleted in
    the same write, and an action left without its theme.
    """
    problems = graph.problems(known)
    gone = set(delete_nodes)
    for node in graph.nodes:
        if node.id in gone:
            problems.append(
                Problem.of(f"node {node.id}", "problem.edit.kept_and_deleted", id=quoted(node.id))
            )
        elif isinstance(node, Action) and node.theme in gone:
            problems.append(
                Problem.of(
                    f"node {node.id}",
                    "problem.edit.theme_deleted",
                    id=quoted(node.id),
                    theme=quoted(node.theme),
                )
            )
    dropped = set(delete_relationships)
    for rel in graph.relationships:
        where = f"{rel.type} {rel.source} -> {rel.target}"
        if rel.key in dropped:
            problems.append(Problem.of(where, "problem.edit.link_kept_and_deleted"))
        for node_id in (rel.source, rel.target):
            if node_id in gone:
                problems.append(Problem.of(where, "problem.edit.end_deleted", id=quoted(node_id)))
    written = {node.id for node in graph.nodes}
    for action_id, theme in sorted((themed_actions or {}).items()):
        if action_id not in gone and action_id not in written:
            problems.append(
                Problem.of(
                    f"node {action_id}",
                    "problem.edit.theme_deleted",
                    id=quoted(action_id),
                    theme=quoted(theme),
                )
            )
    return problems


def check_expected(expected: Mapping[str, str | None], current: Mapping[str, Node]) -> None:
    """Optimistic concurrency: raise unless every node is as the caller last saw it.

    ``expected`` maps a node id to the ETag the caller read (``None``: the node must not
    exist yet). Raises ConflictError, NotFoundError or PreconditionFailedError.
    """
    for node_id, etag in expected.items():
        node = current.get(node_id)
        if etag is None:
            if node is not None:
                raise ConflictError.of(
                    "error.node.exists", kind=Kind(node.label, capital=True), id=quoted(node_id)
                )
        elif node is None:
            raise NotFoundError.of("error.node.id_not_found", id=quoted(node_id))
        elif etag_of(node) != etag:
            raise PreconditionFailedError.of("error.node.changed", id=quoted(node_id))


K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Diff(Generic[K]):
    """Which incoming records differ from what is stored."""

    changed: list[K]
    created: int
    updated: int
    unchanged: int


def diff(incoming: dict[K, V], stored: dict[K, V]) -> Diff[K]:
    """Compare incoming records with stored ones by key; equal records are left alone."""
    changed = [key for key, value in incoming.items() if stored.get(key) != value]
    created = sum(1 for key in changed if key not in stored)
    return Diff(
        changed=changed,
        created=created,
        updated=len(changed) - created,
        unchanged=len(incoming) - len(changed),
    )


# -- what a store supplies ---------------------------------------------------------


class WriteSession(Protocol[N, R]):
    """What a store supplies to the pipeline, inside one open transaction.

    ``N`` and ``R`` are a node and a relationship as the store keeps them (a JSON
    document, a map of properties): equal records mean nothing to write.
    """

    def lock(self, ids: Sequence[str]) -> None:
        """Hold the write locks of these stored nodes to the end of the transaction."""
        ...

    def nodes(self, ids: Sequence[str]) -> dict[str, tuple[NodeLabel, N]]:
        """Label and record of each stored node among ``ids``."""
        ...

    def relationships(self, keys: Sequence[RelKey]) -> dict[RelKey, R]:
        """The record of each stored relationship among ``keys``."""
        ...

    def relationships_touching(self, ids: Sequence[str]) -> dict[RelKey, R]:
        """The record of every stored relationship that starts or ends at one of ``ids``."""
        ...

    def actions_on_themes(self, themes: Sequence[str]) -> dict[str, str]:
        """The stored actions whose theme is among ``themes``, with that theme."""
        ...

    def node_record(self, node: Node) -> N:
        """The record the store would keep for ``node``."""
        ...

    def relationship_record(self, rel: Relationship) -> R:
        """The record the store would keep for ``rel``."""
        ...

    def node_of(self, label: NodeLabel, record: N) -> Node:
        """The node a stored record holds."""
        ...

    def relationship_of(self, key: RelKey, record: R) -> Relationship:
        """The relationship a stored record holds."""
        ...

    def delete_relationships(self, keys: Sequence[RelKey]) -> None:
        """Delete these stored relationships."""
        ...

    def delete_nodes(self, ids: Sequence[str]) -> None:
        """Delete these stored nodes, with their contact persons (their relationships are
        deleted before)."""
        ...

    def put_nodes(self, rows: Sequence[tuple[Node, N]]) -> None:
        """Create or replace these nodes, each with its record."""
        ...

    def put_relationships(self, rows: Sequence[tuple[RelKey, R]]) -> None:
        """Create or replace these relationships, each with its record (both ends exist)."""
        ...

    def log(self, change: Change) -> int:
        """Move the graph version on and append ``change`` for it; the new version."""
        ...

    def version(self) -> int:
        """The graph version (0: never written)."""
        ...


@dataclass(frozen=True, slots=True)
class Write:
    """One write of records: upsert ``graph``, delete the nodes (with every relationship
    they have) and relationships named. ``expected`` maps node ids to the ETag the writer
    read (None: must not exist yet); the rest goes into the change log."""

    graph: GraphData = field(default_factory=GraphData)
    delete_nodes: Sequence[str] = ()
    delete_relationships: Sequence[RelKey] = ()
    expected: Mapping[str, str | None] | None = None
    actor: str | None = None
    note: str | None = None
    undo_of: int | None = None


@dataclass(frozen=True, slots=True)
class WritePlan(Generic[N, R]):
    """What a checked write will write, and what it changes.

    ``nodes`` and ``relationships`` are the incoming records that differ from the stored
    ones, in the order the write named them; ``gone`` and ``dropped`` the nodes and
    relationships it deletes (those of the deleted nodes included), sorted.
    """

    nodes: list[tuple[Node, N]]
    relationships: list[tuple[RelKey, R]]
    gone: list[str]
    dropped: list[RelKey]
    node_diff: Diff[str]
    rel_diff: Diff[RelKey]
    counts: dict[str, int]
    details: str | None

    @property
    def changes_graph(self) -> bool:
        return bool(self.nodes or self.relationships or self.gone or self.dropped)

    def result(self, version: int) -> UpsertResult:
        """The answer to the writer once the graph is at ``version``."""
        return UpsertResult(
            created=self.node_diff.created + self.rel_diff.created,
            updated=self.node_diff.updated + self.rel_diff.updated,
            unchanged=self.node_diff.unchanged + self.rel_diff.unchanged,
            version=version,
            by_kind=self.counts,
            deleted=len(self.gone) + len(self.dropped),
        )

    def change(self, write: Write) -> Change:
        """The change log's entry of this write, happening now."""
        action = write_action(
            upserts=bool(self.nodes or self.relationships),
            deletes=bool(self.gone or self.dropped),
            undo_of=write.undo_of,
        )
        return change_now(
            action,
            write.actor,
            [*self.node_diff.changed, *self.gone],
            [*self.rel_diff.changed, *self.dropped],
            self.details,
            note=write.note,
            undo_of=write.undo_of,
        )


def plan_write(session: WriteSession[N, R], write: Write) -> WritePlan[N, R]:
    """Check a write against the stored graph and work out what it changes.

    Parameters
    ----------
    session
        The store's open transaction.
    write
        What to write and delete.

    Returns
    -------
    WritePlan
        The records to write and delete, the diff, and the audit details.

    Raises
    ------
    ChangedMeanwhileError
        A node of ``write.expected`` is not as the writer last saw it (checked first).
    NotFoundError
        A node or relationship to delete is not stored (the first one absent).
    InvalidGraphError
        With every problem of the write against the stored graph.
    """
    graph = write.graph
    expected = write.expected or {}
    gone = sorted(set(write.delete_nodes))
    if expected or gone:  # a node to delete gains no link meanwhile
        session.lock(sorted({*expected, *gone}))
    stored = session.nodes(sorted({*graph.referenced_ids(), *gone, *expected}))
    _check_expected(session, expected, stored)
    for node_id in gone:
        if node_id not in stored:
            raise NotFoundError.of("error.node.id_not_found", id=quoted(node_id))
    dropped = _dropped(session, gone, write.delete_relationships)
    problems = batch_problems(
        graph,
        {node_id: label for node_id, (label, _) in stored.items()},
        delete_nodes=gone,
        delete_relationships=write.delete_relationships,
        themed_actions=session.actions_on_themes(gone) if gone else {},
    )
    if problems:
        raise InvalidGraphError(problems)

    new_nodes = {node.id: (node, session.node_record(node)) for node in graph.nodes}
    new_rels = {rel.key: (rel, session.relationship_record(rel)) for rel in graph.relationships}
    stored_rels = session.relationships(list(new_rels)) if new_rels else {}
    node_diff = diff(
        {node_id: record for node_id, (_, record) in new_nodes.items()},
        {node_id: record for node_id, (_, record) in stored.items()},
    )
    rel_diff = diff({key: record for key, (_, record) in new_rels.items()}, stored_rels)
    plan_nodes = [new_nodes[node_id] for node_id in node_diff.changed]
    plan_rels = [(key, new_rels[key][1]) for key in rel_diff.changed]
    details = None
    if len(plan_nodes) + len(plan_rels) + len(gone) + len(dropped) <= AUDIT_DETAIL_LIMIT:
        entries = _audit_entries(session, plan_nodes, stored, new_rels, stored_rels)
        entries += _deleted_entries(session, gone, stored, dropped)
        details = audit_details(entries)
    return WritePlan(
        nodes=plan_nodes,
        relationships=plan_rels,
        gone=gone,
        dropped=list(dropped),
        node_diff=node_diff,
        rel_diff=rel_diff,
        counts=graph.counts(),
        details=details,
    )


def _audit_entries(
    session: WriteSession[N, R],
    written: Sequence[tuple[Node, N]],
    stored: Mapping[str, tuple[NodeLabel, N]],
    new_rels: Mapping[RelKey, tuple[Relationship, R]],
    stored_rels: Mapping[RelKey, R],
) -> list[AuditEntry]:
    """Before and after of every node written, then of every relationship written."""
    entries: list[AuditEntry] = []
    for node, _ in written:
        before = stored.get(node.id)
        old = None if before is None else node_document(session.node_of(*before))
        entries.append(("node", node.id, old, node_document(node)))
    for key, (rel, record) in new_rels.items():
        was = stored_rels.get(key)
        if was == record:
            continue
        old = None if was is None else edge_document(session.relationship_of(key, was))
        entries.append(("relationship", rel_key_text(key), old, edge_document(rel)))
    return entries


def _deleted_entries(
    session: WriteSession[N, R],
    gone: Sequence[str],
    stored: Mapping[str, tuple[NodeLabel, N]],
    dropped: Mapping[RelKey, R],
) -> list[AuditEntry]:
    """The last document of every node and relationship deleted."""
    entries: list[AuditEntry] = []
    for node_id in gone:
        entries.append(("node", node_id, node_document(session.node_of(*stored[node_id])), None))
    for key, record in dropped.items():
        old = edge_document(session.relationship_of(key, record))
        entries.append(("relationship", rel_key_text(key), old, None))
    return entries


def _check_expected(
    session: WriteSession[N, R],
    expected: Mapping[str, str | None],
    stored: Mapping[str, tuple[NodeLabel, N]],
) -> None:
    """Raise ChangedMeanwhileError, with the current nodes, for every stale one."""
    if not expected:
        return
    current = {i: session.node_of(*stored[i]) for i in expected if i in stored}
    stale = stale_ids(expected, current)
    if stale:
        raise ChangedMeanwhileError({i: current.get(i) for i in stale})


def _dropped(
    session: WriteSession[N, R], nodes: Sequence[str], relationships: Sequence[RelKey]
) -> dict[RelKey, R]:
    """The stored record of every relationship a delete removes: those named, and those
    of the nodes deleted, by key; NotFoundError for the first named one that is absent."""
    named = session.relationships(list(relationships)) if relationships else {}
    for rel_type, source, target in relationships:
        if (rel_type, source, target) not in named:
            raise NotFoundError.of(
                "error.relationship.not_found",
                type=rel_type,
                source=quoted(source),
                target=quoted(target),
            )
    touching = session.relationships_touching(nodes) if nodes else {}
    return dict(sorted({**named, **touching}.items()))


def write_plan(session: WriteSession[N, R], plan: WritePlan[N, R]) -> None:
    """Write a plan's records: the deletes first, then nodes, then relationships."""
    if plan.dropped:
        session.delete_relationships(plan.dropped)
    if plan.gone:
        session.delete_nodes(plan.gone)
    if plan.nodes:
        session.put_nodes(plan.nodes)
    if plan.relationships:
        session.put_relationships(plan.relationships)


def apply_write(
    session: WriteSession[N, R], write: Write, *, dry_run: bool = False
) -> UpsertResult:
    """Run the whole pipeline in the session's transaction (see :func:`plan_write`).

    A write that changes nothing, and a dry run, leave the graph and its version alone.
    """
    return _carry_out(session, plan_write(session, write), write, dry_run=dry_run)


def plan_upsert(
    session: WriteSession[N, R],
    graph: GraphData,
    *,
    expected: Mapping[str, str | None] | None = None,
    actor: str | None = None,
) -> WritePlan[N, R]:
    """:func:`plan_write` for an upsert of ``graph``; a stale node of ``expected`` is
    answered with the error of :func:`check_expected` (409, 404 or 412)."""
    try:
        return plan_write(session, Write(graph, expected=expected, actor=actor))
    except ChangedMeanwhileError as error:
        check_expected(expected or {}, {i: n for i, n in error.current.items() if n})
        raise


def upsert(
    session: WriteSession[N, R],
    graph: GraphData,
    *,
    expected: Mapping[str, str | None] | None = None,
    actor: str | None = None,
    dry_run: bool = False,
) -> UpsertResult:
    """Create or replace the records of ``graph`` (see :func:`plan_upsert`)."""
    plan = plan_upsert(session, graph, expected=expected, actor=actor)
    return _carry_out(session, plan, Write(graph, actor=actor), dry_run=dry_run)


def _carry_out(
    session: WriteSession[N, R], plan: WritePlan[N, R], write: Write, *, dry_run: bool
) -> UpsertResult:
    """Write a plan and log its change; a plan that changes nothing, or a dry run, makes
    no version."""
    if dry_run or not plan.changes_graph:
        return plan.result(session.version())
    write_plan(session, plan)
    return plan.result(session.log(plan.change(write)))


def delete_node(
    session: WriteSession[N, R],
    label: NodeLabel,
    node_id: str,
    *,
    expected_etag: str | None = None,
    actor: str | None = None,
) -> DeleteResult:
    """Delete a node of kind ``label`` with every relationship it has.

    Raises NotFoundError when no such node of that kind is stored, and
    PreconditionFailedError when ``expected_etag`` no longer matches it.
    """
    session.lock([node_id])
    found = session.nodes([node_id]).get(node_id)
    if found is None or found[0] is not label:
        raise NotFoundError.of("error.node.not_found", kind=Kind(label), id=quoted(node_id))
    if expected_etag is not None:
        check_expected({node_id: expected_etag}, {node_id: session.node_of(*found)})
    result = apply_write(session, Write(delete_nodes=(node_id,), actor=actor))
    return DeleteResult(relationships_removed=result.deleted - 1, version=result.version)


def delete_relationship(
    session: WriteSession[N, R], key: RelKey, *, actor: str | None = None
) -> int:
    """Delete one relationship; the new version. NotFoundError when it is not stored."""
    return apply_write(session, Write(delete_relationships=(key,), actor=actor)).version


class PipelineWrites:
    """The record-writing methods of :class:`~app.store.base.GraphStore`, each a thin
    caller of the pipeline; a store supplies :meth:`_writing`."""

    def _writing(self, work: Callable[[WriteSession[Any, Any]], T]) -> T:
        """Run ``work`` on a session over one write transaction: committed when it
        returns, rolled back when it raises."""
        raise NotImplementedError

    def upsert(
        self,
        graph: GraphData,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        expected: Mapping[str, str | None] | None = None,
        actor: str | None = None,
    ) -> UpsertResult:
        result = self._writing(
            lambda session: upsert(session, graph, expected=expected, actor=actor, dry_run=dry_run)
        )
        if progress is not None:  # one transaction: done once it commits
            written = result.created + result.updated
            progress(written, written)
        return result

    def apply(
        self,
        graph: GraphData,
        *,
        delete_nodes: Sequence[str] = (),
        delete_relationships: Sequence[RelKey] = (),
        expected: Mapping[str, str | None] | None = None,
        actor: str | None = None,
        note: str | None = None,
        undo_of: int | None = None,
        dry_run: bool = False,
    ) -> UpsertResult:
        write = Write(graph, delete_nodes, delete_relationships, expected, actor, note, undo_of)
        return self._writing(lambda session: apply_write(session, write, dry_run=dry_run))

    def delete_node(
        self,
        label: NodeLabel,
        node_id: str,
        *,
        expected_etag: str | None = None,
        actor: str | None = None,
    ) -> DeleteResult:
        return self._writing(
            lambda session: delete_node(
                session, label, node_id, expected_etag=expected_etag, actor=actor
            )
        )

    def delete_relationship(
        self, rel_type: RelType, source: str, target: str, *, actor: str | None = None
    ) -> int:
        key = (rel_type, source, target)
        return self._writing(lambda session: delete_relationship(session, key, actor=actor))
