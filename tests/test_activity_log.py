"""client.activity_log: comma-joined list filters, count up to 1000, total_count on pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, assert_round_trips, fixture, page_body

from calendly_async import Calendly, InvalidInputError
from calendly_async.models.activity_log import ActivityLogEntry

ENTRIES = re.compile(rf"^{re.escape(BASE)}/activity_log_entries(\?.*)?$")
ORG = f"{BASE}/organizations/AAAAAAAAAAAAAAA"


def _body(items: list[Any], total: int, next_token: str | None = None) -> dict[str, Any]:
    return {
        **page_body(items, next_token),
        "total_count": total,
        "exceeds_max_total_count": False,
        "last_event_time": "2020-01-02T03:04:05.678Z",
    }


async def test_list_sends_lists_comma_joined_and_actor_uris(
    client: Calendly, api: aioresponses
) -> None:
    api.get(ENTRIES, payload=_body(fixture("list_activity_log_entries"), total=1))
    await client.activity_log.list(
        "AAAAAAAAAAAAAAA",
        search_term='"Test User" | owner',
        actor=["U1", f"{BASE}/users/U2"],
        sort=["occurred_at:desc", "action:asc"],
        min_occurred_at="2020-01-01T00:00:00Z",
        max_occurred_at=datetime(2020, 2, 1, tzinfo=UTC),
        namespace=["User", "EventType"],
        action="Add",
        count=1000,
    ).collect()
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/activity_log_entries")
    assert kwargs["params"] == {
        "organization": ORG,
        "search_term": '"Test User" | owner',
        "actor": f"{BASE}/users/U1,{BASE}/users/U2",
        "sort": "occurred_at:desc,action:asc",
        "min_occurred_at": "2020-01-01T00:00:00.000000Z",
        "max_occurred_at": "2020-02-01T00:00:00.000000Z",
        "namespace": "User,EventType",
        "action": "Add",
        "count": "1000",
    }


async def test_list_with_only_organization_sends_only_it(
    client: Calendly, api: aioresponses
) -> None:
    api.get(ENTRIES, payload=_body([], total=0))
    assert await client.activity_log.list(ORG).collect() == []
    ((_, _, kwargs),) = sent(api)
    assert kwargs["params"] == {"organization": ORG, "count": "100"}


async def test_fixture_round_trips_and_page_carries_total_count(
    client: Calendly, api: aioresponses
) -> None:
    payload = fixture("list_activity_log_entries")
    api.get(ENTRIES, payload=_body(payload, total=4321))
    pages = [page async for page in client.activity_log.list(ORG).pages()]
    assert [page.total_count for page in pages] == [4321]
    (entry,) = pages[0].items
    assert isinstance(entry, ActivityLogEntry)
    assert entry.actor is not None
    assert entry.actor.group is not None
    assert (entry.actor.group.name, entry.fully_qualified_name) == ("Development", "User.Add")
    assert_round_trips(payload[0], entry)


def test_system_actor_without_uri_and_rich_details_decode() -> None:
    raw = {
        **fixture("list_activity_log_entries")[0],
        "actor": {"display_name": "Calendly System", "type": "System"},
        "details": {"event_name": "60 minute meeting", "changes": [{"field": "name"}]},
    }
    entry = msgspec.json.decode(msgspec.json.encode(raw), type=ActivityLogEntry)
    assert entry.actor is not None
    assert (entry.actor.uri, entry.actor.type) == (None, "System")
    assert entry.details["changes"] == [{"field": "name"}]
    assert_round_trips(raw, entry)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"organization": ""}, "organization"),
        ({"count": 1001}, "1000"),
        ({"search_term": "x" * 301}, "300"),
        ({"min_occurred_at": datetime(2020, 1, 1)}, "no timezone"),
        (
            {"min_occurred_at": "2020-02-01T00:00:00Z", "max_occurred_at": "2020-01-01T00:00:00Z"},
            "after max_occurred_at",
        ),
        ({"actor": []}, "actor"),
        ({"actor": [f"{BASE}/groups/G1"]}, "users URI"),
        ({"namespace": ["User", ""]}, "namespace"),
    ],
)
async def test_list_refuses_bad_input_before_sending(
    client: Calendly, api: aioresponses, kwargs: dict[str, Any], fragment: str
) -> None:
    arguments = {"organization": ORG, **kwargs}
    with pytest.raises(InvalidInputError, match=fragment):
        client.activity_log.list(**arguments)
    assert sent(api) == []


async def test_list_over_loopback_pages_with_total_count(serve: Serve) -> None:
    entry = fixture("list_activity_log_entries")[0]
    queries: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        queries.append(dict(request.query))
        token = request.query.get("page_token")
        uri = f"{BASE}/activity_log_entries/{token or 'E0'}"
        return web.json_response(_body([{**entry, "uri": uri}], 2, None if token else "E1"))

    app = web.Application()
    app.router.add_get("/activity_log_entries", handler)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url) as client:
        pages = [
            page
            async for page in client.activity_log.list(
                "ORG1", namespace=["User", "Group"], count=1
            ).pages()
        ]
    assert [[e.uri.rsplit("/", 1)[1] for e in p] for p in pages] == [["E0"], ["E1"]]
    assert {p.total_count for p in pages} == {2}
    assert [q.get("page_token") for q in queries] == [None, "E1"]
    assert {q["namespace"] for q in queries} == {"User,Group"}
    assert {q["organization"] for q in queries} == {f"{BASE}/organizations/ORG1"}
