"""The organization's activity log (reference §6.10; Enterprise).

Calendly rules: ``GET /activity_log_entries`` needs ``organization``, allows
``count`` up to 1000, sorts by ``occurred_at:desc`` unless told otherwise and adds
``total_count``, ``exceeds_max_total_count`` and ``last_event_time`` to the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import msgspec
from aiohttp import web

from ...models.activity_log import ActivityLogEntry
from .._context import context
from .._http import bad_request, list_param, optional, required, time_param, uuid_of
from .._listing import check_organization, list_response
from .._paging import micros
from .._search import SearchSyntaxError, compile_search

__all__ = ["ACTIVITY_LOG_MAX_COUNT", "routes"]

routes = web.RouteTableDef()

ACTIVITY_LOG_MAX_COUNT = 1000
"""Calendly rule: the activity log allows ``count`` up to 1000."""

MAX_SEARCH_TERM = 300

_LOG_SORT = {
    "occurred_at": lambda e: micros(e.occurred_at),
    "action": lambda e: e.action or "",
    "namespace": lambda e: e.namespace or "",
    "actor.uri": lambda e: (e.actor.uri if e.actor else None) or "",
    "actor.display_name": lambda e: (e.actor.display_name if e.actor else None) or "",
}


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
