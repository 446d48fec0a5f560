"""jobs.availability over loopback against the embedded mock: open slots and free time
equal brute-force computations over the same mock data, fetched raw over plain HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from helpers import call

from calendly_async import Calendly, InvalidInputError, PermissionDeniedError
from calendly_async.jobs import Interval, free_time, open_slots
from calendly_async.mock import Faults, MockCalendly
from calendly_async.models.availability import (
    AvailabilityInterval,
    AvailabilityRule,
    UserBusyTime,
)

NOW = datetime(2027, 3, 10, 12, 0, 30, tzinfo=UTC)
"""The mock's and the jobs' "now": the week ahead crosses the US DST change of 2027-03-14."""
MINUTE = timedelta(minutes=1)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def clock() -> datetime:
    return NOW


def mock_server(**options: Any) -> MockCalendly:
    settings: dict[str, Any] = {
        "seed": 11,
        "users": 4,
        "event_types": 3,
        "events": 160,
        "invitees_per_event": 2,
        "start": datetime(2027, 3, 1, tzinfo=UTC),
        "days": 30,
        "rate_limit": 100_000,
        "clock": NOW.timestamp,
    }
    settings.update(options)
    return MockCalendly(**settings)


def with_overrides(mock: MockCalendly) -> None:
    """Give user 0 (America/New_York) date overrides and a buffered busy time.

    Saturday 2027-03-13 becomes a working day (10:00-14:00, normally off), and Monday
    2027-03-15 is 12:00-13:00 plus 15:00-16:30 instead of the weekday's hours.
    """
    user_uuid, user = next(iter(mock.state.users.items()))
    assert user.timezone == "America/New_York"
    schedule = next(s for s in mock.state.schedules.values() if s.user == user.uri and s.default)

    def override(day: date, *pairs: tuple[str, str]) -> AvailabilityRule:
        intervals = [AvailabilityInterval(from_=a, to_=b) for a, b in pairs]
        return AvailabilityRule(type="date", date=day, intervals=intervals)

    schedule.rules.append(override(date(2027, 3, 13), ("10:00", "14:00")))
    schedule.rules.append(override(date(2027, 3, 15), ("12:00", "13:00"), ("15:00", "16:30")))
    meeting = datetime(2027, 3, 15, 19, 0, tzinfo=UTC)  # 15:00 EDT
    mock.state.external_busy[user_uuid].append(
        UserBusyTime(
            type="external",
            start_time=meeting,
            end_time=meeting + timedelta(minutes=30),
            buffered_start_time=meeting - timedelta(minutes=10),
            buffered_end_time=meeting + timedelta(minutes=45),
        )
    )


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with mock_server() as server:
        with_overrides(server)
        yield server


@pytest.fixture
async def http(mock: MockCalendly) -> AsyncIterator[aiohttp.ClientSession]:
    """Plain aiohttp with the mock's token: the brute force reads the raw data with it."""
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as raw:
        yield raw


@pytest.fixture
async def client(mock: MockCalendly) -> AsyncIterator[Calendly]:
    async with Calendly(token=mock.token, base_url=mock.url) as sdk:
        yield sdk


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def user_uris(mock: MockCalendly, *indexes: int) -> list[str]:
    users = list(mock.state.users.values())
    return [users[i].uri for i in indexes]


# --- brute force over raw HTTP -----------------------------------------------------------


async def raw_slots(
    http: aiohttp.ClientSession, mock: MockCalendly, start: datetime, end: datetime
) -> list[tuple[str, datetime, str, int]]:
    """Every active event type's slots, fetched in 10-day windows one by one, merged by hand."""
    listing = await call(
        http, mock, "GET", "/event_types",
        {"organization": mock.organization_uri, "active": "true", "count": "100"},
    )  # fmt: skip
    assert listing.status == 200
    assert listing.body["pagination"]["next_page_token"] is None
    found: dict[tuple[str, datetime], tuple[str, datetime, str, int]] = {}
    for event_type in listing.body["collection"]:
        cursor = start
        while cursor < end:
            stop = min(cursor + timedelta(days=10), end)
            params = {"event_type": event_type["uri"], "start_time": z(cursor), "end_time": z(stop)}
            answer = await call(http, mock, "GET", "/event_type_available_times", params)
            assert answer.status == 200, answer.body
            for slot in answer.body["collection"]:
                at = parse(slot["start_time"])
                found[(event_type["uri"], at)] = (
                    event_type["uri"], at, slot["scheduling_url"], slot["invitees_remaining"]
                )  # fmt: skip
            cursor = stop
    return sorted(found.values(), key=lambda slot: (slot[1], slot[0]))


async def raw_free_minutes(
    http: aiohttp.ClientSession, mock: MockCalendly, user: str, start: datetime, end: datetime
) -> set[datetime]:
    """Minute by minute: inside the default schedule (by the local wall clock) and not busy."""
    answer = await call(http, mock, "GET", "/user_availability_schedules", {"user": user})
    (schedule,) = [s for s in answer.body["collection"] if s["default"]]
    zone = ZoneInfo(schedule["timezone"])
    by_date = {r["date"]: r["intervals"] for r in schedule["rules"] if r["type"] == "date"}
    by_wday = {r["wday"]: r["intervals"] for r in schedule["rules"] if r["type"] == "wday"}
    busy: list[tuple[datetime, datetime]] = []
    cursor = start
    while cursor < end:  # one day per request: different windows from the job's 7 days
        stop = min(cursor + timedelta(days=1), end)
        params = {"user": user, "start_time": z(cursor), "end_time": z(stop)}
        page = await call(http, mock, "GET", "/user_busy_times", params)
        assert page.status == 200, page.body
        for item in page.body["collection"]:
            begin = item.get("buffered_start_time") or item["start_time"]
            finish = item.get("buffered_end_time") or item["end_time"]
            busy.append((parse(begin), parse(finish)))
        cursor = stop
    free: set[datetime] = set()
    moment = start
    while moment < end:
        wall = moment.astimezone(zone)
        day = wall.date()
        intervals = by_date.get(day.isoformat(), by_wday.get(WEEKDAYS[day.weekday()], []))
        clock_text = wall.strftime("%H:%M")
        is_open = any(i["from"] <= clock_text < i["to"] for i in intervals)
        if is_open and not any(b <= moment < e for b, e in busy):
            free.add(moment)
        moment += MINUTE
    return free


def runs(minutes: set[datetime], shortest: timedelta) -> list[Interval]:
    result: list[Interval] = []
    for moment in sorted(minutes):
        if result and result[-1].end == moment:
            result[-1] = Interval(result[-1].start, moment + MINUTE)
        else:
            result.append(Interval(moment, moment + MINUTE))
    return [run for run in result if run.end - run.start >= shortest]


# --- open slots ---------------------------------------------------------------------------


async def test_open_slots_of_an_organization_equal_the_raw_brute_force(
    mock: MockCalendly, client: Calendly, http: aiohttp.ClientSession
) -> None:
    start = datetime(2027, 3, 10, 13, 0, tzinfo=UTC)
    found = await open_slots(
        client, organization=mock.organization_uri, start=start, days=40, clock=clock
    )
    expected = await raw_slots(http, mock, start, start + timedelta(days=40))
    got = [
        (s.event_type, s.start_time, s.scheduling_url, s.invitees_remaining) for s in found.slots
    ]
    assert got == expected
    assert len(got) > 100
    assert all(slot[3] >= 1 for slot in got)  # group event types: seats left, from the mock
    assert len(found.event_types) == 8  # 4 users x 3 types, the third of each inactive
    assert found.requests == 8 * 2  # 40 days: two 31-day windows per event type
    assert not found.range.start_moved


async def test_open_slots_of_listed_event_types_are_ordered_and_once_each(
    mock: MockCalendly, client: Calendly
) -> None:
    uuids = [uuid for uuid, et in mock.state.event_types.items() if et.active][:3]
    found = await open_slots(client, event_types=[*uuids, uuids[0]], days=35, clock=clock)
    assert [uri.rsplit("/", 1)[-1] for uri in found.event_types] == uuids
    keys = [(s.start_time, s.event_type) for s in found.slots]
    assert keys == sorted(set(keys))
    assert {s.event_type for s in found.slots} == set(found.event_types)
    assert found.requests == 3 * 2


async def test_a_past_start_is_moved_to_now_logged_and_flagged(
    mock: MockCalendly, client: Calendly, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="calendly_async.jobs"):
        found = await open_slots(
            client, user=user_uris(mock, 0)[0], start="2027-03-01T00:00:00Z", days=12, clock=clock
        )
    assert found.range.start_moved
    assert found.range.requested_start == datetime(2027, 3, 1, tzinfo=UTC)
    assert found.range.start == datetime(2027, 3, 10, 12, 1, tzinfo=UTC)  # now, next minute
    assert found.range.end == datetime(2027, 3, 13, tzinfo=UTC)
    assert found.slots
    assert min(s.start_time for s in found.slots) >= found.range.start
    assert "is in the past" in caplog.text
    assert "2027-03-01" in caplog.text


# --- free time ------------------------------------------------------------------------------


async def test_common_free_time_equals_the_brute_force_across_dst_and_overrides(
    mock: MockCalendly, client: Calendly, http: aiohttp.ClientSession
) -> None:
    users = user_uris(mock, 0, 3)  # America/New_York and America/Los_Angeles
    start = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    end = start + timedelta(days=8)  # Wed 10th to Thu 18th: the change on Sun 14th
    shortest = timedelta(minutes=30)
    found = await free_time(client, users, min_duration=shortest, start=start, end=end, clock=clock)
    minutes = [await raw_free_minutes(http, mock, user, start, end) for user in users]
    assert [person.free for person in found.users] == [runs(m, MINUTE) for m in minutes]
    assert found.intervals == runs(minutes[0] & minutes[1], shortest)
    assert found.intervals
    assert found.requests == 2 * (1 + 2)  # a schedule and two 7-day busy windows each


async def test_free_time_uses_the_date_overrides_and_buffered_busy_bounds(
    mock: MockCalendly, client: Calendly
) -> None:
    (user,) = user_uris(mock, 0)
    start = datetime(2027, 3, 13, 5, tzinfo=UTC)
    found = await free_time(client, [user], start=start, days=3, clock=clock)
    (person,) = found.users
    assert person.timezone == "America/New_York"

    def utc(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2027, 3, day, hour, minute, tzinfo=UTC)

    saturday = Interval(utc(13, 15), utc(13, 19))  # 10:00-14:00 EST: a weekend override
    monday = [Interval(utc(15, 16), utc(15, 17)), Interval(utc(15, 19), utc(15, 20, 30))]
    assert person.open == [saturday, *monday]  # 12:00-13:00, 15:00-16:30 EDT replace 9-17
    buffered = Interval(utc(15, 18, 50), utc(15, 19, 45))  # 15:00-15:30 EDT, buffers 10/15
    assert buffered in person.busy
    assert person.free == [saturday, monday[0], Interval(utc(15, 19, 45), utc(15, 20, 30))]


async def test_free_time_moves_a_past_start_instead_of_sending_it(
    mock: MockCalendly, client: Calendly, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="calendly_async.jobs"):
        found = await free_time(
            client, user_uris(mock, 0, 1), start="2027-03-09T09:00:00-05:00", days=3, clock=clock
        )
    assert found.range.start_moved
    assert found.range.start == datetime(2027, 3, 10, 12, 1, tzinfo=UTC)
    assert all(i.start >= found.range.start for i in found.intervals)
    assert "moved to now" in caplog.text


async def test_an_unknown_user_raises_the_typed_api_error(client: Calendly) -> None:
    with pytest.raises(PermissionDeniedError, match="not in your organization"):
        await free_time(client, ["NOSUCHUSER"], days=14, clock=clock)


async def test_bad_input_is_refused_before_any_request() -> None:
    # Nothing listens on port 9: any request would be a connection error instead.
    async with Calendly(token="t", base_url="http://127.0.0.1:9") as offline:
        cases = [
            open_slots(offline, clock=clock),
            open_slots(offline, user="U1", organization="O1", clock=clock),
            open_slots(offline, event_types="ET1", clock=clock),
            open_slots(offline, event_types=["not a uuid!"], clock=clock),
            open_slots(offline, event_types=["ET1"], end="2027-03-20T00:00:00Z", days=3),
            open_slots(offline, event_types=["ET1"], days=0, clock=clock),
            open_slots(offline, event_types=["ET1"], start="2027-03-20T00:00:00", clock=clock),
            open_slots(offline, event_types=["ET1"], end="2027-03-01T00:00:00Z", clock=clock),
            open_slots(offline, event_types=["ET1"], max_concurrency=0, clock=clock),
            free_time(offline, [], clock=clock),
            free_time(offline, ["U1"], min_duration=timedelta(minutes=-1), clock=clock),
            free_time(offline, ["U1"], start="2027-03-12T00:00:00Z", end="2027-03-11T00:00:00Z"),
        ]
        for case in cases:
            with pytest.raises(InvalidInputError):
                await case


# --- concurrency ----------------------------------------------------------------------------


class InFlight:
    """The mock's injected-latency sleep, counting the requests inside it at once.

    Each request waits (at most 2 s) until ``target`` requests are in flight together,
    so reaching the bound never depends on how fast the machine is; a lookup that sent
    its requests one by one would never get there and would end with ``most == 1``.
    """

    def __init__(self, target: int) -> None:
        self.target = target
        self.now = 0
        self.most = 0
        self.total = 0
        self.reached = asyncio.Event()

    def reset(self) -> None:
        self.most = self.total = 0
        self.reached.clear()

    async def sleep(self, seconds: float) -> None:
        self.now += 1
        self.total += 1
        self.most = max(self.most, self.now)
        if self.now >= self.target:
            self.reached.set()
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.reached.wait(), 2.0)
        finally:
            self.now -= 1


@pytest.mark.parametrize("limit", [1, 4])
async def test_requests_run_concurrently_up_to_the_bound(limit: int) -> None:
    counter = InFlight(target=limit)
    server = mock_server(faults=Faults(latency_ms=1), sleep=counter.sleep)
    async with server, Calendly(token=server.token, base_url=server.url) as sdk:
        uuids = [uuid for uuid, et in server.state.event_types.items() if et.active][:3]
        counter.reset()
        slots = await open_slots(
            sdk, event_types=uuids, days=60, max_concurrency=limit, clock=clock
        )
        assert (counter.total, slots.requests) == (6, 6)  # 3 types x two 31-day windows
        assert counter.most == limit
        counter.reset()
        users = user_uris(server, 0, 1, 2)
        free = await free_time(sdk, users, days=28, max_concurrency=limit, clock=clock)
        assert (counter.total, free.requests) == (15, 15)  # 3 x (schedule + four 7-day windows)
        assert counter.most == limit
