"""Analytics: brokers, gaps in the cross-overs, communities and KPIs, once per graph version."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from app.api.deps import StoreDep
from app.api.security import ReadAccess
from app.services.analytics import AnalyticsService, Options
from graph_schema.models import ID_PATTERN

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])


def get_service(request: Request) -> AnalyticsService:
    service: AnalyticsService = request.app.state.analytics
    return service


ServiceDep = Annotated[AnalyticsService, Depends(get_service)]


def get_options(
    include_generic: Annotated[
        bool, Query(description="Count placeholder groups such as 'mkb' as organisations.")
    ] = False,
    theme: Annotated[
        list[Annotated[str, Query(pattern=ID_PATTERN, max_length=120)]] | None,
        Query(description="Use only actions, projects and networks on these themes."),
    ] = None,
) -> Options:
    return Options(include_generic=include_generic, themes=frozenset(theme) if theme else None)


OptionsDep = Annotated[Options, Depends(get_options)]
Result = dict[str, Any]


@router.get("/brokers", summary="Who holds the network together, ranked, with reasons")
def brokers(
    store: StoreDep,
    _: ReadAccess,
    service: ServiceDep,
    options: OptionsDep,
    top: Annotated[int | None, Query(ge=1, le=100_000, description="Keep the best N.")] = None,
) -> Result:
    """Per organisation: betweenness over the strongest ties, Burt's constraint and
    effective size, Gould–Fernandez brokerage roles between helix groups with z-scores,
    whether its departure would split the network and whom it would cut off, a combined
    rank and a one-sentence reason; and the bridges of the network."""
    return service.brokers(store, options, top=top)


@router.get("/gaps", summary="Gaps in the cross-overs between themes and helix groups")
def gaps(store: StoreDep, _: ReadAccess, service: ServiceDep, options: OptionsDep) -> Result:
    """Theme × theme cross-overs observed against what the themes' sizes lead one to expect
    (weakest first, with the organisations and activities behind each); the helix × helix
    matrix of ties with density and E–I index; per action, project, network and theme the
    helix roles that are missing; and community pairs with few or no bridges, with the
    organisations best placed to bridge them."""
    return service.gaps(store, options)


@router.get("/communities", summary="Communities of the collaboration network")
def communities(
    store: StoreDep,
    _: ReadAccess,
    service: ServiceDep,
    options: OptionsDep,
    method: Literal["louvain", "leiden"] = "louvain",
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> Result:
    """Louvain or Leiden communities (seeded, reproducible) with modularity; each community
    with its members, dominant themes and helix mix."""
    return service.communities(store, options, method=method, seed=seed)


@router.get("/kpis", summary="The agenda's cooperation KPIs")
def kpis(store: StoreDep, _: ReadAccess, service: ServiceDep, options: OptionsDep) -> Result:
    """Density, average degree, share of cross-helix ties, companies per action and per
    theme, and the share of actions with all four helix roles at the table."""
    return service.kpis(store, options)


@router.get("/compare", summary="What changed since an earlier graph version")
def compare(
    store: StoreDep,
    _: ReadAccess,
    service: ServiceDep,
    options: OptionsDep,
    since: Annotated[int, Query(ge=0, le=2**63 - 1, description="An analysed version.")],
) -> Result:
    """New and lost ties and organisations, broker turnover, theme cross-overs gained and
    lost, and the change in density and cross-helix share, between an earlier version that
    this service analysed (see `versions` in the KPIs) and the current one."""
    return service.compare(store, since, options)
