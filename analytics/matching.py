"""Partner matching: ranked candidates, the reasons they fit, and who can introduce them.

A :class:`MatchIndex` is built once per graph version. It holds the organisations, the
activities they share and a few per-organisation profiles as arrays, so that scoring
every organisation against one request is a handful of vector operations, also on the
36,000 organisations of Horizon 2020.

The score of a candidate is a weighted sum of components, each between 0 and 1:

structure
    Adamic–Adar over the collaboration graph: each common partner ``z`` adds
    ``tie(asker, z) * tie(z, candidate) / ln(partners of z)``, scaled so the best candidate
    of the request has 1. A tie is as fresh as the latest activity the two share
    (``exp(-age / recency_years)``, 4 years by default; undated activities count as
    current) and grows with repeated collaboration (times ``1 + ln(activities shared)``).
    Partners of partners who worked together lately are the likeliest new collaborations,
    and they come with a warm introduction.
theme
    Without stated themes: cosine similarity of the organisations' theme profiles (the
    themes of their actions, projects and networks, weighted by how rare each theme is).
    With stated themes or keywords: the share of them the candidate meets, each weighted
    by its rarity and a typed keyword twice a listed theme; a keyword counts fully when
    it says what the organisation is (name, aliases, description) and half when it only
    appears in what it does (its actions, projects and networks).
helix
    With stated roles: 1 when the candidate's primary role is wanted, ½ when only a
    secondary role is (see :data:`NOT_THROUGH_SECONDARY` for the types a secondary role
    does not qualify). Otherwise complementarity: how much a helix role of the candidate
    is missing from the asker's current collaborations (1 - the share of the asker's
    partners, weighted by tie strength, whose primary role it is; a role nobody holds
    gives 1).
place
    Same place 1, same province 0.6, same part of the country 0.4, same country 0.2.
activity
    How active the candidate is, by the recency-weighted count of its activities (log
    scale, 1 for the most active organisation of the graph).
existing
    A penalty: 1 for a candidate the asker already works with (only shown when asked for),
    or the share of the stated team it already works with.

Components the request states explicitly (themes, keywords, roles, a place) count
``MatchWeights.stated`` times their weight. Stated helix roles and organisation types
are filters, and so are stated themes and keywords (a candidate must meet one of them).
Reasons name the candidate by its primary helix role, as the explorer shows it, and say
when a secondary role or a stated type made it eligible. An answer explains itself:
which constraint left out whom, and what relaxing it would give.
Generic groups ("mkb"), the asker, the team, the asker's own family (PART_OF,
SUCCESSOR_OF, JOINT_VENTURE_OF, RUNS between organisations) and, unless asked for, its
existing partners are never candidates. Ties in the score are broken by id, so the same
graph and request give the same answer.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]
from scipy.sparse.csgraph import shortest_path  # type: ignore[import-untyped]

from graph_schema import (
    ACTIVITY_LINKS,
    GraphData,
    HelixRole,
    Organisation,
    OrgType,
    Project,
    RelType,
    Theme,
)
from graph_schema.i18n import Language, listing, t
from graph_schema.names import name_tokens
from graph_schema.places import locate, place_key

__all__ = [
    "ACTIVITY_KEYWORD",
    "COMPONENTS",
    "CONSTRAINTS",
    "FAMILY_LINKS",
    "KEYWORD_FACTOR",
    "NOT_THROUGH_SECONDARY",
    "Candidate",
    "Component",
    "Explanation",
    "Hop",
    "Introduction",
    "MatchError",
    "MatchIndex",
    "MatchResult",
    "MatchWeights",
    "Need",
    "Removal",
    "Scores",
    "Suggestion",
    "activity_start",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

COMPONENTS = ("structure", "theme", "helix", "place", "activity", "existing")
"""The score components, in the order they are reported."""

FAMILY_LINKS = frozenset(
    {RelType.PART_OF, RelType.SUCCESSOR_OF, RelType.JOINT_VENTURE_OF, RelType.RUNS}
)
"""Relationships that make two organisations one family: never proposed to each other."""

HELIX = tuple(HelixRole)
_HELIX_INDEX = {role: i for i, role in enumerate(HELIX)}

_PLACE_LEVELS = (1.0, 0.6, 0.4, 0.2)  # place, province, region, country


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def activity_start(period: str | None) -> date | None:
    """The start of a period written as an ISO date or interval ('2019-03-01/2022-02-28').

    >>> activity_start("2019-03-01/2022-02-28")
    datetime.date(2019, 3, 1)
    >>> activity_start("tot eind 2020") is None
    True
    """
    if not period:
        return None
    found = _DATE.match(period.strip())
    if found is None:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


class MatchError(ValueError):
    """A request the index cannot answer; ``field`` names the part that is wrong.

    The text is the catalogue entry ``key`` with ``params``: :meth:`text` says it in a
    language, ``message`` in English (for logs and callers without a language).
    """

    def __init__(self, field: str, key: str, *, not_found: bool = False, **params: object) -> None:
        self.field = field
        self.key = key
        self.params = params
        self.message = t("en", key, **params)
        self.not_found = not_found
        super().__init__(self.message)

    def text(self, lang: Language) -> str:
        return t(lang, self.key, **self.params)


@dataclass(frozen=True, slots=True)
class MatchWeights:
    """How much each component counts; the defaults are those the evaluation measured.

    The defaults were tuned on a Horizon 2020 validation split that never sees the test
    period: learn from the projects that started before 2018, predict the new pairs of the
    projects that started in 2018 (``temporal_split(graph, date(2018, 1, 1),
    until=date(2019, 1, 1))``, 1,000 seeded queries), by precision@10 with mean reciprocal
    rank as a check; the index's ``recency_years`` (4) was chosen on the same split. They
    were then fixed and confirmed on the test split (learn before 2019, predict the pairs
    of 2019 and later). The optimum is flat: structure dominates, theme fit (programme
    parts) and activity break its ties and rank candidates without common partners. Helix
    complementarity does not predict Horizon 2020 pairs (it lowered precision slightly) and
    is kept small but non-zero because complementary partners are asked for.
    """

    structure: float = 1.0
    theme: float = 0.2
    helix: float = 0.02
    place: float = 0.05
    activity: float = 0.1
    existing: float = 0.5
    stated: float = 4.0
    """Factor for the theme and place components when the request states them."""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise MatchError(f"weights.{item.name}", "match.error.weight")


@dataclass(frozen=True, slots=True)
class Need:
    """What a match is asked for.

    Parameters
    ----------
    org
        Id of the asking organisation (None for a need without one: a start-up, an idea).
    themes
        Theme ids the partners should work on.
    keywords
        Words to find in a partner's name, description or activities ('diabetes', 'PGO').
    roles
        Wanted helix roles (a candidate must hold one, primary or secondary).
    place
        A place ('Roden') or region ('Drenthe', 'Noord-Nederland', a country code 'NL').
    include_types, exclude_types
        Organisation types to keep only, or to leave out.
    team
        Ids of organisations already on board: not proposed, their partners penalised,
        and introductions start from the nearest of them.
    include_existing
        Also propose the asker's current partners (with the ``existing`` penalty).
    """

    org: str | None = None
    themes: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()
    roles: frozenset[HelixRole] = frozenset()
    place: str | None = None
    include_types: frozenset[str] = frozenset()
    exclude_types: frozenset[str] = frozenset()
    team: tuple[str, ...] = ()
    include_existing: bool = False

    def is_empty(self) -> bool:
        return not (self.org or self.themes or self.keywords or self.roles or self.place) and (
            not self.team
        )


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True, slots=True)
class NodeRef:
    id: str
    name: str
    label: str


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of an introduction: two organisations and what links them."""

    source: NodeRef
    target: NodeRef
    via: list[NodeRef]


@dataclass(frozen=True, slots=True)
class Introduction:
    """The shortest chain of existing collaborations from the asker to the candidate."""

    length: int
    introducers: list[NodeRef]
    hops: list[Hop]
    summary: str


@dataclass(frozen=True, slots=True)
class Candidate:
    rank: int
    id: str
    name: str
    helix_role: str
    """The primary helix role: the one the explorer shows."""
    helix_roles: list[str]
    role_label: str
    """The primary helix role as the page names it, in the answer's language."""
    org_type: str
    type_label: str
    place: str | None
    score: float
    components: list[Component]
    shared_partners: list[NodeRef]
    """The strongest five common partners."""
    shared_partner_count: int
    shared_themes: list[NodeRef]
    keywords: list[str]
    """The stated keywords found in what the candidate is or does."""
    eligible_through: str
    """What made it eligible for the stated roles and types: ``primary`` (its primary
    role), ``secondary`` (a secondary role), ``type`` (a stated organisation type) or
    ``any`` (the need states no role or type)."""
    eligibility: str | None
    """The sentence saying so, when a secondary role or a type made it eligible."""
    reasons: list[str]
    penalty: str | None
    """The sentence of the existing-tie penalty (also among ``reasons``): a minus, not a
    reason to choose the candidate."""
    explanation: str
    introduction: Introduction | None
    introduction_note: str
    """How an introduction goes, or why there is none."""


@dataclass(frozen=True, slots=True)
class Removal:
    """How many organisations one constraint left out (after the ones before it)."""

    constraint: str
    count: int
    examples: list[NodeRef]
    text: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A constraint to relax, and how many candidates that alone would give."""

    constraint: str
    candidates: int
    text: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why the answer is as short as it is, and what to relax."""

    removed_by: list[Removal]
    suggestions: list[Suggestion]
    relaxed: list[str]
    """Constraints dropped to give the candidates shown (the strict answer was empty)."""
    summary: str | None
    """A sentence for an empty or relaxed answer; None when candidates meet every
    constraint."""


@dataclass(frozen=True, slots=True)
class MatchResult:
    asker: NodeRef | None
    eligible: int
    candidates: list[Candidate]
    weights: dict[str, float]
    explanation: Explanation


CONSTRAINTS = ("family", "existing", "roles", "include_types", "exclude_types", "topics")
"""The constraints that leave organisations out, in the order an explanation counts them."""


@dataclass(frozen=True, slots=True)
class Scores:
    """Every organisation's components and score for one need (ineligible: ``-inf``)."""

    components: dict[str, FloatArray]
    score: FloatArray
    eligible: BoolArray
    stated_themes: bool
    stated_place: str | None
    """The stated place or region as shown (None: not stated)."""
    sources: list[int]
    lack: FloatArray
    passes: dict[str, BoolArray] = field(default_factory=dict)
    """Per constraint of :data:`CONSTRAINTS` that the need states, who meets it."""
    base: BoolArray | None = None
    """Everyone but the asker and the team."""


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


@dataclass(slots=True)
class _Activity:
    id: str
    name: str
    label: str
    start: date | None
    text: list[str] = field(default_factory=list)


ACTIVITY_KEYWORD = 0.5
"""Keyword fit of an organisation that only takes part in an activity naming the word:
the word says what it does with others, not what it is."""

KEYWORD_FACTOR = 2.0
"""How much more a typed keyword counts than a theme picked from the list, before rarity."""

NOT_THROUGH_SECONDARY: dict[HelixRole, frozenset[OrgType]] = {
    HelixRole.CIVIL_SOCIETY: frozenset({OrgType.EDUCATION, OrgType.COMPANY}),
}
"""Organisation types that a secondary role does not make a partner of that role.

A school that trains care workers (type education, secondary role civil society) is not
a care partner, nor is a pharmaceutical company that serves patients: for a wanted civil
society partner they count only when civil society is their primary role. Other
secondary roles do make an organisation eligible (a hospital that also researches, a
network of companies and schools), and the answer says so."""


def _some(names: Sequence[str], total: int, lang: Language, limit: int = 3) -> str:
    """All ``names`` when they are all of ``total``, else ``limit`` and how many more."""
    shown = list(names if total <= len(names) else names[:limit])
    if total > len(shown):
        shown.append(t(lang, "common.others", n=total - len(shown)))
    return listing(shown, lang, limit=len(shown))


def _either(items: Sequence[str], lang: Language) -> str:
    """``a, b of c`` (``a, b or c``)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t(lang, 'match.or')} " + items[-1]


def _holds(words: set[str], tokens: Sequence[str]) -> bool:
    """Whether every token is among ``words`` (tokens of 4+ letters also as a prefix)."""
    return all(
        token in words or (len(token) >= 4 and any(w.startswith(token) for w in words))
        for token in tokens
    )


class _WordIndex:
    """Word -> organisations, looked up whole or, for 4+ letters, as a prefix."""

    def __init__(self, words: dict[str, set[int]]) -> None:
        self._words = {w: np.fromiter(sorted(s), dtype=np.int64) for w, s in words.items()}
        self._list = sorted(self._words)

    def hits(self, keyword: str) -> IntArray:
        tokens = name_tokens(keyword)
        if not tokens:
            return np.zeros(0, dtype=np.int64)
        hits: IntArray | None = None
        for token in tokens:
            if len(token) >= 4:
                k = bisect.bisect_left(self._list, token)
                found: set[int] = set()
                while k < len(self._list) and self._list[k].startswith(token):
                    found.update(self._words[self._list[k]].tolist())
                    k += 1
                here = np.fromiter(sorted(found), dtype=np.int64)
            else:
                here = self._words.get(token, np.zeros(0, dtype=np.int64))
            hits = here if hits is None else np.intersect1d(hits, here)
        return hits if hits is not None else np.zeros(0, dtype=np.int64)


class MatchIndex:
    """Everything matching needs from one graph version, as arrays.

    Parameters
    ----------
    graph
        Nodes and relationships, as a store snapshot gives them.
    as_of
        The date recency is measured from (default: the latest activity start in the
        graph; today when nothing is dated).
    recency_years
        Time constant of the recency decay: a tie this many years old counts 1/e (4 years,
        chosen on the validation split of :class:`MatchWeights`).
    """

    def __init__(
        self, graph: GraphData, *, as_of: date | None = None, recency_years: float = 4.0
    ) -> None:
        self.recency_years = recency_years
        orgs = sorted(
            (n for n in graph.nodes if isinstance(n, Organisation) and not n.generic),
            key=lambda n: n.id,
        )
        self.orgs: list[Organisation] = orgs
        self.ids = [o.id for o in orgs]
        self.position = {org_id: i for i, org_id in enumerate(self.ids)}
        self.size = len(orgs)
        self.themes: dict[str, Theme] = {n.id: n for n in graph.nodes if isinstance(n, Theme)}
        members, activity_themes = self._read_links(graph)
        self._build_ties(members, as_of)
        self._build_themes(activity_themes)
        self._build_profiles()
        self._build_words()

    def _read_links(self, graph: GraphData) -> tuple[dict[str, set[int]], dict[str, set[str]]]:
        """Activities with their members and themes, and the organisations' families."""
        labels = {node.id: node.label for node in graph.nodes}
        self._activity_nodes: dict[str, _Activity] = {}
        for node in graph.nodes:
            if node.label in ACTIVITY_LINKS.values():
                start = activity_start(node.period) if isinstance(node, Project) else None
                text = [node.name, *getattr(node, "aliases", ())]
                text += [
                    v
                    for v in (
                        getattr(node, "description", None),
                        getattr(node, "what", None),
                        getattr(node, "result_2022", None),
                        getattr(node, "result_2024", None),
                    )
                    if v
                ]
                self._activity_nodes[node.id] = _Activity(
                    node.id, node.name, str(node.label), start, text
                )
        members: dict[str, set[int]] = defaultdict(set)
        activity_themes: dict[str, set[str]] = defaultdict(set)
        self.family: dict[int, set[int]] = defaultdict(set)
        for rel in graph.relationships:
            kind = ACTIVITY_LINKS.get(rel.type)
            if kind is not None and labels.get(rel.target) is kind and rel.source in self.position:
                members[rel.target].add(self.position[rel.source])
            elif rel.type is RelType.ADDRESSES and rel.target in self.themes:
                activity_themes[rel.source].add(rel.target)
            elif rel.type in FAMILY_LINKS and {rel.source, rel.target} <= self.position.keys():
                a, b = self.position[rel.source], self.position[rel.target]
                self.family[a].add(b)
                self.family[b].add(a)
        return members, activity_themes

    def _build_ties(self, members: dict[str, set[int]], as_of: date | None) -> None:
        """Incidence, Newman weights, recency of ties and activity levels."""
        n = self.size
        self.activities = [self._activity_nodes[a] for a in sorted(members)]
        m = len(self.activities)
        dated = [a.start for a in self.activities if a.start is not None]
        self.as_of = as_of or (max(dated) if dated else date.today())
        years = np.array(
            [
                0.0 if a.start is None else (self.as_of - a.start).days / 365.25
                for a in self.activities
            ]
        )
        recency = np.exp(-np.maximum(years, 0.0) / self.recency_years)
        sizes = np.array([len(members[a.id]) for a in self.activities], dtype=np.float64)
        rows = np.fromiter(
            (i for a in self.activities for i in sorted(members[a.id])), dtype=np.int64
        )
        cols = np.repeat(np.arange(m, dtype=np.int64), sizes.astype(np.int64))
        incidence = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, m))
        incidence.sort_indices()
        self.incidence = incidence
        self.activity_recency = recency
        self.activity_size = sizes
        # Newman weights: each shared activity with k members adds 1 / (k - 1).
        share = np.where(sizes > 1, 1.0 / np.maximum(sizes - 1, 1), 0.0)
        self.weights = self._pairs(incidence, share)
        # How strong and recent the ties are: the recency of the latest activity shared,
        # times 1 + ln(number of activities shared).
        self.ties = self._recent_ties(incidence, recency)
        self.degree = np.diff(self.weights.indptr).astype(np.float64)
        inverse_log = sp.diags(1.0 / np.log(np.maximum(self.degree, 2.0)))
        self._plain = sp.csr_matrix((self.ties > 0).astype(np.float64))
        self._ties_aa = sp.csr_matrix(self.ties @ inverse_log)
        self._plain_aa = sp.csr_matrix(self._plain @ inverse_log)
        self.activity_count = np.diff(incidence.indptr)
        raw = np.log1p(np.asarray(incidence @ recency).ravel())
        top = raw.max() if n else 0.0
        self.activity = raw / top if top > 0 else raw

    @staticmethod
    def _recent_ties(incidence: sp.csr_matrix, recency: FloatArray) -> sp.csr_matrix:
        """Tie strength of every pair that shares an activity.

        ``max(recency of the shared activities) * (1 + ln(number shared))``: a tie is as
        fresh as its latest joint activity, and repeated collaboration strengthens it with
        diminishing returns.
        """
        n, m = incidence.shape
        by_activity = sp.csc_matrix(incidence)
        by_activity.sort_indices()
        members = np.diff(by_activity.indptr).astype(np.int64)
        per = members * members
        activity = np.repeat(np.arange(m, dtype=np.int64), per)
        offset = np.arange(int(per.sum()), dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
        start = by_activity.indptr[:-1].astype(np.int64)[activity]
        size = members[activity]
        a = by_activity.indices[start + offset // np.maximum(size, 1)].astype(np.int64)
        b = by_activity.indices[start + offset % np.maximum(size, 1)].astype(np.int64)
        keep = a != b
        a, b, values = a[keep], b[keep], recency[activity[keep]]
        order = np.lexsort((values, b, a))
        a, b, values = a[order], b[order], values[order]
        last = np.ones(len(a), dtype=bool)
        last[:-1] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        ends = np.flatnonzero(last)
        count = np.diff(np.concatenate(([-1], ends))).astype(np.float64)
        strength = values[ends] * (1.0 + np.log(count))
        ties = sp.csr_matrix((strength, (a[ends], b[ends])), shape=(n, n))
        ties.sort_indices()
        return ties

    @staticmethod
    def _pairs(incidence: sp.csr_matrix, values: FloatArray) -> sp.csr_matrix:
        pairs = sp.csr_matrix(incidence @ sp.diags(values) @ incidence.T)
        pairs.setdiag(0)
        pairs.eliminate_zeros()
        pairs.sort_indices()
        return pairs

    def _build_themes(self, activity_themes: dict[str, set[str]]) -> None:
        """Theme counts per organisation and their rarity-weighted, unit-length profiles."""
        self.theme_ids = sorted(self.themes)
        theme_position = {t: k for k, t in enumerate(self.theme_ids)}
        pairs = [
            (j, theme_position[theme])
            for j, activity in enumerate(self.activities)
            for theme in activity_themes.get(activity.id, ())
        ]
        addresses = sp.csr_matrix(
            (np.ones(len(pairs)), ([p[0] for p in pairs], [p[1] for p in pairs])),
            shape=(len(self.activities), len(self.theme_ids)),
        )
        counts = sp.csr_matrix(self.incidence @ addresses)
        counts.sort_indices()
        self.theme_counts = counts
        frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
        idf = np.log((self.size + 1) / (frequency + 1)) + 1.0
        self.theme_profile = _normalise_rows(sp.csr_matrix(counts @ sp.diags(idf)))

    def _build_profiles(self) -> None:
        """Helix roles, organisation types and locations as arrays."""
        n = self.size
        self.role_mask = np.zeros((n, len(HELIX)), dtype=bool)
        self.primary = np.zeros(n, dtype=np.int64)
        for i, org in enumerate(self.orgs):
            self.primary[i] = _HELIX_INDEX[org.helix_role]
            for role in org.helix_roles:
                self.role_mask[i, _HELIX_INDEX[role]] = True
        self.org_types = np.array([str(o.org_type) for o in self.orgs], dtype=object)
        rows = [
            [
                place_key(o.place) if o.place else "",
                str(o.province or "").casefold(),
                str(o.region or "").casefold(),
                (o.country or "").casefold(),
            ]
            for o in self.orgs
        ]
        self.locations = np.array(rows, dtype=object).reshape(n, 4)
        self._places: dict[str, int] = {}
        for i, o in enumerate(self.orgs):
            if o.place:
                self._places.setdefault(place_key(o.place), i)

    def _build_words(self) -> None:
        """Which organisations each word points to: by what they are, and by what they do.

        What an organisation *is*: the words of its name, aliases and description. What it
        *does*: the words of the names, descriptions, aims and results of the actions,
        projects and networks it is in.
        """
        own: dict[str, set[int]] = defaultdict(set)
        does: dict[str, set[int]] = defaultdict(set)
        self._name_words: list[set[str]] = []
        self._description_words: list[set[str]] = []
        for i, org in enumerate(self.orgs):
            names = {w for text in (org.name, *org.aliases) for w in name_tokens(text)}
            described = set(name_tokens(org.description)) if org.description else set()
            self._name_words.append(names)
            self._description_words.append(described)
            for token in names | described:
                own[token].add(i)
        by_activity = sp.csc_matrix(self.incidence)
        self._activity_words: list[set[str]] = []
        for j, activity in enumerate(self.activities):
            members = by_activity.indices[by_activity.indptr[j] : by_activity.indptr[j + 1]]
            tokens = {w for text in activity.text for w in name_tokens(text)}
            self._activity_words.append(tokens)
            for token in tokens:
                does[token].update(members.tolist())
        self._own = _WordIndex(own)
        self._does = _WordIndex(does)

    def ref(self, i: int) -> NodeRef:
        org = self.orgs[i]
        return NodeRef(org.id, org.name, "Organisation")

    def _activity_ref(self, j: int) -> NodeRef:
        activity = self.activities[j]
        return NodeRef(activity.id, activity.name, activity.label)

    def partners(self, i: int) -> IntArray:
        start, end = self.weights.indptr[i], self.weights.indptr[i + 1]
        return np.asarray(self.weights.indices[start:end], dtype=np.int64)

    def _keyword_hits(self, keyword: str) -> IntArray:
        """Organisations whose name, description or activities hold ``keyword``."""
        return np.union1d(self._own.hits(keyword), self._does.hits(keyword))

    def keyword_fit(self, keyword: str) -> FloatArray:
        """1 where ``keyword`` says what an organisation is (its name, aliases or
        description), :data:`ACTIVITY_KEYWORD` where it only appears in what it does
        (its actions, projects and networks), else 0."""
        found = np.zeros(self.size)
        found[self._does.hits(keyword)] = ACTIVITY_KEYWORD
        found[self._own.hits(keyword)] = 1.0
        return found

    def keyword_places(self, i: int, keyword: str) -> list[tuple[str, NodeRef | None]]:
        """Where ``keyword`` was found for organisation ``i``: ``("name", None)``,
        ``("description", None)`` and ``("activity", ref)`` per activity, most recent first."""
        tokens = name_tokens(keyword)
        out: list[tuple[str, NodeRef | None]] = []
        if tokens and _holds(self._name_words[i], tokens):
            out.append(("name", None))
        if tokens and _holds(self._description_words[i], tokens):
            out.append(("description", None))
        if tokens:
            mine = self.incidence.indices[self.incidence.indptr[i] : self.incidence.indptr[i + 1]]
            found = [int(j) for j in mine if _holds(self._activity_words[int(j)], tokens)]
            found.sort(key=lambda j: (-self.activity_recency[j], self.activities[j].id))
            out += [("activity", self._activity_ref(j)) for j in found]
        return out

    def location(self, place: str) -> tuple[FloatArray, str]:
        """The place component of every organisation against a stated place or region.

        Accepts a town (of the graph or of :data:`graph_schema.places.PLACES`), a
        province, a region ('Noord-Nederland', 'Nedersaksen') or a two-letter country
        code, read by :func:`graph_schema.places.locate`; organisations are compared by
        their own ``place``, ``province`` and ``region`` fields. For a town: same place 1,
        same province 0.6, same region 0.4, same country 0.2. For a province or region:
        inside it 1, in the wider region 0.4, in the same country 0.2. The display name
        comes back with the scores.
        """
        text = place.strip()
        key = place_key(text)
        if key in self._places:
            i = self._places[key]
            return self._place_scores(list(self.locations[i]), _PLACE_LEVELS), str(
                self.orgs[i].place
            )
        found = locate(text)
        if found is not None:
            wanted = [
                place_key(found.place) if found.place else "",
                str(found.province or "").casefold(),
                str(found.region or "").casefold(),
                (found.country or "").casefold(),
            ]
            if found.place:
                levels = _PLACE_LEVELS
            elif found.province:
                levels = (1.0, 1.0, 0.4, 0.2)
            else:
                levels = (1.0, 1.0, 1.0, 0.2)
            return self._place_scores(wanted, levels), found.names()[0]
        if re.fullmatch(r"[A-Za-z]{2}", text):
            wanted = ["", "", "", text.casefold()]
            return self._place_scores(wanted, (1.0, 1.0, 1.0, 1.0)), text.upper()
        known = ", ".join(sorted({str(o.place) for o in self.orgs if o.place})[:25])
        raise MatchError("place", "match.error.place", place=text, known=known)

    def _place_scores(self, wanted: Sequence[str], levels: Sequence[float]) -> FloatArray:
        out = np.zeros(self.size)
        for level in range(3, -1, -1):
            if wanted[level]:
                out = np.where(self.locations[:, level] == wanted[level], levels[level], out)
        return out

    def _own_place(self, i: int) -> FloatArray:
        return self._place_scores(list(self.locations[i]), _PLACE_LEVELS)

    def resolve_themes(self, themes: Iterable[str]) -> list[int]:
        positions = {t: k for k, t in enumerate(self.theme_ids)}
        unknown = sorted(t for t in themes if t not in positions)
        if unknown:
            known = ", ".join(self.theme_ids[:25])
            raise MatchError(
                "themes",
                "match.error.themes",
                n=len(unknown),
                themes=", ".join(unknown),
                known=known,
            )
        return sorted(positions[t] for t in themes)

    def _org(self, org_id: str, field_name: str) -> int:
        position = self.position.get(org_id)
        if position is None:
            raise MatchError(field_name, "match.error.org", not_found=True, id=org_id)
        return position

    # -- scoring ---------------------------------------------------------------------------

    def structure(self, sources: Sequence[int], *, recent: bool = True) -> FloatArray:
        """Adamic–Adar of every organisation with the sources (recency-weighted or plain)."""
        if not sources:
            return np.zeros(self.size)
        left = self.ties if recent else self._plain
        right = self._ties_aa if recent else self._plain_aa
        row = sp.csr_matrix(left[list(sources)].sum(axis=0))
        return np.asarray((row @ right.T).toarray(), dtype=np.float64).ravel()

    def lacking_roles(self, sources: Sequence[int]) -> FloatArray:
        """Per helix role, 1 - its share in the sources' collaborations.

        The share counts the partners by tie strength, and each source itself as one more
        partner of average strength: a company with only knowledge partners lacks
        government and civil society most, and industry less.
        """
        if not sources:
            return np.zeros(len(HELIX))
        weights = np.asarray(self.weights[list(sources)].sum(axis=0)).ravel()
        weights[list(sources)] = 0.0
        partners = np.count_nonzero(weights)
        own = weights.sum() / partners if partners else 1.0
        weights[list(sources)] = own
        held = np.zeros(len(HELIX))
        np.add.at(held, self.primary, weights)
        return np.asarray(1.0 - held / weights.sum(), dtype=np.float64)

    def score(self, need: Need, weights: MatchWeights | None = None) -> Scores:
        """Components and score of every organisation for a need.

        Raises
        ------
        MatchError
            For an empty need, an unknown organisation, theme or place.
        """
        weights = weights or MatchWeights()
        if need.is_empty():
            raise MatchError("need", "match.error.need")
        n = self.size
        asker = self._org(need.org, "org") if need.org else None
        team = [self._org(t, "team") for t in need.team]
        sources = sorted({*([asker] if asker is not None else []), *team})
        base, passes, existing = self._constraints(need, asker, team, sources)
        theme, stated_themes = self._theme_fit(need, sources)
        if stated_themes:
            passes["topics"] = theme > 0
        eligible = base.copy()
        for mask in passes.values():
            eligible &= mask
        place_shown = None
        if need.place:
            place, place_shown = self.location(need.place)
        elif sources:
            place = np.max([self._own_place(s) for s in sources], axis=0)
        else:
            place = np.zeros(n)
        raw = self.structure(sources)
        best = raw[eligible].max() if eligible.any() else 0.0
        lack = self.lacking_roles(sources)
        if need.roles:
            helix = self.role_fit(need.roles)
        elif sources:
            helix = (self.role_mask * lack[None, :]).max(axis=1).astype(np.float64)
        else:
            helix = np.zeros(n)
        components = {
            "structure": np.minimum(raw / best, 1.0) if best > 0 else np.zeros(n),
            "theme": theme,
            "helix": helix,
            "place": place,
            "activity": self.activity,
            "existing": existing,
        }
        total = np.zeros(n)
        for name, values in components.items():
            w = self._weight(
                name,
                weights,
                stated_themes=stated_themes,
                stated_place=bool(need.place),
                stated_roles=bool(need.roles),
            )
            total += -w * values if name == "existing" else w * values
        return Scores(
            components=components,
            score=np.where(eligible, total, -np.inf),
            eligible=eligible,
            stated_themes=stated_themes,
            stated_place=place_shown,
            sources=sources,
            lack=lack,
            passes=passes,
            base=base,
        )

    @staticmethod
    def _weight(
        name: str,
        weights: MatchWeights,
        *,
        stated_themes: bool,
        stated_place: bool,
        stated_roles: bool = False,
    ) -> float:
        weight = float(getattr(weights, name))
        if (
            (name == "theme" and stated_themes)
            or (name == "place" and stated_place)
            or (name == "helix" and stated_roles)
        ):
            weight *= weights.stated
        return weight

    def role_fit(self, roles: Iterable[HelixRole]) -> FloatArray:
        """How well each organisation holds one of ``roles``: 1 as its primary role, ½
        through a secondary role (unless its type rules that out, see
        :data:`NOT_THROUGH_SECONDARY`), else 0."""
        fit = np.zeros(self.size)
        for role in sorted(roles):
            k = _HELIX_INDEX[role]
            secondary = self.role_mask[:, k] & (self.primary != k)
            barred = sorted(str(t) for t in NOT_THROUGH_SECONDARY.get(role, ()))
            if barred:
                secondary &= ~np.isin(self.org_types, barred)
            fit = np.maximum(fit, np.where(self.primary == k, 1.0, np.where(secondary, 0.5, 0.0)))
        return fit

    def _constraints(
        self, need: Need, asker: int | None, team: list[int], sources: list[int]
    ) -> tuple[BoolArray, dict[str, BoolArray], FloatArray]:
        """Who may be proposed at all (not the asker or the team), who meets each stated
        constraint, and the existing-tie penalty of each organisation."""
        n = self.size
        base = np.ones(n, dtype=bool)
        base[sources] = False
        passes: dict[str, BoolArray] = {}
        if sources:
            family = np.ones(n, dtype=bool)
            for s in sources:
                family[sorted(self.family.get(s, ()))] = False
            passes["family"] = family
        existing = np.zeros(n)
        if asker is not None:
            partners = self.partners(asker)
            if need.include_existing:
                existing[partners] = 1.0
            else:
                new = np.ones(n, dtype=bool)
                new[partners] = False
                passes["existing"] = new
        if team:
            tied = np.zeros(n)
            for t in team:
                tied[self.partners(t)] += 1.0
            existing = np.maximum(existing, tied / len(team))
        if need.roles:
            passes["roles"] = self.role_fit(need.roles) > 0
        if need.include_types:
            passes["include_types"] = np.isin(self.org_types, sorted(need.include_types))
        if need.exclude_types:
            passes["exclude_types"] = ~np.isin(self.org_types, sorted(need.exclude_types))
        return base, passes, existing

    def _theme_fit(self, need: Need, sources: list[int]) -> tuple[FloatArray, bool]:
        """The theme component, and whether the need stated themes or keywords.

        Stated themes and keywords are criteria, each weighted by how rare it is in the
        graph (``ln((n + 1) / (organisations meeting it + 1)) + 1``, a rare match says
        more) and keywords :data:`KEYWORD_FACTOR` times more: the component is the
        weighted share of the criteria a candidate meets, a keyword counting by
        :meth:`keyword_fit`.
        """
        n = self.size
        positions = self.resolve_themes(need.themes)
        keywords = [k for k in (k.strip() for k in need.keywords) if k]
        if positions or keywords:
            parts: list[FloatArray] = []
            factors: list[float] = []
            for position in positions:
                parts.append((self.theme_counts[:, position] > 0).toarray().ravel().astype(float))
                factors.append(1.0)
            for keyword in keywords:
                parts.append(self.keyword_fit(keyword))
                factors.append(KEYWORD_FACTOR)
            rarity = [
                factor * (math.log((n + 1) / (np.count_nonzero(part) + 1)) + 1.0)
                for part, factor in zip(parts, factors, strict=True)
            ]
            fit = np.average(np.vstack(parts), axis=0, weights=rarity)
            return np.asarray(fit, dtype=np.float64), True
        if sources:
            profile = _normalise_rows(sp.csr_matrix(self.theme_profile[sources].sum(axis=0)))
            return np.asarray(self.theme_profile @ profile.T.toarray()).ravel(), False
        return np.zeros(n), False

    def rank(self, score: FloatArray, top: int) -> list[int]:
        """The best ``top`` eligible organisations, ties broken by id (deterministic)."""
        finite = np.flatnonzero(np.isfinite(score))
        if len(finite) == 0:
            return []
        values = np.round(score[finite], 12)
        if len(finite) > top * 4:
            cut = np.partition(values, len(values) - top)[len(values) - top]
            keep = values >= cut
            finite, values = finite[keep], values[keep]
        order = np.lexsort((finite, -values))
        return [int(i) for i in finite[order[:top]]]

    # -- introductions ---------------------------------------------------------------------

    def distances(self, sources: Sequence[int]) -> tuple[FloatArray, IntArray]:
        """Hops from the nearest source to every organisation, and which source is nearest."""
        if not sources:
            return np.full(self.size, np.inf), np.full(self.size, -1, dtype=np.int64)
        found = shortest_path(self.weights, unweighted=True, directed=False, indices=list(sources))
        matrix = np.atleast_2d(found)
        nearest = np.argmin(matrix, axis=0)
        return matrix.min(axis=0), np.asarray(sources, dtype=np.int64)[nearest]

    def introduction(self, target: int, dist: FloatArray) -> list[int] | None:
        """A shortest chain from the nearest source to ``target`` over the strongest ties."""
        if not np.isfinite(dist[target]):
            return None
        path = [target]
        current = target
        while dist[current] > 0:
            start, end = self.weights.indptr[current], self.weights.indptr[current + 1]
            neighbours = self.weights.indices[start:end]
            strengths = self.weights.data[start:end]
            closer = dist[neighbours] == dist[current] - 1
            options, strength = neighbours[closer], strengths[closer]
            best = np.lexsort((options, -strength))[0]
            current = int(options[best])
            path.append(current)
        return path[::-1]

    def shared_activities(self, a: int, b: int, limit: int = 3) -> list[NodeRef]:
        """What links two organisations: the most recent, smallest shared activities first."""
        shared = np.intersect1d(
            self.incidence.indices[self.incidence.indptr[a] : self.incidence.indptr[a + 1]],
            self.incidence.indices[self.incidence.indptr[b] : self.incidence.indptr[b + 1]],
        )
        order = sorted(
            shared.tolist(),
            key=lambda j: (-self.activity_recency[j], self.activity_size[j], self.activities[j].id),
        )
        return [self._activity_ref(j) for j in order[:limit]]

    def _introduction(self, path: list[int]) -> Introduction:
        hops = [
            Hop(self.ref(a), self.ref(b), self.shared_activities(a, b)) for a, b in pairwise(path)
        ]
        pieces = [self.orgs[path[0]].name]
        for hop in hops:
            via = f" ({hop.via[0].name})" if hop.via else ""
            pieces.append(f"{via} — {hop.target.name}" if via else f" — {hop.target.name}")
        return Introduction(
            length=len(hops),
            introducers=[self.ref(i) for i in path[1:-1]],
            hops=hops,
            summary="".join(pieces),
        )

    # -- the answer ------------------------------------------------------------------------

    def match(
        self,
        need: Need,
        *,
        weights: MatchWeights | None = None,
        top: int = 10,
        lang: Language = "nl",
    ) -> MatchResult:
        """The ``top`` candidates for a need, each with components, reasons and introduction.

        When the stated themes and keywords leave no candidate for an asker or a team
        (all organisations that meet them already work with the asker, say), the answer
        ranks the candidates without them and says so in ``explanation.relaxed``: the
        network around the asker still tells whom to meet. Without an asker or team an
        empty answer stays empty. Either way ``explanation`` counts, per constraint, whom
        it left out and what relaxing each constraint alone would give.
        """
        weights = weights or MatchWeights()
        strict = self.score(need, weights)
        scores, answered = strict, need
        chosen = self.rank(scores.score, top)
        relaxed: list[str] = []
        if not chosen and "topics" in strict.passes and strict.sources:
            loose = replace(need, themes=frozenset(), keywords=())
            looser = self.score(loose, weights)
            if looser.eligible.any():
                scores, answered, relaxed = looser, loose, ["topics"]
                chosen = self.rank(scores.score, top)
        dist, nearest = self.distances(scores.sources)
        asker = self.position[need.org] if need.org else None
        candidates = [
            self._candidate(rank, i, answered, scores, weights, dist, nearest, asker, lang)
            for rank, i in enumerate(chosen, start=1)
        ]
        return MatchResult(
            asker=self.ref(asker) if asker is not None else None,
            eligible=int(scores.eligible.sum()),
            candidates=candidates,
            weights={f.name: float(getattr(weights, f.name)) for f in fields(weights)},
            explanation=self.explain(need, strict, top=top, relaxed=relaxed, lang=lang),
        )

    # -- why the answer is short -----------------------------------------------------------

    def explain(
        self,
        need: Need,
        scores: Scores,
        *,
        top: int = 10,
        relaxed: Sequence[str] = (),
        lang: Language = "nl",
    ) -> Explanation:
        """Whom each stated constraint left out, and what relaxing it would give.

        The constraints of :data:`CONSTRAINTS` are counted in that order, each on the
        organisations the ones before it left in, so the counts add up to everyone left
        out. Suggestions (when fewer than ``top`` candidates remain) name each
        constraint that alone would give more candidates if dropped.
        """
        base = scores.base if scores.base is not None else np.ones(self.size, dtype=bool)
        removed = self._removals(need, scores, base, lang)
        eligible = int(scores.eligible.sum())
        suggestions = self._suggestions(need, scores, base, lang) if eligible < top else []
        summary = None
        texts = "; ".join(r.text for r in removed)
        if relaxed:
            topics = self._constraint_params("topics", need, lang)["topics"]
            summary = t(lang, "match.explain.relaxed", topics=topics, removed=texts)
        elif eligible == 0:
            if not suggestions:
                suggestions.append(Suggestion("", 0, t(lang, "match.explain.suggest.none")))
            total = t(lang, "count.organisations", n=int(base.sum()))
            summary = t(lang, "match.explain.empty", total=total, removed=texts)
        return Explanation(removed, suggestions, list(relaxed), summary)

    def _removals(
        self, need: Need, scores: Scores, base: BoolArray, lang: Language
    ) -> list[Removal]:
        asker = self.orgs[scores.sources[0]].name if scores.sources else ""
        if need.org is not None and need.org in self.position:
            asker = self.orgs[self.position[need.org]].name
        alive = base.copy()
        removed: list[Removal] = []
        for name in CONSTRAINTS:
            mask = scores.passes.get(name)
            if mask is None:
                continue
            out = alive & ~mask
            alive &= mask
            count = int(out.sum())
            if count:
                examples = self._examples(out)
                names = _some([e.name for e in examples], count, lang)
                params = self._constraint_params(name, need, lang)
                key = f"match.explain.removed.{name}"
                text = t(lang, key, n=count, names=names, asker=asker, **params)
                removed.append(Removal(name, count, examples, text))
        return removed

    def _suggestions(
        self, need: Need, scores: Scores, base: BoolArray, lang: Language
    ) -> list[Suggestion]:
        eligible = int(scores.eligible.sum())
        out: list[Suggestion] = []
        for name in CONSTRAINTS:
            if name not in scores.passes or name == "family":
                continue
            others = base.copy()
            for other, mask in scores.passes.items():
                if other != name:
                    others &= mask
            gain = int(others.sum())
            if gain > eligible:
                count = t(lang, "match.count.candidates", n=gain)
                params = self._constraint_params(name, need, lang)
                text = t(lang, f"match.explain.suggest.{name}", count=count, **params)
                out.append(Suggestion(name, gain, text))
        return out

    def _examples(self, mask: BoolArray, limit: int = 5) -> list[NodeRef]:
        """Up to ``limit`` organisations of ``mask``, the most active first (then by id)."""
        found = np.flatnonzero(mask)
        order = np.lexsort((found, -self.activity[found]))
        return [self.ref(int(i)) for i in found[order[:limit]]]

    def _constraint_params(self, name: str, need: Need, lang: Language) -> dict[str, str]:
        if name == "roles":
            return {"roles": _either([t(lang, f"role.{r}") for r in sorted(need.roles)], lang)}
        if name in {"include_types", "exclude_types"}:
            types = need.include_types if name == "include_types" else need.exclude_types
            return {"types": _either([t(lang, f"type.{x}") for x in sorted(types)], lang)}
        if name == "topics":
            themes = [self.themes[x].name for x in sorted(need.themes) if x in self.themes]
            words = [f"‘{k.strip()}’" for k in need.keywords if k.strip()]
            return {"topics": _either([*themes, *words], lang)}
        return {}

    def _candidate(
        self,
        rank: int,
        i: int,
        need: Need,
        scores: Scores,
        weights: MatchWeights,
        dist: FloatArray,
        nearest: IntArray,
        asker: int | None,
        lang: Language,
    ) -> Candidate:
        org = self.orgs[i]
        components = []
        for name in COMPONENTS:
            value = float(scores.components[name][i])
            weight = self._weight(
                name,
                weights,
                stated_themes=scores.stated_themes,
                stated_place=scores.stated_place is not None,
                stated_roles=bool(need.roles),
            )
            contribution = -weight * value if name == "existing" else weight * value
            components.append(Component(name, round(value, 4), weight, round(contribution, 4)))
        sources = scores.sources
        shared = self._shared_partners(i, sources)
        themes = self._shared_themes(i, sources, need)
        keywords = [k for k in need.keywords if self.keyword_places(i, k)]
        path = self.introduction(i, dist)
        introduction = self._introduction(path) if path is not None else None
        asker_name = self.orgs[asker].name if asker is not None else None
        if asker_name is None and sources:
            asker_name = self.orgs[int(nearest[i])].name if nearest[i] >= 0 else None
        through, eligibility = self._eligibility(i, need, lang)
        reasons = [eligibility] if eligibility else []
        reasons += self._reasons(i, scores, shared, themes, keywords, asker_name, need, lang)
        penalty = self._penalty(i, scores, asker_name, need, lang)
        if penalty is not None:
            reasons.append(penalty)
        if not sources:
            note = t(lang, "match.intro.noSource")
        elif introduction is None:
            note = t(lang, "match.intro.noPath")
        elif introduction.introducers:
            names = listing([r.name for r in introduction.introducers], lang)
            note = t(lang, "match.intro.via", names=names)
        else:
            note = t(lang, "match.intro.direct", source=introduction.hops[0].source.name)
        if sources:
            reasons.append(note)
        if not reasons:
            reasons.append(t(lang, "match.reason.fallback"))
        explanation = f"{org.name}: " + "; ".join(reasons) + "."
        return Candidate(
            rank=rank,
            id=org.id,
            name=org.name,
            helix_role=str(org.helix_role),
            helix_roles=[str(r) for r in org.helix_roles],
            role_label=t(lang, f"role.{org.helix_role}"),
            org_type=str(org.org_type),
            type_label=t(lang, f"type.{org.org_type}"),
            place=org.place,
            score=round(float(scores.score[i]), 6),
            components=components,
            shared_partners=[self.ref(p) for p in shared[:5]],
            shared_partner_count=len(shared),
            shared_themes=themes,
            keywords=keywords,
            eligible_through=through,
            eligibility=eligibility,
            reasons=reasons,
            penalty=penalty,
            explanation=explanation,
            introduction=introduction,
            introduction_note=note,
        )

    def _eligibility(self, i: int, need: Need, lang: Language) -> tuple[str, str | None]:
        """What made ``i`` eligible for the stated roles and types, and the sentence."""
        org = self.orgs[i]
        if need.roles:
            if org.helix_role in need.roles:
                return "primary", None
            role = next(r for r in org.secondary_roles if r in need.roles)
            label = t(lang, f"role.{role}")
            return "secondary", t(lang, "match.reason.eligibleSecondary", role=label)
        if need.include_types:
            label = t(lang, f"type.{org.org_type}")
            return "type", t(lang, "match.reason.eligibleType", type=label)
        return "any", None

    def _shared_partners(self, i: int, sources: Sequence[int]) -> list[int]:
        """Common partners of the candidate and the sources, strongest recent ties first."""
        if not sources:
            return []
        row = sp.csr_matrix(self.ties[list(sources)].sum(axis=0)).multiply(self.ties[i])
        found = sp.csr_matrix(row)
        order = np.lexsort((found.indices, -found.data))
        return [int(k) for k in found.indices[order]]

    def _shared_themes(self, i: int, sources: Sequence[int], need: Need) -> list[NodeRef]:
        mine = set(self.theme_counts[i].indices.tolist())
        if need.themes:
            wanted = set(self.resolve_themes(need.themes))
        elif sources:
            wanted = set(
                sp.csr_matrix(self.theme_counts[list(sources)].sum(axis=0)).indices.tolist()
            )
        else:
            wanted = set()
        common = sorted(mine & wanted, key=lambda k: (-self.theme_counts[i, k], self.theme_ids[k]))
        return [
            NodeRef(self.theme_ids[k], self.themes[self.theme_ids[k]].name, "Theme") for k in common
        ]

    def _keyword_reason(self, i: int, keyword: str, lang: Language) -> str:
        places = self.keyword_places(i, keyword)
        where = [t(lang, f"match.where.{kind}") for kind, _ in places if kind != "activity"]
        activities = [ref for kind, ref in places if kind == "activity" and ref is not None]
        if len(activities) == 1:
            where.append(t(lang, f"match.where.{activities[0].label}", name=activities[0].name))
        elif activities:
            names = listing([a.name for a in activities], lang, limit=2)
            where.append(t(lang, "match.where.activities", n=len(activities), names=names))
        return t(lang, "match.reason.keyword", word=keyword.strip(), where=listing(where, lang))

    def _reasons(
        self,
        i: int,
        scores: Scores,
        shared: list[int],
        themes: list[NodeRef],
        keywords: list[str],
        asker: str | None,
        need: Need,
        lang: Language,
    ) -> list[str]:
        out: list[str] = []
        if shared and asker is not None:
            names = listing([self.orgs[p].name for p in shared], lang)
            out.append(t(lang, "match.reason.partners", n=len(shared), asker=asker, names=names))
        if themes:
            names = listing([x.name for x in themes], lang)
            if need.themes:
                out.append(t(lang, "match.reason.themesStated", themes=names))
            else:
                out.append(t(lang, "match.reason.themesShared", n=len(themes), themes=names))
        out += [self._keyword_reason(i, k, lang) for k in keywords]
        helix = scores.components["helix"][i]
        if asker is not None and not need.roles and helix >= 0.75:
            out.append(self._helix_reason(i, scores.lack, float(helix), asker, lang))
        place = scores.components["place"][i]
        if place >= (0.2 if scores.stated_place else 0.4):
            where = self._place_name(i, float(place), scores.stated_place)
            if where:
                out.append(t(lang, "match.reason.place", place=where))
        if self.activity[i] >= 0.8:
            out.append(t(lang, "match.reason.activity", n=int(self.activity_count[i])))
        return out

    def _penalty(
        self, i: int, scores: Scores, asker: str | None, need: Need, lang: Language
    ) -> str | None:
        """Why the candidate is less new: it already works with the asker or the team."""
        existing = scores.components["existing"][i]
        if existing <= 0:
            return None
        if need.org and existing >= 1.0 and asker is not None:
            return t(lang, "match.reason.existing", asker=asker)
        count = round(existing * max(len(need.team), 1))
        return t(lang, "match.reason.existingTeam", n=count)

    def _helix_reason(
        self, i: int, lack: FloatArray, value: float, asker: str, lang: Language
    ) -> str:
        """The role that complements the asker, named as the page shows the candidate: by
        its primary role, and by the secondary role when that one is the missing one."""
        primary = int(self.primary[i])
        roles = np.flatnonzero(self.role_mask[i])
        best = int(roles[np.argmax(lack[roles])])
        label = t(lang, f"role.{HELIX[primary]}")
        level = "Missing" if value >= 0.999 else "Rare"
        if lack[primary] >= lack[best]:
            return t(lang, f"match.reason.helix{level}", role=label, asker=asker)
        secondary = t(lang, f"role.{HELIX[best]}")
        return t(
            lang,
            f"match.reason.helix{level}Secondary",
            role=label,
            secondary=secondary,
            asker=asker,
        )

    def _place_name(self, i: int, value: float, stated: str | None) -> str | None:
        """Where the candidate is close: its place, province, region or country (a stated
        province or region counts fully and is named as stated)."""
        org = self.orgs[i]
        if stated is not None and value >= 1.0 and place_key(stated) not in self._places:
            found = locate(stated)
            if found is None or found.place is None:
                return stated
        names = (org.place, org.province, org.region, org.country)
        for level, name in zip(_PLACE_LEVELS, names, strict=True):
            if value >= level and name:
                return str(name)
        return None
