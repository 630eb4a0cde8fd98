"""Generated requests against the app's own OpenAPI schema, on every store.

Every operation the schema lists, writes included, is called with requests that
schemathesis derives from the schema: valid ones, invalid ones, and valid ones that
name nodes and relationships of the Drenthe seed, so that reads find something and
writes replace, link and delete real nodes. No answer may be a server error, and
every answer must be what the schema documents: its status code, its content type,
its headers and a body that validates against the documented schema.

One test per store runs the whole schema on one seeded store: first every read, then
every write, then every read again over what the writes left. Each operation gets a
fixed seed, so a run sends the same requests every time. The test prints what it
sent, as ``schemathesis [embedded]: 1660 cases over 49 operations, 0 failures ...``.
"""

from __future__ import annotations

import time
import traceback
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, BaseSchema, Case, CheckFunction, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup

from app.api.resources import RESOURCES
from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore
from seed import load_seed

WRITER = "writer-key-0123456789"
EXAMPLES_PER_OPERATION = {"embedded": 20, "neo4j": 15}
"""Hypothesis examples per operation and pass: about 1700 requests on the embedded
store, 1250 on the slower Neo4j."""
MIN_CASES = 300
INT64_MAX = 2**63 - 1

Operation: TypeAlias = APIOperation[Any, Any, Any, Any]

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
"""What every answer must satisfy.

Left out, because they judge how strictly the API validates its input and report
answers that are right here:

- ``positive_data_acceptance`` wants 2xx for every schema-valid request, but rules a
  JSON Schema cannot state refuse some: an action's theme and a relationship's ends
  must exist and differ, a PUT's body id must equal its path id, ``If-Match`` on a
  missing node is 412 (RFC 9110 §13.1.1), and an import document is declared as any
  object;
- ``negative_data_rejection`` wants 4xx for every schema-violating request, but
  FastAPI takes the last of a repeated query parameter (``q=a&q=b``), which the check
  counts as an array sent for a string, and an open read ignores an ``Authorization``
  header that is not a Bearer credential;
- ``ignored_auth`` wants 401 or 403 without a key, but ``open_reads`` lets reads
  through by design, while the schema lists a key as the security of every read.
"""


# -- known server errors ------------------------------------------------------------


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


# -- the seeded graph ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seeded:
    """Ids of the Drenthe seed, by the API path of their kind, and its relationships."""

    ids: Mapping[str, tuple[str, ...]]
    links: tuple[tuple[str, str, str], ...]

    @classmethod
    def load(cls) -> Seeded:
        graph = load_seed()
        ids = {
            resource.path: tuple(sorted(n.id for n in graph.nodes if n.label == resource.label))
            for resource in RESOURCES
        }
        links = tuple((r.type.value, r.source, r.target) for r in graph.relationships)
        return cls(ids=ids, links=links)

    def kind_of(self, operation: Operation) -> str | None:
        """The kind a path such as ``/api/v1/actions/{node_id}/links`` names, if any."""
        parts = operation.path.split("/")
        return parts[3] if len(parts) > 3 and parts[3] in self.ids else None


@st.composite
def _with_seeded_values(
    draw: st.DrawFn, cases: st.SearchStrategy[Case[Any]], seeded: Seeded
) -> Case[Any]:
    """A valid case whose ids are swapped for ids of the seed where it has any."""
    case = draw(cases)
    path = case.path_parameters or {}
    query = case.query or {}
    body = case.body if isinstance(case.body, dict) else {}
    kind = seeded.kind_of(case.operation)
    link = draw(st.sampled_from(seeded.links))
    if "node_id" in path and kind is not None:
        path["node_id"] = draw(st.sampled_from(seeded.ids[kind]))
    if {"rel_type", "source", "target"} <= path.keys():
        path.update(zip(("rel_type", "source", "target"), link, strict=True))
    for name in ("from", "to"):
        if name in query:
            query[name] = draw(st.sampled_from(seeded.ids["organisations"]))
    for container in (query, body):
        if "theme" in container:
            container["theme"] = draw(st.sampled_from(seeded.ids["themes"]))
    if {"type", "source", "target"} <= body.keys():
        body.update(zip(("type", "source", "target"), link, strict=True))
    if case.method.upper() == "PUT" and "id" in body and "node_id" in path:
        body["id"] = path["node_id"]  # the body names the node of the path, or it is 422
    return case


def _cases(operation: Operation, seeded: Seeded) -> st.SearchStrategy[Case[Any]]:
    valid = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    invalid = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    seeded_valid = _with_seeded_values(valid, seeded)
    return st.one_of(valid, invalid, seeded_valid)


# -- running ------------------------------------------------------------------------


def _load_schema(app: FastAPI) -> BaseSchema:
    """The schema the app serves, with every request sending a write-scoped key."""
    raw = app.openapi()
    api_key_scheme = next(
        name
        for name, scheme in raw["components"]["securitySchemes"].items()
        if scheme.get("type") == "apiKey" and scheme.get("name") == "X-API-Key"
    )
    config = schemathesis.Config.from_dict(
        {"auth": {"openapi": {api_key_scheme: {"api_key": WRITER}}}}
    )
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


ENDLESS = {"/api/v1/changes/stream"}
"""Operations whose answer never ends (server-sent events): a generated request would
wait for a body that does not end. tests/api/test_integrator.py reads the stream over
HTTP instead."""


def _operations(schema: BaseSchema) -> list[Operation]:
    return [
        operation for path in schema if path not in ENDLESS for operation in schema[path].values()
    ]


@dataclass
class Tally:
    """What a run sent and got."""

    cases: int = 0
    operations: set[str] = field(default_factory=set)
    statuses: Counter[str] = field(default_factory=Counter)
    written: int = 0
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def summary(self, store: str) -> str:
        classes = ", ".join(f"{n} {c}" for c, n in sorted(self.statuses.items()))
        return (
            f"schemathesis [{store}]: {self.cases} cases over {len(self.operations)} "
            f"operations, {len(self.failures)} failures in "
            f"{time.monotonic() - self.started:.0f} s (responses: {classes})"
        )


def _exercise(
    operation: Operation,
    stage: str,
    seeded: Seeded,
    tally: Tally,
    examples: int,
) -> None:
    """Send the operation's generated requests; record a failure instead of raising it."""
    tally.operations.add(operation.label)

    @seed(zlib.crc32(f"{stage} {operation.label}".encode()))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        # Drawing requests from the schema is slow on a busy machine; the run's own
        # duration is what matters, not Hypothesis' estimate of it.
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(case=_cases(operation, seeded))
    def run(case: Case[Any]) -> None:
        tally.cases += 1
        response = case.call_and_validate(checks=CHECKS)
        tally.statuses[f"{response.status_code // 100}xx"] += 1
        if case.method.upper() != "GET" and response.status_code < 300:
            tally.written += 1

    try:
        run()
    except (Exception, FailureGroup) as error:
        found = "".join(traceback.format_exception_only(error)).strip()
        tally.failures.append(f"{stage}: {operation.label}\n{found}")


def test_generated_requests_get_documented_answers(
    store: GraphStore, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_store(store)
    app = create_app(Settings(api_keys=f"{WRITER}:write", open_reads=True), store=store)
    schema = _load_schema(app)
    seeded = Seeded.load()
    operations = _operations(schema)
    reads = [operation for operation in operations if operation.method.upper() == "GET"]
    writes = [operation for operation in operations if operation.method.upper() != "GET"]
    tally = Tally()
    for stage, group in (("read", reads), ("write", writes), ("read after writes", reads)):
        for operation in group:
            _exercise(operation, stage, seeded, tally, EXAMPLES_PER_OPERATION[store.name])

    with capsys.disabled():
        print(f"\n{tally.summary(store.name)}")  # noqa: T201 - the count belongs in the output
    if tally.failures:
        pytest.fail("\n\n".join(tally.failures), pytrace=False)
    assert len(tally.operations) == len(operations)
    assert tally.cases >= MIN_CASES
    assert tally.written > 0, "no write succeeded: the write key does not reach the app"
    assert tally.statuses["2xx"] > tally.cases // 10, "too few requests found anything"


# -- a server error once found by the run above, kept as a regression test ----------------


def test_changes_since_beyond_int64_is_refused_not_a_server_error(store: GraphStore) -> None:
    app = create_app(Settings(api_keys=f"{WRITER}:write", open_reads=True), store=store)
    case = _load_schema(app)["/api/v1/changes"]["GET"].Case(query={"since": INT64_MAX + 1})
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == 422
