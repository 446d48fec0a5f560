"""Row 3, ``per_request``: 2,000 sequential ``users.me()`` against raw aiohttp + decode.

Both variants send ``GET /users/me`` one after another over one kept-alive
connection and decode the answer into the SDK's ``User`` Struct; the SDK adds what
every call pays: argument checks, the rate-limit gate, the retry loop, error
mapping, logging checks and the response wrapper. The server is in another
process, so the client CPU per request is the SDK's cost, separable from the wall
time (which includes the server's).
"""

from __future__ import annotations

from typing import Any

import aiohttp
import msgspec

from calendly_async import Calendly
from calendly_async.models import User

from ._measure import AsyncVariant, Row, compare, measure_async
from ._server import ServerProcess

__all__ = ["RAW", "SDK", "overhead_rows"]

RAW = "raw aiohttp GET + msgspec -> User"
SDK = "calendly_async client.users.me()"


class _Resource(msgspec.Struct):
    resource: User


_DECODER = msgspec.json.Decoder(_Resource)


def _variants(server: ServerProcess, requests: int) -> list[AsyncVariant]:
    async def raw() -> int:
        headers = {"Authorization": f"Bearer {server.token}", "Accept": "application/json"}
        users: list[Any] = []
        async with aiohttp.ClientSession(headers=headers) as session:
            for _ in range(requests):
                async with session.get(f"{server.url}/users/me") as response:
                    response.raise_for_status()
                    body = await response.read()
                users.append(_DECODER.decode(body).resource)
        return len(users)

    async def sdk() -> int:
        users: list[Any] = []
        async with Calendly(token=server.token, base_url=server.url) as client:
            for _ in range(requests):
                users.append(await client.users.me())
        return len(users)

    return [(RAW, raw), (SDK, sdk)]


async def overhead_rows(server: ServerProcess, *, requests: int, runs: int) -> list[Row]:
    """Time ``requests`` sequential calls per variant; seconds are per whole run."""
    measured = await measure_async(_variants(server, requests), runs=runs)
    note = f"{requests} requests per run; per request: divide by {requests}"
    return compare(3, "per_request", measured, note, with_cpu=True)
