"""Contacts and contact custom field definitions (reference §6.11, §6.12).

Calendly rules the mock keeps:

- ``GET /contacts`` filters: exact ``email``, ``phone_number``, ``timezone``,
  ``country``, ``state``; partial ``name``, ``job_title``, ``company``, ``city``
  (each a comma-list, any value matching); ``contact_list`` keeps the contacts of
  a List (its members) or a View (its saved filters); ``exclude=custom_fields``
  leaves the custom fields out; ``sort`` by ``created_at`` or ``updated_at``;
- a contact has 1-10 e-mails with exactly one primary and at most 10 phone
  numbers; a primary e-mail already used by another contact is a 409 (the
  spec says 409 is possible on create and update);
- ``PATCH`` replaces ``emails`` and ``phone_numbers`` wholesale and merges
  ``custom_fields`` field by field;
- custom-field values are written ``{uuid, value}`` and read back
  ``{uri, label, value}`` for every defined field, unset scalars ``null`` and
  unset ``tags`` ``[]``;
- a definition is created with ``label`` (1-255 after trimming, unique, else
  409), ``field_type`` and what that type needs (``options`` of ``{label}`` for
  ``single_select``, ``currency`` for ``currency``); anything else is a 400.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import msgspec
from aiohttp import web

from ...models.contacts import (
    Contact,
    ContactCustomField,
    ContactEmail,
    ContactPhoneNumber,
    CustomFieldDefinition,
    CustomFieldOption,
)
from .._context import context
from .._crm import CrmState
from .._fields import folded, only_fields
from .._http import (
    bad_request,
    body_str,
    choice_param,
    collection,
    conflict,
    json_body,
    list_param,
    lookup,
    no_content,
    not_found,
    optional,
    resource,
    uuid_of,
)
from .._listing import list_response
from .._notify import notify_payload
from .._paging import micros
from .._store import Store

__all__ = ["contact_view", "in_list", "routes"]

routes = web.RouteTableDef()

_FIELDS = {
    "created_at": lambda contact: micros(contact.created_at),
    "updated_at": lambda contact: micros(contact.updated_at),
}
_EXACT = ("email", "phone_number", "timezone", "country", "state")
_PARTIAL = ("name", "job_title", "company", "city")
_TEXT = ("timezone", "job_title", "company", "country", "state", "city", "linkedin")
_WRITABLE = frozenset(("name", "emails", "phone_numbers", "custom_fields", *_TEXT))
_CREATABLE_TYPES = ("text", "number", "currency", "tags", "date", "single_select")


class ContactView(Contact):
    """A contact as served: ``custom_fields`` left out (``UNSET``) on ``exclude``."""

    custom_fields: list[ContactCustomField] | msgspec.UnsetType = msgspec.UNSET  # type: ignore[assignment]


def contact_view(store: Store, uuid: str, *, exclude: bool = False) -> ContactView:
    """The API's view of a stored contact, with every defined custom field."""
    crm = store.crm
    contact = crm.contacts[uuid]
    fields = msgspec.structs.asdict(contact)
    if exclude:
        fields["custom_fields"] = msgspec.UNSET
    else:
        values = crm.field_values.get(uuid, {})
        fields["custom_fields"] = [
            ContactCustomField(
                uri=definition.uri,
                label=definition.label,
                field_type=definition.field_type,
                value=values.get(key, [] if definition.field_type == "tags" else None),
            )
            for key, definition in crm.field_definitions.items()
        ]
    return ContactView(**fields)


def _matches(contact: Contact, name: str, wanted: list[str]) -> bool:
    if name == "email":
        have = [(e.email or "").lower() for e in contact.emails]
    elif name == "phone_number":
        have = [p.phone_number or "" for p in contact.phone_numbers]
    else:
        have = [(getattr(contact, name) or "").lower()]
    if name in _PARTIAL:
        return any(w.lower() in h for w in wanted for h in have)
    return any(w.lower() in have or w in have for w in wanted)


def in_list(crm: CrmState, list_uuid: str, contact_uuid: str) -> bool:
    """Whether a contact belongs to a List (its members) or a View (its filters)."""
    if list_uuid in crm.view_filters:
        contact = crm.contacts[contact_uuid]
        return all(
            _matches(contact, field, [value])
            for field, value in crm.view_filters[list_uuid].items()
        )
    return contact_uuid in crm.list_members.get(list_uuid, [])


@routes.get("/contacts")
async def list_contacts(request: web.Request) -> web.Response:
    """The contacts, filtered (see the module docstring)."""
    store = context(request).store
    crm = store.crm
    filters = {name: list_param(request, name) for name in (*_EXACT, *_PARTIAL)}
    exclude = choice_param(request, "exclude", ("custom_fields",)) is not None
    contact_list = optional(request, "contact_list")
    list_uuid = uuid_of(contact_list) if contact_list is not None else None
    if list_uuid is not None and list_uuid not in crm.contact_lists:
        raise bad_request("contact_list", "must be the URI of one of your contact lists")

    def load() -> Iterator[ContactView]:
        for uuid, contact in crm.contacts.items():
            if list_uuid is not None and not in_list(crm, list_uuid, uuid):
                continue
            if all(_matches(contact, k, v) for k, v in filters.items() if v):
                yield contact_view(store, uuid, exclude=exclude)

    return list_response(request, load, _FIELDS, "created_at:asc")


@routes.get("/contacts/custom_field_definitions")
async def list_definitions(request: web.Request) -> web.Response:
    """Every definition, unpaginated (``{collection: [...]}``)."""
    return collection(list(context(request).store.crm.field_definitions.values()))


@routes.get("/contacts/custom_field_definitions/{uuid}")
async def get_definition(request: web.Request) -> web.Response:
    """One definition."""
    crm = context(request).store.crm
    return resource(lookup(crm.field_definitions, request.match_info["uuid"]))


@routes.post("/contacts/custom_field_definitions")
async def create_definition(request: web.Request) -> web.Response:
    """Define a custom field (201); 409 for a label in use."""
    ctx = context(request)
    store = ctx.store
    crm = store.crm
    body = await json_body(request)
    only_fields(body, ("label", "field_type", "options", "currency"))
    label = body_str(body, "label") or ""
    if len(label) > 255:
        raise bad_request("label", "must be at most 255 characters")
    field_type = body_str(body, "field_type")
    if field_type not in _CREATABLE_TYPES:
        raise bad_request("field_type", f"must be one of {', '.join(_CREATABLE_TYPES)}")
    if any(folded(d.label or "") == folded(label) for d in crm.field_definitions.values()):
        raise conflict("A custom field with this label already exists.")
    options: list[CustomFieldOption] = []
    if field_type == "single_select":
        raw = body.get("options")
        if not isinstance(raw, list) or not raw:
            raise bad_request("options", "a single_select field needs options")
        for option in raw:
            if not isinstance(option, dict) or set(option) != {"label"}:
                raise bad_request("options", "every option is {label} only")
            text = body_str(option, "label") or ""
            options.append(CustomFieldOption(uuid=store.new_uuid(), label=text, color=None))
    elif "options" in body:
        raise bad_request("options", "only single_select fields have options")
    currency = None
    if field_type == "currency":
        currency = (body_str(body, "currency") or "").upper()
        if len(currency) != 3 or not currency.isalpha():
            raise bad_request("currency", "must be an ISO 4217 code")
    elif "currency" in body:
        raise bad_request("currency", "only currency fields have a currency")
    uuid = store.new_uuid()
    now = ctx.now()
    definition = CustomFieldDefinition(
        uri=f"{store.base_url}/contacts/custom_field_definitions/{uuid}",
        label=label,
        field_type=field_type,
        options=options,
        currency=currency,
        source="custom",
        created_at=now,
        updated_at=now,
    )
    crm.field_definitions[uuid] = definition
    store.touch()
    return resource(definition, status=201)


def _emails(value: Any) -> list[ContactEmail]:
    if not isinstance(value, list) or not 1 <= len(value) <= 10:
        raise bad_request("emails", "must hold 1 to 10 e-mail addresses")
    emails = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("is_primary"), bool):
            raise bad_request("emails", "every entry is {email, is_primary}")
        email = body_str(entry, "email") or ""
        if "@" not in email:
            raise bad_request("emails", f"{email!r} is not an e-mail address")
        emails.append(ContactEmail(email=email, is_primary=entry["is_primary"]))
    if sum(1 for e in emails if e.is_primary) != 1:
        raise bad_request("emails", "exactly one e-mail must be primary")
    return emails


def _phones(value: Any) -> list[ContactPhoneNumber]:
    if not isinstance(value, list) or len(value) > 10:
        raise bad_request("phone_numbers", "must hold at most 10 phone numbers")
    phones = []
    for entry in value:
        if not isinstance(entry, dict):
            raise bad_request("phone_numbers", "every entry is {phone_number}")
        phones.append(ContactPhoneNumber(phone_number=body_str(entry, "phone_number")))
    return phones


def _field_value(definition: CustomFieldDefinition, value: Any) -> Any:
    """A custom-field value checked against its definition's ``field_type`` (400 if wrong)."""
    kind = definition.field_type
    if value is None:
        return [] if kind == "tags" else None
    ok = {
        "tags": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "currency": isinstance(value, int) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "single_select": isinstance(value, str) and value in {o.uuid for o in definition.options},
    }.get(kind or "", isinstance(value, str))
    if not ok:
        raise bad_request("custom_fields", f"wrong value for the {kind} field {definition.label}")
    return value


def _custom_fields(crm: CrmState, value: Any) -> dict[str, Any]:
    if not isinstance(value, list):
        raise bad_request("custom_fields", "must be a list of {uuid, value}")
    values = {}
    for entry in value:
        if not isinstance(entry, dict) or "uuid" not in entry or "value" not in entry:
            raise bad_request("custom_fields", "every entry needs uuid and value")
        definition = crm.field_definitions.get(str(entry["uuid"]))
        if definition is None:
            raise bad_request("custom_fields", f"unknown custom field {entry['uuid']}")
        values[str(entry["uuid"])] = _field_value(definition, entry["value"])
    return values


def _changes(crm: CrmState, body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(contact field changes, custom field values) of a create or update body."""
    only_fields(body, _WRITABLE)
    changes: dict[str, Any] = {}
    if "name" in body:
        changes["name"] = body_str(body, "name")
    if "emails" in body:
        changes["emails"] = _emails(body["emails"])
    if "phone_numbers" in body:
        changes["phone_numbers"] = _phones(body["phone_numbers"])
    for key in _TEXT:
        if key in body:
            changes[key] = body_str(body, key, need=False)
    values = _custom_fields(crm, body["custom_fields"]) if "custom_fields" in body else {}
    return changes, values


def _check_unique(crm: CrmState, emails: list[ContactEmail], skip: str | None) -> None:
    primary = next((e.email or "" for e in emails if e.is_primary), "").lower()
    for uuid, other in crm.contacts.items():
        if uuid != skip and any((e.email or "").lower() == primary for e in other.emails):
            raise conflict("A contact with this e-mail address already exists.")


@routes.post("/contacts")
async def create_contact(request: web.Request) -> web.Response:
    """Create a contact (201)."""
    ctx = context(request)
    store = ctx.store
    crm = store.crm
    body = await json_body(request)
    for need in ("name", "emails"):
        if need not in body:
            raise bad_request(need, "is required")
    changes, values = _changes(crm, body)
    _check_unique(crm, changes["emails"], None)
    uuid = store.new_uuid()
    now = ctx.now()
    crm.contacts[uuid] = Contact(
        uri=store.uri("contacts", uuid),
        app_url=f"{store.base_url}/app/contacts/{uuid}",
        owner=store.owner.uri,
        created_at=now,
        updated_at=now,
        **changes,
    )
    crm.field_values[uuid] = values
    store.touch()
    view = contact_view(store, uuid)
    notify_payload(ctx, "contact.created", msgspec.to_builtins(view), store.owner_uuid)
    return resource(view, status=201)


@routes.get("/contacts/{uuid}")
async def get_contact(request: web.Request) -> web.Response:
    """One contact (``exclude=custom_fields`` leaves them out)."""
    store = context(request).store
    uuid = request.match_info["uuid"]
    lookup(store.crm.contacts, uuid)
    exclude = choice_param(request, "exclude", ("custom_fields",)) is not None
    return resource(contact_view(store, uuid, exclude=exclude))


@routes.patch("/contacts/{uuid}")
async def update_contact(request: web.Request) -> web.Response:
    """Change a contact: lists replaced, custom fields merged."""
    ctx = context(request)
    store = ctx.store
    crm = store.crm
    uuid = request.match_info["uuid"]
    contact = lookup(crm.contacts, uuid)
    changes, values = _changes(crm, await json_body(request))
    if "name" in changes and changes["name"] is None:
        raise bad_request("name", "cannot be empty")
    if "emails" in changes:
        _check_unique(crm, changes["emails"], uuid)
    crm.contacts[uuid] = msgspec.structs.replace(contact, updated_at=ctx.now(), **changes)
    crm.field_values.setdefault(uuid, {}).update(values)
    store.touch()
    view = contact_view(store, uuid)
    notify_payload(ctx, "contact.updated", msgspec.to_builtins(view), uuid_of(view.owner or ""))
    return resource(view)


@routes.delete("/contacts/{uuid}")
async def delete_contact(request: web.Request) -> web.Response:
    """Delete a contact (204): it leaves every List, and its notes go too."""
    ctx = context(request)
    store = ctx.store
    crm = store.crm
    uuid = request.match_info["uuid"]
    contact = crm.contacts.pop(uuid, None)
    if contact is None:
        raise not_found()
    crm.field_values.pop(uuid, None)
    for members in crm.list_members.values():
        if uuid in members:
            members.remove(uuid)
    for note_uuid in [k for k, n in crm.notes.items() if uuid_of(n.contact or "") == uuid]:
        del crm.notes[note_uuid]
    store.touch()
    # Calendly rule (release notes 2026-05-27): contact.deleted is a tombstone,
    # only the contact's URI and deleted_at.
    tombstone = {"uri": contact.uri, "deleted_at": msgspec.to_builtins(ctx.now())}
    notify_payload(ctx, "contact.deleted", tombstone, uuid_of(contact.owner or ""))
    return no_content()
