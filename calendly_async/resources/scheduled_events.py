"""``client.scheduled_events`` and ``client.invitees`` (reference §6.6)."""

from __future__ import annotations

from .._params import TimeArg, time_range
from ..errors import InvalidInputError
from ..models.invitees import Invitee
from ..models.scheduled_events import Cancellation, ScheduledEvent
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource

__all__ = ["Invitees", "ScheduledEvents"]

_MAX_REASON = 10_000
"""Calendly rule: a cancellation ``reason`` is at most 10,000 characters."""


class ScheduledEvents(Resource):
    """Scheduled events endpoints."""

    def list(
        self,
        *,
        user: str | None = None,
        organization: str | None = None,
        group: str | None = None,
        invitee_email: str | None = None,
        status: str | None = None,
        sort: str | None = None,
        min_start_time: TimeArg | None = None,
        max_start_time: TimeArg | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[ScheduledEvent]:
        """Scheduled events of a user, organization or group (``GET /scheduled_events``).

        Seed: listEvents (and the ``events`` picklist).

        Parameters
        ----------
        user, organization, group:
            UUIDs or URIs; at least one is required. ``organization`` alone lists
            the whole organization (admin or owner); with ``user`` it lists that
            member; ``user`` alone lists your own events.
        invitee_email:
            Only events this address is booked into.
        status:
            ``active`` or ``canceled``.
        sort:
            ``start_time:asc`` or ``start_time:desc``.
        min_start_time, max_start_time:
            Aware datetimes or ISO-8601 strings bounding ``start_time``.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            No scope was given, an identifier is malformed, a time is naive or
            unparsable, ``min_start_time`` is after ``max_start_time``, or
            ``count`` is out of range.
        """
        # Calendly rule: the list must be scoped by user, organization or group.
        if user is None and organization is None and group is None:
            raise InvalidInputError("one of user, organization or group is required")
        min_time, max_time = time_range(
            min_start_time, max_start_time, "min_start_time", "max_start_time"
        )
        params = {
            "user": self._uri(user, "users") if user is not None else None,
            "organization": (
                self._uri(organization, "organizations") if organization is not None else None
            ),
            "group": self._uri(group, "groups") if group is not None else None,
            "invitee_email": invitee_email,
            "status": status,
            "sort": sort,
            "min_start_time": min_time,
            "max_start_time": max_time,
        }
        return self._list(
            "/scheduled_events", ScheduledEvent, params, count=count, page_token=page_token
        )

    async def get(self, uuid: str) -> ScheduledEvent:
        """A scheduled event by UUID or URI (``GET /scheduled_events/{uuid}``). Seed: getEvent."""
        return await self._get(
            f"/scheduled_events/{self._uuid(uuid, 'scheduled_events')}", ScheduledEvent
        )

    async def cancel(self, uuid: str, reason: str | None = None) -> Cancellation:
        """Cancel a scheduled event (``POST /scheduled_events/{uuid}/cancellation``).

        Seed: cancelEvent. Calendly answers 201 with the ``Cancellation``; it
        answers 403 for an event in the past or already canceled.

        Parameters
        ----------
        uuid:
            The event's UUID or URI.
        reason:
            Shown to the invitees; at most 10,000 characters. Sent only when given.

        Raises
        ------
        InvalidInputError
            ``uuid`` is malformed or ``reason`` is too long.
        """
        path = f"/scheduled_events/{self._uuid(uuid, 'scheduled_events')}/cancellation"
        if reason is not None and len(reason) > _MAX_REASON:
            raise InvalidInputError(f"reason is {len(reason)} characters; the limit is 10000")
        return await self._send("POST", path, Cancellation, {"reason": reason})


class Invitees(Resource):
    """Invitees of scheduled events (``/scheduled_events/{uuid}/invitees``)."""

    def list(
        self,
        event_uuid: str,
        *,
        status: str | None = None,
        sort: str | None = None,
        email: str | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[Invitee]:
        """Invitees of one scheduled event (``GET /scheduled_events/{uuid}/invitees``).

        Seed: listEventInvitees.

        Parameters
        ----------
        event_uuid:
            The scheduled event's UUID or URI.
        status:
            ``active`` or ``canceled``.
        sort:
            ``created_at:asc`` (Calendly's default) or ``created_at:desc``.
        email:
            Only the invitee with this address.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``event_uuid`` is malformed or ``count`` is out of range.
        """
        path = f"/scheduled_events/{self._uuid(event_uuid, 'scheduled_events')}/invitees"
        params = {"status": status, "sort": sort, "email": email}
        return self._list(path, Invitee, params, count=count, page_token=page_token)

    async def get(self, event_uuid: str, invitee_uuid: str) -> Invitee:
        """One invitee (``GET /scheduled_events/{event_uuid}/invitees/{invitee_uuid}``).

        Seed: getEventInvitee. Each argument is a UUID or a URI.
        """
        event = self._uuid(event_uuid, "scheduled_events")
        invitee = self._uuid(invitee_uuid, "invitees", what="invitee")
        return await self._get(f"/scheduled_events/{event}/invitees/{invitee}", Invitee)
