"""client.availability_schedules and client.busy_times (7-day windows fetched concurrently)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aiohttp import web
from aioresponses import CallbackResult, aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, assert_round_trips, fixture

from calendly_async import Calendly, ExternalCalendarError, InvalidInputError
from calendly_async.models.availability import (
    AvailabilityInterval,
    AvailabilityRule,
    AvailabilitySchedule,
    UserBusyTime,
)

USER = "abc123"
USER_URI = f"{BASE}/users/{USER}"
SCHEDULES = re.compile(rf"^{re.escape(BASE)}/user_availability_schedules(\?.*)?$")
BUSY = re.compile(rf"^{re.escape(BASE)}/user_busy_times(\?.*)?$")
START = datetime(2030, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def busy(begin: datetime, end: datetime, event: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "external", "start_time": z(begin), "end_time": z(end)}
    if event:
        item.update(type="calendly", event={"uri": f"{BASE}/scheduled_events/{event}"})
    return item


# --- availability schedules ------------------------------------------------------------


async def test_schedules_list_sends_user_uri_and_round_trips(
    client: Calendly, api: aioresponses
) -> None:
    payload = fixture("list_user_availability_schedules")
    api.get(SCHEDULES, payload=payload)
    schedules = await client.availability_schedules.list(USER)
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/user_availability_schedules")
    assert kwargs["params"] == {"user": USER_URI}
    assert [s.name for s in schedules] == ["Working Hours", "Evening Hours"]
    for original, schedule in zip(payload["collection"], schedules, strict=True):
        assert isinstance(schedule, AvailabilitySchedule)
        assert_round_trips(original, schedule)


async def test_schedule_rules_decode_with_from_and_to(client: Calendly, api: aioresponses) -> None:
    api.get(SCHEDULES, payload=fixture("list_user_availability_schedules"))
    evening = (await client.availability_schedules.list(USER_URI))[1]
    wednesday = evening.rules[2]
    assert (wednesday.wday, wednesday.intervals) == ("wednesday", [])
    assert evening.rules[0].intervals == [AvailabilityInterval(from_="08:30", to_="17:00")]
    assert evening.rules[-1].date == date(2028, 12, 31)
    encoded = msgspec.json.decode(msgspec.json.encode(evening.rules[0]))
    assert encoded["intervals"] == [{"from": "08:30", "to": "17:00"}]


@pytest.mark.parametrize(
    "ident",
    [
        USER,
        f"{BASE}/user_availability_schedules/{USER}",
        f"{BASE}/user_availability_schedule/{USER}",  # as written in Calendly's examples
    ],
)
async def test_schedule_get_round_trips_seed(
    client: Calendly, api: aioresponses, ident: str
) -> None:
    payload = fixture("get_user_availability_schedule")
    api.get(f"{BASE}/user_availability_schedules/{USER}", payload=payload)
    schedule = await client.availability_schedules.get(ident)
    assert schedule.default is True
    assert isinstance(schedule.rules[0], AvailabilityRule)
    assert_round_trips(payload["resource"], schedule)
    assert [(m, u) for m, u, _ in sent(api)] == [
        ("GET", f"{BASE}/user_availability_schedules/{USER}")
    ]


async def test_schedules_refuse_bad_identifiers_without_sending(
    client: Calendly, api: aioresponses
) -> None:
    with pytest.raises(InvalidInputError):
        await client.availability_schedules.list(f"{BASE}/organizations/{USER}")
    with pytest.raises(InvalidInputError):
        await client.availability_schedules.list("")
    with pytest.raises(InvalidInputError):
        await client.availability_schedules.get(f"{BASE}/event_types/{USER}")
    assert sent(api) == []


# --- busy times ------------------------------------------------------------------------


async def test_busy_times_single_window_round_trips_seed(
    client: Calendly, api: aioresponses
) -> None:
    payload = fixture("list_user_busy_times")
    api.get(BUSY, payload=payload)
    items = await client.busy_times.list(USER, "2020-01-02T00:00:00Z", "2020-01-08T00:00:00Z")
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/user_busy_times")
    assert kwargs["params"] == {
        "user": USER_URI,
        "start_time": "2020-01-02T00:00:00.000000Z",
        "end_time": "2020-01-08T00:00:00.000000Z",
    }
    assert [b.type for b in items] == ["calendly", "calendly", "external"]
    assert items[0].event is not None
    assert items[0].event.uri == f"{BASE}/scheduled_events/abc123"
    assert items[2].event is None
    for original, item in zip(payload["collection"], items, strict=True):
        assert isinstance(item, UserBusyTime)
        assert_round_trips(original, item)


async def test_busy_times_splits_20_days_into_3_windows(
    client: Calendly, api: aioresponses
) -> None:
    # A meeting spanning the first boundary comes back from both windows.
    spanning = busy(
        START + 7 * DAY - timedelta(minutes=30), START + 7 * DAY + timedelta(hours=1), "s"
    )

    def answer(url: Any, **kwargs: Any) -> CallbackResult:
        begin = datetime.fromisoformat(kwargs["params"]["start_time"])
        end = datetime.fromisoformat(kwargs["params"]["end_time"])
        items = [busy(begin + timedelta(hours=1), begin + timedelta(hours=2))]
        if begin <= START + 7 * DAY <= end:
            items = [*items, spanning] if begin == START else [spanning, *items]
        return CallbackResult(payload={"collection": items})

    api.get(BUSY, callback=answer, repeat=True)
    items = await client.busy_times.list(USER_URI, START, START + 20 * DAY)

    windows = sorted(
        (kw["params"]["start_time"], kw["params"]["end_time"]) for _, _, kw in sent(api)
    )
    assert windows == [
        (z(START), z(START + 7 * DAY)),
        (z(START + 7 * DAY), z(START + 14 * DAY)),
        (z(START + 14 * DAY), z(START + 20 * DAY)),
    ]
    assert [b.start_time for b in items] == [
        START + timedelta(hours=1),
        START + 7 * DAY - timedelta(minutes=30),
        START + 7 * DAY + timedelta(hours=1),
        START + 14 * DAY + timedelta(hours=1),
    ]
    assert sum(1 for b in items if b.event is not None) == 1


async def test_busy_times_unreadable_calendar_raises_424(
    client: Calendly, api: aioresponses
) -> None:
    api.get(
        BUSY,
        status=424,
        payload={"title": "External Calendar Error", "message": "calendar unreachable"},
    )
    with pytest.raises(ExternalCalendarError, match="calendar unreachable"):
        await client.busy_times.list(USER, START, START + DAY)


@pytest.mark.parametrize(
    ("user", "start", "end"),
    [
        (USER, datetime(2030, 3, 1), START + DAY),
        (USER, START, datetime(2030, 3, 2)),
        (USER, "2030-03-01", START + DAY),
        (USER, START + DAY, START),
        (USER, START, START),
        (USER, 1_900_000_000, START + DAY),
        (f"{BASE}/event_types/{USER}", START, START + DAY),
    ],
)
async def test_busy_times_refuse_bad_input_without_sending(
    client: Calendly, api: aioresponses, user: str, start: Any, end: Any
) -> None:
    with pytest.raises(InvalidInputError):
        await client.busy_times.list(user, start, end)
    assert sent(api) == []


# --- loopback --------------------------------------------------------------------------


async def test_busy_times_over_20_days_on_loopback(serve: Serve) -> None:
    seen: list[tuple[datetime, datetime]] = []

    async def handler(request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.query["user"] == f"{BASE}/users/{USER}"
        begin = datetime.fromisoformat(request.query["start_time"])
        end = datetime.fromisoformat(request.query["end_time"])
        if not begin < end <= begin + 7 * DAY:
            return web.json_response({"title": "Invalid Argument", "message": "range"}, status=400)
        seen.append((begin, end))
        return web.json_response({"collection": [busy(begin, begin + timedelta(hours=1))]})

    app = web.Application()
    app.router.add_get("/user_busy_times", handler)
    base = await serve(app)
    async with Calendly(token=TOKEN, base_url=base) as client:
        items = await client.busy_times.list(USER, z(START), z(START + 20 * DAY))
    assert sorted(seen) == [
        (START, START + 7 * DAY),
        (START + 7 * DAY, START + 14 * DAY),
        (START + 14 * DAY, START + 20 * DAY),
    ]
    assert [b.start_time for b in items] == [START, START + 7 * DAY, START + 14 * DAY]


async def test_schedules_over_loopback(serve: Serve) -> None:
    async def listing(request: web.Request) -> web.Response:
        assert request.query["user"] == f"{BASE}/users/{USER}"
        return web.json_response(fixture("list_user_availability_schedules"))

    async def one(request: web.Request) -> web.Response:
        assert request.match_info["uuid"] == "abc456"
        return web.json_response(
            {"resource": fixture("list_user_availability_schedules")["collection"][1]}
        )

    app = web.Application()
    app.router.add_get("/user_availability_schedules", listing)
    app.router.add_get("/user_availability_schedules/{uuid}", one)
    base = await serve(app)
    async with Calendly(token=TOKEN, base_url=base) as client:
        schedules = await client.availability_schedules.list(USER)
        evening = await client.availability_schedules.get(schedules[1].uri)
    assert evening == schedules[1]
    assert evening.timezone == "America/New_York"
