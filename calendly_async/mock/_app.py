"""The aiohttp application: middlewares in order and every route table."""

from __future__ import annotations

from aiohttp import web

from . import (
    _oauth,
    _routes_communications,
    _routes_compliance,
    _routes_contact_lists,
    _routes_contacts,
    _routes_event_type_settings,
    _routes_event_type_write,
    _routes_event_types,
    _routes_events,
    _routes_forms,
    _routes_groups,
    _routes_invitees,
    _routes_locations,
    _routes_meeting_recaps,
    _routes_no_shows,
    _routes_notes,
    _routes_org,
    _routes_sample,
    _routes_scheduling,
    _routes_teams,
    _routes_webhooks,
)
from ._context import CTX, MockContext
from ._faults import fault_middleware
from ._middleware import auth_middleware, envelope_middleware
from ._oauth import CLIENT_KEY, OAuthClient

__all__ = ["build_app"]

_TABLES = (
    _routes_org.routes,
    _routes_event_types.routes,
    _routes_events.routes,
    _routes_forms.routes,
    _routes_webhooks.routes,
    _routes_sample.routes,
    _routes_scheduling.routes,
    _routes_compliance.routes,
    _routes_groups.routes,
    _routes_no_shows.routes,
    _routes_event_type_write.routes,
    _routes_event_type_settings.routes,
    _routes_locations.routes,
    _routes_communications.routes,
    _routes_invitees.routes,
    _routes_teams.routes,
    _routes_contacts.routes,
    _routes_contact_lists.routes,
    _routes_notes.routes,
    _routes_meeting_recaps.routes,
    _oauth.routes,
)


def build_app(ctx: MockContext, client: OAuthClient) -> web.Application:
    """The mock's application (faults outermost, then error bodies, then auth)."""
    app = web.Application(middlewares=[fault_middleware, envelope_middleware, auth_middleware])
    app[CTX] = ctx
    app[CLIENT_KEY] = client
    for table in _TABLES:
        app.router.add_routes(table)
    return app
