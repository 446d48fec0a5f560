"""What an export reports: live progress, the final summary, and the client's counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..client import Calendly

__all__ = [
    "ClientCounters",
    "ExportProgress",
    "ExportSummary",
    "Tally",
    "client_counters",
    "eta_seconds",
]


@dataclass(frozen=True, slots=True)
class ClientCounters:
    """Requests, retries, 429s and rate-limit waiting of a client so far."""

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    rate_limit_wait: float = 0.0

    def since(self, start: ClientCounters) -> ClientCounters:
        """The difference from an earlier reading."""
        return ClientCounters(
            requests=self.requests - start.requests,
            retries=self.retries - start.retries,
            rate_limited=self.rate_limited - start.rate_limited,
            rate_limit_wait=self.rate_limit_wait - start.rate_limit_wait,
        )


@dataclass(slots=True)
class Tally:
    """What the export itself observes (pages fetched, failures it retried)."""

    pages: int = 0
    failed: int = 0
    rate_limited: int = 0
    window_retries: int = 0
    stale_restarts: int = 0


def client_counters(client: Calendly, tally: Tally) -> ClientCounters:
    """The counters the summary and progress need, read in one place.

    Requests, 429s and rate-limit waiting come from the client's own counters
    (``client.stats``: every attempt the transport sent, whatever the job);
    retries add the export's own window retries and stale-token restarts to the
    transport's per-request retries.
    """
    stats = client.stats
    return ClientCounters(
        requests=stats.requests_sent,
        retries=stats.retries + tally.window_retries + tally.stale_restarts,
        rate_limited=stats.rate_limited,
        rate_limit_wait=stats.rate_limit_wait_seconds,
    )



@dataclass(frozen=True, slots=True)
class ExportProgress:
    """A snapshot passed to the progress callback.

    ``rate_limit_remaining``/``rate_limit_reset`` are the latest
    ``X-RateLimit-*`` headers (``None`` before the first response).
    """

    windows_done: int
    windows_total: int
    events: int
    invitees: int
    requests: int
    retries: int
    rate_limited: int
    rate_limit_wait: float
    elapsed: float
    fraction: float = 0.0
    """Share of the start-time range finished (0..1), from the windows' cursors."""
    rate_limit_remaining: int | None = None
    rate_limit_reset: float | None = None
    rate_limit_budget: int | None = None


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export did.

    Attributes
    ----------
    counts:
        Records written per table (``scheduled_events``, ``invitees``, ...).
    requests, retries, rate_limited, rate_limit_wait:
        HTTP requests sent, retries, 429 answers, seconds spent waiting for the
        rate limit (this run only).
    window_retries, stale_restarts:
        Windows retried after failures beyond the per-request retries, and
        listings restarted after a stale page token.
    duration:
        Wall-clock seconds.
    paths:
        Every file written.
    resumed:
        Whether this run continued an unfinished export.
    peak_items_held:
        The most fetched records waiting to be committed at once.
    """

    counts: dict[str, int]
    requests: int
    retries: int
    rate_limited: int
    rate_limit_wait: float
    window_retries: int
    stale_restarts: int
    duration: float
    paths: list[Path] = field(default_factory=list)
    resumed: bool = False
    peak_items_held: int = 0


def eta_seconds(progress: ExportProgress) -> float | None:
    """Seconds left, estimated from the share done so far; ``None`` before any progress.

    While the rate-limit budget is spent (``X-RateLimit-Remaining`` 0), the
    remaining requests are paced by the budget (Calendly rule, reference §4:
    ``X-RateLimit-Limit`` requests per minute) plus the current wait.
    """
    if progress.fraction <= 0:
        return None
    if progress.fraction >= 1:
        return 0.0
    left = (1 - progress.fraction) / progress.fraction
    by_pace = progress.elapsed * left
    if progress.rate_limit_remaining == 0 and progress.rate_limit_budget:
        requests_left = progress.requests * left
        by_budget = requests_left / (progress.rate_limit_budget / 60) + (
            progress.rate_limit_reset or 0.0
        )
        return max(by_pace, by_budget)
    return by_pace
