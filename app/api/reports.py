"""Report-ready downloads: the analytics as tables for Excel, the monitoring report as
HTML or PDF, and a match's candidates as a short list to send on.

The routes only choose the format; the tables, captions, file names and the report are
made in :mod:`app.services.tables` and :mod:`app.services.report`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.analytics import MissingRole, OptionsDep
from app.api.deps import LangDep
from app.api.matching import MatchRequest, _run
from app.api.matching import ServiceDep as MatchServiceDep
from app.api.security import ReadAccess
from app.services.report import STYLE_POLICY, ReportService, render_html, render_pdf
from app.services.tables import Scope, Table, TableName, file_name, to_csv, to_xlsx
from graph_schema.i18n import Language, t

router = APIRouter(prefix="/api/v1", tags=["reports"])

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = "text/html; charset=utf-8"
PDF = "application/pdf"


class TableFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


def get_reports(request: Request) -> ReportService:
    """Tables and reports over the app's analytics (whose results it reuses)."""
    return ReportService(request.app.state.analytics)


ReportsDep = Annotated[ReportService, Depends(get_reports)]

TableFormatQuery = Annotated[
    TableFormat,
    Query(
        alias="format",
        description="`csv` (default): for Excel in the answer's language — Dutch: `;` "
        "between fields and a decimal comma; English: `,` and a decimal point; UTF-8 with "
        "a byte-order mark, CRLF line ends, the header row first. `xlsx`: an Excel "
        "workbook with a title, the caption (filter, graph version, date) and numbers "
        "stored as numbers with a number format.",
    ),
]

_DISPOSITION = {
    "Content-Disposition": {
        "description": "`attachment` with a file name saying what, for which filter and "
        "which graph version, without spaces: `verbinders-thema-digitalisering-v12.csv`.",
        "schema": {"type": "string"},
    }
}
_TABLE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The table as a file to download.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
        "headers": _DISPOSITION,
    }
}


def _table_file(table: Table, scope: Scope, fmt: TableFormat, lang: Language) -> Response:
    if fmt is TableFormat.XLSX:
        content, media, extension = to_xlsx([table], lang), XLSX, "xlsx"
    else:
        content, media, extension = to_csv(table, lang), CSV, "csv"
    name = file_name(table, scope, extension)
    return Response(
        content=content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/analytics/tables/{table}",
    summary="An analytics table for Excel, as CSV or workbook",
    name="download_analytics_table",
    response_class=Response,
    responses=_TABLE_RESPONSE,
)
def analytics_table(
    _: ReadAccess,
    reports: ReportsDep,
    options: OptionsDep,
    lang: LangDep,
    table: Annotated[
        TableName,
        Path(
            description="`theme-crossovers`: theme × theme, one row per pair of themes "
            "(observed, expected, ratio, weak); `helix-mix`: helix × helix, one row per "
            "pair of roles; `missing-roles`: the activities and themes lacking a helix role; "
            "`brokers`; `communities`; `kpis`: the cooperation indicators."
        ),
    ],
    fmt: TableFormatQuery = TableFormat.CSV,
    missing_role: MissingRole = None,
    method: Annotated[
        Literal["louvain", "leiden"],
        Query(description="How the `communities` table's communities are found."),
    ] = "louvain",
) -> Response:
    """One table of the analytics of the filtered subgraph, with headers in the answer's
    language (Dutch by default) and every number rounded to its column's precision. The
    heatmaps come as their cells, one row per pair. The workbook's caption and the file
    name say which filter and which graph version the table shows. An unknown theme is a
    422 naming the known ones."""
    role = None if missing_role is None else str(missing_role)
    made, scope = reports.table(table, options, lang, missing_role=role, method=method)
    return _table_file(made, scope, fmt, lang)


@router.get(
    "/analytics/report",
    summary="The monitoring report of the cooperation, as HTML or PDF",
    name="get_monitoring_report",
    response_class=Response,
    responses={
        200: {
            "description": "The report: a self-contained HTML page (inline SVG charts, no "
            "script) or an A4 PDF with its fonts embedded.",
            "content": {
                "text/html": {"schema": {"type": "string"}},
                PDF: {"schema": {"type": "string", "format": "binary"}},
            },
            "headers": {
                "Content-Disposition": {
                    "description": "`inline` (HTML) or `attachment` (PDF) with a file name "
                    "saying which filter and which graph version, without spaces.",
                    "schema": {"type": "string"},
                }
            },
        }
    },
)
def report(
    _: ReadAccess,
    reports: ReportsDep,
    options: OptionsDep,
    lang: LangDep,
    fmt: Annotated[
        ReportFormat,
        Query(
            alias="format",
            description="`html` (default): one page to open in a browser or paste into "
            "Word; `pdf`: A4 with page numbers and a bookmark per section.",
        ),
    ] = ReportFormat.HTML,
) -> Response:
    """'Monitor van de samenwerking' for the whole network or the filtered subgraph: the
    KPIs and a summary, the strongest brokers with their reasons, the weak cross-overs
    between themes and between helix roles as heatmaps with a legend, the activities
    missing a helix role, the communities, and the source and method. Every text in the
    answer's language (Dutch by default), theme names as the agenda writes them."""
    made = reports.report(options, lang)
    stem = file_name(t(lang, "report.title"), made.scope, str(fmt))
    if fmt is ReportFormat.PDF:
        return Response(
            content=render_pdf(made),
            media_type=PDF,
            headers={"Content-Disposition": f'attachment; filename="{stem}"'},
        )
    return Response(
        content=render_html(made),
        media_type=HTML,
        headers={
            "Content-Disposition": f'inline; filename="{stem}"',
            "Content-Security-Policy": STYLE_POLICY,
        },
    )


@router.post(
    "/match/table",
    summary="Partners for a need as a table for Excel",
    name="download_match_table",
    response_class=Response,
    responses=_TABLE_RESPONSE,
)
def match_table(
    _: ReadAccess,
    matching: MatchServiceDep,
    reports: ReportsDep,
    body: MatchRequest,
    lang: LangDep,
    fmt: TableFormatQuery = TableFormat.CSV,
) -> Response:
    """The answer of `POST /api/v1/match` for the same body as a short list to send on:
    rank, name, helix role, organisation type, place, score, the reasons and the
    introduction path (the chain of collaborations, or why there is none). The caption
    and the file name say what was asked and which graph version answered. A read: it
    changes nothing."""
    language: Language = body.lang or lang
    answer = _run(matching, body, language)
    made, scope = reports.match_table(body.need(), answer, language, date.today())
    return _table_file(made, scope, fmt, language)
