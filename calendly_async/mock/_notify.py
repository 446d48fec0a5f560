"""Webhook deliveries: which subscriptions hear an event, and the payload they get.

Calendly rules (reference §7): a delivery is ``{event, created_at, created_by,
payload}``; ``invitee.*`` payloads are the Invitee fields plus the embedded
``scheduled_event``; ``routing_form_submission.created`` carries the submission and
is organization-scoped only. Organization subscriptions hear every event of their
organization, user subscriptions those hosted by their user, group subscriptions
those hosted by a member of their group. Disabled subscriptions hear nothing.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ..models.invitees import Invitee
from ..models.routing_forms import RoutingFormSubmission
from ..models.scheduled_events import ScheduledEvent
from ..models.webhooks import WebhookSubscription
from ..resources._choices import WebhookEventName, choices
from ._context import MockContext
from ._store import Store

__all__ = [
    "ORGANIZATION_ONLY_EVENTS",
    "USER_ONLY_EVENTS",
    "WEBHOOK_EVENTS",
    "notify_invitee",
    "notify_payload",
    "notify_submission",
    "subscribers",
]

WEBHOOK_EVENTS = frozenset(choices(WebhookEventName))
"""Event names a subscription may ask for (reference §7.1)."""

ORGANIZATION_ONLY_EVENTS = frozenset({"routing_form_submission.created"})
USER_ONLY_EVENTS = frozenset(
    {"meeting_recap.created", "meeting_recap.updated", "meeting_recap.deleted"}
)


def _uuid(uri: str | None) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1] if uri else ""


def _hears(store: Store, subscription: WebhookSubscription, host_uuid: str | None) -> bool:
    if _uuid(subscription.organization) != store.organization_uuid:
        return False
    if subscription.scope == "organization":
        return True
    if host_uuid is None:
        return False
    if subscription.scope == "user":
        return _uuid(subscription.user) == host_uuid
    if subscription.scope == "group":
        group = store.groups.get(_uuid(subscription.group))
        return group is not None and host_uuid in group.members
    return False


def subscribers(store: Store, event: str, host_uuid: str | None) -> list[WebhookSubscription]:
    """Active subscriptions to ``event`` that cover a host (``None``: organization-wide)."""
    return [
        subscription
        for subscription in store.webhooks.values()
        if subscription.state == "active"
        and event in subscription.events
        and _hears(store, subscription, host_uuid)
    ]


def _deliver(ctx: MockContext, event: str, payload: dict[str, Any], host_uuid: str | None) -> int:
    store = ctx.store
    targets = subscribers(store, event, host_uuid)
    for subscription in targets:
        webhook_uuid = _uuid(subscription.uri)
        ctx.deliverer.deliver(
            callback_url=subscription.callback_url or "",
            subscription_uri=subscription.uri,
            signing_key=store.signing_keys.get(webhook_uuid),
            event=event,
            payload=payload,
            created_by=subscription.creator or store.owner.uri,
        )
    return len(targets)


def notify_invitee(
    ctx: MockContext, event_name: str, event: ScheduledEvent, invitee: Invitee
) -> int:
    """Deliver ``invitee.created``/``invitee.canceled``; returns how many subscriptions hear it."""
    payload = msgspec.to_builtins(invitee)
    payload["scheduled_event"] = msgspec.to_builtins(event)
    return _deliver(ctx, event_name, payload, Store.host_uuid(event))


def notify_submission(ctx: MockContext, submission: RoutingFormSubmission) -> int:
    """Deliver ``routing_form_submission.created`` to organization subscriptions."""
    payload = msgspec.to_builtins(submission)
    return _deliver(ctx, "routing_form_submission.created", payload, None)


def notify_payload(
    ctx: MockContext, event_name: str, payload: dict[str, Any], host_uuid: str | None
) -> int:
    """Deliver a ``contact.*`` or ``meeting_recap.*`` event with ``payload`` as built by
    its route (the contact, or ``{created_at, event, recap}``); ``host_uuid`` is the
    user it belongs to, for user and group subscriptions."""
    return _deliver(ctx, event_name, payload, host_uuid)
