"""Transport.request drives tenacity only after a first attempt failed (benchmarks row 3).

Over real HTTP on 127.0.0.1. The success path must never build an ``AsyncRetrying``
(that construction was about half of the SDK's per-request CPU cost); a request that
fails still gets tenacity's attempt numbers, waits, stop rule and retry hook.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, FakeTime

from calendly_async import Calendly, RetryPolicy, ServerError, _transport
from calendly_async._urls import same_origin


class CountingRetrying(_transport.AsyncRetrying):
    """``AsyncRetrying`` counting its constructions."""

    built = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).built += 1
        super().__init__(*args, **kwargs)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> type[CountingRetrying]:
    CountingRetrying.built = 0
    monkeypatch.setattr(_transport, "AsyncRetrying", CountingRetrying)
    return CountingRetrying


async def scripted(serve: Serve, statuses: list[int]) -> tuple[str, list[str]]:
    """A server answering the n-th request with ``statuses[n]`` (the last repeats)."""
    seen: list[str] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        seen.append(request.method)
        status = statuses[min(len(seen), len(statuses)) - 1]
        return web.json_response({"n": len(seen)}, status=status)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return await serve(app), seen


def client(url: str, fake: FakeTime, **kwargs: Any) -> Calendly:
    return Calendly(token=TOKEN, base_url=url, sleep=fake.sleep, clock=fake.clock, **kwargs)


async def test_successful_requests_never_build_a_retrying(
    serve: Serve, fake_time: FakeTime, counting: type[CountingRetrying]
) -> None:
    url, seen = await scripted(serve, [200])
    async with client(url, fake_time) as sdk:
        answers = [await sdk.request("GET", "/users/me") for _ in range(5)]
    assert [answer["n"] for answer in answers] == [1, 2, 3, 4, 5]
    assert len(seen) == 5
    assert counting.built == 0
    assert fake_time.sleeps == []


async def test_a_failed_first_attempt_hands_over_to_tenacity_with_its_attempt_numbers(
    serve: Serve, fake_time: FakeTime, counting: type[CountingRetrying]
) -> None:
    url, seen = await scripted(serve, [503, 503, 200])
    policy = RetryPolicy(max_retries=3, exponential=False, fixed_delay=0.5)
    async with client(url, fake_time, retry=policy) as sdk:
        assert await sdk.request("GET", "/users/me") == {"n": 3}
        assert sdk.stats.retries == 2
    assert len(seen) == 3
    assert counting.built == 1
    assert fake_time.sleeps == [0.5, 0.5]


async def test_retries_stop_after_max_retries_plus_the_first_attempt(
    serve: Serve, fake_time: FakeTime
) -> None:
    url, seen = await scripted(serve, [503])
    policy = RetryPolicy(max_retries=2, exponential=False, fixed_delay=0.0)
    async with client(url, fake_time, retry=policy) as sdk:
        with pytest.raises(ServerError):
            await sdk.request("GET", "/users/me")
    assert len(seen) == 3


@pytest.mark.parametrize(("method", "policy"), [
    ("POST", RetryPolicy(max_retries=3)),  # a 5xx after a POST may have booked
    ("GET", RetryPolicy(max_retries=0)),
])  # fmt: skip
async def test_no_retry_means_one_attempt_and_no_retrying(
    serve: Serve,
    fake_time: FakeTime,
    counting: type[CountingRetrying],
    method: str,
    policy: RetryPolicy,
) -> None:
    url, seen = await scripted(serve, [503, 200])
    async with client(url, fake_time, retry=policy) as sdk:
        with pytest.raises(ServerError):
            await sdk.request(method, "/invitees", json={} if method == "POST" else None)
    assert seen == [method]
    assert counting.built == 0


@pytest.mark.parametrize(("url", "expected"), [
    ("https://api.calendly.com", True),
    ("https://api.calendly.com/users/me", True),
    ("https://API.calendly.com:443/users/me", True),  # slow path, same origin
    ("https://api.calendly.com.evil.com/users/me", False),
    ("https://api.calendly.com@evil.com/users/me", False),
    ("https://api.calendly.com:8443/users/me", False),
    ("http://api.calendly.com/users/me", False),
])  # fmt: skip
def test_same_origin_prefix_fast_path_agrees_with_the_parsed_origin(
    url: str, expected: bool
) -> None:
    assert same_origin(url, "https://api.calendly.com") is expected
