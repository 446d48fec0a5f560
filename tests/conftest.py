"""Shared fixtures: an aioresponses-mocked client and real loopback servers.

Without aioresponses (``.ci/run``'s second run, on the newest aiohttp, which
aioresponses 0.7.9 cannot mock) every test using the ``api`` fixture (``client``
uses it) is deselected and ``import aioresponses`` gets a stand-in whose names
raise when used, so a module's other tests still run. That happens only when
``CALENDLY_ASYNC_TESTS_WITHOUT_AIORESPONSES=1`` asks for it: a missing
aioresponses is otherwise an error, never a silently smaller run.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, NoReturn

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from helpers import TOKEN, FakeTime

from calendly_async import Calendly
from calendly_async.mock import MockCalendly

WITHOUT_AIORESPONSES = "CALENDLY_ASYNC_TESTS_WITHOUT_AIORESPONSES"
_AIORESPONSES_FIXTURES = {"api"}
"""Fixtures built on aioresponses (``client`` uses ``api``)."""


def _missing(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError("aioresponses is not installed in this run; use the api fixture")


try:
    from aioresponses import aioresponses

    REDUCED_RUN = False
except ImportError:
    if os.environ.get(WITHOUT_AIORESPONSES) != "1":
        raise ImportError(
            "aioresponses is not installed: pip install -e '.[test]', or set "
            f"{WITHOUT_AIORESPONSES}=1 to run only the tests that do not need it"
        ) from None
    REDUCED_RUN = True
    _stand_in = types.ModuleType("aioresponses")
    _stand_in.aioresponses = _missing  # type: ignore[attr-defined]
    _stand_in.CallbackResult = _missing  # type: ignore[attr-defined]
    sys.modules["aioresponses"] = _stand_in
    aioresponses = _missing  # type: ignore[assignment,misc]

Serve = Callable[[web.Application], Awaitable[str]]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not REDUCED_RUN:
        return
    needs = [
        item for item in items if _AIORESPONSES_FIXTURES & set(getattr(item, "fixturenames", ()))
    ]
    config.hook.pytest_deselected(items=needs)
    items[:] = [item for item in items if item not in needs]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not REDUCED_RUN:
        return
    ran = sum(len(terminalreporter.stats.get(key, [])) for key in ("passed", "failed", "error"))
    left_out = len(terminalreporter.stats.get("deselected", []))
    terminalreporter.write_line(
        f"without aioresponses, on aiohttp {aiohttp.__version__}: {ran} tests ran, "
        f"{left_out} needing aioresponses deselected"
    )


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
