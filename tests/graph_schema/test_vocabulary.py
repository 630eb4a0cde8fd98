"""The vocabulary is defined once, in graph_schema, and restated nowhere else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graph_schema import ACTIVITY_KINDS, ACTIVITY_LINKS, ACTIVITY_RELATION, HELIX_ROLES, NodeLabel
from graph_schema.enums import CODE_LISTS, KIND_PREFIX, RELATION_PREFIX, RelType
from graph_schema.i18n import catalogue
from graph_schema.models import RELATIONSHIP_RULES

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "analytics", "graph_schema", "seed", "bench", "scripts")
LISTS = {
    "helix roles": frozenset(HELIX_ROLES),
    "activity kinds": frozenset(str(kind) for kind in ACTIVITY_KINDS),
    "activity relations": frozenset(str(rel) for rel in ACTIVITY_RELATION.values()),
}
"""Lists that a literal may not spell out in full outside graph_schema.enums."""


def test_an_organisation_takes_part_in_each_kind_of_activity_by_its_one_relation() -> None:
    organisation = frozenset({NodeLabel.ORGANISATION})
    joining = {
        rel: next(iter(rule.targets))
        for rel, rule in RELATIONSHIP_RULES.items()
        if rule.sources == organisation
        and len(rule.targets) == 1
        and NodeLabel.ORGANISATION not in rule.targets
    }
    assert joining == ACTIVITY_LINKS
    assert {kind: rel for rel, kind in joining.items()} == ACTIVITY_RELATION
    assert ACTIVITY_KINDS == (NodeLabel.ACTION, NodeLabel.PROJECT, NodeLabel.NETWORK)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_code_has_its_words_under_its_prefix(lang: str) -> None:
    texts = catalogue(lang)
    keys = [f"{KIND_PREFIX}.{kind}" for kind in NodeLabel]
    keys += [f"{RELATION_PREFIX}.{rel}" for rel in RelType]
    keys += [f"{prefix}.{code}" for prefix, enum in CODE_LISTS.values() for code in enum]
    assert [key for key in keys if key not in texts] == []


def _shown(tree: ast.AST) -> set[int]:
    """Ids of the nodes that show or name codes rather than define a list: examples in the
    API description (``examples=``, ``json_schema_extra``, a constant named ``…EXAMPLE…``)
    and ``__all__``."""
    roots: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("examples", "json_schema_extra"):
            roots.append(node.value)
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if any(name == "__all__" or "EXAMPLE" in name.upper() for name in names):
            roots.append(node)
    return {id(inner) for root in roots for inner in ast.walk(root)}


def _restatements(path: Path) -> list[str]:
    """Tuple, list, set and dict literals of ``path`` spelling out a whole list of LISTS."""
    tree = ast.parse(path.read_text("utf-8"))
    shown = _shown(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in shown or not isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            continue
        items = node.keys if isinstance(node, ast.Dict) else node.elts
        words = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        found += [f"{where}: {name}" for name, codes in LISTS.items() if codes <= words]
    return found


def test_no_module_spells_out_the_helix_roles_or_the_activity_kinds() -> None:
    found: list[str] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "graph_schema" / "enums.py":
                continue
            found += _restatements(path)
    assert found == []
