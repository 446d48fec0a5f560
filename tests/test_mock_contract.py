"""The mock server's contract, route by route, with raw aiohttp requests over loopback.

Calendly rules under test (reference §1-§4, §6, §7.2):

- every path the SDK calls is served, with 200 for reads, 201 for creations (and
  the cancellation), 204 with no body for deletions, 202 ``{}`` for data-compliance
  requests and the bare envelope for ``/sample_webhook_data``;
- every response, errors, 401s, redirects and the OAuth endpoints included, carries
  ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``;
- error bodies are ``{title, message, details?}`` for 400/401/403/404/405/409/429/5xx;
- ``count`` is 1..100 on every paginated list (1..1000 on the activity log);
- data-compliance deletions remove exactly what they name;
- failed webhook deliveries are retried with growing delays;
- the server listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import inspect
import itertools
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import msgspec
import pytest
from aiohttp import web
from conftest import Serve
from helpers import Answer, call
from multidict import CIMultiDict

import calendly_async.resources
from calendly_async.mock import Faults, MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30, hours=2)
CONTRACT_HOOK = "https://hooks.example/contract"
RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


class Sleeps:
    """The mock's sleep: records each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def clock() -> float:
    return NOW.timestamp()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def mock(sleeps: Sleeps) -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=23, start=START, clock=clock, sleep=sleeps, events=90, invitees_per_event=3
    ) as server:
        yield server


@pytest.fixture
async def http(mock: MockCalendly) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as session:
        yield session


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def assert_rate_headers(answer: Answer) -> None:
    for name in RATE_HEADERS:
        assert answer.headers[name].isdigit(), (name, answer.headers)
    assert 1 <= int(answer.headers["X-RateLimit-Reset"]) <= 60


def assert_error_body(answer: Answer) -> None:
    assert set(answer.body) <= {"title", "message", "details"}, answer.body
    assert isinstance(answer.body["title"], str)
    assert answer.body["title"]
    assert isinstance(answer.body["message"], str)
    assert answer.body["message"]
    for detail in answer.body.get("details", []):
        assert set(detail) == {"parameter", "message"}


# -- every route, its status and its envelope ------------------------------------------------


def _ids(mock: MockCalendly) -> dict[str, str]:
    store = mock.state

    def has_active_invitee(event_uuid: str) -> bool:
        return any(i.status == "active" for i in store.invitees[event_uuid].values())

    event = next(
        e for e in sorted(store.events.values(), key=lambda e: e.start_time or NOW)
        if e.status == "active" and (e.start_time or NOW) > NOW and has_active_invitee(uuid(e.uri))
    )  # fmt: skip
    member = next(m for m in store.memberships.values() if m.role == "user")
    invitation = next(i for i in store.invitations.values() if i.status == "pending")
    return {
        "org": store.organization_uuid,
        "user": store.owner_uuid,
        "member": uuid(member.uri),
        "invitation": uuid(invitation.uri),
        "event_type": next(k for k, v in store.event_types.items() if v.active),
        "schedule": next(iter(store.schedules)),
        "event": uuid(event.uri),
        "invitee": next(iter(store.invitees[uuid(event.uri)])),
        "form": next(iter(store.routing_forms)),
        "submission": next(iter(store.submissions)),
    }


def _route_cases(mock: MockCalendly, ids: dict[str, str]) -> list[tuple[Any, ...]]:
    """(method, path, params, json body, status, envelope) in an order that works."""
    org, user = mock.organization_uri, mock.owner_uri
    event_type = mock.state.uri("event_types", ids["event_type"])
    soon, later = iso(NOW + timedelta(days=1)), iso(NOW + timedelta(days=6))
    past = {"start_time": iso(START - timedelta(days=400)),
            "end_time": iso(START - timedelta(days=300))}  # fmt: skip
    hook = {"url": CONTRACT_HOOK, "events": ["invitee.created"],
            "organization": org, "scope": "organization"}  # fmt: skip
    share = {"event_type": event_type, "name": "Contract", "period_type": "fixed",
             "start_date": "2030-02-03", "end_date": "2030-02-10"}  # fmt: skip
    invitations = f"/organizations/{ids['org']}/invitations"
    event = f"/scheduled_events/{ids['event']}"
    return [
        ("GET", "/users/me", None, None, 200, "resource"),
        ("GET", f"/users/{ids['user']}", None, None, 200, "resource"),
        ("GET", f"/organizations/{ids['org']}", None, None, 200, "resource"),
        ("GET", "/organization_memberships", {"organization": org}, None, 200, "page"),
        ("GET", f"/organization_memberships/{ids['member']}", None, None, 200, "resource"),
        ("GET", invitations, None, None, 200, "page"),
        ("GET", f"{invitations}/{ids['invitation']}", None, None, 200, "resource"),
        ("POST", invitations, None, {"email": "new.hire@example.com"}, 201, "resource"),
        ("DELETE", f"{invitations}/{ids['invitation']}", None, None, 204, "empty"),
        ("DELETE", f"/organization_memberships/{ids['member']}", None, None, 204, "empty"),
        ("GET", "/event_types", {"user": user}, None, 200, "page"),
        ("GET", f"/event_types/{ids['event_type']}", None, None, 200, "resource"),
        ("GET", "/event_type_available_times",
         {"event_type": event_type, "start_time": soon, "end_time": later}, None, 200, "list"),
        ("GET", "/user_busy_times", {"user": user, "start_time": soon, "end_time": later},
         None, 200, "list"),
        ("GET", "/user_availability_schedules", {"user": user}, None, 200, "list"),
        ("GET", f"/user_availability_schedules/{ids['schedule']}", None, None, 200, "resource"),
        ("GET", "/scheduled_events", {"organization": org}, None, 200, "page"),
        ("GET", event, None, None, 200, "resource"),
        ("GET", f"{event}/invitees", None, None, 200, "page"),
        ("GET", f"{event}/invitees/{ids['invitee']}", None, None, 200, "resource"),
        ("POST", f"{event}/cancellation", None, {"reason": "contract"}, 201, "resource"),
        ("GET", "/routing_forms", {"organization": org}, None, 200, "page"),
        ("GET", f"/routing_forms/{ids['form']}", None, None, 200, "resource"),
        ("GET", "/routing_form_submissions", {"form": ids["form"]}, None, 200, "page"),
        ("GET", f"/routing_form_submissions/{ids['submission']}", None, None, 200, "resource"),
        ("POST", "/webhook_subscriptions", None, hook, 201, "resource"),
        ("GET", "/webhook_subscriptions", {"organization": org, "scope": "organization"},
         None, 200, "page"),
        ("GET", "/sample_webhook_data",
         {"event": "invitee.created", "organization": org, "scope": "organization"},
         None, 200, "envelope"),
        ("POST", "/scheduling_links", None,
         {"max_event_count": 1, "owner": event_type, "owner_type": "EventType"}, 201, "resource"),
        ("POST", "/shares", None, share, 201, "resource"),
        ("POST", "/data_compliance/deletion/invitees", None, {"emails": ["x@example.com"]},
         202, "accepted"),
        ("POST", "/data_compliance/deletion/events", None, past, 202, "accepted"),
        ("GET", "/activity_log_entries", {"organization": org}, None, 200, "page"),
    ]  # fmt: skip


def assert_envelope(answer: Answer, envelope: str) -> None:
    body = answer.body
    if envelope == "resource":
        assert set(body) == {"resource"}
        assert body["resource"]
    elif envelope == "page":
        assert set(body) >= {"collection", "pagination"}
        assert set(body["pagination"]) >= {"count", "next_page_token", "previous_page_token"}
    elif envelope == "list":
        assert set(body) == {"collection"}  # no pagination (reference §1)
    elif envelope == "envelope":
        assert set(body) == {"event", "created_at", "created_by", "payload"}
    elif envelope == "accepted":
        assert body == {}
    else:
        assert body is None


async def test_every_route_answers_with_calendly_status_envelope_and_headers(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    cases = _route_cases(mock, _ids(mock))
    remaining = []
    for method, path, params, json, status, envelope in cases:
        answer = await call(http, mock, method, path, params, json)
        assert answer.status == status, (method, path, answer.body)
        assert_envelope(answer, envelope)
        assert_rate_headers(answer)
        assert answer.headers["X-Request-Id"]
        remaining.append(int(answer.headers["X-RateLimit-Remaining"]))
    # Each API request spends one request of the per-minute budget (reference §4).
    assert remaining == list(range(499, 499 - len(cases), -1))
    hook = next(h for h in mock.state.webhooks.values() if h.callback_url == CONTRACT_HOOK)
    assert (await call(http, mock, "GET", hook.uri)).status == 200
    assert (await call(http, mock, "DELETE", hook.uri)).status == 204


_SDK_PATH = re.compile(
    r"(?:_get|_list|_send|_delete|_collection|_post_no_content|request)\(\s*"
    r'(?:"[A-Z]+",\s*)?f?"(/(?:[^"\s{]|\{[^}]*\})*)"'
    r'|(?:path = |return )f?"(/(?:[^"\s{]|\{[^}]*\})*)"'
)
"""The path a resource method sends to: a request helper's path argument or a ``path =``."""


def _segments(path: str) -> list[str | None]:
    """Path segments; ``None`` for a placeholder (``{...}``) or the ``me`` alias."""
    parts = re.sub(r"\{[^}]*\}", "{}", path).strip("/").split("/")
    return [None if part in ("{}", "me") else part for part in parts]


def _served(path: str, routes: list[str]) -> bool:
    wanted = _segments(path)
    for route in routes:
        served = _segments(route)
        if len(served) == len(wanted) and all(
            a is None or b is None or a == b for a, b in zip(wanted, served, strict=True)
        ):
            return True
    return False


def test_every_path_the_sdk_calls_has_a_mock_route() -> None:
    mock = MockCalendly(events=0)
    routes = [
        r.canonical for r in mock.app.router.resources() if not r.canonical.startswith("/oauth")
    ]
    source = Path(calendly_async.resources.__file__).parent
    paths = {
        match.group(1) or match.group(2)
        for module in sorted(source.glob("*.py"))
        for match in _SDK_PATH.finditer(module.read_text(encoding="utf-8"))
    }
    assert "/sample_webhook_data" in paths
    assert len(paths) >= 15
    missing = sorted(path for path in paths if not _served(path, routes))
    assert missing == []


# -- headers and error bodies on every kind of answer -------------------------------------------


async def test_errors_of_every_status_have_calendly_bodies_and_rate_headers(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    org = mock.organization_uri
    hook = {"url": "https://hooks.example/twice", "events": ["invitee.created"],
            "organization": org, "scope": "organization"}  # fmt: skip
    assert (await call(http, mock, "POST", "/webhook_subscriptions", json=hook)).status == 201
    async with aiohttp.ClientSession() as anonymous:
        unauthenticated = await call(anonymous, mock, "GET", "/users/me")
    stranger = {"organization": "https://x/organizations/Z"}
    cases = [
        (await call(http, mock, "GET", "/scheduled_events", {}), 400),
        (await call(http, mock, "POST", "/shares", json=[1, 2]), 400),
        (unauthenticated, 401),
        (await call(http, mock, "GET", "/scheduled_events", stranger), 403),
        (await call(http, mock, "GET", "/scheduled_events/NOPE"), 404),
        (await call(http, mock, "GET", "/no/such/path"), 404),
        (await call(http, mock, "PATCH", "/users/me"), 405),
        (await call(http, mock, "POST", "/webhook_subscriptions", json=hook), 409),
    ]  # fmt: skip
    mock.faults.rate_limit_storm = 1
    cases.append((await call(http, mock, "GET", "/users/me"), 429))
    mock.faults.error_rate = 1.0
    cases.append((await call(http, mock, "GET", "/users/me"), 500))
    for answer, status in cases:
        if status == 500:
            assert answer.status in (500, 502, 503)
        else:
            assert answer.status == status, answer.body
        assert_error_body(answer)
        assert_rate_headers(answer)
        assert answer.headers["X-Request-Id"]
    assert [d["parameter"] for d in cases[0][0].body["details"]] == ["organization"]


async def test_oauth_endpoints_and_redirects_carry_rate_headers_without_spending(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    before = await call(http, mock, "GET", "/users/me")
    spent = before.headers["X-RateLimit-Remaining"]
    authorize = await call(
        http, mock, "GET", "/oauth/authorize",
        {"client_id": mock.client_id, "redirect_uri": "http://127.0.0.1:9/cb",
         "response_type": "code", "state": "s1"},
        allow_redirects=False,
    )  # fmt: skip
    assert authorize.status == 302
    location = authorize.headers["Location"]
    assert location.startswith("http://127.0.0.1:9/cb?code=")
    code = dict(part.split("=", 1) for part in urlsplit(location).query.split("&"))["code"]
    form = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": "http://127.0.0.1:9/cb", "client_id": mock.client_id,
            "client_secret": "mock-client-secret"}  # fmt: skip
    app = {"client_id": mock.client_id}
    async with aiohttp.ClientSession() as plain:
        answers = [authorize]
        for path, data in [
            ("/oauth/token", form),
            ("/oauth/token", {"grant_type": "password"}),
            ("/oauth/introspect", {**app, "token": mock.token}),
            ("/oauth/revoke", {**app, "client_secret": "wrong", "token": "x"}),
        ]:
            answers.append(await call(plain, mock, "POST", path, data=data))
    assert [a.status for a in answers] == [302, 200, 400, 200, 401]
    for answer in answers:
        assert_rate_headers(answer)
        assert answer.headers["X-RateLimit-Remaining"] == spent
    assert answers[1].body["access_token"]
    assert answers[2].body["error"] == "unsupported_grant_type"


async def test_a_failing_handler_answers_a_calendly_500_with_headers() -> None:
    mock = MockCalendly(events=0)

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("bug in a handler")

    mock.app.router.add_get("/broken", broken)
    async with (
        mock,
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as http,
    ):
        answer = await call(http, mock, "GET", "/broken")
    assert answer.status == 500
    assert answer.body["title"] == "Internal Server Error"
    assert "bug in a handler" not in answer.body["message"]
    assert_error_body(answer)
    assert_rate_headers(answer)


async def test_required_body_fields_get_400s_naming_them(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    org = mock.organization_uri
    event_type = next(iter(mock.state.event_types.values())).uri
    hook = {"url": "https://hooks.example/req", "events": ["invitee.created"],
            "organization": org, "scope": "organization"}  # fmt: skip
    link = {"max_event_count": 1, "owner": event_type, "owner_type": "EventType"}
    begin, end = iso(START - timedelta(days=9)), iso(START - timedelta(days=2))
    invitations = f"/organizations/{mock.state.organization_uuid}/invitations"
    cases: list[tuple[str, dict[str, Any], str]] = [
        (invitations, {}, "email"),
        ("/scheduling_links", {}, "max_event_count"),
        ("/shares", {}, "event_type"),
        ("/data_compliance/deletion/invitees", {}, "emails"),
        ("/data_compliance/deletion/events", {"end_time": end}, "start_time"),
        ("/data_compliance/deletion/events", {"start_time": begin}, "end_time"),
    ]
    for path, full in (("/webhook_subscriptions", hook), ("/scheduling_links", link)):
        for field in full:
            if field != "max_event_count":
                cases.append((path, {k: v for k, v in full.items() if k != field}, field))
    for path, body, parameter in cases:
        answer = await call(http, mock, "POST", path, json=body)
        assert answer.status == 400, (path, body, answer.body)
        assert answer.body["title"] == "Invalid Argument"
        assert [d["parameter"] for d in answer.body["details"]] == [parameter], (path, body)
        assert_rate_headers(answer)
    assert mock.state.webhooks == {}
    assert mock.state.scheduling_links == []


# -- count ---------------------------------------------------------------------------------------


def _lists(mock: MockCalendly) -> list[tuple[str, dict[str, str]]]:
    ids = _ids(mock)
    org = mock.organization_uri
    return [
        ("/scheduled_events", {"organization": org}),
        (f"/scheduled_events/{ids['event']}/invitees", {}),
        ("/event_types", {"organization": org}),
        ("/organization_memberships", {"organization": org}),
        (f"/organizations/{ids['org']}/invitations", {}),
        ("/routing_forms", {"organization": org}),
        ("/routing_form_submissions", {"form": ids["form"]}),
        ("/webhook_subscriptions", {"organization": org, "scope": "organization"}),
        ("/activity_log_entries", {"organization": org}),
    ]


async def test_count_is_1_to_100_on_every_list_and_1000_on_the_activity_log(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    for path, params in _lists(mock):
        limit = 1000 if path == "/activity_log_entries" else 100
        for count in ("0", "-1", str(limit + 1), "1.5", "many"):
            answer = await call(http, mock, "GET", path, {**params, "count": count})
            assert answer.status == 400, (path, count)
            assert answer.body["details"][0]["parameter"] == "count"
            assert_rate_headers(answer)
        for count in ("1", str(limit)):
            answer = await call(http, mock, "GET", path, {**params, "count": count})
            assert answer.status == 200, (path, count, answer.body)
            assert len(answer.body["collection"]) <= int(count)
            assert answer.body["pagination"]["count"] == len(answer.body["collection"])


# -- fault injection per route ------------------------------------------------------------------

ROUTE = "GET /scheduled_events"


async def _faulted(http: aiohttp.ClientSession, mock: MockCalendly, **extra: str) -> Any:
    params = {"organization": mock.organization_uri, "count": "5", **extra}
    async with http.get(mock.url + "/scheduled_events", params=params) as response:
        return response.status, CIMultiDict(response.headers), await response.read()


async def test_route_latency_fixed_and_jittered(
    http: aiohttp.ClientSession, mock: MockCalendly, sleeps: Sleeps
) -> None:
    mock.route_faults[ROUTE] = Faults(latency_ms=400)
    await _faulted(http, mock)
    await call(http, mock, "GET", "/users/me")
    assert sleeps.delays == [0.4]
    mock.route_faults[ROUTE] = Faults(latency_ms=10, jitter_ms=30)
    for _ in range(12):
        await _faulted(http, mock)
    jittered = sleeps.delays[1:]
    assert len(jittered) == 12
    assert all(0.01 <= delay <= 0.04 for delay in jittered)
    assert len(set(jittered)) > 1


@pytest.mark.parametrize(
    ("faults", "outcome"),
    [
        (Faults(error_rate=1.0), (500, 502, 503)),
        (Faults(drop_rate=1.0), aiohttp.ServerDisconnectedError),
        (Faults(truncate_rate=1.0), aiohttp.ClientPayloadError),
        (Faults(rate_limit_storm=3), (429,)),
        (Faults(stale_page_token_rate=1.0), (400,)),
    ],
    ids=["errors", "drops", "truncation", "429-storm", "stale-tokens"],
)
async def test_each_route_fault_hits_its_route_only(
    http: aiohttp.ClientSession,
    mock: MockCalendly,
    faults: Faults,
    outcome: tuple[int, ...] | type[Exception],
) -> None:
    _, _, first = await _faulted(http, mock)
    token = msgspec.json.decode(first)["pagination"]["next_page_token"]
    mock.route_faults[ROUTE] = faults
    for _ in range(2):
        if not isinstance(outcome, tuple):
            with pytest.raises(outcome):
                await _faulted(http, mock, page_token=token)
            continue
        status, headers, body = await _faulted(http, mock, page_token=token)
        assert status in outcome
        assert all(name in headers for name in RATE_HEADERS)
        assert set(msgspec.json.decode(body)) <= {"title", "message", "details"}
        if status == 429:
            assert headers["X-RateLimit-Remaining"] == "0"
        if status == 400:
            assert msgspec.json.decode(body)["details"][0]["message"] == "page_token is invalid"
    event_uuid = next(iter(mock.state.events))
    assert (await call(http, mock, "GET", f"/scheduled_events/{event_uuid}")).status == 200
    params = {"user": mock.owner_uri, "count": "2"}
    listed = await call(http, mock, "GET", "/event_types", params)
    assert listed.status == 200
    token_of_types = listed.body["pagination"]["next_page_token"]
    again = await call(http, mock, "GET", "/event_types", {**params, "page_token": token_of_types})
    assert again.status == 200


# -- data-compliance deletions -------------------------------------------------------------------


async def test_invitee_deletion_removes_every_booking_of_those_emails_only(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    store = mock.state
    counts: dict[str, int] = {}
    for invitee in store.iter_invitees():
        counts[(invitee.email or "").lower()] = counts.get((invitee.email or "").lower(), 0) + 1
    repeated = sorted(email for email, n in counts.items() if n > 1)[:2]
    assert len(repeated) == 2
    before = store.invitee_count
    booked_events = {e for email in repeated for e in store.events_by_email[email]}
    body = {"emails": [repeated[0].upper(), repeated[1]]}
    answer = await call(http, mock, "POST", "/data_compliance/deletion/invitees", json=body)
    assert (answer.status, answer.body) == (202, {})
    assert store.invitee_count == before - counts[repeated[0]] - counts[repeated[1]]
    assert not any((i.email or "").lower() in repeated for i in store.iter_invitees())
    assert all(not store.events_by_email.get(email) for email in repeated)
    for event_uuid in booked_events:
        listed = await call(http, mock, "GET", f"/scheduled_events/{event_uuid}/invitees")
        emails = {(i["email"] or "").lower() for i in listed.body["collection"]}
        assert not emails & set(repeated)
        counter = store.events[event_uuid].invitees_counter
        assert counter is not None
        assert counter.total == len(store.invitees[event_uuid])
    searched = await call(
        http, mock, "GET", "/scheduled_events",
        {"organization": mock.organization_uri, "invitee_email": repeated[1]},
    )  # fmt: skip
    assert searched.body["collection"] == []


async def test_event_deletion_removes_the_events_of_the_range_and_their_invitees(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    store = mock.state
    begin, end = START + timedelta(days=3), START + timedelta(days=10)
    doomed = {uuid(e.uri) for e in store.events.values() if begin <= e.start_time <= end}  # type: ignore[operator]
    kept = set(store.events) - doomed
    assert doomed
    assert kept
    doomed_invitees = sum(len(store.invitees[e]) for e in doomed)
    before = store.invitee_count
    body = {"start_time": iso(begin), "end_time": iso(end)}
    answer = await call(http, mock, "POST", "/data_compliance/deletion/events", json=body)
    assert (answer.status, answer.body) == (202, {})
    assert set(store.events) == kept
    assert store.invitee_count == before - doomed_invitees
    assert not doomed & set(store.invitees)
    assert not any(doomed & events for events in store.events_by_email.values())
    gone = next(iter(doomed))
    assert (await call(http, mock, "GET", f"/scheduled_events/{gone}")).status == 404
    assert (await call(http, mock, "GET", f"/scheduled_events/{gone}/invitees")).status == 404
    listed = await call(
        http, mock, "GET", "/scheduled_events",
        {"organization": mock.organization_uri, "min_start_time": iso(begin),
         "max_start_time": iso(end), "count": "100"},
    )  # fmt: skip
    assert listed.body["collection"] == []


# -- webhook retries ----------------------------------------------------------------------------


class FlakyReceiver:
    """Answers from a script of statuses (the last one repeats)."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.bodies: list[bytes] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.bodies.append(await request.read())
        return web.Response(status=self.statuses[min(len(self.bodies), len(self.statuses)) - 1])

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        return app


async def _subscribe_and_book(mock: MockCalendly, url: str) -> None:
    hook = {"url": url, "events": ["invitee.created"], "organization": mock.organization_uri,
            "scope": "organization"}  # fmt: skip
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as http:
        assert (await call(http, mock, "POST", "/webhook_subscriptions", json=hook)).status == 201
    mock.book(next(iter(mock.state.event_types)), NOW + timedelta(days=2), "r@example.com", "R")
    await mock.deliverer.drain()


async def test_failed_deliveries_are_retried_with_growing_delays(
    mock: MockCalendly, sleeps: Sleeps, serve: Serve
) -> None:
    receiver = FlakyReceiver(500, 503, 204)
    await _subscribe_and_book(mock, await serve(receiver.app()) + "/hook")
    (record,) = mock.deliverer.records
    assert [a.status for a in record.attempts] == [500, 503, 204]
    assert record.delivered is True
    assert sleeps.delays == list(mock.deliverer.retry_delays[:2])
    assert len(set(receiver.bodies)) == 1  # the same body on every attempt


async def test_a_delivery_that_never_succeeds_backs_off_exponentially_then_stops(
    mock: MockCalendly, sleeps: Sleeps, serve: Serve
) -> None:
    receiver = FlakyReceiver(502)
    await _subscribe_and_book(mock, await serve(receiver.app()) + "/hook")
    (record,) = mock.deliverer.records
    delays = mock.deliverer.retry_delays
    assert record.delivered is False
    assert len(record.attempts) == len(delays) + 1 == len(receiver.bodies)
    assert sleeps.delays == list(delays)
    # Calendly backs off exponentially: each wait doubles the one before.
    assert all(after == 2 * before for before, after in itertools.pairwise(delays))
    assert len(delays) >= 3


# -- binding ------------------------------------------------------------------------------------


async def test_the_mock_listens_on_loopback_by_default() -> None:
    assert inspect.signature(MockCalendly).parameters["host"].default == "127.0.0.1"
    async with MockCalendly(events=0) as mock:
        parts = urlsplit(mock.url)
        assert parts.hostname == "127.0.0.1"
        assert parts.port
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{parts.port}/users/me",
                     headers={"Authorization": f"Bearer {mock.token}"}) as response,
        ):  # fmt: skip
            assert response.status == 200
