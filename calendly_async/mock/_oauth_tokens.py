"""OAuth codes and tokens of the mock: issued, checked, rotated and revoked. No I/O.

Calendly rules (reference §5.1): codes live 10 minutes and are single-use; a PKCE
S256 challenge given at authorisation binds the code to its verifier; access tokens
live 2 hours (``expires_in`` 7200, ``created_at`` unix seconds); refresh tokens are
single-use and rotate: each refresh returns a new one and reusing an old one is
``invalid_grant``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ACCESS_TOKEN_LIFETIME", "CODE_LIFETIME", "OAuthError", "TokenRegistry"]

ACCESS_TOKEN_LIFETIME = 7200
"""Calendly access tokens live two hours."""

CODE_LIFETIME = 600
"""Authorisation codes expire after ten minutes."""


class OAuthError(Exception):
    """An RFC 6749 error answer: ``{"error": ..., "error_description": ...}``."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


@dataclass(frozen=True, slots=True)
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str | None
    scope: str | None
    issued_at: float


@dataclass(frozen=True, slots=True)
class _Grant:
    client_id: str
    scope: str | None
    issued_at: int


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of ``verifier`` (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class TokenRegistry:
    """Bearer tokens the mock accepts and the OAuth grants behind them.

    Parameters
    ----------
    personal_token:
        A personal-access-style token that never expires.
    clock:
        Unix seconds (``time.time``); injectable for tests.
    """

    def __init__(self, personal_token: str, clock: Callable[[], float]) -> None:
        self.personal_token = personal_token
        self.owner_uri = ""
        self.organization_uri = ""
        self._clock = clock
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, _Grant] = {}
        self._refresh: dict[str, _Grant] = {}
        self.spent_refresh_tokens: set[str] = set()

    def bind(self, owner_uri: str, organization_uri: str) -> None:
        """Name the user every token belongs to (the organization's owner)."""
        self.owner_uri = owner_uri
        self.organization_uri = organization_uri

    # -- API authentication ------------------------------------------------------------

    def is_valid(self, token: str) -> bool:
        """Whether ``token`` is the personal token or a live access token."""
        if secrets.compare_digest(token, self.personal_token):
            return True
        grant = self._access.get(token)
        return grant is not None and self._clock() < grant.issued_at + ACCESS_TOKEN_LIFETIME

    # -- authorisation code ------------------------------------------------------------

    def issue_code(
        self, client_id: str, redirect_uri: str, challenge: str | None, scope: str | None
    ) -> str:
        """A fresh single-use code for ``redirect_uri``."""
        code = secrets.token_urlsafe(24)
        self._codes[code] = _Code(client_id, redirect_uri, challenge, scope, self._clock())
        return code

    def redeem_code(
        self, code: str, client_id: str, redirect_uri: str | None, verifier: str | None
    ) -> dict[str, Any]:
        """Trade a code for tokens, checking client, redirect URI, age and PKCE."""
        grant = self._codes.pop(code, None)
        if grant is None or grant.client_id != client_id:
            raise OAuthError("invalid_grant", "The authorization code is invalid or was used")
        if self._clock() > grant.issued_at + CODE_LIFETIME:
            raise OAuthError("invalid_grant", "The authorization code has expired")
        if redirect_uri != grant.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorization")
        if grant.challenge is not None and (verifier is None or s256(verifier) != grant.challenge):
            raise OAuthError("invalid_grant", "The code_verifier does not match the challenge")
        return self._issue(client_id, grant.scope)

    def code_needs_pkce(self, code: str) -> bool:
        """Whether the code was issued with a PKCE challenge."""
        grant = self._codes.get(code)
        return grant is not None and grant.challenge is not None

    # -- refresh ---------------------------------------------------------------------

    def rotate(self, refresh_token: str, client_id: str) -> dict[str, Any]:
        """Spend a refresh token and issue a new pair (single-use rotation)."""
        grant = self._refresh.get(refresh_token)
        if grant is None or grant.client_id != client_id:
            raise OAuthError("invalid_grant", "The refresh token is invalid, used or revoked")
        del self._refresh[refresh_token]
        self.spent_refresh_tokens.add(refresh_token)
        return self._issue(client_id, grant.scope)

    def _issue(self, client_id: str, scope: str | None) -> dict[str, Any]:
        now = int(self._clock())
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32)
        self._access[access] = _Grant(client_id, scope, now)
        self._refresh[refresh] = _Grant(client_id, scope, now)
        return {
            "token_type": "Bearer",
            "access_token": access,
            "refresh_token": refresh,
            "scope": scope or "default",
            "created_at": now,
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "owner": self.owner_uri,
            "organization": self.organization_uri,
        }

    # -- revoke and introspect -----------------------------------------------------------

    def revoke(self, token: str) -> None:
        """Revoke an access or refresh token (unknown tokens are ignored, RFC 7009)."""
        self._access.pop(token, None)
        if self._refresh.pop(token, None) is not None:
            self.spent_refresh_tokens.add(token)

    def introspect(self, token: str) -> dict[str, Any]:
        """``{"active": bool, ...}`` for an OAuth token (RFC 7662 shape)."""
        for kind, table in (("access_token", self._access), ("refresh_token", self._refresh)):
            grant = table.get(token)
            if grant is None:
                continue
            expires = grant.issued_at + ACCESS_TOKEN_LIFETIME if kind == "access_token" else None
            if expires is not None and self._clock() >= expires:
                return {"active": False}
            return {
                "active": True,
                "scope": grant.scope or "default",
                "client_id": grant.client_id,
                "token_type": kind,
                "exp": expires,
                "iat": grant.issued_at,
                "owner": self.owner_uri,
                "organization": self.organization_uri,
            }
        return {"active": False}
