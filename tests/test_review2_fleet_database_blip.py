"""Review: a PostgreSQL connection lost under a running job (a restart, a failover,
``pg_terminate_backend``) re-queues the job (Arq ``Retry``; it resumes from its
checkpoint) instead of failing that tenant's export for good. Real PostgreSQL: the
job's statement is held on a lock, then its backend is terminated."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from arq.worker import Retry

import calendly_async.fleet as fleet
from calendly_async.fleet import TRANSIENT_DEFER, TenantCredentials, export_organization
from calendly_async.jobs._postgres import SCHEMA_LOCK

ORG = "https://api.calendly.com/organizations/ORG1"
WAITING = (
    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
    "AND query LIKE '%pg_advisory_xact_lock%' AND pid <> pg_backend_pid()"
)


async def credentials(tenant: str) -> TenantCredentials:
    return TenantCredentials(token="token", base_url="http://127.0.0.1:9")


async def test_a_job_whose_database_connection_is_terminated_is_requeued(database: str) -> None:
    pool: Any = await asyncpg.create_pool(database, min_size=1, max_size=1)
    admin = await asyncpg.connect(database)
    try:
        await admin.execute("SELECT pg_advisory_lock($1)", SCHEMA_LOCK)
        ctx = {"calendly_fleet": fleet._Fleet(credentials, pool, 1, 60.0)}
        job = asyncio.create_task(export_organization(ctx, "tenant-1", ORG))
        for _ in range(500):  # until the job's schema statement waits on the lock
            pid = await admin.fetchval(WAITING)
            if pid is not None or job.done():
                break
            await asyncio.sleep(0.01)
        assert pid is not None
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid) is True
        with pytest.raises(Retry) as raised:
            await job
        assert raised.value.defer_score == int(TRANSIENT_DEFER * 1000)
    finally:
        await admin.close()
        pool.terminate()
