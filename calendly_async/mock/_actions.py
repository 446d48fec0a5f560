"""State changes shared by the routes and the ``MockCalendly`` helpers: cancel,
book, submit a routing form, delete data, record an activity-log entry.

Calendly rules: cancelling marks the event and its invitees canceled with one
cancellation record (403 "Event is already canceled" the second time, 403 "Event
in the past" for a past event; reference §6.6); data-compliance deletions remove
the invitees with those emails, or the events in a time range (reference §6.10).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from ..errors import InvalidInputError
from ..models.activity_log import ActivityLogActor, ActivityLogActorOrganization, ActivityLogEntry
from ..models.event_types import EventType
from ..models.invitees import Invitee, Tracking
from ..models.routing_forms import RoutingFormSubmission, SubmissionAnswer, SubmissionResult
from ..models.scheduled_events import (
    Cancellation,
    EventMembership,
    InviteesCounter,
    ScheduledEvent,
)
from ._availability import joinable_event, slot_seats
from ._context import MockContext
from ._http import forbidden, lookup
from ._notify import notify_invitee, notify_submission
from ._store import Store, new_uuid
from .seed.events import event_location

__all__ = [
    "book",
    "cancel_event",
    "delete_event_data",
    "delete_invitee_data",
    "draft_booking",
    "is_stored",
    "record_activity",
    "save_booking",
    "submit_routing_form",
]


def record_activity(
    store: Store, now: datetime, namespace: str, action: str, details: dict[str, Any]
) -> None:
    """Add an activity-log entry performed by the owner (the token's user)."""
    owner = store.owner
    uuid = store.new_uuid()
    store.activity_log[uuid] = ActivityLogEntry(
        uri=store.uri("activity_log_entries", uuid),
        occurred_at=now,
        namespace=namespace,
        action=action,
        fully_qualified_name=f"{namespace}.{action}",
        actor=ActivityLogActor(
            uri=owner.uri,
            type="User",
            display_name=owner.name,
            alternative_identifier=owner.email,
            organization=ActivityLogActorOrganization(uri=store.organization.uri, role="Owner"),
        ),
        details=details,
        organization=store.organization.uri,
    )
    store.touch()


def cancel_event(ctx: MockContext, event_uuid: str, reason: str | None) -> Cancellation:
    """Cancel an event as its host, cancel its active invitees, fire ``invitee.canceled``."""
    store = ctx.store
    event = lookup(store.events, event_uuid)
    if event.status == "canceled":
        raise forbidden("Event is already canceled")
    now = ctx.now()
    if event.start_time is not None and event.start_time < now:
        raise forbidden("Event in the past")
    cancellation = Cancellation(
        canceled_by=store.owner.name, reason=reason, canceler_type="host", created_at=now
    )
    event.status = "canceled"
    event.cancellation = cancellation
    event.updated_at = now
    canceled = [i for i in store.invitees[event_uuid].values() if i.status == "active"]
    for invitee in canceled:
        invitee.status = "canceled"
        invitee.cancellation = cancellation
        invitee.updated_at = now
    if event.invitees_counter is not None:
        event.invitees_counter.active = 0
    store.touch()
    for invitee in canceled:
        notify_invitee(ctx, "invitee.canceled", event, invitee)
    return cancellation


def draft_booking(
    store: Store,
    event_type: EventType,
    start_time: datetime,
    email: str,
    name: str,
    *,
    now: datetime,
    rng: random.Random,
    timezone: str = "UTC",
) -> tuple[ScheduledEvent, Invitee]:
    """An active invitee of ``event_type`` at ``start_time``, not stored (ids from ``rng``),
    with its event: the group event at that time when it has a seat left (reference
    §8, ``invitees_counter``), a new event otherwise. ``save_booking`` stores both."""
    event = joinable_event(store, event_type, start_time) or _draft_event(
        store, event_type, start_time, now=now, rng=rng
    )
    invitee_uuid = new_uuid(rng)
    invitee = Invitee(
        uri=f"{event.uri}/invitees/{invitee_uuid}",
        email=email,
        name=name,
        status="active",
        timezone=timezone,
        event=event.uri,
        created_at=now,
        updated_at=now,
        tracking=Tracking(),
        rescheduled=False,
        cancel_url=f"{store.base_url}/cancellations/{invitee_uuid}",
        reschedule_url=f"{store.base_url}/reschedulings/{invitee_uuid}",
    )
    return event, invitee


def _draft_event(
    store: Store, event_type: EventType, start_time: datetime, *, now: datetime, rng: random.Random
) -> ScheduledEvent:
    owner = (event_type.profile.owner if event_type.profile else None) or store.owner.uri
    host = store.users[owner.rsplit("/", 1)[-1]]
    uuid = new_uuid(rng)
    config = event_type.locations[0] if event_type.locations else None
    end = start_time + timedelta(minutes=int(event_type.duration or 30))
    kind = (config.kind if config else None) or "custom"
    return ScheduledEvent(
        uri=store.uri("scheduled_events", uuid),
        name=event_type.name,
        status="active",
        booking_method="instant",
        start_time=start_time,
        end_time=end,
        event_type=event_type.uri,
        location=event_location(kind, config, uuid, rng),
        invitees_counter=InviteesCounter(total=1, active=1, limit=slot_seats(store, event_type)),
        created_at=now,
        updated_at=now,
        event_memberships=[
            EventMembership(user=host.uri, user_email=host.email, user_name=host.name)
        ],
    )


def is_stored(store: Store, event: ScheduledEvent) -> bool:
    """Whether ``event`` is already stored (a drafted booking joins it)."""
    return event.uri.rsplit("/", 1)[-1] in store.events


def save_booking(store: Store, event: ScheduledEvent, invitee: Invitee) -> None:
    """Store a drafted booking: a new event with its invitee, or one more invitee of a
    stored group event (its ``invitees_counter`` follows)."""
    uuid = event.uri.rsplit("/", 1)[-1]
    if is_stored(store, event):
        store.add_invitee(uuid, invitee)
        event.updated_at = invitee.created_at
    else:
        store.add_event(event, [invitee])
    booked = store.invitees[uuid].values()
    if event.invitees_counter is not None:
        event.invitees_counter.total = len(booked)
        event.invitees_counter.active = sum(1 for i in booked if i.status == "active")
    store.touch()


def book(
    ctx: MockContext,
    event_type_uuid: str,
    start_time: datetime,
    email: str,
    name: str,
    *,
    timezone: str = "UTC",
) -> tuple[ScheduledEvent, Invitee]:
    """Book one invitee of ``event_type_uuid``: into a new event, or into the group event
    at that time while it has a seat left; fire ``invitee.created``."""
    store = ctx.store
    event_type = store.event_types.get(event_type_uuid)
    if event_type is None:
        raise InvalidInputError(f"no event type {event_type_uuid!r} in the mock")
    if start_time.tzinfo is None:
        raise InvalidInputError("start_time must be an aware datetime")
    if not email or "@" not in email or not name:
        raise InvalidInputError("email and name are required")
    event, invitee = draft_booking(
        store, event_type, start_time, email, name, now=ctx.now(), rng=store.rng, timezone=timezone
    )
    save_booking(store, event, invitee)
    notify_invitee(ctx, "invitee.created", event, invitee)
    return event, invitee


def submit_routing_form(
    ctx: MockContext,
    form_uuid: str,
    answers: Mapping[str, str | None],
    *,
    submitter: str | None = None,
) -> RoutingFormSubmission:
    """Store a submission (answers keyed by question name or UUID); fire the webhook."""
    store = ctx.store
    form = store.routing_forms.get(form_uuid)
    if form is None:
        raise InvalidInputError(f"no routing form {form_uuid!r} in the mock")
    known = {q.name for q in form.questions} | {q.uuid for q in form.questions}
    unknown = set(answers) - known
    if unknown:
        raise InvalidInputError(f"routing form has no question {sorted(unknown)[0]!r}")
    now = ctx.now()
    uuid = store.new_uuid()
    routed_to = next((et.uri for et in store.event_types.values() if et.active), None)
    submission = RoutingFormSubmission(
        uri=store.uri("routing_form_submissions", uuid),
        routing_form=form.uri,
        questions_and_answers=[
            SubmissionAnswer(
                question_uuid=q.uuid,
                question=q.name,
                answer=answers.get(q.name or "", answers.get(q.uuid or "")),
            )
            for q in form.questions
        ],
        tracking=Tracking(),
        result=SubmissionResult(type="event_type", value=routed_to),
        submitter=submitter,
        submitter_type="Invitee" if submitter else None,
        created_at=now,
        updated_at=now,
    )
    store.submissions[uuid] = submission
    store.touch()
    notify_submission(ctx, submission)
    return submission


def delete_invitee_data(store: Store, emails: list[str]) -> int:
    """Remove every invitee booked with one of ``emails``; returns how many."""
    removed = 0
    for email in {e.lower() for e in emails}:
        for event_uuid in list(store.events_by_email.get(email, ())):
            for invitee_uuid, invitee in list(store.invitees[event_uuid].items()):
                if (invitee.email or "").lower() == email:
                    store.remove_invitee(event_uuid, invitee_uuid)
                    removed += 1
    return removed


def delete_event_data(store: Store, start: datetime, end: datetime) -> int:
    """Remove every event starting within ``[start, end]`` with its invitees; returns how many."""
    doomed = [
        uuid
        for uuid, event in store.events.items()
        if event.start_time is not None and start <= event.start_time <= end
    ]
    for uuid in doomed:
        store.remove_event(uuid)
    return len(doomed)
