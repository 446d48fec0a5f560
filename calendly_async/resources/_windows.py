"""Fetch a long time range as capped windows, concurrently, and merge the results.

Calendly caps the range of some unpaginated lists (reference §6.4, §6.5):
``GET /event_type_available_times`` to 31 days, ``GET /user_busy_times`` to 7
days. A longer range is split with ``_params.split_window`` into consecutive
windows, fetched together, and merged in window order. An item lying on a
boundary (a slot starting exactly at a window edge, a busy period spanning two
windows) comes back twice; only its first occurrence is kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from .._params import TimeArg, parse_time, split_window

__all__ = ["fetch_windows", "time_windows"]

T = TypeVar("T")
Window = tuple[datetime, datetime]


def time_windows(start_time: TimeArg, end_time: TimeArg, max_span: timedelta) -> list[Window]:
    """Check both times (aware, ``end_time`` after ``start_time``) and split the range.

    Raises
    ------
    InvalidInputError
        A time is naive or unparsable, or the range is empty.
    """
    start = parse_time(start_time, what="start_time")
    end = parse_time(end_time, what="end_time")
    return split_window(start, end, max_span)


async def fetch_windows(
    fetch: Callable[[datetime, datetime], Awaitable[list[T]]],
    windows: Sequence[Window],
    key: Callable[[T], Hashable],
) -> list[T]:
    """Fetch every window concurrently; return the items in window order, de-duplicated.

    Parameters
    ----------
    fetch:
        Coroutine function returning the items of one ``(start, end)`` window.
    windows:
        Consecutive windows, earliest first.
    key:
        Identity of an item; a later item with the key of an earlier one is dropped.

    Raises
    ------
    CalendlyError
        The first failure of any window; the other windows' requests are cancelled.
    """
    tasks = [asyncio.ensure_future(fetch(start, end)) for start, end in windows]
    try:
        batches = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return _merge(batches, key)


def _merge(batches: Sequence[list[T]], key: Callable[[T], Hashable]) -> list[T]:
    seen: set[Hashable] = set()
    merged: list[T] = []
    for batch in batches:
        for item in batch:
            identity = key(item)
            if identity not in seen:
                seen.add(identity)
                merged.append(item)
    return merged
