"""Request bodies refused before the application parses them.

:class:`BodyLimitMiddleware` answers 413 for a body over its path's limit, 400 for a
malformed ``Content-Length`` and 400 for a JSON body that is not UTF-8 or that encodes a
lone UTF-16 surrogate; all as ``application/problem+json``.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from typing import Final

from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import title
from graph_schema.i18n import negotiate, t

__all__ = ["BodyLimitMiddleware", "json_body_problem"]

PROBLEM_JSON: Final = b"application/problem+json"
_DIGITS = re.compile(rb"[0-9]+")
# Longer than any limit this service would set; spares int() a huge digit string.
_MAX_LENGTH_DIGITS = 18
_UTF8_CHUNK = 1 << 20
# A \uXXXX escape of a surrogate, preceded by an even run of backslashes so that the
# backslash before "u" really starts an escape. A high surrogate followed by a low one is
# matched as a pair and is fine; a high one alone (group "high") or a low one alone (group
# "low") is not.
_SURROGATE_ESCAPE = re.compile(
    rb"(?<!\\)(?:\\\\)*\\u"
    rb"(?:(?P<high>[dD][89abAB][0-9a-fA-F]{2})(?P<pair>\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    rb"|(?P<low>[dD][c-fC-F][0-9a-fA-F]{2}))"
)


class BodyLimitMiddleware:
    """Refuse oversized or undecodable request bodies before they are parsed.

    Parameters
    ----------
    app : ASGIApp
        The application to protect.
    default_limit : int
        The most bytes a request body may have.
    limits : mapping of str to int
        Other limits by exact request path, e.g. ``{"/api/v1/import": 200 * 2**20}``.

    Notes
    -----
    Per HTTP request:

    - a ``Content-Length`` over the limit is answered with 413 at once, without reading
      the body; an unparsable one with 400;
    - a body without ``Content-Length`` (chunked) is read up to the limit; one byte more
      and the reading stops with 413. The application is only called once the whole body
      has arrived, with a ``receive`` that replays it, so it never sees a partial body
      and never races the 413;
    - a JSON body (``application/json`` or ``application/*+json``) is also read in full
      and checked by :func:`json_body_problem`;
    - any other body with an acceptable ``Content-Length`` streams through untouched:
      the server's framing already stops it at that length.

    Other scopes (websocket, lifespan) pass through.
    """

    def __init__(self, app: ASGIApp, *, default_limit: int, limits: Mapping[str, int]) -> None:
        self.app = app
        self.default_limit = default_limit
        self.limits = dict(limits)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.limits.get(path, self.default_limit)
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        length_values = [value for name, value in headers if name == b"content-length"]
        content_type = next((value for name, value in headers if name == b"content-type"), b"")
        is_json = _is_json(content_type)

        if length_values:
            refusal = _length_refusal(length_values, limit)
            if refusal is not None:
                await _send_problem(send, scope, *refusal, close=True)
                return
            if not is_json:
                await self.app(scope, receive, send)
                return

        body = await _read_body(receive, limit)
        if body is None:
            return  # the client went away: nobody to answer
        if isinstance(body, _TooLarge):
            await _send_problem(send, scope, *_too_large(limit), close=True)
            return
        if is_json and (problem := json_body_problem(body)):
            await _send_problem(send, scope, 400, "Bad request", (problem, {}))
            return
        await self.app(scope, _replay(body, receive), send)


class _TooLarge:
    pass


async def _read_body(receive: Receive, limit: int) -> bytes | _TooLarge | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return _TooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            # After the body, only a disconnect can come: wait for the real one.
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


_Refusal = tuple[int, str, tuple[str, dict[str, object]]]
"""Status, English title, and the detail as a catalogue key with its parameters."""


def _length_refusal(values: list[bytes], limit: int) -> _Refusal | None:
    # Repeated or comma-listed values are acceptable only if they agree (RFC 9110 §8.6).
    parts = [part.strip() for value in values for part in value.split(b",")]
    numbers = {part.lstrip(b"0") or b"0" for part in parts}
    if len(numbers) != 1 or not all(_DIGITS.fullmatch(part) for part in parts):
        return 400, "Bad request", ("error.body.bad_length", {})
    (digits,) = numbers
    if len(digits) > _MAX_LENGTH_DIGITS or int(digits) > limit:
        return _too_large(limit)
    return None


def _too_large(limit: int) -> _Refusal:
    return 413, "Payload too large", ("error.body.too_large", {"limit": limit})


def _is_json(content_type: bytes) -> bool:
    media_type = content_type.split(b";", 1)[0].strip().lower()
    return media_type == b"application/json" or (
        media_type.startswith(b"application/") and media_type.endswith(b"+json")
    )


def json_body_problem(body: bytes) -> str | None:
    """Why a JSON request body cannot be accepted, or None when it can.

    Parameters
    ----------
    body : bytes
        The raw request body.

    Returns
    -------
    str or None
        The catalogue key ``"error.body.not_utf8_json"`` for bytes that are not UTF-8, for a NUL
        byte (which rules out UTF-16 and UTF-32, which Python's ``json`` would otherwise
        accept) and for a ``\\uD800``-style escape of an unpaired surrogate; else None.

    Notes
    -----
    Syntax errors and excessive nesting are left to FastAPI, which answers them with 422
    and 400 on its own. An unpaired surrogate is valid JSON syntax but no Unicode text:
    accepted, it makes the response serialiser (and the stores) fail with a 500 later.
    RFC 8259 §8.1 requires UTF-8 for JSON exchanged between systems.

    Examples
    --------
    >>> json_body_problem(b'{"name": "caf\\xc3\\xa9 \\\\ud83d\\\\ude00"}') is None
    True
    >>> json_body_problem(b'{"name": "\\\\ud800"}')
    'error.body.not_utf8_json'
    """
    invalid = "error.body.not_utf8_json"
    if b"\x00" in body or not _is_utf8(body):
        return invalid
    for match in _SURROGATE_ESCAPE.finditer(body):
        if match["low"] or not match["pair"]:
            return invalid
    return None


def _is_utf8(body: bytes) -> bool:
    if body.isascii():
        return True
    # Decoded piecewise so a large body is not doubled in memory as one big str.
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(body)
    try:
        for start in range(0, len(body), _UTF8_CHUNK):
            decoder.decode(view[start : start + _UTF8_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


async def _send_problem(
    send: Send,
    scope: Scope,
    status: int,
    heading: str,
    detail: tuple[str, dict[str, object]],
    *,
    close: bool = False,
) -> None:
    """A problem document in the request's language, as the service's handlers write it."""
    lang = negotiate(
        QueryParams(scope.get("query_string", b"")).get("lang"),
        Headers(scope=scope).get("accept-language"),
    )
    key, params = detail
    problem = {
        "type": "about:blank",
        "title": title(lang, status, heading),
        "status": status,
        "detail": t(lang, key, **params),
        "instance": scope["path"],
    }
    content = json.dumps(problem, separators=(",", ":")).encode()
    headers = [(b"content-type", PROBLEM_JSON), (b"content-length", str(len(content)).encode())]
    if close:
        # Unread body bytes may still be on the wire: the connection cannot be reused.
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
