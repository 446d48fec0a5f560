"""Calendly's rate-limit headers, and the gate that makes a client wait for the reset.

Calendly rule (reference §4, "Rate limiting"): every response carries
``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``;
Reset is the number of **seconds until** the window resets, not an epoch.
A ``Retry-After`` header, if ever sent, wins.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

__all__ = ["RateLimit", "RateLimitGate", "parse_rate_limit", "retry_after_seconds"]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The rate-limit headers of one response."""

    limit: int | None
    remaining: int | None
    reset: float | None
    """Seconds until the window resets."""


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if value >= 0 and value == value and value != float("inf") else None


def _integer(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None else None


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimit | None:
    """Read the ``X-RateLimit-*`` headers; ``None`` when none is present."""
    limit = _integer(headers.get("X-RateLimit-Limit"))
    remaining = _integer(headers.get("X-RateLimit-Remaining"))
    reset = _number(headers.get("X-RateLimit-Reset"))
    if limit is None and remaining is None and reset is None:
        return None
    return RateLimit(limit=limit, remaining=remaining, reset=reset)


def _retry_after_header(value: str, now: float) -> float | None:
    seconds = _number(value)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait before retrying: ``Retry-After`` if present, else ``X-RateLimit-Reset``."""
    retry_after = headers.get("Retry-After")
    if retry_after is not None:
        parsed = _retry_after_header(retry_after, time.time() if now is None else now)
        if parsed is not None:
            return parsed
    return _number(headers.get("X-RateLimit-Reset"))


class RateLimitGate:
    """Shared by every request of one client: when the budget is spent, all wait.

    ``observe`` is fed every response's headers; once ``X-RateLimit-Remaining``
    reaches 0 (or a 429 arrives) requests wait until the reset instead of each
    collecting a 429.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._blocked_until = 0.0
        self.last: RateLimit | None = None

    def observe(self, rate_limit: RateLimit | None) -> None:
        """Record a response's rate-limit headers."""
        if rate_limit is None:
            return
        self.last = rate_limit
        if rate_limit.remaining == 0 and rate_limit.reset:
            self.block_for(rate_limit.reset)

    def block_for(self, seconds: float) -> None:
        """Hold every request for ``seconds`` from now (never shortens a longer hold)."""
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def delay(self) -> float:
        """Seconds a request sent now would have to wait."""
        return max(0.0, self._blocked_until - self._clock())

    async def wait(self) -> None:
        """Sleep until the budget is available again (no-op when it is)."""
        while (delay := self.delay()) > 0:
            await self._sleep(delay)
