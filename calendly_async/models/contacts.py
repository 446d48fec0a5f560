"""Contacts and their custom field definitions (reference §6.11, §6.12).

Decoded defensively: only ``uri`` is required, and the custom-field ``value``
stays whatever JSON Calendly sends (string, number, boolean, list of strings or
null, depending on the definition's ``field_type``).
"""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import Model, Timestamp

__all__ = [
    "Contact",
    "ContactCustomField",
    "ContactEmail",
    "ContactPhoneNumber",
    "CustomFieldDefinition",
    "CustomFieldOption",
]


class ContactEmail(Model):
    """One e-mail address of a contact; exactly one per contact is primary."""

    email: str | None = None
    is_primary: bool = False


class ContactPhoneNumber(Model):
    """One phone number of a contact."""

    phone_number: str | None = None


class ContactCustomField(Model):
    """A custom-field value on a contact, self-describing (``uri``, ``label``, ``value``).

    Unset scalars come back as ``null``, unset ``tags`` as ``[]``. ``uuid`` and
    ``field_type`` are kept when sent (the write shape is ``{uuid, value}``).
    """

    uri: str | None = None
    uuid: str | None = None
    label: str | None = None
    field_type: str | None = None
    value: Any = None


class Contact(Model):
    """A person in the user's Calendly contacts (``GET /contacts/{uuid}``)."""

    uri: str
    name: str | None = None
    emails: list[ContactEmail] = msgspec.field(default_factory=list)
    phone_numbers: list[ContactPhoneNumber] = msgspec.field(default_factory=list)
    timezone: str | None = None
    job_title: str | None = None
    company: str | None = None
    country: str | None = None
    state: str | None = None
    city: str | None = None
    linkedin: str | None = None
    custom_fields: list[ContactCustomField] = msgspec.field(default_factory=list)
    app_url: str | None = None
    owner: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None

    @property
    def primary_email(self) -> str | None:
        """The primary e-mail address (the first one when none is marked)."""
        for entry in self.emails:
            if entry.is_primary:
                return entry.email
        return self.emails[0].email if self.emails else None


class CustomFieldOption(Model):
    """A choice of a ``single_select`` field; ``color`` is null when unset (2026-11-16)."""

    uuid: str | None = None
    label: str | None = None
    color: str | None = None


class CustomFieldDefinition(Model):
    """A contact custom field definition (``GET /contacts/custom_field_definitions/{uuid}``).

    ``field_type`` is ``text``, ``number``, ``currency``, ``tags``, ``date``,
    ``single_select`` or ``invitee_question`` (open: unknown values decode as
    themselves). ``options`` is for ``single_select``, ``currency`` (an ISO
    code) for ``currency``; ``source`` and ``question_uuid`` for fields mapped
    from event-type questions.
    """

    uri: str
    label: str | None = None
    field_type: str | None = None
    options: list[CustomFieldOption] = msgspec.field(default_factory=list)
    currency: str | None = None
    source: str | None = None
    question_uuid: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
