"""client.scheduled_events: list filters, get, cancel; tolerant decoding; loopback paging."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, FakeTime, assert_round_trips, fixture, page_body

from calendly_async import Calendly, InvalidInputError, PermissionDeniedError
from calendly_async.models.scheduled_events import Cancellation, Location, ScheduledEvent

EVENTS = re.compile(rf"^{re.escape(BASE)}/scheduled_events(\?.*)?$")
EVENT_UUID = "GBGBDCAADAEDCRZ2"


def _path(url: str) -> str:
    return urlsplit(url).path


async def test_list_sends_every_filter_as_calendly_expects(
    client: Calendly, api: aioresponses
) -> None:
    api.get(EVENTS, payload=page_body(fixture("list_events")))
    events = await client.scheduled_events.list(
        user="USERUUID",
        organization=f"{BASE}/organizations/ORGUUID",
        invitee_email="ann@example.com",
        status="active",
        sort="start_time:desc",
        min_start_time=datetime(2024, 5, 1, 11, 0, tzinfo=timezone(timedelta(hours=2))),
        max_start_time="2024-05-31T00:00:00Z",
        count=50,
    ).collect()
    assert [e.uri for e in events] == [f"{BASE}/scheduled_events/{EVENT_UUID}"]
    ((method, url, kwargs),) = sent(api)
    assert (method, _path(url)) == ("GET", "/scheduled_events")
    assert kwargs["params"] == {
        "user": f"{BASE}/users/USERUUID",
        "organization": f"{BASE}/organizations/ORGUUID",
        "invitee_email": "ann@example.com",
        "status": "active",
        "sort": "start_time:desc",
        "min_start_time": "2024-05-01T09:00:00.000000Z",
        "max_start_time": "2024-05-31T00:00:00.000000Z",
        "count": "50",
    }


async def test_list_by_group_only_sends_group_uri(client: Calendly, api: aioresponses) -> None:
    api.get(EVENTS, payload=page_body([]))
    assert await client.scheduled_events.list(group="GROUPUUID").collect() == []
    ((_, _, kwargs),) = sent(api)
    assert kwargs["params"] == {"group": f"{BASE}/groups/GROUPUUID", "count": "100"}


async def test_list_follows_next_page_token(client: Calendly, api: aioresponses) -> None:
    first, second = fixture("list_events")[0], {**fixture("list_events")[0], "uri": "x2"}
    api.get(EVENTS, payload=page_body([first], next_token="tok2"))
    api.get(EVENTS, payload=page_body([second]))
    events = await client.scheduled_events.list(user="U1").collect()
    assert [e.uri for e in events] == [first["uri"], "x2"]
    tokens = [kwargs["params"].get("page_token") for _, _, kwargs in sent(api)]
    assert tokens == [None, "tok2"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({}, "user, organization or group"),
        ({"user": "U", "min_start_time": datetime(2024, 1, 1)}, "no timezone"),
        ({"user": "U", "max_start_time": "2024-01-01T00:00:00"}, "no timezone"),
        ({"user": "U", "min_start_time": "yesterday"}, "not an ISO-8601"),
        (
            {
                "user": "U",
                "min_start_time": "2024-02-01T00:00:00Z",
                "max_start_time": "2024-01-01T00:00:00Z",
            },
            "after max_start_time",
        ),
        ({"user": "U", "count": 101}, "count"),
        ({"user": "U", "count": 0}, "count"),
        ({"user": f"{BASE}/organizations/X"}, "users URI"),
        ({"organization": ""}, "empty"),
    ],
)
async def test_list_refuses_bad_input_before_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        client.scheduled_events.list(**kwargs)
    assert sent(api) == []


async def test_list_events_fixture_round_trips(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_events")
    api.get(EVENTS, payload=page_body(payload))
    events = await client.scheduled_events.list(organization="ORG").collect()
    assert len(events) == len(payload) == 1
    for original, event in zip(payload, events, strict=True):
        assert isinstance(event, ScheduledEvent)
        assert_round_trips(original, event)


@pytest.mark.parametrize("ident", [EVENT_UUID, f"{BASE}/scheduled_events/{EVENT_UUID}"])
async def test_get_accepts_uuid_or_uri_and_round_trips(
    client: Calendly, api: aioresponses, ident: str
) -> None:
    payload = fixture("get_event")
    api.get(f"{BASE}/scheduled_events/{EVENT_UUID}", payload=payload)
    event = await client.scheduled_events.get(ident)
    assert event.start_time == datetime(2019, 8, 24, 14, 15, 22, tzinfo=UTC)
    assert event.location is not None
    assert event.location.location == "Calendly Office"
    assert event.calendar_event is not None
    assert event.calendar_event.kind == "google"
    assert event.event_memberships[0].user_email == "user@example.com"
    assert_round_trips(payload["resource"], event)
    assert [(m, u) for m, u, _ in sent(api)] == [("GET", f"{BASE}/scheduled_events/{EVENT_UUID}")]


@pytest.mark.parametrize("bad", ["", "a b", f"{BASE}/event_types/{EVENT_UUID}"])
async def test_get_and_cancel_refuse_malformed_uuid(
    client: Calendly, api: aioresponses, bad: str
) -> None:
    with pytest.raises(InvalidInputError):
        await client.scheduled_events.get(bad)
    with pytest.raises(InvalidInputError):
        await client.scheduled_events.cancel(bad, reason="x")
    assert sent(api) == []


async def test_cancel_posts_reason_and_decodes_201(client: Calendly, api: aioresponses) -> None:
    payload = fixture("cancel_event")
    api.post(f"{BASE}/scheduled_events/{EVENT_UUID}/cancellation", status=201, payload=payload)
    cancellation = await client.scheduled_events.cancel(
        f"{BASE}/scheduled_events/{EVENT_UUID}", reason="Host is ill"
    )
    assert isinstance(cancellation, Cancellation)
    assert cancellation.canceler_type == "host"
    assert_round_trips(payload["resource"], cancellation)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/scheduled_events/{EVENT_UUID}/cancellation")
    assert msgspec.json.decode(kwargs["data"]) == {"reason": "Host is ill"}


async def test_cancel_without_reason_sends_empty_body(client: Calendly, api: aioresponses) -> None:
    api.post(
        f"{BASE}/scheduled_events/{EVENT_UUID}/cancellation",
        status=201,
        payload=fixture("cancel_event"),
    )
    await client.scheduled_events.cancel(EVENT_UUID)
    ((_, _, kwargs),) = sent(api)
    assert msgspec.json.decode(kwargs["data"]) == {}


async def test_cancel_refuses_overlong_reason(client: Calendly, api: aioresponses) -> None:
    with pytest.raises(InvalidInputError, match="10000"):
        await client.scheduled_events.cancel(EVENT_UUID, reason="x" * 10_001)
    assert sent(api) == []


async def test_cancel_403_raises_permission_denied_with_calendly_message(
    client: Calendly, api: aioresponses
) -> None:
    api.post(
        f"{BASE}/scheduled_events/{EVENT_UUID}/cancellation",
        status=403,
        payload={"title": "Permission Denied", "message": "Event is already canceled"},
    )
    with pytest.raises(PermissionDeniedError) as caught:
        await client.scheduled_events.cancel(EVENT_UUID)
    assert caught.value.message == "Event is already canceled"
    assert len(sent(api)) == 1  # a POST is not retried after a 403


def _unusual_event() -> dict[str, Any]:
    event: dict[str, Any] = fixture("get_event")["resource"]
    event["status"] = "rescheduled_by_robot"
    event["brand_new_field"] = {"nested": [1, 2]}
    event["location"] = {
        "type": "hologram_conference",
        "status": "pushed",
        "join_url": "https://holo.example/j/1",
        "data": {"id": 123, "password": "pw", "settings": {"global_dial_in_numbers": []}},
        "new_location_key": True,
    }
    event["event_memberships"][0]["favourite_colour"] = "teal"
    return event


async def test_unknown_status_location_type_and_fields_still_decode(
    client: Calendly, api: aioresponses
) -> None:
    api.get(f"{BASE}/scheduled_events/{EVENT_UUID}", payload={"resource": _unusual_event()})
    event = await client.scheduled_events.get(EVENT_UUID)
    assert event.status == "rescheduled_by_robot"
    assert event.location == Location(
        type="hologram_conference",
        status="pushed",
        join_url="https://holo.example/j/1",
        data={"id": 123, "password": "pw", "settings": {"global_dial_in_numbers": []}},
    )


@pytest.mark.parametrize("zoom_type", ["zoom", "zoom_conference"])
def test_both_zoom_location_spellings_decode(zoom_type: str) -> None:
    raw = {"type": zoom_type, "status": "initiated", "join_url": None, "data": None}
    location = msgspec.json.decode(msgspec.json.encode(raw), type=Location)
    assert (location.type, location.status, location.join_url) == (zoom_type, "initiated", None)


def test_a_minimal_event_decodes_with_defaults() -> None:
    event = msgspec.json.decode(b'{"uri": "u"}', type=ScheduledEvent)
    assert (event.name, event.location, event.event_memberships, event.cancellation) == (
        None,
        None,
        [],
        None,
    )


def test_a_canceled_event_carries_its_cancellation() -> None:
    raw = {**fixture("get_event")["resource"], "status": "canceled"}
    raw["cancellation"] = fixture("cancel_event")["resource"]
    event = msgspec.json.decode(msgspec.json.encode(raw), type=ScheduledEvent)
    assert event.cancellation is not None
    assert event.cancellation.canceled_by == "string"
    assert_round_trips(raw, event)


async def test_list_over_loopback_pages_with_filters_checked_by_server(
    serve: Serve, fake_time: FakeTime
) -> None:
    items = fixture("list_events")[0]
    pages = {None: ("p2", "E1"), "p2": ("p3", "E2"), "p3": (None, "E3")}
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        query = dict(request.query)
        seen.append(query)
        expected = {
            "organization": f"{BASE}/organizations/ORG",
            "status": "canceled",
            "min_start_time": "2024-01-01T00:00:00.000000Z",
            "count": "2",
        }
        if {k: query.get(k) for k in expected} != expected:
            return web.json_response({"title": "Invalid Argument", "message": "bad"}, status=400)
        next_token, uuid = pages[query.get("page_token")]
        body = page_body([{**items, "uri": f"{BASE}/scheduled_events/{uuid}"}], next_token)
        return web.json_response(body)

    app = web.Application()
    app.router.add_get("/scheduled_events", handler)
    url = await serve(app)
    async with Calendly(
        token=TOKEN, base_url=url, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        paginator = client.scheduled_events.list(
            organization=f"{BASE}/organizations/ORG",
            status="canceled",
            min_start_time=datetime(2024, 1, 1, tzinfo=UTC),
            count=2,
        )
        uuids = [event.uri.rsplit("/", 1)[1] async for event in paginator]
    assert uuids == ["E1", "E2", "E3"]
    assert [q.get("page_token") for q in seen] == [None, "p2", "p3"]


async def test_cancel_over_loopback_returns_201_cancellation(serve: Serve) -> None:
    received: list[tuple[str, Any, str | None]] = []

    async def handler(request: web.Request) -> web.Response:
        received.append(
            (request.match_info["uuid"], await request.json(), request.headers["Authorization"])
        )
        return web.json_response(fixture("cancel_event"), status=201)

    app = web.Application()
    app.router.add_post("/scheduled_events/{uuid}/cancellation", handler)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url) as client:
        cancellation = await client.scheduled_events.cancel(
            f"{url}/scheduled_events/EVT1", reason="Conflict"
        )
        assert client.last_response is not None
        assert client.last_response.status == 201
    assert received == [("EVT1", {"reason": "Conflict"}, f"Bearer {TOKEN}")]
    assert cancellation.created_at == datetime(2019, 1, 2, 3, 4, 5, 678123, tzinfo=UTC)
