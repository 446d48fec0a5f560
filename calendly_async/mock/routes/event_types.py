"""Event types, available times, availability schedules and busy times
(reference §6.4, §6.5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from aiohttp import web

from ...models.event_types import EventType
from .._availability import available_times, busy_times
from .._context import context
from .._http import (
    bad_request,
    bool_param,
    collection,
    lookup,
    optional,
    required,
    resource,
    time_param,
    uuid_of,
)
from .._listing import check_organization, check_range, check_user, list_response
from .._paging import micros

__all__ = ["AVAILABLE_TIMES_MAX_DAYS", "BUSY_TIMES_MAX_DAYS", "routes"]

routes = web.RouteTableDef()

AVAILABLE_TIMES_MAX_DAYS = 31
"""Calendly rule: available times cover at most 31 days per request (2026-07-09 change)."""

BUSY_TIMES_MAX_DAYS = 7
"""Calendly rule: busy times cover at most 7 days per request."""

_SORT = {
    "name": lambda et: (et.name or "").lower(),
    "position": lambda et: et.position or 0,
    "created_at": lambda et: micros(et.created_at),
    "updated_at": lambda et: micros(et.updated_at),
}


def _time_range(request: web.Request) -> tuple[datetime, datetime]:
    start = time_param(request, "start_time", need=True)
    end = time_param(request, "end_time", need=True)
    if start is None or end is None:  # unreachable: need=True raises first
        raise bad_request("start_time", "is required")
    return start, end


@routes.get("/event_types")
async def list_event_types(request: web.Request) -> web.Response:
    """Event types of a user or the organization; filters ``active``, ``admin_managed``,
    ``user_availability_schedule``; sort name/position/created_at/updated_at."""
    store = context(request).store
    user, organization = optional(request, "user"), optional(request, "organization")
    # Calendly rule: one of user / organization is required.
    if user is None and organization is None:
        raise bad_request("user", "user or organization is required")
    if organization is not None:
        check_organization(store, organization)
    owner = store.uri("users", check_user(store, user)) if user is not None else None
    active = bool_param(request, "active")
    admin_managed = bool_param(request, "admin_managed")
    schedule = optional(request, "user_availability_schedule")
    if schedule is not None and user is None:
        raise bad_request("user_availability_schedule", "can only be used together with user")
    schedule_uuid = uuid_of(schedule) if schedule else None

    def load() -> Iterator[EventType]:
        for uuid, event_type in store.event_types.items():
            if event_type.deleted_at is not None:
                continue
            profile_owner = event_type.profile.owner if event_type.profile else None
            if owner is not None and profile_owner != owner:
                continue
            if active is not None and event_type.active != active:
                continue
            if admin_managed is not None and bool(event_type.admin_managed) != admin_managed:
                continue
            schedule_of = uuid_of(store.event_type_schedule.get(uuid, ""))
            if schedule_uuid is not None and schedule_of != schedule_uuid:
                continue
            yield event_type

    return list_response(request, load, _SORT, "name:asc")


@routes.get("/event_types/{uuid}")
async def get_event_type(request: web.Request) -> web.Response:
    """One event type (deleted ones too, with ``deleted_at`` set)."""
    event_type = lookup(context(request).store.event_types, request.match_info["uuid"])
    return resource(event_type)


@routes.get("/event_type_available_times")
async def list_available_times(request: web.Request) -> web.Response:
    """Open slots of an event type; ``end_time`` at most 31 days after a future ``start_time``."""
    ctx = context(request)
    event_type_uri = required(request, "event_type")
    start, end = _time_range(request)
    check_range(start, end, AVAILABLE_TIMES_MAX_DAYS, now=ctx.now())
    event_type = lookup(ctx.store.event_types, uuid_of(event_type_uri))
    return collection(available_times(ctx.store, event_type, start, end, ctx.now()))


@routes.get("/user_availability_schedules")
async def list_schedules(request: web.Request) -> web.Response:
    """Every schedule of ``user`` (no pagination; default schedule first)."""
    store = context(request).store
    user = store.uri("users", check_user(store, required(request, "user")))
    schedules = [s for s in store.schedules.values() if s.user == user]
    schedules.sort(key=lambda s: not s.default)
    return collection(schedules)


@routes.get("/user_availability_schedules/{uuid}")
async def get_schedule(request: web.Request) -> web.Response:
    """One availability schedule."""
    schedule = lookup(context(request).store.schedules, request.match_info["uuid"])
    return resource(schedule)


@routes.get("/user_busy_times")
async def list_busy_times(request: web.Request) -> web.Response:
    """Busy periods of ``user``, ascending; the range is at most 7 days from a future start."""
    ctx = context(request)
    user_uuid = check_user(ctx.store, required(request, "user"))
    start, end = _time_range(request)
    check_range(start, end, BUSY_TIMES_MAX_DAYS, now=ctx.now())
    return collection(busy_times(ctx.store, user_uuid, start, end))
