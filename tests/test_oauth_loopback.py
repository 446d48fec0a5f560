"""OAuth2 over real HTTP: an inline auth host + API with rotating single-use refresh tokens.

Calendly rules under test (reference §5.1): refresh tokens are single-use and rotate
(reusing one is ``invalid_grant``), so concurrent requests must share one refresh and
the rotated token must be persisted (``on_token``) before any request uses it; a 401
gets exactly one refresh and one resend; PKCE S256 binds the code to the verifier.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp import web
from conftest import Serve
from helpers import FakeTime, fixture

from calendly_async import (
    AuthenticationError,
    Calendly,
    InvalidGrantError,
    OAuth2,
    Token,
    TokenPersistenceError,
)
from calendly_async.auth import pkce_challenge

CLIENT_ID = "loopback-client"
CLIENT_SECRET = "loopback_CLIENT_SECRET_42"
REDIRECT = "http://127.0.0.1:9/callback"
BASIC = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()


def access(n: int) -> str:
    return f"access-SECRET-{n:03d}"


def refresh(n: int) -> str:
    return f"refresh-SECRET-{n:03d}"


class FakeCalendly:
    """Auth host and API in one app, keeping an ordered event log.

    Exactly one access token and one refresh token are valid at a time; every
    grant issues the next pair and retires the previous one (Calendly's rotation).
    """

    def __init__(self, clock: FakeTime, *, serial: int = 0) -> None:
        self.clock = clock
        self.serial = serial
        self.access: str | None = access(serial)
        self.refresh: str | None = refresh(serial)
        self.log: list[tuple[str, str]] = []
        self.token_requests = 0
        self.codes: dict[str, tuple[str, str]] = {}
        self.reject_all = False

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/oauth/authorize", self.authorize)
        app.router.add_post("/oauth/token", self.token)
        app.router.add_post("/oauth/revoke", self.revoke)
        app.router.add_post("/oauth/introspect", self.introspect)
        app.router.add_get("/users/me", self.me)
        app.router.add_get("/ping", self.ping)
        return app

    @staticmethod
    def oauth_error(error: str, status: int = 400) -> web.Response:
        return web.json_response({"error": error, "error_description": error}, status=status)

    async def authorize(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
            return self.oauth_error("invalid_request")
        code = f"code-SECRET-{len(self.codes)}"
        self.codes[code] = (query["code_challenge"], query["redirect_uri"])
        location = f"{query['redirect_uri']}?code={code}&state={query.get('state', '')}"
        raise web.HTTPFound(location)

    def _grant_ok(self, form: Any) -> bool:
        if form.get("grant_type") == "refresh_token":
            return self.refresh is not None and form.get("refresh_token") == self.refresh
        if form.get("grant_type") == "authorization_code":
            challenge, redirect_uri = self.codes.pop(form.get("code"), ("", ""))
            verifier = form.get("code_verifier", "")
            return (
                bool(challenge)
                and pkce_challenge(verifier) == challenge
                and (form.get("redirect_uri") == redirect_uri)
            )
        return False

    async def token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        if request.headers.get("Authorization") != BASIC:
            return self.oauth_error("invalid_client", 401)
        if not self._grant_ok(await request.post()):
            return self.oauth_error("invalid_grant")
        self.serial += 1
        self.access, self.refresh = access(self.serial), refresh(self.serial)
        self.log.append(("issued", self.access))
        return web.json_response(
            {
                "token_type": "Bearer",
                "access_token": self.access,
                "refresh_token": self.refresh,
                "expires_in": 7200,
                "created_at": int(self.clock.now),
                "scope": "users:read",
                "owner": "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
                "organization": "https://api.calendly.com/organizations/AAAAAAAAAAAAAAAA",
            }
        )

    async def _client_form(self, request: web.Request) -> Any:
        form = await request.post()
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            raise web.HTTPForbidden()
        return form

    async def revoke(self, request: web.Request) -> web.Response:
        form = await self._client_form(request)
        if form.get("token") in (self.access, self.refresh):
            self.access = self.refresh = None
        self.log.append(("revoked", str(form.get("token"))))
        return web.Response(status=200)

    async def introspect(self, request: web.Request) -> web.Response:
        form = await self._client_form(request)
        active = form.get("token") is not None and form.get("token") == self.access
        return web.json_response(
            {"active": active, "client_id": CLIENT_ID} if active else {"active": False}
        )

    async def me(self, request: web.Request) -> web.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.reject_all or self.access is None or token != self.access:
            self.log.append(("api 401", token))
            return web.json_response(
                {"title": "Unauthenticated", "message": "The access token is invalid"}, status=401
            )
        self.log.append(("api 200", token))
        return web.json_response(fixture("get_current_user"))

    async def ping(self, request: web.Request) -> web.Response:
        self.log.append(("ping", ""))
        return web.Response(text="pong")

    def count(self, event: str, token: str | None = None) -> int:
        return sum(1 for e, t in self.log if e == event and (token is None or t == token))


class SlowSaver:
    """An on_token that logs start and end into the server's log and, in between,
    makes a real HTTP round trip (so a request that jumped the gun would land first)."""

    def __init__(self, server: FakeCalendly, url: str, failures: int = 0) -> None:
        self.server, self.url, self.failures = server, url, failures
        self.saved: list[Token] = []

    async def __call__(self, token: Token) -> None:
        self.server.log.append(("on_token start", token.access_token))
        for _ in range(10):
            await asyncio.sleep(0)
        async with aiohttp.ClientSession() as session, session.get(f"{self.url}/ping") as r:
            await r.read()
        if self.failures:
            self.failures -= 1
            self.server.log.append(("on_token failed", token.access_token))
            raise OSError("database unavailable")
        self.saved.append(token)
        self.server.log.append(("on_token done", token.access_token))


def saved_token(clock: FakeTime, *, expired: bool, serial: int = 0) -> Token:
    age = 7200 + 1 if expired else 60
    return Token(
        access_token=access(serial),
        refresh_token=refresh(serial),
        expires_in=7200,
        created_at=int(clock.now - age),
    )


async def start(
    serve: Serve, fake_time: FakeTime, *, expired: bool, failures: int = 0
) -> tuple[FakeCalendly, SlowSaver, OAuth2, Calendly]:
    server = FakeCalendly(fake_time)
    url = await serve(server.app())
    saver = SlowSaver(server, url, failures)
    oauth = OAuth2(
        CLIENT_ID,
        CLIENT_SECRET,
        REDIRECT,
        auth_base_url=url,
        token=saved_token(fake_time, expired=expired),
        on_token=saver,
        clock=fake_time.clock,
    )
    client = Calendly(oauth=oauth, base_url=url, sleep=fake_time.sleep, clock=fake_time.clock)
    return server, saver, oauth, client


def first(log: list[tuple[str, str]], event: tuple[str, str]) -> int:
    return log.index(event)


async def follow_authorize(authorize_url: str) -> dict[str, str]:
    """What a browser does: open the authorize URL; return the redirect's query."""
    async with (
        aiohttp.ClientSession() as browser,
        browser.get(authorize_url, allow_redirects=False) as response,
    ):
        location = response.headers["Location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def test_expired_token_twenty_concurrent_calls_one_refresh_persisted_first(
    serve: Serve, fake_time: FakeTime
) -> None:
    server, saver, oauth, client = await start(serve, fake_time, expired=True)
    async with client:
        users = await asyncio.gather(*(client.users.me() for _ in range(20)))
    assert len(users) == 20
    assert all(u.email == "user@example.com" for u in users)
    assert server.token_requests == 1
    assert oauth.refresh_count == 1
    assert [t.access_token for t in saver.saved] == [access(1)]
    assert oauth.token == saver.saved[0]
    log = server.log
    done = first(log, ("on_token done", access(1)))
    assert first(log, ("issued", access(1))) < first(log, ("on_token start", access(1))) < done
    api_calls = [i for i, (event, _) in enumerate(log) if event.startswith("api")]
    assert len(api_calls) == 20
    assert min(api_calls) > done, log
    assert server.count("api 200", access(1)) == 20
    assert server.count("ping") == 1


async def test_401_on_fresh_token_refreshes_once_and_resends_once(
    serve: Serve, fake_time: FakeTime
) -> None:
    server, saver, _, client = await start(serve, fake_time, expired=False)
    server.access = "revoked-by-calendly"  # the saved access token no longer works
    async with client:
        me = await client.users.me()
    assert me.email == "user@example.com"
    assert [(e, t) for e, t in server.log if e != "ping"] == [
        ("api 401", access(0)),
        ("issued", access(1)),
        ("on_token start", access(1)),
        ("on_token done", access(1)),
        ("api 200", access(1)),
    ]
    assert server.token_requests == 1
    assert [t.refresh_token for t in saver.saved] == [refresh(1)]


async def test_concurrent_401s_share_one_refresh(serve: Serve, fake_time: FakeTime) -> None:
    server, saver, _, client = await start(serve, fake_time, expired=False)
    server.access = "revoked-by-calendly"
    async with client:
        users = await asyncio.gather(*(client.users.me() for _ in range(20)))
    assert len(users) == 20
    assert server.token_requests == 1
    # Every call picked the saved token before any answer came back, so all 20 were
    # rejected, and each was resent exactly once, after the new token was saved.
    assert server.count("api 401") == server.count("api 401", access(0)) == 20
    assert server.count("api 200") == server.count("api 200", access(1)) == 20
    done = first(server.log, ("on_token done", access(1)))
    assert all(
        i > done for i, (e, t) in enumerate(server.log) if e.startswith("api") and t == access(1)
    )
    assert len(saver.saved) == 1


async def test_401_that_persists_after_refresh_raises_without_loop(
    serve: Serve, fake_time: FakeTime
) -> None:
    server, _, _, client = await start(serve, fake_time, expired=False)
    server.reject_all = True
    async with client:
        with pytest.raises(AuthenticationError) as caught:
            await client.users.me()
    assert not isinstance(caught.value, InvalidGrantError)
    assert caught.value.status == 401
    assert server.log[0] == ("api 401", access(0))
    assert server.log[-1] == ("api 401", access(1))
    assert server.count("api 401") == 2
    assert server.token_requests == 1


async def test_stale_refresh_token_is_invalid_grant_after_one_request(
    serve: Serve, fake_time: FakeTime
) -> None:
    server, saver, _, client = await start(serve, fake_time, expired=True)
    server.refresh = "rotated-elsewhere"  # another process already used ours
    async with client:
        results = await asyncio.gather(
            *(client.users.me() for _ in range(5)), return_exceptions=True
        )
        with pytest.raises(InvalidGrantError):
            await client.users.me()
    assert all(isinstance(r, InvalidGrantError) for r in results), results
    assert all(isinstance(r, AuthenticationError) for r in results)
    assert server.token_requests == 1
    assert server.count("api 200") + server.count("api 401") == 0
    assert saver.saved == []
    for error in results:
        for secret in (refresh(0), access(0), CLIENT_SECRET):
            assert secret not in str(error)


async def test_reusing_a_rotated_refresh_token_is_invalid_grant(
    serve: Serve, fake_time: FakeTime
) -> None:
    # Two processes restored from the same saved token: only the first refresh wins.
    server = FakeCalendly(fake_time)
    url = await serve(server.app())
    token = saved_token(fake_time, expired=True)
    one = OAuth2(CLIENT_ID, CLIENT_SECRET, auth_base_url=url, token=token, clock=fake_time.clock)
    two = OAuth2(CLIENT_ID, CLIENT_SECRET, auth_base_url=url, token=token, clock=fake_time.clock)
    async with one, two:
        assert (await one.refresh()).refresh_token == refresh(1)
        with pytest.raises(InvalidGrantError):
            await two.refresh()
    assert server.token_requests == 2
    assert two.token == token


async def test_on_token_failure_blocks_use_until_saved(serve: Serve, fake_time: FakeTime) -> None:
    server, _, oauth, client = await start(serve, fake_time, expired=True, failures=1)
    async with client:
        with pytest.raises(TokenPersistenceError):
            await client.users.me()
        assert oauth.token is not None
        assert oauth.token.access_token == access(1)
        assert server.count("api 200") + server.count("api 401") == 0
        me = await client.users.me()
    assert me.email == "user@example.com"
    assert server.token_requests == 1
    events = [(e, t) for e, t in server.log if e != "ping"]
    assert events == [
        ("issued", access(1)),
        ("on_token start", access(1)),
        ("on_token failed", access(1)),
        ("on_token start", access(1)),
        ("on_token done", access(1)),
        ("api 200", access(1)),
    ]


async def test_authorization_code_flow_with_pkce(serve: Serve, fake_time: FakeTime) -> None:
    server = FakeCalendly(fake_time)
    server.access = server.refresh = None
    url = await serve(server.app())
    saved: list[Token] = []

    async def save(token: Token) -> None:
        saved.append(token)

    oauth = OAuth2(
        CLIENT_ID, CLIENT_SECRET, REDIRECT, auth_base_url=url, on_token=save, clock=fake_time.clock
    )
    async with Calendly(oauth=oauth, base_url=url) as client:
        authorize_url, verifier = oauth.authorization_url(state="xyz", scope=["users:read"])
        query = await follow_authorize(authorize_url)
        assert query["state"] == "xyz"
        token = await oauth.exchange_code(query["code"], code_verifier=verifier)
        assert saved == [token]
        assert token.created_at == int(fake_time.now)
        me = await client.users.me()
        assert me.email == "user@example.com"
        assert (await oauth.introspect()).active is True
        await oauth.revoke()
        assert oauth.token is None
        assert (await oauth.introspect(token.access_token)).active is False
        with pytest.raises(AuthenticationError):
            await client.users.me()
    assert server.log[-1] == ("revoked", access(1))


async def test_wrong_code_verifier_is_invalid_grant(serve: Serve, fake_time: FakeTime) -> None:
    server = FakeCalendly(fake_time)
    url = await serve(server.app())
    async with OAuth2(CLIENT_ID, CLIENT_SECRET, REDIRECT, auth_base_url=url) as oauth:
        authorize_url, _ = oauth.authorization_url()
        _, other_verifier = oauth.authorization_url()
        code = (await follow_authorize(authorize_url))["code"]
        with pytest.raises(InvalidGrantError):
            await oauth.exchange_code(code, code_verifier=other_verifier)
    assert oauth.token is None
    assert server.token_requests == 1


async def test_debug_logs_of_full_flow_hold_no_secrets(
    serve: Serve, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="calendly_async")
    server = FakeCalendly(fake_time)
    url = await serve(server.app())
    oauth = OAuth2(CLIENT_ID, CLIENT_SECRET, REDIRECT, auth_base_url=url, clock=fake_time.clock)
    async with Calendly(oauth=oauth, base_url=url) as client:
        authorize_url, verifier = oauth.authorization_url()
        code = (await follow_authorize(authorize_url))["code"]
        await oauth.exchange_code(code, code_verifier=verifier)
        await oauth.refresh()
        server.access = "revoked-by-calendly"  # force the 401 -> refresh -> resend path
        await client.users.me()
        await client.request("GET", "/users/me", debug=True)
    assert server.token_requests == 3
    assert "POST " + url + "/oauth/token" in caplog.text
    assert "/users/me -> 200" in caplog.text
    assert "-> 401" in caplog.text
    secrets = [CLIENT_SECRET, BASIC.split()[1], code, verifier]
    secrets += [access(n) for n in range(4)] + [refresh(n) for n in range(4)]
    for secret in secrets:
        assert secret not in caplog.text, secret
