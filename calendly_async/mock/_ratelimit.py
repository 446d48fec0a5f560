"""The mock's rate limit: a fixed one-minute window with a request budget.

Calendly rule (reference §4): every response carries ``X-RateLimit-Limit``,
``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (**seconds until** the
window resets, not an epoch); a request beyond the budget gets 429.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["WINDOW_SECONDS", "RateLimiter"]

WINDOW_SECONDS = 60.0
"""Calendly budgets are per minute."""


class RateLimiter:
    """A per-minute request budget (the window starts at the first request).

    Parameters
    ----------
    limit:
        Requests allowed per window (Calendly: 500 on paid plans, 50 on free).
    clock:
        Seconds (``time.time``); injectable for tests.
    """

    def __init__(self, limit: int, clock: Callable[[], float]) -> None:
        self.limit = limit
        self._clock = clock
        self._window_start: float | None = None
        self.used = 0

    def _roll(self) -> float:
        now = self._clock()
        if self._window_start is None or now >= self._window_start + WINDOW_SECONDS:
            self._window_start = now
            self.used = 0
        return now

    def take(self) -> bool:
        """Spend one request; ``False`` when the budget of this window is spent."""
        self._roll()
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    @property
    def remaining(self) -> int:
        """Requests left in the current window."""
        self._roll()
        return max(0, self.limit - self.used)

    @property
    def reset(self) -> int:
        """Whole seconds until the current window resets (at least 1)."""
        now = self._roll()
        start = self._window_start if self._window_start is not None else now
        return max(1, math.ceil(start + WINDOW_SECONDS - now))

    def headers(self, *, exhausted: bool = False) -> dict[str, str]:
        """The ``X-RateLimit-*`` headers for a response now."""
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": "0" if exhausted else str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }
