"""``client.webhooks``: webhook subscriptions (reference §6.9).

The signing key is a secret: it is sent in the create body only, and never
appears in a repr, an error message or a log line (the transport masks the
``signing_key`` field when it logs bodies).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from urllib.parse import urlsplit

from .._params import name_list
from ..errors import InvalidInputError, NotFoundError
from ..models.webhooks import WebhookSubscription
from ..pagination import Paginator
from ._base import DEFAULT_PAGE_SIZE, Resource, require

__all__ = ["Webhooks"]

SCOPES = ("organization", "user", "group")
"""The scopes a webhook subscription can have."""


def check_callback_url(url: str) -> str:
    """Refuse a callback URL that is not an absolute http(s) URL."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInputError(f"url {url!r} must be an absolute http(s) URL")
    return url


class Webhooks(Resource):
    """Webhook subscription endpoints."""

    def _scope_params(
        self, organization: str, scope: str, user: str | None, group: str | None
    ) -> dict[str, str | None]:
        # Calendly rule: ``organization`` is always required, even for user and
        # group scopes; ``user`` is required for scope=user, ``group`` for scope=group.
        require(organization, "organization")
        if scope not in SCOPES:
            raise InvalidInputError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
        if scope == "user" and not user:
            raise InvalidInputError("user is required when scope is 'user'")
        if scope == "group" and not group:
            raise InvalidInputError("group is required when scope is 'group'")
        return {
            "organization": self._uri(organization, "organizations"),
            "scope": scope,
            "user": self._uri(user, "users") if user else None,
            "group": self._uri(group, "groups") if group else None,
        }

    async def create(
        self,
        url: str,
        events: str | Sequence[str],
        organization: str,
        scope: str,
        *,
        user: str | None = None,
        group: str | None = None,
        signing_key: str | None = None,
    ) -> WebhookSubscription:
        """Subscribe ``url`` to ``events`` (``POST /webhook_subscriptions``).

        Seed: createWebhookSubscription.

        Parameters
        ----------
        url:
            The http(s) callback URL; Calendly allows one subscription per URL.
        events:
            Event names such as ``invitee.created`` (at least one).
        organization:
            The organization's UUID or URI (required for every scope).
        scope:
            ``organization``, ``user`` or ``group``.
        user, group:
            Required for the ``user`` and ``group`` scopes.
        signing_key:
            Secret Calendly signs deliveries with (personal-access-token users);
            OAuth apps use the app's key.

        Raises
        ------
        InvalidInputError
            A required argument is missing or malformed (before any request).
        ConflictError
            A subscription for this URL already exists (409).
        PermissionDeniedError
            The plan does not include webhooks, or a scope is missing (403).
        """
        check_callback_url(url)
        event_names = name_list(events, "events")
        require(event_names, "events")
        if signing_key is not None and not signing_key.strip():
            raise InvalidInputError("signing_key must not be empty when given")
        body = {
            "url": url,
            "events": event_names,
            **self._scope_params(organization, scope, user, group),
            "signing_key": signing_key,
        }
        return await self._send("POST", "/webhook_subscriptions", WebhookSubscription, body)

    def list(
        self,
        organization: str,
        scope: str,
        *,
        user: str | None = None,
        group: str | None = None,
        sort: str | None = None,
        count: int = DEFAULT_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Paginator[WebhookSubscription]:
        """Subscriptions of an organization, user or group (``GET /webhook_subscriptions``).

        Seed: listWebhookSubscription.

        Parameters
        ----------
        organization:
            The organization's UUID or URI.
        scope:
            ``organization``, ``user`` or ``group``.
        user, group:
            Required for the ``user`` and ``group`` scopes.
        sort:
            ``created_at:asc`` or ``created_at:desc``.
        count, page_token:
            Page size (1-100) and a token to resume from.

        Raises
        ------
        InvalidInputError
            A required argument is missing or malformed, or ``count`` is out of range.
        """
        params = {**self._scope_params(organization, scope, user, group), "sort": sort}
        return self._list(
            "/webhook_subscriptions",
            WebhookSubscription,
            params,
            count=count,
            page_token=page_token,
        )

    async def get(self, uuid: str) -> WebhookSubscription:
        """A subscription by UUID or URI (``GET /webhook_subscriptions/{uuid}``).

        Seed: getWebhookSubscription.
        """
        return await self._get(self._path(uuid), WebhookSubscription)

    async def delete(self, uuid: str) -> None:
        """Delete a subscription (``DELETE /webhook_subscriptions/{uuid}``, 204).

        Seed: deleteWebhookSubscription.
        """
        await self._delete(self._path(uuid))

    async def delete_matching(
        self,
        organization: str,
        scope: str,
        *,
        user: str | None = None,
        callback_url: str | None = None,
    ) -> builtins.list[WebhookSubscription]:
        """Delete the subscriptions of a scope that point at ``callback_url``.

        Seed: deleteInstancedWebhooks. Lists every subscription of the
        organization (and user, for scope ``user``), then deletes each whose
        ``callback_url`` equals ``callback_url`` exactly, or every one when
        ``callback_url`` is ``None``. A subscription that is already gone (404)
        is skipped.

        Returns
        -------
        list[WebhookSubscription]
            The subscriptions this call deleted, in listing order.

        Raises
        ------
        InvalidInputError
            A required argument is missing or malformed (before any request).
        """
        if callback_url is not None:
            check_callback_url(callback_url)
        listed = await self.list(organization, scope, user=user).collect()
        deleted: builtins.list[WebhookSubscription] = []
        for subscription in listed:
            if callback_url is not None and subscription.callback_url != callback_url:
                continue
            try:
                await self.delete(subscription.uri)
            except NotFoundError:
                continue
            deleted.append(subscription)
        return deleted

    def _path(self, uuid: str) -> str:
        webhook = self._uuid(uuid, "webhook_subscriptions", what="webhook subscription")
        return f"/webhook_subscriptions/{webhook}"
