"""Checks and conversions for the contact-area write calls: pure functions, no I/O.

Calendly rules (reference §6.11, §6.12, create-contact, create-note and the
contact-list pages): a contact has 1-10 e-mails with exactly one primary and at
most 10 phone numbers; custom-field values are written as ``{uuid, value}``; a
note has a title (<= 255 characters) or a body (<= 10,000), or both, after
trimming; list memberships change at most 500 contacts per request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._identifiers import resource_uri, resource_uuid
from ..errors import InvalidInputError
from ._inputs import check_email, check_text, plain

__all__ = [
    "MAX_MEMBERSHIP_CONTACTS",
    "custom_field_values",
    "email_entries",
    "filter_list",
    "note_text",
    "phone_entries",
    "uri_list",
]

MAX_EMAILS = 10
MAX_PHONE_NUMBERS = 10
MAX_MEMBERSHIP_CONTACTS = 500
MAX_NOTE_TITLE = 255
MAX_NOTE_BODY = 10_000


def _sequence(values: object, what: str) -> Sequence[Any]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence):
        raise InvalidInputError(f"{what} must be a list, not {type(values).__name__}")
    return values


def email_entries(values: str | Sequence[Any]) -> list[dict[str, Any]]:
    """E-mails as ``[{email, is_primary}]``: strings, ``ContactEmail`` models or mappings.

    A bare string is one (primary) address; in a list of plain strings the
    first is primary. Calendly rule: 1 to 10 entries, exactly one primary.
    """
    items = [values] if isinstance(values, str) else list(_sequence(values, "emails"))
    if not 1 <= len(items) <= MAX_EMAILS:
        raise InvalidInputError(f"emails must hold 1 to {MAX_EMAILS} addresses, not {len(items)}")
    entries: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        entry = {"email": item} if isinstance(item, str) else plain(item)
        if not isinstance(entry, dict):
            raise InvalidInputError("every email must be a string, a ContactEmail or a mapping")
        email = check_email(entry.get("email"), "every email")
        primary = entry.get("is_primary")
        if primary is None:
            primary = index == 0 if all(isinstance(i, str) for i in items) else False
        if not isinstance(primary, bool):
            raise InvalidInputError("is_primary must be true or false")
        entries.append({"email": email, "is_primary": primary})
    primaries = sum(1 for entry in entries if entry["is_primary"])
    if primaries != 1:
        raise InvalidInputError(f"exactly one email must be primary, not {primaries}")
    return entries


def phone_entries(values: Sequence[Any]) -> list[dict[str, Any]]:
    """Phone numbers as ``[{phone_number}]`` (at most 10): strings or mappings."""
    items = list(_sequence(values, "phone_numbers"))
    if len(items) > MAX_PHONE_NUMBERS:
        raise InvalidInputError(f"phone_numbers holds {len(items)}; the limit is 10")
    entries = []
    for item in items:
        entry = {"phone_number": item} if isinstance(item, str) else plain(item)
        number = entry.get("phone_number") if isinstance(entry, dict) else None
        if not isinstance(number, str) or not number.strip():
            raise InvalidInputError("every phone number must be a non-empty string")
        entries.append({"phone_number": number.strip()})
    return entries


def custom_field_values(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``{definition UUID or URI: value}`` as Calendly's ``[{uuid, value}]``.

    A value is a string, number, boolean, list of strings or ``None`` (clears it).
    """
    if not isinstance(values, Mapping):
        raise InvalidInputError("custom_fields must be a mapping of field UUID to value")
    entries = []
    for key, value in values.items():
        uuid = resource_uuid(key, "custom_field_definitions", what="custom field")
        if isinstance(value, list | tuple):
            if not all(isinstance(item, str) for item in value):
                raise InvalidInputError(f"custom field {uuid}: a list value holds strings only")
            value = list(value)
        elif value is not None and not isinstance(value, str | int | float | bool):
            raise InvalidInputError(
                f"custom field {uuid}: value must be a string, number, boolean, "
                f"list of strings or None, not {type(value).__name__}"
            )
        entries.append({"uuid": uuid, "value": value})
    return entries


def uri_list(values: str | Sequence[str], collection: str, what: str, *, limit: int) -> list[str]:
    """UUIDs or URIs of ``collection`` as full URIs: at least one, at most ``limit``."""
    items = [values] if isinstance(values, str) else list(_sequence(values, what))
    if not 1 <= len(items) <= limit:
        raise InvalidInputError(f"{what} must hold 1 to {limit} items, not {len(items)}")
    return [resource_uri(item, collection, what=what) for item in items]


def filter_list(values: str | Sequence[str] | None, what: str) -> list[str] | None:
    """A comma-list filter (one string or several): non-empty strings without commas."""
    if values is None:
        return None
    items = [values] if isinstance(values, str) else list(_sequence(values, what))
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise InvalidInputError(f"every {what} filter value must be a non-empty string")
        if "," in item:
            raise InvalidInputError(f"{what} filter value {item!r} must not contain a comma")
    return [item.strip() for item in items] or None


def note_text(title: str | None, body: str | None) -> dict[str, str]:
    """A note's ``title`` and ``body``, checked the way Calendly does after trimming."""
    fields: dict[str, str] = {}
    for name, value, limit in (("title", title, MAX_NOTE_TITLE), ("body", body, MAX_NOTE_BODY)):
        if value is None:
            continue
        text = check_text(check_text(value, name).strip(), name, limit)
        if text:
            fields[name] = text
    if not fields:
        raise InvalidInputError("a note needs a non-blank title or body (or both)")
    return fields
