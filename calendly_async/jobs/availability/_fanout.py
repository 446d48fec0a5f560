"""The thin I/O layer of the lookups: many requests at once, bounded, first failure wins.

Every request goes through the caller's one ``Calendly`` client, so they share
its connection pool and its rate-limit gate (Calendly rule, reference §4: the
budget is per user/token, not per request stream).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from ...errors import InvalidInputError
from ._range import LookupRange

__all__ = ["DEFAULT_CONCURRENCY", "check_concurrency", "gather_bounded", "log_moved_start"]

T = TypeVar("T")

DEFAULT_CONCURRENCY = 8
"""Requests a lookup keeps in flight at once unless told otherwise."""

logger = logging.getLogger("calendly_async.jobs")


def check_concurrency(value: int) -> int:
    """Refuse a ``max_concurrency`` that is not a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"max_concurrency must be a positive integer, not {value!r}")
    return value


def log_moved_start(span: LookupRange) -> None:
    """Log a warning when the lookup's start was in the past and moved to now."""
    if span.start_moved:
        logger.warning(
            "start %s is in the past (Calendly refuses it); moved to now, %s",
            span.requested_start.isoformat(),
            span.start.isoformat(),
        )


async def gather_bounded(calls: Sequence[Callable[[], Awaitable[T]]], limit: int) -> list[T]:
    """Run every call with at most ``limit`` in flight; the results in call order.

    The first failure is raised as it is (not wrapped in an ``ExceptionGroup``)
    and the calls still running or waiting are cancelled.
    """
    gate = asyncio.Semaphore(limit)

    async def bounded(call: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await call()

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(bounded(call)) for call in calls]
    except BaseExceptionGroup as failures:
        raise failures.exceptions[0] from None
    return [task.result() for task in tasks]
