"""The time range of an availability lookup: defaults, checks, a past start moved. Pure.

Calendly rule (reference §6.4, §6.5): ``GET /event_type_available_times`` and
``GET /user_busy_times`` answer 400 to a ``start_time`` in the past. A lookup
asked to start in the past therefore starts *now* instead (rounded up to the next
whole minute, so the first request is still in the future when it arrives), and
says so in its result (the lookups also log a warning).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..._params import TimeArg, parse_time
from ...errors import InvalidInputError

__all__ = ["DEFAULT_DAYS", "LATEST_END", "LookupRange", "lookup_range", "utc_now"]

DEFAULT_DAYS = 7
"""Days covered when neither ``end`` nor ``days`` is given."""


LATEST_END = datetime(9999, 12, 30, tzinfo=UTC)
"""No lookup ends later: a schedule's local days (one either side) must still be dates."""


def utc_now() -> datetime:
    """The current time, aware UTC (the default clock of the lookups)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class LookupRange:
    """The range a lookup covers.

    Attributes
    ----------
    start, end:
        What is fetched: ``[start, end)``, aware UTC.
    requested_start:
        The ``start`` that was asked for (``start`` unless it was in the past).
    start_moved:
        Whether ``start`` was in the past and moved to now.
    """

    start: datetime
    end: datetime
    requested_start: datetime
    start_moved: bool


def _ceil_minute(moment: datetime) -> datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(minutes=1)


def lookup_range(
    start: TimeArg | None, end: TimeArg | None, days: int | None, now: datetime
) -> LookupRange:
    """Resolve ``start`` (default: now), ``end`` or ``days`` (default 7) against ``now``.

    ``days`` counts from the requested ``start``; only a ``start`` before ``now``
    is moved (to ``now`` rounded up to the minute), the end stays where it was.

    Raises
    ------
    InvalidInputError
        Both ``end`` and ``days`` given, ``days`` not a positive integer, a time
        naive or unparsable, or the range empty (``end`` not after ``start``, or
        already past).
    """
    if end is not None and days is not None:
        raise InvalidInputError("pass end or days, not both")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise InvalidInputError(f"days must be a positive integer, not {days!r}")
    now = now.astimezone(UTC)
    earliest = _ceil_minute(now)
    requested = parse_time(start, what="start") if start is not None else earliest
    if end is not None:
        stop = parse_time(end, what="end")
        if stop <= requested:
            raise InvalidInputError(f"end {stop.isoformat()} must be after start")
    else:
        span = days or DEFAULT_DAYS
        if requested > LATEST_END or span > (LATEST_END - requested).days:
            raise InvalidInputError(f"{span} days from {requested.isoformat()} end too late")
        stop = requested + timedelta(days=span)
    if stop > LATEST_END:
        raise InvalidInputError(f"end {stop.isoformat()} is after {LATEST_END.isoformat()}")
    moved = requested < now
    first = earliest if moved else requested
    if stop <= first:
        raise InvalidInputError(f"end {stop.isoformat()} is in the past; nothing to look up")
    return LookupRange(start=first, end=stop, requested_start=requested, start_moved=moved)
