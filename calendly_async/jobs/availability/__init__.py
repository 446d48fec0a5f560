"""Availability at scale: open slots across many event types, free time across many users.

- ``open_slots``: the open slots of many event types (a list, or every active
  event type of a user or organization) over any range;
- ``free_time``: each user's free time (default schedule minus busy times) and
  the common free time of all of them, each period at least ``min_duration``;
- the pure interval arithmetic they are built on (``Interval``, ``normalize``,
  ``subtract``, ``intersect``, ``intersect_all``, ``clip``, ``at_least``,
  ``open_periods``).
"""

from ._fanout import DEFAULT_CONCURRENCY
from ._free_time import FreeTime, UserFreeTime, busy_periods, default_schedule, free_time
from ._intervals import Interval, at_least, clip, intersect, intersect_all, normalize, subtract
from ._range import DEFAULT_DAYS, LookupRange, lookup_range
from ._schedule import open_periods
from ._slots import OpenSlot, OpenSlots, merge_slots, open_slots

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_DAYS",
    "FreeTime",
    "Interval",
    "LookupRange",
    "OpenSlot",
    "OpenSlots",
    "UserFreeTime",
    "at_least",
    "busy_periods",
    "clip",
    "default_schedule",
    "free_time",
    "intersect",
    "intersect_all",
    "lookup_range",
    "merge_slots",
    "normalize",
    "open_periods",
    "open_slots",
    "subtract",
]
