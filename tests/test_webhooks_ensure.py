"""client.webhooks.ensure (idempotent subscription lifecycle) and client.webhooks.sample."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, FakeTime, fixture, page_body

from calendly_async import Calendly, ConflictError, DecodeError, InvalidInputError
from calendly_async.webhooks import InvalidPayloadError, InviteePayload, WebhookEvent

HOOKS = re.compile(rf"^{re.escape(BASE)}/webhook_subscriptions(\?.*)?$")
SAMPLE = re.compile(rf"^{re.escape(BASE)}/sample_webhook_data(\?.*)?$")
ORG = f"{BASE}/organizations/ORG1"
USER = f"{BASE}/users/USER1"
URL = "https://flows.example/calendly/1"
EVENTS = ["invitee.created", "invitee.canceled"]
SECRET = "whsec_ensure_SECRET_123"
CONFLICT = {"title": "Already Exists", "message": "Hook with this url already exists"}


def subscription(
    uuid: str, *, url: str = URL, events: list[str] = EVENTS, state: str = "active"
) -> dict[str, Any]:
    item = fixture("list_webhook_subscription")[0]
    return {
        **item,
        "uri": f"{BASE}/webhook_subscriptions/{uuid}",
        "callback_url": url,
        "events": list(events),
        "state": state,
        "scope": "organization",
        "organization": ORG,
        "user": None,
    }


def created(uuid: str = "NEW") -> dict[str, Any]:
    return {"resource": subscription(uuid)}


def calls(api: aioresponses) -> Counter[tuple[str, str]]:
    """How many requests of each kind were sent (aioresponses groups them by URL,
    so their order is checked over loopback instead)."""
    return Counter((method, url.split("?")[0]) for method, url, _ in sent(api))


def methods(api: aioresponses) -> Counter[str]:
    return Counter(method for method, _, _ in sent(api))


async def ensure(client: Calendly, **kwargs: Any) -> Any:
    arguments: dict[str, Any] = {
        "url": URL,
        "events": EVENTS,
        "organization": ORG,
        "scope": "organization",
        "signing_key": SECRET,
        **kwargs,
    }
    return await client.webhooks.ensure(**arguments)


async def test_an_active_subscription_with_the_same_events_is_kept(
    client: Calendly, api: aioresponses
) -> None:
    others = subscription("OTHER", url="https://elsewhere.example/x", state="disabled")
    mine = subscription("MINE", events=list(reversed(EVENTS)))  # same set, other order
    api.get(HOOKS, payload=page_body([others, mine]))
    kept = await ensure(client)
    assert kept.uri == f"{BASE}/webhook_subscriptions/MINE"
    assert calls(api) == Counter([("GET", f"{BASE}/webhook_subscriptions")])
    ((_, _, kwargs),) = sent(api)
    assert kwargs["params"]["organization"] == ORG
    assert kwargs["params"]["scope"] == "organization"


async def test_creates_when_no_subscription_has_the_url(
    client: Calendly, api: aioresponses
) -> None:
    api.get(HOOKS, payload=page_body([subscription("OTHER", url="https://elsewhere.example/x")]))
    api.post(f"{BASE}/webhook_subscriptions", status=201, payload=created())
    result = await ensure(client)
    assert result.uri.endswith("/NEW")
    assert calls(api) == Counter(
        [("GET", f"{BASE}/webhook_subscriptions"), ("POST", f"{BASE}/webhook_subscriptions")]
    )
    body = msgspec.json.decode(sent(api)[1][2]["data"])
    assert body == {
        "url": URL,
        "events": EVENTS,
        "organization": ORG,
        "scope": "organization",
        "signing_key": SECRET,
    }


@pytest.mark.parametrize(
    "existing",
    [
        subscription("OLD", state="disabled"),
        subscription("OLD", events=["invitee.created"]),
        subscription("OLD", events=[*EVENTS, "routing_form_submission.created"]),
    ],
    ids=["disabled", "fewer-events", "more-events"],
)
async def test_a_disabled_or_different_subscription_is_replaced(
    client: Calendly, api: aioresponses, existing: dict[str, Any]
) -> None:
    api.get(HOOKS, payload=page_body([existing]))
    api.delete(f"{BASE}/webhook_subscriptions/OLD", status=204)
    api.post(f"{BASE}/webhook_subscriptions", status=201, payload=created())
    result = await ensure(client)
    assert result.uri.endswith("/NEW")
    assert calls(api) == Counter(
        [
            ("GET", f"{BASE}/webhook_subscriptions"),
            ("DELETE", f"{BASE}/webhook_subscriptions/OLD"),
            ("POST", f"{BASE}/webhook_subscriptions"),
        ]
    )


async def test_a_409_returns_the_subscription_created_concurrently(
    client: Calendly, api: aioresponses
) -> None:
    api.get(HOOKS, payload=page_body([]))
    api.post(f"{BASE}/webhook_subscriptions", status=409, payload=CONFLICT)
    api.get(HOOKS, payload=page_body([subscription("RACER")]))
    result = await ensure(client)
    assert result.uri.endswith("/RACER")
    assert methods(api) == Counter(GET=2, POST=1)


async def test_a_409_with_a_different_subscription_deletes_and_creates(
    client: Calendly, api: aioresponses
) -> None:
    api.get(HOOKS, payload=page_body([]))
    api.post(f"{BASE}/webhook_subscriptions", status=409, payload=CONFLICT)
    api.get(HOOKS, payload=page_body([subscription("RACER", events=["invitee.created"])]))
    api.delete(f"{BASE}/webhook_subscriptions/RACER", status=204)
    api.post(f"{BASE}/webhook_subscriptions", status=201, payload=created())
    result = await ensure(client)
    assert result.uri.endswith("/NEW")
    assert methods(api) == Counter(GET=2, POST=2, DELETE=1)


async def test_a_persistent_conflict_is_raised(client: Calendly, api: aioresponses) -> None:
    # The URL is taken in another scope: listing this scope never shows it.
    api.get(HOOKS, payload=page_body([]), repeat=True)
    api.post(f"{BASE}/webhook_subscriptions", status=409, payload=CONFLICT, repeat=True)
    with pytest.raises(ConflictError) as caught:
        await ensure(client)
    assert methods(api) == Counter(GET=2, POST=2)
    assert SECRET not in str(caught.value)


async def test_a_subscription_vanishing_before_delete_is_fine(
    client: Calendly, api: aioresponses
) -> None:
    api.get(HOOKS, payload=page_body([subscription("GONE", state="disabled")]))
    api.delete(f"{BASE}/webhook_subscriptions/GONE", status=404, payload={"title": "x"})
    api.post(f"{BASE}/webhook_subscriptions", status=201, payload=created())
    assert (await ensure(client)).uri.endswith("/NEW")


async def test_user_scope_lists_that_users_subscriptions(
    client: Calendly, api: aioresponses
) -> None:
    api.get(HOOKS, payload=page_body([subscription("MINE")]))
    await ensure(client, scope="user", user="USER1")
    ((_, _, kwargs),) = sent(api)
    assert kwargs["params"]["scope"] == "user"
    assert kwargs["params"]["user"] == USER


@pytest.mark.parametrize(
    "kwargs",
    [
        {"url": "ftp://x.example/y"},
        {"events": []},
        {"events": ["invitee.created", " "]},
        {"scope": "user"},
        {"scope": "galaxy"},
        {"organization": ""},
        {"signing_key": "  "},
    ],
)
async def test_ensure_refuses_bad_input_before_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        await ensure(client, **kwargs)
    assert sent(api) == []


class HookServer:
    """A tiny stateful subscription endpoint: one subscription per URL (409 otherwise)."""

    def __init__(self) -> None:
        self.store: dict[str, dict[str, Any]] = {}
        self.log: list[str] = []
        self.racer: str | None = None  # created by "someone else" just before our POST

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/webhook_subscriptions", self.list_hooks)
        app.router.add_post("/webhook_subscriptions", self.create_hook)
        app.router.add_delete("/webhook_subscriptions/{uuid}", self.delete_hook)
        return app

    async def list_hooks(self, request: web.Request) -> web.Response:
        self.log.append("GET")
        return web.json_response(page_body(list(self.store.values())))

    async def create_hook(self, request: web.Request) -> web.Response:
        self.log.append("POST")
        body = await request.json()
        if self.racer is not None:
            self.store[self.racer] = subscription(
                self.racer, url=body["url"], events=body["events"]
            )
            self.racer = None
        if any(s["callback_url"] == body["url"] for s in self.store.values()):
            return web.json_response(CONFLICT, status=409)
        uuid = f"S{len(self.log)}"
        self.store[uuid] = subscription(uuid, url=body["url"], events=body["events"])
        return web.json_response({"resource": self.store[uuid]}, status=201)

    async def delete_hook(self, request: web.Request) -> web.Response:
        self.log.append("DELETE")
        del self.store[request.match_info["uuid"]]
        return web.Response(status=204)


async def test_ensure_over_loopback_survives_a_concurrent_create(
    serve: Serve, fake_time: FakeTime
) -> None:
    server = HookServer()
    server.racer = "RACER"
    base = await serve(server.app())
    async with Calendly(
        token=TOKEN, base_url=base, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        first = await ensure(client, organization="ORG1")
        again = await ensure(client, organization="ORG1")
    assert first.uri.endswith("/RACER")
    assert again.uri.endswith("/RACER")
    assert server.log == ["GET", "POST", "GET", "GET"]
    assert list(server.store) == ["RACER"]


async def test_ensure_over_loopback_replaces_then_keeps(serve: Serve, fake_time: FakeTime) -> None:
    server = HookServer()
    server.store["OLD"] = subscription("OLD", events=["invitee.created"])
    server.store["KEEP"] = subscription("KEEP", url="https://other.example/hook")
    base = await serve(server.app())
    async with Calendly(
        token=TOKEN, base_url=base, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        replaced = await ensure(client, organization="ORG1")
        kept = await ensure(client, organization="ORG1", events=list(reversed(EVENTS)))
    assert server.log == ["GET", "DELETE", "POST", "GET"]
    assert replaced.uri == kept.uri != f"{BASE}/webhook_subscriptions/OLD"
    assert sorted(server.store) == sorted(["KEEP", replaced.uri.rsplit("/", 1)[1]])
    assert set(server.store[replaced.uri.rsplit("/", 1)[1]]["events"]) == set(EVENTS)


# --- sample -----------------------------------------------------------------------


def sample_body() -> dict[str, Any]:
    invitee = fixture("get_event_invitee")["resource"]
    event = fixture("get_event")["resource"]
    return {
        "event": "invitee.created",
        "created_at": "2024-01-01T00:00:00.000000Z",
        "created_by": USER,
        "payload": {**invitee, "scheduled_event": event},
    }


async def test_sample_gets_the_bare_envelope_and_types_it(
    client: Calendly, api: aioresponses
) -> None:
    api.get(SAMPLE, payload=sample_body())
    event = await client.webhooks.sample("invitee.created", "ORG1", "user", user=USER)
    assert isinstance(event, WebhookEvent)
    assert isinstance(event.payload, InviteePayload)
    assert event.payload.scheduled_event is not None
    assert event.payload.scheduled_event.name == "15 Minute Meeting"
    ((method, url, kwargs),) = sent(api)
    assert (method, url.split("?")[0]) == ("GET", f"{BASE}/sample_webhook_data")
    assert kwargs["params"] == {
        "event": "invitee.created",
        "organization": ORG,
        "scope": "user",
        "user": USER,
    }


async def test_sample_of_an_unknown_event_keeps_the_dict(
    client: Calendly, api: aioresponses
) -> None:
    body = {**sample_body(), "event": "meeting_recap.created", "payload": {"recap": {"uri": "r"}}}
    api.get(SAMPLE, payload=body)
    event = await client.webhooks.sample("meeting_recap.created", ORG, "organization")
    assert event.payload == {"recap": {"uri": "r"}}


async def test_sample_with_a_broken_body_raises_a_decode_error(
    client: Calendly, api: aioresponses
) -> None:
    api.get(SAMPLE, body=json.dumps({"resource": sample_body()}))
    with pytest.raises(InvalidPayloadError) as caught:
        await client.webhooks.sample("invitee.created", ORG, "organization")
    assert isinstance(caught.value, DecodeError)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("", ORG, "organization"), {}),
        (("invitee.created", ORG, "group"), {}),
        (("invitee.created", "", "organization"), {}),
    ],
)
async def test_sample_refuses_bad_input_before_sending(
    client: Calendly, api: aioresponses, args: tuple[str, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        await client.webhooks.sample(*args, **kwargs)
    assert sent(api) == []
