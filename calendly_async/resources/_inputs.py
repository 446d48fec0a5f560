"""Checks and conversions for write-call arguments: pure functions, no I/O.

Every check raises ``InvalidInputError`` before a request is sent. The Calendly
rule each one enforces is named next to it (reference §6.4, §6.6).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from .._params import format_time
from ..errors import InvalidInputError
from ._choices import choices

__all__ = [
    "MAX_DURATION",
    "UNSET",
    "Unset",
    "availability_rules",
    "check_bool",
    "check_choice",
    "check_color",
    "check_duration",
    "check_duration_options",
    "check_email",
    "check_int",
    "check_name",
    "check_object",
    "check_text",
    "check_timezone",
    "choice_list",
    "iso_date",
    "location_body",
    "one_off_date_setting",
    "optional",
    "plain",
    "plain_list",
    "utc_time",
]

R = TypeVar("R")

UNSET = msgspec.UNSET
"""The default of PATCH arguments: "not passed", so the field is left out of the body.

Three states (STYLE practice 10): ``UNSET`` leaves the field unchanged, ``None``
sends JSON ``null`` (clears it, where Calendly allows that), a value sets it.
msgspec's own sentinel, so models and request bodies share one notion of unset.
"""

Unset = msgspec.UnsetType
"""The type of ``UNSET`` (for annotations: ``str | None | Unset``)."""

MAX_DURATION = 720
"""Calendly rule: event durations are whole minutes from 1 to 720."""

_MAX_DURATION_OPTIONS = 4
_COLOR = re.compile(r"^#[a-f\d]{6}$")

# Calendly rule (reference §6.6, POST /invitees): these location kinds need the
# invitee's ``location`` text (an address, a phone number, free text).
_KINDS_NEEDING_TEXT = frozenset({"physical", "outbound_call", "ask_invitee", "custom"})

_MAX_ONE_OFF_DAYS = 365
_CLOCK = re.compile(r"^\d\d:\d\d$")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def plain(value: Any) -> Any:
    """A model or mapping as JSON-ready builtins, with unset (``None``) fields left out.

    Dates become ``YYYY-MM-DD``; aware datetimes stay ISO-8601 strings.
    """
    if value is None:
        return None
    return _drop_none(msgspec.to_builtins(value))


def plain_list(values: Sequence[Any] | None, what: str) -> list[Any] | None:
    """A sequence of models or mappings as a list of JSON objects (``None`` stays ``None``)."""
    if values is None:
        return None
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence):
        raise InvalidInputError(f"{what} must be a list, not {type(values).__name__}")
    return [check_object(item, f"every item of {what}") for item in values]


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(item) for item in value]
    return value


def optional(check: Callable[..., R], value: object, *args: Any, **kwargs: Any) -> R | None:
    """``check(value, *args, **kwargs)``, or ``None`` when ``value`` is ``None`` (not passed)."""
    return None if value is None else check(value, *args, **kwargs)


def check_text(value: object, what: str, max_length: int | None = None) -> str:
    """A string (``bytes``, numbers and the rest are refused), at most ``max_length`` long."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be a string, not {type(value).__name__}")
    if max_length is not None and len(value) > max_length:
        raise InvalidInputError(f"{what} is {len(value)} characters; the limit is {max_length}")
    return value


def check_name(value: object, what: str = "name", max_length: int | None = None) -> str:
    """A non-blank string, at most ``max_length`` characters when given."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} must be a non-empty string")
    return check_text(value, what, max_length)


def check_email(value: object, what: str = "email") -> str:
    """An email address: a string with an ``@`` and no whitespace (stripped at the ends)."""
    text = value.strip() if isinstance(value, str) else ""
    if "@" not in text or any(char.isspace() for char in text):
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        raise InvalidInputError(f"{what} must be an email address, not {shown}")
    return text


def check_bool(value: object, what: str) -> bool:
    """``True`` or ``False`` (``1``, ``"true"`` and the rest are refused)."""
    if not isinstance(value, bool):
        raise InvalidInputError(f"{what} must be True or False, not {value!r}")
    return value


def check_int(value: object, what: str, minimum: int = 1, maximum: int | None = None) -> int:
    """An integer (not a bool) from ``minimum`` to ``maximum``."""
    too_big = maximum is not None and isinstance(value, int) and value > maximum
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or too_big:
        upper = f" to {maximum}" if maximum is not None else " or more"
        raise InvalidInputError(f"{what} must be an integer from {minimum}{upper}, not {value!r}")
    return value


def check_choice(value: object, alias: Any, what: str) -> str:
    """One of the values of the ``Literal`` ``alias`` (see ``_choices``)."""
    allowed = choices(alias)
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInputError(f"{what} must be one of {', '.join(allowed)}; not {value!r}")
    return value


def choice_list(values: object, alias: Any, what: str) -> list[str]:
    """One value of ``alias`` or a non-empty list of them, as a list."""
    if isinstance(values, str):
        return [check_choice(values, alias, what)]
    if isinstance(values, bytes | Mapping) or not isinstance(values, Sequence) or not values:
        raise InvalidInputError(f"{what} must be a value or a non-empty list of values")
    return [check_choice(value, alias, f"every item of {what}") for value in values]


def check_object(value: object, what: str) -> dict[str, Any]:
    """A model or a mapping as a JSON object (anything else is refused)."""
    body = plain(value) if isinstance(value, msgspec.Struct | Mapping) else None
    if not isinstance(body, dict):
        raise InvalidInputError(f"{what} must be a model or a mapping, not {type(value).__name__}")
    return body


def check_duration(value: object, what: str = "duration") -> int:
    """Calendly rule: a duration is an integer number of minutes from 1 to 720."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DURATION:
        raise InvalidInputError(
            f"{what} must be an integer from 1 to {MAX_DURATION} minutes, not {value!r}"
        )
    return value


def check_duration_options(values: Sequence[int], duration: int | None = None) -> list[int]:
    """Calendly rule: at most 4 unique durations (1-720), including ``duration`` if given."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise InvalidInputError("duration_options must be a list of integers")
    options = [check_duration(v, "every duration option") for v in values]
    if len(options) > _MAX_DURATION_OPTIONS:
        raise InvalidInputError(
            f"duration_options has {len(options)} values; the limit is {_MAX_DURATION_OPTIONS}"
        )
    if len(set(options)) != len(options):
        raise InvalidInputError(f"duration_options must be unique, not {options}")
    if duration is not None and duration not in options:
        raise InvalidInputError(f"duration {duration} must be one of duration_options {options}")
    return options


def check_color(value: object) -> str:
    """Calendly rule: a color matches ``^#[a-f\\d]{6}$``; upper-case hex is lower-cased."""
    text = value.strip().lower() if isinstance(value, str) else None
    if text is None or not _COLOR.match(text):
        raise InvalidInputError(f"color must be a hex color like '#1a2b3c', not {value!r}")
    return text


def check_timezone(value: object, what: str = "timezone") -> str:
    """An IANA time zone name Python knows (``Europe/Berlin``, ``UTC``)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} must be an IANA time zone name like 'Europe/Berlin'")
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(f"{what} {value!r} is not a known IANA time zone") from None
    return value.strip()


def iso_date(value: object, what: str) -> str:
    """``YYYY-MM-DD`` from a ``date`` or a string in that form (a datetime is refused)."""
    if isinstance(value, datetime):
        raise InvalidInputError(f"{what} must be a date, not a datetime ({value!r})")
    if isinstance(value, date):
        return value.isoformat()
    # Only the extended form: date.fromisoformat also takes "20190102" and "2019-W01-1".
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InvalidInputError(f"{what} {value!r} is not a date in YYYY-MM-DD form")


def utc_time(value: object, what: str) -> str:
    """An aware datetime or ISO-8601 string, as Calendly's UTC ``...Z`` text."""
    if not isinstance(value, str | datetime):
        raise InvalidInputError(f"{what} must be an aware datetime or an ISO-8601 string")
    return format_time(value, what=what)


def location_body(value: Any, what: str = "location", *, booking: bool = False) -> dict[str, Any]:
    """A location (a ``LocationConfiguration`` or a mapping) as a JSON object.

    Calendly rules: every location has a ``kind``; an ``inbound_call``
    configuration needs ``phone_number`` (reference §6.4); when booking
    (``booking=True``), ``physical``, ``outbound_call``, ``ask_invitee`` and
    ``custom`` need the invitee's ``location`` text (reference §6.6).
    """
    body = check_object(value, what)
    kind = body.get("kind")
    if not isinstance(kind, str) or not kind.strip():
        raise InvalidInputError(f"{what} needs a kind (physical, zoom_conference, ...)")
    if booking and kind in _KINDS_NEEDING_TEXT and not body.get("location"):
        raise InvalidInputError(f"{what} of kind {kind!r} needs location text")
    if not booking and kind == "inbound_call" and not body.get("phone_number"):
        raise InvalidInputError(f"{what} of kind 'inbound_call' needs a phone_number")
    return body


def one_off_date_setting(value: Any) -> dict[str, Any]:
    """A one-off event type's ``date_setting``, checked per its ``type``.

    Calendly rules (reference §6.4, POST /one_off_event_types): ``date_range``
    needs ``start_date`` before ``end_date``, less than 365 days apart;
    ``days_in_future`` needs ``days`` 0-365 and ``only_weekdays``; ``spots``
    needs at least one ``{start_time, end_time}`` window.
    """
    body = check_object(value, "date_setting")
    kind = body.get("type")
    if kind == "date_range":
        return _date_range(body)
    if kind == "days_in_future":
        return _days_in_future(body)
    if kind == "spots":
        return _spots(body)
    raise InvalidInputError(
        f"date_setting type must be date_range, days_in_future or spots, not {kind!r}"
    )


def _date_range(body: dict[str, Any]) -> dict[str, Any]:
    start = iso_date(body.get("start_date"), "date_setting start_date")
    end = iso_date(body.get("end_date"), "date_setting end_date")
    span = (date.fromisoformat(end) - date.fromisoformat(start)).days
    if span <= 0:
        raise InvalidInputError(f"date_setting end_date {end} must be after start_date {start}")
    if span >= _MAX_ONE_OFF_DAYS:
        raise InvalidInputError("date_setting end_date must be less than 365 days after start_date")
    return {"type": "date_range", "start_date": start, "end_date": end}


def _days_in_future(body: dict[str, Any]) -> dict[str, Any]:
    days = body.get("days")
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= _MAX_ONE_OFF_DAYS:
        raise InvalidInputError(f"date_setting days must be an integer from 0 to 365, not {days!r}")
    weekdays = body.get("only_weekdays")
    if not isinstance(weekdays, bool):
        raise InvalidInputError("date_setting only_weekdays must be true or false")
    return {"type": "days_in_future", "days": days, "only_weekdays": weekdays}


def _spots(body: dict[str, Any]) -> dict[str, Any]:
    spots = body.get("spots")
    if not isinstance(spots, list) or not spots:
        raise InvalidInputError("date_setting spots must be a non-empty list")
    windows = []
    for spot in spots:
        if not isinstance(spot, dict):
            raise InvalidInputError("every spot must have start_time and end_time")
        start = utc_time(spot.get("start_time"), "spot start_time")
        end = utc_time(spot.get("end_time"), "spot end_time")
        if end <= start:
            raise InvalidInputError(f"spot end_time {end} must be after start_time {start}")
        windows.append({"start_time": start, "end_time": end})
    return {"type": "spots", "spots": windows}


def availability_rules(rules: Sequence[Any]) -> list[dict[str, Any]]:
    """Availability rules (``AvailabilityRule`` models or mappings) as JSON objects.

    Calendly rules (reference §8 "AvailabilityRule"): ``type`` ``wday`` needs
    ``wday``, ``type`` ``date`` needs a ``YYYY-MM-DD`` ``date``; interval bounds
    are ``"hh:mm"``; no intervals means unavailable that day.
    """
    items = plain_list(rules, "rules") or []
    for rule in items:
        kind = rule.get("type")
        if kind == "wday" and not rule.get("wday"):
            raise InvalidInputError("a rule of type 'wday' needs wday (monday ... sunday)")
        if kind == "date":
            rule["date"] = iso_date(rule.get("date"), "rule date")
        elif kind != "wday":
            raise InvalidInputError(f"rule type must be 'wday' or 'date', not {kind!r}")
        for interval in rule.setdefault("intervals", []):
            bounds = (
                (interval.get("from"), interval.get("to"))
                if isinstance(interval, dict)
                else (interval, None)
            )
            if not all(isinstance(b, str) and _CLOCK.match(b) for b in bounds):
                raise InvalidInputError(f"interval bounds must be 'hh:mm' strings, not {bounds}")
    return items
