"""benchmarks/: the one-command harness runs end to end on tiny sizes.

Structure only: every row is present, times and ratios are positive finite numbers,
the SDK and the raw loops did the same work (same item counts). Never a speed
threshold: tests do not depend on wall-clock speed.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import io
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgspec
import pytest
from helpers import fixture, page_body

from benchmarks import run as bench_run
from benchmarks._availability import AVAILABILITY_QUICK
from benchmarks._decode import decode_rows
from benchmarks._harness import QUICK
from benchmarks._measure import BenchmarkError, Measured, compare

TINY = replace(
    QUICK,
    events=250,  # three pages: 100, 100, 50
    users=1,
    event_types_per_user=2,
    days=40,  # two windows of at most 31 days
    latency_ms=1.0,
    runs=2,
    decode_repeats=2,
    decode_min_seconds=0.0,
    export_events=30,
    export_budget=10,
)

TINY_AVAILABILITY = replace(
    AVAILABILITY_QUICK, users=1, slot_days=40, free_weeks=2, events=20, latency_ms=1.0, runs=2
)

BENCHMARKS = [
    "decode",
    "paginate",
    "fanout",
    "fanout_latency",
    "export",
    "export_rate_limited",
    "avail_slots",
    "avail_free",
]
VARIANTS = {
    "decode": {
        "msgspec.json.decode -> dicts",
        "calendly_async decode_page_body -> ScheduledEvent",
        "json.loads -> dicts",
        "pydantic v2 model_validate_json (mirror models)",
        "calendly-py 0.0.2 (Speakeasy, sync)",
    },
    "paginate": {
        "raw aiohttp + msgspec -> dicts",
        "raw aiohttp + msgspec -> ScheduledEvent",
        "calendly_async list().collect() (read-ahead)",
        "calendly-py 0.0.2 (Speakeasy, sync)",
    },
    "fanout": {
        "raw aiohttp + msgspec, sequential",
        "calendly_async available_times, all concurrent",
        "calendly_async, event types one by one",
        "calendly-py 0.0.2 (Speakeasy, sync), sequential",
    },
}
VARIANTS["fanout_latency"] = VARIANTS["fanout"]
VARIANTS["avail_slots"] = {
    "sequential loop of SDK calls",
    "jobs open_slots, max_concurrency=8",
    "jobs open_slots, max_concurrency=32",
}
VARIANTS["avail_free"] = {
    "sequential loop of SDK calls",
    "jobs free_time, max_concurrency=8",
    "jobs free_time, max_concurrency=32",
}
VARIANTS["export"] = {
    "raw aiohttp + msgspec, sequential (no files)",
    "calendly_async jobs.export, defaults, 3 formats",
}
VARIANTS["export_rate_limited"] = {
    "floor: requests / budget",
    "calendly_async jobs.export, defaults",
}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    """``run.py --quick --json PATH`` with the quick sizes shrunk: (stdout, JSON report)."""
    out = tmp_path_factory.mktemp("bench") / "report.json"
    stdout = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bench_run, "QUICK", TINY)
        patch.setattr(bench_run, "AVAILABILITY_QUICK", TINY_AVAILABILITY)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
            status = bench_run.main(["--quick", "--json", str(out)])
    assert status == 0
    return stdout.getvalue(), msgspec.json.decode(out.read_bytes())


def _rows(report: dict[str, Any], benchmark: str) -> list[dict[str, Any]]:
    return [row for row in report["rows"] if row["benchmark"] == benchmark]


def _measured(row: dict[str, Any]) -> bool:
    return row["median_s"] is not None


def test_every_benchmark_reports_its_variants_with_one_baseline_first(
    cli_run: tuple[str, dict[str, Any]],
) -> None:
    _, report = cli_run
    assert [row["benchmark"] for row in report["rows"]] == sorted(
        (row["benchmark"] for row in report["rows"]), key=BENCHMARKS.index
    )
    for benchmark in BENCHMARKS:
        rows = _rows(report, benchmark)
        assert {row["variant"] for row in rows} == VARIANTS[benchmark]
        assert [row["baseline"] for row in rows].count(True) == 1
        assert rows[0]["baseline"]
        assert rows[0]["ratio"] == 1.0


def test_measured_rows_hold_positive_finite_times_and_ratios(
    cli_run: tuple[str, dict[str, Any]],
) -> None:
    _, report = cli_run
    measured = [row for row in report["rows"] if _measured(row)]
    assert len(measured) >= 12  # the SDK and baseline rows never depend on extras
    for row in measured:
        for key in ("median_s", "min_s", "max_s", "ratio", "items_per_s"):
            assert math.isfinite(row[key]), (row["variant"], key)
            assert row[key] > 0, (row["variant"], key)
        assert row["min_s"] <= row["median_s"] <= row["max_s"]
        expected_runs = TINY.decode_repeats if row["benchmark"] == "decode" else TINY.runs
        assert row["runs"] == expected_runs


def test_sdk_and_raw_paths_did_the_same_work(cli_run: tuple[str, dict[str, Any]]) -> None:
    _, report = cli_run
    counts = {
        benchmark: {row["items"] for row in _rows(report, benchmark) if _measured(row)}
        for benchmark in BENCHMARKS
    }
    assert counts["decode"] == {TINY.page_size}
    assert counts["paginate"] == {TINY.events}
    (slots,) = counts["fanout"]
    assert slots > 0
    assert counts["fanout_latency"] == {slots}
    (records,) = counts["export"]
    assert records > TINY.export_events  # every event and its invitee
    assert counts["export_rate_limited"] == {records}


def test_optional_rows_are_measured_when_installed_else_skipped_with_a_reason(
    cli_run: tuple[str, dict[str, Any]],
) -> None:
    _, report = cli_run
    try:
        importlib.metadata.version("calendly-py")
        peer_installed = True
    except importlib.metadata.PackageNotFoundError:
        peer_installed = False
    pydantic_installed = importlib.util.find_spec("pydantic") is not None
    for row in report["rows"]:
        if row["variant"].startswith("pydantic"):
            assert _measured(row) == pydantic_installed
            assert pydantic_installed or "pydantic" in row["note"]
        if row["variant"].startswith("calendly-py"):
            # Installed in an environment it cannot import into, it is skipped too.
            assert _measured(row) or "calendly-py" in row["note"]
            assert peer_installed or not _measured(row)
        if not _measured(row):
            assert row["ratio"] is None
            assert row["items"] is None
            assert row["note"]


def test_table_prints_every_row_with_its_ratio(cli_run: tuple[str, dict[str, Any]]) -> None:
    table, report = cli_run
    assert "quick mode" in table
    lines = table.splitlines()
    for row in report["rows"]:
        (line,) = [
            line
            for line in lines
            if line.startswith(row["benchmark"] + " ") and f" {row['variant']} " in f"{line} "
        ]
        if row["baseline"]:
            assert "[baseline]" in line
            assert " 1.00 " in line
        elif _measured(row):
            assert f" {row['ratio']:.2f} " in line
        else:
            assert row["note"] in line
    assert report["meta"]["mode"] == "quick"
    assert report["meta"]["settings"]["events"] == TINY.events


def test_decode_without_extras_reports_them_skipped_on_the_seed_page_shape() -> None:
    # A 100-item page built from the seed's own list_events example.
    body = msgspec.json.encode(page_body(fixture("list_events") * 100))
    rows = decode_rows(
        body,
        repeats=1,
        min_seconds=0.0,
        pydantic_models=None,
        pydantic_note="skipped: pydantic is not installed",
        peer=None,
        peer_note="skipped: calendly-py is not installed",
    )
    measured = [row for row in rows if row.median_s is not None]
    skipped = [row for row in rows if row.median_s is None]
    assert [row.items for row in measured] == [100, 100, 100]
    assert [row.note for row in skipped] == [
        "skipped: pydantic is not installed",
        "skipped: calendly-py is not installed",
    ]


def test_variants_that_did_different_work_are_refused_rather_than_compared() -> None:
    with pytest.raises(BenchmarkError, match="produced 99 items, the baseline 100"):
        compare("paginate", [Measured("raw", [1.0], 100), Measured("sdk", [0.5], 99)])


def test_command_line_options() -> None:
    args = bench_run.parse_args(["--quick", "--json", "out.json", "--no-peer"])
    assert (args.quick, args.json, args.no_peer, args.no_pydantic) == (
        True,
        Path("out.json"),
        True,
        False,
    )
    assert not bench_run.parse_args([]).quick
