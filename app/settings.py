"""Settings from the environment (one typed class, read once per process)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "StoreKind"]


class StoreKind(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class Settings(BaseSettings):
    """Every setting of the service. Names are the environment variables."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    store: StoreKind = Field(
        default=StoreKind.EMBEDDED,
        validation_alias="HELIX_STORE",
        description="Which store holds the graph: embedded (default) or neo4j.",
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

    @property
    def embedded_path(self) -> Path:
        return self.data_dir / "helixgraph.sqlite3"
