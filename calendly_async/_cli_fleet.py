"""``calendly-async fleet``: queue organisations' exports on Arq and run workers (thin layer).

::

    calendly-async fleet enqueue --redis redis://queue:6379 tenant-a=ORG_A tenant-b
    calendly-async fleet worker --redis redis://queue:6379 \\
        --database postgresql://app@db/calendly --credentials myapp.tenants:credentials

``--credentials MODULE:FUNCTION`` names your ``async def credentials(tenant_id) ->
TenantCredentials`` (see ``calendly_async.fleet``). Needs the ``fleet`` and
``postgres`` extras; they are imported only when a fleet command runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging.config
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from ._optional import require
from .errors import InvalidInputError

__all__ = ["add_fleet_command"]

DEFAULT_REDIS = "redis://localhost:6379"


def add_fleet_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``fleet enqueue`` and ``fleet worker`` to the command line's subcommands."""
    fleet = commands.add_parser(
        "fleet", help="export many organisations into PostgreSQL on an Arq (Redis) job queue"
    )
    actions = fleet.add_subparsers(dest="action", required=True, metavar="ACTION",
                                   help="what to do")  # fmt: skip

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--redis", default=DEFAULT_REDIS, metavar="URL",
            help="the Redis holding the queue (default: %(default)s)",
        )  # fmt: skip
        parser.add_argument(
            "--queue", default="calendly-async:export",
            help="the Arq queue name (default: %(default)s)",
        )  # fmt: skip

    enqueue = actions.add_parser("enqueue", help="queue one export per tenant")
    enqueue.add_argument(
        "tenants", nargs="+", metavar="TENANT[=ORGANIZATION]",
        help="a tenant id for your credentials function, and optionally its organisation "
        "(default: the tenant's current organisation)",
    )  # fmt: skip
    enqueue.add_argument("--since", help="ISO-8601 start (default: the first event)")
    enqueue.add_argument("--until", help="ISO-8601 end, exclusive (default: after the last)")
    enqueue.add_argument(
        "--include",
        metavar="LIST",
        help="also export event_types,memberships,routing_forms,contacts",
    )
    enqueue.add_argument(
        "--wait", action="store_true", help="wait for every job; print each result as JSON"
    )
    common(enqueue)
    enqueue.set_defaults(standalone=_one_line_redis_errors(_enqueue))

    worker = actions.add_parser("worker", help="run an Arq worker exporting queued tenants")
    worker.add_argument(
        "--database", required=True, metavar="URL", help="PostgreSQL DSN (postgresql://...)"
    )
    worker.add_argument(
        "--credentials", required=True, metavar="MODULE:FUNCTION",
        help="your async def credentials(tenant_id) -> TenantCredentials",
    )  # fmt: skip
    for flag, kind, default, what in (
        ("--max-jobs", int, 20, "tenants exported at once"),
        ("--concurrency", int, 8, "requests in flight per tenant"),
        ("--slice-seconds", float, 600.0, "work per run of a job before it is re-queued"),
        ("--job-timeout", float, None, "Arq's job timeout (default: slice + 60 s)"),
        ("--max-tries", int, 1000, "runs of one job at most"),
    ):
        shown = what if default is None else f"{what} (default: %(default)s)"
        worker.add_argument(flag, type=kind, default=default, help=shown)
    worker.add_argument(
        "--burst", action="store_true", help="stop once the queue is empty"
    )
    common(worker)
    worker.set_defaults(standalone=_one_line_redis_errors(_worker))


def _one_line_redis_errors(
    handler: Callable[[argparse.Namespace], Awaitable[int]],
) -> Callable[[argparse.Namespace], Awaitable[int]]:
    """Redis failures (no server at ``--redis``...) as the command's one-line error, exit 1.

    redis-py's errors are not ``OSError``s, so ``cli.main`` would print a traceback;
    the message names host and port only (never a password from the URL).
    """

    async def run(args: argparse.Namespace) -> int:
        try:
            return await handler(args)
        except Exception as exc:
            redis_errors = sys.modules.get("redis.exceptions")
            if redis_errors is not None and isinstance(exc, redis_errors.RedisError):
                raise ConnectionError(f"redis: {exc}") from None
            raise

    return run


def _tenants(values: list[str]) -> list[tuple[str, str | None]]:
    pairs = []
    for value in values:
        tenant, _, organization = value.partition("=")
        if not tenant:
            raise InvalidInputError(f"tenant {value!r} must look like TENANT or TENANT=ORG")
        pairs.append((tenant, organization or None))
    return pairs


async def _enqueue(args: argparse.Namespace) -> int:
    fleet = require("calendly_async.fleet", "fleet", "calendly-async fleet")
    connections = importlib.import_module("arq.connections")
    redis = await connections.create_pool(connections.RedisSettings.from_dsn(args.redis))
    failed = 0
    try:
        queued = await fleet.enqueue(
            redis, _tenants(args.tenants), since=args.since, until=args.until,
            include=args.include, queue=args.queue,
        )  # fmt: skip
        for ident, fresh in queued:
            print(f"{'queued' if fresh else 'already queued'}: {ident}", flush=True)
        if args.wait:
            for ident, _ in queued:
                try:
                    result = await fleet.wait(redis, ident, queue=args.queue)
                except Exception as exc:
                    failed += 1
                    print(f"failed: {ident}: {type(exc).__name__}: {exc}", file=sys.stderr)
                else:
                    sys.stdout.write(msgspec.json.encode(result).decode() + "\n")
                    sys.stdout.flush()
    finally:
        await redis.aclose()
    return 1 if failed else 0


def _provider(spec: str) -> Any:
    module, _, name = spec.partition(":")
    if not module or not name:
        raise InvalidInputError(f"--credentials {spec!r} must look like MODULE:FUNCTION")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise InvalidInputError(f"--credentials {spec}: {exc}") from None


async def _worker(args: argparse.Namespace) -> int:
    fleet = require("calendly_async.fleet", "fleet", "calendly-async fleet")
    arq_worker = importlib.import_module("arq.worker")
    arq_logs = importlib.import_module("arq.logs")
    logging.config.dictConfig(arq_logs.default_log_config(verbose=bool(args.verbose)))
    settings = fleet.worker_settings(
        _provider(args.credentials), args.database, redis=args.redis, queue=args.queue,
        max_jobs=args.max_jobs, concurrency=args.concurrency, slice_seconds=args.slice_seconds,
        job_timeout=args.job_timeout, max_tries=args.max_tries,
    )  # fmt: skip
    worker = arq_worker.create_worker(settings, burst=args.burst)
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await worker.async_run()
    finally:
        await worker.close()
    return 0
