"""The transport over real HTTP on 127.0.0.1: retries, rate-limit waits, dropped
connections, refused connections, timeouts, task-local last_response.

Each test scripts the server's answers in order; ``FakeTime`` records every wait so
nothing really sleeps (only the read-timeout test waits a fraction of a second).
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, FakeTime

from calendly_async import (
    Calendly,
    ConnectError,
    NetworkError,
    RateLimitError,
    ReadTimeout,
    RetryPolicy,
    ServerError,
    TransportError,
)

Action = Callable[[web.Request], Awaitable[web.StreamResponse]]


def reply(status: int = 200, body: Any = None, **headers: str) -> Action:
    """An action answering ``status`` with a JSON body (``{}`` by default)."""

    async def action(request: web.Request) -> web.StreamResponse:
        if status == 204:
            return web.Response(status=204, headers=headers)
        return web.json_response({} if body is None else body, status=status, headers=headers)

    return action


async def drop(request: web.Request) -> web.StreamResponse:
    """Kill the connection after reading the request, before any response byte."""
    assert request.transport is not None
    request.transport.close()
    return web.Response()


@dataclass
class Script:
    """Answers the n-th request with the n-th action (the last one repeats)."""

    actions: list[Action]
    fake: FakeTime | None = None
    seen: list[tuple[str, str]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((request.method, request.path_qs))
        if self.fake is not None:
            self.times.append(self.fake.now)
        action = self.actions[min(len(self.seen), len(self.actions)) - 1]
        return await action(request)


async def start(serve: Serve, script: Script) -> str:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", script.handle)
    return await serve(app)


def client_for(url: str, fake: FakeTime, **kwargs: Any) -> Calendly:
    return Calendly(token=TOKEN, base_url=url, sleep=fake.sleep, clock=fake.clock, **kwargs)


# -- 429 and the shared rate-limit state (Calendly §4) ----------------------------------


async def test_429_waits_reset_seconds_then_succeeds(serve: Serve, fake_time: FakeTime) -> None:
    limited = {"X-RateLimit-Limit": "500", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "7"}
    script = Script([reply(429, {"title": "Too Many Requests"}, **limited), reply(200, {"ok": 1})])
    script.fake = fake_time
    async with client_for(await start(serve, script), fake_time) as client:
        assert await client.request("GET", "/users/me") == {"ok": 1}
    assert fake_time.sleeps == [7.0]
    assert len(script.seen) == 2
    assert script.times == [1000.0, 1007.0]


async def test_retry_after_wins_over_reset(serve: Serve, fake_time: FakeTime) -> None:
    limited = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "7", "Retry-After": "3"}
    script = Script([reply(429, **limited), reply(200, {"ok": 2})])
    async with client_for(await start(serve, script), fake_time) as client:
        assert await client.request("GET", "/users/me") == {"ok": 2}
    assert fake_time.sleeps == [3.0]
    assert len(script.seen) == 2


async def test_spent_budget_makes_concurrent_requests_wait_instead_of_429(
    serve: Serve, fake_time: FakeTime
) -> None:
    reset_at = fake_time.now + 30
    served: list[int] = []

    async def budget(request: web.Request) -> web.StreamResponse:
        # The server's own window: anything before reset_at would be a 429.
        if request.path == "/first":
            served.append(200)
            return web.json_response(
                {}, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"}
            )
        status = 429 if fake_time.now < reset_at else 200
        served.append(status)
        return web.json_response({"at": fake_time.now}, status=status)

    app = web.Application()
    app.router.add_get("/{tail:.*}", budget)
    async with client_for(await serve(app), fake_time) as client:
        await client.request("GET", "/first")
        assert client.rate_limit is not None
        assert client.rate_limit.remaining == 0
        results = await asyncio.gather(*(client.request("GET", f"/n{i}") for i in range(5)))
    assert served == [200] * 6, "no request may collect a 429"
    assert all(result["at"] >= reset_at for result in results)
    assert sum(fake_time.sleeps) == pytest.approx(30.0)


async def test_429_longer_than_max_wait_raises_at_once_and_holds_later_requests(
    serve: Serve, fake_time: FakeTime
) -> None:
    script = Script([reply(429, {"title": "Too Many Requests"}, **{"Retry-After": "60"})])
    patient = RetryPolicy(max_rate_limit_wait=30)
    async with client_for(await start(serve, script), fake_time, retry=patient) as client:
        with pytest.raises(RateLimitError) as first:
            await client.request("GET", "/a")
        assert first.value.retry_after == 60.0
        # The next call is refused locally rather than sleeping a minute or hitting
        # the server again.
        with pytest.raises(RateLimitError, match="not sent") as second:
            await client.request("GET", "/b")
        assert second.value.retry_after == pytest.approx(60.0)
    assert len(script.seen) == 1
    assert fake_time.sleeps == []


# -- status retries --------------------------------------------------------------------


async def test_get_retries_502_then_503_then_succeeds(serve: Serve, fake_time: FakeTime) -> None:
    script = Script([reply(502), reply(503), reply(200, {"done": True})])
    async with client_for(await start(serve, script), fake_time) as client:
        assert await client.request("GET", "/scheduled_events") == {"done": True}
    assert len(script.seen) == 3
    assert len(fake_time.sleeps) == 2
    assert 0.25 <= fake_time.sleeps[0] <= 0.5
    assert 0.5 <= fake_time.sleeps[1] <= 1.0


async def test_get_gives_up_after_max_retries(serve: Serve, fake_time: FakeTime) -> None:
    script = Script([reply(500, {"title": "Internal Server Error", "message": "boom"})])
    url = await start(serve, script)
    async with client_for(url, fake_time, retry=RetryPolicy(max_retries=2)) as client:
        with pytest.raises(ServerError, match="boom"):
            await client.request("GET", "/x")
    assert len(script.seen) == 3


async def test_post_500_is_not_retried(serve: Serve, fake_time: FakeTime) -> None:
    script = Script([reply(500), reply(201, {"created": True})])
    async with client_for(await start(serve, script), fake_time) as client:
        with pytest.raises(ServerError):
            await client.request("POST", "/invitees", json={"a": 1})
    assert script.seen == [("POST", "/invitees")]
    assert fake_time.sleeps == []


async def test_post_429_is_retried(serve: Serve, fake_time: FakeTime) -> None:
    script = Script([reply(429, **{"X-RateLimit-Reset": "2"}), reply(201, {"created": True})])
    async with client_for(await start(serve, script), fake_time) as client:
        assert await client.request("POST", "/invitees", json={"a": 1}) == {"created": True}
    assert len(script.seen) == 2
    assert fake_time.sleeps == [2.0]


async def test_post_500_retried_when_caller_opts_in(serve: Serve, fake_time: FakeTime) -> None:
    script = Script([reply(500), reply(201, {"created": True})])
    async with client_for(await start(serve, script), fake_time) as client:
        result = await client.request(
            "POST", "/shares", json={"a": 1}, retry=RetryPolicy(retry_unsafe=True)
        )
    assert result == {"created": True}
    assert len(script.seen) == 2


async def test_retries_are_logged(
    serve: Serve, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    script = Script([reply(503), reply(200)])
    caplog.set_level(logging.INFO, logger="calendly_async")
    async with client_for(await start(serve, script), fake_time) as client:
        await client.request("GET", "/x")
    assert any("retrying GET" in r.getMessage() and "503" in r.getMessage() for r in caplog.records)


# -- no response at all ------------------------------------------------------------------


async def test_dropped_get_is_retried_and_succeeds(serve: Serve, fake_time: FakeTime) -> None:
    script = Script([drop, drop, reply(200, {"finally": True})])
    async with client_for(await start(serve, script), fake_time) as client:
        assert await client.request("GET", "/x") == {"finally": True}
    assert len(script.seen) == 3
    assert len(fake_time.sleeps) == 2


async def test_always_dropped_get_raises_network_error_after_all_attempts(
    serve: Serve, fake_time: FakeTime
) -> None:
    script = Script([drop])
    url = await start(serve, script)
    async with client_for(url, fake_time, retry=RetryPolicy(max_retries=2)) as client:
        with pytest.raises(NetworkError) as caught:
            await client.request("GET", "/x")
    # Exactly max_retries + 1: aiohttp's own hidden resend is switched off.
    assert len(script.seen) == 3
    assert isinstance(caught.value, TransportError)
    assert isinstance(caught.value, OSError)
    assert caught.value.method == "GET"


async def test_no_retry_policy_means_exactly_one_attempt(serve: Serve, fake_time: FakeTime) -> None:
    script = Script([drop, reply(200)])
    url = await start(serve, script)
    async with client_for(url, fake_time, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(NetworkError):
            await client.request("GET", "/x")
    assert len(script.seen) == 1


async def test_dropped_post_is_not_retried(serve: Serve, fake_time: FakeTime) -> None:
    script = Script([drop, reply(201)])
    async with client_for(await start(serve, script), fake_time) as client:
        with pytest.raises(NetworkError):
            await client.request("POST", "/invitees", json={"a": 1})
    assert len(script.seen) == 1
    assert fake_time.sleeps == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_refused_connection_is_connect_error_and_retried(
    fake_time: FakeTime, method: str
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async with client_for(url, fake_time, retry=RetryPolicy(max_retries=2)) as client:
        with pytest.raises(ConnectError) as caught:
            await client.request(method, "/invitees", json={"a": 1})
    # Never reached the server, so even a POST is retried: 2 waits, 3 attempts.
    assert len(fake_time.sleeps) == 2
    assert isinstance(caught.value, OSError)
    assert TOKEN not in str(caught.value)


async def test_read_timeout(serve: Serve, fake_time: FakeTime) -> None:
    release = asyncio.Event()
    count = 0

    async def slow(request: web.Request) -> web.StreamResponse:
        nonlocal count
        count += 1
        await asyncio.wait_for(release.wait(), 5)
        return web.json_response({})

    app = web.Application()
    app.router.add_route("*", "/slow", slow)
    url = await serve(app)
    try:
        async with client_for(url, fake_time, timeout=0.2) as client:
            with pytest.raises(ReadTimeout) as caught:
                await client.request("GET", "/slow", retry=RetryPolicy(max_retries=1))
            assert count == 2  # a GET is retried after a timeout
            assert isinstance(caught.value, TimeoutError)
            with pytest.raises(ReadTimeout):
                await client.request("POST", "/slow", json={})
            assert count == 3  # a POST is not: it may have been processed
    finally:
        release.set()


# -- what the caller sees afterwards -----------------------------------------------------


async def test_last_response_is_task_local(serve: Serve) -> None:
    b_answered = asyncio.Event()
    a_done = asyncio.Event()

    async def a(request: web.Request) -> web.StreamResponse:
        await b_answered.wait()  # A's answer comes after B's
        return web.json_response({}, status=201, headers={"X-Request-Id": "req-A"})

    async def b(request: web.Request) -> web.StreamResponse:
        return web.json_response({}, status=200, headers={"X-Request-Id": "req-B"})

    app = web.Application()
    app.router.add_post("/a", a)
    app.router.add_get("/b", b)
    async with Calendly(token=TOKEN, base_url=await serve(app)) as client:

        async def task_a() -> tuple[int, str | None]:
            await client.request("POST", "/a", json={})
            a_done.set()
            response = client.last_response
            assert response is not None
            return response.status, response.request_id

        async def task_b() -> tuple[int, str | None]:
            await client.request("GET", "/b")
            b_answered.set()
            await a_done.wait()  # read after A's response arrived
            response = client.last_response
            assert response is not None
            return response.status, response.request_id

        results = await asyncio.gather(task_a(), task_b())
        assert client.last_response is None  # the test task itself sent nothing
    assert results == [(201, "req-A"), (200, "req-B")]


async def test_errors_from_real_responses_pickle(serve: Serve, fake_time: FakeTime) -> None:
    body = {"title": "Resource Not Found", "message": "gone"}
    script = Script([reply(404, body, **{"X-Request-Id": "r-404"})])
    async with client_for(await start(serve, script), fake_time) as client:
        with pytest.raises(Exception) as caught:  # noqa: PT011 - checked below
            await client.request("GET", "/users/X")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is type(caught.value)
    assert copy.request_id == "r-404"
    assert copy.headers["x-request-id"] == "r-404"
    assert str(copy) == str(caught.value)


async def test_rate_limit_headers_visible_after_typed_call(
    serve: Serve, fake_time: FakeTime
) -> None:
    headers = {
        "X-RateLimit-Limit": "500",
        "X-RateLimit-Remaining": "499",
        "X-RateLimit-Reset": "60",
    }
    script = Script([reply(200, {}, **headers)])
    async with client_for(await start(serve, script), fake_time) as client:
        await client.request("GET", "/x")
        assert client.last_response is not None
        limit = client.last_response.rate_limit
        assert limit is not None
        assert (limit.limit, limit.remaining, limit.reset) == (500, 499, 60)
        assert client.rate_limit == limit
    assert fake_time.sleeps == []
