"""Gephi, as a test oracle: files loaded by the Gephi toolkit (tests/interop/GephiLoad.java).

    from tests.interop.gephi import gephi_load
    graphml, gexf, sheets = gephi_load(
        tmp / "g.graphml", tmp / "g.gexf", (tmp / "nodes.csv", tmp / "edges.csv")
    )
    sheets["nodes"], sheets["edges"], sheets["edge_types"], sheets["edge_list"][0]["type"]

Every argument is one import into a workspace of its own, all in ONE JVM (call it once per
test module): a path is a file Gephi opens by its extension (GraphML, GEXF, ...); a pair
``(nodes_csv, edges_csv)`` is Gephi's spreadsheet import of both tables
(ImporterSpreadsheetCSV, delimiter, charset and table kind guessed as its wizard does,
merged into one graph). Each result is a dict:

- ``nodes``, ``edges``: the counts in Gephi's graph; ``directed``;
- ``node_columns``, ``edge_columns``: ``[{"id", "title", "type", "property"}]`` (``type`` is
  the Java class: String, Integer, Double, Boolean, ...; ``property``: Gephi's own column,
  Id, Label, Interval, Weight);
- ``edge_types``: ``{type label: count}`` (Gephi's edge kind; ``"null"`` when none was read);
- ``issues``: the import report's issues, ``"LEVEL: message"``;
- ``node_list``: ``[{"id", "label", "attributes": {column title: value}}]``;
- ``edge_list``: ``[{"id", "source", "target", "type", "label", "weight", "directed",
  "attributes"}]``.

The Gephi toolkit jar comes from Maven Central (scripts/interop.sh fetches it into the
local Maven repository); ``GEPHI_TOOLKIT_JAR`` points at another copy. Java 17 or newer:
``JAVA_HOME``, else ``java`` on the path, else a JDK under /usr/lib/jvm.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

__all__ = ["GEPHI_VERSION", "gephi_jar", "gephi_load", "java"]

GEPHI_VERSION = "0.10.1"
_HARNESS = Path(__file__).with_name("GephiLoad.java")
_SETUP = "run scripts/interop.sh (scripts/test.sh does) to provision it"


def gephi_jar() -> Path:
    """The toolkit jar; the test fails (it does not skip) when it is missing."""
    configured = os.environ.get("GEPHI_TOOLKIT_JAR")
    jar = (
        Path(configured)
        if configured
        else Path(__file__).resolve().parents[2]
        / "var/tools/m2/org/gephi/gephi-toolkit"
        / GEPHI_VERSION
        / f"gephi-toolkit-{GEPHI_VERSION}-all.jar"
    )
    if not jar.is_file():
        pytest.fail(f"the Gephi toolkit is missing at {jar}: {_SETUP}")
    return jar


def java() -> str:
    """A java launcher of Java 17 or newer."""
    home = os.environ.get("JAVA_HOME")
    candidates = [str(Path(home) / "bin/java")] if home else []
    candidates.append(shutil.which("java") or "")
    candidates += sorted(str(p) for p in Path("/usr/lib/jvm").glob("*/bin/java"))
    for candidate in filter(None, candidates):
        if Path(candidate).is_file() and _major(candidate) >= 17:
            return candidate
    pytest.fail("no Java 17 or newer found (JAVA_HOME, PATH, /usr/lib/jvm)")


def _major(launcher: str) -> int:
    result = subprocess.run(
        [launcher, "-XshowSettings:properties", "-version"],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stderr.splitlines():
        if "java.specification.version" in line:
            return int(line.split("=")[1].strip().split(".")[0])
    return 0


def gephi_load(*inputs: Path | tuple[Path, Path], timeout: float = 300) -> list[dict[str, Any]]:
    """What Gephi holds after importing each input (see the module's description)."""
    args: list[str] = []
    for item in inputs:
        if isinstance(item, tuple):
            args += ["--pair", str(item[0]), str(item[1])]
        else:
            args.append(str(item))
    command = [java(), "-Djava.awt.headless=true", "-cp", str(gephi_jar()), str(_HARNESS), *args]
    result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    if result.returncode != 0:
        log = result.stderr.decode("utf-8", "replace")[-4000:]
        pytest.fail(f"Gephi could not load {args} (exit {result.returncode}):\n{log}")
    loaded: list[dict[str, Any]] = json.loads(result.stdout)
    assert len(loaded) == len(inputs)
    return loaded
