"""Properties over generated graphs and texts (hypothesis): round trips and search.

- Any valid graph, exported as JSON and read back, is the same graph; through an empty
  embedded store it exports to the same bytes.
- Any text given to name normalisation and search gives an answer, never an error, and
  every organisation is found first by its own name.
- A name index updated with renames, additions and removals (as after a write) answers
  every query exactly like one built from scratch.

Each test reports how many cases it tried.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.exchange import ExportFormat, export_graph
from app.store import EmbeddedStore
from graph_schema import (
    Action,
    GraphData,
    HelixRole,
    Organisation,
    OrgType,
    Provenance,
    Relationship,
    RelType,
    Theme,
    ThemeKind,
)
from graph_schema.interchange import document_to_graph
from graph_schema.names import NameEntry, NameIndex, name_key, name_tokens

CASES = {
    "round trip": 0,
    "store round trip": 0,
    "search": 0,
    "updated index": 0,
    "normalise": 0,
}

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60
).filter(lambda s: s.strip() == s and s.strip() != "")
ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


@st.composite
def graphs(draw: st.DrawFn) -> GraphData:
    org_ids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    orgs = [
        Organisation(
            id=f"org-{i}",
            name=draw(text),
            aliases=tuple(draw(st.lists(text, max_size=2, unique=True))),
            helix_role=draw(st.sampled_from(list(HelixRole))),
            org_type=draw(st.sampled_from(list(OrgType))),
            place=draw(st.none() | text),
            description=draw(st.none() | text),
            generic=draw(st.booleans()),
        )
        for i in org_ids
    ]
    theme = Theme(id="theme-t", name=draw(text), kind=ThemeKind.PRIORITY)
    actions = [
        Action(id=f"action-{k}", name=draw(text), theme="theme-t", what=draw(text))
        for k in range(draw(st.integers(0, 3)))
    ]
    rels = [
        Relationship(
            type=RelType.PARTNER_IN,
            source=org.id,
            target=action.id,
            provenance=Provenance(source="s", section=draw(text), quote=draw(text)),
        )
        for org in orgs
        for action in actions
        if draw(st.booleans())
    ]
    return GraphData(nodes=(*orgs, theme, *actions), relationships=tuple(rels))


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            tried = ", ".join(f"{name}: {n}" for name, n in CASES.items())
            print(f"\nproperty cases tried: {tried}")  # noqa: T201 - the count belongs in the output


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_export_then_read_gives_the_same_graph(graph: GraphData) -> None:
    CASES["round trip"] += 1
    document = json.loads(export_graph(graph, ExportFormat.JSON))
    parsed = document_to_graph(document)
    assert parsed.problems == []
    assert sorted(n.model_dump_json() for n in parsed.graph.nodes) == sorted(
        n.model_dump_json() for n in graph.nodes
    )
    assert sorted(r.model_dump_json() for r in parsed.graph.relationships) == sorted(
        r.model_dump_json() for r in graph.relationships
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(graphs())
def test_through_an_empty_store_the_export_is_byte_identical(
    tmp_path: Path, graph: GraphData
) -> None:
    CASES["store round trip"] += 1
    path = tmp_path / f"case-{CASES['store round trip']}.sqlite3"
    with EmbeddedStore(path) as store:
        store.upsert(graph)
        assert export_graph(store.snapshot(), ExportFormat.JSON) == export_graph(
            graph, ExportFormat.JSON
        )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_normalising_any_text_is_total(value: str) -> None:
    CASES["normalise"] += 1
    key = name_key(value)
    assert key == name_key(key)
    assert all(token.isalnum() for token in name_tokens(value))


@settings(max_examples=150, deadline=None)
@given(st.lists(text, min_size=1, max_size=12, unique_by=name_key), st.text(max_size=80))
def test_search_finds_every_name_first_and_survives_any_query(names: list[str], query: str) -> None:
    CASES["search"] += 1
    index = NameIndex(NameEntry(f"n{k}", "Organisation", name) for k, name in enumerate(names))
    hits = index.search(query, limit=5)
    assert len(hits) <= 5
    assert all(0 < hit.score <= 1 for hit in hits)
    for k, name in enumerate(names):
        if not name_key(name):
            continue
        found = index.search(name, limit=3)
        assert found
        assert found[0].score == 1.0
        assert f"n{k}" in {hit.entry.id for hit in found if hit.score == 1.0}


names_by_id = st.dictionaries(
    st.sampled_from([f"n{k}" for k in range(12)]),
    st.lists(text, min_size=1, max_size=2),
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(names_by_id, names_by_id, names_by_id, st.lists(text, max_size=4))
def test_an_updated_index_answers_like_a_rebuilt_one(
    before: dict[str, list[str]],
    first: dict[str, list[str]],
    second: dict[str, list[str]],
    queries: list[str],
) -> None:
    CASES["updated index"] += 1

    def entry(node_id: str, spellings: list[str]) -> NameEntry:
        return NameEntry(node_id, "Organisation", spellings[0], tuple(spellings[1:]))

    state = dict(before)
    index = NameIndex(entry(i, s) for i, s in state.items())
    for write in (first, second):  # two writes: the second updates an updated index
        removed = [i for i in write if len(write[i]) == 1 and i in state]  # some deletions
        changed = {i: s for i, s in write.items() if i not in removed}
        for node_id in removed:
            del state[node_id]
        state.update(changed)
        index = index.updated([entry(i, s) for i, s in changed.items()], removed=removed)
    rebuilt = NameIndex(entry(i, s) for i, s in state.items())
    assert len(index) == len(rebuilt) == len(state)
    assert sorted(e.id for e in index.entries()) == sorted(state)
    for query in [*queries, *(s[0] for s in state.values())]:
        assert index.search(query, limit=5) == rebuilt.search(query, limit=5)
