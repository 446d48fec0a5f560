"""Review of the availability jobs (issue 9): ranges at the edge of ``datetime`` are bad
input, and schedule times that are not ``hh:mm`` in ASCII digits are bad data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from export_support import Requests

from calendly_async import Calendly, DecodeError, InvalidInputError
from calendly_async.jobs.availability import free_time, lookup_range, open_slots
from calendly_async.jobs.availability._schedule import clock_time
from calendly_async.mock import MockCalendly

NOW = datetime(2027, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (None, None, 10**9),  # was OverflowError from timedelta
        ("9999-12-31T00:00:00Z", None, 7),  # was OverflowError: date value out of range
        ("9999-12-01T00:00:00Z", "9999-12-31T23:00:00Z", None),  # local days past 9999
    ],
)
def test_ranges_past_the_last_date_are_invalid_input(
    start: str | None, end: str | None, days: int | None
) -> None:
    with pytest.raises(InvalidInputError):
        lookup_range(start, end, days, NOW)


def test_the_latest_range_still_resolves() -> None:
    found = lookup_range("9999-12-20T00:00:00Z", None, 10, NOW)
    assert found.end == datetime(9999, 12, 30, tzinfo=UTC)
    assert lookup_range(None, None, 3, NOW).end - NOW == timedelta(days=3)


@pytest.mark.parametrize(
    "text", ["99999999999999999:00", "\u0660\u0669:00", "9:\u0663\u0660", "123:00"]
)
def test_clock_times_not_hh_mm_in_ascii_are_decode_errors(text: str) -> None:
    with pytest.raises(DecodeError, match="hh:mm"):
        clock_time(text)


def test_one_digit_hours_and_24_00_stay_valid() -> None:
    assert clock_time("9:05") == timedelta(hours=9, minutes=5)
    assert clock_time("24:00") == timedelta(days=1)


async def test_huge_days_refused_before_any_request_over_loopback() -> None:
    mock = MockCalendly(seed=1)
    requests = Requests().install(mock)
    async with mock, Calendly(token=mock.token, base_url=mock.url) as client:
        user = (await client.users.me()).uri
        sent = requests.total
        with pytest.raises(InvalidInputError, match="too late"):
            await free_time(client, [user], days=10**9)
        with pytest.raises(InvalidInputError, match="too late"):
            await open_slots(client, user=user, days=10**9)
    assert requests.total == sent
