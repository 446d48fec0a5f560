"""Every exception calendly_async raises, and the one place HTTP failures become them.

The tree::

    CalendlyError
    ├── InvalidInputError (also ValueError)   bad argument, raised before any request
    ├── TokenPersistenceError                  on_token failed; the new token is kept in memory
    ├── ClientClosedError                      the client (or its aiohttp session) is closed
    ├── DecodeError                            a body that is not what Calendly documents
                                               (malformed, too deeply nested, too large)
    ├── TransportError                         no HTTP response was received
    │   ├── ConnectError (also OSError)        the request never reached the server
    │   │   └── ConnectTimeout (also TimeoutError)
    │   ├── ReadTimeout (also TimeoutError)    sent, but no complete answer in time
    │   └── NetworkError (also OSError)        connection reset or dropped mid-request
    └── APIError                               Calendly answered with an error status
        ├── RedirectError           3xx (never followed; ``location`` names the target)
        ├── BadRequestError         400
        ├── AuthenticationError     401 (and OAuth token-endpoint failures)
        │   └── InvalidGrantError   refresh token or code rejected: re-authorise the user
        ├── PermissionDeniedError   403
        │   └── InsufficientScopeError   403 carrying ``required_scopes``
        ├── NotFoundError           404
        ├── ConflictError           409
        ├── ExternalCalendarError   424
        ├── RateLimitError          429 (``retry_after`` in seconds)
        └── ServerError             5xx

Branch on the class (the HTTP status), not on ``title``/``message``: Calendly's
spec gives most statuses a placeholder title (reference §3).

Messages never contain tokens, client secrets or signing keys: they are built only
from the status, Calendly's ``title``/``message``/``details`` and the request line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import msgspec

from ._json import MALFORMED_JSON
from ._ratelimit import header_value, retry_after_seconds
from ._redact import REDACTED

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "CalendlyError",
    "ClientClosedError",
    "ConflictError",
    "ConnectError",
    "ConnectTimeout",
    "DecodeError",
    "ErrorDetail",
    "ExternalCalendarError",
    "InsufficientScopeError",
    "InvalidGrantError",
    "InvalidInputError",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReadTimeout",
    "RedirectError",
    "ServerError",
    "TokenPersistenceError",
    "TransportError",
    "error_from_response",
]


class CalendlyError(Exception):
    """Base class of every exception raised by calendly_async."""


class InvalidInputError(CalendlyError, ValueError):
    """An argument is malformed (naive datetime, bad URI, empty required value).

    Raised before any request is sent. Also a ``ValueError``.
    """


class TokenPersistenceError(CalendlyError):
    """``on_token`` raised while persisting a rotated OAuth token.

    The new token is kept in memory (the old refresh token is already revoked by
    Calendly) and persisting it is tried again before the next request uses it.
    """


class DecodeError(CalendlyError):
    """A response whose body is not the documented shape.

    Also raised for a body that is not JSON, is nested too deeply to decode, or
    is larger than the client's ``max_response_bytes`` (then it is not read to
    the end). ``path`` is msgspec's location of the problem (``$.resource.start_time``).
    """

    def __init__(self, message: str, *, path: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.url = url


class TransportError(CalendlyError):
    """No HTTP response was received (connection or timeout failure)."""

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class ConnectError(TransportError, OSError):
    """The connection could not be opened, so the request never reached Calendly.

    Always safe to retry, whatever the method.
    """


class ConnectTimeout(ConnectError, TimeoutError):
    """Opening the connection took longer than the timeout."""


class ReadTimeout(TransportError, TimeoutError):
    """The request was sent but the response did not arrive in time."""


class NetworkError(TransportError, OSError):
    """The connection broke after the request was sent (reset, dropped, truncated)."""


class ErrorDetail(msgspec.Struct, kw_only=True):
    """One entry of an error body's ``details`` list."""

    message: str = ""
    parameter: str | None = None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class _ErrorBody:
    """The fields of an error body that could be read (absent or ill-typed: ``None``)."""

    title: str | None = None
    message: str | None = None
    details: list[ErrorDetail] = field(default_factory=list)
    required_scopes: list[str] | None = None
    # RFC 6749 §5.2 errors from auth.calendly.com
    error: str | None = None
    error_description: str | None = None


class APIError(CalendlyError):
    """Calendly answered with a status of 400 or more (or a 3xx: ``RedirectError``).

    Attributes
    ----------
    status:
        The HTTP status code.
    title, message:
        Calendly's error ``title`` and ``message`` (or the OAuth ``error`` and
        ``error_description``); a short text when the body was not JSON.
    details:
        Calendly's per-parameter problems.
    request_id:
        The ``X-Request-Id`` response header, to quote to Calendly support.
    headers:
        The response headers.
    method, url:
        The request that failed (the URL never carries credentials).
    body:
        The raw response body.
    """

    def __init__(
        self,
        *,
        status: int,
        title: str,
        message: str,
        details: list[ErrorDetail] | None = None,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        method: str = "",
        url: str = "",
        body: bytes = b"",
    ) -> None:
        self.status = status
        self.title = title
        self.message = message
        self.details = details or []
        self.request_id = request_id
        self.headers: Mapping[str, str] = headers or {}
        self.method = method
        self.url = url
        self.body = body
        super().__init__(self._summary())

    def _summary(self) -> str:
        text = f"{self.status} {self.title}: {self.message}" if self.message else (
            f"{self.status} {self.title}"
        )
        for detail in self.details:
            where = f"{detail.parameter}: " if detail.parameter else ""
            text += f"; {where}{detail.message}"
        if self.method:
            text += f" ({self.method} {self.url})"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_api_error, (type(self), self.__dict__.copy()))


def _rebuild_api_error(cls: type[APIError], state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, error._summary())
    return error


class RedirectError(APIError):
    """3xx: the server answered with a redirect, which the SDK never follows.

    Calendly's API does not redirect, so a 3xx means a proxy, a wrong
    ``base_url`` or a hostile server; following it could send the bearer token
    to another host. ``location`` is the ``Location`` header (``None`` when
    absent), with the request's token masked should the server have echoed it.
    """

    location: str | None

    def __init__(self, *, location: str | None = None, **kwargs: Any) -> None:
        self.location = location
        super().__init__(**kwargs)


class BadRequestError(APIError):
    """400: an argument was rejected; ``details`` says which."""


class AuthenticationError(APIError):
    """401: the token is missing, invalid, expired or revoked."""


class InvalidGrantError(AuthenticationError):
    """The OAuth code or refresh token was rejected (``invalid_grant``).

    Refresh tokens are single-use: this usually means the stored one was already
    used. Send the user through authorisation again; retrying cannot help.
    """


class PermissionDeniedError(APIError):
    """403: plan, role or scope does not allow this call."""


class InsufficientScopeError(PermissionDeniedError):
    """403 naming the OAuth scopes the token lacks (``required_scopes``)."""

    required_scopes: list[str]

    def __init__(self, *, required_scopes: list[str], **kwargs: Any) -> None:
        self.required_scopes = required_scopes
        super().__init__(**kwargs)

    def _summary(self) -> str:
        return super()._summary() + f" (required scopes: {', '.join(self.required_scopes)})"


class NotFoundError(APIError):
    """404: no such resource, or not visible to this token."""


class ConflictError(APIError):
    """409: the resource already exists (e.g. a webhook for the same URL)."""


class ExternalCalendarError(APIError):
    """424: a connected calendar could not be read (busy times)."""


class RateLimitError(APIError):
    """429: the per-user request budget is spent.

    ``retry_after`` is the number of seconds to wait (``Retry-After`` or
    ``X-RateLimit-Reset``), or ``None`` when Calendly sent neither.
    """

    retry_after: float | None

    def __init__(self, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)


class ServerError(APIError):
    """5xx: Calendly (or a proxy before it) failed."""


_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    424: ExternalCalendarError,
    429: RateLimitError,
}

_FALLBACK_TITLES = {
    400: "Bad Request",
    401: "Unauthenticated",
    403: "Permission Denied",
    404: "Resource Not Found",
    409: "Already Exists",
    424: "External Calendar Error",
    429: "Too Many Requests",
}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _detail(item: Any) -> ErrorDetail | None:
    if isinstance(item, str):
        return ErrorDetail(message=item)
    if not isinstance(item, dict):
        return None
    message = item.get("message")
    return ErrorDetail(
        message=message if isinstance(message, str) else "" if message is None else str(message),
        parameter=_text(item.get("parameter")),
        code=_text(item.get("code")),
    )


def _decode_error_body(body: bytes) -> _ErrorBody | None:
    """Read an error body leniently: one ill-typed field never hides the others.

    ``None`` when the body is not a JSON object (HTML from a proxy, empty, text).
    """
    try:
        decoded = msgspec.json.decode(body)
    except MALFORMED_JSON:
        return None
    if not isinstance(decoded, dict):
        return None
    raw_details = decoded.get("details")
    details = [d for d in map(_detail, raw_details) if d] if isinstance(raw_details, list) else []
    scopes = decoded.get("required_scopes")
    return _ErrorBody(
        title=_text(decoded.get("title")),
        message=_text(decoded.get("message")),
        details=details,
        required_scopes=[s for s in scopes if isinstance(s, str)]
        if isinstance(scopes, list)
        else None,
        error=_text(decoded.get("error")),
        error_description=_text(decoded.get("error_description")),
    )


_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _plain_text_message(body: bytes) -> str:
    """A short, single-line excerpt of a non-JSON body (an HTML page from a proxy)."""
    text = body.decode("utf-8", errors="replace").strip()
    if text.startswith("<"):
        match = _HTML_TITLE.search(body)
        title = " ".join(match.group(1).decode("utf-8", "replace").split()) if match else ""
        named = f" titled {title[:100]!r}" if title else ""
        return f"the response was not JSON (an HTML page{named}; probably a proxy or gateway)"
    text = " ".join(text.split())
    return text[:200]


def _fallback_title(status: int) -> str:
    if status in _FALLBACK_TITLES:
        return _FALLBACK_TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error" if status >= 500 else "Error"


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    method: str = "",
    url: str = "",
    retry_after: float | None = None,
    secret: str | None = None,
) -> APIError:
    """Build the typed error for an error response. Pure: no I/O.

    Works for Calendly's ``{title, message, details}`` bodies (reference §3), the
    OAuth host's RFC 6749 ``{error, error_description}`` bodies, and anything else
    (an HTML page from a proxy, an empty body): the class always follows the status.

    Parameters
    ----------
    status, headers, body:
        The response.
    method, url:
        The request, quoted in the message.
    retry_after:
        For a 429, the wait in seconds; by default read from ``Retry-After`` /
        ``X-RateLimit-Reset``.
    secret:
        The bearer token the request carried; masked wherever the server echoed
        it into a redirect's ``Location``.

    Returns
    -------
    APIError
        The subclass for the status (``InvalidGrantError`` for ``invalid_grant``,
        ``InsufficientScopeError`` for a 403 naming ``required_scopes``,
        ``RedirectError`` for a 3xx).
    """
    if 300 <= status < 400:
        return _redirect_error(status, headers, body, method=method, url=url, secret=secret)
    parsed = _decode_error_body(body)
    fallback_title = _fallback_title(status)
    if parsed is None:
        title, message, details = fallback_title, _plain_text_message(body), []
        oauth_error, scopes = None, None
    else:
        title = parsed.title or parsed.error or fallback_title
        message = parsed.message or parsed.error_description or ""
        details, oauth_error, scopes = parsed.details, parsed.error, parsed.required_scopes
    common: dict[str, Any] = {
        "status": status,
        "title": title,
        "message": message,
        "details": details,
        "request_id": header_value(headers, "X-Request-Id"),
        "headers": headers,
        "method": method,
        "url": url,
        "body": body,
    }
    if oauth_error == "invalid_grant":
        return InvalidGrantError(**common)
    if status == 403 and scopes:
        return InsufficientScopeError(required_scopes=scopes, **common)
    if status == 429:
        wait = retry_after if retry_after is not None else retry_after_seconds(headers)
        return RateLimitError(retry_after=wait, **common)
    if status >= 500:
        return ServerError(**common)
    if status == 400 and oauth_error in ("invalid_client", "unauthorized_client"):
        return AuthenticationError(**common)
    return _STATUS_CLASSES.get(status, APIError)(**common)


def _redirect_error(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    method: str,
    url: str,
    secret: str | None,
) -> RedirectError:
    """A 3xx as an error: the SDK never follows redirects (the token stays on ``base_url``)."""
    location = header_value(headers, "Location")
    if location is not None and secret:
        location = location.replace(secret, REDACTED)
    target = f"to {location!r}" if location is not None else "without a Location header"
    return RedirectError(
        location=location,
        status=status,
        title=_fallback_title(status),
        message=f"the server redirected {target}; redirects are never followed",
        request_id=header_value(headers, "X-Request-Id"),
        headers=headers,
        method=method,
        url=url,
        body=body,
    )


class ClientClosedError(CalendlyError):
    """The client was closed (``aclose()`` or the end of ``async with``), or the
    ``aiohttp.ClientSession`` given as ``session=`` was closed by its owner.

    A closed client stays closed: nothing is sent and no new session is opened.
    Create a new ``Calendly`` to go on.
    """
