"""Organisations: the list with every filter and ranked search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import NOT_MODIFIED, versioned_answer
from app.api.deps import StoreDep, ViewDep
from app.api.resources import (
    Descending,
    Limit,
    NodeIdPath,
    Offset,
    SearchText,
    Sort,
    ThemeId,
    list_page,
)
from app.api.schemas import ListResponse
from app.api.security import ContactsAccess, ReadAccess, WriteAccess
from app.store import NodeQuery, NodeSort
from graph_schema import ContactPerson, HelixRole, NodeLabel, Organisation, OrgType
from graph_schema.places import ProvinceName, RegionName

router = APIRouter(prefix="/api/v1/organisations", tags=["organisations"])

PlaceFilter = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="A town, province or region ('Emmen', 'Drenthe', 'Noord-Nederland'): "
        "organisations in the town, or in the province or region it names. Any case, "
        "with or without accents.",
        examples=["Drenthe"],
    ),
]
ProvinceFilter = Annotated[
    ProvinceName | None,
    Query(
        description="Only organisations in this province (any case; 'Friesland' is read "
        "as Fryslân).",
        examples=["Drenthe"],
    ),
]
RegionFilter = Annotated[
    RegionName | None,
    Query(
        description="Only organisations in this region: Noord-Nederland (Drenthe, "
        "Groningen, Fryslân) or Nedersaksen (Niedersachsen).",
        examples=["Noord-Nederland"],
    ),
]


@router.get(
    "",
    summary="List or search organisations, filtered and paged",
    response_model=ListResponse[Organisation],
    responses=NOT_MODIFIED,
)
async def list_organisations(
    view: ViewDep,
    _: ReadAccess,
    request: Request,
    q: SearchText = None,
    helix_role: Annotated[HelixRole | None, Query(description="Primary helix role.")] = None,
    include_secondary: Annotated[
        bool, Query(description="Let helix_role also match secondary roles.")
    ] = False,
    org_type: Annotated[OrgType | None, Query(description="Organisation type.")] = None,
    theme: ThemeId = None,
    place: PlaceFilter = None,
    province: ProvinceFilter = None,
    region: RegionFilter = None,
    generic: Annotated[
        bool | None, Query(description="Only placeholder groups (true) or only real ones.")
    ] = None,
    sort: Sort = NodeSort.NAME,
    descending: Descending = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Organisations of the helix network. With `q` the best matches of name or alias come
    first; `theme` keeps organisations in an action, project or network on that theme;
    `count` is the total over all pages. The answer carries an ETag and is kept for the
    same request until the next write."""

    def make() -> ListResponse[Organisation]:
        query = NodeQuery(
            label=NodeLabel.ORGANISATION,
            theme=theme,
            helix_role=helix_role,
            include_secondary=include_secondary,
            org_type=org_type,
            place=place,
            province=province,
            region=region,
            generic=generic,
            sort=sort,
            descending=descending,
            limit=limit,
            offset=offset,
        )
        return list_page(view, Organisation, query, q)

    return versioned_answer(view, request, make)


class OrganisationContacts(BaseModel):
    """The contact persons of an organisation."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "organisation": "it-hub",
                    "contacts": [
                        {"name": "Anne de Vries", "role": "directeur", "email": "anne@example.nl"}
                    ],
                }
            ]
        },
    )

    organisation: str = Field(description="The organisation's id.", examples=["it-hub"])
    contacts: list[ContactPerson] = Field(
        max_length=200, description="Its contact persons, at most 200."
    )


class ContactsIn(BaseModel):
    """The new list of contact persons: it replaces the old one whole."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"contacts": [{"name": "Anne de Vries"}]}]},
    )

    contacts: list[ContactPerson] = Field(
        max_length=200, description="The contact persons, at most 200; [] removes them all."
    )


@router.get(
    "/{node_id}/contacts",
    summary="Contact persons of an organisation (personal data: the contacts scope)",
    name="get_organisation_contacts",
)
def get_contacts(store: StoreDep, _: ContactsAccess, node_id: NodeIdPath) -> OrganisationContacts:
    """Name, role, e-mail and phone of the organisation's contact persons, for the
    business developer. Only keys with the `contacts` scope read them (admin keys too
    need it); they never appear in exports, analytics, searches or the explorer."""
    return OrganisationContacts(organisation=node_id, contacts=store.get_contacts(node_id))


@router.put(
    "/{node_id}/contacts",
    summary="Replace the contact persons of an organisation (write and contacts scopes)",
    name="replace_organisation_contacts",
)
def put_contacts(
    store: StoreDep,
    who: WriteAccess,
    _: ContactsAccess,
    node_id: NodeIdPath,
    body: ContactsIn,
) -> OrganisationContacts:
    """Replace the whole list. Needs a key with both the `write` and the `contacts`
    scope. The audit log records that the contacts of the organisation changed and by
    which key, never the persons themselves."""
    store.put_contacts(node_id, body.contacts, actor=who.key_id)
    return OrganisationContacts(organisation=node_id, contacts=body.contacts)
