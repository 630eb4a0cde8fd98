"""A process that writes to an embedded store and acknowledges each committed write.

Run as ``python -m tests.store.writer_process DB``; it prints ``ack <id>`` after every
upsert returned, forever, until killed.
"""

from __future__ import annotations

import sys
from itertools import count
from pathlib import Path

from app.store import EmbeddedStore
from graph_schema import GraphData, Relationship, RelType
from tests.conftest import org, prov, small_graph


def main() -> None:
    store = EmbeddedStore(Path(sys.argv[1]))
    store.upsert(small_graph())
    for n in count():
        node_id = f"company-{n}"
        rel = Relationship(
            type=RelType.PARTNER_IN, source=node_id, target="action-x-1", provenance=prov()
        )
        store.upsert(GraphData(nodes=(org(node_id, place=f"place {n}"),), relationships=(rel,)))
        sys.stdout.write(f"ack {node_id}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
