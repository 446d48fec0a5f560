"""Batch the workers' writes into few transactions, run off the event loop.

Every ``await writer.write(records)`` returns once its records are committed, so
a caller can advance its checkpoint right after. Writes waiting at the same time
are coalesced into one transaction, run by ``asyncio.to_thread`` so SQLite never
blocks the loop. Each caller waits for its own write: memory holds at most one
pending batch per worker.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["BatchWriter"]

R = TypeVar("R")


class BatchWriter(Generic[R]):
    """Coalesces concurrent ``write`` calls into batches for a blocking ``commit``.

    Parameters
    ----------
    commit:
        Writes one batch durably (called in a worker thread, one at a time).
    max_batch:
        At most this many records per transaction.
    """

    def __init__(self, commit: Callable[[Sequence[R]], None], *, max_batch: int = 5000) -> None:
        self._commit = commit
        self._max_batch = max_batch
        self._pending: list[tuple[Sequence[R], asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        self.held = 0
        """Records handed over and not yet committed (for the memory bound)."""
        self.peak_held = 0
        """The most records ever held at once."""

    def start(self) -> None:
        """Start the background task (inside a running loop)."""
        self._task = asyncio.create_task(self._run())

    async def write(self, records: Sequence[R]) -> None:
        """Commit ``records``; returns once they are durable."""
        if not records:
            return
        if self._task is None or self._task.done():
            raise RuntimeError("BatchWriter is not running")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieve)
        self._pending.append((records, future))
        self.held += len(records)
        self.peak_held = max(self.peak_held, self.held)
        self._wake.set()
        await asyncio.shield(future)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch, waiters = self._take()
                try:
                    await asyncio.to_thread(self._commit, batch)
                except Exception as exc:
                    for future in waiters:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for future in waiters:
                        if not future.done():
                            future.set_result(None)
                finally:
                    self.held -= len(batch)
            if self._closing:
                return

    def _take(self) -> tuple[list[R], list[asyncio.Future[None]]]:
        batch: list[R] = []
        waiters: list[asyncio.Future[None]] = []
        while self._pending and (
            not batch or len(batch) + len(self._pending[0][0]) <= self._max_batch
        ):
            records, future = self._pending.pop(0)
            batch.extend(records)
            waiters.append(future)
        return batch, waiters

    async def aclose(self) -> None:
        """Commit what is pending, then stop."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._task)


def _retrieve(future: asyncio.Future[None]) -> None:
    """Mark a failure as seen even when its writer was cancelled meanwhile."""
    if not future.cancelled():
        future.exception()
