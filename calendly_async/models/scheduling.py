"""Single-use scheduling links and shares (reference §6.7)."""

from __future__ import annotations

import datetime as dt

import msgspec

from ._base import Model
from .availability import AvailabilityRuleSet
from .event_types import LocationConfiguration

__all__ = ["SchedulingLink", "Share", "ShareOverride"]


class SchedulingLink(Model):
    """A booking link owned by an event type (``POST /scheduling_links``)."""

    booking_url: str | None = None
    owner: str | None = None
    owner_type: str | None = None


class ShareOverride(Model):
    """The settings a share overrides; fields left out are copied from the event type.

    ``period_type`` is ``available_moving``, ``moving``, ``fixed`` or ``unlimited``.
    """

    name: str | None = None
    duration: int | None = None
    duration_options: list[int] | None = None
    period_type: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    max_booking_time: int | None = None
    hide_location: bool | None = None
    location_configurations: list[LocationConfiguration] | None = None
    availability_rule: AvailabilityRuleSet | None = None


class Share(Model):
    """A customised, shareable version of an event type (``POST /shares``)."""

    scheduling_links: list[SchedulingLink] = msgspec.field(default_factory=list)
    share_override: ShareOverride | None = None
