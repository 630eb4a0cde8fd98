"""Name normalisation shared by alias resolution and search, and the index that searches names."""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate, chain, takewhile

__all__ = ["NameEntry", "NameHit", "NameIndex", "name_key", "name_tokens"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(text: str) -> str:
    """A comparison key that ignores case, accents, spaces and punctuation.

    >>> name_key("IT-Hub") == name_key("it hub")
    True
    >>> name_key("Patiëntenorganisaties")
    'patientenorganisaties'
    """
    return _NON_ALNUM.sub("", _folded(text))


_TOKEN = re.compile(r"[0-9a-z]+")
_AFTER_Z = "{"  # sorts after every character a key holds, so "abc" + _AFTER_Z ends a prefix
FUZZY_CANDIDATES = 32
COMMON_TRIGRAM = 1000
"""Spellings above which a trigram is too common to pick fuzzy candidates by."""
"""Spellings scored by edit similarity (or edit distance, in suggestions) per index and query."""
REBUILD_AFTER = 2000
"""Changed ids after which :meth:`NameIndex.updated` builds a new index from scratch."""


def name_tokens(text: str) -> list[str]:
    """Lowercase, accent-free words of a name: 'IT-Hub Hoogeveen' -> ['it', 'hub', 'hoogeveen']."""
    return _TOKEN.findall(_folded(text))


def _folded(text: str) -> str:
    """``text`` in lower case without accents (ASCII text, the common case, is only lowered)."""
    if text.isascii():
        return text.lower()  # for ASCII the same as the decomposition below, and faster
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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


@dataclass(frozen=True, slots=True)
class _Query:
    """What a search text is compared by: its key (``name_key``) and its words."""

    key: str
    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Query:
        words = tuple(name_tokens(text))
        return cls("".join(words), words)  # the same as name_key(text)


@dataclass(frozen=True, slots=True)
class _Spelling:
    entry: int  # position of the entry in NameIndex._entries
    text: str
    key: str
    words: tuple[str, ...]


_Ranked = tuple[float, str, str, NameHit]  # (-score, name key, id, hit): sorts best first


def _ranked(hits: Iterable[_Ranked], limit: int) -> list[NameHit]:
    return [ranked[3] for ranked in sorted(hits, key=lambda r: r[:3])[:limit]]


class _SortedStrings:
    """Strings in order, each with a number: the strings that start with a prefix are a run."""

    __slots__ = ("numbers", "strings")

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        ordered = sorted(pairs)
        self.strings = [string for string, _ in ordered]
        self.numbers = [number for _, number in ordered]

    def starting_with(self, prefix: str) -> range:
        """Positions (in this order) of the strings that start with ``prefix``."""
        start = bisect_left(self.strings, prefix)
        return range(start, bisect_left(self.strings, prefix + _AFTER_Z, start))


class _Vocabulary:
    """Every word of every spelling, sorted, with the spellings holding it (its postings).

    A word's postings are spelling positions in increasing order, so a merge of several
    words' postings lists spellings in the index's order (by name, then id).
    """

    __slots__ = ("_running", "postings", "words")

    def __init__(self, postings: dict[str, list[int]]) -> None:
        self.words = sorted(postings)
        self.postings = [postings[word] for word in self.words]
        self._running = list(accumulate((len(p) for p in self.postings), initial=0))

    def starting_with(self, prefix: str) -> range:
        """Numbers of the words that start with ``prefix``."""
        start = bisect_left(self.words, prefix)
        return range(start, bisect_left(self.words, prefix + _AFTER_Z, start))

    def spellings(self, run: range) -> int:
        """How many postings the words ``run`` holds have together (counted in constant time)."""
        return self._running[run.stop] - self._running[run.start]


def _merged(postings: Sequence[list[int]]) -> Iterator[int]:
    """The positions of several increasing postings lists, in increasing order, once each."""
    if len(postings) == 1:
        yield from postings[0]
        return
    last = -1
    for position in heapq.merge(*postings):
        if position != last:
            yield position
            last = position


class _Gathering:
    """The entries one search has found in one index, in the order found.

    ``take`` reads spelling positions in index order and keeps the first ``want`` new
    entries that pass the label and hidden-id filters (and ``accept``, when given), each
    with ``score`` and the spelling read, when the score is known: an entry first found
    by a kind of match has none better (the better kinds were read in full before).
    """

    def __init__(
        self, index: NameIndex, labels: Collection[str] | None, hidden: Collection[str]
    ) -> None:
        self.found: dict[int, tuple[float, str] | None] = {}
        self._index = index
        self._labels = labels
        self._hidden = hidden

    def take(
        self,
        positions: Iterable[int],
        want: int,
        score: float | None = None,
        accept: Callable[[_Spelling], bool] | None = None,
    ) -> None:
        if want <= 0:
            return
        spellings, entries = self._index._spellings, self._index._entries
        new = 0
        for position in positions:
            spelling = spellings[position]
            if spelling.entry in self.found:
                continue
            entry = entries[spelling.entry]
            if self._labels is not None and entry.label not in self._labels:
                continue
            if entry.id in self._hidden or (accept is not None and not accept(spelling)):
                continue
            self.found[spelling.entry] = None if score is None else (score, spelling.text)
            new += 1
            if new == want:
                return


class NameIndex:
    """Ranked, typo-tolerant lookup of names and aliases.

    A query matches a spelling when, ignoring case, accents, spaces and punctuation,
    it is equal (score 1), a prefix (0.9+), contained (0.8), when every query word
    starts a word of the spelling (0.75), or when it is close by edit similarity
    (difflib ratio >= 0.8, scaled to at most 0.7). Ties are broken by name and id, so
    results are deterministic.

    Each kind of match is looked up in its own table, best kind first, and the search
    stops once ``limit`` entries are found (the kinds' scores do not overlap): equal and
    prefix keys by bisection in keys sorted per length; contained keys through the
    rarest trigram of the query; word starts through the sorted vocabulary of words,
    from the query word with the fewest spellings. Entries are numbered by name and id
    and every table lists them in that order, so the first ``limit`` found of a kind are
    the best of that kind (each entry scored by its best spelling; between equals, the
    name before its aliases). Close spellings are only looked for when the kinds above
    found fewer than ``limit``: the spellings sharing the most of the query's trigrams,
    read from the trigrams that fewer than ``COMMON_TRIGRAM`` spellings hold, and only
    the first ``FUZZY_CANDIDATES`` of them are scored by edit similarity. So a lookup
    reads what the query selects, never every name; the price is that among thousands
    of close spellings only the most alike by trigrams are weighed.

    Examples
    --------
    >>> index = NameIndex([NameEntry("it-hub", "Organisation", "IT Hub", ("IT-Hub",))])
    >>> [hit.entry.id for hit in index.search("it hub")]
    ['it-hub']
    >>> [hit.entry.id for hit in index.search("IT Hbu")]
    ['it-hub']
    """

    def __init__(self, entries: Iterable[NameEntry]) -> None:
        self._entries = sorted(entries, key=lambda e: (name_key(e.name), e.id))
        self._name_keys = [name_key(entry.name) for entry in self._entries]
        self._ids = {entry.id for entry in self._entries}
        self._base: NameIndex | None = None  # see updated()
        self._hidden: frozenset[str] = frozenset()
        self._size = len(self._entries)
        self._spellings: list[_Spelling] = []
        self._first_spelling: list[int] = []
        for number, entry in enumerate(self._entries):
            self._first_spelling.append(len(self._spellings))
            for text in dict.fromkeys((entry.name, *entry.aliases)):
                words = tuple(name_tokens(text))
                if words:
                    self._spellings.append(_Spelling(number, text, "".join(words), words))
        self._first_spelling.append(len(self._spellings))
        self._keys = self._keys_by_length()
        self._trigrams = self._trigram_postings()
        self._vocabulary = self._word_postings()

    def _keys_by_length(self) -> dict[int, tuple[_SortedStrings, _SortedStrings]]:
        """Per key length, the keys of names and of aliases, each sorted."""
        names: dict[int, list[tuple[str, int]]] = {}
        aliases: dict[int, list[tuple[str, int]]] = {}
        for position, spelling in enumerate(self._spellings):
            # a key equal to its entry's name key sorts like the entry: such runs need no sort
            is_name = spelling.key == self._name_keys[spelling.entry]
            table = names if is_name else aliases
            table.setdefault(len(spelling.key), []).append((spelling.key, position))
        return {
            length: (_SortedStrings(names.get(length, ())), _SortedStrings(aliases.get(length, ())))
            for length in sorted(names.keys() | aliases.keys())
        }

    def _trigram_postings(self) -> dict[str, list[int]]:
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for position, spelling in enumerate(self._spellings):
            for gram in _trigrams(spelling.key, padded=True):
                postings[gram].append(position)
        return dict(postings)

    def _word_postings(self) -> _Vocabulary:
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for position, spelling in enumerate(self._spellings):
            for word in dict.fromkeys(spelling.words):
                postings[word].append(position)
        return _Vocabulary(postings)

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
        index._size = len(base) - len(hidden & base._ids) + len(overlay)
        return index

    def search(
        self, text: str, *, limit: int = 10, labels: Collection[str] | None = None
    ) -> list[NameHit]:
        """The best-matching entries for ``text``, best first (at most ``limit``)."""
        query = _Query.of(text)
        if not query.key or limit <= 0:
            return []
        hits = self._search(query, limit, labels, frozenset())
        if self._base is not None:
            hits += self._base._search(query, limit, labels, self._hidden)
        return _ranked(hits, limit)

    def suggest(
        self, text: str, *, limit: int = 5, labels: Collection[str] | None = None
    ) -> list[NameHit]:
        """Names to propose for ``text`` that named nothing: the search's hits, or else
        the ``limit`` nearest spellings by edit distance (at most a third of the query's
        letters, and at least one, changed), nearest first. The spellings weighed are
        those search would score by edit similarity.

        >>> index = NameIndex([NameEntry("kpn", "Organisation", "KPN")])
        >>> index.search("KPM"), [hit.entry.id for hit in index.suggest("KPM")]
        ([], ['kpn'])
        """
        hits = self.search(text, limit=limit, labels=labels)
        query = _Query.of(text)
        if hits or not query.key:
            return hits
        near = self._nearest(query, labels, frozenset())
        if self._base is not None:
            near += self._base._nearest(query, labels, self._hidden)
        return _ranked(near, limit)

    def _search(
        self, query: _Query, limit: int, labels: Collection[str] | None, hidden: Collection[str]
    ) -> list[_Ranked]:
        """The entries of this index's own tables that may be among the best ``limit``."""
        gathering = _Gathering(self, labels, hidden)
        steps: tuple[Callable[[_Query, _Gathering, int], bool], ...] = (
            self._gather_equal_and_prefixed,
            self._gather_containing,
            self._gather_word_starts,
            self._gather_close,
        )
        for step in steps:
            if step(query, gathering, limit):
                break
        ranked = (
            self._scored(number, query) if known is None else self._hit(number, *known)
            for number, known in gathering.found.items()
        )
        return [hit for hit in ranked if hit[0] < 0]

    def _gather_equal_and_prefixed(self, query: _Query, gathering: _Gathering, limit: int) -> bool:
        """Keys equal to the query, then keys it starts, shortest (best) first.

        Keys of one length score alike, so the first ``limit`` of a length, in index
        order, are its best. Name keys sort like their entries; alias keys are few and
        sorted on the spot. Lengths whose rounded scores are equal are read together.
        """
        score, found = 2.0, len(gathering.found)  # found before this score's lengths
        for length, (names, aliases) in self._keys.items():
            if length < len(query.key):
                continue
            named, aliased = names.starting_with(query.key), aliases.starting_with(query.key)
            if not named and not aliased:
                continue
            if _prefix_score(len(query.key), length) != score:
                if len(gathering.found) >= limit:
                    return True
                score, found = _prefix_score(len(query.key), length), len(gathering.found)
            by_name = (names.numbers[i] for i in named)
            by_alias = sorted(aliases.numbers[i] for i in aliased)
            gathering.take(heapq.merge(by_name, by_alias), limit - found, score)
        return len(gathering.found) >= limit

    def _gather_containing(self, query: _Query, gathering: _Gathering, limit: int) -> bool:
        """Keys that contain the query (of four or more letters), through its rarest trigram."""
        if len(query.key) < 4:
            return False
        postings = [self._trigrams.get(gram, []) for gram in _trigrams(query.key)]
        rarest = min(postings, key=len)

        def contains(spelling: _Spelling) -> bool:
            return query.key in spelling.key

        gathering.take(rarest, limit - len(gathering.found), 0.8, contains)
        return len(gathering.found) >= limit

    def _gather_word_starts(self, query: _Query, gathering: _Gathering, limit: int) -> bool:
        """Spellings in which every query word starts a word, from the rarest query word."""
        if not query.words:
            return False
        gathering.take(self._word_starts(query.words), limit - len(gathering.found), 0.75)
        return len(gathering.found) >= limit

    def _word_starts(self, words: Sequence[str]) -> Iterator[int]:
        """Spellings in which every one of ``words`` starts a word, in index order: the
        spellings of the words that the rarest of ``words`` starts, checked for the others."""
        vocabulary = self._vocabulary
        runs = [vocabulary.starting_with(word) for word in words]
        rarest = min(runs, key=vocabulary.spellings)
        for position in _merged([vocabulary.postings[number] for number in rarest]):
            if _words_start(words, self._spellings[position].words):
                yield position

    def _gather_close(self, query: _Query, gathering: _Gathering, limit: int) -> bool:
        """The first ``FUZZY_CANDIDATES`` spellings that may be close (scored afterwards)."""
        gathering.take(self._close_candidates(query), FUZZY_CANDIDATES)
        return True

    def _close_candidates(self, query: _Query) -> Iterator[int]:
        """Spellings that share a third of the query's trigrams (the key's start and end
        marked), those sharing the most first, then in index order.

        Trigrams held by more than ``COMMON_TRIGRAM`` spellings are not read to find
        candidates, only checked in the candidates found by the others. When those are
        too few (a typo in words that thousands of names hold), the spellings in which
        the query words that start a word all do, are candidates too.
        """
        padded = _trigrams(query.key, padded=True)
        needed = max(1, len(padded) // 3)
        held = {gram: self._trigrams[gram] for gram in sorted(padded) if gram in self._trigrams}
        common = [gram for gram, postings in held.items() if len(postings) > COMMON_TRIGRAM]
        shared = Counter(chain.from_iterable(p for p in held.values() if len(p) <= COMMON_TRIGRAM))

        def sharing(position: int) -> bool:
            key = f"  {self._spellings[position].key} "
            return shared[position] + sum(gram in key for gram in common) >= needed

        ranked = sorted(shared)  # index order, then (the sort is stable) most shared first
        ranked.sort(key=shared.__getitem__, reverse=True)
        lowest = needed - len(common)  # fewer shared read trigrams than this never do
        yield from filter(sharing, takewhile(lambda p: shared[p] >= lowest, ranked))
        starting = [word for word in query.words if self._vocabulary.starting_with(word)]
        if 0 < len(starting) < len(query.words):
            yield from filter(sharing, self._word_starts(starting))

    def _nearest(
        self, query: _Query, labels: Collection[str] | None, hidden: Collection[str]
    ) -> list[_Ranked]:
        """Entries with a spelling at most a third of the query's letters from it."""
        gathering = _Gathering(self, labels, hidden)
        gathering.take(self._close_candidates(query), FUZZY_CANDIDATES)
        most = max(1, len(query.key) // 3)
        near: list[_Ranked] = []
        for number in gathering.found:
            best: tuple[int, str] | None = None
            for spelling in self._spellings_of(number):
                distance = _edit_distance(query.key, spelling.key, most)
                if distance <= most and (best is None or distance < best[0]):
                    best = (distance, spelling.text)
            if best is not None:
                score = round(0.5 * (1 - best[0] / len(query.key)), 4)
                near.append(self._hit(number, score, best[1]))
        return near

    def _spellings_of(self, number: int) -> list[_Spelling]:
        return self._spellings[self._first_spelling[number] : self._first_spelling[number + 1]]

    def _scored(self, number: int, query: _Query) -> _Ranked:
        """The entry's best spelling for ``query`` (the first of equals: the name first)."""
        best, matched = 0.0, ""
        for spelling in self._spellings_of(number):
            score = _score(query.key, query.words, spelling.key, spelling.words, best)
            if score > best:
                best, matched = score, spelling.text
        return self._hit(number, round(best, 4), matched)

    def _hit(self, number: int, score: float, matched: str) -> _Ranked:
        entry = self._entries[number]
        return (-score, self._name_keys[number], entry.id, NameHit(entry, score, matched))


def _trigrams(key: str, *, padded: bool = False) -> set[str]:
    """The three-letter pieces of ``key``; ``padded``, also its start and end marked by spaces
    (the index holds padded ones: a piece without spaces is in a key wherever it occurs)."""
    if padded:
        key = f"  {key} "
    return {key[i : i + 3] for i in range(len(key) - 2)}


def _prefix_score(query_length: int, key_length: int) -> float:
    if key_length == query_length:
        return 1.0
    return round(0.9 + 0.05 * query_length / key_length, 4)


def _words_start(words: Sequence[str], tokens: Sequence[str]) -> bool:
    return all(any(token.startswith(word) for token in tokens) for word in words)


def _score(
    query: str, words: Sequence[str], key: str, tokens: Sequence[str], best: float = 0.0
) -> float:
    """How well ``key`` matches ``query``; 0 when not at all, or when only edit similarity
    would match and cannot beat ``best`` (it scores at most 0.7)."""
    if key == query:
        return 1.0
    if key.startswith(query):
        return 0.9 + 0.05 * len(query) / len(key)
    if len(query) >= 4 and query in key:  # shorter ones match inside too many words
        return 0.8
    if words and _words_start(words, tokens):
        return 0.75
    if best >= 0.7:
        return 0.0
    return 0.7 * _similarity(query, key)


def _similarity(query: str, key: str) -> float:
    """difflib's ratio of ``query`` and ``key`` or of ``query`` and the start of ``key``
    (one letter longer than the query), the larger; 0 below 0.8."""
    ratio = 0.0
    if len(key) > len(query) + 1:  # else the start is the whole key
        start = key[: len(query) + 1]
        ratio = SequenceMatcher(None, query, start, autojunk=False).ratio()
    # the whole key can only do better when the lengths allow it (difflib's real_quick_ratio)
    bound = 2.0 * min(len(query), len(key)) / (len(query) + len(key))
    if bound > ratio and bound >= 0.8:
        ratio = max(ratio, SequenceMatcher(None, query, key, autojunk=False).ratio())
    return ratio if ratio >= 0.8 else 0.0


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
