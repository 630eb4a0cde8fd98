"""Search through the name index, on the Horizon 2020 graph and on Drenthe, old beside new.

Run ``python -m bench.search [--graphs cordis,drenthe] [--queries 200] [--baseline REF]``.

For every graph (the CORDIS folder read by the importer's parser, and the Drenthe seed)
it builds :class:`graph_schema.names.NameIndex` from every node, as the service does, in
two versions in the same process: the one in the working tree and the baseline
(``graph_schema/names.py`` at ``--baseline``, by default the last commit whose file
differs from the working tree's), loaded from ``git show`` as a module of its own. It
reports, for each version:

- the build time, and the time of ``updated`` for 1 and 100 renamed organisations;
- search latency (p50/p95/p99) for organisations (``labels={"Organisation"}``) at
  ``limit=10`` (the resolver, the explorer) and ``limit=1000`` (the list API asks that
  many), for four sets of queries: *drawn*, names as ``bench.api_latency`` draws them
  (whole, first word or a letter left out); *typo*, real names (not "CORDIS
  organisation <id>") with one letter changed, swapped, added or left out; *alias*,
  aliases as written or with such a typo; *common*, words that thousands of names hold;
- with ``--repeat N``, a query's latency is the median of N runs (on a busy machine);
- *found*: the share of drawn, typo and alias queries whose organisation is among the
  first ten hits.

Prints markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from app.core.graph import name_entry
from bench.api_latency import _search_text, percentile
from bench.cordis_import import DEFAULT_FOLDER
from graph_schema import names
from seed import load_seed
from seed.cordis import load_cordis

ROOT = Path(__file__).resolve().parents[1]
MODULE = "graph_schema/names.py"
COMMON = {
    "cordis": ["CORDIS organisation", "cordis", "organisation", "university"],
    "drenthe": ["gemeente", "stichting", "drenthe", "de"],
}
LIMITS = (10, 1000)
ORGANISATION = {"Organisation"}


def _log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def _git(*args: str) -> str:
    command = ["git", *args]  # git on this repository, with arguments from this module
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603


def baseline_ref() -> str:
    """The last commit whose ``graph_schema/names.py`` differs from the working tree's."""
    current = (ROOT / MODULE).read_text(encoding="utf-8")
    for commit in _git("log", "--format=%H", "-n", "20", "--", MODULE).split():
        for ref in (commit, f"{commit}^"):
            if _git("show", f"{ref}:{MODULE}") != current:
                return ref
    raise SystemExit("no earlier version of graph_schema/names.py in the last 20 commits")


def load_baseline(ref: str) -> ModuleType:
    """``graph_schema/names.py`` as it was at ``ref``, imported as ``names_baseline``."""
    folder = Path(tempfile.mkdtemp(prefix="names-baseline-"))
    path = folder / "names_baseline.py"
    path.write_text(_git("show", f"{ref}:{MODULE}"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("names_baseline", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["names_baseline"] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    meant: str | None  # the id the text should find, when it names one organisation


def _typo(text: str, rng: random.Random) -> str:
    """``text`` with one letter changed, two neighbours swapped, one added or one left out."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 2:
        return text
    at = rng.choice(letters[:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return text[:at] + rng.choice(string.ascii_lowercase) + text[at + 1 :]
    if kind == 1:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    if kind == 2:
        return text[:at] + rng.choice(string.ascii_lowercase) + text[at:]
    return text[:at] + text[at + 1 :]


def _generated(name: str) -> bool:
    return name.startswith("CORDIS organisation ")


def query_sets(
    entries: Sequence[names.NameEntry], graph: str, count: int, rng: random.Random
) -> dict[str, list[Query]]:
    """The drawn, typo, alias and common queries for one graph."""
    orgs = sorted((e for e in entries if e.label == "Organisation"), key=lambda e: e.id)
    real = [e for e in orgs if not _generated(e.name) and len(e.name) > 5]
    aliased = [e for e in orgs if e.aliases]
    drawn = [
        Query(_search_text(e.name, rng), e.id) for e in rng.sample(orgs, min(count, len(orgs)))
    ]
    typo = [Query(_typo(e.name, rng), e.id) for e in rng.sample(real, min(count, len(real)))]
    alias = [
        Query(a if rng.random() < 0.5 else _typo(a, rng), e.id)
        for e in rng.sample(aliased, min(count, len(aliased)))
        for a in [rng.choice(e.aliases)]
    ]
    return {
        "drawn": drawn,
        "typo": typo,
        "alias": alias,
        "common": [Query(text, None) for text in COMMON[graph]],
    }


# --------------------------------------------------------------------------- measuring


def _updating(index: Any, renamed: Sequence[Any]) -> float:
    start = time.perf_counter()
    index.updated(renamed, removed=[entry.id for entry in renamed])
    return time.perf_counter() - start


@dataclass(frozen=True, slots=True)
class Result:
    build: float
    updated: dict[int, float]
    latency: dict[tuple[str, int], list[float]]
    found: dict[str, float]


def measure(
    module: ModuleType,
    entries: Sequence[names.NameEntry],
    queries: dict[str, list[Query]],
    rng: random.Random,
    repeat: int,
) -> Result:
    """Build, update and search one version of the index."""
    converted = [module.NameEntry(e.id, e.label, e.name, e.aliases) for e in entries]
    start = time.perf_counter()
    index = module.NameIndex(converted)
    build = time.perf_counter() - start
    orgs = [e for e in converted if e.label == "Organisation"]
    updated = {}
    for changed in (1, 100):
        times = []
        for _ in range(5):
            renamed = [
                module.NameEntry(e.id, e.label, f"Renamed {e.name}", e.aliases)
                for e in rng.sample(orgs, min(changed, len(orgs)))
            ]
            times.append(_updating(index, renamed))
        updated[changed] = statistics.median(times)
    latency: dict[tuple[str, int], list[float]] = {}
    found: dict[str, float] = {}
    for name, batch in queries.items():
        for limit in LIMITS:
            samples = []
            hits_at_10 = 0
            for query in batch:
                runs = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    hits = index.search(query.text, limit=limit, labels=ORGANISATION)
                    runs.append(time.perf_counter() - start)
                samples.append(statistics.median(runs))
                if limit == LIMITS[0] and query.meant in {h.entry.id for h in hits[:10]}:
                    hits_at_10 += 1
            latency[(name, limit)] = samples
            if limit == LIMITS[0] and name != "common":
                found[name] = hits_at_10 / len(batch)
    return Result(build, updated, latency, found)


# --------------------------------------------------------------------------- output


def _ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}"


def _percentiles(samples: Sequence[float]) -> str:
    return " / ".join(_ms(percentile(samples, p)) for p in (50, 95, 99))


def tables(graph: str, size: int, old: Result, new: Result, queries: dict[str, list[Query]]) -> str:
    title = {"cordis": "CORDIS (Horizon 2020)", "drenthe": "Drenthe"}[graph]
    lines = [
        f"**{title}**, {size:,} names in the index",
        "",
        "| | baseline | this version |",
        "|---|---:|---:|",
        f"| build | {old.build:.2f} s | {new.build:.2f} s |",
        *(
            f"| `updated`, {n} renamed organisation{'s' * (n > 1)} "
            f"| {_ms(old.updated[n])} ms | {_ms(new.updated[n])} ms |"
            for n in (1, 100)
        ),
        "",
        "| queries | limit | baseline p50 / p95 / p99 ms | this version p50 / p95 / p99 ms "
        "| found in top 10 (baseline → this) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, batch in queries.items():
        for limit in LIMITS:
            found = ""
            if limit == LIMITS[0] and name in new.found:
                found = f"{old.found[name]:.0%} → {new.found[name]:.0%}"
            lines.append(
                f"| {name} ({len(batch)}) | {limit} | {_percentiles(old.latency[(name, limit)])} "
                f"| {_percentiles(new.latency[(name, limit)])} | {found} |"
            )
    return "\n".join(lines)


def _entries(graph: str, cordis: Path) -> list[names.NameEntry]:
    data = load_cordis(cordis) if graph == "cordis" else load_seed()
    return [name_entry(node) for node in data.nodes]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--graphs", default="cordis,drenthe")
    parser.add_argument("--queries", type=int, default=200, help="queries per set")
    parser.add_argument("--baseline", default=None, help="git ref of the old names.py")
    parser.add_argument("--cordis", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per query; its latency is their median"
    )
    args = parser.parse_args(argv)
    ref = args.baseline or baseline_ref()
    baseline = load_baseline(ref)
    _log(f"baseline: {MODULE} at {ref}")
    print(f"Baseline: `{MODULE}` at `{_git('rev-parse', '--short', ref).strip()}`.\n")
    for graph in args.graphs.split(","):
        entries = _entries(graph, args.cordis)
        queries = query_sets(entries, graph, args.queries, random.Random(args.seed))
        _log(f"{graph}: {len(entries)} names; measuring the baseline")
        old = measure(baseline, entries, queries, random.Random(args.seed), args.repeat)
        _log(f"{graph}: measuring this version")
        new = measure(names, entries, queries, random.Random(args.seed), args.repeat)
        print(tables(graph, len(entries), old, new, queries) + "\n")


if __name__ == "__main__":
    main()
