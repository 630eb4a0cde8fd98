"""Every Cypher query of the Neo4j store, as named constants with parameters.

Labels and relationship types are interpolated only from the enums, once, here.
"""

from __future__ import annotations

from graph_schema import NodeLabel, RelType
from graph_schema.neo4j_ddl import CONTACTS, ENTITY, META

DROP_RETIRED_INDEXES = ("DROP INDEX entity_names IF EXISTS",)
"""Indexes that earlier versions created and nothing reads any more (a full-text index of
names and aliases: name search runs on the service's own index)."""

VERSION = f"MATCH (m:{META} {{id: 'graph'}}) RETURN m.version AS version"

BUMP_VERSION = (
    f"MERGE (m:{META} {{id: 'graph'}}) ON CREATE SET m.version = 0 "
    "SET m.version = m.version + 1 RETURN m.version AS version"
)

LOCK_NODES = f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) SET n.lock_ = true REMOVE n.lock_"
"""Take the write locks of nodes (held to the end of the transaction), changing nothing:
a conditional write then reads them only after any concurrent write has committed."""

NODES_BY_ID = (
    f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) "
    f"RETURN n.id AS id, [l IN labels(n) WHERE l <> '{ENTITY}'][0] AS label, "
    "properties(n) AS props"
)

RELS_BY_KEY = (
    "UNWIND $keys AS key "
    f"MATCH (a:{ENTITY} {{id: key[1]}})-[r]->(b:{ENTITY} {{id: key[2]}}) WHERE type(r) = key[0] "
    "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props"
)

MERGE_NODES: dict[NodeLabel, str] = {
    label: (
        f"UNWIND $rows AS row MERGE (n:{ENTITY} {{id: row.id}}) SET n = row.props, n:{label.value}"
    )
    for label in NodeLabel
}

MERGE_RELS: dict[RelType, str] = {
    rel_type: (
        f"UNWIND $rows AS row "
        f"MATCH (a:{ENTITY} {{id: row.source}}), (b:{ENTITY} {{id: row.target}}) "
        f"MERGE (a)-[r:{rel_type.value}]->(b) SET r = row.props"
    )
    for rel_type in RelType
}

ALL_NODES = (
    f"MATCH (n:{ENTITY}) "
    f"RETURN [l IN labels(n) WHERE l <> '{ENTITY}'][0] AS label, properties(n) AS props "
    "ORDER BY n.id"
)

ALL_RELS = (
    f"MATCH (a:{ENTITY})-[r]->(b:{ENTITY}) "
    "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props "
    "ORDER BY type, source, target"
)

NODE_BY_LABEL: dict[NodeLabel, str] = {
    label: f"MATCH (n:{label.value} {{id: $id}}) RETURN properties(n) AS props"
    for label in NodeLabel
}

_ACTIVITY_LINKS = "PARTNER_IN|PARTICIPATES_IN|MEMBER_OF"


def _node_where(label: NodeLabel) -> str:
    theme = (
        f"EXISTS {{ MATCH (n)-[:{_ACTIVITY_LINKS}]->()-[:ADDRESSES]->(:Theme {{id: $theme}}) }}"
        if label is NodeLabel.ORGANISATION
        else "EXISTS { MATCH (n)-[:ADDRESSES]->(:Theme {id: $theme}) }"
    )
    return (
        f"MATCH (n:{label.value}) "
        f"WHERE ($theme IS NULL OR {theme}) "
        "  AND ($role IS NULL OR n.helix_role = $role "
        "       OR ($secondary AND $role IN coalesce(n.secondary_roles, []))) "
        "  AND ($org_type IS NULL OR n.org_type = $org_type) "
        "  AND ($place IS NULL OR n.place_key = $place_key "
        "       OR n.province = $place_province OR n.region = $place_region) "
        "  AND ($province IS NULL OR n.province = $province) "
        "  AND ($region IS NULL OR n.region = $region) "
        "  AND ($generic IS NULL OR n.generic = $generic) "
    )


_ORDER = {
    ("name", False): "n.sort_key ASC, n.id ASC",
    ("name", True): "n.sort_key DESC, n.id DESC",
    ("id", False): "n.id ASC",
    ("id", True): "n.id DESC",
}

COUNT_NODES: dict[NodeLabel, str] = {
    label: _node_where(label) + "RETURN count(n) AS total" for label in NodeLabel
}

LIST_NODES: dict[tuple[NodeLabel, str, bool], str] = {
    (label, sort, descending): _node_where(label)
    + f"RETURN properties(n) AS props ORDER BY {order} SKIP $offset LIMIT $limit"
    for label in NodeLabel
    for (sort, descending), order in _ORDER.items()
}

CLEAR_RELS_BATCH = (
    f"MATCH (:{ENTITY})-[r]->(:{ENTITY}) WITH r LIMIT $batch DELETE r RETURN count(*) AS deleted"
)
CLEAR_BATCH = f"MATCH (n:{ENTITY}) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS deleted"

EDGES_TOUCHING = (
    f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}})-[r]-(:{ENTITY}) "
    "WITH DISTINCT r "
    "RETURN type(r) AS type, startNode(r).id AS source, endNode(r).id AS target, "
    "properties(r) AS props ORDER BY type, source, target"
)

PING = "RETURN 1 AS ok"

LOG_CHANGE = (
    "CREATE (:GraphChange {version: $version, at: $at, action: $action, actor: $actor, "
    "nodes: $nodes, relationships: $relationships, details: $details, note: $note, "
    "undo_of: $undo_of})"
)

CHANGES_SINCE = (
    "MATCH (c:GraphChange) WHERE c.version > $since "
    "RETURN c.version AS version, c.at AS at, c.action AS action, c.actor AS actor, "
    "c.nodes AS nodes, c.relationships AS relationships, c.details AS details, "
    "c.note AS note, c.undo_of AS undo_of ORDER BY version LIMIT $limit"
)

DELETE_NODES = (
    f"UNWIND $rows AS row MATCH (n:{ENTITY} {{id: row.id}}) "
    f"OPTIONAL MATCH (c:{CONTACTS} {{organisation: row.id}}) DETACH DELETE c, n"
)

DELETE_RELS: dict[RelType, str] = {
    rel_type: (
        f"UNWIND $rows AS row MATCH (:{ENTITY} {{id: row.source}})-[r:{rel_type.value}]->"
        f"(:{ENTITY} {{id: row.target}}) DELETE r"
    )
    for rel_type in RelType
}

ACTIONS_ON_THEMES = (
    f"UNWIND $ids AS id MATCH (a:{NodeLabel.ACTION.value} {{theme: id}}) "
    "RETURN a.id AS id, a.theme AS theme"
)

GET_CONTACTS = (
    f"MATCH (o:{NodeLabel.ORGANISATION.value} {{id: $id}}) "
    f"OPTIONAL MATCH (c:{CONTACTS} {{organisation: $id}}) RETURN o.id AS id, c.doc AS doc"
)

PUT_CONTACTS = (
    f"MATCH (o:{NodeLabel.ORGANISATION.value} {{id: $id}}) "
    f"MERGE (c:{CONTACTS} {{organisation: $id}}) SET c.doc = $doc RETURN o.id AS id"
)

CLEAR_CONTACTS = f"MATCH (c:{CONTACTS}) DELETE c"
