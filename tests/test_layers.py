"""The layers of docs/ARCHITECTURE.md hold: imports point downwards, and no module imports
itself round a cycle (imports for type checking only included)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "analytics", "graph_schema", "seed")

LAYERS = {
    "app.api": 5,
    "app.main": 6,
    "app.cli": 6,
    "app.services": 4,
    "app.core": 3,
    "app.store": 2,
    "app.errors": 1,
    "app.settings": 1,
}
"""Within app: a module may import its own layer or lower ones only."""


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Every project module and the project modules it imports (any import statement)."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = _module(path)
            targets: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    targets.add(node.module)
                    targets.update(f"{node.module}.{alias.name}" for alias in node.names)
                elif isinstance(node, ast.Import):
                    targets.update(alias.name for alias in node.names)
            found[name] = targets
    known = set(found)
    return {
        name: {t for t in targets if t in known and t != name} for name, targets in found.items()
    }


def _layer(module: str) -> int | None:
    for prefix, layer in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return None


def test_imports_point_downwards() -> None:
    wrong = []
    for module, targets in _imports().items():
        if module.startswith(("analytics", "graph_schema", "seed")):
            wrong += [f"{module} -> {t}" for t in targets if t.startswith("app")]
        if module.startswith("analytics"):
            wrong += [f"{module} -> {t}" for t in targets if t.startswith("seed")]
        here = _layer(module)
        if here is None:
            continue
        for target in targets:
            there = _layer(target)
            if there is not None and there > here:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports that point upwards:\n" + "\n".join(sorted(wrong))


def test_no_module_imports_itself_round_a_cycle() -> None:
    graph = _imports()
    # a package's __init__ re-exporting its modules is not a cycle of its own
    edges = {
        module: {t for t in targets if not module.startswith(t + ".")}
        for module, targets in graph.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)
