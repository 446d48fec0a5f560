"""``client.event_types``: list, get, available times, create and update, hosts,
event type availability and one-off event types (reference §6.4)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from .._decoding import decode_resource
from .._params import QueryValue, TimeArg, name_list
from ..errors import InvalidInputError
from ..models.availability import AvailabilityRule
from ..models.event_type_settings import (
    EventTypeAvailabilitySchedule,
    EventTypeMembership,
    OneOffDateSetting,
)
from ..models.event_types import EventType, EventTypeAvailableTime, LocationConfiguration
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource
from ._choices import AvailabilitySetting, EventTypeLocale, EventTypeSort
from ._inputs import (
    UNSET,
    Unset,
    availability_rules,
    check_bool,
    check_choice,
    check_color,
    check_duration,
    check_duration_options,
    check_name,
    check_text,
    check_timezone,
    choice_list,
    location_body,
    one_off_date_setting,
    optional,
)
from ._windows import fetch_windows, time_windows
from .availability import SCHEDULES, schedule_uuid

__all__ = ["AVAILABLE_TIMES_MAX_RANGE", "EventTypes"]

LocationArg = LocationConfiguration | Mapping[str, Any]
"""A location: a ``LocationConfiguration`` or a plain dict ``{"kind": ..., ...}``."""

MAX_ONE_OFF_NAME = 55
"""Calendly rule: a one-off event type's name is at most 55 characters."""

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
        sort: EventTypeSort | Sequence[EventTypeSort] | None = None,
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
            or ``:desc`` (Calendly's default is ``name:asc``); a list sorts by
            several (sent comma-joined).
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
            "user": optional(self._uri, user, "users"),
            "organization": optional(self._uri, organization, "organizations"),
            "active": optional(check_bool, active, "active"),
            "admin_managed": optional(check_bool, admin_managed, "admin_managed"),
            "sort": optional(choice_list, sort, EventTypeSort, "sort"),
            "user_availability_schedule": self._schedule_uri(user_availability_schedule),
        }
        return self._list("/event_types", EventType, params, count=count, page_token=page_token)

    def _schedule_uri(self, value: str | None) -> str | None:
        if value is None:
            return None
        uuid = schedule_uuid(value)
        if "/" in value:
            return value.strip()
        return self._uri(uuid, SCHEDULES, "availability schedule")

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

    async def create(
        self,
        owner: str,
        name: str,
        *,
        active: bool | None = None,
        description: str | None = None,
        duration: int | None = None,
        duration_options: Sequence[int] | None = None,
        locations: Sequence[LocationArg] | None = None,
        color: str | None = None,
        locale: EventTypeLocale | None = None,
    ) -> EventType:
        """Create a one-on-one event type (``POST /event_types``; Calendly answers 201).

        Arguments left as ``None`` are not sent (Calendly's defaults apply; a new
        event type is inactive unless ``active=True``).

        Parameters
        ----------
        owner:
            The host user's UUID or URI (admins may create for another member).
        name:
            The event type's name.
        active, description:
            Whether it can be booked, and its description.
        duration, duration_options:
            Length in minutes (1-720) and up to 4 unique choices; ``duration``
            must be one of ``duration_options`` when both are given.
        locations:
            ``LocationConfiguration`` models or dicts, each with a ``kind``.
        color:
            A hex color like ``"#1a2b3c"`` (upper-case hex is lower-cased).
        locale:
            ``de``, ``en``, ``es``, ``fr``, ``it``, ``nl``, ``pt`` or ``uk``.

        Raises
        ------
        InvalidInputError
            ``owner`` is malformed, ``name`` is blank, or a setting breaks one of
            the rules above.
        """
        settings = {
            "active": active,
            "description": description,
            "duration": duration,
            "duration_options": duration_options,
            "locations": locations,
            "color": color,
            "locale": locale,
        }
        body = {
            "owner": self._uri(owner, "users", "owner"),
            "name": check_name(name),
            **_event_type_fields({k: v for k, v in settings.items() if v is not None}),
        }
        return await self._send("POST", "/event_types", EventType, body)

    async def update(
        self,
        uuid: str,
        *,
        name: str | Unset = UNSET,
        active: bool | Unset = UNSET,
        description: str | Unset | None = UNSET,
        duration: int | Unset = UNSET,
        duration_options: Sequence[int] | Unset | None = UNSET,
        locations: Sequence[LocationArg] | Unset | None = UNSET,
        color: str | Unset = UNSET,
        locale: EventTypeLocale | Unset = UNSET,
    ) -> EventType:
        """Change a one-on-one event type (``PATCH /event_types/{uuid}``).

        Only the arguments you pass are sent; the others keep their value
        (``UNSET``, the default). ``description``, ``duration_options`` and
        ``locations`` may be ``None`` to clear them (sent as JSON ``null``).
        Calendly has no DELETE for event types: deactivate with ``active=False``.

        Parameters
        ----------
        uuid:
            The event type's UUID or URI.
        name, active, description, duration, duration_options, locations, color, locale:
            As for ``create()``.

        Raises
        ------
        InvalidInputError
            Nothing to change, ``uuid`` is malformed, ``None`` was given for a
            field that cannot be cleared, or a setting breaks a rule of ``create()``.
        """
        path = f"/event_types/{self._uuid(uuid, 'event_types')}"
        changes = {
            "name": name,
            "active": active,
            "description": description,
            "duration": duration,
            "duration_options": duration_options,
            "locations": locations,
            "color": color,
            "locale": locale,
        }
        given = {key: value for key, value in changes.items() if value is not UNSET}
        if not given:
            raise InvalidInputError("pass at least one field to update")
        for key, value in given.items():
            if value is None and key not in _NULLABLE:
                raise InvalidInputError(f"{key} cannot be cleared (None); leave it out instead")
        response = await self._transport.request("PATCH", path, json=_event_type_fields(given))
        return decode_resource(response, EventType)

    def hosts(
        self, event_type: str, *, count: int = DEFAULT_PAGE_SIZE, page_token: str | None = None
    ) -> Paginator[EventTypeMembership]:
        """The hosts of an event type (``GET /event_type_memberships``).

        Parameters
        ----------
        event_type:
            The event type's UUID or URI.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``event_type`` is malformed or ``count`` is out of range.
        """
        params = {"event_type": self._uri(event_type, "event_types")}
        return self._list(
            "/event_type_memberships",
            EventTypeMembership,
            params,
            count=count,
            page_token=page_token,
        )

    async def availability_schedules(
        self, event_type: str
    ) -> builtins.list[EventTypeAvailabilitySchedule]:
        """The availability of an event type (``GET /event_type_availability_schedules``).

        Calendly answers with a collection (one entry per schedule setting; one
        for ``availability_setting="host"``), returned here as a list.

        Raises
        ------
        InvalidInputError
            ``event_type`` is malformed.
        """
        params = {"event_type": self._uri(event_type, "event_types")}
        return await self._collection(
            "/event_type_availability_schedules", EventTypeAvailabilitySchedule, params
        )

    async def update_availability_schedule(
        self,
        event_type: str,
        *,
        timezone: str,
        rules: Sequence[AvailabilityRule | Mapping[str, Any]] | None = None,
        user: str | None = None,
        availability_setting: AvailabilitySetting | None = None,
    ) -> EventTypeAvailabilitySchedule:
        """Change an event type's availability (``PATCH /event_type_availability_schedules``).

        Calendly rule: ``rules`` **replaces every rule** of the event type; read
        them with ``availability_schedules()``, change them, send them all back.

        Parameters
        ----------
        event_type:
            The event type's UUID or URI.
        timezone:
            The IANA time zone the rules' ``"hh:mm"`` intervals are in.
        rules:
            ``AvailabilityRule`` models or dicts; ``None`` leaves the rules as they are.
        user:
            The host's UUID or URI; needed when an admin edits a member's schedule.
        availability_setting:
            ``"host"`` (Calendly's default: every host shares the schedule).

        Raises
        ------
        InvalidInputError
            An identifier is malformed, ``timezone`` is unknown, or a rule lacks
            its ``wday``/``date`` or has intervals not written ``"hh:mm"``.
        """
        params = {"event_type": self._uri(event_type, "event_types")}
        rule: dict[str, Any] = {"timezone": check_timezone(timezone)}
        if rules is not None:
            rule["rules"] = availability_rules(rules)
        if user is not None:
            rule["user"] = self._uri(user, "users")
        body: dict[str, Any] = {"availability_rule": rule}
        if availability_setting is not None:
            body["availability_setting"] = check_choice(
                availability_setting, AvailabilitySetting, "availability_setting"
            )
        response = await self._transport.request(
            "PATCH", "/event_type_availability_schedules", params=params, json=body
        )
        return decode_resource(response, EventTypeAvailabilitySchedule)

    async def create_one_off(
        self,
        name: str,
        host: str,
        duration: int,
        date_setting: OneOffDateSetting | Mapping[str, Any],
        *,
        co_hosts: Sequence[str] | None = None,
        timezone: str | None = None,
        location: LocationArg | None = None,
    ) -> EventType:
        """Create a one-off meeting (``POST /one_off_event_types``; Calendly answers 201).

        The result is an ``EventType`` with ``type="AdhocEventType"``.

        Parameters
        ----------
        name:
            At most 55 characters.
        host:
            The host user's UUID or URI.
        duration:
            Minutes, 1-720.
        date_setting:
            A ``OneOffDateSetting`` or dict: ``{"type": "date_range", "start_date",
            "end_date"}`` (less than 365 days apart), ``{"type": "days_in_future",
            "days": 0-365, "only_weekdays": bool}`` or ``{"type": "spots",
            "spots": [{"start_time", "end_time"}]}``.
        co_hosts:
            Other hosts (user UUIDs or URIs).
        timezone:
            IANA name; Calendly uses the host's when omitted.
        location:
            A ``LocationConfiguration`` or dict with a ``kind``
            (``inbound_call`` needs ``phone_number``).

        Raises
        ------
        InvalidInputError
            A rule above is broken or an identifier is malformed.
        """
        body = {
            "name": check_name(name, max_length=MAX_ONE_OFF_NAME),
            "host": self._uri(host, "users", "host"),
            "duration": check_duration(duration),
            "date_setting": one_off_date_setting(date_setting),
            "co_hosts": (
                [self._uri(u, "users", "co_host") for u in name_list(co_hosts, "co_hosts") or []]
                if co_hosts
                else None
            ),
            "timezone": optional(check_timezone, timezone),
            "location": optional(location_body, location),
        }
        return await self._send("POST", "/one_off_event_types", EventType, body)


_NULLABLE = frozenset({"description", "duration_options", "locations"})
"""Fields ``update()`` may clear with ``None`` (sent as JSON ``null``)."""


def _check_locations(value: Sequence[LocationArg]) -> builtins.list[dict[str, Any]]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise InvalidInputError("locations must be a list of LocationConfiguration or dicts")
    return [location_body(item, "every location") for item in value]


_FIELD_CHECKS: dict[str, Callable[[Any], Any]] = {
    "name": check_name,
    "active": lambda value: check_bool(value, "active"),
    "description": lambda value: check_text(value, "description"),
    "duration": check_duration,
    "duration_options": check_duration_options,
    "locations": _check_locations,
    "color": check_color,
    "locale": lambda value: check_choice(value, EventTypeLocale, "locale"),
}


def _event_type_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Check and convert event type settings (``None`` stays ``None``: JSON null).

    Calendly rule (reference §6.4): ``duration`` must be one of
    ``duration_options`` when both are given.
    """
    body = {
        key: None if value is None else _FIELD_CHECKS[key](value) for key, value in fields.items()
    }
    duration, options = body.get("duration"), body.get("duration_options")
    if duration is not None and options is not None:
        check_duration_options(options, duration)
    return body


def _slot_key(slot: EventTypeAvailableTime) -> tuple[object, ...]:
    return (slot.start_time, slot.scheduling_url)
