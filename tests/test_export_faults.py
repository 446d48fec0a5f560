"""The export under faults: ~10% injected failures of every kind still give exact data;
stale page tokens restart the events listing from its cursor and the invitee listing
from its start, without duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from export_support import Requests, client_for, every_format, plain_listing

from calendly_async.errors import BadRequestError, ErrorDetail, ServerError
from calendly_async.jobs import export
from calendly_async.jobs._worker import is_stale_page_token
from calendly_async.mock import Faults, MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
BIG: dict[str, Any] = {"rate_limit": 1_000_000}
"""No rate limit in the way of these tests (the plain listing is sequential)."""


def _range(mock: MockCalendly, *, days: int) -> dict[str, str]:
    """Scope and range given explicitly: no request before the windows start."""
    until = (START + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"organization": mock.organization_uri, "since": "2030-01-01T00:00:00Z", "until": until}


class NoWait:
    """The export's window-backoff sleep: records delays, returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


async def _expected(mock: MockCalendly) -> tuple[dict[str, Any], dict[str, Any]]:
    faults, route_faults = mock.faults, dict(mock.route_faults)
    mock.route_faults.clear()
    mock.faults = Faults()
    try:
        return await plain_listing(mock)
    finally:
        mock.faults = faults
        mock.route_faults.update(route_faults)


def _assert_exact(directory: Path, events: dict[str, Any], invitees: dict[str, Any]) -> None:
    for table, expected in (("scheduled_events", events), ("invitees", invitees)):
        formats = every_format(directory, table)
        assert formats["ndjson"] == expected
        assert formats["sqlite"] == expected
        assert set(formats["csv"]) == set(expected)


async def test_ten_percent_faults_give_exact_data(tmp_path: Path) -> None:
    faults = Faults(error_rate=0.04, drop_rate=0.02, truncate_rate=0.02, stale_page_token_rate=0.1)
    # Two dense windows, so the events listings really have page tokens to go stale.
    mock = MockCalendly(seed=5, events=400, invitees_per_event=2, start=START, days=2, **BIG)
    requests = Requests().install(mock)
    async with mock:
        events, invitees = await _expected(mock)
        mock.faults = faults
        # Few requests carry a page token; those of the events listing go stale more often.
        mock.route_faults["GET /scheduled_events"] = Faults(
            error_rate=0.04, drop_rate=0.02, stale_page_token_rate=0.4
        )
        wait = NoWait()
        async with client_for(mock) as client:
            summary = await export(
                client, tmp_path, **_range(mock, days=2), concurrency=8, windows=2, sleep=wait
            )
    _assert_exact(tmp_path, events, invitees)
    assert summary.counts == {"scheduled_events": 400, "invitees": 800}
    failures = sum(n for status, n in requests.statuses.items() if status >= 400)
    assert failures >= 10  # faults really happened
    assert summary.stale_restarts > 0


async def test_a_window_failing_beyond_request_retries_is_retried(tmp_path: Path) -> None:
    """Every request fails for a while (more than the client's retries): the window is
    tried again after a backoff, from its cursor, and the export completes."""
    mock = MockCalendly(seed=6, events=40, invitees_per_event=2, start=START, days=10)
    async with mock:
        events, invitees = await _expected(mock)
        mock.faults = Faults(error_rate=1.0)
        wait = NoWait()

        async def heal_later(seconds: float) -> None:
            await wait(seconds)
            if len(wait.delays) >= 2:
                mock.faults = Faults()

        async with client_for(mock) as client:
            summary = await export(
                client, tmp_path, **_range(mock, days=10), concurrency=4, sleep=heal_later
            )
    _assert_exact(tmp_path, events, invitees)
    assert summary.window_retries >= 2
    assert wait.delays[:2] == [1.0, 2.0]  # exponential backoff between window attempts


async def test_a_window_failing_for_good_raises_and_keeps_the_checkpoint(
    tmp_path: Path,
) -> None:
    mock = MockCalendly(seed=6, events=40, start=START, days=10, faults=Faults(error_rate=1.0))
    async with mock, client_for(mock) as client:
        with pytest.raises(ServerError):
            await export(
                client, tmp_path, **_range(mock, days=10), window_attempts=2, sleep=NoWait()
            )
    assert (tmp_path / ".calendly-export" / "checkpoint.json").exists()
    assert not (tmp_path / "scheduled_events.ndjson").exists()


async def test_stale_tokens_in_the_events_listing(tmp_path: Path) -> None:
    """Dense windows (several pages each); half the page-token requests are refused."""
    mock = MockCalendly(seed=7, events=600, invitees_per_event=1, start=START, days=3, **BIG)
    requests = Requests().install(mock)
    async with mock:
        events, invitees = await _expected(mock)
        mock.route_faults["GET /scheduled_events"] = Faults(stale_page_token_rate=0.5)
        async with client_for(mock) as client:
            summary = await export(client, tmp_path, concurrency=4, windows=2)
    _assert_exact(tmp_path, events, invitees)
    assert summary.stale_restarts >= 2
    assert requests.statuses[400] == summary.stale_restarts


async def test_stale_tokens_in_an_invitee_listing(tmp_path: Path) -> None:
    """Group events with hundreds of invitees (several pages each)."""
    mock = MockCalendly(seed=8, events=3, invitees_per_event=250, start=START, days=2)
    requests = Requests().install(mock)
    async with mock:
        events, invitees = await _expected(mock)
        assert len(invitees) == 750
        mock.route_faults["GET /scheduled_events/{uuid}/invitees"] = Faults(
            stale_page_token_rate=0.5
        )
        async with client_for(mock) as client:
            summary = await export(client, tmp_path, concurrency=4)
    _assert_exact(tmp_path, events, invitees)
    assert summary.stale_restarts >= 1
    assert requests.statuses[400] == summary.stale_restarts


def test_stale_page_token_recognised_by_its_detail() -> None:
    detail = ErrorDetail(parameter="page_token", message="page_token is invalid")
    stale = BadRequestError(status=400, title="Invalid Argument", message="x", details=[detail])
    other = BadRequestError(
        status=400,
        title="Invalid Argument",
        message="x",
        details=[ErrorDetail(parameter="count", message="bad")],
    )
    assert is_stale_page_token(stale)
    assert not is_stale_page_token(other)
    assert not is_stale_page_token(ServerError(status=500, title="e", message="page_token"))
