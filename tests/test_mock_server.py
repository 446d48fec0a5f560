"""The mock server on its own, over loopback with raw aiohttp requests.

Calendly rules under test: envelopes and statuses (reference §1), keyset pagination
with opaque tokens and count limits (§2), the error body (§3), rate-limit headers
and 429 (§4), required parameters, filters and sorting (§6), and state changes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from helpers import Answer, call

from calendly_async.mock import MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30, hours=12)


class Clock:
    """The mock's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = NOW.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def mock(clock: Clock) -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=11, start=START, clock=clock, events=120, invitees_per_event=3, users=6
    ) as server:
        yield server


@pytest.fixture
async def http(mock: MockCalendly) -> AsyncIterator[aiohttp.ClientSession]:
    headers = {"Authorization": f"Bearer {mock.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        yield session


async def walk(
    http: aiohttp.ClientSession, mock: MockCalendly, path: str, params: dict[str, Any]
) -> list[list[dict[str, Any]]]:
    """Every page of a list, following next_page_token."""
    pages, token = [], None
    while True:
        query = dict(params, **({"page_token": token} if token else {}))
        answer = await call(http, mock, "GET", path, query)
        assert answer.status == 200, answer.body
        pages.append(answer.body["collection"])
        token = answer.body["pagination"]["next_page_token"]
        if token is None:
            assert answer.body["pagination"]["next_page"] is None
            return pages


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def assert_invalid(answer: Answer, parameter: str) -> None:
    assert answer.status == 400, answer.body
    assert answer.body["title"] == "Invalid Argument"
    assert answer.body["message"]
    assert [d["parameter"] for d in answer.body["details"]] == [parameter]


# -- envelopes, auth, errors ----------------------------------------------------------------


async def test_resource_envelope_headers_and_followable_uris(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    answer = await call(http, mock, "GET", "/users/me")
    assert answer.status == 200
    user = answer.body["resource"]
    assert user["uri"] == mock.owner_uri
    assert user["uri"].startswith(mock.url + "/users/")
    assert answer.headers["X-RateLimit-Limit"] == "500"
    assert answer.headers["X-RateLimit-Remaining"] == "499"
    assert 1 <= int(answer.headers["X-RateLimit-Reset"]) <= 60
    assert answer.headers["X-Request-Id"]
    followed = await call(http, mock, "GET", user["current_organization"])
    assert followed.body["resource"]["uri"] == mock.organization_uri


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic abc", "Bearer "])
async def test_unauthenticated_requests_get_401(mock: MockCalendly, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{mock.url}/users/me", headers=headers) as response,
    ):
        body = await response.json()
        assert response.status == 401
        assert body == {"title": "Unauthenticated", "message": "The access token is invalid"}
        assert response.headers["X-RateLimit-Limit"] == "500"


@pytest.mark.parametrize(
    "path", ["/scheduled_events/NOPE", "/users/NOPE", "/nothing/here", "/event_types/X"]
)
async def test_not_found_has_calendly_shape(
    http: aiohttp.ClientSession, mock: MockCalendly, path: str
) -> None:
    answer = await call(http, mock, "GET", path)
    assert answer.status == 404
    assert answer.body["title"] == "Resource Not Found"
    assert answer.body["message"]


# -- pagination -----------------------------------------------------------------------------


async def test_walking_every_page_loses_and_repeats_nothing(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    pages = await walk(
        http, mock, "/scheduled_events", {"organization": mock.organization_uri, "count": 7}
    )
    seen = [event["uri"] for page in pages for event in page]
    assert [len(page) for page in pages[:-1]] == [7] * (len(pages) - 1)
    assert len(seen) == len(set(seen)) == len(mock.state.events) == 120
    starts = [event["start_time"] for page in pages for event in page]
    assert starts == sorted(starts)


async def test_next_page_url_is_followable(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    first = await call(
        http, mock, "GET", "/organization_memberships",
        {"organization": mock.organization_uri, "count": 4},
    )  # fmt: skip
    pagination = first.body["pagination"]
    assert pagination["count"] == 4
    assert pagination["next_page"].startswith(mock.url + "/organization_memberships?")
    second = await call(http, mock, "GET", pagination["next_page"])
    uris = [m["uri"] for m in first.body["collection"] + second.body["collection"]]
    assert len(set(uris)) == 6 == len(mock.state.memberships)
    assert second.body["pagination"]["next_page_token"] is None
    assert second.body["pagination"]["previous_page_token"] is not None


async def test_previous_page_token_returns_the_page_before(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    params = {"organization": mock.organization_uri, "count": 10, "sort": "start_time:desc"}
    first = await call(http, mock, "GET", "/scheduled_events", params)
    assert first.body["pagination"]["previous_page_token"] is None
    token = first.body["pagination"]["next_page_token"]
    second = await call(http, mock, "GET", "/scheduled_events", {**params, "page_token": token})
    back = second.body["pagination"]["previous_page_token"]
    again = await call(http, mock, "GET", "/scheduled_events", {**params, "page_token": back})
    assert again.body["collection"] == first.body["collection"]


async def test_page_tokens_survive_inserts_before_the_cursor(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    params = {"organization": mock.organization_uri, "count": 10}
    first = await call(http, mock, "GET", "/scheduled_events", params)
    event_type = next(iter(mock.state.event_types))
    mock.book(event_type, START - timedelta(days=5), "early@example.com", "Early Bird")
    token = first.body["pagination"]["next_page_token"]
    second = await call(http, mock, "GET", "/scheduled_events", {**params, "page_token": token})
    everything = sorted(mock.state.events.values(), key=lambda e: (e.start_time, uuid(e.uri)))
    last_seen = everything.index(mock.state.events[uuid(first.body["collection"][-1]["uri"])])
    expected = [e.uri for e in everything[last_seen + 1 : last_seen + 11]]
    assert [e["uri"] for e in second.body["collection"]] == expected


@pytest.mark.parametrize("token", ["garbage", "eyJ4IjoxfQ", "WzEsIngiLCJuIixbXV0"])
async def test_malformed_page_token_is_400(
    http: aiohttp.ClientSession, mock: MockCalendly, token: str
) -> None:
    params = {"organization": mock.organization_uri, "page_token": token}
    answer = await call(http, mock, "GET", "/scheduled_events", params)
    assert_invalid(answer, "page_token")
    assert answer.body["details"][0]["message"] == "page_token is invalid"


async def test_page_token_of_another_query_is_400(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    params = {"organization": mock.organization_uri, "count": 5}
    token = (await call(http, mock, "GET", "/scheduled_events", params)).body["pagination"][
        "next_page_token"
    ]
    other = {**params, "status": "active", "page_token": token}
    assert_invalid(await call(http, mock, "GET", "/scheduled_events", other), "page_token")


@pytest.mark.parametrize(
    ("path", "count", "ok"),
    [
        ("/scheduled_events", "0", False),
        ("/scheduled_events", "101", False),
        ("/scheduled_events", "abc", False),
        ("/scheduled_events", "100", True),
        ("/activity_log_entries", "1000", True),
        ("/activity_log_entries", "1001", False),
    ],
)
async def test_count_limits(
    http: aiohttp.ClientSession, mock: MockCalendly, path: str, count: str, ok: bool
) -> None:
    params = {"organization": mock.organization_uri, "count": count}
    answer = await call(http, mock, "GET", path, params)
    if ok:
        assert answer.status == 200
        assert len(answer.body["collection"]) == min(int(count), answer.body["pagination"]["count"])
    else:
        assert_invalid(answer, "count")


# -- required parameters ------------------------------------------------------------------


def _time(days: float) -> str:
    return (NOW + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def test_required_parameters_are_enforced(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    event_type = next(iter(mock.state.event_types.values())).uri
    user = mock.owner_uri
    cases = [
        ("/scheduled_events", {}, "organization"),
        ("/event_types", {}, "user"),
        ("/event_types", {"organization": mock.organization_uri,
                          "user_availability_schedule": "x"}, "user_availability_schedule"),
        ("/organization_memberships", {}, "organization"),
        ("/routing_forms", {}, "organization"),
        ("/routing_form_submissions", {}, "form"),
        ("/webhook_subscriptions", {"organization": mock.organization_uri}, "scope"),
        ("/webhook_subscriptions", {"scope": "organization"}, "organization"),
        ("/activity_log_entries", {}, "organization"),
        ("/user_availability_schedules", {}, "user"),
        ("/event_type_available_times", {"start_time": _time(1), "end_time": _time(2)},
         "event_type"),
        ("/event_type_available_times", {"event_type": event_type, "end_time": _time(2)},
         "start_time"),
        ("/event_type_available_times", {"event_type": event_type, "start_time": _time(1)},
         "end_time"),
        ("/event_type_available_times",
         {"event_type": event_type, "start_time": _time(1), "end_time": _time(32.5)}, "end_time"),
        ("/event_type_available_times",
         {"event_type": event_type, "start_time": _time(-1), "end_time": _time(2)}, "start_time"),
        ("/event_type_available_times",
         {"event_type": event_type, "start_time": _time(2), "end_time": _time(1)}, "end_time"),
        ("/user_busy_times", {"user": user, "start_time": _time(1), "end_time": _time(8.5)},
         "end_time"),
        ("/user_busy_times", {"user": user, "start_time": _time(1)}, "end_time"),
        ("/user_busy_times", {"user": user, "start_time": "2030-02-01T10:00:00",
                              "end_time": _time(3)}, "start_time"),
        ("/scheduled_events", {"organization": mock.organization_uri, "status": "gone"},
         "status"),
        ("/scheduled_events", {"organization": mock.organization_uri, "sort": "name:asc"},
         "sort"),
        ("/event_types", {"user": user, "active": "yes"}, "active"),
    ]  # fmt: skip
    for path, params, parameter in cases:
        assert_invalid(await call(http, mock, "GET", path, params), parameter)


async def test_ranges_at_the_limit_are_accepted(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    event_type = next(iter(mock.state.event_types.values())).uri
    slots = await call(
        http, mock, "GET", "/event_type_available_times",
        {"event_type": event_type, "start_time": _time(1), "end_time": _time(32)},
    )  # fmt: skip
    assert slots.status == 200
    assert set(slots.body) == {"collection"}
    busy = await call(
        http, mock, "GET", "/user_busy_times",
        {"user": mock.owner_uri, "start_time": _time(1), "end_time": _time(8)},
    )  # fmt: skip
    assert busy.status == 200
    assert set(busy.body) == {"collection"}


async def test_scope_checks(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    stranger = await call(http, mock, "GET", "/scheduled_events", {"user": f"{mock.url}/users/X"})
    assert stranger.status == 403
    assert stranger.body["message"] == "This user is not in your organization"
    foreign = await call(
        http,
        mock,
        "GET",
        "/scheduled_events",
        {"organization": "https://api.calendly.com/organizations/OTHER"},
    )
    assert foreign.status == 403
    assert foreign.body["title"] == "Permission Denied"


# -- filters and sorting ----------------------------------------------------------------------


async def test_scheduled_event_filters(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    store = mock.state
    org = {"organization": mock.organization_uri, "count": 100}

    async def uris(**params: Any) -> list[str]:
        pages = await walk(http, mock, "/scheduled_events", {**org, **params})
        return [event["uri"] for page in pages for event in page]

    canceled = await uris(status="canceled")
    assert canceled
    assert sorted(canceled) == sorted(
        e.uri for e in store.events.values() if e.status == "canceled"
    )
    window = await uris(min_start_time=_time(-10), max_start_time=_time(5))
    expected = [
        e.uri for e in store.events.values()
        if NOW - timedelta(days=10) <= e.start_time < NOW + timedelta(days=5)
    ]  # fmt: skip
    assert sorted(window) == sorted(expected)
    assert window
    host = list(store.users)[1]
    mine = await uris(user=store.uri("users", host))
    assert mine
    assert sorted(mine) == sorted(e.uri for e in store.events_by_host[host].values())
    assert await uris(user=store.uri("users", host), organization=mock.organization_uri) == mine
    group = next(iter(store.groups.values()))
    grouped = await uris(group=group.uri)
    assert sorted(grouped) == sorted(
        e.uri for e in store.events.values() if store.host_uuid(e) in group.members
    )
    invitee = next(iter(next(iter(store.invitees.values())).values()))
    booked = await uris(invitee_email=invitee.email.upper())
    assert sorted(booked) == sorted(
        e.uri for e in store.events.values()
        if any(i.email == invitee.email for i in store.invitees[uuid(e.uri)].values())
    )  # fmt: skip
    descending = await uris(sort="start_time:desc")
    assert sorted(descending) == sorted(await uris(sort="start_time:asc"))
    starts = [store.events[uuid(u)].start_time for u in descending]
    assert starts == sorted(starts, reverse=True)
    assert starts[0] > starts[-1]


async def test_invitee_filters_and_sort(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    event_uuid, invitees = next(
        (k, v) for k, v in mock.state.invitees.items()
        if len({i.status for i in v.values()}) == 2
    )  # fmt: skip
    path = f"/scheduled_events/{event_uuid}/invitees"
    active = (await call(http, mock, "GET", path, {"status": "active"})).body["collection"]
    assert {i["status"] for i in active} == {"active"}
    assert len(active) == sum(1 for i in invitees.values() if i.status == "active")
    target = next(iter(invitees.values()))
    by_email = (await call(http, mock, "GET", path, {"email": target.email})).body["collection"]
    assert [i["uri"] for i in by_email] == [
        i.uri for i in invitees.values() if i.email == target.email
    ]
    ascending = (await call(http, mock, "GET", path)).body["collection"]
    descending = (await call(http, mock, "GET", path, {"sort": "created_at:desc"})).body[
        "collection"
    ]
    assert [i["created_at"] for i in ascending] == sorted(i["created_at"] for i in ascending)
    assert [i["created_at"] for i in descending] == sorted(
        (i["created_at"] for i in ascending), reverse=True
    )
    one = await call(http, mock, "GET", f"{path}/{uuid(target.uri)}")
    assert one.body["resource"]["email"] == target.email


async def test_event_type_filters_and_sorting(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    store = mock.state
    org = {"organization": mock.organization_uri, "count": 100}

    async def names(**params: Any) -> list[dict[str, Any]]:
        answer = await call(http, mock, "GET", "/event_types", {**org, **params})
        assert answer.status == 200, answer.body
        return answer.body["collection"]

    every = await names()
    assert len(every) == len(store.event_types) == 18
    assert [e["name"].lower() for e in every] == sorted(e["name"].lower() for e in every)
    inactive = await names(active="false")
    assert inactive
    assert all(not e["active"] for e in inactive)
    assert len(inactive) + len(await names(active="true")) == 18
    assert all(e["admin_managed"] for e in await names(admin_managed="true"))
    by_position = await names(sort="position:desc,name:asc")
    assert [e["position"] for e in by_position] == sorted(
        (e["position"] for e in every), reverse=True
    )
    owned = await names(user=mock.owner_uri)
    assert {e["profile"]["owner"] for e in owned} == {mock.owner_uri}
    schedule = next(s for s in store.schedules.values() if s.user == mock.owner_uri)
    scheduled = await names(user=mock.owner_uri, user_availability_schedule=schedule.uri)
    assert [e["uri"] for e in scheduled] == [e["uri"] for e in owned]
    evenings = next(s for s in store.schedules.values() if s.name == "Evenings")
    assert await names(user=evenings.user, user_availability_schedule=evenings.uri) == []


async def test_membership_filters(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    org = mock.organization_uri
    owner = await call(
        http, mock, "GET", "/organization_memberships", {"organization": org, "role": "owner"}
    )
    assert [m["user"]["uri"] for m in owner.body["collection"]] == [mock.owner_uri]
    member = list(mock.state.users.values())[3]
    by_email = await call(
        http, mock, "GET", "/organization_memberships", {"organization": org, "email": member.email}
    )
    assert [m["user"]["uri"] for m in by_email.body["collection"]] == [member.uri]
    by_user = await call(http, mock, "GET", "/organization_memberships", {"user": member.uri})
    assert [m["user"]["email"] for m in by_user.body["collection"]] == [member.email]


async def test_activity_log_filters_search_and_totals(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    store = mock.state
    org = {"organization": mock.organization_uri, "count": 1000}
    log = await call(http, mock, "GET", "/activity_log_entries", org)
    entries = log.body["collection"]
    assert log.body["total_count"] == len(entries) == len(store.activity_log)
    assert log.body["exceeds_max_total_count"] is False
    assert [e["occurred_at"] for e in entries] == sorted(
        (e["occurred_at"] for e in entries), reverse=True
    )
    added = await call(
        http,
        mock,
        "GET",
        "/activity_log_entries",
        {**org, "namespace": "User", "action": "Add,Remove"},
    )
    expected = [
        e
        for e in store.activity_log.values()
        if e.namespace == "User" and e.action in ("Add", "Remove")
    ]
    assert added.body["total_count"] == len(expected) > 0
    searched = await call(
        http,
        mock,
        "GET",
        "/activity_log_entries",
        {**org, "search_term": '"user.add" | "user.remove"'},
    )
    assert sorted(e["uri"] for e in searched.body["collection"]) == sorted(e.uri for e in expected)
    excluded = await call(
        http, mock, "GET", "/activity_log_entries", {**org, "search_term": "user -add"}
    )
    assert all(e["fully_qualified_name"] != "User.Add" for e in excluded.body["collection"])
    actor = list(store.users.values())[2]
    acted = await call(http, mock, "GET", "/activity_log_entries", {**org, "actor": actor.uri})
    assert {e["actor"]["uri"] for e in acted.body["collection"]} == {actor.uri}
    by_action = await call(
        http, mock, "GET", "/activity_log_entries", {**org, "sort": "action:asc,occurred_at:desc"}
    )
    actions = [e["action"] for e in by_action.body["collection"]]
    assert actions == sorted(actions)
    too_long = await call(
        http, mock, "GET", "/activity_log_entries", {**org, "search_term": "x" * 301}
    )
    assert_invalid(too_long, "search_term")


# -- state changes ------------------------------------------------------------------------------


def _future_active_event(mock: MockCalendly) -> str:
    return next(
        uuid(e.uri) for e in sorted(mock.state.events.values(), key=lambda e: e.start_time)
        if e.status == "active" and e.start_time > NOW
    )  # fmt: skip


async def test_cancellation_marks_event_and_invitees(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    event_uuid = _future_active_event(mock)
    path = f"/scheduled_events/{event_uuid}/cancellation"
    answer = await call(http, mock, "POST", path, json={"reason": "Double booked"})
    assert answer.status == 201
    cancellation = answer.body["resource"]
    assert cancellation["reason"] == "Double booked"
    assert cancellation["canceler_type"] == "host"
    event = (await call(http, mock, "GET", f"/scheduled_events/{event_uuid}")).body["resource"]
    assert event["status"] == "canceled"
    assert event["cancellation"] == cancellation
    assert event["invitees_counter"]["active"] == 0
    invitees = (await call(http, mock, "GET", f"/scheduled_events/{event_uuid}/invitees")).body
    assert {i["status"] for i in invitees["collection"]} == {"canceled"}
    again = await call(http, mock, "POST", path, json={})
    assert again.status == 403
    assert again.body["message"] == "Event is already canceled"


async def test_cancellation_refusals(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    past = next(
        uuid(e.uri) for e in mock.state.events.values()
        if e.status == "active" and e.start_time < NOW
    )  # fmt: skip
    answer = await call(http, mock, "POST", f"/scheduled_events/{past}/cancellation", json={})
    assert answer.status == 403
    assert answer.body["message"] == "Event in the past"
    future = _future_active_event(mock)
    too_long = await call(
        http,
        mock,
        "POST",
        f"/scheduled_events/{future}/cancellation",
        json={"reason": "x" * 10_001},
    )
    assert_invalid(too_long, "reason")
    missing = await call(http, mock, "POST", "/scheduled_events/NOPE/cancellation", json={})
    assert missing.status == 404


async def test_invitation_lifecycle(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    path = f"/organizations/{uuid(mock.organization_uri)}/invitations"
    created = await call(http, mock, "POST", path, json={"email": "new.hire@acme.example"})
    assert created.status == 201
    invitation = created.body["resource"]
    assert invitation["status"] == "pending"
    assert invitation["uri"].startswith(f"{mock.url}{path}/")
    duplicate = await call(http, mock, "POST", path, json={"email": "NEW.HIRE@acme.example"})
    assert_invalid(duplicate, "email")
    member = await call(http, mock, "POST", path, json={"email": mock.state.owner.email})
    assert_invalid(member, "email")
    assert_invalid(await call(http, mock, "POST", path, json={}), "email")
    found = await call(http, mock, "GET", path, {"email": "new.hire@acme.example"})
    assert [i["uri"] for i in found.body["collection"]] == [invitation["uri"]]
    pending = await call(http, mock, "GET", path, {"status": "pending", "sort": "created_at:desc"})
    assert pending.body["collection"][0]["uri"] == invitation["uri"]
    one = await call(http, mock, "GET", invitation["uri"])
    assert one.body["resource"] == invitation
    deleted = await call(http, mock, "DELETE", invitation["uri"])
    assert deleted.status == 204
    assert deleted.body is None
    assert (await call(http, mock, "GET", invitation["uri"])).status == 404


async def test_membership_removal(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    memberships = list(mock.state.memberships.values())
    owner = await call(http, mock, "DELETE", memberships[0].uri)
    assert owner.status == 403
    assert owner.body["title"] == "Permission Denied"
    removed = await call(http, mock, "DELETE", memberships[2].uri)
    assert removed.status == 204
    assert (await call(http, mock, "GET", memberships[2].uri)).status == 404
    listed = await call(
        http, mock, "GET", "/organization_memberships", {"organization": mock.organization_uri}
    )
    assert memberships[2].uri not in [m["uri"] for m in listed.body["collection"]]
    assert (await call(http, mock, "DELETE", memberships[2].uri)).status == 404


async def test_webhook_subscription_rules(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    org = mock.organization_uri
    body = {
        "url": "https://hooks.example/a", "events": ["invitee.created", "invitee.canceled"],
        "organization": org, "scope": "organization", "signing_key": "SECRET-key",
    }  # fmt: skip
    created = await call(http, mock, "POST", "/webhook_subscriptions", json=body)
    assert created.status == 201
    subscription = created.body["resource"]
    assert subscription["state"] == "active"
    assert subscription["creator"] == mock.owner_uri
    assert "SECRET-key" not in str(created.body)
    assert mock.state.signing_keys[uuid(subscription["uri"])] == "SECRET-key"
    duplicate = await call(http, mock, "POST", "/webhook_subscriptions", json=body)
    assert duplicate.status == 409
    assert duplicate.body == {
        "title": "Already Exists",
        "message": "Hook with this url already exists",
    }
    bad = [
        ({"scope": "user"}, "user"),
        ({"scope": "user", "user": mock.owner_uri,
          "events": ["routing_form_submission.created"]}, "events"),
        ({"events": ["invitee.exploded"]}, "events"),
        ({"events": []}, "events"),
        ({"url": "not a url"}, "url"),
        ({"scope": "everyone"}, "scope"),
    ]  # fmt: skip
    for change, parameter in bad:
        answer = await call(
            http, mock, "POST", "/webhook_subscriptions",
            json={**body, "url": "https://hooks.example/b", **change},
        )  # fmt: skip
        assert_invalid(answer, parameter)
    user_body = {**body, "url": "https://hooks.example/u", "scope": "user", "user": mock.owner_uri}
    assert (await call(http, mock, "POST", "/webhook_subscriptions", json=user_body)).status == 201
    org_list = await call(
        http, mock, "GET", "/webhook_subscriptions", {"organization": org, "scope": "organization"}
    )
    assert [s["callback_url"] for s in org_list.body["collection"]] == ["https://hooks.example/a"]
    user_list = await call(
        http, mock, "GET", "/webhook_subscriptions",
        {"organization": org, "scope": "user", "user": mock.owner_uri},
    )  # fmt: skip
    assert [s["callback_url"] for s in user_list.body["collection"]] == ["https://hooks.example/u"]
    assert (await call(http, mock, "DELETE", subscription["uri"])).status == 204
    assert (await call(http, mock, "GET", subscription["uri"])).status == 404
    assert uuid(subscription["uri"]) not in mock.state.signing_keys


async def test_scheduling_links_and_shares(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    event_type = next(iter(mock.state.event_types.values())).uri
    link_body = {"max_event_count": 1, "owner": event_type, "owner_type": "EventType"}
    link = await call(http, mock, "POST", "/scheduling_links", json=link_body)
    assert link.status == 201
    assert link.body["resource"]["owner"] == event_type
    assert link.body["resource"]["booking_url"].startswith(mock.url)
    string_count = await call(
        http, mock, "POST", "/scheduling_links", json={**link_body, "max_event_count": "1"}
    )
    assert string_count.status == 201
    assert len(mock.state.scheduling_links) == 2
    assert_invalid(
        await call(
            http, mock, "POST", "/scheduling_links", json={**link_body, "max_event_count": 2}
        ),
        "max_event_count",
    )
    assert_invalid(
        await call(
            http, mock, "POST", "/scheduling_links", json={**link_body, "owner_type": "User"}
        ),
        "owner_type",
    )
    unknown = await call(http, mock, "POST", "/scheduling_links", json={**link_body, "owner": "X"})
    assert unknown.status == 404
    share_body = {
        "event_type": event_type, "name": "Partners", "duration": 45, "period_type": "fixed",
        "start_date": "2030-02-01", "end_date": "2030-02-14",
        "location_configurations": [{"kind": "physical", "location": "HQ"}],
    }  # fmt: skip
    share = await call(http, mock, "POST", "/shares", json=share_body)
    assert share.status == 201
    override = share.body["resource"]["share_override"]
    assert (override["name"], override["duration"], override["end_date"]) == (
        "Partners", 45, "2030-02-14",
    )  # fmt: skip
    assert share.body["resource"]["scheduling_links"][0]["owner"] == event_type
    assert len(mock.state.shares) == 1
    bad = [
        ({"start_date": None}, "start_date"),
        ({"period_type": "moving"}, "max_booking_time"),
        ({"location_configurations": [{"kind": "inbound_call"}]}, "location_configurations"),
        ({"name": "x" * 56}, "name"),
        ({"duration": 721}, "duration"),
        ({"duration_options": [15, 15]}, "duration_options"),
        ({"end_date": "2030-01-01"}, "end_date"),
        ({"start_date": "2030-02-31"}, "start_date"),
    ]
    for change, parameter in bad:
        assert_invalid(
            await call(http, mock, "POST", "/shares", json={**share_body, **change}), parameter
        )


async def test_data_compliance_deletions(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    store = mock.state
    email = next(iter(next(iter(store.invitees.values())).values())).email
    before = store.invitee_count
    booked = sum(1 for i in store.iter_invitees() if i.email == email)
    answer = await call(
        http, mock, "POST", "/data_compliance/deletion/invitees", json={"emails": [email]}
    )
    assert (answer.status, answer.body) == (202, {})
    assert all(i.email != email for i in store.iter_invitees())
    assert store.invitee_count == before - booked
    searched = await call(
        http, mock, "GET", "/scheduled_events",
        {"organization": mock.organization_uri, "invitee_email": email},
    )  # fmt: skip
    assert searched.body["collection"] == []
    begin, end = START + timedelta(days=2), START + timedelta(days=9)
    doomed = [e for e in store.events.values() if begin <= e.start_time <= end]
    assert doomed
    body = {"start_time": begin.isoformat(), "end_time": end.isoformat()}
    answer = await call(http, mock, "POST", "/data_compliance/deletion/events", json=body)
    assert (answer.status, answer.body) == (202, {})
    assert all(not begin <= e.start_time <= end for e in store.events.values())
    gone = await call(http, mock, "GET", f"/scheduled_events/{uuid(doomed[0].uri)}")
    assert gone.status == 404
    future = {"start_time": _time(1), "end_time": _time(2)}
    assert_invalid(
        await call(http, mock, "POST", "/data_compliance/deletion/events", json=future), "end_time"
    )
    long_ago = {"start_time": "2026-01-01T00:00:00Z", "end_time": "2028-06-01T00:00:00Z"}
    assert_invalid(
        await call(http, mock, "POST", "/data_compliance/deletion/events", json=long_ago),
        "end_time",
    )
    assert_invalid(
        await call(
            http, mock, "POST", "/data_compliance/deletion/invitees", json={"emails": ["x"]}
        ),
        "emails",
    )


# -- availability -----------------------------------------------------------------------------


async def test_available_times_respect_schedule_and_bookings(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    store = mock.state
    event_type = next(e for e in store.event_types.values() if e.active)
    host = uuid(event_type.profile.owner)
    params = {"event_type": event_type.uri, "start_time": _time(0), "end_time": _time(20)}
    answer = await call(http, mock, "GET", "/event_type_available_times", params)
    slots = answer.body["collection"]
    assert slots
    assert set(answer.body) == {"collection"}
    starts = [datetime.fromisoformat(s["start_time"]) for s in slots]
    assert starts == sorted(starts)
    assert all(NOW <= s < NOW + timedelta(days=20) for s in starts)
    length = timedelta(minutes=event_type.duration)
    busy = [
        (e.start_time, e.end_time) for e in store.events_by_host[host].values()
        if e.status == "active"
    ] + [(b.start_time, b.end_time) for b in store.external_busy[host]]  # fmt: skip
    assert not any(b0 < s + length and b1 > s for s in starts for b0, b1 in busy)
    schedule = store.schedules[uuid(store.event_type_schedule[uuid(event_type.uri)])]
    zone = ZoneInfo(schedule.timezone)
    hours = next(r.intervals[0] for r in schedule.rules if r.wday == "monday")
    for start in starts:
        local = start.astimezone(zone)
        assert local.weekday() < 5, local
        assert hours.from_ <= local.strftime("%H:%M") <= hours.to_, local
        assert (local + length).strftime("%H:%M") <= hours.to_, local
    day_off = next(r.date for r in schedule.rules if r.type == "date")
    assert NOW.date() <= day_off < (NOW + timedelta(days=20)).date()
    assert all(s.astimezone(zone).date() != day_off for s in starts)
    assert all(s["scheduling_url"].startswith(event_type.scheduling_url) for s in slots)


async def test_busy_times_list_bookings_and_external_events(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    store = mock.state
    host = next(h for h, events in store.events_by_host.items() if events)
    external = next(b for b in store.external_busy[host] if b.start_time > NOW)
    begin = external.start_time - timedelta(hours=1)
    end = begin + timedelta(days=7)
    params = {"user": store.uri("users", host), "start_time": begin.isoformat(),
              "end_time": end.isoformat()}  # fmt: skip
    busy = (await call(http, mock, "GET", "/user_busy_times", params)).body["collection"]
    starts = [b["start_time"] for b in busy]
    assert starts == sorted(starts)
    calendly = sorted(b["event"]["uri"] for b in busy if b["type"] == "calendly")
    expected = sorted(
        e.uri for e in store.events_by_host[host].values()
        if e.status == "active" and e.start_time < end and e.end_time > begin
    )  # fmt: skip
    assert calendly
    assert calendly == expected
    assert external.start_time.strftime("%Y-%m-%dT%H:%M:%SZ") in [
        b["start_time"] for b in busy if b["type"] == "external"
    ]


# -- rate limit -----------------------------------------------------------------------------


async def test_rate_limit_budget_and_reset(
    http: aiohttp.ClientSession, mock: MockCalendly, clock: Clock
) -> None:
    mock.rate_limit = 3
    remaining = []
    for _ in range(3):
        answer = await call(http, mock, "GET", "/users/me")
        assert answer.status == 200
        remaining.append(answer.headers["X-RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]
    clock.now += 20
    spent = await call(http, mock, "GET", "/users/me")
    assert spent.status == 429
    assert spent.body["title"] == "Too Many Requests"
    assert spent.body["message"]
    assert spent.headers["X-RateLimit-Remaining"] == "0"
    assert spent.headers["X-RateLimit-Reset"] == "40"
    clock.now += 40
    fresh = await call(http, mock, "GET", "/users/me")
    assert fresh.status == 200
    assert fresh.headers["X-RateLimit-Remaining"] == "2"
    assert fresh.headers["X-RateLimit-Limit"] == "3"
