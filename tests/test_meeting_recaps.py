"""client.meeting_recaps: Notetaker recaps and transcripts (reference §6.11):
requests sent, bad input refused, and the mock server's recaps through the SDK
over loopback."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
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

from calendly_async import Calendly, MeetingRecap, NotFoundError
from calendly_async.mock import MockCalendly
from calendly_async.webhooks import parse_event

RECAPS = re.compile(rf"^{re.escape(BASE)}/meeting_recaps(\?.*)?$")
RECAP_URI = f"{BASE}/meeting_recaps/RRRRRRRRRRRRRRRR"
RECAP: dict[str, Any] = {
    "uri": RECAP_URI,
    "app_url": "https://calendly.com/app/recaps/RRRRRRRRRRRRRRRR",
    "status": "Available",
    "event": f"{BASE}/scheduled_events/EEEEEEEEEEEEEEEE",
    "name": "Intro call",
    "location": {"type": "zoom", "join_url": "https://zoom.example/j/1"},
    "start_time": "2026-11-02T10:00:00.000000Z",
    "end_time": "2026-11-02T10:30:00.000000Z",
    "created_at": "2026-11-02T10:31:00.000000Z",
    "updated_at": "2026-11-02T10:31:00.000000Z",
    "attendees": [{"host": True, "user_email": "host@example.com", "user_name": "Host"}],
    "summary_md": "## Summary",
    "action_items_md": "- one",
    "discussion_md": "- two",
    "transcript": f"{RECAP_URI}/transcript",
    "share_link": "https://calendly.com/recaps/RRRRRRRRRRRRRRRR",
}


async def test_list_sends_every_filter(client: Calendly, api: aioresponses) -> None:
    api.get(RECAPS, payload=page_body([RECAP]))
    found = await client.meeting_recaps.list(
        event="EEEEEEEEEEEEEEEE",
        start_time=datetime(2026, 11, 1, tzinfo=UTC),
        end_time="2026-11-30T00:00:00Z",
        status="processing",
        attendee="host@example.com",
        count=3,
    ).collect()
    assert isinstance(found[0], MeetingRecap)
    assert_round_trips(RECAP, found[0])
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/meeting_recaps")
    assert kwargs["params"] == {
        "event": f"{BASE}/scheduled_events/EEEEEEEEEEEEEEEE",
        "start_time": "2026-11-01T00:00:00.000000Z",
        "end_time": "2026-11-30T00:00:00.000000Z",
        "status": "processing",
        "attendee": "host@example.com",
        "count": "3",
    }


async def test_get_update_delete_and_transcript(client: Calendly, api: aioresponses) -> None:
    api.get(RECAP_URI, payload=resource_body(RECAP))
    api.patch(RECAP_URI, payload=resource_body({**RECAP, "summary_md": None}))
    api.get(f"{RECAP_URI}/transcript", payload=resource_body({"uri": "t", "text": "Hi."}))
    api.delete(RECAP_URI, status=204)
    recaps = client.meeting_recaps
    assert (await recaps.get("RRRRRRRRRRRRRRRR")).name == "Intro call"
    updated = await recaps.update(RECAP_URI, summary_md=None, discussion_md="- new")
    assert updated.summary_md is None
    assert (await recaps.transcript(RECAP_URI)).text == "Hi."
    assert await recaps.delete("RRRRRRRRRRRRRRRR") is None
    calls = sent(api)
    assert [(m, u) for m, u, _ in calls] == [
        ("GET", RECAP_URI),
        ("PATCH", RECAP_URI),
        ("GET", f"{RECAP_URI}/transcript"),
        ("DELETE", RECAP_URI),
    ]
    assert msgspec.json.decode(calls[1][2]["data"]) == {
        "summary_md": None,
        "discussion_md": "- new",
    }


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.meeting_recaps.list(status="done").collect(),
        lambda c: c.meeting_recaps.list(attendee="nobody").collect(),
        lambda c: c.meeting_recaps.list(start_time=datetime(2026, 11, 1)).collect(),
        lambda c: c.meeting_recaps.list(
            start_time="2026-11-02T00:00:00Z", end_time="2026-11-01T00:00:00Z").collect(),
        lambda c: c.meeting_recaps.list(event=f"{BASE}/event_types/E").collect(),
        lambda c: c.meeting_recaps.update(RECAP_URI),
        lambda c: c.meeting_recaps.update(RECAP_URI, summary_md=5),
        lambda c: c.meeting_recaps.transcript(f"{BASE}/notes/N"),
        lambda c: c.meeting_recaps.delete(""),
    ],
)  # fmt: skip
async def test_bad_input_is_refused_before_sending(
    client: Calendly, api: aioresponses, call: Any
) -> None:
    await assert_refused(client, api, call)


# -- against the mock server (loopback) ----------------------------------------------------

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(seed=17, start=START, events=60) as server:
        yield server


async def test_mock_lists_available_recaps_by_default_and_filters(
    sdk: Calendly, mock: MockCalendly
) -> None:
    stored = list(mock.state.crm.recaps.values())
    available = await sdk.meeting_recaps.list(count=2).collect()
    assert {r.uri for r in available} == {r.uri for r in stored if r.status == "Available"}
    assert len(available) > 2
    starts = [r.start_time for r in available]
    assert starts == sorted(starts, reverse=True)
    processing = await sdk.meeting_recaps.list(status="processing").collect()
    assert [r.status for r in processing] == ["Processing"] * len(processing)
    assert processing
    one = available[0]
    assert [r.uri for r in await sdk.meeting_recaps.list(event=one.event).collect()] == [one.uri]
    email = one.attendees[-1].user_email or ""
    with_attendee = await sdk.meeting_recaps.list(attendee=email.upper()).collect()
    assert one.uri in {r.uri for r in with_attendee}
    assert all(email in {a.user_email for a in r.attendees} for r in with_attendee)
    assert one.start_time is not None
    assert one.end_time is not None
    window = await sdk.meeting_recaps.list(
        start_time=one.end_time, end_time=one.end_time + timedelta(days=400)
    ).collect()
    assert {r.uri for r in window} == {r.uri for r in available
                                      if r.end_time and r.end_time >= one.end_time}  # fmt: skip


async def test_mock_edits_reads_transcript_and_deletes(sdk: Calendly, mock: MockCalendly) -> None:
    recap = (await sdk.meeting_recaps.list(count=1).collect())[0]
    edited = await sdk.meeting_recaps.update(recap.uri, summary_md="## New", action_items_md=None)
    assert (edited.summary_md, edited.action_items_md) == ("## New", None)
    assert edited.discussion_md == recap.discussion_md
    assert (await sdk.meeting_recaps.get(recap.uri)).summary_md == "## New"
    transcript = await sdk.meeting_recaps.transcript(recap.uri)
    assert transcript.text
    assert "Thanks for joining" in transcript.text
    assert transcript.uri == recap.transcript
    await sdk.meeting_recaps.delete(recap.uri)
    with pytest.raises(NotFoundError):
        await sdk.meeting_recaps.get(recap.uri)
    with pytest.raises(NotFoundError):
        await sdk.meeting_recaps.transcript(recap.uri)
    assert recap.uri not in {r.uri for r in await sdk.meeting_recaps.list().collect()}


async def test_mock_fires_recap_webhooks_to_the_host(
    sdk: Calendly, mock: MockCalendly, serve: Serve
) -> None:
    url, received = await webhook_receiver(serve)
    recap = (await sdk.meeting_recaps.list(count=1).collect())[0]
    event = mock.state.events[(recap.event or "").rsplit("/", 1)[-1]]
    host = mock.state.uri("users", mock.state.host_uuid(event))
    events = ["meeting_recap.updated", "meeting_recap.deleted"]
    await sdk.webhooks.create(
        url, events, mock.organization_uri, "user", user=host
    )  # fmt: skip
    await sdk.meeting_recaps.update(recap.uri, summary_md="## Edited")
    await sdk.meeting_recaps.delete(recap.uri)
    await mock.deliverer.drain()
    updated, deleted = (parse_event(body) for body in received)
    assert [updated.event, deleted.event] == events
    assert isinstance(updated.payload, dict)
    assert updated.payload["recap"]["summary_md"] == "## Edited"
    assert updated.payload["event"]["uri"] == recap.event
    assert isinstance(deleted.payload, dict)
    assert set(deleted.payload["recap"]) == {"uri", "deleted_at"}
