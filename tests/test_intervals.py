"""The pure availability arithmetic (calendly_async.jobs.availability), unit and
property-based, against brute-force minute-by-minute computations."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendly_async import DecodeError
from calendly_async.jobs.availability import (
    Interval,
    at_least,
    clip,
    intersect,
    intersect_all,
    normalize,
    open_periods,
    subtract,
)
from calendly_async.models.availability import AvailabilityInterval, AvailabilityRule

T0 = datetime(2027, 3, 10, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FAST = settings(max_examples=60, deadline=None)


def at(minute: int) -> datetime:
    return T0 + minute * MINUTE


def span(a: int, b: int) -> Interval:
    return Interval(at(a), at(b))


def minutes(intervals: Iterable[Interval]) -> set[int]:
    """Brute force: every minute (offset from T0) inside any of the intervals."""
    covered: set[int] = set()
    for start, end in intervals:
        first = int((start - T0) / MINUTE)
        last = int((end - T0) / MINUTE)
        covered.update(range(first, last))
    return covered


def runs(covered: set[int]) -> list[Interval]:
    """Brute force: the maximal runs of consecutive minutes, as intervals."""
    result: list[Interval] = []
    for minute in sorted(covered):
        if result and result[-1].end == at(minute):
            result[-1] = Interval(result[-1].start, at(minute + 1))
        else:
            result.append(span(minute, minute + 1))
    return result


def is_normal(intervals: list[Interval]) -> bool:
    nonempty = all(i.start < i.end for i in intervals)
    apart = all(a.end < b.start for a, b in itertools.pairwise(intervals))
    return nonempty and apart


ends = st.integers(min_value=0, max_value=300)
interval_lists = st.lists(st.tuples(ends, ends).map(lambda p: span(*p)), max_size=8)


# --- interval arithmetic: properties ---------------------------------------------------


@FAST
@given(interval_lists)
def test_normalize_is_the_maximal_runs_of_the_covered_minutes(xs: list[Interval]) -> None:
    assert normalize(xs) == runs(minutes(xs))


@FAST
@given(interval_lists, interval_lists)
def test_subtract_matches_minute_by_minute(xs: list[Interval], ys: list[Interval]) -> None:
    result = subtract(xs, ys)
    assert is_normal(result)
    assert result == runs(minutes(xs) - minutes(ys))


@FAST
@given(interval_lists, interval_lists)
def test_intersect_matches_minute_by_minute(xs: list[Interval], ys: list[Interval]) -> None:
    result = intersect(xs, ys)
    assert is_normal(result)
    assert result == runs(minutes(xs) & minutes(ys))


@FAST
@given(st.lists(interval_lists, min_size=1, max_size=5))
def test_intersect_all_matches_minute_by_minute(sets: list[list[Interval]]) -> None:
    common = minutes(sets[0])
    for other in sets[1:]:
        common &= minutes(other)
    assert intersect_all(sets) == runs(common)


@FAST
@given(interval_lists, ends, ends)
def test_clip_matches_minute_by_minute(xs: list[Interval], a: int, b: int) -> None:
    assert clip(xs, at(a), at(b)) == runs(minutes(xs) & set(range(a, b)))


@FAST
@given(interval_lists, st.integers(min_value=0, max_value=120))
def test_at_least_keeps_the_long_enough_runs(xs: list[Interval], length: int) -> None:
    expected = [run for run in runs(minutes(xs)) if run.end - run.start >= length * MINUTE]
    assert at_least(xs, length * MINUTE) == expected


# --- interval arithmetic: examples -----------------------------------------------------


def test_touching_periods_merge_and_empty_ones_vanish() -> None:
    assert normalize([span(60, 120), span(0, 60), span(200, 200), span(30, 45)]) == [span(0, 120)]


def test_subtract_splits_a_period_around_a_hole_and_keeps_the_edges() -> None:
    assert subtract([span(0, 100)], [span(10, 20), span(90, 150)]) == [span(0, 10), span(20, 90)]
    assert subtract([span(0, 100)], [span(0, 100)]) == []
    assert subtract([span(0, 100)], []) == [span(0, 100)]


def test_intersect_all_of_nothing_is_nothing() -> None:
    assert intersect_all([]) == []
    assert intersect_all([[span(0, 10)], []]) == []


def test_interval_duration() -> None:
    assert span(0, 90).duration == timedelta(minutes=90)


# --- open periods from schedule rules ---------------------------------------------------


def rule(wday: str, *pairs: tuple[str, str | None]) -> AvailabilityRule:
    return AvailabilityRule(
        type="wday", wday=wday, intervals=[AvailabilityInterval(from_=a, to_=b) for a, b in pairs]
    )


def override(day: date, *pairs: tuple[str, str | None]) -> AvailabilityRule:
    return AvailabilityRule(
        type="date", date=day, intervals=[AvailabilityInterval(from_=a, to_=b) for a, b in pairs]
    )


def local(day: date, clock: str, zone: ZoneInfo) -> datetime:
    """The definition: a wall time on a local date, read with zoneinfo (fold=0)."""
    hours, minutes_ = (int(part) for part in clock.split(":"))
    wall = datetime.combine(day, time()) + timedelta(hours=hours, minutes=minutes_)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def brute_open(
    rules: list[AvailabilityRule], zone: ZoneInfo, start: datetime, end: datetime
) -> list[Interval]:
    """Minute by minute: open iff some interval of its local day's rules contains it."""
    by_date = {r.date: r for r in rules if r.type == "date"}
    by_wday = {r.wday: r for r in rules if r.type == "wday"}
    open_minutes: set[int] = set()
    moment = start
    while moment < end:
        today = moment.astimezone(zone).date()
        for day in (today - timedelta(days=1), today):
            chosen = by_date.get(day) or by_wday.get(WEEKDAYS[day.weekday()])
            for interval in chosen.intervals if chosen else []:
                assert interval.from_ is not None
                assert interval.to_ is not None
                if local(day, interval.from_, zone) <= moment < local(day, interval.to_, zone):
                    open_minutes.add(int((moment - T0) / MINUTE))
        moment += MINUTE
    return runs(open_minutes)


ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "UTC", "Asia/Kolkata"]
clock_texts = st.integers(min_value=0, max_value=96).map(lambda q: f"{q // 4:02d}:{q % 4 * 15:02d}")
pairs = st.lists(st.tuples(clock_texts, clock_texts), max_size=2)


@st.composite
def schedules(draw: st.DrawFn) -> list[AvailabilityRule]:
    rules = [rule(day, *draw(pairs)) for day in WEEKDAYS if draw(st.booleans())]
    for offset in draw(st.sets(st.integers(min_value=-1, max_value=6), max_size=3)):
        rules.append(override(date(2027, 3, 10) + timedelta(days=offset), *draw(pairs)))
    return rules


@settings(max_examples=40, deadline=None)
@given(
    schedules(),
    st.sampled_from(ZONES),
    st.integers(min_value=0, max_value=5 * 24 * 60),
    st.integers(min_value=1, max_value=2 * 24 * 60),
)
def test_open_periods_match_minute_by_minute_across_the_us_dst_change(
    rules: list[AvailabilityRule], zone_name: str, first: int, length: int
) -> None:
    # T0 + 0..7 days spans 2027-03-14, when the US moves to daylight time.
    start, end = at(first), at(first + length)
    expected = brute_open(rules, ZoneInfo(zone_name), start, end)
    assert open_periods(rules, zone_name, start, end) == expected


def test_a_nine_to_five_day_follows_the_us_dst_change() -> None:
    rules = [rule(day, ("09:00", "17:00")) for day in WEEKDAYS]
    got = open_periods(rules, "America/New_York", T0 + timedelta(days=3), T0 + timedelta(days=5))
    # Saturday 13th in EST (UTC-5), Sunday 14th in EDT (UTC-4).
    assert got == [
        Interval(datetime(2027, 3, 13, 14, tzinfo=UTC), datetime(2027, 3, 13, 22, tzinfo=UTC)),
        Interval(datetime(2027, 3, 14, 13, tzinfo=UTC), datetime(2027, 3, 14, 21, tzinfo=UTC)),
    ]


def test_a_date_rule_replaces_the_weekday_rules_on_that_date_only() -> None:
    rules = [
        rule("wednesday", ("09:00", "12:00"), ("13:00", "17:00")),
        override(date(2027, 3, 10), ("15:00", "16:00")),
        override(date(2027, 3, 17)),  # no intervals: the day is off
    ]
    got = open_periods(rules, "UTC", T0, T0 + timedelta(days=15))
    assert got == [
        Interval(datetime(2027, 3, 10, 15, tzinfo=UTC), datetime(2027, 3, 10, 16, tzinfo=UTC)),
        Interval(datetime(2027, 3, 24, 9, tzinfo=UTC), datetime(2027, 3, 24, 12, tzinfo=UTC)),
        Interval(datetime(2027, 3, 24, 13, tzinfo=UTC), datetime(2027, 3, 24, 17, tzinfo=UTC)),
    ]


def test_24_00_is_the_next_midnight_and_consecutive_days_merge() -> None:
    rules = [rule("wednesday", ("20:00", "24:00")), rule("thursday", ("00:00", "02:00"))]
    got = open_periods(rules, "UTC", T0, T0 + timedelta(days=2))
    assert got == [Interval(T0 + timedelta(hours=20), T0 + timedelta(days=1, hours=2))]


@pytest.mark.parametrize(
    ("rules", "zone", "message"),
    [
        ([rule("monday", ("09.00", "17:00"))], "UTC", "not hh:mm"),
        ([rule("monday", ("09:00", None))], "UTC", "not hh:mm"),
        ([rule("monday", ("09:00", "24:30"))], "UTC", "between 00:00 and 24:00"),
        ([rule("monday", ("09:60", "10:00"))], "UTC", "between 00:00 and 24:00"),
        ([rule("mon", ("09:00", "10:00"))], "UTC", "not a weekday name"),
        ([AvailabilityRule(type="date", intervals=[])], "UTC", "has no date"),
        ([], "Mars/Olympus_Mons", "unknown"),
        ([], None, "no timezone"),
    ],
)
def test_malformed_schedules_are_decode_errors(
    rules: list[AvailabilityRule], zone: str | None, message: str
) -> None:
    with pytest.raises(DecodeError, match=message):
        open_periods(rules, zone, T0, T0 + timedelta(days=7))
