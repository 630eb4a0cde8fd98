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
    With stated themes or keywords: the share of the stated themes the candidate works on
    and of the keywords found in its name, description or activities.
helix
    Complementarity: how much the candidate's helix role is missing from the asker's
    current collaborations (1 - the share of the asker's partners, weighted by tie
    strength, that hold the role; a role nobody holds gives 1).
place
    Same place 1, same province 0.6, same part of the country 0.4, same country 0.2.
activity
    How active the candidate is, by the recency-weighted count of its activities (log
    scale, 1 for the most active organisation of the graph).
existing
    A penalty: 1 for a candidate the asker already works with (only shown when asked for),
    or the share of the stated team it already works with.

Components the request states explicitly (themes, keywords, a place) count
``MatchWeights.stated`` times their weight. Stated helix roles and organisation types
are filters, and so are stated themes and keywords (a candidate must work on one of them).
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
from dataclasses import dataclass, field, fields
from datetime import date
from itertools import pairwise
from typing import Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]
from scipy.sparse.csgraph import shortest_path  # type: ignore[import-untyped]

from analytics.projection import ACTIVITY_LINKS
from graph_schema import GraphData, HelixRole, Organisation, Project, RelType, Theme
from graph_schema.names import name_key, name_tokens

__all__ = [
    "COMPONENTS",
    "FAMILY_LINKS",
    "Candidate",
    "Component",
    "Hop",
    "Introduction",
    "MatchError",
    "MatchIndex",
    "MatchResult",
    "MatchWeights",
    "Need",
    "Scores",
    "activity_start",
    "region_of",
]

Language = Literal["en", "nl"]
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

PROVINCES: dict[str, str] = {
    "assen": "Drenthe",
    "emmen": "Drenthe",
    "hoogeveen": "Drenthe",
    "meppel": "Drenthe",
    "roden": "Drenthe",
    "gieten": "Drenthe",
    "coevorden": "Drenthe",
    "beilen": "Drenthe",
    "westerbork": "Drenthe",
    "zuidlaren": "Drenthe",
    "groningen": "Groningen",
    "delfzijl": "Groningen",
    "leeuwarden": "Friesland",
    "heerenveen": "Friesland",
    "zwolle": "Overijssel",
    "den haag": "Zuid-Holland",
    "rotterdam": "Zuid-Holland",
    "amsterdam": "Noord-Holland",
    "utrecht": "Utrecht",
    "lingen": "Niedersachsen",
    "oldenburg": "Niedersachsen",
}
"""Places of the Drenthe network (and a few around it) -> province or German state."""

PARTS: dict[str, str] = {
    "drenthe": "Noord-Nederland",
    "groningen": "Noord-Nederland",
    "friesland": "Noord-Nederland",
}
"""Provinces -> part of the country."""

_PLACE_LEVELS = (1.0, 0.6, 0.4, 0.2)  # place, province, part of the country, country


def region_of(place: str) -> tuple[str | None, str | None]:
    """(province, part of the country) of a place, when known.

    >>> region_of("Roden")
    ('Drenthe', 'Noord-Nederland')
    >>> region_of("Lingen")
    ('Niedersachsen', None)
    """
    province = PROVINCES.get(place.strip().casefold())
    if province is None:
        return None, None
    return province, PARTS.get(province.casefold())


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
    """A request the index cannot answer; ``field`` names the part that is wrong."""

    def __init__(self, field: str, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.not_found = not_found


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
                raise MatchError(f"weights.{item.name}", "must be a finite number >= 0")


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
    helix_roles: list[str]
    org_type: str
    place: str | None
    score: float
    components: list[Component]
    shared_partners: list[NodeRef]
    """The strongest five common partners."""
    shared_partner_count: int
    shared_themes: list[NodeRef]
    keywords: list[str]
    reasons: list[str]
    explanation: str
    introduction: Introduction | None


@dataclass(frozen=True, slots=True)
class MatchResult:
    asker: NodeRef | None
    eligible: int
    candidates: list[Candidate]
    weights: dict[str, float]


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


_ROLE_WORDS: dict[Language, dict[HelixRole, str]] = {
    "en": {
        HelixRole.GOVERNMENT: "government",
        HelixRole.KNOWLEDGE: "knowledge",
        HelixRole.INDUSTRY: "industry",
        HelixRole.CIVIL_SOCIETY: "civil society",
    },
    "nl": {
        HelixRole.GOVERNMENT: "de overheid",
        HelixRole.KNOWLEDGE: "onderzoek en onderwijs",
        HelixRole.INDUSTRY: "het bedrijfsleven",
        HelixRole.CIVIL_SOCIETY: "de publieke omgeving",
    },
}

_TEXT: dict[Language, dict[str, str]] = {
    "en": {
        "partners": "works with {n} of {asker}'s partners ({names})",
        "themes_stated": "works on {themes}",
        "themes_shared": "works on the same themes ({themes})",
        "keywords": "matches {words}",
        "helix_missing": "a partner from {role}, a role missing from {asker}'s collaborations",
        "helix_rare": "a partner from {role}, a role rare in {asker}'s collaborations",
        "place": "located in {place}",
        "activity": "one of the most active organisations ({n} activities)",
        "existing": "already works with {asker}",
        "existing_team": "already works with {n} of the team",
        "intro": "introduction through {names}",
        "no_path": "no chain of collaborations reaches it yet",
        "fallback": "an active organisation of the network",
        "and": "and",
    },
    "nl": {
        "partners": "werkt samen met {n} partners van {asker} ({names})",
        "themes_stated": "werkt aan {themes}",
        "themes_shared": "werkt aan dezelfde thema's ({themes})",
        "keywords": "past bij {words}",
        "helix_missing": "een partner uit {role}, een rol die in de samenwerkingen van "
        "{asker} ontbreekt",
        "helix_rare": "een partner uit {role}, een rol die zelden voorkomt in de "
        "samenwerkingen van {asker}",
        "place": "gevestigd in {place}",
        "activity": "een van de actiefste organisaties ({n} activiteiten)",
        "existing": "werkt al samen met {asker}",
        "existing_team": "werkt al samen met {n} leden van het team",
        "intro": "introductie via {names}",
        "no_path": "nog geen keten van samenwerkingen reikt tot hier",
        "fallback": "een actieve organisatie in het netwerk",
        "and": "en",
    },
}


def _listing(items: Sequence[str], lang: Language, limit: int = 3) -> str:
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(f"+{len(items) - limit}")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" {_TEXT[lang]['and']} " + shown[-1]


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
                    for v in (getattr(node, "description", None), getattr(node, "what", None))
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
        rows = []
        for o in self.orgs:
            province, part = region_of(o.place) if o.place else (None, None)
            place = name_key(o.place) if o.place else ""
            rows.append(
                [
                    place,
                    (province or "").casefold(),
                    (part or "").casefold(),
                    (o.country or "").casefold(),
                ]
            )
        self.locations = np.array(rows, dtype=object).reshape(n, 4)
        self._places = {name_key(o.place): o.place for o in self.orgs if o.place}

    def _build_words(self) -> None:
        """Which organisations each word of a name, description or activity points to."""
        words: dict[str, set[int]] = defaultdict(set)
        for i, org in enumerate(self.orgs):
            for text in (org.name, *org.aliases, org.description or ""):
                for token in name_tokens(text):
                    words[token].add(i)
        by_activity = sp.csc_matrix(self.incidence)
        for j, activity in enumerate(self.activities):
            members = by_activity.indices[by_activity.indptr[j] : by_activity.indptr[j + 1]]
            tokens = {t for text in activity.text for t in name_tokens(text)}
            for token in tokens:
                words[token].update(members.tolist())
        self._words = {w: np.fromiter(sorted(s), dtype=np.int64) for w, s in words.items()}
        self._word_list = sorted(self._words)

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
        tokens = name_tokens(keyword)
        if not tokens:
            return np.zeros(0, dtype=np.int64)
        hits: IntArray | None = None
        for token in tokens:
            if len(token) >= 4:
                k = bisect.bisect_left(self._word_list, token)
                found: set[int] = set()
                while k < len(self._word_list) and self._word_list[k].startswith(token):
                    found.update(self._words[self._word_list[k]].tolist())
                    k += 1
                here = np.fromiter(sorted(found), dtype=np.int64)
            else:
                here = self._words.get(token, np.zeros(0, dtype=np.int64))
            hits = here if hits is None else np.intersect1d(hits, here)
        return hits if hits is not None else np.zeros(0, dtype=np.int64)

    def location(self, place: str) -> tuple[FloatArray, str]:
        """The place component of every organisation against a stated place or region.

        Accepts a place of the graph or of :data:`PROVINCES`, a province, a part of the
        country ('Noord-Nederland') or a two-letter country code; the display name comes
        back with the scores.
        """
        text = place.strip()
        key, folded = name_key(text), text.casefold()
        province, part = region_of(text)
        if key in self._places or province is not None:
            wanted: list[str] = [key, (province or "").casefold(), (part or "").casefold(), ""]
            shown = self._places.get(key, text)
        elif folded in {p.casefold() for p in PROVINCES.values()}:
            wanted = ["", folded, "", ""]
            shown = text
        elif folded in {p.casefold() for p in PARTS.values()}:
            wanted = ["", "", folded, ""]
            shown = text
        elif re.fullmatch(r"[a-z]{2}", folded):
            wanted = ["", "", "", folded]
            shown = text.upper()
        else:
            known = ", ".join(sorted(set(self._places.values()))[:25])
            raise MatchError("place", f"unknown place or region {text!r}; known places: {known}")
        # A stated region counts fully for the organisations inside it.
        levels = _PLACE_LEVELS if wanted[0] else (1.0, 1.0, 1.0, 1.0)
        return self._place_scores(wanted, levels), shown

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
            raise MatchError("themes", f"unknown theme(s) {', '.join(unknown)}; known: {known}")
        return sorted(positions[t] for t in themes)

    def _org(self, org_id: str, field_name: str) -> int:
        position = self.position.get(org_id)
        if position is None:
            raise MatchError(
                field_name, f"no organisation with id {org_id!r} to match", not_found=True
            )
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
            raise MatchError(
                "need", "say what to match: an organisation, themes, keywords, roles or a place"
            )
        n = self.size
        asker = self._org(need.org, "org") if need.org else None
        team = [self._org(t, "team") for t in need.team]
        sources = sorted({*([asker] if asker is not None else []), *team})
        eligible, existing = self._eligible(need, asker, team, sources)
        theme, stated_themes = self._theme_fit(need, sources)
        if stated_themes:
            eligible &= theme > 0
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
        components = {
            "structure": np.minimum(raw / best, 1.0) if best > 0 else np.zeros(n),
            "theme": theme,
            "helix": (self.role_mask * lack[None, :]).max(axis=1).astype(np.float64)
            if sources
            else np.zeros(n),
            "place": place,
            "activity": self.activity,
            "existing": existing,
        }
        total = np.zeros(n)
        for name, values in components.items():
            w = self._weight(
                name, weights, stated_themes=stated_themes, stated_place=bool(need.place)
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
        )

    @staticmethod
    def _weight(
        name: str, weights: MatchWeights, *, stated_themes: bool, stated_place: bool
    ) -> float:
        weight = float(getattr(weights, name))
        if (name == "theme" and stated_themes) or (name == "place" and stated_place):
            weight *= weights.stated
        return weight

    def _eligible(
        self, need: Need, asker: int | None, team: list[int], sources: list[int]
    ) -> tuple[BoolArray, FloatArray]:
        """Who may be proposed, and the existing-tie penalty of each."""
        n = self.size
        eligible = np.ones(n, dtype=bool)
        eligible[sources] = False
        for s in sources:
            eligible[sorted(self.family.get(s, ()))] = False
        existing = np.zeros(n)
        if asker is not None:
            partners = self.partners(asker)
            if need.include_existing:
                existing[partners] = 1.0
            else:
                eligible[partners] = False
        if team:
            tied = np.zeros(n)
            for t in team:
                tied[self.partners(t)] += 1.0
            existing = np.maximum(existing, tied / len(team))
        if need.roles:
            wanted = [_HELIX_INDEX[r] for r in sorted(need.roles)]
            eligible &= self.role_mask[:, wanted].any(axis=1)
        if need.include_types:
            eligible &= np.isin(self.org_types, sorted(need.include_types))
        if need.exclude_types:
            eligible &= ~np.isin(self.org_types, sorted(need.exclude_types))
        return eligible, existing

    def _theme_fit(self, need: Need, sources: list[int]) -> tuple[FloatArray, bool]:
        """The theme component, and whether the need stated themes or keywords."""
        n = self.size
        positions = self.resolve_themes(need.themes)
        keywords = [k for k in (k.strip() for k in need.keywords) if k]
        if positions or keywords:
            parts: list[FloatArray] = []
            if positions:
                covered = (self.theme_counts[:, positions] > 0).toarray()
                parts.append(covered.mean(axis=1))
            for keyword in keywords:
                found = np.zeros(n)
                found[self._keyword_hits(keyword)] = 1.0
                parts.append(found)
            return np.mean(parts, axis=0), True
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
        lang: Language = "en",
    ) -> MatchResult:
        """The ``top`` candidates for a need, each with components, reasons and introduction."""
        weights = weights or MatchWeights()
        scores = self.score(need, weights)
        chosen = self.rank(scores.score, top)
        dist, nearest = self.distances(scores.sources)
        asker = self.position[need.org] if need.org else None
        candidates = [
            self._candidate(rank, i, need, scores, weights, dist, nearest, asker, lang)
            for rank, i in enumerate(chosen, start=1)
        ]
        return MatchResult(
            asker=self.ref(asker) if asker is not None else None,
            eligible=int(scores.eligible.sum()),
            candidates=candidates,
            weights={f.name: float(getattr(weights, f.name)) for f in fields(weights)},
        )

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
            )
            contribution = -weight * value if name == "existing" else weight * value
            components.append(Component(name, round(value, 4), weight, round(contribution, 4)))
        sources = scores.sources
        shared = self._shared_partners(i, sources)
        themes = self._shared_themes(i, sources, need)
        keywords = [k for k in need.keywords if i in set(self._keyword_hits(k).tolist())]
        path = self.introduction(i, dist)
        introduction = self._introduction(path) if path is not None else None
        asker_name = self.orgs[asker].name if asker is not None else None
        if asker_name is None and sources:
            asker_name = self.orgs[int(nearest[i])].name if nearest[i] >= 0 else None
        reasons = self._reasons(i, scores, shared, themes, keywords, asker_name, need, lang)
        if introduction is not None and introduction.introducers:
            names = _listing([r.name for r in introduction.introducers], lang)
            reasons.append(_TEXT[lang]["intro"].format(names=names))
        elif sources and introduction is None:
            reasons.append(_TEXT[lang]["no_path"])
        if not reasons:
            reasons.append(_TEXT[lang]["fallback"])
        explanation = f"{org.name}: " + "; ".join(reasons) + "."
        return Candidate(
            rank=rank,
            id=org.id,
            name=org.name,
            helix_role=str(org.helix_role),
            helix_roles=[str(r) for r in org.helix_roles],
            org_type=str(org.org_type),
            place=org.place,
            score=round(float(scores.score[i]), 6),
            components=components,
            shared_partners=[self.ref(p) for p in shared[:5]],
            shared_partner_count=len(shared),
            shared_themes=themes,
            keywords=keywords,
            reasons=reasons,
            explanation=explanation,
            introduction=introduction,
        )

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
        text = _TEXT[lang]
        out: list[str] = []
        if shared and asker is not None:
            names = _listing([self.orgs[p].name for p in shared[:5]], lang)
            out.append(text["partners"].format(n=len(shared), asker=asker, names=names))
        if themes:
            key = "themes_stated" if need.themes else "themes_shared"
            out.append(text[key].format(themes=_listing([t.name for t in themes], lang)))
        if keywords:
            out.append(text["keywords"].format(words=_listing([f"'{k}'" for k in keywords], lang)))
        helix = scores.components["helix"][i]
        if asker is not None and helix >= 0.75:
            role = _ROLE_WORDS[lang][self._best_role(i, scores.lack)]
            out.append(
                text["helix_missing" if helix >= 0.999 else "helix_rare"].format(
                    role=role, asker=asker
                )
            )
        place = scores.components["place"][i]
        if place >= (0.2 if scores.stated_place else 0.4):
            where = self._place_name(i, float(place), scores.stated_place)
            if where:
                out.append(text["place"].format(place=where))
        if self.activity[i] >= 0.8:
            out.append(text["activity"].format(n=int(self.activity_count[i])))
        existing = scores.components["existing"][i]
        if existing > 0:
            if need.org and existing >= 1.0 and asker is not None:
                out.append(text["existing"].format(asker=asker))
            else:
                count = round(existing * max(len(need.team), 1))
                out.append(text["existing_team"].format(n=count))
        return out

    def _best_role(self, i: int, lack: FloatArray) -> HelixRole:
        roles = np.flatnonzero(self.role_mask[i])
        return HELIX[int(roles[np.argmax(lack[roles])])]

    def _place_name(self, i: int, value: float, stated: str | None) -> str | None:
        """Where the candidate is close: its place, province, part of the country or country."""
        org = self.orgs[i]
        if stated is not None and not self._places.get(name_key(stated)) and value >= 1.0:
            province, _ = region_of(stated)
            if province is None:
                return stated
        province, part = region_of(org.place) if org.place else (None, None)
        for level, name in zip(
            _PLACE_LEVELS, (org.place, province, part, org.country), strict=True
        ):
            if value >= level and name:
                return name
        return None
