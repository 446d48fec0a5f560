"""benchmarks/: ``python -m benchmarks`` runs every row end to end on tiny sizes.

Structure only: every row and its variants are present, figures are positive and
finite, variants did the same work (same item counts), the Markdown table and its
targets are written. Never a speed threshold: tests do not depend on wall-clock
speed, and a target may be met or missed here.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgspec
import pytest

from benchmarks import run as bench_run
from benchmarks._export_rows import RateLimitSettings, floor_seconds
from benchmarks._harness import QUICK, ROWS
from benchmarks._measure import BenchmarkError, Measured, compare

HAVE_PYDANTIC = importlib.util.find_spec("pydantic") is not None

TINY = replace(
    QUICK,
    runs=1,
    decode_repeats=1,
    decode_min_seconds=0.0,
    stream_invitees=250,  # three pages: 100, 100, 50
    latency_ms=1.0,
    requests=10,
    export_events=4,
    rate_limit=RateLimitSettings(events=4, budget=10, window_seconds=0.3, runs=1),
    availability=replace(
        QUICK.availability, users=1, slot_days=40, free_weeks=2, events=20, latency_ms=1.0, runs=1
    ),
    memory_pages=2,
    memory_events=20,
    memory_invitees_per_event=2,
    ceiling_requests=20,
)

BLOCKS = {
    "decode_invitees": 1,
    "decode_events": 1,
    "stream_0ms": 2,
    "stream_1ms": 2,
    "per_request": 3,
    "export": 4,
    "export_rate_limited": 5,
    "avail_slots": 6,
    "avail_free": 6,
    "memory": 7,
    "mock_ceiling_me": 8,
    "mock_ceiling_page": 8,
}
DECODERS = {
    "msgspec.json.decode -> dicts",
    "calendly_async decode_page_body -> Structs",
    "json.loads -> dicts",
    "orjson.loads -> dicts",
    "pydantic v2 model_validate_json (mirror models)",
}
STREAMS = {
    "raw aiohttp + msgspec -> Invitee Structs",
    "calendly_async async for item (read-ahead)",
    "calendly_async async for page in .pages()",
}
VARIANTS = {
    "decode_invitees": DECODERS,
    "decode_events": DECODERS,
    "stream_0ms": STREAMS,
    "stream_1ms": STREAMS,
    "per_request": {"raw aiohttp GET + msgspec -> User", "calendly_async client.users.me()"},
    "export": {
        "raw aiohttp + msgspec, sequential (keeps dicts, no files)",
        "calendly_async jobs.export (defaults)",
        "calendly-py 0.0.2 (Speakeasy, sync, sequential)",
        "PyCalendly 1.1.0",
    },
    "export_rate_limited": {
        "floor: (ceil(requests / budget) - 1) windows",
        "calendly_async jobs.export (defaults), 10 requests / 0.3 s",
    },
    "avail_slots": {
        "sequential loop of SDK calls",
        "jobs open_slots, max_concurrency=8",
        "jobs open_slots, max_concurrency=32",
    },
    "avail_free": {
        "sequential loop of SDK calls",
        "jobs free_time, max_concurrency=8",
        "jobs free_time, max_concurrency=32",
    },
    "memory": {
        "hold as calendly_async Invitee Structs",
        "hold as msgspec dicts",
        "hold as pydantic v2 models",
        "interpreter + calendly_async imported, nothing held",
        "calendly_async jobs.export (defaults): 40 invitees",
    },
    "mock_ceiling_me": {f"raw aiohttp, {n} in flight" for n in (1, 8, 32)},
    "mock_ceiling_page": {f"raw aiohttp, {n} in flight" for n in (1, 8, 32)},
}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, dict[str, Any]]:
    """``python -m benchmarks --quick`` with the sizes shrunk: (stdout, Markdown, JSON)."""
    out = tmp_path_factory.mktemp("bench")
    stdout = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bench_run, "QUICK", TINY)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
            status = bench_run.main(
                ["--quick", "--out", str(out / "RESULTS.md"), "--json", str(out / "r.json")]
            )
    assert status == 0
    markdown = (out / "RESULTS.md").read_text(encoding="utf-8")
    return stdout.getvalue(), markdown, msgspec.json.decode((out / "r.json").read_bytes())


def _rows(report: dict[str, Any], benchmark: str) -> list[dict[str, Any]]:
    return [row for row in report["rows"] if row["benchmark"] == benchmark]


def _measured(row: dict[str, Any]) -> bool:
    return row["median"] is not None


def test_every_row_of_the_issue_reports_its_variants_with_one_baseline_first(
    cli_run: tuple[str, str, dict[str, Any]],
) -> None:
    _, _, report = cli_run
    assert {row["benchmark"] for row in report["rows"]} == set(BLOCKS)
    assert sorted({row["row"] for row in report["rows"]}) == sorted(ROWS) == list(range(1, 9))
    for benchmark, number in BLOCKS.items():
        rows = _rows(report, benchmark)
        assert {row["variant"] for row in rows} == VARIANTS[benchmark], benchmark
        assert {row["row"] for row in rows} == {number}
        assert [row["baseline"] for row in rows].count(True) == 1
        assert rows[0]["baseline"]
        assert rows[0]["ratio"] == 1.0


def test_measured_rows_hold_positive_finite_figures_and_spreads(
    cli_run: tuple[str, str, dict[str, Any]],
) -> None:
    _, _, report = cli_run
    measured = [row for row in report["rows"] if _measured(row)]
    assert len(measured) >= 30  # everything but pydantic, orjson and the peers needs no extra
    for row in measured:
        for key in ("median", "low", "high", "ratio"):
            assert math.isfinite(row[key]), (row["variant"], key)
            assert row[key] > 0, (row["variant"], key)
        assert row["low"] <= row["median"] <= row["high"]
        expected = TINY.decode_repeats if row["row"] == 1 else TINY.runs
        assert row["runs"] == expected
        for median, low, high in row["extra"].values():
            assert low <= median <= high


def test_client_cpu_is_reported_where_the_server_is_in_another_process(
    cli_run: tuple[str, str, dict[str, Any]],
) -> None:
    _, _, report = cli_run
    for row in report["rows"]:
        has_cpu = row["benchmark"] in ("stream_0ms", "stream_1ms", "per_request")
        assert (row["cpu"] is not None) == has_cpu, row["variant"]
        if has_cpu:
            median, low, high = row["cpu"]
            assert 0 < low <= median <= high
            assert row["cpu_ratio"] > 0


def test_variants_did_the_same_work(cli_run: tuple[str, str, dict[str, Any]]) -> None:
    _, _, report = cli_run

    def counts(benchmark: str) -> set[int]:
        return {row["items"] for row in _rows(report, benchmark) if _measured(row)}

    assert counts("decode_invitees") == {100}
    assert counts("decode_events") == {100}
    assert counts("stream_0ms") == counts("stream_1ms") == {TINY.stream_invitees}
    assert counts("per_request") == {TINY.requests}
    # Every event and its one invitee, whoever exported them.
    assert counts("export") == {2 * TINY.export_events}
    assert counts("export_rate_limited") == {2 * TINY.rate_limit.events}
    (held,) = {
        row["items"]
        for row in _rows(report, "memory")
        if row["variant"].startswith("hold") and _measured(row)
    }
    assert held == TINY.memory_pages * 100
    export_rows = _rows(report, "export")
    for row in export_rows:
        if _measured(row):
            assert row["extra"]["requests"][0] >= TINY.export_events + 1
            assert row["extra"]["peak_rss_mb"][0] > 0


def test_optional_rows_are_measured_when_available_else_say_why(
    cli_run: tuple[str, str, dict[str, Any]],
) -> None:
    _, _, report = cli_run
    peers = bench_run.default_peers()
    for row in report["rows"]:
        if row["variant"].startswith("calendly-py"):
            assert _measured(row) == ("calendly-py" in peers)
        if row["variant"].startswith("PyCalendly"):
            assert not _measured(row)
            assert "module constant" in row["note"]
        if not _measured(row):
            assert row["ratio"] is None
            assert row["items"] is None
            assert row["note"]


def test_markdown_has_the_machine_every_block_and_the_targets(
    cli_run: tuple[str, str, dict[str, Any]],
) -> None:
    stdout, markdown, report = cli_run
    assert markdown in stdout
    meta = report["meta"]
    assert meta["mode"] == "quick"
    assert meta["cores"] >= 1
    assert meta["versions"]["aiohttp"]
    assert meta["versions"]["msgspec"]
    for needle in ("cores", meta["cpu_model"], f"Python {meta['python']}", "aiohttp ", "msgspec "):
        assert needle in markdown
    for benchmark in BLOCKS:
        assert f"`{benchmark}`" in markdown
    assert len(report["targets"]) == 8
    for target in report["targets"]:
        if "pydantic" in target["goal"] and not HAVE_PYDANTIC:
            # The README's test command installs no pydantic (the bench extra does).
            assert target["met"] is None
            assert target["measured"] == "not measured in this run"
            result = "not measured"
        else:
            assert target["met"] in (True, False)  # every row it needs ran
            result = "**met**" if target["met"] else "**missed**"
        assert f"| {target['goal']} | {target['measured']} | {result} |" in markdown
    for row in report["rows"]:
        assert f"| {row['variant']}" in markdown


def test_variants_that_did_different_work_are_refused_rather_than_compared() -> None:
    with pytest.raises(BenchmarkError, match="produced 99 items, the baseline 100"):
        compare(2, "stream", [Measured("raw", [1.0], 100), Measured("sdk", [0.5], 99)])


def test_rate_limit_floor_counts_whole_windows_after_the_first() -> None:
    assert floor_seconds(50, 50, 60.0) == 0.0
    assert floor_seconds(51, 50, 60.0) == 60.0
    assert floor_seconds(310, 50, 2.0) == 12.0


def test_command_line_options() -> None:
    args = bench_run.parse_args(["--quick", "--rows", "1,3", "--json", "out.json", "--no-peer"])
    assert (args.quick, args.rows, args.json, args.no_peer, args.no_pydantic) == (
        True,
        [1, 3],
        Path("out.json"),
        True,
        False,
    )
    assert bench_run.parse_args(["--peer", "calendly-py=/venv/bin/python"]).peer == [
        ("calendly-py", "/venv/bin/python")
    ]
    for bad in (["--rows", "9"], ["--rows", "x"], ["--peer", "other=/x"]):
        with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            bench_run.parse_args(bad)
    assert not bench_run.parse_args([]).quick
