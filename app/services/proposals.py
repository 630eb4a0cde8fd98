"""Proposals from a new document: its organisations, their links to activities, new activities.

A document (an agenda, a project plan, a news item; PDF, .docx or text) is read into
paragraphs under headings (:mod:`app.services.documents`), cut into sentences and list
items, and read with the graph as gazetteer:

- **organisations**: every spelling (name and aliases) of the stored organisations is
  looked up, ignoring case, accents, spaces and punctuation (:func:`graph_schema.names.name_key`),
  also across a word the line break split (``patiënten- organisaties``) and in Dutch
  ellipses (``zorg- en kennisinstellingen``). Names the graph does not know are found by
  their shape: a cue word of a legal form or kind (Stichting, B.V., Gemeente, Hogeschool,
  Universiteit, Zorggroep, Ziekenhuis, GGD, Provincie, Health Hub, …), an abbreviation
  spelt out in brackets, the items of a "Met wie?" list, or capitalised words after a
  verb of cooperation ("samen met …"). The cue word proposes the helix role and the
  organisation type, and is given as the evidence.
- **links**: an organisation and an activity (action, project, network) in one sentence
  or list item, with a cue verb: *neemt deel*, *partners*, *samen met* → PARTNER_IN an
  action, PARTICIPATES_IN a project (partner), MEMBER_OF a network; *penvoerder*,
  *trekker*, *leidt* → PARTICIPATES_IN as lead (RUNS a network); *financiert* →
  SUPPORTS; *lid van*, *aangesloten bij*, *bestaat uit* → MEMBER_OF. English alike. The
  rows of an action table ("Wat gaan we doen? / Met wie?") link the organisations of a
  row's "Met wie?" cell to the row's action.
- **activities**: the actions, projects and networks named, matched to the graph or new
  (a table row the graph does not know, "het project ‘X’", "netwerk X").

Every item carries the verbatim quote and the section (heading) it comes from. Nothing is
written to the graph: a proposal is a JSON file under ``HELIX_DATA_DIR/proposals`` until
it is reviewed (:func:`review`).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from app.errors import InvalidGraphError, NotFoundError, quoted
from app.services.documents import TextDocument, read_document
from app.services.editing import Batch, apply_batch
from app.store import GraphStore
from graph_schema import (
    ACTIVITY_KINDS,
    GraphData,
    HelixRole,
    Node,
    NodeLabel,
    OrgType,
    Problem,
    RelType,
)
from graph_schema.i18n import Language, t
from graph_schema.models import Relationship
from graph_schema.names import name_key
from graph_schema.wording import FieldError

__all__ = [
    "Decision",
    "Gazetteer",
    "ProposalStore",
    "proposal_lines",
    "propose",
    "propose_document",
    "review",
    "review_batch",
    "slug",
]

# --------------------------------------------------------------------------- cue words

# (pattern on the lowercased, accent-free name, helix role, organisation type); the first
# that matches wins, so 'Stichting Health Hub Roden' is a network organisation
_ORG_CUES: tuple[tuple[str, HelixRole, OrgType], ...] = (
    # a company's legal form says most
    (r"\bb\.v\.|\bbv$|\bn\.v\.|\bnv$|gmbh|\bltd\b|\binc\b", HelixRole.INDUSTRY, OrgType.COMPANY),
    (r"ministerie|ministry", HelixRole.GOVERNMENT, OrgType.GOVERNMENT),
    (
        r"gemeenten?|municipality|provincies?|province|waterschap|landkreis|rijksoverheid|ggd",
        HelixRole.GOVERNMENT,
        OrgType.GOVERNMENT,
    ),
    (
        r"ontwikkelings ?maatschappij|development agency",
        HelixRole.GOVERNMENT,
        OrgType.DEVELOPMENT_AGENCY,
    ),
    (r"fonds|fund", HelixRole.GOVERNMENT, OrgType.FUNDING_BODY),
    (
        r"universit|instituut|institute|research|kenniscentrum|"
        r"onderzoeks",
        HelixRole.KNOWLEDGE,
        OrgType.KNOWLEDGE_INSTITUTION,
    ),
    (
        r"hogeschool|hochschule|academie|academy|college|roc|school|opleiding",
        HelixRole.KNOWLEDGE,
        OrgType.EDUCATION,
    ),
    (
        r"ziekenhuis|hospital|zorggroep|zorgorganisatie|huisarts|ggz|kliniek|clinic|thuiszorg|"
        r"verpleeghuis|apothe|zorgcentrum|care",
        HelixRole.CIVIL_SOCIETY,
        OrgType.CARE_PROVIDER,
    ),
    (r"patient", HelixRole.CIVIL_SOCIETY, OrgType.PATIENT_ORGANISATION),
    (
        r"health hub|hub|cluster|platform|cooperati|coöperati|netwerk|network|campus|consortium",
        HelixRole.INDUSTRY,
        OrgType.NETWORK_ORGANISATION,
    ),
    (
        r"ondernemersvereniging|ondernemers|business|kamer van koophandel|chamber of commerce",
        HelixRole.INDUSTRY,
        OrgType.BUSINESS_ASSOCIATION,
    ),
    (
        r"bedrijf|company|pharma|medical|tech",
        HelixRole.INDUSTRY,
        OrgType.COMPANY,
    ),
    (
        r"stichting|foundation|vereniging|association",
        HelixRole.CIVIL_SOCIETY,
        OrgType.CIVIL_SOCIETY_ORGANISATION,
    ),
)

# words that make a capitalised run an organisation name (before or after it)
_HEAD_WORDS = (
    "stichting|gemeente|provincie|hogeschool|universiteit|zorggroep|ziekenhuis|ggd|"
    "ministerie|hochschule|coöperatie|cooperatie|vereniging|foundation|university|"
    "municipality|province|roc|academie|instituut|landkreis"
)
_TAIL_WORDS = (
    "b\\.v\\.|bv|n\\.v\\.|nv|gmbh|ltd|inc|zorggroep|ziekenhuis|universiteit|university|"
    "hogeschool|college|instituut|institute|groep|group|foundation|health hub|hub|campus|"
    "centrum|center|centre|academie|academy|hospital|pharma|medical|coöperatief|cooperative"
)
_GENERIC_TAILS = (
    "instellingen",
    "organisaties",
    "bedrijven",
    "ondernemers",
    "gemeenten",
    "overheden",
    "scholen",
    "apothekers",
    "therapeuten",
    "waterschappen",
    "partijen",
    "regio’s",
    "regios",
    "huisartsen",
    "companies",
    "organisations",
    "organizations",
    "institutions",
    "municipalities",
    "hospitals",
    "universities",
    "schools",
    "mkb",
    "sme",
    "smes",
)
_GENERIC_PLAIN = tuple(
    unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode() for t in _GENERIC_TAILS
)
_ABBREVIATION_STOP = frozenset(
    [
        "AI",
        "ICT",
        "IT",
        "EU",
        "NL",
        "DE",
        "DU",
        "NED",
        "KPI",
        "SDG",
        "SDGS",
        "PDF",
        "CO2",
        "HBO",
        "MBO",
        "VO",
        "VMBO",
        "HR",
        "RD",
        "R&D",
        "COVID",
        "BV",
        "NV",
        "ICT",
        "UN",
        "MKB",
        "SME",
        "SMES",
        "EHEALTH",
        "II",
        "III",
        "IV",
        "VI",
        "VA",
        "VB",
        "ERDF",
        "EFRO",
        "KIA",
        "RIS3",
        "PGO",
        "GGZ",
        "ROC",
    ]
)

_LIST_HEADERS = re.compile(r"met wie\s*\?|with whom\s*\?|partners\s*:|partijen\s*:", re.I)

# cue verbs, on lowercased text; each with what it makes of the link
_LEAD = re.compile(
    r"\b(penvoerder|trekker|trekt|leidt|geleid door|onder leiding van|ontwikkeld door|"
    r"opgezet door|co[oö]rdineert|coördinator|coordinator|lead partner|leads|led by|"
    r"is leading|initiatiefnemer)\b"
)
_FUND = re.compile(
    r"\b(financiert|financieren|financiering|gefinancierd|subsidie\w*|subsidieert|"
    r"bijgedragen aan|cofinancier\w*|funds|funded|funding|grant\w*|sponsor\w*)\b"
)
_MEMBER = re.compile(
    r"\b(lid van|leden|lidmaatschap|aangesloten bij|bestaat uit|gevormd door|"
    r"member of|members|consists of|joined|sluit aan|sluiten aan|verbonden|connected)"
)
_TAKE_PART = re.compile(
    r"\b(neemt deel|nemen deel|deelnemen|deelnemers|deelname|doen mee|doet mee|"
    r"partners?|samen met|in samenwerking met|i\.s\.m\.|samenwerk\w*|werken samen|werkt samen|"
    r"participeren|participeert|participate\w*|betrokken|takes? part|together with|"
    r"in cooperation with|collaborat\w*|cooperat\w*|join\w*|overleg|elkaar gevonden|"
    r"starten|start|starts|started|begint|beginnen|lanceren|lanceert|launch\w*|"
    r"in talks with)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9À-Ý•])")
_ABBREVIATIONS = (
    "o.a.",
    "i.s.m.",
    "t.b.v.",
    "bijv.",
    "m.n.",
    "e.g.",
    "i.e.",
    "etc.",
    "red.",
    "nl.",
    "ca.",
    "vs.",
    "mr.",
    "dr.",
    "prof.",
    "St.",
    "b.v.",
    "B.V.",
    "N.V.",
    "n.v.",
    "z.g.",
)
_WE = re.compile(r"\b(we|wij|ons|onze|us|our)\b", re.I)
_AUTHOR = re.compile(
    r"(?:uitgave van|uitgegeven door|published by|a publication of|opgesteld door)\s+"
    r"(?:de |het |the )?(?P<name>[^.\n,;]{2,80})",
    re.I,
)
_TOKEN = re.compile(r"[^\W_]+(?:[&'’][^\W_]+)*")


def slug(text: str) -> str:
    """An id from a name: 'Stichting Zorg & Co' -> 'stichting-zorg-co'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:100] or "organisatie"


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _cue_of(name: str) -> tuple[HelixRole, OrgType, str] | None:
    lowered = _plain(name)
    for pattern, role, org_type in _ORG_CUES:
        match = re.search(pattern, lowered)
        if match:
            return role, org_type, match.group(0)
    return None


# --------------------------------------------------------------------------- gazetteer


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    label: str
    name: str


@dataclass
class Gazetteer:
    """The graph's names and aliases by comparison key, and the actions by their text."""

    by_key: dict[str, list[Entry]] = field(default_factory=dict)
    exact_case: dict[str, str] = field(default_factory=dict)  # key -> spelling that must match
    actions: list[tuple[str, str, str]] = field(default_factory=list)  # id, name, anchor key
    themes: dict[str, str] = field(default_factory=dict)  # key of theme name -> id
    ids: set[str] = field(default_factory=set)
    links: set[tuple[str, str, str]] = field(default_factory=set)  # type, source, target
    any_case: set[str] = field(default_factory=set)
    longest: int = 1

    @classmethod
    def from_graph(cls, graph: GraphData, *, hidden: Iterable[str] = ()) -> Gazetteer:
        gazetteer = cls()
        skip = set(hidden)
        for node in graph.nodes:
            gazetteer.ids.add(node.id)
            if node.id in skip:
                continue
            label = str(node.label)
            if label == NodeLabel.THEME:
                gazetteer.themes[name_key(node.name)] = node.id
                continue
            if label == NodeLabel.ACTION:
                anchor = node.provenance.quote if node.provenance else None
                what = getattr(node, "what", "") or ""
                text = anchor or re.split(r"(?<=[.!?])\s", what)[0]
                if name_key(text):
                    gazetteer.actions.append((node.id, node.name, name_key(text)))
                continue
            if label not in (
                NodeLabel.ORGANISATION,
                NodeLabel.PROJECT,
                NodeLabel.NETWORK,
                NodeLabel.PROGRAMME,
            ):
                continue
            entry = Entry(node.id, label, node.name)
            spellings = [node.name, *getattr(node, "aliases", ())]
            for spelling in dict.fromkeys(spellings):
                gazetteer.add(spelling, entry)
        gazetteer.links = {(str(r.type), r.source, r.target) for r in graph.relationships}
        return gazetteer

    def add(self, spelling: str, entry: Entry) -> None:
        key = name_key(spelling)
        if len(key) < 2:
            return
        known = self.by_key.setdefault(key, [])
        if all(e.id != entry.id for e in known):
            known.append(entry)
        words = _TOKEN.findall(spelling)
        self.longest = max(self.longest, len(words) + 2)
        # one short word written with capitals ('Rijk', 'EZ', 'Hanze') names the
        # organisation only when the text writes it with capitals too
        if spelling.islower() or key in self.any_case:
            self.any_case.add(key)
            self.exact_case.pop(key, None)
        elif len(words) == 1 and spelling[:1].isupper():
            self.exact_case[key] = "upper" if spelling.isupper() else "capital"

    def lookup(self, key: str, surface: str) -> list[Entry]:
        entries = self.by_key.get(key, [])
        rule = self.exact_case.get(key)
        if entries and rule == "upper" and not surface.replace("&", "").isupper():
            return []
        if entries and rule == "capital" and not surface[:1].isupper():
            return []
        return entries


# --------------------------------------------------------------------------- mentions


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    surface: str
    entries: tuple[Entry, ...] = ()
    new_name: str | None = None  # an organisation the graph does not know
    cue: str | None = None  # why it is taken for an organisation
    generic: bool = False


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def _gazetteer_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    tokens = _tokens(text)
    keys = [name_key(tok) for _, _, tok in tokens]
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        hit: Mention | None = None
        for n in range(min(gazetteer.longest, len(tokens) - i), 0, -1):
            # a name does not run over a sentence's end or a comma
            gap = text[tokens[i][0] : tokens[i + n - 1][1]]
            if n > 1 and re.search(r"[;:.!?]\s", gap):
                continue
            key = "".join(keys[i : i + n])
            surface = gap
            entries = gazetteer.lookup(key, surface)
            if entries:
                hit = Mention(tokens[i][0], tokens[i + n - 1][1], surface, tuple(entries))
                break
        if hit is None:
            i += 1
            continue
        found.append(hit)
        i += len(_tokens(hit.surface))
    found.extend(_ellipses(text, tokens, keys, found, gazetteer))
    return sorted(found, key=lambda m: m.start)


def _ellipses(
    text: str,
    tokens: list[tuple[int, int, str]],
    keys: list[str],
    found: list[Mention],
    gazetteer: Gazetteer,
) -> Iterator[Mention]:
    """'zorg- en kennisinstellingen' names zorginstellingen too; 'Drentse en Duitse
    bedrijven' names Drentse bedrijven."""
    starts = {tok[0]: index for index, tok in enumerate(tokens)}
    for mention in found:
        index = starts.get(mention.start)
        if index is None or index < 2 or keys[index - 1] not in ("en", "of", "and", "or"):
            continue
        first_start, first_end, first = tokens[index - 2]
        key = mention_key = "".join(keys[index : index + len(_tokens(mention.surface))])
        if text[first_end : first_end + 1] == "-":  # zorg- en kennisinstellingen
            for cut in range(1, len(mention_key)):
                key = name_key(first) + mention_key[cut:]
                entries = gazetteer.lookup(key, first)
                if entries and cut >= 3:
                    yield Mention(
                        first_start,
                        first_end + 1,
                        text[first_start : first_end + 1],
                        tuple(entries),
                    )
                    break
        else:  # Drentse en Duitse bedrijven
            words = len(_tokens(mention.surface))
            if words < 2:
                continue
            key = name_key(first) + "".join(keys[index + 1 : index + words])
            entries = gazetteer.lookup(key, first)
            if entries:
                yield Mention(first_start, first_end, first, tuple(entries))


_CAP_WORD = r"(?:[A-ZÀ-Ý][\w&'’-]*)"
_LINK_WORD = r"(?:van|voor|de|der|en|&|in|of|for|the|and|aan|op|uit)"
_CAP_RUN = rf"{_CAP_WORD}(?:\s+(?:{_LINK_WORD}\s+)?{_CAP_WORD}){{0,5}}"
_HEADED = re.compile(rf"\b(?P<head>(?i:{_HEAD_WORDS}))\s+(?P<rest>{_CAP_RUN})")
_TAILED = re.compile(rf"(?P<rest>{_CAP_RUN})\s+(?P<tail>(?i:{_TAIL_WORDS}))(?![\w])")
_DETERMINERS = frozenset(
    [
        "De",
        "Het",
        "Een",
        "Deze",
        "Die",
        "Dit",
        "Dat",
        "Onze",
        "Ons",
        "We",
        "Wij",
        "Zij",
        "Hun",
        "The",
        "A",
        "An",
        "This",
        "These",
        "Our",
        "We",
        "They",
    ]
)
_CAPITALISED = re.compile(
    r"(?<![\w-])[A-ZÀ-Ý][\w’'-]+(?:[ ]+(?:(?:van|voor|de|en|&)[ ]+)?[A-ZÀ-Ý][\w’'-]+)+"
)
_EXPANDED = re.compile(rf"(?P<name>{_CAP_RUN})\s+\((?P<abbr>[A-Z][A-Z0-9&-]{{1,7}})\)")
_ABBR = re.compile(r"(?<![\w-])(?P<abbr>[A-Z][A-Z0-9&]{1,6})(?![\w-])")
_AFTER_COOPERATION = re.compile(
    rf"\b(?i:samen met|in samenwerking met|i\.s\.m\.|met partners?|partners?|door|"
    rf"together with|in cooperation with|led by|by)\s+(?:(?i:o\.a\.|onder andere|onder meer|"
    rf"among others)\s+)?(?:de |het |the )?(?P<name>{_CAP_RUN})"
)


_LEADING_WORDS = frozenset(
    [
        "in",
        "de",
        "het",
        "van",
        "voor",
        "met",
        "door",
        "op",
        "bij",
        "binnen",
        "vanuit",
        "ook",
        "daarnaast",
        "tevens",
        "onder",
        "uit",
        "als",
        "from",
        "for",
        "with",
        "by",
        "at",
        "on",
        "into",
        "within",
        "also",
    ]
)
_ACTIVITY_WORDS = (
    "interreg",
    "kaderproject",
    "project",
    "programma",
    "programme",
    "agenda",
    "strategie",
    "strategy",
    "kia",
    "ris3",
    "koers",
)
_QUANTIFIER = re.compile(
    r"^(?:\d+|de|het|een|alle|diverse|verschillende|andere|overige|twee|drie|vier|vijf|zes|"
    r"zeven|acht|negen|tien|elf|twaalf|several|various|all|the|two|three|four|five)\s+(?=\S)"
)
_LEGAL_FORM = re.compile(r"\s+(?:B\.V\.|BV|N\.V\.|NV|GmbH|Ltd\.?|Inc\.?|U\.A\.)$")
_Shape = tuple[int, int, str, str, bool]  # start, end, name, rule, generic


def _pattern_mentions(text: str, taken: Sequence[Mention], *, in_list: bool) -> list[Mention]:
    """Organisation names the gazetteer does not know, from their shape; each with the
    rule that found it (``Mention.cue``)."""
    spans = [(m.start, m.end) for m in taken]
    found: list[Mention] = []
    cued = _cue_in(text, taken) is not None
    plain, back = _dehyphenated(text)  # shapes are read with broken words joined
    shapes = [
        *_expanded(plain),
        *_name_words(plain),
        *_after_cooperation(plain),
        *(_capitalised(plain) if cued else ()),
        *(_list_shapes(plain) if in_list else ()),
        *(_groups(plain) if cued and not in_list else ()),
        *(_abbreviations(plain) if in_list or cued else ()),
    ]
    for plain_start, plain_end, raw, rule, generic in shapes:
        if plain_end <= plain_start:
            continue
        start, end = back[plain_start], back[plain_end - 1] + 1
        name = re.sub(r"\s+", " ", raw.strip(" ,;:()‘’'\"“”"))
        name = name if _LEGAL_FORM.search(name) else name.rstrip(".")
        name = _QUANTIFIER.sub("", name)
        if len(name) < 2 or not all(end <= s or start >= e for s, e in spans):
            continue
        found.append(Mention(start, end, text[start:end], new_name=name, cue=rule, generic=generic))
        spans.append((start, end))
    return found


def _expanded(text: str) -> Iterator[_Shape]:
    """'Huisartsen Zorg Drenthe (HZD)': a name spelt out before its abbreviation; when its
    capitals spell the abbreviation, across commas: 'Ministerie van Volksgezondheid,
    Welzijn en Sport (VWS)'."""
    for match in _EXPANDED.finditer(text):
        abbr = match.group("abbr")
        if abbr in _ABBREVIATION_STOP:
            continue
        start = _initials_start(text, match.start("abbr") - 1, abbr)
        if start is None:
            yield match.start(), match.end(), match.group("name"), "abbreviation_expanded", False
        else:
            yield (
                start,
                match.end(),
                text[start : match.start("abbr") - 1],
                ("abbreviation_expanded"),
                False,
            )


def _initials_start(text: str, end: int, abbr: str) -> int | None:
    """Where the capitalised words before ``end`` start whose initials spell ``abbr``
    (with a head such as 'Ministerie van' before them), or None."""
    words = list(re.finditer(r"[^\W\d_][\w&’'-]*", text[:end]))
    letters = [ch for ch in abbr if ch.isalpha()]
    position = len(words) - 1
    start = None
    for letter in reversed(letters):
        while position >= 0 and words[position].group(0).lower() in (
            "en",
            "van",
            "voor",
            "and",
            "of",
            "de",
        ):
            position -= 1
        if position < 0 or words[position].group(0)[0] != letter:
            return None
        start = words[position].start()
        position -= 1
    if (
        position >= 1
        and words[position].group(0) in ("van", "voor", "of")
        and words[position - 1].group(0)[:1].isupper()
    ):
        start = words[position - 1].start()
    if start is None or not re.fullmatch(r"[\w\s,&’'-]*", text[start:end]):
        return None
    return start


def _name_words(text: str) -> Iterator[_Shape]:
    """'Stichting Beter Thuis', 'Gemeente Emmen', 'Beter Thuis Foundation'."""
    for pattern in (_HEADED, _TAILED):
        for match in pattern.finditer(text):
            rest = match.group("rest")
            if rest[:1].isupper() and rest.split()[0] not in _DETERMINERS:
                yield match.start(), match.end(), match.group(0), "name_word", False


def _after_cooperation(text: str) -> Iterator[_Shape]:
    """'samen met Springboard', 'in samenwerking met Ondernemend Emmen en Werk& Mantelzorg'."""
    for match in _AFTER_COOPERATION.finditer(text):
        whole = match.group("name")
        leads_on = re.match(r"\s+[a-z]", text[match.end("name") :]) is not None
        offset = match.start("name")
        for part in re.finditer(r"(?:^|(?<= en )|(?<= and ))(?:(?! en | and ).)+", whole):
            name = part.group(0)
            single = len(name.split()) == 1 and sum(ch.isupper() for ch in name) < 2
            last = part.end() == len(whole)
            if name.split()[0] not in _DETERMINERS and not (single and leads_on and last):
                yield offset + part.start(), offset + part.end(), name, "after_verb", False


def _capitalised(text: str) -> Iterator[_Shape]:
    """Capitalised words in a sentence with a cue verb: 'De Groene Zorgalliantie is lid van'."""
    for match in _CAPITALISED.finditer(text):
        words = match.group(0).split()
        while words and (words[0] in _DETERMINERS or words[0].lower() in _LEADING_WORDS):
            words = words[1:]
        if any(_plain(word).startswith(_ACTIVITY_WORDS) for word in words):
            continue  # a programme or project, not an organisation
        name = " ".join(words)
        start = match.end() - len(name)
        if len(words) >= 2 and name_key(name) not in _PLACES and text[start : match.end()] == name:
            yield start, match.end(), name, "capitalised", False


def _list_shapes(text: str) -> Iterator[_Shape]:
    """The items of a "Met wie?" cell: names, and groups such as 'zorginstellingen'."""
    for start, end, item in _list_items(text):
        if not item.split() or len(item.split()) > 6:
            continue
        group = _plain(item).endswith(_GENERIC_PLAIN) or _plain(item.split()[0]).endswith(
            _GENERIC_PLAIN
        )
        if item[:1].isupper() or group:
            yield start, end, item, "list_item", item[:1].islower()


def _groups(text: str) -> Iterator[_Shape]:
    """Groups enumerated in a sentence with a cue verb: 'bestaat uit kennisinstellingen,
    bedrijven, zorginstellingen, overheden en maatschappelijke organisaties'."""
    for start, end, item in _list_items(text):
        words = item.split()
        if 1 <= len(words) <= 3 and item[:1].islower() and _plain(item).endswith(_GENERIC_PLAIN):
            yield start, end, item, "group", True


def _abbreviations(text: str) -> Iterator[_Shape]:
    for match in _ABBR.finditer(text):
        abbr = match.group("abbr")
        if abbr not in _ABBREVIATION_STOP and sum(ch.isupper() for ch in abbr) >= 2:
            yield match.start(), match.end(), abbr, "abbreviation", False


_PLURAL_HEAD = re.compile(
    rf"\b(?P<head>gemeenten|provincies|municipalities|provinces)\s+"
    rf"(?P<items>{_CAP_WORD}(?:[\s-]+{_CAP_WORD})*(?:\s*,\s*{_CAP_WORD}(?:[\s-]+{_CAP_WORD})*)*"
    rf"(?:\s+(?:en|and)\s+{_CAP_WORD}(?:[\s-]+{_CAP_WORD})*)?)"
)


def _plural_heads(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """'de gemeenten Assen, Groningen en Noordenveld' names three municipalities."""
    found: list[Mention] = []
    for match in _PLURAL_HEAD.finditer(text):
        head = match.group("head").lower()
        singular = {
            "gemeenten": "Gemeente",
            "provincies": "Provincie",
            "municipalities": "Municipality of",
            "provinces": "Province of",
        }[head]
        offset = match.start("items")
        for item_start, item_end, item in _list_items(match.group("items")):
            start, end = item_start + offset, item_end + offset
            name = f"{singular} {item}"
            entries = [
                e
                for e in gazetteer.lookup(name_key(name), name)
                if e.label == NodeLabel.ORGANISATION
            ]
            if entries:
                found.append(Mention(start, end, text[start:end], tuple(entries)))
            else:
                found.append(Mention(start, end, text[start:end], (), name, "plural_head"))
    return found


def _list_items(text: str) -> Iterator[tuple[int, int, str]]:
    """The items of an enumeration: parts between commas, slashes, 'en' and brackets; a
    Dutch ellipsis 'zorg- en kennisinstellingen' gives 'zorginstellingen' too."""
    pieces: list[tuple[int, int, str]] = []
    for match in re.finditer(r"[^,;/()]+", text):
        part_start = match.start()
        for piece in re.finditer(r"(?:(?!\s(?:en|and|of)\s).)+", match.group(0)):
            raw = piece.group(0)
            stripped = re.sub(r"^(?:o\.a\.|oa|etc|e\.a\.|en|and|of)\s+", "", raw.strip(" ."))
            stripped = stripped.strip(" .")
            if not stripped or stripped.lower() in ("etc", "o.a", "e.a"):
                continue
            start = part_start + piece.start() + raw.find(stripped)
            pieces.append((start, start + len(stripped), stripped))
    for index, (start, end, item) in enumerate(pieces):
        if item.endswith("-") and index + 1 < len(pieces):
            following = _plain(pieces[index + 1][2])
            tail = next((t for t in _GENERIC_PLAIN if following.endswith(t)), None)
            if tail:
                yield start, end, item[:-1] + tail
                continue
        yield start, end, item


# --------------------------------------------------------------------------- units


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence or list item, with where it is."""

    text: str
    section: str
    paragraph: int
    in_table: bool
    header: str = ""  # the table's column header that names the partners ("Met wie?")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; abbreviations such as 'o.a.' and 'i.s.m.' do not end one.

    >>> split_sentences("Wij werken samen met o.a. NOM. Het project loopt.")
    ['Wij werken samen met o.a. NOM.', 'Het project loopt.']
    """
    protected = text
    for abbreviation in _ABBREVIATIONS:
        protected = protected.replace(abbreviation, abbreviation.replace(".", "\x00"))
    parts: list[str] = []
    for piece in re.split(r"\s*•\s*", protected):
        parts.extend(p for p in _SENTENCE_END.split(piece) if p.strip())
    return [p.replace("\x00", ".").strip() for p in parts if p.strip()]


# --------------------------------------------------------------------------- proposing


@dataclass
class _Org:
    ref: str
    name: str
    existing_id: str | None
    quote: str
    section: str
    matched: str
    helix_role: str | None = None
    org_type: str | None = None
    generic: bool = False
    evidence: dict[str, str | None] | None = None
    mentions: int = 0


@dataclass
class _Activity:
    ref: str
    label: str
    name: str
    existing_id: str | None
    quote: str
    section: str
    theme: str | None = None
    evidence: dict[str, str | None] | None = None


@dataclass
class _Link:
    org: str
    activity: str
    type: RelType
    role: str | None
    cue: str
    quote: str
    section: str


@dataclass
class _Context:
    """Which activity running text is about: per paragraph, per section and kind, and the
    one a section's heading names."""

    paragraph: dict[int, tuple[str, str]] = field(default_factory=dict)
    latest: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    heading: dict[str, tuple[str, str] | None] = field(default_factory=dict)

    def carry(
        self, unit: Unit, activities: list[tuple[str, str, int]]
    ) -> list[tuple[str, str, int]]:
        latest = self.latest.setdefault(unit.section, {})
        if activities:
            self.paragraph[unit.paragraph] = (activities[-1][0], activities[-1][1])
            for ref, label, _ in activities:
                latest[label] = (ref, label)
            return activities
        if unit.in_table:  # a table's cells are read as rows, not as running text
            return []
        if unit.paragraph in self.paragraph:
            ref, label = self.paragraph[unit.paragraph]
            return [(ref, label, -1)]
        anaphor = _ANAPHOR.search(unit.text)
        if anaphor and _anaphor_label(anaphor) in latest:
            ref, label = latest[_anaphor_label(anaphor)]
            return [(ref, label, -1)]
        named = self.heading.get(unit.section)
        return [] if named is None else [(named[0], named[1], -1)]


class _Reader:
    def __init__(self, document: TextDocument, gazetteer: Gazetteer) -> None:
        self.document = document
        self.gazetteer = gazetteer
        self.orgs: dict[str, _Org] = {}  # by existing id or 'new:' + name key
        self.activities: dict[str, _Activity] = {}
        self.links: dict[tuple[str, str], _Link] = {}
        self.author: str | None = None

    # ---- items
    def org_from(self, mention: Mention, unit: Unit) -> list[str]:
        refs = []
        entries = [e for e in mention.entries if e.label == NodeLabel.ORGANISATION]
        if entries:
            for entry in entries:
                org = self.orgs.get(entry.id)
                if org is None:
                    org = _Org(
                        f"org-{len(self.orgs) + 1}",
                        entry.name,
                        entry.id,
                        _quote(unit.text, mention),
                        unit.section,
                        mention.surface,
                    )
                    self.orgs[entry.id] = org
                org.mentions += 1
                refs.append(org.ref)
            return refs
        if mention.new_name is None:
            return refs
        key = "new:" + name_key(_LEGAL_FORM.sub("", mention.new_name))  # 'X B.V.' is 'X'

        org = self.orgs.get(key)
        if org is None:
            cue = _cue_of(mention.new_name)
            role, org_type, word = cue if cue else (HelixRole.INDUSTRY, OrgType.COMPANY, None)
            # found_by: the rule that found the name; type_word: the word in it that gives
            # the helix role and type (none: industry and company are a guess)
            evidence = {"found_by": mention.cue, "type_word": word}
            org = _Org(
                f"org-{len(self.orgs) + 1}",
                mention.new_name,
                None,
                _quote(unit.text, mention),
                unit.section,
                mention.surface,
                str(role),
                str(org_type),
                mention.generic,
                evidence,
            )
            self.orgs[key] = org
        org.mentions += 1
        return [org.ref]

    def activity_from(self, entry: Entry, unit: Unit, surface: str) -> str:
        activity = self.activities.get(entry.id)
        if activity is None:
            activity = _Activity(
                f"act-{len(self.activities) + 1}",
                entry.label,
                entry.name,
                entry.id,
                _short(unit.text, surface),
                unit.section,
            )
            self.activities[entry.id] = activity
        return activity.ref

    def new_activity(
        self, label: str, name: str, unit: Unit, evidence: dict[str, str | None]
    ) -> str:
        name = re.sub(r"(?<=\w)- (?=[A-ZÀ-Ý])", "-", name)  # 'Noord- Nederland' broken by a line
        key = f"new:{label}:{name_key(name)}"
        activity = self.activities.get(key)
        if activity is None:
            theme = self.theme_of(unit.section) if label == NodeLabel.ACTION else None
            quote = unit.text[:300] if label == NodeLabel.ACTION else _short(unit.text, name)
            activity = _Activity(
                f"act-{len(self.activities) + 1}",
                label,
                name,
                None,
                quote,
                unit.section,
                theme,
                evidence,
            )
            self.activities[key] = activity
        return activity.ref

    def theme_of(self, section: str) -> str | None:
        for part in reversed(section.split(" – ")):
            key = name_key(part)
            for theme_key, theme_id in self.gazetteer.themes.items():
                if key and (
                    key == theme_key or key.replace("en", "") == theme_key.replace("en", "")
                ):
                    return theme_id
        return None

    def link(self, org: str, activity: str, label: str, kind: str, unit: Unit, cue: str) -> None:
        rel_type, role = _relation(label, kind)
        key = (org, activity)
        known = self.links.get(key)
        if known is not None:
            if known.role == "partner" and role == "lead":
                known.role = role
                known.cue = cue
            return
        self.links[key] = _Link(org, activity, rel_type, role, cue, unit.text, unit.section)

    # ---- reading
    def read(self) -> None:
        self.author = self._find_author()
        units = list(self._units())
        table_units = [u for u in units if u.in_table]
        self._read_tables(table_units)
        self._read_narrative(units)

    def _find_author(self) -> str | None:
        texts = [*self.document.headings[:3], *(p.text for p in self.document.paragraphs[:5])]
        for text in texts:
            match = _AUTHOR.search(text)
            if not match:
                continue
            unit = Unit(text, "", -1, False)
            mentions = _gazetteer_mentions(match.group("name"), self.gazetteer)
            for mention in mentions:
                refs = self.org_from(mention, unit)
                if refs:
                    return refs[0]
            pattern = _pattern_mentions(match.group("name"), [], in_list=True)
            for mention in pattern:
                refs = self.org_from(mention, unit)
                if refs:
                    return refs[0]
        return None

    def _units(self) -> Iterator[Unit]:
        header = ""
        section = None
        for index, paragraph in enumerate(self.document.paragraphs):
            if paragraph.section != section:
                section = paragraph.section
                header = ""
            found = _LIST_HEADERS.search(paragraph.text)
            if found:
                header = found.group(0)
                tail = paragraph.text[found.end() :]
                # what follows the header row on the same line ("… resultaat In 2022 …")
                if len(tail.split()) > 12:
                    for sentence in split_sentences(tail):
                        yield Unit(sentence, paragraph.section, index, True, header)
                continue
            for sentence in split_sentences(paragraph.text):
                yield Unit(sentence, paragraph.section, index, bool(header), header)

    def _mentions(self, unit: Unit, *, in_list: bool) -> list[Mention]:
        known = _gazetteer_mentions(unit.text, self.gazetteer)
        plural = _plural_heads(unit.text, self.gazetteer)
        if plural:
            # the named ones replace the group word before them ('de gemeenten Assen, …')
            heads = [(m.start("head"), m.end("items")) for m in _PLURAL_HEAD.finditer(unit.text)]
            known = [
                m
                for m in known
                if not any(s <= m.start < e or m.start <= s < m.end for s, e in heads)
            ] + plural
        if in_list:  # a network in a "Met wie?" cell acts as a party there
            known = [
                m
                if any(e.label != NodeLabel.NETWORK for e in m.entries)
                else Mention(m.start, m.end, m.surface, (), m.surface, "list_item")
                for m in known
            ]
        return sorted(
            [*known, *_pattern_mentions(unit.text, known, in_list=in_list)], key=lambda m: m.start
        )

    def _read_tables(self, units: list[Unit]) -> None:
        """Action tables: each row's action and the organisations of its "Met wie?" cell."""
        current: str | None = None
        last_paragraph = -1
        section = None
        for position, unit in enumerate(units):
            if unit.section != section or unit.paragraph < last_paragraph:
                section, current = unit.section, None
            existing = self._existing_action(unit)
            listing = existing is None and self._is_list(unit)
            mentions = self._mentions(unit, in_list=listing)
            if existing is not None:
                current = self.activity_from(existing, unit, unit.text)
            elif not listing and self._starts_row(units, position):
                current = self.new_activity(
                    NodeLabel.ACTION, _action_name(unit.text), unit, {"found_by": "table_row"}
                )
            last_paragraph = unit.paragraph
            if current is None or (existing is not None and not listing):
                continue
            if listing:
                self._row_partners(current, unit, mentions)
                continue
            known = _gazetteer_mentions(unit.text, self.gazetteer)
            if _TABLE_PARTNER.search(_dehyphenated(_masked(unit.text, known))[0].lower()):
                chosen = known  # a result cell: "… i.s.m. campusontwikkeling Emmen"
            else:
                chosen = _leading(unit.text, known)  # a "Met wie?" cell running into the result
            for mention in chosen:
                for org in self.org_from(mention, unit):
                    self.link(org, current, NodeLabel.ACTION, "partner", unit, unit.header)

    def _row_partners(self, current: str, unit: Unit, mentions: Sequence[Mention]) -> None:
        """The organisations of a "Met wie?" cell are partners in the row's action; those
        a network lists in brackets ("Netwerk X, (o.a. A, B)") are its members too."""
        network: tuple[str, int] | None = None
        for mention in mentions:
            for entry in mention.entries:
                if entry.label == NodeLabel.NETWORK and _MEMBERS_FOLLOW.match(
                    unit.text[mention.end :]
                ):
                    network = (self.activity_from(entry, unit, mention.surface), mention.end)
            for org in self.org_from(mention, unit):
                self.link(org, current, NodeLabel.ACTION, "partner", unit, unit.header)
                if network is not None and mention.start > network[1]:
                    inside = unit.text[network[1] : mention.start]
                    if inside.count("(") > inside.count(")"):
                        self.link(org, network[0], NodeLabel.NETWORK, "member", unit, "o.a.")

    def _is_list(self, unit: Unit) -> bool:
        return _is_list(unit.text, _gazetteer_mentions(unit.text, self.gazetteer))

    def _existing_action(self, unit: Unit) -> Entry | None:
        key = name_key(unit.text)
        for action_id, name, anchor in self.gazetteer.actions:
            if anchor and (anchor in key or (len(key) > 30 and key in anchor)):
                return Entry(action_id, NodeLabel.ACTION, name)
        return None

    def _starts_row(self, units: list[Unit], position: int) -> bool:
        """A sentence that starts a table row: the next sentence (or the one after it)
        lists organisations, and it is not itself a result of the row before."""
        unit = units[position]
        if (
            not unit.text.lstrip("‘’'\"“”(")[:1].isupper()
            or len(re.findall(r"[^\W\d_]{3,}", unit.text)) < 3
        ):
            return False
        if any(m.start == 0 for m in _gazetteer_mentions(unit.text, self.gazetteer)):
            return False  # a "Met wie?" cell running into the results
        for following in units[position + 1 : position + 3]:
            if self._is_list(following):
                # the row's text starts its paragraph, or the list follows in it
                first = position == 0 or units[position - 1].paragraph != unit.paragraph
                return first or following.paragraph == unit.paragraph
            if following.paragraph != unit.paragraph:
                break
        return False

    def _read_narrative(self, units: list[Unit]) -> None:
        """Sentences naming an organisation, an activity and a cue verb. The activity may
        be named earlier in the paragraph, by the section's heading, or referred to
        ("het netwerk", "dit project") when the section named one before."""
        context = _Context()
        for unit in units:
            if unit.section not in context.heading:
                context.heading[unit.section] = self._heading_activity(unit)
            if unit.in_table and self._is_list(unit):
                continue
            mentions = self._mentions(unit, in_list=False)
            activities, spans = self._sentence_activities(unit, mentions)
            orgs = [
                (ref, mention.start, mention.end)
                for mention in mentions
                if not any(mention.start < e and s < mention.end for s, e in spans)
                for ref in self.org_from(mention, unit)
            ]
            activities = context.carry(unit, activities)
            orgs = self._with_author(unit, orgs)
            if not activities or not orgs:
                continue
            cue = _cue_in(unit.text, mentions)
            if cue is None:
                continue
            for activity_ref, label, _ in activities:
                for org_ref, start, end in orgs:
                    near = cue.kind != "lead" or _near(cue, start, end, orgs)
                    this_kind = cue.kind if near else "partner"
                    self.link(org_ref, activity_ref, label, this_kind, unit, cue.words)

    def _sentence_activities(
        self, unit: Unit, mentions: Sequence[Mention]
    ) -> tuple[list[tuple[str, str, int]], list[tuple[int, int]]]:
        """The projects and networks a sentence names, known or new, and where."""
        activities: list[tuple[str, str, int]] = []  # ref, label, position
        spans: list[tuple[int, int]] = []
        for mention in mentions:
            project = self._project_named(unit.text, mention)
            entries = (
                [project]
                if project
                else [
                    e for e in mention.entries if e.label in (NodeLabel.PROJECT, NodeLabel.NETWORK)
                ]
            )
            for entry in entries:
                ref = self.activity_from(entry, unit, mention.surface)
                activities.append((ref, entry.label, mention.start))
                spans.append((mention.start, mention.end))
                if project is None and not unit.in_table:
                    self._twins(mention, ref, entry.label, unit)
        for start, end, name, kind in _new_activities(unit.text):
            known = name_key(name) in self.gazetteer.by_key or name_key(name) in _PLACES
            overlaps = any(m.start < end and start < m.end for m in mentions if m.entries)
            if len(name) < 3 or known or overlaps or name.endswith("-"):
                continue
            network = _plain(kind).startswith(_NETWORK_WORDS)
            label = NodeLabel.NETWORK if network else NodeLabel.PROJECT
            evidence: dict[str, str | None] = {"found_by": "kind_word", "type_word": kind.lower()}
            ref = self.new_activity(label, name, unit, evidence)
            activities.append((ref, label, start))
            spans.append((start, end))
        return activities, spans

    def _twins(self, mention: Mention, activity: str, label: str, unit: Unit) -> None:
        """The party that acts under a network's own name runs that network (proposed
        only when the graph does not say so already: the name, not the text, tells it)."""
        activity_ids = {e.id for e in mention.entries if e.label == label}
        for twin in (e for e in mention.entries if e.label == NodeLabel.ORGANISATION):
            if any((str(RelType.RUNS), twin.id, a) in self.gazetteer.links for a in activity_ids):
                continue
            single = Mention(mention.start, mention.end, mention.surface, (twin,))
            org_ref = self.org_from(single, unit)[0]
            self.link(org_ref, activity, label, "lead", unit, mention.surface)

    def _with_author(
        self, unit: Unit, orgs: list[tuple[str, int, int]]
    ) -> list[tuple[str, int, int]]:
        """'we', 'wij', 'de provincie' in a document the province publishes: its author."""
        if not self.author or self.author in {o[0] for o in orgs}:
            return orgs
        we = _WE.search(unit.text)
        if we is None and self._author_is_province():
            we = re.search(r"\b(?:de|als) provincie\b", unit.text, re.I)
        return orgs if we is None else [*orgs, (self.author, we.start(), we.end())]

    def _heading_activity(self, unit: Unit) -> tuple[str, str] | None:
        """A project or network the section's own heading names ('Twincer')."""
        heading = unit.section.split(" – ")[-1]
        for mention in _gazetteer_mentions(heading, self.gazetteer):
            if mention.end - mention.start < len(heading.strip()) * 0.6:
                continue
            for entry in mention.entries:
                if entry.label in (NodeLabel.PROJECT, NodeLabel.NETWORK):
                    heading_unit = Unit(heading, unit.section, unit.paragraph, False)
                    return self.activity_from(entry, heading_unit, heading), entry.label
        return None

    def _project_named(self, text: str, mention: Mention) -> Entry | None:
        """'het project Health Hub Roden' names the project, not the organisation."""
        if not re.search(r"project\s+$", text[: mention.start], re.I):
            return None
        key = name_key(mention.surface)
        for candidate in (key + "project", "project" + key, key):
            for entry in self.gazetteer.by_key.get(candidate, []):
                if entry.label == NodeLabel.PROJECT:
                    return entry
        return None

    def _author_is_province(self) -> bool:
        for org in self.orgs.values():
            if org.ref == self.author:
                return "provincie" in _plain(org.name) or "province" in _plain(org.name)
        return False

    # ---- answer
    def answer(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        orgs = {o.ref: o for o in self.orgs.values()}
        acts = {a.ref: a for a in self.activities.values()}
        organisations = [
            {
                "ref": o.ref,
                "name": o.name,
                "existing_id": o.existing_id,
                "matched": o.matched,
                **(
                    {}
                    if o.existing_id
                    else {
                        "proposed_id": slug(o.name),
                        "helix_role": o.helix_role,
                        "org_type": o.org_type,
                        "generic": o.generic,
                        "evidence": o.evidence,
                    }
                ),
                "mentions": o.mentions,
                "quote": o.quote,
                "section": o.section,
            }
            for o in sorted(orgs.values(), key=lambda o: int(o.ref.split("-")[1]))
        ]
        activities = [
            {
                "ref": a.ref,
                "label": a.label,
                "name": a.name,
                "existing_id": a.existing_id,
                **(
                    {}
                    if a.existing_id
                    else {
                        "proposed_id": _activity_id(a.label, a.name),
                        "theme": a.theme,
                        "evidence": a.evidence,
                    }
                ),
                "quote": a.quote,
                "section": a.section,
            }
            for a in sorted(acts.values(), key=lambda a: int(a.ref.split("-")[1]))
        ]
        links = [
            {
                "ref": f"link-{index}",
                "organisation": link.org,
                "organisation_id": orgs[link.org].existing_id,
                "activity": link.activity,
                "activity_id": acts[link.activity].existing_id,
                # the graph has this link already: accepting it gives it this document's quote
                "in_graph": (
                    str(link.type),
                    orgs[link.org].existing_id,
                    acts[link.activity].existing_id,
                )
                in self.gazetteer.links,
                "type": str(link.type),
                "role": link.role,
                "cue": link.cue,
                "quote": link.quote,
                "section": link.section,
            }
            for index, link in enumerate(self.links.values(), 1)
        ]
        return organisations, links, activities


_ANAPHOR = re.compile(
    r"\b(?:het|dit|dat|deze|the|this|that)\s+(?P<kind>netwerk|network|project|initiatief|"
    r"initiative|consortium)\b",
    re.I,
)


def _anaphor_label(match: re.Match[str]) -> str:
    return (
        NodeLabel.NETWORK
        if match.group("kind").lower() in ("netwerk", "network")
        else (NodeLabel.PROJECT)
    )


def _masked(text: str, mentions: Sequence[Mention]) -> str:
    """The text with the names blanked out, so that 'Life Cooperative' is no cue verb."""
    chars = list(text)
    for mention in mentions:
        for index in range(mention.start, min(mention.end, len(chars))):
            chars[index] = " "
    return "".join(chars)


_PLACES = frozenset({"noordnederland", "drenthe", "groningen", "nederland", "europa", "noorden"})
_NEW_ACTIVITY = re.compile(
    r"\b(?P<kind>[Pp]roject(?:initiatief)?|[Nn]etwerk|[Nn]etwork|[Ii]nitiatief)"
    r"\s+(?P<name>‘[^’]{3,60}’|'[^']{3,60}'|“[^”]{3,60}”|\"[^\"]{3,60}\"|"
    r"(?:[A-Z][\w-]*)(?:\s+[A-Z][\w-]*){0,4})"
)


_NETWORK_WORDS = (
    "netwerk",
    "network",
    "samenwerking",
    "alliantie",
    "alliance",
    "platform",
    "consortium",
    "coalitie",
    "partnership",
)
_IS_A = re.compile(
    rf"(?P<name>[‘’'“\"][^‘’'“”\"]{{3,80}}[’'”\"]|{_CAP_RUN})(?:\s*\([A-Z0-9&-]{{2,8}}\))?"
    r"\s+(?:is|was|wordt)\s+een\s+(?:\w+\s+)?(?P<kind>netwerk\w*|samenwerkings\w*|alliantie|"
    r"platform|consortium|coalitie|project\w*|initiatief|network|partnership|alliance|"
    r"initiative)\b"
)


def _new_activities(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Projects and networks a text introduces: 'het project ‘SlimThuis’', 'het Netwerk Zorg
    Dichtbij', 'NetwerkZON wordt gevormd …', 'X is een netwerk / samenwerkingsverband /
    projectinitiatief'. (start, end, name, the word that tells the kind)"""
    for match in _NEW_ACTIVITY.finditer(text):
        name = match.group("name").strip(" ‘’'\"“”")
        kind = match.group("kind")
        if kind[:1].isupper() and not re.match(r"[‘'\"“]", match.group("name")):
            name = f"{kind} {name}"  # 'het Netwerk Zorg Dichtbij': the word is in the name
        yield match.start(), match.end(), name, kind
    for match in _IS_A.finditer(text):
        words = match.group("name").strip(" ‘’'\"“”").split()
        while words and (words[0] in _DETERMINERS or words[0].lower() in _LEADING_WORDS):
            words = words[1:]
        if words:
            start = match.start("name")
            yield start, match.end("name"), " ".join(words), match.group("kind")
    for match in re.finditer(
        r"(?<![\w-])(?P<name>(?:[A-Z][\w-]*\s+)*(?:Netwerk|Network)(?:[A-Z]\w*)?"
        r"(?:\s+[A-Z][\w-]*){0,4})",
        text,
    ):
        words = match.group("name").split()
        while words and words[0] in _DETERMINERS:
            words = words[1:]
        name = " ".join(words)
        if len(words) >= 2 or re.fullmatch(r"Netwerk[A-Z]\w*", name):
            yield match.end() - len(name), match.end(), name, "netwerk"


def _activity_id(label: str, name: str) -> str:
    prefix = label.lower() if label in ACTIVITY_KINDS else "x"
    return f"{prefix}-{slug(name)}"[:100]


def _relation(label: str, kind: str) -> tuple[RelType, str | None]:
    if kind == "fund":
        return RelType.SUPPORTS, None
    if label == NodeLabel.ACTION:
        return RelType.PARTNER_IN, None
    if label == NodeLabel.PROJECT:
        return RelType.PARTICIPATES_IN, "lead" if kind == "lead" else "partner"
    if kind == "lead":
        return RelType.RUNS, None
    return RelType.MEMBER_OF, "member"


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str
    start: int  # in the verbatim text
    end: int
    words: str  # as the document writes them


def _cue_in(text: str, mentions: Sequence[Mention]) -> Cue | None:
    """The cue verb of a sentence, outside the names in it, also when a line break split
    it ('samenwer- king met'); located in the verbatim text."""
    plain, back = _dehyphenated(_masked(text, mentions))
    kind, match = _cue(plain.lower())
    if kind is None or match is None:
        return None
    start, end = back[match.start()], back[match.end() - 1] + 1
    return Cue(kind, start, end, text[start:end])


def _dehyphenated(text: str) -> tuple[str, list[int]]:
    """``text`` with the hyphens of words broken over a line joined ('maatschap- pelijke'),
    not those of an ellipsis ('zorg- en kennisinstellingen'); and for each character of
    the result its position in ``text``.

    >>> _dehyphenated("in samenwer- king met zorg- en kennisinstellingen")[0]
    'in samenwerking met zorg- en kennisinstellingen'
    """
    kept: list[str] = []
    back: list[int] = []
    skip_to = -1
    for index, char in enumerate(text):
        if index < skip_to:
            continue
        if (
            char == "-"
            and text[index + 1 : index + 2] == " "
            and index > 0
            and text[index - 1].isalpha()
        ):
            following = re.match(r" ([a-zà-ÿ]+)", text[index + 1 :])
            if following and following.group(1) not in ("en", "of", "and", "or", "tot"):
                skip_to = index + 2
                continue
        kept.append(char)
        back.append(index)
    return "".join(kept), back


def _cue(lowered: str) -> tuple[str | None, re.Match[str] | None]:
    for kind, pattern in (
        ("lead", _LEAD),
        ("fund", _FUND),
        ("member", _MEMBER),
        ("partner", _TAKE_PART),
    ):
        match = pattern.search(lowered)
        if match:
            if kind == "lead" and _TAKE_PART.search(lowered):
                return "lead", match  # lead for the one named by the cue, partner for the rest
            return kind, match
    return None, None


def _near(cue: Cue, start: int, end: int, orgs: list[tuple[str, int, int]]) -> bool:
    """Whether this organisation is the one the lead cue names: the nearest to it."""

    def distance(s: int, e: int) -> int:
        if e <= cue.start:
            return cue.start - e
        if s >= cue.end:
            return s - cue.end
        return 0

    nearest = min(distance(s, e) for _, s, e in orgs)
    return distance(start, end) == nearest


_MEMBERS_FOLLOW = re.compile(r"[\s,]*\((?:o\.a\.|waaronder|incl|e\.g\.|including)")
_TABLE_PARTNER = re.compile(
    r"\b(i\.s\.m\.|samen met|in samenwerking met|together with|with partners)"
)


def _leading(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """The names a text starts with, one after another with only commas or 'en' between."""
    run: list[Mention] = []
    position = 0
    for mention in mentions:
        gap = text[position : mention.start]
        if re.fullmatch(r"[\s,/&()]*(?:en|and)?[\s,/&()]*", gap) is None:
            break
        run.append(mention)
        position = mention.end
    return run


def _is_list(text: str, mentions: Sequence[Mention]) -> bool:
    """A "Met wie?" cell: mostly names, or comma-separated short name-like items."""
    words = _tokens(text)
    if not words:
        return False
    covered = sum(
        1 for start, end, _ in words if any(m.start <= start and end <= m.end for m in mentions)
    )
    if covered / len(words) >= 0.5 and (covered >= 1 and len(words) <= 40):
        return True
    items = [item for _, _, item in _list_items(text)]
    if len(items) < 3 or "," not in text:
        return False
    namelike = sum(
        1
        for item in items
        if len(item.split()) <= 4
        and (item[:1].isupper() or _plain(item.split()[-1]).endswith(_GENERIC_PLAIN))
    )
    return namelike / len(items) >= 0.6


def _action_name(text: str) -> str:
    name = text.strip()
    return name if len(name) <= 120 else name[:117].rsplit(" ", 1)[0] + "…"


def _quote(text: str, mention: Mention) -> str:
    return _short(text, mention.surface)


def _short(text: str, around: str, words: int = 14) -> str:
    """A verbatim piece of ``text`` of at most ``words`` words around ``around``."""
    tokens = text.split(" ")
    if len(tokens) <= words:
        return text
    position = text.find(around)
    if position < 0:
        return " ".join(tokens[:words])
    before = len(text[:position].split(" ")) - 1
    start = max(0, min(before - words // 3, len(tokens) - words))
    return " ".join(tokens[start : start + words])


def propose_document(
    document: TextDocument, gazetteer: Gazetteer
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(organisations, links, activities) the document proposes."""
    reader = _Reader(document, gazetteer)
    reader.read()
    return reader.answer()


def propose(
    data: bytes,
    filename: str | None,
    graph: GraphData,
    *,
    source: str | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """The proposal for one document, as the API answers it (not yet stored).

    Its id follows from the document, its source and the graph ``version`` it was read
    against: the same document read again against the same graph is the same proposal.
    """
    document = read_document(data, filename)
    organisations, links, activities = propose_document(document, Gazetteer.from_graph(graph))
    named = source or filename
    digest = hashlib.sha256(data).hexdigest()
    key = hashlib.sha256(f"{digest}\0{named}\0{version}".encode()).hexdigest()
    return {
        "id": "prop-" + key[:16],
        "source": named or "document-" + digest[:8],
        "kind": document.kind,
        "version": version,
        "status": "open",
        "organisations": organisations,
        "links": links,
        "activities": activities,
    }


# --------------------------------------------------------------------------- storage


class ProposalStore:
    """Proposals as JSON files under ``HELIX_DATA_DIR/proposals`` until they are reviewed."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "proposals"

    def _path(self, proposal_id: str) -> Path:
        if not re.fullmatch(r"prop-[0-9a-f]{16}", proposal_id):
            raise NotFoundError.of("error.proposal.not_found", id=quoted(proposal_id))
        return self.folder / f"{proposal_id}.json"

    def save(self, proposal: Mapping[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(str(proposal["id"]))
        text = json.dumps(proposal, ensure_ascii=False, indent=2)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=self.folder, suffix=".tmp", delete=False
        ) as tmp:
            tmp.write(text)
        Path(tmp.name).replace(path)  # readers see the old file or the new one, whole

    def keep(self, proposal: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new proposal; one already stored under its id (the same document read
        against the same graph) is kept with its decisions and returned instead."""
        with _REVIEWING:
            path = self._path(str(proposal["id"]))
            if path.exists():
                return self.load(str(proposal["id"]))
            self.save(proposal)
            return dict(proposal)

    def load(self, proposal_id: str) -> dict[str, Any]:
        path = self._path(proposal_id)
        if not path.exists():
            raise NotFoundError.of("error.proposal.not_found", id=quoted(proposal_id))
        loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return loaded


# --------------------------------------------------------------------------- review

DECISIONS = ("accept", "edit", "reject")
_ORG_FIELDS = frozenset(
    {
        "id",
        "name",
        "aliases",
        "helix_role",
        "secondary_roles",
        "org_type",
        "place",
        "province",
        "region",
        "country",
        "place_source",
        "generic",
        "description",
    }
)
_ACTIVITY_FIELDS = frozenset(
    {"id", "name", "aliases", "description", "status", "period", "theme", "what", "with_whom"}
)


@dataclass(frozen=True)
class Decision:
    """What a reviewer decides about one item: accept it, accept it edited, or reject it."""

    ref: str
    decision: str
    edit: Mapping[str, Any] = field(default_factory=dict)


def _validation_problems(ref: str, error: ValidationError) -> list[Problem]:
    """Every field a reviewer's edit got wrong, worded from the catalogue per language."""
    problems = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ())]
        if loc and loc[0] in {str(label) for label in NodeLabel}:
            loc = loc[1:]  # the tag of the node union
        field_name = ".".join(loc) or "(record)"
        message = f"{ref}: {field_name}: {item['msg'].removeprefix('Value error, ')}"
        params = {"field": f"{ref}: {field_name}", "error": FieldError.of(item)}
        problems.append(Problem(ref, message, "problem.field", params))
    return problems


def review_batch(
    proposal: Mapping[str, Any], decisions: Sequence[Decision], graph_ids: Mapping[str, str]
) -> tuple[GraphData, dict[str, str], dict[str, str], list[Problem]]:
    """The nodes and relationships the accepted items make, each with the document as
    provenance; the status of every decided item; the ids of the nodes accepted items
    create; every problem (nothing is written then).

    ``graph_ids`` maps the ids in the graph to their kind (label).
    """
    work = _Review(proposal, graph_ids)
    work.decide(decisions)
    nodes = [node for ref, item in work.items.items() if (node := work.node(ref, item))]
    relationships = [
        rel
        for ref, item in work.items.items()
        if item["_group"] == "links"
        and work.status.get(ref) == "accepted"
        and (rel := work.relationship(ref, item))
    ]
    for ref, node_id in work.ids.items():
        if work.status.get(ref) == "accepted" and work.items[ref].get("existing_id") is None:
            work.created[ref] = node_id
    graph = GraphData(nodes=tuple(nodes), relationships=tuple(relationships))
    return graph, work.status, work.created, work.problems


_NODE: TypeAdapter[Node] = TypeAdapter(Node)


class _Review:
    """One review of a proposal: decisions, the records they make, their problems."""

    def __init__(self, proposal: Mapping[str, Any], graph_ids: Mapping[str, str]) -> None:
        self.items: dict[str, dict[str, Any]] = {
            item["ref"]: {**item, "_group": group}
            for group in ("organisations", "activities", "links")
            for item in proposal.get(group, [])
        }
        self.graph_ids = graph_ids
        self.previous: dict[str, str] = dict(proposal.get("decisions", {}))
        self.created: dict[str, str] = dict(proposal.get("created", {}))
        self.source = str(proposal.get("source") or proposal["id"])[:300]
        self.status: dict[str, str] = {}
        self.edits: dict[str, Mapping[str, Any]] = {}
        self.problems: list[Problem] = []
        self.ids: dict[str, str] = {}  # item ref -> node id in the graph (existing or new)

    def problem(self, ref: str, key: str, **params: object) -> None:
        self.problems.append(Problem.of(ref, key, ref=quoted(ref), **params))

    def decide(self, decisions: Sequence[Decision]) -> None:
        for decision in decisions:
            if decision.ref not in self.items:
                self.problem(decision.ref, "error.proposal.unknown_item")
            elif decision.decision not in DECISIONS:
                self.problem(
                    decision.ref, "error.proposal.bad_decision", decision=quoted(decision.decision)
                )
            else:
                accepted = decision.decision != "reject"
                self.status[decision.ref] = "accepted" if accepted else "rejected"
                self.edits[decision.ref] = decision.edit if decision.decision == "edit" else {}

    def node(self, ref: str, item: Mapping[str, Any]) -> Node | None:
        """The node an accepted new organisation or activity makes (None: nothing new)."""
        if item["_group"] == "links" or self._known(ref, item):
            return None
        if self.status.get(ref) != "accepted":
            return None
        edit = self.edits.get(ref, {})
        allowed = _ORG_FIELDS if item["_group"] == "organisations" else _ACTIVITY_FIELDS
        unknown = sorted(set(edit) - allowed - {"existing_id"})
        document = _node_document(item, edit, self.source)
        node = None
        if unknown:
            self.problem(ref, "error.proposal.unknown_fields", fields=", ".join(unknown))
        elif document["id"] in self.graph_ids:
            self.problem(ref, "error.proposal.id_taken", id=quoted(document["id"]))
        elif document.get("label") == NodeLabel.ACTION and not document.get("theme"):
            self.problem(ref, "error.proposal.theme_required")
        else:
            try:
                node = _NODE.validate_python(document)
                self.ids[ref] = document["id"]
            except ValidationError as error:
                self.problems.extend(_validation_problems(ref, error))
        return node

    def _known(self, ref: str, item: Mapping[str, Any]) -> bool:
        """Whether the item is a node of the graph: matched (or edited to one), or written
        by an earlier review of this proposal."""
        existing = self.edits.get(ref, {}).get("existing_id", item.get("existing_id"))
        if existing and str(existing) not in self.graph_ids:
            self.problem(ref, "error.proposal.no_such_node", id=quoted(existing))
            return True
        if existing:
            self.ids[ref] = str(existing)
            return True
        if self.previous.get(ref) == "accepted" and self.created.get(ref) in self.graph_ids:
            self.ids[ref] = str(self.created[ref])
            return True
        return False

    def relationship(self, ref: str, item: Mapping[str, Any]) -> Relationship | None:
        edit = self.edits.get(ref, {})
        ends = []
        for end in ("organisation", "activity"):
            if item[end] not in self.ids:
                self.problem(ref, "error.proposal.endpoint_not_accepted", item=quoted(item[end]))
            ends.append(self.ids.get(item[end]))
        if None in ends:
            return None
        document = {
            "type": edit.get("type", item["type"]),
            "source": ends[0],
            "target": ends[1],
            "role": edit.get("role", item.get("role")),
            "provenance": {
                "source": self.source,
                "section": (item.get("section") or self.source)[:300],
                "quote": _cap(str(item["quote"])),
            },
        }
        try:
            return Relationship.model_validate(document)
        except ValidationError as error:
            self.problems.extend(_validation_problems(ref, error))
            return None


def _cap(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _node_document(item: Mapping[str, Any], edit: Mapping[str, Any], source: str) -> dict[str, Any]:
    provenance = {
        "source": source,
        "section": (item.get("section") or source)[:300],
        "quote": _cap(str(item["quote"])),
    }
    if item["_group"] == "organisations":
        document: dict[str, Any] = {
            "id": item.get("proposed_id") or slug(item["name"]),
            "label": NodeLabel.ORGANISATION,
            "name": item["name"],
            "helix_role": item.get("helix_role"),
            "org_type": item.get("org_type"),
            "generic": bool(item.get("generic")),
            "provenance": provenance,
        }
    else:
        label = item["label"]
        document = {
            "id": item.get("proposed_id") or _activity_id(label, item["name"]),
            "label": label,
            "name": _cap(item["name"]),
            "provenance": provenance,
        }
        if label == NodeLabel.ACTION:
            document["theme"] = item.get("theme")
            document["what"] = item["quote"]
    document.update(edit)
    document.pop("existing_id", None)
    return document


def review(
    store: GraphStore,
    proposals: ProposalStore,
    proposal_id: str,
    decisions: Sequence[Decision],
    *,
    actor: str | None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Write what the reviewer accepts in one graph version (through ``apply_batch``, the
    document as provenance) and keep the decisions with the proposal. Any problem: 422
    listing every one, nothing written and nothing recorded."""
    with _REVIEWING:  # one review at a time: decisions are read, written and recorded whole
        return _review(store, proposals, proposal_id, decisions, actor=actor, dry_run=dry_run)


_REVIEWING = threading.Lock()


def _review(
    store: GraphStore,
    proposals: ProposalStore,
    proposal_id: str,
    decisions: Sequence[Decision],
    *,
    actor: str | None,
    dry_run: bool,
) -> dict[str, Any]:
    proposal = proposals.load(proposal_id)
    graph_ids = {node.id: str(node.label) for node in store.snapshot().nodes}
    graph, status, created, problems = review_batch(proposal, decisions, graph_ids)
    if problems:
        raise InvalidGraphError(problems)
    answer: dict[str, Any] = {
        "id": proposal_id,
        "version": None,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "dry_run": dry_run,
    }
    if graph.nodes or graph.relationships:
        batch = Batch(
            nodes=graph.nodes,
            relationships=graph.relationships,
            expected={node.id: None for node in graph.nodes},
            note=f"proposal {proposal_id}: {proposal.get('source')}"[:300],
        )
        result = apply_batch(store, batch, actor=actor, dry_run=dry_run)
        answer.update(
            version=result.version,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    decided = {**proposal.get("decisions", {}), **status}
    refs = [i["ref"] for g in ("organisations", "activities", "links") for i in proposal.get(g, [])]
    answer["decisions"] = {ref: decided[ref] for ref in refs if ref in decided}
    answer["written"] = {ref: node_id for ref, node_id in created.items() if ref in status}
    answer["status"] = "reviewed" if all(ref in decided for ref in refs) else "open"
    if not dry_run:
        proposal.update(decisions=decided, created=created, status=answer["status"])
        proposal.setdefault("reviews", []).append(
            {"version": answer["version"], "actor": actor, "decisions": status}
        )
        proposals.save(proposal)
    return answer


def proposal_lines(proposal: Mapping[str, Any], lang: Language) -> list[str]:
    """The proposal for a terminal: a summary, then one line per item with its quote."""
    orgs = proposal["organisations"]
    acts = proposal["activities"]
    lines = [
        t(
            lang,
            "cli.propose.summary",
            file=proposal["source"],
            orgs=len(orgs),
            new=sum(1 for o in orgs if not o["existing_id"]),
            links=len(proposal["links"]),
            activities=len(acts),
            newActivities=sum(1 for a in acts if not a["existing_id"]),
            id=proposal["id"],
        )
    ]
    new = t(lang, "cli.propose.new")
    for org in orgs:
        what = org["existing_id"] or f"{new}: {org['helix_role']}, {org['org_type']}"
        lines.append(
            f"{org['ref']:>8}  {t(lang, 'cli.propose.organisation')}  {org['name']} → {what}"
            f"  [{org['section']}] “{org['quote']}”"
        )
    for act in acts:
        what = act["existing_id"] or f"{new}: {act['label']}"
        lines.append(
            f"{act['ref']:>8}  {t(lang, 'cli.propose.activity')}  {act['name']} → {what}"
            f"  [{act['section']}]"
        )
    names = {item["ref"]: item["name"] for item in (*orgs, *acts)}
    for link in proposal["links"]:
        role = f" ({link['role']})" if link["role"] else ""
        lines.append(
            f"{link['ref']:>8}  {t(lang, 'cli.propose.link')}  {names[link['organisation']]} "
            f"{link['type']}{role} {names[link['activity']]}  [{link['section']}] "
            f"“{_cap(link['quote'], 160)}”"
        )
    return lines
