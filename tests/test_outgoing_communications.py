"""client.outgoing_communications: paginated emails and texts with ``total_count``
(reference §6.10; Enterprise), over aioresponses and the mock server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from aioresponses import aioresponses
from conftest import sent
from helpers import BASE, assert_round_trips, page_body

from calendly_async import Calendly, InvalidInputError, PermissionDeniedError
from calendly_async.mock import MockCalendly
from calendly_async.models.outgoing_communications import OutgoingCommunication
from calendly_async.resources.outgoing_communications import OutgoingCommunications

COMMS = re.compile(rf"^{re.escape(BASE)}/outgoing_communications(\?.*)?$")
ORG = f"{BASE}/organizations/AAAAAAAAAAAAAAAA"
EMAIL: dict[str, Any] = {
    "type": "email",
    "to": "invitee@example.com",
    "from": "notifications@calendly.com",
    "subject": "Confirmed: Intro call",
    "body": "See you soon",
    "sender_uri": f"{BASE}/users/UUUUUUUUUUUUUUUU",
    "sender_email": "host@example.com",
    "event_type_uri": f"{BASE}/event_types/TTTTTTTTTTTTTTTT",
    "event_uri": f"{BASE}/scheduled_events/EEEEEEEEEEEEEEEE",
    "sent_at": "2024-01-02T03:04:05.678123Z",
    "created_at": "2024-01-02T03:04:05.678123Z",
    "scheduling_url": "https://calendly.com/host/intro",
}
SMS: dict[str, Any] = {
    **EMAIL,
    "type": "sms",
    "to": "+1 555 0100",
    "from": "Calendly",
    "subject": None,
    "sender_uri": None,
    "sender_email": None,
}


def _page(items: list[Any], total: int, token: str | None = None) -> dict[str, Any]:
    return {**page_body(items, token), "total_count": total}


@pytest.fixture
def comms(client: Calendly) -> OutgoingCommunications:
    return client.outgoing_communications


async def test_list_sends_filters_and_reports_total_count(
    comms: OutgoingCommunications, api: aioresponses
) -> None:
    api.get(COMMS, payload=_page([EMAIL], total=2, token="next"))
    api.get(COMMS, payload=_page([SMS], total=2))
    pages = [
        page
        async for page in comms.list(
            "AAAAAAAAAAAAAAAA",
            min_created_at="2024-01-01T00:00:00+01:00",
            max_created_at=datetime(2024, 2, 1, tzinfo=UTC),
            count=1,
        ).pages()
    ]
    assert [page.total_count for page in pages] == [2, 2]
    assert [item.type for page in pages for item in page] == ["email", "sms"]
    first, second = sent(api)
    assert (first[0], urlsplit(first[1]).path) == ("GET", "/outgoing_communications")
    expected = {
        "organization": ORG,
        "min_created_at": "2023-12-31T23:00:00.000000Z",
        "max_created_at": "2024-02-01T00:00:00.000000Z",
        "count": "1",
    }
    assert first[2]["params"] == expected
    assert second[2]["params"] == {**expected, "page_token": "next"}


async def test_email_and_sms_payloads_round_trip(
    comms: OutgoingCommunications, api: aioresponses
) -> None:
    api.get(COMMS, payload=_page([EMAIL, SMS], total=2))
    email, sms = await comms.list(ORG).collect()
    assert isinstance(email, OutgoingCommunication)
    assert email.from_ == "notifications@calendly.com"
    assert sms.subject is None
    assert_round_trips(EMAIL, email)
    assert_round_trips(SMS, sms)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"organization": ""},
        {"organization": f"{BASE}/users/AAAA"},
        {"organization": ORG, "min_created_at": datetime(2024, 1, 1)},
        {"organization": ORG, "max_created_at": "yesterday"},
        {
            "organization": ORG,
            "min_created_at": "2024-02-01T00:00:00Z",
            "max_created_at": "2024-01-01T00:00:00Z",
        },
        {"organization": ORG, "count": 0},
    ],
)
async def test_bad_input_is_refused_before_sending(
    comms: OutgoingCommunications, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        comms.list(**kwargs)
    assert sent(api) == []


START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30)


@pytest.fixture
async def sdk() -> AsyncIterator[tuple[Calendly, MockCalendly]]:
    async with (
        MockCalendly(
            seed=12, start=START, clock=lambda: NOW.timestamp(), events=40, users=3
        ) as mock,
        Calendly(token=mock.token, base_url=mock.url) as client,
    ):
        yield client, mock


async def test_mock_lists_confirmations_and_reminders_already_sent(
    sdk: tuple[Calendly, MockCalendly],
) -> None:
    client, mock = sdk
    comms = client.outgoing_communications
    pages = [page async for page in comms.list(mock.organization_uri, count=25).pages()]
    every = [item for page in pages for item in page]
    assert {page.total_count for page in pages} == {len(every)}
    invitees = list(mock.state.iter_invitees())
    booked = [i for i in invitees if i.created_at is not None and i.created_at <= NOW]
    emails = [item for item in every if item.type == "email"]
    assert sorted(item.to or "" for item in emails) == sorted(i.email or "" for i in booked)
    texts = [item for item in every if item.type == "sms"]
    assert texts, "seeded invitees with a text_reminder_number get reminders"
    assert all(item.sent_at is not None and item.sent_at <= NOW for item in every)
    stamps = [item.created_at for item in every]
    assert stamps == sorted(stamps)  # type: ignore[type-var]


async def test_mock_filters_by_created_at(sdk: tuple[Calendly, MockCalendly]) -> None:
    client, mock = sdk
    comms = client.outgoing_communications
    every = await comms.list(mock.organization_uri).collect()
    middle = sorted(item.created_at for item in every if item.created_at)[len(every) // 2]
    later = await comms.list(mock.organization_uri, min_created_at=middle).collect()
    earlier = await comms.list(mock.organization_uri, max_created_at=middle).collect()
    assert len(later) + len(earlier) == len(every)
    assert all(item.created_at and item.created_at >= middle for item in later)
    assert all(item.created_at and item.created_at < middle for item in earlier)


async def test_mock_refuses_non_enterprise_organizations(
    sdk: tuple[Calendly, MockCalendly],
) -> None:
    client, mock = sdk
    mock.state.organization.plan = "teams"
    with pytest.raises(PermissionDeniedError, match="Enterprise"):
        await client.outgoing_communications.list(mock.organization_uri).collect()
