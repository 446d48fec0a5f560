"""Crash safety and resume: kill -9 mid-way never leaves a torn file, ``--resume``
finishes with exactly the data of an uninterrupted run at little extra cost, an
unfinished DIR is refused without ``--resume``, a finished one is refreshed."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from export_support import (
    Requests,
    client_for,
    csv_rows,
    every_format,
    ndjson,
    output_bytes,
    plain_listing,
    sqlite_records,
)

from calendly_async import cli
from calendly_async.errors import InvalidInputError
from calendly_async.jobs import (
    ExportProgress,
    NdjsonSink,
    Record,
    Table,
    UnfinishedExportError,
    export,
)
from calendly_async.mock import Faults, MockCalendly

START = datetime(2030, 1, 1, tzinfo=UTC)
SINCE, UNTIL = "2030-01-01T00:00:00.000000Z", "2030-01-11T00:00:00.000000Z"
OUTPUTS = (
    "scheduled_events.ndjson",
    "invitees.ndjson",
    "scheduled_events.csv",
    "invitees.csv",
    "calendly.sqlite",
)


class Interrupt(Exception):
    """Stands in for a crash after some progress."""


def _stop_after(events: int) -> Any:
    def on_progress(progress: ExportProgress) -> None:
        if progress.events >= events:
            raise Interrupt

    return on_progress


def _checkpoint_events(directory: Path) -> int:
    try:
        data = msgspec.json.decode((directory / ".calendly-export/checkpoint.json").read_bytes())
    except (FileNotFoundError, msgspec.DecodeError):
        return 0
    return sum(window["events"] for window in data["windows"])


def _snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(directory)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(directory.rglob("*"))
    }


def _sqlite_all(directory: Path) -> dict[str, list[Any]]:
    with sqlite3.connect(directory / "calendly.sqlite") as db:
        return {
            table: db.execute(f"SELECT * FROM {table} ORDER BY uri").fetchall()
            for table in ("scheduled_events", "invitees")
        }


def _cli_args(mock: MockCalendly, out: Path, *extra: str) -> list[str]:
    return [
        "--token", mock.token, "--base-url", mock.url, "export",
        "--organization", mock.organization_uri, "--since", SINCE, "--until", UNTIL,
        "--out", str(out), "--concurrency", "8", *extra,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("events", "per_event"),
    [
        pytest.param(1000, 1, id="dense: 100 events a day"),
        pytest.param(250, 4, id="sparser: 25 events a day, 4 invitees each"),
    ],
)
async def test_kill_9_then_resume(tmp_path: Path, events: int, per_event: int) -> None:
    """The subprocess is killed with SIGKILL a third of the way through, then resumed."""
    mock = MockCalendly(
        seed=11, events=events, invitees_per_event=per_event, start=START, days=10,
        rate_limit=1_000_000,
    )  # fmt: skip
    third = events // 3
    requests = Requests().install(mock)
    async with mock:
        baseline = tmp_path / "baseline"
        async with client_for(mock) as client:
            await export(
                client, baseline, organization=mock.organization_uri, since=SINCE, until=UNTIL,
                concurrency=8,
            )  # fmt: skip
        uninterrupted = requests.total

        requests.total = 0
        mock.faults = Faults(latency_ms=4)  # slow enough to be killed mid-way
        out = tmp_path / "killed"
        command = [sys.executable, "-m", "calendly_async", *_cli_args(mock, out)]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        while _checkpoint_events(out) < third and process.returncode is None:  # noqa: ASYNC110
            await asyncio.sleep(0.005)  # polls a file another process writes
        assert process.returncode is None, "the export finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        await process.wait()
        assert process.returncode == -signal.SIGKILL
        done_when_killed = _checkpoint_events(out)
        assert third <= done_when_killed < events
        for name in OUTPUTS:  # nothing half-written: no final file exists yet
            assert not (out / name).exists()

        mock.faults = Faults()
        refused = await asyncio.to_thread(cli.main, _cli_args(mock, out))
        assert refused == 2

        resumed = await asyncio.create_subprocess_exec(
            *command, "--resume", stdout=asyncio.subprocess.PIPE
        )
        stdout, _ = await resumed.communicate()
        assert resumed.returncode == 0
        assert b"(resumed)" in stdout
        killed_and_resumed = requests.total

    assert output_bytes(out) == output_bytes(baseline)
    assert _sqlite_all(out) == _sqlite_all(baseline)
    assert len(ndjson(out, "scheduled_events")) == events
    assert len(ndjson(out, "invitees")) == events * per_event
    ratio = killed_and_resumed / uninterrupted
    print(f"requests: uninterrupted {uninterrupted}, killed+resumed {killed_and_resumed}, "
          f"ratio {ratio:.3f}, {done_when_killed} events done at the kill")  # fmt: skip
    assert ratio <= 1.3


async def test_interrupted_then_resumed_in_process(tmp_path: Path) -> None:
    mock = MockCalendly(
        seed=12, events=300, invitees_per_event=2, start=START, days=10, rate_limit=1_000_000
    )
    requests = Requests().install(mock)
    async with mock, client_for(mock) as client:
        events, invitees = await plain_listing(mock, SINCE, UNTIL)
        options: dict[str, Any] = {
            "organization": mock.organization_uri, "since": SINCE, "until": UNTIL,
            "concurrency": 8,
        }  # fmt: skip
        requests.total = 0
        await export(client, tmp_path / "whole", **options)
        whole = requests.total

        requests.total = 0
        out = tmp_path / "parts"
        with pytest.raises(Interrupt):
            await export(client, out, on_progress=_stop_after(100), **options)
        assert 100 <= _checkpoint_events(out) < 300
        with pytest.raises(UnfinishedExportError, match="--resume"):
            await export(client, out, **options)
        with pytest.raises(InvalidInputError, match="--resume continues"):
            await export(client, out, resume=True, **{**options, "since": "2030-01-02T00:00:00Z"})
        summary = await export(client, out, resume=True, **options)
        parts = requests.total
    assert summary.resumed
    assert summary.counts == {"scheduled_events": len(events), "invitees": len(invitees)}
    for table, expected in (("scheduled_events", events), ("invitees", invitees)):
        assert every_format(out, table)["ndjson"] == expected
    assert output_bytes(out) == output_bytes(tmp_path / "whole")
    assert parts <= 1.1 * whole


async def test_unfinished_dir_refused_and_untouched(tmp_path: Path) -> None:
    mock = MockCalendly(seed=13, events=60, start=START, days=10)
    async with mock:
        async with client_for(mock) as client:
            with pytest.raises(Interrupt):
                await export(client, tmp_path, on_progress=_stop_after(1))
        before = _snapshot(tmp_path)
        args = ["--token", mock.token, "--base-url", mock.url, "export", "--out", str(tmp_path)]
        code = await asyncio.to_thread(cli.main, args)
    assert code == 2
    assert _snapshot(tmp_path) == before


def test_refusal_message_names_resume_and_starting_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / ".calendly-export"
    work.mkdir()
    (work / "checkpoint.json").write_bytes(
        msgspec.json.encode({
            "version": 1, "finished": False, "windows": [], "extras_done": [],
            "plan": {"organization": "https://api.calendly.com/organizations/O", "user": None,
                     "since": SINCE, "until": UNTIL, "windows": [], "includes": []},
        })
    )  # fmt: skip
    code = cli.main(["--token", "t", "export", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--resume" in err
    assert "delete" in err
    assert str(tmp_path) in err
    assert "Traceback" not in err


async def test_rerun_on_finished_dir_refreshes(tmp_path: Path) -> None:
    now = datetime(2029, 12, 1, tzinfo=UTC).timestamp()
    mock = MockCalendly(seed=14, events=80, invitees_per_event=2, start=START, days=10,
                        clock=lambda: now)  # fmt: skip
    async with mock, client_for(mock) as client:
        first = await export(client, tmp_path)
        active = next(e for e in mock.state.events.values() if e.status == "active")
        await client.scheduled_events.cancel(active.uri, reason="moved")
        second = await export(client, tmp_path)
    assert second.counts == first.counts  # refreshed, not doubled
    formats = every_format(tmp_path, "scheduled_events")
    assert formats["ndjson"][active.uri]["status"] == "canceled"
    assert formats["sqlite"][active.uri]["status"] == "canceled"
    assert formats["csv"][active.uri]["status"] == "canceled"
    assert formats["csv"][active.uri]["cancel_reason"] == "moved"
    with sqlite3.connect(tmp_path / "calendly.sqlite") as db:
        (status,) = db.execute(
            "SELECT status FROM scheduled_events WHERE uri = ?", (active.uri,)
        ).fetchone()
        assert status == "canceled"
        (count,) = db.execute("SELECT count(*) FROM scheduled_events").fetchone()
        assert count == 80
    invitees = [r for r in csv_rows(tmp_path, "invitees") if r["event"] == active.uri]
    assert invitees
    assert all(r["status"] == "canceled" for r in invitees)
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


class FailingSink:
    """A sink that fails half-way through the first table (a crash while assembling)."""

    def begin(self, table: Table) -> None:
        pass

    def write(self, table: Table, records: Sequence[Record]) -> None:
        raise OSError("disk full")

    def commit(self) -> list[Path]:
        raise AssertionError("never reached")

    def abort(self) -> None:
        pass


async def test_a_failed_refresh_leaves_the_previous_files_whole(tmp_path: Path) -> None:
    mock = MockCalendly(seed=15, events=50, start=START, days=10)
    async with mock, client_for(mock) as client:
        await export(client, tmp_path, formats="ndjson,csv")
        before = output_bytes(tmp_path)
        with pytest.raises(OSError, match="disk full"):
            await export(client, tmp_path, sinks=[NdjsonSink(tmp_path), FailingSink()])
        assert output_bytes(tmp_path) == before
        assert not list(tmp_path.glob(".*.tmp"))  # noqa: ASYNC240 - the aborted temp files
        # Staging survived: the unfinished export resumes without fetching anything again.
        summary = await export(client, tmp_path, resume=True, formats="ndjson,csv")
    assert summary.resumed
    assert summary.requests == 0
    assert output_bytes(tmp_path) == before


async def test_an_empty_range_writes_empty_tables(tmp_path: Path) -> None:
    mock = MockCalendly(seed=16, events=20, start=START, days=5)
    async with mock, client_for(mock) as client:
        summary = await export(
            client, tmp_path, since="2031-01-01T00:00:00Z", formats="csv,ndjson,sqlite"
        )
    assert summary.counts == {"scheduled_events": 0, "invitees": 0}
    assert (tmp_path / "scheduled_events.ndjson").read_bytes() == b""
    assert csv_rows(tmp_path, "invitees") == []
    assert (tmp_path / "invitees.csv").read_text().startswith("uri,event,")
    assert sqlite_records(tmp_path, "scheduled_events") == {}
