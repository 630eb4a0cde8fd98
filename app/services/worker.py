"""Analytics in a process of their own, so that the service keeps answering meanwhile.

Betweenness, constraint and the projections of a large graph take tens of seconds, much
of it inside C routines that hold Python's interpreter lock: computed in the service's
own process they would stall every request for as long. The analysis process opens the
store itself (the embedded file or the Neo4j server), keeps its own snapshot, patched
from the change log after writes, and its own per-version results; the service asks it
for a result and keeps the answer. The process starts on the first request for
analytics; should it die (killed, out of memory), the next request starts a new one, and
should the service die, it ends too.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from app.core import GraphCore
from app.errors import StoreUnavailableError
from app.services.memory import limit_arenas

if TYPE_CHECKING:
    from app.services.analytics import AnalyticsService
    from app.store import GraphStore

__all__ = ["AnalysisProcess"]

_log = logging.getLogger(__name__)

_state: tuple[GraphStore, AnalyticsService] | None = None
"""In the analysis process: its store and its in-process analytics."""


def _start(
    opener: Callable[[], GraphStore], service: Callable[[GraphCore], AnalyticsService]
) -> None:
    global _state  # noqa: PLW0603 (one per process, set once when it starts)
    limit_arenas()
    threading.Thread(target=_follow, args=(os.getppid(),), daemon=True, name="follow").start()
    store = opener()
    _state = (store, service(GraphCore(store)))


def _follow(parent: int) -> None:
    """End this process soon after the service's: a service killed with SIGKILL cannot
    stop it, and an orphan would hold the store and gigabytes of memory."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _call(method: str, kwargs: dict[str, Any]) -> Any:
    if _state is None:  # pragma: no cover (the initializer always runs first)
        raise RuntimeError("the analysis process has not started")
    store, service = _state
    return getattr(service, method)(store, **kwargs)


class AnalysisProcess:
    """A single worker process that runs :class:`AnalyticsService` methods on a store.

    Parameters
    ----------
    opener
        Opens the store in the worker (see ``GraphStore.opener``); picklable.
    service
        Makes the worker's in-process analytics; picklable.
    """

    def __init__(
        self,
        opener: Callable[[], GraphStore],
        service: Callable[[GraphCore], AnalyticsService],
    ) -> None:
        self._opener = opener
        self._service = service
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.starts = 0

    def call(self, method: str, /, **kwargs: Any) -> Any:
        """``AnalyticsService.<method>(store, **kwargs)`` in the worker; its answer.

        Errors raised there are raised here. A worker that dies is replaced once.
        """
        for attempt in range(2):
            pool = self._running()
            try:
                return pool.submit(_call, method, kwargs).result()
            except BrokenProcessPool:
                self._discard(pool)
                _log.warning("the analysis process stopped (attempt %d of 2)", attempt + 1)
        raise StoreUnavailableError.of("error.analysis.stopped")

    def pid(self) -> int | None:
        """The worker's process id (None before it starts)."""
        pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return next(iter(processes), None)

    def _running(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    initargs=(self._opener, self._service),
                )
                self.starts += 1
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the worker, whatever it is computing."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(10)
