"""``GET /sample_webhook_data`` on the mock server: raw over loopback, then through the SDK.

Calendly rules (reference §6.9, §7.1, §7.2): ``event``, ``organization`` and
``scope`` are required (``user`` for scope user, ``group`` for scope group); the
answer is the bare envelope ``{event, created_at, created_by, payload}``;
``invitee.*`` payloads are the Invitee plus the embedded ``scheduled_event``;
``routing_form_submission.created`` is organization-only and ``meeting_recap.*``
user-only. The mock builds each payload from its own data, within the scope.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from helpers import assert_round_trips

from calendly_async import (
    BadRequestError,
    Calendly,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from calendly_async.mock import MockCalendly
from calendly_async.models import EventType, Invitee, RoutingFormSubmission, ScheduledEvent
from calendly_async.webhooks import InviteePayload, WebhookEvent

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30, hours=3)
ENVELOPE_KEYS = {"event", "created_at", "created_by", "payload"}


def clock() -> float:
    return NOW.timestamp()


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=17, start=START, clock=clock, events=80, invitees_per_event=3, users=5
    ) as server:
        yield server


@pytest.fixture
async def http(mock: MockCalendly) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as session:
        yield session


@pytest.fixture
async def sdk(mock: MockCalendly) -> AsyncIterator[Calendly]:
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        yield client


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


async def sample(
    http: aiohttp.ClientSession, mock: MockCalendly, **params: str
) -> tuple[int, Any, Any]:
    query = {"organization": mock.organization_uri, "scope": "organization", **params}
    query = {key: value for key, value in query.items() if value != ""}
    async with http.get(f"{mock.url}/sample_webhook_data", params=query) as response:
        return response.status, response.headers, await response.json()


def newest(
    mock: MockCalendly, keep: Callable[[ScheduledEvent, Invitee], bool]
) -> tuple[ScheduledEvent, Invitee]:
    """The most recently created stored invitee ``keep`` accepts, with its event."""
    store = mock.state
    pairs = [
        (event, invitee)
        for event_uuid, invitees in store.invitees.items()
        for invitee in invitees.values()
        if keep(event := store.events[event_uuid], invitee)
    ]
    assert pairs, "the seeded mock lacks the case under test"
    return max(pairs, key=lambda pair: (pair[1].created_at, pair[1].uri))


def host_of(payload: dict[str, Any]) -> str:
    return uuid(payload["scheduled_event"]["event_memberships"][0]["user"])


# -- the raw endpoint --------------------------------------------------------------------------


async def test_invitee_created_is_the_bare_envelope_of_the_newest_active_invitee(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    status, headers, body = await sample(http, mock, event="invitee.created")
    assert status == 200
    assert set(body) == ENVELOPE_KEYS
    assert body["event"] == "invitee.created"
    assert body["created_by"] == mock.owner_uri
    assert datetime.fromisoformat(body["created_at"]) == NOW
    assert headers["X-RateLimit-Limit"] == "500"
    event, invitee = newest(mock, lambda _, i: i.status == "active")
    payload = body["payload"]
    assert payload["uri"] == invitee.uri
    assert payload["email"] == invitee.email
    assert payload["status"] == "active"
    assert payload["scheduled_event"]["uri"] == event.uri == payload["event"]
    assert_round_trips(payload["scheduled_event"], event)


async def test_user_and_group_scopes_sample_their_own_hosts(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    store = mock.state
    user_uuid = next(u for u in store.users if u != store.owner_uuid and store.events_by_host[u])
    _, _, by_user = await sample(
        http, mock, event="invitee.created", scope="user", user=store.uri("users", user_uuid)
    )
    assert host_of(by_user["payload"]) == user_uuid
    expected = newest(mock, lambda e, i: store.host_uuid(e) == user_uuid and i.status == "active")
    assert by_user["payload"]["uri"] == expected[1].uri
    group = next(g for g in store.groups.values() if user_uuid not in g.members and g.members)
    in_group = {"scope": "group", "group": group.uri}
    _, _, by_group = await sample(http, mock, event="invitee.created", **in_group)
    assert host_of(by_group["payload"]) in group.members
    _, _, event_type = await sample(http, mock, event="event_type.created", **in_group)
    assert uuid(event_type["payload"]["profile"]["owner"]) in group.members


async def test_invitee_canceled_and_no_show_use_stored_invitees_of_that_kind(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    _, _, canceled = await sample(http, mock, event="invitee.canceled")
    event, invitee = newest(mock, lambda _, i: i.status == "canceled" and bool(i.cancellation))
    payload = canceled["payload"]
    assert payload["uri"] == invitee.uri
    assert payload["status"] == "canceled"
    assert payload["cancellation"]["canceler_type"] == invitee.cancellation.canceler_type  # type: ignore[union-attr]
    assert payload["scheduled_event"]["status"] == event.status
    for name in ("invitee_no_show.created", "invitee_no_show.deleted"):
        _, _, no_show = await sample(http, mock, event=name)
        _, marked = newest(mock, lambda _, i: i.no_show is not None)
        assert no_show["event"] == name
        assert no_show["payload"]["uri"] == marked.uri
        assert no_show["payload"]["no_show"]["uri"] == marked.no_show.uri  # type: ignore[union-attr]


async def test_routing_form_submission_event_type_recap_and_contact_payloads(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    store = mock.state
    _, _, submission = await sample(http, mock, event="routing_form_submission.created")
    latest = max(store.submissions.values(), key=lambda s: (s.created_at, s.uri))
    assert_round_trips(submission["payload"], latest)
    assert submission["payload"]["questions_and_answers"]

    _, _, event_type = await sample(http, mock, event="event_type.updated")
    newest_type = max(store.event_types.values(), key=lambda e: (e.updated_at, e.uri))
    assert event_type["payload"]["uri"] == newest_type.uri
    assert "description_html" not in event_type["payload"]  # Calendly's EventTypePayload
    assert {"is_paid", "duration_options", "locale"} <= set(event_type["payload"])

    host = next(u for u, events in store.events_by_host.items() if events)
    user = store.uri("users", host)
    _, _, recap = await sample(http, mock, event="meeting_recap.created", scope="user", user=user)
    held = recap["payload"]["event"]
    stored = store.events[uuid(held["uri"])]
    assert store.host_uuid(stored) == host
    assert stored.end_time is not None
    assert stored.end_time <= NOW
    assert stored.status == "active"
    assert {a["user_email"] for a in held["attendees"] if a["host"]} == {store.users[host].email}
    assert set(recap["payload"]["recap"]) >= {"uri", "summary_md", "transcript", "share_link"}
    _, _, deleted = await sample(http, mock, event="meeting_recap.deleted", scope="user", user=user)
    assert set(deleted["payload"]["recap"]) == {"uri", "deleted_at"}
    assert deleted["payload"]["recap"]["uri"] == recap["payload"]["recap"]["uri"]

    _, _, contact = await sample(http, mock, event="contact.created")
    _, invitee = newest(mock, lambda _, i: i.status == "active")
    assert contact["payload"]["emails"] == [{"email": invitee.email, "is_primary": True}]
    assert contact["payload"]["name"] == invitee.name


async def test_asking_for_samples_changes_nothing(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    before = mock.state.snapshot()
    names = ("invitee.created", "invitee.canceled", "invitee_no_show.created", "contact.deleted")
    for name in names:
        assert (await sample(http, mock, event=name))[0] == 200
    by_owner = {"scope": "user", "user": mock.owner_uri}
    assert (await sample(http, mock, event="meeting_recap.updated", **by_owner))[0] == 200
    assert mock.state.snapshot() == before


async def test_an_empty_scope_gets_a_drafted_booking_that_is_never_stored() -> None:
    async with (
        MockCalendly(seed=2, start=START, clock=clock, events=0) as mock,
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as http,
    ):
        counts = mock.state.counts()
        user = next(u for u in mock.state.users if u != mock.state.owner_uuid)
        by_user = {"scope": "user", "user": mock.state.uri("users", user)}
        _, _, created = await sample(http, mock, event="invitee.created", **by_user)
        _, _, canceled = await sample(http, mock, event="invitee.canceled", **by_user)
        _, _, again = await sample(http, mock, event="invitee.created", **by_user)
        _, _, no_show = await sample(http, mock, event="invitee_no_show.created")
        assert mock.state.counts() == counts
    payload = created["payload"]
    assert host_of(payload) == user
    assert payload["status"] == "active"
    assert datetime.fromisoformat(payload["scheduled_event"]["start_time"]) > NOW
    assert mock.state.event_types[uuid(payload["scheduled_event"]["event_type"])]
    assert again["payload"]["uri"] == payload["uri"]  # drafts are deterministic
    assert canceled["payload"]["uri"] == payload["uri"]
    assert canceled["payload"]["status"] == "canceled"
    assert canceled["payload"]["cancellation"]["created_at"] is not None
    # Calendly rule: the event is canceled with its last active invitee.
    assert canceled["payload"]["scheduled_event"]["status"] == "canceled"
    assert no_show["payload"]["no_show"]["uri"].startswith(f"{mock.url}/invitee_no_shows/")


def _other_org(mock: MockCalendly) -> str:
    return f"{mock.url}/organizations/SOMEONEELSE"


@pytest.mark.parametrize(
    ("change", "status", "parameter"),
    [
        ({"event": ""}, 400, "event"),
        ({"event": "invitee.exploded"}, 400, "event"),
        ({"organization": ""}, 400, "organization"),
        ({"organization": _other_org}, 403, None),
        ({"scope": ""}, 400, "scope"),
        ({"scope": "everyone"}, 400, "scope"),
        ({"scope": "user"}, 400, "user"),
        ({"scope": "group"}, 400, "group"),
        ({"scope": "group", "group": "https://x/groups/NOPE"}, 404, None),
        ({"scope": "user", "user": "https://x/users/STRANGER"}, 403, None),
        ({"event": "routing_form_submission.created", "scope": "user", "user": "me"}, 400, "scope"),
        ({"event": "meeting_recap.created"}, 400, "scope"),
    ],
)
async def test_missing_or_unknown_parameters_get_calendly_errors(
    http: aiohttp.ClientSession,
    mock: MockCalendly,
    change: dict[str, Any],
    status: int,
    parameter: str | None,
) -> None:
    params = {"event": "invitee.created"}
    params.update({k: v(mock) if callable(v) else v for k, v in change.items()})
    answer, headers, body = await sample(http, mock, **params)
    assert answer == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["message"], str)
    assert body["message"]
    if parameter is not None:
        assert body["title"] == "Invalid Argument"
        assert [d["parameter"] for d in body["details"]] == [parameter]
    assert "X-RateLimit-Remaining" in headers


# -- through the SDK -----------------------------------------------------------------------------


async def test_sdk_sample_returns_a_typed_webhook_event(sdk: Calendly, mock: MockCalendly) -> None:
    event = await sdk.webhooks.sample("invitee.created", mock.organization_uri, "organization")
    assert isinstance(event, WebhookEvent)
    assert event.event == "invitee.created"
    assert event.created_at == NOW
    assert event.created_by == mock.owner_uri
    assert isinstance(event.payload, InviteePayload)
    stored_event, invitee = newest(mock, lambda _, i: i.status == "active")
    assert event.payload.uri == invitee.uri
    assert event.payload.email == invitee.email
    assert isinstance(event.payload.scheduled_event, ScheduledEvent)
    assert event.payload.scheduled_event.uri == stored_event.uri
    assert event.payload.scheduled_event.start_time == stored_event.start_time
    assert event.delivery_key == ("invitee.created", invitee.uri, NOW.isoformat())


async def test_sdk_sample_types_each_payload_kind_and_takes_bare_uuids(
    sdk: Calendly, mock: MockCalendly
) -> None:
    org = uuid(mock.organization_uri)
    host = next(u for u, events in mock.state.events_by_host.items() if events)
    canceled = await sdk.webhooks.sample("invitee.canceled", org, "user", user=host)
    assert isinstance(canceled.payload, InviteePayload)
    assert canceled.payload.status == "canceled"
    assert canceled.payload.cancellation is not None
    assert canceled.payload.scheduled_event is not None
    assert uuid(canceled.payload.scheduled_event.event_memberships[0].user or "") == host
    submission = await sdk.webhooks.sample("routing_form_submission.created", org, "organization")
    assert isinstance(submission.payload, RoutingFormSubmission)
    assert submission.payload.uri in {s.uri for s in mock.state.submissions.values()}
    event_type = await sdk.webhooks.sample("event_type.deleted", org, "user", user=host)
    assert isinstance(event_type.payload, EventType)
    assert event_type.payload.profile is not None
    assert uuid(event_type.payload.profile.owner or "") == host
    recap = await sdk.webhooks.sample("meeting_recap.created", org, "user", user=host)
    assert isinstance(recap.payload, dict)
    assert recap.payload["recap"]["uri"].startswith(f"{mock.url}/meeting_recaps/")


async def test_sdk_sample_surfaces_the_mock_errors(sdk: Calendly, mock: MockCalendly) -> None:
    org = mock.organization_uri
    with pytest.raises(InvalidInputError):  # the SDK refuses it before sending
        await sdk.webhooks.sample("invitee.exploded", org, "organization")
    query = {"event": "invitee.exploded", "organization": org, "scope": "organization"}
    with pytest.raises(BadRequestError) as bad:
        await sdk.request("GET", "/sample_webhook_data", params=query)
    assert [d.parameter for d in bad.value.details] == ["event"]
    with pytest.raises(BadRequestError):
        await sdk.webhooks.sample("meeting_recap.created", org, "organization")
    with pytest.raises(PermissionDeniedError):
        await sdk.webhooks.sample("invitee.created", "SOMEONEELSE", "organization")
    with pytest.raises(NotFoundError):
        await sdk.webhooks.sample("invitee.created", org, "group", group="NOPE")
