"""The mock server's webhook Deliverer, against inline aiohttp receivers on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket

from aiohttp import web
from conftest import Serve
from helpers import FakeTime
from multidict import CIMultiDict

from calendly_async.mock._deliveries import Deliverer, DeliveryAttempt
from calendly_async.webhooks import parse_event, verify_signature

KEY = "whsec_deliverer_SECRET_99"
SUB = "https://api.calendly.com/webhook_subscriptions/W1"
CREATOR = "https://api.calendly.com/users/U1"
PAYLOAD = {"uri": "https://api.calendly.com/scheduled_events/E1/invitees/I1", "email": "a@b.c"}
DELAYS = (0.05, 0.1, 0.2)


class Inbox:
    """An inline receiver answering from a script of statuses (the last one repeats)."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses) or [200]
        self.requests: list[tuple[CIMultiDict[str], bytes]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((CIMultiDict(request.headers), await request.read()))
        index = min(len(self.requests), len(self.statuses)) - 1
        status = self.statuses[index]
        if 300 <= status < 400:
            raise web.HTTPFound("/elsewhere")
        return web.Response(status=status, text="ok")

    async def elsewhere(self, request: web.Request) -> web.Response:
        raise AssertionError("the deliverer must not follow redirects")

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        app.router.add_post("/elsewhere", self.elsewhere)
        return app


def fake_time() -> FakeTime:
    fake = FakeTime()
    fake.now = 1_700_000_000.25
    return fake


def deliver(deliverer: Deliverer, url: str, key: str | None = KEY) -> None:
    deliverer.deliver(
        callback_url=url,
        subscription_uri=SUB,
        signing_key=key,
        event="invitee.created",
        payload=PAYLOAD,
        created_by=CREATOR,
    )


async def test_a_500_then_200_takes_two_attempts_and_is_delivered(serve: Serve) -> None:
    inbox, fake = Inbox(500, 200), fake_time()
    url = await serve(inbox.app()) + "/hook"
    deliverer = Deliverer(retry_delays=DELAYS, sleep=fake.sleep, clock=fake.clock)
    deliver(deliverer, url)
    await deliverer.drain()
    (record,) = deliverer.records
    assert record.attempts == [DeliveryAttempt(500, None), DeliveryAttempt(200, None)]
    assert record.delivered is True
    assert fake.sleeps == [0.05]
    assert (record.url, record.subscription_uri, record.event) == (url, SUB, "invitee.created")
    await deliverer.aclose()


async def test_always_failing_uses_every_retry_then_gives_up(serve: Serve) -> None:
    inbox, fake = Inbox(503), fake_time()
    url = await serve(inbox.app()) + "/hook"
    deliverer = Deliverer(retry_delays=DELAYS, sleep=fake.sleep, clock=fake.clock)
    deliver(deliverer, url)
    await deliverer.drain()
    (record,) = deliverer.records
    assert len(record.attempts) == len(DELAYS) + 1 == len(inbox.requests)
    assert {a.status for a in record.attempts} == {503}
    assert record.delivered is False
    assert fake.sleeps == list(DELAYS)
    await deliverer.aclose()


async def test_the_delivery_is_signed_as_calendly_signs(serve: Serve) -> None:
    inbox, fake = Inbox(200), fake_time()
    url = await serve(inbox.app()) + "/hook"
    deliverer = Deliverer(sleep=fake.sleep, clock=fake.clock)
    deliver(deliverer, url)
    await deliverer.drain()
    ((headers, body),) = inbox.requests
    # Independent check (reference §7.3): HMAC-SHA256 over "<t>." + the raw body.
    fields = dict(item.split("=", 1) for item in headers["Calendly-Webhook-Signature"].split(","))
    assert set(fields) == {"t", "v1"}
    assert fields["t"] == "1700000000"
    expected = hmac.new(KEY.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(fields["v1"], expected.hexdigest())
    verify_signature(body, headers["Calendly-Webhook-Signature"], KEY, now=fake.now)
    assert headers["Content-Type"] == "application/json"
    envelope = json.loads(body)
    assert envelope == {
        "event": "invitee.created",
        "created_at": "2023-11-14T22:13:20.250000Z",
        "created_by": CREATOR,
        "payload": PAYLOAD,
    }
    assert parse_event(body).payload_uri == PAYLOAD["uri"]
    assert deliverer.records[0].body == body
    assert KEY.encode() not in body
    assert KEY not in repr(deliverer.records[0])
    await deliverer.aclose()


async def test_retries_keep_the_body_and_sign_with_the_time_of_each_attempt(
    serve: Serve,
) -> None:
    inbox, fake = Inbox(500, 500, 200), fake_time()
    url = await serve(inbox.app()) + "/hook"
    deliverer = Deliverer(retry_delays=(30, 60), sleep=fake.sleep, clock=fake.clock)
    deliver(deliverer, url)
    await deliverer.drain()
    bodies = {body for _, body in inbox.requests}
    stamps = [h["Calendly-Webhook-Signature"].split(",")[0] for h, _ in inbox.requests]
    assert len(bodies) == 1
    assert stamps == ["t=1700000000", "t=1700000030", "t=1700000090"]
    for headers, body in inbox.requests:
        verify_signature(
            body, headers["Calendly-Webhook-Signature"], KEY, now=fake.now, tolerance=100
        )
    await deliverer.aclose()


async def test_without_a_signing_key_no_signature_is_sent(serve: Serve) -> None:
    inbox = Inbox(200)
    url = await serve(inbox.app()) + "/hook"
    deliverer = Deliverer()
    deliver(deliverer, url, key=None)
    await deliverer.drain()
    ((headers, _),) = inbox.requests
    assert "Calendly-Webhook-Signature" not in headers
    assert deliverer.records[0].delivered
    await deliverer.aclose()


async def test_redirects_are_failures_and_not_followed(serve: Serve) -> None:
    inbox, fake = Inbox(302), fake_time()
    url = await serve(inbox.app()) + "/hook"
    deliverer = Deliverer(retry_delays=(1,), sleep=fake.sleep, clock=fake.clock)
    deliver(deliverer, url)
    await deliverer.drain()
    (record,) = deliverer.records
    assert [a.status for a in record.attempts] == [302, 302]
    assert record.delivered is False
    await deliverer.aclose()


async def test_connection_errors_are_recorded_and_retried() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fake = fake_time()
    deliverer = Deliverer(retry_delays=(1, 2), sleep=fake.sleep, clock=fake.clock)
    deliver(deliverer, f"http://127.0.0.1:{port}/hook")
    await deliverer.drain()
    (record,) = deliverer.records
    assert len(record.attempts) == 3
    assert all(a.status is None and a.error for a in record.attempts)
    assert record.delivered is False
    assert KEY not in repr(record)
    await deliverer.aclose()


async def test_records_appear_at_once_and_drain_waits_for_all(serve: Serve) -> None:
    inbox = Inbox(200)
    url = await serve(inbox.app()) + "/hook"
    deliverer = Deliverer()
    for _ in range(5):
        deliver(deliverer, url)
    assert len(deliverer.records) == 5
    assert all(r.attempts == [] for r in deliverer.records)
    await deliverer.drain()
    assert all(r.delivered for r in deliverer.records)
    assert len(inbox.requests) == 5
    await deliverer.aclose()


async def test_aclose_cancels_pending_deliveries(serve: Serve) -> None:
    arrived = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        arrived.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    app = web.Application()
    app.router.add_post("/hook", hang)
    url = await serve(app) + "/hook"
    deliverer = Deliverer()
    deliver(deliverer, url)
    await arrived.wait()
    await deliverer.aclose()
    await deliverer.drain()  # nothing left to wait for
    (record,) = deliverer.records
    assert record.delivered is False
    assert record.attempts == []


def test_repr_counts_without_secrets() -> None:
    assert repr(Deliverer()) == "Deliverer(records=0, pending=0)"
