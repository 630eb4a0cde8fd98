"""Pydantic models for the nodes and relationships of the helix graph."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from graph_schema.enums import (
    HelixRole,
    MembershipRole,
    NodeLabel,
    OrgType,
    ParticipationRole,
    ProgrammeKind,
    ProjectStatus,
    RelType,
    ThemeKind,
)
from graph_schema.places import (
    ProvinceName,
    RegionName,
    complete_location,
    locate,
    region_of,
)

__all__ = [
    "ID_PATTERN",
    "RELATIONSHIP_RULES",
    "SDG",
    "Action",
    "ContactPerson",
    "Network",
    "Node",
    "NodeBase",
    "NodeId",
    "Organisation",
    "Programme",
    "Project",
    "Provenance",
    "RelRule",
    "Relationship",
    "Theme",
]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

NodeId = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=120)]
"""A stable id: a lowercase slug, unique across every kind of node."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Provenance(_Model):
    """Where a claim comes from: the source, the section and a short verbatim quote."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "agenda-gezondheidseconomie-drenthe-2021-2024",
                    "section": "Wat gaan we doen? – Digitalisering",
                    "quote": "IT-Hub, BDRC, Treant, UMCG, mkb",
                }
            ]
        }
    )

    source: ShortText = Field(description="Id of the source document.")
    section: ShortText = Field(description="Section of the source, e.g. 'Bijlage 3'.")
    quote: ShortText = Field(description="A few verbatim words that locate the claim.")


class NodeBase(_Model):
    """Fields every node has."""

    id: NodeId
    name: ShortText
    provenance: Provenance | None = None


class Organisation(NodeBase):
    """An organisation, or a generic placeholder group such as 'mkb'."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "it-hub",
                    "label": "Organisation",
                    "name": "IT Hub",
                    "aliases": ["IT-Hub", "IT-hub"],
                    "helix_role": "industry",
                    "secondary_roles": ["knowledge", "government"],
                    "org_type": "network_organisation",
                    "place": "Hoogeveen",
                    "province": "Drenthe",
                    "region": "Noord-Nederland",
                    "place_source": "agenda: IT Hub in Hoogeveen",
                    "country": "NL",
                    "generic": False,
                    "description": "Samenwerking van bedrijven en het onderwijs in Hoogeveen.",
                }
            ]
        }
    )

    label: Literal[NodeLabel.ORGANISATION] = NodeLabel.ORGANISATION
    aliases: tuple[ShortText, ...] = ()
    helix_role: HelixRole
    secondary_roles: tuple[HelixRole, ...] = ()
    org_type: OrgType
    place: ShortText | None = None
    province: ProvinceName | None = Field(
        default=None,
        description="Dutch province of the organisation; filled in from a known place "
        "when not given. 'Friesland' is accepted for Fryslân.",
        examples=["Drenthe"],
    )
    region: RegionName | None = Field(
        default=None,
        description="Wider region: Noord-Nederland (Drenthe, Groningen, Fryslân) or "
        "Nedersaksen (Niedersachsen); filled in from the province or place when not given.",
        examples=["Noord-Nederland"],
    )
    place_source: ShortText | None = Field(
        default=None,
        description="Where the place, province or region comes from: 'agenda: ' and a "
        "verbatim quote of the agenda, or 'public: ' and the public fact.",
        examples=["agenda: IT Hub in Hoogeveen"],
    )
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    generic: bool = False
    description: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _locate(cls, data: Any) -> Any:
        # province and region follow from a known place, region from the province
        return complete_location(data) if isinstance(data, Mapping) else data

    @model_validator(mode="after")
    def _location_is_consistent(self) -> Self:
        town = locate(self.place, self.country) if self.place else None
        if town is not None and town.province is not None and self.province != town.province:
            raise ValueError(f"place {town.place} lies in the province {town.province}")
        wider = region_of(self.province)
        if self.province is not None and self.region != wider:
            where = f"the region {wider}" if wider else "none of the regions"
            raise ValueError(f"the province {self.province} lies in {where}")
        if town is not None and town.region is not None and self.region != town.region:
            raise ValueError(f"place {town.place} lies in the region {town.region}")
        return self

    @model_validator(mode="after")
    def _roles_are_distinct(self) -> Self:
        if self.helix_role in self.secondary_roles:
            raise PydanticCustomError(
                "secondary_role_repeats_primary",
                "secondary_roles must not repeat the primary helix_role",
            )
        if len(set(self.secondary_roles)) != len(self.secondary_roles):
            raise PydanticCustomError(
                "secondary_role_twice", "secondary_roles contains a role twice"
            )
        return self

    @property
    def helix_roles(self) -> tuple[HelixRole, ...]:
        """The primary role followed by the secondary ones."""
        return (self.helix_role, *self.secondary_roles)


class Action(NodeBase):
    """One row of an agenda action table ('Wat gaan we doen? / Met wie? / resultaat')."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "action-mt-4",
                    "label": "Action",
                    "name": "Drents mkb in PGO-project Noord-Nederland",
                    "theme": "theme-medische-technologie",
                    "what": "Deelname Drents mkb aan PGO-project Noord-Nederland stimuleren.",
                    "with_whom": "Drentse ondernemers, zorginstellingen, IBDO, NOM, HHR en IT-hub",
                    "result_2024": "Minimaal 10 Drentse mkb ondernemers doen eraan mee.",
                    "kpi_text": "Minimaal 10 Drentse mkb ondernemers doen eraan mee.",
                    "kpi_value": 10,
                    "kpi_unit": "Drentse mkb ondernemers",
                }
            ]
        }
    )

    label: Literal[NodeLabel.ACTION] = NodeLabel.ACTION
    theme: NodeId = Field(description="Id of the theme whose table holds the action.")
    what: Text
    with_whom: Text | None = None
    result_2022: Text | None = None
    result_2024: Text | None = None
    kpi_text: Text | None = None
    kpi_value: float | None = Field(default=None, allow_inf_nan=False)
    kpi_unit: ShortText | None = None

    @model_validator(mode="after")
    def _kpi_is_complete(self) -> Self:
        if self.kpi_value is not None and not (self.kpi_text and self.kpi_unit):
            raise PydanticCustomError("kpi_incomplete", "a kpi_value needs kpi_text and kpi_unit")
        return self


class Project(NodeBase):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "project-twincer",
                    "label": "Project",
                    "name": "Twincer",
                    "description": "Inhalator met colistine, ontwikkeld door PureIMS.",
                    "status": "completed",
                }
            ]
        }
    )
    label: Literal[NodeLabel.PROJECT] = NodeLabel.PROJECT
    aliases: tuple[ShortText, ...] = ()
    description: Text | None = None
    status: ProjectStatus | None = None
    period: ShortText | None = None


class Network(NodeBase):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "network-netwerkzon",
                    "label": "Network",
                    "name": "NetwerkZON",
                    "aliases": ["Netwerk ZON"],
                }
            ]
        }
    )
    label: Literal[NodeLabel.NETWORK] = NodeLabel.NETWORK
    aliases: tuple[ShortText, ...] = ()
    description: Text | None = None


class Programme(NodeBase):
    """A funding programme, policy agenda or strategy the agenda links to."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "programme-interreg-vi-a",
                    "label": "Programme",
                    "name": "Interreg VI-A Nederland-Duitsland",
                    "kind": "funding_programme",
                    "period": "2021-2027",
                }
            ]
        }
    )

    label: Literal[NodeLabel.PROGRAMME] = NodeLabel.PROGRAMME
    kind: ProgrammeKind
    period: ShortText | None = None
    description: Text | None = None


class Theme(NodeBase):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "theme-digitalisering",
                    "label": "Theme",
                    "name": "Digitalisering",
                    "kind": "priority",
                }
            ]
        }
    )
    label: Literal[NodeLabel.THEME] = NodeLabel.THEME
    kind: ThemeKind
    description: Text | None = None


class SDG(NodeBase):
    """A UN sustainable development goal."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": "sdg-3", "label": "SDG", "name": "Goede gezondheid", "number": 3}]
        }
    )

    label: Literal[NodeLabel.SDG] = NodeLabel.SDG
    number: int = Field(ge=1, le=17)


Node = Annotated[
    Organisation | Action | Project | Network | Programme | Theme | SDG,
    Field(discriminator="label"),
]
"""Any node; the ``label`` field tells which kind."""

NODE_MODELS: dict[NodeLabel, type[NodeBase]] = {
    NodeLabel.ORGANISATION: Organisation,
    NodeLabel.ACTION: Action,
    NodeLabel.PROJECT: Project,
    NodeLabel.NETWORK: Network,
    NodeLabel.PROGRAMME: Programme,
    NodeLabel.THEME: Theme,
    NodeLabel.SDG: SDG,
}


@dataclass(frozen=True, slots=True)
class RelRule:
    """Which node kinds a relationship type may connect, and which roles it takes."""

    sources: frozenset[NodeLabel]
    targets: frozenset[NodeLabel]
    roles: frozenset[str] = frozenset()
    role_required: bool = False


_L = NodeLabel
_ORG = frozenset({_L.ORGANISATION})
RELATIONSHIP_RULES: dict[RelType, RelRule] = {
    RelType.PARTNER_IN: RelRule(_ORG, frozenset({_L.ACTION})),
    RelType.PARTICIPATES_IN: RelRule(
        _ORG, frozenset({_L.PROJECT}), frozenset(ParticipationRole), role_required=True
    ),
    RelType.MEMBER_OF: RelRule(_ORG, frozenset({_L.NETWORK}), frozenset(MembershipRole)),
    RelType.PART_OF: RelRule(
        frozenset({_L.ORGANISATION, _L.PROGRAMME}), frozenset({_L.ORGANISATION, _L.PROGRAMME})
    ),
    RelType.SUCCESSOR_OF: RelRule(_ORG, _ORG),
    RelType.RUNS: RelRule(_ORG, frozenset({_L.ORGANISATION, _L.NETWORK, _L.PROJECT, _L.PROGRAMME})),
    RelType.JOINT_VENTURE_OF: RelRule(_ORG, _ORG),
    RelType.ADDRESSES: RelRule(
        frozenset({_L.ACTION, _L.PROJECT, _L.NETWORK, _L.PROGRAMME}), frozenset({_L.THEME})
    ),
    RelType.FUNDED_BY: RelRule(frozenset({_L.PROJECT, _L.ACTION}), frozenset({_L.PROGRAMME})),
    RelType.CONTRIBUTES_TO: RelRule(
        frozenset({_L.PROGRAMME, _L.ACTION, _L.PROJECT, _L.THEME}), frozenset({_L.SDG})
    ),
    RelType.RELATES_TO: RelRule(frozenset({_L.PROGRAMME}), frozenset({_L.PROGRAMME})),
    RelType.SUPPORTS: RelRule(
        _ORG, frozenset({_L.ORGANISATION, _L.NETWORK, _L.PROJECT, _L.ACTION, _L.PROGRAMME})
    ),
    RelType.FOLLOWS_FROM: RelRule(frozenset({_L.PROJECT}), frozenset({_L.PROJECT})),
}
"""The allowed endpoint kinds and roles of every relationship type."""


class Relationship(_Model):
    """A typed link between two nodes; provenance is required."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "PARTICIPATES_IN",
                    "source": "pureims",
                    "target": "project-twincer",
                    "role": "lead",
                    "provenance": {
                        "source": "agenda-gezondheidseconomie-drenthe-2021-2024",
                        "section": "Bijlage 2 Projectvoorbeelden – Twincer",
                        "quote": "Het product is ontwikkeld door PureIMS",
                    },
                }
            ]
        }
    )

    type: RelType
    source: NodeId
    target: NodeId
    role: ShortText | None = None
    provenance: Provenance

    @model_validator(mode="after")
    def _role_fits_type(self) -> Self:
        # Custom error types with plain-text context: the API words them per language
        # (catalogue keys error.<type>); the values are written as a client sends them.
        rule = RELATIONSHIP_RULES[self.type]
        roles = ", ".join(f"'{role}'" for role in sorted(str(r) for r in rule.roles))
        context = {"type": str(self.type), "roles": roles, "role": f"'{self.role}'"}
        if self.role is None:
            if rule.role_required:
                raise PydanticCustomError(
                    "relationship_role_required", "{type} needs a role: one of {roles}", context
                )
        elif not rule.roles:
            raise PydanticCustomError(
                "relationship_takes_no_role", "{type} takes no role: leave role out", context
            )
        elif self.role not in rule.roles:
            raise PydanticCustomError(
                "relationship_role_not_allowed",
                "role {role} is not allowed on {type}: one of {roles}",
                context,
            )
        if self.source == self.target:
            raise PydanticCustomError(
                "relationship_self_loop", "a relationship cannot link a node to itself"
            )
        return self

    @property
    def key(self) -> tuple[RelType, str, str]:
        """The stable identity: one relationship per type and ordered pair of nodes."""
        return (self.type, self.source, self.target)


class ContactPerson(BaseModel):
    """A contact person of an organisation: personal data, kept outside the graph.

    Only keys with the ``contacts`` scope read or write them; they never appear in
    exports, analytics, searches or the explorer.
    """

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {"name": "Anne de Vries", "role": "business developer", "email": "anne@example.nl"}
            ]
        },
    )

    name: ShortText
    role: ShortText | None = None
    email: (
        Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
        | None
    ) = None
    phone: Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9+() -]+$")] | None = None
