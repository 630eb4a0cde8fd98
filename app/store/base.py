"""The GraphStore protocol every store implements, and the types it speaks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from app.errors import (
    Message,
    PreconditionFailedError,
    quoted,
)
from graph_schema import (
    ContactPerson,
    GraphData,
    HelixRole,
    Node,
    NodeLabel,
    OrgType,
    Province,
    Region,
    Relationship,
    RelKey,
    RelType,
)
from graph_schema.interchange import node_document

if TYPE_CHECKING:
    pass

__all__ = [
    "Change",
    "ChangedMeanwhileError",
    "DeleteResult",
    "GraphStore",
    "NodeQuery",
    "NodeSort",
    "Page",
    "Progress",
    "UpsertResult",
]


class NodeSort(StrEnum):
    NAME = "name"
    ID = "id"


@dataclass(frozen=True, slots=True)
class NodeQuery:
    """Filters and paging for a list of nodes of one kind. ``None`` means 'any'.

    The organisation filters (helix role, type, place, province, region, generic) apply
    to organisations only. ``place`` matches the town, the province or the region it
    names, without case or accents (:class:`graph_schema.PlaceQuery`); ``province`` and
    ``region`` match those fields alone. ``theme`` keeps organisations that take part in
    an action, project or network addressing the theme, and other nodes that address it
    themselves.
    """

    label: NodeLabel = NodeLabel.ORGANISATION
    theme: str | None = None
    helix_role: HelixRole | None = None
    include_secondary: bool = False
    org_type: OrgType | None = None
    place: str | None = None
    province: Province | None = None
    region: Region | None = None
    generic: bool | None = None
    sort: NodeSort = NodeSort.NAME
    descending: bool = False
    limit: int = 50
    offset: int = 0


T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a large write proceeds."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results and the total number that matched."""

    items: list[T]
    total: int


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What a write changed; ``version`` is the graph version after it. ``deleted``
    counts the nodes and relationships removed (those that went with a node included)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    version: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return self.created + self.updated + self.deleted > 0


@dataclass(frozen=True, slots=True)
class Change:
    """One write, as the change log keeps it: what moved the graph to ``version``."""

    version: int
    at: str  # ISO 8601, UTC
    action: str  # upsert, delete, edit (both in one write), undo, clear or contacts
    actor: str | None  # the API key id that wrote, None from the command line
    nodes: tuple[str, ...]
    relationships: tuple[str, ...]  # "TYPE source target"
    details: str | None = None
    """JSON list of ``{"kind", "key", "before", "after"}`` documents (None: not kept)."""
    note: str | None = None
    """What the writer said of the write, e.g. the file it came from."""
    undo_of: int | None = None
    """The version whose change this write undid."""


class ChangedMeanwhileError(PreconditionFailedError):
    """Nodes of a conditional write are no longer as the writer last saw them.

    ``current`` holds each such node as it is stored now (None: it does not exist); the
    problem answer carries their documents, so that a page can show both versions.
    """

    def __init__(self, current: Mapping[str, Node | None]) -> None:
        self.current = dict(current)
        ids = ", ".join(quoted(node_id) for node_id in sorted(self.current))
        message = Message("error.edits.changed", {"ids": ids, "n": len(self.current)})
        super().__init__(message.text("en"), message=message)
        self.extra = {
            "current": {
                node_id: None if node is None else node_document(node)
                for node_id, node in sorted(self.current.items())
            }
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.current,))


@dataclass(frozen=True, slots=True)
class DeleteResult:
    """A delete: how many relationships went with it, and the new graph version."""

    relationships_removed: int
    version: int


class GraphStore(Protocol):
    """Persistence of the helix graph.

    Implementations are thread-safe; every write is atomic (all of it or none of it)
    and validated against what is already stored.
    """

    name: str

    def version(self) -> int:
        """A number that changes on every write that changed the graph (0: never written)."""
        ...

    def upsert(
        self,
        graph: GraphData,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        expected: Mapping[str, str | None] | None = None,
        actor: str | None = None,
    ) -> UpsertResult:
        """Create or replace nodes and relationships by stable id.

        ``expected`` makes the write conditional (see
        :func:`app.store.writes.check_expected`), checked in the same transaction as the
        write; ``actor`` goes into the change log.

        The whole bundle is validated against the stored graph first: with any problem,
        InvalidGraphError lists them all and nothing is written. With ``dry_run``
        nothing is written either way. ``progress(done, total)`` follows large writes.
        """
        ...

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
        """One write that upserts ``graph`` and deletes nodes (with every relationship
        they have) and relationships: all of it or none of it, one graph version, one
        change in the log with each record's before and after, ``note`` and ``undo_of``.

        In the write's transaction, first ``expected`` (ChangedMeanwhileError, with the
        current nodes), then the records to delete (NotFoundError for the first absent
        one), then the whole write against the stored graph (InvalidGraphError listing
        every problem, see :func:`app.store.writes.batch_problems`). With ``dry_run``
        nothing is written. A write that changes nothing makes no version.
        """
        ...

    def labels(self, ids: Sequence[str]) -> dict[str, NodeLabel]:
        """The label of each of the given ids that is stored (absent ids are left out)."""
        ...

    def snapshot(self) -> GraphData:
        """The whole graph, consistent as of one version."""
        ...

    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]:
        """The stored nodes among ``ids``, by id (any kind)."""
        ...

    def get_relationships(self, keys: Sequence[RelKey]) -> dict[RelKey, Relationship]:
        """The stored relationships among ``keys`` ((type, source, target)), by key."""
        ...

    def delete_node(
        self,
        label: NodeLabel,
        node_id: str,
        *,
        expected_etag: str | None = None,
        actor: str | None = None,
    ) -> DeleteResult:
        """Delete a node and every relationship it has; NotFoundError when absent,
        PreconditionFailedError when ``expected_etag`` no longer matches."""
        ...

    def delete_relationship(
        self, rel_type: RelType, source: str, target: str, *, actor: str | None = None
    ) -> int:
        """Delete one relationship; returns the new version; NotFoundError when absent."""
        ...

    def changes(self, since: int, limit: int = 100) -> list[Change]:
        """The change log after version ``since``, oldest first, at most ``limit``."""
        ...

    def get_contacts(self, org_id: str) -> list[ContactPerson]:
        """The contact persons of an organisation (NotFoundError: no such organisation)."""
        ...

    def put_contacts(
        self, org_id: str, contacts: Sequence[ContactPerson], *, actor: str | None = None
    ) -> int:
        """Replace an organisation's contact persons; returns the new version. The change
        log names the organisation, never the persons."""
        ...

    def ping(self) -> None:
        """Return when the store answers; raise StoreUnavailableError otherwise."""
        ...

    def get_node(self, label: NodeLabel, node_id: str) -> Node | None:
        """One node of the given kind, or None."""
        ...

    def list_nodes(self, query: NodeQuery) -> Page[Node]:
        """Nodes of one kind matching the query, sorted by name (or id) and paged, with
        the total. Both stores sort names alike: without case, accents or punctuation."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship (the version still moves on)."""
        ...

    def opener(self) -> Callable[[], GraphStore]:
        """A picklable function that opens this store again (in another process)."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
