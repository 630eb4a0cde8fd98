"""Partner matching: ranked candidates with reasons and a warm introduction path."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from analytics.matching import MatchError, MatchWeights, Need
from app.api.deps import LangDep, StoreDep
from app.api.schemas import problem_doc, problem_example
from app.api.security import ReadAccess
from app.errors import InvalidRequestError
from app.services.matching import MatchService
from app.services.views import Hop, NodeRef
from graph_schema import HelixRole, OrgType
from graph_schema.i18n import Language
from graph_schema.models import ID_PATTERN

router = APIRouter(prefix="/api/v1/match", tags=["matching"])

Text = Annotated[str, Field(min_length=1, max_length=200)]
ThemeRef = Annotated[str, Field(pattern=ID_PATTERN, max_length=120)]


def get_service(request: Request) -> MatchService:
    service: MatchService = request.app.state.matching
    return service


ServiceDep = Annotated[MatchService, Depends(get_service)]
_DEFAULT = MatchWeights()


class Weights(BaseModel):
    """How much each score component counts (defaults: those the evaluation measured)."""

    model_config = ConfigDict(extra="forbid")

    structure: float = Field(
        default=_DEFAULT.structure,
        ge=0,
        le=100,
        description="Weight of common partners with recent ties (Adamic–Adar).",
        examples=[_DEFAULT.structure],
    )
    theme: float = Field(
        default=_DEFAULT.theme,
        ge=0,
        le=100,
        description="Weight of theme fit (the stated themes and keywords, else themes shared).",
        examples=[_DEFAULT.theme],
    )
    helix: float = Field(
        default=_DEFAULT.helix,
        ge=0,
        le=100,
        description="Weight of helix fit (the stated roles, else roles the asker lacks).",
        examples=[_DEFAULT.helix],
    )
    place: float = Field(
        default=_DEFAULT.place,
        ge=0,
        le=100,
        description="Weight of nearness to the asker or the stated place.",
        examples=[_DEFAULT.place],
    )
    activity: float = Field(
        default=_DEFAULT.activity,
        ge=0,
        le=100,
        description="Weight of how active the candidate is (recent activities count more).",
        examples=[_DEFAULT.activity],
    )
    existing: float = Field(
        default=_DEFAULT.existing,
        ge=0,
        le=100,
        description="Weight of the penalty for working with the asker or the team already.",
        examples=[_DEFAULT.existing],
    )
    stated: float = Field(
        default=_DEFAULT.stated,
        ge=0,
        le=100,
        description="Factor for the theme and place components when the request states them.",
        examples=[_DEFAULT.stated],
    )

    def to_weights(self) -> MatchWeights:
        return MatchWeights(**self.model_dump())


class MatchRequest(BaseModel):
    """A need to find partners for, with or without an asking organisation."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "themes": ["theme-digitalisering"],
                    "keywords": ["PGO"],
                    "roles": ["civil_society", "knowledge"],
                    "place": "Roden",
                    "exclude_types": ["government"],
                    "top": 5,
                }
            ]
        },
    )

    org: Text | None = Field(
        default=None, description="The asking organisation: id, name or alias.", examples=["bdrc"]
    )
    themes: list[ThemeRef] = Field(
        default=[],
        max_length=50,
        description="Theme ids the partners should work on.",
        examples=[["theme-digitalisering"]],
    )
    keywords: list[Text] = Field(
        default=[],
        max_length=20,
        description="Words to find in names, descriptions and activities.",
        examples=[["diabetes"]],
    )
    roles: list[HelixRole] = Field(
        default=[],
        description="Wanted helix roles (primary or secondary).",
        examples=[["industry"]],
    )
    place: Text | None = Field(
        default=None,
        description="A place, a province, 'Noord-Nederland' or a country code.",
        examples=["Roden"],
    )
    include_types: list[OrgType] = Field(
        default=[], description="Only organisations of these types.", examples=[["company"]]
    )
    exclude_types: list[OrgType] = Field(
        default=[], description="No organisations of these types.", examples=[["government"]]
    )
    team: list[Text] = Field(
        default=[],
        max_length=50,
        description="Organisations already on board (ids, names or aliases).",
        examples=[["health-hub-roden"]],
    )
    include_existing: bool = Field(
        default=False,
        description="Also propose current partners (with a penalty).",
        examples=[False],
    )
    top: int = Field(
        default=10, ge=1, le=100, description="Most candidates to return.", examples=[10]
    )
    lang: Language | None = Field(
        default=None,
        description="Language of every text in the answer: `nl` or `en`. Without it, the "
        "`lang` query parameter, else `Accept-Language`, else Dutch.",
        examples=["nl"],
    )
    weights: Weights | None = Field(
        default=None, description="Weights of the score components; null: the defaults."
    )

    def need(self) -> Need:
        return Need(
            org=self.org,
            themes=frozenset(self.themes),
            keywords=tuple(self.keywords),
            roles=frozenset(self.roles),
            place=self.place,
            include_types=frozenset(str(t) for t in self.include_types),
            exclude_types=frozenset(str(t) for t in self.exclude_types),
            team=tuple(self.team),
            include_existing=self.include_existing,
        )


class ComponentOut(BaseModel):
    name: str = Field(
        description="`structure`, `theme`, `helix`, `place`, `activity` or `existing`.",
        examples=["structure"],
    )
    value: float = Field(description="Between 0 and 1.", examples=[0.82])
    weight: float = Field(description="Its weight in this request.", examples=[1.0])
    contribution: float = Field(
        description="weight × value (negative: a penalty).", examples=[0.82]
    )


class IntroductionOut(BaseModel):
    length: int = Field(description="Collaboration steps.", examples=[2])
    introducers: list[NodeRef] = Field(
        description="The organisations in between, who can make the introduction."
    )
    hops: list[Hop] = Field(description="The steps, from the asker to the candidate.")
    summary: str = Field(
        description="The chain in one line: organisations and, in brackets, the activity "
        "behind each step.",
        examples=["Bethesda Diabetes Research Center (Samenwerking BDRC en IT Hub) — IT Hub"],
    )


class CandidateOut(BaseModel):
    rank: int = Field(description="1 for the best candidate.", examples=[1])
    id: str = Field(description="The organisation's id.", examples=["health-hub-roden"])
    name: str = Field(
        description="Its name, as the agenda writes it.", examples=["Health Hub Roden"]
    )
    helix_role: str = Field(
        description="The primary helix role: the one the explorer shows.", examples=["industry"]
    )
    helix_roles: list[str] = Field(
        description="The primary role followed by the secondary ones.",
        examples=[["industry", "knowledge", "government"]],
    )
    role_label: str = Field(
        description="The primary helix role as the explorer names it, in the answer's language.",
        examples=["Bedrijfsleven"],
    )
    org_type: str = Field(description="Its organisation type.", examples=["network_organisation"])
    type_label: str = Field(
        description="The organisation type in the answer's language.",
        examples=["Netwerkorganisatie"],
    )
    place: str | None = Field(description="Where it is; null when unknown.", examples=["Roden"])
    score: float = Field(
        description="The sum of the components' contributions; higher is better.",
        examples=[1.3],
    )
    components: list[ComponentOut] = Field(description="What the score is made of.")
    shared_partners: list[NodeRef] = Field(description="The strongest five common partners.")
    shared_partner_count: int = Field(
        description="Partners it has in common with the asker or the team.", examples=[3]
    )
    shared_themes: list[NodeRef] = Field(
        description="The stated themes it works on; without stated themes, those it shares "
        "with the asker or the team, its most active first."
    )
    keywords: list[str] = Field(
        description="The stated keywords found in what the candidate is or does.",
        examples=[["diabetes"]],
    )
    eligible_through: str = Field(
        description="What made it eligible for the stated roles and types: `primary` (its "
        "primary role), `secondary` (a secondary role), `type` (a stated organisation "
        "type) or `any` (no role or type stated).",
        examples=["secondary"],
    )
    eligibility: str | None = Field(
        description="The sentence saying so when a secondary role or a type made it eligible.",
        examples=["komt in aanmerking via zijn nevenrol Kennis & onderwijs"],
    )
    reasons: list[str] = Field(
        description="Why it fits, one phrase each, in the answer's language.",
        examples=[["werkt samen met 3 partners van BDRC (IT Hub, UMCG en HZD)"]],
    )
    penalty: str | None = Field(
        description="The existing-tie penalty as a sentence (also among `reasons`): it "
        "already works with the asker or members of the team, a minus rather than a reason.",
        examples=["werkt al met 1 lid van het team samen — minder nieuw"],
    )
    explanation: str = Field(
        description="Its name and the reasons in one sentence, in the answer's language.",
        examples=["Health Hub Roden: werkt samen met 3 partners van BDRC (IT Hub, UMCG en HZD)."],
    )
    introduction: IntroductionOut | None = Field(
        description="The shortest chain of existing collaborations to it; null when there is none."
    )
    introduction_note: str = Field(
        description="How the introduction goes, or why there is none.",
        examples=["introductie via IT Hub"],
    )


class RemovalOut(BaseModel):
    constraint: str = Field(
        description="`family`, `existing`, `roles`, `include_types`, `exclude_types` or "
        "`topics` (the stated themes and keywords).",
        examples=["existing"],
    )
    count: int = Field(
        description="Organisations it left out, of those the constraints before it left in.",
        examples=[4],
    )
    examples: list[NodeRef] = Field(description="Up to five of them, the most active first.")
    text: str = Field(
        description="The removal in words, in the answer's language.",
        examples=[
            "4 werken al met Bethesda Diabetes Research Center samen (IT Hub, UMCG, HZD "
            "en Treant Zorggroep)"
        ],
    )


class SuggestionOut(BaseModel):
    constraint: str = Field(
        description="The constraint to relax (empty: no single one helps).", examples=["existing"]
    )
    candidates: int = Field(description="Candidates without it alone.", examples=[4])
    text: str = Field(
        description="The suggestion in words, in the answer's language.",
        examples=["Neem ook huidige partners mee: dat geeft 4 kandidaten."],
    )


class ExplanationOut(BaseModel):
    removed_by: list[RemovalOut] = Field(
        description="Per stated constraint, in order, whom it left out."
    )
    suggestions: list[SuggestionOut] = Field(
        description="When fewer candidates than asked remain: what relaxing each constraint "
        "alone would give."
    )
    relaxed: list[str] = Field(
        description="Constraints dropped to give the candidates shown: `topics` when the stated "
        "themes and keywords left no new partner for an asker or team.",
        examples=[["topics"]],
    )
    summary: str | None = Field(
        description="A sentence for an empty or relaxed answer; null when every candidate "
        "meets every constraint.",
        examples=["Geen kandidaten. Van 69 organisaties vielen af: …"],
    )


class MatchResponse(BaseModel):
    version: int = Field(description="Graph version the answer is for.", examples=[3])
    as_of: str = Field(description="Date recency is measured from.", examples=["2024-01-01"])
    asker: NodeRef | None = Field(
        description="The asking organisation, as resolved; null for a need without one."
    )
    eligible: int = Field(description="Organisations that could be proposed.", examples=[64])
    candidates: list[CandidateOut] = Field(description="The candidates, best first.")
    weights: dict[str, float] = Field(
        description="The weights the score used.", examples=[{"structure": 1.0, "theme": 0.1}]
    )
    explanation: ExplanationOut = Field(
        description="Whom the constraints left out and what to relax; says why an answer is empty."
    )


def _run(service: MatchService, body: MatchRequest, lang: Language) -> dict[str, Any]:
    try:
        weights = body.weights.to_weights() if body.weights else None
    except MatchError as error:
        raise InvalidRequestError(f"{error.field}: {error.text(body.lang or lang)}") from error
    return service.match(body.need(), weights=weights, top=body.top, lang=body.lang or lang)


@router.get(
    "/partners",
    summary="Partners for an organisation, ranked, explained, with an introduction",
    response_model=MatchResponse,
    responses={
        404: problem_doc(
            "`org` names no organisation; the detail names the similar ones, when there are any.",
            problem_example(
                404,
                "Niet gevonden",
                "org: geen organisatie heeft id, naam of alias 'KPM'; dichtstbij: KPN (kpn)",
                "/api/v1/match/partners",
            ),
        )
    },
)
async def partners(
    _: ReadAccess,
    service: ServiceDep,
    lang: LangDep,
    org: Annotated[str, Query(min_length=1, max_length=200, description="Id, name or alias.")],
    theme: Annotated[
        list[Annotated[str, Query(pattern=ID_PATTERN, max_length=120)]] | None,
        Query(description="Only partners working on these themes."),
    ] = None,
    keyword: Annotated[
        list[Annotated[str, Query(min_length=1, max_length=200)]] | None,
        Query(description="Only partners matching these words."),
    ] = None,
    role: Annotated[list[HelixRole] | None, Query(description="Wanted helix roles.")] = None,
    place: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Prefer partners near this place: a town, a province, "
            "'Noord-Nederland' or a country code.",
        ),
    ] = None,
    include_type: Annotated[
        list[OrgType] | None, Query(description="Only organisations of these types.")
    ] = None,
    exclude_type: Annotated[
        list[OrgType] | None, Query(description="No organisations of these types.")
    ] = None,
    include_existing: Annotated[
        bool, Query(description="Also propose current partners (with a penalty).")
    ] = False,
    top: Annotated[int, Query(ge=1, le=100, description="Most candidates to return.")] = 10,
) -> dict[str, Any]:
    """Organisations the asker does not work with yet, best first. Each comes with its
    score and components (structural proximity: recency-weighted Adamic–Adar; theme fit;
    helix complementarity: the roles the asker's collaborations lack; place; activity;
    the penalty for existing ties), the reasons in plain language and the introduction
    path: the shortest chain of existing collaborations, naming the introducers and the
    action, project or network behind each step. Existing partners, the asker's own
    family and placeholder groups are never proposed; equal scores are ordered by id."""
    body = MatchRequest(
        org=org,
        themes=theme or [],
        keywords=keyword or [],
        roles=role or [],
        place=place,
        include_types=include_type or [],
        exclude_types=exclude_type or [],
        include_existing=include_existing,
        top=top,
    )
    return await run_in_threadpool(_run, service, body, lang)


@router.post(
    "",
    summary="Partners for a need: themes, roles, place, types, keywords",
    response_model=MatchResponse,
)
async def match(
    store: StoreDep, _: ReadAccess, service: ServiceDep, body: MatchRequest, lang: LangDep
) -> dict[str, Any]:
    """Match a need described without (or with) an asking organisation: a start-up, a
    project idea. Stated roles and organisation types filter the candidates, stated
    themes and keywords must be met by at least one of them and count more, as does a
    stated place. With a team (organisations already on board), introductions start
    from its nearest member and its current partners carry the existing-tie penalty.
    Weights can be set per request. A read: it changes nothing. Texts are Dutch unless
    `lang` (in the body or the query) or `Accept-Language` asks for English."""
    return await run_in_threadpool(_run, service, body, lang)
