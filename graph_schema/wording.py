"""Problems worded in the reader's language, from the catalogue.

A problem with input data keeps its English message for logs, the command line and
files; beside it, a catalogue key and parameters say the same in any language. A
parameter that itself depends on the language (a pydantic error, a node label, the
reason JSON could not be read) is an object with ``text(lang)``, worded in the same
language as the sentence around it.

:func:`validation_message` words one pydantic error: the service uses it both for the
fields of a request and for the records of an imported document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from graph_schema.i18n import Language, catalogue, t
from graph_schema.models import ID_PATTERN

__all__ = [
    "FieldError",
    "JsonReason",
    "LabelChoice",
    "LabelWord",
    "Worded",
    "validation_message",
    "word",
]


@runtime_checkable
class Worded(Protocol):
    """A parameter of a sentence that is said differently in each language."""

    def text(self, lang: Language) -> str: ...


def word(lang: Language, key: str, params: Mapping[str, object]) -> str:
    """The catalogue's ``key`` in ``lang``, every language-dependent parameter worded too."""
    return t(
        lang, key, **{k: v.text(lang) if isinstance(v, Worded) else v for k, v in params.items()}
    )


# --- one pydantic error, from the catalogue

# pydantic error types that say the same thing, and the catalogue entry that says it
_SAME = {
    "int_parsing": "int_type",
    "int_from_float": "int_type",
    "float_parsing": "float_type",
    "bool_parsing": "bool_type",
    "literal_error": "enum",
    "model_type": "dict_type",
    "model_attributes_type": "dict_type",
    "dataclass_type": "dict_type",
    "json_type": "json_invalid",
    "string_sub_type": "string_type",
    "string_unicode": "string_type",
}
_LIMITS = {
    "greater_than_equal": "ge",
    "greater_than": "gt",
    "less_than_equal": "le",
    "less_than": "lt",
}
_LENGTHS = {"string_too_short", "string_too_long", "too_short", "too_long"}
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _quote(value: object) -> str:
    return f"'{value}'"


def _alternatives(values: Sequence[str], lang: Language) -> str:
    """``'a', 'b' of 'c'``: the values a client may send."""
    quoted = [_quote(v) for v in values]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {t(lang, 'error.or')} " + quoted[-1]


def _shown(value: object) -> str:
    """A value the client sent, as text: never a repr of a Python object."""
    if isinstance(value, str):
        return _quote(value if len(value) <= 80 else value[:77] + "...")
    if isinstance(value, bool | int | float) or value is None:
        return _quote(value)
    return _quote(type(value).__name__.replace("dict", "object").replace("list", "array"))


def validation_message(error: Mapping[str, Any], lang: Language) -> str:
    """What is wrong with one value, from the catalogue; the path is said elsewhere.

    An error type without an entry reads ``error.invalid`` ("heeft een ongeldige
    waarde"), never pydantic's English message or a Python repr; a plain ``ValueError``
    of a validator adds its own words after it.
    """
    kind = _SAME.get(str(error.get("type")), str(error.get("type")))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    key = f"error.{kind}"
    params: dict[str, object] = {name: str(value) for name, value in ctx.items()}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        key = "error.id_pattern_mismatch"
    elif kind in _LIMITS:
        params = {"limit": ctx.get(_LIMITS[kind], "?")}
    elif kind in _LENGTHS:
        params = {"n": ctx.get("min_length" if kind.endswith("short") else "max_length", 0)}
    elif kind in ("enum", "union_tag_invalid"):
        expected = _QUOTED.findall(str(ctx.get("expected_tags" if "tag" in kind else "expected")))
        params = {
            "expected": _alternatives(expected, lang),
            "input": _shown(error.get("input")),
            "tag": _quote(ctx.get("tag", "")),
            "discriminator": str(ctx.get("discriminator", "")).strip("'"),
        }
    elif kind == "union_tag_not_found":
        params = {"discriminator": str(ctx.get("discriminator", "")).strip("'")}
    elif key not in catalogue(lang):
        # custom errors of the schema (error.relationship_role_required, …) have entries;
        # anything else is said in general terms, with a validator's own words if any
        said = t(lang, "error.invalid")
        if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
            said += f": {ctx['error']}"
        return said
    return t(lang, key, **params)


def _small(value: object) -> object:
    """What :func:`validation_message` may show of a value: scalars as they are, an
    object or a list as an empty one of its kind (a whole record is not kept)."""
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    if isinstance(value, Mapping):
        return {}
    return []


@dataclass(frozen=True, slots=True)
class FieldError:
    """One pydantic error of a record, kept small: its type, context and input."""

    error: Mapping[str, Any]

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> FieldError:
        ctx = item.get("ctx")
        kept: dict[str, Any] = {"type": item.get("type"), "input": _small(item.get("input"))}
        if ctx:
            kept["ctx"] = dict(ctx)
        return cls(kept)

    def text(self, lang: Language) -> str:
        return validation_message(self.error, lang)


# --- node labels as words


@dataclass(frozen=True, slots=True)
class LabelWord:
    """A node label as a word in a sentence: ``actie`` (``action``); ``SDG`` stays."""

    label: str

    def text(self, lang: Language) -> str:
        said = t(lang, f"kind.{self.label}")
        return said if said.isupper() else said.lower()


@dataclass(frozen=True, slots=True)
class LabelChoice:
    """Node labels as alternatives: ``actie, netwerk of project``."""

    labels: tuple[str, ...]

    def text(self, lang: Language) -> str:
        said = [LabelWord(label).text(lang) for label in self.labels]
        if len(said) <= 1:
            return "".join(said)
        return ", ".join(said[:-1]) + f" {t(lang, 'error.or')} " + said[-1]


# --- why a text is not JSON

_JSON_REASONS = {
    "Expecting value": "value",
    "Expecting property name enclosed in double quotes": "property_name",
    "Expecting ':' delimiter": "colon",
    "Expecting ',' delimiter": "comma",
    "Unterminated string starting at": "unterminated_string",
    "Invalid control character at": "control_character",
    "Invalid \\escape": "escape",
    "Invalid \\uXXXX escape": "escape",
    "Extra data": "extra_data",
}


@dataclass(frozen=True, slots=True)
class JsonReason:
    """The reason Python's JSON parser gives (``Expecting value``), in the reader's
    language; a reason without an entry is said in general terms."""

    reason: str

    def text(self, lang: Language) -> str:
        return t(lang, f"problem.json.{_JSON_REASONS.get(self.reason, 'other')}")
