"""client.contacts and client.contact_custom_fields: requests sent, payloads decoded,
bad input refused, and the mock server's contacts through the SDK over loopback
(reference §6.11, §6.12)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import (
    BASE,
    assert_refused,
    assert_round_trips,
    page_body,
    resource_body,
    webhook_receiver,
)

from calendly_async import (
    BadRequestError,
    Calendly,
    ConflictError,
    ContactEmail,
    NotFoundError,
)
from calendly_async.mock import MockCalendly
from calendly_async.models.contacts import Contact, CustomFieldDefinition
from calendly_async.webhooks import parse_event

CONTACTS = re.compile(rf"^{re.escape(BASE)}/contacts(\?.*)?$")
CONTACT_URI = f"{BASE}/contacts/CCCCCCCCCCCCCCCC"
DEFINITIONS = f"{BASE}/contacts/custom_field_definitions"
FIELD_URI = f"{DEFINITIONS}/FFFFFFFFFFFFFFFF"
TIME = "2026-11-02T03:04:05.678123Z"

CONTACT: dict[str, Any] = {
    "uri": CONTACT_URI,
    "name": "Grace Hopper",
    "emails": [{"email": "grace@example.com", "is_primary": True},
               {"email": "g@navy.example", "is_primary": False}],
    "phone_numbers": [{"phone_number": "+14155550100"}],
    "timezone": "America/New_York",
    "job_title": "Rear Admiral",
    "company": "US Navy",
    "country": "US",
    "state": "NY",
    "city": "New York",
    "linkedin": "https://www.linkedin.com/in/grace",
    "custom_fields": [
        {"uri": FIELD_URI, "label": "Segment", "value": "Enterprise"},
        {"uri": f"{DEFINITIONS}/TAGS", "label": "Interests", "value": ["cobol", "compilers"]},
        {"uri": f"{DEFINITIONS}/SEATS", "label": "Seats", "value": None},
    ],
    "app_url": "https://calendly.com/app/contacts/CCCCCCCCCCCCCCCC",
    "created_at": TIME,
    "updated_at": TIME,
}  # fmt: skip

DEFINITION: dict[str, Any] = {
    "uri": FIELD_URI,
    "label": "Segment",
    "field_type": "single_select",
    "options": [{"uuid": "O1", "label": "SMB", "color": None},
                {"uuid": "O2", "label": "Enterprise", "color": "#1a73e8"}],
    "created_at": TIME,
    "updated_at": TIME,
}  # fmt: skip


def body(kwargs: dict[str, Any]) -> Any:
    return msgspec.json.decode(kwargs["data"])


# -- requests and decoding (aioresponses) ------------------------------------------------


async def test_list_sends_every_filter_comma_joined(client: Calendly, api: aioresponses) -> None:
    api.get(CONTACTS, payload=page_body([CONTACT]))
    found = await client.contacts.list(
        contact_list="LLLLLLLLLLLLLLLL",
        email=["a@example.com", "b@example.com"],
        phone_number="+1415",
        timezone="Europe/Berlin",
        name=["Ada", "Grace"],
        job_title="CTO",
        company="Acme",
        country=["US", "DE"],
        state="CA",
        city="Berlin",
        exclude="custom_fields",
        sort=["updated_at:desc", "created_at:asc"],
        count=5,
    ).collect()
    assert_round_trips(CONTACT, found[0])
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/contacts")
    assert kwargs["params"] == {
        "contact_list": f"{BASE}/contact_lists/LLLLLLLLLLLLLLLL",
        "email": "a@example.com,b@example.com",
        "phone_number": "+1415",
        "timezone": "Europe/Berlin",
        "name": "Ada,Grace",
        "job_title": "CTO",
        "company": "Acme",
        "country": "US,DE",
        "state": "CA",
        "city": "Berlin",
        "exclude": "custom_fields",
        "sort": "updated_at:desc,created_at:asc",
        "count": "5",
    }


async def test_contact_decodes_values_of_every_type(client: Calendly, api: aioresponses) -> None:
    api.get(CONTACT_URI, payload=resource_body(CONTACT))
    contact = await client.contacts.get(CONTACT_URI)
    assert isinstance(contact, Contact)
    assert contact.primary_email == "grace@example.com"
    assert [f.value for f in contact.custom_fields] == ["Enterprise", ["cobol", "compilers"], None]
    assert_round_trips(CONTACT, contact)


async def test_get_sends_exclude(client: Calendly, api: aioresponses) -> None:
    api.get(re.compile(rf"^{re.escape(CONTACT_URI)}\?.*$"), payload=resource_body(CONTACT))
    await client.contacts.get("CCCCCCCCCCCCCCCC", exclude="custom_fields")
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path, kwargs["params"]) == (
        "GET", "/contacts/CCCCCCCCCCCCCCCC", {"exclude": "custom_fields"},
    )  # fmt: skip


async def test_create_posts_the_documented_body(client: Calendly, api: aioresponses) -> None:
    api.post(f"{BASE}/contacts", status=201, payload=resource_body(CONTACT))
    contact = await client.contacts.create(
        "Grace Hopper",
        ["grace@example.com", "g@navy.example"],
        phone_numbers=["+14155550100"],
        timezone="America/New_York",
        company="US Navy",
        custom_fields={FIELD_URI: "O2", "TAGS": ["cobol"], "SEATS": None},
    )
    assert contact.uri == CONTACT_URI
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/contacts")
    assert body(kwargs) == {
        "name": "Grace Hopper",
        "emails": [{"email": "grace@example.com", "is_primary": True},
                   {"email": "g@navy.example", "is_primary": False}],
        "phone_numbers": [{"phone_number": "+14155550100"}],
        "timezone": "America/New_York",
        "company": "US Navy",
        "custom_fields": [{"uuid": "FFFFFFFFFFFFFFFF", "value": "O2"},
                          {"uuid": "TAGS", "value": ["cobol"]},
                          {"uuid": "SEATS", "value": None}],
    }  # fmt: skip


async def test_create_takes_email_models_with_their_primary_flag(
    client: Calendly, api: aioresponses
) -> None:
    api.post(f"{BASE}/contacts", status=201, payload=resource_body(CONTACT))
    emails = [ContactEmail(email="x@example.com"), {"email": "y@example.com", "is_primary": True}]
    await client.contacts.create("X", emails)
    ((_, _, kwargs),) = sent(api)
    assert body(kwargs)["emails"] == [
        {"email": "x@example.com", "is_primary": False},
        {"email": "y@example.com", "is_primary": True},
    ]


async def test_update_sends_only_what_was_passed(client: Calendly, api: aioresponses) -> None:
    api.patch(CONTACT_URI, payload=resource_body(CONTACT))
    await client.contacts.update("CCCCCCCCCCCCCCCC", company=None, city="Boston",
                                 custom_fields={"SEATS": 12})  # fmt: skip
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("PATCH", CONTACT_URI)
    assert body(kwargs) == {
        "company": None,
        "city": "Boston",
        "custom_fields": [{"uuid": "SEATS", "value": 12}],
    }


async def test_delete_sends_delete(client: Calendly, api: aioresponses) -> None:
    api.delete(CONTACT_URI, status=204)
    assert await client.contacts.delete(CONTACT_URI) is None
    assert [(m, u) for m, u, _ in sent(api)] == [("DELETE", CONTACT_URI)]


async def test_custom_field_definitions_list_get_create(
    client: Calendly, api: aioresponses
) -> None:
    api.get(DEFINITIONS, payload={"collection": [DEFINITION]})
    api.get(FIELD_URI, payload=resource_body(DEFINITION))
    api.post(DEFINITIONS, status=201, payload=resource_body(DEFINITION))
    api.post(DEFINITIONS, status=201, payload=resource_body(DEFINITION))
    (listed,) = await client.contact_custom_fields.list()
    assert isinstance(listed, CustomFieldDefinition)
    assert_round_trips(DEFINITION, listed)
    assert [o.color for o in listed.options] == [None, "#1a73e8"]
    assert (await client.contact_custom_fields.get("FFFFFFFFFFFFFFFF")).label == "Segment"
    await client.contact_custom_fields.create(" Segment ", "single_select", options=["SMB", "Ent"])
    await client.contact_custom_fields.create("Revenue", "currency", currency="eur")
    calls = sent(api)
    assert [(m, urlsplit(u).path) for m, u, _ in calls] == [
        ("GET", "/contacts/custom_field_definitions"),
        ("GET", "/contacts/custom_field_definitions/FFFFFFFFFFFFFFFF"),
        ("POST", "/contacts/custom_field_definitions"),
        ("POST", "/contacts/custom_field_definitions"),
    ]
    assert body(calls[2][2]) == {"label": "Segment", "field_type": "single_select",
                                 "options": [{"label": "SMB"}, {"label": "Ent"}]}  # fmt: skip
    assert body(calls[3][2]) == {"label": "Revenue", "field_type": "currency", "currency": "EUR"}


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.contacts.create("X", []),
        lambda c: c.contacts.create("X", [f"u{i}@example.com" for i in range(11)]),
        lambda c: c.contacts.create("X", [{"email": "a@example.com", "is_primary": True},
                                          {"email": "b@example.com", "is_primary": True}]),
        lambda c: c.contacts.create("X", "not-an-email"),
        lambda c: c.contacts.create(" ", "a@example.com"),
        lambda c: c.contacts.create("X", "a@example.com", phone_numbers=["1"] * 11),
        lambda c: c.contacts.create("X", "a@example.com", timezone="Mars/Olympus"),
        lambda c: c.contacts.create("X", "a@example.com", custom_fields={"F": object()}),
        lambda c: c.contacts.create("X", "a@example.com", custom_fields={"F": [1, 2]}),
        lambda c: c.contacts.update("CCCCCCCCCCCCCCCC"),
        lambda c: c.contacts.update("CCCCCCCCCCCCCCCC", name=None),
        lambda c: c.contacts.update("CCCCCCCCCCCCCCCC", emails=None),
        lambda c: c.contacts.get(f"{BASE}/notes/NNNN"),
        lambda c: c.contacts.get("CCCC", exclude="emails"),
        lambda c: c.contacts.delete(""),
        lambda c: c.contacts.list(email="a@example.com,b@example.com").collect(),
        lambda c: c.contacts.list(name=[""]).collect(),
        lambda c: c.contacts.list(sort="name:asc").collect(),
        lambda c: c.contacts.list(contact_list=f"{BASE}/contacts/X").collect(),
        lambda c: c.contact_custom_fields.create("Segment", "single_select"),
        lambda c: c.contact_custom_fields.create("Segment", "text", options=["a"]),
        lambda c: c.contact_custom_fields.create("Money", "currency"),
        lambda c: c.contact_custom_fields.create("Q", "invitee_question"),
        lambda c: c.contact_custom_fields.create("x" * 256, "text"),
        lambda c: c.contact_custom_fields.get(CONTACT_URI),
    ],
)  # fmt: skip
async def test_bad_input_is_refused_before_sending(
    client: Calendly, api: aioresponses, call: Any
) -> None:
    await assert_refused(client, api, call)


# -- against the mock server (loopback) ----------------------------------------------------


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    async with MockCalendly(seed=7, start=start, events=40, invitees_per_event=2) as server:
        yield server


async def test_mock_pages_through_every_contact_once(sdk: Calendly, mock: MockCalendly) -> None:
    seen = await sdk.contacts.list(count=7).collect()
    uris = [c.uri for c in seen]
    assert len(uris) == len(set(uris)) == len(mock.state.crm.contacts) > 7
    assert [c.created_at for c in seen] == sorted(c.created_at for c in seen)
    newest = await sdk.contacts.list(sort="created_at:desc", count=3).collect()
    assert [c.uri for c in newest] == uris[::-1]


async def test_mock_filters_contacts(sdk: Calendly, mock: MockCalendly) -> None:
    stored = list(mock.state.crm.contacts.values())
    target = stored[0]
    by_email = await sdk.contacts.list(
        email=[target.emails[0].email or "", "x@x.example"]
    ).collect()
    assert [c.uri for c in by_email] == [target.uri]
    berlin = await sdk.contacts.list(city="berl").collect()
    assert {c.uri for c in berlin} == {c.uri for c in stored if c.city == "Berlin"}
    assert berlin
    both = await sdk.contacts.list(country=["US", "GB"], company="o").collect()
    expected = {c.uri for c in stored
                if c.country in ("US", "GB") and "o" in (c.company or "").lower()}  # fmt: skip
    assert {c.uri for c in both} == expected
    lean = await sdk.contacts.list(exclude="custom_fields", count=2).collect()
    assert all(c.custom_fields == [] for c in lean)
    full = await sdk.contacts.get(target.uri)
    assert [f.label for f in full.custom_fields] == ["Lead source", "Segment", "Seats", "Interests"]
    assert full.custom_fields[3].value == []


async def test_mock_creates_updates_and_deletes_a_contact(
    sdk: Calendly, mock: MockCalendly
) -> None:
    definitions = {d.label: d for d in await sdk.contact_custom_fields.list()}
    segment = definitions["Segment"]
    created = await sdk.contacts.create(
        "Ada Lovelace", ["ada@example.com", "ada@engine.example"], company="Analytical",
        custom_fields={segment.uri: segment.options[2].uuid, definitions["Seats"].uri: 3},
    )  # fmt: skip
    assert created.primary_email == "ada@example.com"
    values = {f.label: f.value for f in created.custom_fields}
    assert values["Segment"] == segment.options[2].uuid
    assert values["Seats"] == 3
    changed = await sdk.contacts.update(
        created.uri, emails=["lovelace@example.com"], company=None,
        custom_fields={definitions["Interests"].uri: ["math"]},
    )  # fmt: skip
    assert [e.email for e in changed.emails] == ["lovelace@example.com"]
    assert changed.company is None
    values = {f.label: f.value for f in changed.custom_fields}
    assert (values["Seats"], values["Interests"]) == (3, ["math"])
    assert (await sdk.contacts.list(email="lovelace@example.com").collect())[0].uri == created.uri
    await sdk.contacts.delete(created.uri)
    with pytest.raises(NotFoundError):
        await sdk.contacts.get(created.uri)
    assert created.uri.rsplit("/", 1)[-1] not in mock.state.crm.contacts


async def test_mock_refuses_duplicates_and_wrong_values(sdk: Calendly, mock: MockCalendly) -> None:
    taken = next(iter(mock.state.crm.contacts.values())).emails[0].email or ""
    with pytest.raises(ConflictError):
        await sdk.contacts.create("Twin", taken.upper())
    seats = next(d for d in await sdk.contact_custom_fields.list() if d.label == "Seats")
    with pytest.raises(BadRequestError):
        await sdk.contacts.create("Wrong", "w@example.com", custom_fields={seats.uri: "many"})
    with pytest.raises(BadRequestError):
        await sdk.contacts.create("Unknown", "u@example.com", custom_fields={"NOFIELD": "x"})
    assert not any(c.name in ("Wrong", "Unknown") for c in mock.state.crm.contacts.values())


async def test_mock_creates_custom_field_definitions(sdk: Calendly, mock: MockCalendly) -> None:
    plan = await sdk.contact_custom_fields.create("Plan", "single_select", options=["Free", "Pro"])
    assert [(o.label, o.color) for o in plan.options] == [("Free", None), ("Pro", None)]
    assert all(o.uuid for o in plan.options)
    money = await sdk.contact_custom_fields.create("ARR", "currency", currency="usd")
    assert money.currency == "USD"
    assert (await sdk.contact_custom_fields.get(plan.uri)).label == "Plan"
    labels = [d.label for d in await sdk.contact_custom_fields.list()]
    assert labels[-2:] == ["Plan", "ARR"]
    with pytest.raises(ConflictError):
        await sdk.contact_custom_fields.create(" plan ", "text")
    contact = next(iter(mock.state.crm.contacts.values()))
    updated = await sdk.contacts.update(contact.uri, custom_fields={plan.uri: plan.options[1].uuid})
    assert {f.label: f.value for f in updated.custom_fields}["Plan"] == plan.options[1].uuid


async def test_mock_fires_contact_webhooks(sdk: Calendly, mock: MockCalendly, serve: Serve) -> None:
    url, received = await webhook_receiver(serve)
    events = ["contact.created", "contact.updated", "contact.deleted"]
    await sdk.webhooks.create(url, events, mock.organization_uri, "organization")
    contact = await sdk.contacts.create("Hook Test", "hook@example.com")
    await sdk.contacts.update(contact.uri, city="Paris")
    await sdk.contacts.delete(contact.uri)
    await mock.deliverer.drain()
    created, updated, deleted = (parse_event(body) for body in received)
    assert [created.event, updated.event, deleted.event] == events
    assert isinstance(updated.payload, dict)
    assert (updated.payload["uri"], updated.payload["city"]) == (contact.uri, "Paris")
    assert created.payload_uri == contact.uri
    assert isinstance(deleted.payload, dict)
    assert set(deleted.payload) == {"uri", "deleted_at"}
