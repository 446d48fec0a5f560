"""A virtual clock shared by a client and the mock (``tests/test_export_limits.py``).

The export's benchmark rows (4, 5 and the export figure of 7) live in
``_export_rows``; this module keeps only the clock the export's rate-limit test
imports: with it, a one-minute rate-limit window passes without real waiting.
"""

from __future__ import annotations

import asyncio

__all__ = ["VirtualClock"]


class VirtualClock:
    """A clock shared by client and mock; a sleep moves time to its deadline."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def clock(self) -> float:
        """The current virtual time (seconds)."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Yield once, then move the clock to ``now + seconds`` (never backwards)."""
        deadline = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, deadline)
