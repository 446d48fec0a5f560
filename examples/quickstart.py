"""Quick start with no Calendly account: a tiny local stand-in API, the real SDK.

Starts an aiohttp server on 127.0.0.1 that answers like Calendly (``/users/me`` and
a paginated ``/scheduled_events``), then uses ``calendly_async`` against it:
typed models, pagination with read-ahead, rate-limit headers, typed errors.
(The full embedded mock server replaces this stand-in.)

Run: ``python examples/quickstart.py``
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from calendly_async import Calendly, NotFoundError

TOKEN = "quickstart-token"
EVENTS = 250


def _event(base: str, index: int) -> dict[str, Any]:
    start = datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(hours=index)
    return {
        "uri": f"{base}/scheduled_events/EV{index:06d}",
        "name": "30 Minute Meeting",
        "status": "active" if index % 7 else "canceled",
        "start_time": start.isoformat().replace("+00:00", "Z"),
        "end_time": (start + timedelta(minutes=30)).isoformat().replace("+00:00", "Z"),
        "event_type": f"{base}/event_types/ET1",
        "location": {"type": "zoom", "join_url": "https://zoom.example/j/1", "status": "pushed"},
        "invitees_counter": {"total": 1, "active": 1, "limit": 1},
        "created_at": "2025-12-01T10:00:00.000000Z",
        "updated_at": "2025-12-01T10:00:00.000000Z",
        "event_memberships": [{"user": f"{base}/users/U1", "user_email": "host@example.com"}],
        "event_guests": [],
    }


def stand_in_api() -> web.Application:
    def base(request: web.Request) -> str:
        return f"{request.scheme}://{request.host}"

    def headers() -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "500",
            "X-RateLimit-Remaining": "499",
            "X-RateLimit-Reset": "60",
        }

    async def me(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response(
                {"title": "Unauthenticated", "message": "The access token is invalid"}, status=401
            )
        user = {
            "uri": f"{base(request)}/users/U1",
            "name": "Quick Start",
            "email": "host@example.com",
            "timezone": "Europe/London",
            "current_organization": f"{base(request)}/organizations/ORG1",
        }
        return web.json_response({"resource": user}, headers=headers())

    async def events(request: web.Request) -> web.Response:
        count = int(request.query.get("count", "20"))
        offset = int(request.query.get("page_token", "0"))
        items = [_event(base(request), i) for i in range(offset, min(offset + count, EVENTS))]
        following = str(offset + count) if offset + count < EVENTS else None
        pagination = {
            "count": count,
            "next_page": None,
            "previous_page": None,
            "next_page_token": following,
            "previous_page_token": None,
        }
        return web.json_response({"collection": items, "pagination": pagination}, headers=headers())

    async def missing(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "title": "Resource Not Found",
                "message": "The server could not find the requested resource.",
            },
            status=404,
        )

    app = web.Application()
    app.router.add_get("/users/me", me)
    app.router.add_get("/scheduled_events", events)
    app.router.add_get("/scheduled_events/{uuid}", missing)
    return app


async def main() -> None:
    runner = web.AppRunner(stand_in_api())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with Calendly(token=TOKEN, base_url=f"http://127.0.0.1:{port}") as client:
            me = await client.users.me()
            print(f"me: {me.name} <{me.email}> in {me.timezone}")
            rate = client.last_response.rate_limit if client.last_response else None
            if rate is not None:
                print(f"rate limit: {rate.remaining} of {rate.limit} requests left this minute")
            active = pages = 0
            async for page in client.scheduled_events.list(
                organization=me.current_organization or ""
            ).pages():
                pages += 1
                active += sum(event.status == "active" for event in page.items)
            print(f"scheduled events: {active} active over {pages} pages of up to 100")
            try:
                await client.scheduled_events.get("NOPE")
            except NotFoundError as error:
                print(f"typed error: {type(error).__name__}: {error.status} {error.title}")
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
