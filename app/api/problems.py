"""RFC 9457 problem details: the one error shape every client sees, in its language.

Titles come from the catalogue by status; an ``AppError`` raised with a catalogue key
(``NotFoundError.of(...)``) is worded in the request's language, and so is each problem
of refused graph data (``Problem.text``); validation messages are rebuilt from the
pydantic error type and its context (``error.<type>`` in the catalogue, by
:func:`graph_schema.wording.validation_message`, which words the records of an import
too), so a client reads "mag hoogstens 500 zijn" rather than pydantic's English or a
Python repr.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import AppError, InvalidGraphError
from graph_schema.i18n import Language, catalogue, negotiate, t
from graph_schema.wording import validation_message

__all__ = [
    "install_problem_handlers",
    "problem_response",
    "request_language",
    "title",
    "validation_message",
]

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def request_language(request: Request) -> Language:
    """The answer's language as LangDep decides it: ``lang``, Accept-Language, Dutch."""
    return negotiate(request.query_params.get("lang"), request.headers.get("accept-language"))


def title(lang: Language, status: int, fallback: str) -> str:
    """The problem title in ``lang``: the entry for the English title ``fallback``
    (``error.title.precondition_failed``), else the one for the status
    (``error.title.412``), else ``fallback`` itself."""
    for key in (f"error.title.{fallback.lower().replace(' ', '_')}", f"error.title.{status}"):
        if key in catalogue(lang):
            return t(lang, key)
    return fallback


def problem_response(
    request: Request, status: int, title: str, detail: str, **extra: Any
) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    lang = request_language(request)
    extra: dict[str, Any] = {}
    heading = title(lang, exc.status, exc.title)
    if isinstance(exc, InvalidGraphError):
        extra["errors"] = [{"where": p.where, "message": p.text(lang)} for p in exc.problems]
    suggestions = getattr(exc, "suggestions", None)
    if suggestions:
        extra["suggestions"] = list(suggestions)
    if exc.extra:
        extra.update(exc.extra)
    response = problem_response(request, exc.status, heading, exc.worded(lang), **extra)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _field(loc: Sequence[object]) -> str:
    return ".".join(str(p) for p in loc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = request_language(request)
    errors = [
        {"field": _field(err["loc"]), "message": validation_message(err, lang)}
        for err in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    heading = title(lang, 422, "Invalid request")
    return problem_response(request, 422, heading, detail, errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    lang = request_language(request)
    key = f"error.http.{exc.status_code}"
    detail = t(lang, key) if key in catalogue(lang) else t(lang, "error.http.other")
    heading = title(lang, exc.status_code, "") or detail
    response = problem_response(request, exc.status_code, heading, detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    lang = request_language(request)
    return problem_response(
        request, 500, title(lang, 500, "Internal error"), t(lang, "error.internal")
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error to problem+json; internals never reach the client."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
