"""Proposals from a document: would they have found what the curators took from the agenda?

Run ``python -m bench.proposals [--rounds 10] [--seed 15] [--json]``.

The agenda's own text (``seed/data/agenda/``) is read by ``app.services.proposals`` twice:

(a) against the curated graph as gazetteer (its names and aliases, its actions; not its
    links, which are what is measured);
(b) against an empty gazetteer: every organisation and activity has to be found by its
    shape and proposed as new.

Measured against the seed: the curated organisations (every one comes from the agenda)
and the curated organisation–activity links (PARTNER_IN, PARTICIPATES_IN, MEMBER_OF,
RUNS and SUPPORTS from an organisation to an action, project or network whose provenance
quotes the agenda), as (organisation, activity) pairs. A proposed new item counts as a
curated one when its name is, ignoring case, accents and punctuation, a curated name or
alias (for actions: when it holds the curated action's quote).

Hidden organisations: in each round 20 % of the curated organisations (a seeded random
draw) are left out of the gazetteer; counted is how many of them the proposal brings back
as new organisations under one of their names.

Prints markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.services.documents import read_document
from app.services.proposals import Gazetteer, propose_document
from graph_schema import ACTIVITY_KINDS, GraphData, NodeLabel, RelType
from graph_schema.names import name_key
from seed import load_seed
from seed.loader import DATA_DIR, read_sources

LINK_TYPES = frozenset(
    {RelType.PARTNER_IN, RelType.PARTICIPATES_IN, RelType.MEMBER_OF, RelType.RUNS, RelType.SUPPORTS}
)
ACTIVITIES = frozenset(ACTIVITY_KINDS)


@dataclass(frozen=True)
class Score:
    found: int
    proposed: int
    curated: int

    @property
    def precision(self) -> float:
        return self.found / self.proposed if self.proposed else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 0.0


class Curated:
    """What the curators took from the agenda, and how to recognise a proposal of it."""

    def __init__(self, graph: GraphData, source: str) -> None:
        self.labels = {node.id: str(node.label) for node in graph.nodes}
        self.orgs = {n.id for n in graph.nodes if n.label == NodeLabel.ORGANISATION}
        self.types = {
            (r.source, r.target): str(r.type)
            for r in graph.relationships
            if r.type in LINK_TYPES
            and r.source in self.orgs
            and self.labels.get(r.target) in ACTIVITIES
            and r.provenance.source == source
        }
        self.links = set(self.types)
        self.keys: dict[str, dict[str, str]] = {}  # label -> spelling key -> id
        self.anchors: list[tuple[str, str]] = []  # action id, key of its quote
        for node in graph.nodes:
            label = str(node.label)
            if node.label == NodeLabel.ACTION and node.provenance is not None:
                self.anchors.append((node.id, name_key(node.provenance.quote)))
            for spelling in (node.name, *getattr(node, "aliases", ())):
                self.keys.setdefault(label, {})[name_key(spelling)] = node.id

    def org_of(self, item: Mapping[str, Any]) -> str | None:
        if item.get("existing_id"):
            return str(item["existing_id"])
        return self.keys.get(NodeLabel.ORGANISATION, {}).get(name_key(str(item["name"])))

    def activity_of(self, item: Mapping[str, Any]) -> str | None:
        if item.get("existing_id"):
            return str(item["existing_id"])
        text = name_key(f"{item['name']} {item.get('quote', '')}")
        if item["label"] == NodeLabel.ACTION:
            for action_id, anchor in self.anchors:
                if anchor and anchor in text:
                    return action_id
            return None
        return self.keys.get(str(item["label"]), {}).get(name_key(str(item["name"])))


def by_type(
    curated: Curated,
    organisations: list[dict[str, Any]],
    links: list[dict[str, Any]],
    activities: list[dict[str, Any]],
) -> dict[str, tuple[int, int, int]]:
    """Per curated type: (found, found with the same type, curated)."""
    org_ids = {o["ref"]: curated.org_of(o) for o in organisations}
    act_ids = {a["ref"]: curated.activity_of(a) for a in activities}
    proposed = {
        (org_ids[link["organisation"]], act_ids[link["activity"]]): link["type"] for link in links
    }
    out: dict[str, tuple[int, int, int]] = {}
    for pair, kind in curated.types.items():
        found, same, total = out.get(kind, (0, 0, 0))
        out[kind] = (found + (pair in proposed), same + (proposed.get(pair) == kind), total + 1)
    return out


def score(
    curated: Curated,
    organisations: list[dict[str, Any]],
    links: list[dict[str, Any]],
    activities: list[dict[str, Any]],
) -> dict[str, Score]:
    org_ids = {o["ref"]: curated.org_of(o) for o in organisations}
    act_ids = {a["ref"]: curated.activity_of(a) for a in activities}
    found_orgs = {i for i in org_ids.values() if i in curated.orgs}
    pairs = {(org_ids[link["organisation"]], act_ids[link["activity"]]) for link in links}
    return {
        "organisations": Score(len(found_orgs), len(organisations), len(curated.orgs)),
        "links": Score(len(pairs & curated.links), len(pairs), len(curated.links)),
        "activities": Score(
            len({i for i in act_ids.values() if i is not None}),
            len(activities),
            sum(1 for label in curated.labels.values() if label in ACTIVITIES),
        ),
    }


def hidden_rounds(graph: GraphData, text: bytes, rounds: int, seed: int) -> list[dict[str, Any]]:
    document = read_document(text, "agenda.txt")
    orgs = sorted(n.id for n in graph.nodes if n.label == NodeLabel.ORGANISATION)
    generic = {n.id for n in graph.nodes if n.label == NodeLabel.ORGANISATION and n.generic}
    names = {
        n.id: {name_key(s) for s in (n.name, *getattr(n, "aliases", ()))}
        for n in graph.nodes
        if n.label == NodeLabel.ORGANISATION
    }
    rng = random.Random(seed)
    results = []
    for _ in range(rounds):
        hidden = rng.sample(orgs, round(len(orgs) * 0.2))
        organisations, _, _ = propose_document(document, Gazetteer.from_graph(graph, hidden=hidden))
        new_keys = {name_key(o["name"]) for o in organisations if not o["existing_id"]}
        back = [h for h in hidden if names[h] & new_keys]
        results.append(
            {
                "hidden": len(hidden),
                "back": len(back),
                "named_hidden": sum(1 for h in hidden if h not in generic),
                "named_back": sum(1 for h in back if h not in generic),
                "missed": sorted(set(hidden) - set(back)),
            }
        )
    return results


def run(rounds: int, seed: int) -> dict[str, Any]:
    graph = load_seed()
    source = read_sources()[0]
    text = (DATA_DIR / source.path).read_bytes()
    curated = Curated(graph, source.id)
    out: dict[str, Any] = {"curated_orgs": len(curated.orgs), "curated_links": len(curated.links)}
    # the gazetteer is the graph's names and aliases, not its links: the links are what is
    # measured
    names = Gazetteer.from_graph(GraphData(nodes=graph.nodes))
    for name, gazetteer in (("graph", names), ("empty", Gazetteer())):
        started = time.perf_counter()
        document = read_document(text, source.path)
        organisations, links, activities = propose_document(document, gazetteer)
        seconds = time.perf_counter() - started
        scores = score(curated, organisations, links, activities)
        out[name] = {
            "seconds": round(seconds, 3),
            "by_type": by_type(curated, organisations, links, activities),
            **{
                key: {
                    "found": s.found,
                    "proposed": s.proposed,
                    "curated": s.curated,
                    "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3),
                }
                for key, s in scores.items()
            },
        }
    hidden = hidden_rounds(graph, text, rounds, seed)
    out["hidden"] = {
        "rounds": rounds,
        "seed": seed,
        "per_round": [{k: v for k, v in r.items() if k != "missed"} for r in hidden],
        "back_share": round(sum(r["back"] for r in hidden) / sum(r["hidden"] for r in hidden), 3),
        "named_back_share": round(
            sum(r["named_back"] for r in hidden) / max(1, sum(r["named_hidden"] for r in hidden)), 3
        ),
        "often_missed": _most_common(id_ for r in hidden for id_ in r["missed"]),
    }
    return out


def _most_common(ids: Iterable[str]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for id_ in ids:
        counts[id_] = counts.get(id_, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:12]


def markdown(result: Mapping[str, Any]) -> str:
    lines = [
        "| gazetteer | organisations P / R | links P / R (found of curated) | seconds |",
        "|---|---|---|---|",
    ]
    for name, title in (("graph", "the curated graph"), ("empty", "empty")):
        r = result[name]
        o, link = r["organisations"], r["links"]
        lines.append(
            f"| {title} | {o['precision']:.2f} / {o['recall']:.2f} | {link['precision']:.2f} / "
            f"{link['recall']:.2f} ({link['found']} of {link['curated']}, {link['proposed']} "
            f"proposed) | {r['seconds']:.2f} |"
        )
    lines.append("")
    lines.append(
        "Curated links found with the curated graph, per type (found / with the same type / "
        "curated): "
        + ", ".join(
            f"{kind} {found} / {same} / {total}"
            for kind, (found, same, total) in sorted(result["graph"]["by_type"].items())
        )
        + "."
    )
    hidden = result["hidden"]
    shares = [r["back"] / r["hidden"] for r in hidden["per_round"]]
    lines += [
        "",
        f"Hidden organisations ({hidden['rounds']} rounds of 20 %, seed {hidden['seed']}): "
        f"{hidden['back_share']:.0%} proposed as new (rounds {min(shares):.0%}–"
        f"{max(shares):.0%}, median {statistics.median(shares):.0%}); named organisations "
        f"only (not the generic groups): {hidden['named_back_share']:.0%}.",
        "Most often not brought back: "
        + ", ".join(f"{id_} ({n}×)" for id_, n in hidden["often_missed"]),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.rounds, args.seed)
    print(json.dumps(result, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    main()
