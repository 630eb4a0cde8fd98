"""Neo4jStore: the graph in a Neo4j server (single instance or cluster) over Bolt.

Node properties are the model's fields, flattened where Neo4j needs scalars: the
provenance becomes ``provenance_source``, ``provenance_section`` and
``provenance_quote``. Derived properties serve the queries: ``sort_key`` (the
accent- and case-free name, so both stores sort alike), ``aliases_text`` (name and
aliases in one string; no index reads it since the full-text index was retired) and,
on organisations with a place, ``place_key`` (the town as
:func:`graph_schema.places.place_key` compares it). Every write runs the write pipeline
(:mod:`app.store.writes`) in one managed write transaction, so it is atomic; reads run
in read transactions, which a cluster routes to followers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any, LiteralString, TypeVar, cast

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as neo4j_errors
from pydantic import TypeAdapter

from app.errors import (
    ConflictError,
    Kind,
    NotFoundError,
    StoreUnavailableError,
    quoted,
)
from app.store import cypher
from app.store.base import (
    Change,
    NodeQuery,
    Page,
    Progress,
    UpsertResult,
)
from app.store.writes import (
    PipelineWrites,
    RelKey,
    WritePlan,
    WriteSession,
    change_now,
    plan_upsert,
)
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
from graph_schema.names import name_key
from graph_schema.neo4j_ddl import SCHEMA_STATEMENTS
from graph_schema.places import place_key

log = logging.getLogger(__name__)
_CONTACTS = TypeAdapter(list[ContactPerson])

__all__ = ["Neo4jStore"]

T = TypeVar("T")

_NODE: TypeAdapter[Node] = TypeAdapter(Node)
_DERIVED = ("sort_key", "aliases_text", "place_key")
_BATCH = 1000  # rows per UNWIND
VERSION_TTL = 0.05
"""Seconds the graph version read from the server is taken as current. Asking the server
costs a Bolt round trip and some 3 ms of the driver's Python per request — under load
the better part of a request; within this time a request uses the version read last.
A write through this store makes the next request ask again (read-your-writes), so
only writes through another process can be seen up to this much later."""
WHOLE_READ_DEADLINE = 300.0
"""Seconds a read of the whole graph may take (at start-up, after a bulk import): tens
of seconds for the Horizon 2020 graph, where a request's deadline is a few."""
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


def _relationship(record: Mapping[str, Any]) -> Relationship:
    return Relationship.model_validate(
        {
            "type": record["type"],
            "source": record["source"],
            "target": record["target"],
            **_unflatten(record["props"]),
        }
    )


def _q(text: str) -> LiteralString:
    """Queries are module constants built from enums only; this marks them as such."""
    return text


class _Session:
    """The write pipeline's view of one Neo4j transaction: nodes and relationships are
    kept as their property maps. ``locking`` is off in a read transaction (the
    validation of a large import), which takes no locks."""

    def __init__(self, tx: ManagedTransaction, *, locking: bool = True) -> None:
        self._tx = tx
        self._locking = locking

    def _batched(self, query: str, rows: Sequence[Any], name: str = "rows") -> Iterator[Any]:
        """Run ``query`` once per batch of rows (passed as ``$rows``, or ``$<name>``)."""
        for start in range(0, len(rows), _BATCH):
            yield from self._tx.run(_q(query), {name: list(rows[start : start + _BATCH])})

    def lock(self, ids: Sequence[str]) -> None:
        if self._locking:
            self._tx.run(_q(cypher.LOCK_NODES), ids=list(ids)).consume()

    def nodes(self, ids: Sequence[str]) -> dict[str, tuple[NodeLabel, dict[str, Any]]]:
        return {
            r["id"]: (NodeLabel(r["label"]), dict(r["props"]))
            for r in self._batched(cypher.NODES_BY_ID, ids, "ids")
        }

    def relationships(self, keys: Sequence[RelKey]) -> dict[RelKey, dict[str, Any]]:
        rows = [[str(t), s, o] for t, s, o in keys]
        return {
            (RelType(r["type"]), r["source"], r["target"]): dict(r["props"])
            for r in self._batched(cypher.RELS_BY_KEY, rows, "keys")
        }

    def relationships_touching(self, ids: Sequence[str]) -> dict[RelKey, dict[str, Any]]:
        return {
            (RelType(r["type"]), r["source"], r["target"]): dict(r["props"])
            for r in self._batched(cypher.EDGES_TOUCHING, ids, "ids")
        }

    def actions_on_themes(self, themes: Sequence[str]) -> dict[str, str]:
        found = self._batched(cypher.ACTIONS_ON_THEMES, themes, "ids")
        return {r["id"]: r["theme"] for r in found}

    def node_record(self, node: Node) -> dict[str, Any]:
        return node_props(node)

    def relationship_record(self, rel: Relationship) -> dict[str, Any]:
        return rel_props(rel)

    def node_of(self, label: NodeLabel, record: dict[str, Any]) -> Node:
        return node_from(label.value, record)

    def relationship_of(self, key: RelKey, record: dict[str, Any]) -> Relationship:
        return _rel_from(key, record)

    def delete_relationships(self, keys: Sequence[RelKey]) -> None:
        for rel_type, rows in _by_type([(key, None) for key in keys]).items():
            self.run_rows(cypher.DELETE_RELS[rel_type], rows)

    def delete_nodes(self, ids: Sequence[str]) -> None:
        self.run_rows(cypher.DELETE_NODES, [{"id": node_id} for node_id in ids])

    def put_nodes(self, rows: Sequence[tuple[Node, dict[str, Any]]]) -> None:
        for label, grouped in _by_label(rows).items():
            self.run_rows(cypher.MERGE_NODES[label], grouped)

    def put_relationships(self, rows: Sequence[tuple[RelKey, dict[str, Any]]]) -> None:
        for rel_type, grouped in _by_type(rows).items():
            self.run_rows(cypher.MERGE_RELS[rel_type], grouped)

    def run_rows(self, query: str, rows: Sequence[dict[str, Any]]) -> None:
        """Run a write query over ``$rows``, a batch at a time."""
        for start in range(0, len(rows), _BATCH):
            self._tx.run(_q(query), rows=list(rows[start : start + _BATCH])).consume()

    def log(self, change: Change) -> int:
        meta = self._tx.run(_q(cypher.BUMP_VERSION)).single()
        version = 0 if meta is None else int(meta["version"])
        self._tx.run(
            _q(cypher.LOG_CHANGE),
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

    def version(self) -> int:
        meta = self._tx.run(_q(cypher.VERSION)).single()
        return 0 if meta is None else int(meta["version"])


def _by_label(rows: Sequence[tuple[Node, dict[str, Any]]]) -> dict[NodeLabel, list[dict[str, Any]]]:
    """``MERGE_NODES`` rows of each label, in the order given."""
    grouped: dict[NodeLabel, list[dict[str, Any]]] = {}
    for node, props in rows:
        grouped.setdefault(node.label, []).append({"id": node.id, "props": props})
    return grouped


def _by_type(
    rows: Sequence[tuple[RelKey, dict[str, Any] | None]],
) -> dict[RelType, list[dict[str, Any]]]:
    """Rows of relationships (with ``props`` when given) of each type, in the order given."""
    grouped: dict[RelType, list[dict[str, Any]]] = {}
    for (rel_type, source, target), props in rows:
        row: dict[str, Any] = {"source": source, "target": target}
        if props is not None:
            row["props"] = props
        grouped.setdefault(rel_type, []).append(row)
    return grouped


class Neo4jStore(PipelineWrites):
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
    version_ttl
        Seconds a version read from the server stays current (see ``VERSION_TTL``).
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
        version_ttl: float = VERSION_TTL,
    ) -> None:
        self._database = database
        self._version_ttl = version_ttl
        self._known_version: tuple[float, int] | None = None  # (asked at, version)
        self._writes = 0  # writes through this store finished, committed or not
        self._writes_lock = threading.Lock()
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

    def _timed(self, work: Any, deadline: float | None = None) -> Any:
        """Give a transaction function the server-side timeout (a slow server fails fast)."""
        return neo4j.unit_of_work(timeout=self._deadline if deadline is None else deadline)(work)

    def _within_deadline(self, call: Callable[[], Any], deadline: float | None = None) -> Any:
        """Run a driver call, giving up with 503 after ``deadline`` seconds.

        A server that hangs (alive but not answering) would hold a request for minutes
        inside the driver; the call runs in a worker thread instead, and the request
        fails at the deadline. Stuck workers are bounded by the pool, and calls queued
        behind them fail at their own deadline, so nothing piles up.
        """
        deadline = self._deadline if deadline is None else deadline
        future = self._workers.submit(call)
        try:
            return future.result(timeout=deadline)
        except FutureTimeout as error:
            future.cancel()
            raise StoreUnavailableError.of(
                "error.store.timeout", seconds=f"{deadline:g}"
            ) from error

    def _run_read(self, work: Any, *args: Any, deadline: float | None = None) -> Any:
        self._ensure_ready()
        timed = self._timed(work, deadline)

        def call() -> Any:
            with self._session(neo4j.READ_ACCESS) as session:
                return session.execute_read(timed, *args)

        try:
            return self._within_deadline(call, deadline)
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
                try:
                    return session.execute_write(self._timed(work), *args)
                finally:
                    self._written()

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

    def ensure_schema(self) -> None:
        """Create constraints and indexes; safe to repeat."""
        with self._session(neo4j.WRITE_ACCESS) as session:
            for statement in (*SCHEMA_STATEMENTS, *cypher.DROP_RETIRED_INDEXES):
                session.run(_q(statement)).consume()

    # -- GraphStore ---------------------------------------------------------------------

    def version(self) -> int:
        """The graph version: asked of the server at most every ``version_ttl`` seconds,
        and at once after a write through this store."""
        known = self._known_version
        asked = time.monotonic()
        if known is not None and asked - known[0] < self._version_ttl:
            return known[1]
        writes = self._writes
        version = cast(int, self._run_read(lambda tx: _Session(tx, locking=False).version()))
        with self._writes_lock:
            if writes == self._writes:  # no write of ours ended meanwhile
                self._known_version = (asked, version)
        return version

    def _written(self) -> None:
        """A write ended: the version must be asked for again."""
        with self._writes_lock:
            self._writes += 1
            self._known_version = None

    def _writing(self, work: Callable[[WriteSession[Any, Any]], T]) -> T:
        return cast(T, self._run_write(lambda tx: work(_Session(tx))))

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
        if len(graph.nodes) + len(graph.relationships) <= _SINGLE_TX_ROWS:
            return super().upsert(
                graph, dry_run=dry_run, progress=progress, expected=expected, actor=actor
            )

        def plan(tx: ManagedTransaction) -> WritePlan[dict[str, Any], dict[str, Any]]:
            session = _Session(tx, locking=False)
            return plan_upsert(session, graph, expected=expected, actor=actor)

        checked = cast(WritePlan[dict[str, Any], dict[str, Any]], self._run_read(plan))
        if dry_run or not checked.changes_graph:
            return checked.result(self.version())
        steps: list[tuple[str, list[dict[str, Any]], RelType | None]] = [
            (cypher.MERGE_NODES[label], rows, None)
            for label, rows in _by_label(checked.nodes).items()
        ]
        steps += [
            (cypher.MERGE_RELS[rel_type], rows, rel_type)
            for rel_type, rows in _by_type(checked.relationships).items()
        ]
        total = sum(len(rows) for _, rows, _ in steps)
        done, version = 0, 0
        for query, rows, rel_type in steps:
            for start in range(0, len(rows), _TX_ROWS):
                chunk = rows[start : start + _TX_ROWS]
                try:
                    version = cast(
                        int, self._run_write(self._write_chunk, query, chunk, rel_type, actor)
                    )
                except StoreUnavailableError as error:
                    raise StoreUnavailableError.of(
                        "error.import.interrupted", done=done, total=total, n=len(chunk)
                    ) from error
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        return checked.result(version)

    @staticmethod
    def _write_chunk(
        tx: ManagedTransaction,
        query: str,
        chunk: list[dict[str, Any]],
        rel_type: RelType | None,
        actor: str | None,
    ) -> int:
        """One transaction of a large import: its rows (nodes, or relationships of
        ``rel_type``), and a change naming them."""
        session = _Session(tx)
        session.run_rows(query, chunk)
        if rel_type is None:
            change = change_now("upsert", actor, [row["id"] for row in chunk])
        else:
            keys = [(rel_type, row["source"], row["target"]) for row in chunk]
            change = change_now("upsert", actor, (), keys)
        return session.log(change)

    def labels(self, ids: Sequence[str]) -> dict[str, NodeLabel]:
        stored = cast(dict[str, tuple[NodeLabel, Any]], self._run_read(self._stored, ids))
        return {node_id: label for node_id, (label, _) in stored.items()}

    @staticmethod
    def _stored(
        tx: ManagedTransaction, ids: Sequence[str]
    ) -> dict[str, tuple[NodeLabel, dict[str, Any]]]:
        return _Session(tx, locking=False).nodes(ids)

    def snapshot(self) -> GraphData:
        # One read transaction, so the graph is of one version; the records are made
        # after it. A whole Horizon 2020-sized graph takes tens of seconds to read, far
        # beyond a request's deadline: it gets WHOLE_READ_DEADLINE (a server that hangs
        # is still given up on, later).
        def work(tx: ManagedTransaction) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
            nodes = [record.data() for record in tx.run(_q(cypher.ALL_NODES))]
            relationships = [record.data() for record in tx.run(_q(cypher.ALL_RELS))]
            return nodes, relationships

        deadline = max(self._deadline, WHOLE_READ_DEADLINE)
        nodes, relationships = self._run_read(work, deadline=deadline)
        return GraphData(
            nodes=tuple(node_from(row["label"], row["props"]) for row in nodes),
            relationships=tuple(_relationship(row) for row in relationships),
        )

    def get_node(self, label: NodeLabel, node_id: str) -> Node | None:
        def work(tx: ManagedTransaction) -> Node | None:
            record = tx.run(_q(cypher.NODE_BY_LABEL[label]), id=node_id).single()
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
            record = tx.run(_q(cypher.COUNT_NODES[query.label]), params).single()
            total = 0 if record is None else int(record["total"])
            paged = {**params, "offset": query.offset, "limit": query.limit}
            rows = tx.run(_q(listing), paged)
            items = [node_from(query.label.value, r["props"]) for r in rows]
            return Page(items=items, total=total)

        return cast("Page[Node]", self._run_read(work))

    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        stored = cast(dict[str, tuple[NodeLabel, Any]], self._run_read(self._stored, ids))
        return {node_id: node_from(label.value, p) for node_id, (label, p) in stored.items()}

    def get_relationships(self, keys: Sequence[RelKey]) -> dict[RelKey, Relationship]:
        def work(tx: ManagedTransaction) -> dict[RelKey, Relationship]:
            session = _Session(tx, locking=False)
            stored = session.relationships(keys)
            return {key: session.relationship_of(key, props) for key, props in stored.items()}

        return cast(dict[RelKey, Relationship], self._run_read(work))

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
                for r in tx.run(_q(cypher.CHANGES_SINCE), since=since, limit=limit)
            ]

        return cast(list[Change], self._run_read(work))

    def get_contacts(self, org_id: str) -> list[ContactPerson]:
        def work(tx: ManagedTransaction) -> list[ContactPerson]:
            record = tx.run(_q(cypher.GET_CONTACTS), id=org_id).single()
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
            if tx.run(_q(cypher.PUT_CONTACTS), id=org_id, doc=doc).single() is None:
                raise NotFoundError.of(
                    "error.node.not_found", kind=Kind(NodeLabel.ORGANISATION), id=quoted(org_id)
                )
            return _Session(tx).log(change_now("contacts", actor, [org_id]))

        return cast(int, self._run_write(work))

    def ping(self) -> None:
        def work(tx: ManagedTransaction) -> None:
            tx.run(_q(cypher.PING)).consume()

        self._run_read(work)

    def clear(self) -> None:
        # Relationships first, in batches: deleting 10,000 nodes with all of theirs in one
        # transaction took more than the transaction memory of a 512 MB heap on the
        # Horizon 2020 graph (organisations with thousands of participations).
        for statement in (cypher.CLEAR_RELS_BATCH, cypher.CLEAR_BATCH):

            def work(tx: ManagedTransaction, statement: str = statement) -> int:
                record = tx.run(_q(statement), batch=10_000).single()
                return 0 if record is None else int(record["deleted"])

            while self._run_write(work):
                pass

        def contacts(tx: ManagedTransaction) -> None:
            tx.run(_q(cypher.CLEAR_CONTACTS)).consume()

        self._run_write(contacts)

        self._run_write(lambda tx: _Session(tx).log(change_now("clear", None)))

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
