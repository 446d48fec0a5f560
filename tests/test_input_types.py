"""Wrong argument types and values are ``InvalidInputError`` before anything is sent.

Issue 7 ("Hardening"): every public call is driven with ill-typed arguments (an int
where a string belongs, bytes, a str where a list belongs, a typo in an enum-like
value, times that overflow once converted to UTC). Each must raise
``InvalidInputError`` and send nothing: checked once with ``aioresponses`` (no URL
registered, so any request would be recorded) and once over real loopback HTTP
against a server that counts requests.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import TOKEN, page_body

from calendly_async import Calendly, InvalidInputError, RetryPolicy
from calendly_async._params import format_time, split_window

ORG = "ORG1"
USER = "USER1"
ET = "ET1"
EV = "EV1"
FORM = "FORM1"
HOOK = "https://example.com/hook"
START = "2030-01-01T09:00:00Z"
END = "2030-01-02T09:00:00Z"
DAYS = {"type": "days_in_future", "days": 10, "only_weekdays": True}

Case = Callable[[Calendly], Any]


def _booking(**overrides: Any) -> Case:
    kwargs: dict[str, Any] = {"email": "ada@example.com", "timezone": "UTC", "name": "Ada"}
    kwargs.update(overrides)
    return lambda c: c.invitees.create(ET, START, **kwargs)


def _webhook(**overrides: Any) -> Case:
    kwargs: dict[str, Any] = {
        "url": HOOK,
        "events": ["invitee.created"],
        "organization": ORG,
        "scope": "organization",
    }
    kwargs.update(overrides)
    return lambda c: c.webhooks.create(**kwargs)


def _share(**overrides: Any) -> Case:
    return lambda c: c.shares.create(ET, **overrides)


CASES: dict[str, Case] = {
    # scheduled events and invitees
    "cancel reason int": lambda c: c.scheduled_events.cancel(EV, reason=123),
    "cancel reason bytes": lambda c: c.scheduled_events.cancel(EV, reason=b"bytes"),
    "cancel reason too long": lambda c: c.scheduled_events.cancel(EV, reason="x" * 10_001),
    "cancel uuid int": lambda c: c.scheduled_events.cancel(123),
    "get event uuid int": lambda c: c.scheduled_events.get(123),
    "events status typo": lambda c: c.scheduled_events.list(organization=ORG, status="cancelled"),
    "events sort typo": lambda c: c.scheduled_events.list(organization=ORG, sort="start_time"),
    "events invitee_email int": lambda c: c.scheduled_events.list(user=USER, invitee_email=5),
    "events min_start_time int": lambda c: c.scheduled_events.list(user=USER, min_start_time=5),
    "events count str": lambda c: c.scheduled_events.list(user=USER, count="5"),
    "events page_token int": lambda c: c.scheduled_events.list(user=USER, page_token=5),
    "invitees status int": lambda c: c.invitees.list(EV, status=1),
    "invitees sort typo": lambda c: c.invitees.list(EV, sort="created_at"),
    "invitees email int": lambda c: c.invitees.list(EV, email=5),
    "book email int": _booking(email=5),
    "book email bytes": _booking(email=b"ada@example.com"),
    "book name int": _booking(name=5),
    "book reminder number int": _booking(text_reminder_number=5),
    "book tracking str": _booking(tracking="utm"),
    "book guests str": _booking(event_guests="bob@example.com"),
    "book guest int": _booking(event_guests=[5]),
    "book location str": _booking(location="zoom"),
    "book answers of str": _booking(questions_and_answers=["q"]),
    "book start_time int": lambda c: c.invitees.create(
        ET, 5, email="a@b.c", timezone="UTC", name="A"
    ),
    "no-show invitee int": lambda c: c.invitee_no_shows.create(123),
    # event types
    "event types active str": lambda c: c.event_types.list(user=USER, active="yes"),
    "event types admin_managed int": lambda c: c.event_types.list(user=USER, admin_managed=1),
    "event types sort typo": lambda c: c.event_types.list(user=USER, sort="name"),
    "event types user blank": lambda c: c.event_types.list(user=""),
    "event types sort list with int": lambda c: c.event_types.list(user=USER, sort=["name:asc", 5]),
    "event type create name int": lambda c: c.event_types.create(USER, 5),
    "event type create locale typo": lambda c: c.event_types.create(USER, "Call", locale="xx"),
    "event type create active str": lambda c: c.event_types.create(USER, "Call", active="true"),
    "event type create duration str": lambda c: c.event_types.create(USER, "Call", duration="30"),
    "event type update description int": lambda c: c.event_types.update(ET, description=5),
    "event type update locale int": lambda c: c.event_types.update(ET, locale=5),
    "availability setting typo": lambda c: c.event_types.update_availability_schedule(
        ET, timezone="UTC", availability_setting="all"
    ),
    "availability timezone int": lambda c: c.event_types.update_availability_schedule(
        ET, timezone=5
    ),
    "one-off co_hosts of int": lambda c: c.event_types.create_one_off(
        "Chat", USER, 30, DAYS, co_hosts=[5]
    ),
    "one-off duration str": lambda c: c.event_types.create_one_off("Chat", USER, "30", DAYS),
    "one-off date_setting str": lambda c: c.event_types.create_one_off("Chat", USER, 30, "soon"),
    "available times event type int": lambda c: c.event_types.available_times(5, START, END),
    "hosts count bool": lambda c: c.event_types.hosts(ET, count=True),
    # organizations, groups, locations
    "invite email int": lambda c: c.organization_invitations.create(ORG, 123),
    "invite email not an address": lambda c: c.organization_invitations.create(ORG, "nobody"),
    "invitations status typo": lambda c: c.organization_invitations.list(ORG, status="open"),
    "invitations sort typo": lambda c: c.organization_invitations.list(ORG, sort="created_at"),
    "invitations email int": lambda c: c.organization_invitations.list(ORG, email=5),
    "memberships role typo": lambda c: c.organization_memberships.list(
        organization=ORG, role="member"
    ),
    "memberships email int": lambda c: c.organization_memberships.list(user=USER, email=5),
    "memberships organization blank": lambda c: c.organization_memberships.list(organization=""),
    "group relationships group int": lambda c: c.group_relationships.list(group=5),
    "organization uuid int": lambda c: c.organizations.get(5),
    "groups organization int": lambda c: c.groups.list(5),
    "group relationships owner int": lambda c: c.group_relationships.list(owner=5),
    "locations user int": lambda c: c.locations.list(5),
    "users get int": lambda c: c.users.get(123),
    "schedules user int": lambda c: c.availability_schedules.list(5),
    "busy times user int": lambda c: c.busy_times.list(5, START, END),
    # routing forms, activity log, outgoing communications, data compliance
    "routing forms sort typo": lambda c: c.routing_forms.list(ORG, sort="name:asc"),
    "submissions sort int": lambda c: c.routing_form_submissions.list(FORM, sort=5),
    "activity search_term int": lambda c: c.activity_log.list(ORG, search_term=5),
    "activity sort typo": lambda c: c.activity_log.list(ORG, sort="occurred_at"),
    "activity sort list typo": lambda c: c.activity_log.list(ORG, sort=["occurred_at:up"]),
    "activity actor int": lambda c: c.activity_log.list(ORG, actor=5),
    "activity action list of int": lambda c: c.activity_log.list(ORG, action=[5]),
    "activity count over 1000": lambda c: c.activity_log.list(ORG, count=1001),
    "outgoing min_created_at int": lambda c: c.outgoing_communications.list(
        ORG, min_created_at=5
    ),
    "delete invitee data int": lambda c: c.data_compliance.delete_invitee_data(123),
    "delete invitee data list of int": lambda c: c.data_compliance.delete_invitee_data([123]),
    "delete invitee data bytes": lambda c: c.data_compliance.delete_invitee_data(b"a@b.c"),
    "delete invitee data not an address": lambda c: c.data_compliance.delete_invitee_data("x"),
    "delete event data start int": lambda c: c.data_compliance.delete_scheduled_event_data(
        5, END
    ),
    # webhooks
    "webhook signing_key int": _webhook(signing_key=123),
    "webhook signing_key blank": _webhook(signing_key="  "),
    "webhook events typo": _webhook(events=["invitee.exploded"]),
    "webhook events int": _webhook(events=5),
    "webhook events empty": _webhook(events=[]),
    "webhook scope typo": _webhook(scope="everyone"),
    "webhook url int": _webhook(url=5),
    "webhook user int": _webhook(scope="user", user=5),
    "webhook ensure signing_key int": lambda c: c.webhooks.ensure(
        HOOK, "invitee.created", ORG, "organization", signing_key=5
    ),
    "webhook list scope typo": lambda c: c.webhooks.list(ORG, "everyone"),
    "webhook list sort typo": lambda c: c.webhooks.list(ORG, "organization", sort="created"),
    "webhook sample event typo": lambda c: c.webhooks.sample("invitee.exploded", ORG, "user"),
    "webhook sample event int": lambda c: c.webhooks.sample(5, ORG, "organization"),
    "webhook delete_matching url int": lambda c: c.webhooks.delete_matching(
        ORG, "organization", callback_url=5
    ),
    # scheduling links and shares
    "link max_event_count str": lambda c: c.scheduling_links.create(ET, max_event_count="x"),
    "link owner_type typo": lambda c: c.scheduling_links.create(ET, owner_type="User"),
    "share name int": _share(name=5),
    "share duration str": _share(duration="30"),
    "share duration_options str": _share(duration_options="30"),
    "share period_type typo": _share(period_type="weekly"),
    "share max_booking_time str": _share(period_type="moving", max_booking_time="5"),
    "share hide_location str": _share(hide_location="no"),
    "share locations str": _share(location_configurations="zoom"),
    "share availability_rule str": _share(availability_rule="always"),
    # pagination
    "collect limit str": lambda c: c.groups.list(ORG).collect(limit="5"),
    "collect limit float": lambda c: c.groups.list(ORG).collect(limit=1.5),
    "collect limit negative": lambda c: c.groups.list(ORG).collect(limit=-1),
    # the raw request
    "request method int": lambda c: c.request(123, "/users/me"),
    "request method with CRLF": lambda c: c.request("GET\r\nX-Evil: 1", "/users/me"),
    "request method with space": lambda c: c.request("GE T", "/users/me"),
    "request method empty": lambda c: c.request("", "/users/me"),
    "request path int": lambda c: c.request("GET", 123),
    "request path empty": lambda c: c.request("GET", ""),
    "request header value int": lambda c: c.request("GET", "/users/me", headers={"X-A": 1}),
    "request header name int": lambda c: c.request("GET", "/users/me", headers={1: "a"}),
    "request header value CRLF": lambda c: c.request(
        "GET", "/users/me", headers={"X-A": "a\r\nX-B: b"}
    ),
    "request headers not a mapping": lambda c: c.request("GET", "/users/me", headers="X-A: 1"),
    "request retry int": lambda c: c.request("GET", "/users/me", retry=3),
    "request data int": lambda c: c.request("POST", "/x", data=5),
    "request files list": lambda c: c.request("POST", "/x", files=["a.txt"]),
    "request timeout str": lambda c: c.request("GET", "/users/me", timeout="5"),
    "request response_type typo": lambda c: c.request("GET", "/users/me", response_type="xml"),
    "request param object": lambda c: c.request("GET", "/users/me", params={"a": object()}),
}

# Year 1 / year 9999 with the largest offsets: valid datetimes that overflow in UTC.
EXTREMES: dict[str, datetime | str] = {
    "year 1 +23:59": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))),
    "year 9999 -23:59": datetime(
        9999, 12, 31, 23, 59, tzinfo=timezone(-timedelta(hours=23, minutes=59))
    ),
    "iso year 1 +23:59": "0001-01-01T00:00:00+23:59",
    "iso year 9999 -23:59": "9999-12-31T23:59:00-23:59",
}

TIME_CALLS: dict[str, Callable[[Calendly, Any], Any]] = {
    "events min_start_time": lambda c, t: c.scheduled_events.list(user=USER, min_start_time=t),
    "events max_start_time": lambda c, t: c.scheduled_events.list(user=USER, max_start_time=t),
    "busy times start": lambda c, t: c.busy_times.list(USER, t, END),
    "busy times end": lambda c, t: c.busy_times.list(USER, START, t),
    "available times start": lambda c, t: c.event_types.available_times(ET, t, END),
    "book start_time": lambda c, t: c.invitees.create(
        ET, t, email="a@b.c", timezone="UTC", name="A"
    ),
    "one-off spot": lambda c, t: c.event_types.create_one_off(
        "Chat", USER, 30, {"type": "spots", "spots": [{"start_time": t, "end_time": END}]}
    ),
    "delete event data": lambda c, t: c.data_compliance.delete_scheduled_event_data(t, END),
    "activity min_occurred_at": lambda c, t: c.activity_log.list(ORG, min_occurred_at=t),
    "outgoing max_created_at": lambda c, t: c.outgoing_communications.list(
        ORG, max_created_at=t
    ),
}


async def _run(client: Calendly, case: Case) -> None:
    result = case(client)
    if inspect.isawaitable(result):
        await result


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_ill_typed_argument_is_refused_before_sending(
    client: Calendly, api: aioresponses, case: Case
) -> None:
    with pytest.raises(InvalidInputError):
        await _run(client, case)
    assert sent(api) == []


@pytest.mark.parametrize("value", EXTREMES.values(), ids=EXTREMES.keys())
@pytest.mark.parametrize("call", TIME_CALLS.values(), ids=TIME_CALLS.keys())
async def test_time_overflowing_in_utc_is_refused_before_sending(
    client: Calendly, api: aioresponses, call: Callable[[Calendly, Any], Any], value: Any
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await _run(client, lambda c: call(c, value))
    assert "outside the years 1-9999" in str(caught.value)
    assert sent(api) == []


@pytest.mark.parametrize("value", [v for v in EXTREMES.values() if isinstance(v, datetime)])
async def test_raw_request_datetime_param_overflowing_in_utc_is_refused(
    client: Calendly, api: aioresponses, value: datetime
) -> None:
    # A string param is sent verbatim; a datetime is converted to UTC, so it is checked.
    with pytest.raises(InvalidInputError):
        await client.request("GET", "/x", params={"min_start_time": value})
    assert sent(api) == []


async def test_every_case_sends_nothing_over_loopback(serve: Serve) -> None:
    hits: list[str] = []

    async def count(request: web.Request) -> web.StreamResponse:
        hits.append(f"{request.method} {request.path}")
        return web.json_response({})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", count)
    base = await serve(app)
    refused = 0
    async with Calendly(token=TOKEN, base_url=base, retry=RetryPolicy(max_retries=0)) as client:
        for case in CASES.values():
            with pytest.raises(InvalidInputError):
                await _run(client, case)
            refused += 1
        for call in TIME_CALLS.values():
            for value in EXTREMES.values():
                with pytest.raises(InvalidInputError):
                    await _run(client, lambda c, call=call, value=value: call(c, value))
                refused += 1
        assert await client.request("GET", "/users/me") == {}  # the server does answer
    assert refused == len(CASES) + len(TIME_CALLS) * len(EXTREMES)
    assert hits == ["GET /users/me"]


CLIENT_OPTIONS: dict[str, dict[str, Any]] = {
    "max_connections str": {"max_connections": "5"},
    "max_connections zero": {"max_connections": 0},
    "max_connections bool": {"max_connections": True},
    "max_response_bytes str": {"max_response_bytes": "1024"},
    "max_response_bytes zero": {"max_response_bytes": 0},
    "header value int": {"headers": {"X-Team": 7}},
    "header value bytes": {"headers": {"X-Team": b"core"}},
    "header name int": {"headers": {7: "core"}},
    "header value CRLF": {"headers": {"X-Team": "core\r\nX-Evil: 1"}},
    "headers not a mapping": {"headers": [("X-Team", "core")]},
    "retry int": {"retry": 3},
    "session str": {"session": "session"},
    "sleep not callable": {"sleep": 0},
}


@pytest.mark.parametrize("options", CLIENT_OPTIONS.values(), ids=CLIENT_OPTIONS.keys())
def test_ill_typed_client_option_is_refused_at_construction(options: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        Calendly(token=TOKEN, **options)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("token", [123, b"tok", "", "   "])
def test_ill_typed_token_is_refused_without_quoting_it(token: Any) -> None:
    with pytest.raises(InvalidInputError) as caught:
        Calendly(token=token)
    assert "tok" not in str(caught.value).replace("token", "")


def test_oauth_must_be_an_oauth2() -> None:
    with pytest.raises(InvalidInputError):
        Calendly(oauth="refresh-token")


def test_year_one_in_utc_is_formatted_with_four_digits() -> None:
    # strftime("%Y") wrote "1-01-01T...", which Calendly cannot parse.
    assert format_time(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00.000000Z"
    assert format_time("9999-12-31T23:59:59.999999Z") == "9999-12-31T23:59:59.999999Z"


def test_windows_ending_in_year_9999_do_not_overflow() -> None:
    start = datetime(9999, 12, 1, tzinfo=UTC)
    end = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    windows = split_window(start, end, timedelta(days=7))
    assert windows[0][0] == start
    assert windows[-1][1] == end
    assert all(a[1] == b[0] for a, b in pairwise(windows))
    assert len(windows) == 5


async def test_valid_enum_values_are_sent_as_given(client: Calendly, api: aioresponses) -> None:
    api.get(re.compile(r".*/event_types\?.*"), payload=page_body([]))
    api.get(re.compile(r".*/scheduled_events\?.*"), payload=page_body([]))
    sorted_by = ["name:asc", "position:desc"]
    assert await client.event_types.list(user=USER, sort=sorted_by, active=False).collect() == []
    events = client.scheduled_events.list(user=USER, status="canceled", sort="start_time:desc")
    assert await events.collect() == []
    queries = [kwargs["params"] for _, _, kwargs in sent(api)]
    assert queries[0]["sort"] == "name:asc,position:desc"
    assert queries[0]["active"] == "false"
    assert (queries[1]["status"], queries[1]["sort"]) == ("canceled", "start_time:desc")
