"""Analytics served from the store: one projection per graph version, results cached.

Every result is computed at most once per graph version and set of options: a repeated
call without a write in between is a dictionary lookup. The cache keeps the results of
the last few versions too, so that two versions can be compared.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import networkx as nx

from analytics.brokers import brokers
from analytics.communities import communities
from analytics.gaps import helix_mix, missing_roles, structural_holes, theme_crossovers
from analytics.kpis import compare, kpis
from analytics.projection import ProjectionOptions, collaboration_graph, two_mode_graph
from app.errors import NotFoundError
from app.services.snapshots import SnapshotCache
from app.store import GraphStore
from graph_schema import GraphData, NodeLabel, Theme

__all__ = ["AnalyticsService", "Options", "summarise"]

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Options:
    include_generic: bool = False
    themes: frozenset[str] | None = None
    kinds: frozenset[NodeLabel] | None = None

    def projection(self, *, generic: bool | None = None) -> ProjectionOptions:
        keep = self.include_generic if generic is None else generic
        if self.kinds is None:
            return ProjectionOptions(include_generic=keep, themes=self.themes)
        return ProjectionOptions(include_generic=keep, themes=self.themes, kinds=self.kinds)


class AnalyticsService:
    """Computes analytics on a store's graph, once per version.

    Parameters
    ----------
    snapshots
        Where whole-graph snapshots come from (shared with other views).
    capacity
        How many results (over all versions and options) to keep.
    versions
        Results of how many graph versions to keep (the newest): on a large graph each
        version's projection alone takes gigabytes, so older ones are dropped whole.
        Two lets the current version be compared with the one before.
    """

    def __init__(self, snapshots: SnapshotCache, capacity: int = 64, versions: int = 2) -> None:
        self._snapshots = snapshots
        self._capacity = capacity
        self._versions = versions
        self._results: OrderedDict[Hashable, Any] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def _cached(self, key: Hashable, compute: Callable[[], R]) -> R:
        with self._guard:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]  # type: ignore[no-any-return]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one computation per key; others wait for it
            with self._guard:
                if key in self._results:
                    return self._results[key]  # type: ignore[no-any-return]
            value = compute()
            with self._guard:
                self._results[key] = value
                self._locks.pop(key, None)
                self._evict()
            return value

    def _evict(self) -> None:
        """Drop the results of all but the newest versions, then the least recently used."""
        versions = sorted({key[0] for key in self._results if isinstance(key, tuple)})
        old = set(versions[: -self._versions]) if len(versions) > self._versions else set()
        for key in [k for k in self._results if isinstance(k, tuple) and k[0] in old]:
            del self._results[key]
        while len(self._results) > self._capacity:
            self._results.popitem(last=False)

    def cached(self, key: tuple[Hashable, ...], compute: Callable[[], R]) -> R:
        """Any result derived from one graph version (``key[0]``), computed once."""
        return self._cached(key, compute)

    def snapshot(self, store: GraphStore) -> tuple[int, GraphData]:
        return self._snapshots.get(store)

    def collaboration(self, store: GraphStore, options: Options) -> tuple[int, nx.Graph]:
        version, data = self.snapshot(store)
        graph = self._cached(
            (version, "collaboration", options),
            lambda: collaboration_graph(data, options.projection()),
        )
        return version, graph

    def two_mode(self, store: GraphStore, options: Options, *, generic: bool) -> nx.Graph:
        version, data = self.snapshot(store)
        return self._cached(
            (version, "two-mode", options, generic),
            lambda: two_mode_graph(data, options.projection(generic=generic)),
        )

    def brokers(
        self, store: GraphStore, options: Options, *, top: int | None = None
    ) -> dict[str, Any]:
        version, graph = self.collaboration(store, options)
        result = self._cached(
            (version, "brokers", options), lambda: {"version": version, **asdict(brokers(graph))}
        )
        if top is not None:
            result = {**result, "rows": result["rows"][:top]}
        return result

    def theme_names(self, store: GraphStore) -> dict[str, str]:
        version, data = self.snapshot(store)
        return self._cached(
            (version, "theme-names"),
            lambda: {n.id: n.name for n in data.nodes if isinstance(n, Theme)},
        )

    def communities(
        self, store: GraphStore, options: Options, *, method: str = "louvain", seed: int = 0
    ) -> dict[str, Any]:
        version, graph = self.collaboration(store, options)
        names = self.theme_names(store)
        return self._cached(
            (version, "communities", options, method, seed),
            lambda: {
                "version": version,
                **asdict(communities(graph, method=method, seed=seed, theme_names=names)),  # type: ignore[arg-type]
            },
        )

    def gaps(self, store: GraphStore, options: Options) -> dict[str, Any]:
        version, graph = self.collaboration(store, options)

        def compute() -> dict[str, Any]:
            bipartite = self.two_mode(store, options, generic=options.include_generic)
            with_groups = self.two_mode(store, options, generic=True)
            names = self.theme_names(store)
            membership: dict[str, int] = self.communities(store, options)["membership"]
            partition: list[set[str]] = [
                set() for _ in range(max(membership.values(), default=-1) + 1)
            ]
            for node, community in membership.items():
                partition[community].add(node)
            return {
                "version": version,
                "theme_crossovers": asdict(theme_crossovers(bipartite)),
                "helix_mix": asdict(helix_mix(graph)),
                "missing_roles": asdict(missing_roles(with_groups, theme_names=names)),
                "structural_holes": [asdict(gap) for gap in structural_holes(graph, partition)],
            }

        return self._cached((version, "gaps", options), compute)

    def kpis(self, store: GraphStore, options: Options) -> dict[str, Any]:
        version, graph = self.collaboration(store, options)
        result = self._cached(
            (version, "kpis", options),
            lambda: {
                "version": version,
                **asdict(kpis(graph, self.two_mode(store, options, generic=True))),
            },
        )
        return {**result, "analysed_versions": self.versions()}

    def compare(self, store: GraphStore, since: int, options: Options) -> dict[str, Any]:
        """Compare the current graph with an earlier version this service has seen."""
        version, graph = self.collaboration(store, options)
        with self._guard:
            old = self._results.get((since, "collaboration", options))
        if old is None:
            raise NotFoundError(
                f"version {since} is not among the versions analysed since the service "
                "started; compare with one of them"
            )
        return self._cached(
            (version, "compare", since, options),
            lambda: {"from": since, "to": version, **asdict(compare(old, graph))},
        )

    def versions(self) -> list[int]:
        """Graph versions whose collaboration graph is still cached."""
        with self._guard:
            keys = [key for key in self._results if isinstance(key, tuple)]
        return sorted({key[0] for key in keys if key[1] == "collaboration"})


Section = tuple[str, list[str], list[list[str]]]


def _num(value: object, digits: int = 3) -> str:
    return (
        "–" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    )


def _theme(theme_id: str) -> str:
    return theme_id.removeprefix("theme-").replace("-", " ")


def summarise(analysis: str, result: dict[str, Any], *, top: int = 15) -> list[Section]:
    """Tables for a terminal: (title, column names, rows) of the headline findings."""
    if analysis == "brokers":
        rows = [
            [
                str(r["rank"]),
                r["name"],
                r["helix_role"] or "",
                _num(r["betweenness"]),
                _num(r["constraint"]),
                _num(r["effective_size"], 1),
                r["reason"],
            ]
            for r in result["rows"][:top]
        ]
        columns = ["#", "organisation", "helix", "betweenness", "constraint", "eff. size", "why"]
        return [(f"Top {len(rows)} brokers (graph version {result['version']})", columns, rows)]
    if analysis == "gaps":
        pairs = [
            [
                p["theme_a"],
                p["theme_b"],
                str(p["observed"]),
                _num(p["expected"], 1),
                _num(p["ratio"], 2),
            ]
            for p in result["theme_crossovers"]["pairs"][:top]
        ]
        findings = [[f] for f in result["missing_roles"]["findings"][:top]]
        return [
            (
                "Weakest theme cross-overs",
                ["theme", "theme", "organisations", "expected", "ratio"],
                pairs,
            ),
            ("Missing helix roles", ["finding"], findings),
        ]
    if analysis == "communities":
        rows = [[str(c["id"]), str(c["size"]), c["label"]] for c in result["communities"]]
        title = f"Communities ({result['method']}, modularity {result['modularity']:.3f})"
        return [(title, ["id", "size", "themes and helix mix"], rows)]
    scalar = {
        k: v for k, v in result.items() if isinstance(v, int | float) and not isinstance(v, bool)
    }
    return [("Cooperation KPIs", ["indicator", "value"], [[k, _num(v)] for k, v in scalar.items()])]
