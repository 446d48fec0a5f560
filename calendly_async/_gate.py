"""The rate-limit gate: one per client, it paces requests to the server's budget.

Calendly rule (reference §4, "Rate limiting"): each response says how many
requests are left in the current window (``X-RateLimit-Remaining``) and the
seconds until the window resets (``X-RateLimit-Reset``); a request beyond the
budget is refused with 429, and a 429's ``Retry-After`` (if sent) wins.

The gate is a token bucket refilled from those headers, so a spent budget makes
requests queue and leave a few at a time instead of all firing at the reset:

- **Tokens** are the requests this client may still *send* before the reset.
  Each send takes one. A response sets them to at most
  ``Remaining - (other requests of this window still in flight)``: the server may
  not have counted those yet. Within a window the count only goes down.
- **At the reset** a new window starts with ``Limit - (requests still in flight)``
  tokens (a request sent just before the reset may be counted in the new window).
  Answers to requests of an older window no longer move the count, except a 429.
  Until an answer of the new window tells the real reset, the gate assumes the
  longest one (``MAX_SERVER_WAIT``).
- **Nothing known yet** (no answer so far, or no ``Limit`` seen before a reset):
  at most ``PROBE_REQUESTS`` (10) are in flight until an answer tells the budget.
  Calendly's smallest budget is 50 a minute, so these cannot overrun a fresh
  window. An answer without rate-limit headers leaves the gate open.
- **A 429** spends the window (no tokens) and holds everything for the server's
  wait.
- **Waiting** is a FIFO queue of futures and one timer task (the injected
  ``sleep``) that wakes the queue at the reset: no waiter sleeps or polls on its
  own. A waiter cancelled after it was handed a token gives the token back.
- **Every wait is capped** at ``MAX_SERVER_WAIT`` from now, re-checked at every
  step, so a larger header value (logged once as a server bug) or a clock that
  jumps backwards cannot stall the client longer; a clock that jumps forwards
  only starts the next window early (a 429 then corrects the count).

Waits longer than ``REPORT_THRESHOLD`` are logged at INFO and passed to the
client's ``on_rate_limit`` callback as a ``RateLimitWait``; ``stats()`` returns
the counters.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import Literal

from ._ratelimit import MAX_SERVER_WAIT, RateLimit

__all__ = [
    "PROBE_REQUESTS",
    "REPORT_THRESHOLD",
    "RateLimitGate",
    "RateLimitWait",
    "RequestStats",
    "Slot",
]

logger = logging.getLogger("calendly_async")

PROBE_REQUESTS = 10
"""Requests in flight at once while the budget is unknown (Calendly's smallest is 50)."""

REPORT_THRESHOLD = 1.0
"""Rate-limit waits longer than this many seconds are logged at INFO and reported."""

WaitReason = Literal["budget_spent", "too_many_requests"]


@dataclass(frozen=True, slots=True)
class RateLimitWait:
    """One wait for the rate limit, as passed to ``Calendly(on_rate_limit=...)``.

    Attributes
    ----------
    seconds:
        How long the wait will last (at most ``MAX_SERVER_WAIT``, 65 s).
    reason:
        ``"budget_spent"``: the window's budget is used up and queued requests
        wait for ``X-RateLimit-Reset``; ``"too_many_requests"``: a 429 arrived and
        its ``Retry-After`` (or ``X-RateLimit-Reset``) is being honoured.
    detail:
        The header behind the wait, e.g. ``"X-RateLimit-Reset=60"`` or
        ``"Retry-After=7"``.
    queued:
        Requests waiting: the gate's queue for ``"budget_spent"``, 1 for a
        request sleeping before its retry.
    method, url:
        The request that got the 429; ``None`` when the whole queue waits.
    """

    seconds: float
    reason: WaitReason
    detail: str
    queued: int = 1
    method: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class RequestStats:
    """Counters of one client (shared by its ``with_options`` views): ``client.stats``.

    Attributes
    ----------
    requests_sent:
        HTTP requests sent, every attempt and every host counted.
    retries:
        Attempts after the first one of a call (after a 429, 5xx or failure).
    rate_limited:
        429 responses received.
    rate_limit_waits:
        Waits for the rate limit: each time the queue stalled until a reset, and
        each sleep of a request before retrying a 429 (short ones included).
    rate_limit_wait_seconds:
        Their total length. A stall of the whole queue counts once, however many
        requests it held.
    """

    requests_sent: int = 0
    retries: int = 0
    rate_limited: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Slot:
    """Permission to send one request, from ``RateLimitGate.acquire``."""

    window: int


class RateLimitGate:
    """Shared by every request of one client: paces them to the server's budget.

    ``acquire`` before sending, then ``release`` with the answer's rate-limit
    headers (or without, when no answer came). See the module docstring for the
    rules.

    Parameters
    ----------
    clock, sleep:
        ``time.monotonic`` and ``asyncio.sleep`` stand-ins (tests inject fakes).
    on_wait:
        Called with a ``RateLimitWait`` before every wait longer than
        ``REPORT_THRESHOLD`` (synchronously, in the event loop: it must not
        block; an exception it raises is logged and ignored).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_wait: Callable[[RateLimitWait], None] | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self.on_wait = on_wait
        self.last: RateLimit | None = None
        self._limit: int | None = None
        self._tokens: int | None = None  # None: no budget known, send freely
        self._probing = True  # nothing known: PROBE_REQUESTS at a time until an answer
        self._reset_at: float | None = None
        self._reset_detail = ""
        self._estimated = False  # _reset_at is an assumption, not the server's word
        self._hold_until = 0.0
        self._hold_detail = ""
        self._window = 0
        self._in_flight = 0  # sent, not answered (every window)
        self._in_flight_window = 0  # of those, sent in the current window
        self._queue: deque[asyncio.Future[Slot]] = deque()
        self._timer: asyncio.Task[None] | None = None
        self._timer_due = 0.0
        self._warned = False
        self._stats = RequestStats()

    # -- the request path ---------------------------------------------------------------

    async def acquire(self) -> Slot:
        """Wait (in FIFO order) until a request may be sent; the slot goes to ``release``."""
        now = self._tick_clock()
        if not self._queue and self._can_send(now):
            return self._take()
        waiter: asyncio.Future[Slot] = asyncio.get_running_loop().create_future()
        self._queue.append(waiter)
        self._dispatch(now)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release(waiter.result(), sent=False)  # handed a token, never used it
            else:
                with suppress(ValueError):
                    self._queue.remove(waiter)
                self._dispatch(self._tick_clock())
            raise

    def release(
        self,
        slot: Slot,
        rate_limit: RateLimit | None = None,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        detail: str = "",
        sent: bool = True,
    ) -> None:
        """Return ``slot`` after its request.

        Parameters
        ----------
        rate_limit, status:
            The answer's ``X-RateLimit-*`` headers and status; ``status=None``
            when no answer came (the token stays spent: the server may have
            counted the request).
        retry_after, detail:
            For a 429: the server's wait (``retry_after_seconds``) and the header
            it came from (``server_wait_detail``).
        sent:
            ``False`` when the request never reached the server: the token is
            given back.
        """
        now = self._tick_clock()
        current = slot.window == self._window
        self._in_flight -= 1
        if current:
            self._in_flight_window -= 1
        if not sent:
            if current and self._tokens is not None:
                self._tokens += 1
        elif status is not None:
            self._learn(now, rate_limit, status, retry_after, detail, current=current)
        self._dispatch(now)

    def observe(self, rate_limit: RateLimit | None, *, retry_after: float | None = None) -> None:
        """Learn from an answer that holds no slot (``retry_after`` given: it was a 429)."""
        now = self._tick_clock()
        status = 429 if retry_after is not None else 200
        self._learn(now, rate_limit, status, retry_after, "", current=True)
        self._dispatch(now)

    def block_for(self, seconds: float) -> None:
        """Hold every request for ``seconds`` from now (never shortens a longer hold)."""
        self._hold_until = max(self._hold_until, self._clock() + self._capped(seconds, "hold"))

    def delay(self) -> float:
        """Seconds until the gate reopens (0 when a request could leave now or the
        gate waits for an answer rather than for the clock)."""
        now = self._tick_clock()
        if self._can_send(now):
            return 0.0
        due = self._due(now)
        return 0.0 if due is None else max(0.0, due - now)

    # -- counters and reports -----------------------------------------------------------

    def stats(self) -> RequestStats:
        """A snapshot of the counters."""
        return self._stats

    def count_sent(self) -> None:
        """Count one HTTP request sent (any host)."""
        self._add(requests_sent=1)

    def count_retry(self) -> None:
        """Count one retry of a call."""
        self._add(retries=1)

    def count_answer(self, status: int) -> None:
        """Count one answer (any host); only 429s are kept."""
        if status == 429:
            self._add(rate_limited=1)

    def report(self, wait: RateLimitWait) -> None:
        """Count a rate-limit wait; log it at INFO and pass it to ``on_wait`` when long."""
        self._add(rate_limit_waits=1, rate_limit_wait_seconds=wait.seconds)
        if wait.seconds <= REPORT_THRESHOLD:
            return
        if wait.method is not None:
            what = f"before retrying {wait.method} {wait.url} (429, {wait.detail})"
        else:
            why = "budget spent" if wait.reason == "budget_spent" else "429"
            what = f"with {wait.queued} request(s) queued ({why}, {wait.detail})"
        logger.info("rate limit: waiting %.1fs %s", wait.seconds, what)
        if self.on_wait is not None:
            try:
                self.on_wait(wait)
            except Exception:
                logger.exception("on_rate_limit callback failed")

    def _add(self, **counts: float) -> None:
        stats = self._stats
        self._stats = replace(stats, **{k: getattr(stats, k) + v for k, v in counts.items()})

    # -- the rules ----------------------------------------------------------------------

    def _tick_clock(self) -> float:
        """Now, with the window rolled over when due and every deadline capped."""
        now = self._clock()
        # A clock that jumped backwards must not stretch a wait past the cap.
        limit = now + MAX_SERVER_WAIT
        self._hold_until = min(self._hold_until, limit)
        if self._reset_at is not None:
            self._reset_at = min(self._reset_at, limit)
            if now >= self._reset_at and now >= self._hold_until:
                self._new_window(now)
        return now

    def _new_window(self, now: float) -> None:
        """Calendly §4: the window has reset; the budget is ``Limit`` again."""
        self._window += 1
        self._in_flight_window = 0
        if self._limit is None:
            self._tokens, self._probing, self._reset_at = None, True, None
            return
        self._tokens = max(0, self._limit - self._in_flight)
        self._reset_at, self._estimated = now + MAX_SERVER_WAIT, True
        self._reset_detail = "window assumed to last a minute"

    def _learn(
        self,
        now: float,
        rate_limit: RateLimit | None,
        status: int,
        retry_after: float | None,
        detail: str,
        *,
        current: bool,
    ) -> None:
        if rate_limit is not None:
            self.last = rate_limit
            if rate_limit.limit is not None:
                self._limit = rate_limit.limit
        if status == 429:
            self._learn_429(now, rate_limit, retry_after, detail)
        elif current:
            self._learn_budget(now, rate_limit)

    def _learn_429(
        self, now: float, rate_limit: RateLimit | None, retry_after: float | None, detail: str
    ) -> None:
        # Calendly §4: a 429 means the window is spent; wait Retry-After (if sent) or
        # X-RateLimit-Reset seconds. True for a request of any window.
        wait = retry_after
        if wait is None and rate_limit is not None:
            wait = rate_limit.reset
        if wait is None:
            return  # nothing to wait for: the retry's own backoff paces it
        wait = self._capped(wait, detail or "Retry-After")
        self._tokens, self._probing = 0, False
        self._hold_until = max(self._hold_until, now + wait)
        self._hold_detail = detail or f"Retry-After={wait:g}"
        self._reset_at, self._estimated = now + wait, False
        self._reset_detail = self._hold_detail

    def _learn_budget(self, now: float, rate_limit: RateLimit | None) -> None:
        if rate_limit is None or rate_limit.remaining is None:
            if self._probing and rate_limit is None:
                self._probing = False  # the server sends no budget: do not gate
            return
        # The other requests of this window in flight may not be counted yet.
        estimate = max(0, rate_limit.remaining - self._in_flight_window)
        if self._tokens is None or self._probing:
            self._tokens = estimate
        else:
            self._tokens = min(self._tokens, estimate)
        self._probing = False
        if rate_limit.reset is not None:
            reset_at = now + self._capped(rate_limit.reset, "X-RateLimit-Reset")
            if self._reset_at is None or self._estimated or reset_at < self._reset_at:
                self._reset_at, self._estimated = reset_at, False
                self._reset_detail = f"X-RateLimit-Reset={rate_limit.reset:g}"
        elif self._reset_at is None:
            self._reset_at, self._estimated = now + MAX_SERVER_WAIT, True
            self._reset_detail = "no X-RateLimit-Reset; window assumed to last a minute"

    def _capped(self, seconds: float, header: str) -> float:
        if seconds > MAX_SERVER_WAIT:
            if not self._warned:
                self._warned = True
                logger.warning(
                    "rate limit: the server asked to wait %gs (%s), longer than any Calendly "
                    "window; waiting at most %gs (server bug?)",
                    seconds,
                    header,
                    MAX_SERVER_WAIT,
                )
            return MAX_SERVER_WAIT
        return seconds

    def _can_send(self, now: float) -> bool:
        if now < self._hold_until:
            return False
        if self._probing:
            return self._in_flight < PROBE_REQUESTS
        return self._tokens is None or self._tokens > 0

    def _due(self, now: float) -> float | None:
        """When the gate should look again by the clock; ``None``: when an answer comes."""
        if self._tokens is not None and self._tokens <= 0 and self._reset_at is not None:
            if self._estimated and self._in_flight_window > 0:
                return None if now >= self._hold_until else self._hold_until
            return max(self._reset_at, self._hold_until)
        return self._hold_until if now < self._hold_until else None

    def _take(self) -> Slot:
        self._in_flight += 1
        self._in_flight_window += 1
        if self._tokens is not None:
            self._tokens -= 1
        return Slot(self._window)

    # -- the queue ----------------------------------------------------------------------

    def _dispatch(self, now: float) -> None:
        """Hand tokens to queued requests in order, then set the timer for the rest."""
        while self._queue and self._can_send(now):
            waiter = self._queue.popleft()
            if not waiter.done():
                waiter.set_result(self._take())
        self._arm_timer(now)

    def _arm_timer(self, now: float) -> None:
        due = self._due(now) if self._queue else None
        timer = self._timer
        if timer is not None and not timer.done():
            if due is not None and self._timer_due <= due:
                return  # it wakes up first and sets itself again
            timer.cancel()
            self._add(rate_limit_wait_seconds=-max(0.0, self._timer_due - now))
        self._timer = None
        if due is None or due <= now:
            return
        self._timer_due = due
        self._timer = asyncio.get_running_loop().create_task(self._wake_at(due - now))
        held = now < self._hold_until and self._hold_until >= due
        self.report(
            RateLimitWait(
                seconds=due - now,
                reason="too_many_requests" if held else "budget_spent",
                detail=self._hold_detail if held else self._reset_detail,
                queued=len(self._queue),
            )
        )

    async def _wake_at(self, delay: float) -> None:
        await self._sleep(delay)
        self._timer = None
        self._dispatch(self._tick_clock())
