"""Scheduled events, their invitees and cancellation (reference §6.6)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aiohttp import web

from ...models.invitees import Invitee
from ...models.scheduled_events import ScheduledEvent
from .._actions import cancel_event
from .._context import context
from .._http import (
    bad_request,
    choice_param,
    json_body,
    lookup,
    optional,
    resource,
    time_param,
    uuid_of,
)
from .._listing import check_organization, check_user, list_response
from .._paging import micros
from .._store import Store

__all__ = ["MAX_REASON", "routes"]

routes = web.RouteTableDef()

MAX_REASON = 10_000
"""Calendly rule: a cancellation reason is at most 10,000 characters."""

_EVENT_SORT = {"start_time": lambda event: micros(event.start_time)}
_INVITEE_SORT = {"created_at": lambda invitee: micros(invitee.created_at)}
_STATUSES = ("active", "canceled")


def _hosts(request: web.Request, store: Store) -> set[str] | None:
    """UUIDs of the hosts in scope, or ``None`` for the whole organization.

    Calendly rule: ``organization`` alone lists the whole organization,
    ``organization`` + ``user`` that member, ``user`` alone that user's own events,
    ``group`` the group's members; one of them is required.
    """
    user = optional(request, "user")
    organization = optional(request, "organization")
    group = optional(request, "group")
    if user is None and organization is None and group is None:
        raise bad_request("organization", "one of user, organization or group is required")
    if organization is not None:
        check_organization(store, organization)
    hosts: set[str] | None = None
    if group is not None:
        found = lookup(store.groups, uuid_of(group))
        hosts = set(found.members)
    if user is not None:
        member = check_user(store, user)
        hosts = {member} if hosts is None else hosts & {member}
    return hosts


def _candidates(
    store: Store, hosts: set[str] | None, email: str | None
) -> Iterable[ScheduledEvent]:
    if email is not None:
        uuids = store.events_by_email.get(email.lower(), set())
        return (store.events[uuid] for uuid in uuids if uuid in store.events)
    if hosts is None:
        return store.events.values()
    return (event for host in hosts for event in store.events_by_host.get(host, {}).values())


@routes.get("/scheduled_events")
async def list_events(request: web.Request) -> web.Response:
    """Scheduled events in scope; filters status, invitee_email, min_start_time
    (inclusive) and max_start_time (exclusive); sort ``start_time``."""
    store = context(request).store
    hosts = _hosts(request, store)
    status = choice_param(request, "status", _STATUSES)
    email = optional(request, "invitee_email")
    earliest = time_param(request, "min_start_time")
    latest = time_param(request, "max_start_time")

    def load() -> Iterator[ScheduledEvent]:
        for event in _candidates(store, hosts, email):
            if hosts is not None and store.host_uuid(event) not in hosts:
                continue
            if status is not None and event.status != status:
                continue
            begins = event.start_time
            if earliest is not None and (begins is None or begins < earliest):
                continue
            if latest is not None and (begins is None or begins >= latest):
                continue
            yield event

    return list_response(request, load, _EVENT_SORT, "start_time:asc")


def _event(request: web.Request) -> tuple[str, ScheduledEvent]:
    uuid = request.match_info["uuid"]
    event = lookup(context(request).store.events, uuid)
    return uuid, event


@routes.get("/scheduled_events/{uuid}")
async def get_event(request: web.Request) -> web.Response:
    """One scheduled event."""
    return resource(_event(request)[1])


@routes.post("/scheduled_events/{uuid}/cancellation")
async def cancel(request: web.Request) -> web.Response:
    """Cancel an event (201 with the cancellation); fires ``invitee.canceled``."""
    uuid, _ = _event(request)
    body = await json_body(request)
    reason = body.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_REASON):
        raise bad_request("reason", f"must be a string of at most {MAX_REASON} characters")
    return resource(cancel_event(context(request), uuid, reason), status=201)


@routes.get("/scheduled_events/{uuid}/invitees")
async def list_invitees(request: web.Request) -> web.Response:
    """Invitees of an event; filters ``status`` and ``email``; sort ``created_at``."""
    uuid, _ = _event(request)
    invitees = context(request).store.invitees[uuid]
    status = choice_param(request, "status", _STATUSES)
    email = optional(request, "email")

    def load() -> Iterator[Invitee]:
        for invitee in invitees.values():
            if status is not None and invitee.status != status:
                continue
            if email is not None and (invitee.email or "").lower() != email.lower():
                continue
            yield invitee

    return list_response(request, load, _INVITEE_SORT, "created_at:asc")


@routes.get("/scheduled_events/{uuid}/invitees/{invitee_uuid}")
async def get_invitee(request: web.Request) -> web.Response:
    """One invitee of an event."""
    uuid, _ = _event(request)
    invitee = lookup(context(request).store.invitees[uuid], request.match_info["invitee_uuid"])
    return resource(invitee)
