"""The mock's state: every resource as the SDK's own model Structs, with the indexes
the routes need. Inspect it in tests as ``mock.state``.

One organization per mock. Every mutation goes through a method here (or calls
``touch()``), which bumps ``version`` so cached sorted lists are rebuilt.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from ..models.activity_log import ActivityLogEntry
from ..models.availability import AvailabilitySchedule, UserBusyTime
from ..models.event_types import EventType
from ..models.invitees import Invitee
from ..models.organizations import Organization, OrganizationInvitation, OrganizationMembership
from ..models.routing_forms import RoutingForm, RoutingFormSubmission
from ..models.scheduled_events import ScheduledEvent
from ..models.scheduling import SchedulingLink, Share
from ..models.users import User
from ..models.webhooks import WebhookSubscription
from ._crm import CrmState

__all__ = ["Group", "Store", "new_uuid"]


def new_uuid(rng: random.Random) -> str:
    """A 16-character upper-case base32 id like Calendly's (``GBGBDCAADAEDCRZ2``)."""
    return base64.b32encode(rng.getrandbits(80).to_bytes(10, "big")).decode("ascii")


@dataclass(slots=True)
class Group:
    """A group of the organization: served by ``GET /groups`` (its relationships by
    ``GET /group_relationships``), and scopes ``GET /scheduled_events?group=`` and
    group webhooks."""

    uri: str
    name: str
    members: set[str] = field(default_factory=set)
    """UUIDs of the member users."""
    admins: set[str] = field(default_factory=set)
    """UUIDs of the users who administer the group (``role: admin`` relationships)."""
    invitations: set[str] = field(default_factory=set)
    """UUIDs of organization invitations placed in the group (shown while pending)."""
    created_at: datetime | None = None


class Store:
    """Every resource the mock serves, keyed by UUID (insertion order kept).

    Parameters
    ----------
    base_url:
        The mock's own URL; every ``uri`` starts with it.
    seed:
        Seeds the UUIDs of resources created at run time (so runs repeat).
    """

    def __init__(self, base_url: str, seed: int = 0) -> None:
        self.base_url = base_url.rstrip("/")
        self.version = 0
        self.rng = random.Random(f"runtime-{seed}")
        self.organization = Organization(uri=self.uri("organizations", "PENDING"))
        self.owner_uuid = ""
        self.seats = 1
        """Invitees per slot of group event types (``invitees_per_event`` when seeded)."""
        self.users: dict[str, User] = {}
        self.memberships: dict[str, OrganizationMembership] = {}
        self.invitations: dict[str, OrganizationInvitation] = {}
        self.groups: dict[str, Group] = {}
        self.event_types: dict[str, EventType] = {}
        self.event_type_schedule: dict[str, str] = {}
        """Event type UUID -> the URI of the availability schedule it uses."""
        self.schedules: dict[str, AvailabilitySchedule] = {}
        self.external_busy: dict[str, list[UserBusyTime]] = {}
        """User UUID -> busy periods from connected calendars."""
        self.events: dict[str, ScheduledEvent] = {}
        self.events_by_host: dict[str, dict[str, ScheduledEvent]] = {}
        self.invitees: dict[str, dict[str, Invitee]] = {}
        """Event UUID -> invitee UUID -> invitee."""
        self.events_by_email: dict[str, set[str]] = {}
        """Lower-cased invitee email -> UUIDs of the events it is booked into."""
        self.routing_forms: dict[str, RoutingForm] = {}
        self.submissions: dict[str, RoutingFormSubmission] = {}
        self.webhooks: dict[str, WebhookSubscription] = {}
        self.signing_keys: dict[str, str] = {}
        """Webhook UUID -> signing key (never returned by the API)."""
        self.scheduling_links: list[SchedulingLink] = []
        self.shares: list[Share] = []
        self.activity_log: dict[str, ActivityLogEntry] = {}
        self.crm = CrmState()
        """Teams, contacts, contact lists, notes and meeting recaps (``_crm``)."""

    # -- identifiers ----------------------------------------------------------------

    def uri(self, collection: str, uuid: str) -> str:
        """``{base_url}/{collection}/{uuid}``."""
        return f"{self.base_url}/{collection}/{uuid}"

    def new_uuid(self) -> str:
        """A fresh id for a resource created at run time."""
        return new_uuid(self.rng)

    def touch(self) -> None:
        """Record a change (invalidates cached sorted lists)."""
        self.version += 1

    @property
    def owner(self) -> User:
        """The organization's owner: the user every token belongs to."""
        return self.users[self.owner_uuid]

    @property
    def organization_uuid(self) -> str:
        """The organization's UUID."""
        return self.organization.uri.rsplit("/", 1)[-1]

    # -- scheduled events and invitees ------------------------------------------------

    @staticmethod
    def host_uuid(event: ScheduledEvent) -> str:
        """The UUID of the event's (first) host."""
        host = event.event_memberships[0].user if event.event_memberships else None
        return host.rsplit("/", 1)[-1] if host else ""

    def add_event(self, event: ScheduledEvent, invitees: list[Invitee]) -> None:
        """Store an event with its invitees."""
        uuid = event.uri.rsplit("/", 1)[-1]
        self.events[uuid] = event
        self.events_by_host.setdefault(self.host_uuid(event), {})[uuid] = event
        self.invitees[uuid] = {}
        for invitee in invitees:
            self.add_invitee(uuid, invitee)
        self.touch()

    def add_invitee(self, event_uuid: str, invitee: Invitee) -> None:
        """Store an invitee of a stored event."""
        self.invitees[event_uuid][invitee.uri.rsplit("/", 1)[-1]] = invitee
        if invitee.email:
            self.events_by_email.setdefault(invitee.email.lower(), set()).add(event_uuid)

    def remove_invitee(self, event_uuid: str, invitee_uuid: str) -> None:
        """Delete an invitee and update the event's counter."""
        invitee = self.invitees[event_uuid].pop(invitee_uuid)
        if invitee.email:
            still_booked = any(
                other.email and other.email.lower() == invitee.email.lower()
                for other in self.invitees[event_uuid].values()
            )
            if not still_booked:
                self.events_by_email.get(invitee.email.lower(), set()).discard(event_uuid)
        event = self.events[event_uuid]
        counter = event.invitees_counter
        if counter is not None:
            counter.total = len(self.invitees[event_uuid])
            remaining = self.invitees[event_uuid].values()
            counter.active = sum(1 for i in remaining if i.status == "active")
        self.touch()

    def remove_event(self, event_uuid: str) -> None:
        """Delete an event and its invitees."""
        for invitee_uuid in list(self.invitees.get(event_uuid, {})):
            self.remove_invitee(event_uuid, invitee_uuid)
        event = self.events.pop(event_uuid)
        self.invitees.pop(event_uuid, None)
        self.events_by_host.get(self.host_uuid(event), {}).pop(event_uuid, None)
        self.touch()

    def iter_invitees(self) -> Iterator[Invitee]:
        """Every invitee of every event."""
        for invitees in self.invitees.values():
            yield from invitees.values()

    @property
    def invitee_count(self) -> int:
        """How many invitees are stored."""
        return sum(len(invitees) for invitees in self.invitees.values())

    # -- inspection ---------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many resources of each kind are stored."""
        return {
            "users": len(self.users),
            "memberships": len(self.memberships),
            "invitations": len(self.invitations),
            "event_types": len(self.event_types),
            "schedules": len(self.schedules),
            "events": len(self.events),
            "invitees": self.invitee_count,
            "routing_forms": len(self.routing_forms),
            "submissions": len(self.submissions),
            "webhooks": len(self.webhooks),
            "activity_log": len(self.activity_log),
        }

    def snapshot(self) -> dict[str, Any]:
        """Every resource as JSON-ready builtins (for comparisons and dumps)."""
        snapshot: dict[str, Any] = msgspec.to_builtins(
            {
                "organization": self.organization,
                "users": list(self.users.values()),
                "memberships": list(self.memberships.values()),
                "invitations": list(self.invitations.values()),
                "groups": [
                    {"uri": g.uri, "name": g.name, "members": sorted(g.members)}
                    for g in self.groups.values()
                ],
                "event_types": list(self.event_types.values()),
                "event_type_schedule": self.event_type_schedule,
                "schedules": list(self.schedules.values()),
                "external_busy": self.external_busy,
                "events": list(self.events.values()),
                "invitees": [list(i.values()) for i in self.invitees.values()],
                "routing_forms": list(self.routing_forms.values()),
                "submissions": list(self.submissions.values()),
                "webhooks": list(self.webhooks.values()),
                "scheduling_links": self.scheduling_links,
                "shares": self.shares,
                "activity_log": list(self.activity_log.values()),
            }
        )
        return snapshot
