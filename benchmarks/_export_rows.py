"""Rows 4, 5 and 7 (export part): the bulk export job against a raw loop, peers, a floor.

Row 4, ``export``: every scheduled event of the organisation and every invitee of
each (2,000 events, one invitee each), the server adding 20 ms to every answer.
Each variant runs in a fresh child process so its peak RSS is its own:

- baseline: a hand-written ``aiohttp`` + ``msgspec`` loop, one request after
  another (events page by page, then each event's invitees), keeping every record
  as a dict and writing nothing: the sequential floor, requests x latency;
- calendly_async: ``run_export(client, out_dir)`` (the job, default settings);
- peers, each in its own virtualenv (``_peer_export``): ``calendly-py`` 0.0.2;
  ``PyCalendly`` cannot be pointed at another server (reason in ``_peer_export``).

Row 5, ``export_rate_limited``: the export against a small per-window budget
(the server's window shortened to seconds, ``_server --window-seconds``). The
baseline is the floor: with a fixed window of ``budget`` requests, the last of
``n`` requests cannot be sent before ``(ceil(n / budget) - 1)`` windows have passed.

Row 7's export figure: peak RSS of exporting 100,000 invitees in a child process
(``export_peak_rss``).

``run_export`` is the one place the export job is called.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import msgspec

from calendly_async import Calendly
from calendly_async.jobs import export

from ._measure import (
    AsyncVariant,
    Measured,
    Outcome,
    Row,
    compare,
    measure_async,
    run_child,
)
from ._measure import skipped_row as skipped
from ._rss import peak_rss_mb
from ._server import ServerProcess, start_server

__all__ = [
    "EXPORT_START",
    "PEER_LABELS",
    "RAW_LABEL",
    "SDK_LABEL",
    "ExportCounts",
    "RateLimitSettings",
    "export_peak_rss",
    "export_rows",
    "floor_seconds",
    "rate_limited_rows",
    "raw_export",
    "run_export",
]

EXPORT_START = "2030-01-01T00:00:00+00:00"
"""The seeded events' first day for every export row, so each run exports the same data."""

RAW_LABEL = "raw aiohttp + msgspec, sequential (keeps dicts, no files)"
SDK_LABEL = "calendly_async jobs.export (defaults)"
PEER_LABELS = {
    "calendly-py": "calendly-py 0.0.2 (Speakeasy, sync, sequential)",
    "pycalendly": "PyCalendly 1.1.0",
}
PYCALENDLY_NOTE = (
    "cannot be pointed at the mock: every URL is a module constant built from "
    "https://api.calendly.com, and list_events sends its filters as a JSON body on a GET"
)


@dataclass(frozen=True, slots=True)
class ExportCounts:
    """What one export wrote: scheduled events and invitees."""

    events: int
    invitees: int

    @property
    def records(self) -> int:
        """Events plus invitees."""
        return self.events + self.invitees


async def run_export(client: Calendly, out_dir: Path) -> ExportCounts:
    """The one call of the export job: every event and invitee of the client's
    organization to ``out_dir`` with the job's defaults; how many of each it wrote."""
    summary = await export(client, out_dir)
    counts = summary.counts
    return ExportCounts(events=counts["scheduled_events"], invitees=counts["invitees"])


async def _pages(session: aiohttp.ClientSession, url: str, params: dict[str, str]) -> list[Any]:
    items: list[Any] = []
    query = {**params, "count": "100"}
    while True:
        async with session.get(url, params=query) as response:
            response.raise_for_status()
            body = msgspec.json.decode(await response.read())
        items.extend(body["collection"])
        token = body["pagination"]["next_page_token"]
        if not token:
            return items
        query = {**params, "count": "100", "page_token": token}


async def raw_export(url: str, token: str, organization: str) -> int:
    """Every event and invitee, one request at a time, kept as dicts; how many records."""
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        records = await _pages(session, f"{url}/scheduled_events", {"organization": organization})
        for event in list(records):
            records += await _pages(session, f"{event['uri']}/invitees", {})
    return len(records)


async def _sdk_export(url: str, token: str) -> int:
    with tempfile.TemporaryDirectory() as out:
        async with Calendly(token=token, base_url=url) as client:
            counts = await run_export(client, Path(out))
    return counts.records


async def _child_main(kind: str, url: str, token: str, organization: str) -> dict[str, float]:
    started = time.perf_counter()
    if kind == "raw":
        records = await raw_export(url, token, organization)
    else:
        records = await _sdk_export(url, token)
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    return {"records": records, "seconds": seconds, "peak_rss_mb": peak}


def _child(kind: str, server: ServerProcess) -> list[str]:
    return [
        sys.executable, "-m", "benchmarks._export_rows", kind,
        server.url, server.token, server.organization,
    ]  # fmt: skip


def _peer(python: str, server: ServerProcess) -> list[str]:
    script = str(Path(__file__).with_name("_peer_export.py"))
    return [python, script, server.url, server.token, server.organization]


def _variant(server: ServerProcess, argv: list[str]) -> Callable[[], Awaitable[Outcome]]:
    async def run() -> Outcome:
        await server.control("reset")
        figures = await asyncio.to_thread(run_child, argv)
        counters = await server.control("counters")
        extra = {
            "requests": float(counters["requests"]),
            "429s": float(counters["429"]),
            "peak_rss_mb": figures["peak_rss_mb"],
        }
        return Outcome(int(figures["records"]), value=figures["seconds"], extra=extra)

    return run


async def export_rows(
    server: ServerProcess, *, peers: dict[str, str], runs: int, latency_ms: float
) -> list[Row]:
    """Row 4 against ``server`` (already seeded): every variant ``runs`` times, alternated.

    ``peers`` maps a peer's name (``calendly-py``) to the interpreter of its venv.
    Seconds are the child's own (interpreter start-up excluded).
    """
    variants: list[AsyncVariant] = [(RAW_LABEL, _variant(server, _child("raw", server)))]
    variants.append((SDK_LABEL, _variant(server, _child("sdk", server))))
    python = peers.get("calendly-py")
    if python:
        variants.append((PEER_LABELS["calendly-py"], _variant(server, _peer(python, server))))
    await server.set_latency(latency_ms)
    try:
        # Sequential rounds take requests x latency each: no untimed warm-up round.
        measured = await measure_async(variants, runs=runs, warmup=0)
    finally:
        await server.set_latency(0)
    note = f"server process adds {latency_ms:g} ms per answer; each run a fresh process"
    rows = compare(4, "export", measured, note, same_items=False)
    if not python:
        rows.append(
            skipped(4, "export", PEER_LABELS["calendly-py"], "skipped: no --peer-python given")
        )
    rows.append(skipped(4, "export", PEER_LABELS["pycalendly"], f"excluded: {PYCALENDLY_NOTE}"))
    return rows


def floor_seconds(requests: int, budget: int, window: float) -> float:
    """Calendly rule (reference §4): a fixed window of ``budget`` requests; the last of
    ``requests`` cannot go out before ``ceil(requests / budget) - 1`` windows passed."""
    return max(0, math.ceil(requests / budget) - 1) * window


@dataclass(frozen=True, slots=True)
class RateLimitSettings:
    """Row 5's sizes: events (one invitee each), budget per window, window seconds."""

    events: int
    budget: int
    window_seconds: float
    runs: int


async def rate_limited_rows(settings: RateLimitSettings, *, seed: int = 1) -> list[Row]:
    """Row 5: the export against a budget per short window, vs the floor, ``runs`` times."""
    label = f"{SDK_LABEL}, {settings.budget} requests / {settings.window_seconds:g} s"
    with start_server(
        seed=seed, events=settings.events, invitees_per_event=1, start=EXPORT_START, days=30,
        rate_limit=settings.budget, window_seconds=settings.window_seconds,
    ) as server:  # fmt: skip
        sdk = _variant(server, _child("sdk", server))
        floors: list[float] = []

        async def export() -> Outcome:
            await asyncio.sleep(settings.window_seconds)  # a fresh window for every run
            outcome = await sdk()
            requests = int(outcome.extra["requests"])
            floors.append(floor_seconds(requests, settings.budget, settings.window_seconds))
            return outcome

        (measured,) = await measure_async([(label, export)], runs=settings.runs, warmup=0)
    baseline = Measured("floor: (ceil(requests / budget) - 1) windows", floors, measured.items)
    note = (
        f"{settings.events} events; server window shortened to "
        f"{settings.window_seconds:g} s, budget {settings.budget}"
    )
    return compare(5, "export_rate_limited", [baseline, measured], note)


async def export_peak_rss(server: ServerProcess) -> Outcome:
    """Peak RSS (MB) of the export in a fresh process against ``server`` (row 7)."""
    figures = await asyncio.to_thread(run_child, _child("sdk", server))
    return Outcome(int(figures["records"]), value=figures["peak_rss_mb"],
                   extra={"seconds": figures["seconds"]})  # fmt: skip


def main(argv: Sequence[str]) -> int:
    """Child mode: ``raw|sdk URL TOKEN ORGANIZATION`` -> one JSON line of figures."""
    kind, url, token, organization = argv
    print(json.dumps(asyncio.run(_child_main(kind, url, token, organization))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
