"""The page takes its helix roles and kinds of activity from the served vocabulary.

The scripts the service serves spell out none of those lists: no array or object literal
holds every helix role, every kind of activity or every relation linking an organisation
to one. Such a literal is how a new role or kind gets missed on the page.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import EXPLORER, create_app
from app.settings import Settings
from app.store import EmbeddedStore
from graph_schema import ACTIVITY_KINDS, ACTIVITY_RELATION, HELIX_ROLES

LISTS = {
    "helix roles": frozenset(HELIX_ROLES),
    "activity kinds": frozenset(str(kind) for kind in ACTIVITY_KINDS),
    "activity relations": frozenset(str(rel) for rel in ACTIVITY_RELATION.values()),
}
LITERAL = re.compile(r"\[[^\[\]]*\]|\{[^{}]*\}")
"""An array or object literal holding no other (innermost first)."""
WORD = re.compile(r"""["'`](\w+)["'`]|(\w+)\s*:""")
"""A quoted word, or an object key."""


def _restatements(name: str, script: str) -> list[str]:
    found = []
    for literal in LITERAL.finditer(script):
        words = {quoted or key for quoted, key in WORD.findall(literal.group())}
        line = script.count("\n", 0, literal.start()) + 1
        found += [f"{name}:{line}: {what}" for what, codes in LISTS.items() if codes <= words]
    return found


def test_no_served_script_spells_out_a_list_of_the_vocabulary(tmp_path: Path) -> None:
    names = sorted(path.name for path in (EXPLORER / "js").glob("*.js"))
    assert "state.js" in names
    found: list[str] = []
    with TestClient(create_app(Settings(), store=EmbeddedStore(tmp_path / "h.sqlite3"))) as client:
        for name in names:
            response = client.get(f"/explorer/js/{name}")
            assert response.status_code == 200, name
            found += _restatements(name, response.text)
    assert found == []


def test_a_spelled_out_list_is_found() -> None:
    script = 'export const ROLES = ["government", "knowledge", "industry", "civil_society"];\n'
    script += "const order = { government: 0, knowledge: 1, industry: 2, civil_society: 3 };"
    assert _restatements("state.js", script) == [
        "state.js:1: helix roles",
        "state.js:2: helix roles",
    ]
