"""The organization, its memberships and invitations (reference §6.2)."""

from __future__ import annotations

from collections.abc import Iterator

from aiohttp import web

from ...models.organizations import OrganizationInvitation, OrganizationMembership
from .._actions import record_activity
from .._context import context
from .._http import (
    bad_request,
    body_str,
    choice_param,
    forbidden,
    json_body,
    lookup,
    no_content,
    not_found,
    optional,
    resource,
)
from .._listing import check_organization, check_user, list_response
from .._paging import micros

__all__ = ["routes"]

routes = web.RouteTableDef()

_CREATED = {"created_at": lambda item: micros(item.created_at)}


@routes.get("/organizations/{uuid}")
async def get_organization(request: web.Request) -> web.Response:
    """``GET /organizations/{uuid}``."""
    store = context(request).store
    if request.match_info["uuid"] != store.organization_uuid:
        raise not_found()
    return resource(store.organization)


@routes.get("/organization_memberships")
async def list_memberships(request: web.Request) -> web.Response:
    """Memberships of the organization or of a user; filters ``email`` and ``role``."""
    store = context(request).store
    organization, user = optional(request, "organization"), optional(request, "user")
    # Calendly rule: scoped by organization or user; one is required.
    if organization is None and user is None:
        raise bad_request("organization", "organization or user is required")
    if organization is not None:
        check_organization(store, organization)
    user_uuid = check_user(store, user) if user is not None else None
    email = optional(request, "email")
    role = choice_param(request, "role", ("owner", "admin", "user"))

    def load() -> Iterator[OrganizationMembership]:
        for membership in store.memberships.values():
            member = membership.user
            if member is None:
                continue
            if user_uuid is not None and member.uri.rsplit("/", 1)[-1] != user_uuid:
                continue
            if email is not None and (member.email or "").lower() != email.lower():
                continue
            if role is not None and membership.role != role:
                continue
            yield membership

    return list_response(request, load, _CREATED, "created_at:asc")


def _membership(request: web.Request) -> tuple[str, OrganizationMembership]:
    store = context(request).store
    uuid = request.match_info["uuid"]
    membership = lookup(store.memberships, uuid)
    return uuid, membership


@routes.get("/organization_memberships/{uuid}")
async def get_membership(request: web.Request) -> web.Response:
    """``GET /organization_memberships/{uuid}``."""
    return resource(_membership(request)[1])


@routes.delete("/organization_memberships/{uuid}")
async def delete_membership(request: web.Request) -> web.Response:
    """Remove a member (204). The owner cannot be removed (403)."""
    ctx = context(request)
    uuid, membership = _membership(request)
    if membership.role == "owner":
        raise forbidden("The owner of an organization cannot be removed.")
    store = ctx.store
    del store.memberships[uuid]
    member = membership.user.uri if membership.user else ""
    # User-scoped subscriptions stop when their user leaves (reference §7.1).
    for subscription in store.webhooks.values():
        if subscription.scope == "user" and subscription.user == member:
            subscription.state = "disabled"
    email = membership.user.email if membership.user else None
    record_activity(store, ctx.now(), "User", "Remove", {"user": {"uri": member, "email": email}})
    return no_content()


def _own_organization(request: web.Request) -> str:
    store = context(request).store
    org = request.match_info["org_uuid"]
    if org != store.organization_uuid:
        raise forbidden("You do not have permission to access this organization.")
    return org


@routes.get("/organizations/{org_uuid}/invitations")
async def list_invitations(request: web.Request) -> web.Response:
    """Invitations of the organization; filters ``email``, ``status``; sort ``created_at``."""
    _own_organization(request)
    store = context(request).store
    email = optional(request, "email")
    status = choice_param(request, "status", ("pending", "accepted", "declined"))

    def load() -> Iterator[OrganizationInvitation]:
        for invitation in store.invitations.values():
            if email is not None and (invitation.email or "").lower() != email.lower():
                continue
            if status is not None and invitation.status != status:
                continue
            yield invitation

    return list_response(request, load, _CREATED, "created_at:asc")


@routes.post("/organizations/{org_uuid}/invitations")
async def create_invitation(request: web.Request) -> web.Response:
    """Invite an email address (201)."""
    org_uuid = _own_organization(request)
    ctx = context(request)
    store = ctx.store
    email = body_str(await json_body(request), "email") or ""
    if "@" not in email:
        raise bad_request("email", "is not a valid email address")
    lowered = email.lower()
    if any((m.user.email or "").lower() == lowered for m in store.memberships.values() if m.user):
        raise bad_request("email", "is already a member of the organization")
    if any(
        (i.email or "").lower() == lowered and i.status == "pending"
        for i in store.invitations.values()
    ):
        raise bad_request("email", "has already been invited")
    now = ctx.now()
    uuid = store.new_uuid()
    invitation = OrganizationInvitation(
        uri=f"{store.base_url}/organizations/{org_uuid}/invitations/{uuid}",
        organization=store.organization.uri,
        email=email,
        status="pending",
        created_at=now,
        updated_at=now,
        last_sent_at=now,
    )
    store.invitations[uuid] = invitation
    record_activity(store, now, "User", "Invite", {"invitation": {"email": email}})
    return resource(invitation, status=201)


def _invitation(request: web.Request) -> tuple[str, OrganizationInvitation]:
    _own_organization(request)
    uuid = request.match_info["uuid"]
    invitation = lookup(context(request).store.invitations, uuid)
    return uuid, invitation


@routes.get("/organizations/{org_uuid}/invitations/{uuid}")
async def get_invitation(request: web.Request) -> web.Response:
    """One invitation."""
    return resource(_invitation(request)[1])


@routes.delete("/organizations/{org_uuid}/invitations/{uuid}")
async def revoke_invitation(request: web.Request) -> web.Response:
    """Revoke an invitation (204); it is gone afterwards."""
    uuid, invitation = _invitation(request)
    ctx = context(request)
    del ctx.store.invitations[uuid]
    record_activity(ctx.store, ctx.now(), "User", "RevokeInvitation", {"email": invitation.email})
    return no_content()
