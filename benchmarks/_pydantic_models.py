"""pydantic v2 models mirroring ``ScheduledEvent`` and ``Invitee`` field for field.

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

__all__ = ["EventsPage", "Invitee", "InviteesPage", "ScheduledEvent"]


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


class QuestionAndAnswer(BaseModel):
    """Mirror of ``calendly_async.models.QuestionAndAnswer``."""

    question: str | None = None
    answer: str | None = None
    position: int | None = None


class Tracking(BaseModel):
    """Mirror of ``calendly_async.models.Tracking``."""

    utm_campaign: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_content: str | None = None
    utm_term: str | None = None
    salesforce_uuid: str | None = None


class Payment(BaseModel):
    """Mirror of ``calendly_async.models.Payment``."""

    external_id: str | None = None
    provider: str | None = None
    amount: float | str | None = None
    currency: str | None = None
    terms: str | None = None
    successful: bool | None = None


class NoShow(BaseModel):
    """Mirror of ``calendly_async.models.NoShow``."""

    uri: str | None = None
    created_at: datetime | None = None


class Reconfirmation(BaseModel):
    """Mirror of ``calendly_async.models.Reconfirmation``."""

    created_at: datetime | None = None
    confirmed_at: datetime | None = None


class Invitee(BaseModel):
    """Mirror of ``calendly_async.models.Invitee``."""

    uri: str
    email: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    status: str | None = None
    timezone: str | None = None
    event: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    questions_and_answers: list[QuestionAndAnswer] = Field(default_factory=list)
    tracking: Tracking | None = None
    text_reminder_number: str | None = None
    rescheduled: bool | None = None
    old_invitee: str | None = None
    new_invitee: str | None = None
    cancel_url: str | None = None
    reschedule_url: str | None = None
    routing_form_submission: str | None = None
    cancellation: Cancellation | None = None
    payment: Payment | None = None
    no_show: NoShow | None = None
    reconfirmation: Reconfirmation | None = None
    scheduling_method: str | None = None
    invitee_scheduled_by: str | None = None


class InviteesPage(BaseModel):
    """A ``GET /scheduled_events/{uuid}/invitees`` page."""

    collection: list[Invitee]
    pagination: Pagination = Field(default_factory=Pagination)
