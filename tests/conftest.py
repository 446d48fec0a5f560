"""Shared fixtures: an aioresponses-mocked client and real loopback servers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aioresponses import aioresponses
from helpers import TOKEN, FakeTime

from calendly_async import Calendly
from calendly_async.mock import MockCalendly

Serve = Callable[[web.Application], Awaitable[str]]


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def api() -> Iterator[aioresponses]:
    """aioresponses: every HTTP call is answered by what the test registers."""
    with aioresponses() as mocked:
        yield mocked


@pytest.fixture
async def client(api: aioresponses, fake_time: FakeTime) -> AsyncIterator[Calendly]:
    """A client on the real base URL whose requests hit ``api``."""
    async with Calendly(token=TOKEN, sleep=fake_time.sleep, clock=fake_time.clock) as c:
        yield c


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start an aiohttp app on 127.0.0.1 and return its base URL; closed after the test."""
    servers: list[TestServer] = []

    async def start(app: web.Application) -> str:
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


def sent(api: aioresponses) -> list[tuple[str, str, dict[str, Any]]]:
    """Every request aioresponses received, in order: (method, url, kwargs)."""
    calls = []
    for (method, url), requests in api.requests.items():
        for call in requests:
            calls.append((method, str(url), call.kwargs))
    return calls


@pytest.fixture
async def sdk(mock: MockCalendly) -> AsyncIterator[Calendly]:
    """A client of the test module's own ``mock`` fixture (the embedded mock server)."""
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        yield client
