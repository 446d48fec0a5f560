"""The enumerations of Calendly's parameters, as ``Literal`` types.

Each alias is used twice: in the public signatures, so a typo is a type error
(``mypy``), and at run time by ``_inputs.check_choice``, so a typo from untyped
code is an ``InvalidInputError`` before anything is sent. ``choices(alias)`` gives
the allowed values. Values are Calendly's (reference §1-§7, the OpenAPI spec).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

__all__ = [
    "ActivityLogSort",
    "AvailabilitySetting",
    "CreatedAtSort",
    "EventStatus",
    "EventTypeLocale",
    "EventTypeSort",
    "InvitationStatus",
    "InviteeStatus",
    "MembershipRole",
    "PeriodType",
    "SchedulingLinkOwnerType",
    "StartTimeSort",
    "WebhookEventName",
    "WebhookScope",
    "choices",
]

EventStatus = Literal["active", "canceled"]
"""``GET /scheduled_events`` ``status``."""

InviteeStatus = Literal["active", "canceled"]
"""``GET /scheduled_events/{uuid}/invitees`` ``status``."""

InvitationStatus = Literal["pending", "accepted", "declined"]
"""``GET /organizations/{uuid}/invitations`` ``status``."""

MembershipRole = Literal["owner", "admin", "user"]
"""``GET /organization_memberships`` ``role``."""

StartTimeSort = Literal["start_time:asc", "start_time:desc"]
"""Calendly rule (reference §2): scheduled events sort by ``start_time`` only."""

CreatedAtSort = Literal["created_at:asc", "created_at:desc"]
"""Calendly rule (reference §2): invitees, invitations, webhooks, routing forms and
their submissions sort by ``created_at`` only."""

EventTypeSort = Literal[
    "name:asc",
    "name:desc",
    "position:asc",
    "position:desc",
    "created_at:asc",
    "created_at:desc",
    "updated_at:asc",
    "updated_at:desc",
]
"""Calendly rule (reference §2): event types sort by name, position, created_at or updated_at."""

ActivityLogSort = Literal[
    "action:asc",
    "action:desc",
    "actor.display_name:asc",
    "actor.display_name:desc",
    "actor.uri:asc",
    "actor.uri:desc",
    "namespace:asc",
    "namespace:desc",
    "occurred_at:asc",
    "occurred_at:desc",
]
"""``GET /activity_log_entries`` ``sort`` items (the spec's array enum)."""

WebhookScope = Literal["organization", "user", "group"]
"""A webhook subscription's scope."""

WebhookEventName = Literal[
    "invitee.created",
    "invitee.canceled",
    "invitee_no_show.created",
    "invitee_no_show.deleted",
    "routing_form_submission.created",
    "event_type.created",
    "event_type.updated",
    "event_type.deleted",
    "meeting_recap.created",
    "meeting_recap.updated",
    "meeting_recap.deleted",
    "contact.created",
    "contact.updated",
    "contact.deleted",
]
"""Calendly rule (reference §7.1): the events a webhook subscription can name."""

PeriodType = Literal["available_moving", "moving", "fixed", "unlimited"]
"""``POST /shares`` ``period_type``."""

SchedulingLinkOwnerType = Literal["EventType"]
"""``POST /scheduling_links`` ``owner_type``: Calendly supports event types only."""

AvailabilitySetting = Literal["host"]
"""``PATCH /event_type_availability_schedules`` ``availability_setting``."""

EventTypeLocale = Literal["de", "en", "es", "fr", "it", "nl", "pt", "uk"]
"""Calendly rule (reference §6.4): the locales an event type can have."""


def choices(alias: Any) -> tuple[str, ...]:
    """The values a ``Literal`` alias above allows, in declaration order."""
    return tuple(get_args(alias))
