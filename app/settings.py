"""Settings from the environment (one typed class, read once per process)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Environment", "RateLimit", "Settings", "StoreKind"]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``requests`` per ``seconds`` for each client, with bursts up to ``requests``."""

    requests: int
    seconds: float = 60.0

    @classmethod
    def parse(cls, text: str) -> RateLimit | None:
        """'600/minute', '20/second', '5000/hour' or '0' (no limit).

        >>> RateLimit.parse("600/minute")
        RateLimit(requests=600, seconds=60.0)
        >>> RateLimit.parse("0") is None
        True
        """
        value = text.strip().lower()
        if value in {"", "0", "off", "none"}:
            return None
        count, _, unit = value.partition("/")
        seconds = {"second": 1.0, "minute": 60.0, "hour": 3600.0}.get(unit or "minute")
        if not count.isdigit() or seconds is None or int(count) < 1:
            raise ValueError(
                f"{text!r} is not a rate limit: use N/second, N/minute, N/hour or 0 for none"
            )
        return cls(int(count), seconds)


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


KNOWN_PASSWORDS = frozenset(
    {"", "neo4j", "password", "changeme", "helixgraph-dev-password", "helixgraph-test-password"}
)
"""Neo4j passwords that anyone can guess: the server's default and this repository's."""

EXAMPLE_KEYS = frozenset(
    {"k3y-for-the-portal-0001", "k3y-for-the-import-job-01", "k3y-for-ops-000000000001"}
)
"""API keys printed in the README, never to be used for real."""


class StoreKind(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class Settings(BaseSettings):
    """Every setting of the service. Names are the environment variables."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    store: StoreKind | None = Field(
        default=None,
        validation_alias="HELIX_STORE",
        description="Which store holds the graph; when unset, neo4j if NEO4J_URI is set.",
    )
    data_dir: Path = Field(
        default=Path("var"),
        validation_alias="HELIX_DATA_DIR",
        description="Folder of the embedded store's database file.",
    )
    seed_on_first_start: bool = Field(
        default=True,
        validation_alias="HELIX_SEED_ON_FIRST_START",
        description="Load the Drenthe agenda when the store has never been written.",
    )

    neo4j_uri: str | None = Field(
        default=None,
        validation_alias="NEO4J_URI",
        description="bolt://host:7687 for one server, neo4j://host:7687 for a cluster.",
    )
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr = Field(default=SecretStr(""), validation_alias="NEO4J_PASSWORD")
    neo4j_database: str | None = Field(
        default=None, validation_alias="NEO4J_DATABASE", description="Server default if unset."
    )
    neo4j_timeout: float = Field(
        default=5.0,
        gt=0,
        le=120,
        validation_alias="NEO4J_TIMEOUT",
        description="Seconds before a Neo4j request gives up with 503 instead of piling up.",
    )

    api_keys: SecretStr = Field(
        default=SecretStr(""),
        validation_alias="HELIX_API_KEYS",
        description="Comma-separated KEY:SCOPE entries; scopes read, write, admin "
        "(KEY:write+admin for several).",
    )
    open_reads: bool = Field(
        default=True,
        validation_alias="HELIX_OPEN_READS",
        description="Let GET requests through without a key; writes always need one.",
    )
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        validation_alias="HELIX_MAX_BODY_BYTES",
        description="Larger request bodies are refused with 413 before they are read.",
    )
    max_import_bytes: int = Field(
        default=200 * 1024 * 1024,
        ge=1024,
        validation_alias="HELIX_MAX_IMPORT_BYTES",
        description="The limit for POST /api/v1/import, which takes whole graphs.",
    )

    environment: Environment = Field(
        default=Environment.DEVELOPMENT,
        validation_alias="HELIX_ENV",
        description="production refuses default and example credentials at start-up.",
    )
    rate_limit: str = Field(
        default="1200/minute",
        validation_alias="HELIX_RATE_LIMIT",
        description="Requests per client (API key, else address): N/second, N/minute, "
        "N/hour, or 0 for none. Over it: 429 with Retry-After.",
    )
    fresh_wait: float = Field(
        default=2.0,
        ge=0,
        le=3600,
        validation_alias="HELIX_FRESH_WAIT",
        description="Seconds a request for analytics, matching or the network waits for "
        "the results of a graph version just written before it is answered with the "
        "previous version's (the answer names its version); they are computed in the "
        "background meanwhile.",
    )
    analysis_process: bool = Field(
        default=True,
        validation_alias="HELIX_ANALYSIS_PROCESS",
        description="Compute analytics in a process of their own, so that requests are "
        "answered meanwhile; off: in the service's process.",
    )
    cors_origins: str = Field(
        default="",
        validation_alias="HELIX_CORS_ORIGINS",
        description="Comma-separated origins allowed to call the API from a browser "
        "(CORS); none by default.",
    )

    @field_validator("rate_limit")
    @classmethod
    def _valid_rate_limit(cls, value: str) -> str:
        RateLimit.parse(value)
        return value

    @property
    def rate(self) -> RateLimit | None:
        return RateLimit.parse(self.rate_limit)

    @property
    def allowed_origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    def credential_problems(self) -> list[str]:
        """Why these settings must not run in production (empty: nothing found)."""
        if self.environment is not Environment.PRODUCTION:
            return []
        problems = []
        if self.store_kind is StoreKind.NEO4J and (
            self.neo4j_password.get_secret_value() in KNOWN_PASSWORDS
        ):
            problems.append("NEO4J_PASSWORD is empty or a well-known default")
        keys = [
            entry.split(":", 1)[0].strip() for entry in self.api_keys.get_secret_value().split(",")
        ]
        if any(key in EXAMPLE_KEYS for key in keys):
            problems.append("HELIX_API_KEYS holds a key printed in the README")
        return problems

    @property
    def store_kind(self) -> StoreKind:
        """The store in use: HELIX_STORE, else neo4j when NEO4J_URI is set, else embedded."""
        if self.store is not None:
            return self.store
        return StoreKind.NEO4J if self.neo4j_uri else StoreKind.EMBEDDED

    @property
    def embedded_path(self) -> Path:
        return self.data_dir / "helixgraph.sqlite3"
