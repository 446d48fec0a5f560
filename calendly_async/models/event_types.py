"""Event types and their available times (reference §8 "EventType",
"EventTypeAvailableTime")."""

from __future__ import annotations

import msgspec

from ._base import Model, Timestamp

__all__ = [
    "CustomQuestion",
    "EventType",
    "EventTypeAvailableTime",
    "EventTypeProfile",
    "LocationConfiguration",
]


class CustomQuestion(Model):
    """A question invitees answer when booking.

    ``type`` is ``string``, ``text``, ``phone_number``, ``single_select`` or
    ``multi_select``; ``answer_choices`` lists the options of the select types.
    """

    name: str | None = None
    type: str | None = None
    position: int | None = None
    enabled: bool | None = None
    required: bool | None = None
    answer_choices: list[str] | None = None
    include_other: bool | None = None


class EventTypeProfile(Model):
    """Who an event type belongs to: ``type`` ``User`` or ``Team``, a name and an owner URI."""

    type: str | None = None
    name: str | None = None
    owner: str | None = None


class LocationConfiguration(Model):
    """Where an event takes place, as configured on an event type or a share.

    ``kind`` is one of ``physical``, ``ask_invitee``, ``custom``, ``inbound_call``,
    ``outbound_call`` and the conference kinds (``zoom_conference``,
    ``google_conference``, ...). ``phone_number`` is required for ``inbound_call``.
    """

    kind: str | None = None
    location: str | None = None
    additional_info: str | None = None
    phone_number: str | None = None
    position: int | None = None


class EventType(Model):
    """A bookable event type (``GET /event_types/{uuid}``, ``GET /event_types``).

    Deleted event types stay retrievable with ``deleted_at`` set. ``kind`` is
    ``solo`` or ``group``; ``pooling_type`` ``round_robin``, ``collective``,
    ``multi_pool`` or null; ``type`` ``StandardEventType`` or ``AdhocEventType``.
    """

    uri: str
    name: str | None = None
    active: bool | None = None
    booking_method: str | None = None
    slug: str | None = None
    scheduling_url: str | None = None
    duration: int | float | None = None
    duration_options: list[int] | None = None
    kind: str | None = None
    kind_description: str | None = None
    pooling_type: str | None = None
    type: str | None = None
    color: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    internal_note: str | None = None
    description_plain: str | None = None
    description_html: str | None = None
    profile: EventTypeProfile | None = None
    secret: bool | None = None
    deleted_at: Timestamp | None = None
    admin_managed: bool | None = None
    is_paid: bool | None = None
    locale: str | None = None
    position: int | None = None
    locations: list[LocationConfiguration] | None = None
    custom_questions: list[CustomQuestion] = msgspec.field(default_factory=list)


class EventTypeAvailableTime(Model):
    """An open slot of an event type (``GET /event_type_available_times``).

    ``invitees_remaining`` is above 1 only for group event types; book the slot
    with its exact ``start_time``.
    """

    status: str | None = None
    invitees_remaining: int | None = None
    start_time: Timestamp | None = None
    scheduling_url: str | None = None
