"""``calendly-async export``: the command over loopback, its summary, its exit codes,
and the progress display."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from calendly_async import cli
from calendly_async._cli_export import _display, _PlainDisplay, format_progress
from calendly_async.jobs import ExportProgress


def test_mock_export_works_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "export"
    assert cli.main(["--mock", "export", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "scheduled_events" in printed
    assert "invitees" in printed
    assert "requests" in printed
    assert "429s" in printed
    for name in ("scheduled_events.ndjson", "invitees.csv", "calendly.sqlite"):
        assert f"wrote {out / name}" in printed
        assert (out / name).stat().st_size > 0
    lines = (out / "scheduled_events.ndjson").read_text().splitlines()
    assert len(lines) == 200  # the default mock: every event, all statuses


def test_format_subset_and_bad_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--mock", "export", "--out", str(tmp_path), "--format", "csv"]) == 0
    written = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert written == ["invitees.csv", "scheduled_events.csv"]
    capsys.readouterr()
    code = cli.main(["--mock", "export", "--out", str(tmp_path / "x"), "--format", "xml"])
    assert code == 2
    assert "unknown format xml" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_scope_options_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--mock", "export", "--out", "d", "--organization", "O", "--user", "U"])
    assert exited.value.code == 2


async def test_token_run_against_a_served_mock(tmp_path: Path) -> None:
    from calendly_async.mock import MockCalendly

    async with MockCalendly(seed=2, events=30) as mock:
        args = ["--token", mock.token, "--base-url", mock.url, "export", "--out", str(tmp_path),
                "--user", mock.owner_uri, "--include", "event_types"]  # fmt: skip
        assert await asyncio.to_thread(cli.main, args) == 0
    assert (tmp_path / "event_types.csv").exists()


PROGRESS = ExportProgress(
    windows_done=3, windows_total=8, events=120, invitees=240, requests=400, retries=2,
    rate_limited=1, rate_limit_wait=0.0, elapsed=4.0, fraction=0.5,
    rate_limit_remaining=0, rate_limit_reset=12.0, rate_limit_budget=500,
)  # fmt: skip


def test_progress_line_shows_counts_rate_and_the_wait() -> None:
    line = format_progress(PROGRESS)
    for part in ("windows 3/8", "events 120", "invitees 240", "100 req/s", "retries 2",
                 "429s 1", "ETA", "rate-limited: waiting 12s"):  # fmt: skip
        assert part in line


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_live_display_off_a_terminal_plain_line_on_one() -> None:
    assert _display(io.StringIO()) is None
    terminal = FakeTerminal()
    plain = _PlainDisplay(terminal)
    plain.update(PROGRESS)
    plain.close()
    assert terminal.getvalue().startswith("\rwindows 3/8")
