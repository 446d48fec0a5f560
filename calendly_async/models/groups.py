"""Groups and group relationships (reference §6.3, §8 "Group", "GroupRelationship")."""

from __future__ import annotations

from ._base import Model, Timestamp
from .users import User

__all__ = ["Group", "GroupRelationship", "GroupRelationshipOwner"]


class Group(Model):
    """A group of users within an organization (``GET /groups/{uuid}``).

    ``member_count`` is optional in Calendly's spec (a number).
    """

    uri: str
    name: str | None = None
    organization: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    member_count: int | float | None = None


class GroupRelationshipOwner(Model):
    """Who a group relationship belongs to: a member or an invitee of the organization.

    Calendly sends an ``OrganizationMembership`` with ``type:
    "OrganizationMembership"`` or an ``OrganizationInvitation`` with ``type:
    "OrganizationInvitation"``. One tolerant struct holds both (and any newer
    type): membership owners fill ``role`` and ``user`` (a ``User``); invitation
    owners fill ``email``, ``status``, ``last_sent_at`` and, once accepted,
    ``user`` as a user URI string.
    """

    uri: str | None = None
    type: str | None = None
    role: str | None = None
    user: User | str | None = None
    organization: str | None = None
    email: str | None = None
    status: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    last_sent_at: Timestamp | None = None

    @property
    def is_invitation(self) -> bool:
        """Whether the owner is a pending (or answered) invitation, not a member."""
        return self.type == "OrganizationInvitation"


class GroupRelationship(Model):
    """A person's place in a group (``GET /group_relationships``).

    ``role`` is ``member`` or ``admin``: one member relationship per person,
    possibly several admin ones.
    """

    uri: str
    role: str | None = None
    owner: GroupRelationshipOwner | None = None
    organization: str | None = None
    group: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
