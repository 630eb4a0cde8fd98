"""Body limits and undecodable JSON, refused before the route runs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette.types import Message, Receive, Scope, Send

from app.api.limits import BodyLimitMiddleware, json_body_problem
from app.api.problems import install_problem_handlers
from graph_schema.i18n import t

LIMIT = 1024
IMPORT_LIMIT = 4096
NOT_UTF8_JSON = "de body is geen geldige UTF-8-JSON"


class Named(BaseModel):
    name: str


class Calls:
    def __init__(self) -> None:
        self.count = 0


def build_app(calls: Calls, *, limited: bool = True) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    if limited:
        limits = {"/import": IMPORT_LIMIT}
        app.add_middleware(BodyLimitMiddleware, default_limit=LIMIT, limits=limits)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        calls.count += 1
        return {"received": len(await request.body())}

    @app.post("/import")
    async def import_(request: Request) -> dict[str, int]:
        calls.count += 1
        return {"received": len(await request.body())}

    @app.post("/named")
    def named(body: Named) -> Named:
        calls.count += 1
        return body

    @app.post("/anything")
    def anything(body: dict[str, Any] | list[Any]) -> dict[str, str]:
        calls.count += 1
        return {"type": type(body).__name__}

    return app


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def client(calls: Calls) -> TestClient:
    return TestClient(build_app(calls))


def chunks(total: int, size: int = 100) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"x" * piece


def assert_problem(response: httpx.Response, status: int, detail: str, path: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == detail
    assert response.json()["instance"] == path


# --- limits through the app -------------------------------------------------------------


def test_a_body_within_the_limit_reaches_the_route(client: TestClient, calls: Calls) -> None:
    assert client.post("/echo", content=b"x" * LIMIT).json() == {"received": LIMIT}
    assert calls.count == 1


def test_content_length_over_the_limit_is_413_without_the_route(
    client: TestClient, calls: Calls
) -> None:
    response = client.post("/echo", content=b"x" * (LIMIT + 1))
    assert response.json() == {
        "type": "about:blank",
        "title": "Verzoek te groot",
        "status": 413,
        "detail": f"de body van het verzoek is groter dan {LIMIT} bytes",
        "instance": "/echo",
    }
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["connection"] == "close"
    assert calls.count == 0


def test_the_refusal_speaks_the_language_asked_for(client: TestClient) -> None:
    english = client.post("/echo?lang=en", content=b"x" * (LIMIT + 1)).json()
    assert (english["title"], english["detail"]) == (
        "Request too large",
        t("en", "error.body.too_large", limit=LIMIT),
    )
    assert english["detail"] == f"the request body exceeds {LIMIT} bytes"
    headers = {"Accept-Language": "en-GB,en;q=0.9", "Content-Type": "application/json"}
    broken = client.post("/named", content=b'{"name": "\\ud800"}', headers=headers).json()
    assert broken["detail"] == "the body is not valid UTF-8 JSON"


def test_each_path_has_its_own_limit(client: TestClient, calls: Calls) -> None:
    body = b"x" * (LIMIT + 1)
    assert client.post("/import", content=body).json() == {"received": LIMIT + 1}
    over = client.post("/import", content=b"x" * (IMPORT_LIMIT + 1))
    assert_problem(
        over, 413, f"de body van het verzoek is groter dan {IMPORT_LIMIT} bytes", "/import"
    )
    assert calls.count == 1


def test_a_chunked_body_over_the_limit_is_413_without_the_route(
    client: TestClient, calls: Calls
) -> None:
    response = client.post("/echo", content=chunks(LIMIT + 1))
    assert_problem(response, 413, f"de body van het verzoek is groter dan {LIMIT} bytes", "/echo")
    assert calls.count == 0


def test_a_chunked_body_within_the_limit_arrives_whole(client: TestClient, calls: Calls) -> None:
    assert client.post("/echo", content=chunks(LIMIT)).json() == {"received": LIMIT}
    assert calls.count == 1


def test_a_streamed_body_over_the_limit_is_cut_off(calls: Calls) -> None:
    transport = httpx.ASGITransport(app=build_app(calls))
    sent = 0

    async def stream() -> AsyncIterator[bytes]:
        nonlocal sent
        for piece in chunks(100 * LIMIT):
            sent += len(piece)
            yield piece

    async def post() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/echo", content=stream())

    response = asyncio.run(post())
    assert response.status_code == 413
    assert calls.count == 0
    assert sent <= LIMIT + 200, "the middleware kept reading after the limit"


# --- the middleware on its own ----------------------------------------------------------


class Inner:
    """An ASGI app that records what it was called with."""

    def __init__(self, *, listen_after_body: bool = False) -> None:
        self.calls = 0
        self.received: list[Message] = []
        self.listen_after_body = listen_after_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        if scope["type"] != "http":
            return
        while True:
            message = await receive()
            self.received.append(message)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        if self.listen_after_body:
            self.received.append(await receive())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def run(
    headers: list[tuple[bytes, bytes]],
    messages: list[Message],
    inner: Inner,
    scope_type: str = "http",
) -> tuple[list[Message], int]:
    """Drive the middleware; returns what it sent and how many messages it received."""
    return asyncio.run(drive(headers, messages, inner, scope_type))


async def drive(
    headers: list[tuple[bytes, bytes]], messages: list[Message], inner: Inner, scope_type: str
) -> tuple[list[Message], int]:
    middleware = BodyLimitMiddleware(inner, default_limit=LIMIT, limits={})
    pending = iter(messages)
    taken = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal taken
        taken += 1
        return next(pending, {"type": "http.disconnect"})

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": scope_type, "path": "/p", "method": "POST", "headers": headers}
    await middleware(scope, receive, send)
    return sent, taken


def body_of(sent: list[Message]) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(sent[1]["body"])
    return parsed


@pytest.mark.parametrize(
    "value",
    [b"abc", b"-1", b"1.5", b"", b"1, 2", b"0x10", b"\xd9\xa1"],
)
def test_an_invalid_content_length_is_400(value: bytes) -> None:
    inner = Inner()
    sent, taken = run([(b"content-length", value)], [], inner)
    assert sent[0]["status"] == 400
    assert body_of(sent)["detail"] == "de header Content-Length is geen geldige lengte"
    assert (inner.calls, taken) == (0, 0)


def test_disagreeing_content_lengths_are_400() -> None:
    inner = Inner()
    headers = [(b"content-length", b"5"), (b"content-length", b"6")]
    sent, _ = run(headers, [], inner)
    assert sent[0]["status"] == 400
    assert inner.calls == 0


def test_agreeing_repeated_content_lengths_are_accepted() -> None:
    inner = Inner()
    headers = [(b"content-length", b"5"), (b"content-length", b"005, 5")]
    messages: list[Message] = [{"type": "http.request", "body": b"12345"}]
    sent, _ = run(headers, messages, inner)
    assert sent[0]["status"] == 204
    assert inner.calls == 1


def test_a_huge_content_length_is_413_not_a_crash() -> None:
    inner = Inner()
    sent, taken = run([(b"content-length", b"9" * 5000)], [], inner)
    assert sent[0]["status"] == 413
    assert (inner.calls, taken) == (0, 0)


def test_reading_stops_at_the_first_chunk_over_the_limit() -> None:
    inner = Inner()
    messages: list[Message] = [
        {"type": "http.request", "body": b"x" * 100, "more_body": True} for _ in range(50)
    ]
    sent, taken = run([], messages, inner)
    assert sent[0]["status"] == 413
    assert (b"connection", b"close") in sent[0]["headers"]
    assert inner.calls == 0
    assert taken == LIMIT // 100 + 1


def test_the_route_gets_the_body_replayed_then_the_real_disconnect() -> None:
    inner = Inner(listen_after_body=True)
    messages: list[Message] = [
        {"type": "http.request", "body": b"ab", "more_body": True},
        {"type": "http.request", "body": b"cd", "more_body": False},
    ]
    sent, taken = run([], messages, inner)
    assert sent[0]["status"] == 204
    assert inner.received == [
        {"type": "http.request", "body": b"abcd", "more_body": False},
        {"type": "http.disconnect"},
    ]
    assert taken == 3, "the disconnect must come from the server, not the replay"


def test_a_client_gone_mid_body_gets_no_answer() -> None:
    inner = Inner()
    messages: list[Message] = [{"type": "http.request", "body": b"ab", "more_body": True}]
    sent, _ = run([], messages, inner)
    assert sent == []
    assert inner.calls == 0


def test_a_plain_body_with_a_length_streams_through_untouched() -> None:
    inner = Inner()
    messages: list[Message] = [
        {"type": "http.request", "body": b"\xff" * 10, "more_body": True},
        {"type": "http.request", "body": b"\xff" * 10, "more_body": False},
    ]
    headers = [(b"content-length", b"20"), (b"content-type", b"application/octet-stream")]
    sent, _ = run(headers, messages, inner)
    assert sent[0]["status"] == 204
    assert len(inner.received) == 2


@pytest.mark.parametrize("scope_type", ["websocket", "lifespan"])
def test_other_scopes_pass_through(scope_type: str) -> None:
    inner = Inner()
    sent, taken = run([(b"content-length", b"bogus")], [], inner, scope_type)
    assert (inner.calls, sent, taken) == (1, [], 0)


# --- JSON bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"name": "\xff"}', "application/json"),
        (b'{"name": "caf\xe9"}', "application/json; charset=utf-8"),
        ('{"name": "x"}'.encode("utf-16"), "application/json"),
        ('{"name": "x"}'.encode("utf-16-le"), "application/json"),
        ('{"name": "x"}'.encode("utf-32"), "application/json"),
        (b'{"name": "\\ud800"}', "application/json"),
        (b'{"name": "\\uDC00"}', "application/json"),
        (b'{"name": "\\ud800\\u0041"}', "application/json"),
        (b'{"name": "\\\\\\ud800"}', "application/json"),
        (b'{"name": "\\ud800"}', "application/merge-patch+json"),
    ],
)
def test_json_that_is_not_utf8_text_is_400(
    client: TestClient, calls: Calls, content: bytes, content_type: str
) -> None:
    response = client.post("/named", content=content, headers={"content-type": content_type})
    assert_problem(response, 400, NOT_UTF8_JSON, "/named")
    assert calls.count == 0


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ('{"name": "café"}'.encode(), "café"),
        (b'{"name": "\\u00e9"}', "é"),
        (b'{"name": "\\ud83d\\ude00"}', "\U0001f600"),
        (b'{"name": "\\\\ud800"}', "\\ud800"),
        (b'{"name": "\\\\\\\\ud800"}', "\\\\ud800"),
    ],
)
def test_valid_utf8_json_passes(client: TestClient, content: bytes, name: str) -> None:
    response = client.post("/named", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"name": name}


def test_a_json_body_over_the_limit_is_413_before_any_check(client: TestClient) -> None:
    content = b'"' + b"\xff" * LIMIT + b'"'
    response = client.post("/named", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_a_non_json_body_is_not_checked(client: TestClient, calls: Calls) -> None:
    response = client.post("/echo", content=b"\xff\x00", headers={"content-type": "text/plain"})
    assert response.json() == {"received": 2}


def test_json_body_problem_reads_large_bodies_in_pieces() -> None:
    # 1 + 2n bytes: every 1 MiB piece boundary falls inside a two-byte character.
    encoded = json.dumps("é" * (3 << 20), ensure_ascii=False).encode()
    assert json_body_problem(encoded) is None
    broken = encoded[: (1 << 20) + 2] + b'"'
    assert json_body_problem(broken) == "error.body.not_utf8_json"
    assert json_body_problem(encoded[:-2]) == "error.body.not_utf8_json", "a truncated character"


# --- what FastAPI does on its own (behind the middleware) --------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b"[" * 2_000 + b"]" * 2_000,
    ],
)
def test_deeply_nested_json_is_a_400_problem_not_a_500(calls: Calls, content: bytes) -> None:
    client = TestClient(build_app(calls, limited=False), raise_server_exceptions=False)
    response = client.post(
        "/anything", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert calls.count == 0


def test_syntactically_invalid_json_is_a_422_problem(client: TestClient) -> None:
    response = client.post(
        "/named", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
