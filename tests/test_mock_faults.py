"""Fault injection of the mock server, each kind on its own, over loopback.

Faults stand in for what Calendly and the network do under stress: slow answers,
5xx, dropped connections, bodies cut short, bursts of 429 (reference §4) and page
tokens that expired between two requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from calendly_async.errors import InvalidInputError
from calendly_async.mock import Faults, MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=30)


class Sleeps:
    """The mock's sleep: records each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def mock(sleeps: Sleeps) -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=5, start=START, clock=lambda: NOW.timestamp(), sleep=sleeps, events=30
    ) as server:
        yield server


@pytest.fixture
async def http(mock: MockCalendly) -> AsyncIterator[aiohttp.ClientSession]:
    headers = {"Authorization": f"Bearer {mock.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        yield session


async def get(
    http: aiohttp.ClientSession, mock: MockCalendly, path: str, **params: Any
) -> tuple[int, Any, Any]:
    async with http.get(mock.url + path, params=params) as response:
        return response.status, response.headers, await response.json()


async def test_fixed_latency_and_jitter(
    http: aiohttp.ClientSession, mock: MockCalendly, sleeps: Sleeps
) -> None:
    mock.faults = Faults(latency_ms=250)
    status, _, _ = await get(http, mock, "/users/me")
    assert status == 200
    assert sleeps.delays == [0.25]
    mock.faults = Faults(latency_ms=100, jitter_ms=50)
    for _ in range(20):
        await get(http, mock, "/users/me")
    jittered = sleeps.delays[1:]
    assert all(0.1 <= delay <= 0.15 for delay in jittered)
    assert len(set(jittered)) > 1


async def test_error_rate_answers_server_errors_with_calendly_body(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    mock.faults.error_rate = 1.0
    statuses = set()
    for _ in range(30):
        status, headers, body = await get(http, mock, "/users/me")
        statuses.add(status)
        assert set(body) == {"title", "message"}
        assert "X-RateLimit-Remaining" in headers
    assert statuses == {500, 502, 503}
    mock.faults.error_rate = 0.0
    assert (await get(http, mock, "/users/me"))[0] == 200


async def test_faults_come_from_a_seeded_rng(sleeps: Sleeps) -> None:
    async def statuses() -> list[int]:
        async with (
            MockCalendly(seed=9, events=0, faults=Faults(error_rate=0.5), sleep=sleeps) as mock,
            aiohttp.ClientSession(headers={"Authorization": f"Bearer {mock.token}"}) as http,
        ):
            return [(await get(http, mock, "/users/me"))[0] for _ in range(40)]

    first, second = await statuses(), await statuses()
    assert first == second
    assert 200 in first
    assert set(first) - {200}


async def test_dropped_connection(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    mock.faults.drop_rate = 1.0
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await get(http, mock, "/users/me")
    mock.faults.drop_rate = 0.0
    assert (await get(http, mock, "/users/me"))[0] == 200


async def test_truncated_body(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    mock.faults.truncate_rate = 1.0
    async with http.get(mock.url + "/users/me") as response:
        assert response.status == 200
        declared = int(response.headers["Content-Length"])
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()
    assert declared > 0


async def test_rate_limit_storm_counts_down(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    mock.faults.rate_limit_storm = 2
    for _ in range(2):
        status, headers, body = await get(http, mock, "/users/me")
        assert status == 429
        assert headers["X-RateLimit-Remaining"] == "0"
        assert 1 <= int(headers["X-RateLimit-Reset"]) <= 60
        assert body["title"] == "Too Many Requests"
    assert mock.faults.rate_limit_storm == 0
    assert (await get(http, mock, "/users/me"))[0] == 200


async def test_stale_page_tokens(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    org = mock.organization_uri
    _, _, first = await get(http, mock, "/scheduled_events", organization=org, count=5)
    token = first["pagination"]["next_page_token"]
    mock.faults.stale_page_token_rate = 1.0
    status, _, body = await get(
        http, mock, "/scheduled_events", organization=org, count=5, page_token=token
    )
    assert status == 400
    assert body["details"] == [{"parameter": "page_token", "message": "page_token is invalid"}]
    assert (await get(http, mock, "/scheduled_events", organization=org, count=5))[0] == 200


async def test_route_faults_replace_server_faults_for_their_route(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    mock.route_faults["GET /users/{uuid}"] = Faults(error_rate=1.0)
    mock.route_faults[f"GET /organizations/{mock.organization_uri.rsplit('/', 1)[-1]}"] = Faults(
        rate_limit_storm=1
    )
    assert (await get(http, mock, "/users/me"))[0] >= 500
    org_path = "/organizations/" + mock.organization_uri.rsplit("/", 1)[-1]
    assert (await get(http, mock, org_path))[0] == 429
    assert (await get(http, mock, org_path))[0] == 200
    status, _, _ = await get(http, mock, "/event_types", user=mock.owner_uri)
    assert status == 200


@pytest.mark.parametrize(
    "bad",
    [{"error_rate": 1.5}, {"drop_rate": -0.1}, {"latency_ms": "slow"}, {"truncate_rate": True}],
)
def test_invalid_faults_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        Faults(**bad)
