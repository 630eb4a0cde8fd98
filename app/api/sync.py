"""The spreadsheet round trip: organisations and links as a workbook to edit in Excel,
and the edited file uploaded again (compared first, then written in one version).

The routes only carry bytes; reading, checking, comparing and writing happen in
:mod:`app.services.sync`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from app.api.deps import LangDep, StoreDep, ViewDep
from app.api.problems import problem_response, title
from app.api.schemas import problem_doc, problem_example
from app.api.security import ReadAccess, WriteAccess
from app.services.sync import (
    InvalidSheetError,
    WorkbookFormat,
    invalid_document,
    outcome_document,
    sync_upload,
    upload_from_request,
    workbook,
    workbook_name,
)
from graph_schema.i18n import Language

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["spreadsheet round trip"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
OCTETS = "application/octet-stream"


class SyncItem(BaseModel):
    """An organisation or a link the file adds, changes or removes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "organisation",
                    "id": "it-hub",
                    "name": "IT Hub",
                    "sheet": "Organisaties",
                    "row": 45,
                    "fields": {"place": ["Hoogeveen", "Emmen"]},
                }
            ]
        }
    )

    kind: Literal["organisation", "link"] = Field(description="An organisation or a link.")
    id: str = Field(
        description="The organisation's id, or the link as `TYPE source target`.",
        examples=["PARTNER_IN it-hub action-dig-1"],
    )
    name: str = Field(
        description="The organisation's name, or the link in words in the request's language."
    )
    sheet: str = Field(description="The sheet as the file names it.")
    row: int | None = Field(
        description="The row as Excel numbers it; null for a removed record (it is not on "
        "the sheet)."
    )
    fields: dict[str, list[Any]] | None = Field(
        default=None,
        description="A changed record's fields, each as `[before, after]` (codes as the "
        "interchange document has them; `provenance` as an object).",
    )


class SyncInvalid(BaseModel):
    """A cell that does not fit; nothing is written while there is one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sheet": "Organisaties",
                    "row": 10,
                    "column": "Helixrol",
                    "value": "Bedrijfstak",
                    "reason": "'Bedrijfstak' is geen bekende waarde; kies uit Overheid, "
                    "Kennis & onderwijs, Bedrijfsleven, Maatschappij",
                }
            ]
        }
    )

    sheet: str = Field(description="The sheet as the file names it.")
    row: int | None = Field(description="The row as Excel numbers it; null: the whole sheet.")
    column: str | None = Field(description="The column's header as the file has it.")
    value: str = Field(description="What the cell holds.")
    reason: str = Field(description="Why it does not fit, in the request's language.")


class SyncResult(BaseModel):
    """What an uploaded file changes, and whether it was written."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "file": "organisaties-december.xlsx",
                    "added": [],
                    "changed": [
                        {
                            "kind": "organisation",
                            "id": "it-hub",
                            "name": "IT Hub",
                            "sheet": "Organisaties",
                            "row": 45,
                            "fields": {"place": ["Hoogeveen", "Emmen"]},
                        }
                    ],
                    "removed": [],
                    "invalid": [],
                    "version": 13,
                    "dry_run": False,
                    "written": True,
                }
            ]
        }
    )

    file: str = Field(description="The file's name: the source of new rows and the change's note.")
    added: list[SyncItem] = Field(description="Organisations and links on the sheets, not stored.")
    changed: list[SyncItem] = Field(description="Stored ones whose row differs, field by field.")
    removed: list[SyncItem] = Field(
        description="Stored organisations and links of organisations no longer on the sheets; "
        "removing an organisation removes its links."
    )
    invalid: list[SyncInvalid] = Field(description="Cells that do not fit (a dry run lists them).")
    version: int = Field(
        description="The graph version after the write; without one (a dry run, no "
        "difference) the version the file was compared with."
    )
    dry_run: bool = Field(description="Whether this was only a comparison.")
    written: bool = Field(description="Whether a new graph version was written.")


_INVALID_EXAMPLE = problem_example(
    422,
    "Ongeldig verzoek",
    "1 ongeldige cel; er is niets geschreven",
    "/api/v1/sync",
    invalid=[SyncInvalid.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
)


@router.get(
    "/sync/workbook",
    summary="Organisations and their links as a workbook to edit in Excel",
    name="download_sync_workbook",
    response_class=Response,
    responses={
        200: {
            "description": "The workbook (or a zip of CSV files) to download; a client that "
            "knows neither media type reads the bytes as `application/octet-stream`.",
            "content": {
                XLSX: {"schema": {"type": "string", "format": "binary"}},
                ZIP: {"schema": {"type": "string", "format": "binary"}},
                OCTETS: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def download_workbook(
    view: ViewDep,
    _: ReadAccess,
    lang: LangDep,
    fmt: Annotated[
        WorkbookFormat,
        Query(
            alias="format",
            description="`xlsx` (default): a workbook with the sheets Organisaties and "
            "Koppelingen (Organisations and Links in English); `csv`: a zip of the two "
            "sheets as CSV files for Excel in the request's language (Dutch: semicolons).",
        ),
    ] = "xlsx",
) -> Response:
    """Every organisation and every link that starts or ends at one, with provenance,
    headers and words (helix roles, types, relations) in the request's language. Edit the
    rows, add rows, remove rows, and upload the file to `POST /api/v1/sync`."""
    version = view.version()  # the same version as the rows: one graph from the core
    content = workbook(view.data, version, lang, fmt, date.today())
    name = workbook_name(version, lang, fmt)
    return Response(
        content=content,
        media_type=XLSX if fmt == "xlsx" else ZIP,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/sync",
    summary="Upload an edited workbook: see the difference, then write it in one version",
    name="sync_workbook",
    response_model=SyncResult,
    responses={
        422: problem_doc("Invalid cells (listed in `invalid`); nothing written.", _INVALID_EXAMPLE)
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The file's bytes as the body (any `Content-Type`: the workbook's, "
            "`application/zip` or `application/octet-stream`), or a form with the file.",
            "content": {
                OCTETS: {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    },
)
async def sync_workbook(
    store: StoreDep,
    who: WriteAccess,
    lang: LangDep,
    request: Request,
    dry_run: Annotated[
        bool, Query(description="Compare and report, invalid cells included; write nothing.")
    ] = False,
    x_filename: Annotated[
        str | None,
        Header(description="The file's name (raw bodies; a multipart part names itself)."),
    ] = None,
) -> Any:
    """The body is the file from `GET /api/v1/sync/workbook`, edited: the workbook or the
    zip of CSV files, headers in either language, codes or words in any case. The answer
    lists what it adds, changes (field by field) and removes (organisations and links no
    longer on the sheets) and every invalid cell with its reason. Unless `dry_run`, the
    difference is written all or nothing as one graph version whose change-log note is
    the file's name; any invalid cell: 422 listing them, nothing written."""
    body = await request.body()
    upload = upload_from_request(body, request.headers.get("content-type"), x_filename)
    try:
        outcome = await run_in_threadpool(
            sync_upload, store, upload, lang=lang, actor=who.key_id, dry_run=dry_run
        )
    except InvalidSheetError as error:
        return _invalid(request, error, lang)
    return SyncResult.model_validate(outcome_document(outcome, lang))


def _invalid(request: Request, error: InvalidSheetError, lang: Language) -> JSONResponse:
    invalid = [invalid_document(i, lang) for i in error.invalid]
    heading = title(lang, error.status, error.title)
    return problem_response(request, error.status, heading, error.worded(lang), invalid=invalid)
