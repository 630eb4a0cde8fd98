"""EmbeddedStore: the default store, one SQLite file, no server.

Nodes and relationships are kept as JSON documents in two tables; SQLite's WAL
journal with ``synchronous=FULL`` makes every committed write survive a crash of
the process (and of the machine). One connection is shared behind a lock: the graph
is small and writes are rare, so simplicity wins over concurrency here.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter

from app.errors import Kind, NotFoundError, StoreUnavailableError, quoted
from app.store.base import (
    Change,
    NodeQuery,
    NodeSort,
    Page,
)
from app.store.writes import PipelineWrites, WriteSession, change_now
from graph_schema import (
    ContactPerson,
    GraphData,
    Node,
    NodeLabel,
    PlaceQuery,
    Relationship,
    RelKey,
    RelType,
)
from graph_schema.interchange import edge_document, node_document
from graph_schema.names import name_key
from graph_schema.places import place_key

__all__ = ["EmbeddedStore"]

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS nodes (
    id    TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    name  TEXT NOT NULL,
    sort_key TEXT NOT NULL,  -- name without case, accents or punctuation: stores sort alike
    doc   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_by_label ON nodes (label, sort_key);
CREATE TABLE IF NOT EXISTS relationships (
    type   TEXT NOT NULL,
    source TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    target TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    doc    TEXT NOT NULL,
    PRIMARY KEY (type, source, target)
);
CREATE INDEX IF NOT EXISTS relationships_by_source ON relationships (source);
CREATE TABLE IF NOT EXISTS changes (
    version       INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    action        TEXT NOT NULL,
    actor         TEXT,
    nodes         TEXT NOT NULL,  -- JSON list of node ids
    relationships TEXT NOT NULL,  -- JSON list of "TYPE source target"
    details       TEXT,           -- JSON list of {kind, key, before, after}; NULL for bulk
    note          TEXT,           -- what the writer said of the write (a file name)
    undo_of       INTEGER         -- the version whose change this write undid
);
CREATE INDEX IF NOT EXISTS relationships_by_target ON relationships (target);
CREATE TABLE IF NOT EXISTS contacts (  -- personal data: never part of the graph
    organisation TEXT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL         -- JSON list of contact persons
);
"""

_ORG_FILTERS = {
    # filter name -> SQL fragment with one parameter; fragments are constants
    "helix_role": "json_extract(doc, '$.helix_role') = ?",
    "any_role": (
        "(json_extract(doc, '$.helix_role') = ? OR EXISTS (SELECT 1 FROM "
        "json_each(doc, '$.secondary_roles') AS r WHERE r.value = ?))"
    ),
    "org_type": "json_extract(doc, '$.org_type') = ?",
    "place": (
        "(place_key(json_extract(doc, '$.place')) = ? "
        "OR json_extract(doc, '$.province') = ? OR json_extract(doc, '$.region') = ?)"
    ),
    "province": "json_extract(doc, '$.province') = ?",
    "region": "json_extract(doc, '$.region') = ?",
    "generic": "json_extract(doc, '$.generic') = ?",
    "theme": (
        "EXISTS (SELECT 1 FROM relationships AS t "
        "WHERE t.source = nodes.id AND t.type = 'ADDRESSES' AND t.target = ?)"
    ),
    "org_theme": (
        "EXISTS (SELECT 1 FROM relationships AS a JOIN relationships AS t "
        "ON t.source = a.target AND t.type = 'ADDRESSES' "
        "WHERE a.source = nodes.id AND a.type IN ('PARTNER_IN', 'PARTICIPATES_IN', 'MEMBER_OF') "
        "AND t.target = ?)"
    ),
}
_ORG_ORDER = {
    (NodeSort.NAME, False): "sort_key ASC, id ASC",
    (NodeSort.NAME, True): "sort_key DESC, id DESC",
    (NodeSort.ID, False): "id ASC",
    (NodeSort.ID, True): "id DESC",
}
_CHUNK = 500  # stays well below SQLite's limit on bound parameters

_NODE: TypeAdapter[Node] = TypeAdapter(Node)


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


_CONTACTS = TypeAdapter(list[ContactPerson])


def _doc(text: str | None) -> dict[str, Any] | None:
    return None if text is None else dict(json.loads(text))


def _place_key(place: str | None) -> str | None:
    """SQL ``place_key(text)``: towns compared as :func:`graph_schema.places.place_key`."""
    return None if place is None else place_key(place)


def _text(*values: str | None) -> list[str | None]:
    return [None if value is None else str(value) for value in values]


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _stored(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Label and document of each stored id among ``ids``."""
    stored: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT id, label, doc FROM nodes WHERE id IN ({marks})",  # noqa: S608
            chunk,
        )
        stored.update({row[0]: (row[1], row[2]) for row in rows})
    return stored


def _bump(conn: sqlite3.Connection, change: Change) -> int:
    """Move the version on and log the change, in the caller's transaction."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('version', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )
    version = _version(conn)
    conn.execute(
        "INSERT INTO changes "
        "(version, at, action, actor, nodes, relationships, details, note, undo_of) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            version,
            change.at,
            change.action,
            change.actor,
            json.dumps(change.nodes),
            json.dumps(change.relationships),
            change.details,
            change.note,
            change.undo_of,
        ),
    )
    return version


def _version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    return int(row[0]) if row else 0


class _Session:
    """The write pipeline's view of one SQLite write transaction: nodes and
    relationships are kept as their JSON documents."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def lock(self, ids: Sequence[str]) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` holds the write lock of the whole file."""

    def nodes(self, ids: Sequence[str]) -> dict[str, tuple[NodeLabel, str]]:
        stored = _stored(self._conn, ids)
        return {node_id: (NodeLabel(label), doc) for node_id, (label, doc) in stored.items()}

    def relationships(self, keys: Sequence[RelKey]) -> dict[RelKey, str]:
        found: dict[RelKey, str] = {}
        for rel_type, source, target in keys:
            row = self._conn.execute(
                "SELECT doc FROM relationships WHERE type = ? AND source = ? AND target = ?",
                (str(rel_type), source, target),
            ).fetchone()
            if row is not None:
                found[(rel_type, source, target)] = row[0]
        return found

    def relationships_touching(self, ids: Sequence[str]) -> dict[RelKey, str]:
        found: dict[RelKey, str] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                "SELECT type, source, target, doc FROM relationships "  # noqa: S608
                f"WHERE source IN ({marks}) OR target IN ({marks})",
                [*chunk, *chunk],
            )
            found.update({(RelType(t), s, o): doc for t, s, o, doc in rows})
        return found

    def actions_on_themes(self, themes: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(themes):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                "SELECT id, json_extract(doc, '$.theme') FROM nodes "  # noqa: S608
                f"WHERE label = ? AND json_extract(doc, '$.theme') IN ({marks})",
                [str(NodeLabel.ACTION), *chunk],
            )
            found.update(dict(rows))
        return found

    def node_record(self, node: Node) -> str:
        return _dumps(node_document(node))

    def relationship_record(self, rel: Relationship) -> str:
        return _dumps(edge_document(rel))

    def node_of(self, label: NodeLabel, record: str) -> Node:
        return _NODE.validate_json(record)

    def relationship_of(self, key: RelKey, record: str) -> Relationship:
        return Relationship.model_validate_json(record)

    def delete_relationships(self, keys: Sequence[RelKey]) -> None:
        self._conn.executemany(
            "DELETE FROM relationships WHERE type = ? AND source = ? AND target = ?",
            [(str(t), s, o) for t, s, o in keys],
        )

    def delete_nodes(self, ids: Sequence[str]) -> None:
        self._conn.executemany("DELETE FROM nodes WHERE id = ?", [(i,) for i in ids])

    def put_nodes(self, rows: Sequence[tuple[Node, str]]) -> None:
        self._conn.executemany(
            "INSERT INTO nodes (id, label, name, sort_key, doc) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
            "sort_key = excluded.sort_key, doc = excluded.doc",
            [(n.id, str(n.label), n.name, name_key(n.name), doc) for n, doc in rows],
        )

    def put_relationships(self, rows: Sequence[tuple[RelKey, str]]) -> None:
        self._conn.executemany(
            "INSERT INTO relationships (type, source, target, doc) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (type, source, target) DO UPDATE SET doc = excluded.doc",
            [(str(t), s, o, doc) for (t, s, o), doc in rows],
        )

    def log(self, change: Change) -> int:
        return _bump(self._conn, change)

    def version(self) -> int:
        return _version(self._conn)


class EmbeddedStore(PipelineWrites):
    """A durable single-file graph store.

    Parameters
    ----------
    path
        The SQLite database file; its folder is created when missing.
    """

    name = "embedded"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA busy_timeout = 5000")
            self._conn.create_function("place_key", 1, _place_key, deterministic=True)
            (check,) = self._conn.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise StoreUnavailableError(f"the store file {path} is damaged: {check}")
            self._conn.executescript(_SCHEMA)
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(changes)")}
            if "details" not in columns:  # a store written before the audit details
                self._conn.execute("ALTER TABLE changes ADD COLUMN details TEXT")
            if "note" not in columns:  # a store written before edits in one write
                self._conn.execute("ALTER TABLE changes ADD COLUMN note TEXT")
                self._conn.execute("ALTER TABLE changes ADD COLUMN undo_of INTEGER")
            # Reads have a connection of their own: in WAL mode they see the last commit
            # while a write is under way, so no request waits for a write to finish.
            self._reader = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._reader.execute("PRAGMA busy_timeout = 5000")
            self._reader.execute("PRAGMA query_only = ON")
            self._reader.create_function("place_key", 1, _place_key, deterministic=True)
            self._read_lock = threading.Lock()
        except sqlite3.DatabaseError as error:
            raise StoreUnavailableError(f"cannot open the store file {path}: {error}") from error

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any error."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read: one snapshot of the database for the whole block (the last
        commit; a write under way meanwhile is not waited for)."""
        with self._read_lock:
            self._reader.execute("BEGIN")
            try:
                yield self._reader
            finally:
                self._reader.execute("COMMIT")

    def _writing(self, work: Callable[[WriteSession[Any, Any]], T]) -> T:
        with self._transaction() as conn:
            return work(_Session(conn))

    # -- GraphStore ---------------------------------------------------------------------

    def version(self) -> int:
        # asked before every request: one statement is its own consistent read, so no
        # BEGIN and COMMIT around it (a third of the cost under concurrent requests)
        with self._read_lock:
            return _version(self._reader)

    def labels(self, ids: Sequence[str]) -> dict[str, NodeLabel]:
        with self._read() as conn:
            stored = _stored(conn, ids)
        return {node_id: NodeLabel(label) for node_id, (label, _) in stored.items()}

    def snapshot(self) -> GraphData:
        with self._read() as conn:
            nodes = [
                _NODE.validate_json(doc)
                for (doc,) in conn.execute("SELECT doc FROM nodes ORDER BY id")
            ]
            relationships = [
                Relationship.model_validate_json(doc)
                for (doc,) in conn.execute(
                    "SELECT doc FROM relationships ORDER BY type, source, target"
                )
            ]
        return GraphData(nodes=tuple(nodes), relationships=tuple(relationships))

    def get_node(self, label: NodeLabel, node_id: str) -> Node | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT doc FROM nodes WHERE id = ? AND label = ?", (node_id, str(label))
            ).fetchone()
        return None if row is None else _NODE.validate_json(row[0])

    def list_nodes(self, query: NodeQuery) -> Page[Node]:
        clauses = ["label = ?"]
        params: list[Any] = [str(query.label)]
        if query.theme is not None:
            by_theme = "org_theme" if query.label is NodeLabel.ORGANISATION else "theme"
            clauses.append(_ORG_FILTERS[by_theme])
            params.append(query.theme)
        if query.helix_role is not None:
            key = "any_role" if query.include_secondary else "helix_role"
            clauses.append(_ORG_FILTERS[key])
            params.extend([str(query.helix_role)] * clauses[-1].count("?"))
        place = None if query.place is None else PlaceQuery.of(query.place)
        for key, values in (
            ("org_type", None if query.org_type is None else [str(query.org_type)]),
            (
                "place",
                None if place is None else _text(place.key or None, place.province, place.region),
            ),
            ("province", None if query.province is None else [str(query.province)]),
            ("region", None if query.region is None else [str(query.region)]),
            ("generic", None if query.generic is None else [query.generic]),
        ):
            if values is not None:
                clauses.append(_ORG_FILTERS[key])
                params.extend(values)
        where = " AND ".join(clauses)
        order = _ORG_ORDER[(query.sort, query.descending)]
        with self._read() as conn:
            (total,) = conn.execute(
                f"SELECT count(*) FROM nodes WHERE {where}",  # noqa: S608 - constant fragments
                params,
            ).fetchone()
            rows = conn.execute(
                f"SELECT doc FROM nodes WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
                [*params, query.limit, query.offset],
            ).fetchall()
        items = [_NODE.validate_json(doc) for (doc,) in rows]
        return Page(items=items, total=int(total))

    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        with self._read() as conn:
            stored = _stored(conn, ids)
        return {node_id: _NODE.validate_json(doc) for node_id, (_, doc) in stored.items()}

    def get_relationships(self, keys: Sequence[RelKey]) -> dict[RelKey, Relationship]:
        with self._read() as conn:
            session = _Session(conn)
            stored = session.relationships(keys)
        return {key: session.relationship_of(key, doc) for key, doc in stored.items()}

    def changes(self, since: int, limit: int = 100) -> list[Change]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT version, at, action, actor, nodes, relationships, details, note, "
                "undo_of FROM changes WHERE version > ? ORDER BY version LIMIT ?",
                (since, limit),
            ).fetchall()
        return [
            Change(v, at, action, actor, tuple(json.loads(n)), tuple(json.loads(r)), d, note, u)
            for v, at, action, actor, n, r, d, note, u in rows
        ]

    def get_contacts(self, org_id: str) -> list[ContactPerson]:
        with self._read() as conn:
            self._organisation_exists(conn, org_id)
            row = conn.execute(
                "SELECT doc FROM contacts WHERE organisation = ?", (org_id,)
            ).fetchone()
        return [] if row is None else _CONTACTS.validate_json(row[0])

    def put_contacts(
        self, org_id: str, contacts: Sequence[ContactPerson], *, actor: str | None = None
    ) -> int:
        doc = _CONTACTS.dump_json(list(contacts)).decode()
        with self._transaction() as conn:
            self._organisation_exists(conn, org_id)
            conn.execute(
                "INSERT INTO contacts (organisation, doc) VALUES (?, ?) "
                "ON CONFLICT (organisation) DO UPDATE SET doc = excluded.doc",
                (org_id, doc),
            )
            return _bump(conn, change_now("contacts", actor, [org_id]))

    @staticmethod
    def _organisation_exists(conn: sqlite3.Connection, org_id: str) -> None:
        row = conn.execute(
            "SELECT 1 FROM nodes WHERE id = ? AND label = ?",
            (org_id, str(NodeLabel.ORGANISATION)),
        ).fetchone()
        if row is None:
            raise NotFoundError.of(
                "error.node.not_found", kind=Kind(NodeLabel.ORGANISATION), id=quoted(org_id)
            )

    def ping(self) -> None:
        with self._read() as conn:
            conn.execute("SELECT 1").fetchone()

    def clear(self) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM relationships")
            conn.execute("DELETE FROM contacts")
            conn.execute("DELETE FROM nodes")
            _bump(conn, change_now("clear", None))

    def opener(self) -> Callable[[], EmbeddedStore]:
        """A picklable function that opens this store again (in another process)."""
        return partial(EmbeddedStore, self.path)

    def close(self) -> None:
        with self._read_lock:
            self._reader.close()
        with self._lock:
            self._conn.close()

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
