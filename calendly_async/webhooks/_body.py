"""Reading a delivery body under a size limit, compressed bodies included.

aiohttp's server inflates ``Content-Encoding: gzip``/``deflate`` request bodies in
its protocol, as the bytes arrive and before any handler reads them, capped only
per chunk (32 MiB from aiohttp 3.13, not at all before): a 200 KB gzip bomb that
arrives in one socket read is inflated into memory whole. So ``WebhookReceiver.app()``
turns that off (``auto_decompress=False``) and the body is inflated here instead,
stopping one byte past the limit. When the application inflates anyway (the
receiver's handler mounted on an application of your own), the bytes arrive
already inflated and are only counted.
"""

from __future__ import annotations

import zlib

from aiohttp import web

__all__ = ["BodyRefused", "looks_compressed", "read_body"]

_INFLATED_HERE = frozenset({"gzip", "x-gzip", "deflate"})


class BodyRefused(Exception):
    """The body cannot be accepted; ``status`` and ``message`` are the answer to send."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def _too_large(limit: int) -> BodyRefused:
    return BodyRefused(413, "Payload Too Large", f"the body exceeds {limit} bytes")


def looks_compressed(head: bytes) -> bool:
    """Whether ``head`` starts a gzip member (RFC 1952) or a zlib stream (RFC 1950).

    A JSON text never does: its first byte is ``{``, ``[``, whitespace or a scalar,
    none of which is a zlib header with a valid check value.
    """
    if head[:2] == b"\x1f\x8b":
        return True
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


class _Inflater:
    """Inflates one gzip or zlib stream chunk by chunk, never more than ``limit + 1`` bytes."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._stream = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header

    def feed(self, chunk: bytes) -> bytes:
        try:
            out = self._stream.decompress(chunk, self._limit + 1 - self._size)
        except zlib.error:
            raise BodyRefused(400, "Invalid Payload", "the body cannot be decompressed") from None
        self._size += len(out)
        if self._size > self._limit:
            raise _too_large(self._limit)
        return out

    def finish(self) -> None:
        if not self._stream.eof or self._stream.unused_data:
            raise BodyRefused(400, "Invalid Payload", "the compressed body is truncated or padded")


async def read_body(request: web.Request, limit: int) -> bytes:
    """The body, inflated if it is still gzip/deflate, at most ``limit`` bytes.

    Raises
    ------
    BodyRefused
        413 past ``limit`` (counted after inflating, so reading stops there), 400
        for a corrupt compressed body.
    """
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    sniffing = encoding in _INFLATED_HERE  # until two bytes tell whether it is still compressed
    pending = b""
    inflater: _Inflater | None = None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        if sniffing:
            pending += chunk
            if len(pending) < 2:
                continue
            chunk, pending, sniffing = pending, b"", False
            if looks_compressed(chunk):
                inflater = _Inflater(limit)
        if inflater is not None:
            chunk = inflater.feed(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    if inflater is not None:
        inflater.finish()
    return b"".join(chunks) + pending  # pending: a body of fewer than two bytes
