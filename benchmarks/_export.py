"""Benchmarks 5 and 6, ``export`` and ``export_rate_limited``: the bulk export job.

``export``: every scheduled event of the organisation and every invitee of each,
with the mock adding a fixed delay to every answer (the distance to
api.calendly.com). Rows:

- baseline: a hand-written ``aiohttp`` + ``msgspec`` loop, one request after
  another (events page by page, then each event's invitees): the sequential
  floor, requests x latency, writing nothing;
- ``calendly_async.jobs.export`` with default settings, writing NDJSON, CSV and
  SQLite (windows concurrent, invitee listings fanned out).

``export_rate_limited``: the same export against a small per-minute budget on a
virtual clock shared by client and mock (so it takes no real minutes). The
baseline is the floor, ``(requests - budget) / budget`` minutes (the first
minute's budget is spent at once); the export row is the
virtual time it took, its note the 429s it met.

``python -m benchmarks._export rss`` measures the peak RSS of a 100,000-invitee
export (the export and the mock in separate processes).
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime

import aiohttp
import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler

from calendly_async import Calendly
from calendly_async.jobs import export
from calendly_async.mock import Faults, MockCalendly

from ._measure import AsyncVariant, Row, compare, measure_async

__all__ = ["VirtualClock", "export_rate_limited_rows", "export_rows", "peak_rss_mb", "raw_export"]

START = datetime(2030, 1, 1, tzinfo=UTC)
"""A fixed start, so every run exports identical data."""


async def _pages(session: aiohttp.ClientSession, url: str, params: dict[str, str]) -> list[object]:
    items: list[object] = []
    token = None
    while True:
        query = {**params, "count": "100", **({"page_token": token} if token else {})}
        async with session.get(url, params=query) as response:
            response.raise_for_status()
            body = msgspec.json.decode(await response.read())
        items.extend(body["collection"])
        token = body["pagination"]["next_page_token"]
        if not token:
            return items


async def raw_export(url: str, token: str, organization: str) -> int:
    """Every event and invitee, one request at a time; how many records."""
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        events = await _pages(session, f"{url}/scheduled_events", {"organization": organization})
        total = len(events)
        for event in events:
            uri = event["uri"]  # type: ignore[index]
            total += len(await _pages(session, f"{uri}/invitees", {}))
    return total


async def _sdk_export(url: str, token: str) -> int:
    with tempfile.TemporaryDirectory() as out:
        async with Calendly(token=token, base_url=url) as client:
            summary = await export(client, out)
    return summary.counts["scheduled_events"] + summary.counts["invitees"]


async def export_rows(*, events: int, latency_ms: float, runs: int, seed: int = 1) -> list[Row]:
    """Time the sequential raw loop and the export on a mock adding ``latency_ms``."""
    async with MockCalendly(
        seed=seed, events=events, invitees_per_event=1, start=START, days=30,
        rate_limit=10**9, faults=Faults(latency_ms=latency_ms),
    ) as mock:  # fmt: skip
        url, token, organization = mock.url, mock.token, mock.organization_uri

        async def raw() -> int:
            return await raw_export(url, token, organization)

        async def sdk() -> int:
            return await _sdk_export(url, token)

        variants: list[AsyncVariant] = [
            ("raw aiohttp + msgspec, sequential (no files)", raw),
            ("calendly_async jobs.export, defaults, 3 formats", sdk),
        ]
        measured = await measure_async(variants, runs=runs)
    return compare("export", measured, f"mock adds {latency_ms:g} ms per answer")


class VirtualClock:
    """A clock shared by client and mock; a sleep moves time to its deadline."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        deadline = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, deadline)


async def _rate_limited_once(events: int, budget: int, seed: int) -> tuple[float, int, int, int]:
    """One export on a virtual clock: (virtual seconds, records, requests, 429s)."""
    clock = VirtualClock()
    counts = {"requests": 0, "429": 0}
    mock = MockCalendly(
        seed=seed, events=events, invitees_per_event=1, start=START, days=30,
        rate_limit=budget, clock=clock.clock, sleep=clock.sleep,
    )  # fmt: skip

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        counts["requests"] += 1
        response = await handler(request)
        counts["429"] += response.status == 429
        return response

    mock.app.middlewares.insert(0, count)
    async with mock:
        with tempfile.TemporaryDirectory() as out:
            async with Calendly(
                token=mock.token, base_url=mock.url, clock=clock.clock, sleep=clock.sleep
            ) as client:
                started = clock.now
                summary = await export(client, out, sleep=clock.sleep)
                elapsed = clock.now - started
    records = summary.counts["scheduled_events"] + summary.counts["invitees"]
    return elapsed, records, counts["requests"], counts["429"]


async def export_rate_limited_rows(
    *, events: int, budget: int, runs: int, seed: int = 1
) -> list[Row]:
    """The export against ``budget`` requests a minute, on a virtual clock, vs the floor."""
    results = [await _rate_limited_once(events, budget, seed) for _ in range(runs)]
    elapsed = sorted(result[0] for result in results)
    # Calendly rule (reference §4): a fixed one-minute window of ``budget`` requests.
    # The first window's budget is spent at once; the rest takes requests / budget.
    floors = sorted(max(result[2] - budget, 1) / budget * 60 for result in results)
    records = results[0][1]
    median, floor = statistics.median(elapsed), statistics.median(floors)
    worst_429 = max(result[3] for result in results)
    requests = max(result[2] for result in results)
    note = f"{budget} requests/min, virtual clock shared by client and mock"
    return [
        Row("export_rate_limited", "floor: requests / budget", True, floor, floors[0],
            floors[-1], 1.0, records, records / floor, runs, note),
        Row("export_rate_limited", "calendly_async jobs.export, defaults", False, median,
            elapsed[0], elapsed[-1], median / floor, records, records / median, runs,
            f"at most {worst_429} x 429 in {requests} requests"),
    ]  # fmt: skip


def peak_rss_mb(events: int = 20_000, invitees_per_event: int = 5) -> dict[str, float]:
    """Peak RSS (MB) of ``calendly-async export`` in its own process, against the mock
    serving ``events x invitees_per_event`` invitees from another process."""
    mock = subprocess.Popen(
        [sys.executable, "-m", "calendly_async", "mock", "--port", "0",
         "--events", str(events), "--invitees-per-event", str(invitees_per_event),
         "--rate-limit", str(10**9)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert mock.stdout is not None
        lines = [mock.stdout.readline() for _ in range(3)]
        url = lines[0].rsplit(" ", 1)[1].strip()
        token = lines[1].split(": ", 1)[1].strip()
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "calendly_async", "--token", token, "--base-url", url,
                 "export", "--out", out],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            seconds = time.perf_counter() - started
        # Only the export has exited so far: the children's peak is the export's.
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    finally:
        mock.terminate()
        mock.wait()
    return {
        "peak_rss_mb": peak_kb / 1024,
        "seconds": seconds,
        "invitees": events * invitees_per_event,
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["rss"]:
        print(peak_rss_mb())
    else:
        print("usage: python -m benchmarks._export rss", file=sys.stderr)
        sys.exit(2)
