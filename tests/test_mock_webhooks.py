"""Webhook deliveries fired by the mock's state changes, received on a loopback app.

Calendly rules (reference §7): cancelling an event sends one ``invitee.canceled`` per
invitee to each active subscription that covers it (organization scope, the host's
user scope, a group holding the host); a delivery is ``{event, created_at,
created_by, payload}`` with the Invitee fields plus the embedded
``scheduled_event``; ``routing_form_submission.created`` is organization-scoped; a
subscription with a signing key gets a ``Calendly-Webhook-Signature`` header.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import msgspec
import pytest
from aiohttp import web
from conftest import Serve
from multidict import CIMultiDict

from calendly_async.mock import MockCalendly
from calendly_async.webhooks import verify_signature

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30)
KEY = "whsec_mock_SECRET"


def clock() -> float:
    return NOW.timestamp()


class Receiver:
    """Records every delivery by path."""

    def __init__(self) -> None:
        self.received: list[tuple[str, CIMultiDict[str], bytes]] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{name}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            (request.match_info["name"], CIMultiDict(request.headers), await request.read())
        )
        return web.Response(status=204)

    def bodies(self, name: str) -> list[dict[str, Any]]:
        return [msgspec.json.decode(body) for path, _, body in self.received if path == name]


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=4, start=START, clock=clock, events=60, invitees_per_event=3, users=4,
        webhook_retry_delays=(0.0,),
    ) as server:  # fmt: skip
        yield server


@pytest.fixture
async def receiver(serve: Serve) -> tuple[Receiver, str]:
    receiver = Receiver()
    return receiver, await serve(receiver.app())


def independent_hmac_matches(header: str, body: bytes, key: str) -> bool:
    """Check ``t=<unix>,v1=<hex>`` with hmac/hashlib directly, not the SDK's verifier:
    v1 = HMAC-SHA256(key, f"{t}." + raw body) in lower-case hex (reference §7.3)."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    assert set(parts) == {"t", "v1"}, header
    assert int(parts["t"]) == int(clock())
    expected = hmac.new(key.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(parts["v1"], expected.hexdigest())


async def subscribe(mock: MockCalendly, **body: Any) -> dict[str, Any]:
    payload = {"organization": mock.organization_uri, "events": ["invitee.canceled"], **body}
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as http,
        http.post(f"{mock.url}/webhook_subscriptions", json=payload) as response,
    ):
        assert response.status == 201, await response.text()
        return (await response.json())["resource"]  # type: ignore[no-any-return]


async def cancel(mock: MockCalendly, event_uri: str) -> None:
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as http,
        http.post(f"{event_uri}/cancellation", json={"reason": "moved"}) as response,
    ):
        assert response.status == 201


async def test_cancellation_notifies_every_covering_subscription(
    mock: MockCalendly, receiver: tuple[Receiver, str]
) -> None:
    inbox, url = receiver
    store = mock.state

    def active_invitees(event_uri: str) -> int:
        booked = store.invitees[event_uri.rsplit("/", 1)[-1]].values()
        return sum(i.status == "active" for i in booked)

    event = next(
        e for e in sorted(store.events.values(), key=lambda e: e.start_time)
        if e.status == "active" and e.start_time > NOW and active_invitees(e.uri) >= 2
    )  # fmt: skip
    host_uuid = store.host_uuid(event)
    other = next(u for u in store.users if u != host_uuid)
    group = next(g for g in store.groups.values() if host_uuid in g.members)
    await subscribe(mock, url=f"{url}/org", scope="organization", signing_key=KEY)
    await subscribe(mock, url=f"{url}/host", scope="user", user=store.uri("users", host_uuid))
    await subscribe(mock, url=f"{url}/other", scope="user", user=store.uri("users", other))
    await subscribe(mock, url=f"{url}/group", scope="group", group=group.uri)
    await subscribe(mock, url=f"{url}/created", scope="organization", events=["invitee.created"])
    active = {
        i.uri for i in store.invitees[event.uri.rsplit("/", 1)[-1]].values() if i.status == "active"
    }
    await cancel(mock, event.uri)
    await mock.deliverer.drain()
    for name in ("org", "host", "group"):
        bodies = inbox.bodies(name)
        assert {b["payload"]["uri"] for b in bodies} == active, name
        assert len(bodies) == len(active)
    assert inbox.bodies("other") == []
    assert inbox.bodies("created") == []
    delivery = inbox.bodies("org")[0]
    assert delivery["event"] == "invitee.canceled"
    assert delivery["created_by"] == mock.owner_uri
    payload = delivery["payload"]
    assert payload["status"] == "canceled"
    assert payload["cancellation"]["reason"] == "moved"
    assert payload["scheduled_event"]["uri"] == event.uri
    assert payload["scheduled_event"]["status"] == "canceled"
    signed = [(h, b) for path, h, b in inbox.received if path == "org"]
    assert len(signed) == len(active)
    for headers, body in signed:
        assert independent_hmac_matches(headers["Calendly-Webhook-Signature"], body, KEY)
        assert not independent_hmac_matches(headers["Calendly-Webhook-Signature"], body + b" ", KEY)
        verify_signature(body, headers["Calendly-Webhook-Signature"], KEY, now=clock())
    unsigned = next(h for path, h, _ in inbox.received if path == "host")
    assert "Calendly-Webhook-Signature" not in unsigned


async def test_booking_fires_invitee_created(
    mock: MockCalendly, receiver: tuple[Receiver, str]
) -> None:
    inbox, url = receiver
    await subscribe(mock, url=f"{url}/created", scope="organization", events=["invitee.created"])
    event_type = next(iter(mock.state.event_types))
    event, invitee = mock.book(event_type, NOW + timedelta(days=3), "pat@example.com", "Pat Doe")
    await mock.deliverer.drain()
    [delivery] = inbox.bodies("created")
    assert delivery["event"] == "invitee.created"
    assert delivery["payload"]["uri"] == invitee.uri
    assert delivery["payload"]["email"] == "pat@example.com"
    assert delivery["payload"]["scheduled_event"]["uri"] == event.uri
    assert mock.state.events[event.uri.rsplit("/", 1)[-1]] is event


async def test_routing_form_submission_reaches_organization_subscriptions(
    mock: MockCalendly, receiver: tuple[Receiver, str]
) -> None:
    inbox, url = receiver
    await subscribe(
        mock, url=f"{url}/forms", scope="organization", events=["routing_form_submission.created"]
    )
    await subscribe(
        mock, url=f"{url}/user", scope="user", user=mock.owner_uri, events=["invitee.created"]
    )
    form_uuid, form = next(iter(mock.state.routing_forms.items()))
    submission = mock.submit_routing_form(form.uri, {"Name": "Kim", "Email": "kim@example.com"})
    await mock.deliverer.drain()
    [delivery] = inbox.bodies("forms")
    assert delivery["event"] == "routing_form_submission.created"
    assert delivery["payload"]["uri"] == submission.uri
    answers = {a["question"]: a["answer"] for a in delivery["payload"]["questions_and_answers"]}
    assert answers["Name"] == "Kim"
    assert answers["What is your industry?"] is None
    assert inbox.bodies("user") == []
    assert mock.state.submissions[submission.uri.rsplit("/", 1)[-1]].routing_form == form.uri
    assert form_uuid in form.uri


async def test_removed_member_user_subscriptions_stop(
    mock: MockCalendly, receiver: tuple[Receiver, str]
) -> None:
    inbox, url = receiver
    membership = list(mock.state.memberships.values())[1]
    user = membership.user.uri
    subscription = await subscribe(
        mock, url=f"{url}/gone", scope="user", user=user, events=["invitee.created"]
    )
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as http,
        http.delete(membership.uri) as response,
    ):
        assert response.status == 204
    assert mock.state.webhooks[subscription["uri"].rsplit("/", 1)[-1]].state == "disabled"
    event_type = next(
        uuid for uuid, et in mock.state.event_types.items() if et.profile.owner == user
    )
    mock.book(event_type, NOW + timedelta(days=2), "late@example.com", "Late Comer")
    await mock.deliverer.drain()
    assert inbox.bodies("gone") == []


def test_helpers_refuse_unknown_targets() -> None:
    mock = MockCalendly(events=0)
    with pytest.raises(ValueError, match="event type"):
        mock.book("NOPE", NOW, "a@example.com", "A")
    with pytest.raises(ValueError, match="routing form"):
        mock.submit_routing_form("NOPE", {})
