"""``client.teams`` (reference §6.2: ``GET /teams``, ``GET /teams/{team_uuid}``)."""

from __future__ import annotations

from ..models.teams import Team
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource
from ._inputs import optional

__all__ = ["Teams"]


class Teams(Resource):
    """Team endpoints."""

    def list(
        self,
        *,
        user: str | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[Team]:
        """Teams, optionally only those of one user (``GET /teams``).

        Parameters
        ----------
        user:
            The user's UUID or URI: only teams this user belongs to.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            ``user`` is malformed or ``count`` is out of range.
        """
        params = {"user": optional(self._uri, user, "users")}
        return self._list("/teams", Team, params, count=count, page_token=page_token)

    async def get(self, uuid: str) -> Team:
        """A team by UUID or URI (``GET /teams/{team_uuid}``)."""
        return await self._get(f"/teams/{self._uuid(uuid, 'teams')}", Team)
