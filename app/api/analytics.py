"""Analytics: brokers, gaps in the cross-overs, communities and KPIs, once per graph version.

Every analysis runs on the subgraph the filters give (theme, kind of activity, helix role,
organisation type, place), is computed once per graph version and filters, and is worded
per request in the language asked for (`lang`, else Accept-Language, else Dutch).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from app.api.analytics_schemas import (
    BrokersAnswer,
    CommunitiesAnswer,
    CompareAnswer,
    GapsAnswer,
    KpisAnswer,
    MissingRolesPage,
)
from app.api.deps import LangDep
from app.api.organisations import ProvinceFilter, RegionFilter
from app.api.security import ReadAccess
from app.services.analytics import AnalyticsService, Options
from graph_schema import HelixRole, NodeLabel, OrgType
from graph_schema.models import ID_PATTERN

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])


def get_service(request: Request) -> AnalyticsService:
    service: AnalyticsService = request.app.state.analytics
    return service


ServiceDep = Annotated[AnalyticsService, Depends(get_service)]
ActivityKind = Literal[NodeLabel.ACTION, NodeLabel.PROJECT, NodeLabel.NETWORK]


def get_options(
    include_generic: Annotated[
        bool, Query(description="Count placeholder groups such as 'mkb' as organisations.")
    ] = False,
    theme: Annotated[
        list[Annotated[str, Query(pattern=ID_PATTERN, max_length=120)]] | None,
        Query(
            description="Use only actions, projects and networks on these themes, and the "
            "organisations active in them."
        ),
    ] = None,
    kind: Annotated[
        list[ActivityKind] | None,
        Query(
            description="Use only these kinds of activity (default: all three), and the "
            "organisations active in them."
        ),
    ] = None,
    helix_role: Annotated[
        list[HelixRole] | None,
        Query(
            description="Use only organisations holding one of these helix roles (primary "
            "or secondary) and the ties among them."
        ),
    ] = None,
    org_type: Annotated[
        list[OrgType] | None,
        Query(description="Use only organisations of these types and the ties among them."),
    ] = None,
    place: Annotated[
        list[Annotated[str, Query(min_length=1, max_length=100)]] | None,
        Query(
            description="Use only organisations in one of these places — a town, or a "
            "province or region it lies in ('Emmen', 'Drenthe', 'Noord-Nederland') — and "
            "the ties among them."
        ),
    ] = None,
    province: ProvinceFilter = None,
    region: RegionFilter = None,
) -> Options:
    return Options(
        include_generic=include_generic,
        themes=frozenset(theme) if theme else None,
        kinds=frozenset(kind) if kind else None,
        helix_roles=frozenset(str(r) for r in helix_role) if helix_role else None,
        org_types=frozenset(str(o) for o in org_type) if org_type else None,
        places=frozenset(place) if place else None,
        provinces=None if province is None else frozenset({str(province)}),
        regions=None if region is None else frozenset({str(region)}),
    )


OptionsDep = Annotated[Options, Depends(get_options)]
MissingRole = Annotated[
    HelixRole | None,
    Query(
        description="Only activities lacking this helix role, or holding it only through "
        "generic groups such as 'mkb' (`generic_only`): `missing_role=industry` is the "
        "list 'zonder bedrijfsleven'."
    ),
]


@router.get(
    "/brokers", summary="Who holds the network together, ranked, with reasons", name="brokers"
)
def brokers(
    _: ReadAccess,
    service: ServiceDep,
    options: OptionsDep,
    lang: LangDep,
    top: Annotated[int | None, Query(ge=1, le=100_000, description="Keep the best N.")] = None,
) -> BrokersAnswer:
    """Per organisation of the filtered subgraph: betweenness over the strongest ties,
    Burt's constraint and effective size, Gould–Fernandez brokerage roles between helix
    groups with z-scores, whether its departure would split the network and whom it would
    cut off, a combined rank and a one-sentence reason; and the bridges of the network."""
    return BrokersAnswer.model_validate(service.brokers(options, top=top, lang=lang))


@router.get("/gaps", summary="Gaps in the cross-overs between themes and helix groups", name="gaps")
def gaps(
    _: ReadAccess,
    service: ServiceDep,
    options: OptionsDep,
    lang: LangDep,
    missing_role: MissingRole = None,
) -> GapsAnswer:
    """Theme × theme cross-overs observed against what the themes' sizes lead one to expect
    (weakest first, with the organisations and activities behind each); the helix × helix
    matrix of ties with density and E–I index; per action, project, network and theme the
    helix roles present and missing, and the roles only generic groups such as 'mkb' bring;
    and community pairs with few or no bridges, with the organisations best placed to
    bridge them."""
    answer = service.gaps(options, missing_role=_role(missing_role), lang=lang)
    return GapsAnswer.model_validate(answer)


@router.get(
    "/gaps/missing-roles",
    summary="Activities lacking a helix role, paged",
    name="missing_roles",
)
def missing_roles(
    _: ReadAccess,
    service: ServiceDep,
    options: OptionsDep,
    lang: LangDep,
    missing_role: MissingRole = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Rows to return.")] = 100,
) -> MissingRolesPage:
    """Every action, project and network of the filtered subgraph that lacks one of the
    four helix roles — or whose only industry partners are generic groups such as 'mkb' —
    with the roles missing and present, the generic groups, and a finding; judged on all
    partners of each activity. `total` counts them all; follow `has_more` with `offset`."""
    answer = service.missing_roles(
        options, missing_role=_role(missing_role), offset=offset, limit=limit, lang=lang
    )
    return MissingRolesPage.model_validate(answer)


@router.get("/communities", summary="Communities of the collaboration network", name="communities")
def communities(
    _: ReadAccess,
    service: ServiceDep,
    options: OptionsDep,
    lang: LangDep,
    method: Annotated[
        Literal["louvain", "leiden"],
        Query(
            description="`louvain` (the default) or `leiden`, which guarantees that every "
            "community is connected."
        ),
    ] = "louvain",
    seed: Annotated[
        int,
        Query(
            ge=0,
            le=2**31 - 1,
            description="Seed of the random order the method visits organisations in: the "
            "same graph, filters and seed give the same communities.",
        ),
    ] = 0,
) -> CommunitiesAnswer:
    """Louvain or Leiden communities (seeded, reproducible) of the filtered subgraph, with
    modularity; each community with its members, dominant themes, helix mix, a label and a
    description."""
    answer = service.communities(options, method=method, seed=seed, lang=lang)
    return CommunitiesAnswer.model_validate(answer)


@router.get("/kpis", summary="The agenda's cooperation KPIs", name="kpis")
def kpis(_: ReadAccess, service: ServiceDep, options: OptionsDep, lang: LangDep) -> KpisAnswer:
    """Of the filtered subgraph: organisations, density, average degree, share of
    cross-helix ties, companies per action and per theme, and the share of actions with
    all four helix roles at the table; with a label per indicator."""
    return KpisAnswer.model_validate(service.kpis(options, lang=lang))


@router.get("/compare", summary="What changed since an earlier graph version", name="compare")
def compare(
    _: ReadAccess,
    service: ServiceDep,
    options: OptionsDep,
    lang: LangDep,
    since: Annotated[int, Query(ge=0, le=2**63 - 1, description="An analysed version.")],
) -> CompareAnswer:
    """New and lost ties and organisations, broker turnover, theme cross-overs gained and
    lost, and the change in density and cross-helix share, between an earlier version that
    this service analysed (see `analysed_versions` in the KPIs) and the current one."""
    return CompareAnswer.model_validate(service.compare(since, options, lang=lang))


def _role(role: HelixRole | None) -> str | None:
    return None if role is None else str(role)
