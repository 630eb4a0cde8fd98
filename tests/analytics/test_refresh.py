"""Per-version results computed off the request path: once each, stale only when allowed."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.services.refresh import VersionedCache


class Gate:
    """A computation that runs until the test opens the gate, counting its runs."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.opened = threading.Event()
        self.runs = 0

    def __call__(self) -> str:
        self.runs += 1
        assert self.opened.wait(10), "the gate was never opened"
        return self.value


def test_a_result_is_computed_once_however_many_ask() -> None:
    cache = VersionedCache(fresh_wait=None)
    gate = Gate("v1")
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(cache.get, (1, "brokers"), gate) for _ in range(8)]
        time.sleep(0.2)
        assert not any(f.done() for f in futures)  # nothing earlier: everyone waits
        gate.opened.set()
        answers = [f.result(5) for f in futures]
    assert answers == [((1, "brokers"), "v1")] * 8
    assert gate.runs == 1
    assert cache.get((1, "brokers"), lambda: "again") == ((1, "brokers"), "v1")


def test_while_a_new_version_is_computed_the_previous_answers() -> None:
    cache = VersionedCache(fresh_wait=0.05)
    cache.get((1, "kpis"), lambda: "old")
    gate = Gate("new")
    started = time.perf_counter()
    assert cache.get((2, "kpis"), gate) == ((1, "kpis"), "old")
    assert time.perf_counter() - started < 1.0
    assert cache.get((2, "kpis"), gate) == ((1, "kpis"), "old")  # still running, not restarted
    gate.opened.set()
    deadline = time.monotonic() + 5
    while cache.peek((2, "kpis")) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.get((2, "kpis"), gate) == ((2, "kpis"), "new")
    assert (gate.runs, cache.stale_answers) == (1, 2)


def test_other_options_or_kinds_are_never_served_for_each_other() -> None:
    cache = VersionedCache(fresh_wait=0.05)
    cache.get((1, "kpis", "generic"), lambda: "generic groups in")
    cache.get((1, "brokers"), lambda: "brokers")
    gate = Gate("fresh")
    gate.opened.set()
    assert cache.get((2, "kpis", "no generic"), gate) == ((2, "kpis", "no generic"), "fresh")


def test_waiting_can_be_demanded() -> None:
    cache = VersionedCache(fresh_wait=0.01)
    cache.get((1, "match-index"), lambda: "old")
    gate = Gate("new")
    threading.Timer(0.3, gate.opened.set).start()
    assert cache.get((2, "match-index"), gate, stale=False) == ((2, "match-index"), "new")


def test_a_computation_builds_on_its_own_version_only() -> None:
    cache = VersionedCache(fresh_wait=0.0)
    cache.get((1, "projection"), lambda: "projection 1")
    cache.get((1, "brokers"), lambda: "brokers of projection 1")

    def brokers() -> str:
        # inside the computation the projection of version 2 is waited for, never stale
        return "brokers of " + cache.get((2, "projection"), lambda: "projection 2")[1]

    cache.get((2, "brokers"), brokers)  # answered with version 1's meanwhile
    deadline = time.monotonic() + 5
    while cache.peek((2, "brokers")) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.peek((2, "brokers")) == "brokers of projection 2"


def test_a_failure_reaches_the_caller_and_the_next_call_tries_again() -> None:
    cache = VersionedCache(fresh_wait=None)

    def broken() -> str:
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError, match="went away"):
        cache.get((1, "kpis"), broken)
    assert cache.get((1, "kpis"), lambda: "fine") == ((1, "kpis"), "fine")


def test_only_the_newest_versions_of_each_kind_are_kept() -> None:
    cache = VersionedCache(fresh_wait=None, keep=2)
    for version in range(1, 6):
        cache.get((version, "projection"), lambda v=version: f"p{v}")  # type: ignore[misc]
    cache.get((1, "theme-names"), lambda: "names")
    assert cache.versions("projection") == [4, 5]
    assert cache.peek((1, "theme-names")) == "names"  # another kind keeps its own
