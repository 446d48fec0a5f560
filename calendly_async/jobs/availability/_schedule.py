"""A user's open periods from the rules of an availability schedule. Pure, no I/O.

Calendly rules (reference §8 "AvailabilityRule"):

- a rule is ``type="wday"`` (every such weekday) or ``type="date"`` (one
  ``YYYY-MM-DD`` date); its ``intervals`` are ``"hh:mm"`` ``from``/``to`` pairs
  local to the schedule's ``timezone``; no intervals: unavailable that day;
- a ``date`` rule replaces the weekday's rules on that date.

Local times become instants with ``zoneinfo``, so each day follows its own UTC
offset (a 09:00 start is 14:00Z before the US change of 2027-03-14 and 13:00Z
after it). A wall time that does not exist (inside a spring-forward gap) is read
with the offset before the change, as Python does (``fold=0``); ``"24:00"`` is
the next midnight.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...errors import DecodeError
from ...models.availability import AvailabilityInterval, AvailabilityRule
from ._intervals import Interval, clip, normalize

__all__ = ["WEEKDAYS", "clock_time", "open_periods", "schedule_zone"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Calendly's ``wday`` names, in ``date.weekday()`` order."""

_DAY = timedelta(days=1)


def schedule_zone(name: str | None) -> ZoneInfo:
    """The schedule's IANA timezone; a missing or unknown one is bad data (``DecodeError``)."""
    if not name:
        raise DecodeError("availability schedule has no timezone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DecodeError(f"availability schedule timezone {name!r} is unknown") from None


def clock_time(text: str | None) -> timedelta:
    """``"hh:mm"`` (``00:00`` to ``24:00``) as the time since local midnight."""
    hours, sep, minutes = (text or "").partition(":")
    digits = f"{hours}{minutes}"
    if not (sep and digits.isascii() and digits.isdigit() and len(hours) <= 2 == len(minutes)):
        raise DecodeError(f"availability interval time {text!r} is not hh:mm")
    value = timedelta(hours=int(hours), minutes=int(minutes))
    if int(minutes) > 59 or value > _DAY:
        raise DecodeError(f"availability interval time {text!r} is not between 00:00 and 24:00")
    return value


def _instant(day: date, since_midnight: timedelta, zone: ZoneInfo) -> datetime:
    extra_days, rest = divmod(since_midnight, _DAY)
    wall = datetime.combine(day + extra_days * _DAY, time()) + rest
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _day_rules(
    rules: Iterable[AvailabilityRule],
) -> tuple[dict[str, list[AvailabilityInterval]], dict[date, list[AvailabilityInterval]]]:
    by_weekday: dict[str, list[AvailabilityInterval]] = defaultdict(list)
    by_date: dict[date, list[AvailabilityInterval]] = defaultdict(list)
    for rule in rules:
        if rule.type == "wday":
            if rule.wday not in WEEKDAYS:
                raise DecodeError(f"availability rule wday {rule.wday!r} is not a weekday name")
            by_weekday[rule.wday].extend(rule.intervals)
        elif rule.type == "date":
            if rule.date is None:
                raise DecodeError("availability rule of type date has no date")
            # Calendly rule: a date rule replaces the weekday's rules on that date,
            # even when it has no intervals (then the day is off).
            by_date[rule.date].extend(rule.intervals)
    return by_weekday, by_date


def open_periods(
    rules: Sequence[AvailabilityRule], timezone: str | None, start: datetime, end: datetime
) -> list[Interval]:
    """The periods within ``[start, end)`` that the rules make available, normalized.

    Raises
    ------
    DecodeError
        The timezone is missing or unknown, a time is not ``hh:mm`` up to
        ``24:00``, a weekday name is unknown, or a date rule has no date.
    """
    zone = schedule_zone(timezone)
    by_weekday, by_date = _day_rules(rules)
    periods: list[Interval] = []
    day = start.astimezone(zone).date() - _DAY
    last = end.astimezone(zone).date()
    while day <= last:
        intervals = by_date[day] if day in by_date else by_weekday.get(WEEKDAYS[day.weekday()], [])
        for interval in intervals:
            opens = _instant(day, clock_time(interval.from_), zone)
            closes = _instant(day, clock_time(interval.to_), zone)
            periods.append(Interval(opens, closes))
        day += _DAY
    return clip(normalize(periods), start, end)
