"""Scheduled events, their invitees and cancellation, and booking through the
Scheduling API (reference §6.6, §4).

Calendly rules for booking (``POST /invitees``, into an open slot):
``event_type`` (URI), ``start_time`` (an open slot, exactly), ``invitee``
``{email, timezone, name | first_name, last_name?, text_reminder_number?}``;
``location`` must match the event type's configured kind (``outbound_call`` and
``ask_invitee`` need the invitee's text); ``questions_and_answers`` must answer
every required question, by its exact name; at most 10 ``event_guests``. Answers
201 with the Invitee (``scheduling_method: "api"``) and fires ``invitee.created``.
Errors: 400 for a malformed body, 403 on free plans, 404 for an unknown event
type or a slot that is not open (reference §9 item 6).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from aiohttp import web

from ...models.event_types import EventType
from ...models.invitees import Invitee, QuestionAndAnswer, Tracking
from ...models.scheduled_events import EventGuest, Location, ScheduledEvent
from .._actions import cancel_event, draft_booking, is_stored, save_booking
from .._availability import available_times
from .._context import context
from .._http import (
    ApiError,
    bad_request,
    body_str,
    choice_param,
    forbidden,
    json_body,
    lookup,
    optional,
    parse_time,
    resource,
    time_param,
    uuid_of,
)
from .._listing import check_organization, check_user, list_response
from .._notify import notify_invitee
from .._paging import micros
from .._store import Store

__all__ = ["MAX_REASON", "routes"]

routes = web.RouteTableDef()

MAX_EVENT_GUESTS = 10
FREE_PLANS = frozenset({"basic", "free"})
_INVITEE_TEXT_KINDS = frozenset({"outbound_call", "ask_invitee"})
_TEXT_KINDS = frozenset({"physical", "outbound_call", "ask_invitee", "custom"})

MAX_REASON = 10_000
"""Calendly rule: a cancellation reason is at most 10,000 characters."""

_EVENT_SORT = {"start_time": lambda event: micros(event.start_time)}
_INVITEE_SORT = {"created_at": lambda invitee: micros(invitee.created_at)}
_STATUSES = ("active", "canceled")


def _hosts(request: web.Request, store: Store) -> set[str] | None:
    """UUIDs of the hosts in scope, or ``None`` for the whole organization.

    Calendly rule: ``organization`` alone lists the whole organization,
    ``organization`` + ``user`` that member, ``user`` alone that user's own events,
    ``group`` the group's members; one of them is required.
    """
    user = optional(request, "user")
    organization = optional(request, "organization")
    group = optional(request, "group")
    if user is None and organization is None and group is None:
        raise bad_request("organization", "one of user, organization or group is required")
    if organization is not None:
        check_organization(store, organization)
    hosts: set[str] | None = None
    if group is not None:
        found = lookup(store.groups, uuid_of(group))
        hosts = set(found.members)
    if user is not None:
        member = check_user(store, user)
        hosts = {member} if hosts is None else hosts & {member}
    return hosts


def _candidates(
    store: Store, hosts: set[str] | None, email: str | None
) -> Iterable[ScheduledEvent]:
    if email is not None:
        uuids = store.events_by_email.get(email.lower(), set())
        return (store.events[uuid] for uuid in uuids if uuid in store.events)
    if hosts is None:
        return store.events.values()
    return (event for host in hosts for event in store.events_by_host.get(host, {}).values())


@routes.get("/scheduled_events")
async def list_events(request: web.Request) -> web.Response:
    """Scheduled events in scope; filters status, invitee_email, min_start_time
    (inclusive) and max_start_time (exclusive); sort ``start_time``."""
    store = context(request).store
    hosts = _hosts(request, store)
    status = choice_param(request, "status", _STATUSES)
    email = optional(request, "invitee_email")
    earliest = time_param(request, "min_start_time")
    latest = time_param(request, "max_start_time")

    def load() -> Iterator[ScheduledEvent]:
        for event in _candidates(store, hosts, email):
            if hosts is not None and store.host_uuid(event) not in hosts:
                continue
            if status is not None and event.status != status:
                continue
            begins = event.start_time
            if earliest is not None and (begins is None or begins < earliest):
                continue
            if latest is not None and (begins is None or begins >= latest):
                continue
            yield event

    return list_response(request, load, _EVENT_SORT, "start_time:asc")


def _event(request: web.Request) -> tuple[str, ScheduledEvent]:
    uuid = request.match_info["uuid"]
    event = lookup(context(request).store.events, uuid)
    return uuid, event


@routes.get("/scheduled_events/{uuid}")
async def get_event(request: web.Request) -> web.Response:
    """One scheduled event."""
    return resource(_event(request)[1])


@routes.post("/scheduled_events/{uuid}/cancellation")
async def cancel(request: web.Request) -> web.Response:
    """Cancel an event (201 with the cancellation); fires ``invitee.canceled``."""
    uuid, _ = _event(request)
    body = await json_body(request)
    reason = body.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_REASON):
        raise bad_request("reason", f"must be a string of at most {MAX_REASON} characters")
    return resource(cancel_event(context(request), uuid, reason), status=201)


@routes.get("/scheduled_events/{uuid}/invitees")
async def list_invitees(request: web.Request) -> web.Response:
    """Invitees of an event; filters ``status`` and ``email``; sort ``created_at``."""
    uuid, _ = _event(request)
    invitees = context(request).store.invitees[uuid]
    status = choice_param(request, "status", _STATUSES)
    email = optional(request, "email")

    def load() -> Iterator[Invitee]:
        for invitee in invitees.values():
            if status is not None and invitee.status != status:
                continue
            if email is not None and (invitee.email or "").lower() != email.lower():
                continue
            yield invitee

    return list_response(request, load, _INVITEE_SORT, "created_at:asc")


@routes.get("/scheduled_events/{uuid}/invitees/{invitee_uuid}")
async def get_invitee(request: web.Request) -> web.Response:
    """One invitee of an event."""
    uuid, _ = _event(request)
    invitee = lookup(context(request).store.invitees[uuid], request.match_info["invitee_uuid"])
    return resource(invitee)


def _event_type(store: Store, uri: str) -> EventType:
    event_type = store.event_types.get(uuid_of(uri))
    if event_type is None or event_type.deleted_at is not None:
        raise ApiError(404, "Resource Not Found", "The event type could not be found.")
    return event_type


def _person(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request("invitee", "is required")
    email = value.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise bad_request("invitee.email", "must be an email address")
    timezone = value.get("timezone")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise bad_request("invitee.timezone", "must be an IANA time zone") from None
    if not value.get("name") and not value.get("first_name"):
        raise bad_request("invitee.name", "name or first_name is required")
    return value


def _location(event_type: EventType, value: object) -> dict[str, Any] | None:
    kinds = {c.kind for c in event_type.locations or [] if c.kind}
    if value is None:
        needed = kinds & _INVITEE_TEXT_KINDS
        if needed:
            raise bad_request("location", f"is required for {sorted(needed)[0]} event types")
        return None
    if not isinstance(value, dict) or not isinstance(value.get("kind"), str):
        raise bad_request("location", "must be an object with a kind")
    if value["kind"] not in kinds:
        raise bad_request("location", "kind must match the event type's location")
    if value["kind"] in _TEXT_KINDS and not value.get("location"):
        raise bad_request("location", f"{value['kind']} needs location")
    return value


def _answers(event_type: EventType, value: object) -> list[QuestionAndAnswer]:
    try:
        answers = msgspec.convert(value or [], list[QuestionAndAnswer])
    except msgspec.ValidationError as exc:
        raise bad_request("questions_and_answers", str(exc)) from None
    names = {q.name for q in event_type.custom_questions if q.enabled is not False}
    for answer in answers:
        if answer.question not in names:
            raise bad_request("questions_and_answers", f"unknown question {answer.question!r}")
        if answer.answer is None or answer.position is None:
            raise bad_request("questions_and_answers", "answer and position are required")
    answered = {a.question for a in answers if a.answer}
    for question in event_type.custom_questions:
        if question.required and question.enabled is not False and question.name not in answered:
            raise bad_request("questions_and_answers", f"{question.name!r} is required")
    return answers


def _guests(value: object, now: datetime) -> list[EventGuest]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_EVENT_GUESTS:
        raise bad_request("event_guests", f"must be a list of at most {MAX_EVENT_GUESTS} emails")
    if not all(isinstance(g, str) and "@" in g for g in value):
        raise bad_request("event_guests", "must hold email addresses")
    return [EventGuest(email=g, created_at=now, updated_at=now) for g in value]


def _tracking(value: object) -> Tracking:
    try:
        return msgspec.convert(value or {}, Tracking)
    except msgspec.ValidationError as exc:
        raise bad_request("tracking", str(exc)) from None


def _check_open(store: Store, event_type: EventType, start: datetime, now: datetime) -> None:
    """Calendly rule: ``start_time`` must be exactly an open slot (404 otherwise)."""
    if start < now:
        raise bad_request("start_time", "must be in the future")
    slots = available_times(store, event_type, start, start + timedelta(seconds=1), now)
    if not any(slot.start_time == start for slot in slots):
        raise ApiError(404, "Resource Not Found", "The selected time is no longer available.")


@routes.post("/invitees")
async def create_invitee(request: web.Request) -> web.Response:
    """Book an invitee (201) into a new event at an open slot; fires ``invitee.created``."""
    ctx = context(request)
    store = ctx.store
    if store.organization.plan in FREE_PLANS or store.organization.stage == "free":
        raise forbidden(
            "The Scheduling API is only available on paid Calendly plans. "
            "Upgrade your plan to access this feature."
        )
    body = await json_body(request)
    event_type = _event_type(store, body_str(body, "event_type") or "")
    start = parse_time(body_str(body, "start_time") or "", "start_time")
    person = _person(body.get("invitee"))
    location = _location(event_type, body.get("location"))
    answers = _answers(event_type, body.get("questions_and_answers"))
    now = ctx.now()
    guests = _guests(body.get("event_guests"), now)
    tracking = _tracking(body.get("tracking"))
    _check_open(store, event_type, start, now)
    name = person.get("name") or " ".join(
        str(part) for part in (person.get("first_name"), person.get("last_name")) if part
    )
    event, invitee = draft_booking(
        store, event_type, start, person["email"], name,
        now=now, rng=store.rng, timezone=person["timezone"],
    )  # fmt: skip
    _fill(_invitee_fields(person, answers, tracking, store), invitee)
    event.event_guests = [*event.event_guests, *guests]
    # A second invitee of a group event joins its place; only a new event takes this text.
    if location is not None and location.get("location") and not is_stored(store, event):
        event.location = _with_text(event.location, location)
    save_booking(store, event, invitee)
    notify_invitee(ctx, "invitee.created", event, invitee)
    return resource(invitee, status=201)


def _invitee_fields(
    person: Mapping[str, Any], answers: list[QuestionAndAnswer], tracking: Tracking, store: Store
) -> dict[str, Any]:
    """What the Scheduling API sets on the invitee beyond a plain booking."""
    return {
        "first_name": person.get("first_name"),
        "last_name": person.get("last_name"),
        "text_reminder_number": person.get("text_reminder_number"),
        "questions_and_answers": answers,
        "tracking": tracking,
        "scheduling_method": "api",
        "invitee_scheduled_by": store.owner.uri,
    }


def _fill(fields: Mapping[str, Any], target: Invitee) -> None:
    for key, value in fields.items():
        setattr(target, key, value)


def _with_text(current: Location | None, location: Mapping[str, Any]) -> Location:
    base = current or Location(type=str(location["kind"]))
    return msgspec.structs.replace(base, location=str(location["location"]))
