"""Neo4jStore: the graph in a Neo4j server (single instance or cluster) over Bolt.

Node properties are the model's fields, flattened where Neo4j needs scalars: the
provenance becomes ``provenance_source``, ``provenance_section`` and
``provenance_quote``. Derived properties serve the indexes: ``sort_key`` (the
accent- and case-free name, so both stores sort alike), ``aliases_text`` (names and
aliases in one string for the full-text index) and, on organisations with a place,
``place_key`` (the town as :func:`graph_schema.places.place_key` compares it). Every
write runs in one managed write transaction, so it is atomic; reads run in read
transactions, which a cluster routes to followers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from functools import partial
from typing import Any, LiteralString, cast

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as neo4j_errors
from pydantic import TypeAdapter

from app.errors import (
    ConflictError,
    InvalidGraphError,
    Kind,
    NotFoundError,
    StoreUnavailableError,
    quoted,
)
from app.store import cypher
from app.store.base import (
    AUDIT_DETAIL_LIMIT,
    AuditEntry,
    Change,
    ChangedMeanwhileError,
    DeleteResult,
    Diff,
    NodeQuery,
    Page,
    Progress,
    UpsertResult,
    audit_details,
    batch_problems,
    change_now,
    check_expected,
    diff,
    rel_key_text,
    stale_ids,
    write_action,
)
from app.store.queries import GraphQueries
from graph_schema import (
    ContactPerson,
    GraphData,
    Node,
    NodeBase,
    NodeLabel,
    Organisation,
    PlaceQuery,
    Relationship,
    RelType,
)
from graph_schema.interchange import edge_document, node_document
from graph_schema.names import NameEntry, name_key
from graph_schema.neo4j_ddl import SCHEMA_STATEMENTS
from graph_schema.places import place_key

log = logging.getLogger(__name__)
_CONTACTS = TypeAdapter(list[ContactPerson])

__all__ = ["Neo4jStore"]

_NODE: TypeAdapter[Node] = TypeAdapter(Node)
_DERIVED = ("sort_key", "aliases_text", "place_key")
_BATCH = 1000  # rows per UNWIND
_TX_ROWS = 10_000  # rows per transaction in a large import
_SINGLE_TX_ROWS = 20_000  # up to this size an upsert is one transaction


def _flatten(document: Mapping[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key, value in document.items():
        if isinstance(value, Mapping):
            props.update({f"{key}_{sub}": item for sub, item in value.items()})
        else:
            props[key] = value
    return props


def _unflatten(props: Mapping[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    for key, value in props.items():
        if key in _DERIVED:
            continue
        if key.startswith("provenance_"):
            provenance[key.removeprefix("provenance_")] = value
        else:
            record[key] = value
    if provenance:
        record["provenance"] = provenance
    return record


def node_props(node: NodeBase) -> dict[str, Any]:
    """The stored properties of a node (its label is a Neo4j label, not a property)."""
    document = node_document(node)
    document.pop("label")
    props = _flatten(document)
    names = [node.name, *document.get("aliases", [])]
    props["sort_key"] = name_key(node.name)
    props["aliases_text"] = " | ".join(names)
    if isinstance(node, Organisation) and node.place:
        props["place_key"] = place_key(node.place)
    return props


def _text(value: str | None) -> str | None:
    return None if value is None else str(value)


def rel_props(rel: Relationship) -> dict[str, Any]:
    document = edge_document(rel)
    for key in ("source", "target", "type"):
        document.pop(key)
    return _flatten(document)


def node_from(label: str, props: Mapping[str, Any]) -> Node:
    return _NODE.validate_python({**_unflatten(props), "label": label})


def _rel_from(key: tuple[RelType, str, str], props: Mapping[str, Any]) -> Relationship:
    return Relationship.model_validate(
        {"type": key[0], "source": key[1], "target": key[2], **_unflatten(props)}
    )


def _relationship(record: neo4j.Record) -> Relationship:
    return Relationship.model_validate(
        {
            "type": record["type"],
            "source": record["source"],
            "target": record["target"],
            **_unflatten(record["props"]),
        }
    )


@dataclass(frozen=True, slots=True)
class _Plan:
    """What an upsert will write (queries with their rows, in order) and what it changes."""

    rows: list[tuple[str, list[dict[str, Any]], RelType | None]]  # query, rows, rel type
    nodes: Diff[str]
    rels: Diff[tuple[RelType, str, str]]
    counts: dict[str, int]
    details: str | None = None
    gone: tuple[str, ...] = ()  # nodes deleted
    dropped: tuple[tuple[RelType, str, str], ...] = ()  # relationships deleted

    def result(self, version: int) -> UpsertResult:
        return UpsertResult(
            created=self.nodes.created + self.rels.created,
            updated=self.nodes.updated + self.rels.updated,
            unchanged=self.nodes.unchanged + self.rels.unchanged,
            version=version,
            by_kind=self.counts,
            deleted=len(self.gone) + len(self.dropped),
        )

    def change(
        self, actor: str | None, note: str | None = None, undo_of: int | None = None
    ) -> Change:
        action = write_action(
            upserts=bool(self.nodes.changed or self.rels.changed),
            deletes=bool(self.gone or self.dropped),
            undo_of=undo_of,
        )
        return change_now(
            action,
            actor,
            [*self.nodes.changed, *self.gone],
            [*self.rels.changed, *self.dropped],
            self.details,
            note=note,
            undo_of=undo_of,
        )


class Neo4jStore(GraphQueries):
    """A GraphStore on a Neo4j server.

    Parameters
    ----------
    uri
        ``bolt://`` for one server, ``neo4j://`` for routing (clusters).
    user, password
        Credentials; a wrong pair is reported at start-up.
    database
        The database name; the server's default when None.
    timeout
        Seconds a connection attempt or a transaction may take before the request
        fails with StoreUnavailableError (503) instead of piling up.
    """

    name = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        *,
        database: str | None = None,
        timeout: float = 5.0,
        wait_for_server: bool = False,
        on_ready: Callable[[Neo4jStore], object] | None = None,
    ) -> None:
        self._database = database
        self._timeout = timeout
        self._deadline = timeout * 6  # also the server-side transaction timeout
        self._workers = ThreadPoolExecutor(max_workers=32, thread_name_prefix="neo4j")
        self._uri = uri
        self._auth = (user, password)
        self._ready = False
        self._on_ready = on_ready
        self._ready_lock = threading.Lock()
        self._last_attempt = 0.0
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=timeout,
                connection_acquisition_timeout=timeout,
                max_transaction_retry_time=timeout / 2,
            )
        except (ValueError, neo4j_errors.ConfigurationError) as error:
            raise StoreUnavailableError(f"invalid NEO4J_URI {uri!r}: {error}") from error
        try:
            self._become_ready()
        except neo4j_errors.AuthError as error:
            self._driver.close()
            raise StoreUnavailableError(
                f"Neo4j at {uri} refused the credentials of user {user!r}"
            ) from error
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as error:
            reason = " ".join(str(error).split()).rsplit(": ", 1)[-1][:200]
            if not wait_for_server:
                self._driver.close()
                raise StoreUnavailableError(f"Neo4j at {uri} is unreachable: {reason}") from error
            log.warning(
                "Neo4j at %s is unreachable (%s); serving 503 until it answers", uri, reason
            )

    def _become_ready(self) -> None:
        """Connect and create the schema; then run the start-up callback (seeding)."""
        self._driver.verify_connectivity()
        self.ensure_schema()
        self._ready = True
        if self._on_ready is not None:
            self._on_ready(self)

    def _ensure_ready(self) -> None:
        """After a start without Neo4j: try again, at most once a second and one at a time.

        Every other request meanwhile fails at once with 503 rather than waiting in line.
        """
        if self._ready:
            return
        now = time.monotonic()
        if now - self._last_attempt < 1.0 or not self._ready_lock.acquire(blocking=False):
            raise StoreUnavailableError.of("error.store.not_yet")
        try:
            if self._ready:
                return
            self._last_attempt = now
            try:
                self._driver.verify_connectivity()
                self.ensure_schema()
            except neo4j_errors.Neo4jError as error:
                raise StoreUnavailableError.of("error.store.unavailable") from error
            except (neo4j_errors.DriverError, OSError) as error:
                raise StoreUnavailableError.of("error.store.not_yet") from error
            self._ready = True
            log.info("Neo4j at %s answers: schema in place", self._uri)
            if self._on_ready is not None:
                try:
                    self._on_ready(self)
                except Exception:  # the store serves; the callback's failure is logged
                    log.exception("the start-up task after Neo4j arrived failed")
        finally:
            self._ready_lock.release()

    # -- plumbing -----------------------------------------------------------------------

    def _session(self, access: str) -> neo4j.Session:
        return self._driver.session(database=self._database, default_access_mode=access)

    def _timed(self, work: Any) -> Any:
        """Give a transaction function the server-side timeout (a slow server fails fast)."""
        return neo4j.unit_of_work(timeout=self._deadline)(work)

    def _within_deadline(self, call: Callable[[], Any]) -> Any:
        """Run a driver call, giving up with 503 after ``deadline`` seconds.

        A server that hangs (alive but not answering) would hold a request for minutes
        inside the driver; the call runs in a worker thread instead, and the request
        fails at the deadline. Stuck workers are bounded by the pool, and calls queued
        behind them fail at their own deadline, so nothing piles up.
        """
        future = self._workers.submit(call)
        try:
            return future.result(timeout=self._deadline)
        except FutureTimeout as error:
            future.cancel()
            raise StoreUnavailableError.of(
                "error.store.timeout", seconds=f"{self._deadline:g}"
            ) from error

    def _run_read(self, work: Any, *args: Any) -> Any:
        self._ensure_ready()

        def call() -> Any:
            with self._session(neo4j.READ_ACCESS) as session:
                return session.execute_read(self._timed(work), *args)

        try:
            return self._within_deadline(call)
        except neo4j_errors.DriverError as error:
            raise StoreUnavailableError.of("error.store.unavailable") from error
        except neo4j_errors.Neo4jError as error:
            if error.is_retryable():
                raise StoreUnavailableError.of("error.store.unavailable") from error
            raise

    def _run_write(self, work: Any, *args: Any) -> Any:
        self._ensure_ready()

        def call() -> Any:
            with self._session(neo4j.WRITE_ACCESS) as session:
                return session.execute_write(self._timed(work), *args)

        try:
            return self._within_deadline(call)
        except neo4j_errors.ConstraintError as error:
            raise ConflictError.of("error.store.write_conflict") from error
        except neo4j_errors.DriverError as error:
            raise StoreUnavailableError.of("error.store.unavailable") from error
        except neo4j_errors.Neo4jError as error:
            if error.is_retryable():
                raise StoreUnavailableError.of("error.store.unavailable") from error
            raise

    @staticmethod
    def _query(text: str) -> LiteralString:
        """Queries are module constants built from enums only; this marks them as such."""
        return text

    def ensure_schema(self) -> None:
        """Create constraints and indexes; safe to repeat."""
        with self._session(neo4j.WRITE_ACCESS) as session:
            for statement in SCHEMA_STATEMENTS:
                session.run(self._query(statement)).consume()

    # -- GraphStore ---------------------------------------------------------------------

    def version(self) -> int:
        return cast(int, self._run_read(self._current_version))

    def upsert(
        self,
        graph: GraphData,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        expected: Mapping[str, str | None] | None = None,
        actor: str | None = None,
    ) -> UpsertResult:
        """Validate against the stored graph, then write what changed.

        Up to ``_SINGLE_TX_ROWS`` records go in one transaction: all or nothing. A
        larger import (tens of thousands of rows) is validated completely first, then
        written in transactions of ``_TX_ROWS`` rows, each atomic and each moving the
        version; should one fail, the error says how far it got, and running the same
        import again completes it (every write is a MERGE on stable ids).
        """
        size = len(graph.nodes) + len(graph.relationships)
        if size <= _SINGLE_TX_ROWS:
            try:
                result = self.apply(graph, expected=expected, actor=actor, dry_run=dry_run)
            except ChangedMeanwhileError as error:
                check_expected(expected or {}, {i: n for i, n in error.current.items() if n})
                raise
            if progress is not None:
                progress(size, size)
            return result

        try:
            plan = cast(_Plan, self._run_read(self._plan, graph, expected))
        except ChangedMeanwhileError as error:
            check_expected(expected or {}, {i: n for i, n in error.current.items() if n})
            raise
        if dry_run or not plan.rows:
            return plan.result(self.version())
        total = sum(len(rows) for _, rows, _ in plan.rows)
        done, version = 0, 0
        for query, rows, rel_type in plan.rows:
            for start in range(0, len(rows), _TX_ROWS):
                chunk = rows[start : start + _TX_ROWS]

                def write(
                    tx: ManagedTransaction,
                    query: str,
                    chunk: list[dict[str, Any]],
                    rel_type: RelType | None,
                ) -> int:
                    self._batched(tx, query, chunk)
                    if rel_type is None:
                        change = change_now("upsert", actor, [row["id"] for row in chunk])
                    else:
                        keys = [(rel_type, row["source"], row["target"]) for row in chunk]
                        change = change_now("upsert", actor, (), keys)
                    return self._bump(tx, change)

                try:
                    version = cast(int, self._run_write(write, query, chunk, rel_type))
                except StoreUnavailableError as error:
                    raise StoreUnavailableError.of(
                        "error.import.interrupted", done=done, total=total, n=len(chunk)
                    ) from error
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        return plan.result(version)

    def apply(
        self,
        graph: GraphData,
        *,
        delete_nodes: Sequence[str] = (),
        delete_relationships: Sequence[tuple[RelType, str, str]] = (),
        expected: Mapping[str, str | None] | None = None,
        actor: str | None = None,
        note: str | None = None,
        undo_of: int | None = None,
        dry_run: bool = False,
    ) -> UpsertResult:
        def work(tx: ManagedTransaction) -> UpsertResult:
            plan = self._plan(
                tx,
                graph,
                expected,
                lock=True,
                delete_nodes=delete_nodes,
                delete_relationships=delete_relationships,
            )
            if not dry_run and plan.rows:
                for query, rows, _ in plan.rows:
                    self._batched(tx, query, rows)
                return plan.result(self._bump(tx, plan.change(actor, note, undo_of)))
            return plan.result(self._current_version(tx))

        return cast(UpsertResult, self._run_write(work))

    def _plan(
        self,
        tx: ManagedTransaction,
        graph: GraphData,
        expected: Mapping[str, str | None] | None = None,
        *,
        lock: bool = False,
        delete_nodes: Sequence[str] = (),
        delete_relationships: Sequence[tuple[RelType, str, str]] = (),
    ) -> _Plan:
        """Read what is stored, validate the whole write, and list the rows to write
        (the deletes first).

        With ``lock`` (in a write transaction), the nodes whose version is ``expected``
        and those to delete are locked first, so that two conditional writes cannot both
        pass the check and a node's links are all known when it goes.
        """
        new_nodes = {node.id: (node, node_props(node)) for node in graph.nodes}
        new_rels = {rel.key: rel_props(rel) for rel in graph.relationships}
        gone = sorted(set(delete_nodes))
        wanted = sorted({*graph.referenced_ids(), *gone, *(expected or {})})
        if lock and (expected or gone):  # a node to delete gains no link meanwhile
            tx.run(self._query(cypher.LOCK_NODES), ids=sorted({*(expected or {}), *gone})).consume()
        stored = self._stored(tx, wanted)
        dropped = self._checked(tx, graph, stored, expected, gone, delete_relationships)
        stored_rels: dict[tuple[RelType, str, str], dict[str, Any]] = {}
        keys = [[str(t), s, o] for (t, s, o) in new_rels]
        for start in range(0, len(keys), _BATCH):
            batch = keys[start : start + _BATCH]
            for record in tx.run(self._query(cypher.RELS_BY_KEY), keys=batch):
                key = (RelType(record["type"]), record["source"], record["target"])
                stored_rels[key] = dict(record["props"])

        node_diff = diff(
            {node_id: props for node_id, (_, props) in new_nodes.items()},
            {node_id: props for node_id, (_, props) in stored.items()},
        )
        rel_diff = diff(new_rels, stored_rels)
        node_rows: dict[NodeLabel, list[dict[str, Any]]] = {}
        for node_id in node_diff.changed:
            node, props = new_nodes[node_id]
            node_rows.setdefault(node.label, []).append({"id": node_id, "props": props})
        rel_rows: dict[RelType, list[dict[str, Any]]] = {}
        for key in rel_diff.changed:
            row = {"source": key[1], "target": key[2], "props": new_rels[key]}
            rel_rows.setdefault(key[0], []).append(row)
        rows: list[tuple[str, list[dict[str, Any]], RelType | None]] = []
        drop_rows: dict[RelType, list[dict[str, Any]]] = {}
        for rel_type, source, target in dropped:
            drop_rows.setdefault(rel_type, []).append({"source": source, "target": target})
        rows += [(cypher.DELETE_RELS[t], r, t) for t, r in drop_rows.items()]
        if gone:
            rows.append((cypher.DELETE_NODES, [{"id": node_id} for node_id in gone], None))
        rows += [(cypher.MERGE_NODES[label], r, None) for label, r in node_rows.items()]
        rows += [(cypher.MERGE_RELS[t], r, t) for t, r in rel_rows.items()]
        details = None
        touched = len(node_diff.changed) + len(rel_diff.changed) + len(gone) + len(dropped)
        if touched <= AUDIT_DETAIL_LIMIT:
            entries: list[AuditEntry] = []
            for node_id in node_diff.changed:
                before = stored.get(node_id)
                entries.append(
                    (
                        "node",
                        node_id,
                        node_document(node_from(*before)) if before else None,
                        node_document(new_nodes[node_id][0]),
                    )
                )
            rels_by_key = {rel.key: rel for rel in graph.relationships}
            for key in rel_diff.changed:
                old = stored_rels.get(key)
                entries.append(
                    (
                        "relationship",
                        rel_key_text(key),
                        edge_document(_rel_from(key, old)) if old is not None else None,
                        edge_document(rels_by_key[key]),
                    )
                )
            for node_id in gone:
                entries.append(("node", node_id, node_document(node_from(*stored[node_id])), None))
            for key, props in dropped.items():
                entries.append(
                    ("relationship", rel_key_text(key), edge_document(_rel_from(key, props)), None)
                )
            details = audit_details(entries)
        return _Plan(
            rows=rows,
            nodes=node_diff,
            rels=rel_diff,
            counts=graph.counts(),
            details=details,
            gone=tuple(gone),
            dropped=tuple(dropped),
        )

    def _checked(
        self,
        tx: ManagedTransaction,
        graph: GraphData,
        stored: Mapping[str, tuple[str, dict[str, Any]]],
        expected: Mapping[str, str | None] | None,
        gone: Sequence[str],
        delete_relationships: Sequence[tuple[RelType, str, str]],
    ) -> dict[tuple[RelType, str, str], dict[str, Any]]:
        """Check a write against what is stored: ``expected``, then the records to
        delete, then every problem at once; the relationships the deletes remove."""
        if expected:
            current = {i: node_from(*stored[i]) for i in expected if i in stored}
            stale = stale_ids(expected, current)
            if stale:
                raise ChangedMeanwhileError({i: current.get(i) for i in stale})
        for node_id in gone:
            if node_id not in stored:
                raise NotFoundError.of("error.node.id_not_found", id=quoted(node_id))
        dropped = self._dropped(tx, gone, delete_relationships)
        themed = {
            record["id"]: record["theme"]
            for record in tx.run(self._query(cypher.ACTIONS_ON_THEMES), ids=list(gone))
        }
        known = {node_id: NodeLabel(label) for node_id, (label, _) in stored.items()}
        problems = batch_problems(
            graph,
            known,
            delete_nodes=gone,
            delete_relationships=delete_relationships,
            themed_actions=themed,
        )
        if problems:
            raise InvalidGraphError(problems)
        return dropped

    def _dropped(
        self,
        tx: ManagedTransaction,
        nodes: Sequence[str],
        relationships: Sequence[tuple[RelType, str, str]],
    ) -> dict[tuple[RelType, str, str], dict[str, Any]]:
        """The stored properties of every relationship a delete removes: those named, and
        those of the nodes deleted; NotFoundError for a named one that is absent."""
        dropped: dict[tuple[RelType, str, str], dict[str, Any]] = {}
        keys = [[str(t), s, o] for (t, s, o) in relationships]
        for start in range(0, len(keys), _BATCH):
            for record in tx.run(
                self._query(cypher.RELS_BY_KEY), keys=keys[start : start + _BATCH]
            ):
                key = (RelType(record["type"]), record["source"], record["target"])
                dropped[key] = dict(record["props"])
        for rel_type, source, target in relationships:
            if (rel_type, source, target) not in dropped:
                raise NotFoundError.of(
                    "error.relationship.not_found",
                    type=rel_type,
                    source=quoted(source),
                    target=quoted(target),
                )
        for start in range(0, len(nodes), _BATCH):
            batch = list(nodes[start : start + _BATCH])
            for record in tx.run(self._query(cypher.EDGES_TOUCHING), ids=batch):
                key = (RelType(record["type"]), record["source"], record["target"])
                dropped[key] = dict(record["props"])
        return dict(sorted(dropped.items()))

    def _bump(self, tx: ManagedTransaction, change: Change) -> int:
        """Move the version on and log the change, in the caller's transaction."""
        meta = tx.run(self._query(cypher.BUMP_VERSION)).single()
        version = 0 if meta is None else int(meta["version"])
        tx.run(
            self._query(cypher.LOG_CHANGE),
            version=version,
            at=change.at,
            action=change.action,
            actor=change.actor,
            nodes=list(change.nodes),
            relationships=list(change.relationships),
            details=change.details,
            note=change.note,
            undo_of=change.undo_of,
        ).consume()
        return version

    def _current_version(self, tx: ManagedTransaction) -> int:
        meta = tx.run(self._query(cypher.VERSION)).single()
        return 0 if meta is None else int(meta["version"])

    def _stored(
        self, tx: ManagedTransaction, ids: Sequence[str]
    ) -> dict[str, tuple[str, dict[str, Any]]]:
        """Label and properties of each stored id among ``ids``."""
        stored: dict[str, tuple[str, dict[str, Any]]] = {}
        for start in range(0, len(ids), _BATCH):
            batch = list(ids[start : start + _BATCH])
            for record in tx.run(self._query(cypher.NODES_BY_ID), ids=batch):
                stored[record["id"]] = (record["label"], dict(record["props"]))
        return stored

    def labels(self, ids: Sequence[str]) -> dict[str, NodeLabel]:
        stored = cast(dict[str, tuple[str, Any]], self._run_read(self._stored, ids))
        return {node_id: NodeLabel(label) for node_id, (label, _) in stored.items()}

    def _batched(self, tx: ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), _BATCH):
            tx.run(self._query(query), rows=rows[start : start + _BATCH]).consume()

    def snapshot(self) -> GraphData:
        def work(tx: ManagedTransaction) -> GraphData:
            nodes = [
                node_from(record["label"], record["props"])
                for record in tx.run(self._query(cypher.ALL_NODES))
            ]
            relationships = [_relationship(r) for r in tx.run(self._query(cypher.ALL_RELS))]
            return GraphData(nodes=tuple(nodes), relationships=tuple(relationships))

        return cast(GraphData, self._run_read(work))

    def get_node(self, label: NodeLabel, node_id: str) -> Node | None:
        def work(tx: ManagedTransaction) -> Node | None:
            record = tx.run(self._query(cypher.NODE_BY_LABEL[label]), id=node_id).single()
            return None if record is None else node_from(label.value, record["props"])

        return cast("Node | None", self._run_read(work))

    def list_nodes(self, query: NodeQuery) -> Page[Node]:
        place = None if query.place is None else PlaceQuery.of(query.place)
        params: dict[str, Any] = {
            "theme": query.theme,
            "role": None if query.helix_role is None else str(query.helix_role),
            "secondary": query.include_secondary,
            "org_type": None if query.org_type is None else str(query.org_type),
            "place": query.place,
            "place_key": (place.key or None) if place else None,
            "place_province": None if place is None else _text(place.province),
            "place_region": None if place is None else _text(place.region),
            "province": _text(query.province),
            "region": _text(query.region),
            "generic": query.generic,
        }
        listing = cypher.LIST_NODES[(query.label, str(query.sort), query.descending)]

        def work(tx: ManagedTransaction) -> Page[Node]:
            record = tx.run(self._query(cypher.COUNT_NODES[query.label]), params).single()
            total = 0 if record is None else int(record["total"])
            paged = {**params, "offset": query.offset, "limit": query.limit}
            rows = tx.run(self._query(listing), paged)
            items = [node_from(query.label.value, r["props"]) for r in rows]
            return Page(items=items, total=total)

        return cast("Page[Node]", self._run_read(work))

    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        stored = cast(dict[str, tuple[str, Any]], self._run_read(self._stored, ids))
        return {node_id: node_from(label, props) for node_id, (label, props) in stored.items()}

    def edges_touching(self, ids: Sequence[str]) -> list[Relationship]:
        def work(tx: ManagedTransaction) -> list[Relationship]:
            found: dict[tuple[str, str, str], Relationship] = {}
            for start in range(0, len(ids), _BATCH):
                batch = list(ids[start : start + _BATCH])
                for record in tx.run(self._query(cypher.EDGES_TOUCHING), ids=batch):
                    key = (record["type"], record["source"], record["target"])
                    found[key] = _relationship(record)
            return [found[key] for key in sorted(found)]

        return cast(list[Relationship], self._run_read(work))

    def name_entries(self) -> list[NameEntry]:
        def work(tx: ManagedTransaction) -> list[NameEntry]:
            return [
                NameEntry(r["id"], r["label"], r["name"], tuple(r["aliases"]))
                for r in tx.run(self._query(cypher.NAME_ENTRIES))
            ]

        return cast(list[NameEntry], self._run_read(work))

    def delete_node(
        self,
        label: NodeLabel,
        node_id: str,
        *,
        expected_etag: str | None = None,
        actor: str | None = None,
    ) -> DeleteResult:
        def work(tx: ManagedTransaction) -> DeleteResult:
            if expected_etag is not None:
                tx.run(self._query(cypher.LOCK_NODES), ids=[node_id]).consume()
            found = tx.run(self._query(cypher.NODE_BY_LABEL[label]), id=node_id).single()
            if found is None:
                raise NotFoundError.of("error.node.not_found", kind=Kind(label), id=quoted(node_id))
            if expected_etag is not None:
                current = {node_id: node_from(label.value, found["props"])}
                check_expected({node_id: expected_etag}, current)
            found_rels = list(tx.run(self._query(cypher.RELS_OF_NODE), id=node_id))
            rels = [(RelType(r["type"]), r["source"], r["target"]) for r in found_rels]
            entries: list[AuditEntry] = [
                ("node", node_id, node_document(node_from(label.value, found["props"])), None)
            ]
            entries += [
                ("relationship", rel_key_text(key), edge_document(_rel_from(key, r["props"])), None)
                for key, r in zip(rels, found_rels, strict=True)
            ]
            tx.run(self._query(cypher.DELETE_NODE[label]), id=node_id).consume()
            tx.run(self._query(cypher.DELETE_CONTACTS), id=node_id).consume()
            change = change_now("delete", actor, [node_id], rels, audit_details(entries))
            version = self._bump(tx, change)
            return DeleteResult(relationships_removed=len(rels), version=version)

        return cast(DeleteResult, self._run_write(work))

    def delete_relationship(
        self, rel_type: RelType, source: str, target: str, *, actor: str | None = None
    ) -> int:
        def work(tx: ManagedTransaction) -> int:
            query = self._query(cypher.DELETE_REL[rel_type])
            record = tx.run(query, source=source, target=target).single()
            if record is None or int(record["removed"]) == 0:
                raise NotFoundError.of(
                    "error.relationship.not_found",
                    type=rel_type,
                    source=quoted(source),
                    target=quoted(target),
                )
            key = (rel_type, source, target)
            before = edge_document(_rel_from(key, record["docs"][0]))
            details = audit_details([("relationship", rel_key_text(key), before, None)])
            return self._bump(tx, change_now("delete", actor, (), [key], details))

        return cast(int, self._run_write(work))

    def changes(self, since: int, limit: int = 100) -> list[Change]:
        def work(tx: ManagedTransaction) -> list[Change]:
            return [
                Change(
                    version=int(r["version"]),
                    at=r["at"],
                    action=r["action"],
                    actor=r["actor"],
                    nodes=tuple(r["nodes"]),
                    relationships=tuple(r["relationships"]),
                    details=r["details"],
                    note=r["note"],
                    undo_of=r["undo_of"],
                )
                for r in tx.run(self._query(cypher.CHANGES_SINCE), since=since, limit=limit)
            ]

        return cast(list[Change], self._run_read(work))

    def get_contacts(self, org_id: str) -> list[ContactPerson]:
        def work(tx: ManagedTransaction) -> list[ContactPerson]:
            record = tx.run(self._query(cypher.GET_CONTACTS), id=org_id).single()
            if record is None:
                raise NotFoundError.of(
                    "error.node.not_found", kind=Kind(NodeLabel.ORGANISATION), id=quoted(org_id)
                )
            return [] if record["doc"] is None else _CONTACTS.validate_json(record["doc"])

        return cast(list[ContactPerson], self._run_read(work))

    def put_contacts(
        self, org_id: str, contacts: Sequence[ContactPerson], *, actor: str | None = None
    ) -> int:
        doc = _CONTACTS.dump_json(list(contacts)).decode()

        def work(tx: ManagedTransaction) -> int:
            if tx.run(self._query(cypher.PUT_CONTACTS), id=org_id, doc=doc).single() is None:
                raise NotFoundError.of(
                    "error.node.not_found", kind=Kind(NodeLabel.ORGANISATION), id=quoted(org_id)
                )
            return self._bump(tx, change_now("contacts", actor, [org_id]))

        return cast(int, self._run_write(work))

    def ping(self) -> None:
        def work(tx: ManagedTransaction) -> None:
            tx.run(self._query(cypher.PING)).consume()

        self._run_read(work)

    def clear(self) -> None:
        def work(tx: ManagedTransaction) -> int:
            record = tx.run(self._query(cypher.CLEAR_BATCH), batch=10_000).single()
            return 0 if record is None else int(record["deleted"])

        while self._run_write(work):
            pass

        def contacts(tx: ManagedTransaction) -> None:
            tx.run(self._query(cypher.CLEAR_CONTACTS)).consume()

        self._run_write(contacts)

        self._run_write(self._bump, change_now("clear", None))

    def opener(self) -> Callable[[], Neo4jStore]:
        """A picklable function that opens this store again (in another process)."""
        user, password = self._auth
        return partial(
            Neo4jStore,
            self._uri,
            user,
            password,
            database=self._database,
            timeout=self._timeout,
            wait_for_server=True,
        )

    def close(self) -> None:
        self._workers.shutdown(wait=False, cancel_futures=True)
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
