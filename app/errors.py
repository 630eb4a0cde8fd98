"""One error hierarchy for the whole service, mapped to RFC 9457 problem details."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph_schema import Problem

__all__ = [
    "AppError",
    "ConflictError",
    "InvalidGraphError",
    "InvalidRequestError",
    "InvalidSettingsError",
    "NotFoundError",
    "PreconditionFailedError",
    "StoreUnavailableError",
]


class AppError(Exception):
    """Base class: every error a client may see. ``detail`` is safe to show."""

    status: int = 500
    title: str = "Internal error"
    headers: Mapping[str, str] | None = None  # extra response headers, e.g. WWW-Authenticate

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


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
        super().__init__(f"{len(self.problems)} problem(s) in the submitted graph data")


class InvalidSettingsError(AppError):
    """A setting from the environment that cannot work; reported at start-up."""

    status = 500
    title = "Invalid settings"


class StoreUnavailableError(AppError):
    status = 503
    title = "Store unavailable"
