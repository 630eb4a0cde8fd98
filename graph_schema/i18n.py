"""Every sentence the service and the explorer produce, one catalogue per language.

The catalogues are ``graph_schema/catalogue/<lang>.json``: a flat mapping from a key to
a text with ``{name}`` placeholders, or to its plural forms ``{"one": …, "other": …}``
chosen by the placeholder ``n``. The service formats its reasons, findings, headers and
error details with :func:`t`; the explorer loads the same files from
``GET /api/v1/catalogue/{lang}`` and formats with the same rules (``js/i18n.js``).

Dutch is the default everywhere; English on request (``lang`` or ``Accept-Language``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Literal, cast, get_args

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = cast(tuple[Language, ...], get_args(Language))
DEFAULT_LANGUAGE: Language = "nl"

Entry = str | dict[str, str]
PLURAL_FORMS = ("zero", "one", "other")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def catalogue(lang: Language) -> Mapping[str, Entry]:
    """The whole catalogue of one language, as the explorer receives it."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    text = resources.files("graph_schema").joinpath(f"catalogue/{lang}.json").read_text("utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise TypeError(f"catalogue/{lang}.json is not an object")
    return cast(dict[str, Entry], data)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def plural_form(lang: Language, n: float) -> str:
    """``one`` or ``other``: Dutch and English share the rule (1 → one)."""
    del lang  # both languages: exactly 1 is singular, 0 and everything else plural
    return "one" if n == 1 else "other"


def t(lang: Language, key: str, /, **params: object) -> str:
    """The text for ``key`` in ``lang``, placeholders filled; plural by ``n``.

    A key missing from ``lang`` falls back to Dutch and then to the key itself, so a
    missing text is visible rather than an error (a test keeps the catalogues complete).
    """
    entry = catalogue(lang).get(key)
    if entry is None:
        entry = catalogue(DEFAULT_LANGUAGE).get(key, key)
    if isinstance(entry, dict):
        n = _number(params.get("n"))
        form = "other" if n is None else plural_form(lang, n)
        if n == 0 and "zero" in entry:
            form = "zero"
        entry = entry.get(form) or entry["other"]
    return fill(entry, params)


def fill(text: str, params: Mapping[str, object]) -> str:
    """Replace ``{name}`` by ``params[name]``; unknown placeholders stay as written."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(params[name]) if name in params else match.group(0)

    return _PLACEHOLDER.sub(one, text)


def listing(items: Sequence[str], lang: Language, limit: int = 3) -> str:
    """``a, b en c`` (``a, b and c``); beyond ``limit`` the rest is counted.

    ``listing(["a", "b", "c", "d", "e"], "nl")`` is ``a, b, c en 2 andere``.
    """
    shown = list(items[:limit])
    rest = len(items) - len(shown)
    if rest > 0:
        shown.append(t(lang, "common.others", n=rest))
    if not shown:
        return ""
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" {t(lang, 'common.and')} " + shown[-1]


def number(value: float, lang: Language, digits: int = 2) -> str:
    """A number as people of ``lang`` write it: ``0,25`` in Dutch, ``0.25`` in English."""
    text = f"{value:,.{digits}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def negotiate(lang: str | None, accept_language: str | None = None) -> Language:
    """The language to answer in: ``lang`` when given, else the best of Accept-Language.

    Unknown values fall back to Dutch; callers that must refuse an unknown ``lang``
    validate it before (the API's ``lang`` parameter is an enumeration).
    """
    if lang in LANGUAGES:
        return lang
    if accept_language:
        ranked: list[tuple[float, int, str]] = []
        for position, part in enumerate(accept_language.split(",")):
            tag, _, options = part.strip().partition(";")
            quality = 1.0
            for option in options.split(";"):
                name, _, value = option.strip().partition("=")
                if name == "q":
                    try:
                        quality = float(value)
                    except ValueError:
                        quality = 0.0
            ranked.append((-quality, position, tag.strip().lower().split("-")[0]))
        for quality, _, primary in sorted(ranked):
            if quality < 0 and primary in LANGUAGES:
                return primary
    return DEFAULT_LANGUAGE


def placeholders(entry: Entry) -> set[str]:
    """The placeholder names an entry uses (all forms together)."""
    texts = entry.values() if isinstance(entry, dict) else [entry]
    return {name for text in texts for name in _PLACEHOLDER.findall(text)}
