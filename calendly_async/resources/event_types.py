"""``client.event_types``: list, get and available times (reference §6.4)."""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta

from .._params import QueryValue, TimeArg
from ..errors import InvalidInputError
from ..models.event_types import EventType, EventTypeAvailableTime
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource
from ._windows import fetch_windows, time_windows
from .availability import SCHEDULES, schedule_uuid

__all__ = ["AVAILABLE_TIMES_MAX_RANGE", "EventTypes"]

AVAILABLE_TIMES_MAX_RANGE = timedelta(days=31)
"""Calendly rule: ``GET /event_type_available_times`` covers at most 31 days per
request (7 before the 2026-07-09 change; reference §6.4); longer ranges are
split into 31-day windows."""


class EventTypes(Resource):
    """Event type endpoints."""

    def list(
        self,
        *,
        user: str | None = None,
        organization: str | None = None,
        active: bool | None = None,
        admin_managed: bool | None = None,
        sort: str | None = None,
        user_availability_schedule: str | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[EventType]:
        """Event types of a user or an organization (``GET /event_types``).

        Seed: listUserEventTypes.

        Parameters
        ----------
        user, organization:
            UUIDs or URIs; at least one is required.
        active, admin_managed:
            Only event types with this flag.
        sort:
            ``name``, ``position``, ``created_at`` or ``updated_at`` with ``:asc``
            or ``:desc`` (Calendly's default is ``name:asc``).
        user_availability_schedule:
            Only event types using this primary schedule (UUID or URI); needs ``user``.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            Neither ``user`` nor ``organization`` was given, a schedule was given
            without ``user``, an identifier is malformed, or ``count`` is out of range.
        """
        # Calendly rule: one of ``user`` / ``organization`` is required, and the
        # schedule filter only works together with ``user``.
        if user is None and organization is None:
            raise InvalidInputError("user or organization is required")
        if user_availability_schedule is not None and user is None:
            raise InvalidInputError("user_availability_schedule needs user")
        params: dict[str, QueryValue] = {
            "user": self._uri(user, "users") if user else None,
            "organization": self._uri(organization, "organizations") if organization else None,
            "active": active,
            "admin_managed": admin_managed,
            "sort": sort,
            "user_availability_schedule": self._schedule_uri(user_availability_schedule),
        }
        return self._list("/event_types", EventType, params, count=count, page_token=page_token)

    def _schedule_uri(self, value: str | None) -> str | None:
        if value is None:
            return None
        uuid = schedule_uuid(value)
        if "/" in value:
            return value.strip()
        return f"{self._transport.base_url.rstrip('/')}/{SCHEDULES}/{uuid}"

    async def get(self, uuid: str) -> EventType:
        """An event type by UUID or URI (``GET /event_types/{uuid}``). Seed: getEventType.

        Deleted event types are still returned, with ``deleted_at`` set.
        """
        return await self._get(f"/event_types/{self._uuid(uuid, 'event_types')}", EventType)

    async def available_times(
        self, event_type: str, start_time: TimeArg, end_time: TimeArg
    ) -> builtins.list[EventTypeAvailableTime]:
        """Open slots of an event type, ascending (``GET /event_type_available_times``).

        Seed: listEventTypeAvailableTimes. Ranges longer than 31 days are split
        into consecutive 31-day windows fetched concurrently and merged in order;
        a slot on a window boundary is returned once.

        Parameters
        ----------
        event_type:
            The event type's UUID or URI.
        start_time, end_time:
            Aware datetimes or ISO-8601 strings with an offset. Calendly refuses a
            ``start_time`` in the past.

        Raises
        ------
        InvalidInputError
            A time is naive or unparsable, ``end_time`` is not after
            ``start_time``, or ``event_type`` is malformed.
        """
        event_type_uri = self._uri(event_type, "event_types")
        windows = time_windows(start_time, end_time, AVAILABLE_TIMES_MAX_RANGE)

        async def fetch(start: datetime, end: datetime) -> builtins.list[EventTypeAvailableTime]:
            params: dict[str, QueryValue] = {
                "event_type": event_type_uri,
                "start_time": start,
                "end_time": end,
            }
            return await self._collection(
                "/event_type_available_times", EventTypeAvailableTime, params
            )

        return await fetch_windows(fetch, windows, _slot_key)


def _slot_key(slot: EventTypeAvailableTime) -> tuple[object, ...]:
    return (slot.start_time, slot.scheduling_url)
