"""Results that belong to one graph version, recomputed off the request path after a write.

On a large graph some results take seconds (a projection, a match index) or tens of
seconds (betweenness). A write makes a new graph version; were the first request after
it to compute the new results itself, every request behind it would queue. Here the
computation runs in a background thread; a request waits for it up to ``fresh_wait``
seconds, and when it is not done by then, is answered with the newest earlier version's
result — every result names the graph version it was computed on. A result with no
earlier version is always waited for. Each result is computed once, however many
requests ask for it meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

from app.services.memory import release_free_memory

__all__ = ["VersionedCache"]

R = TypeVar("R")

Key = tuple[Hashable, ...]
"""``(version, *what)``: the graph version first, then what was computed and how."""

_log = logging.getLogger(__name__)
_worker = threading.local()


class VersionedCache:
    """Per-version results, computed once each, in the background when an older one exists.

    Parameters
    ----------
    fresh_wait
        Seconds a caller waits for the current version's result before it gets the
        previous version's instead; ``None`` waits always.
    keep
        Versions kept of each kind of result (the newest): on a large graph one
        projection alone takes hundreds of megabytes.
    capacity
        Results kept over all kinds, options and versions (least recently used go first).
    """

    def __init__(
        self, *, fresh_wait: float | None = None, keep: int = 2, capacity: int = 64
    ) -> None:
        self.fresh_wait = fresh_wait
        self._keep = keep
        self._capacity = capacity
        self._results: OrderedDict[Key, Any] = OrderedDict()
        self._running: dict[Key, Future[Any]] = {}
        self._guard = threading.Lock()
        self.computed = 0
        self.stale_answers = 0

    def get(self, key: Key, compute: Callable[[], R], *, stale: bool = True) -> tuple[Key, R]:
        """(key of the result, result) for ``key``, computing it at most once.

        With ``stale`` (the default) and an earlier version's result at hand, the answer
        may be that one (its key says which version) while ``key`` is computed.
        """
        inside = getattr(_worker, "active", False)
        stale = stale and not inside  # a computation builds on results of its own version
        with self._guard:
            if key in self._results:
                self._results.move_to_end(key)
                return key, self._results[key]
            future = self._running.get(key)
            start = future is None
            if future is None:
                future = Future()
                self._running[key] = future
            previous = self._previous(key) if stale else None
            earlier: R | None = None if previous is None else self._results[previous]
        if start:
            if inside:
                # already off the request path (a result that needs another): compute here
                self._run(key, compute, future)
            else:
                threading.Thread(
                    target=self._run, args=(key, compute, future), daemon=True, name="refresh"
                ).start()
        if previous is None or self.fresh_wait is None:
            return key, future.result()
        try:
            return key, future.result(timeout=self.fresh_wait)
        except TimeoutError:
            with self._guard:
                self.stale_answers += 1
            return previous, earlier  # type: ignore[return-value]

    def peek(self, key: Key) -> Any | None:
        """The result stored under ``key``, or None (never computes)."""
        with self._guard:
            return self._results.get(key)

    def versions(self, what: Hashable) -> list[int]:
        """Versions with a stored result whose key continues with ``what``."""
        with self._guard:
            return sorted(
                key[0]  # type: ignore[misc]
                for key in self._results
                if len(key) > 1 and key[1] == what
            )

    def _previous(self, key: Key) -> Key | None:
        """The stored key of the newest earlier version with the same rest; guard held."""
        rest = key[1:]
        found = [k for k in self._results if k[1:] == rest and k[0] < key[0]]  # type: ignore[operator]
        return max(found, key=lambda k: k[0]) if found else None  # type: ignore[arg-type,return-value]

    def _run(self, key: Key, compute: Callable[[], Any], future: Future[Any]) -> None:
        outer = getattr(_worker, "active", False)
        _worker.active = True
        try:
            value = compute()
        except BaseException as error:
            with self._guard:
                self._running.pop(key, None)
            future.set_exception(error)
            _log.warning("computing %r failed: %s", key[:2], error)
            return
        finally:
            _worker.active = outer
        with self._guard:
            self._results[key] = value
            self._running.pop(key, None)
            self.computed += 1
            evicted = self._evict(key)
        future.set_result(value)
        if evicted:
            del evicted
            release_free_memory()

    def _evict(self, newest: Key) -> list[Any]:
        """Keep the ``keep`` newest versions of ``newest``'s kind, then ``capacity`` in
        all; the results dropped (to be freed outside the guard)."""
        rest = newest[1:]
        same = sorted((k for k in self._results if k[1:] == rest), key=lambda k: k[0])  # type: ignore[arg-type,return-value]
        dropped = [self._results.pop(key) for key in same[: -self._keep]]
        while len(self._results) > self._capacity:
            dropped.append(self._results.popitem(last=False)[1])
        return dropped
