"""Row 8, ``mock_ceiling``: requests per second the mock serves at 0 ms.

Every other row talks to this server, so its ceiling bounds them all. A raw
``aiohttp`` client (the cheapest client there is) keeps ``concurrency`` requests
in flight until ``requests`` answers have arrived; the server runs in its own
process (one core at most, it is single-threaded). Two routes: ``GET /users/me``
(a small resource) and a 100-invitee page (``GET /scheduled_events/{uuid}/invitees``,
what the streaming and export rows mostly fetch).

On a machine with fewer free cores than two, client and server share one and the
figure is a floor of the ceiling, not the ceiling.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import aiohttp

from ._measure import AsyncVariant, Outcome, Row, compare, measure_async
from ._server import ServerProcess
from ._stream import first_event

__all__ = ["ceiling_rows"]


def _hammer(
    server: ServerProcess, path: str, query: dict[str, str], requests: int, concurrency: int
) -> Callable[[], Awaitable[Outcome]]:
    async def run() -> Outcome:
        remaining = requests
        headers = {"Authorization": f"Bearer {server.token}"}
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

            async def worker() -> int:
                nonlocal remaining
                done = 0
                while remaining > 0:
                    remaining -= 1
                    async with session.get(f"{server.url}{path}", params=query) as response:
                        response.raise_for_status()
                        await response.read()
                    done += 1
                return done

            started = time.perf_counter()
            counts = await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
        return Outcome(sum(counts), value=sum(counts) / elapsed)

    return run


async def ceiling_rows(server: ServerProcess, *, requests: int, runs: int) -> list[Row]:
    """Requests per second for each route at concurrency 1, 8 and 32."""
    event_path = (await first_event(server)).removeprefix(server.url) + "/invitees"
    rows: list[Row] = []
    routes: tuple[tuple[str, str, dict[str, str]], ...] = (
        ("mock_ceiling_me", "/users/me", {}),
        ("mock_ceiling_page", event_path, {"count": "100"}),
    )
    for benchmark, path, query in routes:
        variants: list[AsyncVariant] = [
            (f"raw aiohttp, {n} in flight", _hammer(server, path, query, requests, n))
            for n in (1, 8, 32)
        ]
        measured = await measure_async(variants, runs=runs)
        shown = "/users/me" if path == "/users/me" else "/scheduled_events/{uuid}/invitees"
        shown += "?count=100" if query else ""
        note = f"GET {shown}, {requests} requests per run"
        rows += compare(8, benchmark, measured, note, unit="req/s")
    return rows
