"""API keys with scopes: who may read, write, administer or see personal data.

Keys come from ``HELIX_API_KEYS`` (see :func:`parse_api_keys`) and are kept only as
SHA-256 digests. Clients present a key as ``X-API-Key: KEY`` or ``Authorization: Bearer
KEY``; a route declares the scope it needs with one of the ``Annotated`` aliases
(``ReadAccess``, ``WriteAccess``, ``AdminAccess``, ``ContactsAccess``) or with
``Depends(require(scope))``.

Scopes imply others: ``admin`` implies ``write`` and ``read``, ``write`` implies ``read``,
and ``contacts`` implies ``read``. Nothing implies ``contacts``: access to personal data is
always granted explicitly, an ``admin`` key included.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.errors import AppError, quoted
from app.settings import Settings

__all__ = [
    "ANONYMOUS",
    "AdminAccess",
    "AmbiguousCredentialsError",
    "ApiKey",
    "ContactsAccess",
    "ForbiddenError",
    "KeyRing",
    "Principal",
    "ReadAccess",
    "Scope",
    "ScopeRequirement",
    "UnauthorizedError",
    "WriteAccess",
    "hash_key",
    "key_id_of",
    "parse_api_keys",
    "require",
    "route_scopes",
]

log = logging.getLogger(__name__)

REALM = "helixgraph"
MIN_KEY_LENGTH = 16
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


class Scope(StrEnum):
    """What a key may do."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"
    CONTACTS = "contacts"
    """May read personal data (contact persons)."""


_IMPLIES: Mapping[Scope, frozenset[Scope]] = MappingProxyType(
    {
        Scope.READ: frozenset({Scope.READ}),
        Scope.WRITE: frozenset({Scope.WRITE, Scope.READ}),
        Scope.ADMIN: frozenset({Scope.ADMIN, Scope.WRITE, Scope.READ}),
        Scope.CONTACTS: frozenset({Scope.CONTACTS, Scope.READ}),
    }
)
_DEMAND_ORDER = (Scope.READ, Scope.CONTACTS, Scope.WRITE, Scope.ADMIN)
_SCOPE_NAMES = frozenset(scope.value for scope in Scope)


class UnauthorizedError(AppError):
    """No usable key: none was presented where one is needed, or it is unknown."""

    status = 401
    title = "Unauthorized"
    headers: Mapping[str, str] | None = MappingProxyType(
        {"WWW-Authenticate": f'Bearer realm="{REALM}"'}
    )


class ForbiddenError(AppError):
    """A known key that lacks the scope the route needs."""

    status = 403
    title = "Forbidden"


class AmbiguousCredentialsError(AppError):
    """``X-API-Key`` and ``Authorization: Bearer`` name two different keys."""

    status = 400
    title = "Ambiguous credentials"


def hash_key(key: str) -> bytes:
    """The SHA-256 digest of a key, the only form in which keys are kept.

    Parameters
    ----------
    key : str
        The plain key.

    Returns
    -------
    bytes
        32 bytes.
    """
    return hashlib.sha256(key.encode("utf-8")).digest()


def key_id_of(key: str) -> str:
    """The short, non-secret name of a key for logs and audit trails.

    Parameters
    ----------
    key : str
        The plain key.

    Returns
    -------
    str
        The first 8 hexadecimal characters of the key's SHA-256 digest.

    Examples
    --------
    >>> key_id_of("correct-horse-battery-staple")
    '87cbebfe'
    """
    return hash_key(key).hex()[:8]


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One configured key; the plain key itself is never kept.

    Attributes
    ----------
    key_id : str
        First 8 hex characters of the digest: safe to log.
    hashed : bytes
        SHA-256 digest of the key.
    scopes : frozenset of Scope
        Every scope the key grants, implied ones included.
    """

    key_id: str
    hashed: bytes = field(repr=False)
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        """Whether the key grants ``scope``."""
        return scope in self.scopes


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a key by its id, or the anonymous reader.

    Attributes
    ----------
    key_id : str
        The key's id, or ``"anonymous"``.
    scopes : frozenset of Scope
        What the caller may do.
    """

    key_id: str
    scopes: frozenset[Scope]

    @property
    def anonymous(self) -> bool:
        return self.key_id == ANONYMOUS.key_id


ANONYMOUS = Principal(key_id="anonymous", scopes=frozenset({Scope.READ}))


def parse_api_keys(text: str) -> list[ApiKey]:
    """Parse ``HELIX_API_KEYS`` into keys.

    Parameters
    ----------
    text : str
        Comma-separated ``KEY:SCOPE`` entries; ``KEY:write+admin`` grants several scopes.
        Whitespace around entries, keys and scopes is ignored, as are empty entries (a
        trailing comma). Scopes are case-insensitive.

    Returns
    -------
    list of ApiKey
        In the order given; ``[]`` for a blank text.

    Raises
    ------
    ValueError
        Naming every bad entry by its 1-based position among the comma-separated
        entries: no colon, no or unknown scope, a key shorter than 16 characters or with
        characters outside token68 (letters, digits, ``-._~+/``, trailing ``=``, so it can
        be sent as a Bearer token), or a key listed twice. The message never contains any
        part of a key, nor the scope text, which could be a key fragment after a
        misplaced colon.

    Notes
    -----
    The key is everything before the *last* colon, so a key may contain colons only if
    it also parses as token68, which excludes them: in practice keys have no colon.
    Implied scopes are added (see the module docstring).

    Examples
    --------
    >>> [sorted(map(str, k.scopes)) for k in parse_api_keys("0123456789abcdef:write")]
    [['read', 'write']]
    >>> parse_api_keys("  ")
    []
    """
    keys: list[ApiKey] = []
    errors: list[str] = []
    first_seen: dict[bytes, int] = {}
    for position, raw in enumerate(text.split(","), start=1):
        entry = raw.strip()
        if not entry:
            continue
        key, colon, scope_text = entry.rpartition(":")
        key, scope_text = key.strip(), scope_text.strip()
        problem = _entry_problem(key, colon, scope_text)
        if problem:
            errors.append(f"entry {position}: {problem}")
            continue
        digest = hash_key(key)
        if digest in first_seen:
            errors.append(f"entry {position}: repeats the key of entry {first_seen[digest]}")
            continue
        first_seen[digest] = position
        granted = (_IMPLIES[Scope(name.strip().lower())] for name in scope_text.split("+"))
        scopes = frozenset[Scope]().union(*granted)
        keys.append(ApiKey(key_id=digest.hex()[:8], hashed=digest, scopes=scopes))
    if errors:
        raise ValueError("HELIX_API_KEYS: " + "; ".join(errors))
    return keys


def _entry_problem(key: str, colon: str, scope_text: str) -> str | None:
    if not colon:
        return "expected KEY:SCOPE (no colon)"
    return _key_problem(key) or _scope_problem(scope_text)


def _key_problem(key: str) -> str | None:
    if not key:
        return "the key is empty"
    if len(key) < MIN_KEY_LENGTH:
        return f"the key is shorter than {MIN_KEY_LENGTH} characters"
    if not _TOKEN68.fullmatch(key):
        return "the key has characters other than letters, digits, -._~+/ and trailing ="
    return None


def _scope_problem(scope_text: str) -> str | None:
    names = [name.strip().lower() for name in scope_text.split("+")]
    if not all(names):
        return "a scope is missing"
    if any(name not in _SCOPE_NAMES for name in names):
        return "unknown scope; use " + ", ".join(s.value for s in Scope) + " joined by +"
    return None


class KeyRing:
    """The configured keys, checked in constant time.

    Parameters
    ----------
    keys : sequence of ApiKey
        Usually from :meth:`from_settings`.
    """

    def __init__(self, keys: Sequence[ApiKey]) -> None:
        self._keys = tuple(keys)

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        """The keys of ``HELIX_API_KEYS``; raises ``ValueError`` on a bad entry."""
        return cls(parse_api_keys(settings.api_keys.get_secret_value()))

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[ApiKey]:
        return iter(self._keys)

    def authenticate(self, presented: str) -> ApiKey | None:
        """The key matching ``presented``, or None.

        Parameters
        ----------
        presented : str
            The key as the client sent it.

        Returns
        -------
        ApiKey or None
            None for an unknown key.

        Notes
        -----
        The digest of ``presented`` is compared with every stored digest by
        :func:`hmac.compare_digest`, without stopping at a match, so the time taken does
        not depend on the key's content nor on its position in the list.
        """
        digest = hash_key(presented)
        found: ApiKey | None = None
        for key in self._keys:
            if hmac.compare_digest(digest, key.hashed) and found is None:
                found = key
        return found


_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key from HELIX_API_KEYS."
)
_bearer = HTTPBearer(auto_error=False, description="An API key from HELIX_API_KEYS.")


class ScopeRequirement:
    """The dependency that demands one scope; made by :func:`require`.

    Parameters
    ----------
    scope : Scope
        The scope a caller needs.
    """

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def __repr__(self) -> str:
        return f"require({self.scope.value!r})"

    async def __call__(
        self,
        request: Request,
        header_key: Annotated[str | None, Depends(_api_key_header)],
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        presented = _presented_key(header_key, bearer)
        if presented is None:
            settings: Settings = request.app.state.settings
            if self.scope is Scope.READ and settings.open_reads:
                return ANONYMOUS
            raise UnauthorizedError.of("error.auth.key_needed", scope=quoted(self.scope))
        keyring: KeyRing = request.app.state.keyring
        key = keyring.authenticate(presented)
        if key is None:
            raise UnauthorizedError.of("error.auth.key_invalid")
        if not key.allows(self.scope):
            log.info("key %s refused: lacks scope %s", key.key_id, self.scope)
            raise ForbiddenError.of(
                "error.auth.scope_lacking", key=quoted(key.key_id), scope=quoted(self.scope)
            )
        return Principal(key_id=key.key_id, scopes=key.scopes)


def _presented_key(
    header_key: str | None, bearer: HTTPAuthorizationCredentials | None
) -> str | None:
    bearer_key = bearer.credentials if bearer is not None else None
    if header_key is not None and bearer_key is not None:
        same = hmac.compare_digest(hash_key(header_key), hash_key(bearer_key))
        if not same:
            raise AmbiguousCredentialsError.of("error.auth.two_keys")
    return header_key if header_key is not None else bearer_key


_REQUIREMENTS: Mapping[Scope, ScopeRequirement] = MappingProxyType(
    {scope: ScopeRequirement(scope) for scope in Scope}
)


def require(scope: Scope) -> ScopeRequirement:
    """The dependency demanding ``scope``; use as ``Depends(require(Scope.WRITE))``.

    Parameters
    ----------
    scope : Scope
        The scope a caller needs.

    Returns
    -------
    ScopeRequirement
        One shared instance per scope, so FastAPI runs it once per request even when
        a router and its route both declare it. It resolves to the caller's
        :class:`Principal`.

    Notes
    -----
    Without a key, a ``read`` requirement lets the caller through as :data:`ANONYMOUS`
    when ``settings.open_reads`` is set; everything else answers 401 with
    ``WWW-Authenticate: Bearer realm="helixgraph"``. An unknown key is 401, a known key
    without the scope 403, and two different keys in the two headers 400. Needs
    ``app.state.settings`` and ``app.state.keyring``.
    """
    return _REQUIREMENTS[scope]


ReadAccess = Annotated[Principal, Depends(require(Scope.READ))]
WriteAccess = Annotated[Principal, Depends(require(Scope.WRITE))]
AdminAccess = Annotated[Principal, Depends(require(Scope.ADMIN))]
ContactsAccess = Annotated[Principal, Depends(require(Scope.CONTACTS))]


def route_scopes(app: FastAPI) -> dict[tuple[str, str], Scope | None]:
    """The scope every API route demands, for checking that none was forgotten.

    Parameters
    ----------
    app : FastAPI
        The application; only its ``APIRoute`` routes are listed (not mounts, static
        files or the OpenAPI pages).

    Returns
    -------
    dict
        ``(method, path) -> scope``; None for a route without a scope dependency.

    Notes
    -----
    The dependency tree of each route is walked, so requirements declared on the
    router, on the route or inside another dependency are all found. When a route
    declares several, the most demanding is reported, in the order
    read < contacts < write < admin.
    """
    found: dict[tuple[str, str], Scope | None] = {}
    # Included routers are not flattened into app.routes: their routes, with the
    # router's prefix and dependencies applied, come from iter_route_contexts.
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        dependant: Dependant = context.dependant
        path: str = context.path or ""
        declared = set(_declared_scopes(dependant))
        scope = max(declared, key=_DEMAND_ORDER.index) if declared else None
        for method in sorted(context.methods or ()):
            found[(method, path)] = scope
    return found


def _declared_scopes(dependant: Dependant) -> Iterator[Scope]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, ScopeRequirement):
            yield dependency.call.scope
        yield from _declared_scopes(dependency)
