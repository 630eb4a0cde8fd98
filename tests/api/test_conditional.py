"""ETags, 304 Not Modified and 412/428 for updates, on a small app built here."""

from __future__ import annotations

import hashlib
import re

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.api.conditional import check_if_match, check_if_none_match
from app.api.problems import install_problem_handlers
from app.errors import NotFoundError
from graph_schema.interchange import etag_of


class Thing(BaseModel):
    name: str
    size: int = 0


def build_app(*, required: bool) -> FastAPI:
    """GET, PUT (create or replace) and DELETE of things held in a dict."""
    app = FastAPI()
    install_problem_handlers(app)
    things: dict[str, Thing] = {"a": Thing(name="a", size=1)}
    app.state.things = things

    @app.get("/things/{name}", response_model=Thing)
    def get_thing(request: Request, response: Response, name: str) -> Thing | Response:
        thing = things.get(name)
        if thing is None:
            raise NotFoundError(f"no thing {name!r}")
        etag = etag_of(thing)
        if (not_modified := check_if_none_match(request, etag)) is not None:
            return not_modified
        response.headers["ETag"] = etag
        return thing

    @app.put("/things/{name}")
    def put_thing(request: Request, response: Response, name: str, size: int) -> Thing:
        current = things.get(name)
        current_etag = etag_of(current) if current is not None else None
        check_if_none_match(request, current_etag)
        check_if_match(request, current_etag, required=required)
        things[name] = Thing(name=name, size=size)
        response.headers["ETag"] = etag_of(things[name])
        return things[name]

    @app.delete("/things/{name}", status_code=204)
    def delete_thing(request: Request, name: str) -> None:
        current = things.get(name)
        if current is None:
            raise NotFoundError(f"no thing {name!r}")
        check_if_match(request, etag_of(current), required=required)
        del things[name]

    return app


@pytest.fixture
def app() -> FastAPI:
    return build_app(required=False)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture
def strict() -> TestClient:
    return TestClient(build_app(required=True))


def etag_a(client: TestClient) -> str:
    etag: str = client.get("/things/a").headers["etag"]
    return etag


def assert_problem(response: httpx.Response, status: int, title: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == title


# --- etag_of ----------------------------------------------------------------------------


def test_etag_is_a_quoted_prefix_of_the_sha256_of_the_json() -> None:
    thing = Thing(name="a", size=1)
    expected = hashlib.sha256(thing.model_dump_json().encode()).hexdigest()[:32]
    assert etag_of(thing) == f'"{expected}"'
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag_of(thing))


def test_etag_follows_the_content() -> None:
    assert etag_of(Thing(name="a", size=1)) == etag_of(Thing(name="a", size=1))
    assert etag_of(Thing(name="a", size=1)) != etag_of(Thing(name="a", size=2))
    assert etag_of(Thing(name="a", size=1)) != etag_of(Thing(name="b", size=1))


# --- If-None-Match ----------------------------------------------------------------------


def test_a_get_carries_the_etag(client: TestClient) -> None:
    response = client.get("/things/a")
    assert response.headers["etag"] == etag_of(Thing(name="a", size=1))
    assert response.json() == {"name": "a", "size": 1}


@pytest.mark.parametrize(
    "header",
    [
        "{etag}",
        '"other", {etag}',
        '"other",{etag} , "more"',
        "W/{etag}",
        '"x", W/{etag}',
        "*",
        " * ",
    ],
)
def test_if_none_match_that_matches_is_304_without_body(client: TestClient, header: str) -> None:
    etag = etag_a(client)
    response = client.get("/things/a", headers={"If-None-Match": header.format(etag=etag)})
    assert response.status_code == 304
    assert response.headers["etag"] == etag
    assert response.content == b""


def test_several_if_none_match_lines_count_as_one_list(client: TestClient) -> None:
    etag = etag_a(client)
    headers = [("If-None-Match", '"other"'), ("If-None-Match", etag)]
    assert client.get("/things/a", headers=headers).status_code == 304


@pytest.mark.parametrize(
    "header",
    ['"other"', 'W/"other"', "not-an-etag", "{bare}", '"{bare}" trailing', ""],
)
def test_if_none_match_that_does_not_match_is_200(client: TestClient, header: str) -> None:
    bare = etag_a(client).strip('"')
    response = client.get("/things/a", headers={"If-None-Match": header.format(bare=bare)})
    assert response.status_code == 200
    assert response.json()["name"] == "a"


def test_an_etag_with_a_comma_inside_is_one_tag(client: TestClient) -> None:
    bare = etag_a(client).strip('"')
    header = f'"{bare[:10]},{bare[10:]}"'
    assert client.get("/things/a", headers={"If-None-Match": header}).status_code == 200


def test_if_none_match_star_on_a_put_creates_only(client: TestClient, app: FastAPI) -> None:
    created = client.put("/things/b", params={"size": 5}, headers={"If-None-Match": "*"})
    assert created.status_code == 200
    again = client.put("/things/b", params={"size": 6}, headers={"If-None-Match": "*"})
    assert_problem(again, 412, "Voorwaarde niet vervuld")
    assert app.state.things["b"].size == 5


# --- If-Match ---------------------------------------------------------------------------


def test_if_match_with_the_current_etag_updates(client: TestClient, app: FastAPI) -> None:
    etag = etag_a(client)
    response = client.put("/things/a", params={"size": 2}, headers={"If-Match": etag})
    assert response.status_code == 200
    assert response.headers["etag"] == etag_of(Thing(name="a", size=2))
    assert app.state.things["a"].size == 2


def test_a_stale_if_match_is_412_and_changes_nothing(client: TestClient, app: FastAPI) -> None:
    stale = etag_a(client)
    assert client.put("/things/a", params={"size": 2}, headers={"If-Match": stale}).is_success
    lost = client.put("/things/a", params={"size": 3}, headers={"If-Match": stale})
    assert_problem(lost, 412, "Voorwaarde niet vervuld")
    assert app.state.things["a"].size == 2


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ('"other", {etag}', 200),
        ("*", 200),
        ("W/{etag}", 412),
        ('"other"', 412),
        ("garbage", 412),
        ("", 412),
    ],
)
def test_if_match_uses_strong_comparison(client: TestClient, header: str, status: int) -> None:
    etag = etag_a(client)
    headers = {"If-Match": header.format(etag=etag)}
    assert client.put("/things/a", params={"size": 2}, headers=headers).status_code == status


def test_if_match_star_fails_when_nothing_exists(client: TestClient, app: FastAPI) -> None:
    response = client.put("/things/new", params={"size": 1}, headers={"If-Match": "*"})
    assert_problem(response, 412, "Voorwaarde niet vervuld")
    assert "new" not in app.state.things


def test_if_match_on_delete(client: TestClient, app: FastAPI) -> None:
    assert_problem(
        client.delete("/things/a", headers={"If-Match": '"other"'}), 412, "Voorwaarde niet vervuld"
    )
    assert client.delete("/things/a", headers={"If-Match": etag_a(client)}).status_code == 204
    assert "a" not in app.state.things


def test_without_if_match_updates_pass_when_not_required(client: TestClient) -> None:
    assert client.put("/things/a", params={"size": 2}).status_code == 200
    assert client.delete("/things/a").status_code == 204


def test_without_if_match_updates_are_428_when_required(strict: TestClient) -> None:
    assert_problem(strict.put("/things/a", params={"size": 2}), 428, "Voorwaarde vereist")
    assert_problem(strict.delete("/things/a"), 428, "Voorwaarde vereist")
    headers = {"If-Match": etag_a(strict)}
    assert strict.put("/things/a", params={"size": 2}, headers=headers).status_code == 200


def test_required_if_match_does_not_block_creation(strict: TestClient) -> None:
    assert strict.put("/things/new", params={"size": 1}).status_code == 200


def test_a_missing_resource_stays_404_whatever_the_preconditions(strict: TestClient) -> None:
    response = strict.delete("/things/nothing", headers={"If-Match": '"x"'})
    assert_problem(response, 404, "Niet gevonden")
