"""Users (reference §6.1): ``GET /users/{uuid}``, where ``me`` is the token's user."""

from __future__ import annotations

from aiohttp import web

from .._context import context
from .._http import resource
from .._listing import check_user

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.get("/users/{uuid}")
async def get_user(request: web.Request) -> web.Response:
    """``GET /users/{uuid}``; ``me`` is the token's user."""
    store = context(request).store
    uuid = check_user(store, request.match_info["uuid"], missing="not_found")
    return resource(store.users[uuid])
