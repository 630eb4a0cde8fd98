from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph_schema import HelixRole, Organisation, Provenance, Relationship, RelType
from graph_schema.names import name_key
from tests.conftest import org, rel


def test_organisation_keeps_primary_and_secondary_roles() -> None:
    umcg = org("umcg", HelixRole.KNOWLEDGE, secondary_roles=["civil_society"])
    assert umcg.helix_roles == (HelixRole.KNOWLEDGE, HelixRole.CIVIL_SOCIETY)


def test_secondary_role_may_not_repeat_the_primary() -> None:
    with pytest.raises(ValidationError, match="must not repeat"):
        org("x", HelixRole.KNOWLEDGE, secondary_roles=["knowledge"])


@pytest.mark.parametrize("bad_id", ["UMCG", "has space", "-lead", "trail-", "a--b", ""])
def test_ids_are_lowercase_slugs(bad_id: str) -> None:
    with pytest.raises(ValidationError):
        org(bad_id)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Organisation.model_validate(
            {"id": "x", "name": "X", "helix_role": "industry", "org_type": "company", "size": 3}
        )


def test_relationship_needs_provenance() -> None:
    with pytest.raises(ValidationError, match="provenance"):
        Relationship.model_validate({"type": "PARTNER_IN", "source": "a", "target": "b"})


def test_provenance_needs_a_quote() -> None:
    with pytest.raises(ValidationError, match="quote"):
        Provenance(source="s", section="s", quote="  ")


def test_participation_needs_a_known_role() -> None:
    with pytest.raises(ValidationError, match="needs a role"):
        rel(RelType.PARTICIPATES_IN, "a", "p")
    with pytest.raises(ValidationError, match="not allowed"):
        rel(RelType.PARTICIPATES_IN, "a", "p", role="boss")
    link = rel(RelType.PARTICIPATES_IN, "a", "p", role="lead")
    assert link.key == (RelType.PARTICIPATES_IN, "a", "p")


def test_a_node_cannot_link_to_itself() -> None:
    with pytest.raises(ValidationError, match="itself"):
        rel(RelType.PART_OF, "a", "a")


@pytest.mark.parametrize(
    ("left", "right"),
    [("IT-Hub", "it hub"), ("Patiëntenorganisaties", "patientenorganisaties"), ("UMCG", "umcg")],
)
def test_name_key_ignores_case_accents_and_punctuation(left: str, right: str) -> None:
    assert name_key(left) == name_key(right)
