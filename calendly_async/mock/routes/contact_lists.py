"""Contact lists: Lists (``static_list``) and Views (``dynamic_view``) (reference §6.12).

Calendly rules the mock keeps (contact-list pages, 2026-11-17):

- ``GET /contact_lists`` returns every List and View in one answer (``type``
  filters), ``pagination.count`` the number returned, the other pagination
  fields ``null``; ``contact_count`` is set for Lists, ``null`` for Views;
- a List name must be unused (case, accents and edge spaces ignored) and a
  user has at most 25 Lists and Views: both refusals are 409 here;
- only the name can change (``PATCH``);
- adding or removing takes 1-500 contact URIs, is idempotent, counts unknown
  contacts in ``invalid`` and lists only the contacts not processed; a View
  answers 409 (its filters decide its contacts);
- ``POST /contact_lists`` adds its initial ``contacts`` after creating the List
  and reports them in ``membership_result``.
"""

from __future__ import annotations

from typing import Any

import msgspec
from aiohttp import web

from ...models.contact_lists import ContactList, ContactListMembershipResult
from .._context import context
from .._crm import CrmState
from .._fields import folded, only_fields
from .._http import (
    bad_request,
    body_str,
    choice_param,
    conflict,
    json_body,
    json_response,
    lookup,
    resource,
    uuid_of,
)
from .._store import Store

__all__ = ["routes"]

routes = web.RouteTableDef()

MAX_LISTS = 25
MAX_CONTACTS = 500


def _view(crm: CrmState, uuid: str) -> ContactList:
    stored = crm.contact_lists[uuid]
    if stored.type == "dynamic_view":
        return msgspec.structs.replace(stored, contact_count=None)
    count = sum(1 for contact in crm.list_members.get(uuid, []) if contact in crm.contacts)
    return msgspec.structs.replace(stored, contact_count=count)


def _name(crm: CrmState, body: dict[str, Any], skip: str | None) -> str:
    name = body_str(body, "name") or ""
    if len(name) > 255:
        raise bad_request("name", "must be at most 255 characters")
    for uuid, other in crm.contact_lists.items():
        if uuid != skip and folded(other.name or "") == folded(name):
            raise conflict("A List or View with this name already exists.")
    return name


def _contact_uris(body: dict[str, Any]) -> list[str]:
    value = body.get("contacts")
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_CONTACTS:
        raise bad_request("contacts", f"must hold 1 to {MAX_CONTACTS} contact URIs")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise bad_request("contacts", "must hold contact URIs")
    return [item.strip() for item in value]


def _apply(
    crm: CrmState, list_uuid: str, uris: list[str], *, add: bool
) -> ContactListMembershipResult:
    members = crm.list_members.setdefault(list_uuid, [])
    changed = 0
    invalid: list[str] = []
    for uri in dict.fromkeys(uris):
        contact = uuid_of(uri)
        if contact not in crm.contacts:
            invalid.append(uri)
        elif add and contact not in members:
            members.append(contact)
            changed += 1
        elif not add and contact in members:
            members.remove(contact)
            changed += 1
    counts = {"added": changed} if add else {"removed": changed}
    return ContactListMembershipResult(
        **counts, invalid=len(invalid), failed=0, invalid_contacts=invalid, failed_contacts=[]
    )


@routes.get("/contact_lists")
async def list_contact_lists(request: web.Request) -> web.Response:
    """Every List and View in one answer (``type`` filters)."""
    crm = context(request).store.crm
    kind = choice_param(request, "type", ("static_list", "dynamic_view"))
    items = [_view(crm, uuid) for uuid, item in crm.contact_lists.items()
             if kind is None or item.type == kind]  # fmt: skip
    pagination = {"count": len(items), "next_page": None, "previous_page": None,
                  "next_page_token": None, "previous_page_token": None}  # fmt: skip
    return json_response({"collection": items, "pagination": pagination})


@routes.post("/contact_lists")
async def create_contact_list(request: web.Request) -> web.Response:
    """Create a List (201), then add its initial contacts."""
    ctx = context(request)
    store: Store = ctx.store
    crm = store.crm
    body = await json_body(request)
    only_fields(body, ("name", "contacts"))
    name = _name(crm, body, None)
    if len(crm.contact_lists) >= MAX_LISTS:
        raise conflict(f"A user can have at most {MAX_LISTS} Lists and Views.")
    uris = _contact_uris(body) if "contacts" in body else []
    uuid = store.new_uuid()
    now = ctx.now()
    crm.contact_lists[uuid] = ContactList(
        uri=store.uri("contact_lists", uuid),
        name=name,
        type="static_list",
        owner=store.owner.uri,
        created_at=now,
        updated_at=now,
    )
    crm.list_members[uuid] = []
    result = _apply(crm, uuid, uris, add=True) if uris else None
    store.touch()
    return resource(msgspec.structs.replace(_view(crm, uuid), membership_result=result), 201)


@routes.get("/contact_lists/{uuid}")
async def get_contact_list(request: web.Request) -> web.Response:
    """One List or View."""
    crm = context(request).store.crm
    uuid = request.match_info["uuid"]
    lookup(crm.contact_lists, uuid)
    return resource(_view(crm, uuid))


@routes.patch("/contact_lists/{uuid}")
async def rename_contact_list(request: web.Request) -> web.Response:
    """Rename a List or View (only ``name`` may be sent)."""
    ctx = context(request)
    crm = ctx.store.crm
    uuid = request.match_info["uuid"]
    stored = lookup(crm.contact_lists, uuid)
    body = await json_body(request)
    if set(body) != {"name"}:
        raise bad_request("name", "only the name can change")
    name = _name(crm, body, uuid)
    crm.contact_lists[uuid] = msgspec.structs.replace(stored, name=name, updated_at=ctx.now())
    ctx.store.touch()
    return resource(_view(crm, uuid))


async def _membership(request: web.Request, *, add: bool) -> web.Response:
    ctx = context(request)
    crm = ctx.store.crm
    uuid = request.match_info["uuid"]
    stored = lookup(crm.contact_lists, uuid)
    if stored.type == "dynamic_view":
        raise conflict("The contacts of a View are decided by its saved filters.")
    result = _apply(crm, uuid, _contact_uris(await json_body(request)), add=add)
    ctx.store.touch()
    return resource(result)


@routes.post("/contact_lists/{uuid}/memberships")
async def add_contacts(request: web.Request) -> web.Response:
    """Add contacts to a List (idempotent)."""
    return await _membership(request, add=True)


@routes.post("/contact_lists/{uuid}/memberships/removal")
async def remove_contacts(request: web.Request) -> web.Response:
    """Remove contacts from a List (idempotent; the contacts stay)."""
    return await _membership(request, add=False)
