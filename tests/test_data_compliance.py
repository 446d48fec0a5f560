"""client.data_compliance: invitee and scheduled-event deletion requests (202 {})."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, fixture

from calendly_async import Calendly, InvalidInputError, PermissionDeniedError

INVITEES = f"{BASE}/data_compliance/deletion/invitees"
EVENTS = f"{BASE}/data_compliance/deletion/events"


async def test_delete_invitee_data_posts_emails_and_accepts_202(
    client: Calendly, api: aioresponses
) -> None:
    api.post(INVITEES, status=202, payload=fixture("delete_invitee_data"))
    await client.data_compliance.delete_invitee_data(["a@x.io", "b@x.io"])
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", INVITEES)
    assert msgspec.json.decode(kwargs["data"]) == {"emails": ["a@x.io", "b@x.io"]}


async def test_delete_invitee_data_accepts_one_address(client: Calendly, api: aioresponses) -> None:
    api.post(INVITEES, status=202, payload=fixture("delete_invitee_data"))
    await client.data_compliance.delete_invitee_data("solo@x.io")
    ((_, _, kwargs),) = sent(api)
    assert msgspec.json.decode(kwargs["data"]) == {"emails": ["solo@x.io"]}


@pytest.mark.parametrize("emails", [[], "", ["a@x.io", ""], ["not-an-email"], None])
async def test_delete_invitee_data_refuses_bad_emails_before_sending(
    client: Calendly, api: aioresponses, emails: Any
) -> None:
    with pytest.raises(InvalidInputError):
        await client.data_compliance.delete_invitee_data(emails)
    assert sent(api) == []


async def test_delete_scheduled_event_data_posts_utc_range(
    client: Calendly, api: aioresponses
) -> None:
    api.post(EVENTS, status=202, payload=fixture("delete_scheduled_event_data"))
    await client.data_compliance.delete_scheduled_event_data(
        datetime(2023, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=1))), "2023-06-30T12:00:00Z"
    )
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", EVENTS)
    assert msgspec.json.decode(kwargs["data"]) == {
        "start_time": "2023-01-01T00:00:00.000000Z",
        "end_time": "2023-06-30T12:00:00.000000Z",
    }


@pytest.mark.parametrize(
    ("start", "end", "fragment"),
    [
        (datetime(2023, 1, 1), datetime(2023, 2, 1, tzinfo=UTC), "no timezone"),
        ("2023-01-01T00:00:00Z", "2023-02-01", "no timezone"),
        ("2023-03-01T00:00:00Z", "2023-02-01T00:00:00Z", "after end_time"),
        ("last week", "2023-02-01T00:00:00Z", "ISO-8601"),
        (None, "2023-02-01T00:00:00Z", "required"),
    ],
)
async def test_delete_scheduled_event_data_refuses_bad_range_before_sending(
    client: Calendly, api: aioresponses, start: Any, end: Any, fragment: str
) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        await client.data_compliance.delete_scheduled_event_data(start, end)
    assert sent(api) == []


async def test_non_enterprise_403_is_raised(client: Calendly, api: aioresponses) -> None:
    api.post(
        INVITEES,
        status=403,
        payload={"title": "Permission Denied", "message": "Please upgrade to Enterprise"},
    )
    with pytest.raises(PermissionDeniedError, match="Enterprise"):
        await client.data_compliance.delete_invitee_data(["a@x.io"])


async def test_both_deletions_over_loopback(serve: Serve) -> None:
    received: list[tuple[str, Any]] = []

    async def handler(request: web.Request) -> web.Response:
        received.append((request.path, await request.json()))
        invitees = request.path.endswith("invitees")
        name = "delete_invitee_data" if invitees else "delete_scheduled_event_data"
        return web.json_response(fixture(name), status=202)

    app = web.Application()
    app.router.add_post("/data_compliance/deletion/invitees", handler)
    app.router.add_post("/data_compliance/deletion/events", handler)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url) as client:
        await client.data_compliance.delete_invitee_data(["gone@x.io"])
        await client.data_compliance.delete_scheduled_event_data(
            "2022-01-01T00:00:00+00:00", datetime(2022, 12, 31, tzinfo=UTC)
        )
        assert client.last_response is not None
        assert client.last_response.status == 202
    assert received == [
        ("/data_compliance/deletion/invitees", {"emails": ["gone@x.io"]}),
        (
            "/data_compliance/deletion/events",
            {
                "start_time": "2022-01-01T00:00:00.000000Z",
                "end_time": "2022-12-31T00:00:00.000000Z",
            },
        ),
    ]
