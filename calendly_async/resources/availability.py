"""``client.availability_schedules`` and ``client.busy_times`` (reference §6.5)."""

from __future__ import annotations

from datetime import datetime, timedelta

from .._identifiers import resource_uuid
from .._params import QueryValue, TimeArg
from ..errors import InvalidInputError
from ..models.availability import AvailabilitySchedule, UserBusyTime
from ._base import Resource
from ._windows import fetch_windows, time_windows

__all__ = ["BUSY_TIMES_MAX_RANGE", "AvailabilitySchedules", "BusyTimes"]

BUSY_TIMES_MAX_RANGE = timedelta(days=7)
"""Calendly rule: ``GET /user_busy_times`` covers at most 7 days per request
(reference §6.5, §9 item 8); longer ranges are split into 7-day windows."""

SCHEDULES = "user_availability_schedules"


def schedule_uuid(value: str) -> str:
    """The UUID of an availability schedule given as a UUID or URI.

    Calendly's URIs are ``.../user_availability_schedules/{uuid}``; its
    documentation examples write the singular ``user_availability_schedule``,
    which is accepted too.
    """
    try:
        return resource_uuid(value, SCHEDULES, what="availability schedule")
    except InvalidInputError:
        return resource_uuid(value, SCHEDULES[:-1], what="availability schedule")


class AvailabilitySchedules(Resource):
    """User availability schedule endpoints (read only: Calendly has no write endpoint)."""

    async def list(self, user: str) -> list[AvailabilitySchedule]:
        """Every availability schedule of ``user`` (``GET /user_availability_schedules``).

        Seed: listUserAvailabilitySchedules. Calendly returns them all at once (no
        pagination).

        Parameters
        ----------
        user:
            The user's UUID or URI.
        """
        params = {"user": self._uri(user, "users")}
        return await self._collection(f"/{SCHEDULES}", AvailabilitySchedule, params)

    async def get(self, uuid: str) -> AvailabilitySchedule:
        """One schedule by UUID or URI (``GET /user_availability_schedules/{uuid}``).

        Seed: getUserAvailabilitySchedule.
        """
        return await self._get(f"/{SCHEDULES}/{schedule_uuid(uuid)}", AvailabilitySchedule)


class BusyTimes(Resource):
    """User busy time endpoint."""

    async def list(self, user: str, start_time: TimeArg, end_time: TimeArg) -> list[UserBusyTime]:
        """The times ``user`` is busy between two times, ascending (``GET /user_busy_times``).

        Seed: listUserBusyTimes. Ranges longer than 7 days are split into 7-day
        windows fetched concurrently; a busy period spanning two windows is
        returned once. External events appear only for calendars set to "check
        for conflicts".

        Parameters
        ----------
        user:
            The user's UUID or URI.
        start_time, end_time:
            Aware datetimes or ISO-8601 strings with an offset.

        Raises
        ------
        InvalidInputError
            A time is naive or unparsable, ``end_time`` is not after
            ``start_time``, or ``user`` is malformed.
        ExternalCalendarError
            A connected calendar could not be read (424).
        """
        user_uri = self._uri(user, "users")
        windows = time_windows(start_time, end_time, BUSY_TIMES_MAX_RANGE)

        async def fetch(start: datetime, end: datetime) -> list[UserBusyTime]:
            params: dict[str, QueryValue] = {"user": user_uri, "start_time": start, "end_time": end}
            return await self._collection("/user_busy_times", UserBusyTime, params)

        return await fetch_windows(fetch, windows, _busy_key)


def _busy_key(busy: UserBusyTime) -> tuple[object, ...]:
    event = busy.event.uri if busy.event else None
    return (busy.type, busy.start_time, busy.end_time, event)
