"""error_from_response: every status Calendly documents, OAuth bodies, proxy pages. Pure."""

from __future__ import annotations

import pickle

import msgspec
import pytest

from calendly_async.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CalendlyError,
    ConflictError,
    ErrorDetail,
    ExternalCalendarError,
    InsufficientScopeError,
    InvalidGrantError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    error_from_response,
)

URL = "https://api.calendly.com/scheduled_events"


def _body(**fields: object) -> bytes:
    return msgspec.json.encode(fields)


@pytest.mark.parametrize(
    ("status", "cls", "title"),
    [
        (400, BadRequestError, "Invalid Argument"),
        (401, AuthenticationError, "Unauthenticated"),
        (403, PermissionDeniedError, "Permission Denied"),
        (404, NotFoundError, "Resource Not Found"),
        (409, ConflictError, "Already Exists"),
        (424, ExternalCalendarError, "External Calendar Error"),
        (429, RateLimitError, "Too Many Requests"),
        (500, ServerError, "Internal Server Error"),
        (502, ServerError, "Bad Gateway"),
    ],
)
def test_calendly_body_maps_to_typed_error(status: int, cls: type[APIError], title: str) -> None:
    body = _body(
        title=title,
        message="The supplied parameters are invalid.",
        details=[{"parameter": "user", "message": "must be a valid URI", "code": "invalid"}],
    )
    error = error_from_response(status, {"X-Request-Id": "req-123"}, body, method="GET", url=URL)
    assert type(error) is cls
    assert isinstance(error, APIError)
    assert isinstance(error, CalendlyError)
    assert error.status == status
    assert error.title == title
    assert error.message == "The supplied parameters are invalid."
    assert error.details == [
        ErrorDetail(message="must be a valid URI", parameter="user", code="invalid")
    ]
    assert error.request_id == "req-123"
    assert (error.method, error.url, error.body) == ("GET", URL, body)
    text = str(error)
    assert text.startswith(f"{status} {title}: The supplied parameters are invalid.")
    assert "user: must be a valid URI" in text
    assert f"(GET {URL})" in text
    assert "[request id req-123]" in text


def test_403_with_required_scopes_is_insufficient_scope() -> None:
    body = _body(
        title="Permission Denied",
        message="Missing scopes",
        required_scopes=["scheduled_events:read", "users:read"],
    )
    error = error_from_response(403, {}, body)
    assert isinstance(error, InsufficientScopeError)
    assert isinstance(error, PermissionDeniedError)
    assert error.required_scopes == ["scheduled_events:read", "users:read"]
    assert "required scopes: scheduled_events:read, users:read" in str(error)


def test_403_without_scopes_is_plain_permission_denied() -> None:
    body = _body(title="Permission Denied", message="Please upgrade your Calendly account")
    error = error_from_response(403, {}, body)
    assert type(error) is PermissionDeniedError
    assert "upgrade" in error.message


def test_429_reads_retry_after_from_headers() -> None:
    headers = {"X-RateLimit-Reset": "7", "X-RateLimit-Remaining": "0"}
    error = error_from_response(429, headers, _body(title="Too Many Requests", message="slow"))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0
    assert error_from_response(429, {"Retry-After": "3", **headers}, b"").retry_after == 3.0  # type: ignore[attr-defined]
    assert error_from_response(429, {}, b"").retry_after is None  # type: ignore[attr-defined]


def test_429_explicit_retry_after_wins() -> None:
    error = error_from_response(429, {"X-RateLimit-Reset": "7"}, b"", retry_after=1.5)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 1.5


@pytest.mark.parametrize("status", [400, 401])
def test_oauth_invalid_grant_is_invalid_grant_error(status: int) -> None:
    body = _body(error="invalid_grant", error_description="The refresh token is invalid")
    error = error_from_response(status, {}, body, method="POST", url="https://auth/oauth/token")
    assert isinstance(error, InvalidGrantError)
    assert isinstance(error, AuthenticationError)
    assert error.title == "invalid_grant"
    assert error.message == "The refresh token is invalid"
    assert error.status == status


def test_oauth_invalid_client_is_authentication_error() -> None:
    body = _body(error="invalid_client", error_description="Client authentication failed")
    error = error_from_response(400, {}, body)
    assert type(error) is AuthenticationError
    assert str(error) == "400 invalid_client: Client authentication failed"


def test_oauth_invalid_request_stays_bad_request() -> None:
    body = _body(error="invalid_request", error_description="token is missing")
    error = error_from_response(400, {}, body)
    assert type(error) is BadRequestError
    assert (error.title, error.message) == ("invalid_request", "token is missing")


NGINX_502 = b"""<html>
<head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>
</html>"""


def test_html_proxy_page_gives_readable_server_error() -> None:
    error = error_from_response(
        502,
        {"Content-Type": "text/html", "x-request-id": "edge-9"},
        NGINX_502,
        method="GET",
        url=URL,
    )
    assert type(error) is ServerError
    assert error.title == "Bad Gateway"
    assert "not JSON" in error.message
    assert "'502 Bad Gateway'" in error.message
    assert "<" not in str(error)
    assert "\n" not in str(error)
    assert error.request_id == "edge-9"
    assert error.body == NGINX_502


@pytest.mark.parametrize(
    ("status", "cls"), [(500, ServerError), (503, ServerError), (404, NotFoundError)]
)
def test_empty_body_still_typed_and_readable(status: int, cls: type[APIError]) -> None:
    error = error_from_response(status, {}, b"", method="DELETE", url=URL)
    assert type(error) is cls
    assert error.message == ""
    assert error.details == []
    assert str(error) == f"{status} {error.title} (DELETE {URL})"
    assert error.title  # a status phrase, never blank


def test_plain_text_body_is_quoted_on_one_line() -> None:
    error = error_from_response(503, {}, b"upstream   connect error\nor disconnect")
    assert error.message == "upstream connect error or disconnect"
    assert error.title == "Service Unavailable"


def test_unknown_status_still_an_api_error() -> None:
    error = error_from_response(418, {}, b"")
    assert type(error) is APIError
    assert error.title == "I'm a Teapot"
    assert type(error_from_response(599, {}, b"")) is ServerError


def test_ill_typed_fields_do_not_hide_the_rest() -> None:
    # A detail without the documented shape must not throw away title and message.
    body = _body(
        title="Invalid Argument",
        message="bad",
        details=["plain text detail", {"message": 5, "parameter": 7}, 3],
        required_scopes="not-a-list",
    )
    error = error_from_response(400, {}, body)
    assert (error.title, error.message) == ("Invalid Argument", "bad")
    assert error.details == [
        ErrorDetail(message="plain text detail"),
        ErrorDetail(message="5", parameter=None),
    ]


@pytest.mark.parametrize("body", [b"[1, 2]", b'"oops"', b"null", b"{not json"])
def test_non_object_json_bodies_fall_back_to_text(body: bytes) -> None:
    error = error_from_response(500, {}, body)
    assert type(error) is ServerError
    assert error.title == "Internal Server Error"
    assert error.message == body.decode()


def test_errors_pickle_with_their_fields() -> None:
    body = _body(title="Permission Denied", message="m", required_scopes=["users:read"])
    error = error_from_response(403, {"X-Request-Id": "r"}, body, method="GET", url=URL)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InsufficientScopeError
    assert (copy.status, copy.request_id, copy.required_scopes) == (403, "r", ["users:read"])
    assert str(copy) == str(error)
