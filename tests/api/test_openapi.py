"""The OpenAPI document is complete: every operation and every model is explained."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.store import GraphStore


def openapi() -> dict[str, Any]:
    return create_app(Settings()).openapi()


def test_every_operation_has_a_summary_and_a_description() -> None:
    missing = [
        f"{method.upper()} {path}"
        for path, item in openapi()["paths"].items()
        for method, operation in item.items()
        if not operation.get("summary") or not operation.get("description")
    ]
    assert missing == []


def _has_example(schema: dict[str, Any]) -> bool:
    if "examples" in schema or "example" in schema or "enum" in schema:
        return True
    properties = schema.get("properties", {})
    return bool(properties) and all(
        _has_example(p) or "$ref" in p or p.get("items", {}).get("$ref") or "anyOf" in p
        for p in properties.values()
    )


def test_every_model_has_an_example() -> None:
    schemas = openapi()["components"]["schemas"]
    missing = [name for name, schema in schemas.items() if not _has_example(schema)]
    assert missing == []


def test_docs_are_served(store: GraphStore) -> None:
    with TestClient(create_app(Settings(), store=store)) as client:
        assert client.get("/docs").status_code == 200
        assert client.get("/openapi.json").json()["info"]["title"] == "helixgraph"


def test_errors_are_documented_as_problem_details() -> None:
    operation = openapi()["paths"]["/api/v1/organisations"]["get"]
    assert "HTTPValidationError" not in str(operation)
    assert "application/problem+json" in operation["responses"]["4XX"]["content"]


def _untyped(schema: dict[str, Any]) -> bool:
    """No shape at all: absent, `{}`, or an object of anything (`dict[str, Any]`)."""
    if not schema:
        return True
    return (
        schema.get("type") == "object"
        and not schema.get("properties")
        and schema.get("additionalProperties", True) is True
    )


def test_every_success_has_a_typed_body() -> None:
    untyped = [
        f"{method.upper()} {path} {status} {media or '(no content)'}"
        for path, item in openapi()["paths"].items()
        for method, operation in item.items()
        for status, response in operation["responses"].items()
        if status.startswith("2") and status != "204"
        for media, body in (response.get("content") or {None: {}}).items()
        if _untyped(body.get("schema", {}))
    ]
    assert untyped == []
