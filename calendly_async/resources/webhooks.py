"""``client.webhooks``: webhook subscriptions (reference §6.9).

The signing key is a secret: it is sent in the create body only, and never
appears in a repr, an error message or a log line (the transport masks the
``signing_key`` field when it logs bodies).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from urllib.parse import urlsplit

from ..errors import ConflictError, InvalidInputError, NotFoundError
from ..models.webhooks import WebhookSubscription
from ..pagination import Paginator
from ..webhooks import WebhookEvent, parse_event
from ._base import DEFAULT_PAGE_SIZE, Resource, require
from ._choices import CreatedAtSort, WebhookEventName, WebhookScope, choices
from ._inputs import check_choice, check_name, choice_list, optional

__all__ = ["Webhooks"]

SCOPES = choices(WebhookScope)
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
        self, organization: str, scope: WebhookScope, user: str | None, group: str | None
    ) -> dict[str, str | None]:
        # Calendly rule: ``organization`` is always required, even for user and
        # group scopes; ``user`` is required for scope=user, ``group`` for scope=group.
        require(organization, "organization")
        check_choice(scope, WebhookScope, "scope")
        if scope == "user" and not user:
            raise InvalidInputError("user is required when scope is 'user'")
        if scope == "group" and not group:
            raise InvalidInputError("group is required when scope is 'group'")
        return {
            "organization": self._uri(organization, "organizations"),
            "scope": scope,
            "user": optional(self._uri, user, "users"),
            "group": optional(self._uri, group, "groups"),
        }

    async def create(
        self,
        url: str,
        events: WebhookEventName | Sequence[WebhookEventName],
        organization: str,
        scope: WebhookScope,
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
        body = {
            "url": url,
            "events": choice_list(events, WebhookEventName, "events"),
            **self._scope_params(organization, scope, user, group),
            "signing_key": _signing_key(signing_key),
        }
        return await self._send("POST", "/webhook_subscriptions", WebhookSubscription, body)

    def list(
        self,
        organization: str,
        scope: WebhookScope,
        *,
        user: str | None = None,
        group: str | None = None,
        sort: CreatedAtSort | None = None,
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
        params = {
            **self._scope_params(organization, scope, user, group),
            "sort": optional(check_choice, sort, CreatedAtSort, "sort"),
        }
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
        scope: WebhookScope,
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

    async def ensure(
        self,
        url: str,
        events: WebhookEventName | Sequence[WebhookEventName],
        organization: str,
        scope: WebhookScope,
        *,
        user: str | None = None,
        group: str | None = None,
        signing_key: str | None = None,
    ) -> WebhookSubscription:
        """Make sure ``url`` is subscribed to exactly ``events``; idempotent.

        Lists the subscriptions of the scope and keeps an ``active`` one with the
        same callback URL and the same set of events. Calendly has no update and
        never re-enables a ``disabled`` subscription (reference §6.9, §7.2), so a
        disabled one, or one with other events, is deleted and a new one created.
        When the create meets a 409 (someone created it concurrently), the
        subscriptions are listed again: a matching active one is returned,
        anything else for the URL is deleted and the create tried once more.

        Calendly never returns the signing key, so a subscription whose key
        differs cannot be told apart: to rotate a key, ``delete`` and ``create``.

        Parameters
        ----------
        url, events, organization, scope, user, group, signing_key:
            As for ``create``.

        Returns
        -------
        WebhookSubscription
            The kept or newly created subscription.

        Raises
        ------
        InvalidInputError
            A required argument is missing or malformed (before any request).
        ConflictError
            The create still conflicts after one clean-up (the URL is taken in
            another scope, or the race went on).
        """
        check_callback_url(url)
        wanted = choice_list(events, WebhookEventName, "events")
        self._scope_params(organization, scope, user, group)
        _signing_key(signing_key)

        async def reconcile() -> WebhookSubscription | None:
            return await self._reconcile(url, wanted, organization, scope, user, group)

        async def create() -> WebhookSubscription:
            return await self.create(
                url, events, organization, scope, user=user, group=group, signing_key=signing_key
            )

        kept = await reconcile()
        if kept is not None:
            return kept
        try:
            return await create()
        except ConflictError:
            # Someone created it between our list and our create (reference §6.9: 409).
            return await reconcile() or await create()

    async def _reconcile(
        self,
        url: str,
        events: builtins.list[str],
        organization: str,
        scope: WebhookScope,
        user: str | None,
        group: str | None,
    ) -> WebhookSubscription | None:
        """Return the active subscription of ``url`` with ``events``; delete the others."""
        listed = await self.list(organization, scope, user=user, group=group).collect()
        same_url = [s for s in listed if s.callback_url == url]
        kept = next(
            (s for s in same_url if s.state == "active" and set(s.events) == set(events)), None
        )
        for subscription in same_url:
            if subscription is kept:
                continue
            try:
                await self.delete(subscription.uri)
            except NotFoundError:
                continue
        return kept

    async def sample(
        self,
        event: WebhookEventName,
        organization: str,
        scope: WebhookScope,
        *,
        user: str | None = None,
        group: str | None = None,
    ) -> WebhookEvent:
        """Calendly's sample delivery of ``event`` (``GET /sample_webhook_data``).

        The body is a bare webhook envelope (reference §1), decoded like a real
        delivery by ``calendly_async.webhooks.parse_event``.

        Parameters
        ----------
        event:
            The event name, e.g. ``invitee.created``.
        organization, scope, user, group:
            As for ``list``.

        Raises
        ------
        InvalidInputError
            A required argument is missing or malformed (before any request).
        InvalidPayloadError
            The body is not a webhook envelope (a ``DecodeError``).
        """
        params = {
            "event": check_choice(event, WebhookEventName, "event"),
            **self._scope_params(organization, scope, user, group),
        }
        response = await self._transport.request("GET", "/sample_webhook_data", params=params)
        return parse_event(response.body)

    def _path(self, uuid: str) -> str:
        webhook = self._uuid(uuid, "webhook_subscriptions", what="webhook subscription")
        return f"/webhook_subscriptions/{webhook}"


def _signing_key(value: object) -> str | None:
    """A signing key given is a non-blank string; its value is never quoted (a secret)."""
    return optional(check_name, value, "signing_key")
