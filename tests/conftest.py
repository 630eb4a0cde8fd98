"""Shared fixtures: a small hand-made graph and fresh stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store import EmbeddedStore, GraphStore, Neo4jStore
from graph_schema import (
    Action,
    GraphData,
    HelixRole,
    Organisation,
    OrgType,
    Project,
    Provenance,
    Relationship,
    RelType,
    Theme,
    ThemeKind,
)

# Most tests fire requests far faster than any client should; the rate limit has its own
# tests, which set it explicitly.
os.environ.setdefault("HELIX_RATE_LIMIT", "0")

SOURCE_TEXT = Path(
    os.environ.get(
        "HELIX_SOURCE_TEXT",
        Path(__file__).resolve().parents[1]
        / "seed/data/agenda/agenda-gezondheidseconomie-drenthe-2021-2024.txt",
    )
)


def prov(quote: str = "a quote") -> Provenance:
    return Provenance(source="test-source", section="test section", quote=quote)


def rel(rel_type: RelType, source: str, target: str, role: str | None = None) -> Relationship:
    return Relationship(type=rel_type, source=source, target=target, role=role, provenance=prov())


def org(org_id: str, role: HelixRole = HelixRole.INDUSTRY, **extra: object) -> Organisation:
    return Organisation.model_validate(
        {
            "id": org_id,
            "name": extra.pop("name", org_id.upper()),
            "helix_role": role,
            "org_type": extra.pop("org_type", OrgType.COMPANY),
            **extra,
        }
    )


def small_graph() -> GraphData:
    """Three organisations, one theme, one action they share."""
    return GraphData(
        nodes=(
            org("acme", place="Roden"),
            org("uni", HelixRole.KNOWLEDGE, org_type=OrgType.KNOWLEDGE_INSTITUTION),
            org("town", HelixRole.GOVERNMENT, org_type=OrgType.GOVERNMENT, place="Assen"),
            org("mkb", generic=True, name="mkb"),
            Theme(id="theme-x", name="Theme X", kind=ThemeKind.PRIORITY),
            Action(id="action-x-1", name="Do X", theme="theme-x", what="We do X."),
        ),
        relationships=(
            Relationship(
                type=RelType.PARTNER_IN, source="acme", target="action-x-1", provenance=prov()
            ),
            Relationship(
                type=RelType.PARTNER_IN, source="uni", target="action-x-1", provenance=prov()
            ),
            Relationship(
                type=RelType.ADDRESSES, source="action-x-1", target="theme-x", provenance=prov()
            ),
        ),
    )


def match_graph() -> GraphData:
    """A network where the right partners for 'acme' are obvious.

    acme (industry, Roden) works with uni on p1. uni works with care (civil society,
    Roden) on p2, where the placeholder group mkb and acme's own lab take part too. care
    works with town (government) on p3. A longer chain also reaches care: acme - x (p4),
    x - y (p5), y - care (p6). Far away, the popular stranger big works with d1..d5.
    """
    orgs = [
        org("acme", place="Roden", name="Acme Medical", aliases=("AM",)),
        org("acme-labs", name="Acme Labs"),
        org("uni", HelixRole.KNOWLEDGE, org_type=OrgType.KNOWLEDGE_INSTITUTION, place="Groningen"),
        org("care", HelixRole.CIVIL_SOCIETY, org_type=OrgType.CARE_PROVIDER, place="Roden"),
        org("town", HelixRole.GOVERNMENT, org_type=OrgType.GOVERNMENT, place="Assen"),
        org("x", HelixRole.KNOWLEDGE, org_type=OrgType.EDUCATION),
        org("y"),
        org("big", name="Big Industries"),
        *(org(f"d{k}") for k in range(1, 6)),
        org("mkb", generic=True, name="mkb"),
    ]
    projects = {
        "p1": ["acme", "uni"],
        "p2": ["uni", "care", "mkb", "acme-labs"],
        "p3": ["care", "town"],
        "p4": ["acme", "x"],
        "p5": ["x", "y"],
        "p6": ["y", "care"],
        **{f"q{k}": ["big", f"d{k}"] for k in range(1, 6)},
    }
    descriptions = {"p2": "Diabetes care at home with a PGO."}
    return GraphData(
        nodes=(
            *orgs,
            Theme(id="theme-care", name="Care", kind=ThemeKind.PRIORITY),
            Theme(id="theme-tech", name="Technology", kind=ThemeKind.PRIORITY),
            *(
                Project(id=p, name=f"Project {p}", description=descriptions.get(p))
                for p in projects
            ),
        ),
        relationships=(
            *(
                rel(RelType.PARTICIPATES_IN, o, p, role="partner")
                for p, group in projects.items()
                for o in group
            ),
            rel(RelType.ADDRESSES, "p2", "theme-care"),
            rel(RelType.ADDRESSES, "p3", "theme-care"),
            rel(RelType.ADDRESSES, "p1", "theme-tech"),
            *(rel(RelType.ADDRESSES, f"q{k}", "theme-tech") for k in range(1, 6)),
            rel(RelType.PART_OF, "acme-labs", "acme"),
        ),
    )


STORE_KINDS = os.environ.get("HELIX_TEST_STORES", "embedded,neo4j").split(",")
"""Stores the contract runs against. Leaving Neo4j out takes an explicit HELIX_TEST_STORES."""


@pytest.fixture(scope="session")
def neo4j_store() -> Iterator[Neo4jStore]:
    """One connection to the Neo4j server that scripts/test.sh provisions and starts."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.fail(
            "NEO4J_URI is not set: run the suite with scripts/test.sh, which starts Neo4j, "
            "or leave Neo4j out knowingly with HELIX_TEST_STORES=embedded"
        )
    password = os.environ.get("NEO4J_PASSWORD", "")
    with Neo4jStore(uri, os.environ.get("NEO4J_USER", "neo4j"), password) as connected:
        yield connected


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each kind, wiped before each test."""
    if request.param == "embedded":
        with EmbeddedStore(tmp_path / "store.sqlite3") as fresh:
            yield fresh
    elif request.param == "neo4j":
        neo4j: Neo4jStore = request.getfixturevalue("neo4j_store")
        neo4j.clear()
        yield neo4j
    else:
        pytest.fail(f"unknown store kind {request.param!r} in HELIX_TEST_STORES")
