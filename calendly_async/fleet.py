"""Export many organisations into PostgreSQL on Arq, a Redis job queue for asyncio.

The ``fleet`` extra (``arq``; the export itself needs the ``postgres`` extra).
Who does what:

- **Your app enqueues** one job per tenant (``await enqueue(redis, [(tenant, org)])``
  or ``calendly-async fleet enqueue``); the job id is the export's identity, so a
  tenant already queued or running is not queued twice.
- **Workers** (``calendly-async fleet worker``, or ``arq`` with ``worker_settings``)
  run many tenants' jobs at once (``max_jobs``), each with its own ``Calendly``
  client: its own rate-limit state and budget (Calendly budgets per user).
- **Tokens come from your code**: ``credentials(tenant_id)`` is an async function
  you supply; it loads that tenant's token (or ``OAuth2`` with an ``on_token``
  that persists every rotation) and returns ``TenantCredentials``.
- **Checkpoints live in PostgreSQL** next to the rows: a job whose worker died
  (``kill -9``, a lost machine) is run again by Arq once its in-progress key
  expires (``job_timeout`` + 10 s) and resumes from the row, on any worker.

A job works for ``slice_seconds`` at most, then asks Arq to run it again
(``Retry``) and continues from its checkpoint; so ``job_timeout`` stays short
(a dead worker's job is picked up again within ``job_timeout + 10`` seconds)
however long an organisation's export takes.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ._optional import MissingDependencyError, require
from .auth import OAuth2
from .client import Calendly
from .errors import InvalidInputError, RateLimitError, ServerError, TransportError
from .jobs import export
from .jobs._postgres import BAD_URL, export_key

try:
    from arq.connections import ArqRedis, RedisSettings, create_pool
    from arq.jobs import Job
    from arq.worker import Retry, func
except ImportError:  # pragma: no cover - depends on the environment
    raise MissingDependencyError(
        "calendly_async.fleet needs arq: pip install 'calendly-async[fleet]'"
    ) from None

__all__ = [
    "DEFAULT_QUEUE",
    "FUNCTION",
    "CredentialsProvider",
    "TenantCredentials",
    "enqueue",
    "export_organization",
    "job_id",
    "wait",
    "worker_settings",
]

FUNCTION = "calendly_export_organization"
"""The Arq function name of the export task."""

DEFAULT_QUEUE = "calendly-async:export"
"""The Arq queue the fleet uses unless told otherwise."""

TRANSIENT_DEFER = 30.0
"""Seconds before a job that failed on a transient error (beyond every retry) runs again."""


@dataclass(frozen=True, slots=True)
class TenantCredentials:
    """How to reach Calendly for one tenant: a token, or ``OAuth2`` (exactly one)."""

    token: str | None = None
    oauth: OAuth2 | None = None
    base_url: str | None = None

    def __repr__(self) -> str:  # never the token
        kind = "oauth" if self.oauth is not None else "token"
        return f"TenantCredentials({kind}, base_url={self.base_url!r})"


CredentialsProvider = Callable[[str], Awaitable[TenantCredentials]]
"""``async def credentials(tenant_id: str) -> TenantCredentials``."""


def job_id(
    tenant: str, organization: str | None, since: str | None = None, until: str | None = None
) -> str:
    """The Arq job id of one tenant's export: the same export is never queued twice."""
    return "|".join(("calendly-export", tenant, organization or "", since or "", until or ""))


@dataclass(frozen=True, slots=True)
class _Fleet:
    credentials: CredentialsProvider
    pool: Any
    concurrency: int
    slice_seconds: float


def _transient(error: BaseException) -> bool:
    if isinstance(error, TransportError | ServerError | RateLimitError | ConnectionError):
        return True
    return _database_blip(error)


def _database_blip(error: BaseException) -> bool:
    """PostgreSQL lost the connection, is shutting down, is out of connections, or
    rolled back a deadlock: the next run (from the checkpoint) may well succeed."""
    errors = sys.modules.get("asyncpg.exceptions")
    if errors is None:
        return False
    if isinstance(error, errors.InterfaceError) and error.__context__ is not None:
        error = error.__context__  # a lost connection, masked by the transaction's exit
    return isinstance(error, (
        errors.PostgresConnectionError, errors.OperatorInterventionError,
        errors.InsufficientResourcesError, errors.TransactionRollbackError,
    ))  # fmt: skip


async def export_organization(
    ctx: dict[str, Any],
    tenant: str,
    organization: str | None = None,
    since: str | None = None,
    until: str | None = None,
    include: str | None = None,
) -> dict[str, Any]:
    """The Arq task: export one tenant's organisation into PostgreSQL (resuming).

    Runs for the worker's ``slice_seconds`` at most, then raises ``Retry`` so Arq
    runs it again (from its checkpoint). Returns a summary: counts, requests,
    429s, whether it resumed, and the Arq try number.
    """
    fleet: _Fleet = ctx["calendly_fleet"]
    started = time.time()
    credentials = await fleet.credentials(tenant)
    if not isinstance(credentials, TenantCredentials):  # never its value: maybe a token
        raise InvalidInputError(
            f"credentials({tenant!r}) returned {type(credentials).__name__}, not TenantCredentials"
        )
    async with Calendly(
        token=credentials.token, oauth=credentials.oauth, base_url=credentials.base_url
    ) as client:
        org = organization
        deadline = asyncio.timeout(fleet.slice_seconds)
        try:
            async with deadline:  # the slice counts GET /users/me too: Arq's timeout is near
                if org is None:
                    org = (await client.users.me()).current_organization
                    if not org:
                        raise InvalidInputError(f"tenant {tenant} has no organization")
                summary = await export(
                    client, database=fleet.pool, organization=org, since=since, until=until,
                    include=include, concurrency=fleet.concurrency, resume=True,
                )  # fmt: skip
        except Exception as exc:
            # ReadTimeout and ConnectTimeout are TimeoutErrors too: transient, not the slice.
            if _transient(exc):
                raise Retry(defer=TRANSIENT_DEFER) from exc
            if isinstance(exc, TimeoutError) and deadline.expired():
                raise Retry(defer=0) from None  # the next slice continues from the checkpoint
            raise
    return {
        "tenant": tenant,
        "organization": org,
        "key": export_key(org, None, since, until),
        "counts": summary.counts,
        "requests": summary.requests,
        "rate_limited": summary.rate_limited,
        "resumed": summary.resumed,
        "job_try": ctx.get("job_try", 1),
        "started": started,
        "finished": time.time(),
    }


def worker_settings(
    credentials: CredentialsProvider,
    database: str,
    *,
    redis: str = "redis://localhost:6379",
    queue: str = DEFAULT_QUEUE,
    max_jobs: int = 20,
    concurrency: int = 8,
    slice_seconds: float = 600.0,
    job_timeout: float | None = None,
    max_tries: int = 1000,
    keep_result: float = 3600.0,
    pool_size: int = 10,
) -> dict[str, Any]:
    """Arq ``WorkerSettings`` (a dict) that run ``export_organization``::

        # myapp/worker.py
        WorkerSettings = worker_settings(load_tenant_credentials, "postgresql://...")
        # then: arq myapp.worker.WorkerSettings

    Parameters
    ----------
    credentials:
        ``async def (tenant_id) -> TenantCredentials``.
    database:
        The PostgreSQL DSN; one ``asyncpg`` pool (``pool_size`` connections) per worker.
    redis, queue:
        Where the jobs are.
    max_jobs:
        Tenants exported at once by one worker.
    concurrency:
        Requests in flight per tenant.
    slice_seconds, job_timeout:
        A job works this long, then is re-queued; Arq's timeout (default
        ``slice_seconds + 60``) must be longer. A killed worker's jobs run again
        ``job_timeout + 10`` seconds after they started.
    max_tries:
        Runs of one job at most (slices, retries after a worker died or a
        transient failure).
    keep_result:
        Seconds a finished job's result is kept (an identical job cannot be
        queued meanwhile).
    """
    for name, value in (("max_jobs", max_jobs), ("concurrency", concurrency),
                        ("max_tries", max_tries), ("pool_size", pool_size)):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInputError(f"{name} must be a positive integer, not {value!r}")
    if not slice_seconds > 0:
        raise InvalidInputError(f"slice_seconds must be positive, not {slice_seconds!r}")
    timeout = job_timeout if job_timeout is not None else slice_seconds + 60.0
    if timeout <= slice_seconds:
        raise InvalidInputError("job_timeout must be longer than slice_seconds")

    async def startup(ctx: dict[str, Any]) -> None:
        asyncpg = require("asyncpg", "postgres", "the fleet worker")
        try:
            pool = await asyncpg.create_pool(database, min_size=1, max_size=pool_size)
        except ValueError:  # the URL did not parse; its text may quote the password
            raise InvalidInputError(BAD_URL) from None
        ctx["calendly_fleet"] = _Fleet(credentials, pool, concurrency, slice_seconds)

    async def shutdown(ctx: dict[str, Any]) -> None:
        fleet: _Fleet | None = ctx.get("calendly_fleet")
        if fleet is not None:
            await fleet.pool.close()

    return {
        "functions": [
            func(export_organization, name=FUNCTION, max_tries=max_tries, timeout=timeout)
        ],
        "redis_settings": RedisSettings.from_dsn(redis),
        "queue_name": queue,
        "max_jobs": max_jobs,
        "job_timeout": timeout,
        "keep_result": keep_result,
        "max_tries": max_tries,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "health_check_interval": max(1.0, min(60.0, slice_seconds)),
    }


async def enqueue(
    redis: ArqRedis | str,
    tenants: Sequence[tuple[str, str | None]],
    *,
    since: str | None = None,
    until: str | None = None,
    include: str | None = None,
    queue: str = DEFAULT_QUEUE,
) -> list[tuple[str, bool]]:
    """Queue one export per ``(tenant, organization)``; ``(job id, queued)`` for each
    (``queued`` false: that export is already queued, running or just finished)."""
    pool = await create_pool(RedisSettings.from_dsn(redis)) if isinstance(redis, str) else redis
    try:
        results = []
        for tenant, organization in tenants:
            ident = job_id(tenant, organization, since, until)
            job = await pool.enqueue_job(
                FUNCTION, tenant, organization, since, until, include,
                _job_id=ident, _queue_name=queue,
            )  # fmt: skip
            results.append((ident, job is not None))
        return results
    finally:
        if isinstance(redis, str):
            with contextlib.suppress(Exception):
                await pool.aclose()


async def wait(
    redis: ArqRedis, ident: str, *, timeout: float | None = None, queue: str = DEFAULT_QUEUE
) -> Any:
    """The result of job ``ident`` once it finished (its exception re-raised if it failed)."""
    return await Job(ident, redis, _queue_name=queue).result(timeout=timeout, poll_delay=0.2)
