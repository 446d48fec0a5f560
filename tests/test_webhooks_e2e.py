"""End to end over loopback: subscribe through the SDK on the mock server, act through
the SDK, and receive the signed, typed delivery in a WebhookReceiver on another port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import Serve

from calendly_async import Calendly
from calendly_async.mock import MockCalendly
from calendly_async.webhooks import InviteePayload, WebhookEvent, WebhookReceiver

KEY = "whsec_e2e_SECRET_signing_key"
START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30)  # half the seeded events are past, half to come


def clock() -> float:
    """The one clock of the mock (signatures, "past" events) and of the receiver."""
    return NOW.timestamp()


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    # No wait between retries: the tests never depend on wall-clock time.
    async with MockCalendly(
        seed=7, events=20, start=START, clock=clock, webhook_retry_delays=(0.0, 0.0)
    ) as server:
        yield server


async def first_active_event(client: Calendly, organization: str) -> str:
    events = await client.scheduled_events.list(
        organization=organization, status="active", min_start_time=NOW
    ).collect()
    for event in events:
        invitees = await client.invitees.list(event.uri, status="active").collect()
        if invitees:
            return event.uri
    raise AssertionError("the seeded mock has no active event with invitees")


async def test_cancel_through_the_sdk_delivers_a_signed_typed_invitee_canceled(
    mock: MockCalendly, serve: Serve
) -> None:
    receiver = WebhookReceiver(KEY, clock=clock)
    received: list[WebhookEvent] = []

    @receiver.on("invitee.canceled")
    async def canceled(event: WebhookEvent) -> None:
        received.append(event)

    callback = await serve(receiver.app()) + receiver.path
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        subscription = await client.webhooks.ensure(
            callback,
            ["invitee.created", "invitee.canceled"],
            mock.organization_uri,
            "organization",
            signing_key=KEY,
        )
        again = await client.webhooks.ensure(
            callback,
            ["invitee.canceled", "invitee.created"],
            mock.organization_uri,
            "organization",
            signing_key=KEY,
        )
        assert again.uri == subscription.uri
        event_uri = await first_active_event(client, mock.organization_uri)
        invitees = await client.invitees.list(event_uri, status="active").collect()
        await client.scheduled_events.cancel(event_uri, reason="e2e")
    await mock.deliverer.drain()
    await receiver.drain()

    records = [r for r in mock.deliverer.records if r.subscription_uri == subscription.uri]
    assert records, "the mock delivered nothing for the subscription"
    assert all(r.delivered and len(r.attempts) == 1 for r in records)
    assert {e.payload_uri for e in received} == {i.uri for i in invitees}
    for event in received:
        assert event.event == "invitee.canceled"
        payload = event.payload
        assert isinstance(payload, InviteePayload)
        assert payload.scheduled_event is not None
        assert payload.scheduled_event.uri == event_uri
        assert payload.scheduled_event.status == "canceled" or payload.cancellation is not None
        assert payload.status == "canceled"
    assert not receiver.failures


async def test_a_receiver_with_another_key_refuses_and_the_mock_retries(
    mock: MockCalendly, serve: Serve
) -> None:
    receiver = WebhookReceiver("whsec_some_other_key", clock=clock)
    received: list[WebhookEvent] = []

    @receiver.on("*")
    async def anything(event: WebhookEvent) -> None:
        received.append(event)

    callback = await serve(receiver.app()) + receiver.path
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        await client.webhooks.create(
            callback, ["invitee.canceled"], mock.organization_uri, "organization", signing_key=KEY
        )
        event_uri = await first_active_event(client, mock.organization_uri)
        await client.scheduled_events.cancel(event_uri, reason="e2e")
    await mock.deliverer.drain()
    await receiver.drain()

    assert mock.deliverer.records
    for record in mock.deliverer.records:
        assert not record.delivered
        assert [a.status for a in record.attempts] == [403, 403, 403]
    assert received == []


async def test_a_booking_reaches_a_user_scoped_subscription_as_invitee_created(
    mock: MockCalendly, serve: Serve
) -> None:
    receiver = WebhookReceiver(KEY, clock=clock)
    received: list[WebhookEvent] = []

    @receiver.on("invitee.created")
    async def created(event: WebhookEvent) -> None:
        received.append(event)

    callback = await serve(receiver.app()) + receiver.path
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        await client.webhooks.ensure(
            callback,
            "invitee.created",
            mock.organization_uri,
            "user",
            user=mock.owner_uri,
            signing_key=KEY,
        )
        event_type = (await client.event_types.list(user=mock.owner_uri).collect(limit=1))[0]
    booked, invitee = mock.book(event_type.uri, NOW + timedelta(days=3), "ada@example.com", "Ada")
    await mock.deliverer.drain()
    await receiver.drain()

    (event,) = received
    assert isinstance(event.payload, InviteePayload)
    assert event.payload.uri == invitee.uri
    assert event.payload.email == "ada@example.com"
    assert event.payload.scheduled_event is not None
    assert event.payload.scheduled_event.uri == booked.uri
    assert event.payload.scheduled_event.status == "active"
    assert event.created_by == mock.owner_uri
