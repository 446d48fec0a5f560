"""``client.groups`` and ``client.group_relationships`` (reference §6.3)."""

from __future__ import annotations

from ..errors import InvalidInputError
from ..models.groups import Group, GroupRelationship
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource, require
from ._inputs import optional

__all__ = ["GroupRelationships", "Groups"]


class Groups(Resource):
    """Group endpoints."""

    def list(
        self, organization: str, *, count: int = DEFAULT_PAGE_SIZE, page_token: str | None = None
    ) -> Paginator[Group]:
        """Groups of an organization (``GET /groups``).

        Parameters
        ----------
        organization:
            The organization's UUID or URI.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``organization`` is missing or malformed, or ``count`` is out of range.
        """
        require(organization, "organization")
        params = {"organization": self._uri(organization, "organizations")}
        return self._list("/groups", Group, params, count=count, page_token=page_token)

    async def get(self, uuid: str) -> Group:
        """A group by UUID or URI (``GET /groups/{uuid}``)."""
        return await self._get(f"/groups/{self._uuid(uuid, 'groups')}", Group)


class GroupRelationships(Resource):
    """Group relationship endpoints: who is a member or an admin of which group."""

    def list(
        self,
        *,
        organization: str | None = None,
        owner: str | None = None,
        group: str | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[GroupRelationship]:
        """Group relationships, filtered (``GET /group_relationships``).

        Parameters
        ----------
        organization:
            The organization's UUID or URI.
        owner:
            Whose relationships: an organization membership (UUID or URI) or an
            organization invitation (its URI,
            ``.../organizations/{org}/invitations/{uuid}``). A bare UUID is
            taken as a membership.
        group:
            The group's UUID or URI.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            An identifier is malformed or ``count`` is out of range.
        """
        params = {
            "organization": optional(self._uri, organization, "organizations"),
            "owner": optional(self._owner_uri, owner),
            "group": optional(self._uri, group, "groups"),
        }
        return self._list(
            "/group_relationships", GroupRelationship, params, count=count, page_token=page_token
        )

    def _owner_uri(self, value: str) -> str:
        # Calendly rule (reference §6.3): ``owner`` is an organization-membership
        # URI or an organization-invitation URI.
        try:
            return self._uri(value, "organization_memberships", "owner")
        except InvalidInputError:
            if isinstance(value, str) and "/invitations/" in value:
                return self._uri(value, "invitations", "owner")
            raise

    async def get(self, uuid: str) -> GroupRelationship:
        """A group relationship by UUID or URI (``GET /group_relationships/{uuid}``)."""
        path = f"/group_relationships/{self._uuid(uuid, 'group_relationships')}"
        return await self._get(path, GroupRelationship)
