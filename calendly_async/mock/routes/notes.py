"""Private notes about contacts (reference §6.12; list-notes, create-note, get-note pages).

Calendly rules the mock keeps: ``GET /notes`` needs ``contact`` (1-10 contact
URIs) and takes no query parameter but ``contact``, ``count`` and
``page_token`` (else 400); notes come most recently updated first, ties by note
ID; a note has a ``title`` (<= 255 characters) or a ``body`` (<= 10,000), or
both, after trimming, and an optional RFC 3339 ``remind_at``; every note is
private, so another user's note is a 404 like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterator

from aiohttp import web

from ...models.notes import Note
from .._context import context
from .._fields import only_fields
from .._http import bad_request, json_body, list_param, lookup, parse_time, resource, uuid_of
from .._listing import list_response
from .._paging import micros

__all__ = ["routes"]

routes = web.RouteTableDef()

_FIELDS = {"updated_at": lambda note: micros(note.updated_at)}
_LIMITS = {"title": 255, "body": 10_000}


@routes.get("/notes")
async def list_notes(request: web.Request) -> web.Response:
    """The caller's notes about the given contacts, newest change first."""
    store = context(request).store
    extra = set(request.query) - {"contact", "count", "page_token"}
    if extra:
        raise bad_request(sorted(extra)[0], "is not a supported parameter")
    contacts = list_param(request, "contact")
    if not contacts or len(contacts) > 10:
        raise bad_request("contact", "must name 1 to 10 contacts")
    wanted = {uuid_of(uri) for uri in contacts}
    owner = store.owner.uri

    def load() -> Iterator[Note]:
        for note in store.crm.notes.values():
            if note.owner == owner and uuid_of(note.contact or "") in wanted:
                yield note

    return list_response(request, load, _FIELDS, "updated_at:desc")


@routes.post("/notes")
async def create_note(request: web.Request) -> web.Response:
    """Write a note about one contact (201)."""
    ctx = context(request)
    store = ctx.store
    body = await json_body(request)
    only_fields(body, ("contact", "title", "body", "remind_at"))
    contact = body.get("contact")
    if not isinstance(contact, str) or uuid_of(contact) not in store.crm.contacts:
        raise bad_request("contact", "must be the URI of one of your contacts")
    texts: dict[str, str | None] = {}
    for name, limit in _LIMITS.items():
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise bad_request(name, "must be a string")
        text = (value or "").strip()
        if len(text) > limit:
            raise bad_request(name, f"must be at most {limit} characters")
        texts[name] = text or None
    if not any(texts.values()):
        raise bad_request("body", "a note needs a title or a body")
    remind = body.get("remind_at")
    if remind is not None and not isinstance(remind, str):
        raise bad_request("remind_at", "must be an RFC 3339 date-time")
    now = ctx.now()
    uuid = store.new_uuid()
    note = Note(
        uri=store.uri("notes", uuid),
        contact=contact,
        owner=store.owner.uri,
        title=texts["title"],
        body=texts["body"],
        remind_at=parse_time(remind, "remind_at") if remind is not None else None,
        created_at=now,
        updated_at=now,
    )
    store.crm.notes[uuid] = note
    store.touch()
    return resource(note, status=201)


@routes.get("/notes/{uuid}")
async def get_note(request: web.Request) -> web.Response:
    """One of the caller's notes."""
    return resource(lookup(context(request).store.crm.notes, request.match_info["uuid"]))
