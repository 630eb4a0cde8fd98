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
    "RelKey",
    "RelRule",
    "Relationship",
    "Theme",
]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

NodeId = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=120)]
"""A stable id: a lowercase slug, unique across every kind of node."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
WebAddress = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        max_length=300,
        pattern=r"^https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?::[0-9]{1,5})?(?:[/?#][^\s]*)?$",
    ),
]
"""An http(s) address with a dotted host name: 'https://www.umcg.nl/over-ons'."""


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

    id: NodeId = Field(
        description="Stable id: a lowercase slug, unique across every kind of node.",
        examples=["it-hub"],
    )
    name: ShortText = Field(
        description="The name as the source writes it (themes, actions and programmes as the "
        "agenda writes them)."
    )
    provenance: Provenance | None = Field(
        default=None, description="Where the node comes from: source, section and quote."
    )


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

    label: Literal[NodeLabel.ORGANISATION] = Field(
        default=NodeLabel.ORGANISATION, description="The kind of node: always `Organisation`."
    )
    aliases: tuple[ShortText, ...] = Field(
        default=(),
        description="Other names and abbreviations it goes by; search and matching find them.",
    )
    helix_role: HelixRole = Field(
        description="Primary quadruple-helix role: government, knowledge (research and "
        "education), industry or civil_society (citizens, patients, care and social "
        "organisations)."
    )
    secondary_roles: tuple[HelixRole, ...] = Field(
        default=(),
        description="Further helix roles it also holds (UMCG: knowledge and civil_society); "
        "never the primary one again.",
    )
    org_type: OrgType = Field(description="What kind of organisation it is.")
    place: ShortText | None = Field(
        default=None, description="Town or city of its seat; null when not known."
    )
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
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2 country code, e.g. `NL` or `DE`."
    )
    generic: bool = Field(
        default=False,
        description='A placeholder group the agenda names ("mkb", "zorginstellingen") '
        "rather than one organisation; left out of analytics and matching unless asked.",
    )
    description: Text | None = Field(
        default=None, description="What the organisation is and does, in a few sentences."
    )
    website: WebAddress | None = Field(
        default=None,
        description="Its website: an http or https address, at most 300 characters.",
        examples=["https://www.it-hub.nl"],
    )

    @model_validator(mode="before")
    @classmethod
    def _locate(cls, data: Any) -> Any:
        # province and region follow from a known place, region from the province
        return complete_location(data) if isinstance(data, Mapping) else data

    @model_validator(mode="after")
    def _location_is_consistent(self) -> Self:
        # custom error types: the service words them from the catalogue (error.<type>)
        town = locate(self.place, self.country) if self.place else None
        if town is not None and town.province is not None and self.province != town.province:
            raise PydanticCustomError(
                "place_outside_province",
                "place {place} lies in the province {province}",
                {"place": town.place, "province": str(town.province)},
            )
        wider = region_of(self.province)
        if self.province is not None and self.region != wider:
            if wider is None:
                raise PydanticCustomError(
                    "province_in_no_region",
                    "the province {province} lies in none of the regions",
                    {"province": str(self.province)},
                )
            raise PydanticCustomError(
                "province_outside_region",
                "the province {province} lies in the region {region}",
                {"province": str(self.province), "region": str(wider)},
            )
        if town is not None and town.region is not None and self.region != town.region:
            raise PydanticCustomError(
                "place_outside_region",
                "place {place} lies in the region {region}",
                {"place": town.place, "region": str(town.region)},
            )
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

    label: Literal[NodeLabel.ACTION] = Field(
        default=NodeLabel.ACTION, description="The kind of node: always `Action`."
    )
    theme: NodeId = Field(description="Id of the theme whose table holds the action.")
    what: Text = Field(description="What is done: the table's column 'Wat gaan we doen?'.")
    with_whom: Text | None = Field(
        default=None, description="The column 'Met wie?' as the agenda writes it."
    )
    result_2022: Text | None = Field(default=None, description="The result aimed at for 2022.")
    result_2024: Text | None = Field(default=None, description="The result aimed at for 2024.")
    kpi_text: Text | None = Field(
        default=None, description="The measurable target, as the agenda words it."
    )
    kpi_value: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="The target as a number (needs kpi_text and kpi_unit).",
    )
    kpi_unit: ShortText | None = Field(
        default=None, description="What kpi_value counts, e.g. 'Drentse mkb ondernemers'."
    )

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
    label: Literal[NodeLabel.PROJECT] = Field(
        default=NodeLabel.PROJECT, description="The kind of node: always `Project`."
    )
    aliases: tuple[ShortText, ...] = Field(
        default=(), description="Other names it goes by; search finds them."
    )
    description: Text | None = Field(default=None, description="What it is, in a few sentences.")
    status: ProjectStatus | None = Field(
        default=None, description="Running, completed, planned or an initiative."
    )
    period: ShortText | None = Field(default=None, description="When it runs, e.g. '2021-2027'.")


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
    label: Literal[NodeLabel.NETWORK] = Field(
        default=NodeLabel.NETWORK, description="The kind of node: always `Network`."
    )
    aliases: tuple[ShortText, ...] = Field(
        default=(), description="Other names it goes by; search finds them."
    )
    description: Text | None = Field(default=None, description="What it is, in a few sentences.")


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

    label: Literal[NodeLabel.PROGRAMME] = Field(
        default=NodeLabel.PROGRAMME, description="The kind of node: always `Programme`."
    )
    kind: ProgrammeKind = Field(description="A funding programme, a policy agenda or a strategy.")
    period: ShortText | None = Field(default=None, description="When it runs, e.g. '2021-2027'.")
    description: Text | None = Field(default=None, description="What it is, in a few sentences.")


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
    label: Literal[NodeLabel.THEME] = Field(
        default=NodeLabel.THEME, description="The kind of node: always `Theme`."
    )
    kind: ThemeKind = Field(description="A priority theme of the agenda or a cross-cutting one.")
    description: Text | None = Field(default=None, description="What it is, in a few sentences.")


class SDG(NodeBase):
    """A UN sustainable development goal."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": "sdg-3", "label": "SDG", "name": "Goede gezondheid", "number": 3}]
        }
    )

    label: Literal[NodeLabel.SDG] = Field(
        default=NodeLabel.SDG, description="The kind of node: always `SDG`."
    )
    number: int = Field(ge=1, le=17, description="The goal's number, 1 to 17.")


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


RelKey = tuple[RelType, str, str]
"""A relationship's identity: (type, source id, target id)."""


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

    type: RelType = Field(
        description="The kind of link; which kinds of node it joins is fixed per type "
        "(e.g. PARTICIPATES_IN: an organisation to a project)."
    )
    source: NodeId = Field(description="Id of the node the link starts from.")
    target: NodeId = Field(description="Id of the node the link points to.")
    role: ShortText | None = Field(
        default=None,
        description="PARTICIPATES_IN: `lead` or `partner` (required); MEMBER_OF: `member` or "
        "`connected`; other types take none.",
    )
    provenance: Provenance = Field(
        description="Where the link comes from: source, section and a verbatim quote."
    )

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
    def key(self) -> RelKey:
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

    name: ShortText = Field(description="The person's name.")
    role: ShortText | None = Field(default=None, description="Their function at the organisation.")
    email: (
        Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
        | None
    ) = Field(default=None, description="E-mail address.")
    phone: Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9+() -]+$")] | None = (
        Field(default=None, description="Telephone number: digits, spaces, +, - and brackets.")
    )
