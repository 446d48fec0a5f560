"""client.event_types: list, get, available_times (31-day windows fetched concurrently)."""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from aioresponses import CallbackResult, aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, assert_round_trips, fixture, page_body

from calendly_async import Calendly, InvalidInputError, NotFoundError
from calendly_async.models.event_types import (
    CustomQuestion,
    EventType,
    EventTypeAvailableTime,
    EventTypeProfile,
)
from calendly_async.resources._windows import fetch_windows

ET = "AAAAAAAAAAAAAAAA"
ET_URI = f"{BASE}/event_types/{ET}"
USER_URI = f"{BASE}/users/UUUUUUUUUUUUUUUU"
ORG_URI = f"{BASE}/organizations/OOOOOOOOOOOOOOOO"
EVENT_TYPES = re.compile(rf"^{re.escape(BASE)}/event_types(\?.*)?$")
AVAILABLE = re.compile(rf"^{re.escape(BASE)}/event_type_available_times(\?.*)?$")
START = datetime(2030, 1, 1, tzinfo=UTC)


def z(moment: datetime) -> str:
    """A time the way the SDK sends it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def slot(moment: datetime) -> dict[str, Any]:
    return {
        "status": "available",
        "invitees_remaining": 1,
        "start_time": z(moment),
        "scheduling_url": f"https://calendly.com/acme/call/{z(moment)}",
    }


# --- list / get ------------------------------------------------------------------------


async def test_list_sends_every_filter(client: Calendly, api: aioresponses) -> None:
    api.get(EVENT_TYPES, payload=page_body([]))
    await client.event_types.list(
        user="UUUUUUUUUUUUUUUU",
        organization=ORG_URI,
        active=True,
        admin_managed=False,
        sort="position:desc",
        user_availability_schedule="SSSSSSSSSSSSSSSS",
        count=7,
    ).collect()
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/event_types")
    assert kwargs["params"] == {
        "user": USER_URI,
        "organization": ORG_URI,
        "active": "true",
        "admin_managed": "false",
        "sort": "position:desc",
        "user_availability_schedule": f"{BASE}/user_availability_schedules/SSSSSSSSSSSSSSSS",
        "count": "7",
    }


async def test_list_passes_a_schedule_uri_through(client: Calendly, api: aioresponses) -> None:
    schedule = f"{BASE}/user_availability_schedule/abc123"  # the spelling of Calendly's docs
    api.get(EVENT_TYPES, payload=page_body([]))
    await client.event_types.list(user=USER_URI, user_availability_schedule=schedule).collect()
    assert sent(api)[0][2]["params"] == {
        "user": USER_URI,
        "user_availability_schedule": schedule,
        "count": "100",
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"active": True},
        {"organization": ORG_URI, "user_availability_schedule": "SSSS"},
        {"user": ET_URI},
        {"organization": USER_URI},
        {"user": USER_URI, "user_availability_schedule": f"{BASE}/users/SSSS"},
        {"user": USER_URI, "count": 0},
        {"user": USER_URI, "count": 500},
    ],
)
def test_list_refuses_bad_input_without_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        client.event_types.list(**kwargs)
    assert sent(api) == []


async def test_seed_event_type_list_round_trips(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_user_event_types")
    api.get(EVENT_TYPES, payload=page_body(payload))
    items = await client.event_types.list(user=USER_URI).collect()
    assert len(items) == len(payload)
    for original, item in zip(payload, items, strict=True):
        assert_round_trips(original, item)


@pytest.mark.parametrize("ident", [ET, ET_URI])
async def test_get_round_trips_seed_event_type(
    client: Calendly, api: aioresponses, ident: str
) -> None:
    payload = fixture("get_event_type")
    api.get(ET_URI, payload=payload)
    event_type = await client.event_types.get(ident)
    assert isinstance(event_type, EventType)
    assert isinstance(event_type.profile, EventTypeProfile)
    assert event_type.profile.owner == f"{BASE}/users/AAAAAAAAAAAAAAAA"
    assert all(isinstance(q, CustomQuestion) for q in event_type.custom_questions)
    assert event_type.custom_questions[2].answer_choices == ["1", "2-10", "11-20", "20+"]
    assert event_type.deleted_at is None
    assert_round_trips(payload["resource"], event_type)
    assert [u for _, u, _ in sent(api)] == [ET_URI]


async def test_event_type_locations_decode(client: Calendly, api: aioresponses) -> None:
    resource = {
        "uri": ET_URI,
        "locations": [
            {"kind": "inbound_call", "phone_number": "+1 555", "additional_info": "x"},
            {"kind": "some_new_kind", "position": 1},
        ],
        "duration_options": [15, 30],
        "deleted_at": "2024-01-01T00:00:00.000000Z",
    }
    api.get(ET_URI, payload={"resource": resource})
    event_type = await client.event_types.get(ET)
    assert event_type.locations is not None
    assert [loc.kind for loc in event_type.locations] == ["inbound_call", "some_new_kind"]
    assert event_type.deleted_at == datetime(2024, 1, 1, tzinfo=UTC)
    assert_round_trips(resource, event_type)


async def test_get_refuses_a_scheduled_event_uri(client: Calendly, api: aioresponses) -> None:
    with pytest.raises(InvalidInputError):
        await client.event_types.get(f"{BASE}/scheduled_events/{ET}")
    assert sent(api) == []


# --- available times -------------------------------------------------------------------


async def test_available_times_single_window(client: Calendly, api: aioresponses) -> None:
    payload = fixture("list_event_type_available_times")
    api.get(AVAILABLE, payload=payload)
    slots = await client.event_types.available_times(
        ET, "2020-01-02T00:00:00Z", "2020-01-09T02:00:00+02:00"
    )
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/event_type_available_times")
    assert kwargs["params"] == {
        "event_type": ET_URI,
        "start_time": "2020-01-02T00:00:00.000000Z",
        "end_time": "2020-01-09T00:00:00.000000Z",
    }
    assert all(isinstance(s, EventTypeAvailableTime) for s in slots)
    assert [s.invitees_remaining for s in slots] == [2, 1, 3]
    for original, item in zip(payload["collection"], slots, strict=True):
        assert_round_trips(original, item)


async def test_available_times_splits_70_days_into_3_windows(
    client: Calendly, api: aioresponses
) -> None:
    day = timedelta(days=1)
    boundaries = [START, START + 31 * day, START + 62 * day, START + 70 * day]

    def answer(url: Any, **kwargs: Any) -> CallbackResult:
        begin = datetime.fromisoformat(kwargs["params"]["start_time"])
        end = datetime.fromisoformat(kwargs["params"]["end_time"])
        # each window returns a slot at its start (the previous window's end, too)
        # and one in the middle; the end boundary is included by Calendly.
        times = [begin, begin + (end - begin) / 2, end]
        return CallbackResult(payload={"collection": [slot(t) for t in times]})

    api.get(AVAILABLE, callback=answer, repeat=True)
    slots = await client.event_types.available_times(ET_URI, START, boundaries[-1])

    windows = [(kw["params"]["start_time"], kw["params"]["end_time"]) for _, _, kw in sent(api)]
    expected = [(z(a), z(b)) for a, b in itertools.pairwise(boundaries)]
    assert sorted(windows) == expected
    assert {kw["params"]["event_type"] for _, _, kw in sent(api)} == {ET_URI}
    starts = [s.start_time for s in slots if s.start_time is not None]
    assert starts == sorted(starts)
    assert (
        len(slots) == len(starts) == len(set(starts)) == 7
    )  # 3 windows x 3 slots - 2 boundary duplicates
    assert starts[0] == START
    assert starts[-1] == boundaries[-1]


async def test_available_times_exactly_31_days_is_one_request(
    client: Calendly, api: aioresponses
) -> None:
    api.get(AVAILABLE, payload={"collection": []}, repeat=True)
    assert await client.event_types.available_times(ET, START, START + timedelta(days=31)) == []
    assert len(sent(api)) == 1


async def test_available_times_failure_in_one_window_raises(
    client: Calendly, api: aioresponses
) -> None:
    def answer(url: Any, **kwargs: Any) -> CallbackResult:
        if kwargs["params"]["start_time"] == z(START + timedelta(days=31)):
            return CallbackResult(status=404, payload={"title": "Resource Not Found"})
        return CallbackResult(payload={"collection": [slot(START)]})

    api.get(AVAILABLE, callback=answer, repeat=True)
    with pytest.raises(NotFoundError):
        await client.event_types.available_times(ET, START, START + timedelta(days=40))


@pytest.mark.parametrize(
    ("event_type", "start", "end"),
    [
        (ET, datetime(2030, 1, 1), START + timedelta(days=1)),
        (ET, START, "2030-01-02T00:00:00"),
        (ET, "tomorrow", START),
        (ET, START, START),
        (ET, START + timedelta(days=1), START),
        (f"{BASE}/users/{ET}", START, START + timedelta(days=1)),
        ("", START, START + timedelta(days=1)),
    ],
)
async def test_available_times_refuses_bad_input_without_sending(
    client: Calendly, api: aioresponses, event_type: str, start: Any, end: Any
) -> None:
    with pytest.raises(InvalidInputError):
        await client.event_types.available_times(event_type, start, end)
    assert sent(api) == []


# --- the window fan-out itself (no HTTP) -----------------------------------------------


async def test_fetch_windows_keeps_window_order_and_first_duplicate() -> None:
    windows = [
        (START, START + timedelta(days=1)),
        (START + timedelta(days=1), START + timedelta(days=2)),
    ]
    second_done = asyncio.Event()

    async def fetch(begin: datetime, end: datetime) -> list[tuple[str, datetime]]:
        if begin == START:
            await second_done.wait()  # the first window finishes last
            return [("first", begin), ("first", end)]
        second_done.set()
        return [("second", begin), ("second", end)]

    merged = await fetch_windows(fetch, windows, key=lambda item: item[1])
    assert merged == [("first", START), ("first", windows[0][1]), ("second", windows[1][1])]


async def test_fetch_windows_cancels_the_other_windows_on_failure() -> None:
    windows = [
        (START, START + timedelta(days=1)),
        (START + timedelta(days=1), START + timedelta(days=2)),
    ]
    cancelled: list[datetime] = []
    started = asyncio.Event()

    async def fetch(begin: datetime, end: datetime) -> list[datetime]:
        if begin == START:
            await started.wait()
            raise NotFoundError(status=404, title="Resource Not Found", message="")
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(begin)
            raise
        return []

    with pytest.raises(NotFoundError):
        await fetch_windows(fetch, windows, key=lambda item: item)
    assert cancelled == [windows[1][0]]


# --- loopback --------------------------------------------------------------------------


async def test_available_times_over_70_days_on_loopback(serve: Serve) -> None:
    """Every window is <= 31 days, all three are in flight together, order is kept."""
    windows: list[tuple[datetime, datetime]] = []
    all_arrived = asyncio.Event()

    async def handler(request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.query["event_type"] == f"{BASE}/event_types/{ET}"
        begin = datetime.fromisoformat(request.query["start_time"])
        end = datetime.fromisoformat(request.query["end_time"])
        if not begin < end <= begin + timedelta(days=31):
            return web.json_response({"title": "Invalid Argument", "message": "range"}, status=400)
        windows.append((begin, end))
        if len(windows) == 3:
            all_arrived.set()
        if begin == START:
            # The first window answers last: the merge must still put it first.
            await asyncio.wait_for(all_arrived.wait(), timeout=10)
        times = [begin, begin + timedelta(hours=12), end]
        return web.json_response({"collection": [slot(t) for t in times]})

    app = web.Application()
    app.router.add_get("/event_type_available_times", handler)
    base = await serve(app)
    async with Calendly(token=TOKEN, base_url=base) as client:
        slots = await client.event_types.available_times(
            ET, z(START), z(START + timedelta(days=70))
        )
    assert sorted(windows) == [
        (START, START + timedelta(days=31)),
        (START + timedelta(days=31), START + timedelta(days=62)),
        (START + timedelta(days=62), START + timedelta(days=70)),
    ]
    starts = [s.start_time for s in slots if s.start_time is not None]
    assert starts == sorted(starts)
    assert len(slots) == len(starts) == len(set(starts)) == 7
