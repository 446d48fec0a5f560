"""The I/O-free Calendly rules: rate-limit headers, retry policy, URLs, identifiers,
query formatting, page tokens and redaction. Plain synchronous tests, no event loop."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime

import msgspec
import pytest
from helpers import BASE

from calendly_async import RetryPolicy
from calendly_async._decoding import Pagination, next_page_token
from calendly_async._gate import RateLimitGate
from calendly_async._identifiers import resource_uri, resource_uuid
from calendly_async._params import format_time, parse_time, query, split_window
from calendly_async._ratelimit import (
    RateLimit,
    header_value,
    parse_rate_limit,
    retry_after_seconds,
)
from calendly_async._redact import REDACTED, mask, redact_fields, redact_headers
from calendly_async._retry import backoff_delay, retry_delay, should_retry
from calendly_async._urls import check_base_url, is_loopback_host, join_url, same_origin
from calendly_async.errors import (
    APIError,
    CalendlyError,
    ConnectError,
    ConnectTimeout,
    DecodeError,
    InvalidInputError,
    NetworkError,
    RateLimitError,
    ReadTimeout,
    error_from_response,
)
from calendly_async.resources._base import check_count, require

# -- rate-limit headers (Calendly §4) ---------------------------------------------------


def test_parse_rate_limit_reads_the_three_headers() -> None:
    headers = {"X-RateLimit-Limit": "500", "X-RateLimit-Remaining": "12", "X-RateLimit-Reset": "41"}
    assert parse_rate_limit(headers) == RateLimit(limit=500, remaining=12, reset=41.0)


def test_parse_rate_limit_is_case_insensitive_and_none_without_headers() -> None:
    assert parse_rate_limit({"x-ratelimit-remaining": "0"}) == RateLimit(None, 0, None)
    assert parse_rate_limit({"Content-Type": "application/json"}) is None


@pytest.mark.parametrize("garbage", ["soon", "", "-5", "nan", "inf", "1e999"])
def test_parse_rate_limit_ignores_garbage(garbage: str) -> None:
    parsed = parse_rate_limit({"X-RateLimit-Reset": garbage, "X-RateLimit-Remaining": "3"})
    assert parsed == RateLimit(limit=None, remaining=3, reset=None)


def test_reset_is_seconds_until_reset_not_an_epoch() -> None:
    # Calendly §4: X-RateLimit-Reset counts seconds from now.
    assert retry_after_seconds({"X-RateLimit-Reset": "7"}, now=1_700_000_000.0) == 7.0


def test_retry_after_seconds_wins_over_reset() -> None:
    headers = {"Retry-After": "3", "X-RateLimit-Reset": "7"}
    assert retry_after_seconds(headers, now=0.0) == 3.0


def test_retry_after_http_date_wins_over_reset() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=20), usegmt=True)
    headers = {"Retry-After": later, "X-RateLimit-Reset": "50"}
    assert retry_after_seconds(headers, now=now.timestamp()) == pytest.approx(20.0)


def test_retry_after_http_date_in_the_past_means_now() -> None:
    past = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert retry_after_seconds({"Retry-After": past}, now=2_000_000_000.0) == 0.0


def test_retry_after_minus_zero_zone_is_read_as_gmt() -> None:
    # email.utils parses "-0000" as a naive datetime; HTTP-dates are always GMT.
    when = datetime(2025, 1, 1, 12, 0, 30, tzinfo=UTC)
    value = "Wed, 01 Jan 2025 12:00:30 -0000"
    assert retry_after_seconds({"Retry-After": value}, now=when.timestamp() - 30) == 30.0


@pytest.mark.parametrize("garbage", ["later", "-1", "", "Tue, 99 Foo 2020"])
def test_garbage_retry_after_falls_back_to_reset(garbage: str) -> None:
    headers = {"Retry-After": garbage, "X-RateLimit-Reset": "9"}
    assert retry_after_seconds(headers, now=0.0) == 9.0


def test_retry_after_seconds_none_without_usable_headers() -> None:
    assert retry_after_seconds({"Retry-After": "never"}, now=0.0) is None
    assert retry_after_seconds({}, now=0.0) is None


def test_header_value_matches_any_case() -> None:
    assert header_value({"x-request-id": "r1"}, "X-Request-Id") == "r1"
    assert header_value({"X-REQUEST-ID": "r2"}, "x-request-id") == "r2"
    assert header_value({}, "X-Request-Id") is None


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_gate_blocks_when_budget_spent_until_reset() -> None:
    clock = _Clock()
    gate = RateLimitGate(clock=clock)
    gate.observe(RateLimit(limit=500, remaining=3, reset=30))
    assert gate.delay() == 0.0
    gate.observe(RateLimit(limit=500, remaining=0, reset=30))
    assert gate.delay() == 30.0
    clock.now += 12
    assert gate.delay() == 18.0
    clock.now += 18
    assert gate.delay() == 0.0
    assert gate.last == RateLimit(limit=500, remaining=0, reset=30)


def test_gate_429_retry_after_replaces_reset_of_same_response() -> None:
    gate = RateLimitGate(clock=_Clock())
    gate.observe(RateLimit(limit=500, remaining=0, reset=7), retry_after=3.0)
    assert gate.delay() == 3.0


def test_gate_never_shortens_a_longer_hold() -> None:
    gate = RateLimitGate(clock=_Clock())
    gate.block_for(30)
    gate.block_for(5)
    assert gate.delay() == 30.0


# -- retry policy -----------------------------------------------------------------------

IDEMPOTENT = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "get"]
UNSAFE = ["POST", "PATCH", "post"]
RETRIED_STATUSES = [429, 500, 502, 503, 504]


def _status_error(status: int, **headers: str) -> APIError:
    return error_from_response(status, headers, b"")


TRANSPORT_ERRORS = [
    ConnectError("refused"),
    ConnectTimeout("slow connect"),
    ReadTimeout("slow answer"),
    NetworkError("dropped"),
]


@pytest.mark.parametrize("method", IDEMPOTENT)
@pytest.mark.parametrize("status", RETRIED_STATUSES)
def test_idempotent_methods_retry_429_and_5xx(method: str, status: int) -> None:
    assert should_retry(method, _status_error(status), RetryPolicy())


@pytest.mark.parametrize("method", IDEMPOTENT)
@pytest.mark.parametrize("error", TRANSPORT_ERRORS, ids=lambda e: type(e).__name__)
def test_idempotent_methods_retry_every_transport_error(method: str, error: Exception) -> None:
    assert should_retry(method, error, RetryPolicy())


@pytest.mark.parametrize("method", UNSAFE)
def test_unsafe_methods_retry_429_and_failed_connects_only(method: str) -> None:
    policy = RetryPolicy()
    assert should_retry(method, _status_error(429), policy)
    assert should_retry(method, ConnectError("refused"), policy)
    assert should_retry(method, ConnectTimeout("slow"), policy)
    for status in (500, 502, 503, 504):
        assert not should_retry(method, _status_error(status), policy), status
    assert not should_retry(method, ReadTimeout("slow"), policy)
    assert not should_retry(method, NetworkError("dropped"), policy)


@pytest.mark.parametrize("method", UNSAFE)
@pytest.mark.parametrize(
    "policy", [RetryPolicy(retry_unsafe=True), RetryPolicy(retry_on_all_errors=True)]
)
def test_unsafe_methods_retry_5xx_and_timeouts_when_opted_in(
    method: str, policy: RetryPolicy
) -> None:
    assert should_retry(method, _status_error(500), policy)
    assert should_retry(method, ReadTimeout("slow"), policy)
    assert should_retry(method, NetworkError("dropped"), policy)


@pytest.mark.parametrize("method", IDEMPOTENT + UNSAFE)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 424])
def test_client_errors_never_retried_by_default(method: str, status: int) -> None:
    assert not should_retry(method, _status_error(status), RetryPolicy())
    assert not should_retry(method, _status_error(status), RetryPolicy(retry_unsafe=True))


@pytest.mark.parametrize("method", IDEMPOTENT + UNSAFE)
@pytest.mark.parametrize("status", [400, 404])
def test_retry_on_all_errors_retries_client_errors(method: str, status: int) -> None:
    assert should_retry(method, _status_error(status), RetryPolicy(retry_on_all_errors=True))


def test_non_sdk_errors_are_never_retried() -> None:
    policy = RetryPolicy(retry_on_all_errors=True)
    assert not should_retry("GET", ValueError("bug"), policy)
    assert not should_retry("GET", DecodeError("bad body"), policy)
    assert not should_retry("GET", InvalidInputError("bad arg"), policy)


def test_429_longer_than_max_rate_limit_wait_is_not_retried() -> None:
    policy = RetryPolicy(max_rate_limit_wait=60)
    assert should_retry("GET", _status_error(429, **{"Retry-After": "60"}), policy)
    assert not should_retry("GET", _status_error(429, **{"Retry-After": "61"}), policy)


class _FixedRandom(random.Random):
    """An RNG whose uniform() always lands at ``fraction`` of the range."""

    def __init__(self, fraction: float) -> None:
        super().__init__()
        self.fraction = fraction

    def random(self) -> float:
        return self.fraction


def test_backoff_grows_exponentially_then_caps() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=4.0)
    top = _FixedRandom(1.0)
    assert [backoff_delay(n, policy, top) for n in range(1, 7)] == [0.5, 1, 2, 4, 4, 4]


def test_backoff_jitter_stays_within_half_to_full_ceiling() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_max=30.0)
    assert backoff_delay(3, policy, _FixedRandom(0.0)) == 2.0
    assert backoff_delay(3, policy, _FixedRandom(1.0)) == 4.0
    rng = random.Random(1234)
    samples = [backoff_delay(3, policy, rng) for _ in range(500)]
    assert all(2.0 <= s <= 4.0 for s in samples)
    assert len(set(samples)) > 400  # really jittered, not constant


def test_backoff_of_huge_attempt_numbers_caps_instead_of_overflowing() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=30.0)
    assert 15.0 <= backoff_delay(5000, policy) <= 30.0


def test_fixed_delay_is_exact() -> None:
    policy = RetryPolicy(exponential=False, fixed_delay=0.5)
    assert [backoff_delay(n, policy) for n in (1, 2, 10)] == [0.5, 0.5, 0.5]


def test_retry_delay_uses_server_wait_for_429_else_backoff() -> None:
    policy = RetryPolicy(exponential=False, fixed_delay=0.25)
    assert retry_delay(1, _status_error(429, **{"X-RateLimit-Reset": "7"}), policy) == 7.0
    assert retry_delay(1, _status_error(429), policy) == 0.25
    assert retry_delay(2, _status_error(503, **{"Retry-After": "9"}), policy) == 0.25


@pytest.mark.parametrize(
    "changes",
    [
        {"max_retries": -1},
        {"backoff_base": -0.1},
        {"fixed_delay": -1},
        {"backoff_max": float("nan")},
        {"max_rate_limit_wait": -5},
    ],
)
def test_retry_policy_refuses_negative_values(changes: dict[str, float]) -> None:
    with pytest.raises(InvalidInputError):
        RetryPolicy(**changes)  # type: ignore[arg-type]


def test_retry_policy_with_changes_copies() -> None:
    base = RetryPolicy()
    changed = base.with_changes(max_retries=7)
    assert (base.max_retries, changed.max_retries) == (3, 7)
    assert changed.retry_statuses == base.retry_statuses


# -- URLs -------------------------------------------------------------------------------


def test_join_url_appends_paths_and_keeps_full_urls() -> None:
    assert join_url(BASE, "/users/me") == f"{BASE}/users/me"
    assert join_url(BASE, "users/me") == f"{BASE}/users/me"
    assert join_url("http://127.0.0.1:9/v2", "/users") == "http://127.0.0.1:9/v2/users"
    assert join_url(BASE, "https://other.example/x?y=1") == "https://other.example/x?y=1"


def test_join_url_never_turns_a_path_into_another_host() -> None:
    assert join_url(BASE, "//evil.example/steal") == f"{BASE}/evil.example/steal"


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://host/x",
        "javascript://x",
        "http:///nohost",
        "http://127.0.0.1:99999/",
        "http://[::1/x",
    ],
)
def test_join_url_refuses_malformed_urls(bad: str) -> None:
    with pytest.raises(InvalidInputError):
        join_url(BASE, bad)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{BASE}/users/me", True),
        ("https://API.CALENDLY.COM:443/x", True),
        ("http://api.calendly.com/x", False),
        ("https://api.calendly.com:8443/x", False),
        ("https://auth.calendly.com/oauth/token", False),
        ("https://api.calendly.com.evil.example/x", False),
        ("https://api.calendly.com@evil.example/x", False),
        ("https://[::1/x", False),
    ],
)
def test_same_origin(url: str, expected: bool) -> None:
    assert same_origin(url, BASE) is expected


@pytest.mark.parametrize(
    "url",
    [
        "https://api.calendly.com/",
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://localhost:3000/",
        "http://[::1]:8080",
    ],
)
def test_check_base_url_allows_https_and_loopback_http(url: str) -> None:
    assert check_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http://api.calendly.com",
        "http://localhost.evil.example",
        "http://0.0.0.0:80",
        "api.calendly.com",
        "/relative",
        "ftp://api.calendly.com",
        "https://api.calendly.com?x=1",
        "https://api.calendly.com#frag",
        "https://api.calendly.com:notaport",
    ],
)
def test_check_base_url_refuses_cleartext_off_loopback_and_malformed(url: str) -> None:
    with pytest.raises(InvalidInputError):
        check_base_url(url)


def test_check_base_url_refuses_credentials_without_echoing_them() -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_base_url("https://me:hunter2@api.calendly.com")
    assert "hunter2" not in str(caught.value)


def test_is_loopback_host() -> None:
    assert is_loopback_host("LOCALHOST")
    assert is_loopback_host("[::1]")
    assert not is_loopback_host("10.0.0.1")


# -- identifiers (Calendly §1) -----------------------------------------------------------


def test_resource_uuid_from_uuid_or_uri() -> None:
    assert resource_uuid("ABC123", "users") == "ABC123"
    assert resource_uuid(f"{BASE}/users/ABC123", "users") == "ABC123"
    assert resource_uuid(f" {BASE}/users/ABC123/ ", "users") == "ABC123"
    assert resource_uuid("me", "users") == "me"
    nested = f"{BASE}/organizations/ORG/invitations/INV"
    assert resource_uuid(nested, "organizations/ORG/invitations") == "INV"


def test_resource_uri_builds_from_uuid_and_passes_uris_through() -> None:
    assert resource_uri("ABC", "users") == f"{BASE}/users/ABC"
    assert resource_uri(f"{BASE}/users/ABC", "users") == f"{BASE}/users/ABC"
    assert resource_uri("http://127.0.0.1:9/users/ABC", "users") == "http://127.0.0.1:9/users/ABC"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "has space",
        "../etc",
        f"{BASE}/event_types/ABC",
        f"{BASE}/users/",
        f"{BASE}/users/AB%2FC",
        f"{BASE}/users/ABC?x=1",
        f"{BASE}/users/ABC#top",
        "ftp://host/users/ABC",
        "users/ABC",
    ],
)
def test_identifiers_refuse_malformed_values(bad: str) -> None:
    with pytest.raises(InvalidInputError):
        resource_uuid(bad, "users")
    with pytest.raises(InvalidInputError):
        resource_uri(bad, "users")


def test_identifiers_refuse_non_strings() -> None:
    with pytest.raises(InvalidInputError, match="must be a UUID or URI string"):
        resource_uuid(123, "users")  # type: ignore[arg-type]


# -- query and times (Calendly §1, §2) --------------------------------------------------


def test_query_formats_every_kind_of_value() -> None:
    paris = timezone(timedelta(hours=2))
    params = query(
        {
            "active": True,
            "admin_managed": False,
            "count": 100,
            "ratio": 0.5,
            "min_start_time": datetime(2024, 5, 1, 11, 0, tzinfo=paris),
            "day": date(2024, 5, 1),
            "actor": ["https://a/users/1", "https://a/users/2"],
            "namespace": ("event_types",),
            "status": "active",
            "user": None,
            "sort": [],
        }
    )
    assert params == {
        "active": "true",
        "admin_managed": "false",
        "count": "100",
        "ratio": "0.5",
        "min_start_time": "2024-05-01T09:00:00.000000Z",
        "day": "2024-05-01",
        "actor": "https://a/users/1,https://a/users/2",
        "namespace": "event_types",
        "status": "active",
    }


def test_query_formats_list_items_too() -> None:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    assert query({"x": [True, 2, when]}) == {"x": "true,2,2024-01-01T00:00:00.000000Z"}


def test_query_refuses_naive_datetimes_and_odd_types() -> None:
    with pytest.raises(InvalidInputError, match="min_start_time"):
        query({"min_start_time": datetime(2024, 5, 1, 9, 0)})
    with pytest.raises(InvalidInputError):
        query({"x": {"a": 1}})  # type: ignore[dict-item]
    with pytest.raises(InvalidInputError):
        query({"x": [None]})  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T09:00:00Z", "2024-05-01T09:00:00.000000Z"),
        ("2024-05-01T11:00:00+02:00", "2024-05-01T09:00:00.000000Z"),
        ("2024-05-01T09:00:00.678123Z", "2024-05-01T09:00:00.678123Z"),
        (
            datetime(2024, 5, 1, 4, 0, tzinfo=timezone(timedelta(hours=-5))),
            "2024-05-01T09:00:00.000000Z",
        ),
    ],
)
def test_format_time_writes_utc_z(value: str | datetime, expected: str) -> None:
    assert format_time(value) == expected


@pytest.mark.parametrize(
    "bad",
    [datetime(2024, 5, 1, 9, 0), "2024-05-01T09:00:00", "2024-05-01", "yesterday", "", 1714554000],
)
def test_format_time_refuses_naive_offsetless_and_garbage(bad: object) -> None:
    with pytest.raises(InvalidInputError) as caught:
        format_time(bad, what="start_time")  # type: ignore[arg-type]
    assert "start_time" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_parse_time_returns_aware_utc() -> None:
    parsed = parse_time("2024-05-01T11:00:00+02:00")
    assert parsed == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert parsed.utcoffset() == timedelta(0)


def test_split_window_covers_range_with_capped_windows() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    end = start + timedelta(days=16, hours=3)
    windows = split_window(start, end, timedelta(days=7))
    assert windows == [
        (start, start + timedelta(days=7)),
        (start + timedelta(days=7), start + timedelta(days=14)),
        (start + timedelta(days=14), end),
    ]


def test_split_window_single_window_when_short() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    assert split_window(start, start + timedelta(hours=1), timedelta(days=7)) == [
        (start, start + timedelta(hours=1))
    ]


def test_split_window_refuses_bad_ranges() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with pytest.raises(InvalidInputError):
        split_window(start, start, timedelta(days=7))
    with pytest.raises(InvalidInputError):
        split_window(start, start - timedelta(days=1), timedelta(days=7))
    with pytest.raises(InvalidInputError):
        split_window(start, start + timedelta(days=1), timedelta(0))
    with pytest.raises(InvalidInputError):
        split_window(datetime(2024, 1, 1), datetime(2024, 1, 2), timedelta(days=7))


# -- page tokens (Calendly §2) -----------------------------------------------------------


def _pagination(body: dict[str, object]) -> Pagination:
    return msgspec.json.decode(msgspec.json.encode(body), type=Pagination)


def test_next_page_token_key_wins_over_next_page_url() -> None:
    pagination = _pagination(
        {"next_page_token": "TOKEN", "next_page": f"{BASE}/x?page_token=OTHER"}
    )
    assert next_page_token(pagination) == "TOKEN"


def test_null_next_page_token_ends_even_with_a_url() -> None:
    pagination = _pagination({"next_page_token": None, "next_page": f"{BASE}/x?page_token=T"})
    assert next_page_token(pagination) is None


def test_absent_token_key_falls_back_to_next_page_url() -> None:
    pagination = _pagination(
        {"next_page": "https://elsewhere.example/scheduled_events?count=5&page_token=FROMURL"}
    )
    assert next_page_token(pagination) == "FROMURL"


def test_absent_token_and_null_url_is_the_last_page() -> None:
    assert next_page_token(_pagination({"next_page": None, "count": 3})) is None
    assert next_page_token(_pagination({})) is None


def test_next_page_url_without_page_token_is_a_decode_error() -> None:
    pagination = _pagination({"next_page": f"{BASE}/scheduled_events?count=5"})
    with pytest.raises(DecodeError, match="page_token"):
        next_page_token(pagination)


# -- redaction -----------------------------------------------------------------------------


def test_redact_headers_masks_credentials_keeps_scheme() -> None:
    headers = {
        "Authorization": "Bearer tok_SECRET",
        "proxy-authorization": "Basic dXNlcjpwYXNz",
        "Cookie": "session=abc",
        "X-Api-Key": "k",
        "Accept": "application/json",
    }
    assert redact_headers(headers) == {
        "Authorization": f"Bearer {REDACTED}",
        "proxy-authorization": f"Basic {REDACTED}",
        "Cookie": REDACTED,
        "X-Api-Key": REDACTED,
        "Accept": "application/json",
    }
    assert "tok_SECRET" not in repr(redact_headers(headers))


def test_redact_fields_masks_secret_keys_at_any_depth() -> None:
    body = {
        "grant_type": "refresh_token",
        "refresh_token": "r1",
        "nested": {"Client_Secret": "s", "items": [{"signing_key": "k", "url": "u"}]},
        "tuple": ({"password": "p"},),
    }
    assert redact_fields(body) == {
        "grant_type": "refresh_token",
        "refresh_token": REDACTED,
        "nested": {"Client_Secret": REDACTED, "items": [{"signing_key": REDACTED, "url": "u"}]},
        "tuple": [{"password": REDACTED}],
    }
    assert body["refresh_token"] == "r1"  # a copy: the original is untouched


def test_mask_shows_presence_only() -> None:
    assert mask("abc") == REDACTED
    assert mask(None) == "None"


def test_every_sdk_error_is_a_calendly_error() -> None:
    for error in [*TRANSPORT_ERRORS, _status_error(500), DecodeError("x")]:
        assert isinstance(error, CalendlyError)
    assert isinstance(_status_error(429), RateLimitError)


# -- resource helpers (Calendly §2: count is 1..100, 1..1000 for the activity log) --------


def test_check_count_bounds() -> None:
    assert check_count(1) == 1
    assert check_count(100) == 100
    assert check_count(1000, 1000) == 1000
    for bad in (0, 101, -1, True, 5.0, "5"):
        with pytest.raises(InvalidInputError):
            check_count(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("missing", [None, "", "   ", [], ()])
def test_require_refuses_missing_blank_and_empty(missing: object) -> None:
    with pytest.raises(InvalidInputError, match="email is required"):
        require(missing, "email")


@pytest.mark.parametrize("present", ["a@b.c", ["x"], 0, False])
def test_require_accepts_real_values(present: object) -> None:
    require(present, "value")
