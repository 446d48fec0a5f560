"""Calendly's rate-limit headers, and the gate that makes a client wait for the reset.

Calendly rule (reference §4, "Rate limiting"): every response carries
``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``;
Reset is the number of **seconds until** the window resets, not an epoch.
A ``Retry-After`` header (RFC 9110 §10.2.3: seconds or an HTTP-date), if ever
sent, wins.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

__all__ = [
    "RateLimit",
    "RateLimitGate",
    "header_value",
    "parse_rate_limit",
    "retry_after_seconds",
]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The rate-limit headers of one response.

    Attributes
    ----------
    limit:
        ``X-RateLimit-Limit``: requests allowed per window.
    remaining:
        ``X-RateLimit-Remaining``: requests left in this window.
    reset:
        ``X-RateLimit-Reset``: seconds until the window resets.
    """

    limit: int | None
    remaining: int | None
    reset: float | None


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """The value of header ``name``, matched case-insensitively (HTTP field names are).

    ``aiohttp`` hands over a case-insensitive mapping already; a plain ``dict``
    (a test, another HTTP library) is searched by lower-cased name.
    """
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, item in headers.items():
        if key.lower() == wanted:
            return item
    return None


def _number(text: str | None) -> float | None:
    """A finite, non-negative number of seconds, or ``None`` for anything else."""
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _integer(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None else None


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimit | None:
    """Read the ``X-RateLimit-*`` headers; ``None`` when none is present.

    Values that are not non-negative numbers are ignored (read as absent).
    """
    limit = _integer(header_value(headers, "X-RateLimit-Limit"))
    remaining = _integer(header_value(headers, "X-RateLimit-Remaining"))
    reset = _number(header_value(headers, "X-RateLimit-Reset"))
    if limit is None and remaining is None and reset is None:
        return None
    return RateLimit(limit=limit, remaining=remaining, reset=reset)


def _retry_after_header(value: str, now: float) -> float | None:
    seconds = _number(value)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # RFC 9110 §5.6.7: HTTP-dates are always GMT ("-0000" parses as naive).
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait before retrying: ``Retry-After`` if valid, else ``X-RateLimit-Reset``.

    Parameters
    ----------
    headers:
        The response headers.
    now:
        The current Unix time, for an HTTP-date ``Retry-After`` (default: ``time.time()``).

    Returns
    -------
    float or None
        ``None`` when neither header holds a usable value.
    """
    retry_after = header_value(headers, "Retry-After")
    if retry_after is not None:
        parsed = _retry_after_header(retry_after, time.time() if now is None else now)
        if parsed is not None:
            return parsed
    return _number(header_value(headers, "X-RateLimit-Reset"))


class RateLimitGate:
    """Shared by every request of one client: when the budget is spent, all wait.

    ``observe`` is fed every response's headers; once ``X-RateLimit-Remaining``
    reaches 0 (or a 429 arrives) requests wait until the reset instead of each
    collecting a 429.

    Parameters
    ----------
    clock, sleep:
        ``time.monotonic`` and ``asyncio.sleep`` stand-ins (tests inject fakes).
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

    def observe(self, rate_limit: RateLimit | None, *, retry_after: float | None = None) -> None:
        """Record one response's rate-limit state.

        Parameters
        ----------
        rate_limit:
            The response's ``X-RateLimit-*`` headers.
        retry_after:
            For a 429: the server's wait (``retry_after_seconds``). It replaces the
            ``X-RateLimit-Reset`` of the same response, because ``Retry-After`` wins.
        """
        if rate_limit is not None:
            self.last = rate_limit
        if retry_after is not None:
            self.block_for(retry_after)
        elif rate_limit is not None and rate_limit.remaining == 0 and rate_limit.reset:
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
