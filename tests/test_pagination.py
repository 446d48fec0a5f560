"""Paginator over real loopback HTTP (and a scripted fetch for the cancellation cases).

Calendly rule (reference §2): keyset pagination, re-issue the request with
``page_token=<pagination.next_page_token>`` until it is null; older responses only
carry the ``next_page`` URL.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, FakeTime

from calendly_async import (
    Calendly,
    DecodeError,
    InvalidInputError,
    Page,
    Paginator,
    ServerError,
)
from calendly_async._decoding import Pagination, decode_page_body
from calendly_async._transport import Response
from calendly_async.resources._base import Resource

PAGE_SIZE = 100


class Thing(msgspec.Struct, kw_only=True):
    """A tiny list item: its position in the whole list."""

    n: int
    label: str | None = None


class Things(Resource):
    """A test-local endpoint namespace built on Resource._list, like the real ones."""

    def list(self, *, count: int = PAGE_SIZE, page_token: str | None = None) -> Paginator[Thing]:
        return self._list("/things", Thing, {"kind": "all"}, count=count, page_token=page_token)


@dataclass
class NumberedList:
    """Serves ``pages`` pages of ``count`` items; page k's token is ``str(k)``."""

    pages: int
    in_hand: int | None = None
    """The page the consumer is working through right now (``None`` between pages)."""
    max_ahead: int = 0
    requests: list[dict[str, str]] = field(default_factory=list)
    requested: asyncio.Event = field(default_factory=asyncio.Event)

    def body(self, page: int, count: int) -> dict[str, Any]:
        items = [{"n": page * count + i, "label": f"item {page * count + i}"} for i in range(count)]
        following = str(page + 1) if page + 1 < self.pages else None
        return {
            "collection": items,
            "pagination": {
                "count": count,
                "next_page": None,
                "previous_page": None,
                "next_page_token": following,
                "previous_page_token": str(page - 1) if page else None,
            },
        }

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(dict(request.query))
        page = int(request.query.get("page_token", "0"))
        if self.in_hand is not None:
            self.max_ahead = max(self.max_ahead, page - self.in_hand)
        self.requested.set()
        return web.json_response(self.body(page, int(request.query["count"])))


async def drain(
    paginator: Paginator[Any], into: list[Any], key: Callable[[Any], Any] = lambda item: item
) -> None:
    """Append every item to ``into`` as it arrives (so a test sees what came before a failure)."""
    async for item in paginator:
        into.append(key(item))


async def things_client(serve: Serve, server: NumberedList) -> tuple[Calendly, Things]:
    app = web.Application()
    app.router.add_get("/things", server.handle)
    client = Calendly(token=TOKEN, base_url=await serve(app))
    return client, Things(client._transport)


async def test_20000_items_over_200_pages_in_order(serve: Serve) -> None:
    server = NumberedList(pages=200)
    client, things = await things_client(serve, server)
    async with client:
        numbers = [thing.n async for thing in things.list()]
    assert len(numbers) == 20_000
    assert numbers == list(range(20_000)), "items lost, repeated or out of order"
    assert len(server.requests) == 200
    assert server.requests[0] == {"kind": "all", "count": "100"}
    assert server.requests[1] == {"kind": "all", "count": "100", "page_token": "1"}
    assert all(r["kind"] == "all" and r["count"] == "100" for r in server.requests)


async def test_read_ahead_fetches_exactly_one_page_ahead(serve: Serve) -> None:
    server = NumberedList(pages=8)
    client, things = await things_client(serve, server)
    seen: list[int] = []
    async with client:
        async for page in things.list(count=5).pages():
            server.in_hand = page.items[0].n // 5
            seen.append(server.in_hand)
            if page.next_page_token is not None:
                # The next page is requested while this one is still being consumed...
                server.requested.clear()
                await asyncio.wait_for(server.requested.wait(), 5)
            # ...and nothing further, however long the consumer takes.
            for _ in range(20):
                await asyncio.sleep(0)
            server.in_hand = None
    assert seen == list(range(8))
    assert server.max_ahead == 1


async def test_no_read_ahead_when_disabled(serve: Serve) -> None:
    server = NumberedList(pages=4)
    client, things = await things_client(serve, server)
    async with client:
        paginator = Paginator(things.list(count=5)._fetch, read_ahead=False)
        async for page in paginator.pages():
            server.in_hand = page.items[0].n // 5
            for _ in range(20):
                await asyncio.sleep(0)
            server.in_hand = None
    assert server.max_ahead == 0
    assert len(server.requests) == 4


async def test_pages_yield_page_objects_with_tokens(serve: Serve) -> None:
    server = NumberedList(pages=3)
    client, things = await things_client(serve, server)
    async with client:
        pages = [page async for page in things.list(count=2).pages()]
    assert [type(p) for p in pages] == [Page, Page, Page]
    assert [p.next_page_token for p in pages] == ["1", "2", None]
    assert [[t.n for t in p] for p in pages] == [[0, 1], [2, 3], [4, 5]]
    assert [len(p) for p in pages] == [2, 2, 2]
    assert pages[1].pagination.previous_page_token == "0"
    assert pages[0].response is not None
    assert pages[0].response.status == 200


async def test_resume_starts_at_the_given_page(serve: Serve) -> None:
    server = NumberedList(pages=10)
    client, things = await things_client(serve, server)
    async with client:
        resumed = await things.list(count=10).resume("7").collect()
        again = await things.list(count=10, page_token="8").collect()
    assert [t.n for t in resumed] == list(range(70, 100))
    assert [t.n for t in again] == list(range(80, 100))
    assert server.requests[0]["page_token"] == "7"


async def test_collect_with_limit_stops_early(serve: Serve) -> None:
    server = NumberedList(pages=50)
    client, things = await things_client(serve, server)
    async with client:
        first = await things.list(count=100).collect(limit=250)
        assert [t.n for t in first] == list(range(250))
        # 3 pages needed; at most the one read-ahead beyond them was started.
        assert 3 <= len(server.requests) <= 4
        assert await things.list().collect(limit=0) == []
        assert len(server.requests) <= 4
        with pytest.raises(InvalidInputError):
            await things.list().collect(limit=-1)


async def test_count_is_validated_before_sending(serve: Serve) -> None:
    server = NumberedList(pages=1)
    client, things = await things_client(serve, server)
    async with client:
        for bad in (0, 101, True):
            with pytest.raises(InvalidInputError):
                things.list(count=bad)
    assert server.requests == []


# -- older responses: only the next_page URL ----------------------------------------------


async def test_next_page_url_token_is_sent_to_own_base_url(serve: Serve) -> None:
    elsewhere_hits: list[str] = []

    async def elsewhere(request: web.Request) -> web.StreamResponse:
        elsewhere_hits.append(request.path_qs)
        return web.json_response({"collection": [{"n": -1}], "pagination": {}})

    other = web.Application()
    other.router.add_get("/{tail:.*}", elsewhere)
    other_url = await serve(other)

    api_hits: list[dict[str, str]] = []

    async def api(request: web.Request) -> web.StreamResponse:
        api_hits.append(dict(request.query))
        if "page_token" not in request.query:
            # No next_page_token key at all: the token lives in the next_page URL,
            # which points at another host.
            pagination = {"count": 1, "next_page": f"{other_url}/things?count=1&page_token=P2"}
            return web.json_response({"collection": [{"n": 0}], "pagination": pagination})
        return web.json_response({"collection": [{"n": 1}], "pagination": {"next_page": None}})

    app = web.Application()
    app.router.add_get("/things", api)
    async with Calendly(token=TOKEN, base_url=await serve(app)) as client:
        items = await Things(client._transport).list(count=1).collect()
    assert [t.n for t in items] == [0, 1]
    assert api_hits[1]["page_token"] == "P2"
    assert elsewhere_hits == []


# -- broken pagination is an error, never a loop or a crash ------------------------------


async def test_repeated_token_raises_instead_of_looping(serve: Serve) -> None:
    hits = 0

    async def stuck(request: web.Request) -> web.StreamResponse:
        nonlocal hits
        hits += 1
        page = {"collection": [{"n": hits}], "pagination": {"next_page_token": "SAME"}}
        return web.json_response(page)

    app = web.Application()
    app.router.add_get("/things", stuck)
    got: list[int] = []
    async with Calendly(token=TOKEN, base_url=await serve(app)) as client:
        with pytest.raises(DecodeError, match="repeated page token 'SAME'"):
            await drain(Things(client._transport).list(), got, key=lambda thing: thing.n)
    assert got == [1]
    assert hits == 2


@pytest.mark.parametrize(
    "body",
    [
        b"<html>oops</html>",
        b'{"collection": "nope"}',
        b'{"collection": [{"n": "not a number"}]}',
        b'{"collection": [], "pagination": {"next_page_token": 5}}',
        b'{"pagination": {}}',
    ],
)
async def test_malformed_page_is_a_decode_error(serve: Serve, body: bytes) -> None:
    async def bad(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/things", bad)
    async with Calendly(token=TOKEN, base_url=await serve(app)) as client:
        with pytest.raises(DecodeError) as caught:
            await Things(client._transport).list().collect()
    assert caught.value.url is not None
    assert caught.value.url.endswith("/things")


def test_decode_error_names_the_bad_field() -> None:
    response = Response("GET", "https://x/things", 200, {}, b'{"collection": [{"n": "x"}]}')
    with pytest.raises(DecodeError) as caught:
        decode_page_body(response, Thing)
    assert caught.value.path == "$.collection[0].n"


def test_missing_pagination_object_means_one_page() -> None:
    response = Response("GET", "https://x/things", 200, {}, b'{"collection": [{"n": 3}]}')
    body = decode_page_body(response, Thing)
    assert [t.n for t in body.collection] == [3]
    assert body.pagination == Pagination()


# -- cancellation: a scripted fetch makes the read-ahead observable -----------------------


class ScriptedFetch:
    """Pages ``0..last``; page 1's fetch blocks (or fails) to expose the read-ahead."""

    def __init__(self, *, second: str = "block", last: int = 3, start_cycle: bool = False) -> None:
        self.second = second
        self.last = last
        self.start_cycle = start_cycle
        self.calls: list[str | None] = []
        self.cancelled: list[str | None] = []
        self.started = asyncio.Event()

    async def __call__(self, token: str | None) -> Page[int]:
        self.calls.append(token)
        index = 0 if token is None else int(token)
        if index == 1:
            self.started.set()
            if self.second == "block":
                try:
                    await asyncio.Event().wait()
                except asyncio.CancelledError:
                    self.cancelled.append(token)
                    raise
            if self.second == "fail":
                raise ServerError(status=500, title="Internal Server Error", message="boom")
        following = None if index == self.last else str(index + 1)
        return Page(items=[index * 10, index * 10 + 1], next_page_token=following)


@pytest.fixture
async def loop_errors() -> AsyncIterator[list[dict[str, Any]]]:
    """Everything reported to the loop's exception handler ('never retrieved' etc.)."""
    loop = asyncio.get_running_loop()
    errors: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    yield errors
    loop.set_exception_handler(previous)


async def _settle() -> None:
    gc.collect()
    for _ in range(5):
        await asyncio.sleep(0)
    gc.collect()


async def test_break_cancels_pending_read_ahead(loop_errors: list[dict[str, Any]]) -> None:
    fetch = ScriptedFetch(second="block")

    async def first_item() -> int:
        async for item in Paginator(fetch):
            await asyncio.wait_for(fetch.started.wait(), 5)  # read-ahead in flight
            return item
        raise AssertionError("empty")

    assert await first_item() == 0
    await _settle()
    assert fetch.cancelled == ["1"]
    assert loop_errors == []


async def test_break_after_failed_read_ahead_leaves_no_unretrieved_exception(
    loop_errors: list[dict[str, Any]],
) -> None:
    fetch = ScriptedFetch(second="fail")
    async for _page in Paginator(fetch).pages():
        await asyncio.wait_for(fetch.started.wait(), 5)
        for _ in range(5):
            await asyncio.sleep(0)  # let the read-ahead fail while we hold page 0
        break
    await _settle()
    assert fetch.calls == [None, "1"]
    assert loop_errors == []


async def test_failed_read_ahead_surfaces_when_its_page_is_reached() -> None:
    fetch = ScriptedFetch(second="fail")
    got: list[int] = []
    with pytest.raises(ServerError, match="boom"):
        await drain(Paginator(fetch), got)
    assert got == [0, 1]


async def test_collect_limit_cancels_read_ahead(loop_errors: list[dict[str, Any]]) -> None:
    fetch = ScriptedFetch(second="block")
    assert await Paginator(fetch).collect(limit=2) == [0, 1]
    await _settle()
    # The read-ahead was cancelled before it could even start: no request for page 1.
    assert fetch.calls == [None]
    assert loop_errors == []


async def test_resume_token_cycle_is_detected() -> None:
    # A -> B -> A: the resume token itself counts as seen, so page B (which points
    # back at A) is refused before its items are yielded and A is never re-fetched.
    calls: list[str | None] = []

    async def cycle(token: str | None) -> Page[str]:
        calls.append(token)
        following = {"A": "B", "B": "A"}[token or "A"]
        return Page(items=[token or "?"], next_page_token=following)

    got: list[str] = []
    with pytest.raises(DecodeError, match="repeated page token 'A'"):
        await drain(Paginator(cycle).resume("A"), got)
    assert got == ["A"]
    assert calls == ["A", "B"]


async def test_paginator_needs_no_await_and_sends_nothing_until_iterated(
    fake_time: FakeTime,
) -> None:
    fetch = ScriptedFetch(last=0)
    paginator = Paginator(fetch)
    await asyncio.sleep(0)
    assert fetch.calls == []
    assert await paginator.collect() == [0, 1]
    assert "Paginator" in repr(paginator)
