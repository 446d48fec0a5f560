"""client.teams: requests sent, payloads decoded, and the mock server's teams through
the SDK over loopback (reference §6.2: ``GET /teams``, ``GET /teams/{team_uuid}``)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from aioresponses import aioresponses
from conftest import sent
from helpers import BASE, assert_refused, assert_round_trips, page_body, resource_body

from calendly_async import Calendly, NotFoundError, PermissionDeniedError
from calendly_async.mock import MockCalendly
from calendly_async.models.teams import Team

TEAMS = re.compile(rf"^{re.escape(BASE)}/teams(\?.*)?$")
TEAM: dict[str, Any] = {
    "uri": f"{BASE}/teams/TTTTTTTTTTTTTTTT",
    "name": "Customer Success",
    "organization": f"{BASE}/organizations/OOOOOOOOOOOOOOOO",
    "scheduling_url": "https://calendly.com/team/customer-success",
}


async def test_list_sends_the_user_uri_and_pages_on(client: Calendly, api: aioresponses) -> None:
    api.get(TEAMS, payload=page_body([TEAM], next_token="t2"))
    api.get(TEAMS, payload=page_body([{**TEAM, "uri": f"{BASE}/teams/T2"}]))
    found = await client.teams.list(user="UUUUUUUUUUUUUUUU", count=1).collect()
    assert [t.uri for t in found] == [TEAM["uri"], f"{BASE}/teams/T2"]
    assert_round_trips(TEAM, found[0])
    (first, second) = sent(api)
    assert (first[0], urlsplit(first[1]).path) == ("GET", "/teams")
    assert first[2]["params"] == {"user": f"{BASE}/users/UUUUUUUUUUUUUUUU", "count": "1"}
    assert second[2]["params"]["page_token"] == "t2"


async def test_list_without_a_user_sends_only_count(client: Calendly, api: aioresponses) -> None:
    api.get(TEAMS, payload=page_body([]))
    assert await client.teams.list().collect() == []
    ((_, _, kwargs),) = sent(api)
    assert kwargs["params"] == {"count": "100"}


@pytest.mark.parametrize("ident", ["TTTTTTTTTTTTTTTT", TEAM["uri"]])
async def test_get_accepts_uuid_or_uri(client: Calendly, api: aioresponses, ident: str) -> None:
    api.get(TEAM["uri"], payload=resource_body({**TEAM, "extra_field": 1}))
    team = await client.teams.get(ident)
    assert isinstance(team, Team)
    assert team.name == "Customer Success"
    assert [(m, u) for m, u, _ in sent(api)] == [("GET", TEAM["uri"])]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.teams.get(f"{BASE}/groups/GGGGGGGGGGGGGGGG"),
        lambda c: c.teams.get(""),
        lambda c: c.teams.list(user="https://api.calendly.com/teams/X").collect(),
        lambda c: c.teams.list(count=0).collect(),
    ],
)
async def test_bad_input_is_refused_before_sending(
    client: Calendly, api: aioresponses, call: Any
) -> None:
    await assert_refused(client, api, call)


# -- against the mock server (loopback) ----------------------------------------------------


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(seed=5, start=datetime(2030, 1, 1, tzinfo=UTC), events=4) as server:
        yield server


async def test_mock_lists_pages_and_gets_teams(sdk: Calendly, mock: MockCalendly) -> None:
    teams = await sdk.teams.list(count=1).collect()
    assert [t.uri for t in teams] == [t.uri for t in mock.state.crm.teams.values()]
    assert all(t.organization == mock.organization_uri for t in teams)
    assert (await sdk.teams.get(teams[1].uri)).name == teams[1].name


async def test_mock_filters_teams_by_member(sdk: Calendly, mock: MockCalendly) -> None:
    crm = mock.state.crm
    for user_uuid in mock.state.users:
        expected = [crm.teams[t].uri for t, members in crm.team_members.items()
                    if user_uuid in members]  # fmt: skip
        found = await sdk.teams.list(user=user_uuid).collect()
        assert [t.uri for t in found] == expected
    crm.team_members[next(iter(crm.teams))].clear()
    mock.state.touch()
    owner_teams = await sdk.teams.list(user=mock.owner_uri).collect()
    assert next(iter(crm.teams)) not in {t.uri.rsplit("/", 1)[-1] for t in owner_teams}


async def test_mock_refuses_strangers_and_unknown_teams(sdk: Calendly) -> None:
    with pytest.raises(PermissionDeniedError):
        await sdk.teams.list(user="NOBODYNOBODYNOBO").collect()
    with pytest.raises(NotFoundError):
        await sdk.teams.get("NOSUCHTEAM")
