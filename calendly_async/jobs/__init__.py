"""Jobs: many requests as one typed operation, concurrent and sharing the client's budget.

Availability (``calendly_async.jobs.availability``)::

    from datetime import timedelta
    from calendly_async.jobs import free_time, open_slots

    slots = await open_slots(client, organization=org_uri, days=60)
    common = await free_time(client, [alice, bob], min_duration=timedelta(minutes=30))
"""

from .availability import (
    FreeTime,
    Interval,
    LookupRange,
    OpenSlot,
    OpenSlots,
    UserFreeTime,
    free_time,
    open_slots,
)

__all__ = [
    "FreeTime",
    "Interval",
    "LookupRange",
    "OpenSlot",
    "OpenSlots",
    "UserFreeTime",
    "free_time",
    "open_slots",
]
