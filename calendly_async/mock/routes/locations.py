"""Meeting locations a user can offer (reference §6.5).

Calendly rule: ``GET /locations?user=`` answers ``{collection: [{kind,
connected?}]}`` without pagination; ``connected`` is only set for conferencing
kinds. The mock offers every kind the user's event types use (conferencing ones
connected), plus ``ask_invitee``.
"""

from __future__ import annotations

from aiohttp import web

from ...models.locations import MeetingLocation
from .._context import context
from .._http import collection, required
from .._listing import check_user

__all__ = ["routes"]

routes = web.RouteTableDef()

CONFERENCE_KINDS = frozenset(
    {
        "zoom_conference",
        "google_conference",
        "microsoft_teams_conference",
        "webex_conference",
        "gotomeeting_conference",
    }
)


@routes.get("/locations")
async def list_locations(request: web.Request) -> web.Response:
    """The location kinds of ``user`` (required), in first-use order."""
    store = context(request).store
    user = store.uri("users", check_user(store, required(request, "user")))
    kinds: dict[str, None] = {}
    for event_type in store.event_types.values():
        if (
            event_type.deleted_at is None
            and event_type.profile
            and event_type.profile.owner == user
        ):
            for config in event_type.locations or []:
                if config.kind:
                    kinds.setdefault(config.kind)
    kinds.setdefault("ask_invitee")
    return collection(
        [
            MeetingLocation(kind=kind, connected=True if kind in CONFERENCE_KINDS else None)
            for kind in kinds
        ]
    )
