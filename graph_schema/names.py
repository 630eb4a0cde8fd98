"""Name normalisation shared by alias resolution and search."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["NameEntry", "NameHit", "NameIndex", "name_key", "name_tokens"]

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


_TOKEN = re.compile(r"[0-9a-z]+")
_CANDIDATES = 2000
REBUILD_AFTER = 2000
"""Changed ids after which :meth:`NameIndex.updated` builds a new index from scratch."""


def name_tokens(text: str) -> list[str]:
    """Lowercase, accent-free words of a name: 'IT-Hub Hoogeveen' -> ['it', 'hub', 'hoogeveen']."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _TOKEN.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True, slots=True)
class NameEntry:
    """A searchable node: its id, kind, name and other spellings."""

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NameHit:
    entry: NameEntry
    score: float
    matched: str  # the spelling that matched best


class NameIndex:
    """Ranked, typo-tolerant lookup of names and aliases.

    A query matches a spelling when, ignoring case, accents, spaces and punctuation,
    it is equal (score 1), a prefix (0.9+), contained (0.8), when every query word
    starts a word of the spelling (0.75), or when it is close by edit similarity
    (difflib ratio >= 0.8, scaled to at most 0.7). Trigrams narrow the fuzzy
    candidates, so a lookup in tens of thousands of names stays in milliseconds.
    Ties are broken by name and id, so results are deterministic.

    Examples
    --------
    >>> index = NameIndex([NameEntry("it-hub", "Organisation", "IT Hub", ("IT-Hub",))])
    >>> [hit.entry.id for hit in index.search("it hub")]
    ['it-hub']
    """

    def __init__(self, entries: Iterable[NameEntry]) -> None:
        self._entries = list(entries)
        self._base: NameIndex | None = None  # see updated()
        self._hidden: frozenset[str] = frozenset()
        self._size = len(self._entries)
        self._spellings: list[tuple[int, str, str, tuple[str, ...]]] = []
        self._by_trigram: dict[str, set[int]] = defaultdict(set)
        for index, entry in enumerate(self._entries):
            for spelling in dict.fromkeys((entry.name, *entry.aliases)):
                key = name_key(spelling)
                if not key:
                    continue
                position = len(self._spellings)
                self._spellings.append((index, spelling, key, tuple(name_tokens(spelling))))
                for gram in _trigrams(key):
                    self._by_trigram[gram].add(position)

    def __len__(self) -> int:
        return self._size

    def entries(self) -> list[NameEntry]:
        """Every entry, in no particular order."""
        if self._base is None:
            return list(self._entries)
        kept = [e for e in self._base.entries() if e.id not in self._hidden]
        return kept + self._entries

    def updated(self, entries: Iterable[NameEntry], removed: Iterable[str] = ()) -> NameIndex:
        """This index with ``entries`` added or replaced (by id) and ``removed`` ids gone.

        The new index answers like one built from scratch, but costs what changed: it
        keeps this index's tables (which stay as they are) and searches the changed
        entries beside them. After ``REBUILD_AFTER`` changed ids it is built afresh.

        >>> old = NameIndex([NameEntry("a", "Organisation", "Acme")])
        >>> new = old.updated([NameEntry("a", "Organisation", "Zenith")])
        >>> [hit.entry.name for hit in new.search("zenith")], old.search("zenith")
        (['Zenith'], [])
        """
        changed = {entry.id: entry for entry in entries}
        gone = set(removed) | set(changed)
        base = self if self._base is None else self._base
        overlay = {} if self._base is None else {entry.id: entry for entry in self._entries}
        for node_id in gone:
            overlay.pop(node_id, None)
        overlay.update(changed)
        hidden = self._hidden | gone
        if len(hidden) > REBUILD_AFTER:
            kept = [e for e in base.entries() if e.id not in hidden]
            return NameIndex([*kept, *overlay.values()])
        index = NameIndex(overlay.values())
        index._base = base
        index._hidden = frozenset(hidden)
        index._size = sum(1 for e in base._entries if e.id not in hidden) + len(overlay)
        return index

    def search(
        self, text: str, *, limit: int = 10, labels: Collection[str] | None = None
    ) -> list[NameHit]:
        """The best-matching entries for ``text``, best first (at most ``limit``)."""
        hits = self._search(text, labels)
        if self._base is not None:
            wider = self._base.search(text, limit=limit + len(self._hidden), labels=labels)
            hits += [hit for hit in wider if hit.entry.id not in self._hidden]
        hits.sort(key=lambda h: (-h.score, name_key(h.entry.name), h.entry.id))
        return hits[:limit]

    def suggest(
        self, text: str, *, limit: int = 5, labels: Collection[str] | None = None
    ) -> list[NameHit]:
        """Names to propose for ``text`` that named nothing: the search's hits, or else
        the ``limit`` nearest spellings by edit distance (at most a third of the query's
        letters, and at least one, changed), nearest first.

        >>> index = NameIndex([NameEntry("kpn", "Organisation", "KPN")])
        >>> index.search("KPM"), [hit.entry.id for hit in index.suggest("KPM")]
        ([], ['kpn'])
        """
        hits = self.search(text, limit=limit, labels=labels)
        query = name_key(text)
        if hits or not query:
            return hits
        most = max(1, len(query) // 3)
        near: dict[str, NameHit] = {}
        for entry in self.entries():
            if labels is not None and entry.label not in labels:
                continue
            for spelling in (entry.name, *entry.aliases):
                distance = _edit_distance(query, name_key(spelling), most)
                if distance > most:
                    continue
                score = round(0.5 * (1 - distance / max(len(query), 1)), 4)
                known = near.get(entry.id)
                if known is None or score > known.score:
                    near[entry.id] = NameHit(entry, score, spelling)
        ranked = sorted(near.values(), key=lambda h: (-h.score, name_key(h.entry.name), h.entry.id))
        return ranked[:limit]

    def _search(self, text: str, labels: Collection[str] | None) -> list[NameHit]:
        query = name_key(text)
        if not query:
            return []
        words = name_tokens(text)
        grams = _trigrams(query)
        counts: Counter[int] = Counter()
        for gram in grams:
            counts.update(self._by_trigram.get(gram, ()))
        needed = max(1, len(grams) // 3)
        best: dict[int, tuple[float, int]] = {}  # entry -> (score, position of the spelling)
        # Only the spellings sharing the most trigrams are scored: when thousands of names
        # look alike ("CORDIS organisation 1234"), scoring them all would cost seconds.
        for position, shared in counts.most_common(_CANDIDATES):
            if shared < needed:
                break
            index, _, key, tokens = self._spellings[position]
            entry = self._entries[index]
            if labels is not None and entry.label not in labels:
                continue
            score = _score(query, words, key, tokens)
            known = best.get(index, (0.0, position))
            # the best spelling; between equals, the first (the name before its aliases)
            if score > known[0] or (score == known[0] and score > 0 and position < known[1]):
                best[index] = (score, position)
        return [
            NameHit(self._entries[i], round(score, 4), self._spellings[position][1])
            for i, (score, position) in best.items()
            if score > 0
        ]


def _score(query: str, words: list[str], key: str, tokens: tuple[str, ...]) -> float:
    if key == query:
        return 1.0
    if key.startswith(query):
        return 0.9 + 0.05 * len(query) / len(key)
    if len(query) >= 4 and query in key:  # shorter ones match inside too many words
        return 0.8
    if words and all(any(t.startswith(w) for t in tokens) for w in words):
        return 0.75
    ratio = max(
        SequenceMatcher(None, query, key, autojunk=False).ratio(),
        SequenceMatcher(None, query, key[: len(query) + 1], autojunk=False).ratio()
        if len(key) > len(query)
        else 0.0,
    )
    return 0.7 * ratio if ratio >= 0.8 else 0.0


def _edit_distance(a: str, b: str, most: int) -> int:
    """Levenshtein distance of ``a`` and ``b``; ``most + 1`` once it exceeds ``most``."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > most:
            return most + 1
        previous = current
    return previous[-1]
