"""Invitees of scheduled events (reference §8 "Invitee")."""

from __future__ import annotations

import msgspec

from ._base import Model, Timestamp
from .scheduled_events import Cancellation

__all__ = [
    "Invitee",
    "NoShow",
    "Payment",
    "QuestionAndAnswer",
    "Reconfirmation",
    "Tracking",
]


class QuestionAndAnswer(Model):
    """An invitee's answer to one of the event type's questions."""

    question: str | None = None
    answer: str | None = None
    position: int | None = None


class Tracking(Model):
    """UTM and Salesforce parameters of the booking page visit (all may be null)."""

    utm_campaign: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_content: str | None = None
    utm_term: str | None = None
    salesforce_uuid: str | None = None


class Payment(Model):
    """A payment collected at booking (``provider``: stripe or paypal).

    ``amount`` is a number in Calendly's 2023 spec and a string in the current
    one (reference §8), so both decode and are kept as sent.
    """

    external_id: str | None = None
    provider: str | None = None
    amount: float | str | None = None
    currency: str | None = None
    terms: str | None = None
    successful: bool | None = None


class NoShow(Model):
    """The no-show mark on an invitee (delete it to un-mark)."""

    uri: str | None = None
    created_at: Timestamp | None = None


class Reconfirmation(Model):
    """A reconfirmation request; ``confirmed_at`` stays null until the invitee confirms."""

    created_at: Timestamp | None = None
    confirmed_at: Timestamp | None = None


class Invitee(Model):
    """A person booked into a scheduled event.

    ``status`` is ``active`` or ``canceled``; ``scheduling_method`` is null,
    ``instant_book`` or ``api``; ``invitee_scheduled_by`` is the URI of the user
    who booked on the invitee's behalf, if any.
    """

    uri: str
    email: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    status: str | None = None
    timezone: str | None = None
    event: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    questions_and_answers: list[QuestionAndAnswer] = msgspec.field(default_factory=list)
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
