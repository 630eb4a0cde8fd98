"""Closed vocabularies of the graph model.

Labels and relationship types reach Cypher only through these enums, never from
user input.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ACTIVITY_KINDS",
    "ACTIVITY_LINKS",
    "ACTIVITY_RELATION",
    "CODE_LISTS",
    "COLLABORATION_LINKS",
    "HELIX_COLOURS",
    "HELIX_ROLES",
    "KIND_PREFIX",
    "RELATION_PREFIX",
    "HelixRole",
    "MembershipRole",
    "NodeLabel",
    "OrgType",
    "ParticipationRole",
    "ProgrammeKind",
    "ProjectStatus",
    "RelType",
    "ThemeKind",
]


class HelixRole(StrEnum):
    """The four strands of the quadruple helix."""

    GOVERNMENT = "government"  # overheid
    KNOWLEDGE = "knowledge"  # onderzoek en onderwijs
    INDUSTRY = "industry"  # ondernemers
    CIVIL_SOCIETY = "civil_society"  # publieke omgeving: inwoners, patiënten, zorg


class OrgType(StrEnum):
    """What kind of organisation a node is, finer than its helix role."""

    GOVERNMENT = "government"
    KNOWLEDGE_INSTITUTION = "knowledge_institution"
    EDUCATION = "education"
    CARE_PROVIDER = "care_provider"
    COMPANY = "company"
    NETWORK_ORGANISATION = "network_organisation"
    DEVELOPMENT_AGENCY = "development_agency"
    PATIENT_ORGANISATION = "patient_organisation"
    CIVIL_SOCIETY_ORGANISATION = "civil_society_organisation"
    FUNDING_BODY = "funding_body"
    BUSINESS_ASSOCIATION = "business_association"


class NodeLabel(StrEnum):
    """Node kinds; the value is the Neo4j label."""

    ORGANISATION = "Organisation"
    ACTION = "Action"
    PROJECT = "Project"
    NETWORK = "Network"
    PROGRAMME = "Programme"
    THEME = "Theme"
    SDG = "SDG"


class RelType(StrEnum):
    """Relationship kinds; the value is the Neo4j relationship type."""

    PARTNER_IN = "PARTNER_IN"
    PARTICIPATES_IN = "PARTICIPATES_IN"
    MEMBER_OF = "MEMBER_OF"
    PART_OF = "PART_OF"
    SUCCESSOR_OF = "SUCCESSOR_OF"
    RUNS = "RUNS"
    JOINT_VENTURE_OF = "JOINT_VENTURE_OF"
    ADDRESSES = "ADDRESSES"
    FUNDED_BY = "FUNDED_BY"
    CONTRIBUTES_TO = "CONTRIBUTES_TO"
    RELATES_TO = "RELATES_TO"
    SUPPORTS = "SUPPORTS"  # funds, houses or backs: "gesteund door de gemeente Hoogeveen"
    FOLLOWS_FROM = "FOLLOWS_FROM"  # a follow-up project grown out of an earlier one


class ParticipationRole(StrEnum):
    """Role of an organisation in a project (penvoerder = lead)."""

    LEAD = "lead"
    PARTNER = "partner"


class MembershipRole(StrEnum):
    """Role of an organisation in a network."""

    MEMBER = "member"
    CONNECTED = "connected"  # linked through a platform, not a full member


class ThemeKind(StrEnum):
    PRIORITY = "priority"
    OVERARCHING = "overarching"


class ProgrammeKind(StrEnum):
    FUNDING_PROGRAMME = "funding_programme"
    POLICY_AGENDA = "policy_agenda"
    STRATEGY = "strategy"


class ProjectStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    PLANNED = "planned"
    INITIATIVE = "initiative"


COLLABORATION_LINKS: frozenset[RelType] = frozenset(
    {
        RelType.PARTNER_IN,
        RelType.PARTICIPATES_IN,
        RelType.MEMBER_OF,
        RelType.PART_OF,
        RelType.SUCCESSOR_OF,
        RelType.RUNS,
        RelType.JOINT_VENTURE_OF,
        RelType.SUPPORTS,
    }
)
"""Links through which organisations actually work together or know each other; themes,
SDGs and funding programmes relate activities but introduce nobody."""


HELIX_ROLES: tuple[str, ...] = tuple(str(role) for role in HelixRole)
"""The four helix roles as plain codes, in their fixed order: government, knowledge,
industry, civil_society."""

HELIX_COLOURS: dict[HelixRole, str] = {
    HelixRole.GOVERNMENT: "#0072B2",
    HelixRole.KNOWLEDGE: "#E69F00",
    HelixRole.INDUSTRY: "#009E73",
    HelixRole.CIVIL_SOCIETY: "#CC79A7",
}
"""The colour of each helix role wherever one is drawn: the graph, its legend and every
chart (Okabe–Ito, told apart by colour-blind readers too)."""

ACTIVITY_RELATION: dict[NodeLabel, RelType] = {
    NodeLabel.ACTION: RelType.PARTNER_IN,
    NodeLabel.PROJECT: RelType.PARTICIPATES_IN,
    NodeLabel.NETWORK: RelType.MEMBER_OF,
}
"""The kinds of activity an organisation takes part in, in their fixed order, each with
the relation that links an organisation to it."""

ACTIVITY_KINDS: tuple[NodeLabel, ...] = tuple(ACTIVITY_RELATION)
"""The kinds of activity: actions, projects and networks."""

ACTIVITY_LINKS: dict[RelType, NodeLabel] = {rel: kind for kind, rel in ACTIVITY_RELATION.items()}
"""The relations by which an organisation takes part in an activity, each with the kind of
activity it leads to."""

KIND_PREFIX = "kind"
"""Catalogue prefix of the node kinds: the words for ``Project`` are ``kind.Project``."""

RELATION_PREFIX = "rel"
"""Catalogue prefix of the relation types: ``rel.PARTNER_IN``."""

CODE_LISTS: dict[str, tuple[str, type[StrEnum]]] = {
    "helix_role": ("role", HelixRole),
    "org_type": ("type", OrgType),
    "project_status": ("status", ProjectStatus),
    "participation_role": ("participation", ParticipationRole),
    "membership_role": ("membership", MembershipRole),
    "theme_kind": ("themekind", ThemeKind),
    "programme_kind": ("programmekind", ProgrammeKind),
}
"""The other closed lists, by name: each with its catalogue prefix (the words for a code
are the key ``<prefix>.<code>``) and the enum holding its codes."""
