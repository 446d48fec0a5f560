"""The PostgreSQL destination, on a real throwaway PostgreSQL server: the same tables
as the SQLite sink plus ``export_organization`` and a ``jsonb`` record, upserts, the
checkpoint in the database, kill -9 then resume from elsewhere, reruns refresh."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest
from export_support import client_for, plain_listing
from postgres_support import checkpoint_events, records, rows

from calendly_async import cli
from calendly_async._optional import MissingDependencyError
from calendly_async.errors import InvalidInputError
from calendly_async.jobs import TABLES, export
from calendly_async.jobs._postgres import CHECKPOINTS_TABLE, export_key, postgres_type
from calendly_async.mock import Faults, MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
SINCE, UNTIL = "2030-01-01T00:00:00.000000Z", "2030-01-11T00:00:00.000000Z"


def cli_args(mock: MockCalendly, dsn: str, *extra: str) -> list[str]:
    return [
        "--token", mock.token, "--base-url", mock.url, "export", "--database", dsn,
        "--organization", mock.organization_uri, "--since", SINCE, "--until", UNTIL,
        "--concurrency", "8", *extra,
    ]  # fmt: skip


async def test_postgres_holds_exactly_the_mock_data_with_typed_columns(database: str) -> None:
    mock = MockCalendly(seed=21, events=120, invitees_per_event=2, start=START, days=10)
    async with mock, client_for(mock) as client:
        events, invitees = await plain_listing(mock, SINCE, UNTIL)
        summary = await export(
            client, database=database, organization=mock.organization_uri, since=SINCE,
            until=UNTIL, include="event_types,memberships", concurrency=8,
        )  # fmt: skip
    assert await records(database, "scheduled_events") == events
    assert await records(database, "invitees") == invitees
    assert summary.counts == {
        "scheduled_events": len(events), "invitees": len(invitees),
        "event_types": len(await rows(database, "event_types")),
        "organization_memberships": len(await rows(database, "organization_memberships")),
    }  # fmt: skip
    assert summary.counts["event_types"] > 0
    assert summary.paths == []
    event_rows = await rows(database, "scheduled_events")
    for uri, row in event_rows.items():
        assert row["export_organization"] == mock.organization_uri
        assert isinstance(row["start_time"], datetime)
        assert row["start_time"] == datetime.fromisoformat(events[uri]["start_time"])
        assert row["status"] == events[uri]["status"]
        assert row["location_type"] == (events[uri].get("location") or {}).get("type")
        assert row["invitees_total"] == events[uri]["invitees_counter"]["total"]
        assert msgspec.json.decode(row["event_memberships"]) == events[uri]["event_memberships"]
    # The same column names as the SQLite sink, plus organization and record.
    conn = await asyncpg.connect(database)
    try:
        for table in TABLES.values():
            columns = await conn.fetch(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = $1 ORDER BY ordinal_position", table.name,
            )  # fmt: skip
            assert [c["column_name"] for c in columns] == [
                *table.column_names, "export_organization", "record",
            ]
            assert columns[-1]["data_type"] == "jsonb"
            for column, found in zip(table.columns, columns, strict=False):
                expected = postgres_type(column)
                assert found["data_type"] == {
                    "timestamptz": "timestamp with time zone"
                }.get(expected, expected)
        (finished,) = await conn.fetchrow(
            f"SELECT finished FROM {CHECKPOINTS_TABLE} WHERE key = $1",
            export_key(mock.organization_uri, None, SINCE, UNTIL),
        )
        assert finished is True
    finally:
        await conn.close()


async def test_kill_9_then_resume_from_another_place(database: str, tmp_path: Path) -> None:
    """The export is killed with SIGKILL mid-run, then resumed by another process in
    another directory: nothing on the first one's disk is needed."""
    mock = MockCalendly(
        seed=22, events=600, invitees_per_event=2, start=START, days=10, rate_limit=1_000_000
    )
    async with mock:
        expected_events, expected_invitees = await plain_listing(mock, SINCE, UNTIL)
        mock.faults = Faults(latency_ms=4)
        first, second = tmp_path / "machine-a", tmp_path / "machine-b"
        first.mkdir()
        second.mkdir()
        command = [sys.executable, "-m", "calendly_async", *cli_args(mock, database)]
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
        process = await asyncio.create_subprocess_exec(
            *command, cwd=first, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        while await checkpoint_events(database) < 150 and process.returncode is None:  # noqa: ASYNC110
            await asyncio.sleep(0.02)  # polls a row another process writes
        assert process.returncode is None, "the export finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        await process.wait()
        done_when_killed = await checkpoint_events(database)
        assert 150 <= done_when_killed < 600
        assert len(await rows(database, "scheduled_events")) < 600

        mock.faults = Faults()
        refused = await asyncio.to_thread(cli.main, cli_args(mock, database))
        assert refused == 2

        resumed = await asyncio.create_subprocess_exec(
            *command, "--resume", cwd=second, env=env, stdout=asyncio.subprocess.PIPE
        )
        stdout, _ = await resumed.communicate()
        assert resumed.returncode == 0
        assert b"(resumed)" in stdout
    assert await records(database, "scheduled_events") == expected_events
    assert await records(database, "invitees") == expected_invitees
    assert list(first.iterdir()) == [] and list(second.iterdir()) == []  # noqa: PT018
    assert await checkpoint_events(database) == 600


async def test_rerun_refreshes_a_canceled_event(database: str) -> None:
    now = datetime(2029, 12, 1, tzinfo=UTC).timestamp()
    mock = MockCalendly(
        seed=23, events=60, invitees_per_event=2, start=START, days=10, clock=lambda: now
    )
    async with mock, client_for(mock) as client:
        options: dict[str, Any] = {"database": database, "organization": mock.organization_uri}
        first = await export(client, **options)
        active = next(e for e in mock.state.events.values() if e.status == "active")
        await client.scheduled_events.cancel(active.uri, reason="moved")
        second = await export(client, **options)
        events, invitees = await plain_listing(mock)
    assert second.counts == first.counts == {"scheduled_events": 60, "invitees": 120}
    assert not second.resumed
    stored = await rows(database, "scheduled_events")
    assert stored[active.uri]["status"] == "canceled"
    assert stored[active.uri]["cancel_reason"] == "moved"
    assert await records(database, "scheduled_events") == events
    assert await records(database, "invitees") == invitees
    canceled = [r for r in (await rows(database, "invitees")).values() if r["event"] == active.uri]
    assert canceled
    assert all(r["status"] == "canceled" for r in canceled)


async def test_two_organisations_share_the_tables_each_row_names_its_own(database: str) -> None:
    one = MockCalendly(seed=24, events=30, start=START, days=10)
    two = MockCalendly(seed=25, events=40, start=START, days=10)
    async with one, two, client_for(one) as first, client_for(two) as second:
        await asyncio.gather(
            export(first, database=database, organization=one.organization_uri),
            export(second, database=database, organization=two.organization_uri),
        )
        expected_one, _ = await plain_listing(one)
        expected_two, _ = await plain_listing(two)
    stored = await rows(database, "scheduled_events")
    assert len(stored) == 70
    for mock, expected in ((one, expected_one), (two, expected_two)):
        owner = mock.organization_uri
        assert {u for u, r in stored.items() if r["export_organization"] == owner} == set(expected)
    conn = await asyncpg.connect(database)
    try:
        keys = {r[0] for r in await conn.fetch(f"SELECT key FROM {CHECKPOINTS_TABLE}")}
    finally:
        await conn.close()
    assert keys == {export_key(one.organization_uri, None, None, None),
                    export_key(two.organization_uri, None, None, None)}  # fmt: skip


async def test_bad_database_arguments_are_refused_before_any_request(database: str) -> None:
    mock = MockCalendly(seed=26, events=5)
    async with mock, client_for(mock) as client:
        with pytest.raises(InvalidInputError, match="needs organization"):
            await export(client, database=database)
        with pytest.raises(InvalidInputError, match="exactly one"):
            await export(client, "dir", database=database, organization=mock.organization_uri)
        with pytest.raises(InvalidInputError, match="postgresql://"):
            await export(client, database="mysql://x", organization=mock.organization_uri)
        with pytest.raises(InvalidInputError, match="formats"):
            await export(
                client, database=database, organization=mock.organization_uri, formats="csv"
            )
        assert client.stats.requests_sent == 0


async def test_missing_asyncpg_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)
    mock = MockCalendly(seed=27, events=5)
    async with mock, client_for(mock) as client:
        with pytest.raises(MissingDependencyError, match=r"calendly-async\[postgres\]"):
            await export(client, database="postgresql://u:secret@127.0.0.1:1/db",
                         organization=mock.organization_uri)  # fmt: skip
    args = ["--token", "t", "export", "--organization", "O",
            "--database", "postgresql://u:secret@127.0.0.1:1/db"]  # fmt: skip
    code = await asyncio.to_thread(cli.main, args)
    err = capsys.readouterr().err
    assert code == 1
    assert "calendly-async[postgres]" in err
    assert "secret" not in err
    assert len(err.strip().splitlines()) == 1
