"""client.users: me() and get(), over aioresponses and real loopback HTTP."""

from __future__ import annotations

import msgspec
import pytest
from aiohttp import web
from aioresponses import aioresponses
from conftest import Serve, sent
from helpers import BASE, TOKEN, assert_round_trips, fixture

from calendly_async import Calendly, InvalidInputError, User


async def test_me_sends_get_users_me_with_bearer(client: Calendly, api: aioresponses) -> None:
    api.get(f"{BASE}/users/me", payload=fixture("get_current_user"))
    me = await client.users.me()
    assert isinstance(me, User)
    assert me.uri == f"{BASE}/users/AAAAAAAAAAAAAAAA"
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("GET", f"{BASE}/users/me")
    assert kwargs["headers"]["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("name", ["get_current_user", "get_user"])
async def test_seed_user_payloads_round_trip(
    client: Calendly, api: aioresponses, name: str
) -> None:
    payload = fixture(name)["resource"]
    api.get(f"{BASE}/users/me", payload=fixture(name))
    assert_round_trips(payload, await client.users.me())


@pytest.mark.parametrize("ident", ["AAAAAAAAAAAAAAAA", f"{BASE}/users/AAAAAAAAAAAAAAAA"])
async def test_get_accepts_uuid_or_uri(client: Calendly, api: aioresponses, ident: str) -> None:
    api.get(f"{BASE}/users/AAAAAAAAAAAAAAAA", payload=fixture("get_user"))
    user = await client.users.get(ident)
    assert user.name == "John Doe"
    assert [url for _, url, _ in sent(api)] == [f"{BASE}/users/AAAAAAAAAAAAAAAA"]


@pytest.mark.parametrize(
    "bad", ["", "not a uuid", f"{BASE}/event_types/AAAA", "ftp://x/users/AAA", f"{BASE}/users/"]
)
async def test_get_refuses_malformed_identifier_before_sending(
    client: Calendly, api: aioresponses, bad: str
) -> None:
    with pytest.raises(InvalidInputError):
        await client.users.get(bad)
    assert sent(api) == []


async def test_me_over_loopback(serve: Serve) -> None:
    seen: list[str | None] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization"))
        return web.json_response(fixture("get_current_user"))

    app = web.Application()
    app.router.add_get("/users/me", handler)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url) as client:
        me = await client.users.me()
        assert client.last_response is not None
        assert client.last_response.status == 200
    assert me.current_organization == f"{BASE}/organizations/AAAAAAAAAAAAAAAA"
    assert seen == [f"Bearer {TOKEN}"]
    assert msgspec.json.decode(msgspec.json.encode(me))["email"] == "user@example.com"
