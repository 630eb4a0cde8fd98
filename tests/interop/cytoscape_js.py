"""cytoscape.js under node, as a test oracle (tests/interop/node/load-cytoscape.mjs).

``cytoscape_load(path)`` loads a Cytoscape JSON file into cytoscape.js (headless) and
returns ``{"version", "nodes", "edges", "elements": [{"group", "data"}]}``: what
cytoscape.js holds. The package is pinned in tests/interop/node/package-lock.json and
installed by scripts/interop.sh (``npm ci``); the test fails when it is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

__all__ = ["cytoscape_load"]

_NODE_DIR = Path(__file__).with_name("node")


def cytoscape_load(path: Path, timeout: float = 120) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js (scripts/interop.sh needs it too)")
    if not (_NODE_DIR / "node_modules/cytoscape/package.json").is_file():
        pytest.fail("cytoscape.js is missing: run scripts/interop.sh (scripts/test.sh does)")
    result = subprocess.run(
        [node, str(_NODE_DIR / "load-cytoscape.mjs"), str(path)],
        capture_output=True,
        timeout=timeout,
        check=False,
        cwd=_NODE_DIR,
    )
    if result.returncode != 0:
        pytest.fail(f"cytoscape.js could not load {path}:\n{result.stderr.decode()[-4000:]}")
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded
