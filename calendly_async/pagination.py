"""``Paginator[T]``: every list call returns one, no ``await`` needed to create it.

Calendly rule (reference §2, "Pagination"): keyset pagination; re-issue the same
request with ``page_token=<pagination.next_page_token>`` until it is null.

Use it three ways::

    async for event in client.scheduled_events.list(organization=org):
        ...
    async for page in client.scheduled_events.list(organization=org).pages():
        save(page.items, resume_from=page.next_page_token)
    events = await client.scheduled_events.list(organization=org).collect(limit=500)

While the caller works through one page, the next one is already being fetched
(at most one page ahead). A token that repeats is an error, never a loop, so no
item is yielded twice. ``client.last_response`` in the iterating task is the
response of the page handed out last (after ``collect()``, the last page kept).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ._decoding import Pagination
from ._transport import Response, _current_response
from .errors import DecodeError, InvalidInputError

__all__ = ["FetchPage", "Page", "Paginator"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its items and the token that fetches the next page.

    Keep ``next_page_token`` to resume later with ``Paginator.resume(token)``.
    """

    items: list[T]
    next_page_token: str | None
    pagination: Pagination = field(default_factory=Pagination)
    total_count: int | None = None
    """Only the activity log and outgoing communications report a total."""
    response: Response | None = field(default=None, repr=False, compare=False)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


FetchPage = Callable[[str | None], Awaitable[Page[T]]]
"""Fetches the page for a token (``None``: the first page)."""


class Paginator(Generic[T]):
    """An async iterator over every item of a Calendly list, page by page.

    Parameters
    ----------
    fetch:
        Coroutine function returning the ``Page`` for a page token.
    page_token:
        Start from this token instead of the first page (resume).
    read_ahead:
        Fetch the next page while the current one is consumed.
    """

    def __init__(
        self, fetch: FetchPage[T], *, page_token: str | None = None, read_ahead: bool = True
    ) -> None:
        self._fetch = fetch
        self._start = page_token
        self._read_ahead = read_ahead

    def __repr__(self) -> str:
        return f"Paginator(page_token={self._start!r})"

    def resume(self, page_token: str | None) -> Paginator[T]:
        """A paginator over the same list starting at ``page_token``."""
        return Paginator(self._fetch, page_token=page_token, read_ahead=self._read_ahead)

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        async with contextlib.aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield every page in order, starting at the resume token if given."""
        start = self._start
        # Every token already fetched, the resume token included, so a cycle back to
        # any of them (A -> B -> A) stops before a page is fetched or yielded twice.
        seen: set[str] = {start} if start is not None else set()
        pending: asyncio.Future[Page[T]] | None = asyncio.ensure_future(self._fetch(start))
        try:
            while pending is not None:
                page = await pending
                pending = None
                following = page.next_page_token
                if following is not None:
                    if following in seen:
                        raise DecodeError(
                            f"pagination repeated page token {following!r}; "
                            "stopping rather than yielding items twice"
                        )
                    seen.add(following)
                    if self._read_ahead:
                        pending = asyncio.ensure_future(self._fetch(following))
                if page.response is not None:
                    # Pages are fetched in other tasks; the caller's task sees the
                    # response of the page it is handed as client.last_response.
                    _current_response.set(page.response)
                yield page
                if following is None:
                    return
                if pending is None:
                    pending = asyncio.ensure_future(self._fetch(following))
        finally:
            _discard(pending)

    async def collect(self, limit: int | None = None) -> list[T]:
        """Every item (or the first ``limit``) in a list.

        Stops fetching as soon as ``limit`` items are in hand (a pending read-ahead
        is cancelled). Raises ``InvalidInputError`` for a ``limit`` that is not a
        non-negative integer.
        """
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
        ):
            raise InvalidInputError(f"limit must be a non-negative integer, not {limit!r}")
        items: list[T] = []
        if limit == 0:
            return items
        async with contextlib.aclosing(self.pages()) as pages:
            async for page in pages:
                items.extend(page.items)
                if limit is not None and len(items) >= limit:
                    return items[:limit]
        return items


def _discard(pending: asyncio.Future[Any] | None) -> None:
    """Cancel an unneeded read-ahead and swallow its outcome (no 'never retrieved')."""
    if pending is None:
        return
    if not pending.done():
        pending.cancel()
    else:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            pending.exception()
    pending.add_done_callback(lambda f: f.cancelled() or f.exception())
