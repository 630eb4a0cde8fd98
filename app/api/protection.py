"""Protection at the edge: security headers on every response, and a rate limit per key.

Both are plain ASGI middleware, so they hold for every route, static files included,
and a new route cannot forget them.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.settings import RateLimit
from graph_schema.i18n import Language, negotiate, t

__all__ = [
    "API_CSP",
    "DOCS_CSP",
    "EXPLORER_CSP",
    "RateLimitMiddleware",
    "SecurityHeadersMiddleware",
]

EXPLORER_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""The explorer's policy: its own files only, no inline script, never inside a frame."""

API_CSP = "default-src 'none'; frame-ancestors 'none'"
"""JSON and files from the API are data, never a page."""

DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""The API documentation (/docs, /redoc): scripts only from the service's own files (no
inline script, no CDN); inline styles, which Swagger UI and ReDoc set on their elements;
ReDoc's search runs in a worker it makes from a blob."""

_DOCS = ("/docs", "/redoc", "/apidocs/")


def _policy(path: str) -> str:
    if path.startswith(_DOCS):
        return DOCS_CSP
    if path == "/" or path.startswith("/explorer"):
        return EXPLORER_CSP
    return API_CSP


class SecurityHeadersMiddleware:
    """Adds nosniff, no-referrer, frame denial and a content security policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = _policy(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                extra.append((b"content-security-policy", policy.encode()))
                headers += [(name, value) for name, value in extra if name not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Buckets:
    """Token buckets per client, the least recently seen forgotten beyond ``capacity``."""

    def __init__(self, limit: RateLimit, capacity: int = 100_000) -> None:
        self.limit = limit
        self.rate = limit.requests / limit.seconds
        self.capacity = capacity
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str, now: float) -> float:
        """0 when the request may go; else the seconds until it may."""
        with self._lock:
            tokens, seen = self._buckets.pop(client, (float(self.limit.requests), now))
            tokens = min(float(self.limit.requests), tokens + (now - seen) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.capacity:
                self._buckets.popitem(last=False)
            return wait


def _language(scope: Scope) -> Language:
    """The answer's language as the routes decide it: ``lang``, Accept-Language, Dutch."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1") or None
    return negotiate((query.get("lang") or [None])[0], accept)


def _client(scope: Scope) -> str:
    """The API key presented (by digest), else the client's address."""
    headers = dict(scope.get("headers") or [])
    key = headers.get(b"x-api-key")
    if key is None:
        authorization = headers.get(b"authorization", b"")
        if authorization[:7].lower() == b"bearer ":
            key = authorization[7:].strip()
    if key:
        return "key:" + hashlib.sha256(key).hexdigest()[:16]
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


class RateLimitMiddleware:
    """Answers 429 with Retry-After when a client (key or address) exceeds its limit."""

    def __init__(self, app: ASGIApp, limit: RateLimit, exempt: Iterable[str] = ()) -> None:
        self.app = app
        self.buckets = _Buckets(limit)
        self.exempt = tuple(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(_client(scope), time.monotonic())
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        limit = self.buckets.limit
        lang = _language(scope)
        detail = t(
            lang, "error.rate_limited", n=limit.requests, seconds=f"{limit.seconds:g}", retry=retry
        )
        body = json.dumps(
            {
                "type": "about:blank",
                "title": t(lang, "error.title.429"),
                "status": 429,
                "detail": detail,
                "instance": scope["path"],
            },
            ensure_ascii=False,
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
