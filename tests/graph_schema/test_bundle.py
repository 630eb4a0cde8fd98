from __future__ import annotations

from graph_schema import Action, GraphData, NodeLabel, Relationship, RelType, Theme, ThemeKind
from graph_schema.interchange import document_to_graph, graph_to_document
from tests.conftest import org, prov, rel, small_graph


def test_a_consistent_graph_has_no_problems() -> None:
    assert small_graph().problems() == []


def test_every_problem_is_reported_at_once() -> None:
    graph = GraphData(
        nodes=(
            org("acme"),
            org("acme"),  # duplicate id
            Theme(id="theme-x", name="X", kind=ThemeKind.PRIORITY),
            Action(id="action-1", name="A", theme="acme", what="w"),  # theme is not a theme
        ),
        relationships=(
            Relationship(
                type=RelType.PARTNER_IN, source="ghost", target="action-1", provenance=prov()
            ),
            Relationship(
                type=RelType.PARTNER_IN, source="acme", target="theme-x", provenance=prov()
            ),
            Relationship(
                type=RelType.ADDRESSES, source="action-1", target="theme-x", provenance=prov()
            ),
            Relationship(
                type=RelType.ADDRESSES, source="action-1", target="theme-x", provenance=prov()
            ),
        ),
    )
    messages = [p.message for p in graph.problems()]
    assert len(messages) == 5, messages
    assert any("duplicate id 'acme'" in m for m in messages)
    assert any("'acme' is not a known theme" in m for m in messages)
    assert any("unknown source id 'ghost'" in m for m in messages)
    assert any("PARTNER_IN cannot end at theme 'theme-x'" in m for m in messages)
    assert any("duplicate ADDRESSES" in m for m in messages)
    dutch = sorted(p.text("nl") for p in graph.problems())
    assert dutch == [
        "PARTNER_IN kan niet eindigen bij thema 'theme-x'; verwacht: actie",
        "dubbele relatie ADDRESSES action-1 -> theme-x",
        "id 'acme' komt 2 keer voor",
        "source 'ghost' is geen bekend id",
        "thema 'acme' is geen bekend thema",
    ], dutch


def test_known_nodes_outside_the_bundle_satisfy_references() -> None:
    link = rel(RelType.PARTNER_IN, "acme", "action-1")
    graph = GraphData(relationships=(link,))
    known = {"acme": NodeLabel.ORGANISATION, "action-1": NodeLabel.ACTION}
    assert graph.problems(known) == []
    clash = GraphData(nodes=(org("action-1"),))
    assert "already exists as action" in clash.problems(known)[0].message
    assert clash.problems(known)[0].text("nl") == "id 'action-1' bestaat al als actie"


def test_interchange_document_round_trips() -> None:
    document = graph_to_document(small_graph())
    assert [n["id"] for n in document["nodes"]] == sorted(n["id"] for n in document["nodes"])
    assert list(document["nodes"][0])[:3] == ["id", "label", "name"]
    assert list(document["edges"][0])[:3] == ["source", "target", "type"]
    parsed = document_to_graph(document)
    assert parsed.problems == []
    assert graph_to_document(parsed.graph) == document


def test_interchange_reports_every_bad_record_with_its_position() -> None:
    document = {
        "nodes": [{"id": "a"}, {"id": "b", "label": "Theme", "name": "B", "kind": "odd"}],
        "edges": [{"source": "a", "target": "b", "type": "PARTNER_IN"}, "nonsense"],
    }
    parsed = document_to_graph(document)
    problems = parsed.problems
    assert parsed.unparsed == {"b": "Theme"}
    where = [p.where for p in problems]
    assert where == [
        "nodes[0] (id=a)",
        "nodes[1] (id=b)",
        "edges[0] (a -PARTNER_IN-> b)",
        "edges[1]",
    ]
    assert "label: missing or unknown" in str(problems[0])
    assert "provenance: Field required" in str(problems[2])
