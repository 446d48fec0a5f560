"""Event type hosts, event type availability and one-off event type settings
(reference §6.4).

Shapes from Calendly's current spec: a host is ``{uri, event_type, member,
created_at, updated_at}``; an event type availability schedule is
``{event_type, availability_setting, availability_rule: {timezone, uri, name,
user, rules}}``.
"""

from __future__ import annotations

import datetime as dt

from ._base import Model, Timestamp
from .availability import AvailabilityRuleSet
from .event_types import EventType
from .users import User

__all__ = [
    "EventTypeAvailabilityRules",
    "EventTypeAvailabilitySchedule",
    "EventTypeMembership",
    "OneOffDateSetting",
    "OneOffSpot",
]


class EventTypeMembership(Model):
    """A host of an event type (``GET /event_type_memberships``)."""

    uri: str
    event_type: EventType | None = None
    member: User | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class EventTypeAvailabilityRules(AvailabilityRuleSet):
    """The rules an event type books against, with the schedule they come from.

    ``uri`` and ``name`` identify the availability schedule the event type
    uses (``name`` may be null); ``user`` is the host the rules belong to.
    """

    uri: str | None = None
    name: str | None = None


class EventTypeAvailabilitySchedule(Model):
    """An event type's availability (``GET``/``PATCH /event_type_availability_schedules``).

    ``availability_setting`` is ``host`` (every host shares one schedule) or a
    newer value.
    """

    event_type: str | None = None
    availability_setting: str | None = None
    availability_rule: EventTypeAvailabilityRules | None = None


class OneOffSpot(Model):
    """A time window a one-off event type can be booked in (aware datetimes)."""

    start_time: Timestamp | None = None
    end_time: Timestamp | None = None


class OneOffDateSetting(Model):
    """When a one-off event type can be booked (``date_setting`` of
    ``POST /one_off_event_types``).

    ``type`` chooses the fields: ``date_range`` (``start_date``, ``end_date``,
    less than 365 days apart), ``days_in_future`` (``days`` 0-365 and
    ``only_weekdays``) or ``spots`` (``spots``).
    """

    type: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    days: int | None = None
    only_weekdays: bool | None = None
    spots: list[OneOffSpot] | None = None
