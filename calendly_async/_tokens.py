"""OAuth data and rules with no I/O: the ``Token`` Struct, PKCE, scopes.

Calendly rules (reference §5.1): token responses carry ``created_at`` in unix
seconds and ``expires_in`` (7200); PKCE uses S256 (RFC 7636); scopes are
space-separated.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from collections.abc import Iterable
from typing import Any

import msgspec

from ._redact import mask
from .errors import InvalidInputError

__all__ = [
    "INTROSPECTION_DECODER",
    "TOKEN_DECODER",
    "Token",
    "TokenIntrospection",
    "check_code_verifier",
    "new_code_verifier",
    "pkce_challenge",
    "scope_text",
]


class Token(msgspec.Struct, kw_only=True):
    """An OAuth token as returned by ``/oauth/token``. Its repr hides the secrets.

    Persist it with ``msgspec.json.encode(token)`` and load it with
    ``msgspec.json.decode(data, type=Token)``.
    """

    access_token: str
    refresh_token: str | None = None
    token_type: str = "Bearer"
    expires_in: int | None = None
    """Lifetime in seconds from ``created_at`` (7200 for Calendly)."""
    created_at: int | None = None
    """Unix seconds when Calendly issued the token."""
    scope: str | None = None
    owner: str | None = None
    """URI of the user who authorised the app."""
    organization: str | None = None
    """URI of that user's organisation."""

    @property
    def expires_at(self) -> float | None:
        """Unix time the access token expires, or ``None`` when unknown."""
        if self.expires_in is None or self.created_at is None:
            return None
        return float(self.created_at + self.expires_in)

    def expires_within(self, seconds: float, *, now: float | None = None) -> bool:
        """Whether the access token expires in less than ``seconds`` from ``now``."""
        expires_at = self.expires_at
        if expires_at is None:
            return False
        return expires_at - (time.time() if now is None else now) < seconds

    def __repr__(self) -> str:
        return (
            f"Token(access_token={mask(self.access_token)}, "
            f"refresh_token={mask(self.refresh_token)}, token_type={self.token_type!r}, "
            f"expires_in={self.expires_in!r}, created_at={self.created_at!r}, "
            f"scope={self.scope!r}, owner={self.owner!r}, organization={self.organization!r})"
        )

    __str__ = __repr__

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        """Fields for ``rich`` pretty-printing, secrets masked (msgspec's default shows them)."""
        return [
            (name, mask(getattr(self, name)) if name in _TOKEN_SECRETS else getattr(self, name))
            for name in self.__struct_fields__
        ]


_TOKEN_SECRETS = frozenset({"access_token", "refresh_token"})


class TokenIntrospection(msgspec.Struct, kw_only=True):
    """The answer of ``/oauth/introspect`` (only ``active`` is always present)."""

    active: bool
    scope: str | None = None
    client_id: str | None = None
    token_type: str | None = None
    exp: int | None = None
    iat: int | None = None
    owner: str | None = None
    organization: str | None = None


TOKEN_DECODER = msgspec.json.Decoder(Token)
INTROSPECTION_DECODER = msgspec.json.Decoder(TokenIntrospection)


def pkce_challenge(code_verifier: str) -> str:
    """The S256 code challenge of a PKCE verifier (RFC 7636 §4.2)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# RFC 7636 §4.1: code_verifier = 43*128unreserved (ALPHA / DIGIT / "-" / "." / "_" / "~")
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def new_code_verifier() -> str:
    """A fresh PKCE ``code_verifier``: 86 random characters of the RFC 7636 alphabet."""
    return secrets.token_urlsafe(64)


def check_code_verifier(code_verifier: str) -> None:
    """Raise ``InvalidInputError`` unless ``code_verifier`` follows RFC 7636 §4.1."""
    # The value is a secret: the message describes the rule, never the value.
    if not isinstance(code_verifier, str) or not _VERIFIER.match(code_verifier):
        raise InvalidInputError(
            "code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)"
        )


def scope_text(scopes: Iterable[str] | str | None) -> str | None:
    """Scopes as Calendly takes them: one space-separated string, or ``None`` if empty."""
    if scopes is None:
        return None
    if isinstance(scopes, str):
        return " ".join(scopes.split()) or None
    joined = " ".join(s.strip() for s in scopes if s.strip())
    return joined or None
