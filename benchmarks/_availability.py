"""Row 6, ``avail_slots`` and ``avail_free``: the ``calendly_async.jobs.availability``
lookups against a sequential loop doing the same requests and the same arithmetic,
with the mock (in its own process, ``_server``) adding 20 ms to every answer.

- ``avail_slots``: open slots of 20 event types over 60 days (Calendly rule,
  reference §6.4: 31-day windows, so 40 requests);
- ``avail_free``: the common free time of 10 users over 4 weeks (reference
  §6.5: a schedule and four 7-day busy-time windows per user, 50 requests).

The baseline calls the SDK one request at a time (so its floor is requests x
latency); the job rows run them concurrently through one client, at the default
``max_concurrency`` and at a wider one. Items are slots,
or free periods (every user's plus the common ones): both variants must agree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from calendly_async import Calendly
from calendly_async.jobs.availability import (
    DEFAULT_CONCURRENCY,
    at_least,
    busy_periods,
    default_schedule,
    free_time,
    intersect_all,
    merge_slots,
    open_periods,
    open_slots,
    subtract,
)
from calendly_async.models.event_types import EventTypeAvailableTime
from calendly_async.resources._windows import time_windows
from calendly_async.resources.availability import BUSY_TIMES_MAX_RANGE
from calendly_async.resources.event_types import AVAILABLE_TIMES_MAX_RANGE

from ._measure import AsyncVariant, Row, compare, measure_async
from ._server import start_server

__all__ = [
    "AVAILABILITY_FULL",
    "AVAILABILITY_QUICK",
    "SEQUENTIAL",
    "AvailabilitySettings",
    "availability_rows",
]

SEQUENTIAL = "sequential loop of SDK calls"
"""The baseline's label: the same requests one at a time, the same arithmetic."""


@dataclass(frozen=True, slots=True)
class AvailabilitySettings:
    """Sizes of the availability benchmarks (all users are in ``avail_free``; their
    event types, ``event_types_per_user`` each, in ``avail_slots``).

    ``slot_days`` and ``free_weeks`` are the two ranges, ``events`` the mock's
    scheduled events (the users' busy times), ``latency_ms`` the delay the mock adds
    to each answer, ``concurrency`` the wider job rows' ``max_concurrency``, ``runs``
    the timed rounds after one warm-up, ``seed`` the mock's data seed.
    """

    users: int = 10
    event_types_per_user: int = 2
    slot_days: int = 60
    free_weeks: int = 4
    events: int = 600
    latency_ms: float = 20.0
    concurrency: int = 32
    runs: int = 5
    seed: int = 1


AVAILABILITY_FULL = AvailabilitySettings()
AVAILABILITY_QUICK = AvailabilitySettings(users=4, slot_days=40, free_weeks=2, runs=3)


async def slots_sequential(
    client: Calendly, event_types: Sequence[str], start: datetime, end: datetime
) -> int:
    """Every (event type, 31-day window) request one after another; the merged slot count."""
    batches: list[tuple[str, list[EventTypeAvailableTime]]] = []
    for event_type in event_types:
        for first, last in time_windows(start, end, AVAILABLE_TIMES_MAX_RANGE):
            batches.append(
                (event_type, await client.event_types.available_times(event_type, first, last))
            )
    return len(merge_slots(batches))


async def free_sequential(
    client: Calendly, users: Sequence[str], start: datetime, end: datetime, shortest: timedelta
) -> int:
    """Each user's schedule and 7-day busy windows one request at a time; free periods."""
    frees = []
    for user in users:
        schedule = default_schedule(user, await client.availability_schedules.list(user))
        busy = []
        for first, last in time_windows(start, end, BUSY_TIMES_MAX_RANGE):
            busy += await client.busy_times.list(user, first, last)
        opened = open_periods(schedule.rules, schedule.timezone, start, end)
        frees.append(subtract(opened, busy_periods(busy)))
    common = at_least(intersect_all(frees), shortest)
    return sum(len(free) for free in frees) + len(common)


def _variants(
    client: Calendly,
    event_types: Sequence[str],
    users: Sequence[str],
    settings: AvailabilitySettings,
    start: datetime,
) -> tuple[list[AsyncVariant], list[AsyncVariant]]:
    slots_end = start + timedelta(days=settings.slot_days)
    free_end = start + timedelta(weeks=settings.free_weeks)
    shortest = timedelta(minutes=30)

    def now() -> datetime:
        return start

    def slots_job(limit: int) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            found = await open_slots(
                client, event_types=event_types, start=start, end=slots_end,
                max_concurrency=limit, clock=now,
            )  # fmt: skip
            return len(found.slots)

        return run

    def free_job(limit: int) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            found = await free_time(
                client, users, min_duration=shortest, start=start, end=free_end,
                max_concurrency=limit, clock=now,
            )  # fmt: skip
            return sum(len(person.free) for person in found.users) + len(found.intervals)

        return run

    async def slots_loop() -> int:
        return await slots_sequential(client, event_types, start, slots_end)

    async def free_loop() -> int:
        return await free_sequential(client, users, start, free_end, shortest)

    limits = (DEFAULT_CONCURRENCY, settings.concurrency)
    slots: list[AsyncVariant] = [(SEQUENTIAL, slots_loop)]
    slots += [(f"jobs open_slots, max_concurrency={n}", slots_job(n)) for n in limits]
    free: list[AsyncVariant] = [(SEQUENTIAL, free_loop)]
    free += [(f"jobs free_time, max_concurrency={n}", free_job(n)) for n in limits]
    return slots, free


async def availability_rows(
    settings: AvailabilitySettings, log: Callable[[str], None] = lambda message: None
) -> list[Row]:
    """Start a mock with ``settings`` and time both lookups against their sequential loops."""
    with start_server(
        seed=settings.seed,
        users=settings.users,
        event_types=settings.event_types_per_user,
        events=settings.events,
        invitees_per_event=1,
        latency_ms=settings.latency_ms,
    ) as server:
        async with Calendly(token=server.token, base_url=server.url) as client:
            rows = await _time_both(client, server.organization, settings, log)
    return rows


async def _time_both(
    client: Calendly, organization: str, settings: AvailabilitySettings, log: Callable[[str], None]
) -> list[Row]:
    listed = await client.event_types.list(organization=organization).collect()
    event_types = [et.uri for et in listed if et.active]
    members = await client.organization_memberships.list(organization=organization).collect()
    users = [member.user.uri for member in members if member.user is not None]
    # Calendly refuses a start in the past; ten minutes ahead stays in the future.
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=10)
    slot_variants, free_variants = _variants(client, event_types, users, settings, start)
    note = f"mock adds {settings.latency_ms:g} ms per answer"
    log(f"avail_slots: {len(event_types)} event types x {settings.slot_days} days")
    slots = await measure_async(slot_variants, runs=settings.runs)
    rows = compare(6, "avail_slots", slots, note)
    log(f"avail_free: {len(users)} users x {settings.free_weeks} weeks")
    rows += compare(6, "avail_free", await measure_async(free_variants, runs=settings.runs), note)
    return rows
