"""Free time of one or many users, and the common free time of all of them.

A user is free when their default availability schedule is open (reference §8
"AvailabilityRule"; see ``_schedule``) and no busy time covers the moment.
Calendly rules (reference §6.5): ``GET /user_busy_times`` covers at most 7 days
per request from a future ``start_time`` (split with the SDK's own windowing,
``BUSY_TIMES_MAX_RANGE``); a busy time's ``buffered_start_time`` /
``buffered_end_time`` include the event's buffers and are used when present.
Every schedule and busy-time request of every user runs concurrently, bounded,
through the caller's client; the arithmetic is the pure ``_intervals`` module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import cast

from ..._identifiers import resource_uri
from ..._params import TimeArg
from ...client import Calendly
from ...errors import DecodeError, InvalidInputError
from ...models.availability import AvailabilitySchedule, UserBusyTime
from ...resources._windows import time_windows
from ...resources.availability import BUSY_TIMES_MAX_RANGE
from ._fanout import DEFAULT_CONCURRENCY, check_concurrency, gather_bounded, log_moved_start
from ._intervals import Interval, at_least, intersect_all, normalize, subtract
from ._range import LookupRange, lookup_range, utc_now
from ._schedule import open_periods

__all__ = ["FreeTime", "UserFreeTime", "busy_periods", "default_schedule", "free_time"]

_Answer = list[AvailabilitySchedule] | list[UserBusyTime]


@dataclass(frozen=True, slots=True)
class UserFreeTime:
    """One user's free time within the looked-up range.

    Attributes
    ----------
    user:
        The user's URI.
    schedule:
        Their default availability schedule (rules and timezone).
    open:
        When the schedule is open (before busy times are taken out).
    busy:
        Their busy periods (buffered bounds when present), merged.
    free:
        ``open`` minus ``busy``: every free period, however short.
    """

    user: str
    schedule: AvailabilitySchedule
    open: list[Interval]
    busy: list[Interval]
    free: list[Interval]

    @property
    def timezone(self) -> str | None:
        """The schedule's IANA timezone."""
        return self.schedule.timezone


@dataclass(frozen=True, slots=True)
class FreeTime:
    """The result of ``free_time``.

    Attributes
    ----------
    intervals:
        The maximal periods when every user is free, each at least
        ``min_duration`` long, in order (aware UTC, half-open).
    users:
        Each user's own free time, in the order given.
    min_duration:
        The shortest period kept in ``intervals``.
    range:
        What was fetched; ``range.start_moved`` says a past ``start`` became now.
    requests:
        How many requests were sent.
    """

    intervals: list[Interval]
    users: list[UserFreeTime]
    min_duration: timedelta
    range: LookupRange
    requests: int


def default_schedule(user: str, schedules: Sequence[AvailabilitySchedule]) -> AvailabilitySchedule:
    """The schedule marked ``default`` (a lone schedule counts as the default).

    Raises
    ------
    DecodeError
        No schedule, or several and none marked default.
    """
    marked = [schedule for schedule in schedules if schedule.default]
    if marked:
        return marked[0]
    if len(schedules) == 1:
        return schedules[0]
    raise DecodeError(f"user {user} has no default availability schedule")


def busy_periods(busy: Sequence[UserBusyTime]) -> list[Interval]:
    """Busy times as periods, buffers included when Calendly gives them.

    Raises
    ------
    DecodeError
        A busy time has no ``start_time`` or ``end_time``.
    """
    periods = []
    for item in busy:
        start = item.buffered_start_time or item.start_time
        end = item.buffered_end_time or item.end_time
        if start is None or end is None:
            raise DecodeError("a user busy time has no start_time or end_time")
        periods.append(Interval(start, end))
    return periods


def _check_users(users: Sequence[str]) -> list[str]:
    if isinstance(users, str) or not users:
        raise InvalidInputError("users must be a non-empty list of UUIDs or URIs")
    return list(dict.fromkeys(resource_uri(user, "users") for user in users))


def _check_duration(value: timedelta) -> timedelta:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InvalidInputError(f"min_duration must be a timedelta >= 0, not {value!r}")
    return value


async def free_time(
    client: Calendly,
    users: Sequence[str],
    *,
    min_duration: timedelta = timedelta(0),
    start: TimeArg | None = None,
    end: TimeArg | None = None,
    days: int | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    clock: Callable[[], datetime] = utc_now,
) -> FreeTime:
    """Free time of each user and the common free time of all, over any range::

        found = await free_time(client, [alice, bob], min_duration=timedelta(minutes=30))
        for period in found.intervals:
            print(period.start, period.end)

    Parameters
    ----------
    client:
        The client every request goes through (its rate-limit budget is shared).
    users:
        User UUIDs or URIs (one or more).
    min_duration:
        The shortest common period to report.
    start, end, days, max_concurrency, clock:
        As for ``open_slots``: the range (a past ``start`` is moved to now),
        requests in flight at once, and the current time.

    Raises
    ------
    InvalidInputError
        No users, a malformed identifier, a negative ``min_duration`` or a bad range.
    DecodeError
        A user has no default schedule, or a schedule or busy time is malformed.
    CalendlyError
        The first request that failed (the others are cancelled).
    """
    limit = check_concurrency(max_concurrency)
    duration = _check_duration(min_duration)
    uris = _check_users(users)
    span = lookup_range(start, end, days, clock())
    windows = time_windows(span.start, span.end, BUSY_TIMES_MAX_RANGE)
    # One pool for every request of every user: schedules and busy-time windows alike.
    calls: list[Callable[[], Awaitable[_Answer]]] = [
        partial(client.availability_schedules.list, uri) for uri in uris
    ]
    calls += [
        partial(client.busy_times.list, uri, first, last) for uri in uris for first, last in windows
    ]
    log_moved_start(span)
    answers = await gather_bounded(calls, limit)
    schedules = cast(list[list[AvailabilitySchedule]], answers[: len(uris)])
    busy = cast(list[list[UserBusyTime]], answers[len(uris) :])
    people = []
    for index, uri in enumerate(uris):
        schedule = default_schedule(uri, schedules[index])
        opened = open_periods(schedule.rules, schedule.timezone, span.start, span.end)
        own = busy[index * len(windows) : (index + 1) * len(windows)]
        blocked = normalize(busy_periods([item for window in own for item in window]))
        people.append(UserFreeTime(uri, schedule, opened, blocked, subtract(opened, blocked)))
    return FreeTime(
        intervals=at_least(intersect_all([person.free for person in people]), duration),
        users=people,
        min_duration=duration,
        range=span,
        requests=len(calls),
    )
