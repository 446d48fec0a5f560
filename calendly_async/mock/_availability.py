"""Open slots and busy periods, computed from schedules and stored events. No I/O.

Calendly rules (reference §6.4, §6.5, §8): an availability rule is a weekday
(``wday``) or a date override (``date``) with ``"hh:mm"`` intervals local to the
schedule's timezone (no intervals: unavailable that day); busy times are the host's
active Calendly events plus external calendar events, ascending.

Calendly rule (reference §8, ``EventTypeAvailableTime.invitees_remaining`` ">1 only
for group types", ``ScheduledEvent.invitees_counter {total, active, limit}``): a
slot of a group event type seats several invitees in one scheduled event. The
first booking creates the event, later ones join it while it has room, and the
slot stays open, advertising the seats left, until the event is full.
``joinable_event`` is what booking joins.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..models.availability import (
    AvailabilityRule,
    AvailabilitySchedule,
    BusyTimeEvent,
    UserBusyTime,
)
from ..models.event_types import EventType, EventTypeAvailableTime
from ..models.scheduled_events import ScheduledEvent
from ._store import Store

__all__ = ["available_times", "busy_times", "joinable_event", "seats_left", "slot_seats"]

_NEVER = datetime.min.replace(tzinfo=UTC)
"""Stands in for a missing time when sorting (filtered out before use)."""

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def busy_times(store: Store, user_uuid: str, start: datetime, end: datetime) -> list[UserBusyTime]:
    """The user's busy periods overlapping ``[start, end)``, ascending."""
    busy = [
        UserBusyTime(
            type="calendly",
            start_time=event.start_time,
            end_time=event.end_time,
            buffered_start_time=event.start_time,
            buffered_end_time=event.end_time,
            event=BusyTimeEvent(uri=event.uri),
        )
        for event in store.events_by_host.get(user_uuid, {}).values()
        if event.status == "active"
        and event.start_time is not None
        and event.end_time is not None
        and event.start_time < end
        and event.end_time > start
    ]
    busy.extend(
        period
        for period in store.external_busy.get(user_uuid, [])
        if period.start_time is not None
        and period.end_time is not None
        and period.start_time < end
        and period.end_time > start
    )
    busy.sort(key=lambda period: (period.start_time or start, period.type or ""))
    return busy


def _rule_for(schedule: AvailabilitySchedule, day: date) -> AvailabilityRule | None:
    for rule in schedule.rules:
        if rule.type == "date" and rule.date == day:
            return rule
    weekday = _WEEKDAYS[day.weekday()]
    return next((r for r in schedule.rules if r.type == "wday" and r.wday == weekday), None)


def _clock_time(day: date, text: str | None, zone: tzinfo) -> datetime:
    hours, _, minutes = (text or "00:00").partition(":")
    extra_days, hour = divmod(int(hours), 24)
    local = datetime.combine(day + timedelta(days=extra_days), time(hour, int(minutes or 0)))
    return local.replace(tzinfo=zone).astimezone(UTC)


def _open_periods(
    schedule: AvailabilitySchedule, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    zone = _zone(schedule.timezone)
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    while day <= last:
        rule = _rule_for(schedule, day)
        for interval in rule.intervals if rule else []:
            yield _clock_time(day, interval.from_, zone), _clock_time(day, interval.to_, zone)
        day += timedelta(days=1)


class _Overlaps:
    """Whether a period overlaps any busy period, in O(log n) per question."""

    def __init__(self, busy: list[UserBusyTime]) -> None:
        periods = sorted(
            (b.start_time, b.end_time)
            for b in busy
            if b.start_time is not None and b.end_time is not None
        )
        self._starts = [begin for begin, _ in periods]
        self._max_end: list[datetime] = []
        for _, finish in periods:
            latest = self._max_end[-1] if self._max_end else finish
            self._max_end.append(max(latest, finish))

    def __call__(self, begin: datetime, finish: datetime) -> bool:
        # Every busy period before ``index`` starts before ``finish``; one of them
        # overlaps exactly when the latest end among them is after ``begin``.
        index = bisect.bisect_left(self._starts, finish)
        return index > 0 and self._max_end[index - 1] > begin


def slot_seats(store: Store, event_type: EventType) -> int:
    """Invitees one slot of ``event_type`` seats (group event types: several, others: one)."""
    return store.seats if event_type.kind == "group" else 1


def seats_left(store: Store, event: ScheduledEvent) -> int:
    """Seats of a scheduled event not taken by an active invitee."""
    counter = event.invitees_counter
    limit = counter.limit if counter is not None and counter.limit else 1
    booked = store.invitees.get(event.uri.rsplit("/", 1)[-1], {}).values()
    return limit - sum(1 for invitee in booked if invitee.status == "active")


def _shared_events(store: Store, event_type: EventType, host_uuid: str) -> list[ScheduledEvent]:
    """The active events of a group event type, by start (the ones new invitees may join)."""
    if event_type.kind != "group":
        return []
    events = [
        event
        for event in store.events_by_host.get(host_uuid, {}).values()
        if event.status == "active"
        and event.event_type == event_type.uri
        and event.start_time is not None
        and event.end_time is not None
    ]
    events.sort(key=lambda event: event.start_time or _NEVER)
    return events


def _host_uuid(event_type: EventType) -> str:
    host = (event_type.profile.owner if event_type.profile else "") or ""
    return host.rsplit("/", 1)[-1]


def joinable_event(store: Store, event_type: EventType, start: datetime) -> ScheduledEvent | None:
    """The event of a group event type starting at ``start`` with a seat left, if any."""
    for event in _shared_events(store, event_type, _host_uuid(event_type)):
        if event.start_time == start and seats_left(store, event) > 0:
            return event
    return None


class _Shared:
    """The events of a group event type: one at a slot's start is joined, not a conflict."""

    def __init__(self, store: Store, events: list[ScheduledEvent]) -> None:
        self._store = store
        self._events = events
        self._starts = [event.start_time or _NEVER for event in events]
        self._longest = max(
            ((event.end_time or _NEVER) - (event.start_time or _NEVER) for event in events),
            default=timedelta(0),
        )

    def seats(self, begin: datetime, finish: datetime, empty: int) -> int:
        """Seats left for a slot ``[begin, finish)``: those of the event starting at
        ``begin``, ``empty`` when none does, 0 when another one overlaps the slot."""
        low = bisect.bisect_left(self._starts, begin - self._longest)
        high = bisect.bisect_left(self._starts, finish)
        seats = empty
        for event in self._events[low:high]:
            if (event.end_time or _NEVER) <= begin:
                continue
            if event.start_time != begin:
                return 0
            seats = min(seats, seats_left(self._store, event))
        return max(seats, 0)


def available_times(
    store: Store, event_type: EventType, start: datetime, end: datetime, now: datetime
) -> list[EventTypeAvailableTime]:
    """Open slots of ``event_type`` starting within ``[start, end)`` and not before ``now``,
    each with the seats it has left (``invitees_remaining``)."""
    uuid = event_type.uri.rsplit("/", 1)[-1]
    schedule_uri = store.event_type_schedule.get(uuid, "")
    schedule = store.schedules.get(schedule_uri.rsplit("/", 1)[-1])
    if schedule is None or not event_type.active:
        return []
    duration = timedelta(minutes=int(event_type.duration or 30))
    host_uuid = _host_uuid(event_type)
    events = _shared_events(store, event_type, host_uuid)
    shared = _Shared(store, events)
    own = {event.uri for event in events}
    busy = busy_times(store, host_uuid, start - duration, end + duration)
    overlaps = _Overlaps([b for b in busy if b.event is None or b.event.uri not in own])
    empty = slot_seats(store, event_type)
    slots = []
    for opens, closes in _open_periods(schedule, start, end):
        slot = opens
        while slot + duration <= closes:
            if start <= slot < end and slot >= now and not overlaps(slot, slot + duration):
                seats = shared.seats(slot, slot + duration, empty)
                if seats > 0:
                    slots.append(_slot(event_type, slot, seats))
            slot += duration
    slots.sort(key=lambda s: s.start_time or start)
    return slots


def _slot(event_type: EventType, at: datetime, seats: int) -> EventTypeAvailableTime:
    stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    url = f"{event_type.scheduling_url}/{stamp}?month={at:%Y-%m}&date={at:%Y-%m-%d}"
    return EventTypeAvailableTime(
        status="available", invitees_remaining=seats, start_time=at, scheduling_url=url
    )
