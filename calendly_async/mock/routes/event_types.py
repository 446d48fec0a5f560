"""Event types: list, get and available times; create, update and one-off event
types (reference §6.4). Hosts and event type availability: ``event_type_settings``.

Calendly rules for writes: ``POST /event_types`` needs ``owner`` (a member) and ``name``;
``duration`` is 1-720 and must be one of ``duration_options`` (at most 4 unique
values 1-720); ``color`` matches ``^#[a-f\\d]{6}$``; ``locale`` is one of de, en,
es, fr, it, nl, pt, uk; new event types are one-on-one (``kind: solo``) and
inactive unless ``active`` is true. ``PATCH /event_types/{uuid}`` takes the same
optional fields (unknown ones are ignored) and only works on one-on-one types.
``POST /one_off_event_types`` creates an ``AdhocEventType``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from aiohttp import web

from ...models.event_types import EventType, EventTypeProfile, LocationConfiguration
from ...models.users import User
from .._actions import record_activity
from .._availability import available_times
from .._context import context
from .._http import (
    bad_request,
    body_str,
    bool_param,
    collection,
    json_body,
    lookup,
    not_found,
    optional,
    parse_date,
    parse_time,
    required,
    resource,
    uuid_of,
)
from .._listing import check_organization, check_range, check_user, list_response, time_range
from .._paging import micros
from .._store import Store

__all__ = ["AVAILABLE_TIMES_MAX_DAYS", "routes"]

routes = web.RouteTableDef()

MAX_DURATION = 720
MAX_ONE_OFF_NAME = 55
LOCALES = ("de", "en", "es", "fr", "it", "nl", "pt", "uk")
_COLOR = re.compile(r"^#[a-f\d]{6}$")
_SETTABLE = (
    "name",
    "active",
    "description",
    "duration",
    "duration_options",
    "locations",
    "color",
    "locale",
)
_NULLABLE = frozenset({"description", "duration_options", "locations"})

AVAILABLE_TIMES_MAX_DAYS = 31
"""Calendly rule: available times cover at most 31 days per request (2026-07-09 change)."""

_SORT = {
    "name": lambda et: (et.name or "").lower(),
    "position": lambda et: et.position or 0,
    "created_at": lambda et: micros(et.created_at),
    "updated_at": lambda et: micros(et.updated_at),
}


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
    start, end = time_range(request)
    check_range(start, end, AVAILABLE_TIMES_MAX_DAYS, now=ctx.now())
    event_type = lookup(ctx.store.event_types, uuid_of(event_type_uri))
    return collection(available_times(ctx.store, event_type, start, end, ctx.now()))


def _duration(value: object, parameter: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DURATION:
        raise bad_request(parameter, f"must be an integer from 1 to {MAX_DURATION}")
    return value


def _options(value: object) -> list[int]:
    if not isinstance(value, list) or len(value) > 4:
        raise bad_request("duration_options", "must be a list of at most 4 durations")
    options = [_duration(v, "duration_options") for v in value]
    if len(set(options)) != len(options):
        raise bad_request("duration_options", "must be unique")
    return options


def _locations(value: object) -> list[LocationConfiguration]:
    try:
        configs = msgspec.convert(value, list[LocationConfiguration])
    except msgspec.ValidationError as exc:
        raise bad_request("locations", str(exc)) from None
    for config in configs:
        if not config.kind:
            raise bad_request("locations", "every location needs a kind")
        if config.kind == "inbound_call" and not config.phone_number:
            raise bad_request("locations", "inbound_call needs a phone_number")
    return configs


def _field(key: str, value: Any) -> Any:
    """One settable field, checked (``None`` only where Calendly allows null)."""
    if value is None:
        if key not in _NULLABLE:
            raise bad_request(key, "must not be null")
        return None
    if key == "name" and (not isinstance(value, str) or not value.strip()):
        raise bad_request("name", "must be a non-empty string")
    if key == "active" and not isinstance(value, bool):
        raise bad_request("active", "must be true or false")
    if key == "description" and not isinstance(value, str):
        raise bad_request("description", "must be a string")
    if key == "color" and (not isinstance(value, str) or not _COLOR.match(value)):
        raise bad_request("color", "must match ^#[a-f\\d]{6}$")
    if key == "locale" and value not in LOCALES:
        raise bad_request("locale", f"must be one of {', '.join(LOCALES)}")
    if key == "duration":
        return _duration(value, "duration")
    if key == "duration_options":
        return _options(value)
    if key == "locations":
        return _locations(value)
    return value


def _fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The settable fields present in ``body``, checked; unknown keys are ignored."""
    return {key: _field(key, body[key]) for key in _SETTABLE if key in body}


def _check_duration_in_options(duration: int | float | None, options: list[int] | None) -> None:
    if options and duration is not None and duration not in options:
        raise bad_request("duration", "must be one of duration_options")


def _apply(event_type: EventType, fields: Mapping[str, Any]) -> None:
    for key, value in fields.items():
        if key == "description":
            event_type.description_plain = value
            event_type.description_html = f"<p>{html.escape(value)}</p>" if value else None
        else:
            setattr(event_type, key, value)


def _slug(name: str, uuid: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "meeting"
    return f"{words}-{uuid[:4].lower()}"


def _new_event_type(store: Store, owner: User, name: str, now: Any, **extra: Any) -> EventType:
    """A new event type hosted by ``owner`` (``extra`` sets or overrides fields), stored
    and booking against the owner's default schedule."""
    uuid = store.new_uuid()
    slug = _slug(name, uuid)
    position = sum(
        1
        for et in store.event_types.values()
        if et.profile is not None and et.profile.owner == owner.uri
    )
    fields: dict[str, Any] = {
        "name": name,
        "booking_method": "instant",
        "slug": slug,
        "scheduling_url": f"{owner.scheduling_url or store.base_url}/{slug}",
        "kind": "solo",
        "kind_description": "One-on-One",
        "created_at": now,
        "updated_at": now,
        "profile": EventTypeProfile(type="User", name=owner.name, owner=owner.uri),
        "secret": False,
        "admin_managed": False,
        "is_paid": False,
        "position": position,
        "locale": "en",
        **extra,
    }
    event_type = EventType(uri=store.uri("event_types", uuid), **fields)
    store.event_types[uuid] = event_type
    schedule = next(
        (s.uri for s in store.schedules.values() if s.user == owner.uri and s.default), None
    )
    if schedule is not None:
        store.event_type_schedule[uuid] = schedule
    store.touch()
    return event_type


@routes.post("/event_types")
async def create_event_type(request: web.Request) -> web.Response:
    """Create a one-on-one event type (201)."""
    ctx = context(request)
    store = ctx.store
    body = await json_body(request)
    owner = store.users[check_user(store, body_str(body, "owner") or "")]
    name = body_str(body, "name") or ""
    fields = _fields(body)
    options = fields.get("duration_options")
    duration = fields.get("duration") or (options[0] if options else 30)
    _check_duration_in_options(duration, options)
    event_type = _new_event_type(
        store, owner, name, ctx.now(), type="StandardEventType", duration=duration
    )
    settings = {k: v for k, v in fields.items() if k not in ("name", "duration")}
    _apply(event_type, {"active": False, "color": "#0099ff", **settings})
    record_activity(store, ctx.now(), "EventType", "Create", {"event_type": {"name": name}})
    return resource(event_type, status=201)


@routes.patch("/event_types/{uuid}")
async def update_event_type(request: web.Request) -> web.Response:
    """Change a one-on-one event type (200); 400 for group, collective or round-robin ones."""
    ctx = context(request)
    event_type = ctx.store.event_types.get(request.match_info["uuid"])
    if event_type is None or event_type.deleted_at is not None:
        raise not_found()
    if event_type.kind != "solo":
        raise bad_request("uuid", "only one-on-one (solo) event types can be updated")
    fields = _fields(await json_body(request))
    options = fields.get("duration_options", event_type.duration_options)
    _check_duration_in_options(fields.get("duration", event_type.duration), options)
    _apply(event_type, fields)
    event_type.updated_at = ctx.now()
    ctx.store.touch()
    return resource(event_type)


def _date_setting(value: object) -> None:
    """Calendly rule: ``date_range`` (< 365 days), ``days_in_future`` (0-365) or ``spots``."""
    if not isinstance(value, dict):
        raise bad_request("date_setting", "is required")
    kind = value.get("type")
    try:
        if kind == "date_range":
            start = parse_date(str(value.get("start_date")), "date_setting")
            end = parse_date(str(value.get("end_date")), "date_setting")
            if not start < end < start + timedelta(days=365):
                raise bad_request("date_setting", "end_date must be within 365 days after start")
        elif kind == "days_in_future":
            days = value.get("days")
            if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
                raise bad_request("date_setting", "days must be an integer from 0 to 365")
            if not isinstance(value.get("only_weekdays"), bool):
                raise bad_request("date_setting", "only_weekdays must be true or false")
        elif kind == "spots":
            spots = value.get("spots")
            if not isinstance(spots, list) or not spots:
                raise bad_request("date_setting", "spots must be a non-empty list")
            for spot in spots:
                begin = parse_time(str(spot.get("start_time")), "date_setting")
                if parse_time(str(spot.get("end_time")), "date_setting") <= begin:
                    raise bad_request("date_setting", "a spot must end after it starts")
        else:
            raise bad_request("date_setting", "type must be date_range, days_in_future or spots")
    except (ValueError, AttributeError):
        raise bad_request("date_setting", "is malformed") from None


@routes.post("/one_off_event_types")
async def create_one_off(request: web.Request) -> web.Response:
    """Create a one-off (ad hoc) event type (201)."""
    ctx = context(request)
    store = ctx.store
    body = await json_body(request)
    name = body_str(body, "name") or ""
    if len(name) > MAX_ONE_OFF_NAME:
        raise bad_request("name", f"must be at most {MAX_ONE_OFF_NAME} characters")
    host = store.users[check_user(store, body_str(body, "host") or "")]
    duration = _duration(body.get("duration"), "duration")
    _date_setting(body.get("date_setting"))
    co_hosts = body.get("co_hosts")
    if co_hosts is not None and (
        not isinstance(co_hosts, list) or not all(isinstance(c, str) for c in co_hosts)
    ):
        raise bad_request("co_hosts", "must be a list of user URIs")
    for co_host in co_hosts or []:
        check_user(store, co_host)
    timezone = body_str(body, "timezone", need=False)
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise bad_request("timezone", "must be an IANA time zone") from None
    location = body.get("location")
    configs = _locations([location]) if location is not None else None
    event_type = _new_event_type(
        store,
        host,
        name,
        ctx.now(),
        active=True,
        type="AdhocEventType",
        duration=duration,
        secret=True,
        locations=configs,
    )
    return resource(event_type, status=201)
