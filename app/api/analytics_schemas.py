"""The answers of the analytics routes, typed and described for the OpenAPI document.

Every sentence, label and caption in an answer is in the answer's language: the `lang`
query parameter, else the request's `Accept-Language`, else Dutch. Names of themes,
actions, projects, networks and organisations are written as the agenda writes them, in
Dutch in both languages. Organisations, themes and activities are referred to by id; the
answer's `names` maps those ids to names. The examples come from the Drenthe graph,
filtered on the theme 'Medische technologie'.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from graph_schema import HelixRole

__all__ = [
    "BrokerRow",
    "BrokersAnswer",
    "CommunitiesAnswer",
    "CompareAnswer",
    "Filters",
    "GapsAnswer",
    "KpisAnswer",
    "MissingRoleRow",
    "MissingRolesPage",
]

IN_LANGUAGE = "in the answer's language (`lang`, else `Accept-Language`, else Dutch)"
ROLE_VALUES = "`government`, `knowledge`, `industry` or `civil_society`"
HELIX_ORDER = "in helix order (government, knowledge, industry, civil_society)"
PER_ROLE = f"Per helix role ({ROLE_VALUES})"


def _example(example: dict[str, Any]) -> ConfigDict:
    """A model configuration whose JSON schema carries one example of the whole answer."""
    return ConfigDict(json_schema_extra={"examples": [example]})


Version = Annotated[
    int,
    Field(
        description="The graph version the result was computed on: the store's version, "
        "raised by every write. Just after a write it may still be the previous version "
        "(see `HELIX_FRESH_WAIT`).",
        examples=[42],
    ),
]
Names = Annotated[
    dict[str, str],
    Field(
        description="Id → name of the themes, activities and organisations the result "
        "refers to by id, as the agenda writes them (Dutch in both languages).",
        examples=[{"theme-medische-technologie": "Medische technologie"}],
    ),
]

THEME_NAMES = {
    "theme-arbeidsmarkt-scholing": "Arbeidsmarkt en scholing",
    "theme-digitalisering": "Digitalisering",
    "theme-duurzaamheid": "Duurzaamheid",
    "theme-food-lifestyle": "Food & lifestyle",
    "theme-medische-technologie": "Medische technologie",
    "theme-ondernemerschap": "Versterken van ondernemerschap",
}


# --------------------------------------------------------------------------- filters


class Named(BaseModel):
    """A filter value and its name (themes: as the agenda writes them; roles, types and
    kinds of activity: in the answer's language)."""

    model_config = _example({"id": "theme-medische-technologie", "name": "Medische technologie"})

    id: str = Field(
        description="The value as sent: a theme id, a helix role, an organisation type or "
        "a kind of activity.",
        examples=["theme-digitalisering"],
    )
    name: str = Field(
        description="Its name: a theme as the agenda writes it; a role, type or kind "
        f"{IN_LANGUAGE}.",
        examples=["Digitalisering"],
    )


FILTERS_EXAMPLE: dict[str, Any] = {
    "theme": [{"id": "theme-medische-technologie", "name": "Medische technologie"}],
    "helix_role": [],
    "org_type": [],
    "place": [],
    "kind": [],
    "include_generic": False,
    "missing_role": None,
    "caption": "Thema: Medische technologie",
}


class Filters(BaseModel):
    """The filters the result was computed with, named, with a caption for a page.
    An empty list means the filter was not set. Filters added to the API later are
    echoed as sent."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [FILTERS_EXAMPLE]})

    theme: list[Named] = Field(
        description="Themes the activities were limited to (`theme`), with the names the "
        "agenda gives them.",
        examples=[[{"id": "theme-medische-technologie", "name": "Medische technologie"}]],
    )
    helix_role: list[Named] = Field(
        description="Helix roles the organisations were limited to (`helix_role`), named "
        f"{IN_LANGUAGE}.",
        examples=[[{"id": "industry", "name": "Bedrijfsleven"}]],
    )
    org_type: list[Named] = Field(
        description=f"Organisation types kept (`org_type`), named {IN_LANGUAGE}.",
        examples=[[{"id": "company", "name": "Bedrijf"}]],
    )
    place: list[str] = Field(
        description="Places kept, as sent: the `place` values (towns, provinces or "
        "regions), then `province` and `region`.",
        examples=[["Roden", "Drenthe"]],
    )
    kind: list[Named] = Field(
        description="Kinds of activity kept (`kind`: `Action`, `Project`, `Network`), "
        f"named {IN_LANGUAGE}.",
        examples=[[{"id": "Action", "name": "Actie"}]],
    )
    include_generic: bool = Field(
        description="Whether placeholder groups such as 'mkb' counted as organisations "
        "(`include_generic`).",
        examples=[False],
    )
    missing_role: HelixRole | None = Field(
        default=None,
        description="The role the missing-roles list was limited to (`missing_role`); null "
        "when it was not, and in answers without that list.",
        examples=["industry"],
    )
    caption: str = Field(
        description=f"The filters in one line for a caption, {IN_LANGUAGE}: 'Thema: "
        "Digitalisering · Rol: Bedrijfsleven', or 'Hele netwerk, geen filter'.",
        examples=["Thema: Medische technologie"],
    )


# --------------------------------------------------------------------------- brokers

REASON_FACTS_EXAMPLE: dict[str, Any] = {
    "code": "links",
    "partners": {"knowledge": 6, "industry": 4, "government": 1, "civil_society": 1},
    "themes": ["theme-medische-technologie", "theme-digitalisering"],
    "open_pairs": 36,
    "cut_off": 0,
}


class ReasonFacts(BaseModel):
    """The facts behind a broker's reason, free of language: for a client that words
    its own sentence."""

    model_config = _example(REASON_FACTS_EXAMPLE)

    code: str = Field(
        description="Which sentence the facts make: `isolated` (no partners), "
        "`works_with` (partners of one helix role) or `links` (partners of several).",
        examples=["links"],
    )
    partners: dict[str, int] = Field(
        description=f"Partners per primary helix role ({ROLE_VALUES}; `other` for "
        "partners without one), most numerous first.",
        examples=[{"knowledge": 6, "industry": 4, "government": 1}],
    )
    themes: list[str] = Field(
        description="Ids of up to two themes its ties share most (both ends work on "
        "them), most shared first; names in `names`.",
        examples=[["theme-medische-technologie", "theme-digitalisering"]],
    )
    open_pairs: int = Field(
        description="Unordered pairs of its partners that do not work together directly: "
        "the pairs it brokers between.",
        examples=[36],
    )
    cut_off: int = Field(
        description="Organisations its departure would cut off from the network (0: none).",
        examples=[0],
    )


CUT_OFF_EXAMPLE: dict[str, Any] = {
    "size": 2,
    "members": ["drenthe-college", "practoraat-zorg-en-technologie"],
}


class CutOffPiece(BaseModel):
    """A piece of the network an organisation's departure would cut off."""

    model_config = _example(CUT_OFF_EXAMPLE)

    size: int = Field(description="Organisations in the piece.", examples=[2])
    members: list[str] = Field(
        description="Ids of up to ten of them (all of a small piece), sorted.",
        examples=[["drenthe-college", "practoraat-zorg-en-technologie"]],
    )


BROKER_ROW_EXAMPLE: dict[str, Any] = {
    "id": "health-hub-roden",
    "name": "Health Hub Roden",
    "helix_role": "industry",
    "degree": 12,
    "betweenness": 0.335,
    "constraint": 0.3530,
    "effective_size": 7.7928,
    "brokerage": {
        "coordinator": 6,
        "itinerant": 18,
        "representative": 17,
        "gatekeeper": 17,
        "liaison": 14,
        "total": 72,
    },
    "brokerage_z": {
        "coordinator": 0.6747,
        "itinerant": 0.0,
        "representative": 0.7507,
        "gatekeeper": 0.7507,
        "liaison": -1.0268,
    },
    "is_articulation_point": False,
    "cut_off": 0,
    "cut_off_pieces": [],
    "score": 0.9327,
    "score_parts": {
        "betweenness": 0.9808,
        "effective_size": 0.9423,
        "constraint": 0.8654,
        "brokerage": 0.9423,
        "articulation_bonus": 0.0,
    },
    "rank": 4,
    "reason": "Health Hub Roden verbindt 6 kennisinstellingen met 4 bedrijven, 1 "
    "overheidsorganisatie en 1 maatschappelijke organisatie binnen de thema’s ‘Medische "
    "technologie’ en ‘Digitalisering’, en overbrugt 36 paren partners die niet rechtstreeks "
    "samenwerken.",
    "reason_facts": REASON_FACTS_EXAMPLE,
}


class BrokerRow(BaseModel):
    """One organisation of the broker ranking: how much of the network runs through it,
    between which helix roles, and why, in one sentence."""

    model_config = _example(BROKER_ROW_EXAMPLE)

    id: str = Field(description="The organisation's id.", examples=["health-hub-roden"])
    name: str = Field(
        description="Its name, as the agenda writes it (its id when it has none).",
        examples=["Health Hub Roden"],
    )
    helix_role: str | None = Field(
        description=f"Its primary helix role: {ROLE_VALUES}; null when it has none.",
        examples=["industry"],
    )
    degree: int = Field(
        description="Its partners: organisations of the subgraph it shares at least one "
        "action, project or network with.",
        examples=[12],
    )
    betweenness: float = Field(
        description="Normalised betweenness, 0 to 1: the share of the shortest paths "
        "between other organisations that run through it, with strong ties as short steps "
        "(length 1 / tie weight). Exact, or estimated from sampled sources in a large "
        "network (see `betweenness_sources`).",
        examples=[0.335],
    )
    constraint: float | None = Field(
        description="Burt's constraint, about 0 to 1: low means its partners are not "
        "tied to each other (it spans structural holes), 1 a single partner; null "
        "without partners.",
        examples=[0.353],
    )
    effective_size: float | None = Field(
        description="Burt's effective size: its partners less the redundancy among them, "
        "at most `degree` (tie strengths weigh in when `effective_size_weighted`); null "
        "without partners.",
        examples=[7.79],
    )
    brokerage: dict[str, int] = Field(
        description="Gould–Fernandez brokerage: ordered pairs of its partners that are not "
        "tied to each other, per role — `coordinator` (it and both partners share a "
        "helix role), `itinerant` (the partners share a role, it has another), "
        "`representative` and `gatekeeper` (it shares a role with one partner; the two "
        "counts are always equal), `liaison` (three different roles) — and `total`, "
        "twice its open pairs.",
        examples=[
            {
                "coordinator": 6,
                "itinerant": 18,
                "representative": 17,
                "gatekeeper": 17,
                "liaison": 14,
                "total": 72,
            }
        ],
    )
    brokerage_z: dict[str, float | None] = Field(
        description="Per brokerage role, the z-score of its count against the same "
        "network with the other organisations' helix roles shuffled (group sizes kept): "
        "above 2 is markedly more than chance, below −2 markedly less; null where "
        "shuffling cannot change the count.",
        examples=[{"coordinator": 0.67, "itinerant": 0.0, "liaison": -1.03}],
    )
    is_articulation_point: bool = Field(
        description="Whether its departure would split its part of the network in pieces.",
        examples=[False],
    )
    cut_off: int = Field(
        description="Organisations its departure would cut off from the largest "
        "remaining piece (0: none).",
        examples=[0],
    )
    cut_off_pieces: list[CutOffPiece] = Field(
        description="The pieces its departure would cut off, largest first; empty when none."
    )
    score: float = Field(
        description="Composite score, 0 to 1.1: the mean of four percentiles among the "
        "subgraph's organisations (betweenness, effective size, constraint reversed, "
        "total brokerage), plus 0.1 for an articulation point.",
        examples=[0.9327],
    )
    score_parts: dict[str, float] = Field(
        description="What the score is made of: the percentiles `betweenness`, "
        "`effective_size`, `constraint` (reversed: low constraint ranks high) and "
        "`brokerage`, each 0 to 1, and `articulation_bonus` (0 or 0.1).",
        examples=[
            {
                "betweenness": 0.9808,
                "effective_size": 0.9423,
                "constraint": 0.8654,
                "brokerage": 0.9423,
                "articulation_bonus": 0.0,
            }
        ],
    )
    rank: int = Field(
        description="Its place in the ranking: 1 for the highest score; equal scores are "
        "ordered by id.",
        examples=[4],
    )
    reason: str = Field(
        description=f"Why, in one sentence {IN_LANGUAGE}: the helix roles and themes of "
        "the partners it links, the pairs of partners it bridges and whom its departure "
        "would cut off.",
        examples=[BROKER_ROW_EXAMPLE["reason"]],
    )
    reason_facts: ReasonFacts = Field(
        description="The facts the sentence is made from, free of language."
    )


class BridgeTie(BaseModel):
    """A tie whose removal would split the network in two."""

    model_config = _example(
        {"u": "noordelijke-scholingsalliantie", "v": "provincie-drenthe", "u_side": 1, "v_side": 58}
    )

    u: str = Field(
        description="Id of the organisation at one end (the first in id order).",
        examples=["noordelijke-scholingsalliantie"],
    )
    v: str = Field(
        description="Id of the organisation at the other end.", examples=["provincie-drenthe"]
    )
    u_side: int = Field(
        description="Organisations left on u's side (u included) when the tie goes.",
        examples=[1],
    )
    v_side: int = Field(
        description="Organisations left on v's side (v included) when the tie goes.",
        examples=[58],
    )


class BrokersAnswer(BaseModel):
    """Who holds the (filtered) network together: every organisation ranked, with the
    numbers behind its rank and a reason; and the ties the network hangs on."""

    model_config = _example(
        {
            "version": 42,
            "filters": FILTERS_EXAMPLE,
            "names": THEME_NAMES,
            "rows": [
                {
                    "id": "provincie-drenthe",
                    "name": "Provincie Drenthe",
                    "helix_role": "government",
                    "degree": 9,
                    "betweenness": 0.2433,
                    "constraint": 0.2817,
                    "effective_size": 7.1481,
                    "brokerage": {
                        "coordinator": 0,
                        "itinerant": 32,
                        "representative": 4,
                        "gatekeeper": 4,
                        "liaison": 8,
                        "total": 48,
                    },
                    "brokerage_z": {
                        "coordinator": -0.4523,
                        "itinerant": 3.0411,
                        "representative": -0.3383,
                        "gatekeeper": -0.3383,
                        "liaison": -2.0908,
                    },
                    "is_articulation_point": True,
                    "cut_off": 2,
                    "cut_off_pieces": [CUT_OFF_EXAMPLE],
                    "score": 1.0038,
                    "score_parts": {
                        "betweenness": 0.9038,
                        "effective_size": 0.9038,
                        "constraint": 0.9423,
                        "brokerage": 0.8654,
                        "articulation_bonus": 0.1,
                    },
                    "rank": 1,
                    "reason": "Provincie Drenthe verbindt 7 kennisinstellingen met 1 "
                    "overheidsorganisatie en 1 bedrijf binnen de thema’s ‘Medische "
                    "technologie’ en ‘Arbeidsmarkt en scholing’, en overbrugt 24 paren "
                    "partners die niet rechtstreeks samenwerken; bij vertrek raken 2 "
                    "organisaties los van het netwerk.",
                    "reason_facts": {
                        "code": "links",
                        "partners": {"knowledge": 7, "government": 1, "industry": 1},
                        "themes": ["theme-medische-technologie", "theme-arbeidsmarkt-scholing"],
                        "open_pairs": 24,
                        "cut_off": 2,
                    },
                }
            ],
            "bridges": [],
            "nodes": 26,
            "edges": 73,
            "engine": "igraph",
            "betweenness_sources": None,
            "seed": 0,
            "effective_size_weighted": True,
            "group": "helix_role",
        }
    )

    version: Version
    filters: Filters = Field(description="The filters the ranking was computed with.")
    names: Names
    rows: list[BrokerRow] = Field(
        description="The organisations of the subgraph by rank; only the best `top` when asked."
    )
    bridges: list[BridgeTie] = Field(
        description="Ties whose removal would split the network in two, the most even "
        "split first; empty when there are none."
    )
    nodes: int = Field(description="Organisations in the subgraph.", examples=[26])
    edges: int = Field(
        description="Collaboration ties in the subgraph: pairs of organisations that "
        "share at least one action, project or network.",
        examples=[73],
    )
    engine: str = Field(
        description="The engine that computed the measures: `igraph` or `networkx` (they "
        "give the same numbers).",
        examples=["igraph"],
    )
    betweenness_sources: int | None = Field(
        description="Organisations sampled as path sources to estimate betweenness in a "
        "large network; null when betweenness is exact.",
        examples=[None],
    )
    seed: int | None = Field(
        description="Seed of that sample: the same graph gives the same ranking.",
        examples=[0],
    )
    effective_size_weighted: bool = Field(
        description="Whether effective size weighs ties by their strength (otherwise "
        "Borgatti's unweighted form, used for very large networks).",
        examples=[True],
    )
    group: str = Field(
        description="The organisation attribute whose values are the brokerage groups: "
        "`helix_role`, the primary helix role.",
        examples=["helix_role"],
    )


# --------------------------------------------------------------------------- gaps

MISSING_ROLE_ROW_EXAMPLE: dict[str, Any] = {
    "id": "project-technologie-in-beweging",
    "kind": "Project",
    "kind_name": "Project",
    "name": "Technologie in beweging",
    "organisations": 2,
    "activities": 1,
    "present": ["industry"],
    "missing": ["government", "knowledge", "civil_society"],
    "present_names": ["Bedrijfsleven"],
    "missing_names": ["Overheid", "Kennis & onderwijs", "Maatschappij"],
    "role_counts": {"government": 0, "knowledge": 0, "industry": 2, "civil_society": 0},
    "generic_only": ["industry"],
    "generic_groups": {"industry": ["Drentse ondernemers", "Duitse bedrijven"]},
    "weak_industry": True,
    "finding": "Project ‘Technologie in beweging’ heeft geen partner uit de overheid, de "
    "kenniswereld of de maatschappij; uit het bedrijfsleven alleen de algemene groepen "
    "‘Drentse ondernemers’ en ‘Duitse bedrijven’.",
}
THEME_ROLE_ROW_EXAMPLE: dict[str, Any] = {
    "id": "theme-arbeidsmarkt-scholing",
    "kind": "Theme",
    "kind_name": "Thema",
    "name": "Arbeidsmarkt en scholing",
    "organisations": 4,
    "activities": 1,
    "present": ["government", "knowledge", "civil_society"],
    "missing": ["industry"],
    "present_names": ["Overheid", "Kennis & onderwijs", "Maatschappij"],
    "missing_names": ["Bedrijfsleven"],
    "role_counts": {"government": 1, "knowledge": 2, "industry": 0, "civil_society": 2},
    "generic_only": [],
    "generic_groups": {},
    "weak_industry": False,
    "finding": "Thema ‘Arbeidsmarkt en scholing’ heeft in zijn enige activiteit geen "
    "partner uit het bedrijfsleven.",
}


class MissingRoleRow(BaseModel):
    """Which helix roles an action, project, network or theme brings together, and which
    it lacks. A role is present when a partner holds it as primary or secondary role;
    generic groups such as 'mkb' count, and `generic_only` says where only they do."""

    model_config = _example(MISSING_ROLE_ROW_EXAMPLE)

    id: str = Field(
        description="Id of the action, project, network or theme.",
        examples=["project-technologie-in-beweging"],
    )
    kind: str = Field(description="`Action`, `Project`, `Network` or `Theme`.", examples=["Action"])
    kind_name: str = Field(description=f"The kind {IN_LANGUAGE}.", examples=["Actie"])
    name: str = Field(
        description="Its name, as the agenda writes it.",
        examples=["BDRC ontwikkelen en positioneren"],
    )
    organisations: int = Field(
        description="Organisations taking part, generic groups such as 'mkb' included; "
        "for a theme, those of all its activities.",
        examples=[2],
    )
    activities: int = Field(
        description="1 for an activity; for a theme, the activities addressing it.",
        examples=[1],
    )
    present: list[HelixRole] = Field(
        description=f"Helix roles present, {HELIX_ORDER}.", examples=[["industry"]]
    )
    missing: list[HelixRole] = Field(
        description=f"Helix roles no partner holds, {HELIX_ORDER}.",
        examples=[["government", "knowledge", "civil_society"]],
    )
    present_names: list[str] = Field(
        description=f"The present roles {IN_LANGUAGE}, in the same order.",
        examples=[["Bedrijfsleven"]],
    )
    missing_names: list[str] = Field(
        description=f"The missing roles {IN_LANGUAGE}, in the same order.",
        examples=[["Overheid", "Kennis & onderwijs", "Maatschappij"]],
    )
    role_counts: dict[str, int] = Field(
        description=f"{PER_ROLE}, the partners holding it as primary or secondary role "
        "(a partner with two roles counts for both).",
        examples=[{"government": 0, "knowledge": 0, "industry": 2, "civil_society": 0}],
    )
    generic_only: list[HelixRole] = Field(
        description="Roles present only through generic groups such as 'mkb': no named "
        "organisation holds them.",
        examples=[["industry"]],
    )
    generic_groups: dict[str, list[str]] = Field(
        description="For each role of `generic_only`, the names of those groups, sorted.",
        examples=[{"industry": ["mkb"]}],
    )
    weak_industry: bool = Field(
        description="The only industry partners are generic groups such as 'mkb': weak "
        "industry presence.",
        examples=[True],
    )
    finding: str = Field(
        description=f"The result in one sentence, {IN_LANGUAGE}.",
        examples=[
            "Actie ‘BDRC ontwikkelen en positioneren’ heeft geen partner uit de overheid; "
            "uit het bedrijfsleven alleen de algemene groep ‘mkb’."
        ],
    )


MISSING_COUNTS_EXAMPLE = {"government": 3, "knowledge": 2, "industry": 2, "civil_society": 5}


class MissingRolesPage(BaseModel):
    """One page of the actions, projects and networks lacking a helix role, or whose
    only industry partners are generic groups such as 'mkb'."""

    model_config = _example(
        {
            "version": 42,
            "filters": {
                **FILTERS_EXAMPLE,
                "missing_role": "industry",
                "caption": "Thema: Medische technologie · zonder bedrijfsleven",
            },
            "names": THEME_NAMES,
            "total": 4,
            "offset": 0,
            "limit": 1,
            "has_more": True,
            "count_generic": True,
            "missing_counts": MISSING_COUNTS_EXAMPLE,
            "weak_industry": 2,
            "rows": [MISSING_ROLE_ROW_EXAMPLE],
        }
    )

    version: Version
    filters: Filters = Field(
        description="The filters the list was computed with, `missing_role` included."
    )
    names: Names
    total: int = Field(description="Activities in the whole list, over all pages.", examples=[4])
    offset: int = Field(description="Rows skipped, as asked (`offset`).", examples=[0])
    limit: int = Field(description="Most rows on a page, as asked (`limit`).", examples=[100])
    has_more: bool = Field(
        description="More rows follow: ask again with offset + limit.", examples=[False]
    )
    count_generic: bool = Field(
        description="Whether generic groups such as 'mkb' count as a role being present "
        "(they do; `generic_only` says where only they bring a role).",
        examples=[True],
    )
    missing_counts: dict[str, int] = Field(
        description=f"{PER_ROLE}, the activities of the subgraph lacking it or holding it "
        "only through generic groups (the `missing_role` list): all of them, whatever "
        "`missing_role` and the page.",
        examples=[MISSING_COUNTS_EXAMPLE],
    )
    weak_industry: int = Field(
        description="Activities of the subgraph whose only industry partners are generic "
        "groups such as 'mkb'.",
        examples=[2],
    )
    rows: list[MissingRoleRow] = Field(
        description="This page of the list: most roles missing first, then actions, "
        "projects and networks, then by id."
    )


THEME_PAIR_EXAMPLE: dict[str, Any] = {
    "theme_a": "theme-digitalisering",
    "theme_b": "theme-duurzaamheid",
    "theme_a_name": "Digitalisering",
    "theme_b_name": "Duurzaamheid",
    "observed": 1,
    "expected": 1.6923,
    "ratio": 0.5909,
    "shared_activities": 0,
    "organisations": ["nom"],
    "activities": [],
    "via_activities": ["action-duu-2", "action-duu-3", "action-mt-4"],
    "finding": "‘Digitalisering’ en ‘Duurzaamheid’ delen 1 organisatie, waar 1,7 verwacht wordt.",
}


class ThemePair(BaseModel):
    """A theme cross-over: organisations active on both themes, against what the themes'
    sizes lead one to expect."""

    model_config = _example(THEME_PAIR_EXAMPLE)

    theme_a: str = Field(
        description="Id of the first theme (the first in id order).",
        examples=["theme-digitalisering"],
    )
    theme_b: str = Field(description="Id of the second theme.", examples=["theme-duurzaamheid"])
    theme_a_name: str = Field(
        description="The first theme's name, as the agenda writes it.",
        examples=["Digitalisering"],
    )
    theme_b_name: str = Field(
        description="The second theme's name, as the agenda writes it.",
        examples=["Duurzaamheid"],
    )
    observed: int = Field(description="Organisations active on both themes.", examples=[1])
    expected: float = Field(
        description="Organisations expected on both if activity on one theme said nothing "
        "about the other: n_a × n_b / N (see `organisations_per_theme` and "
        "`n_organisations`).",
        examples=[1.6923],
    )
    ratio: float | None = Field(
        description="observed / expected: below 1 the themes share fewer organisations "
        "than chance (a weak cross-over), above 1 more; null when expected is 0.",
        examples=[0.5909],
    )
    shared_activities: int = Field(description="Activities addressing both themes.", examples=[0])
    organisations: list[str] = Field(
        description="Ids of the organisations active on both themes, sorted.", examples=[["nom"]]
    )
    activities: list[str] = Field(
        description="Ids of the activities addressing both themes, sorted.",
        examples=[["action-mt-4"]],
    )
    via_activities: list[str] = Field(
        description="Ids of the activities through which those organisations are active "
        "on either theme, sorted: the evidence behind `observed`.",
        examples=[["action-duu-2", "action-duu-3", "action-mt-4"]],
    )
    finding: str = Field(
        description=f"The cross-over in one sentence, {IN_LANGUAGE}.",
        examples=[THEME_PAIR_EXAMPLE["finding"]],
    )


CROSSOVERS_EXAMPLE: dict[str, Any] = {
    "themes": [
        "theme-arbeidsmarkt-scholing",
        "theme-digitalisering",
        "theme-duurzaamheid",
        "theme-medische-technologie",
    ],
    "n_organisations": 26,
    "organisations_per_theme": {
        "theme-arbeidsmarkt-scholing": 3,
        "theme-digitalisering": 11,
        "theme-duurzaamheid": 4,
        "theme-medische-technologie": 26,
    },
    "activities_per_theme": {
        "theme-arbeidsmarkt-scholing": 1,
        "theme-digitalisering": 3,
        "theme-duurzaamheid": 2,
        "theme-medische-technologie": 13,
    },
    "pairs": [THEME_PAIR_EXAMPLE],
}


class ThemeCrossovers(BaseModel):
    """Theme × theme cross-overs of the subgraph's activities, weakest first."""

    model_config = _example(CROSSOVERS_EXAMPLE)

    themes: list[str] = Field(
        description="Ids of the themes compared, sorted: those the subgraph's activities address.",
        examples=[["theme-digitalisering", "theme-medische-technologie"]],
    )
    n_organisations: int = Field(
        description="N: organisations active on at least one of these themes.", examples=[26]
    )
    organisations_per_theme: dict[str, int] = Field(
        description="Per theme id, n: the organisations active on it.",
        examples=[{"theme-digitalisering": 11, "theme-medische-technologie": 26}],
    )
    activities_per_theme: dict[str, int] = Field(
        description="Per theme id, the actions, projects and networks addressing it.",
        examples=[{"theme-digitalisering": 3, "theme-medische-technologie": 13}],
    )
    pairs: list[ThemePair] = Field(
        description="Every pair of themes, weakest first: lowest ratio, then fewest "
        "organisations observed; pairs without a ratio last."
    )


HELIX_MIX_EXAMPLE: dict[str, Any] = {
    "roles": ["government", "knowledge", "industry", "civil_society"],
    "sizes": {"government": 4, "knowledge": 12, "industry": 7, "civil_society": 3},
    "secondary": {"government": 5, "knowledge": 6, "industry": 7, "civil_society": 4},
    "ties": [[2, 14, 9, 0], [14, 11, 20, 7], [9, 20, 7, 2], [0, 7, 2, 1]],
    "weights": [
        [1.0333, 4.45, 5.4833, 0.0],
        [4.45, 3.1333, 5.35, 1.9333],
        [5.4833, 5.35, 2.8833, 0.4],
        [0.0, 1.9333, 0.4, 0.3333],
    ],
    "density": [
        [0.3333, 0.2917, 0.3214, 0.0],
        [0.2917, 0.1667, 0.2381, 0.1944],
        [0.3214, 0.2381, 0.3333, 0.0952],
        [0.0, 0.1944, 0.0952, 0.3333],
    ],
    "internal": {"government": 2, "knowledge": 11, "industry": 7, "civil_society": 1},
    "external": {"government": 23, "knowledge": 41, "industry": 31, "civil_society": 9},
    "ei_index": {"government": 0.84, "knowledge": 0.5769, "industry": 0.6316, "civil_society": 0.8},
    "ei_overall": 0.4247,
    "ei_index_weighted": {
        "government": 0.8116,
        "knowledge": 0.5785,
        "industry": 0.5915,
        "civil_society": 0.75,
    },
    "ei_overall_weighted": 0.4093,
}


class HelixMix(BaseModel):
    """Ties within and between the four helix groups, by primary helix role. Rows and
    columns of the matrices follow `roles`. A tie's weight: each activity two
    organisations share adds 1 / (participants − 1)."""

    model_config = _example(HELIX_MIX_EXAMPLE)

    roles: list[str] = Field(
        description=f"The four helix roles {HELIX_ORDER}: the rows and columns of `ties`, "
        "`weights` and `density`.",
        examples=[["government", "knowledge", "industry", "civil_society"]],
    )
    sizes: dict[str, int] = Field(
        description=f"{PER_ROLE}, the organisations holding it as primary role.",
        examples=[{"government": 4, "knowledge": 12, "industry": 7, "civil_society": 3}],
    )
    secondary: dict[str, int] = Field(
        description=f"{PER_ROLE}, the organisations holding it as a secondary role; noted "
        "only, not counted in the other fields.",
        examples=[{"government": 5, "knowledge": 6, "industry": 7, "civil_society": 4}],
    )
    ties: list[list[int]] = Field(
        description="4 × 4 symmetric matrix of tie counts between the groups; the "
        "diagonal holds the ties within a group.",
        examples=[HELIX_MIX_EXAMPLE["ties"]],
    )
    weights: list[list[float]] = Field(
        description="The same for the summed tie weights.",
        examples=[HELIX_MIX_EXAMPLE["weights"]],
    )
    density: list[list[float | None]] = Field(
        description="Ties over possible pairs, 0 to 1: n_g × n_h pairs between two "
        "groups, n_g × (n_g − 1) / 2 within one; null where no pair is possible.",
        examples=[HELIX_MIX_EXAMPLE["density"]],
    )
    internal: dict[str, int] = Field(
        description=f"{PER_ROLE}, I: ties with both ends in the group.",
        examples=[HELIX_MIX_EXAMPLE["internal"]],
    )
    external: dict[str, int] = Field(
        description=f"{PER_ROLE}, E: ties with one end in the group.",
        examples=[HELIX_MIX_EXAMPLE["external"]],
    )
    ei_index: dict[str, float | None] = Field(
        description=f"{PER_ROLE}, Krackhardt's E–I index (E − I) / (E + I), from −1 (all "
        "its ties stay inside the group) to 1 (all go to other groups); null for a group "
        "without ties.",
        examples=[HELIX_MIX_EXAMPLE["ei_index"]],
    )
    ei_overall: float | None = Field(
        description="The E–I index of the whole network, −1 to 1: ties between different "
        "groups against ties within groups, each counted once; null without ties.",
        examples=[0.4247],
    )
    ei_index_weighted: dict[str, float | None] = Field(
        description="`ei_index` with tie weights in place of counts.",
        examples=[HELIX_MIX_EXAMPLE["ei_index_weighted"]],
    )
    ei_overall_weighted: float | None = Field(
        description="`ei_overall` with tie weights in place of counts.", examples=[0.4093]
    )


MISSING_ROLES_EXAMPLE: dict[str, Any] = {
    "roles": ["government", "knowledge", "industry", "civil_society"],
    "count_generic": True,
    "activities": [MISSING_ROLE_ROW_EXAMPLE],
    "themes": [THEME_ROLE_ROW_EXAMPLE],
    "missing_counts": MISSING_COUNTS_EXAMPLE,
    "findings": [MISSING_ROLE_ROW_EXAMPLE["finding"], THEME_ROLE_ROW_EXAMPLE["finding"]],
}


class MissingRoles(BaseModel):
    """Helix roles present and missing per action, project, network and theme of the
    subgraph, judged on all partners of each activity."""

    model_config = _example(MISSING_ROLES_EXAMPLE)

    roles: list[str] = Field(
        description=f"The four helix roles {HELIX_ORDER}.",
        examples=[["government", "knowledge", "industry", "civil_society"]],
    )
    count_generic: bool = Field(
        description="Whether generic groups such as 'mkb' count as a role being present "
        "(they do; `generic_only` says where only they bring a role).",
        examples=[True],
    )
    activities: list[MissingRoleRow] = Field(
        description="Every action, project and network, most roles missing first (with "
        "`missing_role`, only those lacking that role or holding it only through generic "
        "groups)."
    )
    themes: list[MissingRoleRow] = Field(
        description="Every theme the activities address, judged on the partners of all "
        "its activities together, most roles missing first."
    )
    missing_counts: dict[str, int] = Field(
        description=f"{PER_ROLE}, the activities lacking it or holding it only through "
        "generic groups, whatever `missing_role`.",
        examples=[MISSING_COUNTS_EXAMPLE],
    )
    findings: list[str] = Field(
        description=f"The findings, one sentence each, {IN_LANGUAGE}: those of the "
        "missing-roles list (see /analytics/gaps/missing-roles), then those of themes "
        "lacking a role.",
        examples=[MISSING_ROLES_EXAMPLE["findings"]],
    )


class HoleMember(BaseModel):
    """An organisation named at a structural hole."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [{"node": "health-hub-roden", "name": "Health Hub Roden", "community": 1}]
        },
    )

    node: str = Field(description="The organisation's id.", examples=["health-hub-roden"])
    name: str = Field(
        description="Its name, as the agenda writes it.", examples=["Health Hub Roden"]
    )
    community: int | None = Field(
        description="Its own community (an `id` of /analytics/communities with the same "
        "filters, Louvain and seed 0); null when it belongs to none.",
        examples=[1],
    )


BRIDGE_EXAMPLE: dict[str, Any] = {
    "node": "health-hub-roden",
    "name": "Health Hub Roden",
    "community": 1,
    "ties": 6,
    "weight": 1.55,
}


class HoleBridge(HoleMember):
    """An organisation with ties across a structural hole: a member of one community
    with ties into the other, or a third party with ties into both."""

    model_config = _example(BRIDGE_EXAMPLE)

    ties: int = Field(
        description="Its ties reaching across: for a member of one of the two "
        "communities, those into the other; for a third party, those into both.",
        examples=[6],
    )
    weight: float = Field(description="The summed weight of those ties.", examples=[1.55])


class HoleCandidate(HoleMember):
    """A member of one side of a hole that nobody bridges, placed to reach out: used to
    working outside its own community."""

    model_config = _example(
        {
            "node": "health-hub-roden",
            "name": "Health Hub Roden",
            "community": 0,
            "external_share": 0.428,
            "external_weight": 3.4167,
            "degree": 13,
        }
    )

    external_share: float = Field(
        description="Share of its tie weight that leaves its own community, 0 to 1.",
        examples=[0.428],
    )
    external_weight: float = Field(description="That tie weight.", examples=[3.4167])
    degree: int = Field(description="Its number of partners.", examples=[13])


HOLE_EXAMPLE: dict[str, Any] = {
    "community_a": 0,
    "community_b": 2,
    "size_a": 10,
    "size_b": 6,
    "ties": 2,
    "weight": 1.0,
    "density": 0.0333,
    "bridges": [
        BRIDGE_EXAMPLE,
        {
            "node": "provincie-drenthe",
            "name": "Provincie Drenthe",
            "community": 0,
            "ties": 2,
            "weight": 1.0,
        },
    ],
    "candidates_a": [],
    "candidates_b": [],
    "description": "Tussen gemeenschap 0 (10 organisaties) en gemeenschap 2 (6 "
    "organisaties) lopen 2 verbindingen; verbonden via Health Hub Roden, Provincie "
    "Drenthe, IT Hub en 2 andere.",
}


class StructuralHole(BaseModel):
    """Two communities with few or no ties between them, and who bridges them or could."""

    model_config = _example(HOLE_EXAMPLE)

    community_a: int = Field(
        description="Id of one community (the lower), as in /analytics/communities with "
        "the same filters, Louvain and seed 0.",
        examples=[0],
    )
    community_b: int = Field(description="Id of the other community.", examples=[2])
    size_a: int = Field(description="Organisations in community a.", examples=[10])
    size_b: int = Field(description="Organisations in community b.", examples=[6])
    ties: int = Field(
        description="Ties between the two communities (0: no tie at all).", examples=[2]
    )
    weight: float = Field(description="The summed weight of those ties.", examples=[1.0])
    density: float = Field(description="ties / (size_a × size_b), 0 to 1.", examples=[0.0333])
    bridges: list[HoleBridge] = Field(
        description="Up to five organisations with ties across, strongest first."
    )
    candidates_a: list[HoleCandidate] = Field(
        description="When nobody bridges the two: up to five members of community a "
        "most turned outward (largest share of their tie weight leaving their community), "
        "best first; empty otherwise."
    )
    candidates_b: list[HoleCandidate] = Field(description="The same for community b.")
    description: str = Field(
        description=f"The hole in one sentence, {IN_LANGUAGE}.",
        examples=[HOLE_EXAMPLE["description"]],
    )


class GapsAnswer(BaseModel):
    """Where the (filtered) helix network is thinner than the agenda wants: cross-overs
    between themes, ties between helix groups, roles missing per activity, and holes
    between communities."""

    model_config = _example(
        {
            "version": 42,
            "filters": FILTERS_EXAMPLE,
            "names": {
                **THEME_NAMES,
                "health-hub-roden": "Health Hub Roden",
                "provincie-drenthe": "Provincie Drenthe",
            },
            "theme_crossovers": CROSSOVERS_EXAMPLE,
            "helix_mix": HELIX_MIX_EXAMPLE,
            "missing_roles": MISSING_ROLES_EXAMPLE,
            "structural_holes": [HOLE_EXAMPLE],
        }
    )

    version: Version
    filters: Filters = Field(
        description="The filters the result was computed with, `missing_role` included."
    )
    names: Names
    theme_crossovers: ThemeCrossovers = Field(
        description="Theme × theme cross-overs, observed against expected, weakest first."
    )
    helix_mix: HelixMix = Field(
        description="The helix × helix matrix of ties, with density and E–I index."
    )
    missing_roles: MissingRoles = Field(
        description="Per action, project, network and theme, the helix roles present and missing."
    )
    structural_holes: list[StructuralHole] = Field(
        description="Up to 20 pairs of communities (of at least two organisations) with "
        "the fewest ties between them, fewest first."
    )


# --------------------------------------------------------------------------- communities


class ThemeCount(BaseModel):
    """A dominant theme of a community."""

    model_config = _example({"theme": "theme-medische-technologie", "count": 9})

    theme: str = Field(
        description="The theme's id; its name in `names`.",
        examples=["theme-medische-technologie"],
    )
    count: int = Field(description="Members active on the theme.", examples=[9])


COMMUNITY_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "size": 9,
    "members": [
        "campusontwikkeling-emmen",
        "consortium-bio-based-emmen",
        "gemeente-emmen",
        "health-hub-roden",
        "ibdo",
        "it-hub",
        "nom",
        "techhub-assen",
        "tza",
    ],
    "themes": [
        {"theme": "theme-medische-technologie", "count": 9},
        {"theme": "theme-digitalisering", "count": 5},
        {"theme": "theme-duurzaamheid", "count": 4},
    ],
    "helix_mix": {"government": 2, "knowledge": 3, "industry": 4, "civil_society": 0},
    "label": "Medische technologie, Digitalisering — Bedrijfsleven 4, Kennis & onderwijs 3",
    "description": "Gemeenschap 1 telt 9 organisaties, vooral actief in ‘Medische "
    "technologie’ en ‘Digitalisering’; het grootst zijn 4 bedrijven en 3 "
    "kennisinstellingen.",
}


class Community(BaseModel):
    """One community: organisations that work together more among themselves than with
    the rest of the network."""

    model_config = _example(COMMUNITY_EXAMPLE)

    id: int = Field(
        description="0 is the largest; ranked by size, then by smallest member id.",
        examples=[1],
    )
    size: int = Field(description="Its members.", examples=[9])
    members: list[str] = Field(
        description="Ids of its organisations, sorted.",
        examples=[["health-hub-roden", "it-hub", "nom"]],
    )
    themes: list[ThemeCount] = Field(
        description="Up to three dominant themes: those most members are active on, most first."
    )
    helix_mix: dict[str, int] = Field(
        description=f"Members per primary helix role, {HELIX_ORDER}.",
        examples=[{"government": 2, "knowledge": 3, "industry": 4, "civil_society": 0}],
    )
    label: str = Field(
        description=f"Short label, {IN_LANGUAGE}: dominant themes and largest helix groups.",
        examples=[COMMUNITY_EXAMPLE["label"]],
    )
    description: str = Field(
        description=f"The community in one sentence, {IN_LANGUAGE}.",
        examples=[COMMUNITY_EXAMPLE["description"]],
    )


class CommunitiesAnswer(BaseModel):
    """Communities of the (filtered) collaboration network."""

    model_config = _example(
        {
            "version": 42,
            "filters": FILTERS_EXAMPLE,
            "names": THEME_NAMES,
            "method": "louvain",
            "engine": "networkx",
            "resolution": 1.0,
            "seed": 0,
            "modularity": 0.3856,
            "n_communities": 4,
            "min_size": 2,
            "communities": [COMMUNITY_EXAMPLE],
            "isolates": ["pureims"],
            "membership": {"health-hub-roden": 1, "it-hub": 1, "nom": 1, "pureims": 3},
        }
    )

    version: Version
    filters: Filters = Field(description="The filters the communities were found with.")
    names: Names
    method: str = Field(description="`louvain` or `leiden`, as asked.", examples=["louvain"])
    engine: str = Field(
        description="Where the method ran: `networkx` (Louvain) or `leidenalg` (Leiden) "
        "for a small network, `igraph` for a large one.",
        examples=["networkx"],
    )
    resolution: float = Field(
        description="The modularity resolution: 1.0 is classic modularity; larger values "
        "give more, smaller communities.",
        examples=[1.0],
    )
    seed: int = Field(
        description="Seed of the random order, as asked: the same graph, filters and seed "
        "give the same communities.",
        examples=[0],
    )
    modularity: float = Field(
        description="Modularity of the whole partition, −0.5 to 1: how much more weight "
        "lies inside the communities than chance would put there (above about 0.3: "
        "clear communities); 0 for a network without ties.",
        examples=[0.3856],
    )
    n_communities: int = Field(
        description="Communities of the whole partition, isolated organisations and other "
        "communities smaller than `min_size` included.",
        examples=[4],
    )
    min_size: int = Field(
        description="Communities smaller than this are left out of `communities`.",
        examples=[2],
    )
    communities: list[Community] = Field(
        description="The communities of at least `min_size` organisations, by id."
    )
    isolates: list[str] = Field(
        description="Ids of the organisations without ties in the subgraph, sorted; each "
        "is a community of its own.",
        examples=[["pureims"]],
    )
    membership: dict[str, int] = Field(
        description="Organisation id → community id, for every organisation of the "
        "subgraph (small communities and isolated organisations included).",
        examples=[{"health-hub-roden": 1, "it-hub": 1, "pureims": 3}],
    )


# --------------------------------------------------------------------------- KPIs

KPI_LABELS = {
    "organisations": "Organisaties",
    "ties": "Samenwerkingsverbanden",
    "density": "Dichtheid",
    "average_degree": "Gemiddeld aantal partners",
    "cross_helix_share": "Aandeel tussen helixrollen",
    "isolated": "Losse organisaties",
    "components": "Losse delen (componenten)",
    "largest_component_share": "Aandeel in grootste deel",
    "actions": "Acties",
    "actions_with_all_four_roles": "Acties met alle vier rollen",
    "helix_completeness": "Helix-volledigheid",
    "industry_per_action": "Bedrijven per actie",
    "industry_per_theme": "Bedrijven per thema",
}


class KpisAnswer(BaseModel):
    """The agenda's cooperation indicators ("de mate van samenwerking") of the
    (filtered) network."""

    model_config = _example(
        {
            "version": 42,
            "filters": FILTERS_EXAMPLE,
            "names": {
                **THEME_NAMES,
                "action-mt-1": "Health Hub Roden actief ondersteunen",
                "action-mt-2": "Business developer medtech bij de NOM",
            },
            "organisations": 26,
            "ties": 73,
            "density": 0.2246,
            "average_degree": 5.6154,
            "cross_helix_share": 0.7123,
            "isolated": 1,
            "components": 2,
            "largest_component_share": 0.9615,
            "actions": 8,
            "actions_with_all_four_roles": 7,
            "helix_completeness": 0.875,
            "industry_per_action": {"action-mt-1": 5, "action-mt-2": 5},
            "industry_per_theme": {
                "theme-digitalisering": 11,
                "theme-medische-technologie": 18,
            },
            "analysed_versions": [41, 42],
            "labels": KPI_LABELS,
        }
    )

    version: Version
    filters: Filters = Field(description="The filters the indicators were computed with.")
    names: Names
    organisations: int = Field(
        description="Organisations in the subgraph (placeholder groups such as 'mkb' only "
        "with `include_generic`).",
        examples=[26],
    )
    ties: int = Field(
        description="Collaboration ties: pairs of organisations that share at least one "
        "action, project or network.",
        examples=[73],
    )
    density: float = Field(
        description="Ties over all possible pairs of organisations, 0 to 1.", examples=[0.2246]
    )
    average_degree: float = Field(
        description="Mean number of partners per organisation.", examples=[5.6154]
    )
    cross_helix_share: float = Field(
        description="Share of the ties between organisations of different primary helix "
        "roles, 0 to 1.",
        examples=[0.7123],
    )
    isolated: int = Field(
        description="Organisations without any partner in the subgraph.", examples=[1]
    )
    components: int = Field(
        description="Separate parts of the network (each isolated organisation is one).",
        examples=[2],
    )
    largest_component_share: float = Field(
        description="Share of the organisations in the largest part, 0 to 1.",
        examples=[0.9615],
    )
    actions: int = Field(
        description="Actions of the agenda in the subgraph (projects and networks not counted).",
        examples=[8],
    )
    actions_with_all_four_roles: int = Field(
        description="Actions whose partners, generic groups such as 'mkb' included, hold "
        "all four helix roles (primary or secondary).",
        examples=[7],
    )
    helix_completeness: float = Field(
        description="Share of the actions with all four helix roles, 0 to 1 (0 without actions).",
        examples=[0.875],
    )
    industry_per_action: dict[str, int] = Field(
        description="Action id → its partners holding the industry role, primary or "
        "secondary (a generic group such as 'mkb' counts as one); names in `names`.",
        examples=[{"action-mt-1": 5, "action-mt-2": 5}],
    )
    industry_per_theme: dict[str, int] = Field(
        description="Theme id → the distinct partners holding the industry role over the "
        "theme's actions, projects and networks.",
        examples=[{"theme-digitalisering": 11, "theme-medische-technologie": 18}],
    )
    analysed_versions: list[int] = Field(
        description="Graph versions whose analysis this service still holds, oldest first: "
        "the values `since` of /analytics/compare accepts (once analysed with the same "
        "filters).",
        examples=[[41, 42]],
    )
    labels: dict[str, str] = Field(
        description=f"Field name → the indicator's label {IN_LANGUAGE}, for a table.",
        examples=[{"density": "Dichtheid", "helix_completeness": "Helix-volledigheid"}],
    )


COMPARE_EXAMPLE: dict[str, Any] = {
    "from": 41,
    "to": 42,
    "filters": FILTERS_EXAMPLE,
    "names": THEME_NAMES,
    "new_ties": [
        ["health-hub-roden", "treant"],
        ["it-hub", "treant"],
        ["nom", "treant"],
        ["treant", "tza"],
    ],
    "lost_ties": [],
    "new_organisations": ["treant"],
    "lost_organisations": [],
    "brokers_in": [],
    "brokers_out": [],
    "crossovers_gained": [],
    "crossovers_lost": [],
    "density_change": -0.0052,
    "cross_helix_share_change": 0.0149,
}


class CompareAnswer(BaseModel):
    """What changed in the (filtered) network between an earlier analysed version and
    the current one."""

    model_config = ConfigDict(
        populate_by_name=True, json_schema_extra={"examples": [COMPARE_EXAMPLE]}
    )

    from_version: int = Field(
        alias="from", description="The earlier version, as asked (`since`).", examples=[41]
    )
    to: int = Field(description="The current version it was compared with.", examples=[42])
    filters: Filters = Field(description="The filters both versions were analysed with.")
    names: Names
    new_ties: list[list[str]] = Field(
        description="Ties present now and not then: pairs of organisation ids, each pair "
        "in id order, sorted.",
        examples=[[["health-hub-roden", "treant"]]],
    )
    lost_ties: list[list[str]] = Field(
        description="Ties present then and not now, in the same form.",
        examples=[[["it-hub", "kpn"]]],
    )
    new_organisations: list[str] = Field(
        description="Ids of organisations in the subgraph now and not then, sorted.",
        examples=[["treant"]],
    )
    lost_organisations: list[str] = Field(
        description="Ids of organisations in the subgraph then and not now, sorted.",
        examples=[["pureims"]],
    )
    brokers_in: list[str] = Field(
        description="Ids of organisations new among the ten strongest brokers, sorted.",
        examples=[["health-hub-roden"]],
    )
    brokers_out: list[str] = Field(
        description="Ids of organisations no longer among the ten strongest brokers, sorted.",
        examples=[["springboard"]],
    )
    crossovers_gained: list[list[str]] = Field(
        description="Theme pairs some organisation now works on both of, and none did "
        "then: pairs of theme ids, sorted.",
        examples=[[["theme-digitalisering", "theme-food-lifestyle"]]],
    )
    crossovers_lost: list[list[str]] = Field(
        description="Theme pairs no organisation works on both of any more, in the same form.",
        examples=[[["theme-duurzaamheid", "theme-ondernemerschap"]]],
    )
    density_change: float = Field(
        description="Density now minus density then (see the KPIs).", examples=[-0.0052]
    )
    cross_helix_share_change: float = Field(
        description="Share of cross-helix ties now minus then (see the KPIs).",
        examples=[0.0149],
    )
