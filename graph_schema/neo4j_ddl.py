"""Neo4j schema: constraints and indexes, applied idempotently at start-up.

Every node carries the shared label ``Entity`` besides its kind, so one uniqueness
constraint makes ids unique across all kinds (as the model requires), and one more per
kind serves lookups by label and id.
"""

from __future__ import annotations

from graph_schema.enums import NodeLabel

__all__ = ["CONTACTS", "ENTITY", "META", "SCHEMA_STATEMENTS"]

ENTITY = "Entity"
"""Label shared by every graph node (not by the bookkeeping node)."""
META = "GraphMeta"
"""Label of the single bookkeeping node that holds the graph version."""
CONTACTS = "ContactList"
"""Label of the nodes holding an organisation's contact persons: personal data, not part
of the graph (no Entity label, no relationships), so no graph query can reach them."""


def _statements() -> tuple[str, ...]:
    statements = [
        f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE",
        f"CREATE CONSTRAINT meta_id IF NOT EXISTS FOR (n:{META}) REQUIRE n.id IS UNIQUE",
        f"CREATE CONSTRAINT contacts_organisation IF NOT EXISTS "
        f"FOR (c:{CONTACTS}) REQUIRE c.organisation IS UNIQUE",
        "CREATE CONSTRAINT change_version IF NOT EXISTS "
        "FOR (c:GraphChange) REQUIRE c.version IS UNIQUE",
    ]
    for label in NodeLabel:
        name = label.value.lower()
        statements.append(
            f"CREATE CONSTRAINT {name}_id IF NOT EXISTS "
            f"FOR (n:{label.value}) REQUIRE n.id IS UNIQUE"
        )
        statements.append(
            f"CREATE INDEX {name}_name IF NOT EXISTS FOR (n:{label.value}) ON (n.name)"
        )
    return tuple(statements)


SCHEMA_STATEMENTS: tuple[str, ...] = _statements()
"""Every DDL statement, built from the label enum only (no outside input)."""
