"""Rate limits that pace instead of stampede (Calendly reference §4).

Over real loopback HTTP against the mock (a fixed 60 s window) and inline apps, plus
pure tests of the gate's rules. The client and the mock share one fake clock whose
sleep moves time forward at once, so ten rate-limit windows pass in a fraction of a
second; nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, FakeTime

from calendly_async import Calendly, InvalidInputError, RateLimit, RateLimitWait, RequestStats
from calendly_async._gate import PROBE_REQUESTS, RateLimitGate, Slot
from calendly_async._ratelimit import MAX_SERVER_WAIT
from calendly_async.mock import MockCalendly

EPOCH = datetime(2030, 1, 1, tzinfo=UTC).timestamp()


class SharedTime:
    """One fake clock for the SDK (monotonic) and the mock (Unix seconds).

    ``sleep(d)`` moves time to ``now + d`` at once, but (``quiet_network``) only
    when no HTTP request is in flight: on a real network a round trip takes
    milliseconds and a window a minute, so time does not jump while a request
    travels. ``quiet_network=False`` lets it jump anyway (minutes of latency).
    """

    def __init__(self, *, quiet_network: bool = True) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []
        self.quiet_network = quiet_network
        self.in_flight = 0
        self.statuses: list[int] = []
        self._idle = asyncio.Event()
        self._idle.set()

    def clock(self) -> float:
        return self.now

    def unix(self) -> float:
        return EPOCH + self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        target = self.now + seconds
        while self.quiet_network and self.in_flight:
            await self._idle.wait()
        self.now = max(self.now, target)
        await asyncio.sleep(0)

    def trace(self) -> aiohttp.TraceConfig:
        """Counts requests in flight and the status of every answer."""
        config = aiohttp.TraceConfig()

        async def started(*_: Any) -> None:
            self.in_flight += 1
            self._idle.clear()

        async def answered(_s: Any, _c: Any, params: aiohttp.TraceRequestEndParams) -> None:
            self.statuses.append(params.response.status)
            self._done()

        async def failed(*_: Any) -> None:
            self._done()

        config.on_request_start.append(started)
        config.on_request_end.append(answered)
        config.on_request_exception.append(failed)
        return config

    def _done(self) -> None:
        self.in_flight -= 1
        if not self.in_flight:
            self._idle.set()


@pytest.fixture(params=[True, False], ids=["quiet-network", "time-jumps-in-flight"])
def shared(request: pytest.FixtureRequest) -> SharedTime:
    return SharedTime(quiet_network=request.param)


@pytest.fixture
async def http(shared: SharedTime) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(trace_configs=[shared.trace()]) as session:
        yield session


def client_for(url: str, fake: FakeTime, **kwargs: Any) -> Calendly:
    return Calendly(token=TOKEN, base_url=url, sleep=fake.sleep, clock=fake.clock, **kwargs)


# -- bullet 1: 500 concurrent requests against a budget of 50 ---------------------------


async def test_500_concurrent_calls_on_a_budget_of_50_all_succeed_without_a_stampede(
    shared: SharedTime, http: aiohttp.ClientSession
) -> None:
    waits: list[RateLimitWait] = []
    async with (
        MockCalendly(seed=3, events=0, rate_limit=50, clock=shared.unix, sleep=shared.sleep)
        as mock,
        Calendly(
            token=mock.token, base_url=mock.url, session=http,
            clock=shared.clock, sleep=shared.sleep, on_rate_limit=waits.append,
        ) as client,
    ):  # fmt: skip
        # Half the calls go through a view: one gate per client, shared by its views.
        view = client.with_options(timeout=20)
        calls = [(client if i % 2 else view).users.me() for i in range(500)]
        results = await asyncio.gather(*calls, return_exceptions=True)
        stats = client.stats
    failures = [r for r in results if isinstance(r, BaseException)]
    assert failures == []
    assert {r.uri for r in results if not isinstance(r, BaseException)} == {mock.owner_uri}
    too_many = shared.statuses.count(429)
    assert too_many <= 10, f"{too_many} answers were 429"
    if shared.quiet_network:  # nothing travels while time jumps: the count is exact
        assert too_many == 0
    assert len(shared.statuses) == 500 + too_many
    # 500 requests at 50 a window need ten windows: nine waits for a reset.
    assert 9 * 60 <= shared.now - 1_000.0 <= 12 * MAX_SERVER_WAIT
    assert stats.requests_sent == 500 + too_many
    assert stats.rate_limited == too_many
    assert stats.retries == too_many
    budget_waits = [w for w in waits if w.reason == "budget_spent"]
    assert len(budget_waits) >= 9
    assert all(1 < w.seconds <= MAX_SERVER_WAIT for w in budget_waits)
    assert stats.rate_limit_wait_seconds >= 9 * 60


async def test_a_request_cancelled_in_flight_does_not_shrink_the_next_window(
    serve: Serve, fake_time: FakeTime
) -> None:
    arrived = asyncio.Event()

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.path == "/spend":
            headers = {"X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "1"}
            return web.json_response({}, headers={**headers, "X-RateLimit-Reset": "30"})
        if request.path == "/hang":
            arrived.set()
            await asyncio.Event().wait()
        return web.json_response({"path": request.path})

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    async with client_for(await serve(app), fake_time) as client:
        await client.request("GET", "/spend")  # one request left in this window
        hanging = asyncio.ensure_future(client.request("GET", "/hang"))
        await asyncio.wait_for(arrived.wait(), timeout=10)
        hanging.cancel()
        with pytest.raises(asyncio.CancelledError):
            await hanging
        # The window is spent; at the reset both calls fit in the new one (Limit 2):
        # the cancelled request left no slot behind.
        results = await asyncio.gather(client.request("GET", "/b"), client.request("GET", "/c"))
    assert results == [{"path": "/b"}, {"path": "/c"}]
    assert fake_time.sleeps == [30.0]


# -- bullet 2: one response cannot disable the client -----------------------------------


def budget_app(first: dict[str, str], status: int = 200) -> web.Application:
    """``/first`` answers ``status`` with ``first``'s headers; every other path 200."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.path == "/first":
            return web.json_response({}, status=status, headers=first)
        return web.json_response({"path": request.path})

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    return app


async def test_a_huge_reset_waits_at_most_the_cap_and_warns_once(
    serve: Serve, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    spent = {"X-RateLimit-Limit": "500", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "86400"}
    url = await serve(budget_app(spent))
    caplog.set_level(logging.WARNING, logger="calendly_async")
    async with client_for(url, fake_time) as client:
        await client.request("GET", "/first")
        assert await client.request("GET", "/next") == {"path": "/next"}
        await client.request("GET", "/first")
        assert await client.request("GET", "/again") == {"path": "/again"}
    assert fake_time.sleeps == [MAX_SERVER_WAIT, MAX_SERVER_WAIT]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "86400" in warnings[0].getMessage()


async def test_a_long_retry_after_is_waited_at_most_the_cap(
    serve: Serve, fake_time: FakeTime
) -> None:
    url = await serve(budget_app({"Retry-After": "100"}, status=429))
    async with client_for(url, fake_time) as client:
        first = client.request("GET", "/first")
        with pytest.raises(Exception, match="429"):
            await first
        assert await client.request("GET", "/next") == {"path": "/next"}
    # Four attempts of /first, each retry after at most the cap; /next waits the
    # rest of the hold of the last 429.
    assert fake_time.sleeps[:3] == [MAX_SERVER_WAIT] * 3
    assert sum(fake_time.sleeps) == pytest.approx(4 * MAX_SERVER_WAIT)


async def test_a_long_retry_after_past_max_rate_limit_wait_still_raises_at_once(
    serve: Serve, fake_time: FakeTime
) -> None:
    url = await serve(budget_app({"Retry-After": "3600"}, status=429))
    async with client_for(url, fake_time) as client:
        with pytest.raises(Exception, match="429") as error:
            await client.request("GET", "/first")
        assert getattr(error.value, "retry_after", None) == 3600.0  # the server's word
        # ... but the rest of the client only waits the cap, not an hour.
        assert await client.request("GET", "/next") == {"path": "/next"}
    assert fake_time.sleeps == [MAX_SERVER_WAIT]


async def test_another_host_neither_waits_on_nor_feeds_the_gate(
    serve: Serve, fake_time: FakeTime
) -> None:
    spent = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"}
    api = await serve(budget_app(spent))
    other = await serve(budget_app(spent))
    async with client_for(api, fake_time) as client:
        # Another host's spent budget does not hold the API...
        await client.request("GET", f"{other}/first")
        assert client.rate_limit is None
        assert await client.request("GET", "/n") == {"path": "/n"}
        assert fake_time.sleeps == []
        # ... and the API's spent budget does not hold another host.
        await client.request("GET", "/first")
        assert await client.request("GET", f"{other}/x") == {"path": "/x"}
        assert fake_time.sleeps == []
        assert await client.request("GET", "/m") == {"path": "/m"}
    assert fake_time.sleeps == [30.0]


# -- bullet 3: long waits are logged and reported; counters -----------------------------


async def test_long_waits_are_logged_at_info_and_reported_to_the_callback(
    serve: Serve, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    calls = {"n": 0}

    async def handle(request: web.Request) -> web.StreamResponse:
        calls["n"] += 1
        if request.path == "/spend":
            headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"}
            return web.json_response({}, headers=headers)
        if request.path == "/limited" and calls["n"] == 3:
            return web.json_response({}, status=429, headers={"Retry-After": "7"})
        if request.path == "/brief" and calls["n"] == 5:
            return web.json_response({}, status=429, headers={"Retry-After": "0.5"})
        return web.json_response({})

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    url = await serve(app)
    waits: list[RateLimitWait] = []
    caplog.set_level(logging.INFO, logger="calendly_async")
    async with client_for(url, fake_time, on_rate_limit=waits.append) as client:
        await client.request("GET", "/spend")
        await client.request("GET", "/after-reset")
        await client.request("GET", "/limited")
        await client.request("GET", "/brief")
        stats = client.stats
    limited = f"{url}/limited"
    assert waits == [
        RateLimitWait(30.0, "budget_spent", "X-RateLimit-Reset=30", queued=1),
        RateLimitWait(7.0, "too_many_requests", "Retry-After=7", method="GET", url=limited),
    ]
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("rate limit")]
    assert lines == [
        "rate limit: waiting 30.0s with 1 request(s) queued (budget spent, X-RateLimit-Reset=30)",
        f"rate limit: waiting 7.0s before retrying GET {limited} (429, Retry-After=7)",
    ]
    assert all(r.levelno == logging.INFO for r in caplog.records)
    # The half-second wait is not worth a line, but it is counted.
    assert stats == RequestStats(
        requests_sent=6, retries=2, rate_limited=2, rate_limit_waits=3,
        rate_limit_wait_seconds=pytest.approx(30 + 7 + 0.5),
    )  # fmt: skip


async def test_a_failing_callback_is_logged_and_does_not_stall_requests(
    serve: Serve, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(wait: RateLimitWait) -> None:
        raise RuntimeError("display crashed")

    spent = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"}
    url = await serve(budget_app(spent))
    async with client_for(url, fake_time, on_rate_limit=broken) as client:
        await client.request("GET", "/first")
        results = await asyncio.gather(*(client.request("GET", f"/{i}") for i in range(3)))
    assert results == [{"path": f"/{i}"} for i in range(3)]
    assert any("on_rate_limit callback failed" in r.getMessage() for r in caplog.records)


async def test_stats_are_shared_by_views_and_count_every_attempt(
    serve: Serve, fake_time: FakeTime
) -> None:
    answers = iter([503, 200, 200])

    async def handle(request: web.Request) -> web.StreamResponse:
        return web.json_response({}, status=next(answers))

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    async with client_for(await serve(app), fake_time) as client:
        assert client.stats == RequestStats()
        await client.with_options(timeout=5).request("GET", "/a")
        await client.request("GET", "/b")
        assert client.stats == client.with_options(timeout=9).stats
        assert client.stats == RequestStats(requests_sent=3, retries=1)


# -- the gate's rules, without HTTP ------------------------------------------------------


def budget(limit: int, remaining: int, reset: float) -> RateLimit:
    return RateLimit(limit=limit, remaining=remaining, reset=reset)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


class Stalled:
    """A sleep that never ends (only cancellation does): time stands still."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.Event().wait()


async def test_requests_in_flight_count_against_the_remaining_budget() -> None:
    timer = FakeTime()
    stalled = Stalled()
    gate = RateLimitGate(clock=timer.clock, sleep=stalled)
    probes = [await gate.acquire() for _ in range(PROBE_REQUESTS)]
    queued = [asyncio.ensure_future(gate.acquire()) for _ in range(10)]
    # The first answer says 12 left, but the 9 other probes may not be counted yet.
    gate.release(probes[0], budget(50, 12, 60), status=200)
    await settle()
    assert [waiter.done() for waiter in queued] == [True] * 3 + [False] * 7
    # A later answer can only lower the count (answers may come out of order).
    gate.release(probes[1], budget(50, 40, 60), status=200)
    await settle()
    assert sum(waiter.done() for waiter in queued) == 3
    for waiter in queued:
        waiter.cancel()
    await settle()
    assert stalled.sleeps == [60.0]  # one timer for the queue, cancelled with it
    assert gate._timer is None


async def test_at_the_reset_the_queue_leaves_limit_at_a_time_with_one_timer() -> None:
    timer = FakeTime()
    gate = RateLimitGate(clock=timer.clock, sleep=timer.sleep)
    gate.observe(budget(50, 0, 60))
    granted: list[float] = []

    async def call() -> None:
        slot = await gate.acquire()
        granted.append(timer.now)
        gate.release(slot, budget(50, 49, 60), status=200)

    # 2,000 waiters, 50 per window: 40 windows, one sleep per window, no polling.
    await asyncio.gather(*(call() for _ in range(2_000)))
    assert len(timer.sleeps) == 40
    assert all(sleep == 60.0 for sleep in timer.sleeps)
    per_window = [granted.count(1_000.0 + 60 * n) for n in range(1, 41)]
    assert per_window == [50] * 40


async def test_a_waiter_cancelled_after_its_grant_gives_the_token_back() -> None:
    timer = FakeTime()
    gate = RateLimitGate(clock=timer.clock, sleep=timer.sleep)
    gate.observe(budget(2, 0, 30))
    first = asyncio.ensure_future(gate.acquire())
    second = asyncio.ensure_future(gate.acquire())
    third = asyncio.ensure_future(gate.acquire())
    await asyncio.sleep(0)
    timer.now += 30
    gate.observe(None)  # any event after the reset hands out the new window's 2 tokens
    first.cancel()  # granted a token, but cancelled before it ran
    await settle()
    assert first.cancelled()
    assert second.done()
    assert third.done(), "the cancelled waiter's token went to the next in line"
    gate.release(second.result(), sent=False)
    gate.release(third.result(), sent=False)
    # Both unused: the window still has its 2 tokens.
    assert [await gate.acquire(), await gate.acquire()] == [Slot(1), Slot(1)]
    extra = asyncio.ensure_future(gate.acquire())
    await settle()
    assert not extra.done(), "and no more"
    extra.cancel()


async def test_cancelled_waiters_leave_no_timer_behind() -> None:
    timer = FakeTime()
    stalled = Stalled()
    gate = RateLimitGate(clock=timer.clock, sleep=stalled)
    gate.observe(budget(5, 0, 40))
    waiters = [asyncio.ensure_future(gate.acquire()) for _ in range(100)]
    await asyncio.sleep(0)
    for waiter in waiters:
        waiter.cancel()
    await settle()
    assert stalled.sleeps == [40.0], "one timer for the whole queue"
    assert gate._timer is None
    assert gate.stats().rate_limit_wait_seconds == 0.0  # the wait never happened
    assert gate.delay() == 40.0


async def test_answers_to_an_older_window_do_not_refill_the_new_one() -> None:
    timer = FakeTime()
    gate = RateLimitGate(clock=timer.clock, sleep=timer.sleep)
    gate.observe(budget(3, 2, 10))
    early = [await gate.acquire(), await gate.acquire()]
    timer.now += 10  # the window resets while both are in flight
    # The new window starts with Limit minus the 2 still in flight.
    assert gate.delay() == 0.0
    late = await gate.acquire()
    waiter = asyncio.ensure_future(gate.acquire())
    gate.release(early[0], budget(3, 2, 50), status=200)  # old window: ignored
    await asyncio.sleep(0)
    assert not waiter.done()
    # The new window's reset is not known yet: the gate waits for ``late``'s answer.
    assert timer.sleeps == []
    gate.release(late, budget(3, 1, 50), status=200)
    assert gate.delay() == 50.0
    gate.release(early[1])
    waiter.cancel()


def test_a_clock_jumping_back_cannot_stretch_a_wait_past_the_cap() -> None:
    timer = FakeTime()
    gate = RateLimitGate(clock=timer.clock)
    gate.observe(budget(50, 0, 60))
    assert gate.delay() == 60.0
    timer.now -= 3_600
    assert gate.delay() == MAX_SERVER_WAIT
    timer.now += 7_200  # and forwards: the window is over
    assert gate.delay() == 0.0


def test_a_429_holds_the_gate_for_its_retry_after_capped() -> None:
    timer = FakeTime()
    gate = RateLimitGate(clock=timer.clock)
    gate.observe(budget(50, 10, 60), retry_after=5.0)
    assert gate.delay() == 5.0
    gate.observe(None, retry_after=1e9)
    assert gate.delay() == MAX_SERVER_WAIT


async def test_until_the_budget_is_known_only_a_few_requests_go_out() -> None:
    gate = RateLimitGate()
    slots = [await gate.acquire() for _ in range(PROBE_REQUESTS)]
    extra = asyncio.ensure_future(gate.acquire())
    await asyncio.sleep(0)
    assert not extra.done()
    gate.release(slots[0], budget(50, 49, 60), status=200)
    await asyncio.sleep(0)
    assert extra.done()
    for slot in [*slots[1:], extra.result()]:
        gate.release(slot, budget(50, 40, 60), status=200)


async def test_a_server_without_rate_limit_headers_is_not_gated() -> None:
    gate = RateLimitGate()
    first = await gate.acquire()
    gate.release(first, None, status=200)
    slots = [await gate.acquire() for _ in range(100)]
    assert len(slots) == 100


async def test_an_async_or_non_callable_on_rate_limit_is_refused_up_front() -> None:
    async def coroutine(wait: RateLimitWait) -> None:
        pass

    for bad in (coroutine, "print"):
        with pytest.raises(InvalidInputError, match="on_rate_limit"):
            Calendly(token=TOKEN, on_rate_limit=bad)  # type: ignore[arg-type]
