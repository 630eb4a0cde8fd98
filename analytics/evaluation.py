"""Would the matcher have proposed the collaborations that really happened?

Two ways to hide real collaborations and see whether the matcher finds them again:

- :func:`temporal_split` learns from the activities that started before a cut-off date
  and asks for the new pairs of organisations that worked together in later ones (the
  Horizon 2020 projects have dates, so this is the honest test: no information from the
  future);
- :func:`holdout_split` hides a random share of the memberships (an organisation in an
  action, project or network) and asks for the pairs that only those memberships made.

:func:`evaluate` asks, for each organisation with hidden new partners, for a ranking of
every eligible organisation, from the matcher and from the baselines, all over the same
candidates: random, popularity (number of partners), Adamic–Adar alone and helix/theme
fit alone. It reports precision@5, precision@10, recall@10, mean reciprocal rank and the
area under the ROC curve (each averaged over the organisations asked for).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import combinations

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata  # type: ignore[import-untyped]

from analytics.matching import (
    FAMILY_LINKS,
    MatchIndex,
    MatchWeights,
    Need,
    Scores,
    activity_start,
)
from graph_schema import ACTIVITY_LINKS, GraphData, Organisation, Project

__all__ = [
    "METHODS",
    "Evaluation",
    "MethodResult",
    "Split",
    "average",
    "evaluate",
    "holdout_split",
    "temporal_split",
]

FloatArray = npt.NDArray[np.float64]

METHODS = ("matcher", "random", "popularity", "adamic_adar", "helix_theme")
"""The matcher and the baselines, in the order they are reported."""


@dataclass(frozen=True, slots=True)
class Split:
    """A graph to learn from and the new partners it hides, per organisation."""

    train: GraphData
    hidden: dict[str, set[str]]
    as_of: date | None
    description: str


@dataclass(frozen=True, slots=True)
class MethodResult:
    method: str
    precision_at_5: float
    precision_at_10: float
    recall_at_10: float
    mrr: float
    auc: float


@dataclass(frozen=True, slots=True)
class Evaluation:
    description: str
    queries: int
    positives: int
    candidates: float
    """Mean number of organisations ranked per query."""
    seconds: float
    rows: list[MethodResult]

    def best(self, metric: str) -> str:
        """The method with the highest value of a metric."""
        return max(self.rows, key=lambda row: float(getattr(row, metric))).method


def _memberships(graph: GraphData) -> list[int]:
    """Positions (in ``graph.relationships``) of organisation–activity memberships."""
    labels = {node.id: node.label for node in graph.nodes}
    return [
        k
        for k, rel in enumerate(graph.relationships)
        if (kind := ACTIVITY_LINKS.get(rel.type)) is not None and labels.get(rel.target) is kind
    ]


def _groups(graph: GraphData, positions: list[int]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for k in positions:
        rel = graph.relationships[k]
        groups[rel.target].add(rel.source)
    return groups


def _pairs(groups: dict[str, set[str]], keep: set[str]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for group in groups.values():
        members = sorted(group & keep)
        pairs.update(combinations(members, 2))
    return pairs


def _organisations(graph: GraphData) -> set[str]:
    return {n.id for n in graph.nodes if isinstance(n, Organisation) and not n.generic}


def _family(graph: GraphData) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for rel in graph.relationships:
        if rel.type in FAMILY_LINKS:
            a, b = sorted((rel.source, rel.target))
            found.add((a, b))
    return found


def _hidden(
    graph: GraphData, train_groups: dict[str, set[str]], test_groups: dict[str, set[str]]
) -> dict[str, set[str]]:
    """New pairs of the test activities between organisations known before."""
    orgs = _organisations(graph)
    known = {o for group in train_groups.values() for o in group} & orgs
    before = _pairs(train_groups, orgs) | _family(graph)
    hidden: dict[str, set[str]] = defaultdict(set)
    for a, b in _pairs(test_groups, known) - before:
        hidden[a].add(b)
        hidden[b].add(a)
    return dict(hidden)


def temporal_split(graph: GraphData, cutoff: date, until: date | None = None) -> Split:
    """Learn from activities that started before ``cutoff``; hide the new pairs after it.

    With ``until``, only activities starting before it are hidden (a validation window
    that leaves the later ones unseen). Undated activities are left out of both sides.
    """
    starts = {n.id: activity_start(n.period) for n in graph.nodes if isinstance(n, Project)}
    members = _memberships(graph)
    train_at = [
        k for k in members if (s := starts.get(graph.relationships[k].target)) and s < cutoff
    ]
    test_at = [
        k
        for k in members
        if (s := starts.get(graph.relationships[k].target))
        and s >= cutoff
        and (until is None or s < until)
    ]
    dropped = set(members) - set(train_at)
    train = GraphData(
        nodes=graph.nodes,
        relationships=[r for k, r in enumerate(graph.relationships) if k not in dropped],
    )
    hidden = _hidden(graph, _groups(graph, train_at), _groups(graph, test_at))
    window = (
        f"{cutoff.isoformat()} to {until.isoformat()}" if until else f"from {cutoff.isoformat()}"
    )
    return Split(
        train, hidden, cutoff, f"learn before {cutoff.isoformat()}, predict pairs {window}"
    )


def holdout_split(graph: GraphData, fraction: float = 0.1, seed: int = 0) -> Split:
    """Hide a random ``fraction`` of the memberships; the pairs only they made are hidden."""
    members = _memberships(graph)
    rng = random.Random(seed)
    held = set(rng.sample(members, round(len(members) * fraction)))
    kept = [k for k in members if k not in held]
    train = GraphData(
        nodes=graph.nodes,
        relationships=[r for k, r in enumerate(graph.relationships) if k not in held],
    )
    hidden = _hidden(graph, _groups(graph, kept), _groups(graph, members))
    share = f"{fraction:.0%}"
    return Split(train, hidden, None, f"random hold-out of {share} of memberships, seed {seed}")


def _metrics(
    score: FloatArray, candidates: npt.NDArray[np.int64], positive: npt.NDArray[np.bool_]
) -> list[float]:
    """precision@5, precision@10, recall@10, reciprocal rank and AUC of one ranking.

    ``positive`` marks the hidden partners among all organisations; ties in the score are
    broken by position (id order), as the matcher breaks them.
    """
    values = score[candidates]
    is_positive = positive[candidates]
    hits = is_positive[np.lexsort((candidates, -values))]
    n_pos = int(is_positive.sum())
    n_neg = len(candidates) - n_pos
    ranks = rankdata(values)
    auc = (ranks[is_positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    return [
        float(hits[:5].sum() / 5),
        float(hits[:10].sum() / 10),
        float(hits[:10].sum() / n_pos),
        1.0 / (int(np.argmax(hits)) + 1),
        float(auc),
    ]


def evaluate(
    split: Split,
    *,
    queries: int = 1000,
    seed: int = 0,
    weights: MatchWeights | None = None,
    recency_years: float | None = None,
) -> Evaluation:
    """Rank every eligible organisation for each asker and score the rankings.

    Parameters
    ----------
    split
        The graph to learn from and the partners it hides.
    queries
        At most this many askers (a seeded sample when there are more).
    seed
        Seed of the sample and of the random baseline.
    weights
        The matcher's weights (default: :class:`MatchWeights`).
    recency_years
        Time constant of the recency decay (default: :class:`MatchIndex`'s).
    """
    started = time.perf_counter()
    weights = weights or MatchWeights()
    index = (
        MatchIndex(split.train, as_of=split.as_of)
        if recency_years is None
        else MatchIndex(split.train, as_of=split.as_of, recency_years=recency_years)
    )
    known = np.asarray(index.activity_count > 0)
    askers = sorted(
        org
        for org, partners in split.hidden.items()
        if org in index.position and index.degree[index.position[org]] > 0
    )
    rng = random.Random(seed)
    if len(askers) > queries:
        askers = sorted(rng.sample(askers, queries))
    helix_theme = (weights.theme, weights.helix)
    methods: dict[str, Callable[[int, Scores], FloatArray]] = {
        "matcher": lambda _, scores: scores.score,
        "random": lambda q, _: np.random.default_rng([seed, q]).random(index.size),
        "popularity": lambda _, __: index.degree,
        "adamic_adar": lambda q, _: index.structure([q], recent=False),
        "helix_theme": lambda _, scores: (
            helix_theme[0] * scores.components["theme"]
            + helix_theme[1] * scores.components["helix"]
        ),
    }
    totals = {name: np.zeros(5) for name in methods}
    sizes: list[int] = []
    positives = 0
    asked = 0
    for org in askers:
        q = index.position[org]
        scores = index.score(Need(org=org), weights)
        candidates = np.flatnonzero(scores.eligible & known).astype(np.int64)
        positive = np.zeros(index.size, dtype=bool)
        positive[[index.position[p] for p in split.hidden[org] if p in index.position]] = True
        found = int(positive[candidates].sum())
        if not found or found == len(candidates):
            continue
        asked += 1
        positives += found
        sizes.append(len(candidates))
        for name, method in methods.items():
            totals[name] += _metrics(method(q, scores), candidates, positive)
    rows = [
        MethodResult(name, *(float(v) / max(asked, 1) for v in totals[name])) for name in METHODS
    ]
    return Evaluation(
        description=split.description,
        queries=asked,
        positives=positives,
        candidates=float(np.mean(sizes)) if sizes else 0.0,
        seconds=time.perf_counter() - started,
        rows=rows,
    )


def average(evaluations: list[Evaluation]) -> Evaluation:
    """The mean of several evaluations (e.g. random hold-outs with different seeds)."""
    rows = [
        MethodResult(
            method,
            *(
                float(np.mean([getattr(e.rows[k], metric) for e in evaluations]))
                for metric in ("precision_at_5", "precision_at_10", "recall_at_10", "mrr", "auc")
            ),
        )
        for k, method in enumerate(METHODS)
    ]
    first = evaluations[0].description.rsplit(", seed", 1)[0]
    return Evaluation(
        description=f"{first}, mean of {len(evaluations)} rounds",
        queries=sum(e.queries for e in evaluations),
        positives=sum(e.positives for e in evaluations),
        candidates=float(np.mean([e.candidates for e in evaluations])),
        seconds=sum(e.seconds for e in evaluations),
        rows=rows,
    )
