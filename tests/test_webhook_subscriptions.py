"""client.webhooks: create, list, get, delete, delete_matching; signing-key secrecy."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, FakeTime, assert_round_trips, fixture, page_body

from calendly_async import Calendly, ConflictError, InvalidInputError
from calendly_async.models.webhooks import WebhookSubscription

HOOKS = re.compile(rf"^{re.escape(BASE)}/webhook_subscriptions(\?.*)?$")
ORG = f"{BASE}/organizations/AAAAAAAAAAAAAAAA"
USER = f"{BASE}/users/AAAAAAAAAAAAAAAA"
SECRET = "whsec_VERY_SECRET_signing_key_42"


def _subscription(uuid: str, callback_url: str) -> dict[str, Any]:
    item = fixture("list_webhook_subscription")[0]
    return {**item, "uri": f"{BASE}/webhook_subscriptions/{uuid}", "callback_url": callback_url}


async def test_create_posts_the_full_body_and_round_trips(
    client: Calendly, api: aioresponses
) -> None:
    payload = fixture("create_webhook_subscription")
    api.post(f"{BASE}/webhook_subscriptions", status=201, payload=payload)
    subscription = await client.webhooks.create(
        "https://blah.foo/bar",
        ["invitee.created", "invitee.canceled"],
        "AAAAAAAAAAAAAAAA",
        "user",
        user="AAAAAAAAAAAAAAAA",
        signing_key=SECRET,
    )
    assert isinstance(subscription, WebhookSubscription)
    assert_round_trips(payload["resource"], subscription)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/webhook_subscriptions")
    assert msgspec.json.decode(kwargs["data"]) == {
        "url": "https://blah.foo/bar",
        "events": ["invitee.created", "invitee.canceled"],
        "organization": ORG,
        "scope": "user",
        "user": USER,
        "signing_key": SECRET,
    }


async def test_create_organization_scope_sends_no_user_group_or_key(
    client: Calendly, api: aioresponses
) -> None:
    api.post(
        f"{BASE}/webhook_subscriptions", status=201, payload=fixture("create_webhook_subscription")
    )
    await client.webhooks.create("https://h.example/x", "invitee.created", ORG, "organization")
    ((_, _, kwargs),) = sent(api)
    assert msgspec.json.decode(kwargs["data"]) == {
        "url": "https://h.example/x",
        "events": ["invitee.created"],
        "organization": ORG,
        "scope": "organization",
    }


async def test_create_group_scope_sends_group_uri(client: Calendly, api: aioresponses) -> None:
    api.post(
        f"{BASE}/webhook_subscriptions", status=201, payload=fixture("create_webhook_subscription")
    )
    await client.webhooks.create(
        "https://h.example/x", ["invitee.created"], ORG, "group", group="G1"
    )
    ((_, _, kwargs),) = sent(api)
    assert msgspec.json.decode(kwargs["data"])["group"] == f"{BASE}/groups/G1"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"events": []}, "events"),
        ({"events": ["invitee.created", ""]}, "events"),
        ({"scope": "everyone"}, "scope"),
        ({"scope": "user", "user": None}, "user is required"),
        ({"scope": "group"}, "group is required"),
        ({"url": "ftp://blah.foo/bar"}, "http"),
        ({"url": "/relative/path"}, "http"),
        ({"url": "https://"}, "http"),
        ({"organization": ""}, "organization"),
        ({"organization": f"{BASE}/users/AAAAAAAAAAAAAAAA"}, "organizations URI"),
        ({"signing_key": "   "}, "signing_key"),
    ],
)
async def test_create_refuses_bad_input_before_sending_and_hides_the_key(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any], fragment: str
) -> None:
    arguments: dict[str, Any] = {
        "url": "https://blah.foo/bar",
        "events": ["invitee.created"],
        "organization": ORG,
        "scope": "user",
        "user": USER,
        "signing_key": SECRET,
        **kwargs,
    }
    with pytest.raises(InvalidInputError, match=fragment) as caught:
        await client.webhooks.create(**arguments)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
    assert sent(api) == []


async def test_signing_key_never_reaches_logs_errors_or_reprs(
    client: Calendly, api: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="calendly_async")
    api.post(
        f"{BASE}/webhook_subscriptions",
        status=409,
        payload={"title": "Already Exists", "message": "Hook with this url already exists"},
    )
    with pytest.raises(ConflictError) as caught:
        await client.webhooks.create(
            "https://blah.foo/bar", ["invitee.created"], ORG, "user", user=USER, signing_key=SECRET
        )
    assert "signing_key" in caplog.text  # the body was logged, with the value masked
    for text in (caplog.text, str(caught.value), repr(caught.value), repr(client.webhooks)):
        assert SECRET not in text


async def test_list_sends_scope_filters(client: Calendly, api: aioresponses) -> None:
    api.get(HOOKS, payload=page_body(fixture("list_webhook_subscription")))
    hooks = await client.webhooks.list(
        "AAAAAAAAAAAAAAAA", "user", user=USER, sort="created_at:desc", count=20
    ).collect()
    assert [h.callback_url for h in hooks] == ["https://blah.foo/bar"]
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/webhook_subscriptions")
    assert kwargs["params"] == {
        "organization": ORG,
        "scope": "user",
        "user": USER,
        "sort": "created_at:desc",
        "count": "20",
    }


async def test_list_fixture_round_trips(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_webhook_subscription")
    api.get(HOOKS, payload=page_body(payload))
    hooks = await client.webhooks.list(ORG, "organization").collect()
    assert len(hooks) == len(payload)
    for original, hook in zip(payload, hooks, strict=True):
        assert_round_trips(original, hook)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((ORG, "user"), {}), ((ORG, "group"), {}), ((ORG, "team"), {}), (("", "organization"), {})],
)
async def test_list_refuses_bad_scope_before_sending(
    client: Calendly, api: aioresponses, args: tuple[str, str], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        client.webhooks.list(*args, **kwargs)
    assert sent(api) == []


@pytest.mark.parametrize(
    "ident", ["AAAAAAAAAAAAAAAA", f"{BASE}/webhook_subscriptions/AAAAAAAAAAAAAAAA"]
)
async def test_get_round_trips(client: Calendly, api: aioresponses, ident: str) -> None:
    payload = fixture("get_webhook_subscription")
    api.get(f"{BASE}/webhook_subscriptions/AAAAAAAAAAAAAAAA", payload=payload)
    hook = await client.webhooks.get(ident)
    assert (hook.state, hook.scope, hook.events) == ("active", "user", ["invitee.created"])
    assert_round_trips(payload["resource"], hook)


async def test_delete_sends_delete_and_accepts_204(client: Calendly, api: aioresponses) -> None:
    api.delete(f"{BASE}/webhook_subscriptions/W1", status=204)
    await client.webhooks.delete(f"{BASE}/webhook_subscriptions/W1")
    assert [(m, u) for m, u, _ in sent(api)] == [("DELETE", f"{BASE}/webhook_subscriptions/W1")]


async def test_delete_refuses_other_collections(client: Calendly, api: aioresponses) -> None:
    with pytest.raises(InvalidInputError):
        await client.webhooks.delete(f"{BASE}/users/W1")
    assert sent(api) == []


async def test_delete_matching_deletes_only_matching_callbacks(
    client: Calendly, api: aioresponses
) -> None:
    mine, other = "https://flows.example/instance/1", "https://elsewhere.example/hook"
    listed = [_subscription("W1", mine), _subscription("W2", other), _subscription("W3", mine)]
    api.get(HOOKS, payload=page_body(listed[:2], next_token="n2"))
    api.get(HOOKS, payload=page_body(listed[2:]))
    for uuid in ("W1", "W2", "W3"):
        api.delete(f"{BASE}/webhook_subscriptions/{uuid}", status=204)
    deleted = await client.webhooks.delete_matching(
        "AAAAAAAAAAAAAAAA", "user", user=USER, callback_url=mine
    )
    assert [d.uri.rsplit("/", 1)[1] for d in deleted] == ["W1", "W3"]
    deletes = [url for method, url, _ in sent(api) if method == "DELETE"]
    assert sorted(deletes) == [
        f"{BASE}/webhook_subscriptions/W1",
        f"{BASE}/webhook_subscriptions/W3",
    ]
    lists = [kwargs["params"] for method, _, kwargs in sent(api) if method == "GET"]
    assert {p["scope"] for p in lists} == {"user"}
    assert {p["user"] for p in lists} == {USER}


async def test_delete_matching_without_url_deletes_all_and_skips_vanished(
    client: Calendly, api: aioresponses
) -> None:
    listed = [_subscription(u, f"https://h.example/{u}") for u in ("W1", "W2", "W3")]
    api.get(HOOKS, payload=page_body(listed))
    api.delete(f"{BASE}/webhook_subscriptions/W1", status=204)
    api.delete(
        f"{BASE}/webhook_subscriptions/W2",
        status=404,
        payload={"title": "Resource Not Found", "message": "gone"},
    )
    api.delete(f"{BASE}/webhook_subscriptions/W3", status=204)
    deleted = await client.webhooks.delete_matching(ORG, "organization")
    assert [d.uri.rsplit("/", 1)[1] for d in deleted] == ["W1", "W3"]
    assert sum(1 for method, _, _ in sent(api) if method == "DELETE") == 3


async def test_delete_matching_refuses_bad_input_before_sending(
    client: Calendly, api: aioresponses
) -> None:
    with pytest.raises(InvalidInputError):
        await client.webhooks.delete_matching(ORG, "user")
    with pytest.raises(InvalidInputError):
        await client.webhooks.delete_matching(ORG, "organization", callback_url="nope")
    assert sent(api) == []


async def test_create_409_over_loopback_raises_conflict_with_calendly_text(
    serve: Serve, fake_time: FakeTime
) -> None:
    bodies: list[Any] = []

    async def handler(request: web.Request) -> web.Response:
        bodies.append(await request.json())
        return web.json_response(
            {"title": "Already Exists", "message": "Hook with this url already exists"},
            status=409,
            headers={"X-Request-Id": "req-409"},
        )

    app = web.Application()
    app.router.add_post("/webhook_subscriptions", handler)
    url = await serve(app)
    async with Calendly(
        token=TOKEN, base_url=url, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        with pytest.raises(ConflictError) as caught:
            await client.webhooks.create(
                "https://blah.foo/bar",
                ["invitee.created"],
                "ORG1",
                "organization",
                signing_key=SECRET,
            )
    error = caught.value
    assert (error.status, error.title, error.message) == (
        409,
        "Already Exists",
        "Hook with this url already exists",
    )
    assert error.request_id == "req-409"
    assert len(bodies) == 1
    assert bodies[0]["organization"] == f"{BASE}/organizations/ORG1"
    assert SECRET not in str(error)
    assert fake_time.sleeps == []


async def test_delete_matching_over_loopback(serve: Serve, fake_time: FakeTime) -> None:
    store = {
        "W1": "https://keep.example/a",
        "W2": "https://drop.example/b",
        "W3": "https://drop.example/b",
    }

    async def list_hooks(request: web.Request) -> web.Response:
        assert request.query["scope"] == "organization"
        items = [_subscription(uuid, cb) for uuid, cb in sorted(store.items())]
        return web.json_response(page_body(items))

    async def delete_hook(request: web.Request) -> web.Response:
        del store[request.match_info["uuid"]]
        return web.Response(status=204)

    app = web.Application()
    app.router.add_get("/webhook_subscriptions", list_hooks)
    app.router.add_delete("/webhook_subscriptions/{uuid}", delete_hook)
    url = await serve(app)
    async with Calendly(
        token=TOKEN, base_url=url, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        deleted = await client.webhooks.delete_matching(
            "ORG1", "organization", callback_url="https://drop.example/b"
        )
    assert len(deleted) == 2
    assert store == {"W1": "https://keep.example/a"}
