"""Keep each list item's raw JSON beside its decoded Struct.

The SDK's models ignore fields they do not know and give absent fields a
default, so re-encoding a Struct would drop Calendly's newer fields and invent
``null``s. An export keeps the item exactly as sent: the page body is decoded a
second time into ``msgspec.Raw`` slices (no parsing of the items themselves) and
paired, in order, with the decoded items.
"""

from __future__ import annotations

from typing import TypeVar

import msgspec

from ..errors import DecodeError
from ..pagination import Page

__all__ = ["compact", "raw_items"]

T = TypeVar("T")


class _RawCollection(msgspec.Struct):
    collection: list[msgspec.Raw]


_decoder = msgspec.json.Decoder(_RawCollection)


def raw_items(page: Page[T]) -> list[tuple[T, bytes]]:
    """Pairs of (decoded item, the item's JSON exactly as Calendly sent it, one line).

    Raises
    ------
    DecodeError
        The page has no response body to read, or its collection does not line up
        with the decoded items.
    """
    if page.response is None:
        raise DecodeError("page has no response to read raw items from")
    try:
        raws = _decoder.decode(page.response.body).collection
    except msgspec.DecodeError as exc:
        raise DecodeError(f"page body is not a collection: {exc}", url=page.response.url) from exc
    if len(raws) != len(page.items):
        raise DecodeError("raw and decoded collections differ in length", url=page.response.url)
    return [(item, compact(bytes(raw))) for item, raw in zip(page.items, raws, strict=True)]


def compact(raw: bytes) -> bytes:
    """The same JSON on one line (only re-encoded when it holds a line break)."""
    if b"\n" not in raw and b"\r" not in raw:
        return raw
    return msgspec.json.encode(msgspec.json.decode(raw))
