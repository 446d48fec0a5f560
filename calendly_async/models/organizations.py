"""Organizations, memberships and invitations (reference §8).

A membership's ``user`` has the shape of a ``User`` (``uri``, ``name``,
``slug``, ``email``, ``scheduling_url``, ``timezone``, ``avatar_url``,
``locale``, ``created_at``, ``updated_at``), so it reuses that model.
"""

from __future__ import annotations

from ._base import Model, Timestamp
from .users import User

__all__ = ["Organization", "OrganizationInvitation", "OrganizationMembership"]


class Organization(Model):
    """A Calendly organization (``GET /organizations/{uuid}``).

    ``kind`` is ``single`` or ``multiple``; ``plan`` one of ``basic``,
    ``essentials``, ``standard``, ``professional``, ``teams``, ``enterprise``;
    ``stage`` one of ``trial``, ``free``, ``paid`` (all open enumerations).
    """

    uri: str
    name: str | None = None
    kind: str | None = None
    plan: str | None = None
    stage: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class OrganizationMembership(Model):
    """A user's membership of an organization.

    ``role`` is ``user``, ``admin`` or ``owner``; ``user`` is the member.
    """

    uri: str
    role: str | None = None
    user: User | None = None
    organization: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class OrganizationInvitation(Model):
    """An invitation to join an organization.

    ``status`` is ``pending``, ``accepted`` or ``declined``; ``user`` (a user URI)
    is set once the invitation is accepted; ``last_sent_at`` may be null.
    """

    uri: str
    organization: str | None = None
    email: str | None = None
    status: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    last_sent_at: Timestamp | None = None
    user: str | None = None
