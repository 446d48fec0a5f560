"""Seeded scheduled events and their invitees: the bulk of the data, built fast.

100,000 invitees (``events=20_000, invitees_per_event=5``) take about 1.1 s
(measured): one pass, no per-item sorting, and read-only parts (tracking values,
question-and-answer lists, host memberships) shared between items because
nothing ever mutates them in place.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from ...models.event_types import EventType
from ...models.invitees import Invitee, NoShow, Payment, QuestionAndAnswer, Reconfirmation, Tracking
from ...models.scheduled_events import (
    CalendarEvent,
    Cancellation,
    EventGuest,
    EventMembership,
    InviteesCounter,
    Location,
    ScheduledEvent,
)
from .._store import Store, new_uuid
from .data import FIRST_NAMES, LAST_NAMES, TIMEZONES

__all__ = ["event_location", "seed_events"]

CANCELED_SHARE = 0.1
"""Share of seeded events that are canceled."""

_REASONS = ("Schedule conflict", "Feeling unwell", None, "Rescheduling next week")


def _trackings() -> list[Tracking]:
    return [
        Tracking(),
        Tracking(utm_source="newsletter", utm_medium="email", utm_campaign="spring"),
        Tracking(utm_source="google", utm_medium="cpc", utm_term="scheduling"),
        Tracking(utm_source="linkedin", utm_content="post", salesforce_uuid="00Q5e00000ABCDE"),
    ]


def _qa_variants(event_type: EventType, rng: random.Random) -> list[list[QuestionAndAnswer]]:
    variants = []
    for variant in range(4):
        answers = []
        for question in event_type.custom_questions:
            if question.answer_choices:
                answer = question.answer_choices[variant % len(question.answer_choices)]
            elif question.type == "phone_number":
                answer = f"+1 555-010{variant}"
            else:
                answer = f"{question.name} answer {variant} ({rng.randrange(1000)})"
            answers.append(
                QuestionAndAnswer(question=question.name, answer=answer, position=question.position)
            )
        variants.append(answers)
    return variants


def event_location(kind: str, config: Any, uuid: str, rng: random.Random) -> Location:
    """The scheduled-event ``location`` for an event-type location of ``kind``."""
    if kind == "zoom_conference":
        meeting = str(80_000_000_000 + rng.randrange(10**10))
        return Location(
            type="zoom",
            status="pushed",
            join_url=f"https://zoom.us/j/{meeting}",
            data={
                "id": meeting,
                "password": uuid[:6].lower(),
                "settings": {"global_dial_in_numbers": []},
                "extra": {"intl_numbers_url": "https://zoom.us/u/mock"},
            },
        )
    if kind == "google_conference":
        return Location(
            type=kind, status="pushed", join_url=f"https://meet.google.com/{uuid[:10].lower()}"
        )
    if kind == "outbound_call":
        return Location(type=kind, location=f"+1 555-01{rng.randrange(100):02d}")
    return Location(
        type=kind,
        location=getattr(config, "location", None),
        additional_info=getattr(config, "additional_info", None),
    )


class _EventSeeder:
    """State shared while building every event (per-event-type caches, identities)."""

    def __init__(self, store: Store, rng: random.Random, invitees_per_event: int) -> None:
        self.store = store
        self.rng = rng
        self.per_event = invitees_per_event
        self.event_types = list(store.event_types.values())
        self.qa = {et.uri: _qa_variants(et, rng) for et in self.event_types}
        self.trackings = _trackings()
        self.hosts: dict[str, EventMembership] = {}
        for user in store.users.values():
            self.hosts[user.uri] = EventMembership(
                user=user.uri, user_email=user.email, user_name=user.name
            )
        pool = max(20, invitees_per_event * 50)
        self.identities = [self._identity(k) for k in range(pool)]

    @staticmethod
    def _identity(k: int) -> tuple[str, str, str, str, str]:
        first = FIRST_NAMES[k % len(FIRST_NAMES)]
        last = LAST_NAMES[(k // len(FIRST_NAMES)) % len(LAST_NAMES)]
        email = f"{first}.{last}.{k}@example.com".lower().replace(" ", "")
        return first, last, f"{first} {last}", email, TIMEZONES[k % len(TIMEZONES)]

    def event(self, start: datetime, now_marker: datetime) -> None:
        rng = self.rng
        store = self.store
        event_type = self.event_types[rng.randrange(len(self.event_types))]
        uuid = new_uuid(rng)
        uri = f"{store.base_url}/scheduled_events/{uuid}"
        duration = timedelta(minutes=int(event_type.duration or 30))
        created = start - timedelta(days=rng.randrange(1, 21), minutes=rng.randrange(1440))
        host_uri = event_type.profile.owner if event_type.profile else None
        host = self.hosts[host_uri or store.owner.uri]
        cancellation = None
        if rng.random() < CANCELED_SHARE:
            by_host = rng.random() < 0.5
            cancellation = Cancellation(
                canceled_by=host.user_name if by_host else "Invitee",
                reason=_REASONS[rng.randrange(len(_REASONS))],
                canceler_type="host" if by_host else "invitee",
                created_at=created + (start - created) / 2,
            )
        config = event_type.locations[0] if event_type.locations else None
        kind = config.kind if config is not None and config.kind else "custom"
        end = start + duration
        invitees = self.invitees(uri, event_type, created, end, cancellation, now_marker)
        active = sum(1 for invitee in invitees if invitee.status == "active")
        event = ScheduledEvent(
            uri=uri,
            name=event_type.name,
            status="canceled" if cancellation else "active",
            booking_method="instant",
            start_time=start,
            end_time=start + duration,
            event_type=event_type.uri,
            location=event_location(kind, config, uuid, rng),
            invitees_counter=InviteesCounter(
                total=len(invitees), active=active, limit=self.per_event
            ),
            created_at=created,
            updated_at=cancellation.created_at if cancellation else created,
            meeting_notes_plain="Bring the quarterly numbers" if rng.random() < 0.2 else None,
            event_memberships=[host],
            event_guests=self.guests(uuid, created),
            cancellation=cancellation,
            calendar_event=CalendarEvent(kind="google", external_id=uuid.lower()),
        )
        if event.meeting_notes_plain:
            event.meeting_notes_html = f"<p>{event.meeting_notes_plain}</p>"
        store.events[uuid] = event
        store.events_by_host.setdefault(store.host_uuid(event), {})[uuid] = event
        booked = store.invitees[uuid] = {}
        by_email = store.events_by_email
        for invitee in invitees:
            booked[invitee.uri.rsplit("/", 1)[-1]] = invitee
            by_email.setdefault(invitee.email or "", set()).add(uuid)

    def guests(self, uuid: str, created: datetime) -> list[EventGuest]:
        if self.rng.random() >= 0.1:
            return []
        email = f"guest.{uuid[:6].lower()}@example.com"
        return [EventGuest(email=email, created_at=created, updated_at=created)]

    def invitees(
        self,
        event_uri: str,
        event_type: EventType,
        booked: datetime,
        end: datetime,
        cancellation: Cancellation | None,
        now_marker: datetime,
    ) -> list[Invitee]:
        rng = self.rng
        base = self.store.base_url
        qa = self.qa[event_type.uri]
        result = []
        for n in range(self.per_event):
            identity = self.identities[rng.randrange(len(self.identities))]
            first, last, name, email, timezone = identity
            uuid = new_uuid(rng)
            own_cancel = cancellation
            if own_cancel is None and rng.random() < 0.05:
                own_cancel = Cancellation(
                    canceled_by=name, reason="Conflict", canceler_type="invitee", created_at=booked
                )
            created = booked + timedelta(minutes=n)
            invitee = Invitee(
                uri=f"{event_uri}/invitees/{uuid}",
                email=email,
                name=name,
                first_name=first if n % 2 else None,
                last_name=last if n % 2 else None,
                status="canceled" if own_cancel else "active",
                timezone=timezone,
                event=event_uri,
                created_at=created,
                updated_at=(own_cancel.created_at if own_cancel else None) or created,
                questions_and_answers=qa[rng.randrange(len(qa))],
                tracking=self.trackings[rng.randrange(len(self.trackings))],
                rescheduled=False,
                cancel_url=f"{base}/cancellations/{uuid}",
                reschedule_url=f"{base}/reschedulings/{uuid}",
                cancellation=own_cancel,
                scheduling_method="api" if rng.random() < 0.05 else None,
            )
            self._extras(invitee, event_type, uuid, created, end, now_marker)
            result.append(invitee)
        return result

    def _extras(
        self,
        invitee: Invitee,
        event_type: EventType,
        uuid: str,
        created: datetime,
        end: datetime,
        now_marker: datetime,
    ) -> None:
        rng = self.rng
        if event_type.is_paid:
            invitee.payment = Payment(
                external_id=f"ch_{uuid}",
                provider="stripe" if rng.random() < 0.7 else "paypal",
                amount=25.0 * (1 + rng.randrange(4)),
                currency="USD",
                successful=True,
            )
        if invitee.status == "active" and end < now_marker and rng.random() < 0.08:
            invitee.no_show = NoShow(
                uri=f"{self.store.base_url}/invitee_no_shows/{uuid}", created_at=end
            )
        if rng.random() < 0.03:
            invitee.reconfirmation = Reconfirmation(
                created_at=created, confirmed_at=created + timedelta(hours=2)
            )
        if event_type.custom_questions and event_type.custom_questions[-1].type == "phone_number":
            invitee.text_reminder_number = invitee.questions_and_answers[-1].answer


def seed_events(
    store: Store,
    rng: random.Random,
    count: int,
    invitees_per_event: int,
    start: datetime,
    days: int,
) -> None:
    """Build ``count`` events spread over ``days`` days from ``start`` (08:00-17:45 UTC).

    About 10% are canceled (their invitees too); events in the first half of the
    range may carry no-shows.
    """
    if count == 0 or not store.event_types:
        return
    seeder = _EventSeeder(store, rng, invitees_per_event)
    middle = start + timedelta(days=days // 2)
    slots: Sequence[int] = range(8 * 4, 18 * 4)
    for _ in range(count):
        begin = start + timedelta(days=rng.randrange(days), minutes=15 * rng.choice(slots))
        seeder.event(begin, middle)
