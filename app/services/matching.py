"""Partner matching served from the store: one match index per graph version.

The index (arrays of every organisation's ties, themes, roles and places) is built once
per graph version and shared by every request until the next write; a request is then
a few vector operations and, for the candidates shown, their introduction paths. After a
write the next index is built in the background; meanwhile requests may be answered from
the previous version's (the answer names its version), unless they name an organisation,
theme or place that only the new version knows.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from analytics.matching import MatchError, MatchIndex, MatchWeights, Need
from app.core import Graph, GraphCore
from app.errors import InvalidRequestError, NotFoundError
from app.services.refresh import VersionedCache
from graph_schema import NodeLabel
from graph_schema.i18n import Language, t

__all__ = ["MatchService", "resolve_organisation"]

_SUGGESTIONS = 5


def resolve_organisation(
    view: Graph, text: str, *, field: str = "org", lang: Language = "nl"
) -> str:
    """The id of the organisation that ``text`` names: an id, a name or an alias.

    Problems are worded in ``lang``.

    Raises
    ------
    NotFoundError
        No organisation has that id, name or alias (the closest names are suggested).
    InvalidRequestError
        Several organisations carry that name or alias.
    """
    wanted = text.strip()
    found = view.get_nodes([wanted]).get(wanted)
    if found is not None and found.label is NodeLabel.ORGANISATION:
        return found.id
    hits = view.search(wanted, labels=(NodeLabel.ORGANISATION,), limit=_SUGGESTIONS)
    exact = [hit for hit in hits if hit.score >= 1.0]
    if len(exact) == 1:
        return exact[0].entry.id
    if len(exact) > 1:
        names = "; ".join(f"{hit.entry.name} ({hit.entry.id})" for hit in exact)
        raise InvalidRequestError(
            t(lang, "match.error.ambiguous", field=field, text=wanted, names=names)
        )
    detail = t(lang, "error.organisation.unknown", field=field, text=f"'{wanted}'")
    hits = hits or view.names.suggest(wanted, labels={"Organisation"}, limit=_SUGGESTIONS)
    if hits:
        names = "; ".join(f"{hit.entry.name} ({hit.entry.id})" for hit in hits)
        detail += t(lang, "error.organisation.closest", names=names)
    raise NotFoundError(detail)


def _knows(index: MatchIndex, need: Need) -> bool:
    """Whether an earlier version's index knows the organisations the need names."""
    return all(org in index.position for org in (need.org, *need.team) if org is not None)


class MatchService:
    """Matches partners on a store's graph, with one index per graph version.

    Parameters
    ----------
    snapshots
        Where whole-graph snapshots come from (shared with the other views).
    recency_years
        Time constant of the recency of ties (default: the index's, see
        :class:`~analytics.matching.MatchIndex`).
    """

    def __init__(
        self,
        core: GraphCore,
        *,
        recency_years: float | None = None,
        fresh_wait: float | None = None,
    ) -> None:
        self._core = core
        self._recency_years = recency_years
        self._cache = VersionedCache(fresh_wait=fresh_wait, keep=2, capacity=2)

    @property
    def builds(self) -> int:
        """How many indexes were built."""
        return self._cache.computed

    def view(self) -> Graph:
        return self._core.current()

    def index(self, *, stale: bool = True) -> tuple[int, MatchIndex]:
        """(version, index) for the store's current version, built at most once.

        With ``stale``, while the index of a version just written is being built, the
        previous version's is returned (for at most ``fresh_wait`` seconds' wait).
        """
        return self._index_of(self._core.current(), stale=stale)

    def _index_of(self, view: Graph, *, stale: bool = True) -> tuple[int, MatchIndex]:
        graph = view.data

        def build() -> MatchIndex:
            if self._recency_years is None:
                return MatchIndex(graph)
            return MatchIndex(graph, recency_years=self._recency_years)

        key, index = self._cache.get((view.version(), "match-index"), build, stale=stale)
        return key[0], index  # type: ignore[return-value]

    def match(
        self,
        need: Need,
        *,
        weights: MatchWeights | None = None,
        top: int = 10,
        lang: Language = "nl",
    ) -> dict[str, Any]:
        """Ranked candidates for a need, as plain data (see :meth:`MatchIndex.match`).

        ``need.org`` and ``need.team`` may name organisations by id, name or alias.
        """
        view = self._core.current()
        org = resolve_organisation(view, need.org, lang=lang) if need.org else None
        team = tuple(
            resolve_organisation(view, member, field="team", lang=lang) for member in need.team
        )
        resolved = replace(need, org=org, team=team)
        version, index = self._index_of(view)
        if version != view.version() and not _knows(index, resolved):
            version, index = self._index_of(view, stale=False)
        try:
            try:
                result = index.match(resolved, weights=weights, top=top, lang=lang)
            except MatchError:
                if version == view.version():
                    raise
                # a theme or place new since the previous version: wait for this one's
                version, index = self._index_of(view, stale=False)
                result = index.match(resolved, weights=weights, top=top, lang=lang)
        except MatchError as error:
            detail = f"{error.field}: {error.text(lang)}"
            if error.not_found:
                raise NotFoundError(detail) from error
            raise InvalidRequestError(detail) from error
        return {"version": version, "as_of": index.as_of.isoformat(), **asdict(result)}
