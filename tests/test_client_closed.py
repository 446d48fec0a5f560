"""A closed client stays closed (real loopback HTTP): a clear error, never a new session.

Closing (``aclose()`` or the end of ``async with``) is terminal. A client that was
never entered still opens its session lazily on first use.
"""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import Iterator

import aiohttp
import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, FakeTime, fixture, page_body

from calendly_async import Calendly, CalendlyError, ClientClosedError

USER = "https://api.calendly.com/users/AAAAAAAAAAAAAAAA"


class Api:
    """``/users/me`` and a two-page ``/event_types``; page 1 says the budget is spent."""

    def __init__(self) -> None:
        self.hits: list[str] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/users/me", self.me)
        app.router.add_get("/event_types", self.event_types)
        return app

    async def me(self, request: web.Request) -> web.Response:
        self.hits.append("me")
        return web.json_response(fixture("get_current_user"))

    async def event_types(self, request: web.Request) -> web.Response:
        page = request.query.get("page_token", "1")
        self.hits.append(f"page {page}")
        # Calendly §4: Remaining 0 means wait Reset seconds before the next request.
        headers = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0"}
        headers["X-RateLimit-Reset"] = "5"
        body = page_body(fixture("list_user_event_types"), "2" if page == "1" else None)
        return web.json_response(body, headers=headers)


@pytest.fixture
def no_leaks() -> Iterator[None]:
    """Fails the test if an aiohttp session was left unclosed (a ResourceWarning at gc)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        gc.collect()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == []


@pytest.fixture
async def api(serve: Serve) -> tuple[Api, str]:
    """The inline API, started, and its base URL."""
    server = Api()
    return server, await serve(server.app())


def assert_closed_error(error: BaseException) -> None:
    assert isinstance(error, ClientClosedError)
    assert isinstance(error, CalendlyError)
    assert "closed" in str(error)


async def test_calls_after_async_with_raise_and_open_no_session(
    api: tuple[Api, str], no_leaks: None
) -> None:
    server, url = api
    async with Calendly(token=TOKEN, base_url=url) as client:
        await client.users.me()
        session = client._transport.session
        view = client.with_options(timeout=5)
    for call in (client.users.me, view.users.me, client.event_types.list(user=USER).collect):
        with pytest.raises(ClientClosedError) as caught:
            await call()
        assert_closed_error(caught.value)
    with pytest.raises(ClientClosedError):
        await client.request("GET", "/users/me")
    with pytest.raises(ClientClosedError):
        async with client:
            pass
    assert client._transport._session is session
    assert session.closed
    assert server.hits == ["me"]


async def test_a_never_entered_client_opens_lazily_and_closing_is_terminal(
    api: tuple[Api, str], no_leaks: None
) -> None:
    server, url = api
    client = Calendly(token=TOKEN, base_url=url)
    assert (await client.users.me()).email == "user@example.com"
    await client.aclose()
    with pytest.raises(ClientClosedError):
        await client.users.me()
    await client.aclose()  # closing twice is harmless
    assert server.hits == ["me"]


async def test_closing_a_view_leaves_its_client_open(api: tuple[Api, str], no_leaks: None) -> None:
    server, url = api
    async with Calendly(token=TOKEN, base_url=url) as client:
        async with client.with_options(timeout=5) as view:
            await view.users.me()
        await client.users.me()
    assert server.hits == ["me", "me"]


async def test_a_callers_session_closed_by_the_caller_gives_the_clear_error(
    api: tuple[Api, str], no_leaks: None
) -> None:
    server, url = api
    async with aiohttp.ClientSession() as session:
        client = Calendly(token=TOKEN, base_url=url, session=session)
        await client.users.me()
    with pytest.raises(ClientClosedError) as caught:
        await client.users.me()
    assert_closed_error(caught.value)
    assert "session" in str(caught.value)
    assert server.hits == ["me"]


async def test_a_read_ahead_that_outlives_async_with_opens_no_session(
    api: tuple[Api, str], no_leaks: None
) -> None:
    server, url = api
    in_gate, open_gate = asyncio.Event(), asyncio.Event()
    fake = FakeTime()

    async def gated_sleep(seconds: float) -> None:
        in_gate.set()
        await open_gate.wait()
        await fake.sleep(seconds)

    async with Calendly(token=TOKEN, base_url=url, sleep=gated_sleep, clock=fake.clock) as client:
        session = client._transport.session
        pages = client.event_types.list(user=USER).pages()
        async for page in pages:
            assert len(page) == 1
            # The read-ahead of page 2 now waits out the rate-limit reset.
            await in_gate.wait()
            break
    open_gate.set()  # the wait ends after the client closed
    with pytest.raises(ClientClosedError) as caught:
        await pages.__anext__()
    assert_closed_error(caught.value)
    await pages.aclose()
    assert client._transport._session is session
    assert server.hits == ["page 1"]
