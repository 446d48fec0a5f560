"""How many tenants one worker process can export before its CPU, not Calendly, limits it.

Calendly budgets each user 500 requests a minute (about 8.3 a second), so one
tenant's export is paced by Calendly; a worker runs many at once. This measures
the worker side only: the embedded mock runs in its own process (its CPU is not
counted), ``--tenants`` exports run concurrently here, each on its own client (as
``calendly_async.fleet`` jobs do), into PostgreSQL (``--database``) or files.

    python -m benchmarks._fleet --tenants 8 --events 400
    python -m benchmarks._fleet --tenants 8 --database postgresql://postgres@127.0.0.1/bench

Prints CPU seconds per request and the tenants one core keeps at Calendly's pace.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from calendly_async import Calendly
from calendly_async.jobs import export

CALENDLY_PACE = 500 / 60
"""Requests a second one tenant may send (Calendly rule, reference §4: 500 a minute)."""


@dataclass(frozen=True, slots=True)
class FleetResult:
    """One measurement."""

    tenants: int
    requests: int
    records: int
    cpu_seconds: float
    wall_seconds: float

    @property
    def cpu_per_request(self) -> float:
        """Worker CPU seconds per Calendly request (fetch, decode, write)."""
        return self.cpu_seconds / max(1, self.requests)

    @property
    def tenants_per_core(self) -> float:
        """Tenants one core serves while each sends Calendly's full budget."""
        return 1 / (self.cpu_per_request * CALENDLY_PACE)


async def _start_mock(events: int) -> tuple[asyncio.subprocess.Process, dict[str, str]]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "calendly_async", "mock", "--port", "0", "--events", str(events),
        "--rate-limit", "100000000", stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    info: dict[str, str] = {}
    while "press Ctrl-C to stop" not in info:
        line = (await process.stdout.readline()).decode().strip()
        if not line:
            raise RuntimeError("the mock exited before it was ready")
        key, _, value = line.partition(": ")
        info[key if value else line] = value
        if line.startswith("Calendly mock server listening on "):
            info["url"] = line.rsplit(" ", 1)[1]
    return process, info


async def measure(tenants: int, events: int, database: str | None) -> FleetResult:
    """Run ``tenants`` exports of one mock organisation at once; CPU of this process."""
    process, info = await _start_mock(events)
    try:
        with tempfile.TemporaryDirectory() as scratch:

            async def one(index: int) -> tuple[int, int]:
                async with Calendly(token=info["token"], base_url=info["url"]) as client:
                    target = {"database": database} if database else {
                        "out": Path(scratch) / str(index), "formats": "sqlite",
                    }  # fmt: skip
                    # Another start per tenant: its own export (checkpoint row) in one database.
                    since = f"2000-01-01T00:00:00.{index:06d}Z"
                    summary = await export(
                        client, organization=info["organization"], since=since, concurrency=8,
                        **target,
                    )  # fmt: skip
                return summary.requests, sum(summary.counts.values())

            cpu, wall = time.process_time(), time.perf_counter()
            done = await asyncio.gather(*(one(i) for i in range(tenants)))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        process.terminate()
        await process.wait()
    return FleetResult(
        tenants=tenants,
        requests=sum(r for r, _ in done),
        records=sum(n for _, n in done),
        cpu_seconds=cpu,
        wall_seconds=wall,
    )


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m benchmarks._fleet``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks._fleet", description=__doc__)
    parser.add_argument("--tenants", type=int, default=8, help="exports at once (default: 8)")
    parser.add_argument("--events", type=int, default=400, help="events per org (default: 400)")
    parser.add_argument("--database", help="PostgreSQL DSN (default: SQLite files in a tmp dir)")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.tenants, args.events, args.database))
    print(
        f"{result.tenants} tenants: {result.requests} requests, {result.records} records in "
        f"{result.wall_seconds:.2f}s wall, {result.cpu_seconds:.2f}s CPU; "
        f"{result.cpu_per_request * 1000:.2f} ms CPU per request -> about "
        f"{result.tenants_per_core:.0f} tenants per core at Calendly's 500 requests/min"
    )


if __name__ == "__main__":
    main()
