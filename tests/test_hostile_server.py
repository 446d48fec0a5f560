"""A hostile or broken server gets typed errors, never a crash (issue 7, "Hardening").

Every test runs over real loopback HTTP against an inline ``aiohttp.web.Application``:
redirects (never followed, never mistaken for data), JSON nested too deeply for the
decoder, bodies over ``max_response_bytes`` (declared or streamed), and timestamps at
the edges of ``datetime``'s range.
"""

from __future__ import annotations

import asyncio
import gzip
import pickle
from typing import Any

import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN

from calendly_async import (
    APIError,
    BadRequestError,
    Calendly,
    DecodeError,
    InvalidPayloadError,
    OAuth2,
    RedirectError,
    RetryPolicy,
)
from calendly_async._transport import DEFAULT_MAX_RESPONSE_BYTES
from calendly_async.webhooks import parse_event

USER = {
    "uri": "https://api.calendly.com/users/U1",
    "name": "Ada",
    "email": "ada@example.com",
    "created_at": "2024-01-01T00:00:00.000000Z",
}


class Counter:
    """Counts requests and remembers their Authorization headers."""

    def __init__(self) -> None:
        self.hits = 0
        self.auth: list[str | None] = []

    def count(self, request: web.Request) -> None:
        self.hits += 1
        self.auth.append(request.headers.get("Authorization"))


async def _elsewhere(serve: Serve) -> tuple[str, Counter]:
    counter = Counter()

    async def handle(request: web.Request) -> web.StreamResponse:
        counter.count(request)
        return web.json_response({"resource": USER})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return await serve(app), counter


async def _api(serve: Serve, handler: Any) -> tuple[str, Counter]:
    """A loopback API answering every path with ``handler`` and counting requests."""
    counter = Counter()

    async def handle(request: web.Request) -> web.StreamResponse:
        counter.count(request)
        response: web.StreamResponse = await handler(request)
        return response

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return await serve(app), counter


# --- 1. redirects ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_is_a_typed_error_for_typed_and_raw_calls(
    serve: Serve, status: int
) -> None:
    target, elsewhere = await _elsewhere(serve)
    location = f"{target}/steal"

    async def redirect(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": location}, text="moved")

    base, api = await _api(serve, redirect)
    async with Calendly(token=TOKEN, base_url=base) as client:
        with pytest.raises(RedirectError) as typed:
            await client.users.me()
        with pytest.raises(RedirectError) as raw:
            await client.request("GET", "/users/me")
        with pytest.raises(RedirectError):
            await client.request("POST", "/webhook_subscriptions", json={"url": "x"})
    for caught in (typed.value, raw.value):
        assert isinstance(caught, APIError)
        assert caught.status == status
        assert caught.location == location
        assert str(status) in str(caught)
        assert location in str(caught)
        assert TOKEN not in str(caught)
    assert api.hits == 3  # never retried
    assert elsewhere.hits == 0  # never followed: the token stays on base_url


async def test_redirect_location_echoing_the_token_is_masked(serve: Serve) -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        return web.Response(status=302, headers={"Location": f"https://evil.test/?t={token}"})

    base, _ = await _api(serve, redirect)
    async with Calendly(token=TOKEN, base_url=base) as client:
        with pytest.raises(RedirectError) as caught:
            await client.users.me()
    assert caught.value.location == "https://evil.test/?t=***"
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(copy, RedirectError)
    assert copy.location == caught.value.location


async def test_redirect_without_location_still_raises(serve: Serve) -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        return web.Response(status=307)

    base, _ = await _api(serve, redirect)
    async with Calendly(token=TOKEN, base_url=base) as client:
        with pytest.raises(RedirectError) as caught:
            await client.request("GET", "/users/me", response_type="bytes")
    assert caught.value.location is None
    assert "without a Location header" in str(caught.value)


# --- 2. deeply nested JSON ------------------------------------------------------------

DEPTH = 100_000
NESTED = {
    "list": b"[" * DEPTH + b"]" * DEPTH,
    "object": b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
    "inside a resource": b'{"resource":{"uri":"u","data":' + b"[" * DEPTH + b"]" * DEPTH + b"}}",
}


def _answer(body: bytes, status: int = 200) -> Any:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body, status=status, content_type="application/json")

    return handler


@pytest.mark.parametrize("body", NESTED.values(), ids=NESTED.keys())
async def test_deeply_nested_json_is_a_decode_error(serve: Serve, body: bytes) -> None:
    base, _ = await _api(serve, _answer(body))
    async with Calendly(token=TOKEN, base_url=base) as client:
        with pytest.raises(DecodeError):
            await client.users.me()
        with pytest.raises(DecodeError) as raw:
            await client.request("GET", "/users/me")
        response = client.last_response
        assert response is not None
        with pytest.raises(DecodeError):
            response.json()
    assert "is not JSON" in str(raw.value)


@pytest.mark.parametrize("body", NESTED.values(), ids=NESTED.keys())
async def test_deeply_nested_error_body_still_maps_to_the_status(
    serve: Serve, body: bytes
) -> None:
    base, _ = await _api(serve, _answer(body, status=400))
    async with Calendly(token=TOKEN, base_url=base) as client:
        with pytest.raises(BadRequestError) as caught:
            await client.users.me()
    assert caught.value.status == 400
    assert caught.value.title == "Bad Request"
    assert len(str(caught.value)) < 500  # a short excerpt, not 200 kB of brackets


# --- 2. response size cap -------------------------------------------------------------

CHUNK = 64 * 1024
TOTAL = 256 * 1024 * 1024  # far more than any socket buffer could absorb


class Streamer:
    """Streams ``TOTAL`` bytes in ``CHUNK``s, recording how far it got before the client left."""

    def __init__(self, *, declare_length: bool) -> None:
        self.declare_length = declare_length
        self.sent = 0
        self.failed: BaseException | None = None
        self.done = asyncio.Event()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if self.declare_length:
            response.content_length = TOTAL
        else:
            response.enable_chunked_encoding()
        try:
            await response.prepare(request)
            while self.sent < TOTAL:
                await response.write(b" " * CHUNK)
                self.sent += CHUNK
        except asyncio.CancelledError as exc:  # aiohttp cancels a handler whose client left
            self.failed = exc
            raise
        except Exception as exc:  # or the write fails: the client hung up either way
            self.failed = exc
        finally:
            self.done.set()
        return response


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
async def test_body_over_the_cap_is_refused_without_reading_it(
    serve: Serve, declare_length: bool
) -> None:
    streamer = Streamer(declare_length=declare_length)
    base, api = await _api(serve, streamer.handle)
    cap = 16 * 1024
    async with Calendly(token=TOKEN, base_url=base, max_response_bytes=cap) as client:
        with pytest.raises(DecodeError) as caught:
            await client.request("GET", "/big", response_type="bytes")
        await asyncio.wait_for(streamer.done.wait(), timeout=30)
    assert "max_response_bytes" in str(caught.value)
    assert ("Content-Length" in str(caught.value)) is declare_length
    assert api.hits == 1  # a DecodeError is not retried
    assert streamer.failed is not None  # the client closed the connection...
    assert streamer.sent < TOTAL // 4  # ...long before the body was read


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
async def test_body_at_the_cap_is_read_and_one_byte_more_is_not(
    serve: Serve, declare_length: bool
) -> None:
    cap = 3 * CHUNK + 17
    body = b'"' + b"x" * (cap - 2) + b'"'

    async def answer(request: web.Request) -> web.StreamResponse:
        size = int(request.query["size"])
        payload = body if size == cap else body[:1] + b"x" + body[1:]
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if declare_length:
            response.content_length = len(payload)
        else:
            response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(payload), 1000):
            await response.write(payload[start : start + 1000])
        await response.write_eof()
        return response

    base, _ = await _api(serve, answer)
    no_retry = RetryPolicy(max_retries=0)
    async with Calendly(token=TOKEN, base_url=base, max_response_bytes=cap, retry=no_retry) as c:
        assert await c.request("GET", "/x", params={"size": cap}) == "x" * (cap - 2)
        with pytest.raises(DecodeError):
            await c.request("GET", "/x", params={"size": cap + 1})


async def test_compressed_body_is_capped_after_decompression(serve: Serve) -> None:
    bomb = gzip.compress(b" " * (8 * 1024 * 1024))  # ~8 kB on the wire, 8 MiB decoded

    async def answer(request: web.Request) -> web.StreamResponse:
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        return web.Response(body=bomb, headers=headers)

    base, _ = await _api(serve, answer)
    async with Calendly(token=TOKEN, base_url=base, max_response_bytes=1024 * 1024) as client:
        with pytest.raises(DecodeError) as caught:
            await client.request("GET", "/bomb", response_type="bytes")
    assert len(bomb) < 1024 * 1024  # the declared length passed the up-front check
    assert "more than 1048576 bytes" in str(caught.value)


async def test_body_inflating_past_aiohttps_own_limit_is_a_decode_error_not_retried(
    serve: Serve,
) -> None:
    # aiohttp >= 3.13 stops inflating at 32 MiB per read and raises ClientPayloadError:
    # that is an oversized body (DecodeError, sent once), not a dropped connection to retry.
    bomb = gzip.compress(b"0" * (48 * 1024 * 1024), 9)

    async def answer(request: web.Request) -> web.StreamResponse:
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        return web.Response(body=bomb, headers=headers)

    base, counter = await _api(serve, answer)
    cap = 40 * 1024 * 1024  # under the inflated size whether or not aiohttp limits it
    async with Calendly(token=TOKEN, base_url=base, max_response_bytes=cap) as client:
        with pytest.raises(DecodeError):
            await client.users.me()
        assert client.stats.retries == 0
    assert counter.hits == 1


def test_default_cap_is_64_mib() -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 64 * 1024 * 1024
    client = Calendly(token=TOKEN)
    assert client._transport.max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES


# --- 3. extreme timestamps from the server --------------------------------------------


@pytest.mark.parametrize(
    "stamp",
    [
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:00-23:59",
        "0001-01-01T00:00:00.000000Z",
        "9999-12-31T23:59:59.999999Z",
    ],
)
async def test_extreme_server_timestamps_decode_without_overflow(
    serve: Serve, stamp: str
) -> None:
    slot = {"status": "available", "start_time": stamp, "scheduling_url": "https://x.test/s"}

    async def answer(request: web.Request) -> web.StreamResponse:
        if request.path == "/users/me":
            return web.json_response({"resource": {**USER, "created_at": stamp}})
        return web.json_response({"collection": [slot, slot]})

    base, _ = await _api(serve, answer)
    async with Calendly(token=TOKEN, base_url=base) as client:
        me = await client.users.me()
        slots = await client.event_types.available_times(
            "ET1", "2030-01-01T00:00:00Z", "2030-03-01T00:00:00Z"
        )
    assert me.created_at is not None
    assert me.created_at.year in (1, 9999)
    assert len(slots) == 1  # merged across windows (hashing the time never overflows)


@pytest.mark.parametrize(
    "stamp", ["0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "2024-13-01T00:00:00Z"]
)
async def test_out_of_range_server_timestamps_are_decode_errors(
    serve: Serve, stamp: str
) -> None:
    async def answer(request: web.Request) -> web.StreamResponse:
        return web.json_response({"resource": {**USER, "created_at": stamp}})

    base, _ = await _api(serve, answer)
    async with Calendly(token=TOKEN, base_url=base) as client:
        with pytest.raises(DecodeError) as caught:
            await client.users.me()
    assert caught.value.path == "$.resource.created_at"


async def test_oauth_token_endpoint_nested_too_deeply_is_a_decode_error(serve: Serve) -> None:
    base, hits = await _api(serve, _answer(b'{"access_token":"a","junk":' + NESTED["list"] + b"}"))
    async with OAuth2("client", "secret", "https://app.test/cb", auth_base_url=base) as oauth:
        with pytest.raises(DecodeError) as caught:
            await oauth.exchange_code("code", code_verifier="v" * 43)
    assert "/oauth/token" in str(caught.value)
    assert hits.hits == 1


async def test_oauth_token_endpoint_redirect_is_not_followed(serve: Serve) -> None:
    target, elsewhere = await _elsewhere(serve)

    async def redirect(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": f"{target}/oauth/token"})

    base, _ = await _api(serve, redirect)
    async with OAuth2("client", "secret", "https://app.test/cb", auth_base_url=base) as oauth:
        with pytest.raises(RedirectError):
            await oauth.exchange_code("code", code_verifier="v" * 43)
    assert elsewhere.hits == 0


async def test_sample_webhook_data_nested_too_deeply_is_an_invalid_payload(serve: Serve) -> None:
    envelope = (
        b'{"event":"invitee.created","created_at":"2024-01-01T00:00:00Z","created_by":"u",'
        b'"payload":{"tracking":' + NESTED["object"] + b"}}"
    )
    base, _ = await _api(serve, _answer(envelope))
    async with Calendly(token=TOKEN, base_url=base) as client:
        with pytest.raises(InvalidPayloadError) as caught:
            await client.webhooks.sample("invitee.created", "ORG", "organization")
    assert isinstance(caught.value, DecodeError)


@pytest.mark.parametrize("body", NESTED.values(), ids=NESTED.keys())
def test_webhook_delivery_nested_too_deeply_is_an_invalid_payload(body: bytes) -> None:
    with pytest.raises(InvalidPayloadError):
        parse_event(body)
