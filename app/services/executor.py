"""Where heavy computations run: in this process, or in one worker process of their own.

Betweenness, constraint and the projections of a large graph take tens of seconds, much
of it inside C routines that hold Python's interpreter lock: computed in the service's
own process they stall every request meanwhile. An :class:`Executor` runs a computation
``task(context, **kwargs)`` — one function, whichever executor runs it:

- :class:`InProcess` calls it here, with the context it was given;
- :class:`WorkerProcess` calls it in a single spawned process, with a context that
  process made once when it started (e.g. its own store and graph core). It starts on
  the first task; should it die (killed, out of memory), the task is tried once more in
  a new one; should the service die, it ends too.

The executor knows nothing of what it runs: the task and its arguments must be
picklable for the worker process (module-level functions and plain data).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, Protocol, TypeVar

from app.errors import StoreUnavailableError
from app.services.memory import limit_arenas

__all__ = ["BACKGROUND_NICENESS", "Executor", "InProcess", "WorkerProcess"]

C = TypeVar("C")
C_co = TypeVar("C_co", covariant=True)
R = TypeVar("R")

_log = logging.getLogger(__name__)

_context: Any = None
"""In a worker process: the context its tasks get, made once when it started."""


class Executor(Protocol[C_co]):
    """Runs ``task(context, **kwargs)`` and returns what it returns (or raises)."""

    def run(self, task: Callable[..., R], /, **kwargs: Any) -> R: ...

    def close(self) -> None: ...


class InProcess(Generic[C]):
    """Runs tasks here, in the calling thread, with ``context``."""

    def __init__(self, context: C) -> None:
        self._context = context

    def run(self, task: Callable[..., R], /, **kwargs: Any) -> R:
        return task(self._context, **kwargs)

    def close(self) -> None:
        """Nothing to stop."""


BACKGROUND_NICENESS = 10
"""How much lower the worker process's CPU priority is than the service's: analyses are
background work, and on a machine with few cores they should not slow the answers."""


def _start(make_context: Callable[[], Any], parent: int) -> None:
    global _context  # noqa: PLW0603 (one per process, set once when it starts)
    if os.getppid() != parent:  # the service ended while this process was starting
        os._exit(0)
    with contextlib.suppress(OSError):  # a platform without priorities runs it as it is
        os.nice(BACKGROUND_NICENESS)
    limit_arenas()
    threading.Thread(target=_follow, args=(parent,), daemon=True, name="follow").start()
    _context = make_context()


def _follow(parent: int) -> None:
    """End this process soon after the service's: a service killed with SIGKILL cannot
    stop it, and an orphan would hold the store and gigabytes of memory."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _call(task: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    return task(_context, **kwargs)


class WorkerProcess(Generic[C]):
    """Runs tasks in one worker process, each with the context that process made.

    Parameters
    ----------
    make_context
        Makes the context in the worker when it starts (picklable, e.g. a
        ``functools.partial`` of a module-level function).
    """

    def __init__(self, make_context: Callable[[], C]) -> None:
        self._make_context = make_context
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.starts = 0

    def run(self, task: Callable[..., R], /, **kwargs: Any) -> R:
        """``task(context, **kwargs)`` in the worker; errors raised there are raised here.

        A worker that dies is replaced once.
        """
        for attempt in range(2):
            pool = self._running()
            try:
                result: R = pool.submit(_call, task, kwargs).result()
            except BrokenProcessPool:
                self._discard(pool)
                _log.warning("the analysis process stopped (attempt %d of 2)", attempt + 1)
            else:
                return result
        raise StoreUnavailableError.of("error.analysis.stopped")

    def pid(self) -> int | None:
        """The worker's process id (None before it starts)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return next(iter(processes), None)

    def _running(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    # the service's pid, taken here: read in the worker it would be 1
                    # (init) should the service end while the worker starts, and the
                    # worker would then follow init and never end
                    initargs=(self._make_context, os.getpid()),
                )
                self.starts += 1
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # a pool broken by one death: end the rest of it
            process.kill()

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
