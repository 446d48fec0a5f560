"""Seeded teams, contacts, custom fields, contact lists, notes and meeting recaps.

Built after the scheduling data (contacts come from invitees, recaps from events
that have ended) from its own ``random.Random``, so adding these areas changed
none of the other seeded data.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from ...models.contact_lists import ContactList
from ...models.contacts import (
    Contact,
    ContactEmail,
    CustomFieldDefinition,
    CustomFieldOption,
)
from ...models.meeting_recaps import MeetingRecap, MeetingRecapAttendee
from ...models.notes import Note
from ...models.teams import Team
from .._crm import CrmState
from .._store import Store, new_uuid

__all__ = ["seed_crm"]

_COMPANIES = ("Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises")
_TITLES = ("CTO", "Head of Sales", "Engineer", "Office Manager", "Founder")
_PLACES = (("US", "CA", "San Francisco"), ("DE", "BE", "Berlin"), ("GB", "", "London"))
MAX_CONTACTS = 24
MAX_RECAPS = 8


def seed_crm(store: Store, seed: int, now: datetime) -> None:
    """Fill ``store.crm`` (``now``: the seed's start; recaps need events that ended)."""
    rng = random.Random(f"crm-{seed}")
    crm = store.crm
    _teams(store, crm, now)
    _field_definitions(store, crm, rng, now)
    _contacts(store, crm, rng, now)
    _contact_lists(store, crm, rng, now)
    _notes(store, crm, rng, now)
    _recaps(store, crm, rng, now)


def _teams(store: Store, crm: CrmState, now: datetime) -> None:
    users = list(store.users)
    for index, name in enumerate(("Customer Success", "Solutions")):
        uuid = f"TEAM{index:012d}"
        crm.teams[uuid] = Team(
            uri=store.uri("teams", uuid),
            name=name,
            organization=store.organization.uri,
            scheduling_url=f"{store.base_url}/team/{name.lower().replace(' ', '-')}",
            created_at=now - timedelta(days=200 - index),
            updated_at=now - timedelta(days=100 - index),
        )
        crm.team_members[uuid] = set(users[index::2]) or {store.owner_uuid}


def _definition_uri(store: Store, uuid: str) -> str:
    return f"{store.base_url}/contacts/custom_field_definitions/{uuid}"


def _field_definitions(store: Store, crm: CrmState, rng: random.Random, now: datetime) -> None:
    created = now - timedelta(days=90)
    specs: list[dict[str, Any]] = [
        {"label": "Lead source", "field_type": "text"},
        {"label": "Segment", "field_type": "single_select",
         "options": ["SMB", "Mid-market", "Enterprise"]},
        {"label": "Seats", "field_type": "number"},
        {"label": "Interests", "field_type": "tags"},
    ]  # fmt: skip
    for spec in specs:
        uuid = new_uuid(rng)
        options = [
            CustomFieldOption(uuid=new_uuid(rng), label=label, color=None if i else "#1a73e8")
            for i, label in enumerate(spec.get("options", []))
        ]
        crm.field_definitions[uuid] = CustomFieldDefinition(
            uri=_definition_uri(store, uuid),
            label=spec["label"],
            field_type=spec["field_type"],
            options=options,
            source="custom",
            created_at=created,
            updated_at=created,
        )


def _contacts(store: Store, crm: CrmState, rng: random.Random, now: datetime) -> None:
    seen: set[str] = set()
    definitions = list(crm.field_definitions.values())
    for invitee in store.iter_invitees():
        email = (invitee.email or "").lower()
        if not email or email in seen:
            continue
        seen.add(email)
        index = len(crm.contacts)
        uuid = new_uuid(rng)
        country, state, city = _PLACES[index % len(_PLACES)]
        created = invitee.created_at or now
        crm.contacts[uuid] = Contact(
            uri=store.uri("contacts", uuid),
            name=invitee.name,
            emails=[ContactEmail(email=invitee.email, is_primary=True)],
            phone_numbers=[],
            timezone=invitee.timezone,
            job_title=_TITLES[index % len(_TITLES)],
            company=_COMPANIES[index % len(_COMPANIES)],
            country=country,
            state=state or None,
            city=city,
            app_url=f"{store.base_url}/app/contacts/{uuid}",
            owner=store.owner.uri,
            created_at=created,
            updated_at=created + timedelta(hours=index),
        )
        segment = definitions[1].options[index % 3].uuid
        crm.field_values[uuid] = {
            uuid_of(definitions[0].uri): "referral" if index % 2 else "website",
            uuid_of(definitions[1].uri): segment,
            uuid_of(definitions[2].uri): rng.randint(1, 500) if index % 3 else None,
        }
        if len(crm.contacts) >= MAX_CONTACTS:
            break


def uuid_of(uri: str) -> str:
    """The UUID at the end of a URI."""
    return uri.rsplit("/", 1)[-1]


def _contact_lists(store: Store, crm: CrmState, rng: random.Random, now: datetime) -> None:
    contacts = list(crm.contacts)
    static = new_uuid(rng)
    crm.contact_lists[static] = ContactList(
        uri=store.uri("contact_lists", static),
        name="Hot leads",
        type="static_list",
        owner=store.owner.uri,
        created_at=now - timedelta(days=20),
        updated_at=now - timedelta(days=20),
    )
    crm.list_members[static] = contacts[:3]
    view = new_uuid(rng)
    crm.contact_lists[view] = ContactList(
        uri=store.uri("contact_lists", view),
        name="Berlin",
        type="dynamic_view",
        owner=store.owner.uri,
        filters={"city": "Berlin"},
        created_at=now - timedelta(days=10),
        updated_at=now - timedelta(days=10),
    )
    crm.view_filters[view] = {"city": "Berlin"}


def _notes(store: Store, crm: CrmState, rng: random.Random, now: datetime) -> None:
    for index, contact in enumerate(list(crm.contacts.values())[:2]):
        for number in range(2):
            uuid = new_uuid(rng)
            written = now - timedelta(days=5 - index, hours=number)
            crm.notes[uuid] = Note(
                uri=store.uri("notes", uuid),
                contact=contact.uri,
                owner=store.owner.uri,
                title=f"Call {number + 1}",
                body=f"Talked to {contact.name} about next steps.",
                remind_at=written + timedelta(days=7) if number == 0 else None,
                created_at=written,
                updated_at=written,
            )


def _recaps(store: Store, crm: CrmState, rng: random.Random, now: datetime) -> None:
    ended = sorted(
        (e for e in store.events.values()
         if e.status == "active" and e.end_time is not None and e.end_time <= now),
        key=lambda e: e.end_time or now,
    )[-MAX_RECAPS:]  # fmt: skip
    statuses = ("Available", "Available", "Available", "Processing", "Unavailable")
    for index, event in enumerate(ended):
        uuid = new_uuid(rng)
        uri = store.uri("meeting_recaps", uuid)
        status = statuses[index % len(statuses)]
        hosts = [
            MeetingRecapAttendee(host=True, user_email=m.user_email, user_name=m.user_name)
            for m in event.event_memberships
        ]
        guests = [
            MeetingRecapAttendee(host=False, user_email=i.email, user_name=i.name)
            for i in store.invitees.get(uuid_of(event.uri), {}).values()
            if i.status == "active"
        ]
        available = status == "Available"
        crm.recaps[uuid] = MeetingRecap(
            uri=uri,
            app_url=f"{store.base_url}/app/recaps/{uuid}",
            status=status,
            event=event.uri,
            name=event.name,
            location=None,
            start_time=event.start_time,
            end_time=event.end_time,
            created_at=event.end_time,
            updated_at=event.end_time,
            attendees=hosts + guests,
            summary_md=f"## Summary\n{event.name} went as planned." if available else None,
            action_items_md="- Send the follow-up" if available else None,
            discussion_md="- Agenda\n- Next steps" if available else None,
            transcript=f"{uri}/transcript" if available else None,
            share_link=f"{store.base_url}/recaps/{uuid}" if available else None,
        )
        if available:
            speaker = hosts[0].user_name if hosts else "Host"
            crm.transcripts[uuid] = f"{speaker}: Thanks for joining.\nGuest: Happy to be here."
