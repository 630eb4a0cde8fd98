"""Name normalisation shared by alias resolution and search."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(text: str) -> str:
    """A comparison key that ignores case, accents, spaces and punctuation.

    >>> name_key("IT-Hub") == name_key("it hub")
    True
    >>> name_key("Patiëntenorganisaties")
    'patientenorganisaties'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", ascii_text)
