"""The graph every interoperability test exports: Drenthe as the service holds it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.services.exchange import ExportFormat, export_graph
from app.services.seeding import seed_store
from app.store import EmbeddedStore
from graph_schema import GraphData


@pytest.fixture(scope="module")
def drenthe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphData]:
    """The Drenthe graph as the service holds it after seeding."""
    with EmbeddedStore(tmp_path_factory.mktemp("formats") / "h.sqlite3") as store:
        seed_store(store)
        yield store.snapshot()


@pytest.fixture(scope="module")
def document(drenthe: GraphData) -> dict[str, Any]:
    """Its JSON export: the reference every other format is compared with."""
    parsed: dict[str, Any] = json.loads(export_graph(drenthe, ExportFormat.JSON))
    return parsed
