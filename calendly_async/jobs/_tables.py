"""The output contract: every table, its flat columns, and how a record becomes a row.

Pure functions over the record as Calendly sent it (a ``dict`` decoded from the
raw item JSON). A column is a path into the record: ``("location", "type")``
reads ``record["location"]["type"]``. Scalars stay as they are; objects and
lists (``questions_and_answers``, ``event_memberships``...) become compact JSON
text. Every table also keeps the whole record as JSON (SQLite ``record``
column, and each NDJSON line), so nothing Calendly sent is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

__all__ = ["TABLES", "Column", "Table", "cell", "flat_row"]

_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True, slots=True)
class Column:
    """One flat column: its name and the path of keys it reads from the record."""

    name: str
    path: tuple[str, ...]


def _columns(*specs: str) -> tuple[Column, ...]:
    """``"uri"`` reads ``record["uri"]``; ``"location_type=location.type"`` a nested key."""
    columns = []
    for spec in specs:
        name, _, path = spec.partition("=")
        columns.append(Column(name, tuple((path or name).split("."))))
    return tuple(columns)


@dataclass(frozen=True, slots=True)
class Table:
    """An output table: file stem, columns (``uri`` first) and indexed columns."""

    name: str
    columns: tuple[Column, ...]
    indexes: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        """The flat column names in order."""
        return tuple(column.name for column in self.columns)


SCHEDULED_EVENTS = Table(
    "scheduled_events",
    _columns(
        "uri",
        "name",
        "status",
        "start_time",
        "end_time",
        "event_type",
        "location_type=location.type",
        "location=location.location",
        "join_url=location.join_url",
        "invitees_total=invitees_counter.total",
        "invitees_active=invitees_counter.active",
        "invitees_limit=invitees_counter.limit",
        "booking_method",
        "created_at",
        "updated_at",
        "canceled_by=cancellation.canceled_by",
        "cancel_reason=cancellation.reason",
        "canceler_type=cancellation.canceler_type",
        "meeting_notes_plain",
        "event_memberships",
        "event_guests",
        "calendar_event",
    ),
    indexes=("start_time",),
)

INVITEES = Table(
    "invitees",
    _columns(
        "uri",
        "event",
        "email",
        "name",
        "first_name",
        "last_name",
        "status",
        "timezone",
        "created_at",
        "updated_at",
        "rescheduled",
        "old_invitee",
        "new_invitee",
        "cancel_url",
        "reschedule_url",
        "canceled_by=cancellation.canceled_by",
        "cancel_reason=cancellation.reason",
        "canceler_type=cancellation.canceler_type",
        "no_show=no_show.uri",
        "text_reminder_number",
        "routing_form_submission",
        "scheduling_method",
        "invitee_scheduled_by",
        "questions_and_answers",
        "tracking",
        "payment",
        "reconfirmation",
    ),
    indexes=("event",),
)

EVENT_TYPES = Table(
    "event_types",
    _columns(
        "uri",
        "name",
        "active",
        "slug",
        "scheduling_url",
        "duration",
        "kind",
        "pooling_type",
        "type",
        "owner=profile.owner",
        "created_at",
        "updated_at",
        "deleted_at",
    ),
)

MEMBERSHIPS = Table(
    "organization_memberships",
    _columns(
        "uri",
        "role",
        "user=user.uri",
        "user_email=user.email",
        "user_name=user.name",
        "organization",
        "created_at",
        "updated_at",
    ),
)

ROUTING_FORMS = Table(
    "routing_forms",
    _columns("uri", "organization", "name", "status", "questions", "created_at", "updated_at"),
)

ROUTING_FORM_SUBMISSIONS = Table(
    "routing_form_submissions",
    _columns(
        "uri",
        "routing_form",
        "submitter",
        "submitter_type",
        "result_type=result.type",
        "questions_and_answers",
        "tracking",
        "result",
        "created_at",
        "updated_at",
    ),
    indexes=("routing_form",),
)

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        SCHEDULED_EVENTS,
        INVITEES,
        EVENT_TYPES,
        MEMBERSHIPS,
        ROUTING_FORMS,
        ROUTING_FORM_SUBMISSIONS,
    )
}
"""Every table an export can write, by name (the main two first)."""


def cell(record: Mapping[str, Any], path: tuple[str, ...]) -> str | int | float | bool | None:
    """The value at ``path``: scalars as they are, objects and lists as compact JSON."""
    value: Any = record
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    if isinstance(value, dict | list):
        return _encode(value).decode()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


Cell = str | int | float | bool | None


def flat_row(table: Table, record: Mapping[str, Any]) -> tuple[Cell, ...]:
    """The record's flat columns, in ``table.columns`` order."""
    return tuple(cell(record, column.path) for column in table.columns)
