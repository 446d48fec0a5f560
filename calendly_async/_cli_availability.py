"""``calendly-async availability slots|free``: the availability jobs from the command line.

::

    calendly-async availability slots --user me --days 60 --json
    calendly-async availability slots --event-type UUID1 --event-type UUID2 --days 60
    calendly-async availability free --user me --user UUID --duration 30 --tz Europe/Berlin

``--json`` prints JSON lines (slots: ``event_type``, ``start_time``,
``scheduling_url``, ``invitees_remaining``; free time: ``start``, ``end``), times
ISO-8601 UTC. Without it, a table grouped by day in ``--tz`` (default: the
timezone of the first user, or of the current user). ``me`` names the current user.
Bad input raises ``InvalidInputError`` before any request (one line, exit 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from .client import Calendly
from .errors import InvalidInputError
from .jobs.availability import (
    DEFAULT_CONCURRENCY,
    Interval,
    LookupRange,
    OpenSlot,
    free_time,
    lookup_range,
    open_slots,
)
from .jobs.availability._fanout import check_concurrency
from .jobs.availability._range import utc_now

__all__ = ["add_availability_command"]

ME = "me"
"""``--user me``: the current user (``GET /users/me``)."""


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(f"--tz {name!r} is not an IANA timezone name") from None


def _check_range(args: argparse.Namespace) -> None:
    """Refuse a bad --start/--end/--days/--concurrency before any request (even the
    ``GET /users/me`` of ``me``); the job checks them again."""
    lookup_range(args.start, args.end, args.days, utc_now())
    check_concurrency(args.concurrency)


async def _user_uri(client: Calendly, user: str) -> str:
    return (await client.users.me()).uri if user == ME else user


async def _table_zone(client: Calendly, args: argparse.Namespace, user: str | None) -> ZoneInfo:
    """``--tz``, else the timezone of ``user`` (of the current user when ``None``)."""
    if args.tz:
        return _zone(args.tz)
    person = await (client.users.get(user) if user else client.users.me())
    return _zone(person.timezone or "UTC")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_lines(items: Iterable[dict[str, object]]) -> None:
    for item in items:
        sys.stdout.write(msgspec.json.encode(item).decode() + "\n")
    sys.stdout.flush()


def _header(title: str, span: LookupRange, zone: ZoneInfo) -> list[str]:
    start, end = span.start.astimezone(zone), span.end.astimezone(zone)
    lines = [f"{title} from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} ({zone.key})"]
    if span.start_moved:
        lines.append(f"(start {_utc(span.requested_start)} is in the past: moved to now)")
    return lines


def _by_day(rows: Iterable[tuple[date, str]]) -> list[str]:
    lines: list[str] = []
    current: date | None = None
    for day, text in rows:
        if day != current:
            lines += ["", f"{day:%A %Y-%m-%d}"]
            current = day
        lines.append(f"  {text}")
    return lines


def _slot_row(slot: OpenSlot, zone: ZoneInfo) -> tuple[date, str]:
    local = slot.start_time.astimezone(zone)
    seats = "-" if slot.invitees_remaining is None else str(slot.invitees_remaining)
    event_type = slot.event_type.rsplit("/", 1)[-1]
    return local.date(), f"{local:%H:%M}  {event_type}  {seats} left  {slot.scheduling_url or ''}"


def _length(value: timedelta) -> str:
    hours, minutes = divmod(int(value.total_seconds()) // 60, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


def _free_row(period: Interval, zone: ZoneInfo) -> tuple[date, str]:
    start, end = period.start.astimezone(zone), period.end.astimezone(zone)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %H:%M}"
    return start.date(), f"{start:%H:%M}-{until}  {_length(period.duration)}"


async def _slots(client: Calendly, args: argparse.Namespace) -> None:
    zone = _zone(args.tz) if args.tz else None
    _check_range(args)
    user = await _user_uri(client, args.user) if args.user else None
    found = await open_slots(
        client,
        event_types=args.event_types,
        user=user,
        organization=args.organization,
        start=args.start,
        end=args.end,
        days=args.days,
        max_concurrency=args.concurrency,
    )
    if args.json:
        _write_lines(
            {
                "event_type": slot.event_type,
                "start_time": _utc(slot.start_time),
                "scheduling_url": slot.scheduling_url,
                "invitees_remaining": slot.invitees_remaining,
            }
            for slot in found.slots
        )
        return
    zone = zone or await _table_zone(client, args, user)
    lines = _header(f"{len(found.slots)} open slots", found.range, zone)
    lines += _by_day(_slot_row(slot, zone) for slot in found.slots) or ["", "No open slots."]
    print("\n".join(lines))


async def _free(client: Calendly, args: argparse.Namespace) -> None:
    zone = _zone(args.tz) if args.tz else None
    if args.duration < 1:
        raise InvalidInputError(
            f"--duration must be a positive number of minutes, not {args.duration}"
        )
    _check_range(args)
    users = [await _user_uri(client, user) for user in args.users]
    found = await free_time(
        client,
        users,
        min_duration=timedelta(minutes=args.duration),
        start=args.start,
        end=args.end,
        days=args.days,
        max_concurrency=args.concurrency,
    )
    if args.json:
        _write_lines({"start": _utc(i.start), "end": _utc(i.end)} for i in found.intervals)
        return
    zone = zone or await _table_zone(client, args, users[0])
    who = "1 user" if len(users) == 1 else f"{len(users)} users, together"
    title = f"Free time of {who}, at least {args.duration} min,"
    lines = _header(title, found.range, zone)
    rows = _by_day(_free_row(period, zone) for period in found.intervals)
    print("\n".join(lines + (rows or ["", "No common free time."])))


def _range_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", metavar="ISO", help="default: now (a past start becomes now)")
    until = parser.add_mutually_exclusive_group()
    until.add_argument("--end", metavar="ISO", help="end of the range (aware ISO-8601)")
    until.add_argument("--days", type=int, metavar="N", help="length of the range (default 7)")
    parser.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    parser.add_argument("--tz", metavar="ZONE", help="IANA timezone of the table")
    parser.add_argument(
        "--concurrency", type=int, default=DEFAULT_CONCURRENCY,
        help="requests in flight at once (default: %(default)s)",
    )


def add_availability_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``availability slots`` and ``availability free`` to the command's subparsers."""
    availability = commands.add_parser(
        "availability", help="open slots of many event types; common free time of many users"
    )
    actions = availability.add_subparsers(
        dest="action", required=True, metavar="ACTION", help="what to look up"
    )

    slots = actions.add_parser("slots", help="open slots of event types, merged and ordered")
    source = slots.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--event-type", action="append", dest="event_types", metavar="X", help="repeatable"
    )
    source.add_argument("--user", help="every active event type of this user ('me' works)")
    source.add_argument("--organization", help="every active event type of the organization")
    _range_options(slots)
    slots.set_defaults(run=_slots)

    free = actions.add_parser("free", help="periods when every user is free")
    free.add_argument(
        "--user", action="append", dest="users", required=True, help="repeatable; 'me' works"
    )
    free.add_argument(
        "--duration", type=int, required=True, metavar="MINUTES", help="meeting length in minutes"
    )
    _range_options(free)
    free.set_defaults(run=_free)
