"""Calendly's envelopes and error body, and the parsing of query strings and JSON bodies.

Calendly rules (reference §1, §3):

- one object is ``{"resource": {...}}``; an unpaginated list ``{"collection": [...]}``;
  a created resource answers 201, a deletion 204 with no body, a data-compliance
  request 202 with ``{}``;
- every API error body is ``{"title", "message", "details": [{"parameter", "message"}]}``;
- query parameters and body fields that name another resource carry its full URI;
  the mock compares them by the UUID at the end, so any host works.

Hostile input is a 400 here, once, for every route: JSON nested deeper than
``MAX_JSON_DEPTH``, integers written other than as ASCII digits, and times or
dates outside ``EARLIEST``..``LATEST`` (never a ``RecursionError`` or
``OverflowError`` that would answer 500).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import msgspec
from aiohttp import web

__all__ = [
    "ApiError",
    "accepted",
    "bad_request",
    "body_list",
    "body_str",
    "bool_param",
    "choice_param",
    "collection",
    "conflict",
    "error_response",
    "forbidden",
    "int_param",
    "json_body",
    "json_response",
    "list_param",
    "lookup",
    "no_content",
    "not_found",
    "optional",
    "parse_date",
    "parse_time",
    "required",
    "resource",
    "time_param",
    "unauthenticated",
    "uuid_of",
]

_ENCODER = msgspec.json.Encoder()

INVALID_TITLE = "Invalid Argument"
INVALID_MESSAGE = "The supplied parameters are invalid."

T = TypeVar("T")

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a request body may have (Calendly's bodies
are at most about five levels deep); deeper is a 400."""

EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
"""The instants the mock accepts (``EARLIEST`` inclusive, ``LATEST`` exclusive).

Mock rule, not a documented Calendly one: a time or date outside is a 400, so the
day arithmetic behind slots, zone shifts and ranges (a few days either side) can
never leave ``datetime``'s years 1-9999 and fail with ``OverflowError``.
"""

_ASCII_DIGITS = frozenset("0123456789")


class ApiError(Exception):
    """An error answer in Calendly's shape, raised by a handler and rendered by a middleware.

    Parameters
    ----------
    status:
        The HTTP status.
    title, message:
        Calendly's ``title`` and ``message``.
    details:
        ``[{"parameter": ..., "message": ...}]`` for validation errors.
    """

    def __init__(
        self,
        status: int,
        title: str,
        message: str,
        details: Sequence[Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(f"{status} {title}: {message}")
        self.status = status
        self.title = title
        self.message = message
        self.details = [dict(detail) for detail in details or ()]

    def response(self) -> web.Response:
        """The error as an HTTP response."""
        return error_response(self.status, self.title, self.message, self.details)


def error_response(
    status: int,
    title: str,
    message: str,
    details: Sequence[Mapping[str, str]] | None = None,
) -> web.Response:
    """A response with Calendly's error body ``{title, message, details}``."""
    body: dict[str, Any] = {"title": title, "message": message}
    if details:
        body["details"] = [dict(detail) for detail in details]
    return json_response(body, status=status)


def bad_request(parameter: str, message: str) -> ApiError:
    """A 400 naming the offending parameter (Calendly's validation error)."""
    details = [{"parameter": parameter, "message": message}]
    return ApiError(400, INVALID_TITLE, INVALID_MESSAGE, details)


def unauthenticated() -> ApiError:
    """Calendly's 401 for a missing, unknown, expired or revoked token."""
    return ApiError(401, "Unauthenticated", "The access token is invalid")


def forbidden(message: str) -> ApiError:
    """A 403 ``Permission Denied`` with one of Calendly's stable messages."""
    return ApiError(403, "Permission Denied", message)


def not_found() -> ApiError:
    """Calendly's 404 for an unknown resource."""
    return ApiError(404, "Resource Not Found", "The server could not find the requested resource.")


def lookup(items: Mapping[str, T], key: str) -> T:
    """``items[key]``, or Calendly's 404 when there is no such resource."""
    found = items.get(key)
    if found is None:
        raise not_found()
    return found


def conflict(message: str) -> ApiError:
    """A 409 ``Already Exists``."""
    return ApiError(409, "Already Exists", message)


def json_response(payload: Any, status: int = 200) -> web.Response:
    """``payload`` (builtins and model Structs) encoded as JSON."""
    return web.Response(
        body=_ENCODER.encode(payload), status=status, content_type="application/json"
    )


def resource(item: Any, status: int = 200) -> web.Response:
    """``{"resource": item}``."""
    return json_response({"resource": item}, status=status)


def collection(items: Sequence[Any]) -> web.Response:
    """``{"collection": items}`` without pagination (available times, busy times, schedules)."""
    return json_response({"collection": list(items)})


def no_content() -> web.Response:
    """204 with no body (deletions)."""
    return web.Response(status=204)


def accepted() -> web.Response:
    """202 with ``{}`` (data-compliance requests)."""
    return json_response({}, status=202)


# -- identifiers and query parameters ---------------------------------------------------


def uuid_of(value: str) -> str:
    """The UUID at the end of a resource URI (a bare UUID is returned as is)."""
    return value.strip().rstrip("/").rsplit("/", 1)[-1]


def optional(request: web.Request, name: str) -> str | None:
    """A query parameter, or ``None`` when absent or empty."""
    value = request.query.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def required(request: web.Request, name: str) -> str:
    """A required query parameter; a 400 naming it when missing."""
    value = optional(request, name)
    if value is None:
        raise bad_request(name, "is required")
    return value


def _in_range(parameter: str) -> ApiError:
    return bad_request(parameter, f"must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}")


def parse_time(text: str, parameter: str) -> datetime:
    """An ISO-8601 time with an offset (Calendly takes UTC ``...Z``), as aware UTC.

    A time whose UTC instant is outside ``EARLIEST``..``LATEST`` (``0001-01-01T00:00:00+23:59``
    is in year 0) is a 400.
    """
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise bad_request(parameter, "must be a valid ISO 8601 timestamp") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise bad_request(parameter, "must be a UTC timestamp (ending in Z)")
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:
        raise _in_range(parameter) from None
    if not EARLIEST <= instant < LATEST:
        raise _in_range(parameter)
    return instant


def parse_date(text: str, parameter: str) -> date:
    """A ``YYYY-MM-DD`` date within ``EARLIEST``..``LATEST`` (a 400 otherwise)."""
    try:
        parsed = date.fromisoformat(text.strip())
    except ValueError:
        raise bad_request(parameter, "must be a date (YYYY-MM-DD)") from None
    if not EARLIEST.date() <= parsed < LATEST.date():
        raise _in_range(parameter)
    return parsed


def time_param(request: web.Request, name: str, *, need: bool = False) -> datetime | None:
    """A time query parameter (``need``: a 400 when missing)."""
    value = required(request, name) if need else optional(request, name)
    return None if value is None else parse_time(value, name)


def bool_param(request: web.Request, name: str) -> bool | None:
    """``true`` / ``false`` (anything else is a 400)."""
    value = optional(request, name)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise bad_request(name, "must be true or false")
    return value == "true"


def int_param(request: web.Request, name: str, low: int, high: int) -> int | None:
    """An integer ``low..high`` written in ASCII digits only (a 400 otherwise).

    ``int()`` alone would also take ``"+5"``, ``" 5"``, ``"1_0"`` and non-ASCII
    digits such as full-width ``"\\uff11\\uff12"``; none of them is an integer in a URL.
    """
    text = request.query.get(name)
    if text is None:
        return None
    invalid = bad_request(name, f"must be an integer between {low} and {high}")
    # Length first: int() of thousands of digits is slow (and refused past 4300).
    if not text or len(text) > len(str(high)) or not _ASCII_DIGITS.issuperset(text):
        raise invalid
    value = int(text)
    if not low <= value <= high:
        raise invalid
    return value


def choice_param(request: web.Request, name: str, choices: Sequence[str]) -> str | None:
    """One of ``choices`` (anything else is a 400)."""
    value = optional(request, name)
    if value is not None and value not in choices:
        raise bad_request(name, f"must be one of {', '.join(choices)}")
    return value


def list_param(request: web.Request, name: str) -> list[str] | None:
    """An array parameter: comma-joined (``style: form, explode: false``) or repeated keys."""
    values = [
        part.strip()
        for raw in request.query.getall(name, [])
        for part in raw.split(",")
        if part.strip()
    ]
    return values or None


# -- JSON bodies ------------------------------------------------------------------------


def _too_deep(value: Any) -> bool:
    """Whether ``value`` nests arrays/objects deeper than ``MAX_JSON_DEPTH`` (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth > MAX_JSON_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in item)
    return False


async def json_body(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object (a 400 for anything else, or nested too deep)."""
    raw = await request.read()
    too_deep = bad_request("body", f"must not nest deeper than {MAX_JSON_DEPTH} levels")
    try:
        body = msgspec.json.decode(raw) if raw.strip() else {}
    except msgspec.DecodeError:
        raise bad_request("body", "must be a JSON object") from None
    except RecursionError:
        raise too_deep from None
    if not isinstance(body, dict):
        raise bad_request("body", "must be a JSON object")
    if _too_deep(body):
        raise too_deep
    return body


def body_str(body: Mapping[str, Any], name: str, *, need: bool = True) -> str | None:
    """A string field of a JSON body (``need``: a 400 when missing or blank)."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if need:
            raise bad_request(name, "is required")
        return None
    if not isinstance(value, str):
        raise bad_request(name, "must be a string")
    return value.strip()


def body_list(body: Mapping[str, Any], name: str) -> list[str]:
    """A required non-empty list of strings in a JSON body."""
    value = body.get(name)
    if not isinstance(value, list) or not value:
        raise bad_request(name, "must be a non-empty list")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise bad_request(name, "must hold non-empty strings")
    return [item.strip() for item in value]
