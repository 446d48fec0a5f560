"""Groups and group relationships (reference §6.3).

Calendly rules: ``GET /groups`` needs ``organization``; a group relationship ties
an owner (an organization membership, or a pending organization invitation) to a
group with ``role`` ``member`` or ``admin``. The mock derives relationships from
each stored group's ``members``, ``admins`` and ``invitations``, so removing a
member or revoking an invitation removes its relationships too.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator

from aiohttp import web

from ...models.groups import Group as GroupModel
from ...models.groups import GroupRelationship, GroupRelationshipOwner
from ...models.organizations import OrganizationInvitation, OrganizationMembership
from .._context import context
from .._http import lookup, not_found, optional, required, resource, uuid_of
from .._listing import check_organization, list_response
from .._paging import micros
from .._store import Group, Store

__all__ = ["group_model", "relationships", "routes"]

routes = web.RouteTableDef()

_CREATED = {"created_at": lambda item: micros(item.created_at)}


def group_model(store: Store, group: Group) -> GroupModel:
    """The API's view of a stored group."""
    return GroupModel(
        uri=group.uri,
        name=group.name,
        organization=store.organization.uri,
        created_at=group.created_at,
        updated_at=group.created_at,
        member_count=len(group.members),
    )


def _relationship_uuid(group_uri: str, owner_uri: str, role: str) -> str:
    """A stable id per (group, owner, role), shaped like Calendly's."""
    digest = hashlib.sha256(f"{group_uri}|{owner_uri}|{role}".encode()).digest()
    return base64.b32encode(digest[:10]).decode("ascii")


def _membership_owner(membership: OrganizationMembership) -> GroupRelationshipOwner:
    return GroupRelationshipOwner(
        uri=membership.uri,
        type="OrganizationMembership",
        role=membership.role,
        user=membership.user,
        organization=membership.organization,
        created_at=membership.created_at,
        updated_at=membership.updated_at,
    )


def _invitation_owner(invitation: OrganizationInvitation) -> GroupRelationshipOwner:
    return GroupRelationshipOwner(
        uri=invitation.uri,
        type="OrganizationInvitation",
        organization=invitation.organization,
        email=invitation.email,
        status=invitation.status,
        user=invitation.user,
        created_at=invitation.created_at,
        updated_at=invitation.updated_at,
        last_sent_at=invitation.last_sent_at,
    )


def _owners(store: Store, group: Group) -> Iterator[tuple[str, GroupRelationshipOwner]]:
    by_user = {uuid_of(m.user.uri): m for m in store.memberships.values() if m.user is not None}
    for role, users in (("member", group.members), ("admin", group.admins)):
        for user_uuid in sorted(users):
            membership = by_user.get(user_uuid)
            if membership is not None:
                yield role, _membership_owner(membership)
    for invitation_uuid in sorted(group.invitations):
        invitation = store.invitations.get(invitation_uuid)
        if invitation is not None and invitation.status == "pending":
            yield "member", _invitation_owner(invitation)


def relationships(store: Store) -> Iterator[GroupRelationship]:
    """Every group relationship of the organization, derived from the stored groups."""
    for group in store.groups.values():
        for role, owner in _owners(store, group):
            uuid = _relationship_uuid(group.uri, owner.uri or "", role)
            yield GroupRelationship(
                uri=store.uri("group_relationships", uuid),
                role=role,
                owner=owner,
                organization=store.organization.uri,
                group=group.uri,
                created_at=group.created_at,
                updated_at=group.created_at,
            )


@routes.get("/groups")
async def list_groups(request: web.Request) -> web.Response:
    """Groups of the organization (``organization`` is required)."""
    store = context(request).store
    check_organization(store, required(request, "organization"))

    def load() -> Iterator[GroupModel]:
        return (group_model(store, group) for group in store.groups.values())

    return list_response(request, load, _CREATED, "created_at:asc")


@routes.get("/groups/{uuid}")
async def get_group(request: web.Request) -> web.Response:
    """One group."""
    store = context(request).store
    group = lookup(store.groups, request.match_info["uuid"])
    return resource(group_model(store, group))


@routes.get("/group_relationships")
async def list_relationships(request: web.Request) -> web.Response:
    """Group relationships; filters ``organization``, ``owner`` (membership or
    invitation URI) and ``group``."""
    store = context(request).store
    organization = optional(request, "organization")
    if organization is not None:
        check_organization(store, organization)
    owner = optional(request, "owner")
    group = optional(request, "group")
    owner_uuid = uuid_of(owner) if owner is not None else None
    group_uuid = uuid_of(group) if group is not None else None

    def load() -> Iterator[GroupRelationship]:
        for relationship in relationships(store):
            if group_uuid is not None and uuid_of(relationship.group or "") != group_uuid:
                continue
            owner_uri = relationship.owner.uri if relationship.owner else None
            if owner_uuid is not None and uuid_of(owner_uri or "") != owner_uuid:
                continue
            yield relationship

    return list_response(request, load, _CREATED, "created_at:asc")


@routes.get("/group_relationships/{uuid}")
async def get_relationship(request: web.Request) -> web.Response:
    """One group relationship."""
    store = context(request).store
    wanted = request.match_info["uuid"]
    for relationship in relationships(store):
        if uuid_of(relationship.uri) == wanted:
            return resource(relationship)
    raise not_found()
