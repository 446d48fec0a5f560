"""client.scheduling_links.create and client.shares.create."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, assert_round_trips, fixture

from calendly_async import Calendly, InvalidInputError, ServerError
from calendly_async.models.availability import (
    AvailabilityInterval,
    AvailabilityRule,
    AvailabilityRuleSet,
)
from calendly_async.models.event_types import LocationConfiguration
from calendly_async.models.scheduling import SchedulingLink, Share

ET = "GBGBDCAADAEDCRZ2"
ET_URI = f"{BASE}/event_types/{ET}"


def json_body(kwargs: dict[str, Any]) -> Any:
    return msgspec.json.decode(kwargs["data"])


# --- scheduling links ------------------------------------------------------------------


@pytest.mark.parametrize("owner", [ET, ET_URI])
async def test_scheduling_link_posts_integer_count_and_round_trips(
    client: Calendly, api: aioresponses, owner: str
) -> None:
    payload = fixture("create_single_use_scheduling_link")
    api.post(f"{BASE}/scheduling_links", status=201, payload=payload)
    link = await client.scheduling_links.create(owner)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/scheduling_links")
    body = json_body(kwargs)
    assert body == {"max_event_count": 1, "owner": ET_URI, "owner_type": "EventType"}
    assert type(body["max_event_count"]) is int  # reference §9 item 7: send the number 1
    assert isinstance(link, SchedulingLink)
    assert link.booking_url == "https://calendly.com/d/abcd-brv8/15-minute-meeting"
    assert_round_trips(payload["resource"], link)


async def test_scheduling_link_accepts_the_seeds_string_count(
    client: Calendly, api: aioresponses
) -> None:
    api.post(
        f"{BASE}/scheduling_links", status=201, payload=fixture("create_single_use_scheduling_link")
    )
    await client.scheduling_links.create(ET, max_event_count="1")
    assert json_body(sent(api)[0][2])["max_event_count"] == 1


@pytest.mark.parametrize(
    ("owner", "count"),
    [(f"{BASE}/users/{ET}", 1), ("", 1), (ET, 0), (ET, -1), (ET, True), (ET, "one"), (ET, 1.5)],
)
async def test_scheduling_link_refuses_bad_input_without_sending(
    client: Calendly, api: aioresponses, owner: str, count: Any
) -> None:
    with pytest.raises(InvalidInputError):
        await client.scheduling_links.create(owner, max_event_count=count)
    assert sent(api) == []


async def test_scheduling_link_post_is_not_retried_after_a_500(
    client: Calendly, api: aioresponses
) -> None:
    api.post(f"{BASE}/scheduling_links", status=500, payload={"title": "Internal Server Error"})
    with pytest.raises(ServerError):
        await client.scheduling_links.create(ET)
    assert len(sent(api)) == 1


# --- shares ----------------------------------------------------------------------------


async def test_share_with_only_event_type_sends_only_event_type(
    client: Calendly, api: aioresponses
) -> None:
    payload = fixture("create_share")
    api.post(f"{BASE}/shares", status=201, payload=payload)
    share = await client.shares.create(ET)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/shares")
    assert json_body(kwargs) == {"event_type": ET_URI}
    assert isinstance(share, Share)
    assert_round_trips(payload["resource"], share)


async def test_share_round_trips_seed_and_exposes_overrides(
    client: Calendly, api: aioresponses
) -> None:
    payload = fixture("create_share")
    api.post(f"{BASE}/shares", status=201, payload=payload)
    share = await client.shares.create(ET, period_type="unlimited")
    override = share.share_override
    assert override is not None
    assert (override.start_date, override.end_date) == (date(2019, 1, 2), date(2019, 1, 3))
    assert override.location_configurations is not None
    assert override.location_configurations[0].kind == "physical"
    assert override.availability_rule is not None
    interval = override.availability_rule.rules[0].intervals[0]
    assert (interval.from_, interval.to_) == ("07:00", "11:00")
    assert [link.owner for link in share.scheduling_links] == [
        f"{BASE}/event_types/AAAAAAAAAAAAAAAA"
    ]
    assert_round_trips(payload["resource"], share)


async def test_share_body_from_models(client: Calendly, api: aioresponses) -> None:
    api.post(f"{BASE}/shares", status=201, payload=fixture("create_share"))
    await client.shares.create(
        ET_URI,
        name="15 Minute Meeting",
        duration=60,
        duration_options=(30, 60),
        period_type="fixed",
        start_date=date(2019, 1, 2),
        end_date="2019-01-03",
        hide_location=True,
        location_configurations=[
            LocationConfiguration(kind="physical", location="123 Abc St.", position=0)
        ],
        availability_rule=AvailabilityRuleSet(
            timezone="America/New_York",
            rules=[
                AvailabilityRule(
                    type="wday",
                    wday="friday",
                    intervals=[AvailabilityInterval(from_="07:00", to_="11:00")],
                ),
                AvailabilityRule(type="date", date=date(2019, 1, 3)),
            ],
        ),
    )
    assert json_body(sent(api)[0][2]) == {
        "event_type": ET_URI,
        "name": "15 Minute Meeting",
        "duration": 60,
        "duration_options": [30, 60],
        "period_type": "fixed",
        "start_date": "2019-01-02",
        "end_date": "2019-01-03",
        "hide_location": True,
        # unset model fields are left out, not sent as null
        "location_configurations": [{"kind": "physical", "location": "123 Abc St.", "position": 0}],
        "availability_rule": {
            "timezone": "America/New_York",
            "rules": [
                {"type": "wday", "wday": "friday", "intervals": [{"from": "07:00", "to": "11:00"}]},
                {"type": "date", "date": "2019-01-03", "intervals": []},
            ],
        },
    }


async def test_share_body_from_plain_dicts(client: Calendly, api: aioresponses) -> None:
    api.post(f"{BASE}/shares", status=201, payload=fixture("create_share"))
    rule = {"timezone": "UTC", "rules": [{"type": "wday", "wday": "monday", "intervals": []}]}
    location = {"kind": "inbound_call", "phone_number": "+1 555 0100"}
    await client.shares.create(
        ET,
        period_type="moving",
        max_booking_time=300,
        location_configurations=[location],
        availability_rule=rule,
    )
    assert json_body(sent(api)[0][2]) == {
        "event_type": ET_URI,
        "period_type": "moving",
        "max_booking_time": 300,
        "location_configurations": [location],
        "availability_rule": rule,
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"period_type": "fixed"},
        {"period_type": "fixed", "start_date": "2019-01-02"},
        {"period_type": "fixed", "end_date": date(2019, 1, 3)},
        {"period_type": "moving"},
        {"period_type": "available_moving", "start_date": "2019-01-02", "end_date": "2019-01-03"},
        {"start_date": "2019/01/02"},
        {"start_date": "2019-02-30"},
        {"start_date": "20190102"},
        {"start_date": datetime(2019, 1, 2, tzinfo=UTC)},
        {"period_type": "fixed", "start_date": "2019-01-03", "end_date": "2019-01-02"},
    ],
)
async def test_share_refuses_bad_input_without_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInputError):
        await client.shares.create(ET, **kwargs)
    assert sent(api) == []


async def test_share_refuses_bad_event_type(client: Calendly, api: aioresponses) -> None:
    with pytest.raises(InvalidInputError):
        await client.shares.create(f"{BASE}/scheduled_events/{ET}")
    assert sent(api) == []


# --- loopback --------------------------------------------------------------------------


async def test_scheduling_link_and_share_over_loopback(serve: Serve) -> None:
    received: dict[str, Any] = {}

    async def link(request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.content_type == "application/json"
        received["link"] = await request.json()
        return web.json_response(fixture("create_single_use_scheduling_link"), status=201)

    async def share(request: web.Request) -> web.Response:
        received["share"] = await request.json()
        return web.json_response(fixture("create_share"), status=201)

    app = web.Application()
    app.router.add_post("/scheduling_links", link)
    app.router.add_post("/shares", share)
    base = await serve(app)
    async with Calendly(token=TOKEN, base_url=base) as client:
        booking = await client.scheduling_links.create(ET)
        created = await client.shares.create(
            ET, period_type="available_moving", max_booking_time=30
        )
    assert received["link"] == {
        "max_event_count": 1,
        "owner": f"{BASE}/event_types/{ET}",
        "owner_type": "EventType",
    }
    assert received["share"] == {
        "event_type": f"{BASE}/event_types/{ET}",
        "period_type": "available_moving",
        "max_booking_time": 30,
    }
    assert booking.owner_type == "EventType"
    assert created.share_override is not None
    assert created.share_override.max_booking_time == 300
