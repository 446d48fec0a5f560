"""Webhook subscriptions (reference §8 "WebhookSubscription")."""

from __future__ import annotations

import msgspec

from ._base import Model, Timestamp

__all__ = ["WebhookSubscription"]


class WebhookSubscription(Model):
    """A webhook subscription.

    ``state`` is ``active`` or ``disabled`` (Calendly disables a subscription
    after 24 hours of failed deliveries, reference §7.2; delete and recreate it).
    ``scope`` is ``organization``, ``user`` or ``group``. The signing key is
    never returned by Calendly, so it is not part of this model.
    """

    uri: str
    callback_url: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    retry_started_at: Timestamp | None = None
    state: str | None = None
    events: list[str] = msgspec.field(default_factory=list)
    scope: str | None = None
    organization: str | None = None
    user: str | None = None
    group: str | None = None
    creator: str | None = None
