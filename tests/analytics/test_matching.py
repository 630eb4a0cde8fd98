"""Partner matching on hand-built graphs where the right answer is obvious."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from analytics.evaluation import (
    METHODS,
    average,
    evaluate,
    holdout_split,
    temporal_split,
)
from analytics.matching import (
    COMPONENTS,
    Candidate,
    MatchError,
    MatchIndex,
    MatchWeights,
    Need,
)
from graph_schema import GraphData, HelixRole, OrgType, Project, RelType
from seed.loader import load_seed
from tests.conftest import match_graph, org, rel


def dated_graph(projects: dict[str, tuple[str, list[str]]]) -> GraphData:
    """Companies in projects: project id -> (start date, member ids)."""
    members = sorted({o for _, group in projects.values() for o in group})
    return GraphData(
        nodes=(
            *(org(o) for o in members),
            *(Project(id=p, name=p, period=f"{start}/..") for p, (start, _) in projects.items()),
        ),
        relationships=tuple(
            rel(RelType.PARTICIPATES_IN, o, p, role="partner")
            for p, (_, group) in projects.items()
            for o in group
        ),
    )


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex(match_graph())


def ids(index: MatchIndex, need: Need, top: int = 20) -> list[str]:
    return [c.id for c in index.match(need, top=top).candidates]


def test_the_complementary_partner_two_hops_away_beats_the_popular_stranger(
    index: MatchIndex,
) -> None:
    ranked = ids(index, Need(org="acme"))
    assert ranked.index("care") < ranked.index("big")
    care = index.match(Need(org="acme")).candidates[ranked.index("care")]
    components = {c.name: c.value for c in care.components}
    assert components["helix"] == 1.0  # nobody in acme's collaborations is civil society
    assert components["place"] == 1.0  # both in Roden
    assert components["structure"] > 0
    assert "Maatschappij: een rol die nog ontbreekt" in care.explanation
    assert "UNI" in care.explanation


def test_existing_partners_family_and_generic_groups_are_never_proposed(
    index: MatchIndex,
) -> None:
    ranked = ids(index, Need(org="acme"), top=100)
    assert "uni" not in ranked
    assert "x" not in ranked
    assert "acme-labs" not in ranked  # PART_OF acme
    assert "mkb" not in ranked  # a placeholder group
    assert "acme" not in ranked


def test_existing_partners_appear_with_a_penalty_when_asked_for(index: MatchIndex) -> None:
    result = index.match(Need(org="acme", include_existing=True), top=100)
    uni = next(c for c in result.candidates if c.id == "uni")
    penalty = next(c for c in uni.components if c.name == "existing")
    assert penalty.value == 1.0
    assert penalty.contribution == -MatchWeights().existing
    assert "werkt al met Acme Medical samen — geen nieuwe partner" in uni.explanation


def test_the_introduction_path_is_the_shortest_and_names_what_links_each_hop(
    index: MatchIndex,
) -> None:
    care = next(c for c in index.match(Need(org="acme")).candidates if c.id == "care")
    assert care.introduction is not None
    # acme - uni - care (2 steps), not acme - x - y - care (3 steps)
    assert care.introduction.length == 2
    assert [r.id for r in care.introduction.introducers] == ["uni"]
    assert [h.via[0].id for h in care.introduction.hops] == ["p1", "p2"]
    assert care.introduction.summary == "Acme Medical (Project p1) — UNI (Project p2) — CARE"
    town = next(c for c in index.match(Need(org="acme")).candidates if c.id == "town")
    assert town.introduction is not None
    assert town.introduction.length == 3


def test_an_unreachable_candidate_has_no_introduction(index: MatchIndex) -> None:
    big = next(c for c in index.match(Need(org="acme")).candidates if c.id == "big")
    assert big.introduction is None
    assert "geen keten van bestaande samenwerkingen" in big.explanation
    assert big.introduction_note.startswith("geen introductiepad")


def test_results_are_deterministic_and_ties_are_broken_by_id(index: MatchIndex) -> None:
    first = index.match(Need(org="acme"), top=100)
    again = MatchIndex(match_graph()).match(Need(org="acme"), top=100)
    assert first == again
    ds = [c for c in first.candidates if c.id.startswith("d")]
    assert [c.id for c in ds] == ["d1", "d2", "d3", "d4", "d5"]
    assert len({c.score for c in ds}) == 1
    scores = [c.score for c in first.candidates]
    assert scores == sorted(scores, reverse=True)


def test_the_score_is_the_weighted_sum_of_its_components(index: MatchIndex) -> None:
    for candidate in index.match(Need(org="acme"), top=100).candidates:
        assert [c.name for c in candidate.components] == list(COMPONENTS)
        total = sum(c.contribution for c in candidate.components)
        assert candidate.score == pytest.approx(total, abs=1e-3)


def test_weights_change_the_order(index: MatchIndex) -> None:
    structural = ids(index, Need(org="acme"))
    assert structural[0] == "y"
    complementary = ids(index, Need(org="acme"), top=3)
    by_helix = [
        c.id
        for c in index.match(
            Need(org="acme"), weights=MatchWeights(structure=0, helix=1, activity=0)
        ).candidates
    ]
    assert by_helix[0] in {"care", "town"}  # roles acme's collaborations lack
    assert complementary != by_helix[:3]
    with pytest.raises(MatchError, match="finite number"):
        MatchWeights(theme=-1)


def test_a_need_without_an_organisation(index: MatchIndex) -> None:
    result = index.match(Need(themes=frozenset({"theme-care"})))
    assert result.asker is None
    assert {c.id for c in result.candidates} == {"care", "uni", "town", "acme-labs"}
    assert all(c.introduction is None for c in result.candidates)
    assert all("werkt aan Care" in c.explanation for c in result.candidates)


def test_stated_roles_types_and_place_filter_and_rank(index: MatchIndex) -> None:
    civil = ids(
        index, Need(themes=frozenset({"theme-care"}), roles=frozenset({HelixRole.CIVIL_SOCIETY}))
    )
    assert civil == ["care"]
    no_government = ids(
        index, Need(themes=frozenset({"theme-care"}), exclude_types=frozenset({"government"}))
    )
    assert "town" not in no_government
    assert "care" in no_government
    only_companies = ids(index, Need(place="Roden", include_types=frozenset({"company"})))
    assert set(only_companies) <= {"acme", "acme-labs", "y", "big", "d1", "d2", "d3", "d4", "d5"}
    near_roden = index.match(Need(place="Roden", roles=frozenset({HelixRole.CIVIL_SOCIETY})))
    assert near_roden.candidates[0].id == "care"
    assert "gevestigd in Roden" in near_roden.candidates[0].explanation


def test_keywords_find_words_in_activities(index: MatchIndex) -> None:
    found = index.match(Need(keywords=("diabet",)), top=10)
    assert {c.id for c in found.candidates} == {"uni", "care", "acme-labs"}  # p2's text
    assert found.candidates[0].keywords == ["diabet"]


def test_a_team_is_not_proposed_and_introductions_start_from_its_nearest_member(
    index: MatchIndex,
) -> None:
    result = index.match(Need(team=("uni",), themes=frozenset({"theme-care"})))
    assert "uni" not in {c.id for c in result.candidates}
    town = next(c for c in result.candidates if c.id == "town")
    assert town.introduction is not None
    assert town.introduction.hops[0].source.id == "uni"
    care = next(c for c in result.candidates if c.id == "care")
    assert next(c.value for c in care.components if c.name == "existing") == 1.0


@pytest.mark.parametrize(
    ("need", "field"),
    [
        (Need(), "need"),
        (Need(org="nobody"), "org"),
        (Need(themes=frozenset({"theme-nope"})), "themes"),
        (Need(place="Atlantis"), "place"),
        (Need(team=("ghost",)), "team"),
    ],
)
def test_bad_needs_name_what_is_wrong(index: MatchIndex, need: Need, field: str) -> None:
    with pytest.raises(MatchError) as caught:
        index.match(need)
    assert caught.value.field == field


def test_reasons_are_dutch_by_default_and_english_on_request(index: MatchIndex) -> None:
    care = next(c for c in index.match(Need(org="acme")).candidates if c.id == "care")
    assert care.explanation == (
        "CARE: werkt samen met 1 partner van Acme Medical (UNI); Maatschappij: een rol die "
        "nog ontbreekt in de samenwerkingen van Acme Medical; gevestigd in Roden; "
        "introductie via UNI."
    )
    assert care.role_label == "Maatschappij"
    assert care.type_label == "Zorgaanbieder"
    english = next(c for c in index.match(Need(org="acme"), lang="en").candidates if c.id == "care")
    assert "Civil society: a role missing from Acme Medical's collaborations" in english.explanation
    assert "introduction through UNI" in english.explanation


def test_recent_ties_count_more() -> None:
    """Two candidates, each two steps away; the one behind the newer project wins."""
    projects = {"p-ab": ("2015-01-01", ["a", "b"]), "p-ac": ("2015-01-01", ["a", "c"])}
    projects |= {"p-old": ("2012-01-01", ["b", "old"]), "p-new": ("2020-01-01", ["c", "new"])}
    graph = dated_graph(projects)
    index = MatchIndex(graph)
    assert index.as_of == date(2020, 1, 1)
    assert ids(index, Need(org="a"))[:2] == ["new", "old"]


def test_the_drenthe_network_answers_like_a_colleague() -> None:
    index = MatchIndex(load_seed())
    result = index.match(Need(org="bdrc"), top=5)
    assert len(result.candidates) == 5
    first = result.candidates[0]
    assert first.introduction is not None
    assert first.introduction.introducers
    partners = {int(p) for p in index.partners(index.position["bdrc"])}
    assert not {index.position[c.id] for c in result.candidates} & partners


# --- what someone who knows the region expects ---------------------------------------------


@pytest.fixture(scope="module")
def drenthe() -> MatchIndex:
    return MatchIndex(load_seed())


def helix_reason(candidate: Candidate) -> str:
    return next(r for r in candidate.reasons if "een rol die" in r or "a role" in r)


def test_reasons_name_the_primary_role_the_explorer_shows(drenthe: MatchIndex) -> None:
    result = drenthe.match(Need(org="bdrc"), top=10)
    by_id = {c.id: c for c in result.candidates}
    roden = by_id["health-hub-roden"]
    assert roden.helix_role == "industry"
    assert roden.role_label == "Bedrijfsleven"
    assert helix_reason(roden).startswith("Bedrijfsleven, met als nevenrol Overheid: een rol")
    assert "uit de overheid" not in roden.explanation
    assert helix_reason(by_id["tza"]).startswith("Kennis & onderwijs, met als nevenrol")
    assert helix_reason(by_id["hannn"]).startswith("Maatschappij, met als nevenrol Overheid")
    for candidate in result.candidates:
        for reason in candidate.reasons:
            if "een rol die" in reason:
                assert reason.startswith(candidate.role_label)


def test_english_reasons_use_the_role_names_of_the_page(drenthe: MatchIndex) -> None:
    result = drenthe.match(Need(org="bdrc"), top=30, lang="en")
    springboard = next(c for c in result.candidates if c.id == "springboard")
    assert "a partner from knowledge" not in springboard.explanation
    assert springboard.role_label == "Industry"
    reasons = [r for c in result.candidates for r in c.reasons if "a role" in r]
    assert reasons
    assert all(
        r.split(":")[0].split(",")[0]
        in {"Government", "Knowledge & education", "Industry", "Civil society"}
        for r in reasons
    )


def test_a_candidate_eligible_through_a_secondary_role_says_so_and_ranks_lower(
    drenthe: MatchIndex,
) -> None:
    result = drenthe.match(Need(roles=frozenset({HelixRole.KNOWLEDGE})), top=40)
    first = result.candidates[0]
    assert first.helix_role == "knowledge"
    assert first.eligible_through == "primary"
    assert first.eligibility is None
    it_hub = next(c for c in result.candidates if c.id == "it-hub")
    assert it_hub.eligible_through == "secondary"
    assert it_hub.reasons[0] == "komt in aanmerking via zijn nevenrol Kennis & onderwijs"
    ranks = {c.id: c.rank for c in result.candidates}
    assert ranks["it-hub"] > ranks["umcg"]


def test_a_stated_type_says_it_made_the_candidate_eligible(drenthe: MatchIndex) -> None:
    result = drenthe.match(Need(include_types=frozenset({"care_provider"}), place="Assen"))
    assert result.candidates
    assert all(c.eligible_through == "type" for c in result.candidates)
    assert result.candidates[0].eligibility == "komt in aanmerking als Zorgaanbieder"


def test_education_is_no_civil_society_partner_through_a_secondary_role(
    drenthe: MatchIndex,
) -> None:
    result = drenthe.match(Need(roles=frozenset({HelixRole.CIVIL_SOCIETY})), top=100)
    found = {c.id: c for c in result.candidates}
    assert "tza" not in found  # education, civil society only as a secondary role
    assert "practoraat-zorg-en-technologie" not in found
    assert "linesbridge-pharma-group" not in found  # a company
    assert all(c.org_type != "education" for c in result.candidates)
    assert found["umcg"].eligible_through == "secondary"  # the academic hospital is
    assert found["treant"].eligible_through == "primary"


def test_diabetes_finds_the_diabetes_research_centre_first(drenthe: MatchIndex) -> None:
    need = Need(
        themes=frozenset({"theme-medische-technologie"}),
        roles=frozenset({HelixRole.KNOWLEDGE}),
        place="Emmen",
        keywords=("diabetes",),
    )
    first = drenthe.match(need, top=10).candidates[0]
    assert first.id == "bdrc"
    assert first.keywords == ["diabetes"]
    assert "‘diabetes’ in de naam, in de beschrijving en in 2 activiteiten" in first.explanation


def test_the_reason_says_where_a_keyword_was_found(index: MatchIndex) -> None:
    care = next(c for c in index.match(Need(keywords=("diabetes",))).candidates if c.id == "care")
    assert "‘diabetes’ in project Project p2" in care.reasons
    english = index.match(Need(keywords=("diabetes",)), lang="en").candidates[0]
    assert "‘diabetes’ in project Project p2" in english.reasons


def test_a_keyword_in_the_description_counts_more_than_one_in_an_activity() -> None:
    graph = match_graph()
    described = org(
        "sugar", HelixRole.KNOWLEDGE, name="Sugar Lab", description="Onderzoek naar diabetes."
    )
    graph = GraphData(nodes=(*graph.nodes, described), relationships=graph.relationships)
    found = MatchIndex(graph).match(Need(keywords=("diabetes",)), top=10).candidates
    assert found[0].id == "sugar"
    assert found[0].reasons[0] == "‘diabetes’ in de beschrijving"


def test_no_new_partner_for_a_keyword_the_answer_says_why_and_relaxes(
    drenthe: MatchIndex,
) -> None:
    result = drenthe.match(Need(org="bdrc", keywords=("diabetes",)), top=5)
    assert len(result.candidates) == 5
    explanation = result.explanation
    assert explanation.relaxed == ["topics"]
    existing = next(r for r in explanation.removed_by if r.constraint == "existing")
    assert existing.count == 4
    assert {e.id for e in existing.examples} == {"it-hub", "umcg", "hzd", "treant"}
    assert explanation.summary is not None
    assert explanation.summary.startswith("Geen nieuwe kandidaat werkt aan ‘diabetes’: 4 werken al")
    assert "Hieronder de beste kandidaten zonder die voorwaarde." in explanation.summary
    suggested = {s.constraint: s for s in explanation.suggestions}
    assert suggested["existing"].candidates == 4
    assert suggested["existing"].text == "Neem ook huidige partners mee: dat geeft 4 kandidaten."


def test_an_empty_answer_says_which_constraint_left_out_whom(index: MatchIndex) -> None:
    need = Need(
        themes=frozenset({"theme-care"}),
        roles=frozenset({HelixRole.GOVERNMENT}),
        exclude_types=frozenset({"government"}),
    )
    result = index.match(need)
    assert result.candidates == []
    removed = {r.constraint: r for r in result.explanation.removed_by}
    assert removed["roles"].count == len(index.ids) - 1
    assert removed["exclude_types"].count == 1
    assert [e.id for e in removed["exclude_types"].examples] == ["town"]
    assert removed["exclude_types"].text == "1 is van het uitgesloten type Overheid (TOWN)"
    summary = result.explanation.summary
    assert summary is not None
    assert summary.startswith("Geen kandidaten. Van ")
    suggestions = {s.constraint: s for s in result.explanation.suggestions}
    assert suggestions["exclude_types"].candidates == 1
    assert suggestions["exclude_types"].text == (
        "Sluit het type Overheid niet langer uit: dat geeft 1 kandidaat."
    )


def test_penalties_read_as_penalties_with_correct_plurals(index: MatchIndex) -> None:
    result = index.match(Need(team=("uni",), themes=frozenset({"theme-care"})))
    care = next(c for c in result.candidates if c.id == "care")
    assert "werkt al met 1 lid van het team samen — minder nieuw" in care.reasons
    two = index.match(Need(team=("uni", "town"), themes=frozenset({"theme-care"})))
    care = next(c for c in two.candidates if c.id == "care")
    assert "werkt al met 2 leden van het team samen — minder nieuw" in care.reasons
    for candidate in [*result.candidates, *two.candidates]:
        assert "1 leden" not in candidate.explanation
        assert "1 partners" not in candidate.explanation


def test_every_candidate_says_how_an_introduction_goes_or_why_there_is_none(
    index: MatchIndex,
) -> None:
    alone = index.match(Need(themes=frozenset({"theme-care"})))
    assert {c.introduction_note for c in alone.candidates} == {
        "geen introductiepad: geen vragende organisatie of team opgegeven"
    }
    asked = {c.id: c for c in index.match(Need(org="acme"), top=20).candidates}
    assert asked["care"].introduction_note == "introductie via UNI"
    assert asked["big"].introduction_note == (
        "geen introductiepad: geen keten van bestaande samenwerkingen leidt naar deze organisatie"
    )


def test_place_uses_the_organisations_own_province_and_region() -> None:
    """The matcher reads the shared province and region fields, not a table of its own."""
    graph = match_graph()
    here = (
        org("borger", HelixRole.CIVIL_SOCIETY, org_type=OrgType.CARE_PROVIDER, place="Borger"),
        org("somewhere", HelixRole.CIVIL_SOCIETY, province="Drenthe"),
        org("lingen", HelixRole.CIVIL_SOCIETY, place="Lingen", country="DE"),
    )
    index = MatchIndex(GraphData(nodes=(*graph.nodes, *here), relationships=graph.relationships))
    need = Need(place="Drenthe", roles=frozenset({HelixRole.CIVIL_SOCIETY}))
    found = {c.id: c for c in index.match(need, top=20).candidates}
    for org_id in ("borger", "somewhere"):
        assert next(c.value for c in found[org_id].components if c.name == "place") == 1.0
        assert "gevestigd in Drenthe" in found[org_id].reasons
    assert next(c.value for c in found["care"].components if c.name == "place") == 1.0
    assert next(c.value for c in found["lingen"].components if c.name == "place") == 0.0
    across = index.match(Need(place="Nedersaksen", roles=frozenset({HelixRole.CIVIL_SOCIETY})))
    assert across.candidates[0].id == "lingen"
    assert "gevestigd in Nedersaksen" in across.candidates[0].reasons
    near_roden = {c.id: c for c in index.match(Need(place="Roden"), top=30).candidates}
    borger = next(c.value for c in near_roden["borger"].components if c.name == "place")
    assert borger == 0.6  # same province as Roden


# --- evaluation ---------------------------------------------------------------------------


def test_temporal_split_hides_only_new_pairs_of_later_activities() -> None:
    projects = {
        "p1": ("2016-01-01", ["a", "b"]),
        "p2": ("2016-06-01", ["b", "c"]),
        "p3": ("2019-02-01", ["a", "b", "c", "d"]),
    }
    graph = dated_graph(projects)
    split = temporal_split(graph, date(2019, 1, 1))
    # a-b and b-c were known; d was unknown before the cut-off
    assert split.hidden == {"a": {"c"}, "c": {"a"}}
    assert len(split.train.relationships) == 4


def test_holdout_split_is_seeded() -> None:
    graph = load_seed()
    assert holdout_split(graph, 0.1, 3).hidden == holdout_split(graph, 0.1, 3).hidden
    assert holdout_split(graph, 0.1, 3).hidden != holdout_split(graph, 0.1, 4).hidden


def test_evaluation_reports_every_method_and_random_is_near_chance() -> None:
    rounds = [evaluate(holdout_split(load_seed(), 0.1, seed)) for seed in range(3)]
    result = average(rounds)
    assert [row.method for row in result.rows] == list(METHODS)
    assert result.queries == sum(r.queries for r in rounds) > 0
    for row in result.rows:
        values = [row.precision_at_5, row.precision_at_10, row.recall_at_10, row.mrr, row.auc]
        assert all(0.0 <= v <= 1.0 for v in values)
    by_method = {row.method: row for row in result.rows}
    assert 0.3 < by_method["random"].auc < 0.7
    assert by_method["matcher"].auc > by_method["random"].auc


def test_a_perfect_predictor_scores_one() -> None:
    """On a graph where the hidden pair is the only two-step pair, the matcher finds it."""
    projects = {
        "p1": ("2016-01-01", ["a", "b"]),
        "p2": ("2016-01-01", ["b", "c"]),
        "p3": ("2016-01-01", ["z1", "z2"]),
        "p4": ("2019-06-01", ["a", "c"]),
    }
    graph = dated_graph(projects)
    result = evaluate(temporal_split(graph, date(2019, 1, 1)))
    matcher = next(row for row in result.rows if row.method == "matcher")
    assert result.queries == 2
    assert matcher.mrr == 1.0
    assert matcher.auc == 1.0
    assert matcher.recall_at_10 == 1.0
    assert np.isclose(matcher.precision_at_5, 0.2)
