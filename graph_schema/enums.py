"""Closed vocabularies of the graph model.

Labels and relationship types reach Cypher only through these enums, never from
user input.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "COLLABORATION_LINKS",
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
