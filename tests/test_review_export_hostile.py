"""Review of the bulk export (issue 8) against a hostile server on loopback: out-of-window
and out-of-order events, integers SQLite cannot hold, and ranges at the end of year 9999."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from conftest import Serve
from export_support import ndjson, plain_listing

from calendly_async import Calendly, DecodeError, InvalidInputError, RetryPolicy
from calendly_async.jobs import export
from calendly_async.jobs._plan import plan_windows
from calendly_async.jobs._sinks import NdjsonSink, Record
from calendly_async.jobs._tables import Table
from calendly_async.mock import MockCalendly

API = "https://api.calendly.com"
ORG = f"{API}/organizations/ORG"
RANGE = {"since": "2030-01-01T00:00:00Z", "until": "2030-01-02T00:00:00Z"}


def _event(uuid: str, start: str, **extra: Any) -> dict[str, Any]:
    return {"uri": f"{API}/scheduled_events/{uuid}", "start_time": start, **extra}


async def _server(serve: Serve, pages: list[list[dict[str, Any]]]) -> str:
    """Events in ``pages`` (whatever the query asks), no invitees."""

    async def events(request: web.Request) -> web.Response:
        index = int(request.query.get("page_token", "0"))
        following = str(index + 1) if index + 1 < len(pages) else None
        return web.json_response(
            {"collection": pages[index], "pagination": {"next_page_token": following}}
        )

    async def invitees(request: web.Request) -> web.Response:
        return web.json_response({"collection": [], "pagination": {"next_page_token": None}})

    app = web.Application()
    app.router.add_get("/scheduled_events", events)
    app.router.add_get("/scheduled_events/{uuid}/invitees", invitees)
    return await serve(app)


async def _no_wait(seconds: float) -> None:
    return None


async def _export(base: str, out: Path, **options: Any) -> Any:
    async with Calendly(token="t", base_url=base, retry=RetryPolicy(max_retries=0)) as client:
        return await export(
            client, out, organization=ORG, windows=1, sleep=_no_wait, **RANGE, **options
        )


async def test_an_event_after_the_window_hides_no_later_event(serve: Serve, tmp_path: Path) -> None:
    # Page 1 holds an event past the window's end; before the fix it moved the cursor
    # there and event B on page 2 was skipped as "already done": silently lost.
    base = await _server(
        serve,
        [
            [_event("A", "2030-01-01T01:00:00Z"), _event("X", "2030-01-05T00:00:00Z")],
            [_event("B", "2030-01-01T02:00:00Z")],
        ],
    )
    summary = await _export(base, tmp_path, formats="ndjson")
    uris = [record["uri"] for record in ndjson(tmp_path, "scheduled_events")]
    assert uris == [f"{API}/scheduled_events/A", f"{API}/scheduled_events/B"]
    assert summary.counts["scheduled_events"] == 2


async def test_events_out_of_start_time_order_are_a_decode_error(
    serve: Serve, tmp_path: Path
) -> None:
    base = await _server(
        serve,
        [
            [_event("A", "2030-01-01T01:00:00Z"), _event("C", "2030-01-01T03:00:00Z")],
            [_event("B", "2030-01-01T02:00:00Z")],
        ],
    )
    with pytest.raises(DecodeError, match="not in start_time order"):
        await _export(base, tmp_path, formats="ndjson", window_attempts=2)
    assert not (tmp_path / "scheduled_events.ndjson").exists()


async def test_an_integer_beyond_64_bits_does_not_break_the_sqlite_file(
    serve: Serve, tmp_path: Path
) -> None:
    huge = 10**20
    counter = {"total": huge, "active": 1, "limit": 1}
    base = await _server(serve, [[_event("A", "2030-01-01T01:00:00Z", invitees_counter=counter)]])
    # Before the fix: OverflowError from sqlite3 in the assembly, on every resume too.
    summary = await _export(base, tmp_path)
    assert summary.counts["scheduled_events"] == 1
    with sqlite3.connect(tmp_path / "calendly.sqlite") as db:
        row = db.execute("SELECT invitees_total, invitees_active FROM scheduled_events").fetchone()
    assert row == (str(huge), 1)
    assert ndjson(tmp_path, "scheduled_events")[0]["invitees_counter"]["total"] == huge


def test_windows_at_the_end_of_year_9999_do_not_overflow() -> None:
    windows = plan_windows("9999-12-31T23:00:00Z", "9999-12-31T23:30:00Z", 4)
    assert [(w.start, w.end) for w in windows] == [
        ("9999-12-31T23:00:00.000000Z", "9999-12-31T23:30:00.000000Z")
    ]
    spread = plan_windows("9999-12-31T00:00:00Z", "9999-12-31T23:59:59.999999Z", 3)
    assert spread[-1].end == "9999-12-31T23:59:59.999999Z"
    assert all(a.end == b.start for a, b in itertools.pairwise(spread))


class _BlockingSink:
    """An NDJSON sink whose first write blocks (in the assembly thread) until released."""

    def __init__(self, directory: Path) -> None:
        self.inner = NdjsonSink(directory)
        self.entered = threading.Event()
        self.release = threading.Event()
        self.ended: list[str] = []

    def begin(self, table: Table) -> None:
        self.inner.begin(table)

    def write(self, table: Table, records: Sequence[Record]) -> None:
        self.entered.set()
        self.release.wait(10)
        self.inner.write(table, records)

    def commit(self) -> list[Path]:
        self.ended.append("commit")
        return self.inner.commit()

    def abort(self) -> None:
        self.ended.append("abort")
        self.inner.abort()


async def test_cancelled_during_assembly_waits_for_its_thread_then_resumes(
    tmp_path: Path,
) -> None:
    mock = MockCalendly(seed=2, events=20, invitees_per_event=2, rate_limit=1_000_000)
    async with mock, Calendly(token=mock.token, base_url=mock.url) as client:
        sink = _BlockingSink(tmp_path)
        task = asyncio.create_task(
            export(client, tmp_path, organization=mock.organization_uri, sinks=[sink])
        )
        assert await asyncio.to_thread(sink.entered.wait, 10)
        task.cancel()
        # Before the fix the task ended at once while its thread went on writing (and,
        # on abort, deleting) the temporary files a resume writes too.
        done, _ = await asyncio.wait({task}, timeout=0.3)
        assert not done
        sink.release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert sink.ended == ["abort"]
        assert not await asyncio.to_thread(lambda: list(tmp_path.glob(".*.tmp")))
        summary = await export(
            client, tmp_path, organization=mock.organization_uri, resume=True, formats="ndjson"
        )
        events, invitees = await plain_listing(mock)
    assert summary.resumed
    assert {r["uri"]: r for r in ndjson(tmp_path, "scheduled_events")} == events
    assert {r["uri"]: r for r in ndjson(tmp_path, "invitees")} == invitees


@pytest.mark.parametrize("body", [b"[]", b'"x"', b"7"])
async def test_a_checkpoint_that_is_not_an_object_is_invalid_input(
    tmp_path: Path, body: bytes
) -> None:
    (tmp_path / ".calendly-export").mkdir()
    (tmp_path / ".calendly-export" / "checkpoint.json").write_bytes(body)
    mock = MockCalendly(seed=1)
    async with mock, Calendly(token=mock.token, base_url=mock.url) as client:
        # Was AttributeError ('list' object has no attribute 'get'): a traceback in the CLI.
        with pytest.raises(InvalidInputError, match="not a readable checkpoint"):
            await export(client, tmp_path, organization=mock.organization_uri, resume=True)
