"""The answers of the analytics routes, typed and described for the OpenAPI document."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from graph_schema import HelixRole

__all__ = [
    "BrokerRow",
    "BrokersAnswer",
    "CommunitiesAnswer",
    "CompareAnswer",
    "Filters",
    "GapsAnswer",
    "KpisAnswer",
    "MissingRoleRow",
    "MissingRolesPage",
]

Version = Annotated[int, Field(description="The graph version the result describes.")]
Names = Annotated[
    dict[str, str],
    Field(
        description="Names of the themes, activities and organisations the result refers "
        "to by id, as the agenda writes them."
    ),
]


class Named(BaseModel):
    """A filter value and its name in the answer's language (themes: the agenda's name)."""

    id: str = Field(examples=["theme-digitalisering"])
    name: str = Field(examples=["Digitalisering"])


class Filters(BaseModel):
    """The filters the result was computed with, named, with a caption for a page."""

    model_config = ConfigDict(extra="allow")

    theme: list[Named] = Field(description="Themes the activities were limited to.")
    helix_role: list[Named] = Field(description="Helix roles the organisations were limited to.")
    org_type: list[Named] = Field(description="Organisation types kept.")
    place: list[str] = Field(description="Places (towns, provinces or regions) kept.")
    kind: list[Named] = Field(description="Kinds of activity kept.")
    include_generic: bool = Field(description="Whether groups such as 'mkb' counted.")
    missing_role: HelixRole | None = Field(
        default=None, description="The missing-roles list was limited to this role."
    )
    caption: str = Field(
        description="The filters in one line, for a caption: 'Thema: Digitalisering · Rol: "
        "Bedrijfsleven', or 'Hele netwerk, geen filter'.",
        examples=["Thema: Digitalisering"],
    )


# --------------------------------------------------------------------------- brokers


class ReasonFacts(BaseModel):
    """The facts behind a broker's reason, free of language."""

    code: str = Field(description="'isolated', 'works_with' (one helix group) or 'links'.")
    partners: dict[str, int] = Field(
        description="Partners per helix role ('other' without one), most numerous first."
    )
    themes: list[str] = Field(description="Up to two themes its ties share most (ids).")
    open_pairs: int = Field(description="Pairs of its partners that do not work together.")
    cut_off: int = Field(description="Organisations its departure would cut off.")


class CutOffPiece(BaseModel):
    """A piece of the network an organisation's departure would cut off."""

    size: int = Field(description="Organisations in the piece.")
    members: list[str] = Field(description="Up to ten of their ids.")


class BrokerRow(BaseModel):
    """One organisation of the broker ranking."""

    id: str = Field(examples=["provincie-drenthe"])
    name: str = Field(examples=["Provincie Drenthe"])
    helix_role: str | None = Field(description="Primary helix role.", examples=["government"])
    degree: int = Field(description="Number of partners in the subgraph.")
    betweenness: float = Field(
        description="Share of strongest-tie shortest paths running through it (normalised)."
    )
    constraint: float | None = Field(
        description="Burt's constraint: low means partners that are not tied to each other; "
        "none without partners."
    )
    effective_size: float | None = Field(
        description="Burt's effective size: non-redundant partners; none without partners."
    )
    brokerage: dict[str, int] = Field(
        description="Gould–Fernandez brokered pairs per role (coordinator, itinerant, "
        "representative, gatekeeper, liaison) and 'total'."
    )
    brokerage_z: dict[str, float | None] = Field(
        description="Z-score of each brokerage count against shuffled helix labels."
    )
    is_articulation_point: bool = Field(description="Its departure splits the network.")
    cut_off: int = Field(description="Organisations its departure would cut off.")
    cut_off_pieces: list[CutOffPiece]
    score: float = Field(
        description="Composite score: mean of four percentiles, plus 0.1 for an articulation point."
    )
    score_parts: dict[str, float] = Field(description="The percentiles and the bonus.")
    rank: int = Field(description="1 for the highest score.")
    reason: str = Field(
        description="Why, in one sentence in the answer's language.",
        examples=[
            "Provincie Drenthe verbindt 12 overheidsorganisaties met 10 kennisinstellingen, …"
        ],
    )
    reason_facts: ReasonFacts


class BridgeTie(BaseModel):
    """A tie whose removal splits the network."""

    u: str
    v: str
    u_side: int = Field(description="Size of the piece holding u.")
    v_side: int = Field(description="Size of the piece holding v.")


class BrokersAnswer(BaseModel):
    """Who holds the (filtered) network together."""

    version: Version
    filters: Filters
    names: Names
    rows: list[BrokerRow] = Field(description="By rank.")
    bridges: list[BridgeTie]
    nodes: int = Field(description="Organisations in the subgraph.")
    edges: int = Field(description="Ties in the subgraph.")
    engine: str
    betweenness_sources: int | None = Field(description="Sampled sources; none when exact.")
    seed: int | None
    effective_size_weighted: bool
    group: str = Field(description="The attribute whose values are the brokerage groups.")


# --------------------------------------------------------------------------- gaps


class MissingRoleRow(BaseModel):
    """Which helix roles an activity (or a theme) brings together, and which it lacks."""

    id: str = Field(examples=["action-dig-2"])
    kind: str = Field(description="Action, Project, Network or Theme.", examples=["Action"])
    kind_name: str = Field(description="The kind in the answer's language.", examples=["Actie"])
    name: str = Field(examples=["BDRC ontwikkelen en positioneren"])
    organisations: int = Field(description="Organisations taking part (generic groups too).")
    activities: int = Field(description="1 for an activity; a theme's activities.")
    present: list[HelixRole] = Field(description="Helix roles present, in helix order.")
    missing: list[HelixRole] = Field(description="Helix roles missing, in helix order.")
    present_names: list[str] = Field(description="The present roles in the answer's language.")
    missing_names: list[str] = Field(description="The missing roles in the answer's language.")
    role_counts: dict[str, int] = Field(
        description="Per role, organisations holding it (primary or secondary)."
    )
    generic_only: list[HelixRole] = Field(
        description="Roles present only through generic groups such as 'mkb'."
    )
    generic_groups: dict[str, list[str]] = Field(
        description="For each of those roles, the names of the generic groups.",
        examples=[{"industry": ["mkb"]}],
    )
    weak_industry: bool = Field(
        description="The only industry partners are generic groups such as 'mkb': weak "
        "industry presence."
    )
    finding: str = Field(
        description="The result in one sentence, in the answer's language.",
        examples=[
            "Actie ‘BDRC ontwikkelen en positioneren’ heeft geen partner uit de overheid; "
            "uit het bedrijfsleven alleen de algemene groep ‘mkb’."
        ],
    )


class MissingRolesPage(BaseModel):
    """One page of the activities lacking a helix role."""

    version: Version
    filters: Filters
    names: Names
    total: int = Field(description="Activities in the whole list.")
    offset: int
    limit: int
    has_more: bool = Field(description="More rows follow: ask again with offset + limit.")
    count_generic: bool = Field(description="Generic groups count as a role being present.")
    missing_counts: dict[str, int] = Field(description="Per role, activities lacking it.")
    weak_industry: int = Field(description="Activities whose only industry is generic groups.")
    rows: list[MissingRoleRow]


class ThemePair(BaseModel):
    """A theme cross-over: organisations active on both, against what is expected."""

    theme_a: str
    theme_b: str
    theme_a_name: str
    theme_b_name: str
    observed: int = Field(description="Organisations active on both themes.")
    expected: float = Field(description="Expected if the themes were independent.")
    ratio: float | None = Field(description="observed / expected; below 1 is a weak cross-over.")
    shared_activities: int
    organisations: list[str]
    activities: list[str]
    via_activities: list[str]
    finding: str = Field(description="The cross-over in one sentence.")


class ThemeCrossovers(BaseModel):
    """Theme × theme cross-overs, weakest first."""

    themes: list[str]
    n_organisations: int
    organisations_per_theme: dict[str, int]
    activities_per_theme: dict[str, int]
    pairs: list[ThemePair]


class HelixMix(BaseModel):
    """Ties within and between the four helix groups (rows and columns follow roles)."""

    roles: list[str]
    sizes: dict[str, int]
    secondary: dict[str, int]
    ties: list[list[int]]
    weights: list[list[float]]
    density: list[list[float | None]]
    internal: dict[str, int]
    external: dict[str, int]
    ei_index: dict[str, float | None]
    ei_overall: float | None
    ei_index_weighted: dict[str, float | None]
    ei_overall_weighted: float | None


class MissingRoles(BaseModel):
    """Helix roles present and missing per activity and per theme."""

    roles: list[str]
    count_generic: bool
    activities: list[MissingRoleRow] = Field(
        description="Every activity (or, with missing_role, those in that list)."
    )
    themes: list[MissingRoleRow]
    missing_counts: dict[str, int]
    findings: list[str] = Field(
        description="Findings of the missing-roles list, then of themes lacking a role."
    )


class HoleMember(BaseModel):
    """An organisation that bridges, or could bridge, two communities."""

    model_config = ConfigDict(extra="allow")

    node: str
    name: str
    community: int | None


class StructuralHole(BaseModel):
    """Two communities with few or no ties between them."""

    community_a: int
    community_b: int
    size_a: int
    size_b: int
    ties: int
    weight: float
    density: float
    bridges: list[HoleMember]
    candidates_a: list[HoleMember]
    candidates_b: list[HoleMember]
    description: str = Field(description="The hole in one sentence.")


class GapsAnswer(BaseModel):
    """Where the (filtered) helix network is thinner than the agenda wants."""

    version: Version
    filters: Filters
    names: Names
    theme_crossovers: ThemeCrossovers
    helix_mix: HelixMix
    missing_roles: MissingRoles
    structural_holes: list[StructuralHole]


# --------------------------------------------------------------------------- communities


class ThemeCount(BaseModel):
    theme: str
    count: int = Field(description="Members active on the theme.")


class Community(BaseModel):
    """One community."""

    id: int = Field(description="0 is the largest.")
    size: int
    members: list[str]
    themes: list[ThemeCount] = Field(description="Up to three dominant themes.")
    helix_mix: dict[str, int] = Field(description="Members per primary helix role.")
    label: str = Field(
        description="Short label: dominant themes and largest helix groups.",
        examples=["Digitalisering, Medische technologie — Bedrijfsleven 7, Kennis & onderwijs 5"],
    )
    description: str = Field(description="The community in one sentence.")


class CommunitiesAnswer(BaseModel):
    """Communities of the (filtered) collaboration network."""

    version: Version
    filters: Filters
    names: Names
    method: str
    engine: str
    resolution: float
    seed: int
    modularity: float
    n_communities: int
    min_size: int
    communities: list[Community]
    isolates: list[str]
    membership: dict[str, int]


# --------------------------------------------------------------------------- KPIs


class KpisAnswer(BaseModel):
    """The agenda's cooperation indicators of the (filtered) network."""

    version: Version
    filters: Filters
    names: Names
    organisations: int
    ties: int
    density: float
    average_degree: float
    cross_helix_share: float = Field(description="Share of ties between different roles.")
    isolated: int
    components: int
    largest_component_share: float
    actions: int
    actions_with_all_four_roles: int
    helix_completeness: float = Field(description="Share of actions with all four roles.")
    industry_per_action: dict[str, int]
    industry_per_theme: dict[str, int]
    analysed_versions: list[int] = Field(description="Versions one can compare with.")
    labels: dict[str, str] = Field(description="Each indicator's label in the answer's language.")


class CompareAnswer(BaseModel):
    """What changed between two analysed versions."""

    model_config = ConfigDict(populate_by_name=True)

    from_version: int = Field(alias="from", description="The earlier version.")
    to: int = Field(description="The current version.")
    filters: Filters
    names: Names
    new_ties: list[list[str]]
    lost_ties: list[list[str]]
    new_organisations: list[str]
    lost_organisations: list[str]
    brokers_in: list[str]
    brokers_out: list[str]
    crossovers_gained: list[list[str]]
    crossovers_lost: list[list[str]]
    density_change: float
    cross_helix_share_change: float
