"""Notetaker meeting recaps and transcripts (reference §6.11).

Calendly rules the mock keeps: ``GET /meeting_recaps`` filters by ``event``,
``start_time`` (meetings ending at or after it), ``end_time`` (meetings
starting at or before it), ``status`` (``available``, the default,
``processing`` or ``unavailable``; the recap itself says ``Available`` ...)
and ``attendee`` e-mail; ``PATCH`` changes only ``summary_md``,
``action_items_md`` and ``discussion_md`` (each nullable); ``DELETE`` answers
204; the transcript is ``{resource: {uri, text}}`` and exists only for
available recaps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
from aiohttp import web

from ...models.meeting_recaps import MeetingRecap, MeetingRecapTranscript
from .._context import MockContext, context
from .._fields import only_fields
from .._http import (
    bad_request,
    choice_param,
    json_body,
    lookup,
    no_content,
    not_found,
    optional,
    resource,
    time_param,
    uuid_of,
)
from .._listing import list_response
from .._notify import notify_payload
from .._paging import micros

__all__ = ["routes"]

routes = web.RouteTableDef()

_FIELDS = {
    "start_time": lambda recap: micros(recap.start_time),
    "created_at": lambda recap: micros(recap.created_at),
}
_SECTIONS = ("summary_md", "action_items_md", "discussion_md")


def _notify(ctx: MockContext, name: str, recap: MeetingRecap) -> None:
    """``meeting_recap.*``: ``{created_at, event, recap}``, ``recap`` only ``{uri,
    deleted_at}`` on deletion (the sample payload's shape, reference §7)."""
    store = ctx.store
    now = ctx.now()
    event = store.events.get(uuid_of(recap.event or ""))
    summary = {"uri": recap.event, "name": recap.name, "start_time": recap.start_time,
               "end_time": recap.end_time, "attendees": recap.attendees}  # fmt: skip
    body: Any = {"uri": recap.uri, "deleted_at": now} if name.endswith("deleted") else recap
    payload = msgspec.to_builtins({"created_at": now, "event": summary, "recap": body})
    notify_payload(ctx, name, payload, store.host_uuid(event) if event is not None else None)


@routes.get("/meeting_recaps")
async def list_recaps(request: web.Request) -> web.Response:
    """Recaps, filtered; only ``available`` ones unless ``status`` says otherwise."""
    crm = context(request).store.crm
    status = choice_param(request, "status", ("available", "processing", "unavailable"))
    event = optional(request, "event")
    event_uuid = uuid_of(event) if event is not None else None
    start = time_param(request, "start_time")
    end = time_param(request, "end_time")
    attendee = (optional(request, "attendee") or "").lower() or None

    def load() -> Iterator[MeetingRecap]:
        for recap in crm.recaps.values():
            if (recap.status or "").lower() != (status or "available"):
                continue
            if event_uuid is not None and uuid_of(recap.event or "") != event_uuid:
                continue
            if start is not None and (recap.end_time is None or recap.end_time < start):
                continue
            if end is not None and (recap.start_time is None or recap.start_time > end):
                continue
            emails = {(a.user_email or "").lower() for a in recap.attendees}
            if attendee is not None and attendee not in emails:
                continue
            yield recap

    return list_response(request, load, _FIELDS, "start_time:desc")


@routes.get("/meeting_recaps/{uuid}")
async def get_recap(request: web.Request) -> web.Response:
    """One recap."""
    return resource(lookup(context(request).store.crm.recaps, request.match_info["uuid"]))


@routes.patch("/meeting_recaps/{uuid}")
async def update_recap(request: web.Request) -> web.Response:
    """Edit a recap's Markdown sections."""
    ctx = context(request)
    crm = ctx.store.crm
    uuid = request.match_info["uuid"]
    recap = lookup(crm.recaps, uuid)
    body = await json_body(request)
    only_fields(body, _SECTIONS, "cannot be changed")
    for key, value in body.items():
        if value is not None and not isinstance(value, str):
            raise bad_request(key, "must be a string or null")
    crm.recaps[uuid] = msgspec.structs.replace(recap, updated_at=ctx.now(), **body)
    ctx.store.touch()
    _notify(ctx, "meeting_recap.updated", crm.recaps[uuid])
    return resource(crm.recaps[uuid])


@routes.delete("/meeting_recaps/{uuid}")
async def delete_recap(request: web.Request) -> web.Response:
    """Delete a recap and its transcript (204)."""
    ctx = context(request)
    crm = ctx.store.crm
    uuid = request.match_info["uuid"]
    recap = crm.recaps.pop(uuid, None)
    if recap is None:
        raise not_found()
    crm.transcripts.pop(uuid, None)
    ctx.store.touch()
    _notify(ctx, "meeting_recap.deleted", recap)
    return no_content()


@routes.get("/meeting_recaps/{uuid}/transcript")
async def get_transcript(request: web.Request) -> web.Response:
    """A recap's transcript (404 while none exists)."""
    crm = context(request).store.crm
    uuid = request.match_info["uuid"]
    recap = lookup(crm.recaps, uuid)
    text = lookup(crm.transcripts, uuid)
    return resource(MeetingRecapTranscript(uri=recap.transcript or f"{recap.uri}/transcript",
                                           text=text))  # fmt: skip
