"""Gaps in the cross-overs: where the helix network is thinner than the agenda wants.

The agenda asks for cross-overs between themes and for quadruple-helix cooperation
(government, knowledge, industry and civil society at one table). Four views find where
that is missing:

- :func:`theme_crossovers`: pairs of themes that share fewer organisations than their
  sizes predict;
- :func:`helix_mix`: ties within and between the four helix groups, with the
  Krackhardt–Stern E–I index;
- :func:`missing_roles`: actions, projects, networks and themes lacking a helix role, or
  holding one only through a generic group such as "mkb" (:func:`finding_text` words
  each finding in Dutch or English);
- :func:`structural_holes`: pairs of communities with few or no ties, and the
  organisations best placed to bridge them.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import networkx as nx

from graph_schema.enums import ACTIVITY_KINDS, HELIX_ROLES, HelixRole
from graph_schema.i18n import Language, listing, number, t

__all__ = [
    "HELIX_ROLES",
    "Bridge",
    "Candidate",
    "CommunityGap",
    "HelixMatrix",
    "RoleCoverage",
    "RoleGaps",
    "ThemeMatrix",
    "ThemePair",
    "crossover_text",
    "finding_text",
    "helix_mix",
    "hole_text",
    "missing_roles",
    "structural_holes",
    "theme_crossovers",
]


def _theme_name(theme: str, names: Mapping[str, str]) -> str:
    """The name the agenda gives a theme; the id when it is not known."""
    return names.get(theme, theme)


def _split_modes(B: nx.Graph) -> tuple[list[Any], dict[Any, frozenset[str]]]:
    """Organisation ids and the themes of every activity of a two-mode graph."""
    organisations: list[Any] = []
    activities: dict[Any, frozenset[str]] = {}
    for node, attributes in B.nodes(data=True):
        if attributes.get("bipartite") == 0:
            organisations.append(node)
        else:
            activities[node] = frozenset(attributes.get("themes", ()))
    return organisations, activities


# --------------------------------------------------------------------------- themes


@dataclass(frozen=True, slots=True)
class ThemePair:
    """How much two themes share, against what their sizes predict.

    Attributes
    ----------
    theme_a, theme_b
        The two theme ids, ``theme_a < theme_b``.
    observed
        Organisations active on both themes.
    expected
        Organisations expected on both if activity on one theme said nothing about
        activity on the other: ``n_a * n_b / N``.
    ratio
        ``observed / expected``; below 1 the themes share fewer organisations than
        chance, None when ``expected`` is 0 (a theme nobody is active on).
    shared_activities
        Number of activities addressing both themes.
    organisations
        Ids of the organisations active on both, sorted.
    activities
        Ids of the activities addressing both, sorted.
    via_activities
        Ids of the activities through which those organisations are active on either
        theme, sorted: the evidence behind ``observed``.
    """

    theme_a: str
    theme_b: str
    observed: int
    expected: float
    ratio: float | None
    shared_activities: int
    organisations: tuple[str, ...]
    activities: tuple[str, ...]
    via_activities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThemeMatrix:
    """The result of :func:`theme_crossovers`.

    Attributes
    ----------
    themes
        Theme ids compared, sorted.
    n_organisations
        ``N``: organisations active on at least one of them.
    organisations_per_theme
        ``n_t``: organisations active on each theme.
    activities_per_theme
        Activities addressing each theme.
    pairs
        Every pair of themes, weakest first: lowest ratio, then fewest organisations
        observed, then theme ids; pairs without a ratio come last.
    """

    themes: tuple[str, ...]
    n_organisations: int
    organisations_per_theme: dict[str, int]
    activities_per_theme: dict[str, int]
    pairs: tuple[ThemePair, ...]


def theme_crossovers(B: nx.Graph, *, themes: Iterable[str] | None = None) -> ThemeMatrix:
    """Cross-overs between themes: shared organisations, observed against expected.

    An organisation is *active on* a theme when it takes part in an activity (action,
    project or network) addressing that theme. For every pair of themes ``(t, u)`` the
    observed cross-over is the number of organisations active on both; the activities
    addressing both are reported beside it.

    Parameters
    ----------
    B : networkx.Graph
        A two-mode graph as :func:`analytics.projection.two_mode_graph` makes it:
        organisations with ``bipartite=0``, activities with ``bipartite=1`` and a
        ``themes`` attribute (theme ids).
    themes : iterable of str, optional
        Themes to compare; by default every theme some activity addresses. A theme no
        activity addresses can be named to have its (empty) pairs listed.

    Returns
    -------
    ThemeMatrix
        Per-theme sizes and every pair of themes, weakest cross-over first.

    Notes
    -----
    Expectation model: among the ``N`` organisations active on at least one of the
    compared themes, take activity on ``t`` and activity on ``u`` to be independent,
    with probabilities ``n_t / N`` and ``n_u / N``. The expected number active on both
    is then ``N * (n_t / N) * (n_u / N) = n_t * n_u / N``, the mean of the
    hypergeometric overlap of two random sets of sizes ``n_t`` and ``n_u``. A ratio well
    below 1 marks a cross-over the network does not make; above 1, themes that share
    their organisations. Large themes expect more overlap, so a small absolute overlap
    between two large themes ranks as weaker than the same overlap between two small
    ones. Organisations without any themed activity are left out of ``N``: they say
    nothing about cross-overs. An activity addressing both themes makes each of its
    organisations active on both, so such activities raise ``observed`` too.

    With no themes at all (CORDIS, for instance) the result has no pairs.

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_nodes_from(["o1", "o2", "o3"], bipartite=0)
    >>> B.add_node("a1", bipartite=1, themes=frozenset({"t"}))
    >>> B.add_node("a2", bipartite=1, themes=frozenset({"u"}))
    >>> B.add_edges_from([("o1", "a1"), ("o2", "a1"), ("o2", "a2"), ("o3", "a2")])
    >>> pair = theme_crossovers(B).pairs[0]
    >>> pair.observed, round(pair.expected, 3), round(pair.ratio, 3), pair.organisations
    (1, 1.333, 0.75, ('o2',))

    References
    ----------
    .. [1] N. J. van Eck and L. Waltman, "How to normalize cooccurrence data? An
       analysis of some well-known similarity measures", Journal of the American
       Society for Information Science and Technology 60(8), 1635–1651, 2009 (the
       association strength, proportional to this observed / expected ratio).
    """
    organisations, activity_themes = _split_modes(B)
    universe = (
        set(themes)
        if themes is not None
        else {theme for found in activity_themes.values() for theme in found}
    )
    theme_activities: dict[str, set[Any]] = {theme: set() for theme in universe}
    for activity, found in activity_themes.items():
        for theme in found & universe:
            theme_activities[theme].add(activity)
    # org -> theme -> activities through which it is active on the theme
    org_theme_activities: dict[Any, dict[str, set[Any]]] = {}
    theme_orgs: dict[str, set[Any]] = {theme: set() for theme in universe}
    for org in organisations:
        per_theme: dict[str, set[Any]] = defaultdict(set)
        for activity in B[org]:
            for theme in activity_themes.get(activity, frozenset()) & universe:
                per_theme[theme].add(activity)
        if per_theme:
            org_theme_activities[org] = per_theme
            for theme in per_theme:
                theme_orgs[theme].add(org)
    n = len(org_theme_activities)
    pairs = []
    for a, b in combinations(sorted(universe), 2):
        both = theme_orgs[a] & theme_orgs[b]
        expected = len(theme_orgs[a]) * len(theme_orgs[b]) / n if n else 0.0
        via = {
            activity
            for org in both
            for theme in (a, b)
            for activity in org_theme_activities[org][theme]
        }
        shared = theme_activities[a] & theme_activities[b]
        pairs.append(
            ThemePair(
                theme_a=a,
                theme_b=b,
                observed=len(both),
                expected=expected,
                ratio=len(both) / expected if expected > 0 else None,
                shared_activities=len(shared),
                organisations=tuple(sorted(both)),
                activities=tuple(sorted(shared)),
                via_activities=tuple(sorted(via)),
            )
        )
    pairs.sort(key=lambda p: (p.ratio is None, p.ratio or 0.0, p.observed, p.theme_a, p.theme_b))
    ordered = sorted(universe)
    return ThemeMatrix(
        themes=tuple(ordered),
        n_organisations=n,
        organisations_per_theme={theme: len(theme_orgs[theme]) for theme in ordered},
        activities_per_theme={theme: len(theme_activities[theme]) for theme in ordered},
        pairs=tuple(pairs),
    )


def crossover_text(
    pair: ThemePair, lang: Language = "nl", theme_names: Mapping[str, str] | None = None
) -> str:
    """One sentence on a theme cross-over: shared organisations against expected.

    Examples
    --------
    >>> pair = ThemePair("theme-a", "theme-b", 1, 2.5, 0.4, 0, ("o1",), (), ())
    >>> crossover_text(pair, "nl", {"theme-a": "Digitalisering", "theme-b": "Duurzaamheid"})
    '‘Digitalisering’ en ‘Duurzaamheid’ delen 1 organisatie, waar 2,5 verwacht wordt.'
    """
    names = theme_names or {}
    return (
        t(
            lang,
            "gap.crossover",
            a=f"‘{_theme_name(pair.theme_a, names)}’",
            b=f"‘{_theme_name(pair.theme_b, names)}’",
            n=pair.observed,
            expected=number(pair.expected, lang, 1),
        )
        + "."
    )


# --------------------------------------------------------------------------- helix mix


@dataclass(frozen=True, slots=True)
class HelixMatrix:
    """The result of :func:`helix_mix`. Rows and columns follow ``roles``.

    Attributes
    ----------
    roles
        The four helix roles, in :data:`HELIX_ROLES` order.
    sizes
        Organisations per primary role.
    secondary
        Organisations holding each role as a secondary role (noted, not counted in any
        other field).
    ties
        Symmetric 4×4 matrix of tie counts; the diagonal holds ties within a group.
    weights
        The same for the summed tie weights.
    density
        Ties over possible pairs: ``n_g * n_h`` between groups, ``n_g * (n_g - 1) / 2``
        within one; None where no pair is possible.
    internal, external
        Per role: ties with both ends in the group (I), ties with one end in it (E).
    ei_index
        Per role, ``(E - I) / (E + I)``; None for a group without ties.
    ei_overall
        The index of the whole graph: E the ties between different groups, I the ties
        within groups, each tie counted once; None without ties.
    ei_index_weighted, ei_overall_weighted
        The same with tie weights in place of counts.
    """

    roles: tuple[str, ...]
    sizes: dict[str, int]
    secondary: dict[str, int]
    ties: tuple[tuple[int, ...], ...]
    weights: tuple[tuple[float, ...], ...]
    density: tuple[tuple[float | None, ...], ...]
    internal: dict[str, int]
    external: dict[str, int]
    ei_index: dict[str, float | None]
    ei_overall: float | None
    ei_index_weighted: dict[str, float | None]
    ei_overall_weighted: float | None


def _ei(external: float, internal: float) -> float | None:
    total = external + internal
    return (external - internal) / total if total > 0 else None


def helix_mix(G: nx.Graph, *, weight: str | None = "weight") -> HelixMatrix:
    """Ties within and between the four helix groups, and their E–I index.

    The E–I index of a group (Krackhardt and Stern 1988) is ``(E - I) / (E + I)``, with
    ``E`` the ties from its members to other groups and ``I`` the ties among its
    members. It runs from -1 (a closed group) to +1 (a group whose ties all go out).

    Parameters
    ----------
    G : networkx.Graph
        A collaboration graph: every node has a ``helix_role``, one of
        :data:`HELIX_ROLES`, and may have ``helix_roles`` (primary first).
    weight : str or None
        Edge attribute with the tie strength for the weighted fields (missing values
        count as 1); None to weigh every tie as 1.

    Returns
    -------
    HelixMatrix
        Counts, weights, densities and E–I indices, all by primary role.

    Raises
    ------
    ValueError
        If a node has no ``helix_role`` or one outside the four.

    Notes
    -----
    Each organisation belongs to the group of its primary role only, so every tie is
    counted exactly once in the matrix: a university of applied sciences that is also an
    employer counts as knowledge, not as knowledge and industry. Secondary roles are
    reported in ``secondary`` so that a reader can see how many hybrids each group
    hides. Self-loops are ignored. One pass over the edges: O(N + E).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_nodes_from(["g1", "g2"], helix_role="government")
    >>> G.add_node("k", helix_role="knowledge")
    >>> G.add_edges_from([("g1", "g2"), ("g1", "k"), ("g2", "k")])
    >>> report = helix_mix(G)
    >>> report.ties[0][:2], report.ei_index["government"], report.ei_overall
    ((1, 2), 0.3333333333333333, 0.3333333333333333)

    References
    ----------
    .. [1] D. Krackhardt and R. N. Stern, "Informal networks and organizational
       crises: an experimental simulation", Social Psychology Quarterly 51(2),
       123–140, 1988.
    """
    position = {role: i for i, role in enumerate(HELIX_ROLES)}
    group: dict[Any, int] = {}
    sizes = [0] * len(HELIX_ROLES)
    secondary: Counter[str] = Counter()
    for node, attributes in G.nodes(data=True):
        role = attributes.get("helix_role")
        if role is None or str(role) not in position:
            raise ValueError(f"node {node!r} has helix_role {role!r}, not one of {HELIX_ROLES}")
        group[node] = position[str(role)]
        sizes[group[node]] += 1
        secondary.update(str(r) for r in attributes.get("helix_roles", ())[1:])
    k = len(HELIX_ROLES)
    ties = [[0] * k for _ in range(k)]
    weights = [[0.0] * k for _ in range(k)]
    edges = G.edges(data=weight, default=1.0) if weight else ((u, v, 1.0) for u, v in G.edges)
    for u, v, w in edges:
        a, b = group[u], group[v]
        if a != b:
            ties[a][b] += 1
            ties[b][a] += 1
            weights[a][b] += w
            weights[b][a] += w
        elif u != v:
            ties[a][a] += 1
            weights[a][a] += w

    def density(a: int, b: int) -> float | None:
        possible = sizes[a] * (sizes[a] - 1) // 2 if a == b else sizes[a] * sizes[b]
        return ties[a][b] / possible if possible else None

    internal = {role: ties[i][i] for i, role in enumerate(HELIX_ROLES)}
    external = {role: sum(ties[i]) - ties[i][i] for i, role in enumerate(HELIX_ROLES)}
    internal_w = [weights[i][i] for i in range(k)]
    external_w = [sum(weights[i]) - weights[i][i] for i in range(k)]
    between = sum(ties[a][b] for a in range(k) for b in range(a + 1, k))
    between_w = sum(weights[a][b] for a in range(k) for b in range(a + 1, k))
    return HelixMatrix(
        roles=HELIX_ROLES,
        sizes=dict(zip(HELIX_ROLES, sizes, strict=True)),
        secondary={role: secondary.get(role, 0) for role in HELIX_ROLES},
        ties=tuple(tuple(row) for row in ties),
        weights=tuple(tuple(float(x) for x in row) for row in weights),
        density=tuple(tuple(density(a, b) for b in range(k)) for a in range(k)),
        internal=internal,
        external=external,
        ei_index={role: _ei(external[role], internal[role]) for role in HELIX_ROLES},
        ei_overall=_ei(between, sum(internal.values())),
        ei_index_weighted={
            role: _ei(external_w[i], internal_w[i]) for i, role in enumerate(HELIX_ROLES)
        },
        ei_overall_weighted=_ei(between_w, sum(internal_w)),
    )


# --------------------------------------------------------------------------- roles


@dataclass(frozen=True, slots=True)
class RoleCoverage:
    """Which helix roles an activity or a theme brings together.

    Attributes
    ----------
    id, name
        Id and name of the activity or theme.
    kind
        ``"Action"``, ``"Project"``, ``"Network"`` or ``"Theme"``.
    organisations
        Organisations counted (generic groups included unless left out).
    activities
        Activities behind the entry: 1 for an activity, the number of activities
        addressing it for a theme.
    present, missing
        Helix roles present and missing, in :data:`HELIX_ROLES` order.
    role_counts
        Per role, the organisations holding it as primary or secondary role.
    generic_only
        Roles present only through generic groups ("kennisinstellingen", "mkb").
    generic_groups
        For each role in ``generic_only``, the names of those groups, sorted.
    weak_industry
        Industry is present only through generic groups such as "mkb": no named company
        takes part, which counts as weak industry presence.

    :func:`finding_text` states the result in one sentence.
    """

    id: str
    kind: str
    name: str
    organisations: int
    activities: int
    present: tuple[str, ...]
    missing: tuple[str, ...]
    role_counts: dict[str, int]
    generic_only: tuple[str, ...]
    generic_groups: dict[str, tuple[str, ...]]
    weak_industry: bool


@dataclass(frozen=True, slots=True)
class RoleGaps:
    """The result of :func:`missing_roles`.

    Attributes
    ----------
    roles
        The four helix roles.
    count_generic
        Whether generic groups counted.
    activities
        One entry per activity, most roles missing first, then by kind and id.
    themes
        One entry per theme (its activities pooled), most roles missing first, then id.
    missing_counts
        Per role, the number of activities lacking it or holding it only through generic
        groups (``generic_only``): the activities a "without this role" list shows.
    """

    roles: tuple[str, ...]
    count_generic: bool
    activities: tuple[RoleCoverage, ...]
    themes: tuple[RoleCoverage, ...]
    missing_counts: dict[str, int]


def _coverage(
    node_id: str,
    kind: str,
    name: str,
    orgs: Set[Any],
    n_activities: int,
    B: nx.Graph,
) -> RoleCoverage:
    counts: Counter[str] = Counter()
    named: set[str] = set()
    groups: dict[str, set[str]] = defaultdict(set)
    for org in orgs:
        attributes = B.nodes[org]
        roles = {str(r) for r in attributes.get("helix_roles", ())}
        roles.add(str(attributes.get("helix_role")))
        counts.update(roles)
        if attributes.get("generic", False):
            for role in roles:
                groups[role].add(str(attributes.get("name") or org))
        else:
            named |= roles
    present = tuple(role for role in HELIX_ROLES if counts[role])
    missing = tuple(role for role in HELIX_ROLES if not counts[role])
    generic_only = tuple(role for role in present if role not in named)
    return RoleCoverage(
        id=str(node_id),
        kind=kind,
        name=name,
        organisations=len(orgs),
        activities=n_activities,
        present=present,
        missing=missing,
        role_counts={role: counts[role] for role in HELIX_ROLES},
        generic_only=generic_only,
        generic_groups={role: tuple(sorted(groups[role])) for role in generic_only},
        weak_industry=str(HelixRole.INDUSTRY) in generic_only,
    )


def _either(words: Sequence[str], lang: Language) -> str:
    """``a, b of c`` (``a, b or c``)."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {t(lang, 'gap.or')} {words[-1]}"


def finding_text(coverage: RoleCoverage, lang: Language = "nl") -> str:
    """One sentence stating which helix roles an activity or theme lacks, in ``lang``.

    Roles held only by generic groups are named with those groups: "uit het
    bedrijfsleven alleen de algemene groep ‘mkb’".

    Parameters
    ----------
    coverage
        An entry of :func:`missing_roles`.
    lang
        ``"nl"`` (default) or ``"en"``; the words come from the catalogue (``gap.*``,
        ``kind.*``).

    Examples
    --------
    >>> c = RoleCoverage("a1", "Action", "Pilot", 2, 1, ("government", "industry"),
    ...                  ("knowledge", "civil_society"), {}, ("industry",),
    ...                  {"industry": ("mkb",)}, True)
    >>> print(finding_text(c, "nl"))
    Actie ‘Pilot’ heeft geen partner uit de kenniswereld of de maatschappij; uit het \
bedrijfsleven alleen de algemene groep ‘mkb’.
    >>> print(finding_text(c, "en"))
    Action ‘Pilot’ has no knowledge or civil-society partner; industry: only the generic \
group ‘mkb’.
    """
    subject = t(lang, "gap.subject", kind=t(lang, f"kind.{coverage.kind}"), name=coverage.name)
    if not coverage.organisations:
        text = t(lang, "gap.finding.empty", subject=subject)
    elif coverage.missing:
        roles = _either([t(lang, f"gap.role.{role}") for role in coverage.missing], lang)
        if coverage.kind == "Theme":
            key, n = "gap.finding.missing.theme", coverage.activities
            text = t(lang, key, subject=subject, roles=roles, n=n)
        else:
            text = t(lang, "gap.finding.missing", subject=subject, roles=roles)
    elif coverage.generic_only:  # all four, but some only through a group such as 'mkb'
        text = t(lang, "gap.finding.complete.generic", subject=subject)
    else:
        text = t(lang, "gap.finding.complete", subject=subject)
    for role in coverage.generic_only:
        names = [f"‘{name}’" for name in coverage.generic_groups.get(role, ())]
        text += t(
            lang,
            "gap.finding.generic",
            role=t(lang, f"gap.role.{role}"),
            groups=listing(names, lang, limit=len(names)),
            n=len(names),
        )
    return text + "."


def missing_roles(
    B: nx.Graph,
    *,
    count_generic: bool = True,
    kinds: Iterable[str] | None = None,
    themes: Iterable[str] | None = None,
    theme_names: Mapping[str, str] | None = None,
) -> RoleGaps:
    """Helix roles present and missing per action, project, network and theme.

    The agenda asks every line of work to bring the quadruple helix together:
    government, knowledge, industry and civil society. An activity lacking one of them
    is a finding ("action X has no knowledge partner"); a theme is judged on all the
    organisations of its activities together.

    Parameters
    ----------
    B : networkx.Graph
        A two-mode graph as :func:`analytics.projection.two_mode_graph` makes it.
        Organisations need ``helix_role`` and may have ``helix_roles`` and ``generic``;
        activities need ``label`` and may have ``name`` and ``themes``. Build it with
        ``ProjectionOptions(include_generic=True)`` so that groups the agenda names
        without naming members ("kennisinstellingen", "mkb") are there to be counted.
    count_generic : bool
        Count generic groups as a role being present (the default): the agenda saying
        "with the knowledge institutions" does put knowledge at the table, even if no
        institution is named. With False they are left out entirely, which asks the
        stricter question of which roles have a named partner.
    kinds : iterable of str, optional
        Activity labels to report (``"Action"``, ``"Project"``, ``"Network"``); by
        default all. Themes pool only the activities of these kinds.
    themes : iterable of str, optional
        Themes to report; by default every theme some kept activity addresses.
    theme_names : mapping, optional
        Theme id to the name the agenda gives it; by default the id.

    Returns
    -------
    RoleGaps
        One :class:`RoleCoverage` per activity and per theme, with findings.

    Notes
    -----
    A role is present when at least one organisation holds it as its primary *or* a
    secondary role: a hybrid such as an innovation hub run by companies and schools does
    bring both to the table. (This differs from :func:`helix_mix`, which must count
    every tie once and so uses primary roles only.) ``generic_only`` flags roles that
    only generic groups supply, so the strict reading is available from the same result.
    A theme with no activities of the chosen kinds lacks all four roles.

    Examples
    --------
    >>> import networkx as nx
    >>> B = nx.Graph()
    >>> B.add_node("town", bipartite=0, helix_role="government")
    >>> B.add_node("uni", bipartite=0, helix_role="knowledge")
    >>> B.add_node("a1", bipartite=1, label="Action", name="Pilot", themes=frozenset())
    >>> B.add_edges_from([("town", "a1"), ("uni", "a1")])
    >>> gaps = missing_roles(B)
    >>> gaps.activities[0].missing
    ('industry', 'civil_society')
    >>> print(finding_text(gaps.activities[0], "nl"))
    Actie ‘Pilot’ heeft geen partner uit het bedrijfsleven of de maatschappij.

    References
    ----------
    .. [1] E. G. Carayannis and D. F. J. Campbell, "'Mode 3' and 'Quadruple Helix':
       toward a 21st century fractal innovation ecosystem", International Journal of
       Technology Management 46(3/4), 201–234, 2009.
    """
    wanted = set(kinds) if kinds is not None else None
    activity_orgs: dict[Any, set[Any]] = {}
    for node, attributes in B.nodes(data=True):
        if attributes.get("bipartite") == 0:
            continue
        if wanted is not None and str(attributes.get("label")) not in wanted:
            continue
        activity_orgs[node] = {
            org for org in B[node] if count_generic or not B.nodes[org].get("generic", False)
        }
    theme_ids = (
        set(themes)
        if themes is not None
        else {t for a in activity_orgs for t in B.nodes[a].get("themes", ())}
    )
    theme_orgs: dict[str, set[Any]] = {theme: set() for theme in theme_ids}
    theme_count: Counter[str] = Counter()
    for activity, orgs in activity_orgs.items():
        for theme in set(B.nodes[activity].get("themes", ())) & theme_ids:
            theme_orgs[theme] |= orgs
            theme_count[theme] += 1

    def kind_rank(kind: str) -> int:
        return ACTIVITY_KINDS.index(kind) if kind in ACTIVITY_KINDS else len(ACTIVITY_KINDS)

    per_activity = sorted(
        (
            _coverage(
                activity,
                str(B.nodes[activity].get("label", "Activity")),
                str(B.nodes[activity].get("name", activity)),
                orgs,
                1,
                B,
            )
            for activity, orgs in activity_orgs.items()
        ),
        key=lambda c: (-len(c.missing), kind_rank(c.kind), c.kind, c.id),
    )
    names = theme_names or {}
    per_theme = sorted(
        (
            _coverage(theme, "Theme", _theme_name(theme, names), orgs, theme_count[theme], B)
            for theme, orgs in theme_orgs.items()
        ),
        key=lambda c: (-len(c.missing), c.id),
    )
    return RoleGaps(
        roles=HELIX_ROLES,
        count_generic=count_generic,
        activities=tuple(per_activity),
        themes=tuple(per_theme),
        missing_counts={
            role: sum(role in c.missing or role in c.generic_only for c in per_activity)
            for role in HELIX_ROLES
        },
    )


# --------------------------------------------------------------------------- holes


@dataclass(frozen=True, slots=True)
class Bridge:
    """An organisation that already links two communities.

    Attributes
    ----------
    node
        Its id.
    community
        Its own community (None if the partition leaves it out).
    ties, weight
        Number and summed weight of its bridging ties: for a member of one of the two
        communities, its ties into the other; for a third party, its ties into both.
    """

    node: str
    community: int | None
    ties: int
    weight: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member placed to reach out when two communities have no bridge.

    Attributes
    ----------
    node
        Its id.
    community
        Its community.
    external_share
        Share of its tie weight that leaves its community (0.0 without ties).
    external_weight
        That weight.
    degree
        Its number of ties.
    """

    node: str
    community: int
    external_share: float
    external_weight: float
    degree: int


@dataclass(frozen=True, slots=True)
class CommunityGap:
    """Ties between two communities, and who could bridge them.

    Attributes
    ----------
    community_a, community_b
        Indices into the partition, ``community_a < community_b``.
    size_a, size_b
        Their sizes.
    ties, weight
        Number and summed weight of the ties between them.
    density
        ``ties / (size_a * size_b)``.
    bridges
        Organisations with ties reaching across (see :func:`structural_holes`), best
        first.
    candidates_a, candidates_b
        When there is no bridge: the members of each side most turned outward, best
        first; empty otherwise.
    """

    community_a: int
    community_b: int
    size_a: int
    size_b: int
    ties: int
    weight: float
    density: float
    bridges: tuple[Bridge, ...]
    candidates_a: tuple[Candidate, ...]
    candidates_b: tuple[Candidate, ...]


def _zero_pairs(
    eligible: list[int], sizes: Sequence[int], tied: Mapping[tuple[int, int], object]
) -> Iterator[tuple[int, int]]:
    """Pairs of eligible communities without ties, largest size product first.

    A k-way merge of the rows of the (implicit) upper triangle of size products: O(k)
    to start and O(log k) per pair visited, skipping at most ``len(tied)`` pairs.
    """
    order = sorted(eligible, key=lambda c: (-sizes[c], c))
    heap = [
        (-sizes[order[i]] * sizes[order[i + 1]], *sorted((order[i], order[i + 1])), i, i + 1)
        for i in range(len(order) - 1)
    ]
    heapq.heapify(heap)
    while heap:
        _, a, b, i, j = heapq.heappop(heap)
        if j + 1 < len(order):
            c = order[j + 1]
            heapq.heappush(heap, (-sizes[order[i]] * sizes[c], *sorted((order[i], c)), i, j + 1))
        if (a, b) not in tied:
            yield a, b


class _Sides:
    """Where each node's ties lead, by community, from one pass over the adjacency."""

    def __init__(
        self, G: nx.Graph, partition: Sequence[Set[Any]], weight: str | None, per_pair: int
    ) -> None:
        self.G = G
        self.partition = partition
        self.per_pair = per_pair
        member: dict[Any, int] = {}
        for index, group in enumerate(partition):
            for node in group:
                if node in member:
                    first = member[node]
                    raise ValueError(f"node {node!r} is in communities {first} and {index}")
                if node not in G:
                    raise ValueError(f"community {index} holds {node!r}, not a node of the graph")
                member[node] = index
        self.member = member
        self.weight = weight
        # node -> other community (None: outside the partition) -> [ties, weight]
        self.reach: dict[Any, dict[int | None, list[float]]] = {}
        get = member.get
        for u, neighbours in G.adjacency():
            own = get(u)
            local: dict[int | None, list[float]] = {}
            # Looking every neighbour's community up in one comprehension, and the weight
            # only of ties that leave, is the fastest pure-Python form (measured).
            for other, data in [(get(v), data) for v, data in neighbours.items()]:
                if other != own:
                    w = float(data.get(weight, 1.0)) if weight else 1.0
                    entry = local.get(other)
                    if entry is None:
                        local[other] = [1, w]
                    else:
                        entry[0] += 1
                        entry[1] += w
            if local:
                self.reach[u] = local
        self._touching: dict[int, list[Any]] = {}
        self._candidates: dict[int, tuple[Candidate, ...]] = {}

    def between(self, allowed: Set[int]) -> dict[tuple[int, int], list[float]]:
        """Ties and weight between every pair of allowed communities that has ties."""
        found: dict[tuple[int, int], list[float]] = {}
        for u, local in self.reach.items():
            own = self.member.get(u)
            if own is None or own not in allowed:
                continue
            for other, (ties, weight) in local.items():
                if other is not None and own < other and other in allowed:
                    entry = found.get((own, other))
                    if entry is None:
                        found[own, other] = [ties, weight]
                    else:
                        entry[0] += ties
                        entry[1] += weight
        return found

    def index_touching(self, communities: Set[int]) -> None:
        """For each of these communities, the outside nodes with ties into it."""
        self._touching = {c: [] for c in communities}
        for u, local in self.reach.items():
            for c in local:
                if c in self._touching:
                    self._touching[c].append(u)

    def bridges(self, a: int, b: int) -> tuple[Bridge, ...]:
        """Members of either side with ties across, and third parties tied into both."""
        found = []
        for node in self._touching[b]:
            local = self.reach[node]
            side = self.member.get(node)
            ties, weight = local[b]
            if side == a:
                found.append(Bridge(node, a, int(ties), weight))
            elif a in local:
                ties_a, weight_a = local[a]
                found.append(Bridge(node, side, int(ties + ties_a), weight + weight_a))
        for node in self._touching[a]:
            if self.member.get(node) == b:
                ties, weight = self.reach[node][a]
                found.append(Bridge(node, b, int(ties), weight))
        found.sort(key=lambda x: (-x.weight, -x.ties, x.node))
        return tuple(found[: self.per_pair])

    def candidates(self, c: int) -> tuple[Candidate, ...]:
        """Members of c with the largest share of tie weight leaving c."""
        if c not in self._candidates:
            found = []
            for node in self.partition[c]:
                neighbours = self.G[node]
                if self.weight is None:
                    total = float(len(neighbours))
                else:
                    total = sum(float(d.get(self.weight, 1.0)) for d in neighbours.values())
                outside = sum(weight for _, weight in self.reach.get(node, {}).values())
                share = outside / total if total > 0 else 0.0
                found.append(Candidate(node, c, share, outside, len(neighbours)))
            found.sort(key=lambda x: (-x.external_share, -x.external_weight, -x.degree, x.node))
            self._candidates[c] = tuple(found[: self.per_pair])
        return self._candidates[c]


def structural_holes(
    G: nx.Graph,
    partition: Sequence[Set[Any]],
    *,
    weight: str | None = "weight",
    top: int = 20,
    min_size: int = 2,
    per_pair: int = 5,
) -> list[CommunityGap]:
    """Pairs of communities with few or no ties, and the organisations to bridge them.

    A structural hole (Burt 1992) is the absence of ties between two groups; whoever
    spans it brokers between them. For each pair of communities this counts the ties
    and their weight between them, and names who is best placed to close the gap.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph, such as a collaboration graph.
    partition : sequence of sets
        Disjoint sets of nodes of ``G``, e.g. ``communities(G).partition()``; the list
        index is the community number used in the result. Nodes left out belong to no
        community but may still bridge two.
    weight : str or None
        Edge attribute with the tie strength (missing values count as 1); None to weigh
        every tie as 1.
    top : int
        Number of pairs to report.
    min_size : int
        Communities smaller than this (isolates, by default) take no part in pairs.
    per_pair : int
        Number of bridges and of candidates per side to report.

    Returns
    -------
    list of CommunityGap
        At most ``top`` pairs, fewest ties first, then lowest density, then lowest
        weight, then largest pair (product of sizes), then community numbers.

    Raises
    ------
    ValueError
        If a node is in two communities or a community holds a node not in ``G``.

    Notes
    -----
    Bridges of the pair ``(A, B)`` are the members of ``A`` with ties into ``B``, the
    members of ``B`` with ties into ``A`` and the third parties with ties into both;
    they are ranked by the weight of those ties (for a third party, into ``A`` and
    ``B`` together), then their number, then id.

    When there is no bridge, each side offers candidates: its members with the largest
    share of tie weight leaving the community, then the largest such weight, the most
    ties, and id. An organisation already used to working outside its own group is the
    cheapest introduction; this share is the local quantity behind Burt's constraint
    (low constraint needs ties spread over unconnected contacts) and, unlike
    constraint, costs only the member's own ties to compute.

    Cost: one pass over the adjacency records, for every node, the number and weight of
    its ties into each other community (memory: one entry per node and community it
    reaches); pairs are then picked in O(k log k + (top + p) log k) time (``k`` eligible
    communities, ``p`` pairs with ties) without enumerating the ``k²`` pairs, and the
    bridges of a reported pair cost one look-up per node tied into either side. Nothing
    loops over pairs of nodes.

    Examples
    --------
    Two triangles and a pair, the triangles tied once:

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f")])
    >>> G.add_edges_from([("d", "f"), ("c", "d"), ("x", "y")])
    >>> gaps = structural_holes(G, [{"a", "b", "c"}, {"d", "e", "f"}, {"x", "y"}])
    >>> [(g.community_a, g.community_b, g.ties) for g in gaps]
    [(0, 2, 0), (1, 2, 0), (0, 1, 1)]
    >>> [b.node for b in gaps[-1].bridges], [c.node for c in gaps[0].candidates_a]
    (['c', 'd'], ['c', 'a', 'b'])

    References
    ----------
    .. [1] R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard
       University Press, 1992.
    """
    if top < 0 or per_pair < 0:
        raise ValueError("top and per_pair must not be negative")
    sides = _Sides(G, partition, weight, per_pair)
    sizes = [len(group) for group in partition]
    eligible = [i for i, size in enumerate(sizes) if size >= min_size]
    between = sides.between(set(eligible))

    def rank(key: tuple[int, int]) -> tuple[int, float, float, int, int, int]:
        a, b = key
        ties, total = between.get(key, (0, 0.0))
        product = sizes[a] * sizes[b]
        return (int(ties), ties / product, total, -product, a, b)

    chosen: list[tuple[int, int]] = []
    for key in _zero_pairs(eligible, sizes, between):
        if len(chosen) >= top:
            break
        chosen.append(key)
    if len(chosen) < top:
        chosen.extend(heapq.nsmallest(top - len(chosen), between, key=rank))

    sides.index_touching({c for pair in chosen for c in pair})
    gaps = []
    for a, b in sorted(chosen, key=rank):
        bridges = sides.bridges(a, b)
        ties, total = between.get((a, b), (0, 0.0))
        gaps.append(
            CommunityGap(
                community_a=a,
                community_b=b,
                size_a=sizes[a],
                size_b=sizes[b],
                ties=int(ties),
                weight=float(total),
                density=ties / (sizes[a] * sizes[b]),
                bridges=bridges,
                candidates_a=() if bridges else sides.candidates(a),
                candidates_b=() if bridges else sides.candidates(b),
            )
        )
    return gaps


def hole_text(
    gap: CommunityGap, lang: Language = "nl", names: Mapping[str, str] | None = None
) -> str:
    """One sentence on a pair of communities: their ties, and who bridges or could.

    Parameters
    ----------
    gap
        A pair of :func:`structural_holes`.
    lang
        ``"nl"`` (default) or ``"en"``; the words come from the catalogue (``gap.hole.*``).
    names
        Organisation id to name; an unknown id is shown as it is.

    Examples
    --------
    >>> gap = CommunityGap(0, 2, 3, 2, 0, 0.0, 0.0, (), (Candidate("c", 0, 0.5, 1.0, 2),),
    ...                    (Candidate("x", 2, 0.0, 0.0, 1),))
    >>> hole_text(gap, "nl", {"c": "Treant"})
    'Tussen gemeenschap 0 (3 organisaties) en gemeenschap 2 (2 organisaties) loopt geen \
enkele verbinding; wie de brug kan slaan: Treant en x.'
    """
    known = names or {}
    sizes = {
        "a": gap.community_a,
        "b": gap.community_b,
        "sa": t(lang, "count.organisations", n=gap.size_a),
        "sb": t(lang, "count.organisations", n=gap.size_b),
    }
    if gap.ties:
        text = t(lang, "gap.hole.some", n=gap.ties, **sizes)
    else:
        text = t(lang, "gap.hole.none", **sizes)
    if gap.bridges:
        bridging = [known.get(b.node, b.node) for b in gap.bridges]
        text += t(lang, "gap.hole.bridges", names=listing(bridging, lang))
    else:
        firsts = [side[0].node for side in (gap.candidates_a, gap.candidates_b) if side]
        if firsts:
            candidates = [known.get(node, node) for node in firsts]
            text += t(lang, "gap.hole.candidates", names=listing(candidates, lang))
    return text + "."
