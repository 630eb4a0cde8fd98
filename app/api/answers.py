"""Answers kept with the graph version they were made from.

A graph version never changes, so an answer made from it stays right until the next
write makes a new version. The read answers that take milliseconds to make — an
organisation's neighbourhood (up to 200 nodes beyond one hop and 2,000 at one hop, 0.2
to 2 MB of JSON on the Horizon 2020 graph), the shortest paths between two
organisations, a page of organisations listed, filtered or searched — are rendered once
per version and request, kept within a byte budget (the least recently asked go first)
and served again as they are, with an ETag for conditional requests. They go with their
version: after a write, none is served stale. An answer that names the nodes it read
(a neighbourhood, paths) goes on to the next version when the write changed neither the
graph's shape nor any name and touched none of those nodes — a description changed
elsewhere does not make every neighbourhood again (see ``Graph.patched``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from typing import NamedTuple

from fastapi import Request, Response
from pydantic_core import to_json

from app.api.conditional import check_if_none_match
from app.core import Graph

__all__ = ["ANSWER_BUDGET", "NOT_MODIFIED", "Answers", "versioned_answer"]

ANSWER_BUDGET = 64 * 2**20
"""Bytes of rendered answers kept per graph version."""

NOT_MODIFIED: dict[int | str, dict[str, object]] = {
    304: {"description": "Not modified (If-None-Match): the graph has not changed."}
}
"""The OpenAPI entry of the 304 a kept answer may be."""

_MEMO_KEY = ("api", "answers")


class Answer(NamedTuple):
    """A rendered answer: its ETag, its JSON, and the ids of the nodes it read (None: it
    may depend on any node, e.g. a page of a sorted list)."""

    etag: str
    body: bytes
    reads: frozenset[str] | None = None


class Answers:
    """Rendered answers of one graph version by request, within a byte budget."""

    def __init__(self, budget: int = ANSWER_BUDGET) -> None:
        self._budget = budget
        self._kept: OrderedDict[Hashable, Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Answer | None:
        """The answer kept for ``key``, or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, answer: Answer) -> None:
        """Keep an answer, dropping the least recently asked ones beyond the budget."""
        if len(answer.body) > self._budget:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._kept[key] = answer
            self._size += len(answer.body)
            while self._size > self._budget:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped.body)

    def carried(self, touched: frozenset[str]) -> Answers:
        """The answers that read none of the ``touched`` nodes, for the next version (see
        :class:`app.core.Carried`), least recently asked first as here."""
        carried = Answers(self._budget)
        with self._lock:
            for key, answer in self._kept.items():
                if answer.reads is not None and answer.reads.isdisjoint(touched):
                    carried._kept[key] = answer
                    carried._size += len(answer.body)
        return carried


def answers_of(graph: Graph) -> Answers:
    """The answers kept with this graph version."""
    found = graph.memo.get(_MEMO_KEY)
    if found is None:
        found = graph.memo.setdefault(_MEMO_KEY, Answers())
    assert isinstance(found, Answers)
    return found


def versioned_answer(
    graph: Graph,
    request: Request,
    make: Callable[[], object],
    *,
    reads: Collection[str] | None = None,
) -> Response:
    """The JSON answer to ``request`` made by ``make`` from ``graph`` (a model or a list
    of models, written as FastAPI writes a route's answer), or the one made for the same
    path and query on this version (or carried to it) before; 304 when
    ``If-None-Match`` names it. ``make`` runs the request's checks: an error it raises
    is not kept.

    ``reads``, when given, is filled by ``make`` with the ids of the nodes whose
    properties the answer depends on; apart from them it may depend only on the graph's
    shape and names. Such an answer is carried to the next version as long as no write
    touches those nodes, the shape or a name; without ``reads`` it is made again."""
    answers = answers_of(graph)
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())))
    found = answers.get(key)
    if found is None:
        body = to_json(make(), by_alias=True)
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        read = None if reads is None else frozenset(reads)
        found = Answer(f'"{graph.version()}-{digest}"', body, read)
        answers.put(key, found)
    not_modified = check_if_none_match(request, found.etag)
    if not_modified is not None:
        return not_modified
    return Response(found.body, media_type="application/json", headers={"ETag": found.etag})
