"""Query strings and times: turning Python arguments into what Calendly accepts. Pure.

Calendly rules (reference §1, §2): timestamps are UTC ISO-8601
(``2020-01-02T03:04:05.678123Z``); booleans are ``true``/``false``; array
parameters are comma-joined (``style: form, explode: false`` in the spec).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from .errors import InvalidInputError

__all__ = ["TimeArg", "format_time", "parse_time", "query", "split_window"]

TimeArg = datetime | str
"""An aware ``datetime`` or an ISO-8601 string with an offset (``...Z``, ``+02:00``)."""

QueryValue = str | int | float | bool | datetime | date | Iterable[str] | None


def parse_time(value: TimeArg, *, what: str = "time") -> datetime:
    """Return ``value`` as an aware UTC datetime; refuse naive or unparsable times."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInputError(
                f"{what} {value!r} is not an ISO-8601 timestamp (e.g. 2024-05-01T09:00:00Z)"
            ) from None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise InvalidInputError(
            f"{what} must be an aware datetime or an ISO-8601 string, not {type(value).__name__}"
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidInputError(
            f"{what} {value!r} has no timezone; pass an aware datetime "
            "(datetime(..., tzinfo=timezone.utc)) or a string ending in Z or +HH:MM"
        )
    return parsed.astimezone(UTC)


def format_time(value: TimeArg, *, what: str = "time") -> str:
    """Format ``value`` the way Calendly writes times: UTC, microseconds, ``Z``."""
    return parse_time(value, what=what).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _format_value(value: QueryValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        raise TypeError("None values are dropped before formatting")
    return ",".join(str(item) for item in value)


def query(params: Mapping[str, QueryValue]) -> dict[str, str]:
    """Build a query dict: drop ``None``, format booleans, times and lists."""
    return {key: _format_value(value) for key, value in params.items() if value is not None}


def split_window(
    start: datetime, end: datetime, max_span: timedelta
) -> list[tuple[datetime, datetime]]:
    """Split ``[start, end]`` into consecutive windows no longer than ``max_span``.

    Used where Calendly caps a range (available times: 31 days; busy times: 7
    days). Raises ``InvalidInputError`` when ``end`` is not after ``start``.
    """
    if end <= start:
        raise InvalidInputError(f"end_time {end.isoformat()} must be after start_time")
    windows: list[tuple[datetime, datetime]] = []
    cursor = start
    while cursor < end:
        stop = min(cursor + max_span, end)
        windows.append((cursor, stop))
        cursor = stop
    return windows
