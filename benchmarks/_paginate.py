"""Benchmark 2, ``paginate``: every scheduled event of the organisation, page by page.

All variants fetch the same pages of 100 from the same mock server over loopback,
one request at a time, and keep every item in a list (as ``collect()`` does):

- baseline: a hand-written ``aiohttp`` loop decoding with ``msgspec`` into dicts
  and following ``pagination.next_page_token``;
- the same loop decoding into the SDK's ``ScheduledEvent`` Structs (so the SDK's
  own overhead shows apart from typed decoding);
- calendly_async: ``client.scheduled_events.list(organization=...).collect()``
  (read-ahead on: the next page is requested while the current one is decoded);
- the peer SDK in a worker thread, when installed.

The mock runs in the same process and event loop as the async clients, so its
time to build each page is inside every number: ratios understate the difference
between clients, and read-ahead cannot overlap work it shares a thread with.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import msgspec

from calendly_async import Calendly
from calendly_async.models import ScheduledEvent

from ._measure import AsyncVariant, Row, compare, measure_async, skipped_row
from ._peer import PEER_LABEL, Peer

__all__ = ["BENCHMARK", "paginate_rows"]

BENCHMARK = "paginate"
_PATH = "/scheduled_events"


class _TypedPage(msgspec.Struct):
    collection: list[ScheduledEvent]
    pagination: dict[str, Any]


_TYPED_DECODER = msgspec.json.Decoder(_TypedPage)


async def raw_fetch_all(
    url: str, token: str, organization: str, page_size: int, *, typed: bool = False
) -> list[Any]:
    """Every event with plain aiohttp + msgspec: dicts, or ``ScheduledEvent`` when ``typed``."""
    items: list[Any] = []
    params = {"organization": organization, "count": str(page_size)}
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        while True:
            async with session.get(f"{url}{_PATH}", params=params) as response:
                response.raise_for_status()
                body = await response.read()
            if typed:
                page = _TYPED_DECODER.decode(body)
                items.extend(page.collection)
                next_token = page.pagination.get("next_page_token")
            else:
                data = msgspec.json.decode(body)
                items.extend(data["collection"])
                next_token = data["pagination"]["next_page_token"]
            if not next_token:
                return items
            params = {**params, "page_token": next_token}


async def sdk_fetch_all(url: str, token: str, organization: str, page_size: int) -> list[Any]:
    """Every event through the SDK's paginator (read-ahead on, the default)."""
    async with Calendly(token=token, base_url=url) as client:
        paginator = client.scheduled_events.list(organization=organization, count=page_size)
        return list(await paginator.collect())


def _variants(
    url: str, token: str, organization: str, page_size: int, peer: Peer | None
) -> list[AsyncVariant]:
    async def raw() -> int:
        return len(await raw_fetch_all(url, token, organization, page_size))

    async def raw_typed() -> int:
        return len(await raw_fetch_all(url, token, organization, page_size, typed=True))

    async def sdk() -> int:
        return len(await sdk_fetch_all(url, token, organization, page_size))

    variants: list[AsyncVariant] = [
        ("raw aiohttp + msgspec -> dicts", raw),
        ("raw aiohttp + msgspec -> ScheduledEvent", raw_typed),
        ("calendly_async list().collect() (read-ahead)", sdk),
    ]
    if peer is not None:

        async def peer_variant() -> int:
            return await asyncio.to_thread(
                peer.fetch_all_events, url, token, organization, page_size
            )

        variants.append((PEER_LABEL, peer_variant))
    return variants


async def paginate_rows(
    url: str,
    token: str,
    organization: str,
    *,
    page_size: int,
    runs: int,
    peer: Peer | None,
    peer_note: str = "",
) -> list[Row]:
    """Time each variant fetching the whole list ``runs`` times (after one warm-up).

    Seconds are per complete listing; ratios are to the raw dict loop.
    """
    variants = _variants(url, token, organization, page_size, peer)
    rows = compare(BENCHMARK, await measure_async(variants, runs=runs))
    if peer is None:
        rows.append(skipped_row(BENCHMARK, PEER_LABEL, peer_note))
    return rows
