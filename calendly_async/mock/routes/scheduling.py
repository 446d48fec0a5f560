"""Single-use scheduling links and shares (reference §6.7).

Calendly rules: ``POST /scheduling_links`` takes ``max_event_count`` (only 1; the
number or the string), ``owner`` (an event type URI) and ``owner_type``
``EventType``. ``POST /shares`` takes an ``event_type`` plus overrides: ``name``
(<= 55 characters), ``duration`` (1-720), ``duration_options`` (<= 4), ``period_type``
(``fixed`` needs both dates, ``moving``/``available_moving`` need ``max_booking_time``),
``location_configurations`` (``inbound_call`` needs ``phone_number``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from aiohttp import web

from ...models.event_types import EventType
from ...models.scheduling import SchedulingLink, Share, ShareOverride
from .._context import context
from .._http import bad_request, body_str, json_body, lookup, resource, uuid_of
from .._store import Store

__all__ = ["routes"]

routes = web.RouteTableDef()

PERIOD_TYPES = ("available_moving", "moving", "fixed", "unlimited")
MAX_NAME = 55
MAX_DURATION = 720


def _event_type(store: Store, uri: str) -> EventType:
    event_type = lookup(store.event_types, uuid_of(uri))
    return event_type


def _link(store: Store, event_type: EventType) -> SchedulingLink:
    code = store.new_uuid()[:8].lower()
    slug = event_type.slug or "meeting"
    return SchedulingLink(
        booking_url=f"{store.base_url}/d/{code[:4]}-{code[4:]}/{slug}",
        owner=event_type.uri,
        owner_type="EventType",
    )


@routes.post("/scheduling_links")
async def create_scheduling_link(request: web.Request) -> web.Response:
    """A single-use booking link for an event type (201)."""
    store = context(request).store
    body = await json_body(request)
    # Calendly rule: max_event_count, owner and owner_type are all required.
    if body.get("max_event_count") is None:
        raise bad_request("max_event_count", "is required")
    if body.get("max_event_count") not in (1, "1"):
        raise bad_request("max_event_count", "must be 1")
    event_type = _event_type(store, body_str(body, "owner") or "")
    if body_str(body, "owner_type") != "EventType":
        raise bad_request("owner_type", "must be EventType")
    link = _link(store, event_type)
    store.scheduling_links.append(link)
    store.touch()
    return resource(link, status=201)


def _check_numbers(body: Mapping[str, Any]) -> None:
    duration = body.get("duration")
    if duration is not None and (
        not isinstance(duration, int)
        or isinstance(duration, bool)
        or not 1 <= duration <= MAX_DURATION
    ):
        raise bad_request("duration", f"must be an integer from 1 to {MAX_DURATION}")
    options = body.get("duration_options")
    if options is not None and (
        not isinstance(options, list)
        or len(options) > 4
        or len(set(options)) != len(options)
        or not all(isinstance(o, int) and 1 <= o <= MAX_DURATION for o in options)
    ):
        raise bad_request("duration_options", "must be at most 4 unique integers from 1 to 720")
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > MAX_NAME):
        raise bad_request("name", f"must be a string of at most {MAX_NAME} characters")


def _check_period(override: ShareOverride) -> None:
    period = override.period_type
    if period is not None and period not in PERIOD_TYPES:
        raise bad_request("period_type", f"must be one of {', '.join(PERIOD_TYPES)}")
    if period == "fixed" and (override.start_date is None or override.end_date is None):
        raise bad_request("start_date", "start_date and end_date are required for fixed periods")
    if period in ("moving", "available_moving") and override.max_booking_time is None:
        raise bad_request("max_booking_time", f"is required for {period} periods")
    if override.start_date and override.end_date and override.end_date < override.start_date:
        raise bad_request("end_date", "must not be before start_date")
    for config in override.location_configurations or []:
        if not config.kind:
            raise bad_request("location_configurations", "every location needs a kind")
        if config.kind == "inbound_call" and not config.phone_number:
            raise bad_request("location_configurations", "inbound_call needs a phone_number")
        if len(config.location or "") > 255 or len(config.additional_info or "") > 255:
            raise bad_request("location_configurations", "texts are at most 255 characters")


@routes.post("/shares")
async def create_share(request: web.Request) -> web.Response:
    """A share of an event type with overrides (201): its link and the overrides echoed."""
    store = context(request).store
    body = await json_body(request)
    event_type = _event_type(store, body_str(body, "event_type") or "")
    _check_numbers(body)
    fields = {k: v for k, v in body.items() if k != "event_type"}
    try:
        override = msgspec.convert(fields, ShareOverride)
    except msgspec.ValidationError as exc:
        parameter = str(exc).rpartition("$.")[2].split(".")[0].split("[")[0].rstrip("`")
        raise bad_request(parameter or "body", str(exc)) from None
    _check_period(override)
    share = Share(scheduling_links=[_link(store, event_type)], share_override=override)
    store.shares.append(share)
    store.touch()
    return resource(share, status=201)
