"""``client.users``: the current user and users by UUID (reference §6.1)."""

from __future__ import annotations

from ..models.users import User
from ._base import Resource

__all__ = ["Users"]


class Users(Resource):
    """Users endpoints."""

    async def me(self) -> User:
        """The user the token belongs to (``GET /users/me``). Seed: getCurrentUser."""
        return await self._get("/users/me", User)

    async def get(self, uuid: str) -> User:
        """A user by UUID or URI (``GET /users/{uuid}``). Seed: getUser."""
        return await self._get(f"/users/{self._uuid(uuid, 'users')}", User)
