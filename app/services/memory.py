"""Keeping the resident memory of a long-running process level (glibc's allocator).

Each graph version builds structures of hundreds of megabytes and then drops the
version before. With many request threads, glibc gives threads their own allocation
arenas, and freed memory stays with the arena it came from: the process's memory creeps
up although what it holds does not. Two arenas and giving free pages back after each
rebuild keep it level. Elsewhere than glibc both calls do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

__all__ = ["limit_arenas", "release_free_memory"]

_M_ARENA_MAX = -8  # from glibc's malloc.h


@cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
    except OSError:
        return None
    if not hasattr(libc, "mallopt") or not hasattr(libc, "malloc_trim"):
        return None  # another C library (musl)
    return libc


def limit_arenas(arenas: int = 2) -> bool:
    """Let glibc use at most ``arenas`` allocation arenas from now on; whether it took."""
    libc = _libc()
    return bool(libc is not None and libc.mallopt(_M_ARENA_MAX, arenas))


def release_free_memory() -> bool:
    """Give memory the allocator holds but nothing uses back to the system (the call
    runs without Python's lock); whether any was given back."""
    libc = _libc()
    return bool(libc is not None and libc.malloc_trim(0))
