"""client.event_types write side: create, update (PATCH with "not passed" vs null),
hosts, event type availability and one-off event types (reference §6.4), over
aioresponses and against the mock server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aioresponses import aioresponses
from conftest import sent
from helpers import BASE, assert_round_trips, fixture, page_body, resource_body

from calendly_async import (
    AvailabilityInterval,
    AvailabilityRule,
    BadRequestError,
    Calendly,
    EventType,
    InvalidInputError,
    LocationConfiguration,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
)
from calendly_async.mock import MockCalendly
from calendly_async.models.event_type_settings import (
    EventTypeAvailabilitySchedule,
    EventTypeMembership,
    OneOffDateSetting,
    OneOffSpot,
)

USER = f"{BASE}/users/AAAAAAAAAAAAAAAA"
EVENT_TYPE = f"{BASE}/event_types/AAAAAAAAAAAAAAAA"
MEMBERSHIPS = re.compile(rf"^{re.escape(BASE)}/event_type_memberships(\?.*)?$")
SCHEDULES = re.compile(rf"^{re.escape(BASE)}/event_type_availability_schedules(\?.*)?$")


def event_type_body() -> dict[str, Any]:
    return resource_body(fixture("get_event_type")["resource"])


def body_of(kwargs: dict[str, Any]) -> Any:
    return msgspec.json.decode(kwargs["data"])


# -- create (aioresponses) -----------------------------------------------------------------


async def test_create_sends_every_setting(client: Calendly, api: aioresponses) -> None:
    api.post(f"{BASE}/event_types", status=201, payload=event_type_body())
    created = await client.event_types.create(
        "AAAAAAAAAAAAAAAA",
        "Intro call",
        active=True,
        description="Say hello",
        duration=30,
        duration_options=[15, 30, 60],
        locations=[
            LocationConfiguration(kind="zoom_conference"),
            {"kind": "physical", "location": "HQ"},
        ],
        color="#1A2B3C",
        locale="de",
    )
    assert isinstance(created, EventType)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/event_types")
    assert body_of(kwargs) == {
        "owner": USER,
        "name": "Intro call",
        "active": True,
        "description": "Say hello",
        "duration": 30,
        "duration_options": [15, 30, 60],
        "locations": [{"kind": "zoom_conference"}, {"kind": "physical", "location": "HQ"}],
        "color": "#1a2b3c",
        "locale": "de",
    }


async def test_create_leaves_unset_settings_out(client: Calendly, api: aioresponses) -> None:
    api.post(f"{BASE}/event_types", status=201, payload=event_type_body())
    created = await client.event_types.create(USER, "Intro call")
    assert_round_trips(fixture("get_event_type")["resource"], created)
    ((_, _, kwargs),) = sent(api)
    assert body_of(kwargs) == {"owner": USER, "name": "Intro call"}


async def test_create_is_not_retried_after_a_server_error(
    client: Calendly, api: aioresponses
) -> None:
    api.post(f"{BASE}/event_types", status=503, payload={"title": "x", "message": "y"})
    api.post(f"{BASE}/event_types", status=201, payload=event_type_body())
    with pytest.raises(ServerError):
        await client.event_types.create(USER, "Intro call")
    assert len(sent(api)) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": ""},
        {"name": "   "},
        {"owner": f"{BASE}/organizations/AAAA"},
        {"duration": 0},
        {"duration": 721},
        {"duration": True},
        {"duration": 30.0},
        {"duration_options": [15, 30, 45, 60, 90]},
        {"duration_options": [30, 30]},
        {"duration_options": [0, 30]},
        {"duration_options": "30"},
        {"duration": 20, "duration_options": [15, 30]},
        {"color": "red"},
        {"color": "#fff"},
        {"color": "#gggggg"},
        {"locations": [{"location": "HQ"}]},
        {"locations": [{"kind": "inbound_call"}]},
        {"locations": {"kind": "physical"}},
        {"active": "yes"},
        {"locale": ""},
    ],
)
async def test_create_refuses_bad_settings_before_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    arguments: dict[str, Any] = {"owner": USER, "name": "Intro call", **kwargs}
    with pytest.raises(InvalidInputError):
        await client.event_types.create(**arguments)
    assert sent(api) == []


# -- update (aioresponses) -----------------------------------------------------------------


async def test_update_sends_only_what_was_passed(client: Calendly, api: aioresponses) -> None:
    api.patch(EVENT_TYPE, payload=event_type_body())
    updated = await client.event_types.update(EVENT_TYPE, name="Renamed", active=False)
    assert isinstance(updated, EventType)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("PATCH", EVENT_TYPE)
    assert body_of(kwargs) == {"name": "Renamed", "active": False}


async def test_update_sends_null_to_clear_a_field(client: Calendly, api: aioresponses) -> None:
    api.patch(EVENT_TYPE, payload=event_type_body())
    await client.event_types.update(
        "AAAAAAAAAAAAAAAA", description=None, duration_options=None, locations=None, duration=45
    )
    ((_, _, kwargs),) = sent(api)
    assert body_of(kwargs) == {
        "description": None,
        "duration_options": None,
        "locations": None,
        "duration": 45,
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"name": None},
        {"active": None},
        {"duration": None},
        {"color": None},
        {"locale": None},
        {"duration": 0},
        {"duration": 45, "duration_options": [15, 30]},
        {"color": "#12345"},
        {"locations": [{"kind": ""}]},
    ],
)
async def test_update_refuses_bad_changes_before_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        await client.event_types.update(EVENT_TYPE, **kwargs)
    assert sent(api) == []


async def test_update_refuses_a_non_event_type_id(client: Calendly, api: aioresponses) -> None:
    with pytest.raises(InvalidInputError):
        await client.event_types.update(f"{BASE}/scheduled_events/AAAA", name="x")
    assert sent(api) == []


# -- hosts and availability (aioresponses) ----------------------------------------------------


def membership_payload() -> dict[str, Any]:
    return {
        "uri": f"{BASE}/event_type_memberships/MMMMMMMMMMMMMMMM",
        "event_type": fixture("get_event_type")["resource"],
        "member": fixture("get_current_user")["resource"],
        "created_at": "2024-01-02T03:04:05.678123Z",
        "updated_at": "2024-01-02T03:04:05.678123Z",
    }


async def test_hosts_pages_through_event_type_memberships(
    client: Calendly, api: aioresponses
) -> None:
    payload = membership_payload()
    api.get(MEMBERSHIPS, payload=page_body([payload], next_token="p2"))
    api.get(MEMBERSHIPS, payload=page_body([]))
    hosts = await client.event_types.hosts("AAAAAAAAAAAAAAAA").collect()
    assert len(hosts) == 1
    assert isinstance(hosts[0], EventTypeMembership)
    assert hosts[0].member is not None
    assert hosts[0].member.email == "user@example.com"
    assert_round_trips(payload, hosts[0])
    first, second = sent(api)
    assert (first[0], urlsplit(first[1]).path) == ("GET", "/event_type_memberships")
    assert first[2]["params"] == {"event_type": EVENT_TYPE, "count": "100"}
    assert second[2]["params"] == {"event_type": EVENT_TYPE, "count": "100", "page_token": "p2"}


def schedule_payload() -> dict[str, Any]:
    schedule = fixture("get_user_availability_schedule")["resource"]
    return {
        "event_type": EVENT_TYPE,
        "availability_setting": "host",
        "availability_rule": {
            "timezone": schedule["timezone"],
            "uri": schedule["uri"],
            "name": None,
            "user": USER,
            "rules": schedule["rules"],
        },
    }


async def test_availability_schedules_reads_the_collection(
    client: Calendly, api: aioresponses
) -> None:
    payload = schedule_payload()
    api.get(SCHEDULES, payload=page_body([payload]))
    (schedule,) = await client.event_types.availability_schedules(EVENT_TYPE)
    assert isinstance(schedule, EventTypeAvailabilitySchedule)
    assert schedule.availability_rule is not None
    assert schedule.availability_rule.rules[0].intervals[0].from_ == "08:30"
    assert_round_trips(payload, schedule)
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/event_type_availability_schedules")
    assert kwargs["params"] == {"event_type": EVENT_TYPE}


async def test_update_availability_schedule_sends_query_and_rules(
    client: Calendly, api: aioresponses
) -> None:
    api.patch(SCHEDULES, payload=resource_body(schedule_payload()))
    result = await client.event_types.update_availability_schedule(
        "AAAAAAAAAAAAAAAA",
        timezone="America/New_York",
        rules=[
            AvailabilityRule(
                type="wday",
                wday="monday",
                intervals=[AvailabilityInterval(from_="09:00", to_="12:00")],
            ),
            {"type": "date", "date": date(2030, 1, 2), "intervals": []},
        ],
        user="AAAAAAAAAAAAAAAA",
        availability_setting="host",
    )
    assert isinstance(result, EventTypeAvailabilitySchedule)
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("PATCH", "/event_type_availability_schedules")
    assert kwargs["params"] == {"event_type": EVENT_TYPE}
    assert body_of(kwargs) == {
        "availability_rule": {
            "timezone": "America/New_York",
            "rules": [
                {"type": "wday", "wday": "monday", "intervals": [{"from": "09:00", "to": "12:00"}]},
                {"type": "date", "date": "2030-01-02", "intervals": []},
            ],
            "user": USER,
        },
        "availability_setting": "host",
    }


async def test_update_availability_schedule_without_rules_sends_timezone_only(
    client: Calendly, api: aioresponses
) -> None:
    api.patch(SCHEDULES, payload=resource_body(schedule_payload()))
    await client.event_types.update_availability_schedule(EVENT_TYPE, timezone="UTC")
    ((_, _, kwargs),) = sent(api)
    assert body_of(kwargs) == {"availability_rule": {"timezone": "UTC"}}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timezone": "Mars/Olympus"},
        {"timezone": ""},
        {"timezone": "UTC", "rules": [{"type": "wday", "intervals": []}]},
        {"timezone": "UTC", "rules": [{"type": "date", "date": "soon"}]},
        {"timezone": "UTC", "rules": [{"type": "weekly"}]},
        {
            "timezone": "UTC",
            "rules": [
                {"type": "wday", "wday": "monday", "intervals": [{"from": "9:00", "to": "10:00"}]}
            ],
        },
        {"timezone": "UTC", "rules": "monday"},
        {"timezone": "UTC", "user": f"{BASE}/groups/AAAA"},
    ],
)
async def test_update_availability_schedule_refuses_bad_input(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        await client.event_types.update_availability_schedule(EVENT_TYPE, **kwargs)
    assert sent(api) == []


# -- one-off event types (aioresponses) ------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "sent_setting"),
    [
        (
            OneOffDateSetting(
                type="date_range", start_date=date(2030, 1, 1), end_date=date(2030, 1, 31)
            ),
            {"type": "date_range", "start_date": "2030-01-01", "end_date": "2030-01-31"},
        ),
        (
            {"type": "days_in_future", "days": 14, "only_weekdays": True},
            {"type": "days_in_future", "days": 14, "only_weekdays": True},
        ),
        (
            OneOffDateSetting(
                type="spots",
                spots=[
                    OneOffSpot(
                        start_time=datetime(2030, 1, 1, 10, tzinfo=timezone(timedelta(hours=2))),
                        end_time=datetime(2030, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))),
                    )
                ],
            ),
            {
                "type": "spots",
                "spots": [
                    {
                        "start_time": "2030-01-01T08:00:00.000000Z",
                        "end_time": "2030-01-01T10:00:00.000000Z",
                    }
                ],
            },
        ),
    ],
)
async def test_create_one_off_sends_the_date_setting(
    client: Calendly, api: aioresponses, setting: Any, sent_setting: dict[str, Any]
) -> None:
    adhoc = {**fixture("get_event_type")["resource"], "type": "AdhocEventType"}
    api.post(f"{BASE}/one_off_event_types", status=201, payload=resource_body(adhoc))
    created = await client.event_types.create_one_off(
        "Coffee chat",
        "AAAAAAAAAAAAAAAA",
        45,
        setting,
        co_hosts=["BBBBBBBBBBBBBBBB"],
        timezone="Europe/Berlin",
        location={"kind": "physical", "location": "Cafe"},
    )
    assert created.type == "AdhocEventType"
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/one_off_event_types")
    assert body_of(kwargs) == {
        "name": "Coffee chat",
        "host": USER,
        "duration": 45,
        "date_setting": sent_setting,
        "co_hosts": [f"{BASE}/users/BBBBBBBBBBBBBBBB"],
        "timezone": "Europe/Berlin",
        "location": {"kind": "physical", "location": "Cafe"},
    }


DAYS = {"type": "days_in_future", "days": 7, "only_weekdays": False}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "x" * 56},
        {"duration": 721},
        {"host": f"{BASE}/organizations/AAAA"},
        {
            "date_setting": {
                "type": "date_range",
                "start_date": "2030-02-01",
                "end_date": "2030-01-01",
            }
        },
        {
            "date_setting": {
                "type": "date_range",
                "start_date": "2030-01-01",
                "end_date": "2031-01-01",
            }
        },
        {"date_setting": {"type": "date_range", "start_date": "2030-01-01"}},
        {"date_setting": {"type": "days_in_future", "days": 366, "only_weekdays": False}},
        {"date_setting": {"type": "days_in_future", "days": 5}},
        {"date_setting": {"type": "spots", "spots": []}},
        {
            "date_setting": {
                "type": "spots",
                "spots": [
                    {"start_time": "2030-01-01T10:00:00", "end_time": "2030-01-01T11:00:00Z"}
                ],
            }
        },
        {
            "date_setting": {
                "type": "spots",
                "spots": [
                    {"start_time": "2030-01-01T10:00:00Z", "end_time": "2030-01-01T10:00:00Z"}
                ],
            }
        },
        {"date_setting": {"type": "someday"}},
        {"date_setting": "tomorrow"},
        {"timezone": "Nowhere/Land"},
        {"location": {"kind": "inbound_call"}},
        {"co_hosts": [f"{BASE}/groups/AAAA"]},
    ],
)
async def test_create_one_off_refuses_bad_input_before_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    arguments: dict[str, Any] = {
        "name": "Coffee chat", "host": USER, "duration": 30, "date_setting": DAYS, **kwargs
    }  # fmt: skip
    with pytest.raises(InvalidInputError):
        await client.event_types.create_one_off(**arguments)
    assert sent(api) == []


# -- the mock server through the SDK (loopback) -------------------------------------------

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30, hours=6)


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=31, start=START, clock=lambda: NOW.timestamp(), events=40, users=3
    ) as server:
        yield server


@pytest.fixture
async def sdk(mock: MockCalendly) -> AsyncIterator[Calendly]:
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        yield client


async def test_mock_create_get_list_and_update(sdk: Calendly, mock: MockCalendly) -> None:
    created = await sdk.event_types.create(
        mock.owner_uri,
        "Intro call",
        active=True,
        description="Say hello",
        duration=30,
        duration_options=[30, 60],
        locations=[{"kind": "zoom_conference"}],
        color="#1A2B3C",
    )
    assert (created.kind, created.type, created.active) == ("solo", "StandardEventType", True)
    assert (created.duration, created.duration_options) == (30, [30, 60])
    assert created.color == "#1a2b3c"
    assert created.description_plain == "Say hello"
    assert created.created_at == NOW
    assert await sdk.event_types.get(created.uri) == created
    mine = await sdk.event_types.list(user=mock.owner_uri).collect()
    assert created.uri in {e.uri for e in mine}

    updated = await sdk.event_types.update(
        created.uri, name="Renamed", duration=60, description=None, active=False
    )
    assert (updated.name, updated.duration, updated.active) == ("Renamed", 60, False)
    assert updated.description_plain is None
    assert updated.duration_options == [30, 60]
    assert updated.color == "#1a2b3c"
    assert await sdk.event_types.get(created.uri) == updated


async def test_mock_enforces_rules_the_sdk_cannot_see(sdk: Calendly, mock: MockCalendly) -> None:
    created = await sdk.event_types.create(
        mock.owner_uri, "Intro call", duration=30, duration_options=[30, 60]
    )
    with pytest.raises(BadRequestError) as caught:
        await sdk.event_types.update(created.uri, duration=45)
    assert caught.value.details[0].parameter == "duration"
    seeded_group_type = next(e for e in mock.state.event_types.values() if e.kind == "group")
    with pytest.raises(BadRequestError):
        await sdk.event_types.update(seeded_group_type.uri, name="x")
    with pytest.raises(NotFoundError):
        await sdk.event_types.update("NOSUCHEVENTTYPE0", name="x")
    with pytest.raises(PermissionDeniedError):
        await sdk.event_types.create("NOTAMEMBER000000", "Intro call")


async def test_mock_hosts_are_the_owner(sdk: Calendly, mock: MockCalendly) -> None:
    created = await sdk.event_types.create(mock.owner_uri, "Intro call")
    (host,) = await sdk.event_types.hosts(created.uri).collect()
    assert host.event_type == created
    assert host.member is not None
    assert host.member.uri == mock.owner_uri
    with pytest.raises(NotFoundError):
        await sdk.event_types.hosts("NOSUCHEVENTTYPE0").collect()


async def test_mock_availability_update_changes_available_times(
    sdk: Calendly, mock: MockCalendly
) -> None:
    created = await sdk.event_types.create(mock.owner_uri, "Intro call", active=True, duration=30)
    (before,) = await sdk.event_types.availability_schedules(created.uri)
    assert before.availability_rule is not None
    owner_schedules = await sdk.availability_schedules.list(mock.owner_uri)
    default = next(s for s in owner_schedules if s.default)
    assert before.availability_rule.uri == default.uri
    assert before.availability_rule.rules == default.rules
    assert before.availability_rule.user == mock.owner_uri

    wednesday_mornings = [
        AvailabilityRule(
            type="wday",
            wday="wednesday",
            intervals=[AvailabilityInterval(from_="10:00", to_="12:00")],
        )
    ]
    after = await sdk.event_types.update_availability_schedule(
        created.uri, timezone="UTC", rules=wednesday_mornings
    )
    assert after.availability_rule is not None
    assert after.availability_rule.timezone == "UTC"
    assert after.availability_rule.rules == wednesday_mornings
    assert await sdk.event_types.availability_schedules(created.uri) == [after]
    assert await sdk.availability_schedules.list(mock.owner_uri) == owner_schedules

    slots = await sdk.event_types.available_times(
        created.uri, NOW + timedelta(hours=1), NOW + timedelta(days=14)
    )
    assert slots
    for slot in slots:
        assert slot.start_time is not None
        assert slot.start_time.weekday() == 2
        assert 10 <= slot.start_time.hour < 12


async def test_mock_refuses_a_bad_availability_setting(sdk: Calendly, mock: MockCalendly) -> None:
    created = await sdk.event_types.create(mock.owner_uri, "Intro call")
    with pytest.raises(InvalidInputError):  # the SDK refuses it before sending
        await sdk.event_types.update_availability_schedule(
            created.uri, timezone="UTC", availability_setting="all"
        )
    with pytest.raises(BadRequestError):
        await sdk.request(
            "PATCH",
            "/event_type_availability_schedules",
            params={"event_type": created.uri},
            json={"availability_rule": {"timezone": "UTC"}, "availability_setting": "all"},
        )


async def test_mock_creates_one_off_event_types(sdk: Calendly, mock: MockCalendly) -> None:
    created = await sdk.event_types.create_one_off(
        "Coffee chat",
        mock.owner_uri,
        45,
        OneOffDateSetting(type="days_in_future", days=10, only_weekdays=True),
        location=LocationConfiguration(kind="physical", location="Cafe"),
    )
    assert (created.type, created.duration, created.secret) == ("AdhocEventType", 45, True)
    assert created.locations == [LocationConfiguration(kind="physical", location="Cafe")]
    assert await sdk.event_types.get(created.uri) == created
    with pytest.raises(PermissionDeniedError):
        await sdk.event_types.create_one_off("Chat", "NOTAMEMBER000000", 30, DAYS)
