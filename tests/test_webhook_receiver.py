"""WebhookReceiver over real loopback HTTP: verify, refuse, de-duplicate, dispatch.

Signatures are computed in the test with hmac/hashlib (reference §7.3).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from conftest import Serve

from calendly_async.errors import InvalidInputError
from calendly_async.webhooks import (
    SIGNATURE_HEADER,
    InviteePayload,
    WebhookEvent,
    WebhookReceiver,
)

KEY = "whsec_receiver_SECRET_key_777"
OLD_KEY = "whsec_receiver_OLD_key_000"
NOW = 1_700_000_000
PATH = "/webhooks/calendly"
INVITEE = "https://api.calendly.com/scheduled_events/E1/invitees/I1"


def body_for(
    event: str = "invitee.created",
    uri: str = INVITEE,
    created_at: str = "2024-05-01T09:00:00.000000Z",
) -> bytes:
    return json.dumps(
        {
            "event": event,
            "created_at": created_at,
            "created_by": "https://api.calendly.com/users/U1",
            "payload": {"uri": uri, "email": "ada@example.com", "status": "active"},
        }
    ).encode()


def signed(body: bytes, key: str = KEY, t: int = NOW) -> dict[str, str]:
    mac = hmac.new(key.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return {SIGNATURE_HEADER: f"t={t},v1={mac}", "Content-Type": "application/json"}


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def start(serve: Serve, receiver: WebhookReceiver) -> str:
    return await serve(receiver.app()) + receiver.path


async def post(
    http: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> tuple[int, Any]:
    async with http.post(url, data=body, headers=headers) as response:
        return response.status, await response.json(content_type=None)


def receiver_with_log(**kwargs: Any) -> tuple[WebhookReceiver, list[WebhookEvent]]:
    receiver = WebhookReceiver(KEY, clock=lambda: NOW, **kwargs)
    seen: list[WebhookEvent] = []

    @receiver.on("*")
    async def record(event: WebhookEvent) -> None:
        seen.append(event)

    return receiver, seen


async def test_a_signed_delivery_is_accepted_and_dispatched_typed(
    serve: Serve, http: aiohttp.ClientSession
) -> None:
    receiver = WebhookReceiver(KEY, clock=lambda: NOW)
    created: list[WebhookEvent] = []

    @receiver.on("invitee.created")
    async def on_created(event: WebhookEvent) -> None:
        created.append(event)

    url = await start(serve, receiver)
    body = body_for()
    assert await post(http, url, body, signed(body)) == (200, {"status": "accepted"})
    await receiver.drain()
    (event,) = created
    assert isinstance(event.payload, InviteePayload)
    assert event.payload.email == "ada@example.com"


async def test_handlers_run_by_event_name_then_catch_all(
    serve: Serve, http: aiohttp.ClientSession
) -> None:
    receiver = WebhookReceiver(KEY, clock=lambda: NOW)
    calls: list[tuple[str, str]] = []

    @receiver.on("invitee.created", "invitee.canceled")
    async def specific(event: WebhookEvent) -> None:
        calls.append(("specific", event.event))

    @receiver.on("*")
    async def catch_all(event: WebhookEvent) -> None:
        calls.append(("any", event.event))

    url = await start(serve, receiver)
    for name in ("invitee.canceled", "meeting_recap.created"):
        body = body_for(name)
        assert (await post(http, url, body, signed(body)))[0] == 200
        await receiver.drain()
    assert calls == [
        ("specific", "invitee.canceled"),
        ("any", "invitee.canceled"),
        ("any", "meeting_recap.created"),
    ]


async def test_the_answer_does_not_wait_for_handlers(
    serve: Serve, http: aiohttp.ClientSession
) -> None:
    receiver = WebhookReceiver(KEY, clock=lambda: NOW)
    release = asyncio.Event()
    finished: list[str] = []

    @receiver.on("invitee.created")
    async def slow(event: WebhookEvent) -> None:
        await release.wait()
        finished.append(event.event)

    url = await start(serve, receiver)
    body = body_for()
    assert (await post(http, url, body, signed(body)))[0] == 200
    assert finished == []  # answered while the handler is still waiting
    release.set()
    await receiver.drain()
    assert finished == ["invitee.created"]


async def test_a_failing_handler_is_kept_logged_and_does_not_fail_the_response(
    serve: Serve, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="calendly_async")
    receiver = WebhookReceiver(KEY, clock=lambda: NOW)
    after: list[str] = []

    @receiver.on("invitee.created")
    async def broken(event: WebhookEvent) -> None:
        raise RuntimeError("database is down")

    @receiver.on("*")
    async def still_runs(event: WebhookEvent) -> None:
        after.append(event.event)

    url = await start(serve, receiver)
    body = body_for()
    headers = signed(body)
    assert await post(http, url, body, headers) == (200, {"status": "accepted"})
    await receiver.drain()
    (failure,) = receiver.failures
    assert failure.event.event == "invitee.created"
    assert failure.event.payload_uri == INVITEE
    assert failure.handler.endswith("broken")
    assert isinstance(failure.error, RuntimeError)
    assert after == ["invitee.created"]
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "invitee.created" in record.getMessage()
    assert INVITEE in record.getMessage()
    assert KEY not in caplog.text
    assert headers[SIGNATURE_HEADER].split("v1=")[1] not in caplog.text


async def test_failures_are_bounded(serve: Serve, http: aiohttp.ClientSession) -> None:
    receiver = WebhookReceiver(KEY, clock=lambda: NOW, max_failures=2)

    @receiver.on("*")
    async def broken(event: WebhookEvent) -> None:
        raise ValueError(event.payload_uri)

    url = await start(serve, receiver)
    for n in range(3):
        body = body_for(uri=f"{INVITEE}{n}")
        await post(http, url, body, signed(body))
    await receiver.drain()
    assert [str(f.error) for f in receiver.failures] == [f"{INVITEE}1", f"{INVITEE}2"]


async def test_repeated_deliveries_are_dispatched_once(
    serve: Serve, http: aiohttp.ClientSession
) -> None:
    receiver, seen = receiver_with_log()
    url = await start(serve, receiver)
    body = body_for()
    assert await post(http, url, body, signed(body)) == (200, {"status": "accepted"})
    # Calendly's retry: same body, signed again a little later.
    assert await post(http, url, body, signed(body, t=NOW - 5)) == (200, {"status": "duplicate"})
    other_time = body_for(created_at="2024-05-01T09:00:01.000000Z")
    other_uri = body_for(uri=f"{INVITEE}X")
    other_event = body_for("invitee.canceled")
    for distinct in (other_time, other_uri, other_event):
        assert await post(http, url, distinct, signed(distinct)) == (200, {"status": "accepted"})
    await receiver.drain()
    assert len(seen) == 4


async def test_deduplication_memory_is_bounded(serve: Serve, http: aiohttp.ClientSession) -> None:
    receiver, seen = receiver_with_log(remember=2)
    url = await start(serve, receiver)
    first, second, third = (body_for(uri=f"{INVITEE}{n}") for n in range(3))
    statuses = []
    for body in (first, second, first, third, first):
        statuses.append((await post(http, url, body, signed(body)))[1]["status"])
    await receiver.drain()
    # "first" is remembered until two newer deliveries push it out.
    assert statuses == ["accepted", "accepted", "duplicate", "accepted", "duplicate"]
    assert (await post(http, url, second, signed(second)))[1]["status"] == "accepted"
    await receiver.drain()
    assert len(seen) == 4


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({SIGNATURE_HEADER: ""}, 401),
        ({SIGNATURE_HEADER: "t=abc,v1=00"}, 401),
        ({SIGNATURE_HEADER: f"v1={'0' * 64}"}, 401),
        ("wrong-key", 403),
        ("stale", 403),
        ("future", 403),
    ],
)
async def test_bad_signatures_are_refused_without_dispatch(
    serve: Serve, http: aiohttp.ClientSession, headers: Any, status: int
) -> None:
    receiver, seen = receiver_with_log()
    url = await start(serve, receiver)
    body = body_for()
    if headers == "wrong-key":
        headers = signed(body, key=OLD_KEY)
    elif headers == "stale":
        headers = signed(body, t=NOW - 181)
    elif headers == "future":
        headers = signed(body, t=NOW + 181)
    got, answer = await post(http, url, body, headers)
    await receiver.drain()
    assert got == status
    assert answer["title"] == "Invalid Signature"
    assert KEY not in answer["message"]
    assert seen == []


async def test_a_valid_signature_does_not_mark_a_tampered_body_as_seen(
    serve: Serve, http: aiohttp.ClientSession
) -> None:
    receiver, seen = receiver_with_log()
    url = await start(serve, receiver)
    body = body_for()
    tampered = body.replace(b"ada@", b"eve@")
    assert (await post(http, url, tampered, signed(body)))[0] == 403
    assert (await post(http, url, body, signed(body)))[1] == {"status": "accepted"}
    await receiver.drain()
    assert len(seen) == 1
    assert isinstance(seen[0].payload, InviteePayload)
    assert seen[0].payload.email == "ada@example.com"


async def test_rotated_keys_are_all_accepted(serve: Serve, http: aiohttp.ClientSession) -> None:
    receiver = WebhookReceiver([KEY, OLD_KEY], clock=lambda: NOW)
    url = await start(serve, receiver)
    for n, key in enumerate((KEY, OLD_KEY)):
        body = body_for(uri=f"{INVITEE}{n}")
        assert (await post(http, url, body, signed(body, key=key)))[0] == 200


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"[]",
        json.dumps({"event": "invitee.created", "created_at": "2024-05-01T09:00:00Z"}).encode(),
        json.dumps(
            {
                "event": "invitee.created",
                "created_at": "2024-05-01T09:00:00Z",
                "created_by": "u",
                "payload": {"email": "no-uri"},
            }
        ).encode(),
    ],
)
async def test_signed_but_unreadable_bodies_get_400(
    serve: Serve, http: aiohttp.ClientSession, body: bytes
) -> None:
    receiver, seen = receiver_with_log()
    url = await start(serve, receiver)
    status, answer = await post(http, url, body, signed(body))
    assert (status, answer["title"]) == (400, "Invalid Payload")
    assert seen == []


async def test_oversized_bodies_get_413(serve: Serve, http: aiohttp.ClientSession) -> None:
    receiver, seen = receiver_with_log(max_body_size=300)
    url = await start(serve, receiver)
    big = body_for(uri=INVITEE + "x" * 400)
    assert (await post(http, url, big, signed(big)))[0] == 413

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while read
        for start_at in range(0, len(big), 64):
            yield big[start_at : start_at + 64]

    async with http.post(url, data=chunks(), headers=signed(big)) as response:
        assert response.status == 413
    small = body_for()
    assert len(small) <= 300
    assert (await post(http, url, small, signed(small)))[0] == 200
    await receiver.drain()
    assert len(seen) == 1


async def test_unsigned_deliveries_need_an_explicit_opt_in(
    serve: Serve, http: aiohttp.ClientSession
) -> None:
    with pytest.raises(InvalidInputError, match="allow_unsigned"):
        WebhookReceiver()
    receiver = WebhookReceiver(allow_unsigned=True)
    seen: list[str] = []

    @receiver.on("invitee.created")
    async def record(event: WebhookEvent) -> None:
        seen.append(event.event)

    url = await start(serve, receiver)
    body = body_for()
    assert (await post(http, url, body, {}))[0] == 200
    await receiver.drain()
    assert seen == ["invitee.created"]


async def test_app_serves_post_on_the_configured_path_only(
    serve: Serve, http: aiohttp.ClientSession
) -> None:
    receiver = WebhookReceiver(KEY, path="/hooks/in", clock=lambda: NOW)
    base = await serve(receiver.app())
    body = body_for()
    async with http.get(base + "/hooks/in") as response:
        assert response.status == 405
    async with http.post(base + "/webhooks/calendly", data=body, headers=signed(body)) as r:
        assert r.status == 404
    assert (await post(http, base + "/hooks/in", body, signed(body)))[0] == 200


async def test_handler_mounts_on_an_application_of_your_own(
    serve: Serve, http: aiohttp.ClientSession
) -> None:
    receiver, seen = receiver_with_log()
    app = web.Application()
    app.router.add_post("/calendly/{tenant}", receiver.handler)
    base = await serve(app)
    body = body_for()
    assert (await post(http, base + "/calendly/acme", body, signed(body)))[0] == 200
    await receiver.drain()
    assert [e.event for e in seen] == ["invitee.created"]


async def test_app_cleanup_waits_for_running_handlers() -> None:
    receiver = WebhookReceiver(KEY, clock=lambda: NOW)
    release = asyncio.Event()
    done: list[str] = []

    @receiver.on("*")
    async def slow(event: WebhookEvent) -> None:
        await release.wait()
        done.append(event.event)

    server = TestServer(receiver.app(), host="127.0.0.1")
    await server.start_server()
    body = body_for()
    async with aiohttp.ClientSession() as http:
        assert (await post(http, str(server.make_url(PATH)), body, signed(body)))[0] == 200
    closing = asyncio.create_task(server.close())
    for _ in range(20):
        await asyncio.sleep(0)
    assert not closing.done()
    assert done == []
    release.set()
    await closing
    assert done == ["invitee.created"]


def test_on_refuses_no_event_and_sync_handlers() -> None:
    receiver = WebhookReceiver(KEY)
    with pytest.raises(InvalidInputError):
        receiver.on()
    with pytest.raises(InvalidInputError):
        receiver.on("")

    def sync_handler(event: WebhookEvent) -> None:
        pass

    with pytest.raises(InvalidInputError, match="async"):
        receiver.on("invitee.created")(sync_handler)  # type: ignore[type-var]

    class Callable:
        async def __call__(self, event: WebhookEvent) -> None:
            pass

    instance = Callable()
    assert receiver.on("invitee.created")(instance) is instance


@pytest.mark.parametrize(
    "kwargs",
    [{"max_body_size": 0}, {"remember": 0}, {"max_failures": 0}, {"path": "no-slash"}],
)
def test_bad_receiver_settings_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        WebhookReceiver(KEY, **kwargs)


def test_repr_hides_the_keys() -> None:
    text = repr(WebhookReceiver([KEY, OLD_KEY]))
    assert KEY not in text
    assert OLD_KEY not in text
    assert "2 key(s)" in text
