"""Invitee no-shows (reference §6.6).

Calendly rules: ``POST /invitee_no_shows`` takes ``{invitee: <invitee URI>}`` and
answers 201 with ``{uri, invitee, created_at}``; the invitee's ``no_show`` then
carries ``{uri, created_at}``. ``DELETE /invitee_no_shows/{uuid}`` un-marks it
(204). Each fires ``invitee_no_show.created`` / ``.deleted`` with the invitee
payload (the same shape as ``invitee.*``; reference §9 item 2).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from ...models.invitees import Invitee, NoShow
from ...models.no_shows import InviteeNoShow
from .._context import context
from .._http import (
    bad_request,
    body_str,
    json_body,
    lookup,
    no_content,
    not_found,
    resource,
    uuid_of,
)
from .._notify import notify_invitee
from .._store import Store

__all__ = ["routes"]

routes = web.RouteTableDef()


def _invitee_by_uri(store: Store, uri: str) -> tuple[str, Invitee]:
    """(event UUID, invitee) for ``.../scheduled_events/{event}/invitees/{uuid}``."""
    segments = [s for s in urlsplit(uri).path.split("/") if s]
    if len(segments) < 4 or segments[-4] != "scheduled_events" or segments[-2] != "invitees":
        raise bad_request("invitee", "must be an invitee URI")
    event_uuid, invitee_uuid = segments[-3], segments[-1]
    invitee = lookup(store.invitees.get(event_uuid, {}), invitee_uuid)
    return event_uuid, invitee


def _invitee_by_no_show(store: Store, no_show_uuid: str) -> tuple[str, Invitee]:
    """(event UUID, invitee) whose ``no_show`` has this UUID (a scan: no-shows are rare)."""
    for event_uuid, invitees in store.invitees.items():
        for invitee in invitees.values():
            mark = invitee.no_show
            if mark is not None and mark.uri and uuid_of(mark.uri) == no_show_uuid:
                return event_uuid, invitee
    raise not_found()


def _view(invitee: Invitee) -> InviteeNoShow:
    mark = invitee.no_show
    if mark is None or mark.uri is None:
        raise not_found()
    return InviteeNoShow(uri=mark.uri, invitee=invitee.uri, created_at=mark.created_at)


@routes.post("/invitee_no_shows")
async def create_no_show(request: web.Request) -> web.Response:
    """Mark an invitee as a no-show (201); 400 when already marked."""
    ctx = context(request)
    store = ctx.store
    uri = body_str(await json_body(request), "invitee") or ""
    event_uuid, invitee = _invitee_by_uri(store, uri)
    if invitee.no_show is not None:
        raise bad_request("invitee", "is already marked as a no-show")
    now = ctx.now()
    invitee.no_show = NoShow(uri=store.uri("invitee_no_shows", store.new_uuid()), created_at=now)
    invitee.updated_at = now
    store.touch()
    notify_invitee(ctx, "invitee_no_show.created", store.events[event_uuid], invitee)
    return resource(_view(invitee), status=201)


@routes.get("/invitee_no_shows/{uuid}")
async def get_no_show(request: web.Request) -> web.Response:
    """One no-show mark."""
    _, invitee = _invitee_by_no_show(context(request).store, request.match_info["uuid"])
    return resource(_view(invitee))


@routes.delete("/invitee_no_shows/{uuid}")
async def delete_no_show(request: web.Request) -> web.Response:
    """Un-mark a no-show (204); the invitee's ``no_show`` becomes null."""
    ctx = context(request)
    store = ctx.store
    event_uuid, invitee = _invitee_by_no_show(store, request.match_info["uuid"])
    invitee.no_show = None
    invitee.updated_at = ctx.now()
    store.touch()
    notify_invitee(ctx, "invitee_no_show.deleted", store.events[event_uuid], invitee)
    return no_content()
