"""``calendly-async export``: the bulk export from the command line (a thin layer).

::

    calendly-async --mock export --out ./export
    calendly-async --token "$CALENDLY_TOKEN" export --organization ORG \\
        --since 2026-01-01T00:00:00Z --until 2026-07-01T00:00:00Z --out ./export \\
        --format ndjson,sqlite --include event_types,memberships --concurrency 16
    calendly-async ... export --out ./export --resume     # after an interruption

On a terminal the progress is shown live (with ``rich`` when installed, the
``cli`` extra; a one-line fallback otherwise); a summary is always printed at the
end. An unfinished ``--out`` without ``--resume`` is refused with exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from typing import Any, TextIO

from .client import Calendly
from .jobs import ExportProgress, ExportSummary, export
from .jobs._stats import eta_seconds

__all__ = ["add_export_command"]


def add_export_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export`` to the command line's subcommands."""
    parser = commands.add_parser(
        "export",
        help="export scheduled events and invitees to NDJSON, CSV and SQLite",
        description=(
            "Export every scheduled event whose start time is in [--since, --until), all "
            "statuses, and every invitee of each, into --out. Resumable with --resume."
        ),
    )
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--organization", help="UUID or URI (default: your organization)")
    scope.add_argument("--user", help="UUID or URI: only this user's events")
    parser.add_argument("--since", help="ISO-8601 start (default: the first event)")
    parser.add_argument("--until", help="ISO-8601 end, exclusive (default: after the last)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.add_argument(
        "--format", default=None, metavar="LIST", help="any of ndjson,csv,sqlite (default: all)"
    )
    parser.add_argument(
        "--include",
        default=None,
        metavar="LIST",
        help="also export event_types,memberships,routing_forms",
    )
    parser.add_argument(
        "--concurrency", type=int, default=16, help="requests in flight (default: %(default)s)"
    )
    parser.add_argument("--windows", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--resume", action="store_true", help="continue the unfinished export in DIR"
    )
    parser.set_defaults(run=_export)


async def _export(client: Calendly, args: argparse.Namespace) -> None:
    display = _display(sys.stderr)
    try:
        summary = await export(
            client,
            args.out,
            organization=args.organization,
            user=args.user,
            since=args.since,
            until=args.until,
            formats=args.format,
            include=args.include,
            concurrency=args.concurrency,
            windows=args.windows,
            resume=args.resume,
            on_progress=display.update if display is not None else None,
        )
    finally:
        if display is not None:
            display.close()
    sys.stdout.write(format_summary(summary))
    sys.stdout.flush()


def format_summary(summary: ExportSummary) -> str:
    """The closing report: counts per table, duration, requests, retries, 429s, paths."""
    lines = ["export finished" + (" (resumed)" if summary.resumed else "")]
    for table, count in summary.counts.items():
        lines.append(f"  {table:<26} {count:>9,}")
    lines.append(
        f"  {summary.duration:.1f}s, {summary.requests:,} requests, {summary.retries:,} retries, "
        f"{summary.rate_limited:,} 429s, {summary.rate_limit_wait:.1f}s rate-limit wait"
    )
    lines.extend(f"  wrote {path}" for path in summary.paths)
    return "\n".join(lines) + "\n"


def format_progress(progress: ExportProgress) -> str:
    """One line of live progress."""
    rate = progress.requests / progress.elapsed if progress.elapsed > 0 else 0.0
    eta = eta_seconds(progress)
    text = (
        f"windows {progress.windows_done}/{progress.windows_total}  "
        f"events {progress.events:,}  invitees {progress.invitees:,}  "
        f"{rate:.0f} req/s  retries {progress.retries}  429s {progress.rate_limited}  "
        f"ETA {'?' if eta is None else f'{eta:.0f}s'}"
    )
    if progress.rate_limit_remaining == 0 and progress.rate_limit_reset:
        text += f"  (rate-limited: waiting {progress.rate_limit_reset:.0f}s)"
    return text


class _PlainDisplay:
    """A carriage-return line on a terminal without ``rich``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._last = 0.0

    def update(self, progress: ExportProgress) -> None:
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        self._stream.write("\r" + format_progress(progress)[:200] + "\x1b[K")
        self._stream.flush()

    def close(self) -> None:
        self._stream.write("\n")
        self._stream.flush()


class _RichDisplay:
    """A live ``rich`` status line (the ``cli`` extra; imported only when installed)."""

    def __init__(self, stream: TextIO) -> None:
        # Imported by name: rich is optional, so type checkers need not have it.
        self._console: Any = importlib.import_module("rich.console")
        self._text: Any = importlib.import_module("rich.text")
        live: Any = importlib.import_module("rich.live")
        self._live: Any = live.Live(
            "starting export...",
            console=self._console.Console(file=stream),
            refresh_per_second=8,
            transient=False,
        )
        self._live.start()

    def update(self, progress: ExportProgress) -> None:
        self._live.update(self._text.Text(format_progress(progress)))

    def close(self) -> None:
        self._live.stop()


def _display(stream: TextIO) -> _PlainDisplay | _RichDisplay | None:
    """A live display on a terminal (rich when installed), none otherwise."""
    if not stream.isatty():
        return None
    try:
        return _RichDisplay(stream)
    except ImportError:
        return _PlainDisplay(stream)
