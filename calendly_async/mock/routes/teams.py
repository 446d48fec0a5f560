"""Teams (reference §6.2): ``GET /teams`` (optionally one user's) and ``GET /teams/{uuid}``."""

from __future__ import annotations

from collections.abc import Iterator

from aiohttp import web

from ...models.teams import Team
from .._context import context
from .._http import lookup, optional, resource
from .._listing import check_user, list_response
from .._paging import micros

__all__ = ["routes"]

routes = web.RouteTableDef()

_FIELDS = {"created_at": lambda team: micros(team.created_at)}


@routes.get("/teams")
async def list_teams(request: web.Request) -> web.Response:
    """The organization's teams; ``user`` keeps the teams that user belongs to."""
    store = context(request).store
    crm = store.crm
    user = optional(request, "user")
    user_uuid = check_user(store, user) if user is not None else None

    def load() -> Iterator[Team]:
        for uuid, team in crm.teams.items():
            if user_uuid is None or user_uuid in crm.team_members.get(uuid, set()):
                yield team

    return list_response(request, load, _FIELDS, "created_at:asc")


@routes.get("/teams/{team_uuid}")
async def get_team(request: web.Request) -> web.Response:
    """One team."""
    return resource(lookup(context(request).store.crm.teams, request.match_info["team_uuid"]))
