"""The Scheduling API: book an invitee into an open slot (reference §6.6, §4).

Calendly rules (``POST /invitees``): ``event_type`` (URI), ``start_time`` (an open
slot, exactly), ``invitee`` ``{email, timezone, name | first_name, last_name?,
text_reminder_number?}``; ``location`` must match the event type's configured
kind (``outbound_call`` and ``ask_invitee`` need the invitee's text);
``questions_and_answers`` must answer every required question, by its exact
name; at most 10 ``event_guests``. Answers 201 with the Invitee
(``scheduling_method: "api"``) and fires ``invitee.created``. Errors: 400 for a
malformed body, 403 on free plans, 404 for an unknown event type or a slot that
is not open (reference §9 item 6).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from aiohttp import web

from ...models.event_types import EventType
from ...models.invitees import Invitee, QuestionAndAnswer, Tracking
from ...models.scheduled_events import EventGuest, Location
from .._actions import draft_booking, is_stored, save_booking
from .._availability import available_times
from .._context import context
from .._http import (
    ApiError,
    bad_request,
    body_str,
    forbidden,
    json_body,
    parse_time,
    resource,
    uuid_of,
)
from .._notify import notify_invitee
from .._store import Store

__all__ = ["routes"]

routes = web.RouteTableDef()

MAX_EVENT_GUESTS = 10
FREE_PLANS = frozenset({"basic", "free"})
_INVITEE_TEXT_KINDS = frozenset({"outbound_call", "ask_invitee"})
_TEXT_KINDS = frozenset({"physical", "outbound_call", "ask_invitee", "custom"})


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
