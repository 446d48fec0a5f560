"""Test helpers shared by every test module (no fixtures here; see conftest.py)."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import msgspec
import pytest
from aiohttp import web
from multidict import CIMultiDict

from calendly_async import Calendly, InvalidInputError

if TYPE_CHECKING:  # aioresponses is absent from the newest-aiohttp run (tests/conftest.py)
    from aioresponses import aioresponses

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://api.calendly.com"
TOKEN = "tok_SECRET_test_0123456789"

_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def fixture(name: str) -> Any:
    """The JSON payload ``tests/fixtures/<name>.json`` (copied from the seed's examples)."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def resource_body(payload: Any) -> dict[str, Any]:
    """Wrap a payload the way Calendly returns one object."""
    return {"resource": payload}


def page_body(items: list[Any], next_token: str | None = None) -> dict[str, Any]:
    """Wrap items the way Calendly returns a page of a list."""
    return {
        "collection": items,
        "pagination": {
            "count": len(items),
            "next_page": f"{BASE}/x?page_token={next_token}" if next_token else None,
            "previous_page": None,
            "next_page_token": next_token,
            "previous_page_token": None,
        },
    }


def _same(original: Any, encoded: Any, path: str) -> None:
    if isinstance(original, dict):
        assert isinstance(encoded, dict), f"{path}: expected an object, got {encoded!r}"
        for key, value in original.items():
            assert key in encoded, f"{path}.{key} was dropped by the model"
            _same(value, encoded[key], f"{path}.{key}")
        for key in encoded.keys() - original.keys():
            assert encoded[key] in (None, []), f"{path}.{key} appeared as {encoded[key]!r}"
        return
    if isinstance(original, list):
        assert isinstance(encoded, list), path
        assert len(encoded) == len(original), path
        for index, (a, b) in enumerate(zip(original, encoded, strict=True)):
            _same(a, b, f"{path}[{index}]")
        return
    if isinstance(original, str) and _TIMESTAMP.match(original):
        assert isinstance(encoded, str), path
        assert _instant(original) == _instant(encoded), f"{path}: {original} != {encoded}"
        return
    assert original == encoded, f"{path}: {original!r} != {encoded!r}"
    assert type(original) is type(encoded), f"{path}: {original!r} changed type"


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_round_trips(original: Any, model: Any) -> None:
    """``model`` re-encodes to ``original``: every key and value kept (times compared as
    instants, so ``.678Z`` equals ``.678000Z``); keys the payload lacked encode as their
    default (``null`` or ``[]``)."""
    _same(original, msgspec.json.decode(msgspec.json.encode(model)), "$")


@dataclass
class Answer:
    """One raw HTTP answer from the mock server, read in full."""

    status: int
    headers: CIMultiDict[str]
    """As received; names are case-insensitive, as in HTTP (aiohttp 3.14 sends
    ``X-Request-ID`` for a handler's ``X-Request-Id``)."""
    body: Any
    """Decoded JSON, or ``None`` for an empty or non-JSON body."""


async def call(
    http: aiohttp.ClientSession,
    mock: Any,
    method: str,
    path: str,
    params: dict[str, Any] | None = None,
    json: Any = None,
    **kwargs: Any,
) -> Answer:
    """Send a raw request to ``mock`` (a path on ``mock.url``, or a full URL)."""
    url = path if path.startswith("http") else mock.url + path
    async with http.request(method, url, params=params, json=json, **kwargs) as response:
        text = await response.text()
        is_json = response.content_type == "application/json"
        body = msgspec.json.decode(text) if text and is_json else None
        return Answer(response.status, CIMultiDict(response.headers), body)


class FakeTime:
    """A monotonic clock and sleep that advance instantly, recording every wait."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)



class VirtualClock:
    """A clock shared by client and mock; a sleep moves time to its deadline.

    Unlike ``FakeTime``, concurrent sleeps overlap (as real ones do): ten tasks
    each sleeping 60 s advance the clock by 60 s, not 600 s, so a rate-limited
    run's virtual wall time can be compared with the budget's floor.
    """

    def __init__(self) -> None:
        self.now = 1_000.0

    def clock(self) -> float:
        """The current virtual time (seconds)."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Yield once, then move the clock to ``now + seconds`` (never backwards)."""
        deadline = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, deadline)

async def assert_refused(client: Calendly, api: aioresponses, call: Any) -> None:
    """``await call(client)`` raises ``InvalidInputError`` before any request is sent."""
    with pytest.raises(InvalidInputError):
        await call(client)
    assert not api.requests, api.requests


async def webhook_receiver(serve: Any) -> tuple[str, list[bytes]]:
    """A loopback endpoint for webhook deliveries: (its URL, the bodies it received)."""
    received: list[bytes] = []

    async def handle(request: web.Request) -> web.Response:
        received.append(await request.read())
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", handle)
    return f"{await serve(app)}/hook", received
