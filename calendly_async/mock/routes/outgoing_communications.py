"""Outgoing communications: emails and texts sent for the organization (reference
§6.10; Enterprise).

Calendly rules: ``GET /outgoing_communications`` needs ``organization`` (owner or
admin of an Enterprise organization, 403 otherwise), filters ``min_created_at`` /
``max_created_at``, is paginated and adds ``total_count`` to each page.

The mock derives the messages from its bookings, so new bookings and data
deletions show up at once: a confirmation email to every invitee when booked,
and an SMS reminder a day before the event to invitees with a
``text_reminder_number``; only messages already sent (per the mock's clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from ...models.invitees import Invitee
from ...models.outgoing_communications import OutgoingCommunication
from ...models.scheduled_events import ScheduledEvent
from .._context import context
from .._http import forbidden, required, time_param, uuid_of
from .._listing import check_organization, list_response
from .._paging import micros
from .._store import Store

__all__ = ["routes"]

routes = web.RouteTableDef()

_SORT = {"created_at": lambda item: micros(item.created_at)}
SENDER = "notifications@calendly.com"
REMINDER_LEAD = timedelta(days=1)


class _Sent(OutgoingCommunication, dict=True):
    """A message as the mock lists it: with a private id (not a field, never encoded)
    that the pager uses as its tie-breaker."""

    @property
    def uri(self) -> str:
        """``{invitee UUID}-{email|sms}``: unique per message."""
        return str(self.__dict__["id"])


def _sent(message_id: str, **fields: Any) -> _Sent:
    message = _Sent(**fields)
    message.__dict__["id"] = message_id
    return message


def _messages(
    store: Store, event: ScheduledEvent, invitee: Invitee, now: datetime
) -> Iterator[_Sent]:
    host = event.event_memberships[0] if event.event_memberships else None
    event_type = store.event_types.get(uuid_of(event.event_type or ""))
    common = {
        "sender_uri": host.user if host else None,
        "sender_email": host.user_email if host else None,
        "event_type_uri": event.event_type,
        "event_uri": event.uri,
        "scheduling_url": event_type.scheduling_url if event_type else None,
    }
    invitee_uuid = uuid_of(invitee.uri)
    booked = invitee.created_at
    if invitee.email and booked is not None and booked <= now:
        yield _sent(
            f"{invitee_uuid}-email",
            type="email",
            to=invitee.email,
            from_=SENDER,
            subject=f"Confirmed: {event.name} with {host.user_name if host else 'your host'}",
            body=f"Hi {invitee.name}, your {event.name} is scheduled for {event.start_time}.",
            sent_at=booked,
            created_at=booked,
            **common,
        )
    reminder = event.start_time - REMINDER_LEAD if event.start_time else None
    if invitee.text_reminder_number and invitee.status == "active" and reminder and reminder <= now:
        yield _sent(
            f"{invitee_uuid}-sms",
            type="sms",
            to=invitee.text_reminder_number,
            from_="Calendly",
            subject=None,
            body=f"Reminder: {event.name} starts {event.start_time}.",
            sent_at=reminder,
            created_at=reminder,
            **common,
        )


@routes.get("/outgoing_communications")
async def list_communications(request: web.Request) -> web.Response:
    """Messages sent for the organization; ``min_created_at`` inclusive,
    ``max_created_at`` exclusive; sort ``created_at``."""
    ctx = context(request)
    store = ctx.store
    check_organization(store, required(request, "organization"))
    if store.organization.plan != "enterprise":
        raise forbidden("Please upgrade your Calendly account to Enterprise.")
    earliest = time_param(request, "min_created_at")
    latest = time_param(request, "max_created_at")
    now = ctx.now()

    def load() -> Iterator[_Sent]:
        for event_uuid, invitees in store.invitees.items():
            event = store.events.get(event_uuid)
            if event is None:
                continue
            for invitee in invitees.values():
                for message in _messages(store, event, invitee, now):
                    created = message.created_at
                    if created is None:
                        continue
                    if earliest is not None and created < earliest:
                        continue
                    if latest is not None and created >= latest:
                        continue
                    yield message

    return list_response(
        request, load, _SORT, "created_at:asc", extra=lambda items: {"total_count": len(items)}
    )
