"""Routers for every kind of node: list, get, links, organisations, and writes.

One factory builds the same endpoints for each kind, so organisations, actions,
projects, networks, programmes, themes and SDGs behave alike. (This module does not
use postponed annotations: the request body type is the kind's model, chosen at run time.)
"""

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Header, Path, Query, Request, Response, status

from app.api.answers import NOT_MODIFIED, versioned_answer
from app.api.conditional import check_if_match, check_if_none_match
from app.api.deps import LangDep, StoreDep, ViewDep
from app.api.schemas import PROBLEM_EXAMPLES, ListResponse, problem_doc
from app.api.security import ReadAccess, WriteAccess
from app.core import Graph
from app.core.listing import list_nodes
from app.errors import InvalidRequestError, NotFoundError
from app.services.views import Link, links_of
from app.store import NodeQuery, NodeSort
from graph_schema import (
    SDG,
    Action,
    GraphData,
    Network,
    NodeBase,
    NodeLabel,
    Organisation,
    Programme,
    Project,
    Theme,
)
from graph_schema.i18n import Language, t
from graph_schema.interchange import etag_of
from graph_schema.models import ID_PATTERN

__all__ = [
    "RESOURCES",
    "Descending",
    "Limit",
    "NodeIdPath",
    "Offset",
    "Resource",
    "SearchText",
    "Sort",
    "ThemeId",
    "resource_router",
]

NodeIdPath = Annotated[str, Path(pattern=ID_PATTERN, max_length=120, description="Node id.")]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
SearchText = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        description="Search by name or alias, tolerant of case, accents, hyphens and small "
        "typos; results are ranked best first.",
    ),
]
ThemeId = Annotated[str | None, Query(pattern=ID_PATTERN, max_length=120, description="Theme id.")]
Sort = Annotated[
    NodeSort, Query(description="Order of the list: by `name` or by `id` (ignored with `q`).")
]
Descending = Annotated[bool, Query(description="Reverse the order.")]


@dataclass(frozen=True, slots=True)
class Resource:
    """A kind of node as the API serves it."""

    label: NodeLabel
    path: str
    model: type[NodeBase]
    singular: str
    article: str  # "a" or "an", as the singular is spoken ("an SDG")
    writable: bool

    @property
    def a(self) -> str:
        """The singular with its article: "an organisation", "a project"."""
        return f"{self.article} {self.singular}"

    @property
    def ident(self) -> str:
        """The singular as it appears in operation ids: ``get_sdg``."""
        return self.singular.lower()


RESOURCES = (
    Resource(NodeLabel.ORGANISATION, "organisations", Organisation, "organisation", "an", True),
    Resource(NodeLabel.ACTION, "actions", Action, "action", "an", True),
    Resource(NodeLabel.PROJECT, "projects", Project, "project", "a", True),
    Resource(NodeLabel.NETWORK, "networks", Network, "network", "a", True),
    Resource(NodeLabel.PROGRAMME, "programmes", Programme, "programme", "a", False),
    Resource(NodeLabel.THEME, "themes", Theme, "theme", "a", False),
    Resource(NodeLabel.SDG, "sdgs", SDG, "SDG", "an", False),
)


def _with_etag(node: NodeBase, request: Request, response: Response) -> Any:
    etag = etag_of(node)
    not_modified = check_if_none_match(request, etag)
    if not_modified is not None:
        return not_modified
    response.headers["ETag"] = etag
    return node


def _expected_etag(request: Request, current: NodeBase | None) -> str | None:
    """The ETag the write must still find in its transaction, when If-Match is sent.

    The header is checked here against what is stored now (412 when it differs), and
    the store checks the same tag again inside the write, so a change that lands in
    between is refused too.
    """
    if request.headers.get("if-match") is None:
        return None
    etag = None if current is None else etag_of(current)
    check_if_match(request, etag)
    return etag


N = TypeVar("N", bound=NodeBase)


def list_page(view: Graph, model: type[N], query: NodeQuery, q: str | None) -> ListResponse[N]:
    """One page of the nodes ``query`` asks for (the best matches of ``q`` first) as a list
    answer. The graph's records are valid already, so they are not validated again."""
    page = list_nodes(view, query, q)
    return ListResponse[model].model_construct(  # type: ignore[valid-type]
        data=[node for node in page.items if isinstance(node, model)],
        count=page.total,
        limit=query.limit,
        offset=query.offset,
    )


def resource_router(resource: Resource) -> APIRouter:
    """The endpoints of one kind of node."""
    router = APIRouter(prefix=f"/api/v1/{resource.path}", tags=[resource.path])
    label, model, name = resource.label, resource.model, resource.singular
    plural, ident, a_name = resource.path, resource.ident, resource.a

    def missing(node_id: str, lang: Language) -> NotFoundError:
        kind = t(lang, f"kind.{label}")
        kind = kind if kind.isupper() else kind.lower()
        return NotFoundError(t(lang, "error.node.not_found", kind=kind, id=f"'{node_id}'"))

    def fetch(view: Graph, node_id: str, lang: Language) -> NodeBase:
        node = view.node(node_id)
        if node is None or node.label is not label:
            raise missing(node_id, lang)
        return node

    if label is not NodeLabel.ORGANISATION:  # organisations have richer filters

        @router.get(
            "",
            summary=f"List {'SDGs' if label is NodeLabel.SDG else plural}",
            name=f"list_{plural}",
            response_model=ListResponse[model],  # type: ignore[valid-type]
            responses={**NOT_MODIFIED},
        )
        async def list_kind(
            view: ViewDep,
            _: ReadAccess,
            request: Request,
            q: SearchText = None,
            theme: ThemeId = None,
            sort: Sort = NodeSort.NAME,
            descending: Descending = False,
            limit: Limit = 50,
            offset: Offset = 0,
        ) -> Response:
            query = NodeQuery(
                label=label,
                theme=theme,
                sort=sort,
                descending=descending,
                limit=limit,
                offset=offset,
            )
            return versioned_answer(view, request, lambda: list_page(view, model, query, q))

        list_kind.__doc__ = (
            f"The {'SDGs' if label is NodeLabel.SDG else plural}, by name; `theme` keeps "
            "those addressing a theme; `count` is the total over all pages. The answer "
            "carries an ETag and is kept for the same request until the next write."
        )

    @router.get(
        "/{node_id}",
        summary=f"One {name} by id",
        name=f"get_{ident}",
        response_model=model,
        responses={304: {"description": "Not modified (If-None-Match)."}},
    )
    async def get_one(
        view: ViewDep,
        _: ReadAccess,
        lang: LangDep,
        node_id: NodeIdPath,
        request: Request,
        response: Response,
    ) -> Any:
        return _with_etag(fetch(view, node_id, lang), request, response)

    get_one.__doc__ = f"The {name} with every property and its provenance; sends an ETag."

    @router.get(
        "/{node_id}/links", summary=f"Everything {a_name} is linked to", name=f"list_{ident}_links"
    )
    async def get_links(
        view: ViewDep, _: ReadAccess, lang: LangDep, node_id: NodeIdPath
    ) -> list[Link]:
        if label not in {n.label for n in view.get_nodes([node_id]).values()}:
            raise missing(node_id, lang)
        return links_of(view, node_id)

    get_links.__doc__ = (
        f"Every relationship of the {name}: its kind, direction, role, the node at the "
        "other end and the provenance (source, section, quote)."
    )

    if label is not NodeLabel.ORGANISATION:

        @router.get(
            "/{node_id}/organisations",
            summary=f"The organisations of {a_name}",
            name=f"list_{ident}_organisations",
        )
        async def get_organisations(
            view: ViewDep, _: ReadAccess, lang: LangDep, node_id: NodeIdPath
        ) -> list[Link]:
            if label not in {n.label for n in view.get_nodes([node_id]).values()}:
                raise missing(node_id, lang)
            return links_of(view, node_id, labels=[NodeLabel.ORGANISATION])

        get_organisations.__doc__ = (
            f"The organisations linked to the {name}, with the kind of link and its provenance."
        )

    if not resource.writable:
        return router

    @router.post(
        "",
        summary=f"Create {a_name}",
        name=f"create_{ident}",
        status_code=status.HTTP_201_CREATED,
        response_model=model,
        responses={409: problem_doc("The id exists already.", PROBLEM_EXAMPLES[409])},
    )
    def create(
        store: StoreDep,
        who: WriteAccess,
        body: model,  # type: ignore[valid-type]
        response: Response,
    ) -> Any:
        node: NodeBase = body
        store.upsert(GraphData(nodes=(node,)), expected={node.id: None}, actor=who.key_id)
        response.headers["ETag"] = etag_of(node)
        response.headers["Location"] = f"/api/v1/{resource.path}/{node.id}"
        return node

    create.__doc__ = f"Add a new {name}; 409 when its id is taken. Needs the write scope."

    @router.put(
        "/{node_id}",
        summary=f"Replace {a_name}",
        name=f"replace_{ident}",
        response_model=model,
        responses={
            412: problem_doc(
                "If-Match does not match: it changed meanwhile.", PROBLEM_EXAMPLES[412]
            )
        },
    )
    def replace(
        store: StoreDep,
        who: WriteAccess,
        lang: LangDep,
        node_id: NodeIdPath,
        body: model,  # type: ignore[valid-type]
        request: Request,
        response: Response,
        if_match: Annotated[str | None, Header(description="ETag last read.")] = None,
    ) -> Any:
        node: NodeBase = body
        if node.id != node_id:
            raise InvalidRequestError(
                t(lang, "error.node.id_mismatch", body=f"'{node.id}'", path=f"'{node_id}'")
            )
        expected = _expected_etag(request, store.get_node(label, node_id))
        store.upsert(
            GraphData(nodes=(node,)),
            expected={node_id: expected} if expected else None,
            actor=who.key_id,
        )
        response.headers["ETag"] = etag_of(node)
        return node

    replace.__doc__ = (
        f"Replace every property of the {name}. Send the ETag you read as If-Match: if the "
        "resource changed since, the answer is 412 and nothing changes."
    )

    @router.delete(
        "/{node_id}",
        summary=f"Delete {a_name} and its relationships",
        name=f"delete_{ident}",
        status_code=status.HTTP_204_NO_CONTENT,
        responses={
            412: problem_doc(
                "If-Match does not match: it changed meanwhile.", PROBLEM_EXAMPLES[412]
            )
        },
    )
    def delete(
        store: StoreDep,
        who: WriteAccess,
        node_id: NodeIdPath,
        request: Request,
        if_match: Annotated[str | None, Header(description="ETag last read.")] = None,
    ) -> Response:
        expected = _expected_etag(request, store.get_node(label, node_id))
        store.delete_node(label, node_id, expected_etag=expected, actor=who.key_id)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    delete.__doc__ = f"Delete the {name} with every relationship it has."
    return router
