"""Query strings and times: turning Python arguments into what Calendly accepts. Pure.

Calendly rules (reference §1, §2): timestamps are UTC ISO-8601
(``2020-01-02T03:04:05.678123Z``); booleans are ``true``/``false``; array
parameters are comma-joined (``style: form, explode: false`` in the spec).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from .errors import InvalidInputError

__all__ = [
    "TimeArg",
    "format_time",
    "name_list",
    "parse_time",
    "query",
    "split_window",
    "time_range",
]

TimeArg = datetime | str
"""An aware ``datetime`` or an ISO-8601 string with an offset (``...Z``, ``+02:00``)."""

QueryScalar = str | int | float | bool | datetime | date
QueryValue = QueryScalar | Iterable[QueryScalar] | None
"""A query argument: a scalar, a list of scalars (comma-joined), or ``None`` (omitted)."""


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
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        # datetime(1, 1, 1, tzinfo=+23:59) is before year 1 in UTC.
        shown = value.isoformat() if isinstance(value, datetime) else repr(value)
        raise InvalidInputError(
            f"{what} {shown} is outside the years 1-9999 once converted to UTC"
        ) from None


def format_time(value: TimeArg, *, what: str = "time") -> str:
    """Format ``value`` the way Calendly writes times: UTC, microseconds, ``Z``."""
    # isoformat, not strftime: strftime("%Y") writes year 1 as "1", not "0001".
    utc = parse_time(value, what=what).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def _format_scalar(value: object, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_time(value, what=key)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value)
    raise InvalidInputError(f"query parameter {key} cannot be a {type(value).__name__}")


def _format_value(value: QueryValue, key: str) -> str:
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return ",".join(_format_scalar(item, key) for item in value)
    return _format_scalar(value, key)


def _is_omitted(value: QueryValue) -> bool:
    if value is None:
        return True
    return isinstance(value, list | tuple | set | frozenset) and not value


def query(params: Mapping[str, QueryValue]) -> dict[str, str]:
    """Build a query dict the way Calendly reads it.

    ``None`` and empty lists are dropped (the filter is not sent); booleans
    become ``true``/``false``; datetimes UTC ``...Z`` (a naive one raises
    ``InvalidInputError``); dates ``YYYY-MM-DD``; lists are comma-joined.
    """
    return {
        key: _format_value(value, key) for key, value in params.items() if not _is_omitted(value)
    }


def split_window(
    start: datetime, end: datetime, max_span: timedelta
) -> list[tuple[datetime, datetime]]:
    """Split ``[start, end]`` into consecutive windows no longer than ``max_span``.

    Used where Calendly caps a range (available times: 31 days; busy times: 7
    days). Raises ``InvalidInputError`` when ``end`` is not after ``start``, when
    either is naive, or when ``max_span`` is not positive.
    """
    for name, value in (("start_time", start), ("end_time", end)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInputError(f"{name} {value.isoformat()} has no timezone")
    if max_span <= timedelta(0):
        raise InvalidInputError(f"max_span must be positive, not {max_span}")
    if end <= start:
        raise InvalidInputError(f"end_time {end.isoformat()} must be after start_time")
    windows: list[tuple[datetime, datetime]] = []
    cursor = start
    while cursor < end:
        # end - cursor, not cursor + max_span: the sum can pass year 9999 (OverflowError).
        stop = end if end - cursor <= max_span else cursor + max_span
        windows.append((cursor, stop))
        cursor = stop
    return windows


def time_range(
    start: TimeArg | None, end: TimeArg | None, start_name: str, end_name: str
) -> tuple[str | None, str | None]:
    """Format an optional time range for Calendly, refusing naive times and ``start > end``."""
    first = format_time(start, what=start_name) if start is not None else None
    last = format_time(end, what=end_name) if end is not None else None
    if start is not None and end is not None and parse_time(start) > parse_time(end):
        raise InvalidInputError(f"{start_name} {first} is after {end_name} {last}")
    return first, last


def name_list(values: str | Sequence[str] | None, what: str) -> list[str] | None:
    """``values`` as a list of non-empty strings (a bare string is one item); ``None`` stays.

    An empty list is refused: Calendly needs at least one item where a list is sent.
    """
    if values is None:
        return None
    if isinstance(values, bytes | Mapping) or not isinstance(values, str | Iterable):
        raise InvalidInputError(
            f"{what} must be a string or a list of strings, not {type(values).__name__}"
        )
    items = [values] if isinstance(values, str) else list(values)
    if not items:
        raise InvalidInputError(f"{what} must not be empty")
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise InvalidInputError(f"every item of {what} must be a non-empty string")
    return items
