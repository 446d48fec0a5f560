"""Webhook subscriptions (reference §6.9, §7.1).

Calendly rules: ``organization`` and ``scope`` are always required (``user`` for
scope ``user``, ``group`` for scope ``group``); one subscription per callback URL
(409 "Hook with this url already exists"); ``routing_form_submission.created`` is
organization-scoped only and ``meeting_recap.*`` user-scoped only; the signing
key is stored but never returned.

``GET /sample_webhook_data`` answers a sample delivery of a webhook event: ``event``,
``organization`` and ``scope`` are required, ``user`` / ``group`` as above (a
Calendly-style 400 names the missing or unknown one), with the same scope limits;
the answer is the bare envelope ``{event, created_at, created_by, payload}``, not
wrapped in ``resource`` (reference §1, §7.2).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from ...models.webhooks import WebhookSubscription
from .._actions import record_activity
from .._context import context
from .._http import (
    bad_request,
    body_list,
    body_str,
    choice_param,
    conflict,
    json_body,
    json_response,
    lookup,
    no_content,
    not_found,
    optional,
    required,
    resource,
    uuid_of,
)
from .._listing import check_organization, check_user, list_response
from .._notify import ORGANIZATION_ONLY_EVENTS, USER_ONLY_EVENTS, WEBHOOK_EVENTS
from .._paging import micros
from .._sample import Hosts, sample_payload
from .._store import Store

__all__ = ["SCOPES", "routes", "scope_owner"]

routes = web.RouteTableDef()

SCOPES = ("organization", "user", "group")
_CREATED = {"created_at": lambda item: micros(item.created_at)}


def scope_owner(
    store: Store, scope: str, user: str | None, group: str | None
) -> tuple[str | None, str | None]:
    """The user and group URIs a scope needs (400 when missing)."""
    user_uri = group_uri = None
    if scope == "user":
        if user is None:
            raise bad_request("user", "is required when scope is user")
        user_uri = store.uri("users", check_user(store, user))
    if scope == "group":
        if group is None:
            raise bad_request("group", "is required when scope is group")
        if uuid_of(group) not in store.groups:
            raise not_found()
        group_uri = store.uri("groups", uuid_of(group))
    return user_uri, group_uri


def _check_events(events: list[str], scope: str) -> None:
    for name in events:
        if name not in WEBHOOK_EVENTS:
            raise bad_request("events", f"{name!r} is not a webhook event")
        if name in ORGANIZATION_ONLY_EVENTS and scope != "organization":
            raise bad_request("events", f"{name} needs scope organization")
        if name in USER_ONLY_EVENTS and scope != "user":
            raise bad_request("events", f"{name} needs scope user")


def _callback_url(body: Mapping[str, Any]) -> str:
    url = body_str(body, "url") or ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise bad_request("url", "must be an absolute http(s) URL")
    return url


@routes.post("/webhook_subscriptions")
async def create_webhook(request: web.Request) -> web.Response:
    """Create a subscription (201); 409 when the URL is already subscribed."""
    ctx = context(request)
    store = ctx.store
    body = await json_body(request)
    url = _callback_url(body)
    events = body_list(body, "events")
    check_organization(store, body_str(body, "organization") or "")
    scope = body_str(body, "scope") or ""
    if scope not in SCOPES:
        raise bad_request("scope", f"must be one of {', '.join(SCOPES)}")
    user_uri, group_uri = scope_owner(
        store, scope, body_str(body, "user", need=False), body_str(body, "group", need=False)
    )
    _check_events(events, scope)
    signing_key = body.get("signing_key")
    if signing_key is not None and (not isinstance(signing_key, str) or not signing_key):
        raise bad_request("signing_key", "must be a non-empty string")
    if any(s.callback_url == url for s in store.webhooks.values()):
        raise conflict("Hook with this url already exists")
    now = ctx.now()
    uuid = store.new_uuid()
    subscription = WebhookSubscription(
        uri=store.uri("webhook_subscriptions", uuid),
        callback_url=url,
        created_at=now,
        updated_at=now,
        state="active",
        events=sorted(set(events)),
        scope=scope,
        organization=store.organization.uri,
        user=user_uri,
        group=group_uri,
        creator=store.owner.uri,
    )
    store.webhooks[uuid] = subscription
    if signing_key:
        store.signing_keys[uuid] = signing_key
    record_activity(store, now, "Webhook", "Create", {"callback_url": url, "events": events})
    return resource(subscription, status=201)


@routes.get("/webhook_subscriptions")
async def list_webhooks(request: web.Request) -> web.Response:
    """Subscriptions of a scope (``organization`` and ``scope`` required); sort ``created_at``."""
    store = context(request).store
    check_organization(store, required(request, "organization"))
    scope = choice_param(request, "scope", SCOPES)
    if scope is None:
        raise bad_request("scope", "is required")
    user_uri, group_uri = scope_owner(
        store, scope, optional(request, "user"), optional(request, "group")
    )

    def load() -> Iterator[WebhookSubscription]:
        for subscription in store.webhooks.values():
            if subscription.scope != scope:
                continue
            if user_uri is not None and subscription.user != user_uri:
                continue
            if group_uri is not None and subscription.group != group_uri:
                continue
            yield subscription

    return list_response(request, load, _CREATED, "created_at:asc")


def _webhook(request: web.Request) -> tuple[str, WebhookSubscription]:
    uuid = request.match_info["uuid"]
    subscription = lookup(context(request).store.webhooks, uuid)
    return uuid, subscription


@routes.get("/webhook_subscriptions/{uuid}")
async def get_webhook(request: web.Request) -> web.Response:
    """One subscription (never its signing key)."""
    return resource(_webhook(request)[1])


@routes.delete("/webhook_subscriptions/{uuid}")
async def delete_webhook(request: web.Request) -> web.Response:
    """Delete a subscription (204)."""
    uuid, subscription = _webhook(request)
    ctx = context(request)
    del ctx.store.webhooks[uuid]
    ctx.store.signing_keys.pop(uuid, None)
    record_activity(
        ctx.store, ctx.now(), "Webhook", "Delete", {"callback_url": subscription.callback_url}
    )
    return no_content()


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
