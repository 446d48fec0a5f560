"""client.notes: private notes about contacts (reference §6.12, release notes
2026-11-17): requests sent, bad input refused, and the mock server's notes through
the SDK over loopback."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aioresponses import aioresponses
from conftest import sent
from helpers import BASE, assert_refused, assert_round_trips, page_body, resource_body

from calendly_async import BadRequestError, Calendly, Note, NotFoundError
from calendly_async.mock import MockCalendly

NOTES = re.compile(rf"^{re.escape(BASE)}/notes(\?.*)?$")
C1, C2 = f"{BASE}/contacts/C1C1C1C1C1C1C1C1", f"{BASE}/contacts/C2C2C2C2C2C2C2C2"
NOTE: dict[str, Any] = {
    "uri": f"{BASE}/notes/NNNNNNNNNNNNNNNN",
    "contact": C1,
    "owner": f"{BASE}/users/UUUUUUUUUUUUUUUU",
    "title": "Call",
    "body": "Follow up on pricing.",
    "remind_at": "2026-12-01T13:00:00.000000Z",
    "created_at": "2026-11-20T03:04:05.678123Z",
    "updated_at": "2026-11-20T03:04:05.678123Z",
}


async def test_list_sends_the_contacts_comma_joined(client: Calendly, api: aioresponses) -> None:
    api.get(NOTES, payload=page_body([NOTE], next_token="t2"))
    api.get(NOTES, payload=page_body([]))
    found = await client.notes.list(["C1C1C1C1C1C1C1C1", C2], count=10).collect()
    assert_round_trips(NOTE, found[0])
    (first, second) = sent(api)
    assert (first[0], urlsplit(first[1]).path) == ("GET", "/notes")
    assert first[2]["params"] == {"contact": f"{C1},{C2}", "count": "10"}
    assert second[2]["params"] == {"contact": f"{C1},{C2}", "count": "10", "page_token": "t2"}


async def test_create_posts_trimmed_text_and_a_utc_reminder(
    client: Calendly, api: aioresponses
) -> None:
    api.post(f"{BASE}/notes", status=201, payload=resource_body(NOTE))
    plus_two = timezone(timedelta(hours=2))
    note = await client.notes.create(
        "C1C1C1C1C1C1C1C1", title="  Call ", body="Follow up on pricing.",
        remind_at=datetime(2026, 12, 1, 15, 0, tzinfo=plus_two),
    )  # fmt: skip
    assert isinstance(note, Note)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/notes")
    assert msgspec.json.decode(kwargs["data"]) == {
        "contact": C1,
        "title": "Call",
        "body": "Follow up on pricing.",
        "remind_at": "2026-12-01T13:00:00.000000Z",
    }


async def test_create_with_only_a_body_and_get(client: Calendly, api: aioresponses) -> None:
    api.post(f"{BASE}/notes", status=201, payload=resource_body(NOTE))
    api.get(NOTE["uri"], payload=resource_body(NOTE))
    await client.notes.create(C1, body="Just a body")
    assert (await client.notes.get("NNNNNNNNNNNNNNNN")).title == "Call"
    (post, get) = sent(api)
    assert msgspec.json.decode(post[2]["data"]) == {"contact": C1, "body": "Just a body"}
    assert (get[0], get[1]) == ("GET", NOTE["uri"])


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.notes.list([]).collect(),
        lambda c: c.notes.list([f"C{i:04d}" for i in range(11)]).collect(),
        lambda c: c.notes.list(f"{BASE}/users/U").collect(),
        lambda c: c.notes.create(C1),
        lambda c: c.notes.create(C1, title="   ", body=" "),
        lambda c: c.notes.create(C1, title="x" * 256),
        lambda c: c.notes.create(C1, body="x" * 10_001),
        lambda c: c.notes.create(C1, title="t", remind_at=datetime(2026, 12, 1)),
        lambda c: c.notes.create(C1, title="t", remind_at="tomorrow"),
        lambda c: c.notes.get(f"{BASE}/contacts/C1"),
    ],
)
async def test_bad_input_is_refused_before_sending(
    client: Calendly, api: aioresponses, call: Any
) -> None:
    await assert_refused(client, api, call)


# -- against the mock server (loopback) ----------------------------------------------------


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    now = (start + timedelta(days=40)).timestamp()
    async with MockCalendly(seed=13, start=start, events=20, clock=lambda: now) as server:
        yield server


async def test_mock_notes_newest_change_first_across_contacts(
    sdk: Calendly, mock: MockCalendly
) -> None:
    first, second = list(mock.state.crm.contacts.values())[:2]
    seeded = await sdk.notes.list([first.uri, second.uri], count=1).collect()
    assert len(seeded) == 4
    assert {n.contact for n in seeded} == {first.uri, second.uri}
    stamps = [n.updated_at for n in seeded]
    assert stamps == sorted(stamps, reverse=True)
    written = await sdk.notes.create(second.uri, title="Newest",
                                     remind_at="2030-03-01T09:00:00Z")  # fmt: skip
    assert written.remind_at == datetime(2030, 3, 1, 9, tzinfo=UTC)
    assert (await sdk.notes.list(second.uri).collect())[0].uri == written.uri
    assert (await sdk.notes.get(written.uri)).title == "Newest"
    only_first = await sdk.notes.list(first.uri).collect()
    assert {n.contact for n in only_first} == {first.uri}


async def test_mock_refuses_unknown_contacts_notes_and_parameters(
    sdk: Calendly, mock: MockCalendly
) -> None:
    with pytest.raises(BadRequestError):
        await sdk.notes.create(f"{mock.url}/contacts/NOBODYNOBODYNOBO", title="x")
    with pytest.raises(NotFoundError):
        await sdk.notes.get("NOSUCHNOTE")
    contact = next(iter(mock.state.crm.contacts.values())).uri
    with pytest.raises(BadRequestError):
        await sdk.request("GET", "/notes", params={"contact": contact, "sort": "title:asc"})


async def test_mock_deleting_a_contact_removes_its_notes(sdk: Calendly, mock: MockCalendly) -> None:
    contact = next(iter(mock.state.crm.contacts.values())).uri
    assert await sdk.notes.list(contact).collect()
    await sdk.contacts.delete(contact)
    assert not any(n.contact == contact for n in mock.state.crm.notes.values())
