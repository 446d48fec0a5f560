"""``Calendly()`` from the environment, proxies, no cookies, one version: over loopback HTTP.

The proxy is an inline aiohttp app on 127.0.0.1: a client talking to a proxy sends the
absolute-form request line (``GET http://host:port/path HTTP/1.1``), which the app records
and forwards to the upstream API app.
"""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, fixture

import calendly_async
from calendly_async import Calendly, InvalidInputError

ROOT = Path(__file__).resolve().parent.parent
PROXY_ENV = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy")


class Upstream:
    """The API: answers ``/users/me`` and records each request's headers."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []

    def app(self) -> web.Application:
        async def me(request: web.Request) -> web.Response:
            self.requests.append(dict(request.headers))
            if request.headers.get("Authorization") != f"Bearer {TOKEN}":
                return web.json_response({"title": "Unauthenticated", "message": "no"}, status=401)
            response = web.json_response(fixture("get_current_user"))
            response.set_cookie("session", "tracking-cookie")
            return response

        app = web.Application()
        app.router.add_get("/users/me", me)
        return app


class Proxy:
    """A forwarding HTTP proxy: records each request target, then relays it upstream."""

    def __init__(self) -> None:
        self.targets: list[str] = []

    def app(self) -> web.Application:
        async def relay(request: web.Request) -> web.Response:
            self.targets.append(request.raw_path)
            headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
            async with (
                aiohttp.ClientSession() as upstream,
                upstream.request(request.method, request.raw_path, headers=headers) as answer,
            ):
                body = await answer.read()
                return web.Response(
                    status=answer.status, body=body, content_type=answer.content_type
                )

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", relay)
        return app


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (*PROXY_ENV, "CALENDLY_TOKEN", "CALENDLY_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# -- credentials and host from the environment -----------------------------------------------


async def test_no_arguments_reads_token_and_base_url_from_the_environment(
    serve: Serve, clean_env: pytest.MonkeyPatch
) -> None:
    upstream = Upstream()
    url = await serve(upstream.app())
    clean_env.setenv("CALENDLY_TOKEN", TOKEN)
    clean_env.setenv("CALENDLY_BASE_URL", url)
    async with Calendly() as client:
        me = await client.users.me()
    assert client.base_url == url
    assert me.email == "user@example.com"
    assert upstream.requests[0]["Authorization"] == f"Bearer {TOKEN}"


async def test_arguments_win_over_the_environment(
    serve: Serve, clean_env: pytest.MonkeyPatch
) -> None:
    upstream = Upstream()
    url = await serve(upstream.app())
    clean_env.setenv("CALENDLY_TOKEN", "env-token-not-used")
    clean_env.setenv("CALENDLY_BASE_URL", "http://127.0.0.1:9")
    async with Calendly(TOKEN, base_url=url) as client:
        await client.users.me()
    assert [r["Authorization"] for r in upstream.requests] == [f"Bearer {TOKEN}"]


@pytest.mark.parametrize("value", [None, ""])
def test_no_token_anywhere_is_a_clear_invalid_input_error(
    clean_env: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        clean_env.setenv("CALENDLY_TOKEN", value)
    with pytest.raises(InvalidInputError, match="CALENDLY_TOKEN") as raised:
        Calendly()
    assert "token=" in str(raised.value)
    assert "oauth=" in str(raised.value)


def test_a_bad_base_url_from_the_environment_is_refused(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("CALENDLY_TOKEN", TOKEN)
    clean_env.setenv("CALENDLY_BASE_URL", "http://api.example.com")
    with pytest.raises(InvalidInputError, match="plain http"):
        Calendly()


# -- proxies ------------------------------------------------------------------------------------


async def test_proxy_argument_sends_absolute_form_requests_through_the_proxy(
    serve: Serve, clean_env: pytest.MonkeyPatch
) -> None:
    upstream, proxy = Upstream(), Proxy()
    api_url = await serve(upstream.app())
    proxy_url = await serve(proxy.app())
    async with Calendly(TOKEN, base_url=api_url, proxy=proxy_url) as client:
        me = await client.users.me()
    assert me.email == "user@example.com"
    assert proxy.targets == [f"{api_url}/users/me"]
    assert upstream.requests[0]["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("trust_env", "no_proxy", "via_proxy"),
    [(True, None, True), (True, "127.0.0.1", False), (False, None, False)],
    ids=["trust_env", "no_proxy-bypasses", "ignored-without-trust_env"],
)
async def test_http_proxy_from_the_environment_as_aiohttp_reads_it(
    serve: Serve, clean_env: pytest.MonkeyPatch, trust_env: bool, no_proxy: str | None,
    via_proxy: bool,
) -> None:
    upstream, proxy = Upstream(), Proxy()
    api_url = await serve(upstream.app())
    clean_env.setenv("HTTP_PROXY", await serve(proxy.app()))
    if no_proxy is not None:
        clean_env.setenv("NO_PROXY", no_proxy)
    async with Calendly(TOKEN, base_url=api_url, trust_env=trust_env) as client:
        await client.users.me()
    assert proxy.targets == ([f"{api_url}/users/me"] if via_proxy else [])
    assert len(upstream.requests) == 1


@pytest.mark.parametrize(
    "proxy", ["socks5://127.0.0.1:1080", "127.0.0.1:3128", "http://user:pw-SECRET@:99999"]
)
def test_a_bad_proxy_url_is_refused_without_quoting_it(proxy: str) -> None:
    with pytest.raises(InvalidInputError, match="proxy") as raised:
        Calendly(TOKEN, proxy=proxy)
    assert "SECRET" not in str(raised.value)


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_trust_env_must_be_a_bool(value: object) -> None:
    with pytest.raises(InvalidInputError, match="trust_env"):
        Calendly(TOKEN, trust_env=value)  # type: ignore[arg-type]


async def test_proxy_with_a_callers_session_is_refused() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(InvalidInputError, match="session"):
            Calendly(TOKEN, session=session, proxy="http://127.0.0.1:3128")
        with pytest.raises(InvalidInputError, match="session"):
            Calendly(TOKEN, session=session, trust_env=True)


# -- cookies and version -----------------------------------------------------------------------


async def test_the_session_keeps_no_cookies(serve: Serve) -> None:
    upstream = Upstream()
    # A host name: aiohttp's default jar never stores cookies for an IP address.
    url = (await serve(upstream.app())).replace("127.0.0.1", "localhost")
    async with Calendly(TOKEN, base_url=url) as client:
        await client.users.me()
        await client.users.me()
    assert len(upstream.requests) == 2
    assert "Cookie" not in upstream.requests[1]


async def test_version_comes_from_the_distribution_and_names_the_user_agent(
    serve: Serve,
) -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert calendly_async.__version__ == importlib.metadata.version("calendly-async") == declared
    upstream = Upstream()
    url = await serve(upstream.app())
    async with Calendly(TOKEN, base_url=url) as client:
        await client.users.me()
    assert upstream.requests[0]["User-Agent"] == f"calendly-async/{declared}"


def test_the_version_is_written_only_in_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    holding = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "calendly_async").rglob("*.py")
        if declared in path.read_text(encoding="utf-8")
    ]
    assert holding == []
