"""Event type hosts and event type availability (reference §6.4).

Calendly rules: ``GET /event_type_memberships?event_type=`` lists the hosts as
``{uri, event_type, member, created_at, updated_at}``, paginated.
``GET /event_type_availability_schedules?event_type=`` answers ``{collection:
[{event_type, availability_setting, availability_rule: {timezone, uri, name,
user, rules}}], pagination}``; ``PATCH`` with the same query takes
``availability_rule`` (``timezone`` required; ``rules`` replace every rule) and
``availability_setting`` (``host``) and answers ``{resource: ...}``.

The mock gives an event type its own copy of the schedule on the first PATCH
(``user`` null, so it is not listed among the host's own schedules); available
times follow it from then on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from aiohttp import web

from ...models.availability import AvailabilityRule, AvailabilitySchedule
from ...models.event_type_settings import (
    EventTypeAvailabilityRules,
    EventTypeAvailabilitySchedule,
    EventTypeMembership,
)
from ...models.event_types import EventType
from .._context import context
from .._http import (
    bad_request,
    json_body,
    json_response,
    lookup,
    required,
    resource,
    uuid_of,
)
from .._listing import check_user, list_response
from .._paging import micros
from .._store import Store

__all__ = ["routes"]

routes = web.RouteTableDef()

_CREATED = {"created_at": lambda item: micros(item.created_at)}


def _event_type(store: Store, uri: str) -> tuple[str, EventType]:
    uuid = uuid_of(uri)
    event_type = lookup(store.event_types, uuid)
    return uuid, event_type


def _host(event_type: EventType) -> str | None:
    return event_type.profile.owner if event_type.profile else None


@routes.get("/event_type_memberships")
async def list_hosts(request: web.Request) -> web.Response:
    """The hosts of an event type (``event_type`` is required)."""
    store = context(request).store
    uuid, event_type = _event_type(store, required(request, "event_type"))
    host = store.users.get(uuid_of(_host(event_type) or ""))

    def load() -> Iterator[EventTypeMembership]:
        if host is None:
            return
        yield EventTypeMembership(
            uri=store.uri("event_type_memberships", uuid),
            event_type=event_type,
            member=host,
            created_at=event_type.created_at,
            updated_at=event_type.updated_at,
        )

    return list_response(request, load, _CREATED, "created_at:asc")


def _view(event_type: EventType, schedule: AvailabilitySchedule) -> EventTypeAvailabilitySchedule:
    return EventTypeAvailabilitySchedule(
        event_type=event_type.uri,
        availability_setting="host",
        availability_rule=EventTypeAvailabilityRules(
            uri=schedule.uri,
            name=schedule.name,
            user=_host(event_type),
            timezone=schedule.timezone,
            rules=schedule.rules,
        ),
    )


def _schedule(store: Store, uuid: str) -> AvailabilitySchedule | None:
    return store.schedules.get(uuid_of(store.event_type_schedule.get(uuid, "")))


@routes.get("/event_type_availability_schedules")
async def list_availability(request: web.Request) -> web.Response:
    """The event type's schedule (a one-item collection with an empty pagination)."""
    store = context(request).store
    uuid, event_type = _event_type(store, required(request, "event_type"))
    schedule = _schedule(store, uuid)
    items = [] if schedule is None else [_view(event_type, schedule)]
    pagination = {
        "count": len(items),
        "next_page": None,
        "previous_page": None,
        "next_page_token": None,
        "previous_page_token": None,
    }
    return json_response({"collection": items, "pagination": pagination})


def _rules(value: object) -> list[AvailabilityRule]:
    try:
        rules = msgspec.convert(value, list[AvailabilityRule])
    except msgspec.ValidationError as exc:
        raise bad_request("availability_rule", str(exc)) from None
    for rule in rules:
        if rule.type == "wday" and not rule.wday:
            raise bad_request("availability_rule", "a wday rule needs wday")
        if rule.type == "date" and rule.date is None:
            raise bad_request("availability_rule", "a date rule needs date")
        if rule.type not in ("wday", "date"):
            raise bad_request("availability_rule", "rule type must be wday or date")
        for interval in rule.intervals:
            if not all(isinstance(t, str) and _is_clock(t) for t in (interval.from_, interval.to_)):
                raise bad_request("availability_rule", "intervals must be hh:mm")
    return rules


def _is_clock(text: str) -> bool:
    hours, _, minutes = text.partition(":")
    return len(hours) == 2 and len(minutes) == 2 and (hours + minutes).isdigit()


def _timezone(rule: dict[str, Any]) -> str:
    timezone = rule.get("timezone")
    if not isinstance(timezone, str) or not timezone.strip():
        raise bad_request("availability_rule", "timezone is required")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise bad_request("availability_rule", "timezone must be an IANA time zone") from None
    return timezone


def _own_copy(
    store: Store, uuid: str, current: AvailabilitySchedule | None
) -> AvailabilitySchedule:
    """The event type's own schedule, copied from the shared one on first change."""
    if current is not None and current.user is None:
        return current
    copy_uuid = store.new_uuid()
    schedule = AvailabilitySchedule(
        uri=store.uri("user_availability_schedules", copy_uuid),
        default=False,
        name=None,
        user=None,
        timezone=current.timezone if current else "UTC",
        rules=list(current.rules) if current else [],
    )
    store.schedules[copy_uuid] = schedule
    store.event_type_schedule[uuid] = schedule.uri
    return schedule


@routes.patch("/event_type_availability_schedules")
async def update_availability(request: web.Request) -> web.Response:
    """Replace the event type's timezone and (when sent) every rule."""
    store = context(request).store
    uuid, event_type = _event_type(store, required(request, "event_type"))
    body = await json_body(request)
    rule = body.get("availability_rule")
    if not isinstance(rule, dict):
        raise bad_request("availability_rule", "is required")
    timezone = _timezone(rule)
    rules = _rules(rule["rules"]) if rule.get("rules") is not None else None
    if rule.get("user") is not None:
        check_user(store, str(rule["user"]))
    setting = body.get("availability_setting", "host")
    if setting != "host":
        raise bad_request("availability_setting", "must be host")
    schedule = _own_copy(store, uuid, _schedule(store, uuid))
    schedule.timezone = timezone
    if rules is not None:
        schedule.rules = rules
    store.touch()
    return resource(_view(event_type, schedule))
