"""Calendly's rate-limit headers, read as pure functions (the gate is in ``_gate``).

Calendly rule (reference §4, "Rate limiting"): every response carries
``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``;
Reset is the number of **seconds until** the window resets, not an epoch.
A ``Retry-After`` header (RFC 9110 §10.2.3: seconds or an HTTP-date), if ever
sent, wins.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime

__all__ = [
    "MAX_SERVER_WAIT",
    "RateLimit",
    "cap_server_wait",
    "header_value",
    "parse_rate_limit",
    "retry_after_seconds",
    "server_wait_detail",
]

MAX_SERVER_WAIT = 65.0
"""The longest the SDK ever sleeps on one server instruction, in seconds.

Calendly rule (reference §4): budgets are per minute, so ``X-RateLimit-Reset``
is at most 60 s; 5 s of margin covers a late clock. A longer ``X-RateLimit-Reset``
or ``Retry-After`` is treated as a server bug: the wait is cut to this cap, so
one bad response cannot stall a client for an hour.
"""


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


def cap_server_wait(seconds: float) -> float:
    """``seconds`` cut to ``MAX_SERVER_WAIT`` (a server-given wait is never honoured longer)."""
    return min(seconds, MAX_SERVER_WAIT)


def server_wait_detail(headers: Mapping[str, str]) -> str:
    """Which header a 429's wait came from, for log lines: ``"Retry-After=7"`` or
    ``"X-RateLimit-Reset=60"`` (the same precedence as ``retry_after_seconds``)."""
    retry_after = header_value(headers, "Retry-After")
    if retry_after is not None and _retry_after_header(retry_after, time.time()) is not None:
        return f"Retry-After={retry_after.strip()}"
    return f"X-RateLimit-Reset={header_value(headers, 'X-RateLimit-Reset')}"
