"""Work one window: list its events in start-time order, fan out their invitee listings.

Calendly rules applied here (reference §2, §6.6):

- ``GET /scheduled_events`` needs ``organization`` or ``user``; ``min_start_time``
  is inclusive, ``max_start_time`` exclusive; ``sort=start_time:asc`` gives the
  order the checkpoint cursor relies on; ``count`` is at most 100.
- ``GET /scheduled_events/{uuid}/invitees`` lists every status when ``status``
  is not sent; ``count`` at most 100.
- A page token can go stale (400 ``page_token is invalid``, e.g. after a long
  pause). The events listing then restarts from the last start time seen (the
  window's cursor) and skips events already done; an invitee listing restarts
  from its first page and skips invitees already written, by ``uri``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from .._params import format_time
from ..client import Calendly
from ..errors import BadRequestError, CalendlyError, RateLimitError
from ..models.invitees import Invitee
from ..models.scheduled_events import ScheduledEvent
from ..pagination import Page, Paginator
from ._checkpoint import WindowState
from ._plan import Scope, Window
from ._raw import raw_items
from ._staging import StagedRecord
from ._stats import Tally

__all__ = ["MAX_STALE_RESTARTS", "WindowWorker", "is_stale_page_token"]

T = TypeVar("T")


class _HasUri(Protocol):
    @property
    def uri(self) -> str: ...


U = TypeVar("U", bound=_HasUri)

PAGE_SIZE = 100
"""Calendly rule (reference §2): ``count`` is at most 100."""

MAX_STALE_RESTARTS = 50
"""A listing whose page token goes stale more often than this fails its window."""


def is_stale_page_token(error: BaseException) -> bool:
    """Calendly's answer to an expired or unknown page token: 400 naming ``page_token``.

    Calendly rule (reference §2, §3): 400 ``Invalid Argument`` with a detail
    ``{"parameter": "page_token", "message": "page_token is invalid"}``.
    """
    if not isinstance(error, BadRequestError):
        return False
    return any(detail.parameter == "page_token" for detail in error.details) or (
        "page_token" in error.message
    )


def _sort_time(value: datetime | None) -> str:
    """A time as sortable text (Calendly's fixed-width UTC format); empty when absent."""
    return format_time(value) if value is not None else ""


class WindowWorker:
    """Runs windows of one export: one instance shared by every window task.

    Parameters
    ----------
    client:
        The caller's client (its rate-limit budget is shared by every task).
    scope:
        Whose events.
    write:
        Commits staged records; returns once they are durable.
    fanout:
        Bounds the invitee listings running at once across all windows.
    lookahead:
        Per window, how many events may be in progress at once.
    tally:
        Counters this worker adds to.
    changed:
        Called after every finished event (progress, checkpoint).
    """

    def __init__(
        self,
        client: Calendly,
        scope: Scope,
        write: Callable[[Sequence[StagedRecord]], Awaitable[None]],
        fanout: asyncio.Semaphore,
        lookahead: int,
        tally: Tally,
        changed: Callable[[], None],
    ) -> None:
        self.client = client
        self._scope = scope
        self._write = write
        self._fanout = fanout
        self._lookahead = lookahead
        self._tally = tally
        self._changed = changed
        self.invitees = 0

    async def run(self, window: Window, state: WindowState) -> None:
        """Finish ``window`` from its cursor; a stale page token restarts from the cursor."""
        restarts = 0
        while True:
            try:
                await self._events(window, state)
            except BadRequestError as exc:
                if not is_stale_page_token(exc) or restarts >= MAX_STALE_RESTARTS:
                    raise
                restarts += 1
                self._tally.stale_restarts += 1
                continue
            state.done = True
            self._changed()
            return

    async def _events(self, window: Window, state: WindowState) -> None:
        listing = self.client.scheduled_events.list(
            organization=self._scope.organization,
            user=self._scope.user,
            min_start_time=state.cursor or window.start,
            max_start_time=window.end,
            sort="start_time:asc",
            count=PAGE_SIZE,
        )
        async with contextlib.aclosing(self._pages(listing)) as pages:
            async for page in pages:
                todo = [
                    (event, raw)
                    for event, raw in raw_items(page)
                    if not state.finished(event.start_time, event.uri)
                ]
                await self._write(
                    [StagedRecord("scheduled_events", e.uri, _event_key(e), raw) for e, raw in todo]
                )
                await self._finish_in_order([event for event, _ in todo], state)

    async def _finish_in_order(self, events: list[ScheduledEvent], state: WindowState) -> None:
        """Run invitee listings ``lookahead`` ahead; advance the cursor strictly in order."""
        pending: deque[tuple[ScheduledEvent, asyncio.Task[None]]] = deque()
        try:
            for event in events:
                pending.append((event, asyncio.create_task(self._invitees(event))))
                if len(pending) >= self._lookahead:
                    await self._finish_oldest(pending, state)
            while pending:
                await self._finish_oldest(pending, state)
        finally:
            for _, task in pending:
                task.cancel()
            for _, task in pending:
                with contextlib.suppress(BaseException):
                    await task

    async def _finish_oldest(
        self, pending: deque[tuple[ScheduledEvent, asyncio.Task[None]]], state: WindowState
    ) -> None:
        event, task = pending[0]
        await task
        pending.popleft()
        if event.start_time is not None:
            state.advance(event.start_time, event.uri)
        self._changed()

    async def _invitees(self, event: ScheduledEvent) -> None:
        """Every invitee of ``event`` (all statuses: no ``status`` filter is sent)."""
        key = _event_key(event)
        async with self._fanout:
            written = await self.copy_listing(
                lambda: self.client.invitees.list(event.uri, count=PAGE_SIZE),
                "invitees",
                lambda invitee: _invitee_key(key, invitee),
            )
        self.invitees += written

    async def copy_listing(
        self,
        make: Callable[[], Paginator[U]],
        table: str,
        key: Callable[[U], str],
        keep: Callable[[U], None] | None = None,
    ) -> int:
        """Stage every item of a listing; on a stale page token start it again.

        A restarted listing skips the items already written (by ``uri``), so
        nothing is written twice. ``keep`` sees each new item (e.g. to collect
        routing forms for their submissions). Returns how many were written.
        """
        written: set[str] = set()
        restarts = 0
        while True:
            try:
                async with contextlib.aclosing(self._pages(make())) as pages:
                    async for page in pages:
                        fresh = [
                            (item, raw) for item, raw in raw_items(page) if item.uri not in written
                        ]
                        await self._write(
                            [StagedRecord(table, item.uri, key(item), raw) for item, raw in fresh]
                        )
                        for item, _ in fresh:
                            written.add(item.uri)
                            if keep is not None:
                                keep(item)
                return len(written)
            except BadRequestError as exc:
                if not is_stale_page_token(exc) or restarts >= MAX_STALE_RESTARTS:
                    raise
                restarts += 1
                self._tally.stale_restarts += 1

    async def _pages(self, listing: Paginator[T]) -> AsyncGenerator[Page[T], None]:
        """The listing's pages, counted in the tally (a failure counts as a request too)."""
        async with contextlib.aclosing(listing.pages()) as pages:
            while True:
                try:
                    page = await anext(pages)
                except StopAsyncIteration:
                    return
                except CalendlyError as exc:
                    self._tally.failed += 1
                    if isinstance(exc, RateLimitError):
                        self._tally.rate_limited += 1
                    raise
                self._tally.pages += 1
                yield page


def _event_key(event: ScheduledEvent) -> str:
    """Events are written in start-time order (ties by ``uri``)."""
    return f"{_sort_time(event.start_time)}|{event.uri}"


def _invitee_key(event_key: str, invitee: Invitee) -> str:
    """Invitees follow their event's order, then their own ``created_at``."""
    return f"{event_key}|{_sort_time(invitee.created_at)}|{invitee.uri}"
