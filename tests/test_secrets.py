"""The bearer token never leaks: not in logs, errors or reprs, never to another origin,
never over cleartext to a remote host, never through a redirect."""

from __future__ import annotations

import logging
import socket

import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, FakeTime

from calendly_async import (
    APIError,
    Calendly,
    CalendlyError,
    ConnectError,
    DecodeError,
    InvalidInputError,
    NetworkError,
    NotFoundError,
    RedirectError,
    RetryPolicy,
)


def _assert_clean(error: BaseException) -> None:
    """No trace of the token anywhere a caller or a log formatter could look."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for item in chain:
        for text in (str(item), repr(item), repr(item.args)):
            assert TOKEN not in text, f"token leaked via {type(item).__name__}: {text}"
    assert TOKEN not in repr(vars(error))


class Recorder:
    """A loopback API recording the Authorization header of everything it receives."""

    def __init__(self) -> None:
        self.auth: list[str | None] = []
        self.hits = 0
        self.limited = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.auth.append(request.headers.get("Authorization"))
        self.hits += 1
        path = request.path
        self.limited += path == "/limited"
        if path == "/limited" and self.limited == 1:
            return web.json_response(
                {"title": "Too Many Requests"},
                status=429,
                headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2"},
            )
        if path == "/missing":
            return web.json_response(
                {"title": "Resource Not Found", "message": "nope"},
                status=404,
                headers={"X-Request-Id": "r-1"},
            )
        if path == "/drop":
            assert request.transport is not None
            request.transport.close()
        if path == "/notjson":
            return web.Response(text="<html>")
        return web.json_response({"ok": True, "echo_auth_len": len(self.auth[-1] or "")})


async def _start(serve: Serve, recorder: Recorder) -> str:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", recorder.handle)
    return await serve(app)


async def test_token_absent_from_debug_logs_and_errors_over_a_full_cycle(
    serve: Serve, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, aiohttp's, asyncio's
    recorder = Recorder()
    url = await _start(serve, recorder)
    errors: list[CalendlyError] = []
    async with Calendly(
        token=TOKEN, base_url=url, sleep=fake_time.sleep, clock=fake_time.clock
    ) as client:
        assert await client.request("GET", "/ok", debug=True) == {
            "ok": True,
            "echo_auth_len": len(f"Bearer {TOKEN}"),
        }
        assert await client.request("POST", "/limited", json={"token": TOKEN}, debug=True)
        with pytest.raises(NotFoundError) as not_found:
            await client.request("GET", "/missing", debug=True)
        errors.append(not_found.value)
        with pytest.raises(NetworkError) as dropped:
            await client.request("GET", "/drop", retry=RetryPolicy(max_retries=1))
        errors.append(dropped.value)
        with pytest.raises(DecodeError) as undecodable:
            await client.request("GET", "/notjson")
        errors.append(undecodable.value)
        assert TOKEN not in repr(client)
        assert TOKEN not in str(client)
        assert TOKEN not in repr(client.users)
        assert TOKEN not in repr(client.last_response)
    assert recorder.auth[0] == f"Bearer {TOKEN}"  # it was really sent...
    assert "Bearer ***" in caplog.text  # ...and really logged, redacted
    assert "retrying POST" in caplog.text
    assert TOKEN not in caplog.text
    for record in caplog.records:
        assert TOKEN not in repr(record.args)
    for error in errors:
        _assert_clean(error)


async def test_connect_error_does_not_carry_the_token(fake_time: FakeTime) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with Calendly(
        token=TOKEN,
        base_url=f"http://127.0.0.1:{port}",
        sleep=fake_time.sleep,
        retry=RetryPolicy(max_retries=0),
    ) as client:
        with pytest.raises(ConnectError) as caught:
            await client.request("GET", "/x")
    _assert_clean(caught.value)


async def test_token_only_sent_to_base_url_origin(serve: Serve) -> None:
    api, other = Recorder(), Recorder()
    api_url = await _start(serve, api)
    other_url = await _start(serve, other)  # same host, another port: another origin
    assert api_url.rsplit(":", 1)[0] == other_url.rsplit(":", 1)[0]
    async with Calendly(token=TOKEN, base_url=api_url) as client:
        await client.request("GET", "/a")
        await client.request("GET", f"{api_url}/b")
        await client.request("GET", f"{other_url}/c")
        await client.request("POST", f"{other_url}/d", json={"x": 1})
    assert api.auth == [f"Bearer {TOKEN}", f"Bearer {TOKEN}"]
    assert other.auth == [None, None]


async def test_redirects_are_not_followed(serve: Serve) -> None:
    elsewhere = Recorder()
    elsewhere_url = await _start(serve, elsewhere)

    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{elsewhere_url}/steal")

    app = web.Application()
    app.router.add_get("/users/me", redirect)
    async with Calendly(token=TOKEN, base_url=await serve(app)) as client:
        with pytest.raises(RedirectError) as raw:
            await client.request("GET", "/users/me", response_type="text")
        assert client.last_response is not None
        assert client.last_response.status == 302
        assert raw.value.location == f"{elsewhere_url}/steal"
        with pytest.raises(RedirectError):
            await client.users.me()  # a typed call never mistakes a redirect for data
    assert elsewhere.hits == 0


@pytest.mark.parametrize(
    "base_url",
    [
        "http://example.com",
        "http://api.calendly.com",
        "http://10.0.0.5:8080",
        "https://user:pw@api.calendly.com",
    ],
)
def test_cleartext_or_credentialed_base_url_refused(base_url: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        Calendly(token=TOKEN, base_url=base_url)
    assert TOKEN not in str(caught.value)
    assert "pw@" not in str(caught.value)


def test_client_repr_masks_token() -> None:
    client = Calendly(token=TOKEN)  # never opened: nothing to close
    assert TOKEN not in repr(client)
    assert "***" in repr(client)


def test_api_error_built_without_request_headers() -> None:
    error = APIError(status=401, title="Unauthenticated", message="The access token is invalid")
    _assert_clean(error)
    assert "Authorization" not in repr(vars(error))


@pytest.mark.parametrize(
    ("token", "headers"),
    [(f"{TOKEN}\r\nX-Injected: 1", {}), (TOKEN, {"X-Trace": "a\nb"}), (f"{TOKEN}\x00", {})],
)
async def test_header_injection_refused_without_quoting_the_value(
    serve: Serve, token: str, headers: dict[str, str]
) -> None:
    recorder = Recorder()
    async with Calendly(token=token, base_url=await _start(serve, recorder)) as client:
        with pytest.raises(InvalidInputError) as caught:
            await client.request("GET", "/x", headers=headers)
    _assert_clean(caught.value)
    assert recorder.hits == 0
