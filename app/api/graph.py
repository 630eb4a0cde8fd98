"""Graph queries: neighbourhoods, paths between organisations, subgraphs for a graph view."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from app.api.analytics import ServiceDep as AnalyticsDep
from app.api.answers import NOT_MODIFIED, versioned_answer
from app.api.deps import LangDep, ViewDep
from app.api.organisations import PlaceFilter, ProvinceFilter, RegionFilter
from app.api.resources import ThemeId
from app.api.schemas import problem_doc, problem_example
from app.api.security import ReadAccess
from app.core.listing import list_nodes
from app.core.neighbourhood import organisation_neighbourhood
from app.core.paths import shortest_paths
from app.services.analytics import Options
from app.services.views import (
    GraphView,
    NetworkView,
    PathView,
    filter_view,
    organisation_id,
    path_view,
)
from app.store import NodeQuery
from graph_schema import HelixRole, NodeLabel, OrgType, RelType
from graph_schema.enums import COLLABORATION_LINKS
from graph_schema.models import ID_PATTERN

router = APIRouter(prefix="/api/v1", tags=["graph"])


HelixRoles = Annotated[
    list[HelixRole] | None,
    Query(description="Keep organisations with one of these roles (primary or secondary)."),
]
LinkKinds = Annotated[
    list[RelType] | None,
    Query(
        description="Follow only these kinds of relationship (default: every link through "
        "which organisations work together: PARTNER_IN, PARTICIPATES_IN, MEMBER_OF, PART_OF, "
        "SUCCESSOR_OF, RUNS, JOINT_VENTURE_OF, SUPPORTS; not shared themes, funds or SDGs)."
    ),
]
_NAMES = (
    "An id, a name or an alias, as matching takes them (`bdrc`, `Bethesda Diabetes Research "
    "Center`, `BDRC`); one that names no organisation is a 422 listing the similar names, "
    "when there are any."
)
OrgPath = Annotated[
    str, Path(min_length=1, max_length=200, description=f"The organisation. {_NAMES}")
]
IncludeGeneric = Annotated[
    bool, Query(description="Include placeholder groups such as 'mkb' or 'gemeenten'.")
]


def _unknown(field: str, instance: str) -> dict[str, Any]:
    """The problem for a name like ``KPM`` that names no organisation (as the service
    words it on the seeded graph)."""
    return problem_example(
        422,
        "Ongeldig verzoek",
        f"{field}: geen organisatie heeft id, naam of alias 'KPM'; dichtstbij: KPN (kpn)",
        instance,
        suggestions=["KPN (kpn)"],
    )


@router.get(
    "/organisations/{node_id}/neighbourhood",
    summary="The partners of an organisation, 1 to 3 organisation hops deep",
    response_model=GraphView,
    responses={
        **NOT_MODIFIED,
        422: problem_doc(
            "Invalid parameters, or a name that names no organisation (with the similar "
            "names, when there are any).",
            _unknown("node_id", "/api/v1/organisations/KPM/neighbourhood"),
        ),
    },
)
async def get_neighbourhood(
    view: ViewDep,
    _: ReadAccess,
    lang: LangDep,
    request: Request,
    node_id: OrgPath,
    depth: Annotated[
        int,
        Query(
            ge=1,
            le=3,
            description="Organisation hops, as the explorer's steps: 1 gives the partners "
            "(the organisations sharing an action, project or network with it, or linked to "
            "it directly), 2 also their partners, 3 one ring further.",
        ),
    ] = 1,
    helix_role: HelixRoles = None,
    theme: ThemeId = None,
    link: LinkKinds = None,
    include_generic: IncludeGeneric = False,
    max_nodes: Annotated[
        int | None,
        Query(
            ge=1,
            le=5000,
            description="The budget: at most this many nodes, the strongest ties first "
            "(then `truncated`; the totals count what was left out). By default 2000 at "
            "depth 1 and 200 at depth 2 and 3, where a large organisation reaches most of "
            "the graph and 2000 nodes would make an answer of some 2 MB.",
        ),
    ] = None,
) -> Response:
    """The organisations within `depth` hops of the organisation, the actions, projects
    and networks the hops go through, and the relationships among them. One hop leads
    from an organisation to its partners: the other organisations of an action, project
    or network it takes part in, and the organisations it is linked to directly. At most
    `max_nodes` nodes, nearest hop first; in the hop that does not fit, the
    organisations with the strongest ties first (the most activities shared with the
    organisations one hop nearer, plus direct links), each with an activity that links
    it, and `truncated` is true. `organisations_total` and `activities_total` count all
    within `depth`, `organisations_shown` and `activities_shown` those in the answer.
    Then filtered: `helix_role` keeps organisations with that role (primary or
    secondary), `theme` keeps activities on that theme; nodes left unlinked are
    dropped. The answer carries an ETag; it is made once per graph version and kept
    for the same request until the next write."""

    reads: set[str] = set()

    def make() -> GraphView:
        org = organisation_id(view, node_id, field="node_id", lang=lang)
        found = organisation_neighbourhood(
            view,
            org,
            hops=depth,
            rel_types=link,
            include_generic=include_generic,
            max_nodes=max_nodes,
        )
        reads.update(node.id for node in found.graph.nodes)  # before the filters
        shown = filter_view(found.graph, keep=[org], helix_roles=helix_role, theme=theme)
        orgs = sum(1 for node in shown.nodes if node.label is NodeLabel.ORGANISATION)
        return shown.model_copy(
            update={
                "truncated": found.truncated,
                "organisations_total": found.organisations,
                "activities_total": found.activities,
                "organisations_shown": orgs,
                "activities_shown": len(shown.nodes) - orgs,
            }
        )

    return versioned_answer(view, request, make, reads=reads)


@router.get(
    "/paths",
    summary="Shortest paths between two organisations",
    response_model=list[PathView],
    responses={
        **NOT_MODIFIED,
        422: problem_doc(
            "Invalid parameters, or a name that names no organisation (with the similar "
            "names, when there are any).",
            _unknown("to", "/api/v1/paths"),
        ),
    },
)
async def find_paths(
    view: ViewDep,
    _: ReadAccess,
    lang: LangDep,
    request: Request,
    source: Annotated[
        str,
        Query(alias="from", min_length=1, max_length=200, description=f"Where from. {_NAMES}"),
    ],
    target: Annotated[
        str, Query(alias="to", min_length=1, max_length=200, description=f"Where to. {_NAMES}")
    ],
    max_depth: Annotated[
        int, Query(ge=1, le=8, description="At most this many relationships on a path.")
    ] = 6,
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many paths.")] = 10,
    link: LinkKinds = None,
    include_generic: IncludeGeneric = False,
) -> Response:
    """All shortest chains of relationships from `from` to `to` (at most `limit`); each hop
    between two organisations names the action, project or network that links them.
    By default only links through which organisations work together are followed (not
    shared themes or funds). An empty list: no path within `max_depth` relationships.
    The answer carries an ETag and is kept for the same request until the next write."""

    reads: set[str] = set()

    def make() -> list[PathView]:
        ends = (
            organisation_id(view, source, field="from", lang=lang),
            organisation_id(view, target, field="to", lang=lang),
        )
        found = shortest_paths(
            view,
            *ends,
            max_depth=max_depth,
            limit=limit,
            rel_types=link or COLLABORATION_LINKS,
            include_generic=include_generic,
        )
        reads.update(ends)
        reads.update(node.id for path in found for node in path.nodes)
        return [path_view(path) for path in found]

    return versioned_answer(view, request, make, reads=reads)


@router.get("/subgraph", summary="A filtered part of the graph for a graph view")
def get_subgraph(
    view: ViewDep,
    _: ReadAccess,
    helix_role: HelixRoles = None,
    org_type: Annotated[OrgType | None, Query(description="Organisation type.")] = None,
    theme: ThemeId = None,
    place: PlaceFilter = None,
    province: ProvinceFilter = None,
    region: RegionFilter = None,
    kind: Annotated[
        list[NodeLabel] | None, Query(description="Kinds of node to include (default: all).")
    ] = None,
    include_generic: IncludeGeneric = False,
) -> GraphView:
    """Organisations matching the filters, the actions, projects and networks they share
    (on `theme`, when given) and the other kinds asked for, with the relationships among
    them; nodes left without a relationship are dropped."""
    graph = view.data
    org_ids = None
    query = NodeQuery(
        org_type=org_type,
        place=place,
        province=province,
        region=region,
        theme=theme,
        limit=1_000_000,
    )
    if query != NodeQuery(limit=1_000_000):
        org_ids = {node.id for node in list_nodes(view, query).items}
    return filter_view(
        graph,
        helix_roles=helix_role,
        theme=theme,
        labels=kind,
        include_generic=include_generic,
        org_ids=org_ids,
    )


ActivityKind = Literal[NodeLabel.ACTION, NodeLabel.PROJECT, NodeLabel.NETWORK]


@router.get("/network", summary="The collaboration network of organisations, filtered")
def get_collaboration_network(
    _: ReadAccess,
    analytics: AnalyticsDep,
    helix_role: HelixRoles = None,
    org_type: Annotated[OrgType | None, Query(description="Organisation type.")] = None,
    theme: Annotated[
        list[Annotated[str, Query(pattern=ID_PATTERN, max_length=120)]] | None,
        Query(description="Ties only through activities on these themes."),
    ] = None,
    place: PlaceFilter = None,
    province: ProvinceFilter = None,
    region: RegionFilter = None,
    kind: Annotated[
        list[ActivityKind] | None,
        Query(description="Ties only through these kinds of activity (default: all three)."),
    ] = None,
    include_generic: IncludeGeneric = False,
    max_nodes: Annotated[
        int, Query(ge=1, le=100_000, description="At most this many organisations.")
    ] = 5000,
    max_edges: Annotated[
        int, Query(ge=0, le=10_000_000, description="At most this many ties, the strongest.")
    ] = 1_000_000,
) -> NetworkView:
    """Organisations matching the filters and the ties between them: two organisations
    are tied when they share an action, project or network (of the kinds and themes
    asked for), weighted 1/(n−1) per shared activity of n participants, with the
    activities listed. `total` counts every matching organisation; over `max_nodes`, the
    ones with the strongest ties are shown (`truncated`), and over `max_edges` ties among
    them the strongest (`edges_total` counts them all). Computed once per graph version
    and filters. The graph view of the explorer."""
    options = Options(
        include_generic=include_generic,
        themes=frozenset(theme) if theme else None,
        kinds=frozenset(kind) if kind else None,
    )
    return analytics.network(
        options,
        helix_roles=tuple(sorted(helix_role or ())),
        org_type=str(org_type) if org_type else None,
        place=place,
        province=province,
        region=region,
        max_nodes=max_nodes,
        max_edges=max_edges,
    )
