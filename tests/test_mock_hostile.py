"""The mock as a server others develop against: hostile input is a 400, never a 500.

Over loopback with raw aiohttp requests. Rules under test:

- every route that takes a JSON body answers Calendly's 400 ``Invalid Argument``
  (reference §3) to JSON nested absurdly deep, naming the ``body`` (never a
  ``RecursionError`` answered as 500);
- ``/oauth/token``, ``/oauth/revoke`` and ``/oauth/introspect`` answer RFC 6749
  ``400 invalid_request`` to a form that is not UTF-8 (reference §3, OAuth host);
- times and dates at the edges of the calendar (year 1 / 9999, with offsets of
  almost a day) in query filters and bodies are a 400 naming the parameter;
- ``count`` is ASCII digits only (``int()`` would take ``"+5"``, ``" 5"``, ``"1_0"``
  and full-width digits);
- ``/oauth/authorize`` never redirects to a ``redirect_uri`` that is not an absolute
  http(s) URL;
- a group event type's slot advertises as many ``invitees_remaining`` as bookings
  succeed, all in one scheduled event, and then disappears (reference §8, §6.6).
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from helpers import Answer, call

from calendly_async.mock import MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30, hours=2)
DEPTHS = (100_000, 500)
EXTREME_TIMES = (
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z",
)
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def clock() -> float:
    return NOW.timestamp()


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    # invitees_per_event=1: one-on-one event types, so PATCH /event_types/{uuid} reads its body.
    async with MockCalendly(
        seed=31, start=START, clock=clock, events=40, invitees_per_event=1, users=3
    ) as server:
        yield server


@pytest.fixture
async def http(mock: MockCalendly) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as session:
        yield session


def assert_invalid(answer: Answer, parameter: str) -> None:
    """Calendly's 400 body naming ``parameter``."""
    assert answer.status == 400, answer.body
    assert answer.body["title"] == "Invalid Argument"
    assert answer.body["message"]
    assert [d["parameter"] for d in answer.body["details"]] == [parameter], answer.body


# -- A.1 deeply nested JSON on every route that takes a body ----------------------------------


def _deep(shape: str, depth: int) -> bytes:
    if shape == "array":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


def _json_routes(mock: MockCalendly) -> list[tuple[str, str, dict[str, str]]]:
    """(method, concrete path, required query) for every POST/PATCH route of the mock's
    route tables (OAuth aside: it takes forms). A new parameterised route fails here
    until it is given an id."""
    store = mock.state
    future = next(
        e for e in store.events.values()
        if e.status == "active" and (e.start_time or NOW) > NOW + timedelta(days=1)
    )  # fmt: skip
    solo = next(k for k, v in store.event_types.items() if v.kind == "solo" and v.active)
    static_list = next(k for k, v in store.crm.contact_lists.items() if v.type == "static_list")
    ids = {
        "/organizations/{org_uuid}/invitations": {"org_uuid": store.organization_uuid},
        "/event_types/{uuid}": {"uuid": solo},
        "/scheduled_events/{uuid}/cancellation": {"uuid": uuid(future.uri)},
        "/contacts/{uuid}": {"uuid": next(iter(store.crm.contacts))},
        "/meeting_recaps/{uuid}": {"uuid": next(iter(store.crm.recaps))},
        "/contact_lists/{uuid}": {"uuid": static_list},
        "/contact_lists/{uuid}/memberships": {"uuid": static_list},
        "/contact_lists/{uuid}/memberships/removal": {"uuid": static_list},
    }
    queries = {"/event_type_availability_schedules": {"event_type": store.uri("event_types", solo)}}
    routes = []
    for route in mock.app.router.routes():
        canonical = route.resource.canonical if route.resource else ""
        if route.method in ("POST", "PATCH") and not canonical.startswith("/oauth/"):
            path = canonical.format(**ids[canonical]) if "{" in canonical else canonical
            routes.append((route.method, path, queries.get(canonical, {})))
    return routes


async def test_the_table_sees_every_json_route(mock: MockCalendly) -> None:
    """Guards the table-driven test below against reading an empty or partial table."""
    routes = {(method, path) for method, path, _ in _json_routes(mock)}
    assert len(routes) == 22, routes  # 13 + 9 of contacts, lists, notes and recaps
    assert ("PATCH", "/event_type_availability_schedules") in routes
    assert ("POST", "/invitees") in routes
    assert any(m == "PATCH" and p.startswith("/event_types/") for m, p in routes)
    assert any(m == "POST" and p.endswith("/cancellation") for m, p in routes)


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("shape", ["array", "object"])
async def test_deeply_nested_json_is_a_400_on_every_json_route(
    http: aiohttp.ClientSession, mock: MockCalendly, shape: str, depth: int
) -> None:
    body = _deep(shape, depth)
    for method, path, query in _json_routes(mock):
        answer = await call(http, mock, method, path, query, data=body, headers=JSON)
        assert answer.status == 400, (method, path, answer.status, answer.body)
        assert_invalid(answer, "body")
    # The server is still fine afterwards.
    assert (await call(http, mock, "GET", "/users/me")).status == 200


@pytest.mark.parametrize("co_hosts", [7, 1.5, True, {"a": 1}, "user", [1], [["x"]]])
async def test_a_wrongly_typed_co_hosts_is_a_400(
    http: aiohttp.ClientSession, mock: MockCalendly, co_hosts: Any
) -> None:
    spot = {"start_time": iso(NOW + timedelta(days=1)), "end_time": iso(NOW + timedelta(days=2))}
    body = {
        "name": "Edge", "host": mock.owner_uri, "duration": 30, "co_hosts": co_hosts,
        "date_setting": {"type": "spots", "spots": [spot]},
    }  # fmt: skip
    answer = await call(http, mock, "POST", "/one_off_event_types", json=body)
    assert_invalid(answer, "co_hosts")


# -- A.1 non-UTF-8 forms on the OAuth endpoints ----------------------------------------------


@pytest.mark.parametrize("path", ["/oauth/token", "/oauth/revoke", "/oauth/introspect"])
@pytest.mark.parametrize(
    "form",
    [
        b"grant_type=refresh_token&refresh_token=\xff\xfe&token=\xff\xfe",
        b"grant_type=refresh_token&refresh_token=%FF%FE&token=%FF%FE",
        b"grant_type=authorization_code&code=\xc3&token=\xc3",
    ],
)
async def test_non_utf8_forms_are_invalid_request(
    mock: MockCalendly, path: str, form: bytes
) -> None:
    basic = base64.b64encode(b"mock-client-id:mock-client-secret").decode()
    headers = {**FORM, "Authorization": f"Basic {basic}"}
    async with aiohttp.ClientSession() as http:
        answer = await call(http, mock, "POST", path, data=form, headers=headers)
    assert answer.status == 400, answer.body
    assert answer.body["error"] == "invalid_request"
    assert "UTF-8" in answer.body["error_description"]


# -- A.1 times at the edges of the calendar ---------------------------------------------------


def _time_queries(mock: MockCalendly) -> list[tuple[str, dict[str, str], str]]:
    """(path, valid params, the time parameter under test)."""
    store = mock.state
    org, user = mock.organization_uri, mock.owner_uri
    event_type = next(v.uri for v in store.event_types.values() if v.active)
    soon, later = iso(NOW + timedelta(days=1)), iso(NOW + timedelta(days=3))
    window = {"start_time": soon, "end_time": later}
    return [
        ("/scheduled_events", {"organization": org}, "min_start_time"),
        ("/scheduled_events", {"organization": org}, "max_start_time"),
        ("/event_type_available_times", {"event_type": event_type, **window}, "start_time"),
        ("/event_type_available_times", {"event_type": event_type, **window}, "end_time"),
        ("/user_busy_times", {"user": user, **window}, "start_time"),
        ("/user_busy_times", {"user": user, **window}, "end_time"),
        ("/activity_log_entries", {"organization": org}, "min_occurred_at"),
        ("/activity_log_entries", {"organization": org}, "max_occurred_at"),
        ("/outgoing_communications", {"organization": org}, "min_created_at"),
        ("/outgoing_communications", {"organization": org}, "max_created_at"),
    ]


@pytest.mark.parametrize("moment", EXTREME_TIMES)
async def test_extreme_times_in_query_filters_are_a_400(
    http: aiohttp.ClientSession, mock: MockCalendly, moment: str
) -> None:
    for path, params, name in _time_queries(mock):
        answer = await call(http, mock, "GET", path, {**params, name: moment})
        assert_invalid(answer, name)
    # The same filters with ordinary times still work.
    for path, params, _ in _time_queries(mock):
        assert (await call(http, mock, "GET", path, params)).status == 200, path


def _time_bodies(mock: MockCalendly, moment: str) -> list[tuple[str, dict[str, Any], str]]:
    """(path, a body with ``moment`` in one time field, the parameter named in the 400)."""
    store = mock.state
    event_type = next(v.uri for v in store.event_types.values() if v.active)
    past = iso(START - timedelta(days=300))
    person = {"email": "pat@example.com", "timezone": "UTC", "name": "Pat"}
    one_off = {"name": "Edge", "host": mock.owner_uri, "duration": 30}
    spot = {"start_time": iso(NOW + timedelta(days=1)), "end_time": iso(NOW + timedelta(days=2))}
    day = moment[:10]
    return [
        ("/invitees", {"event_type": event_type, "start_time": moment, "invitee": person},
         "start_time"),
        ("/data_compliance/deletion/events", {"start_time": moment, "end_time": past},
         "start_time"),
        ("/data_compliance/deletion/events", {"start_time": past, "end_time": moment},
         "end_time"),
        ("/one_off_event_types",
         {**one_off, "date_setting": {"type": "spots", "spots": [{**spot, "start_time": moment}]}},
         "date_setting"),
        ("/one_off_event_types",
         {**one_off, "date_setting": {"type": "spots", "spots": [{**spot, "end_time": moment}]}},
         "date_setting"),
        ("/one_off_event_types",
         {**one_off, "date_setting": {"type": "date_range", "start_date": day,
                                      "end_date": "2030-03-01"}},
         "date_setting"),
        ("/one_off_event_types",
         {**one_off, "date_setting": {"type": "date_range", "start_date": "2030-02-01",
                                      "end_date": day}},
         "date_setting"),
    ]  # fmt: skip


@pytest.mark.parametrize("moment", EXTREME_TIMES)
async def test_extreme_times_in_bodies_are_a_400(
    http: aiohttp.ClientSession, mock: MockCalendly, moment: str
) -> None:
    for path, body, name in _time_bodies(mock, moment):
        answer = await call(http, mock, "POST", path, json=body)
        assert answer.status == 400, (path, body, answer.status, answer.body)
        assert_invalid(answer, name)


# -- A.2 count is ASCII digits ----------------------------------------------------------------


@pytest.mark.parametrize(
    "count", ["\uff11\uff12", "\u0663", "+5", "-5", " 5", "5 ", "1_0", "0x5", "1e1", "5.0", "",
              "9" * 5000]
)  # fmt: skip
async def test_count_must_be_ascii_digits(
    http: aiohttp.ClientSession, mock: MockCalendly, count: str
) -> None:
    org = mock.organization_uri
    for path in ("/scheduled_events", "/activity_log_entries", "/organization_memberships"):
        answer = await call(http, mock, "GET", path, {"organization": org, "count": count})
        assert_invalid(answer, "count")


async def test_count_in_ascii_digits_still_works(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    org = mock.organization_uri
    answer = await call(http, mock, "GET", "/scheduled_events", {"organization": org, "count": "7"})
    assert answer.status == 200
    assert len(answer.body["collection"]) == 7
    answer = await call(
        http, mock, "GET", "/activity_log_entries", {"organization": org, "count": "1000"}
    )
    assert answer.status == 200
    answer = await call(
        http, mock, "GET", "/activity_log_entries", {"organization": org, "count": "1001"}
    )
    assert_invalid(answer, "count")


# -- A.3 /oauth/authorize redirects only to http(s) -------------------------------------------


async def _authorize(mock: MockCalendly, redirect_uri: str) -> Answer:
    query = {"client_id": "mock-client-id", "response_type": "code", "redirect_uri": redirect_uri}
    async with aiohttp.ClientSession() as http:
        return await call(http, mock, "GET", "/oauth/authorize", query, allow_redirects=False)


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "javascript:alert(1)",
        "JavaScript://example.com/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.com/callback",
        "vbscript:msgbox",
        "http:no-host",
        "//evil.example/callback",
    ],
)
async def test_authorize_refuses_redirect_uris_that_are_not_http(
    mock: MockCalendly, redirect_uri: str
) -> None:
    answer = await _authorize(mock, redirect_uri)
    assert answer.status == 400, answer.headers
    assert "Location" not in answer.headers
    assert answer.body["error"] == "invalid_request"
    assert "redirect_uri" in answer.body["error_description"]


@pytest.mark.parametrize("redirect_uri", ["http://127.0.0.1:8765/cb", "HTTPS://app.example/cb"])
async def test_authorize_still_redirects_to_http_uris(
    mock: MockCalendly, redirect_uri: str
) -> None:
    answer = await _authorize(mock, redirect_uri)
    assert answer.status == 302
    # (aiohttp writes the scheme in lower case.)
    assert answer.headers["Location"].startswith(f"{redirect_uri.lower()}?code=")


# -- A.4 group slots: invitees_remaining is what booking allows -------------------------------

SEATS = 3
ANSWERS = [{"question": "Company Name", "answer": "Acme", "position": 0}]


@pytest.fixture
async def group_mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=5, start=START, clock=clock, events=30, invitees_per_event=SEATS, users=2
    ) as server:
        yield server


async def _slots(
    http: aiohttp.ClientSession, mock: MockCalendly, event_type: str
) -> dict[str, int]:
    params = {
        "event_type": event_type,
        "start_time": iso(NOW + timedelta(hours=1)),
        "end_time": iso(NOW + timedelta(days=7)),
    }
    answer = await call(http, mock, "GET", "/event_type_available_times", params)
    assert answer.status == 200, answer.body
    return {s["start_time"]: s["invitees_remaining"] for s in answer.body["collection"]}


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_group_slot_takes_exactly_the_invitees_it_advertises(
    group_mock: MockCalendly,
) -> None:
    mock = group_mock
    event_type = next(
        v for v in mock.state.event_types.values()
        if v.active and v.kind == "group" and v.locations and v.locations[0].kind == "physical"
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {mock.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        before = await _slots(http, mock, event_type.uri)
        slot, advertised = next((s, n) for s, n in before.items() if n == SEATS)
        booked: list[dict[str, Any]] = []
        statuses = []
        for n in range(advertised + 2):
            remaining = (await _slots(http, mock, event_type.uri)).get(slot)
            assert remaining == (advertised - n if n < advertised else None), (n, remaining)
            body = {
                "event_type": event_type.uri,
                "start_time": slot,
                "invitee": {"email": f"guest{n}@example.com", "timezone": "UTC", "name": f"G{n}"},
                "questions_and_answers": ANSWERS,
            }
            answer = await call(http, mock, "POST", "/invitees", json=body)
            statuses.append(answer.status)
            if answer.status == 201:
                booked.append(answer.body["resource"])
        assert statuses == [201] * advertised + [404, 404]
        assert len(booked) == advertised
        # One scheduled event holds every invitee, and its counter says it is full.
        (event_uri,) = {invitee["event"] for invitee in booked}
        event = (await call(http, mock, "GET", f"/scheduled_events/{uuid(event_uri)}")).body
        assert _instant(event["resource"]["start_time"]) == _instant(slot)
        assert event["resource"]["invitees_counter"] == {
            "total": SEATS, "active": SEATS, "limit": SEATS
        }  # fmt: skip
        listed = await call(http, mock, "GET", f"/scheduled_events/{uuid(event_uri)}/invitees")
        assert sorted(i["email"] for i in listed.body["collection"]) == [
            f"guest{n}@example.com" for n in range(SEATS)
        ]
        # The full slot is gone; the other slots are untouched.
        after = await _slots(http, mock, event_type.uri)
        assert slot not in after
        assert {s: n for s, n in before.items() if s != slot} == after


async def test_group_slot_counts_seats_booked_by_the_helper(group_mock: MockCalendly) -> None:
    mock = group_mock
    event_type = next(v for v in mock.state.event_types.values() if v.active and v.kind == "group")
    headers = {"Authorization": f"Bearer {mock.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        slot = next(s for s, n in (await _slots(http, mock, event_type.uri)).items() if n == SEATS)
        first, _ = mock.book(event_type.uri, _instant(slot), "a@example.com", "A")
        second, _ = mock.book(event_type.uri, _instant(slot), "b@example.com", "B")
        assert first.uri == second.uri
        assert (await _slots(http, mock, event_type.uri))[slot] == SEATS - 2
