"""Data-compliance deletions (reference §6.10; Enterprise).

Calendly rules: ``POST /data_compliance/deletion/invitees`` takes ``emails`` and
``POST /data_compliance/deletion/events`` a past ``start_time``/``end_time`` range
of at most 24 months; both answer 202 ``{}`` (the mock deletes at once).
"""

from __future__ import annotations

from aiohttp import web

from .._actions import delete_event_data, delete_invitee_data
from .._context import context
from .._http import accepted, bad_request, body_list, body_str, json_body, parse_time

__all__ = ["routes"]

routes = web.RouteTableDef()

MAX_DELETION_DAYS = 731
"""Calendly rule: an event-data deletion covers at most 24 months."""


@routes.post("/data_compliance/deletion/invitees")
async def delete_invitees(request: web.Request) -> web.Response:
    """Delete the invitees booked with these emails (202 ``{}``)."""
    emails = body_list(await json_body(request), "emails")
    if not all("@" in email for email in emails):
        raise bad_request("emails", "must hold email addresses")
    delete_invitee_data(context(request).store, emails)
    return accepted()


@routes.post("/data_compliance/deletion/events")
async def delete_events(request: web.Request) -> web.Response:
    """Delete the events of a past time range (202 ``{}``)."""
    ctx = context(request)
    body = await json_body(request)
    start = parse_time(body_str(body, "start_time") or "", "start_time")
    end = parse_time(body_str(body, "end_time") or "", "end_time")
    if end <= start:
        raise bad_request("end_time", "must be after start_time")
    if end > ctx.now():
        raise bad_request("end_time", "must be in the past")
    if (end - start).days > MAX_DELETION_DAYS:
        raise bad_request("end_time", "the range must be at most 24 months")
    delete_event_data(ctx.store, start, end)
    return accepted()
