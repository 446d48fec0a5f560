"""``export()``: every scheduled event and invitee of an organisation (or one user) to DIR.

The steps, each in its own module:

1. plan (``_plan``): scope, start-time range, windows -- plain data;
2. checkpoint (``_checkpoint``): refuse an unfinished DIR unless resuming;
3. work (``_worker``): windows run concurrently (bounded), their invitee
   listings fan out (bounded, shared by every window), records are staged
   (``_staging`` via ``_writer``) and the checkpoint advances per finished event;
4. retry (here): a window whose requests keep failing beyond the client's
   per-request retries is retried from its cursor with backoff;
5. assemble (``_sinks``): the staged records go, in a stable order, to every
   sink; each output appears whole or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import msgspec

from .._identifiers import resource_uri
from .._params import TimeArg, format_time, parse_time
from ..client import Calendly
from ..errors import (
    CalendlyError,
    DecodeError,
    InvalidInputError,
    RateLimitError,
    ServerError,
    TransportError,
)
from ._checkpoint import Checkpoint, CheckpointStore, FileCheckpointStore
from ._extras import EXTRA_TABLES, check_extras, copy_extra
from ._plan import Format, Include, Plan, Scope, parse_formats, parse_includes, plan_windows
from ._sinks import Record, Sink, make_sinks
from ._staging import Staging
from ._stats import ExportProgress, ExportSummary, Tally, client_counters
from ._tables import TABLES
from ._worker import WindowWorker

__all__ = ["WORK_DIR", "UnfinishedExportError", "export"]

WORK_DIR = ".calendly-export"
"""The export's own files inside DIR: ``checkpoint.json`` and ``staging.sqlite``."""

MAIN_TABLES = ("scheduled_events", "invitees")

CHECKPOINT_INTERVAL = 0.05
"""Seconds between two checkpoint saves, at least."""

PROGRESS_INTERVAL = 0.1
"""Seconds between two progress callbacks (one more comes at the end of the work)."""

ProgressCallback = Callable[[ExportProgress], None]


class UnfinishedExportError(InvalidInputError):
    """DIR holds an unfinished export and ``resume`` was not asked for (exit 2 in the CLI)."""


@dataclass(frozen=True, slots=True)
class _Backoff:
    attempts: int
    base: float
    maximum: float

    def delay(self, attempt: int) -> float:
        return float(min(self.maximum, self.base * 2 ** (attempt - 1)))


def _transient(error: BaseException) -> bool:
    """Failures worth another try of the whole window (not bad input or permissions)."""
    return isinstance(error, TransportError | ServerError | RateLimitError | DecodeError)


async def export(
    client: Calendly,
    out: str | Path,
    *,
    organization: str | None = None,
    user: str | None = None,
    since: TimeArg | None = None,
    until: TimeArg | None = None,
    formats: Sequence[Format] | str | None = None,
    include: Sequence[Include] | str | None = None,
    concurrency: int = 16,
    windows: int | None = None,
    resume: bool = False,
    on_progress: ProgressCallback | None = None,
    sinks: Sequence[Sink] | None = None,
    checkpoint_store: CheckpointStore | None = None,
    window_attempts: int = 6,
    window_backoff: float = 1.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> ExportSummary:
    """Export every scheduled event whose ``start_time`` is in ``[since, until)``, all
    statuses, and every invitee of each, all statuses, into ``out``.

    ::

        from calendly_async import Calendly
        from calendly_async.jobs import export

        async with Calendly(token=TOKEN) as client:
            summary = await export(
                client, "./export", organization=ORG_URI,
                since="2026-01-01T00:00:00Z", until="2026-07-01T00:00:00Z",
            )
        print(summary.counts)   # {"scheduled_events": 1234, "invitees": 2345}

    Files in ``out``: ``scheduled_events.ndjson``, ``invitees.ndjson``,
    ``scheduled_events.csv``, ``invitees.csv``, ``calendly.sqlite`` (per
    ``formats``), plus the extras' tables; ``.calendly-export/`` holds the
    checkpoint while a run is unfinished.

    Parameters
    ----------
    client:
        The caller's client; every request shares its rate-limit budget.
    out:
        The output directory (created when missing).
    organization, user:
        UUIDs or URIs. Neither: the current user's organization.
    since, until:
        Start-time range (aware datetimes or ISO-8601). Missing: from the first
        event / to just after the last one.
    formats:
        Any of ``ndjson``, ``csv``, ``sqlite`` (default: all).
    include:
        Any of ``event_types``, ``memberships``, ``routing_forms``.
    concurrency:
        Requests in flight at most (invitee listings); ``concurrency // 4``
        windows (at least 1) are listed at once.
    windows:
        How many start-time windows to split the range into (default 4 per
        concurrent window).
    resume:
        Continue the unfinished export in ``out``. Without it an unfinished
        ``out`` is refused; a finished one is refreshed.
    on_progress:
        Called with an ``ExportProgress`` after every finished event and window.
    sinks:
        Write to these instead of the built-in ones for ``formats``.
    checkpoint_store:
        Keep the checkpoint here instead of ``out/.calendly-export/checkpoint.json``.
    window_attempts, window_backoff:
        A window failing beyond the client's retries is tried up to
        ``window_attempts`` times, waiting ``window_backoff * 2**(n-1)`` seconds
        (at most 30) in between; ``sleep`` does the waiting.

    Raises
    ------
    UnfinishedExportError
        ``out`` holds an unfinished export and ``resume`` is false (nothing is touched).
    InvalidInputError
        A bad argument (before any request), or ``resume`` with a scope or range
        other than the unfinished export's.
    CalendlyError
        A failure that outlasted every retry; the checkpoint keeps what is done.
    """
    started = time.monotonic()
    chosen_formats = parse_formats(formats)
    includes = parse_includes(include)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidInputError(f"concurrency must be a positive integer, not {concurrency!r}")
    lanes = max(1, concurrency // 4)
    window_count = windows if windows is not None else 4 * lanes
    for name, value in (("windows", window_count), ("window_attempts", window_attempts)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInputError(f"{name} must be a positive integer, not {value!r}")
    directory = Path(out)
    if await asyncio.to_thread(lambda: directory.exists() and not directory.is_dir()):
        raise InvalidInputError(f"{directory} is not a directory")
    if "routing_forms" in includes and organization is None and user is not None:
        raise InvalidInputError("include routing_forms needs an organization")
    _check_range(since, until)
    _check_scope(client, organization, user)
    work = directory / WORK_DIR
    store = checkpoint_store or FileCheckpointStore(work / "checkpoint.json")
    staging = Staging(work / "staging.sqlite")
    previous = await asyncio.to_thread(store.load)
    resuming = previous is not None and not previous.finished
    if resuming and not resume:
        raise UnfinishedExportError(
            f"{directory} holds an unfinished export: rerun with --resume (resume=True) to "
            f"continue it, or delete {directory} (or choose another --out) to start over"
        )
    tally = Tally()
    before = client_counters(client, tally)
    if previous is not None and resuming:
        checkpoint = previous
        _check_same_plan(client, checkpoint.plan, organization, user, since, until, includes)
    else:
        scope = await _resolve_scope(client, organization, user, tally)
        check_extras(includes, scope)
        first, last = await _resolve_range(client, scope, since, until, tally)
        plan = Plan(
            scope=scope,
            since=first,
            until=last,
            windows=plan_windows(first, last, window_count) if first < last else (),
            includes=includes,
        )
        checkpoint = Checkpoint.start(plan)
        await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(staging.remove)
        await asyncio.to_thread(store.save, checkpoint)
    await asyncio.to_thread(staging.open)
    try:
        run = _Run(client, checkpoint, store, staging, concurrency, lanes, on_progress, tally)
        await run.work(_Backoff(window_attempts, window_backoff, 30.0), sleep)
        extras = [t for name in checkpoint.plan.includes for t in EXTRA_TABLES[name]]
        tables = [*MAIN_TABLES, *extras]
        chosen = list(sinks) if sinks is not None else make_sinks(directory, chosen_formats)
        paths = await asyncio.to_thread(_assemble, staging, chosen, tables)
        counts = {table: 0 for table in tables} | await asyncio.to_thread(staging.counts)
        checkpoint.finished = True
        await asyncio.to_thread(store.save, _snapshot(checkpoint))
    finally:
        await asyncio.to_thread(staging.close)
    await asyncio.to_thread(staging.remove)
    used = client_counters(client, run.tally).since(before)
    return ExportSummary(
        counts=counts,
        requests=used.requests,
        retries=used.retries,
        rate_limited=used.rate_limited,
        rate_limit_wait=used.rate_limit_wait,
        window_retries=run.tally.window_retries,
        stale_restarts=run.tally.stale_restarts,
        duration=time.monotonic() - started,
        paths=paths,
        resumed=resuming,
        peak_items_held=run.peak_held,
    )


def _snapshot(checkpoint: Checkpoint) -> Checkpoint:
    """A copy to save from a thread while the loop keeps changing the original."""
    return Checkpoint.from_json(checkpoint.to_json())


class _Run:
    """One run of the work phase: windows, extras, checkpoint saves, progress."""

    def __init__(
        self,
        client: Calendly,
        checkpoint: Checkpoint,
        store: CheckpointStore,
        staging: Staging,
        concurrency: int,
        lanes: int,
        on_progress: ProgressCallback | None,
        tally: Tally,
    ) -> None:
        self.client = client
        self.checkpoint = checkpoint
        self.store = store
        self.staging = staging
        self.concurrency = concurrency
        self.lanes = lanes
        self.on_progress = on_progress
        self.started = time.monotonic()
        self.tally = tally
        self.peak_held = 0
        self._dirty = asyncio.Event()
        self._base_invitees = 0
        self._reported = -PROGRESS_INTERVAL
        self._stopping = False

    def changed(self) -> None:
        """Something finished: save the checkpoint soon and report progress (10 per second)."""
        self._dirty.set()
        now = time.monotonic()
        if self.on_progress is not None and now - self._reported >= PROGRESS_INTERVAL:
            self._reported = now
            self.on_progress(self.progress())

    def progress(self) -> ExportProgress:
        """A snapshot for the progress callback."""
        counters = client_counters(self.client, self.tally)
        limit = self.client.rate_limit
        return ExportProgress(
            windows_done=self.checkpoint.windows_done,
            windows_total=len(self.checkpoint.windows),
            events=sum(w.events for w in self.checkpoint.windows),
            invitees=self._base_invitees + self.worker.invitees,
            requests=counters.requests,
            retries=counters.retries,
            rate_limited=counters.rate_limited,
            rate_limit_wait=counters.rate_limit_wait,
            elapsed=time.monotonic() - self.started,
            fraction=self._fraction(),
            rate_limit_remaining=limit.remaining if limit else None,
            rate_limit_reset=limit.reset if limit else None,
            rate_limit_budget=limit.limit if limit else None,
        )

    def _fraction(self) -> float:
        """Share of the range done: finished windows count 1, others by their cursor."""
        windows = self.checkpoint.plan.windows
        if not windows:
            return 1.0
        total = 0.0
        for window, state in zip(windows, self.checkpoint.windows, strict=True):
            if state.done:
                total += 1.0
            elif state.cursor is not None:
                start, end = parse_time(window.start), parse_time(window.end)
                total += (parse_time(state.cursor) - start) / (end - start)
        return total / len(windows)

    async def _keep_checkpoint(self) -> None:
        """Save the checkpoint whenever it changed (one save at a time, latest state)."""
        while not self._stopping:
            await self._dirty.wait()
            self._dirty.clear()
            await asyncio.to_thread(self.store.save, _snapshot(self.checkpoint))
            if not self._stopping:
                # At most ~20 saves a second (each one fsyncs); a kill loses at most
                # the events finished in the last interval.
                await asyncio.sleep(CHECKPOINT_INTERVAL)

    async def work(self, backoff: _Backoff, sleep: Callable[[float], Awaitable[None]]) -> None:
        """Run every unfinished window and extra; the checkpoint follows each event."""
        from ._writer import BatchWriter

        self._base_invitees = (await asyncio.to_thread(self.staging.counts)).get("invitees", 0)
        writer: BatchWriter[object] = BatchWriter(self.staging.write)  # type: ignore[arg-type]
        writer.start()
        self.worker = WindowWorker(
            self.client,
            self.checkpoint.plan.scope,
            writer.write,
            asyncio.Semaphore(self.concurrency),
            self.concurrency,
            self.tally,
            self.changed,
        )
        jobs: list[Callable[[], Awaitable[None]]] = []
        for window in self.checkpoint.plan.windows:
            state = self.checkpoint.windows[window.index]
            if not state.done:
                jobs.append(lambda w=window, s=state: self.worker.run(w, s))  # type: ignore[misc]
        for name in self.checkpoint.plan.includes:
            if name not in self.checkpoint.extras_done:
                jobs.append(lambda n=name: self._extra(n))  # type: ignore[misc]
        keeper = asyncio.create_task(self._keep_checkpoint())
        try:
            await _run_lanes(jobs, self.lanes, backoff, sleep, self.tally)
        finally:
            await writer.aclose()
            self.peak_held = writer.peak_held
            # Let a save in progress finish (never cancel a thread mid-write), then
            # save the final state once more.
            self._stopping = True
            self._dirty.set()
            with contextlib.suppress(Exception):
                await keeper  # at most one save and one interval
            await asyncio.to_thread(self.store.save, _snapshot(self.checkpoint))
            if self.on_progress is not None:
                self.on_progress(self.progress())

    async def _extra(self, name: Include) -> None:
        await copy_extra(self.worker, self.checkpoint.plan.scope, name)
        self.checkpoint.extras_done.append(name)
        self.changed()


async def _run_lanes(
    jobs: list[Callable[[], Awaitable[None]]],
    lanes: int,
    backoff: _Backoff,
    sleep: Callable[[float], Awaitable[None]],
    tally: Tally,
) -> None:
    """Run ``jobs`` on ``lanes`` concurrent lanes; the first lasting failure stops all."""
    queue = iter(jobs)

    async def lane() -> None:
        for job in queue:
            await _retrying(job, backoff, sleep, tally)

    tasks = [asyncio.create_task(lane()) for _ in range(min(lanes, len(jobs)))]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _retrying(
    job: Callable[[], Awaitable[None]],
    backoff: _Backoff,
    sleep: Callable[[float], Awaitable[None]],
    tally: Tally,
) -> None:
    """Run one window (from its cursor) until it succeeds, with backoff between tries."""
    for attempt in range(1, backoff.attempts + 1):
        try:
            await job()
            return
        except CalendlyError as exc:
            if not _transient(exc) or attempt == backoff.attempts:
                raise
            tally.window_retries += 1
            await sleep(backoff.delay(attempt))


def _assemble(staging: Staging, sinks: Sequence[Sink], tables: Sequence[str]) -> list[Path]:
    """Stream every table from staging, in order, to every sink; commit them all."""
    decode = msgspec.json.Decoder(dict[str, object]).decode
    try:
        for name in tables:
            table = TABLES[name]
            for sink in sinks:
                sink.begin(table)
            for batch in staging.stream(name):
                records: list[Record] = [(raw, decode(raw)) for raw in batch]
                for sink in sinks:
                    sink.write(table, records)
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    paths: list[Path] = []
    for sink in sinks:
        paths.extend(sink.commit())
    return paths


def _check_range(since: TimeArg | None, until: TimeArg | None) -> None:
    """Refuse naive or unparsable times and an empty range before any request."""
    first = parse_time(since, what="since") if since is not None else None
    last = parse_time(until, what="until") if until is not None else None
    if first is not None and last is not None and last <= first:
        raise InvalidInputError(
            f"until {format_time(last)} must be after since {format_time(first)}"
        )


def _check_scope(client: Calendly, organization: str | None, user: str | None) -> None:
    """Refuse a malformed organization or user before any request."""
    if organization:
        resource_uri(organization, "organizations")
    if user:
        resource_uri(user, "users")


async def _resolve_scope(
    client: Calendly, organization: str | None, user: str | None, tally: Tally
) -> Scope:
    """Full URIs; neither given: the current user's organization (``GET /users/me``)."""
    org = resource_uri(organization, "organizations") if organization else None
    member = resource_uri(user, "users") if user else None
    if org is None and member is None:
        tally.pages += 1
        me = await client.users.me()
        if not me.current_organization:
            raise InvalidInputError("the current user has no organization; pass organization")
        org = me.current_organization
    return Scope(organization=org, user=member)


async def _resolve_range(
    client: Calendly, scope: Scope, since: TimeArg | None, until: TimeArg | None, tally: Tally
) -> tuple[str, str]:
    """``[since, until)`` as Calendly strings; a missing end comes from the data itself."""
    first = format_time(since, what="since") if since is not None else None
    last = format_time(until, what="until") if until is not None else None
    if first is None:
        tally.pages += 1
        found = await _edge_start(client, scope, "start_time:asc", None, last)
        first = found or last or format_time(datetime.now(UTC))
    if last is None:
        tally.pages += 1
        found = await _edge_start(client, scope, "start_time:desc", first, None)
        # Calendly rule: max_start_time is exclusive, so end just after the last event.
        last = format_time(parse_time(found) + timedelta(microseconds=1)) if found else first
    return first, last


async def _edge_start(
    client: Calendly,
    scope: Scope,
    sort: Literal["start_time:asc", "start_time:desc"],
    since: str | None,
    until: str | None,
) -> str | None:
    """The start time of the first event in ``sort`` order (one request), or ``None``."""
    listing = client.scheduled_events.list(
        organization=scope.organization,
        user=scope.user,
        sort=sort,
        min_start_time=since,
        max_start_time=until,
        count=1,
    )
    async with contextlib.aclosing(listing.pages()) as pages:
        async for page in pages:
            for event in page.items:
                if event.start_time is not None:
                    return format_time(event.start_time)
            return None
    return None


def _check_same_plan(
    client: Calendly,
    plan: Plan,
    organization: str | None,
    user: str | None,
    since: TimeArg | None,
    until: TimeArg | None,
    includes: tuple[Include, ...],
) -> None:
    """A resume continues the same export: explicit arguments must agree with its plan."""
    given = {
        "organization": resource_uri(organization, "organizations") if organization else None,
        "user": resource_uri(user, "users") if user else None,
        "since": format_time(since, what="since") if since is not None else None,
        "until": format_time(until, what="until") if until is not None else None,
    }
    planned = {
        "organization": plan.scope.organization,
        "user": plan.scope.user,
        "since": plan.since,
        "until": plan.until,
    }
    for name, value in given.items():
        if value is not None and value != planned[name]:
            raise InvalidInputError(
                f"--resume continues the unfinished export of {name} {planned[name]}, "
                f"not {value}; delete the output directory to start a different export"
            )
    if includes and includes != plan.includes:
        raise InvalidInputError(
            f"--resume continues an export including {','.join(plan.includes) or 'nothing'}"
        )
