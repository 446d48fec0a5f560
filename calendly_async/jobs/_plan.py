"""The plan of an export as plain data: scope, range, windows. Pure; no I/O.

A plan is what a checkpoint stores and what a worker (this process today, a
queue worker later) needs to run one window, so everything here is a frozen
dataclass of strings and numbers that round-trips through JSON.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from .._params import TimeArg, format_time, parse_time
from ..errors import InvalidInputError

__all__ = [
    "FORMATS",
    "INCLUDES",
    "Format",
    "Include",
    "Plan",
    "Scope",
    "Window",
    "plan_windows",
]

Format = Literal["ndjson", "csv", "sqlite"]
FORMATS: tuple[Format, ...] = ("ndjson", "csv", "sqlite")
"""Every output format, in the order files are written."""

Include = Literal["event_types", "memberships", "routing_forms"]
INCLUDES: tuple[Include, ...] = ("event_types", "memberships", "routing_forms")
"""The optional extra resources an export can add."""

MIN_WINDOW = timedelta(hours=1)
"""No window is shorter than this (an empty window still costs one request)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose events are exported.

    Calendly rule (reference §6.6, ``GET /scheduled_events``): ``organization``
    or ``user`` is required; ``organization`` alone is the whole organization
    (admin or owner), ``organization`` + ``user`` that member, ``user`` alone
    the caller's own events. Both are full URIs here.
    """

    organization: str | None = None
    user: str | None = None

    def __post_init__(self) -> None:
        if not self.organization and not self.user:
            raise InvalidInputError("an export needs an organization or a user")


@dataclass(frozen=True, slots=True)
class Window:
    """One slice ``[start, end)`` of the start-time range (Calendly's UTC ``...Z`` strings)."""

    index: int
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything that identifies one export: a resume must match it exactly."""

    scope: Scope
    since: str
    until: str
    windows: tuple[Window, ...]
    includes: tuple[Include, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the checkpoint stores it)."""
        return {
            "organization": self.scope.organization,
            "user": self.scope.user,
            "since": self.since,
            "until": self.until,
            "windows": [[w.start, w.end] for w in self.windows],
            "includes": list(self.includes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        """The inverse of ``to_json``."""
        windows = tuple(
            Window(index, str(start), str(end))
            for index, (start, end) in enumerate(data["windows"])
        )
        return cls(
            scope=Scope(organization=data.get("organization"), user=data.get("user")),
            since=str(data["since"]),
            until=str(data["until"]),
            windows=windows,
            includes=tuple(data.get("includes", ())),
        )


def plan_windows(since: TimeArg, until: TimeArg, count: int) -> tuple[Window, ...]:
    """Split ``[since, until)`` into at most ``count`` equal windows (each >= one hour).

    Calendly rule (reference §6.6): ``min_start_time`` is inclusive and
    ``max_start_time`` exclusive, so consecutive windows ``[a, b)``, ``[b, c)``
    cover the range once; no event falls in two windows.

    Raises
    ------
    InvalidInputError
        A time is naive or unparsable, ``until`` is not after ``since``, or
        ``count`` is not a positive integer.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InvalidInputError(f"windows must be a positive integer, not {count!r}")
    start = parse_time(since, what="since")
    end = parse_time(until, what="until")
    if end <= start:
        raise InvalidInputError(
            f"until {format_time(end)} must be after since {format_time(start)}"
        )
    span = max((end - start) / count, MIN_WINDOW)
    # Whole microseconds, so every boundary is exactly what Calendly's format can say.
    span = timedelta(microseconds=max(1, int(span / timedelta(microseconds=1))))
    bounds: list[datetime] = []
    cursor = start
    while cursor < end:
        bounds.append(cursor)
        cursor += span
    bounds.append(end)
    return tuple(
        Window(index, format_time(lo), format_time(hi))
        for index, (lo, hi) in enumerate(itertools.pairwise(bounds))
    )


def parse_includes(values: str | Sequence[str] | None) -> tuple[Include, ...]:
    """Check and order ``include`` names (comma-separated text or a list)."""
    return _choices(values, INCLUDES, "include")


def parse_formats(values: str | Sequence[str] | None) -> tuple[Format, ...]:
    """Check and order ``format`` names; ``None`` means all three."""
    if values is None:
        return FORMATS
    formats = _choices(values, FORMATS, "format")
    if not formats:
        raise InvalidInputError("format needs at least one of ndjson, csv, sqlite")
    return formats


def _choices(values: Any, allowed: tuple[Any, ...], what: str) -> tuple[Any, ...]:
    if values is None:
        return ()
    names = values.split(",") if isinstance(values, str) else list(values)
    wanted = {str(name).strip() for name in names if str(name).strip()}
    unknown = wanted - set(allowed)
    if unknown:
        raise InvalidInputError(
            f"unknown {what} {', '.join(sorted(unknown))}; choose from {', '.join(allowed)}"
        )
    return tuple(name for name in allowed if name in wanted)
