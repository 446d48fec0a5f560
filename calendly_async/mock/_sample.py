"""Payloads of ``GET /sample_webhook_data``, built from the mock's own data.

Calendly rules (reference §7.2):

- ``invitee.*`` and ``invitee_no_show.*`` carry the Invitee fields plus the
  embedded ``scheduled_event``; on ``invitee.canceled`` the invitee has its
  ``cancellation`` and the event stays ``active`` while other invitees remain;
- ``routing_form_submission.created`` carries the submission;
- ``event_type.*`` carries the event type without ``description_html``;
- ``meeting_recap.*`` carries ``{created_at, event, recap}`` (``recap`` is
  ``{uri, deleted_at}`` on ``meeting_recap.deleted``);
- ``contact.*`` carries a contact (the payload is not documented; it follows the
  contact resource of reference §6.11).

The newest fitting resource within the scope is used (organization: every host;
user: that user; group: its members). When the scope holds none, one is drafted
from the scope's event types (a booking, then a cancellation or no-show mark on
it) and never stored: asking for a sample changes nothing in the mock.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import msgspec

from ..models.event_types import EventType
from ..models.invitees import Invitee, NoShow
from ..models.scheduled_events import Cancellation, ScheduledEvent
from ._actions import draft_booking
from ._http import not_found
from ._paging import micros
from ._store import Store, new_uuid

__all__ = ["Hosts", "sample_payload"]

Hosts = frozenset[str] | None
"""UUIDs of the users a scope covers; ``None`` for the whole organization."""

Booking = tuple[ScheduledEvent, Invitee]
Keep = Callable[[ScheduledEvent, Invitee], bool]

SAMPLE_EMAIL = "sample.invitee@example.com"
SAMPLE_NAME = "Sample Invitee"


def _uuid(uri: str | None) -> str:
    return (uri or "").rstrip("/").rsplit("/", 1)[-1]


def _events_in(store: Store, hosts: Hosts) -> Iterator[ScheduledEvent]:
    if hosts is None:
        yield from store.events.values()
        return
    for host in sorted(hosts):
        yield from store.events_by_host.get(host, {}).values()


def _newest(store: Store, hosts: Hosts, keep: Keep) -> Booking | None:
    """The most recently created invitee within ``hosts`` that ``keep`` accepts."""
    found: Booking | None = None
    newest: tuple[int, str] | None = None
    for event in _events_in(store, hosts):
        for invitee in store.invitees.get(_uuid(event.uri), {}).values():
            if not keep(event, invitee):
                continue
            key = (micros(invitee.created_at), invitee.uri)
            if newest is None or key > newest:
                found, newest = (event, invitee), key
    return found


def _event_types_in(store: Store, hosts: Hosts) -> list[EventType]:
    def owner(event_type: EventType) -> str:
        return _uuid(event_type.profile.owner if event_type.profile else None)

    covered = [et for et in store.event_types.values() if hosts is None or owner(et) in hosts]
    return covered or list(store.event_types.values())


def _draft(store: Store, hosts: Hosts, start: datetime, now: datetime) -> Booking:
    """A booking of the scope's first event type (not stored; ids fixed by the type)."""
    event_types = _event_types_in(store, hosts)
    if not event_types:
        raise not_found()
    event_type = event_types[0]
    rng = random.Random(f"sample-{event_type.uri}")
    return draft_booking(store, event_type, start, SAMPLE_EMAIL, SAMPLE_NAME, now=now, rng=rng)


def _next_hour(now: datetime, days: int) -> datetime:
    return (now + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


def _active(store: Store, hosts: Hosts, now: datetime) -> Booking:
    booking = _newest(store, hosts, lambda _, invitee: invitee.status == "active")
    return booking or _draft(store, hosts, _next_hour(now, 1), now)


def _canceled(store: Store, booking: Booking, now: datetime) -> Booking:
    """``booking`` as if its invitee had just canceled (copies; the store is untouched)."""
    event, invitee = booking
    cancellation = Cancellation(
        canceled_by=invitee.name, reason=None, canceler_type="invitee", created_at=now
    )
    invitee = msgspec.structs.replace(
        invitee, status="canceled", cancellation=cancellation, updated_at=now
    )
    others = store.invitees.get(_uuid(event.uri), {}).values()
    # Calendly rule: the event stays active while other invitees remain.
    if not any(other.status == "active" and other.uri != invitee.uri for other in others):
        event = msgspec.structs.replace(
            event, status="canceled", cancellation=cancellation, updated_at=now
        )
    return event, invitee


def _marked(store: Store, booking: Booking, now: datetime) -> Booking:
    """``booking`` with its invitee marked as a no-show (a copy)."""
    event, invitee = booking
    mark = NoShow(
        uri=store.uri("invitee_no_shows", new_uuid(random.Random(invitee.uri))), created_at=now
    )
    return event, msgspec.structs.replace(invitee, no_show=mark)


def _was_canceled(_: ScheduledEvent, invitee: Invitee) -> bool:
    return invitee.status == "canceled" and invitee.cancellation is not None


def _invitee_booking(store: Store, name: str, hosts: Hosts, now: datetime) -> Booking:
    if name == "invitee.canceled":
        found = _newest(store, hosts, _was_canceled)
        return found or _canceled(store, _active(store, hosts, now), now)
    if name.startswith("invitee_no_show."):
        found = _newest(store, hosts, lambda _, invitee: invitee.no_show is not None)
        return found or _marked(store, _active(store, hosts, now), now)
    return _active(store, hosts, now)


def _invitee_payload(store: Store, name: str, hosts: Hosts, now: datetime) -> dict[str, Any]:
    event, invitee = _invitee_booking(store, name, hosts, now)
    payload: dict[str, Any] = msgspec.to_builtins(invitee)
    payload["scheduled_event"] = msgspec.to_builtins(event)
    return payload


def _submission_payload(store: Store, name: str, hosts: Hosts, now: datetime) -> dict[str, Any]:
    # Organization-scoped only (reference §7.1): every submission qualifies.
    submission = max(
        store.submissions.values(),
        key=lambda s: (micros(s.created_at), s.uri),
        default=None,
    )
    if submission is None:
        raise not_found()
    payload: dict[str, Any] = msgspec.to_builtins(submission)
    return payload


def _event_type_payload(store: Store, name: str, hosts: Hosts, now: datetime) -> dict[str, Any]:
    event_type = max(
        _event_types_in(store, hosts), key=lambda et: (micros(et.updated_at), et.uri), default=None
    )
    if event_type is None:
        raise not_found()
    payload: dict[str, Any] = msgspec.to_builtins(event_type)
    # Calendly rule: the EventTypePayload is the event type minus description_html.
    payload.pop("description_html", None)
    return payload


def _attendees(store: Store, event: ScheduledEvent) -> list[dict[str, Any]]:
    hosts = [
        {"host": True, "user_email": m.user_email, "user_name": m.user_name}
        for m in event.event_memberships
    ]
    guests = [
        {"host": False, "user_email": i.email, "user_name": i.name}
        for i in store.invitees.get(_uuid(event.uri), {}).values()
        if i.status == "active"
    ]
    return hosts + guests


def _recap_payload(store: Store, name: str, hosts: Hosts, now: datetime) -> dict[str, Any]:
    def held(event: ScheduledEvent, invitee: Invitee) -> bool:
        ended = event.end_time is not None and event.end_time <= now
        return ended and event.status == "active" and invitee.status == "active"

    found = _newest(store, hosts, held)
    event, _ = found or _draft(store, hosts, _next_hour(now, -2), now)
    recap_uuid = new_uuid(random.Random(f"recap-{event.uri}"))
    recap_uri = store.uri("meeting_recaps", recap_uuid)
    recap: dict[str, Any] = {"uri": recap_uri, "deleted_at": now}
    if name != "meeting_recap.deleted":
        recap = {
            "uri": recap_uri,
            "summary_md": f"## Summary\n{event.name} was held as planned.",
            "action_items_md": "- Send the follow-up notes",
            "discussion_md": "- Agenda\n- Next steps",
            "transcript": f"{recap_uri}/transcript",
            "share_link": f"{store.base_url}/recaps/{recap_uuid}",
            "created_at": event.end_time,
            "updated_at": now if name == "meeting_recap.updated" else event.end_time,
        }
    summary = {
        "uri": event.uri,
        "name": event.name,
        "start_time": event.start_time,
        "end_time": event.end_time,
        "location": msgspec.to_builtins(event.location),
        "attendees": _attendees(store, event),
    }
    return {"created_at": now, "event": summary, "recap": recap}


def _contact_payload(store: Store, name: str, hosts: Hosts, now: datetime) -> dict[str, Any]:
    _, invitee = _active(store, hosts, now)
    contact_uuid = new_uuid(random.Random(f"contact-{(invitee.email or invitee.uri).lower()}"))
    return {
        "uri": store.uri("contacts", contact_uuid),
        "name": invitee.name,
        "emails": [{"email": invitee.email, "is_primary": True}],
        "phone_numbers": [],
        "timezone": invitee.timezone,
        "job_title": None,
        "company": None,
        "country": None,
        "state": None,
        "city": None,
        "linkedin": None,
        "custom_fields": [],
        "created_at": invitee.created_at,
        "updated_at": now,
    }


_BUILDERS: dict[str, Callable[[Store, str, Hosts, datetime], dict[str, Any]]] = {
    "invitee": _invitee_payload,
    "invitee_no_show": _invitee_payload,
    "routing_form_submission": _submission_payload,
    "event_type": _event_type_payload,
    "meeting_recap": _recap_payload,
    "contact": _contact_payload,
}


def sample_payload(store: Store, name: str, hosts: Hosts, now: datetime) -> dict[str, Any]:
    """The ``payload`` of a sample ``name`` delivery (a webhook event name of reference §7.1).

    Parameters
    ----------
    store:
        The mock's data; never changed.
    name:
        The event name, e.g. ``invitee.created``.
    hosts:
        The user UUIDs the subscription scope covers (``None``: the organization).
    now:
        The mock's current time.

    Raises
    ------
    ApiError
        404 when the mock holds nothing a payload could be built from.
    """
    return _BUILDERS[name.rpartition(".")[0]](store, name, hosts, now)
