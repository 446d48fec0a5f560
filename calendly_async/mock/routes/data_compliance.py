"""Data-compliance deletions and the activity log (reference §6.10; Enterprise).

Calendly rules: ``POST /data_compliance/deletion/invitees`` takes ``emails`` and
``POST /data_compliance/deletion/events`` a past ``start_time``/``end_time`` range
of at most 24 months; both answer 202 ``{}`` (the mock deletes at once).
``GET /activity_log_entries`` needs ``organization``, allows ``count`` up to 1000,
sorts by ``occurred_at:desc`` unless told otherwise and adds ``total_count``,
``exceeds_max_total_count`` and ``last_event_time`` to the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import msgspec
from aiohttp import web

from ...models.activity_log import ActivityLogEntry
from .._actions import delete_event_data, delete_invitee_data
from .._context import context
from .._http import (
    accepted,
    bad_request,
    body_list,
    body_str,
    json_body,
    list_param,
    optional,
    parse_time,
    required,
    time_param,
    uuid_of,
)
from .._listing import check_organization, list_response
from .._paging import micros
from .._search import SearchSyntaxError, compile_search

__all__ = ["ACTIVITY_LOG_MAX_COUNT", "routes"]

routes = web.RouteTableDef()

ACTIVITY_LOG_MAX_COUNT = 1000
"""Calendly rule: the activity log allows ``count`` up to 1000."""

MAX_DELETION_DAYS = 731
"""Calendly rule: an event-data deletion covers at most 24 months."""

MAX_SEARCH_TERM = 300

_LOG_SORT = {
    "occurred_at": lambda e: micros(e.occurred_at),
    "action": lambda e: e.action or "",
    "namespace": lambda e: e.namespace or "",
    "actor.uri": lambda e: (e.actor.uri if e.actor else None) or "",
    "actor.display_name": lambda e: (e.actor.display_name if e.actor else None) or "",
}


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


def _search_text(entry: ActivityLogEntry) -> str:
    actor = entry.actor
    parts = [
        entry.fully_qualified_name or "",
        actor.display_name or "" if actor else "",
        actor.alternative_identifier or "" if actor else "",
        msgspec.json.encode(entry.details).decode(),
    ]
    return " ".join(parts)


def _log_totals(entries: list[ActivityLogEntry]) -> dict[str, Any]:
    newest = max((e.occurred_at for e in entries if e.occurred_at), default=None)
    return {
        "total_count": len(entries),
        "exceeds_max_total_count": False,
        "last_event_time": newest,
    }


@routes.get("/activity_log_entries")
async def list_activity_log(request: web.Request) -> web.Response:
    """Activity log entries; filters search_term, actor, namespace, action and
    min/max_occurred_at (both inclusive)."""
    store = context(request).store
    check_organization(store, required(request, "organization"))
    term = optional(request, "search_term")
    if term is not None and len(term) > MAX_SEARCH_TERM:
        raise bad_request("search_term", f"must be at most {MAX_SEARCH_TERM} characters")
    try:
        search = compile_search(term) if term else None
    except SearchSyntaxError as exc:
        raise bad_request("search_term", str(exc)) from None
    actors = {uuid_of(a) for a in list_param(request, "actor") or []}
    namespaces = set(list_param(request, "namespace") or [])
    actions = set(list_param(request, "action") or [])
    earliest = time_param(request, "min_occurred_at")
    latest = time_param(request, "max_occurred_at")

    def within(moment: datetime | None) -> bool:
        if moment is None:
            return earliest is None and latest is None
        return (earliest is None or moment >= earliest) and (latest is None or moment <= latest)

    def load() -> Iterator[ActivityLogEntry]:
        for entry in store.activity_log.values():
            if actors and uuid_of((entry.actor.uri if entry.actor else None) or "") not in actors:
                continue
            if namespaces and entry.namespace not in namespaces:
                continue
            if actions and entry.action not in actions:
                continue
            if not within(entry.occurred_at):
                continue
            if search is not None and not search(_search_text(entry)):
                continue
            yield entry

    return list_response(
        request,
        load,
        _LOG_SORT,
        "occurred_at:desc",
        max_count=ACTIVITY_LOG_MAX_COUNT,
        extra=_log_totals,
    )
