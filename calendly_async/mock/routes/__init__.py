"""The mock's request handlers: one module per API area, named like
``calendly_async.resources`` (``routes/event_types.py`` serves what
``resources/event_types.py`` calls), each with its ``routes`` table.

One area has two modules, to keep each small: ``event_types`` (list, get,
available times, create, update, one-off) and ``event_type_settings`` (hosts
and event type availability). Shared request helpers stay one level up
(``mock/_http.py``, ``mock/_listing.py``, ``mock/_actions.py`` ...).

``TABLES`` lists every table in registration order; the OAuth endpoints live in
``mock/_oauth.py``, next to the OAuth client they serve.
"""

from aiohttp import web

from . import (
    activity_log,
    availability,
    contact_lists,
    contacts,
    data_compliance,
    event_type_settings,
    event_types,
    groups,
    locations,
    meeting_recaps,
    no_shows,
    notes,
    organizations,
    outgoing_communications,
    routing_forms,
    scheduled_events,
    scheduling,
    teams,
    users,
    webhooks,
)

__all__ = ["TABLES"]

TABLES: tuple[web.RouteTableDef, ...] = (
    users.routes,
    organizations.routes,
    event_types.routes,
    availability.routes,
    scheduled_events.routes,
    routing_forms.routes,
    webhooks.routes,
    scheduling.routes,
    data_compliance.routes,
    activity_log.routes,
    groups.routes,
    no_shows.routes,
    event_type_settings.routes,
    locations.routes,
    outgoing_communications.routes,
    teams.routes,
    contacts.routes,
    contact_lists.routes,
    notes.routes,
    meeting_recaps.routes,
)
"""Every route table, in the order the application registers them."""
