"""``client.scheduled_events`` and ``client.invitees`` (reference §6.6)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._params import TimeArg, format_time, time_range
from ..errors import InvalidInputError
from ..models.event_types import LocationConfiguration
from ..models.invitees import Invitee, QuestionAndAnswer, Tracking
from ..models.scheduled_events import Cancellation, ScheduledEvent
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource
from ._choices import CreatedAtSort, EventStatus, InviteeStatus, StartTimeSort
from ._inputs import (
    check_choice,
    check_email,
    check_name,
    check_object,
    check_text,
    check_timezone,
    location_body,
    optional,
    plain_list,
)

__all__ = ["Invitees", "ScheduledEvents"]

_MAX_REASON = 10_000
"""Calendly rule: a cancellation ``reason`` is at most 10,000 characters."""

MAX_EVENT_GUESTS = 10
"""Calendly rule: ``POST /invitees`` takes at most 10 ``event_guests``."""


class ScheduledEvents(Resource):
    """Scheduled events endpoints."""

    def list(
        self,
        *,
        user: str | None = None,
        organization: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: EventStatus | None = None,
        sort: StartTimeSort | None = None,
        min_start_time: TimeArg | None = None,
        max_start_time: TimeArg | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[ScheduledEvent]:
        """Scheduled events of a user, organization or group (``GET /scheduled_events``).

        Seed: listEvents (and the ``events`` picklist).

        Parameters
        ----------
        user, organization, group:
            UUIDs or URIs; at least one is required. ``organization`` alone lists
            the whole organization (admin or owner); with ``user`` it lists that
            member; ``user`` alone lists your own events.
        invitee_email:
            Only events this address is booked into.
        status:
            ``active`` or ``canceled``.
        sort:
            ``start_time:asc`` or ``start_time:desc``.
        min_start_time, max_start_time:
            Aware datetimes or ISO-8601 strings bounding ``start_time``.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            No scope was given, an identifier is malformed, a time is naive or
            unparsable, ``min_start_time`` is after ``max_start_time``, or
            ``count`` is out of range.
        """
        # Calendly rule: the list must be scoped by user, organization or group.
        if user is None and organization is None and group is None:
            raise InvalidInputError("one of user, organization or group is required")
        min_time, max_time = time_range(
            min_start_time, max_start_time, "min_start_time", "max_start_time"
        )
        params = {
            "user": optional(self._uri, user, "users"),
            "organization": optional(self._uri, organization, "organizations"),
            "group": optional(self._uri, group, "groups"),
            "invitee_email": optional(check_email, invitee_email, "invitee_email"),
            "status": optional(check_choice, status, EventStatus, "status"),
            "sort": optional(check_choice, sort, StartTimeSort, "sort"),
            "min_start_time": min_time,
            "max_start_time": max_time,
        }
        return self._list(
            "/scheduled_events", ScheduledEvent, params, count=count, page_token=page_token
        )

    async def get(self, uuid: str) -> ScheduledEvent:
        """A scheduled event by UUID or URI (``GET /scheduled_events/{uuid}``). Seed: getEvent."""
        return await self._get(
            f"/scheduled_events/{self._uuid(uuid, 'scheduled_events')}", ScheduledEvent
        )

    async def cancel(self, uuid: str, reason: str | None = None) -> Cancellation:
        """Cancel a scheduled event (``POST /scheduled_events/{uuid}/cancellation``).

        Seed: cancelEvent. Calendly answers 201 with the ``Cancellation``; it
        answers 403 for an event in the past or already canceled.

        Parameters
        ----------
        uuid:
            The event's UUID or URI.
        reason:
            Shown to the invitees; at most 10,000 characters. Sent only when given.

        Raises
        ------
        InvalidInputError
            ``uuid`` is malformed, or ``reason`` is not a string or is too long.
        """
        path = f"/scheduled_events/{self._uuid(uuid, 'scheduled_events')}/cancellation"
        body = {"reason": optional(check_text, reason, "reason", _MAX_REASON)}
        return await self._send("POST", path, Cancellation, body)


class Invitees(Resource):
    """Invitees of scheduled events (``/scheduled_events/{uuid}/invitees``)."""

    def list(
        self,
        event_uuid: str,
        *,
        status: InviteeStatus | None = None,
        sort: CreatedAtSort | None = None,
        email: str | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[Invitee]:
        """Invitees of one scheduled event (``GET /scheduled_events/{uuid}/invitees``).

        Seed: listEventInvitees.

        Parameters
        ----------
        event_uuid:
            The scheduled event's UUID or URI.
        status:
            ``active`` or ``canceled``.
        sort:
            ``created_at:asc`` (Calendly's default) or ``created_at:desc``.
        email:
            Only the invitee with this address.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``event_uuid`` is malformed or ``count`` is out of range.
        """
        path = f"/scheduled_events/{self._uuid(event_uuid, 'scheduled_events')}/invitees"
        params = {
            "status": optional(check_choice, status, InviteeStatus, "status"),
            "sort": optional(check_choice, sort, CreatedAtSort, "sort"),
            "email": optional(check_email, email),
        }
        return self._list(path, Invitee, params, count=count, page_token=page_token)

    async def get(self, event_uuid: str, invitee_uuid: str) -> Invitee:
        """One invitee (``GET /scheduled_events/{event_uuid}/invitees/{invitee_uuid}``).

        Seed: getEventInvitee. Each argument is a UUID or a URI.
        """
        event = self._uuid(event_uuid, "scheduled_events")
        invitee = self._uuid(invitee_uuid, "invitees", what="invitee")
        return await self._get(f"/scheduled_events/{event}/invitees/{invitee}", Invitee)

    async def create(
        self,
        event_type: str,
        start_time: TimeArg,
        *,
        email: str,
        timezone: str,
        name: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        location: LocationConfiguration | Mapping[str, Any] | None = None,
        questions_and_answers: Sequence[QuestionAndAnswer | Mapping[str, Any]] | None = None,
        tracking: Tracking | Mapping[str, Any] | None = None,
        event_guests: Sequence[str] | None = None,
        text_reminder_number: str | None = None,
    ) -> Invitee:
        """Book an invitee into an open slot: the Scheduling API (``POST /invitees``).

        Calendly answers 201 with the new ``Invitee`` (``scheduling_method`` is
        ``api``) and sends its usual notifications; ``invitee.created``
        webhooks fire. Paid plans only (403 otherwise), with tight rate limits
        of its own (reference §4).

        **Never retried after a 5xx or a read timeout**, whatever the client's
        ``RetryPolicy`` says: Calendly has no idempotency keys, so a retry could
        book twice. Only a 429 or a connection that never reached the server is
        retried. After a ``ServerError`` or ``ReadTimeout``, check with
        ``client.scheduled_events.list(invitee_email=...)`` before trying again.

        Parameters
        ----------
        event_type:
            The event type's UUID or URI.
        start_time:
            An open slot's exact start (copy it from
            ``client.event_types.available_times()``); aware datetime or ISO-8601.
        email, timezone:
            The invitee's address and IANA time zone.
        name, first_name, last_name:
            ``name`` or ``first_name`` is required.
        location:
            ``{"kind": ..., "location": ...}`` matching the event type's location;
            ``physical``, ``outbound_call``, ``ask_invitee`` and ``custom`` need
            ``location`` text. Omit it when the event type has none.
        questions_and_answers:
            ``QuestionAndAnswer`` models or dicts with ``question`` (the exact
            custom question name), ``answer`` and ``position``; every required
            question must be answered.
        tracking:
            A ``Tracking`` model or dict of UTM / Salesforce values.
        event_guests:
            Up to 10 guest email addresses.
        text_reminder_number:
            A phone number for SMS reminders.

        Raises
        ------
        InvalidInputError
            A required argument is missing, ``start_time`` is naive, ``timezone``
            is unknown, or a rule above is broken.
        """
        body = {
            "event_type": self._uri(event_type, "event_types"),
            "start_time": format_time(start_time, what="start_time"),
            "invitee": _invitee_body(
                email, timezone, name, first_name, last_name, text_reminder_number
            ),
            "location": optional(location_body, location, booking=True),
            "questions_and_answers": _answers(questions_and_answers),
            "tracking": optional(check_object, tracking, "tracking"),
            "event_guests": _guests(event_guests),
        }
        # Calendly rule (reference §4): POST /invitees has no idempotency key, so
        # it is never repeated after a 5xx, a read timeout or a dropped connection,
        # even when the client's policy allows unsafe retries.
        policy = self._transport.retry.with_changes(retry_unsafe=False, retry_on_all_errors=False)
        return await self._send("POST", "/invitees", Invitee, body, retry=policy)


def _invitee_body(
    email: str,
    timezone: str,
    name: str | None,
    first_name: str | None,
    last_name: str | None,
    text_reminder_number: str | None,
) -> dict[str, str]:
    """Calendly rule (reference §6.6): ``email``, ``timezone`` and ``name`` or
    ``first_name`` are required."""
    if name is None and first_name is None:
        raise InvalidInputError("name or first_name is required")
    fields = {
        "email": check_email(email),
        "timezone": check_timezone(timezone),
        "name": optional(check_name, name),
        "first_name": optional(check_name, first_name, "first_name"),
        "last_name": optional(check_name, last_name, "last_name"),
        "text_reminder_number": optional(check_name, text_reminder_number, "text_reminder_number"),
    }
    return {key: value for key, value in fields.items() if value is not None}


def _answers(
    values: Sequence[QuestionAndAnswer | Mapping[str, Any]] | None,
) -> list[Any] | None:
    """Calendly rule (reference §6.6): each answer has ``question``, ``answer`` and
    an integer ``position``."""
    answers = plain_list(values, "questions_and_answers")
    for item in answers or []:
        position = item.get("position")
        if not item.get("question") or item.get("answer") is None:
            raise InvalidInputError("every answer needs question and answer")
        if isinstance(position, bool) or not isinstance(position, int):
            raise InvalidInputError(f"every answer needs an integer position, not {position!r}")
    return answers


def _guests(values: Sequence[str] | None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise InvalidInputError("event_guests must be a list of email addresses")
    guests = list(values)
    if len(guests) > MAX_EVENT_GUESTS:
        raise InvalidInputError(
            f"event_guests has {len(guests)} addresses; the limit is {MAX_EVENT_GUESTS}"
        )
    return [check_email(guest, "every event guest") for guest in guests]
