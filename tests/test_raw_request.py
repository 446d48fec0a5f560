"""client.request (the seed's Raw Request) against a real loopback echo server."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, FakeTime

from calendly_async import (
    BadRequestError,
    Calendly,
    DecodeError,
    InvalidInputError,
    RetryPolicy,
    ServerError,
)


class Echo:
    """Answers every request with what it received; scripted statuses first."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.received: list[dict[str, Any]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        content_type = request.content_type
        seen: dict[str, Any] = {
            "method": request.method,
            "path": request.path,
            "query": dict(request.query),
            "authorization": request.headers.get("Authorization"),
            "x_custom": request.headers.get("X-Custom"),
            "content_type": content_type,
        }
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            fields: dict[str, Any] = {}
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    fields[name] = {
                        "filename": value.filename,
                        "content_type": value.content_type,
                        "content": value.file.read().decode(),
                    }
                else:
                    fields[name] = value
            seen["form"] = fields
        else:
            seen["body"] = (await request.read()).decode()
        self.received.append(seen)
        status = self.statuses.pop(0) if self.statuses else 200
        if status != 200:
            return web.json_response(
                {"title": "Scripted", "message": f"status {status}"}, status=status
            )
        return web.json_response(seen)


async def echo_client(serve: Serve, echo: Echo, fake: FakeTime) -> tuple[str, Calendly]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo.handle)
    url = await serve(app)
    return url, Calendly(token=TOKEN, base_url=url, sleep=fake.sleep, clock=fake.clock)


async def test_path_and_full_url_both_reach_base_url_with_token(
    serve: Serve, fake_time: FakeTime
) -> None:
    echo = Echo()
    url, client = await echo_client(serve, echo, fake_time)
    async with client:
        by_path = await client.request("get", "/users/me")
        by_url = await client.request("GET", f"{url}/users/me")
        no_slash = await client.request("GET", "users/me")
    for seen in (by_path, by_url, no_slash):
        assert (seen["method"], seen["path"]) == ("GET", "/users/me")
        assert seen["authorization"] == f"Bearer {TOKEN}"


async def test_params_are_formatted_for_calendly(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo()
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        seen = await client.request(
            "GET",
            "/event_types",
            params={"active": True, "count": 5, "actor": ["a", "b"], "user": None},
        )
    assert seen["query"] == {"active": "true", "count": "5", "actor": "a,b"}


async def test_json_body(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo()
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        seen = await client.request("POST", "/shares", json={"name": "x", "n": [1, 2]})
    assert seen["content_type"] == "application/json"
    assert msgspec.json.decode(seen["body"]) == {"name": "x", "n": [1, 2]}


async def test_form_data_is_urlencoded(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo()
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        seen = await client.request("POST", "/form", data={"grant_type": "x y", "n": 2})
    assert seen["content_type"] == "application/x-www-form-urlencoded"
    assert seen["form"] == {"grant_type": "x y", "n": "2"}


async def test_raw_bytes_body(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo()
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        seen = await client.request(
            "PUT", "/raw", data=b"hello", headers={"Content-Type": "text/plain"}
        )
    assert (seen["content_type"], seen["body"]) == ("text/plain", "hello")


async def test_multipart_files_with_fields(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo()
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        seen = await client.request(
            "POST",
            "/upload",
            data={"note": "hello", "count": 3},
            files={
                "report": ("report.csv", b"a,b\n1,2\n", "text/csv"),
                "blob": b"raw-bytes",
                "named": ("n.txt", "text content"),
            },
        )
    assert seen["content_type"] == "multipart/form-data"
    form = seen["form"]
    assert form["note"] == "hello"
    assert form["count"] == "3"
    assert form["report"] == {
        "filename": "report.csv",
        "content_type": "text/csv",
        "content": "a,b\n1,2\n",
    }
    assert form["blob"]["filename"] == "blob"
    assert form["blob"]["content"] == "raw-bytes"
    assert form["named"]["content"] == "text content"


async def test_multipart_survives_a_retry(serve: Serve, fake_time: FakeTime) -> None:
    # A form payload can only be sent once; each attempt must build a fresh one.
    echo = Echo(503)
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        seen = await client.request("PUT", "/upload", data={"k": "v"}, files={"f": ("f.txt", b"x")})
    assert len(echo.received) == 2
    assert seen["form"]["f"]["content"] == "x"


async def test_response_types(serve: Serve, fake_time: FakeTime) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        if request.path == "/empty":
            return web.Response(status=204)
        if request.path == "/text":
            return web.Response(text="plain ünïcode")
        return web.Response(body=b"\x00\x01binary", content_type="application/octet-stream")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    async with Calendly(token=TOKEN, base_url=await serve(app)) as client:
        assert await client.request("GET", "/empty") is None
        assert await client.request("GET", "/empty", response_type="bytes") == b""
        assert await client.request("GET", "/text", response_type="text") == "plain ünïcode"
        assert await client.request("GET", "/bin", response_type="bytes") == b"\x00\x01binary"
        with pytest.raises(DecodeError, match="not JSON"):
            await client.request("GET", "/text")
        with pytest.raises(DecodeError):
            await client.request("GET", "/bin", response_type="json")


async def test_html_error_page_is_a_readable_server_error(
    serve: Serve, fake_time: FakeTime
) -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

    async def gateway(request: web.Request) -> web.StreamResponse:
        return web.Response(status=502, text=page, content_type="text/html")

    app = web.Application()
    app.router.add_get("/x", gateway)
    url = await serve(app)
    async with Calendly(token=TOKEN, base_url=url, sleep=fake_time.sleep) as client:
        with pytest.raises(ServerError) as caught:
            await client.request("GET", "/x", retry=RetryPolicy(max_retries=0))
    assert caught.value.status == 502
    assert str(caught.value) == (
        "502 Bad Gateway: the response was not JSON (an HTML page titled '502 Bad Gateway'; "
        f"probably a proxy or gateway) (GET {url}/x)"
    )


async def test_fixed_delay_retry_policy(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo(500, 500)
    _, client = await echo_client(serve, echo, fake_time)
    policy = RetryPolicy(max_retries=2, exponential=False, fixed_delay=0.5)
    async with client:
        seen = await client.request("GET", "/flaky", retry=policy)
    assert seen["path"] == "/flaky"
    assert len(echo.received) == 3
    assert fake_time.sleeps == [0.5, 0.5]


async def test_fixed_delay_retry_policy_exhausted(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo(500, 500, 500, 500)
    _, client = await echo_client(serve, echo, fake_time)
    policy = RetryPolicy(max_retries=2, exponential=False, fixed_delay=0.5)
    async with client:
        with pytest.raises(ServerError, match="status 500"):
            await client.request("GET", "/flaky", retry=policy)
    assert len(echo.received) == 3
    assert fake_time.sleeps == [0.5, 0.5]


async def test_retry_on_all_errors_retries_a_400(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo(400)
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        seen = await client.request(
            "POST", "/x", json={}, retry=RetryPolicy(retry_on_all_errors=True)
        )
    assert seen["method"] == "POST"
    assert len(echo.received) == 2


async def test_400_not_retried_by_default(serve: Serve, fake_time: FakeTime) -> None:
    echo = Echo(400)
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        with pytest.raises(BadRequestError, match="status 400"):
            await client.request("GET", "/x")
    assert len(echo.received) == 1


async def test_debug_logs_request_at_info_with_token_redacted(
    serve: Serve, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    echo = Echo()
    _, client = await echo_client(serve, echo, fake_time)
    caplog.set_level(logging.INFO, logger="calendly_async")
    async with client:
        await client.request("GET", "/quiet")
        assert caplog.records == []  # without debug=True nothing reaches INFO
        await client.request(
            "POST", "/loud", json={"refresh_token": "r-secret", "name": "n"}, debug=True
        )
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    request_line = next(m for m in messages if m.startswith("POST") and "headers=" in m)
    assert "'Authorization': 'Bearer ***'" in request_line
    assert "'refresh_token': '***'" in request_line
    assert "'name': 'n'" in request_line
    assert any(m.startswith("POST") and "-> 200" in m for m in messages)
    assert TOKEN not in caplog.text
    assert "r-secret" not in caplog.text


async def test_custom_headers_and_caller_authorization_win(
    serve: Serve, fake_time: FakeTime
) -> None:
    echo = Echo()
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        seen = await client.request("GET", "/h", headers={"X-Custom": "yes"})
        own = await client.request("GET", "/h", headers={"authorization": "Basic abc"})
    assert (seen["x_custom"], seen["authorization"]) == ("yes", f"Bearer {TOKEN}")
    assert own["authorization"] == "Basic abc"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"a": 1}, "data": {"b": 2}},
        {"json": {"a": 1}, "files": {"f": b"x"}},
        {"data": "raw text", "files": {"f": b"x"}},
        {"json": {"when": object()}},
        {"response_type": "xml"},
        {"timeout": -1},
        {"params": {"at": object()}},
    ],
)
async def test_bad_arguments_refused_before_sending(
    serve: Serve, fake_time: FakeTime, kwargs: dict[str, Any]
) -> None:
    echo = Echo()
    _, client = await echo_client(serve, echo, fake_time)
    async with client:
        with pytest.raises(InvalidInputError):
            await client.request("POST", "/x", **kwargs)
    assert echo.received == []


@pytest.mark.parametrize("target", ["ftp://host/x", "http://127.0.0.1:99999/x", "http:///x"])
async def test_bad_urls_refused_before_sending(fake_time: FakeTime, target: str) -> None:
    async with Calendly(token=TOKEN, sleep=fake_time.sleep, clock=fake_time.clock) as client:
        with pytest.raises(InvalidInputError):
            await client.request("GET", target)
    assert fake_time.sleeps == []


@pytest.mark.parametrize("timeout", [0, -1.5, float("nan"), "30"])
def test_client_refuses_nonsense_timeouts(timeout: Any) -> None:
    with pytest.raises(InvalidInputError, match="timeout"):
        Calendly(token=TOKEN, timeout=timeout)
