"""Row 2, ``stream``: 20,000 invitees of one scheduled event (200 pages of 100).

Every variant walks the same listing (``GET /scheduled_events/{uuid}/invitees``)
on the same server, one page at a time, counting items without keeping them:

- baseline: a hand-written ``aiohttp`` loop decoding each page with ``msgspec``
  into the SDK's own ``Invitee`` Structs and following ``next_page_token``;
- calendly_async: ``async for invitee in client.invitees.list(event)`` (read-ahead:
  the next page is requested while the current one is consumed);
- calendly_async: ``async for page in ....pages()``, items counted page by page
  (shows what the per-item ``async for`` costs on top).

The server runs in its own process (``_server``), at 0 ms and then with 20 ms
added to every answer, so client CPU is measured apart from the server's.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import msgspec

from calendly_async import Calendly
from calendly_async.models import Invitee

from ._measure import AsyncVariant, Row, compare, measure_async
from ._server import ServerProcess

__all__ = ["RAW", "SDK_ITEMS", "SDK_PAGES", "first_event", "raw_stream", "stream_rows"]

RAW = "raw aiohttp + msgspec -> Invitee Structs"
SDK_ITEMS = "calendly_async async for item (read-ahead)"
SDK_PAGES = "calendly_async async for page in .pages()"


class _TypedPage(msgspec.Struct):
    collection: list[Invitee]
    pagination: dict[str, Any]


_DECODER = msgspec.json.Decoder(_TypedPage)


async def first_event(server: ServerProcess) -> str:
    """The URI of the organisation's first scheduled event."""
    headers = {"Authorization": f"Bearer {server.token}"}
    params = {"organization": server.organization, "count": "1"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(f"{server.url}/scheduled_events", params=params) as response,
    ):
        response.raise_for_status()
        uri: str = (await response.json())["collection"][0]["uri"]
        return uri


async def raw_stream(url: str, token: str, path: str) -> int:
    """Every invitee of ``path`` with plain aiohttp + msgspec; how many."""
    count = 0
    params = {"count": "100"}
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        while True:
            async with session.get(f"{url}{path}", params=params) as response:
                response.raise_for_status()
                body = await response.read()
            page = _DECODER.decode(body)
            for _item in page.collection:
                count += 1
            next_token = page.pagination.get("next_page_token")
            if not next_token:
                return count
            params = {"count": "100", "page_token": next_token}


def _variants(server: ServerProcess, event: str) -> list[AsyncVariant]:
    path = event.removeprefix(server.url) + "/invitees"

    async def raw() -> int:
        return await raw_stream(server.url, server.token, path)

    async def sdk_items() -> int:
        count = 0
        async with Calendly(token=server.token, base_url=server.url) as client:
            async for _invitee in client.invitees.list(event, count=100):
                count += 1
        return count

    async def sdk_pages() -> int:
        count = 0
        async with Calendly(token=server.token, base_url=server.url) as client:
            async for page in client.invitees.list(event, count=100).pages():
                for _invitee in page.items:
                    count += 1
        return count

    return [(RAW, raw), (SDK_ITEMS, sdk_items), (SDK_PAGES, sdk_pages)]


async def stream_rows(
    server: ServerProcess, *, latencies: tuple[float, ...], runs: int
) -> list[Row]:
    """Time the three walks at each latency (the server's ``Faults.latency_ms``)."""
    event = await first_event(server)
    rows: list[Row] = []
    try:
        for latency in latencies:
            await server.set_latency(latency)
            measured = await measure_async(_variants(server, event), runs=runs)
            note = f"server process adds {latency:g} ms per answer"
            rows += compare(2, f"stream_{latency:g}ms", measured, note, with_cpu=True)
    finally:
        await server.set_latency(0)
    return rows
