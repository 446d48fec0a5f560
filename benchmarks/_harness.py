"""The row registry: run the issue's rows 1-8 and gather a ``Report`` with its targets.

Each row is a coroutine function taking the run's ``Context`` and returning its
``Row`` lines; ``ROWS`` maps the row number to its name and function. The
servers (the mock, each in its own process) are started on first use and shared
by the rows that need the same data.

A row plugs in by adding an entry to ``ROWS`` (and, if it has a goal, a check in
``targets``).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp

from ._availability import AVAILABILITY_FULL, AVAILABILITY_QUICK, AvailabilitySettings
from ._availability import availability_rows as _availability_rows
from ._ceiling import ceiling_rows
from ._decode import PYDANTIC_LABEL, SDK_LABEL, decode_rows, load_optional
from ._export_rows import (
    EXPORT_START,
    RateLimitSettings,
    export_peak_rss,
    export_rows,
    rate_limited_rows,
)
from ._export_rows import (
    SDK_LABEL as EXPORT_LABEL,
)
from ._measure import Row
from ._memory import memory_rows
from ._overhead import SDK as PER_REQUEST_SDK
from ._overhead import overhead_rows
from ._server import ServerProcess, start_server
from ._stream import SDK_ITEMS, stream_rows

__all__ = [
    "FULL",
    "QUICK",
    "ROWS",
    "Context",
    "Report",
    "Settings",
    "Target",
    "machine",
    "run_benchmarks",
    "targets",
]


@dataclass(frozen=True, slots=True)
class Settings:
    """Sizes and repetitions of one run (``FULL`` is the issue's; ``QUICK`` a smoke run).

    Attributes
    ----------
    runs:
        Timed, alternated rounds of every async row (the median and min-max are
        over these).
    decode_repeats, decode_min_seconds:
        Samples per decoder (row 1), and the least time one sample lasts.
    stream_invitees:
        Invitees of the one event rows 2 and 8 list (pages of 100).
    latency_ms:
        Delay the server adds to every answer where a row says so (rows 2, 4, 6).
    requests:
        Sequential ``users.me()`` calls per run (row 3).
    export_events:
        Events (one invitee each) of the export rows (row 4).
    rate_limit:
        Row 5's events, budget and (shortened) window.
    availability:
        Row 6's sizes.
    memory_pages:
        Row 7: pages of 100 invitees held; the export row exports
        ``memory_events x memory_invitees_per_event`` invitees.
    ceiling_requests:
        Requests per run of row 8.
    seed:
        The mock's data seed.
    """

    runs: int = 5
    decode_repeats: int = 7
    decode_min_seconds: float = 0.2
    stream_invitees: int = 20_000
    latency_ms: float = 20.0
    requests: int = 2_000
    export_events: int = 2_000
    rate_limit: RateLimitSettings = field(
        default_factory=lambda: RateLimitSettings(events=300, budget=50, window_seconds=1.0, runs=5)
    )
    availability: AvailabilitySettings = AVAILABILITY_FULL
    memory_pages: int = 1_000
    memory_events: int = 20_000
    memory_invitees_per_event: int = 5
    ceiling_requests: int = 2_000
    seed: int = 1


FULL = Settings()
QUICK = Settings(
    runs=3,
    decode_repeats=3,
    decode_min_seconds=0.02,
    stream_invitees=500,
    requests=200,
    export_events=10,
    rate_limit=RateLimitSettings(events=40, budget=20, window_seconds=1.0, runs=3),
    availability=replace(AVAILABILITY_QUICK, runs=3),
    memory_pages=20,
    memory_events=200,
    ceiling_requests=200,
)


@dataclass
class Context:
    """What every row gets: the settings, optional modules, peers, servers, a log."""

    settings: Settings
    log: Callable[[str], None]
    work_dir: Path
    pydantic_models: ModuleType | None = None
    pydantic_note: str = ""
    orjson: ModuleType | None = None
    orjson_note: str = ""
    peers: dict[str, str] = field(default_factory=dict)
    _servers: dict[str, ServerProcess] = field(default_factory=dict)

    def server(self, name: str) -> ServerProcess:
        """The named server (``stream``, ``export``, ``events``, ``memory``), started once."""
        if name not in self._servers:
            s = self.settings
            options: dict[str, dict[str, object]] = {
                "stream": {"events": 1, "invitees_per_event": s.stream_invitees},
                "export": {"events": s.export_events, "invitees_per_event": 1},
                "events": {"events": 100, "invitees_per_event": 1},
                "memory": {
                    "events": s.memory_events,
                    "invitees_per_event": s.memory_invitees_per_event,
                },
            }
            self.log(f"starting the {name} server ({options[name]})")
            self._servers[name] = start_server(
                seed=s.seed, start=EXPORT_START, days=30, **options[name]
            )
        return self._servers[name]

    def stop(self) -> None:
        """Stop every server started."""
        for server in self._servers.values():
            server.stop()
        self._servers.clear()


async def _first_page(server: ServerProcess, path: str, params: dict[str, str]) -> bytes:
    headers = {"Authorization": f"Bearer {server.token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(f"{server.url}{path}", params={**params, "count": "100"}) as response,
    ):
        response.raise_for_status()
        return await response.read()


async def _invitee_page(server: ServerProcess) -> bytes:
    from ._stream import first_event

    event = await first_event(server)
    return await _first_page(server, event.removeprefix(server.url) + "/invitees", {})


async def _row_decode(ctx: Context) -> list[Row]:
    # A full page of events: the export server's when it holds 100 (the full run).
    export = ctx.server("export" if ctx.settings.export_events >= 100 else "events")
    bodies = {
        "invitees": await _invitee_page(ctx.server("stream")),
        "events": await _first_page(
            export, "/scheduled_events", {"organization": export.organization}
        ),
    }
    return decode_rows(
        bodies,
        repeats=ctx.settings.decode_repeats,
        min_seconds=ctx.settings.decode_min_seconds,
        pydantic_models=ctx.pydantic_models,
        pydantic_note=ctx.pydantic_note,
        orjson=ctx.orjson,
        orjson_note=ctx.orjson_note,
    )


async def _row_stream(ctx: Context) -> list[Row]:
    latencies = (0.0, ctx.settings.latency_ms)
    return await stream_rows(ctx.server("stream"), latencies=latencies, runs=ctx.settings.runs)


async def _row_overhead(ctx: Context) -> list[Row]:
    s = ctx.settings
    return await overhead_rows(ctx.server("stream"), requests=s.requests, runs=s.runs)


async def _row_export(ctx: Context) -> list[Row]:
    s = ctx.settings
    return await export_rows(
        ctx.server("export"), peers=ctx.peers, runs=s.runs, latency_ms=s.latency_ms
    )


async def _row_rate_limited(ctx: Context) -> list[Row]:
    return await rate_limited_rows(ctx.settings.rate_limit, seed=ctx.settings.seed)


async def _row_availability(ctx: Context) -> list[Row]:
    return await _availability_rows(ctx.settings.availability, log=ctx.log)


async def _row_memory(ctx: Context) -> list[Row]:
    s = ctx.settings
    body = await _invitee_page(ctx.server("stream"))
    label = f"{EXPORT_LABEL}: {s.memory_events * s.memory_invitees_per_event:,} invitees"

    async def export() -> Any:
        return await export_peak_rss(ctx.server("memory"))

    return await memory_rows(
        body,
        pages=s.memory_pages,
        runs=s.runs,
        work_dir=ctx.work_dir,
        export=export,
        export_label=label,
        use_pydantic=ctx.pydantic_models is not None,
    )


async def _row_ceiling(ctx: Context) -> list[Row]:
    s = ctx.settings
    return await ceiling_rows(ctx.server("stream"), requests=s.ceiling_requests, runs=s.runs)


RowFunction = Callable[[Context], Awaitable[list[Row]]]

ROWS: dict[int, tuple[str, RowFunction]] = {
    1: ("decode a 100-invitee and a 100-event page", _row_decode),
    2: ("stream invitees, 0 ms and 20 ms latency", _row_stream),
    3: ("per-request overhead: sequential users.me()", _row_overhead),
    4: ("export events + invitees at 20 ms latency", _row_export),
    5: ("export under a rate limit vs the floor", _row_rate_limited),
    6: ("availability jobs vs sequential loops, 20 ms latency", _row_availability),
    7: ("memory: 100,000 invitees exported or held", _row_memory),
    8: ("the mock's own ceiling at 0 ms", _row_ceiling),
}
"""Row number -> (title, function). The issue's rows, in its order."""


@dataclass(frozen=True, slots=True)
class Target:
    """A goal of the issue, the figure measured for it, and whether it was met.

    ``met`` is ``None`` when the rows it needs were not measured in this run.
    """

    goal: str
    measured: str
    met: bool | None


@dataclass(frozen=True, slots=True)
class Report:
    """Every row of one run, its targets and what it ran on."""

    rows: list[Row]
    targets: list[Target] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


def _find(rows: Iterable[Row], benchmark: str, variant: str) -> Row | None:
    for row in rows:
        if row.benchmark == benchmark and row.variant.startswith(variant) and row.median:
            return row
    return None


def _check(
    goal: str, pairs: Sequence[tuple[str, float | None]], ok: Callable[[float], bool]
) -> Target:
    known = [(name, value) for name, value in pairs if value is not None]
    if not known or len(known) < len(pairs):
        return Target(goal, "not measured in this run", None)
    measured = ", ".join(f"{name} {value:.3g}" for name, value in known)
    return Target(goal, measured, all(ok(value) for _, value in known))


def _ratio(rows: list[Row], benchmark: str, variant: str, cpu: bool = False) -> float | None:
    row = _find(rows, benchmark, variant)
    if row is None:
        return None
    return row.cpu_ratio if cpu else row.ratio


def _speedup(rows: list[Row], benchmark: str) -> float | None:
    sdk, pydantic = _find(rows, benchmark, SDK_LABEL), _find(rows, benchmark, PYDANTIC_LABEL)
    if sdk is None or pydantic is None or not sdk.median or not pydantic.median:
        return None
    return pydantic.median / sdk.median


def targets(rows: list[Row], latency_ms: float) -> list[Target]:
    """The issue's targets, each met, missed or not measured in ``rows``."""
    slow = f"stream_{latency_ms:g}ms"
    rate = _find(rows, "export_rate_limited", EXPORT_LABEL)
    rss = _find(rows, "memory", EXPORT_LABEL)
    throttled = rate.extra.get("429s", [None])[2] if rate else None
    return [
        _check(
            "typed decode <= 0.70x msgspec-to-dicts (ratio)",
            [(page, _ratio(rows, f"decode_{page}", SDK_LABEL)) for page in ("invitees", "events")],
            lambda value: value <= 0.70,
        ),
        _check(
            "typed decode >= 5x faster than pydantic v2 (pydantic time / SDK time)",
            [(page, _speedup(rows, f"decode_{page}")) for page in ("invitees", "events")],
            lambda value: value >= 5.0,
        ),
        _check(
            "stream at 0 ms within 1.10x of raw aiohttp + msgspec into Structs (wall, CPU)",
            [
                ("wall", _ratio(rows, "stream_0ms", SDK_ITEMS)),
                ("cpu", _ratio(rows, "stream_0ms", SDK_ITEMS, cpu=True)),
            ],
            lambda value: value <= 1.10,
        ),
        _check(
            f"stream at {latency_ms:g} ms faster than the raw loop (wall ratio < 1)",
            [("wall", _ratio(rows, slow, SDK_ITEMS))],
            lambda value: value < 1.0,
        ),
        _check(
            "per-request client CPU within 1.15x of raw aiohttp + decode",
            [("cpu", _ratio(rows, "per_request", PER_REQUEST_SDK, cpu=True))],
            lambda value: value <= 1.15,
        ),
        _check(
            "rate-limited export within 1.10x of the floor",
            [("ratio", rate.ratio if rate else None)],
            lambda value: value <= 1.10,
        ),
        _check(
            "rate-limited export meets at most a handful (5) of 429s per run",
            [("most 429s", throttled)],
            lambda value: value <= 5,
        ),
        _check(
            "100,000-invitee export peak RSS under 150 MB",
            [("MB", rss.median if rss else None)],
            lambda value: value < 150,
        ),
    ]


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _load() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def machine() -> dict[str, Any]:
    """Cores, CPU model, OS, Python and the packages that matter, plus the load now."""
    packages = ("calendly-async", "aiohttp", "msgspec", "tenacity", "pydantic", "orjson")
    return {
        "cores": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "versions": {name: _version(name) for name in packages},
        "load_before": _load(),
    }


async def run_benchmarks(
    settings: Settings,
    *,
    mode: str = "full",
    rows: Sequence[int] | None = None,
    use_pydantic: bool = True,
    peers: dict[str, str] | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> Report:
    """Run the chosen rows (default: all of ``ROWS``) and gather the report.

    Parameters
    ----------
    settings:
        Sizes and repetitions (``FULL``, ``QUICK`` or custom).
    mode:
        A label stored in the report's ``meta``.
    rows:
        Row numbers to run (``None``: every row).
    use_pydantic:
        ``False`` skips the pydantic rows even when pydantic is installed.
    peers:
        Peer name (``calendly-py``) -> the Python of the venv it is installed in.
    log:
        Called with a line of progress before each row.

    Raises
    ------
    BenchmarkError
        Two variants of a benchmark decoded different item counts, or a child failed.
    """
    chosen = sorted(rows) if rows is not None else sorted(ROWS)
    meta: dict[str, Any] = {"mode": mode, **machine()}
    meta["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    pydantic_models, pydantic_note = (
        load_optional("._pydantic_models", "pydantic>=2") if use_pydantic else (None, "disabled")
    )
    orjson, orjson_note = load_optional("orjson", "orjson")
    with tempfile.TemporaryDirectory(prefix="calendly-bench-") as work:
        ctx = Context(
            settings=settings,
            log=log,
            work_dir=Path(work),
            pydantic_models=pydantic_models,
            pydantic_note=pydantic_note,
            orjson=orjson,
            orjson_note=orjson_note,
            peers=dict(peers or {}),
        )
        found: list[Row] = []
        try:
            for number in chosen:
                title, function = ROWS[number]
                log(f"row {number}: {title}")
                found += await function(ctx)
        finally:
            ctx.stop()
    meta["load_after"] = _load()
    meta["settings"] = asdict(settings)
    meta["peers"] = {name: _peer_version(name, python) for name, python in ctx.peers.items()}
    return Report(rows=found, targets=targets(found, settings.latency_ms), meta=meta)


def _peer_version(name: str, python: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"
