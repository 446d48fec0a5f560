"""Calendly.with_options: per-call retry opt-in for typed calls, over real loopback HTTP."""

from __future__ import annotations

import gc
import warnings

import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, FakeTime, fixture

from calendly_async import Calendly, Cancellation, RetryPolicy, ServerError


def flaky_cancel_app(hits: list[str]) -> web.Application:
    """POST .../cancellation answers 500 first, then 201 with the seed's Cancellation."""

    async def cancel(request: web.Request) -> web.Response:
        hits.append(request.headers.get("Authorization", ""))
        if len(hits) == 1:
            return web.json_response({"title": "Internal Server Error", "message": "x"}, status=500)
        return web.json_response(fixture("cancel_event"), status=201)

    app = web.Application()
    app.router.add_post("/scheduled_events/{uuid}/cancellation", cancel)
    return app


async def test_typed_post_is_not_retried_after_500_by_default(serve: Serve) -> None:
    hits: list[str] = []
    url = await serve(flaky_cancel_app(hits))
    fake = FakeTime()
    async with Calendly(token=TOKEN, base_url=url, sleep=fake.sleep, clock=fake.clock) as client:
        with pytest.raises(ServerError):
            await client.scheduled_events.cancel("EV1", reason="sorry")
    assert len(hits) == 1


async def test_with_options_opts_one_typed_post_into_retrying(serve: Serve) -> None:
    hits: list[str] = []
    url = await serve(flaky_cancel_app(hits))
    fake = FakeTime()
    async with Calendly(token=TOKEN, base_url=url, sleep=fake.sleep, clock=fake.clock) as client:
        unsafe = client.with_options(retry=RetryPolicy(retry_unsafe=True, max_retries=1))
        cancellation = await unsafe.scheduled_events.cancel("EV1", reason="sorry")
        assert isinstance(cancellation, Cancellation)
        assert client._transport.retry.retry_unsafe is False
        assert unsafe.rate_limit is client.rate_limit
    assert hits == [f"Bearer {TOKEN}", f"Bearer {TOKEN}"]
    assert len(fake.sleeps) == 1


async def test_a_view_shares_the_session_and_needs_no_close(serve: Serve) -> None:
    hits: list[str] = []
    url = await serve(flaky_cancel_app(hits))
    async with Calendly(token=TOKEN, base_url=url) as client:
        view = client.with_options(timeout=5)
        assert view._transport.session is client._transport.session
        with warnings.catch_warnings():
            warnings.simplefilter("error", ResourceWarning)
            del view
            gc.collect()
    assert client._transport.closed
