"""Resource URIs built from UUIDs are Calendly's names, not addresses on ``base_url``.

Calendly rule (reference §1, "Identifiers"): every resource's ``uri`` is
``https://api.calendly.com/<collection>/<UUID>``, and query parameters and body
fields that point at another resource take that full URI. So a UUID passed as
``organization=``, ``user=``, ``event_type=``... becomes that URI whatever host the
client talks to (a proxy, a recording server, the embedded mock); a full URI
passed in is sent unchanged. The mock compares by UUID, so it accepts any host.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN

from calendly_async import Calendly
from calendly_async._identifiers import CALENDLY_API_ORIGIN, canonical_uri, resource_uri
from calendly_async.errors import NotFoundError
from calendly_async.mock import MockCalendly

ORG = "0f9c2a52-1d2e-4c1b-9d9b-3a4e5f6a7b8c"
USER = "AAAAAAAAAAAAAAAA"
USER2 = "BBBBBBBBBBBBBBBB"
GROUP = "GGGGGGGGGGGGGGGG"
ET = "EEEEEEEEEEEEEEEE"
FORM = "FFFFFFFFFFFFFFFF"
SCHEDULE = "SSSSSSSSSSSSSSSS"
MEMBERSHIP = "MMMMMMMMMMMMMMMM"
SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)


def api(collection: str, uuid: str) -> str:
    return f"https://api.calendly.com/{collection}/{uuid}"


# -- the pure rule ------------------------------------------------------------------------------


def test_the_origin_is_calendlys() -> None:
    assert CALENDLY_API_ORIGIN == "https://api.calendly.com"
    assert canonical_uri("users", USER) == api("users", USER)


@pytest.mark.parametrize(
    "uri",
    [
        api("users", USER),
        f"http://127.0.0.1:8080/users/{USER}",
        f"https://proxy.example/calendly/users/{USER}",
    ],
)
def test_a_full_uri_is_sent_unchanged_whatever_its_host(uri: str) -> None:
    assert resource_uri(uri, "users") == uri


def test_a_uuid_becomes_the_calendly_uri() -> None:
    assert resource_uri(USER, "users") == api("users", USER)
    assert resource_uri(f" {ORG} ", "organizations") == api("organizations", ORG)


# -- every call site, over loopback, with base_url on 127.0.0.1 ------------------------------

Call = Callable[[Calendly], Awaitable[Any]]


def _body(request: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = request["body"]
    return body


def _query(name: str) -> Callable[[dict[str, Any]], list[str]]:
    def values(request: dict[str, Any]) -> list[str]:
        return [v for raw in request["query"].get(name, []) for v in raw.split(",")]

    return values


def _field(*path: str) -> Callable[[dict[str, Any]], list[str]]:
    def values(request: dict[str, Any]) -> list[str]:
        value: Any = _body(request)
        for key in path:
            value = value[key]
        return value if isinstance(value, list) else [value]

    return values


async def _drain(paginator: Any) -> None:
    await paginator.collect()


CASES: list[tuple[str, Call, Callable[[dict[str, Any]], list[str]], list[str]]] = [
    ("scheduled_events organization", lambda c: _drain(c.scheduled_events.list(organization=ORG)),
     _query("organization"), [api("organizations", ORG)]),
    ("scheduled_events user", lambda c: _drain(c.scheduled_events.list(user=USER)),
     _query("user"), [api("users", USER)]),
    ("scheduled_events group", lambda c: _drain(c.scheduled_events.list(group=GROUP)),
     _query("group"), [api("groups", GROUP)]),
    ("event_types user", lambda c: _drain(c.event_types.list(user=USER)),
     _query("user"), [api("users", USER)]),
    ("event_types organization", lambda c: _drain(c.event_types.list(organization=ORG)),
     _query("organization"), [api("organizations", ORG)]),
    ("event_types schedule",
     lambda c: _drain(c.event_types.list(user=USER, user_availability_schedule=SCHEDULE)),
     _query("user_availability_schedule"), [api("user_availability_schedules", SCHEDULE)]),
    ("available_times event_type",
     lambda c: c.event_types.available_times(ET, SOON, SOON + timedelta(days=2)),
     _query("event_type"), [api("event_types", ET)]),
    ("event type hosts", lambda c: _drain(c.event_types.hosts(ET)),
     _query("event_type"), [api("event_types", ET)]),
    ("event type schedules", lambda c: c.event_types.availability_schedules(ET),
     _query("event_type"), [api("event_types", ET)]),
    ("event type schedule update query",
     lambda c: c.event_types.update_availability_schedule(ET, timezone="UTC", user=USER),
     _query("event_type"), [api("event_types", ET)]),
    ("event type schedule update rule user",
     lambda c: c.event_types.update_availability_schedule(ET, timezone="UTC", user=USER),
     _field("availability_rule", "user"), [api("users", USER)]),
    ("event_types create owner", lambda c: c.event_types.create(USER, "Intro"),
     _field("owner"), [api("users", USER)]),
    ("one-off host",
     lambda c: c.event_types.create_one_off(
         "Ad hoc", USER, 30, {"type": "days_in_future", "days": 3, "only_weekdays": False},
         co_hosts=[USER2]),
     _field("host"), [api("users", USER)]),
    ("one-off co_hosts",
     lambda c: c.event_types.create_one_off(
         "Ad hoc", USER, 30, {"type": "days_in_future", "days": 3, "only_weekdays": False},
         co_hosts=[USER2]),
     _field("co_hosts"), [api("users", USER2)]),
    ("memberships organization",
     lambda c: _drain(c.organization_memberships.list(organization=ORG)),
     _query("organization"), [api("organizations", ORG)]),
    ("memberships user", lambda c: _drain(c.organization_memberships.list(user=USER)),
     _query("user"), [api("users", USER)]),
    ("routing_forms organization", lambda c: _drain(c.routing_forms.list(ORG)),
     _query("organization"), [api("organizations", ORG)]),
    ("submissions form", lambda c: _drain(c.routing_form_submissions.list(FORM)),
     _query("form"), [api("routing_forms", FORM)]),
    ("webhook body organization",
     lambda c: c.webhooks.create("https://hooks.example/a", ["invitee.created"], ORG, "user",
                                 user=USER),
     _field("organization"), [api("organizations", ORG)]),
    ("webhook body user",
     lambda c: c.webhooks.create("https://hooks.example/a", ["invitee.created"], ORG, "user",
                                 user=USER),
     _field("user"), [api("users", USER)]),
    ("webhook body group",
     lambda c: c.webhooks.create("https://hooks.example/a", ["invitee.created"], ORG, "group",
                                 group=GROUP),
     _field("group"), [api("groups", GROUP)]),
    ("webhook list", lambda c: _drain(c.webhooks.list(ORG, "user", user=USER)),
     _query("user"), [api("users", USER)]),
    ("webhook sample", lambda c: c.webhooks.sample("invitee.created", ORG, "organization"),
     _query("organization"), [api("organizations", ORG)]),
    ("scheduling link owner", lambda c: c.scheduling_links.create(ET),
     _field("owner"), [api("event_types", ET)]),
    ("share event_type", lambda c: c.shares.create(ET),
     _field("event_type"), [api("event_types", ET)]),
    ("booking event_type",
     lambda c: c.invitees.create(ET, SOON, email="pat@example.com", timezone="UTC", name="Pat"),
     _field("event_type"), [api("event_types", ET)]),
    ("activity log organization", lambda c: _drain(c.activity_log.list(ORG)),
     _query("organization"), [api("organizations", ORG)]),
    ("activity log actors", lambda c: _drain(c.activity_log.list(ORG, actor=[USER, USER2])),
     _query("actor"), [api("users", USER), api("users", USER2)]),
    ("groups organization", lambda c: _drain(c.groups.list(ORG)),
     _query("organization"), [api("organizations", ORG)]),
    ("group relationships owner",
     lambda c: _drain(c.group_relationships.list(owner=MEMBERSHIP, group=GROUP)),
     _query("owner"), [api("organization_memberships", MEMBERSHIP)]),
    ("group relationships group",
     lambda c: _drain(c.group_relationships.list(owner=MEMBERSHIP, group=GROUP)),
     _query("group"), [api("groups", GROUP)]),
    ("locations user", lambda c: c.locations.list(USER),
     _query("user"), [api("users", USER)]),
    ("communications organization", lambda c: _drain(c.outgoing_communications.list(ORG)),
     _query("organization"), [api("organizations", ORG)]),
    ("availability schedules user", lambda c: c.availability_schedules.list(USER),
     _query("user"), [api("users", USER)]),
    ("busy times user", lambda c: c.busy_times.list(USER, SOON, SOON + timedelta(days=2)),
     _query("user"), [api("users", USER)]),
]  # fmt: skip


@pytest.fixture
async def recorded(serve: Serve) -> AsyncIterator[tuple[Calendly, list[dict[str, Any]]]]:
    """A client on a loopback server that records each request and answers Calendly's 404."""
    seen: list[dict[str, Any]] = []

    async def handler(request: web.Request) -> web.Response:
        raw = await request.read()
        seen.append(
            {
                "path": request.path,
                "query": {k: request.query.getall(k) for k in request.query},
                "body": msgspec.json.decode(raw) if raw else None,
            }
        )
        body = {"title": "Resource Not Found", "message": "The server could not find it."}
        return web.json_response(body, status=404)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    base = await serve(app)
    assert base.startswith("http://127.0.0.1:")
    async with Calendly(token=TOKEN, base_url=base) as client:
        yield client, seen


@pytest.mark.parametrize(("name", "send", "values", "expected"), CASES, ids=[c[0] for c in CASES])
async def test_a_uuid_is_sent_as_the_calendly_uri_whatever_the_base_url(
    recorded: tuple[Calendly, list[dict[str, Any]]],
    name: str,
    send: Call,
    values: Callable[[dict[str, Any]], list[str]],
    expected: list[str],
) -> None:
    client, seen = recorded
    with pytest.raises(NotFoundError):
        await send(client)
    assert seen, f"{name}: nothing was sent"
    for request in seen:
        assert values(request) == expected, (name, request)


async def test_a_full_uri_on_another_host_is_sent_unchanged(
    recorded: tuple[Calendly, list[dict[str, Any]]],
) -> None:
    client, seen = recorded
    mine = f"https://proxy.example/calendly/users/{USER}"
    with pytest.raises(NotFoundError):
        await client.scheduled_events.list(user=mine).collect()
    assert seen[0]["query"]["user"] == [mine]


# -- the mock: UUID filters still find the right items -----------------------------------------

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(seed=3, start=START, clock=lambda: START.timestamp(), events=60) as m:
        yield m


@pytest.fixture
async def sdk(mock: MockCalendly) -> AsyncIterator[Calendly]:
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        yield client


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


async def test_mock_lists_the_same_items_for_a_uuid_filter(
    sdk: Calendly, mock: MockCalendly
) -> None:
    store = mock.state
    host = next(u for u in store.users.values() if store.events_by_host.get(uuid(u.uri)))
    by_uri = await sdk.scheduled_events.list(user=host.uri).collect()
    by_uuid = await sdk.scheduled_events.list(user=uuid(host.uri)).collect()
    assert by_uri
    assert [e.uri for e in by_uuid] == [e.uri for e in by_uri]
    assert {e.event_memberships[0].user for e in by_uuid} == {host.uri}

    org_uuid = uuid(mock.organization_uri)
    everyone = await sdk.scheduled_events.list(organization=org_uuid).collect()
    assert len(everyone) == len(store.events)

    types = await sdk.event_types.list(user=uuid(host.uri)).collect()
    assert types
    assert {t.profile.owner for t in types if t.profile} == {host.uri}

    form = next(iter(store.routing_forms.values()))
    submissions = await sdk.routing_form_submissions.list(uuid(form.uri)).collect()
    expected = [s.uri for s in store.submissions.values() if s.routing_form == form.uri]
    assert sorted(s.uri for s in submissions) == sorted(expected)

    members = await sdk.organization_memberships.list(organization=org_uuid).collect()
    assert len(members) == len(store.memberships)


async def test_mock_webhook_with_uuid_owners_names_its_own_resources(
    sdk: Calendly, mock: MockCalendly
) -> None:
    created = await sdk.webhooks.create(
        "https://hooks.example/uuid-owner",
        ["invitee.created"],
        uuid(mock.organization_uri),
        "user",
        user=uuid(mock.owner_uri),
    )
    # The mock stored its own URIs; listing by UUID finds the subscription.
    assert (created.organization, created.user) == (mock.organization_uri, mock.owner_uri)
    listed = await sdk.webhooks.list(
        uuid(mock.organization_uri), "user", user=uuid(mock.owner_uri)
    ).collect()
    assert [w.uri for w in listed] == [created.uri]
