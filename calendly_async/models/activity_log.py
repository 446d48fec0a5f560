"""Activity log entries (reference §8 "ActivityLogEntry"; Enterprise plans)."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import Model, Timestamp

__all__ = [
    "ActivityLogActor",
    "ActivityLogActorGroup",
    "ActivityLogActorOrganization",
    "ActivityLogEntry",
]


class ActivityLogActorOrganization(Model):
    """The actor's organization and role in it."""

    uri: str | None = None
    role: str | None = None


class ActivityLogActorGroup(Model):
    """The actor's group and role in it."""

    uri: str | None = None
    name: str | None = None
    role: str | None = None


class ActivityLogActor(Model):
    """Who performed an action.

    ``type`` is ``User`` for people (including Calendly Support) and ``System``
    for Calendly itself, which has no ``uri``.
    """

    uri: str | None = None
    type: str | None = None
    organization: ActivityLogActorOrganization | None = None
    group: ActivityLogActorGroup | None = None
    display_name: str | None = None
    alternative_identifier: str | None = None


class ActivityLogEntry(Model):
    """One audited action in an organization (``fully_qualified_name`` like ``User.Add``).

    ``details`` is free-form and differs per action, so it stays a dict.
    """

    uri: str
    occurred_at: Timestamp | None = None
    namespace: str | None = None
    action: str | None = None
    fully_qualified_name: str | None = None
    actor: ActivityLogActor | None = None
    details: dict[str, Any] = msgspec.field(default_factory=dict)
    organization: str | None = None
