"""The JSON exports are what the API description says they are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.api.schemas import CytoscapeDocument
from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore
from graph_schema.interchange import InterchangeDocument


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    seed_store(store)
    with TestClient(create_app(Settings(open_reads=True), store=store)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("fmt", "model"), [("json", InterchangeDocument), ("cytoscape", CytoscapeDocument)]
)
def test_a_json_export_reads_as_its_documented_model(
    client: TestClient, fmt: str, model: type[BaseModel]
) -> None:
    response = client.get("/api/v1/export", params={"format": fmt})
    document = model.model_validate_json(response.content)
    assert document.model_dump(mode="json", exclude_none=True) == response.json()
