"""Run every benchmark against one embedded mock server and gather a ``Report``."""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import aiohttp

from calendly_async import Calendly
from calendly_async.mock import Faults, MockCalendly

from ._decode import decode_rows, load_pydantic
from ._export import export_rate_limited_rows, export_rows
from ._fanout import fanout_rows
from ._measure import Row
from ._paginate import paginate_rows
from ._peer import Peer, load_peer

__all__ = ["FULL", "QUICK", "Report", "Settings", "run_benchmarks"]

_UNLIMITED = 10**9
"""Requests per minute for the mock: the benchmark measures clients, not rate-limit waits."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Sizes and repetitions of one run.

    Attributes
    ----------
    events:
        Scheduled events the organisation holds (``paginate`` fetches them all).
    page_size:
        Items per page (Calendly's maximum is 100; also the ``decode`` page size).
    users, event_types_per_user:
        Their product is the number of event types ``fanout`` covers.
    days:
        Length of the ``fanout`` range (31-day windows).
    latency_ms:
        Delay the mock adds to every answer in ``fanout_latency``.
    runs:
        Timed rounds of ``paginate`` and ``fanout`` (after one warm-up round).
    decode_repeats, decode_min_seconds:
        Samples per decoder, and the least time one sample lasts.
    seed:
        The mock's data seed.
    export_events, export_budget:
        Events (one invitee each) of the ``export`` benchmarks, and the
        requests per minute of ``export_rate_limited``.
    """

    events: int = 20_000
    page_size: int = 100
    users: int = 10
    event_types_per_user: int = 4
    days: int = 120
    latency_ms: float = 20.0
    runs: int = 5
    decode_repeats: int = 7
    decode_min_seconds: float = 0.2
    seed: int = 1
    export_events: int = 500
    export_budget: int = 120


FULL = Settings()
QUICK = Settings(
    events=2_000,
    users=3,
    event_types_per_user=2,
    runs=3,
    decode_repeats=5,
    decode_min_seconds=0.05,
    export_events=150,
)


@dataclass(frozen=True, slots=True)
class Report:
    """Every row of one run and what it ran on."""

    rows: list[Row]
    meta: dict[str, Any] = field(default_factory=dict)


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _meta(settings: Settings, mode: str) -> dict[str, Any]:
    packages = ("calendly-async", "msgspec", "aiohttp", "pydantic", "calendly-py")
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "versions": {name: _version(name) for name in packages},
        "settings": asdict(settings),
    }


async def _first_page(mock: MockCalendly, page_size: int) -> bytes:
    """The body of the first ``GET /scheduled_events`` page, as the mock sends it."""
    headers = {"Authorization": f"Bearer {mock.token}"}
    params = {"organization": mock.organization_uri, "count": str(page_size)}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(f"{mock.url}/scheduled_events", params=params) as response,
    ):
        response.raise_for_status()
        return await response.read()


async def _event_type_uris(mock: MockCalendly) -> list[str]:
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        paginator = client.event_types.list(organization=mock.organization_uri)
        return [event_type.uri for event_type in await paginator.collect()]


@dataclass(frozen=True, slots=True)
class _Optional:
    """The optional rows' code (``None`` when unavailable) and why each is skipped."""

    pydantic_models: ModuleType | None
    pydantic_note: str
    peer: Peer | None
    peer_note: str


async def _run_all(
    mock: MockCalendly, settings: Settings, extra: _Optional, log: Callable[[str], None]
) -> list[Row]:
    log("decode")
    rows = decode_rows(
        await _first_page(mock, settings.page_size),
        repeats=settings.decode_repeats,
        min_seconds=settings.decode_min_seconds,
        pydantic_models=extra.pydantic_models,
        pydantic_note=extra.pydantic_note,
        peer=extra.peer,
        peer_note=extra.peer_note,
    )
    log(f"paginate: {settings.events} events, pages of {settings.page_size}")
    rows += await paginate_rows(
        mock.url,
        mock.token,
        mock.organization_uri,
        page_size=settings.page_size,
        runs=settings.runs,
        peer=extra.peer,
        peer_note=extra.peer_note,
    )
    event_types = await _event_type_uris(mock)
    for benchmark, latency in (("fanout", 0.0), ("fanout_latency", settings.latency_ms)):
        log(f"{benchmark}: {len(event_types)} event types x {settings.days} days")
        mock.faults = Faults(latency_ms=latency)
        rows += await fanout_rows(
            benchmark,
            mock.url,
            mock.token,
            event_types,
            days=settings.days,
            runs=settings.runs,
            peer=extra.peer,
            peer_note=extra.peer_note,
            note=f"mock adds {latency:g} ms per answer" if latency else "",
        )
    mock.faults = Faults()
    log(f"export: {settings.export_events} events, {settings.latency_ms:g} ms latency")
    rows += await export_rows(
        events=settings.export_events, latency_ms=settings.latency_ms, runs=settings.runs
    )
    log(f"export_rate_limited: {settings.export_budget} requests/min")
    rows += await export_rate_limited_rows(
        events=settings.export_events, budget=settings.export_budget, runs=settings.runs
    )
    return rows


async def run_benchmarks(
    settings: Settings,
    *,
    mode: str = "full",
    use_pydantic: bool = True,
    use_peer: bool = True,
    log: Callable[[str], None] = lambda message: None,
) -> Report:
    """Start the mock, run ``decode``, ``paginate``, ``fanout`` and ``fanout_latency``.

    Parameters
    ----------
    settings:
        Sizes and repetitions (``FULL``, ``QUICK`` or custom).
    mode:
        A label stored in the report's ``meta``.
    use_pydantic, use_peer:
        ``False`` skips those rows even when their packages are installed.
    log:
        Called with a line of progress before each benchmark.

    Raises
    ------
    BenchmarkError
        Two variants of a benchmark fetched or decoded different item counts.
    """
    pydantic_models, pydantic_note = load_pydantic() if use_pydantic else (None, "disabled")
    peer, peer_note = load_peer() if use_peer else (None, "disabled")
    extra = _Optional(pydantic_models, pydantic_note, peer, peer_note)
    log(f"starting the mock: {settings.events} events, {settings.users} users")
    async with MockCalendly(
        seed=settings.seed,
        users=settings.users,
        event_types=settings.event_types_per_user,
        events=settings.events,
        invitees_per_event=1,
        rate_limit=_UNLIMITED,
    ) as mock:
        # The mock's data (tens of thousands of objects) is in this process only because
        # the server is; freezing it keeps the collector from re-scanning it during each
        # client's run, as it would not if the server were remote.
        gc.freeze()
        try:
            rows = await _run_all(mock, settings, extra, log)
        finally:
            gc.unfreeze()
    return Report(rows=rows, meta=_meta(settings, mode))
