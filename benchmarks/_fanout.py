"""Benchmark 3, ``fanout``: open slots of many event types over a long range (120 days).

Calendly rule (reference §6.4): ``GET /event_type_available_times`` covers at most
31 days per request, so 120 days take four requests per event type. Rows:

- baseline: a hand-written ``aiohttp`` + ``msgspec`` loop, one request after
  another (event type by event type, window by window), slots de-duplicated;
- calendly_async: ``client.event_types.available_times()`` for every event type
  at once (``asyncio.gather``); the SDK itself splits each range into 31-day
  windows fetched concurrently;
- calendly_async with the event types one after another (only the windows of
  one event type are concurrent);
- the peer SDK, sequential, in a worker thread, when installed.

``fanout`` runs against the mock as it is (loopback, no delay: the numbers are
CPU cost); ``fanout_latency`` repeats it with the mock adding a fixed delay to
every answer, as the distance to api.calendly.com does, which is where running
requests concurrently pays.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import aiohttp
import msgspec

from calendly_async import Calendly

from ._measure import AsyncVariant, Row, compare, measure_async, skipped_row
from ._peer import PEER_LABEL, Peer

__all__ = ["WINDOW", "fanout_rows", "windows"]

WINDOW = timedelta(days=31)
"""Calendly rule: available times cover at most 31 days per request."""

_PATH = "/event_type_available_times"
_PEER_VARIANT = f"{PEER_LABEL}, sequential"


def windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """``[start, end)`` as consecutive windows of at most 31 days."""
    spans = []
    cursor = start
    while cursor < end:
        spans.append((cursor, min(cursor + WINDOW, end)))
        cursor = spans[-1][1]
    return spans


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def raw_sequential(
    url: str, token: str, event_types: Sequence[str], start: datetime, end: datetime
) -> int:
    """Slots of every event type, one request at a time; the total slot count."""
    total = 0
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        for event_type in event_types:
            slots: dict[tuple[str, str], object] = {}
            for window_start, window_end in windows(start, end):
                params = {
                    "event_type": event_type,
                    "start_time": _iso(window_start),
                    "end_time": _iso(window_end),
                }
                async with session.get(f"{url}{_PATH}", params=params) as response:
                    response.raise_for_status()
                    body = await response.read()
                for slot in msgspec.json.decode(body)["collection"]:
                    slots.setdefault((slot["start_time"], slot["scheduling_url"]), slot)
            total += len(slots)
    return total


async def sdk_available_times(
    url: str,
    token: str,
    event_types: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    concurrent: bool = True,
) -> int:
    """Slots of every event type through the SDK; all event types at once if ``concurrent``."""
    async with Calendly(token=token, base_url=url) as client:
        if concurrent:
            batches = await asyncio.gather(
                *(client.event_types.available_times(et, start, end) for et in event_types)
            )
        else:
            batches = [
                await client.event_types.available_times(et, start, end) for et in event_types
            ]
    return sum(len(batch) for batch in batches)


def _variants(
    url: str,
    token: str,
    event_types: Sequence[str],
    start: datetime,
    end: datetime,
    peer: Peer | None,
) -> list[AsyncVariant]:
    async def raw() -> int:
        return await raw_sequential(url, token, event_types, start, end)

    async def sdk() -> int:
        return await sdk_available_times(url, token, event_types, start, end)

    async def sdk_one_by_one() -> int:
        return await sdk_available_times(url, token, event_types, start, end, concurrent=False)

    variants: list[AsyncVariant] = [
        ("raw aiohttp + msgspec, sequential", raw),
        ("calendly_async available_times, all concurrent", sdk),
        ("calendly_async, event types one by one", sdk_one_by_one),
    ]
    if peer is not None:
        spans = windows(start, end)

        async def peer_variant() -> int:
            return await asyncio.to_thread(peer.available_times, url, token, event_types, spans)

        variants.append((_PEER_VARIANT, peer_variant))
    return variants


async def fanout_rows(
    benchmark: str,
    url: str,
    token: str,
    event_types: Sequence[str],
    *,
    days: int,
    runs: int,
    peer: Peer | None,
    peer_note: str = "",
    note: str = "",
) -> list[Row]:
    """Time each variant fetching ``days`` days of slots for every event type.

    The range starts ten minutes from now (Calendly refuses a start in the past).
    Seconds are per complete job; ratios are to the sequential raw loop.
    """
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=10)
    end = start + timedelta(days=days)
    variants = _variants(url, token, event_types, start, end, peer)
    rows = compare(benchmark, await measure_async(variants, runs=runs), note)
    if peer is None:
        rows.append(skipped_row(benchmark, _PEER_VARIANT, peer_note))
    return rows
