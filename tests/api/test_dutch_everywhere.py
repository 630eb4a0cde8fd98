"""Dutch first: every sentence the API words for a person is Dutch unless English is asked.

A word is "English only" when the English catalogue uses it and neither the Dutch
catalogue nor the graph's own data (names, descriptions, quotes) does. The sweep asks
the questions the three users ask — brokers, gaps, communities, KPIs, partners, a need,
paths, errors — without a language, and looks at every field that holds prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.services.seeding import seed_store
from app.settings import Settings
from app.store import GraphStore
from tests.language import document_words, dutch_only, english_only, words

FIELD_PREFIX = re.compile(r"(?:^|; )[\w.]+: ")  # "query.limit: …" names a parameter
PROSE = {
    "caption",
    "description",
    "detail",
    "eligibility",
    "explanation",
    "finding",
    "findings",
    "introduction_note",
    "kind_name",
    "label",
    "message",
    "missing_names",
    "penalty",
    "present_names",
    "reason",
    "reasons",
    "role_label",
    "summary",
    "text",
    "theme_a_name",
    "theme_b_name",
    "title",
    "type_label",
}
"""Fields that hold words for a person, not codes or data."""

QUESTIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/v1/analytics/brokers", {}),
    ("GET", "/api/v1/analytics/brokers", {"theme": "theme-digitalisering"}),
    ("GET", "/api/v1/analytics/gaps", {}),
    ("GET", "/api/v1/analytics/gaps/missing-roles", {"limit": 1000}),
    ("GET", "/api/v1/analytics/gaps/missing-roles", {"missing_role": "industry"}),
    ("GET", "/api/v1/analytics/communities", {}),
    ("GET", "/api/v1/analytics/kpis", {"place": "Drenthe"}),
    ("GET", "/api/v1/match/partners", {"org": "bdrc"}),
    ("GET", "/api/v1/match/partners", {"org": "bdrc", "keyword": "diabetes"}),
    ("GET", "/api/v1/match/partners", {"org": "bdrc", "role": "knowledge"}),
    ("GET", "/api/v1/match/partners", {"org": "bdrc", "place": "Atlantis"}),
    ("GET", "/api/v1/match/partners", {"org": "Zorgbedrijf Xyzzy"}),
    ("GET", "/api/v1/paths", {"from": "bdrc", "to": "kpn"}),
    ("GET", "/api/v1/paths", {}),
    ("GET", "/api/v1/organisations/xyzzy", {}),
    ("GET", "/api/v1/organisations", {"limit": "many"}),
    ("GET", "/api/v1/changes", {"since": 10**9}),
]
NEEDS: list[dict[str, Any]] = [
    {"org": "bdrc"},
    {
        "themes": ["theme-medische-technologie"],
        "roles": ["knowledge"],
        "place": "Emmen",
        "keywords": ["diabetes"],
    },
    {"team": ["umcg", "bdrc"], "roles": ["industry"], "include_types": ["startup"]},
    {"keywords": ["zzzqqq"]},
    {},
]


def strings(value: Any, key: str | None = None) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, key)
    elif isinstance(value, str) and key is not None:
        yield key, value


@pytest.fixture
def client(store: GraphStore) -> Iterator[TestClient]:
    seed_store(store)
    with TestClient(create_app(Settings(open_reads=True), store=store)) as test_client:
        yield test_client


def answers(client: TestClient, **params: str) -> Iterator[tuple[str, Any]]:
    for method, path, query in QUESTIONS:
        response = client.request(method, path, params={**query, **params})
        yield f"{method} {path} {query}", response.json()
    for need in NEEDS:
        response = client.post("/api/v1/match", json=need, params=params)
        yield f"POST /api/v1/match {need}", response.json()


def data_words(client: TestClient) -> set[str]:
    document = client.get("/api/v1/export", params={"format": "json"}).json()
    return document_words(document)


def test_every_sentence_is_dutch_unless_english_is_asked(client: TestClient) -> None:
    data = data_words(client)
    english = english_only(data)
    assert {"the", "with", "organisations"} <= english
    assert "partner" not in english  # a word both languages use
    seen: dict[str, int] = {}
    said_in_english: list[str] = []
    for question, body in answers(client):
        for key, text in strings(body):
            if key not in PROSE:
                continue
            seen[key] = seen.get(key, 0) + 1
            stray = words(FIELD_PREFIX.sub(" ", text)) & english
            if stray:
                said_in_english.append(f"{question} {key}: {text!r} ({', '.join(sorted(stray))})")
    assert said_in_english == []
    # the sweep looked at what the users read: reasons, findings, labels, captions, errors
    for key in ("reasons", "finding", "label", "caption", "explanation", "detail", "summary"):
        assert seen.get(key, 0) > 0, f"no {key} was checked"

    # and asked for English, the same answers are English
    dutch = dutch_only(data)
    stray_dutch = [
        f"{question} {key}: {text!r}"
        for question, body in answers(client, lang="en")
        for key, text in strings(body)
        if key in PROSE and words(FIELD_PREFIX.sub(" ", text)) & dutch
    ]
    assert stray_dutch == []
