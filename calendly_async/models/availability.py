"""Availability schedules, their rules, and busy times (reference §8
"AvailabilitySchedule", "AvailabilityRule", "UserBusyTime")."""

from __future__ import annotations

import datetime as dt

import msgspec

from ._base import Model, Timestamp

__all__ = [
    "AvailabilityInterval",
    "AvailabilityRule",
    "AvailabilityRuleSet",
    "AvailabilitySchedule",
    "BusyTimeEvent",
    "UserBusyTime",
]


class AvailabilityInterval(Model):
    """An available period of a day, ``"hh:mm"`` local to the schedule's timezone.

    The Python names are ``from_`` and ``to_``; they encode as Calendly's
    ``from`` and ``to``.
    """

    from_: str | None = msgspec.field(default=None, name="from")
    to_: str | None = msgspec.field(default=None, name="to")


class AvailabilityRule(Model):
    """One rule of a schedule: a weekday (``type="wday"``) or a date (``type="date"``).

    No ``intervals`` means unavailable on that day.
    """

    type: str | None = None
    intervals: list[AvailabilityInterval] = msgspec.field(default_factory=list)
    wday: str | None = None
    date: dt.date | None = None


class AvailabilityRuleSet(Model):
    """Rules with their timezone: a share's ``availability_rule``.

    ``user`` (a user URI) is only used when an admin edits a member's schedule.
    """

    rules: list[AvailabilityRule] = msgspec.field(default_factory=list)
    timezone: str | None = None
    user: str | None = None


class AvailabilitySchedule(Model):
    """A user's availability schedule (``GET /user_availability_schedules``)."""

    uri: str
    default: bool | None = None
    name: str | None = None
    user: str | None = None
    timezone: str | None = None
    rules: list[AvailabilityRule] = msgspec.field(default_factory=list)


class BusyTimeEvent(Model):
    """The Calendly event behind a ``calendly`` busy time."""

    uri: str


class UserBusyTime(Model):
    """A period when a user is busy (``GET /user_busy_times``).

    ``type`` is ``calendly`` (then ``event`` names the scheduled event and the
    buffered times include buffers) or ``external`` (a connected calendar).
    """

    type: str | None = None
    start_time: Timestamp | None = None
    end_time: Timestamp | None = None
    buffered_start_time: Timestamp | None = None
    buffered_end_time: Timestamp | None = None
    event: BusyTimeEvent | None = None
