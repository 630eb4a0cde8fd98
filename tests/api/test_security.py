"""API keys, scopes and the 401/403 problems, on a small app built here."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import SecretStr

from app.api.problems import install_problem_handlers
from app.api.security import (
    AdminAccess,
    ApiKey,
    ContactsAccess,
    KeyRing,
    Principal,
    ReadAccess,
    Scope,
    UnauthorizedError,
    WriteAccess,
    parse_api_keys,
    require,
    route_scopes,
)
from app.settings import Settings

READER = "reader-key-0000000001"
WRITER = "writer-key-0000000002"
ADMIN = "admin-key-00000000003"
CONTACTS = "contacts-key-00000004"
UNKNOWN = "unknown-key-000000009"
ALL_KEYS = f"{READER}:read, {WRITER}:write, {ADMIN}:admin, {CONTACTS}:contacts"


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def build_app(keys: str = ALL_KEYS, *, open_reads: bool = True) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.settings = Settings(api_keys=SecretStr(keys), open_reads=open_reads)
    app.state.keyring = KeyRing.from_settings(app.state.settings)

    def show(principal: Principal) -> dict[str, object]:
        return {"key_id": principal.key_id, "scopes": sorted(principal.scopes)}

    @app.get("/things")
    def read(principal: ReadAccess) -> dict[str, object]:
        return show(principal)

    @app.post("/things")
    def write(principal: WriteAccess) -> dict[str, object]:
        return show(principal)

    @app.delete("/things")
    def administer(principal: AdminAccess) -> dict[str, object]:
        return show(principal)

    @app.get("/contacts")
    def contacts(principal: ContactsAccess) -> dict[str, object]:
        return show(principal)

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(build_app())


def with_key(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- parse_api_keys -------------------------------------------------------------------


def test_parse_keeps_digests_ids_and_implied_scopes() -> None:
    keys = parse_api_keys(f"  {READER}:read ,{WRITER}:write+admin,, {CONTACTS} : Contacts ,")
    assert [k.key_id for k in keys] == [key_id(READER), key_id(WRITER), key_id(CONTACTS)]
    assert keys[0].hashed == hashlib.sha256(READER.encode()).digest()
    assert keys[0].scopes == {Scope.READ}
    assert keys[1].scopes == {Scope.READ, Scope.WRITE, Scope.ADMIN}
    assert keys[2].scopes == {Scope.READ, Scope.CONTACTS}


@pytest.mark.parametrize(
    ("scope", "granted"),
    [
        ("read", {Scope.READ}),
        ("write", {Scope.READ, Scope.WRITE}),
        ("admin", {Scope.READ, Scope.WRITE, Scope.ADMIN}),
        ("contacts", {Scope.READ, Scope.CONTACTS}),
        ("admin+contacts", set(Scope)),
    ],
)
def test_scope_implications(scope: str, granted: set[Scope]) -> None:
    (key,) = parse_api_keys(f"{WRITER}:{scope}")
    assert key.scopes == granted


def test_admin_does_not_grant_personal_data() -> None:
    (key,) = parse_api_keys(f"{ADMIN}:admin")
    assert not key.allows(Scope.CONTACTS)


@pytest.mark.parametrize("text", ["", "   ", " , ,"])
def test_blank_configuration_has_no_keys(text: str) -> None:
    assert parse_api_keys(text) == []


def test_the_plain_key_is_not_kept() -> None:
    (key,) = parse_api_keys(f"{WRITER}:write")
    assert WRITER not in repr(key)
    assert all(WRITER not in str(value) for value in vars_of(key))


def vars_of(key: ApiKey) -> list[object]:
    return [getattr(key, name) for name in key.__slots__]


@pytest.mark.parametrize(
    ("text", "secret", "message"),
    [
        (f"{READER}:read, {WRITER}", WRITER, "entry 2: expected KEY:SCOPE"),
        (f"{READER}:read,{WRITER}:sudo", WRITER, "entry 2: unknown scope"),
        (f"{WRITER}:write+", WRITER, "entry 1: a scope is missing"),
        (f"{WRITER}:", WRITER, "entry 1: a scope is missing"),
        (":read", "", "entry 1: the key is empty"),
        ("short-key-15chr:read", "short-key-15chr", "entry 1: the key is shorter than 16"),
        ("a key with spaces:read", "a key with spaces", "entry 1: the key has characters"),
        (
            f"{WRITER}:write,{READER}:read,{WRITER}:admin",
            WRITER,
            "entry 3: repeats the key of entry 1",
        ),
        # A colon typed inside a key: what follows it must not be echoed as a "scope".
        ("abcdefghijklmnop:qrstuvwxyz", "qrstuvwxyz", "entry 1: unknown scope"),
    ],
)
def test_bad_entries_are_named_by_position_without_the_key(
    text: str, secret: str, message: str
) -> None:
    with pytest.raises(ValueError, match="HELIX_API_KEYS") as caught:
        parse_api_keys(text)
    assert message in str(caught.value)
    if secret:
        assert secret not in str(caught.value)


def test_every_bad_entry_is_reported_at_once() -> None:
    with pytest.raises(ValueError, match="entry 1") as caught:
        parse_api_keys(f"tooshort:read,{WRITER}:write,{READER}:nope")
    assert "entry 3" in str(caught.value)
    assert "entry 2" not in str(caught.value)


def test_key_ring_from_settings_rejects_a_bad_configuration() -> None:
    with pytest.raises(ValueError, match="entry 1"):
        KeyRing.from_settings(Settings(api_keys=SecretStr("nocolon-but-long-enough")))


# --- KeyRing.authenticate ---------------------------------------------------------------


def test_authenticate_finds_the_key_or_nothing() -> None:
    ring = KeyRing(parse_api_keys(ALL_KEYS))
    found = ring.authenticate(ADMIN)
    assert found is not None
    assert found.key_id == key_id(ADMIN)
    assert ring.authenticate(UNKNOWN) is None
    assert ring.authenticate("") is None


@pytest.mark.parametrize("presented", [READER, CONTACTS, UNKNOWN])
def test_authenticate_compares_with_every_key_in_constant_time(
    presented: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = KeyRing(parse_api_keys(ALL_KEYS))
    calls: list[bytes] = []
    compare_digest = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append(b)
        return compare_digest(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    ring.authenticate(presented)
    assert calls == [key.hashed for key in ring]


# --- the dependency over HTTP -----------------------------------------------------------


def assert_problem(response: Response, status: int, title: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (status, title)


@pytest.mark.parametrize("headers", [with_key(WRITER), bearer(WRITER)])
def test_a_key_with_the_scope_passes_with_either_header(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/things", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"key_id": key_id(WRITER), "scopes": ["read", "write"]}


def test_the_bearer_scheme_is_case_insensitive(client: TestClient) -> None:
    response = client.post("/things", headers={"Authorization": f"bearer {ADMIN}"})
    assert response.json()["key_id"] == key_id(ADMIN)


def test_no_key_for_a_write_is_401(client: TestClient) -> None:
    response = client.post("/things")
    assert_problem(response, 401, "Niet aangemeld")
    assert "write" in response.json()["detail"]


def test_an_unknown_key_is_401_and_not_echoed(client: TestClient) -> None:
    for headers in (with_key(UNKNOWN), bearer(UNKNOWN)):
        response = client.get("/things", headers=headers)
        assert_problem(response, 401, "Niet aangemeld")
        assert UNKNOWN not in response.text


def test_a_key_without_the_scope_is_403_not_401(client: TestClient) -> None:
    response = client.post("/things", headers=with_key(READER))
    assert_problem(response, 403, "Geen toestemming")
    assert key_id(READER) in response.json()["detail"]
    assert READER not in response.text
    assert "www-authenticate" not in response.headers


def test_admin_needs_admin(client: TestClient) -> None:
    assert_problem(client.delete("/things", headers=with_key(WRITER)), 403, "Geen toestemming")
    assert client.delete("/things", headers=with_key(ADMIN)).status_code == 200


def test_personal_data_needs_the_contacts_scope(client: TestClient) -> None:
    assert_problem(client.get("/contacts"), 401, "Niet aangemeld")
    assert_problem(client.get("/contacts", headers=with_key(ADMIN)), 403, "Geen toestemming")
    response = client.get("/contacts", headers=with_key(CONTACTS))
    assert response.json() == {"key_id": key_id(CONTACTS), "scopes": ["contacts", "read"]}


def test_open_reads_let_anonymous_readers_in() -> None:
    client = TestClient(build_app(open_reads=True))
    assert client.get("/things").json() == {"key_id": "anonymous", "scopes": ["read"]}
    assert client.get("/things", headers=with_key(READER)).json()["key_id"] == key_id(READER)


def test_closed_reads_need_a_key() -> None:
    client = TestClient(build_app(open_reads=False))
    assert_problem(client.get("/things"), 401, "Niet aangemeld")
    assert client.get("/things", headers=bearer(READER)).status_code == 200


def test_open_reads_still_refuse_an_unknown_key() -> None:
    client = TestClient(build_app(open_reads=True))
    assert_problem(client.get("/things", headers=with_key(UNKNOWN)), 401, "Niet aangemeld")


def test_no_keys_configured_refuses_every_write() -> None:
    client = TestClient(build_app(""))
    assert_problem(client.post("/things", headers=with_key(WRITER)), 401, "Niet aangemeld")


def test_two_different_keys_are_a_400(client: TestClient) -> None:
    response = client.post("/things", headers={**with_key(WRITER), **bearer(ADMIN)})
    assert_problem(response, 400, "Twee verschillende sleutels")
    assert WRITER not in response.text
    assert ADMIN not in response.text


def test_the_same_key_in_both_headers_is_fine(client: TestClient) -> None:
    response = client.post("/things", headers={**with_key(WRITER), **bearer(WRITER)})
    assert response.status_code == 200


def test_another_authorization_scheme_is_not_a_key(client: TestClient) -> None:
    headers = {"Authorization": "Basic dXNlcjpwYXNz"}
    assert client.get("/things", headers=headers).json()["key_id"] == "anonymous"
    assert_problem(client.post("/things", headers=headers), 401, "Niet aangemeld")


def test_unauthorized_carries_the_challenge() -> None:
    error = UnauthorizedError("no key")
    assert error.headers is not None
    assert error.headers["WWW-Authenticate"] == 'Bearer realm="helixgraph"'


def test_401_has_the_www_authenticate_header(client: TestClient) -> None:
    for response in (client.post("/things"), client.post("/things", headers=bearer(UNKNOWN))):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Bearer realm="helixgraph"'


def test_the_security_schemes_appear_in_openapi() -> None:
    schema = build_app().openapi()
    assert set(schema["components"]["securitySchemes"]) == {"APIKeyHeader", "HTTPBearer"}
    assert schema["paths"]["/things"]["post"]["security"] == [
        {"APIKeyHeader": []},
        {"HTTPBearer": []},
    ]


# --- route_scopes -----------------------------------------------------------------------


def audited(principal: WriteAccess) -> str:
    return principal.key_id


def test_route_scopes_finds_each_declared_scope() -> None:
    app = build_app()

    @app.get("/open")
    def unprotected() -> dict[str, str]:
        return {}

    @app.put("/nested")
    def nested(actor: Annotated[str, Depends(audited)]) -> str:
        return actor

    admin_router = APIRouter(prefix="/admin", dependencies=[Depends(require(Scope.ADMIN))])

    @admin_router.post("/reindex")
    def reindex() -> None:
        return None

    @admin_router.get("/peek")
    def peek(principal: ReadAccess) -> str:
        return principal.key_id

    app.include_router(admin_router)

    scopes = route_scopes(app)
    assert scopes == {
        ("GET", "/things"): Scope.READ,
        ("POST", "/things"): Scope.WRITE,
        ("DELETE", "/things"): Scope.ADMIN,
        ("GET", "/contacts"): Scope.CONTACTS,
        ("GET", "/open"): None,
        ("PUT", "/nested"): Scope.WRITE,
        ("POST", "/admin/reindex"): Scope.ADMIN,
        ("GET", "/admin/peek"): Scope.ADMIN,
    }


def test_require_gives_one_dependency_per_scope() -> None:
    assert require(Scope.WRITE) is require(Scope.WRITE)
    assert require(Scope.WRITE) is not require(Scope.READ)
    assert require(Scope.ADMIN).scope is Scope.ADMIN
