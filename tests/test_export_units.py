"""The export's pure pieces and small stores: windows, columns, cursor, batching,
staging upserts, atomic checkpoints."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from calendly_async.errors import InvalidInputError
from calendly_async.jobs import TABLES, Checkpoint, FileCheckpointStore, Plan, Scope, plan_windows
from calendly_async.jobs._checkpoint import WindowState
from calendly_async.jobs._plan import parse_formats, parse_includes
from calendly_async.jobs._raw import compact
from calendly_async.jobs._staging import StagedRecord, Staging
from calendly_async.jobs._tables import cell, flat_row
from calendly_async.jobs._writer import BatchWriter


def test_windows_cover_the_range_once_end_exclusive() -> None:
    windows = plan_windows("2030-01-01T00:00:00Z", "2030-01-11T00:00:00Z", 4)
    assert len(windows) == 4
    assert windows[0].start == "2030-01-01T00:00:00.000000Z"
    assert windows[-1].end == "2030-01-11T00:00:00.000000Z"
    for before, after in itertools.pairwise(windows):
        assert before.end == after.start  # [a, b) then [b, c): nothing in two windows
    assert [w.index for w in windows] == [0, 1, 2, 3]


def test_windows_never_shorter_than_an_hour() -> None:
    windows = plan_windows("2030-01-01T00:00:00Z", "2030-01-01T02:30:00Z", 100)
    assert [w.start[11:16] for w in windows] == ["00:00", "01:00", "02:00"]
    assert windows[-1].end == "2030-01-01T02:30:00.000000Z"


@pytest.mark.parametrize(
    ("since", "until", "count"),
    [
        ("2030-01-02T00:00:00Z", "2030-01-01T00:00:00Z", 4),  # empty range
        ("2030-01-01T00:00:00", "2030-01-02T00:00:00Z", 4),  # naive
        ("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z", 0),
        ("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z", True),
    ],
)
def test_bad_windows_refused(since: str, until: str, count: int) -> None:
    with pytest.raises(InvalidInputError):
        plan_windows(since, until, count)


def test_formats_and_includes_are_checked_and_ordered() -> None:
    assert parse_formats(None) == ("ndjson", "csv", "sqlite")
    assert parse_formats("sqlite, ndjson") == ("ndjson", "sqlite")
    assert parse_includes(["routing_forms", "event_types"]) == ("event_types", "routing_forms")
    with pytest.raises(InvalidInputError, match="unknown format parquet"):
        parse_formats("parquet")
    with pytest.raises(InvalidInputError):
        parse_formats("")


def test_plan_round_trips_through_json() -> None:
    plan = Plan(
        scope=Scope(organization="https://api.calendly.com/organizations/O"),
        since="2030-01-01T00:00:00.000000Z",
        until="2030-01-02T00:00:00.000000Z",
        windows=plan_windows("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z", 3),
        includes=("memberships",),
    )
    assert Plan.from_json(plan.to_json()) == plan
    with pytest.raises(InvalidInputError):
        Scope()


def test_cells_flatten_nested_values_and_keep_scalars() -> None:
    record = {
        "uri": "u",
        "location": {"type": "zoom", "join_url": None},
        "questions_and_answers": [{"question": "Q", "answer": "A", "position": 0}],
        "rescheduled": False,
        "unknown": 1.5,
    }
    assert cell(record, ("location", "type")) == "zoom"
    assert cell(record, ("location", "join_url")) is None
    assert cell(record, ("cancellation", "reason")) is None  # absent parent
    assert cell(record, ("questions_and_answers",)) == (
        '[{"question":"Q","answer":"A","position":0}]'
    )
    assert cell(record, ("rescheduled",)) is False
    row = flat_row(TABLES["invitees"], record)
    assert row[0] == "u"
    assert len(row) == len(TABLES["invitees"].columns)
    assert all(table.columns[0].name == "uri" for table in TABLES.values())


def test_cursor_marks_events_done_in_start_time_order() -> None:
    state = WindowState()
    noon = datetime(2030, 1, 1, 12, tzinfo=UTC)
    state.advance(noon, "A")
    state.advance(noon, "B")  # same start time: both remembered
    assert state.cursor == "2030-01-01T12:00:00.000000Z"
    assert state.seen == ["A", "B"]
    assert state.finished(noon, "A")
    assert not state.finished(noon, "C")  # same start, not done yet
    assert state.finished(noon - timedelta(seconds=1), "Z")
    assert not state.finished(noon + timedelta(seconds=1), "A")
    state.advance(noon + timedelta(hours=1), "D")
    assert state.seen == ["D"]
    assert state.events == 3


def test_compact_keeps_one_line_json_as_is() -> None:
    assert compact(b'{"a":1}') == b'{"a":1}'
    assert compact(b'{\n  "a": [1,\n 2]\n}') == b'{"a":[1,2]}'


async def test_batch_writer_coalesces_and_reports_failures() -> None:
    batches: list[list[int]] = []
    fail = threading.Event()

    def commit(records: Sequence[int]) -> None:
        if fail.is_set():
            raise OSError("disk full")
        batches.append(list(records))

    writer: BatchWriter[int] = BatchWriter(commit, max_batch=5)
    writer.start()
    await asyncio.gather(*(writer.write([i, i]) for i in range(6)))
    assert sorted(x for batch in batches for x in batch) == sorted(list(range(6)) * 2)
    assert len(batches) < 6  # concurrent writes shared transactions
    assert all(len(batch) <= 5 for batch in batches)
    assert writer.peak_held >= 4 and writer.held == 0  # noqa: PT018
    fail.set()
    with pytest.raises(OSError, match="disk full"):
        await writer.write([9])
    await writer.aclose()


def test_staging_upserts_by_uri_and_streams_in_order(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "s.sqlite")
    staging.open()
    staging.write([StagedRecord("t", "b", "2", b'{"v":1}'), StagedRecord("t", "a", "1", b"{}")])
    staging.write([StagedRecord("t", "b", "2", b'{"v":2}')])  # a second copy replaces
    assert staging.counts() == {"t": 2}
    assert [row for batch in staging.stream("t", batch=1) for row in batch] == [b"{}", b'{"v":2}']
    staging.remove()
    assert not list(tmp_path.iterdir())


def test_checkpoint_file_is_replaced_whole(tmp_path: Path) -> None:
    store = FileCheckpointStore(tmp_path / "cp" / "checkpoint.json")
    assert store.load() is None
    plan = Plan(Scope(user="https://api.calendly.com/users/U"), "a", "b", ())
    checkpoint = Checkpoint.start(plan)
    checkpoint.extras_done.append("memberships")
    store.save(checkpoint)
    store.save(checkpoint)
    assert store.load() == checkpoint
    assert [p.name for p in (tmp_path / "cp").iterdir()] == ["checkpoint.json"]  # no temp left
    (tmp_path / "cp" / "checkpoint.json").write_text("{not json")
    with pytest.raises(InvalidInputError, match="not a readable checkpoint"):
        store.load()
