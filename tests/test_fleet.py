"""Many organisations on Arq, over a real Redis and a real PostgreSQL: one worker runs
several tenants at once, each on its own client; a worker killed with SIGKILL mid-run
loses nothing (Arq runs its jobs again, they resume from their PostgreSQL checkpoints)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.worker import create_worker
from export_support import Requests, plain_listing
from postgres_support import checkpoint_events, records

from calendly_async import cli
from calendly_async.errors import InvalidInputError
from calendly_async.fleet import TenantCredentials, enqueue, job_id, wait, worker_settings
from calendly_async.mock import Faults, MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
REPO = Path(__file__).parents[1]
TENANTS_MODULE = '''
import json, os
from calendly_async.fleet import TenantCredentials

TENANTS = json.loads(os.environ["FLEET_TEST_TENANTS"])

async def credentials(tenant):
    entry = TENANTS[tenant]
    return TenantCredentials(token=entry["token"], base_url=entry["base_url"])
'''


async def _mocks(
    stack: AsyncExitStack, count: int, **options: Any
) -> tuple[list[MockCalendly], list[Requests]]:
    """``count`` mock organisations (other seeds), each with a request counter."""
    mocks, counters = [], []
    for seed in range(count):
        mock = MockCalendly(seed=40 + seed, start=START, days=10, rate_limit=1_000_000, **options)
        counters.append(Requests().install(mock))
        await stack.enter_async_context(mock)
        mocks.append(mock)
    return mocks, counters


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    yield pool
    await pool.aclose()


async def test_one_worker_runs_many_tenants_at_once_each_on_its_own_client(
    database: str, redis_url: str, redis: ArqRedis, capsys: pytest.CaptureFixture[str]
) -> None:
    async with AsyncExitStack() as stack:
        mocks, counters = await _mocks(stack, 3, events=40, invitees_per_event=1,
                                       faults=Faults(latency_ms=5))  # fmt: skip
        tenants = {f"t{i}": mock for i, mock in enumerate(mocks)}

        async def credentials(tenant: str) -> TenantCredentials:
            mock = tenants[tenant]
            return TenantCredentials(token=mock.token, base_url=mock.url)

        queued = await enqueue(redis, [(name, m.organization_uri) for name, m in tenants.items()])
        again = await enqueue(redis, [("t0", mocks[0].organization_uri)])
        assert [fresh for _, fresh in queued] == [True, True, True]
        assert again == [(job_id("t0", mocks[0].organization_uri), False)]
        settings = worker_settings(credentials, database, redis=redis_url, max_jobs=3,
                                   concurrency=2, slice_seconds=30)  # fmt: skip
        worker = create_worker(settings, burst=True, handle_signals=False, poll_delay=0.05)
        try:
            await worker.async_run()
        finally:
            await worker.close()
        results = [await wait(redis, ident, timeout=5) for ident, _ in queued]
        expected = [await plain_listing(mock) for mock in mocks]
    # The command: a finished job is not queued again; --wait prints its result.
    capsys.readouterr()
    args = ["fleet", "enqueue", "--redis", redis_url, "--wait", f"t1={mocks[1].organization_uri}"]
    assert await asyncio.to_thread(cli.main, args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"already queued: {job_id('t1', mocks[1].organization_uri)}"
    assert msgspec.json.decode(printed[1])["counts"] == results[1]["counts"]
    assert max(r["started"] for r in results) < min(r["finished"] for r in results)  # overlapped
    for result, counter, mock, (events, _) in zip(
        results, counters, mocks, expected, strict=True
    ):
        assert result["organization"] == mock.organization_uri
        assert result["counts"] == {"scheduled_events": 40, "invitees": 40}
        # Each job's own client: its requests are exactly what its tenant's server saw
        # (plain_listing's requests came after the job).
        assert result["requests"] == counter.total - _plain_listing_requests(events)
        owned = {u: r for u, r in (await records(database, "scheduled_events")).items()
                 if r["uri"] in events}  # fmt: skip
        assert owned == events
    assert len(await records(database, "scheduled_events")) == 120
    assert len(await records(database, "invitees")) == 120


def _plain_listing_requests(events: dict[str, Any]) -> int:
    """Pages ``plain_listing`` fetched: the events (100 a page), one per invitee listing."""
    return -(-len(events) // 100) + len(events)


def test_worker_settings_refuse_bad_values() -> None:
    async def credentials(tenant: str) -> TenantCredentials:
        return TenantCredentials(token="t")

    with pytest.raises(InvalidInputError, match="max_jobs"):
        worker_settings(credentials, "postgresql://x/y", max_jobs=0)
    with pytest.raises(InvalidInputError, match="job_timeout"):
        worker_settings(credentials, "postgresql://x/y", slice_seconds=10, job_timeout=5)
    settings = worker_settings(credentials, "postgresql://x/y", slice_seconds=10)
    assert settings["job_timeout"] == 70
    assert repr(TenantCredentials(token="secret-token")).count("secret") == 0


async def _start_worker(tmp_path: Path, env: dict[str, str], redis_url: str, database: str,
                        name: str) -> asyncio.subprocess.Process:  # fmt: skip
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: ASYNC230, SIM115 - the child writes it
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "calendly_async", "fleet", "worker", "--redis", redis_url,
            "--database", database, "--credentials", "fleet_tenants:credentials",
            "--max-jobs", "3", "--concurrency", "2", "--slice-seconds", "1",
            "--job-timeout", "2", env=env, stdout=log, stderr=log,
        )  # fmt: skip
    finally:
        log.close()


async def test_three_organisations_two_workers_one_killed(
    database: str, redis_url: str, redis: ArqRedis, tmp_path: Path
) -> None:
    (tmp_path / "fleet_tenants.py").write_text(TENANTS_MODULE)
    async with AsyncExitStack() as stack:
        mocks, _ = await _mocks(stack, 3, events=100, invitees_per_event=1,
                                faults=Faults(latency_ms=25))  # fmt: skip
        tenants = {f"tenant-{i}": {"token": m.token, "base_url": m.url}
                   for i, m in enumerate(mocks)}  # fmt: skip
        env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}",
               "FLEET_TEST_TENANTS": msgspec.json.encode(tenants).decode()}  # fmt: skip
        first = await _start_worker(tmp_path, env, redis_url, database, "first")
        second: asyncio.subprocess.Process | None = None
        try:
            pairs = [f"tenant-{i}={m.organization_uri}" for i, m in enumerate(mocks)]
            code = await asyncio.to_thread(
                cli.main, ["fleet", "enqueue", "--redis", redis_url, *pairs]
            )
            assert code == 0
            # Every organisation under way on the first worker, none finished: kill it.
            while await checkpoint_events(database) < 40:  # polls rows another process writes
                assert first.returncode is None, (tmp_path / "first.log").read_text()
                await asyncio.sleep(0.05)
            first.send_signal(signal.SIGKILL)
            await first.wait()
            assert await checkpoint_events(database) < 300
            second = await _start_worker(tmp_path, env, redis_url, database, "second")
            idents = [job_id(f"tenant-{i}", m.organization_uri) for i, m in enumerate(mocks)]
            results = [await wait(redis, ident, timeout=90) for ident in idents]
            expected = [await plain_listing(mock) for mock in mocks]
        finally:
            for process in (first, second):
                if process is not None and process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    await process.wait()
    assert any(r["job_try"] > 1 and r["resumed"] for r in results)
    all_events = await records(database, "scheduled_events")
    all_invitees = await records(database, "invitees")
    for result, (events, invitees) in zip(results, expected, strict=True):
        assert result["counts"] == {"scheduled_events": 100, "invitees": 100}
        assert {u: all_events[u] for u in events} == events
        assert {u: all_invitees[u] for u in invitees} == invitees
    assert len(all_events) == 300  # nothing doubled, nothing foreign
    assert len(all_invitees) == 300
    second_log = (tmp_path / "second.log").read_text()
    assert "calendly_export_organization" in second_log  # the survivor ran the jobs on
