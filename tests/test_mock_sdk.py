"""Every SDK operation against the mock server over real loopback HTTP.

The mock enforces Calendly's rules (31-day available-times windows, 7-day busy-times
windows, count limits, 403s on canceled or past events...), so these tests show the
SDK and the server agree: the SDK splits long ranges, pages through lists, retries
GETs through injected faults and runs OAuth (reference §2, §4, §5.1, §6).
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from helpers import FakeTime

from calendly_async import (
    BadRequestError,
    Calendly,
    ConflictError,
    NotFoundError,
    OAuth2,
    PermissionDeniedError,
    RetryPolicy,
    Token,
)
from calendly_async.mock import Faults, MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30, hours=6)
CLIENT_ID = "sdk-client"
CLIENT_SECRET = "sdk_CLIENT_SECRET"
REDIRECT = "http://127.0.0.1:9/cb"


@pytest.fixture
def mock_clock(fake_time: FakeTime) -> Any:
    """The mock's unix clock moves with the SDK's fake sleeps."""
    origin = fake_time.now
    return lambda: NOW.timestamp() + (fake_time.now - origin)


@pytest.fixture
async def mock(mock_clock: Any) -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=21, start=START, clock=mock_clock, events=150, invitees_per_event=2,
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
    ) as server:  # fmt: skip
        yield server


@pytest.fixture
async def sdk(mock: MockCalendly, fake_time: FakeTime) -> AsyncIterator[Calendly]:
    async with Calendly(
        token=mock.token, base_url=mock.url, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        yield client


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def future_event(mock: MockCalendly) -> str:
    return next(
        e.uri for e in sorted(mock.state.events.values(), key=lambda e: e.start_time)
        if e.status == "active" and e.start_time > NOW
    )  # fmt: skip


# -- users, organization, memberships, invitations ------------------------------------------


async def test_users_and_organization(sdk: Calendly, mock: MockCalendly) -> None:
    me = await sdk.users.me()
    assert me.uri == mock.owner_uri
    assert me.current_organization == mock.organization_uri
    assert await sdk.users.get(uuid(me.uri)) == me
    organization = await sdk.organizations.get(mock.organization_uri)
    assert organization.uri == mock.organization_uri
    assert organization.plan == "enterprise"


async def test_memberships(sdk: Calendly, mock: MockCalendly) -> None:
    memberships = await sdk.organization_memberships.list(
        organization=mock.organization_uri, count=2
    ).collect()
    assert [m.role for m in memberships] == ["owner", "admin", "user", "user", "user"]
    member = memberships[3]
    assert member.user is not None
    mine = await sdk.organization_memberships.list(user=member.user.uri).collect()
    assert mine == [member]
    by_email = await sdk.organization_memberships.list(
        organization=mock.organization_uri, email=member.user.email
    ).collect()
    assert by_email == [member]
    assert await sdk.organization_memberships.get(member.uri) == member
    await sdk.organization_memberships.delete(member.uri)
    with pytest.raises(NotFoundError):
        await sdk.organization_memberships.get(member.uri)
    with pytest.raises(PermissionDeniedError):
        await sdk.organization_memberships.delete(memberships[0].uri)


async def test_invitations(sdk: Calendly, mock: MockCalendly) -> None:
    org = mock.organization_uri
    invitation = await sdk.organization_invitations.create(org, "recruit@acme.example")
    assert invitation.status == "pending"
    assert await sdk.organization_invitations.get(org, invitation.uri) == invitation
    found = await sdk.organization_invitations.list(org, email="recruit@acme.example").collect()
    assert found == [invitation]
    newest = await sdk.organization_invitations.list(
        org, status="pending", sort="created_at:desc"
    ).collect()
    assert newest[0] == invitation
    with pytest.raises(BadRequestError):
        await sdk.organization_invitations.create(org, "recruit@acme.example")
    await sdk.organization_invitations.revoke(org, uuid(invitation.uri))
    with pytest.raises(NotFoundError):
        await sdk.organization_invitations.get(org, invitation.uri)


# -- event types, availability -------------------------------------------------------------


async def test_event_types(sdk: Calendly, mock: MockCalendly) -> None:
    pages = [
        page
        async for page in sdk.event_types.list(organization=mock.organization_uri, count=4).pages()
    ]
    every = [event_type for page in pages for event_type in page]
    assert len(pages) == 4
    assert len({e.uri for e in every}) == len(mock.state.event_types) == 15
    owned = await sdk.event_types.list(user=mock.owner_uri, active=True).collect()
    assert owned
    assert all(e.active and e.profile and e.profile.owner == mock.owner_uri for e in owned)
    managed = await sdk.event_types.list(
        organization=mock.organization_uri, admin_managed=True, sort="name:desc"
    ).collect()
    assert managed
    assert all(e.admin_managed for e in managed)
    assert [e.name for e in managed] == sorted((e.name or "" for e in managed), reverse=True)
    schedules = await sdk.availability_schedules.list(mock.owner_uri)
    by_schedule = await sdk.event_types.list(
        user=mock.owner_uri, user_availability_schedule=schedules[0].uri
    ).collect()
    assert len(by_schedule) == 3
    assert await sdk.event_types.get(every[0].uri) == every[0]


async def test_available_times_span_more_than_31_days(sdk: Calendly, mock: MockCalendly) -> None:
    event_type = next(
        e for e in await sdk.event_types.list(user=mock.owner_uri).collect() if e.active
    )
    begin, end = NOW + timedelta(hours=1), NOW + timedelta(days=45)
    slots = await sdk.event_types.available_times(event_type.uri, begin, end)
    times = [s.start_time for s in slots]
    assert times == sorted(set(times))
    assert any(t > begin + timedelta(days=31) for t in times)
    # The mock enforces the 31-day rule the SDK splits around...
    params = {"event_type": event_type.uri, "start_time": begin, "end_time": end}
    with pytest.raises(BadRequestError):
        await sdk.request("GET", "/event_type_available_times", params=params)
    # ...and the split loses nothing at the boundary.
    middle = begin + timedelta(days=31)
    first = await sdk.request(
        "GET", "/event_type_available_times", params={**params, "end_time": middle}
    )
    second = await sdk.request(
        "GET", "/event_type_available_times", params={**params, "start_time": middle}
    )
    direct = {s["start_time"] for s in first["collection"] + second["collection"]}
    assert {t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in times} == direct


async def test_busy_times_span_more_than_7_days(sdk: Calendly, mock: MockCalendly) -> None:
    user = mock.owner_uri
    begin, end = NOW + timedelta(minutes=5), NOW + timedelta(days=20)
    busy = await sdk.busy_times.list(user, begin, end)
    starts = [b.start_time for b in busy]
    assert starts == sorted(starts)
    expected = {
        e.uri for e in mock.state.events_by_host[uuid(user)].values()
        if e.status == "active" and e.start_time < end and e.end_time > begin
    }  # fmt: skip
    assert {b.event.uri for b in busy if b.event} == expected
    assert any(b.type == "external" for b in busy)
    with pytest.raises(BadRequestError):
        await sdk.request(
            "GET", "/user_busy_times",
            params={"user": user, "start_time": begin, "end_time": begin + timedelta(days=8)},
        )  # fmt: skip


async def test_availability_schedules(sdk: Calendly, mock: MockCalendly) -> None:
    admin = list(mock.state.users.values())[1]
    schedules = await sdk.availability_schedules.list(admin.uri)
    assert [s.name for s in schedules] == ["Working Hours", "Evenings"]
    assert schedules[0].default is True
    assert await sdk.availability_schedules.get(schedules[1].uri) == schedules[1]


# -- scheduled events, invitees --------------------------------------------------------------


async def test_scheduled_events_list_filters_get_and_cancel(
    sdk: Calendly, mock: MockCalendly
) -> None:
    store = mock.state
    window = await sdk.scheduled_events.list(
        organization=mock.organization_uri, status="active", min_start_time=NOW,
        max_start_time=NOW + timedelta(days=20), sort="start_time:desc", count=9,
    ).collect()  # fmt: skip
    expected = {
        e.uri for e in store.events.values()
        if e.status == "active" and NOW <= e.start_time < NOW + timedelta(days=20)
    }  # fmt: skip
    assert {e.uri for e in window} == expected
    assert [e.start_time for e in window] == sorted((e.start_time for e in window), reverse=True)
    host = list(store.users)[2]
    own = await sdk.scheduled_events.list(user=store.uri("users", host)).collect()
    assert {e.uri for e in own} == {e.uri for e in store.events_by_host[host].values()}
    group = next(iter(store.groups.values()))
    grouped = await sdk.scheduled_events.list(group=group.uri, count=100).collect()
    assert all(store.host_uuid(e) in group.members for e in grouped)
    invitee = next(store.iter_invitees())
    booked = await sdk.scheduled_events.list(
        organization=mock.organization_uri, invitee_email=invitee.email
    ).collect()
    assert invitee.event in {e.uri for e in booked}
    target = future_event(mock)
    event = await sdk.scheduled_events.get(target)
    assert event.status == "active"
    cancellation = await sdk.scheduled_events.cancel(target, reason="Out sick")
    assert cancellation.reason == "Out sick"
    assert cancellation.canceler_type == "host"
    assert (await sdk.scheduled_events.get(uuid(target))).status == "canceled"
    with pytest.raises(PermissionDeniedError, match="already canceled"):
        await sdk.scheduled_events.cancel(target)
    past = next(e.uri for e in store.events.values() if e.status == "active" and e.start_time < NOW)
    with pytest.raises(PermissionDeniedError, match="in the past"):
        await sdk.scheduled_events.cancel(past)


async def test_invitees(sdk: Calendly, mock: MockCalendly) -> None:
    event_uuid, invitees = next((k, v) for k, v in mock.state.invitees.items() if len(v) == 2)
    listed = await sdk.invitees.list(event_uuid, sort="created_at:desc").collect()
    assert [i.uri for i in listed] == [
        i.uri for i in sorted(invitees.values(), key=lambda i: i.created_at, reverse=True)
    ]
    first = listed[-1]
    assert await sdk.invitees.list(event_uuid, email=first.email).collect() == [
        i for i in listed if i.email == first.email
    ]
    active = await sdk.invitees.list(event_uuid, status="active").collect()
    assert all(i.status == "active" for i in active)
    fetched = await sdk.invitees.get(event_uuid, first.uri)
    assert fetched == first
    assert fetched.questions_and_answers
    assert fetched.tracking is not None


# -- routing forms, webhooks, links, shares, compliance, activity log ---------------------


async def test_routing_forms_and_submissions(sdk: Calendly, mock: MockCalendly) -> None:
    forms = await sdk.routing_forms.list(mock.organization_uri, sort="created_at:desc").collect()
    assert len(forms) == 3
    assert [f.created_at for f in forms] == sorted((f.created_at for f in forms), reverse=True)
    published = next(f for f in forms if f.status == "published")
    assert await sdk.routing_forms.get(published.uri) == published
    submissions = await sdk.routing_form_submissions.list(published.uri, count=3).collect()
    expected = [s for s in mock.state.submissions.values() if s.routing_form == published.uri]
    assert len(submissions) == len(expected) > 3
    assert await sdk.routing_form_submissions.get(submissions[0].uri) == submissions[0]


async def test_webhook_subscriptions(sdk: Calendly, mock: MockCalendly) -> None:
    org = mock.organization_uri
    hook = await sdk.webhooks.create(
        "https://hooks.example/one", ["invitee.created"], org, "organization", signing_key="key-1"
    )
    assert hook.state == "active"
    assert await sdk.webhooks.get(hook.uri) == hook
    with pytest.raises(ConflictError):
        await sdk.webhooks.create(
            "https://hooks.example/one", "invitee.canceled", org, "organization"
        )
    other = await sdk.webhooks.create(
        "https://hooks.example/two", "invitee.canceled", org, "user", user=mock.owner_uri
    )
    assert await sdk.webhooks.list(org, "organization").collect() == [hook]
    assert await sdk.webhooks.list(org, "user", user=mock.owner_uri).collect() == [other]
    ensured = await sdk.webhooks.ensure(
        "https://hooks.example/one", ["invitee.created"], org, "organization"
    )
    assert ensured.uri == hook.uri
    deleted = await sdk.webhooks.delete_matching(
        org, "organization", callback_url="https://hooks.example/one"
    )
    assert [d.uri for d in deleted] == [hook.uri]
    with pytest.raises(NotFoundError):
        await sdk.webhooks.get(hook.uri)
    await sdk.webhooks.delete(other.uri)
    assert mock.state.webhooks == {}


async def test_scheduling_links_and_shares(sdk: Calendly, mock: MockCalendly) -> None:
    event_type = next(iter(mock.state.event_types.values()))
    link = await sdk.scheduling_links.create(event_type.uri)
    assert link.owner == event_type.uri
    assert link.owner_type == "EventType"
    share = await sdk.shares.create(
        uuid(event_type.uri), name="VIP", duration=20, period_type="moving", max_booking_time=30,
        location_configurations=[{"kind": "inbound_call", "phone_number": "+1 555 0100"}],
    )  # fmt: skip
    assert share.share_override is not None
    assert share.share_override.max_booking_time == 30
    assert share.scheduling_links[0].owner == event_type.uri
    assert len(mock.state.scheduling_links) == 1
    assert len(mock.state.shares) == 1


async def test_data_compliance(sdk: Calendly, mock: MockCalendly) -> None:
    store = mock.state
    email = next(store.iter_invitees()).email
    await sdk.data_compliance.delete_invitee_data([email])
    assert all(i.email != email for i in store.iter_invitees())
    begin, end = START, START + timedelta(days=3)
    assert any(begin <= e.start_time <= end for e in store.events.values())
    await sdk.data_compliance.delete_scheduled_event_data(begin, end)
    assert not any(begin <= e.start_time <= end for e in store.events.values())


async def test_activity_log(sdk: Calendly, mock: MockCalendly) -> None:
    org = mock.organization_uri
    page = await anext(sdk.activity_log.list(org, count=1000).pages())
    assert page.total_count == len(page.items) == len(mock.state.activity_log)
    logins = await sdk.activity_log.list(
        org, namespace="Login", action=["Success"], sort="occurred_at:asc", count=5
    ).collect()
    assert logins
    assert all(e.fully_qualified_name == "Login.Success" for e in logins)
    assert [e.occurred_at for e in logins] == sorted(e.occurred_at for e in logins)
    searched = await sdk.activity_log.list(org, search_term="login.success").collect()
    assert {e.uri for e in searched} == {e.uri for e in logins}


# -- faults, retries, rate limits ----------------------------------------------------------


async def test_retries_survive_server_errors_on_gets(
    mock: MockCalendly, fake_time: FakeTime
) -> None:
    mock.faults = Faults(error_rate=0.4)
    async with Calendly(
        token=mock.token, base_url=mock.url, sleep=fake_time.sleep, clock=fake_time.clock,
        retry=RetryPolicy(max_retries=10),
    ) as client:  # fmt: skip
        events = await client.scheduled_events.list(
            organization=mock.organization_uri, count=10
        ).collect()
        me = await client.users.me()
    assert len({e.uri for e in events}) == len(mock.state.events) == 150
    assert me.uri == mock.owner_uri
    assert fake_time.sleeps


async def test_retries_survive_dropped_and_truncated_answers(
    mock: MockCalendly, fake_time: FakeTime
) -> None:
    mock.faults = Faults(drop_rate=0.25, truncate_rate=0.25)
    async with Calendly(
        token=mock.token, base_url=mock.url, sleep=fake_time.sleep, clock=fake_time.clock,
        retry=RetryPolicy(max_retries=12),
    ) as client:  # fmt: skip
        events = await client.scheduled_events.list(
            organization=mock.organization_uri, count=25
        ).collect()
        invitees = await client.invitees.list(events[0].uri).collect()
    assert len({e.uri for e in events}) == 150
    assert len(invitees) == len(mock.state.invitees[uuid(events[0].uri)])
    assert fake_time.sleeps


async def test_rate_limit_storm_and_budget(
    sdk: Calendly, mock: MockCalendly, fake_time: FakeTime
) -> None:
    mock.faults.rate_limit_storm = 2
    assert (await sdk.users.me()).uri == mock.owner_uri
    assert mock.faults.rate_limit_storm == 0
    assert len(fake_time.sleeps) >= 2
    assert all(1 <= s <= 60 for s in fake_time.sleeps)
    mock.rate_limit = 4
    for _ in range(10):
        await sdk.users.me()
    assert sdk.rate_limit is not None
    assert sdk.rate_limit.limit == 4


async def test_stale_page_token_is_a_bad_request(sdk: Calendly, mock: MockCalendly) -> None:
    mock.faults.stale_page_token_rate = 1.0
    with pytest.raises(BadRequestError, match="page_token"):
        await sdk.scheduled_events.list(organization=mock.organization_uri, count=5).collect()


# -- OAuth --------------------------------------------------------------------------------


async def authorize(oauth: OAuth2) -> tuple[str, str]:
    url, verifier = oauth.authorization_url(state="st8", scope="users:read")
    async with aiohttp.ClientSession() as http, http.get(url, allow_redirects=False) as response:
        query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["state"] == ["st8"]
    return query["code"][0], verifier


async def test_oauth2_code_exchange_refresh_revoke(
    mock: MockCalendly, mock_clock: Any, fake_time: FakeTime
) -> None:
    saved: list[Token] = []

    async def on_token(token: Token) -> None:
        saved.append(token)

    oauth = OAuth2(
        CLIENT_ID, CLIENT_SECRET, REDIRECT, auth_base_url=mock.url, on_token=on_token,
        clock=mock_clock,
    )  # fmt: skip
    code, verifier = await authorize(oauth)
    token = await oauth.exchange_code(code, code_verifier=verifier)
    assert token.owner == mock.owner_uri
    assert token.expires_in == 7200
    async with Calendly(
        oauth=oauth, base_url=mock.url, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        assert (await client.users.me()).uri == mock.owner_uri
        fake_time.now += 7200  # the access token expires by the mock's clock too
        assert (await client.users.me()).uri == mock.owner_uri
        assert oauth.refresh_count == 1
        assert oauth.token is not None
        assert oauth.token.refresh_token != token.refresh_token
        assert (await oauth.introspect()).active is True
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{mock.url}/oauth/token",
                data={"grant_type": "refresh_token", "refresh_token": token.refresh_token},
                headers={"Authorization": f"Basic {basic}"},
            ) as reused,
        ):
            assert reused.status == 400
            assert (await reused.json())["error"] == "invalid_grant"
        refreshed = oauth.token
        await oauth.revoke()
        assert oauth.token is None
        assert (await oauth.introspect(refreshed.access_token)).active is False
    assert saved == [token, refreshed]
    await oauth.aclose()
