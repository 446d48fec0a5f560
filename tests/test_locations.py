"""client.locations: the meeting locations a user can offer (``GET /locations``, a
bare collection; reference §6.5), over aioresponses and the mock server."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from aioresponses import aioresponses
from conftest import sent
from helpers import BASE, assert_round_trips

from calendly_async import Calendly, InvalidInputError, PermissionDeniedError
from calendly_async.mock import MockCalendly
from calendly_async.models.locations import MeetingLocation
from calendly_async.resources.locations import Locations

LOCATIONS = re.compile(rf"^{re.escape(BASE)}/locations(\?.*)?$")
USER = f"{BASE}/users/AAAAAAAAAAAAAAAA"
PAYLOAD: dict[str, Any] = {
    "collection": [
        {"kind": "zoom_conference", "connected": True},
        {"kind": "google_conference", "connected": False},
        {"kind": "physical"},
        {"kind": "a_kind_added_later", "connected": True},
    ]
}


@pytest.fixture
def locations(client: Calendly) -> Locations:
    return client.locations


@pytest.mark.parametrize("ident", ["AAAAAAAAAAAAAAAA", USER])
async def test_list_sends_the_user_uri_without_paging(
    locations: Locations, api: aioresponses, ident: str
) -> None:
    api.get(LOCATIONS, payload=PAYLOAD)
    found = await locations.list(ident)
    assert all(isinstance(item, MeetingLocation) for item in found)
    assert [(item.kind, item.connected) for item in found] == [
        ("zoom_conference", True),
        ("google_conference", False),
        ("physical", None),
        ("a_kind_added_later", True),
    ]
    ((method, url, kwargs),) = sent(api)
    assert (method, urlsplit(url).path) == ("GET", "/locations")
    assert kwargs["params"] == {"user": USER}


async def test_payload_round_trips(locations: Locations, api: aioresponses) -> None:
    api.get(LOCATIONS, payload=PAYLOAD)
    for original, item in zip(PAYLOAD["collection"], await locations.list(USER), strict=True):
        assert_round_trips(original, item)


@pytest.mark.parametrize("bad", ["", "   ", f"{BASE}/organizations/AAAA", "not a uuid"])
async def test_bad_user_is_refused_before_sending(
    locations: Locations, api: aioresponses, bad: str
) -> None:
    with pytest.raises(InvalidInputError):
        await locations.list(bad)
    assert sent(api) == []


@pytest.fixture
async def sdk() -> AsyncIterator[tuple[Calendly, MockCalendly]]:
    async with (
        MockCalendly(seed=9, start=datetime(2030, 1, 1, tzinfo=UTC), events=5) as mock,
        Calendly(token=mock.token, base_url=mock.url) as client,
    ):
        yield client, mock


async def test_mock_offers_the_kinds_of_the_users_event_types(
    sdk: tuple[Calendly, MockCalendly],
) -> None:
    client, mock = sdk
    locations = client.locations
    found = await locations.list(mock.owner_uri)
    configured = {
        config.kind
        for et in mock.state.event_types.values()
        if et.profile and et.profile.owner == mock.owner_uri
        for config in et.locations or []
    }
    assert {item.kind for item in found} == configured | {"ask_invitee"}
    for item in found:
        assert item.connected is (True if (item.kind or "").endswith("_conference") else None)
    with pytest.raises(PermissionDeniedError):
        await locations.list("NOTAMEMBER000000")
