"""``client.organizations``, ``client.organization_memberships`` and
``client.organization_invitations`` (reference §6.2)."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..errors import InvalidInputError
from ..models.organizations import Organization, OrganizationInvitation, OrganizationMembership
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource
from ._choices import CreatedAtSort, InvitationStatus, MembershipRole
from ._inputs import check_choice, check_email, optional

__all__ = ["OrganizationInvitations", "OrganizationMemberships", "Organizations"]


class Organizations(Resource):
    """Organizations endpoints."""

    async def get(self, uuid: str) -> Organization:
        """An organization by UUID or URI (``GET /organizations/{uuid}``).

        Raises
        ------
        InvalidInputError
            ``uuid`` is not an organization UUID or URI.
        """
        return await self._get(f"/organizations/{self._uuid(uuid, 'organizations')}", Organization)


class OrganizationMemberships(Resource):
    """Organization membership endpoints."""

    def list(
        self,
        *,
        organization: str | None = None,
        user: str | None = None,
        email: str | None = None,
        role: MembershipRole | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[OrganizationMembership]:
        """Memberships of an organization or of a user (``GET /organization_memberships``).

        Seed: listOrganizationMemberships.

        Parameters
        ----------
        organization, user:
            UUIDs or URIs; at least one is required. Listing a whole organization
            needs an admin or owner token.
        email:
            Only the member with this email.
        role:
            ``owner``, ``admin`` or ``user``.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            Neither ``organization`` nor ``user`` was given, an identifier is
            malformed, or ``count`` is out of range.
        """
        # Calendly rule: the list is scoped by ``organization`` or ``user`` (one is needed).
        if organization is None and user is None:
            raise InvalidInputError("organization or user is required")
        params = {
            "organization": optional(self._uri, organization, "organizations"),
            "user": optional(self._uri, user, "users"),
            "email": optional(check_email, email),
            "role": optional(check_choice, role, MembershipRole, "role"),
        }
        return self._list(
            "/organization_memberships",
            OrganizationMembership,
            params,
            count=count,
            page_token=page_token,
        )

    async def get(self, uuid: str) -> OrganizationMembership:
        """A membership by UUID or URI (``GET /organization_memberships/{uuid}``).

        Seed: getOrganizationMembership.
        """
        path = f"/organization_memberships/{self._uuid(uuid, 'organization_memberships')}"
        return await self._get(path, OrganizationMembership)

    async def delete(self, uuid: str) -> None:
        """Remove a user from the organization (``DELETE /organization_memberships/{uuid}``).

        Seed: removeUserFromOrganization. Admins only; the owner cannot be removed
        (Calendly answers 403).
        """
        await self._delete(
            f"/organization_memberships/{self._uuid(uuid, 'organization_memberships')}"
        )


class OrganizationInvitations(Resource):
    """Organization invitation endpoints (``/organizations/{uuid}/invitations``)."""

    def _path(self, org_uuid: str, uuid: str | None = None) -> str:
        org = self._uuid(org_uuid, "organizations")
        path = f"/organizations/{org}/invitations"
        if uuid is None:
            return path
        return f"{path}/{_invitation_uuid(uuid, org)}"

    def list(
        self,
        org_uuid: str,
        *,
        email: str | None = None,
        status: InvitationStatus | None = None,
        sort: CreatedAtSort | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[OrganizationInvitation]:
        """Invitations of an organization (``GET /organizations/{uuid}/invitations``).

        Seed: listOrganizationInvitations.

        Parameters
        ----------
        org_uuid:
            The organization's UUID or URI.
        email:
            Only invitations sent to this address.
        status:
            ``pending``, ``accepted`` or ``declined``.
        sort:
            ``created_at:asc`` (Calendly's default) or ``created_at:desc``.
        count, page_token:
            Page size (1-100) and a token to resume from.
        """
        params = {
            "email": optional(check_email, email),
            "status": optional(check_choice, status, InvitationStatus, "status"),
            "sort": optional(check_choice, sort, CreatedAtSort, "sort"),
        }
        return self._list(
            self._path(org_uuid), OrganizationInvitation, params, count=count, page_token=page_token
        )

    async def get(self, org_uuid: str, uuid: str) -> OrganizationInvitation:
        """One invitation (``GET /organizations/{org_uuid}/invitations/{uuid}``).

        Seed: getOrganizationInvitation. ``uuid`` may be the invitation's URI; it
        must then belong to ``org_uuid``.
        """
        return await self._get(self._path(org_uuid, uuid), OrganizationInvitation)

    async def create(self, org_uuid: str, email: str) -> OrganizationInvitation:
        """Invite ``email`` to the organization (``POST /organizations/{uuid}/invitations``).

        Seed: inviteUserToOrganization. Calendly answers 403 when the
        organization has no free seat or uses SCIM.
        """
        body = {"email": check_email(email)}
        return await self._send("POST", self._path(org_uuid), OrganizationInvitation, body)

    async def revoke(self, org_uuid: str, uuid: str) -> None:
        """Revoke an invitation (``DELETE /organizations/{org_uuid}/invitations/{uuid}``).

        Seed: revokeUserOrganizationInvitation.
        """
        await self._delete(self._path(org_uuid, uuid))


def _invitation_uuid(value: str, org_uuid: str) -> str:
    """The invitation UUID; an invitation URI must sit under ``org_uuid``.

    Invitation URIs are ``.../organizations/{org}/invitations/{uuid}``.
    """
    uuid = Resource._uuid(value, "invitations", "invitation")
    if "/" in value:
        segments = [s for s in urlsplit(value.strip()).path.split("/") if s]
        if len(segments) >= 4 and segments[-4] == "organizations" and segments[-3] != org_uuid:
            raise InvalidInputError(
                f"invitation {value!r} belongs to organization {segments[-3]!r}, not {org_uuid!r}"
            )
    return uuid
