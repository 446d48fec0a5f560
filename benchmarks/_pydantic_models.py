"""pydantic v2 models mirroring ``calendly_async.models.ScheduledEvent`` field for field.

Only the benchmarks import this module (``pydantic`` is in the ``bench`` extra, not a
runtime dependency). The models follow the SDK's tolerance rules so both decoders do
the same work: every field except ``uri`` is optional with a default, unknown fields
are ignored (pydantic's default), times are aware ``datetime``, free-form conference
``data`` stays a dict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

__all__ = ["EventsPage", "ScheduledEvent"]


class Location(BaseModel):
    """Mirror of ``calendly_async.models.Location``."""

    type: str | None = None
    location: str | None = None
    additional_info: str | None = None
    status: str | None = None
    join_url: str | None = None
    data: dict[str, Any] | None = None


class InviteesCounter(BaseModel):
    """Mirror of ``calendly_async.models.InviteesCounter``."""

    total: int | None = None
    active: int | None = None
    limit: int | None = None


class EventMembership(BaseModel):
    """Mirror of ``calendly_async.models.EventMembership``."""

    user: str | None = None
    user_email: str | None = None
    user_name: str | None = None
    buffered_start_time: datetime | None = None
    buffered_end_time: datetime | None = None


class EventGuest(BaseModel):
    """Mirror of ``calendly_async.models.EventGuest``."""

    email: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Cancellation(BaseModel):
    """Mirror of ``calendly_async.models.Cancellation``."""

    canceled_by: str | None = None
    reason: str | None = None
    canceler_type: str | None = None
    created_at: datetime | None = None


class CalendarEvent(BaseModel):
    """Mirror of ``calendly_async.models.CalendarEvent``."""

    kind: str | None = None
    external_id: str | None = None


class ScheduledEvent(BaseModel):
    """Mirror of ``calendly_async.models.ScheduledEvent``."""

    uri: str
    name: str | None = None
    status: str | None = None
    booking_method: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    event_type: str | None = None
    location: Location | None = None
    invitees_counter: InviteesCounter | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    meeting_notes_plain: str | None = None
    meeting_notes_html: str | None = None
    event_memberships: list[EventMembership] = Field(default_factory=list)
    event_guests: list[EventGuest] = Field(default_factory=list)
    cancellation: Cancellation | None = None
    calendar_event: CalendarEvent | None = None


class Pagination(BaseModel):
    """Mirror of ``calendly_async._decoding.Pagination``."""

    count: int | None = None
    next_page: str | None = None
    previous_page: str | None = None
    next_page_token: str | None = None
    previous_page_token: str | None = None


class EventsPage(BaseModel):
    """A ``GET /scheduled_events`` page: ``{"collection": [...], "pagination": {...}}``."""

    collection: list[ScheduledEvent]
    pagination: Pagination = Field(default_factory=Pagination)
