"""Credentials: a fixed bearer token, or OAuth 2.0 with safe refresh-token rotation.

Calendly rules (reference §5.1, "OAuth 2.x"):

- authorisation code flow on ``https://auth.calendly.com``; PKCE S256 recommended;
- access tokens live 2 hours (``expires_in`` 7200, ``created_at`` in unix seconds);
- refresh tokens are **single-use and rotate**: every refresh returns a new one
  and revokes the old, so two concurrent refreshes would lose the session;
- at most 8 token requests per user per minute.

Hence: one refresh at a time (a lock, re-checked after waiting), refresh a few
minutes before expiry and once after a 401, and ``on_token`` is awaited with
every new token *before* any request uses it, so the rotated refresh token is
persisted first.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from urllib.parse import urlencode

import aiohttp
import msgspec

from ._redact import mask
from ._retry import RetryPolicy
from ._transport import Transport
from ._urls import check_base_url
from .errors import (
    AuthenticationError,
    DecodeError,
    InvalidInputError,
    TokenPersistenceError,
)

__all__ = [
    "AccessToken",
    "OAuth2",
    "Token",
    "TokenCallback",
    "TokenIntrospection",
    "pkce_challenge",
]

DEFAULT_AUTH_BASE_URL = "https://auth.calendly.com"


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


_token_decoder = msgspec.json.Decoder(Token)
_introspection_decoder = msgspec.json.Decoder(TokenIntrospection)

TokenCallback = Callable[[Token], Awaitable[None]]
"""Awaited with every new token before it is used: persist it here."""


class AccessToken:
    """A fixed bearer token: a personal access token or an OAuth access token."""

    def __init__(self, token: str) -> None:
        if not isinstance(token, str) or not token.strip():
            raise InvalidInputError("token must be a non-empty string")
        self._token = token.strip()

    def __repr__(self) -> str:
        return f"AccessToken({mask(self._token)})"

    async def access_token(self) -> str:
        """The token."""
        return self._token

    async def on_unauthorized(self, rejected_token: str) -> bool:
        """A fixed token cannot be renewed: the 401 stands."""
        return False


def pkce_challenge(code_verifier: str) -> str:
    """The S256 code challenge of a PKCE verifier (RFC 7636 §4.2)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _no_token_error(what: str) -> AuthenticationError:
    return AuthenticationError(
        status=401,
        title="Unauthenticated",
        message=f"OAuth2 has no {what}; call exchange_code() first or pass token=",
    )


class OAuth2:
    """OAuth 2.0 for a Calendly app (the seed's connection).

    Parameters
    ----------
    client_id, client_secret:
        The app's credentials (web apps authenticate with HTTP Basic).
    redirect_uri:
        Where Calendly sends the user back with ``?code=``.
    auth_base_url:
        The OAuth host (``https://auth.calendly.com``, or the mock server).
    token:
        A saved ``Token`` to start from.
    on_token:
        ``async def on_token(token: Token) -> None``: awaited with every new
        token before any request uses it. Persist the rotated refresh token here.
    scopes:
        Default scopes for ``authorization_url``.
    refresh_margin:
        Refresh when the access token expires in less than this many seconds.
    session:
        An ``aiohttp.ClientSession`` to use (a ``Calendly`` client shares its own).
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str | None = None,
        *,
        auth_base_url: str = DEFAULT_AUTH_BASE_URL,
        token: Token | None = None,
        on_token: TokenCallback | None = None,
        scopes: Iterable[str] | str | None = None,
        refresh_margin: float = 300.0,
        session: aiohttp.ClientSession | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not client_id:
            raise InvalidInputError("client_id is required")
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.auth_base_url = check_base_url(auth_base_url, what="auth_base_url")
        self.scopes = _scope_text(scopes)
        self.refresh_margin = refresh_margin
        self._token = token
        self._on_token = on_token
        self._clock = clock
        self._lock = asyncio.Lock()
        self._unpersisted: Token | None = None
        self._generation = 0
        self._transport = self._make_transport(session)
        self.refresh_count = 0
        """How many refresh-token grants this object has made."""

    def _make_transport(self, session: aiohttp.ClientSession | None) -> Transport:
        # Token requests are POSTs: retried only on 429 and failed connects.
        return Transport(
            base_url=self.auth_base_url,
            auth=None,
            session=session,
            retry=RetryPolicy(max_retries=2),
        )

    def __repr__(self) -> str:
        return (
            f"OAuth2(client_id={self.client_id!r}, client_secret={mask(self._client_secret)}, "
            f"redirect_uri={self.redirect_uri!r}, auth_base_url={self.auth_base_url!r}, "
            f"token={'set' if self._token else None})"
        )

    async def __aenter__(self) -> OAuth2:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP session if this object opened one."""
        await self._transport.aclose()

    def attach_session(self, session: aiohttp.ClientSession) -> None:
        """Share a client's session (``Calendly`` calls this); no-op once one is in use."""
        if self._transport.closed:
            self._transport = self._make_transport(session)

    @property
    def token(self) -> Token | None:
        """The current token (``None`` before ``exchange_code``)."""
        return self._token

    # -- authorisation -----------------------------------------------------------------

    def authorization_url(
        self, state: str | None = None, scope: Iterable[str] | str | None = None
    ) -> tuple[str, str]:
        """The URL to send the user to, and the PKCE ``code_verifier`` to keep for later.

        Pass the verifier to ``exchange_code`` when Calendly redirects back.
        """
        if not self.redirect_uri:
            raise InvalidInputError("redirect_uri is required to build the authorization URL")
        verifier = secrets.token_urlsafe(64)
        params = {
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": self.redirect_uri,
            "code_challenge_method": "S256",
            "code_challenge": pkce_challenge(verifier),
        }
        scope_text = _scope_text(scope) or self.scopes
        if scope_text:
            params["scope"] = scope_text
        if state is not None:
            params["state"] = state
        return f"{self.auth_base_url}/oauth/authorize?{urlencode(params)}", verifier

    async def exchange_code(
        self, code: str, code_verifier: str | None = None, *, redirect_uri: str | None = None
    ) -> Token:
        """Trade an authorisation code for a token (persisted through ``on_token``)."""
        if not code:
            raise InvalidInputError("code is required")
        form = {"grant_type": "authorization_code", "code": code}
        if redirect_uri or self.redirect_uri:
            form["redirect_uri"] = redirect_uri or self.redirect_uri or ""
        if code_verifier:
            form["code_verifier"] = code_verifier
        async with self._lock:
            token = await self._token_request(form)
            await self._install(token)
        return token

    # -- refresh -----------------------------------------------------------------------

    async def refresh(self) -> Token:
        """Refresh now. Concurrent callers share one refresh."""
        generation = self._generation
        async with self._lock:
            if self._generation != generation and self._token is not None:
                return self._token
            return await self._refresh_locked()

    async def access_token(self) -> str:
        """A usable access token, refreshed first when it is about to expire."""
        token = self._token
        if token is not None and self._unpersisted is None and not self._expiring(token):
            return token.access_token
        async with self._lock:
            if self._unpersisted is not None:
                await self._persist(self._unpersisted)
            token = self._token
            if token is None:
                raise _no_token_error("token")
            if self._expiring(token):
                token = await self._refresh_locked()
            return token.access_token

    async def on_unauthorized(self, rejected_token: str) -> bool:
        """After a 401: refresh once, unless another request already did."""
        async with self._lock:
            token = self._token
            if token is None or token.refresh_token is None:
                return False
            if token.access_token != rejected_token:
                return True
            await self._refresh_locked()
            return True

    def _expiring(self, token: Token) -> bool:
        return token.expires_within(self.refresh_margin, now=self._clock())

    async def _refresh_locked(self) -> Token:
        current = self._token
        if current is None or not current.refresh_token:
            raise _no_token_error("refresh token")
        token = await self._token_request(
            {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
        )
        self.refresh_count += 1
        await self._install(token)
        return token

    async def _install(self, token: Token) -> None:
        # Keep the new token even if persisting fails: the old refresh token is dead.
        self._unpersisted = token
        self._token = token
        self._generation += 1
        await self._persist(token)

    async def _persist(self, token: Token) -> None:
        if self._on_token is not None:
            try:
                await self._on_token(token)
            except Exception as exc:
                raise TokenPersistenceError(
                    f"on_token failed ({type(exc).__name__}); the new token is kept in memory "
                    "and saving it is retried before the next request"
                ) from exc
        self._unpersisted = None

    # -- token endpoint ----------------------------------------------------------------

    def _basic_auth(self) -> dict[str, str]:
        pair = f"{self.client_id}:{self._client_secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}

    async def _token_request(self, form: dict[str, str]) -> Token:
        response = await self._transport.request(
            "POST",
            "/oauth/token",
            data={**form, "client_id": self.client_id},
            headers=self._basic_auth(),
            authenticate=False,
        )
        try:
            token = _token_decoder.decode(response.body)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise DecodeError(f"unexpected /oauth/token response: {exc}", url=response.url) from exc
        if token.created_at is None:
            token = msgspec.structs.replace(token, created_at=int(self._clock()))
        return token

    def _credential_form(self, token: str | None, kind: str) -> dict[str, str]:
        current = self._token
        value = token or (
            current.access_token if kind == "access" and current else
            current.refresh_token if current else None
        )
        if not value:
            raise _no_token_error(f"{kind} token to send")
        return {"client_id": self.client_id, "client_secret": self._client_secret, "token": value}

    async def revoke(self, token: str | None = None) -> None:
        """Revoke ``token`` (default: the current access token)."""
        await self._transport.request(
            "POST", "/oauth/revoke", data=self._credential_form(token, "access"), authenticate=False
        )

    async def introspect(self, token: str | None = None) -> TokenIntrospection:
        """Ask Calendly whether ``token`` (default: the current access token) is active."""
        response = await self._transport.request(
            "POST",
            "/oauth/introspect",
            data=self._credential_form(token, "access"),
            authenticate=False,
        )
        try:
            return _introspection_decoder.decode(response.body)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise DecodeError(f"unexpected /oauth/introspect response: {exc}") from exc


def _scope_text(scopes: Iterable[str] | str | None) -> str | None:
    if scopes is None:
        return None
    if isinstance(scopes, str):
        return scopes.strip() or None
    joined = " ".join(s.strip() for s in scopes if s.strip())
    return joined or None

