"""The analytics' results in words: in the language of the request, at the edge.

Brokers, gaps, communities and KPIs are computed once per graph version and set of
filters, free of language: a broker's reason is kept as its facts (partners per helix
role, shared themes, open pairs, who would be cut off), a gap as the roles present,
missing and held only by generic groups. The functions here turn such a result into the
answer for one request — sentences, labels and captions from the text catalogue in
Dutch or English, theme and activity names as the agenda writes them — without touching
the cached result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from analytics.brokers import BrokerReason, reason_text
from analytics.communities import Community, ThemeCount, description_text, label_text
from analytics.gaps import (
    Bridge,
    Candidate,
    CommunityGap,
    RoleCoverage,
    ThemePair,
    crossover_text,
    finding_text,
    hole_text,
)
from graph_schema.i18n import Language, listing, number, t

__all__ = [
    "Section",
    "brokers_answer",
    "communities_answer",
    "compare_answer",
    "filter_echo",
    "gaps_answer",
    "kpis_answer",
    "missing_roles_page",
    "summarise",
    "wanted_row",
]

Result = dict[str, Any]
Section = tuple[str, list[str], list[list[str]]]
"""A table for a terminal: title, column headings, rows."""

KPI_FIELDS = (
    "organisations",
    "ties",
    "density",
    "average_degree",
    "cross_helix_share",
    "isolated",
    "components",
    "largest_component_share",
    "actions",
    "actions_with_all_four_roles",
    "helix_completeness",
)
"""The scalar KPIs, in the order a report lists them."""


# --------------------------------------------------------------------------- filters


def filter_echo(
    filters: Mapping[str, Any], names: Mapping[str, str], lang: Language
) -> dict[str, Any]:
    """The filters an answer was computed with, named, and a caption in ``lang``.

    ``filters`` holds the raw values (see ``Options.described``); the echo adds the
    names a page shows (themes as the agenda writes them, roles, types and kinds from
    the catalogue) and ``caption``, e.g. "Thema: Digitalisering · Rol: Bedrijfsleven".
    """
    themes = [{"id": i, "name": names.get(i, i)} for i in filters.get("theme", ())]
    roles = [{"id": r, "name": t(lang, f"role.{r}")} for r in filters.get("helix_role", ())]
    types = [{"id": o, "name": t(lang, f"type.{o}")} for o in filters.get("org_type", ())]
    kinds = [{"id": k, "name": t(lang, f"kind.{k}")} for k in filters.get("kind", ())]
    places = list(filters.get("place", ()))
    missing = filters.get("missing_role")
    parts: list[str] = []
    if themes:
        parts.append(t(lang, "caption.theme", name=listing([x["name"] for x in themes], lang)))
    if roles:
        role_names = [x["name"] for x in roles]
        parts.append(t(lang, "caption.roles", n=len(roles), names=listing(role_names, lang)))
    if types:
        parts.append(t(lang, "caption.type", name=listing([x["name"] for x in types], lang)))
    if places:
        parts.append(t(lang, "caption.place", name=listing(places, lang)))
    if kinds:
        kind_names = [x["name"] for x in kinds]
        parts.append(t(lang, "caption.kinds", n=len(kinds), names=listing(kind_names, lang)))
    if filters.get("include_generic"):
        parts.append(t(lang, "caption.generic"))
    if missing:
        parts.append(t(lang, f"gaps.without.{missing}"))
    echo: dict[str, Any] = {
        "theme": themes,
        "helix_role": roles,
        "org_type": types,
        "place": places,
        "kind": kinds,
        "include_generic": bool(filters.get("include_generic")),
    }
    if "missing_role" in filters:
        echo["missing_role"] = missing
    for extra, value in filters.items():  # filters added later are echoed as given
        echo.setdefault(extra, value)
    echo["caption"] = " · ".join(parts) if parts else t(lang, "caption.none")
    return echo


# --------------------------------------------------------------------------- brokers


def _reason(facts: Mapping[str, Any]) -> BrokerReason:
    return BrokerReason(
        partners=dict(facts["partners"]),
        themes=tuple(facts["themes"]),
        open_pairs=int(facts["open_pairs"]),
        cut_off=int(facts["cut_off"]),
    )


def brokers_answer(result: Result, lang: Language, *, top: int | None = None) -> Result:
    """The broker ranking with each reason as a sentence in ``lang``.

    Each row keeps the facts under ``reason_facts`` (with their ``code``) beside the
    sentence in ``reason``.
    """
    names = result.get("names", {})
    rows = []
    for row in result["rows"][:top] if top is not None else result["rows"]:
        facts = _reason(row["reason"])
        rows.append(
            {
                **row,
                "reason": reason_text(row["name"], facts, lang, names),
                "reason_facts": {"code": facts.code, **row["reason"]},
            }
        )
    return {**_common(result, lang), "rows": rows}


# --------------------------------------------------------------------------- communities


def _community(found: Mapping[str, Any]) -> Community:
    return Community(
        id=found["id"],
        size=found["size"],
        members=tuple(found["members"]),
        themes=tuple(ThemeCount(c["theme"], c["count"]) for c in found["themes"]),
        helix_mix=dict(found["helix_mix"]),
    )


def communities_answer(result: Result, lang: Language) -> Result:
    """Communities, each with a ``label`` and a ``description`` in ``lang``."""
    names = result.get("names", {})
    described = []
    for found in result["communities"]:
        community = _community(found)
        described.append(
            {
                **found,
                "label": label_text(community, lang, names),
                "description": description_text(community, lang, names),
            }
        )
    return {**_common(result, lang), "communities": described}


# --------------------------------------------------------------------------- gaps


def _coverage(entry: Mapping[str, Any]) -> RoleCoverage:
    return RoleCoverage(
        id=entry["id"],
        kind=entry["kind"],
        name=entry["name"],
        organisations=entry["organisations"],
        activities=entry["activities"],
        present=tuple(entry["present"]),
        missing=tuple(entry["missing"]),
        role_counts=dict(entry["role_counts"]),
        generic_only=tuple(entry["generic_only"]),
        generic_groups={k: tuple(v) for k, v in entry["generic_groups"].items()},
        weak_industry=bool(entry["weak_industry"]),
    )


def wanted_row(entry: Mapping[str, Any], missing_role: str | None) -> bool:
    """Whether an activity belongs in the missing-roles list.

    Without ``missing_role``: it lacks a helix role, or its only industry partners are
    generic groups such as "mkb" (weak industry presence). With one: it lacks that
    role, or holds it only through generic groups (the row says which).
    """
    if missing_role is None:
        return bool(entry["missing"]) or bool(entry["weak_industry"])
    return missing_role in entry["missing"] or missing_role in entry["generic_only"]


def _role_row(entry: Mapping[str, Any], lang: Language) -> Result:
    return {
        **entry,
        "kind_name": t(lang, f"kind.{entry['kind']}"),
        "missing_names": [t(lang, f"role.{r}") for r in entry["missing"]],
        "present_names": [t(lang, f"role.{r}") for r in entry["present"]],
        "finding": finding_text(_coverage(entry), lang),
    }


def _pair(found: Mapping[str, Any]) -> ThemePair:
    return ThemePair(
        theme_a=found["theme_a"],
        theme_b=found["theme_b"],
        observed=found["observed"],
        expected=found["expected"],
        ratio=found["ratio"],
        shared_activities=found["shared_activities"],
        organisations=tuple(found["organisations"]),
        activities=tuple(found["activities"]),
        via_activities=tuple(found["via_activities"]),
    )


def _hole(found: Mapping[str, Any]) -> CommunityGap:
    return CommunityGap(
        community_a=found["community_a"],
        community_b=found["community_b"],
        size_a=found["size_a"],
        size_b=found["size_b"],
        ties=found["ties"],
        weight=found["weight"],
        density=found["density"],
        bridges=tuple(Bridge(**b) for b in found["bridges"]),
        candidates_a=tuple(Candidate(**c) for c in found["candidates_a"]),
        candidates_b=tuple(Candidate(**c) for c in found["candidates_b"]),
    )


def _named(items: Iterable[Mapping[str, Any]], names: Mapping[str, str]) -> list[Result]:
    return [{**item, "name": names.get(item["node"], item["node"])} for item in items]


def gaps_answer(result: Result, lang: Language, *, missing_role: str | None = None) -> Result:
    """Cross-overs, helix mix, missing roles and structural holes, worded in ``lang``.

    Every activity and theme of ``missing_roles`` gets its ``finding``; ``findings``
    lists those of the missing-roles list (see :func:`wanted_row`), narrowed to one
    role with ``missing_role``. Theme pairs get their theme names and a ``finding``;
    structural holes a ``description`` and the names of their bridges and candidates.
    """
    names = result.get("names", {})
    crossovers = result["theme_crossovers"]
    pairs = [
        {
            **pair,
            "theme_a_name": names.get(pair["theme_a"], pair["theme_a"]),
            "theme_b_name": names.get(pair["theme_b"], pair["theme_b"]),
            "finding": crossover_text(_pair(pair), lang, names),
        }
        for pair in crossovers["pairs"]
    ]
    roles = result["missing_roles"]
    activities = [
        _role_row(entry, lang)
        for entry in roles["activities"]
        if missing_role is None or wanted_row(entry, missing_role)
    ]
    themes = [_role_row(entry, lang) for entry in roles["themes"]]
    findings = [row["finding"] for row in activities if wanted_row(row, missing_role)] + [
        row["finding"] for row in themes if row["missing"]
    ]
    holes = [
        {
            **hole,
            "bridges": _named(hole["bridges"], names),
            "candidates_a": _named(hole["candidates_a"], names),
            "candidates_b": _named(hole["candidates_b"], names),
            "description": hole_text(_hole(hole), lang, names),
        }
        for hole in result["structural_holes"]
    ]
    return {
        **_common(result, lang, missing_role=missing_role),
        "theme_crossovers": {**crossovers, "pairs": pairs},
        "missing_roles": {
            **roles,
            "activities": activities,
            "themes": themes,
            "findings": findings,
        },
        "structural_holes": holes,
    }


def missing_roles_page(
    result: Result,
    lang: Language,
    *,
    missing_role: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Result:
    """One page of the missing-roles list (see :func:`wanted_row`), worded in ``lang``."""
    roles = result["missing_roles"]
    wanted = [entry for entry in roles["activities"] if wanted_row(entry, missing_role)]
    page = wanted[offset : offset + limit]
    return {
        **_common(result, lang, missing_role=missing_role),
        "total": len(wanted),
        "offset": offset,
        "limit": limit,
        "has_more": offset + len(page) < len(wanted),
        "count_generic": roles["count_generic"],
        "missing_counts": roles["missing_counts"],
        "weak_industry": sum(1 for entry in roles["activities"] if entry["weak_industry"]),
        "rows": [_role_row(entry, lang) for entry in page],
    }


# --------------------------------------------------------------------------- KPIs


def kpis_answer(result: Result, lang: Language) -> Result:
    """The KPIs with their ``labels`` in ``lang`` (one per indicator)."""
    fields = [*KPI_FIELDS, "industry_per_action", "industry_per_theme"]
    return {
        **_common(result, lang),
        "labels": {field: t(lang, f"kpi.{field}") for field in fields},
    }


def compare_answer(result: Result, lang: Language) -> Result:
    """The comparison of two versions, with its filters echoed."""
    return _common(result, lang)


def _common(result: Result, lang: Language, **extra: Any) -> Result:
    """The result with its ``filters`` echoed and named in ``lang``."""
    filters = {**result.get("filters", {}), **extra}
    return {**result, "filters": filter_echo(filters, result.get("names", {}), lang)}


# --------------------------------------------------------------------------- terminal


def _num(value: object, lang: Language, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return number(value, lang, digits)
    return str(value)


def _roles(roles: Iterable[str], lang: Language) -> str:
    return ", ".join(t(lang, f"role.{role}") for role in roles) or "–"


def summarise(
    analysis: str, answer: Result, lang: Language = "nl", *, top: int = 15
) -> list[Section]:
    """Tables for a terminal: (title, column headings, rows) of the headline findings.

    ``answer`` is a worded answer (:func:`brokers_answer` and the others) in ``lang``.
    """
    caption = answer["filters"]["caption"]
    if analysis == "brokers":
        rows = [
            [
                str(r["rank"]),
                r["name"],
                t(lang, f"role.{r['helix_role']}") if r["helix_role"] else "",
                _num(r["betweenness"], lang),
                _num(r["constraint"], lang),
                _num(r["effective_size"], lang, 1),
                r["reason"],
            ]
            for r in answer["rows"][:top]
        ]
        columns = [
            t(lang, "metric.rank"),
            t(lang, "csv.name"),
            t(lang, "filters.helix"),
            t(lang, "metric.betweenness"),
            t(lang, "metric.constraint"),
            t(lang, "metric.effective_size"),
            t(lang, "csv.reason"),
        ]
        title = t(lang, "broker.title", n=len(rows), v=answer["version"])
        return [(f"{title} — {caption}", columns, rows)]
    if analysis == "gaps":
        pairs = [
            [
                p["theme_a_name"],
                p["theme_b_name"],
                str(p["observed"]),
                _num(p["expected"], lang, 1),
                _num(p["ratio"], lang, 2),
            ]
            for p in answer["theme_crossovers"]["pairs"][:top]
        ]
        missing = [
            [
                t(lang, f"kind.{a['kind']}"),
                a["name"],
                _roles(a["missing"], lang),
                _roles(a["present"], lang),
                _roles(a["generic_only"], lang),
            ]
            for a in answer["missing_roles"]["activities"]
            if wanted_row(a, answer["filters"].get("missing_role"))
        ]
        return [
            (
                f"{t(lang, 'gap.title.crossovers')} — {caption}",
                [
                    t(lang, "csv.themeA"),
                    t(lang, "csv.themeB"),
                    t(lang, "csv.organisations"),
                    t(lang, "gaps.expected"),
                    t(lang, "gaps.ratio"),
                ],
                pairs,
            ),
            (
                f"{t(lang, 'gaps.missing')} — {caption}",
                [
                    t(lang, "csv.kind"),
                    t(lang, "csv.name"),
                    t(lang, "csv.missing"),
                    t(lang, "csv.present"),
                    t(lang, "csv.genericOnly"),
                ],
                missing,
            ),
        ]
    if analysis == "communities":
        rows = [
            [str(c["id"]), str(c["size"]), c["label"], c["description"]]
            for c in answer["communities"]
        ]
        title = t(
            lang,
            "communities.summary",
            n=len(answer["communities"]),
            q=number(answer["modularity"], lang, 3),
        )
        columns = [
            t(lang, "csv.community"),
            t(lang, "csv.size"),
            t(lang, "csv.name"),
            t(lang, "csv.description"),
        ]
        return [(f"{title} — {caption}", columns, rows)]
    labels = answer["labels"]
    rows = [[labels[field], _num(answer[field], lang)] for field in KPI_FIELDS]
    title = t(lang, "kpi.title", v=answer["version"])
    return [(f"{title} — {caption}", [t(lang, "csv.kpi"), t(lang, "csv.value")], rows)]
