"""The Scheduling API, ``client.invitees.create()`` (``POST /invitees``; reference
§6.6, §4): the body sent, never a retry that could book twice, and real bookings
against the mock server (open slots only, ``invitee.created`` fired)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, FakeTime, assert_round_trips, fixture, resource_body

from calendly_async import (
    BadRequestError,
    Calendly,
    EventType,
    InvalidInputError,
    Invitee,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    QuestionAndAnswer,
    ReadTimeout,
    RetryPolicy,
    ServerError,
    Tracking,
)
from calendly_async.mock import MockCalendly
from calendly_async.webhooks import InviteePayload, parse_event

URL = f"{BASE}/invitees"
EVENT_TYPE = f"{BASE}/event_types/AAAAAAAAAAAAAAAA"
UNSAFE = RetryPolicy(retry_unsafe=True, retry_on_all_errors=True, backoff_base=0.0)


def created() -> dict[str, Any]:
    return resource_body({**fixture("get_event_invitee")["resource"], "scheduling_method": "api"})


def body_of(kwargs: dict[str, Any]) -> Any:
    return msgspec.json.decode(kwargs["data"])


# -- the request (aioresponses) ---------------------------------------------------------------


async def test_create_sends_the_whole_booking(client: Calendly, api: aioresponses) -> None:
    api.post(URL, status=201, payload=created())
    invitee = await client.invitees.create(
        "AAAAAAAAAAAAAAAA",
        datetime(2030, 1, 2, 11, 30, tzinfo=timezone(timedelta(hours=2))),
        email="pat@example.com",
        timezone="Europe/Berlin",
        first_name="Pat",
        last_name="Lee",
        location={"kind": "outbound_call", "location": "+1 555 0100"},
        questions_and_answers=[
            QuestionAndAnswer(question="Company Name", answer="Acme", position=0),
            {"question": "Team size", "answer": "2-10", "position": 1},
        ],
        tracking=Tracking(utm_source="newsletter"),
        event_guests=["guest@example.com"],
        text_reminder_number="+1 555 0101",
    )
    assert isinstance(invitee, Invitee)
    assert invitee.scheduling_method == "api"
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", URL)
    assert body_of(kwargs) == {
        "event_type": EVENT_TYPE,
        "start_time": "2030-01-02T09:30:00.000000Z",
        "invitee": {
            "email": "pat@example.com",
            "timezone": "Europe/Berlin",
            "first_name": "Pat",
            "last_name": "Lee",
            "text_reminder_number": "+1 555 0101",
        },
        "location": {"kind": "outbound_call", "location": "+1 555 0100"},
        "questions_and_answers": [
            {"question": "Company Name", "answer": "Acme", "position": 0},
            {"question": "Team size", "answer": "2-10", "position": 1},
        ],
        "tracking": {"utm_source": "newsletter"},
        "event_guests": ["guest@example.com"],
    }


async def test_create_sends_only_what_is_given(client: Calendly, api: aioresponses) -> None:
    api.post(URL, status=201, payload=created())
    invitee = await client.invitees.create(
        EVENT_TYPE, "2030-01-02T09:30:00Z", email="pat@example.com", timezone="UTC", name="Pat"
    )
    assert_round_trips(created()["resource"], invitee)
    ((_, _, kwargs),) = sent(api)
    assert body_of(kwargs) == {
        "event_type": EVENT_TYPE,
        "start_time": "2030-01-02T09:30:00.000000Z",
        "invitee": {"email": "pat@example.com", "timezone": "UTC", "name": "Pat"},
    }


BOOKING: dict[str, Any] = {
    "event_type": EVENT_TYPE,
    "start_time": "2030-01-02T09:30:00Z",
    "email": "pat@example.com",
    "timezone": "UTC",
    "name": "Pat",
}


@pytest.mark.parametrize(
    "changes",
    [
        {"event_type": f"{BASE}/scheduled_events/AAAA"},
        {"start_time": datetime(2030, 1, 2, 9, 30)},
        {"start_time": "next tuesday"},
        {"email": "not-an-email"},
        {"timezone": "Mars/Olympus"},
        {"timezone": ""},
        {"name": None},
        {"name": None, "first_name": " "},
        {"location": {"location": "HQ"}},
        {"location": {"kind": "physical"}},
        {"location": {"kind": "ask_invitee", "location": ""}},
        {"questions_and_answers": [{"question": "Company Name", "answer": "Acme"}]},
        {"questions_and_answers": [{"answer": "Acme", "position": 0}]},
        {"questions_and_answers": {"question": "Company Name"}},
        {"event_guests": [f"g{i}@example.com" for i in range(11)]},
        {"event_guests": ["nobody"]},
        {"event_guests": "guest@example.com"},
    ],
)
async def test_create_refuses_bad_bookings_before_sending(
    client: Calendly, api: aioresponses, changes: dict[str, Any]
) -> None:
    arguments = {**BOOKING, **changes}
    with pytest.raises(InvalidInputError):
        await client.invitees.create(**arguments)
    assert sent(api) == []


# -- never retried after a 5xx or a read timeout ------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500, "payload": {"title": "Internal Server Error", "message": "x"}},
        {"status": 503, "payload": {"title": "Service Unavailable", "message": "x"}},
        {"exception": TimeoutError()},
    ],
)
async def test_create_is_sent_once_even_when_the_policy_allows_unsafe_retries(
    api: aioresponses, fake_time: FakeTime, failure: dict[str, Any]
) -> None:
    api.post(URL, **failure)
    api.post(URL, status=201, payload=created())
    async with Calendly(
        token=TOKEN, retry=UNSAFE, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        with pytest.raises((ServerError, ReadTimeout)):
            await client.invitees.create(**BOOKING)
    assert len(sent(api)) == 1
    assert fake_time.sleeps == []


async def test_create_is_retried_after_a_rate_limit(api: aioresponses, fake_time: FakeTime) -> None:
    # A 429 means Calendly refused the request without booking: safe to resend.
    api.post(URL, status=429, headers={"X-RateLimit-Reset": "7"}, payload={})
    api.post(URL, status=201, payload=created())
    async with Calendly(token=TOKEN, sleep=fake_time.sleep, clock=fake_time.clock) as client:
        invitee = await client.invitees.create(**BOOKING)
    assert invitee.scheduling_method == "api"
    assert len(sent(api)) == 2
    assert fake_time.sleeps == [7.0]


async def test_a_server_error_after_booking_books_once_over_loopback(serve: Serve) -> None:
    seen: list[Any] = []

    async def book_then_fail(request: web.Request) -> web.Response:
        seen.append(await request.json())
        return web.json_response({"title": "Internal Server Error", "message": "x"}, status=500)

    app = web.Application()
    app.router.add_post("/invitees", book_then_fail)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url, retry=UNSAFE) as client:
        with pytest.raises(ServerError):
            await client.invitees.create(**{**BOOKING, "event_type": "AAAAAAAAAAAAAAAA"})
        with pytest.raises(ServerError):
            await client.with_options(retry=UNSAFE).invitees.create(**BOOKING)
    assert len(seen) == 2
    assert seen[0]["event_type"] == f"{BASE}/event_types/AAAAAAAAAAAAAAAA"


async def test_a_dropped_connection_after_sending_books_once_over_loopback(serve: Serve) -> None:
    seen: list[Any] = []

    async def drop(request: web.Request) -> web.Response:
        seen.append(await request.json())
        assert request.transport is not None
        request.transport.close()
        return web.Response(status=201)

    app = web.Application()
    app.router.add_post("/invitees", drop)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url, retry=UNSAFE) as client:
        with pytest.raises(NetworkError):
            await client.invitees.create(**BOOKING)
    assert len(seen) == 1


async def test_a_read_timeout_books_once_over_loopback(serve: Serve) -> None:
    seen: list[Any] = []
    release = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        seen.append(await request.json())
        await release.wait()
        return web.Response(status=201)

    app = web.Application()
    app.router.add_post("/invitees", hang)
    url = await serve(app)
    try:
        async with Calendly(token=TOKEN, base_url=url, retry=UNSAFE, timeout=0.2) as client:
            with pytest.raises(ReadTimeout):
                await client.invitees.create(**BOOKING)
    finally:
        release.set()
    assert len(seen) == 1


# -- bookings on the mock server (loopback) ---------------------------------------------------

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30, hours=6)


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=17, start=START, clock=lambda: NOW.timestamp(), events=40, users=3,
        invitees_per_event=1, webhook_retry_delays=(0.0,),
    ) as server:  # fmt: skip
        yield server


@pytest.fixture
async def sdk(mock: MockCalendly) -> AsyncIterator[Calendly]:
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        yield client


def bookable(mock: MockCalendly, kind: str) -> EventType:
    return next(
        e for e in mock.state.event_types.values()
        if e.active and e.locations and e.locations[0].kind == kind
    )  # fmt: skip


ANSWERS = [{"question": "Company Name", "answer": "Acme", "position": 0}]


async def test_mock_books_an_open_slot(sdk: Calendly, mock: MockCalendly, serve: Serve) -> None:
    deliveries: list[bytes] = []

    async def receive(request: web.Request) -> web.Response:
        deliveries.append(await request.read())
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", receive)
    hook = await serve(app)
    await sdk.webhooks.create(
        f"{hook}/hook", ["invitee.created"], mock.organization_uri, "organization"
    )
    event_type = bookable(mock, "physical")
    slots = await sdk.event_types.available_times(
        event_type.uri, NOW + timedelta(hours=1), NOW + timedelta(days=7)
    )
    slot = slots[0].start_time
    assert slot is not None
    invitee = await sdk.invitees.create(
        event_type.uri,
        slot,
        email="pat@example.com",
        timezone="America/New_York",
        first_name="Pat",
        last_name="Lee",
        questions_and_answers=ANSWERS,
        tracking={"utm_campaign": "launch"},
        event_guests=["guest@example.com"],
    )
    assert (invitee.status, invitee.scheduling_method) == ("active", "api")
    assert (invitee.name, invitee.first_name, invitee.last_name) == ("Pat Lee", "Pat", "Lee")
    assert invitee.invitee_scheduled_by == mock.owner_uri
    assert invitee.tracking is not None
    assert invitee.tracking.utm_campaign == "launch"
    assert [(q.question, q.answer) for q in invitee.questions_and_answers] == [
        ("Company Name", "Acme")
    ]
    event = await sdk.scheduled_events.get(invitee.event or "")
    assert (event.start_time, event.event_type) == (slot, event_type.uri)
    assert [g.email for g in event.event_guests] == ["guest@example.com"]
    assert await sdk.invitees.get(event.uri, invitee.uri) == invitee
    after = await sdk.event_types.available_times(
        event_type.uri, NOW + timedelta(hours=1), NOW + timedelta(days=7)
    )
    assert slot not in {s.start_time for s in after}
    with pytest.raises(NotFoundError):
        await sdk.invitees.create(
            event_type.uri, slot, email="sam@example.com", timezone="UTC", name="Sam",
            questions_and_answers=ANSWERS,
        )  # fmt: skip
    await mock.deliverer.drain()
    (delivery,) = [parse_event(body) for body in deliveries]
    assert delivery.event == "invitee.created"
    assert isinstance(delivery.payload, InviteePayload)
    assert delivery.payload.uri == invitee.uri
    assert delivery.payload.scheduling_method == "api"


async def test_mock_enforces_location_and_required_answers(
    sdk: Calendly, mock: MockCalendly
) -> None:
    event_type = bookable(mock, "outbound_call")
    slots = await sdk.event_types.available_times(
        event_type.uri, NOW + timedelta(hours=1), NOW + timedelta(days=7)
    )
    slot = slots[0].start_time
    assert slot is not None
    base: dict[str, Any] = {"email": "pat@example.com", "timezone": "UTC", "name": "Pat"}
    phone_answers = [*ANSWERS, {"question": "Phone Number", "answer": "+1 555 0100", "position": 3}]
    with pytest.raises(BadRequestError, match="location"):
        await sdk.invitees.create(event_type.uri, slot, questions_and_answers=phone_answers, **base)
    with pytest.raises(BadRequestError, match="location"):
        await sdk.invitees.create(
            event_type.uri, slot, location={"kind": "physical", "location": "HQ"},
            questions_and_answers=phone_answers, **base,
        )  # fmt: skip
    with pytest.raises(BadRequestError, match="questions_and_answers"):
        await sdk.invitees.create(
            event_type.uri, slot, location={"kind": "outbound_call", "location": "+1 555 0100"},
            questions_and_answers=ANSWERS, **base,
        )  # fmt: skip
    invitee = await sdk.invitees.create(
        event_type.uri, slot, location={"kind": "outbound_call", "location": "+1 555 0100"},
        questions_and_answers=phone_answers, **base,
    )  # fmt: skip
    event = await sdk.scheduled_events.get(invitee.event or "")
    assert event.location is not None
    assert (event.location.type, event.location.location) == ("outbound_call", "+1 555 0100")


async def test_mock_refuses_closed_slots_unknown_types_and_free_plans(
    sdk: Calendly, mock: MockCalendly
) -> None:
    event_type = bookable(mock, "physical")
    base: dict[str, Any] = {
        "email": "pat@example.com", "timezone": "UTC", "name": "Pat",
        "questions_and_answers": ANSWERS,
    }  # fmt: skip
    saturday_night = (NOW + timedelta(days=(5 - NOW.weekday()) % 7 or 7)).replace(hour=23)
    with pytest.raises(NotFoundError):
        await sdk.invitees.create(event_type.uri, saturday_night, **base)
    with pytest.raises(BadRequestError, match="start_time"):
        await sdk.invitees.create(event_type.uri, NOW - timedelta(days=1), **base)
    with pytest.raises(NotFoundError):
        await sdk.invitees.create("NOSUCHEVENTTYPE0", NOW + timedelta(days=1), **base)
    mock.state.organization.plan = "basic"
    with pytest.raises(PermissionDeniedError, match="paid Calendly plans"):
        await sdk.invitees.create(event_type.uri, NOW + timedelta(days=1), **base)
    assert all(
        i.scheduling_method != "api" or i.email != "pat@example.com"
        for i in mock.state.iter_invitees()
    )
