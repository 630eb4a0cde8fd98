"""Security headers, CORS and the rate limit, as a client sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from app.api.protection import API_CSP, EXPLORER_CSP
from app.cli import cli
from app.errors import InvalidSettingsError
from app.main import create_app
from app.settings import RateLimit, Settings
from app.store import EmbeddedStore

READER = "reader-key-0123456789"
OTHER = "other-reader-key-0123"


def client_with(embedded: EmbeddedStore, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(**settings), store=embedded))  # type: ignore[arg-type]


@pytest.fixture
def embedded(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "h.sqlite3")


def test_every_answer_carries_the_security_headers(embedded: EmbeddedStore) -> None:
    with client_with(embedded) as client:
        for path in ("/api/v1/organisations", "/api/v1/organisations/nobody", "/health"):
            headers = client.get(path).headers
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["x-frame-options"] == "DENY"
            assert headers["referrer-policy"] == "no-referrer"
            assert headers["content-security-policy"] == API_CSP
        page = client.get("/explorer/").headers["content-security-policy"]
        assert page == EXPLORER_CSP
        assert "script-src 'self'" in page
        assert "unsafe-inline" not in page
        assert "frame-ancestors 'none'" in page


def test_cors_is_off_unless_configured(embedded: EmbeddedStore) -> None:
    origin = {"Origin": "https://portal.drenthe.example"}
    with client_with(embedded) as client:
        assert "access-control-allow-origin" not in client.get("/health", headers=origin).headers
    with client_with(embedded, cors_origins="https://portal.drenthe.example") as client:
        answer = client.get("/api/v1/themes", headers=origin)
        assert answer.headers["access-control-allow-origin"] == "https://portal.drenthe.example"
        stranger = client.get("/api/v1/themes", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in stranger.headers


def test_the_rate_limit_answers_429_with_retry_after(embedded: EmbeddedStore) -> None:
    keys = f"{READER}:read,{OTHER}:read"
    with client_with(embedded, rate_limit="3/minute", api_keys=keys) as client:
        mine = {"X-API-Key": READER}
        statuses = [client.get("/api/v1/themes", headers=mine).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/v1/themes", headers=mine)
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["status"] == 429
        # another key has its own allowance; health checks are never limited
        assert client.get("/api/v1/themes", headers={"X-API-Key": OTHER}).status_code == 200
        assert all(client.get("/health").status_code == 200 for _ in range(5))


def test_rate_limits_parse_or_are_refused() -> None:
    assert RateLimit.parse("20/second") == RateLimit(20, 1.0)
    assert RateLimit.parse("off") is None
    with pytest.raises(ValidationError, match="not a rate limit"):
        Settings(rate_limit="lots")


def test_production_refuses_default_and_example_credentials(embedded: EmbeddedStore) -> None:
    weak = Settings(environment="production", store="neo4j", neo4j_password="neo4j")
    with pytest.raises(InvalidSettingsError, match="NEO4J_PASSWORD is empty or a well-known"):
        create_app(weak, store=embedded)
    example = Settings(environment="production", api_keys="k3y-for-the-portal-0001:read")
    with pytest.raises(InvalidSettingsError, match="printed in the README"):
        create_app(example, store=embedded)
    # development accepts them; production with real credentials starts
    create_app(Settings(store="neo4j", neo4j_password="neo4j"), store=embedded)
    strong = Settings(
        environment="production",
        store="neo4j",
        neo4j_password="a-long-and-unguessable-password",
        api_keys="a-real-key-nobody-knows-0001:read",
    )
    create_app(strong, store=embedded)


def test_serve_in_production_with_a_default_password_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HELIX_ENV", "production")
    monkeypatch.setenv("HELIX_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "helixgraph-dev-password")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert "refusing to start in production" in result.stderr
    assert "helixgraph-dev-password" not in result.stderr
