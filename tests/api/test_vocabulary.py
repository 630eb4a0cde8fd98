"""GET /api/v1/vocabulary serves graph_schema's vocabulary, list by list and rule by rule."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.main import create_app
from app.settings import Settings
from app.store import EmbeddedStore
from graph_schema import HelixRole, NodeLabel, OrgType, RelType
from graph_schema.enums import (
    COLLABORATION_LINKS,
    MembershipRole,
    ParticipationRole,
    ProgrammeKind,
    ProjectStatus,
    ThemeKind,
)
from graph_schema.i18n import catalogue
from graph_schema.models import NODE_MODELS, RELATIONSHIP_RULES

READER = "reader-key-0123456789"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(Settings(), store=EmbeddedStore(tmp_path / "h.sqlite3")))


@pytest.fixture
def served(client: TestClient) -> dict[str, Any]:
    res = client.get("/api/v1/vocabulary")
    assert res.status_code == 200, res.text
    body: dict[str, Any] = res.json()
    return body


def test_every_list_is_the_enum_of_graph_schema_in_its_order(served: dict[str, Any]) -> None:
    assert served["node_kinds"] == {"prefix": "kind", "codes": [str(k) for k in NODE_MODELS]}
    assert set(served["node_kinds"]["codes"]) == set(NodeLabel)
    expected: dict[str, type[StrEnum]] = {
        "helix_role": HelixRole,
        "org_type": OrgType,
        "project_status": ProjectStatus,
        "participation_role": ParticipationRole,
        "membership_role": MembershipRole,
        "theme_kind": ThemeKind,
        "programme_kind": ProgrammeKind,
    }
    assert set(served["lists"]) == set(expected)
    for name, members in expected.items():
        assert served["lists"][name]["codes"] == [str(m) for m in members], name


def test_every_code_is_named_in_both_catalogues_under_its_prefix(served: dict[str, Any]) -> None:
    for lang in ("nl", "en"):
        texts = catalogue(lang)
        for codes in (served["node_kinds"], *served["lists"].values()):
            for code in codes["codes"]:
                assert f"{codes['prefix']}.{code}" in texts, (lang, codes["prefix"], code)


def test_every_relation_rule_is_served_as_graph_schema_states_it(served: dict[str, Any]) -> None:
    rules = {r["type"]: r for r in served["relations"]}
    assert list(rules) == [str(t) for t in RELATIONSHIP_RULES]
    assert set(rules) == set(RelType)
    for rel, rule in RELATIONSHIP_RULES.items():
        got = rules[str(rel)]
        assert set(got["sources"]) == {str(s) for s in rule.sources}, rel
        assert set(got["targets"]) == {str(s) for s in rule.targets}, rel
        assert set(got["roles"]) == {str(r) for r in rule.roles}, rel
        assert got["role_required"] is rule.role_required, rel
        assert got["collaboration"] is (rel in COLLABORATION_LINKS), rel
        if rule.roles:
            assert set(served["lists"][got["role_list"]]["codes"]) == set(got["roles"]), rel
        else:
            assert got["role_list"] is None, rel


def test_each_activity_kind_has_the_one_link_from_an_organisation(served: dict[str, Any]) -> None:
    assert served["activity_links"] == {
        "Action": "PARTNER_IN",
        "Project": "PARTICIPATES_IN",
        "Network": "MEMBER_OF",
    }
    for kind, rel in served["activity_links"].items():
        rule = RELATIONSHIP_RULES[RelType(rel)]
        assert rule.sources == {NodeLabel.ORGANISATION}
        assert rule.targets == {NodeLabel(kind)}


def test_the_vocabulary_is_cached_by_etag(client: TestClient) -> None:
    first = client.get("/api/v1/vocabulary")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/vocabulary", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag


def test_without_open_reads_the_vocabulary_needs_a_read_key(tmp_path: Path) -> None:
    settings = Settings(api_keys=SecretStr(f"{READER}:read"), open_reads=False)
    client = TestClient(create_app(settings, store=EmbeddedStore(tmp_path / "h.sqlite3")))
    assert client.get("/api/v1/vocabulary").status_code == 401
    assert client.get("/api/v1/vocabulary", headers={"X-API-Key": READER}).status_code == 200
