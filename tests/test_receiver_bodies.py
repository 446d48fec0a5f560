"""WebhookReceiver refuses hostile bodies with a 4xx, never a 500 (real loopback HTTP).

- JSON nested 100 000 deep is a 400 (msgspec's recursion guard, not a crash);
- aiohttp inflates ``Content-Encoding: gzip``/``deflate`` bodies as they arrive,
  so a compression bomb is counted in inflated bytes: a 413 once past
  ``max_body_size``, and the connection is dropped so the rest is never inflated.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import struct
import zlib
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.typedefs import Handler
from conftest import Serve
from yarl import URL

from calendly_async.webhooks import SIGNATURE_HEADER, WebhookEvent, WebhookReceiver, sign

KEY = "whsec_bodies_SECRET_key_55"
DEPTH = 100_000
BOMB = 200 * 1024 * 1024  # bytes of zeros once inflated
LIMIT = 1024 * 1024
BOUND = 20.0  # a hang detector, not a speed assertion


def envelope(payload: bytes) -> bytes:
    return (
        b'{"event":"invitee.created","created_at":"2024-05-01T09:00:00.000000Z",'
        b'"created_by":"https://api.calendly.com/users/U1","payload":' + payload + b"}"
    )


class Watched:
    """A receiver and the request streams it read (``total_bytes``: what aiohttp fed them).

    ``own_app``: the receiver's handler on a plain application, where aiohttp
    inflates compressed bodies itself.
    """

    def __init__(self, *, allow_unsigned: bool = False, own_app: bool = False) -> None:
        key = None if allow_unsigned else KEY
        self.receiver = WebhookReceiver(key, allow_unsigned=allow_unsigned, max_body_size=LIMIT)
        self.own_app = own_app
        self.streams: list[aiohttp.StreamReader] = []
        self.seen: list[WebhookEvent] = []

        @self.receiver.on("*")
        async def record(event: WebhookEvent) -> None:
            self.seen.append(event)

    def app(self) -> web.Application:
        @web.middleware
        async def watch(request: web.Request, handler: Handler) -> web.StreamResponse:
            self.streams.append(request.content)
            return await handler(request)

        if not self.own_app:
            app = self.receiver.app()
            app.middlewares.append(watch)
            return app
        app = web.Application(middlewares=[watch])
        app.router.add_post(self.receiver.path, self.receiver.handler)
        return app

    @property
    def received(self) -> int:
        """Bytes aiohttp handed to the receiver (inflated ones, if aiohttp inflated)."""
        return sum(stream.total_bytes for stream in self.streams)


async def post(
    url: str, body: bytes, *, signed: bytes | None = None, encoding: str | None = None
) -> tuple[int, str]:
    """POST ``body`` (sent as ``Content-Encoding: encoding``), signed over ``signed``."""
    signature = sign(body if signed is None else signed, KEY)
    headers = {SIGNATURE_HEADER: signature, "Content-Type": "application/json"}
    if encoding is not None:
        headers["Content-Encoding"] = encoding
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
        return r.status, await r.text()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * DEPTH + b"]" * DEPTH,
        b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
        envelope(b'{"a":' * DEPTH + b"1" + b"}" * DEPTH),
        envelope(b"[" * DEPTH + b"]" * DEPTH),
    ],
    ids=["array", "object", "payload-object", "payload-array"],
)
@pytest.mark.parametrize("allow_unsigned", [False, True], ids=["signed", "unsigned"])
async def test_deeply_nested_json_is_400(serve: Serve, body: bytes, allow_unsigned: bool) -> None:
    watched = Watched(allow_unsigned=allow_unsigned)
    url = await serve(watched.app()) + watched.receiver.path
    status, text = await post(url, body)
    assert status == 400, text
    assert "Invalid Payload" in text
    assert watched.seen == []


@functools.cache
def deflate_blocks() -> tuple[bytes, int, int]:
    """Raw deflate of BOMB zeros, with their CRC-32 and Adler-32.

    Built from one fully flushed 1 MiB segment repeated (a full flush resets the
    compressor, so every segment is the same bytes) instead of compressing 200 MB.
    """
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = packer.compress(bytes(LIMIT)) + packer.flush(zlib.Z_FULL_FLUSH)
    crc, adler, zeros = 0, 1, bytes(LIMIT)
    for _ in range(BOMB // LIMIT):
        crc, adler = zlib.crc32(zeros, crc), zlib.adler32(zeros, adler)
    return segment * (BOMB // LIMIT) + packer.flush(), crc, adler


def gzip_bomb() -> bytes:
    blocks, crc, _ = deflate_blocks()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # RFC 1952, no name, no mtime
    return header + blocks + struct.pack("<II", crc, BOMB & 0xFFFFFFFF)


def deflate_bomb() -> bytes:
    blocks, _, adler = deflate_blocks()
    return b"\x78\x9c" + blocks + struct.pack(">I", adler)  # RFC 1950 zlib stream


def test_the_bombs_are_valid_streams_of_zeros() -> None:
    head = bytes(LIMIT)
    assert zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(gzip_bomb(), LIMIT) == head
    assert zlib.decompressobj().decompress(deflate_bomb(), LIMIT) == head


@pytest.mark.parametrize(("encoding", "make"), [("gzip", gzip_bomb), ("deflate", deflate_bomb)])
async def test_a_compression_bomb_is_413_without_inflating_it(
    serve: Serve, encoding: str, make: object
) -> None:
    assert callable(make)
    bomb = make()
    assert len(bomb) < LIMIT  # small on the wire: only its inflated size is over the limit
    watched = Watched()
    url = await serve(watched.app()) + watched.receiver.path
    status, text = await post(url, bomb, encoding=encoding)
    assert status == 413, text
    assert "Payload Too Large" in text
    assert watched.received <= len(bomb)  # aiohttp inflated nothing; the receiver stops at LIMIT
    assert watched.seen == []
    # A small compressed delivery is still accepted (the signature covers the inflated
    # bytes the receiver reads).
    small = envelope(b'{"uri":"https://api.calendly.com/scheduled_events/E1/invitees/I1"}')
    status, text = await post(url, gzip.compress(small), signed=small, encoding="gzip")
    assert status == 200, text


async def test_the_rest_of_a_refused_bomb_is_never_inflated(serve: Serve) -> None:
    # A raw client that sends the whole bomb (1 MiB per chunk once inflated) at once,
    # whatever the server answers: aiohttp would inflate all that arrived in one read.
    watched = Watched()
    url = URL(await serve(watched.app()))
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first, same = (packer.compress(bytes(LIMIT)) + packer.flush(zlib.Z_FULL_FLUSH) for _ in "12")
    chunks = [first] + [same] * (BOMB // LIMIT - 1) + [packer.flush()]
    head = (
        f"POST {watched.receiver.path} HTTP/1.1\r\nHost: {url.host}\r\n"
        f"{SIGNATURE_HEADER}: {sign(b'', KEY)}\r\nContent-Type: application/json\r\n"
        "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    assert url.host is not None
    assert url.port is not None
    reader, writer = await asyncio.open_connection(url.host, url.port)
    try:
        writer.write(head.encode() + body)
        with contextlib.suppress(ConnectionError):
            await writer.drain()
            answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), BOUND)
            assert answer.startswith(b"HTTP/1.1 413 ")
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    assert watched.received <= len(body)
    assert watched.seen == []


async def test_a_bomb_streamed_slowly_is_refused_and_the_connection_dropped(serve: Serve) -> None:
    watched = Watched()
    url = await serve(watched.app()) + watched.receiver.path
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    sent: list[int] = []

    async def pieces() -> AsyncIterator[bytes]:
        for _ in range(BOMB // LIMIT):
            sent.append(LIMIT)
            yield packer.compress(bytes(LIMIT)) + packer.flush(zlib.Z_SYNC_FLUSH)
            await asyncio.sleep(0.001)
        yield packer.flush()

    headers = {SIGNATURE_HEADER: sign(b"", KEY), "Content-Encoding": "gzip"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, data=pieces(), headers=headers) as response,
    ):
        assert response.status == 413
    assert sum(sent) < BOMB  # the exchange ended long before the whole bomb was sent
    assert watched.seen == []


async def test_a_bomb_to_the_handler_mounted_on_an_app_of_your_own_is_413(serve: Serve) -> None:
    # There aiohttp inflates (and caps) the body itself; its refusal is a 413 too.
    watched = Watched(own_app=True)
    url = await serve(watched.app()) + watched.receiver.path
    status, text = await post(url, gzip_bomb(), encoding="gzip")
    assert status == 413, text
    assert watched.seen == []


SMALL = envelope(b'{"uri":"https://api.calendly.com/scheduled_events/E1/invitees/I1"}')


@pytest.mark.parametrize("own_app", [False, True], ids=["receiver-app", "own-app"])
@pytest.mark.parametrize(
    ("encoding", "packed"),
    [("gzip", gzip.compress(SMALL)), ("deflate", zlib.compress(SMALL)), ("identity", SMALL)],
)
async def test_small_compressed_deliveries_are_accepted(
    serve: Serve, own_app: bool, encoding: str, packed: bytes
) -> None:
    watched = Watched(own_app=own_app)
    url = await serve(watched.app()) + watched.receiver.path
    status, text = await post(url, packed, signed=SMALL, encoding=encoding)
    assert status == 200, text
    await watched.receiver.drain()
    assert [e.payload_uri for e in watched.seen] == [
        "https://api.calendly.com/scheduled_events/E1/invitees/I1"
    ]


@pytest.mark.parametrize(
    "packed",
    [gzip.compress(SMALL)[:-12], gzip.compress(SMALL) + b"junk", b"\x1f\x8b" + bytes(40)],
    ids=["truncated", "padded", "corrupt"],
)
async def test_a_broken_compressed_body_is_400(serve: Serve, packed: bytes) -> None:
    watched = Watched()
    url = await serve(watched.app()) + watched.receiver.path
    status, text = await post(url, packed, signed=SMALL, encoding="gzip")
    assert status == 400, text
    assert watched.seen == []
