"""Where an export's records go: one small async protocol, two implementations.

- ``LocalDestination`` (``export(client, DIR)``): records are staged in
  ``DIR/.calendly-export/staging.sqlite`` while the export runs; at the end the
  sinks stream them into the final files. The checkpoint is a file next to them.
- ``PostgresDestination`` (``export(client, database=DSN)``, in ``_postgres``):
  records are upserted straight into the database and the checkpoint is a row
  there too, so nothing depends on the machine that ran the job.

Either way a batch of records is durable when ``write`` returns, before the
checkpoint advances past it: a kill never loses what the checkpoint says is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import msgspec

from ._checkpoint import AsyncCheckpointStore, CheckpointStore, FileCheckpointStore, as_async
from ._plan import Plan
from ._sinks import Record, Sink
from ._staging import StagedRecord, Staging
from ._tables import TABLES

__all__ = ["Destination", "LocalDestination"]


class Destination(Protocol):
    """Receives an export's records as they arrive and holds its checkpoint."""

    checkpoints: AsyncCheckpointStore
    """Where this export's checkpoint lives."""

    def unfinished(self) -> str:
        """The refusal when an unfinished export is found and no resume was asked for."""
        ...

    async def open(self, plan: Plan, fresh: bool) -> None:
        """Get ready to write; ``fresh``: a new export starts (drop anything staged)."""
        ...

    async def write(self, records: Sequence[StagedRecord]) -> None:
        """Store ``records`` durably (upserted by table and ``uri``)."""
        ...

    async def counts(self, tables: Sequence[str]) -> dict[str, int]:
        """Records this export holds per table (every name in ``tables``)."""
        ...

    async def commit(self, tables: Sequence[str]) -> list[Path]:
        """Make every table visible in its final form; the files written, if any."""
        ...

    async def close(self, finished: bool) -> None:
        """Release resources; ``finished``: the export completed (drop its scratch data)."""
        ...


class LocalDestination:
    """Staging in ``DIR/.calendly-export/staging.sqlite``, then the file sinks at the end."""

    def __init__(
        self,
        directory: Path,
        work: Path,
        sinks: Sequence[Sink],
        checkpoints: AsyncCheckpointStore,
    ) -> None:
        self.directory = directory
        self.checkpoints = checkpoints
        self._sinks = list(sinks)
        self._staging = Staging(work / "staging.sqlite")

    @classmethod
    def in_directory(
        cls,
        directory: Path,
        work: Path,
        sinks: Sequence[Sink],
        store: CheckpointStore | AsyncCheckpointStore | None,
    ) -> LocalDestination:
        """The default checkpoint (``work/checkpoint.json``) unless ``store`` is given."""
        chosen = store if store is not None else FileCheckpointStore(work / "checkpoint.json")
        return cls(directory, work, sinks, as_async(chosen))

    def unfinished(self) -> str:
        """The refusal: names DIR, ``--resume`` and deleting DIR."""
        return (
            f"{self.directory} holds an unfinished export: rerun with --resume (resume=True) "
            f"to continue it, or delete {self.directory} (or choose another --out) to start over"
        )

    async def open(self, plan: Plan, fresh: bool) -> None:
        """Create DIR and open the staging file (emptied first when ``fresh``)."""
        if fresh:
            await asyncio.to_thread(self.directory.mkdir, parents=True, exist_ok=True)
            await asyncio.to_thread(self._staging.remove)
        await asyncio.to_thread(self._staging.open)

    async def write(self, records: Sequence[StagedRecord]) -> None:
        """Upsert into the staging file (one transaction, in a thread)."""
        await asyncio.to_thread(self._staging.write, records)

    async def counts(self, tables: Sequence[str]) -> dict[str, int]:
        """Staged records per table."""
        return {table: 0 for table in tables} | await asyncio.to_thread(self._staging.counts)

    async def commit(self, tables: Sequence[str]) -> list[Path]:
        """Stream the staged tables through every sink; each file appears whole."""
        return await _assemble_to_end(self._staging, self._sinks, tables)

    async def close(self, finished: bool) -> None:
        """Close the staging file; delete it when the export finished."""
        await asyncio.to_thread(self._staging.close)
        if finished:
            await asyncio.to_thread(self._staging.remove)


async def _assemble_to_end(
    staging: Staging, sinks: Sequence[Sink], tables: Sequence[str]
) -> list[Path]:
    """``_assemble`` in a thread; a cancellation stops it and waits until it has ended.

    A thread cannot be cancelled: left running, it would go on writing (or deleting)
    the temporary files in DIR while the caller already resumes into the same paths.
    """
    stop = threading.Event()
    future = asyncio.ensure_future(asyncio.to_thread(_assemble, staging, sinks, tables, stop))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        stop.set()
        while not future.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait({future})  # never cancels ``future`` itself
        future.exception()  # retrieved: the cancellation is what the caller sees
        raise


class _Stopped(Exception):
    """The assembly was asked to stop (its export was cancelled)."""


def _assemble(
    staging: Staging,
    sinks: Sequence[Sink],
    tables: Sequence[str],
    stop: threading.Event | None = None,
) -> list[Path]:
    """Stream every table from staging, in order, to every sink; commit them all."""
    decode = msgspec.json.Decoder(dict[str, object]).decode
    try:
        for name in tables:
            table = TABLES[name]
            for sink in sinks:
                sink.begin(table)
            for batch in staging.stream(name):
                if stop is not None and stop.is_set():
                    raise _Stopped
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
