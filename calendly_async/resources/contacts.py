"""``client.contacts`` and ``client.contact_custom_fields`` (reference §6.11, §6.12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from .._decoding import decode_resource
from ..errors import InvalidInputError
from ..models.contacts import Contact, ContactEmail, ContactPhoneNumber, CustomFieldDefinition
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource
from ._contact_inputs import custom_field_values, email_entries, filter_list, phone_entries
from ._inputs import (
    UNSET,
    Unset,
    check_choice,
    check_name,
    check_text,
    check_timezone,
    choice_list,
    optional,
)

__all__ = ["ContactCustomFields", "Contacts", "CustomFieldType"]

EmailArg = str | ContactEmail | Mapping[str, Any]
PhoneArg = str | ContactPhoneNumber | Mapping[str, Any]
FilterArg = str | Sequence[str] | None
ContactSort = Literal["created_at:asc", "created_at:desc", "updated_at:asc", "updated_at:desc"]
CustomFieldType = Literal["text", "number", "currency", "tags", "date", "single_select"]
"""The field types ``create`` accepts (``invitee_question`` fields come from event types)."""

# Calendly rule (reference §6.11): ``exclude`` supports only ``custom_fields``.
Exclude = Literal["custom_fields"]
_CONTACT_PATH = "/contacts/{}"
_TEXT_FIELDS = ("job_title", "company", "country", "state", "city", "linkedin")


def _contact_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Body fields of a create or update, converted and checked (``None`` kept as null)."""
    body: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            body[key] = None
        elif key == "name":
            body[key] = check_name(value)
        elif key == "emails":
            body[key] = email_entries(value)
        elif key == "phone_numbers":
            body[key] = phone_entries(value)
        elif key == "timezone":
            body[key] = check_timezone(value)
        elif key == "custom_fields":
            body[key] = custom_field_values(value)
        else:
            body[key] = check_text(value, key)
    return body


def _option_labels(options: Sequence[str] | None) -> list[str]:
    if options is None:
        return []
    if isinstance(options, str) or not isinstance(options, Sequence):
        raise InvalidInputError("options must be a list of labels")
    if not all(isinstance(item, str) and item.strip() for item in options):
        raise InvalidInputError("every option must be a non-empty label")
    return [item.strip() for item in options]


class Contacts(Resource):
    """Contact endpoints."""

    def list(
        self,
        *,
        contact_list: str | None = None,
        email: FilterArg = None,
        phone_number: FilterArg = None,
        timezone: FilterArg = None,
        name: FilterArg = None,
        job_title: FilterArg = None,
        company: FilterArg = None,
        country: FilterArg = None,
        state: FilterArg = None,
        city: FilterArg = None,
        exclude: Exclude | None = None,
        sort: ContactSort | Sequence[ContactSort] | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[Contact]:
        """The user's contacts, filtered (``GET /contacts``).

        Parameters
        ----------
        contact_list:
            A contact list's UUID or URI: only the contacts in that List or View
            (added 2026-11-17).
        email, phone_number, timezone, country, state:
            Exact matches; one value or several (sent comma-joined).
        name, job_title, company, city:
            Partial matches; one value or several.
        exclude:
            ``"custom_fields"`` leaves the custom fields out of the answer.
        sort:
            ``created_at`` or ``updated_at`` with ``:asc``/``:desc``; a list for
            several keys (sent comma-joined).
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            A filter value is blank or holds a comma, an identifier is malformed,
            ``exclude`` is not ``custom_fields`` or ``count`` is out of range.
        """
        filters = {
            "email": email, "phone_number": phone_number, "timezone": timezone, "name": name,
            "job_title": job_title, "company": company, "country": country, "state": state,
            "city": city,
        }  # fmt: skip
        params: dict[str, Any] = {key: filter_list(v, key) for key, v in filters.items()}
        params["contact_list"] = optional(self._uri, contact_list, "contact_lists", "contact_list")
        params["exclude"] = optional(check_choice, exclude, Exclude, "exclude")
        # Calendly rule (reference §2): contacts sort by created_at or updated_at.
        params["sort"] = optional(choice_list, sort, ContactSort, "sort")
        return self._list("/contacts", Contact, params, count=count, page_token=page_token)

    async def get(self, uuid: str, *, exclude: Exclude | None = None) -> Contact:
        """A contact by UUID or URI (``GET /contacts/{uuid}``)."""
        path = _CONTACT_PATH.format(self._uuid(uuid, "contacts"))
        return await self._get(
            path, Contact, {"exclude": optional(check_choice, exclude, Exclude, "exclude")}
        )

    async def create(
        self,
        name: str,
        emails: str | Sequence[EmailArg],
        *,
        phone_numbers: Sequence[PhoneArg] | None = None,
        timezone: str | None = None,
        job_title: str | None = None,
        company: str | None = None,
        country: str | None = None,
        state: str | None = None,
        city: str | None = None,
        linkedin: str | None = None,
        custom_fields: Mapping[str, Any] | None = None,
    ) -> Contact:
        """Create a contact (``POST /contacts``).

        Parameters
        ----------
        name:
            The contact's name.
        emails:
            One address, or 1-10 (strings: the first is primary; or
            ``ContactEmail``/mappings with exactly one ``is_primary``).
        phone_numbers:
            Up to 10 numbers.
        timezone:
            An IANA time zone name.
        custom_fields:
            ``{definition UUID or URI: value}``; the value's type follows the
            definition's ``field_type``.

        Raises
        ------
        InvalidInputError
            An argument breaks one of Calendly's rules (before any request).
        ConflictError
            Calendly refused a duplicate (409).
        """
        fields = {
            "name": name, "emails": emails, "phone_numbers": phone_numbers,
            "timezone": timezone, "job_title": job_title, "company": company,
            "country": country, "state": state, "city": city, "linkedin": linkedin,
            "custom_fields": custom_fields,
        }  # fmt: skip
        if name is None or emails is None:
            raise InvalidInputError("name and emails are required")
        body = _contact_fields({k: v for k, v in fields.items() if v is not None})
        return await self._send("POST", "/contacts", Contact, body)

    async def update(
        self,
        uuid: str,
        *,
        name: str | Unset = UNSET,
        emails: str | Sequence[EmailArg] | Unset = UNSET,
        phone_numbers: Sequence[PhoneArg] | Unset = UNSET,
        timezone: str | Unset | None = UNSET,
        job_title: str | Unset | None = UNSET,
        company: str | Unset | None = UNSET,
        country: str | Unset | None = UNSET,
        state: str | Unset | None = UNSET,
        city: str | Unset | None = UNSET,
        linkedin: str | Unset | None = UNSET,
        custom_fields: Mapping[str, Any] | Unset = UNSET,
    ) -> Contact:
        """Change a contact (``PATCH /contacts/{uuid}``).

        Only the arguments passed are sent (``UNSET``, the default, leaves a
        field alone; ``None`` clears a text field). Calendly rule: ``emails``
        and ``phone_numbers`` replace the whole list (read, modify, send);
        ``custom_fields`` is merged field by field.

        Raises
        ------
        InvalidInputError
            Nothing to change, a field that cannot be cleared is ``None``, or an
            argument breaks one of Calendly's rules.
        """
        path = _CONTACT_PATH.format(self._uuid(uuid, "contacts"))
        changes = {
            "name": name, "emails": emails, "phone_numbers": phone_numbers,
            "timezone": timezone, "job_title": job_title, "company": company,
            "country": country, "state": state, "city": city, "linkedin": linkedin,
            "custom_fields": custom_fields,
        }  # fmt: skip
        given = {key: value for key, value in changes.items() if value is not UNSET}
        if not given:
            raise InvalidInputError("pass at least one field to update")
        for key in ("name", "emails", "phone_numbers", "custom_fields"):
            if key in given and given[key] is None:
                raise InvalidInputError(f"{key} cannot be cleared (None); leave it out instead")
        response = await self._transport.request("PATCH", path, json=_contact_fields(given))
        return decode_resource(response, Contact)

    async def delete(self, uuid: str) -> None:
        """Delete a contact (``DELETE /contacts/{uuid}``; 204).

        Calendly rule (release note 2026-11-24): this endpoint has its own limit
        of 20 requests a minute and may answer 429 with ``Retry-After``, which
        the client's retry policy waits out.
        """
        await self._delete(_CONTACT_PATH.format(self._uuid(uuid, "contacts")))


class ContactCustomFields(Resource):
    """Contact custom field definitions (``/contacts/custom_field_definitions``)."""

    async def list(self) -> list[CustomFieldDefinition]:
        """Every custom field definition (``GET /contacts/custom_field_definitions``).

        Calendly answers with one unpaginated ``collection``.
        """
        return await self._collection("/contacts/custom_field_definitions", CustomFieldDefinition)

    async def get(self, uuid: str) -> CustomFieldDefinition:
        """A definition by UUID or URI (``GET /contacts/custom_field_definitions/{uuid}``)."""
        ident = self._uuid(uuid, "custom_field_definitions", "custom field definition")
        return await self._get(f"/contacts/custom_field_definitions/{ident}", CustomFieldDefinition)

    async def create(
        self,
        label: str,
        field_type: CustomFieldType,
        *,
        options: Sequence[str] | None = None,
        currency: str | None = None,
    ) -> CustomFieldDefinition:
        """Define a custom field (``POST /contacts/custom_field_definitions``; 2026-11-17).

        Parameters
        ----------
        label:
            1-255 characters after trimming; must be unique (else 409).
        field_type:
            ``text``, ``number``, ``currency``, ``tags``, ``date`` or ``single_select``.
        options:
            The choices of a ``single_select`` field, in order (labels only;
            Calendly assigns their UUIDs).
        currency:
            The ISO code of a ``currency`` field (upper-cased).

        Raises
        ------
        InvalidInputError
            A rule above is broken (before any request).
        ConflictError
            A field with this label exists (409).
        """
        text = check_name(label, "label").strip()
        if len(text) > 255:
            raise InvalidInputError(f"label is {len(text)} characters; the limit is 255")
        check_choice(field_type, CustomFieldType, "field_type")
        body: dict[str, Any] = {"label": text, "field_type": field_type}
        if field_type == "single_select":
            labels = _option_labels(options)
            if not labels:
                raise InvalidInputError("a single_select field needs at least one option")
            body["options"] = [{"label": item} for item in labels]
        elif options is not None:
            raise InvalidInputError("options are only for single_select fields")
        if field_type == "currency":
            if not isinstance(currency, str) or len(currency.strip()) != 3:
                raise InvalidInputError("a currency field needs a 3-letter ISO currency code")
            body["currency"] = currency.strip().upper()
        elif currency is not None:
            raise InvalidInputError("currency is only for currency fields")
        return await self._send(
            "POST", "/contacts/custom_field_definitions", CustomFieldDefinition, body
        )
