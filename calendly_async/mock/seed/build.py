"""Deterministic seeded data: an organization with members, event types, schedules,
routing forms, busy times and an activity log (events and invitees: ``seed.events``).

Same configuration (seed, sizes, start) -> identical data: every random choice
comes from one ``random.Random(seed)`` consumed in a fixed order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ...errors import InvalidInputError
from ...models.activity_log import ActivityLogActor, ActivityLogActorOrganization, ActivityLogEntry
from ...models.availability import (
    AvailabilityInterval,
    AvailabilityRule,
    AvailabilitySchedule,
    UserBusyTime,
)
from ...models.event_types import CustomQuestion, EventType, EventTypeProfile, LocationConfiguration
from ...models.invitees import Tracking
from ...models.organizations import Organization, OrganizationInvitation, OrganizationMembership
from ...models.routing_forms import (
    RoutingForm,
    RoutingFormQuestion,
    RoutingFormSubmission,
    SubmissionAnswer,
    SubmissionResult,
)
from ...models.users import User
from .._store import Group, Store, new_uuid
from .crm import seed_crm
from .data import (
    COLORS,
    EVENT_TYPE_NAMES,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    LOCATION_KINDS,
    LOG_ACTIONS,
    TIMEZONES,
)
from .events import seed_events

__all__ = ["SeedConfig", "build_store", "default_start"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def default_start(days: int, now: datetime) -> datetime:
    """UTC midnight ``days // 2`` days before ``now``: half the events past, half to come."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days // 2)


@dataclass(frozen=True, slots=True)
class SeedConfig:
    """What to build (see ``MockCalendly``)."""

    seed: int = 0
    users: int = 5
    event_types: int = 3
    events: int = 200
    invitees_per_event: int = 2
    start: datetime | None = None
    """First day of the events; ``None``: ``default_start`` (resolved by ``MockCalendly``)."""
    days: int = 60

    def __post_init__(self) -> None:
        minimums = {"users": 1, "event_types": 1, "events": 0, "invitees_per_event": 1, "days": 1}
        for name, minimum in minimums.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise InvalidInputError(f"{name} must be an integer >= {minimum}, not {value!r}")
        if self.start is not None and self.start.tzinfo is None:
            raise InvalidInputError("start must be an aware datetime")


def build_store(base_url: str, config: SeedConfig) -> Store:
    """Build every seeded resource with URIs under ``base_url``."""
    store = Store(base_url, config.seed)
    store.seats = config.invitees_per_event
    rng = random.Random(config.seed)
    start = (config.start or datetime(2026, 1, 1, tzinfo=UTC)).astimezone(UTC)
    _organization(store, rng, start)
    _users(store, rng, config.users, start)
    _invitations(store, rng, start)
    _groups(store, start)
    _schedules(store, start, config.days)
    _event_types(store, rng, config, start)
    _external_busy(store, rng, start, config.days)
    seed_events(store, rng, config.events, config.invitees_per_event, start, config.days)
    _routing_forms(store, rng, start, max(3, config.events // 20))
    _activity_log(store, rng, start, config.days, max(40, 12 * config.users))
    seed_crm(store, config.seed, start + timedelta(days=config.days // 2))
    store.touch()
    return store


def _organization(store: Store, rng: random.Random, start: datetime) -> None:
    created = start - timedelta(days=400)
    store.organization = Organization(
        uri=store.uri("organizations", new_uuid(rng)),
        name="Acme Mock Inc.",
        kind="multiple",
        plan="enterprise",
        stage="paid",
        created_at=created,
        updated_at=created,
    )


def _users(store: Store, rng: random.Random, count: int, start: datetime) -> None:
    org = store.organization.uri
    for i in range(count):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = LAST_NAMES[(i * 7) % len(LAST_NAMES)]
        slug = f"{first}-{last}-{i}".lower().replace(" ", "-")
        created = start - timedelta(days=365 - i)
        uuid = new_uuid(rng)
        user = User(
            uri=store.uri("users", uuid),
            name=f"{first} {last}",
            slug=slug,
            email=f"{slug}@acme.example",
            scheduling_url=f"{store.base_url}/{slug}",
            timezone=TIMEZONES[i % len(TIMEZONES)],
            avatar_url=None if i % 3 else f"{store.base_url}/avatars/{uuid}.png",
            created_at=created,
            updated_at=created + timedelta(days=30),
            current_organization=org,
            resource_type="User",
            locale="en",
            time_notation="12h" if i % 2 else "24h",
        )
        store.users[uuid] = user
        role = "owner" if i == 0 else "admin" if i == 1 else "user"
        membership = new_uuid(rng)
        store.memberships[membership] = OrganizationMembership(
            uri=store.uri("organization_memberships", membership),
            role=role,
            user=user,
            organization=org,
            created_at=created,
            updated_at=created,
        )
    store.owner_uuid = next(iter(store.users))


def _groups(store: Store, start: datetime) -> None:
    uuids = list(store.users)
    pending = [uuid for uuid, i in store.invitations.items() if i.status == "pending"]
    for index, name in enumerate(("Sales", "Support")):
        members = set(uuids[index::2]) or {store.owner_uuid}
        uuid = f"GROUP{index:011d}"
        store.groups[uuid] = Group(
            uri=store.uri("groups", uuid),
            name=name,
            members=members,
            # The organization's admin (second user) also administers Sales, and
            # the pending invitation sits in Sales: both relationship owner types.
            admins=set(uuids[1:2]) if index == 0 else set(),
            invitations=set(pending) if index == 0 else set(),
            created_at=start - timedelta(days=300 - index),
        )


def _invitations(store: Store, rng: random.Random, start: datetime) -> None:
    org_uuid = store.organization_uuid
    users = list(store.users.values())
    for index, status in enumerate(("pending", "accepted", "declined")):
        uuid = new_uuid(rng)
        sent = start - timedelta(days=30 - index)
        store.invitations[uuid] = OrganizationInvitation(
            uri=f"{store.base_url}/organizations/{org_uuid}/invitations/{uuid}",
            organization=store.organization.uri,
            email=f"invitee-{index}-{status}@acme.example",
            status=status,
            created_at=sent,
            updated_at=sent + timedelta(hours=index),
            last_sent_at=sent,
            user=users[-1].uri if status == "accepted" else None,
        )


def _interval(start_hour: int, end_hour: int) -> list[AvailabilityInterval]:
    return [AvailabilityInterval(from_=f"{start_hour:02d}:00", to_=f"{end_hour:02d}:00")]


def _schedules(store: Store, start: datetime, days: int) -> None:
    for index, (uuid, user) in enumerate(store.users.items()):
        first_hour = 8 + index % 3
        rules = [
            AvailabilityRule(
                type="wday",
                wday=day,
                intervals=_interval(first_hour, first_hour + 8) if day_no < 5 else [],
            )
            for day_no, day in enumerate(WEEKDAYS)
        ]
        day_off = (start + timedelta(days=(index * 3) % days + days // 2)).date()
        rules.append(AvailabilityRule(type="date", date=day_off, intervals=[]))
        schedule = f"S{uuid[:15]}"
        store.schedules[schedule] = AvailabilitySchedule(
            uri=store.uri("user_availability_schedules", schedule),
            default=True,
            name="Working Hours",
            user=user.uri,
            timezone=user.timezone,
            rules=rules,
        )
        if index % 2:
            evening = f"E{uuid[:15]}"
            store.schedules[evening] = AvailabilitySchedule(
                uri=store.uri("user_availability_schedules", evening),
                default=False,
                name="Evenings",
                user=user.uri,
                timezone=user.timezone,
                rules=[
                    AvailabilityRule(type="wday", wday=day, intervals=_interval(18, 21))
                    for day in WEEKDAYS[:4]
                ],
            )


def _questions(kind: str) -> list[CustomQuestion]:
    questions = [
        CustomQuestion(
            name="Company Name",
            type="string",
            position=0,
            enabled=True,
            required=True,
            answer_choices=[],
            include_other=False,
        ),
        CustomQuestion(
            name="Team size",
            type="single_select",
            position=1,
            enabled=True,
            required=False,
            answer_choices=["1", "2-10", "11-50", "50+"],
            include_other=True,
        ),
        CustomQuestion(
            name="What would you like to discuss?",
            type="text",
            position=2,
            enabled=True,
            required=False,
            answer_choices=[],
            include_other=False,
        ),
    ]
    if kind == "outbound_call":
        questions.append(
            CustomQuestion(
                name="Phone Number",
                type="phone_number",
                position=3,
                enabled=True,
                required=True,
                answer_choices=[],
                include_other=False,
            )
        )
    return questions


def _location(kind: str, index: int) -> LocationConfiguration:
    if kind == "physical":
        return LocationConfiguration(
            kind=kind, location=f"Acme HQ, room {100 + index}", additional_info="Ask at reception"
        )
    if kind == "custom":
        return LocationConfiguration(kind=kind, location="Details follow by email")
    return LocationConfiguration(kind=kind)


def _event_types(store: Store, rng: random.Random, config: SeedConfig, start: datetime) -> None:
    group = config.invitees_per_event > 1
    default_schedule = {s.user: s.uri for s in store.schedules.values() if s.default}
    for i, user in enumerate(store.users.values()):
        slug_base = user.slug or "user"
        for j in range(config.event_types):
            index = i * config.event_types + j
            name, duration = EVENT_TYPE_NAMES[index % len(EVENT_TYPE_NAMES)]
            kind = LOCATION_KINDS[index % len(LOCATION_KINDS)]
            slug = f"{name.lower().replace(' ', '-')}-{j}"
            uuid = new_uuid(rng)
            created = start - timedelta(days=200 - index % 150, hours=rng.randrange(24))
            store.event_types[uuid] = EventType(
                uri=store.uri("event_types", uuid),
                name=name,
                active=not (j == 2 and config.event_types > 2),
                booking_method="instant",
                slug=slug,
                scheduling_url=f"{store.base_url}/{slug_base}/{slug}",
                duration=duration,
                duration_options=[duration, duration * 2] if j % 2 else None,
                kind="group" if group else "solo",
                kind_description="Group" if group else "One-on-One",
                type="StandardEventType",
                color=COLORS[index % len(COLORS)],
                created_at=created,
                updated_at=created + timedelta(days=7),
                internal_note="Seeded by the mock" if j == 0 else None,
                description_plain=f"{name} with {user.name}",
                description_html=f"<p>{name} with {user.name}</p>",
                profile=EventTypeProfile(type="User", name=user.name, owner=user.uri),
                secret=j == 3,
                admin_managed=j == 1,
                is_paid=j % 3 == 1,
                locale="en",
                position=j,
                locations=[_location(kind, index)],
                custom_questions=_questions(kind),
            )
            store.event_type_schedule[uuid] = default_schedule[user.uri]


def _external_busy(store: Store, rng: random.Random, start: datetime, days: int) -> None:
    for uuid in store.users:
        busy: list[UserBusyTime] = []
        for week in range(0, days, 7):
            for _ in range(2):
                begin = start + timedelta(days=week + rng.randrange(5), hours=9 + rng.randrange(8))
                finish = begin + timedelta(hours=1)
                busy.append(UserBusyTime(type="external", start_time=begin, end_time=finish))
        busy.sort(key=lambda b: b.start_time or start)
        store.external_busy[uuid] = busy


_FORM_QUESTIONS = (
    ("Name", "name", None),
    ("Email", "email", None),
    ("What is your industry?", "select", list(INDUSTRIES)),
    ("Anything else?", "textarea", None),
)


def _routing_forms(store: Store, rng: random.Random, start: datetime, submissions: int) -> None:
    event_types = list(store.event_types.values())
    event_uuids = list(store.events)
    for index, (name, status) in enumerate(
        (("Sales inquiry", "published"), ("Support triage", "published"), ("Draft form", "draft"))
    ):
        uuid = new_uuid(rng)
        created = start - timedelta(days=90 - index)
        questions = [
            RoutingFormQuestion(
                uuid=f"{uuid.lower()}-q{q}",
                name=text,
                type=kind,
                required=q < 2,
                answer_choices=choices,
            )
            for q, (text, kind, choices) in enumerate(_FORM_QUESTIONS)
        ]
        form = RoutingForm(
            uri=store.uri("routing_forms", uuid),
            organization=store.organization.uri,
            name=name,
            status=status,
            questions=questions,
            created_at=created,
            updated_at=created,
        )
        store.routing_forms[uuid] = form
        if status == "published":
            for n in range(submissions):
                target = event_types[n % len(event_types)].uri
                _submission(store, rng, form, target, created, event_uuids)


def _submission(
    store: Store,
    rng: random.Random,
    form: RoutingForm,
    event_type: str,
    after: datetime,
    event_uuids: list[str],
) -> None:
    uuid = new_uuid(rng)
    first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
    answers = [first, f"{first.lower()}@example.com", INDUSTRIES[rng.randrange(6)], None]
    submitter = None
    if event_uuids and rng.random() < 0.5:
        invitees = store.invitees[event_uuids[rng.randrange(len(event_uuids))]]
        if invitees:
            submitter = next(iter(invitees.values())).uri
    created = after + timedelta(days=rng.randrange(1, 80), minutes=rng.randrange(1440))
    kind = rng.choice(("event_type", "event_type", "external_url", "custom_message"))
    value: str | dict[str, Any] = event_type
    if kind == "external_url":
        value = "https://acme.example/contact"
    elif kind == "custom_message":
        value = {"headline": "Thanks!", "body": "We will be in touch."}
    submission = RoutingFormSubmission(
        uri=store.uri("routing_form_submissions", uuid),
        routing_form=form.uri,
        questions_and_answers=[
            SubmissionAnswer(question_uuid=q.uuid, question=q.name, answer=a)
            for q, a in zip(form.questions, answers, strict=True)
        ],
        tracking=Tracking(utm_source="mock", utm_campaign=f"form-{form.name}".lower()),
        result=SubmissionResult(type=kind, value=value),
        submitter=submitter,
        submitter_type="Invitee" if submitter else None,
        created_at=created,
        updated_at=created,
    )
    store.submissions[uuid] = submission
    if submitter is not None:
        event_uuid = submitter.split("/scheduled_events/")[1].split("/")[0]
        store.invitees[event_uuid][
            submitter.rsplit("/", 1)[-1]
        ].routing_form_submission = submission.uri


def _activity_log(store: Store, rng: random.Random, start: datetime, days: int, count: int) -> None:
    users = list(store.users.values())
    roles = {m.user.uri: m.role for m in store.memberships.values() if m.user}
    span = (days // 2 + 30) * 86_400
    for _ in range(count):
        namespace, action = LOG_ACTIONS[rng.randrange(len(LOG_ACTIONS))]
        occurred = start - timedelta(days=30) + timedelta(seconds=rng.randrange(span))
        if rng.random() < 0.1:
            actor = ActivityLogActor(type="System", display_name="Calendly")
        else:
            user = users[rng.randrange(len(users))]
            actor = ActivityLogActor(
                uri=user.uri,
                type="User",
                display_name=user.name,
                alternative_identifier=user.email,
                organization=ActivityLogActorOrganization(
                    uri=store.organization.uri, role=(roles.get(user.uri) or "user").title()
                ),
            )
        subject = users[rng.randrange(len(users))]
        uuid = new_uuid(rng)
        store.activity_log[uuid] = ActivityLogEntry(
            uri=store.uri("activity_log_entries", uuid),
            occurred_at=occurred,
            namespace=namespace,
            action=action,
            fully_qualified_name=f"{namespace}.{action}",
            actor=actor,
            details={"subject": {"name": subject.name, "email": subject.email}},
            organization=store.organization.uri,
        )
