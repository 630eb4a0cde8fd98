"""RFC 9457 problem details: the one error shape every client sees, in its language.

Titles come from the catalogue by status; an ``AppError`` raised with a catalogue key
(``NotFoundError.of(...)``) is worded in the request's language; validation messages
are rebuilt from the pydantic error type and its context (``error.<type>`` in the
catalogue), so a client reads "mag hoogstens 500 zijn" rather than pydantic's English or
a Python repr.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import AppError, InvalidGraphError
from graph_schema.i18n import Language, catalogue, negotiate, t
from graph_schema.models import ID_PATTERN

__all__ = [
    "install_problem_handlers",
    "problem_response",
    "request_language",
    "title",
    "validation_message",
]

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

# pydantic error types that say the same thing, and the catalogue entry that says it
_SAME = {
    "int_parsing": "int_type",
    "int_from_float": "int_type",
    "float_parsing": "float_type",
    "bool_parsing": "bool_type",
    "literal_error": "enum",
    "model_type": "dict_type",
    "model_attributes_type": "dict_type",
    "dataclass_type": "dict_type",
    "json_type": "json_invalid",
    "string_sub_type": "string_type",
    "string_unicode": "string_type",
}
_LIMITS = {
    "greater_than_equal": "ge",
    "greater_than": "gt",
    "less_than_equal": "le",
    "less_than": "lt",
}
_LENGTHS = {"string_too_short", "string_too_long", "too_short", "too_long"}
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


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


def _quote(value: object) -> str:
    return f"'{value}'"


def _alternatives(values: Sequence[str], lang: Language) -> str:
    """``'a', 'b' of 'c'``: the values a client may send."""
    quoted = [_quote(v) for v in values]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {t(lang, 'error.or')} " + quoted[-1]


def _shown(value: object) -> str:
    """A value the client sent, as text: never a repr of a Python object."""
    if isinstance(value, str):
        return _quote(value if len(value) <= 80 else value[:77] + "...")
    if isinstance(value, bool | int | float) or value is None:
        return _quote(value)
    return _quote(type(value).__name__.replace("dict", "object").replace("list", "array"))


def validation_message(error: Mapping[str, Any], lang: Language) -> str:
    """What is wrong with one value, from the catalogue; the path is said elsewhere.

    An error type without an entry reads ``error.invalid`` ("heeft een ongeldige
    waarde"), never pydantic's English message or a Python repr; a plain ``ValueError``
    of a validator adds its own words after it.
    """
    kind = _SAME.get(str(error.get("type")), str(error.get("type")))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    key = f"error.{kind}"
    params: dict[str, object] = {name: str(value) for name, value in ctx.items()}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        key = "error.id_pattern_mismatch"
    elif kind in _LIMITS:
        params = {"limit": ctx.get(_LIMITS[kind], "?")}
    elif kind in _LENGTHS:
        params = {"n": ctx.get("min_length" if kind.endswith("short") else "max_length", 0)}
    elif kind in ("enum", "union_tag_invalid"):
        expected = _QUOTED.findall(str(ctx.get("expected_tags" if "tag" in kind else "expected")))
        params = {
            "expected": _alternatives(expected, lang),
            "input": _shown(error.get("input")),
            "tag": _quote(ctx.get("tag", "")),
            "discriminator": str(ctx.get("discriminator", "")).strip("'"),
        }
    elif kind == "union_tag_not_found":
        params = {"discriminator": str(ctx.get("discriminator", "")).strip("'")}
    elif key not in catalogue(lang):
        # custom errors of the schema (error.relationship_role_required, …) have entries;
        # anything else is said in general terms, with a validator's own words if any
        said = t(lang, "error.invalid")
        if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
            said += f": {ctx['error']}"
        return said
    return t(lang, key, **params)


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
        extra["errors"] = [{"where": p.where, "message": p.message} for p in exc.problems]
    suggestions = getattr(exc, "suggestions", None)
    if suggestions:
        extra["suggestions"] = list(suggestions)
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
