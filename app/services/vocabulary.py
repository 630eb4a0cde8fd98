"""The vocabulary of the graph as clients receive it, built from graph_schema alone.

Every code the explorer offers in a list (node kinds, helix roles, organisation types,
statuses, link roles) and every rule of a relation type comes from here, so that the page
restates none of them. The texts naming each code are in the catalogues under
``<prefix>.<code>``; ``prefix`` is given with each list.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from graph_schema.enums import (
    ACTIVITY_RELATION,
    CODE_LISTS,
    COLLABORATION_LINKS,
    HELIX_COLOURS,
    KIND_PREFIX,
    HelixRole,
    NodeLabel,
    RelType,
)
from graph_schema.models import NODE_MODELS, RELATIONSHIP_RULES

__all__ = ["CodeList", "RelationRule", "Vocabulary", "vocabulary"]


_PARTICIPATES_IN: JsonDict = {
    "type": "PARTICIPATES_IN",
    "sources": ["Organisation"],
    "targets": ["Project"],
    "roles": ["lead", "partner"],
    "role_list": "participation_role",
    "role_required": True,
    "collaboration": True,
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CodeList(_Frozen):
    """The codes of one closed list, in graph_schema's order."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"prefix": "participation", "codes": ["lead", "partner"]}]}
    )

    prefix: str = Field(
        description="Catalogue prefix: the text naming a code is the key `<prefix>.<code>`.",
        examples=["role"],
    )
    codes: list[str] = Field(description="The codes, as the API reads and writes them.")


class RelationRule(_Frozen):
    """Which kinds of node a relation type joins, and which roles it takes."""

    model_config = ConfigDict(json_schema_extra={"examples": [_PARTICIPATES_IN]})

    type: RelType = Field(description="The relation type.")
    sources: list[NodeLabel] = Field(description="Kinds of node the link may start from.")
    targets: list[NodeLabel] = Field(description="Kinds of node the link may point to.")
    roles: list[str] = Field(description="The roles the link may carry; empty: none.")
    role_list: str | None = Field(
        description="Name of the list in `lists` that holds these roles (its prefix words "
        "them), or null when the type takes no role."
    )
    role_required: bool = Field(description="Whether a link of this type must carry a role.")
    collaboration: bool = Field(
        description="Whether organisations work together through this link (themes, SDGs "
        "and funding programmes introduce nobody)."
    )


class Vocabulary(_Frozen):
    """Every closed list of the graph and every relation rule."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "node_kinds": {"prefix": "kind", "codes": ["Organisation", "Project"]},
                    "lists": {
                        "participation_role": {
                            "prefix": "participation",
                            "codes": ["lead", "partner"],
                        }
                    },
                    "relations": [_PARTICIPATES_IN],
                    "helix_colours": {"government": "#0072B2"},
                    "activity_links": {"Project": "PARTICIPATES_IN"},
                    "collections": {"Organisation": "organisations", "Project": "projects"},
                }
            ]
        }
    )

    node_kinds: CodeList = Field(description="The kinds of node (prefix `kind`).")
    lists: dict[str, CodeList] = Field(
        description="The other closed lists by field name: helix_role, org_type, "
        "project_status, participation_role, membership_role, theme_kind, programme_kind."
    )
    relations: list[RelationRule] = Field(description="Every relation type with its rule.")
    helix_colours: dict[HelixRole, str] = Field(
        description="The colour of each helix role, as `#rrggbb`, wherever one is drawn.",
        examples=[{"government": "#0072B2", "knowledge": "#E69F00"}],
    )
    activity_links: dict[NodeLabel, RelType] = Field(
        description="The relation type linking an organisation to each kind of activity "
        "(the one type whose rule joins exactly an organisation to exactly that kind)."
    )
    collections: dict[NodeLabel, str] = Field(
        description="The API collection serving each kind of node: `/api/v1/<collection>`."
    )


def _role_list(roles: frozenset[str]) -> str | None:
    if not roles:
        return None
    for name, (_, enum) in CODE_LISTS.items():
        if frozenset(str(member) for member in enum) == roles:
            return name
    raise LookupError(f"no list holds the roles {sorted(roles)}")


def _relation(rel: RelType) -> RelationRule:
    rule = RELATIONSHIP_RULES[rel]
    order = list(NodeLabel)
    role_list = _role_list(frozenset(str(role) for role in rule.roles))
    # the roles in their list's order (lead before partner), as forms offer them
    roles = [str(member) for member in CODE_LISTS[role_list][1]] if role_list else []
    return RelationRule(
        type=rel,
        sources=sorted(rule.sources, key=order.index),
        targets=sorted(rule.targets, key=order.index),
        roles=roles,
        role_list=role_list,
        role_required=rule.role_required,
        collaboration=rel in COLLABORATION_LINKS,
    )


def vocabulary(collections: Mapping[NodeLabel, str]) -> Vocabulary:
    """The vocabulary, in graph_schema's own order; ``collections`` names the API
    collection of each kind of node."""
    return Vocabulary(
        node_kinds=CodeList(prefix=KIND_PREFIX, codes=[str(kind) for kind in NODE_MODELS]),
        lists={
            name: CodeList(prefix=prefix, codes=[str(member) for member in enum])
            for name, (prefix, enum) in CODE_LISTS.items()
        },
        relations=[_relation(rel) for rel in RELATIONSHIP_RULES],
        helix_colours=dict(HELIX_COLOURS),
        activity_links=dict(ACTIVITY_RELATION),
        collections=dict(collections),
    )
