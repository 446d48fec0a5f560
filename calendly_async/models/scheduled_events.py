"""Scheduled events and their parts (reference §8 "ScheduledEvent", "Location", "Cancellation")."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import Model, Timestamp

__all__ = [
    "CalendarEvent",
    "Cancellation",
    "EventGuest",
    "EventMembership",
    "InviteesCounter",
    "Location",
    "ScheduledEvent",
]


class Location(Model):
    """Where a scheduled event takes place.

    One tolerant struct for every location ``type`` rather than a tagged union:
    the set of types is open (Calendly's two specs disagree on ``zoom`` versus
    ``zoom_conference``, reference §9), so an unknown type must still decode.

    Attributes
    ----------
    type:
        ``physical``, ``outbound_call``, ``inbound_call``, ``ask_invitee``,
        ``custom``, ``google_conference``, ``zoom``, ``gotomeeting``,
        ``microsoft_teams_conference``, ``webex_conference``, or a newer one.
    location:
        The address, phone number or free text (physical, calls, custom).
    additional_info:
        Extra directions (physical, inbound call).
    status:
        Conferences: ``initiated``, ``processing``, ``pushed`` or ``failed``.
    join_url:
        Conferences: the meeting link, set once ``status`` is ``pushed``.
    data:
        Conferences: the provider's own details (Zoom ``id``/``password``, Teams
        ``audioConferencing``...), kept as a dict because each provider differs.
        Calendly drops conference details about six months after the event.
    """

    type: str | None = None
    location: str | None = None
    additional_info: str | None = None
    status: str | None = None
    join_url: str | None = None
    data: dict[str, Any] | None = None


class InviteesCounter(Model):
    """How many invitees booked an event (``total`` includes canceled ones)."""

    total: int | None = None
    active: int | None = None
    limit: int | None = None


class EventMembership(Model):
    """A host of a scheduled event."""

    user: str | None = None
    user_email: str | None = None
    user_name: str | None = None
    buffered_start_time: Timestamp | None = None
    buffered_end_time: Timestamp | None = None


class EventGuest(Model):
    """Someone an invitee added to the event."""

    email: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class Cancellation(Model):
    """Who canceled an event or invitee, and why.

    Returned by ``client.scheduled_events.cancel()`` and embedded in canceled
    events and invitees. ``canceler_type`` is ``host`` or ``invitee``.
    """

    canceled_by: str | None = None
    reason: str | None = None
    canceler_type: str | None = None
    created_at: Timestamp | None = None


class CalendarEvent(Model):
    """The event's entry in the host's calendar (``kind``: google, exchange, outlook...)."""

    kind: str | None = None
    external_id: str | None = None


class ScheduledEvent(Model):
    """A booked meeting (``GET /scheduled_events``, ``GET /scheduled_events/{uuid}``).

    ``status`` is ``active`` or ``canceled``; ``booking_method`` is ``instant``
    or ``poll``. ``cancellation`` is set only on canceled events.
    """

    uri: str
    name: str | None = None
    status: str | None = None
    booking_method: str | None = None
    start_time: Timestamp | None = None
    end_time: Timestamp | None = None
    event_type: str | None = None
    location: Location | None = None
    invitees_counter: InviteesCounter | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    meeting_notes_plain: str | None = None
    meeting_notes_html: str | None = None
    event_memberships: list[EventMembership] = msgspec.field(default_factory=list)
    event_guests: list[EventGuest] = msgspec.field(default_factory=list)
    cancellation: Cancellation | None = None
    calendar_event: CalendarEvent | None = None
