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
from functools import partial
from typing import Any, TypeVar

import networkx as nx

from analytics.brokers import brokers
from analytics.communities import communities
from analytics.gaps import helix_mix, missing_roles, structural_holes, theme_crossovers
from analytics.kpis import compare, kpis
from analytics.projection import ProjectionOptions, collaboration_graph, two_mode_graph
from app.core import GraphCore
from app.errors import NotFoundError
from app.services.executor import Executor, InProcess, WorkerProcess
from app.services.refresh import VersionedCache
from app.services.views import NetworkView, network_view
from app.services.wording import (
    brokers_answer,
    communities_answer,
    compare_answer,
    gaps_answer,
    kpis_answer,
    missing_roles_page,
    summarise,
)
from app.store import GraphStore
from graph_schema import GraphData, HelixRole, NodeLabel, Theme
from graph_schema.i18n import Language

__all__ = ["AnalyticsService", "Options", "summarise"]

R = TypeVar("R")
Result = dict[str, Any]
COMPARE_TOP_BROKERS = 10
"""Broker turnover compares the first ten of the ranking at each version."""


@dataclass(frozen=True, slots=True)
class Options:
    """The subgraph an analysis runs on (see :class:`ProjectionOptions`).

    Themes and kinds keep the activities on those themes and of those kinds, and the
    organisations active in them; helix roles (primary or secondary), organisation types
    and places keep the organisations that match, with the ties among them.
    """

    include_generic: bool = False
    themes: frozenset[str] | None = None
    kinds: frozenset[NodeLabel] | None = None
    helix_roles: frozenset[str] | None = None
    org_types: frozenset[str] | None = None
    places: frozenset[str] | None = None
    provinces: frozenset[str] | None = None
    regions: frozenset[str] | None = None

    def projection(self, *, generic: bool | None = None) -> ProjectionOptions:
        keep = self.include_generic if generic is None else generic
        shared: dict[str, Any] = {
            "include_generic": keep,
            "themes": self.themes,
            "helix_roles": self.helix_roles,
            "org_types": self.org_types,
            "places": self.places,
            "provinces": self.provinces,
            "regions": self.regions,
        }
        if self.kinds is None:
            return ProjectionOptions(**shared)
        return ProjectionOptions(**shared, kinds=self.kinds)

    def described(self) -> dict[str, Any]:
        """The filters as plain values, for the answer's ``filters`` echo."""
        return {
            "theme": sorted(self.themes or ()),
            "helix_role": [str(r) for r in HelixRole if str(r) in (self.helix_roles or ())],
            "org_type": sorted(self.org_types or ()),
            "place": [
                *sorted(self.places or ()),
                *sorted(self.provinces or ()),
                *sorted(self.regions or ()),
            ],
            "kind": [str(k) for k in NodeLabel if k in (self.kinds or ())],
            "include_generic": self.include_generic,
        }


class AnalyticsService:
    """Computes analytics on a store's graph, once per version, off the request path.

    Results are computed free of language and kept per graph version and filters; each
    request words them in its own language (:mod:`app.services.wording`).

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
        Compute in an analysis process of its own (see :mod:`app.services.executor`)
        rather than in this one; this one then keeps only the results.
    """

    def __init__(
        self,
        core: GraphCore,
        *,
        fresh_wait: float | None = None,
        capacity: int = 64,
        versions: int = 2,
        separate_process: bool = False,
    ) -> None:
        self._core = core
        self._cache = VersionedCache(fresh_wait=fresh_wait, keep=versions, capacity=capacity)
        self._separate = separate_process
        self._executor: Executor[AnalyticsService] | None = None
        self._executor_lock = threading.Lock()

    @property
    def executor(self) -> Executor[AnalyticsService]:
        """Where the analyses run: here, or in the analysis process (made on first use,
        as the store it opens is known only then)."""
        with self._executor_lock:
            if self._executor is None:
                if self._separate:
                    opener = self._core.store.opener()
                    self._executor = WorkerProcess(partial(_analysis_process, opener))
                else:
                    self._executor = InProcess(self)
            return self._executor

    @property
    def process(self) -> WorkerProcess[AnalyticsService] | None:
        """The analysis process, once started."""
        executor = self._executor
        return executor if isinstance(executor, WorkerProcess) else None

    def close(self) -> None:
        """Stop the analysis process, if any."""
        with self._executor_lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.close()

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

    def snapshot(self) -> tuple[int, GraphData]:
        graph = self._core.current()
        return graph.version(), graph.data

    # Inside a computation everything comes from the same version and is waited for.

    def _collaboration(self, version: int, data: GraphData, options: Options) -> nx.Graph:
        return self._cache.get(
            (version, "collaboration", options),
            lambda: collaboration_graph(data, options.projection()),
            stale=False,
        )[1]

    def _two_mode(
        self, version: int, data: GraphData, options: Options, *, generic: bool, whole: bool
    ) -> nx.Graph:
        return self._cache.get(
            (version, "two-mode", options, generic, whole),
            lambda: two_mode_graph(
                data, options.projection(generic=generic), whole_activities=whole
            ),
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
    ) -> Result:
        def compute() -> Result:
            graph = self._collaboration(version, data, options)
            found = communities(graph, method=method, seed=seed)  # type: ignore[arg-type]
            return {
                "version": version,
                "filters": options.described(),
                "names": self._theme_names(version, data),
                **asdict(found),
            }

        return self._cache.get((version, "communities", options, method, seed), compute)[1]

    def _brokers(self, version: int, data: GraphData, options: Options) -> Result:
        return {
            "version": version,
            "filters": options.described(),
            "names": self._theme_names(version, data),
            **asdict(brokers(self._collaboration(version, data, options))),
        }

    def _gaps(self, version: int, data: GraphData, options: Options) -> Result:
        graph = self._collaboration(version, data, options)
        bipartite = self._two_mode(
            version, data, options, generic=options.include_generic, whole=False
        )
        with_groups = self._two_mode(version, data, options, generic=True, whole=True)
        names = self._theme_names(version, data)
        membership: dict[str, int] = self._communities(version, data, options, "louvain", 0)[
            "membership"
        ]
        partition: list[set[str]] = [set() for _ in range(max(membership.values(), default=-1) + 1)]
        for node, community in membership.items():
            partition[community].add(node)
        holes = [asdict(gap) for gap in structural_holes(graph, partition)]
        mentioned = {
            item["node"]
            for hole in holes
            for side in ("bridges", "candidates_a", "candidates_b")
            for item in hole[side]
        }
        return {
            "version": version,
            "filters": options.described(),
            "names": {**names, **{n: str(graph.nodes[n].get("name", n)) for n in mentioned}},
            "theme_crossovers": asdict(theme_crossovers(bipartite)),
            "helix_mix": asdict(helix_mix(graph)),
            "missing_roles": asdict(missing_roles(with_groups, theme_names=names)),
            "structural_holes": holes,
        }

    def _kpis(self, version: int, data: GraphData, options: Options) -> Result:
        activities = self._two_mode(version, data, options, generic=True, whole=True)
        found = kpis(self._collaboration(version, data, options), activities)
        actions = {a: str(activities.nodes[a].get("name", a)) for a in found.industry_per_action}
        return {
            "version": version,
            "filters": options.described(),
            "names": {**self._theme_names(version, data), **actions},
            **asdict(found),
            "analysed_versions": self.versions(),
        }

    def computed(self, kind: str, options: Options, **how: Any) -> Result:
        """The language-free result ``kind`` of the store's current version, computed here.

        ``kind`` is ``"brokers"``, ``"gaps"``, ``"communities"`` (``method``, ``seed``),
        ``"kpis"`` or ``"compare"`` (``since``). The analysis process answers with this.
        """
        if kind == "compare":
            return self._compare(options, **how)
        version, data = self.snapshot()
        if kind == "communities":
            return self._communities(version, data, options, how["method"], how["seed"])
        compute = {"brokers": self._brokers, "gaps": self._gaps, "kpis": self._kpis}[kind]
        return self._cache.get((version, kind, options), lambda: compute(version, data, options))[1]

    def _compare(self, options: Options, since: int) -> Result:
        version, graph = self.collaboration(options)
        old = self._cache.peek((since, "collaboration", options))
        if old is None:
            versions = ", ".join(str(v) for v in self.versions())
            raise NotFoundError.of("error.compare.unknown_version", since=since, versions=versions)
        _, data = self.snapshot()

        def turnover() -> Result:
            earlier = self._cache.peek((since, "brokers", options))
            then = earlier["rows"] if earlier is not None else asdict(brokers(old))["rows"]
            now = self._cache.get(
                (version, "brokers", options),
                lambda: self._brokers(version, data, options),
                stale=False,
            )[1]["rows"]
            changes = compare(
                old,
                graph,
                old_brokers=[row["id"] for row in then[:COMPARE_TOP_BROKERS]],
                new_brokers=[row["id"] for row in now[:COMPARE_TOP_BROKERS]],
            )
            return {
                "from": since,
                "to": version,
                "filters": options.described(),
                "names": self._theme_names(version, data),
                **asdict(changes),
            }

        return self.cached((version, "compare", since, options), turnover)

    def _result(self, kind: str, options: Options, **how: Any) -> Result:
        """The result ``kind`` of the current version, computed by the executor (here or
        in the analysis process), kept per version; the previous version's meanwhile."""
        key = (self._core.current().version(), "answer", kind, options, *how.values())
        run = partial(self.executor.run, _computed, kind=kind, options=options, **how)
        return self._cache.get(key, run)[1]

    def collaboration(self, options: Options) -> tuple[int, nx.Graph]:
        """(version, collaboration graph): the current version's, or the previous one's
        while the current one is projected."""
        version, data = self.snapshot()
        key, graph = self._cache.get(
            (version, "collaboration", options),
            lambda: collaboration_graph(data, options.projection()),
        )
        return key[0], graph  # type: ignore[return-value]

    def brokers(
        self,
        options: Options,
        *,
        top: int | None = None,
        lang: Language = "nl",
    ) -> Result:
        """Broker ranking with reasons in ``lang`` (see :func:`analytics.brokers.brokers`)."""
        return brokers_answer(self._result("brokers", options), lang, top=top)

    def communities(
        self,
        options: Options,
        *,
        method: str = "louvain",
        seed: int = 0,
        lang: Language = "nl",
    ) -> Result:
        """Communities with labels and descriptions in ``lang``."""
        found = self._result("communities", options, method=method, seed=seed)
        return communities_answer(found, lang)

    def gaps(
        self,
        options: Options,
        *,
        missing_role: str | None = None,
        lang: Language = "nl",
    ) -> Result:
        """Cross-overs, helix mix, missing roles and structural holes, worded in ``lang``."""
        found = self._result("gaps", options)
        return gaps_answer(found, lang, missing_role=missing_role)

    def missing_roles(
        self,
        options: Options,
        *,
        missing_role: str | None = None,
        offset: int = 0,
        limit: int = 100,
        lang: Language = "nl",
    ) -> Result:
        """One page of the activities lacking a helix role (or holding industry only
        through generic groups), worded in ``lang``."""
        found = self._result("gaps", options)
        return missing_roles_page(
            found, lang, missing_role=missing_role, offset=offset, limit=limit
        )

    def kpis(self, options: Options, *, lang: Language = "nl") -> Result:
        """Cooperation KPIs with their labels in ``lang``."""
        answer = kpis_answer(self._result("kpis", options), lang)
        if not self._separate:  # the versions analysed until now (else: until computed)
            answer["analysed_versions"] = self.versions()
        return answer

    def compare(self, since: int, options: Options, *, lang: Language = "nl") -> Result:
        """Compare the current graph with an earlier version this service has seen."""
        return compare_answer(self._result("compare", options, since=since), lang)

    def network(
        self,
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
        key = (self._core.current().version(), "answer", "network", options, *shape.values())
        run = partial(self.executor.run, _network, options=options, **shape)
        return self._cache.get(key, run)[1]

    def network_here(self, options: Options, **shape: Any) -> NetworkView:
        """The collaboration network of the current version, made in this process."""
        version, graph = self.collaboration(options)
        key = (version, "network", options, *shape.values())
        return self.cached(key, lambda: network_view(version, graph, **shape))

    def versions(self) -> list[int]:
        """Graph versions whose collaboration graph is still cached."""
        return sorted(set(self._cache.versions("collaboration")))


def _analysis_process(opener: Callable[[], GraphStore]) -> AnalyticsService:
    """The analytics of the analysis process: its own store and graph core, computing
    where they are asked."""
    return AnalyticsService(GraphCore(opener()))


def _computed(service: AnalyticsService, **kwargs: Any) -> Result:
    """Task for the executor: :meth:`AnalyticsService.computed` of ``service``."""
    return service.computed(**kwargs)


def _network(service: AnalyticsService, **kwargs: Any) -> NetworkView:
    """Task for the executor: :meth:`AnalyticsService.network_here` of ``service``."""
    return service.network_here(**kwargs)
