"""Analytics served from the store: one projection per graph version, results cached.

Every result is computed at most once per graph version and set of options: a repeated
call without a write in between is a dictionary lookup. After a write the new results are
computed in the background while requests that cannot wait get the previous version's,
which say which version they describe (see :mod:`app.services.refresh`). The cache keeps
the results of the last two versions, so that they can be compared.
"""

from __future__ import annotations

import threading
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
from app.services.refresh import VersionedCache
from app.services.snapshots import SnapshotCache
from app.services.views import NetworkView, network_view
from app.services.worker import AnalysisProcess
from app.store import GraphStore
from graph_schema import GraphData, HelixRole, NodeLabel, Theme

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
    """Computes analytics on a store's graph, once per version, off the request path.

    Parameters
    ----------
    snapshots
        Where whole-graph snapshots come from (shared with other views).
    fresh_wait
        Seconds a request waits for a result of the current graph version before it
        is answered with the previous version's (which names its version); ``None``
        always waits. See :mod:`app.services.refresh`.
    capacity
        How many results (over all versions and options) to keep.
    versions
        Results of how many graph versions to keep of each kind (the newest): on a
        large graph each version's projection alone takes hundreds of megabytes. Two
        lets the current version be compared with the one before.
    separate_process
        Compute in an analysis process of its own (see :mod:`app.services.worker`)
        rather than in this one; this one then keeps only the results.
    """

    def __init__(
        self,
        snapshots: SnapshotCache,
        *,
        fresh_wait: float | None = None,
        capacity: int = 64,
        versions: int = 2,
        separate_process: bool = False,
    ) -> None:
        self._snapshots = snapshots
        self._cache = VersionedCache(fresh_wait=fresh_wait, keep=versions, capacity=capacity)
        self._separate = separate_process
        self._process: AnalysisProcess | None = None
        self._process_lock = threading.Lock()

    @property
    def process(self) -> AnalysisProcess | None:
        """The analysis process, once started."""
        return self._process

    def close(self) -> None:
        """Stop the analysis process, if any."""
        with self._process_lock:
            process, self._process = self._process, None
        if process is not None:
            process.close()

    def _remote(
        self, store: GraphStore, key: tuple[Hashable, ...], name: str, /, **kwargs: Any
    ) -> Any:
        """The result of method ``name``, computed by the analysis process, kept under
        ``key``."""
        with self._process_lock:
            if self._process is None:
                self._process = AnalysisProcess(store.opener(), _in_process)
            process = self._process
        return self._cache.get((store.version(), *key), lambda: process.call(name, **kwargs))[1]

    @property
    def refresh(self) -> VersionedCache:
        """The per-version results (counters: ``computed``, ``stale_answers``)."""
        return self._cache

    def cached(self, key: tuple[Hashable, ...], compute: Callable[[], R]) -> R:
        """Any result derived from one graph version (``key[0]``), computed once.

        It may be the previous version's result while this one is computed (see
        ``fresh_wait``): a result meant for clients should name its version.
        """
        return self._cache.get(key, compute)[1]

    def snapshot(self, store: GraphStore) -> tuple[int, GraphData]:
        return self._snapshots.get(store)

    # Inside a computation everything comes from the same version and is waited for.

    def _collaboration(self, version: int, data: GraphData, options: Options) -> nx.Graph:
        return self._cache.get(
            (version, "collaboration", options),
            lambda: collaboration_graph(data, options.projection()),
            stale=False,
        )[1]

    def _two_mode(
        self, version: int, data: GraphData, options: Options, *, generic: bool
    ) -> nx.Graph:
        return self._cache.get(
            (version, "two-mode", options, generic),
            lambda: two_mode_graph(data, options.projection(generic=generic)),
            stale=False,
        )[1]

    def _theme_names(self, version: int, data: GraphData) -> dict[str, str]:
        return self._cache.get(
            (version, "theme-names"),
            lambda: {n.id: n.name for n in data.nodes if isinstance(n, Theme)},
            stale=False,
        )[1]

    def _communities(
        self, version: int, data: GraphData, options: Options, method: str, seed: int
    ) -> dict[str, Any]:
        def compute() -> dict[str, Any]:
            graph = self._collaboration(version, data, options)
            names = self._theme_names(version, data)
            found = communities(graph, method=method, seed=seed, theme_names=names)  # type: ignore[arg-type]
            return {"version": version, **asdict(found)}

        return self._cache.get((version, "communities", options, method, seed), compute)[1]

    def collaboration(self, store: GraphStore, options: Options) -> tuple[int, nx.Graph]:
        """(version, collaboration graph): the current version's, or the previous one's
        while the current one is projected."""
        version, data = self.snapshot(store)
        key, graph = self._cache.get(
            (version, "collaboration", options),
            lambda: collaboration_graph(data, options.projection()),
        )
        return key[0], graph  # type: ignore[return-value]

    def brokers(
        self, store: GraphStore, options: Options, *, top: int | None = None
    ) -> dict[str, Any]:
        if self._separate:
            found: dict[str, Any] = self._remote(
                store, ("brokers", options), "brokers", options=options
            )
            return found if top is None else {**found, "rows": found["rows"][:top]}
        version, data = self.snapshot(store)
        _, result = self._cache.get(
            (version, "brokers", options),
            lambda: {
                "version": version,
                **asdict(brokers(self._collaboration(version, data, options))),
            },
        )
        if top is not None:
            result = {**result, "rows": result["rows"][:top]}
        return result

    def communities(
        self, store: GraphStore, options: Options, *, method: str = "louvain", seed: int = 0
    ) -> dict[str, Any]:
        if self._separate:
            key = ("communities", options, method, seed)
            return self._remote(  # type: ignore[no-any-return]
                store, key, "communities", options=options, method=method, seed=seed
            )
        version, data = self.snapshot(store)
        return self._communities(version, data, options, method, seed)

    def gaps(self, store: GraphStore, options: Options) -> dict[str, Any]:
        if self._separate:
            return self._remote(store, ("gaps", options), "gaps", options=options)  # type: ignore[no-any-return]
        version, data = self.snapshot(store)

        def compute() -> dict[str, Any]:
            graph = self._collaboration(version, data, options)
            bipartite = self._two_mode(version, data, options, generic=options.include_generic)
            with_groups = self._two_mode(version, data, options, generic=True)
            names = self._theme_names(version, data)
            membership: dict[str, int] = self._communities(version, data, options, "louvain", 0)[
                "membership"
            ]
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

        return self._cache.get((version, "gaps", options), compute)[1]

    def kpis(self, store: GraphStore, options: Options) -> dict[str, Any]:
        if self._separate:
            return self._remote(store, ("kpis", options), "kpis", options=options)  # type: ignore[no-any-return]
        version, data = self.snapshot(store)
        _, result = self._cache.get(
            (version, "kpis", options),
            lambda: {
                "version": version,
                **asdict(
                    kpis(
                        self._collaboration(version, data, options),
                        self._two_mode(version, data, options, generic=True),
                    )
                ),
            },
        )
        return {**result, "analysed_versions": self.versions()}

    def compare(self, store: GraphStore, since: int, options: Options) -> dict[str, Any]:
        """Compare the current graph with an earlier version this service has seen."""
        if self._separate:
            key = ("compare", since, options)
            return self._remote(store, key, "compare", since=since, options=options)  # type: ignore[no-any-return]
        version, graph = self.collaboration(store, options)
        old = self._cache.peek((since, "collaboration", options))
        if old is None:
            raise NotFoundError(
                f"version {since} is not among the versions analysed since the service "
                "started; compare with one of them"
            )
        return self.cached(
            (version, "compare", since, options),
            lambda: {"from": since, "to": version, **asdict(compare(old, graph))},
        )

    def network(
        self,
        store: GraphStore,
        options: Options,
        *,
        helix_roles: tuple[HelixRole, ...] = (),
        org_type: str | None = None,
        place: str | None = None,
        province: str | None = None,
        region: str | None = None,
        max_nodes: int = 5000,
        max_edges: int = 1_000_000,
    ) -> NetworkView:
        """The organisations' collaboration network, filtered and cut (see network_view)."""
        shape: dict[str, Any] = {
            "helix_roles": helix_roles,
            "org_type": org_type,
            "place": place,
            "province": province,
            "region": region,
            "max_nodes": max_nodes,
            "max_edges": max_edges,
        }
        key = ("network", options, *shape.values())
        if self._separate:
            return self._remote(store, key, "network", options=options, **shape)  # type: ignore[no-any-return]
        version, graph = self.collaboration(store, options)
        return self.cached((version, *key), lambda: network_view(version, graph, **shape))

    def versions(self) -> list[int]:
        """Graph versions whose collaboration graph is still cached."""
        return sorted(set(self._cache.versions("collaboration")))


def _in_process() -> AnalyticsService:
    """The analytics of an analysis process: computed where they are asked for."""
    return AnalyticsService(SnapshotCache())


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
