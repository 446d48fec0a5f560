"""``GET /sample_webhook_data``: a sample delivery of a webhook event (reference §6.9).

Calendly rules: ``event``, ``organization`` and ``scope`` are required, ``user``
for scope ``user`` and ``group`` for scope ``group`` (a Calendly-style 400 names
the missing or unknown one); ``routing_form_submission.created`` is
organization-scoped only and ``meeting_recap.*`` user-scoped only (reference
§7.1); the answer is the bare envelope ``{event, created_at, created_by,
payload}``, not wrapped in ``resource`` (reference §1, §7.2).
"""

from __future__ import annotations

from aiohttp import web

from .._context import context
from .._http import bad_request, json_response, optional, required, uuid_of
from .._listing import check_organization
from .._notify import ORGANIZATION_ONLY_EVENTS, USER_ONLY_EVENTS, WEBHOOK_EVENTS
from .._sample import Hosts, sample_payload
from .._store import Store
from .webhooks import SCOPES, scope_owner

__all__ = ["routes"]

routes = web.RouteTableDef()


def _event_name(request: web.Request) -> str:
    name = required(request, "event")
    if name not in WEBHOOK_EVENTS:
        raise bad_request("event", f"must be one of {', '.join(sorted(WEBHOOK_EVENTS))}")
    return name


def _scope(request: web.Request, name: str) -> str:
    scope = required(request, "scope")
    if scope not in SCOPES:
        raise bad_request("scope", f"must be one of {', '.join(SCOPES)}")
    if name in ORGANIZATION_ONLY_EVENTS and scope != "organization":
        raise bad_request("scope", f"{name} needs scope organization")
    if name in USER_ONLY_EVENTS and scope != "user":
        raise bad_request("scope", f"{name} needs scope user")
    return scope


def _hosts(store: Store, user_uri: str | None, group_uri: str | None) -> Hosts:
    if user_uri is not None:
        return frozenset({uuid_of(user_uri)})
    if group_uri is not None:
        return frozenset(store.groups[uuid_of(group_uri)].members)
    return None


@routes.get("/sample_webhook_data")
async def sample_webhook_data(request: web.Request) -> web.Response:
    """The bare webhook envelope of ``event`` for the scope, built from the mock's data."""
    ctx = context(request)
    store = ctx.store
    name = _event_name(request)
    check_organization(store, required(request, "organization"))
    scope = _scope(request, name)
    user_uri, group_uri = scope_owner(
        store, scope, optional(request, "user"), optional(request, "group")
    )
    now = ctx.now()
    envelope = {
        "event": name,
        "created_at": now,
        "created_by": store.owner.uri,
        "payload": sample_payload(store, name, _hosts(store, user_uri, group_uri), now),
    }
    return json_response(envelope)
