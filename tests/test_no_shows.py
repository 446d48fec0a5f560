"""client.invitee_no_shows: mark, read and un-mark no-shows (reference §6.6), over
aioresponses and against the mock server (which updates the invitee and fires
``invitee_no_show.*`` webhooks)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pytest
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, assert_round_trips, resource_body, webhook_receiver

from calendly_async import (
    BadRequestError,
    Calendly,
    InvalidInputError,
    NotFoundError,
    ServerError,
)
from calendly_async.mock import MockCalendly
from calendly_async.models.invitees import Invitee
from calendly_async.models.no_shows import InviteeNoShow
from calendly_async.resources.no_shows import InviteeNoShows
from calendly_async.webhooks import InviteePayload, parse_event

INVITEE = f"{BASE}/scheduled_events/EEEEEEEEEEEEEEEE/invitees/IIIIIIIIIIIIIIII"
NO_SHOW: dict[str, Any] = {
    "uri": f"{BASE}/invitee_no_shows/NNNNNNNNNNNNNNNN",
    "invitee": INVITEE,
    "created_at": "2024-01-02T03:04:05.678123Z",
}


@pytest.fixture
def no_shows(client: Calendly) -> InviteeNoShows:
    return client.invitee_no_shows


# -- requests (aioresponses) --------------------------------------------------------------


async def test_create_posts_the_invitee_uri(no_shows: InviteeNoShows, api: aioresponses) -> None:
    api.post(f"{BASE}/invitee_no_shows", status=201, payload=resource_body(NO_SHOW))
    mark = await no_shows.create(INVITEE)
    assert isinstance(mark, InviteeNoShow)
    assert mark.invitee == INVITEE
    assert_round_trips(NO_SHOW, mark)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{BASE}/invitee_no_shows")
    assert msgspec.json.decode(kwargs["data"]) == {"invitee": INVITEE}


async def test_create_is_not_retried_after_a_server_error(
    no_shows: InviteeNoShows, api: aioresponses
) -> None:
    api.post(f"{BASE}/invitee_no_shows", status=500, payload={"title": "x", "message": "y"})
    api.post(f"{BASE}/invitee_no_shows", status=201, payload=resource_body(NO_SHOW))
    with pytest.raises(ServerError):
        await no_shows.create(INVITEE)
    assert len(sent(api)) == 1


@pytest.mark.parametrize("ident", ["NNNNNNNNNNNNNNNN", NO_SHOW["uri"]])
async def test_get_and_delete_take_uuid_or_uri(
    no_shows: InviteeNoShows, api: aioresponses, ident: str
) -> None:
    api.get(NO_SHOW["uri"], payload=resource_body(NO_SHOW))
    api.delete(NO_SHOW["uri"], status=204)
    assert (await no_shows.get(ident)).uri == NO_SHOW["uri"]
    assert await no_shows.delete(ident) is None
    assert [(m, u) for m, u, _ in sent(api)] == [
        ("GET", NO_SHOW["uri"]),
        ("DELETE", NO_SHOW["uri"]),
    ]


@pytest.mark.parametrize(
    "invitee",
    [
        "IIIIIIIIIIIIIIII",
        f"{BASE}/scheduled_events/EEEEEEEEEEEEEEEE",
        f"{BASE}/users/IIIIIIIIIIIIIIII",
        "",
    ],
)
async def test_create_refuses_anything_but_an_invitee_uri(
    no_shows: InviteeNoShows, api: aioresponses, invitee: str
) -> None:
    with pytest.raises(InvalidInputError):
        await no_shows.create(invitee)
    assert sent(api) == []


@pytest.mark.parametrize("bad", ["", f"{BASE}/invitees/NNNN", "two words"])
async def test_get_and_delete_refuse_malformed_ids(
    no_shows: InviteeNoShows, api: aioresponses, bad: str
) -> None:
    with pytest.raises(InvalidInputError):
        await no_shows.get(bad)
    with pytest.raises(InvalidInputError):
        await no_shows.delete(bad)
    assert sent(api) == []


# -- the mock server through the SDK (loopback) -------------------------------------------

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30)


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=5, start=START, clock=lambda: NOW.timestamp(), events=30, users=3,
        webhook_retry_delays=(0.0,),
    ) as server:  # fmt: skip
        yield server


@pytest.fixture
async def sdk(mock: MockCalendly) -> AsyncIterator[Calendly]:
    async with Calendly(token=mock.token, base_url=mock.url) as client:
        yield client


def unmarked_invitee(mock: MockCalendly) -> Invitee:
    return next(
        i for i in mock.state.iter_invitees()
        if i.no_show is None and i.status == "active"
    )  # fmt: skip


async def test_mock_marks_reads_and_unmarks(sdk: Calendly, mock: MockCalendly) -> None:
    no_shows = sdk.invitee_no_shows
    target = unmarked_invitee(mock)
    event_uuid = (target.event or "").rsplit("/", 1)[-1]
    mark = await no_shows.create(target.uri)
    assert mark.invitee == target.uri
    assert mark.created_at == NOW
    invitee = await sdk.invitees.get(event_uuid, target.uri)
    assert invitee.no_show is not None
    assert invitee.no_show.uri == mark.uri
    assert await no_shows.get(mark.uri) == mark
    with pytest.raises(BadRequestError):
        await no_shows.create(target.uri)
    await no_shows.delete(mark.uri)
    assert (await sdk.invitees.get(event_uuid, target.uri)).no_show is None
    with pytest.raises(NotFoundError):
        await no_shows.get(mark.uri)
    with pytest.raises(NotFoundError):
        await no_shows.delete(mark.uri)


async def test_mock_serves_seeded_no_shows(sdk: Calendly, mock: MockCalendly) -> None:
    seeded = next(i for i in mock.state.iter_invitees() if i.no_show is not None)
    assert seeded.no_show is not None
    assert seeded.no_show.uri is not None
    mark = await sdk.invitee_no_shows.get(seeded.no_show.uri)
    assert (mark.invitee, mark.created_at) == (seeded.uri, seeded.no_show.created_at)


async def test_mock_refuses_an_unknown_invitee(sdk: Calendly, mock: MockCalendly) -> None:
    event = next(iter(mock.state.events.values()))
    with pytest.raises(NotFoundError):
        await sdk.invitee_no_shows.create(f"{event.uri}/invitees/NOSUCHINVITEE000")


async def test_mock_fires_no_show_webhooks(sdk: Calendly, mock: MockCalendly, serve: Serve) -> None:
    url, received = await webhook_receiver(serve)
    await sdk.webhooks.create(
        url,
        ["invitee_no_show.created", "invitee_no_show.deleted"],
        mock.organization_uri,
        "organization",
    )
    no_shows = sdk.invitee_no_shows
    target = unmarked_invitee(mock)
    mark = await no_shows.create(target.uri)
    await no_shows.delete(mark.uri)
    await mock.deliverer.drain()
    created, deleted = (parse_event(body) for body in received)
    assert (created.event, deleted.event) == ("invitee_no_show.created", "invitee_no_show.deleted")
    assert isinstance(created.payload, InviteePayload)
    assert isinstance(deleted.payload, InviteePayload)
    assert created.payload.uri == target.uri
    assert created.payload.no_show is not None
    assert created.payload.no_show.uri == mark.uri
    assert deleted.payload.no_show is None
    assert created.payload.scheduled_event is not None
    assert created.payload.scheduled_event.uri == target.event
