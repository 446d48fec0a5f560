"""``client.scheduling_links`` and ``client.shares`` (reference §6.7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ..errors import InvalidInputError
from ..models.availability import AvailabilityRuleSet
from ..models.event_types import LocationConfiguration
from ..models.scheduling import SchedulingLink, Share
from ._base import Resource
from ._choices import PeriodType, SchedulingLinkOwnerType
from ._inputs import (
    check_bool,
    check_choice,
    check_duration,
    check_duration_options,
    check_int,
    check_name,
    check_object,
    iso_date,
    optional,
    plain_list,
)

__all__ = ["SchedulingLinks", "Shares"]

DateArg = date | str
"""A ``datetime.date`` or a ``"YYYY-MM-DD"`` string."""


# Calendly rule (reference §6.7, POST /shares): fixed periods need both dates,
# moving periods need ``max_booking_time``.
_MOVING_PERIODS = frozenset({"moving", "available_moving"})


class SchedulingLinks(Resource):
    """Single-use scheduling link endpoint."""

    async def create(
        self,
        owner: str,
        max_event_count: int | str = 1,
        owner_type: SchedulingLinkOwnerType = "EventType",
    ) -> SchedulingLink:
        """Create a single-use booking link (``POST /scheduling_links``).

        Seed: createSingleUseSchedulingLink. Unused links reportedly expire
        after 90 days.

        Parameters
        ----------
        owner:
            The event type's UUID or URI (the only kind of owner Calendly supports).
        max_event_count:
            Bookings the link allows; Calendly only accepts 1. Sent as the
            integer ``1`` (reference §9 item 7); the string ``"1"`` is accepted.
        owner_type:
            ``"EventType"``.

        Raises
        ------
        InvalidInputError
            ``owner`` is not an event type UUID or URI, or ``max_event_count`` is
            not a positive integer.
        """
        body = {
            "max_event_count": _positive_int(max_event_count, "max_event_count"),
            "owner": self._uri(owner, "event_types", "owner"),
            "owner_type": check_choice(owner_type, SchedulingLinkOwnerType, "owner_type"),
        }
        return await self._send("POST", "/scheduling_links", SchedulingLink, body)


class Shares(Resource):
    """Share ("customize once and share") endpoint."""

    async def create(
        self,
        event_type: str,
        *,
        name: str | None = None,
        duration: int | None = None,
        duration_options: Sequence[int] | None = None,
        period_type: PeriodType | None = None,
        start_date: DateArg | None = None,
        end_date: DateArg | None = None,
        max_booking_time: int | None = None,
        hide_location: bool | None = None,
        location_configurations: Sequence[LocationConfiguration | Mapping[str, Any]] | None = None,
        availability_rule: AvailabilityRuleSet | Mapping[str, Any] | None = None,
    ) -> Share:
        """Create a share of an event type with some settings overridden (``POST /shares``).

        Seed: createShare. Settings left as ``None`` are copied from the event type.

        Parameters
        ----------
        event_type:
            The event type's UUID or URI.
        name, duration, duration_options:
            Overrides of the event type's name and length in minutes.
        period_type:
            ``available_moving``, ``moving``, ``fixed`` or ``unlimited``.
        start_date, end_date:
            ``datetime.date`` or ``"YYYY-MM-DD"``; required when ``period_type`` is
            ``"fixed"``.
        max_booking_time:
            Required when ``period_type`` is ``"moving"`` or ``"available_moving"``.
        hide_location:
            Hide the location until booking (only with a single custom location).
        location_configurations:
            ``LocationConfiguration`` models or plain dicts.
        availability_rule:
            An ``AvailabilityRuleSet`` or a plain dict ``{"rules": [...], "timezone": ...}``.

        Raises
        ------
        InvalidInputError
            A required date or ``max_booking_time`` is missing for the period
            type, a date is malformed or ``end_date`` precedes ``start_date``, or
            ``event_type`` is malformed.
        """
        start = optional(iso_date, start_date, "start_date")
        end = optional(iso_date, end_date, "end_date")
        optional(check_choice, period_type, PeriodType, "period_type")
        optional(check_int, max_booking_time, "max_booking_time")
        _check_period(period_type, start, end, max_booking_time)
        body = {
            "event_type": self._uri(event_type, "event_types"),
            "name": optional(check_name, name),
            "duration": optional(check_duration, duration),
            "duration_options": optional(check_duration_options, duration_options),
            "period_type": period_type,
            "start_date": start,
            "end_date": end,
            "max_booking_time": max_booking_time,
            "hide_location": optional(check_bool, hide_location, "hide_location"),
            "location_configurations": plain_list(
                location_configurations, "location_configurations"
            ),
            "availability_rule": optional(check_object, availability_rule, "availability_rule"),
        }
        return await self._send("POST", "/shares", Share, body)


def _positive_int(value: int | str, name: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return check_int(value, name)


def _check_period(
    period_type: str | None, start: str | None, end: str | None, max_booking_time: int | None
) -> None:
    if period_type == "fixed" and (start is None or end is None):
        raise InvalidInputError('start_date and end_date are required when period_type is "fixed"')
    if period_type in _MOVING_PERIODS and max_booking_time is None:
        raise InvalidInputError(f'max_booking_time is required when period_type is "{period_type}"')
    if start is not None and end is not None and end < start:
        raise InvalidInputError(f"end_date {end} is before start_date {start}")
