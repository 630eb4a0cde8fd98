"""Import and export over HTTP, in the same formats as the command line."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.api.deps import LangDep, StoreDep, ViewDep
from app.api.schemas import GraphExportJson, ImportSummary
from app.api.security import ReadAccess, WriteAccess
from app.services.exchange import MEDIA_TYPES, ExportFormat, export_graph, import_document

router = APIRouter(prefix="/api/v1", tags=["import and export"])

_SUFFIX = {
    ExportFormat.JSON: "json",
    ExportFormat.GRAPHML: "graphml",
    ExportFormat.GEXF: "gexf",
    ExportFormat.CYTOSCAPE: "cyjs",
    ExportFormat.CSV: "zip",
    ExportFormat.GEPHI_CSV: "gephi.zip",
    ExportFormat.KUMU: "kumu.xlsx",
    ExportFormat.NEO4J_ADMIN: "neo4j.zip",
    ExportFormat.CYPHER: "cypher",
}

_JSON = "application/json"


def _file_schema(media: str) -> dict[str, str]:
    if media.startswith("text/") or media.endswith("+xml"):
        return {"type": "string"}
    return {"type": "string", "format": "binary"}


_FILE_CONTENT = {
    media: {"schema": _file_schema(media)} for media in sorted(set(MEDIA_TYPES.values()) - {_JSON})
}
"""The file formats' media types: text (XML, Cypher) or bytes (zips, workbooks); the JSON
formats are described by their model."""


@router.get(
    "/export",
    summary="The whole graph as a file",
    name="export_graph",
    response_class=Response,
    responses={200: {"model": GraphExportJson, "content": _FILE_CONTENT}},
)
def export(
    view: ViewDep,
    _: ReadAccess,
    lang: LangDep,
    fmt: Annotated[
        ExportFormat,
        Query(
            alias="format",
            description="`json` (the interchange document, for import), `graphml`, `gexf` "
            "(Gephi), `cytoscape` (Cytoscape JSON), `csv` (a zip of nodes.csv and edges.csv "
            "for Excel), `gephi-csv` (a zip of Gephi's nodes and edges tables) or "
            "`kumu` (a workbook with the sheets Elements and Connections), `neo4j-admin` (a zip "
            "of CSVs and import.sh for `neo4j-admin database import full`) or `cypher` (a "
            "script of parameterised UNWIND … MERGE batches for any Neo4j 5).",
        ),
    ] = ExportFormat.JSON,
) -> Response:
    """Every node and relationship with every property and provenance, in the format the
    tool it is for loads whole (see `format`); the same graph always gives the same bytes.
    Headers and words (the relation as an edge's label, kinds and roles in the spreadsheets)
    are in the request's language (`lang`, else Accept-Language, else Dutch); ids, codes and
    the JSON, Cytoscape and Neo4j files are the same in every language."""
    data = export_graph(view.data, fmt, lang)
    filename = f"helixgraph.{_SUFFIX[fmt]}"
    return Response(
        content=data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "/import",
    summary="Add or update nodes and relationships from an interchange document",
    responses={422: {"description": "Every problem of the document; nothing was written."}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def import_graph(
    store: StoreDep,
    who: WriteAccess,
    request: Request,
    dry_run: Annotated[bool, Query(description="Validate and report; write nothing.")] = False,
) -> ImportSummary:
    """Takes what `GET /api/v1/export?format=json` gives. The whole document is validated
    first: with any problem the answer is 422 listing every one, and nothing is written."""
    raw = await request.body()
    report = await run_in_threadpool(import_document, store, raw, dry_run=dry_run, actor=who.key_id)
    result = report.result
    return ImportSummary(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        version=result.version,
        dry_run=report.dry_run,
    )
