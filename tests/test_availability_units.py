"""jobs.availability: slot merging, the bounded fan-out and the lookup range, without I/O;
and window-edge duplicates over an inline loopback server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from conftest import Serve

from calendly_async import Calendly, DecodeError, InvalidInputError
from calendly_async.jobs.availability import (
    busy_periods,
    default_schedule,
    lookup_range,
    merge_slots,
    open_slots,
)
from calendly_async.jobs.availability._fanout import gather_bounded
from calendly_async.models.availability import AvailabilitySchedule, UserBusyTime
from calendly_async.models.event_types import EventTypeAvailableTime

NOW = datetime(2027, 3, 10, 12, 0, 30, tzinfo=UTC)
A, B = "https://api.calendly.com/event_types/A", "https://api.calendly.com/event_types/B"


def slot(at: datetime, url: str = "u") -> EventTypeAvailableTime:
    return EventTypeAvailableTime(
        status="available", invitees_remaining=1, start_time=at, scheduling_url=url
    )


def test_merge_orders_by_start_then_event_type_and_keeps_the_first_copy() -> None:
    nine, ten = datetime(2027, 3, 11, 9, tzinfo=UTC), datetime(2027, 3, 11, 10, tzinfo=UTC)
    merged = merge_slots(
        [(B, [slot(nine, "b9"), slot(ten, "b10")]), (A, [slot(ten, "a10")]), (B, [slot(ten, "x")])]
    )
    got = [(s.start_time, s.event_type, s.scheduling_url) for s in merged]
    assert got == [(nine, B, "b9"), (ten, A, "a10"), (ten, B, "b10")]


def test_a_slot_without_start_time_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="no start_time"):
        merge_slots([(A, [EventTypeAvailableTime(status="available")])])


def test_busy_periods_prefer_the_buffered_bounds() -> None:
    at = datetime(2027, 3, 11, 9, tzinfo=UTC)
    hour = timedelta(hours=1)
    plain = UserBusyTime(type="external", start_time=at, end_time=at + hour)
    buffered = UserBusyTime(
        type="calendly",
        start_time=at,
        end_time=at + hour,
        buffered_start_time=at - hour,
        buffered_end_time=at + 2 * hour,
    )
    assert busy_periods([plain, buffered]) == [(at, at + hour), (at - hour, at + 2 * hour)]
    with pytest.raises(DecodeError, match="no start_time or end_time"):
        busy_periods([UserBusyTime(type="external", start_time=at)])


def test_the_default_schedule_is_the_marked_one_or_a_lone_one() -> None:
    first = AvailabilitySchedule(uri="s1", default=False)
    second = AvailabilitySchedule(uri="s2", default=True)
    assert default_schedule("u", [first, second]) is second
    assert default_schedule("u", [first]) is first
    with pytest.raises(DecodeError, match="no default availability schedule"):
        default_schedule("u", [first, first])
    with pytest.raises(DecodeError):
        default_schedule("u", [])


def test_lookup_range_defaults_and_moves_a_past_start() -> None:
    default = lookup_range(None, None, None, NOW)
    next_minute = datetime(2027, 3, 10, 12, 1, tzinfo=UTC)
    assert (default.start, default.end) == (next_minute, next_minute + timedelta(days=7))
    assert not default.start_moved
    past = lookup_range("2027-03-01T00:00:00+01:00", "2027-03-20T00:00:00Z", None, NOW)
    assert past.start_moved
    assert past.requested_start == datetime(2027, 2, 28, 23, tzinfo=UTC)
    assert past.start == datetime(2027, 3, 10, 12, 1, tzinfo=UTC)
    soon = lookup_range("2027-03-10T12:00:40Z", None, 1, NOW)  # ahead of now: kept as is
    assert (soon.start, soon.start_moved) == (datetime(2027, 3, 10, 12, 0, 40, tzinfo=UTC), False)
    future = lookup_range("2027-03-12T08:00:00Z", None, 2, NOW)
    assert (future.start, future.end, future.start_moved) == (
        datetime(2027, 3, 12, 8, tzinfo=UTC), datetime(2027, 3, 14, 8, tzinfo=UTC), False
    )  # fmt: skip


async def test_the_first_failure_is_raised_as_is_and_the_rest_cancelled() -> None:
    cancelled: list[int] = []
    never = asyncio.Event()

    def waiting(index: int) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            try:
                await never.wait()
            except asyncio.CancelledError:
                cancelled.append(index)
                raise
            return index

        return run

    async def failing() -> int:
        await asyncio.sleep(0)
        raise InvalidInputError("boom")

    calls = [waiting(0), waiting(1), failing, waiting(3), waiting(4)]
    with pytest.raises(InvalidInputError, match="boom"):
        await gather_bounded(calls, 3)
    assert {0, 1} <= set(cancelled)  # running when the failure came: cancelled
    assert 4 not in cancelled  # never started: the bound was 3 and one slot freed (for 3)


async def test_results_come_back_in_call_order() -> None:
    async def after(delay: int) -> int:
        await asyncio.sleep(delay / 1000)
        return delay

    calls = [lambda d=d: after(d) for d in (5, 1, 3, 0)]
    assert await gather_bounded(calls, 2) == [5, 1, 3, 0]


async def test_a_slot_on_a_window_edge_is_returned_once(serve: Serve) -> None:
    seen: list[dict[str, str]] = []
    edge = datetime(2027, 4, 10, 12, 1, tzinfo=UTC)  # start + 31 days: both windows' edge

    async def available_times(request: web.Request) -> web.Response:
        seen.append(dict(request.query))
        item: dict[str, Any] = {
            "status": "available",
            "invitees_remaining": 1,
            "start_time": edge.strftime("%Y-%m-%dT%H:%M:%S.000000Z"),
            "scheduling_url": "https://calendly.com/x",
        }
        return web.json_response({"collection": [item]})

    app = web.Application()
    app.router.add_get("/event_type_available_times", available_times)
    url = await serve(app)
    async with Calendly(token="t", base_url=url) as client:
        found = await open_slots(
            client, event_types=["ET1"], start="2027-03-01T00:00:00Z", days=45, clock=lambda: NOW
        )
    assert [s.start_time for s in found.slots] == [edge]
    assert sorted(q["start_time"] for q in seen) == [
        "2027-03-10T12:01:00.000000Z",  # the past start, moved to now: no 400
        "2027-04-10T12:01:00.000000Z",
    ]
    assert {q["event_type"] for q in seen} == {"https://api.calendly.com/event_types/ET1"}
