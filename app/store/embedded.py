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
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from app.errors import InvalidGraphError, Kind, NotFoundError, StoreUnavailableError, quoted
from app.store.base import (
    AUDIT_DETAIL_LIMIT,
    AuditEntry,
    Change,
    ChangedMeanwhileError,
    DeleteResult,
    NodeQuery,
    NodeSort,
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
    NodeLabel,
    PlaceQuery,
    Relationship,
    RelType,
)
from graph_schema.interchange import edge_document, node_document
from graph_schema.names import NameEntry, name_key
from graph_schema.places import place_key

__all__ = ["EmbeddedStore"]

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


class EmbeddedStore(GraphQueries):
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
        """A consistent read: one snapshot of the database for the whole block."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    @staticmethod
    def _version(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _bump(conn: sqlite3.Connection, change: Change) -> int:
        """Move the version on and log the change, in the caller's transaction."""
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('version', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )
        version = EmbeddedStore._version(conn)
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

    # -- GraphStore ---------------------------------------------------------------------

    def version(self) -> int:
        with self._read() as conn:
            return self._version(conn)

    def upsert(
        self,
        graph: GraphData,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        expected: Mapping[str, str | None] | None = None,
        actor: str | None = None,
    ) -> UpsertResult:
        try:
            result = self.apply(graph, expected=expected, actor=actor, dry_run=dry_run)
        except ChangedMeanwhileError as error:
            check_expected(expected or {}, {i: n for i, n in error.current.items() if n})
            raise
        if progress is not None:
            total = result.created + result.updated
            progress(total, total)
        return result

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
        node_docs = {node.id: _dumps(node_document(node)) for node in graph.nodes}
        rel_docs = {rel.key: _dumps(edge_document(rel)) for rel in graph.relationships}
        gone = sorted(set(delete_nodes))
        with self._transaction() as conn:
            wanted = sorted({*graph.referenced_ids(), *gone, *(expected or {})})
            stored = self._stored(conn, wanted)
            if expected:
                current = {i: _NODE.validate_json(stored[i][1]) for i in expected if i in stored}
                stale = stale_ids(expected, current)
                if stale:
                    raise ChangedMeanwhileError({i: current.get(i) for i in stale})
            for node_id in gone:
                if node_id not in stored:
                    raise NotFoundError.of("error.node.id_not_found", id=quoted(node_id))
            dropped = self._dropped(conn, gone, delete_relationships)
            known = {node_id: NodeLabel(label) for node_id, (label, _) in stored.items()}
            problems = batch_problems(
                graph,
                known,
                delete_nodes=gone,
                delete_relationships=delete_relationships,
                themed_actions=self._themed_actions(conn, gone),
            )
            if problems:
                raise InvalidGraphError(problems)

            node_diff = diff(node_docs, {node_id: doc for node_id, (_, doc) in stored.items()})
            stored_rels: dict[tuple[RelType, str, str], str] = {}
            for rel in graph.relationships:
                row = conn.execute(
                    "SELECT doc FROM relationships WHERE type = ? AND source = ? AND target = ?",
                    (str(rel.type), rel.source, rel.target),
                ).fetchone()
                if row is not None:
                    stored_rels[rel.key] = row[0]
            rel_diff = diff(rel_docs, stored_rels)
            nodes = {node.id: node for node in graph.nodes}
            node_rows = [
                (node.id, str(node.label), node.name, name_key(node.name), node_docs[node.id])
                for node in (nodes[node_id] for node_id in node_diff.changed)
            ]
            rel_rows = [(str(t), s, o, rel_docs[(t, s, o)]) for (t, s, o) in rel_diff.changed]

            version = self._version(conn)
            if not dry_run and (node_rows or rel_rows or gone or dropped):
                conn.executemany(
                    "DELETE FROM relationships WHERE type = ? AND source = ? AND target = ?",
                    [(str(t), s, o) for t, s, o in dropped],
                )
                conn.executemany("DELETE FROM nodes WHERE id = ?", [(i,) for i in gone])
                conn.executemany(
                    "INSERT INTO nodes (id, label, name, sort_key, doc) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                    "sort_key = excluded.sort_key, doc = excluded.doc",
                    node_rows,
                )
                conn.executemany(
                    "INSERT INTO relationships (type, source, target, doc) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (type, source, target) DO UPDATE SET doc = excluded.doc",
                    rel_rows,
                )
                details = None
                if len(node_rows) + len(rel_rows) + len(gone) + len(dropped) <= AUDIT_DETAIL_LIMIT:
                    entries: list[AuditEntry] = [
                        ("node", i, _doc(stored[i][1]) if i in stored else None, _doc(node_docs[i]))
                        for i in node_diff.changed
                    ]
                    entries += [
                        (
                            "relationship",
                            rel_key_text(k),
                            _doc(stored_rels.get(k)),
                            _doc(rel_docs[k]),
                        )
                        for k in rel_diff.changed
                    ]
                    entries += [("node", i, _doc(stored[i][1]), None) for i in gone]
                    entries += [
                        ("relationship", rel_key_text(k), _doc(doc), None)
                        for k, doc in dropped.items()
                    ]
                    details = audit_details(entries)
                action = write_action(
                    upserts=bool(node_rows or rel_rows),
                    deletes=bool(gone or dropped),
                    undo_of=undo_of,
                )
                change = change_now(
                    action,
                    actor,
                    [*node_diff.changed, *gone],
                    [*rel_diff.changed, *dropped],
                    details,
                    note=note,
                    undo_of=undo_of,
                )
                version = self._bump(conn, change)
        return UpsertResult(
            created=node_diff.created + rel_diff.created,
            updated=node_diff.updated + rel_diff.updated,
            unchanged=node_diff.unchanged + rel_diff.unchanged,
            version=version,
            by_kind=graph.counts(),
            deleted=len(gone) + len(dropped),
        )

    def _dropped(
        self,
        conn: sqlite3.Connection,
        nodes: Sequence[str],
        relationships: Sequence[tuple[RelType, str, str]],
    ) -> dict[tuple[RelType, str, str], str]:
        """The stored document of every relationship a delete removes: those named, and
        those of the nodes deleted; NotFoundError for a named one that is absent."""
        dropped: dict[tuple[RelType, str, str], str] = {}
        for rel_type, source, target in relationships:
            row = conn.execute(
                "SELECT doc FROM relationships WHERE type = ? AND source = ? AND target = ?",
                (str(rel_type), source, target),
            ).fetchone()
            if row is None:
                raise NotFoundError.of(
                    "error.relationship.not_found",
                    type=rel_type,
                    source=quoted(source),
                    target=quoted(target),
                )
            dropped[(rel_type, source, target)] = row[0]
        for chunk in _chunks(nodes):
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                "SELECT type, source, target, doc FROM relationships "  # noqa: S608
                f"WHERE source IN ({marks}) OR target IN ({marks})",
                [*chunk, *chunk],
            )
            dropped.update({(RelType(t), s, o): doc for t, s, o, doc in rows})
        return dict(sorted(dropped.items()))

    @staticmethod
    def _themed_actions(conn: sqlite3.Connection, themes: Sequence[str]) -> dict[str, str]:
        """Stored actions whose theme is among ``themes``, with that theme."""
        found: dict[str, str] = {}
        for chunk in _chunks(themes):
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                "SELECT id, json_extract(doc, '$.theme') FROM nodes "  # noqa: S608
                f"WHERE label = ? AND json_extract(doc, '$.theme') IN ({marks})",
                [str(NodeLabel.ACTION), *chunk],
            )
            found.update(dict(rows))
        return found

    @staticmethod
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

    def labels(self, ids: Sequence[str]) -> dict[str, NodeLabel]:
        with self._read() as conn:
            stored = self._stored(conn, ids)
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
            stored = self._stored(conn, ids)
        return {node_id: _NODE.validate_json(doc) for node_id, (_, doc) in stored.items()}

    def edges_touching(self, ids: Sequence[str]) -> list[Relationship]:
        docs: dict[tuple[str, str, str], str] = {}
        with self._read() as conn:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT type, source, target, doc FROM relationships "  # noqa: S608
                    f"WHERE source IN ({marks}) OR target IN ({marks})",
                    [*chunk, *chunk],
                )
                docs.update({(t, s, o): doc for t, s, o, doc in rows})
        return [Relationship.model_validate_json(docs[key]) for key in sorted(docs)]

    def name_entries(self) -> list[NameEntry]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, label, name, coalesce(json_extract(doc, '$.aliases'), '[]') "
                "FROM nodes ORDER BY id"
            ).fetchall()
        return [NameEntry(i, label, name, tuple(json.loads(a))) for i, label, name, a in rows]

    def delete_node(
        self,
        label: NodeLabel,
        node_id: str,
        *,
        expected_etag: str | None = None,
        actor: str | None = None,
    ) -> DeleteResult:
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT doc FROM nodes WHERE id = ? AND label = ?", (node_id, str(label))
            ).fetchone()
            if row is None:
                raise NotFoundError.of("error.node.not_found", kind=Kind(label), id=quoted(node_id))
            if expected_etag is not None:
                check_expected({node_id: expected_etag}, {node_id: _NODE.validate_json(row[0])})
            keys = conn.execute(
                "SELECT type, source, target, doc FROM relationships "
                "WHERE source = ? OR target = ?",
                (node_id, node_id),
            ).fetchall()
            conn.execute("DELETE FROM nodes WHERE id = ?", (node_id,))  # cascades
            rels = [(RelType(t), s, o) for t, s, o, _ in keys]
            entries: list[AuditEntry] = [("node", node_id, _doc(row[0]), None)]
            entries += [("relationship", f"{t} {s} {o}", _doc(d), None) for t, s, o, d in keys]
            change = change_now("delete", actor, [node_id], rels, audit_details(entries))
            version = self._bump(conn, change)
            return DeleteResult(relationships_removed=len(keys), version=version)

    def delete_relationship(
        self, rel_type: RelType, source: str, target: str, *, actor: str | None = None
    ) -> int:
        with self._transaction() as conn:
            row = conn.execute(
                "DELETE FROM relationships WHERE type = ? AND source = ? AND target = ? "
                "RETURNING doc",
                (str(rel_type), source, target),
            ).fetchone()
            if row is None:
                raise NotFoundError.of(
                    "error.relationship.not_found",
                    type=rel_type,
                    source=quoted(source),
                    target=quoted(target),
                )
            key = (rel_type, source, target)
            details = audit_details([("relationship", rel_key_text(key), _doc(row[0]), None)])
            return self._bump(conn, change_now("delete", actor, (), [key], details))

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
            return self._bump(conn, change_now("contacts", actor, [org_id]))

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
            self._bump(conn, change_now("clear", None))

    def opener(self) -> Callable[[], EmbeddedStore]:
        """A picklable function that opens this store again (in another process)."""
        return partial(EmbeddedStore, self.path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
