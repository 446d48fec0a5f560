"""The embedded mock in its own process, so the client's CPU time is the client's alone.

``time.process_time()`` in the benchmark process then counts only the client (and
the harness), never the server building pages; the server gets a core of its own
when the machine has one, as api.calendly.com would.

::

    python -m benchmarks._server --events 200 --invitees-per-event 100

prints one JSON line (``url``, ``token``, ``organization``, ``seconds_to_seed``) and
serves until its standard input closes. Control routes, answered before the mock's
own middlewares (no auth, no rate limit, never counted):

- ``GET /__bench__/counters``: ``{"requests": n, "429": n}`` since the last reset;
- ``POST /__bench__/reset``: zero the counters and start a fresh rate-limit window;
- ``POST /__bench__/faults?latency_ms=20``: the delay added to every answer.

``--window-seconds`` shortens the mock's rate-limit window (Calendly's is a minute,
reference §4) so a rate-limited run takes seconds; the mock reads the module
constant at every request, so setting it here is enough.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.typedefs import Handler

from ._measure import child_env

__all__ = ["ServerProcess", "start_server"]

_CONTROL = "/__bench__/"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="the mock in its own process")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--event-types", type=int, default=2)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--invitees-per-event", type=int, default=1)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--start", default=None, help="ISO start of the seeded events")
    parser.add_argument("--rate-limit", type=int, default=10**9)
    parser.add_argument("--window-seconds", type=float, default=None)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    from datetime import datetime

    from calendly_async.mock import Faults, MockCalendly, _ratelimit

    if args.window_seconds is not None:
        _ratelimit.WINDOW_SECONDS = args.window_seconds
    started = time.perf_counter()
    mock = MockCalendly(
        seed=args.seed,
        users=args.users,
        event_types=args.event_types,
        events=args.events,
        invitees_per_event=args.invitees_per_event,
        days=args.days,
        start=datetime.fromisoformat(args.start) if args.start else None,
        rate_limit=args.rate_limit,
        faults=Faults(latency_ms=args.latency_ms),
    )
    counts = {"requests": 0, "429": 0}

    async def control(request: web.Request) -> web.StreamResponse:
        name = request.path.removeprefix(_CONTROL)
        if name == "counters":
            return web.json_response(counts)
        if name == "reset" and request.method == "POST":
            counts.update(requests=0, **{"429": 0})
            mock.rate_limit = mock.rate_limit  # same budget
            limiter: Any = mock._ctx.limiter
            limiter._window_start, limiter.used = None, 0
            return web.json_response(counts)
        if name == "faults" and request.method == "POST":
            mock.faults = Faults(latency_ms=float(request.query.get("latency_ms", "0")))
            return web.json_response({"latency_ms": mock.faults.latency_ms})
        return web.json_response({"error": name}, status=404)

    @web.middleware
    async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(_CONTROL):
            return await control(request)
        counts["requests"] += 1
        response = await handler(request)
        counts["429"] += response.status == 429
        return response

    mock.app.middlewares.insert(0, count)
    async with mock:
        # The seeded data never changes shape: keep the collector off it.
        gc.collect()
        gc.freeze()
        line = {
            "url": mock.url,
            "token": mock.token,
            "organization": mock.organization_uri,
            "seconds_to_seed": time.perf_counter() - started,
        }
        print(json.dumps(line), flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes it


@dataclass
class ServerProcess:
    """A running ``benchmarks._server`` child: its URL, token and organization URI."""

    process: subprocess.Popen[str]
    url: str
    token: str
    organization: str

    async def control(self, name: str, **query: str) -> dict[str, Any]:
        """Call a control route (``counters`` is a GET, the others POSTs)."""
        method = "GET" if name == "counters" else "POST"
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, f"{self.url}{_CONTROL}{name}", params=query) as response,
        ):
            response.raise_for_status()
            result: dict[str, Any] = await response.json()
            return result

    async def set_latency(self, latency_ms: float) -> None:
        """Every answer from now on is delayed by ``latency_ms``."""
        await self.control("faults", latency_ms=str(latency_ms))

    def stop(self) -> None:
        """Close its standard input and wait for it to exit."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(**options: object) -> ServerProcess:
    """Start the mock in a child process with ``options`` (``events=200``, ...)."""
    argv = [sys.executable, "-m", "benchmarks._server"]
    for key, value in options.items():
        if value is not None:
            argv += [f"--{key.replace('_', '-')}", str(value)]
    process = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=child_env()
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait()
        raise RuntimeError(f"benchmark server exited with status {process.returncode}")
    info = json.loads(line)
    return ServerProcess(process, info["url"], info["token"], info["organization"])


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until standard input closes."""
    asyncio.run(_serve(_parse(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
