"""Entity tags: 304 Not Modified for reads, 412/428 against lost updates (RFC 9110 §13)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import Request, Response

from app.errors import AppError, PreconditionFailedError

__all__ = [
    "PreconditionFailedError",
    "PreconditionRequiredError",
    "check_if_match",
    "check_if_none_match",
]

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, in a comma-separated list (RFC 9110 §8.8.3).
# etagc admits commas, so the list is tokenised rather than split on ",". Empty list
# elements are allowed (RFC 9110 §5.6.1).
_LIST_ELEMENT = re.compile(r'\s*(?:(W/)?"([\x21\x23-\x7e\x80-\xff]*)")?\s*(?:,|$)')


class PreconditionRequiredError(AppError):
    """An update without ``If-Match`` where the service demands one (RFC 6585 §3)."""

    status = 428
    title = "Precondition required"


@dataclass(frozen=True, slots=True)
class _Tag:
    opaque: str
    weak: bool


def check_if_none_match(request: Request, etag: str | None) -> Response | None:
    """Answer a conditional GET from the entity tag alone.

    Parameters
    ----------
    request : Request
        The incoming request.
    etag : str or None
        The current representation's entity tag; None when there is none.

    Returns
    -------
    Response or None
        For GET and HEAD, a 304 without body carrying ``ETag`` when ``If-None-Match``
        matches; else None and the route answers as usual.

    Raises
    ------
    PreconditionFailedError
        When ``If-None-Match`` matches on any other method (RFC 9110 §13.1.2), e.g.
        ``If-None-Match: *`` on a PUT meant to create only.

    Notes
    -----
    Matching uses the weak comparison: ``W/"x"`` matches ``"x"``. ``*`` matches any
    current representation. A header that does not parse as a list of entity tags
    matches nothing. Several ``If-None-Match`` lines count as one list.
    """
    header = _joined(request, "if-none-match")
    if header is None or etag is None:
        return None
    current = _parse_one(etag)
    if header.strip() == "*":
        matched = True
    else:
        tags = _parse_list(header)
        matched = any(tag.opaque == current.opaque for tag in tags)
    if not matched:
        return None
    if request.method in {"GET", "HEAD"}:
        return Response(status_code=304, headers={"ETag": etag})
    raise PreconditionFailedError.of("error.if_none_match.matches")


def check_if_match(request: Request, current_etag: str | None, *, required: bool = False) -> None:
    """Refuse an update or delete made against a representation that has changed.

    Parameters
    ----------
    request : Request
        The incoming request.
    current_etag : str or None
        The entity tag of the resource as stored now; None when it does not exist.
    required : bool, default False
        Whether updates of an existing resource must carry ``If-Match``.

    Raises
    ------
    PreconditionRequiredError
        ``required`` is set, the resource exists and ``If-Match`` is absent (428).
    PreconditionFailedError
        ``If-Match`` is present and does not match (412): no listed tag equals the
        current one by strong comparison (a weak tag never matches), or it is ``*`` and
        the resource does not exist, or it does not parse.

    Notes
    -----
    Call it once the route knows whether the resource exists, before changing
    anything. Per RFC 9110 §13.2.1 a request that would be 404 without its
    preconditions stays 404, so routes that cannot create (PATCH, DELETE) should raise
    their ``NotFoundError`` first and pass None only where the method would create.
    ``required`` does not apply to a resource that does not exist yet: there is no
    earlier version whose changes could be lost.
    """
    header = _joined(request, "if-match")
    if header is None:
        if required and current_etag is not None:
            raise PreconditionRequiredError.of("error.if_match.required")
        return
    if current_etag is None:
        raise PreconditionFailedError.of("error.if_match.absent")
    if header.strip() == "*":
        return
    current = _parse_one(current_etag)
    if current.weak or not any(
        not tag.weak and tag.opaque == current.opaque for tag in _parse_list(header)
    ):
        raise PreconditionFailedError.of("error.if_match.changed")


def _joined(request: Request, name: str) -> str | None:
    values = request.headers.getlist(name)
    return ", ".join(values) if values else None


def _parse_list(header: str) -> list[_Tag]:
    tags: list[_Tag] = []
    position = 0
    while position < len(header):
        match = _LIST_ELEMENT.match(header, position)
        if match is None or match.end() == position:
            return []
        if match[2] is not None:
            tags.append(_Tag(opaque=match[2], weak=match[1] is not None))
        position = match.end()
    return tags


def _parse_one(etag: str) -> _Tag:
    tags = _parse_list(etag)
    if len(tags) != 1:
        raise ValueError(f"not one entity tag: {etag!r}")
    return tags[0]
