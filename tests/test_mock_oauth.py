"""The mock's OAuth endpoints with raw requests: authorisation code + PKCE, rotating
single-use refresh tokens, client authentication, revoke and introspect.

Calendly rules (reference §5.1): codes are single-use and bound to the PKCE S256
challenge; access tokens live 7200 s; every refresh returns a new refresh token and
reusing the old one is ``invalid_grant``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from calendly_async.mock import MockCalendly

CLIENT_ID = "app-id"
CLIENT_SECRET = "app_SECRET_value"
REDIRECT = "http://127.0.0.1:9/callback?from=mock"
VERIFIER = "v" * 43 + "-._~" + "0123456789"
BASIC = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def mock(clock: Clock) -> AsyncIterator[MockCalendly]:
    async with MockCalendly(
        seed=2, events=5, clock=clock, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    ) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def authorize(
    http: aiohttp.ClientSession, mock: MockCalendly, **extra: str
) -> tuple[int, dict[str, list[str]]]:
    params = {
        "client_id": CLIENT_ID, "response_type": "code", "redirect_uri": REDIRECT,
        "code_challenge": challenge(VERIFIER), "code_challenge_method": "S256", "state": "xyz",
        **extra,
    }  # fmt: skip
    async with http.get(
        f"{mock.url}/oauth/authorize", params=params, allow_redirects=False
    ) as response:
        location = response.headers.get("Location", "")
        return response.status, parse_qs(urlsplit(location).query)


async def post(
    http: aiohttp.ClientSession,
    mock: MockCalendly,
    path: str,
    form: dict[str, str],
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    async with http.post(f"{mock.url}{path}", data=form, headers=headers or {}) as response:
        text = await response.text()
        return response.status, (await response.json() if text else None)


async def exchange(
    http: aiohttp.ClientSession, mock: MockCalendly, code: str, verifier: str = VERIFIER
) -> tuple[int, Any]:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": verifier}  # fmt: skip
    return await post(http, mock, "/oauth/token", form, {"Authorization": BASIC})


async def me(http: aiohttp.ClientSession, mock: MockCalendly, access_token: str) -> int:
    headers = {"Authorization": f"Bearer {access_token}"}
    async with http.get(f"{mock.url}/users/me", headers=headers) as response:
        return response.status


async def test_authorize_redirects_with_code_and_state(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    status, query = await authorize(http, mock)
    assert status == 302
    assert query["state"] == ["xyz"]
    assert query["from"] == ["mock"]
    assert len(query["code"][0]) >= 20


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"client_id": "other"}, "invalid_client"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"redirect_uri": ""}, "invalid_request"),
    ],
)
async def test_authorize_refuses_bad_requests(
    http: aiohttp.ClientSession, mock: MockCalendly, extra: dict[str, str], error: str
) -> None:
    params = {
        "client_id": CLIENT_ID, "response_type": "code", "redirect_uri": REDIRECT,
        "code_challenge": challenge(VERIFIER), "code_challenge_method": "S256", **extra,
    }  # fmt: skip
    async with http.get(f"{mock.url}/oauth/authorize", params=params, allow_redirects=False) as r:
        assert r.status == 400
        assert (await r.json())["error"] == error


async def test_code_exchange_checks_pkce_and_is_single_use(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    _, query = await authorize(http, mock)
    status, body = await exchange(http, mock, query["code"][0], verifier="w" * 50)
    assert (status, body["error"]) == (400, "invalid_grant")
    _, query = await authorize(http, mock)
    code = query["code"][0]
    status, token = await exchange(http, mock, code)
    assert status == 200
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 7200
    assert token["owner"] == mock.owner_uri
    assert token["organization"] == mock.organization_uri
    assert isinstance(token["created_at"], int)
    assert await me(http, mock, token["access_token"]) == 200
    status, body = await exchange(http, mock, code)
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_refresh_rotates_and_old_refresh_token_is_rejected(
    http: aiohttp.ClientSession, mock: MockCalendly
) -> None:
    _, query = await authorize(http, mock)
    _, first = await exchange(http, mock, query["code"][0])
    form = {"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}  # fmt: skip
    status, second = await post(http, mock, "/oauth/token", form)
    assert status == 200
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert await me(http, mock, second["access_token"]) == 200
    status, body = await post(http, mock, "/oauth/token", form)
    assert (status, body["error"]) == (400, "invalid_grant")
    form["refresh_token"] = second["refresh_token"]
    status, third = await post(http, mock, "/oauth/token", form)
    assert status == 200
    assert third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])


async def test_client_authentication(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    _, query = await authorize(http, mock)
    wrong = "Basic " + base64.b64encode(f"{CLIENT_ID}:nope".encode()).decode()
    form = {"grant_type": "authorization_code", "code": query["code"][0],
            "redirect_uri": REDIRECT, "code_verifier": VERIFIER}  # fmt: skip
    status, body = await post(http, mock, "/oauth/token", form, {"Authorization": wrong})
    assert (status, body["error"]) == (401, "invalid_client")
    # A public client (client_id in the form, no secret) may redeem a PKCE code.
    status, token = await post(http, mock, "/oauth/token", {**form, "client_id": CLIENT_ID})
    assert status == 200
    assert token["access_token"]
    status, body = await post(http, mock, "/oauth/token", {"grant_type": "password"},
                              {"Authorization": BASIC})  # fmt: skip
    assert (status, body["error"]) == (400, "unsupported_grant_type")


async def test_public_client_needs_pkce(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    params = {"client_id": CLIENT_ID, "response_type": "code", "redirect_uri": REDIRECT}
    async with http.get(f"{mock.url}/oauth/authorize", params=params, allow_redirects=False) as r:
        code = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "client_id": CLIENT_ID}  # fmt: skip
    status, body = await post(http, mock, "/oauth/token", form)
    assert (status, body["error"]) == (401, "invalid_client")
    status, token = await post(http, mock, "/oauth/token", form, {"Authorization": BASIC})
    assert status == 200
    assert token["access_token"]


async def test_introspect_revoke_and_expiry(
    http: aiohttp.ClientSession, mock: MockCalendly, clock: Clock
) -> None:
    _, query = await authorize(http, mock, scope="users:read")
    _, token = await exchange(http, mock, query["code"][0])
    credentials = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    status, info = await post(
        http, mock, "/oauth/introspect", {**credentials, "token": token["access_token"]}
    )
    assert status == 200
    assert info["active"] is True
    assert info["scope"] == "users:read"
    assert info["client_id"] == CLIENT_ID
    assert info["exp"] == token["created_at"] + 7200
    status, body = await post(
        http, mock, "/oauth/revoke", {**credentials, "token": token["access_token"]}
    )
    assert (status, body) == (200, None)
    _, info = await post(
        http, mock, "/oauth/introspect", {**credentials, "token": token["access_token"]}
    )
    assert info == {"active": False}
    assert await me(http, mock, token["access_token"]) == 401
    status, body = await post(http, mock, "/oauth/revoke", credentials)
    assert (status, body["error"]) == (400, "invalid_request")
    # Access tokens live two hours by the mock's clock.
    _, query = await authorize(http, mock)
    _, fresh = await exchange(http, mock, query["code"][0])
    clock.now += 7199
    assert await me(http, mock, fresh["access_token"]) == 200
    clock.now += 2
    assert await me(http, mock, fresh["access_token"]) == 401
    _, info = await post(
        http, mock, "/oauth/introspect", {**credentials, "token": fresh["access_token"]}
    )
    assert info == {"active": False}


async def test_codes_expire_after_ten_minutes(
    http: aiohttp.ClientSession, mock: MockCalendly, clock: Clock
) -> None:
    _, query = await authorize(http, mock)
    clock.now += 601
    status, body = await exchange(http, mock, query["code"][0])
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_redirect_uri_must_match(http: aiohttp.ClientSession, mock: MockCalendly) -> None:
    _, query = await authorize(http, mock)
    form = {"grant_type": "authorization_code", "code": query["code"][0],
            "redirect_uri": "http://127.0.0.1:9/elsewhere", "code_verifier": VERIFIER}  # fmt: skip
    status, body = await post(http, mock, "/oauth/token", form, {"Authorization": BASIC})
    assert (status, body["error"]) == (400, "invalid_grant")
