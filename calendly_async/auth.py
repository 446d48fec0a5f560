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
persisted first. Calendly rotates the refresh token as soon as it receives the
request, so every token operation runs to completion in a task of its own: a
caller cancelled mid-refresh (``asyncio.wait_for``, a dropped read-ahead page)
stops waiting, but the answer is still installed, persisted and served to the
next caller.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import aiohttp
import msgspec

from ._json import MALFORMED_JSON
from ._redact import mask
from ._retry import RetryPolicy
from ._tokens import (
    INTROSPECTION_DECODER,
    TOKEN_DECODER,
    Token,
    TokenIntrospection,
    check_code_verifier,
    new_code_verifier,
    pkce_challenge,
    scope_text,
)
from ._transport import Transport
from ._urls import check_base_url
from .errors import (
    AuthenticationError,
    DecodeError,
    InvalidGrantError,
    InvalidInputError,
    TokenPersistenceError,
)

__all__ = [
    "AccessToken",
    "OAuth2",
    "Token",
    "TokenCallback",
    "TokenIntrospection",
    "new_code_verifier",
    "pkce_challenge",
]

DEFAULT_AUTH_BASE_URL = "https://auth.calendly.com"

logger = logging.getLogger("calendly_async")

_T = TypeVar("_T")


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


def _rejected_grant_error() -> InvalidGrantError:
    return InvalidGrantError(
        status=400,
        title="invalid_grant",
        message="Calendly already rejected this refresh token; authorise the user again",
    )


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
        The app's credentials. Web apps authenticate to the token endpoint with
        HTTP Basic; give an empty ``client_secret`` for a native (public) app.
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
        Default scopes for ``authorization_url`` (an iterable or a space-separated string).
    refresh_margin:
        Refresh when the access token expires in less than this many seconds.
    session:
        An ``aiohttp.ClientSession`` to use (a ``Calendly`` client shares its own).
    clock:
        Unix time in seconds (``time.time``); injectable for tests.

    Raises
    ------
    InvalidInputError
        ``client_id`` is empty, ``refresh_margin`` is negative or a URL is malformed.
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
        if not isinstance(client_id, str) or not client_id.strip():
            raise InvalidInputError("client_id is required")
        if not isinstance(client_secret, str):
            raise InvalidInputError("client_secret must be a string ('' for a native app)")
        if refresh_margin < 0:
            raise InvalidInputError("refresh_margin must be >= 0 seconds")
        self.client_id = client_id.strip()
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.auth_base_url = check_base_url(auth_base_url, what="auth_base_url")
        self.scopes = scope_text(scopes)
        self.refresh_margin = refresh_margin
        self._token = token
        self._on_token = on_token
        self._clock = clock
        self._lock = asyncio.Lock()
        self._jobs: set[asyncio.Task[Any]] = set()
        self._unpersisted: Token | None = None
        self._generation = 0
        self._rejected_refresh: str | None = None
        self._borrowed: aiohttp.ClientSession | None = None
        self._transport = self._make_transport(session)
        self.refresh_count = 0
        """How many refresh-token grants this object has made."""

    def _make_transport(self, session: aiohttp.ClientSession | None) -> Transport:
        # Token requests are POSTs: retried only on 429 and failed connects, never after
        # the server may have rotated the refresh token.
        self._borrowed = session
        return Transport(
            base_url=self.auth_base_url,
            auth=None,
            session=session,
            retry=RetryPolicy(max_retries=2),
        )

    def _live_transport(self) -> Transport:
        """The token-endpoint transport; a borrowed session closed by its owner is replaced,
        and a transport closed by ``aclose`` is reopened (``OAuth2`` can be reused)."""
        borrowed = self._borrowed
        if borrowed is not None and borrowed.closed:
            self._transport = self._make_transport(None)
        elif self._transport.shut:
            self._transport = self._make_transport(borrowed)
        return self._transport

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
        """Finish the token requests in flight, then close the HTTP session if this object
        opened one.

        A refresh in flight is awaited, not cancelled: Calendly has already rotated
        the refresh token, so its answer must reach ``on_token``. The object can be
        used again afterwards (it opens a new session when needed).
        """
        while self._jobs:
            await asyncio.wait(set(self._jobs))
        await self._transport.aclose()

    def attach_session(self, session: aiohttp.ClientSession) -> None:
        """Share a client's session (``Calendly`` calls this); no-op once one is in use."""
        if self._transport.closed or self._transport.shut:
            self._transport = self._make_transport(session)

    async def _in_own_task(self, operation: Callable[[], Awaitable[_T]]) -> _T:
        """Run ``operation`` under the lock in a task of its own and wait for it, shielded.

        Calendly rule (reference §5.1): refresh tokens are single-use and rotate, and
        a code is spent, as soon as the token endpoint receives the request. If the
        caller is cancelled, the task still finishes: the new token is installed and
        passed to ``on_token``, and the callers queued behind it use it.
        """
        task = asyncio.get_running_loop().create_task(self._locked(operation))
        self._jobs.add(task)
        task.add_done_callback(self._job_done)
        return await asyncio.shield(task)

    async def _locked(self, operation: Callable[[], Awaitable[_T]]) -> _T:
        async with self._lock:
            return await operation()

    def _job_done(self, task: asyncio.Task[Any]) -> None:
        self._jobs.discard(task)
        if not task.cancelled():
            # Marked retrieved: a cancelled caller no longer awaits it; others still see it.
            task.exception()

    @property
    def token(self) -> Token | None:
        """The current token (``None`` before ``exchange_code`` or after ``revoke``)."""
        return self._token

    # -- authorisation -----------------------------------------------------------------

    def authorization_url(
        self, state: str | None = None, scope: Iterable[str] | str | None = None
    ) -> tuple[str, str]:
        """The URL to send the user to, and the PKCE ``code_verifier`` to keep for later.

        Calendly recommends PKCE S256 for every app (reference §5.1).

        Parameters
        ----------
        state:
            An opaque value Calendly echoes back; check it to stop CSRF.
        scope:
            Scopes for this request (default: the ``scopes`` given to ``OAuth2``).

        Returns
        -------
        tuple[str, str]
            ``(url, code_verifier)``; pass the verifier to ``exchange_code``.

        Raises
        ------
        InvalidInputError
            No ``redirect_uri`` was configured.
        """
        if not self.redirect_uri:
            raise InvalidInputError("redirect_uri is required to build the authorization URL")
        verifier = new_code_verifier()
        params = {
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": self.redirect_uri,
            "code_challenge_method": "S256",
            "code_challenge": pkce_challenge(verifier),
        }
        scopes = scope_text(scope) or self.scopes
        if scopes:
            params["scope"] = scopes
        if state is not None:
            params["state"] = state
        query = urlencode(params, quote_via=quote)
        return f"{self.auth_base_url}/oauth/authorize?{query}", verifier

    async def exchange_code(
        self, code: str, code_verifier: str | None = None, *, redirect_uri: str | None = None
    ) -> Token:
        """Trade an authorisation code for a token (persisted through ``on_token``).

        Parameters
        ----------
        code:
            The ``?code=`` Calendly redirected back with (valid for 10 minutes).
        code_verifier:
            The verifier ``authorization_url`` returned (PKCE).
        redirect_uri:
            Overrides the configured one; must equal the one used to authorise.

        Returns
        -------
        Token
            The new token, also kept as ``self.token``.

        Raises
        ------
        InvalidInputError
            ``code`` is empty, ``redirect_uri`` is missing or ``code_verifier`` is malformed.
        InvalidGrantError
            Calendly rejected the code (expired, used, or a wrong verifier).
        TokenPersistenceError
            ``on_token`` failed; the token is kept in memory.
        """
        if not isinstance(code, str) or not code.strip():
            raise InvalidInputError("code is required")
        target = redirect_uri or self.redirect_uri
        if not target:
            raise InvalidInputError("redirect_uri is required (the one used to authorise)")
        # Calendly §5.1: grant_type=authorization_code + code, redirect_uri, (code_verifier).
        form = {"grant_type": "authorization_code", "code": code.strip(), "redirect_uri": target}
        if code_verifier is not None:
            check_code_verifier(code_verifier)
            form["code_verifier"] = code_verifier

        async def exchange() -> Token:
            token = await self._token_request(form)
            await self._install(token)
            return token

        return await self._in_own_task(exchange)

    # -- refresh -----------------------------------------------------------------------

    async def refresh(self) -> Token:
        """Refresh now. Concurrent callers share one refresh.

        Returns
        -------
        Token
            The new token (persisted through ``on_token`` first).

        Raises
        ------
        AuthenticationError
            There is no refresh token.
        InvalidGrantError
            Calendly rejected the refresh token (already used or revoked): authorise again.
        TokenPersistenceError
            ``on_token`` failed; the token is kept in memory.
        """
        generation = self._generation

        async def refresh() -> Token:
            if self._generation != generation and self._token is not None:
                await self._persist_pending()
                return self._token
            return await self._refresh_locked()

        return await self._in_own_task(refresh)

    async def access_token(self) -> str:
        """A usable access token, refreshed first when it is about to expire.

        Raises
        ------
        AuthenticationError
            There is no token yet.
        InvalidGrantError, TokenPersistenceError
            As for ``refresh``.
        """
        token = self._token
        # While a token operation is in flight (a refresh whose caller went away, say),
        # wait for it rather than send a token it is about to replace.
        idle = not self._jobs and self._unpersisted is None
        if token is not None and idle and not self._needs_refresh(token):
            return token.access_token
        return await self._in_own_task(self._access_token_locked)

    async def _access_token_locked(self) -> str:
        token = self._token
        if token is None:
            raise _no_token_error("token")
        if self._needs_refresh(token):
            token = await self._refresh_locked()
        else:
            await self._persist_pending()
        return token.access_token

    async def on_unauthorized(self, rejected_token: str) -> bool:
        """After a 401: refresh once, unless another request already did.

        Returns ``True`` when a different token is ready for the one resend.
        """

        async def renew() -> bool:
            token = self._token
            if token is None:
                return False
            if token.access_token != rejected_token:
                return True
            if not token.refresh_token:
                return False
            await self._refresh_locked()
            return True

        return await self._in_own_task(renew)

    def _needs_refresh(self, token: Token) -> bool:
        # Without a refresh token there is nothing to do early: the server decides.
        return bool(token.refresh_token) and token.expires_within(
            self.refresh_margin, now=self._clock()
        )

    async def _refresh_locked(self) -> Token:
        current = self._token
        if current is None or not current.refresh_token:
            raise _no_token_error("refresh token")
        if current.refresh_token == self._rejected_refresh:
            # Single-use refresh tokens never come back to life: callers that queued
            # behind a rejected refresh fail at once instead of spending the
            # 8-per-minute token budget on the same answer.
            raise _rejected_grant_error()
        logger.debug("refreshing the OAuth access token at %s", self.auth_base_url)
        try:
            token = await self._token_request(
                {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
            )
        except InvalidGrantError:
            self._rejected_refresh = current.refresh_token
            raise
        self.refresh_count += 1
        if token.refresh_token is None:
            # RFC 6749 §6: a server that does not rotate leaves the old refresh token valid.
            token = msgspec.structs.replace(token, refresh_token=current.refresh_token)
        await self._install(token)
        return token

    async def _install(self, token: Token) -> None:
        # Keep the new token even if persisting fails: the old refresh token is dead.
        self._unpersisted = token
        self._token = token
        self._generation += 1
        logger.debug("new OAuth token installed (expires at %s)", token.expires_at)
        await self._persist(token)

    async def _persist_pending(self) -> None:
        if self._unpersisted is not None:
            await self._persist(self._unpersisted)

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

    def _client_auth(self) -> dict[str, str]:
        # Calendly §5.1: web apps send HTTP Basic client_id:client_secret; native apps
        # (no secret) identify themselves with client_id in the body only.
        if not self._client_secret:
            return {}
        pair = f"{self.client_id}:{self._client_secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}

    async def _token_request(self, form: dict[str, str]) -> Token:
        response = await self._live_transport().request(
            "POST",
            "/oauth/token",
            data={**form, "client_id": self.client_id},
            headers=self._client_auth(),
            authenticate=False,
        )
        try:
            token = TOKEN_DECODER.decode(response.body)
        except MALFORMED_JSON as exc:  # also RecursionError for absurdly nested JSON
            raise DecodeError(f"unexpected /oauth/token response: {exc}", url=response.url) from exc
        if token.created_at is None:
            token = msgspec.structs.replace(token, created_at=int(self._clock()))
        return token

    def _credential_form(self, token: str | None) -> dict[str, str]:
        # Calendly §5.1: revoke and introspect take client_id, client_secret, token as a form.
        value = token or (self._token.access_token if self._token else None)
        if not value:
            raise InvalidInputError("no token given and OAuth2 holds none")
        form = {"client_id": self.client_id, "token": value}
        if self._client_secret:
            form["client_secret"] = self._client_secret
        return form

    async def revoke(self, token: str | None = None) -> None:
        """Revoke an access or refresh token (default: the current access token).

        When it is the current token's, ``self.token`` becomes ``None``: delete the
        saved copy too.

        Raises
        ------
        InvalidInputError
            No token was given and none is held.
        APIError
            Calendly refused (400 ``invalid_request``, 403).
        """

        async def revoke() -> None:
            form = self._credential_form(token)
            await self._live_transport().request(
                "POST", "/oauth/revoke", data=form, authenticate=False
            )
            current = self._token
            if current is not None and form["token"] in (
                current.access_token,
                current.refresh_token,
            ):
                self._token = None
                self._unpersisted = None
                self._generation += 1

        await self._in_own_task(revoke)

    async def introspect(self, token: str | None = None) -> TokenIntrospection:
        """Ask Calendly whether a token (default: the current access token) is active.

        Raises
        ------
        InvalidInputError
            No token was given and none is held.
        DecodeError
            The answer is not the documented shape.
        """
        response = await self._live_transport().request(
            "POST", "/oauth/introspect", data=self._credential_form(token), authenticate=False
        )
        try:
            return INTROSPECTION_DECODER.decode(response.body)
        except MALFORMED_JSON as exc:  # also RecursionError for absurdly nested JSON
            raise DecodeError(
                f"unexpected /oauth/introspect response: {exc}", url=response.url
            ) from exc
