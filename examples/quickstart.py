"""Quick start with no Calendly account: the SDK against the embedded mock server.

Starts ``calendly_async.mock.MockCalendly`` on 127.0.0.1 (a seeded, stateful
Calendly-compatible server) and walks through the SDK: typed models, pagination
with read-ahead, rate-limit headers, availability over more than Calendly's
31-day window, a webhook subscription whose signed delivery reaches a local
``WebhookReceiver``, and a typed error.

Run: ``python examples/quickstart.py``
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from aiohttp import web

from calendly_async import Calendly, NotFoundError
from calendly_async.mock import MockCalendly
from calendly_async.webhooks import InviteePayload, WebhookEvent, WebhookReceiver

SIGNING_KEY = "quickstart-signing-key"


async def start_receiver(received: list[WebhookEvent]) -> tuple[web.AppRunner, str]:
    """A local webhook endpoint that verifies signatures and records deliveries."""
    receiver = WebhookReceiver(SIGNING_KEY)

    @receiver.on("invitee.canceled")
    async def on_canceled(event: WebhookEvent) -> None:
        received.append(event)

    runner = web.AppRunner(receiver.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}{receiver.path}"


async def main() -> None:
    received: list[WebhookEvent] = []
    runner, callback_url = await start_receiver(received)
    try:
        async with (
            MockCalendly(seed=42, users=4, event_types=3, events=600) as mock,
            Calendly(token=mock.token, base_url=mock.url) as client,
        ):
            me = await client.users.me()
            print(f"me: {me.name} <{me.email}>, organization {me.current_organization}")
            rate = client.last_response.rate_limit if client.last_response else None
            if rate is not None:
                print(f"rate limit: {rate.remaining} of {rate.limit} requests left this minute")

            organization = me.current_organization or mock.organization_uri
            statuses: Counter[str] = Counter()
            pages = 0
            async for page in client.scheduled_events.list(organization=organization).pages():
                pages += 1
                statuses.update(event.status or "unknown" for event in page.items)
            print(f"scheduled events: {dict(statuses)} over {pages} pages of up to 100")

            event_type = (await client.event_types.list(user=me.uri).collect(limit=1))[0]
            now = datetime.now(UTC)
            slots = await client.event_types.available_times(
                event_type.uri, now + timedelta(hours=1), now + timedelta(days=45)
            )
            print(f"'{event_type.name}': {len(slots)} open slots in the next 45 days "
                  "(fetched as two windows: Calendly allows 31 days per request)")

            await client.webhooks.ensure(
                callback_url,
                ["invitee.canceled"],
                organization,
                "organization",
                signing_key=SIGNING_KEY,
            )
            upcoming = client.scheduled_events.list(
                organization=organization, status="active", min_start_time=now
            )
            async for event in upcoming:
                if event.invitees_counter and event.invitees_counter.active:
                    await client.scheduled_events.cancel(event.uri, reason="quick start")
                    break
            await mock.deliverer.drain()
            for delivery in received:
                payload = delivery.payload
                assert isinstance(payload, InviteePayload)
                print(f"webhook: signed {delivery.event} for {payload.email}, verified")

            try:
                await client.scheduled_events.get("NO-SUCH-EVENT")
            except NotFoundError as error:
                print(f"typed error: {type(error).__name__}: {error.status} {error.title}")
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
