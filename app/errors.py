"""One error hierarchy for the whole service, mapped to RFC 9457 problem details.

An error a client may see carries its sentence as a catalogue key with parameters
(:meth:`AppError.of`); the problem handler words it in the request's language, while
``detail`` keeps the English wording for logs and for callers without a language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from graph_schema import Problem
from graph_schema.i18n import Language, t

__all__ = [
    "AppError",
    "ConflictError",
    "InvalidGraphError",
    "InvalidRequestError",
    "InvalidSettingsError",
    "Kind",
    "Message",
    "NotFoundError",
    "PreconditionFailedError",
    "StoreUnavailableError",
    "quoted",
]


def quoted(value: object) -> str:
    """A value the client sent or an identifier, as error details quote them: ``'x'``."""
    return f"'{value}'"


def _worded(value: object, lang: Language) -> object:
    return value.text(lang) if isinstance(value, Message | Kind) else value


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence of the catalogue, worded once the reader's language is known.

    A parameter that is itself language-dependent (a :class:`Message` or a
    :class:`Kind`) is worded in the same language.
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: Language) -> str:
        return t(lang, self.key, **{name: _worded(v, lang) for name, v in self.params.items()})


@dataclass(frozen=True, slots=True)
class Kind:
    """A node label as a word in a sentence: ``organisatie`` (``Organisatie`` at the
    start of one); an abbreviation such as ``SDG`` keeps its capitals."""

    label: str
    capital: bool = False

    def text(self, lang: Language) -> str:
        word = t(lang, f"kind.{self.label}")
        if self.capital or word.isupper():
            return word
        return word.lower()


class AppError(Exception):
    """Base class: every error a client may see. ``detail`` is safe to show.

    Raise with a catalogue key, ``NotFoundError.of("error.node.not_found", kind=...,
    id=quoted(node_id))``, so that the client reads it in its language; ``detail`` is
    then the English wording. A plain ``AppError(detail)`` is shown as it is.
    """

    status: int = 500
    title: str = "Internal error"
    headers: Mapping[str, str] | None = None  # extra response headers, e.g. WWW-Authenticate
    extra: Mapping[str, Any] | None = None  # extra members of the problem body

    def __init__(self, detail: str, *, message: Message | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.message = message

    @classmethod
    def of(cls, key: str, /, **params: Any) -> Self:
        """The error whose detail is the catalogue's ``key`` with ``params``."""
        message = Message(key, params)
        return cls(message.text("en"), message=message)

    def worded(self, lang: Language) -> str:
        """The detail in ``lang``: from the catalogue when the error has a key."""
        return self.detail if self.message is None else self.message.text(lang)


class NotFoundError(AppError):
    status = 404
    title = "Not found"


class InvalidRequestError(AppError):
    """A request that is well-formed but contradicts itself (e.g. two different ids)."""

    status = 422
    title = "Invalid request"


class ConflictError(AppError):
    status = 409
    title = "Conflict"


class PreconditionFailedError(AppError):
    """The resource changed since the client read it (If-Match did not match)."""

    status = 412
    title = "Precondition failed"


class InvalidGraphError(AppError):
    """Input that would make the graph inconsistent; carries every problem."""

    status = 422
    title = "Invalid graph data"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        message = Message("error.graph.problems", {"n": len(self.problems)})
        super().__init__(message.text("en"), message=message)

    def __reduce__(self) -> tuple[Any, ...]:
        # across the analysis process: made again from the problems, not from the text
        return (type(self), (self.problems,))


class InvalidSettingsError(AppError):
    """A setting from the environment that cannot work; reported at start-up."""

    status = 500
    title = "Invalid settings"


class StoreUnavailableError(AppError):
    status = 503
    title = "Store unavailable"
