"""Read views the API serves: searched lists, links, filtered neighbourhoods, paths, subgraphs."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import pairwise
from typing import Any, Protocol

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from app.core import Graph
from app.core.paths import GraphPath
from app.errors import InvalidRequestError, NotFoundError
from app.services.matching import resolve_organisation
from app.store import NodeQuery
from graph_schema import (
    GraphData,
    HelixRole,
    Node,
    NodeLabel,
    Organisation,
    PlaceQuery,
    Provenance,
    Province,
    Region,
    Relationship,
    RelType,
)
from graph_schema.enums import ACTIVITY_KINDS
from graph_schema.i18n import Language, t

__all__ = [
    "GraphView",
    "Hop",
    "Link",
    "NodeRef",
    "PathView",
    "UnknownOrganisationError",
    "filter_view",
    "links_of",
    "organisation_id",
    "path_view",
]

ACTIVITIES = frozenset(ACTIVITY_KINDS)


class NodeRef(BaseModel):
    """Enough of a node to name it and fetch it."""

    id: str = Field(description="The node's id.", examples=["it-hub"])
    label: NodeLabel = Field(description="The kind of node.", examples=["Organisation"])
    name: str = Field(description="The node's name.", examples=["IT Hub"])

    @classmethod
    def of(cls, node: Node) -> NodeRef:
        return cls.model_construct(id=node.id, label=node.label, name=node.name)


class Link(BaseModel):
    """A relationship seen from one node: its kind, direction, the other end, its source."""

    type: RelType = Field(description="The kind of relationship.")
    direction: str = Field(
        description="out: this node is the source; in: the target.", examples=["out"]
    )
    role: str | None = Field(
        default=None, description="Its role, where the kind has one (lead, partner, member)."
    )
    node: NodeRef = Field(description="The node at the other end.")
    provenance: Provenance = Field(description="Where the relationship comes from.")


class GraphView(BaseModel):
    """Nodes and edges, shaped for a graph view; every property is kept."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nodes": [
                        {
                            "id": "bdrc",
                            "label": "Organisation",
                            "name": "BDRC",
                            "helix_role": "knowledge",
                            "org_type": "knowledge_institution",
                        },
                        {
                            "id": "action-dig-1",
                            "label": "Action",
                            "name": "BDRC en IT Hub",
                            "theme": "theme-digitalisering",
                            "what": "Samenwerking verkennen.",
                        },
                    ],
                    "edges": [
                        {
                            "source": "bdrc",
                            "target": "action-dig-1",
                            "type": "PARTNER_IN",
                            "provenance": {
                                "source": "agenda-gezondheidseconomie-drenthe-2021-2024",
                                "section": "Wat gaan we doen? – Digitalisering",
                                "quote": "IT-Hub, BDRC, Treant, UMCG, mkb",
                            },
                        },
                    ],
                    "truncated": False,
                }
            ]
        }
    )

    nodes: list[Node] = Field(
        description="The nodes, each with every property; `label` tells the kind."
    )
    edges: list[Relationship] = Field(
        description="The relationships among these nodes, each with its provenance."
    )
    truncated: bool = Field(
        default=False,
        description="The node cap was reached: the outer ring is incomplete.",
        examples=[False],
    )
    organisations_total: int | None = Field(
        default=None,
        description="Neighbourhoods: the organisations within `depth` hops, the centre "
        "included, shown or not (before `helix_role` and `theme`); null elsewhere.",
        examples=[2],
    )
    activities_total: int | None = Field(
        default=None,
        description="Neighbourhoods: the actions, projects and networks the hops go "
        "through, shown or not (before `helix_role` and `theme`); null elsewhere.",
        examples=[1],
    )
    organisations_shown: int | None = Field(
        default=None,
        description="Neighbourhoods: the organisations in `nodes`; null elsewhere.",
        examples=[2],
    )
    activities_shown: int | None = Field(
        default=None,
        description="Neighbourhoods: the actions, projects and networks in `nodes`; "
        "null elsewhere.",
        examples=[1],
    )


class Hop(BaseModel):
    """One step between two organisations and what links them: a step of a path, and of
    the introduction a partner match proposes."""

    # an answer always carries `relationships`: required in the description of responses
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    source: NodeRef = Field(description="The organisation the step starts from.")
    target: NodeRef = Field(description="The organisation the step reaches.")
    via: list[NodeRef] = Field(description="The action, project or network between them.")
    relationships: list[Relationship] = Field(
        default_factory=list,
        description="The relationships of the step, in order, with their provenance; "
        "empty in a partner match's introduction, which names the activities only.",
    )


def _ref(node_id: str, label: str, name: str) -> dict[str, str]:
    return {"id": node_id, "label": label, "name": name}


def _partner_in(org: str, action: str, quote: str) -> dict[str, Any]:
    return {
        "type": "PARTNER_IN",
        "source": org,
        "target": action,
        "provenance": {
            "source": "agenda-gezondheidseconomie-drenthe-2021-2024",
            "section": "Wat gaan we doen? – Digitalisering",
            "quote": quote,
        },
    }


_BDRC = _ref("bdrc", "Organisation", "Bethesda Diabetes Research Center")
_IT_HUB = _ref("it-hub", "Organisation", "IT Hub")
_KPN = _ref("kpn", "Organisation", "KPN")
_DIG_1 = _ref("action-dig-1", "Action", "Samenwerking onderzoek BDRC en IT Hub verkennen")
_DIG_3 = _ref("action-dig-3", "Action", "5G fieldlab smart systems verkennen")
# GET /api/v1/paths?from=bdrc&to=kpn on the seeded graph (a test keeps it so)
_PATH_EXAMPLE: dict[str, Any] = {
    "length": 4,
    "summary": "Bethesda Diabetes Research Center — IT Hub — KPN",
    "nodes": [_BDRC, _DIG_1, _IT_HUB, _DIG_3, _KPN],
    "hops": [
        {
            "source": _BDRC,
            "target": _IT_HUB,
            "via": [_DIG_1],
            "relationships": [
                _partner_in("bdrc", "action-dig-1", "IT-Hub, BDRC, Treant, UMCG"),
                _partner_in("it-hub", "action-dig-1", "IT-Hub, BDRC, Treant, UMCG"),
            ],
        },
        {
            "source": _IT_HUB,
            "target": _KPN,
            "via": [_DIG_3],
            "relationships": [
                _partner_in("it-hub", "action-dig-3", "IT-Hub, TechHub/TZA, Health Hub"),
                _partner_in("kpn", "action-dig-3", "Hub, KPN, HZD, mkb"),
            ],
        },
    ],
}


class PathView(BaseModel):
    """One shortest path between two organisations, told as hops between organisations."""

    model_config = ConfigDict(json_schema_extra={"examples": [_PATH_EXAMPLE]})

    length: int = Field(
        description="Relationships on the path; the organisation hops (the explorer's "
        "steps) are the entries of `hops`: bdrc → it-hub → kpn is 4 relationships and "
        "2 hops.",
        examples=[4],
    )
    summary: str = Field(
        description="The organisations on the path, by name.",
        examples=["Bethesda Diabetes Research Center — IT Hub — KPN"],
    )
    nodes: list[NodeRef] = Field(description="Every node on the path, from start to end.")
    hops: list[Hop] = Field(description="The path as steps from organisation to organisation.")


class _Readable(Protocol):
    def get_nodes(self, ids: Sequence[str]) -> dict[str, Node]: ...
    def edges_touching(self, ids: Sequence[str]) -> list[Relationship]: ...


def links_of(
    store: _Readable, node_id: str, labels: Collection[NodeLabel] | None = None
) -> list[Link]:
    """Every relationship of a node with the node at its other end (optionally of some kinds)."""
    rels = store.edges_touching([node_id])
    others = store.get_nodes(sorted({r.target if r.source == node_id else r.source for r in rels}))
    links = []
    for rel in rels:
        outgoing = rel.source == node_id
        other = others.get(rel.target if outgoing else rel.source)
        if other is None or (labels is not None and other.label not in labels):
            continue
        links.append(
            Link.model_construct(  # of records of the graph: valid already
                type=rel.type,
                direction="out" if outgoing else "in",
                role=rel.role,
                node=NodeRef.of(other),
                provenance=rel.provenance,
            )
        )
    return links


def _roles(node: Node) -> tuple[HelixRole, ...]:
    return node.helix_roles if isinstance(node, Organisation) else ()


def filter_view(
    graph: GraphData,
    *,
    keep: Collection[str] = (),
    helix_roles: Collection[HelixRole] | None = None,
    theme: str | None = None,
    labels: Collection[NodeLabel] | None = None,
    include_generic: bool = True,
    org_filter: NodeQuery | None = None,
    org_ids: Collection[str] | None = None,
) -> GraphView:
    """Narrow a graph for viewing.

    Organisations must have one of ``helix_roles`` (primary or secondary) and be among
    ``org_ids`` when given; with ``theme``, activities must address it; nodes of other
    ``labels`` are dropped; nodes in ``keep`` always stay. Edges between kept nodes stay,
    and nodes left without any edge are dropped (except those in ``keep``).
    """
    addressed = {
        r.source for r in graph.relationships if r.type is RelType.ADDRESSES and r.target == theme
    }
    kept: dict[str, Node] = {}
    for node in graph.nodes:
        if node.id in keep:
            kept[node.id] = node
            continue
        if labels is not None and node.label not in labels:
            continue
        if isinstance(node, Organisation):
            if node.generic and not include_generic:
                continue
            if helix_roles and not set(_roles(node)) & set(helix_roles):
                continue
            if org_ids is not None and node.id not in org_ids:
                continue
        elif theme is not None and node.label in ACTIVITIES and node.id not in addressed:
            continue
        kept[node.id] = node
    edges = [r for r in graph.relationships if r.source in kept and r.target in kept]
    linked = {r.source for r in edges} | {r.target for r in edges} | set(keep)
    nodes = [n for n in kept.values() if n.id in linked]
    # of records of the graph, valid already: validating a neighbourhood's hundreds of nodes
    # and edges again would cost more than finding them
    return GraphView.model_construct(nodes=sorted(nodes, key=lambda n: n.id), edges=edges)


class UnknownOrganisationError(InvalidRequestError):
    """A parameter names no organisation; ``suggestions`` are the closest names."""

    def __init__(self, detail: str, suggestions: Sequence[str]) -> None:
        super().__init__(detail)
        self.suggestions = list(suggestions)


def organisation_id(view: Graph, text: str, *, field: str, lang: Language) -> str:
    """The id of the organisation ``text`` names (an id, a name or an alias), resolved as
    matching resolves it.

    Raises
    ------
    UnknownOrganisationError
        Nothing carries that id, name or alias: the detail (in ``lang``) says which
        parameter and text, and the closest names by the same search.
    InvalidRequestError
        Several organisations carry that name or alias.
    """
    try:
        return resolve_organisation(view, text, field=field)
    except NotFoundError as error:
        hits = view.names.suggest(text.strip(), labels={str(NodeLabel.ORGANISATION)}, limit=5)
        names = [f"{hit.entry.name} ({hit.entry.id})" for hit in hits]
        detail = t(lang, "error.organisation.unknown", field=field, text=f"'{text.strip()}'")
        if names:
            detail += t(lang, "error.organisation.closest", names="; ".join(names))
        raise UnknownOrganisationError(detail, names) from error


def path_view(path: GraphPath) -> PathView:
    """A path as hops between organisations, each naming what links them."""
    nodes = list(path.nodes)
    org_positions = [i for i, n in enumerate(nodes) if isinstance(n, Organisation)]
    if not org_positions or org_positions[0] != 0:
        org_positions = [0, *org_positions]
    if org_positions[-1] != len(nodes) - 1:
        org_positions.append(len(nodes) - 1)
    hops = [
        Hop.model_construct(  # of records of the graph: valid already
            source=NodeRef.of(nodes[a]),
            target=NodeRef.of(nodes[b]),
            via=[NodeRef.of(n) for n in nodes[a + 1 : b]],
            relationships=list(path.relationships[a:b]),
        )
        for a, b in pairwise(org_positions)
    ]
    summary = " — ".join(nodes[i].name for i in org_positions)
    return PathView.model_construct(
        length=len(path.relationships),
        summary=summary,
        nodes=[NodeRef.of(n) for n in nodes],
        hops=hops,
    )


class NetworkNode(BaseModel):
    """An organisation in the collaboration network."""

    id: str = Field(description="The organisation's id.", examples=["it-hub"])
    name: str = Field(description="The organisation's name.", examples=["IT Hub"])
    helix_role: HelixRole = Field(description="Primary helix role.", examples=["industry"])
    helix_roles: list[HelixRole] = Field(
        description="Every helix role it holds, the primary one first.", examples=[["industry"]]
    )
    org_type: str = Field(description="Organisation type.", examples=["company"])
    place: str | None = Field(
        description="Town of its seat; null when not known.", examples=["Hoogeveen"]
    )
    province: Province | None = Field(
        default=None, description="Province of its seat; null when not known.", examples=["Drenthe"]
    )
    region: Region | None = Field(
        default=None,
        description="Region of its seat (Noord-Nederland, Nedersaksen, …); null when not known.",
        examples=["Noord-Nederland"],
    )
    generic: bool = Field(
        description="A placeholder group such as 'mkb' rather than one organisation.",
        examples=[False],
    )
    degree: int = Field(description="Partners in the shown network.", examples=[18])
    strength: float = Field(description="Sum of the tie weights.", examples=[4.2])


class NetworkEdge(BaseModel):
    """A tie: two organisations that share at least one activity."""

    source: str = Field(description="One organisation's id (the smaller).", examples=["it-hub"])
    target: str = Field(description="The other organisation's id.", examples=["bdrc"])
    weight: float = Field(
        description="Newman weight: Σ 1/(n-1) over shared activities.", examples=[0.5]
    )
    activities: list[str] = Field(
        description="Ids of the actions, projects and networks they share.",
        examples=[["action-dig-3"]],
    )


class NetworkView(BaseModel):
    """The collaboration network of organisations: who works with whom, through what."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 1,
                    "total": 69,
                    "shown": 1,
                    "truncated": False,
                    "edges_total": 0,
                    "nodes": [
                        {
                            "id": "it-hub",
                            "name": "IT Hub",
                            "helix_role": "industry",
                            "helix_roles": ["industry"],
                            "org_type": "company",
                            "place": "Hoogeveen",
                            "province": "Drenthe",
                            "region": "Noord-Nederland",
                            "generic": False,
                            "degree": 0,
                            "strength": 0.0,
                        }
                    ],
                    "edges": [],
                }
            ]
        }
    )

    version: int = Field(description="The graph version the network was computed from.")
    total: int = Field(description="Organisations matching the filters.")
    shown: int = Field(description="Organisations in this answer (the strongest first).")
    truncated: bool = Field(description="More organisations match than are shown.")
    edges_total: int = Field(description="Ties among the organisations shown.")
    nodes: list[NetworkNode] = Field(description="The organisations shown, by id.")
    edges: list[NetworkEdge] = Field(description="The strongest ties, at most max_edges.")


def network_view(
    version: int,
    graph: nx.Graph,
    *,
    helix_roles: Collection[HelixRole] | None = None,
    org_type: str | None = None,
    place: str | None = None,
    province: Province | None = None,
    region: Region | None = None,
    max_nodes: int = 5000,
    max_edges: int = 1_000_000,
) -> NetworkView:
    """Organisations of a collaboration graph that match the filters, with their ties.

    ``place`` matches the town, province or region it names (as the stores' place
    filter does); ``province`` and ``region`` match those alone.

    Over ``max_nodes`` matches, the organisations with the strongest ties are kept, and
    over ``max_edges`` ties among them, the strongest ties, so a large graph opens on
    its core rather than freezing a browser.
    """
    wanted_roles = {str(r) for r in helix_roles or ()}
    wanted_place = PlaceQuery.of(place) if place else None
    kept = [
        node
        for node, data in graph.nodes(data=True)
        if (not wanted_roles or wanted_roles & set(data["helix_roles"]))
        and (org_type is None or data["org_type"] == org_type)
        and (
            wanted_place is None
            or wanted_place.matches(data["place"], data["province"], data["region"])
        )
        and (province is None or data["province"] == province)
        and (region is None or data["region"] == region)
    ]
    sub = graph if len(kept) == graph.number_of_nodes() else graph.subgraph(kept)
    strength = dict(sub.degree(weight="weight"))
    chosen = sorted(kept, key=lambda n: (-strength[n], n))[:max_nodes]
    shown = graph.subgraph(chosen)
    nodes = []
    for node in sorted(chosen):
        data = graph.nodes[node]
        nodes.append(
            NetworkNode(
                id=node,
                name=data["name"],
                helix_role=data["helix_role"],
                helix_roles=list(data["helix_roles"]),
                org_type=data["org_type"],
                place=data["place"],
                province=data["province"],
                region=data["region"],
                generic=data["generic"],
                degree=shown.degree(node),
                strength=round(shown.degree(node, weight="weight"), 6),
            )
        )
    ties = sorted(
        ((min(a, b), max(a, b), d) for a, b, d in shown.edges(data=True)),
        key=lambda e: (-e[2]["weight"], e[0], e[1]),
    )
    strongest = sorted(ties[:max_edges], key=lambda e: (e[0], e[1]))
    edges = [
        NetworkEdge(source=a, target=b, weight=round(d["weight"], 6), activities=d["activities"])
        for a, b, d in strongest
    ]
    return NetworkView(
        version=version,
        total=len(kept),
        shown=len(chosen),
        truncated=len(chosen) < len(kept),
        edges_total=len(ties),
        nodes=nodes,
        edges=edges,
    )
