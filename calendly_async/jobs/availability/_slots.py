"""Open slots of many event types at once (``GET /event_type_available_times``).

Calendly rule (reference §6.4): one request covers one event type and at most 31
days, from a ``start_time`` that is not in the past. The range is split with the
SDK's own windowing (``resources._windows.time_windows`` and
``AVAILABLE_TIMES_MAX_RANGE``); every (event type, window) request runs
concurrently, bounded, through the caller's client; the slots are merged,
de-duplicated (a slot on a window edge comes back twice) and ordered by start
time, then event type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from ..._identifiers import resource_uri
from ..._params import TimeArg
from ...client import Calendly
from ...errors import DecodeError, InvalidInputError
from ...models.event_types import EventTypeAvailableTime
from ...resources._windows import time_windows
from ...resources.event_types import AVAILABLE_TIMES_MAX_RANGE
from ._fanout import DEFAULT_CONCURRENCY, check_concurrency, gather_bounded, log_moved_start
from ._range import LookupRange, lookup_range, utc_now

__all__ = ["OpenSlot", "OpenSlots", "merge_slots", "open_slots"]


@dataclass(frozen=True, slots=True)
class OpenSlot:
    """One bookable start time of one event type.

    Attributes
    ----------
    event_type:
        The event type's URI.
    start_time:
        When the slot starts (aware UTC).
    scheduling_url:
        Calendly's booking page for this slot.
    invitees_remaining:
        Seats left (more than 1 only for group event types).
    """

    event_type: str
    start_time: datetime
    scheduling_url: str | None
    invitees_remaining: int | None


@dataclass(frozen=True, slots=True)
class OpenSlots:
    """The result of ``open_slots``.

    Attributes
    ----------
    slots:
        Every open slot, ordered by ``start_time`` then ``event_type``, once each.
    event_types:
        The event type URIs looked up, in the order given or listed.
    range:
        What was fetched; ``range.start_moved`` says a past ``start`` became now.
    requests:
        How many ``GET /event_type_available_times`` requests were sent.
    """

    slots: list[OpenSlot]
    event_types: list[str]
    range: LookupRange
    requests: int


def merge_slots(batches: Sequence[tuple[str, Sequence[EventTypeAvailableTime]]]) -> list[OpenSlot]:
    """Slots of ``(event type URI, answer)`` batches: once each, by start then event type.

    Raises
    ------
    DecodeError
        An answer's slot has no ``start_time``.
    """
    seen: dict[tuple[str, datetime], OpenSlot] = {}
    for event_type, answer in batches:
        for slot in answer:
            if slot.start_time is None:
                raise DecodeError(f"an available time of {event_type} has no start_time")
            key = (event_type, slot.start_time)
            if key not in seen:
                seen[key] = OpenSlot(
                    event_type=event_type,
                    start_time=slot.start_time,
                    scheduling_url=slot.scheduling_url,
                    invitees_remaining=slot.invitees_remaining,
                )
    return sorted(seen.values(), key=lambda s: (s.start_time, s.event_type))


async def _event_type_uris(
    client: Calendly,
    event_types: Sequence[str] | None,
    user: str | None,
    organization: str | None,
) -> list[str]:
    given = [name for name, value in (("event_types", event_types), ("user", user),
             ("organization", organization)) if value is not None]  # fmt: skip
    if len(given) != 1:
        raise InvalidInputError("pass exactly one of event_types, user or organization")
    if event_types is not None:
        if isinstance(event_types, str) or not event_types:
            raise InvalidInputError("event_types must be a non-empty list of UUIDs or URIs")
        uris = [resource_uri(et, "event_types") for et in event_types]
        return list(dict.fromkeys(uris))
    # Calendly rule (reference §6.4): GET /event_types takes user or organization;
    # only active event types can be booked, so only they have open slots.
    listing = client.event_types.list(user=user, organization=organization, active=True)
    return [event_type.uri for event_type in await listing.collect()]


async def open_slots(
    client: Calendly,
    *,
    event_types: Sequence[str] | None = None,
    user: str | None = None,
    organization: str | None = None,
    start: TimeArg | None = None,
    end: TimeArg | None = None,
    days: int | None = None,
    max_concurrency: int = DEFAULT_CONCURRENCY,
    clock: Callable[[], datetime] = utc_now,
) -> OpenSlots:
    """Open slots of many event types over any range, fetched concurrently::

        found = await open_slots(client, user=me.uri, days=60)
        for slot in found.slots:
            print(slot.start_time, slot.event_type, slot.scheduling_url)

    Parameters
    ----------
    client:
        The client every request goes through (its rate-limit budget is shared).
    event_types, user, organization:
        Exactly one: event type UUIDs or URIs, or a user or organization (UUID or
        URI) whose active event types are looked up.
    start, end, days:
        The range: ``start`` (default now; a past one is moved to now, logged and
        flagged in ``range.start_moved``) and ``end`` or ``days`` (default 7 days).
    max_concurrency:
        Requests in flight at once.
    clock:
        The current time (aware); for tests.

    Raises
    ------
    InvalidInputError
        Not exactly one source, an identifier is malformed, or a bad range.
    CalendlyError
        The first request that failed (the others are cancelled).
    """
    limit = check_concurrency(max_concurrency)
    span = lookup_range(start, end, days, clock())
    uris = await _event_type_uris(client, event_types, user, organization)
    windows = time_windows(span.start, span.end, AVAILABLE_TIMES_MAX_RANGE)
    available_times = client.event_types.available_times
    calls = [partial(available_times, uri, first, last) for uri in uris for first, last in windows]
    log_moved_start(span)
    answers = await gather_bounded(calls, limit)
    keys = [uri for uri in uris for _ in windows]
    return OpenSlots(
        slots=merge_slots(list(zip(keys, answers, strict=True))),
        event_types=uris,
        range=span,
        requests=len(calls),
    )
