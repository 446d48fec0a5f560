"""OAuth2 and Token: pure behaviour and token-endpoint requests (aioresponses).

Calendly rules under test (reference §5.1): PKCE S256 authorisation URL; token
requests are form posts authenticated with HTTP Basic; refresh tokens are
single-use and rotate; revoke/introspect are form posts with client_id,
client_secret and token; secrets never reach reprs, messages or logs.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgspec
import pytest
from aioresponses import CallbackResult, aioresponses
from conftest import sent
from helpers import BASE, FakeTime, fixture

from calendly_async import (
    AuthenticationError,
    Calendly,
    CalendlyError,
    DecodeError,
    InvalidGrantError,
    InvalidInputError,
    OAuth2,
    Token,
    TokenIntrospection,
    TokenPersistenceError,
)
from calendly_async.auth import pkce_challenge

AUTH = "https://auth.calendly.com"
TOKEN_URL = f"{AUTH}/oauth/token"
CLIENT_ID = "client-id-123"
CLIENT_SECRET = "client_SECRET_value_987"
REDIRECT = "https://app.example.com/callback"
OLD_ACCESS = "access_OLD_secret_aaaa"
OLD_REFRESH = "refresh_OLD_secret_bbbb"
NEW_ACCESS = "access_NEW_secret_cccc"
NEW_REFRESH = "refresh_NEW_secret_dddd"
CODE = "code_SECRET_eeee"
VERIFIER_ALPHABET = re.compile(r"^[A-Za-z0-9\-._~]+$")
NOW = 1_700_000_000


def basic(client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_body(access: str = NEW_ACCESS, refresh: str | None = NEW_REFRESH, **extra: Any) -> Any:
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "access_token": access,
        "expires_in": 7200,
        "created_at": NOW,
        "scope": "users:read",
        "owner": f"{BASE}/users/AAAAAAAAAAAAAAAA",
        "organization": f"{BASE}/organizations/AAAAAAAAAAAAAAAA",
    }
    if refresh is not None:
        body["refresh_token"] = refresh
    body.update(extra)
    return body


def saved_token(*, age: float = 0.0, refresh: str | None = OLD_REFRESH) -> Token:
    """A token issued ``age`` seconds before NOW."""
    return Token(
        access_token=OLD_ACCESS,
        refresh_token=refresh,
        expires_in=7200,
        created_at=int(NOW - age),
    )


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Recorder:
    """An on_token callback that records tokens and can be told to fail."""

    def __init__(self, failures: int = 0) -> None:
        self.tokens: list[Token] = []
        self.failures = failures

    async def __call__(self, token: Token) -> None:
        self.tokens.append(token)
        if self.failures:
            self.failures -= 1
            raise OSError("disk full")


def make_oauth(**kwargs: Any) -> OAuth2:
    kwargs.setdefault("clock", Clock())
    return OAuth2(CLIENT_ID, CLIENT_SECRET, REDIRECT, **kwargs)


def token_requests(api: aioresponses) -> list[dict[str, Any]]:
    return [kw for method, url, kw in sent(api) if url == TOKEN_URL and method == "POST"]


# -- authorization_url ----------------------------------------------------------------


def test_authorization_url_has_pkce_s256_and_every_parameter() -> None:
    oauth = make_oauth(scopes=["users:read", "scheduled_events:read"])
    url, verifier = oauth.authorization_url(state="st4te")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "auth.calendly.com")
    assert parts.path == "/oauth/authorize"
    query = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
    expected_challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    )
    assert query == {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "code_challenge_method": "S256",
        "code_challenge": expected_challenge,
        "scope": "users:read scheduled_events:read",
        "state": "st4te",
    }
    assert "=" not in query["code_challenge"]
    assert 43 <= len(verifier) <= 128
    assert VERIFIER_ALPHABET.match(verifier)


def test_authorization_url_scope_argument_overrides_defaults_and_state_is_optional() -> None:
    oauth = make_oauth(scopes="users:read")
    url, _ = oauth.authorization_url(scope=("webhooks:read", "webhooks:write"))
    query = parse_qs(urlsplit(url).query)
    assert query["scope"] == ["webhooks:read webhooks:write"]
    assert "state" not in query
    url, _ = oauth.authorization_url()
    assert parse_qs(urlsplit(url).query)["scope"] == ["users:read"]
    url, _ = make_oauth().authorization_url()
    assert "scope" not in parse_qs(urlsplit(url).query)


def test_authorization_url_uses_custom_auth_host() -> None:
    oauth = make_oauth(auth_base_url="http://127.0.0.1:8080/")
    url, _ = oauth.authorization_url()
    assert url.startswith("http://127.0.0.1:8080/oauth/authorize?")


def test_each_authorization_url_has_a_fresh_verifier() -> None:
    oauth = make_oauth()
    verifiers = {oauth.authorization_url()[1] for _ in range(5)}
    assert len(verifiers) == 5


def test_authorization_url_without_redirect_uri_is_invalid_input() -> None:
    oauth = OAuth2(CLIENT_ID, CLIENT_SECRET)
    with pytest.raises(InvalidInputError, match="redirect_uri"):
        oauth.authorization_url()


def test_pkce_challenge_matches_rfc_7636_appendix_b() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"client_id": ""},
        {"client_id": "   "},
        {"refresh_margin": -1},
        {"auth_base_url": "http://auth.example.com"},
        {"auth_base_url": "auth.calendly.com"},
    ],
)
def test_constructor_rejects_bad_input(kwargs: dict[str, Any]) -> None:
    args = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **kwargs}
    with pytest.raises(InvalidInputError):
        OAuth2(**args)


# -- Token ----------------------------------------------------------------------------


def test_token_json_round_trips_and_expires_at_is_created_plus_lifetime() -> None:
    token = msgspec.json.decode(msgspec.json.encode(token_body()), type=Token)
    assert token.expires_at == NOW + 7200
    again = msgspec.json.decode(msgspec.json.encode(token), type=Token)
    assert again == token
    assert msgspec.json.decode(msgspec.json.encode(token)) == token_body()


def test_token_expiry_unknown_without_created_at_or_lifetime() -> None:
    assert Token(access_token="a", expires_in=7200).expires_at is None
    assert Token(access_token="a", created_at=NOW).expires_at is None
    assert not Token(access_token="a").expires_within(10**9, now=NOW)


def test_token_expires_within() -> None:
    token = saved_token()
    assert not token.expires_within(300, now=NOW + 7200 - 301)
    assert token.expires_within(300, now=NOW + 7200 - 299)


def test_token_repr_str_and_rich_repr_hide_secrets() -> None:
    token = saved_token()
    for text in (repr(token), str(token), f"{token}", repr([token]), repr(token.__rich_repr__())):
        assert OLD_ACCESS not in text
        assert OLD_REFRESH not in text
    assert "expires_in=7200" in repr(token)
    assert "refresh_token=None" in repr(saved_token(refresh=None))


def test_oauth_repr_hides_client_secret_and_token() -> None:
    oauth = make_oauth(token=saved_token())
    text = repr(oauth)
    assert CLIENT_ID in text
    for secret in (CLIENT_SECRET, OLD_ACCESS, OLD_REFRESH):
        assert secret not in text


# -- exchange_code --------------------------------------------------------------------


async def test_exchange_code_posts_form_with_basic_auth_and_persists(api: aioresponses) -> None:
    api.post(TOKEN_URL, payload=token_body())
    saved = Recorder()
    async with make_oauth(on_token=saved) as oauth:
        _, verifier = oauth.authorization_url()
        token = await oauth.exchange_code(CODE, code_verifier=verifier)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", TOKEN_URL)
    assert kwargs["headers"]["Authorization"] == basic()
    assert kwargs["data"] == {
        "grant_type": "authorization_code",
        "code": CODE,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
        "client_id": CLIENT_ID,
    }
    assert token.access_token == NEW_ACCESS
    assert token.refresh_token == NEW_REFRESH
    assert token.owner == f"{BASE}/users/AAAAAAAAAAAAAAAA"
    assert token.expires_at == NOW + 7200
    assert oauth.token == token
    assert saved.tokens == [token]


async def test_exchange_code_fills_created_at_from_the_clock(api: aioresponses) -> None:
    body = token_body()
    del body["created_at"]
    api.post(TOKEN_URL, payload=body)
    oauth = make_oauth(clock=Clock(123_456.9))
    token = await oauth.exchange_code(CODE)
    await oauth.aclose()
    assert token.created_at == 123_456
    assert token.expires_at == 123_456 + 7200


async def test_exchange_code_redirect_uri_override(api: aioresponses) -> None:
    api.post(TOKEN_URL, payload=token_body())
    oauth = make_oauth()
    await oauth.exchange_code(CODE, redirect_uri="https://other.example.com/cb")
    await oauth.aclose()
    ((_, _, kwargs),) = sent(api)
    assert kwargs["data"]["redirect_uri"] == "https://other.example.com/cb"
    assert "code_verifier" not in kwargs["data"]


@pytest.mark.parametrize(
    ("oauth_kwargs", "code", "verifier"),
    [
        ({}, "", None),
        ({}, "   ", None),
        ({}, CODE, "short"),
        ({}, CODE, "x" * 129),
        ({}, CODE, "has spaces " * 5),
        ({"redirect_uri": None}, CODE, None),
    ],
)
async def test_exchange_code_bad_input_sends_nothing(
    api: aioresponses, oauth_kwargs: dict[str, Any], code: str, verifier: str | None
) -> None:
    oauth = OAuth2(CLIENT_ID, CLIENT_SECRET, oauth_kwargs.get("redirect_uri", REDIRECT))
    with pytest.raises(InvalidInputError) as caught:
        await oauth.exchange_code(code, code_verifier=verifier)
    assert sent(api) == []
    if verifier:
        assert verifier not in str(caught.value)


async def test_native_app_without_secret_sends_no_basic_header(api: aioresponses) -> None:
    api.post(TOKEN_URL, payload=token_body())
    oauth = OAuth2(CLIENT_ID, "", REDIRECT, clock=Clock())
    await oauth.exchange_code(CODE)
    await oauth.aclose()
    ((_, _, kwargs),) = sent(api)
    assert "Authorization" not in kwargs["headers"]
    assert kwargs["data"]["client_id"] == CLIENT_ID


async def test_malformed_token_response_is_decode_error_without_secrets(
    api: aioresponses,
) -> None:
    api.post(TOKEN_URL, payload={"access_token": 5, "refresh_token": NEW_REFRESH})
    oauth = make_oauth()
    with pytest.raises(DecodeError) as caught:
        await oauth.exchange_code(CODE)
    await oauth.aclose()
    assert "$.access_token" in str(caught.value)
    assert NEW_REFRESH not in str(caught.value)
    assert oauth.token is None


# -- refresh --------------------------------------------------------------------------


async def test_refresh_posts_refresh_grant_and_rotates(api: aioresponses) -> None:
    api.post(TOKEN_URL, payload=token_body())
    saved = Recorder()
    oauth = make_oauth(token=saved_token(), on_token=saved)
    token = await oauth.refresh()
    await oauth.aclose()
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", TOKEN_URL)
    assert kwargs["headers"]["Authorization"] == basic()
    assert kwargs["data"] == {
        "grant_type": "refresh_token",
        "refresh_token": OLD_REFRESH,
        "client_id": CLIENT_ID,
    }
    assert (token.access_token, token.refresh_token) == (NEW_ACCESS, NEW_REFRESH)
    assert oauth.token == token
    assert saved.tokens == [token]
    assert oauth.refresh_count == 1


async def test_refresh_keeps_old_refresh_token_when_server_does_not_rotate(
    api: aioresponses,
) -> None:
    api.post(TOKEN_URL, payload=token_body(refresh=None))
    oauth = make_oauth(token=saved_token())
    token = await oauth.refresh()
    await oauth.aclose()
    assert token.access_token == NEW_ACCESS
    assert token.refresh_token == OLD_REFRESH


async def test_concurrent_refresh_calls_share_one_request(api: aioresponses) -> None:
    async def slow_token_endpoint(url: Any, **kwargs: Any) -> CallbackResult:
        for _ in range(5):  # let every other caller reach the lock meanwhile
            await asyncio.sleep(0)
        return CallbackResult(payload=token_body())

    api.post(TOKEN_URL, callback=slow_token_endpoint, repeat=True)
    oauth = make_oauth(token=saved_token())
    tokens = await asyncio.gather(*(oauth.refresh() for _ in range(5)))
    await oauth.aclose()
    assert [kw["data"]["refresh_token"] for kw in token_requests(api)] == [OLD_REFRESH]
    assert {t.access_token for t in tokens} == {NEW_ACCESS}
    assert oauth.refresh_count == 1


async def test_sequential_refreshes_send_the_rotated_refresh_token(api: aioresponses) -> None:
    api.post(TOKEN_URL, payload=token_body())
    api.post(TOKEN_URL, payload=token_body(access="access-3", refresh="refresh-3"))
    oauth = make_oauth(token=saved_token())
    await oauth.refresh()
    token = await oauth.refresh()
    await oauth.aclose()
    assert [kw["data"]["refresh_token"] for kw in token_requests(api)] == [
        OLD_REFRESH,
        NEW_REFRESH,
    ]
    assert token.refresh_token == "refresh-3"


async def test_refresh_without_refresh_token_is_authentication_error(api: aioresponses) -> None:
    oauth = make_oauth(token=saved_token(refresh=None))
    with pytest.raises(AuthenticationError):
        await oauth.refresh()
    with pytest.raises(AuthenticationError):
        await make_oauth().refresh()
    assert sent(api) == []


async def test_invalid_grant_raises_after_exactly_one_request(api: aioresponses) -> None:
    api.post(
        TOKEN_URL,
        status=400,
        payload={"error": "invalid_grant", "error_description": "The refresh token is invalid."},
        repeat=True,
    )
    oauth = make_oauth(token=saved_token())
    with pytest.raises(InvalidGrantError) as caught:
        await oauth.refresh()
    await oauth.aclose()
    assert isinstance(caught.value, AuthenticationError)
    assert caught.value.status == 400
    assert caught.value.title == "invalid_grant"
    assert len(token_requests(api)) == 1
    assert oauth.token == saved_token()
    assert oauth.refresh_count == 0
    for secret in (OLD_REFRESH, OLD_ACCESS, CLIENT_SECRET):
        assert secret not in str(caught.value)
        assert secret not in repr(caught.value)
    # The rejected refresh token is never sent again.
    with pytest.raises(InvalidGrantError):
        await oauth.refresh()
    assert len(token_requests(api)) == 1


async def test_invalid_client_on_token_endpoint_is_authentication_error(
    api: aioresponses,
) -> None:
    api.post(TOKEN_URL, status=401, payload={"error": "invalid_client"})
    oauth = make_oauth(token=saved_token())
    with pytest.raises(AuthenticationError) as caught:
        await oauth.refresh()
    await oauth.aclose()
    assert not isinstance(caught.value, InvalidGrantError)
    assert CLIENT_SECRET not in str(caught.value)


async def test_unreachable_token_endpoint_error_has_no_secrets(api: aioresponses) -> None:
    # Nothing registered: aioresponses refuses the connection, as a dead host would.
    oauth = make_oauth(token=saved_token())
    with pytest.raises(CalendlyError) as caught:
        await oauth.refresh()
    await oauth.aclose()
    text = f"{caught.value} {caught.value!r}"
    for secret in (OLD_REFRESH, OLD_ACCESS, CLIENT_SECRET):
        assert secret not in text


# -- access_token ---------------------------------------------------------------------


async def test_access_token_fresh_is_returned_without_a_request(api: aioresponses) -> None:
    oauth = make_oauth(token=saved_token(age=7200 - 301))
    assert await oauth.access_token() == OLD_ACCESS
    assert sent(api) == []


async def test_access_token_refreshes_within_the_margin(api: aioresponses) -> None:
    api.post(TOKEN_URL, payload=token_body())
    clock = Clock()
    oauth = make_oauth(token=saved_token(), clock=clock)
    assert await oauth.access_token() == OLD_ACCESS
    clock.now = NOW + 7200 - 299
    assert await oauth.access_token() == NEW_ACCESS
    await oauth.aclose()
    assert len(token_requests(api)) == 1


async def test_refresh_margin_is_configurable(api: aioresponses) -> None:
    oauth = make_oauth(token=saved_token(age=7200 - 60), refresh_margin=30)
    assert await oauth.access_token() == OLD_ACCESS
    assert sent(api) == []


async def test_expired_token_without_refresh_token_is_sent_as_is(api: aioresponses) -> None:
    # Nothing to renew it with: the server, not the local clock, decides.
    oauth = make_oauth(token=saved_token(age=10_000, refresh=None))
    assert await oauth.access_token() == OLD_ACCESS
    assert sent(api) == []


async def test_access_token_without_any_token_is_authentication_error() -> None:
    with pytest.raises(AuthenticationError, match="exchange_code"):
        await make_oauth().access_token()


# -- on_token failures ----------------------------------------------------------------


async def test_on_token_failure_keeps_token_and_retries_before_use(api: aioresponses) -> None:
    api.post(TOKEN_URL, payload=token_body(), repeat=True)
    saved = Recorder(failures=2)
    oauth = make_oauth(token=saved_token(age=8000), on_token=saved)
    with pytest.raises(TokenPersistenceError) as caught:
        await oauth.access_token()
    assert isinstance(caught.value.__cause__, OSError)
    assert oauth.token is not None
    assert oauth.token.access_token == NEW_ACCESS
    # Still unsaved: the next use tries on_token again (and fails again) ...
    with pytest.raises(TokenPersistenceError):
        await oauth.access_token()
    # ... and succeeds the third time, only then handing out the token.
    assert await oauth.access_token() == NEW_ACCESS
    await oauth.aclose()
    assert [t.access_token for t in saved.tokens] == [NEW_ACCESS] * 3
    assert len(token_requests(api)) == 1
    text = str(caught.value)
    for secret in (NEW_ACCESS, NEW_REFRESH, OLD_REFRESH, CLIENT_SECRET):
        assert secret not in text
    # Once saved, nothing more is persisted.
    assert await oauth.access_token() == NEW_ACCESS
    assert len(saved.tokens) == 3


async def test_on_token_failure_on_explicit_refresh_keeps_token(api: aioresponses) -> None:
    api.post(TOKEN_URL, payload=token_body())
    saved = Recorder(failures=1)
    oauth = make_oauth(token=saved_token(), on_token=saved)
    with pytest.raises(TokenPersistenceError):
        await oauth.refresh()
    await oauth.aclose()
    assert oauth.token is not None
    assert oauth.token.refresh_token == NEW_REFRESH
    assert await oauth.access_token() == NEW_ACCESS
    assert len(saved.tokens) == 2


# -- revoke and introspect ------------------------------------------------------------


async def test_revoke_posts_credentials_form_and_forgets_current_token(
    api: aioresponses,
) -> None:
    api.post(f"{AUTH}/oauth/revoke", status=200, body="")
    oauth = make_oauth(token=saved_token())
    await oauth.revoke()
    await oauth.aclose()
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{AUTH}/oauth/revoke")
    assert kwargs["data"] == {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "token": OLD_ACCESS,
    }
    assert oauth.token is None


async def test_revoke_other_token_keeps_current(api: aioresponses) -> None:
    api.post(f"{AUTH}/oauth/revoke", status=200, body="")
    oauth = make_oauth(token=saved_token())
    await oauth.revoke("some-other-token")
    await oauth.aclose()
    assert sent(api)[0][2]["data"]["token"] == "some-other-token"
    assert oauth.token == saved_token()


async def test_revoke_refresh_token_forgets_current(api: aioresponses) -> None:
    api.post(f"{AUTH}/oauth/revoke", status=200, body="")
    oauth = make_oauth(token=saved_token())
    await oauth.revoke(OLD_REFRESH)
    await oauth.aclose()
    assert oauth.token is None


async def test_revoke_error_is_raised(api: aioresponses) -> None:
    api.post(
        f"{AUTH}/oauth/revoke",
        status=400,
        payload={"error": "invalid_request", "error_description": "bad token"},
    )
    oauth = make_oauth(token=saved_token())
    with pytest.raises(CalendlyError, match="bad token"):
        await oauth.revoke()
    await oauth.aclose()
    assert oauth.token == saved_token()


async def test_introspect_posts_form_and_decodes(api: aioresponses) -> None:
    api.post(
        f"{AUTH}/oauth/introspect",
        payload={"active": True, "scope": "users:read", "client_id": CLIENT_ID, "exp": NOW},
    )
    oauth = make_oauth(token=saved_token())
    info = await oauth.introspect()
    await oauth.aclose()
    assert info == TokenIntrospection(active=True, scope="users:read", client_id=CLIENT_ID, exp=NOW)
    ((method, url, kwargs),) = sent(api)
    assert (method, url) == ("POST", f"{AUTH}/oauth/introspect")
    assert kwargs["data"] == {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "token": OLD_ACCESS,
    }


async def test_introspect_explicit_token_and_inactive(api: aioresponses) -> None:
    api.post(f"{AUTH}/oauth/introspect", payload={"active": False})
    oauth = make_oauth()
    info = await oauth.introspect(OLD_REFRESH)
    await oauth.aclose()
    assert info.active is False
    assert sent(api)[0][2]["data"]["token"] == OLD_REFRESH


async def test_introspect_malformed_answer_is_decode_error(api: aioresponses) -> None:
    api.post(f"{AUTH}/oauth/introspect", payload={"scope": "x"})
    oauth = make_oauth(token=saved_token())
    with pytest.raises(DecodeError, match="active"):
        await oauth.introspect()
    await oauth.aclose()


@pytest.mark.parametrize("call", ["revoke", "introspect"])
async def test_revoke_and_introspect_need_a_token(api: aioresponses, call: str) -> None:
    with pytest.raises(InvalidInputError):
        await getattr(make_oauth(), call)()
    assert sent(api) == []


# -- with the client ------------------------------------------------------------------


async def test_client_401_refreshes_once_and_resends(
    api: aioresponses, fake_time: FakeTime
) -> None:
    unauthenticated = {"title": "Unauthenticated", "message": "The access token is expired"}
    api.get(f"{BASE}/users/me", status=401, payload=unauthenticated)
    api.get(f"{BASE}/users/me", payload=fixture("get_current_user"))
    api.post(TOKEN_URL, payload=token_body(), repeat=True)
    saved = Recorder()
    oauth = make_oauth(token=saved_token(), on_token=saved)
    async with Calendly(oauth=oauth, sleep=fake_time.sleep, clock=fake_time.clock) as client:
        me = await client.users.me()
    assert me.name
    calls = sent(api)
    assert [(m, u) for m, u, _ in calls] == [
        ("GET", f"{BASE}/users/me"),
        ("GET", f"{BASE}/users/me"),
        ("POST", TOKEN_URL),
    ]  # grouped by (method, URL), so the order here is aioresponses', not the wire's
    api_auth = [kw["headers"]["Authorization"] for m, _, kw in calls if m == "GET"]
    assert api_auth == [f"Bearer {OLD_ACCESS}", f"Bearer {NEW_ACCESS}"]
    assert [t.access_token for t in saved.tokens] == [NEW_ACCESS]


async def test_client_401_again_after_refresh_raises_without_loop(
    api: aioresponses, fake_time: FakeTime
) -> None:
    api.get(f"{BASE}/users/me", status=401, payload={"title": "Unauthenticated"}, repeat=True)
    api.post(TOKEN_URL, payload=token_body(), repeat=True)
    oauth = make_oauth(token=saved_token())
    async with Calendly(oauth=oauth, sleep=fake_time.sleep, clock=fake_time.clock) as client:
        with pytest.raises(AuthenticationError):
            await client.users.me()
    assert len(token_requests(api)) == 1
    assert len([c for c in sent(api) if c[0] == "GET"]) == 2


async def test_debug_logs_never_contain_secrets(
    api: aioresponses, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="calendly_async")
    api.post(TOKEN_URL, payload=token_body(access=OLD_ACCESS, refresh=OLD_REFRESH))
    api.post(TOKEN_URL, payload=token_body())
    api.get(f"{BASE}/users/me", payload=fixture("get_current_user"))
    api.post(f"{AUTH}/oauth/introspect", payload={"active": True})
    api.post(f"{AUTH}/oauth/revoke", body="")
    oauth = make_oauth()
    _, verifier = oauth.authorization_url()
    async with Calendly(oauth=oauth, sleep=fake_time.sleep, clock=fake_time.clock) as client:
        await oauth.exchange_code(CODE, code_verifier=verifier)
        await oauth.refresh()
        await client.users.me()
        await oauth.introspect()
        await oauth.revoke()
    assert "/oauth/token" in caplog.text
    assert "/users/me" in caplog.text
    assert "refreshing the OAuth access token" in caplog.text
    for secret in (
        CLIENT_SECRET,
        CODE,
        verifier,
        OLD_ACCESS,
        OLD_REFRESH,
        NEW_ACCESS,
        NEW_REFRESH,
        basic().split()[1],
    ):
        assert secret not in caplog.text
