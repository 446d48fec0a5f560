"""``client.locations``: the meeting locations a user can offer (reference §6.5)."""

from __future__ import annotations

from ..models.locations import MeetingLocation
from ._base import Resource, require

__all__ = ["Locations"]


class Locations(Resource):
    """Meeting location endpoint."""

    async def list(self, user: str) -> list[MeetingLocation]:
        """The location kinds ``user`` can offer, and which are connected (``GET /locations``).

        Calendly returns them all at once (no pagination).

        Parameters
        ----------
        user:
            The user's UUID or URI.

        Raises
        ------
        InvalidInputError
            ``user`` is missing or malformed.
        """
        require(user, "user")
        return await self._collection(
            "/locations", MeetingLocation, {"user": self._uri(user, "users")}
        )
