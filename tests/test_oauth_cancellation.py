"""An OAuth refresh survives the cancellation of the call that started it (real loopback HTTP).

Calendly rule (reference §5.1): refresh tokens are single-use and rotate; the old
one is dead as soon as the token endpoint receives the request. So a caller that
gives up while the answer is on its way (``asyncio.wait_for``, a ``break`` out of
``async for`` while the read-ahead page refreshes) must not drop it: the refresh
finishes in its own task, ``on_token`` sees the new token once, before any use,
and the next call uses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Iterator

import pytest
from aiohttp import web
from conftest import Serve
from helpers import fixture, page_body

from calendly_async import Calendly, ClientClosedError, OAuth2, Token, TokenPersistenceError

CLIENT_ID = "cancel-client"
CLIENT_SECRET = "cancel_CLIENT_SECRET_9"
USER = "https://api.calendly.com/users/AAAAAAAAAAAAAAAA"
NOW = 1_700_000_000.0


def access(n: int) -> str:
    return f"access-SECRET-{n}"


def refresh(n: int) -> str:
    return f"refresh-SECRET-{n}"


class RotatingCalendly:
    """Auth host and API: a refresh rotates on receipt, the answer waits for ``release``."""

    def __init__(self, *, answer_after: float | None = None) -> None:
        self.serial = 0
        self.presented: list[str] = []
        self.received = asyncio.Event()
        self.release = asyncio.Event()
        self.answer_after = answer_after
        self.api: list[tuple[str, str]] = []
        self.valid_access: str | None = access(0)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/oauth/token", self.token)
        app.router.add_get("/users/me", self.me)
        app.router.add_get("/event_types", self.event_types)
        return app

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        presented = str(form.get("refresh_token"))
        self.presented.append(presented)
        if presented != refresh(self.serial):
            return web.json_response(
                {"error": "invalid_grant", "error_description": "used"}, status=400
            )
        self.serial += 1  # rotated now: the presented refresh token is already dead
        self.valid_access = access(self.serial)
        self.received.set()
        if self.answer_after is not None:
            asyncio.get_running_loop().call_later(self.answer_after, self.release.set)
        await self.release.wait()
        return web.json_response(
            {
                "token_type": "Bearer",
                "access_token": access(self.serial),
                "refresh_token": refresh(self.serial),
                "expires_in": 7200,
                "created_at": int(NOW),
            }
        )

    def _authorized(self, request: web.Request, what: str) -> bool:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.api.append((what, token))
        return token == self.valid_access

    async def me(self, request: web.Request) -> web.Response:
        if not self._authorized(request, "me"):
            return web.json_response({"title": "Unauthenticated", "message": "no"}, status=401)
        return web.json_response(fixture("get_current_user"))

    async def event_types(self, request: web.Request) -> web.Response:
        page = request.query.get("page_token", "1")
        if not self._authorized(request, f"page {page}"):
            return web.json_response({"title": "Unauthenticated", "message": "no"}, status=401)
        items = fixture("list_user_event_types")
        return web.json_response(page_body(items, "2" if page == "1" else None))


class Saver:
    """``on_token``: logs each save into the server's log; fails the first ``failures``."""

    def __init__(self, log: list[tuple[str, str]], failures: int = 0) -> None:
        self.log = log
        self.failures = failures

    async def __call__(self, token: Token) -> None:
        if self.failures:
            self.failures -= 1
            self.log.append(("on_token failed", str(token.refresh_token)))
            raise OSError("database unavailable")
        self.log.append(("on_token", str(token.refresh_token)))


async def start(
    serve: Serve, *, expired: bool = True, failures: int = 0, answer_after: float | None = None
) -> tuple[RotatingCalendly, OAuth2, str]:
    """The server, an ``OAuth2`` holding its serial-0 token (saved into the server's log)
    and the base URL."""
    server = RotatingCalendly(answer_after=answer_after)
    url = await serve(server.app())
    age = 7300 if expired else 60
    token = Token(
        access_token=access(0),
        refresh_token=refresh(0),
        expires_in=7200,
        created_at=int(NOW - age),
    )
    oauth = OAuth2(
        CLIENT_ID,
        CLIENT_SECRET,
        auth_base_url=url,
        token=token,
        on_token=Saver(server.api, failures),
        clock=lambda: NOW,
    )
    return server, oauth, url


async def cancel_mid_refresh(client: Calendly, server: RotatingCalendly) -> None:
    """Start a call and cancel it once Calendly has rotated the refresh token."""
    call = asyncio.create_task(client.users.me())
    await server.received.wait()
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call


@pytest.fixture
def asyncio_errors(caplog: pytest.LogCaptureFixture) -> Iterator[list[str]]:
    """Collects asyncio's 'never retrieved' / 'destroyed but pending' reports; asserts none."""
    caplog.set_level(logging.ERROR, logger="asyncio")
    errors: list[str] = []
    yield errors
    gc.collect()
    errors.extend(r.getMessage() for r in caplog.records if r.name == "asyncio")
    assert errors == []


async def test_wait_for_timeout_mid_refresh_keeps_the_rotated_token(
    serve: Serve, asyncio_errors: list[str]
) -> None:
    # Calendly rotates on receipt and answers 1 s later; the caller gives up at 0.3 s.
    server, oauth, url = await start(serve, answer_after=1.0)
    async with Calendly(oauth=oauth, base_url=url) as client:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(client.users.me(), 0.3)
        me = await client.users.me()
    assert me.email == "user@example.com"
    assert server.presented == [refresh(0)]
    assert oauth.token is not None
    assert oauth.token.refresh_token == refresh(1)
    assert server.api == [("on_token", refresh(1)), ("me", access(1))]


async def test_cancelled_concurrent_callers_share_one_refresh_and_later_calls_use_it(
    serve: Serve, asyncio_errors: list[str]
) -> None:
    server, oauth, url = await start(serve)
    async with Calendly(oauth=oauth, base_url=url) as client:
        calls = [asyncio.create_task(client.users.me()) for _ in range(5)]
        await server.received.wait()
        for call in calls:
            call.cancel()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        later = asyncio.create_task(client.users.me())
        server.release.set()
        users = await asyncio.gather(later, client.users.me())
    assert [u.email for u in users] == ["user@example.com"] * 2
    assert server.presented == [refresh(0)]
    # on_token finished before the first use of the new token; no use of the old one.
    assert server.api == [("on_token", refresh(1)), ("me", access(1)), ("me", access(1))]


async def test_break_out_of_async_for_while_the_read_ahead_refreshes(
    serve: Serve, asyncio_errors: list[str]
) -> None:
    server, oauth, url = await start(serve, expired=False)
    async with Calendly(oauth=oauth, base_url=url) as client:
        listing = client.event_types.list(user=USER)
        async with contextlib.aclosing(listing.pages()) as pages:
            async for page in pages:
                assert len(page) == 1
                # Calendly revokes the access token: the read-ahead of page 2 gets a 401
                # and starts a refresh; the caller stops while the answer is on its way.
                server.valid_access = None
                await server.received.wait()
                break
        server.release.set()
        me = await client.users.me()
    assert me.email == "user@example.com"
    assert oauth.token is not None
    assert oauth.token.access_token == access(1)
    assert server.presented == [refresh(0)]
    assert server.api == [
        ("page 1", access(0)),
        ("page 2", access(0)),
        ("on_token", refresh(1)),
        ("me", access(1)),
    ]


async def test_break_out_of_the_items_while_the_read_ahead_refreshes(
    serve: Serve, asyncio_errors: list[str]
) -> None:
    # No aclosing(): the abandoned iterator is finalised by the event loop, which
    # cancels the read-ahead while its refresh is in flight.
    server, oauth, url = await start(serve, expired=False)
    async with Calendly(oauth=oauth, base_url=url) as client:
        async for event_type in client.event_types.list(user=USER):
            assert event_type.name
            server.valid_access = None
            await server.received.wait()
            break
        await asyncio.sleep(0.01)  # let the loop finalise the iterator
        server.release.set()
        me = await client.users.me()
    assert me.email == "user@example.com"
    assert server.presented == [refresh(0)]
    assert server.api[-2:] == [("on_token", refresh(1)), ("me", access(1))]


async def test_closing_the_client_finishes_the_refresh_in_flight(
    serve: Serve, asyncio_errors: list[str]
) -> None:
    server, oauth, url = await start(serve)
    async with Calendly(oauth=oauth, base_url=url) as client:
        await cancel_mid_refresh(client, server)
        # The answer arrives while the client closes: aclose waits for it.
        asyncio.get_running_loop().call_soon(server.release.set)
    assert server.api == [("on_token", refresh(1))]
    assert oauth.token is not None
    assert oauth.token.refresh_token == refresh(1)
    assert client._transport.closed


async def test_failed_save_of_a_cancelled_refresh_is_retried_before_use(
    serve: Serve, asyncio_errors: list[str]
) -> None:
    server, oauth, url = await start(serve, failures=1)
    async with Calendly(oauth=oauth, base_url=url) as client:
        await cancel_mid_refresh(client, server)
        server.release.set()
        me = await client.users.me()
    assert me.email == "user@example.com"
    assert server.presented == [refresh(0)]
    assert server.api == [
        ("on_token failed", refresh(1)),
        ("on_token", refresh(1)),
        ("me", access(1)),
    ]


async def test_a_caller_still_waiting_sees_the_persistence_failure(
    serve: Serve, asyncio_errors: list[str]
) -> None:
    server, oauth, url = await start(serve, failures=1, answer_after=0.0)
    async with Calendly(oauth=oauth, base_url=url) as client:
        with pytest.raises(TokenPersistenceError):
            await client.users.me()
        assert oauth.token is not None
        assert oauth.token.refresh_token == refresh(1)
        await client.users.me()
    assert server.api == [
        ("on_token failed", refresh(1)),
        ("on_token", refresh(1)),
        ("me", access(1)),
    ]


async def test_an_oauth2_outlives_its_closed_client_and_serves_a_new_one(
    serve: Serve, asyncio_errors: list[str]
) -> None:
    server, oauth, url = await start(serve, answer_after=0.0)
    async with Calendly(oauth=oauth, base_url=url) as first:
        await first.users.me()
    with pytest.raises(ClientClosedError):
        await first.users.me()
    async with Calendly(oauth=oauth, base_url=url) as second:
        assert (await second.users.me()).email == "user@example.com"
    async with oauth:  # on its own: it opens (and closes) a session of its own
        assert (await oauth.refresh()).refresh_token == refresh(2)
    assert server.presented == [refresh(0), refresh(1)]
    assert [e for e in server.api if e[0] == "on_token"] == [
        ("on_token", refresh(1)),
        ("on_token", refresh(2)),
    ]
