"""Static typing checks of ``calendly_async.jobs`` (run by ``mypy --strict``, not pytest)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import assert_type

from calendly_async import Calendly
from calendly_async.jobs import FreeTime, Interval, OpenSlots, free_time, open_slots
from calendly_async.jobs.availability import intersect_all, subtract


async def check_jobs(client: Calendly) -> None:
    slots = await open_slots(client, user="U", days=60)
    assert_type(slots, OpenSlots)
    assert_type(slots.slots[0].start_time, datetime)
    assert_type(slots.slots[0].invitees_remaining, int | None)
    assert_type(slots.range.start_moved, bool)
    common = await free_time(client, ["A", "B"], min_duration=timedelta(minutes=30))
    assert_type(common, FreeTime)
    assert_type(common.intervals, list[Interval])
    assert_type(common.intervals[0].end, datetime)
    assert_type(subtract(common.users[0].open, common.users[0].busy), list[Interval])
    assert_type(intersect_all([u.free for u in common.users]), list[Interval])
