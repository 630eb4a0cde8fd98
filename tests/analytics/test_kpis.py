"""KPIs and version comparison on graphs worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from analytics.kpis import compare, kpis


def collaboration() -> nx.Graph:
    """a(industry) - b(knowledge) - c(knowledge); d(government) alone."""
    G = nx.Graph()
    for node, role, themes in [
        ("a", "industry", {"t1"}),
        ("b", "knowledge", {"t1", "t2"}),
        ("c", "knowledge", {"t2"}),
        ("d", "government", set()),
    ]:
        G.add_node(node, helix_role=role, helix_roles=(role,), themes=frozenset(themes))
    G.add_edges_from([("a", "b"), ("b", "c")])
    return G


def two_mode() -> nx.Graph:
    """action-1: a, b, d, civil (all four roles); action-2: b, c (knowledge only)."""
    B = nx.Graph()
    roles = {
        "a": "industry",
        "b": "knowledge",
        "c": "knowledge",
        "d": "government",
        "e": "civil_society",
    }
    for node, role in roles.items():
        B.add_node(node, bipartite=0, helix_role=role, helix_roles=(role,))
    B.add_node("action-1", bipartite=1, label="Action", themes=frozenset({"t1"}))
    B.add_node("action-2", bipartite=1, label="Action", themes=frozenset({"t2"}))
    B.add_node("project-1", bipartite=1, label="Project", themes=frozenset({"t2"}))
    B.add_edges_from([("a", "action-1"), ("b", "action-1"), ("d", "action-1"), ("e", "action-1")])
    B.add_edges_from([("b", "action-2"), ("c", "action-2"), ("a", "project-1")])
    return B


def test_network_indicators_by_hand() -> None:
    result = kpis(collaboration(), two_mode())
    assert (result.organisations, result.ties) == (4, 2)
    assert result.density == pytest.approx(2 / 6)
    assert result.average_degree == pytest.approx(1.0)
    assert result.cross_helix_share == pytest.approx(0.5)  # a-b crosses, b-c does not
    assert (result.isolated, result.components) == (1, 2)
    assert result.largest_component_share == pytest.approx(0.75)


def test_helix_completeness_and_companies_per_action_and_theme() -> None:
    result = kpis(collaboration(), two_mode())
    assert (result.actions, result.actions_with_all_four_roles) == (2, 1)
    assert result.helix_completeness == pytest.approx(0.5)
    assert result.industry_per_action == {"action-1": 1, "action-2": 0}
    assert result.industry_per_theme == {"t1": 1, "t2": 1}  # t2 through project-1


def test_secondary_roles_count_as_present() -> None:
    B = two_mode()
    B.nodes["c"]["helix_roles"] = ("knowledge", "industry")
    assert kpis(collaboration(), B).industry_per_action["action-2"] == 1


def test_empty_graphs_give_zeros() -> None:
    result = kpis(nx.Graph(), nx.Graph())
    assert (result.density, result.cross_helix_share, result.helix_completeness) == (0, 0, 0)


def test_comparing_two_versions() -> None:
    old = collaboration()
    new = collaboration()
    new.remove_edge("b", "c")
    new.add_node("e", helix_role="civil_society", themes=frozenset({"t1", "t3"}))
    new.add_edge("e", "d")
    result = compare(old, new, old_brokers=["b", "a"], new_brokers=["b", "e"])
    assert result.new_ties == [("d", "e")]
    assert result.lost_ties == [("b", "c")]
    assert (result.new_organisations, result.lost_organisations) == (["e"], [])
    assert (result.brokers_in, result.brokers_out) == (["e"], ["a"])
    assert result.crossovers_gained == [("t1", "t3")]
    assert result.crossovers_lost == []
    assert result.density_change == pytest.approx(2 / 10 - 2 / 6)
    assert result.cross_helix_share_change == pytest.approx(1.0 - 0.5)
