"""Limits: a rate-limited export stays under the budget (few 429s) and takes about
requests / budget; memory holds a bounded number of records, whatever the total."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from export_support import Requests, client_for
from helpers import VirtualClock

from calendly_async.jobs import ExportProgress, Record, Table, export
from calendly_async.jobs._stats import eta_seconds
from calendly_async.mock import MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)


async def test_rate_limited_run_has_few_429s(tmp_path: Path) -> None:
    clock = VirtualClock()  # shared by client and mock; concurrent sleeps overlap
    budget = 30  # requests per minute
    mock = MockCalendly(
        seed=21, events=60, invitees_per_event=1, start=START, days=10, rate_limit=budget,
        clock=clock.clock, sleep=clock.sleep,
    )  # fmt: skip
    requests = Requests().install(mock)
    async with mock, client_for(mock, clock=clock.clock, sleep=clock.sleep) as client:
        started = clock.now
        summary = await export(
            client, tmp_path, organization=mock.organization_uri,
            since="2030-01-01T00:00:00Z", until="2030-01-11T00:00:00Z", concurrency=8,
            sleep=clock.sleep,
        )  # fmt: skip
        elapsed = clock.now - started
    assert summary.counts["scheduled_events"] == 60
    floor = (requests.total / budget - 1) * 60  # the last minute need not be waited out
    assert requests.statuses[429] <= 3
    assert floor <= elapsed <= 1.5 * floor + 60


class HoldingSink:
    """A sink that records the most records it was handed at once."""

    def __init__(self) -> None:
        self.most_at_once = 0
        self.total: dict[str, int] = {}
        self.committed = False

    def begin(self, table: Table) -> None:
        self.total[table.name] = 0

    def write(self, table: Table, records: Sequence[Record]) -> None:
        self.most_at_once = max(self.most_at_once, len(records))
        self.total[table.name] += len(records)

    def commit(self) -> list[Path]:
        self.committed = True
        return []

    def abort(self) -> None:
        raise AssertionError("not expected")


async def test_items_in_memory_are_bounded(tmp_path: Path) -> None:
    per_event, concurrency = 5, 4
    mock = MockCalendly(
        seed=22, events=600, invitees_per_event=per_event, start=START, days=5,
        rate_limit=1_000_000,
    )  # fmt: skip
    sink = HoldingSink()
    async with mock, client_for(mock) as client:
        summary = await export(client, tmp_path, concurrency=concurrency, sinks=[sink])
    assert sink.committed
    assert sink.total == {"scheduled_events": 600, "invitees": 3000}
    assert sink.most_at_once <= 1000  # assembled in batches, never a whole table
    lanes = max(1, concurrency // 4)
    # Fetched and not yet committed: one events page per lane, one invitee page per
    # listing in flight -- never the export's 3,600 records.
    assert 0 < summary.peak_items_held <= 100 * lanes + per_event * concurrency
    assert not list(tmp_path.glob("*.ndjson"))  # noqa: ASYNC240 - only the given sink wrote


def test_eta_from_pace_and_from_budget_while_rate_limited() -> None:
    base = dict(
        windows_done=1, windows_total=4, events=10, invitees=20, requests=100, retries=0,
        rate_limited=0, rate_limit_wait=0.0, elapsed=10.0,
    )  # fmt: skip
    assert eta_seconds(ExportProgress(**base, fraction=0.0)) is None  # type: ignore[arg-type]
    assert eta_seconds(ExportProgress(**base, fraction=0.25)) == pytest.approx(30.0)  # type: ignore[arg-type]
    limited = ExportProgress(
        **base,
        fraction=0.25,
        rate_limit_remaining=0,
        rate_limit_reset=20.0,  # type: ignore[arg-type]
        rate_limit_budget=60,
    )
    # 300 requests left at 60 a minute, plus the 20 s wait in progress.
    assert eta_seconds(limited) == pytest.approx(320.0)
