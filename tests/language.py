"""Telling Dutch from English in what the service and the page say.

A word is *English only* when the English catalogue uses it and the Dutch one does not
(and, where the graph's own data is given, the data does not either: names, descriptions
and quotes may hold any word). A Dutch screen or answer holding such a word speaks
English somewhere; the same for *Dutch only* in English.
"""

from __future__ import annotations

import re
from functools import cache

from graph_schema.i18n import Language, catalogue

WORD = re.compile(r"[^\W\d_]+")
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def words(text: str) -> set[str]:
    """The words of ``text``, case-folded; digits and punctuation left out."""
    return {w.casefold() for w in WORD.findall(text)}


@cache
def catalogue_words(lang: Language) -> frozenset[str]:
    """Every word of one catalogue's texts, placeholders left out."""
    found: set[str] = set()
    for entry in catalogue(lang).values():
        for text in entry.values() if isinstance(entry, dict) else (entry,):
            found |= words(PLACEHOLDER.sub(" ", text))
    return frozenset(found)


def english_only(data: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """Words only the English catalogue uses, minus the words of ``data``."""
    return set(catalogue_words("en") - catalogue_words("nl")) - data


def dutch_only(data: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """Words only the Dutch catalogue uses, minus the words of ``data``."""
    return set(catalogue_words("nl") - catalogue_words("en")) - data


def strings(value: object) -> list[str]:
    """Every string in a JSON document (an export, say), at any depth."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            found.append(item)
    return found


def document_words(document: object) -> set[str]:
    """Every word of a JSON document: for an export, the words of the graph itself."""
    return set().union(*map(words, strings(document)))
